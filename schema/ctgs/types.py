"""GraphQL types of CTGs (conventions territoriales globales) and their governance."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry

from db.graph import mapping as m
from db.graph.mapping import NodeSpec
from schema.capabilities import SchemeCapabilities, scheme_capabilities
from schema.context import Info
from schema.enums import Theme
from schema.nodes import edge_field, load_node
from schema.relay import Node
from schema.schemes.types import Scheme, SchemeFields

if TYPE_CHECKING:
    from schema.actions.types import Action
    from schema.facilities.figures import BonusTerritoireFacility
    from schema.organisations.types import Organisation

ActionRef = Annotated["Action", strawberry.lazy("schema.actions.types")]
OrganisationRef = Annotated["Organisation", strawberry.lazy("schema.organisations.types")]
BonusFacilityRef = Annotated["BonusTerritoireFacility", strawberry.lazy("schema.facilities.figures")]


@strawberry.type(description="The shared diagnostic (diagnostic partagé) a CTG's plan is built on.")
class Diagnostic:
    completed_on: date | None = strawberry.field(name="date", description="When the diagnostic was completed.")
    summary: str | None = strawberry.field(description="Its findings, in short.")


@strawberry.type(description="The person coordinating a CTG (chargé·e de coopération CTG).")
class Coordinator:
    name: str | None = strawberry.field(description="Full name.")
    email: str | None = strawberry.field(description="Work e-mail address.")
    organisation_id: strawberry.Private[int | None]

    @strawberry.field(description="The organisation employing the coordinator (usually the EPCI).")
    async def organisation(self, info: Info) -> OrganisationRef | None:
        from schema.organisations.types import Organisation

        return await load_node(info, Organisation, self.organisation_id)


@strawberry.type(
    description="A CTG (convention territoriale globale): the Caf's partnership agreement with an EPCI, communes or a "
    "department, built on a shared diagnostic, with an action plan. Replaced the CEJ contracts from 2020."
)
class Ctg(SchemeFields, Node):
    spec: ClassVar[NodeSpec] = m.CTG
    themes: list[Theme] = strawberry.field(description="Fields of family policy the CTG covers.")
    diagnostic_date: strawberry.Private[date | None]
    diagnostic_summary: strawberry.Private[str | None]
    coordinator_name: strawberry.Private[str | None]
    coordinator_email: strawberry.Private[str | None]
    coordinator_organisation_id: strawberry.Private[int | None]
    replaces_scheme_id: strawberry.Private[int | None]

    @strawberry.field(description="The shared diagnostic.")
    def diagnostic(self) -> Diagnostic:
        return Diagnostic(completed_on=self.diagnostic_date, summary=self.diagnostic_summary)

    @strawberry.field(description="The CTG's coordinator.")
    def coordinator(self) -> Coordinator:
        return Coordinator(
            name=self.coordinator_name,
            email=self.coordinator_email,
            organisation_id=self.coordinator_organisation_id,
        )

    @strawberry.field(description="The CEJ (contrat enfance jeunesse) this CTG replaced, if any.")
    async def replaced_cej(self, info: Info) -> Scheme | None:
        return await load_node(info, Scheme, self.replaces_scheme_id)

    @strawberry.field(description="What the caller may do with the CTG.")
    async def viewer_can(self, info: Info) -> SchemeCapabilities:
        return await scheme_capabilities(info, self.key)

    @strawberry.field(description="The same row seen as a scheme.")
    async def scheme(self, info: Info) -> Scheme:
        scheme = await load_node(info, Scheme, self.key)
        assert scheme is not None, "a CTG is a scheme"
        return scheme

    governance_bodies = edge_field(
        m.CTG_GOVERNANCE, "Governance bodies (comité de pilotage, comité technique...), in order."
    )

    meetings = edge_field(m.CTG_MEETINGS, "Meetings of its governance bodies, oldest first.")

    actions = edge_field(m.CTG_ACTIONS, "The actions of the CTG's plan (plan d'actions), by number.")

    @strawberry.field(
        description="The facilities of its territory eligible to the bonus territoire in a year (the CTG in force "
        "during it; closed ones left out), each with that year's bonus as its funding lines plan it."
    )
    async def bonus_territoire(self, info: Info, year: int) -> list[BonusFacilityRef]:
        from schema.facilities.figures import ctg_bonus

        return await ctg_bonus(info, self.key, year)


@strawberry.type(description="A CTG governance body (instance de gouvernance).")
class GovernanceBody(Node):
    spec: ClassVar[NodeSpec] = m.GOVERNANCE_BODY
    key: strawberry.Private[Any]
    ctg_id: strawberry.Private[int]
    position: int = strawberry.field(description="Rank within the CTG, from 1.")
    name: str = strawberry.field(description='Name, e.g. "Comité de pilotage".')
    composition: str | None = strawberry.field(description="Who sits on it.")
    meeting_frequency: str | None = strawberry.field(description="How often it meets.")

    @strawberry.field(description="The CTG it governs.")
    async def ctg(self, info: Info) -> Ctg:
        ctg = await load_node(info, Ctg, self.ctg_id)
        assert ctg is not None, "governance_body.ctg_id is a foreign key"
        return ctg

    meetings = edge_field(m.BODY_MEETINGS, "Its meetings, oldest first.")

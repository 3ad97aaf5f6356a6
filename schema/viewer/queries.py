"""`viewer`: the caller, as the service understood its access token."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry

from auth.policy import Scope
from auth.principal import Principal
from db.graph.habilitations import held_by
from db.graph.tasks import tasks
from schema.context import Info
from schema.enums import Role
from schema.errors import InputError
from schema.habilitations.types import Habilitation
from schema.nodes import load_connection, load_node
from schema.relay import After, Before, Connection, First, Last, PageArguments
from schema.today import today
from schema.viewer.tasks import DEFAULT_MONTHS, MAX_MONTHS, Task, task_of

if TYPE_CHECKING:
    from schema.organisations.types import Organisation

OrganisationRef = Annotated["Organisation", strawberry.lazy("schema.organisations.types")]


@strawberry.type(description="A role the caller holds in an organisation, and whether it counts there.")
class ViewerMembership:
    organisation_id: strawberry.Private[int]
    role: Role = strawberry.field(description="The role.")
    counts: bool = strawberry.field(
        description="Whether the role counts in that kind of organisation (a Caf role in a Caf...): one that does "
        "not gives nothing."
    )

    @strawberry.field(description="The organisation it is held in.")
    async def organisation(self, info: Info) -> OrganisationRef | None:
        from schema.organisations.types import Organisation

        return await load_node(info, Organisation, self.organisation_id)


@strawberry.type(description="The caller of this request, as read from its access token; anonymous without one.")
class Viewer:
    authenticated: bool = strawberry.field(description="Whether the request carried a valid access token.")
    issuer: str | None = strawberry.field(description="The token's issuer (iss).")
    subject: str | None = strawberry.field(description="The caller's identifier at its issuer (sub).")
    email: str | None = strawberry.field(description="The caller's e-mail address, when the token gives it.")
    roles: list[str] = strawberry.field(description="Roles the token grants, as the issuer names them.")
    organisation: str | None = strawberry.field(
        description="The organisation the token names: a SIRET, SIREN, Maillage id or Maillage ref, per the "
        "service's settings."
    )
    caf_department: str | None = strawberry.field(description="Department code of the caller's Caf, for Caf staff.")
    memberships: list[ViewerMembership] = strawberry.field(
        description="The roles the caller holds, in which organisations: its token's for the organisation the token "
        "names, and its habilitations in force."
    )
    keys: list[str] = strawberry.field(
        description="The access keys its roles give (`caf:31`, `org:12`...), which the access rules grant "
        "relations to (see the README, Who sees what)."
    )

    @strawberry.field(
        description="The roles Maillage grants the caller, in every organisation, suspended and revoked ones "
        "included: only active, unexpired ones count."
    )
    async def habilitations(
        self, info: Info, first: First = None, after: After = None, last: Last = None, before: Before = None
    ) -> Connection[Habilitation]:
        arguments = PageArguments(first, after, last, before)
        return await load_connection(info, Habilitation, arguments, held_by(self.issuer, self.subject))

    @strawberry.field(
        description="What the caller should see to, soonest first (overdue first): CTGs it reads ending within "
        "`withinMonths` months, open reporting campaigns due by then or overdue whose actions it reads still owe "
        "values, actions awaiting its validation, habilitations it holds or manages expiring by then. At most 100 "
        "of each kind."
    )
    async def tasks(self, info: Info, within_months: int = DEFAULT_MONTHS) -> list[Task]:
        if not 0 <= within_months <= MAX_MONTHS:
            raise InputError("withinMonths", "argument.range", minimum=0, maximum=MAX_MONTHS, value=within_months)
        return [task_of(row) for row in await tasks(info.context.database, today(), within_months)]


@strawberry.type
class ViewerQueries:
    @strawberry.field(description="Who is asking: the identity the service read from the request's access token.")
    def viewer(self, info: Info) -> Viewer:
        return viewer_of(info.context.principal, info.context.access)


def viewer_of(principal: Principal, access: Scope) -> Viewer:
    """The caller as `viewer` shows it (the compiled reads show the same: schema/compiled/planner.py)."""
    identity = principal.identity
    if identity is None:
        return Viewer(
            authenticated=False,
            issuer=None,
            subject=None,
            email=None,
            roles=[],
            organisation=None,
            caf_department=None,
            memberships=[],
            keys=sorted(access.keys),
        )
    return Viewer(
        authenticated=True,
        issuer=identity.issuer,
        subject=identity.subject,
        email=identity.email,
        roles=sorted(identity.roles),
        organisation=identity.organisation[1] if identity.organisation else None,
        caf_department=identity.caf_department,
        memberships=[
            ViewerMembership(organisation_id=m.organisation_id, role=m.role, counts=m.counts)
            for m in principal.memberships
        ],
        keys=sorted(access.keys),
    )

"""The GraphQL type of a habilitation: a role Maillage grants to an identity within an organisation."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, ClassVar

import strawberry

from db.graph import mapping as m
from db.graph.mapping import NodeSpec
from schema.context import Info
from schema.enums import HabilitationStatus, Role
from schema.nodes import edge_field, load_node
from schema.relay import Node

if TYPE_CHECKING:
    from schema.organisations.types import Organisation

OrganisationRef = Annotated["Organisation", strawberry.lazy("schema.organisations.types")]


@strawberry.type(
    description="A role granted by Maillage to an identity (its issuer and subject) within an organisation, for "
    "identity providers that send no roles. Shown to those who manage it (the organisation's admins, the Caf "
    "managers of its department) and to the identity holding it."
)
class Habilitation(Node):
    spec: ClassVar[NodeSpec] = m.HABILITATION
    key: strawberry.Private[Any]
    organisation_id: strawberry.Private[int]
    issuer: str = strawberry.field(description="The identity's provider, as its tokens name it (iss).")
    subject: str = strawberry.field(description="The identity at that provider (sub).")
    email: str | None = strawberry.field(description="The person's e-mail address, as given when granted.")
    role: Role = strawberry.field(description="The role granted.")
    status: HabilitationStatus = strawberry.field(
        description="Active (it counts from the identity's next request on), suspended or revoked (final)."
    )
    granted_by: str | None = strawberry.field(description="The subject of the person who granted it.")
    expires_at: datetime | None = strawberry.field(description="When it stops counting; null: never.")
    created_at: datetime = strawberry.field(description="When it was granted.")
    updated_at: datetime = strawberry.field(description="Last change of this row.")
    version: int = strawberry.field(description="Row version, for optimistic concurrency.")

    @strawberry.field(description="The organisation the role is held in; null if the caller may not see it.")
    async def organisation(self, info: Info) -> OrganisationRef | None:
        from schema.organisations.types import Organisation

        return await load_node(info, Organisation, self.organisation_id)

    history = edge_field(m.HABILITATION_HISTORY, "Every recorded change of this habilitation, oldest first.")

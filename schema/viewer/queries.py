"""`viewer`: the caller, as the service understood its access token."""

from __future__ import annotations

import strawberry

from schema.context import Info


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


@strawberry.type
class ViewerQueries:
    @strawberry.field(description="Who is asking: the identity the service read from the request's access token.")
    def viewer(self, info: Info) -> Viewer:
        identity = info.context.identity
        if identity is None:
            return Viewer(
                authenticated=False,
                issuer=None,
                subject=None,
                email=None,
                roles=[],
                organisation=None,
                caf_department=None,
            )
        return Viewer(
            authenticated=True,
            issuer=identity.issuer,
            subject=identity.subject,
            email=identity.email,
            roles=sorted(identity.roles),
            organisation=identity.organisation[1] if identity.organisation else None,
            caf_department=identity.caf_department,
        )

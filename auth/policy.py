"""The access policy: what a Principal may see, as a Scope, and the field rules.

One place decides. The Scope is handed to PostgreSQL as per-transaction settings, which the row-level
security policies of migration 0004 read, and the application's own queries filter by the same
visibility functions, so that a connection that bypassed row-level security would still be scoped.

Who sees what:
- anonymous: the territory reference and published national and departmental schemes;
- association member: the CTGs its organisation carries, partners or signs in, the actions it carries
  or partners;
- EPCI / commune staff: the CTGs covering their territory and all their actions;
- co-signatory institution: the schemes and CTGs it signed, and their actions;
- Caf agent / manager: everything within their Caf's department;
- Cnaf analyst or manager: everything.

Who changes what (enforced again by the write policies of db migration 0008):
- actions: created in a CTG by its Caf or its local authority, who change them fully; their carrier
  changes their description and progress, reports indicator values and moves them along the workflow
  as `db.writes.workflow` allows;
- schemes and CTGs: the Caf of their department (CPOGs excepted); national schemes and CPOGs: Cnaf managers;
- organisations: created by a Caf (in its department) or a Cnaf manager, Cafs by Cnaf managers only;
  changed by them, while an organisation's admins change only its contact data;
- habilitations: an organisation's admins within it, a Caf's managers within its department, and nobody
  confers a role more powerful than one they hold (`confers`).
A role only counts in an organisation of the kind it belongs to (a Caf role in a Caf...), whatever
a token claims, and is never granted where it would not count.
"""

from __future__ import annotations

from dataclasses import dataclass

from auth.principal import Membership, Principal
from db.models.enums import OrganisationKind, Role

_LOCAL_AUTHORITIES = {OrganisationKind.EPCI.value, OrganisationKind.COMMUNE.value}
# Which organisation kinds each role makes sense in; anything else is ignored.
_ROLE_KINDS: dict[Role, set[str] | None] = {
    Role.CNAF_ANALYST: {OrganisationKind.CNAF.value},
    Role.CNAF_MANAGER: {OrganisationKind.CNAF.value},
    Role.CAF_AGENT: {OrganisationKind.CAF.value},
    Role.CAF_MANAGER: {OrganisationKind.CAF.value},
    Role.LOCAL_AUTHORITY_STAFF: _LOCAL_AUTHORITIES,
    Role.ASSOCIATION_MEMBER: None,
    Role.COSIGNATORY: None,
    Role.ORGANISATION_ADMIN: None,
}


@dataclass(frozen=True)
class Scope:
    """What a caller may read, in the terms PostgreSQL's visibility functions take."""

    national: bool = False
    caf_departments: frozenset[str] = frozenset()
    organisations: frozenset[int] = frozenset()
    local_epcis: frozenset[str] = frozenset()
    local_communes: frozenset[str] = frozenset()
    cosignatories: frozenset[int] = frozenset()
    # What it may change, beyond what the read scope implies (see db migration 0008).
    national_editor: bool = False
    managed_departments: frozenset[str] = frozenset()
    administered_organisations: frozenset[int] = frozenset()
    # Who it is: the owner of its idempotency keys.
    issuer: str = ""
    subject: str = ""

    def settings(self) -> dict[str, str]:
        """The `maillage.*` settings of a transaction run for this scope."""
        return {
            "maillage.national": "true" if self.national else "false",
            "maillage.caf_departments": ",".join(sorted(self.caf_departments)),
            "maillage.organisations": ",".join(str(i) for i in sorted(self.organisations)),
            "maillage.local_epcis": ",".join(sorted(self.local_epcis)),
            "maillage.local_communes": ",".join(sorted(self.local_communes)),
            "maillage.cosignatories": ",".join(str(i) for i in sorted(self.cosignatories)),
            "maillage.national_editor": "true" if self.national_editor else "false",
            "maillage.managed_departments": ",".join(sorted(self.managed_departments)),
            "maillage.administered_organisations": ",".join(str(i) for i in sorted(self.administered_organisations)),
            "maillage.issuer": self.issuer,
            "maillage.subject": self.subject,
        }

    @property
    def sees_every_budget(self) -> bool:
        """Caf and Cnaf staff see every visible action's budget and Caf funding."""
        return self.national or bool(self.caf_departments)


def effective(membership: Membership) -> bool:
    kinds = _ROLE_KINDS[membership.role]
    return kinds is None or membership.organisation_kind in kinds


def scope_of(principal: Principal) -> Scope:
    memberships = [membership for membership in principal.memberships if effective(membership)]
    return Scope(
        national=any(m.role in (Role.CNAF_ANALYST, Role.CNAF_MANAGER) for m in memberships),
        caf_departments=frozenset(
            m.department_code for m in memberships if m.role in (Role.CAF_AGENT, Role.CAF_MANAGER) and m.department_code
        ),
        organisations=frozenset(m.organisation_id for m in memberships),
        local_epcis=frozenset(
            m.epci_siren
            for m in memberships
            if m.role is Role.LOCAL_AUTHORITY_STAFF and m.organisation_kind == "epci" and m.epci_siren
        ),
        local_communes=frozenset(
            m.commune_insee_code
            for m in memberships
            if m.role is Role.LOCAL_AUTHORITY_STAFF and m.organisation_kind == "commune" and m.commune_insee_code
        ),
        cosignatories=frozenset(m.organisation_id for m in memberships if m.role is Role.COSIGNATORY),
        national_editor=any(m.role is Role.CNAF_MANAGER for m in memberships),
        managed_departments=frozenset(
            m.department_code for m in memberships if m.role is Role.CAF_MANAGER and m.department_code
        ),
        administered_organisations=frozenset(
            m.organisation_id for m in memberships if m.role is Role.ORGANISATION_ADMIN
        ),
        issuer=principal.identity.issuer if principal.identity else "",
        subject=principal.identity.subject if principal.identity else "",
    )


ANONYMOUS_SCOPE = Scope()

# What the carrier of an action may change on it; the Caf and the local authority may change everything.
CARRIER_ACTION_FIELDS = frozenset({"description", "progress"})

# What an organisation's own admins may change on it: how to reach it. Its Caf and Cnaf managers change the rest.
ORGANISATION_CONTACT_FIELDS = frozenset({"email", "website"})
# The Caf network is national: only Cnaf managers add a Caf. The Cnaf is one and is never created.
NATIONAL_ORGANISATION_KINDS = frozenset({OrganisationKind.CAF.value})


@dataclass(frozen=True)
class Denial:
    """Why the caller may not make a change: the input field at fault (snake_case), and why, for a person."""

    field: str | None
    message: str


def organisation_creation_denial(scope: Scope, kind: str, department_code: str | None) -> Denial | None:
    """None when the caller may create an organisation of `kind` in `department_code` (None: no department)."""
    if scope.national_editor:
        return None
    if kind in NATIONAL_ORGANISATION_KINDS:
        return Denial("kind", f"only Cnaf managers create an organisation of kind {kind}")
    if not scope.caf_departments:
        return Denial(None, "only a Caf (in its department) or a Cnaf manager creates organisations")
    if department_code not in scope.caf_departments:
        return Denial("department_id", "a Caf creates organisations in its own department only")
    return None


@dataclass(frozen=True)
class Place:
    """Where an organisation stands, as the habilitation rules need it."""

    organisation_id: int
    kind: str
    department_code: str | None


def role_fits(role: Role, kind: str) -> bool:
    """Whether `role` would count in an organisation of `kind` (see `effective`)."""
    kinds = _ROLE_KINDS[role]
    return kinds is None or kind in kinds


def manages_habilitations(scope: Scope, place: Place) -> bool:
    """An organisation's admins manage its habilitations, and a Caf's managers those of their department."""
    return place.organisation_id in scope.administered_organisations or (
        place.department_code is not None and place.department_code in scope.managed_departments
    )


def _confers(held: Membership, role: Role, place: Place) -> bool:
    """Whether holding `held` lets one confer `role` in the organisation at `place`."""
    if held.role is Role.CNAF_MANAGER:
        return True
    if role in (Role.CNAF_ANALYST, Role.CNAF_MANAGER):
        return False
    same_department = held.department_code is not None and held.department_code == place.department_code
    if role is Role.CAF_MANAGER:
        return held.role is Role.CAF_MANAGER and same_department
    if role is Role.CAF_AGENT:
        return held.role in (Role.CAF_AGENT, Role.CAF_MANAGER) and same_department
    if role is Role.LOCAL_AUTHORITY_STAFF:
        in_place = held.role is Role.LOCAL_AUTHORITY_STAFF and held.organisation_id == place.organisation_id
        return in_place or (held.role is Role.CAF_MANAGER and same_department)
    # The other roles reach no further than the organisation itself: its managers confer them.
    return True


def confers(principal: Principal, role: Role, place: Place) -> bool:
    """Nobody confers a role more powerful than one they hold: Cnaf roles take a Cnaf manager; Caf roles, a
    Caf manager of that department (an agent confers the agent role); local authority staff, one of its
    own staff or the Caf manager of its department. Granting, reinstating, suspending and revoking alike."""
    return any(effective(held) and _confers(held, role, place) for held in principal.memberships)

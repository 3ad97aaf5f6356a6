"""Who may read and change what in Maillage: the access rules, stated once.

Everything about access is said here, as data; nothing here runs a query. PostgreSQL's row-level security
policies and the application's own conditions, capability checks and refusal messages are all generated from
these tables (`db/policies/`), so that the two layers cannot disagree.

The model is one of keys and relations, as in relationship-based access control:

- A caller holds **keys**: `caf:31` (staff of the Caf of department 31), `org:12` (a member of organisation 12),
  `epci:200046977` (staff of that EPCI)... `ROLES` says which keys each role gives in an organisation of each
  kind. Everyone, anonymous callers included, holds `public`.
- An object (action, scheme, organisation) **grants** each of its relations to keys: the action's carrier is
  `org:<carrier>` in relation CARRIER, its CTG's Caf is `caf:<department>` in relation CAF... The relations of
  every object are kept in grant tables by the database (`db/policies/grants.py`), so that "may this caller
  read this row" is one indexed probe, whatever the size of the tables.
- A **permission** is a set of relations: a caller may read an action if it holds a key the action grants in
  any relation; it may change every field of it if it holds one granted as CAF or LOCAL_AUTHORITY.

Who relates how (the grants):

- actions: CAF — the Caf of its CTG's department; LOCAL_AUTHORITY — the CTG's signatory local authority (the
  EPCI of an EPCI-scoped CTG, each listed commune of a communes-scoped one, the departmental council of a
  department-scoped one); TERRITORY — the other local authorities whose territory the CTG covers (the member
  communes of its EPCI, the EPCI of a listed commune, every local authority of its department); CARRIER;
  PARTNER; COSIGNATORY — the cosignatory staff of the CTG's signatories.
- schemes and CTGs: PUBLIC — published national and departmental schemes that are not drafts; CAF — the Caf
  of its department; STEWARD — who changes it (the Caf of its department; the Cnaf's managers for national
  schemes and CPOGs); LOCAL_AUTHORITY and TERRITORY, as for actions, for CTGs and CEJs; SIGNATORY — the
  members of its signatories; PARTICIPANT — the members of the carriers and partners of its live actions.
- organisations: PUBLIC — the Cafs, the Cnaf and the signatories of live published schemes; MEMBER; CAF — the
  Caf of its department; TERRITORY — the staff of the EPCI or commune where it lies; RELATED — whoever reads a
  live action it carries or partners, or a live scheme it signs or coordinates.

Cnaf staff (`national`) read everything. Archived rows and the children of archived rows leave every read; a
signature still names the organisation that signed, archived or not.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from db.models.enums import OrganisationKind as Kind
from db.models.enums import Role


class Key(StrEnum):
    """The kinds of keys callers hold and objects grant: `<kind>` or `<kind>:<value>`."""

    PUBLIC = "public"  # everyone
    NATIONAL = "national"  # Cnaf staff: they read everything
    CNAF_EDITOR = "cnaf-editor"  # the Cnaf's managers: national schemes, CPOGs, the organisations register
    CAF = "caf"  # :department — staff of the Caf of that department
    CAF_MANAGER = "caf-manager"  # :department — its managers, who manage habilitations there
    ORGANISATION = "org"  # :id — a member of the organisation, whatever the role
    COSIGNATORY = "cosig"  # :id — acts for the organisation as a cosignatory of what it signed
    ADMIN = "admin"  # :id — the organisation's admins: its contact data and habilitations
    EPCI = "epci"  # :siren — staff of the EPCI itself
    EPCI_AREA = "epci-area"  # :siren — staff of the EPCI or of one of its member communes
    COMMUNE = "commune"  # :insee — staff of the commune itself
    DEPARTMENT_AREA = "dep-area"  # :department — staff of a local authority of the department
    COUNCIL = "council"  # :department — staff of the departmental council


def key(kind: Key, value: object | None = None) -> str:
    return kind.value if value is None else f"{kind.value}:{value}"


PUBLIC_KEY = key(Key.PUBLIC)
NATIONAL_KEY = key(Key.NATIONAL)
CNAF_EDITOR_KEY = key(Key.CNAF_EDITOR)


class Fact(StrEnum):
    """What a role's keys are made of: facts about the organisation the role is held in."""

    ID = "id"
    DEPARTMENT = "department"  # organisation.department_code
    EPCI = "epci"  # organisation.epci_siren
    COMMUNE = "commune"  # organisation.commune_insee_code
    COMMUNE_EPCI = "commune_epci"  # the EPCI its commune belongs to
    EPCI_DEPARTMENTS = "epci_departments"  # every department its EPCI has member communes in (several keys)


KeyTemplate = tuple[Key, Fact | None]
ANY_KIND = "*"


@dataclass(frozen=True)
class RoleRule:
    """Where a role counts (organisation kinds; None: any) and the keys it gives there, by organisation kind."""

    kinds: frozenset[str] | None
    keys: Mapping[str, tuple[KeyTemplate, ...]]

    def fits(self, kind: str) -> bool:
        return self.kinds is None or kind in self.kinds

    def templates(self, kind: str) -> tuple[KeyTemplate, ...]:
        if not self.fits(kind):
            return ()
        return (*EVERY_MEMBERSHIP, *self.keys.get(kind, self.keys.get(ANY_KIND, ())))


# Every membership that counts makes its holder a member of the organisation.
EVERY_MEMBERSHIP: tuple[KeyTemplate, ...] = ((Key.ORGANISATION, Fact.ID),)

_CAF = frozenset({Kind.CAF.value})
_CNAF = frozenset({Kind.CNAF.value})
LOCAL_AUTHORITY_KINDS = frozenset({Kind.EPCI.value, Kind.COMMUNE.value, Kind.DEPARTMENTAL_COUNCIL.value})

# A role only counts in an organisation of a kind it belongs to (a Caf role in a Caf...), whatever a token says.
ROLES: dict[Role, RoleRule] = {
    Role.CNAF_ANALYST: RoleRule(_CNAF, {ANY_KIND: ((Key.NATIONAL, None),)}),
    Role.CNAF_MANAGER: RoleRule(_CNAF, {ANY_KIND: ((Key.NATIONAL, None), (Key.CNAF_EDITOR, None))}),
    Role.CAF_AGENT: RoleRule(_CAF, {ANY_KIND: ((Key.CAF, Fact.DEPARTMENT),)}),
    Role.CAF_MANAGER: RoleRule(_CAF, {ANY_KIND: ((Key.CAF, Fact.DEPARTMENT), (Key.CAF_MANAGER, Fact.DEPARTMENT))}),
    Role.LOCAL_AUTHORITY_STAFF: RoleRule(
        LOCAL_AUTHORITY_KINDS,
        {
            Kind.EPCI.value: (
                (Key.EPCI, Fact.EPCI),
                (Key.EPCI_AREA, Fact.EPCI),
                (Key.DEPARTMENT_AREA, Fact.EPCI_DEPARTMENTS),
            ),
            Kind.COMMUNE.value: (
                (Key.COMMUNE, Fact.COMMUNE),
                (Key.EPCI_AREA, Fact.COMMUNE_EPCI),
                (Key.DEPARTMENT_AREA, Fact.DEPARTMENT),
            ),
            Kind.DEPARTMENTAL_COUNCIL.value: ((Key.COUNCIL, Fact.DEPARTMENT), (Key.DEPARTMENT_AREA, Fact.DEPARTMENT)),
        },
    ),
    Role.ASSOCIATION_MEMBER: RoleRule(None, {}),
    Role.COSIGNATORY: RoleRule(None, {ANY_KIND: ((Key.COSIGNATORY, Fact.ID),)}),
    Role.ORGANISATION_ADMIN: RoleRule(None, {ANY_KIND: ((Key.ADMIN, Fact.ID),)}),
}

# The Caf a token's `caf` claim names counts only for these roles, and only when the token names no
# organisation or names that Caf itself: the claim says which Caf a Caf's staff works for, nothing more.
CAF_CLAIM_ROLES = frozenset({Role.CAF_AGENT, Role.CAF_MANAGER})


class Relation(StrEnum):
    """How the holder of a key relates to an object (see the module's docstring)."""

    PUBLIC = "public"
    MEMBER = "member"
    CAF = "caf"
    STEWARD = "steward"
    LOCAL_AUTHORITY = "local_authority"
    TERRITORY = "territory"
    CARRIER = "carrier"
    MANAGER = "manager"
    PARTNER = "partner"
    SIGNATORY = "signatory"
    COSIGNATORY = "cosignatory"
    PARTICIPANT = "participant"
    RELATED = "related"


# Who the relations are, for a person reading a refusal.
WHO: dict[Relation, str] = {
    Relation.CAF: "the Caf of the department",
    Relation.STEWARD: "the Caf of the department (the Cnaf's managers for national schemes and CPOGs)",
    Relation.LOCAL_AUTHORITY: "the CTG's local authority",
    Relation.CARRIER: "the action's carrier",
    Relation.MANAGER: "the facility's manager",
}


def who(relations: frozenset[Relation]) -> str:
    """The people a permission names, in words: 'the Caf of the department or the CTG's local authority'."""
    names = [WHO[relation] for relation in Relation if relation in relations and relation in WHO]
    return " or ".join(names) if names else "nobody"


class Grantor(StrEnum):
    """The objects whose relations are kept in grant tables, by table name."""

    ACTION = "action"
    SCHEME = "scheme"
    ORGANISATION = "organisation"
    FACILITY = "facility"


ANY_RELATION = frozenset(Relation)


class Can(StrEnum):
    """What a permission lets one do."""

    READ = "read"
    SEE_BUDGET = "see_budget"  # an action's budget and Caf funding
    CHANGE = "change"  # an action: any of its fields the caller may change (a carrier, CARRIER_FIELDS only)
    CHANGE_EVERY_FIELD = "change_every_field"
    PLAN = "plan"  # an action's partners, objectives served, indicators; archiving it
    REPORT = "report"  # an action's indicator values
    VALIDATE = "validate"  # an action submitted for validation: validate or reject it
    ABANDON_VALIDATED = "abandon_validated"  # give up a validated action before it starts
    CREATE_ACTION = "create_action"  # a CTG: create actions in its plan
    STEWARD = "steward"  # a scheme or CTG and its parts: change, sign, archive; a facility: change, archive
    FUND = "fund"  # an action's or a facility's Caf funding lines, and every line's granted amount
    SEE_DETAILS = "see_details"  # a facility beyond its public data (name, kind, commune, capacity)
    CHANGE_CONTACT = "change_contact"  # a facility's contact data
    RECORD_MEETING = "record_meeting"  # a CTG: its governance bodies' meetings and their decisions


PERMISSIONS: dict[Grantor, dict[Can, frozenset[Relation]]] = {
    Grantor.ACTION: {
        Can.READ: ANY_RELATION,
        Can.SEE_BUDGET: frozenset({Relation.CAF, Relation.LOCAL_AUTHORITY, Relation.CARRIER}),
        Can.CHANGE: frozenset({Relation.CAF, Relation.LOCAL_AUTHORITY, Relation.CARRIER}),
        Can.CHANGE_EVERY_FIELD: frozenset({Relation.CAF, Relation.LOCAL_AUTHORITY}),
        Can.PLAN: frozenset({Relation.CAF, Relation.LOCAL_AUTHORITY}),
        Can.REPORT: frozenset({Relation.CAF, Relation.LOCAL_AUTHORITY, Relation.CARRIER}),
        Can.VALIDATE: frozenset({Relation.CAF}),
        Can.ABANDON_VALIDATED: frozenset({Relation.CAF, Relation.LOCAL_AUTHORITY}),
        Can.FUND: frozenset({Relation.CAF}),
    },
    Grantor.SCHEME: {
        Can.READ: ANY_RELATION,
        Can.CREATE_ACTION: frozenset({Relation.CAF, Relation.LOCAL_AUTHORITY}),
        Can.STEWARD: frozenset({Relation.STEWARD}),
        Can.RECORD_MEETING: frozenset({Relation.CAF, Relation.LOCAL_AUTHORITY}),
    },
    Grantor.ORGANISATION: {Can.READ: ANY_RELATION},
    Grantor.FACILITY: {
        Can.READ: ANY_RELATION,
        Can.SEE_DETAILS: ANY_RELATION - {Relation.PUBLIC},
        Can.SEE_BUDGET: frozenset({Relation.CAF, Relation.MANAGER}),
        Can.STEWARD: frozenset({Relation.CAF}),
        Can.FUND: frozenset({Relation.CAF}),
        Can.CHANGE_CONTACT: frozenset({Relation.CAF, Relation.MANAGER}),
    },
}

# What an action's carrier may change on it (Can.CHANGE without Can.CHANGE_EVERY_FIELD).
CARRIER_ACTION_FIELDS = frozenset({"description", "progress"})
# What a facility's manager may change on it (Can.CHANGE_CONTACT without Can.STEWARD).
FACILITY_CONTACT_FIELDS = frozenset({"email", "phone"})


def allowed(grantor: Grantor, can: Can) -> frozenset[Relation]:
    return PERMISSIONS[grantor][can]


def read_only(grantor: Grantor) -> frozenset[Relation]:
    """The relations that let one read the object and nothing more."""
    granting = set().union(*(relations for can, relations in PERMISSIONS[grantor].items() if can is not Can.READ))
    return frozenset(relation for relation in Relation if relation not in granting)


def dominating(grantor: Grantor, relation: Relation) -> frozenset[Relation]:
    """The relations that let one do at least what `relation` lets one do on the object."""
    permissions = PERMISSIONS[grantor]
    needed = {can for can, relations in permissions.items() if relation in relations}
    return frozenset(
        other
        for other in Relation
        if all(other in relations for can, relations in permissions.items() if can in needed)
    )


# Organisations and habilitations are changed by keys their own columns name, not by grants.
# Organisations: the Cnaf's managers, or the Caf of the organisation's department for kinds other than these.
NETWORK_KINDS = frozenset({Kind.CAF.value, Kind.CNAF.value})
# ...and an organisation's admins change how to reach it.
ORGANISATION_CONTACT_FIELDS = frozenset({"email", "website"})

# Reporting campaigns, too, by keys their own columns name: the Caf of their department opens and runs them, the
# Cnaf's managers any (a national campaign, with no department, is theirs alone). Everyone reads a campaign's
# scope, period and deadline; its figures count only the actions the caller reads.

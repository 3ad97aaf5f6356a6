# ruff: noqa: S608 (SQL built from this module's fragments and literals checked in Scope.__post_init__)
"""What each kind of caller may see, written once as SQL conditions for the floors.

These are the target rules of access, written plainly, for the floors to encode as WHERE clauses run by the
database owner (who is not bound by row-level security): the service's answers for a persona are checked
equal to them. A caller holds one or several of these parts, and sees the union of what they give:

- **national** (Cnaf staff): every row not archived;
- **member of organisation O** (any role): the actions O carries (`action.carrier_id`) or partners
  (`action_partner`); the CTGs where O carries or partners an action that is not archived, or that O signed;
- **cosignatory in O**: besides, the actions of the CTGs O signed;
- **Caf staff of department D**: the actions of the CTGs whose scheme row has `department_code = D`; the
  schemes of department D;
- **local authority staff of EPCI X**: the CTGs covering X's territory (EPCI-scoped on X, communes-scoped
  listing a commune of X, department-scoped in a department where X has communes) and all their actions;
- **everyone**: the published schemes (national and departmental kinds, not drafts); the open facilities'
  public data;
- **facilities** beyond that: their Caf (department D), their manager's members, the staff of their EPCI.

Budgets and Caf funding are shown to Cnaf staff, to the Caf staff of the action's CTG's department, to the
members of the carrier, and to the staff of the local authority that signed the CTG (the EPCI of an
EPCI-scoped CTG). Organisations: the Cafs and the Cnaf, the signatories of published schemes, one's own,
for Caf staff those of the department, for EPCI staff those of the EPCI or of its communes, and those the
visible rows name (carriers and partners of visible actions, signatories and coordinators of visible
schemes, managers of the facilities it sees beyond their public data). A count about a department (statistics)
is shown to those who see it whole (Cnaf staff, its Caf's staff), null to the others. Archived actions, schemes
and organisations are never shown.

Values are written into the SQL as literals: they come from the database (ids, department codes, SIRENs)
and are checked against their formats first; a plain literal also gives the planner what a bind parameter
would hide from a generic plan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import asyncpg

from auth.dev_personas import Persona
from db.models.enums import Role

PUBLISHED_KINDS = ("COG", "CPOG", "SDSF", "SDAVS", "EDUCATION_CHARTER")
_DEPARTMENT = re.compile(r"^[0-9][0-9AB][0-9]?$")
_SIREN = re.compile(r"^[0-9]{9}$")


class ScopeError(Exception):
    """A persona's organisation is not in the database (load the demo first)."""


@dataclass(frozen=True)
class Scope:
    """What one caller holds, in the terms of the rules above."""

    national: bool = False
    organisation: int | None = None  # member of it, whatever the role
    cosignatory: bool = False  # the role in `organisation` is cosignatory
    caf_department: str | None = None
    local_epci: str | None = None

    def __post_init__(self) -> None:
        if self.caf_department is not None and not _DEPARTMENT.match(self.caf_department):
            raise ValueError(f"not a department code: {self.caf_department!r}")
        if self.local_epci is not None and not _SIREN.match(self.local_epci):
            raise ValueError(f"not an EPCI SIREN: {self.local_epci!r}")
        if self.cosignatory and self.organisation is None:
            raise ValueError("a cosignatory acts for an organisation")

    def describe(self) -> str:
        if self.national:
            return "Cnaf staff: every row not archived"
        parts = []
        if self.caf_department:
            parts.append(f"Caf staff of department {self.caf_department}")
        if self.local_epci:
            parts.append(f"staff of EPCI {self.local_epci}")
        if self.organisation is not None:
            role = "cosignatory for" if self.cosignatory else "member of"
            parts.append(f"{role} organisation {self.organisation}")
        return "; ".join(parts) or "anonymous"

    # --- the fragments, each a boolean SQL expression on the row aliased as given ---------------------

    def scheme_visible(self, s: str) -> str:
        """The scheme row `s` (a CTG's included) is visible."""
        if self.national:
            return f"{s}.archived_at IS NULL"
        return f"({s}.archived_at IS NULL AND ({_or(self._scheme_parts(s))}))"

    def action_visible(self, a: str) -> str:
        """The action row `a` is visible."""
        if self.national:
            return f"{a}.archived_at IS NULL"
        ids = self._action_ids()
        return f"({a}.archived_at IS NULL AND {a}.id IN ({_union(ids)}))" if ids else "false"

    def budget_shown(self, a: str) -> str:
        """The budget and Caf funding of the visible action `a` are shown."""
        if self.national:
            return "true"
        parts = []
        if self.caf_department:
            parts.append(f"{a}.ctg_id IN ({_department_schemes(self.caf_department)})")
        if self.organisation is not None:
            parts.append(f"{a}.carrier_id = {self.organisation}")
        if self.local_epci:
            parts.append(
                f"{a}.ctg_id IN (SELECT signed.id FROM scheme AS signed "
                f"WHERE signed.scope = 'epci' AND signed.epci_siren = '{self.local_epci}')"
            )
        return _or(parts) if parts else "false"

    def department_seen_whole(self, code: str) -> str:
        """The caller sees every CTG and action of the department whose code is the SQL `code`: a count of them
        is shown to it (elsewhere it would count only what the caller happens to see: null instead)."""
        if self.national:
            return "true"
        return f"({code} = '{self.caf_department}')" if self.caf_department else "false"

    def organisation_visible(self, o: str) -> str:
        """The organisation row `o` is visible."""
        if self.national:
            return f"{o}.archived_at IS NULL"
        ids = [
            "SELECT staff.id FROM organisation AS staff WHERE staff.kind IN ('caf', 'cnaf')",
            "SELECT pub_sig.organisation_id FROM signature AS pub_sig "
            f"JOIN scheme AS pub ON pub.id = pub_sig.scheme_id WHERE {_published('pub')}",
        ]
        if self.organisation is not None:
            ids.append(f"SELECT {self.organisation}::bigint")
        if self.caf_department:
            ids.append(f"SELECT dep.id FROM organisation AS dep WHERE dep.department_code = '{self.caf_department}'")
        if self.local_epci:
            ids += [
                f"SELECT loc.id FROM organisation AS loc WHERE loc.epci_siren = '{self.local_epci}'",
                "SELECT loc_c.id FROM organisation AS loc_c WHERE loc_c.commune_insee_code IN "
                f"(SELECT c.insee_code FROM commune AS c WHERE c.epci_siren = '{self.local_epci}')",
            ]
        ids += [
            f"SELECT seen_a.carrier_id FROM action AS seen_a WHERE {self.action_visible('seen_a')}",
            "SELECT seen_p.organisation_id FROM action_partner AS seen_p "
            f"JOIN action AS seen_pa ON seen_pa.id = seen_p.action_id WHERE {self.action_visible('seen_pa')}",
            "SELECT seen_g.organisation_id FROM signature AS seen_g "
            f"JOIN scheme AS seen_gs ON seen_gs.id = seen_g.scheme_id WHERE {self.scheme_visible('seen_gs')}",
            "SELECT seen_c.coordinator_organisation_id FROM ctg AS seen_c "
            f"JOIN scheme AS seen_cs ON seen_cs.id = seen_c.scheme_id WHERE {self.scheme_visible('seen_cs')}",
            "SELECT seen_f.manager_id FROM facility AS seen_f "
            f"WHERE seen_f.archived_at IS NULL AND {self.facility_details_shown('seen_f')}",
        ]
        return f"({o}.archived_at IS NULL AND {o}.id IN ({_union(ids)}))"

    def facility_visible(self, f: str) -> str:
        """The facility row `f` is visible: an open one to everyone (its public data), any to its Caf, its
        manager's members and the staff of its EPCI."""
        if self.national:
            return f"{f}.archived_at IS NULL"
        return f"({f}.archived_at IS NULL AND ({f}.status = 'open' OR {self.facility_details_shown(f)}))"

    def facility_details_shown(self, f: str) -> str:
        """The visible facility `f` is shown beyond its public data (name, kind, commune, capacity)."""
        if self.national:
            return "true"
        parts = []
        if self.caf_department:
            parts.append(f"{f}.department_code = '{self.caf_department}'")
        if self.organisation is not None:
            parts.append(f"{f}.manager_id = {self.organisation}")
        if self.local_epci:
            parts.append(f"{f}.epci_siren = '{self.local_epci}'")
        return f"({_or(parts)})" if parts else "false"

    # --- what it may change (the write workloads' targets) ----------------------------------------------

    def action_progress_changeable(self, a: str) -> str:
        """The caller may change the progress of action `a`: its Caf, its CTG's local authority, its carrier;
        neither it nor its CTG archived."""
        parts = []
        if self.caf_department:
            parts.append(f"{a}.ctg_id IN ({_department_schemes(self.caf_department)})")
        if self.local_epci:
            parts.append(f"{a}.ctg_id IN ({_local_ctgs(self.local_epci)})")
        if self.organisation is not None:
            parts.append(f"{a}.carrier_id = {self.organisation}")
        if not parts:
            return "false"
        live_ctg = f"{a}.ctg_id IN (SELECT live.id FROM scheme AS live WHERE live.archived_at IS NULL)"
        return f"({a}.archived_at IS NULL AND {live_ctg} AND ({_or(parts)}))"

    def ctg_creatable(self, s: str) -> str:
        """The caller may create actions in the CTG of scheme row `s`: its Caf, its local authority."""
        parts = []
        if self.caf_department:
            parts.append(f"{s}.department_code = '{self.caf_department}'")
        if self.local_epci:
            parts.append(f"{s}.id IN ({_local_ctgs(self.local_epci)})")
        if not parts:
            return "false"
        return f"({s}.kind = 'CTG' AND {s}.archived_at IS NULL AND ({_or(parts)}))"

    # --- the parts ------------------------------------------------------------------------------------

    def _scheme_parts(self, s: str) -> list[str]:
        parts = [_published(s)]
        if self.caf_department:
            parts.append(f"{s}.department_code = '{self.caf_department}'")
        if self.local_epci:
            parts.append(f"{s}.id IN ({_local_ctgs(self.local_epci)})")
        if self.organisation is not None:
            o = self.organisation
            parts += [
                f"{s}.id IN (SELECT carried.ctg_id FROM action AS carried "
                f"WHERE carried.carrier_id = {o} AND carried.archived_at IS NULL)",
                f"{s}.id IN (SELECT partnered.ctg_id FROM action_partner AS partner "
                f"JOIN action AS partnered ON partnered.id = partner.action_id "
                f"WHERE partner.organisation_id = {o} AND partnered.archived_at IS NULL)",
                f"{s}.id IN (SELECT own_sig.scheme_id FROM signature AS own_sig WHERE own_sig.organisation_id = {o})",
            ]
        return parts

    def _action_ids(self) -> list[str]:
        """The ids of the actions each part reaches, one SELECT per part (each answered by an index)."""
        ids = []
        if self.caf_department:
            schemes = _department_schemes(self.caf_department)
            ids.append(f"SELECT by_caf.id FROM action AS by_caf WHERE by_caf.ctg_id IN ({schemes})")
        if self.local_epci:
            ids.append(
                f"SELECT by_local.id FROM action AS by_local WHERE by_local.ctg_id IN ({_local_ctgs(self.local_epci)})"
            )
        if self.organisation is not None:
            o = self.organisation
            ids += [
                f"SELECT carried.id FROM action AS carried WHERE carried.carrier_id = {o}",
                f"SELECT partner.action_id FROM action_partner AS partner WHERE partner.organisation_id = {o}",
            ]
            if self.cosignatory:
                ids.append(
                    "SELECT cosigned_a.id FROM action AS cosigned_a WHERE cosigned_a.ctg_id IN "
                    f"(SELECT cosigned.scheme_id FROM signature AS cosigned WHERE cosigned.organisation_id = {o})"
                )
        return ids


def _or(parts: list[str]) -> str:
    return " OR ".join(parts)


def _union(selects: list[str]) -> str:
    """One set of ids from several SELECTs: an `IN` over it lets the planner start from each part's index
    rather than test every row of the table against each part."""
    return " UNION ALL ".join(selects)


def _published(s: str) -> str:
    kinds = ", ".join(f"'{kind}'" for kind in PUBLISHED_KINDS)
    return f"({s}.kind IN ({kinds}) AND {s}.status <> 'draft')"


def _department_schemes(department: str) -> str:
    return f"SELECT in_department.id FROM scheme AS in_department WHERE in_department.department_code = '{department}'"


def _local_ctgs(epci: str) -> str:
    """The CTGs covering EPCI `epci`: scoped on it, listing one of its communes, or of a department it is in."""
    return (
        "SELECT covering.id FROM scheme AS covering WHERE covering.kind = 'CTG' AND ("
        f"(covering.scope = 'epci' AND covering.epci_siren = '{epci}')"
        " OR (covering.scope = 'communes' AND covering.id IN (SELECT listed.scheme_id FROM scheme_commune AS listed"
        " JOIN commune AS listed_c ON listed_c.insee_code = listed.commune_insee_code"
        f" WHERE listed_c.epci_siren = '{epci}'))"
        " OR (covering.scope = 'department' AND covering.department_code IN"
        f" (SELECT member.department_code FROM commune AS member WHERE member.epci_siren = '{epci}')))"
    )


async def of_persona(connection: asyncpg.Connection, persona: Persona) -> Scope:
    """The scope a development persona's token gives, its organisation read from the database."""
    row = await connection.fetchrow(
        "SELECT id, kind, department_code, epci_siren FROM organisation WHERE ref = $1", persona.organisation
    )
    if row is None:
        raise ScopeError(
            f"persona {persona.name}: organisation {persona.organisation!r} is not in the database "
            "(run `maillage load-demo` before `bench.generate`)"
        )
    roles = set(persona.roles)
    if roles & {Role.CNAF_ANALYST, Role.CNAF_MANAGER} and row["kind"] == "cnaf":
        return Scope(national=True, organisation=row["id"])
    caf = bool(roles & {Role.CAF_AGENT, Role.CAF_MANAGER}) and row["kind"] == "caf"
    local = Role.LOCAL_AUTHORITY_STAFF in roles and row["kind"] == "epci"
    return Scope(
        organisation=row["id"],
        cosignatory=Role.COSIGNATORY in roles,
        caf_department=(persona.caf_department or row["department_code"]) if caf else None,
        local_epci=row["epci_siren"] if local else None,
    )

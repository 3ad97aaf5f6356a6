"""The objects the authorization matrix plays on, made by the database's owner in the state a mutation needs.

Each maker writes plain rows as the owner (the grant tables follow by their triggers), so that a row the rules
allow succeeds and a refused one is refused for no other reason than who asks. Ids are read from the demo's refs
at run time, never written down.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

# Everything a refused mutation must leave as it was: each table's rows and the sum of their versions (any
# UPDATE moves a version), the audit trail and the idempotency keys.
FOOTPRINT = """
SELECT (SELECT count(*) FROM organisation) AS organisations, (SELECT sum(version) FROM organisation) AS o_versions,
       (SELECT count(*) FROM habilitation) AS habilitations, (SELECT sum(version) FROM habilitation) AS h_versions,
       (SELECT count(*) FROM scheme) AS schemes, (SELECT sum(version) FROM scheme) AS s_versions,
       (SELECT count(*) FROM ctg) AS ctgs, (SELECT sum(version) FROM ctg) AS c_versions,
       (SELECT count(*) FROM scheme_commune) AS communes, (SELECT sum(version) FROM scheme_commune) AS l_versions,
       (SELECT count(*) FROM signature) AS signatures, (SELECT sum(version) FROM signature) AS g_versions,
       (SELECT count(*) FROM scheme_objective) AS objectives, (SELECT sum(version) FROM scheme_objective) AS j_versions,
       (SELECT count(*) FROM governance_body) AS bodies, (SELECT sum(version) FROM governance_body) AS b_versions,
       (SELECT count(*) FROM governance_meeting) AS meetings,
       (SELECT sum(version) FROM governance_meeting) AS gm_versions,
       (SELECT count(*) FROM meeting_decision) AS decisions, (SELECT sum(version) FROM meeting_decision) AS d_versions,
       (SELECT count(*) FROM action) AS actions, (SELECT sum(version) FROM action) AS a_versions,
       (SELECT count(*) FROM action_partner) AS partners, (SELECT sum(version) FROM action_partner) AS p_versions,
       (SELECT count(*) FROM action_objective) AS served, (SELECT sum(version) FROM action_objective) AS r_versions,
       (SELECT count(*) FROM indicator) AS indicators, (SELECT sum(version) FROM indicator) AS i_versions,
       (SELECT count(*) FROM indicator_value) AS i_values, (SELECT sum(version) FROM indicator_value) AS v_versions,
       (SELECT count(*) FROM facility) AS facilities, (SELECT sum(version) FROM facility) AS f_versions,
       (SELECT count(*) FROM facility_action) AS links, (SELECT sum(version) FROM facility_action) AS k_versions,
       (SELECT count(*) FROM funding_line) AS lines, (SELECT sum(version) FROM funding_line) AS n_versions,
       (SELECT count(*) FROM reporting_campaign) AS campaigns,
       (SELECT sum(version) FROM reporting_campaign) AS rc_versions,
       (SELECT sum(planned) FROM funding_line) AS n_planned, (SELECT sum(granted) FROM funding_line) AS n_granted,
       (SELECT count(*) FROM campaign_ctg) AS campaign_ctgs, (SELECT count(*) FROM campaign_reminder) AS reminders,
       (SELECT count(*) FROM audit_event) AS events, (SELECT count(*) FROM idempotency_key) AS keys
"""

NEW_ACTION = """
INSERT INTO action (ctg_id, number, title, theme, carrier_id, period_start, status)
SELECT CAST(:ctg AS bigint), coalesce(max(number), 0) + 1, :title, 'youth', CAST(:carrier AS bigint), '2026-01-01',
       CAST(:status AS text)
FROM action WHERE ctg_id = CAST(:ctg AS bigint)
RETURNING id
"""
NEW_PARTNER = "INSERT INTO action_partner (action_id, organisation_id, role) VALUES (:action, :organisation, 'Appui')"
NEW_INDICATOR = (
    "INSERT INTO indicator (action_id, name, unit) VALUES (:action, 'Familles accueillies', 'familles') RETURNING id"
)
NEW_SCHEME = """
INSERT INTO scheme (kind, title, period_start, period_end, scope, status, department_code, epci_siren, parent_id)
VALUES (:kind, :title, :start, '2029-12-31', :scope, :status, :department, :epci, :parent)
RETURNING id
"""
NEW_CTG = "INSERT INTO ctg (scheme_id, themes) VALUES (:scheme, ARRAY['youth'])"
NEW_COMMUNE = "INSERT INTO scheme_commune (scheme_id, commune_insee_code) VALUES (:scheme, :commune)"
NEW_SIGNATURE = """
INSERT INTO signature (scheme_id, organisation_id, role, signed_on) VALUES (:scheme, :organisation, 'Signataire', :on)
RETURNING id
"""
NEW_BODY = "INSERT INTO governance_body (ctg_id, position, name) VALUES (:scheme, 1, 'Comité de pilotage') RETURNING id"
NEW_OBJECTIVE = "INSERT INTO scheme_objective (scheme_id, position, title) VALUES (:scheme, 1, 'Objectif') RETURNING id"
NEW_ASSOCIATION = """
INSERT INTO organisation (kind, name, department_code, ref) VALUES ('association', :name, :department, :ref)
RETURNING id
"""
# One habilitation of a role per identity and organisation is not revoked (uq_habilitation_current).
REVOKE_HELD = """
UPDATE habilitation SET status = 'revoked'
WHERE issuer = :issuer AND subject = :subject AND organisation_id = :organisation AND role = :role
  AND status <> 'revoked'
"""
NEW_HABILITATION = """
INSERT INTO habilitation (issuer, subject, email, organisation_id, role, status, granted_by)
VALUES (:issuer, :subject, :email, :organisation, :role, :status, 'matrix') RETURNING id
"""

NEW_CAMPAIGN = """
INSERT INTO reporting_campaign (title, department_code, opened_by_id, period_start, period_end, due_on, status)
SELECT :title, CAST(:department AS text), id, '2025-01-01', '2025-12-31', '2026-03-31', CAST(:status AS text)
FROM organisation
WHERE (CAST(:department AS text) IS NULL AND kind = 'cnaf') OR (kind = 'caf' AND department_code = :department)
RETURNING id
"""

NEW_MEETING = """
INSERT INTO governance_meeting (ctg_id, body_id, held_on, attendees, minutes)
VALUES (:ctg, :body, '2025-02-10', ARRAY['Coordinatrice CTG'], 'Compte rendu') RETURNING id
"""
NEW_DECISION = """
INSERT INTO meeting_decision (meeting_id, ctg_id, position, decision)
VALUES (:meeting, :ctg, 1, 'Décision') RETURNING id
"""

NEW_FACILITY = """
INSERT INTO facility (kind, name, manager_id, commune_insee_code, status)
VALUES ('multi_accueil', :name, :manager, :commune, :status) RETURNING id
"""
NEW_FACILITY_LINK = "INSERT INTO facility_action (facility_id, action_id, link) VALUES (:facility, :action, :link)"
NEW_FUNDING_LINE = """
INSERT INTO funding_line (action_id, facility_id, year, funder_id, type, planned)
VALUES (:action, :facility, 2026, :funder, :type, :planned) RETURNING id
"""

Target = dict[str, Any]

# The EPCIs of the CTGs that supersede others: the Muretain Agglo, the CARENE.
SUCCESSOR_EPCIS = {"31": "200068641", "44": "244400644"}

# Signed on, in the past: signing needs every signatory's day, never one in the future.
SIGNED_ON = date(2026, 1, 15)


@dataclass
class World:
    """The writable demo database, seen by its owner through one connection of its own in autocommit (each
    statement committed as it runs: one round trip), and the issuer whose identities hold habilitations."""

    connection: AsyncConnection
    issuer: str
    _ids: dict[tuple[str, str], int] = field(default_factory=dict)
    _serial: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _successors: dict[str, int] = field(default_factory=dict)

    def serial(self) -> int:
        """A number no other object of the run has, for names, subjects and keys."""
        return next(self._serial)

    async def rows(self, statement: str, **parameters: Any) -> list[dict[str, Any]]:
        result = await self.connection.execute(text(statement), parameters)
        return [dict(row) for row in result.mappings()]

    async def one(self, statement: str, **parameters: Any) -> dict[str, Any]:
        (row,) = await self.rows(statement, **parameters)
        return row

    async def footprint(self) -> dict[str, Any]:
        return await self.one(FOOTPRINT)

    async def id_of(self, table: str, ref: str) -> int:
        """The id of the demo's organisation or scheme named by `ref`."""
        if (table, ref) not in self._ids:
            statement = {
                "organisation": "SELECT id FROM organisation WHERE ref = :ref",
                "scheme": "SELECT id FROM scheme WHERE ref = :ref",
            }
            self._ids[table, ref] = int((await self.one(statement[table], ref=ref))["id"])
        return self._ids[table, ref]

    async def organisation(self, ref: str) -> int:
        return await self.id_of("organisation", ref)

    async def scheme(self, ref: str) -> int:
        return await self.id_of("scheme", ref)

    async def action(self, ctg: int, carrier: int, partners: Sequence[int], status: str) -> Target:
        """A new action of the CTG, in `status`, with its partners and one indicator."""
        connection = self.connection
        title = f"Action de la matrice {self.serial()}"
        values = {"ctg": ctg, "carrier": carrier, "status": status, "title": title}
        action_id = await _scalar(connection, NEW_ACTION, **values)
        for partner in partners:
            await connection.execute(text(NEW_PARTNER), {"action": action_id, "organisation": partner})
        indicator = await _scalar(connection, NEW_INDICATOR, action=action_id)
        return {"id": action_id, "ctg": ctg, "carrier": carrier, "partners": list(partners), "indicator": indicator}

    async def scheme_row(
        self,
        *,
        kind: str,
        scope: str,
        status: str,
        department: str | None,
        epci: str | None = None,
        communes: Sequence[str] = (),
        parent: int | None = None,
        start: date = date(2026, 1, 1),
        signatories: Sequence[tuple[int, date | None]] = (),
        bodies: bool = False,
        objectives: bool = False,
    ) -> Target:
        """A new scheme (a CTG with its ctg row when `kind` is CTG) with its communes, signatories and, when asked,
        one governance body and one objective."""
        connection = self.connection
        values = {
            "kind": kind,
            "title": f"Convention de la matrice {self.serial()}",
            "start": start,
            "scope": scope,
            "status": status,
            "department": department,
            "epci": epci,
            "parent": parent,
        }
        scheme_id = await _scalar(connection, NEW_SCHEME, **values)
        if kind == "CTG":
            await connection.execute(text(NEW_CTG), {"scheme": scheme_id})
        for commune in communes:
            await connection.execute(text(NEW_COMMUNE), {"scheme": scheme_id, "commune": commune})
        signatures = [
            await _scalar(connection, NEW_SIGNATURE, scheme=scheme_id, organisation=organisation, on=on)
            for organisation, on in signatories
        ]
        target: Target = {"id": scheme_id, "department": department}
        if signatures:
            target["signature"] = signatures[0]
        if bodies:
            target["body"] = await _scalar(connection, NEW_BODY, scheme=scheme_id)
        if objectives:
            target["objective"] = await _scalar(connection, NEW_OBJECTIVE, scheme=scheme_id)
        return target

    async def successor(self, department: str, parent: str) -> int:
        """A signed CTG of the department, for active ones to be superseded by (one per department), on an EPCI
        no row of the matrix is about."""
        if department not in self._successors:
            caf = await self.organisation(f"caf:{department}")
            made = await self.scheme_row(
                kind="CTG",
                scope="epci",
                status="signed",
                department=department,
                epci=SUCCESSOR_EPCIS[department],
                parent=await self.scheme(parent),
                signatories=((caf, SIGNED_ON),),
            )
            self._successors[department] = made["id"]
        return self._successors[department]

    async def association(self, department: str) -> int:
        number = self.serial()
        name, ref = f"Association de la matrice {number}", f"matrix:association:{number}"
        return await _scalar(self.connection, NEW_ASSOCIATION, name=name, department=department, ref=ref)

    async def campaign(self, department: str | None, status: str) -> int:
        """A 2025 campaign of `department` (None: national), past its deadline: every carrier of its scope owes."""
        (row,) = await self.rows(
            NEW_CAMPAIGN, title=f"Bilans 2025 {self.serial()}", department=department, status=status
        )
        return int(row["id"])

    async def meeting(self, ctg: int, body: int) -> Target:
        """A meeting of the CTG's body, held in February 2025, with one decision."""
        meeting = await _scalar(self.connection, NEW_MEETING, ctg=ctg, body=body)
        decision = await _scalar(self.connection, NEW_DECISION, meeting=meeting, ctg=ctg)
        return {"meeting": meeting, "decision": decision}

    async def habilitation(self, organisation: int, subject: str, role: str, status: str) -> int:
        """A habilitation of `subject` (from the tests' issuer), the identity's earlier one of the role revoked."""
        held = {"issuer": self.issuer, "subject": subject, "organisation": organisation, "role": role}
        connection = self.connection
        await connection.execute(text(REVOKE_HELD), held)
        email = f"{subject}@matrice.example"
        return await _scalar(connection, NEW_HABILITATION, **held, email=email, status=status)

    async def facility(self, commune: str, manager: int, status: str) -> int:
        name = f"Équipement de la matrice {self.serial()}"
        return await _scalar(self.connection, NEW_FACILITY, name=name, manager=manager, commune=commune, status=status)

    async def link(self, facility: int, action: int, link: str) -> None:
        await self.connection.execute(text(NEW_FACILITY_LINK), {"facility": facility, "action": action, "link": link})

    async def funding_line(self, action: int | None, facility: int | None, funder: int, kind: str, planned: str) -> int:
        """A 2026 line of the action or the facility (a trigger makes an action's totals follow)."""
        values = {"action": action, "facility": facility, "funder": funder, "type": kind, "planned": Decimal(planned)}
        return await _scalar(self.connection, NEW_FUNDING_LINE, **values)


async def _scalar(connection: AsyncConnection, statement: str, **parameters: Any) -> int:
    return int((await connection.execute(text(statement), parameters)).scalar_one())

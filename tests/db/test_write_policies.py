"""Every table's write policies alone: raw INSERT, UPDATE and DELETE as `maillage_service` with the keys of one
caller's memberships, no check of the application's in the way, every transaction rolled back.

Each case is one statement by one caller and what PostgreSQL must answer: the row written, a `row-level security`
error (a row the caller may not write), no row touched (a row the caller may not change is invisible to its
UPDATE or DELETE), or `permission denied` (the service never does this to the table). Rows a case needs are
made first by the owner, in the same transaction. Every table db/policies/conditions.py puts under row-level
security has a case for each of INSERT, UPDATE and DELETE, or the last tests fail.
tests/db/test_action_write_policies.py tells the actions' story; this is the whole table.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from db.demo import ctgs
from db.demo import organisations as org
from db.engine import create_engine
from db.policies.conditions import TABLES as RULES
from tests.db.test_row_level_security import keys_of, scope_to

WRITTEN = "written"  # one row written
REFUSED = "refused"  # new row violates row-level security policy
UNTOUCHED = "untouched"  # no row updated or deleted
DENIED = "denied"  # permission denied: the service has no such privilege

ISSUER = "https://issuer.example"

# The callers, by their (organisation ref, role) memberships; each but the anonymous one is an identity of ISSUER's.
CALLERS: dict[str, tuple[tuple[str, str], ...]] = {
    "anonymous": (),
    "Caf 31 agent": (("caf:31", "caf_agent"),),
    "Caf 44 agent": (("caf:44", "caf_agent"),),
    "Caf 44 manager": (("caf:44", "caf_manager"),),
    "Caf 31 admin": (("caf:31", "organisation_admin"),),
    "Cnaf analyst": (("cnaf", "cnaf_analyst"),),
    "Cnaf manager": (("cnaf", "cnaf_manager"),),
    "Toulouse Métropole staff": ((org.TOULOUSE_METROPOLE.ref, "local_authority_staff"),),
    "Bagnères-de-Luchon staff": ((org.BAGNERES_DE_LUCHON.ref, "local_authority_staff"),),
    "council 44 cosignatory": ((org.DEPARTMENT_44, "cosignatory"),),
    "carrier": ((org.PARENTS_ENSEMBLE, "association_member"),),
    "partner": ((org.PASSERELLES, "association_member"),),
    "Blagnac staff": ((org.BLAGNAC.ref, "local_authority_staff"),),
    "association admin": ((org.PARENTS_ENSEMBLE, "association_member"), (org.PARENTS_ENSEMBLE, "organisation_admin")),
}

# The rows the statements name, found by the owner (a caller's own reads would hide some): (query, its refs).
SCHEME_BY_REF = "SELECT id FROM scheme WHERE ref = :ref"
ORGANISATION_BY_REF = "SELECT id FROM organisation WHERE ref = :ref"
ACTION_BY_REF = "SELECT id FROM action WHERE ref = :ref"
FIRST_INDICATOR = "SELECT min(i.id) FROM indicator i JOIN action a ON a.id = i.action_id WHERE a.ref = :ref"
FIRST_VALUE = """
SELECT min(v.id) FROM indicator_value v JOIN indicator i ON i.id = v.indicator_id JOIN action a ON a.id = i.action_id
WHERE a.ref = :ref
"""
FIRST_OBJECTIVE = """
SELECT o.id FROM scheme_objective o JOIN scheme s ON s.id = o.scheme_id WHERE s.ref = :ref AND o.position = 1
"""
# A body that has not met: one that has is kept by its meetings.
FIRST_BODY = """
SELECT b.id FROM governance_body b JOIN scheme s ON s.id = b.ctg_id
WHERE s.ref = :ref AND NOT EXISTS (SELECT FROM governance_meeting m WHERE m.body_id = b.id)
ORDER BY b.position LIMIT 1
"""
SIGNATURE_OF = """
SELECT g.id FROM signature g JOIN scheme s ON s.id = g.scheme_id JOIN organisation o ON o.id = g.organisation_id
WHERE s.ref = :ref AND o.ref = :signatory
"""
# Cafés des parents: an action of Toulouse Métropole's CTG, carried by Parents ensemble 31, partnered by Les
# Passerelles.
CAFES_DES_PARENTS = f"{ctgs.TOULOUSE_METROPOLE}:action:3"
IDS: dict[str, tuple[str, dict[str, str]]] = {
    "tm_ctg": (SCHEME_BY_REF, {"ref": ctgs.TOULOUSE_METROPOLE}),
    "luchon_ctg": (SCHEME_BY_REF, {"ref": ctgs.PAYS_DE_LUCHON}),
    "nantes_ctg": (SCHEME_BY_REF, {"ref": ctgs.NANTES_METROPOLE}),
    "muretain_ctg": (SCHEME_BY_REF, {"ref": ctgs.MURETAIN}),
    "sdsf_31": (SCHEME_BY_REF, {"ref": "seed:sdsf:31"}),
    "action": (ACTION_BY_REF, {"ref": CAFES_DES_PARENTS}),
    "nantes_action": (ACTION_BY_REF, {"ref": f"{ctgs.NANTES_METROPOLE}:action:1"}),
    "indicator": (FIRST_INDICATOR, {"ref": CAFES_DES_PARENTS}),
    "value": (FIRST_VALUE, {"ref": CAFES_DES_PARENTS}),
    "objective": (FIRST_OBJECTIVE, {"ref": ctgs.TOULOUSE_METROPOLE}),
    "body": (FIRST_BODY, {"ref": ctgs.TOULOUSE_METROPOLE}),
    "caf_signature": (SIGNATURE_OF, {"ref": ctgs.TOULOUSE_METROPOLE, "signatory": org.CAF_31}),
    "council_signature": (SIGNATURE_OF, {"ref": ctgs.NANTES_METROPOLE, "signatory": org.DEPARTMENT_44}),
    "parents_ensemble": (ORGANISATION_BY_REF, {"ref": org.PARENTS_ENSEMBLE}),
    "passerelles": (ORGANISATION_BY_REF, {"ref": org.PASSERELLES}),
    "clic": (ORGANISATION_BY_REF, {"ref": org.CLIC_ET_DROITS}),
    "maison": (ORGANISATION_BY_REF, {"ref": org.MAISON_DES_PARENTS}),
    "caf_31": (ORGANISATION_BY_REF, {"ref": org.CAF_31}),
    "tm_epci": (ORGANISATION_BY_REF, {"ref": org.TOULOUSE_METROPOLE.ref}),
    # Blagnac's crèche: in 31 (Toulouse Métropole), managed by the commune of Blagnac.
    "creche": ("SELECT id FROM facility WHERE ref = :ref", {"ref": "demo:facility:creche-blagnac"}),
}


@dataclass(frozen=True)
class Case:
    table: str
    says: str
    caller: str
    statement: str
    expected: str
    setup: tuple[str, ...] = ()  # run by the owner first; a RETURNING value becomes `:new`
    values: tuple[tuple[str, str], ...] = ()  # more parameters of the statements

    @property
    def id(self) -> str:
        return f"{self.table}: {self.says} ({self.caller})"


# --- The statements -------------------------------------------------------------------------------------------

# Steering: campaigns of the Caf 31 (by the owner, as `:new`), meetings of Toulouse Métropole's CTG.
CAMPAIGN_31 = """
INSERT INTO reporting_campaign (title, department_code, opened_by_id, period_start, period_end, due_on, status)
VALUES ('Bilans 2026', '31', :caf_31, '2026-01-01', '2026-12-31', '2027-03-31', 'open')
"""
HELD_CAMPAIGN_31 = CAMPAIGN_31 + " RETURNING id"
NATIONAL_CAMPAIGN = """
INSERT INTO reporting_campaign (title, opened_by_id, period_start, period_end, due_on, status)
SELECT 'Bilans nationaux', id, '2026-01-01', '2026-12-31', '2027-03-31', 'open' FROM organisation WHERE ref = 'cnaf'
"""
EXTEND_CAMPAIGN = "UPDATE reporting_campaign SET due_on = '2027-04-30' WHERE id = :new"
MOVE_CAMPAIGN = "UPDATE reporting_campaign SET department_code = '44' WHERE id = :new"
DELETE_CAMPAIGN = "DELETE FROM reporting_campaign WHERE id = :new"
CAMPAIGN_CTG = "INSERT INTO campaign_ctg (campaign_id, ctg_id) VALUES (:new, :tm_ctg)"
CHANGE_CAMPAIGN_CTG = "UPDATE campaign_ctg SET ctg_id = :muretain_ctg WHERE campaign_id = :new"
DROP_CAMPAIGN_CTG = "DELETE FROM campaign_ctg WHERE campaign_id = :new"
REMIND = "INSERT INTO campaign_reminder (campaign_id, organisation_id, missing) VALUES (:new, :parents_ensemble, 2)"
CHANGE_REMINDER = "UPDATE campaign_reminder SET missing = 1 WHERE campaign_id = :new"
DELETE_REMINDER = "DELETE FROM campaign_reminder WHERE campaign_id = :new"
MEETING = """
INSERT INTO governance_meeting (ctg_id, body_id, held_on, attendees) VALUES (:tm_ctg, :body, '2026-11-20', '{}')
"""
HELD_MEETING = MEETING + " RETURNING id"
MINUTES = "UPDATE governance_meeting SET minutes = 'Relevé de décisions' WHERE id = :new"
DELETE_MEETING = "DELETE FROM governance_meeting WHERE id = :new"
DECISION = """
INSERT INTO meeting_decision (meeting_id, ctg_id, position, decision, action_id)
VALUES (:new, :tm_ctg, 1, 'Action validée', :action)
"""
REWORD_DECISION = "UPDATE meeting_decision SET decision = 'Action reportée' WHERE meeting_id = :new"
DELETE_DECISION = "DELETE FROM meeting_decision WHERE meeting_id = :new"
ARCHIVE_HELD_MEETING = "UPDATE governance_meeting SET archived_at = now() WHERE id = :new"

NEW_SDAVS_31 = """
INSERT INTO scheme (kind, title, period_start, scope, status, department_code)
VALUES ('SDAVS', 'Schéma', '2027-01-01', 'department', 'draft', '31')
"""
NEW_COG = """
INSERT INTO scheme (kind, title, period_start, scope, status)
VALUES ('COG', 'Convention', '2028-01-01', 'national', 'draft')
"""
NEW_CPOG_44 = """
INSERT INTO scheme (kind, title, period_start, scope, status, department_code)
VALUES ('CPOG', 'Convention', '2028-01-01', 'department', 'draft', '44')
"""
RENAME_SDSF_31 = "UPDATE scheme SET summary = 'Autrement dit' WHERE id = :sdsf_31"
MOVE_SDSF_31 = "UPDATE scheme SET department_code = '44' WHERE id = :sdsf_31"
RENAME_TM_CTG = "UPDATE scheme SET summary = 'Autrement dit' WHERE id = :tm_ctg"
ARCHIVE_SDSF_31 = "UPDATE scheme SET archived_at = now() WHERE ref = 'seed:sdsf:31'"
DELETE_SDSF_31 = "DELETE FROM scheme WHERE id = :sdsf_31"

NEW_CTG_SCHEME = """
INSERT INTO scheme (kind, title, period_start, scope, status, department_code, epci_siren, parent_id)
VALUES ('CTG', 'Convention', '2027-01-01', 'epci', 'draft', '31', '243100518', :sdsf_31)
RETURNING id
"""
NEW_CTG = "INSERT INTO ctg (scheme_id, themes) VALUES (:new, ARRAY['youth'])"
CTG_THEMES = "UPDATE ctg SET themes = ARRAY['youth'] WHERE scheme_id = :tm_ctg"
DELETE_CTG = "DELETE FROM ctg WHERE scheme_id = :tm_ctg"

NEW_OBJECTIVE = "INSERT INTO scheme_objective (scheme_id, position, title) VALUES (:tm_ctg, 99, 'Objectif')"
RENAME_OBJECTIVE = "UPDATE scheme_objective SET title = 'Autrement dit' WHERE id = :objective"
MOVE_OBJECTIVE = "UPDATE scheme_objective SET scheme_id = :nantes_ctg, position = 99 WHERE id = :objective"
SPARE_OBJECTIVE = (
    "INSERT INTO scheme_objective (scheme_id, position, title) VALUES (:tm_ctg, 98, 'De trop') RETURNING id"
)
DELETE_OBJECTIVE = "DELETE FROM scheme_objective WHERE id = :new"
ARCHIVE_TM_CTG = "UPDATE scheme SET archived_at = now() WHERE id = :tm_ctg"

NEW_SIGNATURE = "INSERT INTO signature (scheme_id, organisation_id, role) VALUES (:tm_ctg, :maison, 'Partenaire')"
SIGN = "UPDATE signature SET signed_on = '2026-01-02' WHERE id = :caf_signature"
SIGN_NANTES = "UPDATE signature SET signed_on = '2026-01-02' WHERE id = :council_signature"
MOVE_SIGNATURE = "UPDATE signature SET scheme_id = :nantes_ctg WHERE id = :caf_signature"
DELETE_SIGNATURE = "DELETE FROM signature WHERE id = :caf_signature"

NEW_COMMUNE = "INSERT INTO scheme_commune (scheme_id, commune_insee_code) VALUES (:luchon_ctg, '31555')"
TOUCH_COMMUNE = """
UPDATE scheme_commune SET commune_insee_code = '31042' WHERE scheme_id = :luchon_ctg AND commune_insee_code = '31042'
"""
DELETE_COMMUNE = "DELETE FROM scheme_commune WHERE scheme_id = :luchon_ctg AND commune_insee_code = '31042'"

NEW_BODY = "INSERT INTO governance_body (ctg_id, position, name) VALUES (:tm_ctg, 99, 'Comité')"
RENAME_BODY = "UPDATE governance_body SET name = 'Autrement dit' WHERE id = :body"
MOVE_BODY = "UPDATE governance_body SET ctg_id = :nantes_ctg, position = 99 WHERE id = :body"
DELETE_BODY = "DELETE FROM governance_body WHERE id = :body"

NEW_ACTION_TM = """
INSERT INTO action (ctg_id, number, title, theme, carrier_id, period_start, status)
VALUES (:tm_ctg, 900, 'Par la seule base', 'youth', :parents_ensemble, '2026-01-01', 'draft')
"""
NEW_ACTION_NANTES = """
INSERT INTO action (ctg_id, number, title, theme, carrier_id, period_start, status)
VALUES (:nantes_ctg, 900, 'Par la seule base', 'youth', :maison, '2026-01-01', 'draft')
"""
DESCRIBE_ACTION = "UPDATE action SET description = 'Autrement dit' WHERE id = :action"
RETITLE_ACTION = "UPDATE action SET title = 'Autrement dit' WHERE id = :action"
HAND_OVER_ACTION = "UPDATE action SET carrier_id = :clic WHERE id = :action"
MOVE_ACTION_TO_NANTES = "UPDATE action SET ctg_id = :nantes_ctg, number = 900 WHERE id = :action"
MOVE_ACTION_TO_MURETAIN = "UPDATE action SET ctg_id = :muretain_ctg, number = 900 WHERE id = :action"
ARCHIVE_ACTION = "UPDATE action SET archived_at = now() WHERE id = :action"
DELETE_ACTION = "DELETE FROM action WHERE id = :action"

NEW_PARTNER = "INSERT INTO action_partner (action_id, organisation_id, role) VALUES (:action, :clic, 'Appui')"
RECAST_PARTNER = (
    "UPDATE action_partner SET role = 'Autrement dit' WHERE action_id = :action AND organisation_id = :passerelles"
)
DELETE_PARTNER = "DELETE FROM action_partner WHERE action_id = :action AND organisation_id = :passerelles"

NEW_SERVED = "INSERT INTO action_objective (action_id, objective_id) VALUES (:action, :objective)"
TOUCH_SERVED = "UPDATE action_objective SET objective_id = objective_id WHERE action_id = :action"
DELETE_SERVED = "DELETE FROM action_objective WHERE action_id = :action"

NEW_INDICATOR = "INSERT INTO indicator (action_id, name, unit) VALUES (:action, 'Par la seule base', 'u')"
RENAME_INDICATOR = "UPDATE indicator SET name = 'Autrement dit' WHERE id = :indicator"
MOVE_INDICATOR = "UPDATE indicator SET action_id = :nantes_action WHERE id = :indicator"
DELETE_INDICATOR = "DELETE FROM indicator WHERE id = :indicator"

NEW_VALUE = """
INSERT INTO indicator_value (indicator_id, period_start, period_end, value)
VALUES (:indicator, '2039-01-01', '2039-12-31', 1)
"""
CORRECT_VALUE = "UPDATE indicator_value SET value = value + 1 WHERE id = :value"
DELETE_VALUE = "DELETE FROM indicator_value WHERE id = :value"

NEW_ASSOCIATION_31 = "INSERT INTO organisation (kind, name, department_code) VALUES ('association', 'Nouvelle', '31')"
NEW_CAF = (
    "INSERT INTO organisation (kind, name, department_code) VALUES ('caf', 'Caf de Saint-Pierre-et-Miquelon', '975')"
)
RENAME_CLIC = "UPDATE organisation SET name = 'Autrement dit' WHERE id = :clic"
MOVE_CLIC = "UPDATE organisation SET department_code = '44' WHERE id = :clic"
REACH_PARENTS_ENSEMBLE = "UPDATE organisation SET email = 'contact@parents.example' WHERE id = :parents_ensemble"
RENAME_PARENTS_ENSEMBLE = "UPDATE organisation SET name = 'Autrement dit' WHERE id = :parents_ensemble"
RENAME_CAF_31 = "UPDATE organisation SET name = 'Autrement dit' WHERE id = :caf_31"
DELETE_CLIC = "DELETE FROM organisation WHERE id = :clic"

# A habilitation of :grantee (an identity of the issuer's) with :role, in one of the organisations.
GRANT_IN_PARENTS_ENSEMBLE = """
INSERT INTO habilitation (issuer, subject, organisation_id, role, status)
VALUES ('https://issuer.example', :grantee, :parents_ensemble, :role, 'active')
"""
GRANT_IN_MAISON = """
INSERT INTO habilitation (issuer, subject, organisation_id, role, status)
VALUES ('https://issuer.example', :grantee, :maison, :role, 'active')
"""
GRANT_IN_CAF_31 = """
INSERT INTO habilitation (issuer, subject, organisation_id, role, status)
VALUES ('https://issuer.example', :grantee, :caf_31, :role, 'active')
"""
# As the owner: a habilitation to change, whose id becomes `:new`.
HELD_IN_PARENTS_ENSEMBLE = """
INSERT INTO habilitation (issuer, subject, organisation_id, role, status)
VALUES ('https://issuer.example', :grantee, :parents_ensemble, :role, :status) RETURNING id
"""
HELD_IN_CAF_31 = """
INSERT INTO habilitation (issuer, subject, organisation_id, role, status)
VALUES ('https://issuer.example', :grantee, :caf_31, :role, :status) RETURNING id
"""


def _of(grantee: str, role: str = "association_member", status: str = "active") -> tuple[tuple[str, str], ...]:
    return (("grantee", grantee), ("role", role), ("status", status))


SUSPEND = "UPDATE habilitation SET status = 'suspended' WHERE id = :new"
REINSTATE = "UPDATE habilitation SET status = 'active' WHERE id = :new"
DELETE_HABILITATION = "DELETE FROM habilitation WHERE id = :new"

OWN_KEY = """
INSERT INTO idempotency_key (issuer, subject, key, operation, fingerprint, entity)
VALUES ('https://issuer.example', 'policy-carrier', 'policy-key', 'createAction', 'f', 'action')
"""
OTHERS_KEY = """
INSERT INTO idempotency_key (issuer, subject, key, operation, fingerprint, entity)
VALUES ('https://issuer.example', 'someone-else', 'policy-key', 'createAction', 'f', 'action')
"""
SET_KEY = "UPDATE idempotency_key SET entity_id = 1 WHERE key = 'policy-key'"
DELETE_KEY = "DELETE FROM idempotency_key WHERE key = 'policy-key'"

NEW_EVENT = "INSERT INTO audit_event (entity, entity_id, operation, changes) VALUES ('action', 1, 'update', '{}')"
CHANGE_EVENTS = "UPDATE audit_event SET operation = 'update'"
DELETE_EVENTS = "DELETE FROM audit_event"

NEW_FACILITY = """
INSERT INTO facility (kind, name, manager_id, commune_insee_code, status)
VALUES ('rpe', 'Relais petite enfance', :passerelles, '31555', 'planned')
"""
RENAME_FACILITY = "UPDATE facility SET name = 'Autrement dit' WHERE id = :creche"
REACH_FACILITY = "UPDATE facility SET phone = '05 61 00 00 00' WHERE id = :creche"
MOVE_FACILITY = "UPDATE facility SET commune_insee_code = '44109' WHERE id = :creche"
DELETE_FACILITY = "DELETE FROM facility WHERE id = :creche"

NEW_FACILITY_ACTION = "INSERT INTO facility_action (facility_id, action_id, link) VALUES (:creche, :action, 'funds')"
RELINK = "UPDATE facility_action SET link = 'extends' WHERE facility_id = :creche"
UNLINK = "DELETE FROM facility_action WHERE facility_id = :creche"

# Funding lines of the action: by Toulouse Métropole (its CTG's local authority plans them) or by the Caf 31 (the
# Caf's alone); of the crèche, by the Caf.
NEW_LINE = """
INSERT INTO funding_line (action_id, year, funder_id, type, planned)
VALUES (:action, 2039, :tm_epci, 'subvention_fonctionnement', 1000)
"""
NEW_CAF_LINE = """
INSERT INTO funding_line (action_id, year, funder_id, type, planned)
VALUES (:action, 2039, :caf_31, 'prestation_de_service', 1000)
"""
NEW_FACILITY_LINE = """
INSERT INTO funding_line (facility_id, year, funder_id, type, planned)
VALUES (:creche, 2039, :caf_31, 'prestation_de_service', 1000)
"""
HELD_LINE = NEW_LINE.rstrip() + " RETURNING id"
HELD_CAF_LINE = NEW_CAF_LINE.rstrip() + " RETURNING id"
GRANT_LINE = "UPDATE funding_line SET granted = 900 WHERE id = :new"
PLAN_LINE = "UPDATE funding_line SET planned = 1200 WHERE id = :new"
NEW_GRANTED_LINE = """
INSERT INTO funding_line (action_id, year, funder_id, type, planned, granted)
VALUES (:action, 2039, :tm_epci, 'subvention_fonctionnement', 1000, 1000)
"""
# An action's budget, and its Caf funding: the Caf's.
BUDGET_ACTION = "UPDATE action SET budget = coalesce(budget, 0) + 100 WHERE id = :action"
CAF_FUND_ACTION = """
UPDATE action SET budget = coalesce(budget, 0) + 100, caf_funding = coalesce(caf_funding, 0) + 1 WHERE id = :action
"""
TO_THE_CAF = "UPDATE funding_line SET funder_id = :caf_31, type = 'prestation_de_service' WHERE id = :new"
DELETE_LINE = "DELETE FROM funding_line WHERE id = :new"

# Rules the policies do not hold yet; each test of them is expected to fail until they do.

CASES: tuple[Case, ...] = (
    # scheme: its steward, from its own columns (the Caf of its department; the Cnaf's managers for COGs, CPOGs)
    Case("scheme", "a Caf drafts a scheme of its department", "Caf 31 agent", NEW_SDAVS_31, WRITTEN),
    Case("scheme", "a Caf may not draft one in another department", "Caf 44 agent", NEW_SDAVS_31, REFUSED),
    Case("scheme", "a local authority may not draft one", "Toulouse Métropole staff", NEW_SDAVS_31, REFUSED),
    Case("scheme", "the Cnaf's managers draft COGs", "Cnaf manager", NEW_COG, WRITTEN),
    Case("scheme", "a Caf may not draft a COG", "Caf 31 agent", NEW_COG, REFUSED),
    Case("scheme", "the Cnaf's managers draft CPOGs", "Cnaf manager", NEW_CPOG_44, WRITTEN),
    Case("scheme", "a Caf's manager may not draft its department's CPOG", "Caf 44 manager", NEW_CPOG_44, REFUSED),
    Case("scheme", "a Caf changes its department's scheme", "Caf 31 agent", RENAME_SDSF_31, WRITTEN),
    Case("scheme", "another department's Caf may not", "Caf 44 agent", RENAME_SDSF_31, UNTOUCHED),
    Case("scheme", "a national reader may not", "Cnaf analyst", RENAME_SDSF_31, UNTOUCHED),
    Case("scheme", "nobody changes an archived one", "Caf 31 agent", RENAME_SDSF_31, UNTOUCHED, (ARCHIVE_SDSF_31,)),
    Case("scheme", "a Caf may not move one out of its department", "Caf 31 agent", MOVE_SDSF_31, REFUSED),
    Case("scheme", "a Caf changes its department's CTG", "Caf 31 agent", RENAME_TM_CTG, WRITTEN),
    Case("scheme", "the CTG's local authority may not", "Toulouse Métropole staff", RENAME_TM_CTG, UNTOUCHED),
    Case("scheme", "the service deletes none", "Caf 31 agent", DELETE_SDSF_31, DENIED),
    # ctg, scheme_objective, signature, scheme_commune, governance_body: as their scheme
    Case("ctg", "a Caf completes its department's CTG", "Caf 31 agent", NEW_CTG, WRITTEN, (NEW_CTG_SCHEME,)),
    Case("ctg", "the CTG's local authority may not", "Toulouse Métropole staff", NEW_CTG, REFUSED, (NEW_CTG_SCHEME,)),
    Case("ctg", "a Caf changes its department's CTG", "Caf 31 agent", CTG_THEMES, WRITTEN),
    Case("ctg", "the CTG's local authority may not", "Toulouse Métropole staff", CTG_THEMES, UNTOUCHED),
    Case("ctg", "the service deletes none", "Caf 31 agent", DELETE_CTG, DENIED),
    Case("scheme_objective", "a Caf adds its CTG's objectives", "Caf 31 agent", NEW_OBJECTIVE, WRITTEN),
    Case("scheme_objective", "the CTG's local authority may not", "Toulouse Métropole staff", NEW_OBJECTIVE, REFUSED),
    Case(
        "scheme_objective", "nobody adds to an archived CTG", "Caf 31 agent", NEW_OBJECTIVE, REFUSED, (ARCHIVE_TM_CTG,)
    ),
    Case("scheme_objective", "a Caf rewords one", "Caf 31 agent", RENAME_OBJECTIVE, WRITTEN),
    Case(
        "scheme_objective", "the CTG's local authority may not", "Toulouse Métropole staff", RENAME_OBJECTIVE, UNTOUCHED
    ),
    Case("scheme_objective", "a Caf may not move one to another department", "Caf 31 agent", MOVE_OBJECTIVE, REFUSED),
    Case("scheme_objective", "a Caf removes one", "Caf 31 agent", DELETE_OBJECTIVE, WRITTEN, (SPARE_OBJECTIVE,)),
    Case(
        "scheme_objective",
        "the CTG's local authority may not",
        "Toulouse Métropole staff",
        DELETE_OBJECTIVE,
        UNTOUCHED,
        (SPARE_OBJECTIVE,),
    ),
    Case("signature", "a Caf adds its CTG's signatories", "Caf 31 agent", NEW_SIGNATURE, WRITTEN),
    Case("signature", "the CTG's local authority may not", "Toulouse Métropole staff", NEW_SIGNATURE, REFUSED),
    Case("signature", "a Caf records a signature", "Caf 31 agent", SIGN, WRITTEN),
    Case("signature", "its Caf records the council's", "Caf 44 agent", SIGN_NANTES, WRITTEN),
    Case("signature", "the signatory may not record its own", "council 44 cosignatory", SIGN_NANTES, UNTOUCHED),
    Case("signature", "a Caf may not move one to another department", "Caf 31 agent", MOVE_SIGNATURE, REFUSED),
    Case("signature", "a Caf takes a signatory off", "Caf 31 agent", DELETE_SIGNATURE, WRITTEN),
    Case("signature", "the CTG's local authority may not", "Toulouse Métropole staff", DELETE_SIGNATURE, UNTOUCHED),
    Case("scheme_commune", "a Caf lists a commune on its CTG", "Caf 31 agent", NEW_COMMUNE, WRITTEN),
    Case("scheme_commune", "a listed commune may not", "Bagnères-de-Luchon staff", NEW_COMMUNE, REFUSED),
    Case("scheme_commune", "a Caf changes the list", "Caf 31 agent", TOUCH_COMMUNE, WRITTEN),
    Case("scheme_commune", "a listed commune may not", "Bagnères-de-Luchon staff", TOUCH_COMMUNE, UNTOUCHED),
    Case("scheme_commune", "a Caf takes a commune off", "Caf 31 agent", DELETE_COMMUNE, WRITTEN),
    Case("scheme_commune", "a listed commune may not", "Bagnères-de-Luchon staff", DELETE_COMMUNE, UNTOUCHED),
    Case("governance_body", "a Caf adds its CTG's bodies", "Caf 31 agent", NEW_BODY, WRITTEN),
    Case("governance_body", "the CTG's local authority may not", "Toulouse Métropole staff", NEW_BODY, REFUSED),
    Case("governance_body", "a Caf renames one", "Caf 31 agent", RENAME_BODY, WRITTEN),
    Case("governance_body", "the CTG's local authority may not", "Toulouse Métropole staff", RENAME_BODY, UNTOUCHED),
    Case("governance_body", "a Caf may not move one to another department", "Caf 31 agent", MOVE_BODY, REFUSED),
    Case("governance_body", "a Caf removes one", "Caf 31 agent", DELETE_BODY, WRITTEN),
    Case("governance_body", "the CTG's local authority may not", "Toulouse Métropole staff", DELETE_BODY, UNTOUCHED),
    # action: created by its CTG's Caf and local authority, changed by them and by its carrier
    Case("action", "a CTG's local authority creates its actions", "Toulouse Métropole staff", NEW_ACTION_TM, WRITTEN),
    Case("action", "a carrier may not", "carrier", NEW_ACTION_TM, REFUSED),
    Case("action", "a Caf may not create one in another department", "Caf 31 agent", NEW_ACTION_NANTES, REFUSED),
    Case("action", "its carrier changes it", "carrier", DESCRIBE_ACTION, WRITTEN),
    Case("action", "a partner may not", "partner", DESCRIBE_ACTION, UNTOUCHED),
    Case("action", "another department's Caf may not", "Caf 44 agent", DESCRIBE_ACTION, UNTOUCHED),
    Case("action", "a national reader may not", "Cnaf analyst", DESCRIBE_ACTION, UNTOUCHED),
    Case("action", "nobody changes an archived one", "Caf 31 agent", DESCRIBE_ACTION, UNTOUCHED, (ARCHIVE_ACTION,)),
    Case("action", "its Caf archives it", "Caf 31 agent", ARCHIVE_ACTION, WRITTEN),
    Case(
        "action",
        "a Caf may not move one into another department's CTG",
        "Caf 31 agent",
        MOVE_ACTION_TO_NANTES,
        REFUSED,
    ),
    Case(
        "action",
        "a local authority may not move one into another EPCI's CTG",
        "Toulouse Métropole staff",
        MOVE_ACTION_TO_MURETAIN,
        REFUSED,
    ),
    Case(
        "action",
        "its carrier may not retitle it",
        "carrier",
        RETITLE_ACTION,
        REFUSED,
    ),
    Case(
        "action",
        "its carrier may not hand it over",
        "carrier",
        HAND_OVER_ACTION,
        REFUSED,
    ),
    Case("action", "its CTG's local authority changes its budget", "Toulouse Métropole staff", BUDGET_ACTION, WRITTEN),
    Case("action", "its Caf changes its Caf funding", "Caf 31 agent", CAF_FUND_ACTION, WRITTEN),
    Case(
        "action",
        "its CTG's local authority may not change its Caf funding",
        "Toulouse Métropole staff",
        CAF_FUND_ACTION,
        REFUSED,
    ),
    Case("action", "the service deletes none", "Caf 31 agent", DELETE_ACTION, DENIED),
    # action_partner, action_objective, indicator: the action's Caf and local authority
    Case("action_partner", "a Caf adds a partner", "Caf 31 agent", NEW_PARTNER, WRITTEN),
    Case("action_partner", "the carrier may not", "carrier", NEW_PARTNER, REFUSED),
    Case(
        "action_partner", "nobody adds to an archived action", "Caf 31 agent", NEW_PARTNER, REFUSED, (ARCHIVE_ACTION,)
    ),
    Case("action_partner", "a local authority changes a role", "Toulouse Métropole staff", RECAST_PARTNER, WRITTEN),
    Case("action_partner", "the carrier may not", "carrier", RECAST_PARTNER, UNTOUCHED),
    Case("action_partner", "a Caf takes a partner off", "Caf 31 agent", DELETE_PARTNER, WRITTEN),
    Case("action_partner", "the partner itself may not", "partner", DELETE_PARTNER, UNTOUCHED),
    Case(
        "action_objective",
        "a local authority adds an objective served",
        "Toulouse Métropole staff",
        NEW_SERVED,
        WRITTEN,
    ),
    Case("action_objective", "the carrier may not", "carrier", NEW_SERVED, REFUSED),
    Case("action_objective", "a Caf changes one", "Caf 31 agent", TOUCH_SERVED, WRITTEN),
    Case("action_objective", "the carrier may not", "carrier", TOUCH_SERVED, UNTOUCHED),
    Case("action_objective", "a Caf removes one", "Caf 31 agent", DELETE_SERVED, WRITTEN),
    Case("action_objective", "the carrier may not", "carrier", DELETE_SERVED, UNTOUCHED),
    Case("indicator", "a local authority adds an indicator", "Toulouse Métropole staff", NEW_INDICATOR, WRITTEN),
    Case("indicator", "the carrier may not", "carrier", NEW_INDICATOR, REFUSED),
    Case("indicator", "a Caf renames one", "Caf 31 agent", RENAME_INDICATOR, WRITTEN),
    Case("indicator", "the carrier may not", "carrier", RENAME_INDICATOR, UNTOUCHED),
    Case("indicator", "a Caf may not move one to another department's action", "Caf 31 agent", MOVE_INDICATOR, REFUSED),
    Case("indicator", "the service deletes none", "Caf 31 agent", DELETE_INDICATOR, DENIED),
    # indicator_value: reported by the carrier, the Caf and the local authority
    Case("indicator_value", "the carrier reports a value", "carrier", NEW_VALUE, WRITTEN),
    Case("indicator_value", "a partner may not", "partner", NEW_VALUE, REFUSED),
    Case("indicator_value", "the carrier corrects one", "carrier", CORRECT_VALUE, WRITTEN),
    Case("indicator_value", "a partner may not", "partner", CORRECT_VALUE, UNTOUCHED),
    Case("indicator_value", "another department's Caf may not", "Caf 44 agent", CORRECT_VALUE, UNTOUCHED),
    Case("indicator_value", "the service deletes none", "Caf 31 agent", DELETE_VALUE, DENIED),
    # organisation: the Cnaf's managers, the Caf of its department (not a Caf itself), its admins for contact data
    Case("organisation", "a Caf adds one in its department", "Caf 31 agent", NEW_ASSOCIATION_31, WRITTEN),
    Case("organisation", "another department's Caf may not", "Caf 44 agent", NEW_ASSOCIATION_31, REFUSED),
    Case("organisation", "an admin may not", "association admin", NEW_ASSOCIATION_31, REFUSED),
    Case("organisation", "a Caf may not add a Caf", "Caf 31 agent", NEW_CAF, REFUSED),
    Case("organisation", "the Cnaf's managers add a Caf", "Cnaf manager", NEW_CAF, WRITTEN),
    Case("organisation", "a Caf changes one of its department", "Caf 31 agent", RENAME_CLIC, WRITTEN),
    Case("organisation", "another department's Caf may not", "Caf 44 agent", RENAME_CLIC, UNTOUCHED),
    Case("organisation", "a national reader may not", "Cnaf analyst", RENAME_CLIC, UNTOUCHED),
    Case("organisation", "the Cnaf's managers change any", "Cnaf manager", RENAME_CLIC, WRITTEN),
    Case("organisation", "a Caf may not move one out of its department", "Caf 31 agent", MOVE_CLIC, REFUSED),
    Case("organisation", "its admin changes its contact data", "association admin", REACH_PARENTS_ENSEMBLE, WRITTEN),
    Case("organisation", "its members may not", "carrier", REACH_PARENTS_ENSEMBLE, UNTOUCHED),
    Case(
        "organisation",
        "its admin may not rename it",
        "association admin",
        RENAME_PARENTS_ENSEMBLE,
        REFUSED,
    ),
    Case("organisation", "the Cnaf's managers change a Caf", "Cnaf manager", RENAME_CAF_31, WRITTEN),
    Case(
        "organisation",
        "a Caf's staff may not change their Caf",
        "Caf 31 agent",
        RENAME_CAF_31,
        UNTOUCHED,
    ),
    Case("organisation", "the service deletes none", "Caf 31 agent", DELETE_CLIC, DENIED),
    # habilitation: an organisation's admins and its department's Caf managers, never to oneself, never beyond
    Case(
        "habilitation",
        "an admin grants a role there",
        "association admin",
        GRANT_IN_PARENTS_ENSEMBLE,
        WRITTEN,
        values=_of("someone"),
    ),
    Case(
        "habilitation",
        "an admin may not grant one to itself",
        "association admin",
        GRANT_IN_PARENTS_ENSEMBLE,
        REFUSED,
        values=_of("policy-association-admin"),
    ),
    Case(
        "habilitation", "a member may not grant", "carrier", GRANT_IN_PARENTS_ENSEMBLE, REFUSED, values=_of("someone")
    ),
    Case(
        "habilitation",
        "the Cnaf's managers may not grant",
        "Cnaf manager",
        GRANT_IN_PARENTS_ENSEMBLE,
        REFUSED,
        values=_of("someone"),
    ),
    Case(
        "habilitation",
        "a Caf's manager grants in its department",
        "Caf 44 manager",
        GRANT_IN_MAISON,
        WRITTEN,
        values=_of("someone"),
    ),
    Case(
        "habilitation",
        "a Caf's manager may not grant in another department",
        "Caf 44 manager",
        GRANT_IN_PARENTS_ENSEMBLE,
        REFUSED,
        values=_of("someone"),
    ),
    Case(
        "habilitation",
        "a Caf's admin grants an admin role",
        "Caf 31 admin",
        GRANT_IN_CAF_31,
        WRITTEN,
        values=_of("someone", "organisation_admin"),
    ),
    Case(
        "habilitation",
        "a Caf's admin may not grant a Caf role, beyond its own",
        "Caf 31 admin",
        GRANT_IN_CAF_31,
        REFUSED,
        values=_of("someone", "caf_agent"),
    ),
    Case(
        "habilitation",
        "an admin suspends one",
        "association admin",
        SUSPEND,
        WRITTEN,
        (HELD_IN_PARENTS_ENSEMBLE,),
        _of("someone"),
    ),
    Case(
        "habilitation", "a member may not", "carrier", SUSPEND, UNTOUCHED, (HELD_IN_PARENTS_ENSEMBLE,), _of("someone")
    ),
    Case(
        "habilitation",
        "another department's Caf manager may not",
        "Caf 44 manager",
        SUSPEND,
        UNTOUCHED,
        (HELD_IN_PARENTS_ENSEMBLE,),
        _of("someone"),
    ),
    Case(
        "habilitation",
        "an admin suspends its own",
        "association admin",
        SUSPEND,
        WRITTEN,
        (HELD_IN_PARENTS_ENSEMBLE,),
        _of("policy-association-admin"),
    ),
    Case(
        "habilitation",
        "an admin reinstates someone's",
        "association admin",
        REINSTATE,
        WRITTEN,
        (HELD_IN_PARENTS_ENSEMBLE,),
        _of("someone", status="suspended"),
    ),
    Case(
        "habilitation",
        "an admin may not reinstate its own",
        "association admin",
        REINSTATE,
        REFUSED,
        (HELD_IN_PARENTS_ENSEMBLE,),
        _of("policy-association-admin", status="suspended"),
    ),
    Case(
        "habilitation",
        "a Caf's admin may not suspend a Caf role, beyond its own",
        "Caf 31 admin",
        SUSPEND,
        REFUSED,
        (HELD_IN_CAF_31,),
        _of("someone", "caf_agent"),
    ),
    Case(
        "habilitation",
        "the service deletes none",
        "association admin",
        DELETE_HABILITATION,
        DENIED,
        (HELD_IN_PARENTS_ENSEMBLE,),
        _of("someone"),
    ),
    # facility: the Caf of its department; its manager for its contact data
    Case("facility", "a Caf records one in its department", "Caf 31 agent", NEW_FACILITY, WRITTEN),
    Case("facility", "another department's Caf may not", "Caf 44 agent", NEW_FACILITY, REFUSED),
    Case("facility", "a local authority may not", "Toulouse Métropole staff", NEW_FACILITY, REFUSED),
    Case("facility", "its Caf changes it", "Caf 31 agent", RENAME_FACILITY, WRITTEN),
    Case("facility", "another department's Caf may not", "Caf 44 agent", RENAME_FACILITY, UNTOUCHED),
    Case(
        "facility",
        "the local authority of its territory may not",
        "Toulouse Métropole staff",
        RENAME_FACILITY,
        UNTOUCHED,
    ),
    Case("facility", "its manager changes its contact data", "Blagnac staff", REACH_FACILITY, WRITTEN),
    Case(
        "facility",
        "the local authority of its territory may not",
        "Toulouse Métropole staff",
        REACH_FACILITY,
        UNTOUCHED,
    ),
    Case(
        "facility",
        "its manager may not rename it",
        "Blagnac staff",
        RENAME_FACILITY,
        REFUSED,
    ),
    Case(
        "facility",
        "its Caf may not move it to another department",
        "Caf 31 agent",
        MOVE_FACILITY,
        REFUSED,
    ),
    Case("facility", "its manager may not move it", "Blagnac staff", MOVE_FACILITY, REFUSED),
    Case("facility", "the service deletes none", "Caf 31 agent", DELETE_FACILITY, DENIED),
    # facility_action: the facility's Caf
    Case("facility_action", "the facility's Caf links an action", "Caf 31 agent", NEW_FACILITY_ACTION, WRITTEN),
    Case(
        "facility_action",
        "the action's local authority may not",
        "Toulouse Métropole staff",
        NEW_FACILITY_ACTION,
        REFUSED,
    ),
    Case("facility_action", "the facility's manager may not", "Blagnac staff", NEW_FACILITY_ACTION, REFUSED),
    Case("facility_action", "the facility's Caf changes a link", "Caf 31 agent", RELINK, WRITTEN),
    Case("facility_action", "the facility's manager may not", "Blagnac staff", RELINK, UNTOUCHED),
    Case("facility_action", "the facility's Caf removes a link", "Caf 31 agent", UNLINK, WRITTEN),
    Case("facility_action", "the action's local authority may not", "Toulouse Métropole staff", UNLINK, UNTOUCHED),
    # funding_line: an action's by those who plan it, a Caf's lines by the Caf alone; a facility's by its Caf
    Case("funding_line", "a local authority plans an action's line", "Toulouse Métropole staff", NEW_LINE, WRITTEN),
    Case("funding_line", "the carrier may not", "carrier", NEW_LINE, REFUSED),
    Case("funding_line", "the Caf plans its own", "Caf 31 agent", NEW_CAF_LINE, WRITTEN),
    Case("funding_line", "a local authority may not plan the Caf's", "Toulouse Métropole staff", NEW_CAF_LINE, REFUSED),
    Case("funding_line", "a facility's Caf plans its lines", "Caf 31 agent", NEW_FACILITY_LINE, WRITTEN),
    Case("funding_line", "its manager may not", "Blagnac staff", NEW_FACILITY_LINE, REFUSED),
    Case(
        "funding_line",
        "a local authority may not grant even its own line",
        "Toulouse Métropole staff",
        GRANT_LINE,
        REFUSED,
        (HELD_LINE,),
    ),
    Case(
        "funding_line",
        "a local authority may not add a line already granted",
        "Toulouse Métropole staff",
        NEW_GRANTED_LINE,
        REFUSED,
    ),
    Case(
        "funding_line",
        "a local authority changes its own line's planned amount",
        "Toulouse Métropole staff",
        PLAN_LINE,
        WRITTEN,
        (HELD_LINE,),
    ),
    Case("funding_line", "the Caf grants another funder's line", "Caf 31 agent", GRANT_LINE, WRITTEN, (HELD_LINE,)),
    Case("funding_line", "the Caf grants its own", "Caf 31 agent", GRANT_LINE, WRITTEN, (HELD_CAF_LINE,)),
    Case(
        "funding_line",
        "a local authority may not grant the Caf's",
        "Toulouse Métropole staff",
        GRANT_LINE,
        UNTOUCHED,
        (HELD_CAF_LINE,),
    ),
    Case(
        "funding_line",
        "a local authority may not make its line the Caf's",
        "Toulouse Métropole staff",
        TO_THE_CAF,
        REFUSED,
        (HELD_LINE,),
    ),
    Case("funding_line", "the Caf removes its own", "Caf 31 agent", DELETE_LINE, WRITTEN, (HELD_CAF_LINE,)),
    Case(
        "funding_line",
        "a local authority may not remove the Caf's",
        "Toulouse Métropole staff",
        DELETE_LINE,
        UNTOUCHED,
        (HELD_CAF_LINE,),
    ),
    # reporting_campaign: the Caf of its department, the Cnaf's managers; a national one, the Cnaf's alone
    Case("reporting_campaign", "a Caf opens one in its department", "Caf 31 agent", CAMPAIGN_31, WRITTEN),
    Case("reporting_campaign", "another department's Caf may not", "Caf 44 agent", CAMPAIGN_31, REFUSED),
    Case("reporting_campaign", "a local authority may not", "Toulouse Métropole staff", CAMPAIGN_31, REFUSED),
    Case("reporting_campaign", "the Cnaf's managers open a national one", "Cnaf manager", NATIONAL_CAMPAIGN, WRITTEN),
    Case("reporting_campaign", "a Caf may not", "Caf 31 agent", NATIONAL_CAMPAIGN, REFUSED),
    Case("reporting_campaign", "its Caf extends it", "Caf 31 agent", EXTEND_CAMPAIGN, WRITTEN, (HELD_CAMPAIGN_31,)),
    Case("reporting_campaign", "a carrier may not", "carrier", EXTEND_CAMPAIGN, UNTOUCHED, (HELD_CAMPAIGN_31,)),
    Case(
        "reporting_campaign",
        "its Caf may not hand it to another department",
        "Caf 31 agent",
        MOVE_CAMPAIGN,
        REFUSED,
        (HELD_CAMPAIGN_31,),
    ),
    Case(
        "reporting_campaign", "the service deletes none", "Caf 31 agent", DELETE_CAMPAIGN, DENIED, (HELD_CAMPAIGN_31,)
    ),
    # campaign_ctg: the campaign's steward
    Case("campaign_ctg", "its Caf restricts it to a CTG", "Caf 31 agent", CAMPAIGN_CTG, WRITTEN, (HELD_CAMPAIGN_31,)),
    Case(
        "campaign_ctg",
        "the CTG's local authority may not",
        "Toulouse Métropole staff",
        CAMPAIGN_CTG,
        REFUSED,
        (HELD_CAMPAIGN_31,),
    ),
    Case(
        "campaign_ctg",
        "the service changes none",
        "Caf 31 agent",
        CHANGE_CAMPAIGN_CTG,
        DENIED,
        (HELD_CAMPAIGN_31, CAMPAIGN_CTG),
    ),
    Case(
        "campaign_ctg",
        "its Caf lifts a restriction",
        "Caf 31 agent",
        DROP_CAMPAIGN_CTG,
        WRITTEN,
        (HELD_CAMPAIGN_31, CAMPAIGN_CTG),
    ),
    Case(
        "campaign_ctg",
        "another department's Caf may not",
        "Caf 44 agent",
        DROP_CAMPAIGN_CTG,
        UNTOUCHED,
        (HELD_CAMPAIGN_31, CAMPAIGN_CTG),
    ),
    # campaign_reminder: recorded by the campaign's steward, never changed
    Case("campaign_reminder", "its Caf reminds a carrier", "Caf 31 agent", REMIND, WRITTEN, (HELD_CAMPAIGN_31,)),
    Case("campaign_reminder", "a carrier may not", "carrier", REMIND, REFUSED, (HELD_CAMPAIGN_31,)),
    Case(
        "campaign_reminder",
        "the service changes none",
        "Caf 31 agent",
        CHANGE_REMINDER,
        DENIED,
        (HELD_CAMPAIGN_31, REMIND),
    ),
    Case(
        "campaign_reminder",
        "the service deletes none",
        "Caf 31 agent",
        DELETE_REMINDER,
        DENIED,
        (HELD_CAMPAIGN_31, REMIND),
    ),
    # governance_meeting: the CTG's Caf and local authority
    Case("governance_meeting", "the CTG's local authority records one", "Toulouse Métropole staff", MEETING, WRITTEN),
    Case("governance_meeting", "the CTG's Caf records one", "Caf 31 agent", MEETING, WRITTEN),
    Case("governance_meeting", "a carrier of its plan may not", "carrier", MEETING, REFUSED),
    Case("governance_meeting", "another department's Caf may not", "Caf 44 agent", MEETING, REFUSED),
    Case(
        "governance_meeting",
        "its local authority writes the minutes",
        "Toulouse Métropole staff",
        MINUTES,
        WRITTEN,
        (HELD_MEETING,),
    ),
    Case("governance_meeting", "a partner of its plan may not", "partner", MINUTES, UNTOUCHED, (HELD_MEETING,)),
    Case("governance_meeting", "the service deletes none", "Caf 31 agent", DELETE_MEETING, DENIED, (HELD_MEETING,)),
    # meeting_decision: as its meeting
    Case("meeting_decision", "the CTG's Caf records one", "Caf 31 agent", DECISION, WRITTEN, (HELD_MEETING,)),
    Case("meeting_decision", "a carrier may not", "carrier", DECISION, REFUSED, (HELD_MEETING,)),
    Case(
        "meeting_decision",
        "its local authority rewords one",
        "Toulouse Métropole staff",
        REWORD_DECISION,
        WRITTEN,
        (HELD_MEETING, DECISION),
    ),
    Case(
        "meeting_decision",
        "another department's Caf may not",
        "Caf 44 agent",
        REWORD_DECISION,
        UNTOUCHED,
        (HELD_MEETING, DECISION),
    ),
    Case("meeting_decision", "its Caf removes one", "Caf 31 agent", DELETE_DECISION, WRITTEN, (HELD_MEETING, DECISION)),
    Case("meeting_decision", "a partner may not", "partner", DELETE_DECISION, UNTOUCHED, (HELD_MEETING, DECISION)),
    # governance meetings: a member commune of the CTG's EPCI records none; an archived meeting is a record
    Case("governance_meeting", "a member commune of its EPCI may not", "Blagnac staff", MEETING, REFUSED),
    Case(
        "governance_meeting",
        "an archived one is a record",
        "Caf 31 agent",
        MINUTES,
        UNTOUCHED,
        (HELD_MEETING, ARCHIVE_HELD_MEETING),
    ),
    Case(
        "meeting_decision", "a member commune of its EPCI may not", "Blagnac staff", DECISION, REFUSED, (HELD_MEETING,)
    ),
    # idempotency_key: each identity's own
    Case("idempotency_key", "an identity claims a key", "carrier", OWN_KEY, WRITTEN),
    Case("idempotency_key", "for itself only", "carrier", OTHERS_KEY, REFUSED),
    Case("idempotency_key", "it completes its own", "carrier", SET_KEY, WRITTEN, (OWN_KEY,)),
    Case("idempotency_key", "not another's", "carrier", SET_KEY, UNTOUCHED, (OTHERS_KEY,)),
    Case("idempotency_key", "the service deletes none", "carrier", DELETE_KEY, DENIED, (OWN_KEY,)),
    # audit_event: written with any change, never changed or deleted
    Case("audit_event", "any change is recorded", "anonymous", NEW_EVENT, WRITTEN),
    Case("audit_event", "the service changes none", "Caf 31 agent", CHANGE_EVENTS, DENIED),
    Case("audit_event", "the service deletes none", "Caf 31 agent", DELETE_EVENTS, DENIED),
)

# Every table the service reads under row-level security (db/policies/conditions.py): each of its writes is a case.
TABLES = tuple(RULES)


def _param(case: Case) -> Any:
    return pytest.param(case, id=case.id)


@pytest.fixture(scope="module")
async def owner(demo_database: URL) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(demo_database, pool_size=2)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="module")
async def ids(owner: AsyncEngine) -> dict[str, int]:
    async with owner.connect() as connection:
        return {name: int(await connection.scalar(text(statement), refs)) for name, (statement, refs) in IDS.items()}


@pytest.fixture(scope="module")
async def scopes(owner: AsyncEngine) -> dict[str, dict[str, str]]:
    """Each caller's settings, as the service sets them: its keys, derived by the database from its memberships,
    and its identity (`policy-<caller>`; none for anonymous callers)."""
    found = {"anonymous": {"keys": "", "issuer": "", "subject": ""}}
    for name, memberships in CALLERS.items():
        if memberships:
            subject = "policy-" + name.lower().replace(" ", "-")
            found[name] = {"keys": await keys_of(owner, *memberships), "issuer": ISSUER, "subject": subject}
    return found


async def _prepare(connection: AsyncConnection, case: Case, parameters: dict[str, Any]) -> dict[str, Any]:
    """Run the case's setup as the owner; a RETURNING value is `:new`."""
    for statement in case.setup:
        result = await connection.execute(text(statement), parameters)
        if result.returns_rows:
            parameters = {**parameters, "new": result.scalar_one()}
    return parameters


def _answer(written: int, error: str) -> str:
    # A row the policies refuse, or a change of columns the rules' triggers refuse (db/policies/limits.py).
    if "row-level security" in error or "refused by the access rules" in error:
        return REFUSED
    if "permission denied" in error:
        return DENIED
    if error or written > 1:
        return f"{written} rows, {error}"
    return WRITTEN if written == 1 else UNTOUCHED


@pytest.mark.parametrize("case", [_param(case) for case in CASES])
async def test_the_policy_answers_as_the_rules_say(
    owner: AsyncEngine, ids: dict[str, int], scopes: dict[str, dict[str, str]], case: Case
) -> None:
    async with owner.connect() as connection:
        transaction = await connection.begin()
        try:
            # given what the case needs, as the owner, then the caller's scope as the service
            parameters = await _prepare(connection, case, {**ids, **dict(case.values)})
            await scope_to(connection, **scopes[case.caller])
            await connection.execute(text("SAVEPOINT statement"))

            # when the caller's statement runs
            try:
                written = (await connection.execute(text(case.statement), parameters)).rowcount
                error = ""
            except DBAPIError as raised:
                written, error = 0, str(raised.orig)
                await connection.execute(text("ROLLBACK TO SAVEPOINT statement"))

            # then PostgreSQL answers as the rules say
            assert _answer(written, error) == case.expected
        finally:
            await transaction.rollback()


def test_every_table_and_operation_the_service_may_write_is_covered() -> None:
    covered = {(case.table, case.statement.split()[0].upper()) for case in CASES}

    expected = {(table, operation) for table in TABLES for operation in ("INSERT", "UPDATE", "DELETE")}
    assert covered == expected


def test_every_untouched_row_is_written_by_another_caller() -> None:
    """A statement no row matched would pass as untouched: each is shown to write for someone who may."""
    written = {case.statement for case in CASES if case.expected == WRITTEN}

    untouched = [case.id for case in CASES if case.expected == UNTOUCHED and case.statement not in written]

    assert untouched == []

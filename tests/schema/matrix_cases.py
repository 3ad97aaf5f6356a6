"""How the authorization matrix plays each mutation: the object it needs, in the state the change needs, the input
naming it (versions read at run time), and what of the object a successful change must have changed.

A setting says where the object lies (a CTG of Toulouse Métropole, a draft SDAVS of department 44, an association
of department 31...), so that the caller's relation to it is the one the matrix's row names; a case makes the
object there in the state its mutation needs: a draft action to submit, a signable draft CTG to sign, an active
habilitation to suspend.
"""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, Generic, TypeVar

from auth import matrix as m
from tests.schema.matrix_world import SIGNED_ON, Target, World

S = TypeVar("S")


def gid(type_name: str, key: Any) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{key}".encode()).decode().rstrip("=")


def _document(name: str, input_type: str) -> str:
    return f"mutation Matrix($input: {input_type}!) {{ {name}(input: $input) {{ errors {{ field code message }} }} }}"


# The input type of each mutation (its name and `Input`, but for those sharing one).
_SHARED_INPUTS = {
    "signCtg": "CtgStepInput",
    "activateCtg": "CtgStepInput",
    "closeCtg": "CtgStepInput",
    "suspendHabilitation": "ChangeHabilitationInput",
    "reinstateHabilitation": "ChangeHabilitationInput",
    "revokeHabilitation": "ChangeHabilitationInput",
    "closeReportingCampaign": "ReportingCampaignVersionInput",
    "reopenReportingCampaign": "ReportingCampaignVersionInput",
    "archiveReportingCampaign": "ReportingCampaignVersionInput",
}
DOCUMENTS = {
    mutation.name: _document(
        mutation.name, _SHARED_INPUTS.get(mutation.name, mutation.name[0].upper() + mutation.name[1:] + "Input")
    )
    for family in m.FAMILIES
    for mutation in family.mutations
}

Probe = Callable[[World, Target], Awaitable[dict[str, Any]]]
Request = Callable[[World, Target], Awaitable[dict[str, Any]]]


@dataclass(frozen=True)
class Case(Generic[S]):
    """One mutation of the matrix: `make` the object in a setting, the `request`'s input, and the state that a
    success must change (`probe`'s columns named in `changes`). `creates`: it takes an idempotency key. Makers are
    made once per state (cached), so that cases needing the same state share them."""

    mutation: m.Mutation
    make: Callable[[World, S], Awaitable[Target]]
    request: Request
    probe: Probe
    changes: tuple[str, ...]
    creates: bool = False

    @property
    def document(self) -> str:
        return DOCUMENTS[self.mutation.name]


def _probe(statement: str, *keys: str) -> Probe:
    async def probe(world: World, target: Target) -> dict[str, Any]:
        return await world.one(statement, **{key: target[key] for key in keys})

    return probe


async def _version(world: World, table: str, key: int) -> int:
    statements = {
        "action": "SELECT version FROM action WHERE id = :id",
        "scheme": "SELECT version FROM scheme WHERE id = :id",
        "habilitation": "SELECT version FROM habilitation WHERE id = :id",
    }
    return int((await world.one(statements[table], id=key))["version"])


# --- Actions ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionSetting:
    """An action of the CTG `ctg` (a ref), carried by `carrier`, with `partners`, in `department`."""

    ctg: str
    carrier: str
    partners: tuple[str, ...]
    department: str


FIRST_OBJECTIVE = "SELECT id FROM scheme_objective WHERE scheme_id = :ctg ORDER BY position LIMIT 1"
ACTION_STATE = """
SELECT a.version, a.title, a.description, a.status, a.archived_at,
       (SELECT count(*) FROM action_partner p WHERE p.action_id = a.id) AS partners,
       (SELECT array_agg(o.objective_id ORDER BY o.objective_id) FROM action_objective o WHERE o.action_id = a.id)
           AS served,
       (SELECT count(*) FROM indicator i WHERE i.action_id = a.id) AS indicators,
       (SELECT count(*) FROM indicator_value v JOIN indicator i ON i.id = v.indicator_id WHERE i.action_id = a.id)
           AS reported,
       (SELECT count(*) FROM action b WHERE b.ctg_id = a.ctg_id) AS ctg_actions
FROM action a WHERE a.id = :id
"""


@cache
def _action(status: str) -> Callable[[World, ActionSetting], Awaitable[Target]]:
    async def make(world: World, setting: ActionSetting) -> Target:
        ctg = await world.scheme(setting.ctg)
        carrier = await world.organisation(setting.carrier)
        partners = [await world.organisation(ref) for ref in setting.partners]
        target = await world.action(ctg, carrier, partners, status)
        target["caf"] = await world.organisation(f"caf:{setting.department}")
        target["objective"] = (await world.one(FIRST_OBJECTIVE, ctg=ctg))["id"]
        return target

    return make


def _on_action(**fields: Any) -> Request:
    """The input of a change of the action: its id and version, and `fields`."""

    async def request(world: World, target: Target) -> dict[str, Any]:
        return {"id": gid("Action", target["id"]), "version": await _version(world, "action", target["id"]), **fields}

    return request


def _on_links(build: Callable[[World, Target], dict[str, Any]]) -> Request:
    """The input of a change of the action's partners, objectives or indicators."""

    async def request(world: World, target: Target) -> dict[str, Any]:
        version = await _version(world, "action", target["id"])
        return {"actionId": gid("Action", target["id"]), "version": version, **build(world, target)}

    return request


async def _create_action(world: World, target: Target) -> dict[str, Any]:
    # (a theme and a start within the CTG's: an action acts in its CTG's fields and time)
    frame = await world.one(
        "SELECT upper(c.themes[1]) AS theme, greatest(s.period_start, least(s.period_end, date '2026-09-01')) AS start "
        "FROM ctg c JOIN scheme s ON s.id = c.scheme_id WHERE c.scheme_id = :id",
        id=target["ctg"],
    )
    return {
        "ctgId": gid("Ctg", target["ctg"]),
        "title": f"Nouvelle action {world.serial()}",
        "theme": frame["theme"],
        "carrierId": gid("Organisation", target["carrier"]),
        "periodStart": frame["start"].isoformat(),
    }


async def _report(world: World, target: Target) -> dict[str, Any]:
    period = {"periodStart": "2026-01-01", "periodEnd": "2026-12-31"}
    return {"indicatorId": gid("Indicator", target["indicator"]), **period, "value": "12"}


_draft = _action("draft")
_actions = _probe(ACTION_STATE, "id")

ACTION_CASES: tuple[Case[ActionSetting], ...] = (
    Case(m.CREATE_ACTION, _draft, _create_action, _actions, ("ctg_actions",), creates=True),
    Case(m.UPDATE_ACTION, _draft, _on_action(description="Une autre description"), _actions, ("description",)),
    Case(m.UPDATE_ACTION_TITLE, _draft, _on_action(title="Un autre titre"), _actions, ("title",)),
    Case(m.SUBMIT_ACTION, _draft, _on_action(status="SUBMITTED"), _actions, ("status",)),
    Case(m.VALIDATE_ACTION, _action("submitted"), _on_action(status="VALIDATED"), _actions, ("status",)),
    Case(m.ABANDON_VALIDATED, _action("validated"), _on_action(status="ABANDONED"), _actions, ("status",)),
    Case(m.ARCHIVE_ACTION, _draft, _on_action(), _actions, ("archived_at",)),
    Case(
        m.ADD_PARTNER,
        _draft,
        _on_links(lambda world, target: {"organisationId": gid("Organisation", target["caf"]), "role": "Appui"}),
        _actions,
        ("partners",),
    ),
    Case(
        m.REMOVE_PARTNER,
        _draft,
        _on_links(lambda world, target: {"organisationId": gid("Organisation", target["partners"][0])}),
        _actions,
        ("partners",),
    ),
    Case(
        m.SET_OBJECTIVES,
        _draft,
        _on_links(lambda world, target: {"objectiveIds": [gid("SchemeObjective", target["objective"])]}),
        _actions,
        ("served",),
    ),
    Case(
        m.ADD_INDICATOR,
        _draft,
        _on_links(lambda world, target: {"name": f"Indicateur {world.serial()}", "unit": "personnes"}),
        _actions,
        ("indicators",),
    ),
    Case(m.REPORT_VALUE, _draft, _report, _actions, ("reported",)),
)

# --- Schemes and CTGs ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CtgSetting:
    """A CTG of `department` covering the EPCI `epci` or the listed `communes`; with an action `carrier` carries,
    or a `cosigner` among its signatories."""

    department: str
    epci: str | None = None
    communes: tuple[str, ...] = ()
    carrier: str | None = None
    cosigner: str | None = None


# Each department's departmental scheme, under which its CTGs are made (and createCtg names as their parent).
PARENTS = {"31": "seed:sdsf:31", "44": "seed:charte-politiques-educatives:44"}

SCHEME_STATE = """
SELECT s.version, s.status, s.archived_at, s.summary, s.superseded_by_id,
       (SELECT count(*) FROM governance_body b WHERE b.ctg_id = s.id) AS bodies,
       (SELECT string_agg(b.name, ', ' ORDER BY b.id) FROM governance_body b WHERE b.ctg_id = s.id) AS body_names,
       (SELECT count(*) FROM scheme_objective o WHERE o.scheme_id = s.id) AS objectives,
       (SELECT string_agg(o.title, ', ' ORDER BY o.id) FROM scheme_objective o WHERE o.scheme_id = s.id)
           AS objective_titles,
       (SELECT count(*) FROM signature g WHERE g.scheme_id = s.id) AS signatories,
       (SELECT count(g.signed_on) FROM signature g WHERE g.scheme_id = s.id) AS signed
FROM scheme s WHERE s.id = :id
"""
CREATED = """
SELECT count(*) AS created FROM scheme
WHERE kind = :kind AND department_code IS NOT DISTINCT FROM CAST(:department AS text)
"""
_schemes = _probe(SCHEME_STATE, "id")
_created = _probe(CREATED, "kind", "department")


async def _local_authorities(world: World, setting: CtgSetting) -> list[int]:
    if setting.epci is not None:
        return [await world.organisation(f"epci:{setting.epci}")]
    return [await world.organisation(f"commune:{code}") for code in setting.communes]


@cache
def _ctg(
    status: str = "draft",
    *,
    caf: str = "dated",
    local_authority: bool = False,
    bodies: bool = False,
    objectives: bool = False,
) -> Callable[[World, CtgSetting], Awaitable[Target]]:
    """A CTG of the setting in `status`: the Caf of its department among its signatories (`caf`: "dated",
    "undated" or "absent"), its local authorities too (dated) with `local_authority`, one governance body and
    one objective when asked; an active one has a successor to be superseded by."""

    async def make(world: World, setting: CtgSetting) -> Target:
        caf_id = await world.organisation(f"caf:{setting.department}")
        signatories: list[tuple[int, date | None]] = []
        if caf != "absent":
            signatories.append((caf_id, SIGNED_ON if caf == "dated" else None))
        if local_authority:
            signatories += [(organisation, SIGNED_ON) for organisation in await _local_authorities(world, setting)]
        if setting.cosigner is not None:
            signatories.append((await world.organisation(setting.cosigner), SIGNED_ON))
        target = await world.scheme_row(
            kind="CTG",
            scope="epci" if setting.epci else "communes",
            status=status,
            department=setting.department,
            epci=setting.epci,
            communes=setting.communes,
            parent=await world.scheme(PARENTS[setting.department]),
            signatories=signatories,
            bodies=bodies,
            objectives=objectives,
        )
        if setting.carrier is not None:
            await world.action(target["id"], await world.organisation(setting.carrier), [], "draft")
        target["caf"] = caf_id
        if status == "active":
            target["successor"] = await world.successor(setting.department, PARENTS[setting.department])
        return target

    return make


async def _new_ctg(world: World, setting: CtgSetting) -> Target:
    """No CTG: where createCtg would make one."""
    parent = await world.scheme(PARENTS[setting.department])
    return {"parent": parent, "kind": "CTG", "department": setting.department, "setting": setting}


async def _create_ctg(world: World, target: Target) -> dict[str, Any]:
    setting: CtgSetting = target["setting"]
    territory: dict[str, Any] = (
        {"epciId": gid("Epci", setting.epci)}
        if setting.epci
        else {"communeIds": [gid("Commune", code) for code in setting.communes]}
    )
    return {
        "title": f"Nouvelle convention {world.serial()}",
        "periodStart": "2027-01-01",
        "periodEnd": "2030-12-31",
        "parentId": gid("Scheme", target["parent"]),
        "themes": ["YOUTH"],
        **territory,
    }


def _on_scheme(type_name: str, **fields: Any) -> Request:
    """The input of a change of the scheme itself (named as a `type_name`: a CTG's ID or a scheme's)."""

    async def request(world: World, target: Target) -> dict[str, Any]:
        return {"id": gid(type_name, target["id"]), "version": await _version(world, "scheme", target["id"]), **fields}

    return request


def _to_scheme(field: str, type_name: str, version_field: str, **fields: Any) -> Request:
    """The input of an addition to the scheme: `field` names it, `version_field` holds its version."""

    async def request(world: World, target: Target) -> dict[str, Any]:
        version = await _version(world, "scheme", target["id"])
        extra = {name: value(world, target) if callable(value) else value for name, value in fields.items()}
        return {field: gid(type_name, target["id"]), version_field: version, **extra}

    return request


def _on_part(type_name: str, key: str, version_field: str, **fields: Any) -> Request:
    """The input of a change of one of the scheme's parts: its objective, signature or governance body (`key`)."""

    async def request(world: World, target: Target) -> dict[str, Any]:
        version = await _version(world, "scheme", target["id"])
        return {"id": gid(type_name, target[key]), version_field: version, **fields}

    return request


async def _supersede(world: World, target: Target) -> dict[str, Any]:
    version = await _version(world, "scheme", target["id"])
    return {"id": gid("Ctg", target["id"]), "version": version, "replacedById": gid("Ctg", target["successor"])}


def _serial_title(world: World, target: Target) -> str:
    return f"Objectif {world.serial()}"


def _caf(world: World, target: Target) -> str:
    return gid("Organisation", target["caf"])


CTG_CASES: tuple[Case[CtgSetting], ...] = (
    Case(m.CREATE_CTG, _new_ctg, _create_ctg, _created, ("created",), creates=True),
    Case(m.UPDATE_CTG, _ctg(), _on_scheme("Ctg", summary="Un autre résumé"), _schemes, ("summary",)),
    Case(m.SIGN_CTG, _ctg(local_authority=True), _on_scheme("Ctg"), _schemes, ("status",)),
    Case(m.ACTIVATE_CTG, _ctg("signed", local_authority=True), _on_scheme("Ctg"), _schemes, ("status",)),
    Case(m.CLOSE_CTG, _ctg("active", local_authority=True), _on_scheme("Ctg"), _schemes, ("status",)),
    Case(m.SUPERSEDE_CTG, _ctg("active", local_authority=True), _supersede, _schemes, ("status", "superseded_by_id")),
    Case(m.ARCHIVE_CTG, _ctg(), _on_scheme("Ctg"), _schemes, ("archived_at",)),
    Case(
        m.ADD_BODY,
        _ctg(),
        _to_scheme("ctgId", "Ctg", "ctgVersion", name="Comité technique"),
        _schemes,
        ("bodies",),
    ),
    Case(
        m.UPDATE_BODY,
        _ctg(bodies=True),
        _on_part("GovernanceBody", "body", "ctgVersion", name="Comité des partenaires"),
        _schemes,
        ("body_names",),
    ),
    Case(m.REMOVE_BODY, _ctg(bodies=True), _on_part("GovernanceBody", "body", "ctgVersion"), _schemes, ("bodies",)),
    Case(
        m.ADD_OBJECTIVE,
        _ctg(),
        _to_scheme("schemeId", "Ctg", "schemeVersion", title=_serial_title),
        _schemes,
        ("objectives",),
    ),
    Case(
        m.UPDATE_OBJECTIVE,
        _ctg(objectives=True),
        _on_part("SchemeObjective", "objective", "schemeVersion", title="Un objectif reformulé"),
        _schemes,
        ("objective_titles",),
    ),
    Case(
        m.REMOVE_OBJECTIVE,
        _ctg(objectives=True),
        _on_part("SchemeObjective", "objective", "schemeVersion"),
        _schemes,
        ("objectives",),
    ),
    Case(
        m.ADD_SIGNATORY,
        _ctg(caf="absent"),
        _to_scheme("schemeId", "Ctg", "schemeVersion", organisationId=_caf, role="Caf signataire"),
        _schemes,
        ("signatories",),
    ),
    Case(
        m.RECORD_SIGNATURE,
        _ctg(caf="undated"),
        _on_part("Signature", "signature", "schemeVersion", signedOn=SIGNED_ON.isoformat()),
        _schemes,
        ("signed",),
    ),
    Case(m.REMOVE_SIGNATORY, _ctg(), _on_part("Signature", "signature", "schemeVersion"), _schemes, ("signatories",)),
)


@dataclass(frozen=True)
class SchemeSetting:
    """A scheme of `kind` (COG, CPOG, SDAVS) in `status`, of `department` (None: national), with a `cosigner`."""

    kind: str
    department: str | None
    status: str
    cosigner: str | None = None


# Who signs each kind of scheme besides its cosigner: the Cnaf the national ones and CPOGs, the Caf the others.
def _signer_ref(setting: SchemeSetting) -> str:
    return "cnaf" if setting.kind in ("COG", "CPOG") else f"caf:{setting.department}"


@cache
def _scheme(*, signer: str = "absent", objectives: bool = False) -> Callable[[World, SchemeSetting], Awaitable[Target]]:
    """A scheme of the setting, its signer among its signatories (`signer`: "dated", "undated" or "absent"), with
    one objective when asked."""

    async def make(world: World, setting: SchemeSetting) -> Target:
        signer_id = await world.organisation(_signer_ref(setting))
        signatories: list[tuple[int, date | None]] = []
        if signer != "absent":
            signatories.append((signer_id, SIGNED_ON if signer == "dated" else None))
        if setting.cosigner is not None:
            signatories.append((await world.organisation(setting.cosigner), SIGNED_ON))
        target = await world.scheme_row(
            kind=setting.kind,
            scope="national" if setting.kind == "COG" else "department",
            status=setting.status,
            department=setting.department,
            signatories=signatories,
            objectives=objectives,
        )
        target["caf"] = signer_id
        return target

    return make


async def _new_scheme(world: World, setting: SchemeSetting) -> Target:
    """No scheme: what createScheme would make."""
    return {"kind": setting.kind, "department": setting.department}


async def _create_scheme(world: World, target: Target) -> dict[str, Any]:
    department = {"departmentId": gid("Department", target["department"])} if target["department"] else {}
    title = f"Nouveau schéma {world.serial()}"
    return {"kind": target["kind"], "title": title, "periodStart": "2027-01-01", **department}


async def _transition_scheme(world: World, target: Target) -> dict[str, Any]:
    """The next move of the scheme's life cycle from where it is: a draft is signed, an active one expires."""
    state = await world.one("SELECT status, version FROM scheme WHERE id = :id", id=target["id"])
    status = {"draft": "SIGNED", "active": "EXPIRED"}[state["status"]]
    return {"id": gid("Scheme", target["id"]), "version": state["version"], "status": status}


SCHEME_CASES: tuple[Case[SchemeSetting], ...] = (
    Case(m.CREATE_SCHEME, _new_scheme, _create_scheme, _created, ("created",), creates=True),
    Case(m.UPDATE_SCHEME, _scheme(), _on_scheme("Scheme", summary="Un autre résumé"), _schemes, ("summary",)),
    Case(m.TRANSITION_SCHEME, _scheme(signer="dated"), _transition_scheme, _schemes, ("status",)),
    Case(m.ARCHIVE_SCHEME, _scheme(), _on_scheme("Scheme"), _schemes, ("archived_at",)),
    Case(
        m.ADD_OBJECTIVE,
        _scheme(),
        _to_scheme("schemeId", "Scheme", "schemeVersion", title=_serial_title),
        _schemes,
        ("objectives",),
    ),
    Case(
        m.UPDATE_OBJECTIVE,
        _scheme(objectives=True),
        _on_part("SchemeObjective", "objective", "schemeVersion", title="Un objectif reformulé"),
        _schemes,
        ("objective_titles",),
    ),
    Case(
        m.REMOVE_OBJECTIVE,
        _scheme(objectives=True),
        _on_part("SchemeObjective", "objective", "schemeVersion"),
        _schemes,
        ("objectives",),
    ),
    Case(
        m.ADD_SIGNATORY,
        _scheme(),
        _to_scheme("schemeId", "Scheme", "schemeVersion", organisationId=_caf, role="Signataire"),
        _schemes,
        ("signatories",),
    ),
    Case(
        m.RECORD_SIGNATURE,
        _scheme(signer="undated"),
        _on_part("Signature", "signature", "schemeVersion", signedOn=SIGNED_ON.isoformat()),
        _schemes,
        ("signed",),
    ),
    Case(
        m.REMOVE_SIGNATORY,
        _scheme(signer="dated"),
        _on_part("Signature", "signature", "schemeVersion"),
        _schemes,
        ("signatories",),
    ),
)

# --- Organisations ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OrganisationSetting:
    """An organisation of the demo (`ref`), or a new association of `department`; `creates`: the kind and the
    department of the organisation createOrganisation would add there."""

    ref: str | None = None
    department: str = "31"
    creates: tuple[str, str] | None = None


ORGANISATION_STATE = "SELECT version, name, email, department_code, archived_at FROM organisation WHERE id = :id"
ORGANISATIONS = "SELECT count(*) AS organisations FROM organisation"
_organisations = _probe(ORGANISATION_STATE, "id")
# A new Caf goes where there is none: Saint-Pierre-et-Miquelon.
NEW_CAF_DEPARTMENT = "975"


async def _organisation(world: World, setting: OrganisationSetting) -> Target:
    if setting.ref is not None:
        return {"id": await world.organisation(setting.ref), "setting": setting}
    return {"id": await world.association(setting.department), "setting": setting}


async def _create_organisation(world: World, target: Target) -> dict[str, Any]:
    setting: OrganisationSetting = target["setting"]
    kind, department = setting.creates or ("ASSOCIATION", setting.department)
    name = "Caf de Saint-Pierre-et-Miquelon" if kind == "CAF" else f"Nouvelle association {world.serial()}"
    return {"kind": kind, "name": name, "departmentId": gid("Department", department)}


def _on_organisation(build: Callable[[World, dict[str, Any]], dict[str, Any]]) -> Request:
    async def request(world: World, target: Target) -> dict[str, Any]:
        state = await world.one(ORGANISATION_STATE, id=target["id"])
        return {"id": gid("Organisation", target["id"]), "version": state["version"], **build(world, state)}

    return request


def _elsewhere(world: World, state: dict[str, Any]) -> dict[str, Any]:
    """Another department than the organisation's."""
    return {"departmentId": gid("Department", "44" if state["department_code"] == "31" else "31")}


ORGANISATION_CASES: tuple[Case[OrganisationSetting], ...] = (
    Case(
        m.CREATE_ORGANISATION,
        _organisation,
        _create_organisation,
        _probe(ORGANISATIONS),
        ("organisations",),
        creates=True,
    ),
    Case(
        m.UPDATE_CONTACT,
        _organisation,
        _on_organisation(lambda world, state: {"email": f"contact-{world.serial()}@matrice.example"}),
        _organisations,
        ("email",),
    ),
    Case(
        m.UPDATE_NAME,
        _organisation,
        _on_organisation(lambda world, state: {"name": f"Organisation renommée {world.serial()}"}),
        _organisations,
        ("name",),
    ),
    Case(m.MOVE_ORGANISATION, _organisation, _on_organisation(_elsewhere), _organisations, ("department_code",)),
    Case(
        m.ARCHIVE_ORGANISATION,
        _organisation,
        _on_organisation(lambda world, state: {}),
        _organisations,
        ("archived_at",),
    ),
)

# --- Habilitations ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HabilitationSetting:
    """A habilitation of `role` in the organisation `organisation` (a ref), held by `holder` (a subject of the
    tests' issuer; None: an identity of its own)."""

    organisation: str
    role: str
    holder: str | None = None


HABILITATION_STATE = "SELECT status, version FROM habilitation WHERE id = :id"
HELD = """
SELECT count(*) AS held FROM habilitation
WHERE issuer = :issuer AND subject = :subject AND organisation_id = :organisation
"""


def _habilitation(status: str) -> Callable[[World, HabilitationSetting], Awaitable[Target]]:
    async def make(world: World, setting: HabilitationSetting) -> Target:
        organisation = await world.organisation(setting.organisation)
        subject = setting.holder or f"matrix-holder-{world.serial()}"
        habilitation = await world.habilitation(organisation, subject, setting.role, status)
        return {"id": habilitation, "organisation": organisation, "subject": subject, "issuer": world.issuer}

    return make


async def _grantee(world: World, setting: HabilitationSetting) -> Target:
    """No habilitation: the identity and organisation grantHabilitation would name."""
    organisation = await world.organisation(setting.organisation)
    subject = setting.holder or f"matrix-grantee-{world.serial()}"
    return {"organisation": organisation, "subject": subject, "issuer": world.issuer, "role": setting.role}


async def _grant(world: World, target: Target) -> dict[str, Any]:
    return {
        "organisationId": gid("Organisation", target["organisation"]),
        "issuer": target["issuer"],
        "subject": target["subject"],
        "email": f"{target['subject']}@matrice.example",
        "role": target["role"].upper(),
    }


async def _move(world: World, target: Target) -> dict[str, Any]:
    version = await _version(world, "habilitation", target["id"])
    return {"id": gid("Habilitation", target["id"]), "version": version}


_habilitations = _probe(HABILITATION_STATE, "id")

HABILITATION_CASES: tuple[Case[HabilitationSetting], ...] = (
    Case(m.GRANT, _grantee, _grant, _probe(HELD, "issuer", "subject", "organisation"), ("held",), creates=True),
    Case(m.SUSPEND, _habilitation("active"), _move, _habilitations, ("status",)),
    Case(m.REINSTATE, _habilitation("suspended"), _move, _habilitations, ("status",)),
    Case(m.REVOKE, _habilitation("active"), _move, _habilitations, ("status",)),
)

# --- Reporting campaigns ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CampaignSetting:
    """A campaign of `department` (None: a national one)."""

    department: str | None


CAMPAIGN_STATE = """
SELECT c.version, c.title, c.status, c.archived_at,
       (SELECT count(*) FROM campaign_reminder r WHERE r.campaign_id = c.id) AS reminders
FROM reporting_campaign c WHERE c.id = :id
"""
OPENED = """
SELECT count(*) AS opened FROM reporting_campaign
WHERE department_code IS NOT DISTINCT FROM CAST(:department AS text)
"""


@cache
def _campaign(status: str) -> Callable[[World, CampaignSetting], Awaitable[Target]]:
    async def make(world: World, setting: CampaignSetting) -> Target:
        return {"id": await world.campaign(setting.department, status)}

    return make


async def _unopened(world: World, setting: CampaignSetting) -> Target:
    """No campaign: where openReportingCampaign would open one."""
    return {"department": setting.department}


async def _open_campaign(world: World, target: Target) -> dict[str, Any]:
    department = {"departmentId": gid("Department", target["department"])} if target["department"] else {}
    return {
        "title": f"Bilans 2026 {world.serial()}",
        "periodStart": "2026-01-01",
        "periodEnd": "2026-12-31",
        "dueOn": "2027-03-31",
        **department,
    }


def _on_campaign(**fields: Any) -> Request:
    async def request(world: World, target: Target) -> dict[str, Any]:
        state = await world.one(CAMPAIGN_STATE, id=target["id"])
        return {"id": gid("ReportingCampaign", target["id"]), "version": state["version"], **fields}

    return request


async def _remind(world: World, target: Target) -> dict[str, Any]:
    return {"id": gid("ReportingCampaign", target["id"])}


_campaigns = _probe(CAMPAIGN_STATE, "id")

CAMPAIGN_CASES: tuple[Case[CampaignSetting], ...] = (
    Case(m.OPEN_CAMPAIGN, _unopened, _open_campaign, _probe(OPENED, "department"), ("opened",), creates=True),
    Case(m.UPDATE_CAMPAIGN, _campaign("open"), _on_campaign(title="Bilans révisés"), _campaigns, ("title",)),
    Case(m.CLOSE_CAMPAIGN, _campaign("open"), _on_campaign(), _campaigns, ("status",)),
    Case(m.REOPEN_CAMPAIGN, _campaign("closed"), _on_campaign(), _campaigns, ("status",)),
    Case(m.ARCHIVE_CAMPAIGN, _campaign("open"), _on_campaign(), _campaigns, ("archived_at",)),
    Case(m.REMIND_CARRIERS, _campaign("open"), _remind, _campaigns, ("reminders",)),
)

# --- Governance meetings ---------------------------------------------------------------------------------------

MEETING_STATE = """
SELECT g.version, g.minutes, g.archived_at, (SELECT count(*) FROM meeting_decision d WHERE d.meeting_id = g.id)
       AS decisions
FROM governance_meeting g WHERE g.id = :meeting
"""
MET = "SELECT count(*) AS meetings FROM governance_meeting WHERE body_id = :body"


async def _met(world: World, setting: CtgSetting) -> Target:
    """A CTG of the setting with a governance body, which met once and took one decision."""
    target = await _ctg(bodies=True)(world, setting)
    return {**target, **await world.meeting(target["id"], target["body"])}


async def _meeting_version(world: World, target: Target) -> int:
    return int((await world.one(MEETING_STATE, meeting=target["meeting"]))["version"])


async def _record_meeting(world: World, target: Target) -> dict[str, Any]:
    return {"bodyId": gid("GovernanceBody", target["body"]), "heldOn": "2025-03-10", "attendees": ["Caf"]}


def _on_meeting(**fields: Any) -> Request:
    async def request(world: World, target: Target) -> dict[str, Any]:
        version = await _meeting_version(world, target)
        return {"id": gid("GovernanceMeeting", target["meeting"]), "version": version, **fields}

    return request


async def _add_decision(world: World, target: Target) -> dict[str, Any]:
    version = await _meeting_version(world, target)
    meeting = gid("GovernanceMeeting", target["meeting"])
    return {"meetingId": meeting, "meetingVersion": version, "decision": f"Décision {world.serial()}"}


async def _remove_decision(world: World, target: Target) -> dict[str, Any]:
    version = await _meeting_version(world, target)
    return {"id": gid("MeetingDecision", target["decision"]), "meetingVersion": version}


_meetings = _probe(MEETING_STATE, "meeting")

MEETING_CASES: tuple[Case[CtgSetting], ...] = (
    Case(m.RECORD_MEETING, _met, _record_meeting, _probe(MET, "body"), ("meetings",), creates=True),
    Case(m.UPDATE_MEETING, _met, _on_meeting(minutes="Compte rendu relu"), _meetings, ("minutes",)),
    Case(m.ARCHIVE_MEETING, _met, _on_meeting(), _meetings, ("archived_at",)),
    Case(m.ADD_DECISION, _met, _add_decision, _meetings, ("decisions",)),
    Case(m.REMOVE_DECISION, _met, _remove_decision, _meetings, ("decisions",)),
)

# --- Facilities and funding lines ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FacilitySetting:
    """A facility in `commune` (of `department`), managed by `manager` (a ref), open or planned; the actions it is
    linked to are of the CTG `ctg` (a ref) of its department."""

    commune: str
    department: str
    manager: str
    status: str
    ctg: str


FACILITY_STATE = """
SELECT f.version, f.name, f.email, f.archived_at,
       (SELECT string_agg(k.link, ', ' ORDER BY k.action_id) FROM facility_action k WHERE k.facility_id = f.id)
           AS links,
       (SELECT count(*) FROM facility_action k WHERE k.facility_id = f.id) AS linked,
       (SELECT count(*) FROM funding_line l WHERE l.facility_id = f.id) AS lines,
       (SELECT sum(l.planned) FROM funding_line l WHERE l.facility_id = f.id) AS planned
FROM facility f WHERE f.id = :id
"""
FACILITIES_THERE = "SELECT count(*) AS created FROM facility WHERE commune_insee_code = :commune"


@cache
def _facility(status: str | None = None) -> Callable[[World, FacilitySetting], Awaitable[Target]]:
    """A facility of the setting (in `status`, the setting's unless given), linked to an action of its CTG as funding
    it, with a Caf line of 2026."""

    async def make(world: World, setting: FacilitySetting) -> Target:
        manager = await world.organisation(setting.manager)
        caf = await world.organisation(f"caf:{setting.department}")
        facility = await world.facility(setting.commune, manager, status or setting.status)
        action = await world.action(await world.scheme(setting.ctg), manager, [], "draft")
        await world.link(facility, action["id"], "funds")
        line = await world.funding_line(None, facility, caf, "bonus_territoire", "12000.00")
        return {"id": facility, "action": action["id"], "line": line, "caf": caf}

    return make


async def _uncreated(world: World, setting: FacilitySetting) -> Target:
    """No facility: where createFacility would make one."""
    return {"commune": setting.commune, "manager": await world.organisation(setting.manager)}


async def _create_facility(world: World, target: Target) -> dict[str, Any]:
    return {
        "kind": "MULTI_ACCUEIL",
        "name": f"Multi-accueil {world.serial()}",
        "managerId": gid("Organisation", target["manager"]),
        "communeId": gid("Commune", target["commune"]),
    }


async def _facility_version(world: World, facility: int) -> int:
    return int((await world.one(FACILITY_STATE, id=facility))["version"])


def _on_facility(**fields: Any) -> Request:
    async def request(world: World, target: Target) -> dict[str, Any]:
        return {"id": gid("Facility", target["id"]), "version": await _facility_version(world, target["id"]), **fields}

    return request


def _facility_link(**fields: Any) -> Request:
    async def request(world: World, target: Target) -> dict[str, Any]:
        version = await _facility_version(world, target["id"])
        action = gid("Action", target["action"])
        return {"facilityId": gid("Facility", target["id"]), "version": version, "actionId": action, **fields}

    return request


async def _add_facility_line(world: World, target: Target) -> dict[str, Any]:
    return {
        "facilityId": gid("Facility", target["id"]),
        "year": 2027,
        "funderId": gid("Organisation", target["caf"]),
        "type": "BONUS_TERRITOIRE",
        "planned": "13000.00",
    }


def _on_line(key: str = "line", **fields: Any) -> Request:
    """The input of a change of one of the object's lines (`key`), at the line's version."""

    async def request(world: World, target: Target) -> dict[str, Any]:
        version = int((await world.one(LINE_VERSION, id=target[key]))["version"])
        return {"id": gid("FundingLine", target[key]), "version": version, **fields}

    return request


LINE_VERSION = "SELECT version FROM funding_line WHERE id = :id"
_facilities = _probe(FACILITY_STATE, "id")

FACILITY_CASES: tuple[Case[FacilitySetting], ...] = (
    Case(
        m.CREATE_FACILITY, _uncreated, _create_facility, _probe(FACILITIES_THERE, "commune"), ("created",), creates=True
    ),
    Case(
        m.UPDATE_FACILITY_CONTACT,
        _facility(),
        _on_facility(email="accueil@equipement.example"),
        _facilities,
        ("email",),
    ),
    Case(m.UPDATE_FACILITY_NAME, _facility(), _on_facility(name="Un autre nom"), _facilities, ("name",)),
    Case(m.ARCHIVE_FACILITY, _facility(), _on_facility(), _facilities, ("archived_at",)),
    Case(m.LINK_ACTION_FACILITY, _facility(), _facility_link(link="CREATES"), _facilities, ("links",)),
    Case(m.UNLINK_ACTION_FACILITY, _facility(), _facility_link(), _facilities, ("linked",)),
    Case(m.ADD_FACILITY_LINE, _facility(), _add_facility_line, _facilities, ("lines",), creates=True),
    Case(m.UPDATE_FACILITY_LINE, _facility(), _on_line(planned="14000.00"), _facilities, ("planned",)),
    Case(m.REMOVE_FACILITY_LINE, _facility(), _on_line(), _facilities, ("lines",)),
)

FUNDING_STATE = """
SELECT a.version, count(l.id) AS lines, sum(l.planned) AS planned, sum(l.granted) AS granted
FROM action a LEFT JOIN funding_line l ON l.action_id = a.id WHERE a.id = :id GROUP BY a.id
"""


async def _funded(world: World, setting: ActionSetting) -> Target:
    """A draft action of the setting funded in 2026 by the Caf of its department and by its carrier."""
    target = await _draft(world, setting)
    target["caf_line"] = await world.funding_line(target["id"], None, target["caf"], "prestation_de_service", "4000.00")
    target["other_line"] = await world.funding_line(
        target["id"], None, target["carrier"], "subvention_fonctionnement", "1000.00"
    )
    return target


def _add_line(funder: str, kind: str) -> Request:
    async def request(world: World, target: Target) -> dict[str, Any]:
        return {
            "actionId": gid("Action", target["id"]),
            "year": 2027,
            "funderId": gid("Organisation", target[funder]),
            "type": kind,
            "planned": "500.00",
        }

    return request


_lines = _probe(FUNDING_STATE, "id")

FUNDING_CASES: tuple[Case[ActionSetting], ...] = (
    Case(m.ADD_LINE, _funded, _add_line("carrier", "SUBVENTION_FONCTIONNEMENT"), _lines, ("lines",), creates=True),
    Case(m.ADD_CAF_LINE, _funded, _add_line("caf", "PRESTATION_DE_SERVICE"), _lines, ("lines",), creates=True),
    Case(m.UPDATE_LINE, _funded, _on_line("other_line", planned="1500.00"), _lines, ("planned",)),
    Case(m.UPDATE_CAF_LINE, _funded, _on_line("caf_line", planned="4500.00"), _lines, ("planned",)),
    Case(m.GRANT_LINE, _funded, _on_line("other_line", granted="900.00"), _lines, ("granted",)),
    Case(m.REMOVE_LINE, _funded, _on_line("other_line"), _lines, ("lines",)),
    Case(m.REMOVE_CAF_LINE, _funded, _on_line("caf_line"), _lines, ("lines",)),
)

CASES: dict[tuple[str, m.Mutation], Case[Any]] = {
    (family.title, case.mutation): case
    for family, cases in (
        (m.ACTIONS, ACTION_CASES),
        (m.CTGS, CTG_CASES),
        (m.SCHEMES, SCHEME_CASES),
        (m.ORGANISATIONS, ORGANISATION_CASES),
        (m.HABILITATIONS, HABILITATION_CASES),
        (m.CAMPAIGNS, CAMPAIGN_CASES),
        (m.MEETINGS, MEETING_CASES),
        (m.FACILITIES, FACILITY_CASES),
        (m.FUNDING_LINES, FUNDING_CASES),
    )
    for case in cases
}

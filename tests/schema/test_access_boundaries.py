"""Where access stops, over HTTP: the edges an outside review of writes probed, each refused with nothing
changed, and the reads that must not be told apart.

- the local authority of a CTG is its signatory local authority, not any whose territory overlaps it;
- budgets follow the relation to the action, not partnership across departments;
- a token's `caf` claim widens no role;
- habilitations never reach beyond their granter, and nobody grants themselves anything;
- archiving takes the children of an archived row out of every read, and a signature still names who signed;
- a hidden row and a missing one are answered by the same statements;
- an update that changes nothing is no change.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.auth.issuer import LocalIssuer
from tests.conftest import recorded_statements
from tests.schema.conftest import bearer, sql
from tests.schema.writing import (
    as_named,
    client,
    codes,
    footprint,
    gid,
    mutate,
    one,
    own_demo,
    owner,
    query,
    row_id,
    writable,
)

__all__ = ["client", "own_demo", "owner", "writable"]  # fixtures of this module

TOULOUSE_METROPOLE = "243100518"
PYRENEES_HAUT_GARONNAISES = "200072635"
BLAGNAC = "commune:31069"  # a member commune of Toulouse Métropole
LUCHON = "commune:31042"  # listed on the communes-scoped CTG of the Pays de Luchon
PARENTS_ENSEMBLE = "demo:association:parents-ensemble-31"

# An action of the EPCI's CTG, with an indicator, that the organisation neither carries nor partners.
ACTION_OF_EPCI = """
SELECT a.id, a.version, a.ctg_id, a.status, min(i.id) AS indicator
FROM action a JOIN scheme s ON s.id = a.ctg_id JOIN indicator i ON i.action_id = a.id
WHERE s.epci_siren = :siren AND a.archived_at IS NULL
  AND a.carrier_id <> (SELECT id FROM organisation WHERE ref = :ref)
  AND NOT EXISTS (SELECT FROM action_partner p JOIN organisation o ON o.id = p.organisation_id
                  WHERE p.action_id = a.id AND o.ref = :ref)
GROUP BY a.id ORDER BY a.id LIMIT 1
"""
CTG_OF_EPCI = "SELECT id FROM scheme WHERE kind = 'CTG' AND epci_siren = :siren"
LUCHON_CTG = "SELECT scheme_id AS id FROM scheme_commune WHERE commune_insee_code = '31042'"
ORGANISATION = "SELECT id FROM organisation WHERE ref = :ref"

CREATE_ACTION = """
mutation ($input: CreateActionInput!) { createAction(input: $input) {
  action { id } errors { field code message currentVersion } } }
"""
UPDATE_ACTION = """
mutation ($input: UpdateActionInput!) { updateAction(input: $input) {
  action { id version updatedAt budget } errors { field code message currentVersion } } }
"""
TRANSITION_ACTION = """
mutation ($input: TransitionActionInput!) { transitionAction(input: $input) {
  action { id } errors { field code message currentVersion } } }
"""
ARCHIVE_ACTION = """
mutation ($input: ArchiveActionInput!) { archiveAction(input: $input) {
  archivedId errors { field code message currentVersion } } }
"""
ADD_PARTNER = """
mutation ($input: AddActionPartnerInput!) { addActionPartner(input: $input) {
  action { id } errors { field code message currentVersion } } }
"""
ADD_INDICATOR = """
mutation ($input: AddActionIndicatorInput!) { addActionIndicator(input: $input) {
  indicator { id } errors { field code message currentVersion } } }
"""
REPORT_VALUE = """
mutation ($input: ReportIndicatorValueInput!) { reportIndicatorValue(input: $input) {
  indicatorValue { id } errors { field code message currentVersion } } }
"""
GRANT = """
mutation ($input: GrantHabilitationInput!) { grantHabilitation(input: $input) {
  habilitation { id status } errors { field code message currentVersion } } }
"""
ACTIONS = "{ actions(first: 100) { totalCount nodes { id budget cafFunding ctg { department { code } } } } }"
STATISTICS = "{ actionStatistics(groupBy: [DEPARTMENT]) { departmentCode actionCount budget cafFunding } }"


def _new_action(ctg_id: int, carrier_id: int, start: str = "2027-01-01") -> dict[str, Any]:
    # (social life and 2027: within the demo CTGs these tests create in)
    return {
        "ctgId": gid("Ctg", ctg_id),
        "title": "Action hors de ses droits",
        "theme": "SOCIAL_LIFE",
        "carrierId": gid("Organisation", carrier_id),
        "periodStart": start,
    }


def _staff(issuer: LocalIssuer, organisation: str, subject: str) -> dict[str, str]:
    return bearer(issuer, "local_authority_staff", organisation=organisation, sub=subject)


async def _every_action_write(
    client: httpx.AsyncClient, headers: dict[str, str], owner: AsyncEngine, action: dict[str, Any]
) -> list[list[tuple[str, str | None]]]:
    """The refusals of every write on `action` (and of a new action in its CTG) by the caller of `headers`."""
    partner = (await one(owner, ORGANISATION, ref="demo:association:clic-et-droits"))["id"]
    action_id, version = gid("Action", action["id"]), action["version"]
    writes = [
        (CREATE_ACTION, _new_action(action["ctg_id"], partner)),
        (UPDATE_ACTION, {"id": action_id, "version": version, "budget": "99999.00", "cafFunding": "99999.00"}),
        (TRANSITION_ACTION, {"id": action_id, "version": version, "status": "ABANDONED"}),
        (ARCHIVE_ACTION, {"id": action_id, "version": version}),
        (ADD_PARTNER, {"actionId": action_id, "version": version, "organisationId": gid("Organisation", partner)}),
        (ADD_INDICATOR, {"actionId": action_id, "version": version, "name": "Détourné", "unit": "u"}),
        (
            REPORT_VALUE,
            {
                "indicatorId": gid("Indicator", action["indicator"]),
                "periodStart": "2030-01-01",
                "periodEnd": "2030-12-31",
                "value": "1",
            },
        ),
    ]
    return [codes(await mutate(client, document, headers, **fields)) for document, fields in writes]


async def test_a_member_commune_changes_nothing_of_its_epcis_ctg(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    # given the staff of Blagnac, a member commune of Toulouse Métropole, whose CTG is the EPCI's
    blagnac = _staff(graph_issuer, BLAGNAC, "blagnac-staff")
    action = await one(owner, ACTION_OF_EPCI, siren=TOULOUSE_METROPOLE, ref=BLAGNAC)
    before = await footprint(owner)

    # when it tries every write on an action of that CTG
    refusals = await _every_action_write(client, blagnac, owner, action)

    # then each is refused, it still reads the CTG's actions, and nothing changed
    forbidden_on = ["ctgId", "id", "id", "id", "actionId", "actionId", "indicatorId"]
    assert refusals == [[("FORBIDDEN", field)] for field in forbidden_on]
    seen = (await query(client, ACTIONS, blagnac))["actions"]
    read = next(node for node in seen["nodes"] if node["id"] == gid("Action", action["id"]))
    assert (read["budget"], read["cafFunding"]) == (None, None)
    assert await footprint(owner) == before


async def test_an_epci_changes_nothing_of_a_ctg_signed_by_its_member_communes(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    # given the staff of the EPCI whose communes signed the communes-scoped CTG of the Pays de Luchon
    epci = _staff(graph_issuer, f"epci:{PYRENEES_HAUT_GARONNAISES}", "pyrenees-staff")
    ctg = (await one(owner, LUCHON_CTG))["id"]
    carrier = (await one(owner, ORGANISATION, ref=LUCHON))["id"]
    before = await footprint(owner)

    # when it creates an action in that CTG
    refused = await mutate(client, CREATE_ACTION, epci, **_new_action(ctg, carrier))

    # then it may not, where the listed commune, the CTG's local authority, may
    assert codes(refused) == [("FORBIDDEN", "ctgId")]
    assert await footprint(owner) == before
    luchon = _staff(graph_issuer, LUCHON, "luchon-staff")
    created = await mutate(client, CREATE_ACTION, luchon, **_new_action(ctg, carrier))
    assert created["errors"] == []


async def test_a_caf_agent_partner_of_another_departments_action_sees_no_budget_there(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    # given the Caf de la Haute-Garonne made a partner of an action of Loire-Atlantique
    (action,) = await sql(
        owner,
        "SELECT a.id FROM action a JOIN scheme s ON s.id = a.ctg_id "
        "WHERE s.department_code = '44' AND a.budget IS NOT NULL ORDER BY a.id LIMIT 1",
    )
    async with owner.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO action_partner (action_id, organisation_id, role) "
                "SELECT :action, id, 'cofinanceur' FROM organisation WHERE ref = 'caf:31'"
            ),
            {"action": action["id"]},
        )
    agent = as_named(graph_issuer, "caf-31-agent")

    # when its agent reads actions and statistics by department
    nodes = (await query(client, ACTIONS, agent))["actions"]["nodes"]
    statistics = (await query(client, STATISTICS, agent))["actionStatistics"]

    # then it sees that action as a partner, without its budget, and no figure for department 44, which it does
    # not see whole: null, never a partial count or sum
    partnered = next(node for node in nodes if node["id"] == gid("Action", action["id"]))
    assert (partnered["budget"], partnered["cafFunding"]) == (None, None)
    assert any(node["budget"] is not None for node in nodes if node["ctg"]["department"]["code"] == "31")
    by_department = {row["departmentCode"]: row for row in statistics}
    assert by_department["44"]["actionCount"] is None
    assert (by_department["44"]["budget"], by_department["44"]["cafFunding"]) == (None, None)
    assert by_department["31"]["budget"] is not None


@pytest.mark.parametrize(
    ("roles", "organisation", "caf"),
    [
        (("cosignatory",), "demo:association:parents-ensemble-31", "44"),
        (("association_member",), "demo:association:parents-ensemble-31", "44"),
        (("caf_manager",), f"epci:{TOULOUSE_METROPOLE}", "31"),
        (("caf_agent", "cosignatory"), "demo:association:parents-ensemble-31", "44"),
    ],
    ids=["cosignatory of an association", "association member", "EPCI staff with a Caf role", "Caf role elsewhere"],
)
async def test_a_caf_claim_widens_no_role(
    client: httpx.AsyncClient,
    graph_issuer: LocalIssuer,
    owner: AsyncEngine,
    roles: tuple[str, ...],
    organisation: str,
    caf: str,
) -> None:
    # given a token naming its organisation, with a `caf` claim beside it
    claimed = bearer(graph_issuer, *roles, organisation=organisation, caf=caf, sub=f"claim-{caf}-{roles[0]}")
    plain = bearer(graph_issuer, *roles, organisation=organisation, sub=f"plain-{caf}-{roles[0]}")

    # when it reads actions, and creates an action in a CTG of the claimed department
    with_claim = (await query(client, ACTIONS, claimed))["actions"]
    without = (await query(client, ACTIONS, plain))["actions"]
    ctg = (await one(owner, "SELECT min(id) AS id FROM scheme WHERE kind = 'CTG' AND department_code = :d", d=caf))[
        "id"
    ]
    carrier = (await one(owner, ORGANISATION, ref=organisation))["id"]
    before = await footprint(owner)
    created = await mutate(client, CREATE_ACTION, claimed, **_new_action(ctg, carrier))

    # then the claim changed nothing: same actions, no budget it did not see, no write
    assert with_claim == without
    assert created["action"] is None
    assert await footprint(owner) == before


VIEWER_ACTIONS = "{ actions(first: 1) { totalCount } }"


async def _grant(
    client: httpx.AsyncClient,
    headers: dict[str, str],
    issuer: LocalIssuer,
    organisation_id: int,
    role: str,
    subject: str,
) -> dict[str, Any]:
    return await mutate(
        client,
        GRANT,
        headers,
        organisationId=gid("Organisation", organisation_id),
        issuer=issuer.url,
        subject=subject,
        email=f"{subject}@example.org",
        role=role,
    )


# Granters beyond the development personas: an admin of the Caf who holds no Caf role.
GRANTERS = {"caf-31-admin": (("organisation_admin",), "caf:31")}
MSA_44 = "seed:msa:loire-atlantique-vendee"
A_CTG_OF_31 = "SELECT min(id) AS id FROM scheme WHERE kind = 'CTG' AND department_code = '31'"


def _granter(issuer: LocalIssuer, name: str) -> dict[str, str]:
    if name in GRANTERS:
        roles, organisation = GRANTERS[name]
        return bearer(issuer, *roles, organisation=organisation, sub=f"dev-{name}")
    return as_named(issuer, name)


@pytest.mark.parametrize(
    ("granter", "organisation", "role", "subject", "field"),
    [
        # an association's admin, granting COSIGNATORY to itself...
        (
            "association-admin",
            "demo:association:parents-ensemble-31",
            "COSIGNATORY",
            "dev-association-admin",
            "subject",
        ),
        # ...or to a colleague: the role reaches the actions of what the association signed, which its admin does not
        ("association-admin", PARENTS_ENSEMBLE, "COSIGNATORY", "colleague-1", "role"),
        # an admin of a Caf who holds no Caf role: the Caf signs every CTG of its department
        ("caf-31-admin", "caf:31", "COSIGNATORY", "colleague-2", "role"),
        # a Caf manager, in an organisation of its department that signs a CTG of another department
        ("caf-44-manager", MSA_44, "COSIGNATORY", "colleague-3", "role"),
    ],
    ids=["self-grant", "cosignatory by an admin", "admin of a Caf", "Caf manager, CTG elsewhere"],
)
async def test_a_habilitation_never_reaches_beyond_its_granter(
    client: httpx.AsyncClient,
    graph_issuer: LocalIssuer,
    owner: AsyncEngine,
    granter: str,
    organisation: str,
    role: str,
    subject: str,
    field: str,
) -> None:
    # given an organisation that signs a CTG of Haute-Garonne (the association: made a signatory; the MSA of
    # Loire-Atlantique too), and its granter
    organisation_id = (await one(owner, ORGANISATION, ref=organisation))["id"]
    async with owner.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO signature (scheme_id, organisation_id, role) "
                "SELECT :ctg, :organisation, 'partenaire' WHERE NOT EXISTS "
                "(SELECT FROM signature WHERE scheme_id = :ctg AND organisation_id = :organisation)"
            ),
            {"ctg": (await one(owner, A_CTG_OF_31))["id"], "organisation": organisation_id},
        )
    headers = _granter(graph_issuer, granter)
    before = await footprint(owner)

    # when it grants the role
    payload = await _grant(client, headers, graph_issuer, organisation_id, role, subject)

    # then the grant is refused on the field at fault, and nothing changed
    assert payload["habilitation"] is None
    assert codes(payload) == [("FORBIDDEN", field)]
    assert await footprint(owner) == before


async def test_a_granter_confers_what_it_holds(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    # given the association's admin
    association = (await one(owner, ORGANISATION, ref="demo:association:parents-ensemble-31"))["id"]

    # when it grants the member role to a colleague
    payload = await _grant(
        client, as_named(graph_issuer, "association-admin"), graph_issuer, association, "ASSOCIATION_MEMBER", "newcomer"
    )

    # then the colleague holds it
    assert payload["errors"] == []
    assert payload["habilitation"]["status"] == "ACTIVE"


ARCHIVE_ORGANISATION = """
mutation ($input: ArchiveOrganisationInput!) { archiveOrganisation(input: $input) {
  organisation { id } errors { field code message currentVersion } } }
"""
CREATE_ORGANISATION = """
mutation ($input: CreateOrganisationInput!) { createOrganisation(input: $input) {
  organisation { id version } errors { field code message currentVersion } } }
"""
SDSF_SIGNATORIES = (
    "{ schemes(filter: {kinds: [SDSF]}) { nodes { title signatures { nodes { organisation { name } } } } } }"
)
NODES = """
query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Indicator { action { id } } ... on IndicatorValue { value } } }
"""
CTG_ACTIONS = "query ($id: ID!) { node(id: $id) { ... on Ctg { actions(first: 100) { totalCount nodes { id } } } } }"
HABILITATION = "query ($id: ID!) { node(id: $id) { id ... on Habilitation { status } } }"
VIEWER = "{ viewer { habilitations { nodes { status } } } }"


async def test_the_children_of_an_archived_action_leave_every_read(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    # given an action of Toulouse Métropole's CTG with an indicator and a reported value, as its Caf reads it
    caf = as_named(graph_issuer, "caf-31-agent")
    action = await one(owner, ACTION_OF_EPCI, siren=TOULOUSE_METROPOLE, ref=PARENTS_ENSEMBLE)
    (value,) = await sql(
        owner, "SELECT v.id FROM indicator_value v WHERE v.indicator_id = :i LIMIT 1", i=action["indicator"]
    ) or [{"id": None}]
    ids = [gid("Indicator", action["indicator"])] + ([gid("IndicatorValue", value["id"])] if value["id"] else [])
    ctg = gid("Ctg", action["ctg_id"])
    before = (await query(client, CTG_ACTIONS, caf, id=ctg))["node"]["actions"]
    assert all(node is not None for node in (await query(client, NODES, caf, ids=ids))["nodes"])

    # when the Caf archives the action
    archived = await mutate(client, ARCHIVE_ACTION, caf, id=gid("Action", action["id"]), version=action["version"])

    # then the action, its indicator and its values are gone from node(s), edges and counts, with no error
    assert archived["errors"] == []
    assert (await query(client, NODES, caf, ids=ids))["nodes"] == [None] * len(ids)
    after = (await query(client, CTG_ACTIONS, caf, id=ctg))["node"]["actions"]
    assert after["totalCount"] == before["totalCount"] - 1
    assert gid("Action", action["id"]) not in {node["id"] for node in after["nodes"]}


async def test_a_signature_still_names_an_archived_signatory(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    # given the prefecture that signed the SDSF of Haute-Garonne
    prefecture = await one(owner, "SELECT id, version FROM organisation WHERE ref = 'seed:prefecture:31'")

    # when the Caf archives it
    archived = await mutate(
        client,
        ARCHIVE_ORGANISATION,
        as_named(graph_issuer, "caf-31-agent"),
        id=gid("Organisation", prefecture["id"]),
        version=prefecture["version"],
    )

    # then anyone, anonymous included, still lists the SDSF's signatories, the prefecture among them
    assert archived["errors"] == []
    response = await client.post("/graphql", json={"query": SDSF_SIGNATORIES})
    body = response.json()
    assert "errors" not in body, body
    names = {
        signature["organisation"]["name"]
        for scheme in body["data"]["schemes"]["nodes"]
        for signature in scheme["signatures"]["nodes"]
    }
    assert "Préfecture de la Haute-Garonne" in names


async def test_the_habilitations_of_an_archived_organisation_count_and_show_no_more(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    # given an organisation the Caf 44 created, and a habilitation its manager granted there
    manager = as_named(graph_issuer, "caf-44-manager")
    created = await mutate(
        client,
        CREATE_ORGANISATION,
        manager,
        kind="ASSOCIATION",
        name="Association éphémère",
        departmentId=gid("Department", "44"),
    )
    organisation = created["organisation"]
    organisation_id = row_id(organisation["id"])
    granted = await _grant(client, manager, graph_issuer, organisation_id, "ASSOCIATION_MEMBER", "ephemeral-member")
    habilitation = granted["habilitation"]
    holder = bearer(graph_issuer, organisation=PARENTS_ENSEMBLE, sub="ephemeral-member")
    assert (await query(client, VIEWER, holder))["viewer"]["habilitations"]["nodes"] == [{"status": "ACTIVE"}]

    # when the Caf archives the organisation
    archived = await mutate(
        client, ARCHIVE_ORGANISATION, manager, id=organisation["id"], version=organisation["version"]
    )

    # then its habilitation leaves every read, its holder's included
    assert archived["errors"] == []
    assert (await query(client, HABILITATION, manager, id=habilitation["id"]))["node"] is None
    assert (await query(client, VIEWER, holder))["viewer"]["habilitations"]["nodes"] == []


NODE = "query ($id: ID!) { node(id: $id) { id } }"
BY_SIREN = "query ($siren: String!) { organisation(siren: $siren) { id } }"
HIDDEN_ORGANISATION = "SELECT id, siren FROM organisation WHERE ref = 'commune:31069'"
HIDDEN_ACTION = "SELECT min(id) AS id FROM action"


async def _statements(
    demo_app: tuple[str, AsyncEngine], headers: dict[str, str], document: str, **variables: Any
) -> tuple[list[str], dict[str, Any]]:
    base_url, engine = demo_app
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as http:
        with recorded_statements(engine) as seen:
            response = await http.post("/graphql", json={"query": document, "variables": variables}, headers=headers)
    assert response.status_code == 200, response.text
    return list(seen), response.json()


async def test_a_hidden_row_and_a_missing_one_are_answered_by_the_same_statements(
    demo_app: tuple[str, AsyncEngine], demo_sql: AsyncEngine
) -> None:
    # given a commune's organisation and an action, which an anonymous caller may not see
    hidden = await one(demo_sql, HIDDEN_ORGANISATION)
    action = (await one(demo_sql, HIDDEN_ACTION))["id"]
    assert hidden["siren"]
    missing_siren = "000000000"

    # when it asks for each, and for a row that does not exist, the same way
    pairs: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
        (NODE, {"id": gid("Organisation", hidden["id"])}, {"id": gid("Organisation", 10**12)}),
        (BY_SIREN, {"siren": hidden["siren"]}, {"siren": missing_siren}),
        (
            UPDATE_ACTION,
            {"input": {"id": gid("Action", action), "version": 1, "title": "Existe-t-elle ?"}},
            {"input": {"id": gid("Action", 10**12), "version": 1, "title": "Existe-t-elle ?"}},
        ),
    ]
    for document, of_hidden, of_missing in pairs:
        seen_hidden, answer_hidden = await _statements(demo_app, {}, document, **of_hidden)
        seen_missing, answer_missing = await _statements(demo_app, {}, document, **of_missing)

        # then the answers say the same and the database ran the same statements
        assert seen_hidden == seen_missing, document
        assert _without_ids(answer_hidden) == _without_ids(answer_missing), document


def _without_ids(answer: dict[str, Any]) -> Any:
    """An answer with every `id` left out: a refusal names no row."""
    if isinstance(answer, dict):
        return {key: _without_ids(value) for key, value in answer.items() if key != "id"}
    if isinstance(answer, list):
        return [_without_ids(item) for item in answer]
    return answer


async def test_an_update_that_changes_nothing_is_no_change(
    client: httpx.AsyncClient, graph_issuer: LocalIssuer, owner: AsyncEngine
) -> None:
    # given an action and an organisation of Haute-Garonne, as their Caf reads them
    caf = as_named(graph_issuer, "caf-31-agent")
    action = await one(
        owner,
        "SELECT a.id, a.version, a.title, a.updated_at FROM action a JOIN scheme s ON s.id = a.ctg_id "
        "WHERE s.department_code = '31' AND a.archived_at IS NULL ORDER BY a.id LIMIT 1",
    )
    organisation = await one(
        owner, "SELECT id, version, name, updated_at FROM organisation WHERE ref = 'demo:association:clic-et-droits'"
    )
    before = await footprint(owner)

    # when the Caf sets their fields to what they hold
    unchanged_action = await mutate(
        client, UPDATE_ACTION, caf, id=gid("Action", action["id"]), version=action["version"], title=action["title"]
    )
    unchanged_organisation = await mutate(
        client,
        UPDATE_ORGANISATION,
        caf,
        id=gid("Organisation", organisation["id"]),
        version=organisation["version"],
        name=organisation["name"],
    )

    # then both succeed at the same version, with no history entry and no new updatedAt
    assert unchanged_action["errors"] == unchanged_organisation["errors"] == []
    assert unchanged_action["action"]["version"] == action["version"]
    assert unchanged_organisation["organisation"]["version"] == organisation["version"]
    assert await footprint(owner) == before
    assert (await one(owner, "SELECT updated_at FROM action WHERE id = :id", id=action["id"]))["updated_at"] == action[
        "updated_at"
    ]


UPDATE_ORGANISATION = """
mutation ($input: UpdateOrganisationInput!) { updateOrganisation(input: $input) {
  organisation { id version } errors { field code message currentVersion } } }
"""

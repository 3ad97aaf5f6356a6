"""The demo data: idempotent, faithful to the Caf 31 and Caf 44 documents, and coherent where illustrative."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from db.demo import DemoReport, load_demo
from db.demo.loader import ACTIONS, SCHEMES
from db.engine import create_engine
from db.errors import DatabaseSetupError
from db.migrate import upgrade
from db.reference.territory_import import import_territories
from tests.conftest import DatabaseFactory

DEMO_TABLES = {
    "organisation": "id",
    "scheme": "id",
    "scheme_commune": "scheme_id, commune_insee_code",
    "scheme_objective": "id",
    "signature": "id",
    "ctg": "scheme_id",
    "governance_body": "id",
    "action": "id",
    "action_partner": "action_id, organisation_id",
    "action_objective": "action_id, objective_id",
    "indicator": "id",
    "indicator_value": "id",
    "facility": "id",
    "facility_action": "facility_id, action_id",
    "funding_line": "id",
    "reporting_campaign": "id",
    "governance_meeting": "id",
    "meeting_decision": "id",
}

# Built from the constant table names above only.
SNAPSHOT = " UNION ALL ".join(
    f"SELECT '{table}' AS table_name, ROW({key})::text AS key, version, updated_at FROM {table}"  # noqa: S608
    for table, key in DEMO_TABLES.items()
)

SCHEME = "SELECT * FROM scheme WHERE ref = :ref"

OBJECTIVES = """
SELECT o.position, o.title FROM scheme_objective o JOIN scheme s ON s.id = o.scheme_id
WHERE s.ref = :ref ORDER BY o.position
"""

SIGNATURES = """
SELECT g.ref, g.name, sig.role, sig.signed_on
FROM signature sig JOIN scheme s ON s.id = sig.scheme_id JOIN organisation g ON g.id = sig.organisation_id
WHERE s.ref = :ref ORDER BY g.name
"""

CTGS = """
SELECT s.ref, s.scope, s.department_code, s.epci_siren, s.status, s.period_start, s.period_end,
       s.summary, parent.kind AS parent_kind, parent.department_code AS parent_department,
       c.scheme_id IS NOT NULL AS has_ctg_row, c.themes, coordinator.kind AS coordinator_kind,
       coordinator.epci_siren AS coordinator_epci,
       (SELECT count(*) FROM action a WHERE a.ctg_id = s.id) AS actions,
       (SELECT count(*) FROM governance_body b WHERE b.ctg_id = s.id) AS governance_bodies,
       (SELECT count(*) FROM scheme_objective o WHERE o.scheme_id = s.id) AS objectives,
       (SELECT count(*) FROM scheme_commune sc WHERE sc.scheme_id = s.id) AS communes,
       EXISTS (SELECT FROM signature sig JOIN organisation caf ON caf.id = sig.organisation_id
               WHERE sig.scheme_id = s.id AND caf.kind = 'caf' AND caf.department_code = s.department_code)
         AS signed_by_its_caf
FROM scheme s
LEFT JOIN scheme parent ON parent.id = s.parent_id
LEFT JOIN ctg c ON c.scheme_id = s.id
LEFT JOIN organisation coordinator ON coordinator.id = c.coordinator_organisation_id
WHERE s.kind = 'CTG'
"""

ACTION_ROWS = """
SELECT a.ref, a.number, a.theme, a.status, a.progress, a.budget, a.caf_funding, a.description,
       c.themes AS ctg_themes,
       (SELECT array_agg(a2.number ORDER BY a2.number) FROM action a2 WHERE a2.ctg_id = a.ctg_id) AS numbers,
       (SELECT count(*) FROM indicator i WHERE i.action_id = a.id) AS indicators,
       (SELECT coalesce(min(n), 0) FROM (SELECT count(v.id) AS n FROM indicator i
         LEFT JOIN indicator_value v ON v.indicator_id = i.id WHERE i.action_id = a.id GROUP BY i.id) AS counts)
         AS fewest_values,
       (SELECT coalesce(max(n), 0) FROM (SELECT count(v.id) AS n FROM indicator i
         LEFT JOIN indicator_value v ON v.indicator_id = i.id WHERE i.action_id = a.id GROUP BY i.id) AS counts)
         AS most_values,
       (SELECT count(*) FROM action_objective ao WHERE ao.action_id = a.id) AS objectives
FROM action a JOIN ctg c ON c.scheme_id = a.ctg_id
"""

# Objectives an action serves that belong neither to its CTG nor to a departmental scheme of the CTG's department.
STRAY_OBJECTIVES = """
SELECT a.ref, o.title
FROM action_objective ao
JOIN action a ON a.id = ao.action_id
JOIN scheme ctg ON ctg.id = a.ctg_id
JOIN scheme_objective o ON o.id = ao.objective_id
JOIN scheme owner ON owner.id = o.scheme_id
WHERE owner.id <> ctg.id AND NOT (owner.scope = 'department' AND owner.department_code = ctg.department_code)
"""

# Departmental schemes whose parent is not the COG in force when they started.
MISPLACED_DEPARTMENTAL = """
SELECT s.ref FROM scheme s LEFT JOIN scheme cog ON cog.id = s.parent_id
WHERE s.scope = 'department' AND s.parent_id IS NOT NULL
  AND NOT (cog.kind = 'COG' AND s.period_start BETWEEN cog.period_start AND cog.period_end)
"""

TERRITORIAL_ORGANISATIONS = """
SELECT o.ref, o.kind, o.siren, o.department_code,
       coalesce(e.siren, c.siren) AS reference_siren, c.department_code AS commune_department
FROM organisation o
LEFT JOIN epci e ON e.siren = o.epci_siren AND o.kind = 'epci'
LEFT JOIN commune c ON c.insee_code = o.commune_insee_code AND o.kind = 'commune'
WHERE o.ref LIKE 'epci:%' OR o.ref LIKE 'commune:%'
"""

ASSOCIATION_REACH = """
SELECT o.ref,
       count(DISTINCT carried.ctg_id) AS ctgs_carried,
       count(DISTINCT partnered.ctg_id) FILTER (WHERE partnered.ctg_id NOT IN
         (SELECT ctg_id FROM action WHERE carrier_id = o.id)) AS other_ctgs_partnered
FROM organisation o
LEFT JOIN action carried ON carried.carrier_id = o.id
LEFT JOIN action_partner p ON p.organisation_id = o.id
LEFT JOIN action partnered ON partnered.id = p.action_id
WHERE o.kind = 'association' AND o.ref LIKE 'demo:%'
GROUP BY o.id, o.ref
"""

REPLACED = """
SELECT ctg.ref AS ctg, cej.kind, cej.status, cej.period_start, cej.period_end,
       cej.epci_siren = ctg.epci_siren AS same_epci
FROM ctg c JOIN scheme ctg ON ctg.id = c.scheme_id JOIN scheme cej ON cej.id = c.replaces_scheme_id
"""


async def _all(engine: AsyncEngine, sql: str, **params: Any) -> list[dict[str, Any]]:
    async with engine.connect() as connection:
        return [dict(row) for row in (await connection.execute(text(sql), params)).mappings()]


async def _one(engine: AsyncEngine, sql: str, **params: Any) -> dict[str, Any]:
    (row,) = await _all(engine, sql, **params)
    return row


async def _snapshot(engine: AsyncEngine) -> set[tuple[Any, ...]]:
    return {tuple(row.values()) for row in await _all(engine, SNAPSHOT)}


@pytest.fixture(scope="module")
async def demo_engine(new_database: DatabaseFactory) -> AsyncIterator[AsyncEngine]:
    """A database of its own, so that the demo rows do not leak into other tests' counts."""
    url = await new_database()
    await upgrade(url)
    engine = create_engine(url, pool_size=2)
    await import_territories(engine)
    yield engine
    await engine.dispose()


@pytest.fixture(scope="module")
async def first_load(demo_engine: AsyncEngine) -> DemoReport:
    return await load_demo(demo_engine)


@pytest.fixture
async def demo(demo_engine: AsyncEngine, first_load: DemoReport) -> AsyncEngine:
    return demo_engine


# Idempotence


async def test_the_first_load_inserts_every_row_and_updates_none(first_load: DemoReport) -> None:
    assert set(first_load.inserted) == set(DEMO_TABLES)
    assert first_load.inserted["scheme"] == len(SCHEMES)
    assert first_load.inserted["action"] == len(ACTIONS)
    assert first_load.inserted["indicator_value"] == sum(
        len(indicator.readings) for action in ACTIONS for indicator in action.indicators
    )
    assert not any(first_load.updated.values())


async def test_loading_again_changes_no_row(demo: AsyncEngine) -> None:
    # given
    before = await _snapshot(demo)

    # when
    report = await load_demo(demo)

    # then
    assert not report.changed
    assert set(report.inserted) == set(DEMO_TABLES)
    assert await _snapshot(demo) == before


async def test_loading_again_repairs_a_changed_row_and_only_that_one(demo: AsyncEngine) -> None:
    # given
    async with demo.begin() as connection:
        await connection.execute(
            text("UPDATE action SET title = 'Titre modifié' WHERE ref = :ref"), {"ref": ACTIONS[0].ref}
        )

    # when
    report = await load_demo(demo)

    # then
    assert report.updated["action"] == 1
    assert sum(report.updated.values()) == 1
    assert not any(report.inserted.values())
    action = await _one(demo, "SELECT title, version FROM action WHERE ref = :ref", ref=ACTIONS[0].ref)
    assert action == {"title": ACTIONS[0].title, "version": 3}


async def test_the_demo_needs_the_territory_reference(new_database: DatabaseFactory) -> None:
    # given a migrated database without the territory reference
    url = await new_database()
    await upgrade(url)
    engine = create_engine(url, pool_size=1)
    try:
        # when / then
        with pytest.raises(DatabaseSetupError, match="import the territory reference first"):
            await load_demo(engine)
        assert await _one(engine, "SELECT count(*) AS n FROM organisation") == {"n": 0}
    finally:
        await engine.dispose()


# Real facts from the Caf 31 and Caf 44 documents


async def test_three_cogs_state_cnaf_with_their_periods(demo: AsyncEngine) -> None:
    cogs = await _all(
        demo, "SELECT period_start, period_end, status, scope FROM scheme WHERE kind = 'COG' ORDER BY period_start"
    )

    assert cogs == [
        {"period_start": date(2013, 1, 1), "period_end": date(2017, 12, 31), "status": "expired", "scope": "national"},
        {"period_start": date(2018, 1, 1), "period_end": date(2022, 12, 31), "status": "expired", "scope": "national"},
        {"period_start": date(2023, 1, 1), "period_end": date(2027, 12, 31), "status": "active", "scope": "national"},
    ]
    for ref in ("seed:cog:2013-2017", "seed:cog:2018-2022", "seed:cog:2023-2027"):
        assert {row["ref"] for row in await _all(demo, SIGNATURES, ref=ref)} == {"cnaf", "seed:etat"}


async def test_the_cpog_2013_2017_of_loire_atlantique_has_its_four_orientations_in_order(demo: AsyncEngine) -> None:
    cpog = await _one(demo, SCHEME, ref="seed:cpog:44:2013-2017")
    orientations = await _all(demo, OBJECTIVES, ref="seed:cpog:44:2013-2017")
    signatories = await _all(demo, SIGNATURES, ref="seed:cpog:44:2013-2017")

    assert (cpog["kind"], cpog["scope"], cpog["department_code"]) == ("CPOG", "department", "44")
    assert cpog["parent_id"] == (await _one(demo, SCHEME, ref="seed:cog:2013-2017"))["id"]
    assert [row["title"] for row in orientations] == [
        "renforcer le développement de l’offre d’accueil des jeunes enfants en direction de toutes les familles "
        "et de tous les territoires",
        "contribuer à la structuration d’une offre « enfance et jeunesse » adaptée aux besoins des familles",
        "soutenir la fonction parentale et faciliter les relations parents-enfants",
        "faciliter l’intégration sociale des familles dans leur environnement et contribuer à la cohésion sociale "
        "sur les territoires",
    ]
    assert [row["position"] for row in orientations] == [1, 2, 3, 4]
    assert {row["ref"] for row in signatories} == {"cnaf", "caf:44"}


async def test_the_sdavs_31_has_its_five_stakes(demo: AsyncEngine) -> None:
    stakes = await _all(demo, OBJECTIVES, ref="seed:sdavs:31")

    assert [row["position"] for row in stakes] == [1, 2, 3, 4, 5]
    assert stakes[0]["title"].startswith("développer une politique de l’animation de la vie sociale concertée")
    assert "(SENACS)" in stakes[3]["title"]
    assert stakes[4]["title"].startswith("renforcer les partenariats locaux en matière de pilotage")


async def test_the_sdsf_31_was_initiated_during_the_cog_2013_2017(demo: AsyncEngine) -> None:
    sdsf = await _one(demo, SCHEME, ref="seed:sdsf:31")
    cog = await _one(demo, SCHEME, ref="seed:cog:2013-2017")

    assert sdsf["parent_id"] == cog["id"]
    assert cog["period_start"] <= sdsf["period_start"] <= cog["period_end"]
    assert "Supposé" in sdsf["summary"]


async def test_the_sdsf_44_2018_2022_has_its_three_orientations(demo: AsyncEngine) -> None:
    sdsf = await _one(demo, SCHEME, ref="seed:sdsf:44:2018-2022")
    orientations = await _all(demo, OBJECTIVES, ref="seed:sdsf:44:2018-2022")

    assert (sdsf["period_start"], sdsf["period_end"]) == (date(2018, 1, 1), date(2022, 12, 31))
    assert [row["title"] for row in orientations] == [
        "accompagner les familles et favoriser le développement des enfants",
        "créer les conditions favorables à l’autonomie et à l’insertion des",
        "consolider notre capacité de pilotage de la territorialisation des politiques",
    ]


async def test_the_sdavs_44_was_signed_on_8_february_2017_by_nine_signatories(demo: AsyncEngine) -> None:
    signatures = await _all(demo, SIGNATURES, ref="seed:sdavs:44:2017")

    assert len(signatures) == 9
    assert {row["signed_on"] for row in signatures} == {date(2017, 2, 8)}
    assert {row["name"] for row in signatures} == {
        "Caf de la Loire-Atlantique",
        "Préfecture de la Loire-Atlantique",
        "Conseil départemental de Loire-Atlantique",
        "Carsat Pays de la Loire",
        "Mutualité sociale agricole Loire-Atlantique-Vendée",
        "Direction des services départementaux de l'éducation nationale de Loire-Atlantique",
        "Mairie de Nantes",
        "Mairie de Saint-Nazaire",
        "Fédération des centres sociaux de Loire-Atlantique",
    }


async def test_the_education_charter_has_six_signatories_since_2008(demo: AsyncEngine) -> None:
    charter = await _one(demo, SCHEME, ref="seed:charte-politiques-educatives:44")
    signatures = await _all(demo, SIGNATURES, ref="seed:charte-politiques-educatives:44")

    assert (charter["kind"], charter["period_start"].year, charter["period_end"]) == ("EDUCATION_CHARTER", 2008, None)
    assert {row["ref"] for row in signatures} == {
        "seed:drdjscs:44",
        "seed:dsden:44",
        "seed:departement:44",
        "seed:association-des-maires:44",
        "caf:44",
        "seed:msa:loire-atlantique-vendee",
    }


async def test_the_cog_2018_2022_puts_conciliation_first_then_its_four_fields(demo: AsyncEngine) -> None:
    objectives = await _all(demo, OBJECTIVES, ref="seed:cog:2018-2022")

    assert [row["position"] for row in objectives] == [1, 2, 3, 4, 5]
    assert objectives[0]["title"] == (
        "rendre possible la conciliation entre vie familiale, vie professionnelle et vie sociale"
    )
    assert objectives[1]["title"].startswith("l’accueil du jeune enfant")


async def test_the_education_charter_has_its_two_strategic_objectives(demo: AsyncEngine) -> None:
    objectives = await _all(demo, OBJECTIVES, ref="seed:charte-politiques-educatives:44")

    assert [row["title"] for row in objectives] == [
        "réduire les disparités territoriales en matière de politiques éducatives",
        "assurer la complémentarité des acteurs",
    ]


async def test_the_sdsf_31_gathers_epcis_and_parenting_associations(demo: AsyncEngine) -> None:
    kinds = await _all(
        demo,
        "SELECT o.kind, count(*) AS n FROM signature s JOIN organisation o ON o.id = s.organisation_id "
        "JOIN scheme sc ON sc.id = s.scheme_id WHERE sc.ref = 'seed:sdsf:31' GROUP BY o.kind",
    )

    counts = {row["kind"]: row["n"] for row in kinds}
    assert counts["epci"] >= 2
    assert counts["association"] >= 1
    assert {"caf", "state_service", "departmental_council"} <= counts.keys()


async def test_both_sdavs_name_senacs_set_up_in_2011_by_the_cnaf_and_the_federation(demo: AsyncEngine) -> None:
    sdavs_44 = await _one(demo, SCHEME, ref="seed:sdavs:44:2017")
    sdavs_31 = await _one(demo, SCHEME, ref="seed:sdavs:31")

    for summary in (sdavs_44["summary"], sdavs_31["summary"]):
        assert "Senacs" in summary
        assert "mis en place en 2011 par la Cnaf et la fédération nationale des centres sociaux" in summary


async def test_every_seed_scheme_points_at_its_cafs_partner_pages(demo: AsyncEngine) -> None:
    seeds = await _all(demo, "SELECT ref, department_code, source_url FROM scheme WHERE ref LIKE 'seed:%'")

    assert len(seeds) == 9
    pages = {"31": "caf-de-la-haute-garonne", "44": "caf-de-loire-atlantique", None: "caf-de-la-haute-garonne"}
    for seed in seeds:
        assert seed["source_url"] == f"https://www.caf.fr/partenaires/{pages[seed['department_code']]}", seed


async def test_every_scheme_past_draft_was_signed_by_each_signatory_on_a_day(demo: AsyncEngine) -> None:
    # The life cycle lets no scheme leave draft without a signatory, each with its signing day.
    unsigned = await _all(
        demo,
        "SELECT sc.ref, count(s.organisation_id) AS signatories, count(s.signed_on) AS signed FROM scheme sc "
        "LEFT JOIN signature s ON s.scheme_id = sc.id WHERE sc.status <> 'draft' GROUP BY sc.ref "
        "HAVING count(s.organisation_id) = 0 OR count(s.signed_on) < count(s.organisation_id)",
    )

    assert unsigned == []


async def test_every_scheme_implements_a_parent_in_force_when_it_starts(demo: AsyncEngine) -> None:
    # As the chain's rule says for a new scheme (db/writes/schemes/chain.py).
    lapsed = await _all(
        demo,
        "SELECT s.ref FROM scheme s JOIN scheme p ON p.id = s.parent_id "
        "WHERE p.period_end IS NOT NULL AND p.period_end < s.period_start",
    )

    assert lapsed == []


async def test_real_institutions_carry_no_invented_siren(demo: AsyncEngine) -> None:
    numbered = await _all(
        demo,
        "SELECT ref FROM organisation WHERE (ref LIKE 'seed:%' OR ref LIKE 'demo:%') "
        "AND (siren IS NOT NULL OR siret IS NOT NULL)",
    )

    assert numbered == []


# Coherence of the illustrative part


async def test_each_department_has_at_least_four_ctgs_each_with_its_plan(demo: AsyncEngine) -> None:
    ctgs = await _all(demo, CTGS)

    assert sum(1 for ctg in ctgs if ctg["department_code"] == "31") >= 4
    assert sum(1 for ctg in ctgs if ctg["department_code"] == "44") >= 4
    assert {ctg["status"] for ctg in ctgs} >= {"active", "signed", "draft", "expired"}
    for ctg in ctgs:
        assert ctg["has_ctg_row"], ctg["ref"]
        assert 4 <= ctg["actions"] <= 8, ctg["ref"]
        assert 2 <= ctg["governance_bodies"] <= 3, ctg["ref"]
        assert ctg["objectives"] >= 2, ctg["ref"]
        assert ctg["signed_by_its_caf"], ctg["ref"]
        assert ctg["summary"].startswith("Exemple illustratif — "), ctg["ref"]
        assert date(2020, 1, 1) <= ctg["period_start"] <= ctg["period_end"] <= date(2028, 12, 31), ctg["ref"]


async def test_ctgs_hang_off_their_departments_schemes_and_sit_on_their_territory(demo: AsyncEngine) -> None:
    ctgs = await _all(demo, CTGS)

    for ctg in ctgs:
        assert ctg["parent_kind"] in ("SDSF", "SDAVS", "EDUCATION_CHARTER"), ctg["ref"]
        assert ctg["parent_department"] == ctg["department_code"], ctg["ref"]
        if ctg["scope"] == "epci":
            assert ctg["coordinator_kind"] == "epci", ctg["ref"]
            assert ctg["coordinator_epci"] == ctg["epci_siren"], ctg["ref"]
        else:
            assert 2 <= ctg["communes"] <= 4, ctg["ref"]
    assert any(ctg["scope"] == "communes" for ctg in ctgs)
    assert await _all(demo, MISPLACED_DEPARTMENTAL) == []


async def test_communes_covered_by_a_ctg_are_in_its_department(demo: AsyncEngine) -> None:
    strays = await _all(
        demo,
        "SELECT s.ref, c.insee_code FROM scheme_commune sc JOIN scheme s ON s.id = sc.scheme_id "
        "JOIN commune c ON c.insee_code = sc.commune_insee_code WHERE c.department_code <> s.department_code",
    )

    assert strays == []


async def test_a_ctg_replaces_a_cej_of_the_same_epci(demo: AsyncEngine) -> None:
    replaced = await _all(demo, REPLACED)

    assert replaced
    for row in replaced:
        assert row["kind"] == "CEJ", row["ctg"]
        assert row["status"] in ("expired", "superseded"), row["ctg"]
        assert (row["period_start"].year, row["period_end"].year) == (2015, 2018), row["ctg"]
        assert row["same_epci"], row["ctg"]


async def test_actions_are_numbered_funded_and_followed_consistently(demo: AsyncEngine) -> None:
    actions = await _all(demo, ACTION_ROWS)

    assert {action["status"] for action in actions} >= {
        "draft",
        "submitted",
        "validated",
        "in_progress",
        "done",
        "abandoned",
    }
    for action in actions:
        ref = action["ref"]
        assert action["numbers"] == list(range(1, len(action["numbers"]) + 1)), ref
        assert action["theme"] in action["ctg_themes"], ref
        assert action["description"].startswith("Exemple illustratif — "), ref
        assert action["budget"] is not None, ref
        assert action["budget"] >= 0, ref
        assert action["caf_funding"] is None or 0 <= action["caf_funding"] <= action["budget"], ref
        if action["status"] == "in_progress":
            assert action["progress"] is not None, ref
            assert 0 < action["progress"] < 100, ref
        if action["status"] == "done":
            assert action["progress"] == 100, ref
        assert 1 <= action["indicators"] <= 2, ref
        assert action["fewest_values"] >= 1, ref
        assert action["most_values"] <= 3, ref
        assert action["objectives"] >= 1, ref


async def test_actions_serve_objectives_of_their_ctg_or_of_its_departments_schemes(demo: AsyncEngine) -> None:
    assert await _all(demo, STRAY_OBJECTIVES) == []


async def test_epci_and_commune_organisations_take_their_siren_from_the_territory_reference(
    demo: AsyncEngine,
) -> None:
    organisations = await _all(demo, TERRITORIAL_ORGANISATIONS)

    assert {row["kind"] for row in organisations} == {"epci", "commune"}
    for row in organisations:
        assert row["siren"] is not None, row["ref"]
        assert row["siren"] == row["reference_siren"], row["ref"]
        assert row["department_code"] is not None, row["ref"]
        if row["kind"] == "commune":
            assert row["department_code"] == row["commune_department"], row["ref"]


async def test_some_association_carries_actions_in_two_ctgs_and_partners_in_another(demo: AsyncEngine) -> None:
    reach = await _all(demo, ASSOCIATION_REACH)

    assert any(row["ctgs_carried"] >= 2 and row["other_ctgs_partnered"] >= 1 for row in reach)
    assert all(row["ctgs_carried"] + row["other_ctgs_partnered"] >= 1 for row in reach)

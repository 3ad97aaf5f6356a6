"""The national generator's data holds together as the service's own writes would keep it.

Facilities and funding lines are written by COPY with the totals trigger deferred: each action's lines must
add up to the budget and Caf funding it was generated with, every action keep to its CTG's themes, and the
facilities follow population.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import URL

from db.engine import create_engine


async def _rows(url: URL, statement: str, **parameters: Any) -> list[Any]:
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.connect() as connection:
            return list(await connection.execute(text(statement), parameters))
    finally:
        await engine.dispose()


async def test_each_actions_funding_lines_add_up_to_its_budget_and_caf_funding(national_sample: URL) -> None:
    # given the generated actions that have funding lines, with the totals the lines make
    rows = await _rows(
        national_sample,
        "SELECT a.id, a.budget, a.caf_funding, sum(l.planned) AS planned, "
        "coalesce(sum(l.planned) FILTER (WHERE o.kind = 'caf'), 0) AS caf "
        "FROM action a JOIN funding_line l ON l.action_id = a.id JOIN organisation o ON o.id = l.funder_id "
        "WHERE a.ref LIKE 'bench:%' GROUP BY a.id",
    )

    # then there are some, and every one's budget and Caf funding are its lines' totals
    assert len(rows) > 100
    assert [row.id for row in rows if (row.budget, row.caf_funding) != (row.planned, row.caf)] == []


async def test_generated_actions_keep_to_their_ctgs_themes(national_sample: URL) -> None:
    off = await _rows(
        national_sample,
        "SELECT a.id FROM action a JOIN ctg c ON c.scheme_id = a.ctg_id "
        "WHERE a.ref LIKE 'bench:%' AND NOT a.theme = ANY (c.themes)",
    )
    assert off == []


async def test_facilities_follow_population_and_have_their_place(national_sample: URL) -> None:
    # given the generated facilities per department, beside the population of the communes they were drawn for
    rows = await _rows(
        national_sample,
        "SELECT count(*) AS facilities, count(*) FILTER (WHERE department_code IS NULL) AS unplaced, "
        "count(DISTINCT kind) AS kinds FROM facility WHERE ref LIKE 'bench:%'",
    )
    (row,) = rows

    # then there are facilities of most kinds, each placed in its commune's department by the trigger
    assert row.facilities > 100
    assert row.kinds >= 10
    assert row.unplaced == 0


@pytest.mark.parametrize("funding_type", ["prestation_de_service", "bonus_territoire"])
async def test_facilities_are_funded_by_their_departments_caf(national_sample: URL, funding_type: str) -> None:
    # given the facilities' funding lines of one type
    rows = await _rows(
        national_sample,
        "SELECT count(*) AS lines, count(*) FILTER (WHERE o.kind <> 'caf' OR o.department_code <> f.department_code) "
        "AS elsewhere FROM funding_line l JOIN facility f ON f.id = l.facility_id "
        "JOIN organisation o ON o.id = l.funder_id WHERE f.ref LIKE 'bench:%' AND l.type = :type",
        type=funding_type,
    )
    (row,) = rows

    # then there are some, all from the Caf of the facility's department
    assert row.lines > 0
    assert row.elsewhere == 0


async def test_the_bonus_territoire_goes_only_to_facilities_under_a_ctg_in_force_that_year(
    national_sample: URL,
) -> None:
    # given each generated bonus territoire line, and whether a CTG covered its facility's commune that year
    uncovered = await _rows(
        national_sample,
        "SELECT l.id FROM funding_line l JOIN facility f ON f.id = l.facility_id "
        "WHERE f.ref LIKE 'bench:%' AND l.type = 'bonus_territoire' AND NOT EXISTS ("
        " SELECT FROM scheme s LEFT JOIN scheme_commune sc ON sc.scheme_id = s.id "
        " WHERE s.kind = 'CTG' AND s.ref LIKE 'bench:%' AND s.status IN ('active', 'signed', 'expired')"
        " AND extract(year FROM s.period_start) <= l.year AND extract(year FROM s.period_end) >= l.year"
        " AND (sc.commune_insee_code = f.commune_insee_code"
        "      OR (sc.scheme_id IS NULL AND s.epci_siren = f.epci_siren)))",
    )
    assert uncovered == []

"""Named load workloads: a GraphQL document with the variables it rotates over, and its floor.

The floor of a workload is one hand-written SQL statement whose result is the JSON of the GraphQL
answer's `data`, built by PostgreSQL (json_build_object, json_agg). Sent through a bare asyncpg pool,
it is the least any server in Python could do to answer the same question, so the ratio of the
floor's throughput to the GraphQL endpoint's is the cost of the GraphQL layer.

Each workload is built for one caller: its floor keeps the rows the caller's scope reaches with the
plain WHERE clauses of `bench.scopes`, and its calls ask what that caller would (its department, CTGs
it sees), picked from the data by `sample`.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import asyncpg

from bench.scopes import Scope
from db.models.enums import Theme

# French full-text queries, from the words of `bench.vocabulary`: a common word, a rarer one, a
# phrase, an exclusion and an `or`, so that totals range from a handful to thousands of actions.
SEARCHES = (
    "crèche",
    "ludothèque",
    '"accueil de loisirs"',
    "numérique -conseiller",
    "parentalité or médiation",
)
_CTG_SAMPLE = 32  # CTGs workload B rotates over
ORGANISATION_SEARCH = "familles"  # workload O10's search: a word of many association names
NATIONAL = Scope(national=True)


@dataclass(frozen=True)
class Call:
    """One request of a workload: the GraphQL variables and the floor's parameters, same question."""

    variables: dict[str, Any]
    floor_arguments: tuple[Any, ...]


@dataclass(frozen=True)
class Workload:
    name: str
    summary: str
    document: str
    floor: str
    calls: tuple[Call, ...]
    persona: str = "cnaf-analyst"  # whose token asks, whose scope the floor encodes

    def call(self, n: int) -> Call:
        """The n-th request's call: the calls rotate."""
        return self.calls[n % len(self.calls)]


@dataclass(frozen=True)
class Sample:
    """What the workloads are built on, read once from the data."""

    department: str | None  # the department with the most CTGs the caller sees (None: it sees none)
    department_ctgs: int
    ctg_ids: tuple[int, ...]  # CTGs it sees, evenly spread


NAMES = ("A", "A10", "A100", "B", "C", "D")  # the workloads every contender answers (PostGraphile too)
PERSONA_NAMES = (*NAMES, "P20", "O10", "F20")  # the read workloads of the persona table
SINGLE_CLIENT = ("P20", "O10", "F20")  # the pages a person waits for: measured with one client too

_ACTION_PAGE = "actions(first: 100) { nodes { title theme status carrier { name } } }"


def _actions_json(ctg: str, scope: Scope) -> str:
    """A CTG's first 100 visible actions in the GraphQL order (number, then id) as {"nodes": [...]}; `ctg` is
    the CTG's id column in the enclosing query. Enum values are stored as the lower case of their names."""
    return f"""json_build_object('nodes', coalesce((
    SELECT json_agg(json_build_object(
               'title', action.title, 'theme', upper(action.theme), 'status', upper(action.status),
               'carrier', json_build_object('name', carrier.name)
           ) ORDER BY action.number, action.id)
    FROM (SELECT id, number, title, theme, status, carrier_id FROM action
          WHERE ctg_id = {ctg} AND {scope.action_visible("action")} ORDER BY number, id LIMIT 100) AS action
    JOIN organisation AS carrier ON carrier.id = action.carrier_id
), '[]'))"""  # noqa: S608 (the scope's fragments hold checked literals only)


def _ctg_page(name: str, department: str | None, first: int, scope: Scope) -> Workload:
    territory = "(filter: {territory: {department: $d}}, first: $first)" if department else "(first: $first)"
    parameters = "($d: String!, $first: Int!)" if department else "($first: Int!)"
    document = (
        f"query {name}{parameters} {{ ctgs{territory} {{ edges {{ node {{ title epci {{ name }} "
        f"signatures(first: 100) {{ nodes {{ organisation {{ name }} }} }} {_ACTION_PAGE} }} }} }} }}"
    )
    where = "AND scheme.department_code = $1" if department else ""
    limit = "$2" if department else "$1"
    floor = f"""
SELECT json_build_object('ctgs', json_build_object('edges', coalesce(json_agg(json_build_object('node',
    json_build_object(
        'title', page.title,
        'epci', (SELECT json_build_object('name', epci.name) FROM epci WHERE epci.siren = page.epci_siren),
        'signatures', json_build_object('nodes', coalesce((
            SELECT json_agg(json_build_object('organisation', json_build_object('name', signatory.name))
                            ORDER BY signature.signed_on, signature.id)
            FROM (SELECT id, organisation_id, signed_on FROM signature
                  WHERE scheme_id = page.id ORDER BY signed_on, id LIMIT 100) AS signature
            JOIN organisation AS signatory ON signatory.id = signature.organisation_id
        ), '[]')),
        'actions', {_actions_json("page.id", scope)}
    )) ORDER BY page.period_start, page.id), '[]')))
FROM (
    SELECT scheme.id, scheme.title, scheme.epci_siren, scheme.period_start
    FROM scheme JOIN ctg ON ctg.scheme_id = scheme.id
    WHERE {scope.scheme_visible("scheme")} {where}
    ORDER BY scheme.period_start, scheme.id LIMIT {limit}
) AS page
"""  # noqa: S608 (assembled from this module's constant fragments; values are bind parameters)
    variables: dict[str, Any] = {"first": first}
    arguments: tuple[Any, ...] = (first,)
    if department:
        variables["d"] = department
        arguments = (department, first)
    where_text = f"department {department}" if department else "France, no territory filter"
    summary = f"first {first} CTGs ({where_text}) with EPCI, signatories and up to 100 actions each"
    return Workload(name, summary, document, floor, (Call(variables, arguments),))


def _ctg_by_id(ctg_ids: Sequence[int], scope: Scope) -> Workload:
    document = f"query B($id: ID!) {{ node(id: $id) {{ ... on Ctg {{ title {_ACTION_PAGE} }} }} }}"
    floor = f"""
SELECT json_build_object('node', (
    SELECT json_build_object('title', scheme.title, 'actions', {_actions_json("scheme.id", scope)})
    FROM scheme JOIN ctg ON ctg.scheme_id = scheme.id WHERE scheme.id = $1 AND {scope.scheme_visible("scheme")}
))
"""  # noqa: S608 (assembled from this module's constant fragments; the id is a bind parameter)
    calls = tuple(Call({"id": global_id("Ctg", ctg_id)}, (ctg_id,)) for ctg_id in ctg_ids)
    return Workload(
        "B", f"one CTG by global ID with up to 100 actions, rotating over {len(calls)} CTGs", document, floor, calls
    )


def _statistics(department: str, scope: Scope) -> Workload:
    document = (
        "query C($d: String!) { actionStatistics(filter: {territory: {department: $d}}, groupBy: [THEME]) "
        "{ theme actionCount } }"
    )
    # The statistics order groups by the stored theme value (lower case), in the database's collation.
    floor = f"""
SELECT json_build_object('actionStatistics', coalesce(json_agg(
    json_build_object(
        'theme', upper(per_theme.theme),
        'actionCount', CASE WHEN {scope.department_seen_whole("$1")} THEN per_theme.n END
    ) ORDER BY per_theme.theme
), '[]'))
FROM (
    SELECT action.theme, count(*) AS n
    FROM action JOIN scheme ON scheme.id = action.ctg_id
    WHERE scheme.department_code = $1 AND {scope.action_visible("action")}
    GROUP BY action.theme
) AS per_theme
"""  # noqa: S608 (the scope's fragments hold checked literals only)
    summary = f"action count per theme in department {department} (actionStatistics, groupBy THEME)"
    return Workload("C", summary, document, floor, (Call({"d": department}, (department,)),))


def _counts_per_theme(department: str, scope: Scope) -> Workload:
    """Workload C for a schema without `actionStatistics`: one `totalCount` per theme, aliased."""
    fields = " ".join(
        f"{theme.value}: actions(filter: {{territory: {{department: $d}}, themes: [{theme.name}]}}, first: 0) "
        "{ totalCount }"
        for theme in Theme
    )
    document = f"query C($d: String!) {{ {fields} }}"
    counts = ", ".join(
        f"'{theme.value}', json_build_object('totalCount', count(*) FILTER (WHERE action.theme = '{theme.value}'))"
        for theme in Theme
    )
    floor = f"""
SELECT json_build_object({counts})
FROM action JOIN scheme ON scheme.id = action.ctg_id
WHERE scheme.department_code = $1 AND {scope.action_visible("action")}
"""  # noqa: S608 (theme values come from the Theme enum, the scope's literals are checked; the department is a bind parameter)
    summary = f"action count per theme in department {department} (9 aliased `actions(first: 0) {{ totalCount }}`)"
    return Workload("C", summary, document, floor, (Call({"d": department}, (department,)),))


def _search(scope: Scope) -> Workload:
    document = (
        "query D($q: String!) { actions(filter: {search: $q}, first: 20) "
        "{ totalCount nodes { title ctg { title } carrier { name } } } }"
    )
    floor = f"""
WITH hit AS (
    SELECT id, ctg_id, number, title, carrier_id FROM action
    WHERE search @@ websearch_to_tsquery('french', fold_accents($1)) AND {scope.action_visible("action")}
)
SELECT json_build_object('actions', json_build_object(
    'totalCount', (SELECT count(*) FROM hit),
    'nodes', coalesce((
        SELECT json_agg(json_build_object(
                   'title', page.title, 'ctg', json_build_object('title', ctg.title),
                   'carrier', json_build_object('name', carrier.name)
               ) ORDER BY page.ctg_id, page.number, page.id)
        FROM (SELECT * FROM hit ORDER BY ctg_id, number, id LIMIT 20) AS page
        JOIN scheme AS ctg ON ctg.id = page.ctg_id
        JOIN organisation AS carrier ON carrier.id = page.carrier_id
    ), '[]')
))
"""  # noqa: S608 (the scope's fragments hold checked literals only)
    calls = tuple(Call({"q": query}, (query,)) for query in SEARCHES)
    summary = f"French full-text search of the actions it sees, first 20, rotating over {len(calls)} queries"
    return Workload("D", summary, document, floor, calls)


def _sql_global_id(type_name: str, key: str) -> str:
    """`global_id` in SQL: URL-safe base64 of "Type:key", without padding (short: no line breaks)."""
    return f"rtrim(translate(encode(convert_to('{type_name}:' || {key}, 'UTF8'), 'base64'), '+/', '-_'), '=')"


def _action_page(scope: Scope) -> Workload:
    document = "query P20 { actions(first: 20) { totalCount nodes { id title budget carrier { name } } } }"
    floor = f"""
SELECT json_build_object('actions', json_build_object(
    'totalCount', (SELECT count(*) FROM action WHERE {scope.action_visible("action")}),
    'nodes', coalesce((
        SELECT json_agg(json_build_object(
                   'id', {_sql_global_id("Action", "page.id")}, 'title', page.title,
                   'budget', CASE WHEN {scope.budget_shown("page")} THEN page.budget::text END,
                   'carrier', json_build_object('name', carrier.name)
               ) ORDER BY page.ctg_id, page.number, page.id)
        FROM (SELECT id, ctg_id, number, title, budget, carrier_id FROM action
              WHERE {scope.action_visible("action")} ORDER BY ctg_id, number, id LIMIT 20) AS page
        JOIN organisation AS carrier ON carrier.id = page.carrier_id
    ), '[]')
))
"""  # noqa: S608 (the scope's fragments hold checked literals only)
    summary = "the first page of 20 actions it sees (CTG, number), with budget (as it may see it) and carrier"
    return Workload("P20", summary, document, floor, (Call({}, ()),))


def _organisation_search(scope: Scope) -> Workload:
    document = (
        "query O10($q: String!) { organisations(first: 10, filter: {search: $q}) { totalCount nodes { id name } } }"
    )
    floor = f"""
WITH hit AS (
    SELECT id, name FROM organisation
    WHERE search @@ websearch_to_tsquery('french', fold_accents($1)) AND {scope.organisation_visible("organisation")}
)
SELECT json_build_object('organisations', json_build_object(
    'totalCount', (SELECT count(*) FROM hit),
    'nodes', coalesce((
        SELECT json_agg(json_build_object('id', {_sql_global_id("Organisation", "page.id")}, 'name', page.name)
                        ORDER BY page.name, page.id)
        FROM (SELECT * FROM hit ORDER BY name, id LIMIT 10) AS page
    ), '[]')
))
"""  # noqa: S608 (the scope's fragments hold checked literals only)
    summary = f"organisations it sees matching the search {ORGANISATION_SEARCH!r}, first 10 by name"
    call = Call({"q": ORGANISATION_SEARCH}, (ORGANISATION_SEARCH,))
    return Workload("O10", summary, document, floor, (call,))


def _facility_page(scope: Scope) -> Workload:
    document = "query F20 { facilities(first: 20) { totalCount nodes { id name kind capacity manager { name } } } }"
    floor = f"""
SELECT json_build_object('facilities', json_build_object(
    'totalCount', (SELECT count(*) FROM facility WHERE {scope.facility_visible("facility")}),
    'nodes', coalesce((
        SELECT json_agg(json_build_object(
                   'id', {_sql_global_id("Facility", "page.id")}, 'name', page.name, 'kind', upper(page.kind),
                   'capacity', page.capacity,
                   'manager', CASE WHEN {scope.facility_details_shown("page")} AND manager.id IS NOT NULL
                                   THEN json_build_object('name', manager.name) END
               ) ORDER BY page.name, page.id)
        FROM (SELECT * FROM facility WHERE {scope.facility_visible("facility")} ORDER BY name, id LIMIT 20) AS page
        LEFT JOIN organisation AS manager
               ON manager.id = page.manager_id AND {scope.organisation_visible("manager")}
    ), '[]')
))
"""  # noqa: S608 (the scope's fragments hold checked literals only)
    summary = "the first page of 20 facilities it sees (by name), with kind, places and manager (as it may see it)"
    return Workload("F20", summary, document, floor, (Call({}, ()),))


def global_id(type_name: str, key: object) -> str:
    """The opaque Relay ID the API gives a row (see schema/relay.py)."""
    return base64.urlsafe_b64encode(f"{type_name}:{key}".encode()).decode().rstrip("=")


async def sample(connection: asyncpg.Connection, scope: Scope = NATIONAL) -> Sample:
    """What a caller would ask about: the department where it sees the most CTGs, and a fixed, evenly
    spread list of the CTGs it sees."""
    visible = scope.scheme_visible("scheme")
    row = await connection.fetchrow(
        "SELECT scheme.department_code, count(*) FROM scheme JOIN ctg ON ctg.scheme_id = scheme.id "  # noqa: S608
        f"WHERE scheme.department_code IS NOT NULL AND {visible} GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1"
    )
    ids = [
        row[0]
        for row in await connection.fetch(
            f"SELECT scheme.id FROM scheme JOIN ctg ON ctg.scheme_id = scheme.id WHERE {visible} ORDER BY 1"  # noqa: S608
        )
    ]
    step = max(1, len(ids) // _CTG_SAMPLE)
    department, count = (row[0], row[1]) if row else (None, 0)
    return Sample(department, count, tuple(ids[::step][:_CTG_SAMPLE]))


def build(
    names: Sequence[str], data: Sample, *, statistics: bool, scope: Scope = NATIONAL, persona: str = "cnaf-analyst"
) -> list[Workload]:
    """The named workloads, in the order given, for the caller of `scope`; `statistics`: the schema has
    `actionStatistics`. Those a caller has nothing to ask for are left out (a department's CTGs, when it sees
    no CTG; a CTG by ID, when it sees none)."""
    department = data.department
    made: dict[str, Callable[[], Workload | None]] = {
        "A": lambda: _ctg_page("A", department, 50, scope) if department else None,
        "A10": lambda: _ctg_page("A10", department, 10, scope) if department else None,
        # No department holds 100 CTGs (the largest about 30): the 100-row page is national.
        "A100": lambda: _ctg_page("A100", None, 100, scope),
        "B": lambda: _ctg_by_id(data.ctg_ids, scope) if data.ctg_ids else None,
        "C": lambda: (
            (_statistics(department, scope) if statistics else _counts_per_theme(department, scope))
            if department
            else None
        ),
        "D": lambda: _search(scope),
        "P20": lambda: _action_page(scope),
        "O10": lambda: _organisation_search(scope),
        "F20": lambda: _facility_page(scope),
    }
    built = [made[name]() for name in names]
    return [replace(workload, persona=persona) for workload in built if workload is not None]

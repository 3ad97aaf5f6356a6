"""The workloads in PostGraphile's own schema: the same question as each Maillage workload (same rows,
same order, same fields) in its inflection, and how its answer reads in Maillage's shape.

The mapping only renames and re-nests fields, and writes the stored lower-case theme and status the
way Maillage's enums spell them; the one exception is C's groups, which PostGraphile's aggregates
return in no promised order and are compared sorted by theme.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bench.workloads import Workload
from db.models.enums import Theme

Data = dict[str, Any]

_ACTION_PAGE = (
    "actionsByCtgId(orderBy: [NUMBER_ASC, ROW_ID_ASC], first: 100) "
    "{ nodes { title theme status organisationByCarrierId { name } } }"
)
_CTG_PAGE = (
    "nodes { title epciByEpciSiren { name } "
    "signaturesBySchemeId(orderBy: [SIGNED_ON_ASC, ROW_ID_ASC], first: 100) "
    "{ nodes { organisationByOrganisationId { name } } } ctgBySchemeId { " + _ACTION_PAGE + " } }"
)
# A CTG is a scheme of kind CTG (with its ctg row), so that CTGs can be ordered by their period.
_DEPARTMENT_CTGS = (
    'query A($d: String!, $first: Int!) { allSchemes(condition: {kind: "CTG", departmentCode: $d}, '
    "orderBy: [PERIOD_START_ASC, ROW_ID_ASC], first: $first) { " + _CTG_PAGE + " } }"
)
_NATIONAL_CTGS = (
    'query A100($first: Int!) { allSchemes(condition: {kind: "CTG"}, '
    "orderBy: [PERIOD_START_ASC, ROW_ID_ASC], first: $first) { " + _CTG_PAGE + " } }"
)
_CTG_BY_ID = (
    "query B($id: BigInt!) { ctgBySchemeId(schemeId: $id) { schemeBySchemeId { title } " + _ACTION_PAGE + " } }"
)
# The department is the CTG's scheme's: a filter through two relations (connection-filter), and the
# count per theme from pg-aggregates' grouped aggregates (one count(distinct id) per group).
_COUNTS_PER_THEME = (
    "query C($d: String!) { allActions(filter: {ctgByCtgId: {schemeBySchemeId: {departmentCode: {equalTo: $d}}}}) "
    "{ groupedAggregates(groupBy: [THEME]) { keys distinctCount { rowId } } } }"
)
# `search` is the condition bench/postgraphile/server.mjs adds: Maillage's full-text expression.
_SEARCH = (
    "query D($q: String!) { allActions(condition: {search: $q}, orderBy: [CTG_ID_ASC, NUMBER_ASC, ROW_ID_ASC], "
    "first: 20) { totalCount nodes { title ctgByCtgId { schemeBySchemeId { title } } "
    "organisationByCarrierId { name } } } }"
)


@dataclass(frozen=True)
class PeerWorkload:
    name: str
    document: str
    variables: tuple[dict[str, Any], ...]  # call n of the Maillage workload is variables[n]
    answer: Callable[[Data], Data]  # PostGraphile's `data` in the shape of the Maillage workload's

    def call(self, n: int) -> dict[str, Any]:
        return self.variables[n % len(self.variables)]


def _name(organisation: Data | None) -> Data | None:
    return None if organisation is None else {"name": organisation["name"]}


def _actions(connection: Data) -> Data:
    return {
        "nodes": [
            {
                "title": action["title"],
                "theme": action["theme"].upper(),
                "status": action["status"].upper(),
                "carrier": _name(action["organisationByCarrierId"]),
            }
            for action in connection["nodes"]
        ]
    }


def _ctgs(data: Data) -> Data:
    edges = [
        {
            "node": {
                "title": scheme["title"],
                "epci": _name(scheme["epciByEpciSiren"]),
                "signatures": {
                    "nodes": [
                        {"organisation": _name(signature["organisationByOrganisationId"])}
                        for signature in scheme["signaturesBySchemeId"]["nodes"]
                    ]
                },
                "actions": _actions(scheme["ctgBySchemeId"]["actionsByCtgId"]),
            }
        }
        for scheme in data["allSchemes"]["nodes"]
    ]
    return {"ctgs": {"edges": edges}}


def _ctg(data: Data) -> Data:
    ctg = data["ctgBySchemeId"]
    if ctg is None:
        return {"node": None}
    return {"node": {"title": ctg["schemeBySchemeId"]["title"], "actions": _actions(ctg["actionsByCtgId"])}}


def _counts(data: Data) -> dict[str, int]:
    return {group["keys"][0]: int(group["distinctCount"]["rowId"]) for group in data["allActions"]["groupedAggregates"]}


def _statistics(data: Data) -> Data:
    counts = sorted(_counts(data).items())
    return {"actionStatistics": [{"theme": theme.upper(), "actionCount": n} for theme, n in counts]}


def _aliased_counts(data: Data) -> Data:
    counts = _counts(data)
    return {theme.value: {"totalCount": counts.get(theme.value, 0)} for theme in Theme}


def _search(data: Data) -> Data:
    actions = data["allActions"]
    nodes = [
        {
            "title": action["title"],
            "ctg": {"title": action["ctgByCtgId"]["schemeBySchemeId"]["title"]},
            "carrier": _name(action["organisationByCarrierId"]),
        }
        for action in actions["nodes"]
    ]
    return {"actions": {"totalCount": actions["totalCount"], "nodes": nodes}}


def build(workload: Workload) -> PeerWorkload:
    """The PostGraphile workload asking what `workload` asks, call for call."""
    calls = workload.calls
    if workload.name in ("A", "A10"):
        variables = tuple({"d": call.variables["d"], "first": call.variables["first"]} for call in calls)
        return PeerWorkload(workload.name, _DEPARTMENT_CTGS, variables, _ctgs)
    if workload.name == "A100":
        variables = tuple({"first": call.variables["first"]} for call in calls)
        return PeerWorkload(workload.name, _NATIONAL_CTGS, variables, _ctgs)
    if workload.name == "B":
        variables = tuple({"id": str(call.floor_arguments[0])} for call in calls)
        return PeerWorkload(workload.name, _CTG_BY_ID, variables, _ctg)
    if workload.name == "C":
        # The same shape as the Maillage workload's, whichever schema it was built for.
        shape = _statistics if "actionStatistics" in workload.document else _aliased_counts
        return PeerWorkload(workload.name, _COUNTS_PER_THEME, tuple({"d": c.variables["d"]} for c in calls), shape)
    if workload.name == "D":
        return PeerWorkload(workload.name, _SEARCH, tuple({"q": call.variables["q"]} for call in calls), _search)
    raise ValueError(f"no PostGraphile workload for {workload.name}")

"""Full-text searches find, under each caller's scope, exactly the visible rows whose text matches.

The match is PostgreSQL's own `@@` in the listing's statement, under the caller's policies; the listing keeps the
rows the caller may see. Ground truth: the owner's own `@@` over the table, intersected with what the caller
lists without a search.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_engine
from tests.auth.issuer import LocalIssuer
from tests.schema.conftest import bearer, sql
from tests.schema.writing import gid, query

# listing → (the table searched, its text's words to search, the node's key field in the listing)
LISTINGS = {
    "actions": ("action", ("crèche", "parentalité", '"accueil de loisirs"', "numérique -conseiller")),
    "organisations": ("organisation", ("familles", "caf", "centre social")),
    "schemes": ("scheme", ("enfance", "schéma", "convention -globale")),
    "facilities": ("facility", ("crèche", "centre social", "relais")),
}
NODE_TYPES = {"actions": "Action", "organisations": "Organisation", "schemes": "Scheme", "facilities": "Facility"}
CALLERS = {
    "Cnaf analyst": ("cnaf_analyst", "cnaf"),
    "Caf 31 agent": ("caf_agent", "caf:31"),
    "association member": ("association_member", "demo:association:parents-ensemble-31"),
    "anonymous": None,
}


@pytest.fixture(scope="module")
async def owner_ids(demo_database: URL) -> AsyncIterator[Callable[[str, str, str], Awaitable[set[str]]]]:
    """The global IDs of the rows of a table whose text matches, by the owner's own `@@` (no policy)."""
    engine = create_engine(demo_database, pool_size=1)

    async def matching(listing: str, table: str, q: str) -> set[str]:
        rows = await sql(
            engine,
            f"SELECT id FROM {table} WHERE search @@ websearch_to_tsquery('french', fold_accents(:q))",  # noqa: S608
            q=q,
        )
        return {gid(NODE_TYPES[listing], row["id"]) for row in rows}

    yield matching
    await engine.dispose()


def _document(listing: str) -> str:
    return (
        f"query ($q: String, $after: String) {{ {listing}(first: 100, after: $after, filter: {{search: $q}}) "
        "{ totalCount nodes { id } pageInfo { hasNextPage endCursor } } }"
    )


async def _ids(client: httpx.AsyncClient, listing: str, headers: dict[str, str], q: str | None) -> tuple[int, set[str]]:
    """The total and every ID of the listing, page after page (no search when `q` is None)."""
    ids: set[str] = set()
    after: str | None = None
    while True:
        page: dict[str, Any] = (await query(client, _document(listing), headers, q=q, after=after))[listing]
        ids |= {node["id"] for node in page["nodes"]}
        if not page["pageInfo"]["hasNextPage"]:
            return page["totalCount"], ids
        after = page["pageInfo"]["endCursor"]


@pytest.mark.parametrize("caller", list(CALLERS))
@pytest.mark.parametrize("listing", list(LISTINGS))
async def test_a_search_finds_the_visible_rows_whose_text_matches(
    demo_app: tuple[str, AsyncEngine],
    graph_issuer: LocalIssuer,
    owner_ids: Callable[[str, str, str], Awaitable[set[str]]],
    listing: str,
    caller: str,
) -> None:
    # given a caller, and every row it lists
    base_url, _ = demo_app
    who = CALLERS[caller]
    headers = bearer(graph_issuer, who[0], organisation=who[1], sub=f"search-{who[0]}") if who else {}
    table, searches = LISTINGS[listing]
    async with httpx.AsyncClient(base_url=base_url, timeout=30) as client:
        total, visible = await _ids(client, listing, headers, None)
        assert total == len(visible)
        for q in searches:
            # when it searches
            count, found = await _ids(client, listing, headers, q)

            # then it finds the rows it sees whose text matches, as the owner's own match says
            expected = visible & await owner_ids(listing, table, q)
            assert (count, found) == (len(expected), expected), q

"""Per-request DataLoaders over the graph mapping: nodes by key, unique look-ups, and pages per parent.

One loader per (edge, window, order, filter): all the parents a request resolves on the same edge with
the same arguments share one SQL statement, however many they are.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement
from strawberry.dataloader import DataLoader

from auth.rules import Grantor, Relation
from db.graph import campaigns, reads
from db.graph.capabilities import relations_to
from db.graph.mapping import ChildEdge, LinkEdge, NodeSpec
from db.graph.paging import Order, Page, Window
from db.session import RequestDatabase

Conditions = Callable[[], Sequence[ColumnElement[bool]]]


def _no_conditions() -> Sequence[ColumnElement[bool]]:
    return ()


class GraphLoaders:
    def __init__(self, database: RequestDatabase) -> None:
        self._database = database
        self._loaders: dict[Hashable, DataLoader[Any, Any]] = {}

    def _loader(self, key: Hashable, load: Callable[[list[Any]], Any]) -> DataLoader[Any, Any]:
        loader = self._loaders.get(key)
        if loader is None:
            loader = self._loaders[key] = DataLoader(load_fn=load)
        return loader

    def node(self, spec: NodeSpec, *, archived_too: bool = False) -> DataLoader[Any, Any]:
        """Rows of `spec` by key (None for a key that matches nothing; archived rows only with `archived_too`)."""

        async def load(keys: list[Any]) -> list[Any]:
            return await reads.rows_by_keys(self._database, spec, keys, archived_too=archived_too)

        return self._loader(("node", spec.type_name, archived_too), load)

    def relations(self, grantor: Grantor) -> DataLoader[Any, frozenset[Relation]]:
        """The caller's relations to objects of `grantor`, by key: what it may do with them (auth/rules.py)."""

        async def load(keys: list[Any]) -> list[frozenset[Relation]]:
            return await relations_to(self._database, grantor, keys)

        return self._loader(("relations", grantor), load)

    def completion(
        self, per: campaigns.CompletionGrouping, today: date, overdue_only: bool
    ) -> DataLoader[int, list[campaigns.Completion]]:
        """Campaigns' completion per group, by campaign id: one statement for all the campaigns of a page."""

        async def load(campaign_ids: list[int]) -> list[list[campaigns.Completion]]:
            found = await campaigns.completion(self._database, campaign_ids, per, today, overdue_only=overdue_only)
            return [found[campaign_id] for campaign_id in campaign_ids]

        return self._loader(("completion", per, today, overdue_only), load)

    def unique(
        self, spec: NodeSpec, column: str, conditions: Conditions = _no_conditions, name: str = ""
    ) -> DataLoader[Any, Any]:
        """Rows of `spec` by the value of a column unique under `conditions` (a department's Caf...)."""

        async def load(values: list[Any]) -> list[Any]:
            return await reads.rows_by_unique(self._database, spec, column, values, conditions())

        return self._loader(("unique", spec.type_name, column, name), load)

    def pages(
        self,
        edge: ChildEdge | LinkEdge,
        window: Window,
        order: Order | None = None,
        filter_key: Hashable = None,
        conditions: Conditions = _no_conditions,
    ) -> DataLoader[Any, Page]:
        """One page of `edge` per parent key."""
        read = reads.child_pages if isinstance(edge, ChildEdge) else reads.link_pages

        async def load(parents: list[Any]) -> list[Page]:
            return await read(self._database, edge, parents, conditions(), order, window)  # type: ignore[arg-type]

        return self._loader(("pages", id(edge), window, order, filter_key), load)

"""The feed of what was deleted (archived), for clients that keep a copy of the graph.

A syncing client asks for everything deleted since its last sync and removes it from its cache. It is
told of the rows it could see before they were archived: the scope functions include archived rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import case, cast, literal, select, union_all
from sqlalchemy.sql.sqltypes import Text

from db.graph.mapping import NodeSpec, _table
from db.graph.paging import Page, Window
from db.graph.reads import page
from db.graph.visibility import reached
from db.models import Action, Organisation, Scheme
from db.session import RequestDatabase

_action, _scheme, _organisation = _table(Action), _table(Scheme), _table(Organisation)


def _archived(node_type: Any, table: Any, national: bool) -> Any:
    return select(
        node_type.label("type_name"),
        cast(table.c.id, Text).label("entity_key"),
        table.c.archived_at.label("deleted_at"),
    ).where(table.c.archived_at.is_not(None), *reached(_scope_type(table), table.c.id, national))


def _scope_type(table: Any) -> str:
    return {"action": "Action", "scheme": "Scheme", "organisation": "Organisation"}[table.name]


def _feed(national: bool) -> NodeSpec:
    source = union_all(
        _archived(literal("Action"), _action, national),
        _archived(case((_scheme.c.kind == "CTG", literal("Ctg")), else_=literal("Scheme")), _scheme, national),
        _archived(literal("Organisation"), _organisation, national),
    ).subquery("deleted")
    return NodeSpec(
        "Deletion",
        source,  # a sub-query stands in for a table: only its columns are read
        "entity_key",
        ("type_name", "entity_key", "deleted_at"),
        ("deleted_at", "type_name"),
    )


# Built once: the feed's statement differs only by whether the caller is national.
_FEEDS = {national: _feed(national) for national in (False, True)}


def deletion_feed(national: bool, since: Any) -> tuple[NodeSpec, list[Any]]:
    """The feed's rows (type_name, entity_key, deleted_at) and the condition of those archived at or after
    `since` (a datetime, or a bound parameter): as the resolvers and the compiled reads read them."""
    spec = _FEEDS[national]
    return spec, [spec.column("deleted_at") >= since]


async def deleted_since(database: RequestDatabase, since: datetime, window: Window) -> Page:
    """Rows (type_name, entity_key, deleted_at) archived at or after `since`, oldest first."""
    spec, conditions = deletion_feed(database.national, since)
    return await page(database, spec, conditions, None, window)

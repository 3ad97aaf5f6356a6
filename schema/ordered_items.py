"""The resolvers' side of ordered links (a scheme's objectives, a CTG's governance bodies): IDs into keys,
then the write of `db.writes.ordered`. Each domain's mutations wrap the outcome in its own payload."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from db.graph.mapping import NodeSpec
from db.writes import ordered
from db.writes.ordered import OrderedLinks
from db.writes.outcome import Outcome
from schema.context import Info
from schema.write_inputs import Keys, write


async def add(
    info: Info,
    links: OrderedLinks,
    parent_id: str,
    parents: tuple[NodeSpec, ...],
    version: int,
    values: Mapping[str, Any],
    position: int | None,
) -> Outcome:
    keys = Keys()
    parent = keys.of(parent_id, links.parent_field, *parents)
    if keys.refusal:
        return keys.refusal
    return await write(
        info, lambda database, actor: ordered.add(database, links, parent, version, values, position, actor)
    )


async def change(
    info: Info, links: OrderedLinks, item_id: str, version: int, values: Mapping[str, Any], position: int | None
) -> Outcome:
    keys = Keys()
    item = keys.of(item_id, "id", links.spec)
    if keys.refusal:
        return keys.refusal
    return await write(
        info, lambda database, actor: ordered.change(database, links, item, version, values, position, actor)
    )


async def remove(info: Info, links: OrderedLinks, item_id: str, version: int) -> Outcome:
    keys = Keys()
    item = keys.of(item_id, "id", links.spec)
    if keys.refusal:
        return keys.refusal
    return await write(info, lambda database, actor: ordered.remove(database, links, item, version, actor))

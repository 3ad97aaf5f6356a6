"""Reading mutation inputs: global IDs into row keys, and which optional fields a client gave.

A malformed ID, or one of another type, is the client's mistake on that field: `Invalid`, an INVALID refusal
in the payload like every other refusal of a mutation (queries refuse them with `schema.relay.key_of`'s
InputError instead).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import strawberry

from db.graph.mapping import NodeSpec
from db.writes.checks import Invalid
from db.writes.outcome import camel
from schema.errors import InputError
from schema.relay import key_of, parse_global_id


def node_key(field: str, value: str, *specs: NodeSpec) -> Any:
    """The row key behind a global ID of one of `specs`' types (a scheme's ID and its CTG's name the same
    row); a message names the first type when the ID is of none of them."""
    name = camel(field)
    try:
        type_name, _ = parse_global_id(value, name)
        spec = next((spec for spec in specs if spec.type_name == type_name), specs[0])
        return key_of(value, spec, name)
    except InputError as bad:
        raise Invalid(field, bad.message_id, **{**bad.parameters, "argument": name}) from None


def optional_key(field: str, value: str | None, *specs: NodeSpec) -> Any:
    """As `node_key`, passing UNSET (left out) and None (cleared) through."""
    if value is None or value is strawberry.UNSET:
        return value
    return node_key(field, value, *specs)


def node_keys(field: str, values: Sequence[str], *specs: NodeSpec, each: bool = True) -> list[Any]:
    """The row keys behind a list of global IDs, in its order. A bad one is refused at its place in the list
    (`field[index]`), or on the list as a whole when not `each`."""
    return [node_key(f"{field}[{index}]" if each else field, value, *specs) for index, value in enumerate(values)]


def given(source: object, names: tuple[str, ...]) -> dict[str, Any]:
    """The fields of an input the client gave (null included), by name."""
    return {name: getattr(source, name) for name in names if getattr(source, name) is not strawberry.UNSET}

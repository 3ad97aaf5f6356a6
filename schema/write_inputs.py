"""Reading mutation inputs: global IDs into row keys, and which optional fields a client gave.

A malformed ID, or one of another type, is the client's mistake on that field: an INVALID refusal in
the payload, like every other refusal of a mutation.
"""

from __future__ import annotations

from typing import Any

import strawberry

from db.graph.mapping import NodeSpec
from db.writes.checks import Invalid
from db.writes.outcome import camel
from schema.errors import InputError
from schema.relay import key_of, parse_global_id


class Keys:
    """Turns an input's IDs into row keys, raising `Invalid` on the first that is not an ID of the right type."""

    def of(self, value: str, field: str, *specs: NodeSpec) -> Any:
        """The key behind a global ID of one of `specs`' types (a scheme's ID or its CTG's: the same row)."""
        name = camel(field)
        try:
            type_name, _ = parse_global_id(value, name)
            spec = next((spec for spec in specs if spec.type_name == type_name), specs[0])
            return key_of(value, spec, name)
        except InputError as bad:
            raise Invalid(field, bad.message) from None

    def optional(self, value: str | None, field: str, *specs: NodeSpec) -> Any:
        """As `of`, passing UNSET (left out) and None (cleared) through."""
        if value is None or value is strawberry.UNSET:
            return value
        return self.of(value, field, *specs)

    def each(self, values: list[strawberry.ID], field: str, spec: NodeSpec) -> list[Any]:
        return [self.of(value, field, spec) for value in values]


def given(source: object, names: tuple[str, ...]) -> dict[str, Any]:
    """The fields of an input the client gave (null included), by name."""
    return {name: getattr(source, name) for name in names if getattr(source, name) is not strawberry.UNSET}

"""An export's columns: a French header, the SQL giving the cell, and what kind of value it holds."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal

from sqlalchemy import ColumnElement, Text, case, cast, func, literal, null, select
from sqlalchemy.dialects.postgresql import aggregate_order_by

from db.labels import LABELS

# How a spreadsheet shows a cell: text as is, a calendar day, an amount in euros, a whole number.
Kind = Literal["text", "date", "money", "integer"]


@dataclass(frozen=True)
class Column:
    header: str
    expression: ColumnElement[Any]
    kind: Kind = "text"


def labelled(column: ColumnElement[Any], enum: type[StrEnum]) -> ColumnElement[str]:
    """The French label of a stored value (the value itself, should one ever lack a label)."""
    labels = LABELS[enum]
    return case(*[(column == value, literal(text)) for value, text in labels.items()], else_=column)


def labelled_list(array: ColumnElement[Any], enum: type[StrEnum]) -> ColumnElement[str]:
    """An array of stored values as their labels, comma-separated, in the array's order."""
    item = func.unnest(array).table_valued("value", with_ordinality="position").render_derived()
    return (
        select(func.string_agg(labelled(item.c.value, enum), aggregate_order_by(literal(", "), item.c.position)))
        .select_from(item)
        .scalar_subquery()
    )


def global_id(type_name: str, key: ColumnElement[Any]) -> ColumnElement[str]:
    """The row's GraphQL ID (schema/relay.py): `Type:key` in URL-safe base64 without padding."""
    encoded = func.encode(func.convert_to(literal(f"{type_name}:") + cast(key, Text), "UTF8"), "base64")
    return func.rtrim(func.translate(encoded, "+/", "-_"), "=")


def shown(condition: ColumnElement[Any], value: ColumnElement[Any]) -> ColumnElement[Any]:
    """`value` where the caller may see it, otherwise empty: the guard GraphQL applies to the same field."""
    return case((condition, value), else_=null())


def instant(column: ColumnElement[Any]) -> ColumnElement[str]:
    """A timestamp as ISO 8601 in UTC, whatever the session's time zone."""
    return func.to_char(func.timezone("UTC", column), 'YYYY-MM-DD"T"HH24:MI:SS"Z"')

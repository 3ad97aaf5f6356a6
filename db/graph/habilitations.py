"""Which habilitations an identity holds, as conditions on the habilitation node's rows."""

from __future__ import annotations

from sqlalchemy import ColumnElement

from db.graph.filters import HeldFilter, Listing


def held_by(issuer: str | None, subject: str | None) -> list[ColumnElement[bool]]:
    """The identity's own habilitations; none for an anonymous caller."""
    return Listing("Habilitation", HeldFilter(issuer, subject)).conditions()

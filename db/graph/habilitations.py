"""Which habilitations an identity holds, as conditions on the habilitation node's rows."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false

from db.graph.mapping import HABILITATION


def held_by(issuer: str | None, subject: str | None) -> list[ColumnElement[bool]]:
    """The identity's own habilitations; none for an anonymous caller."""
    if issuer is None or subject is None:
        return [false()]
    return [HABILITATION.column("issuer") == issuer, HABILITATION.column("subject") == subject]

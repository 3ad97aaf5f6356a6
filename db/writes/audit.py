"""Recording a change in the audit trail, in the transaction that makes it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import insert

from db.models import AuditEvent
from db.session import RequestDatabase


@dataclass(frozen=True)
class Actor:
    """Who makes a change, as the audit trail records it."""

    issuer: str | None
    subject: str | None
    organisation_id: int | None


def plain(value: Any) -> Any:
    """A value as JSON holds it (days and moments in ISO 8601, decimals as strings), as the trail records it."""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def changes_between(before: dict[str, Any], after: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """{field: [before, after]} for the fields whose value changed, in JSON terms."""
    return {field: [plain(before[field]), plain(after[field])] for field in fields if before[field] != after[field]}


async def record(
    database: RequestDatabase,
    actor: Actor,
    entity: str,
    entity_id: int,
    operation: str,
    changes: dict[str, Any],
    reason: str | None = None,
) -> None:
    """One change in the audit trail; `reason`: why, when the caller said."""
    table = AuditEvent.__table__  # type: ignore[attr-defined]
    await database.execute(
        insert(table).values(
            issuer=actor.issuer,
            subject=actor.subject,
            organisation_id=actor.organisation_id,
            entity=entity,
            entity_id=entity_id,
            operation=operation,
            changes=changes,
            reason=reason,
        )
    )

"""Write workloads: each client of the closed loop changes rows of its own, the way a person would.

- **updateAction**: the progress of an action under way (not done or abandoned) the persona may change (its Caf,
  its carrier...); each client works on its own actions and keeps the `version` each answer returns (optimistic
  concurrency refuses a stale one), so no two clients ever conflict;
- **createAction**: a draft action in a CTG the persona may create actions in, numbered next in the CTG;
- **reportIndicatorValue**: a value for 2040 of an indicator of an open-ended action (a report is on its action's
  period) the persona may report on: the first report of the period creates it, the next ones change it from its
  version.

The floor of each is what the database must do at least: the same UPDATE or INSERT and its `audit_event`
row (as `db/writes/audit.py` records it: who, what, {field: [before, after]}) in one transaction through
asyncpg as the owner. Each client's state (versions) is read again from the database before each
measurement, so the service and the floor both start from what is there.

A run keeps what it writes bounded and takes it back (`restore`): created actions (titled `MARK...`),
the 2040 values and the audit rows of the run are deleted, and the progress of updated actions is put
back; only their `version` and `updated_at` stay moved on.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

import asyncpg

from bench.personas import BenchPersona
from bench.workloads import global_id
from db.models.enums import Theme

NAMES = ("updateAction", "createAction", "reportIndicatorValue")
# Who does what (section "Write workloads" of bench/README.md): the Caf agent everything, the association
# member as the carrier of its actions.
PERFORMED_BY = {
    "updateAction": ("caf-31-agent", "association-member"),
    "createAction": ("caf-31-agent",),
    "reportIndicatorValue": ("caf-31-agent", "association-member"),
}
MARK = "[bench.run]"  # the title of every action a run creates, and the comment of every value it reports
PERIOD = (date(2040, 1, 1), date(2040, 12, 31))  # after every generated period: a report of its own
_PER_CLIENT = 4  # rows each client cycles over (updates, reports)
_ERRORS = "errors { field code message currentVersion }"

DOCUMENTS = {
    "updateAction": (
        "mutation updateAction($input: UpdateActionInput!) { updateAction(input: $input) "
        f"{{ action {{ id version progress }} {_ERRORS} }} }}"
    ),
    "createAction": (
        "mutation createAction($input: CreateActionInput!) { createAction(input: $input) "
        f"{{ action {{ id number version }} {_ERRORS} }} }}"
    ),
    "reportIndicatorValue": (
        "mutation reportIndicatorValue($input: ReportIndicatorValueInput!) { reportIndicatorValue(input: $input) "
        f"{{ indicatorValue {{ id version value }} {_ERRORS} }} }}"
    ),
}

_UPDATE_FLOOR = """
WITH changed AS (
    UPDATE action SET progress = $2 FROM action AS before
    WHERE action.id = $1 AND action.version = $3 AND before.id = action.id
    RETURNING action.version, before.progress AS before_progress
), recorded AS (
    INSERT INTO audit_event (issuer, subject, organisation_id, entity, entity_id, operation, changes)
    SELECT $4, $5, $6, 'action', $1, 'update', jsonb_build_object('progress', jsonb_build_array(before_progress, $2))
    FROM changed
)
SELECT version FROM changed
"""
# The service takes the same lock before numbering (db/writes/action_creation.py).
_NUMBER_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended('action.number:' || $1::bigint, 0))"
_CREATE_FLOOR = """
WITH created AS (
    INSERT INTO action (ctg_id, number, title, theme, carrier_id, period_start, status)
    SELECT $1, coalesce(max(number), 0) + 1, $2, $3, $4, $5, 'draft' FROM action WHERE ctg_id = $1
    RETURNING id, ctg_id, number, title, theme, carrier_id, period_start, status
), recorded AS (
    INSERT INTO audit_event (issuer, subject, organisation_id, entity, entity_id, operation, changes)
    SELECT $6, $7, $8, 'action', id, 'create', jsonb_build_object(
        'ctg_id', jsonb_build_array(NULL, ctg_id), 'number', jsonb_build_array(NULL, number),
        'title', jsonb_build_array(NULL, title), 'theme', jsonb_build_array(NULL, theme),
        'carrier_id', jsonb_build_array(NULL, carrier_id),
        'period_start', jsonb_build_array(NULL, period_start::text), 'status', jsonb_build_array(NULL, status))
    FROM created
)
SELECT number FROM created
"""
_VALUE_ENTRY = (
    "jsonb_build_object('id', {v}.id, 'indicator_id', {v}.indicator_id, 'period_start', {v}.period_start::text, "
    "'period_end', {v}.period_end::text, 'value', {v}.value::text, 'comment', {v}.comment)"
)
_FIRST_REPORT_FLOOR = f"""
WITH reported AS (
    INSERT INTO indicator_value (indicator_id, period_start, period_end, value, comment)
    VALUES ($1, $2, $3, $4, $5) ON CONFLICT (indicator_id, period_start) DO NOTHING
    RETURNING *
), recorded AS (
    INSERT INTO audit_event (issuer, subject, organisation_id, entity, entity_id, operation, changes)
    SELECT $6, $7, $8, 'action', $9, 'update',
           jsonb_build_object('indicator_value', jsonb_build_array(NULL, {_VALUE_ENTRY.format(v="reported")}))
    FROM reported
)
SELECT version FROM reported
"""  # noqa: S608 (constant fragments)
_NEXT_REPORT_FLOOR = f"""
WITH reported AS (
    UPDATE indicator_value SET period_end = $3, value = $4, comment = $5 FROM indicator_value AS before
    WHERE indicator_value.indicator_id = $1 AND indicator_value.period_start = $2
      AND indicator_value.version = $10 AND before.id = indicator_value.id
    RETURNING indicator_value.*, {_VALUE_ENTRY.format(v="before")} AS before_entry
), recorded AS (
    INSERT INTO audit_event (issuer, subject, organisation_id, entity, entity_id, operation, changes)
    SELECT $6, $7, $8, 'action', $9, 'update',
           jsonb_build_object('indicator_value', jsonb_build_array(before_entry, {_VALUE_ENTRY.format(v="reported")}))
    FROM reported
)
SELECT version FROM reported
"""  # noqa: S608 (constant fragments)


@dataclass(frozen=True)
class Actor:
    """Who the audit trail says wrote: the token's issuer and subject, the persona's one organisation."""

    issuer: str
    subject: str
    organisation_id: int | None

    def arguments(self) -> tuple[str, str, int | None]:
        return (self.issuer, self.subject, self.organisation_id)


@dataclass
class Slot:
    """One row a client writes: an action (updates), an indicator (reports), a CTG (creations)."""

    key: int  # action, indicator or CTG id
    action_id: int = 0  # reports: the indicator's action (the audit row names the action)
    version: int | None = None  # as last seen; None: a report not made yet
    value: int = 0  # progress, or value reported
    carrier_id: int = 0  # creations
    theme: str = ""
    period_start: date | None = None


@dataclass
class WriteClient:
    """One closed-loop client of a write workload: its own slots, in turn."""

    workload: str
    persona: str
    number: int
    slots: list[Slot]
    sent: int = 0
    failures: list[str] = field(default_factory=list)  # the first few refusals, for the report

    def _slot(self) -> Slot:
        return self.slots[self.sent % len(self.slots)]

    def body(self) -> dict[str, Any]:
        """The next request's body."""
        slot = self._slot()
        if self.workload == "updateAction":
            new: dict[str, Any] = {
                "id": global_id("Action", slot.key),
                "version": slot.version,
                "progress": (slot.value + 1) % 101,
            }
        elif self.workload == "createAction":
            new = {
                "ctgId": global_id("Ctg", slot.key),
                "title": self._title(),
                "theme": slot.theme.upper(),
                "carrierId": global_id("Organisation", slot.carrier_id),
                "periodStart": slot.period_start.isoformat() if slot.period_start else None,
            }
        else:
            new = {
                "indicatorId": global_id("Indicator", slot.key),
                "periodStart": PERIOD[0].isoformat(),
                "periodEnd": PERIOD[1].isoformat(),
                "value": str(Decimal(slot.value + 1)),
                "comment": MARK,
            }
            if slot.version is not None:
                new["version"] = slot.version
        return {"query": DOCUMENTS[self.workload], "variables": {"input": new}}

    def _title(self) -> str:
        return f"{MARK} {self.persona} {self.number}.{self.sent}"

    def accept(self, answer: Any) -> bool:
        """Take the answer to the request `body` made: its new version; False (and the next request asks the
        same) unless it holds no error."""
        slot = self._slot()
        payload = (answer.get("data") or {}).get(self.workload) if isinstance(answer, dict) else None
        errors = payload.get("errors") if isinstance(payload, dict) else None
        if not isinstance(payload, dict) or errors or "errors" in answer:
            if len(self.failures) < 3:
                self.failures.append(json.dumps(errors or answer.get("errors") or answer, ensure_ascii=False)[:300])
            # A change the client did not see the end of (its answer lost) moved the version on: follow it.
            current = [e.get("currentVersion") for e in errors or [] if e.get("code") == "CONFLICT"]
            if current and current[0] is not None:
                slot.version = current[0]
            return False
        if self.workload == "updateAction":
            slot.version, slot.value = payload["action"]["version"], payload["action"]["progress"]
        elif self.workload == "reportIndicatorValue":
            slot.version, slot.value = payload["indicatorValue"]["version"], slot.value + 1
        self.sent += 1
        return True

    async def floor(self, connection: asyncpg.Connection, actor: Actor) -> bool:
        """The same change by the floor: the write and its audit row in one transaction."""
        slot = self._slot()
        async with connection.transaction():
            if self.workload == "updateAction":
                progress = (slot.value + 1) % 101
                version = await connection.fetchval(_UPDATE_FLOOR, slot.key, progress, slot.version, *actor.arguments())
                if version is not None:
                    slot.version, slot.value = version, progress
            elif self.workload == "createAction":
                await connection.execute(_NUMBER_LOCK, slot.key)
                version = await connection.fetchval(  # the number it took
                    _CREATE_FLOOR,
                    slot.key,
                    self._title(),
                    slot.theme,
                    slot.carrier_id,
                    slot.period_start,
                    *actor.arguments(),
                )
            else:
                value = Decimal(slot.value + 1)
                common = (slot.key, *PERIOD, value, MARK, *actor.arguments(), slot.action_id)
                if slot.version is None:
                    version = await connection.fetchval(_FIRST_REPORT_FLOOR, *common)
                else:
                    version = await connection.fetchval(_NEXT_REPORT_FLOOR, *common, slot.version)
                if version is not None:
                    slot.version, slot.value = version, slot.value + 1
        if version is None:
            if len(self.failures) < 3:
                self.failures.append(f"the floor's {self.workload} changed nothing (slot {slot.key})")
            return False
        self.sent += 1
        return True


@dataclass(frozen=True)
class WriteWorkload:
    name: str
    persona: BenchPersona
    summary: str
    keys: tuple[int, ...]  # the rows written, all clients together

    def clients(self, concurrency: int) -> int:
        """`concurrency` clients, but no more than rows to share out for updates and reports, where each row
        is one client's (creations share CTGs: the database numbers their actions one at a time)."""
        return concurrency if self.name == "createAction" else max(1, min(concurrency, len(self.keys)))


async def targets(
    connection: asyncpg.Connection, persona: BenchPersona, name: str, concurrency: int
) -> WriteWorkload | None:
    """The rows the persona writes in workload `name`, evenly spread over what it may change; None if none."""
    scope = persona.scope
    if name == "createAction":
        query = f"SELECT s.id FROM scheme AS s JOIN ctg ON ctg.scheme_id = s.id WHERE {scope.ctg_creatable('s')}"  # noqa: S608
        what = "a draft action in a CTG it may create actions in (each client its own CTG, numbered next in it)"
        wanted = concurrency
    elif name == "updateAction":
        # (an action done or abandoned is a record: its progress no longer changes)
        query = (
            f"SELECT a.id FROM action AS a WHERE {scope.action_progress_changeable('a')} "  # noqa: S608
            "AND a.status NOT IN ('done', 'abandoned')"
        )
        what = "the progress of an action under way it may change, each client its own actions, with the version read"
        wanted = concurrency * _PER_CLIENT
    else:
        # (a report is on the action's own period: 2040 falls within open-ended actions' only)
        query = (
            "SELECT i.id FROM indicator AS i JOIN action AS a ON a.id = i.action_id "  # noqa: S608
            f"WHERE {scope.action_progress_changeable('a')} AND a.period_end IS NULL"
        )
        what = (
            "a value for 2040 of an indicator of an open-ended action it may report on: created, then changed from "
            "its version"
        )
        wanted = concurrency * _PER_CLIENT
    ids = [row[0] for row in await connection.fetch(f"{query} ORDER BY 1")]
    if not ids:
        return None
    step = max(1, len(ids) // wanted)
    keys = tuple(ids[::step][:wanted])
    return WriteWorkload(name, persona, f"{what}; {len(keys)} rows", keys)


async def clients(connection: asyncpg.Connection, workload: WriteWorkload, concurrency: int) -> list[WriteClient]:
    """The workload's clients, each with its share of the rows, in the state the database holds now."""
    count = workload.clients(concurrency)
    keys = list(workload.keys)
    slots: dict[int, Slot]
    if workload.name == "updateAction":
        rows = await connection.fetch("SELECT id, version, progress FROM action WHERE id = ANY($1)", keys)
        slots = {row["id"]: Slot(row["id"], version=row["version"], value=row["progress"] or 0) for row in rows}
    elif workload.name == "createAction":
        rows = await connection.fetch(
            "SELECT s.id, s.period_start, ctg.themes[1] AS theme, coalesce(("
            "  SELECT a.carrier_id FROM action AS a WHERE a.ctg_id = s.id AND a.archived_at IS NULL"
            "  ORDER BY a.number LIMIT 1), $2) AS carrier_id "
            "FROM scheme AS s JOIN ctg ON ctg.scheme_id = s.id WHERE s.id = ANY($1)",
            keys,
            workload.persona.scope.organisation,
        )
        slots = {
            row["id"]: Slot(
                row["id"],
                carrier_id=row["carrier_id"],
                theme=row["theme"] or Theme.PARENTING,
                period_start=row["period_start"],
            )
            for row in rows
        }
        # A CTG is written by several clients, each with its own Slot.
        return [
            WriteClient(workload.name, workload.persona.name, n, [replace(slots[keys[n % len(keys)]])])
            for n in range(count)
        ]
    else:
        rows = await connection.fetch(
            "SELECT i.id, i.action_id, v.version, v.value FROM indicator AS i "
            "LEFT JOIN indicator_value AS v ON v.indicator_id = i.id AND v.period_start = $2 WHERE i.id = ANY($1)",
            keys,
            PERIOD[0],
        )
        slots = {
            row["id"]: Slot(row["id"], action_id=row["action_id"], version=row["version"], value=int(row["value"] or 0))
            for row in rows
        }
    return [
        WriteClient(workload.name, workload.persona.name, n, [slots[key] for key in keys[n::count] if key in slots])
        for n in range(count)
    ]


@dataclass(frozen=True)
class Mark:
    """What the database held before the run's writes, to take them back."""

    audit_event_id: int
    progress: dict[int, int | None]


async def mark(connection: asyncpg.Connection, workloads: Sequence[WriteWorkload]) -> Mark:
    updated = sorted({key for workload in workloads if workload.name == "updateAction" for key in workload.keys})
    rows = await connection.fetch("SELECT id, progress FROM action WHERE id = ANY($1)", updated)
    last = await connection.fetchval("SELECT coalesce(max(id), 0) FROM audit_event")
    return Mark(last, {row["id"]: row["progress"] for row in rows})


async def restore(connection: asyncpg.Connection, before: Mark | None, subjects: Sequence[str]) -> int:
    """Delete what the run created (its actions, its 2040 values, its audit rows) and put the progress of the
    actions it updated back; how many actions it had created. Without `before`, only the deletions (rows a
    run stopped midway left)."""
    async with connection.transaction():
        created = [row[0] for row in await connection.fetch("SELECT id FROM action WHERE title LIKE $1", f"{MARK}%")]
        await connection.execute("DELETE FROM audit_event WHERE entity = 'action' AND entity_id = ANY($1)", created)
        for table in ("indicator_value", "indicator", "action_objective", "action_partner"):
            column = "indicator_id IN (SELECT id FROM indicator WHERE action_id = ANY($1))"
            where = column if table == "indicator_value" else "action_id = ANY($1)"
            await connection.execute(f"DELETE FROM {table} WHERE {where}", created)  # noqa: S608 (constant names)
        await connection.execute("DELETE FROM action WHERE id = ANY($1)", created)
        await connection.execute(
            "DELETE FROM indicator_value WHERE period_start = $1 AND comment = $2", PERIOD[0], MARK
        )
        if before is not None:
            await connection.execute(
                "DELETE FROM audit_event WHERE id > $1 AND subject = ANY($2)", before.audit_event_id, list(subjects)
            )
            await connection.executemany(
                "UPDATE action SET progress = $2 WHERE id = $1 AND progress IS DISTINCT FROM $2",
                list(before.progress.items()),
            )
    return len(created)

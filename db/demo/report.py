"""What a demo load changed: rows inserted and updated, per table."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class DemoReport:
    inserted: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def count(self, table: str, inserted: int, updated: int) -> None:
        self.inserted[table] = self.inserted.get(table, 0) + inserted
        self.updated[table] = self.updated.get(table, 0) + updated

    @property
    def changed(self) -> bool:
        return any(self.inserted.values()) or any(self.updated.values())

    def __str__(self) -> str:
        inserted, updated = sum(self.inserted.values()), sum(self.updated.values())
        return f"{inserted} rows inserted, {updated} updated in {self.seconds:.2f} s"

"""An export as an .xlsx workbook, written row by row to a file in constant memory (XlsxWriter's
`constant_memory` mode flushes each row as soon as the next one starts)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from db.exports.columns import Kind

_WIDTHS: dict[Kind, int] = {"text": 28, "date": 12, "money": 14, "integer": 10}


class Spreadsheet:
    """One sheet: a header row, frozen, then the rows; amounts as numbers in euros, days as dates."""

    def __init__(self, path: Path, title: str, headers: Sequence[str], kinds: Sequence[Kind]) -> None:
        self._book = xlsxwriter.Workbook(
            str(path), {"constant_memory": True, "tmpdir": str(path.parent), "strings_to_numbers": False}
        )
        self._sheet = self._book.add_worksheet(title[:31])
        self._kinds = tuple(kinds)
        bold = self._book.add_format({"bold": True})
        self._formats = {
            "date": self._book.add_format({"num_format": "yyyy-mm-dd"}),
            "money": self._book.add_format({"num_format": "#,##0.00"}),
        }
        for column, (header, kind) in enumerate(zip(headers, kinds, strict=True)):
            self._sheet.set_column(column, column, max(_WIDTHS[kind], len(header) + 2))
            self._sheet.write_string(0, column, header, bold)
        self._sheet.freeze_panes(1, 0)
        self._next = 1

    def write(self, rows: Sequence[Sequence[Any]]) -> None:
        for values in rows:
            for column, (value, kind) in enumerate(zip(values, self._kinds, strict=True)):
                self._cell(self._next, column, value, kind)
            self._next += 1

    def _cell(self, row: int, column: int, value: Any, kind: Kind) -> None:
        if value is None:
            return
        if kind == "date" and isinstance(value, date):
            self._sheet.write_datetime(row, column, value, self._formats["date"])
        elif kind == "money" and isinstance(value, Decimal | int | float):
            self._sheet.write_number(row, column, float(value), self._formats["money"])
        elif kind == "integer" and isinstance(value, int):
            self._sheet.write_number(row, column, value)
        else:
            self._sheet.write_string(row, column, str(value))

    def close(self) -> None:
        self._book.close()

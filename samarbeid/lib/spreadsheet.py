"""Spreadsheet cells that are data, never formulas (the OWASP CSV injection rule).

A spreadsheet program treats a cell that starts with `=`, `+`, `-` or `@` (and, in some
programs, a tab or a carriage return) as a formula: a project titled
`=HYPERLINK("http://…"&A1,"Klikk")` would become a live link that sends the sheet's data
away. Every CSV and Excel file the product writes goes through this module:

- CSV: a text cell that starts with one of those characters is written with a leading
  apostrophe (`'=HYPERLINK(…)`), which spreadsheet programs show as text. A cell that is
  a plain number (`-12.50`) is left as it is: it cannot be a formula.
- Excel: text cells are stored as text (data type "s", never "f"), with Excel's own
  "quote prefix" flag on the risky ones so that editing the cell keeps it text; the text
  itself is unchanged. Numbers, dates and Decimal amounts stay numbers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

__all__ = [
    "FORMULA_STARTS",
    "csv_cell",
    "csv_row",
    "csv_writer",
    "dict_writer",
    "is_risky",
    "neutralise_workbook",
    "workbook_bytes",
]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+(?:[.,][0-9]+)?\Z")


def is_risky(text: str) -> bool:
    """Would a spreadsheet program read this text as a formula?"""
    return text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.match(text)


def csv_cell(value: Any) -> Any:
    """The value as a CSV cell that a spreadsheet program shows as text, not a formula."""
    if isinstance(value, str) and is_risky(value):
        return "'" + value
    return value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_cell(value) for value in values]


class _SafeWriter:
    """csv.writer whose rows are neutralised first."""

    def __init__(self, buffer: Any, **kwargs: Any) -> None:
        self._writer = csv.writer(buffer, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(csv_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


if TYPE_CHECKING:
    _DictWriter = csv.DictWriter[str]
else:  # generic only to the type checker
    _DictWriter = csv.DictWriter


class _SafeDictWriter(_DictWriter):
    """csv.DictWriter whose values are neutralised first."""

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        return super().writerow({key: csv_cell(value) for key, value in rowdict.items()})

    def writerows(self, rowdicts: Iterable[Mapping[str, Any]]) -> None:
        for row in rowdicts:
            self.writerow(row)


def csv_writer(buffer: Any, **kwargs: Any) -> _SafeWriter:
    """Like `csv.writer`, but no cell can become a formula."""
    return _SafeWriter(buffer, **kwargs)


def dict_writer(buffer: Any, fieldnames: Iterable[str], **kwargs: Any) -> csv.DictWriter[str]:
    """Like `csv.DictWriter`, but no cell can become a formula."""
    return _SafeDictWriter(buffer, fieldnames=list(fieldnames), **kwargs)


def neutralise_workbook(book: Any) -> None:
    """Make every text cell of an openpyxl workbook text: openpyxl turns any string that
    starts with "=" into a formula; our exports never write formulas."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                value = cell.value
                if not isinstance(value, str):
                    continue
                if cell.data_type == "f" or is_risky(value):
                    cell.data_type = "s"
                    cell.quotePrefix = True


def workbook_bytes(book: Any) -> bytes:
    """The workbook as .xlsx bytes, with every text cell stored as text."""
    neutralise_workbook(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

"""The one way the program writes cells of CSV and XLSX files that people open
in a spreadsheet (worker exports, reconciliation, statistics; any later
template or row report too): a value can never attack its reader.

OWASP's advice on CSV injection: a cell that begins with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return may be taken for a formula. In CSV such a
cell is written with a leading single quote (``'=1+1``), which spreadsheets
show as text. In XLSX every text value is stored as a string cell
(``t="inlineStr"``), never as a formula, and its value stays as it is;
characters XML cannot hold are dropped. Numbers stay numbers; identifiers
(ID numbers, phones, accounts) are text and stay text, with every digit.
openpyxl is imported only by the functions that need it."""
from __future__ import annotations

import csv
import re
from typing import Any, Iterable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # what openpyxl would refuse to write


def csv_cell(value: Any) -> Any:
    """A CSV value that no spreadsheet evaluates."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


class CsvWriter:
    """``csv.writer`` whose every text cell goes through ``csv_cell``."""

    def __init__(self, fh, **kw):
        self._w = csv.writer(fh, **kw)

    def writerow(self, values: Iterable[Any]) -> None:
        self._w.writerow([csv_cell(v) for v in values])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for r in rows:
            self.writerow(r)


def as_text(cell, value: str):
    """Store ``value`` in an openpyxl cell as a string cell, whatever it begins with."""
    cell.value = _NOT_IN_XML.sub("", value)
    cell.data_type = "s"  # openpyxl would make "=…" a formula
    return cell


def xlsx_value(cell, value: Any):
    """Set an openpyxl cell: text as a string cell (``as_text``), anything else as given."""
    if isinstance(value, str):
        return as_text(cell, value)
    cell.value = value
    return cell


def put(ws, row: int, column: int, value: Any):
    """``ws.cell(row, column, value)`` of an ordinary worksheet, through ``xlsx_value``."""
    return xlsx_value(ws.cell(row, column), value)


def text_cell(ws, value: Any, **style):
    """A cell for a write-only worksheet (``ws.append``), text stored as text; ``style``
    sets attributes such as ``font`` or ``number_format``."""
    from openpyxl.cell import WriteOnlyCell
    cell = xlsx_value(WriteOnlyCell(ws), value)
    for k, v in style.items():
        if v is not None:
            setattr(cell, k, v)
    return cell


def xlsx_row(ws, values: Iterable[Any]) -> list:
    """A row for ``ws.append`` of a write-only worksheet: text that openpyxl would
    take for a formula, or could not write, becomes a string cell; cells made
    elsewhere are made safe the same way; everything else is passed as is
    (openpyxl stores other text as string cells itself)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import Cell
    out = []
    for v in values:
        if isinstance(v, Cell):
            if isinstance(v.value, str) and v.data_type != "s":
                as_text(v, v.value)
        elif isinstance(v, str) and (v.startswith("=") or _NOT_IN_XML.search(v)):
            v = as_text(WriteOnlyCell(ws), v)
        out.append(v)
    return out

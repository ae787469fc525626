"""Tables as XLSX (header row, frozen panes, number formats) and CSV (UTF-8 with BOM, so Excel
opens it in Chinese). One column list serves both formats. Text that Excel would take for a
formula (an enterprise name starting with "=") is written as text, never as a formula."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, Iterable


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Any], Any]
    number_format: str = ""          # XLSX number format ("0", "0.0%", "yyyy-mm-dd hh:mm")
    width: int = 14


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return value


def to_xlsx(title: str, columns: list[Column], rows: Iterable[Any]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    for i, col in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = col.width
    bold = Font(bold=True)
    header = []
    for col in columns:
        cell = WriteOnlyCell(sheet, value=col.header)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    formats = [c.number_format for c in columns]
    for row in rows:
        out = []
        for col, fmt in zip(columns, formats):
            value = _plain(col.value(row))
            if isinstance(value, str) and value.startswith("="):
                cell = WriteOnlyCell(sheet, value=value)      # text that looks like a formula stays text
                cell.data_type = "s"
                out.append(cell)
            elif fmt and value is not None:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = fmt
                out.append(cell)
            else:
                out.append(value)
        sheet.append(out)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def to_csv(columns: list[Column], rows: Iterable[Any]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.header for c in columns])
    for row in rows:
        values = []
        for col in columns:
            value = col.value(row)
            if isinstance(value, datetime):
                value = value.strftime("%Y-%m-%d %H:%M")
            elif isinstance(value, float) and "%" in col.number_format:
                value = f"{value * 100:.1f}%"
            elif isinstance(value, str) and value.startswith(FORMULA_START):
                value = "'" + value                            # Excel would run it as a formula
            values.append("" if value is None else value)
        writer.writerow(values)
    return ("\ufeff" + out.getvalue()).encode("utf-8")

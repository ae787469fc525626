"""Rosters for the bureau tests, built as the files a bureau uploads."""
from __future__ import annotations

import csv
import io

from diagnosis.accounts.credit_code import check_character
from diagnosis.bureau.roster import COLUMNS


def credit_code(n: int) -> str:
    first = f"91411000MA{n:07d}"
    return first + check_character(first)


def roster_csv(rows: list[tuple]) -> bytes:
    """CSV bytes with the template's header; rows are (code, name, area, industry, contact, phone)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([label for _, label in COLUMNS])
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")

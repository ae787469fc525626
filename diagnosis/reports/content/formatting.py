"""How numbers, shares and dates read in the report."""
from __future__ import annotations

import math
from datetime import date, datetime, timedelta, timezone
from typing import Any

CHINA_TZ = timezone(timedelta(hours=8))


def num(value: Any, digits: int = 2) -> str:
    """A number without trailing zeros: 57.5 -> '57.5', 3.0 -> '3'; None -> '—'."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10000 else str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return "—"
        text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
        return "0" if text in ("", "-0") else text
    return str(value)


def pct(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def cn_date(value: Any) -> str:
    """A date in Chinese; an aware datetime (the database stores UTC) is shown in Beijing time."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(CHINA_TZ)
        value = value.date()
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    return "—" if value in (None, "") else str(value)


def text(value: Any) -> str:
    """A value as text; None as the empty string."""
    return "" if value is None else str(value)

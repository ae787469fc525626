"""How numbers, shares and dates read in the report. Numbers and shares come from
``diagnosis.numbers``, the formatter the web pages use too."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from ...numbers import fixed, num, pct  # noqa: F401 - the report's formatters

CHINA_TZ = timezone(timedelta(hours=8))


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

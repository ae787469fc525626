"""How numbers, shares and dates read in the report. Numbers and shares come from
``diagnosis.numbers``, the formatter the web pages use too."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from typing import Any

from ...numbers import fixed, num, pct  # noqa: F401 - the report's formatters

CHINA_TZ = timezone(timedelta(hours=8))

_CJK = "\u3400-\u9fff\uff08\uff09\u201c\u201d\u3001\uff0c\u3002\uff1b\uff1a"
_SPACE_BETWEEN_CJK = re.compile(f"(?<=[{_CJK}]) +(?=[{_CJK}])")


def typeset(value: Any) -> Any:
    """Text as Chinese is set: no ASCII space between two Chinese characters ("万元/人 变为" reads
    "万元/人变为" only where both sides are Chinese). Applied to every value the report templates
    print (``markup.environment``); markup (charts) passes through."""
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return _SPACE_BETWEEN_CJK.sub("", value)
    return value


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

"""How numbers read, everywhere readers see them (web pages and the PDF report): rounded half-up
(``Decimal.ROUND_HALF_UP`` on the number's shortest decimal text, so 6.375 -> 6.38 and 10.125 ->
10.13), trailing zeros dropped, shares as "96.5%" (no space before the sign)."""
from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any


def rounded(value: float | int, digits: int = 2) -> Decimal:
    """``value`` rounded half-up to ``digits`` decimals (from its shortest decimal text, repr)."""
    return Decimal(repr(value) if isinstance(value, float) else str(value)).quantize(
        Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)


def num(value: Any, digits: int = 2) -> str:
    """A number without trailing zeros: 57.5 -> '57.5', 3.0 -> '3'; None -> '—'; integers of five
    digits or more with thousands separators."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10000 else str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return "—"
        text = format(rounded(value, digits), "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return "0" if text in ("", "-0") else text
    return str(value)


def fixed(value: float | int, digits: int = 1) -> str:
    """A number with exactly ``digits`` decimals, rounded half-up: 63.25 -> '63.3'."""
    return format(rounded(value, digits), "f")


def pct(value: float | None, digits: int = 1) -> str:
    """A share (0.965) as a percentage ('96.5%'), rounded half-up; None -> '—'."""
    if value is None:
        return "—"
    return f"{fixed(Decimal(repr(float(value))) * 100 if isinstance(value, float) else value * 100, digits)}%"

"""Database ids taken from URLs and forms.

Primary keys are INTEGER columns: 32-bit signed on PostgreSQL, and SQLite's 64-bit integers overflow
Python's driver beyond 2^63. An id outside 1 … 2^31-1 therefore names nothing on any backend; it is
turned away before it reaches a query (a URL with one is a 404, a form value one is "not chosen").
"""
from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1


def database_id(value: Any) -> int:
    """The id in ``value`` (form or query text); ValueError when it cannot name a row.

    Usable as Werkzeug's ``type=`` argument: ``request.form.get("provider_id", type=database_id)``."""
    text = str(value).strip()
    if not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_ID)):
        raise ValueError(f"not an id: {value!r}")
    number = int(text)
    if not 1 <= number <= MAX_ID:
        raise ValueError(f"id out of range: {value!r}")
    return number


class DatabaseIdConverter(IntegerConverter):
    """``<int:...>`` in every route: ASCII digits only, 1 … 2^31-1; anything else does not match (404)."""

    regex = r"[0-9]{1,10}"

    def __init__(self, map, fixed_digits: int = 0, min: int | None = 1, max: int | None = MAX_ID,
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def init_app(app) -> None:
    """Make the ``int`` converter of every route the bounded one (register before any blueprint)."""
    app.url_map.converters["int"] = DatabaseIdConverter

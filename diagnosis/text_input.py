"""Text the database can store.

PostgreSQL text columns cannot hold NUL (U+0000), and no one types it: it arrives only from broken
clients or probes. Rather than let it reach a write deep inside some service, every request is checked
once, before any view runs: a NUL in any form field or query parameter is answered 400 with a message
naming the field. JSON bodies are checked by the reader that parses them (``json_input``), which names
the key.
"""
from __future__ import annotations

from collections.abc import Iterable

from flask import abort, request

NUL = "\x00"


def nul_field(pairs: Iterable[tuple[str, list[str]]]) -> str | None:
    """The name of the first field whose name or value contains NUL, or None."""
    for name, values in pairs:
        if NUL in name or any(NUL in value for value in values):
            return name.replace(NUL, "\\0")
    return None


def message(field: str) -> str:
    return f"字段“{field}”含有空字符（\\0），无法保存。请删除该字符后重新提交。"


FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def refuse_nul() -> None:
    sources = [request.args] + ([request.form] if request.mimetype in FORM_TYPES else [])
    for source in sources:
        field = nul_field(source.lists())
        if field is not None:
            abort(400, description=message(field))


def init_app(app) -> None:
    app.before_request(refuse_nul)

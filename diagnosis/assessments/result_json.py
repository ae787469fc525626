"""How results are encoded: one compact JSON text serves both the digest and the database insert."""
from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import JSON
from sqlalchemy.types import TypeDecorator


def encode(result: dict[str, Any]) -> str:
    # The engine builds results in a fixed order, so equal results encode equally without sort_keys.
    return json.dumps(result, ensure_ascii=False, separators=(",", ":"))


def digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class EncodedJSON(TypeDecorator):
    """A JSON column value that is already encoded text (bulk inserts skip a second encoding)."""

    impl = JSON
    cache_ok = True

    def bind_processor(self, dialect):
        return None

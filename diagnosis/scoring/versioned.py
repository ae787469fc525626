"""Per-version caching: compiled forms of a document, built once per content hash."""
from __future__ import annotations

from functools import wraps
from typing import Callable, TypeVar

T = TypeVar("T")


def per_version(build: Callable[[dict, str], T]) -> Callable[[dict, str], T]:
    """``build(doc, version)`` runs once per version; later calls with that version reuse it."""
    cache: dict[str, T] = {}

    @wraps(build)
    def get(doc: dict, version: str) -> T:
        hit = cache.get(version)
        if hit is None:
            hit = cache[version] = build(doc, version)
        return hit
    return get

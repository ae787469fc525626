"""Short lists of the weakest (or strongest) items of a ranking, cut without hiding a tie.

A report that names “the three weakest” of seventeen sub-domains that all score 0.5 says something
false about the three and about the other fourteen. These helpers say where a cut falls inside a
group of equal values, so the sentence can tell the reader (“另有 14 个同为 0.5”), or keep whole
groups only.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Cut(Generic[T]):
    shown: list[T]
    #: Items left out that have the same value as the last one shown.
    tied_left_out: int = 0
    #: That value (None when nothing is shown).
    value: Any = None


def _key(value: Any) -> Any:
    return round(value, 4) if isinstance(value, float) else value


def first(ranked: Sequence[T], value: Callable[[T], Any], limit: int) -> Cut[T]:
    """The first ``limit`` items, and how many more tie with the last of them."""
    shown = list(ranked[:limit])
    if not shown:
        return Cut([])
    last = _key(value(shown[-1]))
    return Cut(shown, sum(1 for item in ranked[limit:] if _key(value(item)) == last), value(shown[-1]))


def whole_groups(ranked: Sequence[T], value: Callable[[T], Any], limit: int) -> Cut[T]:
    """The leading groups of equal value that fit in ``limit`` items, each whole. When the first
    group alone is longer, its first ``limit`` items and how many of it are left out."""
    cut = first(ranked, value, limit)
    if not cut.tied_left_out:
        return cut
    last = _key(cut.value)
    kept = [item for item in cut.shown if _key(value(item)) != last]
    return Cut(kept, 0, value(kept[-1])) if kept else cut

"""Chapter “与上次诊断对比”: the previous diagnosis of the same enterprise beside this one (a
re-assessment), as display-ready rows. Present only when there is a previous diagnosis."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from ....numbers import num, pct
from ..formatting import cn_date


def _shown(value: Any, kind: str, unit: str) -> str:
    if value is None:
        return "—"
    if kind == "rate":
        return pct(value)
    if kind == "score":
        return num(value, 2) + (unit or "")
    if kind == "count":
        return f"{value}{unit}"
    return str(value)


def _change(row: dict) -> str:
    change = row["change"]
    if row["kind"] == "label":
        return "不变" if row["before"] == row["after"] else "变化"
    if change is None:
        return ""
    if change == 0:
        return "持平"
    sign = "+" if change > 0 else "−"
    if row["kind"] == "rate":
        return f"{sign}{num(abs(change) * 100, 1)}个百分点"
    return f"{sign}{num(abs(change), 2)}{row['unit']}"


def build(previous: dict | None) -> dict | None:
    """``previous``: {"number", "submitted_at", "comparison"} (``scoring.compare.compare``) or None."""
    if not previous:
        return None
    comparison = previous["comparison"]
    when = previous.get("submitted_at")
    return {
        "number": previous.get("number", ""),
        # In Beijing time like every date the reader sees (a stored time is UTC; SQLite drops the zone).
        "date": cn_date(when if when.tzinfo else when.replace(tzinfo=timezone.utc)) if isinstance(when, datetime) else "",
        "rows": [{"label": r["label"], "before": _shown(r["before"], r["kind"], r["unit"]),
                  "after": _shown(r["after"], r["kind"], r["unit"]), "change": _change(r),
                  "better": (r["change"] or 0) > 0} for r in comparison["rows"]],
        "same_rules": comparison.get("same_rules", True),
        "no_longer_needed": [r["title"] for r in comparison["no_longer_needed"]],
        "still_recommended": [r["title"] for r in comparison["still_recommended"]],
    }

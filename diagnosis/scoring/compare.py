"""A re-assessment beside the previous one: levels, indicators and what the earlier roadmap asked for.

Pure functions over two stored results (and their profiles): no Flask, no database. The result page
and the report show the same comparison.

"Carried out" is read from the answers, not claimed: an upgrade of the previous roadmap that the new
answers no longer call for (its trigger no longer holds) is listed as 已不再需要, which is what
carrying it out looks like in the answers; the enterprise, not this function, knows why.
"""
from __future__ import annotations

from typing import Any

#: (profile key, label, unit) of the counted indicators compared when both diagnoses have them.
COUNTS = (("robots", "在用工业机器人", "台"), ("smart_lines", "智能化生产线", "条"),
          ("smart_workshops", "智能车间（工厂）", "个"))
#: (result indicator key, label) of the rates compared, as fractions.
RATES = (("nc_rate", "关键工序数控化率"), ("networking_rate", "生产设备联网率"),
         ("digitization_rate", "生产设备数字化率"))


def _row(label: str, before: Any, after: Any, kind: str, unit: str = "") -> dict[str, Any]:
    """One compared figure; ``change`` is after − before for numbers, None otherwise."""
    change = None
    if isinstance(before, (int, float)) and isinstance(after, (int, float)):
        change = after - before
    return {"label": label, "before": before, "after": after, "kind": kind, "unit": unit, "change": change}


def compare(previous: dict[str, Any], current: dict[str, Any],
            previous_profile: dict[str, Any] | None = None, current_profile: dict[str, Any] | None = None
            ) -> dict[str, Any]:
    """Rows of figures present in both results, and the previous roadmap's items split into those the
    new answers no longer call for and those still recommended."""
    rows: list[dict[str, Any]] = []
    before_sme, after_sme = previous.get("sme"), current.get("sme")
    if before_sme and after_sme:
        rows.append(_row("中小企业数字化水平", before_sme["grade_label"], after_sme["grade_label"], "label"))
        rows.append(_row("数字化水平总分", before_sme["total"], after_sme["total"], "score", "分"))
    before_cmmm, after_cmmm = previous.get("cmmm"), current.get("cmmm")
    if before_cmmm and after_cmmm:
        rows.append(_row("智能制造能力成熟度", before_cmmm["level_label"], after_cmmm["level_label"], "label"))
        rows.append(_row("成熟度得分", before_cmmm["score"], after_cmmm["score"], "score"))
    before_ind, after_ind = previous.get("indicators") or {}, current.get("indicators") or {}
    for key, label in RATES:
        if before_ind.get(key) is not None and after_ind.get(key) is not None:
            rows.append(_row(label, before_ind[key], after_ind[key], "rate"))
    before_profile, after_profile = previous_profile or {}, current_profile or {}
    for key, label, unit in COUNTS:
        if before_profile.get(key) is not None and after_profile.get(key) is not None:
            rows.append(_row(label, before_profile[key], after_profile[key], "count", unit))
    now = {r["id"] for r in current.get("recommendations") or []}
    earlier = previous.get("recommendations") or []
    return {
        "rows": rows,
        # Recommendations read the rules: when these changed between the two, a difference in the
        # roadmap may come from the rules rather than from the answers.
        "same_rules": (previous.get("rules_versions") or {}) == (current.get("rules_versions") or {}),
        "no_longer_needed": [{"id": r["id"], "title": r["title"]} for r in earlier if r["id"] not in now],
        "still_recommended": [{"id": r["id"], "title": r["title"]} for r in earlier if r["id"] in now],
    }

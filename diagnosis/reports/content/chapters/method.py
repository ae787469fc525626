"""Chapter “方法说明”: the scoring rules and versions behind the figures."""
from __future__ import annotations

from ..formatting import num


def build(result: dict, sme: dict | None, cmmm: dict | None, cover: dict) -> dict:
    rule = result.get("prioritization_rule") or ""
    return {
        "sme_rule": (sme or {}).get("grade_rule"),
        "cmmm": ({"standard": cmmm["method"].get("standard", ""), "notes": cmmm["method"].get("notes", []),
                  "threshold": num(cmmm["method"].get("achieve_threshold")),
                  "bands": [{"min": num(b["min"]), "label": b["label"]} for b in cmmm["method"].get("bands", [])],
                  "profile": cmmm.get("profile_name", ""),
                  "scale": "、".join(f"{s['label']} {num(s['value'])}" for s in cmmm["method"].get("scale", []))}
                 if cmmm and cmmm.get("method") else None),
        "priority_lines": [line.strip() for line in rule.splitlines() if line.strip()],
        "versions": cover["versions"],
        "scoring_version": cover["scoring_version"],
    }

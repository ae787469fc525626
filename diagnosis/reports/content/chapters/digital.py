"""Chapter “数字化水平”: the SME digital-level score, dimensions and scenes."""
from __future__ import annotations

from .. import charts
from ..formatting import num, pct


def build(sme: dict, doc: dict | None) -> dict:
    bar_rows = []
    dims = []
    for d in sme.get("dimension_details") or []:
        bar_rows.append({"label": d["name"], "value": d["points"], "max": d["max"], "level": 0})
        for a in d.get("areas") or []:
            bar_rows.append({"label": a["name"], "value": a["points"], "max": a["max"], "level": 1})
        dims.append({"name": d["name"], "points": num(d["points"]), "max": num(d["max"]),
                     "rate": pct(d["points"] / d["max"] if d["max"] else None, 0),
                     "areas": [{"name": a["name"], "points": num(a["points"]), "max": num(a["max"])}
                               for a in d.get("areas") or []]})
    level_text = {}
    if doc:
        for g in doc.get("scene_groups", []):
            for s in g["scenes"]:
                level_text[s["id"]] = {str(k): v for k, v in (s.get("levels") or {}).items()}
    scenes = []
    for sid, s in (sme.get("scenes") or {}).items():
        level = int(s.get("level") or 0)
        scenes.append({"id": sid, "name": s["name"], "group": s["group"], "level": level,
                       "meaning": level_text.get(sid, {}).get(str(level), "尚未达到一级要求" if level == 0 else ""),
                       "next": level_text.get(sid, {}).get(str(level + 1), "") if level < 4 else ""})
    groups = [{"name": g, "average": num(v)} for g, v in (sme.get("scene_groups") or {}).items()]
    weak_scenes = sorted(scenes, key=lambda s: (s["level"], s["id"]))[:4]
    rule = sme.get("grade_rule") or {}
    return {
        "total": num(sme.get("total")),
        "max": num(sme.get("max", 100)),
        "grade": sme.get("grade"),
        "grade_label": sme.get("grade_label", ""),
        "dims": dims,
        "bars_svg": charts.bars_svg(bar_rows),
        "scenes": scenes,
        "scene_groups": groups,
        "scenes_svg": charts.scene_levels_svg(scenes),
        "weak_scenes": weak_scenes,
        "rule": {"name": rule.get("name", ""), "note": rule.get("note", ""),
                 "bands": [{"min": num(b["min"]), "label": b["label"]} for b in rule.get("bands", [])],
                 "below": (rule.get("below") or {}).get("label", "")},
    }

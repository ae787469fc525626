"""Chapter “数字化水平”: the SME digital-level score, dimensions and scenes."""
from __future__ import annotations

from .. import charts, ranking
from ..formatting import num, pct


#: 《中小企业划型标准规定》（工信部联企业〔2011〕300号）: an industrial enterprise with 1,000 staff or
#: more and revenue of 40,000万元 or more is not an SME (policies.yaml cites the same rule).
SME_MAX_HEADCOUNT, SME_MAX_REVENUE = 1000, 40000


def above_sme_size(profile: dict) -> str:
    """The sentence saying the SME digital level is indicative only, for an enterprise above SME
    size; empty when it is an SME or its size is not known."""
    headcount, revenue = profile.get("headcount"), profile.get("revenue")
    if headcount is None or revenue is None or headcount < SME_MAX_HEADCOUNT or revenue < SME_MAX_REVENUE:
        return ""
    return (f"贵企业从业人员 {num(headcount)} 人、营业收入 {num(revenue)} 万元，按《中小企业划型标准规定》"
            "（工信部联企业〔2011〕300号）不属于中小企业；《中小企业数字化水平评测指标（2024年版）》为中小企业制定，"
            "本次数字化水平等级仅供参考。")


def grade_sentence(sme: dict) -> str:
    """“总分 … 分（满分 100），定级为二级” or, below the lowest band, “尚未达到一级（20 分）”."""
    rule = sme.get("grade_rule") or {}
    bands = sorted(rule.get("bands") or [], key=lambda b: b["min"])
    total = f"总分 {num(sme.get('total'))} 分（满分 {num(sme.get('max', 100))}）"
    below = (rule.get("below") or {}).get("grade")
    if bands and sme.get("grade") == below:
        return f"{total}，尚未达到{bands[0]['label']}（{num(bands[0]['min'])} 分）"
    return f"{total}，定级为{sme.get('grade_label', '')}"


def build(sme: dict, doc: dict | None, profile: dict | None = None) -> dict:
    bar_rows = []
    dims = []
    for d in sme.get("dimension_details") or []:
        bar_rows.append({"label": d["name"], "value": d["points"], "max": d["max"], "level": 0})
        for a in d.get("areas") or []:
            bar_rows.append({"label": a["name"], "value": a["points"], "max": a["max"], "level": 1})
        dims.append({"name": d["name"], "points": num(d["points"]), "max": num(d["max"]),
                     "share": d["points"] / d["max"] if d["max"] else 0.0,
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
    # The lowest levels, whole: scenes are listed only with every other scene of the same level.
    weak = ranking.whole_groups(sorted(scenes, key=lambda s: (s["level"], s["id"])), lambda s: s["level"], 4)
    weak_scenes = weak.shown
    rule = sme.get("grade_rule") or {}
    return {
        "grade_sentence": grade_sentence(sme),
        "above_sme": above_sme_size(profile or {}),
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
        "weak_more": (f"另有 {weak.tied_left_out} 个场景同为 {weak.value} 级，未逐一列出。"
                      if weak.tied_left_out else ""),
        "rule": {"name": rule.get("name", ""), "note": rule.get("note", ""),
                 "bands": [{"min": num(b["min"]), "label": b["label"]} for b in rule.get("bands", [])],
                 "below": (rule.get("below") or {}).get("label", "")},
    }

"""What the PDF report needs, prepared in Python so the template stays simple.

``ReportInput`` is everything a report is made of (no database, no Flask): the enterprise, the
engine result, the answers and the pinned instrument contents. ``build_context`` turns it into
plain dicts and lists of display strings. ``demo_input`` builds a complete, realistic diagnosis
from the real questionnaire library (demo data and the benchmark).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

from . import charts

PLATFORM = "智造诊断"
REPORT_TITLE = "智能化转型诊断报告"

KIND_LABELS = {
    "equipment": "设备换芯", "robot": "机器换人", "line": "生产换线", "cloud": "企业上云",
    "system": "信息系统", "security": "信息安全", "lianghua": "两化融合", "energy": "绿色制造",
    "talent": "人才与组织", "platform": "工业互联网平台",
}
LEVEL3 = {"low": "低", "medium": "中", "high": "高"}
ELEMENT_ORDER = ("人员", "技术", "资源", "制造")
DOMAIN_ORDER = ("设计", "生产", "物流", "销售", "服务")
CMMM_LEVEL_NAMES = {0: "未达一级", 1: "一级", 2: "二级", 3: "三级", 4: "四级", 5: "五级"}
PEER_MINIMUM = 5
WEAKEST_MIN, WEAKEST_MAX = 4, 6


@dataclass
class ReportInput:
    """Everything one report is rendered from."""

    number: str
    enterprise: dict[str, Any]           # name, credit_code, area, industry, above_scale, contact_name
    submitted_at: datetime | None
    questionnaire_title: str
    result: dict[str, Any]               # engine output (suite or single instrument)
    profile: dict[str, Any]
    answers: dict[str, Any]
    documents: dict[str, dict] = field(default_factory=dict)   # "profile", "sme", "cmmm": YAML data
    targets: dict | None = None          # targets.yaml data
    peers: dict | None = None            # {"basis", "count", "subdomains": {key: avg 0-5}}
    review: dict | None = None           # {"provider", "reviewer", "opinion", "date"}


# ---------------------------------------------------------------------------------------- formatting

def num(value: Any, digits: int = 2) -> str:
    """A number without trailing zeros: 57.5 -> '57.5', 3.0 -> '3'; None -> '—'."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10000 else str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return "—"
        text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
        return "0" if text in ("", "-0") else text
    return str(value)


def pct(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


CHINA_TZ = timezone(timedelta(hours=8))


def cn_date(value: Any) -> str:
    """A date in Chinese; an aware datetime (the database stores UTC) is shown in Beijing time."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(CHINA_TZ)
        value = value.date()
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    return "—" if value in (None, "") else str(value)


def _text(value: Any) -> str:
    return "" if value is None else str(value)


# ---------------------------------------------------------------------------------------- normalizing

def split_result(result: dict) -> tuple[dict | None, dict | None]:
    """(sme block, cmmm block) of a suite result or of a single-instrument result."""
    sme = result.get("sme")
    cmmm = result.get("cmmm")
    if sme is None and "grade" in result and "dimension_details" in result:
        sme = result
    if cmmm is None and "subdomains" in result and "achieved" in result:
        cmmm = result
    return sme, cmmm


# ---------------------------------------------------------------------------------------- sections

def _cover(data: ReportInput) -> dict:
    ent = data.enterprise or {}
    versions = []
    titles = {"profile": "企业概况"}
    for kind in ("sme", "cmmm", "profile"):
        doc = data.documents.get(kind)
        if doc:
            titles[doc.get("key", kind)] = doc.get("title", kind)
    for key, version in (data.result.get("versions") or {}).items():
        versions.append({"key": key, "title": titles.get(key, key), "version": version})
    above = ent.get("above_scale")
    return {
        "name": _text(ent.get("name")) or "（未填写企业名称）",
        "credit_code": _text(ent.get("credit_code")) or "—",
        "area": _text(ent.get("area")) or "—",
        "industry": _text(ent.get("industry")) or "—",
        "scale": "规模以上工业企业" if above else ("规模以下工业企业" if above is not None else "—"),
        "contact": _text(ent.get("contact_name")) or "—",
        "date": cn_date(data.submitted_at) if data.submitted_at else "未提交（草稿）",
        "number": _text(data.number) or "—",
        "questionnaire": _text(data.questionnaire_title) or _text(data.result.get("title")),
        "versions": versions,
        "scoring_version": _text(data.result.get("scoring_version")) or "—",
    }


def _sme(sme: dict, doc: dict | None) -> dict:
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


def _domain_group(sd: dict) -> tuple[int, str]:
    element, domain = sd.get("element", ""), sd.get("domain", "")
    e = ELEMENT_ORDER.index(element) if element in ELEMENT_ORDER else len(ELEMENT_ORDER)
    d = DOMAIN_ORDER.index(domain) + 1 if domain in DOMAIN_ORDER else 0
    label = element if element == domain or not domain else f"{element} · {domain}"
    return e * 10 + d, label


def _cmmm(cmmm: dict, doc: dict | None, answers: dict, peers: dict | None) -> dict:
    k = int(cmmm.get("achieved") or 0)
    reference = max(k, 1)
    scale = {float(s["value"]): s["label"] for s in (doc or {}).get("scale", [])} or {
        0.0: "不满足", 0.5: "部分满足", 0.8: "大部分满足", 1.0: "全部满足"}
    doc_subs = {sd["key"]: sd for sd in (doc or {}).get("subdomains", [])}
    level_info = {lv["level"]: lv for lv in (doc or {}).get("levels", [])}
    peer_ok = bool(peers) and int(peers.get("count") or 0) >= PEER_MINIMUM and bool(peers.get("subdomains"))
    peer_subs = (peers or {}).get("subdomains") or {}

    subs = []
    for key, sd in (cmmm.get("subdomains") or {}).items():
        score = sd.get("score")
        applicable = sd.get("applicable", True) and score is not None
        reached = int(math.floor(score + 1e-9)) if applicable else None
        if "status" in sd:     # scoring 2026.11: one standing rule, and 未评估 is neither strength nor gap
            status = sd["status_label"]
            status_class = {"strength": "lead", "on_par": "ok", "gap": "gap"}.get(sd["status"], "na")
        elif not applicable:
            status, status_class = "不适用", "na"
        elif score + 1e-9 >= k + 1:
            status, status_class = "领先", "lead"
        elif score + 1e-9 >= reference:
            status, status_class = "达标", "ok"
        else:
            status, status_class = "短板", "gap"
        order, group = _domain_group(sd)
        peer = peer_subs.get(key) if peer_ok else None
        subs.append({
            "key": key, "name": sd["name"], "code": sd.get("code", ""), "group": group, "order": order,
            "score": score, "score_text": num(score) if applicable else "—",
            "score_level": (f"{num(score)}（{CMMM_LEVEL_NAMES.get(reached, '—')}）" if applicable else "—"),
            "reached": CMMM_LEVEL_NAMES.get(reached, "—") if applicable else "—",
            "status": status, "status_class": status_class, "applicable": applicable,
            "strength": (sd["status"] in ("strength", "on_par")) if "status" in sd else (applicable and score + 1e-9 >= reference),
            "tailored": sd.get("status") == "tailored" if "status" in sd else not applicable,
            "peer_text": num(peer) if peer is not None else "—",
            "diff_text": (("+" if score - peer >= 0 else "") + num(score - peer))
            if peer is not None and applicable else "",
            "weight": pct(sd.get("weight"), 1) if applicable else "—",
        })

    radar = charts.radar_svg(
        [s["name"] for s in subs], [s["score"] if s["applicable"] else None for s in subs],
        [float(peer_subs.get(s["key"]) or 0) for s in subs] if peer_ok else None,
        peer_label=f"{(peers or {}).get('basis', '可比企业')}平均（{(peers or {}).get('count')}家）" if peer_ok else "")
    if peer_ok:
        peer_note = (f"虚线为{peers.get('basis', '可比企业')}已完成诊断的 {peers['count']} 家企业各子域得分的平均值，"
                     "仅供对照，不含企业名称等信息。")
    else:
        count = int((peers or {}).get("count") or 0)
        basis = (peers or {}).get("basis") or "同行业或同地区"
        peer_note = (f"{basis}已完成诊断的可比企业不足 {PEER_MINIMUM} 家"
                     f"{'（目前 ' + str(count) + ' 家）' if count else ''}，为保护企业信息，暂不显示平均水平。")

    groups: list[dict] = []
    for s in sorted(subs, key=lambda s: s["order"]):
        if not groups or groups[-1]["name"] != s["group"]:
            groups.append({"name": s["group"], "rows": []})
        groups[-1]["rows"].append(s)
    for g in groups:
        g["strengths"] = "、".join(s["name"] for s in g["rows"] if s["strength"]) or "无"
        g["gaps"] = "、".join(s["name"] for s in g["rows"] if s["applicable"] and not s["strength"]) or "无"

    # The weakest sub-domains, with the requirement items of the next level and the current rating.
    ranked = sorted((s for s in subs if s["applicable"]), key=lambda s: (s["score"], s["order"]))
    gaps = [s for s in ranked if not s["strength"]]
    weakest = gaps[:WEAKEST_MAX] if len(gaps) >= WEAKEST_MIN else ranked[:WEAKEST_MIN]
    focus = []
    for s in weakest:
        nxt = min(int(math.floor(s["score"] + 1e-9)) + 1, 5)
        items = []
        for item in (doc_subs.get(s["key"], {}).get("levels") or {}).get(str(nxt), []):
            if item["id"] in answers:
                value = answers[item["id"]]
                rating = "不适用" if value is None else scale.get(float(value), num(value))
            else:
                rating = "未作答"
            items.append({"id": item["id"], "text": item["text"], "example": item.get("example", ""),
                          "rating": rating})
        info = level_info.get(nxt, {})
        focus.append({"name": s["name"], "score": s["score_text"], "next_level": CMMM_LEVEL_NAMES.get(nxt, ""),
                      "next_title": info.get("title", ""), "items": items})

    levels = []
    for n in range(1, 6):
        value = float((cmmm.get("level_scores") or {}).get(str(n)) or 0)
        info = level_info.get(n, {})
        if n <= k:
            state = "已达成"
        elif n == k + 1:
            state = "目标级"
        else:
            state = "未评估"
        levels.append({"level": CMMM_LEVEL_NAMES[n], "title": info.get("title", ""), "gist": info.get("gist", ""),
                       "score": num(value) if n <= k + 1 else "—", "state": state,
                       "current": n == k + 1})
    strengths = [s["name"] for s in sorted(subs, key=lambda s: -(s["score"] or 0)) if s["applicable"]][:3]
    standing = cmmm.get("standing")
    if standing:               # scoring 2026.11: the same lists as the result page
        names = {s["key"]: s["name"] for s in subs}
        strengths = [names[key] for key in standing["strengths"]][:3]
        ranked = [next(s for s in subs if s["key"] == f["key"]) for f in standing["next_level_focus"]] or ranked
    return {
        "level": cmmm.get("level"),
        "level_label": cmmm.get("level_label", ""),
        "level_title": cmmm.get("level_title", ""),
        "score": num(cmmm.get("score")),
        "achieved": k,
        "achieved_label": CMMM_LEVEL_NAMES.get(k, str(k)),
        "next_label": CMMM_LEVEL_NAMES.get(min(k + 1, 5), ""),
        "reference_label": CMMM_LEVEL_NAMES.get(reference, ""),
        "profile_name": cmmm.get("profile_name", ""),
        "levels": levels,
        "radar_svg": radar,
        "peer_note": peer_note,
        "peer_shown": peer_ok,
        "groups": groups,
        "focus": focus,
        "top": strengths,
        "bottom": [s["name"] for s in ranked[:3]],
        "gap_count": len(gaps),
        "tailored_out": [s["name"] for s in subs if s["tailored"]],
    }


def _indicators(data: ReportInput) -> list[dict]:
    inds = data.result.get("indicators") or {}
    profile = data.profile or {}
    targets = {t["key"]: t for t in (data.targets or {}).get("indicators", [])}
    year = (data.targets or {}).get("year")
    cloud_text, lianghua_text = {}, {}
    for section in (data.documents.get("profile") or {}).get("sections", []):
        for f in section["fields"]:
            if f["key"] == "cloud_layers":
                cloud_text = {o["key"]: o["text"].split("（")[0] for o in f.get("options", [])}
            if f["key"] == "lianghua_status":
                lianghua_text = {o["key"]: o["text"] for o in f.get("options", [])}

    def target(key: str) -> dict:
        return targets.get(key) or {}

    def ratio_row(name: str, key: str, tkey: str) -> dict:
        value = inds.get(key)
        t = target(tkey).get("target")
        if value is None:
            status, cls = "未填写", "na"
        elif t is None:
            status, cls = "无目标值", "na"
        elif value + 1e-9 >= t:
            status, cls = "已达到", "ok"
        else:
            status, cls = f"差 {(t - value) * 100:.1f} 个百分点", "gap"
        return {"name": name, "value": pct(value), "target": pct(t, 0) if t is not None else "行动计划未设定",
                "scope": "规上企业平均" if t is not None else "—", "status": status, "status_class": cls,
                "note": target(tkey).get("note", "") if t is None else ""}

    def count_row(name: str, field_key: str, tkey: str, unit: str) -> dict:
        value = profile.get(field_key)
        t = target(tkey).get("target")
        if value is None:
            status, cls = "未填写", "na"
        elif t:
            status, cls = f"占全市目标 {value / t * 100:.2f}%", "info"
        else:
            status, cls = "—", "na"
        return {"name": name, "value": f"{num(value)} {unit}" if value is not None else "—",
                "target": f"{num(t)} {unit}" if t is not None else "—", "scope": "全市合计" if t is not None else "—",
                "status": status, "status_class": cls, "note": ""}

    rows = [
        ratio_row("关键工序数控化率", "nc_rate", "nc_rate"),
        ratio_row("生产设备联网率", "networking_rate", "networking"),
    ]
    if "digitization_rate" in inds:
        value = inds.get("digitization_rate")
        rows.append({"name": "生产设备数字化率", "value": pct(value), "target": "行动计划未设定", "scope": "—",
                     "status": "—" if value is None else "参考指标", "status_class": "na", "note": ""})
    rows += [
        count_row("工业机器人", "robots", "robots", "台"),
        count_row("智能化生产线", "smart_lines", "smart_lines", "条"),
        count_row("智能工厂（数字化车间）", "smart_workshops", "smart_factories", "个"),
    ]
    layers = profile.get("cloud_layers")
    t = target("cloud_enterprises").get("target")
    rows.append({
        "name": "企业上云",
        "value": ("、".join(cloud_text.get(x, x) for x in layers) if layers else "尚未上云") if layers is not None else "—",
        "target": f"{num(t)} 家上云企业" if t is not None else "—", "scope": "全市合计" if t is not None else "—",
        "status": "计入上云企业" if layers else ("未计入" if layers is not None else "未填写"),
        "status_class": "ok" if layers else "gap", "note": ""})
    status = profile.get("lianghua_status")
    tb, tc = target("lianghua_benchmarked").get("target"), target("lianghua_certified").get("target")
    rows.append({
        "name": "两化融合管理体系",
        "value": lianghua_text.get(status, status) if status else "—",
        "target": (f"对标 {num(tb)} 家、贯标 {num(tc)} 家" if tb is not None else "—"),
        "scope": "全市合计" if tb is not None else "—",
        "status": {"certified": "计入贯标企业", "benchmarked": "计入对标企业", "none": "未计入"}.get(status, "未填写"),
        "status_class": {"certified": "ok", "benchmarked": "ok", "none": "gap"}.get(status, "na"), "note": ""})
    t = target("diagnosis_coverage").get("target")
    if t is not None:
        rows.append({"name": "完成一轮智能化诊断", "value": "已完成（本报告）" if data.submitted_at else "进行中",
                     "target": f"规上企业 {pct(t, 0)}", "scope": "全市规上企业",
                     "status": "计入诊断覆盖" if data.submitted_at else "提交后计入",
                     "status_class": "ok" if data.submitted_at else "na", "note": ""})
    for r in rows:
        r["year"] = year
    return rows


CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"


def _reason_text(b: dict) -> str:
    return b.get("text") or f"{b['question']}：{b['answer']}（{b['threshold']}）"


def _recommendations(result: dict) -> tuple[list[dict], list[dict]]:
    recs = result.get("recommendations") or []
    titles = {r["id"]: r["title"] for r in recs if "id" in r}
    items = []
    for r in recs:
        reasons = [{"question": b.get("question", ""), "answer": b.get("answer", ""),
                    "threshold": b.get("threshold", ""), "text": b.get("text", "")} for b in r.get("because") or []]
        apps = [f"{a['type']}（{num(a['workers'])} 人）" for a in r.get("applications") or [] if a.get("workers")]
        items.append({
            "priority": r.get("priority"), "title": r.get("title", ""), "summary": r.get("summary", ""),
            "kind": r.get("kind_label") or KIND_LABELS.get(r.get("kind"), r.get("kind") or ""), "phase": r.get("phase", ""),
            "phase_label": r.get("phase_label", ""), "steps": r.get("steps") or [],
            "effort": LEVEL3.get(r.get("effort"), r.get("effort") or ""),
            "impact": LEVEL3.get(r.get("impact"), r.get("impact") or ""),
            "score": num(r.get("score")), "because": reasons, "applications": apps,
            "prerequisites": [titles.get(p, p) for p in r.get("prerequisites") or []],
            "first_reason": _reason_text(reasons[0]) if reasons else "",
            "steps_text": " ".join(f"{CIRCLED[i] if i < len(CIRCLED) else str(i + 1) + '.'}{s}"
                                   for i, s in enumerate(r.get("steps") or [])),
            "because_text": "；".join(_reason_text(b) for b in reasons),
        })
    phases: list[dict] = []
    for it in items:
        for ph in phases:
            if ph["key"] == it["phase"]:
                ph["items"].append(it)
                break
        else:
            phases.append({"key": it["phase"], "label": it["phase_label"], "items": [it]})
    phases.sort(key=lambda p: p["key"])
    return items, phases


def _review(review: dict | None) -> dict | None:
    if not review or not _text(review.get("opinion")).strip():
        return None
    paragraphs = [p.strip() for p in _text(review.get("opinion")).replace("\r\n", "\n").split("\n") if p.strip()]
    return {"provider": _text(review.get("provider")) or "—", "reviewer": _text(review.get("reviewer")),
            "date": cn_date(review.get("date")) if review.get("date") else "", "paragraphs": paragraphs}


def _method(result: dict, sme: dict | None, cmmm: dict | None, cover: dict) -> dict:
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


def _answer_text(q: dict, value: Any) -> str:
    opts = {o["key"]: o["text"] for o in q.get("options", [])}
    if value is None:
        return "未作答"
    if isinstance(value, list):
        return "；".join(f"{v}. {opts.get(v, v)}" for v in value) if value else "均未选择"
    return f"{value}. {opts.get(value, value)}"


def _appendix(data: ReportInput, sme: dict | None, cmmm: dict | None) -> dict:
    answers = data.answers or {}
    profile_doc = data.documents.get("profile")
    sme_doc = data.documents.get("sme")
    cmmm_doc = data.documents.get("cmmm")
    sections = []
    if profile_doc:
        for section in profile_doc.get("sections", []):
            rows = []
            for f in section["fields"]:
                value = data.profile.get(f["key"])
                opts = {o["key"]: o["text"].split("（")[0] for o in f.get("options", [])}
                if value is None:
                    text = "未填写"
                elif isinstance(value, list):
                    text = "、".join(opts.get(v, v) for v in value) if value else "均未选择"
                elif opts:
                    text = opts.get(value, str(value))
                else:
                    text = f"{num(value)} {f.get('unit', '')}".strip()
                rows.append({"label": f["label"], "value": text})
            sections.append({"title": section["title"], "rows": rows})
    else:
        rows = [{"label": k, "value": "、".join(map(str, v)) if isinstance(v, list) else num(v)}
                for k, v in (data.profile or {}).items()]
        sections.append({"title": "企业概况", "rows": rows})
    questions = []
    scenes = []
    if sme_doc:
        points = (sme or {}).get("questions") or {}
        for q in sme_doc.get("questions", []):
            collected = []
            for col in q.get("collects") or []:
                if answers.get(col["key"]) is not None:
                    collected.append(f"{col['label']} {num(answers[col['key']])} {col.get('unit', '')}".strip())
            questions.append({"id": q["id"], "text": q["text"], "answer": _answer_text(q, answers.get(q["id"])),
                              "collected": "；".join(collected),
                              "points": num((points.get(q["id"]) or {}).get("points"))})
        for g in sme_doc.get("scene_groups", []):
            for sc in g["scenes"]:
                level = answers.get(sc["id"])
                scenes.append({"id": sc["id"], "name": sc["name"], "level": "未答" if level is None else f"{level}级"})
    elif sme:
        for qid, q in (sme.get("questions") or {}).items():
            questions.append({"id": qid, "text": qid, "answer": _text(q.get("answer")) or "未作答",
                              "collected": "", "points": num(q.get("points"))})
        for sid, sc in (sme.get("scenes") or {}).items():
            scenes.append({"id": sid, "name": sc.get("name", ""), "level": f"{sc.get('level', 0)}级"})
    matrix = []
    unanswered = 0
    legend = ""
    if cmmm_doc and cmmm:
        scale = cmmm_doc.get("scale", [])
        legend = "、".join(f"{num(float(x['value']))} {x['label']}" for x in sorted(scale, key=lambda x: -x["value"]))
        legend += "，“—”为不适用"
        shown = max(1, min(int(cmmm.get("asked_up_to") or 5), 5))
        for sd in cmmm_doc.get("subdomains", []):
            cells = []
            for level in range(1, 6):
                entries = (sd.get("levels") or {}).get(str(level))
                if not entries:
                    cells.append("无")
                    continue
                values = []
                for item in entries:
                    if item["id"] not in answers:
                        unanswered += 1
                        values.append("·")
                    else:
                        value = answers[item["id"]]
                        values.append("—" if value is None else num(float(value)))
                if level <= shown:
                    cells.append("未作答" if all(v == "·" for v in values) else " / ".join(values))
            matrix.append({"name": sd["name"], "code": sd["code"], "cells": cells})
    else:
        shown = 0
    return {"profile": sections, "questions": questions, "scenes": scenes,
            "cmmm": matrix, "cmmm_levels": [CMMM_LEVEL_NAMES[n] for n in range(1, shown + 1)], "cmmm_legend": legend,
            "cmmm_unanswered": unanswered,
            "cmmm_asked_up_to": CMMM_LEVEL_NAMES.get((cmmm or {}).get("asked_up_to") or 0, "")}


def _summary(sme_ctx: dict | None, cmmm_ctx: dict | None, data: ReportInput, recs: list[dict]) -> dict:
    inds = data.result.get("indicators") or {}
    profile = data.profile or {}
    key_figures = [
        {"label": "关键工序数控化率", "value": pct(inds.get("nc_rate"))},
        {"label": "生产设备联网率", "value": pct(inds.get("networking_rate"))},
        {"label": "生产设备数字化率", "value": pct(inds.get("digitization_rate"))},
        {"label": "工业机器人", "value": f"{num(profile.get('robots'))} 台" if profile.get("robots") is not None else "—"},
        {"label": "智能化生产线", "value": f"{num(profile.get('smart_lines'))} 条"
         if profile.get("smart_lines") is not None else "—"},
    ]
    findings = []
    if sme_ctx:
        dims = sorted(sme_ctx["dims"], key=lambda d: float(d["rate"].rstrip("%") or 0) if d["rate"] != "—" else 0)
        if dims:
            findings.append(f"数字化水平评测得分 {sme_ctx['total']} 分（满分 {sme_ctx['max']}），"
                            f"定级为{sme_ctx['grade_label']}；三个维度中“{dims[0]['name']}”得分率最低（{dims[0]['rate']}）。")
        weak = "、".join(f"{s['name']}（{s['level']}级）" for s in sme_ctx["weak_scenes"][:3])
        if weak:
            findings.append(f"16 个数字化经营场景中等级最低的是：{weak}。")
    if cmmm_ctx:
        findings.append(f"智能制造能力成熟度为{cmmm_ctx['level_label']}（{cmmm_ctx['level_title'] or '—'}），"
                        f"得分 S = {cmmm_ctx['score']}；已连续达成{cmmm_ctx['achieved_label']}，"
                        f"下一目标为{cmmm_ctx['next_label']}。")
        if cmmm_ctx["top"]:
            findings.append(f"相对优势子域：{'、'.join(cmmm_ctx['top'])}；最需补强：{'、'.join(cmmm_ctx['bottom'])}。")
    if recs:
        p1 = sum(1 for r in recs if r["phase"] == "P1")
        findings.append(f"共提出 {len(recs)} 项改造升级建议，其中近期（0–6个月）可启动 {p1} 项，优先顺序见路线图。")
    return {"key_figures": key_figures, "findings": findings, "top_actions": recs[:5]}


def build_context(data: ReportInput) -> dict:
    """Everything the template needs, as display-ready values."""
    result = data.result or {}
    sme, cmmm = split_result(result)
    cover = _cover(data)
    sme_ctx = _sme(sme, data.documents.get("sme")) if sme else None
    cmmm_ctx = _cmmm(cmmm, data.documents.get("cmmm"), data.answers or {}, data.peers) if cmmm else None
    recs, phases = _recommendations(result)
    levels = []
    if sme_ctx:
        levels.append(f"数字化水平{sme_ctx['grade_label']}（{sme_ctx['total']}分）")
    if cmmm_ctx:
        levels.append(f"智能制造能力成熟度{cmmm_ctx['level_label']}（S={cmmm_ctx['score']}）")
    ctx = {
        "lang": "zh-CN",
        "meta": {
            "title": f"{REPORT_TITLE} — {cover['name']}",
            "author": f"{PLATFORM}平台（{cover['name']}自诊断）",
            "description": f"报告编号 {cover['number']}；{cover['questionnaire']}；" + "；".join(levels),
            "keywords": "智能化诊断, 数字化水平, 智能制造能力成熟度, 改造升级",
        },
        "platform": PLATFORM,
        "report_title": REPORT_TITLE,
        "cover": cover,
        "sme": sme_ctx,
        "cmmm": cmmm_ctx,
        "indicators": _indicators(data),
        "targets_title": (data.targets or {}).get("title", ""),
        "recommendations": recs,
        "phases": phases,
        "review": _review(data.review),
        "method": _method(result, sme, cmmm, cover),
        "appendix": _appendix(data, sme, cmmm),
    }
    ctx["summary"] = _summary(sme_ctx, cmmm_ctx, data, recs)
    sections = [("summary", "诊断摘要")]
    if cmmm_ctx:
        sections.append(("maturity", "智能制造能力成熟度"))
    if sme_ctx:
        sections.append(("digital", "数字化水平"))
    sections.append(("indicators", "关键指标与行动计划目标"))
    if cmmm_ctx:
        sections.append(("gaps", "优势与差距"))
    sections.append(("roadmap", "改造升级路线图"))
    if ctx["review"]:
        sections.append(("review", "解决方案服务商意见"))
    sections += [("method", "方法说明"), ("appendix", "附录：全部答案")]
    ctx["sections"] = [{"id": s, "title": t, "no": i + 1} for i, (s, t) in enumerate(sections)]
    ctx["no"] = {s["id"]: s["no"] for s in ctx["sections"]}
    return ctx


# ---------------------------------------------------------------------------------------- demo data

DEMO_PEERS = {
    "strategy": 2.1, "skills": 1.8, "data": 1.6, "integration": 1.5, "security": 2.0, "equipment": 2.4,
    "network": 2.2, "product_design": 2.3, "process_design": 2.0, "procurement": 2.1, "planning": 2.0,
    "operations": 2.5, "maintenance": 1.9, "warehousing": 2.0, "hse": 2.3, "energy": 1.4, "logistics": 1.6,
    "sales": 2.2, "customer_service": 1.8, "product_service": 1.9,
}

def demo_input(library=None, questionnaire: str = "zhizao-2024") -> ReportInput:
    """The demo diagnosis of ``diagnosis.demo`` (a mid-maturity discrete manufacturer in 许昌), scored,
    with a provider review and peer averages: the report's demo and benchmark input."""
    from .. import demo
    from ..instruments import load_library
    from ..scoring import score_payload

    lib = library or load_library()
    payload = demo.demo_payload(lib, questionnaire)
    result = score_payload(payload, lib)
    suite = lib[questionnaire]
    parts = suite.data["parts"] if suite.kind == "suite" else [questionnaire]
    documents = {"profile": lib.single("profile").data}
    for key in parts:
        documents[lib[key].kind] = lib[key].data
    areas = {a["code"]: a["name"] for a in lib.single("areas").data["areas"]}
    industries = {i["code"]: i["name"] for i in lib.single("industries").data["industries"]}
    ent = demo.DEMO_ENTERPRISE
    return ReportInput(
        number="ZZ2026-000001",
        enterprise={"name": ent["name"], "credit_code": ent["credit_code"], "area": areas[ent["area_code"]],
                    "industry": f"{ent['industry_code']} {industries[ent['industry_code']]}",
                    "above_scale": True, "contact_name": ent["contact_name"]},
        submitted_at=datetime(2026, 11, 20, 15, 42),
        questionnaire_title=suite.title,
        result=result,
        profile=payload["profile"],
        answers=payload["answers"],
        documents=documents,
        targets=lib.single("targets").data,
        peers={"basis": "同行业", "count": 7, "subdomains": dict(DEMO_PEERS)} if "cmmm" in documents else None,
        review={"provider": demo.DEMO_USERS[1][3], "reviewer": demo.DEMO_USERS[1][2], "opinion": demo.DEMO_REVIEW,
                "date": datetime(2026, 11, 25, 10, 0)},
    )

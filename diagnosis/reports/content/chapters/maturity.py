"""Chapters “智能制造能力成熟度” and “优势与差距”: levels, sub-domains, radar, weakest sub-domains."""
from __future__ import annotations

import math

from .. import charts, ranking
from ..formatting import num, pct
from ..labels import CMMM_LEVEL_NAMES, DOMAIN_ORDER, ELEMENT_ORDER

PEER_MINIMUM = 5
WEAKEST_MIN, WEAKEST_MAX = 4, 6


def _domain_group(sd: dict) -> tuple[int, str]:
    element, domain = sd.get("element", ""), sd.get("domain", "")
    e = ELEMENT_ORDER.index(element) if element in ELEMENT_ORDER else len(ELEMENT_ORDER)
    d = DOMAIN_ORDER.index(domain) + 1 if domain in DOMAIN_ORDER else 0
    label = element if element == domain or not domain else f"{element} · {domain}"
    return e * 10 + d, label


def build(cmmm: dict, doc: dict | None, answers: dict, peers: dict | None) -> dict:
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
        # The level a sub-domain starts at (数据 at 二级, 产品服务 at 三级): nothing below it is asked.
        start = int(sd.get("min_level") or doc_subs.get(key, {}).get("min_level") or 1)
        if not applicable:
            reached = None
        elif "achieved" in sd:      # scoring 2026.11: only the levels it has requirements at count
            reached = int(sd["achieved"])
        else:
            reached = int(math.floor(score + 1e-9))
        reached_label = (CMMM_LEVEL_NAMES.get(reached, "—") if reached else f"未达{CMMM_LEVEL_NAMES[start]}"
                         ) if applicable else "—"
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
            "score_level": f"{num(score)}（{reached_label}）" if applicable else "—",
            "reached": reached_label, "reached_level": reached or 0, "start": start,
            "status": status, "status_class": status_class, "applicable": applicable,
            "strength": (sd["status"] in ("strength", "on_par")) if "status" in sd else (applicable and score + 1e-9 >= reference),
            # Standing 2026.11 calls a sub-domain whose requirements start above the reference level
            # 达标: nothing was asked of it there. It is named apart, never as a strength.
            "starts_above": "status" in sd and applicable and start > reference and sd["status"] == "on_par",
            "tailored": sd.get("status") == "tailored" if "status" in sd else not applicable,
            "peer_text": num(peer) if peer is not None else "—",
            "diff_text": (("+" if score - peer >= 0 else "") + num(score - peer))
            if peer is not None and applicable else "",
            "weight": pct(sd.get("weight"), 1) if applicable else "—",
        })

    radar = charts.radar_svg(
        [s["name"] for s in subs], [s["score"] if s["applicable"] else None for s in subs],
        [float(peer_subs.get(s["key"]) or 0) for s in subs] if peer_ok else None,
        peer_label=f"{(peers or {}).get('basis', '可比企业')}平均（{(peers or {}).get('count')}家）" if peer_ok else "",
        missing_labels=[None if s["applicable"] else s["status"] for s in subs])
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
    standing_rule = any("status" in sd for sd in (cmmm.get("subdomains") or {}).values())
    for g in groups:
        g["strengths"] = "、".join(s["name"] for s in g["rows"] if s["strength"] and not s["starts_above"]) or "无"
        g["gaps"] = "、".join(s["name"] for s in g["rows"] if s["applicable"] and not s["strength"]) or "无"
        g["starts_above"] = "；".join(f"{s['name']}自{CMMM_LEVEL_NAMES[s['start']]}起评"
                                     for s in g["rows"] if s["starts_above"])
        g["assessed"] = any(s["applicable"] for s in g["rows"])
    by_start: dict[int, list[str]] = {}
    for sd in (doc or {}).get("subdomains", []):
        if int(sd.get("min_level") or 1) > 1:
            by_start.setdefault(int(sd["min_level"]), []).append(sd["name"])
    later_starts = "，".join(f"{'、'.join(names)}为{CMMM_LEVEL_NAMES[level]}" for level, names in sorted(by_start.items()))
    starting_above = "、".join(f"{s['name']}的要求从{CMMM_LEVEL_NAMES[s['start']]}起"
                              for s in subs if s["starts_above"])

    # The weakest sub-domains, with the requirement items of the next level and the current rating.
    # With the standing of scoring 2026.11 the order is the result page's: the next level's score,
    # low to high, equal scores by the sub-domain's weight; before it, the sub-domain score.
    ranked = sorted((s for s in subs if s["applicable"]), key=lambda s: (s["score"], s["order"]))
    rank_value = lambda s: s["score"]   # noqa: E731
    by_key = {s["key"]: s for s in subs}
    standing = cmmm.get("standing")
    by_next_level = bool(standing and standing.get("next_level_focus"))
    if by_next_level:
        next_scores = {f["key"]: f["score"] for f in standing["next_level_focus"]}
        ranked = [by_key[f["key"]] for f in standing["next_level_focus"] if f["key"] in by_key]
        rank_value = lambda s: next_scores[s["key"]]   # noqa: E731
    open_ranked = [s for s in ranked if s["score"] + 1e-9 < 5]    # a sub-domain at 5 has no next level
    gaps = [s for s in open_ranked if not s["strength"]]
    weakest_cut = (ranking.first(gaps, rank_value, WEAKEST_MAX) if len(gaps) >= WEAKEST_MIN
                   else ranking.first(open_ranked, rank_value, WEAKEST_MIN))
    weakest = weakest_cut.shown
    focus = []
    for s in weakest:
        # The sub-domain's own next level: one above what it reached, and never below its first level.
        nxt = min(max(s["reached_level"] + 1, s["start"]), 5)
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
    asked = int(cmmm.get("asked_up_to") or 5)
    for n in range(1, 6):
        value = float((cmmm.get("level_scores") or {}).get(str(n)) or 0)
        info = level_info.get(n, {})
        if n <= k:
            state = "已达成"
        elif n == k + 1:
            state = "下一目标"
        elif n <= asked:
            state = "未达成"
        else:
            state = "未评估"
        levels.append({"level": CMMM_LEVEL_NAMES[n], "title": info.get("title", ""), "gist": info.get("gist", ""),
                       "score": num(value) if n <= max(k + 1, asked) else "—", "state": state,
                       "current": n == k + 1})
    strong = [s for s in sorted(subs, key=lambda s: -(s["score"] or 0)) if s["applicable"]]
    if standing:               # scoring 2026.11: the same lists as the result page
        strong = [by_key[key] for key in standing["strengths"]]
    top = ranking.first(strong, lambda s: s["score"], 3)
    bottom = ranking.first(ranked, rank_value, 3)
    next_label = CMMM_LEVEL_NAMES.get(min(k + 1, 5), "")

    def tied(cut: ranking.Cut) -> str:
        """“另有 15 个子域与装备的五级要求得分同为 0.5”, or "" when the cut splits no tie."""
        if not cut.tied_left_out:
            return ""
        what = f"的{next_label}要求得分" if by_next_level else "得分"
        return f"另有 {cut.tied_left_out} 个子域与{cut.shown[-1]['name']}{what}同为 {num(cut.value)}"

    sentences = standing_sentences(k, cmmm, level_info)
    return {
        **sentences,
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
        "radar_scale": num(charts.radar_scale([s["score"] for s in subs if s["applicable"]]
                                              + ([float(peer_subs.get(s["key"]) or 0) for s in subs] if peer_ok else []))),
        "peer_note": peer_note,
        "peer_shown": peer_ok,
        "groups": groups,
        "standing_rule": standing_rule,
        "later_starts": later_starts,
        "starting_above": starting_above,
        "strengths_label": "达标及以上" if standing_rule else "优势",
        "focus": focus,
        "focus_rule": (f"按迈向{next_label}的要求得分从低到高列出（同分的按子域权重从高到低）" if by_next_level
                       else "按子域得分从低到高列出"),
        "focus_more": tied(weakest_cut) + "，未逐一列出。" if weakest_cut.tied_left_out else "",
        "top": [s["name"] for s in top.shown],
        "top_more": top.tied_left_out,
        "bottom": [s["name"] for s in bottom.shown],
        "bottom_tie": tied(bottom) + ("，同分的按子域权重排列" if by_next_level and bottom.tied_left_out else ""),
        "bottom_label": f"迈向{next_label}最需补强的子域" if by_next_level else "最需补强的子域",
        "gap_count": len(gaps),
        "tailored_out": [s["name"] for s in subs if s["tailored"]],
    }


def _titled(n: int, level_info: dict) -> str:
    title = (level_info.get(n) or {}).get("title", "")
    return CMMM_LEVEL_NAMES[n] + (f"（{title}）" if title else "")


def standing_sentences(k: int, cmmm: dict, level_info: dict) -> dict[str, str]:
    """What the report says of the level reached, right for nothing achieved, some, and all five."""
    score = num(cmmm.get("score"))
    if k <= 0:
        reached = f"企业整体尚未达到{_titled(1, level_info)}的要求"
        kpi = f"尚未达到一级 · 下一目标{_titled(1, level_info)}"
        reference = "企业整体尚未达到一级，以一级的要求为参照"
    elif k >= 5:
        reached = f"企业整体达到{_titled(5, level_info)}，为最高等级"
        kpi = "已达到最高等级五级"
        reference = "以企业整体已达到的五级为参照"
    else:
        reached = f"企业整体达到{_titled(k, level_info)}"
        kpi = f"已达到{CMMM_LEVEL_NAMES[k]} · 下一目标{_titled(k + 1, level_info)}"
        reference = f"以企业整体已达到的{CMMM_LEVEL_NAMES[k]}为参照"
    nxt = "" if k >= 5 else f"，下一目标为{_titled(max(k, 0) + 1, level_info)}"
    return {
        "lead": f"{reached}，成熟度得分 {score}（满分 5）。",
        "kpi_note": kpi,
        "finding": f"智能制造能力成熟度：{reached}，成熟度得分 {score}（满分 5）{nxt}。",
        "reference_sentence": reference,
    }

"""Upgrade recommendations: evaluate catalog triggers over the facts of a diagnosis, rank, phase.

The rule (documented in ``upgrades.yaml``): score = gap x impact x feasibility; ranking by score,
then every recommended prerequisite before what needs it; phase = the later of the effort's base
phase and one after the latest recommended prerequisite, capped at the last phase.
"""
from __future__ import annotations

import heapq
from typing import Any

Facts = dict[str, Any]


def collect_facts(profile: dict, indicators: dict, sme: dict | None, cmmm: dict | None,
                  answers: dict) -> Facts:
    facts: Facts = {}
    for key, value in profile.items():
        facts[f"profile.{key}"] = value
    for key, value in indicators.items():
        if value is not None:
            facts[f"indicator.{key}"] = value
    if sme is not None:
        facts["sme.total"] = sme["total"]
        facts["sme.grade"] = sme["grade"]
        for qid, q in sme["questions"].items():
            if q["answer"] is not None:
                facts[f"answer.{qid}"] = q["answer"]
        for sid, scene in sme["scenes"].items():
            if answers.get(sid) is not None:
                facts[f"scene.{sid}"] = scene["level"]
    if cmmm is not None:
        facts["cmmm.level"] = cmmm["level"]
        facts["cmmm.score"] = cmmm["score"]
        target = str(min(cmmm["achieved"] + 1, 5))
        for key, sd in cmmm["subdomains"].items():
            value = sd["levels"].get(target)
            if value is not None:
                facts[f"subdomain.{key}"] = value
    return facts


def _leaf(cond: dict, facts: Facts) -> tuple[bool, float]:
    fact = cond["fact"]
    if fact not in facts:
        return False, 0.0
    value = facts[fact]
    if "below" in cond:
        t = cond["below"]
        if value < t:
            return True, min(1.0, max(0.0, (t - value) / t)) if t > 0 else 1.0
        return False, 0.0
    if "at_least" in cond:
        return value >= cond["at_least"], 1.0
    if "above" in cond:
        return value > cond["above"], 1.0
    if "lacks" in cond:
        return isinstance(value, list) and cond["lacks"] not in value, 1.0
    if "has" in cond:
        return isinstance(value, list) and cond["has"] in value, 1.0
    return value in cond["in"], 1.0


def evaluate(cond: dict, facts: Facts) -> tuple[bool, list[tuple[dict, float]]]:
    """Whether the condition holds, and the leaf conditions that made it hold (with their gaps)."""
    if "any" in cond or "all" in cond:
        results = [evaluate(c, facts) for c in cond.get("any") or cond.get("all")]
        if "any" in cond:
            held = [leaves for ok, leaves in results if ok]
            return bool(held), [leaf for leaves in held for leaf in leaves]
        if all(ok for ok, _ in results):
            return True, [leaf for _, leaves in results for leaf in leaves]
        return False, []
    ok, gap = _leaf(cond, facts)
    return ok, [(cond, gap)] if ok else []


def recommend(catalog: dict, facts: Facts, describe) -> list[dict[str, Any]]:
    """``describe(cond, value)`` turns a leaf condition into ``{question, answer, threshold}``."""
    rules = catalog["prioritization"]
    phases = [p["key"] for p in rules["phases"]]
    labels = {p["key"]: p["label"] for p in rules["phases"]}
    selected: dict[str, dict[str, Any]] = {}
    order: dict[str, int] = {}
    for position, up in enumerate(catalog["upgrades"]):
        ok, leaves = evaluate(up["triggers"], facts)
        if not ok or not leaves:
            continue
        gap = max(g for _, g in leaves)
        score = gap * rules["impact"][up["impact"]] * rules["feasibility"][up["effort"]]
        because = []
        for cond, _ in leaves:
            entry = describe(cond, facts.get(cond["fact"]))
            if entry not in because:
                because.append(entry)
        rec = {
            "id": up["id"], "kind": up["kind"], "title": up["title"], "summary": up["summary"],
            "steps": up["steps"], "effort": up["effort"], "impact": up["impact"], "serves": up["serves"],
            "moves": up["moves"], "gap": round(gap, 4), "score": round(score, 4), "because": because,
        }
        apps = [{"type": a["name"], "workers": facts.get(f"profile.{a['field']}")}
                for a in up.get("applications", []) or []
                if (facts.get(f"profile.{a['field']}") or 0) > 0]
        if up.get("applications"):
            rec["applications"] = sorted(apps, key=lambda a: -a["workers"])
        selected[up["id"]] = rec
        order[up["id"]] = position
    prereqs = {up["id"]: [p for p in up["prerequisites"] if p in selected]
               for up in catalog["upgrades"] if up["id"] in selected}
    # Kahn's algorithm, always taking the best-scored recommendation whose prerequisites are placed.
    waiting = {uid: len(p) for uid, p in prereqs.items()}
    needed_by: dict[str, list[str]] = {uid: [] for uid in selected}
    for uid, pres in prereqs.items():
        for pre in pres:
            needed_by[pre].append(uid)
    ready = [(-selected[u]["score"], order[u], u) for u, n in waiting.items() if n == 0]
    heapq.heapify(ready)
    ranked: list[dict[str, Any]] = []
    phase_of: dict[str, int] = {}
    while ready:
        _, _, uid = heapq.heappop(ready)
        rec = selected[uid]
        phase = phases.index(rules["base_phase"][rec["effort"]])
        for pre in prereqs[uid]:
            phase = max(phase, phase_of[pre] + 1)
        phase = min(phase, len(phases) - 1)
        phase_of[uid] = phase
        rec["priority"] = len(ranked) + 1
        rec["phase"] = phases[phase]
        rec["phase_label"] = labels[phases[phase]]
        rec["prerequisites"] = prereqs[uid]
        ranked.append(rec)
        for nxt in needed_by[uid]:
            waiting[nxt] -= 1
            if waiting[nxt] == 0:
                heapq.heappush(ready, (-selected[nxt]["score"], order[nxt], nxt))
    return ranked

"""Upgrade recommendations: evaluate catalog triggers over the facts of a diagnosis, rank, phase.

The rule (documented in ``upgrades.yaml``): score = gap x impact x feasibility; ranking by score,
then every recommended prerequisite before what needs it; phase = the later of the effort's base
phase and one after the latest recommended prerequisite, capped at the last phase; a phase that
is full (``capacity``) passes further items on to the next one.
"""
from __future__ import annotations

import heapq
from typing import Any, Callable

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


Evaluator = Callable[[Facts], tuple[bool, list]]


def _leaf(cond: dict) -> Evaluator:
    fact = cond["fact"]
    guard = bool(cond.get("guard"))

    def held(gap: float) -> tuple[bool, list]:
        # A guard must hold, but is context rather than a reason: it is not listed and has no gap.
        return True, ([] if guard else [(cond, gap)])

    if "below" in cond:
        t = cond["below"]

        def below(facts: Facts):
            value = facts.get(fact)
            if value is None or not value < t:
                return False, []
            return held(min(1.0, max(0.0, (t - value) / t)) if t > 0 else 1.0)
        return below
    if "at_least" in cond or "above" in cond:
        t = cond.get("at_least", cond.get("above"))
        strict = "above" in cond

        def compare(facts: Facts):
            value = facts.get(fact)
            if value is None or not (value > t if strict else value >= t):
                return False, []
            return held(1.0)
        return compare
    if "lacks" in cond or "has" in cond:
        option = cond.get("lacks", cond.get("has"))
        wanted = "has" in cond

        def membership(facts: Facts):
            value = facts.get(fact)
            if not isinstance(value, list) or (option in value) != wanted:
                return False, []
            return held(1.0)
        return membership
    allowed = cond["in"]

    def one_of(facts: Facts):
        value = facts.get(fact)
        if value is None or value not in allowed:
            return False, []
        return held(1.0)
    return one_of


def compile_condition(cond: dict) -> Evaluator:
    """A function of the facts: whether the condition holds, and the leaf conditions that made it hold."""
    if "any" in cond or "all" in cond:
        parts = [compile_condition(c) for c in cond.get("any") or cond.get("all")]
        if "any" in cond:
            def any_of(facts: Facts):
                ok, leaves = False, []
                for part in parts:
                    held, found = part(facts)
                    if held:
                        ok = True
                        leaves.extend(found)
                return ok, leaves
            return any_of

        def all_of(facts: Facts):
            leaves = []
            for part in parts:
                held, found = part(facts)
                if not held:
                    return False, []
                leaves.extend(found)
            return True, leaves
        return all_of
    return _leaf(cond)


_COMPILED: dict[str, list[Evaluator]] = {}


def _triggers(catalog: dict, version: str | None) -> list[Evaluator]:
    compiled = _COMPILED.get(version) if version else None
    if compiled is None:
        compiled = [compile_condition(up["triggers"]) for up in catalog["upgrades"]]
        if version:
            _COMPILED[version] = compiled
    return compiled


def recommend(catalog: dict, facts: Facts, describe, version: str | None = None) -> list[dict[str, Any]]:
    """``describe(cond, value)`` turns a leaf condition into ``{question, answer, threshold}``;
    ``version`` (the catalog's content hash) lets the compiled triggers be reused."""
    rules = catalog["prioritization"]
    phases = [p["key"] for p in rules["phases"]]
    labels = {p["key"]: p["label"] for p in rules["phases"]}
    selected: dict[str, dict[str, Any]] = {}
    order: dict[str, int] = {}
    triggers = _triggers(catalog, version)
    for position, up in enumerate(catalog["upgrades"]):
        ok, leaves = triggers[position](facts)
        if not ok or not leaves:
            continue
        gap = max(g for _, g in leaves)
        score = gap * rules["impact"][up["impact"]] * rules["feasibility"][up["effort"]]
        because = []
        for cond, _ in leaves:
            entry = describe(cond, facts.get(cond["fact"]))
            same = next((b for b in because if b["fact"] == entry["fact"]), None)
            if same is None:
                because.append(entry)
            elif entry["threshold"] not in same["threshold"].split("；"):
                same["threshold"] += "；" + entry["threshold"]
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
    capacity = [rules.get("capacity", {}).get(key) for key in phases]
    load = [0] * len(phases)
    while ready:
        _, _, uid = heapq.heappop(ready)
        rec = selected[uid]
        phase = phases.index(rules["base_phase"][rec["effort"]])
        for pre in prereqs[uid]:
            phase = max(phase, phase_of[pre] + 1)
        phase = min(phase, len(phases) - 1)
        while capacity[phase] is not None and load[phase] >= capacity[phase] and phase < len(phases) - 1:
            phase += 1
        load[phase] += 1
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

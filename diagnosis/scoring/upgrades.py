"""Upgrade recommendations: evaluate catalog triggers over the facts of a diagnosis, fit them to the
enterprise, rank, phase, and attach reasons, estimates and indicator targets.

The rule is documented in ``upgrades.yaml`` (``prioritization.rule``) and printed in the report:
score = gap x impact x feasibility x plan x ladder x fit; phases are filled in order, best score
first, within each phase's capacity and after every recommended prerequisite; priorities are numbered
in phase order, and an item placed later than its effort allows says why.
""" 
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

from ..numbers import pct
from .estimates import estimate, quantity

Facts = dict[str, Any]


def collect_facts(profile: dict, indicators: dict, sme: dict | None, cmmm: dict | None,
                  answers: dict, industry: str | None = None) -> Facts:
    facts: Facts = {}
    if industry is not None:
        facts["enterprise.industry"] = industry
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
        target = min(cmmm["achieved"] + 1, 5)
        facts["cmmm.target_level"] = target
        for key, sd in cmmm["subdomains"].items():
            value = sd.get("target_level_score", sd["levels"].get(str(target)))
            if value is not None:
                facts[f"subdomain.{key}"] = value
            if sd.get("assessed"):
                facts[f"_achieved.{key}"] = sd["achieved"]
    return facts


Evaluator = Callable[[Facts], tuple[bool, list]]


NO_GAP = -1.0     # a leaf that holds without measuring a shortfall (has, lacks, in, at least)


Collector = Callable[[Facts, list], bool]


def _collector(cond: dict) -> Collector:
    """``collect(facts, out)``: whether the condition holds; appends (leaf, gap) for each leaf that made
    it hold (guards hold without being listed). A failing ``all`` removes what its parts appended."""
    if "any" in cond or "all" in cond:
        parts = tuple(_collector(c) for c in cond.get("any") or cond.get("all"))
        if "any" in cond:
            def any_of(facts: Facts, out: list) -> bool:
                ok = False
                for part in parts:
                    if part(facts, out):
                        ok = True
                return ok
            return any_of

        def all_of(facts: Facts, out: list) -> bool:
            mark = len(out)
            for part in parts:
                if not part(facts, out):
                    del out[mark:]
                    return False
            return True
        return all_of
    fact = cond["fact"]
    guard = bool(cond.get("guard"))
    if "below" in cond:
        t = cond["below"]

        def below(facts: Facts, out: list) -> bool:
            value = facts.get(fact)
            if value is None or not value < t:
                return False
            if not guard:
                out.append((cond, min(1.0, max(0.0, (t - value) / t)) if t > 0 else 1.0))
            return True
        return below
    test = compile_test(cond)
    entry = (cond, NO_GAP)
    if guard:
        return lambda facts, out: test(facts)

    def other(facts: Facts, out: list) -> bool:
        if not test(facts):
            return False
        out.append(entry)
        return True
    return other


def compile_condition(cond: dict) -> Evaluator:
    """A function of the facts: whether the condition holds, and the leaf conditions that made it hold."""
    collect = _collector(cond)

    def evaluate(facts: Facts) -> tuple[bool, list]:
        out: list = []
        ok = collect(facts, out)
        return ok, (out if ok else [])
    return evaluate


Test = Callable[[Facts], bool]


_OPERATORS = {"below": "<", "at_least": ">=", "above": ">"}


def _literal(value: Any) -> str:
    """A validated operand as a Python literal (keys and finite numbers only)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError(value)
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(value)
    if isinstance(value, str) and not all(c.isalnum() or c in "_-." for c in value):
        raise ValueError(value)
    return repr(value)


def _expression(cond: dict) -> str:
    if "any" in cond or "all" in cond:
        joiner = " or " if "any" in cond else " and "
        return "(" + joiner.join(_expression(c) for c in cond.get("any") or cond.get("all")) + ")"
    get = f"(v := f.get({_literal(cond['fact'])}))"
    for op, sign in _OPERATORS.items():
        if op in cond:
            return f"({get} is not None and v {sign} {_literal(cond[op])})"
    if "lacks" in cond or "has" in cond:
        option = _literal(cond.get("lacks", cond.get("has")))
        return f"({get}.__class__ is list and {option} {'not in' if 'lacks' in cond else 'in'} v)"
    return f"({get} is not None and v in ({', '.join(_literal(x) for x in cond['in'])},))"


def compile_test(cond: dict) -> Test:
    """Whether the condition holds, without collecting reasons: the fast first pass, compiled to one
    expression (the data files' keys and numbers are validated; anything else uses the closures)."""
    try:
        return eval(f"lambda f: bool({_expression(cond)})", {"__builtins__": {"bool": bool, "list": list}})
    except (ValueError, SyntaxError):
        return _test_closure(cond)


def _test_closure(cond: dict) -> Test:
    if "any" in cond or "all" in cond:
        parts = tuple(_test_closure(c) for c in cond.get("any") or cond.get("all"))
        if "any" in cond:
            def any_of(facts: Facts) -> bool:
                for part in parts:
                    if part(facts):
                        return True
                return False
            return any_of

        def all_of(facts: Facts) -> bool:
            for part in parts:
                if not part(facts):
                    return False
            return True
        return all_of
    fact = cond["fact"]
    if "below" in cond:
        t = cond["below"]
        return lambda facts: (v := facts.get(fact)) is not None and v < t
    if "at_least" in cond:
        t = cond["at_least"]
        return lambda facts: (v := facts.get(fact)) is not None and v >= t
    if "above" in cond:
        t = cond["above"]
        return lambda facts: (v := facts.get(fact)) is not None and v > t
    if "lacks" in cond:
        option = cond["lacks"]
        return lambda facts: (v := facts.get(fact)).__class__ is list and option not in v
    if "has" in cond:
        option = cond["has"]
        return lambda facts: (v := facts.get(fact)).__class__ is list and option in v
    allowed = tuple(cond["in"])
    return lambda facts: (v := facts.get(fact)) is not None and v in allowed


@dataclass(frozen=True)
class _Upgrade:
    up: dict
    position: int
    trigger: Evaluator
    tier_level: int
    base: int                       # index of the base phase
    weight: float                   # impact x feasibility
    workers: tuple[tuple[str, str], ...]
    prerequisites: tuple[tuple[str, Test | None], ...]   # (id, condition under which it is needed)
    test: Test
    quantities: tuple[str, ...]                           # what its estimate scales with
    constrained: bool                                     # has production types or industries


@dataclass(frozen=True)
class _Catalog:
    upgrades: tuple[_Upgrade, ...]
    rungs: tuple[tuple[int, Evaluator], ...]
    phases: tuple[str, ...]
    labels: dict[str, str]
    shorts: dict[str, str]
    capacity: tuple[int | None, ...]
    tiers: dict[str, dict]


_COMPILED: dict[str, _Catalog] = {}


def _compile(catalog: dict, version: str | None) -> _Catalog:
    hit = _COMPILED.get(version) if version else None
    if hit is not None:
        return hit
    rules = catalog["prioritization"]
    phases = tuple(p["key"] for p in rules["phases"])
    tiers = {t["key"]: t for t in catalog["tiers"]}
    ups = tuple(_Upgrade(up, i, compile_condition(up["triggers"]), tiers[up["tier"]]["level"],
                         phases.index(rules["base_phase"][up["effort"]]),
                         rules["impact"][up["impact"]] * rules["feasibility"][up["effort"]],
                         tuple((f"profile.{a['field']}", a["name"]) for a in up.get("applications", []) or []),
                         tuple((pre, None) if isinstance(pre, str) else (pre["id"], compile_test(pre["when"]))
                               for pre in up["prerequisites"]),
                         compile_test(up["triggers"]), _quantities(up.get("estimate")),
                         bool(up.get("production_types") or up.get("industries") or up.get("focus_industries")))
                for i, up in enumerate(catalog["upgrades"]))
    ladder = rules.get("ladder") or {"rungs": []}
    rungs = tuple((tiers[r["tier"]]["level"], compile_test(r["when"])) for r in ladder["rungs"])
    compiled = _Catalog(ups, rungs, phases, {p["key"]: p["label"] for p in rules["phases"]},
                        {p["key"]: p.get("short", p["label"]) for p in rules["phases"]},
                        tuple(rules.get("capacity", {}).get(k) for k in phases), tiers)
    if version:
        _COMPILED[version] = compiled
    return compiled


def _fits(up: dict, facts: Facts) -> tuple[bool, bool]:
    """(suits the enterprise, is one of the upgrade's focus industries)."""
    kind = facts.get("profile.industry_type")
    if up.get("production_types") and kind not in up["production_types"]:
        return False, False
    industry = facts.get("enterprise.industry")
    if up.get("industries") and industry not in up["industries"]:
        return False, False
    return True, industry is not None and industry in (up.get("focus_industries") or ())


def system_level(system: dict, facts: Facts) -> int | None:
    """How far the enterprise already uses the system: the highest answered scene level, else the
    level its maturity sub-domain reached (capped at the scene scale's 4); None when unknown."""
    levels = [facts[f"scene.{s}"] for s in system["scenes"] if f"scene.{s}" in facts]
    if levels:
        return max(levels)
    achieved = facts.get(f"_achieved.{system.get('subdomain')}")
    return min(achieved, 4) if achieved is not None else None


def _variant(up: dict, facts: Facts) -> tuple[dict | None, str, int | None]:
    """The form of a system upgrade that fits what is in use: (fields to override, action, level).
    Fields None means the system is fully in use and the upgrade is dropped."""
    system = up.get("system")
    if not system:
        return {}, "introduce", None
    level = system_level(system, facts)
    if level is None or level < system["in_use_from"]:
        return {}, "introduce", level
    nxt = system["next"].get(str(level))
    if nxt is None:
        return None, "in_use", level
    return nxt, "integrate" if level == system["in_use_from"] else "optimize", level


def _plan_gap(up: dict, facts: Facts, targets: dict[str, dict]) -> float:
    """The enterprise's own relative gap against the plan indicator the upgrade serves (0 when it has
    no value of its own for that indicator, or has reached the target)."""
    target = targets.get(up["serves"] or "")
    value = facts.get(f"indicator.{up['serves']}")
    if not target or target.get("target") in (None, 0) or value is None:
        return 0.0
    return min(1.0, max(0.0, (target["target"] - value) / target["target"]))


class Memo(dict):
    """A bounded memo for values that depend only on a few inputs (cleared when full)."""

    def __init__(self, size: int = 50_000):
        super().__init__()
        self.size = size

    def put(self, key, value):
        if len(self) >= self.size:
            self.clear()
        self[key] = value
        return value


_TEMPLATES: dict[tuple, dict] = {}
_ESTIMATES = Memo()


def _template(catalog: dict, c: _Catalog, up: dict, variant: dict, action: str, level: int | None,
              version: str | None) -> dict[str, Any]:
    """The parts of a recommendation that depend only on the catalog and the system's stage."""
    key = (version, up["id"], action, level) if version else None
    hit = _TEMPLATES.get(key) if key else None
    if hit is None:
        hit = {"id": up["id"], "kind": up["kind"], "kind_label": catalog["kinds"][up["kind"]],
               "tier": up["tier"], "tier_label": c.tiers[up["tier"]]["label"],
               "title": variant.get("title", up["title"]), "summary": variant.get("summary", up["summary"]),
               "steps": variant.get("steps", up["steps"]), "action": action, "system_level": level,
               "effort": up["effort"], "impact": up["impact"], "serves": up["serves"], "moves": up["moves"]}
        if key:
            _TEMPLATES[key] = hit
    return hit


_PLAN_TARGETS: dict[int, tuple[dict, dict]] = {}


def _plan_targets(targets: dict | None) -> dict[str, dict]:
    if not targets:
        return {}
    hit = _PLAN_TARGETS.get(id(targets))
    if hit is None or hit[0] is not targets:
        hit = _PLAN_TARGETS[id(targets)] = (targets, {t["key"]: t for t in targets.get("indicators", [])})
    return hit[1]


def recommend(catalog: dict, facts: Facts, describe, version: str | None = None, *,
              details: dict | None = None, counts: dict | None = None, targets: dict | None = None
              ) -> list[dict[str, Any]]:
    """``describe`` is a ``Describer``; ``version`` (the catalog's content hash) lets the compiled
    catalog be reused; ``details`` says which indicators are estimated; ``counts`` are the figures the
    estimates scale with; ``targets`` the plan's targets document."""
    details = details or {}
    counts = counts or {}
    c = _compile(catalog, version)
    rules = catalog["prioritization"]
    plan_targets = _plan_targets(targets)
    rung = None
    for level, when in c.rungs:
        if when(facts):
            rung = level
            break
    ladder = rules.get("ladder") or {}
    at_rung, beyond = ladder.get("at_rung", 1.0), ladder.get("beyond", 1.0)
    fit_bonus, plan_bonus = rules.get("fit_bonus", 1.0), rules.get("plan_bonus", 0)
    selected: dict[str, dict[str, Any]] = {}
    chosen: list[_Upgrade] = []
    reasons = describe.reasons
    for u in c.upgrades:
        if not u.test(facts):
            continue
        up = u.up
        focus = False
        if u.constrained:
            suits, focus = _fits(up, facts)
            if not suits:
                continue
        ok, leaves = u.trigger(facts)
        if not ok or not leaves:
            continue
        if "system" in up:
            variant, action, level = _variant(up, facts)
            if variant is None:
                continue
        else:
            variant, action, level = _NO_VARIANT, "introduce", None
        # The shortfall a "below" condition measures; conditions that only say something is missing count 1.
        gap = NO_GAP
        for _, g in leaves:
            if g > gap:
                gap = g
        if gap == NO_GAP:
            gap = 1.0
        plan_gap = _plan_gap(up, facts, plan_targets) if up["serves"] else 0.0
        score = gap * u.weight
        if plan_gap > 0:
            score *= 1 + plan_bonus
        if rung is not None and u.tier_level > 0:
            if u.tier_level == rung:
                score *= at_rung
            elif u.tier_level >= rung + 2:
                score *= beyond
        if focus:
            score *= fit_bonus
        because = reasons(leaves, facts, details)
        rec = {**_template(catalog, c, up, variant, action, level, version),
               "fit": "focus" if focus else "general", "gap": round(gap, 4),
               "plan_gap": round(plan_gap, 4) if plan_gap else 0.0, "score": round(score, 4),
               "because": because}
        workers = _NO_WORKERS
        if u.workers:
            workers = {name: facts.get(field) for field, name in u.workers if (facts.get(field) or 0) > 0}
            rec["applications"] = sorted(({"type": k, "workers": v} for k, v in workers.items()),
                                         key=lambda a: -a["workers"])
        rec["estimate"] = _estimate(u, catalog, counts, workers, version, variant.get("estimate"), level)
        selected[up["id"]] = rec
        chosen.append(u)
    meta = {}
    for u in chosen:
        pres = [pre for pre, when in u.prerequisites if pre in selected and (when is None or when(facts))]
        meta[u.up["id"]] = (u.position, u.base, pres)
    ranked = _schedule(c, rules, selected, meta)
    for u in chosen:
        rec = selected[u.up["id"]]
        rec["targets"] = (_targets(c, u.up, rec, facts, details, plan_targets, describe.names)
                          if "milestones" in u.up else None)
    return ranked


_NO_VARIANT: dict = {}
_NO_WORKERS: dict = {}


def _quantities(spec: dict | None) -> tuple[str, ...]:
    if not spec:
        return ()
    names = [spec["investment"].get("quantity"), (spec.get("benefit") or {}).get("quantity")]
    if (spec.get("benefit") or {}).get("kind") == "energy":
        names.append("energy_tce")
    return tuple(sorted({n for n in names if n}))


_CONSTANT_ESTIMATES: dict[tuple, dict | None] = {}


def _estimate(u: _Upgrade, catalog: dict, counts: dict, workers: dict, version: str | None,
              own: dict | None = None, level: int | None = None) -> dict | None:
    """The upgrade's estimate; ``own`` is that of the next step of a system in use (at ``level``)."""
    spec = own or u.up.get("estimate")
    if not spec:
        return None
    quantities = _quantities(own) if own else u.quantities
    if not quantities:            # a typical range only: the same for every enterprise
        key = (version, u.up["id"], level) if version else None
        hit = _CONSTANT_ESTIMATES.get(key) if key else None
        if hit is None:
            hit = estimate(spec, catalog["estimates"], {}, [])
            if key:
                _CONSTANT_ESTIMATES[key] = hit
        return hit
    values = tuple([quantity(name, counts, workers) for name in quantities])
    jobs = tuple(sorted(workers, key=lambda k: -workers[k])) if workers else ()
    key = (version, u.up["id"], level, values, jobs)
    hit = _ESTIMATES.get(key)
    if hit is None:
        hit = _ESTIMATES.put(key, estimate(spec, catalog["estimates"], dict(zip(quantities, values)), list(jobs)))
    return hit


def _schedule(c: _Catalog, rules: dict, selected: dict[str, dict], meta: dict) -> list[dict[str, Any]]:
    """Fill the phases in order, best score first, within capacity and after prerequisites; number
    the priorities in phase order; say why an item waits."""
    last = len(c.phases) - 1
    placed: dict[str, int] = {}
    ordered: list[str] = []
    queue = sorted(selected, key=lambda u: (-selected[u]["score"], meta[u][0]))
    for p in range(len(c.phases)):
        cap = c.capacity[p] if p < last else None
        count = 0
        i = 0
        while i < len(queue) and (cap is None or count < cap):
            uid = queue[i]
            _, base, pres = meta[uid]
            ready = base <= p
            if ready:
                for pre in pres:
                    at = placed.get(pre)
                    if at is None or (at >= p and p != last):
                        ready = False
                        break
            if ready:
                placed[uid] = p
                ordered.append(uid)
                del queue[i]
                count += 1
                i = 0 if p == last else i      # in the last phase a placed item may free one above
            else:
                i += 1
    reasons_tpl = rules.get("reasons") or {}
    out = []
    for priority, uid in enumerate(ordered, start=1):
        rec = selected[uid]
        p = placed[uid]
        _, base, pres = meta[uid]
        reason = None
        if p > 0:
            bound = base
            for pre in pres:
                bound = max(bound, min(placed[pre] + 1, last))
            if p > bound:
                reason = reasons_tpl.get("capacity", "").format(
                    phase=c.shorts[c.phases[p - 1]], count=c.capacity[p - 1], next=c.shorts[c.phases[p]])
            elif p > base and pres:
                blocking = [pre for pre in pres if min(placed[pre] + 1, last) == p]
                reason = reasons_tpl.get("prerequisite", "").format(
                    names="、".join(f"“{selected[b]['title']}”" for b in blocking),
                    phase="、".join(sorted({c.shorts[c.phases[placed[b]]] for b in blocking})))
            elif p == base:
                reason = reasons_tpl.get("effort", "").format(phase=c.shorts[c.phases[p]])
        rec["priority"] = priority
        rec["phase"] = c.phases[p]
        rec["phase_label"] = c.labels[c.phases[p]]
        rec["phase_reason"] = reason or None
        rec["prerequisites"] = pres
        out.append(rec)
    return out


def _targets(c: _Catalog, up: dict, rec: dict, facts: Facts, details: dict, plan: dict, names: dict
             ) -> dict | None:
    """The indicator's path: its current value, then one milestone at the end of the item's phase and
    the next at the end of the following phase (values already reached are skipped)."""
    ms = up.get("milestones")
    if not ms:
        return None
    key = ms["indicator"]
    current = facts.get(f"indicator.{key}")
    start = c.phases.index(rec["phase"])
    path = []
    for value in ms["values"]:
        if current is not None and value <= current + 1e-9:
            continue
        p = start + len(path)
        if p >= len(c.phases):
            break
        path.append({"phase": c.phases[p], "phase_label": c.labels[c.phases[p]], "value": value})
    if not path:
        return None
    estimated = bool((details.get(key) or {}).get("estimated"))
    name = names.get(f"indicator.{key}", key)
    shown = "未填写" if current is None else pct(current) + ("（估算）" if estimated else "")
    steps = " → ".join(f"{v['value'] * 100:g}%（{c.shorts[v['phase']]}末）" for v in path)
    out: dict[str, Any] = {"indicator": key, "name": name, "current": current, "estimated": estimated,
                           "path": path, "text": f"{name} {shown} → {steps}"}
    target = plan.get(up["serves"] or "")
    if target and target.get("target") is not None and key == up["serves"]:
        out["plan_target"] = target["target"]
    return out

"""Per-kind validation of data files. Each validator raises DataFileError naming file and key path."""
from __future__ import annotations

from typing import Callable

from .validation import Checker, join

HEADER = ("key", "kind", "title")
FIELD_TYPES = ("integer", "number", "choice", "multi")
EFFORTS = ("low", "medium", "high")
CONDITION_OPS = ("below", "at_least", "above", "lacks", "has", "in")
SCALE_VALUES = (0, 0.5, 0.8, 1)
PRODUCTION_TYPES = ("discrete", "process")
# Quantities of the enterprise an estimate can scale with (computed in diagnosis/scoring/estimates.py).
QUANTITIES = ("non_nc_processes", "undigitized_equipment", "unnetworked_equipment", "equipment_total",
              "manual_workers", "headcount", "revenue", "energy_tce")
BENEFIT_KINDS = ("labour", "energy", "text")


def _options(c: Checker, options, path: str, with_points: bool) -> None:
    c.seq(options, path, min_len=1)
    for i, opt in enumerate(options):
        p = join(path, i)
        if with_points:
            c.mapping(opt, p, ("key", "text", "points"), ("exclusive",))
            c.number(opt["points"], join(p, "points"), low=0)
            if "exclusive" in opt and not isinstance(opt["exclusive"], bool):
                c.fail(join(p, "exclusive"), "must be true or false")
        else:
            c.mapping(opt, p, ("key", "text"))
        c.key(opt["key"], join(p, "key"))
        c.text(opt["text"], join(p, "text"))
    c.unique([o["key"] for o in options], path, "option key")


def _range(c: Checker, value, p: str, low: float = 0) -> list:
    c.seq(value, p, 2)
    if len(value) != 2:
        c.fail(p, "must be [low, high]")
    lo, hi = (c.number(v, p, low) for v in value)
    if lo > hi:
        c.fail(p, "low must not be above high")
    return value


def _field(c: Checker, f, p: str, extra: tuple = ()) -> None:
    c.mapping(f, p, ("key", "label", "type"),
              ("unit", "min", "max", "required", "help", "options", "not_above") + extra)
    c.key(f["key"], join(p, "key"))
    c.text(f["label"], join(p, "label"))
    c.one_of(f["type"], join(p, "type"), FIELD_TYPES)
    for bound in ("min", "max"):
        if bound in f:
            if f["type"] not in ("integer", "number"):
                c.fail(join(p, bound), f"only integer and number fields have {bound}")
            c.number(f[bound], join(p, bound))
    if f["type"] in ("choice", "multi"):
        if "options" not in f:
            c.fail(join(p, "options"), f"is missing (a {f['type']} field needs options)")
        _options(c, f["options"], join(p, "options"), with_points=False)
    elif "options" in f:
        c.fail(join(p, "options"), "only choice and multi fields have options")
    if "required" in f and not isinstance(f["required"], bool):
        c.fail(join(p, "required"), "must be true or false")


def validate_profile(c: Checker, d: dict) -> None:
    c.mapping(d, "", HEADER + ("sections", "indicators"), ("description",))
    keys: list[str] = []
    numeric: set[str] = set()
    for si, section in enumerate(c.seq(d["sections"], "sections", 1)):
        sp = join("sections", si)
        c.mapping(section, sp, ("key", "title", "fields"), ("help",))
        c.key(section["key"], join(sp, "key"))
        for fi, f in enumerate(c.seq(section["fields"], join(sp, "fields"), 1)):
            fp = join(join(sp, "fields"), fi)
            _field(c, f, fp)
            if f["key"] in keys:
                c.fail(join(fp, "key"), f"duplicate field key {f['key']!r}")
            keys.append(f["key"])
            if f["type"] in ("integer", "number"):
                numeric.add(f["key"])
    for si, section in enumerate(d["sections"]):
        for fi, f in enumerate(section["fields"]):
            if "not_above" in f and f["not_above"] not in numeric:
                c.fail(f"sections[{si}].fields[{fi}].not_above", f"{f['not_above']!r} is not a numeric field of this file")
    for i, ind in enumerate(c.seq(d["indicators"], "indicators")):
        p = join("indicators", i)
        c.mapping(ind, p, ("key", "name", "numerator", "denominator"))
        c.key(ind["key"], join(p, "key"))
        for side in ("numerator", "denominator"):
            if ind[side] not in numeric:
                c.fail(join(p, side), f"{ind[side]!r} is not a numeric field of this file")


def validate_sme(c: Checker, d: dict) -> None:
    c.mapping(d, "", HEADER + ("dimensions", "questions", "scene_groups", "grade_rule"),
              ("source", "description", "implied_note"))
    areas: dict[str, str] = {}
    dims = {}
    for i, dim in enumerate(c.seq(d["dimensions"], "dimensions", 1)):
        p = join("dimensions", i)
        c.mapping(dim, p, ("key", "name", "max", "areas"))
        c.key(dim["key"], join(p, "key"))
        c.number(dim["max"], join(p, "max"), low=0)
        dims[dim["key"]] = dim
        for ai, area in enumerate(c.seq(dim["areas"], join(p, "areas"), 1)):
            ap = join(join(p, "areas"), ai)
            c.mapping(area, ap, ("key", "name", "max"))
            c.number(area["max"], join(ap, "max"), low=0)
            areas[area["key"]] = dim["key"]
        total = sum(a["max"] for a in dim["areas"])
        if abs(total - dim["max"]) > 1e-9:
            c.fail(join(p, "areas"), f"area maxima add up to {total}, not the dimension max {dim['max']}")
    ids: list[str] = []
    collect_keys: list[str] = []
    earned = {k: 0.0 for k in dims}
    for i, q in enumerate(c.seq(d["questions"], "questions", 1)):
        p = join("questions", i)
        c.mapping(q, p, ("id", "dimension", "area", "type", "text", "options"),
                  ("topic", "help", "max", "suggest_from", "bands", "collects", "implied", "estimates"))
        c.key(q["id"], join(p, "id"))
        ids.append(q["id"])
        c.one_of(q["dimension"], join(p, "dimension"), dims)
        if areas.get(q["area"]) != q["dimension"]:
            c.fail(join(p, "area"), f"{q['area']!r} is not an area of dimension {q['dimension']!r}")
        c.one_of(q["type"], join(p, "type"), ("single", "multi"))
        _options(c, q["options"], join(p, "options"), with_points=True)
        points = [o["points"] for o in q["options"]]
        if q["type"] == "multi":
            if "max" not in q:
                c.fail(join(p, "max"), "is missing (a multi question caps its points)")
            c.number(q["max"], join(p, "max"), low=0)
            best = min(q["max"], sum(points))
            if sum(1 for o in q["options"] if o.get("exclusive")) > 1:
                c.fail(join(p, "options"), "at most one option may be exclusive")
        else:
            if "max" in q:
                c.fail(join(p, "max"), "only multi questions have max")
            if any(o.get("exclusive") for o in q["options"]):
                c.fail(join(p, "options"), "a single-choice question has no exclusive option")
            best = max(points)
        earned[q["dimension"]] += best
        if "suggest_from" in q:
            sp = join(p, "suggest_from")
            c.mapping(q["suggest_from"], sp, ("numerator", "denominator"))
            if "bands" not in q:
                c.fail(join(p, "bands"), "is missing (suggest_from needs bands)")
        if "bands" in q:
            bp = join(p, "bands")
            c.mapping(q["bands"], bp, optional=[o["key"] for o in q["options"]])
            for key, band in q["bands"].items():
                c.seq(band, join(bp, key), 2)
                low, high = (c.number(v, join(bp, key), 0, 1) for v in band)
                if low >= high:
                    c.fail(join(bp, key), "low bound must be below high bound")
        for ci, col in enumerate(q.get("collects", []) or []):
            cp = join(join(p, "collects"), ci)
            _field(c, col, cp, extra=("from_profile", "quantity"))
            if "from_profile" in col:
                c.key(col["from_profile"], join(cp, "from_profile"))
            if "quantity" in col:
                c.one_of(col["quantity"], join(cp, "quantity"), QUANTITIES)
            if col["type"] not in ("integer", "number"):
                c.fail(join(cp, "type"), "collected values are numbers")
            if not col["key"].startswith(q["id"] + "."):
                c.fail(join(cp, "key"), f"must start with {q['id']}.")
            collect_keys.append(col["key"])
    c.unique(ids, "questions", "question id")
    for i, q in enumerate(d["questions"]):
        if "implied" in q:
            _implied(c, q, join(join("questions", i), "implied"), set(collect_keys))
        if "estimates" in q:
            c.key(q["estimates"], join(join("questions", i), "estimates"))
            if "bands" not in q:
                c.fail(join(join("questions", i), "bands"), "is missing (a question that estimates a rate needs bands)")
    if "implied_note" in d:
        c.text(d["implied_note"], "implied_note")
    for key, dim in dims.items():
        if abs(earned[key] - dim["max"]) > 1e-9:
            c.fail("questions", f"questions of dimension {key!r} reach {earned[key]:g} points, not its max {dim['max']}")
    scene_ids = []
    for gi, group in enumerate(c.seq(d["scene_groups"], "scene_groups", 1)):
        gp = join("scene_groups", gi)
        c.mapping(group, gp, ("key", "name", "scenes"))
        for si, scene in enumerate(c.seq(group["scenes"], join(gp, "scenes"), 1)):
            sp = join(join(gp, "scenes"), si)
            c.mapping(scene, sp, ("id", "name", "levels"))
            c.key(scene["id"], join(sp, "id"))
            scene_ids.append(scene["id"])
            c.mapping(scene["levels"], join(sp, "levels"), ("1", "2", "3", "4"))
            for lvl, text in scene["levels"].items():
                c.text(text, join(join(sp, "levels"), lvl))
    c.unique(ids + scene_ids + collect_keys, "questions", "id")
    _grade_rule(c, d["grade_rule"], "grade_rule")


def _implied(c: Checker, q: dict, p: str, collected: set[str]) -> None:
    """What the entered figures imply for a single-choice question: a rate band or a trend."""
    imp = q["implied"]
    if not isinstance(imp, dict) or imp.get("type") not in ("band", "trend"):
        c.fail(join(p, "type"), "must be 'band' or 'trend'")
    if q["type"] != "single":
        c.fail(p, "only single-choice questions have implied options")
    options = [o["key"] for o in q["options"]]
    if imp["type"] == "band":
        c.mapping(imp, p, ("type", "numerator", "denominator"), ("source",))
        if "bands" not in q:
            c.fail(join(p[: -len(".implied")], "bands"), "is missing (a band implied by figures needs bands)")
        refs = [("numerator", imp["numerator"]), ("denominator", imp["denominator"])]
    else:
        c.mapping(imp, p, ("type", "current", "previous", "options", "tolerance", "measure"), ("unit", "scale"))
        refs = []
        for side in ("current", "previous"):
            pair = c.seq(imp[side], join(p, side), 2)
            if len(pair) != 2:
                c.fail(join(p, side), "must be [numerator, denominator]")
            refs += [(f"{side}[{n}]", ref) for n, ref in enumerate(pair)]
        c.mapping(imp["options"], join(p, "options"), ("up", "flat", "down"))
        for direction, option in imp["options"].items():
            c.one_of(option, join(join(p, "options"), direction), options)
        c.number(imp["tolerance"], join(p, "tolerance"), 0, 0.5)
        c.text(imp["measure"], join(p, "measure"))
        if "scale" in imp:
            c.number(imp["scale"], join(p, "scale"), low=0)
    for where, ref in refs:
        if ref not in collected:
            c.fail(join(p, where), f"{ref!r} is not a figure this file collects")


def _grade_rule(c: Checker, rule, p: str) -> None:
    c.mapping(rule, p, ("key", "name", "bands", "below"), ("note",))
    prev = None
    for i, band in enumerate(c.seq(rule["bands"], join(p, "bands"), 1)):
        bp = join(join(p, "bands"), i)
        c.mapping(band, bp, ("min", "grade", "label"))
        c.number(band["min"], join(bp, "min"))
        if prev is not None and band["min"] <= prev:
            c.fail(join(bp, "min"), "bands must be in increasing order of min")
        prev = band["min"]
    c.mapping(rule["below"], join(p, "below"), ("grade", "label"))


def validate_cmmm(c: Checker, d: dict) -> None:
    c.mapping(d, "", HEADER + ("standard", "scale", "levels", "method", "profiles", "subdomains"), ("description",))
    values = [c.mapping(s, join("scale", i), ("value", "label"))["value"] for i, s in enumerate(c.seq(d["scale"], "scale", 2))]
    if sorted(values) != list(SCALE_VALUES):
        c.fail("scale", f"must be the four grades {SCALE_VALUES}, not {values}")
    levels = [c.mapping(lv, join("levels", i), ("level", "name", "title", "gist"))["level"] for i, lv in enumerate(c.seq(d["levels"], "levels"))]
    if levels != [1, 2, 3, 4, 5]:
        c.fail("levels", "must list levels 1 to 5 in order")
    m = c.mapping(d["method"], "method", ("achieve_threshold", "subdomain_score", "level_score", "achievement",
                                          "overall", "unasked_levels", "bands", "below"), ("notes",))
    c.number(m["achieve_threshold"], "method.achieve_threshold", 0, 1)
    c.one_of(m["subdomain_score"], "method.subdomain_score", ("mean",))
    c.one_of(m["level_score"], "method.level_score", ("weighted_mean",))
    c.one_of(m["achievement"], "method.achievement", ("consecutive",))
    c.one_of(m["overall"], "method.overall", ("k_plus_next",))
    c.one_of(m["unasked_levels"], "method.unasked_levels", ("zero",))
    prev = None
    for i, band in enumerate(c.seq(m["bands"], "method.bands", 1)):
        bp = join("method.bands", i)
        c.mapping(band, bp, ("min", "level", "label"))
        c.number(band["min"], join(bp, "min"), 0, 5)
        if prev is not None and band["min"] <= prev:
            c.fail(join(bp, "min"), "bands must be in increasing order of min")
        prev = band["min"]
    c.mapping(m["below"], "method.below", ("level", "label"))
    for i, note in enumerate(m.get("notes", []) or []):
        c.text(note, join("method.notes", i))

    keys = []
    all_ids = []
    for i, sd in enumerate(c.seq(d["subdomains"], "subdomains", 1)):
        p = join("subdomains", i)
        c.mapping(sd, p, ("key", "code", "name", "element", "domain", "min_level", "levels"))
        c.key(sd["key"], join(p, "key"))
        c.key(sd["code"], join(p, "code"))
        c.one_of(sd["element"], join(p, "element"), ("人员", "技术", "资源", "制造"))
        c.integer(sd["min_level"], join(p, "min_level"), 1, 5)
        keys.append(sd["key"])
        lp = join(p, "levels")
        expected = tuple(str(n) for n in range(sd["min_level"], 6))
        c.mapping(sd["levels"], lp, expected)
        for lvl in expected:
            for ii, item in enumerate(c.seq(sd["levels"][lvl], join(lp, lvl), 1)):
                ip = join(join(lp, lvl), ii)
                c.mapping(item, ip, ("id", "text"), ("example",))
                c.key(item["id"], join(ip, "id"))
                if not item["id"].startswith(f"{sd['code']}{lvl}."):
                    c.fail(join(ip, "id"), f"{item['id']!r} does not match code {sd['code']!r} and level {lvl}")
                c.text(item["text"], join(ip, "text"))
                all_ids.append(item["id"])
    c.unique(keys, "subdomains", "sub-domain key")
    c.unique([sd["code"] for sd in d["subdomains"]], "subdomains", "sub-domain code")
    c.unique(all_ids, "subdomains", "item id")
    if len(keys) != 20:
        c.fail("subdomains", f"the model has 20 sub-domains, this file has {len(keys)}")
    c.mapping(d["profiles"], "profiles", ("discrete", "process"))
    for name, prof in d["profiles"].items():
        pp = join("profiles", name)
        c.mapping(prof, pp, ("name", "weights", "tailorable"))
        c.mapping(prof["weights"], join(pp, "weights"), keys)
        for k, w in prof["weights"].items():
            c.number(w, join(join(pp, "weights"), k), low=0)
        for ti, t in enumerate(c.seq(prof["tailorable"], join(pp, "tailorable"))):
            c.one_of(t, join(join(pp, "tailorable"), ti), keys)


def validate_suite(c: Checker, d: dict) -> None:
    c.mapping(d, "", HEADER + ("parts", "stages"), ("description",))
    c.seq(d["parts"], "parts", 1)
    keys = []
    for i, st in enumerate(c.seq(d["stages"], "stages", 1)):
        p = join("stages", i)
        c.mapping(st, p, ("key", "title", "source"), ("dimensions", "scenes"))
        c.key(st["key"], join(p, "key"))
        keys.append(st["key"])
        if st["source"] != "profile" and st["source"] not in d["parts"]:
            c.fail(join(p, "source"), f"{st['source']!r} is neither 'profile' nor one of the parts")
    c.unique(keys, "stages", "stage key")
    if d["stages"][0]["source"] != "profile":
        c.fail("stages[0].source", "the first stage is the enterprise profile")


def _condition(c: Checker, cond, p: str, facts: list) -> None:
    if not isinstance(cond, dict):
        c.fail(p, "a condition must be a mapping")
    if set(cond) in ({"any"}, {"all"}):
        group = next(iter(cond))
        for i, sub in enumerate(c.seq(cond[group], join(p, group), 1)):
            _condition(c, sub, join(join(p, group), i), facts)
        return
    if "fact" not in cond:
        c.fail(p, "needs 'fact' and one of " + ", ".join(CONDITION_OPS) + " (or a group 'any'/'all')")
    if "guard" in cond and cond["guard"] is not True:
        c.fail(join(p, "guard"), "is either absent or true")
    ops = [k for k in cond if k not in ("fact", "guard")]
    if len(ops) != 1 or ops[0] not in CONDITION_OPS:
        c.fail(p, "needs exactly one of " + ", ".join(CONDITION_OPS))
    op = ops[0]
    if op in ("below", "at_least", "above"):
        c.number(cond[op], join(p, op))
    elif op == "in":
        c.seq(cond[op], join(p, op), 1)
    else:
        c.key(cond[op], join(p, op))
    facts.append((join(p, "fact"), cond["fact"], op, cond[op]))


def validate_upgrades(c: Checker, d: dict) -> None:
    c.mapping(d, "", HEADER + ("kinds", "tiers", "prioritization", "estimates", "upgrades"), ("description",))
    kinds = c.table(d["kinds"], "kinds")
    if not kinds:
        c.fail("kinds", "must name at least one kind")
    for k, label in kinds.items():
        c.key(k, f"kinds.{k}")
        c.text(label, f"kinds.{k}")
    tiers = []
    for i, t in enumerate(c.seq(d["tiers"], "tiers", 1)):
        tp = join("tiers", i)
        c.mapping(t, tp, ("key", "level", "label"))
        c.key(t["key"], join(tp, "key"))
        c.integer(t["level"], join(tp, "level"), 0)
        c.text(t["label"], join(tp, "label"))
        if tiers and t["level"] <= d["tiers"][i - 1]["level"]:
            c.fail(join(tp, "level"), "tiers must be in increasing order of level")
        tiers.append(t["key"])
    c.unique(tiers, "tiers", "tier key")
    pr = c.mapping(d["prioritization"], "prioritization", ("rule", "impact", "feasibility", "phases", "base_phase"),
                   ("capacity", "plan_bonus", "fit_bonus", "ladder", "reasons"))
    c.text(pr["rule"], "prioritization.rule")
    c.mapping(pr["impact"], "prioritization.impact", EFFORTS)
    c.mapping(pr["feasibility"], "prioritization.feasibility", EFFORTS)
    for k in EFFORTS:
        c.number(pr["impact"][k], f"prioritization.impact.{k}", low=0)
        c.number(pr["feasibility"][k], f"prioritization.feasibility.{k}", low=0, high=1)
    phases = []
    for i, ph in enumerate(c.seq(pr["phases"], "prioritization.phases", 1)):
        php = join("prioritization.phases", i)
        c.mapping(ph, php, ("key", "label"), ("short",))
        c.key(ph["key"], join(php, "key"))
        c.text(ph["label"], join(php, "label"))
        phases.append(ph["key"])
    c.unique(phases, "prioritization.phases", "phase key")
    c.mapping(pr["base_phase"], "prioritization.base_phase", EFFORTS)
    for k in EFFORTS:
        c.one_of(pr["base_phase"][k], f"prioritization.base_phase.{k}", phases)
    c.mapping(pr.get("capacity", {}), "prioritization.capacity", optional=phases[:-1])
    for k, n in pr.get("capacity", {}).items():
        c.integer(n, f"prioritization.capacity.{k}", low=1)
    for k in ("plan_bonus", "fit_bonus"):
        if k in pr:
            c.number(pr[k], f"prioritization.{k}", low=0)
    if "ladder" in pr:
        lp = "prioritization.ladder"
        c.mapping(pr["ladder"], lp, ("rungs", "at_rung", "beyond"))
        c.number(pr["ladder"]["at_rung"], join(lp, "at_rung"), low=0)
        c.number(pr["ladder"]["beyond"], join(lp, "beyond"), low=0)
        for i, rung in enumerate(c.seq(pr["ladder"]["rungs"], join(lp, "rungs"), 1)):
            rp = join(join(lp, "rungs"), i)
            c.mapping(rung, rp, ("tier", "when"))
            c.one_of(rung["tier"], join(rp, "tier"), tiers)
            _condition(c, rung["when"], join(rp, "when"), [])
    if "reasons" in pr:
        rp = "prioritization.reasons"
        c.mapping(pr["reasons"], rp, ("prerequisite", "capacity", "effort"))
        placeholders = {"prerequisite": ("{names}", "{phase}"), "capacity": ("{phase}", "{count}", "{next}"),
                        "effort": ("{phase}",)}
        for k, needed in placeholders.items():
            c.text(pr["reasons"][k], join(rp, k))
            for ph in needed:
                if ph not in pr["reasons"][k]:
                    c.fail(join(rp, k), f"must contain {ph}")
    est = c.mapping(d["estimates"], "estimates", ("label", "assumptions"))
    c.text(est["label"], "estimates.label")
    c.mapping(est["assumptions"], "estimates.assumptions", ("labour_cost", "energy_price"))
    for k, a in est["assumptions"].items():
        ap = f"estimates.assumptions.{k}"
        c.mapping(a, ap, ("range", "unit", "basis"))
        _range(c, a["range"], join(ap, "range"))
        c.text(a["unit"], join(ap, "unit"))
        c.text(a["basis"], join(ap, "basis"))
    ids = []
    for i, up in enumerate(c.seq(d["upgrades"], "upgrades", 1)):
        p = join("upgrades", i)
        c.mapping(up, p, ("id", "kind", "tier", "title", "summary", "steps", "prerequisites", "moves", "effort",
                          "impact", "serves", "triggers"),
                  ("applications", "production_types", "industries", "focus_industries", "system", "estimate",
                   "milestones"))
        c.key(up["id"], join(p, "id"))
        ids.append(up["id"])
        c.one_of(up["kind"], join(p, "kind"), kinds)
        c.one_of(up["tier"], join(p, "tier"), tiers)
        c.text(up["title"], join(p, "title"))
        c.text(up["summary"], join(p, "summary"))
        _steps(c, up["steps"], join(p, "steps"))
        c.seq(up["prerequisites"], join(p, "prerequisites"))
        c.seq(up["moves"], join(p, "moves"))
        c.one_of(up["effort"], join(p, "effort"), EFFORTS)
        c.one_of(up["impact"], join(p, "impact"), EFFORTS)
        for ai, app in enumerate(up.get("applications", []) or []):
            c.mapping(app, join(join(p, "applications"), ai), ("field", "name"))
        for ti, t in enumerate(c.seq(up.get("production_types", []), join(p, "production_types"))):
            c.one_of(t, join(join(p, "production_types"), ti), PRODUCTION_TYPES)
        for key in ("industries", "focus_industries"):
            for ii, code in enumerate(c.seq(up.get(key, []), join(p, key))):
                if not (isinstance(code, str) and len(code) == 2 and code.isdigit()):
                    c.fail(join(join(p, key), ii), f"must be a quoted two-digit GB/T 4754 code, not {code!r}")
        if "system" in up:
            _system(c, up["system"], join(p, "system"), up)
        if "estimate" in up:
            _estimate(c, up["estimate"], join(p, "estimate"), up)
        if "milestones" in up:
            mp = join(p, "milestones")
            c.mapping(up["milestones"], mp, ("indicator", "values"))
            c.key(up["milestones"]["indicator"], join(mp, "indicator"))
            values = c.seq(up["milestones"]["values"], join(mp, "values"), 1)
            for vi, v in enumerate(values):
                c.number(v, join(join(mp, "values"), vi), 0, 1)
                if vi and v <= values[vi - 1]:
                    c.fail(join(join(mp, "values"), vi), "milestones must increase")
        _condition(c, up["triggers"], join(p, "triggers"), [])
    c.unique(ids, "upgrades", "upgrade id")
    for i, up in enumerate(d["upgrades"]):
        for pi, pre in enumerate(up["prerequisites"]):
            pp = f"upgrades[{i}].prerequisites[{pi}]"
            if isinstance(pre, dict):
                c.mapping(pre, pp, ("id", "when"))
                _condition(c, pre["when"], join(pp, "when"), [])
                pre = pre["id"]
            if pre not in ids:
                c.fail(pp, f"{pre!r} is not an upgrade of this file")
    by_id = {u["id"]: u for u in d["upgrades"]}
    state: dict[str, int] = {}

    def visit(uid: str, trail: list[str]) -> None:
        if state.get(uid) == 2:
            return
        if state.get(uid) == 1:
            c.fail(f"upgrades[{ids.index(uid)}].prerequisites", "prerequisites form a cycle: " + " -> ".join(trail + [uid]))
        state[uid] = 1
        for pre in by_id[uid]["prerequisites"]:
            visit(pre if isinstance(pre, str) else pre["id"], trail + [uid])
        state[uid] = 2

    for uid in ids:
        visit(uid, [])


def _steps(c: Checker, steps, p: str) -> None:
    for si, step in enumerate(c.seq(steps, p, 1)):
        c.text(step, join(p, si))


def _system(c: Checker, system, p: str, up: dict) -> None:
    """A system-type upgrade: which scenes say whether the system is in use, and the next steps then.

    Each next step carries its own estimate when the upgrade has one: integrating or optimizing a
    system in use costs and yields something else than introducing it."""
    c.mapping(system, p, ("scenes", "in_use_from", "next"), ("subdomain",))
    for si, scene in enumerate(c.seq(system["scenes"], join(p, "scenes"), 1)):
        c.key(scene, join(join(p, "scenes"), si))
    if "subdomain" in system:
        c.key(system["subdomain"], join(p, "subdomain"))
    c.integer(system["in_use_from"], join(p, "in_use_from"), 1, 4)
    nxt = c.table(system["next"], join(p, "next"))
    for level, step in nxt.items():
        lp = join(join(p, "next"), level)
        if level not in ("1", "2", "3", "4") or int(level) < system["in_use_from"]:
            c.fail(lp, f"must be a scene level from in_use_from ({system['in_use_from']}) to 4")
        c.mapping(step, lp, ("title", "summary", "steps"), ("estimate",))
        c.text(step["title"], join(lp, "title"))
        c.text(step["summary"], join(lp, "summary"))
        _steps(c, step["steps"], join(lp, "steps"))
        if "estimate" in step:
            _estimate(c, step["estimate"], join(lp, "estimate"), up)
        elif "estimate" in up:
            c.fail(join(lp, "estimate"), "is missing: the upgrade has an estimate, and the introduction's "
                                         "costs and benefits are not those of this next step")


def _estimate(c: Checker, est, p: str, up: dict) -> None:
    c.mapping(est, p, ("investment",), ("benefit", "payback"))
    ip = join(p, "investment")
    inv = c.mapping(est["investment"], ip, ("typical", "basis"), ("fixed", "per", "quantity"))
    _range(c, inv["typical"], join(ip, "typical"))
    c.text(inv["basis"], join(ip, "basis"))
    for k in ("fixed", "per"):
        if k in inv:
            _range(c, inv[k], join(ip, k))
    if ("per" in inv) != ("quantity" in inv):
        c.fail(ip, "'per' and 'quantity' go together")
    if "quantity" in inv:
        c.one_of(inv["quantity"], join(ip, "quantity"), QUANTITIES)
    if "benefit" in est:
        bp = join(p, "benefit")
        b = c.mapping(est["benefit"], bp, ("kind",), ("quantity", "share", "text", "basis"))
        c.one_of(b["kind"], join(bp, "kind"), BENEFIT_KINDS)
        if b["kind"] == "text":
            c.text(b.get("text"), join(bp, "text"))
        else:
            if "share" not in b:
                c.fail(join(bp, "share"), f"is missing (a {b['kind']} benefit is a share)")
            _range(c, b["share"], join(bp, "share"))
            c.number(b["share"][1], join(bp, "share"), 0, 1)
            c.text(b.get("basis"), join(bp, "basis"))
        if b["kind"] == "labour":
            if b.get("quantity") != "manual_workers":
                c.fail(join(bp, "quantity"), "a labour benefit counts manual_workers")
            if not up.get("applications"):
                c.fail(join(bp, "quantity"), "manual_workers needs the upgrade's applications (the jobs it takes over)")
        elif "quantity" in b:
            c.fail(join(bp, "quantity"), f"a {b['kind']} benefit has no quantity")
    if "quantity" in inv and inv["quantity"] == "manual_workers" and not up.get("applications"):
        c.fail(join(ip, "quantity"), "manual_workers needs the upgrade's applications (the jobs it takes over)")
    if "payback" in est:
        pp = join(p, "payback")
        c.mapping(est["payback"], pp, ("years", "basis"))
        _range(c, est["payback"]["years"], join(pp, "years"))
        c.text(est["payback"]["basis"], join(pp, "basis"))


def condition_facts(triggers) -> list[tuple[str, str, str, object]]:
    """(path, fact, op, operand) of every leaf condition, for cross-file checks."""
    facts: list = []
    _condition(Checker("-"), triggers, "triggers", facts)
    return facts


REPORT_COMPARES = ("rate", "reference", "share_of_city", "counted_if_any", "lianghua", "diagnosed")


def _date(c: Checker, value, p: str) -> str:
    import datetime
    c.text(value, p)
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        c.fail(p, f"must be a date YYYY-MM-DD in quotes, not {value!r}")
    return value


def validate_targets(c: Checker, d: dict) -> None:
    c.mapping(d, "", HEADER + ("year", "plan", "indicators", "report_rows"), ("source",))
    c.integer(d["year"], "year")
    plan = c.mapping(d["plan"], "plan", ("name", "short", "valid_from", "valid_to", "source", "after_expiry"),
                     ("status",))
    for k in ("name", "short", "source", "after_expiry"):
        c.text(plan[k], f"plan.{k}")
    if "status" in plan:
        c.text(plan["status"], "plan.status")
    if _date(c, plan["valid_from"], "plan.valid_from") > _date(c, plan["valid_to"], "plan.valid_to"):
        c.fail("plan.valid_to", "must not be before valid_from")
    for i, ind in enumerate(c.seq(d["indicators"], "indicators", 1)):
        p = join("indicators", i)
        c.mapping(ind, p, ("key", "name", "target", "unit", "measure"), ("note",))
        c.key(ind["key"], join(p, "key"))
        if ind["target"] is not None:
            c.number(ind["target"], join(p, "target"), low=0)
        c.one_of(ind["measure"], join(p, "measure"), ("count", "sum", "mean", "share", "external"))
    keys = [i["key"] for i in d["indicators"]]
    c.unique(keys, "indicators", "indicator key")
    for i, row in enumerate(c.seq(d["report_rows"], "report_rows", 1)):
        p = join("report_rows", i)
        c.mapping(row, p, ("label", "compare"), ("indicator", "field", "target", "targets", "none"))
        c.text(row["label"], join(p, "label"))
        c.one_of(row["compare"], join(p, "compare"), REPORT_COMPARES)
        if "none" in row:           # what a counted_if_any row says when nothing is ticked
            c.text(row["none"], join(p, "none"))
            if row["compare"] != "counted_if_any":
                c.fail(join(p, "none"), "only a counted_if_any row says what an empty choice means")
        for k in ("target",):
            if k in row:
                c.one_of(row[k], join(p, k), keys)
        for ti, t in enumerate(row.get("targets", [])):
            c.one_of(t, join(join(p, "targets"), ti), keys)
        needs = {"rate": ("indicator", "target"), "reference": ("indicator",), "share_of_city": ("field", "target"),
                 "counted_if_any": ("field", "target"), "lianghua": ("field", "targets"), "diagnosed": ("target",)}
        for k in needs[row["compare"]]:
            if k not in row:
                c.fail(join(p, k), f"is missing (compare {row['compare']!r} needs it)")


CONDITION_STATUSES = ("meets", "misses", "applies", "info")


def validate_policies(c: Checker, d: dict) -> None:
    c.mapping(d, "", HEADER + ("policies",), ("description",))
    ids = []
    for i, pol in enumerate(c.seq(d["policies"], "policies", 1)):
        p = join("policies", i)
        c.mapping(pol, p, ("id", "name", "source", "facts", "applies", "outcomes"), ("our_reading",))
        c.key(pol["id"], join(p, "id"))
        ids.append(pol["id"])
        c.text(pol["name"], join(p, "name"))
        src = c.mapping(pol["source"], join(p, "source"), ("title", "issuer", "date"), ("doc_no", "url", "reported_by"))
        for k, v in src.items():
            c.text(v, join(join(p, "source"), k))
        for fi, fact in enumerate(c.seq(pol["facts"], join(p, "facts"), 1)):
            c.text(fact, join(join(p, "facts"), fi))
        if "our_reading" in pol:
            c.text(pol["our_reading"], join(p, "our_reading"))
        _condition(c, pol["applies"], join(p, "applies"), [])
        outcomes = c.seq(pol["outcomes"], join(p, "outcomes"), 1)
        for oi, out in enumerate(outcomes):
            op = join(join(p, "outcomes"), oi)
            c.mapping(out, op, ("status", "text"), ("when",))
            c.one_of(out["status"], join(op, "status"), CONDITION_STATUSES)
            c.text(out["text"], join(op, "text"))
            if "when" in out:
                _condition(c, out["when"], join(op, "when"), [])
            elif oi != len(outcomes) - 1:
                c.fail(join(op, "when"), "only the last outcome may go without a condition")
    c.unique(ids, "policies", "policy id")


def validate_areas(c: Checker, d: dict) -> None:
    c.mapping(d, "", HEADER + ("areas",))
    for i, a in enumerate(c.seq(d["areas"], "areas", 1)):
        p = join("areas", i)
        c.mapping(a, p, ("code", "name"), ("industries",))
        c.key(a["code"], join(p, "code"))
        c.text(a["name"], join(p, "name"))
    c.unique([a["code"] for a in d["areas"]], "areas", "area code")


def validate_industries(c: Checker, d: dict) -> None:
    c.mapping(d, "", HEADER + ("industries",))
    for i, ind in enumerate(c.seq(d["industries"], "industries", 1)):
        p = join("industries", i)
        c.mapping(ind, p, ("code", "name", "cmmm_profile"))
        if not (isinstance(ind["code"], str) and len(ind["code"]) == 2 and ind["code"].isdigit()):
            c.fail(join(p, "code"), f"must be a quoted two-digit code, not {ind['code']!r}")
        c.text(ind["name"], join(p, "name"))
        c.one_of(ind["cmmm_profile"], join(p, "cmmm_profile"), ("discrete", "process"))
    c.unique([i["code"] for i in d["industries"]], "industries", "industry code")


VALIDATORS: dict[str, Callable[[Checker, dict], None]] = {
    "profile": validate_profile,
    "sme": validate_sme,
    "cmmm": validate_cmmm,
    "suite": validate_suite,
    "upgrades": validate_upgrades,
    "targets": validate_targets,
    "policies": validate_policies,
    "areas": validate_areas,
    "industries": validate_industries,
}

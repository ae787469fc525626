"""Per-kind validation of data files. Each validator raises DataFileError naming file and key path."""
from __future__ import annotations

from typing import Callable

from .validation import Checker, join

HEADER = ("key", "kind", "title")
FIELD_TYPES = ("integer", "number", "choice", "multi")
UPGRADE_KINDS = ("equipment", "robot", "line", "cloud", "system", "security", "lianghua", "energy", "talent", "platform")
EFFORTS = ("low", "medium", "high")
CONDITION_OPS = ("below", "at_least", "above", "lacks", "has", "in")
SCALE_VALUES = (0, 0.5, 0.8, 1)


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


def _field(c: Checker, f, p: str) -> None:
    c.mapping(f, p, ("key", "label", "type"),
              ("unit", "min", "max", "required", "help", "options", "not_above"))
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
    c.mapping(d, "", HEADER + ("dimensions", "questions", "scene_groups", "grade_rule"), ("source", "description"))
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
                  ("topic", "help", "max", "suggest_from", "bands", "collects"))
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
            _field(c, col, cp)
            if col["type"] not in ("integer", "number"):
                c.fail(join(cp, "type"), "collected values are numbers")
            if not col["key"].startswith(q["id"] + "."):
                c.fail(join(cp, "key"), f"must start with {q['id']}.")
            collect_keys.append(col["key"])
    c.unique(ids, "questions", "question id")
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
    c.mapping(d, "", HEADER + ("prioritization", "upgrades"), ("description",))
    pr = c.mapping(d["prioritization"], "prioritization", ("rule", "impact", "feasibility", "phases", "base_phase"),
                   ("capacity",))
    c.text(pr["rule"], "prioritization.rule")
    c.mapping(pr["impact"], "prioritization.impact", EFFORTS)
    c.mapping(pr["feasibility"], "prioritization.feasibility", EFFORTS)
    for k in EFFORTS:
        c.number(pr["impact"][k], f"prioritization.impact.{k}", low=0)
        c.number(pr["feasibility"][k], f"prioritization.feasibility.{k}", low=0, high=1)
    phases = [c.mapping(ph, join("prioritization.phases", i), ("key", "label"))["key"]
              for i, ph in enumerate(c.seq(pr["phases"], "prioritization.phases", 1))]
    c.mapping(pr["base_phase"], "prioritization.base_phase", EFFORTS)
    for k in EFFORTS:
        c.one_of(pr["base_phase"][k], f"prioritization.base_phase.{k}", phases)
    c.mapping(pr.get("capacity", {}), "prioritization.capacity", optional=phases[:-1])
    for k, n in pr.get("capacity", {}).items():
        c.integer(n, f"prioritization.capacity.{k}", low=1)
    ids = []
    for i, up in enumerate(c.seq(d["upgrades"], "upgrades", 1)):
        p = join("upgrades", i)
        c.mapping(up, p, ("id", "kind", "title", "summary", "steps", "prerequisites", "moves", "effort", "impact",
                          "serves", "triggers"), ("applications",))
        c.key(up["id"], join(p, "id"))
        ids.append(up["id"])
        c.one_of(up["kind"], join(p, "kind"), UPGRADE_KINDS)
        c.text(up["title"], join(p, "title"))
        c.text(up["summary"], join(p, "summary"))
        for si, step in enumerate(c.seq(up["steps"], join(p, "steps"), 1)):
            c.text(step, join(join(p, "steps"), si))
        c.seq(up["prerequisites"], join(p, "prerequisites"))
        c.seq(up["moves"], join(p, "moves"))
        c.one_of(up["effort"], join(p, "effort"), EFFORTS)
        c.one_of(up["impact"], join(p, "impact"), EFFORTS)
        for ai, app in enumerate(up.get("applications", []) or []):
            c.mapping(app, join(join(p, "applications"), ai), ("field", "name"))
        _condition(c, up["triggers"], join(p, "triggers"), [])
    c.unique(ids, "upgrades", "upgrade id")
    for i, up in enumerate(d["upgrades"]):
        for pi, pre in enumerate(up["prerequisites"]):
            if pre not in ids:
                c.fail(f"upgrades[{i}].prerequisites[{pi}]", f"{pre!r} is not an upgrade of this file")
    by_id = {u["id"]: u for u in d["upgrades"]}
    state: dict[str, int] = {}

    def visit(uid: str, trail: list[str]) -> None:
        if state.get(uid) == 2:
            return
        if state.get(uid) == 1:
            c.fail(f"upgrades[{ids.index(uid)}].prerequisites", "prerequisites form a cycle: " + " -> ".join(trail + [uid]))
        state[uid] = 1
        for pre in by_id[uid]["prerequisites"]:
            visit(pre, trail + [uid])
        state[uid] = 2

    for uid in ids:
        visit(uid, [])


def condition_facts(triggers) -> list[tuple[str, str, str, object]]:
    """(path, fact, op, operand) of every leaf condition, for cross-file checks."""
    facts: list = []
    _condition(Checker("-"), triggers, "triggers", facts)
    return facts


def validate_targets(c: Checker, d: dict) -> None:
    c.mapping(d, "", HEADER + ("year", "indicators"), ("source",))
    c.integer(d["year"], "year")
    for i, ind in enumerate(c.seq(d["indicators"], "indicators", 1)):
        p = join("indicators", i)
        c.mapping(ind, p, ("key", "name", "target", "unit", "measure"), ("note",))
        c.key(ind["key"], join(p, "key"))
        if ind["target"] is not None:
            c.number(ind["target"], join(p, "target"), low=0)
        c.one_of(ind["measure"], join(p, "measure"), ("count", "sum", "mean", "share", "external"))
    c.unique([i["key"] for i in d["indicators"]], "indicators", "indicator key")


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
    "areas": validate_areas,
    "industries": validate_industries,
}

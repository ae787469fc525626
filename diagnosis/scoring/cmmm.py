"""Capability maturity (GB/T 39116/39117): level scores, consecutive achievement, S = k + s(k+1).

Every configurable part comes from the instrument's ``method`` and ``profiles`` and is echoed in the
result's ``method`` block. Comparisons with the 0.8 bar allow 1e-9 for floating-point sums.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import ScoreInputError
from .versioned import per_version

EPS = 1e-9
SCALE = (0.0, 0.5, 0.8, 1.0)
SCALE_SET = _SCALE_SET = frozenset(SCALE)


@dataclass(frozen=True)
class Subdomain:
    key: str
    code: str
    name: str
    element: str
    domain: str
    min_level: int
    items: dict[int, tuple[str, ...]]      # level -> item ids


@dataclass(frozen=True)
class Compiled:
    subdomains: tuple[Subdomain, ...]
    item_index: dict[str, tuple[str, int]]  # item id -> (sub-domain key, level)
    doc: dict
    by_level: dict[int, tuple[str, ...]] = None  # level -> every item id of that level


@per_version
def compile_cmmm(doc: dict, version: str) -> Compiled:
    subs = []
    index = {}
    for sd in doc["subdomains"]:
        items = {}
        for level_key, entries in sd["levels"].items():
            level = int(level_key)
            items[level] = tuple(e["id"] for e in entries)
            for e in entries:
                index[e["id"]] = (sd["key"], level)
        subs.append(Subdomain(sd["key"], sd["code"], sd["name"], sd["element"], sd["domain"], sd["min_level"], items))
    by_level = {n: tuple(i for i, (_, lv) in index.items() if lv == n) for n in range(1, 6)}
    compiled = Compiled(tuple(subs), index, doc, by_level)
    return compiled


def profile_key(compiled: Compiled, profile: dict, prefix: str = "profile") -> str:
    key = profile.get("industry_type")
    if key is None:
        raise ScoreInputError(f"{prefix}.industry_type", "成熟度评估需要生产类型：discrete（离散型）或 process（流程型）")
    if key not in compiled.doc["profiles"]:
        raise ScoreInputError(f"{prefix}.industry_type", f"未知的生产类型 {key!r}，可选 {', '.join(compiled.doc['profiles'])}")
    return key


def check_answer(compiled: Compiled, key: str, value: Any, profile: str, prefix: str = "answers") -> Any:
    if (value.__class__ is float or value.__class__ is int) and value in _SCALE_SET and key in compiled.item_index:
        return float(value)                     # the common case, checked without building messages
    where = f"{prefix}.{key}"
    if key not in compiled.item_index:
        raise ScoreInputError(where, "未知题号")
    if value is None:
        sub = compiled.item_index[key][0]
        if sub not in compiled.doc["profiles"][profile]["tailorable"]:
            raise ScoreInputError(where, f"该条目所属子域在“{compiled.doc['profiles'][profile]['name']}”裁剪方案下不可选“不适用”")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or float(value) not in SCALE:
        raise ScoreInputError(where, f"应为 0、0.5、0.8、1（不满足/部分满足/大部分满足/全部满足）或 null（不适用），收到 {value!r}")
    return float(value)


def _band(method: dict, score: float) -> tuple[int, str]:
    level, label = method["below"]["level"], method["below"]["label"]
    for band in method["bands"]:
        if score + EPS >= band["min"]:
            level, label = band["level"], band["label"]
    return level, label


def _level_scores(compiled: Compiled, answers: dict[str, Any], profile: str
                  ) -> tuple[dict[str, dict[int, float | None]], int, int, dict[int, float]]:
    """Sub-domain scores per level, the level achieved (k), the highest level asked and the level
    scores (0 above the asked levels)."""
    threshold = compiled.doc["method"]["achieve_threshold"]
    # Sub-domain score per level: mean over applicable (non-null) items; None when nothing applies.
    get = answers.get
    sub_scores: dict[str, dict[int, float | None]] = {}
    num = [0.0] * 6
    den = [0.0] * 6
    for sd, w, flat in _prepared(compiled, profile):
        per_level: dict[int, float | None] = {}
        if w <= 0:
            for level, _, _ in flat:
                per_level[level] = None
            sub_scores[sd.key] = per_level
            continue
        for level, ids, zeros in flat:
            try:
                mean = sum(map(get, ids, zeros)) / len(ids)
            except TypeError:           # a None (not applicable) among the ratings
                values = [v for v in map(get, ids, zeros) if v is not None]
                mean = sum(values) / len(values) if values else None
            per_level[level] = mean
            if mean is not None:
                num[level] += w * mean
                den[level] += w
        sub_scores[sd.key] = per_level
    raw_levels = {level: (num[level] / den[level] if den[level] else 0.0) for level in range(1, 6)}
    k = 0
    while k < 5 and raw_levels[k + 1] + EPS >= threshold:
        k += 1
    asked = min(k + 1, 5)
    level_scores = {n: (raw_levels[n] if n <= asked else 0.0) for n in range(1, 6)}
    return sub_scores, k, asked, level_scores


def levels_cmmm(compiled: Compiled, answers: dict[str, Any], profile: str) -> dict[str, Any]:
    """The part of ``score_cmmm`` that says how far the levels go (``achieved``, ``asked_up_to``,
    ``level_scores``, the same values), without the sub-domain details: what a stage page needs."""
    _, k, asked, level_scores = _level_scores(compiled, answers, profile)
    return {"achieved": k, "asked_up_to": asked, "level_scores": {str(n): round(v, 4) for n, v in level_scores.items()}}


def score_cmmm(compiled: Compiled, answers: dict[str, Any], profile: str) -> dict[str, Any]:
    """``answers`` maps item ids to 0/0.5/0.8/1, None for not applicable; a missing item counts 0."""
    doc = compiled.doc
    method = doc["method"]
    threshold = method["achieve_threshold"]
    prof = doc["profiles"][profile]
    weights = prof["weights"]
    sub_scores, k, asked, level_scores = _level_scores(compiled, answers, profile)
    score = 5.0 if k == 5 else k + level_scores[k + 1]
    band_level, band_label = _band(method, score)
    level_info = {lv["level"]: lv for lv in doc["levels"]}
    static = _subdomain_static(compiled, profile)
    subdomains = {}
    for sd in compiled.subdomains:
        subdomains[sd.key] = _subdomain_result(sd, sub_scores[sd.key], static[sd.key], asked, k, threshold,
                                               weights[sd.key] > 0)
    return {
        "level": band_level,
        "level_label": band_label,
        "level_title": level_info[band_level]["title"] if band_level in level_info else "",
        "score": round(score, 4),
        "achieved": k,
        "asked_up_to": asked,
        "level_scores": {str(n): round(v, 4) for n, v in level_scores.items()},
        "profile": profile,
        "profile_name": prof["name"],
        "tailored_out": [sd.key for sd in compiled.subdomains if weights[sd.key] <= 0],
        "subdomains": subdomains,
        "standing": standing(compiled, subdomains, k, asked),
        "method": {
            "standard": doc["standard"],
            "scale": doc["scale"],
            "achieve_threshold": threshold,
            "subdomain_score": method["subdomain_score"],
            "level_score": method["level_score"],
            "achievement": method["achievement"],
            "overall": method["overall"],
            "unasked_levels": method["unasked_levels"],
            "bands": method["bands"],
            "below": method["below"],
            "profile": profile,
            "weights": weights,
            "tailorable": prof["tailorable"],
            "notes": method.get("notes", []),
        },
    }


# How a sub-domain stands against the enterprise's level: one rule for the result page, the report's
# summary and chapters, and the roadmap.
STANDING = {"strength": "领先", "on_par": "达标", "gap": "短板", "not_assessed": "未评估", "not_applicable": "不适用",
            "tailored": "已裁剪"}
STANDING_RULE = (
    "子域只计入有要求且已评估的等级：从其起始等级起连续达到 0.8 的最高等级为该子域达到的等级，"
    "子域水平 = 达到的等级 + 下一级得分（起始等级也未达到时，为起始等级的得分）；没有任何已评估等级的子域为“未评估”，"
    "不算优势也不算短板。参照等级 R = max(企业已达到的等级 k, 1)：子域达到的等级高于 k 为“领先”；"
    "在 R 级有要求但未达到 R 级为“短板”；其余为“达标”。“迈向下一级最需补强”列出下一级（k+1 级）得分低于 0.8 的子域，"
    "按得分从低到高排列。")


_LEVEL_KEYS = ("", "1", "2", "3", "4", "5")


def _subdomain_result(sd: Subdomain, own: dict[int, float | None], static: dict, asked: int, k: int,
                      threshold: float, applicable: bool) -> dict[str, Any]:
    """One sub-domain: its level scores, the levels it is credited with, its score and its standing.

    Only levels where the sub-domain has requirements and that were asked count: a sub-domain whose
    requirements start at level 3 is not credited with levels 1 and 2, and one with nothing assessed
    has no score at all."""
    m = sd.min_level
    levels: dict[str, float | None] = {}
    values = [None] * 6                 # level -> assessed score
    not_applicable = False
    achieved = 0
    chain = True                        # still climbing from the sub-domain's first level
    for level in (1, 2, 3, 4, 5):
        v = own.get(level)
        if v is None:
            levels[_LEVEL_KEYS[level]] = None
            if m <= level <= asked:
                not_applicable = True
            if level >= m:
                chain = False
        elif level <= asked:
            v = levels[_LEVEL_KEYS[level]] = round(v, 4)
            values[level] = v
            if chain:
                if v + EPS >= threshold:
                    achieved = level
                else:
                    chain = False
        else:
            levels[_LEVEL_KEYS[level]] = 0.0
            chain = False
    if not applicable or values.count(None) == 6:
        status = "tailored" if not applicable else ("not_applicable" if not_applicable else "not_assessed")
        return {**static, "levels": levels, "score": None, "assessed": False, "achieved": 0,
                "status": status, "status_label": STANDING[status], "target_level_score": None}
    if achieved == 5:
        score = 5.0
    else:
        nxt = values[achieved + 1 if achieved else m]
        score = achieved + (nxt or 0.0)
    reference = k if k > 1 else 1
    if achieved > k:
        status = "strength"
    elif m <= reference and achieved < reference:
        status = "gap"
    else:
        status = "on_par"
    return {**static, "levels": levels, "score": round(score, 4), "assessed": True, "achieved": achieved,
            "status": status, "status_label": STANDING[status], "target_level_score": values[min(k + 1, 5)]}


def standing(compiled: Compiled, subdomains: dict[str, dict], k: int, asked: int) -> dict[str, Any]:
    """Strengths, gaps and what most holds back the next level, from the sub-domain statuses."""
    threshold = compiled.doc["method"]["achieve_threshold"]
    by_status: dict[str, list] = {key: [] for key in STANDING}
    focus = []
    target = k + 1
    for key, sd in subdomains.items():
        by_status[sd["status"]].append((sd["score"], key))
        value = sd["target_level_score"]
        if k < 5 and value is not None and value + EPS < threshold:
            focus.append({"key": key, "name": sd["name"], "level": target, "score": value, "needed": threshold,
                          "weight": sd["weight"]})
    focus.sort(key=lambda f: (f["score"], -f["weight"]))
    return {
        "reference_level": max(k, 1),
        "target_level": target if k < 5 else None,
        "strengths": [key for _, key in sorted(by_status["strength"], key=lambda r: -r[0])],
        "gaps": [key for _, key in sorted(by_status["gap"], key=lambda r: r[0])],
        "next_level_focus": focus,
        "not_assessed": [key for _, key in by_status["not_assessed"]],
        "not_applicable": [key for _, key in by_status["not_applicable"]],
        "tailored": [key for _, key in by_status["tailored"]],
    }


_PREPARED: dict[tuple[int, str], list] = {}


def _prepared(compiled: Compiled, profile: str) -> list[tuple[Subdomain, float, tuple]]:
    """Per sub-domain: its weight in the profile and (level, item ids, zeros) for a fast mean."""
    key = (id(compiled), profile)
    hit = _PREPARED.get(key)
    if hit is None:
        weights = compiled.doc["profiles"][profile]["weights"]
        hit = _PREPARED[key] = [(sd, weights[sd.key], tuple((level, ids, (0.0,) * len(ids))
                                                             for level, ids in sd.items.items()))
                                for sd in compiled.subdomains]
    return hit


_STATIC: dict[tuple[int, str], dict[str, dict]] = {}


def _subdomain_static(compiled: Compiled, profile: str) -> dict[str, dict]:
    """The parts of each sub-domain's result that depend only on the instrument and the profile."""
    key = (id(compiled), profile)
    static = _STATIC.get(key)
    if static is None:
        weights = compiled.doc["profiles"][profile]["weights"]
        total = sum(w for w in weights.values() if w > 0)
        static = {sd.key: {"name": sd.name, "code": sd.code, "element": sd.element, "domain": sd.domain,
                           "min_level": sd.min_level,
                           "weight": round(weights[sd.key] / total, 4) if weights[sd.key] > 0 and total else 0.0,
                           "applicable": weights[sd.key] > 0}
                  for sd in compiled.subdomains}
        _STATIC[key] = static
    return static


def items_for_level(compiled: Compiled, level: int, profile: str) -> list[tuple[Subdomain, tuple[str, ...]]]:
    """What the staged form asks at one level: each applicable sub-domain with its items."""
    weights = compiled.doc["profiles"][profile]["weights"]
    return [(sd, sd.items[level]) for sd in compiled.subdomains if level in sd.items and weights[sd.key] > 0]

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
_SCALE_SET = frozenset(SCALE)


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
    compiled = Compiled(tuple(subs), index, doc)
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


def score_cmmm(compiled: Compiled, answers: dict[str, Any], profile: str) -> dict[str, Any]:
    """``answers`` maps item ids to 0/0.5/0.8/1, None for not applicable; a missing item counts 0."""
    doc = compiled.doc
    method = doc["method"]
    threshold = method["achieve_threshold"]
    prof = doc["profiles"][profile]
    weights = prof["weights"]
    # Sub-domain score per level: mean over applicable (non-null) items; None when nothing applies.
    get = answers.get
    sub_scores: dict[str, dict[int, float | None]] = {}
    for sd in compiled.subdomains:
        per_level: dict[int, float | None] = {}
        tailored = weights[sd.key] <= 0
        for level, ids in sd.items.items():
            if tailored:
                per_level[level] = None
                continue
            values = [get(item, 0.0) for item in ids]
            if None in values:
                values = [v for v in values if v is not None]
            per_level[level] = sum(values) / len(values) if values else None
        sub_scores[sd.key] = per_level
    raw_levels: dict[int, float] = {}
    for level in range(1, 6):
        num = den = 0.0
        for sd in compiled.subdomains:
            s = sub_scores[sd.key].get(level)
            if s is None:
                continue
            w = weights[sd.key]
            num += w * s
            den += w
        raw_levels[level] = num / den if den else 0.0
    k = 0
    while k < 5 and raw_levels[k + 1] + EPS >= threshold:
        k += 1
    asked = min(k + 1, 5)
    level_scores = {n: (raw_levels[n] if n <= asked else 0.0) for n in range(1, 6)}
    score = 5.0 if k == 5 else k + level_scores[k + 1]
    band_level, band_label = _band(method, score)
    level_info = {lv["level"]: lv for lv in doc["levels"]}
    static = _subdomain_static(compiled, profile)
    subdomains = {}
    for sd in compiled.subdomains:
        own = sub_scores[sd.key]
        levels = {}
        for level in range(1, 6):
            v = own.get(level)
            levels[str(level)] = None if v is None else (round(v, 4) if level <= asked else 0.0)
        # Sub-domain maturity on the same 0-5 scale: consecutive levels at the bar (a level without
        # requirements, or with all items not applicable, counts as met), plus the next level's score.
        kd = 0
        while kd < 5 and (levels[str(kd + 1)] is None or levels[str(kd + 1)] + EPS >= threshold):
            kd += 1
        nxt = levels[str(kd + 1)] if kd < 5 else None
        sub_score = 5.0 if kd >= 5 else kd + (nxt or 0.0)
        subdomains[sd.key] = {**static[sd.key], "levels": levels,
                              "score": round(sub_score, 4) if weights[sd.key] > 0 else None}
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

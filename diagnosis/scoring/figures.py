"""Entered figures: where a number comes from, what option it implies, and indicators derived from
the SME answers when the profile lacks them.

A figure the SME instrument collects may name a profile field (``from_profile``): the profile's value
is then used and the form does not ask again. ``implied`` specs say which option a question's figures
imply (a rate band, or a trend between two years); the form pre-selects it and the consistency checks
compare it with the chosen option.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..numbers import num, pct, rounded

from .versioned import per_version

Number = float | int


@dataclass(frozen=True)
class Figures:
    collects: dict[str, dict]                 # collect key -> its field definition
    from_profile: dict[str, str]              # collect key -> profile field
    implied: dict[str, dict]                  # question id -> implied spec (band or trend)
    bands: dict[str, list[tuple[str, float, float]]]
    estimates: dict[str, str]                 # profile indicator -> question id
    quantities: dict[str, str]                # estimate quantity -> collect key
    questions: dict[str, dict]
    doc: dict


@per_version
def compile_figures(doc: dict, version: str) -> Figures:
    collects, from_profile, implied, bands, estimates, questions, quantities = {}, {}, {}, {}, {}, {}, {}
    for q in doc["questions"]:
        questions[q["id"]] = q
        for col in q.get("collects", []) or []:
            collects[col["key"]] = col
            if col.get("from_profile"):
                from_profile[col["key"]] = col["from_profile"]
            if col.get("quantity"):
                quantities[col["quantity"]] = col["key"]
        if q.get("bands"):
            bands[q["id"]] = [(key, low, high) for key, (low, high) in q["bands"].items()]
        if q.get("implied"):
            implied[q["id"]] = q["implied"]
        elif q.get("suggest_from"):            # versions before 2026.11 named profile fields directly
            implied[q["id"]] = {"type": "band", **q["suggest_from"], "source": "企业概况"}
        if q.get("estimates"):
            estimates[q["estimates"]] = q["id"]
    return Figures(collects, from_profile, implied, bands, estimates, quantities, questions, doc)


COUNT_FIELDS = ("equipment_total", "equipment_digitized", "equipment_networked", "key_processes_total",
                "key_processes_nc", "headcount", "revenue")


def counts(figs: Figures | None, profile: dict, answers: dict) -> dict[str, float | None]:
    """The enterprise's figures the estimates scale with: the profile's, or the same figures collected
    by the SME instrument when the profile lacks them."""
    out = {key: profile.get(key) for key in COUNT_FIELDS}
    if figs is not None:
        for key, src in figs.from_profile.items():
            if out.get(src) is None and answers.get(key) is not None:
                out[src] = answers[key]
        for quantity, key in figs.quantities.items():
            out[quantity] = figure(figs, key, profile, answers)
    return out


def figure(figs: Figures | None, key: str, profile: dict, answers: dict) -> Number | None:
    """A collected figure (the profile's value where the figure is taken from the profile), or a
    profile field when ``key`` is not a collected figure."""
    if figs is None or key not in figs.collects:
        return profile.get(key)
    source = figs.from_profile.get(key)
    if source is not None and profile.get(source) is not None:
        return profile[source]
    return answers.get(key)


def band_of(figs: Figures, qid: str, rate: float) -> str | None:
    bands = figs.bands.get(qid) or []
    for key, low, high in bands:
        if (low == 0 and 0 <= rate <= high) or low < rate <= high:
            return key
    if bands and rate > bands[-1][2]:
        return bands[-1][0]
    return None


def _num(value: float) -> str:
    if abs(value) >= 1000:
        return f"{rounded(value, 0):,}"
    return num(value, 2 if abs(value) >= 1 else 3)


def implied_option(figs: Figures | None, qid: str, profile: dict, answers: dict, text: bool = True
                   ) -> dict[str, Any] | None:
    """The option the entered figures imply for question ``qid``, with the figures and (unless
    ``text`` is false) a sentence; None when the question has no such rule or a figure is missing."""
    if figs is None or qid not in figs.implied:
        return None
    spec = figs.implied[qid]
    if spec["type"] == "band":
        num, den = figure(figs, spec["numerator"], profile, answers), figure(figs, spec["denominator"], profile, answers)
        if num is None or not den:
            return None
        rate = num / den
        option = band_of(figs, qid, rate)
        if option is None:
            return None
        out = {"option": option, "rate": rate, "kind": "band",
               "figures": {spec["numerator"]: num, spec["denominator"]: den}}
        if text:
            out["text"] = (f"按{spec.get('source') or '填写的数字'}计算为 {pct(rate)}"
                           f"（{_num(num)} ÷ {_num(den)}），对应“{option}. {_option_text(figs, qid, option)}”")
        return out
    (cn, cd), (pn, pd) = spec["current"], spec["previous"]
    a, b, c, d = (figure(figs, k, profile, answers) for k in (cn, cd, pn, pd))
    if a is None or c is None or not b or not d or not c:
        return None
    scale = spec.get("scale", 1)
    current, previous = a / b * scale, c / d * scale
    change = current / previous - 1
    direction = "flat" if abs(change) <= spec["tolerance"] else ("up" if change > 0 else "down")
    option = spec["options"][direction]
    out = {"option": option, "rate": change, "kind": "trend", "direction": direction,
           "current": current, "previous": previous, "figures": {cn: a, cd: b, pn: c, pd: d}}
    if text:
        unit = f" {spec['unit']}" if spec.get("unit") else ""
        moved = {"flat": "基本持平", "up": f"上升 {pct(abs(change))}",
                 "down": f"下降 {pct(abs(change))}"}[direction]
        out["text"] = (f"按填写的数字，{spec['measure']}由前年的 {_num(previous)}{unit} 变为上年的 {_num(current)}{unit}"
                       f"（{moved}），对应“{option}. {_option_text(figs, qid, option)}”")
    return out


def _option_text(figs: Figures, qid: str, option: str) -> str:
    return next(o["text"] for o in figs.questions[qid]["options"] if o["key"] == option)


def derive_indicators(profile_doc: dict, figs: Figures | None, profile: dict, answers: dict
                      ) -> tuple[dict[str, float | None], dict[str, dict]]:
    """Profile indicators, completed from the SME answers where the profile lacks them.

    Returns the values and, per indicator that has a value, where it comes from: the profile's
    counts, the counts collected with the SME question (exact), or the band the SME answer chose
    (the band's middle, marked ``estimated``)."""
    values: dict[str, float | None] = {}
    details: dict[str, dict] = {}
    for ind in profile_doc["indicators"]:
        key = ind["key"]
        num, den = profile.get(ind["numerator"]), profile.get(ind["denominator"])
        if num is not None and den:
            values[key] = round(num / den, 4)
            details[key] = {"estimated": False, "source": "profile", "basis": "企业概况填写的数量"}
            continue
        values[key] = None
        qid = figs.estimates.get(key) if figs else None
        if qid is None:
            continue
        n = int(qid[1:]) if qid[1:].isdigit() else qid
        implied = implied_option(figs, qid, profile, answers, text=False) if qid in figs.implied else None
        if implied and implied["kind"] == "band":
            values[key] = round(implied["rate"], 4)
            details[key] = {"estimated": False, "source": f"answer.{qid}", "basis": f"第{n}题填写的设备数量"}
            continue
        chosen = answers.get(qid)
        band = next(((low, high) for k, low, high in figs.bands.get(qid, []) if k == chosen), None)
        if band is None:
            continue
        middle = (band[0] + band[1]) / 2
        values[key] = round(middle, 4)
        option = next(o["text"] for o in figs.questions[qid]["options"] if o["key"] == chosen)
        details[key] = {"estimated": True, "source": f"answer.{qid}",
                        "basis": f"按第{n}题所选区间“{option}”取中值 {pct(middle)} 估算"}
    return values, details

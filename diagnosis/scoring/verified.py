"""Self-assessed versus verified: the answers a provider checked on site, and the levels they give.

Pure functions (no Flask, no database). A disputed answer with a found rating is replaced by that
rating; verified answers, and disputed ones without a found rating, keep the enterprise's value.
The caller scores the verified answers with the same engine (``score_answers``) as the submission.
"""
from __future__ import annotations

from typing import Any

from ..numbers import fixed

VERIFIED, DISPUTED = "verified", "disputed"


def verified_answers(answers: dict[str, Any], verifications: dict[str, dict]) -> dict[str, Any]:
    """The answers with every disputed rating replaced by the rating the provider found."""
    out = dict(answers)
    for key, check in (verifications or {}).items():
        if check.get("status") == DISPUTED and check.get("found") is not None and key in out:
            out[key] = check["found"]
    return out


def changed_answers(answers: dict[str, Any], verifications: dict[str, dict]) -> dict[str, tuple[Any, Any]]:
    """answer key -> (self-assessed, found) for the answers the verification changes."""
    verified = verified_answers(answers, verifications)
    return {k: (answers[k], verified[k]) for k in verified if k in answers and verified[k] != answers[k]}


def coverage(answers: dict[str, Any], verifications: dict[str, dict]) -> dict[str, Any]:
    """How many answers were checked: verified, disputed, and the verified share of all answers."""
    checked = {k: v for k, v in (verifications or {}).items() if k in answers}
    verified = sum(1 for v in checked.values() if v.get("status") == VERIFIED)
    disputed = sum(1 for v in checked.values() if v.get("status") == DISPUTED)
    total = len(answers)
    return {"answers": total, "verified": verified, "disputed": disputed,
            "share": round(verified / total, 4) if total else 0.0}


def levels(result: dict[str, Any]) -> dict[str, Any]:
    """The headline levels of a result: SME grade and total, maturity level and S, sub-domain scores."""
    out: dict[str, Any] = {}
    sme = result.get("sme") or (result if "total" in result else None)
    cmmm = result.get("cmmm") or (result if "level_scores" in result else None)
    if sme:
        out["sme"] = {"grade_label": sme["grade_label"], "total": sme["total"]}
    if cmmm:
        out["cmmm"] = {"level_label": cmmm["level_label"], "score": cmmm["score"],
                       "subdomains": {k: {"name": sd["name"], "score": sd["score"]}
                                      for k, sd in cmmm["subdomains"].items() if sd.get("applicable", True)}}
    return out


def comparison(self_levels: dict[str, Any], verified_levels: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows (name, self-assessed, verified, differs) for the headline levels and every sub-domain
    whose score differs."""
    rows = []
    a, b = self_levels.get("sme"), verified_levels.get("sme")
    if a and b:
        rows.append({"name": "数字化水平", "self": f"{a['grade_label']}（{a['total']:g} 分）",
                     "verified": f"{b['grade_label']}（{b['total']:g} 分）", "differs": a != b})
    a, b = self_levels.get("cmmm"), verified_levels.get("cmmm")
    if a and b:
        rows.append({"name": "智能制造能力成熟度", "self": f"{a['level_label']}（S = {fixed(a['score'], 2)}）",
                     "verified": f"{b['level_label']}（S = {fixed(b['score'], 2)}）",
                     "differs": (a["level_label"], a["score"]) != (b["level_label"], b["score"])})
        for key, sd in a["subdomains"].items():
            other = b["subdomains"].get(key, {}).get("score")
            if sd["score"] != other:
                rows.append({"name": f"子域：{sd['name']}", "self": _num(sd["score"]), "verified": _num(other),
                             "differs": True})
    return rows


def _num(value) -> str:
    return "—" if value is None else fixed(value, 2)

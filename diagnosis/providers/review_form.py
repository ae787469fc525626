"""The review page's answer list (what a provider can check on site) and reading its posted form."""
from __future__ import annotations

from typing import Any

from ..assessments import services
from ..assessments.models import Diagnosis, Review
from ..assessments.reviews import ReviewInput


def _label(value: Any, options: dict[str, str]) -> str:
    if isinstance(value, list):
        return "；".join(options.get(v, str(v)) for v in value) or "—"
    if value is None:
        return "不适用"
    return options.get(str(value), f"{value:g}" if isinstance(value, (int, float)) else str(value))


def answer_groups(diagnosis: Diagnosis) -> list[dict[str, Any]]:
    """The answered questions, grouped as the questionnaire asks them: each with its text, the
    enterprise's answer and, for ratings, the scale a found rating is chosen from."""
    docs = services.documents(diagnosis)
    answers = diagnosis.answers or {}
    groups = []
    if docs.sme:
        data = docs.sme.data
        rows = [{"key": q["id"], "text": q["text"], "answer": _label(answers[q["id"]],
                                                                    {o["key"]: o["text"] for o in q.get("options", [])}),
                 "scale": None} for q in data["questions"] if q["id"] in answers]
        for group in data.get("scene_groups", []):
            for scene in group["scenes"]:
                if scene["id"] in answers:
                    levels = [(str(n), f"{n} 级") for n in range(0, len(scene.get("levels", [])) + 1)]
                    rows.append({"key": scene["id"], "text": f"场景：{scene['name']}", "scale": levels,
                                 "answer": f"{answers[scene['id']]} 级"})
        groups.append({"title": "数字化水平评测", "rows": rows})
    if docs.cmmm:
        data = docs.cmmm.data
        scale = [(f"{s['value']:g}", s["label"]) for s in data["scale"]]
        options = {f"{s['value']:g}": s["label"] for s in data["scale"]}
        for sd in data["subdomains"]:
            rows = [{"key": item["id"], "text": item["text"], "scale": scale,
                     "answer": _label(f"{answers[item['id']]:g}" if answers[item["id"]] is not None else None, options)}
                    for level in sorted(sd["levels"], key=int) for item in sd["levels"][level] if item["id"] in answers]
            if rows:
                groups.append({"title": f"成熟度 · {sd['element']} · {sd['name']}", "rows": rows})
    return groups


def _number(raw: str) -> Any:
    raw = (raw or "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        return raw                  # the engine's validation names the field
    return int(value) if value.is_integer() and "." not in raw else value


def read(form) -> ReviewInput:
    """The review as posted (fields: opinion, domain.<element>, verify./comment./found.<answer key>,
    decision./reason.<recommendation id>, added)."""
    data = ReviewInput(opinion=form.get("opinion", ""))
    for name, value in form.items():
        prefix, _, key = name.partition(".")
        if prefix == "domain":
            data.domains[key] = value
        elif prefix == "verify":
            data.verifications[key] = {"status": value, "comment": form.get(f"comment.{key}", ""),
                                       "found": _number(form.get(f"found.{key}", ""))}
        elif prefix == "decision":
            data.decisions[key] = {"decision": value, "reason": form.get(f"reason.{key}", "")}
    data.added = [a for a in form.getlist("added") if a]
    return data


def as_form(review: Review | None) -> dict[str, Any]:
    """What the form shows: the draft (or newest version) as it was written."""
    if review is None:
        return {"opinion": "", "domains": {}, "verifications": {}, "decisions": {}, "added": []}
    recs = review.recommendations or {}
    return {"opinion": review.opinion, "domains": review.domains or {}, "verifications": review.verifications or {},
            "decisions": recs.get("decisions", {}), "added": recs.get("added", [])}


def from_input(data: ReviewInput) -> dict[str, Any]:
    """The posted form shown again after an error (nothing is lost)."""
    return {"opinion": data.opinion, "domains": data.domains,
            "verifications": {k: {kk: vv for kk, vv in v.items() if vv not in (None, "")}
                              for k, v in data.verifications.items()},
            "decisions": data.decisions, "added": data.added}

"""The report input of a stored diagnosis: enterprise, result, pinned documents, peers, review."""
from __future__ import annotations

from ... import catalog
from typing import Any

from ...assessments import reviews, services
from ...assessments.models import Diagnosis, DiagnosisResult, Review
from ...scoring.compare import compare
from ..content.input import ReportInput
from .peers import peer_averages


def report_input(diagnosis: Diagnosis, result: DiagnosisResult | None = None) -> ReportInput:
    result = result or diagnosis.result
    docs = services.documents(diagnosis)
    ent = diagnosis.enterprise
    review = reviews.latest_review(diagnosis)
    documents = {"profile": docs.profile.data}
    if docs.sme:
        documents["sme"] = docs.sme.data
    if docs.cmmm:
        documents["cmmm"] = docs.cmmm.data
    targets = catalog.library().of_kind("targets")
    return ReportInput(
        number=report_number(diagnosis.number, result.sequence),
        enterprise={"name": ent.name, "credit_code": ent.credit_code, "area": ent.area.name,
                    "industry": ent.industry.label, "above_scale": ent.above_scale, "contact_name": ent.contact_name},
        submitted_at=diagnosis.submitted_at,
        questionnaire_title=docs.suite.title,
        result=result.data,
        profile=diagnosis.profile,
        answers=diagnosis.answers,
        documents=documents,
        targets=targets[0].data if targets else None,
        peers=peer_averages(diagnosis),
        review=review_input(diagnosis, review, docs) if review else None,
        generated_at=result.created_at,
        previous=previous_input(diagnosis, result.data),
    )


def previous_input(diagnosis: Diagnosis, data: dict) -> dict | None:
    """The enterprise's previous diagnosis beside this result (``scoring.compare``), or None."""
    previous = services.previous_submission(diagnosis)
    if previous is None or previous.result is None:
        return None
    return {"number": previous.number, "submitted_at": previous.submitted_at, "id": previous.id,
            "comparison": compare(previous.result.data, data, previous.profile, diagnosis.profile)}


def report_number(diagnosis_number: str, sequence: int) -> str:
    """The report number of a diagnosis's result: stable and unique (diagnosis number, result sequence)."""
    return f"{diagnosis_number}-{sequence:02d}"


def _answer_texts(docs) -> dict[str, str]:
    texts: dict[str, str] = {}
    if docs.sme:
        texts.update({q["id"]: q["text"] for q in docs.sme.data["questions"]})
        texts.update({s["id"]: f"场景：{s['name']}" for g in docs.sme.data.get("scene_groups", []) for s in g["scenes"]})
    if docs.cmmm:
        texts.update({i["id"]: i["text"] for sd in docs.cmmm.data["subdomains"] for items in sd["levels"].values()
                      for i in items})
    return texts


def _cmmm_items(docs) -> set[str]:
    return {i["id"] for sd in docs.cmmm.data["subdomains"] for items in sd["levels"].values() for i in items}


def _shown(value: Any, key: str, docs) -> str:
    """An answer as the report prints it: a maturity rating with its label, a scene level, options."""
    if value is None:
        return "不适用"
    if isinstance(value, list):
        return "、".join(map(str, value))
    if docs.cmmm and isinstance(value, (int, float)) and key in _cmmm_items(docs):
        scale = {s["value"]: s["label"] for s in docs.cmmm.data["scale"]}
        return f"{scale.get(value, '')}（{value:g}）" if value in scale else f"{value:g}"
    if docs.sme and key in {s["id"] for g in docs.sme.data.get("scene_groups", []) for s in g["scenes"]}:
        return f"{value} 级"
    return f"{value:g}" if isinstance(value, (int, float)) else str(value)


def review_input(diagnosis: Diagnosis, review: Review, docs=None) -> dict[str, Any]:
    """The published review version as the report prints it (plain values, no database)."""
    docs = docs or services.documents(diagnosis)
    texts = _answer_texts(docs)
    answers = diagnosis.answers or {}
    titles = {r["id"]: r["title"] for r in (diagnosis.result.data.get("recommendations") or [])}
    catalog_titles = {u["id"]: u["title"] for u in reviews.catalog_upgrades(diagnosis)}
    recs = review.recommendations or {}
    org = review.organization.name if review.organization else (review.provider.organization or review.provider.name)
    return {
        "provider": org, "reviewer": review.provider.name, "opinion": review.opinion,
        "date": review.published_at or review.created_at, "version": review.version,
        "domains": review.domains or {}, "verified": review.verified or {},
        "disputed": [{"key": key, "text": texts.get(key, key), "answer": _shown(answers.get(key), key, docs),
                      "found": _shown(check["found"], key, docs) if check.get("found") is not None else "",
                      "comment": check.get("comment", "")}
                     for key, check in (review.verifications or {}).items() if check.get("status") == "disputed"],
        "decisions": [{"title": titles.get(rid, rid), **d} for rid, d in recs.get("decisions", {}).items()],
        "added": [catalog_titles.get(a, a) for a in recs.get("added", [])],
    }

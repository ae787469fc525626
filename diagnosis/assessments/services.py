"""Writes for diagnoses: start, save a stage, submit, rescore. Views call these; nothing else writes.

A submitted diagnosis is never changed: its answers are frozen, and rescoring with new rules adds
a new result row next to the old ones.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from .. import catalog
from ..accounts.models import Role, User, utcnow
from ..extensions import db
from ..scoring import ScoreInputError, score_answers
from ..scoring.engine import Reference, validate_answers
from ..scoring.profile import validate_profile
from . import result_json
from .models import DRAFT, SUBMITTED, Diagnosis, DiagnosisResult, QuestionnaireVersion, Review, Share
from .stages import UNANSWERED, Docs, cmmm_prunable, first_incomplete, missing_in_stage, stages

DEFAULT_QUESTIONNAIRE = "zhizao-2024"


class DiagnosisError(ValueError):
    """A problem with the whole diagnosis (not one field), e.g. submitting an incomplete one."""

    def __init__(self, message: str, stage: str | None = None):
        self.message = message
        self.stage = stage
        super().__init__(message)


def documents(diagnosis: Diagnosis) -> Docs:
    """The pinned versions this diagnosis is answered on, and the current upgrade rules."""
    by_key = {row.key: catalog.document(row) for row in diagnosis.instruments}
    suite = by_key[diagnosis.questionnaire_key]
    profile = next(d for d in by_key.values() if d.kind == "profile")
    parts = {key: by_key[key] for key in suite.data["parts"]}
    upgrades = catalog.library().of_kind("upgrades")
    return Docs(suite=suite, profile=profile, parts=parts, upgrades=upgrades[0] if upgrades else None)


def start_diagnosis(user: User, questionnaire_key: str = DEFAULT_QUESTIONNAIRE) -> Diagnosis:
    if user.role != Role.ENTERPRISE or user.enterprise is None:
        raise DiagnosisError("只有企业用户可以开始诊断")
    lib = catalog.library()
    suite = lib.get(questionnaire_key)
    if suite is None or suite.kind != "suite":
        raise DiagnosisError(f"未知的诊断类型 {questionnaire_key!r}")
    docs = [suite, lib.single("profile")] + [lib[key] for key in suite.data["parts"]]
    profile = _starting_profile(user)
    diagnosis = Diagnosis(enterprise=user.enterprise, created_by=user, questionnaire_key=suite.key,
                          status=DRAFT, profile=profile, answers={},
                          instruments=[catalog.pin(d) for d in docs])
    db.session.add(diagnosis)
    db.session.commit()
    return diagnosis


def _starting_profile(user: User) -> dict[str, Any]:
    """The last submitted profile of the enterprise, or just the production type its industry suggests."""
    last = db.session.scalar(select(Diagnosis).where(
        Diagnosis.enterprise_id == user.enterprise_id, Diagnosis.status == SUBMITTED
    ).order_by(Diagnosis.submitted_at.desc()).limit(1))
    if last is not None:
        return dict(last.profile)
    return {"industry_type": user.enterprise.industry.cmmm_profile}


def save_stage(diagnosis: Diagnosis, values: dict[str, dict[str, Any]]) -> None:
    """Merge one page of answers. Validates the merged data with the scoring engine; on error nothing
    is written and the ``ScoreInputError`` names the field (``profile.X`` or ``answers.Y``)."""
    if diagnosis.status != DRAFT:
        raise DiagnosisError("诊断已提交，不能再修改；如需更新请开始新的诊断")
    docs = documents(diagnosis)
    profile = _merge(diagnosis.profile, values.get("profile", {}))
    answers = _merge(diagnosis.answers, values.get("answers", {}))
    validate_profile(docs.profile.data, profile)
    # Maturity items depend on the production type; the maturity page is only shown once it is set.
    parts = [d for d in docs.parts.values() if d.kind != "cmmm" or profile.get("industry_type")]
    validate_answers(parts, profile, {k: answers[k] for k in values.get("answers", {}) if k in answers})
    diagnosis.profile = profile
    diagnosis.answers = answers
    diagnosis.updated_at = utcnow()
    db.session.commit()


def _merge(stored: dict[str, Any], updates: dict[str, Any]) -> dict[str, Any]:
    merged = dict(stored or {})
    for key, value in updates.items():
        if value is UNANSWERED:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


def progress(diagnosis: Diagnosis, docs: Docs | None = None) -> list[dict[str, Any]]:
    docs = docs or documents(diagnosis)
    out = []
    for stage in stages(docs):
        missing = missing_in_stage(docs, stage, diagnosis.profile, diagnosis.answers)
        out.append({"stage": stage, "missing": missing, "done": missing == 0})
    return out


def submit(diagnosis: Diagnosis) -> DiagnosisResult:
    if diagnosis.status != DRAFT:
        raise DiagnosisError("该诊断已经提交")
    docs = documents(diagnosis)
    stage = first_incomplete(docs, diagnosis.profile, diagnosis.answers)
    if stage is not None:
        raise DiagnosisError(f"“{stage.title}”还有未完成的题目，请补充后再提交", stage.key)
    answers = dict(diagnosis.answers)
    for key in cmmm_prunable(docs, diagnosis.profile, answers):
        del answers[key]
    try:
        profile = validate_profile(docs.profile.data, diagnosis.profile)
        answers = validate_answers(list(docs.parts.values()), profile, answers)
    except ScoreInputError as exc:
        raise DiagnosisError(f"答案需要更正：{exc}") from exc
    result = _score(docs, profile, answers, diagnosis.enterprise.industry_code)
    diagnosis.answers = answers
    diagnosis.status = SUBMITTED
    diagnosis.submitted_at = utcnow()
    row = result_row(diagnosis.id, docs, result)
    row.diagnosis = diagnosis
    db.session.add(row)
    db.session.commit()
    return row


def result_digest(result: dict[str, Any]) -> str:
    return result_json.digest(result_json.encode(result))


def result_row(diagnosis_id: int, docs: Docs, result: dict[str, Any]) -> DiagnosisResult:
    return DiagnosisResult(diagnosis_id=diagnosis_id, scoring_version=result["scoring_version"],
                           rules_version=docs.upgrades.sha256 if docs.upgrades else "",
                           digest=result_digest(result), data=result)


def _score(docs: Docs, profile: dict[str, Any], answers: dict[str, Any], industry: str | None = None) -> dict[str, Any]:
    return score_answers(docs.suite, list(docs.parts.values()), docs.profile, docs.upgrades, profile, answers,
                         reference=Reference.of(catalog.library()), industry=industry)


def rescore(diagnosis: Diagnosis) -> DiagnosisResult | None:
    """Score the frozen answers with the current engine and rules; a new row only if anything changed."""
    if diagnosis.status != SUBMITTED:
        return None
    docs = documents(diagnosis)
    result = _score(docs, diagnosis.profile, diagnosis.answers, diagnosis.enterprise.industry_code)
    current = diagnosis.result
    if current is not None and current.digest == result_digest(result):
        return None
    row = result_row(diagnosis.id, docs, result)
    row.diagnosis = diagnosis
    db.session.add(row)
    db.session.commit()
    return row


def share_with(diagnosis: Diagnosis, provider: User) -> Share:
    if diagnosis.status != SUBMITTED:
        raise DiagnosisError("提交后才能分享给服务商")
    if provider.role != Role.PROVIDER:
        raise DiagnosisError("只能分享给服务商账号")
    existing = db.session.scalar(select(Share).filter_by(diagnosis_id=diagnosis.id, provider_id=provider.id))
    if existing:
        return existing
    share = Share(diagnosis=diagnosis, provider=provider)
    db.session.add(share)
    db.session.commit()
    return share


def add_review(diagnosis: Diagnosis, provider: User, opinion: str) -> Review:
    opinion = (opinion or "").strip()
    if len(opinion) < 10:
        raise DiagnosisError("诊断意见至少 10 个字")
    review = Review(diagnosis_id=diagnosis.id, provider=provider, opinion=opinion)
    db.session.add(review)
    db.session.commit()
    return review


def latest_review(diagnosis: Diagnosis) -> Review | None:
    return db.session.scalar(select(Review).where(Review.diagnosis_id == diagnosis.id).order_by(Review.id.desc()).limit(1))


def pinned_versions(diagnosis: Diagnosis) -> list[QuestionnaireVersion]:
    return sorted(diagnosis.instruments, key=lambda r: r.key)

"""The review workflow of a provider organization on a shared diagnosis.

The provider writes a review (an opinion per maturity element and an overall one), checks answers on
site (verified, or disputed with a comment and, for a rating, the rating found), and accepts, rejects
(with a reason) or adds recommendations from the catalog. Saving keeps one draft per organization;
publishing it, or returning the diagnosis for clarification, makes a numbered version that is never
changed: the report prints the newest published version, earlier ones are kept.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..accounts.models import User, utcnow
from ..audit.services import record, register_actions
from ..extensions import db
from ..notifications import services as notifications
from ..scoring import ScoreInputError
from ..scoring.engine import validate_answers
from ..scoring.verified import DISPUTED, VERIFIED, changed_answers, coverage, levels, verified_answers
from . import services, signals
from .models import REVIEW_DRAFT, REVIEW_PUBLISHED, REVIEW_RETURNED, Diagnosis, Review, Share

register_actions(**{
    "review.draft": "保存服务商意见草稿",
    "review.publish": "发布服务商意见",
    "review.return": "服务商退回请企业补充说明",
    "diagnosis.revise": "开始修订诊断",
})

# Queue statuses of a shared diagnosis for one organization.
NEW, IN_REVIEW, RETURNED, REVIEWED = "new", "in_review", "returned", "reviewed"
QUEUE_LABELS = {NEW: "新分享", IN_REVIEW: "审阅中", RETURNED: "已退回待补充", REVIEWED: "已审阅"}
MIN_OPINION = 10


class ReviewError(services.DiagnosisError):
    """A field of the review form is wrong: ``field`` names it."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name


@dataclass
class ReviewInput:
    opinion: str = ""
    domains: dict[str, str] = field(default_factory=dict)             # maturity element -> opinion
    verifications: dict[str, dict] = field(default_factory=dict)      # answer key -> check
    decisions: dict[str, dict] = field(default_factory=dict)          # recommendation id -> decision
    added: list[str] = field(default_factory=list)                    # catalog upgrade ids


def maturity_elements(diagnosis: Diagnosis) -> list[str]:
    cmmm = services.documents(diagnosis).cmmm
    return list(dict.fromkeys(sd["element"] for sd in cmmm.data["subdomains"])) if cmmm else []


def catalog_upgrades(diagnosis: Diagnosis) -> list[dict]:
    upgrades = services.documents(diagnosis).upgrades
    return [{"id": u["id"], "title": u["title"]} for u in upgrades.data["upgrades"]] if upgrades else []


def _clean(diagnosis: Diagnosis, data: ReviewInput, publishing: bool) -> ReviewInput:
    opinion = (data.opinion or "").strip()
    if publishing and len(opinion) < MIN_OPINION:
        raise ReviewError("opinion", f"总体意见至少 {MIN_OPINION} 个字")
    elements = set(maturity_elements(diagnosis))
    domains = {k: v.strip() for k, v in data.domains.items() if k in elements and (v or "").strip()}
    answers = diagnosis.answers or {}
    docs = services.documents(diagnosis)
    verifications = {}
    for key, check in data.verifications.items():
        status = check.get("status")
        if not status:
            continue
        if key not in answers or status not in (VERIFIED, DISPUTED):
            raise ReviewError(f"verify.{key}", f"答案 {key} 不在本诊断中，或核查结果无效")
        comment = (check.get("comment") or "").strip()
        entry: dict[str, Any] = {"status": status}
        if status == DISPUTED:
            if not comment:
                raise ReviewError(f"comment.{key}", f"答案 {key} 标为有异议时请写明现场核查情况")
            found = check.get("found")
            if found not in (None, ""):
                try:
                    value = validate_answers(list(docs.parts.values()), diagnosis.profile, {key: found})[key]
                except ScoreInputError as exc:
                    raise ReviewError(f"found.{key}", f"答案 {key} 的核实评分无效：{exc.message}") from None
                entry["found"] = value
        if comment:
            entry["comment"] = comment
        verifications[key] = entry
    recommended = {r["id"] for r in (diagnosis.result.data.get("recommendations") or [])}
    decisions = {}
    for rec_id, decision in data.decisions.items():
        kind = decision.get("decision")
        if not kind:
            continue
        if rec_id not in recommended or kind not in ("accepted", "rejected"):
            raise ReviewError(f"decision.{rec_id}", f"建议 {rec_id} 不在本诊断的路线图中，或处理结果无效")
        reason = (decision.get("reason") or "").strip()
        if kind == "rejected" and not reason:
            raise ReviewError(f"reason.{rec_id}", "不采纳某项建议时请写明理由")
        decisions[rec_id] = {"decision": kind, **({"reason": reason} if reason else {})}
    catalog = {u["id"] for u in catalog_upgrades(diagnosis)}
    added = [a for a in dict.fromkeys(data.added) if a]
    unknown = [a for a in added if a not in catalog or a in recommended]
    if unknown:
        raise ReviewError("added", f"补充的建议 {unknown[0]} 不在建议目录中，或已在路线图里")
    return ReviewInput(opinion, domains, verifications, decisions, added)


def _reviews(diagnosis: Diagnosis, organization_id: int | None):
    return select(Review).where(Review.diagnosis_id == diagnosis.id, Review.organization_id == organization_id)


def draft_of(diagnosis: Diagnosis, user: User) -> Review | None:
    return db.session.scalar(_reviews(diagnosis, user.provider_organization_id).where(Review.status == REVIEW_DRAFT))


def working_copy(diagnosis: Diagnosis, user: User) -> Review | None:
    """What the form starts from: the organization's draft, else its newest version."""
    return draft_of(diagnosis, user) or db.session.scalar(
        _reviews(diagnosis, user.provider_organization_id).where(Review.status != REVIEW_DRAFT)
        .order_by(Review.version.desc()).limit(1))


def _fill(review: Review, data: ReviewInput, user: User) -> None:
    review.opinion, review.domains, review.verifications = data.opinion, data.domains, data.verifications
    review.recommendations = {"decisions": data.decisions, "added": data.added}
    review.provider = user
    review.updated_at = utcnow()


def save_draft(diagnosis: Diagnosis, user: User, data: ReviewInput) -> Review:
    data = _clean(diagnosis, data, publishing=False)
    review = draft_of(diagnosis, user)
    if review is None:
        review = Review(diagnosis_id=diagnosis.id, organization_id=user.provider_organization_id,
                        status=REVIEW_DRAFT, opinion="")
        db.session.add(review)
    _fill(review, data, user)
    db.session.flush()
    record(user, "review.draft", diagnosis=diagnosis, target=review)
    db.session.commit()
    return review


# Two organizations publishing at the same moment race for the next version number: the unique
# (diagnosis, version) pair stops the second, which numbers again.
PUBLISH_ATTEMPTS = 5


def publish(diagnosis: Diagnosis, user: User, data: ReviewInput, returned: bool = False) -> Review:
    """A new version (published, or returned for clarification) from the posted form; the draft,
    if any, becomes that version."""
    data = _clean(diagnosis, data, publishing=True)
    checked = verification(diagnosis, data.verifications)
    for attempt in range(PUBLISH_ATTEMPTS):
        try:
            review = _new_version(diagnosis, user, data, returned, checked)
            break
        except IntegrityError:
            db.session.rollback()
            if attempt + 1 == PUBLISH_ATTEMPTS:
                raise
    org = user.provider_organization.name if user.provider_organization else user.name
    if returned:
        notifications.notify_enterprise(diagnosis, "returned",
                                        f"{org} 请贵企业就诊断 {diagnosis.number} 补充说明：{data.opinion[:120]}")
    else:
        signals.review_submitted.send(diagnosis, review=review)
        notifications.notify_enterprise(diagnosis, "review", f"{org} 发布了诊断 {diagnosis.number} 的审阅意见")
    return review


def _new_version(diagnosis: Diagnosis, user: User, data: ReviewInput, returned: bool,
                 checked: dict[str, Any]) -> Review:
    review = draft_of(diagnosis, user)
    if review is None:
        review = Review(diagnosis_id=diagnosis.id, organization_id=user.provider_organization_id, opinion="")
        db.session.add(review)
    _fill(review, data, user)
    review.status = REVIEW_RETURNED if returned else REVIEW_PUBLISHED
    review.verified = checked
    review.published_at = utcnow()
    newest = db.session.scalar(select(func.max(Review.version)).where(Review.diagnosis_id == diagnosis.id))
    review.version = (newest or 0) + 1
    db.session.flush()
    record(user, "review.return" if returned else "review.publish", diagnosis=diagnosis, target=review,
           version=review.version)
    db.session.commit()
    return review


def verification(diagnosis: Diagnosis, checks: dict[str, dict]) -> dict[str, Any]:
    """The verified share and the levels recomputed on the verified answers (stored with a version)."""
    answers = diagnosis.answers or {}
    out: dict[str, Any] = {"coverage": coverage(answers, checks),
                           "changed": {k: list(v) for k, v in changed_answers(answers, checks).items()}}
    self_levels = levels(diagnosis.result.data)
    out["self"] = self_levels
    if out["changed"]:
        docs = services.documents(diagnosis)
        result = services._score(docs, diagnosis.profile, verified_answers(answers, checks),
                                 diagnosis.enterprise.industry_code)
        out["verified"] = levels(result)
    else:
        out["verified"] = self_levels
    return out


def add_review(diagnosis: Diagnosis, provider: User, opinion: str) -> Review:
    """Publish an overall opinion alone (no element opinions, checks or decisions)."""
    return publish(diagnosis, provider, ReviewInput(opinion=opinion))


def latest_review(diagnosis: Diagnosis) -> Review | None:
    """The newest published review version: what the result page and the report show."""
    return db.session.scalar(select(Review).where(Review.diagnosis_id == diagnosis.id,
                                                  Review.status == REVIEW_PUBLISHED)
                             .order_by(Review.version.desc()).limit(1))


def versions(diagnosis: Diagnosis) -> list[Review]:
    return list(db.session.scalars(select(Review).where(Review.diagnosis_id == diagnosis.id,
                                                        Review.status != REVIEW_DRAFT)
                                   .order_by(Review.version.desc())))


def latest_return(diagnosis: Diagnosis) -> Review | None:
    """The newest version, if it returned the diagnosis for clarification."""
    newest = versions(diagnosis)
    return newest[0] if newest and newest[0].status == REVIEW_RETURNED else None


def queue_status(diagnosis: Diagnosis, organization_id: int | None) -> str:
    """A draft means work after the newest version (publishing turns the draft into a version)."""
    rows = db.session.scalars(_reviews(diagnosis, organization_id)).all()
    if any(r.status == REVIEW_DRAFT for r in rows):
        return IN_REVIEW
    done = sorted((r for r in rows if r.status != REVIEW_DRAFT), key=lambda r: r.version)
    if done:
        return RETURNED if done[-1].status == REVIEW_RETURNED else REVIEWED
    return NEW


@dataclass
class QueueItem:
    diagnosis: Diagnosis
    share: Share
    status: str

    @property
    def status_label(self) -> str:
        return QUEUE_LABELS[self.status]


def queue(user: User, diagnoses: list[Diagnosis]) -> list[QueueItem]:
    """The provider's queue: each diagnosis it may see with its status for the organization."""
    from .sharing import active_share_for

    items = []
    for diagnosis in diagnoses:
        share = active_share_for(diagnosis, user)
        if share is not None:
            items.append(QueueItem(diagnosis, share, queue_status(diagnosis, user.provider_organization_id)))
    return items


def filtered(items: list[QueueItem], status: str | None = None, search: str = "") -> list[QueueItem]:
    """Queue items of one status whose enterprise name or report number contains ``search``."""
    needle = search.strip().lower()
    return [i for i in items if (status is None or i.status == status)
            and (not needle or needle in i.diagnosis.enterprise.name.lower() or needle in i.diagnosis.number.lower())]


def start_revision(diagnosis: Diagnosis, user: User) -> Diagnosis:
    """The enterprise answers a request for clarification: a new draft with the same answers."""
    revision = services.start_diagnosis(user, diagnosis.questionnaire_key, revision_of=diagnosis)
    record(user, "diagnosis.revise", diagnosis=diagnosis, target=revision, revision=revision.id)
    db.session.commit()
    return revision

"""API for sharing and reviews: an enterprise shares its submitted diagnosis with approved provider
organizations and revokes shares; a provider reads its queue and writes reviews; whoever may see a
diagnosis reads its review versions. The same services and access rules as the web pages."""
from __future__ import annotations

from flask import g, jsonify, request

from .. import access
from ..assessments import reviews, sharing
from ..assessments.models import Diagnosis, Review, Share
from ..extensions import db
from ..ids import MAX_ID
from ..providers import services as provider_services
from .views import BodyError, _iso, _json_body, bp, error, token_required


def _share(share: Share) -> dict:
    return {"id": share.id, "organization": {"id": share.organization.id, "name": share.organization.name},
            "created_at": _iso(share.created_at), "revoked_at": _iso(share.revoked_at),
            "last_opened_at": _iso(share.last_opened_at),
            "last_opened_by": share.last_opened_by.name if share.last_opened_by else None}


def _review(review: Review) -> dict:
    recs = review.recommendations or {}
    return {"id": review.id, "version": review.version, "status": review.status,
            "organization": review.organization.name if review.organization else None,
            "reviewer": review.provider.name, "opinion": review.opinion, "domains": review.domains or {},
            "verifications": review.verifications or {}, "decisions": recs.get("decisions", {}),
            "added": recs.get("added", []), "verified": review.verified or {},
            "published_at": _iso(review.published_at), "updated_at": _iso(review.updated_at)}


def _object(data, name: str) -> dict:
    if not isinstance(data, dict):
        raise BodyError(400, name, f"{name} 应为 JSON 对象")
    return data


@bp.post("/diagnoses/<int:diagnosis_id>/shares")
@token_required
def create_shares(diagnosis_id: int):
    """Share with one or more approved organizations; an id that names none is 404 like a missing row."""
    data = _object(_json_body(), "(body)")
    unknown = sorted(set(data) - {"organization_ids"})
    if unknown:
        raise BodyError(400, unknown[0], "未知的键，只接受 organization_ids")
    ids = data.get("organization_ids")
    # JSON Schema's integers include 2.0: an integral number is an id.
    if not isinstance(ids, list) or not ids or len(ids) > 20 or not all(
            isinstance(i, (int, float)) and not isinstance(i, bool) and float(i).is_integer() for i in ids):
        raise BodyError(400, "organization_ids", "organization_ids 应为 1–20 个服务商 id（整数）")
    ids = [int(i) for i in ids]
    diagnosis = access.viewable_or_404(g.api_user, diagnosis_id)
    if g.api_user.role.value != "enterprise" or diagnosis.enterprise_id != g.api_user.enterprise_id:
        return error(404, "未找到")
    if not diagnosis.is_submitted:
        return error(409, "提交后才能分享给服务商")
    organizations = [provider_services.approved_organization(i) if 1 <= i <= MAX_ID else None for i in ids]
    if any(o is None for o in organizations):
        return error(404, "服务商不存在或未通过审核", "organization_ids")
    shares = [sharing.share_with(diagnosis, org, g.api_user) for org in dict.fromkeys(organizations)]
    return jsonify(shares=[_share(s) for s in shares]), 201


@bp.delete("/diagnoses/<int:diagnosis_id>/shares/<int:share_id>")
@token_required
def delete_share(diagnosis_id: int, share_id: int):
    diagnosis = access.viewable_or_404(g.api_user, diagnosis_id)
    share = sharing.share_of(diagnosis, share_id) if access.can_share(g.api_user, diagnosis) else None
    if share is None:
        return error(404, "未找到")
    sharing.revoke(share, g.api_user)
    return "", 204


@bp.get("/provider/queue")
@token_required
def provider_queue():
    if g.api_user.role.value != "provider":
        return error(404, "未找到")
    status = request.args.get("status") or None
    if status is not None and status not in reviews.QUEUE_LABELS:
        raise BodyError(400, "status", f"status 可选 {', '.join(reviews.QUEUE_LABELS)}")
    rows = db.session.scalars(access.visible_diagnoses(g.api_user).order_by(Diagnosis.submitted_at.desc())).all()
    items = reviews.filtered(reviews.queue(g.api_user, rows), status, request.args.get("q", "")[:100])
    return jsonify(items=[{"diagnosis_id": i.diagnosis.id, "number": i.diagnosis.number,
                           "enterprise": i.diagnosis.enterprise.name, "status": i.status,
                           "shared_at": _iso(i.share.created_at)} for i in items])


TEXT_MAX = 5000
REVIEW_KEYS = {"opinion", "action", "domains", "verifications", "decisions", "added"}


def _review_input(data: dict) -> tuple[reviews.ReviewInput, str]:
    unknown = sorted(set(data) - REVIEW_KEYS)
    if unknown:
        raise BodyError(400, unknown[0], f"未知的键，只接受 {', '.join(sorted(REVIEW_KEYS))}")
    action = data.get("action", "draft")
    if action not in ("draft", "publish", "return"):
        raise BodyError(400, "action", "action 可选 draft、publish、return")
    opinion = data.get("opinion", "")
    if not isinstance(opinion, str) or len(opinion) > TEXT_MAX:
        raise BodyError(400, "opinion", f"opinion 应为字符串（最多 {TEXT_MAX} 个字符）")
    maps = {}
    for name in ("domains", "verifications", "decisions"):
        value = data.get(name, {})
        if not isinstance(value, dict):
            raise BodyError(400, name, f"{name} 应为 JSON 对象")
        maps[name] = value
    for key, text in maps["domains"].items():
        if not isinstance(text, str) or len(text) > TEXT_MAX:
            raise BodyError(400, f"domains.{key}", f"应为字符串（最多 {TEXT_MAX} 个字符）")
    for name, fields in (("verifications", {"status", "comment", "found"}), ("decisions", {"decision", "reason"})):
        for key, entry in maps[name].items():
            if not isinstance(entry, dict) or set(entry) - fields:
                raise BodyError(400, f"{name}.{key}", f"应为对象，只含 {', '.join(sorted(fields))}")
            for field in fields - {"found"}:
                if field in entry and (not isinstance(entry[field], str) or len(entry[field]) > TEXT_MAX):
                    raise BodyError(400, f"{name}.{key}.{field}", f"应为字符串（最多 {TEXT_MAX} 个字符）")
    added = data.get("added", [])
    if not isinstance(added, list) or len(added) > 50 or not all(isinstance(a, str) for a in added):
        raise BodyError(400, "added", "added 应为建议 id（字符串）的数组")
    return reviews.ReviewInput(opinion=opinion, domains=maps["domains"], verifications=maps["verifications"],
                               decisions=maps["decisions"], added=added), action


# One rule for both methods: with two rules, an id beyond the id range on one method would be
# answered 405 (the other rule's method) instead of 404.
@bp.route("/diagnoses/<int:diagnosis_id>/reviews", methods=["GET", "POST"])
@token_required
def reviews_of(diagnosis_id: int):
    if request.method == "GET":
        return _list_reviews(diagnosis_id)
    return _create_review(diagnosis_id)


def _create_review(diagnosis_id: int):
    """Save the organization's draft, publish it as a new version, or return for clarification."""
    data, action = _review_input(_object(_json_body(), "(body)"))
    diagnosis = access.viewable_or_404(g.api_user, diagnosis_id)
    if not access.can_review(g.api_user, diagnosis):
        return error(404, "未找到")
    try:
        if action == "draft":
            review = reviews.save_draft(diagnosis, g.api_user, data)
        else:
            review = reviews.publish(diagnosis, g.api_user, data, returned=action == "return")
    except reviews.ReviewError as exc:
        return error(400, exc.message, exc.field)
    return jsonify(_review(review)), 201


def _list_reviews(diagnosis_id: int):
    """The review versions (published or returned), newest first; a provider also gets its draft."""
    diagnosis = access.viewable_or_404(g.api_user, diagnosis_id)
    draft = reviews.draft_of(diagnosis, g.api_user) if access.can_review(g.api_user, diagnosis) else None
    return jsonify(reviews=[_review(r) for r in reviews.versions(diagnosis)],
                   draft=_review(draft) if draft else None)

"""JSON API, version 1. Bearer tokens from POST /api/v1/auth/token; the same access rules as the web."""
from __future__ import annotations

from functools import wraps

from flask import Blueprint, current_app, g, jsonify, request, url_for

from .. import access, catalog
from ..accounts.services import authenticate, issue_token, revoke_token, user_for_token
from ..assessments.models import Diagnosis
from ..extensions import db
from ..instruments.export import export
from ..scoring import ScoreInputError, score_payload
from .openapi import openapi_document

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def error(status: int, message: str, key: str | None = None, **headers):
    body = {"error": {"message": message, **({"key": key} if key else {})}}
    return jsonify(body), status, headers


def token_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        user = user_for_token(token.strip()) if scheme.lower() == "bearer" and token.strip() else None
        if user is None:
            return error(401, "需要有效的访问令牌（Authorization: Bearer <token>）",
                         **{"WWW-Authenticate": 'Bearer realm="api"'})
        g.api_user, g.api_token = user, token.strip()
        return view(*args, **kwargs)
    return wrapped


def _json_body():
    data = request.get_json(silent=True)
    if data is None:
        raise ScoreInputError("(body)", "请求体不是有效的 JSON")
    return data


@bp.errorhandler(404)
def not_found(_exc):
    return error(404, "未找到")


@bp.errorhandler(405)
def not_allowed(_exc):
    return error(405, "不支持该请求方法")


@bp.post("/auth/token")
def token():  # rate-limited with the login page: diagnosis.rate_limits
    try:
        data = _json_body()
    except ScoreInputError as exc:
        return error(400, exc.message, exc.key)
    if not isinstance(data, dict) or not data.get("email") or not data.get("password"):
        return error(400, "需要 email 和 password", "email" if not isinstance(data, dict) or not data.get("email") else "password")
    user = authenticate(str(data["email"]), str(data["password"]))
    if user is None:
        return error(401, "邮箱或密码不正确")
    value, expires = issue_token(user, current_app.config["API_TOKEN_HOURS"])
    return jsonify(token=value, token_type="Bearer", expires_at=expires.isoformat(),
                   user={"id": user.id, "email": user.email, "role": user.role.value})


@bp.delete("/auth/token")
@token_required
def revoke():
    """The API's logout: the token presented stops working at once."""
    revoke_token(g.api_token)
    return "", 204


@bp.get("/questionnaires")
def questionnaires():
    lib = catalog.library()
    return jsonify(questionnaires=[{"key": d.key, "kind": d.kind, "title": d.title, "version": d.version,
                                    "url": url_for(".questionnaire", key=d.key)} for d in lib.questionnaires])


@bp.get("/questionnaires/<key>")
def questionnaire(key: str):
    lib = catalog.library()
    doc = lib.get(key)
    if doc is None or doc not in lib.questionnaires:
        return error(404, f"未知问卷 {key!r}", "key")
    return jsonify(export(doc, lib))


@bp.post("/score")
def score():
    try:
        return jsonify(score_payload(_json_body(), catalog.library()))
    except ScoreInputError as exc:
        return error(400, str(exc), exc.key)


def _summary(d: Diagnosis) -> dict:
    result = d.result.data if d.result else None
    sme = (result or {}).get("sme")
    cmmm = (result or {}).get("cmmm")
    return {
        "id": d.id, "number": d.number, "status": d.status, "questionnaire": d.questionnaire_key,
        "enterprise": {"id": d.enterprise.id, "name": d.enterprise.name, "credit_code": d.enterprise.credit_code,
                       "area": d.enterprise.area.name, "industry_code": d.enterprise.industry_code},
        "created_at": d.created_at.isoformat(), "submitted_at": d.submitted_at.isoformat() if d.submitted_at else None,
        "sme_total": sme["total"] if sme else None, "sme_grade": sme["grade"] if sme else None,
        "cmmm_level": cmmm["level"] if cmmm else None, "cmmm_score": cmmm["score"] if cmmm else None,
        "url": url_for(".diagnosis", diagnosis_id=d.id),
    }


@bp.get("/diagnoses")
@token_required
def diagnoses():
    rows = db.session.scalars(access.visible_diagnoses(g.api_user).order_by(Diagnosis.id.desc())).all()
    return jsonify(diagnoses=[_summary(d) for d in rows])


@bp.get("/diagnoses/<int:diagnosis_id>")
@token_required
def diagnosis(diagnosis_id: int):
    d = access.viewable_or_404(g.api_user, diagnosis_id)
    body = _summary(d)
    body.update(profile=d.profile, answers=d.answers, result=d.result.data if d.result else None,
                versions={row.key: row.sha256[:12] for row in d.instruments},
                report_url=url_for(".report", diagnosis_id=d.id) if d.is_submitted else None)
    return jsonify(body)


@bp.get("/diagnoses/<int:diagnosis_id>/report.pdf")
@token_required
def report(diagnosis_id: int):
    from ..reports.views import pdf_response, report_or_pending

    d = access.viewable_or_404(g.api_user, diagnosis_id)
    if not d.is_submitted:
        return error(409, "提交诊断后才能生成报告")
    pdf, pending = report_or_pending(d)
    if pdf is not None:
        return pdf_response(d, pdf)
    return jsonify(status=str(pending), retry_after=2), 202, {"Retry-After": "2"}


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())

"""JSON API, version 1. Bearer tokens from POST /api/v1/auth/token; the same access rules as the web."""
from __future__ import annotations

from datetime import datetime, timezone
from functools import wraps

from flask import Blueprint, abort, current_app, g, jsonify, request, url_for
from werkzeug.exceptions import HTTPException

from .. import access, catalog, json_input
from ..accounts.services import authenticate, issue_token, revoke_token, user_for_token
from ..assessments.models import Diagnosis
from ..extensions import db
from ..instruments.export import export
from ..scoring import ScoreInputError, score_payload
from .limits import BODY_MAX, EMAIL_MAX
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


class BodyError(Exception):
    """A request body the API refuses: 415 when it is not JSON at all, 400 when it is not valid JSON
    within the limits of ``json_input`` or lacks a field; ``key`` names the offending part."""

    def __init__(self, status: int, key: str, message: str):
        self.status, self.key, self.message = status, key, message


def _json_body():
    """The request's JSON value, read within the API's size, depth and text limits."""
    if not request.is_json:
        raise BodyError(415, "(body)", "请求体应为 JSON（Content-Type: application/json）")
    # Checked here rather than through request.max_content_length: whoever reads the body first (a
    # before_request hook) fixes that limit; the application's MAX_CONTENT_LENGTH still bounds the read.
    if (request.content_length or 0) > BODY_MAX:
        abort(413)
    data = request.get_data(cache=True)
    if len(data) > BODY_MAX:
        abort(413)
    try:
        return json_input.parse(data)
    except json_input.JsonInputError as exc:
        raise BodyError(400, exc.key, exc.message) from None


@bp.errorhandler(BodyError)
def body_error(exc: BodyError):
    return error(exc.status, exc.message, exc.key)


@bp.errorhandler(400)
@bp.errorhandler(404)
@bp.errorhandler(413)
def http_error(exc: HTTPException):
    messages = {400: "请求有误", 404: "未找到", 413: f"请求体过大（最多 {BODY_MAX // 1024} KB）"}
    custom = exc.description if exc.description != type(exc).description else None
    return error(exc.code, custom or messages[exc.code])


def _text_field(data: dict, name: str, max_length: int | None = None) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value:
        raise BodyError(400, name, f"需要 {name}（非空字符串）")
    if max_length and len(value) > max_length:
        raise BodyError(400, name, f"{name} 过长（最多 {max_length} 个字符）")
    return value


@bp.post("/auth/token")
def token():  # rate-limited with the login page: diagnosis.rate_limits
    data = _json_body()
    if not isinstance(data, dict):
        raise BodyError(400, "(body)", "应为 JSON 对象，含 email 和 password")
    unknown = sorted(set(data) - {"email", "password"})
    if unknown:
        raise BodyError(400, unknown[0], "未知的键，只接受 email、password")
    email, password = _text_field(data, "email", EMAIL_MAX), _text_field(data, "password")
    user = authenticate(email, password)
    if user is None:
        return error(401, "邮箱或密码不正确")
    value, expires = issue_token(user, current_app.config["API_TOKEN_HOURS"])
    return jsonify(token=value, token_type="Bearer", expires_at=_iso(expires),
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
    payload = _json_body()
    try:
        return jsonify(score_payload(payload, catalog.library()))
    except ScoreInputError as exc:
        return error(400, str(exc), exc.key)


def _iso(moment: datetime | None) -> str | None:
    """RFC 3339 with an offset; SQLite hands back the stored UTC time without one."""
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).isoformat()


def _summary(d: Diagnosis) -> dict:
    result = d.result.data if d.result else None
    sme = (result or {}).get("sme")
    cmmm = (result or {}).get("cmmm")
    return {
        "id": d.id, "number": d.number, "status": d.status, "questionnaire": d.questionnaire_key,
        "enterprise": {"id": d.enterprise.id, "name": d.enterprise.name, "credit_code": d.enterprise.credit_code,
                       "area": d.enterprise.area.name, "industry_code": d.enterprise.industry_code},
        "created_at": _iso(d.created_at), "submitted_at": _iso(d.submitted_at),
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
    from ..reports.web.views import pdf_response, report_or_pending

    d = access.viewable_or_404(g.api_user, diagnosis_id)
    if not d.is_submitted:
        return error(409, "提交诊断后才能生成报告")
    pdf, pending = report_or_pending(d)
    if pdf is not None:
        return pdf_response(d, pdf)
    return jsonify(status=str(getattr(pending, "value", pending)), retry_after=2), 202, {"Retry-After": "2"}


@bp.get("/coverage")
@token_required
def coverage():
    """Diagnosis coverage against the roster, as the bureau page shows it (bureau and admin tokens;
    an area bureau gets its own area only)."""
    from ..accounts.models import Role
    from ..bureau.coverage import as_json, coverage as coverage_figures
    from ..bureau.rounds import find_round
    from ..reference.models import Area, Industry

    if g.api_user.role not in (Role.BUREAU, Role.ADMIN):
        return error(404, "未找到")
    area_code = request.args.get("area", "").strip()
    area_id = None
    if area_code:
        found = db.session.scalar(db.select(Area).where(Area.code == area_code))
        if found is None:
            return error(400, f"未知的县（市、区）代码 {area_code!r}", "area")
        area_id = found.id
    industry = request.args.get("industry", "").strip() or None
    if industry and db.session.get(Industry, industry) is None:
        return error(400, f"未知的行业代码 {industry!r}", "industry")
    rnd = find_round(request.args.get("round", "").strip())
    if rnd is None:
        return error(400, "未知的诊断轮次", "round")
    try:
        area_id = access.bureau_area_filter(g.api_user, area_id)
    except HTTPException:
        return error(404, "未找到")
    return jsonify(as_json(coverage_figures(rnd, area_id, industry)))


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document(catalog.library()))


from . import providers  # noqa: E402,F401  (sharing and review endpoints on this blueprint)

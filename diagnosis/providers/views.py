"""Solution providers: self-registration, approval (admin or city bureau), the directory
enterprises browse, and the provider's queue and review page."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import access
from ..accounts.models import ProviderOrganization, Role
from ..accounts.services import AccountError
from ..assessments import reviews, sharing, signals
from ..assessments.models import Diagnosis
from ..extensions import db
from ..reference.models import Area
from ..roles import role_required
from . import review_form, services
from .specialties import SPECIALTIES

bp = Blueprint("provider", __name__, url_prefix="/provider")


@bp.record_once
def _set_up(state) -> None:
    # A submitted revision goes to the organizations that asked for it (weak=False: module function).
    signals.diagnosis_submitted.connect(sharing.carry_shares_to_revision, weak=False)


@bp.app_context_processor
def _labels():
    def can_decide_providers() -> bool:     # the header's link to the approval page
        return current_user.is_authenticated and services.can_decide(current_user)
    return {"specialty_labels": SPECIALTIES, "can_decide_providers": can_decide_providers}


@bp.route("/")
@role_required(Role.PROVIDER)
def home():
    status = request.args.get("status") or None
    if status not in reviews.QUEUE_LABELS:
        status = None
    search = request.args.get("q", "")[:100]
    diagnoses = db.session.scalars(access.visible_diagnoses(current_user).order_by(Diagnosis.submitted_at.desc())).all()
    everything = reviews.queue(current_user, diagnoses)
    items = reviews.filtered(everything, status, search)
    counts = {key: sum(1 for i in everything if i.status == key) for key in reviews.QUEUE_LABELS}
    return render_template("provider/home.html", items=items, status=status, search=search, counts=counts,
                           labels=reviews.QUEUE_LABELS, organization=current_user.provider_organization)


@bp.route("/diagnoses/<int:diagnosis_id>/review", methods=["GET", "POST"])
@role_required(Role.PROVIDER)
def review(diagnosis_id: int):
    diagnosis = access.viewable_or_404(current_user, diagnosis_id)
    if not access.can_review(current_user, diagnosis):
        abort(404)
    form = review_form.as_form(reviews.working_copy(diagnosis, current_user))
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        data = review_form.read(request.form)
        action = request.form.get("action", "draft")
        try:
            if action == "publish":
                version = reviews.publish(diagnosis, current_user, data)
                flash(f"审阅意见（第 {version.version} 版）已发布，企业已收到通知；诊断报告将包含本版意见。", "success")
                return redirect(url_for("enterprise.result", diagnosis_id=diagnosis.id))
            if action == "return":
                reviews.publish(diagnosis, current_user, data, returned=True)
                flash("已退回企业补充说明，企业已收到通知。", "success")
                return redirect(url_for(".home"))
            reviews.save_draft(diagnosis, current_user, data)
            flash("草稿已保存（尚未发布，企业看不到）。", "success")
            return redirect(url_for(".review", diagnosis_id=diagnosis.id))
        except reviews.ReviewError as exc:
            errors[exc.field] = exc.message
            flash(f"{exc.message}（尚未保存，已填写的内容保留在下面）", "danger")
            form, status = review_form.from_input(data), 400
        except reviews.services.DiagnosisError as exc:
            flash(exc.message, "danger")
            form, status = review_form.from_input(data), 400
    else:
        sharing.opened(diagnosis, current_user, ip=request.remote_addr or "", what="review")
    return render_template("provider/review.html", diagnosis=diagnosis, form=form, errors=errors,
                           groups=review_form.answer_groups(diagnosis),
                           elements=reviews.maturity_elements(diagnosis),
                           recommendations=diagnosis.result.data.get("recommendations", []),
                           catalog=reviews.catalog_upgrades(diagnosis),
                           draft=reviews.draft_of(diagnosis, current_user),
                           versions=reviews.versions(diagnosis)), status


# ------------------------------------------------------------------ registration and approval

def _areas() -> list[Area]:
    return list(db.session.scalars(select(Area).order_by(Area.id)))


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    values = request.form.to_dict() if request.method == "POST" else {}
    errors: dict[str, str] = {}
    chosen = {"specialties": request.form.getlist("specialties"), "service_areas": request.form.getlist("service_areas")}
    if request.method == "POST":
        try:
            services.register_provider(services.ProviderRegistration(
                organization_name=values.get("organization_name", ""), credit_code=values.get("credit_code", ""),
                contact_name=values.get("contact_name", ""), contact_phone=values.get("contact_phone", ""),
                email=values.get("email", ""), password=values.get("password", ""),
                specialties=chosen["specialties"], service_areas=chosen["service_areas"],
                description=values.get("description", "")))
        except AccountError as exc:
            errors[exc.field] = exc.message
        else:
            flash("注册已提交。主管部门审核通过后，企业即可向贵单位分享诊断；现在可以用注册邮箱登录。", "success")
            return redirect(url_for("auth.login"))
    values.pop("password", None)
    return render_template("provider/register.html", values=values, chosen=chosen, errors=errors,
                           specialties=SPECIALTIES, areas=_areas()), (400 if errors else 200)


def _decider_or_404():
    if not services.can_decide(current_user):
        abort(404)


@bp.route("/organizations")
@login_required
def organizations():
    _decider_or_404()
    orgs = db.session.scalars(select(ProviderOrganization).order_by(
        ProviderOrganization.status != services.PENDING, ProviderOrganization.created_at.desc())).all()
    areas = {a.code: a.name for a in _areas()}
    return render_template("provider/organizations.html", orgs=orgs, areas=areas, labels=services.STATUS_LABELS)


@bp.route("/organizations/<int:organization_id>/decision", methods=["POST"])
@login_required
def decide(organization_id: int):
    _decider_or_404()
    org = db.session.get(ProviderOrganization, organization_id)
    if org is None:
        abort(404)
    approve = request.form.get("decision") == "approve"
    services.decide(org, current_user, approve, request.form.get("note", ""))
    flash(f"{org.name}：{'已审核通过' if approve else '已驳回'}。", "success")
    return redirect(url_for(".organizations"))


@bp.route("/directory")
@role_required(Role.ENTERPRISE)
def directory():
    specialty = request.args.get("specialty") or None
    area_code = request.args.get("area") or None
    areas = _areas()
    return render_template("provider/directory.html", orgs=services.directory(specialty, area_code),
                           specialty=specialty, area=area_code, areas=areas,
                           area_names={a.code: a.name for a in areas}, specialties=SPECIALTIES)

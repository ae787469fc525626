"""Solution providers: the diagnoses shared with them, and their review opinions."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from .. import access
from ..accounts.models import Role
from ..assessments import services
from ..assessments.models import Diagnosis
from ..extensions import db
from ..roles import role_required

bp = Blueprint("provider", __name__, url_prefix="/provider")


@bp.route("/")
@role_required(Role.PROVIDER)
def home():
    diagnoses = db.session.scalars(access.visible_diagnoses(current_user).order_by(Diagnosis.submitted_at.desc())).all()
    reviewed = {d.id: services.latest_review(d) for d in diagnoses}
    return render_template("provider/home.html", diagnoses=diagnoses, reviewed=reviewed)


@bp.route("/diagnoses/<int:diagnosis_id>/review", methods=["POST"])
@role_required(Role.PROVIDER)
def review(diagnosis_id: int):
    diagnosis = access.viewable_or_404(current_user, diagnosis_id)
    if not access.can_review(current_user, diagnosis):
        abort(404)
    try:
        services.add_review(diagnosis, current_user, request.form.get("opinion", ""))
    except services.DiagnosisError as exc:
        flash(exc.message, "danger")
    else:
        flash("诊断意见已保存，将出现在诊断报告中。", "success")
    return redirect(url_for("enterprise.result", diagnosis_id=diagnosis.id))

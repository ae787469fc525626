"""Report download: served from storage, rendered inline, or rendered in the background (RQ)."""
from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, render_template, url_for
from flask_login import current_user, login_required

from .. import access
from .storage import render_and_store, stored_report

bp = Blueprint("reports", __name__)


def pdf_response(diagnosis, pdf: bytes) -> Response:
    filename = f"{diagnosis.number}.pdf"
    return Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": f"inline; filename={filename}",
        "Cache-Control": "private, max-age=0"})


def report_or_pending(diagnosis):
    """(pdf bytes, None) when available now; (None, job status) when queued in the background."""
    stored = stored_report(diagnosis)
    if stored is not None:
        return stored.pdf, None
    if current_app.config.get("REDIS_URL"):
        from . import jobs
        from .render import template_hash
        job = jobs.enqueue(diagnosis.id, diagnosis.result.id, template_hash())
        return None, job.get_status(refresh=False)
    return render_and_store(diagnosis).pdf, None


@bp.route("/diagnoses/<int:diagnosis_id>/report.pdf")
@login_required
def download(diagnosis_id: int):
    diagnosis = access.viewable_or_404(current_user, diagnosis_id)
    if not diagnosis.is_submitted:
        return render_template("errors/message.html", title="尚未提交", message="提交诊断后才能生成报告。"), 409
    pdf, pending = report_or_pending(diagnosis)
    if pdf is not None:
        return pdf_response(diagnosis, pdf)
    return render_template("reports/pending.html", diagnosis=diagnosis,
                           status_url=url_for(".status", diagnosis_id=diagnosis.id)), 202


@bp.route("/diagnoses/<int:diagnosis_id>/report/status")
@login_required
def status(diagnosis_id: int):
    diagnosis = access.viewable_or_404(current_user, diagnosis_id)
    if stored_report(diagnosis) is not None:
        return jsonify(state="ready", url=url_for(".download", diagnosis_id=diagnosis.id))
    state = None
    if current_app.config.get("REDIS_URL") and diagnosis.result is not None:
        from . import jobs
        from .render import template_hash
        state = jobs.status(diagnosis.id, diagnosis.result.id, template_hash())
    return jsonify(state=str(state.value if hasattr(state, "value") else state) if state else "missing")

"""Report download: served from storage, waited for while a queued render runs, or rendered now.

Registering ``bp`` sets the reports up in the app: the result page gets its charts through
``assessments.signals.result_page``, a submitted diagnosis queues its report
(``assessments.signals.diagnosis_submitted``, ``jobs``), and a renderer failure is answered by a
Chinese page (503, retried in the background) instead of a server error.
"""
from __future__ import annotations

import hashlib
import logging
import re
from urllib.parse import quote

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request, url_for
from flask_login import current_user, login_required

from ... import access
from ...assessments import sharing, signals
from . import jobs
from .result_page import result_page_context
from .storage import ReportUnavailable, render_and_store, stored_report, stored_reports

log = logging.getLogger(__name__)

bp = Blueprint("reports", __name__)
RETRY_AFTER_SECONDS = 2
FAILED_RETRY_AFTER_SECONDS = 60


@bp.record_once
def _set_up(state) -> None:
    app = state.app
    # weak=False: module-level functions, connected once per process (blinker ignores repeats).
    signals.result_page.connect(_result_page, weak=False)
    signals.diagnosis_submitted.connect(_queue_on_submit, weak=False)
    signals.review_submitted.connect(_queue_on_review, weak=False)
    app.register_error_handler(ReportUnavailable, _unavailable)


def _result_page(diagnosis, **_):
    return result_page_context(diagnosis)


def _queue_on_submit(diagnosis, **_):
    app = current_app._get_current_object()
    if jobs.render_on_submit(app):
        jobs.queue_render(diagnosis, app)


def _queue_on_review(diagnosis, **_):
    _queue_on_submit(diagnosis)


def _unavailable(error: ReportUnavailable):
    """The renderer failed: the diagnosis stays submitted, its report is rendered again later."""
    from ...assessments.models import Diagnosis
    from ...extensions import db

    db.session.rollback()
    diagnosis = db.session.get(Diagnosis, error.diagnosis_id)
    if diagnosis is not None:
        try:
            jobs.retry_later(diagnosis)
        except Exception:  # noqa: BLE001 - the page must still answer
            log.exception("could not schedule a new render of diagnosis %s", error.diagnosis_id)
    headers = {"Retry-After": str(FAILED_RETRY_AFTER_SECONDS)}
    message = "报告暂时无法生成。您的诊断已提交并妥善保存，系统将在稍后自动重新生成报告，请过几分钟再下载。"
    if request.path.startswith("/api/"):
        return jsonify(error={"message": message}), 503, headers
    return render_template("reports/unavailable.html", message=message, diagnosis=diagnosis), 503, headers


# Characters no file system or browser accepts in a file name (and quotes, which would end it).
_NOT_IN_FILENAMES = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def report_filename(diagnosis) -> str:
    """``<企业名>-智能化转型诊断报告-<编号>.pdf``: what the saved file is called."""
    name = _NOT_IN_FILENAMES.sub("", diagnosis.enterprise.name).strip(" .") or "企业"
    return f"{name}-智能化转型诊断报告-{diagnosis.number}.pdf"


def pdf_response(diagnosis, pdf: bytes) -> Response:
    """The report as a download, with a strong ETag (its digest: the same result, template and review
    give the same bytes), answering a matching If-None-Match with 304 Not Modified. The Chinese file
    name goes in ``filename*`` (RFC 5987, UTF-8), with the diagnosis number as the plain-ASCII
    ``filename`` for clients that do not read it."""
    disposition = (f'attachment; filename="{diagnosis.number}.pdf"; '
                   f"filename*=UTF-8''{quote(report_filename(diagnosis), safe='')}")
    response = Response(pdf, mimetype="application/pdf", headers={
        "Content-Disposition": disposition, "Cache-Control": "private, max-age=0"})
    response.set_etag(hashlib.sha256(pdf).hexdigest()[:32])
    return response.make_conditional(request)


def report_or_pending(diagnosis):
    """(pdf bytes, None) when available now; (None, state) while a queued render runs.

    Raises ``ReportUnavailable`` when the report had to be rendered now and the renderer failed."""
    stored = stored_report(diagnosis)
    if stored is not None:
        return stored.pdf, None
    pending = jobs.pending_render(diagnosis)
    if pending is not None:
        return None, pending.state
    return render_and_store(diagnosis).pdf, None


@bp.route("/diagnoses/<int:diagnosis_id>/report.pdf")
@login_required
def download(diagnosis_id: int):
    diagnosis = access.viewable_or_404(current_user, diagnosis_id)
    if not diagnosis.is_submitted:
        return render_template("errors/message.html", title="尚未提交", message="提交诊断后才能生成报告。"), 409
    sharing.opened(diagnosis, current_user, ip=request.remote_addr or "", what="report")
    pdf, pending = report_or_pending(diagnosis)
    if pdf is not None:
        return pdf_response(diagnosis, pdf)
    return render_template("reports/pending.html", diagnosis=diagnosis,
                           status_url=url_for(".status", diagnosis_id=diagnosis.id)), 202, \
        {"Retry-After": str(RETRY_AFTER_SECONDS)}


@bp.route("/diagnoses/<int:diagnosis_id>/reports/<int:report_id>.pdf")
@login_required
def stored(diagnosis_id: int, report_id: int):
    """An earlier stored report, exactly as it was rendered (e.g. before a new review version)."""
    diagnosis = access.viewable_or_404(current_user, diagnosis_id)
    row = next((r for r in stored_reports(diagnosis) if r.id == report_id), None)
    if row is None:
        abort(404)
    return pdf_response(diagnosis, row.pdf)


@bp.route("/diagnoses/<int:diagnosis_id>/report/status")
@login_required
def status(diagnosis_id: int):
    """Where the report is: ``ready`` (with its URL), ``queued`` or ``started`` (with the number
    of RQ workers when rendering with RQ), or ``render`` (the download will render it now)."""
    diagnosis = access.viewable_or_404(current_user, diagnosis_id)
    url = url_for(".download", diagnosis_id=diagnosis.id)
    if diagnosis.result is None:
        return jsonify(state="missing", url=url)
    if stored_report(diagnosis) is not None:
        return jsonify(state="ready", url=url)
    pending = jobs.pending_render(diagnosis, enqueue=False)
    if pending is None:
        return jsonify(state="render", url=url)
    return jsonify(state=pending.state, url=url, workers=pending.workers, waited=round(pending.waited, 1))

"""Rendered reports, stored by (result, template hash, review version): served from storage after
the first render. A new published review makes a new report; the earlier ones stay retrievable.
The peer figures a report prints are the snapshot of the month its result was scored
(``peers.result_period``), so the result fixes them and the key needs nothing more for them."""
from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...assessments import reviews
from ...assessments.models import Diagnosis
from ...extensions import db
from ..engine.fingerprint import template_hash
from .inputs import report_input
from .models import StoredReport

log = logging.getLogger(__name__)


class ReportUnavailable(RuntimeError):
    """The report could not be rendered now (the renderer failed); it is retried later."""

    def __init__(self, diagnosis_id: int, reason: str):
        super().__init__(f"report of diagnosis {diagnosis_id} could not be rendered: {reason}")
        self.diagnosis_id = diagnosis_id
        self.reason = reason


def render_pdf(data) -> bytes:
    """The engine's render (imported on first use: the app never imports WeasyPrint at start)."""
    from ..engine.render import render_pdf as engine_render

    return engine_render(data)


def review_key(diagnosis: Diagnosis) -> str:
    """The published review version the report prints: its row id ("" when there is none)."""
    review = reviews.latest_review(diagnosis)
    return str(review.id) if review is not None else ""


def stored_report(diagnosis: Diagnosis) -> StoredReport | None:
    result = diagnosis.result
    if result is None:
        return None
    return db.session.scalar(select(StoredReport).where(
        StoredReport.result_id == result.id, StoredReport.template_hash == template_hash(),
        StoredReport.review_key == review_key(diagnosis)))


def stored_reports(diagnosis: Diagnosis) -> list[StoredReport]:
    """Every report stored for the diagnosis, newest first (earlier ones as they were rendered)."""
    return list(db.session.scalars(select(StoredReport).where(StoredReport.diagnosis_id == diagnosis.id)
                                   .order_by(StoredReport.id.desc())))


def render_and_store(diagnosis: Diagnosis) -> StoredReport:
    """Render the current result's report unless it is stored already; returns the stored row.

    Raises ``ReportUnavailable`` when the renderer fails (the diagnosis is not touched)."""
    existing = stored_report(diagnosis)
    if existing is not None:
        return existing
    result = diagnosis.result
    key = template_hash()
    reviewed = review_key(diagnosis)
    try:
        pdf = render_pdf(report_input(diagnosis, result))
    except Exception as error:
        log.exception("report of diagnosis %s could not be rendered", diagnosis.id)
        raise ReportUnavailable(diagnosis.id, f"{type(error).__name__}: {error}") from error
    row = StoredReport(diagnosis_id=diagnosis.id, result_id=result.id, scoring_version=result.scoring_version,
                       template_hash=key, review_key=reviewed, size=len(pdf), pdf=pdf)
    db.session.add(row)
    try:
        db.session.commit()
    except IntegrityError:          # rendered concurrently by another worker: keep theirs
        db.session.rollback()
        row = stored_report(diagnosis)
    return row

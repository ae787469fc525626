"""Rendered reports, stored by (result, template hash): served from storage after the first render."""
from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

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


def render_pdf(data, exclusive: bool = False) -> bytes:
    """The engine's render (imported on first use: the app never imports WeasyPrint at start)."""
    from ..engine.render import render_pdf as engine_render

    return engine_render(data, exclusive=exclusive)


def stored_report(diagnosis: Diagnosis) -> StoredReport | None:
    result = diagnosis.result
    if result is None:
        return None
    return db.session.scalar(select(StoredReport).where(
        StoredReport.result_id == result.id, StoredReport.template_hash == template_hash()))


def render_and_store(diagnosis: Diagnosis, exclusive: bool = False) -> StoredReport:
    """Render the current result's report unless it is stored already; returns the stored row.

    Raises ``ReportUnavailable`` when the renderer fails (the diagnosis is not touched)."""
    existing = stored_report(diagnosis)
    if existing is not None:
        return existing
    result = diagnosis.result
    key = template_hash()
    try:
        pdf = render_pdf(report_input(diagnosis, result), exclusive=exclusive)
    except Exception as error:
        log.exception("report of diagnosis %s could not be rendered", diagnosis.id)
        raise ReportUnavailable(diagnosis.id, f"{type(error).__name__}: {error}") from error
    row = StoredReport(diagnosis_id=diagnosis.id, result_id=result.id, scoring_version=result.scoring_version,
                       template_hash=key, size=len(pdf), pdf=pdf)
    db.session.add(row)
    try:
        db.session.commit()
    except IntegrityError:          # rendered concurrently by another worker: keep theirs
        db.session.rollback()
        row = stored_report(diagnosis)
    return row

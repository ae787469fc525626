"""Rendered reports, stored by (result, template hash): served from storage after the first render."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..assessments.models import Diagnosis
from ..extensions import db
from .inputs import report_input
from .models import StoredReport
from .render import render_pdf, template_hash


def stored_report(diagnosis: Diagnosis) -> StoredReport | None:
    result = diagnosis.result
    if result is None:
        return None
    return db.session.scalar(select(StoredReport).where(
        StoredReport.result_id == result.id, StoredReport.template_hash == template_hash()))


def render_and_store(diagnosis: Diagnosis) -> StoredReport:
    """Render the current result's report unless it is stored already; returns the stored row."""
    existing = stored_report(diagnosis)
    if existing is not None:
        return existing
    result = diagnosis.result
    pdf = render_pdf(report_input(diagnosis, result))
    row = StoredReport(diagnosis_id=diagnosis.id, result_id=result.id, scoring_version=result.scoring_version,
                       template_hash=template_hash(), size=len(pdf), pdf=pdf)
    db.session.add(row)
    try:
        db.session.commit()
    except IntegrityError:          # rendered concurrently by another worker: keep theirs
        db.session.rollback()
        row = stored_report(diagnosis)
    return row

"""Peer averages: maturity sub-domain scores of comparable enterprises, for the report and the
result page, read from a snapshot frozen per period (a calendar month).

The snapshot of a period is taken once, the first time it is needed, over the latest submitted
diagnoses of enterprises whose credit codes are on the bureau's roster, and keeps only groups of at
least ``MIN_PEERS``. Later submissions do not move it, and self-registered enterprises cannot join
a group, so an enterprise's scores cannot be recovered from the difference of two averages.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ...accounts.models import Enterprise
from ...assessments.models import Diagnosis, DiagnosisResult
from ...bureau.models import DiagnosisSummary, PeerSnapshot, RosterEntry
from ...extensions import db

MIN_PEERS = 5
TAKEN = "taken"            # the marker row that says a period's snapshot exists (even if empty)
BASES = (("industry", "同行业"), ("area", "同区域"))


def current_period(now: datetime | None = None) -> str:
    return (now or datetime.now(timezone.utc)).strftime("%Y-%m")


def take_snapshot(period: str) -> None:
    """Freeze the peer groups of ``period`` (no-op when already taken)."""
    if db.session.scalar(select(PeerSnapshot.id).where(PeerSnapshot.period == period,
                                                       PeerSnapshot.basis == TAKEN)) is not None:
        return
    latest_result = (select(DiagnosisResult.diagnosis_id, db.func.max(DiagnosisResult.id).label("rid"))
                     .group_by(DiagnosisResult.diagnosis_id).subquery())
    rows = db.session.execute(
        select(Enterprise.industry_code, Enterprise.area_id, DiagnosisResult.data)
        .select_from(DiagnosisSummary)
        .join(Enterprise, Enterprise.id == DiagnosisSummary.enterprise_id)
        .join(RosterEntry, RosterEntry.credit_code == Enterprise.credit_code)
        .join(latest_result, latest_result.c.diagnosis_id == DiagnosisSummary.diagnosis_id)
        .join(DiagnosisResult, DiagnosisResult.id == latest_result.c.rid)
        .where(DiagnosisSummary.is_latest.is_(True))).all()
    groups: dict[tuple[str, str], list[dict]] = {}
    for industry, area_id, data in rows:
        cmmm = (data or {}).get("cmmm")
        if not cmmm:
            continue
        groups.setdefault(("industry", industry), []).append(cmmm["subdomains"])
        groups.setdefault(("area", str(area_id)), []).append(cmmm["subdomains"])
    snapshot = [PeerSnapshot(period=period, basis=TAKEN, group_key="", count=len(rows), subdomains={})]
    for (basis, key), members in groups.items():
        if len(members) < MIN_PEERS:
            continue
        scores: dict[str, list[float]] = {}
        for subdomains in members:
            for sd_key, sd in subdomains.items():
                if sd.get("score") is not None:
                    scores.setdefault(sd_key, []).append(sd["score"])
        snapshot.append(PeerSnapshot(period=period, basis=basis, group_key=key, count=len(members),
                                     subdomains={k: round(sum(v) / len(v), 3) for k, v in scores.items()}))
    db.session.add_all(snapshot)
    try:
        db.session.commit()
    except IntegrityError:          # taken at the same moment by another process: theirs stands
        db.session.rollback()


def result_period(diagnosis: Diagnosis) -> str:
    """The snapshot period a diagnosis is compared in: the month its current result was scored. The
    result page and every report of that result show the same peers, so a stored report never goes
    stale and a re-render gives the same bytes."""
    result = diagnosis.result
    return current_period(result.created_at if result is not None and result.created_at else None)


def peer_averages(diagnosis: Diagnosis, period: str | None = None) -> dict | None:
    """The frozen average of the enterprise's industry (or else its area) in ``period`` (default:
    the month of the diagnosis's result), when the group had at least ``MIN_PEERS`` enterprises on
    the roster; None otherwise."""
    period = period or result_period(diagnosis)
    take_snapshot(period)
    ent = diagnosis.enterprise
    for (basis, label), key in zip(BASES, (ent.industry_code, str(ent.area_id))):
        row = db.session.scalar(select(PeerSnapshot).where(
            PeerSnapshot.period == period, PeerSnapshot.basis == basis, PeerSnapshot.group_key == key))
        if row is not None:
            return {"basis": label, "count": row.count, "period": period, "subdomains": dict(row.subdomains)}
    return None

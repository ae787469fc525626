"""Diagnosis rounds: the configured current round, or else the current calendar year."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import select

from ..extensions import db
from .models import DiagnosisRound


@dataclass(frozen=True)
class Round:
    name: str
    starts_on: date
    ends_on: date                      # inclusive

    @property
    def start(self) -> datetime:
        return datetime.combine(self.starts_on, time.min, tzinfo=timezone.utc)

    @property
    def end(self) -> datetime:         # exclusive
        return datetime.combine(self.ends_on + timedelta(days=1), time.min, tzinfo=timezone.utc)


def calendar_year(year: int) -> Round:
    return Round(f"{year}年度", date(year, 1, 1), date(year, 12, 31))


def _of(row: DiagnosisRound) -> Round:
    return Round(row.name, row.starts_on, row.ends_on)


def current_round(today: date | None = None) -> Round:
    row = db.session.scalar(select(DiagnosisRound).where(DiagnosisRound.is_current.is_(True)).limit(1))
    return _of(row) if row else calendar_year((today or date.today()).year)


def all_rounds() -> list[Round]:
    rows = db.session.scalars(select(DiagnosisRound).order_by(DiagnosisRound.starts_on.desc())).all()
    return [_of(r) for r in rows]


def find_round(name: str | None) -> Round | None:
    """The round called ``name`` (a configured one, or a calendar year such as "2025" or
    "2025年度"); the current round when empty; None when unknown."""
    if not name:
        return current_round()
    row = db.session.scalar(select(DiagnosisRound).where(DiagnosisRound.name == name))
    if row:
        return _of(row)
    year = name.removesuffix("年度")
    if year.isdigit() and len(year) == 4 and 2000 <= int(year) <= 2100:
        return calendar_year(int(year))
    return None


def save_round(name: str, starts_on: date, ends_on: date, make_current: bool) -> DiagnosisRound:
    """Add or change a round (the caller audits and commits)."""
    if ends_on < starts_on:
        raise ValueError("结束日期不能早于开始日期")
    row = db.session.scalar(select(DiagnosisRound).where(DiagnosisRound.name == name))
    if row is None:
        row = DiagnosisRound(name=name, starts_on=starts_on, ends_on=ends_on, is_current=False)
        db.session.add(row)
    row.starts_on, row.ends_on = starts_on, ends_on
    if make_current:
        db.session.execute(DiagnosisRound.__table__.update().values(is_current=False))
        row.is_current = True
    db.session.flush()
    return row


def previous_round(rnd: Round) -> Round:
    """The configured round that ended last before ``rnd`` began; else the calendar year before."""
    row = db.session.scalar(select(DiagnosisRound).where(DiagnosisRound.ends_on < rnd.starts_on)
                            .order_by(DiagnosisRound.ends_on.desc()).limit(1))
    return _of(row) if row else calendar_year(rnd.starts_on.year - 1)

"""Levels and indicators of the roster enterprises' latest diagnoses, against the plan's targets:
the digital grade and maturity level distribution per area, and the profile indicators summed or
weighted in SQL (key-process NC rate weighted by key processes, equipment networking rate)."""
from __future__ import annotations

from datetime import date

from sqlalchemy import and_, case, func, select

from ..accounts.models import Enterprise
from ..extensions import db
from ..reference.models import Area
from .coverage import targets_document
from .models import DiagnosisSummary, RosterEntry

SME_GRADES = [(0, "未达一级"), (1, "一级"), (2, "二级"), (3, "三级"), (4, "四级")]
CMMM_LEVELS = [(0, "未达一级"), (1, "一级"), (2, "二级"), (3, "三级"), (4, "四级"), (5, "五级")]


def _latest(area_id: int | None, industry_code: str | None):
    s = DiagnosisSummary.__table__
    query = (select(RosterEntry.area_id, s).select_from(RosterEntry.__table__)
             .join(Enterprise, Enterprise.credit_code == RosterEntry.credit_code)
             .join(s, and_(s.c.enterprise_id == Enterprise.id, s.c.is_latest.is_(True))))
    if area_id is not None:
        query = query.where(RosterEntry.area_id == area_id)
    if industry_code:
        query = query.where(RosterEntry.industry_code == industry_code)
    return query.subquery()


def distribution(area_id: int | None = None, industry_code: str | None = None) -> dict:
    """Per area in scope: how many roster enterprises' latest diagnosis reached each grade/level."""
    latest = _latest(area_id, industry_code)
    areas = select(Area.id, Area.name).order_by(Area.position)
    if area_id is not None:
        areas = areas.where(Area.id == area_id)
    area_rows = db.session.execute(areas).all()

    def table(column, scale):
        counts = {(a, v): n for a, v, n in db.session.execute(
            select(latest.c.area_id, column, func.count()).group_by(latest.c.area_id, column))}
        rows = [{"name": name, "counts": [counts.get((aid, v), 0) for v, _ in scale]} for aid, name in area_rows]
        total = [sum(r["counts"][i] for r in rows) for i in range(len(scale))]
        return {"labels": [label for _, label in scale], "rows": rows, "total": total}

    return {"sme": table(func.coalesce(latest.c.sme_grade, 0), SME_GRADES),
            "cmmm": table(func.coalesce(latest.c.cmmm_level, 0), CMMM_LEVELS)}


def indicators(area_id: int | None = None, industry_code: str | None = None) -> dict:
    """The plan's indicators measured over the latest diagnoses, each with its target."""
    latest = _latest(area_id, industry_code)
    c = latest.c
    row = db.session.execute(select(
        func.count(), func.sum(c.key_processes_nc), func.sum(c.key_processes_total),
        func.sum(c.equipment_networked), func.sum(c.equipment_total), func.sum(c.robots),
        func.sum(c.smart_lines), func.sum(c.smart_workshops),
        func.sum(case((c.on_cloud.is_(True), 1), else_=0)),
        func.sum(case((c.lianghua_status.in_(("benchmarked", "certified")), 1), else_=0)),
        func.sum(case((c.lianghua_status == "certified", 1), else_=0)))).one()
    n, nc, kp, net, eq, robots, lines, workshops, cloud, bench, cert = (v or 0 for v in row)
    measured = {"nc_rate": nc / kp if kp else None, "networking": net / eq if eq else None,
                "robots": robots, "smart_lines": lines, "smart_factories": workshops,
                "cloud_enterprises": cloud, "lianghua_benchmarked": bench, "lianghua_certified": cert}
    doc = targets_document()
    rows = []
    for ind in doc["indicators"]:
        if ind["key"] not in measured:
            continue
        value, target = measured[ind["key"]], ind["target"]
        rows.append({"key": ind["key"], "name": ind["name"], "unit": ind["unit"], "value": value,
                     "target": target, "of_target": (value / target) if value is not None and target else None,
                     "note": ind.get("note", "")})
    plan = doc["plan"]
    valid_to = date.fromisoformat(plan["valid_to"])
    return {"diagnosed": n, "rows": rows, "plan": plan, "expired": date.today() > valid_to}


def monthly(rnd, area_id: int | None = None, industry_code: str | None = None) -> list[dict]:
    """Roster enterprises submitting per month of the round (an enterprise once per month)."""
    from sqlalchemy import extract
    s = DiagnosisSummary.__table__
    year, month = extract("year", s.c.submitted_at), extract("month", s.c.submitted_at)
    query = (select(year, month, func.count(func.distinct(s.c.enterprise_id))).select_from(s)
             .join(Enterprise, Enterprise.id == s.c.enterprise_id)
             .join(RosterEntry, RosterEntry.credit_code == Enterprise.credit_code)
             .where(s.c.submitted_at >= rnd.start, s.c.submitted_at < rnd.end)
             .group_by(year, month).order_by(year, month))
    if area_id is not None:
        query = query.where(RosterEntry.area_id == area_id)
    if industry_code:
        query = query.where(RosterEntry.industry_code == industry_code)
    return [{"label": f"{int(y)}-{int(m):02d}", "value": n} for y, m, n in db.session.execute(query)]

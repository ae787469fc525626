"""Diagnosis coverage: above-scale enterprises registered vs. those with a submitted diagnosis."""
from __future__ import annotations

from sqlalchemy import func, select

from ..accounts.models import Enterprise
from ..assessments.models import SUBMITTED, Diagnosis
from ..extensions import db
from ..reference.models import Area, Industry


def coverage(area_id: int | None = None) -> dict:
    diagnosed = select(Diagnosis.enterprise_id).where(Diagnosis.status == SUBMITTED).distinct().scalar_subquery()
    base = select(Enterprise).where(Enterprise.above_scale.is_(True))
    if area_id is not None:
        base = base.where(Enterprise.area_id == area_id)
    sub = base.subquery()

    def tally(group_col, label_col, join_model, on):
        rows = db.session.execute(
            select(label_col, func.count(sub.c.id), func.count(sub.c.id).filter(sub.c.id.in_(diagnosed)))
            .select_from(sub).join(join_model, on).group_by(label_col, group_col).order_by(group_col)
        ).all()
        return [{"name": name, "enterprises": total, "diagnosed": done,
                 "rate": (done / total) if total else None} for name, total, done in rows]

    by_area = tally(Area.position, Area.name, Area, Area.id == sub.c.area_id)
    by_industry = tally(Industry.code, Industry.name, Industry, Industry.code == sub.c.industry_code)
    total = sum(r["enterprises"] for r in by_area)
    done = sum(r["diagnosed"] for r in by_area)
    return {"enterprises": total, "diagnosed": done, "rate": (done / total) if total else None,
            "by_area": by_area, "by_industry": by_industry}

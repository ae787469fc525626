"""Diagnosis coverage against the official roster, and the bureau's enterprise list; all
aggregation in SQL. The figures of the page, the exports and the API come from here."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, String, and_, case, exists, func, literal, or_, select, union_all

from .. import catalog
from ..accounts.models import Enterprise, ProviderOrganization
from ..assessments.models import DRAFT, REVIEW_PUBLISHED, Diagnosis, Review
from ..extensions import db
from ..reference.models import Area, Industry
from .models import DiagnosisSummary, RosterEntry
from .rounds import Round

STATUSES = {"unregistered": "未注册", "registered": "已注册未填写", "drafting": "填写中", "diagnosed": "本轮已诊断"}


def targets_document() -> dict:
    """The plan's targets (questionnaires/targets.yaml, checked by the loader)."""
    return catalog.library().single("targets").data


def coverage_target() -> float | None:
    return next((i["target"] for i in targets_document()["indicators"] if i["key"] == "diagnosis_coverage"), None)


def _joined(rnd: Round):
    """The roster joined with, per row: the matching registered enterprise (by credit code), whether
    it has a draft in progress, and whether it submitted a diagnosis in the round (a resubmission
    counts once). Joins against the two sets of enterprise ids, not a subquery per row."""
    e = Enterprise.__table__
    drafts = (select(Diagnosis.enterprise_id.label("eid")).where(Diagnosis.status == DRAFT)
              .group_by(Diagnosis.enterprise_id).subquery("drafts"))
    done = (select(DiagnosisSummary.enterprise_id.label("eid"))
            .where(DiagnosisSummary.submitted_at >= rnd.start, DiagnosisSummary.submitted_at < rnd.end)
            .group_by(DiagnosisSummary.enterprise_id).subquery("done"))
    joined = (RosterEntry.__table__.outerjoin(e, e.c.credit_code == RosterEntry.credit_code)
              .outerjoin(drafts, drafts.c.eid == e.c.id).outerjoin(done, done.c.eid == e.c.id))
    return joined, e, drafts.c.eid.isnot(None), done.c.eid.isnot(None)


def _scoped(query, area_id: int | None, industry_code: str | None):
    if area_id is not None:
        query = query.where(RosterEntry.area_id == area_id)
    if industry_code:
        query = query.where(RosterEntry.industry_code == industry_code)
    return query


def _row(name, roster, registered, drafting, diagnosed, target, **extra) -> dict:
    rate = diagnosed / roster if roster else None
    return {"name": name, "roster": roster, "registered": registered, "drafting": drafting,
            "diagnosed": diagnosed, "rate": rate, "target": target,
            "of_target": (rate / target) if rate is not None and target else None, **extra}


def coverage(rnd: Round, area_id: int | None = None, industry_code: str | None = None) -> dict:
    """Roster size, registered, drafting and diagnosed-in-round per area (every area in scope,
    those with nobody registered included), per industry, and in total: one statement, the roster
    rows' flags computed once (a CTE) and counted three ways."""
    joined, e, drafting, diagnosed = _joined(rnd)
    flags = _scoped(select(RosterEntry.id, RosterEntry.area_id, RosterEntry.industry_code,
                           e.c.id.label("eid"),
                           case((drafting, 1), else_=0).label("drafting"),
                           case((diagnosed, 1), else_=0).label("diagnosed")).select_from(joined),
                    area_id, industry_code).cte("flags")
    figures = (func.count(flags.c.id), func.count(flags.c.eid),
               func.coalesce(func.sum(flags.c.drafting), 0), func.coalesce(func.sum(flags.c.diagnosed), 0))
    by = union_all(
        select(literal("area").label("kind"), func.cast(flags.c.area_id, String).label("key"), *figures)
        .group_by(flags.c.area_id),
        select(literal("industry"), flags.c.industry_code, *figures).group_by(flags.c.industry_code),
        select(literal("total"), literal(""), *figures))
    counted = {(kind, key): tuple(int(n) for n in nums) for kind, key, *nums in db.session.execute(by)}
    target = coverage_target()
    areas = select(Area.id, Area.code, Area.name).order_by(Area.position)
    if area_id is not None:
        areas = areas.where(Area.id == area_id)
    zero = (0, 0, 0, 0)
    by_area = [_row(name, *counted.get(("area", str(aid)), zero), target, id=aid, code=code)
               for aid, code, name in db.session.execute(areas)]
    names = dict(db.session.execute(select(Industry.code, Industry.name)).all())
    by_industry = [_row(names[key], *nums, target, code=key)
                   for (kind, key), nums in sorted(counted.items()) if kind == "industry"]
    return {"round": rnd, "target": target, "total": _row("合计", *counted.get(("total", ""), zero), target),
            "by_area": by_area, "by_industry": by_industry}


@dataclass
class ListFilter:
    area_id: int | None = None
    industry_code: str | None = None
    q: str = ""
    status: str = ""               # a key of STATUSES, or "todo" (every one not diagnosed in the round)
    grade: int | None = None       # digital grade of the latest diagnosis
    reviewed: str = ""             # "yes" / "no": the latest diagnosis has a provider's review or not
    sort: str = "name"


SORTS = {"name": "name", "credit_code": "credit_code", "area": "area_position",
         "submitted": "submitted_at", "grade": "sme_grade", "level": "cmmm_level"}


def _latest_review(column, diagnosis_id):
    """``column`` of the newest published review of the diagnosis (a correlated subquery)."""
    return (select(column).select_from(Review)
            .outerjoin(ProviderOrganization, ProviderOrganization.id == Review.organization_id)
            .where(Review.diagnosis_id == diagnosis_id, Review.status == REVIEW_PUBLISHED)
            .order_by(Review.version.desc()).limit(1).scalar_subquery())


def verified_gap(levels: dict | None) -> str:
    """The gap between self-assessed and verified levels a published review found, in words:
    "核实后成熟度一级（自评二级）", "与自评一致", or "" when there is no review."""
    if not levels:
        return ""
    own, found = levels.get("self") or {}, levels.get("verified") or {}
    gaps = []
    for part, name, label in (("sme", "数字化水平", "grade_label"), ("cmmm", "成熟度", "level_label")):
        mine, theirs = (own.get(part) or {}).get(label), (found.get(part) or {}).get(label)
        if mine and theirs and mine != theirs:
            gaps.append(f"核实后{name}{theirs}（自评{mine}）")
    return "；".join(gaps) or "核实后等级与自评一致"


def enterprise_rows(rnd: Round, flt: ListFilter) -> Select:
    """One row per roster enterprise: its registration, status in the round and latest diagnosis."""
    joined, e, drafting, diagnosed = _joined(rnd)
    s = DiagnosisSummary.__table__.alias("latest")
    status = case((diagnosed, "diagnosed"), (drafting, "drafting"), (e.c.id.isnot(None), "registered"),
                  else_="unregistered")
    inner = (select(RosterEntry.id, RosterEntry.credit_code, RosterEntry.name, Area.name.label("area"),
                    Area.position.label("area_position"), RosterEntry.industry_code,
                    Industry.name.label("industry"), literal("规上").label("scale"),
                    RosterEntry.contact_name, RosterEntry.contact_phone, e.c.id.label("enterprise_id"),
                    status.label("status"), s.c.diagnosis_id, s.c.submitted_at, s.c.sme_grade, s.c.sme_label,
                    s.c.cmmm_level, s.c.cmmm_label,
                    _latest_review(ProviderOrganization.name, s.c.diagnosis_id).label("reviewed_by"),
                    _latest_review(Review.verified, s.c.diagnosis_id).label("review_levels"))
             .select_from(joined
                          .join(Area, Area.id == RosterEntry.area_id)
                          .join(Industry, Industry.code == RosterEntry.industry_code)
                          .outerjoin(s, and_(s.c.enterprise_id == e.c.id, s.c.is_latest.is_(True)))))
    inner = _scoped(inner, flt.area_id, flt.industry_code)
    q = (flt.q or "").strip()
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        inner = inner.where(or_(RosterEntry.name.ilike(pattern, escape="\\"),
                                RosterEntry.credit_code.like(q.upper().replace("%", "") + "%")))
    if flt.grade is not None:
        inner = inner.where(s.c.sme_grade == flt.grade)
    if flt.reviewed in ("yes", "no"):
        reviewed = exists().where(Review.diagnosis_id == s.c.diagnosis_id, Review.status == REVIEW_PUBLISHED)
        inner = inner.where(reviewed if flt.reviewed == "yes" else and_(s.c.diagnosis_id.isnot(None), ~reviewed))
    sub = inner.subquery()
    query = select(sub)
    if flt.status == "todo":
        query = query.where(sub.c.status != "diagnosed")
    elif flt.status in STATUSES:
        query = query.where(sub.c.status == flt.status)
    key = SORTS.get(flt.sort, "name")
    column = sub.c[key]
    order = [column.desc().nulls_last() if key in ("submitted_at", "sme_grade", "cmmm_level") else column]
    return query.order_by(*order, sub.c.id)


def count_rows(query: Select) -> int:
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))


def page(query: Select, number: int, size: int = 50) -> tuple[list, int]:
    """One page of rows and the number of all rows, in one statement (a window count) unless the
    page is past the end."""
    rows = db.session.execute(query.add_columns(func.count().over().label("total_rows"))
                              .limit(size).offset(max(number - 1, 0) * size)).all()
    total = rows[0].total_rows if rows else count_rows(query)
    return rows, total


FIGURES = ("roster", "registered", "drafting", "diagnosed", "rate", "of_target")


def as_json(figures: dict) -> dict:
    """The coverage figures as the API gives them (the same numbers as the page)."""
    rnd = figures["round"]

    def row(r: dict, key: str | None = None) -> dict:
        out = {k: r[k] for k in FIGURES}
        if key:
            out = {"code": r[key], "name": r["name"], **out}
        return out
    return {"round": {"name": rnd.name, "starts_on": rnd.starts_on.isoformat(), "ends_on": rnd.ends_on.isoformat()},
            "target": figures["target"], "total": row(figures["total"]),
            "by_area": [row(r, "code") for r in figures["by_area"]],
            "by_industry": [row(r, "code") for r in figures["by_industry"]]}

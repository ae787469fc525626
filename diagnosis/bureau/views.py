"""Bureau area: coverage against the roster, the enterprise lists and their exports, the roster
import. What a bureau user sees is limited by ``access.bureau_area`` (its area, or the city)."""
from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, abort, flash, render_template, request
from flask_login import current_user
from sqlalchemy import func, select

from .. import access
from ..accounts.models import Role
from ..assessments import reviews
from ..assessments.models import Diagnosis
from ..audit.services import record, register_actions
from ..extensions import db
from ..reference.models import Area, Industry
from ..roles import role_required
from . import roster as roster_service
from . import tables
from .coverage import STATUSES, ListFilter, coverage, enterprise_rows, page, verified_gap
from .exports import to_csv, to_xlsx
from .models import RosterEntry
from .rounds import all_rounds, find_round
from .summary import record_submission

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

bp = Blueprint("bureau", __name__, url_prefix="/bureau")
PAGE_SIZE = 50

register_actions(**{"roster.import": "导入规上企业名录", "bureau.export": "导出企业清单"})


@bp.record_once
def _set_up(state) -> None:
    from ..assessments import signals
    signals.diagnosis_submitted.connect(record_submission, weak=False)


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def _round():
    rnd = find_round(request.args.get("round", "").strip())
    if rnd is None:
        abort(404)
    return rnd


def _area_arg() -> int | None:
    return access.bureau_area_filter(current_user, _int_arg("area"))


def _industry_arg() -> str | None:
    code = request.args.get("industry", "").strip()
    if code and db.session.get(Industry, code) is None:
        abort(404)
    return code or None


def _filter() -> ListFilter:
    return ListFilter(area_id=_area_arg(), industry_code=_industry_arg(), q=request.args.get("q", "")[:100],
                      status=request.args.get("status", ""), grade=_int_arg("grade"),
                      reviewed=request.args.get("reviewed", ""),
                      sort=request.args.get("sort", "name"))


def _choices() -> dict:
    own = access.bureau_area(current_user)
    areas = db.session.scalars(select(Area).order_by(Area.position)).all()
    return {"areas": [a for a in areas if own is None or a.id == own],
            "industries": db.session.scalars(select(Industry).order_by(Industry.code)).all(),
            "rounds": all_rounds(), "statuses": STATUSES}


@bp.route("/")
@role_required(Role.BUREAU, Role.ADMIN)
def home():
    rnd = _round()
    figures = coverage(rnd, _area_arg(), _industry_arg())
    return render_template("bureau/home.html", coverage=figures, rnd=rnd, **_choices())


@bp.route("/levels")
@role_required(Role.BUREAU, Role.ADMIN)
def levels():
    from ..reports.content.charts import bars_svg
    from .levels import distribution, indicators, monthly
    from .rounds import previous_round

    area_id, industry = _area_arg(), _industry_arg()
    rnd = _round()
    dist, ind = distribution(area_id, industry), indicators(area_id, industry)
    previous = previous_round(rnd)
    now, before = coverage(rnd, area_id, industry), coverage(previous, area_id, industry)
    change = [{"name": a["name"], "before": b["diagnosed"], "now": a["diagnosed"], "rate_before": b["rate"],
               "rate_now": a["rate"]} for a, b in zip(now["by_area"], before["by_area"])]
    months = monthly(rnd, area_id, industry)
    peak = max([m["value"] for m in months] or [1])
    trend_chart = bars_svg([dict(m, max=peak) for m in months], label_width=70) if months else None
    charts = {key: bars_svg([{"label": label, "value": n, "max": max(sum(dist[key]["total"]), 1)}
                             for label, n in zip(dist[key]["labels"], dist[key]["total"])], label_width=90)
              for key in ("sme", "cmmm")}
    indicator_chart = bars_svg([{"label": r["name"][:12], "value": r["value"] or 0, "max": r["target"]}
                                for r in ind["rows"] if r["target"]], label_width=200)
    return render_template("bureau/levels.html", dist=dist, ind=ind, charts=charts, indicator_chart=indicator_chart,
                           rnd=rnd, previous=previous, change=change, trend_chart=trend_chart, **_choices())


@bp.route("/enterprises")
@role_required(Role.BUREAU, Role.ADMIN)
def enterprises():
    rnd = _round()
    flt = _filter()
    number = _int_arg("page") or 1
    rows, total = page(enterprise_rows(rnd, flt), number, PAGE_SIZE)
    pages = max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)
    return render_template("bureau/enterprises.html", rows=rows, total=total, page=number, pages=pages,
                           flt=flt, rnd=rnd, verified_gap=verified_gap, **_choices())


@bp.route("/enterprises/<int:enterprise_id>")
@role_required(Role.BUREAU, Role.ADMIN)
def history(enterprise_id: int):
    """One enterprise's submitted diagnoses, newest first, with levels and who reviewed them."""
    enterprise = access.enterprise_in_scope_or_404(current_user, enterprise_id)
    diagnoses = db.session.scalars(access.visible_diagnoses(current_user)
                                   .where(Diagnosis.enterprise_id == enterprise.id)
                                   .order_by(Diagnosis.submitted_at.desc())).all()
    return render_template("bureau/history.html", enterprise=enterprise, diagnoses=diagnoses,
                           reviews={d.id: reviews.latest_review(d) for d in diagnoses})


EXPORTS = {"areas": "按县（市、区）覆盖情况", "industries": "按行业覆盖情况", "enterprises": "企业清单", "todo": "待诊断企业"}


@bp.route("/export/<table>.<fmt>")
@role_required(Role.BUREAU, Role.ADMIN)
def export(table: str, fmt: str):
    if table not in EXPORTS or fmt not in ("xlsx", "csv"):
        abort(404)
    rnd = _round()
    title = f"{EXPORTS[table]}（{rnd.name}）"
    if table in ("areas", "industries"):
        figures = coverage(rnd, _area_arg(), _industry_arg())
        rows, columns = figures["by_area" if table == "areas" else "by_industry"] + [figures["total"]], tables.COVERAGE
    else:
        flt = _filter()
        if table == "todo":
            flt.status = "todo"
        rows, columns = db.session.execute(enterprise_rows(rnd, flt)).all(), tables.ENTERPRISES
        record(current_user, "bureau.export", table=table, rows=len(rows), ip=request.remote_addr or "")
        db.session.commit()
    if fmt == "xlsx":
        body = to_xlsx(EXPORTS[table], columns, rows)
        mimetype = XLSX_MIMETYPE
    else:
        body = to_csv(columns, rows)
        mimetype = "text/csv; charset=utf-8"
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f"attachment; filename={table}.{fmt}; filename*=UTF-8''{quote(title)}.{fmt}"})


def _roster_manager():
    """Importing the roster is for the city bureau and the admin (it replaces the city's list)."""
    if access.bureau_area(current_user) is not None:
        abort(404)


@bp.route("/roster", methods=["GET", "POST"])
@role_required(Role.BUREAU, Role.ADMIN)
def roster():
    _roster_manager()
    outcome, problem = None, None
    if request.method == "POST":
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            problem = "请选择要导入的 CSV 或 XLSX 文件"
        else:
            try:
                outcome = roster_service.import_roster(upload.filename, upload.read())
            except roster_service.RosterFileError as exc:
                problem = str(exc)
            else:
                if outcome.ok:
                    record(current_user, "roster.import", filename=upload.filename[:200], rows=outcome.rows,
                           added=outcome.added, updated=outcome.updated, unchanged=outcome.unchanged,
                           removed=outcome.removed, ip=request.remote_addr or "")
                    db.session.commit()
                    flash(f"名录已导入：新增 {outcome.added} 家，更新 {outcome.updated} 家，未变 {outcome.unchanged} 家，"
                          f"移除 {outcome.removed} 家", "ok")
                else:
                    db.session.rollback()
    size = db.session.scalar(select(func.count(RosterEntry.id)))
    off_roster = db.session.scalars(roster_service.registered_off_roster().limit(200)).all()
    return render_template("bureau/roster.html", outcome=outcome, problem=problem, size=size,
                           off_roster=off_roster), (400 if problem or (outcome and not outcome.ok) else 200)


@bp.route("/roster/template.csv", defaults={"fmt": "csv"})
@bp.route("/roster/template.xlsx", defaults={"fmt": "xlsx"})
@role_required(Role.BUREAU, Role.ADMIN)
def roster_template(fmt: str):
    _roster_manager()
    mimetype = XLSX_MIMETYPE if fmt == "xlsx" else "text/csv; charset=utf-8"
    return Response(roster_service.template(fmt), mimetype=mimetype,
                    headers={"Content-Disposition": f"attachment; filename=roster-template.{fmt}"})


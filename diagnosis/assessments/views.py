"""Enterprise area: home, the staged form, submit, result, sharing."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .. import access, catalog
from ..accounts.models import Role
from ..extensions import db
from ..ids import database_id
from ..roles import role_required
from ..scoring import ScoreInputError
from ..providers import services as provider_services
from . import confirmation, reviews, services, sharing, signals
from .forms import StagePage, attach_conflicts, attach_error, collect, conflict_message, specs_for
from .models import Diagnosis
from .stages import LEVEL_NAMES, cmmm_progress, stage_by_key, stages

bp = Blueprint("enterprise", __name__)


@bp.route("/enterprise")
@role_required(Role.ENTERPRISE)
def home():
    diagnoses = db.session.scalars(access.visible_diagnoses(current_user).order_by(Diagnosis.id.desc())).all()
    # Drafts by when they were last saved, submitted ones by when they were submitted: newest first.
    drafts = sorted((d for d in diagnoses if not d.is_submitted), key=lambda d: d.updated_at, reverse=True)
    submitted = sorted((d for d in diagnoses if d.is_submitted), key=lambda d: d.submitted_at, reverse=True)
    suites = [d for d in catalog.library().of_kind("suite")]
    suites.sort(key=lambda d: d.key != services.DEFAULT_QUESTIONNAIRE)
    return render_template("enterprise/home.html", drafts=drafts, submitted=submitted, suites=suites,
                           progress={d.id: services.progress(d) for d in drafts},
                           returned={d.id for d in submitted if reviews.latest_return(d)})


@bp.route("/diagnoses/new", methods=["POST"])
@role_required(Role.ENTERPRISE)
def new():
    # One open draft at a time: "开始诊断" leads to it; another one only when asked for explicitly.
    try:
        diagnosis, started = services.open_or_start(
            current_user, request.form.get("questionnaire") or services.DEFAULT_QUESTIONNAIRE,
            another=request.form.get("another") == "1")
    except services.DiagnosisError as exc:
        flash(exc.message, "danger")
        return redirect(url_for(".home"))
    if not started:
        flash(f"您有一份尚未提交的诊断（{diagnosis.number}），已为您打开，从上次中断处继续。"
              f"如确需另开一份，请在首页点击“另开一份新的诊断”。", "info")
        return redirect(url_for(".resume", diagnosis_id=diagnosis.id))
    first = stages(services.documents(diagnosis))[0]
    return redirect(url_for(".stage", diagnosis_id=diagnosis.id, stage_key=first.key))


@bp.route("/diagnoses/<int:diagnosis_id>/continue")
@role_required(Role.ENTERPRISE)
def resume(diagnosis_id: int):
    diagnosis = access.viewable_or_404(current_user, diagnosis_id)
    if diagnosis.is_submitted:
        return redirect(url_for(".result", diagnosis_id=diagnosis.id))
    docs = services.documents(diagnosis)
    for item in services.progress(diagnosis, docs):
        if not item["done"]:
            return redirect(url_for(".stage", diagnosis_id=diagnosis.id, stage_key=item["stage"].key))
    return redirect(url_for(".confirm", diagnosis_id=diagnosis.id))


def _editable(diagnosis_id: int) -> Diagnosis | None:
    diagnosis = access.viewable_or_404(current_user, diagnosis_id)
    if diagnosis.is_submitted:
        flash("该诊断已提交，答案不能再修改。如需更新，请在首页开始新的诊断（会带入上次的企业概况）。", "warning")
        return None
    if not access.can_edit(current_user, diagnosis):
        abort(404)
    return diagnosis


@bp.route("/diagnoses/<int:diagnosis_id>/delete", methods=["GET", "POST"])
@role_required(Role.ENTERPRISE)
def delete(diagnosis_id: int):
    """A draft is deleted after a confirmation page; a submitted diagnosis never is."""
    diagnosis = _editable(diagnosis_id)
    if diagnosis is None:
        return redirect(url_for(".result", diagnosis_id=diagnosis_id))
    if request.method == "POST" and request.form.get("confirm") != "1":
        return redirect(url_for(".delete", diagnosis_id=diagnosis_id))     # only the confirm button deletes
    if request.method == "POST":  # CSRF checked by CSRFProtect before the view runs
        try:
            number = services.delete_draft(current_user, diagnosis, ip=request.remote_addr or "")
        except services.AlreadySubmitted:
            flash("该诊断已提交，不能删除。", "warning")
            return redirect(url_for(".result", diagnosis_id=diagnosis_id))
        flash(f"诊断草稿 {number} 已删除。", "success")
        return redirect(url_for(".home"))
    return render_template("enterprise/delete.html", diagnosis=diagnosis, progress=services.progress(diagnosis))


@bp.route("/diagnoses/<int:diagnosis_id>/stages/<stage_key>", methods=["GET", "POST"])
@role_required(Role.ENTERPRISE)
def stage(diagnosis_id: int, stage_key: str):
    diagnosis = _editable(diagnosis_id)
    if diagnosis is None:
        return redirect(url_for(".result", diagnosis_id=diagnosis_id))
    docs = services.documents(diagnosis)
    current = stage_by_key(docs, stage_key)
    if current is None:
        abort(404)
    all_stages = stages(docs)
    position = all_stages.index(current)
    level = cmmm = None
    if current.kind == "cmmm":
        if not diagnosis.profile.get("industry_type"):
            flash("请先在“企业概况”中选择生产类型（离散型或流程型），成熟度评估按此裁剪。", "warning")
            return redirect(url_for(".stage", diagnosis_id=diagnosis.id, stage_key=all_stages[0].key))
        cmmm = cmmm_progress(docs, diagnosis.profile, diagnosis.answers)
        level = request.args.get("level", type=int) or cmmm.next_level or cmmm.asked_up_to
        level = max(1, min(level, cmmm.asked_up_to))
    specs = specs_for(docs, current, diagnosis.profile, level)
    stored = {"profile": diagnosis.profile, "answers": diagnosis.answers}
    page = StagePage(specs, stored, diagnosis.profile, formdata=request.form if request.method == "POST" else None,
                     docs=docs)
    version, status = diagnosis.version, 200
    if request.method == "POST":     # CSRF checked by CSRFProtect before the view runs
        seen = _seen_version()
        version = diagnosis.version if seen is None else seen   # a re-shown page keeps what it was rendered at
        action, target = _action()
        values, ok = collect(page, require=(action == "next"))
        if ok:
            try:
                services.save_stage(diagnosis, values, seen_version=seen, docs=docs)
            except ScoreInputError as exc:
                if not attach_error(page, exc):
                    flash(exc.message, "danger")
            except services.StageConflict as exc:
                flash(conflict_message(specs, exc.conflicts), "danger")
                attach_conflicts(page, exc.conflicts)
                version, status = exc.version, 409
            except services.DiagnosisError as exc:
                flash(exc.message, "danger")
                return redirect(url_for(".result", diagnosis_id=diagnosis_id))
            else:
                return _after_save(diagnosis, diagnosis_id, docs, all_stages, position, level, action, target)
        if status != 409 and not page.errors:
            flash("本页有需要更正的地方，本页内容尚未保存；之前保存的内容不受影响。", "danger")
    return render_template(
        "enterprise/stage.html", diagnosis=diagnosis, stage=current, stages=all_stages, position=position,
        progress=services.progress(diagnosis, docs, cmmm if request.method == "GET" else None), page=page,
        level=level, cmmm=cmmm, level_names=LEVEL_NAMES, version=version, conflict=status == 409), status


def _seen_version() -> int | None:
    """The diagnosis version the posted page was rendered at (None from a client that sends none)."""
    raw = request.form.get("version", "")
    return int(raw) if raw.isascii() and raw.isdigit() else None


def _action() -> tuple[str, str]:
    """The button that posted the page: next, back, save, or goto:<stage>[:<level>] / goto:submit
    from the step bar, which saves like "save" (no required-field checks) and then goes there."""
    action, _, target = request.form.get("action", "next").partition(":")
    return (action, target) if action in ("next", "back", "save", "goto") else ("next", "")


def _goto(diagnosis_id: int, docs, target: str):
    key, _, level = target.partition(":")
    if key == "submit":
        return redirect(url_for(".confirm", diagnosis_id=diagnosis_id))
    if stage_by_key(docs, key) is None:
        return redirect(url_for(".resume", diagnosis_id=diagnosis_id))
    return redirect(url_for(".stage", diagnosis_id=diagnosis_id, stage_key=key,
                            level=int(level) if level.isascii() and level.isdigit() else None))


def _after_save(diagnosis, diagnosis_id, docs, all_stages, position, level, action, target):
    """Where a saved page goes. After the commit the diagnosis is read again only when needed
    (the maturity stage's next level depends on the answers just saved)."""
    here = all_stages[position]
    if action == "goto":
        return _goto(diagnosis_id, docs, target)
    if action == "save":
        flash("已暂存。可以随时从首页继续填写。", "success")
        return redirect(request.full_path if request.query_string else request.path)
    if action == "back":
        if here.kind == "cmmm" and level and level > 1:
            return redirect(url_for(".stage", diagnosis_id=diagnosis_id, stage_key=here.key, level=level - 1))
        if position > 0:
            return redirect(url_for(".stage", diagnosis_id=diagnosis_id, stage_key=all_stages[position - 1].key))
        return redirect(url_for(".home"))
    if here.kind == "cmmm":
        progress = cmmm_progress(docs, diagnosis.profile, diagnosis.answers)
        if level < progress.asked_up_to:
            flash(progress.reason_for(level + 1), "success")
            return redirect(url_for(".stage", diagnosis_id=diagnosis_id, stage_key=here.key, level=level + 1))
        flash(progress.stop_reason(), "info")
    if position + 1 < len(all_stages):
        return redirect(url_for(".stage", diagnosis_id=diagnosis_id, stage_key=all_stages[position + 1].key))
    return redirect(url_for(".confirm", diagnosis_id=diagnosis_id))


@bp.route("/diagnoses/<int:diagnosis_id>/submit", methods=["GET", "POST"])
@role_required(Role.ENTERPRISE)
def confirm(diagnosis_id: int):
    diagnosis = _editable(diagnosis_id)
    if diagnosis is None:
        return redirect(url_for(".result", diagnosis_id=diagnosis_id))
    docs = services.documents(diagnosis)
    flags = confirmation.draft_flags(docs, diagnosis)
    if request.method == "POST":  # CSRF checked by CSRFProtect before the view runs
        texts = {f["id"]: request.form.get(f"explain_{f['id']}", "") for f in flags}
        try:
            if request.form.get("action") == "save":
                confirmation.save_explanations(diagnosis, docs, texts)
                flash("说明已保存。", "success")
                return redirect(url_for(".confirm", diagnosis_id=diagnosis.id))
            confirmation.submit_explained(diagnosis, docs, texts)
        except services.AlreadySubmitted:
            flash("该诊断已经提交，结果如下。", "info")        # e.g. a second click, or another tab
            return redirect(url_for(".result", diagnosis_id=diagnosis.id))
        except ScoreInputError as exc:
            flash(exc.message, "danger")
        except services.DiagnosisError as exc:
            flash(exc.message, "danger")
            if exc.stage:
                return redirect(url_for(".stage", diagnosis_id=diagnosis.id, stage_key=exc.stage))
        else:
            flash("诊断已提交，结果如下。", "success")
            return redirect(url_for(".result", diagnosis_id=diagnosis.id))
        flags = confirmation.draft_flags(docs, diagnosis)      # with the explanations just saved
    cmmm = None
    if docs.cmmm and diagnosis.profile.get("industry_type"):
        cmmm = cmmm_progress(docs, diagnosis.profile, diagnosis.answers)
    return render_template("enterprise/confirm.html", diagnosis=diagnosis,
                           progress=services.progress(diagnosis, docs, cmmm), cmmm=cmmm, level_names=LEVEL_NAMES,
                           flags=flags, flag_stages={f["id"]: confirmation.flag_stage(docs, f) for f in flags})


@bp.route("/diagnoses/<int:diagnosis_id>")
@login_required
def result(diagnosis_id: int):
    diagnosis = access.viewable_or_404(current_user, diagnosis_id)
    if not diagnosis.is_submitted:
        return redirect(url_for(".resume", diagnosis_id=diagnosis.id))
    can_share = access.can_share(current_user, diagnosis)
    shares, organizations = [], []
    if can_share:
        shares = sharing.shares_of(diagnosis)
        active = {s.organization_id for s in shares if s.active}
        organizations = [o for o in provider_services.directory() if o.id not in active]
    else:
        sharing.opened(diagnosis, current_user, ip=request.remote_addr or "")
    return render_template("enterprise/result.html", diagnosis=diagnosis, organizations=organizations,
                           shares=shares, can_share=can_share, can_review=access.can_review(current_user, diagnosis),
                           returned=reviews.latest_return(diagnosis) if can_share else None,
                           **signals.result_page_context(diagnosis))


@bp.route("/diagnoses/<int:diagnosis_id>/share", methods=["POST"])
@role_required(Role.ENTERPRISE)
def share(diagnosis_id: int):
    diagnosis = access.viewable_or_404(current_user, diagnosis_id)
    if not access.can_share(current_user, diagnosis):
        abort(404)
    ids = request.form.getlist("organization_id", type=database_id)    # ids that are no database id: left out
    organizations = [o for o in (provider_services.approved_organization(i) for i in ids) if o is not None]
    if not organizations:
        flash("请选择已审核通过的服务商", "danger")
        return redirect(url_for(".result", diagnosis_id=diagnosis.id))
    try:
        for org in organizations:
            sharing.share_with(diagnosis, org, current_user)
    except services.DiagnosisError as exc:
        flash(exc.message, "danger")
    else:
        flash(f"已分享给 {'、'.join(o.name for o in organizations)}。", "success")
    return redirect(url_for(".result", diagnosis_id=diagnosis.id))


@bp.route("/diagnoses/<int:diagnosis_id>/shares/<int:share_id>/revoke", methods=["POST"])
@role_required(Role.ENTERPRISE)
def revoke_share(diagnosis_id: int, share_id: int):
    diagnosis = access.viewable_or_404(current_user, diagnosis_id)
    share_row = sharing.share_of(diagnosis, share_id) if access.can_share(current_user, diagnosis) else None
    if share_row is None:
        abort(404)
    sharing.revoke(share_row, current_user)
    flash(f"已撤销对 {share_row.organization.name} 的分享，对方不能再查看本诊断。", "success")
    return redirect(url_for(".result", diagnosis_id=diagnosis.id))


@bp.route("/diagnoses/<int:diagnosis_id>/revise", methods=["POST"])
@role_required(Role.ENTERPRISE)
def revise(diagnosis_id: int):
    """Answer a provider's request for clarification: a new draft with the same answers (the
    submitted diagnosis stays as it was)."""
    diagnosis = access.viewable_or_404(current_user, diagnosis_id)
    if not access.can_share(current_user, diagnosis):
        abort(404)
    revision = reviews.start_revision(diagnosis, current_user)
    flash(f"已开始诊断 {diagnosis.number} 的修订：答案已带入，修改后重新提交；提交后将自动分享给原服务商。", "success")
    return redirect(url_for(".resume", diagnosis_id=revision.id))

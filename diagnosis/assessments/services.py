"""Writes for diagnoses: start, save a stage, submit, rescore. Views call these; nothing else writes.

A submitted diagnosis is never changed: its answers are frozen, and rescoring with new rules adds
a new result row next to the old ones.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm.attributes import set_committed_value

from .. import catalog
from ..accounts.models import Enterprise, Role, User, utcnow
from ..audit.services import record, register_actions
from ..extensions import db
from ..scoring import ScoreInputError, score_answers
from ..scoring.engine import Reference, validate_answers
from ..scoring.profile import validate_profile
from . import result_json, signals
from .models import (DRAFT, SUBMISSION, SUBMITTED, Diagnosis, DiagnosisResult, QuestionnaireVersion,
                     diagnosis_instruments)
from .stages import (UNANSWERED, CmmmProgress, Docs, cmmm_progress, cmmm_prunable, first_incomplete, missing_in_stage,
                     stages)

DEFAULT_QUESTIONNAIRE = "zhizao-2024"

register_actions(**{"diagnosis.delete": "删除诊断草稿"})


class DiagnosisError(ValueError):
    """A problem with the whole diagnosis (not one field), e.g. submitting an incomplete one."""

    def __init__(self, message: str, stage: str | None = None):
        self.message = message
        self.stage = stage
        super().__init__(message)


# A diagnosis's pinned versions never change once it is started: each process keeps them for the
# diagnoses it has served, keyed by id and creation time (which tell apart a row of another
# database that happens to reuse the id, as test databases do).
_PINS: OrderedDict[tuple[int, Any], tuple[tuple[int, str, str], ...]] = OrderedDict()
_PINS_KEPT = 20_000


def _pins(diagnosis: Diagnosis) -> tuple[tuple[int, str, str], ...]:
    key = (diagnosis.id, diagnosis.created_at)
    pins = _PINS.get(key)
    if pins is None:
        t, pinned = QuestionnaireVersion.__table__, diagnosis_instruments.c
        pins = tuple(tuple(row) for row in db.session.execute(
            select(t.c.id, t.c.key, t.c.sha256).join(diagnosis_instruments, pinned.questionnaire_version_id == t.c.id)
            .where(pinned.diagnosis_id == diagnosis.id)))
        _PINS[key] = pins
        if len(_PINS) > _PINS_KEPT:
            _PINS.popitem(last=False)
    return pins


def documents(diagnosis: Diagnosis) -> Docs:
    """The pinned versions this diagnosis is answered on, and the current upgrade rules."""
    by_key = {key: (catalog.cached_document(version_id, sha256)
                    or catalog.document(db.session.get(QuestionnaireVersion, version_id)))
              for version_id, key, sha256 in _pins(diagnosis)}
    suite = by_key[diagnosis.questionnaire_key]
    profile = next(d for d in by_key.values() if d.kind == "profile")
    parts = {key: by_key[key] for key in suite.data["parts"]}
    upgrades = catalog.library().of_kind("upgrades")
    return Docs(suite=suite, profile=profile, parts=parts, upgrades=upgrades[0] if upgrades else None)


def start_diagnosis(user: User, questionnaire_key: str = DEFAULT_QUESTIONNAIRE,
                    revision_of: Diagnosis | None = None) -> Diagnosis:
    """A new draft carrying the enterprise's last profile over; a revision (``revision_of``, e.g.
    after a provider asked for clarification) copies that diagnosis's profile and answers, which
    stays as it was."""
    if user.role != Role.ENTERPRISE or user.enterprise is None:
        raise DiagnosisError("只有企业用户可以开始诊断")
    lib = catalog.library()
    suite = lib.get(questionnaire_key)
    if suite is None or suite.kind != "suite":
        raise DiagnosisError(f"未知的诊断类型 {questionnaire_key!r}")
    docs = [suite, lib.single("profile")] + [lib[key] for key in suite.data["parts"]]
    profile = dict(revision_of.profile) if revision_of is not None else _starting_profile(user)
    answers = dict(revision_of.answers) if revision_of is not None else {}
    diagnosis = Diagnosis(enterprise=user.enterprise, created_by=user, questionnaire_key=suite.key,
                          status=DRAFT, profile=profile, answers=answers,
                          revision_of_id=revision_of.id if revision_of is not None else None,
                          instruments=[catalog.pin(d) for d in docs])
    db.session.add(diagnosis)
    db.session.commit()
    return diagnosis


def open_draft(user: User) -> Diagnosis | None:
    """The enterprise's most recently saved draft, if it has one ("开始诊断" leads there)."""
    if user.enterprise_id is None:
        return None
    return db.session.scalar(select(Diagnosis).where(
        Diagnosis.enterprise_id == user.enterprise_id, Diagnosis.status == DRAFT
    ).order_by(Diagnosis.updated_at.desc(), Diagnosis.id.desc()).limit(1))


def open_or_start(user: User, questionnaire_key: str = DEFAULT_QUESTIONNAIRE,
                  another: bool = False) -> tuple[Diagnosis, bool]:
    """The enterprise's open draft, or a new diagnosis when it has none or ``another`` is asked for
    explicitly; and whether it is new. The enterprise's row is written (a no-op update) before
    deciding, which locks it until the commit on PostgreSQL and takes SQLite's write lock, so two
    clicks arriving at once make one draft, not two."""
    if not another and user.enterprise_id is not None:
        db.session.execute(update(Enterprise).where(Enterprise.id == user.enterprise_id)
                           .values(id=Enterprise.id))
        draft = open_draft(user)
        if draft is not None:
            db.session.commit()                 # ends the transaction holding the lock
            return draft, False
    return start_diagnosis(user, questionnaire_key), True


def delete_draft(user: User, diagnosis: Diagnosis, ip: str = "") -> str:
    """Delete a draft of the user's enterprise, audited in the same transaction; returns its number.
    A submitted diagnosis is never deleted: ``AlreadySubmitted`` (also when it was submitted in
    another tab after this page was opened; on PostgreSQL the row is locked while deciding)."""
    number = diagnosis.number
    try:
        if _read_for_write(diagnosis.id).status != DRAFT:
            raise AlreadySubmitted()
        record(user, "diagnosis.delete", enterprise=diagnosis.enterprise, target=diagnosis, ip=ip,
                     number=number)
        db.session.delete(diagnosis)
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    return number


def _starting_profile(user: User) -> dict[str, Any]:
    """The last submitted profile of the enterprise, or just the production type its industry suggests."""
    last = db.session.scalar(select(Diagnosis).where(
        Diagnosis.enterprise_id == user.enterprise_id, Diagnosis.status == SUBMITTED
    ).order_by(Diagnosis.submitted_at.desc()).limit(1))
    if last is not None:
        return dict(last.profile)
    return {"industry_type": user.enterprise.industry.cmmm_profile}


@dataclass(frozen=True)
class FieldConflict:
    """A field a stale page posted, changed elsewhere since that page was rendered."""

    target: str          # "profile" or "answers"
    key: str
    stored: Any          # the value stored now (UNANSWERED when it is empty)
    posted: Any          # the value the page posted (UNANSWERED when empty)


class StageConflict(DiagnosisError):
    """A page rendered at an older version posted fields that were changed elsewhere since.

    Nothing was written; ``version`` is the stored version, which the re-rendered page carries so
    that posting it again (after the user looked at the stored values) saves what it shows.
    """

    def __init__(self, conflicts: list[FieldConflict], version: int):
        self.conflicts = conflicts
        self.version = version
        super().__init__("本页的部分内容已在别处修改")


class AlreadySubmitted(DiagnosisError):
    def __init__(self):
        super().__init__("诊断已提交，不能再修改；如需更新请开始新的诊断")


# How often a write is retried when another write of the same draft committed between our read
# and our conditional UPDATE (each retry means the other one succeeded, so the draft progresses).
WRITE_ATTEMPTS = 50


@dataclass(frozen=True)
class _Stored:
    status: str
    version: int
    profile: dict[str, Any]
    answers: dict[str, Any]
    field_versions: dict[str, int]


_t = Diagnosis.__table__
_READ_FOR_WRITE = (select(_t.c.status, _t.c.version, _t.c.profile, _t.c.answers, _t.c.field_versions)
                   .where(_t.c.id == bindparam("diagnosis_id")).with_for_update())


def _read_for_write(diagnosis_id: int) -> _Stored:
    """The stored state, read from the database (not the session's copy). On PostgreSQL the row is
    locked until the transaction ends; on SQLite, which has no row locks, the conditional UPDATE
    in ``_write`` is what detects a write that came in between."""
    row = db.session.execute(_READ_FOR_WRITE, {"diagnosis_id": diagnosis_id}).one()
    return _Stored(row.status, row.version, row.profile or {}, row.answers or {}, row.field_versions or {})


# The conditional UPDATEs, one per set of columns written, made once (building an UPDATE with its
# values costs as much as running it).
_WRITES: dict[tuple[str, ...], Any] = {}


def _write(diagnosis_id: int, read: _Stored, **values: Any) -> bool:
    """Write the draft if it is still a draft at the version read; the version goes up by one."""
    names = tuple(sorted(values))
    statement = _WRITES.get(names)
    if statement is None:
        statement = _WRITES[names] = (
            _t.update().where(_t.c.id == bindparam("w_id"), _t.c.status == DRAFT,
                              _t.c.version == bindparam("w_version"))
            .values(version=bindparam("w_new_version"), **{name: bindparam(f"w_{name}") for name in names}))
    done = db.session.execute(statement, {"w_id": diagnosis_id, "w_version": read.version,
                                          "w_new_version": read.version + 1,
                                          **{f"w_{name}": value for name, value in values.items()}})
    return done.rowcount == 1


def save_stage(diagnosis: Diagnosis, values: dict[str, dict[str, Any]], seen_version: int | None = None,
               docs: Docs | None = None) -> int:
    """Write the fields one page posted, and nothing else, in one transaction; returns the new version.

    ``seen_version`` is the version the page was rendered at: a posted field whose stored value was
    changed after it, and differs from what the page posted, raises ``StageConflict`` and nothing is
    written (no silent overwrite; an empty field on a stale page does not delete an answer it never
    showed). Without it (a client that does not take part) the posted fields are written as they are.
    Validates the merged data with the scoring engine; on error nothing is written and the
    ``ScoreInputError`` names the field (``profile.X`` or ``answers.Y``).

    The first attempt merges into the state this session loaded (a view loads the diagnosis at the
    start of the request) and writes only if the stored version is still that one. Anything else
    (another write came in, nothing to change, a conflict, an error) is decided again on a fresh
    read, which on PostgreSQL also locks the row until the commit. ``docs``: ``documents(diagnosis)``
    when the caller has it already.
    """
    docs = docs or documents(diagnosis)
    diagnosis_id = diagnosis.id
    for attempt in range(WRITE_ATTEMPTS):
        try:
            stored = _as_loaded(diagnosis) if attempt == 0 else _read_for_write(diagnosis_id)
            try:
                columns = _merged(docs, stored, values, seen_version)
            except (DiagnosisError, ScoreInputError):
                if attempt == 0:
                    continue
                raise
            if columns is None:                     # the page changes nothing
                if attempt == 0:
                    continue
                db.session.rollback()
                return stored.version
            written = _write(diagnosis_id, stored, **columns)
        except BaseException:
            db.session.rollback()
            raise
        if written:
            db.session.commit()
            for name, value in dict(columns, version=stored.version + 1).items():
                set_committed_value(diagnosis, name, value)     # the session's copy is what was written
            return stored.version + 1
        db.session.rollback()
    raise DiagnosisError("同时保存的操作太多，本页尚未保存，请稍后再试")


def _as_loaded(diagnosis: Diagnosis) -> _Stored:
    return _Stored(diagnosis.status, diagnosis.version, diagnosis.profile or {}, diagnosis.answers or {},
                   diagnosis.field_versions or {})


def _merged(docs: Docs, stored: _Stored, values: dict[str, dict[str, Any]],
            seen_version: int | None) -> dict[str, Any] | None:
    """The columns to write: the stored draft with the posted fields merged in (None if they change
    nothing). Raises AlreadySubmitted, StageConflict, or ScoreInputError for invalid values."""
    if stored.status != DRAFT:
        raise AlreadySubmitted()
    conflicts = _conflicts(stored, values, seen_version)
    if conflicts:
        raise StageConflict(conflicts, stored.version)
    changed = [f"{target}.{key}" for target in ("profile", "answers")
               for key, value in values.get(target, {}).items()
               if not _same(getattr(stored, target).get(key, UNANSWERED), value)]
    if not changed:
        return None
    profile = _merge(stored.profile, values.get("profile", {}))
    answers = _merge(stored.answers, values.get("answers", {}))
    validate_profile(docs.profile.data, profile)
    # Maturity items depend on the production type; the maturity page is only shown once it is set.
    parts = [d for d in docs.parts.values() if d.kind != "cmmm" or profile.get("industry_type")]
    validate_answers(parts, profile, {k: answers[k] for k in values.get("answers", {}) if k in answers})
    return {"profile": profile, "answers": answers, "updated_at": utcnow(),
            "field_versions": dict(stored.field_versions, **{key: stored.version + 1 for key in changed})}


def _same(stored: Any, posted: Any) -> bool:
    if stored is UNANSWERED or posted is UNANSWERED:
        return stored is posted
    return stored == posted


def _conflicts(stored: _Stored, values: dict[str, dict[str, Any]],
               seen_version: int | None) -> list[FieldConflict]:
    if seen_version is None:
        return []
    out = []
    for target in ("profile", "answers"):
        current = getattr(stored, target)
        for key, posted in values.get(target, {}).items():
            if stored.field_versions.get(f"{target}.{key}", 0) <= seen_version:
                continue
            value = current.get(key, UNANSWERED)
            if not _same(value, posted):
                out.append(FieldConflict(target, key, value, posted))
    return out


def _merge(stored: dict[str, Any], updates: dict[str, Any]) -> dict[str, Any]:
    merged = dict(stored or {})
    for key, value in updates.items():
        if value is UNANSWERED:
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged


def progress(diagnosis: Diagnosis, docs: Docs | None = None,
             cmmm: CmmmProgress | None = None) -> list[dict[str, Any]]:
    """Each stage and how many of its answers are missing (``cmmm``: the maturity progress, when the
    caller has it already)."""
    docs = docs or documents(diagnosis)
    out = []
    for stage in stages(docs):
        item: dict[str, Any] = {"stage": stage}
        if stage.kind == "cmmm" and diagnosis.profile.get("industry_type"):
            # The maturity stage grows as levels open: its progress is told as answered / to answer.
            cmmm = cmmm or cmmm_progress(docs, diagnosis.profile, diagnosis.answers)
            item.update(answered=cmmm.answered, asked=cmmm.asked_items)
        missing = missing_in_stage(docs, stage, diagnosis.profile, diagnosis.answers, cmmm)
        item.update(missing=missing, done=missing == 0)
        out.append(item)
    return out


def submit(diagnosis: Diagnosis) -> DiagnosisResult:
    """Freeze the draft and score it, in one transaction: the stored answers become exactly the ones
    scored, and the diagnosis turns "submitted" only if no other write came in since they were read
    (a save that lost the race retries and finds it submitted; a second submit finds it submitted).
    Raises ``AlreadySubmitted`` or a ``DiagnosisError`` naming the stage still incomplete."""
    docs = documents(diagnosis)
    diagnosis_id = diagnosis.id
    industry = diagnosis.enterprise.industry_code
    for _ in range(WRITE_ATTEMPTS):
        try:
            stored = _read_for_write(diagnosis_id)
            if stored.status != DRAFT:
                raise AlreadySubmitted()
            profile, answers, result = _frozen_and_scored(docs, stored, industry)
            written = _write(diagnosis_id, stored, status=SUBMITTED, profile=profile, answers=answers,
                             submitted_at=utcnow(), updated_at=utcnow())
            if written:
                row = result_row(diagnosis_id, docs, result, sequence=SUBMISSION)
                db.session.add(row)
                db.session.commit()
                break
        except BaseException:
            db.session.rollback()
            raise
        db.session.rollback()
    else:
        raise DiagnosisError("同时保存的操作太多，诊断尚未提交，请稍后再试")
    # The submission is committed: packages downstream react (reports queues the report's render).
    signals.diagnosis_submitted.send(db.session.get(Diagnosis, diagnosis_id))
    return row


def _frozen_and_scored(docs: Docs, stored: _Stored, industry: str | None
                       ) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """The profile and answers a submission freezes (unasked maturity answers dropped), and their score
    (recommendations fitted to the enterprise's ``industry``)."""
    stage = first_incomplete(docs, stored.profile, stored.answers)
    if stage is not None:
        raise DiagnosisError(f"“{stage.title}”还有未完成的题目，请补充后再提交", stage.key)
    answers = dict(stored.answers)
    for key in cmmm_prunable(docs, stored.profile, answers):
        del answers[key]
    try:
        profile = validate_profile(docs.profile.data, stored.profile)
        answers = validate_answers(list(docs.parts.values()), profile, answers)
    except ScoreInputError as exc:
        raise DiagnosisError(f"答案需要更正：{exc}") from exc
    return profile, answers, _score(docs, profile, answers, industry)


def result_digest(result: dict[str, Any]) -> str:
    return result_json.digest(result_json.encode(result))


def result_row(diagnosis_id: int, docs: Docs, result: dict[str, Any], sequence: int) -> DiagnosisResult:
    return DiagnosisResult(diagnosis_id=diagnosis_id, sequence=sequence, scoring_version=result["scoring_version"],
                           rules_version=docs.upgrades.sha256 if docs.upgrades else "",
                           digest=result_digest(result), data=result)


def _score(docs: Docs, profile: dict[str, Any], answers: dict[str, Any], industry: str | None = None) -> dict[str, Any]:
    return score_answers(docs.suite, list(docs.parts.values()), docs.profile, docs.upgrades, profile, answers,
                         reference=Reference.of(catalog.library()), industry=industry)


def rescore(diagnosis: Diagnosis) -> DiagnosisResult | None:
    """Score the frozen answers with the current engine and rules; a new row only if anything changed."""
    if diagnosis.status != SUBMITTED:
        return None
    docs = documents(diagnosis)
    result = _score(docs, diagnosis.profile, diagnosis.answers, diagnosis.enterprise.industry_code)
    current = diagnosis.result
    if current is not None and current.digest == result_digest(result):
        return None
    row = result_row(diagnosis.id, docs, result, sequence=(current.sequence if current else 0) + 1)
    row.diagnosis = diagnosis
    db.session.add(row)
    db.session.commit()
    return row


def previous_submission(diagnosis: Diagnosis) -> Diagnosis | None:
    """The same enterprise's latest diagnosis submitted before this one (a re-assessment's baseline)."""
    if diagnosis.submitted_at is None:
        return None
    return db.session.scalar(
        select(Diagnosis).where(Diagnosis.enterprise_id == diagnosis.enterprise_id, Diagnosis.status == SUBMITTED,
                                Diagnosis.id != diagnosis.id, Diagnosis.submitted_at < diagnosis.submitted_at)
        .order_by(Diagnosis.submitted_at.desc(), Diagnosis.id.desc()).limit(1))


def pinned_versions(diagnosis: Diagnosis) -> list[QuestionnaireVersion]:
    return sorted(diagnosis.instruments, key=lambda r: r.key)

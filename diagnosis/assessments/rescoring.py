"""Rescoring every submitted diagnosis in batches (``diagnosis rescore``).

Reads only the frozen answers and the digest of the latest result, scores with the current engine
and rules, and inserts a new result row (the next sequence number) where the digest differs.
Nothing is updated in place.
"""
from __future__ import annotations

from sqlalchemy import bindparam, func, insert, select, type_coerce

from .. import catalog
from ..accounts.models import Enterprise, utcnow
from ..extensions import db
from ..scoring import score_answers
from ..scoring.engine import Reference
from .models import SUBMITTED, Diagnosis, DiagnosisResult, QuestionnaireVersion, diagnosis_instruments
from . import result_json
from .stages import Docs


def _docs_for(version_ids: tuple[int, ...], questionnaire_key: str, cache: dict) -> Docs:
    key = (questionnaire_key, version_ids)
    docs = cache.get(key)
    if docs is None:
        rows = db.session.scalars(select(QuestionnaireVersion).where(QuestionnaireVersion.id.in_(version_ids))).all()
        by_key = {r.key: catalog.document(r) for r in rows}
        suite = by_key[questionnaire_key]
        upgrades = catalog.library().of_kind("upgrades")
        docs = Docs(suite=suite, profile=next(d for d in by_key.values() if d.kind == "profile"),
                    parts={k: by_key[k] for k in suite.data["parts"]}, upgrades=upgrades[0] if upgrades else None)
        cache[key] = docs
    return docs


# The encoded text goes into the JSON column as it is: encoded once for the digest and the insert.
_INSERT = insert(DiagnosisResult).values(
    diagnosis_id=bindparam("diagnosis_id"), sequence=bindparam("sequence"),
    scoring_version=bindparam("scoring_version"),
    rules_version=bindparam("rules_version"), digest=bindparam("digest"), created_at=bindparam("created_at"),
    data=type_coerce(bindparam("data_text"), result_json.EncodedJSON))


def rescore_all(batch: int = 1000, workers: int = 1, database_url: str | None = None,
                questionnaires_dir: str | None = None) -> tuple[int, int]:
    """Rescore every submitted diagnosis; with ``workers`` > 1, in that many processes, each taking
    the diagnoses whose id modulo ``workers`` is its index. Returns (seen, added)."""
    if workers <= 1:
        return _rescore_share(batch, 0, 1)
    import multiprocessing

    from flask import current_app
    config = {"SQLALCHEMY_DATABASE_URI": database_url or current_app.config["SQLALCHEMY_DATABASE_URI"],
              "QUESTIONNAIRES_DIR": questionnaires_dir or current_app.config["QUESTIONNAIRES_DIR"]}
    db.session.remove()
    ctx = multiprocessing.get_context("spawn")        # a fresh interpreter: no inherited connections
    with ctx.Pool(workers) as pool:
        results = pool.starmap(_rescore_worker, [(config, batch, index, workers) for index in range(workers)])
    return sum(r[0] for r in results), sum(r[1] for r in results)


def _rescore_worker(config: dict, batch: int, index: int, workers: int) -> tuple[int, int]:
    from .. import create_app
    with create_app(config).app_context():
        return _rescore_share(batch, index, workers)


def _rescore_share(batch: int, index: int, workers: int) -> tuple[int, int]:
    cache: dict = {}
    reference = Reference.of(catalog.library())
    seen = added = 0
    last_id = 0
    while True:
        rows = db.session.execute(
            select(Diagnosis.id, Diagnosis.questionnaire_key, Diagnosis.profile, Diagnosis.answers,
                   Enterprise.industry_code)
            .join(Enterprise, Enterprise.id == Diagnosis.enterprise_id)
            .where(Diagnosis.status == SUBMITTED, Diagnosis.id > last_id, Diagnosis.id % workers == index)
            .order_by(Diagnosis.id).limit(batch)).all()
        if not rows:
            break
        ids = [r.id for r in rows]
        newest = (select(DiagnosisResult.diagnosis_id, func.max(DiagnosisResult.sequence).label("sequence"))
                  .where(DiagnosisResult.diagnosis_id.in_(ids)).group_by(DiagnosisResult.diagnosis_id).subquery())
        latest = {did: (digest, sequence) for did, digest, sequence in db.session.execute(
            select(DiagnosisResult.diagnosis_id, DiagnosisResult.digest, DiagnosisResult.sequence).join(
                newest, (newest.c.diagnosis_id == DiagnosisResult.diagnosis_id)
                & (newest.c.sequence == DiagnosisResult.sequence)))}
        pins: dict[int, list[int]] = {}
        for did, vid in db.session.execute(select(diagnosis_instruments.c.diagnosis_id,
                                                  diagnosis_instruments.c.questionnaire_version_id)
                                           .where(diagnosis_instruments.c.diagnosis_id.in_(ids))):
            pins.setdefault(did, []).append(vid)
        new_rows = []
        for r in rows:
            docs = _docs_for(tuple(sorted(pins[r.id])), r.questionnaire_key, cache)
            result = score_answers(docs.suite, list(docs.parts.values()), docs.profile, docs.upgrades,
                                   r.profile, r.answers, reference=reference, industry=r.industry_code)
            text = result_json.encode(result)
            digest = result_json.digest(text)
            last_digest, last_sequence = latest.get(r.id, (None, 0))
            if digest != last_digest:
                new_rows.append({"diagnosis_id": r.id, "sequence": last_sequence + 1,
                                 "scoring_version": result["scoring_version"],
                                 "rules_version": docs.upgrades.sha256 if docs.upgrades else "",
                                 "digest": digest, "data_text": text, "created_at": utcnow()})
        if new_rows:
            db.session.execute(_INSERT, new_rows)
        db.session.commit()
        seen += len(rows)
        added += len(new_rows)
        last_id = ids[-1]
    return seen, added

"""Rescoring every submitted diagnosis in batches (``diagnosis rescore``).

Reads only the frozen answers and the digest of the latest result, scores with the current engine
and rules, and inserts a new result row where the digest differs. Nothing is updated in place.
"""
from __future__ import annotations

from sqlalchemy import func, insert, select

from .. import catalog
from ..extensions import db
from ..scoring import score_answers
from .models import SUBMITTED, Diagnosis, DiagnosisResult, QuestionnaireVersion, diagnosis_instruments
from .services import result_digest
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


def rescore_all(batch: int = 1000) -> tuple[int, int]:
    latest = (select(DiagnosisResult.diagnosis_id, func.max(DiagnosisResult.id).label("rid"))
              .group_by(DiagnosisResult.diagnosis_id).subquery())
    cache: dict = {}
    seen = added = 0
    last_id = 0
    while True:
        rows = db.session.execute(
            select(Diagnosis.id, Diagnosis.questionnaire_key, Diagnosis.profile, Diagnosis.answers, DiagnosisResult.digest)
            .outerjoin(latest, latest.c.diagnosis_id == Diagnosis.id)
            .outerjoin(DiagnosisResult, DiagnosisResult.id == latest.c.rid)
            .where(Diagnosis.status == SUBMITTED, Diagnosis.id > last_id)
            .order_by(Diagnosis.id).limit(batch)).all()
        if not rows:
            break
        ids = [r.id for r in rows]
        pins: dict[int, list[int]] = {}
        for did, vid in db.session.execute(select(diagnosis_instruments.c.diagnosis_id,
                                                  diagnosis_instruments.c.questionnaire_version_id)
                                           .where(diagnosis_instruments.c.diagnosis_id.in_(ids))):
            pins.setdefault(did, []).append(vid)
        new_rows = []
        for r in rows:
            docs = _docs_for(tuple(sorted(pins[r.id])), r.questionnaire_key, cache)
            result = score_answers(docs.suite, list(docs.parts.values()), docs.profile, docs.upgrades,
                                   r.profile, r.answers)
            digest = result_digest(result)
            if digest != r.digest:
                new_rows.append({"diagnosis_id": r.id, "scoring_version": result["scoring_version"],
                                 "rules_version": docs.upgrades.sha256 if docs.upgrades else "",
                                 "digest": digest, "data": result})
        if new_rows:
            db.session.execute(insert(DiagnosisResult), new_rows)
        db.session.commit()
        seen += len(rows)
        added += len(new_rows)
        last_id = ids[-1]
    return seen, added

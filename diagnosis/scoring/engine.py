"""Scoring entry points: validate a payload, score each part, derive recommendations.

``score_answers`` works on explicit documents (a stored diagnosis passes the versions it pinned);
``score_payload`` resolves the current documents of a library for the CLI and API contract.
"""
from __future__ import annotations

from typing import Any, Callable

from ..instruments import Document, Library
from . import cmmm as cmmm_mod
from . import sme as sme_mod
from .describe import Describer
from .errors import ScoreInputError
from .profile import indicators, validate_profile
from .upgrades import collect_facts, recommend

SCORING_VERSION = "2026.11"


def parts_of(questionnaire: Document, library_get) -> list[Document]:
    if questionnaire.kind == "suite":
        return [library_get(key) for key in questionnaire.data["parts"]]
    return [questionnaire]


_CHECKERS: dict[tuple, dict[str, Callable[[Any, str], Any]]] = {}


def _checkers(parts: list[Document], profile: dict) -> dict[str, Callable[[Any, str], Any]]:
    """Answer id -> validator, built once per set of document versions (and production type)."""
    cmmm_profile = None
    for doc in parts:
        if doc.kind == "cmmm":
            cmmm_profile = cmmm_mod.profile_key(cmmm_mod.compile_cmmm(doc.data, doc.sha256), profile)
    key = (tuple(d.sha256 for d in parts), cmmm_profile)
    table = _CHECKERS.get(key)
    if table is None:
        table = {}
        for doc in parts:
            if doc.kind == "sme":
                c = sme_mod.compile_sme(doc.data, doc.sha256)
                for k in [*c.questions, *c.scenes, *c.collects]:
                    table[k] = lambda v, p, c=c, k=k: sme_mod.check_answer(c, k, v, p)
            else:
                c = cmmm_mod.compile_cmmm(doc.data, doc.sha256)
                for k in c.item_index:
                    table[k] = lambda v, p, c=c, k=k: cmmm_mod.check_answer(c, k, v, cmmm_profile, p)
        _CHECKERS[key] = table
    return table


def validate_answers(parts: list[Document], profile: dict, answers: Any, prefix: str = "answers") -> dict[str, Any]:
    if answers is None:
        answers = {}
    if not isinstance(answers, dict):
        raise ScoreInputError(prefix, "应为对象：题号 → 答案")
    table = _checkers(parts, profile)
    clean: dict[str, Any] = {}
    for key, value in answers.items():
        check = table.get(key)
        if check is None:
            raise ScoreInputError(f"{prefix}.{key}", "未知题号")
        clean[key] = check(value, prefix)
    return clean


def score_answers(questionnaire: Document, parts: list[Document], profile_doc: Document,
                  upgrades_doc: Document | None, profile: dict, answers: dict) -> dict[str, Any]:
    """Score validated input. Unanswered questions count 0."""
    inds = indicators(profile_doc.data, profile)
    result: dict[str, Any] = {
        "questionnaire": questionnaire.key,
        "title": questionnaire.title,
        "scoring_version": SCORING_VERSION,
        "versions": {d.key: d.version for d in [questionnaire, profile_doc, *parts] + ([upgrades_doc] if upgrades_doc else [])},
        "indicators": inds,
    }
    sme_result = cmmm_result = None
    sme_doc = cmmm_doc = None
    for doc in parts:
        if doc.kind == "sme":
            sme_doc = doc
            sme_result = sme_mod.score_sme(sme_mod.compile_sme(doc.data, doc.sha256), answers)
        else:
            cmmm_doc = doc
            compiled = cmmm_mod.compile_cmmm(doc.data, doc.sha256)
            cmmm_result = cmmm_mod.score_cmmm(compiled, answers, cmmm_mod.profile_key(compiled, profile))
    if questionnaire.kind == "suite":
        if sme_result is not None:
            result["sme"] = sme_result
        if cmmm_result is not None:
            result["cmmm"] = cmmm_result
    else:
        result.update(sme_result or cmmm_result)
    if upgrades_doc is not None:
        facts = collect_facts(profile, inds, sme_result, cmmm_result, answers)
        describer = _describer(profile_doc, sme_doc, cmmm_doc)
        result["recommendations"] = recommend(upgrades_doc.data, facts, describer, upgrades_doc.sha256)
        result["prioritization_rule"] = upgrades_doc.data["prioritization"]["rule"]
    return result


_DESCRIBERS: dict[tuple, Describer] = {}


def _describer(profile_doc: Document, sme_doc: Document | None, cmmm_doc: Document | None) -> Describer:
    key = (profile_doc.sha256, sme_doc.sha256 if sme_doc else None, cmmm_doc.sha256 if cmmm_doc else None)
    describer = _DESCRIBERS.get(key)
    if describer is None:
        describer = _DESCRIBERS[key] = Describer(profile_doc.data, sme_doc.data if sme_doc else None,
                                                 cmmm_doc.data if cmmm_doc else None)
    return describer


def score_payload(payload: Any, library: Library) -> dict[str, Any]:
    """The CLI/API contract: ``{"questionnaire": KEY, "profile": {...}, "answers": {...}}``."""
    if not isinstance(payload, dict):
        raise ScoreInputError("(body)", "应为 JSON 对象，含 questionnaire、profile、answers")
    unknown = set(payload) - {"questionnaire", "profile", "answers"}
    if unknown:
        raise ScoreInputError(sorted(unknown)[0], "未知的键，只接受 questionnaire、profile、answers")
    key = payload.get("questionnaire")
    if key is None:
        raise ScoreInputError("questionnaire", "缺少问卷标识，如 \"sme-digital-2024\"")
    questionnaire = library.get(key) if isinstance(key, str) else None
    if questionnaire is None or questionnaire not in library.questionnaires:
        names = ", ".join(d.key for d in library.questionnaires)
        raise ScoreInputError("questionnaire", f"未知问卷 {key!r}，可选 {names}")
    profile_doc = library.single("profile")
    profile = validate_profile(profile_doc.data, payload.get("profile"))
    parts = parts_of(questionnaire, library.__getitem__)
    answers = validate_answers(parts, profile, payload.get("answers"))
    upgrades = library.of_kind("upgrades")
    return score_answers(questionnaire, parts, profile_doc, upgrades[0] if upgrades else None, profile, answers)

"""Scoring entry points: validate a payload, score each part, derive recommendations.

``score_answers`` works on explicit documents (a stored diagnosis passes the versions it pinned);
``score_payload`` resolves the current documents of a library for the CLI and API contract.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from ..instruments import Document, Library
from . import cmmm as cmmm_mod
from . import consistency
from . import policies as policies_mod
from . import sme as sme_mod
from .describe import Describer
from .errors import ScoreInputError
from .figures import compile_figures, counts, derive_indicators
from .plan import plan_info
from .profile import validate_profile
from .upgrades import collect_facts, recommend

SCORING_VERSION = "2026.11"


@dataclass(frozen=True)
class Reference:
    """The current reference documents a result is measured against (not pinned by a diagnosis):
    the plan's targets, the policy hooks and the industry classification."""

    targets: Document | None = None
    policies: Document | None = None
    industries: Document | None = None

    @classmethod
    def of(cls, library: Library) -> "Reference":
        def one(kind: str) -> Document | None:
            docs = library.of_kind(kind)
            return docs[0] if docs else None
        return cls(one("targets"), one("policies"), one("industries"))

    def industry_name(self, code: str | None) -> str | None:
        if code is None or self.industries is None:
            return None
        return next((f"{i['code']} {i['name']}" for i in self.industries.data["industries"] if i["code"] == code), code)


def parts_of(questionnaire: Document, library_get) -> list[Document]:
    if questionnaire.kind == "suite":
        return [library_get(key) for key in questionnaire.data["parts"]]
    return [questionnaire]


_CHECKERS: dict[tuple, dict[str, Callable[[Any, str], Any]]] = {}
_FAST: dict[int, tuple] = {}     # id of a checker table (tables live forever) -> what the fast checks need


def _fast_checks(parts: list[Document]) -> tuple[frozenset, dict[str, frozenset], frozenset]:
    scale, singles, scenes = set(), {}, set()
    for doc in parts:
        if doc.kind == "cmmm":
            scale.update(cmmm_mod.compile_cmmm(doc.data, doc.sha256).item_index)
        else:
            c = sme_mod.compile_sme(doc.data, doc.sha256)
            singles.update({qid: frozenset(q.points) for qid, q in c.questions.items() if q.type == "single"})
            scenes.update(c.scenes)
    return frozenset(scale), singles, frozenset(scenes)


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
    fast = _FAST.get(id(table))
    if fast is None:
        fast = _FAST[id(table)] = _fast_checks(parts)
    scale, singles, scenes = fast
    scale_set = cmmm_mod.SCALE_SET
    clean: dict[str, Any] = {}
    explain_ids = None
    for key, value in answers.items():
        # The common cases first, checked without a call: a maturity rating on the scale, an option
        # letter of a single-choice question, a scene level 0-4. Anything else gets the full check.
        cls = value.__class__
        if cls is float or cls is int:
            if key in scale and value in scale_set:
                clean[key] = float(value)
                continue
            if cls is int and key in scenes and 0 <= value <= 4:
                clean[key] = value
                continue
        elif cls is str and value in singles.get(key, ()):
            clean[key] = value
            continue
        check = table.get(key)
        if check is not None:
            clean[key] = check(value, prefix)
            continue
        if not key.startswith(consistency.EXPLAIN_PREFIX):
            raise ScoreInputError(f"{prefix}.{key}", "未知题号")
        if explain_ids is None:
            sme = next((d for d in parts if d.kind == "sme"), None)
            explain_ids = consistency.known_ids(compile_figures(sme.data, sme.sha256) if sme else None)
        text = consistency.check_explanation(key, value, explain_ids, f"{prefix}.{key}")
        if text is not None:
            clean[key] = text
    return clean


def score_answers(questionnaire: Document, parts: list[Document], profile_doc: Document,
                  upgrades_doc: Document | None, profile: dict, answers: dict, *,
                  reference: Reference | None = None, industry: str | None = None) -> dict[str, Any]:
    """Score validated input. Unanswered questions count 0. ``reference`` adds the plan, its targets
    in the roadmap and the policy hooks; ``industry`` (a GB/T 4754 division) fits the catalog."""
    reference = reference or Reference()
    sme_doc = next((d for d in parts if d.kind == "sme"), None)
    cmmm_doc = next((d for d in parts if d.kind == "cmmm"), None)
    figs = compile_figures(sme_doc.data, sme_doc.sha256) if sme_doc else None
    inds, details = derive_indicators(profile_doc.data, figs, profile, answers)
    result: dict[str, Any] = {
        "questionnaire": questionnaire.key,
        "title": questionnaire.title,
        "scoring_version": SCORING_VERSION,
        "versions": {d.key: d.version for d in [questionnaire, profile_doc, *parts] + ([upgrades_doc] if upgrades_doc else [])},
        "indicators": inds,
        "indicator_details": details,
        "industry": industry,
    }
    sme_result = cmmm_result = compiled = None
    if sme_doc is not None:
        sme_result = sme_mod.score_sme(sme_mod.compile_sme(sme_doc.data, sme_doc.sha256), answers)
    if cmmm_doc is not None:
        compiled = cmmm_mod.compile_cmmm(cmmm_doc.data, cmmm_doc.sha256)
        cmmm_result = cmmm_mod.score_cmmm(compiled, answers, cmmm_mod.profile_key(compiled, profile))
    if questionnaire.kind == "suite":
        if sme_result is not None:
            result["sme"] = sme_result
        if cmmm_result is not None:
            result["cmmm"] = cmmm_result
    else:
        result.update(sme_result or cmmm_result)
    describer = _describer(profile_doc, sme_doc, cmmm_doc)
    result["consistency"] = consistency.check(consistency.Inputs(
        profile, answers, inds, details, sme_result, cmmm_result, figs, cmmm_doc.data if cmmm_doc else None,
        compiled.by_level if compiled else None, describer.cmmm_levels))
    facts = collect_facts(profile, inds, sme_result, cmmm_result, answers, industry)
    targets = reference.targets.data if reference.targets else None
    if upgrades_doc is not None:
        result["recommendations"] = recommend(upgrades_doc.data, facts, describer, upgrades_doc.sha256,
                                              details=details, counts=counts(figs, profile, answers),
                                              targets=targets)
        result["prioritization_rule"] = upgrades_doc.data["prioritization"]["rule"]
        result["estimates_note"] = upgrades_doc.data["estimates"]["label"]
    if targets is not None:
        result["plan"] = plan_info(targets)
    if reference.policies is not None:
        values = {"industry": reference.industry_name(industry) or "—",
                  "headcount": f"{profile['headcount']:g}" if profile.get("headcount") is not None else "—",
                  "revenue": f"{profile['revenue']:g}" if profile.get("revenue") is not None else "—"}
        if sme_result is not None:
            values.update(sme_grade=sme_result["grade_label"], sme_total=f"{sme_result['total']:g}")
        if cmmm_result is not None:
            values["cmmm_level"] = (f"{cmmm_result['level_label']}（{cmmm_result['level_title']}）"
                                    if cmmm_result["level_title"] else cmmm_result["level_label"])
        result["policies"] = policies_mod.evaluate(reference.policies.data, reference.policies.sha256, facts, values)
    result["rules_versions"] = {d.key: d.version for d in (upgrades_doc, reference.targets, reference.policies) if d}
    return result


def draft_consistency(questionnaire: Document, parts: list[Document], profile_doc: Document, profile: dict,
                      answers: dict) -> dict[str, Any] | None:
    """The consistency flags of a draft, shown before submitting (None when it cannot be scored yet,
    e.g. without a production type for the maturity part)."""
    try:
        result = score_answers(questionnaire, parts, profile_doc, None, profile, answers)
    except ScoreInputError:
        return None
    return result["consistency"]


_DESCRIBERS: dict[tuple, Describer] = {}


def _describer(profile_doc: Document, sme_doc: Document | None, cmmm_doc: Document | None) -> Describer:
    key = (profile_doc.sha256, sme_doc.sha256 if sme_doc else None, cmmm_doc.sha256 if cmmm_doc else None)
    describer = _DESCRIBERS.get(key)
    if describer is None:
        describer = _DESCRIBERS[key] = Describer(profile_doc.data, sme_doc.data if sme_doc else None,
                                                 cmmm_doc.data if cmmm_doc else None)
    return describer


_REFERENCES: dict[int, tuple[Library, Reference]] = {}


def _reference(library: Library) -> Reference:
    hit = _REFERENCES.get(id(library))
    if hit is None or hit[0] is not library:
        hit = _REFERENCES[id(library)] = (library, Reference.of(library))
    return hit[1]


def score_payload(payload: Any, library: Library) -> dict[str, Any]:
    """The CLI/API contract: ``{"questionnaire": KEY, "profile": {...}, "answers": {...}}``."""
    if not isinstance(payload, dict):
        raise ScoreInputError("(body)", "应为 JSON 对象，含 questionnaire、profile、answers")
    unknown = set(payload) - {"questionnaire", "profile", "answers", "industry"}
    if unknown:
        raise ScoreInputError(sorted(unknown)[0], "未知的键，只接受 questionnaire、profile、answers、industry")
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
    reference = _reference(library)
    industry = payload.get("industry")
    if industry is not None and (not isinstance(industry, str) or reference.industries is None or industry not in
                                 {i["code"] for i in reference.industries.data["industries"]}):
        raise ScoreInputError("industry", f"应为制造业行业大类代码（GB/T 4754，如 \"34\"），收到 {industry!r}")
    upgrades = library.of_kind("upgrades")
    return score_answers(questionnaire, parts, profile_doc, upgrades[0] if upgrades else None, profile, answers,
                         reference=reference, industry=industry)

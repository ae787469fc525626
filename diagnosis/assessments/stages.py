"""The stages of a diagnosis and how complete each is. Pure: works on documents and stored answers.

A suite file lists the stages; the maturity stage is answered level by level: level 1 first, then
level n+1 only while level n is achieved, up to one level above the highest achieved.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..instruments import Document
from ..numbers import fixed
from ..scoring import cmmm as cmmm_mod
from ..scoring.profile import fields as profile_fields

UNANSWERED = object()   # a field left empty (distinct from None = "not applicable")
LEVEL_NAMES = {1: "一级", 2: "二级", 3: "三级", 4: "四级", 5: "五级"}


@dataclass(frozen=True)
class Docs:
    """The documents one diagnosis is answered and scored on."""

    suite: Document
    profile: Document
    parts: dict[str, Document]
    upgrades: Document | None = None

    def part_of_kind(self, kind: str) -> Document | None:
        return next((d for d in self.parts.values() if d.kind == kind), None)

    @property
    def sme(self) -> Document | None:
        return self.part_of_kind("sme")

    @property
    def cmmm(self) -> Document | None:
        return self.part_of_kind("cmmm")


@dataclass(frozen=True)
class Stage:
    key: str
    title: str
    kind: str                     # profile | sme | cmmm
    dimensions: tuple[str, ...] = ()
    scenes: bool = False


@dataclass
class CmmmProgress:
    asked_up_to: int              # highest level asked so far (1-5)
    achieved: int                 # highest level achieved consecutively
    level_scores: dict[int, float]
    next_level: int | None        # the first asked level with unanswered items; None when complete
    unanswered: dict[int, int] = field(default_factory=dict)
    asked_items: int = 0          # the items of every level asked so far

    @property
    def complete(self) -> bool:
        return self.next_level is None

    @property
    def answered(self) -> int:
        return self.asked_items - sum(self.unanswered.values())

    def overall(self) -> str:
        """Overall progress and what opening a level means (the number to answer grows as levels
        open: that is progress, not a step back)."""
        text = (f"成熟度评估已答 {self.answered} 题，目前共需答 {self.asked_items} 题"
                f"（{LEVEL_NAMES[1]}至{LEVEL_NAMES[self.asked_up_to]}）。" if self.asked_up_to > 1 else
                f"成熟度评估已答 {self.answered} 题，目前共需答 {self.asked_items} 题（{LEVEL_NAMES[1]}）。")
        if self.asked_up_to < 5:
            text += (f"如果{LEVEL_NAMES[self.asked_up_to]}平均得分达到 0.8，说明已达到该级，"
                     f"会接着打开{LEVEL_NAMES[self.asked_up_to + 1]}的要求，需答的题数随之增加；"
                     f"未达到则评估到此为止。")
        return text

    def reason_for(self, level: int) -> str:
        """Why this level is asked, as the page says it."""
        if level == 1:
            return "从一级（规划级）开始评估：请逐条判断本企业满足要求的程度。"
        prev = level - 1
        return (f"已达到{LEVEL_NAMES[prev]}（{LEVEL_NAMES[prev]}得分 {fixed(self.level_scores[prev], 2)} ≥ 0.8），"
                f"继续评估{LEVEL_NAMES[level]}。")

    def stop_reason(self) -> str:
        k = self.achieved
        if k == 5:
            return "五个等级均已达到，成熟度评估完成。"
        level = k + 1
        score = self.level_scores.get(level, 0.0)
        return (f"{LEVEL_NAMES[level]}得分 {fixed(score, 2)}，未达到 0.8，评估到此为止；"
                f"更高等级的要求不再询问，按 0 计。")


_STAGES: dict[tuple[str, ...], list[Stage]] = {}


def stages(docs: Docs) -> list[Stage]:
    """The suite's stages in order (built once per set of document versions; do not change the list)."""
    key = (docs.suite.sha256, *(d.sha256 for d in docs.parts.values()))
    out = _STAGES.get(key)
    if out is None:
        out = []
        for st in docs.suite.data["stages"]:
            kind = "profile" if st["source"] == "profile" else docs.parts[st["source"]].kind
            out.append(Stage(st["key"], st["title"], kind, tuple(st.get("dimensions", ())), bool(st.get("scenes"))))
        _STAGES[key] = out
    return out


def stage_by_key(docs: Docs, key: str) -> Stage | None:
    return next((s for s in stages(docs) if s.key == key), None)


def sme_questions(docs: Docs, stage: Stage) -> list[dict]:
    return [q for q in docs.sme.data["questions"] if q["dimension"] in stage.dimensions]


def sme_scene_groups(docs: Docs) -> list[dict]:
    return docs.sme.data["scene_groups"]


def cmmm_profile(docs: Docs, profile: dict[str, Any]) -> str:
    key = profile.get("industry_type")
    return key if key in docs.cmmm.data["profiles"] else "discrete"


def cmmm_progress(docs: Docs, profile: dict[str, Any], answers: dict[str, Any]) -> CmmmProgress:
    doc = docs.cmmm
    compiled = cmmm_mod.compile_cmmm(doc.data, doc.sha256)
    prof = cmmm_profile(docs, profile)
    result = cmmm_mod.levels_cmmm(compiled, answers, prof)
    asked = result["asked_up_to"]
    unanswered = {}
    total = 0
    for level in range(1, asked + 1):
        ids = [i for _, level_ids in cmmm_mod.items_for_level(compiled, level, prof) for i in level_ids]
        total += len(ids)
        missing = sum(1 for i in ids if i not in answers)
        if missing:
            unanswered[level] = missing
    return CmmmProgress(asked_up_to=asked, achieved=result["achieved"],
                        level_scores={int(k): v for k, v in result["level_scores"].items()},
                        next_level=min(unanswered) if unanswered else None, unanswered=unanswered,
                        asked_items=total)


def missing_in_stage(docs: Docs, stage: Stage, profile: dict[str, Any], answers: dict[str, Any],
                     cmmm: CmmmProgress | None = None) -> int:
    """How many required answers of the stage are still missing (0 = complete); ``cmmm`` is the
    maturity progress of these answers when the caller has it already."""
    if stage.kind == "profile":
        return sum(1 for key, f in profile_fields(docs.profile.data).items()
                   if f.get("required") and profile.get(key) is None)
    if stage.kind == "sme":
        if stage.scenes:
            ids = [s["id"] for g in sme_scene_groups(docs) for s in g["scenes"]]
        else:
            ids = [q["id"] for q in sme_questions(docs, stage)]
        return sum(1 for i in ids if answers.get(i) in (None, []))
    if not profile.get("industry_type"):
        return 1
    return sum((cmmm or cmmm_progress(docs, profile, answers)).unanswered.values())


def first_incomplete(docs: Docs, profile: dict[str, Any], answers: dict[str, Any]) -> Stage | None:
    for stage in stages(docs):
        if missing_in_stage(docs, stage, profile, answers):
            return stage
    return None


def cmmm_prunable(docs: Docs, profile: dict[str, Any], answers: dict[str, Any]) -> list[str]:
    """Answers to items above the asked levels: not asked, so they are dropped when submitting."""
    doc = docs.cmmm
    if doc is None:
        return []
    compiled = cmmm_mod.compile_cmmm(doc.data, doc.sha256)
    asked = cmmm_progress(docs, profile, answers).asked_up_to
    return [key for key in answers if key in compiled.item_index and compiled.item_index[key][1] > asked]

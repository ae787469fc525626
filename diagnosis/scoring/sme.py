"""SME digital-level instrument (2024 edition): points per question, dimension totals, scenes, grade.

Points are added as integer thousandths of a point, so the reference weights are reproduced exactly.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .errors import ScoreInputError
from .versioned import per_version
from .profile import check_value


def _milli(points: float) -> int:
    return int(round(points * 1000))


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    dimension: str
    area: str
    points: dict[str, int]
    exclusive: str | None
    cap: int | None
    label: str


@dataclass(frozen=True)
class Compiled:
    questions: dict[str, Question]
    scenes: dict[str, tuple[str, str]]         # id -> (name, group name)
    collects: dict[str, dict]
    dims: list[dict]
    doc: dict


@per_version
def compile_sme(doc: dict, version: str) -> Compiled:
    questions = {}
    collects = {}
    for q in doc["questions"]:
        exclusive = next((o["key"] for o in q["options"] if o.get("exclusive")), None)
        questions[q["id"]] = Question(
            q["id"], q["type"], q["dimension"], q["area"], {o["key"]: _milli(o["points"]) for o in q["options"]},
            exclusive, _milli(q["max"]) if q["type"] == "multi" else None, f"{q['id']} {q.get('topic') or q['text']}")
        for col in q.get("collects", []) or []:
            collects[col["key"]] = col
    scenes = {s["id"]: (s["name"], g["name"]) for g in doc["scene_groups"] for s in g["scenes"]}
    compiled = Compiled(questions, scenes, collects, doc["dimensions"], doc)
    return compiled


def check_answer(compiled: Compiled, key: str, value: Any, prefix: str = "answers") -> Any:
    """Validate one answer of this instrument; returns it normalized (None = unanswered)."""
    where = f"{prefix}.{key}"
    if value is None:
        return None
    q = compiled.questions.get(key)
    if q is not None:
        if q.type == "single":
            if not isinstance(value, str):
                raise ScoreInputError(where, f"单选题应为一个选项字母，如 \"B\"，收到 {value!r}")
            if value not in q.points:
                raise ScoreInputError(where, f"未知选项 {value!r}，可选 {', '.join(q.points)}")
            return value
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ScoreInputError(where, f"多选题应为选项字母列表，如 [\"B\", \"D\"]，收到 {value!r}")
        for v in value:
            if v not in q.points:
                raise ScoreInputError(where, f"未知选项 {v!r}，可选 {', '.join(q.points)}")
        if len(set(value)) != len(value):
            raise ScoreInputError(where, "选项重复")
        if q.exclusive in value and len(value) > 1:
            raise ScoreInputError(where, f"选项 {q.exclusive!r}（以上都没有）不能与其他选项同时选择")
        return sorted(value)
    if key in compiled.scenes:
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 4:
            raise ScoreInputError(where, f"场景等级应为 0–4 的整数，收到 {value!r}")
        return value
    if key in compiled.collects:
        return check_value(compiled.collects[key], value, where)
    raise ScoreInputError(where, "未知题号")


def question_points(q: Question, value: Any) -> int:
    if value is None:
        return 0
    if q.type == "single":
        return q.points[value]
    return min(sum(q.points[v] for v in value), q.cap)


def grade_for(rule: dict, total: float) -> tuple[int, str]:
    grade, label = rule["below"]["grade"], rule["below"]["label"]
    for band in rule["bands"]:
        if total + 1e-9 >= band["min"]:
            grade, label = band["grade"], band["label"]
    return grade, label


def score_sme(compiled: Compiled, answers: dict[str, Any]) -> dict[str, Any]:
    per_dim: dict[str, int] = {d["key"]: 0 for d in compiled.dims}
    per_area: dict[str, int] = {a["key"]: 0 for d in compiled.dims for a in d["areas"]}
    questions = {}
    for qid, q in compiled.questions.items():
        value = answers.get(qid)
        pts = question_points(q, value)
        per_dim[q.dimension] += pts
        per_area[q.area] += pts
        questions[qid] = {"answer": value, "points": pts / 1000}
    total_milli = sum(per_dim.values())
    total = total_milli / 1000
    rule = compiled.doc["grade_rule"]
    grade, label = grade_for(rule, total)
    scenes = {}
    groups: dict[str, list[int]] = {}
    for sid, (name, group) in compiled.scenes.items():
        level = answers.get(sid) or 0
        scenes[sid] = {"name": name, "group": group, "level": level}
        groups.setdefault(group, []).append(level)
    return {
        "total": total,
        "max": 100,
        "grade": grade,
        "grade_label": label,
        "grade_rule": {"key": rule["key"], "name": rule["name"], "note": rule.get("note", ""),
                       "bands": rule["bands"], "below": rule["below"]},
        "dimensions": {d["name"]: per_dim[d["key"]] / 1000 for d in compiled.dims},
        "dimension_details": [
            {"key": d["key"], "name": d["name"], "points": per_dim[d["key"]] / 1000, "max": d["max"],
             "areas": [{"key": a["key"], "name": a["name"], "points": per_area[a["key"]] / 1000, "max": a["max"]}
                       for a in d["areas"]]}
            for d in compiled.dims],
        "questions": questions,
        "scenes": scenes,
        "scene_groups": {g: round(sum(v) / len(v), 2) for g, v in groups.items()},
    }

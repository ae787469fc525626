"""The SME instrument reproduces the reference point weights exactly, for any answers.

REFERENCE is typed from ../shared/reference/sme-digital-2024.md independently of the YAML file.
"""
from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diagnosis.scoring import ScoreInputError, score_payload

BANDS = {"A": 0, "B": F("1.5"), "C": 3, "D": F("4.5"), "E": 6}
REFERENCE = {
    "Q01": ("multi", {"A": 0, **{k: 2 for k in "BCDE"}}, 8),
    "Q02": ("single", BANDS, None),
    "Q03": ("single", BANDS, None),
    "Q04": ("multi", {"A": 0, **{k: F("0.7") for k in "BCDEFGHIJKLMN"}, "O": F("0.9")}, 10),
    "Q05": ("single", {"A": 0, "B": F("2.5"), "C": 5, "D": F("7.5"), "E": 10}, None),
    "Q06": ("multi", {"A": 0, **{k: F("1.25") for k in "BCDE"}}, 5),
    "Q07": ("multi", {"A": 0, **{k: F("1.25") for k in "BCDE"}}, 5),
    "Q08": ("single", {"A": 0, "B": F("1.5"), "C": 3, "D": F("4.5"), "E": 6, "F": F("7.5")}, None),
    "Q09": ("multi", {"A": 0, **{k: F("1.875") for k in "BCDE"}}, F("7.5")),
    "Q10": ("multi", {"A": 0, **{k: F("1.5") for k in "BCDEF"}}, F("7.5")),
    "Q11": ("single", {"A": 0, "B": F("1.875"), "C": F("3.75"), "D": F("5.625"), "E": F("7.5")}, None),
    "Q12": ("single", {"A": 0, "B": F("3.5"), "C": 7}, None),
    "Q13": ("single", {"A": 0, "B": F("3.5"), "C": 7}, None),
    "Q14": ("single", {"A": 0, "B": F("1.5"), "C": 3}, None),
    "Q15": ("single", {"A": 0, "B": F("1.5"), "C": 3}, None),
}
DIMENSIONS = {"数字化基础": ["Q01", "Q02", "Q03", "Q04", "Q05", "Q06", "Q07"],
              "数字化管理": ["Q08", "Q09", "Q10", "Q11"], "数字化成效": ["Q12", "Q13", "Q14", "Q15"]}


def reference_points(qid, answer):
    kind, points, cap = REFERENCE[qid]
    if answer is None:
        return F(0)
    if kind == "single":
        return F(points[answer])
    return min(sum((F(points[a]) for a in answer), F(0)), F(cap))


def score(library, answers, profile=None):
    return score_payload({"questionnaire": "sme-digital-2024", "profile": profile or {}, "answers": answers}, library)


@st.composite
def sme_answers(draw):
    answers = {}
    for qid, (kind, points, _) in REFERENCE.items():
        if draw(st.booleans()) and draw(st.booleans()):
            continue  # unanswered
        if kind == "single":
            answers[qid] = draw(st.sampled_from(sorted(points)))
        elif draw(st.integers(0, 5)) == 0:
            answers[qid] = ["A"]
        else:
            answers[qid] = sorted(draw(st.sets(st.sampled_from(sorted(k for k in points if k != "A")), min_size=1)))
    for n in range(1, 17):
        if draw(st.booleans()):
            answers[f"S{n:02d}"] = draw(st.integers(0, 4))
    return answers


@settings(max_examples=300, deadline=None)
@given(answers=sme_answers())
def test_total_and_dimensions_match_the_reference_points_for_any_answers(library, answers):
    result = score(library, answers)
    expected = {dim: sum((reference_points(q, answers.get(q)) for q in qs), F(0)) for dim, qs in DIMENSIONS.items()}
    assert result["dimensions"] == {dim: float(v) for dim, v in expected.items()}
    assert result["total"] == float(sum(expected.values()))


@pytest.mark.parametrize("qid", sorted(REFERENCE))
def test_every_option_of_every_question_scores_its_reference_points(library, qid):
    kind, points, _ = REFERENCE[qid]
    for option, value in points.items():
        answer = option if kind == "single" else [option]
        assert score(library, {qid: answer})["questions"][qid]["points"] == float(value)


def test_all_best_answers_give_exactly_100_points(library):
    best = {q: (max(p, key=p.get) if k == "single" else sorted(o for o in p if o != "A")) for q, (k, p, _) in REFERENCE.items()}
    result = score(library, best)
    assert result["total"] == 100
    assert result["dimensions"] == {"数字化基础": 50, "数字化管理": 30, "数字化成效": 20}


def test_fourteen_data_collection_areas_add_up_to_exactly_ten(library):
    assert score(library, {"Q04": list("BCDEFGHIJKLMNO")})["total"] == 10.0


def test_multi_choice_points_are_capped_at_the_question_maximum(library):
    assert score(library, {"Q10": list("BCDEF")})["questions"]["Q10"]["points"] == 7.5


def test_unanswered_questions_count_zero(library):
    result = score(library, {})
    assert result["total"] == 0 and result["grade"] == 0


@pytest.mark.parametrize("total,grade", [(19.5, 0), (20, 1), (39.5, 1), (40, 2), (60, 3), (79.5, 3), (80, 4), (100, 4)])
def test_grade_follows_the_2022_point_bands(library, total, grade):
    from diagnosis.scoring.sme import grade_for
    assert grade_for(library["sme-digital-2024"].data["grade_rule"], total)[0] == grade


def test_the_grade_rule_used_is_named_in_the_result(library):
    result = score(library, {"Q05": "E"})
    assert result["grade_rule"]["key"] == "points-2022"
    assert "2022" in result["grade_rule"]["name"]


def test_scene_levels_are_reported_per_scene(library):
    result = score(library, {"S08": 3})
    assert result["scenes"]["S08"] == {"name": "设备管理", "group": "生产执行数字化", "level": 3}
    assert len(result["scenes"]) == 16


@pytest.mark.parametrize("answers,key,words", [
    ({"Q01": ["A", "B"]}, "answers.Q01", "不能与其他选项同时选择"),
    ({"Q01": ["B", "Z"]}, "answers.Q01", "未知选项"),
    ({"Q02": "Z"}, "answers.Q02", "未知选项"),
    ({"Q02": ["B"]}, "answers.Q02", "单选题"),
    ({"Q01": "B"}, "answers.Q01", "多选题"),
    ({"Q99": "A"}, "answers.Q99", "未知题号"),
    ({"S01": 5}, "answers.S01", "0–4"),
    ({"S01": True}, "answers.S01", "0–4"),
    ({"Q13.pass_rate": 120}, "answers.Q13.pass_rate", "不能大于"),
])
def test_bad_answers_are_rejected_with_the_key_named(library, answers, key, words):
    with pytest.raises(ScoreInputError) as exc:
        score(library, answers)
    assert exc.value.key == key and words in exc.value.message

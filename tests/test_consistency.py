"""Self-ratings are checked against each other and against the figures entered, before submitting;
flags carry the enterprise's explanation and are stored on the result."""
import copy

import pytest

from diagnosis.scoring import ScoreInputError, score_payload
from diagnosis.scoring.figures import compile_figures, implied_option
from enterprises import (CHEMICAL_PLANT, ELECTRICAL_LEADER, FOOD_PLANT, INFLATED, LIB, MACHINERY_PLANT,
                         METAL_WORKSHOP, PAPER_LEADER, SME_ONLY_WEAK)

SME_DOC = LIB["sme-digital-2024"]
FIGS = compile_figures(SME_DOC.data, SME_DOC.sha256)


def flags(payload):
    return {f["id"]: f for f in score_payload(copy.deepcopy(payload), LIB)["consistency"]["flags"]}


@pytest.mark.parametrize("payload", [FOOD_PLANT, MACHINERY_PLANT, ELECTRICAL_LEADER, METAL_WORKSHOP, CHEMICAL_PLANT,
                                     PAPER_LEADER, SME_ONLY_WEAK], ids=lambda p: p["profile"].get("revenue", "sme"))
def test_consistent_answers_raise_no_warning(payload):
    assert [f for f in flags(payload).values() if f["severity"] == "warning"] == []


def test_inflated_answers_are_flagged_with_the_figures_that_contradict_them():
    found = flags(INFLATED)
    assert {"cmmm-vs-networking", "cmmm-vs-sme", "cmmm-uniform", "implied-Q11", "implied-Q14"} <= set(found)
    assert "12.5%（5/40 台）" in found["cmmm-vs-networking"]["message"]
    assert "五级" in found["cmmm-vs-networking"]["message"]
    assert "1.6%（600 ÷ 38,000）" in found["implied-Q11"]["message"] and "“A. 10%以下（含）”" in found["implied-Q11"]["message"]
    assert "人均营业收入由前年的 136.67 万元/人 变为上年的 126.67 万元/人（下降 7.3%）" in found["implied-Q14"]["message"]
    assert all(f["severity"] == "warning" and f["explanation"] is None for f in found.values())


def test_flags_name_the_answers_to_look_at():
    found = flags(INFLATED)
    assert found["implied-Q11"]["keys"] == ["answers.Q11", "answers.Q11.amount", "profile.revenue"]
    assert found["implied-Q14"]["keys"][:2] == ["answers.Q14", "profile.revenue"]
    assert found["cmmm-vs-sme"]["part"] == "cmmm"


def test_an_explanation_is_stored_with_the_answers_and_shown_on_its_flag():
    payload = copy.deepcopy(INFLATED)
    payload["answers"]["explain.implied-Q14"] = "  上年剥离了贸易业务，主营产品收入实际增长。 "
    result = score_payload(payload, LIB)
    by_id = {f["id"]: f for f in result["consistency"]["flags"]}
    assert by_id["implied-Q14"]["explanation"] == "上年剥离了贸易业务，主营产品收入实际增长。"
    assert result["consistency"]["unexplained"] == result["consistency"]["warnings"] - 1


@pytest.mark.parametrize("key,value,words", [
    ("explain.no-such-check", "说明", "未知的核对项"),
    ("explain.implied-Q11", 12, "说明应为文字"),
    ("explain.implied-Q11", "很" * 501, "不能超过 500 字"),
])
def test_bad_explanations_are_refused_with_the_key_named(key, value, words):
    payload = copy.deepcopy(INFLATED)
    payload["answers"][key] = value
    with pytest.raises(ScoreInputError) as exc:
        score_payload(payload, LIB)
    assert exc.value.key == f"answers.{key}" and words in exc.value.message


def test_correcting_the_answer_clears_the_flag():
    payload = copy.deepcopy(INFLATED)
    payload["answers"].update({"Q11": "A", "Q14": "A"})
    assert not {"implied-Q11", "implied-Q14"} & set(flags(payload))


def test_systems_and_collection_answers_are_checked_against_the_scenes():
    payload = copy.deepcopy(SME_ONLY_WEAK)
    payload["answers"].update({"Q05": "A", "S13": 2, "S15": 2, "S06": 3})
    found = flags(payload)
    assert {"systems-vs-scenes", "collection-vs-scenes"} <= set(found)
    assert "财务管理、协同办公" in found["systems-vs-scenes"]["message"]


def test_equipment_on_the_cloud_without_networked_equipment_is_flagged():
    payload = copy.deepcopy(FOOD_PLANT)
    payload["profile"]["cloud_layers"] = ["equipment"]
    assert "cloud-equipment-vs-networking" in flags(payload)


def test_the_figures_imply_a_band_and_a_trend():
    profile = {"revenue": 38000, "equipment_total": 40, "equipment_networked": 5}
    answers = {"Q11.amount": 600, "Q14.revenue_prev_year": 41000, "Q14.headcount_prev_year": 300}
    assert implied_option(FIGS, "Q03", profile, answers)["option"] == "B"           # 12.5%
    assert implied_option(FIGS, "Q11", profile, answers)["option"] == "A"           # 1.6%
    assert implied_option(FIGS, "Q14", profile, answers) is None                    # no headcount this year
    profile["headcount"] = 300
    trend = implied_option(FIGS, "Q14", profile, answers)
    assert trend["option"] == "A" and trend["direction"] == "down"
    answers["Q14.revenue_prev_year"] = 37800                                         # +0.5%: flat
    assert implied_option(FIGS, "Q14", profile, answers)["option"] == "B"


def test_q14_takes_this_years_revenue_and_headcount_from_the_profile():
    profile = {"revenue": 5200, "headcount": 85}
    answers = {"Q14.revenue_last_year": 9999, "Q14.headcount_last_year": 1,
               "Q14.revenue_prev_year": 5000, "Q14.headcount_prev_year": 85}
    trend = implied_option(FIGS, "Q14", profile, answers)
    assert trend["figures"]["Q14.revenue_last_year"] == 5200 and trend["option"] == "C"

"""Upgrade recommendations: contrasting enterprises get different, explained, phased roadmaps."""
import pytest

from diagnosis.instruments import load_library
from diagnosis.scoring import score_payload

LIB = load_library()
CMMM = LIB["cmmm"].data
SME = LIB["sme-digital-2024"].data


def sme_answers(strength: float, scene: int) -> dict:
    """Single questions at the option ``strength`` of the way up; multi questions with that share of options."""
    answers = {}
    for q in SME["questions"]:
        keys = [o["key"] for o in q["options"]]
        if q["type"] == "single":
            answers[q["id"]] = keys[round(strength * (len(keys) - 1))]
        else:
            chosen = keys[1:1 + round(strength * (len(keys) - 1))]
            answers[q["id"]] = chosen or ["A"]
    for group in SME["scene_groups"]:
        for s in group["scenes"]:
            answers[s["id"]] = scene
    return answers


def cmmm_answers(achieved: int, next_score: float) -> dict:
    answers = {}
    for sd in CMMM["subdomains"]:
        for level, items in sd["levels"].items():
            level = int(level)
            for item in items:
                if level <= achieved:
                    answers[item["id"]] = 1.0
                elif level == achieved + 1:
                    answers[item["id"]] = next_score
    return answers


def manual(**workers):
    base = {k: 0 for k in ("manual_handling_workers", "palletizing_workers", "loading_workers",
                          "welding_cutting_workers", "packaging_workers", "inspection_workers")}
    return {**base, **workers}


ENTERPRISES = {
    "no NC, manual palletizing": dict(
        profile={"revenue": 6000, "headcount": 180, "industry_type": "discrete", "equipment_total": 60,
                 "equipment_digitized": 4, "equipment_networked": 0, "key_processes_total": 8, "key_processes_nc": 0,
                 "robots": 0, "smart_lines": 0, "smart_workshops": 0, "cloud_layers": [], "lianghua_status": "none",
                 **manual(palletizing_workers=14, manual_handling_workers=12, loading_workers=6)},
        answers={**sme_answers(0.2, 1), **cmmm_answers(0, 0.5)},
        must={"equipment", "robot", "line", "cloud"}, must_not={"platform"}),
    "highly automated, no cloud": dict(
        profile={"revenue": 90000, "headcount": 650, "industry_type": "discrete", "equipment_total": 300,
                 "equipment_digitized": 280, "equipment_networked": 255, "key_processes_total": 30, "key_processes_nc": 27,
                 "robots": 40, "smart_lines": 3, "smart_workshops": 1, "cloud_layers": [], "lianghua_status": "benchmarked",
                 **manual(inspection_workers=3, packaging_workers=2)},
        answers={**sme_answers(0.75, 3), **cmmm_answers(3, 0.5)},
        must={"cloud"}, must_not={"equipment", "robot"}),
    "certified 两化融合 at maturity level 3": dict(
        profile={"revenue": 150000, "headcount": 900, "industry_type": "process", "equipment_total": 400,
                 "equipment_digitized": 390, "equipment_networked": 370, "key_processes_total": 40, "key_processes_nc": 38,
                 "robots": 60, "smart_lines": 5, "smart_workshops": 2,
                 "cloud_layers": ["infrastructure", "business", "equipment"], "lianghua_status": "certified",
                 **manual(inspection_workers=2)},
        answers={**sme_answers(0.9, 3), **cmmm_answers(3, 0.5)},
        must=set(), must_not={"lianghua", "equipment", "robot", "cloud"}),
}


def recommend(case):
    payload = {"questionnaire": "zhizao-2024", "profile": case["profile"], "answers": case["answers"]}
    return score_payload(payload, LIB)


@pytest.mark.parametrize("name", ENTERPRISES)
def test_each_enterprise_gets_the_kinds_it_must_and_none_it_must_not(name):
    case = ENTERPRISES[name]
    kinds = {r["kind"] for r in recommend(case)["recommendations"]}
    assert case["must"] <= kinds, f"{name}: missing {case['must'] - kinds}"
    assert not (case["must_not"] & kinds), f"{name}: unexpected {case['must_not'] & kinds}"


@pytest.mark.parametrize("name", ENTERPRISES)
def test_every_recommendation_has_a_reason_a_priority_and_a_phase(name):
    recs = recommend(ENTERPRISES[name])["recommendations"]
    assert [r["priority"] for r in recs] == list(range(1, len(recs) + 1))
    for rec in recs:
        assert rec["because"] and all(b["question"] and b["answer"] and b["threshold"] for b in rec["because"])
        assert rec["phase"] in ("P1", "P2", "P3") and rec["phase_label"]
        assert {"id", "kind", "title"} <= set(rec)


def test_a_mature_enterprise_gets_few_recommendations_and_different_ones():
    low = recommend(ENTERPRISES["no NC, manual palletizing"])["recommendations"]
    mature = recommend(ENTERPRISES["certified 两化融合 at maturity level 3"])["recommendations"]
    assert len(mature) <= 5 < len(low)
    assert {r["id"] for r in mature} - {r["id"] for r in low}


def test_the_robot_recommendation_names_where_to_start():
    recs = recommend(ENTERPRISES["no NC, manual palletizing"])["recommendations"]
    robot = next(r for r in recs if r["id"] == "robot-application")
    assert [a["type"] for a in robot["applications"]] == ["码垛", "物料搬运", "上下料"]


def test_nc_retrofit_says_which_answer_triggered_it():
    recs = recommend(ENTERPRISES["no NC, manual palletizing"])["recommendations"]
    nc = next(r for r in recs if r["id"] == "nc-retrofit")
    assert {"question": "关键工序数控化率", "answer": "0.0%", "threshold": "低于 80%"}.items() <= nc["because"][0].items()


def test_prerequisites_come_first_and_push_the_phase_later():
    recs = recommend(ENTERPRISES["no NC, manual palletizing"])["recommendations"]
    order = {r["id"]: r for r in recs}
    for rec in recs:
        for pre in rec["prerequisites"]:
            assert order[pre]["priority"] < rec["priority"]
            # one phase later, except that the last phase (18-36 months) has no later one
            assert order[pre]["phase"] < rec["phase"] or order[pre]["phase"] == rec["phase"] == "P3"


def test_each_phase_holds_no_more_than_its_capacity():
    recs = recommend(ENTERPRISES["no NC, manual palletizing"])["recommendations"]
    phases = [r["phase"] for r in recs]
    assert phases.count("P1") <= 5 and phases.count("P2") <= 6 and len(recs) > 11


def test_guards_are_context_not_reasons():
    recs = recommend(ENTERPRISES["no NC, manual palletizing"])["recommendations"]
    assert not any(b["fact"] == "cmmm.level" for r in recs for b in r["because"])


def test_an_sme_only_diagnosis_gets_recommendations_without_maturity_facts():
    case = ENTERPRISES["no NC, manual palletizing"]
    answers = {k: v for k, v in case["answers"].items() if k[0] in "QS" and k[1].isdigit()}
    result = score_payload({"questionnaire": "sme-digital-2024", "profile": case["profile"], "answers": answers}, LIB)
    assert {"equipment", "robot", "cloud"} <= {r["kind"] for r in result["recommendations"]}
    assert not any(b["fact"].startswith("subdomain.") for r in result["recommendations"] for b in r["because"])

"""Self-assessed versus verified: disputed ratings replaced by the ratings found on site, scored by
the same engine (pure functions, no database)."""
import re

from diagnosis.demo import demo_payload
from diagnosis.scoring import score_payload
from diagnosis.scoring.verified import changed_answers, comparison, coverage, levels, verified_answers

LEVEL_2_ITEM = re.compile(r"^[A-Z]{2}2\.\d+$")        # maturity requirements of level 2 (二级)


def _payload(library):
    return demo_payload(library, "zhizao-2024")


def test_only_disputed_answers_with_a_found_rating_change(library):
    answers = _payload(library)["answers"]
    checks = {"ST1.1": {"status": "verified"}, "ST2.1": {"status": "disputed", "found": 0, "comment": "无规划文件"},
              "Q02": {"status": "disputed", "comment": "口径不一致"}}
    verified = verified_answers(answers, checks)
    assert verified["ST2.1"] == 0 and verified["ST1.1"] == answers["ST1.1"] and verified["Q02"] == answers["Q02"]
    assert changed_answers(answers, checks) == {"ST2.1": (answers["ST2.1"], 0)}
    assert answers["ST2.1"] != 0                            # the submitted answers are not touched


def test_the_verified_share_counts_checked_answers_of_the_diagnosis(library):
    answers = _payload(library)["answers"]
    checks = {"ST1.1": {"status": "verified"}, "Q02": {"status": "verified"}, "ST2.1": {"status": "disputed"},
              "NOT-AN-ANSWER": {"status": "verified"}}
    cov = coverage(answers, checks)
    assert (cov["verified"], cov["disputed"], cov["answers"]) == (2, 1, len(answers))
    assert cov["share"] == round(2 / len(answers), 4)


def test_levels_recomputed_on_the_verified_answers_show_beside_the_self_assessed_ones(library):
    payload = _payload(library)
    present = [key for key in payload["answers"] if LEVEL_2_ITEM.match(key)]
    assert len(present) >= 20
    checks = {key: {"status": "disputed", "found": 0, "comment": "现场未见"} for key in present}
    self_result = score_payload(payload, library)
    verified_result = score_payload(dict(payload, answers=verified_answers(payload["answers"], checks)), library)
    rows = comparison(levels(self_result), levels(verified_result))
    maturity = next(r for r in rows if r["name"] == "智能制造能力成熟度")
    assert maturity["differs"] and maturity["self"] != maturity["verified"]
    assert verified_result["cmmm"]["score"] < self_result["cmmm"]["score"]
    assert any(r["name"].startswith("子域：") for r in rows)


def test_nothing_differs_when_every_check_confirms_the_answers(library):
    payload = _payload(library)
    checks = {key: {"status": "verified"} for key in payload["answers"]}
    result = score_payload(payload, library)
    again = score_payload(dict(payload, answers=verified_answers(payload["answers"], checks)), library)
    assert not any(r["differs"] for r in comparison(levels(result), levels(again)))

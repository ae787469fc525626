"""A re-assessment shows the enterprise's previous diagnosis beside the new one: levels, indicators,
and which items of the earlier roadmap the new answers no longer call for; on the result page and in
the report alike."""
import copy
import io
import re

from conftest import login, submit_demo
from enterprises import FOOD_PLANT, LIB, MACHINERY_PLANT
from pypdf import PdfReader

from diagnosis import catalog
from diagnosis.assessments import services
from diagnosis.demo import demo_payload
from diagnosis.reports.engine.render import render_pdf
from diagnosis.reports.web.inputs import report_input
from diagnosis.scoring import score_payload
from diagnosis.scoring.compare import compare


def scored(payload):
    return score_payload(copy.deepcopy(payload), LIB)


def test_the_comparison_lists_figures_of_both_and_what_the_earlier_roadmap_asked_for():
    before, after = scored(FOOD_PLANT), scored(MACHINERY_PLANT)
    found = compare(before, after, FOOD_PLANT["profile"], MACHINERY_PLANT["profile"])
    rows = {r["label"]: r for r in found["rows"]}
    assert rows["智能制造能力成熟度"]["before"] == before["cmmm"]["level_label"]
    assert rows["关键工序数控化率"]["change"] == after["indicators"]["nc_rate"] - before["indicators"]["nc_rate"]
    assert rows["在用工业机器人"]["after"] == MACHINERY_PLANT["profile"]["robots"]
    earlier = {r["id"] for r in before["recommendations"]}
    now = {r["id"] for r in after["recommendations"]}
    assert {r["id"] for r in found["no_longer_needed"]} == earlier - now
    assert {r["id"] for r in found["still_recommended"]} == earlier & now


def test_figures_missing_from_either_diagnosis_are_left_out():
    sme_only = {k: v for k, v in scored(FOOD_PLANT).items() if k != "cmmm"}
    rows = {r["label"] for r in compare(sme_only, scored(MACHINERY_PLANT))["rows"]}
    assert "智能制造能力成熟度" not in rows and "中小企业数字化水平" in rows


def _resubmit_with_more_robots(user, extra: int):
    diagnosis = services.start_diagnosis(user, "zhizao-2024")
    payload = demo_payload(catalog.library(), "zhizao-2024")
    payload["profile"]["robots"] = payload["profile"]["robots"] + extra
    services.save_stage(diagnosis, {"profile": payload["profile"], "answers": payload["answers"]})
    services.submit(diagnosis)
    return diagnosis


def test_a_first_diagnosis_has_nothing_to_compare_with(client, enterprise_user):
    first = submit_demo(enterprise_user)
    login(client, enterprise_user)
    assert "与上次诊断对比" not in client.get(f"/diagnoses/{first.id}").get_data(as_text=True)
    assert report_input(first).previous is None


def test_the_result_page_and_the_report_show_the_previous_diagnosis_beside_the_new_one(client, enterprise_user):
    first = submit_demo(enterprise_user)
    robots = first.profile["robots"]
    second = _resubmit_with_more_robots(enterprise_user, 5)
    login(client, enterprise_user)
    page = client.get(f"/diagnoses/{second.id}").get_data(as_text=True)
    assert "与上次诊断对比" in page and first.number in page
    assert re.search(rf"在用工业机器人</td><td[^>]*>{robots}台</td><td[^>]*>{robots + 5}台</td><td[^>]*>\+5台", page)
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(
        render_pdf(report_input(second), parallel=False))).pages))
    assert "与上次诊断对比" in text and first.number in text and f"{robots}台{robots + 5}台+5台" in text


def test_a_roadmap_compared_across_different_rules_says_so():
    before, after = scored(FOOD_PLANT), scored(MACHINERY_PLANT)
    assert compare(before, after)["same_rules"]
    older = dict(before, rules_versions={**before["rules_versions"], "upgrades": "0" * 12})
    assert not compare(older, after)["same_rules"]


def test_the_previous_diagnosis_is_dated_in_beijing_time():
    from datetime import datetime, timezone

    from diagnosis.reports.content.chapters import reassessment
    late_evening_utc = datetime(2026, 11, 30, 16, 13, tzinfo=timezone.utc)      # 00:13 on 1 December in Beijing
    built = reassessment.build({"number": "ZZ2026-000001", "submitted_at": late_evening_utc,
                                "comparison": {"rows": [], "no_longer_needed": [], "still_recommended": []}})
    assert built["date"] == "2026年12月1日"
    naive = reassessment.build({"number": "ZZ2026-000001", "submitted_at": late_evening_utc.replace(tzinfo=None),
                                "comparison": {"rows": [], "no_longer_needed": [], "still_recommended": []}})
    assert naive["date"] == "2026年12月1日"

"""Upgrade recommendations: contrasting enterprises get advice that fits them, in an order that makes
physical sense, with reasons, costs and targets."""
import copy

import pytest

from diagnosis.scoring import score_payload
from enterprises import (CHEMICAL_PLANT, ELECTRICAL_LEADER, FOOD_PLANT, INFLATED, LIB, MACHINERY_PLANT,
                         METAL_WORKSHOP, PAPER_LEADER, SME_ONLY_WEAK, cmmm_answers, scenes)

UPGRADES = LIB["upgrades"].data
SYSTEMS = [u for u in UPGRADES["upgrades"] if u.get("system")]
LEADER_ITEMS = {"cmmm-assessment", "smart-factory-grading", "industrial-5g", "digital-twin", "ai-quality",
                "supply-chain-collaboration", "remote-service", "process-optimization", "industrial-internet-platform"}

# name: (payload, must have, must not have, (before, after) pairs)
CASES = {
    "weak process: (a) food plant": (
        FOOD_PLANT,
        {"nc-retrofit", "iiot-sensing", "equipment-networking", "robot-application", "food-traceability",
         "recipe-management", "transformation-planning"},
        {"plm", "remote-service", "smart-production-line", "industrial-internet-platform", "hse-monitoring"},
        [("iiot-sensing", "equipment-networking"), ("nc-retrofit", "cloud-infrastructure"), ("nc-retrofit", "crm"),
         ("nc-retrofit", "lianghua-benchmarking"), ("equipment-networking", "mes"), ("erp", "wms")]),
    "weak discrete: metal workshop": (
        METAL_WORKSHOP,
        {"nc-retrofit", "robot-application", "iiot-sensing", "equipment-networking", "plm"},
        {"recipe-management", "food-traceability", "ai-quality", "digital-twin"},
        [("iiot-sensing", "equipment-networking"), ("nc-retrofit", "cloud-infrastructure")]),
    "mid discrete: (b) machinery plant": (
        MACHINERY_PLANT,
        {"equipment-networking", "nc-retrofit", "robot-application", "lianghua-certification", "mes", "wms"},
        {"lianghua-benchmarking", "cloud-infrastructure", "recipe-management", "food-traceability"},
        [("equipment-networking", "mes"), ("mes", "aps"), ("mes", "digital-workshop")]),
    "mid process: chemical plant": (
        CHEMICAL_PLANT,
        {"hse-monitoring", "robot-application", "lianghua-certification"},
        {"plm", "remote-service", "cloud-infrastructure", "cloud-business", "food-traceability"},
        []),
    "strong discrete: (c) electrical leader": (
        ELECTRICAL_LEADER,
        {"cmmm-assessment", "smart-factory-grading", "digital-twin", "supply-chain-collaboration", "remote-service",
         "industrial-internet-platform", "ai-quality"},
        {"aps", "nc-retrofit", "robot-application", "cloud-infrastructure", "cloud-business", "cloud-equipment",
         "lianghua-benchmarking", "lianghua-certification", "erp", "mes"},
        [("cmmm-assessment", "smart-factory-grading")]),
    "strong process: paper leader": (
        PAPER_LEADER,
        {"cmmm-assessment", "process-optimization", "smart-factory-grading"},
        {"nc-retrofit", "cloud-equipment", "lianghua-certification", "remote-service", "plm", "ems"},
        []),
    "SME only: (d) no profile": (
        SME_ONLY_WEAK,
        {"iiot-sensing", "equipment-networking", "transformation-planning", "network-security"},
        {"nc-retrofit", "robot-application", "plm", "recipe-management", "cmmm-assessment"},
        [("iiot-sensing", "equipment-networking")]),
}


def score(payload):
    return score_payload(copy.deepcopy(payload), LIB)


RESULTS = {name: score(case[0]) for name, case in CASES.items()}


def recs_of(name):
    return {r["id"]: r for r in RESULTS[name]["recommendations"]}


@pytest.mark.parametrize("name", CASES)
def test_each_enterprise_gets_what_it_must_and_nothing_it_must_not(name):
    ids = set(recs_of(name))
    _, must, must_not, _ = CASES[name]
    assert must <= ids, f"missing {must - ids}"
    assert not (must_not & ids), f"unexpected {must_not & ids}"


@pytest.mark.parametrize("name", [n for n in CASES if CASES[n][3]])
def test_what_something_needs_comes_before_it(name):
    recs = recs_of(name)
    for before, after in CASES[name][3]:
        assert recs[before]["priority"] < recs[after]["priority"], (before, after)


@pytest.mark.parametrize("name", CASES)
def test_priorities_read_in_phase_order(name):
    recs = RESULTS[name]["recommendations"]
    assert [r["priority"] for r in recs] == list(range(1, len(recs) + 1))
    assert [r["phase"] for r in recs] == sorted(r["phase"] for r in recs)


@pytest.mark.parametrize("name", CASES)
def test_an_item_placed_later_than_a_lower_scored_one_says_why(name):
    recs = RESULTS[name]["recommendations"]
    for rec in recs:
        earlier_lower = [r for r in recs if r["phase"] < rec["phase"] and r["score"] < rec["score"]]
        if earlier_lower or rec["phase"] != "P1":
            assert rec["phase_reason"], rec["id"]


@pytest.mark.parametrize("name", CASES)
def test_prerequisites_come_first_and_push_the_phase_later(name):
    recs = recs_of(name)
    for rec in recs.values():
        for pre in rec["prerequisites"]:
            assert recs[pre]["priority"] < rec["priority"]
            assert recs[pre]["phase"] < rec["phase"] or recs[pre]["phase"] == rec["phase"] == "P3"


@pytest.mark.parametrize("name", CASES)
def test_each_phase_holds_no_more_than_its_capacity(name):
    phases = [r["phase"] for r in RESULTS[name]["recommendations"]]
    assert phases.count("P1") <= 5 and phases.count("P2") <= 6


@pytest.mark.parametrize("name", CASES)
def test_every_recommendation_has_reasons_as_sentences_a_cost_and_labels(name):
    for rec in RESULTS[name]["recommendations"]:
        assert rec["because"] and all(b["text"] and b["question"] and b["answer"] and b["threshold"]
                                      for b in rec["because"])
        assert rec["kind_label"] == UPGRADES["kinds"][rec["kind"]] and rec["phase_label"]
        est = rec["estimate"]
        assert est["investment"]["range"][0] <= est["investment"]["range"][1]
        assert est["text"].endswith("（估算）")


def test_the_plan_headline_measure_comes_first_when_its_gap_is_large():
    recs = recs_of("weak process: (a) food plant")
    assert recs["nc-retrofit"]["priority"] == 1 and recs["nc-retrofit"]["phase"] == "P1"


def test_fitting_sensors_comes_before_networking_when_few_machines_are_digital():
    recs = recs_of("weak process: (a) food plant")
    assert recs["iiot-sensing"]["phase"] == "P1"
    assert "iiot-sensing" in recs["equipment-networking"]["prerequisites"]
    assert "设备数字化与传感采集" in recs["equipment-networking"]["phase_reason"]


def test_networking_need_not_wait_for_sensors_when_most_machines_are_digital():
    recs = recs_of("mid discrete: (b) machinery plant")
    assert recs["equipment-networking"]["prerequisites"] == [] and recs["equipment-networking"]["phase"] == "P1"


def test_industry_specific_advice_ranks_where_it_matters():
    food = recs_of("weak process: (a) food plant")
    assert food["food-traceability"]["fit"] == "focus"
    assert food["food-traceability"]["priority"] < len(food) * 2 / 3


def test_a_leader_gets_a_roadmap_of_its_own():
    recs = recs_of("strong discrete: (c) electrical leader")
    assert len(recs) >= 6 and len(set(recs) & LEADER_ITEMS) >= 6
    assert {r["phase"] for r in recs.values()} >= {"P1", "P2"}


def test_a_reason_about_a_maturity_sub_domain_names_the_level():
    recs = recs_of("strong discrete: (c) electrical leader")
    texts = [b["text"] for b in recs["industrial-internet-platform"]["because"]]
    assert "数据：五级要求得分 0，需达到 0.8" in texts
    cmmm = RESULTS["strong discrete: (c) electrical leader"]["cmmm"]
    assert cmmm["subdomains"]["data"]["score"] == 4.0


def test_the_robot_reason_is_one_sentence_with_the_headcount_that_matters():
    rec = recs_of("mid discrete: (b) machinery plant")["robot-application"]
    assert rec["because"][0]["text"] == "物料搬运、上下料、焊接、切割等岗位共 73 人，目前仅 8 台工业机器人"
    assert not any(b["fact"].startswith("profile.") and "岗位" not in b["text"] for b in rec["because"])
    assert [a["type"] for a in rec["applications"]][:3] == ["物料搬运", "上下料", "焊接切割"]


def test_the_robot_benefit_is_computed_from_the_headcounts_entered():
    est = recs_of("mid discrete: (b) machinery plant")["robot-application"]["estimate"]
    assert est["investment"]["scaled_by"]["value"] == 73
    assert est["benefit"]["persons"] == [21, 37]                  # 30%-50% of 73
    assert est["benefit"]["money"] == [130, 330]                  # x 6-9 万元 per person-year
    assert est["payback"]["computed"] and est["payback"]["years"][0] < est["payback"]["years"][1]


def test_the_energy_benefit_is_computed_from_the_energy_entered():
    est = recs_of("mid discrete: (b) machinery plant")["ems"]["estimate"]
    assert est["benefit"]["tce"] == [180, 490]                    # 3%-8% of 6,100 tce


def test_a_recommendation_carries_its_indicator_target_per_phase():
    targets = recs_of("mid discrete: (b) machinery plant")["equipment-networking"]["targets"]
    assert targets["text"] == "生产设备联网率 34.6% → 60%（近期末） → 80%（中期末）"
    nc = recs_of("weak process: (a) food plant")["nc-retrofit"]["targets"]
    assert nc["plan_target"] == 0.8 and [p["value"] for p in nc["path"]] == [0.6, 0.8]


def test_guards_are_context_not_reasons():
    for name in CASES:
        for rec in RESULTS[name]["recommendations"]:
            assert not any(b["fact"] == "profile.industry_type" for b in rec["because"]), rec["id"]


def test_an_sme_only_diagnosis_derives_the_equipment_rates_and_marks_them_estimated():
    result = RESULTS["SME only: (d) no profile"]
    assert result["indicators"]["digitization_rate"] == 0.15 and result["indicators"]["networking_rate"] == 0.05
    assert result["indicator_details"]["networking_rate"]["estimated"] is True
    net = recs_of("SME only: (d) no profile")["equipment-networking"]
    assert any("按第3题所选区间" in b["text"] for b in net["because"]) and net["targets"]["estimated"]


def test_counts_given_with_the_sme_answers_are_used_exactly():
    payload = copy.deepcopy(SME_ONLY_WEAK)
    payload["answers"].update({"Q02.equipment_total": 40, "Q02.equipment_digitized": 6, "Q03.equipment_networked": 2})
    result = score(payload)
    assert result["indicators"]["digitization_rate"] == 0.15 and result["indicators"]["networking_rate"] == 0.05
    assert result["indicator_details"]["networking_rate"] == {"estimated": False, "source": "answer.Q03",
                                                             "basis": "第3题填写的设备数量"}
    assert recs_of_result(result)["iiot-sensing"]["estimate"]["investment"]["scaled_by"]["value"] == 34


def recs_of_result(result):
    return {r["id"]: r for r in result["recommendations"]}


def _system_payload(up: dict, level: int) -> dict:
    """A plant at maturity level 1 whose level-2 requirements are all unmet (so every maturity trigger
    applies), other scenes at 2, and the system's own scenes at ``level``."""
    answers = {**scenes(2), **{s: level for s in up["system"]["scenes"]}, **cmmm_answers({1: 1.0, 2: 0.0})}
    payload = copy.deepcopy(FOOD_PLANT if "process" in up.get("production_types", []) else METAL_WORKSHOP)
    payload["answers"] = {k: v for k, v in payload["answers"].items() if k.startswith("Q")} | answers
    if up.get("industries"):
        payload["industry"] = up["industries"][0]
    return payload


@pytest.mark.parametrize("level", range(5))
@pytest.mark.parametrize("up", SYSTEMS, ids=[u["id"] for u in SYSTEMS])
def test_no_system_is_introduced_where_the_answers_say_it_is_in_use(up, level):
    rec = recs_of_result(score(_system_payload(up, level))).get(up["id"])
    in_use = level >= up["system"]["in_use_from"]
    if rec is None:
        return
    if in_use:
        assert rec["action"] in ("integrate", "optimize") and rec["title"] != up["title"]
        assert str(level) in up["system"]["next"]
    else:
        assert rec["action"] == "introduce" and rec["title"] == up["title"]


@pytest.mark.parametrize("up", [u for u in SYSTEMS if u["system"]["next"]], ids=lambda u: u["id"])
def test_a_system_in_use_gets_its_next_step(up):
    actions = {level: (recs_of_result(score(_system_payload(up, level))).get(up["id"]) or {}).get("action")
               for level in range(up["system"]["in_use_from"], 4)}
    for level, step in up["system"]["next"].items():
        assert actions[int(level)] in ("integrate", "optimize"), (level, actions)


@pytest.mark.parametrize("up", SYSTEMS, ids=[u["id"] for u in SYSTEMS])
def test_a_system_at_the_top_scene_level_is_not_recommended(up):
    assert up["id"] not in recs_of_result(score(_system_payload(up, 4)))


@pytest.mark.parametrize("up", [u for u in SYSTEMS if u["system"]["next"]], ids=lambda u: u["id"])
def test_a_system_in_use_is_estimated_for_its_next_step_not_for_its_introduction(up):
    from diagnosis.scoring.labels import estimate_basis
    for level, step in up["system"]["next"].items():
        rec = recs_of_result(score(_system_payload(up, int(level)))).get(up["id"])
        if rec is None:
            continue
        own, intro = step["estimate"], up["estimate"]
        assert rec["estimate"]["investment"]["range"] == own["investment"]["typical"], level
        if not rec["estimate"]["payback"]["computed"]:       # energy and labour paybacks are worked out
            assert rec["estimate"]["payback"]["years"] == own["payback"]["years"], level
        if own["benefit"]["kind"] == "text":
            assert own["benefit"]["text"].rstrip("。") in rec["estimate"]["text"]
            assert intro["benefit"].get("text", "—").rstrip("。") not in rec["estimate"]["text"]
        assert estimate_basis(LIB, up["id"], int(level))["investment"] == own["investment"]["basis"]


def test_mes_and_wms_in_use_become_their_next_steps():
    recs = recs_of("mid discrete: (b) machinery plant")
    assert recs["mes"]["action"] == "integrate" and recs["mes"]["title"] == "MES 与设备、质量、仓储系统集成"
    assert recs["wms"]["action"] == "integrate" and "WMS 与生产" in recs["wms"]["title"]


def test_a_running_aps_is_not_piloted_again():
    assert "aps" not in recs_of("strong discrete: (c) electrical leader")


def test_an_unknown_production_type_or_industry_gets_no_type_specific_items():
    ids = set(recs_of("SME only: (d) no profile"))
    assert not ids & {u["id"] for u in UPGRADES["upgrades"] if u.get("production_types") or u.get("industries")}


def test_the_result_names_the_plan_and_its_validity():
    plan = RESULTS["mid discrete: (b) machinery plant"]["plan"]
    assert plan["valid_to"] == "2022-12-31" and "2020—2022" in plan["name"]


def test_policy_hooks_cite_their_source_where_they_apply():
    hooks = {h["id"]: h for h in RESULTS["mid discrete: (b) machinery plant"]["policies"]}
    assert {"zjtx-digital-level", "smart-factory-tiers", "xuchang-sme-pilot"} <= set(hooks)
    assert "工信厅企业〔2024〕56号" in hooks["zjtx-digital-level"]["citation"]
    assert "二级（规范级）" in hooks["smart-factory-tiers"]["text"]
    assert "35 专用设备制造业" in hooks["xuchang-sme-pilot"]["text"]


def test_sme_policies_say_a_large_enterprise_is_not_an_sme():
    hooks = {h["id"]: h for h in RESULTS["strong discrete: (c) electrical leader"]["policies"]}
    assert "xuchang-sme-pilot" not in hooks
    assert "从业人员 1850 人、营业收入 268000 万元，不属于中小企业" in hooks["zjtx-digital-level"]["text"]
    food = {h["id"] for h in RESULTS["weak process: (a) food plant"]["policies"]}
    assert "xuchang-sme-pilot" not in food
    assert "未达到一级" in next(h for h in RESULTS["weak process: (a) food plant"]["policies"]
                                if h["id"] == "zjtx-digital-level")["text"]


def test_inflated_self_ratings_still_get_advice_for_the_plant_they_describe():
    recs = recs_of_result(score(INFLATED))
    assert {"equipment-networking", "nc-retrofit"} <= set(recs)


def test_a_report_after_the_plans_end_says_the_plan_has_expired():
    import datetime

    from diagnosis.scoring.labels import plan_status
    plan = RESULTS["mid discrete: (b) machinery plant"]["plan"]
    late = plan_status(plan, datetime.date(2026, 11, 20))
    assert late["expired"] and "有效期至 2022年12月31日，已经到期" in late["text"] and "征求意见稿" in late["text"]
    assert not plan_status(plan, datetime.date(2021, 6, 1))["expired"]


def test_the_indicator_rows_come_from_the_targets_file():
    from diagnosis.scoring.labels import indicator_rows
    result = RESULTS["SME only: (d) no profile"]
    rows = indicator_rows(LIB["targets"].data, LIB["profile"].data, result, {}, submitted=True)
    assert [r["name"] for r in rows] == [r["label"] for r in LIB["targets"].data["report_rows"]]
    net = rows[1]
    assert net["value"] == "5.0%（估算）" and net["estimated"] and "按第3题所选区间" in net["note"]


def test_a_plant_that_ticked_no_cloud_layer_reads_as_not_on_the_cloud():
    from diagnosis.scoring.labels import indicator_rows
    profile = CASES["weak process: (a) food plant"][0]["profile"]
    assert profile["cloud_layers"] == []
    result = RESULTS["weak process: (a) food plant"]
    rows = indicator_rows(LIB["targets"].data, LIB["profile"].data, result, profile, submitted=True)
    cloud = next(r for r in rows if r["name"] == "企业上云")
    assert cloud["value"] == "尚未上云" and cloud["status"] == "未计入"


def test_every_estimate_has_its_basis_in_the_catalog():
    from diagnosis.scoring.labels import estimate_basis
    for up in UPGRADES["upgrades"]:
        basis = estimate_basis(LIB, up["id"])
        assert basis["investment"] and basis["payback"] or up["estimate"].get("payback") is None


def test_a_plant_at_level_five_is_not_told_to_assess_toward_a_next_level():
    top = {**ELECTRICAL_LEADER, "answers": {**ELECTRICAL_LEADER["answers"],
                                            **cmmm_answers({1: 1.0, 2: 1.0, 3: 1.0, 4: 1.0, 5: 1.0})}}
    result = score(top)
    assert result["cmmm"]["level"] == 5
    assert "cmmm-assessment" not in {r["id"] for r in result["recommendations"]}

"""Capability maturity scoring (GB/T 39116/39117 method as configured in cmmm.yaml)."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diagnosis.instruments import load_library
from diagnosis.scoring import ScoreInputError, score_payload

LIB = load_library()
DOC = LIB["cmmm"].data
ITEMS = [(i["id"], sd["key"], int(level)) for sd in DOC["subdomains"] for level, items in sd["levels"].items() for i in items]
SCALE = [0.0, 0.5, 0.8, 1.0]


def score(answers, profile="discrete"):
    return score_payload({"questionnaire": "cmmm", "profile": {"industry_type": profile}, "answers": answers}, LIB)


def up_to(k, value=1.0):
    return {i: value for i, _, level in ITEMS if level <= k}


answer_sets = st.fixed_dictionaries({}, optional={i: st.sampled_from(SCALE) for i, _, _ in ITEMS})
profiles = st.sampled_from(["discrete", "process"])


@settings(max_examples=150, deadline=None)
@given(answers=answer_sets, profile=profiles, data=st.data())
def test_raising_any_answer_never_lowers_s(answers, profile, data):
    item = data.draw(st.sampled_from([i for i, _, _ in ITEMS]))
    before = answers.get(item, 0.0)
    higher = data.draw(st.sampled_from([v for v in SCALE if v >= before]))
    raised = {**answers, item: higher}
    assert score(raised, profile)["score"] >= score(answers, profile)["score"]


@settings(max_examples=150, deadline=None)
@given(answers=answer_sets, profile=profiles)
def test_s_stays_within_0_and_5_and_the_band_agrees_with_the_achieved_level(answers, profile):
    result = score(answers, profile)
    assert 0 <= result["score"] <= 5
    assert result["level"] == result["achieved"]
    assert result["achieved"] <= result["score"] < result["achieved"] + 0.8 or result["score"] == 5


@settings(max_examples=60, deadline=None)
@given(answers=answer_sets, profile=profiles)
def test_levels_above_the_next_one_are_not_asked_and_count_zero(answers, profile):
    result = score(answers, profile)
    for level in range(result["asked_up_to"] + 1, 6):
        assert result["level_scores"][str(level)] == 0


@pytest.mark.parametrize("profile", ["discrete", "process"])
def test_all_items_fully_satisfied_gives_level_five_and_s_5(profile):
    result = score(up_to(5), profile)
    assert result["level"] == 5 and result["score"] == 5 and result["level_label"] == "五级"


@pytest.mark.parametrize("answers", [{}, up_to(5, 0.0)])
def test_nothing_satisfied_gives_zero(answers):
    result = score(answers)
    assert result["level"] == 0 and result["score"] == 0 and result["level_label"] == "未达一级"


@pytest.mark.parametrize("k", range(0, 6))
def test_levels_one_to_k_fully_satisfied_and_nothing_above_gives_level_k(k):
    result = score(up_to(k))
    assert result["level"] == k and result["score"] == k


def test_s_is_k_plus_the_next_level_score():
    answers = {**up_to(2), **{i: 0.5 for i, _, level in ITEMS if level == 3}}
    result = score(answers)
    assert result["level"] == 2 and result["level_scores"]["3"] == 0.5 and result["score"] == 2.5


def test_the_bar_is_0_8_mostly_satisfied_items_achieve_a_level():
    assert score(up_to(1, 0.8))["level"] == 1
    assert score({**up_to(1, 0.8), next(i for i, _, lv in ITEMS if lv == 1): 0.5})["level"] == 0


def test_a_level_is_not_achieved_when_a_lower_one_is_not():
    answers = {**up_to(3), **{i: 0.0 for i, _, level in ITEMS if level == 1}}
    result = score(answers)
    assert result["level"] == 0 and result["level_scores"]["3"] == 0   # not asked: counts 0


def test_a_not_applicable_sub_domain_is_dropped_and_weights_renormalized():
    service = [i for i, sd, _ in ITEMS if sd == "product_service"]
    without = score({**up_to(5), **{i: 0.0 for i in service}})
    dropped = score({**up_to(5), **{i: None for i in service}})
    assert without["level_scores"]["3"] < 1 and dropped["level_scores"]["3"] == 1
    assert dropped["subdomains"]["product_service"]["levels"]["3"] is None


def test_not_applicable_is_refused_where_the_profile_does_not_allow_it():
    with pytest.raises(ScoreInputError) as exc:
        score({"EQ1.1": None})
    assert exc.value.key == "answers.EQ1.1" and "不可选“不适用”" in exc.value.message


@pytest.mark.parametrize("value", [0.7, 2, "1", True])
def test_values_off_the_four_grade_scale_are_refused(value):
    with pytest.raises(ScoreInputError, match="answers.EQ1.1"):
        score({"EQ1.1": value})


def test_the_production_type_is_required_and_named():
    with pytest.raises(ScoreInputError) as exc:
        score_payload({"questionnaire": "cmmm", "answers": {}}, LIB)
    assert exc.value.key == "profile.industry_type"


def test_the_method_block_names_every_configurable_part():
    method = score(up_to(1))["method"]
    assert method["achieve_threshold"] == 0.8 and method["overall"] == "k_plus_next"
    assert method["profile"] == "discrete" and len(method["weights"]) == 20 and method["notes"]


def test_the_profiles_weight_sub_domains_differently():
    answers = {i: (1.0 if sd in ("energy", "hse") else 0.5) for i, sd, level in ITEMS if level == 1}
    assert score(answers, "process")["level_scores"]["1"] > score(answers, "discrete")["level_scores"]["1"]


def test_the_instrument_has_the_20_sub_domains_and_at_least_two_items_per_level():
    assert len(DOC["subdomains"]) == 20
    assert 150 <= len(ITEMS) <= 250
    for sd in DOC["subdomains"]:
        for level in range(sd["min_level"], 6):
            assert len(sd["levels"][str(level)]) >= 2


def test_export_lists_each_item_with_id_subdomain_and_level():
    from diagnosis.instruments.export import export
    items = export(LIB["cmmm"], LIB)["items"]
    assert len(items) == len(ITEMS)
    assert {"id", "subdomain", "level"} <= set(items[0])


def test_the_combined_diagnosis_returns_both_results():
    from diagnosis.demo import demo_payload
    result = score_payload(demo_payload(LIB), LIB)
    assert result["questionnaire"] == "zhizao-2024"
    assert result["sme"]["grade"] == 2 and result["cmmm"]["level"] == 2
    assert 2 < result["cmmm"]["score"] < 2.8


# --------------------------------------------------------------------------- sub-domains: no free levels

SUBDOMAINS = {sd["key"]: sd for sd in DOC["subdomains"]}


@settings(max_examples=150, deadline=None)
@given(answers=answer_sets, profile=profiles)
def test_a_sub_domain_is_credited_only_with_levels_it_was_assessed_on(answers, profile):
    result = score(answers, profile)
    for key, sd in result["subdomains"].items():
        if sd["score"] is None:
            assert sd["status"] in ("not_assessed", "not_applicable", "tailored") and not sd["assessed"]
            continue
        m = SUBDOMAINS[key]["min_level"]
        achieved = sd["achieved"]
        assert achieved == 0 or achieved >= m
        assert int(sd["score"] + 1e-9) == achieved or sd["score"] == 5
        for level in range(m, achieved + 1):       # every credited level was asked and met the bar
            assert level <= result["asked_up_to"] and sd["levels"][str(level)] >= 0.8 - 1e-9
        if achieved == 0:                          # nothing credited: the score is the first level's own
            assert sd["score"] == (sd["levels"][str(m)] or 0) and sd["score"] < 1


@settings(max_examples=150, deadline=None)
@given(answers=answer_sets, profile=profiles)
def test_nothing_assessed_is_never_a_strength_or_a_gap(answers, profile):
    result = score(answers, profile)
    standing = result["standing"]
    unscored = {k for k, sd in result["subdomains"].items() if sd["score"] is None}
    assert not unscored & (set(standing["strengths"]) | set(standing["gaps"]))
    assert set(standing["not_assessed"]) | set(standing["not_applicable"]) | set(standing["tailored"]) == unscored


@settings(max_examples=100, deadline=None)
@given(answers=answer_sets, profile=profiles)
def test_strengths_gaps_and_focus_follow_one_rule(answers, profile):
    result = score(answers, profile)
    k, standing = result["achieved"], result["standing"]
    for key, sd in result["subdomains"].items():
        assert (key in standing["strengths"]) == (sd["status"] == "strength") == (sd["score"] is not None and sd["achieved"] > k)
        assert (key in standing["gaps"]) == (sd["status"] == "gap")
        if sd["status"] == "gap":
            assert sd["achieved"] < max(k, 1) <= 5 and SUBDOMAINS[key]["min_level"] <= max(k, 1)
    focus = standing["next_level_focus"]
    assert all(f["level"] == k + 1 and f["score"] < 0.8 for f in focus)
    assert [f["score"] for f in focus] == sorted(f["score"] for f in focus)


@settings(max_examples=100, deadline=None)
@given(answers=answer_sets, profile=profiles, data=st.data())
def test_raising_any_answer_never_lowers_a_sub_domain_score(answers, profile, data):
    item = data.draw(st.sampled_from([i for i, _, _ in ITEMS]))
    higher = data.draw(st.sampled_from([v for v in SCALE if v >= answers.get(item, 0.0)]))
    before, after = score(answers, profile), score({**answers, item: higher}, profile)
    for key, sd in before["subdomains"].items():
        if sd["score"] is not None:
            assert after["subdomains"][key]["score"] >= sd["score"]


def test_a_sub_domain_starting_at_level_3_is_not_assessed_below_it():
    result = score(up_to(1, 0.5))                  # level 1 not achieved: only level 1 is asked
    for key in ("product_service", "data", "integration", "logistics"):
        sd = result["subdomains"][key]
        assert sd["score"] is None and sd["status"] == "not_assessed" and sd["status_label"] == "未评估"
    assert set(result["standing"]["not_assessed"]) == {"product_service", "data", "integration", "logistics"}


def test_a_sub_domain_is_not_credited_with_levels_below_its_first_requirements():
    answers = {**up_to(2), **{i: 0.5 for i, sd, level in ITEMS if level == 3}}
    service = score(answers)["subdomains"]["product_service"]      # requirements start at level 3
    assert service["achieved"] == 0 and service["score"] == 0.5    # not 2.5: levels 1 and 2 are not free


def test_every_sub_domain_at_or_above_the_level_has_no_gaps_but_a_focus_for_the_next():
    answers = {**up_to(2), **{i: 0.5 for i, sd, level in ITEMS if level == 3}}
    answers.update({i: 0.0 for i, sd, level in ITEMS if level == 3 and sd in ("data", "energy")})
    standing = score(answers)["standing"]
    assert standing["gaps"] == [] and standing["strengths"] == []
    assert [f["key"] for f in standing["next_level_focus"][:2]] == ["data", "energy"]
    assert standing["target_level"] == 3

"""Coverage counts enterprises on the official roster, per area (all nine) and industry, in a round.

The dataset, counted by hand:
  roster A  开发区, 34  registered, submitted twice this round  -> diagnosed (once)
  roster B  开发区, 34  registered, a draft in progress          -> drafting
  roster C  长葛市, 13  not registered
  roster D  禹州市, 13  registered, nothing started
  E (not on the roster) 开发区, submitted                         -> not counted, listed apart
"""
from datetime import date

import pytest
from bureau_data import credit_code, roster_csv
from conftest import make_enterprise, submit_demo

from diagnosis.assessments import services
from diagnosis.bureau.coverage import ListFilter, coverage, enterprise_rows
from diagnosis.bureau.roster import import_roster, registered_off_roster
from diagnosis.bureau.rounds import calendar_year, current_round, save_round
from diagnosis.extensions import db

ROSTER = [(credit_code(1), "许昌甲装备有限公司", "经济技术开发区", "34", "王一", "13800000001"),
          (credit_code(2), "许昌乙装备有限公司", "经济技术开发区", "34", "王二", "13800000002"),
          (credit_code(3), "长葛丙食品有限公司", "长葛市", "13", "王三", "13800000003"),
          (credit_code(4), "禹州丁食品有限公司", "yuzhou", "13", "王四", "13800000004")]


@pytest.fixture
def dataset(app):
    outcome = import_roster("roster.csv", roster_csv(ROSTER))
    db.session.commit()
    assert outcome.ok and outcome.added == 4
    a = make_enterprise(name="许昌甲装备有限公司", code=credit_code(1), email="a@example.com")
    submit_demo(a)
    submit_demo(a)
    b = make_enterprise(name="许昌乙装备有限公司", code=credit_code(2), email="b@example.com")
    services.start_diagnosis(b)
    make_enterprise(name="禹州丁食品有限公司", code=credit_code(4), email="d@example.com", area_code="yuzhou",
                    industry="13")
    submit_demo(make_enterprise(name="不在名录的企业", code=credit_code(5), email="e@example.com"))


def by_name(rows):
    return {r["name"]: r for r in rows}


def test_totals_count_the_roster_and_a_resubmission_once(dataset):
    total = coverage(current_round())["total"]
    assert (total["roster"], total["registered"], total["drafting"], total["diagnosed"]) == (4, 3, 1, 1)
    assert total["rate"] == 0.25 and total["of_target"] == 0.25


def test_every_area_is_listed_including_those_nobody_registered_in(dataset):
    areas = by_name(coverage(current_round())["by_area"])
    assert len(areas) == 9
    assert [areas["经济技术开发区"][k] for k in ("roster", "registered", "drafting", "diagnosed")] == [2, 2, 1, 1]
    assert [areas["长葛市"][k] for k in ("roster", "registered", "diagnosed")] == [1, 0, 0]
    assert areas["魏都区"]["roster"] == 0 and areas["魏都区"]["rate"] is None


def test_industries_are_counted_on_the_roster(dataset):
    industries = by_name(coverage(current_round())["by_industry"])
    assert industries["通用设备制造业"]["roster"] == 2 and industries["通用设备制造业"]["diagnosed"] == 1
    assert industries["农副食品加工业"]["roster"] == 2 and industries["农副食品加工业"]["registered"] == 1


def test_a_submission_outside_the_round_does_not_count(dataset):
    last_year = calendar_year(date.today().year - 1)
    assert coverage(last_year)["total"]["diagnosed"] == 0


def test_a_configured_round_becomes_the_current_one(app):
    save_round("第一轮", date(2026, 3, 1), date(2026, 9, 30), make_current=True)
    db.session.commit()
    assert current_round().name == "第一轮" and current_round().ends_on == date(2026, 9, 30)


def test_an_area_scope_limits_the_figures_to_that_area(dataset):
    from conftest import area
    figures = coverage(current_round(), area("changge").id)
    assert [r["name"] for r in figures["by_area"]] == ["长葛市"]
    assert figures["total"]["roster"] == 1


def test_the_still_to_diagnose_list_has_the_contacts(dataset):
    rows = db.session.execute(enterprise_rows(current_round(), ListFilter(status="todo"))).all()
    assert sorted(r.name for r in rows) == ["禹州丁食品有限公司", "许昌乙装备有限公司", "长葛丙食品有限公司"]
    c = next(r for r in rows if r.name == "长葛丙食品有限公司")
    assert (c.contact_name, c.contact_phone, c.status) == ("王三", "13800000003", "unregistered")


def test_the_list_has_one_row_per_enterprise_with_its_latest_diagnosis(dataset):
    rows = db.session.execute(enterprise_rows(current_round(), ListFilter(q="甲装备"))).all()
    assert len(rows) == 1 and rows[0].status == "diagnosed" and rows[0].sme_label
    by_code = db.session.execute(enterprise_rows(current_round(), ListFilter(q=credit_code(3).lower()))).all()
    assert [r.name for r in by_code] == ["长葛丙食品有限公司"]


def test_registered_enterprises_missing_from_the_roster_are_listed_apart(dataset):
    assert [e.name for e in db.session.scalars(registered_off_roster())] == ["不在名录的企业"]


def test_levels_are_counted_once_per_enterprise_on_its_latest_diagnosis(dataset):
    from diagnosis.bureau.levels import distribution
    dist = distribution()
    assert sum(dist["sme"]["total"]) == 1 and sum(dist["cmmm"]["total"]) == 1      # A only (E is off the roster)
    assert len(dist["sme"]["rows"]) == 9


def test_indicators_are_weighted_and_summed_against_the_plan_targets(dataset):
    """A's latest diagnosis (the demo profile): 15 of 24 key processes NC, 58 of 180 machines networked,
    6 robots, one smart line, infrastructure on the cloud, 两化融合 benchmarked."""
    from diagnosis.bureau.levels import indicators
    result = indicators()
    rows = {r["key"]: r for r in result["rows"]}
    assert result["diagnosed"] == 1 and result["plan"]["valid_to"] == "2022-12-31"
    assert rows["nc_rate"]["value"] == 15 / 24 and rows["nc_rate"]["of_target"] == (15 / 24) / 0.8
    assert rows["networking"]["value"] == 58 / 180 and rows["networking"]["target"] is None
    assert (rows["robots"]["value"], rows["robots"]["target"]) == (6, 8000)
    assert [rows[k]["value"] for k in ("smart_lines", "smart_factories", "cloud_enterprises",
                                       "lianghua_benchmarked", "lianghua_certified")] == [1, 0, 1, 1, 0]


def test_rebuilding_the_summaries_gives_the_same_figures(dataset, runner):
    from diagnosis.bureau.levels import distribution
    before = coverage(current_round()), distribution()
    result = runner.invoke(args=["rebuild-summary"])
    assert "rebuilt: 3 rows" in result.output
    assert (coverage(current_round()), distribution()) == before


def test_the_monthly_trend_counts_each_enterprise_once_a_month(dataset):
    from datetime import datetime, timezone
    from diagnosis.bureau.levels import monthly
    this_month = datetime.now(timezone.utc).strftime("%Y-%m")
    assert monthly(current_round()) == [{"label": this_month, "value": 1}]


def test_the_previous_round_is_the_calendar_year_before_unless_configured(app):
    from diagnosis.bureau.rounds import previous_round
    assert previous_round(calendar_year(2026)).name == "2025年度"
    save_round("2025年第二轮", date(2025, 7, 1), date(2025, 12, 31), make_current=False)
    assert previous_round(calendar_year(2026)).name == "2025年第二轮"


def test_the_list_filters_on_whether_a_provider_reviewed_the_latest_diagnosis(dataset):
    from sqlalchemy import select

    from diagnosis.accounts.models import Enterprise, Role
    from diagnosis.accounts.services import create_user
    from diagnosis.assessments.models import SUBMITTED, Diagnosis
    provider = create_user("p@example.com", "correct-horse-9", Role.PROVIDER, organization="咨询公司")
    latest = db.session.scalars(select(Diagnosis).join(Enterprise).where(
        Enterprise.credit_code == credit_code(1), Diagnosis.status == SUBMITTED).order_by(Diagnosis.id.desc())).first()

    def named(reviewed):
        return [r.name for r in db.session.execute(enterprise_rows(current_round(), ListFilter(reviewed=reviewed)))]
    assert named("no") == ["许昌甲装备有限公司"] and named("yes") == []
    from diagnosis.assessments import reviews, sharing
    sharing.share_with(latest, provider, latest.created_by)
    reviews.save_draft(latest, provider, reviews.ReviewInput(opinion="草稿：建议优先推进设备联网。"))
    assert named("yes") == [] and named("no") == ["许昌甲装备有限公司"]      # a draft is not a review yet
    reviews.publish(latest, provider, reviews.ReviewInput(opinion="建议优先推进设备联网，分步实施。"))
    assert named("yes") == ["许昌甲装备有限公司"] and named("no") == []

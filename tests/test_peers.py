"""Peer averages come from a snapshot frozen per month over at least 5 enterprises on the roster:
same industry first, else same area. No submission moves it, so no score leaks by difference."""
from bureau_data import credit_code, roster_csv
from conftest import make_enterprise, submit_demo

from diagnosis.bureau.roster import import_roster
from diagnosis.extensions import db
from diagnosis.reports.web.peers import peer_averages

AREA_NAMES = {"changge": "长葛市", "jingkai": "经济技术开发区"}


def on_roster(numbers, industry="34", area="changge", victim=False):
    rows = [(credit_code(n), f"同行企业{n}", AREA_NAMES[area], industry, "", "") for n in numbers]
    if victim:
        rows.append((credit_code(99), "许昌测试装备制造有限公司", "经济技术开发区", "34", "", ""))
    assert import_roster("r.csv", roster_csv(rows)).ok
    db.session.commit()


def peers(numbers, industry="34", area="changge", roster=True, victim=False):
    if roster:
        on_roster(numbers, industry, area, victim)
    for n in numbers:
        submit_demo(make_enterprise(name=f"同行企业{n}", code=credit_code(n), email=f"peer{n}@example.com",
                                    area_code=area, industry=industry))


def victim(app):
    """An enterprise that registered itself (not on the roster unless a test puts it there)."""
    return make_enterprise(name="许昌测试装备制造有限公司", code=credit_code(99), email="victim@example.com")


def test_fewer_than_five_peers_give_no_average(app):
    peers(range(1, 5))
    assert peer_averages(submit_demo(victim(app))) is None


def test_five_peers_on_the_roster_in_the_same_industry_give_the_industry_average(app):
    peers(range(1, 6))
    d = submit_demo(victim(app))
    result = peer_averages(d, period="2026-01")
    assert result["basis"] == "同行业" and result["count"] == 5
    assert result["subdomains"]["equipment"] == d.result.data["cmmm"]["subdomains"]["equipment"]["score"]


def test_without_industry_peers_the_area_is_used(app):
    peers(range(1, 6), industry="13", area="jingkai")
    result = peer_averages(submit_demo(victim(app)))
    assert result["basis"] == "同区域" and result["count"] == 5


def test_enterprises_not_on_the_roster_are_not_peers(app):
    on_roster([], victim=True)
    peers(range(1, 6), roster=False)
    assert peer_averages(submit_demo(victim(app))) is None


def test_the_difference_attack_recovers_nothing(app):
    """Average after × 6 − average before × 5 gave the newcomer's scores when averages were live."""
    peers(range(1, 6), victim=True)
    observer = submit_demo(make_enterprise(name="同行企业1-观察", code=credit_code(50), email="o@example.com"))
    before = peer_averages(observer)
    submit_demo(victim(app))                                       # the victim submits after the snapshot
    peers(range(10, 13), roster=False)                             # and fake registrations pile in
    after = peer_averages(observer)
    assert after == before


def test_a_result_is_compared_with_the_snapshot_of_the_month_it_was_scored(app):
    from datetime import datetime, timezone

    from diagnosis.reports.web.peers import take_snapshot
    peers(range(1, 6))
    d = submit_demo(victim(app))
    d.result.created_at = datetime(2026, 3, 15, tzinfo=timezone.utc)
    db.session.commit()
    take_snapshot("2026-03")
    march = peer_averages(d)
    peers(range(20, 26), industry="34")                            # a later month sees more peers
    take_snapshot("2026-04")
    assert march["period"] == "2026-03" and peer_averages(d) == march
    assert peer_averages(d, period="2026-04")["count"] > march["count"]

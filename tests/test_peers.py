"""The maturity radar compares with peers: same industry first, else same area, from 5 peers on."""
from conftest import make_enterprise, submit_demo

from diagnosis.reports.web.peers import peer_averages

CODES = ['91411039MAH4BXKFL6', '91411091MAK0XTF8H0', '91411033MANFHTHFCF', '91411023MAL4UXGCPK',
         '91411001MA5QYJ19Q1', '91411004MAFKPXWCNW', '91411066MAPRJEYX4R']


def peers(n, industry="34", area="changge"):
    for i in range(n):
        user = make_enterprise(name=f"同行企业{i}", code=CODES[i], email=f"peer{i}@example.com",
                               area_code=area, industry=industry)
        submit_demo(user)


def test_fewer_than_five_peers_give_no_average(enterprise_user):
    d = submit_demo(enterprise_user)
    peers(4)
    assert peer_averages(d) is None


def test_five_peers_in_the_same_industry_give_the_industry_average(enterprise_user):
    d = submit_demo(enterprise_user)
    peers(5)
    result = peer_averages(d)
    assert result["basis"] == "同行业" and result["count"] == 5
    assert result["subdomains"]["equipment"] == d.result.data["cmmm"]["subdomains"]["equipment"]["score"]


def test_without_industry_peers_the_area_is_used(enterprise_user):
    d = submit_demo(enterprise_user)              # 经济技术开发区, industry 34
    peers(5, industry="13", area="jingkai")
    result = peer_averages(d)
    assert result["basis"] == "同区域" and result["count"] == 5


def test_the_enterprise_itself_and_drafts_are_not_peers(enterprise_user):
    from diagnosis.assessments import services
    d = submit_demo(enterprise_user)
    for _ in range(5):
        submit_demo(enterprise_user)
    services.start_diagnosis(enterprise_user)
    assert peer_averages(d) is None

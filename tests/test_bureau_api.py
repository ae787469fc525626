"""GET /api/v1/coverage gives the page's figures to a bureau token, scoped like the page."""
from bureau_data import credit_code, roster_csv
from conftest import make_enterprise, submit_demo

from diagnosis.accounts.services import issue_token
from diagnosis.bureau.roster import import_roster
from diagnosis.extensions import db

ROSTER = [(credit_code(1), "开发区名录甲公司", "经济技术开发区", "34", "", ""),
          (credit_code(2), "长葛名录乙公司", "长葛市", "13", "", "")]


def bearer(user):
    return {"Authorization": f"Bearer {issue_token(user, hours=1)[0]}"}


def seed():
    assert import_roster("r.csv", roster_csv(ROSTER)).ok
    db.session.commit()
    submit_demo(make_enterprise(name="开发区名录甲公司", code=credit_code(1), email="a@example.com"))


def test_a_city_bureau_gets_every_area_with_the_page_figures(client, city_bureau_user):
    seed()
    body = client.get("/api/v1/coverage", headers=bearer(city_bureau_user)).get_json()
    assert len(body["by_area"]) == 9
    assert body["total"] == {"roster": 2, "registered": 1, "drafting": 0, "diagnosed": 1, "rate": 0.5, "of_target": 0.5}
    jingkai = next(r for r in body["by_area"] if r["code"] == "jingkai")
    assert (jingkai["roster"], jingkai["diagnosed"], jingkai["rate"]) == (1, 1, 1.0)


def test_filters_by_area_and_industry(client, city_bureau_user):
    seed()
    body = client.get("/api/v1/coverage?area=changge&industry=13", headers=bearer(city_bureau_user)).get_json()
    assert [r["code"] for r in body["by_area"]] == ["changge"] and body["total"]["roster"] == 1


def test_an_area_bureau_gets_its_area_and_404_for_another(client, bureau_user):
    seed()
    own = client.get("/api/v1/coverage", headers=bearer(bureau_user)).get_json()
    assert [r["code"] for r in own["by_area"]] == ["jingkai"]
    assert client.get("/api/v1/coverage?area=changge", headers=bearer(bureau_user)).status_code == 404


def test_an_enterprise_token_gets_404(client, enterprise_user):
    assert client.get("/api/v1/coverage", headers=bearer(enterprise_user)).status_code == 404


def test_an_unknown_round_is_a_400_naming_it(client, city_bureau_user):
    response = client.get("/api/v1/coverage?round=明年", headers=bearer(city_bureau_user))
    assert response.status_code == 400 and response.get_json()["error"]["key"] == "round"

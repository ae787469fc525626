"""The bureau's pages: scope (an area bureau sees its own area only), the roster upload, exports
that open in Excel (read back with openpyxl)."""
import io

from bureau_data import credit_code, roster_csv
from conftest import area, login, make_enterprise, submit_demo
from openpyxl import load_workbook

from diagnosis.bureau.roster import import_roster
from diagnosis.extensions import db

ROSTER = [(credit_code(1), "开发区名录甲公司", "经济技术开发区", "34", "王一", "13800000001"),
          (credit_code(2), "长葛名录乙公司", "长葛市", "13", "王二", "13800000002"),
          (credit_code(3), "长葛名录丙公司", "长葛市", "13", "王三", "13800000003")]


def roster(app):
    assert import_roster("r.csv", roster_csv(ROSTER)).ok
    db.session.commit()
    submit_demo(make_enterprise(name="开发区名录甲公司", code=credit_code(1), email="a@example.com"))


def test_an_area_bureau_sees_only_its_own_area(client, app, bureau_user):
    roster(app)
    login(client, bureau_user)
    page = client.get("/bureau/").get_data(as_text=True)
    assert "经济技术开发区" in page and "长葛市" not in page
    listing = client.get("/bureau/enterprises").get_data(as_text=True)
    assert "开发区名录甲公司" in listing and "长葛名录乙公司" not in listing


def test_an_area_bureau_asking_for_another_area_gets_404(client, app, bureau_user):
    login(client, bureau_user)
    other = area("changge").id
    assert client.get(f"/bureau/?area={other}").status_code == 404
    assert client.get(f"/bureau/enterprises?area={other}").status_code == 404
    assert client.get(f"/bureau/export/todo.xlsx?area={other}").status_code == 404


def test_an_area_bureau_cannot_replace_the_city_roster(client, app, bureau_user):
    login(client, bureau_user)
    assert client.get("/bureau/roster").status_code == 404
    assert client.post("/bureau/roster", data={"file": (io.BytesIO(roster_csv(ROSTER)), "r.csv")}).status_code == 404


def test_a_city_bureau_sees_all_nine_areas(client, app, city_bureau_user):
    roster(app)
    login(client, city_bureau_user)
    page = client.get("/bureau/").get_data(as_text=True)
    for name in ("禹州市", "长葛市", "鄢陵县", "襄城县", "魏都区", "建安区", "城乡一体化示范区", "经济技术开发区", "东城区"):
        assert name in page


def test_the_upload_shows_every_row_error_and_imports_nothing(client, app, city_bureau_user):
    login(client, city_bureau_user)
    bad = ROSTER + [("123", "短代码公司", "长葛市", "13", "", ""), (credit_code(5), "未知区域公司", "火星区", "13", "", "")]
    response = client.post("/bureau/roster", data={"file": (io.BytesIO(roster_csv(bad)), "r.csv")})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "应为 18 位" in page and "火星区" in page and "未导入任何数据" in page
    assert "当前名录共 <strong>0</strong> 家" in page


def test_the_upload_imports_a_clean_roster_and_audits_it(client, app, city_bureau_user):
    from diagnosis.audit.models import AuditEvent
    login(client, city_bureau_user)
    response = client.post("/bureau/roster", data={"file": (io.BytesIO(roster_csv(ROSTER)), "r.csv")})
    assert response.status_code == 200 and "当前名录共 <strong>3</strong> 家" in response.get_data(as_text=True)
    event = db.session.query(AuditEvent).filter_by(action="roster.import").one()
    assert event.detail["added"] == 3


def test_the_still_to_diagnose_export_opens_in_excel_with_a_frozen_header(client, app, city_bureau_user):
    roster(app)
    login(client, city_bureau_user)
    response = client.get("/bureau/export/todo.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("统一社会信用代码", "企业名称", "县（市、区）")
    assert sorted(r[1] for r in rows[1:]) == ["长葛名录丙公司", "长葛名录乙公司"]
    assert sheet.freeze_panes == "A2"


def test_the_area_export_has_number_formats(client, app, city_bureau_user):
    roster(app)
    login(client, city_bureau_user)
    sheet = load_workbook(io.BytesIO(client.get("/bureau/export/areas.xlsx").data)).active
    jingkai = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "经济技术开发区")
    assert [c.value for c in jingkai[1:6]] == [1, 1, 0, 1, 1.0]
    assert jingkai[5].number_format == "0.0%"


def test_the_csv_export_starts_with_a_bom_for_excel(client, app, city_bureau_user):
    roster(app)
    login(client, city_bureau_user)
    body = client.get("/bureau/export/enterprises.csv").data
    assert body.startswith("\ufeff".encode()) and "开发区名录甲公司" in body.decode("utf-8-sig")


def test_the_list_is_paginated(client, app, city_bureau_user):
    rows = [(credit_code(i), f"分页企业{i:03d}", "魏都区", "13", "", "") for i in range(1, 61)]
    assert import_roster("r.csv", roster_csv(rows)).ok
    db.session.commit()
    login(client, city_bureau_user)
    first = client.get("/bureau/enterprises").get_data(as_text=True)
    second = client.get("/bureau/enterprises?page=2").get_data(as_text=True)
    assert "分页企业050" in first and "分页企业051" not in first and "分页企业051" in second
    assert "第 1 / 2 页" in first


def test_the_levels_page_shows_the_plan_period_and_charts(client, app, city_bureau_user):
    roster(app)
    login(client, city_bureau_user)
    page = client.get("/bureau/levels").get_data(as_text=True)
    assert "2020-01-01 至 2022-12-31" in page and "关键工序数控化率" in page and page.count("<svg") >= 3


def test_the_levels_page_compares_rounds_under_a_plain_title(client, app, city_bureau_user):
    roster(app)
    login(client, city_bureau_user)
    page = client.get("/bureau/levels").get_data(as_text=True)
    assert "<title>水平、指标与目标 · 智造诊断</title>" in page and page.count("轮次对比") == 1


def test_the_bureau_sees_who_reviewed_and_the_gap_between_self_assessed_and_verified_levels(
        client, app, city_bureau_user, provider_user):
    import re

    from diagnosis.assessments import reviews, sharing
    from diagnosis.assessments.models import Diagnosis
    assert import_roster("r.csv", roster_csv(ROSTER)).ok
    db.session.commit()
    user = make_enterprise(name="开发区名录甲公司", code=credit_code(1), email="a@example.com")
    diagnosis = submit_demo(user)
    sharing.share_with(diagnosis, provider_user, user)
    disputed = {k: {"status": "disputed", "found": 0, "comment": "现场未见记录"}
                for k in diagnosis.answers if re.match(r"^[A-Z]{2}2\.\d+$", k)}
    review = reviews.publish(db.session.get(Diagnosis, diagnosis.id), provider_user,
                             reviews.ReviewInput(opinion="经现场核查，二级要求多数未见记录。", verifications=disputed))
    own, found = (review.verified[k]["cmmm"]["level_label"] for k in ("self", "verified"))
    assert own != found
    organization = review.organization.name
    login(client, city_bureau_user)
    page = client.get("/bureau/enterprises?reviewed=yes").get_data(as_text=True)
    assert organization in page and f"核实后成熟度{found}（自评{own}）" in page
    sheet = load_workbook(io.BytesIO(client.get("/bureau/export/enterprises.xlsx").data)).active
    rows = list(sheet.iter_rows(values_only=True))
    column = rows[0].index("核实后等级")
    reviewed = next(r for r in rows[1:] if r[1] == "开发区名录甲公司")
    assert reviewed[column] == f"核实后成熟度{found}（自评{own}）" and reviewed[rows[0].index("服务商审阅")] == organization


def test_the_roster_template_downloads_as_xlsx_and_csv_and_imports_as_it_is(client, app, city_bureau_user):
    login(client, city_bureau_user)
    for fmt in ("xlsx", "csv"):
        response = client.get(f"/bureau/roster/template.{fmt}")
        assert response.status_code == 200 and f"roster-template.{fmt}" in response.headers["Content-Disposition"]
        outcome = import_roster(f"template.{fmt}", response.data)
        assert outcome.ok, outcome
    sheet = load_workbook(io.BytesIO(client.get("/bureau/roster/template.xlsx").data)).active
    header, example = list(sheet.iter_rows(values_only=True))
    assert header[0] == "统一社会信用代码" and example[3] == "34"       # the industry code stays text


def test_an_enterprises_history_lists_every_submission_newest_first_in_scope_only(client, app, city_bureau_user):
    from conftest import PASSWORD

    from diagnosis.accounts.models import Role
    from diagnosis.accounts.services import create_user
    from diagnosis.assessments.models import Diagnosis
    roster(app)
    first = db.session.query(Diagnosis).one()
    second = submit_demo(first.created_by)
    login(client, city_bureau_user)
    listing = client.get("/bureau/enterprises").get_data(as_text=True)
    assert f"/bureau/enterprises/{first.enterprise_id}" in listing
    page = client.get(f"/bureau/enterprises/{first.enterprise_id}").get_data(as_text=True)
    assert page.index(second.number) < page.index(first.number)
    client.post("/logout")
    other_area = create_user("changge@example.com", PASSWORD, Role.BUREAU, area=area("changge"))
    login(client, other_area)
    assert client.get(f"/bureau/enterprises/{first.enterprise_id}").status_code == 404

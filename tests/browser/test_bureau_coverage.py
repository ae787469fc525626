"""A city bureau sees its coverage figures change when an above-scale enterprise submits."""
from conftest import PASSWORD, VALID_CODES, make_enterprise, submit_demo
from playwright.sync_api import expect

from diagnosis import catalog
from diagnosis.accounts.models import Role
from diagnosis.accounts.services import create_user
from diagnosis.assessments import services
from diagnosis.demo import demo_payload

from .pages import figure, flash, log_in, table_row

SUBMITTING = "长葛待提交食品有限公司"


def test_a_city_bureau_sees_coverage_rise_when_an_above_scale_enterprise_submits(open_browser, live_server):
    with live_server.app_context():
        create_user("city@example.com", PASSWORD, Role.BUREAU, name="市工信局")
        submit_demo(make_enterprise(name="开发区已诊断装备有限公司", code=VALID_CODES[0], email="done@example.com",
                                    area_code="jingkai", industry="34"))
        submit_demo(make_enterprise(name="长葛规下小微企业", code=VALID_CODES[2], email="small@example.com",
                                    area_code="changge", industry="13", above_scale=False))
        ready = make_enterprise(name=SUBMITTING, code=VALID_CODES[1], email="ready@example.com",
                                area_code="changge", industry="13")
        draft = services.start_diagnosis(ready)
        payload = demo_payload(catalog.library())
        services.save_stage(draft, {"profile": payload["profile"], "answers": payload["answers"]})

    bureau = open_browser("city bureau")
    log_in(bureau, "city@example.com", PASSWORD)
    expect(bureau.get_by_role("heading", level=1)).to_contain_text("全市")
    assert [figure(bureau, f) for f in ("已注册规上企业", "已完成诊断", "覆盖率")] == ["2", "1", "50.0%"]
    assert table_row(bureau, "长葛市") == ["长葛市", "1", "0", "0.0%"]
    assert table_row(bureau, "经济技术开发区") == ["经济技术开发区", "1", "1", "100.0%"]
    assert table_row(bureau, "农副食品加工业") == ["农副食品加工业", "1", "0", "0.0%"]
    expect(bureau.get_by_role("cell", name=SUBMITTING)).to_have_count(0)

    enterprise = open_browser("enterprise")
    log_in(enterprise, "ready@example.com", PASSWORD)
    enterprise.get_by_role("link", name="从上次中断处继续").click()
    expect(enterprise.get_by_role("heading", level=1)).to_have_text("检查并提交")
    enterprise.get_by_role("button", name="确认提交").click()
    flash(enterprise, "诊断已提交")

    bureau.reload()
    assert [figure(bureau, f) for f in ("已注册规上企业", "已完成诊断", "覆盖率")] == ["2", "2", "100.0%"]
    assert table_row(bureau, "长葛市") == ["长葛市", "1", "1", "100.0%"]
    assert table_row(bureau, "农副食品加工业") == ["农副食品加工业", "1", "1", "100.0%"]
    expect(bureau.get_by_role("cell", name=SUBMITTING)).to_be_visible()

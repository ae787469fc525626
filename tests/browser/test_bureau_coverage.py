"""A city bureau imports the roster of above-scale enterprises (fixing the rows it refuses), sees
coverage for all nine areas rise when an enterprise on it submits, and exports the list still to
diagnose; an area bureau sees only its own area."""
import io

from bureau_data import credit_code, roster_csv
from conftest import PASSWORD, area, make_enterprise, submit_demo
from openpyxl import load_workbook
from playwright.sync_api import expect

from diagnosis import catalog
from diagnosis.accounts.models import Role
from diagnosis.accounts.services import create_user
from diagnosis.assessments import services
from diagnosis.demo import demo_payload

from .pages import figure, flash, log_in, table_row

AREAS = ["禹州市", "长葛市", "鄢陵县", "襄城县", "魏都区", "建安区", "城乡一体化示范区", "经济技术开发区", "东城区"]
SUBMITTING = "长葛名录企业0001有限公司"
ROWS = 300


def roster_rows():
    """300 enterprises; the first is in 开发区, the next in 长葛市, the rest spread over the other areas
    except 东城区 (on the roster, nobody registered anywhere there)."""
    rows = [(credit_code(0), "开发区名录企业0000有限公司", "经济技术开发区", "34", "王经理", "13800000000"),
            (credit_code(1), SUBMITTING, "长葛市", "13", "李经理", "13800000001")]
    for n in range(2, ROWS):
        rows.append((credit_code(n), f"名录企业{n:04d}有限公司", AREAS[n % 9], "34", f"联系人{n}", f"139{n:08d}"))
    return rows


def upload(page, data: bytes):
    page.get_by_label("名录文件（.csv 或 .xlsx）").set_input_files(
        files=[{"name": "规上企业名录.csv", "mimeType": "text/csv", "buffer": data}])
    page.get_by_role("button", name="校验并导入").click()


def test_a_city_bureau_imports_the_roster_and_chases_the_enterprises_not_yet_diagnosed(open_browser, live_server):
    with live_server.app_context():
        create_user("city@example.com", PASSWORD, Role.BUREAU, name="市工信局")
        create_user("changge@example.com", PASSWORD, Role.BUREAU, name="长葛市工信局", area=area("changge"))
        submit_demo(make_enterprise(name="开发区名录企业0000有限公司", code=credit_code(0), email="done@example.com",
                                    area_code="jingkai", industry="34"))
        submit_demo(make_enterprise(name="不在名录的企业", code=credit_code(900), email="off@example.com",
                                    area_code="jingkai", industry="34"))
        ready = make_enterprise(name=SUBMITTING, code=credit_code(1), email="ready@example.com",
                                area_code="changge", industry="13")
        draft = services.start_diagnosis(ready)
        payload = demo_payload(catalog.library())
        services.save_stage(draft, {"profile": payload["profile"], "answers": payload["answers"]})

    bureau = open_browser("city bureau")
    log_in(bureau, "city@example.com", PASSWORD)
    bureau.get_by_role("link", name="导入规上企业名录").click()

    good = roster_rows()
    bad = list(good)
    bad[10] = (good[10][0][:-1] + ("0" if good[10][0][-1] != "0" else "1"),) + good[10][1:]     # wrong check character
    bad[20] = good[20][:2] + ("火星区",) + good[20][3:]
    bad[30] = good[30][:3] + ("99",) + good[30][4:]
    upload(bureau, roster_csv(bad))
    expect(bureau.get_by_role("alert").filter(has_text="发现 3 处错误")).to_be_visible()
    assert table_row(bureau, "12")[1:] == ["统一社会信用代码", "校验位不正确，请核对是否有输错的字符"]
    assert table_row(bureau, "22")[1] == "县（市、区）" and "火星区" in table_row(bureau, "22")[2]
    assert table_row(bureau, "32")[1] == "行业代码"
    expect(bureau.get_by_text("当前名录共 0 家企业", exact=False)).to_be_visible()

    upload(bureau, roster_csv(good))
    flash(bureau, f"新增 {ROWS} 家")
    expect(bureau.get_by_role("cell", name="不在名录的企业")).to_be_visible()      # registered, not on the roster

    bureau.get_by_role("link", name="诊断覆盖情况").first.click()
    expect(bureau.get_by_role("heading", level=1)).to_contain_text("全市")
    assert [figure(bureau, f) for f in ("名录规上企业", "本轮已完成诊断", "覆盖率")] == [str(ROWS), "1", "0.3%"]
    for name in AREAS:
        table_row(bureau, name)
    assert table_row(bureau, "长葛市")[1:6] == ["34", "1", "1", "0", "0.0%"]
    assert table_row(bureau, "东城区")[1:6] == ["33", "0", "0", "0", "0.0%"]

    enterprise = open_browser("enterprise")
    log_in(enterprise, "ready@example.com", PASSWORD)
    enterprise.get_by_role("link", name="从上次中断处继续").click()
    enterprise.get_by_role("button", name="确认提交").click()
    flash(enterprise, "诊断已提交")

    bureau.reload()
    assert figure(bureau, "本轮已完成诊断") == "2"
    assert table_row(bureau, "长葛市")[1:6] == ["34", "1", "0", "1", "2.9%"]

    bureau.get_by_role("link", name="待诊断企业").click()
    expect(bureau.get_by_text(f"共 {ROWS - 2} 家")).to_be_visible()
    with bureau.expect_download() as download:
        bureau.get_by_role("link", name="导出 XLSX").click()
    sheet = load_workbook(io.BytesIO(open(download.value.path(), "rb").read())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == ROWS - 2 + 1 and rows[0][1] == "企业名称"
    assert SUBMITTING not in {r[1] for r in rows} and "名录企业0002有限公司" in {r[1] for r in rows}

    area_bureau = open_browser("area bureau")
    log_in(area_bureau, "changge@example.com", PASSWORD)
    expect(area_bureau.get_by_role("heading", level=1)).to_contain_text("长葛市")
    table_row(area_bureau, "长葛市")
    expect(area_bureau.get_by_role("cell", name="东城区", exact=True)).to_have_count(0)

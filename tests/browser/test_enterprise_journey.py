"""An enterprise's whole journey in a real browser: registration, every stage, the step bar, logging
out and resuming, submitting, the result page and the PDF report."""
import io
import re

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader
from sqlalchemy import select

from diagnosis.accounts.models import Enterprise
from diagnosis.assessments.models import SUBMITTED, Diagnosis, DiagnosisResult
from diagnosis.demo import demo_answers, demo_profile
from diagnosis.extensions import db

from .pages import (EnterpriseAccount, answer_every_maturity_item, answer_sme, expect_profile, expect_sme,
                    expect_stage, fetch_pdf, figure, fill_profile, flash, log_in, log_out, register, save_and_continue,
                    step_bar, table_row)

ACCOUNT = EnterpriseAccount(
    name="许昌浏览器精密机械有限公司", credit_code="91411000MA47B3Q9L7", area="长葛市", industry="通用设备制造业",
    contact_name="周七", contact_phone="13700001111", email="journey@example.com", password="Xc-Gear#2024-browser")
PROFILE = demo_profile()


@pytest.fixture
def sme_answers(library):
    """The demo enterprise's SME answers (grade 二级), split by the page that asks them; figures the
    profile holds already (``from_profile``) are not asked again, so they are not typed."""
    doc = library["sme-digital-2024"].data
    dimension = {q["id"]: q["dimension"] for q in doc["questions"]}
    from_profile = {c["key"] for q in doc["questions"] for c in q.get("collects") or []
                    if c.get("from_profile") in PROFILE}
    pages = {"basics": {}, "scenes": {}, "management": {}}
    for key, value in demo_answers(None).items():
        if key in from_profile:
            continue
        qid = key.split(".")[0]
        page = "scenes" if qid.startswith("S") else ("basics" if dimension[qid] == "basics" else "management")
        pages[page][key] = value
    return pages


def test_an_enterprise_registers_fills_every_stage_resumes_submits_and_downloads_its_report(
        open_browser, live_server, library, sme_answers):
    profile_doc, sme_doc = library["profile"].data, library["sme-digital-2024"].data
    page = open_browser("enterprise")

    register(page, ACCOUNT)
    flash(page, "注册成功")
    expect(page.get_by_role("heading", level=1)).to_have_text(ACCOUNT.name)
    page.get_by_role("button", name="开始诊断").click()

    expect_stage(page, "企业概况")
    fill_profile(page, PROFILE, profile_doc)
    save_and_continue(page)

    expect_stage(page, "数字化基础")
    answer_sme(page, sme_answers["basics"], sme_doc)
    save_and_continue(page)

    expect_stage(page, "数字化经营场景")
    answer_sme(page, sme_answers["scenes"], sme_doc)
    save_and_continue(page)

    expect_stage(page, "数字化管理与成效")
    answer_sme(page, sme_answers["management"], sme_doc)
    # Before saving, the user looks back at the profile through the step bar, then returns:
    # what was entered on this page is still there (issue 9, item 5).
    step_bar(page, "1. 企业概况")
    expect_stage(page, "企业概况")
    expect_profile(page, PROFILE, profile_doc)
    step_bar(page, "4. 数字化管理与成效")
    expect_stage(page, "数字化管理与成效")
    expect_sme(page, sme_answers["management"], sme_doc)
    save_and_continue(page)

    expect_stage(page, "智能制造能力成熟度 · 一级要求")
    expect(page.get_by_text("从一级（规划级）开始评估")).to_be_visible()
    level_one = answer_every_maturity_item(page, 1.0)
    save_and_continue(page)
    expect_stage(page, "智能制造能力成熟度 · 二级要求")
    flash(page, "已达到一级")

    # Interrupted here: logs out, comes back later and continues where it stopped.
    log_out(page)
    log_in(page, ACCOUNT.email, ACCOUNT.password)
    expect(page.get_by_text(re.compile(r"已完成 4/5 个阶段"))).to_be_visible()
    page.get_by_role("link", name="从上次中断处继续").click()
    expect_stage(page, "智能制造能力成熟度 · 二级要求")
    level_two = answer_every_maturity_item(page, 1.0)
    save_and_continue(page)
    expect_stage(page, "智能制造能力成熟度 · 三级要求")
    level_three = answer_every_maturity_item(page, 0.5)
    save_and_continue(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("检查并提交")
    flash(page, "三级得分 0.50，未达到 0.8，评估到此为止")
    page.get_by_role("button", name="确认提交").click()

    flash(page, "诊断已提交")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{ACCOUNT.name} · 诊断结果")
    assert figure(page, "数字化水平") == "二级"
    assert figure(page, "智能制造能力成熟度") == "二级"
    assert table_row(page, "一级 规划级")[1:] == ["1", "达到"]
    assert table_row(page, "二级 规范级")[1:] == ["1", "达到"]
    assert table_row(page, "三级 集成级")[1:] == ["0.5", "未达到（需 ≥ 0.8）"]

    with live_server.app_context():
        enterprise = db.session.scalar(select(Enterprise).where(Enterprise.name == ACCOUNT.name))
        diagnosis = db.session.scalars(select(Diagnosis).where(Diagnosis.enterprise_id == enterprise.id)).one()
        assert diagnosis.status == SUBMITTED
        assert db.session.scalar(select(db.func.count()).where(DiagnosisResult.diagnosis_id == diagnosis.id)) == 1
        assert diagnosis.profile == PROFILE
        clicked_sme = {k: v for part in sme_answers.values() for k, v in part.items()}
        assert {k: diagnosis.answers.get(k) for k in clicked_sme} == clicked_sme
        maturity = [v for k, v in diagnosis.answers.items() if k not in clicked_sme]
        assert sorted(maturity) == [0.5] * level_three + [1.0] * (level_one + level_two)

    pdf = fetch_pdf(page, "下载 PDF 诊断报告")
    assert pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) > 5
    assert ACCOUNT.name in "".join(p.extract_text() for p in reader.pages[:2])

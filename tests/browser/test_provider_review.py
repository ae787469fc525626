"""An enterprise shares a diagnosis with an approved provider, the provider verifies answers on site,
disputes one and adds a recommendation, the enterprise is notified and downloads a PDF showing the
self-assessed and verified views, then revokes the share and the provider can no longer open it."""
import io
import re

from conftest import PASSWORD, make_enterprise, submit_demo
from playwright.sync_api import expect
from pypdf import PdfReader
from sqlalchemy import select

from diagnosis.accounts.models import Role
from diagnosis.accounts.services import create_user
from diagnosis.assessments import reviews
from diagnosis.audit.models import AuditEvent
from diagnosis.extensions import db

from .pages import check_answer, flash, log_in, row_link, share_with

ENTERPRISE = "许昌审阅示范机械有限公司"
PROVIDER_ORG = "中原智能制造咨询服务有限公司"


def pdf_text(data: bytes) -> str:
    return re.sub(r"\s+", "", "".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages))


def test_share_review_with_a_disputed_answer_then_download_and_revoke(open_browser, live_server):
    with live_server.app_context():
        owner = make_enterprise(name=ENTERPRISE, email="owner@example.com")
        diagnosis = submit_demo(owner)
        create_user("li@example.com", PASSWORD, Role.PROVIDER, name="李工", organization=PROVIDER_ORG)
        recommended = {r["id"] for r in diagnosis.result.data["recommendations"]}
        added = next(u["title"] for u in reviews.catalog_upgrades(diagnosis) if u["id"] not in recommended)
        result_path = f"/diagnoses/{diagnosis.id}"

    enterprise = open_browser("enterprise")
    log_in(enterprise, "owner@example.com", PASSWORD)
    enterprise.goto(result_path)
    share_with(enterprise, PROVIDER_ORG)
    flash(enterprise, f"已分享给 {PROVIDER_ORG}")

    provider = open_browser("provider")
    log_in(provider, "li@example.com", PASSWORD)
    expect(provider.get_by_label("主导航", exact=True).get_by_label("1 条未读")).to_be_visible()
    row_link(provider, ENTERPRISE, "审阅").click()
    provider.locator("summary").filter(has_text="组织战略").click()
    check_answer(provider, "ST1.1", "现场核实")
    check_answer(provider, "ST2.1", "有异议", found="不满足", comment="现场未见经审批的管理制度文件")
    provider.get_by_label("从建议目录补充").select_option(label=added)
    provider.get_by_label("总体意见").fill("经现场核查，设备台账与自评基本一致，建议优先推进设备联网。")
    provider.get_by_role("button", name="保存草稿").click()
    flash(provider, "草稿已保存")
    expect(provider.get_by_label("ST2.1 核查说明")).to_have_value("现场未见经审批的管理制度文件")
    provider.get_by_role("button", name="发布审阅意见").click()
    flash(provider, "已发布")

    enterprise.reload()
    expect(enterprise.get_by_label("主导航", exact=True).get_by_label("1 条未读")).to_be_visible()
    expect(enterprise.get_by_role("heading", name="有异议的答案")).to_be_visible()
    expect(enterprise.get_by_text("现场未见经审批的管理制度文件")).to_be_visible()
    pdf = enterprise.request.get(live_server.url + result_path + "/report.pdf")
    assert pdf.status == 200
    text = pdf_text(pdf.body())
    for expected in ("有异议的答案", "现场未见经审批的管理制度文件", "服务商补充建议", re.sub(r"\s+", "", added),
                     re.sub(r"\s+", "", PROVIDER_ORG)):
        assert expected in text, expected

    enterprise.get_by_role("row").filter(has_text=PROVIDER_ORG).get_by_role("button", name="撤销分享").click()
    flash(enterprise, "已撤销")
    response = provider.goto(result_path)
    assert response.status == 404
    provider.goto("/provider/")
    expect(provider.get_by_text(ENTERPRISE)).to_have_count(0)

    with live_server.app_context():        # the enterprise's audit trail holds every step
        trail = db.session.scalars(select(AuditEvent.action).where(AuditEvent.diagnosis_id == diagnosis.id)
                                   .order_by(AuditEvent.id)).all()
    steps = [a for a in trail if a.startswith(("share.", "review."))]
    assert steps[0] == "share.create" and steps[-1] == "share.revoke"
    assert {"share.view", "review.draft", "review.publish"} <= set(steps)

"""A provider reviews a diagnosis an enterprise shared with it, in two real browsers."""
from conftest import PASSWORD, make_enterprise, submit_demo
from playwright.sync_api import expect
from sqlalchemy import select

from diagnosis.accounts.models import Role
from diagnosis.accounts.services import create_user
from diagnosis.assessments.models import Review
from diagnosis.extensions import db

from .pages import flash, log_in, row_link, share_with, table_row

ENTERPRISE = "许昌分享测试装备有限公司"
PROVIDER = "中原智能咨询"
OPINION = "建议先完成关键工序数控化改造，再推进设备联网和 MES 建设，分两期实施。"


def test_a_provider_reviews_a_shared_diagnosis_and_the_enterprise_reads_the_opinion(open_browser, live_server):
    with live_server.app_context():
        submit_demo(make_enterprise(name=ENTERPRISE, email="ent@example.com"))
        create_user("provider@example.com", PASSWORD, Role.PROVIDER, name="李工", organization=PROVIDER)
        create_user("other@example.com", PASSWORD, Role.PROVIDER, name="王工", organization="郑州另一家咨询公司")

    enterprise = open_browser("enterprise")
    log_in(enterprise, "ent@example.com", PASSWORD)
    enterprise.get_by_role("link", name="查看结果").click()
    expect(enterprise.get_by_text("暂无服务商意见")).to_be_visible()
    share_with(enterprise, PROVIDER)
    flash(enterprise, f"已分享给 {PROVIDER}")

    provider = open_browser("provider")
    log_in(provider, "provider@example.com", PASSWORD)
    assert "待填写" in table_row(provider, ENTERPRISE)
    row_link(provider, ENTERPRISE, "查看并填写意见").click()
    expect(provider.get_by_role("heading", level=1)).to_contain_text(ENTERPRISE)
    provider.get_by_label("填写或更新诊断意见").fill(OPINION)
    provider.get_by_role("button", name="保存意见").click()
    flash(provider, "诊断意见已保存")
    provider.get_by_role("link", name="分享给我的诊断").click()
    assert "已填写" in table_row(provider, ENTERPRISE)

    enterprise.reload()
    expect(enterprise.get_by_text(OPINION)).to_be_visible()
    expect(enterprise.get_by_text(f"{PROVIDER} · 李工")).to_be_visible()
    expect(enterprise.get_by_text("暂无服务商意见")).to_have_count(0)

    with live_server.app_context():
        review = db.session.scalars(select(Review)).one()
        assert (review.opinion, review.provider.organization) == (OPINION, PROVIDER)

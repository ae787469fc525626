"""The administrator, in a browser: approves a provider organization that registered itself, and
resets an enterprise user's password; the provider then sees its organization approved and the
enterprise user signs in with the new password."""
import re

from bureau_data import credit_code
from conftest import PASSWORD, make_enterprise
from playwright.sync_api import expect

from diagnosis.accounts.models import Role
from diagnosis.accounts.services import create_user
from diagnosis.providers.services import ProviderRegistration, register_provider

from .pages import flash, log_in, log_out

NEW_PASSWORD = "amber-lantern-58"


def test_the_admin_approves_a_provider_organization_and_resets_a_password(open_browser, live_server):
    with live_server.app_context():
        create_user("admin@example.com", PASSWORD, Role.ADMIN, name="系统管理员")
        register_provider(ProviderRegistration(
            organization_name="许昌机器人集成服务有限公司", credit_code=credit_code(7), contact_name="赵工",
            contact_phone="13800000007", email="robots@example.com", password=PASSWORD, specialties=["robotics"]))
        make_enterprise(email="ent@example.com")
    page = open_browser("admin")
    log_in(page, "admin@example.com", PASSWORD)

    page.goto("/provider/organizations")
    row = page.get_by_role("row").filter(has_text="许昌机器人集成服务有限公司")
    expect(row).to_contain_text("待审核")
    row.get_by_role("button", name="通过").click()
    expect(page.get_by_role("row").filter(has_text="许昌机器人集成服务有限公司")).to_contain_text("已通过")

    page.goto("/admin/users")
    row = page.get_by_role("row").filter(has_text="ent@example.com")
    row.get_by_text("重置密码").click()
    row.get_by_label("新密码").fill(NEW_PASSWORD)
    row.get_by_role("button", name="重置").click()
    flash(page, "已重置 ent@example.com 的密码")
    log_out(page)

    page.goto("/login")
    page.get_by_label("邮箱").fill("ent@example.com")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).to_have_url(re.compile(r"/login"))                 # the old password no longer works
    log_in(page, "ent@example.com", NEW_PASSWORD)
    expect(page).to_have_url(re.compile(r"/enterprise"))

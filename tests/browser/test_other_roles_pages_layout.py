"""The provider's and the bureau's main pages at desktop and phone width: nothing wider than the
phone screen, no serious or critical axe-core violation (screenshots in test-artifacts/screens/)."""
from __future__ import annotations

import re

import pytest
from conftest import PASSWORD, area, make_enterprise, submit_demo
from playwright.sync_api import expect

from diagnosis.accounts.models import Role
from diagnosis.accounts.services import create_user
from diagnosis.assessments import sharing

from .test_enterprise_pages_layout import WIDTHS, look


@pytest.fixture
def shared_diagnosis(live_server):
    with live_server.app_context():
        owner = make_enterprise(email="ent@example.com")
        diagnosis = submit_demo(owner)
        provider = create_user("provider@example.com", PASSWORD, Role.PROVIDER, name="李工", organization="中原智能咨询")
        sharing.share_with(diagnosis, provider, owner)
        create_user("bureau@example.com", PASSWORD, Role.BUREAU, name="开发区工信局", area=area("jingkai"))
        return diagnosis.id


def sign_in(page, email: str) -> None:
    page.goto("/login")
    page.get_by_label("邮箱").fill(email)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page).not_to_have_url(re.compile(r"/login"))


@pytest.mark.parametrize("width", list(WIDTHS))
def test_provider_and_bureau_pages_fit_the_screen_and_pass_axe(open_browser, shared_diagnosis, width):
    found: list[str] = []
    provider = open_browser(f"provider {width}", viewport=WIDTHS[width])
    sign_in(provider, "provider@example.com")
    found += look(provider, width, "provider-home")
    provider.goto(f"/diagnoses/{shared_diagnosis}")
    found += look(provider, width, "provider-result")
    provider.goto(f"/provider/diagnoses/{shared_diagnosis}/review")
    found += look(provider, width, "provider-review")
    bureau = open_browser(f"bureau {width}", viewport=WIDTHS[width])
    sign_in(bureau, "bureau@example.com")
    found += look(bureau, width, "bureau-home")
    assert not found, "\n".join(found)

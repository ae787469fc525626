"""Every main enterprise page at desktop (1366 px) and phone (390 px) width: nothing wider than the
screen on a phone, no serious or critical axe-core violation, a screenshot of each kept under
test-artifacts/screens/ to look at."""
from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import PASSWORD, make_enterprise, submit_demo
from playwright.sync_api import Page, expect

from diagnosis.assessments import services

from .conftest import PROJECT_ROOT
from .pages import log_in

SCREENS = PROJECT_ROOT / "test-artifacts" / "screens"
WIDTHS = {"desktop": {"width": 1366, "height": 900}, "phone": {"width": 390, "height": 844}}
SERIOUS = {"serious", "critical"}
AXE = Axe()


def problems(page: Page) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each."""
    results = AXE.run(page, options={"resultTypes": ["violations"]})
    return [f"{v['id']} ({v['impact']}): {v['help']} — " + "; ".join(n["target"][0] for n in v["nodes"][:3])
            for v in results.response["violations"] if v.get("impact") in SERIOUS]


def wider_than_the_screen(page: Page) -> list[str]:
    """Elements reaching past the right edge of the viewport (the page would scroll sideways)."""
    return page.evaluate("""() => {
        const width = document.documentElement.clientWidth, out = [];
        const inScrollBox = el => {      // a table or chart that scrolls inside its own box is fine
            for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
                const style = getComputedStyle(a);
                if (['auto', 'scroll'].includes(style.overflowX) && a.getBoundingClientRect().right <= width + 1) return true;
            }
            return false;
        };
        if (document.documentElement.scrollWidth > width) out.push('page ' + document.documentElement.scrollWidth + 'px');
        for (const el of document.querySelectorAll('body *')) {
            if (!el.checkVisibility()) continue;        // e.g. inside the closed menu
            const r = el.getBoundingClientRect();
            if (r.width && r.right > width + 1 && !inScrollBox(el)) {
                const name = typeof el.className === 'string' && el.className ? '.' + el.className.replace(/ /g, '.') : '';
                out.push(el.tagName.toLowerCase() + name + ' "' + el.textContent.trim().slice(0, 20) + '" ' + Math.round(r.right) + 'px');
            }
        }
        return out.slice(0, 5);
    }""")


def look(page: Page, width: str, name: str) -> list[str]:
    """Screenshot the page and return what is wrong with it at this width."""
    folder = SCREENS / width
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    found = [f"{name}: {p}" for p in problems(page)]
    if width == "phone":
        found += [f"{name}: wider than 390 px: {w}" for w in wider_than_the_screen(page)]
    return found


@pytest.fixture
def enterprise_with_diagnoses(live_server):
    """An enterprise with a submitted diagnosis and an open draft: its email, the ids of both, and
    the file name the submitted one's report downloads as."""
    with live_server.app_context():
        user = make_enterprise(email="pages@example.com")
        submitted = submit_demo(user)
        draft = services.start_diagnosis(user)
        filename = f"许昌测试装备制造有限公司-智能化转型诊断报告-{submitted.number}.pdf"
        return user.email, submitted.id, draft.id, filename


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_main_enterprise_page_fits_the_screen_and_passes_axe(open_browser, enterprise_with_diagnoses, width):
    email, submitted, draft, filename = enterprise_with_diagnoses
    page = open_browser(f"enterprise {width}", viewport=WIDTHS[width])
    page.on("dialog", lambda dialog: dialog.accept())     # "leave the page with unsaved changes?"
    missing: list[str] = []                                # the favicon, a stylesheet, a script
    page.on("response", lambda r: missing.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    found: list[str] = []
    for name, path in [("login", "/login"), ("register", "/register"), ("forgot-password", "/forgot-password")]:
        page.goto(path)
        found += look(page, width, name)

    if width == "phone":                         # the navigation is folded into a menu
        page.goto("/login")
        page.get_by_label("邮箱").fill(email)
        page.get_by_label("密码").fill(PASSWORD)
        page.get_by_role("button", name="登录", exact=True).click()
        expect(page.get_by_role("button", name="退出")).to_be_hidden()
        page.locator("summary", has_text="菜单").focus()           # opened by keyboard
        page.keyboard.press("Enter")
        expect(page.get_by_role("button", name="退出")).to_be_visible()
    else:
        log_in(page, email, PASSWORD)
    found += look(page, width, "home")

    for stage in ("profile", "sme-basics", "sme-scenes", "sme-management", "cmmm"):
        page.goto(f"/diagnoses/{draft}/stages/{stage}")
        found += look(page, width, f"stage-{stage}")
    page.goto(f"/diagnoses/{draft}/stages/profile")
    page.get_by_label("生产设备总数").fill("10")
    page.get_by_label("其中数字化生产设备").fill("20")
    page.get_by_role("button", name="保存并继续").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("不能大于“生产设备总数”")
    summary.get_by_role("link", name="其中数字化生产设备").click()     # the summary leads to the field
    expect(page.get_by_label("其中数字化生产设备")).to_be_focused()
    expect(page.get_by_label("其中数字化生产设备")).to_have_value("20")  # what was typed is still there
    expect(page.get_by_label("生产设备总数")).to_have_value("10")
    found += look(page, width, "stage-profile-errors")

    for name, path in [("confirm", f"/diagnoses/{draft}/submit"), ("delete-draft", f"/diagnoses/{draft}/delete"),
                       ("result", f"/diagnoses/{submitted}"), ("change-password", "/account/password"),
                       ("enterprise-details", "/account/enterprise")]:
        page.goto(path)
        found += look(page, width, name)
        if name == "result":
            download = page.get_by_role("link", name="下载 PDF 诊断报告")
            line = download.evaluate("el => parseFloat(getComputedStyle(el).lineHeight)")
            if download.bounding_box()["height"] > 2 * line:
                found.append("result: the download button's text wraps")
            page.emulate_media(media="print")                 # printed: the content without the controls
            expect(page.locator("header.top")).to_be_hidden()
            expect(download).to_be_hidden()
            expect(page.get_by_role("heading", name="关键指标与行动计划目标")).to_be_visible()
            page.emulate_media(media="screen")
            with page.expect_download() as download_info:           # saved, not opened in the tab
                download.click()
            assert download_info.value.suggested_filename == filename
    assert not found, "\n".join(found)
    assert missing == []

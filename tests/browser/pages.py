"""Page helpers: what a user does on each page, found by the labels and texts the user reads.

Selectors are kept here, by role, label and visible Chinese text, so a markup change is fixed in one
place. Question blocks are found from their visible title (the question id, or the field label) up to
the nearest element that holds its inputs, whatever the elements are.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Locator, Page, expect

CMMM_OPTIONS = {1.0: "全部满足", 0.8: "大部分满足", 0.5: "部分满足", 0.0: "不满足", None: "不适用"}


@dataclass(frozen=True)
class EnterpriseAccount:
    name: str
    credit_code: str
    area: str           # as the registration form lists it, e.g. "长葛市"
    industry: str       # the industry's name, e.g. "通用设备制造业"
    contact_name: str
    contact_phone: str
    email: str
    password: str
    above_scale: bool = True


# --- accounts -------------------------------------------------------------------------------------

def register(page: Page, account: EnterpriseAccount) -> None:
    page.goto("/register")
    page.get_by_label("企业名称").fill(account.name)
    page.get_by_label("统一社会信用代码").fill(account.credit_code)
    page.get_by_label("所在县（市、区）").select_option(label=account.area)
    industry = page.get_by_label("所属行业")
    industry.select_option(value=_option_value(industry, account.industry))
    page.get_by_label("联系人").fill(account.contact_name)
    page.get_by_label("联系电话").fill(account.contact_phone)
    page.get_by_label("规模以上工业企业").set_checked(account.above_scale)
    page.get_by_label("登录邮箱").fill(account.email)
    page.get_by_label("密码", exact=True).fill(account.password)
    page.get_by_label("确认密码").fill(account.password)
    page.get_by_role("button", name="注册").click()


def _option_value(select: Locator, text: str) -> str:
    """The value of the option whose visible text contains ``text`` (labels may carry a code)."""
    values = select.locator("option").filter(has_text=text).evaluate_all("os => os.map(o => o.value)")
    assert len(values) == 1, f"{len(values)} options contain {text!r}"
    return values[0]


def log_in(page: Page, email: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("邮箱").fill(email)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("button", name="退出")).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="退出").click()
    flash(page, "已退出登录")


def flash(page: Page, text: str) -> None:
    """A status message the page shows after an action."""
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


# --- the staged form -----------------------------------------------------------------------------

def expect_stage(page: Page, title: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)


def step_bar(page: Page, label: str) -> None:
    """Click a step of the progress bar above the stage, e.g. ``"1. 企业概况"``."""
    page.locator("[aria-label^='诊断进度']").get_by_text(label).click()


def save_and_continue(page: Page) -> None:
    page.get_by_role("button", name="保存并继续").click()


def question(page: Page, title: str) -> Locator:
    """The block of one question: the element whose text starts with ``title`` (a field label or a
    question id such as "Q01") up to the nearest element holding its inputs."""
    heading = page.get_by_text(re.compile(rf"^{re.escape(title)}(\s|$)"))
    return heading.locator("xpath=ancestor::*[.//input][1]")


def _option(block: Locator, text: str | re.Pattern) -> Locator:
    return block.get_by_label(text, exact=True) if isinstance(text, str) else block.get_by_label(text)


def fill_profile(page: Page, profile: dict[str, Any], profile_doc: dict) -> None:
    """Type the numbers and pick the choices of the 企业概况 page, by the labels the page shows."""
    for section in profile_doc["sections"]:
        for f in section["fields"]:
            if f["key"] not in profile:
                continue
            value = profile[f["key"]]
            if f["type"] in ("integer", "number"):
                page.get_by_label(f["label"], exact=True).fill(_typed(value))
                continue
            block = question(page, f["label"])
            texts = {o["key"]: o["text"] for o in f["options"]}
            if f["type"] == "choice":
                _option(block, texts[value]).check()
            else:
                for key, text in texts.items():
                    _option(block, text).set_checked(key in value)


def expect_profile(page: Page, profile: dict[str, Any], profile_doc: dict) -> None:
    """The 企业概况 page shows ``profile``."""
    for section in profile_doc["sections"]:
        for f in section["fields"]:
            if f["key"] not in profile:
                continue
            value = profile[f["key"]]
            if f["type"] in ("integer", "number"):
                expect(page.get_by_label(f["label"], exact=True)).to_have_value(_typed(value))
                continue
            block = question(page, f["label"])
            chosen = [value] if f["type"] == "choice" else value
            for o in f["options"]:
                _expect_checked(_option(block, o["text"]), o["key"] in chosen)


def answer_sme(page: Page, answers: dict[str, Any], sme_doc: dict) -> None:
    """Answer the SME questions of the page: ``{"Q02": "D", "Q01": ["B", "C"], "Q11.amount": 420,
    "S01": 2}`` (option letters, collected figures, scene levels)."""
    labels = _collected_labels(sme_doc)
    for key, value in answers.items():
        if key in labels:
            page.get_by_label(labels[key], exact=True).fill(_typed(value))
        elif key.startswith("S"):
            _option(question(page, key), _scene_option(value)).check()
        else:
            block = question(page, key)
            for letter in ([value] if isinstance(value, str) else value):
                _option(block, _letter_option(letter)).check()


def expect_sme(page: Page, answers: dict[str, Any], sme_doc: dict) -> None:
    """The page shows ``answers`` (as given to ``answer_sme``)."""
    labels = _collected_labels(sme_doc)
    letters = {q["id"]: [o["key"] for o in q["options"]] for q in sme_doc["questions"]}
    for key, value in answers.items():
        if key in labels:
            expect(page.get_by_label(labels[key], exact=True)).to_have_value(_typed(value))
        elif key.startswith("S"):
            expect(_option(question(page, key), _scene_option(value))).to_be_checked()
        else:
            block = question(page, key)
            chosen = [value] if isinstance(value, str) else value
            for letter in letters[key]:
                _expect_checked(_option(block, _letter_option(letter)), letter in chosen)


def answer_every_maturity_item(page: Page, value: float) -> int:
    """Answer every item of the maturity level on the page the same way (1 = 全部满足 …);
    returns how many items there were."""
    options = page.get_by_label(CMMM_OPTIONS[value], exact=True).element_handles()
    assert options, "no maturity items on the page"
    for option in options:        # handles: the page is looked up once, not once per item
        option.check()
    return len(options)


def _collected_labels(sme_doc: dict) -> dict[str, str]:
    return {c["key"]: c["label"] for q in sme_doc["questions"] for c in q.get("collects", []) or []}


def _letter_option(letter: str) -> re.Pattern:
    return re.compile(rf"^{letter}\.\s")


def _scene_option(level: int) -> re.Pattern:
    return re.compile(r"^尚未达到一级") if level == 0 else re.compile(rf"^{level}级：")


def _typed(value: Any) -> str:
    """A number as a user types it."""
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _expect_checked(option: Locator, checked: bool) -> None:
    if checked:
        expect(option).to_be_checked()
    else:
        expect(option).not_to_be_checked()


# --- result pages --------------------------------------------------------------------------------

def figure(page: Page, label: str) -> str:
    """The value shown next to a headline figure's label (e.g. "已完成诊断" → "1"), not a table column
    of the same name."""
    box = page.get_by_text(label, exact=True).locator("xpath=self::*[not(self::th or self::td)]/..")
    return box.inner_text().replace(label, "", 1).strip().splitlines()[0].strip()


def table_row(page: Page, first_cell: str) -> list[str]:
    """The cells of the one table row whose first cell reads ``first_cell``."""
    rows = page.get_by_role("row").evaluate_all(
        "rows => rows.map(r => Array.from(r.querySelectorAll('th, td'), c => c.innerText.trim()))")
    matching = [cells for cells in rows if cells and cells[0] == first_cell]
    assert len(matching) == 1, f"{len(matching)} rows start with {first_cell!r}"
    return matching[0]


def fetch_pdf(page: Page, link_name: str) -> bytes:
    """The document behind a download link, fetched with the user's session (cookies).

    Chromium shows an inline PDF in its viewer instead of raising a download, so the link's
    address is requested through the page's own browser context."""
    link = page.get_by_role("link", name=link_name).first
    expect(link).to_be_visible()
    response = page.context.request.get(link.evaluate("a => a.href"), timeout=120_000)
    assert response.ok, f"{response.status} {response.url}"
    assert response.headers["content-type"].startswith("application/pdf"), response.headers
    return response.body()


def row_link(page: Page, row_text: str, link_name: str) -> Locator:
    """A link in the table row that mentions ``row_text``."""
    return page.get_by_role("row").filter(has_text=row_text).get_by_role("link", name=link_name)


def share_with(page: Page, *organizations: str) -> None:
    """On a result page: share the diagnosis with the approved provider organizations named."""
    form = page.locator("form").filter(has_text="选择服务商")
    for name in organizations:
        form.get_by_label(name).check()
    form.get_by_role("button", name="分享", exact=True).click()


def check_answer(page: Page, key: str, result: str, found: str | None = None, comment: str = "") -> None:
    """On the review page: mark an answer verified ("现场核实") or disputed ("有异议"), with the
    rating found on site and a comment."""
    page.get_by_label(f"{key} 核查结果").select_option(label=result)
    if found is not None:
        page.get_by_label(f"{key} 核实评分").select_option(label=found)
    if comment:
        page.get_by_label(f"{key} 核查说明").fill(comment)

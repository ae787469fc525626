"""The report tells the truth, page by page, for contrasting diagnoses: weak, mid and strong plants of
both production types, an SME-only diagnosis, a plant below maturity level 1 and one that achieved
all five levels. Each report is rendered once (offline input, the same as ``diagnosis report``), its
text extracted page by page, and read as a reader would."""
from __future__ import annotations

import io
import re
from datetime import datetime, timezone

import pytest
from conftest import login, submit_demo
from enterprises import (CHEMICAL_PLANT, ELECTRICAL_LEADER, FOOD_PLANT, INFLATED, MACHINERY_PLANT, PAPER_LEADER,
                         SME_ONLY_WEAK, cmmm_answers)
from pypdf import PdfReader

from diagnosis.accounts.enterprise_block import EnterpriseError, enterprise_block
from diagnosis.demo import demo_payload
from diagnosis.instruments import load_library
from diagnosis.numbers import num, pct
from diagnosis.reports.content.offline import content_number, offline_input
from diagnosis.reports.engine.render import render_pdf
from diagnosis.scoring import score_payload

ALL_LEVELS = {**ELECTRICAL_LEADER, "answers": {**ELECTRICAL_LEADER["answers"],
                                               **cmmm_answers({1: 1.0, 2: 1.0, 3: 1.0, 4: 1.0, 5: 1.0})}}
ENTERPRISE = {"name": "许昌真实数据机械有限公司", "credit_code": "91411000MA45XC8D1W", "area": "jingkai",
              "industry": "35", "above_scale": True, "contact": "王工"}

KINDS = {
    "weak process, below level 1": FOOD_PLANT,
    "mid discrete": MACHINERY_PLANT,
    "mid process": CHEMICAL_PLANT,
    "strong discrete": ELECTRICAL_LEADER,
    "strong process": PAPER_LEADER,
    "SME-only": SME_ONLY_WEAK,
    "all levels achieved": ALL_LEVELS,
    "inflated self-ratings": INFLATED,
    "the demo diagnosis": demo_payload(load_library()),
}
TODAY = datetime(2026, 11, 30, 9, 0, tzinfo=timezone.utc)

#: Internal words a reader must never have to decode.
DENY_WORDS = {"gap", "impact", "feasibility", "lacks", "has", "in", "above", "at_least", "below", "guard",
              "P1", "P2", "P3", "low", "medium", "high", "upgrades", "zhizao", "scoring", "score", "None",
              "True", "False", "nan", "plan", "ladder", "fit"}
DENY_TEXT = ("供升级规则引用", "优先级得分", "未达一级（）", "（—）", "已连续达成未达一级", "达到未达一级", "S = 0",
             "·S=", "规则引用")
HASH = re.compile(r"\b[0-9a-f]{12}\b")
MIN_PAGE_CHARS = 300
MIN_COVER_CHARS = 60


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


class Report:
    def __init__(self, payload: dict, library, enterprise: dict | None = None):
        self.payload = payload
        scored = {k: v for k, v in payload.items() if k != "enterprise"}
        self.result = score_payload(scored, library)
        self.data = offline_input(library, payload, self.result, enterprise, today=TODAY)
        self.pdf = render_pdf(self.data)
        self.pages = [p.extract_text() for p in PdfReader(io.BytesIO(self.pdf)).pages]
        self.text = squash("".join(self.pages))


@pytest.fixture(scope="module")
def reports(library):
    return {kind: Report(payload, library) for kind, payload in KINDS.items()}


@pytest.fixture(scope="module")
def with_enterprise(library):
    payload = {**MACHINERY_PLANT, "enterprise": ENTERPRISE}
    return Report(payload, library, enterprise_block(library, ENTERPRISE))


@pytest.fixture(params=list(KINDS))
def report(request, reports):
    return reports[request.param]


def test_every_page_carries_content(report):
    assert len(squash(report.pages[0])) >= MIN_COVER_CHARS
    for number, page in enumerate(report.pages[1:], start=2):
        assert len(squash(page)) >= MIN_PAGE_CHARS, f"page {number} is nearly empty: {page!r}"


def test_no_internal_word_reaches_the_reader(report):
    for number, page in enumerate(report.pages, start=1):
        words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", page))
        assert not words & DENY_WORDS, f"page {number}: {sorted(words & DENY_WORDS)}"
        assert not HASH.search(page), f"page {number} prints a content hash"
        for text in DENY_TEXT:
            assert text not in squash(page), f"page {number}: {text}"


def test_nothing_is_printed_only_to_say_it_was_not_filled_in(report):
    # "本次诊断未填写相关数字" explains an estimate; a bare "未填写" is an empty field or row.
    assert re.findall(r"(?<!诊断)未填写", report.text) == []


def test_no_doubled_punctuation_or_space_between_chinese_words(report):
    # Read in the markup: text extraction puts spaces between table cells and lines.
    from xml.etree import ElementTree as ET

    from diagnosis.reports.engine.render import report_markup
    root = ET.fromstring(report_markup(report.data))
    texts = [t for el in root.iter() for t in (el.text, el.tail) if t]
    for text in texts:
        assert not re.search(r"[，。；：、？！][，。；：、？！]", text), text
        assert not re.search(r"[\u4e00-\u9fff] [\u4e00-\u9fff]", text), text
        assert not re.search(r"\d %", text), text
    for page in report.pages:
        assert not re.search(r"[，。；：、？！][，。；：、？！]", page)


def test_numbers_are_those_of_the_scoring_under_the_shared_rounding(report):
    sme, cmmm = report.result.get("sme"), report.result.get("cmmm")
    if sme is None and "grade" in report.result:
        sme = report.result
    if sme:
        assert f"总分{num(sme['total'])}" in report.text
    if cmmm:
        assert f"成熟度得分{num(cmmm['score'])}" in report.text
    for key, value in (report.result.get("indicators") or {}).items():
        if value is not None:
            assert pct(value) in report.text, key


def test_priorities_increase_through_the_roadmap(report):
    recs = report.result["recommendations"]
    assert [r["priority"] for r in recs] == list(range(1, len(recs) + 1))
    assert [r["phase"] for r in recs] == sorted(r["phase"] for r in recs)
    first = recs[0]["phase_label"]
    count = sum(1 for r in recs if r["phase_label"] == first)
    body = report.text[report.text.index(squash(f"{first}{count}项")):]    # the cards, after the timeline
    # A card starts with its number, then its title (the timeline's labels read "6. …").
    positions = [body.index(f"{r['priority']}{squash(r['title'])}") for r in recs]
    assert positions == sorted(positions)


def test_two_renders_are_byte_identical(report, library):
    # The first render of the module may have gone either way (one process or two parts on two
    # cores, as a helper was free or not); each way gives the same bytes every time.
    for parallel in (False, True):
        first = render_pdf(report.data, parallel=parallel)
        assert render_pdf(report.data, parallel=parallel) == first


def test_the_cover_promises_only_the_phases_present(report):
    phases = [r["phase_label"].split("（")[0] for r in report.result["recommendations"]]
    present = list(dict.fromkeys(phases))
    assert f"分{'、'.join(present)}实施" in squash(report.pages[0])


def test_top_actions_title_matches_the_count(report):
    count = len(report.result["recommendations"])
    assert ("优先行动（前五项）" in report.text) == (count > 5)


def test_below_level_one_reads_as_not_yet_level_one(reports):
    text = reports["weak process, below level 1"].text
    assert "尚未达到一级（规划级）的要求" in text
    assert "企业整体尚未达到一级，以一级的要求为参照" in text
    assert "已达到未达一级" not in text and "以企业整体已达到的" not in text


def test_all_levels_achieved_names_no_next_target(reports):
    report = reports["all levels achieved"]
    assert report.result["cmmm"]["achieved"] == 5
    assert "为最高等级" in report.text and "下一目标为六级" not in report.text
    assert "下一目标" not in squash(report.pages[1]) and "最需补强" not in squash(report.pages[1])


def test_sme_only_report_is_titled_and_built_for_the_instrument_answered(reports):
    report = reports["SME-only"]
    assert "中小企业数字化水平评测报告" in squash(report.pages[0])
    assert "智能化转型诊断报告" not in report.text
    assert "智能制造能力成熟度" not in report.text
    assert "企业概况" not in report.text          # no profile given: no appendix section of empty fields


def test_an_enterprise_above_sme_size_is_told_its_sme_level_is_indicative(reports):
    assert "本次数字化水平等级仅供参考" in reports["strong discrete"].text
    assert "本次数字化水平等级仅供参考" not in reports["mid discrete"].text


def test_a_report_without_enterprise_facts_invents_none(report):
    cover = squash(report.pages[0])
    assert "规模以下" not in cover and "规模以上" not in cover and "统一社会信用代码" not in cover


def test_cover_facts_equal_the_answers_file(with_enterprise):
    cover = squash(with_enterprise.pages[0])
    for fact in ("许昌真实数据机械有限公司", "91411000MA45XC8D1W", "经济技术开发区", "35专用设备制造业",
                 "规模以上工业企业", "王工"):
        assert fact in cover, fact
    assert f"报告编号{with_enterprise.data.number}" in cover


def test_the_report_number_is_the_files_digest(with_enterprise, reports):
    numbers = {r.data.number for r in reports.values()}
    assert len(numbers) == len(reports)
    assert with_enterprise.data.number == content_number(with_enterprise.payload)


def test_answers_to_check_are_shown_with_their_messages(reports):
    report = reports["inflated self-ratings"]
    flags = report.result["consistency"]["flags"]
    assert flags and f"需要核对的答案（{len(flags)}项）" in report.text
    for flag in flags:
        assert squash(flag["title"]) in report.text


def test_policies_and_estimates_are_shown_where_they_belong(report):
    for hook in report.result.get("policies") or []:
        assert squash(hook["name"]) in report.text and squash(hook["text"]) in report.text
    for rec in report.result["recommendations"]:
        if (rec.get("estimate") or {}).get("text"):
            assert squash(rec["estimate"]["text"]).rstrip("。") in report.text, rec["id"]


def test_an_invalid_credit_code_in_the_answers_file_is_refused_naming_the_field(library):
    with pytest.raises(EnterpriseError, match="enterprise.credit_code.*校验位"):
        enterprise_block(library, {"credit_code": "91411000MA45XC8D1X"})


def test_an_unknown_area_is_refused_naming_the_field(library):
    with pytest.raises(EnterpriseError, match="enterprise.area"):
        enterprise_block(library, {"area": "月球"})


def test_content_hashes_are_in_the_pdf_metadata_only(with_enterprise):
    import pikepdf
    with pikepdf.open(io.BytesIO(with_enterprise.pdf)) as pdf:
        versions = str(pdf.docinfo["/ZhizaoVersions"])
    for key, version in with_enterprise.result["versions"].items():
        assert version in versions and version not in with_enterprise.text, key


@pytest.mark.parametrize("value, digits, text", [(10.125, 2, "10.13"), (6.375, 2, "6.38"), (56.45, 1, "56.5"),
                                                 (0.5, 2, "0.5"), (3.0, 2, "3")])
def test_numbers_round_half_up_everywhere(value, digits, text):
    assert num(value, digits) == text


def test_shares_read_without_a_space_before_the_percent_sign():
    assert pct(0.965) == "96.5%" and pct(0.1667) == "16.7%" and pct(0.8, 0) == "80%"


def test_the_download_answers_a_matching_if_none_match_with_304(client, enterprise_user):
    diagnosis = submit_demo(enterprise_user)
    login(client, enterprise_user)
    url = f"/diagnoses/{diagnosis.id}/report.pdf"
    first = client.get(url)
    while first.status_code == 202:
        first = client.get(url)
    assert first.status_code == 200 and first.headers["ETag"]
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_the_result_page_shows_no_internal_word_and_the_pdfs_numbers(client, enterprise_user):
    diagnosis = submit_demo(enterprise_user)
    login(client, enterprise_user)
    page = client.get(f"/diagnoses/{diagnosis.id}").data.decode()
    body = re.sub(r"<script.*?</script>|<style.*?</style>", "", page, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", body)
    words = set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", text))
    assert not words & (DENY_WORDS - {"in"}), sorted(words & DENY_WORDS)
    assert not HASH.search(text)
    result = diagnosis.result.data
    assert f"{num(result['sme']['total'])} 分" in text and f"S = {num(result['cmmm']['score'])}" in text


def test_the_command_line_refuses_a_bad_enterprise_block_naming_the_field(tmp_path):
    import json

    from click.testing import CliRunner

    from diagnosis.cli import main
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({**SME_ONLY_WEAK, "enterprise": {"credit_code": "91411000MA45XC8D1X"}}),
                       encoding="utf-8")
    out = tmp_path / "report.pdf"
    result = CliRunner().invoke(main, ["report", str(answers), "-o", str(out)])
    assert result.exit_code == 2 and "enterprise.credit_code" in result.output and "校验位" in result.output
    assert not out.exists()


def test_a_tie_is_never_cut_silently_when_naming_the_weakest_sub_domains(reports):
    text = reports["strong process"].text       # 18 sub-domains score 0.5 at level 5
    named = re.search(r"迈向五级最需补强的子域：(.+?)（另有(\d+)个子域与(.+?)的五级要求得分同为0.5", text)
    assert named, "the summary names three of many equally weak sub-domains without saying so"
    names = named.group(1).split("、")
    assert len(names) == 3 and names[-1] == named.group(3) and int(named.group(2)) == 15


def test_the_summary_and_the_focus_section_name_the_weakest_in_the_same_order(reports):
    for kind in ("mid process", "strong process"):
        summary = re.search(r"最需补强的子域：(.+?)（", reports[kind].text).group(1).split("、")
        lines = "\n".join(reports[kind].pages).split("重点补强子域：下一等级的要求")[1].splitlines()
        section = [m.group(1) for m in map(re.compile(r"^\s*(\S+)\s*当前[\d.]+分，目标").match, lines) if m]
        assert section[:len(summary)] == summary, kind


def test_the_lowest_scenes_are_named_with_every_scene_of_their_level(reports):
    text = reports["strong process"].text       # S01 and S04 at 2级, thirteen scenes at 3级
    assert "16个数字化经营场景中等级最低的是：产品设计（2级）、售后服务（2级）。" in text
    assert "工艺设计（3级）" not in text


def test_many_scenes_at_the_lowest_level_are_counted_not_picked(reports):
    text = reports["inflated self-ratings"].text
    assert re.search(r"等级最低的是1级，共14个：产品设计、工艺设计、营销管理等。", text)


def test_a_report_at_level_five_has_no_next_level_requirements_section(reports):
    assert "重点补强子域" not in reports["all levels achieved"].text


def test_a_rate_in_a_recommendations_reason_reads_as_in_the_key_figures(reports):
    report = reports["mid process"]         # 18 of 32 machines networked: 56.25%, rounded half-up
    rate = pct(report.result["indicators"]["networking_rate"])
    assert rate == "56.3%"
    assert f"生产设备联网率{rate}，低于60%" in report.text and "56.2%" not in report.text


FOCUS_ENTRY = re.compile(r"^\s*(\S+)\s*当前([\d.]+)分，目标(\S)级")
LEVEL_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5}


def test_each_weak_sub_domain_is_shown_the_requirements_of_its_own_next_level(reports):
    checked = 0
    for kind, report in reports.items():
        cmmm = report.result.get("cmmm")
        if not cmmm or cmmm["achieved"] == 5:
            continue
        by_name = {sd["name"]: sd for sd in cmmm["subdomains"].values()}
        lines = "\n".join(report.pages).split("重点补强子域：下一等级的要求")[1].splitlines()
        for i, line in enumerate(lines):
            entry = FOCUS_ENTRY.match(line)
            if not entry:
                continue
            sd = by_name[entry.group(1)]
            expected = min(max(sd["achieved"] + 1, sd["min_level"]), 5)
            assert LEVEL_DIGITS[entry.group(3)] == expected, (kind, line)
            following = next(x for x in lines[i + 1:] if x.strip())
            assert following.strip().startswith(f"{sd['code']}{expected}."), (kind, line, following)
            checked += 1
        assert "已达到最高等级" not in report.text and "没有该子域在这一等级的要求条目" not in report.text, kind
    assert checked >= 16       # four to six sub-domains in each of the reports below level 5


def test_a_sub_domain_below_its_first_level_reads_as_not_yet_at_that_level(reports):
    report = reports["mid discrete"]       # 产品服务 has requirements from 三级 on; it scores 0.5 there
    assert "产品服务0.5（未达三级）" in report.text
    assert "产品服务0.5（未达一级）" not in report.text
    demo = reports["the demo diagnosis"]    # 数据 and 物流 start at 二级 and score 0.75 there
    assert "数据0.75（未达二级）" in demo.text and "物流0.75（未达二级）" in demo.text


def test_a_sub_domain_with_nothing_asked_at_the_reference_level_is_not_called_a_strength(reports):
    report = reports["mid discrete"]       # level 2 reached; 产品服务 is judged from 三级 on
    summary = report.text.split("各能力域小结")[1].split("重点补强子域")[0]
    for listed in re.findall(r"达标及以上：(.*?)；", summary):
        assert "产品服务" not in listed.split("、")
    assert "产品服务自三级起评" in summary
    assert "其中产品服务的要求从三级起，在参照等级没有要求，记为达标，小结中单独列出" in report.text


def test_the_radar_note_says_which_sub_domains_start_above_level_one(reports):
    demo = reports["the demo diagnosis"]
    assert "从其起始等级（多数为一级，数据、集成、物流为二级，产品服务为三级）起连续达成的最高等级" in demo.text
    assert "该子域从一级起连续达成的最高等级" not in demo.text


def test_the_gaps_chapter_states_the_standing_rule_its_judgements_follow(reports):
    with_maturity = [r for r in reports.values() if r.result.get("cmmm")]
    assert len(with_maturity) == len(reports) - 1          # all but the SME-only report
    for report in with_maturity:
        assert "在参照等级有要求而未达到的为短板" in report.text
        assert "子域得分不低于参照等级的为优势" not in report.text

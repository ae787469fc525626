"""The PDF diagnosis report: content, fonts, metadata, safety (no database, no Flask).

PDFs are rendered once per module (fixtures) and read back with pypdf.
"""
from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import IndirectObject
from weasyprint import HTML

from diagnosis.reports.content import charts
from diagnosis.reports.content.context import build_context
from diagnosis.reports.content.demo import demo_input
from diagnosis.reports.content.formatting import num, pct
from diagnosis.reports.engine.compat import fast_font_subsetting
from diagnosis.reports.engine.fetcher import SafeFetcher, URLRefused
from diagnosis.reports.engine.fingerprint import template_hash
from diagnosis.reports.engine.render import render_html, render_pdf
from diagnosis.reports.paths import ASSETS_DIR
from diagnosis.scoring import score_payload

from conftest import IMG_INJECTION, LINK_INJECTION


def squash(text: str) -> str:
    """Text without whitespace: pypdf breaks lines wherever the layout did."""
    return re.sub(r"\s+", "", text)


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


@pytest.fixture(scope="module")
def demo(demo_report):
    return demo_report


@pytest.fixture(scope="module")
def demo_pdf(demo):
    return render_pdf(demo)


@pytest.fixture(scope="module")
def demo_text(demo_pdf):
    return squash(pdf_text(demo_pdf))


@pytest.fixture(scope="module")
def hostile_pdf(hostile_report):
    return render_pdf(hostile_report)


# ---------------------------------------------------------------------------------------- content

def test_report_has_every_section(demo_text):
    for title in ("诊断摘要", "智能制造能力成熟度", "数字化水平", "关键指标与行动计划目标", "优势与差距",
                  "改造升级路线图", "解决方案服务商意见", "方法说明", "附录：全部答案", "本系统对标准的理解"):
        assert title in demo_text, title


def test_report_names_the_enterprise_and_report_number(demo, demo_text):
    assert squash(demo.enterprise["name"]) in demo_text
    assert demo.number in demo_text
    assert squash(demo.enterprise["area"]) in demo_text


def test_report_states_digital_grade_and_maturity_level(demo, demo_text):
    sme, cmmm = demo.result["sme"], demo.result["cmmm"]
    assert f"定级为{sme['grade_label']}" in demo_text
    assert f"{cmmm['level_label']}（{cmmm['level_title']}）" in demo_text
    assert f"成熟度得分{num(cmmm['score'])}" in demo_text


def test_report_lists_every_recommendation_title(demo, demo_text):
    titles = [r["title"] for r in demo.result["recommendations"]]
    assert len(titles) >= 5
    for title in titles:
        assert squash(title) in demo_text, title


def test_report_shows_indicators_against_plan_targets(demo, demo_text):
    assert f"关键工序数控化率{pct(demo.result['indicators']['nc_rate'])}80%" in demo_text
    assert "8000台全市合计" in demo_text


def test_report_peer_average_shown_with_at_least_five_peers(demo_text):
    assert "同行业平均（7家）" in demo_text or "同行业已完成诊断的7家企业" in demo_text


def test_peer_average_hidden_below_five_peers(demo):
    ctx = build_context(replace(demo, peers={"basis": "同地区", "count": 3, "subdomains": {"strategy": 2.0}}))
    assert not ctx["cmmm"]["peer_shown"]
    assert "不足 5 家" in ctx["cmmm"]["peer_note"]
    assert not build_context(replace(demo, peers=None))["cmmm"]["peer_shown"]


def test_header_footer_give_page_x_of_y(demo_pdf, demo_text):
    pages = len(PdfReader(io.BytesIO(demo_pdf)).pages)
    assert pages > 5
    assert f"第2页/共{pages}页" in demo_text
    assert f"第{pages}页/共{pages}页" in demo_text


# ---------------------------------------------------------------------------------------- PDF structure

def _resolve(obj):
    return obj.get_object() if isinstance(obj, IndirectObject) else obj


def font_names(pdf: bytes) -> set[str]:
    """Names (without subset tag) of the fonts a PDF uses, in pages and in SVG form XObjects."""
    seen: set[int] = set()
    return {str(f["/BaseFont"]).split("+", 1)[-1]
            for page in PdfReader(io.BytesIO(pdf)).pages for f in _fonts(page.get("/Resources"), seen)}


def _fonts(resources, seen):
    """Every font dictionary reachable from a resources dictionary, including form XObjects (SVG)."""
    resources = _resolve(resources) or {}
    for font in (_resolve(resources.get("/Font")) or {}).values():
        font = _resolve(font)
        if id(font) not in seen:
            seen.add(id(font))
            yield font
    for xobject in (_resolve(resources.get("/XObject")) or {}).values():
        xobject = _resolve(xobject)
        if xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
            yield from _fonts(xobject["/Resources"], seen)


def test_all_fonts_are_embedded(demo_pdf):
    reader = PdfReader(io.BytesIO(demo_pdf))
    seen: set[int] = set()
    fonts = [f for page in reader.pages for f in _fonts(page.get("/Resources"), seen)]
    assert fonts
    for font in fonts:
        if font["/Subtype"] == "/Type0":
            descendant = _resolve(font["/DescendantFonts"][0])
            descriptor = _resolve(descendant["/FontDescriptor"])
        else:
            descriptor = _resolve(font["/FontDescriptor"])
        assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
    names = {str(f["/BaseFont"]).split("+", 1)[-1] for f in fonts}
    assert names <= {"Zhizao-Sans", "Noto-Sans-CJK-SC"}, names  # the report font or its source


def test_pdf_metadata_and_language(demo, demo_pdf):
    reader = PdfReader(io.BytesIO(demo_pdf))
    meta = reader.metadata
    assert demo.enterprise["name"] in meta.title
    assert meta.author
    assert demo.number in meta.subject
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"


def test_fonts_are_subset_with_harfbuzz():
    assert fast_font_subsetting()


# ---------------------------------------------------------------------------------------- safety

def test_user_text_is_escaped_and_appears_literally(hostile_pdf):
    text = squash(pdf_text(hostile_pdf))
    assert squash(IMG_INJECTION) in text
    assert squash(LINK_INJECTION) in text
    assert "<script>alert(1)</script>" in text


def test_no_local_file_content_enters_the_pdf(hostile_pdf):
    reader = PdfReader(io.BytesIO(hostile_pdf))
    text = pdf_text(hostile_pdf)
    assert "root:x:0:0" not in text
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else ""
    if len(hostname) >= 4:
        assert hostname not in text
    assert not reader.attachments
    assert b"/EmbeddedFile" not in hostile_pdf


def test_fetcher_blocks_files_even_in_raw_markup(tmp_path):
    """Defence in depth: markup that is not escaped still cannot pull files into the PDF."""
    markup = (f'<html lang="zh-CN"><head>{LINK_INJECTION}<link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
              f'</head><body><p>测试</p>{IMG_INJECTION}<object data="file:///etc/passwd"></object></body></html>')
    pdf = HTML(string=markup, base_url=str(ASSETS_DIR) + "/", url_fetcher=SafeFetcher()).write_pdf()
    reader = PdfReader(io.BytesIO(pdf))
    assert not reader.attachments
    assert "root:x:0:0" not in pdf_text(pdf)


@pytest.mark.parametrize("url", ["http://example.com/logo.png", "https://example.com/a.css",
                                 "ftp://example.com/x", "file:///etc/passwd", "file://remote.host/etc/passwd",
                                 f"file://{ASSETS_DIR}/../print.css", "javascript:alert(1)", "about:blank"])
def test_fetcher_refuses_urls_outside_assets(url):
    with pytest.raises(URLRefused):
        SafeFetcher().fetch(url)


def test_fetcher_refuses_symlink_out_of_assets(tmp_path):
    assets = tmp_path / "assets"
    assets.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("top secret")
    (assets / "innocent.svg").symlink_to(secret)
    (assets / "passwd.svg").symlink_to("/etc/passwd")
    fetcher = SafeFetcher(assets)
    for name in ("innocent.svg", "passwd.svg"):
        with pytest.raises(URLRefused):
            fetcher.fetch((assets / name).as_uri())


def test_fetcher_allows_file_in_assets(tmp_path):
    assets = tmp_path / "assets"
    (assets / "img").mkdir(parents=True)
    (assets / "img" / "dot.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    response = SafeFetcher(assets).fetch((assets / "img" / "dot.svg").as_uri())
    assert response.read() == b'<svg xmlns="http://www.w3.org/2000/svg"/>'
    assert response.content_type == "image/svg+xml"
    logo = SafeFetcher().fetch((ASSETS_DIR / "logo.svg").as_uri())
    assert logo.read() == (ASSETS_DIR / "logo.svg").read_bytes()


def test_fetcher_allows_data_url():
    response = SafeFetcher().fetch("data:text/plain;base64,5pm66YCg")
    assert response.read() == "智造".encode()
    assert response.content_type == "text/plain"


# ---------------------------------------------------------------------------------------- variants

def test_result_without_cmmm_renders(library):
    data = demo_input(library, "sme-2024-only")
    assert "cmmm" not in data.result
    text = squash(pdf_text(render_pdf(data)))
    assert "数字化水平" in text and "附录：全部答案" in text
    assert "优势与差距" not in text and "各等级得分" not in text
    for rec in data.result["recommendations"]:
        assert squash(rec["title"]) in text


@pytest.mark.parametrize("questionnaire, block", [("sme-digital-2024", "sme"), ("cmmm", "cmmm")])
def test_single_instrument_results_are_normalized(library, demo, questionnaire, block):
    sme_keys = {q["id"] for q in library["sme-digital-2024"].data["questions"]} | {f"S{n:02d}" for n in range(1, 17)}
    answers = {k: v for k, v in demo.answers.items() if (k.split(".")[0] in sme_keys) == (block == "sme")}
    result = score_payload({"questionnaire": questionnaire, "profile": demo.profile, "answers": answers}, library)
    assert block not in result
    data = replace(demo, result=result, documents={k: v for k, v in demo.documents.items() if k in ("profile", block)})
    ctx = build_context(data)
    assert ctx[block] is not None
    assert ctx["cmmm" if block == "sme" else "sme"] is None
    html = render_html(data)
    assert "附录：全部答案" in html


# ---------------------------------------------------------------------------------------- charts

def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(str(svg))
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "Noto Sans CJK SC" in root.get("font-family")
    assert root.get("width") and root.get("height") and root.get("viewBox")
    return root


def test_charts_escape_labels():
    evil = '<script>alert("x")</script>&'
    radar = charts.radar_svg([evil, "装备", "网络"], [1, 2.5, None], peer_values=[1, 2, 3])
    bars = charts.bars_svg([{"label": evil, "value": 3, "max": 10}])
    scenes = charts.scene_levels_svg([{"id": "S01", "name": evil, "group": evil, "level": 2}])
    for svg in (radar, bars, scenes):
        assert "<script>" not in svg
        assert "&lt;script&gt;" in svg
        texts = [t.text for t in _parse(svg).iter("{http://www.w3.org/2000/svg}text")]
        assert any(evil in (t or "") for t in texts)


def test_radar_has_one_axis_per_label_and_peer_series():
    labels = [f"子域{i}" for i in range(20)]
    root = _parse(charts.radar_svg(labels, [i / 4 for i in range(20)], peer_values=[2.0] * 20))
    polygons = root.findall("{http://www.w3.org/2000/svg}polygon")
    assert len(polygons) == 2    # the peer series and the enterprise series
    assert all(len(p.get("points").split()) == 20 for p in polygons)
    rings, spokes = root.findall("{http://www.w3.org/2000/svg}path")[:2]
    assert rings.get("d").count("M") == 5 and spokes.get("d").count("M") == 20


def test_template_hash_is_stable():
    first = template_hash()
    assert re.fullmatch(r"[0-9a-f]{64}", first)
    assert template_hash() == first

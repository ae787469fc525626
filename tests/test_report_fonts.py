"""The report prints in "Zhizao Sans", Noto Sans CJK SC cut down to GB 2312 and the project's
texts, and falls back to the full font for characters outside it."""
from __future__ import annotations

from dataclasses import replace

import pytest
from fontTools.ttLib import TTFont

from diagnosis.reports.engine import fonts
from diagnosis.reports.engine.render import render_pdf

from test_report_pdf import font_names, pdf_text, squash

RARE_NAME = "许昌王堃喆精密机械有限公司"  # 堃 and 喆 are not in GB 2312


@pytest.fixture(scope="module")
def built_font():
    if not fonts.available():
        pytest.fail(f"{fonts.FONT_PATH} is missing: `make setup` (or `diagnosis fonts build`) builds it")
    return TTFont(fonts.FONT_PATH, lazy=True)


@pytest.fixture(scope="module")
def source_cmap():
    path, index = fonts.source_font()
    return TTFont(path, fontNumber=index, lazy=True).getBestCmap()


def test_report_font_holds_gb2312_and_every_character_of_the_project_texts(built_font, source_cmap):
    cmap = built_font.getBestCmap()
    missing = sorted(cp for cp in fonts.coverage() if cp in source_cmap and cp not in cmap)
    assert not missing, "".join(map(chr, missing[:40]))
    assert "堃" not in map(chr, cmap) and "喆" not in map(chr, cmap)


def test_report_font_is_renamed_and_keeps_the_open_font_license(built_font):
    names = built_font["name"]
    assert names.getDebugName(1) == "Zhizao Sans"
    assert "Open Font License" in (names.getDebugName(13) or "")


def test_demo_report_prints_in_the_report_font_alone(demo_report, built_font):
    assert font_names(render_pdf(demo_report, parallel=False)) == {"Zhizao-Sans"}


def test_characters_outside_the_report_font_come_from_noto_sans_cjk_sc(demo_report, built_font):
    data = replace(demo_report, enterprise=dict(demo_report.enterprise, name=RARE_NAME))
    pdf = render_pdf(data, parallel=False)
    assert font_names(pdf) == {"Zhizao-Sans", "Noto-Sans-CJK-SC"}
    assert RARE_NAME in squash(pdf_text(pdf))

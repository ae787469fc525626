"""Exports keep text as text: a name Excel would run as a formula is written as a string."""
import csv
import io

from openpyxl import load_workbook

from diagnosis.bureau.exports import Column, to_csv, to_xlsx

COLUMNS = [Column("企业名称", lambda r: r[0], width=20), Column("覆盖率", lambda r: r[1], "0.0%")]
ROWS = [("=HYPERLINK(\"http://example.com\",\"点我\")", 0.5), ("许昌正常企业", 0.25)]


def test_xlsx_writes_formula_like_text_as_text_with_number_formats():
    sheet = load_workbook(io.BytesIO(to_xlsx("测试", COLUMNS, ROWS))).active
    name = sheet["A2"]
    assert name.data_type == "s" and name.value.startswith("=HYPERLINK")
    assert sheet["B3"].value == 0.25 and sheet["B3"].number_format == "0.0%"
    assert sheet.freeze_panes == "A2"


def test_csv_neutralizes_formula_like_text_and_formats_ratios():
    body = to_csv(COLUMNS, ROWS)
    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[1] == ["'=HYPERLINK(\"http://example.com\",\"点我\")", "50.0%"] and rows[2][1] == "25.0%"

"""Roster import: every row checked first, all or nothing, re-import says what changed."""
import io

import pytest
from bureau_data import credit_code, roster_csv
from sqlalchemy import func, select

from diagnosis.bureau.models import RosterEntry
from diagnosis.bureau.roster import COLUMNS, RosterFileError, import_roster
from diagnosis.extensions import db

GOOD = [(credit_code(i), f"许昌名录企业{i}有限公司", "经济技术开发区", "34", "李四", "13900000000") for i in range(1, 4)]


def roster_size():
    return db.session.scalar(select(func.count(RosterEntry.id)))


def test_every_bad_row_is_reported_at_once_and_nothing_is_imported(app):
    bad_code = credit_code(9)[:-1] + ("0" if credit_code(9)[-1] != "0" else "1")
    rows = GOOD + [(bad_code, "校验位错误公司", "长葛市", "13", "", ""),
                   (credit_code(10), "未知区域公司", "火星区", "13", "", ""),
                   (credit_code(11), "未知行业公司", "长葛市", "99", "", ""),
                   (credit_code(1), "重复代码公司", "长葛市", "13", "", "")]
    outcome = import_roster("roster.csv", roster_csv(rows))
    db.session.rollback()
    assert not outcome.ok
    assert [(e.row, e.column) for e in outcome.errors] == [
        (5, "统一社会信用代码"), (6, "县（市、区）"), (7, "行业代码"), (8, "统一社会信用代码")]
    assert "校验位" in outcome.errors[0].message and "第 2 行" in outcome.errors[3].message
    assert roster_size() == 0


def test_a_bad_row_leaves_the_existing_roster_unchanged(app):
    assert import_roster("roster.csv", roster_csv(GOOD)).ok
    db.session.commit()
    changed = [(credit_code(1), "改了名字的公司", "经济技术开发区", "34", "", ""), ("", "缺代码", "长葛市", "13", "", "")]
    assert not import_roster("roster.csv", roster_csv(changed)).ok
    db.session.rollback()
    assert roster_size() == 3
    assert db.session.scalar(select(RosterEntry.name).where(RosterEntry.credit_code == credit_code(1))) == "许昌名录企业1有限公司"


def test_a_reimport_reports_added_updated_unchanged_and_removed(app):
    import_roster("roster.csv", roster_csv(GOOD))
    db.session.commit()
    again = [GOOD[0], (credit_code(2), "许昌名录企业2有限公司", "长葛市", "34", "李四", "13900000000"),
             (credit_code(4), "新增企业", "禹州市", "13", "", "")]
    outcome = import_roster("roster.csv", roster_csv(again))
    db.session.commit()
    assert (outcome.added, outcome.updated, outcome.unchanged, outcome.removed) == (1, 1, 1, 1)
    assert roster_size() == 3


def test_an_xlsx_roster_is_read_like_a_csv(app):
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet.append([label for _, label in COLUMNS])
    sheet.append([credit_code(1), "表格导入公司", "魏都区", 34, "赵六", 13700000000])
    buffer = io.BytesIO()
    book.save(buffer)
    outcome = import_roster("名录.xlsx", buffer.getvalue())
    db.session.commit()
    assert outcome.ok and outcome.added == 1
    entry = db.session.scalar(select(RosterEntry))
    assert (entry.industry_code, entry.contact_phone) == ("34", "13700000000")


def test_a_file_without_the_template_columns_is_refused_naming_them(app):
    with pytest.raises(RosterFileError, match="企业名称"):
        import_roster("roster.csv", "统一社会信用代码\n91411000MA45XC8D1W\n".encode())

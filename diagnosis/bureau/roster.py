"""Importing the official roster of above-scale enterprises (CSV or XLSX).

Every row is checked first (credit-code check character, known area and GB/T 4754 division,
duplicates, required fields) and the import happens only when no row has a problem: all or
nothing. The file replaces the roster: rows are added, updated or removed in bulk statements, and
the outcome says how many of each (and how many were unchanged).
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from sqlalchemy import delete, insert, select, update, bindparam

from ..accounts.credit_code import credit_code_problem, normalize
from ..accounts.models import Enterprise, utcnow
from ..extensions import db
from ..reference.models import Area, Industry
from .models import RosterEntry

#: The template's header row; a file's header must name these columns (any order).
COLUMNS = [("credit_code", "统一社会信用代码"), ("name", "企业名称"), ("area", "县（市、区）"),
           ("industry_code", "行业代码"), ("contact_name", "联系人"), ("contact_phone", "联系电话")]
HEADERS = {label: key for key, label in COLUMNS}
MAX_ROWS = 50_000
FIELDS = ("name", "area_id", "industry_code", "contact_name", "contact_phone")


class RosterFileError(ValueError):
    """The file as a whole cannot be read (format, header)."""


@dataclass
class RowError:
    row: int                 # the row number as a spreadsheet shows it (header = 1)
    column: str
    message: str


@dataclass
class ImportOutcome:
    errors: list[RowError] = field(default_factory=list)
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    changed_names: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_rows(filename: str, data: bytes) -> list[list[str]]:
    """The rows of a CSV (UTF-8, with or without BOM, or GB18030) or XLSX file, header first."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a file that is not a workbook
            raise RosterFileError("无法读取该 XLSX 文件，请使用下载的模板另存") from exc
        sheet = book.worksheets[0]
        rows = [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
        book.close()
    elif name.endswith(".csv"):
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise RosterFileError("无法识别 CSV 文件的编码，请保存为 UTF-8")
        rows = [[_cell(v) for v in row] for row in csv.reader(io.StringIO(text))]
    else:
        raise RosterFileError("请上传 .csv 或 .xlsx 文件")
    rows = [r for r in rows if any(r)]
    if not rows:
        raise RosterFileError("文件为空")
    if len(rows) - 1 > MAX_ROWS:
        raise RosterFileError(f"一次最多导入 {MAX_ROWS} 行")
    return rows


def validate(rows: list[list[str]]) -> tuple[list[dict], list[RowError]]:
    """Every data row checked; the clean records and every problem found (all rows, all columns)."""
    header = [h.strip() for h in rows[0]]
    index: dict[str, int] = {}
    for i, label in enumerate(header):
        key = HEADERS.get(label) or (label if label in dict(COLUMNS) else None)
        if key:
            index[key] = i
    missing = [label for key, label in COLUMNS if key not in index]
    if missing:
        raise RosterFileError("表头缺少列：" + "、".join(missing) + "（请使用下载的模板）")
    areas = {}
    for area in db.session.scalars(select(Area)):
        areas[area.name] = area.id
        areas[area.code] = area.id
    industries = set(db.session.scalars(select(Industry.code)))
    records, errors, seen = [], [], {}
    for number, row in enumerate(rows[1:], start=2):
        value = {key: (row[i] if i < len(row) else "") for key, i in index.items()}
        problems: list[RowError] = []
        code = normalize(value["credit_code"])
        problem = credit_code_problem(code) if code else "必填"
        if problem:
            problems.append(RowError(number, "统一社会信用代码", problem))
        elif code in seen:
            problems.append(RowError(number, "统一社会信用代码", f"与第 {seen[code]} 行重复"))
        else:
            seen[code] = number
        if not value["name"]:
            problems.append(RowError(number, "企业名称", "必填"))
        elif len(value["name"]) > 200:
            problems.append(RowError(number, "企业名称", "不能超过 200 个字"))
        area_id = areas.get(value["area"])
        if area_id is None:
            problems.append(RowError(number, "县（市、区）",
                                     f"未知的县（市、区）“{value['area']}”" if value["area"] else "必填"))
        industry = value["industry_code"]
        if industry.isdigit() and len(industry) == 1:
            industry = "0" + industry
        if industry not in industries:
            problems.append(RowError(number, "行业代码", f"“{industry}”不是 GB/T 4754 制造业大类代码（13–43）"
                                     if industry else "必填"))
        if len(value["contact_name"]) > 60:
            problems.append(RowError(number, "联系人", "不能超过 60 个字"))
        if len(value["contact_phone"]) > 20:
            problems.append(RowError(number, "联系电话", "不能超过 20 个字符"))
        if problems:
            errors.extend(problems)
            continue
        records.append({"credit_code": code, "name": value["name"], "area_id": area_id, "industry_code": industry,
                        "contact_name": value["contact_name"], "contact_phone": value["contact_phone"]})
    if not records and not errors:
        errors.append(RowError(2, "—", "文件没有数据行"))
    return records, errors


def import_roster(filename: str, data: bytes) -> ImportOutcome:
    """Validate the whole file, then replace the roster with it in one transaction (bulk
    statements). Nothing is written when any row has a problem. The caller commits."""
    rows = read_rows(filename, data)
    records, errors = validate(rows)
    outcome = ImportOutcome(rows=len(rows) - 1)
    if errors:
        outcome.errors = errors
        return outcome
    table = RosterEntry.__table__
    current = {row.credit_code: row for row in db.session.execute(
        select(table.c.credit_code, *(table.c[f] for f in FIELDS)))}
    now = utcnow()
    added, changed = [], []
    for rec in records:
        old = current.pop(rec["credit_code"], None)
        if old is None:
            added.append({**rec, "updated_at": now})
        elif any(getattr(old, f) != rec[f] for f in FIELDS):
            changed.append({"b_code": rec["credit_code"], **rec, "updated_at": now})
        else:
            outcome.unchanged += 1
    if current:
        db.session.execute(delete(table).where(table.c.credit_code.in_(list(current))))
    if added:
        db.session.execute(insert(table), added)
    if changed:
        db.session.execute(
            update(table).where(table.c.credit_code == bindparam("b_code"))
            .values(**{f: bindparam(f) for f in (*FIELDS, "updated_at")}),
            [{k: v for k, v in c.items() if k != "credit_code"} for c in changed])
    outcome.added, outcome.updated, outcome.removed = len(added), len(changed), len(current)
    outcome.changed_names = [c["name"] for c in changed[:20]]
    return outcome


#: The template's example row, under the header (the columns of ``COLUMNS``).
EXAMPLE = ("91411000MA45XC8D1W", "许昌示例装备制造有限公司", "经济技术开发区", "34", "张三", "13800000000")


def template(fmt: str) -> bytes:
    """The downloadable template, CSV (UTF-8 with BOM) or XLSX: the header row and one example row,
    written by the same code as the exports (codes stay text in XLSX, never numbers)."""
    from .exports import Column, to_csv, to_xlsx

    columns = [Column(label, lambda row, i=i: row[i], width=22 if i < 2 else 14) for i, (_, label) in enumerate(COLUMNS)]
    return to_xlsx("规上企业名录", columns, [EXAMPLE]) if fmt == "xlsx" else to_csv(columns, [EXAMPLE])


def registered_off_roster(area_id: int | None = None):
    """A query of registered enterprises whose credit code is not on the roster."""
    query = (select(Enterprise).where(~select(RosterEntry.id).where(
        RosterEntry.credit_code == Enterprise.credit_code).exists()).order_by(Enterprise.name))
    if area_id is not None:
        query = query.where(Enterprise.area_id == area_id)
    return query

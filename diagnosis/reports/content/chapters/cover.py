"""Cover: the enterprise (only what is known), the report number and date, the key results."""
from __future__ import annotations

from ..formatting import cn_date, text as _text
from ..input import ReportInput


def facts(data: ReportInput) -> list[dict]:
    """The enterprise's facts the cover prints, in order; a fact not given is left out."""
    ent = data.enterprise or {}
    above = ent.get("above_scale")
    rows = [
        ("统一社会信用代码", _text(ent.get("credit_code"))),
        ("企业规模", {True: "规模以上工业企业", False: "规模以下工业企业"}.get(above, "")),
        ("所在地区", _text(ent.get("area"))),
        ("所属行业", _text(ent.get("industry"))),
        ("联系人", _text(ent.get("contact_name"))),
        ("诊断日期", cn_date(data.submitted_at) if data.submitted_at else ""),
    ]
    return [{"label": label, "value": value} for label, value in rows if value]


def build(data: ReportInput, phases: list[dict]) -> dict:
    ent = data.enterprise or {}
    return {
        "name": _text(ent.get("name")),
        "facts": facts(data),
        "number": _text(data.number),
        "questionnaire": _text(data.questionnaire_title) or _text(data.result.get("title")),
        "phases_text": "、".join(p["short"] for p in phases),
    }

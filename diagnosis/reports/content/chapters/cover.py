"""Cover: the enterprise, the report number and date, the instrument versions."""
from __future__ import annotations

from ..formatting import cn_date, text as _text
from ..input import ReportInput


def build(data: ReportInput) -> dict:
    ent = data.enterprise or {}
    versions = []
    titles = {"profile": "企业概况"}
    for kind in ("sme", "cmmm", "profile"):
        doc = data.documents.get(kind)
        if doc:
            titles[doc.get("key", kind)] = doc.get("title", kind)
    for key, version in (data.result.get("versions") or {}).items():
        versions.append({"key": key, "title": titles.get(key, key), "version": version})
    above = ent.get("above_scale")
    return {
        "name": _text(ent.get("name")) or "（未填写企业名称）",
        "credit_code": _text(ent.get("credit_code")) or "—",
        "area": _text(ent.get("area")) or "—",
        "industry": _text(ent.get("industry")) or "—",
        "scale": "规模以上工业企业" if above else ("规模以下工业企业" if above is not None else "—"),
        "contact": _text(ent.get("contact_name")) or "—",
        "date": cn_date(data.submitted_at) if data.submitted_at else "未提交（草稿）",
        "number": _text(data.number) or "—",
        "questionnaire": _text(data.questionnaire_title) or _text(data.result.get("title")),
        "versions": versions,
        "scoring_version": _text(data.result.get("scoring_version")) or "—",
    }

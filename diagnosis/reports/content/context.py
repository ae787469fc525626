"""The template context: every chapter's builder run over one ``ReportInput``, and the chapter list.

Each chapter's display values come from its own module in ``chapters/``; this module only puts
them together, numbers the chapters and fills the PDF metadata. Chapters that depend on the
instruments answered (maturity, digital level, gaps) or on a review are left out when empty.
"""
from __future__ import annotations

from .chapters import appendix, cover, digital, indicators, maturity, method, review, roadmap, summary
from .input import ReportInput
from .labels import PLATFORM, REPORT_TITLE
from .normalize import split_result


def build_context(data: ReportInput) -> dict:
    """Everything the template needs, as display-ready values."""
    result = data.result or {}
    sme, cmmm = split_result(result)
    cover_ctx = cover.build(data)
    sme_ctx = digital.build(sme, data.documents.get("sme")) if sme else None
    cmmm_ctx = maturity.build(cmmm, data.documents.get("cmmm"), data.answers or {}, data.peers) if cmmm else None
    recs, phases = roadmap.build(result)
    levels = []
    if sme_ctx:
        levels.append(f"数字化水平{sme_ctx['grade_label']}（{sme_ctx['total']}分）")
    if cmmm_ctx:
        levels.append(f"智能制造能力成熟度{cmmm_ctx['level_label']}（S={cmmm_ctx['score']}）")
    ctx = {
        "lang": "zh-CN",
        "meta": {
            "title": f"{REPORT_TITLE} — {cover_ctx['name']}",
            "author": f"{PLATFORM}平台（{cover_ctx['name']}自诊断）",
            "description": f"报告编号 {cover_ctx['number']}；{cover_ctx['questionnaire']}；" + "；".join(levels),
            "keywords": "智能化诊断, 数字化水平, 智能制造能力成熟度, 改造升级",
        },
        "platform": PLATFORM,
        "report_title": REPORT_TITLE,
        "cover": cover_ctx,
        "sme": sme_ctx,
        "cmmm": cmmm_ctx,
        "indicators": indicators.build(data),
        "targets_title": (data.targets or {}).get("title", ""),
        "recommendations": recs,
        "phases": phases,
        "review": review.build(data.review),
        "method": method.build(result, sme, cmmm, cover_ctx),
        "appendix": appendix.build(data, sme, cmmm),
    }
    ctx["summary"] = summary.build(sme_ctx, cmmm_ctx, data, recs)
    sections = [("summary", "诊断摘要")]
    if cmmm_ctx:
        sections.append(("maturity", "智能制造能力成熟度"))
    if sme_ctx:
        sections.append(("digital", "数字化水平"))
    sections.append(("indicators", "关键指标与行动计划目标"))
    if cmmm_ctx:
        sections.append(("gaps", "优势与差距"))
    sections.append(("roadmap", "改造升级路线图"))
    if ctx["review"]:
        sections.append(("review", "解决方案服务商意见"))
    sections += [("method", "方法说明"), ("appendix", "附录：全部答案")]
    ctx["sections"] = [{"id": s, "title": t, "no": i + 1} for i, (s, t) in enumerate(sections)]
    ctx["no"] = {s["id"]: s["no"] for s in ctx["sections"]}
    return ctx

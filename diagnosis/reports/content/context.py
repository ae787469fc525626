"""The template context: every chapter's builder run over one ``ReportInput``, and the chapter list.

Each chapter's display values come from its own module in ``chapters/``; this module only puts
them together, numbers the chapters and fills the PDF metadata. A chapter is listed only when it
has something to say (``CHAPTERS``): the instruments answered decide the maturity, digital-level and
gaps chapters; the indicators chapter needs the enterprise's figures; a review chapter needs a review.
"""
from __future__ import annotations

import datetime as _dt

from ...scoring.plan import plan_status
from .chapters import (appendix, cover, digital, indicators, maturity, method, policies, reassessment, review,
                       roadmap, summary)
from .input import ReportInput
from .labels import PLATFORM, REPORT_TITLE
from .normalize import split_result

#: The chapters in order: (template id, title, whether the context has it). A new chapter adds one
#: row here, one builder module in ``chapters/`` and one partial in ``reports/partials/``.
CHAPTERS: list[tuple[str, str, object]] = [
    ("summary", "诊断摘要", lambda c: True),
    ("reassessment", "与上次诊断对比", lambda c: bool(c["reassessment"])),
    ("maturity", "智能制造能力成熟度", lambda c: bool(c["cmmm"])),
    ("digital", "数字化水平", lambda c: bool(c["sme"])),
    ("indicators", "关键指标与行动计划目标", lambda c: bool(c["indicators"])),
    ("gaps", "优势与差距", lambda c: bool(c["cmmm"])),
    ("roadmap", "改造升级路线图", lambda c: bool(c["recommendations"])),
    ("policies", "相关政策", lambda c: bool(c["policies"])),
    ("review", "解决方案服务商意见", lambda c: bool(c["review"])),
    ("method", "方法说明", lambda c: True),
    ("appendix", "附录：全部答案", lambda c: True),
]


def _aware(moment: _dt.datetime | None) -> _dt.datetime | None:
    """A stored time with its zone: SQLite gives times back without one (they are UTC), and
    WeasyPrint ignores a PDF creation date without a zone."""
    if isinstance(moment, _dt.datetime) and moment.tzinfo is None:
        return moment.replace(tzinfo=_dt.timezone.utc)
    return moment


def report_title(sme: dict | None, cmmm: dict | None) -> str:
    """The title for the instruments answered."""
    if sme and not cmmm:
        return "中小企业数字化水平评测报告"
    if cmmm and not sme:
        return "智能制造能力成熟度诊断报告"
    return REPORT_TITLE


def build_context(data: ReportInput) -> dict:
    """Everything the template needs, as display-ready values."""
    result = data.result or {}
    sme, cmmm = split_result(result)
    recs, phases = roadmap.build(result)
    cover_ctx = cover.build(data, phases)
    sme_ctx = digital.build(sme, data.documents.get("sme"), data.profile) if sme else None
    cmmm_ctx = maturity.build(cmmm, data.documents.get("cmmm"), data.answers or {}, data.peers) if cmmm else None
    title = report_title(sme, cmmm)
    levels = []
    if sme_ctx:
        levels.append(f"数字化水平{sme_ctx['grade_label']}（{sme_ctx['total']}分）")
    if cmmm_ctx:
        levels.append(f"智能制造能力成熟度{cmmm_ctx['level_label']}（得分{cmmm_ctx['score']}）")
    name = cover_ctx["name"]
    on = data.submitted_at.date() if isinstance(data.submitted_at, _dt.datetime) else _dt.date.today()
    ctx = {
        "lang": "zh-CN",
        "meta": {
            "title": f"{title} — {name}" if name else title,
            "author": f"{PLATFORM}平台" + (f"（{name}自诊断）" if name else ""),
            "description": f"报告编号 {cover_ctx['number']}；{cover_ctx['questionnaire']}；" + "；".join(levels),
            "keywords": "智能化诊断, 数字化水平, 智能制造能力成熟度, 改造升级",
            "created": _aware(data.generated_at or data.submitted_at),
        },
        "platform": PLATFORM,
        "report_title": title,
        "cover": cover_ctx,
        "sme": sme_ctx,
        "cmmm": cmmm_ctx,
        "indicators": indicators.build(data),
        "plan": plan_status(result.get("plan"), on),
        "targets_title": (data.targets or {}).get("title", ""),
        "recommendations": recs,
        "phases": phases,
        "gantt_svg": roadmap.gantt(recs, phases),
        "policies": policies.build(result),
        "review": review.build(data.review),
        "reassessment": reassessment.build(data.previous),
        "method": method.build(result, sme, cmmm, data.documents, data.generated_at or data.submitted_at,
                               data.profile),
        "appendix": appendix.build(data, sme, cmmm),
    }
    ctx["summary"] = summary.build(sme_ctx, cmmm_ctx, data, recs, phases)
    listed = [(cid, t) for cid, t, has in CHAPTERS if has(ctx)]
    ctx["sections"] = [{"id": s, "title": t, "no": i + 1} for i, (s, t) in enumerate(listed)]
    ctx["no"] = {s["id"]: s["no"] for s in ctx["sections"]}
    return ctx

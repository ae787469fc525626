"""Chapter “诊断摘要”: key figures, findings, answers to check and the first actions."""
from __future__ import annotations

from ..formatting import num, pct
from ..input import ReportInput

TOP_ACTIONS = 5


def build(sme_ctx: dict | None, cmmm_ctx: dict | None, data: ReportInput, recs: list[dict],
          phases: list[dict]) -> dict:
    inds = data.result.get("indicators") or {}
    details = data.result.get("indicator_details") or {}
    profile = data.profile or {}

    def rate(key: str) -> str | None:
        if inds.get(key) is None:
            return None
        return pct(inds[key]) + ("（估算）" if (details.get(key) or {}).get("estimated") else "")

    figures = [
        ("关键工序数控化率", rate("nc_rate")),
        ("生产设备联网率", rate("networking_rate")),
        ("生产设备数字化率", rate("digitization_rate")),
        ("工业机器人", f"{num(profile['robots'])}台" if profile.get("robots") is not None else None),
        ("智能化生产线", f"{num(profile['smart_lines'])}条" if profile.get("smart_lines") is not None else None),
    ]
    key_figures = [{"label": label, "value": value} for label, value in figures if value is not None]
    findings = []
    if sme_ctx:
        dims = sorted(sme_ctx["dims"], key=lambda d: d["share"])
        findings.append(f"数字化水平：{sme_ctx['grade_sentence']}；三个维度中“{dims[0]['name']}”得分率最低"
                        f"（{dims[0]['rate']}）。" if dims else f"数字化水平：{sme_ctx['grade_sentence']}。")
        weak = [s for s in sme_ctx["weak_scenes"][:3] if s["level"] < 4]
        if weak:
            findings.append(f"{len(sme_ctx['scenes'])}个数字化经营场景中等级最低的是："
                            + "、".join(f"{s['name']}（{s['level']}级）" for s in weak) + "。")
        if sme_ctx["above_sme"]:
            findings.append(sme_ctx["above_sme"])
    if cmmm_ctx:
        findings.append(cmmm_ctx["finding"])
        parts = []
        if cmmm_ctx["top"] and cmmm_ctx["achieved"] > 0:
            parts.append(f"相对优势子域：{'、'.join(cmmm_ctx['top'])}")
        if cmmm_ctx["bottom"] and cmmm_ctx["achieved"] < 5:     # at level 5 nothing is below the level
            parts.append(f"最需补强的子域：{'、'.join(cmmm_ctx['bottom'])}")
        if parts:
            findings.append("；".join(parts) + "。")
    if recs:
        counts = "，".join(f"{p['label']}{len(p['items'])}项" for p in phases)
        findings.append(f"共提出{len(recs)}项改造升级建议：{counts}；优先顺序见路线图。")
    flags = (data.result.get("consistency") or {}).get("flags") or []
    top = recs[:TOP_ACTIONS]
    return {"key_figures": key_figures, "findings": findings, "top_actions": top,
            "top_title": f"优先行动（前{_cn_count(len(top))}项）" if len(recs) > len(top) else "优先行动",
            "flags": [{"title": f.get("title", ""), "message": f.get("message", ""),
                       "label": f.get("severity_label", ""), "explanation": f.get("explanation") or ""}
                      for f in flags]}


def _cn_count(n: int) -> str:
    return "零一二三四五六七八九十"[n] if 0 <= n <= 10 else str(n)

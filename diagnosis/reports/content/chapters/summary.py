"""Chapter “诊断摘要”: key figures, findings and the first actions."""
from __future__ import annotations

from ..formatting import num, pct
from ..input import ReportInput


def build(sme_ctx: dict | None, cmmm_ctx: dict | None, data: ReportInput, recs: list[dict]) -> dict:
    inds = data.result.get("indicators") or {}
    profile = data.profile or {}
    key_figures = [
        {"label": "关键工序数控化率", "value": pct(inds.get("nc_rate"))},
        {"label": "生产设备联网率", "value": pct(inds.get("networking_rate"))},
        {"label": "生产设备数字化率", "value": pct(inds.get("digitization_rate"))},
        {"label": "工业机器人", "value": f"{num(profile.get('robots'))} 台" if profile.get("robots") is not None else "—"},
        {"label": "智能化生产线", "value": f"{num(profile.get('smart_lines'))} 条"
         if profile.get("smart_lines") is not None else "—"},
    ]
    findings = []
    if sme_ctx:
        dims = sorted(sme_ctx["dims"], key=lambda d: float(d["rate"].rstrip("%") or 0) if d["rate"] != "—" else 0)
        if dims:
            findings.append(f"数字化水平评测得分 {sme_ctx['total']} 分（满分 {sme_ctx['max']}），"
                            f"定级为{sme_ctx['grade_label']}；三个维度中“{dims[0]['name']}”得分率最低（{dims[0]['rate']}）。")
        weak = "、".join(f"{s['name']}（{s['level']}级）" for s in sme_ctx["weak_scenes"][:3])
        if weak:
            findings.append(f"16 个数字化经营场景中等级最低的是：{weak}。")
    if cmmm_ctx:
        findings.append(f"智能制造能力成熟度为{cmmm_ctx['level_label']}（{cmmm_ctx['level_title'] or '—'}），"
                        f"得分 S = {cmmm_ctx['score']}；已连续达成{cmmm_ctx['achieved_label']}，"
                        f"下一目标为{cmmm_ctx['next_label']}。")
        if cmmm_ctx["top"]:
            findings.append(f"相对优势子域：{'、'.join(cmmm_ctx['top'])}；最需补强：{'、'.join(cmmm_ctx['bottom'])}。")
    if recs:
        p1 = sum(1 for r in recs if r["phase"] == "P1")
        findings.append(f"共提出 {len(recs)} 项改造升级建议，其中近期（0–6个月）可启动 {p1} 项，优先顺序见路线图。")
    return {"key_figures": key_figures, "findings": findings, "top_actions": recs[:5]}

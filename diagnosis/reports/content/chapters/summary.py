"""Chapter “诊断摘要”: key figures, findings, answers to check and the first actions."""
from __future__ import annotations

from .. import ranking
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
        findings.append(f"数字化水平：{sme_ctx['grade_sentence']}{_lowest_dimension(sme_ctx['dims'])}。")
        scenes_sentence = _lowest_scenes(sme_ctx["scenes"])
        if scenes_sentence:
            findings.append(scenes_sentence)
        if sme_ctx["above_sme"]:
            findings.append(sme_ctx["above_sme"])
    if cmmm_ctx:
        findings.append(cmmm_ctx["finding"])
        parts = []
        if cmmm_ctx["top"] and cmmm_ctx["achieved"] > 0:
            more = f"等 {len(cmmm_ctx['top']) + cmmm_ctx['top_more']} 个" if cmmm_ctx["top_more"] else ""
            parts.append(f"相对优势子域：{'、'.join(cmmm_ctx['top'])}{more}")
        if cmmm_ctx["bottom"] and cmmm_ctx["achieved"] < 5:     # at level 5 nothing is below the level
            tie = f"（{cmmm_ctx['bottom_tie']}）" if cmmm_ctx["bottom_tie"] else ""
            parts.append(f"{cmmm_ctx['bottom_label']}：{'、'.join(cmmm_ctx['bottom'])}{tie}")
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


def _lowest_dimension(dims: list[dict]) -> str:
    """“；三个维度中“数字化管理”得分率最低（65%）”, naming every dimension at the lowest rate."""
    if not dims:
        return ""
    low = round(min(d["share"] for d in dims), 4)
    lowest = [d for d in dims if round(d["share"], 4) == low]
    count = _cn_count(len(dims))
    if len(lowest) == len(dims) and len(dims) > 1:
        return f"；{count}个维度得分率均为{lowest[0]['rate']}"
    names = "和".join(f"“{d['name']}”" for d in lowest)
    return f"；{count}个维度中{names}得分率最低（{'均为' if len(lowest) > 1 else ''}{lowest[0]['rate']}）"


def _lowest_scenes(scenes: list[dict], limit: int = 3) -> str:
    """The scenes at the lowest level below 4, each level named whole (never two of thirteen
    scenes at 3级 as if they were the lowest)."""
    ranked = sorted((s for s in scenes if s["level"] < 4), key=lambda s: (s["level"], s["id"]))
    if not ranked:
        return ""
    if len(ranked) == len(scenes) and ranked[0]["level"] == ranked[-1]["level"]:
        return f"{len(scenes)}个数字化经营场景均为{ranked[0]['level']}级。"
    lowest = ranking.whole_groups(ranked, lambda s: s["level"], limit)
    if lowest.tied_left_out:
        return (f"{len(scenes)}个数字化经营场景中等级最低的是{lowest.value}级，共"
                f"{len(lowest.shown) + lowest.tied_left_out}个：" + "、".join(s["name"] for s in lowest.shown) + "等。")
    return (f"{len(scenes)}个数字化经营场景中等级最低的是："
            + "、".join(f"{s['name']}（{s['level']}级）" for s in lowest.shown) + "。")


def _cn_count(n: int) -> str:
    return "零一二三四五六七八九十"[n] if 0 <= n <= 10 else str(n)

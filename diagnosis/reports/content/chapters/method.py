"""Chapter “方法说明”: the scoring rules in words, and the versions in words (问卷版本、评分规则版本、
生成时间). Content hashes are not printed: they go into the PDF's metadata (``engine.finish``)."""
from __future__ import annotations

from ..formatting import cn_date, num

#: How the roadmap is ordered, in words a reader follows (the exact rule is in upgrades.yaml).
PRIORITY_RULE = (
    "每项建议由诊断答案触发。排序综合考虑五个方面：与目标的差距越大越靠前；预期效果越大越靠前；投入越小、越容易实施越靠前；"
    "服务于行动计划重点指标且尚未达标的项目适当提前；按“设备数字化、设备联网、数据采集、业务系统、集成与平台、优化引领”"
    "的改造阶梯，企业当前所处台阶上的项目提前，高出两级及以上的项目推后；适合本企业所属行业的项目适当提前。"
    "排序后分为近期、中期、远期三个阶段，前置项目总排在依赖它的项目之前，每个阶段安排的项目数有上限，超出的顺延到下一阶段。"
)


def version_words(version: str) -> str:
    """A scoring version “2026.11” as “2026年11月版”."""
    year, _, month = (version or "").partition(".")
    if year.isdigit() and month.isdigit():
        return f"{year}年{int(month)}月版"
    return version or ""


def build(result: dict, sme: dict | None, cmmm: dict | None, documents: dict, generated_at,
          profile: dict | None = None) -> dict:
    questionnaires = [doc.get("title", "") for kind, doc in documents.items()
                      if kind in ("profile", "sme", "cmmm") and doc and (kind != "profile" or profile)]
    return {
        "sme_rule": (sme or {}).get("grade_rule"),
        "cmmm": ({"standard": cmmm["method"].get("standard", ""), "notes": cmmm["method"].get("notes", []),
                  "threshold": num(cmmm["method"].get("achieve_threshold")),
                  "bands": [{"min": num(b["min"]), "label": b["label"]} for b in cmmm["method"].get("bands", [])],
                  "profile": cmmm.get("profile_name", ""),
                  "scale": "、".join(f"{s['label']} {num(s['value'])}" for s in cmmm["method"].get("scale", []))}
                 if cmmm and cmmm.get("method") else None),
        "priority_rule": PRIORITY_RULE if result.get("recommendations") else "",
        "estimates_note": result.get("estimates_note") or "",
        "versions": [
            {"label": "问卷版本", "value": "；".join(f"《{t}》" if not t.startswith("《") else t
                                                 for t in questionnaires if t) + "，以提交诊断时的版本为准"},
            {"label": "评分规则版本", "value": version_words(result.get("scoring_version") or "")},
            {"label": "生成时间", "value": cn_date(generated_at) if generated_at else ""},
        ],
    }

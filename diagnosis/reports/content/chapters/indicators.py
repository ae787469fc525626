"""Chapter “关键指标与行动计划目标”: the enterprise's indicators against the plan's targets.

The rows are those of the result page (``scoring.labels.indicator_rows``, defined once by
``targets.yaml``); the chapter is left out when the enterprise gave none of the figures."""
from __future__ import annotations

from ....scoring.labels import indicator_rows
from ..input import ReportInput

#: The row of the plan's diagnosis-coverage target (targets.yaml ``compare: diagnosed``).
COVERAGE_ROW = "完成一轮智能化诊断"


def build(data: ReportInput) -> list[dict]:
    profile_doc = data.documents.get("profile")
    if not data.targets or not profile_doc:
        return []
    rows = indicator_rows(data.targets, profile_doc, data.result, data.profile or {},
                          submitted=data.submitted_at is not None)
    above_scale = (data.enterprise or {}).get("above_scale")
    kept = []
    for row in rows:
        if row["name"] == COVERAGE_ROW:
            if above_scale is True:         # the coverage target counts above-scale enterprises only
                kept.append(row)
        elif row["value"] != "—":           # a figure not given is left out, not printed as 未填写
            kept.append(row)
    return kept if any(r["name"] != COVERAGE_ROW for r in kept) else []

"""Display labels and the indicator table, defined once in the data files, for the result page, the
PDF report and the API.

- upgrade kind labels and phase names: ``upgrades.yaml`` (``kinds``, ``prioritization.phases``)
- maturity level names and titles: ``cmmm.yaml`` (``levels``, ``method.below``)
- SME grade names: the SME instrument's ``grade_rule``
- sub-domain standing labels: the scoring rule itself (``cmmm.STANDING``)
- the rows of the "key indicators against the plan" table: ``targets.yaml`` (``report_rows``),
  cross-checked by the loader against ``profile.yaml``
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..numbers import fixed, num, pct
from .cmmm import STANDING, STANDING_RULE
from .consistency import RULE as CONSISTENCY_RULE
from .consistency import SEVERITY_LABELS
from .estimates import basis as _estimate_basis
from .plan import plan_status
from .policies import STATUS_LABELS as POLICY_STATUS_LABELS

__all__ = ["Labels", "indicator_rows", "plan_status", "policy", "estimate_basis", "STANDING", "STANDING_RULE",
           "CONSISTENCY_RULE", "SEVERITY_LABELS", "POLICY_STATUS_LABELS"]


@dataclass(frozen=True)
class Labels:
    kinds: dict[str, str] = field(default_factory=dict)
    phases: dict[str, str] = field(default_factory=dict)          # key -> label with months
    phase_short: dict[str, str] = field(default_factory=dict)
    tiers: dict[str, str] = field(default_factory=dict)
    cmmm_levels: dict[int, str] = field(default_factory=dict)      # 0 -> 未达一级, 1 -> 一级 ...
    cmmm_titles: dict[int, str] = field(default_factory=dict)      # 1 -> 规划级 ...
    sme_grades: dict[int, str] = field(default_factory=dict)
    standing: dict[str, str] = field(default_factory=lambda: dict(STANDING))

    @classmethod
    def of(cls, library) -> "Labels":
        def one(kind: str):
            docs = library.of_kind(kind)
            return docs[0].data if docs else None
        upgrades, cmmm, sme = one("upgrades"), one("cmmm"), one("sme")
        kw: dict[str, Any] = {}
        if upgrades:
            kw["kinds"] = dict(upgrades["kinds"])
            kw["phases"] = {p["key"]: p["label"] for p in upgrades["prioritization"]["phases"]}
            kw["phase_short"] = {p["key"]: p.get("short", p["label"]) for p in upgrades["prioritization"]["phases"]}
            kw["tiers"] = {t["key"]: t["label"] for t in upgrades["tiers"]}
        if cmmm:
            kw["cmmm_levels"] = {cmmm["method"]["below"]["level"]: cmmm["method"]["below"]["label"],
                                 **{lv["level"]: lv["name"] for lv in cmmm["levels"]}}
            kw["cmmm_titles"] = {lv["level"]: lv["title"] for lv in cmmm["levels"]}
        if sme:
            rule = sme["grade_rule"]
            kw["sme_grades"] = {rule["below"]["grade"]: rule["below"]["label"],
                                **{b["grade"]: b["label"] for b in rule["bands"]}}
        return cls(**kw)


def _num(value: Any) -> str:
    return num(value)


def indicator_rows(targets: dict | None, profile_doc: dict, result: dict, profile: dict,
                   submitted: bool = True) -> list[dict[str, Any]]:
    """The enterprise's key indicators against the plan's targets, one row per ``report_rows`` entry
    of ``targets.yaml``: ``{name, value, target, scope, status, status_class, note, year, estimated}``."""
    if not targets:
        return []
    inds = result.get("indicators") or {}
    details = result.get("indicator_details") or {}
    by_key = {t["key"]: t for t in targets["indicators"]}
    fields = {f["key"]: f for s in profile_doc["sections"] for f in s["fields"]}
    rows = []
    for spec in targets["report_rows"]:
        compare = spec["compare"]
        target = by_key.get(spec.get("target", ""), {})
        t = target.get("target")
        row = {"name": spec["label"], "value": "—", "target": "—", "scope": "—", "status": "—",
               "status_class": "na", "note": "", "year": targets["year"], "estimated": False}
        if compare in ("rate", "reference"):
            value = inds.get(spec["indicator"])
            detail = details.get(spec["indicator"]) or {}
            row["estimated"] = bool(detail.get("estimated"))
            row["value"] = pct(value) + ("（估算）" if row["estimated"] else "")
            if row["estimated"]:
                row["note"] = detail.get("basis", "")
            if compare == "reference" or t is None:
                row["target"] = "行动计划未设定"
                row["status"] = "—" if value is None else "参考指标"
                if compare == "rate" and target.get("note"):
                    row["note"] = (row["note"] + "；" if row["note"] else "") + target["note"]
            else:
                row.update(target=pct(t, 0), scope="规上企业平均")
                if value is None:
                    row.update(status="未填写")
                elif value + 1e-9 >= t:
                    row.update(status="已达到", status_class="ok")
                else:
                    row.update(status=f"差 {fixed((t - value) * 100, 1)} 个百分点", status_class="gap")
        elif compare == "share_of_city":
            value = profile.get(spec["field"])
            unit = fields[spec["field"]].get("unit", "")
            row["value"] = f"{_num(value)} {unit}".strip() if value is not None else "—"
            if t is not None:
                row.update(target=f"{_num(t)} {target.get('unit', unit)}", scope="全市合计")
            if value is None:
                row["status"] = "未填写"
            elif t:
                row.update(status=f"占全市目标 {fixed(value / t * 100, 2)}%", status_class="info")
        elif compare == "counted_if_any":
            layers = profile.get(spec["field"])
            texts = {o["key"]: o["text"].split("（")[0] for o in fields[spec["field"]].get("options", [])}
            if layers is not None:
                row["value"] = "、".join(texts.get(x, x) for x in layers) if layers else spec.get("none", "均未选择")
            if t is not None:
                row.update(target=f"{_num(t)} {target.get('unit', '')}".strip(), scope="全市合计")
            row["status"] = "计入" + target.get("name", "") if layers else ("未计入" if layers is not None else "未填写")
            row["status_class"] = "ok" if layers else "gap"
        elif compare == "lianghua":
            status = profile.get(spec["field"])
            texts = {o["key"]: o["text"] for o in fields[spec["field"]].get("options", [])}
            bench, cert = (by_key.get(k, {}) for k in spec["targets"])
            row["value"] = texts.get(status, status) if status else "—"
            if bench.get("target") is not None:
                row.update(target=f"对标 {_num(bench['target'])} 家、贯标 {_num(cert.get('target'))} 家", scope="全市合计")
            row["status"] = {"certified": "计入" + cert.get("name", "贯标企业"),
                             "benchmarked": "计入" + bench.get("name", "对标企业"),
                             "none": "未计入"}.get(status, "未填写")
            row["status_class"] = {"certified": "ok", "benchmarked": "ok", "none": "gap"}.get(status, "na")
        elif compare == "diagnosed" and t is not None:
            row.update(value="已完成（本次诊断）" if submitted else "进行中", target=f"规上企业 {pct(t, 0)}",
                       scope="全市规上企业", status="计入诊断覆盖" if submitted else "提交后计入",
                       status_class="ok" if submitted else "na")
        rows.append(row)
    return rows


def policy(library, policy_id: str) -> dict | None:
    """A policy of ``policies.yaml`` with its checked facts, our reading and source."""
    for doc in library.of_kind("policies"):
        for pol in doc.data["policies"]:
            if pol["id"] == policy_id:
                return pol
    return None


def estimate_basis(library, upgrade_id: str, system_level: int | None = None) -> dict[str, str] | None:
    """Where the ranges of an upgrade's estimate come from (investment, benefit, payback); with the
    ``system_level`` of a recommendation for a system in use, those of its next step."""
    for doc in library.of_kind("upgrades"):
        for up in doc.data["upgrades"]:
            if up["id"] == upgrade_id and up.get("estimate"):
                step = ((up.get("system") or {}).get("next") or {}).get(str(system_level)) or {}
                return _estimate_basis(step.get("estimate") or up["estimate"], doc.data["estimates"])
    return None

"""Chapter “关键指标与行动计划目标”: the enterprise's indicators against the plan's targets."""
from __future__ import annotations

from ..formatting import num, pct
from ..input import ReportInput


def build(data: ReportInput) -> list[dict]:
    inds = data.result.get("indicators") or {}
    profile = data.profile or {}
    targets = {t["key"]: t for t in (data.targets or {}).get("indicators", [])}
    year = (data.targets or {}).get("year")
    cloud_text, lianghua_text = {}, {}
    for section in (data.documents.get("profile") or {}).get("sections", []):
        for f in section["fields"]:
            if f["key"] == "cloud_layers":
                cloud_text = {o["key"]: o["text"].split("（")[0] for o in f.get("options", [])}
            if f["key"] == "lianghua_status":
                lianghua_text = {o["key"]: o["text"] for o in f.get("options", [])}

    def target(key: str) -> dict:
        return targets.get(key) or {}

    def ratio_row(name: str, key: str, tkey: str) -> dict:
        value = inds.get(key)
        t = target(tkey).get("target")
        if value is None:
            status, cls = "未填写", "na"
        elif t is None:
            status, cls = "无目标值", "na"
        elif value + 1e-9 >= t:
            status, cls = "已达到", "ok"
        else:
            status, cls = f"差 {(t - value) * 100:.1f} 个百分点", "gap"
        return {"name": name, "value": pct(value), "target": pct(t, 0) if t is not None else "行动计划未设定",
                "scope": "规上企业平均" if t is not None else "—", "status": status, "status_class": cls,
                "note": target(tkey).get("note", "") if t is None else ""}

    def count_row(name: str, field_key: str, tkey: str, unit: str) -> dict:
        value = profile.get(field_key)
        t = target(tkey).get("target")
        if value is None:
            status, cls = "未填写", "na"
        elif t:
            status, cls = f"占全市目标 {value / t * 100:.2f}%", "info"
        else:
            status, cls = "—", "na"
        return {"name": name, "value": f"{num(value)} {unit}" if value is not None else "—",
                "target": f"{num(t)} {unit}" if t is not None else "—", "scope": "全市合计" if t is not None else "—",
                "status": status, "status_class": cls, "note": ""}

    rows = [
        ratio_row("关键工序数控化率", "nc_rate", "nc_rate"),
        ratio_row("生产设备联网率", "networking_rate", "networking"),
    ]
    if "digitization_rate" in inds:
        value = inds.get("digitization_rate")
        rows.append({"name": "生产设备数字化率", "value": pct(value), "target": "行动计划未设定", "scope": "—",
                     "status": "—" if value is None else "参考指标", "status_class": "na", "note": ""})
    rows += [
        count_row("工业机器人", "robots", "robots", "台"),
        count_row("智能化生产线", "smart_lines", "smart_lines", "条"),
        count_row("智能工厂（数字化车间）", "smart_workshops", "smart_factories", "个"),
    ]
    layers = profile.get("cloud_layers")
    t = target("cloud_enterprises").get("target")
    rows.append({
        "name": "企业上云",
        "value": ("、".join(cloud_text.get(x, x) for x in layers) if layers else "尚未上云") if layers is not None else "—",
        "target": f"{num(t)} 家上云企业" if t is not None else "—", "scope": "全市合计" if t is not None else "—",
        "status": "计入上云企业" if layers else ("未计入" if layers is not None else "未填写"),
        "status_class": "ok" if layers else "gap", "note": ""})
    status = profile.get("lianghua_status")
    tb, tc = target("lianghua_benchmarked").get("target"), target("lianghua_certified").get("target")
    rows.append({
        "name": "两化融合管理体系",
        "value": lianghua_text.get(status, status) if status else "—",
        "target": (f"对标 {num(tb)} 家、贯标 {num(tc)} 家" if tb is not None else "—"),
        "scope": "全市合计" if tb is not None else "—",
        "status": {"certified": "计入贯标企业", "benchmarked": "计入对标企业", "none": "未计入"}.get(status, "未填写"),
        "status_class": {"certified": "ok", "benchmarked": "ok", "none": "gap"}.get(status, "na"), "note": ""})
    t = target("diagnosis_coverage").get("target")
    if t is not None:
        rows.append({"name": "完成一轮智能化诊断", "value": "已完成（本报告）" if data.submitted_at else "进行中",
                     "target": f"规上企业 {pct(t, 0)}", "scope": "全市规上企业",
                     "status": "计入诊断覆盖" if data.submitted_at else "提交后计入",
                     "status_class": "ok" if data.submitted_at else "na", "note": ""})
    for r in rows:
        r["year"] = year
    return rows

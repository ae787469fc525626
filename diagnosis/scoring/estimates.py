"""Cost, benefit and payback estimates of a recommendation, from the catalog's ranges and the
enterprise's own figures. Every figure is a range and is labelled as an estimate.

A result carries the ranges and one sentence; the basis of each range stays in the catalog
(``basis`` below gives it for the report's method note), so stored results stay small."""
from __future__ import annotations

import math
from typing import Any

from ..instruments.schemas import QUANTITIES

QUANTITY_LABELS = {
    "non_nc_processes": "未数控化的关键工序 {n} 道",
    "undigitized_equipment": "未数字化的生产设备 {n} 台",
    "unnetworked_equipment": "未联网的生产设备 {n} 台",
    "equipment_total": "生产设备 {n} 台",
    "manual_workers": "{jobs}岗位 {n} 人",
    "headcount": "从业人员 {n} 人",
    "revenue": "营业收入 {n} 万元",
    "energy_tce": "上年综合能耗 {n} 吨标准煤",
}
assert set(QUANTITY_LABELS) == set(QUANTITIES)


def quantity(name: str, counts: dict[str, Any], workers: dict[str, int]) -> float | None:
    """A quantity an estimate may scale with. ``counts`` are the enterprise's figures (profile, or the
    SME figures where the profile lacks them); ``workers`` the manual jobs the upgrade takes over."""
    if name == "manual_workers":
        return sum(workers.values()) if workers else None
    part = _DIFFERENCES.get(name)
    if part is None:
        return counts.get(name)
    a, b = counts.get(part[0]), counts.get(part[1])
    return max(a - b, 0) if a is not None and b is not None else None


_DIFFERENCES = {"non_nc_processes": ("key_processes_total", "key_processes_nc"),
                "undigitized_equipment": ("equipment_total", "equipment_digitized"),
                "unnetworked_equipment": ("equipment_total", "equipment_networked")}


def nice(x: float) -> float:
    """Two significant digits: estimates should not look more precise than they are."""
    if x <= 0:
        return 0
    digits = 1 - int(math.floor(math.log10(x)))
    value = round(x, digits)
    return int(value) if value >= 10 or float(value).is_integer() else value


def span(lo: float, hi: float, unit: str = "") -> str:
    a, b = nice(lo), nice(hi)
    text = f"{a:g}" if a == b else f"{a:g}–{b:g}"
    return f"{text} {unit}".rstrip() if unit else text


def estimate(spec: dict | None, catalog: dict, q: dict[str, float | None], jobs: list[str]) -> dict[str, Any] | None:
    if not spec:
        return None
    inv = spec["investment"]
    quantity = inv.get("quantity")
    amount = q.get(quantity) if quantity else None
    scaled = None
    if quantity and amount:
        lo = inv.get("fixed", [0, 0])[0] + inv["per"][0] * amount
        hi = inv.get("fixed", [0, 0])[1] + inv["per"][1] * amount
        label = QUANTITY_LABELS[quantity].format(n=f"{amount:g}", jobs="、".join(jobs[:3]) + ("等" if len(jobs) > 3 else ""))
        scaled = {"quantity": quantity, "value": amount}
    else:
        lo, hi = inv["typical"]
    investment = {"range": [nice(lo), nice(hi)], "unit": "万元", "scaled_by": scaled}
    out: dict[str, Any] = {"investment": investment}
    assumptions = catalog["assumptions"]
    benefit = spec.get("benefit")
    money = None
    if benefit:
        b: dict[str, Any] = {"kind": benefit["kind"]}
        if benefit["kind"] == "labour" and q.get("manual_workers"):
            workers = q["manual_workers"]
            persons = [workers * benefit["share"][0], workers * benefit["share"][1]]
            cost = assumptions["labour_cost"]["range"]
            money = [persons[0] * cost[0], persons[1] * cost[1]]
            b["persons"] = [max(1, math.floor(persons[0])), max(1, math.ceil(persons[1]))]
            b["money"] = [nice(money[0]), nice(money[1])]
            b["text"] = (f"可减少一线人工约 {b['persons'][0]}–{b['persons'][1]} 人，按年用工成本 "
                         f"{span(*cost)} 万元/人计，年节约约 {span(*money, '万元')}")
        elif benefit["kind"] == "energy" and q.get("energy_tce"):
            tce = [q["energy_tce"] * benefit["share"][0], q["energy_tce"] * benefit["share"][1]]
            price = assumptions["energy_price"]["range"]
            money = [tce[0] * price[0], tce[1] * price[1]]
            b["tce"] = [nice(tce[0]), nice(tce[1])]
            b["money"] = [nice(money[0]), nice(money[1])]
            b["text"] = f"年节能约 {span(*tce, '吨标准煤')}，折合能源费用约 {span(*money, '万元')}"
        elif benefit["kind"] == "text":
            b["text"] = benefit["text"]
        else:
            b["text"] = "效益需按企业的人工和能耗数据测算（本次诊断未填写相关数字）。"
            money = None
        out["benefit"] = b
    if money and money[0] > 0:
        # Investment and benefit both grow with the same quantity: pair low with low and high with
        # high, then widen by a quarter either way for the uncertainty of each.
        a, b = sorted((lo / money[0], hi / money[1]))
        years = [max(0.5, math.floor(a * 0.8 * 2) / 2), min(10.0, max(0.5, math.ceil(b * 1.25 * 2) / 2))]
        out["payback"] = {"years": years, "computed": True}
    elif spec.get("payback"):
        out["payback"] = {"years": spec["payback"]["years"], "computed": False}
    parts = [f"投资约 {span(*investment['range'], '万元')}" + (f"（按{label}估算）" if scaled else "")]
    if out.get("benefit"):
        parts.append(out["benefit"].pop("text").rstrip("。"))
    if out.get("payback"):
        parts.append(f"回收期约 {span(*out['payback']['years'], '年')}")
    out["text"] = "；".join(parts) + "（估算）"
    return out


PAYBACK_COMPUTED = "按投资和年收益计算（投资 ÷ 年收益，低值配低值、高值配高值，再上下放宽四分之一）。"


def basis(spec: dict, catalog: dict) -> dict[str, str]:
    """Where an upgrade's estimate ranges come from, for the report's method note."""
    out = {"investment": spec["investment"]["basis"]}
    benefit = spec.get("benefit") or {}
    if benefit.get("basis"):
        extra = {"labour": "labour_cost", "energy": "energy_price"}.get(benefit["kind"])
        out["benefit"] = benefit["basis"] + (" " + catalog["assumptions"][extra]["basis"] if extra else "")
    out["payback"] = (spec["payback"]["basis"] if spec.get("payback") else "") + (
        " 能算出年收益时：" + PAYBACK_COMPUTED if benefit.get("kind") in ("labour", "energy") else "")
    return out

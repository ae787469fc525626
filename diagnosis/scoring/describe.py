"""Human-readable reasons: turns a trigger condition and the value it met into Chinese text."""
from __future__ import annotations

from typing import Any

CMMM_LEVELS = {0: "未达一级", 1: "一级", 2: "二级", 3: "三级", 4: "四级", 5: "五级"}


def _num(value: float) -> str:
    return f"{value:g}" if isinstance(value, (int, float)) else str(value)


class Describer:
    def __init__(self, profile_doc: dict, sme_doc: dict | None, cmmm_doc: dict | None):
        self.labels: dict[str, str] = {"sme.total": "数字化水平总分", "sme.grade": "数字化水平等级",
                                       "cmmm.level": "智能制造能力成熟度等级", "cmmm.score": "成熟度得分 S"}
        self.options: dict[str, dict[str, str]] = {}
        self.ratios: set[str] = set()
        self._thresholds: dict[int, tuple[dict, str]] = {}
        for section in profile_doc["sections"]:
            for f in section["fields"]:
                self.labels[f"profile.{f['key']}"] = f["label"] + (f"（{f['unit']}）" if f.get("unit") else "")
                if f.get("options"):
                    self.options[f"profile.{f['key']}"] = {o["key"]: o["text"] for o in f["options"]}
        for ind in profile_doc["indicators"]:
            self.labels[f"indicator.{ind['key']}"] = ind["name"]
            self.ratios.add(f"indicator.{ind['key']}")
        if sme_doc:
            for q in sme_doc["questions"]:
                fact = f"answer.{q['id']}"
                self.labels[fact] = f"{q['id']} {q.get('topic') or ''}：{q['text']}".replace(" ：", "：")
                self.options[fact] = {o["key"]: f"{o['key']}. {o['text']}" for o in q["options"]}
            for g in sme_doc["scene_groups"]:
                for s in g["scenes"]:
                    self.labels[f"scene.{s['id']}"] = f"{s['id']} {s['name']}场景等级"
        if cmmm_doc:
            for sd in cmmm_doc["subdomains"]:
                self.labels[f"subdomain.{sd['key']}"] = f"成熟度子域“{sd['name']}”目标级得分"

    def value(self, fact: str, value: Any) -> str:
        if value is None:
            return "未填写"
        if fact in self.ratios:
            return f"{value * 100:.1f}%"
        opts = self.options.get(fact)
        if isinstance(value, list):
            return "、".join(opts.get(v, v) if opts else v for v in value) if value else "均未选择"
        if opts:
            return opts.get(value, str(value))
        if fact.startswith("scene."):
            return f"{value} 级"
        if fact == "cmmm.level":
            return CMMM_LEVELS.get(value, str(value))
        return _num(value)

    def __call__(self, cond: dict, value: Any) -> dict[str, str]:
        fact = cond["fact"]
        # Conditions are long-lived objects of a loaded catalog: cache by identity (kept alive here).
        hit = self._thresholds.get(id(cond))
        if hit is None or hit[0] is not cond:
            hit = self._thresholds[id(cond)] = (cond, self.threshold(cond))
        threshold = hit[1]
        return {"fact": fact, "question": self.labels.get(fact, fact), "answer": self.value(fact, value),
                "threshold": threshold}

    def threshold(self, cond: dict) -> str:
        fact = cond["fact"]
        fmt = (lambda t: f"{t * 100:g}%") if fact in self.ratios else (
            (lambda t: f"{t:g} 级") if fact.startswith("scene.") else _num)
        if "below" in cond:
            threshold = f"低于 {fmt(cond['below'])}"
        elif "at_least" in cond:
            threshold = f"不低于 {fmt(cond['at_least'])}"
        elif "above" in cond:
            threshold = f"大于 {fmt(cond['above'])}"
        elif "lacks" in cond:
            threshold = f"未选择“{self.value(fact, cond['lacks'])}”"
        elif "has" in cond:
            threshold = f"已选择“{self.value(fact, cond['has'])}”"
        else:
            threshold = "为 " + " 或 ".join(f"“{self.value(fact, v)}”" for v in cond["in"])
        return threshold

"""Reasons in Chinese: turns the conditions that triggered a recommendation, and the values that met
them, into sentences that name the level or figure they are about.

Each reason keeps the structured parts (``question``, ``answer``, ``threshold``) and adds ``text``, a
sentence such as "数据：五级要求得分 0，需达到 0.8" or "码垛、物料搬运、上下料等岗位共 57 人，目前仅 4 台工业机器人".
"""
from __future__ import annotations

from typing import Any

from ..numbers import num, pct

ROBOTS = "profile.robots"
_EMPTY: dict = {}


def _num(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4f}".rstrip("0").rstrip(".") if value != int(value) else f"{value:g}"
    return f"{value:g}" if isinstance(value, (int, float)) else str(value)


def _qnum(qid: str) -> str:
    return f"第{int(qid[1:])}题" if qid[1:].isdigit() else qid


class Describer:
    def __init__(self, profile_doc: dict, sme_doc: dict | None, cmmm_doc: dict | None):
        self.labels: dict[str, str] = {"sme.total": "数字化水平总分", "sme.grade": "数字化水平等级",
                                       "cmmm.level": "智能制造能力成熟度等级", "cmmm.score": "成熟度得分 S"}
        self.names: dict[str, str] = {}            # fact -> short name for sentences
        self.units: dict[str, str] = {}
        self.options: dict[str, dict[str, str]] = {}
        self.ratios: set[str] = set()
        self.workers: dict[str, str] = {}           # manual-job field facts -> job name
        self.cmmm_levels: dict[int, str] = {0: "未达一级"}
        self.bar = 0.8
        self.sme_grades: dict[int, str] = {}
        self._thresholds: dict[int, tuple[dict, str]] = {}
        # Keys hold the ids of the catalog's conditions, kept alive by the compiled catalog.
        self._leaves: dict[tuple, dict[str, Any]] = {}
        self._kinds: dict[int, tuple[dict, tuple]] = {}
        for section in profile_doc["sections"]:
            for f in section["fields"]:
                fact = f"profile.{f['key']}"
                self.labels[fact] = f["label"] + (f"（{f['unit']}）" if f.get("unit") else "")
                self.names[fact] = f["label"]
                self.units[fact] = f.get("unit", "")
                if f.get("options"):
                    self.options[fact] = {o["key"]: o["text"] for o in f["options"]}
                if section["key"] == "manual":
                    self.workers[fact] = f["label"]
        for ind in profile_doc["indicators"]:
            self.labels[f"indicator.{ind['key']}"] = ind["name"]
            self.names[f"indicator.{ind['key']}"] = ind["name"]
            self.ratios.add(f"indicator.{ind['key']}")
        if sme_doc:
            for q in sme_doc["questions"]:
                fact = f"answer.{q['id']}"
                self.labels[fact] = f"{q['id']} {q.get('topic') or ''}：{q['text']}".replace(" ：", "：")
                self.names[fact] = f"{_qnum(q['id'])}（{q.get('topic') or q['text']}）"
                self.options[fact] = {o["key"]: f"{o['key']}. {o['text']}" for o in q["options"]}
            for g in sme_doc["scene_groups"]:
                for s in g["scenes"]:
                    self.labels[f"scene.{s['id']}"] = f"{s['id']} {s['name']}场景等级"
                    self.names[f"scene.{s['id']}"] = s["name"]
            rule = sme_doc["grade_rule"]
            self.sme_grades = {rule["below"]["grade"]: rule["below"]["label"],
                               **{b["grade"]: b["label"] for b in rule["bands"]}}
        if cmmm_doc:
            for sd in cmmm_doc["subdomains"]:
                self.labels[f"subdomain.{sd['key']}"] = f"成熟度子域“{sd['name']}”下一级要求得分"
                self.names[f"subdomain.{sd['key']}"] = sd["name"]
            self.cmmm_levels = {cmmm_doc["method"]["below"]["level"]: cmmm_doc["method"]["below"]["label"],
                                **{lv["level"]: lv["name"] for lv in cmmm_doc["levels"]}}
            self.bar = cmmm_doc["method"]["achieve_threshold"]

    # ------------------------------------------------------------------ values and thresholds

    def value(self, fact: str, value: Any) -> str:
        if value is None:
            return "未填写"
        if fact in self.ratios:
            return pct(value)             # the report's and the result page's rounding (half-up)
        opts = self.options.get(fact)
        if isinstance(value, list):
            return "、".join(opts.get(v, v) if opts else v for v in value) if value else "均未选择"
        if opts:
            return opts.get(value, str(value))
        if fact.startswith("scene."):
            return f"{value} 级"
        if fact == "cmmm.level":
            return self.cmmm_levels.get(value, str(value))
        if fact == "sme.grade":
            return self.sme_grades.get(value, str(value))
        unit = self.units.get(fact, "")
        return f"{_num(value)} {unit}".rstrip() if unit else _num(value)

    def threshold(self, cond: dict) -> str:
        fact = cond["fact"]
        if fact in self.ratios:
            fmt = lambda t: f"{t * 100:g}%"  # noqa: E731
        elif fact.startswith("scene."):
            fmt = lambda t: f"{t:g} 级"  # noqa: E731
        elif fact == "cmmm.level":
            fmt = lambda t: self.cmmm_levels.get(t, f"{t:g}")  # noqa: E731
        elif fact == "sme.grade":
            fmt = lambda t: self.sme_grades.get(t, f"{t:g}")  # noqa: E731
        else:
            fmt = _num
        if "below" in cond:
            return f"低于 {fmt(cond['below'])}"
        if "at_least" in cond:
            return f"不低于 {fmt(cond['at_least'])}"
        if "above" in cond:
            return f"大于 {fmt(cond['above'])}"
        if "lacks" in cond:
            return f"未选择“{self.value(fact, cond['lacks'])}”"
        if "has" in cond:
            return f"已选择“{self.value(fact, cond['has'])}”"
        return "为 " + " 或 ".join(f"“{self.value(fact, v)}”" for v in cond["in"])

    def _cached_threshold(self, cond: dict) -> str:
        # Conditions are long-lived objects of a loaded catalog: cache by identity (kept alive here).
        hit = self._thresholds.get(id(cond))
        if hit is None or hit[0] is not cond:
            hit = self._thresholds[id(cond)] = (cond, self.threshold(cond))
        return hit[1]

    def __call__(self, cond: dict, value: Any) -> dict[str, str]:
        fact = cond["fact"]
        return {"fact": fact, "question": self.labels.get(fact, fact), "answer": self.value(fact, value),
                "threshold": self._cached_threshold(cond)}

    # ------------------------------------------------------------------ sentences

    def sentence(self, cond: dict, value: Any, facts: dict, details: dict) -> str:
        fact = cond["fact"]
        name = self.names.get(fact, self.labels.get(fact, fact))
        shown = self.value(fact, value)
        if fact.startswith("subdomain."):
            level = facts.get("cmmm.target_level")
            level_name = self.cmmm_levels.get(level, f"{level}级")
            return f"{name}：{level_name}要求得分 {num(value)}，需达到 {_num(self.bar)}"
        if fact.startswith("indicator."):
            text = f"{name} {shown}"
            if "below" in cond:
                text += f"，低于 {cond['below'] * 100:g}%"
            elif "at_least" in cond:
                text += f"，已达到 {cond['at_least'] * 100:g}%"
            detail = details.get(fact[len("indicator."):]) or {}
            if detail.get("estimated"):
                text += f"（{detail['basis']}）"
            return text
        if fact.startswith("scene."):
            text = f"{name}场景为 {value} 级"
            return text + (f"，低于 {cond['below']:g} 级" if "below" in cond else "")
        if fact == "cmmm.level":
            return f"智能制造能力成熟度为{shown}"
        if fact == "sme.grade":
            return f"数字化水平为{shown}"
        if fact.startswith("answer."):
            if "lacks" in cond:
                return f"{name}未选择“{self.value(fact, cond['lacks'])}”"
            if "has" in cond:
                return f"{name}选择了“{self.value(fact, cond['has'])}”"
            return f"{name}选择“{shown}”"
        if fact.startswith("profile."):
            if "lacks" in cond:
                return f"{name}不包括“{self.value(fact, cond['lacks']).split('（')[0]}”"
            if "has" in cond:
                return f"{name}包括“{self.value(fact, cond['has']).split('（')[0]}”"
            if "in" in cond:
                return f"{name}：{shown.split('（')[0]}"
            if "below" in cond and value == 0:
                return f"还没有{name}"
            text = f"{name} {shown}"
            if "below" in cond:
                text += f"，少于 {_num(cond['below'])} {self.units.get(fact, '')}".rstrip()
            return text
        return f"{name}：{shown}（{self._cached_threshold(cond)}）"

    def reasons(self, leaves: list[tuple[dict, float]], facts: dict, details: dict) -> list[dict[str, Any]]:
        """The reasons of one recommendation: one entry per fact, and one sentence for all manual-job
        headcounts together with the robots count."""
        return self._reasons_of(leaves, facts, details)

    def _kind(self, cond: dict) -> tuple[str, str, str | None]:
        """(fact, kind, detail key) of a condition: kind w = manual-job headcount, r = robots,
        i = indicator (its detail key), s = maturity sub-domain, "" = other. Cached by identity."""
        hit = self._kinds.get(id(cond))
        if hit is None or hit[0] is not cond:
            fact = cond["fact"]
            if fact in self.workers:
                kind, key = "w", None
            elif fact == ROBOTS:
                kind, key = "r", None
            elif fact.startswith("indicator."):
                kind, key = "i", fact[len("indicator."):]
            elif fact.startswith("subdomain."):
                kind, key = "s", None
            else:
                kind, key = "", None
            hit = self._kinds[id(cond)] = (cond, (fact, kind, key))
        return hit[1]

    def _leaf(self, cond: dict, fact: str, kind: str, key: str | None, facts: dict, details: dict) -> dict[str, Any]:
        """The reason entry of one condition and the value it met, memoized (shared: never mutated)."""
        value = facts.get(fact)
        if kind == "i":
            extra = (details.get(key) or _EMPTY).get("basis")
        elif kind == "s":
            extra = facts.get("cmmm.target_level")
        else:
            extra = None
        memo_key = (id(cond), tuple(value) if value.__class__ is list else value, extra)
        hit = self._leaves.get(memo_key)
        if hit is None:
            if len(self._leaves) > 50_000:
                self._leaves.clear()
            hit = self._leaves[memo_key] = {
                "fact": fact, "facts": (fact,), "question": self.labels.get(fact, fact),
                "answer": self.value(fact, value), "threshold": self._cached_threshold(cond),
                "text": self.sentence(cond, value, facts, details)}
        return hit

    def _reasons_of(self, leaves: list[tuple[dict, float]], facts: dict, details: dict) -> list[dict[str, Any]]:
        entries: list[dict[str, Any]] = []
        by_fact: dict[str, int] = {}
        jobs: dict[str, int] | None = None
        robots_cond = None
        kinds = self._kind
        for cond, _ in leaves:
            fact, kind, key = kinds(cond)
            if kind == "w":
                if jobs is None:
                    jobs = {}
                jobs[fact] = facts.get(fact)
                continue
            if kind == "r":
                robots_cond = cond
                continue
            at = by_fact.get(fact)
            if at is None:
                by_fact[fact] = len(entries)
                entries.append(self._leaf(cond, fact, kind, key, facts, details))
                continue
            entry = entries[at]
            threshold = self._cached_threshold(cond)
            if threshold in entry["threshold"].split("；"):
                continue
            entry = entries[at] = dict(entry, threshold=entry["threshold"] + "；" + threshold)
            if "lacks" in cond and "未选择" in entry["text"]:
                entry["text"] += f"、“{self.value(fact, cond['lacks'])}”"
            elif "below" in cond and "低于" not in entry["text"]:
                entry["text"] = self.sentence(cond, facts.get(fact), facts, details)
        if jobs or robots_cond is not None:
            entries.insert(0, self._labour(jobs or {}, robots_cond, facts))
        return entries

    def _labour(self, jobs: dict[str, int], robots_cond: dict | None, facts: dict) -> dict[str, Any]:
        robots = facts.get(ROBOTS)
        parts = []
        if jobs:
            ordered = sorted(jobs.items(), key=lambda kv: -(kv[1] or 0))
            names = [self.workers[f] for f, _ in ordered]
            total = sum(v or 0 for _, v in ordered)
            listed = "、".join(names[:3]) + ("等" if len(names) > 3 else "")
            parts.append(f"{listed}岗位共 {total} 人")
        if robots is not None and (robots_cond is not None or jobs):
            parts.append("目前还没有工业机器人" if robots == 0 else f"目前仅 {robots} 台工业机器人")
        facts_used = list(jobs) + ([ROBOTS] if robots_cond is not None else [])
        answer = "、".join(f"{self.workers[f]} {v} 人" for f, v in sorted(jobs.items(), key=lambda kv: -(kv[1] or 0)))
        if robots is not None:
            answer += ("；" if answer else "") + f"工业机器人 {robots} 台"
        return {"fact": facts_used[0], "facts": facts_used, "question": "人工作业岗位与工业机器人",
                "answer": answer or "—", "threshold": "人工岗位多、机器人少", "text": "，".join(parts)}

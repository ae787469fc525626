"""Appendix “全部答案”: every answer, as given."""
from __future__ import annotations

from typing import Any

from ..formatting import num, text as _text
from ..input import ReportInput
from ..labels import CMMM_LEVEL_NAMES


def _answer_text(q: dict, value: Any) -> str:
    opts = {o["key"]: o["text"] for o in q.get("options", [])}
    if value is None:
        return "未作答"
    if isinstance(value, list):
        return "；".join(f"{v}. {opts.get(v, v)}" for v in value) if value else "均未选择"
    return f"{value}. {opts.get(value, value)}"


def build(data: ReportInput, sme: dict | None, cmmm: dict | None) -> dict:
    answers = data.answers or {}
    profile_doc = data.documents.get("profile")
    sme_doc = data.documents.get("sme")
    cmmm_doc = data.documents.get("cmmm")
    sections = []
    if profile_doc:
        for section in profile_doc.get("sections", []):
            rows = []
            for f in section["fields"]:
                value = data.profile.get(f["key"])
                opts = {o["key"]: o["text"].split("（")[0] for o in f.get("options", [])}
                if value is None:
                    continue            # not given: left out (the chapter says nothing only to say it is empty)
                elif isinstance(value, list):
                    text = "、".join(opts.get(v, v) for v in value) if value else "均未选择"
                elif opts:
                    text = opts.get(value, str(value))
                else:
                    text = f"{num(value)}{f.get('unit', '')}".strip()
                rows.append({"label": f["label"], "value": text})
            if rows:
                sections.append({"title": section["title"], "rows": rows})
    else:
        rows = [{"label": k, "value": "、".join(map(str, v)) if isinstance(v, list) else num(v)}
                for k, v in (data.profile or {}).items() if v is not None]
        if rows:
            sections.append({"title": "企业概况", "rows": rows})
    questions = []
    scenes = []
    if sme_doc:
        points = (sme or {}).get("questions") or {}
        for q in sme_doc.get("questions", []):
            collected = []
            for col in q.get("collects") or []:
                if answers.get(col["key"]) is not None:
                    collected.append(f"{col['label']} {num(answers[col['key']])}{col.get('unit', '')}".strip())
            questions.append({"id": q["id"], "text": q["text"], "answer": _answer_text(q, answers.get(q["id"])),
                              "collected": "；".join(collected),
                              "points": num((points.get(q["id"]) or {}).get("points"))})
        for g in sme_doc.get("scene_groups", []):
            for sc in g["scenes"]:
                level = answers.get(sc["id"])
                scenes.append({"id": sc["id"], "name": sc["name"], "level": "未答" if level is None else f"{level}级"})
    elif sme:
        for qid, q in (sme.get("questions") or {}).items():
            questions.append({"id": qid, "text": qid, "answer": _text(q.get("answer")) or "未作答",
                              "collected": "", "points": num(q.get("points"))})
        for sid, sc in (sme.get("scenes") or {}).items():
            scenes.append({"id": sid, "name": sc.get("name", ""), "level": f"{sc.get('level', 0)}级"})
    matrix = []
    unanswered = 0
    legend = ""
    if cmmm_doc and cmmm:
        scale = cmmm_doc.get("scale", [])
        legend = "、".join(f"{num(float(x['value']))} {x['label']}" for x in sorted(scale, key=lambda x: -x["value"]))
        legend += "，“—”为不适用"
        shown = max(1, min(int(cmmm.get("asked_up_to") or 5), 5))
        for sd in cmmm_doc.get("subdomains", []):
            cells = []
            for level in range(1, 6):
                entries = (sd.get("levels") or {}).get(str(level))
                if not entries:
                    cells.append("无")
                    continue
                values = []
                for item in entries:
                    if item["id"] not in answers:
                        unanswered += 1
                        values.append("·")
                    else:
                        value = answers[item["id"]]
                        values.append("—" if value is None else num(float(value)))
                if level <= shown:
                    cells.append("未作答" if all(v == "·" for v in values) else "/".join(values))
            matrix.append({"name": sd["name"], "code": sd["code"], "cells": cells})
    else:
        shown = 0
    return {"profile": sections, "questions": questions, "scenes": scenes,
            "cmmm": matrix, "cmmm_levels": [CMMM_LEVEL_NAMES[n] for n in range(1, shown + 1)], "cmmm_legend": legend,
            "cmmm_unanswered": unanswered,
            "cmmm_asked_up_to": CMMM_LEVEL_NAMES.get((cmmm or {}).get("asked_up_to") or 0, "")}

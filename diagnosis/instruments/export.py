"""The structure of a questionnaire as plain JSON: stages, and questions with id, type and options.

Shared by ``diagnosis questionnaire export KEY`` and ``GET /api/v1/questionnaires/<key>``.
"""
from __future__ import annotations

from typing import Any

from .loader import Document, Library


def _profile_questions(doc: Document) -> list[dict[str, Any]]:
    out = []
    for section in doc.data["sections"]:
        for f in section["fields"]:
            q = {"id": f["key"], "type": f["type"], "text": f["label"], "section": section["title"],
                 "required": bool(f.get("required"))}
            for extra in ("unit", "min", "max", "not_above", "help"):
                if extra in f:
                    q[extra] = f[extra]
            if "options" in f:
                q["options"] = [{"key": o["key"], "text": o["text"]} for o in f["options"]]
            out.append(q)
    return out


def _sme_question(q: dict) -> dict[str, Any]:
    out = {"id": q["id"], "type": q["type"], "text": q["text"], "dimension": q["dimension"], "area": q["area"],
           "options": [{"key": o["key"], "text": o["text"], "points": o["points"],
                        **({"exclusive": True} if o.get("exclusive") else {})} for o in q["options"]]}
    if q["type"] == "multi":
        out["max"] = q["max"]
    if q.get("collects"):
        out["collects"] = [{"id": c["key"], "type": c["type"], "text": c["label"], "unit": c.get("unit", "")}
                           for c in q["collects"]]
    return out


def _scenes(doc: Document) -> list[dict[str, Any]]:
    return [{"id": s["id"], "type": "scene", "text": s["name"], "group": g["name"],
             "options": [{"key": 0, "text": "未达到一级"}] + [{"key": int(n), "text": t} for n, t in s["levels"].items()]}
            for g in doc.data["scene_groups"] for s in g["scenes"]]


def cmmm_items(doc: Document) -> list[dict[str, Any]]:
    scale = [{"key": s["value"], "text": s["label"]} for s in doc.data["scale"]]
    return [{"id": i["id"], "type": "scale", "subdomain": sd["key"], "subdomain_name": sd["name"],
             "level": int(level), "text": i["text"], "example": i.get("example", ""), "options": scale}
            for sd in doc.data["subdomains"] for level, items in sd["levels"].items() for i in items]


def _sme_stages(doc: Document, dimensions=None, scenes=True) -> list[dict[str, Any]]:
    stages = [{"key": d["key"], "title": d["name"],
               "questions": [_sme_question(q) for q in doc.data["questions"] if q["dimension"] == d["key"]]}
              for d in doc.data["dimensions"] if dimensions is None or d["key"] in dimensions]
    if scenes:
        stages.append({"key": "scenes", "title": "数字化经营场景", "questions": _scenes(doc)})
    return stages


def _cmmm_stage(doc: Document, key: str = "cmmm", title: str | None = None) -> dict[str, Any]:
    return {"key": key, "title": title or doc.title, "adaptive": "level_by_level",
            "note": "先答一级；某级得分达到 0.8 才继续下一级，最多问到已达最高级的上一级。",
            "questions": cmmm_items(doc)}


def export(doc: Document, library: Library) -> dict[str, Any]:
    out: dict[str, Any] = {"key": doc.key, "kind": doc.kind, "title": doc.title, "version": doc.version,
                           "sha256": doc.sha256}
    if doc.kind == "sme":
        out["stages"] = _sme_stages(doc)
        out["grade_rule"] = doc.data["grade_rule"]
    elif doc.kind == "cmmm":
        out["stages"] = [_cmmm_stage(doc)]
        out["items"] = out["stages"][0]["questions"]
        out["profiles"] = {k: {"name": p["name"], "tailorable": p["tailorable"]} for k, p in doc.data["profiles"].items()}
    elif doc.kind == "suite":
        out["parts"] = doc.data["parts"]
        stages = []
        for st in doc.data["stages"]:
            if st["source"] == "profile":
                stages.append({"key": st["key"], "title": st["title"], "questions": _profile_questions(library.single("profile"))})
                continue
            part = library[st["source"]]
            if part.kind == "cmmm":
                stages.append(_cmmm_stage(part, st["key"], st["title"]))
            else:
                qs = [q for s in _sme_stages(part, st.get("dimensions") or [], bool(st.get("scenes"))) for q in s["questions"]]
                stages.append({"key": st["key"], "title": st["title"], "questions": qs})
        out["stages"] = stages
    elif doc.kind == "profile":
        out["stages"] = [{"key": "profile", "title": doc.title, "questions": _profile_questions(doc)}]
    else:
        out["data"] = doc.data
    return out

"""Chapter “改造升级路线图”: the recommendations, by phase, with the answers that triggered them."""
from __future__ import annotations

from ..formatting import num
from ..labels import CIRCLED, KIND_LABELS, LEVEL3


def _reason_text(b: dict) -> str:
    return b.get("text") or f"{b['question']}：{b['answer']}（{b['threshold']}）"


def build(result: dict) -> tuple[list[dict], list[dict]]:
    recs = result.get("recommendations") or []
    titles = {r["id"]: r["title"] for r in recs if "id" in r}
    items = []
    for r in recs:
        reasons = [{"question": b.get("question", ""), "answer": b.get("answer", ""),
                    "threshold": b.get("threshold", ""), "text": b.get("text", "")} for b in r.get("because") or []]
        apps = [f"{a['type']}（{num(a['workers'])} 人）" for a in r.get("applications") or [] if a.get("workers")]
        items.append({
            "priority": r.get("priority"), "title": r.get("title", ""), "summary": r.get("summary", ""),
            "kind": r.get("kind_label") or KIND_LABELS.get(r.get("kind"), r.get("kind") or ""), "phase": r.get("phase", ""),
            "phase_label": r.get("phase_label", ""), "steps": r.get("steps") or [],
            "effort": LEVEL3.get(r.get("effort"), r.get("effort") or ""),
            "impact": LEVEL3.get(r.get("impact"), r.get("impact") or ""),
            "score": num(r.get("score")), "because": reasons, "applications": apps,
            "prerequisites": [titles.get(p, p) for p in r.get("prerequisites") or []],
            "first_reason": _reason_text(reasons[0]) if reasons else "",
            "steps_text": " ".join(f"{CIRCLED[i] if i < len(CIRCLED) else str(i + 1) + '.'}{s}"
                                   for i, s in enumerate(r.get("steps") or [])),
            "because_text": "；".join(_reason_text(b) for b in reasons),
        })
    phases: list[dict] = []
    for it in items:
        for ph in phases:
            if ph["key"] == it["phase"]:
                ph["items"].append(it)
                break
        else:
            phases.append({"key": it["phase"], "label": it["phase_label"], "items": [it]})
    phases.sort(key=lambda p: p["key"])
    return items, phases

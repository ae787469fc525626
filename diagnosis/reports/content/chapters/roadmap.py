"""Chapter “改造升级路线图”: the recommendations by phase, a Gantt-style timeline, the answers that
triggered each and its estimate."""
from __future__ import annotations

import re

from .. import charts
from ..formatting import num
from ..labels import CIRCLED, KIND_LABELS, LEVEL3

_MONTHS = re.compile(r"（(\d+)[–-](\d+)个月）")


def _reason_text(b: dict) -> str:
    return b.get("text") or f"{b['question']}：{b['answer']}（{b['threshold']}）"


def phase_of(key: str, label: str) -> dict:
    """A phase with its short name and month window, read from its label “近期（0–6个月）”."""
    match = _MONTHS.search(label or "")
    start, end = (int(match.group(1)), int(match.group(2))) if match else (0, 0)
    return {"key": key, "label": label, "short": (label or key).split("（")[0], "start": start, "end": end}


def build(result: dict) -> tuple[list[dict], list[dict]]:
    recs = result.get("recommendations") or []
    titles = {r["id"]: r["title"] for r in recs if "id" in r}
    priorities = {r["id"]: r.get("priority") for r in recs if "id" in r}
    items = []
    for r in recs:
        reasons = [{"question": b.get("question", ""), "answer": b.get("answer", ""),
                    "threshold": b.get("threshold", ""), "text": b.get("text", "")} for b in r.get("because") or []]
        apps = [f"{a['type']}（{num(a['workers'])}人）" for a in r.get("applications") or [] if a.get("workers")]
        steps = r.get("steps") or []
        items.append({
            "priority": r.get("priority"), "title": r.get("title", ""), "summary": r.get("summary", ""),
            "kind": r.get("kind_label") or KIND_LABELS.get(r.get("kind"), ""), "phase": r.get("phase", ""),
            "phase_label": r.get("phase_label", ""), "steps": steps,
            "effort": LEVEL3.get(r.get("effort"), ""),
            "impact": LEVEL3.get(r.get("impact"), ""),
            "because": reasons, "applications": apps,
            "prerequisites": [titles.get(p, "") for p in r.get("prerequisites") or [] if titles.get(p)],
            "prerequisite_priorities": [priorities[p] for p in r.get("prerequisites") or [] if p in priorities],
            "phase_reason": r.get("phase_reason") or "",
            "first_reason": _reason_text(reasons[0]) if reasons else "",
            "steps_text": "".join(f"{CIRCLED[i] if i < len(CIRCLED) else str(i + 1) + '.'}{s}"
                                  + ("；" if i < len(steps) - 1 else "。")
                                  for i, s in enumerate(s.rstrip("。；") for s in steps)),
            "because_text": "；".join(_reason_text(b) for b in reasons),
            "estimate": ((r.get("estimate") or {}).get("text") or "").rstrip("。"),
            "targets": ((r.get("targets") or {}).get("text") or ""),
        })
    phases: list[dict] = []
    for it in items:
        for ph in phases:
            if ph["key"] == it["phase"]:
                ph["items"].append(it)
                break
        else:
            phases.append({**phase_of(it["phase"], it["phase_label"]), "items": [it]})
    phases.sort(key=lambda p: p["key"])
    return items, phases


def gantt(items: list[dict], phases: list[dict]):
    """The roadmap's timeline (SVG): every item over its phase, arrows from its prerequisites."""
    return charts.gantt_svg([{"priority": it["priority"], "title": it["title"], "phase": it["phase"],
                              "prerequisites": it["prerequisite_priorities"]} for it in items], phases)

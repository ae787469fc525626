"""Chapter “相关政策”: what the result means for each policy it concerns, with the citation."""
from __future__ import annotations


def build(result: dict) -> list[dict]:
    return [{"name": h.get("name", ""), "status": h.get("status_label", ""), "status_class":
             {"meets": "ok", "misses": "gap"}.get(h.get("status"), "info"),
             "text": h.get("text", ""), "citation": h.get("citation", "")}
            for h in result.get("policies") or []]

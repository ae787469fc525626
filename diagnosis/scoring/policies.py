"""Policy hooks: which policies of ``policies.yaml`` the diagnosis concerns, and what its result means
for each, as a sentence with the policy's citation. The checked facts and our reading of each policy
stay in the data file (``labels.policy`` gives them by id)."""
from __future__ import annotations

from typing import Any

from .upgrades import Facts, compile_test
from .versioned import per_version

STATUS_LABELS = {"meets": "满足", "misses": "未满足", "applies": "相关", "info": "参考"}


@per_version
def _compiled(doc: dict, version: str) -> list[tuple[dict, Any, list]]:
    out = []
    for pol in doc["policies"]:
        outcomes = [(o, compile_test(o["when"]) if "when" in o else None) for o in pol["outcomes"]]
        out.append((pol, compile_test(pol["applies"]), outcomes))
    return out


def evaluate(doc: dict, version: str, facts: Facts, values: dict[str, str]) -> list[dict[str, Any]]:
    """``values`` fills the text placeholders (sme_grade, sme_total, cmmm_level, industry)."""
    hooks = []
    for pol, applies, outcomes in _compiled(doc, version):
        if not applies(facts):
            continue
        for outcome, when in outcomes:
            if when is None or when(facts):
                break
        else:
            continue
        src = pol["source"]
        cite = src["title"]
        hooks.append({
            "id": pol["id"], "name": pol["name"], "status": outcome["status"],
            "status_label": STATUS_LABELS[outcome["status"]],
            "text": outcome["text"].format_map(_Defaults(values)),
            "citation": cite + (f"（{src['doc_no']}）" if src.get("doc_no") else "") + f"，{src['date']}",
        })
    return hooks


class _Defaults(dict):
    def __missing__(self, key: str) -> str:
        return "—"

"""Before submit: a draft's consistency flags, the enterprise's explanations of them, and the gate
that refuses to submit while a warning is neither corrected nor explained.

Explanations are stored with the answers (``explain.<flag id>``), through the same versioned save as
a stage page, so they are frozen with the answers on submit and printed beside the flag.
"""
from __future__ import annotations

from ..scoring.engine import draft_consistency
from . import services
from .models import Diagnosis, DiagnosisResult
from .stages import UNANSWERED, sme_questions, stages


class UnexplainedWarning(services.DiagnosisError):
    """A warning flag has neither been corrected nor explained."""


def draft_flags(docs, diagnosis: Diagnosis) -> list[dict]:
    """The consistency flags of the draft's current answers (each with its stored explanation)."""
    found = draft_consistency(docs.suite, list(docs.parts.values()), docs.profile, diagnosis.profile, diagnosis.answers)
    return (found or {}).get("flags", [])


def flag_stage(docs, flag: dict) -> str | None:
    """The stage where the first answer a flag names is asked."""
    key = flag["keys"][0].split(".", 1)[1] if flag["keys"] else ""
    for st in stages(docs):
        if flag["part"] == st.kind == "profile" or flag["part"] == st.kind == "cmmm":
            return st.key
        if flag["part"] == st.kind == "sme" and (
                (st.scenes and key.startswith("S")) or key in {q["id"] for q in sme_questions(docs, st)}):
            return st.key
    return None


def save_explanations(diagnosis: Diagnosis, docs, texts: dict[str, str]) -> list[dict]:
    """Store the explanation typed for each current flag (blank clears it); the flags afterwards."""
    flags = draft_flags(docs, diagnosis)
    notes = {f"explain.{f['id']}": (texts.get(f["id"]) or "").strip() or UNANSWERED for f in flags}
    if notes:
        services.save_stage(diagnosis, {"answers": notes})
        flags = draft_flags(docs, diagnosis)
    return flags


def submit_explained(diagnosis: Diagnosis, docs, texts: dict[str, str]) -> DiagnosisResult:
    """Store the explanations, then submit unless a warning is left unexplained."""
    flags = save_explanations(diagnosis, docs, texts)
    if any(f["severity"] == "warning" and not f["explanation"] for f in flags):
        raise UnexplainedWarning("有需要核对的答案：请修改相应答案，或在下面填写说明后再提交。")
    return services.submit(diagnosis)

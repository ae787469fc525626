"""Report input for an answers file, without a database (``diagnosis report FILE``)."""
from __future__ import annotations

from datetime import datetime, timezone

from ...instruments import Library
from .input import ReportInput


def offline_input(library: Library, payload: dict, result: dict, enterprise_name: str) -> ReportInput:
    doc = library[payload["questionnaire"]]
    parts = [library[k] for k in doc.data["parts"]] if doc.kind == "suite" else [doc]
    documents = {"profile": library.single("profile").data}
    for part in parts:
        documents[part.kind] = part.data
    targets = library.of_kind("targets")
    now = datetime.now(timezone.utc)
    return ReportInput(
        number=f"CLI-{now:%Y%m%d%H%M}",
        enterprise={"name": enterprise_name, "credit_code": "", "area": "", "industry": "",
                    "above_scale": False, "contact_name": ""},
        submitted_at=now,
        questionnaire_title=doc.title,
        result=result,
        profile=payload.get("profile") or {},
        answers=payload.get("answers") or {},
        documents=documents,
        targets=targets[0].data if targets else None,
        peers=None,
        review=None,
    )

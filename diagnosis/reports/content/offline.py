"""Report input for an answers file, without a database (``diagnosis report FILE``).

The file may carry an ``enterprise`` block, checked as registration checks it
(``accounts.enterprise_block``); what it does not give is left off the report, never invented. The report number
is a digest of the file's content, so one answers file always gets the same number, and the report
date is the day the report is made (Beijing time)."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timezone
from typing import Any

from ...instruments import Library
from .formatting import CHINA_TZ
from .input import ReportInput

def content_number(payload: dict) -> str:
    """A report number that is the same for the same answers file and differs between files."""
    canonical = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "CLI-" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12].upper()


def offline_input(library: Library, payload: dict, result: dict, enterprise: dict[str, Any] | None = None,
                  today: datetime | None = None) -> ReportInput:
    """``payload`` is the whole answers file (with its ``enterprise`` block, if any); ``enterprise``
    the checked block (``enterprise_block``); ``today`` the report date (now by default)."""
    doc = library[payload["questionnaire"]]
    parts = [library[k] for k in doc.data["parts"]] if doc.kind == "suite" else [doc]
    documents = {"profile": library.single("profile").data}
    for part in parts:
        documents[part.kind] = part.data
    targets = library.of_kind("targets")
    now = (today or datetime.now(timezone.utc)).astimezone(CHINA_TZ)
    day = now.replace(hour=0, minute=0, second=0, microsecond=0)
    enterprise = dict(enterprise or {})
    code = payload.get("industry")
    if "industry" not in enterprise and isinstance(code, str):   # the scored (already checked) industry
        names = {i["code"]: i["name"] for i in library.single("industries").data["industries"]}
        if code in names:
            enterprise["industry"] = f"{code} {names[code]}"
    return ReportInput(
        number=content_number(payload),
        enterprise=enterprise,
        submitted_at=day,
        questionnaire_title=doc.title,
        result=result,
        profile=payload.get("profile") or {},
        answers=payload.get("answers") or {},
        documents=documents,
        targets=targets[0].data if targets else None,
        peers=None,
        review=None,
        generated_at=day,
    )

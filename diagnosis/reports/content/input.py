"""``ReportInput``: everything one report is rendered from (no database, no Flask)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class ReportInput:
    """Everything one report is rendered from."""

    number: str                          # one per result: diagnosis number and result sequence, or a digest
    enterprise: dict[str, Any]           # name, credit_code, area, industry, above_scale, contact_name;
    #                                      a key missing or None is not known and never printed
    submitted_at: datetime | None
    questionnaire_title: str
    result: dict[str, Any]               # engine output (suite or single instrument)
    profile: dict[str, Any]
    answers: dict[str, Any]
    documents: dict[str, dict] = field(default_factory=dict)   # "profile", "sme", "cmmm": YAML data
    targets: dict | None = None          # targets.yaml data
    peers: dict | None = None            # {"basis", "count", "subdomains": {key: avg 0-5}}
    review: dict | None = None           # {"provider", "reviewer", "opinion", "date"}
    generated_at: datetime | None = None  # when the result was scored: the report's date and PDF creation date
    previous: dict | None = None         # the enterprise's previous diagnosis: {"number", "submitted_at",
    #                                      "comparison"} (scoring.compare), for a re-assessment

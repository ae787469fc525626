"""What the web result page shows: the stored result plus the same SVG charts as the PDF.

Assessments never imports reports: its result view asks for this context through
``assessments.signals.result_page`` (``views`` connects ``result_page_context`` to it).
"""
from __future__ import annotations

from typing import Any

from ... import catalog
from ...assessments import reviews, services
from ...assessments.models import Diagnosis
from ...scoring.labels import CONSISTENCY_RULE, STANDING_RULE, Labels, indicator_rows, plan_status, policy
from ..content import charts
from ..content.chapters.method import version_words
from ..content.chapters import reassessment
from ..content.chapters import review as review_chapter
from .inputs import previous_input, report_number, review_input
from .storage import stored_reports
from .peers import peer_averages

WEB_CHART_WIDTH = 440


def sme_charts(sme: dict[str, Any]) -> dict[str, Any]:
    rows = []
    for dim in sme["dimension_details"]:
        rows.append({"label": dim["name"], "value": dim["points"], "max": dim["max"], "level": 0})
        rows.extend({"label": a["name"], "value": a["points"], "max": a["max"], "level": 1} for a in dim["areas"])
    scenes = [{"id": sid, **scene} for sid, scene in sme["scenes"].items()]
    # Narrower than the PDF's (640): the labels stay legible in a half-width column and on a phone.
    return {"dimensions": charts.bars_svg(rows, width=WEB_CHART_WIDTH),
            "scenes": charts.scene_levels_svg(scenes, width=WEB_CHART_WIDTH)}


def maturity_radar(cmmm: dict[str, Any], peers: dict | None) -> Any:
    subs = [(key, sd) for key, sd in cmmm["subdomains"].items() if sd["applicable"]]
    peer_values = [peers["subdomains"].get(key) for key, _ in subs] if peers else None
    return charts.radar_svg([sd["name"] for _, sd in subs], [sd["score"] for _, sd in subs], peer_values)


def result_page_context(diagnosis: Diagnosis) -> dict[str, Any]:
    data = diagnosis.result.data
    sme = data.get("sme") or (data if "total" in data else None)
    cmmm = data.get("cmmm") or (data if "level_scores" in data else None)
    peers = peer_averages(diagnosis) if cmmm else None
    lib = catalog.library()
    docs = services.documents(diagnosis)
    targets = lib.of_kind("targets")
    review = reviews.latest_review(diagnosis)
    submitted_on = (diagnosis.submitted_at or diagnosis.created_at).date()
    return {
        "labels": Labels.of(lib),
        "indicator_rows": indicator_rows(targets[0].data if targets else None, docs.profile.data, data,
                                         diagnosis.profile, submitted=diagnosis.is_submitted),
        "plan": plan_status(data.get("plan"), submitted_on),
        "flags": (data.get("consistency") or {}).get("flags", []),
        "policies": [{**h, "our_reading": (policy(lib, h["id"]) or {}).get("our_reading", "")}
                     for h in data.get("policies", [])],
        "standing_rule": STANDING_RULE,
        "consistency_rule": CONSISTENCY_RULE,
        "result": data,
        "sme": sme,
        "cmmm": cmmm,
        "peers": peers,
        "sme_charts": sme_charts(sme) if sme else None,
        "radar": maturity_radar(cmmm, peers) if cmmm else None,
        "recommendations": data.get("recommendations", []),
        "review": review_chapter.build(review_input(diagnosis, review)) if review else None,
        "reassessment": reassessment.build(previous := previous_input(diagnosis, data)),
        "previous_id": previous["id"] if previous else None,
        "versions": services.pinned_versions(diagnosis),
        "scoring_version_words": version_words(data.get("scoring_version") or ""),
        "report_number": report_number(diagnosis.number, diagnosis.result.sequence),
        "stored_reports": stored_reports(diagnosis),
    }

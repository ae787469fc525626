"""The demo report input: the demo diagnosis of ``diagnosis.demo`` (a mid-maturity discrete
manufacturer in 许昌), scored, with a provider review and peer averages. Serves the demo, the
tests and the benchmark; no database."""
from __future__ import annotations

from datetime import datetime

from .input import ReportInput

DEMO_PEERS = {
    "strategy": 2.1, "skills": 1.8, "data": 1.6, "integration": 1.5, "security": 2.0, "equipment": 2.4,
    "network": 2.2, "product_design": 2.3, "process_design": 2.0, "procurement": 2.1, "planning": 2.0,
    "operations": 2.5, "maintenance": 1.9, "warehousing": 2.0, "hse": 2.3, "energy": 1.4, "logistics": 1.6,
    "sales": 2.2, "customer_service": 1.8, "product_service": 1.9,
}


def demo_input(library=None, questionnaire: str = "zhizao-2024") -> ReportInput:
    """The demo diagnosis of ``diagnosis.demo`` (a mid-maturity discrete manufacturer in 许昌), scored,
    with a provider review and peer averages: the report's demo and benchmark input."""
    from ... import demo
    from ...instruments import load_library
    from ...scoring import score_payload

    lib = library or load_library()
    payload = demo.demo_payload(lib, questionnaire)
    result = score_payload(payload, lib)
    suite = lib[questionnaire]
    parts = suite.data["parts"] if suite.kind == "suite" else [questionnaire]
    documents = {"profile": lib.single("profile").data}
    for key in parts:
        documents[lib[key].kind] = lib[key].data
    areas = {a["code"]: a["name"] for a in lib.single("areas").data["areas"]}
    industries = {i["code"]: i["name"] for i in lib.single("industries").data["industries"]}
    ent = demo.DEMO_ENTERPRISE
    return ReportInput(
        number="ZZ2026-000001-01",
        enterprise={"name": ent["name"], "credit_code": ent["credit_code"], "area": areas[ent["area_code"]],
                    "industry": f"{ent['industry_code']} {industries[ent['industry_code']]}",
                    "above_scale": True, "contact_name": ent["contact_name"]},
        submitted_at=datetime(2026, 11, 20, 15, 42),
        generated_at=datetime(2026, 11, 20, 15, 42),
        questionnaire_title=suite.title,
        result=result,
        profile=payload["profile"],
        answers=payload["answers"],
        documents=documents,
        targets=lib.single("targets").data,
        peers={"basis": "同行业", "count": 7, "subdomains": dict(DEMO_PEERS)} if "cmmm" in documents else None,
        review={"provider": demo.DEMO_USERS[1][3], "reviewer": demo.DEMO_USERS[1][2], "opinion": demo.DEMO_REVIEW,
                "date": datetime(2026, 11, 25, 10, 0)},
    )

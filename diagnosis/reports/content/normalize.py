"""Result normalising: the blocks of a suite result or of a single-instrument result."""
from __future__ import annotations


def split_result(result: dict) -> tuple[dict | None, dict | None]:
    """(sme block, cmmm block) of a suite result or of a single-instrument result."""
    sme = result.get("sme")
    cmmm = result.get("cmmm")
    if sme is None and "grade" in result and "dimension_details" in result:
        sme = result
    if cmmm is None and "subdomains" in result and "achieved" in result:
        cmmm = result
    return sme, cmmm

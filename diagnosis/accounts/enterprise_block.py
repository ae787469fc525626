"""The ``enterprise`` block of an offline answers file (``diagnosis report FILE``), checked as
registration checks an enterprise::

    "enterprise": {"name": "…", "credit_code": "…", "area": "禹州市 or yuzhou",
                   "industry": "34", "above_scale": true, "contact": "…"}

Every key is optional; a key not given stays absent (the report leaves it out, never invents it)."""
from __future__ import annotations

from typing import Any

from .credit_code import credit_code_problem, normalize

ENTERPRISE_KEYS = ("name", "credit_code", "area", "industry", "above_scale", "contact")
LIMITS = {"name": 200, "contact": 60}


class EnterpriseError(ValueError):
    """A field of the ``enterprise`` block is not valid; the message names it."""

    def __init__(self, key: str, message: str):
        self.key = key
        super().__init__(f"enterprise.{key}: {message}")


def _text(block: dict, key: str) -> str | None:
    value = block.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise EnterpriseError(key, f"应为文字，收到 {value!r}")
    value = value.strip()
    if key in LIMITS and len(value) > LIMITS[key]:
        raise EnterpriseError(key, f"过长（最多 {LIMITS[key]} 字）")
    return value or None


def enterprise_block(library, block: Any) -> dict[str, Any]:
    """The enterprise facts of an answers file, checked; keys not given are absent."""
    if block is None:
        return {}
    if not isinstance(block, dict):
        raise EnterpriseError("(block)", "应为 JSON 对象")
    unknown = set(block) - set(ENTERPRISE_KEYS)
    if unknown:
        raise EnterpriseError(sorted(unknown)[0], "未知的键，只接受 " + "、".join(ENTERPRISE_KEYS))
    out: dict[str, Any] = {}
    if (name := _text(block, "name")) is not None:
        out["name"] = name
    if (contact := _text(block, "contact")) is not None:
        out["contact_name"] = contact
    if (code := _text(block, "credit_code")) is not None:
        code = normalize(code)
        problem = credit_code_problem(code)
        if problem:
            raise EnterpriseError("credit_code", problem)
        out["credit_code"] = code
    if (area := _text(block, "area")) is not None:
        areas = library.single("areas").data["areas"]
        match = next((a for a in areas if area in (a["code"], a["name"])), None)
        if match is None:
            raise EnterpriseError("area", f"未知地区 {area!r}，可选 " + "、".join(a["name"] for a in areas))
        out["area"] = match["name"]
    if (industry := _text(block, "industry")) is not None:
        industries = library.single("industries").data["industries"]
        match = next((i for i in industries if i["code"] == industry), None)
        if match is None:
            raise EnterpriseError("industry", f"应为制造业行业大类代码（GB/T 4754，如 \"34\"），收到 {industry!r}")
        out["industry"] = f"{match['code']} {match['name']}"
        out["industry_code"] = match["code"]
    if "above_scale" in block and block["above_scale"] is not None:
        if not isinstance(block["above_scale"], bool):
            raise EnterpriseError("above_scale", f"应为 true 或 false，收到 {block['above_scale']!r}")
        out["above_scale"] = block["above_scale"]
    return out

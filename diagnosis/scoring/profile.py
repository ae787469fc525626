"""Enterprise profile: validation of profile values and the derived indicators (rates)."""
from __future__ import annotations

from typing import Any

from .errors import ScoreInputError


def fields(profile_doc: dict) -> dict[str, dict]:
    return {f["key"]: f for s in profile_doc["sections"] for f in s["fields"]}


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def check_value(field: dict, value: Any, key: str) -> Any:
    """Validate one value of a profile field or a collected number; returns it normalized."""
    if value is None:
        return None
    kind = field["type"]
    if kind in ("integer", "number"):
        if not is_number(value) or (kind == "integer" and isinstance(value, float) and not value.is_integer()):
            raise ScoreInputError(key, f"应为{'整数' if kind == 'integer' else '数值'}，收到 {value!r}")
        if value != value or value in (float("inf"), float("-inf")):
            raise ScoreInputError(key, "应为有限数值")
        if kind == "integer":
            value = int(value)
        if "min" in field and value < field["min"]:
            raise ScoreInputError(key, f"不能小于 {field['min']:g}")
        if "max" in field and value > field["max"]:
            raise ScoreInputError(key, f"不能大于 {field['max']:g}")
        return value
    options = [o["key"] for o in field["options"]]
    if kind == "choice":
        if value not in options:
            raise ScoreInputError(key, f"未知选项 {value!r}，可选 {', '.join(options)}")
        return value
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ScoreInputError(key, "多选项应为选项列表，如 [\"infrastructure\"]")
    for v in value:
        if v not in options:
            raise ScoreInputError(key, f"未知选项 {v!r}，可选 {', '.join(options)}")
    if len(set(value)) != len(value):
        raise ScoreInputError(key, "选项重复")
    return [o for o in options if o in value]


def validate_profile(profile_doc: dict, values: Any, prefix: str = "profile") -> dict[str, Any]:
    """Check types, ranges and cross-field rules. Missing fields stay missing (unanswered)."""
    if values is None:
        values = {}
    if not isinstance(values, dict):
        raise ScoreInputError(prefix, "应为对象（键值对）")
    known, numbers, limits = _compiled(profile_doc)
    clean: dict[str, Any] = {}
    for key, value in values.items():
        bounds = numbers.get(key)
        # The common case, checked without a call: a whole number within the field's bounds.
        if bounds is not None and value.__class__ is int and bounds[0] <= value <= bounds[1]:
            clean[key] = value
            continue
        if key not in known:
            raise ScoreInputError(f"{prefix}.{key}", "未知的企业概况字段")
        value = check_value(known[key], value, f"{prefix}.{key}")
        if value is not None:
            clean[key] = value
    for key, message in limit_problems(profile_doc, clean):
        raise ScoreInputError(f"{prefix}.{key}", message)
    return clean


def limit_problems(profile_doc: dict, values: dict[str, Any]) -> list[tuple[str, str]]:
    """Every broken cross-field rule (``not_above``) of checked values: (field key, message), so a
    form can show all of them at once; ``validate_profile`` raises the first."""
    known, _, limits = _compiled(profile_doc)
    return [(key, f"不能大于“{known[limit]['label']}”（{values[limit]}）")
            for key, limit in limits
            if values.get(key) is not None and values.get(limit) is not None and values[key] > values[limit]]


_COMPILED: dict[int, tuple] = {}


def _compiled(profile_doc: dict) -> tuple[dict, dict, list]:
    """Fields by key, the numeric fields' bounds and the not_above rules, once per document object."""
    hit = _COMPILED.get(id(profile_doc))
    if hit is None or hit[0] is not profile_doc:
        known = fields(profile_doc)
        numbers = {k: (f.get("min", float("-inf")), f.get("max", float("inf")))
                   for k, f in known.items() if f["type"] in ("integer", "number")}
        limits = [(k, f["not_above"]) for k, f in known.items() if f.get("not_above")]
        hit = _COMPILED[id(profile_doc)] = (profile_doc, (known, numbers, limits))
    return hit[1]


def indicators(profile_doc: dict, values: dict[str, Any]) -> dict[str, float | None]:
    out: dict[str, float | None] = {}
    for ind in profile_doc["indicators"]:
        num, den = values.get(ind["numerator"]), values.get(ind["denominator"])
        out[ind["key"]] = round(num / den, 4) if num is not None and den else None
    return out

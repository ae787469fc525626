"""JSON documents from outside (API request bodies, ``diagnosis score FILE``), parsed with limits.

No input may exhaust the parser's stack, smuggle non-standard numbers (NaN, Infinity) or carry text
the database cannot store (NUL, and lone UTF-16 surrogates, which JSON's \\u escapes can spell but
UTF-8 cannot encode): each is refused with the path of the offending value, like the scoring
engine's own messages. Pure Python, no Flask.
"""
from __future__ import annotations

import json
from typing import Any

# Deeper than any document of the API (a score request is 3 levels deep) and far below the
# interpreter's recursion limit.
MAX_DEPTH = 32
NUL = "\x00"


class JsonInputError(ValueError):
    """``key`` is the path of the offending value (``answers.Q01``) or the document's name."""

    def __init__(self, key: str, message: str):
        self.key = key
        self.message = message
        super().__init__(f"{key}: {message}")


def _no_constants(name: str) -> Any:
    raise ValueError(f"{name} 不是 JSON 数值")


def parse(text: str | bytes, where: str = "(body)", max_depth: int = MAX_DEPTH) -> Any:
    """The value of a JSON document; JsonInputError naming ``where`` or the key path otherwise."""
    try:
        value = json.loads(text, parse_constant=_no_constants)
    except RecursionError:
        raise JsonInputError(where, f"JSON 嵌套过深（最多 {max_depth} 层）") from None
    except json.JSONDecodeError as exc:
        raise JsonInputError(where, f"不是有效的 JSON（第 {exc.lineno} 行第 {exc.colno} 列：{exc.msg}）") from None
    except ValueError as exc:  # bad UTF-8, an integer of thousands of digits, NaN/Infinity
        raise JsonInputError(where, f"不是有效的 JSON（{exc}）") from None
    check(value, where, max_depth)
    return value


def text_problem(text: str) -> str | None:
    """Why the database could not store ``text``, or None."""
    if NUL in text:
        return "不能包含空字符（\\u0000）"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "含有无效的 Unicode 字符（孤立的代理项，如 \\ud800）"
    return None


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    key = key.replace(NUL, "\\0").encode("utf-8", "backslashreplace").decode("utf-8")
    return key if path in ("", "(body)", "(file)") else f"{path}.{key}"


def check(value: Any, where: str = "(body)", max_depth: int = MAX_DEPTH) -> None:
    """Refuse nesting deeper than ``max_depth`` and text the database cannot store in any key or string
    (iteratively: no recursion)."""
    stack: list[tuple[Any, str, int]] = [(value, where, 1)]
    while stack:
        item, path, depth = stack.pop()
        if isinstance(item, str):
            problem = text_problem(item)
            if problem:
                raise JsonInputError(path, problem)
        elif isinstance(item, (dict, list)):
            if depth > max_depth:
                raise JsonInputError(path, f"JSON 嵌套过深（最多 {max_depth} 层）")
            if isinstance(item, dict):
                for key, child in item.items():
                    problem = text_problem(key)
                    if problem:
                        raise JsonInputError(_join(path, key), f"键{problem}")
                    stack.append((child, _join(path, key), depth + 1))
            else:
                stack.extend((child, _join(path, i), depth + 1) for i, child in enumerate(item))

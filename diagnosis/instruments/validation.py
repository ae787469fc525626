"""Small structural checks that keep the key path of every value, for precise error messages."""
from __future__ import annotations

from typing import Any, Iterable

from .errors import DataFileError


def join(path: str, key: Any) -> str:
    if isinstance(key, int) and not isinstance(key, bool):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


class Checker:
    def __init__(self, file: str):
        self.file = file

    def fail(self, path: str, message: str):
        raise DataFileError(self.file, path, message)

    def mapping(self, value: Any, path: str, required: Iterable[str] = (), optional: Iterable[str] = ()) -> dict:
        if not isinstance(value, dict):
            self.fail(path, "must be a mapping")
        required, optional = tuple(required), tuple(optional)
        for key in required:
            if key not in value:
                self.fail(join(path, key), "is missing")
        for key in value:
            if key not in required and key not in optional:
                self.fail(join(path, key), "unknown key")
        return value

    def table(self, value: Any, path: str) -> dict:
        """A mapping whose keys are data (checked by the caller), not a fixed set of names."""
        if not isinstance(value, dict):
            self.fail(path, "must be a mapping")
        return value

    def seq(self, value: Any, path: str, min_len: int = 0) -> list:
        if not isinstance(value, list):
            self.fail(path, "must be a list")
        if len(value) < min_len:
            self.fail(path, f"must have at least {min_len} entries")
        return value

    def text(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(path, "must be a non-empty string")
        return value

    def key(self, value: Any, path: str) -> str:
        self.text(value, path)
        if not all(c.isalnum() or c in "_-." for c in value):
            self.fail(path, f"{value!r} may contain only letters, digits, '_', '-' and '.'")
        return value

    def number(self, value: Any, path: str, low: float | None = None, high: float | None = None) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(path, f"must be a number, not {value!r}")
        if low is not None and value < low:
            self.fail(path, f"must be at least {low}")
        if high is not None and value > high:
            self.fail(path, f"must be at most {high}")
        return value

    def integer(self, value: Any, path: str, low: int | None = None, high: int | None = None) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(path, f"must be an integer, not {value!r}")
        return int(self.number(value, path, low, high))

    def one_of(self, value: Any, path: str, choices: Iterable[Any]) -> Any:
        choices = tuple(choices)
        if value not in choices:
            self.fail(path, f"{value!r} is not one of {', '.join(map(str, choices))}")
        return value

    def unique(self, values: list, path: str, what: str) -> None:
        seen = set()
        for i, value in enumerate(values):
            if value in seen:
                self.fail(join(path, i), f"duplicate {what} {value!r}")
            seen.add(value)

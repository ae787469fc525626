"""Reading a stage page the way a browser does: what its form would post as shown, or filled in."""
from __future__ import annotations

from html.parser import HTMLParser
from typing import Any


class _StageForm(HTMLParser):
    """The successful controls of ``#stage-form``: text and hidden inputs, checked radios and boxes."""

    def __init__(self):
        super().__init__()
        self.inside = False
        self.names: list[str] = []
        self.values: dict[str, Any] = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == "stage-form":
            self.inside = True
        if not self.inside or tag != "input" or not a.get("name"):
            return
        name, kind = a["name"], a.get("type", "text")
        if name not in self.names:
            self.names.append(name)
        if kind == "checkbox" or (kind == "hidden" and name.startswith("f_")):
            # a checkbox group (its hidden empty value makes the browser post it even when none is ticked)
            self.values.setdefault(name, [])
            if "checked" in a or kind == "hidden":
                self.values[name].append(a.get("value", "on"))
        elif kind == "radio":
            if "checked" in a:
                self.values[name] = a.get("value", "on")
        else:
            self.values[name] = a.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


def shown(html: str) -> dict[str, Any]:
    """What the stage form posts if the user changes nothing (plus the field names, with "" when empty)."""
    parser = _StageForm()
    parser.feed(html)
    return {name: parser.values.get(name, "") for name in parser.names}


def field_name(key: str) -> str:
    return "f_" + key.replace(".", "_").replace("-", "_")


def as_posted(value: Any) -> Any:
    if value is None:
        return "na"
    if isinstance(value, list):
        return value
    if isinstance(value, float):
        return "1" if value == 1 else ("0" if value == 0 else repr(value))
    return str(value)


def filled(html: str, *sources: dict[str, Any]) -> dict[str, Any]:
    """The stage form as shown, with every field that a source (profile, answers) has filled from it."""
    data = shown(html)
    by_name = {field_name(key): value for source in sources for key, value in source.items()}
    for name in data:
        if name in by_name:
            data[name] = as_posted(by_name[name])
    return data

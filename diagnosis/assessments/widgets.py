"""The HTML inputs of a stage form field.

A maturity page has a few hundred radio buttons; rendering each through a form library's widget
machinery was most of a page's server time. The markup of every option, ticked and not, is built
once per field (the field specs are shared per document version) and a page only picks one of the
two for each option. Attributes are escaped once, when the markup is built.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

if TYPE_CHECKING:
    from .forms import FieldSpec


def inputs(spec: "FieldSpec", raw: Any) -> Markup:
    """The inputs of one field showing ``raw`` (form text; a list for multiple choice)."""
    if spec.kind == "number":
        return Markup(f'<input autocomplete="off" id="{spec.name}" inputmode="decimal" name="{spec.name}" '
                      f'type="text" value="{escape(raw) if raw is not None else ""}">')
    options = spec.html.get("options")
    if options is None:
        options = spec.html["options"] = _options(spec)
    if spec.kind == "multi":
        ticked = set(raw or ())
        head = f'<input name="{spec.name}" type="hidden" value="">'   # posted even when none is ticked
    else:
        ticked = {raw}
        head = ""
    items = "".join(on if value in ticked else off for value, off, on in options)
    inline = " inline" if spec.kind == "cmmm" else ""
    return Markup(f'{head}<ul class="choices{inline}">{items}</ul>')


def _options(spec: "FieldSpec") -> list[tuple[str, str, str]]:
    """(value, markup unticked, markup ticked) for every option of the field."""
    kind = "checkbox" if spec.kind == "multi" else "radio"
    out = []
    for n, (value, label) in enumerate(spec.options):
        attrs = f'id="{spec.name}-{n}" name="{spec.name}" type="{kind}" value="{escape(value)}"'
        text = f"<span>{escape(label)}</span></label></li>"
        out.append((value, f"<li><label><input {attrs}>{text}", f"<li><label><input checked {attrs}>{text}"))
    return out

"""The HTML of one question of a stage page: its label, inputs, help and errors.

A maturity page has 50-odd questions and a few hundred radio buttons; rendering each through a
form library's widgets and a template macro was most of a page's server time. Everything about a
question that does not depend on the enterprise's answers (label, help, the markup of every option
ticked and not) is built once per field, since the field specs are shared per document version;
a page only picks the ticked or unticked markup of each option and adds the errors. Text is
escaped when the markup is built.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from ..templating import pct

if TYPE_CHECKING:
    from .forms import FieldSpec


@dataclass(frozen=True)
class _Parts:
    open: str                                  # <div class="question" ...>
    open_error: str                            # the same, marked as having an error
    before: str                                # label, up to the inputs
    after: str                                 # after the inputs, before the suggestion
    help: str
    options: tuple[tuple[str, str, str], ...]  # (value, unticked markup, ticked markup)


def question(spec: "FieldSpec", raw: Any, errors: list[str] | None = None,
             hint: dict[str, Any] | None = None, note: str = "") -> Markup:
    """One question showing ``raw`` (form text; a list for multiple choice), the option the entered
    figures imply (``hint``) and a ``note`` after its help (e.g. figures taken from the profile)."""
    return Markup(question_html(spec, raw, errors, hint, note))


def group_head(title: str, help_text: str) -> str:
    """The start of the card holding a group of questions, up to its first question."""
    help_html = f'<p class="help">{escape(help_text)}</p>' if help_text else ""
    return f'\n  <div class="card"><h2 class="card-title">{escape(title)}</h2>\n    {help_html}\n    '


GROUP_END = "\n  </div>\n  "


def question_html(spec: "FieldSpec", raw: Any, errors: list[str] | None = None,
                  hint: dict[str, Any] | None = None, note: str = "") -> str:
    """``question`` as text (already escaped)."""
    parts = spec.html.get("parts")
    if parts is None:
        parts = spec.html["parts"] = _parts(spec)
    out = [parts.open_error if errors else parts.open, parts.before, _inputs(spec, parts, raw, bool(errors)),
           parts.after]
    if hint:
        basis = escape(hint["text"]) if hint.get("text") else f"根据企业概况计算的比率为 {pct(hint['rate'])}"
        out.append(f'<div class="suggest">{basis}，已预选 {escape(hint["option"])} 项，可按实际修改。</div>')
    out.append(parts.help)
    if note:
        out.append(f'<div class="help">{escape(note)}</div>')
    if errors:
        out.append(f'<ul class="errors" id="{spec.name}-errors">' + "".join(f"<li>{escape(e)}</li>" for e in errors)
                   + "</ul>")
    out.append("</div>")
    return "".join(out)


def _inputs(spec: "FieldSpec", parts: _Parts, raw: Any, invalid: bool = False) -> str:
    if spec.kind == "number":
        value = escape(raw) if raw is not None else ""
        # A field in error says so to screen readers and points at its messages.
        state = f' aria-invalid="true" aria-describedby="{spec.name}-errors"' if invalid else ""
        return (f'<input autocomplete="off" id="{spec.name}" inputmode="decimal" name="{spec.name}" '
                f'type="text" value="{value}"{state}>')
    if spec.kind == "multi":
        ticked = set(raw or ())
        head = f'<input name="{spec.name}" type="hidden" value="">'   # posted even when none is ticked
    else:
        ticked, head = {raw}, ""
    inline = " inline" if spec.kind == "cmmm" else ""
    items = "".join(on if value in ticked else off for value, off, on in parts.options)
    # The options are a group named by the question text, so a screen reader says what they answer.
    role = "group" if spec.kind == "multi" else "radiogroup"
    state = f' aria-invalid="true" aria-describedby="{spec.name}-errors"' if invalid else ""
    return (f'{head}<div role="{role}" aria-labelledby="{spec.name}-label"{state}>'
            f'<ul class="choices{inline}">{items}</ul></div>')


def _parts(spec: "FieldSpec") -> _Parts:
    name, label = spec.name, escape(spec.label)
    exclusive = f' data-exclusive="{escape(spec.extra["exclusive"])}"' if spec.extra.get("exclusive") else ""
    if spec.kind == "number":
        unit = f'<span class="muted">{escape(spec.unit)}</span>' if spec.unit else ""
        before, after = f'<label class="q" for="{name}">{label}</label><div class="number-input">', f"{unit}</div>"
    elif spec.kind == "cmmm":
        before = f'<div class="q" id="{name}-label"><span class="item-id">{escape(spec.extra["id"])}</span>{label}</div>'
        after = ""
    else:
        badge = ' <span class="badge">可多选</span>' if spec.kind == "multi" else ""
        before, after = f'<div class="q" id="{name}-label">{label}{badge}</div>', ""
    help_text = ""
    if spec.help:
        help_text = f'<div class="help">{"示例：" if spec.kind == "cmmm" else ""}{escape(spec.help)}</div>'
    kind = "checkbox" if spec.kind == "multi" else "radio"
    options = []
    for n, (value, text) in enumerate(spec.options):
        attrs = f'id="{name}-{n}" name="{name}" type="{kind}" value="{escape(value)}"'
        tail = f"<span>{escape(text)}</span></label></li>"
        options.append((value, f"<li><label><input {attrs}>{tail}", f"<li><label><input checked {attrs}>{tail}"))
    return _Parts(f'<div class="question" id="q-{name}"{exclusive}>',
                  f'<div class="question has-error" id="q-{name}"{exclusive}>',
                  before, after, help_text, tuple(options))

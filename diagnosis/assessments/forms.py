"""Stage forms built from the instrument documents.

A page is a list of ``FieldSpec``: each knows where its value is stored (profile or answers), how to
turn the posted text into a value, and checks it with the scoring engine's own validation, so the
form and the CLI/API reject the same input with the same Chinese message.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from ..scoring import cmmm as cmmm_mod
from ..scoring import sme as sme_mod
from ..scoring.errors import ScoreInputError
from ..scoring.figures import compile_figures, implied_option
from ..scoring.profile import check_value
from .stages import UNANSWERED, Docs, Stage, cmmm_profile, sme_questions, sme_scene_groups

CMMM_CHOICES = [("1", "全部满足"), ("0.8", "大部分满足"), ("0.5", "部分满足"), ("0", "不满足")]
NOT_APPLICABLE = ("na", "不适用")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


@dataclass
class FieldSpec:
    name: str                          # the HTML field name
    key: str                           # the stored key (profile field or answer id)
    target: str                        # "profile" or "answers"
    kind: str                          # number | choice | multi | scene | cmmm
    label: str
    required: bool
    parse: Callable[[Any], Any]        # posted data -> value (UNANSWERED when empty); ValueError on bad text
    check: Callable[[Any], Any]        # engine validation; raises ScoreInputError
    help: str = ""
    unit: str = ""
    options: list[tuple[str, str]] = field(default_factory=list)
    group: str = ""                    # heading the field is shown under
    extra: dict[str, Any] = field(default_factory=dict)


def _safe(key: str) -> str:
    return "f_" + key.replace(".", "_").replace("-", "_")


def _parse_number(integer: bool):
    def parse(raw: Any) -> Any:
        text = (raw or "").strip().replace(",", "").replace("，", "").replace(" ", "")
        if not text:
            return UNANSWERED
        try:
            value = float(text)
        except ValueError:
            raise ValueError("请输入数字") from None
        if integer:
            if not value.is_integer():
                raise ValueError("请输入整数")
            return int(value)
        return int(value) if value.is_integer() and "." not in text else value
    return parse


def _parse_choice(raw: Any) -> Any:
    return raw if raw not in (None, "", "None") else UNANSWERED


def _parse_multi(empty_is_answer: bool):
    def parse(raw: Any) -> Any:
        values = [v for v in (raw or []) if v]
        if not values and not empty_is_answer:
            return UNANSWERED
        return values
    return parse


def _parse_scene(raw: Any) -> Any:
    if raw in (None, "", "None"):
        return UNANSWERED
    return int(raw)


def _parse_cmmm(raw: Any) -> Any:
    if raw in (None, "", "None"):
        return UNANSWERED
    return None if raw == "na" else float(raw)


def _format(spec: FieldSpec, value: Any) -> Any:
    """A stored value as the form shows it."""
    if value is None and spec.kind != "cmmm":
        return None
    if spec.kind == "number":
        return f"{value:g}" if isinstance(value, float) else str(value)
    if spec.kind == "scene":
        return str(value)
    if spec.kind == "cmmm":
        return "na" if value is None else f"{value:g}"
    return value


def _field_spec(f: dict, target: str, group: str, check, key: str | None = None) -> FieldSpec:
    key = key or f["key"]
    if f["type"] in ("integer", "number"):
        kind, parse, options = "number", _parse_number(f["type"] == "integer"), []
    elif f["type"] == "choice":
        kind, parse, options = "choice", _parse_choice, [(o["key"], o["text"]) for o in f["options"]]
    else:
        kind, parse, options = "multi", _parse_multi(True), [(o["key"], o["text"]) for o in f["options"]]
    return FieldSpec(_safe(key), key, target, kind, f["label"], bool(f.get("required")), parse, check,
                     help=f.get("help", ""), unit=f.get("unit", ""), options=options, group=group)


def profile_specs(docs: Docs) -> list[FieldSpec]:
    specs = []
    for section in docs.profile.data["sections"]:
        for f in section["fields"]:
            specs.append(_field_spec(f, "profile", section["title"],
                                     lambda v, f=f: check_value(f, v, f"profile.{f['key']}")))
            specs[-1].extra["section_help"] = section.get("help", "")
    return specs


def sme_specs(docs: Docs, stage: Stage, profile: dict[str, Any], answers: dict[str, Any] | None = None
              ) -> list[FieldSpec]:
    doc = docs.sme
    compiled = sme_mod.compile_sme(doc.data, doc.sha256)
    figs = compile_figures(doc.data, doc.sha256)
    answers = answers or {}
    check = lambda key: (lambda v: sme_mod.check_answer(compiled, key, v))  # noqa: E731
    specs: list[FieldSpec] = []
    if stage.scenes:
        for group in sme_scene_groups(docs):
            for scene in group["scenes"]:
                options = [("0", "尚未达到一级：主要靠纸质单据和人工")] + [
                    (str(n), f"{n}级：{scene['levels'][str(n)]}")
                    for n in range(1, 5)]
                specs.append(FieldSpec(_safe(scene["id"]), scene["id"], "answers", "scene",
                                       f"{scene['id']} {scene['name']}", True, _parse_scene, check(scene["id"]),
                                       options=options, group=group["name"]))
        return specs
    dims = {d["key"]: d["name"] for d in doc.data["dimensions"]}
    for q in sme_questions(docs, stage):
        options = [(o["key"], f"{o['key']}. {o['text']}") for o in q["options"]]
        kind = "choice" if q["type"] == "single" else "multi"
        parse = _parse_choice if kind == "choice" else _parse_multi(False)
        spec = FieldSpec(_safe(q["id"]), q["id"], "answers", kind, f"{q['id']} {q['text']}", True, parse,
                         check(q["id"]), help=q.get("help", ""), options=options,
                         group=f"{dims[q['dimension']]} · {q.get('topic', '')}".rstrip(" ·"))
        if q["type"] == "multi":
            spec.extra["exclusive"] = next((o["key"] for o in q["options"] if o.get("exclusive")), None)
        # The option the figures entered so far imply is pre-selected (the consistency check compares them).
        suggestion = implied_option(figs, q["id"], profile, answers)
        if suggestion:
            spec.extra["suggestion"] = suggestion
        specs.append(spec)
        taken = []
        for col in q.get("collects", []) or []:
            source = col.get("from_profile")
            if source and profile.get(source) is not None:     # not asked again: the profile has it
                taken.append(f"{col['label']} {profile[source]:g} {col.get('unit', '')}".rstrip())
                continue
            specs.append(_field_spec(col, "answers", spec.group, check(col["key"]), key=col["key"]))
            specs[-1].extra["collected_for"] = q["id"]
        if taken:
            spec.help = (spec.help + " " if spec.help else "") + f"（{'、'.join(taken)}取自企业概况。）"
    return specs


def cmmm_specs(docs: Docs, level: int, profile: dict[str, Any]) -> list[FieldSpec]:
    doc = docs.cmmm
    compiled = cmmm_mod.compile_cmmm(doc.data, doc.sha256)
    prof = cmmm_profile(docs, profile)
    tailorable = set(doc.data["profiles"][prof]["tailorable"])
    texts = {i["id"]: i for sd in doc.data["subdomains"] for items in sd["levels"].values() for i in items}
    specs = []
    for sd, ids in cmmm_mod.items_for_level(compiled, level, prof):
        choices = CMMM_CHOICES + ([NOT_APPLICABLE] if sd.key in tailorable else [])
        for item_id in ids:
            specs.append(FieldSpec(_safe(item_id), item_id, "answers", "cmmm", texts[item_id]["text"], True,
                                   _parse_cmmm, lambda v, i=item_id: cmmm_mod.check_answer(compiled, i, v, prof),
                                   help=texts[item_id].get("example", ""), options=choices,
                                   group=f"{sd.element} · {sd.name}", extra={"id": item_id}))
    return specs


def specs_for(docs: Docs, stage: Stage, profile: dict[str, Any], level: int | None = None,
              answers: dict[str, Any] | None = None) -> list[FieldSpec]:
    if stage.kind == "profile":
        return profile_specs(docs)
    if stage.kind == "sme":
        return sme_specs(docs, stage, profile, answers)
    return cmmm_specs(docs, level or 1, profile)


def _choices(spec: FieldSpec) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in spec.options]


def build_form(specs: list[FieldSpec], stored: dict[str, dict[str, Any]], formdata=None) -> FlaskForm:
    """A FlaskForm (CSRF included) with one field per spec, pre-filled from the stored answers."""

    class StageForm(FlaskForm):
        pass

    for spec in specs:
        if spec.kind == "number":
            fld = StringField(spec.label, render_kw={"inputmode": "decimal", "autocomplete": "off"})
        elif spec.kind == "multi":
            fld = MultiCheckboxField(spec.label, choices=_choices(spec), validate_choice=False)
        else:
            fld = RadioField(spec.label, choices=_choices(spec), validate_choice=False)
        setattr(StageForm, spec.name, fld)
    data = {}
    for spec in specs:
        value = stored[spec.target].get(spec.key)
        if spec.key in stored[spec.target]:
            data[spec.name] = _format(spec, value)
        elif spec.extra.get("suggestion"):
            data[spec.name] = spec.extra["suggestion"]["option"]
    return StageForm(formdata=formdata, data=data) if formdata is not None else StageForm(data=data)


def collect(form: FlaskForm, specs: list[FieldSpec], require: bool) -> tuple[dict[str, dict[str, Any]], bool]:
    """Parse and check every field. Returns the values per target and whether all were valid.

    Errors are attached to the fields in Chinese. With ``require``, required fields must be answered.
    Empty fields come back as ``UNANSWERED``.
    """
    values: dict[str, dict[str, Any]] = {"profile": {}, "answers": {}}
    ok = True
    for spec in specs:
        fld = form[spec.name]
        try:
            value = spec.parse(fld.data)
        except (ValueError, TypeError) as exc:
            fld.errors = list(fld.errors) + [str(exc) if isinstance(exc, ValueError) and str(exc).startswith("请") else "格式不正确"]
            ok = False
            continue
        if value is UNANSWERED:
            if require and spec.required:
                fld.errors = list(fld.errors) + ["请选择一项" if spec.kind != "number" else "请填写此项"]
                ok = False
            values[spec.target][spec.key] = UNANSWERED
            continue
        try:
            values[spec.target][spec.key] = spec.check(value)
        except ScoreInputError as exc:
            fld.errors = list(fld.errors) + [exc.message]
            ok = False
    return values, ok


def attach_error(form: FlaskForm, specs: list[FieldSpec], exc: ScoreInputError) -> bool:
    """Show a service-level error (key ``profile.X`` / ``answers.Y``) next to its field."""
    target, _, key = exc.key.partition(".")
    for spec in specs:
        if spec.target == target and spec.key == key:
            form[spec.name].errors = list(form[spec.name].errors) + [exc.message]
            return True
    return False

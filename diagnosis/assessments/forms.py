"""Stage forms built from the instrument documents.

A page is a list of ``FieldSpec``: each knows where its value is stored (profile or answers), how to
turn the posted text into a value, and checks it with the scoring engine's own validation, so the
form and the CLI/API reject the same input with the same Chinese message.

The specs of a page depend only on the document versions, the stage, the maturity level and the
production type, so they are built once per process and shared (``specs_for``); what depends on
the enterprise's own answers (the values shown, the suggested option, errors) lives in a
``StagePage`` made per request. CSRF is checked for every POST by the app's ``CSRFProtect``.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from typing import Any, Callable

from markupsafe import Markup

from ..scoring import cmmm as cmmm_mod
from ..scoring import sme as sme_mod
from ..scoring.errors import ScoreInputError
from ..scoring.figures import compile_figures, implied_option
from ..scoring.profile import check_value, limit_problems
from . import widgets
from .stages import UNANSWERED, Docs, Stage, cmmm_profile, sme_questions, sme_scene_groups

CMMM_CHOICES = [("1", "全部满足"), ("0.8", "大部分满足"), ("0.5", "部分满足"), ("0", "不满足")]
NOT_APPLICABLE = ("na", "不适用")


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
    html: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)   # widgets' memo


def _safe(key: str) -> str:
    return "f_" + key.replace(".", "_").replace("-", "_")


_INTEGER_TEXT = re.compile(r"[+-]?\d+")


def _parse_number(integer: bool):
    def parse(raw: Any) -> Any:
        text = (raw or "").strip().replace(",", "").replace("，", "").replace(" ", "")
        if not text:
            return UNANSWERED
        if _INTEGER_TEXT.fullmatch(text):
            return int(text)                 # exact at any size (a float keeps only 15-17 digits)
        try:
            value = float(text)
        except ValueError:
            raise ValueError("请输入数字") from None
        if not math.isfinite(value):
            raise ValueError("请输入数字")
        if integer:
            if not value.is_integer():
                raise ValueError("请输入整数")
            return int(value)
        return value
    return parse


def format_number(value: int | float) -> str:
    """A stored number as the form shows it: every digit it has, never in exponent notation, so
    that saving the page unchanged stores exactly the same value (a float stays a float)."""
    if not isinstance(value, float):
        return str(value)
    text = repr(value)                         # the shortest text that reads back as this float
    if "e" in text:
        text = format(Decimal(text), "f")
        if "." not in text:
            text += ".0"
    return text


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
        return format_number(value)
    if spec.kind == "scene":
        return str(value)
    if spec.kind == "cmmm":
        return "na" if value is None else f"{value:g}"
    return value


def display_value(spec: FieldSpec, value: Any) -> str:
    """A value in words, as the page would show it (for the conflict notes)."""
    if value is UNANSWERED or value == []:
        return "（空）"
    if spec.kind == "number":
        return format_number(value) + (f" {spec.unit}" if spec.unit else "")
    labels = dict(spec.options)
    if spec.kind == "multi":
        return "；".join(labels.get(v, str(v)) for v in value)
    return labels.get(_format(spec, value), str(value))


def short_name(spec: FieldSpec) -> str:
    """How a message names the field: the question number, or the profile field's label."""
    if spec.kind == "cmmm":
        return spec.extra["id"]
    if spec.target == "answers" and spec.label.startswith(spec.key + " "):
        return spec.key
    return spec.label


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


def sme_specs(docs: Docs, stage: Stage, taken: frozenset[str] = frozenset()) -> list[FieldSpec]:
    """The SME questions of a stage. Figures a question collects that the profile holds already
    (``from_profile`` in ``taken``) are not asked again."""
    doc = docs.sme
    compiled = sme_mod.compile_sme(doc.data, doc.sha256)
    figs = compile_figures(doc.data, doc.sha256)
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
        if q["id"] in figs.implied:
            spec.extra["implied"] = True        # StagePage pre-selects the option the figures imply
        specs.append(spec)
        from_profile = []
        for col in q.get("collects", []) or []:
            if col.get("from_profile") in taken:
                from_profile.append(col)
                continue
            specs.append(_field_spec(col, "answers", spec.group, check(col["key"]), key=col["key"]))
            specs[-1].extra["collected_for"] = q["id"]
        if from_profile:
            spec.extra["from_profile"] = tuple(from_profile)
    return specs


def profile_sources(docs: Docs, stage: Stage) -> frozenset[str]:
    """The profile fields the stage's questions would collect again (``from_profile``)."""
    if stage.kind != "sme" or stage.scenes:
        return frozenset()
    return frozenset(col["from_profile"] for q in sme_questions(docs, stage)
                     for col in q.get("collects", []) or [] if col.get("from_profile"))


def taken_from_profile(spec: FieldSpec, profile: dict[str, Any]) -> str:
    """The note saying which of a question's figures come from the profile, with their values."""
    cols = spec.extra.get("from_profile") or ()
    if not cols:
        return ""
    shown = "、".join(f"{c['label']} {format_number(profile[c['from_profile']])} {c.get('unit', '')}".rstrip()
                     for c in cols)
    return f"（{shown}取自企业概况。）"


def cmmm_specs(docs: Docs, level: int, prof: str) -> list[FieldSpec]:
    doc = docs.cmmm
    compiled = cmmm_mod.compile_cmmm(doc.data, doc.sha256)
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


@dataclass(frozen=True)
class FieldGroup:
    title: str
    help: str
    specs: tuple[FieldSpec, ...]


class PageFields(list):
    """The fields of one page in order; ``groups``: the same under their headings, as shown;
    ``group_heads``: each group with the markup of its card's heading (built once, like the rest)."""

    @cached_property
    def group_heads(self) -> list[tuple[FieldGroup, str]]:
        return [(group, widgets.group_head(group.title, group.help)) for group in self.groups]

    @cached_property
    def groups(self) -> list[FieldGroup]:
        out: list[FieldGroup] = []
        for spec in self:
            if not out or out[-1].title != spec.group:
                out.append(FieldGroup(spec.group, spec.extra.get("section_help", ""), ()))
            out[-1] = FieldGroup(out[-1].title, out[-1].help, out[-1].specs + (spec,))
        return out


_SPECS: dict[tuple, PageFields] = {}


def specs_for(docs: Docs, stage: Stage, profile: dict[str, Any], level: int | None = None) -> PageFields:
    """The fields of one page, built once per process for each document version (and, on the
    maturity stage, level and production type; on SME stages, which figures the profile holds
    already); callers must not change them."""
    if stage.kind == "profile":
        key: tuple = ("profile", docs.profile.sha256)
    elif stage.kind == "sme":
        taken = frozenset(k for k in profile_sources(docs, stage) if profile.get(k) is not None)
        key = ("sme", docs.sme.sha256, stage, taken)
    else:
        key = ("cmmm", docs.cmmm.sha256, level or 1, cmmm_profile(docs, profile))
    specs = _SPECS.get(key)
    if specs is None:
        if stage.kind == "profile":
            specs = profile_specs(docs)
        elif stage.kind == "sme":
            specs = sme_specs(docs, stage, key[3])
        else:
            specs = cmmm_specs(docs, key[2], key[3])
        specs = _SPECS[key] = PageFields(specs)
    return specs


class StagePage:
    """One stage page's values as shown (stored ones, or what was posted) and the errors next to them.

    ``raw`` holds form text per field name (a list for multiple choice). ``posted`` names the fields
    the POST carried: only those are saved. A browser posts every text input, the selected radio
    of each group and, through a hidden empty value, every checkbox group even when none is ticked;
    a radio group left unanswered is not posted, and so it does not clear what another tab saved.
    """

    def __init__(self, specs: PageFields, stored: dict[str, dict[str, Any]], profile: dict[str, Any],
                 formdata=None, docs: Docs | None = None):
        self.specs = specs
        self.raw: dict[str, Any] = {}
        self.suggestions: dict[str, dict[str, Any]] = {}
        self.notes: dict[str, str] = {}
        self.errors: dict[str, list[str]] = {}
        self.posted: set[str] = set()
        self.stored = stored
        self.docs = docs
        figs = compile_figures(docs.sme.data, docs.sme.sha256) if docs is not None and docs.sme else None
        for spec in specs:
            values = stored[spec.target]
            if spec.key in values:
                self.raw[spec.name] = _format(spec, values[spec.key])
            elif spec.extra.get("implied") and figs is not None:
                # The option the figures entered so far imply is pre-selected (the consistency
                # check before submit compares them again).
                hint = implied_option(figs, spec.key, profile, stored["answers"])
                if hint:
                    self.suggestions[spec.name] = hint
                    self.raw[spec.name] = hint["option"]
            if spec.extra.get("from_profile"):
                self.notes[spec.name] = taken_from_profile(spec, profile)
            if formdata is not None and spec.name in formdata:
                self.posted.add(spec.name)
                self.raw[spec.name] = (formdata.getlist(spec.name) if spec.kind == "multi"
                                       else formdata.get(spec.name))

    def add_error(self, spec: FieldSpec, message: str) -> None:
        self.errors.setdefault(spec.name, []).append(message)

    def error_summary(self) -> list[tuple[str, str, list[str]]]:
        """Every error of the page in field order: (id of the field's first input, the field's short
        name, its messages), for the summary at the top of the page that links to each field."""
        out = []
        for spec in self.specs:
            messages = self.errors.get(spec.name)
            if messages:
                anchor = spec.name if spec.kind == "number" else f"{spec.name}-0"
                out.append((anchor, short_name(spec), messages))
        return out

    def question(self, spec: FieldSpec) -> Markup:
        return widgets.question(spec, self.raw.get(spec.name), self.errors.get(spec.name),
                                self.suggestions.get(spec.name), self.notes.get(spec.name, ""))

    def fields_html(self) -> Markup:
        """Every group of the page in its card with its questions: the form's fields, drawn in one go
        (a template loop calling ``question`` per field cost more than the fields themselves)."""
        raw, errors, suggestions, notes = self.raw, self.errors, self.suggestions, self.notes
        out = []
        for group, head in self.specs.group_heads:
            out.append(head)
            for spec in group.specs:
                name = spec.name
                out.append(widgets.question_html(spec, raw.get(name), errors.get(name), suggestions.get(name),
                                                 notes.get(name, "")))
            out.append(widgets.GROUP_END)
        return Markup("".join(out))


def collect(page: StagePage, require: bool) -> tuple[dict[str, dict[str, Any]], bool]:
    """Parse and check the posted fields. Returns the values per target and whether all were valid.

    Errors are attached to the fields in Chinese. With ``require``, required fields must be answered
    (posted or, when not posted, already stored). Empty fields come back as ``UNANSWERED``.
    """
    values: dict[str, dict[str, Any]] = {"profile": {}, "answers": {}}
    ok = True
    for spec in page.specs:
        try:
            value = spec.parse(page.raw.get(spec.name))
        except (ValueError, TypeError) as exc:
            page.add_error(spec, str(exc) if isinstance(exc, ValueError) and str(exc).startswith("请") else "格式不正确")
            ok = False
            continue
        if value is UNANSWERED and require and spec.required:
            page.add_error(spec, "请选择一项" if spec.kind != "number" else "请填写此项")
            ok = False
        if spec.name not in page.posted:
            continue
        if value is UNANSWERED:
            values[spec.target][spec.key] = UNANSWERED
            continue
        try:
            values[spec.target][spec.key] = spec.check(value)
        except ScoreInputError as exc:
            page.add_error(spec, exc.message)
            ok = False
    if not _cross_field_checks(page, values["profile"]):
        ok = False
    return values, ok


def _cross_field_checks(page: StagePage, posted: dict[str, Any]) -> bool:
    """The profile's cross-field rules (e.g. networked equipment not above the total) over the
    stored profile with this page's values merged in, all at once: each broken rule is shown next
    to its field on this page. Fields that already have an error are left out (their value is not
    known). False when a rule is broken."""
    if page.docs is None or not any(spec.target == "profile" for spec in page.specs):
        return True
    on_page = {spec.key: spec for spec in page.specs if spec.target == "profile"}
    unknown = {spec.key for spec in on_page.values() if spec.name in page.errors}
    merged = {k: v for k, v in {**page.stored["profile"], **posted}.items()
              if v is not UNANSWERED and k not in unknown}
    ok = True
    for key, message in limit_problems(page.docs.profile.data, merged):
        spec = on_page.get(key)
        if spec is not None:
            page.add_error(spec, message)
            ok = False
    return ok


def attach_error(page: StagePage, exc: ScoreInputError) -> bool:
    """Show a service-level error (key ``profile.X`` / ``answers.Y``) next to its field."""
    target, _, key = exc.key.partition(".")
    for spec in page.specs:
        if spec.target == target and spec.key == key:
            page.add_error(spec, exc.message)
            return True
    return False


def _conflicting(specs: list[FieldSpec], conflicts) -> list[tuple[FieldSpec, Any]]:
    by_key = {(spec.target, spec.key): spec for spec in specs}
    return [(by_key[(c.target, c.key)], c) for c in conflicts if (c.target, c.key) in by_key]


def conflict_message(specs: list[FieldSpec], conflicts) -> str:
    """The page-level message for a stale page: what changed, that nothing was lost, what to do."""
    names = "、".join(short_name(spec) for spec, _ in _conflicting(specs, conflicts))
    return (f"您打开本页之后，以下内容已在另一个窗口或设备上修改并保存：{names}。为避免互相覆盖，本页这次没有保存，"
            f"已保存的内容都还在。请核对标出的题目（旁边列出了已保存的值）：要保留本页的填写，请再次保存；"
            f"要采用已保存的值，请改回后保存，或重新打开本页。")


def attach_conflicts(page: StagePage, conflicts) -> None:
    """Next to each conflicting field: the value stored elsewhere and the one this page posted."""
    for spec, c in _conflicting(page.specs, conflicts):
        page.add_error(spec, f"已在别处保存为：{display_value(spec, c.stored)}；"
                             f"本页填写的是：{display_value(spec, c.posted)}。")

"""The one loader for everything in ``questionnaires/``: parse, validate, hash, cross-check.

Loading is cheap enough for a command line that starts, scores and exits:

* YAML is parsed with libyaml's C loader when PyYAML was built with it (the pure-Python loader
  takes ten times as long), else with the pure-Python one.
* What a file parses to is kept in a compiled cache, as JSON named by the SHA-256 of the file's
  bytes (``compiled_cache_dir``): a file whose bytes were seen before is not parsed again, only
  read, hashed and validated. The cache holds data, never code, and is skipped when it cannot be
  written.
* ``load_library`` keeps the library of a folder for the life of the process and loads it again
  only when a file's size or modification time changes.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import DataFileError
from .schemas import VALIDATORS, condition_facts
from .validation import Checker

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "questionnaires"


@dataclass(frozen=True)
class Document:
    """One validated data file. ``sha256`` of the file content identifies the version."""

    key: str
    kind: str
    title: str
    data: dict[str, Any] = field(repr=False, compare=False)
    sha256: str
    source: str = ""

    @property
    def version(self) -> str:
        return self.sha256[:12]

    @classmethod
    def from_data(cls, data: dict[str, Any], sha256: str, source: str = "(stored)") -> "Document":
        """Rebuild a document from stored content (a diagnosis keeps the version it was answered on)."""
        _validate(data, source)
        return cls(data["key"], data["kind"], data["title"], data, sha256, source)


def _validate(data: Any, source: str) -> None:
    c = Checker(source)
    if not isinstance(data, dict):
        c.fail("", "the file must hold a mapping")
    for key in ("key", "kind", "title"):
        if key not in data:
            c.fail(key, "is missing")
    c.key(data["key"], "key")
    c.one_of(data["kind"], "kind", VALIDATORS)
    VALIDATORS[data["kind"]](c, data)


#: libyaml's loader when available (``yaml.__with_libyaml__``), else the pure-Python one.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: Bump when what a cached file holds changes meaning (it is part of every cache file's name).
CACHE_FORMAT = "1"


def compiled_cache_dir() -> Path | None:
    """Where parsed files are cached (``diagnosis.cachedir``; ``DIAGNOSIS_CACHE_DIR=off``: nowhere)."""
    from ..cachedir import cache_dir

    return cache_dir("questionnaires")


def _cache_file(sha256: str) -> Path | None:
    folder = compiled_cache_dir()
    return folder / f"{sha256}.v{CACHE_FORMAT}.json" if folder else None


def _cached(sha256: str) -> Any:
    path = _cache_file(sha256)
    if path is None:
        return None
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None


def _store(sha256: str, data: Any) -> None:
    path = _cache_file(sha256)
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, partial = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    except OSError:  # a read-only home: load without the cache
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False)
        os.replace(partial, path)
    except OSError:  # a full disk
        with contextlib.suppress(OSError):
            os.unlink(partial)


def parse_yaml(raw: bytes, source: str) -> Any:
    """The JSON-compatible content of a YAML file, as the database would store it."""
    try:
        data = yaml.load(raw.decode("utf-8"), Loader=YAML_LOADER)  # noqa: S506 - a safe loader
    except UnicodeDecodeError as exc:
        raise DataFileError(source, "", "not UTF-8 text") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise DataFileError(source, where, f"not valid YAML: {getattr(exc, 'problem', exc)}") from exc
    # JSON round trip: what is validated and scored is exactly what the database stores (level
    # keys such as 1: become "1").
    try:
        return json.loads(json.dumps(data, ensure_ascii=False))
    except (TypeError, ValueError) as exc:
        raise DataFileError(source, "", f"holds a value JSON cannot store ({exc})") from exc


def load_document(path: str | Path) -> Document:
    path = Path(path)
    source = _display(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataFileError(source, "", f"cannot read: {exc.strerror}") from exc
    sha256 = hashlib.sha256(raw).hexdigest()
    data = _cached(sha256)
    if data is None:
        data = parse_yaml(raw, source)
        _store(sha256, data)
    _validate(data, source)
    return Document(data["key"], data["kind"], data["title"], data, sha256, source)


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(DEFAULT_DIR.parent))
    except ValueError:
        return str(path)


class Library:
    """All documents of a folder, indexed by key, with references between files checked."""

    def __init__(self, documents: list[Document]):
        self.documents: dict[str, Document] = {}
        for doc in documents:
            if doc.key in self.documents:
                raise DataFileError(doc.source, "key", f"{doc.key!r} is also the key of {self.documents[doc.key].source}")
            self.documents[doc.key] = doc

    def __getitem__(self, key: str) -> Document:
        return self.documents[key]

    def __contains__(self, key: str) -> bool:
        return key in self.documents

    def get(self, key: str) -> Document | None:
        return self.documents.get(key)

    def of_kind(self, kind: str) -> list[Document]:
        return [d for d in self.documents.values() if d.kind == kind]

    def single(self, kind: str) -> Document:
        docs = self.of_kind(kind)
        if len(docs) != 1:
            raise DataFileError(str(DEFAULT_DIR), "", f"expected exactly one file of kind {kind!r}, found {len(docs)}")
        return docs[0]

    @property
    def questionnaires(self) -> list[Document]:
        """What can be answered and scored: suites and single instruments."""
        return [d for d in self.documents.values() if d.kind in ("suite", "sme", "cmmm")]

    def check_references(self) -> None:
        for doc in self.of_kind("suite"):
            _check_suite(doc, self)
        for doc in self.of_kind("sme"):
            _check_sme(doc, self)
        for doc in self.of_kind("upgrades"):
            _check_upgrades(doc, self)
        for doc in self.of_kind("targets"):
            _check_targets(doc, self)
        for doc in self.of_kind("policies"):
            _check_policies(doc, self)
        for doc in self.of_kind("industries"):
            cmmm = self.of_kind("cmmm")
            for i, ind in enumerate(doc.data["industries"]):
                for instrument in cmmm:
                    if ind["cmmm_profile"] not in instrument.data["profiles"]:
                        raise DataFileError(doc.source, f"industries[{i}].cmmm_profile",
                                            f"{ind['cmmm_profile']!r} is not a profile of {instrument.source}")


def _check_suite(doc: Document, lib: Library) -> None:
    c = Checker(doc.source)
    for i, part in enumerate(doc.data["parts"]):
        other = lib.get(part)
        if other is None or other.kind not in ("sme", "cmmm"):
            c.fail(f"parts[{i}]", f"{part!r} is not an sme or cmmm questionnaire in this folder")
    for i, stage in enumerate(doc.data["stages"]):
        if "dimensions" in stage:
            dims = {d["key"] for d in lib[stage["source"]].data.get("dimensions", [])}
            for j, dim in enumerate(stage["dimensions"]):
                if dim not in dims:
                    c.fail(f"stages[{i}].dimensions[{j}]", f"{dim!r} is not a dimension of {stage['source']!r}")
    if "profile" not in lib:
        c.fail("stages[0].source", "no profile.yaml (kind profile) in this folder")


def known_facts(lib: Library) -> dict[str, dict[str, Any]]:
    """Every fact a trigger may name, with its options (for has/lacks/in) where it has any."""
    facts: dict[str, dict[str, Any]] = {"sme.total": {}, "sme.grade": {}, "cmmm.level": {}, "cmmm.score": {},
                                        "enterprise.industry": {"options": [i["code"] for d in lib.of_kind("industries")
                                                                            for i in d.data["industries"]]}}
    for prof in lib.of_kind("profile"):
        for section in prof.data["sections"]:
            for f in section["fields"]:
                facts[f"profile.{f['key']}"] = {"options": [o["key"] for o in f.get("options", [])]}
        for ind in prof.data["indicators"]:
            facts[f"indicator.{ind['key']}"] = {}
    for sme in lib.of_kind("sme"):
        for q in sme.data["questions"]:
            facts[f"answer.{q['id']}"] = {"options": [o["key"] for o in q["options"]]}
        for group in sme.data["scene_groups"]:
            for scene in group["scenes"]:
                facts[f"scene.{scene['id']}"] = {}
    for cmmm in lib.of_kind("cmmm"):
        for sd in cmmm.data["subdomains"]:
            facts[f"subdomain.{sd['key']}"] = {}
    return facts


def _check_conditions(c: Checker, cond: dict, where: str, facts: dict[str, dict[str, Any]]) -> None:
    for path, fact, op, operand in condition_facts(cond):
        at = f"{where}.{path.removeprefix('triggers.')}" if path != "triggers" else where
        if fact not in facts:
            c.fail(at, f"unknown fact {fact!r}")
        options = facts[fact].get("options")
        if op in ("has", "lacks", "in") and options:
            for value in operand if op == "in" else [operand]:
                if value not in options:
                    c.fail(at, f"{value!r} is not an option of {fact!r}")


def _profile_parts(lib: Library) -> tuple[dict[str, dict], set[str]]:
    fields: dict[str, dict] = {}
    indicators: set[str] = set()
    for prof in lib.of_kind("profile"):
        fields.update({f["key"]: f for s in prof.data["sections"] for f in s["fields"]})
        indicators.update(i["key"] for i in prof.data["indicators"])
    return fields, indicators


def _check_sme(doc: Document, lib: Library) -> None:
    c = Checker(doc.source)
    fields, indicators = _profile_parts(lib)
    for i, q in enumerate(doc.data["questions"]):
        for j, col in enumerate(q.get("collects", []) or []):
            src = col.get("from_profile")
            if src is not None and fields and (src not in fields or fields[src]["type"] not in ("integer", "number")):
                c.fail(f"questions[{i}].collects[{j}].from_profile", f"{src!r} is not a numeric field of profile.yaml")
        if "estimates" in q and indicators and q["estimates"] not in indicators:
            c.fail(f"questions[{i}].estimates", f"{q['estimates']!r} is not an indicator of profile.yaml")


def _check_upgrades(doc: Document, lib: Library) -> None:
    c = Checker(doc.source)
    facts = known_facts(lib)
    fields, indicators = _profile_parts(lib)
    targets = {i["key"] for t in lib.of_kind("targets") for i in t.data["indicators"]}
    industries = {i["code"] for d in lib.of_kind("industries") for i in d.data["industries"]}
    scenes = {s["id"] for d in lib.of_kind("sme") for g in d.data["scene_groups"] for s in g["scenes"]}
    subdomains = {sd["key"] for d in lib.of_kind("cmmm") for sd in d.data["subdomains"]}
    types = [o["key"] for o in (fields.get("industry_type") or {}).get("options", [])]
    ladder = doc.data["prioritization"].get("ladder")
    for i, rung in enumerate((ladder or {}).get("rungs", [])):
        _check_conditions(c, rung["when"], f"prioritization.ladder.rungs[{i}].when", facts)
    for i, up in enumerate(doc.data["upgrades"]):
        _check_conditions(c, up["triggers"], f"upgrades[{i}].triggers", facts)
        for j, pre in enumerate(up["prerequisites"]):
            if isinstance(pre, dict):
                _check_conditions(c, pre["when"], f"upgrades[{i}].prerequisites[{j}].when", facts)
        for j, moved in enumerate(up["moves"]):
            if moved not in facts:
                c.fail(f"upgrades[{i}].moves[{j}]", f"unknown fact {moved!r}")
        if up["serves"] is not None and targets and up["serves"] not in targets:
            c.fail(f"upgrades[{i}].serves", f"{up['serves']!r} is not an indicator of targets.yaml")
        for j, app in enumerate(up.get("applications", []) or []):
            if f"profile.{app['field']}" not in facts:
                c.fail(f"upgrades[{i}].applications[{j}].field", f"{app['field']!r} is not a profile field")
        for key in ("industries", "focus_industries"):
            for j, code in enumerate(up.get(key, [])):
                if industries and code not in industries:
                    c.fail(f"upgrades[{i}].{key}[{j}]", f"{code!r} is not a division of industries.yaml")
        for j, t in enumerate(up.get("production_types", [])):
            if types and t not in types:
                c.fail(f"upgrades[{i}].production_types[{j}]", f"{t!r} is not an option of profile industry_type")
        system = up.get("system")
        if system:
            for j, scene in enumerate(system["scenes"]):
                if scenes and scene not in scenes:
                    c.fail(f"upgrades[{i}].system.scenes[{j}]", f"{scene!r} is not a scene of the SME instrument")
            if "subdomain" in system and subdomains and system["subdomain"] not in subdomains:
                c.fail(f"upgrades[{i}].system.subdomain", f"{system['subdomain']!r} is not a maturity sub-domain")
        milestones = up.get("milestones")
        if milestones and indicators and milestones["indicator"] not in indicators:
            c.fail(f"upgrades[{i}].milestones.indicator", f"{milestones['indicator']!r} is not an indicator of profile.yaml")


def _check_targets(doc: Document, lib: Library) -> None:
    """Report rows name profile fields and indicators: renaming one fails here, not as a blank row."""
    c = Checker(doc.source)
    fields, indicators = _profile_parts(lib)
    if not lib.of_kind("profile"):
        return
    for i, row in enumerate(doc.data["report_rows"]):
        if "indicator" in row and row["indicator"] not in indicators:
            c.fail(f"report_rows[{i}].indicator", f"{row['indicator']!r} is not an indicator of profile.yaml")
        if "field" in row and row["field"] not in fields:
            c.fail(f"report_rows[{i}].field", f"{row['field']!r} is not a field of profile.yaml")
        if row["compare"] == "lianghua" and "field" in row:
            options = {o["key"] for o in fields[row["field"]].get("options", [])}
            if not {"none", "benchmarked", "certified"} <= options:
                c.fail(f"report_rows[{i}].field", "a lianghua row needs the options none, benchmarked and certified")


POLICY_PLACEHOLDERS = ("sme_grade", "sme_total", "cmmm_level", "industry", "headcount", "revenue")


def _check_policies(doc: Document, lib: Library) -> None:
    import string
    c = Checker(doc.source)
    facts = known_facts(lib)
    for i, pol in enumerate(doc.data["policies"]):
        _check_conditions(c, pol["applies"], f"policies[{i}].applies", facts)
        for j, out in enumerate(pol["outcomes"]):
            if "when" in out:
                _check_conditions(c, out["when"], f"policies[{i}].outcomes[{j}].when", facts)
            for _, name, _, _ in string.Formatter().parse(out["text"]):
                if name is not None and name not in POLICY_PLACEHOLDERS:
                    c.fail(f"policies[{i}].outcomes[{j}].text",
                           f"unknown placeholder {{{name}}}; known: {', '.join(POLICY_PLACEHOLDERS)}")


_libraries: dict[tuple, tuple[tuple, Library]] = {}
_libraries_lock = threading.Lock()


def _stamp(paths: list[Path]) -> tuple:
    stamp = []
    for p in paths:
        try:
            st = p.stat()
        except OSError:
            return ()  # unreadable: load_document names the file
        stamp.append((str(p), st.st_size, st.st_mtime_ns))
    return tuple(stamp)


def load_library(folder: str | Path | None = None, files: list[str | Path] | None = None) -> Library:
    """Load and validate every ``*.yaml`` of the folder (or the named files, checked against the folder).

    The same library object is returned again while no file of it changed (size, modification
    time), so a process loads it once however many parts of it ask."""
    folder = Path(folder) if folder else DEFAULT_DIR
    paths = sorted(folder.glob("*.yaml"))
    if files:
        named = {Path(f).resolve() for f in files}
        for f in named:
            if f not in {p.resolve() for p in paths}:
                paths.append(f)
    key = (str(folder.resolve()), tuple(str(p) for p in paths))
    stamp = _stamp(paths)
    with _libraries_lock:
        known = _libraries.get(key)
        if known is not None and stamp and known[0] == stamp:
            return known[1]
    lib = Library([load_document(p) for p in paths])
    lib.check_references()
    if stamp:
        with _libraries_lock:
            _libraries[key] = (stamp, lib)
    return lib

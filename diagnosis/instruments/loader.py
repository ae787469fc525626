"""The one loader for everything in ``questionnaires/``: parse, validate, hash, cross-check."""
from __future__ import annotations

import hashlib
import json
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


def load_document(path: str | Path) -> Document:
    path = Path(path)
    source = _display(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DataFileError(source, "", f"cannot read: {exc.strerror}") from exc
    try:
        data = yaml.safe_load(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise DataFileError(source, "", "not UTF-8 text") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise DataFileError(source, where, f"not valid YAML: {getattr(exc, 'problem', exc)}") from exc
    # JSON round trip first: what is validated and scored is exactly what the database stores
    # (level keys such as 1: become "1").
    try:
        data = json.loads(json.dumps(data, ensure_ascii=False))
    except (TypeError, ValueError) as exc:
        raise DataFileError(source, "", f"holds a value JSON cannot store ({exc})") from exc
    _validate(data, source)
    return Document(data["key"], data["kind"], data["title"], data, hashlib.sha256(raw).hexdigest(), source)


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
        for doc in self.of_kind("upgrades"):
            _check_upgrades(doc, self)
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
    facts: dict[str, dict[str, Any]] = {"sme.total": {}, "sme.grade": {}, "cmmm.level": {}, "cmmm.score": {}}
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


def _check_upgrades(doc: Document, lib: Library) -> None:
    c = Checker(doc.source)
    facts = known_facts(lib)
    targets = {i["key"] for t in lib.of_kind("targets") for i in t.data["indicators"]}
    for i, up in enumerate(doc.data["upgrades"]):
        for path, fact, op, operand in condition_facts(up["triggers"]):
            where = f"upgrades[{i}].{path}"
            if fact not in facts:
                c.fail(where, f"unknown fact {fact!r}")
            options = facts[fact].get("options")
            if op in ("has", "lacks", "in") and options:
                for value in operand if op == "in" else [operand]:
                    if value not in options:
                        c.fail(where, f"{value!r} is not an option of {fact!r}")
        for j, moved in enumerate(up["moves"]):
            if moved not in facts:
                c.fail(f"upgrades[{i}].moves[{j}]", f"unknown fact {moved!r}")
        if up["serves"] is not None and targets and up["serves"] not in targets:
            c.fail(f"upgrades[{i}].serves", f"{up['serves']!r} is not an indicator of targets.yaml")
        for j, app in enumerate(up.get("applications", []) or []):
            if f"profile.{app['field']}" not in facts:
                c.fail(f"upgrades[{i}].applications[{j}].field", f"{app['field']!r} is not a profile field")


def load_library(folder: str | Path | None = None, files: list[str | Path] | None = None) -> Library:
    """Load and validate every ``*.yaml`` of the folder (or the named files, checked against the folder)."""
    folder = Path(folder) if folder else DEFAULT_DIR
    paths = sorted(folder.glob("*.yaml"))
    if files:
        named = {Path(f).resolve() for f in files}
        for f in named:
            if f not in {p.resolve() for p in paths}:
                paths.append(f)
    lib = Library([load_document(p) for p in paths])
    lib.check_references()
    return lib

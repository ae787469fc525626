"""The report package shows its design: content is pure, the engine knows nothing of the web,
assessments never imports reports, nothing runs at import, and the template hash covers every file
that shapes a PDF without anyone keeping a list."""
from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from diagnosis.reports.engine import fingerprint

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "diagnosis"


def imports_of(folder: Path) -> dict[str, set[str]]:
    """Every module under ``folder`` and the absolute names it imports (relative imports resolved)."""
    found = {}
    for path in folder.rglob("*.py"):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
        if path.name == "__init__.py":
            module = package
        names = set()
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    prefix = ".".join(base)
                    target = f"{prefix}.{node.module}" if node.module else prefix
                else:
                    target = node.module
                names.add(target)
                names.update(f"{target}.{alias.name}" for alias in node.names)
        found[module] = names
    return found


def offending(folder: Path, forbidden: tuple[str, ...]) -> list[str]:
    return sorted(f"{module} imports {name}" for module, names in imports_of(folder).items() for name in names
                  if any(name == f or name.startswith(f + ".") for f in forbidden))


def test_content_is_pure():
    assert offending(PACKAGE / "reports" / "content", (
        "weasyprint", "pikepdf", "flask", "flask_login", "sqlalchemy", "diagnosis.extensions",
        "diagnosis.reports.engine", "diagnosis.reports.web", "diagnosis.assessments", "diagnosis.accounts")) == []


def test_the_engine_knows_nothing_of_the_web_or_the_database():
    assert offending(PACKAGE / "reports" / "engine", (
        "flask", "flask_login", "sqlalchemy", "diagnosis.extensions", "diagnosis.reports.web",
        "diagnosis.assessments", "diagnosis.accounts", "redis", "rq")) == []


def test_assessments_never_imports_reports():
    assert offending(PACKAGE / "assessments", ("diagnosis.reports",)) == []


def run_python(code: str, tmp_path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), DIAGNOSIS_CACHE_DIR=str(tmp_path / "cache"))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)


#: The one module that is a WeasyPrint class by nature (the report's URL fetcher subclasses
#: WeasyPrint's); the engine imports it on the first render.
WEASYPRINT_SUBCLASSES = {"diagnosis.reports.engine.fetcher"}


def test_importing_every_report_module_runs_nothing(tmp_path):
    modules = sorted(m for m in imports_of(PACKAGE / "reports") if m not in WEASYPRINT_SUBCLASSES)
    code = (f"import importlib, multiprocessing, sys, threading\n"
            f"for name in {modules!r}: importlib.import_module(name)\n"
            "assert 'weasyprint' not in sys.modules, 'WeasyPrint imported at import time'\n"
            "assert threading.active_count() == 1, 'a thread started at import time'\n"
            "assert not multiprocessing.active_children(), 'a process started at import time'\n")
    out = run_python(code, tmp_path)
    assert out.returncode == 0, out.stderr


def run_command_without(module: str, argv: list[str], tmp_path, library) -> subprocess.CompletedProcess:
    """Run ``diagnosis ARGV`` in a fresh interpreter (``{answers}``: the demo answers file, ``{tmp}``:
    a temporary folder) and fail it if it exits with an error or ``module`` was imported."""
    import json

    from diagnosis.demo import demo_payload
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(demo_payload(library, "zhizao-2024"), ensure_ascii=False), "utf-8")
    args = [a.format(answers=answers, tmp=tmp_path) for a in argv]
    code = ("import sys\nfrom diagnosis.cli import main\n"
            f"sys.argv = ['diagnosis', *{args!r}]\n"
            "try:\n    main()\nexcept SystemExit as e:\n    assert not e.code, e.code\n"
            f"assert {module!r} not in sys.modules, '{module} imported'\n")
    return run_python(code, tmp_path)


@pytest.mark.parametrize("argv", [["score", "{answers}"], ["--help"], ["questionnaire", "list"]])
def test_commands_that_do_not_render_never_import_weasyprint(argv, tmp_path, library):
    out = run_command_without("weasyprint", argv, tmp_path, library)
    assert out.returncode == 0, out.stderr


def test_the_library_is_loaded_once_per_process(tmp_path):
    code = ("from diagnosis.instruments import load_library, loader\n"
            "calls = []\nreal = loader.load_document\n"
            "loader.load_document = lambda p: calls.append(p) or real(p)\n"
            "first = load_library(); second = load_library()\n"
            "assert first is second and len(calls) == len(first.documents), len(calls)\n")
    out = run_python(code, tmp_path)
    assert out.returncode == 0, out.stderr


def test_a_parsed_file_is_read_from_the_compiled_cache(tmp_path, monkeypatch):
    from diagnosis.instruments import loader
    monkeypatch.setenv("DIAGNOSIS_CACHE_DIR", str(tmp_path))
    path = loader.DEFAULT_DIR / "targets.yaml"
    first = loader.load_document(path)
    assert (tmp_path / "questionnaires" / f"{first.sha256}.v{loader.CACHE_FORMAT}.json").is_file()
    monkeypatch.setattr(loader, "parse_yaml", lambda raw, source: pytest.fail("parsed again"))
    assert loader.load_document(path).data == first.data


def test_template_hash_covers_every_file_of_the_content_and_engine_packages_and_templates():
    covered = {name for name, _ in fingerprint.source_files()}
    for folder in ("content", "content/chapters", "engine"):
        for path in (PACKAGE / "reports" / folder).glob("*.py"):
            assert path.relative_to(ROOT).as_posix() in covered
    assert {"reports/report.html", "reports/print.css", "reports/part.css", "reports/numbers.css",
            "reports/partials/cover.html"} <= covered
    assert not any(name.startswith("diagnosis/reports/web/") for name in covered)


def test_a_new_module_changes_the_template_hash(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "context.py").write_text("X = 1\n")
    sources = ((content, "*.py"),)
    before = fingerprint.template_hash(sources)
    (content / "new_chapter.py").write_text("def build():\n    return {}\n")
    assert fingerprint.template_hash(sources) != before


@pytest.mark.parametrize("argv", [["score", "{answers}"], ["report", "{answers}", "-o", "{tmp}/out.pdf"],
                                  ["questionnaire", "check"], ["doctor"]])
def test_data_commands_never_import_flask(argv, tmp_path, library):
    """The data commands run without the web stack: Flask (0.1-0.2 s) is imported only for the
    commands that need the app."""
    out = run_command_without("flask", argv, tmp_path, library)
    assert out.returncode == 0, out.stderr

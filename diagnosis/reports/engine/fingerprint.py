"""The template hash: what stored PDFs are keyed by, besides the result.

It covers everything that shapes a PDF: every file of the report templates folder (``reports/``:
templates, CSS, assets, the report font), every Python file of the ``content`` and ``engine``
packages (found by walking them: a new chapter module counts without being listed anywhere),
``RENDER_VERSION`` and the installed WeasyPrint version. Recomputed only when a file's size or
modification time changes (one stat per file per call). No WeasyPrint import.
"""
from __future__ import annotations

import hashlib
import threading
from importlib import metadata
from pathlib import Path

from ..paths import PACKAGE_DIR, PROJECT_ROOT, TEMPLATES_DIR

# Bump when the rendering changes PDFs in a way no file above shows (the method chapter prints it).
RENDER_VERSION = "report-2026.11"

#: Folders whose files make the hash: (folder, glob pattern).
SOURCES = ((TEMPLATES_DIR, "*"), (PACKAGE_DIR / "content", "*.py"), (PACKAGE_DIR / "engine", "*.py"))

_lock = threading.Lock()
_cache: tuple[tuple, str] | None = None


def _weasyprint_version() -> str:
    try:
        return metadata.version("weasyprint")
    except metadata.PackageNotFoundError:
        return "unknown"


def source_files(sources=SOURCES, root: Path = PROJECT_ROOT) -> list[tuple[str, Path]]:
    """(name relative to the project, path) of every file the hash covers, sorted."""
    files = []
    for folder, pattern in sources:
        for path in folder.rglob(pattern):
            if path.is_file() and "__pycache__" not in path.parts and not path.name.endswith((".pyc", ".tmp")):
                try:
                    name = path.relative_to(root).as_posix()
                except ValueError:
                    name = path.as_posix()
                files.append((name, path))
    return sorted(files)


def template_hash(sources=SOURCES) -> str:
    """SHA-256 over RENDER_VERSION, the WeasyPrint version and every file of ``sources``."""
    global _cache
    files = source_files(sources)
    stamp = (sources, tuple((name, st.st_size, st.st_mtime_ns) for name, st in ((n, p.stat()) for n, p in files)))
    with _lock:
        cached = _cache
    if cached is not None and cached[0] == stamp:
        return cached[1]
    h = hashlib.sha256()
    h.update(RENDER_VERSION.encode())
    h.update(b"\0weasyprint " + _weasyprint_version().encode())
    for name, path in files:
        h.update(b"\0" + name.encode() + b"\0")
        h.update(path.read_bytes())
    digest = h.hexdigest()
    with _lock:
        _cache = (stamp, digest)
    return digest

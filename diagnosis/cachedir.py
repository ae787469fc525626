"""Where the command line and the app keep files they can rebuild (parsed questionnaires, compiled
templates, page-number documents): ``DIAGNOSIS_CACHE_DIR``, else the user's cache folder
(``$XDG_CACHE_HOME`` or ``~/.cache``) under ``zhizao-diagnosis``. ``DIAGNOSIS_CACHE_DIR=off``
turns every such cache off. Callers skip the cache when it cannot be written."""
from __future__ import annotations

import os
from pathlib import Path


def cache_dir(name: str) -> Path | None:
    configured = os.environ.get("DIAGNOSIS_CACHE_DIR")
    if configured == "off":
        return None
    if configured:
        return Path(configured) / name
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "zhizao-diagnosis" / name

"""Where the report's templates and assets are (``reports/`` at the project root)."""
from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parents[1]
TEMPLATES_DIR = PROJECT_ROOT / "reports"
ASSETS_DIR = TEMPLATES_DIR / "assets"

"""Instruments, rules and reference data: YAML files in ``questionnaires/``, validated when loaded.

Pure Python (no Flask import), shared by the web app, the CLI and the scoring engine.
"""
from .errors import DataFileError
from .loader import Document, Library, load_document, load_library

__all__ = ["DataFileError", "Document", "Library", "load_document", "load_library"]

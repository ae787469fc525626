"""The app's view of ``questionnaires/``: the current library, and versions pinned in the database."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from .assessments.models import QuestionnaireVersion
from .extensions import db
from .instruments import Document, Library, load_library


def init_app(app) -> None:
    # Validated once at start-up: a broken data file stops the app with the file and key named.
    app.extensions["questionnaires"] = load_library(app.config["QUESTIONNAIRES_DIR"])


def library() -> Library:
    return current_app.extensions["questionnaires"]


def pin(doc: Document) -> QuestionnaireVersion:
    """The stored copy of this exact version, created the first time it is used."""
    row = db.session.scalar(select(QuestionnaireVersion).filter_by(key=doc.key, sha256=doc.sha256))
    if row is None:
        row = QuestionnaireVersion(key=doc.key, kind=doc.kind, title=doc.title, sha256=doc.sha256, content=doc.data)
        db.session.add(row)
        db.session.flush()
    return row


_DOCS: dict[int, Document] = {}


def cached_document(version_id: int, sha256: str) -> Document | None:
    """The stored version's document if this process has it already (no need to load its content)."""
    doc = _DOCS.get(version_id)
    return doc if doc is not None and doc.sha256 == sha256 else None


def document(row: QuestionnaireVersion) -> Document:
    """The stored version as a document (validated once per process)."""
    doc = _DOCS.get(row.id)
    if doc is None or doc.sha256 != row.sha256:
        doc = Document.from_data(row.content, row.sha256, source=f"(stored {row.key}@{row.sha256[:12]})")
        _DOCS[row.id] = doc
    return doc

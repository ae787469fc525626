"""The last step of every render: the PDF's metadata and deterministic bytes.

The content hashes of the questionnaires and rules a result was scored with are for machines, not
readers: they go into the document information dictionary (``/ZhizaoVersions``, JSON), never onto a
page. The creation date is the result's (WeasyPrint takes it from the ``dcterms.created`` meta of
the markup); the file identifier is derived from the content (qpdf's ``deterministic_id``), so the
same result, template and review give the same bytes, which the download's ETag relies on. A
report rendered in two documents gets all this as they are joined, in the same save (``joining``)."""
from __future__ import annotations

import io
import json

from ..content.input import ReportInput


def versions_of(result: dict) -> dict:
    """Every content hash and version the result names, for the metadata."""
    out = {"scoring": result.get("scoring_version")}
    out.update(result.get("versions") or {})
    out.update({f"rules.{k}": v for k, v in (result.get("rules_versions") or {}).items()})
    return {k: v for k, v in out.items() if v}


def apply(doc, data: ReportInput, render_version: str) -> None:
    """Set the report's metadata on an open ``pikepdf.Pdf`` and drop its file identifier (the
    caller saves it with ``deterministic_id=True``)."""
    info = doc.docinfo
    info["/ZhizaoReportNumber"] = data.number or ""
    info["/ZhizaoVersions"] = json.dumps({**versions_of(data.result or {}), "report": render_version},
                                         ensure_ascii=True, sort_keys=True)
    if "/ID" in doc.trailer:      # qpdf keeps the first half of an existing identifier
        del doc.trailer["/ID"]


def finish(pdf: bytes, data: ReportInput, render_version: str) -> bytes:
    """``apply`` to the PDF bytes of a report rendered in one document."""
    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        apply(doc, data, render_version)
        out = io.BytesIO()
        doc.save(out, deterministic_id=True)
        return out.getvalue()

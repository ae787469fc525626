"""Chapter “解决方案服务商意见”: the provider's review."""
from __future__ import annotations

from ..formatting import cn_date, text as _text


def build(review: dict | None) -> dict | None:
    if not review or not _text(review.get("opinion")).strip():
        return None
    paragraphs = [p.strip() for p in _text(review.get("opinion")).replace("\r\n", "\n").split("\n") if p.strip()]
    return {"provider": _text(review.get("provider")) or "—", "reviewer": _text(review.get("reviewer")),
            "date": cn_date(review.get("date")) if review.get("date") else "", "paragraphs": paragraphs}

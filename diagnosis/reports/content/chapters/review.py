"""Chapter “解决方案服务商意见”: the newest published review — provider, date, opinions, the share
of answers verified on site, the disputed answers, the provider's decisions on the roadmap, and the
levels recomputed on the verified answers beside the self-assessed ones where they differ.

The result page shows the same display values (``reports.web.result_page``)."""
from __future__ import annotations

from ....numbers import pct
from ....scoring.verified import comparison
from ..formatting import cn_date, text as _text

DECISIONS = {"accepted": "采纳", "rejected": "不采纳"}


def _paragraphs(value) -> list[str]:
    return [p.strip() for p in _text(value).replace("\r\n", "\n").split("\n") if p.strip()]


def build(review: dict | None) -> dict | None:
    if not review or not _text(review.get("opinion")).strip():
        return None
    verified = review.get("verified") or {}
    cov = verified.get("coverage")
    rows = comparison(verified.get("self") or {}, verified.get("verified") or {}) if verified.get("self") else []
    # Where anything differs: the headline levels (changed or not) and every sub-domain that changed.
    differing = [r for r in rows if r["differs"] or not r["name"].startswith("子域")] if any(
        r["differs"] for r in rows) else []
    return {
        "provider": _text(review.get("provider")) or "—",
        "reviewer": _text(review.get("reviewer")),
        "date": cn_date(review.get("date")) if review.get("date") else "",
        "version": review.get("version"),
        "paragraphs": _paragraphs(review.get("opinion")),
        "domains": [{"name": _text(k), "paragraphs": _paragraphs(v)} for k, v in (review.get("domains") or {}).items()],
        "coverage": ({"verified": cov["verified"], "disputed": cov["disputed"], "answers": cov["answers"],
                      "share": pct(cov['share'], 0)} if cov and (cov["verified"] or cov["disputed"]) else None),
        "disputed": [{k: _text(v) for k, v in d.items()} for d in review.get("disputed") or []],
        "decisions": [{"title": _text(d["title"]), "decision": DECISIONS.get(d["decision"], _text(d["decision"])),
                       "reason": _text(d.get("reason"))} for d in review.get("decisions") or []],
        "added": [_text(a) for a in review.get("added") or []],
        "levels": differing,
        "levels_same": bool(rows) and not differing and bool(cov and cov["disputed"]),
    }

"""Signals of the assessments package (blinker), so that packages downstream of it (reports)
react to what happens here without assessments importing them. Receivers are connected when
their package is set up in the app (``reports.web.views`` on blueprint registration)."""
from __future__ import annotations

from typing import Any

from blinker import Namespace

_signals = Namespace()

#: Sent by ``services.submit`` after the submission is committed; sender: the ``Diagnosis``.
#: The reports package queues the report's render, so the first download comes from storage.
diagnosis_submitted = _signals.signal("diagnosis-submitted")

#: Send after a review is committed (sender: the ``Diagnosis``, ``review=`` the review): the
#: reports package queues a render of the report that prints it.
review_submitted = _signals.signal("review-submitted")

#: Sent by the result view (sender: the submitted ``Diagnosis``); each receiver returns a dict
#: of template context (the reports package: charts, peers, review, versions).
result_page = _signals.signal("result-page")


def result_page_context(diagnosis) -> dict[str, Any]:
    """The result page's context, as the connected receivers give it."""
    context: dict[str, Any] = {}
    for _receiver, value in result_page.send(diagnosis):
        context.update(value or {})
    return context

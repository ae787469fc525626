"""One module per chapter of the report, each with one ``build`` function returning the chapter's
display values (plain dicts, lists and strings) for its template in ``reports/partials/``.

``cover``, ``summary``, ``maturity`` (also the “优势与差距” chapter), ``digital``, ``indicators``,
``roadmap``, ``review``, ``method``, ``appendix``; ``content.context`` assembles them.
"""

"""The diagnosis report, in three layers that only ever depend downwards:

* ``content``: what the report says. Pure Python (no WeasyPrint, no database, no Flask): the
  report input, one builder per chapter, the SVG charts, number and date formatting, and the
  Jinja2 templates turned into XHTML markup. The offline input of ``diagnosis report FILE`` and
  the demo input live here too.
* ``engine``: how the markup becomes a PDF. WeasyPrint, the report font, the URL fetcher, the
  compatibility checks of every WeasyPrint internal the speed-ups touch (``engine.compat``),
  rendering on two cores and joining the parts.
* ``web``: where reports meet the application. Views, stored PDFs, background rendering (RQ or a
  thread), the report input of a stored diagnosis, the result page's charts.

Nothing here runs at import time: WeasyPrint is imported when the first report is rendered.
"""

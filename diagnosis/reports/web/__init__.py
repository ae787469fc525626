"""Where reports meet the application: the download views and their progress page, stored PDFs,
rendering queued on submit (RQ or a background thread), the report input of a stored diagnosis
and the result page's charts. Set up when ``views.bp`` is registered on the app."""

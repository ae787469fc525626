"""Real-browser journeys: Playwright driving Debian's chromium against the app served over HTTP."""

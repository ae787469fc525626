"""The URL fetcher of the PDF report: ``data:`` URLs and files inside the report assets folder only.

WeasyPrint 70 calls ``url_fetcher(url)`` (``URLFetcher.__call__`` -> ``fetch``) for every image,
stylesheet, attachment, ``<object>`` and ``<embed>`` it meets, and expects a
``URLFetcherResponse``. Everything else is refused with ``URLRefused``: no network (http, https,
ftp, ...), no redirects (nothing is ever opened through urllib's opener, so no redirect handler
runs), no ``file:`` URL outside the assets folder (checked after resolving symlinks and ``..``).
WeasyPrint catches the error, logs a warning and leaves the resource out.
"""
from __future__ import annotations

import mimetypes
import os
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import DataHandler, Request, url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..paths import ASSETS_DIR
MAX_BYTES = 2 * 1024 * 1024        # data: URLs (charts) are small; refuse anything that is not
MAX_ASSET_BYTES = 8 * 1024 * 1024  # the largest asset is the report font (fonts.py), ~2 MB


class URLRefused(ValueError):
    """The report fetcher does not fetch this URL."""


class SafeFetcher(URLFetcher):
    """Allows ``data:`` URLs and ``file:`` URLs resolving inside ``assets_dir``; refuses the rest."""

    def __init__(self, assets_dir: str | Path = ASSETS_DIR):
        # allowed_protocols and allow_redirects only document the policy: fetch() below never uses
        # the urllib opener the base class builds.
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False, fail_on_errors=False)
        self.assets_dir = Path(os.path.realpath(assets_dir))

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        if not isinstance(url, str):
            raise URLRefused("URL must be a string")
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return self._data(url)
        if scheme == "file":
            return self._file(url)
        raise URLRefused(f"scheme not allowed in reports: {scheme or '(none)'}")

    def _data(self, url: str) -> URLFetcherResponse:
        try:
            response = DataHandler().data_open(Request(url))
        except Exception as exc:  # malformed data: URL
            raise URLRefused(f"malformed data: URL ({exc})") from None
        body = response.read(MAX_BYTES + 1)
        if len(body) > MAX_BYTES:
            raise URLRefused("data: URL too large")
        return URLFetcherResponse(url, body, {"Content-Type": response.headers.get("Content-Type", "")})

    def resolve(self, url: str) -> Path:
        """The real path of a ``file:`` URL if it lies inside the assets folder; else URLRefused."""
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise URLRefused("file: URL with a remote host")
        path = Path(os.path.realpath(url2pathname(unquote(parts.path))))
        if path != self.assets_dir and self.assets_dir not in path.parents:
            raise URLRefused("file outside the report assets folder")
        if not path.is_file():
            raise URLRefused("not a file in the report assets folder")
        return path

    def _file(self, url: str) -> URLFetcherResponse:
        path = self.resolve(url)
        with open(path, "rb") as fh:
            body = fh.read(MAX_ASSET_BYTES + 1)
        if len(body) > MAX_ASSET_BYTES:
            raise URLRefused("asset too large")
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(path.as_uri(), body, {"Content-Type": mime})

    # urllib-style entry point: never open anything through the opener.
    def open(self, url, data=None, timeout=None):  # noqa: ARG002 - same signature as the base class
        return self.fetch(url.full_url if isinstance(url, Request) else url)


def safe_fetcher(assets_dir: str | Path = ASSETS_DIR) -> SafeFetcher:
    return SafeFetcher(assets_dir)

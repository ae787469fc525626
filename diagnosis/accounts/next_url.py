"""Where to go after login: only a path on this site, never another host."""
from __future__ import annotations

from urllib.parse import urlsplit

MAX_LENGTH = 2000


def safe_next(target: str | None) -> str | None:
    """``target`` if it is a local path (``/…``), else None.

    Browsers drop tab, CR and LF inside URLs and read ``\\`` as ``/``, so ``/\\t/evil.com`` or
    ``/\\evil.com`` would become ``//evil.com``, another host: any control character or backslash
    refuses the target (CR/LF would also break the Location header)."""
    if not target or len(target) > MAX_LENGTH:
        return None
    if any(ch < " " or ch == "\x7f" or ch == "\\" for ch in target):
        return None
    if not target.startswith("/") or target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target

"""Jinja filters and globals for the web pages."""
from __future__ import annotations

from datetime import datetime, timezone, timedelta

from .accounts.models import Role
from .numbers import num, pct

CHINA = timezone(timedelta(hours=8))


def local_time(value: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    if value is None:
        return "—"
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(CHINA).strftime(fmt)


def init_app(app) -> None:
    app.jinja_env.filters.update(pct=pct, num=num, local_time=local_time)
    app.jinja_env.globals.update(Role=Role)

"""The per-instance secret that signs session cookies and CSRF tokens.

``diagnosis secret-key`` (run by ``make setup``) writes a random key to ``instance/secret_key`` with
mode 0600 and never overwrites it: replacing it would log everybody out. ``create_app`` loads it
unless SECRET_KEY is configured otherwise, and refuses to start with no key or with the
development default that is readable in the source, except under test or in debug mode.
"""
from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

from .config import DEV_SECRET_KEY

FILENAME = "secret_key"


class InsecureSecretKey(RuntimeError):
    """Raised by ``create_app`` when it would sign sessions with a key anyone can know."""


def default_instance_path() -> str:
    """The instance folder ``create_app`` uses by default (Flask's rule for the package)."""
    from flask import Flask
    return Flask("diagnosis.app", instance_relative_config=True).instance_path


def secret_path(instance_path: str | os.PathLike) -> Path:
    return Path(instance_path) / FILENAME


def create_secret(instance_path: str | os.PathLike) -> tuple[Path, bool]:
    """Write a new random key unless one exists; returns (path, created)."""
    path = secret_path(instance_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path, False
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_urlsafe(48) + "\n")
    os.chmod(path, 0o600)       # whatever the umask
    return path, True


def read_secret(instance_path: str | os.PathLike) -> str | None:
    path = secret_path(instance_path)
    try:
        key = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return None
    return key or None


def readable_by_others(instance_path: str | os.PathLike) -> bool:
    path = secret_path(instance_path)
    return path.exists() and bool(path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO))


def configure(app) -> None:
    """Set ``app.secret_key``: configured value, else the instance file; refuse an unsafe key."""
    key = app.config.get("SECRET_KEY")
    if not key or key == DEV_SECRET_KEY:
        key = read_secret(app.instance_path) or key
        if readable_by_others(app.instance_path):
            app.logger.warning("%s is readable by other users; run chmod 600 on it",
                               secret_path(app.instance_path))
    if not key or key == DEV_SECRET_KEY:
        if not (app.testing or app.debug):
            raise InsecureSecretKey(
                "Refusing to start: SECRET_KEY is "
                + ("the development default" if key else "not set")
                + f", so anyone could forge a login session. Run `make setup` or `diagnosis secret-key` "
                f"to create a random per-instance key in {secret_path(app.instance_path)}, or set the "
                "SECRET_KEY environment variable to a long random value.")
        key = DEV_SECRET_KEY
    app.config["SECRET_KEY"] = key

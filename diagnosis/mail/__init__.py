"""Outgoing email, used when the deployment configures an SMTP server (``MAIL_SERVER``).

Notifications and password-reset links go through ``send``; without ``MAIL_SERVER`` nothing is sent
and ``send`` says so by returning False, so callers fall back to what works without email (the in-app
notification list, a reset by the admin). A failing server is logged, never raised into a request.
"""
from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from flask import current_app

log = logging.getLogger(__name__)


def configured() -> bool:
    return bool(current_app.config.get("MAIL_SERVER"))


def send(to: str, subject: str, body: str) -> bool:
    """Send a plain-text UTF-8 message; True when the server accepted it."""
    config = current_app.config
    if not configured():
        return False
    message = EmailMessage()
    message["From"] = formataddr((config.get("MAIL_SENDER_NAME", "智造诊断"), config["MAIL_SENDER"]))
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain=config["MAIL_SENDER"].rpartition("@")[2] or None)
    message.set_content(body)
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], int(config.get("MAIL_PORT", 25)),
                          timeout=float(config.get("MAIL_TIMEOUT", 10))) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD", ""))
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("mail to %s not sent (%s): %s", to, subject, exc)
        return False
    return True

"""Security headers on every response (Flask-Talisman), pages, API, errors and static files alike.

- Content-Security-Policy: scripts, styles, images and fonts only from this site; no inline script
  or style (templates load ``static/js/*.js`` and use classes), no plugins, no <base>, forms post
  only here, and no framing (``frame-ancestors 'none'``, X-Frame-Options DENY): the share and
  review forms cannot be overlaid by another site (clickjacking).
- X-Content-Type-Options nosniff, Referrer-Policy same-origin, a Permissions-Policy that turns off
  device APIs, Cross-Origin-Opener-Policy same-origin; Strict-Transport-Security over HTTPS.
- Cache-Control no-store on pages and API answers for a signed-in user, so the browser does not
  show them from its cache after logout. Static files and the PDF (which set their own) are left.
"""
from __future__ import annotations

import flask
from flask import request, session
from flask_talisman import Talisman

SELF = "'self'"
CSP = {
    "default-src": SELF,
    "script-src": SELF,
    "style-src": SELF,
    "img-src": f"{SELF} data:",
    "font-src": SELF,
    "connect-src": SELF,
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": SELF,
    "frame-ancestors": "'none'",
}
PERMISSIONS = {"camera": "()", "microphone": "()", "geolocation": "()", "payment": "()", "usb": "()",
               "interest-cohort": "()"}


class _Talisman(Talisman):
    """Flask-Talisman with each view's options, and the policy headers made of them, worked out
    once instead of on every request (it looks the options up four times per request and joins
    the policies into header text each time). Nothing here varies by request: no nonce is used."""

    def _get_local_options(self):
        cache = self.__dict__.setdefault("_options_by_endpoint", {})
        endpoint = request.endpoint
        options = cache.get(endpoint)
        if options is None or cache.get((endpoint, "view")) is not flask.current_app.view_functions.get(endpoint):
            options = cache[endpoint] = super()._get_local_options()
            cache[(endpoint, "view")] = flask.current_app.view_functions.get(endpoint)
        return options

    def _force_https(self):
        if not self.session_cookie_secure and not self._get_local_options()["force_https"]:
            return None         # what Talisman would decide, without looking at the request
        return super()._force_https()

    def _memo(self, policy, make):
        if getattr(request, "csp_nonce", None):
            return make(policy)
        cache = self.__dict__.setdefault("_policy_text", {})
        hit = cache.get(id(policy))
        if hit is None or hit[0] is not policy:
            hit = cache[id(policy)] = (policy, make(policy))
        return hit[1]

    def _parse_policy(self, policy):
        return self._memo(policy, super()._parse_policy)

    def _parse_structured_header_policy(self, policy):
        return self._memo(policy, super()._parse_structured_header_policy)


def _extra_headers(response):
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if request.endpoint != "static" and "Cache-Control" not in response.headers and (
            "_user_id" in session or request.path.startswith("/api/")):
        response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app) -> None:
    app.extensions["talisman"] = _Talisman(
        app,
        force_https=False,                  # TLS is the proxy's business; HSTS is sent over HTTPS
        frame_options="DENY",
        content_security_policy=CSP,
        referrer_policy="same-origin",
        permissions_policy=PERMISSIONS,
        feature_policy={},                  # superseded by Permissions-Policy
        document_policy={},
        session_cookie_secure=False,        # decided per request (diagnosis.sessions)
        session_cookie_http_only=app.config["SESSION_COOKIE_HTTPONLY"],
        session_cookie_samesite=app.config["SESSION_COOKIE_SAMESITE"],
    )
    app.after_request(_extra_headers)

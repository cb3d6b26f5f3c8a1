"""Security headers on every response.

Why: the pages carry a chat that people may type sensitive things into, so the browser is told to run only
our own scripts and styles (no inline code at all), to talk only to us and to Rasa, and never to frame a page.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, Response, g, request

WIDGET_PREFIX = "/static/widget/"

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=()"
)


def origin_of(url: str) -> str:
    """`scheme://host[:port]` of `url`, or "" when it is not an absolute http(s) URL."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(rasa_url: str, nonce: str | None = None) -> str:
    """The CSP for our pages: self only, plus Rasa's origin for the widget's fetch.

    `nonce` allows the inline scripts of one response (the console's GOV.UK Frontend start-up), and only those.
    """
    connect = " ".join(filter(None, ["'self'", origin_of(rasa_url)]))
    script = "script-src 'self'" + (f" 'nonce-{nonce}'" if nonce else "")
    return "; ".join(
        [
            "default-src 'self'",
            script,
            "style-src 'self'",
            "img-src 'self'",
            "font-src 'self'",
            f"connect-src {connect}",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def register_security_headers(app: Flask, rasa_url: str) -> None:
    """Add the headers to every response of `app`."""
    csp = content_security_policy(rasa_url)

    @app.after_request
    def _headers(response: Response) -> Response:
        h = response.headers
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("Referrer-Policy", "same-origin")
        h.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if request.path.startswith(WIDGET_PREFIX):
            # The widget's script and stylesheet are meant to be loaded by other sites' pages.
            h.setdefault("Cross-Origin-Resource-Policy", "cross-origin")
            return response
        nonce = g.get("csp_nonce")
        h.setdefault("Content-Security-Policy", content_security_policy(rasa_url, nonce) if nonce else csp)
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response

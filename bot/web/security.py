"""Security headers on every response, and the one rule for where a "go back to" address may point.

Why: the pages carry a chat that people may type sensitive things into, so the browser is told to run only
our own scripts and styles (no inline code at all), to talk only to us and to Rasa, and never to frame a page.
A redirect to an address taken from the request (`?next=`, a form's `back`) is only ever to our own pages,
checked in one place so the sign-in page and the officers' inbox cannot drift apart again.
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


def local_path(target: str | None, under: str) -> str | None:
    """`target` when it is a path on this site at `under` or below it, else None (never an open redirect).

    Refused: anything with a scheme or a host (`https://evil.example`, `//evil.example`, `javascript:`), a
    doubled slash, a backslash or any whitespace or control character anywhere (browsers read `/\\evil` and
    `/<TAB>/evil` as another host), and paths outside `under` (`/console` admits neither `/consoles` nor `/`).
    """
    if not target or "\\" in target or any(c.isspace() or not c.isprintable() for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or "//" in target:
        return None
    root = under.rstrip("/")
    if parts.path != root and not parts.path.startswith(root + "/"):
        return None
    return target


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

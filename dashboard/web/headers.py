"""Security headers on every response: Content-Security-Policy, Permissions-Policy, HSTS.

The policy allows nothing from another host. Scripts run only from the dashboard's own
files and the inline scripts Dash writes into its page (the renderer start-up and the
clientside callbacks), each allowed by its SHA-256 hash: no ``'unsafe-inline'`` and no
``'unsafe-eval'`` for scripts. Styles need ``'unsafe-inline'``: plotly.js, AG Grid, React
and the Dash renderer set inline styles at run time (without it every chart and grid
page logs violations), with no nonce to give them; a style cannot run code, and the
script policy is what stops an injection.
"""
from __future__ import annotations

from functools import lru_cache

from flask import Flask, Response, current_app

# Features the dashboard never uses: no page of it (nor anything injected into one) may ask.
DENIED_FEATURES = (
    "accelerometer", "camera", "display-capture", "geolocation", "gyroscope", "hid",
    "magnetometer", "microphone", "midi", "payment", "serial", "usb",
    "publickey-credentials-get", "screen-wake-lock", "xr-spatial-tracking",
)
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in DENIED_FEATURES)
HSTS = "max-age=31536000; includeSubDomains"


@lru_cache(maxsize=8)
def content_security_policy(script_hashes: tuple[str, ...]) -> str:
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def merge_policies(own: str, general: str) -> str:
    """``own`` (a route's policy, e.g. ``sandbox`` for evidence files) with the directives of
    ``general`` it does not set itself: the route's choices win, nothing is dropped."""
    names = {part.split()[0].lower() for part in own.split(";") if part.strip()}
    extra = [part.strip() for part in general.split(";")
             if part.strip() and part.split()[0].lower() not in names]
    return "; ".join([own.strip().rstrip(";"), *extra]) if extra else own


def init_app(app: Flask) -> None:
    app.after_request(_security_headers)


def current_policy() -> str:
    # Hashed per response, not once at start-up: Dash adds an inline script of its own
    # (the pages router's) at the first request. Hashing them takes about 30 µs.
    dash_app = current_app.extensions["dash"]
    return content_security_policy(tuple(dash_app.csp_hashes("sha256")))


def _security_headers(response: Response) -> Response:
    headers = response.headers
    policy = current_policy()
    own = headers.get("Content-Security-Policy")
    headers["Content-Security-Policy"] = merge_policies(own, policy) if own else policy
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    # The dashboard loads nothing from other hosts and is never framed by one.
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "SAMEORIGIN")
    headers.setdefault("Referrer-Policy", "same-origin")
    if current_app.config.get("ENV") == "production":
        # Only behind HTTPS (production); a browser remembers it for a year.
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response

"""Security headers on every HTTP response, the Socket.IO transport's included.

A WSGI middleware outside Flask-SocketIO's, so Engine.IO's polling responses
get them too. A header a route set itself (the question images' sandbox
policy) is kept.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

# Every script, style, font and image comes from this server; no inline
# script or handler runs (templates have none); the socket connects back to
# the page's own origin; no other site may frame a page or post a form to it.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Frame-Options", "DENY"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
)

StartResponse = Callable[..., Any]


class SecurityHeaders:
    def __init__(self, app: Callable[[dict[str, Any], StartResponse], Iterable[bytes]]) -> None:
        self.app = app

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        def start(status: str, headers: list[tuple[str, str]], *exc_info: Any) -> Any:
            present = {name.lower() for name, _ in headers}
            extra = [(n, v) for n, v in HEADERS if n.lower() not in present]
            return start_response(status, list(headers) + extra, *exc_info)

        return self.app(environ, start)

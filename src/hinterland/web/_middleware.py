"""Middleware: the token and security headers, the request-body limit, the loopback host names."""

from __future__ import annotations

import secrets

from fastapi import Request
from fastapi.responses import JSONResponse, Response
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hinterland.web._deps import error_response
from hinterland.web._settings import Settings, is_loopback

__all__ = ["BodyLimit", "Guard", "allowed_hosts"]

_PUBLIC = ("/", "/docs", "/openapi.json", "/favicon.ico")
_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)


class Guard(BaseHTTPMiddleware):
    """With a token, every request outside the page shell and the reference needs
    ``Authorization: Bearer TOKEN`` (401 otherwise); every answer gets the security headers."""

    def __init__(self, app: ASGIApp, token: str | None) -> None:
        super().__init__(app)
        self.token = token

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        path = request.url.path
        if self.token and not (path in _PUBLIC or path.startswith("/static/")):
            auth = request.headers.get("authorization", "")
            scheme, _, given = auth.partition(" ")
            if scheme.lower() != "bearer" or not secrets.compare_digest(given.strip(), self.token):
                return error_response(
                    401,
                    "missing or wrong token: send `Authorization: Bearer TOKEN` (the --token the server "
                    "was started with)",
                    {"WWW-Authenticate": "Bearer"},
                )
        response = await call_next(request)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        if path in ("/", "/docs"):
            response.headers["Content-Security-Policy"] = _CSP
            response.headers["Cache-Control"] = "no-store"
        return response


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes (413), whether or not Content-Length is sent."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.limit):
            await self._reject(scope, receive, send)
            return
        if scope["method"] in ("GET", "HEAD", "DELETE", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        # read the whole body first (it is small by construction), so the limit holds for chunked
        # uploads too and no handler ever sees a truncated body
        chunks: list[bytes] = []
        total = 0
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return
            chunk = message.get("body", b"")
            total += len(chunk)
            if total > self.limit:
                await self._reject(scope, receive, send)
                return
            chunks.append(chunk)
            more = bool(message.get("more_body", False))
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)

    async def _reject(self, scope: Scope, receive: Receive, send: Send) -> None:
        resp = JSONResponse(
            {"detail": f"request body larger than {self.limit} bytes; send less (e.g. a smaller scenario)"},
            status_code=413,
        )
        await resp(scope, receive, send)


def allowed_hosts(settings: Settings) -> list[str]:
    """Host names the server answers to (empty: any). Against DNS rebinding, a loopback server only
    answers to loopback names unless ``settings.allowed_hosts`` says otherwise."""
    hosts = list(settings.allowed_hosts)
    if not hosts and is_loopback(settings.host):
        hosts = ["127.0.0.1", "localhost", "[::1]", "::1", settings.host]
    return hosts

"""The FastAPI application: REST API under /api, the dashboard page at /, API reference at /docs.

``create_app`` builds the app from the routers of ``_routes_*.py`` (one per area); the state they
share is a :class:`~hinterland.web._deps.WebState` in ``app.state.web``, handed out by dependencies.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.trustedhost import TrustedHostMiddleware

from hinterland import __version__
from hinterland.datasets import load_china
from hinterland.errors import HinterlandError, UnknownIdError
from hinterland.web._data import SCORE_OPTIONS
from hinterland.web._deps import ApiError, WebState, error_response
from hinterland.web._jobs import JobManager
from hinterland.web._middleware import BodyLimit, Guard, allowed_hosts
from hinterland.web._routes_data import router as data_router
from hinterland.web._routes_jobs import router as jobs_router
from hinterland.web._routes_meta import STATIC_DIR
from hinterland.web._routes_meta import router as meta_router
from hinterland.web._routes_runs import router as runs_router
from hinterland.web._routes_scenarios import router as scenarios_router
from hinterland.web._settings import Settings

__all__ = ["STATIC_DIR", "create_app"]

_DESCRIPTION = (
    "Decision support for China's national strategic hinterland (国家战略腹地): regions, indicator "
    "and score layers, scenario validation, background runs (evaluate, network, reserves, shock, "
    "backup, plan) with progress and cancel, downloads, and the result store. With a token, every "
    "/api request needs `Authorization: Bearer TOKEN`."
)


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Startup opens the job manager and queues (or reuses) the evaluation behind the score layers."""
    state: WebState = app.state.web
    settings = state.settings
    Path(settings.workspace).mkdir(parents=True, exist_ok=True)
    manager = JobManager(settings.jobs_dir, settings.max_workers)
    state.manager = manager
    load_china()
    if settings.warm_scores:
        previous = [
            j
            for j in manager.list()
            if j.kind == "scores" and j.state == "done" and j.options == SCORE_OPTIONS
        ]
        job = previous[0] if previous else manager.submit("scores", state.runners["evaluate"], SCORE_OPTIONS)
        state.score_job = job.id
    try:
        yield
    finally:
        manager.shutdown()


async def _api_error(_r: Request, exc: ApiError) -> JSONResponse:
    return error_response(exc.status, exc.detail, exc.headers)


async def _unknown_id(_r: Request, exc: UnknownIdError) -> JSONResponse:
    return error_response(404, str(exc))


async def _bad_input(_r: Request, exc: HinterlandError) -> JSONResponse:
    return error_response(422, str(exc))


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app. Startup opens the job manager and queues the evaluation behind the score layers."""
    settings = settings or Settings()
    app = FastAPI(
        title="hinterland API",
        version=__version__,
        description=_DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.web = WebState(settings)

    # outermost last: host check, then the body limit, then token and security headers
    app.add_middleware(Guard, token=settings.token)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    hosts = allowed_hosts(settings)
    if hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=hosts)

    app.exception_handler(ApiError)(_api_error)
    app.exception_handler(UnknownIdError)(_unknown_id)
    app.exception_handler(HinterlandError)(_bad_input)

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in (meta_router, data_router, scenarios_router, jobs_router, runs_router):
        app.include_router(router)
    return app

"""What the routers share: the app's state object, the FastAPI dependencies that hand it out, and the
error that answers ``{"detail": ...}`` with a status."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import Depends, Request
from fastapi.responses import JSONResponse

from hinterland.containers import Dataset
from hinterland.datasets import load_china
from hinterland.web._data import ScoreCache
from hinterland.web._jobs import JobManager, Runner
from hinterland.web._runners import RUNNERS, resolve_runners
from hinterland.web._settings import Settings
from hinterland.web._store import StoreAccess

__all__ = [
    "ApiError",
    "DatasetDep",
    "JobsDep",
    "SettingsDep",
    "StateDep",
    "WebState",
    "error_response",
    "get_dataset",
    "get_jobs",
    "get_settings",
    "get_state",
]


class ApiError(Exception):
    """Answered as ``{"detail": detail}`` with ``status`` (and ``headers``) by the app's handler."""

    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers


def error_response(status: int, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


@dataclass
class WebState:
    """One app's shared state (``app.state.web``).

    ``runners`` maps every job kind to the function its worker runs: the built-in kinds, overridden or
    extended by ``settings.runners``. ``manager`` is the job manager, set while the app runs (startup
    to shutdown); ``score_job`` the evaluation job behind the score layers.
    """

    settings: Settings
    scores: ScoreCache = field(default_factory=ScoreCache)
    store: StoreAccess = field(init=False)
    runners: dict[str, Runner] = field(init=False)
    manager: JobManager | None = None
    score_job: str | None = None

    def __post_init__(self) -> None:
        self.store = StoreAccess(self.settings.store_path)
        self.runners = {**RUNNERS, **resolve_runners(self.settings.runners)}

    @property
    def jobs(self) -> JobManager:
        if self.manager is None:
            raise ApiError(503, "the job manager is not running (the app has not started)")
        return self.manager

    def score_state(self) -> str:
        """pending | running | done | failed: the evaluation behind the score layers."""
        if self.score_job is None:
            return "pending"
        job = self.jobs.get(self.score_job)
        if job.state == "done" and self.scores.folder is None:
            self.scores.set_folder(job.out_dir)
        return "pending" if job.state == "queued" else job.state


def get_state(request: Request) -> WebState:
    state: WebState = request.app.state.web
    return state


StateDep = Annotated[WebState, Depends(get_state)]


def get_settings(state: StateDep) -> Settings:
    return state.settings


def get_jobs(state: StateDep) -> JobManager:
    """The running job manager (503 before startup)."""
    return state.jobs


def get_dataset() -> Dataset:
    """The bundled China dataset (loaded once per process)."""
    return load_china()


SettingsDep = Annotated[Settings, Depends(get_settings)]
JobsDep = Annotated[JobManager, Depends(get_jobs)]
DatasetDep = Annotated[Dataset, Depends(get_dataset)]

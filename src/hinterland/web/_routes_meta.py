"""Routes of the page shell, the API reference and ``/api/health`` (tag ``meta``)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from hinterland import __version__
from hinterland.web._deps import StateDep
from hinterland.web._models import JOB_KINDS, Health

__all__ = ["STATIC_DIR", "router"]

STATIC_DIR = Path(__file__).parent / "static"
router = APIRouter(tags=["meta"])


@router.get("/", include_in_schema=False)
def index() -> FileResponse:
    return FileResponse(STATIC_DIR / "index.html", media_type="text/html")


@router.get("/docs", include_in_schema=False)
def docs() -> FileResponse:
    return FileResponse(STATIC_DIR / "api.html", media_type="text/html")


@router.get("/api/health", response_model=Health)
def health(state: StateDep) -> Health:
    """Version, which job kinds exist, whether the result store and scenario library are there."""
    return Health(
        version=__version__,
        kinds={k: k in state.runners for k in JOB_KINDS},
        store_available=state.store.available,
        scenario_library=True,
        scores=state.score_state(),
    )

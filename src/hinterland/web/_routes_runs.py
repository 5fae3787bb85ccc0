"""Routes of the workspace's result store: runs, one run, its tables, the diff of two (tag ``runs``)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator

from fastapi import APIRouter, Query

from hinterland.errors import UnknownIdError
from hinterland.plan import RunStore
from hinterland.web._deps import ApiError, SettingsDep, StateDep, WebState
from hinterland.web._models import RunDetail, RunDiff, RunList, RunTable
from hinterland.web._store import StoreUnavailable, jsonable

__all__ = ["router"]

router = APIRouter(prefix="/api/runs", tags=["runs"])
_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,127}$")
_TABLE = re.compile(r"[A-Za-z0-9_.\-]{1,80}")


@contextlib.contextmanager
def _store(state: WebState) -> Iterator[RunStore]:
    """The store for one request: unknown ids answer 404, a store that cannot be opened 503."""
    try:
        with state.store.session() as store:
            yield store
    except StoreUnavailable as exc:
        raise ApiError(503, f"store not available: {exc}") from exc
    except UnknownIdError:
        raise
    except LookupError as exc:
        raise ApiError(404, str(exc)) from exc


def _run_id(value: str) -> str:
    if not _RUN_ID.fullmatch(value):
        raise ApiError(404, f"unknown run {value[:80]!r} (ids are letters, digits, _.:-)")
    return value


@router.get("", response_model=RunList, responses={503: {"description": "no store"}})
def runs(state: StateDep) -> RunList:
    """Runs in the workspace's result store."""
    with _store(state) as store:
        rows = jsonable(store.list_runs())
    return RunList(runs=[r if isinstance(r, dict) else {"value": r} for r in rows])


@router.get("/diff", response_model=RunDiff)
def diff(
    state: StateDep, a: str = Query(..., max_length=128), b: str = Query(..., max_length=128)
) -> RunDiff:
    """Compare two runs (config, inputs, results) as the store reports it."""
    ids = _run_id(a), _run_id(b)
    with _store(state) as store:
        res = jsonable(store.diff_runs(*ids))
    return RunDiff(a=a, b=b, diff=res if isinstance(res, dict) else {"rows": res})


@router.get("/{rid}", response_model=RunDetail)
def run(rid: str, state: StateDep) -> RunDetail:
    """One run: config, input hashes, code version, seeds, timings, tables."""
    run_id = _run_id(rid)
    with _store(state) as store:
        res = jsonable(store.get_run(run_id))
    return RunDetail(id=rid, run=res if isinstance(res, dict) else {"value": res})


@router.get("/{rid}/tables/{name}", response_model=RunTable)
def run_table(
    rid: str, name: str, state: StateDep, settings: SettingsDep, limit: int = Query(1000, ge=1, le=100000)
) -> RunTable:
    """A result table of a run (rows capped by ``limit`` and the server's max_table_rows)."""
    if not _TABLE.fullmatch(name):
        raise ApiError(404, f"unknown table {name[:80]!r}")
    run_id = _run_id(rid)
    with _store(state) as store:
        df = store.read_table(run_id, name)
    cap = min(limit, settings.max_table_rows)
    frame = df.reset_index() if any(n is not None for n in df.index.names) else df
    head = frame.head(cap)
    return RunTable(
        run=rid,
        table=name,
        columns=[str(c) for c in head.columns],
        rows=jsonable(head.to_numpy().tolist()),
        total_rows=len(frame),
        truncated=len(frame) > cap,
    )

"""The FastAPI application: REST API under /api, the dashboard page at /, API reference at /docs."""

from __future__ import annotations

import inspect
import re
import secrets
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Body, FastAPI, Query, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hinterland import __version__
from hinterland.containers import Dataset
from hinterland.datasets import load_china, load_china_mrio
from hinterland.errors import ConfigError, HinterlandError, UnknownIdError
from hinterland.web._data import (
    SCORE_OPTIONS,
    ScoreCache,
    geometry,
    indicator_values,
    layer_catalogue,
    region_records,
)
from hinterland.web._jobs import Job, JobManager
from hinterland.web._models import (
    JOB_KINDS,
    GenericOptions,
    Health,
    IndicatorLayer,
    JobInfo,
    JobList,
    JobRequest,
    LayerCatalogue,
    LayerInfo,
    LayerValue,
    OutputFile,
    OutputList,
    Region,
    RegionList,
    RunDetail,
    RunDiff,
    RunList,
    RunTable,
    ScenarioError,
    ScenarioInfo,
    ScenarioList,
    ScenarioText,
    ScenarioValidation,
    ShockOptions,
)
from hinterland.web._runners import BUILTIN_TARGETS, CANDIDATES, check_generic_options, find_function
from hinterland.web._scenarios import library, library_text, validate_scenario
from hinterland.web._settings import Settings, is_loopback
from hinterland.web._store import StoreAccess, jsonable

__all__ = ["STATIC_DIR", "create_app"]

STATIC_DIR = Path(__file__).parent / "static"
_JOB_ID = re.compile(r"^[0-9a-f]{12}$")
_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,127}$")
_PUBLIC = ("/", "/docs", "/openapi.json", "/favicon.ico")
_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)


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
        # read the whole body first (it is small by construction), so the limit holds for chunked
        # uploads too and no handler ever sees a truncated body
        chunks: list[bytes] = []
        total = 0
        if scope["method"] in ("GET", "HEAD", "DELETE", "OPTIONS"):
            await self.app(scope, receive, send)
            return
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


def _err(status: int, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


class ApiError(Exception):
    def __init__(self, status: int, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.headers = headers


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app. Startup opens the job manager and queues the evaluation behind the score layers."""
    settings = settings or Settings()
    workspace = Path(settings.workspace)
    state: dict[str, Any] = {}
    scores = ScoreCache()
    store = StoreAccess(settings.store_path)

    def jobs() -> JobManager:
        manager = state.get("jobs")
        if manager is None:
            raise ApiError(503, "the job manager is not running (the app has not started)")
        return manager  # type: ignore[no-any-return]

    def ds() -> Dataset:
        return load_china()

    def score_state() -> str:
        job_id = state.get("score_job")
        if job_id is None:
            return "pending"
        job = jobs().get(job_id)
        if job.state == "done" and scores.folder is None:
            scores.set_folder(job.out_dir)
        return "pending" if job.state == "queued" else job.state

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> Any:
        workspace.mkdir(parents=True, exist_ok=True)
        manager = JobManager(settings.jobs_dir, settings.max_workers)
        state["jobs"] = manager
        load_china()
        if settings.warm_scores:
            previous = [
                j
                for j in manager.list()
                if j.kind == "scores" and j.state == "done" and j.options == SCORE_OPTIONS
            ]
            job = (
                previous[0]
                if previous
                else manager.submit("scores", BUILTIN_TARGETS["evaluate"], SCORE_OPTIONS)
            )
            state["score_job"] = job.id
        try:
            yield
        finally:
            manager.shutdown()

    app = FastAPI(
        title="hinterland API",
        version=__version__,
        description=(
            "Decision support for China's national strategic hinterland (国家战略腹地): regions, indicator "
            "and score layers, scenario validation, background runs (evaluate, network, reserves, shock, "
            "backup, plan) with progress and cancel, downloads, and the result store. With a token, every "
            "/api request needs `Authorization: Bearer TOKEN`."
        ),
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )

    # -- middleware: security headers, token, size limit, host check --------------------------------
    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        path = request.url.path
        if settings.token and not (path in _PUBLIC or path.startswith("/static/")):
            auth = request.headers.get("authorization", "")
            scheme, _, given = auth.partition(" ")
            if scheme.lower() != "bearer" or not secrets.compare_digest(given.strip(), settings.token):
                return _err(
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

    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)
    hosts = list(settings.allowed_hosts)
    if not hosts and is_loopback(settings.host):
        hosts = ["127.0.0.1", "localhost", "[::1]", "::1", settings.host]
    if hosts:  # against DNS rebinding: a loopback server only answers to loopback host names
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=hosts)

    @app.exception_handler(ApiError)
    async def _api_error(_r: Request, exc: ApiError) -> JSONResponse:
        return _err(exc.status, exc.detail, exc.headers)

    @app.exception_handler(UnknownIdError)
    async def _unknown(_r: Request, exc: UnknownIdError) -> JSONResponse:
        return _err(404, str(exc))

    @app.exception_handler(HinterlandError)
    async def _bad(_r: Request, exc: HinterlandError) -> JSONResponse:
        return _err(422, str(exc))

    # -- page and reference ----------------------------------------------------------------------
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html")

    @app.get("/docs", include_in_schema=False)
    def docs() -> FileResponse:
        return FileResponse(STATIC_DIR / "api.html", media_type="text/html")

    # -- meta ------------------------------------------------------------------------------------
    @app.get("/api/health", response_model=Health, tags=["meta"])
    def health() -> Health:
        """Version, which job kinds exist, whether the result store and scenario library are there."""
        kinds = {
            k: (k in BUILTIN_TARGETS or k in settings.runners or find_function(k) is not None)
            for k in JOB_KINDS
        }
        available, _ = library()
        return Health(
            version=__version__,
            kinds=kinds,
            store_available=store.available,
            scenario_library=available,
            scores=score_state(),
        )

    # -- data ------------------------------------------------------------------------------------
    @app.get("/api/regions", response_model=RegionList, tags=["data"])
    def regions() -> RegionList:
        """The 31 provincial-level regions: adcode, Chinese and English names, role."""
        return RegionList(regions=[Region(**r) for r in region_records(ds())])

    @app.get("/api/regions/{region}", response_model=Region, tags=["data"])
    def region(region: str) -> Region:
        """One region by adcode, Chinese or English name (unknown → 404 with close matches)."""
        if len(region) > 64:
            raise ApiError(404, "unknown region (name longer than 64 characters)")
        code = ds().regions.resolve(region)
        return Region(**next(r for r in region_records(ds()) if r["id"] == code))

    @app.get("/api/layers", response_model=LayerCatalogue, tags=["data"])
    def layers() -> LayerCatalogue:
        """Map layers: indicators of the bundled panel and (once computed) evaluation scores."""
        st = score_state()
        items = [LayerInfo(**x) for x in layer_catalogue(ds())]
        if st == "done":
            items += [LayerInfo(**x) for x in scores.layers()]
        return LayerCatalogue(layers=items, scores_state=st)

    @app.get("/api/layers/indicator/{indicator}", response_model=IndicatorLayer, tags=["data"])
    def indicator_layer(
        indicator: str, year: int | None = Query(None, ge=1900, le=2100, description="default: latest")
    ) -> IndicatorLayer:
        """Values of one indicator per region for a year (unknown indicator or year → 404)."""
        if len(indicator) > 80:
            raise ApiError(404, "unknown indicator (id longer than 80 characters)")
        y, values = indicator_values(ds(), indicator, year)
        info = next(x for x in layer_catalogue(ds()) if x["id"] == indicator)
        src = str(ds().panel.catalogue.at[indicator, "source_id"])
        return IndicatorLayer(
            layer=LayerInfo(**info),
            year=y,
            values=[LayerValue(region=r, value=v) for r, v in values],
            source=src,
        )

    @app.get(
        "/api/layers/score/{layer}",
        response_model=IndicatorLayer,
        tags=["data"],
        responses={503: {"description": "scores still being computed (Retry-After)"}},
    )
    def score_layer(layer: str) -> IndicatorLayer:
        """Evaluation scores (composite, rank, dimensions) from the evaluation run at startup."""
        st = score_state()
        if st in ("pending", "running"):
            raise ApiError(
                503,
                f"score layers are being computed (evaluation job {st}); retry shortly",
                {"Retry-After": "2"},
            )
        if st != "done":
            job = jobs().get(state["score_job"])
            raise ApiError(500, f"the evaluation behind the score layers failed: {job.error}")
        values = scores.values(layer)
        info = next(x for x in scores.layers() if x["id"] == layer)
        return IndicatorLayer(
            layer=LayerInfo(**info),
            year=None,
            values=[LayerValue(region=r, value=v) for r, v in values],
            source="hinterland evaluate (entropy weights, TOPSIS)",
        )

    @app.get("/api/geometry", tags=["data"])
    def geo(
        tolerance: float = Query(0.02, ge=0, le=0.5, description="simplification tolerance in degrees"),
    ) -> JSONResponse:
        """Province boundaries as a GeoJSON FeatureCollection (WGS84 lon/lat), simplified."""
        return JSONResponse(geometry(ds(), round(tolerance, 4)))

    # -- scenarios -------------------------------------------------------------------------------
    @app.get("/api/scenarios", response_model=ScenarioList, tags=["scenarios"])
    def scenarios() -> ScenarioList:
        """The economy engine's scenario library (empty with available=false until it exists)."""
        available, items = library()
        note = "" if available else "hinterland.economy.list_scenarios is not available in this build"
        return ScenarioList(available=available, scenarios=[ScenarioInfo(**i) for i in items], note=note)

    @app.get("/api/scenarios/{name}", tags=["scenarios"], response_class=Response)
    def scenario_text(name: str) -> Response:
        """A library scenario's YAML (to start the editor from)."""
        _, items = library()
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,79}", name) or name not in {
            i["name"] for i in items
        }:
            known = ", ".join(i["name"] for i in items) or "none"
            raise ApiError(404, f"unknown scenario {name[:80]!r}; library: {known}")
        text = library_text(name)
        if text is None:
            raise ApiError(404, f"scenario {name!r} has no YAML file in the library")
        return Response(text, media_type="application/yaml")

    @app.post("/api/scenarios/validate", response_model=ScenarioValidation, tags=["scenarios"])
    def validate(body: ScenarioText) -> ScenarioValidation:
        """Validate scenario YAML: syntax, duplicate keys, region ids, and the economy engine's schema
        when present. Errors carry key paths (``shocks[0].region``) and line numbers."""
        if len(body.yaml.encode("utf-8")) > settings.max_scenario_bytes:
            raise ApiError(413, f"scenario larger than {settings.max_scenario_bytes} bytes")
        res = validate_scenario(body.yaml, ds(), load_china_mrio)
        return ScenarioValidation(
            valid=res["valid"],
            errors=[ScenarioError(**e) for e in res["errors"]],
            checks=res["checks"],
            summary=res["summary"],
        )

    # -- jobs ------------------------------------------------------------------------------------
    def job_info(job: Job) -> JobInfo:
        stage, fraction = job.progress()
        return JobInfo(
            id=job.id,
            kind=job.kind,
            state=job.state,  # type: ignore[arg-type]
            stage=stage,
            fraction=fraction,
            error=job.error,
            options=job.options.get("request", job.options) if isinstance(job.options, dict) else {},
            created=job.created,
            started=job.started,
            finished=job.finished,
            outputs=f"/api/jobs/{job.id}/outputs",
        )

    def get_job(job_id: str) -> Job:
        if not _JOB_ID.fullmatch(job_id):
            raise ApiError(404, f"unknown job {job_id[:40]!r}: job ids are 12 hex digits (see GET /api/jobs)")
        return jobs().get(job_id)

    def _check_size(text: str | None, what: str) -> None:
        if text is not None and len(text.encode("utf-8")) > settings.max_scenario_bytes:
            raise ApiError(413, f"{what} larger than {settings.max_scenario_bytes} bytes")

    def _plan_submission(kind: str, opts: Any) -> tuple[str, dict[str, Any], dict[str, str]]:
        found = find_function(kind)
        if found is None:
            wanted = " or ".join(CANDIDATES[kind])
            raise ApiError(
                404,
                f"job kind {kind!r} is not available in this build: {wanted} does not exist yet. "
                f"Available kinds: {', '.join(k for k in JOB_KINDS if k in BUILTIN_TARGETS)}",
            )
        target, fn = found
        files: dict[str, str] = {}
        kwargs: dict[str, Any] = {}
        links: dict[str, str] = {}
        if isinstance(opts, ShockOptions):
            if (opts.scenario is None) == (opts.scenario_yaml is None):
                raise ConfigError(
                    "job kind 'shock': give exactly one of options.scenario or options.scenario_yaml"
                )
            _check_size(opts.scenario_yaml, "scenario_yaml")
            if opts.scenario is not None:
                available, items = library()
                if available and opts.scenario not in {i["name"] for i in items}:
                    raise UnknownIdError(
                        f"unknown scenario {opts.scenario!r}; library: {', '.join(i['name'] for i in items)}"
                    )
                kwargs["scenario"] = opts.scenario
            else:
                files["scenario.yaml"] = opts.scenario_yaml or ""
                links["scenario"] = "scenario.yaml"
            kwargs.update(
                {
                    k: v
                    for k, v in (("model", opts.model), ("draws", opts.draws), ("seed", opts.seed))
                    if v is not None
                }
            )
            check_generic_options(kind, fn, {k: v for k, v in kwargs.items() if k != "scenario"})
        elif isinstance(opts, GenericOptions):
            _check_size(opts.config_yaml, "config_yaml")
            check_generic_options(kind, fn, opts.options)
            kwargs.update(opts.options)
            if opts.config_yaml is not None:
                files["config.yaml"] = opts.config_yaml
                links["config"] = "config.yaml"
        params = inspect.signature(fn).parameters
        for key in (*kwargs, *links):
            if key not in params:
                raise ConfigError(f"job kind {kind!r}: {target} takes no {key!r} parameter")
        return target, {"function": target, "kwargs": kwargs, "files": links}, files

    @app.post("/api/jobs", response_model=JobInfo, status_code=201, tags=["jobs"])
    def submit(request: JobRequest = Body(...)) -> JobInfo:  # noqa: B008
        """Start a background run. kind: evaluate | network | reserves | shock | backup | plan; options are
        validated per kind. Kinds whose report function does not exist yet answer 404 naming it."""
        kind = request.kind
        opts = request.options
        user = opts.model_dump(exclude_none=True)
        if kind in settings.runners:
            job = jobs().submit(kind, settings.runners[kind], {**opts.model_dump(), "request": user})
        elif kind in BUILTIN_TARGETS:
            job = jobs().submit(kind, BUILTIN_TARGETS[kind], opts.model_dump())
        else:
            _, worker_opts, files = _plan_submission(kind, opts)
            worker_opts["store"] = str(settings.store_path)  # plans record their runs in the workspace
            job = jobs().submit(
                kind, "hinterland.web._runners:run_generic", {**worker_opts, "request": user}, files
            )
        return job_info(job)

    @app.get("/api/jobs", response_model=JobList, tags=["jobs"])
    def list_jobs() -> JobList:
        """All jobs, newest first (including those of earlier server sessions in this workspace)."""
        return JobList(jobs=[job_info(j) for j in jobs().list()])

    @app.get("/api/jobs/{job_id}", response_model=JobInfo, tags=["jobs"])
    def job_status(job_id: str) -> JobInfo:
        """State and progress (stage, fraction) of one job."""
        return job_info(get_job(job_id))

    @app.delete("/api/jobs/{job_id}", response_model=JobInfo, tags=["jobs"])
    def cancel(job_id: str) -> JobInfo:
        """Cancel a queued or running job (its process is terminated; files written so far are kept).
        A job that already finished answers 409."""
        job = get_job(job_id)
        if job.state in ("done", "failed", "cancelled"):
            raise ApiError(409, f"job {job_id} already {job.state}; nothing to cancel")
        return job_info(jobs().cancel(job_id))

    def _outputs(job: Job) -> list[Path]:
        root = job.out_dir.resolve()
        if not root.is_dir():
            return []
        return sorted(
            p
            for p in root.rglob("*")
            if p.is_file() and not p.is_symlink() and p.resolve().is_relative_to(root)
        )

    @app.get("/api/jobs/{job_id}/outputs", response_model=OutputList, tags=["jobs"])
    def outputs(job_id: str) -> OutputList:
        """Files the job wrote (also while it runs, and after a cancel)."""
        job = get_job(job_id)
        root = job.out_dir.resolve()
        files = [
            OutputFile(
                path=p.relative_to(root).as_posix(),
                size=p.stat().st_size,
                url=f"/api/jobs/{job.id}/outputs/{p.relative_to(root).as_posix()}",
            )
            for p in _outputs(job)
        ]
        return OutputList(job=job.id, files=files)

    @app.get("/api/jobs/{job_id}/outputs/{path:path}", tags=["jobs"], response_class=FileResponse)
    def download(job_id: str, path: str) -> FileResponse:
        """Download one output file; paths outside the job's output folder answer 404."""
        job = get_job(job_id)
        root = job.out_dir.resolve()
        if len(path) > 500 or "\x00" in path or "\\" in path:
            raise ApiError(404, f"no output {path[:80]!r} in job {job_id}")
        target = (root / path).resolve()
        if not target.is_relative_to(root) or not target.is_file() or target == root:
            raise ApiError(404, f"no output {path[:80]!r} in job {job_id} (see {job_id}/outputs)")
        return FileResponse(target, filename=target.name)

    # -- runs (result store) ---------------------------------------------------------------------
    def store_call(method: str, *args: Any) -> Any:
        try:
            return store.call(method, *args)
        except LookupError as exc:
            if isinstance(exc, UnknownIdError):
                raise
            if str(exc) == "store not available":
                raise ApiError(
                    503, "store not available: hinterland.plan.RunStore does not exist in this build"
                ) from exc
            raise ApiError(404, str(exc)) from exc

    def run_id(value: str) -> str:
        if not _RUN_ID.fullmatch(value):
            raise ApiError(404, f"unknown run {value[:80]!r} (ids are letters, digits, _.:-)")
        return value

    @app.get("/api/runs", response_model=RunList, tags=["runs"], responses={503: {"description": "no store"}})
    def runs() -> RunList:
        """Runs in the workspace's result store."""
        rows = jsonable(store_call("list_runs"))
        return RunList(runs=[r if isinstance(r, dict) else {"value": r} for r in rows])

    @app.get("/api/runs/diff", response_model=RunDiff, tags=["runs"])
    def diff(a: str = Query(..., max_length=128), b: str = Query(..., max_length=128)) -> RunDiff:
        """Compare two runs (config, inputs, results) as the store reports it."""
        res = jsonable(store_call("diff_runs", run_id(a), run_id(b)))
        return RunDiff(a=a, b=b, diff=res if isinstance(res, dict) else {"rows": res})

    @app.get("/api/runs/{rid}", response_model=RunDetail, tags=["runs"])
    def run(rid: str) -> RunDetail:
        """One run: config, input hashes, code version, seeds, timings, tables."""
        res = jsonable(store_call("get_run", run_id(rid)))
        if res is None:
            raise ApiError(404, f"unknown run {rid!r}")
        return RunDetail(id=rid, run=res if isinstance(res, dict) else {"value": res})

    @app.get("/api/runs/{rid}/tables/{name}", response_model=RunTable, tags=["runs"])
    def run_table(rid: str, name: str, limit: int = Query(1000, ge=1, le=100000)) -> RunTable:
        """A result table of a run (rows capped by ``limit`` and the server's max_table_rows)."""
        if not re.fullmatch(r"[A-Za-z0-9_.\-]{1,80}", name):
            raise ApiError(404, f"unknown table {name[:80]!r}")
        df = store_call("read_table", run_id(rid), name)
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

    app.state.settings = settings
    app.state.jobs = lambda: state.get("jobs")
    return app

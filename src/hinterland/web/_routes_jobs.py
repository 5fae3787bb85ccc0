"""Routes of the background jobs: submit, list, status, cancel, outputs and downloads (tag ``jobs``)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Body
from fastapi.responses import FileResponse

from hinterland.errors import ConfigError, UnknownIdError
from hinterland.web._deps import ApiError, JobsDep, StateDep
from hinterland.web._jobs import Job, JobManager
from hinterland.web._models import (
    GenericOptions,
    JobInfo,
    JobList,
    JobRequest,
    OutputFile,
    OutputList,
    ShockOptions,
)
from hinterland.web._runners import check_options
from hinterland.web._scenarios import library
from hinterland.web._settings import Settings

__all__ = ["router"]

router = APIRouter(prefix="/api/jobs", tags=["jobs"])
_JOB_ID = re.compile(r"^[0-9a-f]{12}$")


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


def _get(jobs: JobManager, job_id: str) -> Job:
    if not _JOB_ID.fullmatch(job_id):
        raise ApiError(404, f"unknown job {job_id[:40]!r}: job ids are 12 hex digits (see GET /api/jobs)")
    return jobs.get(job_id)


def _check_size(text: str | None, what: str, limit: int) -> None:
    if text is not None and len(text.encode("utf-8")) > limit:
        raise ApiError(413, f"{what} larger than {limit} bytes")


def _shock_job(opts: ShockOptions, settings: Settings) -> tuple[dict[str, Any], dict[str, str]]:
    """Worker options and posted files of a shock job: a library scenario or posted YAML."""
    if (opts.scenario is None) == (opts.scenario_yaml is None):
        raise ConfigError("job kind 'shock': give exactly one of options.scenario or options.scenario_yaml")
    _check_size(opts.scenario_yaml, "scenario_yaml", settings.max_scenario_bytes)
    kwargs: dict[str, Any] = {}
    files: dict[str, str] = {}
    links: dict[str, str] = {}
    if opts.scenario is not None:
        names = [i["name"] for i in library()]
        if opts.scenario not in names:
            raise UnknownIdError(f"unknown scenario {opts.scenario!r}; library: {', '.join(names)}")
        kwargs["scenario"] = opts.scenario
    else:
        files["scenario.yaml"] = opts.scenario_yaml or ""
        links["scenario"] = "scenario.yaml"
    options = {
        k: v for k, v in (("model", opts.model), ("draws", opts.draws), ("seed", opts.seed)) if v is not None
    }
    check_options("shock", options, server_set=["scenario"])
    kwargs.update(options)
    return {"kwargs": kwargs, "files": links}, files


def _report_job(kind: str, opts: GenericOptions, settings: Settings) -> tuple[dict[str, Any], dict[str, str]]:
    """Worker options and posted files of a backup or plan job (keyword options + config YAML)."""
    _check_size(opts.config_yaml, "config_yaml", settings.max_scenario_bytes)
    files: dict[str, str] = {}
    links: dict[str, str] = {}
    if opts.config_yaml is not None:
        files["config.yaml"] = opts.config_yaml
        links["config"] = "config.yaml"
    check_options(kind, opts.options, server_set=links)
    # plans record their runs in the workspace's store
    return {"kwargs": dict(opts.options), "files": links, "store": str(settings.store_path)}, files


@router.post("", response_model=JobInfo, status_code=201)
def submit(state: StateDep, jobs: JobsDep, request: JobRequest = Body(...)) -> JobInfo:  # noqa: B008
    """Start a background run. kind: evaluate | network | reserves | shock | backup | plan; options are
    validated per kind (for shock, backup and plan against the report function's parameters)."""
    kind, opts, settings = request.kind, request.options, state.settings
    user = opts.model_dump(exclude_none=True)
    files: dict[str, str] = {}
    if kind in settings.runners:
        options = {**opts.model_dump(), "request": user}
    elif isinstance(opts, ShockOptions):
        options, files = _shock_job(opts, settings)
        options["request"] = user
    elif isinstance(opts, GenericOptions):
        options, files = _report_job(kind, opts, settings)
        options["request"] = user
    else:
        options = opts.model_dump()
    return job_info(jobs.submit(kind, state.runners[kind], options, files))


@router.get("", response_model=JobList)
def list_jobs(jobs: JobsDep) -> JobList:
    """All jobs, newest first (including those of earlier server sessions in this workspace)."""
    return JobList(jobs=[job_info(j) for j in jobs.list()])


@router.get("/{job_id}", response_model=JobInfo)
def job_status(job_id: str, jobs: JobsDep) -> JobInfo:
    """State and progress (stage, fraction) of one job."""
    return job_info(_get(jobs, job_id))


@router.delete("/{job_id}", response_model=JobInfo)
def cancel(job_id: str, jobs: JobsDep) -> JobInfo:
    """Cancel a queued or running job (its process is terminated; files written so far are kept).
    A job that already finished answers 409."""
    job = _get(jobs, job_id)
    if job.state in ("done", "failed", "cancelled"):
        raise ApiError(409, f"job {job_id} already {job.state}; nothing to cancel")
    return job_info(jobs.cancel(job_id))


def _outputs(job: Job) -> list[Path]:
    root = job.out_dir.resolve()
    if not root.is_dir():
        return []
    return sorted(
        p for p in root.rglob("*") if p.is_file() and not p.is_symlink() and p.resolve().is_relative_to(root)
    )


@router.get("/{job_id}/outputs", response_model=OutputList)
def outputs(job_id: str, jobs: JobsDep) -> OutputList:
    """Files the job wrote (also while it runs, and after a cancel)."""
    job = _get(jobs, job_id)
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


@router.get("/{job_id}/outputs/{path:path}", response_class=FileResponse)
def download(job_id: str, path: str, jobs: JobsDep) -> FileResponse:
    """Download one output file; paths outside the job's output folder answer 404."""
    job = _get(jobs, job_id)
    root = job.out_dir.resolve()
    if len(path) > 500 or "\x00" in path or "\\" in path:
        raise ApiError(404, f"no output {path[:80]!r} in job {job_id}")
    target = (root / path).resolve()
    if not target.is_relative_to(root) or not target.is_file() or target == root:
        raise ApiError(404, f"no output {path[:80]!r} in job {job_id} (see {job_id}/outputs)")
    return FileResponse(target, filename=target.name)

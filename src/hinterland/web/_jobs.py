"""Background jobs: one worker process per run, progress through a file, cancellable.

A job lives in ``<workspace>/jobs/<id>/``: ``job.json`` (kind, options, times), ``progress.json``
(stage, fraction; written by the worker), ``result.json`` (final state and error, written by the
worker), ``log.txt`` (the worker's stdout/stderr) and ``out/`` (the files the report function writes).
The API process never runs model code: it starts processes, reads those files and terminates
processes on cancel. Finished outputs are kept when a job is cancelled.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing as mp
import os
import sys
import threading
import time
import traceback
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, TypeAlias

from hinterland.errors import HinterlandError, UnknownIdError

__all__ = [
    "FINAL_STATES",
    "Job",
    "JobManager",
    "ProgressReporter",
    "Runner",
    "job_main",
    "read_json",
    "write_json",
]

FINAL_STATES = ("done", "failed", "cancelled")
_JOB_ID_LEN = 12


def write_json(path: Path, data: Mapping[str, Any]) -> None:
    """Write atomically (temp file + rename) so readers never see half a file."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, default=str), encoding="utf-8")
    tmp.replace(path)


def read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


class ProgressReporter:
    """Given to runners in the worker: ``set(stage, fraction)`` or call with a message (the report
    functions' ``progress`` callback), which advances the fraction towards ``expected`` messages."""

    def __init__(self, path: Path, expected: int = 5) -> None:
        self.path = path
        self.expected = max(1, expected)
        self.count = 0

    def set(self, stage: str, fraction: float) -> None:
        write_json(self.path, {"stage": stage, "fraction": max(0.0, min(1.0, float(fraction)))})

    def __call__(self, message: str) -> None:
        self.count += 1
        self.set(message, min(0.95, self.count / (self.expected + 1)))


Runner: TypeAlias = Callable[[Path, dict[str, Any], ProgressReporter], None]
"""What a job runs in its worker process: ``runner(out, options, progress)``. A top-level function, so
the spawned process receives it by reference (module and name)."""


def _runner_name(runner: Runner) -> str:
    """``module:function`` of a runner (recorded in ``job.json``)."""
    name = getattr(runner, "__qualname__", type(runner).__qualname__)
    return f"{runner.__module__}:{name}"


def job_main(runner: Runner, options: dict[str, Any], folder: str) -> None:
    """Worker process entry: run ``runner(out, options, progress)`` and record the outcome."""
    root = Path(folder)
    out = root / "out"
    out.mkdir(parents=True, exist_ok=True)
    log = (root / "log.txt").open("a", encoding="utf-8", buffering=1)
    sys.stdout = sys.stderr = log
    reporter = ProgressReporter(root / "progress.json")
    reporter.set("starting", 0.0)
    result: dict[str, Any]
    try:
        runner(out, options, reporter)
    except HinterlandError as exc:
        result = {"state": "failed", "error": str(exc)}
    except Exception as exc:  # a bug: keep the traceback in the log, say where it is
        traceback.print_exc()
        result = {"state": "failed", "error": f"internal error {type(exc).__name__}: {exc} (see log.txt)"}
    else:
        reporter.set("finished", 1.0)
        result = {"state": "done", "error": None}
    result["finished"] = time.time()
    write_json(root / "result.json", result)
    log.flush()


@dataclass
class Job:
    """One background run (state: queued, running, done, failed, cancelled).

    ``target`` names the runner (``module:function``); ``runner`` is the function itself, held only by
    the session that submitted the job (jobs of earlier sessions are listed, never run again).
    """

    id: str
    kind: str
    target: str
    options: dict[str, Any]
    folder: Path
    state: str = "queued"
    error: str | None = None
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    process: BaseProcess | None = None
    runner: Runner | None = field(default=None, repr=False, compare=False)

    @property
    def out_dir(self) -> Path:
        return self.folder / "out"

    def progress(self) -> tuple[str, float]:
        if self.state == "done":
            return "finished", 1.0
        p = read_json(self.folder / "progress.json")
        stage = str(p.get("stage", self.state))
        fraction = float(p.get("fraction", 0.0))
        return stage, fraction

    def meta(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "target": self.target,
            "options": self.options,
            "state": self.state,
            "error": self.error,
            "created": self.created,
            "started": self.started,
            "finished": self.finished,
        }


class JobManager:
    """Queue of jobs run in worker processes (at most ``max_workers`` at a time).

    A pump thread starts queued jobs and reaps finished ones; ``cancel`` terminates the process.
    Jobs of earlier sessions found in ``jobs_dir`` are listed (read-only) so their outputs stay
    downloadable.
    """

    def __init__(self, jobs_dir: Path, max_workers: int = 1, poll_s: float = 0.1) -> None:
        self.jobs_dir = Path(jobs_dir)
        self.jobs_dir.mkdir(parents=True, exist_ok=True)
        self.max_workers = max_workers
        self.poll_s = poll_s
        self._jobs: dict[str, Job] = {}
        self._lock = threading.RLock()
        self._ctx = mp.get_context("spawn")
        self._stop = threading.Event()
        self._load_previous()
        self._thread = threading.Thread(target=self._pump, name="hinterland-jobs", daemon=True)
        self._thread.start()

    # -- public -------------------------------------------------------------------------------
    def submit(
        self, kind: str, runner: Runner, options: Mapping[str, Any], files: Mapping[str, str] = {}
    ) -> Job:
        """Queue ``runner(out, options, progress)``; ``files`` (name → text) are written into the job
        folder first."""
        job_id = uuid.uuid4().hex[:_JOB_ID_LEN]
        folder = self.jobs_dir / job_id
        (folder / "out").mkdir(parents=True)
        for name, text in files.items():
            (folder / Path(name).name).write_text(text, encoding="utf-8")
        job = Job(job_id, kind, _runner_name(runner), dict(options), folder, runner=runner)
        with self._lock:
            self._jobs[job_id] = job
            self._save(job)
        self._tick()
        return job

    def get(self, job_id: str) -> Job:
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None:
            raise UnknownIdError(f"unknown job {job_id!r}. Fix: list jobs with GET /api/jobs.")
        self._refresh(job)
        return job

    def list(self) -> list[Job]:
        with self._lock:
            jobs = list(self._jobs.values())
        for job in jobs:
            self._refresh(job)
        return sorted(jobs, key=lambda j: j.created, reverse=True)

    def cancel(self, job_id: str) -> Job:
        job = self.get(job_id)
        with self._lock:
            if job.state in FINAL_STATES:
                return job
            proc = job.process
            job.state = "cancelled"
            job.error = "cancelled by request; files written so far are kept"
            job.finished = time.time()
        if proc is not None and proc.is_alive():
            proc.terminate()
            proc.join(5)
            if proc.is_alive():
                proc.kill()
                proc.join(5)
        with self._lock:
            self._save(job)
        return job

    def wait(self, job_id: str, timeout: float = 60.0) -> Job:
        """Block until the job is final (for tests and scripts)."""
        end = time.monotonic() + timeout
        while True:
            job = self.get(job_id)
            if job.state in FINAL_STATES or time.monotonic() > end:
                return job
            time.sleep(self.poll_s)

    def shutdown(self) -> None:
        """Stop the pump and terminate running workers (their jobs are marked cancelled)."""
        self._stop.set()
        with self._lock:
            running = [j for j in self._jobs.values() if j.state in ("running", "queued")]
        for job in running:
            self.cancel(job.id)
        self._thread.join(2)

    # -- internals ----------------------------------------------------------------------------
    def _save(self, job: Job) -> None:
        write_json(job.folder / "job.json", job.meta())

    def _load_previous(self) -> None:
        for meta_path in sorted(self.jobs_dir.glob("*/job.json")):
            meta = read_json(meta_path)
            if not meta.get("id") or meta["id"] != meta_path.parent.name:
                continue
            job = Job(
                id=str(meta["id"]),
                kind=str(meta.get("kind", "?")),
                target=str(meta.get("target", "")),
                options=dict(meta.get("options") or {}),
                folder=meta_path.parent,
                state=str(meta.get("state", "failed")),
                error=meta.get("error"),
                created=float(meta.get("created") or 0.0),
                started=meta.get("started"),
                finished=meta.get("finished"),
            )
            if job.state not in FINAL_STATES:
                result = read_json(job.folder / "result.json")
                job.state = str(result.get("state", "failed"))
                job.error = result.get("error") or "interrupted: the server stopped while this job ran"
            self._jobs[job.id] = job

    def _refresh(self, job: Job) -> None:
        with self._lock:
            proc = job.process
            if job.state != "running" or proc is None or proc.is_alive():
                return
            proc.join(0)
            result = read_json(job.folder / "result.json")
            if result.get("state") in FINAL_STATES:
                job.state = str(result["state"])
                job.error = result.get("error")
            else:
                job.state = "failed"
                job.error = f"worker process exited with code {proc.exitcode} before finishing"
            job.finished = float(result.get("finished") or time.time())
            job.process = None
            self._save(job)

    def _tick(self) -> None:
        with self._lock:
            jobs = list(self._jobs.values())
            for job in jobs:
                self._refresh(job)
            running = sum(1 for j in jobs if j.state == "running")
            queued = sorted((j for j in jobs if j.state == "queued"), key=lambda j: j.created)
            startable = [j for j in queued if j.runner is not None]
            for job in startable[: max(0, self.max_workers - running)]:
                proc = self._ctx.Process(
                    target=job_main,
                    args=(job.runner, job.options, str(job.folder)),
                    name=f"hinterland-job-{job.id}",
                    daemon=False,  # report functions may start process pools of their own
                )
                proc.start()
                job.process = proc
                job.state = "running"
                job.started = time.time()
                self._save(job)

    def _pump(self) -> None:
        while not self._stop.wait(self.poll_s):
            with contextlib.suppress(Exception):  # never let the pump die; errors show as job states
                self._tick()

"""Ensemble runner: many scenario tasks on one of three backends, checkpointed into the run store.

``run_ensemble(fn, tasks, backend=...)`` calls ``fn(payload)`` for every ``key → payload`` of ``tasks``
and returns the DataFrames by key. Backends:

* ``"inprocess"``: a plain loop in this process (no start-up cost; reference for the benchmark);
* ``"process"``: a local :class:`concurrent.futures.ProcessPoolExecutor` (``spawn`` start method,
  ``workers`` processes). A worker that dies (killed, out of memory) breaks the pool; the runner starts
  a new pool and resubmits the unfinished tasks (at most ``max_restarts`` times);
* ``"dask"``: Dask distributed, on ``scheduler="tcp://host:port"`` (an existing cluster), a
  ``distributed.Client``, or a new ``LocalCluster`` of ``workers`` single-threaded workers
  (``processes=False``: threads inside this process). Dask reschedules the tasks of a dead worker.

With a ``store``, every finished task is written at once as a checkpoint (key ``<stage>/<task key>``,
one transaction) by the driver, so a run killed at any moment loses no finished task, and a rerun
with the same ``run_id`` computes only the missing keys. Ctrl-C or a set ``cancel`` event marks the
run ``interrupted``, keeps what finished and raises :class:`RunInterrupted` naming the run to resume.
``fn`` must be a picklable top-level function returning a DataFrame; payloads must be picklable too.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import logging
import multiprocessing
import os
import pickle
import signal
import threading
import time
from collections.abc import Callable, Generator, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pandas as pd
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from hinterland.errors import ConfigError, HinterlandError, ModelError
from hinterland.plan._store import RunStore, config_hash

__all__ = ["BACKENDS", "EnsembleResult", "RunInterrupted", "run_ensemble"]

BACKENDS = ("inprocess", "process", "dask")
Backend = Literal["inprocess", "process", "dask"]
TaskFn = Callable[[Any], pd.DataFrame]


class RunInterrupted(HinterlandError):
    """An ensemble was cancelled (Ctrl-C or a cancel event); finished tasks are kept in the store."""

    def __init__(self, message: str, run_id: str | None, done: int, total: int) -> None:
        super().__init__(message)
        self.run_id = run_id
        self.done = done
        self.total = total


class _Cancelled(Exception):
    pass


@dataclass(frozen=True)
class EnsembleResult(Mapping[str, pd.DataFrame]):
    """The task frames by key (a read-only mapping, in task order) and how the run went.

    ``computed``: keys computed by this call; ``skipped``: keys taken from checkpoints of an earlier
    attempt; ``seconds``: wall time of this call; ``run_id``: the store run (``None`` without store).
    """

    results: dict[str, pd.DataFrame] = field(repr=False)
    run_id: str | None
    backend: str
    computed: tuple[str, ...]
    skipped: tuple[str, ...]
    seconds: float

    def __getitem__(self, key: str) -> pd.DataFrame:
        return self.results[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.results)

    def __len__(self) -> int:
        return len(self.results)

    def combined(self, level: str = "scenario") -> pd.DataFrame:
        """All frames stacked, the task key as the outer index level ``level``."""
        return _combine(self.results, level)


def _combine(results: Mapping[str, pd.DataFrame], level: str = "scenario") -> pd.DataFrame:
    frames = list(results.values())
    if not frames:
        return pd.DataFrame()
    names = [n for f in frames for n in f.index.names]
    if level in names:
        level = "task"
    return pd.concat(frames, keys=list(results), names=[level])


def _call(fn: TaskFn, key: str, payload: Any) -> tuple[str, pd.DataFrame, float]:
    """Run one task (in whichever process) and time it."""
    t0 = time.perf_counter()
    out = fn(payload)
    return key, out, time.perf_counter() - t0


def _worker_init(threads: int) -> None:
    """Pool initializer: Ctrl-C is handled by the driver only, and compiled/threaded models (ARIO) use
    the worker's share of the CPUs (``HINTERLAND_THREADS``) instead of all of them in every worker."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ["HINTERLAND_THREADS"] = str(threads)


def _payload_hash(payload: Any) -> str:
    try:
        text = json.dumps(payload, sort_keys=True, default=str)
    except (TypeError, ValueError):
        return hashlib.sha256(pickle.dumps(payload)).hexdigest()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- backends (generators of results)

_Result = tuple[str, pd.DataFrame, float]


def _run_inprocess(
    fn: TaskFn, tasks: Mapping[str, Any], keys: list[str], cancel: threading.Event | None
) -> Generator[list[_Result], None, None]:
    for key in keys:
        if cancel is not None and cancel.is_set():
            raise _Cancelled
        yield [_call(fn, key, tasks[key])]


def _terminate_pool(ex: ProcessPoolExecutor) -> None:
    procs = list(getattr(ex, "_processes", None) or {})
    processes = getattr(ex, "_processes", None) or {}
    ex.shutdown(wait=False, cancel_futures=True)
    for pid in procs:
        proc = processes.get(pid)
        if proc is not None and proc.is_alive():
            proc.terminate()


def _run_process(
    fn: TaskFn,
    tasks: Mapping[str, Any],
    keys: list[str],
    cancel: threading.Event | None,
    workers: int,
    max_restarts: int,
) -> Generator[list[_Result], None, None]:
    ctx = multiprocessing.get_context("spawn")
    remaining = list(keys)
    restarts = 0
    while remaining:
        share = max(1, (os.cpu_count() or 1) // max(workers, 1))
        ex = ProcessPoolExecutor(
            max_workers=workers, mp_context=ctx, initializer=_worker_init, initargs=(share,)
        )
        futures: dict[Future[_Result], str] = {ex.submit(_call, fn, k, tasks[k]): k for k in remaining}
        broken = False
        clean = False
        try:
            while futures:
                done, _ = wait(list(futures), timeout=0.2, return_when=FIRST_COMPLETED)
                if cancel is not None and cancel.is_set():
                    raise _Cancelled
                batch: list[_Result] = []
                for fut in done:
                    try:
                        result = fut.result()
                    except BrokenProcessPool:
                        broken = True
                        continue
                    futures.pop(fut)
                    remaining.remove(result[0])
                    batch.append(result)
                if batch:
                    yield batch
                if broken:
                    break
            clean = not broken
        finally:
            if clean:
                ex.shutdown(wait=True)
            else:
                _terminate_pool(ex)
        if broken:
            restarts += 1
            if restarts > max_restarts:
                raise ModelError(
                    f"worker processes died {restarts} times; {len(remaining)} tasks unfinished "
                    f"(e.g. {', '.join(remaining[:5])}). Finished tasks are kept. Fix: check memory, "
                    "or run those tasks in-process (backend='inprocess') to see the error."
                )
            logging.getLogger(__name__).warning(
                "a worker process died; restarting the pool for %d unfinished tasks", len(remaining)
            )


def _run_dask(
    fn: TaskFn,
    tasks: Mapping[str, Any],
    keys: list[str],
    cancel: threading.Event | None,
    workers: int,
    scheduler: Any,
    processes: bool,
) -> Generator[list[_Result], None, None]:
    try:
        dist: Any = importlib.import_module("distributed")  # untyped third-party package
    except ImportError as exc:  # pragma: no cover - dask is a dependency
        raise ConfigError(
            "backend 'dask' needs dask.distributed. Fix: pip install 'dask[distributed]'."
        ) from exc
    cluster = None
    own_client = True
    Client, LocalCluster, as_completed = dist.Client, dist.LocalCluster, dist.as_completed
    if isinstance(scheduler, Client):
        client, own_client = scheduler, False
    elif isinstance(scheduler, str):
        try:
            client = Client(scheduler, timeout="10s")
        except (OSError, TimeoutError) as exc:
            raise ConfigError(
                f"cannot reach the Dask scheduler at {scheduler} ({exc}). Fix: start it with "
                "`dask scheduler` and workers with `dask worker ADDRESS`, or omit --scheduler for a "
                "local cluster."
            ) from exc
    elif scheduler is None:
        cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=processes,
            dashboard_address=None,
            silence_logs=logging.ERROR,
        )
        client = Client(cluster)
    else:
        raise ConfigError(f"scheduler {scheduler!r}: expected 'tcp://host:port', a dask Client or None")
    token = hashlib.sha1(f"{time.time_ns()}".encode()).hexdigest()[:8]
    try:
        futures = [
            client.submit(_call, fn, k, tasks[k], key=f"hl-{token}-{k}", pure=False, retries=0) for k in keys
        ]
        ac = as_completed(futures)
        while not ac.is_empty():
            if cancel is not None and cancel.is_set():
                raise _Cancelled
            batch = ac.next_batch(block=False)
            if not batch:
                time.sleep(0.05)
                continue
            yield [fut.result() for fut in batch]
    finally:
        try:
            if own_client:
                client.close()
            else:
                client.cancel(futures)
        finally:
            if cluster is not None:
                cluster.close()


# ---------------------------------------------------------------- driver


def _progress(enabled: bool, console: Console | None) -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console or Console(stderr=True),
        disable=not enabled,
        transient=False,
    )


def run_ensemble(
    fn: TaskFn,
    tasks: Mapping[str, Any],
    *,
    backend: Backend | str = "inprocess",
    workers: int | None = None,
    scheduler: Any = None,
    processes: bool = True,
    store: RunStore | str | Path | None = None,
    run_id: str | None = None,
    kind: str = "ensemble",
    stage: str = "ensemble",
    config: Mapping[str, Any] | None = None,
    seed: int | None = None,
    inputs: Mapping[str, str | Path] | None = None,
    finish: bool | None = None,
    progress: bool = True,
    cancel: threading.Event | None = None,
    console: Console | None = None,
    max_restarts: int = 3,
) -> EnsembleResult:
    """Compute ``fn(payload)`` for every task, checkpointing each finished frame into ``store``.

    Without ``run_id`` a new run of ``kind`` is recorded (with ``config``, ``seed`` and the SHA-256 of
    ``inputs``); with ``run_id`` that run is resumed: tasks whose checkpoint ``<stage>/<key>`` exists
    are loaded, not recomputed (the task set must be the one the run started with). When the runner
    owns the run (``finish`` defaults to True) it stores the stacked frames as table ``stage``, the
    wall time as timing ``stage`` and marks it finished; a caller running several stages in one run
    passes ``finish=False`` and finishes the run itself.
    """
    t0 = time.perf_counter()
    if backend not in BACKENDS:
        raise ConfigError(f"unknown backend {backend!r}; expected one of {', '.join(BACKENDS)}")
    if not callable(fn):
        raise ConfigError(f"fn must be a function, got {type(fn).__name__}")
    keys = [str(k) for k in tasks]
    if len(set(keys)) != len(keys) or any(not k for k in keys):
        raise ConfigError("task keys must be distinct non-empty strings")
    n_workers = workers or (2 if backend != "inprocess" else 1)
    if n_workers < 1:
        raise ConfigError(f"workers = {workers}: expected ≥ 1")
    if backend != "inprocess" and not (backend == "dask" and not processes and scheduler is None):
        try:
            pickle.dumps(fn)
        except (pickle.PicklingError, AttributeError, TypeError) as exc:
            raise ConfigError(
                f"task function {getattr(fn, '__qualname__', fn)!r} cannot be sent to worker processes "
                f"({exc}). Fix: define it at the top level of an importable module (not a lambda, a "
                "closure or in __main__ of `python -c`)."
            ) from exc

    rs: RunStore | None = None
    if store is not None:
        rs = store if isinstance(store, RunStore) else RunStore(store)
    elif run_id is not None:
        raise ConfigError(f"run_id {run_id!r} needs a store to resume from. Fix: pass store=PATH.")
    owns = True if finish is None else bool(finish)
    task_table = pd.DataFrame(
        {"payload_sha256": [_payload_hash(tasks[k]) for k in tasks]}, index=pd.Index(keys, name="task")
    )
    prefix = f"{stage}/"
    done_keys: set[str] = set()
    if rs is not None:
        if run_id is None:
            run_id = rs.start_run(kind, config, seed, inputs)
        else:
            record = rs.get_run(run_id)
            run_id = record.run_id
            if config is not None and config_hash(dict(config)) != record.config_hash:
                raise ConfigError(
                    f"run {run_id} was started with another config (hash {record.config_hash[:12]}, now "
                    f"{config_hash(dict(config))[:12]}); resuming would mix results. Fix: start a new run "
                    "(no run id) or use the original config."
                )
            if record.status != "running" and record.status != "finished":
                rs.resume_run(run_id)
        tables = rs.get_run(run_id).tables
        tasks_name = f"{stage}.tasks"
        if tasks_name in tables:
            stored = rs.read_table(run_id, tasks_name)
            old_tasks = stored["payload_sha256"].to_dict()
            new_tasks = task_table["payload_sha256"].to_dict()
            if old_tasks != new_tasks:
                changed = sorted(
                    k for k in set(old_tasks) | set(new_tasks) if old_tasks.get(k) != new_tasks.get(k)
                )
                raise ConfigError(
                    f"run {run_id}: the tasks of stage {stage!r} differ from those the run started with "
                    f"({len(stored)} stored, {len(task_table)} given; {len(changed)} keys added, removed or "
                    f"with another payload, e.g. {', '.join(changed[:3])}). Fix: start a new run."
                )
        elif rs.get_run(run_id).status == "finished":
            raise ConfigError(f"run {run_id} is finished without stage {stage!r}. Fix: start a new run.")
        else:
            rs.put_table(run_id, tasks_name, task_table)
        done_keys = {k[len(prefix) :] for k in rs.checkpoints(run_id) if k.startswith(prefix)}
    skipped = [k for k in keys if k in done_keys]
    pending = [k for k in keys if k not in done_keys]
    computed: dict[str, pd.DataFrame] = {}

    def _mark(kind_: str, message: str) -> None:
        if rs is not None and run_id is not None and owns:
            if kind_ == "interrupted":
                rs.interrupt_run(run_id, message)
            else:
                rs.fail_run(run_id, message)

    if pending:
        if backend == "inprocess":
            stream = _run_inprocess(fn, tasks, pending, cancel)
        elif backend == "process":
            stream = _run_process(fn, tasks, pending, cancel, n_workers, max_restarts)
        else:
            stream = _run_dask(fn, tasks, pending, cancel, n_workers, scheduler, processes)
        label = f"{run_id or stage} [{backend}]"
        try:
            with _progress(progress, console) as bar:
                task_id = bar.add_task(label, total=len(keys), completed=len(skipped))
                try:
                    for batch in stream:
                        good = [r for r in batch if isinstance(r[1], pd.DataFrame)]
                        if rs is not None and run_id is not None and good:
                            rs.checkpoint_many(run_id, [(prefix + k, f, secs) for k, f, secs in good])
                        for key, frame, _ in good:
                            computed[key] = frame
                        bar.advance(task_id, len(good))
                        for key, frame, _ in batch:
                            if not isinstance(frame, pd.DataFrame):
                                raise ConfigError(
                                    f"task {key!r}: {getattr(fn, '__qualname__', fn)} returned "
                                    f"{type(frame).__name__}; expected a pandas DataFrame"
                                )
                        if cancel is not None and cancel.is_set():
                            raise _Cancelled
                finally:
                    stream.close()
        except (KeyboardInterrupt, _Cancelled) as exc:
            n_done = len(skipped) + len(computed)
            msg = f"interrupted after {n_done} of {len(keys)} tasks"
            _mark("interrupted", msg)
            hint = (
                f" Finished tasks are kept in {rs.path}; resume with run id {run_id}."
                if rs is not None
                else " Nothing was stored (no store given)."
            )
            raise RunInterrupted(f"ensemble {msg}.{hint}", run_id, n_done, len(keys)) from exc
        except BaseException as exc:
            _mark("failed", f"{type(exc).__name__}: {exc}")
            if rs is not None:
                exc.add_note(
                    f"run {run_id}: {len(skipped) + len(computed)} of {len(keys)} tasks finished and are "
                    f"kept in {rs.path}; rerun with the same run id to resume."
                )
            raise

    results: dict[str, pd.DataFrame] = {}
    old = rs.read_checkpoints(run_id, [prefix + k for k in skipped]) if rs and run_id and skipped else {}
    for key in keys:
        results[key] = computed[key] if key in computed else old[prefix + key]
    seconds = time.perf_counter() - t0
    if rs is not None and run_id is not None:
        record = rs.get_run(run_id)
        if record.status != "finished":
            if stage not in record.tables:
                try:
                    combined = _combine(results)
                except (TypeError, ValueError):
                    combined = None
                if combined is not None:
                    rs.put_table(run_id, stage, combined)
            if pending:
                previous = record.timings.get(stage, 0.0)
                rs.record_timings(run_id, {stage: previous + seconds})
            if owns:
                rs.finish_run(run_id)
    return EnsembleResult(
        results=results,
        run_id=run_id,
        backend=str(backend),
        computed=tuple(k for k in keys if k in computed),
        skipped=tuple(skipped),
        seconds=seconds,
    )

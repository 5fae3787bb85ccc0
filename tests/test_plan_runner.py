"""Ensemble runner: three backends agree, checkpoints make runs resumable, kills lose nothing."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from hinterland.errors import ConfigError
from hinterland.plan import (
    RunInterrupted,
    RunStore,
    ario_shock_task,
    ario_shock_tasks,
    run_ensemble,
    synthetic_task,
)


def _tasks(
    n: int, tmp: Path | None = None, seconds: float = 0.0, **extra: object
) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for i in range(n):
        payload: dict[str, object] = {"seed": i, "seconds": seconds, "key": f"t{i:02d}", **extra}
        if tmp is not None:
            payload["log"] = str(tmp / "calls.log")
        out[f"t{i:02d}"] = payload
    return out


def _calls(tmp: Path) -> list[str]:
    log = tmp / "calls.log"
    return log.read_text(encoding="utf-8").split() if log.exists() else []


def _equal(a: dict[str, pd.DataFrame] | object, b: dict[str, pd.DataFrame] | object) -> None:
    assert list(a) == list(b)  # type: ignore[call-overload]
    for k in a:  # type: ignore[attr-defined]
        pd.testing.assert_frame_equal(a[k], b[k])  # type: ignore[index]


@pytest.fixture(scope="module")
def reference() -> dict[str, pd.DataFrame]:
    return dict(run_ensemble(synthetic_task, _tasks(6), progress=False))


def test_inprocess_with_store(tmp_path: Path, reference: dict[str, pd.DataFrame]) -> None:
    store = RunStore(tmp_path / "runs.duckdb")
    res = run_ensemble(
        synthetic_task, _tasks(6, tmp_path), store=store, progress=False, config={"draws": 6}, seed=1
    )
    _equal(res, reference)
    rec = store.get_run(res.run_id or "")
    assert rec.status == "finished" and rec.seed == 1 and rec.n_checkpoints == 6
    assert "ensemble" in rec.timings
    combined = store.read_table(rec.run_id, "ensemble")
    assert combined.index.names == ["scenario", "region"] and len(combined) == 18
    pd.testing.assert_frame_equal(combined, res.combined())
    # rerunning a finished run computes nothing and returns the same frames
    again = run_ensemble(synthetic_task, _tasks(6, tmp_path), store=store, run_id=rec.run_id, progress=False)
    assert again.computed == () and len(again.skipped) == 6
    _equal(again, reference)
    assert len(_calls(tmp_path)) == 6


def test_process_pool_matches_and_survives_a_killed_worker(
    tmp_path: Path, reference: dict[str, pd.DataFrame]
) -> None:
    tasks = _tasks(6, tmp_path, seconds=0.05)
    tasks["t03"]["die_once"] = str(tmp_path / "died.marker")  # the worker running t03 kills itself once
    res = run_ensemble(
        synthetic_task, tasks, backend="process", workers=2, store=tmp_path / "r.duckdb", progress=False
    )
    assert (tmp_path / "died.marker").exists()
    _equal(res, reference)
    assert RunStore(tmp_path / "r.duckdb").get_run(res.run_id or "").n_checkpoints == 6


def test_dask_local_cluster_threads(tmp_path: Path, reference: dict[str, pd.DataFrame]) -> None:
    res = run_ensemble(
        synthetic_task,
        _tasks(6),
        backend="dask",
        workers=2,
        processes=False,
        store=tmp_path / "r.duckdb",
        progress=False,
    )
    _equal(res, reference)
    assert res.backend == "dask"


@pytest.mark.slow
def test_dask_local_cluster_survives_a_killed_worker(
    tmp_path: Path, reference: dict[str, pd.DataFrame]
) -> None:
    tasks = _tasks(6, seconds=0.05)
    tasks["t02"]["die_once"] = str(tmp_path / "died.marker")
    res = run_ensemble(
        synthetic_task,
        tasks,
        backend="dask",
        workers=2,
        processes=True,
        store=tmp_path / "r.duckdb",
        progress=False,
    )
    assert (tmp_path / "died.marker").exists()
    _equal(res, reference)


def test_cancel_event_marks_interrupted_and_resume_skips_finished(
    tmp_path: Path, reference: dict[str, pd.DataFrame]
) -> None:
    store = RunStore(tmp_path / "runs.duckdb")
    cancel = threading.Event()
    tasks = _tasks(6, tmp_path, seconds=0.0)

    def stop_after_three() -> None:
        while len(_calls(tmp_path)) < 3:
            time.sleep(0.005)
        cancel.set()

    watcher = threading.Thread(target=stop_after_three)
    watcher.start()
    with pytest.raises(RunInterrupted, match="resume with run id") as info:
        run_ensemble(synthetic_task, tasks, store=store, progress=False, cancel=cancel)
    watcher.join()
    run_id = info.value.run_id or ""
    rec = store.get_run(run_id)
    assert rec.status == "interrupted" and 3 <= rec.n_checkpoints < 6
    done = {k.split("/", 1)[1] for k in store.checkpoints(run_id)}
    first_calls = _calls(tmp_path)
    res = run_ensemble(synthetic_task, tasks, store=store, run_id=run_id, progress=False)
    assert set(res.skipped) == done and set(res.computed) == set(tasks) - done
    new_calls = _calls(tmp_path)[len(first_calls) :]
    assert sorted(new_calls) == sorted(set(tasks) - done)  # nothing finished was recomputed
    _equal(res, reference)
    rec = store.get_run(run_id)
    assert rec.status == "finished" and rec.attempts == 2


def test_failure_marks_failed_and_keeps_finished(tmp_path: Path, reference: dict[str, pd.DataFrame]) -> None:
    store = RunStore(tmp_path / "runs.duckdb")
    tasks = _tasks(6)
    tasks["t04"]["fail"] = True
    with pytest.raises(ValueError, match="synthetic failure") as info:
        run_ensemble(synthetic_task, tasks, store=store, progress=False)
    assert any("rerun with the same run id" in n for n in info.value.__notes__)
    run_id = store.list_runs().index[-1]
    rec = store.get_run(run_id)
    assert rec.status == "failed" and "synthetic failure in task t04" in (rec.error or "")
    assert rec.n_checkpoints == 4  # t00..t03 kept
    with pytest.raises(ConfigError, match="differ from those the run started with"):
        run_ensemble(synthetic_task, _tasks(6), store=store, run_id=run_id, progress=False)


def test_bad_inputs_are_clear(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="unknown backend"):
        run_ensemble(synthetic_task, _tasks(2), backend="mpi")
    with pytest.raises(ConfigError, match="cannot be sent to worker processes"):
        run_ensemble(lambda p: pd.DataFrame(), _tasks(2), backend="process")
    with pytest.raises(ConfigError, match="needs a store"):
        run_ensemble(synthetic_task, _tasks(2), run_id="x")
    with pytest.raises(ConfigError, match="expected a pandas DataFrame"):
        run_ensemble(_not_a_frame, _tasks(2), progress=False)
    store = RunStore(tmp_path / "r.duckdb")
    res = run_ensemble(synthetic_task, _tasks(2), store=store, config={"a": 1}, progress=False)
    with pytest.raises(ConfigError, match="another config"):
        run_ensemble(
            synthetic_task, _tasks(2), store=store, run_id=res.run_id, config={"a": 2}, progress=False
        )


def _not_a_frame(payload: object) -> int:
    return 1


_DRIVER = """
import sys
from hinterland.plan import run_ensemble, synthetic_task
tasks = {f"t{i:02d}": {"seed": i, "seconds": float(sys.argv[5]), "key": f"t{i:02d}", "log": sys.argv[2]} for i in range(12)}
run_ensemble(synthetic_task, tasks, store=sys.argv[1], run_id=sys.argv[3], progress=False, backend=sys.argv[4])
"""


@pytest.mark.parametrize("backend", ["inprocess", pytest.param("process", marks=pytest.mark.slow)])
def test_killed_driver_resumes_without_recomputation(tmp_path: Path, backend: str) -> None:
    """A driver process is killed (SIGKILL) after ≥ 4 checkpoints; the rerun computes only the rest."""
    path = tmp_path / "runs.duckdb"
    store = RunStore(path)
    run_id = store.start_run("ensemble", run_id="killed-run")
    log = tmp_path / "calls.log"
    seconds = 0.15 if backend == "inprocess" else 0.6  # slower tasks: a pool finishes batches at once
    driver = subprocess.Popen(
        [sys.executable, "-c", _DRIVER, str(path), str(log), run_id, backend, str(seconds)],
        start_new_session=True,
    )
    deadline = time.time() + 120
    try:
        while len(store.checkpoints(run_id)) < 4:
            assert driver.poll() is None, "driver ended before it was killed"
            assert time.time() < deadline
            time.sleep(0.05)
    finally:
        os.killpg(driver.pid, signal.SIGKILL)
        driver.wait()
    done = {k.split("/", 1)[1] for k in store.checkpoints(run_id)}
    assert 4 <= len(done) < 12
    assert store.get_run(run_id).status == "running"  # killed: nobody could mark it
    calls_before = len(log.read_text(encoding="utf-8").split())
    tasks = {
        f"t{i:02d}": {"seed": i, "seconds": seconds, "key": f"t{i:02d}", "log": str(log)} for i in range(12)
    }
    res = run_ensemble(synthetic_task, tasks, store=store, run_id=run_id, progress=False)
    assert set(res.skipped) == done and set(res.computed) == set(tasks) - done
    new_calls = log.read_text(encoding="utf-8").split()[calls_before:]
    assert sorted(new_calls) == sorted(set(tasks) - done)
    uninterrupted = run_ensemble(synthetic_task, _tasks(12), progress=False)
    _equal(res, uninterrupted)
    assert store.get_run(run_id).status == "finished"


def test_ario_tasks_are_reproducible_and_backend_independent(tmp_path: Path) -> None:
    tasks = ario_shock_tasks(2, seed=11, steps=30, duration_days=(5, 10), recovery_days=(5, 10))
    assert tasks == ario_shock_tasks(2, seed=11, steps=30, duration_days=(5, 10), recovery_days=(5, 10))
    assert tasks != ario_shock_tasks(2, seed=12, steps=30, duration_days=(5, 10), recovery_days=(5, 10))
    a = run_ensemble(ario_shock_task, tasks, progress=False)
    b = run_ensemble(ario_shock_task, dict(reversed(list(tasks.items()))), progress=False)
    for key in tasks:
        pd.testing.assert_frame_equal(a[key], b[key])
        frame = a[key]
        assert frame.index.name == "region" and len(frame) == 31
        hit = tasks[key]["regions"]
        # the shocked provinces lose the most output, and no province gains
        assert set(frame["output_loss"].nlargest(len(hit)).index) == set(hit)
        assert (frame["output_loss"] > -1e-6 * frame["output_loss"].abs().max()).all()
        assert (frame["output_loss_share"] <= tasks[key]["severity"] + 1e-12).all()


def test_ario_task_hand_check() -> None:
    """One province, 20 % capacity loss: BoARIO's timeline keeps the full cut on days 1..7
    (occurrence 1, duration 5: t ≤ o + d, plus one linear-recovery step with τ = 1). Overproduction
    ramps over α_τ = 365 days, so within 10 days capacity stays ≤ 0.8 × 1.01 × x0 while cut: the
    province's lost output is at least 0.2 × 7 days × 0.95 of its daily output, and at most what a
    20 % cut for all 10 days would cost plus indirect losses (bounded here by the same 10-day cut)."""
    from hinterland.datasets import load_china_mrio
    from hinterland.economy import ARIOModel

    model = ARIOModel.from_mrio(load_china_mrio())
    payload = {"regions": [510000], "severity": 0.2, "duration": 5, "recovery_days": 1, "steps": 10}
    frame = ario_shock_task(payload)
    n = model.n_sectors
    r = model.regions.index(510000)
    daily = float(model.x0[r * n : (r + 1) * n].sum())
    days_equivalent = float(frame.loc[510000, "output_loss"]) / (0.2 * daily)
    assert 7 * 0.95 <= days_equivalent <= 10
    assert frame.loc[510000, "output_loss_share"] == pytest.approx(days_equivalent * 0.2 / 10)


def test_library_scenarios_through_the_runner() -> None:
    """Economy library scenarios (run_shock) as ensemble tasks: same result as calling run_shock."""
    from hinterland.datasets import load_china_mrio
    from hinterland.economy import load_scenario, run_shock
    from hinterland.plan import scenario_shock_task, scenario_shock_tasks, transport_levers

    tasks = scenario_shock_tasks(["corridor-cut"], seed=3, horizon_days=20)
    res = run_ensemble(scenario_shock_task, tasks, progress=False)
    direct = run_shock(
        load_china_mrio(), "corridor-cut", model="ario", seed=tasks["corridor-cut"]["seed"], horizon_days=20,
        levers=transport_levers(load_scenario("corridor-cut")),
    )  # fmt: skip
    pd.testing.assert_frame_equal(res["corridor-cut"], direct.loss_by_region)
    assert res["corridor-cut"].index.name == "region"

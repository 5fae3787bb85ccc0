"""Ensemble throughput: ARIO shock draws on the bundled China MRIO through each runner backend.

Run: ``python benchmarks/bench_plan.py [--draws 8 32 128] [--steps 120] [--workers 2]``. Every draw is
one :func:`hinterland.plan.ario_shock_task` (1–3 front provinces lose 10–50 % capacity, 120 simulated
days); every finished draw is checkpointed into a fresh DuckDB run store, as in a real run. Prints
scenarios per second per backend and draw count, and the ratio against the in-process backend run in
the same process (> 1 = faster). Start-up (spawning workers, a Dask LocalCluster of worker processes,
building the ARIO model in each worker) is included: it is what a user waits for. The script also
checks that every backend returns the same frames as the in-process run.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import pandas as pd

from hinterland.plan import RunStore, ario_shock_task, ario_shock_tasks, run_ensemble


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, nargs="+", default=[8, 32, 128])
    parser.add_argument("--steps", type=int, default=120)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--backends", nargs="+", default=["inprocess", "process", "dask"])
    args = parser.parse_args()
    ario_shock_task(ario_shock_tasks(1, steps=args.steps)["draw-0000"])  # warm the in-process model cache
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        store = RunStore(Path(tmp) / "bench.duckdb")
        for draws in args.draws:
            tasks = ario_shock_tasks(draws, steps=args.steps)
            reference = None
            for backend in args.backends:
                t0 = time.perf_counter()
                res = run_ensemble(
                    ario_shock_task, tasks, backend=backend, workers=args.workers, store=store, progress=False
                )
                secs = time.perf_counter() - t0
                if reference is None:
                    reference = res
                else:
                    for key in tasks:
                        pd.testing.assert_frame_equal(res[key], reference[key], rtol=1e-9)
                rows.append(
                    {"draws": draws, "backend": backend, "seconds": secs, "scenarios_per_s": draws / secs}
                )
                print(
                    f"draws {draws:4d}  {backend:9s}  {secs:7.2f} s  {draws / secs:6.2f} scenarios/s",
                    flush=True,
                )
    table = pd.DataFrame(rows).set_index(["draws", "backend"])
    base = table["scenarios_per_s"].xs("inprocess", level="backend")
    table["ratio_vs_inprocess"] = (
        table["scenarios_per_s"] / base.reindex(table.index.get_level_values("draws")).to_numpy()
    )
    print()
    print(table.round(3).to_string())


if __name__ == "__main__":
    main()

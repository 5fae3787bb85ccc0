"""ARIO speed: hinterland's batched engine vs BoARIO 0.7.2 on the bundled 31 × 42 China MRIO.

Run: ``python benchmarks/bench_economy.py [--steps 30] [--batch 100] [--dtype float32]
[--blas-threads 1] [--threads N]``. Both engines simulate the same table and the same event (30 % capacity loss in
Shanghai and Jiangsu manufacturing of electronics and electrical equipment, recovering linearly over
60 days) with the BoARIO preset; the script checks that the trajectories agree and prints seconds per
simulated step and the ratios. ``--blas-threads`` sets OPENBLAS/OMP/MKL threads for both engines
before numpy is loaded (on a shared machine, 1 thread gives stable timings for both); ``--threads``
is the number of threads hinterland's batch runs in (default: every CPU; each thread runs its share
of the scenarios with single-threaded BLAS). BoARIO runs one scenario at a time.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings


def _clean_io(mrio, pymrio):  # type: ignore[no-untyped-def]
    """pymrio IOSystem of the table; outputs rounded to -1e-10 (Shanghai sec04) are set to 0 for BoARIO."""
    Z, Y = mrio.Z.copy(), mrio.Y.copy()
    x = Z.sum(axis=1) + Y.sum(axis=1)
    neg = x < 0
    Y.loc[neg, Y.columns[0]] -= 2 * x[neg]
    io = pymrio.IOSystem(Z=Z, Y=Y)
    io.calc_system()
    return io


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=30)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--dtype", default="float64", choices=["float64", "float32"])
    parser.add_argument("--blas-threads", type=int, default=None)
    parser.add_argument("--threads", type=int, default=None, help="hinterland's threads (default: all CPUs)")
    args = parser.parse_args()
    if args.blas_threads is not None:
        if "numpy" in sys.modules:
            raise SystemExit("--blas-threads must be set before numpy is imported")
        for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[var] = str(args.blas_threads)
    warnings.filterwarnings("ignore")
    import numpy as np
    import pandas as pd
    import pymrio
    from boario.event import from_series
    from boario.extended_models import ARIOPsiModel
    from boario.simulation import Simulation

    from hinterland.datasets import load_china_mrio
    from hinterland.economy import ARIOEvent, ARIOModel, ARIOParams, from_pymrio, simulate_ario

    mrio = from_pymrio(_clean_io(load_china_mrio(), pymrio))
    T = args.steps
    hit = [(310000, "sec19"), (310000, "sec20"), (320000, "sec19"), (320000, "sec20")]
    idx = pd.MultiIndex.from_tuples(hit, names=["region", "sector"])
    io = _clean_io(mrio, pymrio)
    t0 = time.perf_counter()
    model = ARIOPsiModel(io)
    sim = Simulation(model, n_temporal_units_to_sim=T)
    sim.add_event(from_series(pd.Series(0.3, index=idx), event_type="arbitrary", occurrence=2, duration=5,
                              recovery_tau=60))  # fmt: skip
    t1 = time.perf_counter()
    sim.loop()
    t_boario = (time.perf_counter() - t1) / T
    print(
        f"BoARIO 0.7.2: setup {t1 - t0:.2f} s, {t_boario * 1e3:.1f} ms per step ({model.n_industries} industries)"
    )

    params = ARIOParams.boario()
    if args.dtype != "float64":
        params = ARIOParams(**{**params.__dict__, "dtype": args.dtype})
    am = ARIOModel.from_mrio(mrio, params)
    vec = np.zeros(am.n)
    for r, s in hit:
        vec[mrio.industries.get_loc((r, s))] = 0.3
    ev = ARIOEvent("arbitrary", vec, occurrence=2, duration=5, recovery_tau=60)
    simulate_ario(am, [ev], 8)  # warm-up
    t1 = time.perf_counter()
    res = simulate_ario(am, [ev], T)
    t_one = (time.perf_counter() - t1) / T
    xb = sim.production_realised.to_numpy()
    rel = float(np.max(np.abs(res.production[:, 0] - xb) / np.maximum(np.abs(xb), 1e-9)))
    print(f"hinterland, 1 run : {t_one * 1e3:.2f} ms per step; ratio {t_boario / t_one:.0f}x "
          f"(max relative difference in production {rel:.1e})")  # fmt: skip
    B = args.batch
    rng = np.random.default_rng(1)
    batch_imp = np.outer(rng.uniform(0.1, 0.5, B), vec > 0) * 1.0
    batch_imp[0] = vec
    evb = ARIOEvent("arbitrary", batch_imp, occurrence=2, duration=5, recovery_tau=60)
    simulate_ario(
        am, [evb], 8, threads=args.threads
    )  # warm-up: the parallel kernel is compiled (or loaded) on first use
    t1 = time.perf_counter()
    resb = simulate_ario(am, [evb], T, threads=args.threads)
    t_batch = (time.perf_counter() - t1) / (T * B)
    relb = float(np.max(np.abs(resb.production[:, 0] - xb) / np.maximum(np.abs(xb), 1e-9)))
    thr = args.threads or (
        len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    )
    print(f"hinterland, batch {B} ({thr} threads): {t_batch * 1e3:.3f} ms per scenario-step; "
          f"ratio {t_boario / t_batch:.0f}x "
          f"(scenario 0 vs BoARIO {relb:.1e})")  # fmt: skip


if __name__ == "__main__":
    main()

"""Speed of the evaluation methods against pymcdm and esda on the same inputs, in this process.

Run: ``python benchmarks/bench_evaluate.py``. Prints time ratios (ours / reference; < 1 = faster).
"""

from __future__ import annotations

import time
import warnings
from collections.abc import Callable

import numpy as np
import pandas as pd

from hinterland.evaluate import critic_weights, entropy_weights, local_moran, minmax, moran, topsis, vikor


def _best(fn: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> None:
    warnings.simplefilter("ignore")
    import esda
    from libpysal.weights import lat2W
    from pymcdm import weights as pw
    from pymcdm.methods import TOPSIS, VIKOR

    rng = np.random.default_rng(0)
    x = pd.DataFrame(rng.uniform(1, 10, (300, 30)), columns=[f"c{j}" for j in range(30)])
    types = np.where(np.arange(30) % 3 == 0, -1, 1)
    d = pd.Series(np.where(types == 1, "benefit", "cost"), index=x.columns)
    w = pd.Series(np.full(30, 1 / 30), index=x.columns)
    xv = x.to_numpy()
    rows = [
        ("entropy weights (300×30)", lambda: entropy_weights(x), lambda: pw.entropy_weights(xv)),
        ("CRITIC weights (300×30)", lambda: critic_weights(minmax(x, d)), lambda: pw.critic_weights(xv)),
        ("TOPSIS (300×30)", lambda: topsis(minmax(x, d), w), lambda: TOPSIS()(xv, w.to_numpy(), types)),
        ("VIKOR (300×30)", lambda: vikor(minmax(x, d), w), lambda: VIKOR()(xv, w.to_numpy(), types)),
    ]
    wl = lat2W(10, 10, rook=False)
    full, _ = wl.full()
    y = pd.Series(rng.normal(size=100))
    wdf = pd.DataFrame(full)
    rows += [
        (
            "Moran's I, 999 perms (n=100)",
            lambda: moran(y, wdf, 999, seed=1),
            lambda: esda.Moran(y.to_numpy(), wl, permutations=999),
        ),
        (
            "local Moran, 999 perms (n=100)",
            lambda: local_moran(y, wdf, 999, seed=1),
            lambda: esda.Moran_Local(y.to_numpy(), wl, permutations=999, seed=1, n_jobs=1),
        ),
    ]
    print(f"{'method':36s} {'ours [ms]':>10s} {'reference [ms]':>15s} {'ratio':>7s}")
    for name, ours, ref in rows:
        ref()  # warm up (numba compilation in esda)
        a, b = _best(ours), _best(ref)
        print(f"{name:36s} {a * 1e3:10.2f} {b * 1e3:15.2f} {a / b:7.2f}")


if __name__ == "__main__":
    main()

"""Benchmark hinterland.locate against PySAL spopt (PuLP + CBC) on the same instances, same process.

Usage::

    python benchmarks/bench_locate.py            # city scale: 367 demand × 100 candidates
    python benchmarks/bench_locate.py --county   # adds county scale: ~2,950 demand × 367 candidates
    python benchmarks/bench_locate.py --spopt-solver highs   # give spopt PuLP's HiGHS instead of CBC

Travel times are the bundled ones used by ``hinterland reserves`` (proxy road graph + rail). Each row
prints both objectives (they must be equal) and the time ratio spopt / hinterland (build + solve,
warm start included). p-center uses a smaller instance for spopt's MIP, which is slow with CBC.
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Callable

import numpy as np

from hinterland.locate import from_cost_matrix, lscp, mclp, p_center, p_median
from hinterland.report import build_reserves_input

warnings.filterwarnings("ignore")


def timed(fn: Callable[[], float]) -> tuple[float, float]:
    t0 = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - t0


def spopt_solver(name: str, limit: float) -> object:
    import pulp

    if name == "highs":
        return pulp.HiGHS(msg=False, timeLimit=limit)
    return pulp.PULP_CBC_CMD(msg=False, timeLimit=limit)


def row(label: str, ours: tuple[float, float], ref: tuple[float, float]) -> None:
    (a, ta), (b, tb) = ours, ref
    same = "yes" if abs(a - b) <= 1e-6 * max(1.0, abs(b)) else "NO"
    print(f"{label:<34} {a:>16,.4f} {b:>16,.4f} {same:>5} {ta:>8.2f} {tb:>8.2f} {tb / ta:>7.1f}x")


def bench(d: np.ndarray, w: np.ndarray, tag: str, p: int, radius: float, solver: str, pcenter: bool) -> None:
    from spopt.locate import LSCP, MCLP, PCenter, PMedian

    inst = from_cost_matrix(d, w)
    s = lambda: spopt_solver(solver, 1800)  # noqa: E731
    print(f"\n{tag}: {d.shape[0]} demand × {d.shape[1]} candidates, radius {radius} h, p = {p}")
    print(
        f"{'model':<34} {'hinterland':>16} {'spopt':>16} {'equal':>5} {'t_ours':>8} {'t_spopt':>8} {'ratio':>8}"
    )
    row(
        "LSCP",
        timed(lambda: lscp(inst, radius).objective),
        timed(lambda: LSCP.from_cost_matrix(d, radius).solve(s()).problem.objective.value()),
    )
    row(
        "MCLP",
        timed(lambda: mclp(inst, radius / 2, p).objective),
        timed(
            lambda: (
                MCLP.from_cost_matrix(d, w, radius / 2, p_facilities=p).solve(s()).problem.objective.value()
            )
        ),
    )
    row(
        "p-median",
        timed(lambda: p_median(inst, p).objective),
        timed(lambda: PMedian.from_cost_matrix(d, w, p_facilities=p).solve(s()).problem.objective.value()),
    )
    if pcenter:
        rng = np.random.default_rng(0)
        ii = rng.choice(d.shape[0], 120, replace=False)
        jj = rng.choice(d.shape[1], 40, replace=False)
        dc = d[np.ix_(ii, jj)]
        row(
            "p-center (120 × 40, p = 5)",
            timed(lambda: p_center(from_cost_matrix(dc), 5).objective),
            timed(lambda: PCenter.from_cost_matrix(dc, p_facilities=5).solve(s()).problem.objective.value()),
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--county", action="store_true", help="also run the county-scale instance")
    ap.add_argument("--spopt-solver", default="cbc", choices=["cbc", "highs"])
    args = ap.parse_args()
    city = build_reserves_input("grain", level="city")
    inst = city.instance
    pop = city.demand["population"].to_numpy(float)
    top = np.argsort(-pop)[:100]
    d = inst.d[:, top]
    bench(d, pop / 1e4, "city", 10, 45.0, args.spopt_solver, pcenter=True)
    if args.county:
        county = build_reserves_input("grain", level="county")
        dc = county.instance.d
        wc = county.demand["population"].to_numpy(float) / 1e4
        bench(dc, wc, "county", 30, 24.0, args.spopt_solver, pcenter=False)


if __name__ == "__main__":
    main()

"""Benchmark hinterland.locate against PySAL spopt (PuLP + CBC) on the same instances, same process.

Usage::

    python benchmarks/bench_locate.py                 # city scale: 367 demand × 100 candidates
    python benchmarks/bench_locate.py --county        # adds county scale: 2,948 demand × 367 candidates
    python benchmarks/bench_locate.py --spopt-solver highs   # give spopt PuLP's HiGHS instead of CBC

Travel times are the bundled ones used by ``hinterland reserves`` (proxy road graph + rail network,
shortest paths). City scale: the 100 candidates are spread over the country by farthest-point
(greedy p-center) selection from the 367 city points, so that every point has a candidate within
4.3 h and covering radii of 6–10 h give non-trivial models. County scale: every county is a demand
point and every city a candidate. Weights: 2020 census population / 10⁴.

Each row prints both objectives (they must be equal: both solvers prove optimality), the wall time of
each side (model building + solving, warm-start heuristics and data reductions included; each side
runs once after a warm-up that loads the solver libraries) and the ratio spopt / hinterland.
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Callable

import numpy as np

from hinterland.locate import from_cost_matrix, greedy_center, lscp, mclp, p_center, p_median
from hinterland.plan import build_reserves_input

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


RESULTS: list[tuple[str, str, float, float, bool]] = []


def row(tag: str, label: str, ours: tuple[float, float], ref: tuple[float, float] | None) -> None:
    a, ta = ours
    if ref is None:
        print(f"{label:<30} {a:>16,.4f} {'(not run)':>16} {'':>5} {ta:>8.2f} {'':>8} {'':>8}", flush=True)
        return
    b, tb = ref
    same = abs(a - b) <= 1e-6 * max(1.0, abs(b))
    RESULTS.append((tag, label, ta, tb, same))
    ratio = f"{tb / ta:>7.1f}x" if same else "   n/a"
    print(
        f"{label:<30} {a:>16,.4f} {b:>16,.4f} {'yes' if same else 'NO':>5} {ta:>8.2f} {tb:>8.2f} {ratio:>8}",
        flush=True,
    )


def bench(
    d: np.ndarray,
    w: np.ndarray,
    tag: str,
    *,
    radius_lscp: float,
    radius_mclp: float,
    p_mclp: int,
    p_median_: int,
    p_center_: int | None,
    solver: str,
    limit: float,
    spopt_pcenter: bool,
) -> None:
    from spopt.locate import LSCP, MCLP, PCenter, PMedian

    inst = from_cost_matrix(d, w)
    s = lambda: spopt_solver(solver, limit)  # noqa: E731
    print(f"\n{tag}: {d.shape[0]} demand × {d.shape[1]} candidates (spopt with {solver}, limit {limit:g} s)")
    print(
        f"{'model':<30} {'hinterland':>16} {'spopt':>16} {'equal':>5} {'t_ours':>8} {'t_spopt':>8} {'ratio':>8}"
    )
    row(
        tag,
        f"LSCP (T = {radius_lscp:g} h)",
        timed(lambda: lscp(inst, radius_lscp).objective),
        timed(lambda: LSCP.from_cost_matrix(d, radius_lscp).solve(s()).problem.objective.value()),
    )
    row(
        tag,
        f"MCLP (T = {radius_mclp:g} h, p = {p_mclp})",
        timed(lambda: mclp(inst, radius_mclp, p_mclp).objective),
        timed(
            lambda: (
                MCLP.from_cost_matrix(d, w, radius_mclp, p_facilities=p_mclp)
                .solve(s())
                .problem.objective.value()
            )
        ),
    )
    row(
        tag,
        f"p-median (p = {p_median_})",
        timed(lambda: p_median(inst, p_median_).objective),
        timed(
            lambda: (
                PMedian.from_cost_matrix(d, w, p_facilities=p_median_).solve(s()).problem.objective.value()
            )
        ),
    )
    if p_center_ is not None:
        row(
            tag,
            f"p-center (p = {p_center_})",
            timed(lambda: p_center(from_cost_matrix(d), p_center_).objective),
            timed(
                lambda: (
                    PCenter.from_cost_matrix(d, p_facilities=p_center_).solve(s()).problem.objective.value()
                )
            )
            if spopt_pcenter
            else None,
        )


def warm_up(solver: str) -> None:
    """Load HiGHS, PuLP and CBC once so that neither side pays first-call costs in the timings."""
    from spopt.locate import LSCP

    d = np.array([[0.0, 2.0], [2.0, 0.0]])
    lscp(from_cost_matrix(d), 1.0)
    p_median(from_cost_matrix(d), 1)
    LSCP.from_cost_matrix(d, 1.0).solve(spopt_solver(solver, 60))


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--county", action="store_true", help="also run the county-scale instance")
    ap.add_argument("--spopt-solver", default="cbc", choices=["cbc", "highs"])
    ap.add_argument("--limit", type=float, default=3600.0, help="spopt time limit per model (s)")
    args = ap.parse_args()
    warm_up(args.spopt_solver)
    city = build_reserves_input("grain", level="city", scenarios=None)
    full = city.instance.d
    cand = np.sort(greedy_center(full, 100, swaps=False))
    w = city.demand["population"].to_numpy(float) / 1e4
    bench(
        full[:, cand],
        w,
        "city",
        radius_lscp=10.0,
        radius_mclp=6.0,
        p_mclp=10,
        p_median_=10,
        p_center_=10,
        solver=args.spopt_solver,
        limit=args.limit,
        spopt_pcenter=True,
    )
    if args.county:
        county = build_reserves_input("grain", level="county", scenarios=None)
        wc = county.demand["population"].to_numpy(float) / 1e4
        bench(
            county.instance.d,
            wc,
            "county",
            radius_lscp=12.0,
            radius_mclp=12.0,
            p_mclp=7,
            p_median_=30,
            p_center_=30,
            solver=args.spopt_solver,
            limit=args.limit,
            spopt_pcenter=False,
        )
    print("\nsummary (ratio = spopt time / hinterland time, at equal optimum):")
    for tag, label, ta, tb, same in RESULTS:
        print(f"  {tag:<7} {label:<30} {tb / ta if same else float('nan'):>8.1f}x")


if __name__ == "__main__":
    main()

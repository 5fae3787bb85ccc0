"""Benchmark the backup MILP (build + solve) on the bundled instance against two references, same process.

Usage::

    python benchmarks/bench_backup.py                       # 10, 20, 50, 100 Monte Carlo scenarios
    python benchmarks/bench_backup.py --draws 20 200 --objective cvar
    python benchmarks/bench_backup.py --pulp-solver cbc     # PuLP with CBC instead of HiGHS

Instance: ``hinterland backup``'s default (9 chains × 31 provinces, 23 non-front candidate provinces,
electricity and labour rows, budget 5 000 × 10⁸ CNY), with N scenarios drawn by
``draw_scenarios(patterns, prob, N, seed=0)`` from the economy library + N-1 stress patterns.

Sides, each timed as model building + solving (one warm-up solve first loads the libraries):

* ``hinterland``: ``build_backup_model`` (vectorised block builder) + HiGHS through highspy;
* ``scipy``: the same matrix handed to ``scipy.optimize.milp`` (HiGHS through SciPy's API) — isolates
  the solver interface;
* ``pulp``: an independent, textbook per-variable PuLP formulation of the same two-stage model
  (written here from docs/backup.md §3, pooled flows), solved by PuLP's HiGHS (or CBC) — what a
  modeller would write without the block builder.

All sides solve to a relative MIP gap of 1e-6 on one thread; the objectives must agree (column
``equal``) before a ratio (reference seconds / hinterland seconds, > 1 = hinterland faster) is printed.
"""

from __future__ import annotations

import argparse
import time
import warnings
from collections.abc import Callable

import numpy as np

from hinterland.backup import BackupInstance, build_backup_model, draw_scenarios, solve_mip
from hinterland.plan import build_backup_input

warnings.filterwarnings("ignore")
BUDGET = 5000.0
GAP = 1e-6


def timed(fn: Callable[[], tuple[float, float]]) -> tuple[float, float, float]:
    """(objective, build seconds, total seconds) of one build + solve."""
    t0 = time.perf_counter()
    value, build = fn()
    return value, build, time.perf_counter() - t0


def ours(inst: BackupInstance, objective: str, alpha: float, solver: str) -> tuple[float, float]:
    t0 = time.perf_counter()
    bm = build_backup_model(inst, objective=objective, budget=BUDGET, alpha=alpha)
    build = time.perf_counter() - t0
    sol = solve_mip(bm.mip, solver=solver, mip_gap=GAP)
    return float(sol.objective), build


def pulp_model(inst: BackupInstance, objective: str, alpha: float, solver: str) -> tuple[float, float]:
    """Per-variable PuLP formulation (pooled demand, mean freight t̄_cr), independent of our builder."""
    import pulp

    t0 = time.perf_counter()
    C, R, _D, S = inst.shape
    E = inst.essential.sum(axis=1)
    tbar = np.einsum("crd,cd->cr", inst.transport, inst.essential) / np.maximum(E, 1e-300)[:, None]
    prob = pulp.LpProblem("backup", pulp.LpMinimize)
    cand = [(c, r) for c in range(C) for r in range(R) if inst.candidate[c, r]]
    supply = [(c, r) for c in range(C) for r in range(R) if inst.candidate[c, r] or inst.capacity[c, r] > 0]
    y = {cr: pulp.LpVariable(f"y_{cr[0]}_{cr[1]}", cat="Binary") for cr in cand}
    k = {cr: pulp.LpVariable(f"k_{cr[0]}_{cr[1]}", lowBound=0) for cr in cand}
    q = {(s, c, r): pulp.LpVariable(f"q_{s}_{c}_{r}", lowBound=0) for s in range(S) for c, r in supply}
    u = {(s, c): pulp.LpVariable(f"u_{s}_{c}", lowBound=0) for s in range(S) for c in range(C)}
    loss = {
        s: pulp.lpSum(inst.weight[c] * u[s, c] for c in range(C))
        + pulp.lpSum(tbar[c, r] * q[s, c, r] for c, r in supply if tbar[c, r] != 0)
        for s in range(S)
    }
    if objective == "expected":
        prob += pulp.lpSum(inst.prob[s] * loss[s] for s in range(S))
    else:
        eta = pulp.LpVariable("eta")
        z = {s: pulp.LpVariable(f"z_{s}", lowBound=0) for s in range(S)}
        prob += eta + pulp.lpSum(inst.prob[s] / (1 - alpha) * z[s] for s in range(S))
        for s in range(S):
            prob += z[s] >= loss[s] - eta
    for c, r in cand:
        prob += k[c, r] <= inst.max_size[c, r] * y[c, r]
        prob += k[c, r] >= inst.min_size[c, r] * y[c, r]
    prob += (
        pulp.lpSum(inst.fixed_cost[c, r] * y[c, r] + inst.unit_cost[c, r] * k[c, r] for c, r in cand)
        <= BUDGET
    )
    for r in range(R):
        for p in range(len(inst.resources)):
            terms = [inst.resource_use[c, p] * k[c, rr] for c, rr in cand if rr == r]
            if terms:
                prob += pulp.lpSum(terms) <= inst.resource_cap[r, p]
    for s in range(S):
        for c, r in supply:
            avail = 1.0 - inst.loss[s, c, r]
            extra = avail * inst.ramp[c] * k[c, r] if (c, r) in k else 0.0
            prob += q[s, c, r] <= avail * inst.capacity[c, r] + extra
        for c in range(C):
            prob += pulp.lpSum(q[s, c, r] for cc, r in supply if cc == c) + u[s, c] == E[c]
    if solver == "highs":
        slv = pulp.HiGHS(msg=False, gapRel=GAP, threads=1)
    else:
        slv = pulp.PULP_CBC_CMD(msg=False, gapRel=GAP, threads=1)
    build = time.perf_counter() - t0
    prob.solve(slv)
    return float(pulp.value(prob.objective)), build


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, nargs="+", default=[10, 20, 50, 100])
    parser.add_argument("--objective", choices=["expected", "cvar"], default="expected")
    parser.add_argument("--alpha", type=float, default=0.9)
    parser.add_argument("--pulp-solver", choices=["highs", "cbc"], default="highs")
    parser.add_argument("--no-pulp", action="store_true", help="skip the PuLP reference")
    args = parser.parse_args()
    bi = build_backup_input()
    base = bi.instance
    print(f"instance: {len(base.chains)} chains × {len(base.regions)} regions, "
          f"{int(base.candidate.sum())} candidate pairs, objective {args.objective}, budget {BUDGET:g}")  # fmt: skip
    warm = base.with_scenarios(*draw_scenarios(bi.patterns, bi.pattern_prob, 2, seed=99))
    ours(warm, args.objective, args.alpha, "highs")  # warm-up: loads the solver libraries
    ours(warm, args.objective, args.alpha, "scipy")
    if not args.no_pulp:
        pulp_model(warm, args.objective, args.alpha, args.pulp_solver)
    head = f"{'N':>5} {'cols':>7} {'rows':>7} {'objective':>14} {'build':>7} {'total':>7}"
    head += f" {'scipy':>7} {'ratio':>6} {'eq':>3}"
    if not args.no_pulp:
        head += f" {'pulp_build':>10} {'ratio':>7} {'pulp':>7} {'ratio':>6} {'eq':>3}"
    print(head)
    for n in args.draws:
        inst = base.with_scenarios(*draw_scenarios(bi.patterns, bi.pattern_prob, n, seed=0))
        bm = build_backup_model(inst, objective=args.objective, budget=BUDGET, alpha=args.alpha)
        a, ba, ta = timed(lambda: ours(inst, args.objective, args.alpha, "highs"))  # noqa: B023
        b, _, tb = timed(lambda: ours(inst, args.objective, args.alpha, "scipy"))  # noqa: B023
        eq = lambda x: "yes" if abs(x - a) <= 1e-5 * max(1.0, abs(a)) else "NO"  # noqa: E731, B023
        line = f"{n:>5} {bm.mip.n_cols:>7} {bm.mip.n_rows:>7} {a:>14,.2f} {ba:>7.3f} {ta:>7.2f}"
        line += f" {tb:>7.2f} {tb / ta:>5.1f}x {eq(b):>3}"
        if not args.no_pulp:
            c, bc, tc = timed(lambda: pulp_model(inst, args.objective, args.alpha, args.pulp_solver))  # noqa: B023
            line += f" {bc:>10.3f} {bc / ba:>6.0f}x {tc:>7.2f} {tc / ta:>5.1f}x {eq(c):>3}"
        print(line, flush=True)
    print(
        "build/total: seconds of our model building / building + solving (highspy); scipy, pulp: "
        "seconds of the reference; ratio = reference / ours (> 1: ours faster); eq: same objective"
    )


if __name__ == "__main__":
    main()

"""Plan assessment speed: the full plan with its paired ensemble, and batched arms against one run each.

Run: ``python benchmarks/bench_assessment.py [--draws 13] [--skip-plan] [--scenario import-embargo]``.

1. **Full plan** (``hinterland plan`` on the bundled data with the default plan, PDFs included, in this
   process): wall time and stage timings. Target: under 120 s on 2 cores with 13 paired draws per
   scenario (5 × 13 = 65 paired draws besides the 5 central runs).
2. **Batched arms vs one run per arm and draw**, in the same process: ``run_arms`` simulates every
   (draw, arm) of a scenario as one ARIO batch; the reference simulates each draw and
   arm with the same levers and parameters (``run_arms`` with one arm and one draw, the route
   ``run_shock`` takes: what a plain loop over the runs costs). Prints the
   seconds of both and the ratio (reference / batched, > 1 = faster), and checks that both give the
   same value-added losses (to 1e-9 relative).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from hinterland.datasets import load_china_mrio
from hinterland.economy import load_scenario, run_arms
from hinterland.plan import AssessmentDesign, BackupBase, PlanLevers, parameter_draws, transport_levers


def full_plan(draws: int) -> dict[str, float]:
    from hinterland.report import write_plan_report

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        done = write_plan_report(
            Path(tmp) / "plan", store=Path(tmp) / "runs.duckdb", overrides={"ensemble": {"draws": draws}}
        )
        wall = time.perf_counter() - t0
        timings = done.study.timings
    return {"wall": wall, **{k: float(v) for k, v in timings.items()}}


def batched_vs_single(scenario: str, draws: int, horizon: int) -> tuple[float, float, float]:
    mrio = load_china_mrio()
    sc = load_scenario(scenario, mrio=mrio)
    pdraws = parameter_draws(AssessmentDesign(((scenario, scenario, 0.05),), draws=draws, seed=20231211))
    base = transport_levers(sc)
    # a plan arm: the backup base the default plan recommends (instruments, Henan, sec21 lines)
    plan = PlanLevers((BackupBase("instruments", 410000, 558.7, 743.85, (("sec21", 1.0),), 30.0, 305.0),))
    arms = {"baseline": base, "plan": plan.to_shock_levers(mrio, base.transport)}
    t0 = time.perf_counter()
    runs = run_arms(mrio, sc, arms, draws=draws, seed=1, parameters=pdraws, horizon_days=horizon)
    batched = time.perf_counter() - t0
    t0 = time.perf_counter()
    single = np.zeros_like(runs.va_loss)
    for d in range(draws + 1):
        for a, lev in enumerate(arms.values()):
            one = run_arms(mrio, sc, {"x": lev}, draws=draws, seed=1, parameters=pdraws, subset=[d],
                           horizon_days=horizon)  # fmt: skip
            single[d, a] = one.va_loss[0, 0]
    reference = time.perf_counter() - t0
    err = float(np.max(np.abs(single - runs.va_loss) / np.maximum(np.abs(runs.va_loss), 1e-9)))
    return batched, reference, err


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=13)
    parser.add_argument("--skip-plan", action="store_true")
    parser.add_argument("--scenario", default="import-embargo")
    parser.add_argument("--batch-draws", type=int, default=4)
    parser.add_argument("--horizon", type=int, default=365)
    args = parser.parse_args()
    if not args.skip_plan:
        t = full_plan(args.draws)
        stages = ", ".join(f"{k} {v:.1f}" for k, v in t.items() if k not in ("wall", "total"))
        verdict = "within" if t["wall"] < 120 else "OVER"
        print(
            f"full plan, {args.draws} paired draws per scenario: {t['wall']:.1f} s wall ({verdict} the "
            f"120 s target); stages (s): {stages}",
            flush=True,
        )
    b, r, err = batched_vs_single(args.scenario, args.batch_draws, args.horizon)
    n = 2 * (args.batch_draws + 1)
    print(
        f"{args.scenario}, {args.batch_draws} draws + central × 2 arms ({n} runs, {args.horizon} days): "
        f"batched {b:.2f} s, one run each {r:.2f} s, ratio {r / b:.2f}×; max rel. diff {err:.1e}",
        flush=True,
    )


if __name__ == "__main__":
    main()

r"""Ensemble tasks that run on the bundled data: ARIO shock draws on the China MRIO, and a synthetic
task for testing runners.

:func:`ario_shock_tasks` draws ``draws`` scenarios: in each, :math:`k` provinces of the chosen roles
(default: the front provinces, mostly coastal) lose a capacity share :math:`\delta` of every
industry for :math:`d` days, then recover linearly over :math:`\tau` days; :math:`k, \delta, d, \tau`
are drawn per scenario from independent child seeds of one :class:`numpy.random.SeedSequence`, so a
draw's payload (and its result) does not depend on the backend or on the order tasks run in.

:func:`ario_shock_task` simulates one payload with the ARIO model (Hallegatte 2008, *Risk Anal.*
28(3); BoARIO formulation, Juhel 2023, *JOSS*) and returns, per region :math:`r`,

.. math::  L_r = \sum_{t=1}^{T} \sum_{i} \left(x^0_{r,i} - x^a_{r,i}(t)\right), \qquad
           \ell_r = L_r \big/ \left(T \sum_i x^0_{r,i}\right),

the lost output (万元 over the horizon) and its share of baseline output, plus final demand not
met :math:`U_r = \sum_t \sum_i u_{r,i}(t)` of consumers in :math:`r` (万元).

The task builds the draw as an in-memory :class:`hinterland.economy.ShockScenario` (a capacity shock on
every industry of the hit provinces) and runs it through :func:`hinterland.economy.run_arms`, the one
route from a scenario into the ARIO engine.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from hinterland.config import DEFAULT_SEED
from hinterland.errors import ConfigError

__all__ = [
    "ario_shock_task",
    "ario_shock_tasks",
    "mrio_input_files",
    "scenario_shock_task",
    "scenario_shock_tasks",
    "synthetic_task",
]


def mrio_input_files() -> dict[str, Path]:
    """The bundled files an ARIO ensemble reads (for the store's input hashes)."""
    from hinterland.datasets import china_data_dir

    folder = china_data_dir() / "mrio"
    return {f"mrio/{p.name}": p for p in sorted(folder.glob("*.parquet"))}


def ario_shock_tasks(
    draws: int,
    seed: int = DEFAULT_SEED,
    *,
    roles: tuple[str, ...] | None = None,
    regions_per_draw: tuple[int, int] | None = None,
    severity: tuple[float, float] | None = None,
    duration_days: tuple[int, int] | None = None,
    recovery_days: tuple[int, int] | None = None,
    steps: int | None = None,
) -> dict[str, dict[str, Any]]:
    """``draws`` payloads for :func:`ario_shock_task`, keyed ``draw-0000`` …, reproducible from ``seed``.

    The ranges default to the plan schema's ``stress`` block (:func:`plan_schema_defaults`, the one
    place they are kept). Ranges are inclusive (uniform draws); the shock starts on day 1 and
    ``duration_days`` must leave at least one simulated day (``duration < steps``).
    """
    from hinterland.datasets import load_china
    from hinterland.plan._config import plan_schema_defaults

    d = plan_schema_defaults("stress")
    roles = tuple(roles if roles is not None else d["roles"])
    lo, hi = regions_per_draw if regions_per_draw is not None else d["regions_per_draw"]
    sev = tuple(severity if severity is not None else d["severity"])
    dur = tuple(duration_days if duration_days is not None else d["duration_days"])
    rec = tuple(recovery_days if recovery_days is not None else d["recovery_days"])
    steps = int(steps if steps is not None else d["steps"])
    if draws < 1:
        raise ConfigError(f"draws = {draws}: expected ≥ 1")
    regions = load_china().regions
    pool: list[int] = sorted({r for role in roles for r in regions.by_role(role)})
    if not 1 <= lo <= hi <= len(pool):
        raise ConfigError(
            f"regions_per_draw = {(lo, hi)}: expected 1 ≤ low ≤ high ≤ {len(pool)} "
            f"(the number of {'/'.join(roles)} provinces)"
        )
    if not 0 <= sev[0] <= sev[1] <= 1:
        raise ConfigError(f"severity = {sev}: expected shares with 0 ≤ low ≤ high ≤ 1")
    if not 1 <= dur[0] <= dur[1] < steps:
        raise ConfigError(f"duration_days = {dur}: expected 1 ≤ low ≤ high < steps = {steps}")
    if not 1 <= rec[0] <= rec[1]:
        raise ConfigError(f"recovery_days = {rec}: expected 1 ≤ low ≤ high")
    out: dict[str, dict[str, Any]] = {}
    for i, child in enumerate(np.random.SeedSequence(seed).spawn(draws)):
        rng = np.random.default_rng(child)
        k = int(rng.integers(lo, hi + 1))
        hit = sorted(int(r) for r in rng.choice(pool, size=k, replace=False))
        out[f"draw-{i:04d}"] = {
            "regions": hit,
            "severity": round(float(rng.uniform(*sev)), 6),
            "duration": int(rng.integers(dur[0], dur[1] + 1)),
            "recovery_days": int(rng.integers(rec[0], rec[1] + 1)),
            "steps": int(steps),
        }
    return out


def ario_shock_task(payload: dict[str, Any]) -> pd.DataFrame:
    """One ARIO draw on the bundled MRIO → loss by region (index ``region``; columns ``output_loss``,
    ``output_loss_share``, ``final_demand_unmet``), see the module docstring."""
    from hinterland.economy import Shock, ShockLevers, ShockScenario, Timing, run_arms
    from hinterland.plan._assess import _china_mrio

    mrio = _china_mrio()
    try:
        hit = tuple(int(r) for r in payload["regions"])
        severity = float(payload["severity"])
        duration = int(payload["duration"])
        tau = int(payload["recovery_days"])
        steps = int(payload["steps"])
    except (KeyError, ValueError, TypeError) as exc:
        raise ConfigError(
            f"ARIO task payload {payload!r}: {exc}. Expected regions (adcodes of the MRIO), severity, "
            "duration, recovery_days and steps, as made by ario_shock_tasks."
        ) from exc
    unknown = [r for r in hit if r not in list(mrio.regions)]
    if unknown:
        raise ConfigError(
            f"ARIO task payload: regions {unknown} are not in the bundled MRIO. Fix: make payloads with "
            "ario_shock_tasks."
        )
    shock = Shock("capacity", hit, "all", Timing(1, duration, tau), share=severity, key="draw")
    scenario = ShockScenario(
        "draw", "random capacity shock", "ario_shock_tasks", horizon_days=steps, shocks=(shock,)
    )
    runs = run_arms(mrio, scenario, {"baseline": ShockLevers()}, horizon_days=steps)
    x = mrio.x.to_numpy(dtype=float).reshape(mrio.n_regions, mrio.n_sectors).sum(axis=1)
    lost = runs.output_region[0, 0]
    return pd.DataFrame(
        {
            "output_loss": lost,
            "output_loss_share": lost / (x / 365.0 * steps),
            "final_demand_unmet": runs.fd_region[0, 0],
        },
        index=pd.Index([int(r) for r in mrio.regions], name="region"),
    )


def scenario_shock_tasks(
    scenarios: list[str], seed: int = DEFAULT_SEED, *, draws: int = 0, horizon_days: int | None = None
) -> dict[str, dict[str, Any]]:
    """One payload per economy library scenario (or scenario file) for :func:`scenario_shock_task`,
    keyed by the scenario's name; each gets its own child seed of ``seed``."""
    seeds = np.random.SeedSequence(seed).generate_state(max(len(scenarios), 1))
    return {
        Path(str(name)).stem: {
            "scenario": str(name),
            "seed": int(seeds[i]),
            "draws": int(draws),
            "horizon_days": horizon_days,
        }
        for i, name in enumerate(scenarios)
    }


def scenario_shock_task(payload: dict[str, Any]) -> pd.DataFrame:
    """Run one economy scenario (``hinterland.economy.run_shock``, ARIO) on the bundled MRIO and return
    its ``loss_by_region`` table (central loss, baseline output, loss %, and quantiles with draws)."""
    from hinterland.economy import load_scenario, run_shock
    from hinterland.plan._assess import _china_mrio
    from hinterland.plan._transport import transport_levers

    mrio = _china_mrio()
    scenario = load_scenario(payload["scenario"], mrio=mrio)
    result = run_shock(
        mrio,
        scenario,
        model="ario",
        draws=int(payload.get("draws", 0)),
        seed=int(payload.get("seed", 0)),
        horizon_days=payload.get("horizon_days"),
        levers=transport_levers(scenario),
    )
    return result.loss_by_region


def synthetic_task(payload: dict[str, Any]) -> pd.DataFrame:
    """A deterministic stand-in task for testing runners: waits ``seconds`` and returns 3 rows drawn
    from ``seed``. Optional side effects for tests: appends its ``key`` to the file ``log``; if
    ``die_once`` names a marker file that does not exist yet, creates it and kills its own process."""
    log = payload.get("log")
    if log:
        with Path(log).open("a", encoding="utf-8") as fh:
            fh.write(f"{payload.get('key', '?')}\n")
    marker = payload.get("die_once")
    if marker and not Path(marker).exists():
        Path(marker).write_text(str(os.getpid()), encoding="utf-8")
        os.kill(os.getpid(), 9)
    if payload.get("fail"):
        raise ValueError(f"synthetic failure in task {payload.get('key', '?')}")
    time.sleep(float(payload.get("seconds", 0.0)))
    rng = np.random.default_rng(int(payload.get("seed", 0)))
    return pd.DataFrame(
        {"value": rng.normal(size=3), "count": rng.integers(0, 10, size=3)},
        index=pd.Index([110000, 310000, 510000], name="region"),
    )

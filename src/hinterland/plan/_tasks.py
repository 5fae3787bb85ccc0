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

A payload may carry the levers of a plan under ``"plan"`` (see :func:`plan_levers`): spare capacity
:math:`\alpha^{max}_{r,i}-1` and ramp-up time :math:`\tau^{\alpha}_{r,i}` of the industries that host
backup lines, and extra stockpile days per product from strategic reserves. The task then simulates
the baseline and the plan side by side (one ARIO batch of two, same shock) and adds the columns
``output_loss_plan``, ``output_loss_share_plan`` and ``final_demand_unmet_plan``.
"""

from __future__ import annotations

import os
import time
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from hinterland.config import DEFAULT_SEED
from hinterland.errors import ConfigError

if TYPE_CHECKING:
    from hinterland.economy import ARIOModel

__all__ = [
    "ario_shock_task",
    "ario_shock_tasks",
    "mrio_input_files",
    "plan_levers",
    "plan_scenario_task",
    "scenario_shock_task",
    "scenario_shock_tasks",
    "synthetic_task",
]


@lru_cache(maxsize=1)
def _china_ario() -> ARIOModel:
    """The ARIO model of the bundled MRIO, built once per process (workers reuse it across tasks)."""
    from hinterland.datasets import load_china_mrio
    from hinterland.economy import ARIOModel

    return ARIOModel.from_mrio(load_china_mrio())


def mrio_input_files() -> dict[str, Path]:
    """The bundled files an ARIO ensemble reads (for the store's input hashes)."""
    from hinterland.datasets import china_data_dir

    folder = china_data_dir() / "mrio"
    return {f"mrio/{p.name}": p for p in sorted(folder.glob("*.parquet"))}


def ario_shock_tasks(
    draws: int,
    seed: int = DEFAULT_SEED,
    *,
    roles: tuple[str, ...] = ("front",),
    regions_per_draw: tuple[int, int] = (1, 3),
    severity: tuple[float, float] = (0.1, 0.5),
    duration_days: tuple[int, int] = (10, 60),
    recovery_days: tuple[int, int] = (30, 90),
    steps: int = 120,
) -> dict[str, dict[str, Any]]:
    """``draws`` payloads for :func:`ario_shock_task`, keyed ``draw-0000`` …, reproducible from ``seed``.

    Ranges are inclusive (uniform draws); the shock starts on day 1 and ``duration_days`` must leave
    at least one simulated day (``duration < steps``).
    """
    from hinterland.datasets import load_china

    if draws < 1:
        raise ConfigError(f"draws = {draws}: expected ≥ 1")
    regions = load_china().regions
    pool: list[int] = sorted({r for role in roles for r in regions.by_role(role)})
    lo, hi = regions_per_draw
    if not 1 <= lo <= hi <= len(pool):
        raise ConfigError(
            f"regions_per_draw = {regions_per_draw}: expected 1 ≤ low ≤ high ≤ {len(pool)} "
            f"(the number of {'/'.join(roles)} provinces)"
        )
    if not 0 <= severity[0] <= severity[1] <= 1:
        raise ConfigError(f"severity = {severity}: expected shares with 0 ≤ low ≤ high ≤ 1")
    if not 1 <= duration_days[0] <= duration_days[1] < steps:
        raise ConfigError(f"duration_days = {duration_days}: expected 1 ≤ low ≤ high < steps = {steps}")
    if not 1 <= recovery_days[0] <= recovery_days[1]:
        raise ConfigError(f"recovery_days = {recovery_days}: expected 1 ≤ low ≤ high")
    out: dict[str, dict[str, Any]] = {}
    for i, child in enumerate(np.random.SeedSequence(seed).spawn(draws)):
        rng = np.random.default_rng(child)
        k = int(rng.integers(lo, hi + 1))
        hit = sorted(int(r) for r in rng.choice(pool, size=k, replace=False))
        out[f"draw-{i:04d}"] = {
            "regions": hit,
            "severity": round(float(rng.uniform(*severity)), 6),
            "duration": int(rng.integers(duration_days[0], duration_days[1] + 1)),
            "recovery_days": int(rng.integers(recovery_days[0], recovery_days[1] + 1)),
            "steps": int(steps),
        }
    return out


def plan_levers(
    spare_capacity: pd.Series | None = None,
    ramp_up_days: pd.Series | None = None,
    extra_stockpile_days: pd.Series | None = None,
) -> dict[str, dict[str, float]]:
    """A plan's levers as a JSON-able payload entry for :func:`ario_shock_task` (``payload["plan"]``).

    ``spare_capacity`` and ``ramp_up_days``: Series on (``region``, ``sector``) (0.25 = +25 %
    capacity; days); ``extra_stockpile_days``: Series on ``sector``, days of input stocks added to
    the engine default for that product. Keys become ``"region|sector"`` strings."""

    def industry(s: pd.Series | None) -> dict[str, float]:
        if s is None:
            return {}
        return {f"{int(r)}|{sec}": float(v) for (r, sec), v in s.items()}

    return {
        "spare_capacity": industry(spare_capacity),
        "ramp_up_days": industry(ramp_up_days),
        "extra_stockpile_days": (
            {}
            if extra_stockpile_days is None
            else {str(k): float(v) for k, v in extra_stockpile_days.items()}
        ),
    }


def _plan_arrays(model: ARIOModel, plan: dict[str, Any]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Batch-of-two lever arrays (baseline, plan) for ``alpha_max``, ``alpha_tau``, ``inventory_days``."""
    p = model.params
    m, n, N = model.n_domestic_regions, model.n_sectors, model.n
    regions = [str(r) for r in model.regions]
    sectors = [str(s) for s in model.sectors]
    amax = np.full((2, N), p.alpha_max)
    amax[:, m * n :] = 1.0  # foreign suppliers have no spare capacity (engine default)
    atau = np.full((2, N), p.alpha_tau)
    days = np.broadcast_to(np.asarray(p.inventory_days, dtype=float), (n,)).copy()
    inv = np.vstack([days, days])

    def position(key: str) -> int:
        reg, _, sec = key.partition("|")
        try:
            return regions.index(reg) * n + sectors.index(sec)
        except ValueError as exc:
            raise ConfigError(
                f"plan lever for industry {key!r}: no such region|sector in the bundled MRIO"
            ) from exc

    for key, share in plan.get("spare_capacity", {}).items():
        amax[1, position(key)] = 1.0 + float(share)
    for key, tau in plan.get("ramp_up_days", {}).items():
        atau[1, position(key)] = float(tau)
    for sec, extra in plan.get("extra_stockpile_days", {}).items():
        if sec not in sectors:
            raise ConfigError(f"plan stockpile for product {sec!r}: no such sector in the bundled MRIO")
        inv[1, sectors.index(sec)] += float(extra)
    return amax, atau, inv


def ario_shock_task(payload: dict[str, Any]) -> pd.DataFrame:
    """One ARIO draw on the bundled MRIO → loss by region (index ``region``; columns ``output_loss``,
    ``output_loss_share``, ``final_demand_unmet``, and with ``payload["plan"]`` the same with suffix
    ``_plan``), see the module docstring."""
    from hinterland.economy import ARIOEvent, ARIOLevers, simulate_ario

    model = _china_ario()
    m, n = model.n_domestic_regions, model.n_sectors
    try:
        rows = [model.regions.index(int(r)) for r in payload["regions"]]
        severity = float(payload["severity"])
        duration = int(payload["duration"])
        tau = int(payload["recovery_days"])
        steps = int(payload["steps"])
    except (KeyError, ValueError, TypeError) as exc:
        raise ConfigError(
            f"ARIO task payload {payload!r}: {exc}. Expected regions (adcodes of the MRIO), severity, "
            "duration, recovery_days and steps, as made by ario_shock_tasks."
        ) from exc
    impact = np.zeros(model.n)
    for row in rows:
        impact[row * n : (row + 1) * n] = severity
    event = ARIOEvent("arbitrary", impact, occurrence=1, duration=duration, recovery_tau=tau)
    plan = payload.get("plan")
    if plan:
        amax, atau, inv = _plan_arrays(model, plan)
        levers = ARIOLevers(alpha_max=amax, alpha_tau=atau, inventory_days=inv)
        res = simulate_ario(model, [event], steps=steps, batch=2, levers=levers, record_flows=False)
    else:
        res = simulate_ario(model, [event], steps=steps, record_flows=False)
    x0 = res.x0[: m * n]
    base = x0.reshape(m, n).sum(axis=1) * steps
    index = pd.Index([int(str(r)) for r in model.regions[:m]], name="region")
    out: dict[str, np.ndarray] = {}
    for b, suffix in enumerate(("", "_plan") if plan else ("",)):
        prod = res.production[:, b, : m * n]
        lost = (x0[None, :] - prod).sum(axis=0).reshape(m, n).sum(axis=1)
        out[f"output_loss{suffix}"] = lost
        out[f"output_loss_share{suffix}"] = lost / base
        out[f"final_demand_unmet{suffix}"] = res.fd_unmet[:, b, :m, :].sum(axis=(0, 2))
    return pd.DataFrame(out, index=index)


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
    from hinterland.datasets import load_china_mrio
    from hinterland.economy import run_shock

    result = run_shock(
        load_china_mrio(),
        payload["scenario"],
        model="ario",
        draws=int(payload.get("draws", 0)),
        seed=int(payload.get("seed", 0)),
        horizon_days=payload.get("horizon_days"),
    )
    return result.loss_by_region


def _industry_series(d: dict[str, float]) -> pd.Series | None:
    if not d:
        return None
    keys = [k.partition("|") for k in d]
    idx = pd.MultiIndex.from_tuples([(int(r), sec) for r, _, sec in keys], names=["region", "sector"])
    return pd.Series(list(d.values()), index=idx, dtype=float)


def plan_scenario_task(payload: dict[str, Any]) -> pd.DataFrame:
    """One library (or file) scenario with and without a plan's levers (``payload["plan"]``, see
    :func:`plan_levers`) on the bundled MRIO with ARIO → daily output loss (index ``day``; columns
    ``loss_baseline`` and ``loss_plan`` in 万元/day, ``pct_baseline`` / ``pct_plan`` in % of baseline
    daily output). Without the plan, industries keep the scenario's (or the engine's) levers; with it,
    the listed industries get the plan's spare capacity and ramp-up time and the listed products the
    scenario's stockpile days plus the reserve days."""
    from hinterland.datasets import load_china_mrio
    from hinterland.economy import ARIOParams, run_shock

    mrio = load_china_mrio()
    plan = payload.get("plan") or {}
    horizon = payload.get("horizon_days")
    base = run_shock(mrio, payload["scenario"], model="ario", horizon_days=horizon)
    extra = plan.get("extra_stockpile_days") or {}
    stock = None
    if extra:
        default = ARIOParams().inventory_days
        stock = pd.Series({str(k): float(np.max(default)) + float(v) for k, v in extra.items()}, dtype=float)
        stock.index.name = "sector"
    with_plan = run_shock(
        mrio,
        payload["scenario"],
        model="ario",
        horizon_days=horizon,
        spare_capacity=_industry_series(plan.get("spare_capacity") or {}),
        ramp_up_days=_industry_series(plan.get("ramp_up_days") or {}),
        stockpile_days=stock,
    )

    def curve(res: Any) -> pd.DataFrame:
        d = res.daily
        d = d[(d["draw"] == 0) & (d["group"] == "total")].set_index("day")
        return d[["output_loss", "output_loss_pct"]]

    b, p = curve(base), curve(with_plan)
    out = pd.DataFrame(
        {
            "loss_baseline": b["output_loss"],
            "loss_plan": p["output_loss"].reindex(b.index),
            "pct_baseline": b["output_loss_pct"],
            "pct_plan": p["output_loss_pct"].reindex(b.index),
        }
    )
    out.index.name = "day"
    return out


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

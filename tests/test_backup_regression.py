"""Regression: the backup study on the bundled data against stored CSVs (``tests/regression/backup_*``).

Two settings of ``run_backup(budget=5000, seed=0, loop=False)``: ``fast`` (8 in-sample draws, 40
out-of-sample, two Pareto budgets; a few seconds) and ``default`` (the CLI defaults: 20 draws, 200
out-of-sample, six Pareto budgets; the numbers quoted in docs/backup.md; marked slow). Stored: the
allocation (chain, region, capacity and investment in 1e8 CNY, rounded to 0.01) and the losses
(in- and out-of-sample expected loss and CVaR, the Pareto front, the N-1 failures).

Tolerances: the same bases must open; capacities within 0.1 % (+0.05), losses within 0.02 % — the
MILP is solved to a relative gap of 1e-4, so another HiGHS version may return another plan within
that gap. Regenerate after a deliberate change with ``HINTERLAND_UPDATE_REGRESSION=1``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from hinterland.plan import run_backup

pytestmark = pytest.mark.regression
REG = Path(__file__).parent / "regression"
SETTINGS = {
    "fast": {"draws": 8, "n_out": 40, "budgets": (1000.0, 5000.0)},
    "default": {"draws": 20, "n_out": 200},
}


def _tables(setting: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    study = run_backup(budget=5000.0, seed=0, loop=False, **SETTINGS[setting])  # type: ignore[arg-type]
    alloc = study.plan.bases.reset_index()[["chain", "region", "capacity", "invest"]]
    alloc = alloc.round({"capacity": 2, "invest": 2}).sort_values(["chain", "region"]).reset_index(drop=True)
    s = study.summary
    rows: list[tuple[str, float]] = [
        ("invest", float(study.plan.invest)),
        ("n_bases", float(len(study.plan.bases))),
        ("in_sample_expected_loss", float(s["in_sample_expected_loss"])),  # type: ignore[arg-type]
        ("in_sample_cvar", float(s["in_sample_cvar"])),  # type: ignore[arg-type]
        ("out_of_sample_expected_loss", float(s["out_of_sample_expected_loss"])),  # type: ignore[arg-type]
        ("out_of_sample_cvar", float(s["out_of_sample_cvar"])),  # type: ignore[arg-type]
    ]
    for r in study.front.itertuples():
        rows.append((f"pareto_expected_loss@{r.budget:g}", float(r.expected_loss)))
        rows.append((f"pareto_cvar@{r.budget:g}", float(r.cvar)))
    for key in ("n1_fail_nominal", "n1_fail_with_plan"):
        rows += [(f"{key}|{x}", 1.0) for x in s[key]]  # type: ignore[attr-defined]
    losses = pd.DataFrame(rows, columns=["metric", "value"]).round({"value": 2})
    return alloc, losses


def _check(setting: str) -> None:
    alloc, losses = _tables(setting)
    fa, fl = REG / f"backup_{setting}_allocation.csv", REG / f"backup_{setting}_losses.csv"
    if os.environ.get("HINTERLAND_UPDATE_REGRESSION"):
        alloc.to_csv(fa, index=False)
        losses.to_csv(fl, index=False)
    want_a = pd.read_csv(fa)
    want_l = pd.read_csv(fl)
    assert list(zip(alloc["chain"], alloc["region"], strict=True)) == list(
        zip(want_a["chain"], want_a["region"], strict=True)
    ), f"other bases open:\n{alloc}\nstored:\n{want_a}"
    pd.testing.assert_series_equal(alloc["capacity"], want_a["capacity"], rtol=1e-3, atol=0.05)
    pd.testing.assert_series_equal(alloc["invest"], want_a["invest"], rtol=1e-3, atol=0.05)
    assert list(losses["metric"]) == list(want_l["metric"])
    pd.testing.assert_series_equal(losses["value"], want_l["value"], rtol=2e-4, atol=0.01)


def test_fast_study_matches_stored_csv() -> None:
    _check("fast")


@pytest.mark.slow
def test_default_study_matches_stored_csv() -> None:
    _check("default")

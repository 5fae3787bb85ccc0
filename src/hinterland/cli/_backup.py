"""``hinterland backup``: where to put backup capacity for key chains so shocks cost least."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn

from hinterland.cli._options import defaults_of
from hinterland.plan import plan_schema_defaults, run_backup
from hinterland.report import write_backup

__all__ = ["backup_command"]

console = Console()
D = defaults_of(run_backup)
BUDGET = float(plan_schema_defaults("budgets")["backup"])  # the plan schema holds the one default


def backup_command(
    out: Path = typer.Option(..., "--out", "-o", help="Folder for CSV, Excel, JSON and PNG outputs."),
    chains: Path | None = typer.Option(None, "--chains", help="Chain YAML (default: the bundled 9 chains)."),
    budget: float = typer.Option(
        BUDGET, "--budget", help="Investment budget in 1e8 CNY (the plan's budgets.backup)."
    ),
    no_cap: bool = typer.Option(
        False, "--no-cap", help="--objective n-1 only: no budget cap (the cheapest plan passing N-1)."
    ),
    objective: str = typer.Option(D["objective"], "--objective", help="expected, cvar or n-1."),
    scenarios: str = typer.Option(
        D["scenarios"],
        "--scenarios",
        help="'auto' (economy library + N-1 stress), an economy scenario YAML or a CSV.",
    ),
    alpha: float = typer.Option(D["alpha"], "--alpha", help="CVaR level."),
    draws: int = typer.Option(D["draws"], "--draws", help="Monte Carlo draws for the in-sample SAA problem."),
    seed: int = typer.Option(D["seed"], "--seed", help="Random seed of the draws."),
    n_out: int = typer.Option(
        D["n_out"], "--out-of-sample", help="Fresh draws for out-of-sample evaluation."
    ),
    solver: str = typer.Option(D["solver"], "--solver", help="highs (default) or scipy."),
    no_loop: bool = typer.Option(False, "--no-loop", help="Skip the ARIO closed-loop re-simulation."),
) -> None:
    """Plan strategic backup bases for key chains and test them against shocks (N-1, SAA, ARIO)."""
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=console, transient=True) as bar:
        task = bar.add_task("backup ...", total=None)
        study = run_backup(
            budget=None if no_cap else budget, chains=chains, objective=objective, scenarios=scenarios,
            alpha=alpha, draws=draws, n_out=n_out, seed=seed, solver=solver, loop=not no_loop,
            progress=lambda msg: bar.update(task, description=msg),
        )  # fmt: skip
        files = write_backup(out, study, progress=lambda msg: bar.update(task, description=msg))
    s: dict[str, Any] = dict(study.summary)
    console.print(
        f"plan ({s['objective']}, budget {s['budget']} {s['unit']}): {s['plan']['n_bases']} bases, "
        f"invest {s['plan']['invest']:,.0f}; expected loss in-sample {s['in_sample_expected_loss']:,.0f}, "
        f"out-of-sample {s['out_of_sample_expected_loss']:,.0f}; CVaR {s['out_of_sample_cvar']:,.0f}"
    )
    console.print(f"N-1 failures now: {', '.join(s['n1_fail_nominal']) or 'none'}")
    console.print(f"N-1 failures with the plan: {', '.join(s['n1_fail_with_plan']) or 'none'}")
    cl = s.get("closed_loop")
    if isinstance(cl, dict):
        console.print(
            f"{cl['scenario']} (ARIO): loss {cl['total_loss_without']:,.0f} → {cl['total_loss_with']:,.0f} "
            f"{s['unit']} (saved {cl['saved']:,.0f}, {cl['saved_pct']:.2f} %)"
        )
    for role, path in files.items():
        console.print(f"{role:>18}: {path}")

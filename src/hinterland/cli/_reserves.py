"""``hinterland reserves``: site grain, energy and medical reserve depots (robust to corridor failures)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn

from hinterland.report import write_reserves_report

__all__ = ["reserves_command"]

console = Console()


def reserves_command(
    out: Path = typer.Option(..., "--out", "-o", help="Folder to write CSV, Excel, JSON and the map into."),
    commodity: str = typer.Option(
        "grain", "--commodity", "-c", help="grain, energy, medical, all, or a commodity YAML file."
    ),
    model: str = typer.Option("lscp", "--model", "-m", help="lscp, mclp, p-median, p-center or cflp."),
    p: int | None = typer.Option(
        None, "--p", help="Number of depots (mclp, p-median, p-center; cap in cflp)."
    ),
    radius: float | None = typer.Option(
        None, "--radius", help="Service time limit in hours (default: the commodity's service_time_h)."
    ),
    budget: float | None = typer.Option(
        None, "--budget", help="Budget on total depot fixed cost (mclp, cflp)."
    ),
    scenarios: str | None = typer.Option(
        None, "--scenarios", help="'auto' (historic hazard footprints) or a scenario CSV."
    ),
    objective: str = typer.Option(
        "expected", "--objective", help="Stochastic p-median objective: expected, cvar, worst or regret."
    ),
    level: str = typer.Option(
        "city", "--level", help="Bundled demand points: city (367) or county (~2,900)."
    ),
    demand: Path | None = typer.Option(None, "--demand", help="User demand CSV (id, weight)."),
    candidates: Path | None = typer.Option(
        None, "--candidates", help="User candidate CSV (id[, capacity, fixed_cost, existing])."
    ),
    cost: Path | None = typer.Option(None, "--cost", help="User cost matrix CSV (long or wide)."),
    solver: str = typer.Option("highs", "--solver", help="highs (default) or scipy."),
    time_limit: float | None = typer.Option(None, "--time-limit", help="Seconds per MIP solve."),
) -> None:
    """Choose depot sites so every demand point is served within a time limit, also after corridors fail."""
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=console, transient=True) as bar:
        bar.add_task(f"solving {model} for {commodity} ...", total=None)
        files = write_reserves_report(
            out,
            commodity=commodity,
            model=model,
            p=p,
            radius=radius,
            budget=budget,
            scenarios=scenarios,
            objective=objective,
            level=level,
            demand=demand,
            candidates=candidates,
            cost=cost,
            solver=solver,
            time_limit=time_limit,
        )
    import json

    summary = json.loads(files["summary"].read_text(encoding="utf-8"))
    st = summary["nominal_stats"]
    console.print(
        f"{summary['model']}: {summary['n_sites']} depots, objective {summary['objective']:,.4g} "
        f"({summary['status']}); covered share {st['covered_share']:.1%}, mean time {st['mean_time']:.2f} h, "
        f"max {st['max_time']:.2f} h"
    )
    for key in ("stochastic", "robust_lscp"):
        if key in summary:
            info = {k: v for k, v in summary[key].items() if k not in {"sites", "solutions"}}
            console.print(f"{key}: {info}")
    for role, path in files.items():
        console.print(f"{role:>15}: {path}")

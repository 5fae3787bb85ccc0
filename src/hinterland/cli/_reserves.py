"""``hinterland reserves``: site grain, energy and medical reserve depots (robust to corridor failures)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table

from hinterland.cli._options import defaults_of
from hinterland.plan import run_reserves
from hinterland.report import write_reserves

__all__ = ["reserves_command"]

console = Console()
D = defaults_of(run_reserves)


def reserves_command(
    out: Path = typer.Option(..., "--out", "-o", help="Folder to write CSV, Excel, JSON and the map into."),
    commodity: str = typer.Option(
        D["commodity"], "--commodity", "-c", help="grain, energy, medical, all, or a commodity YAML file."
    ),
    model: str = typer.Option(D["model"], "--model", "-m", help="lscp, mclp, p-median, p-center or cflp."),
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
        None,
        "--scenarios",
        help="'auto' (historic hazard footprints; the default on the bundled data), 'none', or a "
        "scenario CSV (scenario, demand_id, site_id, cost[, prob]).",
    ),
    objective: str = typer.Option(
        D["objective"], "--objective", help="Stochastic p-median objective: expected, cvar, worst or regret."
    ),
    level: str = typer.Option(
        D["level"], "--level", help="Bundled demand points: city (367) or county (~2,900)."
    ),
    demand: Path | None = typer.Option(None, "--demand", help="User demand CSV (id, weight)."),
    candidates: Path | None = typer.Option(
        None, "--candidates", help="User candidate CSV (id[, capacity, fixed_cost, existing])."
    ),
    cost: Path | None = typer.Option(None, "--cost", help="User cost matrix CSV (long or wide)."),
    solver: str = typer.Option(D["solver"], "--solver", help="highs (default) or scipy."),
    time_limit: float | None = typer.Option(None, "--time-limit", help="Seconds per MIP solve."),
) -> None:
    """Choose depot sites so every demand point is served within a time limit, also after corridors fail."""
    user = demand is not None or candidates is not None or cost is not None
    if scenarios is None:
        scenarios = None if user else "auto"
    elif scenarios.lower() == "none":
        scenarios = None
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=console, transient=True) as bar:
        bar.add_task(f"solving {model} for {commodity} ...", total=None)
        study = run_reserves(
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
        files = write_reserves(out, study)
    summary = study.summary
    console.print(
        f"{summary['model']}: {summary['n_sites']} depots, objective {summary['objective']:,.6g} "
        f"({summary['status']}, {summary['seconds']:.2f} s); sites {', '.join(summary['site_names'])}"
    )
    stats = study.tables["scenario_stats"]
    table = Table(title="service per scenario (weighted by demand)", box=None)
    for col in ("scenario", "prob", "covered", "mean h", "p95 h", "max h", "unreachable"):
        table.add_column(col, justify="left" if col == "scenario" else "right")
    for name, r in stats.iterrows():
        table.add_row(
            str(name),
            "" if pd.isna(r["prob"]) else f"{r['prob']:.3f}",
            f"{r['covered_share']:.1%}",
            f"{r['mean_time']:.2f}",
            f"{r.get('p95_time', float('nan')):.2f}",
            f"{r['max_time']:.2f}",
            f"{int(r['unreachable'])}",
        )
    console.print(table)
    if "robust_lscp" in summary:
        rl = summary["robust_lscp"]
        if "infeasible" in rl:
            console.print(f"robust LSCP (all scenarios): infeasible: {rl['infeasible']}")
        else:
            console.print(
                f"robust LSCP (covered within the radius in every scenario): {rl['objective']:g} depots, "
                f"price of robustness {rl['price_of_robustness_pct']:.1f}% more depots"
            )
    if "stochastic" in summary:
        sp = summary["stochastic"]
        console.print(
            f"stochastic p-median ({sp['objective']}): expected cost RP {sp['RP']:,.6g}; "
            f"VSS {sp['VSS']:,.6g} ({sp['VSS_pct']:.2f}% of EEV); EVPI {sp['EVPI']:,.6g}; "
            f"price of robustness {sp['price_of_robustness_pct']:.2f}% (worst case), "
            f"{sp['price_of_regret_robustness_pct']:.2f}% (min–max regret)"
        )
    for role, path in files.items():
        console.print(f"{role:>15}: {path}")

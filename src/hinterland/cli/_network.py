"""``hinterland network``: accessibility, criticality, min cut, attack curves and upgrades."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn

from hinterland.cli._options import defaults_of
from hinterland.plan import run_network
from hinterland.report import write_network

__all__ = ["network_command"]

console = Console()
D = defaults_of(run_network)


def network_command(
    out: Path = typer.Option(Path("out/network"), "--out", "-o", help="Folder to write into."),
    year: int | None = typer.Option(
        None, "--year", "-y", help="Network as of this year (edges opened by then)."
    ),
    level: str = typer.Option(D["level"], "--level", help="city or province."),
    mode: str = typer.Option(
        D["mode"],
        "--mode",
        help="rail (main lines), road (expressways placed from named segments) or all (both; no min "
        "cut or upgrade plan then: the capacities are in different units).",
    ),
    nodes: Path | None = typer.Option(None, "--nodes", help="Your node file (CSV/XLSX/Parquet/GeoJSON)."),
    edges: Path | None = typer.Option(None, "--edges", help="Your edge file (CSV/XLSX/Parquet/GeoJSON)."),
    budget: float | None = typer.Option(
        None, "--budget", help="Upgrade budget (km of upgraded link) for the MILP plan."
    ),
    objective: str = typer.Option(
        D["objective"],
        "--objective",
        help="Upgrade objective: mincut (max worst-case core+hinterland->front cut) or travel-time "
        "(min population-weighted time from core+hinterland cities to the front capitals).",
    ),
    scenarios: str = typer.Option(
        D["scenarios"],
        "--scenarios",
        help="Disruption scenarios for the upgrade plan: comma-separated intact, n1:K (K most critical "
        "links, one each), nk:K (greedy N-K set), or a CSV file (scenario, edge[, weight]).",
    ),
    risk: str = typer.Option(
        D["risk"], "--risk", help="travel-time objective: expected (mean over scenarios) or worst."
    ),
    k: int = typer.Option(D["k"], "--k", help="Links in the greedy N-k worst case."),
    draws: int = typer.Option(D["draws"], "--draws", help="Random-failure draws."),
    max_fraction: float = typer.Option(
        D["max_fraction"], "--max-fraction", help="Attack curves up to this node fraction."
    ),
    seed: int = typer.Option(D["seed"], "--seed", help="Seed for the random failures."),
) -> None:
    """Write accessibility and criticality tables, the min cut, attack curves, maps and (with --budget)
    an upgrade plan for the bundled rail (or expressway) network or your own node/edge files."""
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=console, transient=True) as bar:
        task = bar.add_task("loading network", total=None)
        study = run_network(
            year=year,
            level=level,
            mode=mode,
            nodes=nodes,
            edges=edges,
            budget=budget,
            objective=objective,
            scenarios=scenarios,
            risk=risk,
            k=k,
            draws=draws,
            max_fraction=max_fraction,
            seed=seed,
            progress=lambda msg: bar.update(task, description=msg),
        )
        files = write_network(out, study, progress=lambda msg: bar.update(task, description=msg))
    mc = study.min_cut_value
    if mc == mc:  # not NaN
        console.print(
            f"min cut {study.source_role} → {study.sink_role}: {mc:,.0f} train paths/day "
            f"({len(study.tables['min_cut'])} links)"
        )
    up = study.summary.get("upgrade")
    if isinstance(up, dict):
        console.print(f"upgrade plan ({up['objective']}): {up['chosen']} links within {up['budget_km']:g} km")
    for role, path in files.items():
        console.print(f"{role:>18}: {path}")

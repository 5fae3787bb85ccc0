"""``hinterland network``: accessibility, criticality, min cut, attack curves and upgrades."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn

from hinterland.report import write_network_report

__all__ = ["network_command"]

console = Console()


def network_command(
    out: Path = typer.Option(Path("out/network"), "--out", "-o", help="Folder to write into."),
    year: int | None = typer.Option(
        None, "--year", "-y", help="Network as of this year (edges opened by then)."
    ),
    level: str = typer.Option("city", "--level", help="city or province."),
    mode: str = typer.Option(
        "rail",
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
        "mincut",
        "--objective",
        help="Upgrade objective: mincut (max worst-case core+hinterland->front cut) or travel-time "
        "(min population-weighted time from core+hinterland cities to the front capitals).",
    ),
    scenarios: str = typer.Option(
        "intact,n1:5,nk:3",
        "--scenarios",
        help="Disruption scenarios for the upgrade plan: comma-separated intact, n1:K (K most critical "
        "links, one each), nk:K (greedy N-K set), or a CSV file (scenario, edge[, weight]).",
    ),
    risk: str = typer.Option(
        "expected", "--risk", help="travel-time objective: expected (mean over scenarios) or worst."
    ),
    k: int = typer.Option(5, "--k", help="Links in the greedy N-k worst case."),
    draws: int = typer.Option(20, "--draws", help="Random-failure draws."),
    max_fraction: float = typer.Option(0.3, "--max-fraction", help="Attack curves up to this node fraction."),
    seed: int = typer.Option(0, "--seed", help="Seed for the random failures."),
) -> None:
    """Write accessibility and criticality tables, the min cut, attack curves, maps and (with --budget)
    an upgrade plan for the bundled rail (or expressway) network or your own node/edge files."""
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=console, transient=True) as bar:
        task = bar.add_task("loading network", total=None)
        files = write_network_report(
            out,
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
    for role, path in files.items():
        console.print(f"{role:>18}: {path}")

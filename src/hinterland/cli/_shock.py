"""``hinterland shock``: run a shock scenario (library name or YAML file) and write losses and figures."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from hinterland.report import scenario_table, write_shock_report

__all__ = ["shock_command"]

console = Console()


def shock_command(
    scenario: str = typer.Option(
        "coastal-blockade", "--scenario", "-s", help="Library scenario name or a YAML file."
    ),
    out: Path = typer.Option(Path("out/shock"), "--out", "-o", help="Folder to write into."),
    mrio: Path | None = typer.Option(
        None,
        "--mrio",
        help="MRIO folder (pymrio-saved or write_mrio CSV/Parquet) or an .xlsx/.csv file (national NBS "
        "table or CEADs MRIO workbook, detected); default: bundled China MRIO.",
    ),
    model: str = typer.Option("ario", "--model", "-m", help="ario, iim, diim, leontief or ghosh."),
    draws: int = typer.Option(0, "--draws", "-n", help="Monte Carlo draws of the scenario's ranges."),
    seed: int = typer.Option(0, "--seed", help="Seed for the draws."),
    days: int | None = typer.Option(
        None, "--days", "-d", help="Simulated days (default: the scenario's; must cover its last shock day)."
    ),
    list_: bool = typer.Option(False, "--list", help="List the scenario library and exit."),
) -> None:
    """Propagate a shock through the MRIO and write losses by region, sector and day, a summary (total,
    peak, recovery time, hinterland vs front), an Excel workbook, a loss map and recovery curves."""
    if list_:
        table = Table(title="hinterland scenario library")
        lib = scenario_table()
        for col in lib.columns:
            table.add_column(col)
        for row in lib.itertuples(index=False):
            table.add_row(*["" if v is None or v != v else str(v) for v in row])
        console.print(table)
        return
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("starting", total=None)
        res, files = write_shock_report(
            out,
            scenario,
            mrio_path=mrio,
            model=model,
            draws=draws,
            seed=seed,
            days=days,
            progress=lambda msg: bar.update(task, description=msg),
        )
    s = res.summary.loc[0]
    rec = s["recovery_days"]
    rec_text = "not within the horizon" if rec != rec else f"{rec:.0f} days"
    console.print(
        f"[bold]{res.scenario}[/] ({res.model}, {res.horizon_days} days): output loss "
        f"{s['total_loss']:.6g} {res.unit} = {s['total_loss_pct']:.3f} % of annual output; peak "
        f"{s['peak_daily_loss_pct']:.2f} % of daily output on day {int(s['peak_day'])}; recovery {rec_text}",
        highlight=False,
    )
    if s["va_loss"] == s["va_loss"]:  # ARIO: value added lost, output above normal not netted
        console.print(
            f"  value added lost {s['va_loss']:.6g} {res.unit} = {s['va_loss_pct']:.3f} % of annual value "
            f"added; final demand not met {s['fd_unmet']:.6g} {res.unit}",
            highlight=False,
        )
    shares = [c for c in res.summary.columns if c.startswith("share_")]
    if shares:
        console.print("  loss shares: " + ", ".join(f"{c[6:]} {s[c]:.1%}" for c in shares), highlight=False)
    if res.draws:
        q = res.summary["total_loss_pct"].iloc[1:].quantile([0.05, 0.5, 0.95])
        console.print(
            f"  {res.draws} draws: total loss {q.iloc[0]:.3f} / {q.iloc[1]:.3f} / {q.iloc[2]:.3f} % "
            "(5 / 50 / 95 %)",
            highlight=False,
        )
    for role, path in files.items():
        console.print(f"{role:>15}: {path}")

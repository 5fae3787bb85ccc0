"""``hinterland plan``: the integrated strategic hinterland plan, from scores to the advisory report."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pandas as pd
import typer
from rich.console import Console

from hinterland.report import write_plan_report

__all__ = ["plan_command"]

console = Console()


def plan_command(
    out: Path = typer.Option(
        Path("out/plan"), "--out", "-o", help="Folder for every stage's outputs and the report."
    ),
    config: Path | None = typer.Option(
        None, "--config", "-c", help="Plan YAML (default: the bundled plan; see docs/plan.md for every key)."
    ),
    store: Path | None = typer.Option(
        None, "--store", help="Run store (DuckDB) to record the run in (default: runner.store of the config)."
    ),
    resume: str | None = typer.Option(
        None, "--resume", help="Run id (or unique prefix, or 'latest') of an interrupted plan to finish."
    ),
    backend: str | None = typer.Option(
        None, "--backend", help="inprocess, process or dask (default: config)."
    ),
    workers: int | None = typer.Option(None, "--workers", min=1, help="Worker processes for the ensembles."),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="Dask scheduler address tcp://host:port (needs --backend dask)."
    ),
    draws: int | None = typer.Option(None, "--draws", min=1, help="Random shock draws (ensemble.draws)."),
    seed: int | None = typer.Option(None, "--seed", min=0, help="Seed of every random draw (seed)."),
    no_pdf: bool = typer.Option(False, "--no-pdf", help="Write HTML and Excel only (skip the PDFs)."),
) -> None:
    """Run the plan: evaluation → network → reserves → backup → joint ARIO assessment → report."""
    overrides: dict[str, Any] = {}
    if draws is not None:
        overrides["ensemble"] = {"draws": draws}
    if seed is not None:
        overrides["seed"] = seed
    if scheduler is not None:
        overrides["runner"] = {"scheduler": scheduler, "backend": backend or "dask"}
    t0 = time.perf_counter()

    def say(message: str) -> None:
        style = "bold" if message.startswith(("stage", "report")) else "dim"
        console.print(f"[{style}]{time.perf_counter() - t0:6.1f} s  {message}[/]", highlight=False)

    files = write_plan_report(
        out, config=config, overrides=overrides or None, store=store, resume=resume, backend=backend,
        workers=workers, scheduler=scheduler, pdf=not no_pdf, progress=say,
    )  # fmt: skip
    run = json.loads(files["run"].read_text(encoding="utf-8"))
    summary = pd.read_csv(Path(out) / "5_assessment" / "scenario_summary.csv", index_col=0)
    console.print(f"\nplan run {run['run_id']} (store {run['store']}), {run['timings']['total']:.0f} s")
    for name, row in summary.iterrows():
        console.print(
            f"  {name:<20} loss {row['loss_baseline']:>12,.0f} → {row['loss_plan']:>12,.0f} 1e8 CNY "
            f"({row['saved_pct']:+.2f} % saved)",
            highlight=False,
        )
    for role, path in files.items():
        console.print(f"{role:>10}: {path}")

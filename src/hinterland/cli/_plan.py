"""``hinterland plan``: the integrated strategic hinterland plan, from scores to the advisory report."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

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
    draws: int | None = typer.Option(
        None, "--draws", min=0, help="Paired draws per scenario besides its central run (ensemble.draws)."
    ),
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

    done = write_plan_report(
        out, config=config, overrides=overrides or None, store=store, resume=resume, backend=backend,
        workers=workers, scheduler=scheduler, pdf=not no_pdf, progress=say,
    )  # fmt: skip
    study = done.study
    scen = study.assessment.by_scenario.reset_index()
    port = study.assessment.portfolio
    console.print(f"\nplan run {study.run_id} (store {study.store}), {study.timings['total']:.0f} s")
    console.print(
        "value-added loss avoided, 1e8 CNY: mean [5 %, 95 %] over the paired draws; "
        "P = probability the plan raises the loss"
    )
    for arm, grp in scen.groupby("arm", sort=False):
        console.print(f"  {arm}:", highlight=False)
        for row in grp.itertuples():
            console.print(
                f"    {row.scenario:<18} p {row.probability:<6g} baseline {row.loss_baseline_mean:>12,.0f}"
                f"  avoided {row.avoided_mean:>10,.1f} [{row.avoided_p05:,.1f}, {row.avoided_p95:,.1f}]"
                f"  P {row.prob_hurts:.2f}",
                highlight=False,
            )
    for arm, row in port.iterrows():
        verdict = "pays" if bool(row["pays"]) else "does NOT pay"
        console.print(
            f"  {arm}: benefit {row['expected_annual_benefit']:,.1f} − cost {row['annual_cost']:,.1f} = net "
            f"{row['net_benefit']:,.1f} 1e8 CNY/yr [{row['net_benefit_p05']:,.1f}, "
            f"{row['net_benefit_p95']:,.1f}]: {verdict}",
            highlight=False,
        )
    if "recommended" not in port.index:
        console.print("  no lever pays on its own at these probabilities: the recommended portfolio is empty")
    for role, path in done.files.items():
        console.print(f"{role:>10}: {path}")

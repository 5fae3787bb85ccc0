"""``hinterland runs list|show|diff``: browse and compare the runs in a result store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from hinterland.plan import DEFAULT_STORE, RunStore

__all__ = ["runs_app"]

console = Console(width=max(Console().width, 140))  # run ids are long; keep one run per line

runs_app = typer.Typer(
    help="List, show and compare runs in a result store (DuckDB file).", no_args_is_help=True
)

_STORE_HELP = f"Result store file (default ./{DEFAULT_STORE})."
_STATUS_STYLE = {"finished": "green", "running": "yellow", "failed": "red", "interrupted": "magenta"}


def _open(store: Path | None) -> RunStore:
    return RunStore(store or DEFAULT_STORE, create=False)


def _short(value: Any, width: int = 60) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= width else text[: width - 1] + "…"


@runs_app.command("list")
def list_command(store: Path | None = typer.Option(None, "--store", help=_STORE_HELP)) -> None:
    """One line per run: id, kind, status, created, seed, config hash, tables, checkpoints, seconds."""
    rs = _open(store)
    runs = rs.list_runs()
    table = Table(title=f"runs in {rs.path}", show_lines=False)
    for col in (
        "run id",
        "kind",
        "status",
        "created (UTC)",
        "seed",
        "config",
        "tables",
        "checkpoints",
        "seconds",
    ):
        table.add_column(
            col,
            justify="right" if col in ("seed", "tables", "checkpoints", "seconds") else "left",
            no_wrap=True,
        )
    for run_id, row in runs.iterrows():
        style = _STATUS_STYLE.get(str(row["status"]), "")
        table.add_row(
            str(run_id),
            str(row["kind"]),
            f"[{style}]{row['status']}[/]" if style else str(row["status"]),
            f"{row['created']:%Y-%m-%d %H:%M}",
            "" if pd.isna(row["seed"]) else str(row["seed"]),
            str(row["config_hash"])[:8],
            str(row["tables"]),
            str(row["checkpoints"]),
            f"{row['seconds']:.1f}",
        )
    console.print(table)
    if runs.empty:
        console.print("no runs yet")


@runs_app.command("show")
def show_command(
    run: str = typer.Argument(..., help="Run id (a unique prefix or 'latest' will do)."),
    store: Path | None = typer.Option(None, "--store", help=_STORE_HELP),
) -> None:
    """Provenance of one run (config, input hashes, code version, seed, timings) and its tables."""
    rs = _open(store)
    rec = rs.get_run(run)
    info = Table(title=f"run {rec.run_id}", show_header=False)
    info.add_column("field", style="bold")
    info.add_column("value")
    style = _STATUS_STYLE.get(rec.status, "")
    rows: list[tuple[str, str]] = [
        ("kind", rec.kind),
        ("status", f"[{style}]{rec.status}[/]"),
        ("created (UTC)", f"{rec.created:%Y-%m-%d %H:%M:%S}"),
        ("finished (UTC)", f"{rec.finished:%Y-%m-%d %H:%M:%S}" if rec.finished else "-"),
        ("seed", "-" if rec.seed is None else str(rec.seed)),
        ("code version", rec.code_version),
        ("config sha256", rec.config_hash),
        ("host / pid", f"{rec.host} / {rec.pid}"),
        ("attempts", str(rec.attempts)),
        ("checkpoints", str(rec.n_checkpoints)),
    ]
    if rec.error:
        rows.append(("error", rec.error))
    for name, value in rows:
        info.add_row(name, value)
    console.print(info)
    if rec.timings:
        t = Table(title="timings (s)")
        t.add_column("stage")
        t.add_column("seconds", justify="right")
        for stage, secs in rec.timings.items():
            t.add_row(stage, f"{secs:.2f}")
        console.print(t)
    if rec.config:
        t = Table(title="config")
        t.add_column("key")
        t.add_column("value")
        for key, value in _flat(rec.config).items():
            t.add_row(key, _short(value))
        console.print(t)
    if rec.inputs:
        t = Table(title="inputs (sha256)")
        t.add_column("input")
        t.add_column("sha256")
        for name, digest in rec.inputs.items():
            t.add_row(name, digest)
        console.print(t)
    t = Table(title="tables")
    t.add_column("table")
    t.add_column("rows", justify="right")
    t.add_column("columns")
    for name in rec.tables:
        df = rs.read_table(rec.run_id, name)
        t.add_row(name, str(len(df)), _short(", ".join(map(str, df.columns)), 70))
    console.print(t)


def _flat(obj: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(obj, dict) and obj:
        out: dict[str, Any] = {}
        for k, v in obj.items():
            out.update(_flat(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    return {prefix: obj}


@runs_app.command("diff")
def diff_command(
    a: str = typer.Argument(..., help="First run id."),
    b: str = typer.Argument(..., help="Second run id."),
    store: Path | None = typer.Option(None, "--store", help=_STORE_HELP),
) -> None:
    """What differs between two runs: provenance, config keys, input hashes, and every result table."""
    rs = _open(store)
    d = rs.diff_runs(a, b)
    console.print(f"[bold]{d.a}[/] vs [bold]{d.b}[/]")
    for title, changes in (("run", d.fields), ("config", d.config), ("inputs", d.inputs)):
        if not changes:
            console.print(f"{title}: no differences")
            continue
        t = Table(title=f"{title} differences")
        t.add_column("key")
        t.add_column("a")
        t.add_column("b")
        for ch in changes:
            t.add_row(ch.key, _short(ch.a, 50), _short(ch.b, 50))
        console.print(t)
    if d.tables.empty:
        console.print("tables: none in either run")
    else:
        t = Table(title="tables (numeric columns aligned on the index)")
        for col in (
            "table",
            "in a",
            "in b",
            "rows a",
            "rows b",
            "cells",
            "different",
            "max |Δ|",
            "max rel Δ",
        ):
            t.add_column(col, justify="left" if col == "table" else "right")
        for name, row in d.tables.iterrows():
            both = bool(row["in_a"] and row["in_b"])
            t.add_row(
                str(name),
                "yes" if row["in_a"] else "no",
                "yes" if row["in_b"] else "no",
                str(row["rows_a"]) if both else "-",
                str(row["rows_b"]) if both else "-",
                str(row["cells"]) if both else "-",
                str(row["cells_different"]) if both else "-",
                f"{row['max_abs_diff']:.6g}" if both else "-",
                f"{row['max_rel_diff']:.3g}" if both else "-",
            )
        console.print(t)
    console.print("[green]identical results[/]" if d.identical else "[yellow]runs differ[/]")

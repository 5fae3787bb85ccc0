"""``hinterland data``: show, export, check and report the bundled China dataset (and user data)."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from hinterland.containers import Dataset
from hinterland.datasets import (
    EXPORT_FORMATS,
    apply_indicator_file,
    check_national_totals,
    check_panel,
    export_dataset,
    load_china,
    national_totals,
    read_indicator_file,
    read_roles_file,
)
from hinterland.errors import ConfigError, HinterlandError
from hinterland.report import DEFAULT_INDICATOR, write_data_report

__all__ = ["data_app", "load_with_user_data"]

console = Console() if sys.stdout.isatty() else Console(width=160)
data_app = typer.Typer(help="Inspect, check, export and report the bundled China data.", no_args_is_help=True)

DATA_OPT = typer.Option(
    None, "--data", help="Your indicator file (CSV/XLSX/Parquet) added on top of the bundled data."
)
ROLES_OPT = typer.Option(
    None, "--roles", help="CSV with columns region, role (core/hinterland/front) overriding defaults."
)


def load_with_user_data(data: list[Path] | None = None, roles: Path | None = None) -> Dataset:
    """The bundled dataset with user indicator files and role overrides applied (bundled values kept)."""
    ds = load_china()
    for path in data or []:
        ds = apply_indicator_file(ds, path)
    if roles is not None:
        ds = ds.with_regions(
            ds.regions.with_roles(read_roles_file(roles, ds.regions), f"user override ({roles.name})")
        )
    return ds


def _fmt(value: float) -> str:
    return f"{value:,.2f}" if abs(value) < 1e6 else f"{value:,.0f}"


@data_app.command("show")
def show(
    indicator: str | None = typer.Option(None, "--indicator", "-i", help="Indicator id (omit to list all)."),
    year: int | None = typer.Option(None, "--year", "-y", help="Year (default: the indicator's latest)."),
    lang: str = typer.Option("en", "--lang", help="Region names: en or zh."),
    data: list[Path] | None = DATA_OPT,
) -> None:
    """Print the indicator catalogue, or one indicator by region for a year."""
    ds = load_with_user_data(data)
    if lang not in {"en", "zh"}:
        raise ConfigError(f"unknown --lang {lang!r}; expected en or zh")
    cat = ds.panel.catalogue
    if indicator is None:
        table = Table(title=f"{len(ds.panel.indicators)} indicators for {len(ds.regions)} regions")
        for col in ("indicator", "label", "unit", "years", "source", "origin"):
            table.add_column(col)
        origins = ds.panel.data.groupby("indicator")["origin"].agg(lambda s: ",".join(sorted(set(s))))
        for name in ds.panel.indicators:
            years = ds.panel.years(name)
            label = cat.at[name, "label_en" if lang == "en" else "label_zh"]
            table.add_row(
                name,
                str(label),
                str(cat.at[name, "unit"]),
                f"{years[0]}–{years[-1]}",
                str(cat.at[name, "source_id"]),
                origins[name],
            )
        console.print(table)
        return
    series = ds.panel.series(indicator, year)
    shown_year = year if year is not None else ds.panel.years(indicator)[-1]
    names = ds.regions.names(lang)
    table = Table(
        title=f"{cat.at[indicator, 'label_en']} {cat.at[indicator, 'label_zh']}, {shown_year} "
        f"[{cat.at[indicator, 'unit']}]"
    )
    for col in ("rank", "adcode", "region", "role", "value"):
        table.add_column(col, justify="right" if col in {"rank", "value"} else "left")
    for rank, (code, value) in enumerate(series.sort_values(ascending=False).items(), start=1):
        table.add_row(
            str(rank), str(code), str(names[code]), str(ds.regions.table.at[code, "role"]), _fmt(value)
        )
    table.caption = (
        f"sum {_fmt(series.sum())}; source {cat.at[indicator, 'source_id']} ({cat.at[indicator, 'vintage']})"
    )
    console.print(table)


@data_app.command("export")
def export(
    out: Path = typer.Option(..., "--out", "-o", help="Folder to write into (created if needed)."),
    fmt: str = typer.Option("csv", "--format", "-f", help=f"One of {', '.join(EXPORT_FORMATS)}."),
    data: list[Path] | None = DATA_OPT,
    roles: Path | None = ROLES_OPT,
) -> None:
    """Export every table (regions, indicators, catalogue, geography, sources) as CSV, XLSX or Parquet."""
    ds = load_with_user_data(data, roles)
    protected = [*(data or []), *([roles] if roles else [])]
    paths = export_dataset(ds, out, fmt, protected=protected)
    console.print(f"wrote {len(paths)} file(s) to {out}")


@data_app.command("check")
def check(
    file: Path | None = typer.Argument(None, help="A user indicator file; omit to audit the bundled data."),
) -> None:
    """Validate bundled or user data and print every problem found (exit 1 if there are errors)."""
    ds = load_china()
    if file is not None:
        try:
            result = read_indicator_file(file, ds)
        except HinterlandError as exc:
            problems = getattr(exc, "problems", None)
            if problems is None:
                raise
            _print_problems(list(problems), str(file))
            raise typer.Exit(1) from None
        _print_problems(list(result.warnings), str(file))
        console.print(
            f"[green]ok[/]: {file}: {len(result.data)} values, "
            f"{result.data['indicator'].nunique()} indicator(s), {result.data['region'].nunique()} region(s)"
        )
        return
    problems = check_panel(ds.panel, ds.regions)
    _print_problems(problems, "bundled data")
    totals = check_national_totals(ds.panel, national_totals())
    table = Table(title="Sums over provinces vs published national totals")
    for col in ("indicator", "year", "provincial sum", "national", "diff", "tolerance", "ok"):
        table.add_column(col)
    for r in totals.itertuples():
        table.add_row(
            r.indicator,
            str(r.year),
            _fmt(r.provincial_sum),
            _fmt(r.national),
            f"{r.rel_diff:+.2%}",
            f"{r.tolerance:.1%}",
            "[green]yes[/]" if r.ok else "[red]NO[/]",
        )
    console.print(table)
    errors = [p for p in problems if p.severity == "error"]
    if errors or not totals["ok"].all():
        raise typer.Exit(1)
    console.print("[green]ok[/]: bundled data passes every check")


def _print_problems(problems: list, where: str) -> None:  # type: ignore[type-arg]
    if not problems:
        return
    table = Table(title=f"{len(problems)} finding(s) in {where}")
    for col in ("severity", "check", "where", "problem", "expected", "fix"):
        table.add_column(col, overflow="fold")
    for p in problems:
        table.add_row(p.severity, p.check, p.location(), p.message, p.expected or "", p.fix or "")
    console.print(table)


@data_app.command("report")
def report(
    out: Path = typer.Option(Path("out/data"), "--out", "-o", help="Folder to write the report into."),
    indicator: str = typer.Option(DEFAULT_INDICATOR, "--indicator", "-i", help="Indicator to map."),
    year: int | None = typer.Option(None, "--year", "-y", help="Year to map (default: latest)."),
    lang: str = typer.Option("both", "--lang", help="Map labels: en, zh or both."),
    data: list[Path] | None = DATA_OPT,
    roles: Path | None = ROLES_OPT,
) -> None:
    """Write the data overview: summary tables (CSV/XLSX), a choropleth PNG and an HTML page."""
    ds = load_with_user_data(data, roles)
    files = write_data_report(ds, out, indicator, year, lang)
    for role, path in files.items():
        console.print(f"{role:>12}: {path}")

"""Root command, error handling and sub-command registration."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from hinterland import __version__
from hinterland.cli._backup import backup_command
from hinterland.cli._data import data_app
from hinterland.cli._evaluate import evaluate_command
from hinterland.cli._network import network_command
from hinterland.cli._plan import plan_command
from hinterland.cli._reserves import reserves_command
from hinterland.cli._runs import runs_app
from hinterland.cli._serve import serve_command
from hinterland.cli._shock import shock_command
from hinterland.errors import HinterlandError, ValidationError

__all__ = ["app", "main"]

err_console = Console(stderr=True, soft_wrap=True)  # never break a path or id across lines

app = typer.Typer(
    name="hinterland",
    help="Decision support for China's national strategic hinterland (国家战略腹地).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(data_app, name="data")
app.add_typer(runs_app, name="runs")
app.command("evaluate")(evaluate_command)
app.command("network")(network_command)
app.command("reserves")(reserves_command)
app.command("shock")(shock_command)
app.command("backup")(backup_command)
app.command("serve")(serve_command)
app.command("plan")(plan_command)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"hinterland {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Show the version."
    ),
) -> None:
    """hinterland: score, stress-test and plan China's strategic hinterland on real data."""


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI; report package errors cleanly with exit status 2."""
    try:
        app(args=argv)
    except ValidationError as exc:
        err_console.print(
            f"[bold red]error:[/] {len(exc.problems)} problem(s) in {exc.context}", highlight=False
        )
        for problem in exc.problems:
            err_console.print(f"  - [{problem.check}] {problem}", highlight=False, markup=False)
        sys.exit(2)
    except HinterlandError as exc:
        err_console.print(f"[bold red]error:[/] {exc}", highlight=False, markup=True)
        sys.exit(2)

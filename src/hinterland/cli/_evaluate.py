"""``hinterland evaluate``: score provinces (or any decision matrix) for the strategic-hinterland role."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from hinterland.cli._data import load_with_user_data
from hinterland.errors import ConfigError
from hinterland.plan import EvaluationOptions, read_decision_matrix, run_evaluation
from hinterland.report import write_evaluation

__all__ = ["evaluate_command", "parse_years"]

console = Console()
D = EvaluationOptions()  # the defaults of every option live in EvaluationOptions


def parse_years(text: str) -> list[int]:
    """``2015-2023`` or ``2015,2018,2023`` → years."""
    try:
        if "-" in text:
            a, b = (int(v) for v in text.split("-", 1))
            if b < a:
                raise ConfigError(f"--panel {text!r}: the range runs backwards")
            return list(range(a, b + 1))
        return [int(v) for v in text.split(",") if v.strip()]
    except ValueError as exc:
        raise ConfigError(
            f"--panel {text!r}: expected a range like 2015-2023 or a list like 2015,2019,2023"
        ) from exc


def evaluate_command(
    out: Path = typer.Option(Path("out/evaluate"), "--out", "-o", help="Folder to write results into."),
    system: Path | None = typer.Option(
        None, "--system", help="Indicator system YAML/CSV (default: bundled)."
    ),
    data: list[Path] | None = typer.Option(
        None, "--data", help="Your indicator file(s) on top of the bundled data."
    ),
    roles: Path | None = typer.Option(None, "--roles", help="CSV region, role overriding default roles."),
    year: int | None = typer.Option(None, "--year", "-y", help="Evaluation year (default: latest GDP year)."),
    weights: str = typer.Option(
        D.weights,
        "--weights",
        "-w",
        help="entropy | critic | std | equal | user:FILE | ahp:FILE | combined:FILE",
    ),
    method: str = typer.Option(D.method, "--method", "-m", help="topsis | vikor | weighted-sum"),
    normalisation: str = typer.Option(
        D.normalisation, "--normalisation", help="minmax | vector | zscore (aggregation)."
    ),
    matrix: Path | None = typer.Option(None, "--matrix", help="Plain decision matrix (rows alternatives)."),
    criteria: Path | None = typer.Option(
        None, "--criteria", help="Criteria file for --matrix: criterion, direction."
    ),
    impute: str | None = typer.Option(
        D.impute_how, "--impute", help="Opt-in: fill missing cells by median | mean | min."
    ),
    drop_constant: bool = typer.Option(
        D.drop_constant, "--drop-constant", help="Opt-in: drop constant criteria (reported)."
    ),
    renormalise: bool = typer.Option(
        D.renormalise, "--renormalise", help="Opt-in: rescale user weights to sum to one."
    ),
    alpha: float = typer.Option(D.alpha, "--alpha", help="Share of AHP in combined weights."),
    draws: int = typer.Option(D.draws, "--draws", help="Monte Carlo draws for rank robustness."),
    concentration: float = typer.Option(
        D.concentration, "--concentration", help="Dirichlet concentration of weight draws."
    ),
    top_k: int = typer.Option(D.top_k, "--top-k", help="k for P(top k) and the number of obstacles listed."),
    permutations: int = typer.Option(
        D.permutations, "--permutations", help="Permutations for Moran/LISA inference."
    ),
    panel: str | None = typer.Option(
        None, "--panel", help="Also score by year, e.g. 2020-2023 (pooled normalisation)."
    ),
    radar: list[str] | None = typer.Option(
        None, "--radar", help="Region(s) for the radar chart (default: top 5)."
    ),
    spatial_weights: str = typer.Option(
        D.spatial_weights,
        "--spatial-weights",
        help="contiguity (land borders) or band:KM (capitals within KM).",
    ),
    seed: int = typer.Option(D.seed, "--seed", help="Random seed (robustness, permutations)."),
    no_figures: bool = typer.Option(False, "--no-figures", help="Skip the PNG figures."),
) -> None:
    """Score regions on the hinterland capability system: ranks, dimensions, coupling, obstacles,
    robustness, Moran/LISA, and maps. With --matrix/--criteria it ranks any decision matrix."""
    if (matrix is None) != (criteria is None):
        raise ConfigError("--matrix and --criteria go together (criteria: columns criterion, direction)")
    ds = None
    dm = None
    if matrix is not None and criteria is not None:
        if system is not None or data:
            raise ConfigError("--matrix mode does not use --system or --data")
        dm = read_decision_matrix(matrix, criteria)
    else:
        ds = load_with_user_data(data, roles)
    years = parse_years(panel) if panel else None
    options = EvaluationOptions(
        weights=weights,
        method=method,
        normalisation=normalisation,
        impute_how=impute,
        drop_constant=drop_constant,
        renormalise=renormalise,
        alpha=alpha,
        draws=draws,
        concentration=concentration,
        top_k=top_k,
        seed=seed,
        permutations=permutations,
        panel_years=tuple(years or ()),
        spatial_weights=spatial_weights,
    )
    with console.status("evaluating …") as status:

        def say(msg: str) -> None:
            status.update(f"evaluating: {msg}")

        study = run_evaluation(ds, options, system=system, matrix=dm, year=year, progress=say)
        files = write_evaluation(out, study, figures=not no_figures, radar=radar, progress=say)
    scores = study.scores
    rob = study.tables["robustness"]
    table = Table(title=f"Top {min(10, len(scores))} by {method} ({weights} weights)")
    who = "region" if dm is None else "alternative"
    for col in ("rank", who, "score", "90% rank interval", f"P(top {top_k})"):
        table.add_column(col, justify="left" if col == who else "right")
    for code, row in scores.head(10).iterrows():
        r = rob.loc[code]
        table.add_row(
            str(row["rank"]),
            str(row["name_en"]),
            f"{row['score']:.3f}",
            f"{int(r['weights_rank_p05'])}–{int(r['weights_rank_p95'])}",
            f"{r[f'weights_p_top{top_k}']:.2f}",
        )
    console.print(table)
    notes = "\n".join(study.notes).strip()
    if notes:
        console.print(f"[dim]{notes}[/]")
    console.print(f"wrote {len(files)} file(s) to {out}")

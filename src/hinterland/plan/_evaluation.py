"""The evaluation study: hinterland scores of the provinces (or of any decision matrix), in memory.

:func:`run_evaluation` builds the decision matrix on the dataset, scores it, and adds what the
evaluation report shows: rank robustness under random weights (and methods), the top obstacles,
spatial statistics (Moran's I, LISA, Getis–Ord G*), GDP resilience and, on request, a score panel by
year. It returns an :class:`EvaluationStudy`; ``hinterland.report.write_evaluation`` writes it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from hinterland.config import DEFAULT_SEED
from hinterland.containers import Dataset
from hinterland.datasets import read_table
from hinterland.errors import ConfigError, DataError, Problem, ValidationError
from hinterland.evaluate import (
    METHODS,
    DecisionMatrix,
    Evaluation,
    IndicatorSystem,
    build_matrix,
    default_system,
    distance_band,
    evaluate,
    evaluate_panel,
    getis_ord,
    local_moran,
    minmax,
    moran,
    rank_robustness,
    read_criteria_file,
    read_pairwise_file,
    read_system,
    read_weights_file,
    resilience_indices,
    top_obstacles,
)

__all__ = [
    "EvaluationOptions",
    "EvaluationStudy",
    "parse_weights_option",
    "read_decision_matrix",
    "run_evaluation",
    "spatial_weight_matrix",
]

Progress = Callable[[str], None]
PLAIN_WEIGHTS = ("entropy", "critic", "std", "equal")


@dataclass(frozen=True)
class EvaluationOptions:
    """The evaluation's settings (the CLI's defaults are these fields' defaults).

    ``weights``: ``entropy|critic|std|equal|user:FILE|ahp:FILE|combined:FILE``; ``method``:
    ``topsis|vikor|weighted-sum``; ``draws``/``concentration``: Dirichlet weight draws of the rank
    robustness; ``permutations``: Moran/LISA inference; ``panel_years``: also score by year;
    ``shock``: (peak, trough, recovery) years of the GDP resilience indices; ``spatial_weights``:
    ``contiguity`` or ``band:KM``."""

    weights: str = "entropy"
    method: str = "topsis"
    normalisation: str = "minmax"
    impute_how: str | None = None
    drop_constant: bool = False
    renormalise: bool = False
    alpha: float = 0.5
    draws: int = 1000
    concentration: float = 50.0
    top_k: int = 5
    seed: int = DEFAULT_SEED
    permutations: int = 999
    panel_years: tuple[int, ...] = ()
    shock: tuple[int, int, int] = (2019, 2020, 2021)
    spatial_weights: str = "contiguity"

    def record(self) -> dict[str, Any]:
        """The settings as the run record (``run.json``) lists them."""
        return {
            "weights": self.weights,
            "method": self.method,
            "normalisation": self.normalisation,
            "impute": self.impute_how,
            "drop_constant": self.drop_constant,
            "draws": self.draws,
            "concentration": self.concentration,
            "top_k": self.top_k,
            "seed": self.seed,
            "permutations": self.permutations,
        }


@dataclass(frozen=True)
class EvaluationStudy:
    """A finished evaluation: the scores and every result table, with what produced them.

    ``tables`` (by name, as written to CSV): scores, weights, dimension_weights, matrix, normalised,
    obstacles, obstacles_full, dimension_obstacles, robustness, and when they apply method_detail,
    coupling, ahp, ahp_consistency, moran, lisa, gistar, resilience, scores_by_year."""

    evaluation: Evaluation
    matrix: DecisionMatrix
    system: IndicatorSystem | None
    dataset: Dataset | None
    options: EvaluationOptions
    year: int | None
    tables: dict[str, pd.DataFrame]
    notes: tuple[str, ...]
    names: dict[Any, str] = field(default_factory=dict)

    @property
    def province(self) -> bool:
        """Province mode (the system built on the dataset) rather than a plain decision matrix."""
        return self.dataset is not None and self.system is not None

    @property
    def scores(self) -> pd.DataFrame:
        """Scores by rank with names (and role, in province mode)."""
        return self.tables["scores"]

    def dimension_score(self, dimension: str) -> pd.Series:
        """One dimension's score rescaled to [0, 1] over the alternatives (1 = best)."""
        s = self.evaluation.scores[dimension].astype(float)
        lo, hi = float(s.min()), float(s.max())
        return ((s - lo) / (hi - lo) if hi > lo else s * 0 + 1.0).fillna(0.0).rename(dimension)

    def record(self) -> dict[str, Any]:
        """What the run used (``run.json`` of the written study)."""
        return {
            "mode": "province" if self.province else "matrix",
            "system": self.system.source if self.system else "",
            **self.options.record(),
            "year": self.year,
            "notes": list(self.notes),
        }


def parse_weights_option(option: str) -> dict[str, Any]:
    """``entropy|critic|std|equal|user:FILE|ahp:FILE|combined:FILE`` → keyword arguments of ``evaluate``."""
    scheme, _, path = option.partition(":")
    scheme = scheme.strip().lower()
    if scheme in PLAIN_WEIGHTS:
        if path:
            raise ConfigError(f"--weights {option}: {scheme} takes no file")
        return {"weights": scheme}
    if scheme in {"ahp", "combined"}:
        if not path:
            raise ConfigError(f"--weights {scheme}:FILE needs a pairwise comparison CSV")
        return {"weights": scheme, "ahp_matrix": read_pairwise_file(path)}
    if scheme == "user":
        if not path:
            raise ConfigError("--weights user:FILE needs a CSV with columns criterion, weight")
        return {"weights": "user", "given_weights": read_weights_file(path)}
    raise ConfigError(
        f"unknown --weights {option!r}; expected entropy, critic, std, equal, user:FILE, ahp:FILE or "
        "combined:FILE"
    )


def read_decision_matrix(matrix_path: str | Path, criteria_path: str | Path) -> DecisionMatrix:
    """A plain decision matrix (first column: alternative ids; others: criteria) with its criteria file."""
    p = Path(matrix_path)
    raw = read_table(p)
    if raw.shape[1] < 2:
        raise DataError(f"{p.name}: needs an id column and at least one criterion column.")
    raw = raw.set_index(raw.columns[0])
    raw.index = raw.index.map(str)
    raw.index.name = "alternative"
    dup = raw.index[raw.index.duplicated()].tolist()
    if dup:
        raise DataError(f"{p.name}: duplicate alternative ids {dup}.")
    values = raw.apply(
        lambda s: pd.to_numeric(s.astype("string").str.replace(",", "", regex=False), errors="coerce")
    )
    bad = [
        (r, c)
        for c in raw.columns
        for r in raw.index
        if pd.isna(values.at[r, c]) and str(raw.at[r, c]).strip() not in {"", "nan", "NA", "<NA>"}
    ]
    if bad:
        raise ValidationError(
            [
                Problem(
                    "numbers",
                    f"value {raw.at[r, c]!r} is not a number",
                    file=p.name,
                    region=str(r),
                    column=str(c),
                    fix="write a plain number",
                )
                for r, c in bad
            ],
            context=str(p),
        )
    system = read_criteria_file(criteria_path, values.columns)
    crit = system.indicators.drop(columns="derive")
    crit["year_used"] = ""
    crit["derivation"] = f"column of {p.name}"
    return DecisionMatrix(values.astype(float), crit, (f"decision matrix {p.name}",))


def spatial_weight_matrix(ds: Dataset, ids: Sequence[int], spec: str = "contiguity") -> pd.DataFrame:
    """``contiguity`` (bundled land borders) or ``band:KM`` (capitals within KM great-circle km)."""
    if spec == "contiguity":
        return ds.geography.contiguity(ids)
    kind, _, km = spec.partition(":")
    if kind == "band":
        try:
            threshold = float(km)
        except ValueError as exc:
            raise ConfigError(f"--spatial-weights {spec!r}: expected band:KM, e.g. band:800") from exc
        if ds.geography.distance_km.empty:
            raise ConfigError("--spatial-weights band:KM needs the bundled capital distance matrix")
        d = ds.geography.distance_km.reindex(index=list(ids), columns=list(ids))
        return distance_band(d, threshold)
    raise ConfigError(f"unknown --spatial-weights {spec!r}; expected contiguity or band:KM")


def _names(ds: Dataset | None, index: pd.Index, lang: str = "en") -> dict[Any, str]:
    if ds is None:
        return {i: str(i) for i in index}
    names = ds.regions.names("zh" if lang == "zh" else "en")
    return {i: str(names.get(i, i)) for i in index}


def _score(matrix: DecisionMatrix, opts: EvaluationOptions, coupling: Sequence[str] | None) -> Evaluation:
    if opts.method not in METHODS:
        raise ConfigError(f"unknown --method {opts.method!r}; expected one of {', '.join(METHODS)}")
    return evaluate(
        matrix,
        method=opts.method,
        normalisation=opts.normalisation,
        impute_how=opts.impute_how,
        drop_constant=opts.drop_constant,
        renormalise=opts.renormalise,
        alpha=opts.alpha,
        coupling_dimensions=coupling,
        **parse_weights_option(opts.weights),
    )


def run_evaluation(
    ds: Dataset | None = None,
    options: EvaluationOptions | None = None,
    *,
    system: IndicatorSystem | str | Path | None = None,
    matrix: DecisionMatrix | None = None,
    year: int | None = None,
    progress: Progress | None = None,
) -> EvaluationStudy:
    """Evaluate in memory.

    Province mode (``ds`` given, ``matrix`` None): the system (default: the bundled hinterland system)
    is built on the dataset for ``year``; spatial statistics and resilience are added. Matrix mode
    (``matrix`` given): any MCDA problem; no spatial statistics."""
    say = progress or (lambda _msg: None)
    opts = options or EvaluationOptions()
    sysobj: IndicatorSystem | None = None
    if matrix is None:
        if ds is None:
            raise ConfigError("give a dataset (province mode) or a decision matrix (matrix mode)")
        sysobj = (
            system
            if isinstance(system, IndicatorSystem)
            else (read_system(system) if system is not None else default_system())
        )
        say(f"building the decision matrix ({len(sysobj.indicators)} indicators)")
        matrix = build_matrix(ds, sysobj, year)
    province = ds is not None and sysobj is not None
    cdims = list(sysobj.coupling_dimensions) if sysobj is not None and sysobj.coupling_dimensions else None
    say(f"scoring: {opts.weights} weights, {opts.method}")
    ev = _score(matrix, opts, cdims)
    idx = ev.scores.index
    names_en = _names(ds if province else None, idx, "en")
    names_zh = _names(ds if province else None, idx, "zh")
    dims = list(ev.dimension_weights.index)

    def _with_names(t: pd.DataFrame) -> pd.DataFrame:
        front = pd.DataFrame({"name_en": [names_en[i] for i in t.index]}, index=t.index)
        if province and ds is not None:
            front["name_zh"] = [names_zh[i] for i in t.index]
            front["role"] = ds.regions.table["role"].reindex(t.index).to_numpy()
        return pd.concat([front, t], axis=1)

    scores = _with_names(ev.scores).sort_values("rank")
    weights_tab = ev.weights.join(matrix.criteria.drop(columns=["dimension", "direction"], errors="ignore"))
    dim_tab = ev.dimension_weights.rename("weight").to_frame()
    if sysobj is not None:
        dim_tab = dim_tab.join(sysobj.dimensions)
    dim_tab.index.name = "dimension"
    say(f"robustness: {opts.draws} Monte Carlo draws")
    zmm = minmax(ev.matrix.values, ev.matrix.criteria["direction"])
    w = ev.weights["weight"]
    methods = [opts.method, *[m for m in METHODS if m != opts.method]]
    rkw = {"draws": opts.draws, "concentration": opts.concentration, "top_k": opts.top_k, "seed": opts.seed}
    robust = rank_robustness(zmm, w, methods=[opts.method], **rkw)  # type: ignore[arg-type]
    robust_all = rank_robustness(zmm, w, methods=methods, **rkw)  # type: ignore[arg-type]
    robustness = pd.concat([robust.add_prefix("weights_"), robust_all.add_prefix("weights_methods_")], axis=1)
    robustness = _with_names(robustness).sort_values("weights_median_rank")
    obst = top_obstacles(ev.obstacles, k=opts.top_k).rename(
        columns={"alternative": idx.name or "alternative"}
    )
    label_map = matrix.criteria["label_en"] if "label_en" in matrix.criteria else pd.Series(dtype=str)
    obst["label_en"] = obst["criterion"].map(label_map)
    obst["dimension"] = obst["criterion"].map(ev.weights["dimension"])
    tables: dict[str, pd.DataFrame] = {
        "scores": scores,
        "weights": weights_tab,
        "dimension_weights": dim_tab,
        "matrix": _with_names(ev.matrix.values),
        "normalised": _with_names(ev.normalised),
        "obstacles": obst,
        "obstacles_full": _with_names(ev.obstacles),
        "dimension_obstacles": _with_names(ev.dimension_obstacles),
        "robustness": robustness,
    }
    if ev.method != "weighted-sum":
        tables["method_detail"] = _with_names(ev.detail)
    if ev.coupling is not None:
        tables["coupling"] = _with_names(ev.coupling).sort_values("D", ascending=False)
    if ev.ahp is not None:
        a = ev.ahp
        tables["ahp"] = a.matrix.assign(priority=a.weights)
        tables["ahp_consistency"] = pd.DataFrame(
            {"value": [a.lambda_max, a.ci, a.ri, a.cr]},
            index=pd.Index(["lambda_max", "CI", "RI", "CR"], name="measure"),
        )
    notes = list(ev.notes)
    if province and ds is not None:
        notes += _spatial_tables(ds, ev, dims, opts, names_en, _with_names, tables, say)
    if province and ds is not None and sysobj is not None and opts.panel_years:
        say(f"panel mode: {len(opts.panel_years)} years")
        base_weights = opts.weights if opts.weights in PLAIN_WEIGHTS else "entropy"
        long, pnotes = evaluate_panel(
            ds, sysobj, list(opts.panel_years), weights=base_weights, method=opts.method,
            impute_how=opts.impute_how,
        )  # fmt: skip
        long.insert(1, "name_en", long["region"].map(names_en))
        tables["scores_by_year"] = long
        notes.extend(pnotes)
    return EvaluationStudy(
        ev, matrix, sysobj, ds if province else None, opts, year, tables, tuple(notes), names_en
    )


def _spatial_tables(
    ds: Dataset,
    ev: Evaluation,
    dims: list[str],
    opts: EvaluationOptions,
    names_en: dict[Any, str],
    with_names: Callable[[pd.DataFrame], pd.DataFrame],
    tables: dict[str, pd.DataFrame],
    say: Progress,
) -> list[str]:
    """Moran's I of the score and dimensions, LISA, G* and GDP resilience into ``tables``; the notes."""
    notes: list[str] = []
    say(f"spatial statistics: {opts.permutations} permutations")
    ids = list(ev.scores.index)
    wcont = spatial_weight_matrix(ds, ids, opts.spatial_weights)
    isolates = [names_en[i] for i in ids if wcont.loc[i].sum() == 0]
    if isolates:
        notes.append(
            f"{opts.spatial_weights} weights: {', '.join(isolates)} has no neighbour (spatial lag 0, Isolate)"
        )
    variables = {"score": ev.scores["score"], **{d: ev.scores[d] for d in dims}}
    mrows = []
    for k, (name, series) in enumerate(variables.items()):
        res = moran(series, wcont, permutations=opts.permutations, seed=opts.seed + k)
        mrows.append({"variable": name, **res.as_series().to_dict()})
    tables["moran"] = pd.DataFrame(mrows).set_index("variable")
    tables["lisa"] = with_names(
        local_moran(ev.scores["score"], wcont, permutations=opts.permutations, seed=opts.seed)
    )
    tables["gistar"] = with_names(getis_ord(ev.scores["score"], wcont))
    if "gdp" in ds.panel.indicators:
        peak, trough, rec = opts.shock
        gdp = ds.panel.table("gdp")
        try:
            r1 = resilience_indices(gdp, peak, trough, rec, reference="national")
            r2 = resilience_indices(gdp, peak, trough, rec, reference="trend")
            res_tab = pd.concat(
                [r1.add_suffix("_national"), r2[["resistance", "recovery"]].add_suffix("_trend")], axis=1
            )
            res_tab["reference_national"] = r1["reference"]
            res_tab["reference_trend"] = r2["reference"]
            tables["resilience"] = with_names(
                res_tab.drop(columns=["reference_national"]).join(
                    r1["reference"].rename("reference_national")
                )
            ).sort_values("resistance_national", ascending=False)
            notes.append(f"resilience: GDP (nominal) shock {peak}→{trough}, recovery {trough}→{rec}")
        except DataError as exc:
            notes.append(f"resilience skipped: {exc}")
    return notes

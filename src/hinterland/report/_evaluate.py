"""Run the capability evaluation on the dataset (or any decision matrix) and write tables and figures."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
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
from hinterland.figures import (
    choropleth,
    dimension_maps,
    radar_chart,
    rank_interval_chart,
    save_figure,
    score_trends,
)

__all__ = [
    "parse_weights_option",
    "read_decision_matrix",
    "run_evaluation",
    "spatial_weight_matrix",
    "write_evaluation",
]

Progress = Callable[[str], None]


def parse_weights_option(option: str) -> dict[str, Any]:
    """``entropy|critic|std|equal|user:FILE|ahp:FILE|combined:FILE`` → keyword arguments of ``evaluate``."""
    scheme, _, path = option.partition(":")
    scheme = scheme.strip().lower()
    if scheme in {"entropy", "critic", "std", "equal"}:
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


def run_evaluation(
    matrix: DecisionMatrix,
    *,
    weights: str = "entropy",
    method: str = "topsis",
    normalisation: str = "minmax",
    impute_how: str | None = None,
    drop_constant: bool = False,
    renormalise: bool = False,
    alpha: float = 0.5,
    coupling_dimensions: Sequence[str] | None = None,
) -> Evaluation:
    """:func:`~hinterland.evaluate.evaluate` with the ``--weights`` option parsed."""
    if method not in METHODS:
        raise ConfigError(f"unknown --method {method!r}; expected one of {', '.join(METHODS)}")
    kw = parse_weights_option(weights)
    return evaluate(
        matrix,
        method=method,
        normalisation=normalisation,
        impute_how=impute_how,
        drop_constant=drop_constant,
        renormalise=renormalise,
        alpha=alpha,
        coupling_dimensions=coupling_dimensions,
        **kw,
    )


def _names(ds: Dataset | None, index: pd.Index, lang: str = "en") -> dict[Any, str]:
    if ds is None:
        return {i: str(i) for i in index}
    names = ds.regions.names("zh" if lang == "zh" else "en")
    return {i: str(names.get(i, i)) for i in index}


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


def write_evaluation(
    out: str | Path,
    ds: Dataset | None = None,
    *,
    system: IndicatorSystem | str | Path | None = None,
    matrix: DecisionMatrix | None = None,
    year: int | None = None,
    weights: str = "entropy",
    method: str = "topsis",
    normalisation: str = "minmax",
    impute_how: str | None = None,
    drop_constant: bool = False,
    renormalise: bool = False,
    alpha: float = 0.5,
    draws: int = 1000,
    concentration: float = 50.0,
    top_k: int = 5,
    seed: int = DEFAULT_SEED,
    permutations: int = 999,
    panel_years: Sequence[int] | None = None,
    shock: tuple[int, int, int] = (2019, 2020, 2021),
    spatial_weights: str = "contiguity",
    radar: Sequence[int | str] | None = None,
    figures: bool = True,
    progress: Progress | None = None,
) -> dict[str, Path]:
    """Evaluate and write everything into ``out``; returns the written files by role.

    Province mode (``ds`` given, ``matrix`` None): the system (default: the bundled hinterland system) is
    built on the dataset for ``year``; spatial statistics, resilience and maps are added. Matrix mode
    (``matrix`` given): any MCDA problem; no maps or spatial statistics.
    """
    say = progress or (lambda _msg: None)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
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
    say(f"scoring: {weights} weights, {method}")
    ev = run_evaluation(
        matrix,
        weights=weights,
        method=method,
        normalisation=normalisation,
        impute_how=impute_how,
        drop_constant=drop_constant,
        renormalise=renormalise,
        alpha=alpha,
        coupling_dimensions=cdims,
    )
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
    say(f"robustness: {draws} Monte Carlo draws")
    zmm = minmax(ev.matrix.values, ev.matrix.criteria["direction"])
    w = ev.weights["weight"]
    methods = [method, *[m for m in METHODS if m != method]]
    robust = rank_robustness(
        zmm, w, methods=[method], draws=draws, concentration=concentration, top_k=top_k, seed=seed
    )
    robust_all = rank_robustness(
        zmm, w, methods=methods, draws=draws, concentration=concentration, top_k=top_k, seed=seed
    )
    robustness = pd.concat([robust.add_prefix("weights_"), robust_all.add_prefix("weights_methods_")], axis=1)
    robustness = _with_names(robustness).sort_values("weights_median_rank")
    obst = top_obstacles(ev.obstacles, k=top_k).rename(columns={"alternative": idx.name or "alternative"})
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
        say(f"spatial statistics: {permutations} permutations")
        ids = list(idx)
        wcont = spatial_weight_matrix(ds, ids, spatial_weights)
        isolates = [names_en[i] for i in ids if wcont.loc[i].sum() == 0]
        if isolates:
            notes.append(
                f"{spatial_weights} weights: {', '.join(isolates)} has no neighbour (spatial lag 0, Isolate)"
            )
        variables = {"score": ev.scores["score"], **{d: ev.scores[d] for d in dims}}
        mrows = []
        for k, (name, series) in enumerate(variables.items()):
            res = moran(series, wcont, permutations=permutations, seed=seed + k)
            mrows.append({"variable": name, **res.as_series().to_dict()})
        tables["moran"] = pd.DataFrame(mrows).set_index("variable")
        tables["lisa"] = _with_names(
            local_moran(ev.scores["score"], wcont, permutations=permutations, seed=seed)
        )
        tables["gistar"] = _with_names(getis_ord(ev.scores["score"], wcont))
        if "gdp" in ds.panel.indicators:
            peak, trough, rec = shock
            gdp = ds.panel.table("gdp")
            try:
                r1 = resilience_indices(gdp, peak, trough, rec, reference="national")
                r2 = resilience_indices(gdp, peak, trough, rec, reference="trend")
                res_tab = pd.concat(
                    [r1.add_suffix("_national"), r2[["resistance", "recovery"]].add_suffix("_trend")], axis=1
                )
                res_tab["reference_national"] = r1["reference"]
                res_tab["reference_trend"] = r2["reference"]
                tables["resilience"] = _with_names(
                    res_tab.drop(columns=["reference_national"]).join(
                        r1["reference"].rename("reference_national")
                    )
                ).sort_values("resistance_national", ascending=False)
                notes.append(f"resilience: GDP (nominal) shock {peak}→{trough}, recovery {trough}→{rec}")
            except DataError as exc:
                notes.append(f"resilience skipped: {exc}")
    if province and ds is not None and sysobj is not None and panel_years:
        say(f"panel mode: {len(panel_years)} years")
        base_weights = weights if weights in {"entropy", "critic", "std", "equal"} else "entropy"
        long, pnotes = evaluate_panel(
            ds, sysobj, panel_years, weights=base_weights, method=method, impute_how=impute_how
        )
        long.insert(1, "name_en", long["region"].map(names_en))
        tables["scores_by_year"] = long
        notes.extend(pnotes)
    say("writing tables")
    for name, table in tables.items():
        path = folder / f"{name}.csv"
        table.to_csv(path, index=name not in {"obstacles", "scores_by_year"})
        files[name] = path
    files["xlsx"] = folder / "evaluation.xlsx"
    with pd.ExcelWriter(files["xlsx"], engine="openpyxl") as writer:
        for name, table in tables.items():
            if name == "obstacles_full":
                continue
            table.to_excel(writer, sheet_name=name[:31], index=name not in {"obstacles", "scores_by_year"})
    files["notes"] = folder / "notes.txt"
    files["notes"].write_text("\n".join(notes) + "\n", encoding="utf-8")
    run = {
        "mode": "province" if province else "matrix",
        "system": sysobj.source if sysobj else "",
        "weights": weights,
        "method": method,
        "normalisation": normalisation,
        "impute": impute_how,
        "drop_constant": drop_constant,
        "draws": draws,
        "concentration": concentration,
        "top_k": top_k,
        "seed": seed,
        "permutations": permutations,
        "year": year,
        "notes": notes,
    }
    files["run"] = folder / "run.json"
    files["run"].write_text(json.dumps(run, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    if figures:
        say("drawing figures")
        files.update(
            _figures(folder, ds if province else None, ev, sysobj, robustness, tables, names_en, radar, top_k)
        )
    return files


def _figures(
    folder: Path,
    ds: Dataset | None,
    ev: Evaluation,
    sysobj: IndicatorSystem | None,
    robustness: pd.DataFrame,
    tables: dict[str, pd.DataFrame],
    names: dict[Any, str],
    radar: Sequence[int | str] | None,
    top_k: int,
) -> dict[str, Path]:
    files: dict[str, Path] = {}
    dims = list(ev.dimension_weights.index)
    titles = {d: d for d in dims}
    if sysobj is not None and "label_en" in sysobj.dimensions:
        titles = {
            d: f"{sysobj.dimensions.at[d, 'label_zh']} {sysobj.dimensions.at[d, 'label_en']}"
            if "label_zh" in sysobj.dimensions
            else str(sysobj.dimensions.at[d, "label_en"])
            for d in dims
        }
    label = {"topsis": "TOPSIS closeness", "vikor": "1 − VIKOR Q", "weighted-sum": "weighted sum"}[ev.method]
    if ds is not None:
        short = ds.regions.names("zh")
        fig = choropleth(
            ds.geography.features,
            ev.scores["score"],
            title=f"Strategic-hinterland capability 战略腹地能力 ({label}, {ev.scheme} weights)",
            unit=label,
            labels={int(k): str(v) for k, v in short.items()},
            cmap="YlGnBu",
            source_note="hinterland evaluate; data: bundled NBS panel and geography",
        )
        files["map"] = save_figure(fig, folder / "map_score.png")
        fig = dimension_maps(
            ds.geography.features, ev.scores[dims], titles, suptitle=f"Dimension scores ({label}) 分维度得分"
        )
        files["map_dimensions"] = save_figure(fig, folder / "map_dimensions.png")
    if radar:
        chosen = []
        for r in radar:
            key = ds.regions.resolve(r) if ds is not None else str(r)
            if key not in ev.scores.index:
                raise ConfigError(f"--radar {r!r}: not among the evaluated alternatives")
            chosen.append(key)
    else:
        chosen = list(ev.scores.sort_values("rank").index[: min(5, len(ev.scores))])
    fig = radar_chart(ev.scores.loc[chosen, dims], names, titles, title="Dimension profile 维度雷达图")
    files["radar"] = save_figure(fig, folder / "radar.png")
    rob = robustness.rename(columns=lambda c: c.replace("weights_methods_", "wm_")).rename(
        columns=lambda c: c.replace("weights_", "")
    )
    fig = rank_interval_chart(rob, names, title="Rank under random weights (90% interval) 排名区间")
    files["rank_intervals"] = save_figure(fig, folder / "rank_intervals.png")
    if "scores_by_year" in tables:
        long = tables["scores_by_year"]
        top = list(ev.scores.sort_values("rank").index[:top_k])
        files["trends"] = save_figure(
            score_trends(long, top, names, title="Score by year 历年得分"), folder / "score_trends.png"
        )
    return files

"""The evaluation pipeline: check → (impute/drop) → normalise → weight → aggregate → couple → obstacles."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from hinterland.containers import Dataset
from hinterland.errors import ConfigError, DataError, DataFileError, SchemaError
from hinterland.evaluate._aggregate import aggregate, coupling_coordination, obstacle_degree, topsis, vikor
from hinterland.evaluate._normalise import check_matrix, impute, minmax, vector_norm, zscore
from hinterland.evaluate._system import DecisionMatrix, IndicatorSystem, build_matrix
from hinterland.evaluate._weights import (
    AHPResult,
    ahp_weights,
    combine_weights,
    critic_weights,
    entropy_weights,
    equal_weights,
    std_weights,
    user_weights,
)

__all__ = [
    "NORMALISATIONS",
    "WEIGHT_SCHEMES",
    "Evaluation",
    "evaluate",
    "evaluate_panel",
    "normalise",
    "read_pairwise_file",
    "read_weights_file",
    "resolve_weights",
]

WEIGHT_SCHEMES = ("entropy", "critic", "std", "equal", "user", "ahp", "combined")
NORMALISATIONS = ("minmax", "vector", "zscore")


def normalise(x: pd.DataFrame, directions: pd.Series, how: str = "minmax") -> pd.DataFrame:
    """Dispatch to :func:`minmax`, :func:`vector_norm` or :func:`zscore`."""
    if how == "minmax":
        return minmax(x, directions)
    if how == "vector":
        return vector_norm(x, directions)
    if how == "zscore":
        return zscore(x, directions)
    raise ConfigError(f"unknown normalisation {how!r}; expected one of {', '.join(NORMALISATIONS)}")


def read_pairwise_file(path: str | Path) -> pd.DataFrame:
    """A pairwise comparison matrix from CSV: first column the labels, header the same labels.

    Cells may be numbers or fractions such as ``1/3``; an empty lower triangle is filled by reciprocals.
    """
    p = Path(path)
    if not p.exists():
        raise DataFileError(f"{p}: AHP matrix file not found.")
    raw = pd.read_csv(p, dtype=str, keep_default_na=False, index_col=0)
    raw.index = raw.index.map(lambda s: str(s).strip())
    raw.columns = [str(c).strip() for c in raw.columns]
    if list(raw.index) != list(raw.columns):
        raise SchemaError(
            f"{p.name}: row labels {list(raw.index)} must equal column labels {list(raw.columns)} "
            "in the same order."
        )
    n = len(raw)
    a = np.full((n, n), np.nan)
    for i in range(n):
        for j in range(n):
            cell = str(raw.iat[i, j]).strip()
            if cell == "":
                continue
            try:
                num, _, den = cell.partition("/")
                a[i, j] = float(num) / (float(den) if den else 1.0)
            except ValueError as exc:
                raise DataFileError(
                    f"{p.name}: row {raw.index[i]!r}, column {raw.columns[j]!r}: {cell!r} is not a "
                    "number or fraction like 1/3."
                ) from exc
    for i in range(n):
        for j in range(n):
            if np.isnan(a[i, j]):
                if i == j:
                    a[i, j] = 1.0
                elif not np.isnan(a[j, i]):
                    a[i, j] = 1.0 / a[j, i]
                else:
                    raise DataFileError(
                        f"{p.name}: comparison {raw.index[i]} vs {raw.columns[j]} is missing on both "
                        "sides. Fix: fill the upper triangle."
                    )
    return pd.DataFrame(a, index=raw.index, columns=raw.columns)


def read_weights_file(path: str | Path) -> pd.Series:
    """User weights from CSV with columns ``criterion, weight`` (or ``dimension, weight``)."""
    p = Path(path)
    if not p.exists():
        raise DataFileError(f"{p}: weights file not found.")
    t = pd.read_csv(p)
    t.columns = [str(c).strip().lower() for c in t.columns]
    key = (
        "criterion" if "criterion" in t.columns else "indicator" if "indicator" in t.columns else "dimension"
    )
    if key not in t.columns or "weight" not in t.columns:
        raise SchemaError(
            f"{p.name}: needs columns criterion (or dimension) and weight; found {list(t.columns)}."
        )
    return pd.Series(
        pd.to_numeric(t["weight"], errors="coerce").to_numpy(), index=t[key].astype(str), name="weight"
    )


def _hierarchical(level: pd.Series, z: pd.DataFrame, membership: pd.Series) -> pd.Series:
    """Dimension weights × within-dimension entropy weights."""
    out = pd.Series(0.0, index=z.columns, name="weight")
    for dim, wd in level.items():
        cols = membership.index[membership == dim]
        within = entropy_weights(z[cols]) if len(cols) > 1 else pd.Series(1.0, index=cols)
        out[cols] = wd * within
    return out / out.sum()


def resolve_weights(
    z: pd.DataFrame,
    membership: pd.Series,
    scheme: str = "entropy",
    *,
    ahp_matrix: pd.DataFrame | None = None,
    given: pd.Series | None = None,
    alpha: float = 0.5,
    renormalise: bool = False,
) -> tuple[pd.Series, list[str], AHPResult | None]:
    """Criterion weights by ``scheme`` with notes; AHP/user weights may be given per dimension (then each
    dimension's weight is split over its criteria by entropy)."""
    notes: list[str] = []
    dims = pd.Index(list(dict.fromkeys(membership)))
    res: AHPResult | None = None
    if scheme == "entropy":
        return entropy_weights(z), notes, None
    if scheme == "critic":
        return critic_weights(z), notes, None
    if scheme == "std":
        return std_weights(z), notes, None
    if scheme == "equal":
        return equal_weights(z.columns), notes, None
    if scheme == "user":
        if given is None:
            raise ConfigError("user weights: give a weights file (--weights user:FILE)")
        if set(given.index) <= set(dims) and not set(given.index) & set(z.columns):
            lvl = user_weights(given, dims, renormalise=renormalise)
            notes.append("user weights per dimension, split within dimensions by entropy")
            return _hierarchical(lvl, z, membership), notes, None
        return user_weights(given, z.columns, renormalise=renormalise), notes, None
    if scheme in {"ahp", "combined"}:
        if ahp_matrix is None:
            raise ConfigError(f"{scheme} weights: give a pairwise matrix file (--weights {scheme}:FILE)")
        labels = set(ahp_matrix.index)
        if labels == set(z.columns):
            res = ahp_weights(ahp_matrix.loc[list(z.columns), list(z.columns)])
            subj = res.weights
        elif labels == set(dims):
            res = ahp_weights(ahp_matrix.loc[list(dims), list(dims)])
            subj = _hierarchical(res.weights, z, membership)
            notes.append("AHP over dimensions; each dimension's weight split over its criteria by entropy")
        else:
            raise ConfigError(
                f"AHP matrix labels {sorted(labels)} must be exactly the criteria {list(z.columns)} or the "
                f"dimensions {list(dims)}."
            )
        notes.append(f"AHP: λmax = {res.lambda_max:.4f}, CI = {res.ci:.4f}, CR = {res.cr:.4f}")
        if scheme == "ahp":
            return subj, notes, res
        notes.append(f"combined weights = {alpha:g} × AHP + {1 - alpha:g} × entropy")
        return combine_weights(subj, entropy_weights(z), "linear", alpha), notes, res
    raise ConfigError(f"unknown weight scheme {scheme!r}; expected one of {', '.join(WEIGHT_SCHEMES)}")


@dataclass(frozen=True)
class Evaluation:
    """Everything an evaluation produced; tables are indexed by alternative (``region`` for provinces)."""

    matrix: DecisionMatrix
    normalised: pd.DataFrame
    weights: pd.DataFrame  # criterion: dimension, direction, weight, weight_in_dimension
    dimension_weights: pd.Series
    scores: pd.DataFrame  # per-dimension scores and ranks, total score and rank
    detail: pd.DataFrame  # method internals (TOPSIS D+/D-, VIKOR S/R/Q)
    coupling: pd.DataFrame | None
    obstacles: pd.DataFrame  # alternative × criterion (%)
    dimension_obstacles: pd.DataFrame  # alternative × dimension (%)
    method: str
    scheme: str
    normalisation: str
    ahp: AHPResult | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


def _prepare(
    matrix: DecisionMatrix, impute_how: str | None, drop_constant: bool
) -> tuple[DecisionMatrix, list[str]]:
    notes = list(matrix.notes)
    x = matrix.values
    crit = matrix.criteria
    if impute_how:
        x, filled = impute(x, impute_how)
        notes.extend(filled)
    if drop_constant:
        finite = x.dropna(axis=0, how="any")
        const = [c for c in x.columns if finite[c].nunique() <= 1]
        if const:
            x = x.drop(columns=const)
            crit = crit.drop(index=const)
            notes.append(f"dropped constant criteria {const} (--drop-constant)")
    check_matrix(x)
    return DecisionMatrix(x, crit, tuple(notes)), notes


def evaluate(
    matrix: DecisionMatrix,
    *,
    weights: str = "entropy",
    method: str = "topsis",
    normalisation: str = "minmax",
    ahp_matrix: pd.DataFrame | None = None,
    given_weights: pd.Series | None = None,
    alpha: float = 0.5,
    renormalise: bool = False,
    impute_how: str | None = None,
    drop_constant: bool = False,
    coupling_dimensions: Iterable[str] | None = None,
    coupling_variant: str = "corrected",
) -> Evaluation:
    """Score the alternatives of ``matrix``: total and per dimension, with coupling and obstacle tables.

    Weights are computed on the min–max matrix (objective schemes need non-negative, comparable
    columns); the chosen ``normalisation`` feeds the aggregation. Dimension scores apply the same
    method to each dimension's criteria with their weights renormalised. The coupling coordination uses
    the weighted-sum subsystem indices
    :math:`U_d = \\sum_{j\\in d} w_j z_{ij} / \\sum_{j\\in d} w_j \\in [0,1]`.
    """
    mat, notes = _prepare(matrix, impute_how, drop_constant)
    crit = mat.criteria
    membership = crit["dimension"]
    zmm = minmax(mat.values, crit["direction"])
    z = zmm if normalisation == "minmax" else normalise(mat.values, crit["direction"], normalisation)
    w, wnotes, ahp_res = resolve_weights(
        zmm,
        membership,
        weights,
        ahp_matrix=ahp_matrix,
        given=given_weights,
        alpha=alpha,
        renormalise=renormalise,
    )
    notes.extend(wnotes)
    dims = list(dict.fromkeys(membership))
    dim_w = pd.Series({d: float(w[membership.index[membership == d]].sum()) for d in dims}, name="weight")
    in_dim = pd.Series(
        {c: float(w[c] / dim_w[membership[c]]) if dim_w[membership[c]] > 0 else 0.0 for c in w.index}
    )
    wtab = pd.DataFrame(
        {"dimension": membership, "direction": crit["direction"], "weight": w, "weight_in_dimension": in_dim}
    )
    wtab.index.name = "criterion"
    scores = pd.DataFrame(index=mat.values.index)
    u = pd.DataFrame(index=mat.values.index)
    for d in dims:
        cols = list(membership.index[membership == d])
        wd = w[cols] / w[cols].sum() if w[cols].sum() > 0 else pd.Series(1.0 / len(cols), index=cols)
        scores[d] = aggregate(z[cols], wd, method) if len(cols) > 1 or method != "vikor" else zmm[cols[0]]
        u[d] = (zmm[cols] * wd).sum(axis=1)
    for d in dims:
        scores[f"{d}_rank"] = scores[d].rank(ascending=False, method="min").astype(int)
    if method == "topsis":
        detail = topsis(z, w)
    elif method == "vikor":
        detail = vikor(z, w)
    else:
        detail = pd.DataFrame({"score": aggregate(z, w, method)})
    scores["score"] = detail["score"]
    scores["rank"] = scores["score"].rank(ascending=False, method="min").astype(int)
    cdims = list(coupling_dimensions) if coupling_dimensions is not None else dims
    unknown = [d for d in cdims if d not in dims]
    if unknown:
        raise ConfigError(f"coupling dimensions {unknown} are not among the dimensions {dims}")
    coupling = None
    if len(cdims) >= 2:
        coupling = pd.concat(
            [u[cdims].add_prefix("U_"), coupling_coordination(u[cdims], variant=coupling_variant)], axis=1
        )
    obst = obstacle_degree(zmm, w)
    dim_obst = pd.DataFrame({d: obst[list(membership.index[membership == d])].sum(axis=1) for d in dims})
    return Evaluation(
        mat,
        z,
        wtab,
        dim_w,
        scores,
        detail,
        coupling,
        obst,
        dim_obst,
        method,
        weights,
        normalisation,
        ahp_res,
        tuple(notes),
    )


def evaluate_panel(
    ds: Dataset,
    system: IndicatorSystem,
    years: Iterable[int],
    *,
    weights: str = "entropy",
    method: str = "topsis",
    impute_how: str | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """Scores by year on a pooled matrix: min–max bounds and objective weights are taken over all
    region-years ("global" normalisation), so scores are comparable across years.

    Returns a long table ``region, year, score, rank`` plus one column per dimension, and notes (years
    that could not be built are skipped and named in the notes).
    """
    frames, notes = [], []
    for y in years:
        try:
            m = build_matrix(ds, system, int(y))
        except DataError as exc:
            notes.append(f"year {y} skipped: {exc}")
            continue
        v = m.values.copy()
        v.index = pd.MultiIndex.from_arrays([v.index, np.full(len(v), int(y))], names=["region", "year"])
        frames.append(v)
        crit = m.criteria
    if not frames:
        raise DataError(f"panel mode: no year in {list(years)} could be evaluated. " + "; ".join(notes))
    stacked = pd.concat(frames)
    pooled = DecisionMatrix(stacked, crit, ())
    if weights not in {"entropy", "critic", "std", "equal"}:
        raise ConfigError("panel mode supports the objective schemes entropy, critic, std and equal")
    ev = evaluate(pooled, weights=weights, method=method, impute_how=impute_how)
    out = ev.scores[[c for c in ev.scores.columns if not c.endswith("_rank") and c != "rank"]].copy()
    out["rank"] = out.groupby(level="year")["score"].rank(ascending=False, method="min").astype(int)
    return out.reset_index(), notes + list(ev.notes)

"""Decision-matrix checks and normalisation (min–max with direction, vector, z-score).

A decision matrix :math:`X = (x_{ij})` has alternatives (regions) in rows ``i = 1..m`` and criteria
(indicators) in columns ``j = 1..n``. Each criterion has a direction: ``benefit`` (larger is better) or
``cost`` (smaller is better).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from hinterland.errors import ConfigError, DataError, Problem, UnknownIdError, ValidationError

__all__ = [
    "DIRECTIONS",
    "check_matrix",
    "impute",
    "minmax",
    "parse_direction",
    "parse_directions",
    "vector_norm",
    "zscore",
]

DIRECTIONS = ("benefit", "cost")
_DIRECTION_ALIASES = {
    "benefit": "benefit",
    "+": "benefit",
    "positive": "benefit",
    "max": "benefit",
    "profit": "benefit",
    "1": "benefit",
    "正向": "benefit",
    "正": "benefit",
    "cost": "cost",
    "-": "cost",
    "negative": "cost",
    "min": "cost",
    "-1": "cost",
    "负向": "cost",
    "负": "cost",
}


def parse_direction(value: object, criterion: str = "?") -> str:
    """``benefit`` or ``cost`` from the usual spellings (+/-, max/min, positive/negative, 正向/负向)."""
    key = str(value).strip().lower() if value is not None else ""
    if key in {"", "nan", "none"}:
        raise ConfigError(
            f"criterion {criterion!r}: direction is missing. Expected 'benefit' (larger is better) or 'cost' "
            "(smaller is better). Fix: add the direction to the system/criteria file."
        )
    if key not in _DIRECTION_ALIASES:
        raise ConfigError(
            f"criterion {criterion!r}: unknown direction {value!r}. Expected one of benefit/cost "
            "(or +/-, max/min, positive/negative, 正向/负向)."
        )
    return _DIRECTION_ALIASES[key]


def parse_directions(columns: pd.Index, directions: Mapping[str, object] | pd.Series) -> pd.Series:
    """Directions aligned with ``columns``; every column needs one and no unknown names are allowed."""
    given = dict(directions.items())
    missing = [str(c) for c in columns if c not in given]
    if missing:
        raise ConfigError(
            f"criterion direction missing for {missing}. Expected 'benefit' or 'cost' for every criterion. "
            "Fix: add them to the criteria file (columns criterion, direction)."
        )
    unknown = sorted(str(c) for c in given if c not in set(columns))
    if unknown:
        raise UnknownIdError(
            f"directions given for unknown criteria {unknown}; the matrix has {list(map(str, columns))}. "
            "Fix: correct the names or remove those rows."
        )
    return pd.Series({c: parse_direction(given[c], str(c)) for c in columns}, name="direction")


def check_matrix(x: pd.DataFrame, what: str = "decision matrix") -> None:
    """Raise if ``x`` has missing/non-finite cells (naming them) or a constant column (naming it).

    Constant columns make min–max normalisation :math:`0/0` and the entropy of a normalised column
    undefined; they carry no information to rank by and must be dropped (or the data fixed).
    """
    values = x.to_numpy(dtype=float)
    bad = ~np.isfinite(values)
    if bad.any():
        rows, cols = np.nonzero(bad)
        problems = [
            Problem(
                "missing_values",
                f"value is {'missing' if np.isnan(values[r, c]) else 'not finite'}",
                region=str(x.index[r]),
                column=str(x.columns[c]),
                expected="a finite number",
                fix="supply it (--data FILE), drop the criterion, or opt in to imputation (--impute median)",
            )
            for r, c in zip(rows, cols, strict=True)
        ]
        raise ValidationError(problems, context=what)
    if len(x) < 2:
        raise DataError(f"{what}: needs at least 2 alternatives to compare, got {len(x)}.")
    const = [str(c) for c, col in zip(x.columns, values.T, strict=True) if np.ptp(col) == 0]
    if const:
        raise DataError(
            f"{what}: criterion/criteria {const} are constant across all {len(x)} alternatives, so min–max "
            "normalisation (max − min = 0) and the entropy weight are undefined. Fix: drop them from the "
            "system, or pass drop_constant=True (--drop-constant) to drop them with a note in the report."
        )


def impute(x: pd.DataFrame, how: str) -> tuple[pd.DataFrame, list[str]]:
    """Fill missing cells column-wise by ``median``, ``mean`` or ``min``; return the filled matrix and notes.

    An explicit, reported opt-in: each filled cell is listed in the notes.
    """
    if how not in {"median", "mean", "min"}:
        raise ConfigError(f"unknown imputation {how!r}; expected median, mean or min")
    filled = x.copy()
    notes: list[str] = []
    for col in x.columns:
        missing = x.index[x[col].isna()]
        if len(missing) == 0:
            continue
        if x[col].notna().sum() == 0:
            raise DataError(f"criterion {col!r} has no values at all; cannot impute. Fix: drop it.")
        value = float(getattr(x[col], how)())
        filled.loc[missing, col] = value
        notes.extend(f"imputed {col} for {r} with the column {how} {value:.6g}" for r in missing)
    return filled, notes


def minmax(x: pd.DataFrame, directions: Mapping[str, object] | pd.Series, shift: float = 0.0) -> pd.DataFrame:
    r"""Min–max (range) normalisation with direction, optionally shifted away from zero.

    .. math::
        x'_{ij} = \frac{x_{ij}-\min_i x_{ij}}{\max_i x_{ij}-\min_i x_{ij}} \;(\text{benefit}),\qquad
        x'_{ij} = \frac{\max_i x_{ij}-x_{ij}}{\max_i x_{ij}-\min_i x_{ij}} \;(\text{cost}),

    then :math:`x'_{ij} + \delta` with the shift :math:`\delta` (the literature's "+0.0001" that keeps
    :math:`\ln x'` finite). Hwang & Yoon (1981), *Multiple Attribute Decision Making*, Springer, §3.
    """
    check_matrix(x)
    d = parse_directions(x.columns, directions)
    lo, hi = x.min(), x.max()
    span = hi - lo
    z = (x - lo) / span
    cost = d == "cost"
    z.loc[:, cost] = 1.0 - z.loc[:, cost]
    return z + shift


def vector_norm(x: pd.DataFrame, directions: Mapping[str, object] | pd.Series) -> pd.DataFrame:
    r"""Vector normalisation; cost criteria become :math:`1 - r_{ij}` so larger is always better.

    .. math:: r_{ij} = \frac{x_{ij}}{\sqrt{\sum_i x_{ij}^2}}

    Hwang & Yoon (1981), §3; the :math:`1-r` cost transform is the one used by pymcdm.
    """
    check_matrix(x)
    d = parse_directions(x.columns, directions)
    r = x / np.sqrt((x**2).sum())
    cost = d == "cost"
    r.loc[:, cost] = 1.0 - r.loc[:, cost]
    return r


def zscore(x: pd.DataFrame, directions: Mapping[str, object] | pd.Series) -> pd.DataFrame:
    r"""Z-score standardisation with the sign flipped for cost criteria (sample standard deviation).

    .. math:: z_{ij} = \pm \frac{x_{ij} - \bar x_j}{s_j},\quad s_j^2 = \frac{1}{m-1}\sum_i (x_{ij}-\bar x_j)^2
    """
    check_matrix(x)
    d = parse_directions(x.columns, directions)
    z = (x - x.mean()) / x.std(ddof=1)
    cost = d == "cost"
    z.loc[:, cost] = -z.loc[:, cost]
    return z

"""A labelled multi-regional input–output table (MRIO) container.

Industries are indexed by a two-level ``(region, sector)`` MultiIndex in region-major order. Regions
are adcodes (int) for China; other tables (e.g. pymrio's test system) may use string region labels.
The container only validates and orchestrates; the numerics (A, L, B, G, multipliers) live in
:mod:`hinterland.economy`.

Accounting identities (Miller & Blair 2009, *Input–Output Analysis*, 2nd ed., §2.2 and §3.1)::

    rows:     x = Z 1 + Y 1
    columns:  x' = 1' Z + 1' M + 1' V

where ``M`` (product × industry) holds imported intermediate inputs that are *not* part of Z
(foreign imports, unallocated domestic inflows) and ``V`` (component × industry) value added.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from hinterland.errors import Problem, SchemaError, UnknownIdError, ValidationError

__all__ = ["CATEGORY", "COMPONENT", "MRIO", "SECTOR", "industry_index"]

SECTOR = "sector"
CATEGORY = "category"
COMPONENT = "component"
BALANCE_RTOL = 1e-9


def industry_index(regions: Sequence[Any], sectors: Sequence[Any]) -> pd.MultiIndex:
    """The region-major ``(region, sector)`` index of ``len(regions) * len(sectors)`` industries."""
    return pd.MultiIndex.from_product([list(regions), list(sectors)], names=["region", SECTOR])


def _rel_residual(lhs: np.ndarray, rhs: np.ndarray) -> np.ndarray:
    scale = np.maximum(np.maximum(np.abs(lhs), np.abs(rhs)), 1.0)
    return np.abs(lhs - rhs) / scale  # type: ignore[no-any-return]


@dataclass(frozen=True)
class MRIO:
    """Intermediate flows ``Z``, final demand ``Y``, value added ``V`` and imports ``M`` (one year).

    * ``Z``: industries × industries (index and columns ``(region, sector)``);
    * ``Y``: industries × ``(region, category)`` final-demand columns (may contain negative
      inventory changes);
    * ``V``: ``component`` × industries (value-added rows, e.g. compensation, taxes, surplus);
    * ``M``: ``sector`` × industries imported intermediate inputs by product (may have 0 rows);
    * ``unit``: monetary unit of every flow per year, e.g. ``"1e4 CNY"`` (万元) or ``"1e6 USD"``.

    Raises :class:`ValidationError` (naming region, sector and the residual) if the table is not
    balanced to ``rtol`` or has negative intermediate flows / output.
    """

    Z: pd.DataFrame
    Y: pd.DataFrame
    V: pd.DataFrame
    M: pd.DataFrame = field(default_factory=pd.DataFrame)
    unit: str = "1e4 CNY"
    name: str = "MRIO"
    rtol: float = BALANCE_RTOL

    def __post_init__(self) -> None:
        idx = self.Z.index
        if not isinstance(idx, pd.MultiIndex) or list(idx.names) != ["region", SECTOR]:
            raise SchemaError(
                f"{self.name}: Z must be indexed by a (region, sector) MultiIndex, got names "
                f"{list(getattr(idx, 'names', [idx.name]))}. "
                "Fix: build it with industry_index(regions, sectors)."
            )
        if not self.Z.columns.equals(idx):
            raise SchemaError(f"{self.name}: Z columns must equal its (region, sector) index")
        regions = idx.get_level_values(0).unique()
        sectors = idx.get_level_values(1).unique()
        if len(idx) != len(regions) * len(sectors) or not idx.equals(industry_index(regions, sectors)):
            raise SchemaError(
                f"{self.name}: industries must be the full region-major product of {len(regions)} regions "
                f"and {len(sectors)} sectors (got {len(idx)} rows). Fix: reindex to industry_index()."
            )
        if not self.Y.index.equals(idx):
            raise SchemaError(f"{self.name}: Y must have the same (region, sector) index as Z")
        if not self.V.columns.equals(idx):
            raise SchemaError(f"{self.name}: V columns must equal the (region, sector) industries of Z")
        if not self.M.empty and not self.M.columns.equals(idx):
            raise SchemaError(f"{self.name}: M columns must equal the (region, sector) industries of Z")
        self._validate()

    # ------------------------------------------------------------------ checks
    def _validate(self) -> None:
        problems: list[Problem] = []
        arrays = {"Z": self.Z.to_numpy(), "Y": self.Y.to_numpy(), "V": self.V.to_numpy()}
        if not self.M.empty:
            arrays["M"] = self.M.to_numpy()
        for key, arr in arrays.items():
            if not np.isfinite(arr).all():
                r, c = np.argwhere(~np.isfinite(arr))[0]
                problems.append(
                    Problem("finite", f"{key} has a non-finite value at row {r}, column {c}", fix="fill it")
                )
        if problems:
            raise ValidationError(problems, f"MRIO {self.name!r}")
        industries = list(self.Z.index)
        for key in ("Z", "M"):
            if key not in arrays:
                continue
            arr = arrays[key]
            neg = np.argwhere(arr < 0)
            for r, c in neg[:5]:
                row = industries[r] if key == "Z" else self.M.index[r]
                problems.append(
                    Problem(
                        "non_negative",
                        f"{key}[{row}, {industries[c]}] = {arr[r, c]:.6g} is negative",
                        expected="intermediate flows ≥ 0",
                        fix="correct the table or move the negative entry to final demand",
                    )
                )
        x_row = arrays["Z"].sum(axis=1) + arrays["Y"].sum(axis=1)
        x_col = arrays["Z"].sum(axis=0) + arrays["V"].sum(axis=0)
        if "M" in arrays:
            x_col = x_col + arrays["M"].sum(axis=0)
        gross = np.abs(arrays["Z"]).sum(axis=1) + np.abs(arrays["Y"]).sum(axis=1)
        for k in np.flatnonzero(x_row < -self.rtol * np.maximum(gross, 1.0))[:5]:
            problems.append(
                Problem("non_negative", f"gross output of {industries[k]} is negative ({x_row[k]:.6g})")
            )
        res = _rel_residual(x_row, x_col)
        bad = np.flatnonzero(res > self.rtol)
        for k in bad[:10]:
            region, sector = industries[k]
            problems.append(
                Problem(
                    "balance",
                    f"industry ({region}, {sector}): row total Z1+Y1 = {x_row[k]:.10g} but column total "
                    f"1'Z+1'M+1'V = {x_col[k]:.10g} (relative residual {res[k]:.2e})",
                    region=str(region),
                    column=str(sector),
                    expected=f"relative residual ≤ {self.rtol:g}",
                    fix="balance the table (e.g. put the residual in value added or a final-demand column)",
                )
            )
        if len(bad) > 10:
            problems.append(Problem("balance", f"... {len(bad) - 10} more unbalanced industries"))
        if problems:
            raise ValidationError(problems, f"MRIO {self.name!r}")

    # --------------------------------------------------------------- labels
    @cached_property
    def industries(self) -> pd.MultiIndex:
        idx = self.Z.index
        assert isinstance(idx, pd.MultiIndex)
        return idx

    @cached_property
    def regions(self) -> pd.Index:
        return self.industries.get_level_values(0).unique()

    @cached_property
    def sectors(self) -> pd.Index:
        return self.industries.get_level_values(1).unique()

    @property
    def n_regions(self) -> int:
        return len(self.regions)

    @property
    def n_sectors(self) -> int:
        return len(self.sectors)

    @cached_property
    def x(self) -> pd.Series:
        """Gross output x = Z 1 + Y 1."""
        out = self.Z.sum(axis=1) + self.Y.sum(axis=1)
        return out.rename("x")

    @cached_property
    def v(self) -> pd.Series:
        """Total value added by industry (sum of the V rows)."""
        return self.V.sum(axis=0).rename("v")

    @cached_property
    def y(self) -> pd.Series:
        """Total final demand addressed to each industry."""
        return self.Y.sum(axis=1).rename("y")

    @cached_property
    def imports(self) -> pd.Series:
        """Imported intermediate inputs by industry (sum of the M rows; zeros if M is empty)."""
        if self.M.empty:
            return pd.Series(0.0, index=self.industries, name="imports")
        return self.M.sum(axis=0).rename("imports")

    def region_position(self, region: object) -> int:
        """Position of ``region`` (adcode or label) among the regions; clear error if unknown."""
        for pos, r in enumerate(self.regions):
            if r == region or str(r) == str(region):
                return pos
        raise UnknownIdError(
            f"unknown region {region!r} in MRIO {self.name!r}; "
            f"known: {', '.join(map(str, self.regions[:40]))}. "
            "Fix: use one of those ids."
        )

    def sector_position(self, sector: object) -> int:
        """Position of ``sector`` among the sectors; clear error if unknown."""
        for pos, s in enumerate(self.sectors):
            if s == sector or str(s) == str(sector):
                return pos
        raise UnknownIdError(
            f"unknown sector {sector!r} in MRIO {self.name!r}; known: {', '.join(map(str, self.sectors))}. "
            "Fix: use one of those ids."
        )

    def summary(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "unit": self.unit,
            "regions": self.n_regions,
            "sectors": self.n_sectors,
            "gross_output": float(self.x.sum()),
            "value_added": float(self.v.sum()),
            "final_demand": float(self.y.sum()),
            "imports": float(self.imports.sum()),
        }

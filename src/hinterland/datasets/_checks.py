"""A catalogue of named checks for indicator data.

Each ``check_*`` function takes a raw long table (columns ``region, year, indicator, value, unit, row``
as read from a user's file, before conversion) and a :class:`CheckContext`, and returns a list of
:class:`~hinterland.errors.Problem` naming the file, row, column or region, the expected value and the
fix. ``CHECKS`` lists them in the order they run; ``run_checks`` runs them all so a user sees every
problem at once. ``check_panel`` and ``check_national_totals`` audit an already-built panel.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from hinterland.config import MAX_YEAR, MIN_YEAR
from hinterland.containers import IndicatorPanel, Regions
from hinterland.datasets._units import conversion_factor, is_nonnegative_unit, is_percent_unit, same_unit
from hinterland.errors import Problem

__all__ = [
    "CHECKS",
    "NATIONAL_TOLERANCE",
    "CheckContext",
    "check_duplicates",
    "check_magnitude",
    "check_missing_values",
    "check_national_totals",
    "check_negative_values",
    "check_numeric_values",
    "check_panel",
    "check_percent_range",
    "check_region_ids",
    "check_units",
    "check_years",
    "run_checks",
]

MAX_ROWS_LISTED = 5
# relative tolerance of sum-of-provinces against the published national figure, by indicator.
# gdp: the bundled series is the revision after the 5th economic census (+1.05% over the pre-revision
# national figure in 2022); patent_grants: the national row counts domestic grants incl. units not
# allocated to a province (provinces sum to 97-100% of it).
NATIONAL_TOLERANCE = {
    "gdp": 0.015,
    "population": 0.005,
    "rd_expenditure": 0.005,
    "va_primary": 0.01,
    "va_secondary": 0.01,
    "va_tertiary": 0.01,
    "va_industry": 0.01,
    "patent_grants": 0.035,
    "grain_output": 0.01,
}


@dataclass(frozen=True)
class CheckContext:
    """What a check needs to know: the file's name, the regions, the catalogue and the bundled panel."""

    file: str
    regions: Regions
    catalogue: pd.DataFrame
    bundled: IndicatorPanel | None = None


def _rows(rows: pd.Series) -> str:
    listed = ", ".join(str(int(r)) for r in rows.iloc[:MAX_ROWS_LISTED])
    more = f" and {len(rows) - MAX_ROWS_LISTED} more" if len(rows) > MAX_ROWS_LISTED else ""
    return listed + more


def _numeric(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.replace(",", "", regex=False).str.strip()
    return pd.to_numeric(text, errors="coerce")


def _blank(values: pd.Series) -> pd.Series:
    return values.isna() | (values.astype("string").str.strip() == "")


def check_region_ids(raw: pd.DataFrame, ctx: CheckContext) -> list[Problem]:
    """Every region must be an adcode, Chinese full/short name or English name of a known region."""
    problems = []
    for name, group in raw.groupby(raw["region"].astype("string").fillna(""), sort=False):
        if ctx.regions.try_resolve(name) is None:
            problems.append(
                Problem(
                    "region_ids",
                    ctx.regions.unknown_message(name).split(" Fix:")[0],
                    file=ctx.file,
                    row=int(group["row"].iloc[0]),
                    column="region",
                    expected="an adcode (510000), 四川省, 四川 or Sichuan",
                    fix=f"correct the name in rows {_rows(group['row'])}",
                )
            )
    return problems


def check_years(raw: pd.DataFrame, ctx: CheckContext) -> list[Problem]:
    """Years must be whole numbers between MIN_YEAR and MAX_YEAR."""
    years = _numeric(raw["year"])
    bad = years.isna() | (years % 1 != 0) | (years < MIN_YEAR) | (years > MAX_YEAR)
    problems = []
    for value, group in raw[bad].groupby(raw.loc[bad, "year"].astype("string").fillna("<blank>"), sort=False):
        problems.append(
            Problem(
                "years",
                f"year {value!r} is not a valid year",
                file=ctx.file,
                row=int(group["row"].iloc[0]),
                column="year",
                expected=f"a whole year between {MIN_YEAR} and {MAX_YEAR}",
                fix=f"correct the year in rows {_rows(group['row'])}",
            )
        )
    return problems


def check_missing_values(raw: pd.DataFrame, ctx: CheckContext) -> list[Problem]:
    """Blank value cells are errors (we never guess them); name each cell."""
    missing = _blank(raw["value"])
    return [
        Problem(
            "missing_values",
            f"value of {r.indicator!r} for {r.region} in {r.year} is blank",
            file=ctx.file,
            row=int(r.row),
            column=str(r.column),
            region=str(r.region),
            expected="a number",
            fix="fill in the value or delete the row",
        )
        for r in raw[missing].itertuples()
    ]


def check_numeric_values(raw: pd.DataFrame, ctx: CheckContext) -> list[Problem]:
    """Non-blank values must parse as numbers (thousands separators are accepted)."""
    values = _numeric(raw["value"])
    bad = values.isna() & ~_blank(raw["value"])
    bad |= np.isinf(values.fillna(0))
    return [
        Problem(
            "numeric_values",
            f"value {r.value!r} of {r.indicator!r} is not a number",
            file=ctx.file,
            row=int(r.row),
            column=str(r.column),
            region=str(r.region),
            expected="a number such as 1234.5",
            fix="remove text, units or footnote marks from the cell",
        )
        for r in raw[bad].itertuples()
    ]


def check_duplicates(raw: pd.DataFrame, ctx: CheckContext) -> list[Problem]:
    """One value per (region, year, indicator), also when one region is spelt two ways."""
    codes = raw["region"].map(ctx.regions.try_resolve)
    keyed = raw.assign(_code=codes).dropna(subset=["_code"])
    dup = keyed.duplicated(["_code", "year", "indicator"], keep=False)
    problems = []
    for (code, year, indicator), group in keyed[dup].groupby(["_code", "year", "indicator"], sort=False):
        problems.append(
            Problem(
                "duplicates",
                f"{indicator!r} for region {int(code)} in {year} appears {len(group)} times "
                f"(rows {_rows(group['row'])})",
                file=ctx.file,
                row=int(group["row"].iloc[1]),
                region=str(int(code)),
                expected="one value per region, year and indicator",
                fix="keep one of the rows",
            )
        )
    return problems


def _unit_of(indicator: str, ctx: CheckContext, given: object) -> str | None:
    if indicator in ctx.catalogue.index:
        return str(ctx.catalogue.at[indicator, "unit"])
    return None if _blank(pd.Series([given])).iloc[0] else str(given)


def check_units(raw: pd.DataFrame, ctx: CheckContext) -> list[Problem]:
    """Given units must match the catalogue's; new indicators must state their unit."""
    problems = []
    for (indicator, unit), group in raw.groupby(
        ["indicator", raw["unit"].astype("string").fillna("")], sort=False, dropna=False
    ):
        row = int(group["row"].iloc[0])
        if indicator in ctx.catalogue.index:
            expected = str(ctx.catalogue.at[indicator, "unit"])
            alt = str(ctx.catalogue["unit_en"].get(indicator, "")) if "unit_en" in ctx.catalogue else ""
            if unit and not (same_unit(unit, expected) or (alt and same_unit(unit, alt))):
                factor = conversion_factor(unit, expected)
                fix = (
                    f"multiply the values by {factor:g} to convert {unit} to {expected} and change the unit"
                    if factor is not None
                    else f"give {indicator!r} in {expected}, or use a new indicator id for this series"
                )
                problems.append(
                    Problem(
                        "units",
                        f"{indicator!r} is given in {unit!r}",
                        file=ctx.file,
                        row=row,
                        column="unit",
                        expected=expected,
                        fix=fix,
                    )
                )
        elif not unit:
            problems.append(
                Problem(
                    "units",
                    f"new indicator {indicator!r} has no unit",
                    file=ctx.file,
                    row=row,
                    column=str(group["column"].iloc[0]),
                    expected="a unit such as 亿元, 万人, %, 万吨",
                    fix=f"add a 'unit' column (long form) or write the header as "
                    f"'{indicator} [unit]' (wide form)",
                )
            )
    return problems


def check_negative_values(raw: pd.DataFrame, ctx: CheckContext) -> list[Problem]:
    """Amounts, counts, populations and areas cannot be negative."""
    values = _numeric(raw["value"])
    problems = []
    for r, v in zip(raw[values < 0].itertuples(), values[values < 0], strict=True):
        unit = _unit_of(str(r.indicator), ctx, r.unit)
        if unit is not None and is_nonnegative_unit(unit):
            problems.append(
                Problem(
                    "negative_values",
                    f"{r.indicator!r} = {v:g} {unit} is negative",
                    file=ctx.file,
                    row=int(r.row),
                    column=str(r.column),
                    region=str(r.region),
                    expected=f"≥ 0 {unit}",
                    fix="check the sign; a change or growth rate belongs in its own indicator",
                )
            )
    return problems


def check_percent_range(raw: pd.DataFrame, ctx: CheckContext) -> list[Problem]:
    """Catalogue shares in % must lie in [0, 100] (a value ≤ 1 everywhere hints at fractions)."""
    values = _numeric(raw["value"])
    problems = []
    for indicator, group in raw.assign(num=values).groupby("indicator", sort=False):
        if indicator not in ctx.catalogue.index or not is_percent_unit(
            str(ctx.catalogue.at[indicator, "unit"])
        ):
            continue
        out = group[(group["num"] < 0) | (group["num"] > 100)]
        for r in out.itertuples():
            problems.append(
                Problem(
                    "percent_range",
                    f"{indicator!r} = {r.num:g}% is outside 0–100",
                    file=ctx.file,
                    row=int(r.row),
                    column=str(r.column),
                    region=str(r.region),
                    expected="a percentage between 0 and 100",
                    fix="check the value",
                )
            )
        v = group["num"].dropna()
        if len(v) >= 3 and (v.abs() <= 1).all() and ctx.bundled is not None:
            bundled = ctx.bundled.data.loc[ctx.bundled.data["indicator"] == indicator, "value"]
            if len(bundled) and bundled.median() > 1:
                problems.append(
                    Problem(
                        "percent_range",
                        f"all values of {indicator!r} are ≤ 1: they look like fractions",
                        file=ctx.file,
                        row=int(group["row"].iloc[0]),
                        column=str(group["column"].iloc[0]),
                        expected="percent (e.g. 65.2, not 0.652)",
                        fix="multiply the values by 100",
                    )
                )
    return problems


def check_magnitude(raw: pd.DataFrame, ctx: CheckContext) -> list[Problem]:
    """Values overriding a bundled indicator must be of the same order (catches unstated unit slips)."""
    if ctx.bundled is None:
        return []
    values = _numeric(raw["value"])
    codes = raw["region"].map(ctx.regions.try_resolve)
    frame = raw.assign(num=values, _code=codes).dropna(subset=["num", "_code"])
    frame = frame[frame["num"] > 0]
    bundled = ctx.bundled.layer("bundled") if "bundled" in ctx.bundled.origins else ctx.bundled.data
    problems = []
    for indicator, group in frame.groupby("indicator", sort=False):
        ref = bundled[(bundled["indicator"] == indicator) & (bundled["value"] > 0)]
        if ref.empty:
            continue
        latest = ref.sort_values("year").groupby("region")["value"].last()
        ratio = group["num"].to_numpy() / latest.reindex(group["_code"].astype(int)).to_numpy()
        ratio = ratio[np.isfinite(ratio)]
        if len(ratio) == 0:
            continue
        median = float(np.median(ratio))
        if 1 / 20 <= median <= 20:
            continue
        unit = str(ctx.catalogue.at[indicator, "unit"]) if indicator in ctx.catalogue.index else "?"
        power = round(np.log10(median))
        problems.append(
            Problem(
                "magnitude",
                f"{indicator!r} values are about {median:.3g} times the bundled ones: a unit slip?",
                file=ctx.file,
                row=int(group["row"].iloc[0]),
                column=str(group["column"].iloc[0]),
                expected=f"values in {unit}, of the order of the bundled data",
                fix=f"{'divide' if power > 0 else 'multiply'} the values by 10^{abs(power)} if the file is "
                "in another unit (e.g. 万元 instead of 亿元); "
                "if the values are right, give them a new indicator id",
            )
        )
    return problems


Check = Callable[[pd.DataFrame, CheckContext], list[Problem]]
CHECKS: dict[str, Check] = {
    "region_ids": check_region_ids,
    "years": check_years,
    "missing_values": check_missing_values,
    "numeric_values": check_numeric_values,
    "duplicates": check_duplicates,
    "units": check_units,
    "negative_values": check_negative_values,
    "percent_range": check_percent_range,
    "magnitude": check_magnitude,
}


def run_checks(raw: pd.DataFrame, ctx: CheckContext, skip: tuple[str, ...] = ()) -> list[Problem]:
    """Run every check in ``CHECKS`` (except ``skip``) and return all problems found."""
    problems: list[Problem] = []
    for name, check in CHECKS.items():
        if name not in skip:
            problems.extend(check(raw, ctx))
    return problems


def check_panel(panel: IndicatorPanel, regions: Regions) -> list[Problem]:
    """Audit a built panel: unknown regions, duplicates, negatives, percent range, coverage gaps."""
    data = panel.data
    problems: list[Problem] = []
    unknown = sorted(set(data["region"]) - set(regions.ids))
    problems += [Problem("region_ids", f"unknown region {r}", region=str(r)) for r in unknown]
    dups = panel.layers.duplicated(["region", "year", "indicator", "origin"], keep=False)
    for r in panel.layers[dups].drop_duplicates(["region", "year", "indicator"]).itertuples():
        problems.append(
            Problem(
                "duplicates",
                f"{r.indicator} {r.year} appears twice in layer {r.origin}",
                region=str(r.region),
            )
        )
    for indicator, group in data.groupby("indicator"):
        unit = str(panel.catalogue.at[indicator, "unit"])
        if is_nonnegative_unit(unit) and (group["value"] < 0).any():
            for r in group[group["value"] < 0].itertuples():
                problems.append(
                    Problem("negative_values", f"{indicator} {r.year} = {r.value}", region=str(r.region))
                )
        if is_percent_unit(unit):
            for r in group[(group["value"] < 0) | (group["value"] > 100)].itertuples():
                problems.append(
                    Problem("percent_range", f"{indicator} {r.year} = {r.value}%", region=str(r.region))
                )
        for year, rows in group.groupby("year"):
            missing = sorted(set(regions.ids) - set(rows["region"]))
            if missing:
                names = ", ".join(regions.name(int(m)) for m in missing)
                problems.append(
                    Problem(
                        "coverage",
                        f"{indicator} {year}: no value for {names}",
                        severity="warning",
                        fix="supply the values in your own data file if you need them",
                    )
                )
    return problems


def check_national_totals(panel: IndicatorPanel, totals: pd.DataFrame) -> pd.DataFrame:
    """Compare sums over provinces with published national totals.

    Returns one row per (indicator, year) with the provincial sum, the reference, the relative
    difference, the tolerance from ``NATIONAL_TOLERANCE`` and whether it holds.
    """
    rows = []
    for t in totals.itertuples():
        indicator, year = str(t.indicator), int(t.year)
        if indicator not in NATIONAL_TOLERANCE or indicator not in panel.indicators:
            continue
        if year not in panel.years(indicator):
            continue
        total = float(panel.series(indicator, year).sum())
        reference = float(t.value)
        rel = total / reference - 1.0
        tol = NATIONAL_TOLERANCE[indicator]
        rows.append(
            {
                "indicator": indicator,
                "year": year,
                "provincial_sum": total,
                "national": reference,
                "rel_diff": rel,
                "tolerance": tol,
                "ok": abs(rel) <= tol,
                "source_id": t.source_id,
                "notes": t.notes,
            }
        )
    return pd.DataFrame(rows)

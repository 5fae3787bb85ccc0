"""Readers for user data (CSV, Excel, Parquet) into the package's containers, with every check run.

Indicator files come in two forms:

* **long**: columns ``region, year, indicator, value`` and optionally ``unit``;
* **wide**: ``region, year`` and one column per indicator; a header may carry the unit in brackets,
  e.g. ``steel_output [万吨]``.

Column names are matched loosely (``province``, ``adcode``, ``地区``, ``省份`` for region; ``年份`` for
year; ``指标`` for indicator; ``数值`` or ``值`` for value; ``单位`` for unit). Regions may be adcodes,
Chinese full or short names, or English names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from hinterland.containers import ROLES, Dataset, IndicatorPanel, Regions
from hinterland.datasets._checks import CheckContext, run_checks
from hinterland.errors import DataFileError, Problem, SchemaError, ValidationError

__all__ = ["IndicatorFile", "apply_indicator_file", "read_indicator_file", "read_roles_file", "read_table"]

_ALIASES = {
    "region": (
        "region",
        "province",
        "adcode",
        "provincecode",
        "地区",
        "省份",
        "省",
        "地区代码",
        "行政区划代码",
    ),
    "year": ("year", "年份", "年"),
    "indicator": ("indicator", "variable", "指标", "指标名称"),
    "value": ("value", "数值", "值"),
    "unit": ("unit", "units", "单位"),
    "role": ("role", "角色", "定位"),
}
_HEADER_UNIT = re.compile(r"^\s*(?P<name>[^\[\(（]+?)\s*[\[\(（](?P<unit>[^\]\)）]+)[\]\)）]\s*$")
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV (UTF-8 or GBK), Excel (first sheet) or Parquet file into a DataFrame of text/numbers."""
    p = Path(path)
    if not p.exists():
        raise DataFileError(f"{p}: file not found. Fix: check the path (relative to {Path.cwd()}).")
    if p.is_dir():
        raise DataFileError(f"{p}: is a folder, expected a .csv, .xlsx or .parquet file.")
    suffix = p.suffix.lower()
    try:
        if suffix in {".csv", ".txt", ".tsv"}:
            sep = "\t" if suffix == ".tsv" else ","
            for encoding in ("utf-8-sig", "gb18030"):
                try:
                    return pd.read_csv(p, sep=sep, dtype=str, keep_default_na=False, encoding=encoding)
                except UnicodeDecodeError:
                    continue
            raise DataFileError(f"{p}: cannot decode the text; save it as UTF-8 (or GBK).")
        if suffix in {".xlsx", ".xlsm", ".xls"}:
            return pd.read_excel(p, dtype=str, keep_default_na=False)
        if suffix == ".parquet":
            return pd.read_parquet(p)
    except (ValueError, OSError, ImportError) as exc:
        if isinstance(exc, DataFileError):
            raise
        raise DataFileError(f"{p}: cannot read it as {suffix[1:]} ({exc}).") from exc
    raise DataFileError(f"{p}: unsupported file type {suffix!r}. Fix: save it as .csv, .xlsx or .parquet.")


def _canonical_columns(df: pd.DataFrame) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for col in df.columns:
        key = re.sub(r"[\s_\-]", "", str(col)).lower()
        for canon, aliases in _ALIASES.items():
            if key in aliases and canon not in mapping.values():
                mapping[str(col)] = canon
                break
    return mapping


def _to_long(df: pd.DataFrame, file: str) -> pd.DataFrame:
    """Reshape a user table to raw long form with the original row number and column of each value."""
    df = df.rename(columns=_canonical_columns(df))
    missing = [c for c in ("region", "year") if c not in df.columns]
    if missing:
        raise SchemaError(
            f"{file}: missing required column(s) {missing}; found {list(df.columns)}. Fix: name the columns "
            "region (or province/adcode/地区) and year (or 年份), then either indicator + value (long form) "
            "or one column per indicator (wide form)."
        )
    df = df.assign(row=range(2, len(df) + 2))
    if "indicator" in df.columns or "value" in df.columns:
        if not {"indicator", "value"} <= set(df.columns):
            raise SchemaError(
                f"{file}: long form needs both 'indicator' and 'value' columns; found {list(df.columns)}."
            )
        out = df.loc[:, ["region", "year", "indicator", "value", "row"]].copy()
        out["unit"] = df["unit"] if "unit" in df.columns else pd.NA
        out["column"] = "value"
        return out
    value_cols = [c for c in df.columns if c not in {"region", "year", "row", "unit"}]
    if not value_cols:
        raise SchemaError(f"{file}: no indicator columns besides region and year. Fix: add at least one.")
    long = df.melt(
        id_vars=["region", "year", "row"], value_vars=value_cols, var_name="column", value_name="value"
    )
    parsed = long["column"].astype(str).str.extract(_HEADER_UNIT)
    long["indicator"] = parsed["name"].fillna(long["column"].astype(str)).str.strip()
    long["unit"] = parsed["unit"].str.strip()
    return long


@dataclass(frozen=True)
class IndicatorFile:
    """A validated user indicator file: clean long data and catalogue rows for its new indicators."""

    path: Path
    data: pd.DataFrame  # region (adcode), year, indicator, value
    catalogue: pd.DataFrame  # indexed by indicator; only indicators not in the bundled catalogue
    warnings: tuple[Problem, ...] = ()

    @property
    def origin(self) -> str:
        return f"user:{self.path.name}"


def read_indicator_file(
    path: str | Path, dataset: Dataset, skip_checks: tuple[str, ...] = ()
) -> IndicatorFile:
    """Read and check a user indicator file against the dataset's regions and catalogue.

    Every check in :data:`~hinterland.datasets.CHECKS` runs; if any finds a problem a
    :class:`~hinterland.errors.ValidationError` lists them all. ``skip_checks`` names checks to skip
    on purpose (for example ``("magnitude",)`` for a series that is meant to differ).
    """
    p = Path(path)
    raw = _to_long(read_table(p), p.name)
    ctx = CheckContext(p.name, dataset.regions, dataset.panel.catalogue, dataset.panel)
    bad_ids = sorted({str(i) for i in raw["indicator"] if not _ID.match(str(i))})
    problems = [
        Problem(
            "indicator_ids",
            f"indicator id {i!r} is not a plain identifier",
            file=p.name,
            column="indicator",
            expected="letters, digits and _ (e.g. steel_output)",
            fix="rename it",
        )
        for i in bad_ids
    ]
    problems += run_checks(raw, ctx, skip=skip_checks)
    errors = [q for q in problems if q.severity == "error"]
    if errors:
        raise ValidationError(errors, context=str(p))
    clean = pd.DataFrame(
        {
            "region": raw["region"].map(dataset.regions.resolve).astype(int),
            "year": pd.to_numeric(raw["year"]).astype(int),
            "indicator": raw["indicator"].astype(str),
            "value": pd.to_numeric(raw["value"].astype("string").str.replace(",", "", regex=False)).astype(
                float
            ),
        }
    )
    new = sorted(set(clean["indicator"]) - set(dataset.panel.catalogue.index))
    units = raw.drop_duplicates("indicator").set_index("indicator")["unit"]
    catalogue = pd.DataFrame(
        {
            "label_zh": new,
            "label_en": new,
            "unit": [str(units[i]) for i in new],
            "unit_en": "",
            "direction": "",
            "category": "user",
            "source_id": f"user:{p.name}",
            "vintage": "user supplied",
            "years": "",
            "derivation": f"read from {p}",
            "notes": "",
        },
        index=pd.Index(new, name="indicator"),
    )
    return IndicatorFile(p, clean, catalogue, tuple(q for q in problems if q.severity != "error"))


def apply_indicator_file(dataset: Dataset, path: str | Path) -> Dataset:
    """The dataset with a user file's indicators added or overriding bundled ones (both are kept)."""
    file = read_indicator_file(path, dataset)
    panel: IndicatorPanel = dataset.panel.overlay(file.data, file.origin, file.catalogue)
    return dataset.with_panel(panel)


def read_roles_file(path: str | Path, regions: Regions) -> dict[int, str]:
    """Read a role override table (columns ``region, role``) into {adcode: role}."""
    p = Path(path)
    df = read_table(p)
    df = df.rename(columns=_canonical_columns(df))
    missing = [c for c in ("region", "role") if c not in df.columns]
    if missing:
        raise SchemaError(
            f"{p.name}: missing column(s) {missing}; found {list(df.columns)}. "
            "Fix: give two columns, region and role."
        )
    problems = []
    roles: dict[int, str] = {}
    for i, r in enumerate(df.itertuples(), start=2):
        code = regions.try_resolve(r.region)
        role = str(r.role).strip().lower()
        if code is None:
            problems.append(
                Problem(
                    "region_ids",
                    regions.unknown_message(r.region).split(" Fix:")[0],
                    file=p.name,
                    row=i,
                    column="region",
                    fix="use an adcode or a province name",
                )
            )
        if role not in ROLES:
            problems.append(
                Problem(
                    "roles",
                    f"unknown role {r.role!r}",
                    file=p.name,
                    row=i,
                    column="role",
                    expected=" / ".join(ROLES),
                    fix="use one of those roles",
                )
            )
        if code is not None and role in ROLES:
            roles[code] = role
    if problems:
        raise ValidationError(problems, context=str(p))
    return roles

"""Regions, indicator panel, geography and the bundled dataset container.

Index names are part of the contract: regions are indexed by ``region`` (the 6-digit adcode as int),
indicators by ``indicator``; panels carry ``region``, ``year`` and ``indicator`` columns. Containers
validate their shape on construction and only orchestrate; the numerics live in pure functions of the
method packages.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd

from hinterland.errors import SchemaError, UnknownIdError

__all__ = [
    "REGION",
    "ROLES",
    "Dataset",
    "Geography",
    "IndicatorPanel",
    "Regions",
    "normalise_name",
]

REGION = "region"
ROLES = ("core", "hinterland", "front")
REGION_COLUMNS = (
    "name_zh",
    "short_zh",
    "name_en",
    "macro_region",
    "coastal",
    "land_border",
    "capital_zh",
    "capital_en",
    "capital_lon",
    "capital_lat",
    "area_km2",
    "centroid_lon",
    "centroid_lat",
    "role",
    "role_rationale",
)
PANEL_COLUMNS = ("region", "year", "indicator", "value")
CATALOGUE_COLUMNS = ("label_zh", "label_en", "unit", "direction", "source_id", "vintage", "derivation")

_ALIASES = {
    "xizang": 540000,
    "tibet": 540000,
    "neimenggu": 150000,
    "neimongol": 150000,
    "innermongolia": 150000,
    "nmg": 150000,
    "guangxizhuang": 450000,
    "ningxiahui": 640000,
    "xinjianguygur": 650000,
    "xinjianguyghur": 650000,
    "shensi": 610000,
    "shansi": 140000,
    "szechuan": 510000,
    "szechwan": 510000,
    "peking": 110000,
    "canton": 440000,
    "heilungkiang": 230000,
}
_ZH_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")


def normalise_name(text: str) -> str:
    """Lower-case, drop spaces/punctuation and administrative suffixes so names compare loosely."""
    t = str(text).strip().lower()
    t = re.sub(r"[\s\-_'.,()（）]", "", t)
    for suffix in ("province", "municipality", "autonomousregion", "specialadministrativeregion", "sar"):
        if t.endswith(suffix) and len(t) > len(suffix):
            t = t[: -len(suffix)]
    for suffix in _ZH_SUFFIXES:
        if t.endswith(suffix) and len(t) > len(suffix):
            t = t[: -len(suffix)]
            break
    return t


def _require_columns(df: pd.DataFrame, columns: Iterable[str], what: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise SchemaError(
            f"{what}: missing column(s) {missing}; present: {list(df.columns)}. "
            "Fix: rename or add those columns."
        )


@dataclass(frozen=True)
class Regions:
    """China's provincial-level regions, indexed by ``region`` (adcode, e.g. 510000 for Sichuan).

    ``resolve`` accepts an adcode (510000, "510000" or the 2-digit prefix "51"), a full Chinese
    name (四川省), a short one (四川) or an English name (Sichuan, case and spacing ignored).
    """

    table: pd.DataFrame

    def __post_init__(self) -> None:
        if self.table.index.name != REGION:
            raise SchemaError(f"Regions table must be indexed by {REGION!r}, got {self.table.index.name!r}")
        _require_columns(self.table, REGION_COLUMNS, "regions table")
        if self.table.index.has_duplicates:
            dups = self.table.index[self.table.index.duplicated()].tolist()
            raise SchemaError(f"regions table: duplicate adcodes {dups}")
        bad = sorted(set(self.table["role"]) - set(ROLES))
        if bad:
            raise SchemaError(f"regions table: unknown role(s) {bad}; expected one of {ROLES}")

    @property
    def ids(self) -> pd.Index:
        return self.table.index

    def __len__(self) -> int:
        return len(self.table)

    @cached_property
    def _lookup(self) -> dict[str, int]:
        lookup: dict[str, int] = {}
        for adcode, row in self.table.iterrows():
            code = int(adcode)  # type: ignore[call-overload]
            for key in (str(code), str(code)[:2], row["name_zh"], row["short_zh"], row["name_en"]):
                lookup[normalise_name(key)] = code
        for alias, code in _ALIASES.items():
            if code in self.table.index:
                lookup.setdefault(alias, code)
        return lookup

    def try_resolve(self, name: object) -> int | None:
        """The adcode for ``name``, or ``None`` if it matches no region."""
        if isinstance(name, (int, np.integer)) and int(name) in self.table.index:
            return int(name)
        if isinstance(name, float) and name.is_integer() and int(name) in self.table.index:
            return int(name)
        return self._lookup.get(normalise_name(str(name)))

    def resolve(self, name: object) -> int:
        """The adcode for ``name``; raises :class:`UnknownIdError` with close matches."""
        code = self.try_resolve(name)
        if code is None:
            raise UnknownIdError(self.unknown_message(name))
        return code

    def unknown_message(self, name: object) -> str:
        candidates = difflib.get_close_matches(
            str(name), [*self.table["name_en"], *self.table["short_zh"], *self.table["name_zh"]], n=3
        )
        hint = f" Did you mean {', '.join(candidates)}?" if candidates else ""
        return (
            f"unknown region {name!r}: not an adcode, Chinese full/short name or English name of the "
            f"{len(self)} provincial-level regions.{hint} Fix: use e.g. 510000, 四川省, 四川 or Sichuan."
        )

    def name(self, region: int, lang: str = "en") -> str:
        col = {"en": "name_en", "zh": "short_zh", "zh_full": "name_zh"}[lang]
        return str(self.table.at[region, col])

    def names(self, lang: str = "en") -> pd.Series:
        col = {"en": "name_en", "zh": "short_zh", "zh_full": "name_zh"}[lang]
        return self.table[col]

    def with_roles(self, roles: Mapping[int, str], rationale: str = "user override") -> Regions:
        """A copy with the given roles overriding the default ones (the rationale records why)."""
        table = self.table.copy()
        for region, role in roles.items():
            if region not in table.index:
                raise UnknownIdError(self.unknown_message(region))
            if role not in ROLES:
                raise SchemaError(f"region {region}: unknown role {role!r}; expected one of {ROLES}")
            table.loc[region, "role"] = role
            table.loc[region, "role_rationale"] = rationale
        return Regions(table)

    def by_role(self, role: str) -> list[int]:
        if role not in ROLES:
            raise UnknownIdError(f"unknown role {role!r}; expected one of {ROLES}")
        return [int(r) for r in self.table.index[self.table["role"] == role]]


@dataclass(frozen=True)
class IndicatorPanel:
    """A long panel of provincial indicators with a catalogue, in layers that keep every origin.

    ``layers`` has columns ``region, year, indicator, value, origin, priority``. The bundled data is
    origin ``"bundled"`` (priority 0); user files are stacked on top with higher priority. The
    resolved ``data`` takes the highest-priority value for each (region, year, indicator), so user data
    overrides bundled values without losing them: ``layer("bundled")`` still returns the originals.
    ``catalogue`` is indexed by ``indicator`` (label_zh, label_en, unit, direction, source_id, vintage,
    derivation, ...).
    """

    layers: pd.DataFrame
    catalogue: pd.DataFrame

    def __post_init__(self) -> None:
        _require_columns(self.layers, (*PANEL_COLUMNS, "origin", "priority"), "indicator panel")
        if self.catalogue.index.name != "indicator":
            raise SchemaError("indicator catalogue must be indexed by 'indicator'")
        _require_columns(self.catalogue, CATALOGUE_COLUMNS, "indicator catalogue")
        unknown = sorted(set(self.layers["indicator"]) - set(self.catalogue.index))
        if unknown:
            raise UnknownIdError(
                f"indicator panel has indicators without a catalogue entry: {unknown}. "
                "Fix: add them to the catalogue (id, label, unit, source)."
            )

    @classmethod
    def from_long(
        cls, data: pd.DataFrame, catalogue: pd.DataFrame, origin: str = "bundled"
    ) -> IndicatorPanel:
        layers = data.loc[:, list(PANEL_COLUMNS)].copy()
        layers["origin"] = origin
        layers["priority"] = 0
        return cls(layers.reset_index(drop=True), catalogue)

    @cached_property
    def data(self) -> pd.DataFrame:
        """Resolved long table ``region, year, indicator, value, origin`` (one row per key)."""
        ordered = self.layers.sort_values("priority", kind="stable")
        resolved = ordered.drop_duplicates(["region", "year", "indicator"], keep="last")
        return (
            resolved.drop(columns="priority")
            .sort_values(["indicator", "region", "year"])
            .reset_index(drop=True)
        )

    @property
    def indicators(self) -> list[str]:
        return sorted(self.data["indicator"].unique())

    @property
    def origins(self) -> list[str]:
        return list(dict.fromkeys(self.layers.sort_values("priority")["origin"]))

    def _check_indicator(self, indicator: str) -> None:
        if indicator not in self.catalogue.index or indicator not in set(self.data["indicator"]):
            close = difflib.get_close_matches(indicator, self.indicators, n=3)
            hint = f" Did you mean {', '.join(close)}?" if close else ""
            raise UnknownIdError(
                f"unknown indicator {indicator!r}.{hint} Known: {', '.join(self.indicators)}. "
                "Fix: run `hinterland data show` to list indicators, or add it with your own data file."
            )

    def years(self, indicator: str) -> list[int]:
        self._check_indicator(indicator)
        return sorted(int(y) for y in self.data.loc[self.data["indicator"] == indicator, "year"].unique())

    def series(self, indicator: str, year: int | None = None) -> pd.Series:
        """Values of one indicator by region for ``year`` (default: its latest year)."""
        years = self.years(indicator)
        year = years[-1] if year is None else int(year)
        if year not in years:
            raise UnknownIdError(
                f"indicator {indicator!r} has no data for {year}; available years: "
                f"{years[0]}–{years[-1]} ({len(years)} years). Fix: pick one of those with --year."
            )
        rows = self.data[(self.data["indicator"] == indicator) & (self.data["year"] == year)]
        out = rows.set_index("region")["value"].rename(indicator).sort_index()
        out.index.name = REGION
        return out

    def table(self, indicator: str) -> pd.DataFrame:
        """One indicator as a region × year table."""
        self._check_indicator(indicator)
        rows = self.data[self.data["indicator"] == indicator]
        wide = rows.pivot(index="region", columns="year", values="value").sort_index()
        wide.index.name = REGION
        return wide

    def wide(self, year: int, indicators: Iterable[str] | None = None) -> pd.DataFrame:
        """Region × indicator table for one year (indicators without data that year are left out)."""
        names = list(indicators) if indicators is not None else self.indicators
        for name in names:
            self._check_indicator(name)
        rows = self.data[(self.data["year"] == year) & self.data["indicator"].isin(names)]
        wide = rows.pivot(index="region", columns="indicator", values="value").sort_index()
        wide.index.name = REGION
        return wide.reindex(columns=[n for n in names if n in wide.columns])

    def layer(self, origin: str) -> pd.DataFrame:
        """The rows that came from one origin, unresolved (e.g. ``"bundled"``)."""
        if origin not in self.origins:
            raise UnknownIdError(f"no data layer {origin!r}; layers: {self.origins}")
        return self.layers[self.layers["origin"] == origin].drop(columns="priority").reset_index(drop=True)

    def overlay(
        self, data: pd.DataFrame, origin: str, catalogue: pd.DataFrame | None = None
    ) -> IndicatorPanel:
        """A new panel with ``data`` (long: region, year, indicator, value) stacked on top.

        New indicators need catalogue rows; catalogue rows of existing indicators are kept as they are.
        """
        new = data.loc[:, list(PANEL_COLUMNS)].copy()
        new["origin"] = origin
        new["priority"] = int(self.layers["priority"].max()) + 1 if len(self.layers) else 0
        cat = self.catalogue
        if catalogue is not None:
            extra = catalogue.loc[~catalogue.index.isin(cat.index)]
            cat = pd.concat([cat, extra.reindex(columns=cat.columns)]) if len(extra) else cat
        layers = pd.concat([self.layers, new], ignore_index=True)
        return IndicatorPanel(layers, cat)


@dataclass(frozen=True)
class Geography:
    """Province shapes (GeoJSON features keyed by adcode), land adjacency and distance matrices.

    ``adjacency`` has columns ``adcode_a, adcode_b, shared_border_km``; ``distance_km`` and
    ``freight_cost`` are region × region tables (index ``region``, columns ``region_to``).
    """

    features: Mapping[int, Mapping[str, Any]]
    adjacency: pd.DataFrame
    distance_km: pd.DataFrame
    freight_cost: pd.DataFrame = field(default_factory=pd.DataFrame)

    def __post_init__(self) -> None:
        _require_columns(self.adjacency, ("adcode_a", "adcode_b"), "adjacency table")
        for name, matrix in (("distance_km", self.distance_km), ("freight_cost", self.freight_cost)):
            if matrix.empty:
                continue
            if matrix.index.name != REGION or matrix.columns.name != "region_to":
                raise SchemaError(f"{name} must be a region × region_to table")

    def neighbours(self, region: int) -> list[int]:
        adj = self.adjacency
        a = adj.loc[adj["adcode_a"] == region, "adcode_b"]
        b = adj.loc[adj["adcode_b"] == region, "adcode_a"]
        return sorted(int(x) for x in pd.concat([a, b]))

    def contiguity(self, regions: Iterable[int]) -> pd.DataFrame:
        """Binary rook-style land contiguity matrix (1 where two regions share a land border)."""
        ids = list(regions)
        w = pd.DataFrame(0, index=pd.Index(ids, name=REGION), columns=pd.Index(ids, name="region_to"))
        for a, b in self.adjacency[["adcode_a", "adcode_b"]].itertuples(index=False):
            if a in w.index and b in w.index:
                w.loc[a, b] = 1
                w.loc[b, a] = 1
        return w


@dataclass(frozen=True)
class Dataset:
    """Everything bundled about the provinces: regions, indicator panel, geography and provenance."""

    regions: Regions
    panel: IndicatorPanel
    geography: Geography
    sources: pd.DataFrame
    tables: pd.DataFrame

    def with_panel(self, panel: IndicatorPanel) -> Dataset:
        return Dataset(self.regions, panel, self.geography, self.sources, self.tables)

    def with_regions(self, regions: Regions) -> Dataset:
        return Dataset(regions, self.panel, self.geography, self.sources, self.tables)

"""Reference tests: the bundled dataset reproduces published national figures and known geography."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from hinterland.datasets import china_data_dir, national_totals

pytestmark = pytest.mark.reference


def test_31_regions_no_duplicates(china) -> None:  # type: ignore[no-untyped-def]
    table = china.regions.table
    assert len(table) == 31
    assert table.index.is_unique
    assert table["name_zh"].is_unique and table["short_zh"].is_unique and table["name_en"].is_unique
    assert set(table["macro_region"]) == {"east", "central", "west", "northeast"}
    assert table.groupby("macro_region").size().to_dict() == {
        "east": 10,
        "central": 6,
        "west": 12,
        "northeast": 3,
    }


def test_roles_follow_the_written_rule(china) -> None:  # type: ignore[no-untyped-def]
    table = china.regions.table
    assert set(china.regions.by_role("core")) == {510000, 500000}
    assert set(china.regions.by_role("front")) >= set(table.index[table["coastal"]])
    assert table["role_rationale"].str.len().min() > 10


def test_gdp_2022_sums_to_revised_provincial_total(china) -> None:  # type: ignore[no-untyped-def]
    # NBS provincial series after the 5th economic census: 2022 sum 122.29 ×10^12 yuan; Guangdong 13.25 ×10^12
    gdp = china.panel.series("gdp", 2022)
    assert len(gdp) == 31
    assert gdp.sum() == pytest.approx(1_222_900, rel=1e-3)
    assert gdp[440000] == pytest.approx(132_500, rel=2e-3)


def test_population_2022(china) -> None:  # type: ignore[no-untyped-def]
    assert china.panel.series("population", 2022).sum() == pytest.approx(140_975, abs=1)


def test_rd_expenditure_sums_to_national_total(china) -> None:  # type: ignore[no-untyped-def]
    totals = national_totals()
    rd = totals[totals["indicator"] == "rd_expenditure"]
    assert len(rd) >= 5
    for row in rd.itertuples():
        if row.year in china.panel.years("rd_expenditure"):
            assert china.panel.series("rd_expenditure", row.year).sum() == pytest.approx(row.value, rel=5e-3)


@pytest.mark.parametrize("indicator", ["va_primary", "va_secondary", "va_tertiary"])
def test_value_added_2022_within_one_percent_of_national(china, indicator: str) -> None:  # type: ignore[no-untyped-def]
    totals = national_totals()
    national = totals[(totals["indicator"] == indicator) & (totals["year"] == 2022)]["value"].item()
    assert china.panel.series(indicator, 2022).sum() == pytest.approx(national, rel=0.01)


def test_neighbours(china) -> None:  # type: ignore[no-untyped-def]
    geo = china.geography
    assert len(geo.neighbours(510000)) == 7
    assert geo.neighbours(460000) == []
    assert len(geo.adjacency) == 68  # the 70 pairs of the raw file less 2 with Hong Kong and Macau
    assert 500000 in geo.neighbours(510000)
    w = geo.contiguity(china.regions.ids)
    assert (w.to_numpy() == w.to_numpy().T).all()


def test_distance_and_freight_matrices(china) -> None:  # type: ignore[no-untyped-def]
    d = china.geography.distance_km
    assert d.shape == (31, 31)
    assert (d.to_numpy().diagonal() == 0).all()
    assert d.loc[110000, 310000] == pytest.approx(1067.3, abs=5)  # Beijing–Shanghai great circle
    cost = china.geography.freight_cost
    assert cost.shape == (31, 31)
    assert (cost.fillna(0).to_numpy() >= 0).all()


def test_geojson_compact_and_complete(china) -> None:  # type: ignore[no-untyped-def]
    path = china_data_dir() / "provinces.geojson"
    assert path.stat().st_size < 2_200_000
    assert set(china.geography.features) == set(china.regions.ids)
    assert json.loads(path.read_text(encoding="utf-8"))["type"] == "FeatureCollection"


def test_every_indicator_and_table_traces_to_a_source(china) -> None:  # type: ignore[no-untyped-def]
    sources = set(china.sources.index)
    catalogue = china.panel.catalogue
    cited = {sid for ids in catalogue["source_id"] for sid in str(ids).split(";")}
    assert cited <= sources
    for col in ("label_zh", "label_en", "unit", "vintage", "derivation"):
        assert (catalogue[col].astype(str).str.len() > 0).all(), col
    for name, row in china.tables.iterrows():
        assert (china_data_dir() / row["file"]).exists(), name
        for sid in filter(None, str(row["source_ids"]).split(";")):
            assert sid in sources, (name, sid)
    assert (china.sources["agency"].astype(str).str.len() > 0).all()
    totals = national_totals()
    assert set(totals["source_id"]) <= sources


def test_bundle_is_small() -> None:
    total = sum(p.stat().st_size for p in china_data_dir().iterdir())
    assert total < 10_000_000


def test_no_nans_in_panel(china) -> None:  # type: ignore[no-untyped-def]
    data = china.panel.data
    assert not data["value"].isna().any()
    assert pd.api.types.is_integer_dtype(data["year"])
    assert data["year"].between(2005, 2024).all()

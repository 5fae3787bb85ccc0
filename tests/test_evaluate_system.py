"""Indicator systems and derivations on a small synthetic dataset with hand-checkable answers."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hinterland.containers import Dataset, Geography, IndicatorPanel, Regions
from hinterland.errors import ConfigError, DataError, SchemaError, UnknownIdError, ValidationError
from hinterland.evaluate import (
    DERIVATIONS,
    build_matrix,
    default_system,
    evaluate,
    evaluate_panel,
    read_criteria_file,
    read_system,
)

KM_PER_DEG = 2 * np.pi * 6371.0088 / 360  # great-circle km per degree of longitude on the equator
IDS = [110000, 120000, 130000, 140000]


@pytest.fixture(scope="module")
def toy() -> Dataset:
    """Four regions on the equator at 0°, 1°, 2°, 3° E; only the first is coastal; a chain of borders."""
    reg = pd.DataFrame(
        {
            "name_zh": ["甲", "乙", "丙", "丁"],
            "short_zh": ["甲", "乙", "丙", "丁"],
            "name_en": ["A", "B", "C", "D"],
            "macro_region": "east",
            "coastal": [True, False, False, False],
            "land_border": False,
            "capital_zh": "x",
            "capital_en": "x",
            "capital_lon": [0.0, 1.0, 2.0, 3.0],
            "capital_lat": 0.0,
            "area_km2": [100.0, 200.0, 300.0, 400.0],
            "centroid_lon": [0.0, 1.0, 2.0, 3.0],
            "centroid_lat": 0.0,
            "role": "hinterland",
            "role_rationale": "test",
        },
        index=pd.Index(IDS, name="region"),
    )
    rows = []
    for k, r in enumerate(IDS):
        for y in range(2014, 2024):
            rows.append(
                {"region": r, "year": y, "indicator": "gdp", "value": 100.0 * (k + 1) * 1.1 ** (y - 2014)}
            )
            rows.append({"region": r, "year": y, "indicator": "population", "value": 10.0 * (k + 1)})
            rows.append({"region": r, "year": y, "indicator": "tax", "value": 5.0 + k})
    rows.append({"region": IDS[0], "year": 2023, "indicator": "sparse", "value": 1.0})
    rows.append({"region": IDS[1], "year": 2023, "indicator": "sparse", "value": 2.0})
    cat = pd.DataFrame(
        {
            "label_zh": "x",
            "label_en": "x",
            "unit": "u",
            "direction": "benefit",
            "source_id": "t",
            "vintage": "t",
            "derivation": "",
        },
        index=pd.Index(["gdp", "population", "tax", "sparse"], name="indicator"),
    )
    panel = IndicatorPanel.from_long(pd.DataFrame(rows), cat)
    adj = pd.DataFrame({"adcode_a": IDS[:-1], "adcode_b": IDS[1:]})
    geo = Geography(features={}, adjacency=adj, distance_km=pd.DataFrame())
    return Dataset(Regions(reg), panel, geo, pd.DataFrame(), pd.DataFrame())


def _system(tmp_path: Path, indicators: str, dims: str = "  - id: a\n  - id: b\n") -> Path:
    p = tmp_path / "sys.yaml"
    p.write_text(f"name: t\nmax_lag: 3\ndimensions:\n{dims}indicators:\n{indicators}", encoding="utf-8")
    return p


def test_derivations_hand_checked(toy: Dataset, tmp_path: Path) -> None:
    ind = """  - {id: depth, dimension: a, direction: benefit, derive: {kind: coast_distance}}
  - {id: share, dimension: a, direction: benefit, derive: {kind: neighbour_share}}
  - {id: gpc, dimension: a, direction: benefit, derive: {kind: ratio, numerator: gdp, denominator: population, scale: 2}}
  - {id: g5, dimension: b, direction: benefit, derive: {kind: growth, indicator: gdp, years: 5}}
  - {id: ch, dimension: b, direction: benefit, derive: {kind: change, indicator: gdp, years: 2}}
  - {id: vol, dimension: b, direction: cost, derive: {kind: volatility, indicator: gdp, years: 4}}
  - {id: res, dimension: b, direction: benefit, derive: {kind: resistance, indicator: gdp, shock: [2019, 2020]}}
  - {id: mp, dimension: b, direction: benefit, derive: {kind: market_potential, indicator: population}}
  - {id: cen, dimension: a, direction: cost, derive: {kind: centroid_distance, weight: population}}
"""
    m = build_matrix(toy, read_system(_system(tmp_path, ind)), 2023)
    v = m.values
    assert v["depth"].to_numpy() == pytest.approx([0.0, KM_PER_DEG, 2 * KM_PER_DEG, 3 * KM_PER_DEG])
    assert v["share"].to_numpy() == pytest.approx([1 / 3, 2 / 3, 2 / 3, 1 / 3])
    assert v["gpc"].to_numpy() == pytest.approx([2 * 10 * 1.1**9] * 4)
    assert v["g5"].to_numpy() == pytest.approx([10.0] * 4)
    assert v["ch"].to_numpy() == pytest.approx([21.0] * 4)
    assert v["vol"].to_numpy() == pytest.approx([0.0] * 4, abs=1e-9)
    assert v["res"].to_numpy() == pytest.approx([0.0] * 4, abs=1e-12)  # everyone grew at the national rate
    d_self = [(2 / 3) * np.sqrt(a / np.pi) for a in (100, 200, 300, 400)]
    pop = np.array([10.0, 20, 30, 40])
    mp0 = pop[0] / d_self[0] + sum(pop[j] / (j * KM_PER_DEG) for j in (1, 2, 3))
    assert v.loc[IDS[0], "mp"] == pytest.approx(mp0, rel=1e-9)
    # population-weighted centroid on the equator at lon = (0*1 + 1*2 + 2*3 + 3*4)/10 = 2.0°E (on the sphere:
    # the normalised mean of unit vectors, so close to but not exactly 2.0)
    assert v.loc[IDS[2], "cen"] < 20.0 and v.loc[IDS[0], "cen"] == pytest.approx(2 * KM_PER_DEG, rel=0.01)
    assert m.criteria.loc["g5", "year_used"] == "2018–2023"
    assert "Martin" in m.criteria.loc["res", "derivation"]


def test_as_of_year_and_lag(toy: Dataset, tmp_path: Path) -> None:
    ind = "  - {id: g, dimension: a, direction: benefit, indicator: gdp}\n  - {id: t, dimension: b, direction: +, indicator: tax}\n"
    m = build_matrix(toy, read_system(_system(tmp_path, ind)), 2030 - 4)
    assert m.criteria["year_used"].tolist() == ["2023", "2023"]
    with pytest.raises(DataError, match="max_lag 3"):
        build_matrix(toy, read_system(_system(tmp_path, ind)), 2030)
    with pytest.raises(DataError, match="no data for year ≤ 2000"):
        build_matrix(toy, read_system(_system(tmp_path, ind)), 2000)


def test_missing_cells_named_after_build(toy: Dataset, tmp_path: Path) -> None:
    ind = "  - {id: s, dimension: a, direction: benefit, indicator: sparse}\n  - {id: g, dimension: b, direction: benefit, indicator: gdp}\n"
    m = build_matrix(toy, read_system(_system(tmp_path, ind)), 2023)
    with pytest.raises(ValidationError) as err:
        evaluate(m)
    assert "region 130000" in str(err.value) and "column 's'" in str(err.value)
    ev = evaluate(m, impute_how="min")
    assert ev.matrix.values.loc[130000, "s"] == 1.0


def test_unknown_indicator_and_bad_system_files(toy: Dataset, tmp_path: Path) -> None:
    ind = "  - {id: x, dimension: a, direction: benefit, indicator: gpd}\n  - {id: g, dimension: b, direction: benefit, indicator: gdp}\n"
    with pytest.raises(UnknownIdError, match=r"'gpd'.*Did you mean gdp"):
        build_matrix(toy, read_system(_system(tmp_path, ind)), 2023)
    with pytest.raises(ConfigError, match="direction is missing"):
        read_system(
            _system(
                tmp_path,
                "  - {id: x, dimension: a, indicator: gdp}\n  - {id: y, dimension: b, indicator: gdp}\n",
            )
        )
    with pytest.raises(UnknownIdError, match="unknown dimension"):
        read_system(_system(tmp_path, "  - {id: x, dimension: zz, direction: cost, indicator: gdp}\n"))
    with pytest.raises(ConfigError, match="unknown derivation 'magic'"):
        read_system(_system(tmp_path, "  - {id: x, dimension: a, direction: cost, derive: {kind: magic}}\n"))
    with pytest.raises(ConfigError, match="duplicate indicator"):
        read_system(
            _system(
                tmp_path,
                "  - {id: x, dimension: a, direction: cost, indicator: gdp}\n"
                "  - {id: x, dimension: b, direction: cost, indicator: gdp}\n",
            )
        )


def test_csv_system_and_panel_mode(toy: Dataset, tmp_path: Path) -> None:
    p = tmp_path / "sys.csv"
    p.write_text(
        "id,dimension,direction,numerator,denominator,scale\n"
        "gdp,econ,benefit,,,\ntax_per_cap,fisc,+,tax,population,1\narea_depth,econ,cost,,,\n",
        encoding="utf-8",
    )
    with pytest.raises(UnknownIdError, match="area_depth"):
        build_matrix(toy, read_system(p), 2023)
    p.write_text(
        "id,dimension,direction,numerator,denominator,scale\n"
        "gdp,econ,benefit,,,\ntax_per_cap,fisc,+,tax,population,1\n",
        encoding="utf-8",
    )
    s = read_system(p)
    assert s.indicators.loc["tax_per_cap", "derive"]["kind"] == "ratio"
    long, notes = evaluate_panel(toy, s, [2012, 2021, 2022, 2023])
    assert sorted(long["year"].unique()) == [2021, 2022, 2023]
    assert any("year 2012 skipped" in n for n in notes)
    # GDP grows 10 % a year everywhere, tax is flat: pooled scores rise over time for every region
    wide = long.pivot(index="region", columns="year", values="score")
    assert (wide[2023] >= wide[2021]).all()


def test_criteria_file_errors(tmp_path: Path) -> None:
    p = tmp_path / "c.csv"
    p.write_text("criterion,direction\na,benefit\nb,\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="direction is missing"):
        read_criteria_file(p, ["a", "b"])
    p.write_text("criterion\na\nb\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="direction missing"):
        read_criteria_file(p, ["a", "b"])
    p.write_text("criterion,direction\na,+\nc,-\n", encoding="utf-8")
    with pytest.raises(UnknownIdError, match=r"\['c'\]"):
        read_criteria_file(p, ["a", "b"])
    p.write_text("name,direction\na,+\n", encoding="utf-8")
    with pytest.raises(SchemaError, match="criterion"):
        read_criteria_file(p, ["a"])


def test_default_system_is_documented() -> None:
    s = default_system()
    assert list(s.dimensions.index) == [
        "location",
        "resilience",
        "innovation",
        "cohesion",
        "reserve",
        "backup",
        "st_support",
        "transport",
    ]
    assert s.coupling_dimensions == ("location", "resilience", "innovation", "cohesion")
    for iid, row in s.indicators.iterrows():
        assert row["direction"] in {"benefit", "cost"}, iid
        assert row["unit"] and row["source"] and row["reason"] and row["basis"], iid
        assert row["derive"]["kind"] in DERIVATIONS, iid
        assert row["basis"].split()[0] in {"published", "synthesis"}, iid

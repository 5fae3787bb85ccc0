"""Unit tests of the domain containers on small hand-made tables."""

from __future__ import annotations

import pandas as pd
import pytest

from hinterland.containers import Geography, IndicatorPanel, Regions, normalise_name
from hinterland.errors import SchemaError, UnknownIdError


def _catalogue(*ids: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "label_zh": list(ids),
            "label_en": list(ids),
            "unit": "亿元",
            "direction": "benefit",
            "source_id": "s",
            "vintage": "v",
            "derivation": "as published",
        },
        index=pd.Index(list(ids), name="indicator"),
    )


def _panel() -> IndicatorPanel:
    data = pd.DataFrame(
        {
            "region": [1, 2, 1, 2],
            "year": [2020, 2020, 2021, 2021],
            "indicator": "gdp",
            "value": [1.0, 2.0, 3.0, 4.0],
        }
    )
    return IndicatorPanel.from_long(data, _catalogue("gdp"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("四川省", "四川"),
        ("Sichuan Province", "sichuan"),
        ("Inner Mongolia", "innermongolia"),
        ("新疆维吾尔自治区", "新疆"),
        ("广西壮族自治区", "广西"),
        (" Ningxia ", "ningxia"),
    ],
)
def test_normalise_name(text: str, expected: str) -> None:
    assert normalise_name(text) == expected


def test_regions_resolve_every_form(china) -> None:  # type: ignore[no-untyped-def]
    regions: Regions = china.regions
    for name in (
        510000,
        "510000",
        "51",
        "四川省",
        "四川",
        "Sichuan",
        "sichuan",
        "SICHUAN PROVINCE",
        510000.0,
    ):
        assert regions.resolve(name) == 510000
    assert regions.resolve("Xizang") == regions.resolve("Tibet") == 540000
    assert regions.resolve("Shaanxi") == 610000
    assert regions.resolve("Shanxi") == 140000


def test_regions_unknown_name_suggests(china) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UnknownIdError, match="Did you mean Sichuan"):
        china.regions.resolve("Sichaun")


def test_with_roles_overrides_and_keeps_original(china) -> None:  # type: ignore[no-untyped-def]
    regions = china.regions
    changed = regions.with_roles({110000: "core"}, "test")
    assert changed.table.at[110000, "role"] == "core"
    assert regions.table.at[110000, "role"] != "core" or regions.table.at[110000, "role_rationale"] != "test"
    with pytest.raises(SchemaError, match="unknown role"):
        regions.with_roles({110000: "capital"})


def test_panel_series_table_wide() -> None:
    panel = _panel()
    assert panel.series("gdp").to_dict() == {1: 3.0, 2: 4.0}
    assert panel.series("gdp", 2020).to_dict() == {1: 1.0, 2: 2.0}
    assert panel.table("gdp").loc[2, 2021] == 4.0
    assert panel.wide(2020).columns.tolist() == ["gdp"]
    assert panel.series("gdp").index.name == "region"


def test_panel_unknown_year_and_indicator() -> None:
    panel = _panel()
    with pytest.raises(UnknownIdError, match="no data for 1999; available years: 2020–2021"):
        panel.series("gdp", 1999)
    with pytest.raises(UnknownIdError, match="Did you mean gdp"):
        panel.series("gpd")


def test_overlay_overrides_but_keeps_bundled_layer() -> None:
    panel = _panel()
    user = pd.DataFrame({"region": [1], "year": [2021], "indicator": ["gdp"], "value": [30.0]})
    extra = pd.DataFrame({"region": [2], "year": [2021], "indicator": ["steel"], "value": [7.0]})
    merged = panel.overlay(user, "user:a.csv").overlay(extra, "user:b.csv", _catalogue("steel"))
    assert merged.series("gdp").to_dict() == {1: 30.0, 2: 4.0}
    assert merged.layer("bundled").query("region == 1 and year == 2021")["value"].item() == 3.0
    assert merged.series("steel").to_dict() == {2: 7.0}
    assert merged.origins == ["bundled", "user:a.csv", "user:b.csv"]
    assert panel.series("gdp").to_dict() == {1: 3.0, 2: 4.0}  # the original is untouched


def test_overlay_new_indicator_needs_catalogue() -> None:
    extra = pd.DataFrame({"region": [2], "year": [2021], "indicator": ["steel"], "value": [7.0]})
    with pytest.raises(UnknownIdError, match="without a catalogue entry"):
        _panel().overlay(extra, "user")


def test_geography_neighbours_and_contiguity() -> None:
    adj = pd.DataFrame({"adcode_a": [1, 1, 2], "adcode_b": [2, 3, 3]})
    empty = pd.DataFrame()
    geo = Geography({}, adj, empty, empty)
    assert geo.neighbours(1) == [2, 3]
    w = geo.contiguity([1, 2, 3, 4])
    assert w.to_numpy().sum() == 6
    assert w.loc[4].sum() == 0


def test_regions_schema_errors(china) -> None:  # type: ignore[no-untyped-def]
    table = china.regions.table
    with pytest.raises(SchemaError, match="indexed by 'region'"):
        Regions(table.reset_index())
    with pytest.raises(SchemaError, match="missing column"):
        Regions(table.drop(columns="role"))

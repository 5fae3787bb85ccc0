"""Unit tests of the user-data readers and every named check, on small files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from hinterland.datasets import CHECKS, apply_indicator_file, read_indicator_file, read_roles_file, read_table
from hinterland.errors import DataFileError, SchemaError, ValidationError


def _checks_failed(exc: ValidationError) -> set[str]:
    return {p.check for p in exc.problems}


def test_long_form_with_mixed_region_names(china, write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(
        [
            {
                "province": "四川省",
                "year": 2022,
                "indicator": "steel_output",
                "value": "1,234.5",
                "unit": "万吨",
            },
            {
                "province": "Chongqing",
                "year": 2022,
                "indicator": "steel_output",
                "value": 800,
                "unit": "万吨",
            },
            {"province": 420000, "year": 2022, "indicator": "steel_output", "value": 3000, "unit": "万吨"},
        ]
    )
    result = read_indicator_file(path, china)
    assert result.data["region"].tolist() == [510000, 500000, 420000]
    assert result.data["value"].tolist() == [1234.5, 800.0, 3000.0]
    assert result.catalogue.loc["steel_output", "unit"] == "万吨"
    assert result.origin == "user:user.csv"


def test_wide_form_with_unit_in_header(china, write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv([{"地区": "湖北", "年份": 2021, "steel_output [万吨]": 10, "gdp": 50_000}])
    result = read_indicator_file(path, china)
    assert set(result.data["indicator"]) == {"steel_output", "gdp"}
    assert list(result.catalogue.index) == ["steel_output"]


def test_override_keeps_bundled_values(china, write_csv) -> None:  # type: ignore[no-untyped-def]
    bundled = china.panel.series("gdp", 2022)[510000]
    path = write_csv([{"region": "Sichuan", "year": 2022, "gdp": bundled * 1.01}])
    ds = apply_indicator_file(china, path)
    assert ds.panel.series("gdp", 2022)[510000] == pytest.approx(bundled * 1.01)
    assert ds.panel.layer("bundled").query("region == 510000 and year == 2022 and indicator == 'gdp'")[
        "value"
    ].item() == pytest.approx(bundled)
    assert china.panel.series("gdp", 2022)[510000] == bundled


def test_excel_and_parquet(china, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    frame = pd.DataFrame(
        {"region": ["Hubei"], "year": [2022], "indicator": ["x_index"], "value": [1.5], "unit": ["index"]}
    )
    frame.to_excel(tmp_path / "u.xlsx", index=False)
    frame.to_parquet(tmp_path / "u.parquet", index=False)
    for name in ("u.xlsx", "u.parquet"):
        assert read_indicator_file(tmp_path / name, china).data["value"].item() == 1.5


def test_gbk_csv(china, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "gbk.csv"
    path.write_bytes("地区,年份,指标,数值,单位\n四川,2022,x_count,3,个\n".encode("gbk"))
    assert read_indicator_file(path, china).data["region"].item() == 510000


@pytest.mark.parametrize(
    ("row", "check", "message"),
    [
        (
            {"region": "Sichaun", "year": 2022, "indicator": "gdp", "value": 5e4},
            "region_ids",
            "Did you mean Sichuan",
        ),
        ({"region": "Sichuan", "year": 20222, "indicator": "gdp", "value": 5e4}, "years", "20222"),
        (
            {"region": "Sichuan", "year": 2022, "indicator": "gdp", "value": "n/a"},
            "numeric_values",
            "not a number",
        ),
        ({"region": "Sichuan", "year": 2022, "indicator": "gdp", "value": ""}, "missing_values", "blank"),
        ({"region": "Sichuan", "year": 2022, "indicator": "gdp", "value": -5}, "negative_values", "negative"),
        (
            {"region": "Sichuan", "year": 2022, "indicator": "gdp", "value": 5.67e8, "unit": "万元"},
            "units",
            "multiply the values by 0.0001",
        ),
        (
            {"region": "Sichuan", "year": 2022, "indicator": "urbanization_rate", "value": 158},
            "percent_range",
            "outside 0–100",
        ),
        ({"region": "Sichuan", "year": 2022, "indicator": "gdp", "value": 5.67e8}, "magnitude", "unit slip"),
        ({"region": "Sichuan", "year": 2022, "indicator": "new_thing", "value": 1}, "units", "has no unit"),
    ],
)
def test_each_bad_input_names_the_problem(china, write_csv, row, check, message) -> None:  # type: ignore[no-untyped-def]
    path = write_csv([row])
    with pytest.raises(ValidationError) as info:
        read_indicator_file(path, china)
    assert check in _checks_failed(info.value)
    text = str(info.value)
    assert message in text
    assert "user.csv" in text
    assert "row 2" in text


def test_duplicates_across_spellings(china, write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(
        [
            {"region": "四川", "year": 2022, "indicator": "x_count", "value": 1, "unit": "个"},
            {"region": "Sichuan", "year": 2022, "indicator": "x_count", "value": 2, "unit": "个"},
        ]
    )
    with pytest.raises(ValidationError, match="appears 2 times") as info:
        read_indicator_file(path, china)
    assert _checks_failed(info.value) == {"duplicates"}


def test_all_problems_reported_at_once(china, write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv(
        [
            {"region": "Atlantis", "year": 2022, "indicator": "gdp", "value": 1e4},
            {"region": "Hubei", "year": 1800, "indicator": "gdp", "value": "x"},
        ]
    )
    with pytest.raises(ValidationError) as info:
        read_indicator_file(path, china)
    assert {"region_ids", "years", "numeric_values"} <= _checks_failed(info.value)


def test_fractions_for_percent_detected(china, write_csv) -> None:  # type: ignore[no-untyped-def]
    rows = [
        {"region": r, "year": 2022, "indicator": "urbanization_rate", "value": 0.6}
        for r in ("四川", "湖北", "河南")
    ]
    with pytest.raises(ValidationError, match="look like fractions"):
        read_indicator_file(write_csv(rows), china)


def test_skip_a_check_on_purpose(china, write_csv) -> None:  # type: ignore[no-untyped-def]
    path = write_csv([{"region": "Sichuan", "year": 2022, "indicator": "gdp", "value": 5.67e8}])
    assert read_indicator_file(path, china, skip_checks=("magnitude",)).data["value"].item() == 5.67e8


def test_schema_errors(china, write_csv) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SchemaError, match=r"missing required column\(s\) \['year'\]"):
        read_indicator_file(write_csv([{"region": "Hubei", "gdp": 1}]), china)
    with pytest.raises(SchemaError, match="needs both 'indicator' and 'value'"):
        read_indicator_file(write_csv([{"region": "Hubei", "year": 2020, "value": 1}]), china)
    with pytest.raises(SchemaError, match="no indicator columns"):
        read_indicator_file(write_csv([{"region": "Hubei", "year": 2020}]), china)


def test_file_errors(tmp_path: Path) -> None:
    with pytest.raises(DataFileError, match="file not found"):
        read_table(tmp_path / "nope.csv")
    (tmp_path / "a.json").write_text("{}")
    with pytest.raises(DataFileError, match=r"unsupported file type '\.json'"):
        read_table(tmp_path / "a.json")
    (tmp_path / "bad.xlsx").write_text("not excel")
    with pytest.raises(DataFileError, match="cannot read it as xlsx"):
        read_table(tmp_path / "bad.xlsx")


def test_roles_file(china, write_csv) -> None:  # type: ignore[no-untyped-def]
    roles = read_roles_file(write_csv([{"region": "Beijing", "role": "core"}]), china.regions)
    assert roles == {110000: "core"}
    with pytest.raises(ValidationError, match="unknown role 'capital'"):
        read_roles_file(write_csv([{"region": "Beijing", "role": "capital"}]), china.regions)


def test_check_catalogue_is_complete() -> None:
    assert set(CHECKS) == {
        "region_ids",
        "years",
        "missing_values",
        "numeric_values",
        "duplicates",
        "units",
        "negative_values",
        "percent_range",
        "magnitude",
    }
    for check in CHECKS.values():
        assert check.__doc__

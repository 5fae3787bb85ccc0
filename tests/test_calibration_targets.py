"""Calibration targets of the regional-disaster scenario (Wenchuan 2008): loader, arithmetic, regression.

The targets are built by ``scripts/china/build_calibration.py``; these tests read only the bundled
tables. The difference-in-differences is recomputed from the bundled growth columns, once in general
and once for Sichuan 2008 with the numbers written out, so the arithmetic can be checked by hand.
Regenerate the stored numbers (``tests/regression/calibration_wenchuan_2008.csv``) after a deliberate
change of the method or the data with ``HINTERLAND_UPDATE_REGRESSION=1``.
"""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hinterland.datasets import (
    CALIBRATION_EVENTS,
    china_data_dir,
    load_calibration_inputs,
    load_calibration_references,
    load_calibration_targets,
    load_china,
)
from hinterland.datasets import _calibration as cal
from hinterland.errors import ConfigError, DataFileError, SchemaError, ValidationError

REG = Path(__file__).parent / "regression" / "calibration_wenchuan_2008.csv"
REG_COLUMNS = [
    "region", "comparison_group", "year", "level_gap_pct", "level_gap_low_pct", "level_gap_high_pct",
    "level_gap_loo_min_pct", "level_gap_loo_max_pct",
]  # fmt: skip
SICHUAN, GANSU, SHAANXI = 510000, 620000, 610000
QUAKE = date(2008, 5, 12)


@pytest.fixture(scope="module")
def targets() -> pd.DataFrame:
    return load_calibration_targets()


@pytest.fixture(scope="module")
def full() -> pd.DataFrame:
    return load_calibration_targets(include_pre=True)


def _row(frame: pd.DataFrame, region: int, year: int, group: str = "west") -> pd.Series:
    hit = frame[(frame["region"] == region) & (frame["year"] == year) & (frame["comparison_group"] == group)]
    assert len(hit) == 1
    return hit.iloc[0]


def test_loader_returns_the_expected_columns_and_rows(targets: pd.DataFrame, full: pd.DataFrame) -> None:
    assert CALIBRATION_EVENTS == ("wenchuan-2008",)
    assert tuple(targets.columns) == cal.TARGET_COLUMNS
    for col in ("region", "year", "level_gap_pct", "level_gap_low_pct", "level_gap_high_pct"):
        assert pd.api.types.is_numeric_dtype(targets[col]), col
    assert set(targets["region"]) == {SICHUAN, GANSU, SHAANXI}
    assert set(targets["comparison_group"]) == {"west", "central"}
    assert sorted(set(targets["year"])) == [2008, 2009, 2010, 2011]
    assert len(targets) == 3 * 2 * 4 and (targets["period"] == "post").all()
    assert targets["level_gap_pct"].notna().all()
    assert len(full) == 3 * 2 * 7 and sorted(set(full["year"])) == list(range(2005, 2012))
    assert set(targets.loc[targets["primary"], "comparison_group"]) == {"west"}
    # the loader hands out copies: changing one does not change the next call
    targets_copy = load_calibration_targets()
    targets_copy.loc[0, "level_gap_pct"] = 99.0
    assert load_calibration_targets().loc[0, "level_gap_pct"] != 99.0


def test_sichuan_2008_gdp_fell_below_its_counterfactual(targets: pd.DataFrame) -> None:
    for group in ("west", "central"):
        r = _row(targets, SICHUAN, 2008, group)
        assert r["level_gap_pct"] < 0
        assert r["level_gap_high_pct"] < 0  # the ~90 % band excludes no effect in 2008
        assert -6.0 < r["level_gap_pct"] < -1.0
        assert r["gdp_gap_yi"] < 0


def test_bands_contain_the_estimate(targets: pd.DataFrame) -> None:
    assert (targets["level_gap_low_pct"] <= targets["level_gap_pct"]).all()
    assert (targets["level_gap_pct"] <= targets["level_gap_high_pct"]).all()
    assert (targets["level_gap_loo_min_pct"] <= targets["level_gap_pct"]).all()
    assert (targets["level_gap_pct"] <= targets["level_gap_loo_max_pct"]).all()
    assert (targets["placebo_rms_pct"] > 0).all()


def test_model_days_cover_each_calendar_year(targets: pd.DataFrame) -> None:
    days = targets[targets["region"] == SICHUAN].drop_duplicates("year").set_index("year")
    expected = {2008: (1, 234), 2009: (235, 599), 2010: (600, 964), 2011: (965, 1329)}
    for year, (start, end) in expected.items():
        assert (int(days.loc[year, "model_day_start"]), int(days.loc[year, "model_day_end"])) == (start, end)
        # model day d is QUAKE + (d - 1) days: day 1 = 12 May 2008 (day 133 of the leap year)
        assert QUAKE + timedelta(days=end - 1) == date(year, 12, 31)
        first = date(year, 1, 1) if year > 2008 else QUAKE
        assert QUAKE + timedelta(days=start - 1) == first
    assert QUAKE.timetuple().tm_yday == 133
    assert int(days.loc[2008, "days_in_year"]) == 366


@pytest.mark.regression
def test_targets_match_the_stored_numbers(targets: pd.DataFrame) -> None:
    got = targets[REG_COLUMNS].round(4).reset_index(drop=True)
    if os.environ.get("HINTERLAND_UPDATE_REGRESSION") == "1":
        got.to_csv(REG, index=False)
    want = pd.read_csv(REG)
    assert list(want.columns) == REG_COLUMNS
    pd.testing.assert_frame_equal(got[REG_COLUMNS[:3]], want[REG_COLUMNS[:3]], check_dtype=False)
    np.testing.assert_allclose(got[REG_COLUMNS[3:]].to_numpy(), want[REG_COLUMNS[3:]].to_numpy(), atol=1e-3)


def test_did_recomputed_from_the_growth_columns(full: pd.DataFrame) -> None:
    for (_, _), g in full.groupby(["region", "comparison_group"]):
        g = g.sort_values("year").set_index("year")
        pre, post = g[g["period"] == "pre"], g[g["period"] == "post"]
        assert list(pre.index) == [2005, 2006, 2007]
        gap = float((pre["gdp_growth_actual"] - pre["comparison_mean_growth"]).mean())
        assert gap == pytest.approx(float(g["pre_gap"].iloc[0]), abs=2e-6)
        cf = g["comparison_mean_growth"] + gap
        np.testing.assert_allclose(g["gdp_growth_counterfactual"], cf, atol=2e-6)
        level = np.cumprod(1 + post["gdp_growth_actual"]) / np.cumprod(1 + cf[post.index]) - 1
        np.testing.assert_allclose(post["level_gap_pct"], 100 * level, atol=1e-3)
        # the counterfactual level in 亿元 follows from the gap
        np.testing.assert_allclose(
            post["gdp_counterfactual_yi"],
            post["gdp_actual_yi"] / (1 + post["level_gap_pct"] / 100),
            rtol=1e-6,
        )


def test_sichuan_2008_by_hand(full: pd.DataFrame) -> None:
    # Sichuan growth 2005-2007: 12.61, 13.34, 14.17 %; western comparison mean 11.40, 12.3667, 13.6833 %
    # -> pre-period gap (1.21 + 0.9733 + 0.4867) / 3 = 0.89 points. 2008: comparison 12.20 %, so the
    # counterfactual is 13.09 % against the actual 9.52 %: L = 1.0952 / 1.1309 - 1 = -3.157 %.
    by_year = full[(full["region"] == SICHUAN) & (full["comparison_group"] == "west")].set_index("year")
    assert list(by_year.loc[[2005, 2006, 2007], "gdp_growth_actual"]) == pytest.approx(
        [0.1261, 0.1334, 0.1417], abs=1e-6
    )
    assert list(by_year.loc[[2005, 2006, 2007], "comparison_mean_growth"]) == pytest.approx(
        [0.1140, 0.123667, 0.136833], abs=1e-6
    )
    pre_gap = ((0.1261 - 0.1140) + (0.1334 - 0.123667) + (0.1417 - 0.136833)) / 3
    assert pre_gap == pytest.approx(0.0089, abs=1e-6)
    assert by_year.loc[2008, "comparison_mean_growth"] == pytest.approx(0.1220, abs=1e-6)
    assert by_year.loc[2008, "gdp_growth_actual"] == pytest.approx(0.0952, abs=1e-6)
    level_2008 = 100 * (1.0952 / (1 + 0.1220 + pre_gap) - 1)
    assert level_2008 == pytest.approx(-3.1568, abs=1e-3)
    assert by_year.loc[2008, "level_gap_pct"] == pytest.approx(level_2008, abs=1e-3)


def test_comparison_means_follow_from_the_inputs(full: pd.DataFrame) -> None:
    inputs = load_calibration_inputs()
    growth = inputs.pivot(index="region", columns="year", values="gdp_growth")
    for (region, group), g in full.groupby(["region", "comparison_group"]):
        members = [int(m) for m in str(g["comparison_members"].iloc[0]).split(";")]
        roles = set(inputs.loc[inputs["region"].isin(members), "role"])
        assert roles == {f"comparison_{group}"}
        g = g.set_index("year")
        np.testing.assert_allclose(
            g["comparison_mean_growth"], growth.loc[members, g.index].mean(), atol=1e-6
        )
        np.testing.assert_allclose(g["gdp_growth_actual"], growth.loc[region, g.index], atol=1e-6)


def test_recovered_index_undoes_the_panels_two_year_means() -> None:
    inputs = load_calibration_inputs().sort_values(["region", "year"])
    for _, g in inputs.groupby("region"):
        g = g.set_index("year")
        assert g.loc[2005, "gdp_index"] == pytest.approx(g.loc[2005, "gdp_index_panel"])
        mean = (g["gdp_index"] + g["gdp_index"].shift(1)) / 2
        np.testing.assert_allclose(mean.loc[2006:], g.loc[2006:, "gdp_index_panel"], atol=1e-3)
        np.testing.assert_allclose(g["gdp_growth"], g["gdp_index"] / 100 - 1, atol=1e-6)


@pytest.mark.reference
def test_published_figures_are_sourced_and_match_the_recovered_growth() -> None:
    refs = load_calibration_references().set_index("figure_id")
    sources = load_china().sources
    assert set(refs["source_id"]) <= set(sources.index)
    assert refs["url"].str.startswith("http").all()
    assert set(refs["kind"]) <= {"published", "implied"}
    growth = load_calibration_inputs().set_index(["region", "year"])["gdp_index"] - 100
    assert refs.loc["sc_gdp_2008", "value"] == 9.5
    assert growth[(SICHUAN, 2008)] == pytest.approx(9.5, abs=0.1)
    assert growth[(SICHUAN, 2009)] == pytest.approx(refs.loc["sc_gdp_2009", "value"], abs=0.1)
    # H1 2008 (9.1 %) lies between Q1 (14.5 %) and the quake quarter Q2 (4.6 %)
    q1, q2, h1 = (refs.loc[f, "value"] for f in ("sc_gdp_2008q1", "sc_gdp_2008q2", "sc_gdp_2008h1"))
    assert q2 < h1 < q1
    # the implied April industrial growth agrees with both published statements
    may, june, april = (refs.loc[f, "value"] for f in ("sc_ind_2008m05", "sc_ind_2008m06", "sc_ind_2008m04"))
    assert april == pytest.approx(may + 21.0) == pytest.approx(june + 8.6)


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setattr(cal, "china_data_dir", lambda: tmp_path)
    for cached in (cal._targets, cal._inputs, cal._references):
        cached.cache_clear()
    yield tmp_path / "calibration"
    for cached in (cal._targets, cal._inputs, cal._references):
        cached.cache_clear()


def test_missing_file_names_the_file_and_the_fix(data_dir: Path) -> None:
    with pytest.raises(DataFileError, match=r"wenchuan_2008\.csv is missing.*make dataset"):
        load_calibration_targets()


def test_malformed_files_are_reported(data_dir: Path) -> None:
    data_dir.mkdir()
    good = pd.read_csv(china_data_dir() / "calibration" / "wenchuan_2008.csv")  # the real bundled file
    good.drop(columns=["level_gap_pct"]).to_csv(data_dir / "wenchuan_2008.csv", index=False)
    with pytest.raises(SchemaError, match=r"wenchuan_2008\.csv.*level_gap_pct.*Fix"):
        load_calibration_targets()
    cal._targets.cache_clear()
    bad = good.copy()
    bad["level_gap_high_pct"] = bad["level_gap_high_pct"].astype(object)
    bad.loc[3, "level_gap_high_pct"] = "high"
    bad.to_csv(data_dir / "wenchuan_2008.csv", index=False)
    with pytest.raises(ValidationError, match=r"row 5, column 'level_gap_high_pct'.*not a number"):
        load_calibration_targets()
    cal._targets.cache_clear()
    swapped = good.copy()
    post = swapped.index[swapped["period"] == "post"][0]
    swapped.loc[post, "level_gap_low_pct"] = swapped.loc[post, "level_gap_pct"] + 1
    swapped.to_csv(data_dir / "wenchuan_2008.csv", index=False)
    with pytest.raises(ValidationError, match=r"outside \[level_gap_low_pct"):
        load_calibration_targets()


def test_unknown_event_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="wenchuan-2008"):
        load_calibration_targets("tangshan-1976")

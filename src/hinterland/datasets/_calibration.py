"""Calibration targets for the shock model: observed GDP losses of a past disaster.

Bundled (built by ``scripts/china/build_calibration.py`` from NBS data, see docs/economy.md):
``china_data/calibration/wenchuan_2008.csv`` (the targets), ``wenchuan_2008_inputs.csv`` (the growth
series they rest on) and ``wenchuan_2008_published.csv`` (published Sichuan figures of 2008–2009).

Method of ``wenchuan-2008`` (the ``regional-disaster`` scenario: the Wenchuan earthquake of 12 May 2008):

* real GDP growth ``g`` of each province from NBS's GDP index (previous year = 100). The compiled panel
  holds, for 2006–2014, the mean of the index of the year and of the year before; the published index
  is recovered as ``t_2005 = x_2005``, ``t_y = 2 x_y − t_(y−1)`` (checked against Sichuan's published
  2008 growth of 9.5 % and 2009 growth of 14.5 %);
* treated: Sichuan (510000), Gansu (620000), Shaanxi (610000); comparison group ``west`` (primary:
  Chongqing, Guizhou, Yunnan, Guangxi, Qinghai, Ningxia) or ``central`` (Anhui, Jiangxi, Henan,
  Hubei, Hunan);
* counterfactual growth :math:`g^{cf}_y = \\bar g^C_y + \\overline{(g - \\bar g^C)}_{2005..2007}`
  (comparison mean of the year plus the treated province's mean pre-period gap to it);
* level gap cumulated from 2008, in % of the counterfactual GDP of year ``Y``:
  :math:`L_Y = \\prod_{y=2008}^{Y}(1+g_y) / \\prod_{y=2008}^{Y}(1+g^{cf}_y) - 1`;
* band ``level_gap_low_pct``–``level_gap_high_pct``: ``L ± t_0.95(n)·rms`` with ``rms`` the root mean
  square of the comparison provinces' own placebo gaps (≈ 90 %); ``level_gap_loo_*``: leave one
  comparison province out; ``level_gap_pre2006_pct``: pre-period 2006–2007;
* model days: day 1 = 12 May 2008, so 2008 is days 1–234 (leap year), 2009 235–599, 2010 600–964,
  2011 965–1329. A model's target for year ``Y`` is its output loss over those days divided by the
  year's baseline (counterfactual) output, i.e. ``−level_gap_pct``.

Growth columns are fractions (0.0952 = 9.52 %); ``*_pct`` columns are percent; ``*_yi`` 亿元.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from hinterland.datasets._china import china_data_dir
from hinterland.errors import ConfigError, DataFileError, Problem, SchemaError, ValidationError

__all__ = [
    "CALIBRATION_EVENTS",
    "load_calibration_inputs",
    "load_calibration_references",
    "load_calibration_targets",
]

CALIBRATION_EVENTS = ("wenchuan-2008",)
_FILES = {
    "wenchuan-2008": {
        "targets": "wenchuan_2008.csv",
        "inputs": "wenchuan_2008_inputs.csv",
        "references": "wenchuan_2008_published.csv",
    }
}
_FIX = "rebuild the bundled dataset with `make dataset` (needs ../shared/data/china) or reinstall hinterland"

TARGET_COLUMNS = (
    "event", "region", "name_en", "direct_loss_share", "comparison_group", "comparison_members", "primary",
    "year", "period", "model_day_start", "model_day_end", "days_in_year", "gdp_growth_actual",
    "comparison_mean_growth", "pre_gap", "gdp_growth_counterfactual", "level_gap_pct", "level_gap_low_pct",
    "level_gap_high_pct", "placebo_rms_pct", "level_gap_loo_min_pct", "level_gap_loo_max_pct",
    "level_gap_pre2006_pct", "gdp_actual_yi", "gdp_counterfactual_yi", "gdp_gap_yi",
)  # fmt: skip
_TARGET_NUMERIC = (
    "region", "direct_loss_share", "year", "model_day_start", "model_day_end", "days_in_year",
    "gdp_growth_actual", "comparison_mean_growth", "pre_gap", "gdp_growth_counterfactual", "level_gap_pct",
    "level_gap_low_pct", "level_gap_high_pct", "placebo_rms_pct", "level_gap_loo_min_pct",
    "level_gap_loo_max_pct", "level_gap_pre2006_pct", "gdp_actual_yi", "gdp_counterfactual_yi", "gdp_gap_yi",
)  # fmt: skip
#: must be filled in every post-event row
_POST_REQUIRED = (
    "model_day_start", "model_day_end", "gdp_growth_actual", "gdp_growth_counterfactual", "level_gap_pct",
    "level_gap_low_pct", "level_gap_high_pct",
)  # fmt: skip
INPUT_COLUMNS = ("region", "name_en", "role", "year", "gdp_index_panel", "gdp_index", "gdp_growth", "gdp_yi")
REFERENCE_COLUMNS = (
    "figure_id", "area", "period", "indicator", "value", "unit", "kind", "source_id", "note", "url",
    "published",
)  # fmt: skip


def _path(event: str, table: str) -> Path:
    if event not in _FILES:
        raise ConfigError(
            f"unknown calibration event {event!r}; expected one of {', '.join(CALIBRATION_EVENTS)}"
        )
    return china_data_dir() / "calibration" / _FILES[event][table]


def _read(path: Path, columns: tuple[str, ...], numeric: tuple[str, ...]) -> pd.DataFrame:
    if not path.exists():
        raise DataFileError(f"bundled calibration file {path} is missing. Fix: {_FIX}.")
    try:
        frame = pd.read_csv(path)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise DataFileError(
            f"bundled calibration file {path} cannot be read as CSV ({exc}). Fix: {_FIX}."
        ) from exc
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise SchemaError(f"{path}: columns {missing} missing (found {list(frame.columns)}). Fix: {_FIX}.")
    problems = []
    for col in numeric:
        values = pd.to_numeric(frame[col], errors="coerce")
        bad = values.isna() & frame[col].notna()
        problems += [
            Problem("number", f"{frame[col].iloc[i]!r} is not a number", file=str(path), row=int(i) + 2,
                    column=col, fix=_FIX)
            for i in bad.to_numpy().nonzero()[0][:20]
        ]  # fmt: skip
        frame[col] = values
    if problems:
        raise ValidationError(problems, str(path))
    return frame


def _check_targets(frame: pd.DataFrame, path: Path) -> None:
    problems: list[Problem] = []

    def add(check: str, message: str, rows: pd.Index, column: str | None = None) -> None:
        problems.extend(
            Problem(check, message, file=str(path), row=int(i) + 2, column=column, fix=_FIX)
            for i in rows[:20]
        )

    dup = frame.duplicated(["region", "comparison_group", "year"], keep=False)
    add("unique", "duplicate (region, comparison_group, year)", frame.index[dup])
    bad_period = ~frame["period"].isin(["pre", "post"])
    add("period", "period must be 'pre' or 'post'", frame.index[bad_period], "period")
    post = frame[frame["period"] == "post"]
    for col in _POST_REQUIRED:
        add("missing", "empty in a post-event row", post.index[post[col].isna()], col)
    order = (post["level_gap_low_pct"] <= post["level_gap_pct"]) & (
        post["level_gap_pct"] <= post["level_gap_high_pct"]
    )
    add("band", "level_gap_pct outside [level_gap_low_pct, level_gap_high_pct]", post.index[~order])
    days = post["model_day_end"] >= post["model_day_start"]
    add("days", "model_day_end before model_day_start", post.index[~days], "model_day_end")
    if problems:
        raise ValidationError(problems, str(path))


@lru_cache(maxsize=4)
def _targets(event: str) -> pd.DataFrame:
    path = _path(event, "targets")
    frame = _read(path, TARGET_COLUMNS, _TARGET_NUMERIC)
    _check_targets(frame, path)
    for col in ("region", "year", "days_in_year"):
        frame[col] = frame[col].astype("int64")
    for col in ("model_day_start", "model_day_end"):
        frame[col] = frame[col].astype("Int64")
    frame["primary"] = frame["primary"].astype(str).str.lower().isin(["true", "1"])
    return frame


def load_calibration_targets(event: str = "wenchuan-2008", *, include_pre: bool = False) -> pd.DataFrame:
    """GDP level gaps of a past disaster against its counterfactual path (method: module docstring).

    One row per treated ``region`` (adcode), ``comparison_group`` and calendar ``year``; ``primary``
    marks the main comparison group. Post-event rows (``period == "post"``) carry the targets
    ``level_gap_pct`` (negative = GDP below its counterfactual) with ``level_gap_low_pct`` /
    ``level_gap_high_pct`` (≈ 90 % band) and the model days the year covers; ``include_pre=True`` adds
    the pre-period rows (the growth used to fit the pre-period gap). Raises ``ConfigError`` for an
    unknown event, ``DataFileError``/``SchemaError``/``ValidationError`` (naming the file and the fix)
    for a missing or malformed bundled file.
    """
    frame = _targets(event)
    if not include_pre:
        frame = frame[frame["period"] == "post"]
    return frame.reset_index(drop=True).copy()


@lru_cache(maxsize=4)
def _inputs(event: str) -> pd.DataFrame:
    numeric = ("region", "year", "gdp_index_panel", "gdp_index", "gdp_growth", "gdp_yi")
    frame = _read(_path(event, "inputs"), INPUT_COLUMNS, numeric)
    frame["region"] = frame["region"].astype("int64")
    frame["year"] = frame["year"].astype("int64")
    return frame


def load_calibration_inputs(event: str = "wenchuan-2008") -> pd.DataFrame:
    """The provincial growth series behind the targets: ``region, name_en, role, year, gdp_index_panel``
    (raw compiled column), ``gdp_index`` (recovered published index), ``gdp_growth`` (fraction),
    ``gdp_yi`` (revised GDP level, 亿元)."""
    return _inputs(event).copy()


@lru_cache(maxsize=4)
def _references(event: str) -> pd.DataFrame:
    return _read(_path(event, "references"), REFERENCE_COLUMNS, ("value",))


def load_calibration_references(event: str = "wenchuan-2008") -> pd.DataFrame:
    """Published figures of the event (quarterly/half-year/annual GDP growth, monthly industry), typed in
    with their source (``source_id`` in ``sources.csv``, ``url``, ``published`` date); ``kind`` is
    ``published`` or ``implied`` (one subtraction of published numbers)."""
    return _references(event).copy()

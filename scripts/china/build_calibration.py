"""Calibration targets for the shock model's regional-disaster scenario (Wenchuan, 12 May 2008).

Writes into ``out/calibration/``:

* ``wenchuan_2008.csv`` — the targets: for Sichuan (510000), Gansu (620000) and Shaanxi (610000), each
  comparison group and calendar year 2005–2011, the actual real GDP growth, the comparison mean, the
  counterfactual growth and (from 2008) the cumulative level gap ``level_gap_pct`` with its bands and
  the model days the year covers;
* ``wenchuan_2008_inputs.csv`` — the provincial growth series the targets rest on (raw panel column
  and the recovered index), one row per province and year;
* ``wenchuan_2008_published.csv`` — published Sichuan figures for 2008/2009 (quarters, half-year,
  monthly industry, annual growth), typed in from the sources named in each row (``PUBLISHED``).

Method (difference in differences with a synthetic-comparison flavour; docs/economy.md):

* **Growth series.** ``GDP指数_上年=100`` of ``panel/nbs_province_panel_2005_2024.csv`` is, for the
  data years 2006–2014 of nearly every province, NOT the published index of the year but the mean of
  the index of that year and of the year before (the compilation merged two exports, one of them
  shifted by a year): Sichuan's 2008 entry is 111.845 ≈ (114.2 + 109.5) / 2, while the Sichuan
  bureau published 9.5 % growth for 2008. 2005 (the first year) is unaffected. The published index
  ``t`` is recovered by ``t_2005 = x_2005``, ``t_y = 2·x_y − t_(y−1)`` (``recover_index``); an error
  ``e`` in the 2005 anchor reappears with alternating sign, never growing. Checks (the build fails
  otherwise): the recovered Sichuan 2008 and 2009 indices equal the published 9.5 % and 14.5 % within
  0.1 point (``PUBLISHED_CHECKS``), every recovered index used here lies within ``ONE_DECIMAL_TOL``
  of a one-decimal number in 2006–2011 (NBS publishes provincial indices to one decimal; the raw
  means end in .x5; a few 2005 anchors carry two decimals) and every recovered growth rate lies in
  0–25 %. The recovered, not the averaged, growth enters everything below.
* **Treated**: Sichuan, Gansu, Shaanxi (91.3 %, 5.8 %, 2.9 % of the 845.1 billion yuan direct loss,
  State Council Information Office, 4 Sep 2008; the scenario file regional-disaster.yaml).
* **Comparison groups** (``GROUPS``): ``west`` (primary) = Chongqing, Guizhou, Yunnan, Guangxi,
  Qinghai, Ningxia: the western-development provinces outside the quake zone, with a similar income
  level, industry mix (energy, materials, agriculture) and the same national policies (Western
  Development, the 2008–2010 stimulus), so the common shocks of 2008–2011 (global financial crisis,
  4-trillion stimulus, the January 2008 snow storm) are differenced out. Left out of the western pool:
  Tibet (small, transfer-financed, March 2008 unrest), Inner Mongolia (coal boom, 17–19 % growth,
  no comparable trend), Xinjiang (July 2009 Ürümqi riots and the following internet cut).
  ``central`` (robustness) = Anhui, Jiangxi, Henan, Hubei, Hunan: the central provinces, far from the
  quake; Shanxi left out (coal-mine consolidation, 2009 growth 5.4 %). Caveats (docs/economy.md):
  Chongqing had minor quake damage and may gain from reconstruction orders; the January–February 2008
  snow and ice storm hit Guizhou and Hunan worst (also Guangxi, Jiangxi, Anhui, Hubei), so a lower
  comparison mean in 2008 makes Sichuan's 2008 gap look smaller; Gansu's and Shaanxi's gaps mix the
  quake with their own commodity cycles. The leave-one-out range shows each member's weight.
* **Counterfactual**: ``g_cf(y) = c(y) + gap_pre`` with ``c(y)`` the unweighted mean growth of the
  group in year ``y`` and ``gap_pre`` the mean of ``g_treated − c`` over ``PRE_YEARS`` (2005–2007;
  2006–2007 as a sensitivity: ``level_gap_pre2006_pct``). Level gap, cumulated from 2008:
  ``L_Y = Π_{y=2008..Y}(1 + g(y)) / Π_{y=2008..Y}(1 + g_cf(y)) − 1``, in % of the counterfactual GDP of
  year ``Y`` (annual GDP, so ``L_2008`` is the loss of the whole calendar year 2008, of which only the
  234 days from 12 May are after the quake).
* **Bands**: ``level_gap_low_pct``/``high_pct`` = ``L ± t_0.95(n) · rms`` with ``rms`` the root mean
  square over the ``n`` group members of their own placebo gaps (each member treated as if hit, the
  other ``n − 1`` as its comparison, same years): an approximate 90 % range under the no-effect
  noise of the method. ``level_gap_loo_min_pct``/``max_pct``: range of ``L`` when one comparison
  member at a time is dropped.
* **Model days**: the ARIO day 1 is 12 May 2008 (day 133 of the leap year 2008), so calendar 2008 is
  model days 1–234, 2009 days 235–599, 2010 days 600–964, 2011 days 965–1329.
* **Levels**: ``gdp_actual_yi`` is the revised GDP level (5th-census revision,
  ``nbs_gdp_2006_2024_rev5ec``, 亿元, current prices); ``gdp_counterfactual_yi = gdp_actual_yi / (1 + L)``, ``gdp_gap_yi`` their
  difference (negative: output lost), i.e. the same deflator for both paths.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from china.build_panel import read_nbs_export, read_nbs_panel

OUT_DIR = "calibration"
EVENT = "wenchuan-2008"
QUAKE = date(2008, 5, 12)
PANEL_FILE = "panel/nbs_province_panel_2005_2024.csv"
GDP_FILE = "panel/nbs_province_gdp_2006_2024.utf8.csv"
INDEX_COLUMN = "GDP指数_上年=100"
SRC_INDEX = "nbs_gdp_index_panel"
SRC_GDP = "nbs_gdp_2006_2024_rev5ec"  # defined by build_panel (the bundle's `gdp` indicator)
FIRST_YEAR, LAST_YEAR = 2005, 2011
PRE_YEARS = (2005, 2006, 2007)
PRE_YEARS_ALT = (2006, 2007)
POST_YEARS = (2008, 2009, 2010, 2011)
BAND_LEVEL = 0.90
#: index points: the 2005 anchors carry two decimals (Sichuan 112.61); the raw means end in .x5
ONE_DECIMAL_TOL = 0.045
PUBLISHED_TOL = 0.1  # index points, recovered vs published annual growth

NAMES = {
    510000: "Sichuan", 620000: "Gansu", 610000: "Shaanxi",
    500000: "Chongqing", 520000: "Guizhou", 530000: "Yunnan", 450000: "Guangxi", 630000: "Qinghai",
    640000: "Ningxia", 340000: "Anhui", 360000: "Jiangxi", 410000: "Henan", 420000: "Hubei",
    430000: "Hunan",
}  # fmt: skip
#: share of the 845.1 billion yuan direct loss (SCIO, 4 Sep 2008), as in regional-disaster.yaml
TREATED: dict[int, float] = {510000: 0.913, 620000: 0.058, 610000: 0.029}
PRIMARY_GROUP = "west"
GROUPS: dict[str, tuple[int, ...]] = {
    "west": (500000, 520000, 530000, 450000, 630000, 640000),
    "central": (340000, 360000, 410000, 420000, 430000),
}

# Published figures, typed in from the pages named in PUBLISHED_SOURCES (found with the project's
# search tool in stored copies of public web pages; not in ../shared). Values as published; `kind`
# "implied" marks a number obtained by one subtraction from published ones (the row says which).
# (figure_id, area, period, indicator, value, unit, kind, source_id, note)
PUBLISHED: tuple[tuple[str, str, str, str, float, str, str, str, str], ...] = (
    ("sc_gdp_2008q1", "Sichuan", "2008Q1", "gdp_growth_yoy", 14.5, "%", "published", "pub_cnorg_jp_20090122",
     "first quarter, comparable prices; Jan-Apr called the fast-growth stage before the quake"),
    ("sc_gdp_2008q2", "Sichuan", "2008Q2", "gdp_growth_yoy", 4.6, "%", "published", "pub_cnorg_jp_20090122",
     "second quarter alone (quake on 12 May); also in pub_ap_20090115 (citing Xinhua)"),
    ("sc_gdp_2008h1", "Sichuan", "2008H1", "gdp_growth_yoy", 9.1, "%", "published", "pub_yicai_20080725",
     "H1 GDP 5388.5 亿元, growth 4.6 points below H1 2007 and 5.4 points below Q1 2008; "
     "pub_cri_20080721: 538.8 billion yuan, 4.6 points below H1 2007"),
    ("sc_gdp_2008h1_level", "Sichuan", "2008H1", "gdp_current_prices", 5388.5, "亿元", "published",
     "pub_yicai_20080725", "first half-year GDP at current prices (first release)"),
    ("sc_gdp_2008q3", "Sichuan", "2008Q3", "gdp_growth_yoy", 10.1, "%", "published", "pub_cnorg_jp_20090122",
     "third quarter alone, recovery from June"),
    ("sc_gdp_2008", "Sichuan", "2008", "gdp_growth_yoy", 9.5, "%", "published", "pub_cnorg_jp_20090122",
     "annual, first release 21 Jan 2009; GDP 12506.3 亿元; also pub_govcn_20090721 "
     "(H1 2009 13.5 %, 4 points above the whole of 2008)"),
    ("sc_gdp_2008_level", "Sichuan", "2008", "gdp_current_prices", 12506.3, "亿元", "published",
     "pub_cnorg_jp_20090122", "annual GDP, first release (before the 2nd-census revision to 12601.2)"),
    ("sc_ind_2008m05", "Sichuan", "2008-05", "industrial_va_growth_yoy", 3.6, "%", "published",
     "pub_yicai_20080725", "industry above designated size, month of the quake; 21 points below April"),
    ("sc_ind_2008m06", "Sichuan", "2008-06", "industrial_va_growth_yoy", 16.0, "%", "published",
     "pub_yicai_20080725", "industry above designated size; 8.6 points below April"),
    ("sc_ind_2008m04", "Sichuan", "2008-04", "industrial_va_growth_yoy", 24.6, "%", "implied",
     "pub_yicai_20080725", "April = May 3.6 + 21 = June 16 + 8.6 (both statements agree)"),
    ("aba_ind_2008m05", "Aba (阿坝州)", "2008-05", "industrial_output_growth_yoy", -69.4, "%", "published",
     "pub_yicai_20080725", "hardest-hit prefecture, industry in May 2008"),
    ("deyang_ind_2008m05", "Deyang (德阳市)", "2008-05", "industrial_output_growth_yoy", -57.4, "%",
     "published", "pub_yicai_20080725", "industry in May 2008"),
    ("mianyang_ind_2008m05", "Mianyang (绵阳市)", "2008-05", "industrial_output_growth_yoy", -45.7, "%",
     "published", "pub_yicai_20080725", "industry in May 2008"),
    ("guangyuan_ind_2008m05", "Guangyuan (广元市)", "2008-05", "industrial_output_growth_yoy", -36.8, "%",
     "published", "pub_yicai_20080725", "industry in May 2008"),
    ("sc_gdp_2009q1", "Sichuan", "2009Q1", "gdp_growth_yoy", 10.8, "%", "published", "pub_govcn_20090721",
     "first quarter 2009 (growth path 9.5 % in 2008, 10.8 % in Q1, 14 % in Q2 2009)"),
    ("sc_gdp_2009q2", "Sichuan", "2009Q2", "gdp_growth_yoy", 14.0, "%", "published", "pub_govcn_20090721",
     "second quarter 2009 alone"),
    ("sc_gdp_2009h1", "Sichuan", "2009H1", "gdp_growth_yoy", 13.5, "%", "published", "pub_govcn_20090721",
     "H1 2009, approved by NBS; GDP 6015 亿元"),
    ("sc_gdp_2009", "Sichuan", "2009", "gdp_growth_yoy", 14.5, "%", "published", "pub_zgjct_2010",
     "annual 2009, preliminary accounting; GDP 14151.3 亿元, 4th fastest province"),
)  # fmt: skip
#: the published annual growth rates the recovered index must reproduce (figure_id -> (adcode, year))
PUBLISHED_CHECKS = {"sc_gdp_2008": (510000, 2008), "sc_gdp_2009": (510000, 2009)}

PUBLISHED_SOURCES: dict[str, dict[str, str]] = {
    "pub_cnorg_jp_20090122": {
        "agency": "四川省统计局 Sichuan Provincial Bureau of Statistics (release of 21 Jan 2009), via China.org.cn",
        "title": "四川省、大地震でも08年の経済成長率は9.5% (チャイナネット, 2009-01-22)",
        "url": "http://lbxysyl.com/business/txt/2009-01/22/content_17170783.htm",
        "vintage": "2009-01-22",
        "notes": "stored copy under a mirror host of China.org.cn's Japanese edition (チャイナネット); quotes "
        "bureau director 郝康理: Q1 14.5 %, Q2 4.6 %, Q3 10.1 %, year 9.5 %, GDP 12506.3 亿元",
    },
    "pub_govcn_20090721": {
        "agency": "新华社 Xinhua (四川省统计局 data, approved by NBS), on www.gov.cn",
        "title": "四川上半年经济快速回升生产总值同比增长13.5% (中央政府门户网站, 2009-07-21)",
        "url": "http://big5.www.gov.cn/gate/big5/www.gov.cn//jrzg/2009-07/21/content_1370392.htm",
        "vintage": "2009-07-21",
        "notes": "growth path 9.5 % (2008) -> 10.8 % (Q1 2009) -> 14 % (Q2 2009); H1 2009 13.5 %, "
        "4 points above 2008",
    },
    "pub_yicai_20080725": {
        "agency": "四川省统计局 Sichuan Provincial Bureau of Statistics, via 第一财经日报 and 北京安邦信息",
        "title": "地震让四川上半年经济指标全线回落 (invest.com.cn, 2008-07-25)",
        "url": "https://www.invest.com.cn/news/general-news/1867.html",
        "vintage": "2008-07-25",
        "notes": "H1 2008 GDP 5388.5 亿元 +9.1 %; industry above designated size May +3.6 %, June +16 %; "
        "May industry in Aba, Deyang, Mianyang, Guangyuan",
    },
    "pub_cri_20080721": {
        "agency": "四川省统计局 (director 郝康理) and NBS, via China Radio International",
        "title": "CRI German service, 2008-07-21 (Sichuan H1 2008 economy after the Wenchuan earthquake)",
        "url": "http://german.cri.cn/221/2008/07/21/1s96968.htm",
        "vintage": "2008-07-21",
        "notes": "H1 2008 GDP 538.8 billion yuan, growth 4.6 points below H1 2007; full year expected about "
        "10 % (a forecast, not used)",
    },
    "pub_ap_20090115": {
        "agency": "Associated Press citing Xinhua, San Diego Union-Tribune",
        "title": "China's earthquake-hit area sees 9 percent growth (2009-01-15)",
        "url": "http://www.sandiegouniontribune.com/sdut-china-quake-011509-2009jan15-story.html",
        "vintage": "2009-01-15",
        "notes": "corroborates Q1 14.5 %, Q2 4.6 %, Q3 10.1 % (its 'fourth quarter 9.5 %' is the annual rate)",
    },
    "pub_zgjct_2010": {
        "agency": "四川省统计局 Sichuan Provincial Bureau of Statistics (release of 3 Feb 2010), via zgjct.com",
        "title": "2009四川GDP增速全国第四 (祖国建材通 zgjct.com, news 547058)",
        "url": "https://www.zgjct.com/news/547058.html",
        "vintage": "2010-02",
        "notes": "2009 GDP 14151.3 亿元, +14.5 %, rank 4 (25 places up on 2008)",
    },
}


def recover_index(raw: pd.DataFrame) -> pd.DataFrame:
    """Published index from the panel's two-year means: ``t_first = x_first``, ``t_y = 2 x_y − t_(y−1)``.

    ``raw``: provinces × consecutive years (the panel's ``GDP指数_上年=100``).
    """
    years = list(raw.columns)
    if years != list(range(years[0], years[0] + len(years))):
        raise SystemExit(f"{PANEL_FILE}: years {years} are not consecutive")
    out = raw.copy().astype(float)
    for prev, year in itertools.pairwise(years):
        out[year] = 2.0 * raw[year] - out[prev]
    return out


def did(
    growth: pd.DataFrame, treated: int, comparison: Sequence[int], pre: Sequence[int] = PRE_YEARS
) -> pd.DataFrame:
    """Per year: actual, comparison mean, pre-period gap, counterfactual growth, level gap (fractions)."""
    comp = growth.loc[list(comparison)].mean(axis=0)
    actual = growth.loc[treated]
    gap_pre = float((actual[list(pre)] - comp[list(pre)]).mean())
    cf = comp + gap_pre
    frame = pd.DataFrame({"actual": actual, "comparison": comp, "pre_gap": gap_pre, "cf": cf})
    post = list(POST_YEARS)
    ratio = np.cumprod(1.0 + actual[post].to_numpy()) / np.cumprod(1.0 + cf[post].to_numpy())
    frame["level_gap"] = np.nan
    frame.loc[post, "level_gap"] = ratio - 1.0
    return frame


def _model_days(year: int) -> tuple[int, int, int]:
    start = max(date(year, 1, 1), QUAKE)
    end = date(year, 12, 31)
    return (start - QUAKE).days + 1, (end - QUAKE).days + 1, (end - date(year, 1, 1)).days + 1


def growth_inputs(shared: Path) -> pd.DataFrame:
    """Long table: adcode, year, raw panel index, recovered index, growth (fraction), revised GDP 亿元."""
    panel = read_nbs_panel(shared / PANEL_FILE)
    if INDEX_COLUMN not in panel.columns:
        raise SystemExit(f"{PANEL_FILE}: column {INDEX_COLUMN!r} missing")
    wanted = sorted(NAMES)
    raw = panel.pivot(index="adcode", columns="year", values=INDEX_COLUMN).reindex(wanted)
    raw = raw.loc[:, FIRST_YEAR:LAST_YEAR]
    if raw.isna().any().any():
        raise SystemExit(
            f"{PANEL_FILE}: {INDEX_COLUMN} missing for some of {wanted}, {FIRST_YEAR}-{LAST_YEAR}"
        )
    rec = recover_index(raw)
    later = rec.loc[:, FIRST_YEAR + 1 :]  # the 2005 anchor is the raw value itself
    dist = (later * 10 - (later * 10).round()).abs() / 10
    if float(dist.max().max()) > ONE_DECIMAL_TOL:
        worst = dist.stack().idxmax()
        raise SystemExit(
            f"recovered GDP index {worst} is {float(later.loc[worst]):.3f}, not within {ONE_DECIMAL_TOL} of a "
            "one-decimal number: the two-year-mean pattern of the panel does not hold there"
        )
    growth = rec / 100.0 - 1.0
    if not ((growth > 0.0) & (growth < 0.25)).all().all():
        raise SystemExit(f"recovered growth outside 0-25 %:\n{growth.round(4).to_string()}")
    level = read_nbs_export(shared / GDP_FILE, "地区生产总值")
    level = level.set_index(["adcode", "year"])["value"].astype(float)
    rows = []
    for adcode in wanted:
        role = (
            "treated"
            if adcode in TREATED
            else next(f"comparison_{g}" for g, m in GROUPS.items() if adcode in m)
        )
        for year in range(FIRST_YEAR, LAST_YEAR + 1):
            rows.append(
                {
                    "region": adcode,
                    "name_en": NAMES[adcode],
                    "role": role,
                    "year": year,
                    "gdp_index_panel": float(raw.loc[adcode, year]),
                    "gdp_index": round(float(rec.loc[adcode, year]), 4),
                    "gdp_growth": round(float(rec.loc[adcode, year]) / 100.0 - 1.0, 6),
                    "gdp_yi": level.get((adcode, year), np.nan),
                }
            )
    return pd.DataFrame(rows)


def _check_published(inputs: pd.DataFrame) -> None:
    published = {p[0]: p[4] for p in PUBLISHED}
    idx = inputs.set_index(["region", "year"])
    for fid, (adcode, year) in PUBLISHED_CHECKS.items():
        got = float(idx.loc[(adcode, year), "gdp_index"]) - 100.0
        raw = float(idx.loc[(adcode, year), "gdp_index_panel"]) - 100.0
        if abs(got - published[fid]) > PUBLISHED_TOL:
            raise SystemExit(
                f"{NAMES[adcode]} {year}: recovered growth {got:.2f} % differs from the published "
                f"{published[fid]} % ({fid}); raw panel value {raw:.3f} %"
            )
        print(f"check {fid}: recovered {got:.2f} % vs published {published[fid]} % (raw panel {raw:.3f} %)")


def targets(inputs: pd.DataFrame) -> pd.DataFrame:
    growth = inputs.pivot(index="region", columns="year", values="gdp_growth")
    level = inputs.set_index(["region", "year"])["gdp_yi"]
    rows = []
    for group, members in GROUPS.items():
        n = len(members)
        post = list(POST_YEARS)
        placebo = np.array(
            [did(growth, j, [m for m in members if m != j])["level_gap"][post] for j in members]
        )
        rms = dict(zip(post, np.sqrt((placebo**2).mean(axis=0)), strict=True))
        t_q = float(stats.t.ppf(0.5 + BAND_LEVEL / 2, df=n))
        for adcode, share in TREATED.items():
            main = did(growth, adcode, members)
            alt = did(growth, adcode, members, PRE_YEARS_ALT)["level_gap"]
            loo = pd.DataFrame(
                [did(growth, adcode, [m for m in members if m != d])["level_gap"] for d in members]
            )
            for year in range(FIRST_YEAR, LAST_YEAR + 1):
                is_post = year in POST_YEARS
                day0, day1, ndays = _model_days(year)
                gap = float(main.loc[year, "level_gap"])
                half = t_q * rms.get(year, np.nan)
                gdp = float(level.get((adcode, year), np.nan))
                cf_gdp = gdp / (1.0 + gap) if is_post else np.nan
                rows.append(
                    {
                        "event": EVENT,
                        "region": adcode,
                        "name_en": NAMES[adcode],
                        "direct_loss_share": share,
                        "comparison_group": group,
                        "comparison_members": ";".join(str(m) for m in members),
                        "primary": group == PRIMARY_GROUP,
                        "year": year,
                        "period": "post" if is_post else "pre",
                        "model_day_start": day0 if is_post else None,
                        "model_day_end": day1 if is_post else None,
                        "days_in_year": ndays,
                        "gdp_growth_actual": float(main.loc[year, "actual"]),
                        "comparison_mean_growth": float(main.loc[year, "comparison"]),
                        "pre_gap": float(main.loc[year, "pre_gap"]),
                        "gdp_growth_counterfactual": float(main.loc[year, "cf"]),
                        "level_gap_pct": 100 * gap,
                        "level_gap_low_pct": 100 * (gap - half),
                        "level_gap_high_pct": 100 * (gap + half),
                        "placebo_rms_pct": 100 * rms.get(year, np.nan),
                        "level_gap_loo_min_pct": 100 * float(loo[year].min()),
                        "level_gap_loo_max_pct": 100 * float(loo[year].max()),
                        "level_gap_pre2006_pct": 100 * float(alt[year]),
                        "gdp_actual_yi": gdp,
                        "gdp_counterfactual_yi": cf_gdp,
                        "gdp_gap_yi": gdp - cf_gdp if is_post else np.nan,
                    }
                )
    out = pd.DataFrame(rows)
    for col in ("model_day_start", "model_day_end"):
        out[col] = out[col].astype("Int64")
    return out


def published_table() -> pd.DataFrame:
    cols = ["figure_id", "area", "period", "indicator", "value", "unit", "kind", "source_id", "note"]
    table = pd.DataFrame(list(PUBLISHED), columns=cols)
    table["url"] = table["source_id"].map(lambda s: PUBLISHED_SOURCES[s]["url"])
    table["published"] = table["source_id"].map(lambda s: PUBLISHED_SOURCES[s]["vintage"])
    return table


def build(shared: Path, out: Path) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    dest = out / OUT_DIR
    dest.mkdir(parents=True, exist_ok=True)
    inputs = growth_inputs(shared)
    _check_published(inputs)
    tgt = targets(inputs)
    if not math.isclose(float(tgt["days_in_year"][tgt["year"] == 2008].iloc[0]), 366):
        raise SystemExit("2008 must have 366 days")
    inputs.to_csv(dest / "wenchuan_2008_inputs.csv", index=False, float_format="%.6f")
    tgt.to_csv(dest / "wenchuan_2008.csv", index=False, float_format="%.6f")
    published_table().to_csv(dest / "wenchuan_2008_published.csv", index=False)
    show = tgt[tgt["period"] == "post"][
        ["name_en", "comparison_group", "year", "level_gap_pct", "level_gap_low_pct", "level_gap_high_pct",
         "level_gap_loo_min_pct", "level_gap_loo_max_pct", "level_gap_pre2006_pct"]
    ]  # fmt: skip
    print(
        "calibration targets (level gap, % of counterfactual GDP):\n" + show.round(2).to_string(index=False)
    )

    sources: list[dict[str, object]] = [
        {
            "source_id": SRC_INDEX,
            "agency": "国家统计局 National Bureau of Statistics of China (NBS)",
            "title": "分省年度数据：地区生产总值指数 (上年=100) (GDP index, previous year = 100)",
            "table": f"NBS 分省年度数据, column `{INDEX_COLUMN}` of the merged panel",
            "vintage": "NBS 分省年度数据 exports compiled by the dataset author (2005–2024); for data years "
            "2006–2014 the column holds the mean of the year's and the previous year's index",
            "unit": "previous year = 100, comparable prices",
            "dataset_author": "RenJiyi163, GitHub RenJiyi163/panel_data_analysis_for_thesis "
            "(file 分省年度数据_整合.csv)",
            "licence": "MIT (dataset compilation, LICENSES/RenJiyi163_panel_MIT.txt); numbers: NBS official "
            "statistics",
            "raw_file": PANEL_FILE,
            "notes": "the published index is recovered exactly (t_2005 = x_2005, t_y = 2 x_y - t_(y-1)); checked "
            "against the published Sichuan growth 2008 (9.5 %) and 2009 (14.5 %); used 2005-2011 only",
        }
    ]
    for sid, s in PUBLISHED_SOURCES.items():
        ids = [p[0] for p in PUBLISHED if p[7] == sid]
        sources.append(
            {
                "source_id": sid,
                "agency": s["agency"],
                "title": s["title"],
                "table": s["url"],
                "vintage": s["vintage"],
                "unit": "% (real growth, year on year) and 亿元 as given per figure",
                "dataset_author": "",
                "licence": "published statistics quoted in a public news page",
                "raw_file": "",
                "notes": f"typed in ({', '.join(ids) if ids else 'corroboration only'}); not in ../shared; "
                + s["notes"],
            }
        )
    pub_ids = ";".join(PUBLISHED_SOURCES)
    tables: list[dict[str, object]] = [
        {
            "table": "calibration_wenchuan_2008",
            "file": f"{OUT_DIR}/wenchuan_2008.csv",
            "description": "calibration targets for the regional-disaster scenario: GDP level gap of Sichuan, "
            "Gansu, Shaanxi vs a counterfactual path, 2008-2011, with bands and model-day ranges",
            "source_ids": f"{SRC_INDEX};{SRC_GDP};pub_cnorg_jp_20090122;pub_zgjct_2010",
            "derivation": "difference in differences: counterfactual growth = comparison-group mean + mean "
            "pre-period (2005-2007) gap; level gap = cumulative product ratio - 1; bands from placebo gaps "
            "of the comparison provinces (t, 90 %) and leave-one-out (scripts/china/build_calibration.py)",
        },
        {
            "table": "calibration_wenchuan_2008_inputs",
            "file": f"{OUT_DIR}/wenchuan_2008_inputs.csv",
            "description": "real GDP growth of the treated and comparison provinces 2005-2011: raw panel "
            "index, recovered published index, growth, revised GDP level",
            "source_ids": f"{SRC_INDEX};{SRC_GDP}",
            "derivation": "t_2005 = x_2005, t_y = 2 x_y - t_(y-1) (the panel's two-year means undone); growth "
            "= t/100 - 1; GDP level copied (亿元)",
        },
        {
            "table": "calibration_wenchuan_2008_published",
            "file": f"{OUT_DIR}/wenchuan_2008_published.csv",
            "description": "published Sichuan figures 2008-2009 (quarterly, half-year, monthly industry, "
            "annual growth) as reference points for the shock model",
            "source_ids": pub_ids,
            "derivation": "typed in from the named pages (PUBLISHED in scripts/china/build_calibration.py); "
            "kind 'implied' = one subtraction of published numbers",
        },
    ]
    return sources, tables

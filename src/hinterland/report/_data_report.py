"""The data overview: a summary table, consistency checks, sources and a choropleth of one indicator."""

from __future__ import annotations

import base64
import html
from pathlib import Path

import pandas as pd

from hinterland.containers import Dataset
from hinterland.datasets import check_national_totals, national_totals
from hinterland.errors import ConfigError
from hinterland.figures import choropleth, save_figure

__all__ = ["DEFAULT_INDICATOR", "summary_table", "write_data_report"]

DEFAULT_INDICATOR = "gdp_per_capita"
SUMMARY_INDICATORS = (
    "gdp",
    "gdp_per_capita",
    "population",
    "urbanization_rate",
    "va_secondary",
    "rd_expenditure",
    "rd_intensity",
    "patent_grants",
    "budget_expenditure",
    "electricity_generation",
    "raw_coal_output",
    "grain_output",
)
LANGS = ("en", "zh", "both")
_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;max-width:1100px;margin:2em auto;color:#222}
table.t{border-collapse:collapse;font-size:12px}
table.t td,table.t th{padding:3px 6px;border-bottom:1px solid #ddd;text-align:right}
h2{border-bottom:2px solid #b22;padding-bottom:4px}
"""


def _latest_common_year(ds: Dataset, indicators: tuple[str, ...]) -> int:
    return min(ds.panel.years(i)[-1] for i in indicators if i in ds.panel.indicators)


def summary_table(ds: Dataset, year: int | None = None) -> pd.DataFrame:
    """One row per region: names, macro-region, role and key indicators (each at its latest year ≤ year)."""
    reg = ds.regions.table
    out = reg[["name_zh", "name_en", "macro_region", "coastal", "land_border", "role"]].copy()
    for indicator in SUMMARY_INDICATORS:
        if indicator not in ds.panel.indicators:
            continue
        years = [y for y in ds.panel.years(indicator) if year is None or y <= year]
        if not years:
            continue
        unit = ds.panel.catalogue.at[indicator, "unit"]
        out[f"{indicator} [{unit}, {years[-1]}]"] = ds.panel.series(indicator, years[-1])
    return out


def _labels(ds: Dataset, lang: str) -> dict[int, str]:
    en, zh = ds.regions.names("en"), ds.regions.names("zh")
    if lang == "en":
        return {int(k): str(v) for k, v in en.items()}
    if lang == "zh":
        return {int(k): str(v) for k, v in zh.items()}
    return {int(k): f"{zh[k]}\n{en[k]}" for k in en.index}


def write_data_report(
    ds: Dataset,
    out: str | Path,
    indicator: str = DEFAULT_INDICATOR,
    year: int | None = None,
    lang: str = "both",
) -> dict[str, Path]:
    """Write the data overview into ``out``: tables (CSV + Excel), a choropleth PNG and an HTML page.

    Returns the written files by role.
    """
    if lang not in LANGS:
        raise ConfigError(f"unknown language {lang!r}; expected one of {', '.join(LANGS)}")
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    series = ds.panel.series(indicator, year)
    year = int(ds.panel.years(indicator)[-1] if year is None else year)
    cat = ds.panel.catalogue.loc[indicator]
    label = {"en": cat["label_en"], "zh": cat["label_zh"]}.get(lang, f"{cat['label_zh']} {cat['label_en']}")
    cited = [s for s in str(cat["source_id"]).split(";") if s in ds.sources.index]
    agencies = "; ".join(dict.fromkeys(f"{ds.sources.at[s, 'agency']}" for s in cited))
    note = f"Source: {agencies} ({cat['vintage']}); derivation: {cat['derivation']}" if cited else ""
    fig = choropleth(
        ds.geography.features,
        series,
        title=f"{label}, {year}",
        unit=str(cat["unit"]),
        labels=_labels(ds, lang),
        source_note=note,
    )
    files: dict[str, Path] = {"map": save_figure(fig, folder / f"map_{indicator}_{year}.png")}

    summary = summary_table(ds, year)
    checks = check_national_totals(ds.panel, national_totals())
    catalogue = ds.panel.catalogue.reset_index()
    files["summary_csv"] = folder / "summary.csv"
    summary.to_csv(files["summary_csv"])
    files["checks_csv"] = folder / "national_consistency.csv"
    checks.to_csv(files["checks_csv"], index=False)
    files["xlsx"] = folder / "data_overview.xlsx"
    with pd.ExcelWriter(files["xlsx"], engine="openpyxl") as writer:
        summary.to_excel(writer, sheet_name="summary")
        series.rename(f"{indicator} [{cat['unit']}]").to_frame().join(
            ds.regions.table[["name_zh", "name_en"]]
        ).to_excel(writer, sheet_name="map_values")
        checks.to_excel(writer, sheet_name="national_consistency", index=False)
        catalogue.to_excel(writer, sheet_name="indicator_catalogue", index=False)
        ds.sources.reset_index().to_excel(writer, sheet_name="sources", index=False)
    files["html"] = folder / "data_overview.html"
    files["html"].write_text(
        _html(ds, summary, checks, catalogue, files["map"], indicator, year), encoding="utf-8"
    )
    return files


def _html(
    ds: Dataset,
    summary: pd.DataFrame,
    checks: pd.DataFrame,
    catalogue: pd.DataFrame,
    map_png: Path,
    indicator: str,
    year: int,
) -> str:
    img = base64.b64encode(map_png.read_bytes()).decode()
    roles = ds.regions.table.groupby("role").size().to_dict()
    role_text = ", ".join(f"{k}: {v}" for k, v in sorted(roles.items()))
    fmt = {"float_format": lambda v: f"{v:,.2f}", "border": 0, "classes": "t"}
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<title>hinterland — China provincial data overview 数据概览</title>
<style>{_CSS}</style></head><body>
<h1>China provincial data overview 中国省级数据概览</h1>
<p>{len(ds.regions)} provincial-level regions; {len(ds.panel.indicators)} indicators; default hinterland roles
({role_text}). All numbers trace to the sources listed below.</p>
<h2>Map 地图: {html.escape(indicator)}, {year}</h2>
<img alt="map" style="width:100%" src="data:image/png;base64,{img}">
<h2>Summary 概要</h2>{summary.to_html(**fmt)}
<h2>Consistency with national totals 与全国数据一致性</h2>{checks.to_html(index=False, **fmt)}
<h2>Indicator catalogue 指标目录</h2>{catalogue.to_html(index=False, **fmt)}
<h2>Sources 数据来源</h2>{ds.sources.reset_index().to_html(index=False, **fmt)}
</body></html>"""

"""Write a network study (``hinterland.plan.run_network``): CSVs, a workbook, the summary and maps."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from hinterland.datasets import load_china
from hinterland.figures import attack_chart, choropleth, network_map, save_figure, upgrade_map
from hinterland.plan import NetworkStudy

__all__ = ["write_network"]

Progress = Callable[[str], None]
EXCEL_SHEETS = (
    "accessibility",
    "criticality_links",
    "criticality_nodes",
    "criticality_nk",
    "min_cut",
    "attack_curves",
    "upgrade_plan",
    "upgrade_scenarios",
)


def write_network(out: Path, study: NetworkStudy, *, progress: Progress | None = None) -> dict[str, Path]:
    """Write the study's tables (CSV; the travel-time matrix with its node index), an Excel workbook,
    ``summary.json``, the criticality and accessibility maps, the upgrade map (when there is a plan)
    and the attack curves into ``out``; returns the files by role."""
    say = progress or (lambda _msg: None)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    for key, df in study.tables.items():
        path = out / f"{key}.csv"
        df.to_csv(path, index=key == "travel_times")
        files[key] = path
    say("figures")
    net, crit = study.network, study.tables["criticality_links"]
    geo = load_china().geography.features
    title_year = f", as of {net.year}" if net.year else ""
    fig = network_map(
        net.nodes,
        crit,
        geo,
        title=f"Link criticality: efficiency loss when cut{title_year}",
        unit="efficiency loss, % of intact",
        source_note="Data: Ma & Tang (2024), RailwayVIS; "
        "census 2020. Method: N-1 efficiency loss (Latora & Marchiori 2001).",
    )
    files["map_criticality"] = save_figure(fig, out / "map_criticality.png")
    acc = study.tables["accessibility"]
    popw = (
        acc.dropna(subset=["avg_time_h"])
        .groupby("region")
        .apply(
            lambda g: float(np.average(g["avg_time_h"], weights=g["pop"])) if g["pop"].sum() > 0 else np.nan,
            include_groups=False,
        )
    )
    fig = choropleth(
        geo,
        popw.astype(float),
        title=f"Accessibility: mean travel time to the population{title_year}",
        unit="hours (population-weighted)",
        cmap="YlGnBu",
        source_note="Mean over the province's cities of the population-weighted average rail time.",
    )
    files["map_accessibility"] = save_figure(fig, out / "map_accessibility.png")
    if study.upgrade_value is not None:
        col, unit = study.upgrade_value
        chosen = study.upgrade_plan
        fig = upgrade_map(
            net.nodes,
            crit,
            chosen,
            geo,
            value=col,
            title=f"Upgrade plan ({study.objective}, budget {study.budget:g} km){title_year}",
            unit=unit,
        )
        files["map_upgrades"] = save_figure(fig, out / "map_upgrades.png")
    files["attack_curves_png"] = save_figure(
        attack_chart(study.curves, title="Attack and failure curves"), out / "attack_curves.png"
    )
    with pd.ExcelWriter(out / "network_report.xlsx") as xl:
        for key in EXCEL_SHEETS:
            if key in study.tables:
                study.tables[key].to_excel(xl, sheet_name=key[:31], index=False)
    files["excel"] = out / "network_report.xlsx"
    (out / "summary.json").write_text(
        json.dumps(study.summary, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )
    files["summary"] = out / "summary.json"
    return files

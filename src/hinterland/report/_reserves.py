"""Write a reserves study (``hinterland.plan.run_reserves``): tables, summary, workbook and map."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from hinterland.datasets import load_china
from hinterland.errors import HinterlandError
from hinterland.figures import reserves_map, save_figure
from hinterland.plan import ReservesStudy

__all__ = ["write_reserves"]

UNINDEXED = {"reserves", "flows"}  # long tables written without their index


def write_reserves(out: str | Path, study: ReservesStudy, *, draw: bool = True) -> dict[str, Path]:
    """Write sites, assignments, per-scenario service statistics, reserve stock (and CFLP flows,
    stochastic scenario costs), ``summary.json``, an Excel workbook and (``draw``) the depot map into
    ``out``. Returns the files by role."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    for role, table in study.tables.items():
        path = folder / f"{role}.csv"
        table.to_csv(path, index=role not in UNINDEXED)
        files[role] = path
    (folder / "summary.json").write_text(
        json.dumps(study.summary, indent=2, ensure_ascii=False, default=float)
    )
    files["summary"] = folder / "summary.json"
    with pd.ExcelWriter(folder / "reserves.xlsx") as xl:
        for role in ("sites", "assignment", "scenario_stats"):
            study.tables[role].to_excel(xl, sheet_name=role)
        study.tables["reserves"].to_excel(xl, sheet_name="reserves", index=False)
    files["excel"] = folder / "reserves.xlsx"
    inp = study.input
    if draw and {"lon", "lat"} <= set(inp.demand.columns) and {"lon", "lat"} <= set(inp.sites.columns):
        try:
            features = load_china().geography.features
        except HinterlandError:
            features = {}
        res = study.result
        fig = reserves_map(
            study.tables["assignment"],
            study.tables["sites"],
            features,
            title=f"{res.model}: {len(res.sites)} depots ({', '.join(inp.commodities)})",
            unit=inp.instance.unit,
        )
        files["map"] = save_figure(fig, folder / "reserves_map.png")
    return files

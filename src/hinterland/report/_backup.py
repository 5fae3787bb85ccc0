"""Write a backup study (``hinterland.plan.run_backup``): tables, workbook, summary, map and Pareto chart."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from hinterland.backup import CHAIN
from hinterland.datasets import load_china
from hinterland.figures import backup_maps, pareto_chart, save_figure
from hinterland.plan import BACKUP_UNIT as UNIT
from hinterland.plan import BackupStudy

__all__ = ["write_backup"]

Progress = Callable[[str], None]


def write_backup(out: str | Path, study: BackupStudy, *, progress: Progress | None = None) -> dict[str, Path]:
    """Write a study's tables (CSV + Excel), summary (JSON), base map and Pareto chart into ``out``."""
    say = progress or (lambda _m: None)
    outdir = Path(out)
    outdir.mkdir(parents=True, exist_ok=True)
    bi, plan, tables, summary, front = study.bi, study.plan, study.tables, study.summary, study.front
    objective, budget = study.objective, study.budget
    files: dict[str, Path] = {}
    for name, df in tables.items():
        path = outdir / f"{name}.csv"
        df.to_csv(path, index=False, float_format="%.6g")
        files[name] = path
    xlsx = outdir / "backup.xlsx"
    with pd.ExcelWriter(xlsx) as xw:
        for name, df in tables.items():
            df.to_excel(xw, sheet_name=name[:31], index=False)
    files["excel"] = xlsx
    summ = outdir / "summary.json"
    summ.write_text(json.dumps(summary, indent=2, ensure_ascii=False, default=float), encoding="utf-8")
    files["summary"] = summ
    say("drawing maps")
    ds = load_china()
    wide = plan.capacity.unstack(CHAIN).reindex(columns=list(bi.chains)).fillna(0.0) if len(plan.bases) else (
        pd.DataFrame(0.0, index=[], columns=list(bi.chains)))  # fmt: skip
    titles = {c: f"{v.name_zh} {v.name_en}" for c, v in bi.chains.items()}
    fig = backup_maps(ds.geography.features, wide, titles=titles, front=set(bi.front),
                      title=f"Backup bases by chain ({objective}, budget {budget} {UNIT})")  # fmt: skip
    files["map"] = save_figure(fig, outdir / "backup_bases.png")
    if "expected_loss" in front:
        files["pareto_png"] = save_figure(pareto_chart(front, unit=UNIT), outdir / "pareto.png")
    return files

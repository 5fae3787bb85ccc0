"""Write an evaluation study (``hinterland.plan.run_evaluation``): tables, Excel, notes and figures."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from hinterland.containers import Dataset
from hinterland.errors import ConfigError
from hinterland.evaluate import Evaluation, IndicatorSystem
from hinterland.figures import (
    choropleth,
    dimension_maps,
    radar_chart,
    rank_interval_chart,
    save_figure,
    score_trends,
)
from hinterland.plan import EvaluationStudy

__all__ = ["write_evaluation"]

Progress = Callable[[str], None]
UNINDEXED = {"obstacles", "scores_by_year"}  # long tables written without their index


def write_evaluation(
    out: str | Path,
    study: EvaluationStudy,
    *,
    figures: bool = True,
    radar: Sequence[int | str] | None = None,
    progress: Progress | None = None,
) -> dict[str, Path]:
    """Write every table of ``study`` (CSV and one Excel workbook), its notes, its run record and
    (``figures``) the score map, dimension maps, radar chart of ``radar`` (default: top 5), rank
    intervals and score trends into ``out``; returns the written files by role."""
    say = progress or (lambda _msg: None)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}
    say("writing tables")
    for name, table in study.tables.items():
        path = folder / f"{name}.csv"
        table.to_csv(path, index=name not in UNINDEXED)
        files[name] = path
    files["xlsx"] = folder / "evaluation.xlsx"
    with pd.ExcelWriter(files["xlsx"], engine="openpyxl") as writer:
        for name, table in study.tables.items():
            if name == "obstacles_full":
                continue
            table.to_excel(writer, sheet_name=name[:31], index=name not in UNINDEXED)
    files["notes"] = folder / "notes.txt"
    files["notes"].write_text("\n".join(study.notes) + "\n", encoding="utf-8")
    files["run"] = folder / "run.json"
    files["run"].write_text(
        json.dumps(study.record(), ensure_ascii=False, indent=2, default=str), encoding="utf-8"
    )
    if figures:
        say("drawing figures")
        files.update(
            _figures(
                folder, study.dataset, study.evaluation, study.system, study.tables["robustness"],
                study.tables, study.names, radar, study.options.top_k,
            )
        )  # fmt: skip
    return files


def _figures(
    folder: Path,
    ds: Dataset | None,
    ev: Evaluation,
    sysobj: IndicatorSystem | None,
    robustness: pd.DataFrame,
    tables: dict[str, pd.DataFrame],
    names: dict[Any, str],
    radar: Sequence[int | str] | None,
    top_k: int,
) -> dict[str, Path]:
    files: dict[str, Path] = {}
    dims = list(ev.dimension_weights.index)
    titles = {d: d for d in dims}
    if sysobj is not None and "label_en" in sysobj.dimensions:
        titles = {
            d: f"{sysobj.dimensions.at[d, 'label_zh']} {sysobj.dimensions.at[d, 'label_en']}"
            if "label_zh" in sysobj.dimensions
            else str(sysobj.dimensions.at[d, "label_en"])
            for d in dims
        }
    label = {"topsis": "TOPSIS closeness", "vikor": "1 − VIKOR Q", "weighted-sum": "weighted sum"}[ev.method]
    if ds is not None:
        short = ds.regions.names("zh")
        fig = choropleth(
            ds.geography.features,
            ev.scores["score"],
            title=f"Strategic-hinterland capability 战略腹地能力 ({label}, {ev.scheme} weights)",
            unit=label,
            labels={int(k): str(v) for k, v in short.items()},
            cmap="YlGnBu",
            source_note="hinterland evaluate; data: bundled NBS panel and geography",
        )
        files["map"] = save_figure(fig, folder / "map_score.png")
        fig = dimension_maps(
            ds.geography.features, ev.scores[dims], titles, suptitle=f"Dimension scores ({label}) 分维度得分"
        )
        files["map_dimensions"] = save_figure(fig, folder / "map_dimensions.png")
    if radar:
        chosen = []
        for r in radar:
            key = ds.regions.resolve(r) if ds is not None else str(r)
            if key not in ev.scores.index:
                raise ConfigError(f"--radar {r!r}: not among the evaluated alternatives")
            chosen.append(key)
    else:
        chosen = list(ev.scores.sort_values("rank").index[: min(5, len(ev.scores))])
    fig = radar_chart(ev.scores.loc[chosen, dims], names, titles, title="Dimension profile 维度雷达图")
    files["radar"] = save_figure(fig, folder / "radar.png")
    rob = robustness.rename(columns=lambda c: c.replace("weights_methods_", "wm_")).rename(
        columns=lambda c: c.replace("weights_", "")
    )
    fig = rank_interval_chart(rob, names, title="Rank under random weights (90% interval) 排名区间")
    files["rank_intervals"] = save_figure(fig, folder / "rank_intervals.png")
    if "scores_by_year" in tables:
        long = tables["scores_by_year"]
        top = list(ev.scores.sort_values("rank").index[:top_k])
        files["trends"] = save_figure(
            score_trends(long, top, names, title="Score by year 历年得分"), folder / "score_trends.png"
        )
    return files

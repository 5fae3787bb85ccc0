"""Figures for the evaluation: small-multiple maps per dimension, radar chart, rank intervals, trends."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch

from hinterland.figures._fonts import use_cjk_font
from hinterland.figures._maps import MAIN_MIN_LAT, _polygon_path, albers

__all__ = ["dimension_maps", "radar_chart", "rank_interval_chart", "score_trends"]


def dimension_maps(
    features: Mapping[int, Mapping[str, Any]],
    table: pd.DataFrame,
    titles: Mapping[str, str] | None = None,
    *,
    ncols: int = 4,
    cmap: str = "YlGnBu",
    suptitle: str = "",
) -> Figure:
    """Small multiples: one province map per column of ``table`` (indexed by adcode), shared 0–1 scale."""
    use_cjk_font()
    cols = list(table.columns)
    nrows = int(np.ceil(len(cols) / ncols))
    fig = Figure(figsize=(3.2 * ncols, 2.8 * nrows + 0.6), dpi=150)
    paths = {int(k): _polygon_path(f["geometry"]) for k, f in features.items()}
    colormap = colormaps[cmap]
    norm = Normalize(0.0, 1.0)
    x0, y0 = albers(np.array([73.0, 135.5]), np.array([MAIN_MIN_LAT, 53.8]))
    for k, col in enumerate(cols):
        ax = fig.add_subplot(nrows, ncols, k + 1)
        vals = table[col]
        for key, path in paths.items():
            v = vals.get(key, np.nan)
            face = colormap(norm(v)) if np.isfinite(v) else "#d9d9d9"
            ax.add_patch(PathPatch(path, facecolor=face, edgecolor="white", linewidth=0.3))
        ax.set_xlim(float(x0[0]) - 100, float(x0[1]) + 100)
        ax.set_ylim(float(y0.min()) - 50, float(y0.max()) + 50)
        ax.set_aspect("equal")
        ax.axis("off")
        ax.set_title((titles or {}).get(col, col), fontsize=8)
    cax = fig.add_axes((0.3, 0.03, 0.4, 0.015))
    from matplotlib.cm import ScalarMappable

    fig.colorbar(ScalarMappable(norm=norm, cmap=colormap), cax=cax, orientation="horizontal").set_label(
        "dimension score (0–1)", fontsize=7
    )
    if suptitle:
        fig.suptitle(suptitle, fontsize=11)
    return fig


def radar_chart(
    table: pd.DataFrame,
    labels: Mapping[Any, str] | None = None,
    axis_titles: Mapping[str, str] | None = None,
    title: str = "",
) -> Figure:
    """Radar chart: one polygon per row of ``table`` (alternatives × dimensions, values in 0–1)."""
    use_cjk_font()
    cols = list(table.columns)
    angles = np.linspace(0, 2 * np.pi, len(cols), endpoint=False)
    fig = Figure(figsize=(7, 7), dpi=150)
    ax = fig.add_subplot(projection="polar")
    for idx, row in table.iterrows():
        vals = row.to_numpy(dtype=float)
        ax.plot(
            np.r_[angles, angles[0]],
            np.r_[vals, vals[0]],
            linewidth=1.4,
            label=(labels or {}).get(idx, str(idx)),
        )
        ax.fill(np.r_[angles, angles[0]], np.r_[vals, vals[0]], alpha=0.08)
    ax.set_xticks(angles)
    ax.set_xticklabels([(axis_titles or {}).get(c, c) for c in cols], fontsize=8)
    ax.set_ylim(0, 1)
    ax.legend(loc="upper right", bbox_to_anchor=(1.3, 1.1), fontsize=8)
    if title:
        ax.set_title(title, fontsize=11, pad=20)
    return fig


def rank_interval_chart(
    robustness: pd.DataFrame,
    labels: Mapping[Any, str] | None = None,
    lo: str = "rank_p05",
    hi: str = "rank_p95",
    title: str = "",
) -> Figure:
    """Rank intervals (``lo``–``hi``) with the median and base rank, best at the top."""
    use_cjk_font()
    t = robustness.sort_values(["median_rank", "base_rank"])
    n = len(t)
    fig = Figure(figsize=(7, max(3.0, 0.24 * n + 1)), dpi=150)
    ax = fig.add_subplot()
    ypos = np.arange(n)[::-1]
    ax.hlines(
        ypos, t[lo], t[hi], color="#4c72b0", linewidth=3, alpha=0.6, label=f"{lo[-2:]}–{hi[-2:]}% interval"
    )
    ax.plot(t["median_rank"], ypos, "o", color="#1f3b73", markersize=4, label="median rank")
    ax.plot(t["base_rank"], ypos, "|", color="#c44e52", markersize=10, label="base rank")
    ax.set_yticks(ypos)
    ax.set_yticklabels([(labels or {}).get(i, str(i)) for i in t.index], fontsize=7)
    ax.set_xlabel("rank (1 = best)")
    ax.set_xlim(0.5, n + 0.5)
    ax.invert_xaxis()
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize=7, loc="upper left")
    if title:
        ax.set_title(title, fontsize=10)
    return fig


def score_trends(
    long: pd.DataFrame, highlight: Sequence[Any], labels: Mapping[Any, str] | None = None, title: str = ""
) -> Figure:
    """Score by year (columns ``region, year, score``): all regions grey, ``highlight`` in colour."""
    use_cjk_font()
    fig = Figure(figsize=(8, 5), dpi=150)
    ax = fig.add_subplot()
    for region, g in long.groupby("region"):
        g = g.sort_values("year")
        if region in highlight:
            ax.plot(
                g["year"],
                g["score"],
                marker="o",
                markersize=3,
                linewidth=1.6,
                label=(labels or {}).get(region, str(region)),
            )
        else:
            ax.plot(g["year"], g["score"], color="#bbbbbb", linewidth=0.7)
    ax.set_xlabel("year")
    ax.set_ylabel("score (pooled normalisation)")
    ax.legend(fontsize=7, ncol=2)
    ax.grid(alpha=0.3)
    if title:
        ax.set_title(title, fontsize=10)
    return fig

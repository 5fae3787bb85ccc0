"""Backup-base figures: small-multiple maps of backup capacity by chain and the budget–loss front."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch

from hinterland.figures._fonts import use_cjk_font
from hinterland.figures._maps import MAIN_MIN_LAT, _polygon_path, albers

__all__ = ["backup_maps", "pareto_chart"]


def backup_maps(
    features: Mapping[int, Mapping[str, Any]],
    capacity: pd.DataFrame,
    *,
    titles: Mapping[str, str] | None = None,
    front: set[int] | None = None,
    unit: str = "1e8 CNY/yr",
    title: str = "",
    ncols: int = 3,
) -> Figure:
    """One small map per chain (columns of ``capacity``: region × chain backup capacity).

    Provinces with a base are shaded by capacity (per-chain colour scale); front provinces are hatched
    grey; provinces without a base are light grey. Albers projection, mainland extent (no inset).
    """
    use_cjk_font()
    chains = list(capacity.columns)
    n = max(len(chains), 1)
    nrows = int(np.ceil(n / ncols))
    fig = Figure(figsize=(4.2 * ncols, 3.6 * nrows + 0.6), dpi=100)
    paths = {int(k): _polygon_path(f["geometry"]) for k, f in features.items()}
    west = float(albers(np.array([73.0]), np.array([40.0]))[0][0])
    east = float(albers(np.array([135.5]), np.array([48.0]))[0][0])
    bottom = float(albers(np.array([110.0]), np.array([MAIN_MIN_LAT]))[1][0])
    top = float(albers(np.array([105.0]), np.array([54.5]))[1][0])
    cmap = colormaps["YlGnBu"]
    for i, c in enumerate(chains):
        ax = fig.add_subplot(nrows, ncols, i + 1)
        vals = capacity[c]
        vals = vals[vals > 0]
        norm = Normalize(0.0, float(vals.max()) if len(vals) else 1.0)
        for key, path in paths.items():
            face: Any
            hatch: str | None
            if key in vals.index:
                face, hatch = cmap(0.25 + 0.75 * norm(float(vals[key]))), None
            elif front and key in front:
                face, hatch = "#e6e6e6", "////"
            else:
                face, hatch = "#f4f4f4", None
            ax.add_patch(PathPatch(path, facecolor=face, edgecolor="#888888", lw=0.3, hatch=hatch))
        for key, v in vals.items():
            if key in features:
                from shapely.geometry import shape

                pt = shape(features[key]["geometry"]).representative_point()
                px, py = albers(np.array([pt.x]), np.array([pt.y]))
                ax.annotate(f"{v:,.0f}", (float(px[0]), float(py[0])), ha="center", va="center", fontsize=6)
        ax.set_xlim(west - 100, east + 100)
        ax.set_ylim(bottom - 50, top)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        total = float(vals.sum())
        label = (titles or {}).get(c, c)
        ax.set_title(f"{label}\n{len(vals)} base(s), {total:,.0f} {unit}", fontsize=8)
    if title:
        fig.suptitle(title, fontsize=11)
    fig.text(0.01, 0.005, "hatched: front provinces (not candidates); numbers: backup capacity", fontsize=7)
    return fig


def pareto_chart(front: pd.DataFrame, *, unit: str = "1e8 CNY", title: str = "") -> Figure:
    """Expected loss and CVaR of the optimal plan against the budget (``front``: budget,
    expected_loss, cvar)."""
    use_cjk_font()
    fig = Figure(figsize=(6.5, 4.2), dpi=130)
    ax = fig.add_subplot(1, 1, 1)
    ax.plot(front["budget"], front["expected_loss"], "o-", label="expected loss")
    if "cvar" in front:
        ax.plot(front["budget"], front["cvar"], "s--", label="CVaR")
    ax.set_xlabel(f"budget ({unit})")
    ax.set_ylabel(f"unmet essential demand, weighted ({unit}/yr)")
    ax.grid(alpha=0.3)
    ax.legend()
    ax.set_title(title or "Budget vs loss (Pareto front)")
    return fig

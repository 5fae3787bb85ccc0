"""Map of reserve depots: demand points coloured by service time, depots as stars, province outlines."""

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
from hinterland.figures._maps import _polygon_path, albers

__all__ = ["reserves_map"]


def reserves_map(
    assignment: pd.DataFrame,
    sites: pd.DataFrame,
    features: Mapping[int, Mapping[str, Any]],
    *,
    title: str = "",
    unit: str = "h",
    figsize: tuple[float, float] = (10.0, 8.0),
) -> Figure:
    """Demand points (``assignment``: ``lon, lat, time, site``) and open depots (``sites``: ``lon, lat``).

    Each point is joined to its depot by a thin line and coloured by its travel time; unreachable
    points are drawn as grey crosses. Albers projection as in :func:`~hinterland.figures.choropleth`.
    """
    use_cjk_font()
    fig = Figure(figsize=figsize, dpi=150)
    ax = fig.add_axes((0.02, 0.05, 0.84, 0.88))
    for feat in features.values():
        ax.add_patch(
            PathPatch(_polygon_path(feat["geometry"]), facecolor="#f2f2f2", edgecolor="#999999", lw=0.4)
        )
    x, y = albers(assignment["lon"].to_numpy(float), assignment["lat"].to_numpy(float))
    t = assignment["time"].to_numpy(float)
    ok = np.isfinite(t)
    sx, sy = albers(sites["lon"].to_numpy(float), sites["lat"].to_numpy(float))
    pos = {s: k for k, s in enumerate(sites.index)}
    for k in np.flatnonzero(ok):
        j = pos.get(assignment["site"].iloc[k])
        if j is not None:
            ax.plot([x[k], sx[j]], [y[k], sy[j]], color="#8888aa", lw=0.3, alpha=0.5, zorder=1)
    norm = Normalize(0.0, float(np.nanmax(t[ok])) if ok.any() else 1.0)
    cmap = colormaps["viridis_r"]
    sc = ax.scatter(x[ok], y[ok], c=t[ok], cmap=cmap, norm=norm, s=6, zorder=2)
    if (~ok).any():
        ax.scatter(x[~ok], y[~ok], marker="x", color="grey", s=10, zorder=2, label="unreachable")
    ax.scatter(sx, sy, marker="*", s=90, color="#d62728", edgecolor="black", lw=0.4, zorder=3, label="depot")
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    if len(x):
        ax.set_xlim(float(np.min(x)) - 200, float(np.max(x)) + 200)
        ax.set_ylim(float(np.min(y)) - 200, float(np.max(y)) + 200)
    ax.legend(loc="lower left", fontsize=7, frameon=False)
    cax = fig.add_axes((0.88, 0.25, 0.02, 0.5))
    fig.colorbar(sc, cax=cax).set_label(f"travel time to depot [{unit}]", fontsize=8)
    if title:
        fig.suptitle(title, fontsize=12, y=0.97)
    return fig

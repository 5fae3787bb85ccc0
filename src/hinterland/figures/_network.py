"""Network figures: links coloured by criticality over province shapes, and attack curves."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.cm import ScalarMappable
from matplotlib.collections import LineCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch

from hinterland.figures._fonts import use_cjk_font
from hinterland.figures._maps import MAIN_MIN_LAT, _polygon_path, albers

__all__ = ["attack_chart", "network_map", "upgrade_map"]


def network_map(
    nodes: pd.DataFrame,
    links: pd.DataFrame,
    features: Mapping[int, Mapping[str, Any]] | None = None,
    *,
    value: str = "eff_loss_pct",
    title: str = "",
    unit: str = "",
    top_labels: int = 10,
    cmap: str = "inferno_r",
    source_note: str = "",
) -> Figure:
    """Links (``u``, ``v``, ``value``) drawn between node points (``lon``, ``lat``, ``name``) in the
    Albers projection over grey province ``features``; thicker and darker = larger ``value``. The
    ``top_labels`` links with the largest value are labelled by their end names."""
    use_cjk_font()
    fig = Figure(figsize=(10.0, 8.0), dpi=150)
    ax = fig.add_axes((0.02, 0.06, 0.84, 0.86))
    for feat in (features or {}).values():
        ax.add_patch(
            PathPatch(_polygon_path(feat["geometry"]), facecolor="#f2f2f2", edgecolor="#bbbbbb", lw=0.5)
        )
    x, y = albers(nodes["lon"].to_numpy(float), nodes["lat"].to_numpy(float))
    px = pd.Series(x, index=nodes.index)
    py = pd.Series(y, index=nodes.index)
    vals = links[value].to_numpy(float)
    order = np.argsort(vals)
    lk = links.iloc[order]
    vals = vals[order]
    segs = [((px[u], py[u]), (px[v], py[v])) for u, v in zip(lk["u"], lk["v"], strict=True)]
    finite = vals[np.isfinite(vals)]
    norm = Normalize(float(finite.min()) if len(finite) else 0.0, float(finite.max()) if len(finite) else 1.0)
    cm = colormaps[cmap]
    widths = 0.4 + 3.0 * norm(vals)
    ax.add_collection(LineCollection(segs, colors=cm(norm(vals)), linewidths=widths, zorder=2))
    ax.scatter(x, y, s=4, color="#333333", zorder=3)
    for row in lk.tail(top_labels).itertuples():
        mx = (px[row.u] + px[row.v]) / 2
        my = (py[row.u] + py[row.v]) / 2
        name_u = nodes.at[row.u, "name"] if "name" in nodes.columns else row.u
        name_v = nodes.at[row.v, "name"] if "name" in nodes.columns else row.v
        ax.annotate(f"{name_u}–{name_v}", (mx, my), fontsize=6, color="#0b3d91", zorder=4)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.autoscale_view()
    bottom = albers(np.array([110.0]), np.array([MAIN_MIN_LAT]))[1][0]
    ax.set_ylim(float(bottom) - 50, ax.get_ylim()[1])
    cax = fig.add_axes((0.88, 0.25, 0.02, 0.5))
    fig.colorbar(ScalarMappable(norm=norm, cmap=cm), cax=cax).set_label(unit, fontsize=8)
    if title:
        fig.suptitle(title, fontsize=12, y=0.97)
    if source_note:
        fig.text(0.02, 0.02, source_note, fontsize=6, color="#555555")
    return fig


def attack_chart(curves: Mapping[str, pd.DataFrame], *, title: str = "") -> Figure:
    """Giant-component share and relative efficiency against the fraction of nodes removed, one line
    per strategy (random with its 5-95 % band)."""
    fig = Figure(figsize=(10.0, 4.2), dpi=150)
    axes = fig.subplots(1, 2)
    for name, c in curves.items():
        for ax, col, lo, hi in (
            (axes[0], "giant", "giant_p05", "giant_p95"),
            (axes[1], "efficiency_rel", "eff_p05", "eff_p95"),
        ):
            ax.plot(c["fraction"], c[col], label=name)
            if lo in c.columns:
                ax.fill_between(c["fraction"], c[lo], c[hi], alpha=0.2)
    axes[0].set_ylabel("giant-component share")
    axes[1].set_ylabel("efficiency / intact efficiency")
    for ax in axes:
        ax.set_xlabel("fraction of nodes removed")
        ax.set_ylim(0, 1.02)
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8)
    if title:
        fig.suptitle(title)
    return fig


def upgrade_map(
    nodes: pd.DataFrame,
    links: pd.DataFrame,
    chosen: pd.DataFrame,
    features: Mapping[int, Mapping[str, Any]] | None = None,
    *,
    value: str = "cost",
    title: str = "",
    unit: str = "",
    cmap: str = "viridis",
    source_note: str = "",
) -> Figure:
    """The network (``links``: ``u``, ``v``) in thin grey and the ``chosen`` upgrades (``u``, ``v``,
    ``value``) drawn thick and coloured, each labelled by its end names, over the province shapes."""
    use_cjk_font()
    fig = Figure(figsize=(10.0, 8.0), dpi=150)
    ax = fig.add_axes((0.02, 0.06, 0.84, 0.86))
    for feat in (features or {}).values():
        ax.add_patch(
            PathPatch(_polygon_path(feat["geometry"]), facecolor="#f2f2f2", edgecolor="#bbbbbb", lw=0.5)
        )
    x, y = albers(nodes["lon"].to_numpy(float), nodes["lat"].to_numpy(float))
    px = pd.Series(x, index=nodes.index)
    py = pd.Series(y, index=nodes.index)
    base = [((px[u], py[u]), (px[v], py[v])) for u, v in zip(links["u"], links["v"], strict=True)]
    ax.add_collection(LineCollection(base, colors="#9a9a9a", linewidths=0.5, zorder=2))
    ax.scatter(x, y, s=3, color="#555555", zorder=3)
    vals = chosen[value].to_numpy(float) if len(chosen) else np.zeros(0)
    norm = Normalize(float(vals.min()) if len(vals) else 0.0, float(vals.max()) if len(vals) else 1.0)
    cm = colormaps[cmap]
    segs = [((px[u], py[u]), (px[v], py[v])) for u, v in zip(chosen["u"], chosen["v"], strict=True)]
    ax.add_collection(LineCollection(segs, colors=cm(norm(vals)), linewidths=3.0, zorder=4))
    for row in chosen.itertuples():
        name_u = nodes.at[row.u, "name"] if "name" in nodes.columns else row.u
        name_v = nodes.at[row.v, "name"] if "name" in nodes.columns else row.v
        ax.annotate(
            f"{name_u}–{name_v}",
            ((px[row.u] + px[row.v]) / 2, (py[row.u] + py[row.v]) / 2),
            fontsize=6,
            color="#0b3d91",
            zorder=5,
        )
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    ax.autoscale_view()
    bottom = albers(np.array([110.0]), np.array([MAIN_MIN_LAT]))[1][0]
    ax.set_ylim(float(bottom) - 50, ax.get_ylim()[1])
    cax = fig.add_axes((0.88, 0.25, 0.02, 0.5))
    fig.colorbar(ScalarMappable(norm=norm, cmap=cm), cax=cax).set_label(unit, fontsize=8)
    ax.set_title(f"{len(chosen)} upgrades chosen (thick); network in grey", fontsize=9)
    if title:
        fig.suptitle(title, fontsize=12, y=0.97)
    if source_note:
        fig.text(0.02, 0.02, source_note, fontsize=6, color="#555555")
    return fig

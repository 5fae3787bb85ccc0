"""Shock figures: recovery curves (daily output loss by role, with the 5-95 % band over draws)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from hinterland.figures._fonts import use_cjk_font

__all__ = ["recovery_chart"]

_COLOURS = {"total": "#333333", "front": "#d7301f", "core": "#7a0177", "hinterland": "#2c7fb8"}


def recovery_chart(
    daily: pd.DataFrame, *, title: str = "", unit: str = "% of baseline daily output"
) -> Figure:
    """Daily output loss (``output_loss_pct``) against ``day`` for each ``group`` of ``daily`` (long:
    ``draw``, ``day``, ``group``); draw 0 is the central line, draws ≥ 1 give a 5-95 % band."""
    use_cjk_font()
    fig = Figure(figsize=(10.0, 4.5), dpi=150)
    ax = fig.add_subplot(1, 1, 1)
    for g, sub in daily.groupby("group", sort=False):
        colour = _COLOURS.get(str(g))
        wide = sub.pivot_table(index="day", columns="draw", values="output_loss_pct", aggfunc="sum")
        ax.plot(wide.index, wide[0], label=str(g), color=colour, lw=1.6 if g == "total" else 1.2)
        if wide.shape[1] > 1:
            draws = wide.drop(columns=0).to_numpy()
            ax.fill_between(
                wide.index, np.quantile(draws, 0.05, axis=1), np.quantile(draws, 0.95, axis=1),
                color=colour, alpha=0.18, lw=0,
            )  # fmt: skip
    ax.axhline(0, color="#999999", lw=0.6)
    ax.set_xlabel("day")
    ax.set_ylabel(f"output loss, {unit}")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title)
    return fig

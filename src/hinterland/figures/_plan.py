"""Charts of the integrated plan: loss curves with and without the plan, ensemble loss distribution."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from hinterland.figures._fonts import use_cjk_font

__all__ = ["ensemble_chart", "plan_curves_chart"]

_BASE = "#a4161a"
_PLAN = "#1d6fa5"


def plan_curves_chart(curves: Mapping[str, pd.DataFrame], *, title: str = "") -> Figure:
    """One panel per scenario: daily output loss (% of baseline daily output) without the plan
    (``pct_baseline``) and with it (``pct_plan``) against ``day`` (the index)."""
    use_cjk_font()
    n = max(1, len(curves))
    cols = min(3, n)
    rows = int(np.ceil(n / cols))
    fig = Figure(figsize=(4.2 * cols, 3.0 * rows + 0.6), dpi=150)
    for k, (name, df) in enumerate(curves.items()):
        ax = fig.add_subplot(rows, cols, k + 1)
        ax.plot(df.index, df["pct_baseline"], color=_BASE, lw=1.4, label="baseline 基线")
        ax.plot(df.index, df["pct_plan"], color=_PLAN, lw=1.4, ls="--", label="with plan 实施规划")
        ax.fill_between(
            df.index, df["pct_plan"], df["pct_baseline"], where=df["pct_baseline"] >= df["pct_plan"],
            color=_PLAN, alpha=0.15, lw=0,
        )  # fmt: skip
        ax.set_title(name, fontsize=9)
        ax.set_xlabel("day 天", fontsize=8)
        ax.set_ylabel("output loss 产出损失, %", fontsize=8)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
        if k == 0:
            ax.legend(fontsize=7)
    if title:
        fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    return fig


def ensemble_chart(draws: pd.DataFrame, *, unit: str = "1e8 CNY", title: str = "") -> Figure:
    """Left: loss of each random shock draw without (x) and with (y) the plan, on the diagonal when the
    plan changes nothing. Right: distribution of the saving per draw. ``draws`` has columns
    ``loss_baseline`` and ``loss_plan`` (one row per draw)."""
    use_cjk_font()
    fig = Figure(figsize=(10.0, 4.2), dpi=150)
    ax = fig.add_subplot(1, 2, 1)
    b = draws["loss_baseline"].to_numpy(dtype=float)
    p = draws["loss_plan"].to_numpy(dtype=float)
    ax.scatter(b, p, s=14, color=_PLAN, alpha=0.8)
    hi = float(max(b.max(initial=0.0), p.max(initial=0.0))) * 1.05 or 1.0
    ax.plot([0, hi], [0, hi], color="#888888", lw=0.8, ls=":")
    ax.set_xlim(0, hi)
    ax.set_ylim(0, hi)
    ax.set_xlabel(f"loss without plan 无规划损失, {unit}", fontsize=8)
    ax.set_ylabel(f"loss with plan 实施规划损失, {unit}", fontsize=8)
    ax.grid(alpha=0.3)
    ax2 = fig.add_subplot(1, 2, 2)
    saved = np.where(b > 0, 100 * (b - p) / np.where(b > 0, b, 1.0), 0.0)
    ax2.hist(saved, bins=min(20, max(5, len(saved) // 3)), color=_PLAN, alpha=0.8)
    ax2.axvline(float(np.mean(saved)) if len(saved) else 0.0, color=_BASE, lw=1.2, label="mean 均值")
    ax2.set_xlabel("loss avoided by the plan 规划减少的损失, %", fontsize=8)
    ax2.set_ylabel("draws 情景数", fontsize=8)
    ax2.legend(fontsize=7)
    ax2.grid(alpha=0.3)
    if title:
        fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    return fig

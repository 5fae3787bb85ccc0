"""Charts of the plan assessment: loss curves with bands, avoided loss per scenario, levers' payback."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from hinterland.figures._fonts import use_cjk_font

__all__ = ["avoided_loss_chart", "lever_payback_chart", "plan_curves_chart"]

_BASE = "#a4161a"
_ARMS = {"proposed": "#1d6fa5", "recommended": "#2a9d8f"}
_LABEL = {
    "baseline": "baseline 基线",
    "proposed": "proposed plan 拟议规划",
    "recommended": "recommended 推荐组合",
}


def plan_curves_chart(
    curves: Mapping[str, pd.DataFrame], *, unit: str = "1e8 CNY/day", title: str = ""
) -> Figure:
    """One panel per scenario: daily value added lost of every arm on the central draw (lines) and the
    5–95 % band over the draws (shaded). ``curves[label]`` has columns (arm, stat) with stat
    ``central``, ``p05``, ``p95`` and the day as index (:meth:`AssessmentStudy.curves`)."""
    use_cjk_font()
    n = max(1, len(curves))
    cols = min(3, n)
    rows = int(np.ceil(n / cols))
    fig = Figure(figsize=(4.4 * cols, 3.1 * rows + 0.6), dpi=150)
    for k, (name, df) in enumerate(curves.items()):
        ax = fig.add_subplot(rows, cols, k + 1)
        for arm in df.columns.get_level_values("arm").unique():
            color = _BASE if arm == "baseline" else _ARMS.get(str(arm), "#555555")
            ls = "-" if arm == "baseline" else "--"
            ax.fill_between(df.index, df[(arm, "p05")], df[(arm, "p95")], color=color, alpha=0.12, lw=0)
            ax.plot(
                df.index,
                df[(arm, "central")],
                color=color,
                lw=1.3,
                ls=ls,
                label=_LABEL.get(str(arm), str(arm)),
            )
        ax.set_title(name, fontsize=9)
        ax.set_xlabel("day 天", fontsize=8)
        ax.set_ylabel(f"value added lost 增加值损失, {unit}", fontsize=7)
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
        if k == 0:
            ax.legend(fontsize=6.5)
    if title:
        fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    return fig


def avoided_loss_chart(draws: pd.DataFrame, *, unit: str = "1e8 CNY", title: str = "") -> Figure:
    """Avoided loss of each draw (dots) per scenario and arm, with the median (bar) and the 5–95 % range
    (whisker); left of zero the plan raises the loss. ``draws`` has columns scenario, arm, avoided."""
    use_cjk_font()
    scen = list(dict.fromkeys(draws["scenario"]))
    arms = list(dict.fromkeys(draws["arm"]))
    fig = Figure(figsize=(8.5, 0.42 * len(scen) * max(1, len(arms)) + 1.2), dpi=150)
    ax = fig.add_subplot(1, 1, 1)
    y = 0.0
    ticks, labels = [], []
    for s in scen:
        for a in arms:
            v = draws[(draws["scenario"] == s) & (draws["arm"] == a)]["avoided"].to_numpy(dtype=float)
            if not len(v):
                continue
            color = _ARMS.get(str(a), "#555555")
            jitter = np.linspace(-0.18, 0.18, len(v)) if len(v) > 1 else np.zeros(1)
            ax.scatter(v, y + jitter, s=9, color=color, alpha=0.7)
            lo, med, hi = np.quantile(v, [0.05, 0.5, 0.95])
            ax.plot([lo, hi], [y, y], color=color, lw=1.2)
            ax.plot([med, med], [y - 0.3, y + 0.3], color="#222222", lw=1.6)
            ticks.append(y)
            labels.append(f"{s} · {_LABEL.get(str(a), a)}")
            y += 1.0
        y += 0.4
    ax.axvline(0.0, color=_BASE, lw=0.9, ls=":")
    ax.set_yticks(ticks, labels, fontsize=7)
    ax.invert_yaxis()
    ax.set_xscale(
        "symlog", linthresh=max(1.0, float(np.quantile(np.abs(draws["avoided"]), 0.2)) if len(draws) else 1.0)
    )
    ax.set_xlabel(f"value-added loss avoided by the plan 规划避免的增加值损失, {unit} (symlog)", fontsize=8)
    ax.grid(alpha=0.3, axis="x")
    if title:
        ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig


def lever_payback_chart(levers: pd.DataFrame, *, unit: str = "1e8 CNY/yr", title: str = "") -> Figure:
    """Expected annual benefit against annual cost of every candidate lever (bars); a lever pays where
    its benefit bar exceeds its cost bar. ``levers`` has columns name, expected_annual_benefit,
    annual_cost, pays."""
    use_cjk_font()
    df = levers.sort_values("annual_cost")
    fig = Figure(figsize=(8.5, 0.42 * len(df) + 1.4), dpi=150)
    ax = fig.add_subplot(1, 1, 1)
    y = np.arange(len(df))
    ax.barh(y + 0.2, df["annual_cost"], height=0.38, color="#999999", label="annual cost 年化成本")
    ben = df["expected_annual_benefit"].clip(lower=0)
    colors = ["#2a9d8f" if p else _BASE for p in df["pays"]]
    ax.barh(y - 0.2, ben, height=0.38, color=colors, label="expected annual benefit 年期望收益")
    ax.set_yticks(y, [str(n) for n in df["name"]], fontsize=7)
    ax.set_xscale("symlog", linthresh=1.0)
    ax.set_xlabel(f"{unit} (symlog)", fontsize=8)
    ax.legend(fontsize=7, loc="lower right")
    ax.grid(alpha=0.3, axis="x")
    if title:
        ax.set_title(title, fontsize=10)
    fig.tight_layout()
    return fig

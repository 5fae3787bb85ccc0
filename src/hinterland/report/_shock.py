"""``hinterland shock``: run a scenario on the bundled (or a user) MRIO and write tables and figures."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd

from hinterland.containers import MRIO
from hinterland.datasets import china_sector_names, load_china, load_china_mrio
from hinterland.economy import (
    ShockResult,
    ShockScenario,
    list_scenarios,
    load_scenario,
    read_mrio,
    run_shock,
)
from hinterland.errors import ConfigError
from hinterland.figures import choropleth, recovery_chart, save_figure
from hinterland.plan import transport_levers

__all__ = ["load_shock_mrio", "scenario_table", "write_shock_report"]

Progress = Callable[[str], None]


def scenario_table() -> pd.DataFrame:
    """The shipped scenario library: name, title, horizon, annual probability, Monte Carlo ranges."""
    rows = []
    for name in list_scenarios():
        s = load_scenario(name)
        rows.append(
            {
                "name": name,
                "title": s.title,
                "horizon_days": s.horizon_days,
                "probability": s.probability,
                "uncertainty": "; ".join(
                    f"{d.parameter} {d.distribution}[{d.low:g}, {d.high:g}]" for d in s.uncertainty
                ),
            }
        )
    return pd.DataFrame(rows)


def load_shock_mrio(path: Path | None = None) -> MRIO:
    """The bundled 2017 China MRIO, or a table saved by ``write_mrio`` or pymrio, or an ``.xlsx``/``.csv``
    national NBS table or CEADs MRIO workbook (``--mrio``)."""
    return load_china_mrio() if path is None else read_mrio(path)


def _roles(mrio: MRIO) -> pd.Series | None:
    roles = load_china().regions.table["role"]
    known = {str(r) for r in roles.index}
    if not all(str(r) in known for r in mrio.regions):
        return None
    return pd.Series([roles[int(r)] for r in mrio.regions], index=pd.Index(list(mrio.regions), name="region"))


def _check_days(sc: ShockScenario, days: int) -> None:
    """``--days`` must cover every shock at full strength: a shorter horizon would cut it short silently."""
    ends = [(t.timing.start + t.timing.duration, t.key) for t in sc.shocks]
    ends += [(t.timing.start + t.timing.duration, t.key) for t in sc.imports]
    ends += [(w.start + w.duration - 1, w.key) for w in sc.masks]
    ends += [(w.start + w.duration - 1, w.key) for w in sc.demand]
    if not ends:
        return
    last, key = max(ends)
    if days <= last:
        raise ConfigError(
            f"--days {days} ends before the last shock day {last} of scenario {sc.name!r} ({key} lasts to "
            f"day {last}); the shock would be cut short. Fix: use --days {last + 1} or more (the scenario's "
            f"own horizon is {sc.horizon_days} days), or shorten {key} in a copy of the scenario YAML."
        )


def write_shock_report(
    out: Path,
    scenario: str | Path = "coastal-blockade",
    *,
    mrio_path: Path | None = None,
    model: str = "ario",
    draws: int = 0,
    seed: int = 0,
    days: int | None = None,
    progress: Progress | None = None,
) -> tuple[ShockResult, dict[str, Path]]:
    """Run ``scenario`` (library name or YAML file) and write into ``out``: the result tables as CSV and
    Parquet (``loss_by_day``, ``daily``, ``summary``, ``loss_by_region``, ``loss_by_sector``,
    ``shock.json``), an Excel workbook, a loss map and recovery curves (PNG)."""
    say = progress or (lambda _msg: None)
    say("loading the MRIO")
    mrio = load_shock_mrio(mrio_path)
    sc = load_scenario(scenario, mrio=mrio)
    if days is not None:
        _check_days(sc, days)
    roles = _roles(mrio)
    levers = transport_levers(sc) if sc.network and model == "ario" else None  # rail-link damage
    res = run_shock(
        mrio, sc, model=model, draws=draws, seed=seed, horizon_days=days, roles=roles, levers=levers,
        progress=say,
    )  # fmt: skip
    say("writing tables")
    out.mkdir(parents=True, exist_ok=True)
    res.to_folder(out)
    files = {
        k: out / f"{k}.csv" for k in ("summary", "loss_by_region", "loss_by_sector", "daily", "loss_by_day")
    }
    files["result"] = out / "shock.json"
    by_sector = res.loss_by_sector
    if mrio_path is None:
        by_sector = by_sector.join(china_sector_names())
    with pd.ExcelWriter(out / "shock_report.xlsx") as xl:
        res.summary.to_excel(xl, sheet_name="summary")
        res.loss_by_region.to_excel(xl, sheet_name="loss_by_region")
        by_sector.to_excel(xl, sheet_name="loss_by_sector")
        res.daily[res.daily["draw"] == 0].to_excel(xl, sheet_name="daily_central", index=False)
    files["excel"] = out / "shock_report.xlsx"
    say("figures")
    title = f"{sc.title} — {model.upper()}"
    fig = recovery_chart(res.daily, title=title)
    files["recovery_png"] = save_figure(fig, out / "recovery.png")
    if roles is not None:
        geo = load_china().geography.features
        values = res.loss_by_region["loss_pct"].astype(float)
        values.index = values.index.astype(int)
        fig = choropleth(
            geo,
            values,
            title=f"Output loss over {res.horizon_days} days: {sc.title}",
            unit="% of annual output",
            source_note=f"Model: {model}; table: {mrio.name} ({mrio.unit}); scenario file {sc.source}.",
        )
        files["map_png"] = save_figure(fig, out / "map_loss.png")
    return res, files

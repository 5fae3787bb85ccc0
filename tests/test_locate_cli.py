"""``hinterland reserves``: runs on the bundled data and on user files; mistakes give clean errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hinterland.cli import main


def run(capsys, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def _user_files(folder: Path, long: bool) -> tuple[Path, Path, Path]:
    pos = np.array([0.0, 1.0, 2.0, 3.0, 10.0])
    ids = ["a", "b", "c", "d", "e"]
    pd.DataFrame({"id": ids, "weight": [1, 1, 1, 1, 4]}).to_csv(folder / "demand.csv", index=False)
    pd.DataFrame({"id": ids, "capacity": [5] * 5, "existing": [0, 0, 0, 0, 1]}).to_csv(
        folder / "sites.csv", index=False
    )
    d = np.abs(pos[:, None] - pos[None, :])
    if long:
        rows = [(i, j, d[a, b]) for a, i in enumerate(ids) for b, j in enumerate(ids)]
        pd.DataFrame(rows, columns=["demand_id", "site_id", "cost"]).to_csv(folder / "cost.csv", index=False)
    else:
        pd.DataFrame(d, index=pd.Index(ids, name="id"), columns=ids).to_csv(folder / "cost.csv")
    return folder / "demand.csv", folder / "sites.csv", folder / "cost.csv"


def test_user_instance_long_and_wide(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    for long in (True, False):
        dem, sites, cost = _user_files(tmp_path, long)
        out = tmp_path / f"out_{long}"
        code, _text, err = run(
            capsys,
            "reserves",
            "--demand",
            str(dem),
            "--candidates",
            str(sites),
            "--cost",
            str(cost),
            "--model",
            "p-median",
            "--p",
            "2",
            "--out",
            str(out),
        )
        assert code == 0, err
        summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
        assert summary["objective"] == 4.0 and "e" in summary["sites"]  # existing depot e stays open
        assert (out / "assignment.csv").exists() and (out / "reserves.xlsx").exists()


def test_infeasible_radius_is_clean_error(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dem, sites, cost = _user_files(tmp_path, True)
    code, _, err = run(
        capsys,
        "reserves",
        "--demand",
        str(dem),
        "--candidates",
        str(sites),
        "--cost",
        str(cost),
        "--model",
        "p-median",
        "--p",
        "2",
        "--radius",
        "0.5",
        "--out",
        str(tmp_path / "o"),
    )
    assert code == 2 and "Traceback" not in err and "p ≥ 5" in err


def test_bundled_lscp_with_auto_scenarios(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, _text, err = run(
        capsys,
        "reserves",
        "--model",
        "lscp",
        "--commodity",
        "medical",
        "--scenarios",
        "auto",
        "--out",
        str(tmp_path),
    )
    assert code == 0, err
    stats = pd.read_csv(tmp_path / "scenario_stats.csv", index_col=0)
    assert {"base", "wenchuan_2008"} <= set(stats.index)
    assert stats.loc["nominal", "covered_share"] == 1.0
    assert (tmp_path / "reserves_map.png").stat().st_size > 10_000


def _far_instance(folder: Path) -> tuple[Path, Path, Path]:
    """Demand a..e on a line at km 0, 1, 2, 3, 10; candidates only A (km 0) and B (km 1)."""
    pos = np.array([0.0, 1.0, 2.0, 3.0, 10.0])
    ids = ["a", "b", "c", "d", "e"]
    pd.DataFrame({"id": ids, "weight": [1, 1, 1, 1, 4]}).to_csv(folder / "demand.csv", index=False)
    pd.DataFrame({"id": ["A", "B"]}).to_csv(folder / "sites.csv", index=False)
    d = np.abs(pos[:, None] - pos[None, :2])
    pd.DataFrame(d, index=pd.Index(ids, name="id"), columns=["A", "B"]).to_csv(folder / "cost.csv")
    return folder / "demand.csv", folder / "sites.csv", folder / "cost.csv"


def test_truly_infeasible_radius_names_points_and_radius(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dem, sites, cost = _far_instance(tmp_path)
    args = ["reserves", "--demand", str(dem), "--candidates", str(sites), "--cost", str(cost)]
    code, _, err = run(capsys, *args, "--model", "lscp", "--radius", "2.5", "--out", str(tmp_path / "o"))
    text = " ".join(err.split())
    assert code == 2 and "Traceback" not in err
    assert "1 demand point(s)" in text and "e (9.0 h)" in text and "at least 9.00 h" in text
    code, _, err = run(capsys, *args, "--model", "lscp", "--radius", "9", "--out", str(tmp_path / "o"))
    assert code == 0, err


def test_capacity_below_demand_is_clean_error(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dem, sites, cost = _user_files(tmp_path, False)
    pd.DataFrame({"id": list("abcde"), "capacity": [1] * 5}).to_csv(sites, index=False)
    code, _, err = run(
        capsys,
        "reserves",
        *("--demand", str(dem), "--candidates", str(sites), "--cost", str(cost)),
        *("--model", "cflp", "--out", str(tmp_path / "o")),
    )
    text = " ".join(err.split())
    assert code == 2 and "demand 8 exceeds the capacity 5" in text


def test_user_instance_with_scenario_file(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dem, sites, cost = _user_files(tmp_path, True)
    base = pd.read_csv(cost)
    cut = base.copy()
    cut.loc[(cut["site_id"] == "e") & (cut["demand_id"] != "e"), "cost"] = np.inf  # corridor to e cut
    scen = pd.concat([base.assign(scenario="base", prob=0.7), cut.assign(scenario="cut", prob=0.3)])
    scen.to_csv(tmp_path / "scen.csv", index=False)
    code, _text, err = run(
        capsys,
        "reserves",
        *("--demand", str(dem), "--candidates", str(sites), "--cost", str(cost)),
        *("--model", "p-median", "--p", "2", "--scenarios", str(tmp_path / "scen.csv")),
        *("--out", str(tmp_path / "o")),
    )
    assert code == 0, err
    stats = pd.read_csv(tmp_path / "o" / "scenario_stats.csv", index_col=0)
    assert list(stats.index) == ["nominal", "base", "cut"]
    assert stats.loc["cut", "prob"] == pytest.approx(0.3)
    summary = json.loads((tmp_path / "o" / "summary.json").read_text(encoding="utf-8"))
    assert {"VSS", "EVPI", "price_of_robustness_pct", "regret_max_regret"} <= set(summary["stochastic"])


def test_bad_cost_matrix_names_missing_ids(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dem, sites, cost = _user_files(tmp_path, True)
    pd.read_csv(cost).query("demand_id != 'c'").to_csv(cost, index=False)
    code, _, err = run(
        capsys,
        "reserves",
        *("--demand", str(dem), "--candidates", str(sites), "--cost", str(cost)),
        *("--model", "lscp", "--radius", "3", "--out", str(tmp_path / "o")),
    )
    assert code == 2 and "lacks demand id(s) ['c']" in " ".join(err.split())

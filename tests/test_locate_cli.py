"""``hinterland reserves``: runs on the bundled data and on user files; mistakes give clean errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

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

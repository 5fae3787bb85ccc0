"""``hinterland shock`` end to end on the bundled MRIO and on a pymrio-saved folder."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from hinterland.cli import main
from hinterland.economy import ShockResult, to_pymrio_folder


def _cli(args: list[str]) -> str:
    from typer.testing import CliRunner

    from hinterland.cli._app import app

    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    return res.output


def test_shock_list() -> None:
    out = _cli(["shock", "--list"])
    assert "corridor-cut" in out and "lockdown" in out and "0.02" in out


def test_shock_cli_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "lock"
    text = _cli(
        ["shock", "--scenario", "lockdown", "--days", "100", "--draws", "2", "--seed", "1", "--out", str(out)]
    )
    assert "lockdown (ario, 100 days)" in text and "front" in text
    for f in (
        "summary.csv",
        "loss_by_day.parquet",
        "daily.csv",
        "shock_report.xlsx",
        "recovery.png",
        "map_loss.png",
    ):
        assert (out / f).exists(), f
    res = ShockResult.from_folder(out)
    assert len(res.summary) == 3 and res.horizon_days == 100
    summary = pd.read_csv(out / "summary.csv", index_col="draw")
    assert summary.loc[0, "total_loss"] == pytest.approx(res.total_loss)


def test_shock_cli_static_model_and_user_mrio(tmp_path: Path) -> None:
    from test_economy_scenarios import _toy

    folder = to_pymrio_folder(_toy(), tmp_path / "pm")
    yaml = tmp_path / "s.yaml"
    yaml.write_text(
        "name: t\ntitle: t\ndescription: t\nhorizon_days: 30\nshocks:\n"
        "  - {kind: capacity, regions: [110000], share: 0.3, start: 1, duration: 5, recovery_days: 5}\n",
        encoding="utf-8",
    )
    _cli(
        [
            "shock",
            "--scenario",
            str(yaml),
            "--mrio",
            str(folder),
            "--model",
            "leontief",
            "--out",
            str(tmp_path / "o"),
        ]
    )
    res = ShockResult.from_folder(tmp_path / "o")
    assert res.model == "leontief" and res.total_loss > 0


def test_shock_cli_bad_scenario_exits_cleanly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["shock", "--scenario", "no-such-thing", "--out", str(tmp_path)])
    assert exc.value.code == 2
    assert "neither a library scenario" in capsys.readouterr().err

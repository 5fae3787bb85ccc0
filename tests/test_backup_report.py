"""End-to-end: ``hinterland backup`` on the bundled data (slow: ~1 min)."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from hinterland.cli import main


@pytest.mark.slow
def test_backup_cli_on_bundled_data(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["backup", "--out", str(tmp_path), "--draws", "6", "--out-of-sample", "30", "--no-loop"])
    assert exc.value.code == 0
    s = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert s["plan"]["invest"] <= 5000.0 + 1e-6
    n1 = pd.read_csv(tmp_path / "n1_test.csv")
    assert {"coverage", "passes", "shortfall", "coverage_with_plan"} <= set(n1.columns)
    assert (tmp_path / "backup_bases.png").exists() and (tmp_path / "backup.xlsx").exists()
    front = pd.read_csv(tmp_path / "pareto.csv")
    assert (front["expected_loss"].diff().dropna() <= 1e-6).all()


def test_backup_cli_bad_budget(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["backup", "--out", str(tmp_path), "--budget", "1", "--no-loop"])
    assert exc.value.code == 2
    assert "below the cheapest backup base" in capsys.readouterr().err

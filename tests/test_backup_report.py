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


def _cli_error(tmp_path, capsys, *args: str) -> str:
    with pytest.raises(SystemExit) as exc:
        main(["backup", "--out", str(tmp_path / "out"), "--no-loop", "--draws", "2", "--out-of-sample", "4",
              *args])  # fmt: skip
    assert exc.value.code == 2
    err = " ".join(capsys.readouterr().err.split())  # Rich wraps long lines
    assert "Traceback" not in err
    return err


def test_backup_cli_chain_file_with_unknown_sector(tmp_path, capsys):
    bad = tmp_path / "my_chains.yaml"
    bad.write_text("chains:\n  chips:\n    sectors: {sec20: 0.4, semis: 0.5}\n", encoding="utf-8")
    err = _cli_error(tmp_path, capsys, "--chains", str(bad))
    assert "my_chains.yaml" in err and "chain 'chips'" in err and "['semis']" in err
    assert "sec01" in err and "Fix:" in err


def test_backup_cli_missing_chain_file(tmp_path, capsys):
    err = _cli_error(tmp_path, capsys, "--chains", str(tmp_path / "nope.yaml"))
    assert "nope.yaml does not exist" in err and "Fix:" in err


def test_backup_cli_negative_budget(tmp_path, capsys):
    err = _cli_error(tmp_path, capsys, "--budget", "-5")
    assert "budget = -5" in err and "≥ 0" in err and "Fix:" in err


def test_backup_cli_unknown_objective(tmp_path, capsys):
    err = _cli_error(tmp_path, capsys, "--objective", "worst")
    assert "objective 'worst' is unknown" in err and "expected, cvar, n-1" in err and "Fix:" in err

"""The evaluation on the bundled data: default run, regression numbers, CLI and bad input end to end."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hinterland.cli import main
from hinterland.containers import Dataset
from hinterland.evaluate import build_matrix, default_system, evaluate, minmax
from hinterland.plan import EvaluationOptions, run_evaluation
from hinterland.report import write_evaluation

REGRESSION = Path(__file__).parent / "regression" / "evaluate_default_scores.csv"


def run(capsys, *args: str) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture(scope="module")
def default_eval(china: Dataset):  # type: ignore[no-untyped-def]
    return evaluate(build_matrix(china, default_system()))


def test_default_matrix_is_complete(china: Dataset) -> None:
    m = build_matrix(china, default_system())
    assert m.values.shape == (31, len(default_system().indicators))
    assert not m.values.isna().any().any()
    assert m.criteria.loc["land_area", "year_used"].endswith("(static)")
    assert m.criteria.loc["gdp_per_capita", "year_used"] == "2023"


@pytest.mark.regression
def test_default_scores_regression(default_eval) -> None:  # type: ignore[no-untyped-def]
    got = default_eval.scores[["score", "rank", "location", "resilience", "innovation", "cohesion"]].copy()
    got.index.name = "region"
    if os.environ.get("HINTERLAND_UPDATE_REGRESSION"):
        got.to_csv(REGRESSION, float_format="%.10g")
    want = pd.read_csv(REGRESSION, index_col="region")
    pd.testing.assert_frame_equal(got.loc[want.index], want, check_dtype=False, atol=1e-8, rtol=0)


def test_default_results_make_sense(default_eval, china: Dataset) -> None:  # type: ignore[no-untyped-def]
    s = default_eval.scores
    assert sorted(s["rank"]) == list(range(1, 32))
    # innovation (intensities per capita / GDP) is led by Beijing; location (strategic depth, space) by Xinjiang
    assert s["innovation"].idxmax() == 110000
    assert s["location"].idxmax() == 650000
    # the S&T mass and industrial backup dimensions are led by Guangdong
    assert s["st_support"].idxmax() == 440000 and s["backup"].idxmax() == 440000
    cc = default_eval.coupling
    assert cc is not None and list(cc.columns[:4]) == [
        "U_location",
        "U_resilience",
        "U_innovation",
        "U_cohesion",
    ]
    assert cc["D"].between(0, 1).all()


def test_write_evaluation_files(china: Dataset, tmp_path: Path) -> None:
    opts = EvaluationOptions(draws=200, permutations=99, seed=1, panel_years=(2022, 2023))
    study = run_evaluation(china, opts)
    files = write_evaluation(tmp_path, study, radar=["Sichuan", "重庆", 610000])
    for role in (
        "scores",
        "weights",
        "normalised",
        "coupling",
        "obstacles",
        "robustness",
        "moran",
        "lisa",
        "gistar",
        "resilience",
        "scores_by_year",
        "xlsx",
        "map",
        "map_dimensions",
        "radar",
        "rank_intervals",
        "trends",
    ):
        assert files[role].exists(), role
    sheets = pd.ExcelFile(files["xlsx"]).sheet_names
    assert {"scores", "weights", "normalised", "coupling", "robustness", "moran", "lisa"} <= set(sheets)
    scores = pd.read_csv(files["scores"], index_col="region")
    rob = pd.read_csv(files["robustness"], index_col="region")
    assert (rob["weights_rank_p05"] <= rob["weights_base_rank"]).mean() > 0.8
    assert rob["weights_p_top5"].sum() == pytest.approx(5.0)
    lisa = pd.read_csv(files["lisa"], index_col="region")
    assert lisa.loc[460000, "label"] == "Isolate"  # Hainan: no land neighbour
    w = pd.read_csv(files["weights"], index_col="criterion")
    assert w["weight"].sum() == pytest.approx(1.0)
    assert scores["rank"].min() == 1
    res = pd.read_csv(files["resilience"], index_col="region")
    assert res["reference_national"].iloc[0] == "national growth 2019–2020"
    again = run_evaluation(china, EvaluationOptions(draws=200, permutations=99, seed=1))
    pd.testing.assert_frame_equal(again.tables["robustness"], study.tables["robustness"])
    assert "scores_by_year" not in again.tables  # a study holds only what it computed
    written = write_evaluation(tmp_path / "again", again, figures=False)
    pd.testing.assert_frame_equal(pd.read_csv(written["robustness"]), pd.read_csv(files["robustness"]))
    assert "map" not in written


def test_cli_default_and_matrix_mode(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    code, out, err = run(
        capsys,
        "evaluate",
        "--out",
        str(tmp_path / "a"),
        "--draws",
        "100",
        "--permutations",
        "99",
        "--no-figures",
        "--method",
        "vikor",
        "--weights",
        "critic",
    )
    assert code == 0, err
    assert "Top 10 by vikor (critic weights)" in out
    (tmp_path / "m.csv").write_text("id,cost,quality\nx,1,5\ny,2,9\nz,3,7\n", encoding="utf-8")
    (tmp_path / "c.csv").write_text("criterion,direction\ncost,cost\nquality,benefit\n", encoding="utf-8")
    code, out, err = run(
        capsys,
        "evaluate",
        "--matrix",
        str(tmp_path / "m.csv"),
        "--criteria",
        str(tmp_path / "c.csv"),
        "--out",
        str(tmp_path / "b"),
        "--draws",
        "50",
        "--no-figures",
    )
    assert code == 0, err
    scores = pd.read_csv(tmp_path / "b" / "scores.csv", index_col=0)
    assert set(scores.index) == {"x", "y", "z"}
    code, _, err = run(
        capsys,
        "evaluate",
        "--out",
        str(tmp_path / "band"),
        "--draws",
        "50",
        "--permutations",
        "99",
        "--no-figures",
        "--spatial-weights",
        "band:800",
    )
    assert code == 0, err
    lisa = pd.read_csv(tmp_path / "band" / "lisa.csv", index_col="region")
    assert lisa.loc[460000, "label"] != "Isolate"  # Hainan has capitals within 800 km


def test_cli_bad_inputs_are_clean_errors(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = str(tmp_path / "o")
    ahp = tmp_path / "ahp.csv"
    # inconsistent judgements over the eight dimensions: location >> resilience >> innovation >> location
    dims = [
        "location",
        "resilience",
        "innovation",
        "cohesion",
        "reserve",
        "backup",
        "st_support",
        "transport",
    ]
    a = np.ones((8, 8))
    a[0, 1], a[1, 2], a[2, 0] = 9, 9, 9
    a[1, 0], a[2, 1], a[0, 2] = 1 / 9, 1 / 9, 1 / 9
    pd.DataFrame(a, index=dims, columns=dims).to_csv(ahp)
    code, _, err = run(capsys, "evaluate", "--out", out, "--weights", f"ahp:{ahp}", "--no-figures")
    assert code == 2 and "CR = " in err and "Most inconsistent judgement" in err and "Traceback" not in err
    uw = tmp_path / "w.csv"
    pd.DataFrame({"dimension": dims, "weight": [0.2] * 8}).to_csv(uw, index=False)
    code, _, err = run(capsys, "evaluate", "--out", out, "--weights", f"user:{uw}", "--no-figures")
    assert code == 2 and "weights sum to 1.6" in err
    code, _, err = run(
        capsys,
        "evaluate",
        "--out",
        out,
        "--weights",
        f"user:{uw}",
        "--renormalise",
        "--no-figures",
        "--draws",
        "50",
        "--permutations",
        "9",
    )
    assert code == 0, err
    sys_file = tmp_path / "s.csv"
    sys_file.write_text("id,dimension,direction\ngdp,a,benefit\ngpd_per_capita,b,benefit\n", encoding="utf-8")
    code, _, err = run(capsys, "evaluate", "--out", out, "--system", str(sys_file), "--no-figures")
    assert code == 2 and "'gpd_per_capita'" in err and "Did you mean gdp_per_capita" in err
    code, _, err = run(capsys, "evaluate", "--out", out, "--spatial-weights", "rook", "--no-figures")
    assert code == 2 and "unknown --spatial-weights 'rook'" in err
    code, _, err = run(capsys, "evaluate", "--out", out, "--weights", "magic", "--no-figures")
    assert code == 2 and "unknown --weights 'magic'" in err
    (tmp_path / "m.csv").write_text("id,a,b\nx,1,5\ny,1,9\nz,1,\n", encoding="utf-8")
    (tmp_path / "c.csv").write_text("criterion,direction\na,cost\nb,benefit\n", encoding="utf-8")
    code, _, err = run(
        capsys,
        "evaluate",
        "--matrix",
        str(tmp_path / "m.csv"),
        "--criteria",
        str(tmp_path / "c.csv"),
        "--out",
        out,
        "--no-figures",
    )
    assert code == 2 and "region z" in err and "column 'b'" in err  # the missing cell is named first
    code, _, err = run(
        capsys,
        "evaluate",
        "--matrix",
        str(tmp_path / "m.csv"),
        "--criteria",
        str(tmp_path / "c.csv"),
        "--out",
        out,
        "--no-figures",
        "--impute",
        "median",
    )
    assert code == 2 and "['a'] are constant" in err


def test_normalised_sheet_matches_minmax(default_eval) -> None:  # type: ignore[no-untyped-def]
    z = minmax(default_eval.matrix.values, default_eval.matrix.criteria["direction"])
    pd.testing.assert_frame_equal(z, default_eval.normalised)

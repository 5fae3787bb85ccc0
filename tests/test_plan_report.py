"""The integrated plan (``hinterland plan``): stages, assessment, report, store, resume and bad configs."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from hinterland.cli import app
from hinterland.errors import ConfigError, UnknownIdError
from hinterland.plan import PLAN_STAGES, RunInterrupted, RunStore, ario_shock_task, ario_shock_tasks
from hinterland.report import STAGE_FOLDERS, write_plan_report
from hinterland.report._plan_document import _flat_config

REGRESSION = Path(__file__).parent / "regression" / "plan_small_assessment.csv"

SMALL = """\
name: small
scenarios:
  - {name: corridor-cut}
  - {name: import-embargo, probability: 0.05}
ensemble: {draws: 2}
assessment: {horizons: {corridor-cut: 90, import-embargo: 400}}
reserves: {commodities: [grain]}
backup: {chains: [instruments, pharmaceuticals]}
runner: {backend: inprocess}
report: {formats: [html, xlsx]}
"""


# ---------------------------------------------------------------------------------------- unit
def test_ario_task_is_the_scenario_route() -> None:
    """The random-shock task runs through run_arms: reproducible, and the shocked provinces lose most."""
    payload = next(iter(ario_shock_tasks(1, 7, steps=40, duration_days=(5, 10)).values()))
    a, b = ario_shock_task(payload), ario_shock_task(payload)
    pd.testing.assert_frame_equal(a, b)
    assert set(a["output_loss"].nlargest(len(payload["regions"])).index) == set(payload["regions"])


def test_flat_config_lists_every_leaf() -> None:
    flat = _flat_config({"a": {"b": 1, "c": [1, 2]}, "s": [{"name": "x", "p": None}], "t": "y"})
    assert flat["value"].to_dict() == {"a.b": "1", "a.c": "[1, 2]", "s[0]": "name=x, p=None", "t": "y"}


# ----------------------------------------------------------------------------------- bad input
def test_region_subset_is_refused_clearly(tmp_path: Path) -> None:
    cfg = tmp_path / "plan.yaml"
    cfg.write_text("regions: {include: [四川, 重庆]}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"regions.include.*not supported"):
        write_plan_report(tmp_path / "out", config=cfg, store=tmp_path / "s.duckdb")
    assert not (tmp_path / "s.duckdb").exists()  # nothing started


def test_stress_draws_are_refused_clearly(tmp_path: Path) -> None:
    cfg = tmp_path / "plan.yaml"
    cfg.write_text("stress: {draws: 8}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"stress.draws.*no probability.*Fix: set stress.draws: 0"):
        write_plan_report(tmp_path / "out", config=cfg, store=tmp_path / "s.duckdb")


def test_bad_runner_option_fails_before_any_stage(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"overrides from the options \(runner.backend\).*'foo'"):
        write_plan_report(tmp_path / "out", store=tmp_path / "s.duckdb", backend="foo")
    assert not (tmp_path / "s.duckdb").exists() and not (tmp_path / "out" / "1_evaluation").exists()


def test_cli_bad_config_exits_2_naming_file_and_key(tmp_path: Path) -> None:
    cfg = tmp_path / "bad.yaml"
    cfg.write_text("seed: -3\nensemble: {draws: -1}\nscenarios: [{name: tsunami}]\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["plan", "-c", str(cfg), "--out", str(tmp_path / "o")])
    assert res.exit_code != 0
    text = res.output + str(res.exception or "")
    assert "bad.yaml" in text and "'seed'" in text and "ensemble.draws" in text
    cfg.write_text("scenarios: [{name: tsunami}]\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["plan", "-c", str(cfg), "--out", str(tmp_path / "o")])
    text = res.output + str(res.exception or "")
    assert res.exit_code != 0 and "tsunami" in text and "coastal-blockade" in text


def test_resume_of_unknown_run_fails_before_any_stage(tmp_path: Path) -> None:
    store = tmp_path / "s.duckdb"
    RunStore(store)
    with pytest.raises(UnknownIdError, match="plan-nothere"):
        write_plan_report(tmp_path / "out", store=store, resume="plan-nothere")
    assert not (tmp_path / "out" / "1_evaluation").exists()


# ------------------------------------------------------------------------ end to end (small plan)
@pytest.fixture(scope="module")
def small_plan(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    root = tmp_path_factory.mktemp("plan")
    cfg = root / "small.yaml"
    cfg.write_text(SMALL, encoding="utf-8")
    out, store = root / "out", root / "runs.duckdb"
    res = CliRunner().invoke(
        app, ["plan", "-c", str(cfg), "--out", str(out), "--store", str(store), "--no-pdf"]
    )
    assert res.exit_code == 0, res.output
    return out, store, cfg


def test_small_plan_end_to_end(small_plan: tuple[Path, Path, Path]) -> None:
    """One test on purpose: the plan run is shared, and xdist would run it once per worker."""
    _check_stages_and_report(small_plan)
    _check_assessment(small_plan)
    _check_regression(small_plan)
    _check_store(small_plan)


def _check_stages_and_report(small_plan: tuple[Path, Path, Path]) -> None:
    out, _, _ = small_plan
    for sub in ("1_evaluation/scores.csv", "2_network/summary.json", "3_reserves/grain/sites.csv",
                "4_backup/allocation.csv", "5_assessment/scenarios.csv", "5_assessment/portfolio.csv",
                "5_assessment/levers.csv", "5_assessment/loss_curves.png", "5_assessment/avoided_loss.png",
                "5_assessment/lever_payback.png", "5_assessment/loss_curves.csv"):  # fmt: skip
        assert (out / sub).exists(), sub
    zh = (out / "plan_report_zh.html").read_text(encoding="utf-8")
    en = (out / "plan_report_en.html").read_text(encoding="utf-8")
    for heading in ("背景", "现状", "主要问题", "政策建议", "附录A 方法与公式", "附录D 数据来源"):
        assert heading in zh
    for heading in ("Background", "Current situation", "Problems", "Recommendations", "Appendix A"):
        assert heading in en
    # the report states the net benefit and, plainly, whether each plan pays
    assert "net benefit" in en.lower() and ("does not pay" in en or "it pays" in en)
    assert "划算" in zh
    assert zh.count("data:image/png;base64") >= 6 and "<svg" in zh  # figures and equations embedded
    assert "http://" not in zh.replace("http://www.w3.org", "")  # self-contained
    sheets = load_workbook(out / "plan_report_tables.xlsx", read_only=True).sheetnames
    want = {
        "scores_top10",
        "reserves",
        "backup_bases",
        "portfolio",
        "avoided_by_scenario",
        "levers",
        "sources",
    }
    assert want <= set(sheets)


def _check_assessment(small_plan: tuple[Path, Path, Path]) -> None:
    out, _, _ = small_plan
    folder = out / "5_assessment"
    scen = pd.read_csv(folder / "scenarios.csv")
    port = pd.read_csv(folder / "portfolio.csv", index_col=0)
    levers = pd.read_csv(folder / "levers.csv", index_col=0)
    assert set(scen["scenario"]) == {"corridor-cut", "import-embargo"}
    assert (scen["draws"] == 3).all()  # the central run and 2 paired draws
    assert dict(zip(scen["scenario"], scen["probability"], strict=False)) == {
        "corridor-cut": 0.007,
        "import-embargo": 0.05,
    }
    # net = gross − cost, and B/C = gross / cost, per arm
    np.testing.assert_allclose(port["net_benefit"], port["expected_annual_benefit"] - port["annual_cost"])
    # the expected annual benefit is Σ_s p_s × mean avoided loss
    for arm, row in port.iterrows():
        s = scen[scen["arm"] == arm]
        assert row["expected_annual_benefit"] == pytest.approx(
            float((s["probability"] * s["avoided_mean"]).sum())
        )
    # the recommended portfolio never raises a scenario's median loss
    if "recommended" in port.index:
        assert (scen[scen["arm"] == "recommended"]["avoided_median"] >= -1e-6).all()
        assert bool(port.loc["recommended", "pays"])
    # every lever was screened; corridor upgrades act only where the network is cut
    assert {"backup", "reserve", "upgrade"} <= set(levers["kind"])
    detour = levers[levers["name"].str.contains("格库")]
    assert len(detour) == 1 and detour["avoided:corridor-cut"].iloc[0] > 0  # the cut responds to upgrades
    assert (levers.loc[levers["kind"] == "upgrade", "avoided:import-embargo"] == 0).all()


def _check_regression(small_plan: tuple[Path, Path, Path]) -> None:
    out, _, _ = small_plan
    got = pd.read_csv(out / "5_assessment" / "scenarios.csv").set_index(["arm", "scenario"])
    cols = ["loss_baseline_mean", "avoided_mean", "avoided_p05", "avoided_p95", "prob_hurts"]
    if os.environ.get("HINTERLAND_UPDATE_REGRESSION"):
        got[cols].to_csv(REGRESSION)
    want = pd.read_csv(REGRESSION).set_index(["arm", "scenario"])
    pd.testing.assert_frame_equal(got[cols], want[cols], rtol=1e-6, atol=1e-6, check_dtype=False)


def _check_store(small_plan: tuple[Path, Path, Path]) -> None:
    out, store, _ = small_plan
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    rs = RunStore(store, create=False)
    rec = rs.get_run(run["run_id"])
    assert rec.status == "finished" and rec.kind == "plan" and rec.seed == 20231211
    assert {"assessment_scenarios", "assessment_portfolio", "assessment_levers", "backup_allocation"} <= set(
        rs.table_names(run["run_id"])
    )
    assert {"evaluation", "network", "reserves", "backup", "assessment", "report"} <= set(rec.timings)
    res = CliRunner().invoke(app, ["runs", "list", "--store", str(store)])
    assert res.exit_code == 0 and run["run_id"][:20] in res.output


@pytest.mark.slow
def test_interrupted_plan_resumes_without_recomputing(
    small_plan: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C during the ensemble keeps the finished screening and scenario tasks; --resume computes
    only the missing ones and gives the same tables as the uninterrupted run."""
    out0, _, cfg = small_plan
    store = tmp_path / "runs.duckdb"
    from hinterland.plan import _assess

    real = _assess.assessment_task
    calls: list[str] = []

    def interrupting(payload: dict[str, object]) -> pd.DataFrame:
        if len(calls) == 3:  # two screening tasks and one ensemble task done
            raise KeyboardInterrupt
        calls.append(str(payload["label"]))
        return real(payload)

    monkeypatch.setattr(_assess, "assessment_task", interrupting)
    with pytest.raises(RunInterrupted) as info:
        write_plan_report(tmp_path / "a", config=cfg, store=store, pdf=False)
    run_id = info.value.run_id
    assert run_id is not None and RunStore(store).get_run(run_id).status == "interrupted"

    seen: list[str] = []

    def counting(payload: dict[str, object]) -> pd.DataFrame:
        seen.append(str(payload["label"]))
        return real(payload)

    monkeypatch.setattr(_assess, "assessment_task", counting)
    from hinterland.plan import _backup

    real_suit = _backup.suitability_scores

    def handed_over(regions: list[int], backup_score: pd.Series | None = None) -> pd.Series:
        assert backup_score is not None, "the backup stage re-ran the evaluation"
        return real_suit(regions, backup_score)

    monkeypatch.setattr(_backup, "suitability_scores", handed_over)
    done = write_plan_report(tmp_path / "b", config=cfg, store=store, resume=run_id, pdf=False)
    assert done.study.run_id == run_id and done.files["run"].exists()
    assert len(seen) == 1  # the one ensemble task that had not finished
    assert RunStore(store).get_run(run_id).status == "finished"
    for name in ("scenarios.csv", "portfolio.csv", "levers.csv"):
        a = pd.read_csv(out0 / "5_assessment" / name, index_col=0)
        b = pd.read_csv(tmp_path / "b" / "5_assessment" / name, index_col=0)
        pd.testing.assert_frame_equal(a, b, rtol=1e-9)
    assert tuple(STAGE_FOLDERS) == PLAN_STAGES  # one folder per stage, in order

"""The integrated plan (``hinterland plan``): levers, stages, report, store, resume and bad configs."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from hinterland.cli import app
from hinterland.errors import ConfigError, UnknownIdError
from hinterland.plan import RunInterrupted, RunStore, ario_shock_task, ario_shock_tasks, plan_levers
from hinterland.plan._tasks import _industry_series
from hinterland.report import _plan as plan_module
from hinterland.report import write_plan_report

REGRESSION = Path(__file__).parent / "regression" / "plan_small_scenarios.csv"

SMALL = """\
name: small
scenarios:
  - {name: corridor-cut}
  - {name: regional-disaster}
ensemble: {draws: 3, steps: 60, duration_days: [5, 20]}
reserves: {commodities: [grain]}
backup: {chains: [integrated_circuits, pharmaceuticals, grain_food]}
runner: {backend: inprocess}
report: {formats: [html, xlsx]}
"""


# ---------------------------------------------------------------------------------------- unit
def test_plan_levers_round_trip() -> None:
    idx = pd.MultiIndex.from_tuples([(510000, "sec20"), (500000, "sec12")], names=["region", "sector"])
    spare = pd.Series([0.5, 1.25], index=idx)
    lev = plan_levers(spare, spare * 0 + 30.0, pd.Series({"sec01": 16.0}))
    assert lev["spare_capacity"] == {"510000|sec20": 0.5, "500000|sec12": 1.25}
    assert lev["extra_stockpile_days"] == {"sec01": 16.0}
    back = _industry_series(lev["spare_capacity"])
    assert back is not None
    pd.testing.assert_series_equal(back, spare, check_names=False)
    assert json.loads(json.dumps(lev)) == lev  # payloads travel as JSON-able data


def test_ario_task_with_empty_plan_equals_baseline() -> None:
    """A plan that changes nothing gives the baseline twice, equal to the single run."""
    payload = next(iter(ario_shock_tasks(1, 7, steps=40, duration_days=(5, 10)).values()))
    single = ario_shock_task(payload)
    both = ario_shock_task({**payload, "plan": plan_levers()})
    np.testing.assert_allclose(both["output_loss"], single["output_loss"], rtol=1e-9)
    np.testing.assert_array_equal(both["output_loss_plan"], both["output_loss"])
    assert (single["output_loss"] > 0).any()


def test_ario_task_spare_capacity_in_the_hit_region_lowers_its_loss() -> None:
    """Hand-checkable direction: +100 % spare capacity with fast ramp-up in every industry of the hit
    province lets it make up lost output sooner, so its loss falls."""
    payload = {"regions": [370000], "severity": 0.3, "duration": 10, "recovery_days": 20, "steps": 60}
    sectors = [f"sec{i:02d}" for i in range(1, 43)]
    idx = pd.MultiIndex.from_product([[370000], sectors], names=["region", "sector"])
    lev = plan_levers(pd.Series(1.0, index=idx), pd.Series(5.0, index=idx))
    out = ario_shock_task({**payload, "plan": lev})
    assert out.loc[370000, "output_loss_plan"] < out.loc[370000, "output_loss"]


def test_ario_task_rejects_unknown_industry() -> None:
    payload = {"regions": [370000], "severity": 0.3, "duration": 10, "recovery_days": 20, "steps": 30}
    with pytest.raises(ConfigError, match=r"999999\|sec99"):
        ario_shock_task({**payload, "plan": {"spare_capacity": {"999999|sec99": 1.0}}})


def test_reserve_days_use_the_product_share_of_the_sector() -> None:
    study = SimpleNamespace(
        bi=SimpleNamespace(chains={"grain_food": SimpleNamespace(sectors={"sec01": 0.5})})
    )
    reserves = {
        "grain": {"days": 30.0, "covers_all": True},
        "energy": {"days": 30.0, "covers_all": False},  # depots leave demand uncovered: not counted
    }
    days = plan_module._reserve_days(reserves, study)  # type: ignore[arg-type]
    assert days.to_dict() == {"sec01": 15.0}


def test_flat_config_lists_every_leaf() -> None:
    flat = plan_module._flat_config({"a": {"b": 1, "c": [1, 2]}, "s": [{"name": "x", "p": None}], "t": "y"})
    assert flat["value"].to_dict() == {"a.b": "1", "a.c": "[1, 2]", "s[0]": "name=x, p=None", "t": "y"}


# ----------------------------------------------------------------------------------- bad input
def test_region_subset_is_refused_clearly(tmp_path: Path) -> None:
    cfg = tmp_path / "plan.yaml"
    cfg.write_text("regions: {include: [四川, 重庆]}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"regions.include.*not supported"):
        write_plan_report(tmp_path / "out", config=cfg, store=tmp_path / "s.duckdb")
    assert not (tmp_path / "s.duckdb").exists()  # nothing started


def test_bad_runner_option_fails_before_any_stage(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"overrides from the options \(runner.backend\).*'foo'"):
        write_plan_report(tmp_path / "out", store=tmp_path / "s.duckdb", backend="foo")
    assert not (tmp_path / "s.duckdb").exists() and not (tmp_path / "out" / "1_evaluation").exists()


def test_cli_bad_config_exits_2_naming_file_and_key(tmp_path: Path) -> None:
    cfg = tmp_path / "bad.yaml"
    cfg.write_text("seed: -3\nensemble: {draws: 0}\nscenarios: [{name: tsunami}]\n", encoding="utf-8")
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
    """One test on purpose: the plan run (~40 s) is shared, and xdist would run it once per worker."""
    _check_stages_and_report(small_plan)
    _check_regression(small_plan)
    _check_store(small_plan)


def _check_stages_and_report(small_plan: tuple[Path, Path, Path]) -> None:
    out, _, _ = small_plan
    for sub in ("1_evaluation/scores.csv", "2_network/summary.json", "3_reserves/grain/sites.csv",
                "4_backup/allocation.csv", "5_assessment/scenario_summary.csv",
                "5_assessment/loss_curves.png", "5_assessment/ensemble.png"):  # fmt: skip
        assert (out / sub).exists(), sub
    zh = (out / "plan_report_zh.html").read_text(encoding="utf-8")
    en = (out / "plan_report_en.html").read_text(encoding="utf-8")
    for heading in ("背景", "现状", "主要问题", "政策建议", "附录A 方法与公式", "附录C 数据来源"):
        assert heading in zh
    for heading in ("Background", "Current situation", "Problems", "Recommendations", "Appendix A"):
        assert heading in en
    assert zh.count("data:image/png;base64") >= 6 and "<svg" in zh  # figures and equations embedded
    assert "http://" not in zh.replace("http://www.w3.org", "")  # self-contained
    sheets = load_workbook(out / "plan_report_tables.xlsx", read_only=True).sheetnames
    assert {"scores_top10", "reserves", "backup_bases", "scenarios", "ensemble_draws", "sources"} <= set(
        sheets
    )


def _check_regression(small_plan: tuple[Path, Path, Path]) -> None:
    out, _, _ = small_plan
    got = pd.read_csv(out / "5_assessment" / "scenario_summary.csv", index_col=0)
    assert list(got.index) == ["corridor-cut", "regional-disaster"]
    assert (got["loss_baseline"] > 0).all() and (got["weight"] == 0.5).all()
    # the plan's backup capacity helps the capacity-loss scenario (regional disaster)
    assert got.loc["regional-disaster", "saved"] > 0
    want = pd.read_csv(REGRESSION, index_col=0)
    pd.testing.assert_frame_equal(got[want.columns], want, rtol=1e-6, check_dtype=False)


def _check_store(small_plan: tuple[Path, Path, Path]) -> None:
    out, store, _ = small_plan
    run = json.loads((out / "run.json").read_text(encoding="utf-8"))
    rs = RunStore(store, create=False)
    rec = rs.get_run(run["run_id"])
    assert rec.status == "finished" and rec.kind == "plan" and rec.seed == 20231211
    assert {"scenario_summary", "ensemble_draws", "backup_allocation"} <= set(rs.table_names(run["run_id"]))
    assert {"evaluation", "network", "reserves", "backup", "scenarios", "ensemble", "report"} <= set(
        rec.timings
    )
    res = CliRunner().invoke(app, ["runs", "list", "--store", str(store)])
    assert res.exit_code == 0 and run["run_id"][:20] in res.output


@pytest.mark.slow
def test_interrupted_plan_resumes_without_recomputing(
    small_plan: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C during the random draws keeps the finished scenarios and draws; --resume computes only
    the missing draws and gives the same tables as the uninterrupted run."""
    out0, _, cfg = small_plan
    store = tmp_path / "runs.duckdb"
    calls: list[str] = []
    real_draw, real_scen = plan_module.ario_shock_task, plan_module.plan_scenario_task

    def interrupting(payload: dict[str, object]) -> pd.DataFrame:
        if len(calls) == 1:
            raise KeyboardInterrupt
        calls.append("draw")
        return real_draw(payload)

    monkeypatch.setattr(plan_module, "ario_shock_task", interrupting)
    with pytest.raises(RunInterrupted) as info:
        write_plan_report(tmp_path / "a", config=cfg, store=store, pdf=False)
    run_id = info.value.run_id
    assert run_id is not None and RunStore(store).get_run(run_id).status == "interrupted"

    seen: list[str] = []

    def counting_draw(payload: dict[str, object]) -> pd.DataFrame:
        seen.append("draw")
        return real_draw(payload)

    def counting_scen(payload: dict[str, object]) -> pd.DataFrame:
        seen.append("scenario")
        return real_scen(payload)

    monkeypatch.setattr(plan_module, "ario_shock_task", counting_draw)
    monkeypatch.setattr(plan_module, "plan_scenario_task", counting_scen)
    write_plan_report(tmp_path / "b", config=cfg, store=store, resume=run_id, pdf=False)
    assert seen == ["draw", "draw"]  # 3 draws, 1 finished before Ctrl-C; scenarios all loaded
    assert RunStore(store).get_run(run_id).status == "finished"
    for name in ("scenario_summary.csv", "ensemble_draws.csv"):
        a = pd.read_csv(out0 / "5_assessment" / name, index_col=0)
        b = pd.read_csv(tmp_path / "b" / "5_assessment" / name, index_col=0)
        pd.testing.assert_frame_equal(a, b, rtol=1e-9)

"""Plan config: the bundled default is valid and equals the schema defaults; bad files fail clearly."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from hinterland.errors import ConfigError
from hinterland.plan import (
    PLAN_SCHEMA,
    PlanConfigError,
    default_plan_path,
    load_plan_config,
    plan_config_reference,
    validate_plan_config,
)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_default_plan_equals_schema_defaults() -> None:
    assert default_plan_path().is_file()
    bundled = load_plan_config()
    empty = validate_plan_config({})
    assert bundled.data == empty.data  # default_plan.yaml spells out exactly the schema defaults
    raw = yaml.safe_load(default_plan_path().read_text(encoding="utf-8"))
    assert set(raw) == set(PLAN_SCHEMA["plan"])
    assert bundled.seed == 20231211 and bundled.draws == 13 and bundled.backend == "inprocess"
    weights = bundled.scenario_weights()  # the library scenarios' own annual probabilities
    assert weights == {"coastal-blockade": 0.005, "corridor-cut": 0.007, "import-embargo": 0.05,
                       "lockdown": 0.02, "regional-disaster": 0.01}  # fmt: skip


def test_partial_file_overrides_and_resolves_ids(tmp_path: Path) -> None:
    (tmp_path / "my_shock.yaml").write_text("name: x\n", encoding="utf-8")
    path = _write(
        tmp_path,
        "seed: 7\n"
        "regions:\n  include: [四川, Chongqing, 610000]\n  roles: {Shaanxi: core}\n"
        "scenarios:\n  - {name: lockdown, probability: 0.02}\n  - {file: my_shock.yaml, probability: 0.1}\n"
        "ensemble: {draws: 8}\n",
    )
    cfg = load_plan_config(path, overrides={"runner": {"backend": "inprocess"}})
    assert cfg.seed == 7 and cfg.draws == 8 and cfg.backend == "inprocess"
    assert cfg["regions"]["include"] == [510000, 500000, 610000]
    assert cfg["regions"]["roles"] == {610000: "core"}
    assert cfg["scenarios"][1]["file"] == str(tmp_path / "my_shock.yaml")
    assert cfg.scenario_weights() == {"lockdown": 0.02, "my_shock": 0.1}
    assert cfg["stress"]["steps"] == 180 and cfg["ensemble"]["psi"] == [0.7, 0.9]  # untouched: defaults


def test_every_problem_is_reported_with_line_key_and_fix(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "seed: -3\n"  # line 1
        "draws: 10\n"  # line 2: belongs under ensemble
        "stress:\n"
        "  severity: [0.6, 0.2]\n"  # line 4: low > high
        "  steps: lots\n"  # line 5
        "runner:\n"
        "  backend: dask2\n",  # line 7
    )
    with pytest.raises(PlanConfigError) as info:
        load_plan_config(path)
    msg = str(info.value)
    assert f"5 problems in plan config {path}" in msg
    assert "row 1, column 'seed'" in msg and "out of range" in msg and "≥ 0" in msg
    assert "row 2, column 'draws'" in msg and "unknown key 'draws'" in msg
    assert "row 4, column 'stress.severity'" in msg and "swap them: [0.2, 0.6]" in msg
    assert "row 5, column 'stress.steps'" in msg and "a whole number" in msg
    assert "row 7, column 'runner.backend'" in msg and "did you mean 'dask'?" in msg


def test_semantic_problems(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "regions: {include: [Atlantis], roles: {Sichuan: capital}}\n"
        "scenarios:\n  - {name: lockdown, probability: 0.7}\n  - {name: corridor-cut, probability: 0.6}\n"
        "  - {file: missing.yaml, probability: 0.1}\n"
        "runner: {backend: process, scheduler: 'localhost:8786'}\n"
        "stress: {steps: 30}\n",
    )
    with pytest.raises(PlanConfigError) as info:
        load_plan_config(path)
    msg = str(info.value)
    assert "column 'regions.roles.Sichuan'" in msg and "capital" in msg  # schema: bad role
    path = _write(
        tmp_path,
        "regions: {include: [Atlantis]}\n"
        "scenarios:\n  - {name: lockdown, probability: 0.7}\n  - {name: corridor-cut, probability: 0.6}\n"
        "  - {file: missing.yaml, probability: 0.1}\n"
        "runner: {backend: process, scheduler: 'localhost:8786'}\n"
        "stress: {steps: 30}\n",
    )
    with pytest.raises(PlanConfigError) as info:
        load_plan_config(path)
    msg = str(info.value)
    assert "unknown region 'Atlantis'" in msg
    assert "missing.yaml does not exist" in msg
    assert "probabilities sum to 1.4 > 1" in msg
    assert "scheduler given but backend is 'process'" in msg and "tcp://host:8786" in msg
    assert "longest shock 60 d ≥ steps 30" in msg


def test_moved_and_missing_keys_say_what_to_do(tmp_path: Path) -> None:
    """The random front shocks moved from ensemble to stress; a scenario needs an annual probability."""
    (tmp_path / "mine.yaml").write_text(
        "name: mine\ntitle: t\ndescription: d\nshocks: [{kind: capacity, regions: [510000], share: 0.1,"
        " duration: 5}]\n",
        encoding="utf-8",
    )
    path = _write(tmp_path, "ensemble: {steps: 120}\nscenarios: [{file: mine.yaml}]\n")
    with pytest.raises(PlanConfigError) as info:
        load_plan_config(path)
    msg = str(info.value)
    assert "column 'ensemble.steps'" in msg and "it moved to stress.steps" in msg
    path = _write(tmp_path, "scenarios: [{file: mine.yaml}]\n")
    with pytest.raises(PlanConfigError) as info:
        load_plan_config(path)
    msg = str(info.value)
    assert (
        "scenarios[0].probability" in msg
        and "has no annual probability" in msg
        and "probability: 0.01" in msg
    )
    assert load_plan_config(
        path, overrides={"scenarios": [{"file": str(tmp_path / "mine.yaml"), "probability": 0.03}]}
    ).scenario_weights() == {"mine": 0.03}


def test_yaml_and_file_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"line 3, column 1: not valid YAML"):
        load_plan_config(_write(tmp_path, "seed: 1\nensemble: [unclosed\n"))
    with pytest.raises(ConfigError, match="cannot read plan config"):
        load_plan_config(tmp_path / "nope.yaml")
    with pytest.raises(ConfigError, match="expected a mapping"):
        load_plan_config(_write(tmp_path, "- a\n- b\n"))
    with pytest.raises(PlanConfigError, match="give exactly one of name or file"):
        validate_plan_config({"scenarios": [{"probability": 0.1}]})


def test_reference_lists_every_leaf() -> None:
    ref = plan_config_reference()
    for key in (
        "seed",
        "ensemble.draws",
        "budgets.network",
        "runner.scheduler",
        "network.upgrades.capacity_factor",
    ):
        assert f"| `{key}` |" in ref


def test_schema_and_cross_key_problems_are_reported_together(tmp_path: Path) -> None:
    """One error lists a range problem (schema) and an unknown chain and scenario (rules between keys),
    and nothing twice for a key the schema already faulted."""
    f = tmp_path / "p.yaml"
    f.write_text(
        "budgets: {backup: -1}\nbackup: {chains: [instrumets]}\nscenarios: [{name: tsunami}]\n"
        "ensemble: {priority_sectors: 3}\n",
        encoding="utf-8",
    )
    with pytest.raises(PlanConfigError) as info:
        load_plan_config(f)
    cols = [p.column for p in info.value.problems]
    assert cols == ["ensemble.priority_sectors", "budgets.backup", "scenarios[0].name", "backup.chains[0]"], (
        cols
    )
    assert "did you mean 'instruments'" in str(info.value)

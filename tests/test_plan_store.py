"""Result store: round trips, provenance, write-once rules, errors, diffs, concurrent readers, CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from hinterland.cli import _app
from hinterland.errors import ConfigError, DataFileError, UnknownIdError
from hinterland.plan import RunStore, config_hash, hash_file, hash_inputs


@pytest.fixture
def store(tmp_path: Path) -> RunStore:
    return RunStore(tmp_path / "runs.duckdb")


def _loss() -> pd.DataFrame:
    return pd.DataFrame(
        {"loss": [1.5, 2.0, np.nan], "name": ["a", "b", "c"], 7: [1, 2, 3], "hit": [True, False, True]},
        index=pd.Index([110000, 120000, 510000], name="region"),
    )


def test_tables_round_trip_exactly(store: RunStore) -> None:
    run = store.start_run("test", {"a": 1}, seed=3)
    multi = pd.DataFrame(
        np.arange(6.0).reshape(3, 2),
        index=pd.MultiIndex.from_tuples([(1, "x"), (1, "y"), (2, "x")], names=["scenario", "sector"]),
        columns=pd.MultiIndex.from_tuples([("a", "m"), ("b", "n")], names=["k", "l"]),
    )
    plain = pd.DataFrame({"v": [1.0, 2.0]})  # default RangeIndex
    dup = pd.DataFrame([[1, 2]], columns=["x", "X"], index=pd.Index(["r"], name="x"))  # SQL name clash
    for name, df in {"loss": _loss(), "multi": multi, "plain": plain, "dup": dup}.items():
        store.put_table(run, name, df)
        pd.testing.assert_frame_equal(store.read_table(run, name), df)
    store.checkpoint(run, "k1", multi, 0.5)
    pd.testing.assert_frame_equal(store.read_checkpoints(run)["k1"], multi)
    assert store.checkpoints(run) == {"k1"}
    assert store.checkpoint_seconds(run)["k1"] == 0.5


@pytest.mark.property
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    values=st.lists(st.floats(allow_nan=True, allow_infinity=False, width=64), min_size=0, max_size=20),
    ints=st.integers(min_value=-(2**62), max_value=2**62),
)
def test_any_float_column_round_trips(store: RunStore, values: list[float], ints: int) -> None:
    run = store.start_run("prop")
    df = pd.DataFrame(
        {"x": np.asarray(values, dtype=float), "n": np.full(len(values), ints, dtype=np.int64)},
        index=pd.Index(range(100, 100 + len(values)), name="region"),
    )
    store.put_table(run, "t", df)
    store.checkpoint(run, "t", df)
    pd.testing.assert_frame_equal(store.read_table(run, "t"), df)
    pd.testing.assert_frame_equal(store.read_checkpoints(run)["t"], df)


def test_provenance_is_recorded(store: RunStore, tmp_path: Path) -> None:
    f = tmp_path / "input.csv"
    f.write_text("a,b\n1,2\n", encoding="utf-8")
    run = store.start_run("plan", {"b": [1, 2], "a": {"x": 1}}, seed=7, inputs={"input": f})
    rec = store.get_run(run)
    assert rec.status == "running" and rec.seed == 7 and rec.kind == "plan"
    # sha256 of "a,b\n1,2\n", independently known
    assert rec.inputs["input"] == hash_file(f)
    import hashlib

    assert rec.inputs["input"] == hashlib.sha256(b"a,b\n1,2\n").hexdigest()
    assert rec.config == {"a": {"x": 1}, "b": [1, 2]}
    assert rec.config_hash == config_hash({"b": [1, 2], "a": {"x": 1}})  # key order does not matter
    assert rec.code_version.startswith("0.")
    store.finish_run(run, {"evaluate": 1.5, "network": 2.0})
    rec = store.get_run(run)
    assert rec.status == "finished" and rec.finished is not None and rec.seconds == pytest.approx(3.5)
    listed = store.list_runs()
    assert listed.index.name == "run_id" and listed.loc[run, "seconds"] == pytest.approx(3.5)
    assert hash_inputs({"d": "0" * 64}) == {"d": "0" * 64}


def test_never_overwrites(store: RunStore) -> None:
    run = store.start_run("test", run_id="my-run")
    with pytest.raises(ConfigError, match="already exists"):
        store.start_run("test", run_id="my-run")
    store.put_table(run, "t", _loss())
    with pytest.raises(ConfigError, match="never overwritten"):
        store.put_table(run, "t", _loss())
    store.checkpoint(run, "k", _loss())
    with pytest.raises(ConfigError, match="write-once"):
        store.checkpoint(run, "k", _loss())
    store.finish_run(run)
    with pytest.raises(ConfigError, match="frozen"):
        store.put_table(run, "u", _loss())
    with pytest.raises(ConfigError, match="finished"):
        store.checkpoint(run, "k2", _loss())
    with pytest.raises(ConfigError, match="cannot mark"):
        store.fail_run(run, "late")


def test_status_transitions(store: RunStore) -> None:
    run = store.start_run("test")
    store.interrupt_run(run, "ctrl-c after 3 of 8")
    rec = store.get_run(run)
    assert rec.status == "interrupted" and rec.error == "ctrl-c after 3 of 8"
    store.resume_run(run)
    assert store.get_run(run).attempts == 2
    store.fail_run(run, "ValueError: boom")
    assert store.get_run(run).status == "failed"


def test_unknown_ids_name_the_closest(store: RunStore) -> None:
    run = store.start_run("test", run_id="ensemble-20250101-120000-abcdef")
    store.start_run("test", run_id="plan-20250101-130000-123456")
    with pytest.raises(UnknownIdError, match=r"Closest: ensemble-20250101-120000-abcdef"):
        store.get_run("ensemble-20250101-120000-abcdeX")
    with pytest.raises(UnknownIdError, match="hinterland runs list"):
        store.read_table("nothing-like-it", "t")
    assert store.resolve("ens") == run  # unique prefix
    assert store.resolve("latest") == "plan-20250101-130000-123456"
    store.put_table(run, "loss", _loss())
    with pytest.raises(UnknownIdError, match="Did you mean loss"):
        store.read_table(run, "lost")


def test_not_a_store(tmp_path: Path) -> None:
    text = tmp_path / "notes.duckdb"
    text.write_text("hello", encoding="utf-8")
    with pytest.raises(DataFileError, match="not a hinterland run store"):
        RunStore(text)
    import duckdb

    other = tmp_path / "other.duckdb"
    con = duckdb.connect(str(other))
    con.execute("CREATE TABLE x (a INT)")
    con.close()
    with pytest.raises(DataFileError, match="not a hinterland run store"):
        RunStore(other)
    with pytest.raises(DataFileError, match="no run store"):
        RunStore(tmp_path / "missing.duckdb", create=False)


def test_diff_runs(store: RunStore) -> None:
    a = store.start_run("test", {"draws": 8, "budgets": {"network": 2000}}, seed=1)
    b = store.start_run("test", {"draws": 8, "budgets": {"network": 3000}, "extra": True}, seed=2)
    df = _loss()
    df2 = df.copy()
    df2.loc[110000, "loss"] = 1.8  # one numeric cell differs by 0.3
    store.put_table(a, "loss", df)
    store.put_table(b, "loss", df2)
    store.put_table(a, "only_a", df)
    d = store.diff_runs(a, b)
    assert {c.key for c in d.config} == {"budgets.network", "extra"}
    change = next(c for c in d.config if c.key == "budgets.network")
    assert (change.a, change.b) == (2000, 3000)
    assert next(c for c in d.config if c.key == "extra").a == "<missing>"
    assert any(f.key == "seed" for f in d.fields)
    row = d.tables.loc["loss"]
    assert row["cells_different"] == 1 and row["max_abs_diff"] == pytest.approx(0.3)
    assert row["max_rel_diff"] == pytest.approx(0.3 / 1.8)
    assert bool(d.tables.loc["only_a", "in_a"]) and not bool(d.tables.loc["only_a", "in_b"])
    assert not d.identical
    c = store.start_run("test", {"draws": 8, "budgets": {"network": 2000}}, seed=1)
    store.put_table(c, "loss", df)
    store.put_table(c, "only_a", df)
    assert store.diff_runs(a, c).identical


def test_concurrent_reader_process(store: RunStore) -> None:
    """Another process reads in a loop while this one writes: no error, nothing lost."""
    run = store.start_run("test")
    code = (
        "import sys, time\n"
        "from hinterland.plan import RunStore\n"
        "s = RunStore(sys.argv[1], create=False)\n"
        "n = 0\n"
        "t = time.time()\n"
        "while time.time() - t < 4:\n"
        "    n = len(s.checkpoints(sys.argv[2]))\n"
        "    s.list_runs()\n"
        "    if n >= 10: break\n"
        "print(n)\n"
    )
    reader = subprocess.Popen(
        [sys.executable, "-c", code, str(store.path), run], stdout=subprocess.PIPE, text=True
    )
    for i in range(10):
        store.checkpoint(run, f"k{i}", _loss())
    out, _ = reader.communicate(timeout=60)
    assert reader.returncode == 0
    assert int(out.strip()) <= 10
    assert store.checkpoints(run) == {f"k{i}" for i in range(10)}


def test_cli_list_show_diff(store: RunStore) -> None:
    a = store.start_run("test", {"draws": 8}, seed=1)
    store.put_table(a, "loss", _loss())
    store.finish_run(a, {"ensemble": 1.25})
    b = store.start_run("test", {"draws": 16}, seed=1)
    store.put_table(b, "loss", _loss())
    runner = CliRunner()
    res = runner.invoke(_app.app, ["runs", "list", "--store", str(store.path)])
    assert res.exit_code == 0, res.output
    assert a in res.output and "finished" in res.output and "running" in res.output
    res = runner.invoke(_app.app, ["runs", "show", "latest", "--store", str(store.path)])
    assert res.exit_code == 0 and b in res.output and "loss" in res.output
    res = runner.invoke(_app.app, ["runs", "diff", a, b, "--store", str(store.path)])
    assert res.exit_code == 0 and "draws" in res.output and "runs differ" in res.output


def test_cli_errors_are_clean(tmp_path: Path, store: RunStore, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        _app.main(["runs", "show", "nope", "--store", str(tmp_path / "x.duckdb")])
    assert exc.value.code == 2
    assert "no run store" in capsys.readouterr().err
    store.start_run("test", run_id="plan-1")
    with pytest.raises(SystemExit):
        _app.main(["runs", "show", "plan-2", "--store", str(store.path)])
    err = capsys.readouterr().err
    assert "unknown run id 'plan-2'" in err and "plan-1" in err and "Traceback" not in err

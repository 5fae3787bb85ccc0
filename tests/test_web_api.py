"""REST API: data layers, scenario validation, jobs (run, progress, cancel, downloads), security."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from hinterland.cli import main
from hinterland.datasets import load_china
from hinterland.errors import ConfigError
from hinterland.plan import RunStore
from hinterland.web import JOB_KINDS, Settings, check_bind, create_app, is_loopback
from test_web_support import FAILING, QUICK, SLOW, wait_for

TOKEN = "s3cret-token-for-tests-0123"
VALID = """name: sichuan-quake
title: Earthquake in Sichuan
description: All sectors lose 30 % of capacity for 30 days.
horizon_days: 120
shocks:
  - {kind: capacity, regions: [510000], sectors: all, share: 0.3, start: 1, duration: 30, recovery_days: 60}
"""


def _client(settings: Settings) -> TestClient:
    return TestClient(create_app(settings), base_url="http://127.0.0.1")


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("ws")


@pytest.fixture(scope="module")
def client(ws: Path) -> Iterator[TestClient]:
    settings = Settings(workspace=ws, max_workers=2, runners={"network": SLOW, "reserves": FAILING})
    with _client(settings) as c:
        yield c


def _done(c: TestClient, job_id: str) -> dict:
    return wait_for(
        lambda: (j := c.get(f"/api/jobs/{job_id}").json())["state"] in ("done", "failed", "cancelled") and j,
        what=f"job {job_id}",
    )


# -- data ------------------------------------------------------------------------------------------
def test_regions_and_lookup(client: TestClient) -> None:
    regions = client.get("/api/regions").json()["regions"]
    assert len(regions) == 31
    sichuan = next(r for r in regions if r["id"] == 510000)
    assert (sichuan["name_zh"], sichuan["name_en"]) == ("四川省", "Sichuan")
    assert client.get("/api/regions/四川").json()["id"] == 510000
    r = client.get("/api/regions/Sichuaan")
    assert r.status_code == 404 and "Sichuaan" in r.json()["detail"] and "Sichuan" in r.json()["detail"]


def test_indicator_layer_matches_panel(client: TestClient) -> None:
    ds = load_china()
    year = ds.panel.years("gdp")[-2]
    body = client.get(f"/api/layers/indicator/gdp?year={year}").json()
    assert body["year"] == year and len(body["values"]) == 31
    got = {v["region"]: v["value"] for v in body["values"]}
    assert got[510000] == pytest.approx(float(ds.panel.series("gdp", year)[510000]))
    assert body["layer"]["label_zh"] == "地区生产总值"
    r = client.get("/api/layers/indicator/gdpp")
    assert r.status_code == 404 and "'gdpp'" in r.json()["detail"] and "gdp" in r.json()["detail"]
    r = client.get("/api/layers/indicator/gdp?year=1950")
    assert r.status_code == 404 and "1950" in r.json()["detail"]
    assert client.get("/api/layers/indicator/gdp?year=abc").status_code == 422
    assert client.get("/api/layers/indicator/gdp?year=3000").status_code == 422


def test_score_layers_come_from_the_startup_evaluation(client: TestClient) -> None:
    wait_for(lambda: client.get("/api/layers").json()["scores_state"] == "done", what="score layers")
    ids = {lay["id"] for lay in client.get("/api/layers").json()["layers"] if lay["group"] == "score"}
    assert {"score", "rank", "resilience"} <= ids
    rank = {v["region"]: v["value"] for v in client.get("/api/layers/score/rank").json()["values"]}
    score = {v["region"]: v["value"] for v in client.get("/api/layers/score/score").json()["values"]}
    assert sorted(rank.values()) == list(range(1, 32))
    best = min(rank, key=lambda r: rank[r])
    assert score[best] == max(score.values())
    r = client.get("/api/layers/score/nonsense")
    assert r.status_code == 404 and "nonsense" in r.json()["detail"]
    # the evaluation ran as a background job, listed with its outputs
    scores_job = next(j for j in client.get("/api/jobs").json()["jobs"] if j["kind"] == "scores")
    assert scores_job["state"] == "done"


def test_geometry(client: TestClient) -> None:
    geo = client.get("/api/geometry").json()
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == 31
    lons = [pt[0] for f in geo["features"] for poly in f["geometry"]["coordinates"] for pt in poly[0]]
    assert 73 < min(lons) < 74 and 134 < max(lons) < 135.2
    assert client.get("/api/geometry?tolerance=2").status_code == 422


# -- scenarios -------------------------------------------------------------------------------------
def test_scenario_library(client: TestClient) -> None:
    body = client.get("/api/scenarios").json()
    assert body["available"]
    names = {s["name"] for s in body["scenarios"]}
    assert "coastal-blockade" in names
    text = client.get("/api/scenarios/coastal-blockade").text
    assert "name: coastal-blockade" in text
    r = client.get("/api/scenarios/atlantis")
    assert r.status_code == 404 and "atlantis" in r.json()["detail"]


def test_validate_reports_key_paths(client: TestClient) -> None:
    ok = client.post("/api/scenarios/validate", json={"yaml": VALID}).json()
    assert ok["valid"], ok["errors"]
    bad = client.post(
        "/api/scenarios/validate", json={"yaml": VALID.replace("share: 0.3", "share: 1.3")}
    ).json()
    assert not bad["valid"] and bad["checks"] == ["yaml", "economy"]
    (err,) = bad["errors"]
    assert err["path"] == "shocks[0].share" and err["line"] == 6 and "1.3" in err["message"]
    dup = client.post("/api/scenarios/validate", json={"yaml": VALID + "title: again\n"}).json()
    assert [(e["path"], e["line"]) for e in dup["errors"]] == [("title", 7)]
    syntax = client.post("/api/scenarios/validate", json={"yaml": "name: [unclosed\nshocks: 1\n"}).json()
    assert not syntax["valid"] and syntax["errors"][0]["line"] == 2
    missing = client.post(
        "/api/scenarios/validate", json={"yaml": VALID.replace("description:", "# ")}
    ).json()
    assert missing["errors"][0]["path"] == "description"
    both = VALID.replace("share: 0.3", "share: 1.3").replace("horizon_days: 120", "horizon_days: -5")
    two = client.post("/api/scenarios/validate", json={"yaml": both}).json()
    assert sorted(e["path"] for e in two["errors"]) == ["horizon_days", "shocks[0].share"]  # all at once
    assert (
        "mapping"
        in client.post("/api/scenarios/validate", json={"yaml": "- a\n"}).json()["errors"][0]["message"]
    )


def test_validate_limits_and_types(client: TestClient) -> None:
    big = "a: " + "x" * 70_000
    r = client.post("/api/scenarios/validate", json={"yaml": big})
    assert r.status_code == 413
    r = client.post("/api/scenarios/validate", json={"yaml": "x" * 300_000})  # over the body limit
    assert r.status_code == 413
    r = client.post("/api/scenarios/validate", content=(b"x" * 4096 for _ in range(80)))  # chunked
    assert r.status_code == 413
    assert client.post("/api/scenarios/validate", json={"yaml": 3}).status_code == 422
    assert client.post("/api/scenarios/validate", json={"yaml": "a: 1", "x": 1}).status_code == 422


# -- jobs ------------------------------------------------------------------------------------------
def test_job_requests_are_validated(client: TestClient) -> None:
    r = client.post("/api/jobs", json={"kind": "astrology"})
    assert r.status_code == 422 and "evaluate" in json.dumps(r.json())
    r = client.post("/api/jobs", json={"kind": "evaluate", "options": {"draws": 5}})
    assert r.status_code == 422 and "draws" in json.dumps(r.json())
    r = client.post("/api/jobs", json={"kind": "evaluate", "options": {"weights": "user:/etc/passwd"}})
    assert r.status_code == 422
    r = client.post("/api/jobs", json={"kind": "evaluate", "options": {"colour": "red"}})
    assert r.status_code == 422 and "colour" in json.dumps(r.json())
    r = client.post("/api/jobs", json={"kind": "network", "options": {"mode": "ship"}})
    assert r.status_code == 422 and "rail" in json.dumps(r.json())


def test_every_job_kind_is_available_and_checks_its_options(client: TestClient) -> None:
    health = client.get("/api/health").json()
    assert health["kinds"] == dict.fromkeys(JOB_KINDS, True)
    assert health["scenario_library"] and health["store_available"]
    # option names are checked against the report function's signature before anything runs
    r = client.post("/api/jobs", json={"kind": "plan", "options": {"options": {"colour": 1}}})
    assert r.status_code == 422 and "colour" in r.json()["detail"] and "backend" in r.json()["detail"]
    r = client.post("/api/jobs", json={"kind": "plan", "options": {"options": {"config": "x.yaml"}}})
    assert r.status_code == 422 and "file path" in r.json()["detail"]
    r = client.post("/api/jobs", json={"kind": "shock", "options": {"scenario": "tsunami"}})
    assert r.status_code == 404 and "coastal-blockade" in r.json()["detail"]
    r = client.post("/api/jobs", json={"kind": "backup", "options": {"config_yaml": "budget: 1\n"}})
    assert r.status_code == 422 and "takes no 'config' parameter" in r.json()["detail"]
    r = client.post("/api/jobs", json={"kind": "plan", "options": {"config_yaml": "x" * 70_000}})
    assert r.status_code == 413 and "config_yaml" in r.json()["detail"]


def test_settings_runner_that_cannot_be_imported_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"runner 'nowhere:run' for job kind 'evaluate' cannot be imported"):
        create_app(Settings(workspace=tmp_path, runners={"evaluate": "nowhere:run"}))


def test_evaluate_job_runs_in_background_and_downloads(client: TestClient) -> None:
    r = client.post(
        "/api/jobs", json={"kind": "evaluate", "options": {"draws": 50, "permutations": 19, "figures": False}}
    )
    assert r.status_code == 201
    job = _done(client, r.json()["id"])
    assert job["state"] == "done" and job["fraction"] == 1.0, job
    files = {f["path"]: f for f in client.get(f"/api/jobs/{job['id']}/outputs").json()["files"]}
    assert {"scores.csv", "evaluation.xlsx", "run.json"} <= set(files)
    got = client.get(files["scores.csv"]["url"])
    assert got.status_code == 200 and got.text.startswith("region,name_en")
    assert len(got.content) == files["scores.csv"]["size"]


def test_network_reserves_and_backup_jobs_run_their_studies(tmp_path: Path) -> None:
    """The built-in runners of these kinds (the module's client replaces network and reserves with test
    runners): each runs its plan study and writes it, small options."""
    requests = {
        "network": {"level": "province", "draws": 2},
        "reserves": {"commodity": "medical"},
        "backup": {"options": {"draws": 3, "n_out": 20, "loop": False}},
    }
    expected = {
        "network": {"criticality_links.csv", "min_cut.csv", "summary.json", "map_criticality.png"},
        "reserves": {"sites.csv", "assignment.csv", "reserves.xlsx", "summary.json"},
        "backup": {"allocation.csv", "backup.xlsx", "summary.json", "backup_bases.png"},
    }
    with _client(Settings(workspace=tmp_path, warm_scores=False, max_workers=3)) as c:
        ids = {}
        for kind, options in requests.items():
            r = c.post("/api/jobs", json={"kind": kind, "options": options})
            assert r.status_code == 201, r.json()
            ids[kind] = r.json()["id"]
        for kind, job_id in ids.items():
            job = wait_for(
                lambda job_id=job_id: (
                    (j := c.get(f"/api/jobs/{job_id}").json())["state"] in ("done", "failed") and j
                ),
                timeout=300,
                what=f"{kind} job",
            )
            assert job["state"] == "done", (kind, job["error"])
            assert all(job["options"].get(k) == v for k, v in requests[kind].items()), job["options"]
            paths = {f["path"] for f in c.get(f"/api/jobs/{job_id}/outputs").json()["files"]}
            assert expected[kind] <= paths, (kind, sorted(paths))


def test_progress_cancel_keeps_outputs(client: TestClient, ws: Path) -> None:
    job_id = client.post("/api/jobs", json={"kind": "network"}).json()["id"]
    wait_for(lambda: client.get(f"/api/jobs/{job_id}").json()["stage"].startswith("step"), what="progress")
    info = client.get(f"/api/jobs/{job_id}").json()
    assert info["state"] == "running" and 0 < info["fraction"] < 1
    r = client.delete(f"/api/jobs/{job_id}")
    assert r.status_code == 200 and r.json()["state"] == "cancelled"
    assert client.get(f"/api/jobs/{job_id}").json()["state"] == "cancelled"
    paths = {f["path"] for f in client.get(f"/api/jobs/{job_id}/outputs").json()["files"]}
    assert paths == {"first.csv", "sub/part.txt"}  # written before the cancel, kept; final.csv never came
    assert client.get(f"/api/jobs/{job_id}/outputs/sub/part.txt").text == "partial output\n"
    r = client.delete(f"/api/jobs/{job_id}")
    assert r.status_code == 409 and "cancelled" in r.json()["detail"]


def test_released_job_finishes_and_failed_job_reports_error(client: TestClient, ws: Path) -> None:
    job_id = client.post("/api/jobs", json={"kind": "network"}).json()["id"]
    wait_for(lambda: client.get(f"/api/jobs/{job_id}").json()["state"] == "running", what="start")
    (ws / "jobs" / job_id / "release").write_text("", encoding="utf-8")
    assert _done(client, job_id)["state"] == "done"
    failed = _done(client, client.post("/api/jobs", json={"kind": "reserves"}).json()["id"])
    assert failed["state"] == "failed" and "'moon'" in failed["error"]


def test_unknown_jobs_and_path_traversal(client: TestClient, ws: Path) -> None:
    r = client.get("/api/jobs/0123456789ab")
    assert r.status_code == 404 and "0123456789ab" in r.json()["detail"]
    r = client.get("/api/jobs/../../etc")
    assert r.status_code == 404
    r = client.delete("/api/jobs/nothex")
    assert r.status_code == 404 and "nothex" in r.json()["detail"]
    job_id = client.post("/api/jobs", json={"kind": "network"}).json()["id"]
    wait_for(lambda: (ws / "jobs" / job_id / "out" / "first.csv").exists(), what="first file")
    (ws / "jobs" / job_id / "release").write_text("", encoding="utf-8")
    _done(client, job_id)
    secret = ws / "secret.txt"
    secret.write_text("do not serve", encoding="utf-8")
    (ws / "jobs" / job_id / "out" / "link.txt").symlink_to(secret)
    base = f"/api/jobs/{job_id}/outputs/"
    for bad in (
        "../job.json",
        "..%2Fjob.json",
        "%2e%2e/%2e%2e/secret.txt",
        "sub/../../log.txt",
        "/etc/passwd",
        "%2Fetc%2Fpasswd",
        "link.txt",
        "..\\job.json",
        "sub",
        "",
        "nothere.csv",
    ):
        r = client.get(base + bad)
        assert r.status_code == 404, (bad, r.status_code)
        assert "do not serve" not in r.text
    listed = {f["path"] for f in client.get(f"/api/jobs/{job_id}/outputs").json()["files"]}
    assert "link.txt" not in listed and "final.csv" in listed


def test_jobs_survive_a_restart(tmp_path: Path) -> None:
    """Jobs of an earlier session are listed again with their outputs; a job that was running when its
    server stopped (job.json says running, no result.json) shows as failed, interrupted."""
    with _client(Settings(workspace=tmp_path, warm_scores=False, runners={"evaluate": QUICK})) as c:
        job_id = c.post("/api/jobs", json={"kind": "evaluate"}).json()["id"]
        assert _done(c, job_id)["state"] == "done"
    lost = tmp_path / "jobs" / "0123456789ab"
    (lost / "out").mkdir(parents=True)
    meta = {"id": "0123456789ab", "kind": "network", "state": "running", "options": {}, "created": 1.0}
    (lost / "job.json").write_text(json.dumps(meta), encoding="utf-8")
    with _client(Settings(workspace=tmp_path, warm_scores=False)) as again:
        job = again.get(f"/api/jobs/{job_id}").json()
        assert (job["state"], job["kind"], job["fraction"]) == ("done", "evaluate", 1.0)
        assert again.get(f"/api/jobs/{job_id}/outputs/result.csv").text == "region,value\n510000,1\n"
        interrupted = again.get("/api/jobs/0123456789ab").json()
        assert interrupted["state"] == "failed" and "interrupted" in interrupted["error"]
        assert [j["id"] for j in again.get("/api/jobs").json()["jobs"]] == [job_id, "0123456789ab"]


# -- runs (result store) ---------------------------------------------------------------------------
def test_runs_with_a_broken_store_answer_503(tmp_path: Path) -> None:
    settings = Settings(workspace=tmp_path, warm_scores=False)
    settings.store_path.write_text("not a DuckDB file\n", encoding="utf-8")
    with _client(settings) as c:
        assert c.get("/api/health").json()["store_available"]  # not opened yet
        r = c.get("/api/runs")
        assert r.status_code == 503 and "store not available" in r.json()["detail"]
        assert "not a hinterland run store" in r.json()["detail"]
        assert c.get("/api/runs/abc").status_code == 503
        assert c.get("/api/runs/bad id!").status_code == 404  # checked before the store is opened
        assert not c.get("/api/health").json()["store_available"]


def test_runs_list_show_diff_table(tmp_path: Path) -> None:
    import pandas as pd

    settings = Settings(workspace=tmp_path, warm_scores=False)
    store = RunStore(settings.store_path)
    ids = []
    for seed, value in ((1, 1.0), (2, 1.5)):
        rid = store.start_run("plan", {"budget": value}, seed=seed)
        store.put_table(
            rid, "loss", pd.DataFrame({"loss": [value, 2.0]}, index=pd.Index([1, 2], name="scenario"))
        )
        store.finish_run(rid)
        ids.append(rid)
    with _client(settings) as c:
        runs = c.get("/api/runs").json()["runs"]
        assert [r["run_id"] for r in runs] == ids and runs[0]["seed"] == 1
        run = c.get(f"/api/runs/{ids[0]}").json()["run"]
        assert run["config"] == {"budget": 1.0} and run["tables"] == ["loss"]
        table = c.get(f"/api/runs/{ids[1]}/tables/loss").json()
        assert table["columns"] == ["scenario", "loss"] and table["rows"] == [[1, 1.5], [2, 2.0]]
        diff = c.get(f"/api/runs/diff?a={ids[0]}&b={ids[1]}").json()["diff"]
        assert diff["config"] == [{"key": "budget", "a": 1.0, "b": 1.5}]
        r = c.get("/api/runs/plan-nothere")
        assert r.status_code == 404 and "plan-nothere" in r.json()["detail"]
        assert c.get(f"/api/runs/{ids[0]}/tables/nothere").status_code == 404
        assert c.get("/api/runs/diff?a=x").status_code == 422


# -- security --------------------------------------------------------------------------------------
def test_token_required_on_every_api_request(tmp_path: Path) -> None:
    with _client(Settings(workspace=tmp_path, token=TOKEN, warm_scores=False)) as c:
        for path in ("/api/health", "/api/regions", "/api/jobs", "/api/geometry"):
            r = c.get(path)
            assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
        assert (
            c.get("/api/regions", headers={"Authorization": "Bearer wrong-token-000000000"}).status_code
            == 401
        )
        assert c.get("/api/regions", headers={"Authorization": f"Basic {TOKEN}"}).status_code == 401
        assert c.post("/api/jobs", json={"kind": "evaluate"}).status_code == 401
        ok = c.get("/api/regions", headers={"Authorization": f"Bearer {TOKEN}"})
        assert ok.status_code == 200 and len(ok.json()["regions"]) == 31
        assert c.get("/").status_code == 200  # the page shell holds no data; it asks for the token


def test_bind_rules() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")
    check_bind("127.0.0.1", None)
    check_bind("0.0.0.0", TOKEN)
    with pytest.raises(ConfigError, match=r"refusing to listen on '0\.0\.0\.0' without a token"):
        check_bind("0.0.0.0", None)
    with pytest.raises(ConfigError, match="at least 16"):
        check_bind("127.0.0.1", "short")
    with pytest.raises(ConfigError):
        Settings(host="10.0.0.1")


def test_cli_refuses_public_bind_without_token(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["serve", "--host", "0.0.0.0", "--port", "9"])
    assert exc.value.code == 2
    assert "without a token" in capsys.readouterr().err


def test_foreign_host_header_and_headers(client: TestClient) -> None:
    assert client.get("/api/health", headers={"Host": "evil.example"}).status_code == 400
    page = client.get("/")
    assert page.status_code == 200 and "default-src 'self'" in page.headers["content-security-policy"]
    assert "国家战略腹地" in page.text
    spec = client.get("/openapi.json").json()
    assert {"/api/jobs", "/api/jobs/{job_id}", "/api/scenarios/validate", "/api/runs/diff"} <= set(
        spec["paths"]
    )
    assert client.get("/docs").status_code == 200


@pytest.mark.slow
def test_shock_job_from_posted_yaml(client: TestClient) -> None:
    r = client.post("/api/jobs", json={"kind": "shock", "options": {"scenario_yaml": VALID}})
    assert r.status_code == 201, r.json()
    job = wait_for(
        lambda: (j := client.get(f"/api/jobs/{r.json()['id']}").json())["state"] in ("done", "failed") and j,
        timeout=300,
    )
    assert job["state"] == "done", job["error"]
    paths = {f["path"] for f in client.get(f"/api/jobs/{job['id']}/outputs").json()["files"]}
    assert {"summary.csv", "loss_by_region.csv"} <= paths
    r = client.post("/api/jobs", json={"kind": "shock", "options": {"scenario": "atlantis"}})
    assert r.status_code == 404 and "atlantis" in r.json()["detail"]
    r = client.post("/api/jobs", json={"kind": "shock", "options": {}})
    assert r.status_code == 422 and "exactly one" in r.json()["detail"]


PLAN_YAML = """\
name: web-small
scenarios: [{name: corridor-cut}]
ensemble: {draws: 2}
assessment: {horizons: {corridor-cut: 90}}
reserves: {commodities: [medical]}
backup: {chains: [integrated_circuits, pharmaceuticals]}
runner: {backend: inprocess}
report: {formats: [html, xlsx]}
"""


@pytest.mark.slow
def test_plan_job_from_posted_yaml_records_its_run(client: TestClient, ws: Path) -> None:
    r = client.post(
        "/api/jobs", json={"kind": "plan", "options": {"config_yaml": PLAN_YAML, "options": {"pdf": False}}}
    )
    assert r.status_code == 201, r.json()
    job = wait_for(
        lambda: (j := client.get(f"/api/jobs/{r.json()['id']}").json())["state"] in ("done", "failed") and j,
        timeout=600,
        what="plan job",
    )
    assert job["state"] == "done", job["error"]
    paths = {f["path"] for f in client.get(f"/api/jobs/{job['id']}/outputs").json()["files"]}
    assert {
        "plan_report_en.html",
        "plan_report_zh.html",
        "5_assessment/scenarios.csv",
        "5_assessment/portfolio.csv",
    } <= paths
    runs = client.get("/api/runs").json()["runs"]
    plan_runs = [run for run in runs if run.get("kind") == "plan"]
    assert len(plan_runs) == 1 and plan_runs[0]["status"] == "finished"

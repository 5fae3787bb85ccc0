"""Bounded load test on loopback: 200 API requests from 8 threads while a real job runs in the background.

No timed assertions: every response must be correct and the job must still finish; latency
statistics are printed (run with ``-s`` to see them).
"""

from __future__ import annotations

import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from hinterland.web import Settings
from test_web_support import live_server, wait_for

N_REQUESTS = 200


def test_api_stays_responsive_while_a_job_runs(tmp_path: Path) -> None:
    with (
        live_server(Settings(workspace=tmp_path, warm_scores=False)) as url,
        httpx.Client(base_url=url, timeout=60) as c,
    ):
        job = c.post(
            "/api/jobs",
            json={"kind": "evaluate", "options": {"draws": 2000, "permutations": 499, "figures": False}},
        ).json()
        wait_for(lambda: c.get(f"/api/jobs/{job['id']}").json()["state"] != "queued", what="job start")
        checks = {
            "/api/health": lambda b: b["status"] == "ok",
            "/api/regions": lambda b: len(b["regions"]) == 31,
            "/api/layers/indicator/population": lambda b: len(b["values"]) == 31,
            f"/api/jobs/{job['id']}": lambda b: b["id"] == job["id"] and 0 <= b["fraction"] <= 1,
            "/api/jobs": lambda b: any(j["id"] == job["id"] for j in b["jobs"]),
            "/api/regions/四川": lambda b: b["id"] == 510000,
        }
        paths = list(checks)

        def one(i: int) -> tuple[str, int, bool, float, str]:
            path = paths[i % len(paths)]
            t0 = time.perf_counter()
            r = c.get(path)  # one client (a thread-safe connection pool) shared by the threads
            dt = time.perf_counter() - t0
            state = r.json()["state"] if path.startswith("/api/jobs/") else ""
            return path, r.status_code, r.status_code == 200 and bool(checks[path](r.json())), dt, state

        with ThreadPoolExecutor(8) as pool:
            results = list(pool.map(one, range(N_REQUESTS)))
        final = wait_for(
            lambda: (
                (j := c.get(f"/api/jobs/{job['id']}").json())["state"] in ("done", "failed", "cancelled")
                and j
            ),
            timeout=300,
            what="the background job",
        )
    bad = [(p, s) for p, s, ok, _, _ in results if not ok]
    assert not bad, bad[:5]
    assert final["state"] == "done", final
    states = {s for *_, s in results if s}
    lat = sorted(dt * 1000 for *_, dt, _ in results)
    p50 = statistics.median(lat)
    p95 = lat[int(0.95 * (len(lat) - 1))]
    print(
        f"\n{N_REQUESTS} requests, 8 threads, job states seen {sorted(states)}: "
        f"latency p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {lat[-1]:.1f} ms"
    )
    assert "running" in states  # the requests really overlapped the run

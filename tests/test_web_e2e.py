"""The dashboard driven in headless Chromium (Debian's /usr/bin/chromium) with Playwright.

Set ``HINTERLAND_SCREENSHOTS=1`` to write the screenshots into docs/img/ (otherwise into tmp).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hinterland.web import Settings
from test_web_support import SLOW, live_server

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]
DOCS_IMG = Path(__file__).resolve().parents[1] / "docs" / "img"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    ws = tmp_path_factory.mktemp("e2e")
    settings = Settings(workspace=ws, max_workers=2, runners={"network": SLOW})
    _plan_run(settings.store_path)
    with live_server(settings) as url:
        yield url


def _plan_run(store: Path) -> None:
    """A finished plan run with the assessment tables a real plan stores (values made up, shapes real)."""
    import pandas as pd

    from hinterland.plan import RunStore

    rs = RunStore(store)
    rid = rs.start_run("plan", {"name": "e2e"}, 1, {})
    rs.put_table(rid, "assessment_portfolio", pd.DataFrame(
        {"expected_annual_benefit": [-0.1, 277.5], "annual_cost": [1996.9, 109.2], "net_benefit": [-1997.0, 168.3],
         "net_benefit_p05": [-1997.4, -19.6], "net_benefit_p95": [-1996.5, 339.5], "pays": [False, True]},
        index=pd.Index(["proposed", "recommended"], name="arm")))  # fmt: skip
    rs.put_table(rid, "assessment_scenarios", pd.DataFrame(
        {"arm": ["proposed", "recommended"], "scenario": ["import-embargo", "import-embargo"],
         "probability": [0.05, 0.05], "avoided_mean": [0.0, 5550.3], "avoided_p05": [0.0, 1792.6],
         "avoided_p95": [0.2, 8974.3], "prob_hurts": [0.0, 0.0]}).set_index(["arm", "scenario"]))  # fmt: skip
    rs.put_table(rid, "assessment_levers", pd.DataFrame(
        {"name": ["仪器仪表 · Henan"], "expected_annual_benefit": [282.7], "annual_cost": [109.2], "pays": [True]},
        index=pd.Index(["backup:instruments@410000"], name="lever")))  # fmt: skip
    rs.finish_run(rid, {"assessment": 1.0})


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1440, "height": 960}, device_scale_factor=1, bypass_csp=True)
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.goto(server + "/")
    pg.wait_for_selector("body[data-ready='1']", timeout=60_000)
    yield pg
    ctx.close()
    assert not errors, errors


def _shot(page: Any, name: str, tmp_path: Path) -> None:
    folder = DOCS_IMG if os.environ.get("HINTERLAND_SCREENSHOTS") == "1" else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name), full_page=True)


def test_map_layers_hover_and_language(page: Any, tmp_path: Path) -> None:
    assert page.locator("#map path").count() == 31
    page.wait_for_function("document.querySelector('#layer').value === 'score:score'", timeout=60_000)
    page.wait_for_function("document.querySelector('#map').dataset.layer === 'score'")
    fills = page.eval_on_selector_all("#map path", "ps => new Set(ps.map(p => p.getAttribute('fill'))).size")
    assert fills >= 5  # a real choropleth, not one colour
    page.select_option("#layer", "indicator:gdp")
    page.wait_for_function("document.querySelector('#map').dataset.layer === 'gdp'")
    assert page.locator("#year option").count() > 5
    page.locator("#map path[data-region='510000']").hover()
    tip = page.inner_text("#tooltip")
    assert "四川" in tip and "Sichuan" in tip and "地区生产总值" in tip
    assert "地区生产总值" in page.inner_text("#legend")
    _shot(page, "dashboard.png", tmp_path)
    page.click("#lang")
    assert page.inner_text("h1") == "Strategic Hinterland Decision Support"
    page.locator("#map path[data-region='510000']").hover()
    assert "Gross regional product" in page.inner_text("#tooltip") or "GDP" in page.inner_text("#tooltip")
    _shot(page, "dashboard_en.png", tmp_path)


def test_scenario_editor_shows_key_paths(page: Any, tmp_path: Path) -> None:
    page.click("#validate")
    page.wait_for_function("document.querySelector('#valstatus').textContent.length > 0")
    assert page.get_attribute("#valstatus", "data-valid") == "true"
    text = page.input_value("#scenario").replace("share: 0.3", "share: 1.3") + "title: twice\n"
    page.fill("#scenario", text)
    page.click("#validate")
    page.wait_for_selector("#valerrors li")
    errors = page.inner_text("#valerrors")
    assert "title" in errors and "duplicate key" in errors
    page.fill("#scenario", text.replace("title: twice\n", ""))
    page.click("#validate")
    page.wait_for_function("document.querySelector('#valerrors').textContent.includes('shocks[0].share')")
    _shot(page, "dashboard_scenario.png", tmp_path)


def test_job_progress_cancel_and_downloads(page: Any, server: str, tmp_path: Path) -> None:
    page.select_option("#kind", "network")  # slow test runner: runs until cancelled
    page.click("#runjob")
    page.wait_for_selector("#joblist li[data-state='running'] button.cancel", timeout=60_000)
    page.wait_for_function(
        "[...document.querySelectorAll('#joblist li .stage')].some(e => e.textContent.includes('step'))"
    )
    _shot(page, "dashboard_jobs.png", tmp_path)
    job = page.get_attribute("#joblist li[data-state='running']", "data-job")
    page.click(f"#joblist li[data-job='{job}'] button.cancel")
    page.wait_for_selector(f"#joblist li[data-job='{job}'][data-state='cancelled']", timeout=30_000)
    page.click(f"#joblist li[data-job='{job}'] button.filesbtn")
    page.wait_for_selector(f"#joblist li[data-job='{job}'] .files a")
    links = page.eval_on_selector_all(
        f"#joblist li[data-job='{job}'] .files a", "as => as.map(a => a.textContent)"
    )
    assert sorted(links) == ["first.csv", "sub/part.txt"]
    with page.expect_download() as dl:
        page.click(f"#joblist li[data-job='{job}'] .files a[data-path='first.csv']")
    assert Path(dl.value.path()).read_text(encoding="utf-8").startswith("step,value")
    # options the server refuses show its message
    page.select_option("#kind", "evaluate")
    page.click("#jobcard summary")
    page.fill("#jobopts", '{"draws": 3}')
    page.click("#runjob")
    page.wait_for_function("document.querySelector('#jobmsg').dataset.status === '422'")
    assert "draws" in page.inner_text("#jobmsg")


def test_runs_panel(page: Any) -> None:
    note = page.inner_text("#runsnote")
    rows = page.locator("#runs tbody tr").count()
    assert rows > 0 or note  # either runs, "no runs yet", or "store not available"


def test_plan_assessment_panel(page: Any, tmp_path: Path) -> None:
    """A finished plan run shows its net benefit with the band, whether it pays, the avoided loss per
    scenario with its 5–95 % range (table and whisker chart) and each lever."""
    page.click("#refreshruns")
    page.wait_for_selector(".assessbtn")
    page.click(".assessbtn")
    page.wait_for_selector("#assessment svg")
    text = page.inner_text("#assessment")
    assert "168.3" in text and "-19.6" in text and "339.5" in text  # net benefit and its band
    assert "划算" in text and "不划算" in text  # recommended pays, proposed does not
    assert "5,550.3" in text and "1,792.6" in text and "8,974.3" in text
    assert "仪器仪表 · Henan" in text
    _shot(page, "dashboard_assessment.png", tmp_path)

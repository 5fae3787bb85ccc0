"""Economy engine: MRIO container, calc_* (Miller & Blair ch. 2), static models, ARIO properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hinterland.containers import MRIO, industry_index
from hinterland.economy import (
    ARIOEvent,
    ARIOModel,
    ARIOParams,
    aggregate_sectors,
    calc_A,
    calc_A_star,
    calc_B,
    calc_G,
    calc_L,
    calc_multipliers,
    diim,
    diim_recovery_rates,
    ghosh_shock,
    hypothetical_extraction,
    iim_demand,
    leontief_shock,
    mixed_model,
    read_mrio,
    simulate_ario,
    to_pymrio_folder,
    write_mrio,
)
from hinterland.errors import ConfigError, InfeasibleError, ValidationError

# Miller & Blair (2009), Input-Output Analysis, 2nd ed., section 2.3 worked example
MB_Z = np.array([[150.0, 500.0], [200.0, 100.0]])
MB_X = np.array([1000.0, 2000.0])
MB_F = np.array([350.0, 1700.0])


def _toy(m: int = 2, n: int = 2, seed: int = 0) -> MRIO:
    rng = np.random.default_rng(seed)
    idx = industry_index([f"r{k}" for k in range(m)], [f"s{k}" for k in range(n)])
    N = m * n
    Z = rng.uniform(1, 10, (N, N))
    Y = rng.uniform(20, 40, (N, m))
    x = Z.sum(1) + Y.sum(1)
    V = x - Z.sum(0)
    ycols = pd.MultiIndex.from_product([[f"r{k}" for k in range(m)], ["hh"]], names=["region", "category"])
    return MRIO(
        pd.DataFrame(Z, index=idx, columns=idx),
        pd.DataFrame(Y, index=idx, columns=ycols),
        pd.DataFrame([V], index=pd.Index(["va"], name="component"), columns=idx),
        unit="1e6 USD",
        name="toy",
    )


def test_miller_blair_A_L_multipliers() -> None:
    A = calc_A(MB_Z, MB_X)
    np.testing.assert_allclose(A, [[0.15, 0.25], [0.2, 0.05]], rtol=1e-15)
    L = calc_L(A)
    np.testing.assert_allclose(L, np.array([[0.95, 0.25], [0.2, 0.85]]) / 0.7575, rtol=1e-12)
    np.testing.assert_allclose(L.round(4), [[1.2541, 0.3300], [0.2640, 1.1221]])
    mult = calc_multipliers(A, v_coef=np.array([650 / 1000, 1400 / 2000]))
    # M&B print 1.5181 and 1.4521 (column sums of the rounded L); exact: 1.15/0.7575, 1.10/0.7575
    np.testing.assert_allclose(mult["output"], [1.15 / 0.7575, 1.10 / 0.7575], rtol=1e-12)
    np.testing.assert_allclose(leontief_shock(A, MB_F), MB_X, rtol=1e-12)
    # value-added multipliers sum to one: all final demand is paid for by value added
    np.testing.assert_allclose(mult["value_added"], [1.0, 1.0], rtol=1e-12)


def test_ghosh_and_iim_identities() -> None:
    A, B = calc_A(MB_Z, MB_X), calc_B(MB_Z, MB_X)
    np.testing.assert_allclose(calc_A_star(MB_Z, MB_X), MB_Z / MB_X[:, None])  # A* = diag(x)^-1 Z, not A
    G = calc_G(B)
    np.testing.assert_allclose(G, np.diag(1 / MB_X) @ calc_L(A) @ np.diag(MB_X), rtol=1e-12)
    v = MB_X - MB_Z.sum(0)
    np.testing.assert_allclose(ghosh_shock(B, v), MB_X, rtol=1e-12)
    dc = np.array([0.1, 0.0])
    q = iim_demand(calc_A_star(MB_Z, MB_X), dc)
    np.testing.assert_allclose(MB_X * q, leontief_shock(A, dc * MB_X), rtol=1e-12)
    with pytest.raises(ConfigError):
        iim_demand(calc_A_star(MB_Z, MB_X), np.array([1.5, 0.0]))


def test_diim_converges_to_static_and_recovers() -> None:
    As = calc_A_star(MB_Z, MB_X)
    k = diim_recovery_rates(As, np.array([30.0, 60.0]))
    c = np.array([0.05, 0.02])
    res = diim(As, k, np.zeros(2), c, 2000, MB_X)
    np.testing.assert_allclose(res.q[-1], iim_demand(As, c), rtol=1e-9)
    rec = diim(As, k, np.array([0.5, 0.2]), None, 400, MB_X)
    assert rec.q[-1].max() < 1e-6 and rec.loss.sum() > 0


def test_extraction_and_mixed_model() -> None:
    A = calc_A(MB_Z, MB_X)
    xt, loss = hypothetical_extraction(A, MB_F, np.array([True, False]))
    assert xt[0] == pytest.approx(0.0) and loss > 1000
    x, yC = mixed_model(A, MB_F, np.array([True, False]), MB_X)
    np.testing.assert_allclose(x, MB_X, rtol=1e-12)
    np.testing.assert_allclose(yC, [350.0], rtol=1e-12)


def test_container_rejects_bad_tables() -> None:
    mr = _toy()
    Z = mr.Z.copy()
    Z.iloc[0, 1] += 5.0
    with pytest.raises(ValidationError, match=r"\(r0, s0\).*relative residual"):
        MRIO(Z, mr.Y, mr.V)
    Z = mr.Z.copy()
    Z.iloc[0, 0] = -1.0
    with pytest.raises(ValidationError, match="negative"):
        MRIO(Z, mr.Y, mr.V)


def test_aggregation_preserves_totals(tmp_path) -> None:  # type: ignore[no-untyped-def]
    mr = _toy(3, 4)
    agg = aggregate_sectors(mr, {"s0": "a", "s1": "a", "s2": "b", "s3": "b"})
    assert agg.n_sectors == 2
    assert agg.x.sum() == pytest.approx(mr.x.sum(), rel=1e-12)
    assert agg.v.sum() == pytest.approx(mr.v.sum(), rel=1e-12)
    for fmt in ("csv", "parquet"):
        back = read_mrio(write_mrio(mr, tmp_path / fmt, fmt))
        np.testing.assert_allclose(back.Z.to_numpy(), mr.Z.to_numpy(), rtol=1e-15)
    back = read_mrio(to_pymrio_folder(mr, tmp_path / "pm"))
    np.testing.assert_allclose(back.x.to_numpy(), mr.x.to_numpy(), rtol=1e-12)


def test_ario_no_shock_equilibrium_holds() -> None:
    model = ARIOModel.from_mrio(_toy(3, 3), ARIOParams())
    res = simulate_ario(model, [], 3000)
    np.testing.assert_allclose(res.production[-1, 0], model.x0, rtol=1e-12)
    assert np.abs(res.production - model.x0).max() <= 1e-12 * model.x0.max()
    assert np.abs(res.fd_unmet).max() <= 1e-12 * model.x0.max()


def test_ario_mass_balance_and_batch_equals_single() -> None:
    model = ARIOModel.from_mrio(_toy(3, 3, seed=2), ARIOParams())
    imp = np.zeros(model.n)
    imp[4] = 0.4
    ev = ARIOEvent("arbitrary", imp, occurrence=3, duration=5, recovery_tau=20)
    one = simulate_ario(model, [ev], 80)
    assert np.abs(one.balance).max() <= 1e-9 * model.x0.sum()
    assert one.production[10, 0, 4] < model.x0[4] * 0.7
    batch = simulate_ario(model, [ARIOEvent("arbitrary", np.stack([imp, imp / 2]), 3, 5, 20)], 80)
    np.testing.assert_allclose(batch.production[:, 0], one.production[:, 0], rtol=1e-12)
    assert batch.production[:, 1].sum() > batch.production[:, 0].sum()


def test_ario_levers_change_outcomes() -> None:
    model = ARIOModel.from_mrio(_toy(3, 3, seed=3), ARIOParams())
    imp = np.zeros(model.n)
    imp[:3] = 0.5  # region r0 loses half its capacity
    ev = ARIOEvent("arbitrary", imp, occurrence=2, duration=30, recovery_tau=30)
    base = simulate_ario(model, [ev], 120)
    from hinterland.economy import ARIOLevers

    spare = simulate_ario(model, [ev], 120, levers=ARIOLevers(alpha_max=np.full(model.n, 1.6)))
    loss = lambda r: float((r.fd_unmet).sum())  # noqa: E731
    assert loss(spare) < loss(base)
    prio = simulate_ario(model.with_params(rationing="priority"), [ev], 120)
    assert loss(prio) < loss(base)


def test_bad_parameters_and_shocks() -> None:
    with pytest.raises(ConfigError, match="unstable"):
        ARIOParams(inventory_tau=1).validate()
    with pytest.raises(ConfigError, match="psi"):
        ARIOParams(psi=1.5).validate()
    model = ARIOModel.from_mrio(_toy(), ARIOParams())
    imp = np.zeros(model.n)
    imp[0] = 30.0
    with pytest.raises(ConfigError, match=r"\[0, 1\].*percent"):
        simulate_ario(model, [ARIOEvent("arbitrary", imp, 2, 2, 5)], 20)
    imp[0] = model.capital[0] * 2
    with pytest.raises(InfeasibleError, match="exceeds its capital stock"):
        simulate_ario(model, [ARIOEvent("capital", imp, 2, 2, 5)], 20)
    with pytest.raises(ConfigError, match="threads must be ≥ 1"):
        simulate_ario(model, [], 5, threads=0)
    with pytest.raises(ConfigError, match="exceeds the 5 simulated steps"):
        simulate_ario(model, [ARIOEvent("arbitrary", imp * 0, 2, 10, 5)], 5)


@pytest.mark.parametrize("quirks", [False, True])
def test_ario_blocking_does_not_change_results(monkeypatch: pytest.MonkeyPatch, quirks: bool) -> None:
    """The per-step passes run over cache-sized blocks of products × scenarios shared out among
    threads; any blocking and any number of threads give the same trajectories (masks with zeros,
    priority rationing, per-scenario stockpiles, imports; with the quirks, scenarios whose np.allclose
    decisions change are redone)."""
    import hinterland.economy._ario as ario
    from hinterland.economy import ARIOLevers, MaskWindow

    mr = _toy(3, 4, seed=5)
    model = ARIOModel.from_mrio(mr, ARIOParams(boario_quirks=quirks, non_stockable=("s3",)))
    B, N = 3, model.n
    imp = np.zeros((B, N))
    imp[:, 1] = [0.2, 0.5, 1.0]  # 100 %: c = 0 for that supplier
    imp[2, [5, 9]] = 1.0  # scenario 2 loses every supplier of product s1: S diag(c) Z = 0, no orders
    mk = np.ones((B, 3, 3))
    mk[:, 0, 2] = 0.0  # corridor r0 -> r2 closed
    lev = ARIOLevers(
        masks=(MaskWindow(4, 15, mk),),
        inventory_days=np.array([[5.0, 10.0, 30.0, 1.0], [60.0, 3.0, np.inf, 1.0], [30.0] * 4]),
        priority_users=np.arange(N) % 3 == 0,
    )
    evs = [ARIOEvent("arbitrary", imp, 3, 6, 10), ARIOEvent("capital", imp[0] * model.capital / 4, 2, 3, 8)]
    runs = []
    for block, threads in ((1 << 20, 1), (1, 3)):
        monkeypatch.setattr(ario, "_BLOCK", block)
        for rationing in ("proportional", "priority"):
            model_r = model.with_params(rationing=rationing)
            runs.append(simulate_ario(model_r, evs, 60, levers=lev, threads=threads))
    for a, b in ((runs[0], runs[2]), (runs[1], runs[3])):
        np.testing.assert_allclose(b.production, a.production, rtol=1e-12, atol=1e-12 * model.x0.max())
        np.testing.assert_allclose(b.fd_unmet, a.fd_unmet, rtol=1e-12, atol=1e-12 * model.x0.max())
    assert runs[0].production[10, 1, 1] < 0.6 * model.x0[1]
    assert all(np.isfinite(r.production).all() for r in runs)
    assert runs[0].production[7, 2, [1, 5, 9]].max() == 0.0
    assert np.abs(runs[0].balance).max() <= 1e-9 * model.x0.sum()


def test_ario_float32_within_documented_tolerance() -> None:
    """float32 halves memory traffic; trajectories stay within 1e-4 relative of float64."""
    mr = _toy(3, 3, seed=7)
    imp = np.zeros(9)
    imp[2] = 0.4
    ev = ARIOEvent("arbitrary", imp, 2, 10, 30)
    r64 = simulate_ario(ARIOModel.from_mrio(mr, ARIOParams()), [ev], 120)
    r32 = simulate_ario(ARIOModel.from_mrio(mr, ARIOParams(dtype="float32")), [ev], 120)
    assert r32.production.dtype == np.float32
    assert np.max(np.abs(r32.production - r64.production) / r64.production) < 1e-4
    assert r64.production[12, 0, 2] < 0.7 * r64.x0[2]


def test_ario_boario_quirk_skips_negligible_stock_changes() -> None:
    """BoARIO quirk 2: a stock change np.allclose calls negligible is not applied, so a tiny shock
    leaves the inventories exactly as they were; without the quirk they move."""
    mr = _toy(3, 3, seed=4)
    imp = np.zeros(9)
    imp[4] = 1e-9
    ev = ARIOEvent("arbitrary", imp, 2, 5, 10)
    quirk = simulate_ario(ARIOModel.from_mrio(mr, ARIOParams.boario()), [ev], 40, record_inventories=True)
    plain = simulate_ario(ARIOModel.from_mrio(mr, ARIOParams()), [ev], 40, record_inventories=True)
    assert quirk.inventories is not None and plain.inventories is not None
    assert np.array_equal(quirk.inventories[-1], quirk.inventories[0])
    assert not np.array_equal(plain.inventories[-1], plain.inventories[0])
    assert quirk.production[3, 0, 4] < quirk.x0[4]  # the shock itself did happen


def test_thread_count_follows_hinterland_threads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Worker processes of the ensemble runner set their share of the CPUs in HINTERLAND_THREADS."""
    from hinterland.economy._ario import _cpus

    monkeypatch.setenv("HINTERLAND_THREADS", "3")
    assert _cpus() == 3
    monkeypatch.setenv("HINTERLAND_THREADS", "many")  # not a count: the CPUs of the process
    assert _cpus() >= 1
    monkeypatch.delenv("HINTERLAND_THREADS")
    assert _cpus() >= 1


def test_compiled_prestep_equals_the_numpy_expressions() -> None:
    """Steps 2–4 of an ARIO step run compiled (``prestep``); on random inputs with the edge cases
    (zero demand, zero output, no stock limit, x0 = 0, α below 1) they give exactly the numbers of
    the numpy expressions they replaced, written out here."""
    from hinterland.economy._ario_kernel import prestep

    rng = np.random.default_rng(3)
    m, n, B = 3, 4, 5
    N = m * n
    d_int = rng.uniform(0, 10, (B, N))
    d_int[0, :3] = 0.0
    y = rng.uniform(0, 5, (1, N))
    y[0, :2] = 0.0  # D = 0 for (0, 0) and (0, 1)
    reb = np.zeros((1, N))
    x_prev = rng.uniform(0, 12, (B, N))
    alpha = rng.uniform(0.95, 1.2, (B, N))
    amax, atau = np.full((B, N), 1.25), np.full((B, N), 30.0)
    delta = rng.uniform(0, 0.5, (B, N))
    delta[1, 4] = 1.0  # capacity 0 → x^opt = 0
    x0 = rng.uniform(5, 15, N)
    x0[7] = 0.0
    worst = rng.uniform(0, 20, (B, N))
    worst[2] = np.inf  # no constraining input
    c_ord = rng.uniform(0.5, 1, (B, N))
    extra = np.zeros((B, N))
    extra[1, 2:4] = rng.uniform(0, 3, 2)  # dormant backup capacity online (none where Δ = 1)
    extra[3, 5] = 2.0
    for later, alt in ((True, True), (False, False)):
        out = (*(np.empty((B, N)) for _ in range(6)), np.empty((n, 2, B, m)), np.empty(N))
        a_c = alpha.copy()
        prestep(
            later, d_int, y, reb, x_prev, a_c, amax, atau, 1.0, delta, x0, extra, worst, c_ord, alt, n, out
        )
        D = d_int + y + 0.0
        a = alpha
        if later:
            zeta = np.zeros_like(D)
            np.divide(D - x_prev, D, out=zeta, where=D != 0)
            a = a + ((amax - a) * zeta + (1.0 - a) * (zeta == 0)) / atau
            np.maximum(a, 1.0, out=a)
        cap = x0 * (1 - delta) * a + extra
        xopt = np.fmin(D, cap)
        lim = np.full_like(xopt, np.inf)
        np.divide(worst, xopt, out=lim, where=xopt > 0)
        xa = xopt * np.minimum(lim, 1.0)
        rho = np.zeros_like(D)
        np.divide(xa, D, out=rho, where=D != 0)
        c_new = np.ones((B, N))
        if alt:
            np.divide(cap, x0, out=c_new, where=x0 != 0)

        def pm(v: np.ndarray) -> np.ndarray:
            return v.reshape(B, m, n).transpose(2, 0, 1)

        for got, want in zip(out[:6], (D, cap, xopt, xa, rho, c_new), strict=True):
            np.testing.assert_array_equal(got, want)
        np.testing.assert_array_equal(a_c, a)
        np.testing.assert_array_equal(out[6][:, 0], pm(c_ord * rho))
        np.testing.assert_array_equal(out[6][:, 1], pm(c_new))
    assert out[3][1, 4] == 0.0 and out[4][0, 0] == 0.0


@pytest.mark.parametrize(
    ("quirks", "rationing", "fd_first"),
    [(False, "proportional", True), (True, "proportional", True), (False, "priority", True),
     (True, "priority", True), (False, "priority", False)],
)  # fmt: skip
def test_compiled_blocks_equal_the_numpy_blocks(quirks: bool, rationing: str, fd_first: bool) -> None:
    """Steps without masks run every block in one compiled call (``step_group``, BLAS from numba;
    proportional and priority rationing); a mask of ones sends every step through the numpy blocks
    instead: same trajectories."""
    from hinterland.economy import ARIOLevers, MaskWindow

    mr = _toy(3, 4, seed=8)
    params = ARIOParams(boario_quirks=quirks, rationing=rationing, priority_final_demand=fd_first)  # type: ignore[arg-type]
    model = ARIOModel.from_mrio(mr, params)
    imp = np.zeros((2, model.n))
    imp[:, 5] = [0.3, 0.6]
    ev = ARIOEvent("arbitrary", imp, 2, 5, 20)
    prio = np.zeros(model.n, bool)
    prio[[1, 6, 9]] = True
    ones = ARIOLevers(masks=(MaskWindow(0, 80, np.ones((3, 3))),), priority_users=prio)
    fast = simulate_ario(model, [ev], 80, record_inventories=True, levers=ARIOLevers(priority_users=prio))
    slow = simulate_ario(model, [ev], 80, levers=ones, record_inventories=True)
    assert fast.inventories is not None and slow.inventories is not None
    np.testing.assert_allclose(fast.production, slow.production, rtol=1e-12)
    np.testing.assert_allclose(fast.inventories, slow.inventories, rtol=1e-12, atol=1e-12)
    assert fast.production[6, 1, 5] < 0.6 * model.x0[5]

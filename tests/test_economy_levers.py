"""ARIO levers on toy MRIOs: dormant backup capacity, strategic reserves, masks, per-scenario ψ and τ,
the loss records (va_loss, va_net, output_loss, fd_loss) and the paired arms of ``run_arms``."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hinterland.containers import MRIO
from hinterland.economy import (
    ARIOEvent,
    ARIOLevers,
    ARIOModel,
    ARIOParams,
    BackupLines,
    DormantCapacity,
    MaskWindow,
    NetworkCut,
    ParameterDraws,
    ReserveStock,
    ShockLevers,
    ShockScenario,
    StrategicReserve,
    TransportWindow,
    run_arms,
    run_shock,
    simulate_ario,
)
from hinterland.economy._scenarios import Draw, Shock, Timing
from hinterland.errors import ConfigError, UnknownIdError
from toy_tables import toy_mrio

REGIONS = (110000, 120000, 130000)
SECTORS = ("sec01", "sec02", "sec03")
M, NS = len(REGIONS), len(SECTORS)  # domestic regions, sectors; the model adds RoW (region 3)


def _toy(seed: int = 0) -> MRIO:
    """3 regions × 3 sectors with imports by product (the model's RoW pseudo-region is region 3)."""
    return toy_mrio(M, NS, seed)


def _model(seed: int = 0, **params: object) -> ARIOModel:
    return ARIOModel.from_mrio(_toy(seed), ARIOParams(**params))  # type: ignore[arg-type]


def _f(region: int, sector: int) -> int:
    """Industry position (region-major; region 3 is RoW)."""
    return region * NS + sector


def _region_shock(model: ARIOModel, share: float, region: int = 0, **timing: int) -> ARIOEvent:
    """Capacity loss ``share`` on every sector of one region (default: day 3, 20 days, 10 to recover)."""
    imp = np.zeros(model.n)
    imp[_f(region, 0) : _f(region, NS)] = share
    kw = {"occurrence": 3, "duration": 20, "recovery_tau": 10, **timing}
    return ARIOEvent("arbitrary", imp, **kw)  # type: ignore[arg-type]


def _import_and_local_cut(model: ARIOModel) -> ARIOEvent:
    """A shortage of product sec01: imports down 70 %, region 1's sec01 down 20 % (inputs bind)."""
    imp = np.zeros(model.n)
    imp[_f(3, 0)] = 0.7
    imp[_f(1, 0)] = 0.2
    return ARIOEvent("arbitrary", imp, occurrence=2, duration=30, recovery_tau=20)


def _backup(model: ARIOModel, share: float, region: int = 1, sector: int = 0, **kw: float) -> DormantCapacity:
    cap = np.zeros(model.n)
    cap[_f(region, sector)] = share * float(model.x0[_f(region, sector)])
    return DormantCapacity(cap, **kw)  # type: ignore[arg-type]


def _same(a: object, b: object) -> None:
    """Bit-identical arrays (None matches None)."""
    if a is None or b is None:
        assert a is None and b is None
        return
    assert np.array_equal(np.asarray(a), np.asarray(b))


def _close(a: object, b: object, rtol: float = 1e-12) -> None:
    a_, b_ = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    scale = max(1.0, float(np.abs(b_).max()) if b_.size else 1.0)
    np.testing.assert_allclose(a_, b_, rtol=0, atol=rtol * scale)


# ------------------------------------------------------------------------------ zero shock
def _lever_sets(model: ARIOModel) -> dict[str, tuple[int, ARIOLevers]]:
    users = np.zeros(model.n, bool)
    users[: M * NS] = True
    rs = ReserveStock(0, (0, 1, 2), np.full(3, 5.0), np.full(3, 0.1), share=0.5, users=users)
    return {
        "none": (1, ARIOLevers()),
        "backup": (1, ARIOLevers(backup=_backup(model, 0.5, lag=0, ramp=1, trigger=0.0))),
        "reserves": (1, ARIOLevers(reserves=(rs,))),
        "psi_draws": (3, ARIOLevers(psi=np.array([0.6, 0.8, 1.0]))),
        "all": (
            3,
            ARIOLevers(
                backup=_backup(model, 0.5, lag=0, ramp=1, trigger=0.0),
                reserves=(rs,),
                psi=np.array([0.6, 0.8, 1.0]),
                alpha_max=np.full(model.n, 1.4),
            ),
        ),
    }


@pytest.mark.parametrize("which", ["none", "backup", "reserves", "psi_draws", "all"])
def test_zero_shock_gives_zero_loss_for_every_lever_set(which: str) -> None:
    # Exactly 0 does not hold: the equilibrium is reproduced to rounding (|x^a - x_0| ~ 1e-17 per
    # industry-day, from the Z-row sums of the orders), so the bound is relative to a day's value added.
    model = _model()
    B, lev = _lever_sets(model)[which]
    res = simulate_ario(model, [], 60, batch=B, levers=lev)
    day_va = float(model.va.sum())
    for name in ("va_loss", "va_net", "fd_loss", "output_loss"):
        arr = getattr(res, name)
        assert arr.shape[:2] == (60, B)
        assert np.abs(arr).max() <= 1e-12 * day_va, name
    if lev.backup is not None:  # trigger 0, no lag: still nothing, as no product is short
        assert np.array_equal(res.backup_online, np.zeros((60, B)))
    if lev.reserves:
        assert np.abs(res.reserve_release).max() <= 1e-12 * day_va


# ------------------------------------------------------------------------------ dormant backup
def test_dormant_backup_is_bit_identical_without_shock() -> None:
    model = _model()
    plain = simulate_ario(model, [], 80)
    res = simulate_ario(model, [], 80, levers=ARIOLevers(backup=_backup(model, 1.0, lag=0, ramp=1)))
    for name in ("production", "capacity", "demand", "fd_unmet", "va_loss", "va_net", "fd_loss"):
        _same(getattr(res, name), getattr(plain, name))
    assert np.array_equal(res.backup_online, np.zeros((80, 1)))
    assert plain.backup_online is None


def test_backup_starts_after_its_lag_and_ramps_linearly() -> None:
    """Shock on day o = 3 (national sec01 shortfall 0.8 × 33 % ≫ 1 %), lag L = 5, ramp R = 4: nothing
    before day o + L = 8, then K/R more each day until K, and off again once the shock is over."""
    model = _model()
    ev = _region_shock(model, 0.8)
    bk = _backup(model, 0.25, region=1, lag=5, ramp=4)
    K = float(bk.capacity.sum())
    plain = simulate_ario(model, [ev], 80)
    res = simulate_ario(model, [ev], 80, levers=ARIOLevers(backup=bk))
    on = res.backup_online[:, 0]
    t = np.arange(80)
    expect = K * np.clip((t - 8 + 1) / 4, 0.0, 1.0)
    np.testing.assert_allclose(on[:30], expect[:30], rtol=1e-15, atol=0)
    assert np.all(on[:8] == 0) and on[8] == pytest.approx(K / 4) and on[11] == pytest.approx(K)
    # dormant until then: the run is the plain one, bit for bit
    _same(res.production[:8], plain.production[:8])
    # ramps down by K/R a day once the trigger has been off for L days, and is idle at the end
    steps = np.diff(on)
    assert np.all(np.abs(steps) <= K / 4 * (1 + 1e-12))
    assert on[-1] == 0 and on.max() == pytest.approx(K)


def test_backup_is_damaged_where_it_sits() -> None:
    """A 50 % capacity loss of the host industry itself (national sec01 shortfall ≈ 17 %) leaves
    K × (1 − 0.5) of the backup online; the same backup in an unhit industry gives K."""
    model = _model()
    host = _f(1, 0)
    imp = np.zeros(model.n)
    imp[host] = 0.5
    ev = ARIOEvent("arbitrary", imp, occurrence=3, duration=30, recovery_tau=10)
    bk = _backup(model, 0.25, region=1, lag=2, ramp=3)
    K = float(bk.capacity.sum())
    res = simulate_ario(model, [ev], 60, levers=ARIOLevers(backup=bk))
    full = res.backup_online[3 + 2 + 3 : 3 + 30, 0]  # fully ramped, shock at full strength
    np.testing.assert_allclose(full, K * 0.5, rtol=1e-14)
    other = simulate_ario(model, [_region_shock(model, 0.5)], 60, levers=ARIOLevers(backup=bk))
    np.testing.assert_allclose(other.backup_online[10:20, 0], K, rtol=1e-14)


def test_backup_stays_dormant_when_the_shortfall_is_below_its_trigger() -> None:
    """The same shock (national sec01 shortfall ≈ 17 %) with trigger 0.2: the backup never starts."""
    model = _model()
    imp = np.zeros(model.n)
    imp[_f(1, 0)] = 0.5
    ev = ARIOEvent("arbitrary", imp, occurrence=3, duration=30, recovery_tau=10)
    x0 = np.asarray(model.x0, dtype=float)
    short = 0.5 * x0[_f(1, 0)] / x0[0::NS].sum()  # every region's sec01, RoW included
    assert 0.15 < short < 0.2
    plain = simulate_ario(model, [ev], 60)
    res = simulate_ario(model, [ev], 60, levers=ARIOLevers(backup=_backup(model, 1.0, lag=0, trigger=0.2)))
    assert np.array_equal(res.backup_online, np.zeros((60, 1)))
    _same(res.production, plain.production)
    _same(res.va_loss, plain.va_loss)


@pytest.mark.property
@settings(max_examples=12, deadline=None)
@given(
    seed=st.integers(0, 5),
    share=st.floats(0.05, 0.9),
    host=st.sampled_from([(1, 0), (1, 1), (2, 0), (2, 2)]),
    sizes=st.lists(st.floats(0.0, 1.0), min_size=3, max_size=3),
    order_type=st.sampled_from(["alt", "noalt"]),
)
def test_more_backup_in_an_unhit_region_never_lowers_net_output(
    seed: int, share: float, host: tuple[int, int], sizes: list[float], order_type: str
) -> None:
    """What does hold: the net value-added change (va_net, GDP-like) and the net output loss never grow
    with the backup; with ``noalt`` orders (no re-routing) the unnetted VA loss does not either."""
    model = _model(seed, order_type=order_type)
    caps = np.zeros((4, model.n))
    f = _f(*host)
    caps[:, f] = np.array([0.0, *sorted(sizes)]) * float(model.x0[f])
    ev = _region_shock(model, share, duration=30, recovery_tau=20)
    res = simulate_ario(
        model, [ev], 120, batch=4, levers=ARIOLevers(backup=DormantCapacity(caps, lag=5, ramp=10)),
        record_detail=False,
    )  # fmt: skip
    net = res.va_net.sum(axis=(0, 2))
    out = res.output_loss.sum(axis=(0, 2))
    tol = 1e-9
    assert np.all(np.diff(net) <= tol * abs(net[0])), net
    assert np.all(np.diff(out) <= tol * abs(out[0])), out
    if order_type == "noalt":
        va = res.va_loss.sum(axis=(0, 2))
        assert np.all(np.diff(va) <= tol * va[0]), va


@pytest.mark.xfail(
    strict=True,
    reason=(
        "modelling property, not monotone: with 'alt' orders a backup raises its host's order weight "
        "c = x^cap/x0, so clients move orders from the other (unhit and hit) suppliers of the product to "
        "the host; their output falls below x0 and counts in va_loss, while the host's output above "
        "normal is not netted. Toy seed 0, region 0 −10 %, backup in (120000, sec01) of 0 / 0.25 / 1 × x0: "
        "va_loss 3.2510 → 3.3129 → 3.8654 (va_net 3.1423 → 2.5292 → 1.4086)"
    ),
)
def test_more_backup_in_an_unhit_region_never_raises_va_loss() -> None:
    model = _model(0)
    f = _f(1, 0)
    caps = np.zeros((3, model.n))
    caps[:, f] = np.array([0.0, 0.25, 1.0]) * float(model.x0[f])
    ev = _region_shock(model, 0.1, duration=30, recovery_tau=20)
    res = simulate_ario(
        model, [ev], 120, batch=3, levers=ARIOLevers(backup=DormantCapacity(caps, lag=5, ramp=10)),
        record_detail=False,
    )  # fmt: skip
    va = res.va_loss.sum(axis=(0, 2))
    assert np.all(np.diff(va) <= 1e-9 * va[0]), va


# ------------------------------------------------------------------------------ reserves
def _reserve(
    stock: float | np.ndarray, release: float = 0.1, users: np.ndarray | None = None
) -> ReserveStock:
    s = np.asarray(stock, dtype=float)
    s = np.broadcast_to(s[..., None], (*s.shape, 3)).copy() if s.ndim <= 1 else s
    rel = np.broadcast_to(np.full(3, release), s.shape).copy()
    return ReserveStock(0, (0, 1, 2), s, rel, users=users, name="grain")


def _all_users(model: ARIOModel) -> np.ndarray:
    u = np.zeros(model.n, bool)
    u[: M * NS] = True
    return u


@pytest.mark.parametrize("with_users", [False, True])
def test_zero_reserve_stock_changes_nothing(with_users: bool) -> None:
    model = _model(inventory_days=5.0)
    ev = _import_and_local_cut(model)
    plain = simulate_ario(model, [ev], 80)
    res = simulate_ario(
        model,
        [ev],
        80,
        levers=ARIOLevers(reserves=(_reserve(0.0, users=_all_users(model) if with_users else None),)),
    )
    for name in ("production", "fd_unmet", "va_loss", "va_net", "fd_loss", "output_loss"):
        _same(getattr(res, name), getattr(plain, name))
    assert np.array_equal(res.reserve_release, np.zeros((80, 1, 2)))


def test_reserve_release_respects_cap_and_stock() -> None:
    """One region (cap q̄ per day) and three regions (Σ q̄): every day's release ≤ the cap, the total ≤
    the stock, households' part ≤ the release (the rest went into the critical users' stocks)."""
    model = _model(inventory_days=5.0)
    ev = _import_and_local_cut(model)
    users = _all_users(model)
    one = ReserveStock(0, (1,), np.array([0.6]), np.array([0.05]), users=users, name="one")
    res = simulate_ario(model, [ev], 80, levers=ARIOLevers(reserves=(one, _reserve(2.0, 0.08, users))))
    rel = res.reserve_release[:, 0, :]  # (T, 2K): in all (one, grain), to households (one, grain)
    assert rel[:, 0].max() <= 0.05 * (1 + 1e-12) and rel[:, 1].max() <= 3 * 0.08 * (1 + 1e-12)
    assert rel[:, 0].sum() <= 0.6 * (1 + 1e-12) and rel[:, 1].sum() <= 6.0 * (1 + 1e-12)
    assert rel[:, 0].sum() == pytest.approx(0.6, rel=1e-12)  # the small stock runs out
    assert np.all(rel[:, 2:] <= rel[:, :2] * (1 + 1e-12) + 1e-15) and np.all(rel >= 0)
    assert (rel[:, 1] - rel[:, 3]).sum() > 0.1  # the users got some of it


def test_reserve_to_households_lowers_unmet_final_demand_by_exactly_that() -> None:
    """Without critical users nothing feeds back into production: x^a is unchanged bit for bit and
    final demand not met falls, day by day and only in the reserve's product and regions, by exactly
    what households received."""
    model = _model(inventory_days=5.0)
    ev = _import_and_local_cut(model)
    plain = simulate_ario(model, [ev], 80)
    rs = ReserveStock(0, (0, 2), np.array([1.0, 3.0]), np.array([0.04, 0.2]), share=0.6)
    res = simulate_ario(model, [ev], 80, levers=ARIOLevers(reserves=(rs,)))
    _same(res.production, plain.production)
    _same(res.va_loss, plain.va_loss)
    hh = res.reserve_release[:, 0, 1]
    np.testing.assert_array_equal(hh, res.reserve_release[:, 0, 0])  # no users: all to households
    np.testing.assert_allclose(
        plain.fd_loss[:, 0].sum(axis=1) - res.fd_loss[:, 0].sum(axis=1), hh, atol=1e-12
    )
    drop = plain.fd_unmet[:, 0] - res.fd_unmet[:, 0]  # (T, region, product)
    assert np.abs(np.delete(drop, 0, axis=2)).max() == 0 and np.abs(drop[:, 1]).max() == 0
    assert hh.sum() > 0.5
    # the share caps what the reserve can stand in for: at most share × unmet demand of the product
    assert np.all(hh <= 0.6 * plain.fd_unmet[:, 0, [0, 2], 0].sum(axis=1) * (1 + 1e-12) + 1e-15)


@pytest.mark.property
@settings(max_examples=10, deadline=None)
@given(
    seed=st.integers(0, 5),
    stocks=st.lists(st.floats(0.0, 6.0), min_size=3, max_size=3),
    release=st.floats(0.01, 0.3),
)
def test_more_reserve_stock_never_raises_unmet_final_demand(
    seed: int, stocks: list[float], release: float
) -> None:
    """Households only (no critical users): unmet final demand never rises with the stock."""
    model = _model(seed, inventory_days=5.0)
    ev = _import_and_local_cut(model)
    s = np.array([0.0, *sorted(stocks)])
    res = simulate_ario(
        model, [ev], 80, batch=4, levers=ARIOLevers(reserves=(_reserve(s, release),)), record_detail=False
    )
    fd = res.fd_loss.sum(axis=(0, 2))
    assert np.all(np.diff(fd) <= 1e-9 * fd[0]), fd
    assert np.all(res.reserve_release[:, :, 0].sum(axis=0) <= 3 * s * (1 + 1e-12) + 1e-12)


@pytest.mark.xfail(
    strict=True,
    reason=(
        "modelling property, not monotone: a small stock (3 × 0.378, used up by day 22) tops up 5 of 9 "
        "critical users where sec01 binds (0.121 of 1.134 released); their extra output orders more of the "
        "short sec01, the other industries' sec01 stocks end lower, and from day 29 every industry produces "
        "less than without the reserve. Toy seed 4, inventory 5 d, imports of sec01 −72.1 %, (120000, sec01) "
        "−19.4 %, share 0.847, stock 0 → 0.378 per region: fd_loss 113.671 → 113.884, va_loss 110.420 → "
        "111.211 (stocks 1.464 and 4.445: fd_loss 99.33, 84.84)"
    ),
)
def test_more_reserve_stock_for_critical_users_never_raises_unmet_final_demand() -> None:
    model = _model(4, inventory_days=5.0)
    imp = np.zeros(model.n)
    imp[_f(1, 0)], imp[_f(3, 0)] = 0.194, 0.721
    ev = ARIOEvent("arbitrary", imp, occurrence=2, duration=30, recovery_tau=20)
    users = np.zeros(model.n, bool)
    users[: M * NS] = np.array([0, 1, 1, 1, 1, 1, 0, 1, 0], bool)
    stock = np.outer([0.0, 0.378, 1.464, 4.445], np.ones(3))
    rel = np.broadcast_to([0.086, 0.194, 0.024], (4, 3)).copy()
    rs = ReserveStock(0, (0, 1, 2), stock, rel, share=0.847, users=users)
    res = simulate_ario(model, [ev], 90, batch=4, levers=ARIOLevers(reserves=(rs,)), record_detail=False)
    fd = res.fd_loss.sum(axis=(0, 2))
    assert np.all(np.diff(fd) <= 1e-9 * fd[0]), fd


# ------------------------------------------------------------------------------ masks, ψ, τ, batches
def test_mask_of_ones_equals_no_mask() -> None:
    model = _model()
    ev = _region_shock(model, 0.5)
    plain = simulate_ario(model, [ev], 60)
    m = model.n_regions
    for mask in (np.ones((m, m)), np.ones((2, m, m))):
        B = 1 if mask.ndim == 2 else 2
        res = simulate_ario(model, [ev], 60, batch=B, levers=ARIOLevers(masks=(MaskWindow(1, 40, mask),)))
        for b in range(B):
            for name in ("production", "fd_unmet", "va_loss", "fd_loss"):
                _close(getattr(res, name)[:, b], getattr(plain, name)[:, 0])


def test_psi_per_scenario_equals_separate_runs() -> None:
    model = _model(inventory_days=5.0)
    ev = _import_and_local_cut(model)
    psis = np.array([0.6, 0.8, 1.0])
    res = simulate_ario(model, [ev], 80, batch=3, levers=ARIOLevers(psi=psis))
    totals = []
    for b, psi in enumerate(psis):
        one = simulate_ario(model.with_params(psi=float(psi)), [ev], 80)
        for name in ("production", "fd_unmet", "va_loss", "va_net", "fd_loss", "output_loss"):
            _close(getattr(res, name)[:, b], getattr(one, name)[:, 0])
        totals.append(float(one.va_loss.sum()))
    assert len(set(np.round(totals, 6))) == 3  # ψ matters in this shortage: the test can tell them apart


def test_rebuild_tau_per_scenario_equals_separate_runs() -> None:
    model = _model()
    K = np.zeros(model.n)
    K[0:NS] = 0.3 * np.asarray(model.capital[0:NS])
    taus = np.array([30.0, 60.0, 90.0])
    kw = {"occurrence": 3, "duration": 5, "rebuild_sectors": {"sec03": 1.0}}
    res = simulate_ario(model, [ARIOEvent("rebuild", K, rebuild_tau=taus, **kw)], 150, batch=3)  # type: ignore[arg-type]
    for b, tau in enumerate(taus):
        one = simulate_ario(model, [ARIOEvent("rebuild", K, rebuild_tau=float(tau), **kw)], 150)  # type: ignore[arg-type]
        for name in ("production", "fd_unmet", "va_loss", "reconstruction"):
            _close(getattr(res, name)[:, b], getattr(one, name)[:, 0])
    assert res.reconstruction[-1, 0] < res.reconstruction[-1, 1] < res.reconstruction[-1, 2]


@pytest.mark.parametrize("threads", [1, 2])
def test_batched_rows_equal_single_runs_of_their_levers(threads: int) -> None:
    """Four rows, each with its own backup capacity, reserve stock, spare capacity and ψ."""
    model = _model(inventory_days=5.0)
    ev = _import_and_local_cut(model)
    N, B = model.n, 4
    caps = np.zeros((B, N))
    caps[:, _f(2, 0)] = np.array([0.0, 0.1, 0.3, 0.6]) * float(model.x0[_f(2, 0)])
    stocks = np.outer([2.0, 0.0, 1.0, 4.0], [1.0, 0.5, 1.0])
    rel = np.full((B, 3), 0.08)
    amax = np.broadcast_to(np.array([1.25, 1.1, 1.4, 1.25])[:, None], (B, N)).copy()
    psi = np.array([0.8, 0.7, 0.9, 1.0])
    users = _all_users(model)
    lev = ARIOLevers(
        alpha_max=amax,
        backup=DormantCapacity(caps, lag=3, ramp=5),
        reserves=(ReserveStock(0, (0, 1, 2), stocks, rel, users=users),),
        psi=psi,
    )
    res = simulate_ario(model, [ev], 70, batch=B, levers=lev, threads=threads)
    for b in range(B):
        one_lev = ARIOLevers(
            alpha_max=amax[b],
            backup=DormantCapacity(caps[b], lag=3, ramp=5),
            reserves=(ReserveStock(0, (0, 1, 2), stocks[b], rel[b], users=users),),
            psi=psi[b : b + 1],
        )
        one = simulate_ario(model, [ev], 70, levers=one_lev)
        for name in (
            "production",
            "fd_unmet",
            "va_loss",
            "va_net",
            "fd_loss",
            "reserve_release",
            "backup_online",
        ):
            _close(getattr(res, name)[:, b], getattr(one, name)[:, 0])
    assert res.backup_online[:, 3].max() > res.backup_online[:, 1].max() > 0


def test_va_loss_and_va_net_by_hand() -> None:
    """va_loss = Σ_i v_i max(0, 1 − x^a/x_0) per region, va_net the same without the max, output_loss
    = Σ_i (x_0 − x^a), fd_loss = fd_unmet summed over products; a backup makes some industries produce
    above normal so that the clipping matters."""
    model = _model()
    ev = _region_shock(model, 0.3, duration=30)
    res = simulate_ario(
        model, [ev], 90, levers=ARIOLevers(backup=_backup(model, 0.5, region=1, lag=3, ramp=5))
    )
    dom = M * NS
    x = res.production[:, 0, :dom]
    x0 = np.asarray(model.x0[:dom], dtype=float)
    v = np.asarray(model.va[:dom], dtype=float)
    gap = 1.0 - x / x0
    np.testing.assert_allclose(
        res.va_loss[:, 0], (v * np.maximum(gap, 0.0)).reshape(-1, M, NS).sum(axis=2), atol=1e-14
    )
    np.testing.assert_allclose(res.va_net[:, 0], (v * gap).reshape(-1, M, NS).sum(axis=2), atol=1e-14)
    np.testing.assert_allclose(res.output_loss[:, 0], (x0 - x).reshape(-1, M, NS).sum(axis=2), atol=1e-14)
    np.testing.assert_allclose(res.fd_loss[:, 0], res.fd_unmet[:, 0].sum(axis=2), atol=1e-14)
    assert (res.va_loss - res.va_net).max() > 1e-3  # the host region produced above normal
    assert np.all(res.va_loss >= res.va_net - 1e-15)
    assert np.all(model.va[dom:] == 0)  # imports (RoW) are not value added


# ------------------------------------------------------------------------------ run_arms
def _scenario(**changes: object) -> ShockScenario:
    sc = ShockScenario("p", "p", "p", horizon_days=60).with_changes(
        shocks=(Shock("capacity", (110000,), "all", Timing(2, 10, 20), share=0.5),),
        uncertainty=(Draw("capacity", "uniform", 0.5, 1.5),),
    )
    return sc.with_changes(**changes)


def _industries(pairs: list[tuple[int, str]]) -> pd.MultiIndex:
    return pd.MultiIndex.from_tuples(pairs, names=["region", "sector"])


def _arms(mr: MRIO) -> dict[str, ShockLevers]:
    x = mr.x
    bk = BackupLines(
        pd.Series([0.5 * float(x.loc[(120000, "sec01")])], index=_industries([(120000, "sec01")])), 3.0, 5.0
    )
    reg = pd.Index([110000, 130000], name="region")
    grain = StrategicReserve(
        "grain", "sec01", pd.Series([2.0, 2.0], index=reg), pd.Series([0.1, 0.1], index=reg)
    )
    return {
        "baseline": ShockLevers(),
        "backup": ShockLevers(backup=bk),
        "reserve": ShockLevers(reserves=(grain,)),
    }


def test_run_arms_pairs_every_arm_with_the_same_shock() -> None:
    mr = _toy()
    sc = _scenario()
    runs = run_arms(mr, sc, _arms(mr), draws=3, seed=5)
    alone = run_arms(mr, sc, {"baseline": ShockLevers()}, draws=3, seed=5)
    assert runs.va_daily.shape == (4, 3, 60) and runs.arms == ("baseline", "backup", "reserve")
    _close(runs.va_daily[:, 0], alone.va_daily[:, 0])
    _close(runs.fd_daily[:, 0], alone.fd_daily[:, 0])
    shock = run_shock(mr, sc, draws=3, seed=5)
    _close(runs.va_loss[:, 0], shock.summary["va_loss"].to_numpy())
    assert np.ptp(runs.va_loss[:, 0]) > 0  # the draws differ ...
    assert np.all(runs.backup_online[:, 1].max(axis=1) > 0)  # ... and each arm acted on every one
    assert np.all(runs.released[:, 2, 0] > 0)
    mult = runs.draws_table["mult_capacity"].to_numpy()
    assert mult[0] == 1.0 and np.all((mult[1:] >= 0.5) & (mult[1:] <= 1.5))


def test_run_arms_subset_gives_the_numbers_of_the_full_run() -> None:
    mr = _toy()
    sc = _scenario()
    full = run_arms(mr, sc, _arms(mr), draws=4, seed=2)
    part = run_arms(mr, sc, _arms(mr), draws=4, seed=2, subset=[3, 1])
    assert part.draw_ids == (1, 3)
    for name in (
        "va_daily",
        "fd_daily",
        "va_region",
        "output_net",
        "released",
        "released_fd",
        "backup_online",
    ):
        _close(getattr(part, name), getattr(full, name)[[1, 3]])
    pd.testing.assert_frame_equal(part.totals(), full.totals().loc[[1, 3]])


def test_run_arms_zero_budget_arm_is_the_baseline_exactly() -> None:
    """ShockLevers(), a backup of zero capacity and a reserve of zero stock give the baseline's totals
    bit for bit, in a batch where other arms do use backup and reserve mechanisms."""
    mr = _toy()
    arms = _arms(mr)
    bk0 = BackupLines(pd.Series([0.0], index=_industries([(120000, "sec01")])), 3.0, 5.0)
    reg = pd.Index([110000, 130000], name="region")
    zero = StrategicReserve(
        "grain", "sec01", pd.Series([0.0, 0.0], index=reg), pd.Series([0.1, 0.1], index=reg)
    )
    arms |= {
        "empty": ShockLevers(),
        "zero_backup": ShockLevers(backup=bk0),
        "zero_reserve": ShockLevers(reserves=(zero,)),
    }
    assert all(arms[k].is_empty for k in ("baseline", "empty", "zero_backup", "zero_reserve"))
    tot = run_arms(mr, _scenario(), arms, draws=2, seed=1).totals()
    base = tot.xs("baseline", level="arm")
    for arm in ("empty", "zero_backup", "zero_reserve"):
        pd.testing.assert_frame_equal(tot.xs(arm, level="arm"), base, check_exact=True)
    assert not tot.xs("backup", level="arm")["va_loss"].equals(base["va_loss"])


def test_run_arms_transport_window_of_ones_changes_nothing() -> None:
    mr = _toy()
    ones = pd.DataFrame(1.0, index=list(REGIONS), columns=list(REGIONS))
    arms = {"baseline": ShockLevers(), "ones": ShockLevers(transport=(TransportWindow(1, 30, ones),))}
    runs = run_arms(mr, _scenario(), arms, draws=1)
    _close(runs.va_daily[:, 1], runs.va_daily[:, 0])
    _close(runs.fd_daily[:, 1], runs.fd_daily[:, 0])


def test_run_arms_parameter_draws_are_the_engine_settings_of_each_draw() -> None:
    """Draw j of ParameterDraws runs with ψ_j and τ_α,j: the same numbers as run_shock with those
    ARIOParams (no uncertainty in the scenario, so only the parameters differ between draws)."""
    mr = _toy()
    sc = _scenario(uncertainty=())
    pdr = ParameterDraws(
        np.array([0.8, 0.6]), np.array([365.0, 120.0]), np.ones(2), np.ones(2), np.zeros(2, bool)
    )
    runs = run_arms(mr, sc, {"baseline": ShockLevers()}, draws=1, parameters=pdr)
    for j in range(2):
        one = run_shock(mr, sc, params=ARIOParams(psi=float(pdr.psi[j]), alpha_tau=float(pdr.alpha_tau[j])))
        assert runs.va_loss[j, 0] == pytest.approx(float(one.summary.loc[0, "va_loss"]), rel=1e-12)
    assert runs.draws_table["psi"].tolist() == [0.8, 0.6]


# ------------------------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"capacity": -1.0}, "backup capacity must be finite, ≥ 0"),
        ({"capacity": np.nan}, "backup capacity must be finite"),
        ({"ramp": 0.5}, "ramp ≥ 1 step"),
        ({"lag": -1.0}, "lag must be ≥ 0"),
        ({"trigger": 1.0}, r"trigger = 1.0 must be a shortfall share in \[0, 1\)"),
        ({"trigger": -0.1}, "trigger"),
        ({"shape": (5,)}, "shape"),
    ],
)
def test_dormant_capacity_bad_input(change: dict[str, float], match: str) -> None:
    model = _model()
    cap = np.zeros(model.n)
    if "capacity" in change:
        cap[_f(1, 0)] = change["capacity"]
    if "shape" in change:
        cap = np.zeros(change["shape"])
    bk = DormantCapacity(
        cap, lag=change.get("lag", 30.0), ramp=change.get("ramp", 60.0), trigger=change.get("trigger", 0.01)
    )
    with pytest.raises(ConfigError, match=match):
        simulate_ario(model, [], 10, levers=ARIOLevers(backup=bk))


@pytest.mark.parametrize(
    ("kw", "match"),
    [
        ({"product": 3}, r"product position 3 is not in 0..2"),
        ({"product": -1}, "product position"),
        ({"regions": (3,)}, "distinct domestic region positions 0..2"),  # 3 is RoW
        ({"regions": (0, 0)}, "distinct domestic region positions"),
        ({"regions": ()}, "distinct domestic region positions"),
        ({"stock": np.array([-1.0])}, "stock must be finite, ≥ 0"),
        ({"release": np.array([np.inf])}, "release must be finite"),
        ({"stock": np.array([1.0, 2.0])}, r"of shape \(1,\)"),
        ({"share": 0.0}, r"share = 0.0 must be in \(0, 1\]"),
        ({"users": np.ones(4, bool)}, "users must be a boolean mask of the 12 industries"),
    ],
)
def test_reserve_stock_bad_input(kw: dict[str, object], match: str) -> None:
    model = _model()
    base = {"product": 0, "regions": (1,), "stock": np.array([1.0]), "release": np.array([0.1])}
    rs = ReserveStock(**(base | kw))  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match=match):
        simulate_ario(model, [], 10, levers=ARIOLevers(reserves=(rs,)))


def test_reserves_refuse_the_boario_preset() -> None:
    model = ARIOModel.from_mrio(_toy(), ARIOParams.boario())
    rs = ReserveStock(0, (1,), np.array([1.0]), np.array([0.1]))
    with pytest.raises(ConfigError, match="boario_quirks"):
        simulate_ario(model, [], 10, levers=ARIOLevers(reserves=(rs,)))


@pytest.mark.parametrize(
    ("psi", "B"), [(np.array([0.8, 1.2]), 2), (np.array([0.0, 0.5]), 2), (np.array([0.8]), 2)]
)
def test_psi_lever_bad_input(psi: np.ndarray, B: int) -> None:
    with pytest.raises(ConfigError, match=r"psi lever must hold 2 values in \(0, 1\]"):
        simulate_ario(_model(), [], 10, batch=B, levers=ARIOLevers(psi=psi))


def test_parameter_draws_bad_input() -> None:
    ok = {"psi": np.full(3, 0.8), "alpha_tau": np.full(3, 365.0), "stock_scale": np.ones(3),
          "rebuild_tau_scale": np.ones(3), "priority": np.zeros(3, bool)}  # fmt: skip
    with pytest.raises(ConfigError, match=r"different lengths \[2, 3\].*one value per draw"):
        ParameterDraws(**(ok | {"alpha_tau": np.full(2, 365.0)}))
    with pytest.raises(ConfigError, match=r"psi must be in \(0, 1\]"):
        ParameterDraws(**(ok | {"psi": np.array([0.8, 1.2, 0.8])}))
    with pytest.raises(ConfigError, match="alpha_tau must be > 1 day"):
        ParameterDraws(**(ok | {"alpha_tau": np.array([365.0, 1.0, 30.0])}))
    with pytest.raises(ConfigError, match="stock_scale must be > 0"):
        ParameterDraws(**(ok | {"stock_scale": np.array([1.0, 0.0, 1.0])}))
    assert ParameterDraws(**ok).size == 3
    # one value per draw of the run: 3 values for draws=1 (2 runs) is refused with the fix
    with pytest.raises(
        ConfigError, match=r"parameter draws hold 3 values but the scenario runs 2 draws.*Fix"
    ):
        run_arms(_toy(), _scenario(), {"baseline": ShockLevers()}, draws=1, parameters=ParameterDraws(**ok))


def test_shock_levers_bad_input() -> None:
    mr = _toy()
    sc = _scenario(uncertainty=())
    idx = _industries([(120000, "sec01")])
    reg = pd.Index([110000], name="region")
    one = pd.Series([1.0], index=reg)
    bad = {
        "negative backup": (ShockLevers(backup=BackupLines(pd.Series([-1.0], index=idx))), ConfigError, "≥ 0"),
        "trigger": (ShockLevers(backup=BackupLines(pd.Series([1.0], index=idx), trigger=1.0)), ConfigError, r"\[0, 1\)"),
        "ramp": (ShockLevers(backup=BackupLines(pd.Series([1.0], index=idx), ramp_days=0.5)), ConfigError, "ramp_days must be ≥ 1"),
        "unknown industry": (
            ShockLevers(backup=BackupLines(pd.Series([1.0], index=_industries([(999999, "sec01")])))),
            UnknownIdError, "unknown industries",
        ),
        "unknown sector": (ShockLevers(reserves=(StrategicReserve("g", "sec99", one, one),)), UnknownIdError, "sec99"),
        "unknown region": (
            ShockLevers(reserves=(StrategicReserve("g", "sec01", pd.Series([1.0], index=[999999]), one),)),
            UnknownIdError, "unknown regions",
        ),
        "negative stock": (ShockLevers(reserves=(StrategicReserve("g", "sec01", -one, one),)), ConfigError, "≥ 0"),
    }  # fmt: skip
    for name, (lev, exc, match) in bad.items():
        with pytest.raises(exc, match=match):
            run_arms(mr, sc, {"baseline": ShockLevers(), name: lev})


def test_run_arms_with_network_cuts_needs_transport_windows() -> None:
    mr = _toy()
    cut = NetworkCut("corridor_cut", ("some line",), (), "all", False, 0.0, 1, 10)
    sc = _scenario(network=(cut,))
    with pytest.raises(
        ConfigError,
        match=r"damages rail links \(network\[0\]\).*Fix: pass levers=hinterland\.plan\.transport_levers",
    ):
        run_arms(mr, sc, {"baseline": ShockLevers()})
    ones = pd.DataFrame(0.5, index=list(REGIONS), columns=list(REGIONS))
    win = ShockLevers(transport=(TransportWindow(1, 11, ones),))
    with pytest.raises(ConfigError, match="transport layer"):  # every arm needs them, the baseline too
        run_arms(mr, sc, {"baseline": ShockLevers(), "plan": win})
    runs = run_arms(mr, sc, {"baseline": win, "plan": replace(win)})
    _same(runs.va_daily[:, 0], runs.va_daily[:, 1])
    with pytest.raises(ConfigError, match="at least one arm"):
        run_arms(mr, sc, {})

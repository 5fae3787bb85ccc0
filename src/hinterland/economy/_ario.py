r"""Adaptive Regional Input–Output model (ARIO), vectorised with a batch axis of scenarios.

Model: Hallegatte (2008, *Risk Anal.* 28(3); 2014, *Risk Anal.* 34(1)) with inventories and the ψ
threshold, overproduction, proportional rationing, and orders re-routed to suppliers with capacity
(Guan et al. 2020, *Nat. Hum. Behav.* 4), in the formulation of BoARIO 0.7.2 (Juhel 2023, JOSS).

One step (one day by default; yearly flows are divided by ``year_to_step``):

1. events → capacity loss :math:`\Delta_f = \max(\gamma_f / k_f,\ \Delta^{arb}_f)`;
2. overproduction :math:`\alpha_f \leftarrow \alpha_f + (\alpha^{max}_f - \alpha_f)\zeta_f/\tau_\alpha`
   if :math:`\zeta_f \ne 0`, else :math:`+ (\alpha^b - \alpha_f)/\tau_\alpha`, with scarcity
   :math:`\zeta_f = (D_f - x^a_f)/D_f`;
3. :math:`x^{cap} = \alpha (1-\Delta) x_0`, :math:`x^{opt} = \min(D, x^{cap})`,
   :math:`x^a_g = x^{opt}_g \min(1, \min_i \Omega_{ig} / (\psi s_i a^S_{ig} x^{opt}_g))`;
4. every client of f receives its order × :math:`x^a_f/D_f` (or priority rationing);
   :math:`\Omega \leftarrow \Omega + S(O \odot \rho) - A^S \odot x^a`;
5. orders :math:`O^S_{ig} = \max(s_i a^S_{ig} x^{opt}_g - \Omega_{ig}, 0)/\tau_{INV} + a^S_{ig} x^a_g`,
   split over suppliers with weights :math:`z_{fg} c_f e_{r(f) r(g)}` renormalised within each
   product (:math:`c = x^{cap}/x_0` for ``alt`` orders, 1 for ``noalt``; e = supplier eligibility).

Reconstruction events (``kind="rebuild"``, BoARIO's ``EventKapitalRebuild``) add a demand
:math:`H/\tau_{reb}` on the rebuilding sectors, served with the final-demand share (see
:class:`ARIOEvent`).

Implementation: orders are never stored as an N×N matrix. They are kept as per-product totals
:math:`O^S` (n×N) and the weights are applied on the fly, so each step costs two passes over Z
(the stacked products :math:`S\,\mathrm{diag}(c\rho)Z` and :math:`S\,\mathrm{diag}(c')Z`, and the
Z-row sums); every state array carries a batch axis ``B`` (scenarios run together) and the dtype is
selectable. A step runs over cache-sized blocks of products × scenarios (``_BLOCK``): for each block,
BLAS forms its products with Z, a compiled kernel (:mod:`._ario_kernel`, numba) does the element-wise
work (stock update, orders, routing ratios, inventory limit) in one pass, and BLAS forms the block's
Z-row sums, all while the block is in cache. Under proportional rationing the (B, N) work of steps
2–4 is one compiled pass too, and in steps without supplier masks all blocks run in one compiled call
(BLAS called from numba), so a step holds the GIL only for the events and the outputs. Scenarios
never interact, so ``threads`` groups of them are simulated side by side in threads (the compiled
code and BLAS release the GIL; BLAS is held to one thread inside them).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np
import numpy.typing as npt
import pandas as pd
from threadpoolctl import threadpool_limits

from hinterland.containers import MRIO
from hinterland.economy._ario_kernel import prestep, step_block, step_group
from hinterland.errors import ConfigError, InfeasibleError

__all__ = [
    "ARIOEvent",
    "ARIOLevers",
    "ARIOModel",
    "ARIOParams",
    "ARIOResult",
    "DormantCapacity",
    "MaskWindow",
    "ReserveStock",
    "simulate_ario",
]

FArray = npt.NDArray[np.floating]


@dataclass(frozen=True)
class ARIOParams:
    """ARIO settings. :meth:`boario` returns the BoARIO 0.7.2 ``ARIOPsiModel`` defaults.

    ``inventory_days`` is per product (scalar or length n; ``inf`` = never constraining);
    ``non_stockable`` lists products (e.g. electricity, water) that cannot be stored: they get a
    buffer of 1/ψ steps, re-ordered in full every step (τ_INV = 1 for them), so production is
    limited by yesterday's delivery (ψ s = 1 step) while the goal keeps a 1/ψ − 1 margin. (With
    s = 1, ψ = 1 and the usual τ_INV any shortfall is self-reinforcing and the whole economy
    collapses; with ψ s < 1 a step could use more than is in stock.)
    ``rationing="priority"`` serves the priority users' orders, reconstruction and — with
    ``priority_final_demand`` (default) — final demand first; without it final demand shares what is
    left with the other users (critical industries first, households and exports after them).
    ``boario_quirks`` reproduces four details of BoARIO 0.7.2 that are not in the papers (see
    docs/economy.md): the input threshold compares annual inputs with daily output; stock updates
    and stock gaps are skipped when ``np.allclose`` says they are small; arbitrary capacity cuts act
    one step late; event states are rounded (6 decimals for shares, 7 for capital).
    """

    psi: float = 0.8
    alpha_base: float = 1.0
    alpha_max: float = 1.25
    alpha_tau: float = 365.0
    inventory_days: float | tuple[float, ...] = 90.0
    inventory_tau: float = 60.0
    order_type: Literal["alt", "noalt"] = "alt"
    rationing: Literal["proportional", "priority"] = "proportional"
    priority_final_demand: bool = True
    capital_to_va: float = 4.0
    year_to_step: float = 365.0
    input_threshold: float = 1e-5
    non_stockable: tuple[str, ...] = ()
    include_imports: bool = True
    boario_quirks: bool = False
    dtype: Literal["float64", "float32"] = "float64"

    @classmethod
    def boario(cls) -> ARIOParams:
        """Settings equivalent to ``boario.extended_models.ARIOPsiModel`` 0.7.2 defaults."""
        return cls(include_imports=False, boario_quirks=True)

    def validate(self) -> None:
        problems = []
        if not 0 < self.psi <= 1:
            problems.append(f"psi = {self.psi} must be in (0, 1]")
        if self.alpha_base < 1:
            problems.append(f"alpha_base = {self.alpha_base} must be ≥ 1")
        if self.alpha_max < self.alpha_base:
            problems.append(f"alpha_max = {self.alpha_max} must be ≥ alpha_base = {self.alpha_base}")
        for name in ("alpha_tau", "inventory_tau"):
            value = getattr(self, name)
            if not value > 1:
                problems.append(
                    f"{name} = {value} steps is unstable: characteristic times must be > 1 step "
                    "(the adjustment would overshoot)"
                )
        days = np.atleast_1d(np.asarray(self.inventory_days, dtype=float))
        if np.any(days <= 0):
            problems.append("inventory_days must be > 0 (use non_stockable for inputs that cannot be stored)")
        if np.any((days <= 1) & ~self.boario_quirks):
            problems.append(
                "inventory_days ≤ 1 step leaves no buffer; use non_stockable for such inputs or ≥ 2 days"
            )
        if self.year_to_step <= 0:
            problems.append(f"year_to_step = {self.year_to_step} must be > 0")
        if self.capital_to_va <= 0:
            problems.append(f"capital_to_va = {self.capital_to_va} must be > 0")
        if self.order_type not in ("alt", "noalt"):
            problems.append(f"order_type {self.order_type!r} must be 'alt' or 'noalt'")
        if self.rationing not in ("proportional", "priority"):
            problems.append(f"rationing {self.rationing!r} must be 'proportional' or 'priority'")
        if self.dtype not in ("float64", "float32"):
            problems.append(f"dtype {self.dtype!r} must be 'float64' or 'float32'")
        if problems:
            raise ConfigError(
                "invalid ARIO parameters: " + "; ".join(problems) + ". Fix: change those settings."
            )


@dataclass(frozen=True)
class ARIOEvent:
    r"""A shock on industries, the same timing for every scenario of the batch.

    * ``kind="arbitrary"``: ``impact`` is a capacity-loss share in [0, 1] per industry;
    * ``kind="capital"``: ``impact`` is destroyed productive capital, in the table's money unit per
      year (the same unit as Z), recovered exogenously;
    * ``kind="rebuild"``: destroyed capital as for ``capital``, rebuilt endogenously (BoARIO's
      ``EventKapitalRebuild``, Hallegatte 2008 §2.4): from step ``occurrence + duration`` the loss
      :math:`K_f` becomes a reconstruction demand on the ``rebuild_sectors`` (sector → share, shares
      sum to 1), :math:`H_{(r,j),f} = \phi\,\sigma_j K_f\,z_{(r,j),f} / \sum_{r'} z_{(r',j),f}` (each
      affected industry buys its rebuilding goods from the regions it buys sector j from;
      :math:`\phi` = ``rebuilding_factor``). Each step asks :math:`H/\tau_{reb}` of industry (r, j),
      which serves it with the same rationing share as final demand,
      :math:`H \leftarrow H - \rho_{(r,j)} H/\tau_{reb}`, and the capital still lost is
      :math:`K_f = \sum_{(r,j)} H_{(r,j),f} / \phi`.

    ``impact`` has shape (N,) or (B, N). The shock starts at step ``occurrence`` (≥ 1), stays for
    ``duration`` steps and then recovers over ``recovery_tau`` steps (``linear``: to 0 in τ steps;
    ``convexe``: × (1 − 1/τ) per step), or is rebuilt (``rebuild``). ``rebuild_tau`` may differ per
    scenario (shape (B,): an uncertain reconstruction pace). ``rebuild_sourcing="national"`` buys the
    rebuilding goods of sector j from every region in proportion to its output of j,
    :math:`H_{(r,j),f} = \phi\,\sigma_j K_f\,x_{0,(r,j)} / \sum_{r'} x_{0,(r',j)}`, instead of from
    the damaged industry's own suppliers (China's paired assistance, 对口支援: 19 provinces rebuilt
    one county each after Wenchuan, State Council 国办发〔2008〕53号).
    """

    kind: Literal["arbitrary", "capital", "rebuild"]
    impact: FArray
    occurrence: int = 1
    duration: int = 1
    recovery_tau: int = 1
    recovery: Literal["linear", "convexe"] = "linear"
    rebuild_sectors: Mapping[str, float] = field(default_factory=dict)
    rebuild_tau: float | FArray = 60
    rebuilding_factor: float = 1.0
    rebuild_sourcing: Literal["suppliers", "national"] = "suppliers"


@dataclass(frozen=True)
class MaskWindow:
    """Supplier eligibility ``e[b, r, s]`` (origin region r → destination s) during ``[start, end)``."""

    start: int
    end: int
    mask: FArray  # (m, m) or (B, m, m), values in [0, 1]


@dataclass(frozen=True)
class DormantCapacity:
    r"""Backup capacity that stays idle until a shock: a standby production line of an industry.

    ``capacity`` (N,)/(B, N) is the full capacity of the backup lines, in output per step (the units
    of ``x_0``), 0 where an industry has none. It is separate from the host industry's own capacity
    (the host keeps its :math:`lpha`, :math:`lpha^{max}`, :math:`	au_lpha`) and comes online
    only when the national supply capacity of its product falls short:

    .. math::
        \sigma_i(t) = \Big[\,1 - rac{\sum_r (1-\Delta_{(r,i)}(t))\,x_{0,(r,i)}}{\sum_r x_{0,(r,i)}}
        > 	heta\,\Big], \qquad
        a_f(t) = a_f(t-1) + \mathrm{clip}ig(\sigma_{i(f)}(t - L_f) - a_f(t-1),
        -	frac{1}{R_f}, 	frac{1}{R_f}ig),

    (the sums run over every supplier of product i, foreign imports included, so an import cut
    triggers it too; the backup itself is left out, so there is no feedback), and the industry's
    capacity becomes :math:`x^{cap}_f = lpha_f (1-\Delta_f) x_{0,f} + a_f (1-\Delta_f) K_f`: the
    backup starts ``lag`` steps :math:`L_f` after the trigger (mobilisation), ramps up linearly over
    ``ramp`` steps :math:`R_f`, ramps down the same way once the trigger has been off for
    :math:`L_f` steps, is damaged by the shocks that hit its industry (:math:`1-\Delta_f`), and
    uses the inputs of its industry (its output is part of :math:`x^a_f`, so it draws on the host's
    stocks and orders at the host's coefficients :math:`a^S_{\cdot f}`). Warm-standby capacity with a
    mobilisation lag follows Hallegatte (2008, *Risk Anal.* 28(3), §2.3: production capacity that can
    be added only after a delay) and the surge-capacity literature (e.g. the EU FAB "ever-warm"
    vaccine reserve capacity, 2022).
    """

    capacity: FArray
    lag: FArray | float = 30.0
    ramp: FArray | float = 60.0
    trigger: float = 0.01


@dataclass(frozen=True)
class ReserveStock:
    r"""A strategic reserve of product ``product`` (sector position) held in consumer ``regions``.

    The reserve is a supplier that needs no inputs: each step it releases up to ``release``
    (per region, units of Z per step) from its ``stock`` (per region; shape (S,) or (B, S)) to the
    final demand and to the ``users`` (bool (N,), the critical industries it serves) located in its
    regions, in proportion to their shortfalls:

    .. math::
        U^{fd}_{s} = \omega_k \sum_r y_{(r,i),s}(1-
ho_{(r,i)}),\qquad
        U^{g} = \omega_k \maxig(0,\ \psi s_i a^S_{ig} x^{opt}_g - \Omega_{ig}ig),\
        q_s = \min\Big(U^{fd}_s + \sum_{g \in s} U^g,\ ar q_s,\ V_s\Big),\qquad V_s \leftarrow V_s - q_s,

    (households get :math:`q_s U^{fd}_s / U_s`, users :math:`q_s U^g/U_s` added to their input stock
    :math:`\Omega_{ig}`, lifting the inventory limit of the next step). ``share`` :math:`\omega_k`
    is the part of the MRIO product the commodity can stand in for (grain is 53 % of crops, sec01).
    The restocking after the shock is a cost, not simulated. The release rule is the inventory
    mechanism of Barker & Santos (2010, *Int. J. Prod. Econ.* 126(1)) in ARIO form (Hallegatte
    2014): a buffer between the supplier's rationing and the user.
    """

    product: int
    regions: tuple[int, ...]
    stock: FArray
    release: FArray
    share: float = 1.0
    users: npt.NDArray[np.bool_] | None = None
    name: str = "reserve"


@dataclass(frozen=True)
class ARIOLevers:
    """Hinterland levers, each optionally batched (leading axis B).

    * ``alpha_max`` (N,)/(B, N): spare capacity per industry (1.25 = +25 %);
    * ``alpha_tau`` (N,)/(B, N): ramp-up time in steps;
    * ``inventory_days`` (n,)/(B, n): stockpile days per product;
    * ``masks``: supplier-eligibility windows (corridor cut, ports closed, lockdown);
    * ``demand_scale``: (start, end, (N,)/(B, N)) multipliers of final demand;
    * ``priority_users`` (N,) bool: critical industries served first under priority rationing;
    * ``backup``: dormant backup capacity (:class:`DormantCapacity`);
    * ``reserves``: strategic reserves released to final demand and critical users
      (:class:`ReserveStock`);
    * ``psi`` (B,): the inventory threshold ψ per scenario (default ``ARIOParams.psi``).
    """

    alpha_max: FArray | None = None
    alpha_tau: FArray | None = None
    inventory_days: FArray | None = None
    masks: tuple[MaskWindow, ...] = ()
    demand_scale: tuple[tuple[int, int, FArray], ...] = ()
    priority_users: npt.NDArray[np.bool_] | None = None
    backup: DormantCapacity | None = None
    reserves: tuple[ReserveStock, ...] = ()
    psi: FArray | None = None


@dataclass(frozen=True)
class ARIOModel:
    """Precomputed daily tables for :func:`simulate_ario` (build with :meth:`from_mrio`)."""

    regions: tuple[object, ...]
    sectors: tuple[object, ...]
    Z: FArray  # daily, (N, N)
    Yreg: FArray  # daily final demand by consumer region, (N, m_c)
    x0: FArray
    capital: FArray
    params: ARIOParams
    n_domestic_regions: int
    has_row: bool = False
    va: FArray = field(repr=False, default_factory=lambda: np.zeros(0))  # daily value added, 0 for RoW
    Zs: FArray = field(repr=False, default_factory=lambda: np.zeros(0))
    aS: FArray = field(repr=False, default_factory=lambda: np.zeros(0))
    threshold: npt.NDArray[np.bool_] = field(repr=False, default_factory=lambda: np.zeros(0, bool))

    @classmethod
    def from_mrio(cls, mrio: MRIO, params: ARIOParams | None = None) -> ARIOModel:
        """Daily tables from an annual MRIO; foreign imports become a supplier region ``"RoW"``.

        With ``include_imports`` and a non-empty M, imported inputs of product i are sold by a
        pseudo-industry (RoW, i) whose capacity is the import availability (import embargo lever).
        """
        params = params or ARIOParams()
        params.validate()
        m, n = mrio.n_regions, mrio.n_sectors
        Z = mrio.Z.to_numpy(dtype=float)
        Yc = mrio.Y.to_numpy(dtype=float)
        ycols = mrio.Y.columns
        creg = ycols.get_level_values(0) if isinstance(ycols, pd.MultiIndex) else ycols
        Yreg = np.zeros((m * n, m))
        for j, r in enumerate(creg):
            Yreg[:, mrio.region_position(r)] += Yc[:, j]
        x = Z.sum(axis=1) + Yc.sum(axis=1)
        va = np.maximum(x - Z.sum(axis=0), 0.0)  # value added incl. imports, as BoARIO: negative → 0
        if not mrio.M.empty:
            va = np.maximum(mrio.v.to_numpy(dtype=float), 0.0)
        regions: list[object] = list(mrio.regions)
        has_row = bool(params.include_imports and not mrio.M.empty)
        if has_row:
            rows = [str(r) for r in mrio.M.index]
            missing = [s for s in mrio.sectors if str(s) not in rows]
            if missing:
                raise ConfigError(
                    "include_imports needs M with one row per sector (imports by product); "
                    f"rows for {missing[:5]} are missing (M has {rows[:5]}...). "
                    "Fix: set include_imports=False."
                )
            # rows that are not products (e.g. 'unallocated_inflow') never constrain production
            Mdf = mrio.M.copy()
            Mdf.index = pd.Index(rows)
            M = Mdf.loc[[str(s) for s in mrio.sectors]].to_numpy(dtype=float)
            N2 = (m + 1) * n
            Zx = np.zeros((N2, N2))
            Zx[: m * n, : m * n] = Z
            Zx[m * n :, : m * n] = M
            Z = Zx
            Yreg = np.vstack([Yreg, np.zeros((n, m))])
            x = np.concatenate([x, M.sum(axis=1)])
            va = np.concatenate([va, M.sum(axis=1)])
            regions.append("RoW")
        capital = params.capital_to_va * va
        f = 1.0 / params.year_to_step
        va_dom = np.zeros(len(va))
        va_dom[: m * n] = va[: m * n]  # value added of domestic industries (imports are not VA)
        Zd = Z * f
        mm = len(regions)
        N = mm * n
        with np.errstate(divide="ignore", invalid="ignore"):
            ZS_annual = Z.reshape(mm, n, N).sum(axis=0)
            x0 = x * f
            aS = np.where(x0[None, :] > 0, ZS_annual * f / x0[None, :], 0.0)
        if params.boario_quirks:
            threshold = ZS_annual > x0[None, :] * params.input_threshold
        else:
            threshold = ZS_annual * f > x0[None, :] * params.input_threshold
        dt = np.dtype(params.dtype)
        Zs = np.ascontiguousarray(Zd.reshape(mm, n, N).transpose(1, 0, 2)).astype(dt)
        return cls(
            regions=tuple(regions),
            sectors=tuple(mrio.sectors),
            Z=Zd.astype(dt),
            Yreg=(Yreg * f).astype(dt),
            x0=x0.astype(dt),
            capital=capital.astype(dt),
            params=params,
            n_domestic_regions=m,
            has_row=has_row,
            Zs=Zs,
            aS=aS.astype(dt),
            threshold=threshold,
            va=(va_dom * f).astype(dt),
        )

    @property
    def n_regions(self) -> int:
        return len(self.regions)

    @property
    def n_sectors(self) -> int:
        return len(self.sectors)

    @property
    def n(self) -> int:
        return self.n_regions * self.n_sectors

    def with_params(self, **changes: object) -> ARIOModel:
        """Same tables, other dynamic parameters (psi, taus, inventories...; not dtype/imports)."""
        p = replace(self.params, **changes)  # type: ignore[arg-type]
        p.validate()
        return replace(self, params=p)


@dataclass(frozen=True)
class ARIOResult:
    r"""Trajectories: ``production``/``capacity``/``demand`` (T, B, N); ``fd_unmet`` (T, B, m_c, n)
    by consumer region and product (after reserve releases); ``inventories`` (T, B, n, N) if recorded;
    ``balance`` (T, B) the mass-balance residual Σx^a − (delivered orders + final demand) per step.

    Always recorded, per step and domestic region r (the losses an assessment needs, small enough
    for large batches): ``va_loss`` (T, B, m) value added lost,
    :math:`\sum_{i} v_{(r,i)} \max(0, 1 - x^a_{(r,i)}/x_{0,(r,i)})` — an industry producing above
    normal is not netted against the others; ``output_loss`` (T, B, m) the net output change
    :math:`\sum_i (x_0 - x^a)`; ``fd_loss`` (T, B, m_c) final demand not met by consumer region;
    ``reserve_release`` (T, B, 2K) what each of the K reserves released in all (first K) and to
    households (last K); ``backup_online`` (T, B) dormant backup capacity online (after damage);
    ``va_net`` (T, B, m) the net value-added change :math:`\sum_i v (1 - x^a/x_0)` (negative when a
    region produces above normal), which is what GDP statistics measure."""

    production: FArray
    capacity: FArray
    demand: FArray
    fd_unmet: FArray
    balance: FArray
    x0: FArray
    inventories: FArray | None = None
    reconstruction: FArray | None = None  # (T, B) reconstruction demand left after each step
    va_loss: FArray | None = None
    output_loss: FArray | None = None
    fd_loss: FArray | None = None
    reserve_release: FArray | None = None
    backup_online: FArray | None = None
    va_net: FArray | None = None


def _cpus() -> int:
    """Threads for a batch: ``HINTERLAND_THREADS`` if set (the ensemble runner's worker processes set
    their share), else the CPUs this process may run on (the affinity mask where the OS has one)."""
    env = os.environ.get("HINTERLAND_THREADS", "")
    if env.isdigit() and int(env) >= 1:
        return int(env)
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _bn(a: FArray | None, B: int, N: int, default: float, dt: np.dtype) -> FArray:
    if a is None:
        return np.full((B, N), default, dtype=dt)
    arr = np.asarray(a, dtype=dt)
    if arr.shape[-1] != N or arr.ndim > 2:
        raise ConfigError(f"lever array has shape {arr.shape}; expected ({N},) or (B, {N})")
    return np.broadcast_to(arr, (B, N)).copy()


def _event_value(ev: ARIOEvent, t: int, quirks: bool, digits: int) -> FArray | None:
    """Impact still active at the start of step ``t`` (BoARIO's event timeline)."""
    o, d = ev.occurrence, ev.duration
    if t < o:
        return None
    imp = np.asarray(ev.impact, dtype=float)
    if t <= o + d:
        return imp
    e = t - 1 - o - d
    if ev.recovery == "linear":
        if e >= ev.recovery_tau:
            return None
        val = imp * (1.0 - e / ev.recovery_tau)
    else:
        val = imp * (1.0 - 1.0 / ev.recovery_tau) ** e
    if quirks:
        val = np.round(val, digits)
    if not np.any(val):
        return None
    return val


def _check_events(events: Sequence[ARIOEvent], model: ARIOModel, steps: int, B: int) -> None:
    N = model.n
    for k, ev in enumerate(events):
        imp = np.asarray(ev.impact, dtype=float)
        if imp.shape[-1] != N or imp.ndim > 2 or (imp.ndim == 2 and imp.shape[0] != B):
            raise ConfigError(f"event {k}: impact has shape {imp.shape}; expected ({N},) or ({B}, {N})")
        if not np.isfinite(imp).all() or np.any(imp < 0):
            raise ConfigError(f"event {k}: impact must be finite and ≥ 0")
        if ev.kind == "arbitrary" and np.any(imp > 1):
            raise ConfigError(
                f"event {k}: capacity-loss shares must lie in [0, 1], max is {imp.max():.4g}. "
                "Fix: give shares (0.3 = 30 %), not percent."
            )
        if ev.kind not in ("arbitrary", "capital", "rebuild"):
            raise ConfigError(
                f"event {k}: unknown kind {ev.kind!r}; expected 'arbitrary', 'capital' or 'rebuild'"
            )
        if ev.kind == "rebuild":
            names = [str(s) for s in model.sectors]
            shares = dict(ev.rebuild_sectors)
            bad = [str(s) for s in shares if str(s) not in names]
            if not shares or bad:
                raise ConfigError(
                    f"event {k}: rebuild_sectors {sorted(map(str, shares))} must name sectors of the table "
                    f"({', '.join(names[:8])}, ...); unknown: {bad}. Fix: e.g. {{'{names[-1]}': 1.0}}."
                )
            vals = np.array(list(shares.values()), dtype=float)
            if np.any(vals < 0) or abs(vals.sum() - 1) > 1e-6:
                raise ConfigError(
                    f"event {k}: rebuild_sectors shares must be ≥ 0 and sum to 1 (sum is {vals.sum():.6g}). "
                    "Fix: rescale the shares."
                )
            tau = np.asarray(ev.rebuild_tau, dtype=float)
            if (
                tau.ndim > 1
                or (tau.ndim == 1 and tau.shape[0] != B)
                or not np.all(np.isfinite(tau))
                or np.any(tau < 1)
                or (model.params.boario_quirks and np.any(tau != np.round(tau)))
                or not ev.rebuilding_factor > 0
            ):
                raise ConfigError(
                    f"event {k}: rebuild_tau = {ev.rebuild_tau} must be ≥ 1 step (an integer with "
                    f"boario_quirks; one value or one per scenario, {B}) and rebuilding_factor = "
                    f"{ev.rebuilding_factor} must be > 0"
                )
        if ev.occurrence < 1 or ev.duration < 0 or ev.recovery_tau < 1:
            raise ConfigError(
                f"event {k}: occurrence must be ≥ 1, duration ≥ 0 and recovery_tau ≥ 1 step "
                f"(got {ev.occurrence}, {ev.duration}, {ev.recovery_tau})"
            )
        if ev.occurrence + ev.duration > steps:
            raise ConfigError(
                f"event {k}: occurrence + duration = {ev.occurrence + ev.duration} exceeds the "
                f"{steps} simulated steps. Fix: simulate longer or shorten the event."
            )
        if ev.kind in ("capital", "rebuild"):
            over = np.broadcast_to(imp, (B, N)) > model.capital[None, :] * (1 + 1e-12)
            if over.any():
                b, f = np.argwhere(over)[0]
                r, s = divmod(int(f), model.n_sectors)
                raise InfeasibleError(
                    f"event {k}: destroyed capital {np.broadcast_to(imp, (B, N))[b, f]:.6g} of industry "
                    f"({model.regions[r]}, {model.sectors[s]}) exceeds its capital stock "
                    f"{model.capital[f]:.6g} (= {model.params.capital_to_va} × value added). "
                    "Fix: lower the loss to at most the capital stock."
                )


def simulate_ario(
    model: ARIOModel,
    events: Sequence[ARIOEvent] = (),
    steps: int = 365,
    *,
    batch: int | None = None,
    levers: ARIOLevers | None = None,
    record_inventories: bool = False,
    record_flows: bool = True,
    record_detail: bool = True,
    threads: int | None = None,
) -> ARIOResult:
    """Run ``steps`` ARIO steps for a batch of scenarios (see the module docstring for the equations).

    ``record_flows=False`` keeps only production and final demand not met (``capacity`` and
    ``demand`` come back with zero steps), which saves memory for large batches;
    ``record_detail=False`` drops those too (zero steps) and keeps only the per-region losses
    (``va_loss``, ``output_loss``, ``fd_loss``) and the lever records. ``threads``
    (default: the CPUs this process may use) splits the batch into that many groups of scenarios,
    simulated side by side in threads with single-threaded BLAS (scenarios never interact); results
    do not depend on it.
    """
    if threads is not None and threads < 1:
        raise ConfigError(f"threads must be ≥ 1, got {threads}")
    if steps < 1:
        raise ConfigError(f"steps must be ≥ 1, got {steps}")
    B = batch or 1
    for ev in events:
        imp = np.asarray(ev.impact)
        if imp.ndim == 2 and batch is None:
            B = imp.shape[0]
    _check_events(events, model, steps, B)
    lev = levers or ARIOLevers()
    k = min(threads or _cpus(), B)
    _check_levers(lev, model, B)
    if k <= 1:
        # one group: BLAS may use the CPUs this run is given (a worker process given one CPU must not
        # start more BLAS threads than that: two pools of busy-waiting threads on two cores crawl)
        with threadpool_limits(threads or _cpus(), user_api="blas"):
            return _simulate(model, events, steps, B, lev, record_inventories, record_flows, record_detail)
    parts = [(int(r[0]), int(r[-1]) + 1) for r in np.array_split(np.arange(B), k)]
    with threadpool_limits(1, user_api="blas"), ThreadPoolExecutor(k) as pool:
        futures = [
            pool.submit(
                _simulate,
                model,
                [_event_rows(ev, b0, b1, B) for ev in events],
                steps,
                b1 - b0,
                _lever_rows(lev, b0, b1, B),
                record_inventories,
                record_flows,
                record_detail,
            )
            for b0, b1 in parts
        ]
        res = [f.result() for f in futures]

    def cat(name: str) -> FArray | None:
        arrays = [getattr(r, name) for r in res]
        return None if arrays[0] is None else np.concatenate(arrays, axis=1)

    return ARIOResult(
        cat("production"), cat("capacity"), cat("demand"), cat("fd_unmet"), cat("balance"),  # type: ignore[arg-type]
        res[0].x0, cat("inventories"), cat("reconstruction"), cat("va_loss"), cat("output_loss"),
        cat("fd_loss"), cat("reserve_release"), cat("backup_online"), cat("va_net"),
    )  # fmt: skip


def _rows(a: FArray, b0: int, b1: int, B: int, ndim: int) -> FArray:
    """Scenarios b0..b1 of a per-scenario array (leading axis B when it has ``ndim`` axes)."""
    arr = np.asarray(a)
    return arr[b0:b1] if arr.ndim == ndim and arr.shape[0] == B else arr


def _event_rows(ev: ARIOEvent, b0: int, b1: int, B: int) -> ARIOEvent:
    tau = ev.rebuild_tau
    if np.ndim(tau) == 1:
        tau = np.asarray(tau)[b0:b1]
    return replace(ev, impact=_rows(ev.impact, b0, b1, B, 2), rebuild_tau=tau)


def _lever_rows(lev: ARIOLevers, b0: int, b1: int, B: int) -> ARIOLevers:
    """The levers of scenarios b0..b1 (levers shared by every scenario are kept as they are)."""

    def opt(a: FArray | None) -> FArray | None:
        return None if a is None else _rows(a, b0, b1, B, 2)

    backup = lev.backup
    if backup is not None:
        backup = replace(backup, capacity=_rows(backup.capacity, b0, b1, B, 2))
    return replace(
        lev,
        alpha_max=opt(lev.alpha_max),
        alpha_tau=opt(lev.alpha_tau),
        inventory_days=opt(lev.inventory_days),
        masks=tuple(replace(w, mask=_rows(w.mask, b0, b1, B, 3)) for w in lev.masks),
        demand_scale=tuple((s, e, _rows(sc, b0, b1, B, 2)) for s, e, sc in lev.demand_scale),
        backup=backup,
        reserves=tuple(
            replace(r, stock=_rows(r.stock, b0, b1, B, 2), release=_rows(r.release, b0, b1, B, 2))
            for r in lev.reserves
        ),
        psi=None if lev.psi is None else _rows(lev.psi, b0, b1, B, 1),
    )


def _check_levers(lev: ARIOLevers, model: ARIOModel, B: int) -> None:
    """Shapes and ranges of the backup, reserve and ψ levers (the others are checked in the run)."""
    N, n, m = model.n, model.n_sectors, model.n_domestic_regions
    if lev.psi is not None:
        psi = np.asarray(lev.psi, dtype=float)
        if psi.shape not in ((B,), ()) or not np.all((psi > 0) & (psi <= 1)):
            raise ConfigError(f"psi lever must hold {B} values in (0, 1], got {psi!r}")
    bk = lev.backup
    if bk is not None:
        cap = np.asarray(bk.capacity, dtype=float)
        if cap.shape not in ((N,), (B, N)) or not np.all(np.isfinite(cap)) or np.any(cap < 0):
            raise ConfigError(
                f"backup capacity must be finite, ≥ 0 and of shape ({N},) or ({B}, {N}); got shape "
                f"{cap.shape}. Fix: give output per step for every industry (0 = no backup)."
            )
        for name in ("lag", "ramp"):
            v = np.asarray(getattr(bk, name), dtype=float)
            if v.shape not in ((), (N,)) or not np.all(np.isfinite(v)):
                raise ConfigError(f"backup {name} must be one number or {N} numbers of steps, got {v!r}")
        if np.any(np.asarray(bk.lag) < 0) or np.any(np.asarray(bk.ramp) < 1):
            raise ConfigError(
                f"backup lag must be ≥ 0 steps and ramp ≥ 1 step (got lag {bk.lag}, ramp {bk.ramp})"
            )
        if not 0 <= bk.trigger < 1:
            raise ConfigError(f"backup trigger = {bk.trigger} must be a shortfall share in [0, 1)")
    for k, r in enumerate(lev.reserves):
        where = f"reserve {k} ({r.name})"
        if not 0 <= r.product < n:
            raise ConfigError(f"{where}: product position {r.product} is not in 0..{n - 1}")
        if not r.regions or any(not 0 <= s < m for s in r.regions) or len(set(r.regions)) != len(r.regions):
            raise ConfigError(
                f"{where}: regions {r.regions} must be distinct domestic region positions 0..{m - 1}"
            )
        S = len(r.regions)
        for name in ("stock", "release"):
            v = np.asarray(getattr(r, name), dtype=float)
            if v.shape not in ((S,), (B, S)) or not np.all(np.isfinite(v)) or np.any(v < 0):
                raise ConfigError(
                    f"{where}: {name} must be finite, ≥ 0 and of shape ({S},) or ({B}, {S}); got {v!r}"
                )
        if not 0 < r.share <= 1:
            raise ConfigError(f"{where}: share = {r.share} must be in (0, 1]")
        if r.users is not None and np.asarray(r.users).shape != (N,):
            raise ConfigError(f"{where}: users must be a boolean mask of the {N} industries")
    if lev.reserves and model.params.boario_quirks:
        raise ConfigError(
            "reserves cannot be combined with boario_quirks (the BoARIO comparison preset). "
            "Fix: use ARIOParams() without quirks."
        )


@dataclass
class _Setup:
    """What one group's run keeps fixed: parameters with a batch axis, stock constants, buffers' shapes."""

    dt: np.dtype
    quirks: bool
    amax: FArray  # (B, N) spare capacity
    atau: FArray  # (B, N) ramp-up time
    psi_s: FArray  # (n, B, 1) ψ s_i
    inv_req: FArray  # (n, Bp, N) 1 / (ψ s_i a^S_ig) for constraining inputs, NaN elsewhere
    s_aS: FArray  # (n, Bp, N) s_i a^S_ig
    tau_vec: FArray  # (n,) 1 / τ_INV per product
    zs_nz: npt.NDArray[np.bool_]  # (n, N): products i that industry g uses at all
    close_check: bool
    blocks: list[tuple[slice, slice]]
    bsz: int
    omega0: FArray  # (n, Bp, N) initial stocks
    prio: npt.NDArray[np.bool_] | None  # (N,) critical users under priority rationing
    prio_idx: npt.NDArray[np.intp]
    Zs_prio: FArray
    Y3: FArray  # (n, m, m_c) final demand by product, supplier region, consumer region
    y0: FArray  # (N,)
    ksafe: FArray
    has_capital: npt.NDArray[np.bool_]

    @classmethod
    def build(cls, model: ARIOModel, lev: ARIOLevers, B: int) -> _Setup:
        p = model.params
        dt = np.dtype(p.dtype)
        m, n, N = model.n_regions, model.n_sectors, model.n
        quirks = p.boario_quirks
        Zs, aS, thr, x0 = model.Zs, model.aS, model.threshold, model.x0
        amax = _bn(lev.alpha_max, B, N, p.alpha_max, dt)
        if model.has_row and lev.alpha_max is None:
            amax[:, model.n_domestic_regions * n :] = 1.0
        atau = _bn(lev.alpha_tau, B, N, p.alpha_tau, dt)
        if np.any(atau <= 1):
            raise ConfigError("alpha_tau (ramp-up time) must be > 1 step for every industry")
        if np.any(amax < p.alpha_base):
            raise ConfigError(f"alpha_max (spare capacity) must be ≥ alpha_base = {p.alpha_base} everywhere")
        days = np.broadcast_to(np.asarray(p.inventory_days, dtype=float), (n,)).copy()
        psi_b = np.broadcast_to(np.asarray(p.psi if lev.psi is None else lev.psi, dtype=float), (B,)).copy()
        restore = np.full(n, 1.0 / p.inventory_tau)
        for prod in p.non_stockable:
            pos = [i for i, s in enumerate(model.sectors) if str(s) == str(prod)]
            if not pos:
                raise ConfigError(f"non_stockable product {prod!r} is not a sector of the table")
            restore[pos[0]] = 1.0  # a non-stockable input is re-ordered in full every step
        ns = restore == 1.0
        s_bn = np.broadcast_to(days[None, :], (B, n)).copy()
        if lev.inventory_days is not None:
            s_bn = np.broadcast_to(np.asarray(lev.inventory_days, dtype=float), (B, n)).copy()
            if np.any(s_bn <= 0):
                raise ConfigError("stockpile days must be > 0")
        # non-stockable products: threshold ψ s = 1 step, never more is used than is in stock
        s_bn[:, ns] = (1.0 / psi_b)[:, None]
        if quirks:
            s_bn[s_bn <= 1] = 2.0
        s_fin = np.where(np.isfinite(s_bn), s_bn, 0.0).T[:, :, None].astype(dt)  # (n, B, 1)
        s_inf = ~np.isfinite(s_bn).T[:, :, None]  # (n, B, 1)
        psi_s = (psi_b[None, :, None] * s_fin).astype(dt)  # (n, B, 1)
        tau_inv = restore[:, None, None].astype(dt) if p.non_stockable else dt.type(1.0 / p.inventory_tau)
        # constants: (n, 1, N) when every scenario has the same stockpile days and ψ, else (n, B, N)
        Bp = 1 if bool(np.all(s_bn == s_bn[:1]) and np.all(psi_b == psi_b[0])) else B
        base_use = aS[:, None, :] * x0[None, None, :]  # (n, 1, N)
        # initial stocks: computed once per distinct stockpile setting, then copied out to (n, B, N)
        omega0 = np.where(s_inf[:, :Bp], np.inf, base_use * s_fin[:, :Bp]).astype(dt)  # (n, Bp, N)
        with np.errstate(divide="ignore"):
            inv_req = np.where(
                thr[:, None, :] & (psi_s[:, :Bp] * aS[:, None, :] > 0),
                1.0 / (psi_s[:, :Bp] * aS[:, None, :]),
                np.nan,
            ).astype(dt)
        s_aS = np.ascontiguousarray(s_fin[:, :Bp] * aS[:, None, :]).astype(dt)  # (n, Bp, N)
        tau_vec = (
            np.ascontiguousarray(tau_inv[:, 0, 0])
            if isinstance(tau_inv, np.ndarray)
            else np.full(n, tau_inv, dtype=dt)
        )
        # the per-step work runs over blocks of products × scenarios whose products with Z (the
        # (k, J·nb, N) temporaries) stay in cache while the compiled pass uses them
        bsz = max(1, min(B, _BLOCK // N))
        kp = max(1, min(n, _BLOCK // (bsz * N)))
        blocks = [
            (slice(i, min(i + kp, n)), slice(b, min(b + bsz, B)))
            for b in range(0, B, bsz)
            for i in range(0, n, kp)
        ]
        prio = None
        if p.rationing == "priority":
            prio = np.zeros(N, bool) if lev.priority_users is None else np.asarray(lev.priority_users, bool)
            if prio.shape != (N,):
                raise ConfigError(f"priority_users must have {N} entries")
        prio_idx = np.flatnonzero(np.zeros(N, bool) if prio is None else prio)
        Yreg = model.Yreg
        return cls(
            dt=dt,
            quirks=quirks,
            amax=amax,
            atau=atau,
            psi_s=psi_s,
            inv_req=inv_req,
            s_aS=s_aS,
            tau_vec=tau_vec,
            zs_nz=np.ascontiguousarray(Zs.sum(axis=1) != 0),
            close_check=quirks and not bool(s_inf.any()),
            blocks=blocks,
            bsz=bsz,
            omega0=omega0,
            prio=prio,
            prio_idx=prio_idx,
            Zs_prio=np.ascontiguousarray(Zs[:, :, prio_idx]) if prio is not None else Zs,
            Y3=np.ascontiguousarray(Yreg.reshape(m, n, Yreg.shape[1]).transpose(1, 0, 2)),
            y0=Yreg.sum(axis=1),
            ksafe=np.where(model.capital > 0, model.capital, 1.0),
            has_capital=model.capital > 0,
        )


@dataclass
class _State:
    """What one step hands to the next: stocks Ω (n, B, N), routing ratios R = O^S / (S diag(c) Z)
    (n, B, N), the intermediate demand d = c ⊙ Z-row sums of R (B, N), the inventory limit
    min_i Ω/(ψ s a^S) (B, N), overproduction α, last production, order weights c and masks."""

    omega: FArray
    omega_new: FArray
    R: FArray
    R_new: FArray
    d_int: FArray
    worst: FArray
    alpha: FArray
    x_prev: FArray
    c_ord: FArray
    mask_ord: FArray | None
    moved: npt.NDArray[np.bool_]
    close: npt.NDArray[np.bool_]

    @classmethod
    def start(cls, model: ARIOModel, su: _Setup, B: int) -> _State:
        """The run starts in equilibrium, the same in every scenario: R and d from one scenario's
        orders; with the quirks, Ω and R are double-buffered (see :func:`_settle`)."""
        p, dt = model.params, su.dt
        n, m, N = model.n_sectors, model.n_regions, model.n
        omega = np.empty((n, B, N), dtype=dt)
        omega[...] = su.omega0
        OS0 = np.ascontiguousarray(model.aS[:, None, :] * model.x0[None, None, :]).astype(dt)  # O^S = a^S x0
        R0 = _ratio(OS0, _sdz(model.Zs, np.ones((n, 1, m), dtype=dt), None))
        R = np.empty((n, B, N), dtype=dt)
        R[...] = R0
        w0 = _worst(su.omega0, su.inv_req)  # (Bp, N)
        return cls(
            omega=omega,
            omega_new=np.empty_like(omega) if su.quirks else omega,
            R=R,
            R_new=R.copy() if su.quirks else R,
            d_int=np.repeat(_zrow(model.Zs, R0, None).reshape(1, N), B, axis=0),
            worst=np.repeat(w0, B, axis=0) if w0.shape[0] == 1 else w0,
            alpha=np.full((B, N), p.alpha_base, dtype=dt).astype(np.float64),  # dtype's value, in float64
            x_prev=np.ascontiguousarray(np.broadcast_to(model.x0, (B, N)), dtype=np.float64),  # x0 exactly
            c_ord=np.ones((B, N), dtype=dt),
            mask_ord=None,
            moved=np.ones(B, bool) if not su.quirks else np.zeros(B, bool),  # the run starts in equilibrium
            close=np.full(B, su.close_check),
        )


class _Shocks:
    """The events of a run: capital losses, reconstruction and arbitrary capacity losses by step."""

    def __init__(self, events: Sequence[ARIOEvent], model: ARIOModel, su: _Setup, B: int) -> None:
        self.cap_events = [ev for ev in events if ev.kind == "capital"]
        self.rebuilds = [_Rebuild.start(ev, model, B, su.dt) for ev in events if ev.kind == "rebuild"]
        self.arb_events = [ev for ev in events if ev.kind == "arbitrary"]
        self.arb_prev = np.zeros((B, model.n), dtype=su.dt)
        self.su, self.B, self.N = su, B, model.n

    def at(self, t: int) -> tuple[FArray, FArray | float]:
        """Capacity loss Δ (B, N) and reconstruction demand (B, N, or 0.0) of step ``t``."""
        su, B, N = self.su, self.B, self.N
        lost: FArray | float = 0.0
        for ev in self.cap_events:
            val = _event_value(ev, t, su.quirks, 7)
            if val is not None:
                lost = lost + val
        reb: FArray | float = 0.0
        for rb in self.rebuilds:
            if t >= rb.ev.occurrence:
                lost = lost + rb.lost()
            if t >= rb.ev.occurrence + rb.ev.duration:
                reb = reb + rb.demand()
        arb = np.zeros((B, N))
        for ev in self.arb_events:
            val = _event_value(ev, t, su.quirks, 6)
            if val is not None:
                arb = np.maximum(arb, val)
        delta_k = (
            np.where(su.has_capital, np.broadcast_to(lost, (B, N)) / su.ksafe, 0.0)
            if isinstance(lost, np.ndarray)
            else 0.0
        )
        if su.quirks:
            delta = np.maximum(delta_k, self.arb_prev)
            self.arb_prev = arb.astype(su.dt)
        else:
            delta = np.maximum(delta_k, arb)
        if np.any(delta > 1):
            raise InfeasibleError(
                f"step {t}: capacity loss above 100 % ({delta.max():.4g}); lower the shocks"
            )
        return delta, reb

    def serve(self, t: int, reb: FArray | float, rho_reb: FArray) -> FArray | float:
        """Serve the reconstruction demand with the final-demand share; the demand served (B,)."""
        if not self.rebuilds:
            return 0.0
        served = (reb * rho_reb).sum(axis=1)
        for rb in self.rebuilds:
            if t >= rb.ev.occurrence + rb.ev.duration:
                rb.serve(rho_reb, self.su.quirks)
        return served  # type: ignore[no-any-return]

    def left(self, t: int) -> FArray | float:
        """Reconstruction demand still open (B,)."""
        return sum(rb.left() for rb in self.rebuilds if t >= rb.ev.occurrence)  # type: ignore[return-value]


@dataclass
class _Recorder:
    """The outputs of one run, filled step by step."""

    x: FArray
    cap: FArray
    d: FArray
    fd: FArray
    bal: FArray
    inv: FArray | None
    reb: FArray | None
    va: FArray
    van: FArray
    ol: FArray
    fdl: FArray
    rel: FArray | None
    bk: FArray | None
    x0_dom: FArray
    va_coef: FArray
    detail: bool
    flows: bool

    @classmethod
    def start(
        cls, model: ARIOModel, su: _Setup, B: int, steps: int, lev: ARIOLevers, rebuilds: bool,
        record_inventories: bool, record_flows: bool, record_detail: bool,
    ) -> _Recorder:  # fmt: skip
        dt, N, n = su.dt, model.n, model.n_sectors
        m_c = model.Yreg.shape[1]
        T_det = steps if record_detail else 0
        T_flow = steps if record_flows and record_detail else 0
        # per-region losses, always recorded: value added lost (no netting of above-normal output),
        # net output change, final demand not met
        md = model.n_domestic_regions
        dom = md * n
        x0_dom = np.asarray(model.x0[:dom], dtype=np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            va_coef = np.where(x0_dom > 0, np.asarray(model.va[:dom], dtype=np.float64) / x0_dom, 0.0)
        return cls(
            x=np.empty((T_det, B, N), dtype=dt),
            cap=np.empty((T_flow, B, N), dtype=dt),
            d=np.empty((T_flow, B, N), dtype=dt),
            fd=np.empty((T_det, B, m_c, n), dtype=dt),
            bal=np.empty((steps, B), dtype=dt),
            inv=np.empty((steps, B, n, N), dtype=dt) if record_inventories else None,
            reb=np.zeros((steps, B), dtype=dt) if rebuilds else None,
            va=np.empty((steps, B, md)),
            van=np.empty((steps, B, md)),
            ol=np.empty((steps, B, md)),
            fdl=np.empty((steps, B, m_c)),
            rel=np.zeros((steps, B, 2 * len(lev.reserves))) if lev.reserves else None,
            bk=np.zeros((steps, B)) if lev.backup is not None else None,
            x0_dom=x0_dom,
            va_coef=va_coef,
            detail=record_detail,
            flows=record_flows,
        )

    def losses(self, t: int, xa: FArray, fd_t: FArray) -> None:
        """Step ``t``'s value added lost (gross and net), output lost and final demand not met."""
        B, md = self.va.shape[1], self.va.shape[2]
        dom = len(self.x0_dom)
        xa_d = np.asarray(xa[:, :dom], dtype=np.float64)
        self.fdl[t] = fd_t.sum(axis=2)
        self.va[t] = (np.maximum(self.x0_dom - xa_d, 0.0) * self.va_coef).reshape(B, md, -1).sum(axis=2)
        self.van[t] = ((self.x0_dom - xa_d) * self.va_coef).reshape(B, md, -1).sum(axis=2)
        self.ol[t] = (self.x0_dom - xa_d).reshape(B, md, -1).sum(axis=2)

    def result(self, x0: FArray) -> ARIOResult:
        return ARIOResult(
            self.x, self.cap, self.d, self.fd, self.bal, np.asarray(x0), self.inv, self.reb, self.va,
            self.ol, self.fdl, self.rel, self.bk, self.van,
        )  # fmt: skip


def _priority_production(
    model: ARIOModel,
    su: _Setup,
    s: _State,
    t: int,
    D: FArray,
    delta: FArray,
    extra: FArray,
    y_t: FArray,
    reb: FArray | float,
) -> tuple[FArray, FArray, FArray, FArray, FArray, FArray, FArray]:
    """Steps 2–4 under priority rationing (numpy): overproduction (updates ``s.alpha``), production,
    and the rationing shares of the priority class and of the rest. Returns x^cap, x^opt, x^a, the
    two classes' distribution vectors (product-major) and the shares for reconstruction and final
    demand."""
    p = model.params
    m, n = model.n_regions, model.n_sectors
    assert su.prio is not None
    if t > 1:
        zeta = np.zeros_like(D)
        np.divide(D - s.x_prev, D, out=zeta, where=D != 0)
        s.alpha = s.alpha + ((su.amax - s.alpha) * zeta + (p.alpha_base - s.alpha) * (zeta == 0)) / su.atau
        np.maximum(s.alpha, 1.0, out=s.alpha)
    # 3. production: x^a_g = x^opt_g min(1, min_i Ω_ig / (ψ s_i a^S_ig x^opt_g))
    cap = model.x0 * (1 - delta) * s.alpha + extra
    xopt = np.fmin(D, cap)
    lim = np.full_like(xopt, np.inf)
    np.divide(s.worst, xopt, out=lim, where=xopt > 0)
    xa = xopt * np.minimum(lim, 1.0)
    # 4. the priority class: critical users' orders, reconstruction and (unless switched off) final
    # demand; everyone else shares what is left
    first = y_t + reb if p.priority_final_demand else reb
    if s.mask_ord is None:  # the priority users' orders: Z-row sums over their columns only
        zr = _zrow(su.Zs_prio, np.ascontiguousarray(s.R[:, :, su.prio_idx]), None)
    else:
        zr = _zrow(model.Zs, s.R * su.prio[None, None, :], s.mask_ord)
    B, N = D.shape
    d_prio = s.c_ord * zr.reshape(B, N) + first
    served_p = np.minimum(xa, d_prio)
    rho_p = np.zeros_like(D)
    np.divide(served_p, d_prio, out=rho_p, where=d_prio != 0)
    rest = D - d_prio
    rho_r = np.zeros_like(D)
    np.divide(xa - served_p, rest, out=rho_r, where=rest > 1e-300)
    np.minimum(rho_r, 1.0, out=rho_r)
    V_dist = _pm(s.c_ord * rho_p, m, n)
    V_r = _pm(s.c_ord * rho_r, m, n)
    return cap, xopt, xa, V_dist, V_r, rho_p, rho_p if p.priority_final_demand else rho_r


def _settle(
    su: _Setup,
    s: _State,
    st: _StepArrays,
    V_group: FArray,
    compiled: bool,
    flags: npt.NDArray[np.bool_],
    work: dict[tuple[int, int], FArray],
    group_bufs: tuple[FArray, FArray, FArray],
) -> None:
    """Steps 4–5 over every block: stock updates, orders, routing ratios and the inventory limit.
    With the BoARIO quirks, a scenario whose ``np.allclose`` decisions differ from the prediction
    (the previous step's) is redone from the old state; then the double buffers are swapped."""
    active = st.active
    for _attempt in range(2):
        if compiled:  # every block in one GIL-free call
            step_group(
                st.Zs, V_group, st.R, st.R_new, st.omega, st.omega_new, st.aS, st.xa, st.s_aS, st.xgoal,
                st.inv_req, st.tau, st.zs_nz, st.prio, s.moved, s.close, active, flags, st.worst,
                st.delivered, st.d3, su.bsz, group_bufs, static_nz=st.static_nz, quirks=st.quirks,
                close_check=st.close_check, has_prio=st.has_prio,
            )  # fmt: skip
        else:
            _run_blocks(su.blocks, work, st)
        if not su.quirks:
            break
        # the decisions BoARIO takes on this step's data; they are the next step's prediction
        seen_moved = flags[0].copy()
        seen_close = su.close_check & ~np.where(seen_moved, flags[1], flags[2])
        active = (seen_moved != s.moved) | (seen_close != s.close)
        s.moved, s.close = seen_moved, seen_close
        st = replace(st, moved=s.moved, close=s.close, active=active)
        if not active.any():
            break
        st.worst[active] = np.inf
        flags[:, active] = False
        if st.has_prio:
            st.delivered[active] = 0.0
    if su.quirks:
        s.omega, s.omega_new = s.omega_new, s.omega
        s.R, s.R_new = s.R_new, s.R


def _simulate(
    model: ARIOModel,
    events: Sequence[ARIOEvent],
    steps: int,
    B: int,
    lev: ARIOLevers,
    record_inventories: bool,
    record_flows: bool,
    record_detail: bool = True,
) -> ARIOResult:
    """:func:`simulate_ario` for one group of ``B`` scenarios (inputs checked by the caller): the
    setup (:class:`_Setup`), the state handed from step to step (:class:`_State`), the events
    (:class:`_Shocks`) and the outputs (:class:`_Recorder`), then the steps of the module docstring."""
    p = model.params
    su = _Setup.build(model, lev, B)
    dt, quirks, prio = su.dt, su.quirks, su.prio
    m, n, N = model.n_regions, model.n_sectors, model.n
    Zs, aS, x0, y0 = model.Zs, model.aS, model.x0, su.y0
    s = _State.start(model, su, B)
    shocks = _Shocks(events, model, su, B)
    rec = _Recorder.start(
        model, su, B, steps, lev, bool(shocks.rebuilds), record_inventories, record_flows, record_detail
    )
    work: dict[tuple[int, int], FArray] = {}
    flags = np.zeros((3, B), bool)
    d3 = np.empty((B, m, n), dtype=dt)
    prio_vec = np.zeros(N, bool) if prio is None else np.ascontiguousarray(prio)
    backup = _BackupState.start(lev.backup, model, B, steps) if lev.backup is not None else None
    reserves = [_ReserveState.start(r, model, B) for r in lev.reserves]
    res_users = np.unique(np.concatenate([r.users for r in reserves])) if reserves else np.zeros(0, np.intp)
    # buffers of the compiled path (proportional rationing): two order-weight vectors c (this step's
    # and the previous), V = [cρ, c'] product-major
    c_bufs = (s.c_ord, np.ones((B, N), dtype=dt))
    cbuf = 0
    direct = dt == np.float64 and record_detail
    D_buf, cap_buf, xopt_buf, rho_buf = (np.empty((B, N)) for _ in range(4))
    xa_bufs = (np.empty((B, N)), np.empty((B, N)))  # x^a and x_prev alternate (float32 runs)
    row_buf = np.empty(N)
    V_buf = np.empty((n, 2, B, m), dtype=dt)
    reb_zero = np.zeros((1, N))
    D: FArray
    cap: FArray
    xopt: FArray
    xa: FArray
    rho_fd: FArray
    rho_reb: FArray
    V_dist: FArray
    V_r: FArray
    J_classes = 2 if p.rationing != "priority" else 3  # [cρ, c'] or [cρ_first, cρ_rest, c']
    group_bufs = (
        np.empty(J_classes * su.bsz * m, dtype=dt),
        np.empty(J_classes * su.bsz * N, dtype=dt),
        np.empty(m * su.bsz, dtype=dt),
    )
    for t in range(steps):
        # 1. events -> capacity loss; dormant capacity online; final demand and masks of the step
        delta, reb = shocks.at(t)
        extra = reb_zero if backup is None else backup.step(t, delta)
        scale: FArray | float = 1.0
        for start, end, sc in lev.demand_scale:
            if start <= t < end:
                scale = scale * np.asarray(sc, dtype=dt)
        y_t = y0[None, :] * scale if isinstance(scale, np.ndarray) else y0[None, :]  # (B or 1, N)
        mask_now = None
        for w in lev.masks:
            if w.start <= t < w.end:
                mk = np.broadcast_to(np.asarray(w.mask, dtype=dt), (B, m, m))
                mask_now = mk if mask_now is None else mask_now * mk

        # 2. demand and overproduction, 3. production, 4. rationing shares
        if prio is None:  # compiled, GIL-free; xa, D and cap go straight to the outputs
            cbuf = 1 - cbuf
            c_new = c_bufs[cbuf]
            xa_buf = xa_bufs[cbuf]
            # float64 runs write x^a, D and x^cap straight into the outputs (float32 ones keep them in
            # float64, as the numpy expressions do, and store them rounded below)
            xa = rec.x[t] if direct else xa_buf
            D = rec.d[t] if record_flows and direct else D_buf
            cap = rec.cap[t] if record_flows and direct else cap_buf
            prestep(
                t > 1, s.d_int, y_t, reb_zero if isinstance(reb, float) else reb, s.x_prev, s.alpha,
                su.amax, su.atau, p.alpha_base, np.broadcast_to(delta, (B, N)), x0, extra, s.worst, s.c_ord,
                p.order_type == "alt", n, (D, cap, xopt_buf, xa, rho_buf, c_new, V_buf, row_buf),
            )  # fmt: skip
            xopt, rho = xopt_buf, rho_buf
            rho_fd = rho_reb = rho
        else:
            D = s.d_int + y_t + reb
            cap, xopt, xa, V_dist, V_r, rho_reb, rho_fd = _priority_production(
                model, su, s, t, D, delta, extra, y_t, reb
            )
        # reconstruction served with the final-demand share; capital lost = demand left / φ
        served_reb = shocks.serve(t, reb, rho_reb)
        xgoal = xopt
        if shocks.rebuilds:
            rec.reb[t] = shocks.left(t)  # type: ignore[index]
            if quirks and np.any(reb):
                # BoARIO quirk 5: the stock goals use the demand left after the step's deliveries
                xgoal = np.fmin(D - reb * rho_reb, cap)
        # 5. orders for the next step go with new capacities and masks
        mask_new = mask_now
        if prio is None:
            V_dist, V_new = V_buf[:, 0], V_buf[:, 1]
            V_all, V_r = V_buf, V_dist
            # Σ_ig S(O ⊙ ρ) = Σ_f d_f ρ_f: only priority rationing needs the sum in the kernel
            delivered = (s.d_int * rho).sum(axis=1)
        else:
            c_new = np.ones((B, N), dtype=dt)
            if p.order_type == "alt":
                np.divide(cap, x0, out=c_new, where=x0 != 0)
            V_new = _pm(c_new, m, n)
            V_all = np.stack([V_dist, V_r, V_new], axis=1)  # (n, J, B, m)
            delivered = np.zeros(B, dtype=dt)
        # where S diag(c) Z is zero only where Σ_r z_(r,i),g is (c > 0, no mask zeros), the zero
        # entries of R never change and a static test suffices
        static_nz = bool(c_new.min() > 0) and (mask_new is None or bool(mask_new.min() > 0))
        s.worst.fill(np.inf)
        flags.fill(False)
        st = _StepArrays(
            Zs, V_all, V_dist, V_new, V_r, s.mask_ord, mask_new, s.R, s.R_new, s.omega, s.omega_new, aS, xa,
            su.s_aS, xgoal, su.inv_req, su.tau_vec, su.zs_nz, prio_vec, s.moved, s.close, np.ones(B, bool),
            flags, s.worst, delivered, d3, has_prio=prio is not None, static_nz=static_nz, quirks=quirks,
            close_check=su.close_check,
        )  # fmt: skip
        compiled = s.mask_ord is None and mask_new is None
        V_group = V_buf if prio is None or not compiled else np.ascontiguousarray(V_all, dtype=dt)
        _settle(su, s, st, V_group, compiled, flags, work, group_bufs)
        s.d_int = c_new * d3.reshape(B, N)
        # final demand not met by consumer region c and product i: Σ_r y_(r,i),c (1 − ρ) scale
        fd_t = np.matmul(_pm((1 - rho_fd) * scale, m, n), su.Y3).transpose(1, 2, 0)  # (B, m_c, n)
        if reserves:  # releases to households (fd_t) and to critical users' stocks (Ω), then the limit
            for k, rs in enumerate(reserves):
                rec.rel[t, :, k], rec.rel[t, :, len(reserves) + k] = rs.release_step(  # type: ignore[index]
                    fd_t, s.omega, su.psi_s, aS, xopt, su.inv_req, s.worst
                )
            s.worst[:, res_users] = _worst(s.omega[:, :, res_users], su.inv_req[:, :, res_users])
        rec.bal[t] = xa.sum(axis=1) - (delivered + (y_t * rho_fd).sum(axis=1) + served_reb)
        rec.losses(t, xa, fd_t)
        if backup is not None:
            rec.bk[t] = extra.sum(axis=1)  # type: ignore[index]
        s.c_ord, s.mask_ord = c_new, mask_new
        s.x_prev = xa
        if record_detail:
            rec.fd[t] = fd_t
            if prio is not None or not direct:
                rec.x[t] = xa
                if record_flows:
                    rec.cap[t], rec.d[t] = cap, D
        if rec.inv is not None:
            rec.inv[t] = s.omega.transpose(1, 0, 2)
    return rec.result(x0)


@dataclass(frozen=True)
class _StepArrays:
    """What the blocks of one step read and write (see :func:`_run_blocks`)."""

    Zs: FArray
    V_all: FArray  # (n, J, B, m): c ρ (and the second class's c ρ), c' in product-major order
    V_dist: FArray
    V_new: FArray
    V_r: FArray
    mask_ord: FArray | None
    mask_new: FArray | None
    R: FArray
    R_new: FArray
    omega: FArray
    omega_new: FArray
    aS: FArray
    xa: FArray
    s_aS: FArray
    xgoal: FArray
    inv_req: FArray
    tau: FArray
    zs_nz: npt.NDArray[np.bool_]
    prio: npt.NDArray[np.bool_]
    moved: npt.NDArray[np.bool_]
    close: npt.NDArray[np.bool_]
    active: npt.NDArray[np.bool_]
    flags: npt.NDArray[np.bool_]
    worst: FArray
    delivered: FArray
    d3: FArray
    has_prio: bool
    static_nz: bool
    quirks: bool
    close_check: bool


def _run_blocks(
    blocks: list[tuple[slice, slice]], work: dict[tuple[int, int], FArray], st: _StepArrays
) -> None:
    """Blocks (products, scenarios) of one step: S diag(cρ) Z and S diag(c') Z for the block (BLAS),
    the compiled element-wise pass, then the block's Z-row sums, all while the block is in cache."""
    J, m = st.V_all.shape[1], st.V_all.shape[3]
    N = st.Zs.shape[2]
    for sl, bs in blocks:
        if not st.active[bs].any():
            continue
        k, nbs = sl.stop - sl.start, bs.stop - bs.start
        if (k, nbs) not in work:
            work[(k, nbs)] = np.empty((k, J * nbs, N), dtype=st.Zs.dtype)
        wj = work[(k, nbs)]
        Zc = st.Zs[sl]
        mn = None if st.mask_new is None else st.mask_new[bs]
        if st.mask_ord is None and st.mask_new is None:
            np.matmul(st.V_all[sl, :, bs].reshape(k, J * nbs, m), Zc, out=wj)
        else:
            mo = None if st.mask_ord is None else st.mask_ord[bs]
            _sdz(Zc, np.ascontiguousarray(st.V_dist[sl, bs]), mo, out=wj[:, :nbs])
            _sdz(Zc, np.ascontiguousarray(st.V_new[sl, bs]), mn, out=wj[:, (J - 1) * nbs :])
            if st.has_prio:
                _sdz(Zc, np.ascontiguousarray(st.V_r[sl, bs]), mo, out=wj[:, nbs : 2 * nbs])
        step_block(
            wj, nbs, sl.start, bs.start, st.R, st.R_new, st.omega, st.omega_new, st.aS, st.xa, st.s_aS,
            st.xgoal, st.inv_req, st.tau, st.zs_nz, st.prio, st.moved, st.close, st.active, st.flags,
            st.worst, st.delivered, has_prio=st.has_prio, static_nz=st.static_nz, quirks=st.quirks,
            close_check=st.close_check,
        )  # fmt: skip
        st.d3[bs, :, sl] = _zrow(Zc, st.R_new[sl, bs], mn)


@dataclass
class _Rebuild:
    """State of one reconstruction event: H (B, rows, cols) over rebuilding × affected industries."""

    ev: ARIOEvent
    rows: npt.NDArray[np.intp]  # rebuilding industries (r, j)
    cols: npt.NDArray[np.intp]  # affected industries f
    H: FArray  # reconstruction demand left, (B, rows, cols)
    K0: FArray  # destroyed capital (B, N) until the first delivery
    N: int
    tau: FArray  # (B, 1) reconstruction time per scenario
    started: bool = False

    @classmethod
    def start(cls, ev: ARIOEvent, model: ARIOModel, B: int, dt: np.dtype) -> _Rebuild:
        m, n, N = model.n_regions, model.n_sectors, model.n
        K0 = np.broadcast_to(np.asarray(ev.impact, dtype=float), (B, N)).copy()
        cols = np.flatnonzero(K0.any(axis=0))
        names = [str(s) for s in model.sectors]
        shares = {names.index(str(s)): float(v) for s, v in ev.rebuild_sectors.items()}
        Zd = np.asarray(model.Z, dtype=float)
        x0 = np.asarray(model.x0, dtype=float)
        rows, blocks = [], []
        for j, share in shares.items():
            rj = np.arange(m) * n + j
            zj = Zd[np.ix_(rj, cols)]  # (m, cols): what each affected industry buys of j, by region
            tot = zj.sum(axis=0)
            if ev.rebuild_sourcing == "national":  # every region's builders, by their output of j
                rj = np.arange(model.n_domestic_regions) * n + j
                xs = x0[rj] / max(x0[rj].sum(), 1e-300)
                w = np.repeat(xs[:, None], len(cols), axis=1)
            elif model.params.boario_quirks:
                w = np.divide(zj, tot, out=np.zeros_like(zj), where=tot != 0)  # no purchases: demand lost
            else:  # an industry that buys no j rebuilds from the regions' output shares of j
                xs = x0[rj] / max(x0[rj].sum(), 1e-300)
                w = np.where(tot > 0, zj / np.where(tot > 0, tot, 1.0), xs[:, None])
            rows.append(rj)
            blocks.append(share * w)
        W = np.concatenate(blocks) * ev.rebuilding_factor  # (rows, cols)
        H = (W[None, :, :] * K0[:, None, cols]).astype(dt)
        tau = np.broadcast_to(np.asarray(ev.rebuild_tau, dtype=float), (B,)).reshape(B, 1).astype(dt)
        return cls(ev, np.concatenate(rows), cols, H, K0.astype(dt), N, tau)

    def lost(self) -> FArray:
        if not self.started:
            return self.K0
        K = np.zeros((self.H.shape[0], self.N), dtype=self.H.dtype)
        K[:, self.cols] = self.H.sum(axis=1) / self.ev.rebuilding_factor
        return K

    def demand(self) -> FArray:
        out = np.zeros((self.H.shape[0], self.N), dtype=self.H.dtype)
        out[:, self.rows] = self.H.sum(axis=2) / self.tau  # rows are distinct industries
        return out

    def serve(self, rho: FArray, quirks: bool) -> None:
        self.started = True
        self.H -= self.H / self.tau[:, :, None] * rho[:, self.rows, None]
        if quirks:  # BoARIO rounds the demand left to 7 decimals (event_monetary_factor 1e6)
            self.H = np.round(self.H, 7)
            self.H[self.H < 0] = 0.0

    def left(self) -> FArray:
        return self.H.sum(axis=(1, 2))  # type: ignore[no-any-return]


@dataclass
class _BackupState:
    """Activation of the dormant backup capacity (see :class:`DormantCapacity`)."""

    F: npt.NDArray[np.intp]  # industries with backup lines
    K: FArray  # (B, |F|) full backup capacity per step
    lag: npt.NDArray[np.intp]  # (|F|,)
    rate: FArray  # (|F|,) 1 / ramp
    prod: npt.NDArray[np.intp]  # (|F|,) product of each industry
    act: FArray  # (B, |F|) activation in [0, 1]
    hist: npt.NDArray[np.bool_]  # (steps, B, n) trigger signal per product
    x0: FArray  # (N,)
    total: FArray  # (n,) baseline supply of each product, all suppliers
    trigger: float
    extra: FArray  # (B, N) capacity online

    @classmethod
    def start(cls, bk: DormantCapacity, model: ARIOModel, B: int, steps: int) -> _BackupState:
        N, n = model.n, model.n_sectors
        cap = np.broadcast_to(np.asarray(bk.capacity, dtype=float), (B, N))
        F = np.flatnonzero(cap.any(axis=0))
        lag = np.broadcast_to(np.asarray(bk.lag, dtype=float), (N,))[F]
        ramp = np.broadcast_to(np.asarray(bk.ramp, dtype=float), (N,))[F]
        x0 = np.asarray(model.x0, dtype=float)
        total = x0.reshape(model.n_regions, n).sum(axis=0)
        return cls(
            F, cap[:, F].copy(), np.round(lag).astype(np.intp), 1.0 / ramp, F % n, np.zeros((B, len(F))),
            np.zeros((steps, B, n), bool), x0, total, float(bk.trigger), np.zeros((B, N)),
        )  # fmt: skip

    def step(self, t: int, delta: FArray) -> FArray:
        """Backup capacity online at step ``t`` given this step's capacity losses Δ (B, N)."""
        B = self.act.shape[0]
        avail = ((1.0 - delta) * self.x0[None, :]).reshape(B, -1, len(self.total)).sum(axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            short = np.where(self.total > 0, 1.0 - avail / self.total, 0.0)
        self.hist[t] = short > self.trigger
        when = t - self.lag
        ok = when >= 0
        target = np.zeros_like(self.act)
        if ok.any():
            target[:, ok] = self.hist[when[ok], :, self.prod[ok]].T
        self.act += np.clip(target - self.act, -self.rate, self.rate)
        self.extra[:, self.F] = self.act * self.K * (1.0 - delta[:, self.F])
        return self.extra


@dataclass
class _ReserveState:
    """Stock left and release rule of one :class:`ReserveStock`."""

    i: int
    regions: npt.NDArray[np.intp]  # (S,) consumer regions
    stock: FArray  # (B, S)
    cap: FArray  # (B, S) release per step
    share: float
    users: npt.NDArray[np.intp]  # (G,) critical users in those regions for which product i binds
    slot: npt.NDArray[np.intp]  # (G,) region slot of each user

    @classmethod
    def start(cls, r: ReserveStock, model: ARIOModel, B: int) -> _ReserveState:
        n, N = model.n_sectors, model.n
        regions = np.asarray(r.regions, dtype=np.intp)
        wanted = np.zeros(N, bool) if r.users is None else np.asarray(r.users, bool)
        region_of = np.arange(N) // n
        inside = np.isin(region_of, regions)
        users = np.flatnonzero(wanted & inside & model.threshold[r.product] & (model.aS[r.product] > 0))
        slot = np.searchsorted(np.sort(regions), region_of[users])
        order = np.argsort(regions)
        slot = order[slot]
        stock = np.broadcast_to(np.asarray(r.stock, dtype=float), (B, len(regions))).copy()
        cap = np.broadcast_to(np.asarray(r.release, dtype=float), (B, len(regions))).copy()
        return cls(int(r.product), regions, stock, cap, float(r.share), users, slot)

    def release_step(
        self,
        fd: FArray,
        omega: FArray,
        psi_s: FArray,
        aS: FArray,
        xopt: FArray,
        inv_req: FArray,
        worst: FArray,
    ) -> tuple[FArray, FArray]:
        """Release this step's share of the stock; updates ``fd`` (B, m_c, n) and ``omega`` in place
        and returns what was released per scenario (B,), in all and to households. A user gets grain
        only while this product is the input that limits it (its stock is the binding minimum of the
        inventory limit ``worst`` and below what x^opt needs): releases elsewhere would be wasted."""
        i = self.i
        fd_need = np.maximum(fd[:, self.regions, i], 0.0) * self.share  # (B, S); FD < 0 is destocking
        need = fd_need.copy()
        u_need = np.zeros((fd.shape[0], 0))
        if len(self.users):
            g = self.users
            om = omega[i][:, g]
            req = psi_s[i, :, 0][:, None] * aS[i, g][None, :] * xopt[:, g]
            lim = om * inv_req[i][:, g]  # this product's limit on the user's output
            binds = (lim <= worst[:, g] * (1 + 1e-12)) & (worst[:, g] < xopt[:, g])
            with np.errstate(invalid="ignore"):
                u_need = np.where(binds, np.nan_to_num(np.maximum(req - om, 0.0)), 0.0) * self.share
            np.add.at(need.T, self.slot, u_need.T)
        rel = np.minimum(np.minimum(need, self.cap), self.stock)
        frac = np.zeros_like(need)
        np.divide(rel, need, out=frac, where=need > 0)
        to_fd = frac * fd_need
        fd[:, self.regions, i] -= to_fd
        if len(self.users):
            omega[i][:, self.users] += (frac[:, self.slot] * u_need).astype(omega.dtype)
        self.stock -= rel
        return rel.sum(axis=1), to_fd.sum(axis=1)  # type: ignore[return-value]


_BLOCK = 1 << 16  # elements of one (products × scenarios × N) block of the per-step passes


def _worst(omega: FArray, inv_req: FArray) -> FArray:
    r""":math:`\min_i \Omega_{ig} / (\psi s_i a^S_{ig})` over constraining inputs, ∞ where there is none."""
    out = np.fmin.reduce(omega * inv_req, axis=0)
    out[np.isnan(out)] = np.inf
    return out  # type: ignore[no-any-return]


def _ratio(num: FArray, den: FArray) -> FArray:
    out = np.zeros_like(num)
    np.divide(num, den, out=out, where=den != 0)
    return out


def _pm(v: FArray, m: int, n: int) -> FArray:
    """(B, N) industry vector → product-major (n, B, m), contiguous for BLAS."""
    return np.ascontiguousarray(v.reshape(v.shape[0], m, n).transpose(2, 0, 1))


def _sdz(Zs: FArray, V: FArray, mask: FArray | None, out: FArray | None = None) -> FArray:
    r""":math:`(S\,\mathrm{diag}(v)\,Z)_{ig} = \sum_r v_{(r,i)} z_{(r,i),g}` for products i of ``Zs``.

    ``Zs`` (k, m, N) holds Z by product, ``V`` (k, B, m) is v in product-major order; → (k, B, N).
    With a region-pair mask e (B, m, m): :math:`\sum_r v_{(r,i)} e_{r,r(g)} z_{(r,i),g}`.
    """
    if mask is None:
        return np.matmul(V, Zs, out=out)  # type: ignore[no-any-return]  # (k, B, m) @ (k, m, N)
    k, m, N = Zs.shape
    Z4 = Zs.reshape(k, m, m, N // m)  # (i, r, s, j)
    P = V[:, :, :, None] * mask[None, :, :, :]  # (i, B, r, s)
    res = np.einsum("ibrs,irsj->ibsj", P, Z4, optimize=True).reshape(k, V.shape[1], N)
    if out is None:
        return res  # type: ignore[no-any-return]
    out[...] = res
    return out


def _zrow(Zs: FArray, R: FArray, mask: FArray | None) -> FArray:
    r""":math:`\sum_g z_{fg} R_{i(f),g}` for products i of ``Zs`` (k, m, N) and R (k, B, N) → (B, m, k).

    With a mask, each term is weighted by :math:`e_{r(f), r(g)}`.
    """
    if mask is None:
        out = np.matmul(Zs, R.transpose(0, 2, 1))  # (k, m, N) @ (k, N, B) -> (k, m, B)
        return out.transpose(2, 1, 0)  # type: ignore[no-any-return]
    k, m, N = Zs.shape
    B = R.shape[1]
    Z4 = Zs.reshape(k, m, m, N // m)
    R4 = R.reshape(k, B, m, N // m)
    T = np.einsum("irsj,ibsj->ibrs", Z4, R4, optimize=True)
    res = (T * mask[None]).sum(axis=3)  # (i, B, r)
    return res.transpose(1, 2, 0)  # type: ignore[no-any-return]

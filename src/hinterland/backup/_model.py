r"""Two-stage stochastic MILP for strategic industrial backup bases (build, solve, evaluate, SAA).

Sets: chains :math:`c \in C`, supply regions / candidate sites :math:`r \in R`, demand zones
:math:`d \in D`, scenarios :math:`s \in S` with probabilities :math:`p_s` (:math:`\sum_s p_s = 1`).

First stage (here and now): open a base :math:`y_{cr} \in \{0,1\}` and size its capacity
:math:`k_{cr} \ge 0`,

.. math::

    \underline{k}_{cr} y_{cr} \le k_{cr} \le \bar{k}_{cr} y_{cr}, \qquad
    \sum_{c,r} (F_{cr} y_{cr} + f_{cr} k_{cr}) \le B, \qquad
    \sum_c a_{c\rho} k_{cr} \le \kappa_{r\rho}\ \ \forall r, \rho

(fixed cost :math:`F`, unit cost :math:`f`, budget :math:`B`, resource use :math:`a_{c\rho}` of
electricity, labour … and the regional headroom :math:`\kappa_{r\rho}`).

Second stage (per scenario, after the shock :math:`\ell_{scr} \in [0,1]`): production
:math:`q_{crds} \ge 0` shipped from r to d and unmet essential demand :math:`u_{cds} \ge 0`,

.. math::

    \sum_d q_{crds} \le (1-\ell_{scr}) (K_{cr} + \rho_c k_{cr}), \qquad
    \sum_r q_{crds} + u_{cds} = E_{cd},

with existing capacity :math:`K`, ramp-up share :math:`\rho_c` and essential demand :math:`E`.
Scenario loss :math:`L_s = \sum_{c,d} w_c u_{cds} + \tau \sum_{c,r,d} t_{crd} q_{crds}` (value of
unmet essential supply plus freight). With ``flows="pooled"`` the zones are pooled into one national
market and :math:`t_{cr} = \sum_d E_{cd} t_{crd} / \sum_d E_{cd}` (far fewer columns; the unmet
demand is the same whenever :math:`w_c \ge \tau t`).

Objectives: expected loss :math:`\min \sum_s p_s L_s` (Birge & Louveaux 2011, *Introduction to
Stochastic Programming*, 2nd ed., Springer, ch. 3); CVaR at level α by the Rockafellar & Uryasev
(2000, *J. Risk* 2(3):21-41) linearisation
:math:`\min\ \eta + \frac{1}{1-\alpha}\sum_s p_s z_s,\ z_s \ge L_s - \eta,\ z_s \ge 0`; and the
cheapest plan meeting the N-1 benchmark, :math:`\min \sum (F y + f k)` s.t. :math:`u_{cds} = 0`
for all s. Sample-average approximation (Kleywegt, Shapiro & Homem-de-Mello 2002, *SIAM J. Optim.*
12(2):479-502): solve on N Monte Carlo draws, evaluate the plan on N' fresh draws.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
import pandas as pd

from hinterland.backup._chains import CHAIN
from hinterland.backup._exposure import SCENARIO, loss_array
from hinterland.containers import REGION
from hinterland.errors import ConfigError, DataError, InfeasibleError, UnknownIdError
from hinterland.optim import MipModel, MipSolution, solve_mip

__all__ = [
    "FLOWS",
    "OBJECTIVES",
    "BackupInstance",
    "BackupModel",
    "BackupPlan",
    "SAAResult",
    "add_base_vars",
    "add_budget_row",
    "add_capacity_rows",
    "add_cvar_rows",
    "add_demand_rows",
    "add_recourse_vars",
    "add_resource_rows",
    "add_size_rows",
    "build_backup_model",
    "cvar",
    "draw_scenarios",
    "evaluate_plan",
    "make_instance",
    "pareto_front",
    "sample_average_approximation",
    "solve_backup",
]

OBJECTIVES = ("expected", "cvar", "n-1")
FLOWS = ("pooled", "zones")
ZONE = "zone"
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class BackupInstance:
    """Numbers of one backup-planning instance (arrays ordered as the id tuples)."""

    chains: tuple[str, ...]
    regions: tuple[int, ...]
    zones: tuple[int, ...]
    scenarios: tuple[str, ...]
    capacity: FloatArray  # (C, R) existing annual capacity K
    essential: FloatArray  # (C, D) essential demand E
    loss: FloatArray  # (S, C, R) capacity-loss shares
    prob: FloatArray  # (S,)
    candidate: BoolArray  # (C, R)
    fixed_cost: FloatArray  # (C, R)
    unit_cost: FloatArray  # (C, R)
    min_size: FloatArray  # (C, R)
    max_size: FloatArray  # (C, R)
    ramp: FloatArray  # (C,)
    transport: FloatArray  # (C, R, D) cost per unit delivered
    weight: FloatArray  # (C,) value per unit of unmet essential demand
    resource_use: FloatArray  # (C, P)
    resource_cap: FloatArray  # (R, P)
    resources: tuple[str, ...] = ()
    unit: str = "1e8 CNY"

    @property
    def shape(self) -> tuple[int, int, int, int]:
        """(C, R, D, S)."""
        return len(self.chains), len(self.regions), len(self.zones), len(self.scenarios)

    def with_scenarios(self, loss: pd.DataFrame, prob: pd.Series | None = None) -> BackupInstance:
        """Same instance with another scenario set (``loss``: (scenario[, chain]) × region)."""
        arr = loss_array(loss, self.chains, self.regions)
        scen = tuple(str(s) for s in dict.fromkeys(loss.index.get_level_values(0)))
        return replace(self, loss=arr, prob=_probabilities(prob, scen), scenarios=scen)

    def cheapest_base(self) -> tuple[float, str, int]:
        """Cost, chain and region of the cheapest admissible base ``F + f·k_min``."""
        cost = np.where(self.candidate, self.fixed_cost + self.unit_cost * self.min_size, np.inf)
        if not np.isfinite(cost).any():
            raise InfeasibleError("no candidate site for any chain. Fix: allow at least one (chain, region).")
        c, r = np.unravel_index(int(np.argmin(cost)), cost.shape)
        return float(cost[c, r]), self.chains[c], self.regions[r]


def _probabilities(prob: pd.Series | Sequence[float] | None, scen: tuple[str, ...]) -> FloatArray:
    if prob is None:
        return np.full(len(scen), 1.0 / len(scen))
    if isinstance(prob, pd.Series):
        p_ser = prob.copy()
        p_ser.index = p_ser.index.map(str)
        missing = [s for s in scen if s not in p_ser.index]
        if missing:
            raise UnknownIdError(f"probabilities are missing for scenario(s) {missing[:8]}")
        p = p_ser.reindex(list(scen)).to_numpy(dtype=float)
    else:
        p = np.asarray(prob, dtype=float)
        if p.shape != (len(scen),):
            raise DataError(f"{len(p)} probabilities for {len(scen)} scenarios")
    if np.any(~np.isfinite(p)) or np.any(p < 0):
        raise DataError(f"scenario probabilities must be ≥ 0; got {np.round(p, 6).tolist()[:8]}")
    total = float(p.sum())
    if abs(total - 1.0) > 1e-6:
        raise DataError(
            f"scenario probabilities sum to {total:.6g}, not 1 ({len(p)} scenarios). "
            f"Fix: rescale them (divide each by {total:.6g}) or correct the table."
        )
    out: FloatArray = np.asarray(p, dtype=float)
    return out


def _per_chain_region(
    value: pd.DataFrame | pd.Series | float, chains: list[str], regions: list[int], what: str
) -> FloatArray:
    if isinstance(value, pd.DataFrame):
        v = value.copy()
        v.index = v.index.map(int)
        v.columns = v.columns.map(str)
        miss_c = [c for c in chains if c not in v.columns]
        if miss_c:
            raise UnknownIdError(f"{what}: chain column(s) {miss_c} missing")
        out: FloatArray = v.reindex(index=regions, columns=chains).to_numpy(dtype=float).T
        if np.isnan(out).any():
            raise DataError(f"{what}: values missing for some (region, chain); fill every region")
        return out
    if isinstance(value, pd.Series):
        s = value.copy()
        s.index = s.index.map(str)
        miss = [c for c in chains if c not in s.index]
        if miss:
            raise UnknownIdError(f"{what}: chain(s) {miss} missing")
        rep: FloatArray = np.repeat(s.reindex(chains).to_numpy(dtype=float)[:, None], len(regions), axis=1)
        return rep
    return np.full((len(chains), len(regions)), float(value))


def _per_chain(value: pd.Series | float, chains: list[str], what: str) -> FloatArray:
    if isinstance(value, pd.Series):
        return _per_chain_region(value, chains, [0], what)[:, 0]
    return np.full(len(chains), float(value))


def make_instance(
    capacity: pd.DataFrame,
    essential: pd.DataFrame,
    loss: pd.DataFrame,
    *,
    prob: pd.Series | Sequence[float] | None = None,
    candidates: pd.DataFrame | Iterable[int] | None = None,
    fixed_cost: pd.DataFrame | pd.Series | float = 0.0,
    unit_cost: pd.DataFrame | pd.Series | float = 1.0,
    min_size: pd.DataFrame | pd.Series | float = 0.0,
    max_size: pd.DataFrame | pd.Series | float | None = None,
    ramp: pd.Series | float = 1.0,
    transport: pd.DataFrame | Mapping[str, pd.DataFrame] | None = None,
    weight: pd.Series | float = 1.0,
    resource_use: pd.DataFrame | None = None,
    resource_cap: pd.DataFrame | None = None,
    unit: str = "1e8 CNY",
) -> BackupInstance:
    """Check and assemble an instance from labelled tables.

    ``capacity``: region × chain existing capacity; ``essential``: zone × chain essential demand;
    ``loss``: (scenario[, chain]) × region loss shares; ``prob``: per scenario (default uniform, must
    sum to 1); ``candidates``: region × chain bools or a list of regions (all chains; default all);
    costs and sizes: region × chain, per chain (Series) or scalars; ``max_size`` default: national
    essential demand of the chain; ``transport``: region × zone cost per unit (same for all chains)
    or a mapping chain → such a table (default 0); ``resource_use``: chain × resource,
    ``resource_cap``: region × resource.
    """
    chains = [str(c) for c in capacity.columns]
    regions = [int(r) for r in capacity.index]
    if len(set(chains)) != len(chains) or len(set(regions)) != len(regions):
        raise DataError("capacity has duplicate chains or regions")
    K = capacity.to_numpy(dtype=float).T
    if np.any(~np.isfinite(K)) or np.any(K < 0):
        raise DataError("existing capacity must be finite and ≥ 0")
    ess = essential.copy()
    ess.columns = ess.columns.map(str)
    miss = [c for c in chains if c not in ess.columns]
    if miss:
        raise UnknownIdError(f"essential demand lacks chain column(s) {miss}")
    zones = [int(z) for z in ess.index]
    E = ess[chains].to_numpy(dtype=float).T
    if np.any(~np.isfinite(E)) or np.any(E < 0):
        raise DataError("essential demand must be finite and ≥ 0")
    arr = loss_array(loss, chains, regions)
    scen = tuple(str(s) for s in dict.fromkeys(loss.index.get_level_values(0)))
    p = _probabilities(prob, scen)
    C, R, D = len(chains), len(regions), len(zones)
    if candidates is None:
        cand = np.ones((C, R), bool)
    elif isinstance(candidates, pd.DataFrame):
        cand = _per_chain_region(candidates.astype(float), chains, regions, "candidates") > 0.5
    else:
        cset = {int(r) for r in candidates}
        unknown = cset - set(regions)
        if unknown:
            raise UnknownIdError(f"candidate region(s) {sorted(unknown)} are not in the capacity table")
        cand = np.repeat(np.array([r in cset for r in regions])[None, :], C, axis=0)
    Fc = _per_chain_region(fixed_cost, chains, regions, "fixed_cost")
    fc = _per_chain_region(unit_cost, chains, regions, "unit_cost")
    kmin = _per_chain_region(min_size, chains, regions, "min_size")
    kmax = (
        np.repeat(E.sum(axis=1)[:, None], R, axis=1)
        if max_size is None
        else _per_chain_region(max_size, chains, regions, "max_size")
    )
    for name, a in (("fixed_cost", Fc), ("unit_cost", fc), ("min_size", kmin), ("max_size", kmax)):
        if np.any(~np.isfinite(a)) or np.any(a < 0):
            raise DataError(f"{name} must be finite and ≥ 0 for every (chain, region)")
    bad = np.argwhere(cand & (kmin > kmax))
    if len(bad):
        c, r = bad[0]
        raise InfeasibleError(
            f"chain {chains[c]}, region {regions[r]}: minimum base size {kmin[c, r]:.4g} exceeds the "
            f"maximum {kmax[c, r]:.4g} {unit}. Fix: lower min_size or raise max_size."
        )
    rho = _per_chain(ramp, chains, "ramp")
    if np.any(~(rho > 0)) or np.any(rho > 1):
        raise ConfigError(f"ramp shares must lie in (0, 1]; got {np.round(rho, 4).tolist()}")
    w = _per_chain(weight, chains, "weight")
    if np.any(~(w > 0)):
        raise ConfigError("unmet-demand weights must be > 0")
    T = np.zeros((C, R, D))
    if transport is not None:
        tables = transport if isinstance(transport, Mapping) else dict.fromkeys(chains, transport)
        for ci, c in enumerate(chains):
            if c not in tables:
                raise UnknownIdError(f"transport costs missing for chain {c!r}")
            t = tables[c].copy()
            t.index = t.index.map(int)
            t.columns = t.columns.map(int)
            sub = t.reindex(index=regions, columns=zones)
            if sub.isna().to_numpy().any():
                raise DataError(f"transport costs for chain {c!r} miss some (region, zone) pairs")
            T[ci] = sub.to_numpy(dtype=float)
        if np.any(T < 0):
            raise DataError("transport costs must be ≥ 0")
    if (resource_use is None) != (resource_cap is None):
        raise ConfigError("give both resource_use (chain × resource) and resource_cap (region × resource)")
    if resource_use is not None and resource_cap is not None:
        res = [str(x) for x in resource_use.columns]
        ru = resource_use.copy()
        ru.index = ru.index.map(str)
        rc = resource_cap.copy()
        rc.index = rc.index.map(int)
        rc.columns = rc.columns.map(str)
        if set(res) - set(rc.columns):
            raise UnknownIdError(f"resource_cap lacks resource(s) {sorted(set(res) - set(rc.columns))}")
        A = ru.reindex(index=chains, columns=res).to_numpy(dtype=float)
        cap = rc.reindex(index=regions, columns=res).to_numpy(dtype=float)
        if np.isnan(A).any() or np.isnan(cap).any():
            raise DataError("resource_use / resource_cap miss some chains or regions")
    else:
        res, A, cap = [], np.zeros((C, 0)), np.zeros((R, 0))
    return BackupInstance(
        tuple(chains), tuple(regions), tuple(zones), scen, K, E, arr, p, cand, Fc, fc, kmin, kmax, rho, T, w,
        A, cap, tuple(res), unit,
    )  # fmt: skip


# ---------------------------------------------------------------------------------------- blocks
@dataclass
class BackupModel:
    """A built model: the MIP plus the index maps needed to read a solution back."""

    mip: MipModel
    inst: BackupInstance
    objective: str
    flows: str
    pairs: tuple[IntArray, IntArray]  # (chain, region) of every base column
    q_index: IntArray  # (n_q, 4): s, c, r, d (d = -1 when pooled)
    u_index: IntArray  # (n_u, 3): s, c, d (d = -1 when pooled)
    budget: float | None
    alpha: float


def add_base_vars(
    m: MipModel, inst: BackupInstance, *, cost: bool = False
) -> tuple[slice, slice, IntArray, IntArray]:
    """``y_cr ∈ {0,1}`` and ``k_cr ≥ 0`` for candidate pairs; with ``cost`` their objective is F and f."""
    pc, pr = np.nonzero(inst.candidate)
    y = m.add_vars("y", len(pc), cost=inst.fixed_cost[pc, pr] if cost else 0.0, lb=0.0, ub=1.0, integer=True)
    k = m.add_vars(
        "k", len(pc), cost=inst.unit_cost[pc, pr] if cost else 0.0, lb=0.0, ub=inst.max_size[pc, pr]
    )
    return y, k, pc.astype(np.int64), pr.astype(np.int64)


def add_size_rows(m: MipModel, inst: BackupInstance, pc: IntArray, pr: IntArray, y: slice, k: slice) -> None:
    r""":math:`k_{cr} - \bar k_{cr} y_{cr} \le 0` and :math:`k_{cr} - \underline k_{cr} y_{cr} \ge 0`."""
    n = len(pc)
    i = np.arange(n)
    rows, cols = np.concatenate([i, i]), np.concatenate([k.start + i, y.start + i])
    m.add_rows("size_max", n, rows, cols, np.concatenate([np.ones(n), -inst.max_size[pc, pr]]), upper=0.0)
    m.add_rows("size_min", n, rows, cols, np.concatenate([np.ones(n), -inst.min_size[pc, pr]]), lower=0.0)


def add_budget_row(
    m: MipModel, inst: BackupInstance, pc: IntArray, pr: IntArray, y: slice, k: slice, budget: float
) -> None:
    r""":math:`\sum_{c,r} F_{cr} y_{cr} + f_{cr} k_{cr} \le B`."""
    n = len(pc)
    cols = np.concatenate([y.start + np.arange(n), k.start + np.arange(n)])
    vals = np.concatenate([inst.fixed_cost[pc, pr], inst.unit_cost[pc, pr]])
    m.add_rows("budget", 1, np.zeros(2 * n), cols, vals, upper=budget)


def add_resource_rows(m: MipModel, inst: BackupInstance, pc: IntArray, pr: IntArray, k: slice) -> None:
    r""":math:`\sum_c a_{c\rho} k_{cr} \le \kappa_{r\rho}` for every region r and resource ρ."""
    R, P = len(inst.regions), len(inst.resources)
    if P == 0:
        return
    rows = (pr[:, None] * P + np.arange(P)[None, :]).ravel()
    cols = np.repeat(k.start + np.arange(len(pc)), P)
    vals = inst.resource_use[pc, :].ravel()
    m.add_rows("resource", R * P, rows, cols, vals, upper=inst.resource_cap.ravel())


def _supply_mask(inst: BackupInstance) -> BoolArray:
    return np.asarray((inst.capacity > 0) | inst.candidate)


def add_recourse_vars(
    m: MipModel, inst: BackupInstance, flows: str, *, unmet_ub: float = np.inf
) -> tuple[slice, slice, IntArray, IntArray]:
    """Second-stage production/flow ``q`` and unmet demand ``u`` per scenario (index tables returned)."""
    C, _R, _D, S = inst.shape
    sc, sr = np.nonzero(_supply_mask(inst))
    if flows == "pooled":
        s_idx = np.repeat(np.arange(S), len(sc))
        qi = np.column_stack([s_idx, np.tile(sc, S), np.tile(sr, S), np.full(len(s_idx), -1)])
        ui = np.column_stack([np.repeat(np.arange(S), C), np.tile(np.arange(C), S), np.full(S * C, -1)])
    else:
        dc, dd = np.nonzero(inst.essential > 0)
        pairs = [(c, r, d) for c, r in zip(sc, sr, strict=True) for d in dd[dc == c]]
        base = np.array(pairs, dtype=np.int64).reshape(-1, 3)
        qi = np.column_stack([np.repeat(np.arange(S), len(base)), np.tile(base, (S, 1))])
        ui = np.column_stack([np.repeat(np.arange(S), len(dc)), np.tile(dc, S), np.tile(dd, S)])
    qi, ui = qi.astype(np.int64), ui.astype(np.int64)
    q = m.add_vars("q", len(qi), lb=0.0)
    u = m.add_vars("u", len(ui), lb=0.0, ub=unmet_ub)
    return q, u, qi, ui


def add_capacity_rows(
    m: MipModel, inst: BackupInstance, qi: IntArray, q: slice, pc: IntArray, pr: IntArray, k: slice
) -> None:
    r""":math:`\sum_d q_{crds} - (1-\ell_{scr})\rho_c k_{cr} \le (1-\ell_{scr}) K_{cr}`."""
    C, R, _D, _S = inst.shape
    key = qi[:, 0] * C * R + qi[:, 1] * R + qi[:, 2]
    uniq, row = np.unique(key, return_inverse=True)
    s, rem = np.divmod(uniq, C * R)
    c, r = np.divmod(rem, R)
    avail = 1.0 - inst.loss[s, c, r]
    upper = avail * inst.capacity[c, r]
    kpos = np.full((C, R), -1, dtype=np.int64)
    kpos[pc, pr] = np.arange(len(pc))
    kp = kpos[c, r]
    has_k = kp >= 0
    rows = np.concatenate([row, np.flatnonzero(has_k)])
    cols = np.concatenate([q.start + np.arange(len(qi)), k.start + kp[has_k]])
    vals = np.concatenate([np.ones(len(qi)), -(avail * inst.ramp[c])[has_k]])
    m.add_rows("capacity", len(uniq), rows, cols, vals, upper=upper)


def add_demand_rows(
    m: MipModel, inst: BackupInstance, qi: IntArray, q: slice, ui: IntArray, u: slice
) -> None:
    r""":math:`\sum_r q_{crds} + u_{cds} = E_{cd}`; pooled :math:`\sum_r q_{crs} + u_{cs} = \sum_d E_{cd}`."""
    C, _R, D, _S = inst.shape
    pooled = ui[0, 2] < 0 if len(ui) else True
    width = 1 if pooled else D
    ukey = ui[:, 0] * C * width + ui[:, 1] * width + (0 if pooled else ui[:, 2])
    pos = {int(kv): j for j, kv in enumerate(ukey)}
    qkey = qi[:, 0] * C * width + qi[:, 1] * width + (0 if pooled else qi[:, 3])
    qrow = np.fromiter((pos.get(int(kv), -1) for kv in qkey), dtype=np.int64, count=len(qkey))
    keep = qrow >= 0
    rows = np.concatenate([qrow[keep], np.arange(len(ui))])
    cols = np.concatenate([q.start + np.flatnonzero(keep), u.start + np.arange(len(ui))])
    target = inst.essential.sum(axis=1)[ui[:, 1]] if pooled else inst.essential[ui[:, 1], ui[:, 2]]
    m.add_rows("demand", len(ui), rows, cols, 1.0, lower=target, upper=target)


def _scenario_loss_terms(
    inst: BackupInstance, qi: IntArray, ui: IntArray, tau: float
) -> tuple[FloatArray, FloatArray]:
    """Coefficients of q and u in L_s (transport τ·t and unmet weight w)."""
    E = inst.essential
    if len(qi) and qi[0, 3] < 0:
        tot = np.maximum(E.sum(axis=1), 1e-300)
        tbar = np.einsum("crd,cd->cr", inst.transport, E) / tot[:, None]
        tq = tbar[qi[:, 1], qi[:, 2]]
    else:
        tq = inst.transport[qi[:, 1], qi[:, 2], qi[:, 3]] if len(qi) else np.zeros(0)
    return tau * tq, inst.weight[ui[:, 1]]


def add_cvar_rows(
    m: MipModel,
    inst: BackupInstance,
    qi: IntArray,
    q: slice,
    ui: IntArray,
    u: slice,
    alpha: float,
    tau: float,
) -> None:
    r"""Rockafellar–Uryasev: :math:`\eta` free, :math:`z_s \ge 0`, :math:`z_s + \eta - L_s \ge 0`,
    objective :math:`\eta + (1-\alpha)^{-1} \sum_s p_s z_s`."""
    S = len(inst.scenarios)
    eta = m.add_vars("eta", 1, cost=1.0, lb=-np.inf)
    z = m.add_vars("z", S, cost=inst.prob / (1.0 - alpha), lb=0.0)
    tq, wu = _scenario_loss_terms(inst, qi, ui, tau)
    rows = np.concatenate([np.arange(S), np.arange(S), qi[:, 0], ui[:, 0]])
    cols = np.concatenate([z.start + np.arange(S), np.full(S, eta.start), q.start + np.arange(len(qi)),
                           u.start + np.arange(len(ui))])  # fmt: skip
    vals = np.concatenate([np.ones(S), np.ones(S), -tq, -wu])
    m.add_rows("cvar", S, rows, cols, vals, lower=0.0)


def build_backup_model(
    inst: BackupInstance,
    *,
    objective: str = "expected",
    budget: float | None = None,
    alpha: float = 0.9,
    flows: str = "pooled",
    transport_weight: float = 1.0,
    plan: pd.DataFrame | None = None,
) -> BackupModel:
    """Assemble the MILP from the ``add_*`` blocks (no solve). ``plan`` (chain × region capacities
    ``k``) fixes the first stage, which turns the model into the second-stage LP used to evaluate a
    plan on other scenarios."""
    if objective not in OBJECTIVES:
        raise ConfigError(
            f"objective {objective!r} is unknown; expected one of {', '.join(OBJECTIVES)}. "
            "Fix: pass objective='expected' (or --objective expected|cvar|n-1 on the command line)."
        )
    if flows not in FLOWS:
        raise ConfigError(f"unknown flows {flows!r}; expected one of {', '.join(FLOWS)}")
    if not 0.0 < alpha < 1.0:
        raise ConfigError(f"CVaR level alpha = {alpha} must lie in (0, 1), e.g. 0.9")
    if budget is not None and plan is None:
        if not np.isfinite(budget) or budget < 0:
            raise ConfigError(
                f"budget = {budget:g} {inst.unit} is not allowed: it must be a finite number ≥ 0. "
                f"Fix: pass a budget ≥ 0 (--budget), e.g. at least the cheapest base "
                f"{inst.cheapest_base()[0]:.4g}."
            )
        cheapest, cc, cr = inst.cheapest_base()
        if budget < cheapest and objective != "n-1":
            raise InfeasibleError(
                f"budget {budget:.4g} {inst.unit} is below the cheapest backup base ({cheapest:.4g} "
                f"{inst.unit}: chain {cc} in region {cr}, fixed cost plus minimum size). Fix: raise the "
                f"budget to at least {cheapest:.4g}."
            )
    if objective in ("expected", "cvar") and budget is None and plan is None:
        raise ConfigError(f"objective {objective!r} needs a budget. Fix: pass budget=… ({inst.unit}).")
    m = MipModel(f"backup_{objective}")
    y, k, pc, pr = add_base_vars(m, inst, cost=objective == "n-1" and plan is None)
    add_size_rows(m, inst, pc, pr, y, k)
    if budget is not None and plan is None:
        add_budget_row(m, inst, pc, pr, y, k, budget)
    add_resource_rows(m, inst, pc, pr, k)
    q, u, qi, ui = add_recourse_vars(
        m, inst, flows, unmet_ub=0.0 if objective == "n-1" and plan is None else np.inf
    )
    tq, wu = _scenario_loss_terms(inst, qi, ui, transport_weight)
    p = inst.prob
    if objective == "expected" or plan is not None:
        m.set_cost("q", p[qi[:, 0]] * tq)
        m.set_cost("u", p[ui[:, 0]] * wu)
    elif objective == "n-1":
        m.set_cost("q", 1e-6 * p[qi[:, 0]] * tq)
    add_capacity_rows(m, inst, qi, q, pc, pr, k)
    add_demand_rows(m, inst, qi, q, ui, u)
    if objective == "cvar" and plan is None:
        add_cvar_rows(m, inst, qi, q, ui, u, alpha, transport_weight)
    if plan is not None:
        kfix = _plan_array(inst, plan)
        if np.any((kfix > 0) & ~inst.candidate):
            c, r = np.argwhere((kfix > 0) & ~inst.candidate)[0]
            raise UnknownIdError(
                f"plan puts capacity at ({inst.chains[c]}, {inst.regions[r]}), not a candidate"
            )
        vals = kfix[pc, pr]
        opened = (vals > 0).astype(float)
        m.set_bounds("k", lb=vals, ub=vals)
        m.set_bounds("y", lb=opened, ub=opened)
        m.set_integer("y", False)  # the first stage is data now: a pure LP
        # size rows would forbid plans below min_size; an evaluated plan is taken as given
        m.set_row_bounds("size_min", lower=-np.inf)
        m.set_row_bounds("size_max", upper=np.inf)
        if "resource" in m.rows:
            m.set_row_bounds("resource", upper=np.inf)
    return BackupModel(m, inst, objective, flows, (pc, pr), qi, ui, budget, alpha)


def _plan_array(inst: BackupInstance, plan: pd.DataFrame) -> FloatArray:
    """Plan capacities ``k`` as (C, R) from a (chain, region)-indexed frame with column ``capacity``
    or a region × chain table."""
    C, R = len(inst.chains), len(inst.regions)
    out = np.zeros((C, R))
    if isinstance(plan.index, pd.MultiIndex):
        cpos = {c: i for i, c in enumerate(inst.chains)}
        rpos = {r: i for i, r in enumerate(inst.regions)}
        for (c, r), v in plan["capacity"].items():
            if str(c) not in cpos or int(r) not in rpos:
                raise UnknownIdError(f"plan row ({c}, {r}) names an unknown chain or region")
            out[cpos[str(c)], rpos[int(r)]] += float(v)
        return out
    return _per_chain_region(plan, list(inst.chains), list(inst.regions), "plan")


# --------------------------------------------------------------------------------------- results
def cvar(losses: npt.ArrayLike, prob: npt.ArrayLike, alpha: float) -> float:
    r"""CVaR of a discrete loss distribution: :math:`\min_\eta \eta + (1-\alpha)^{-1} E[(L-\eta)^+]`
    (Rockafellar & Uryasev 2000), attained at η = VaR_α."""
    L = np.asarray(losses, dtype=float)
    p = np.asarray(prob, dtype=float)
    order = np.argsort(L)
    Ls, ps = L[order], p[order]
    cum = np.cumsum(ps)
    j = int(np.searchsorted(cum, alpha - 1e-12))
    eta = float(Ls[min(j, len(Ls) - 1)])
    return eta + float(np.sum(p * np.maximum(L - eta, 0.0))) / (1.0 - alpha)


@dataclass(frozen=True)
class BackupPlan:
    """Solved plan: bases (chain, region), unmet essential demand per (scenario, chain), losses."""

    bases: pd.DataFrame
    unmet: pd.DataFrame
    loss: pd.Series
    expected_loss: float
    cvar: float
    invest: float
    objective: str
    objective_value: float
    status: str
    gap: float
    seconds: float
    alpha: float
    budget: float | None

    @property
    def capacity(self) -> pd.Series:
        """Backup capacity ``k`` per (chain, region) of open bases."""
        return self.bases["capacity"]


def _read_plan(bm: BackupModel, sol: MipSolution) -> BackupPlan:
    inst, m = bm.inst, bm.mip
    C, _R, _D, S = inst.shape
    pc, pr = bm.pairs
    yv, kv = sol.block(m, "y"), sol.block(m, "k")
    kv = np.where(kv > 1e-9 * max(1.0, float(np.max(inst.max_size, initial=1.0))), kv, 0.0)
    open_ = (yv > 0.5) & (kv > 0) | (kv > 0)
    idx = pd.MultiIndex.from_arrays(
        [[inst.chains[c] for c in pc[open_]], [inst.regions[r] for r in pr[open_]]], names=[CHAIN, REGION]
    )
    bases = pd.DataFrame(
        {
            "capacity": kv[open_],
            "fixed_cost": inst.fixed_cost[pc[open_], pr[open_]],
            "unit_cost": inst.unit_cost[pc[open_], pr[open_]],
        },
        index=idx,
    )
    bases["invest"] = bases["fixed_cost"] + bases["unit_cost"] * bases["capacity"]
    uv = np.maximum(sol.block(m, "u"), 0.0)
    qv = np.maximum(sol.block(m, "q"), 0.0)
    un = np.zeros((S, C))
    np.add.at(un, (bm.u_index[:, 0], bm.u_index[:, 1]), uv)
    tq, wu = _scenario_loss_terms(inst, bm.q_index, bm.u_index, 1.0)
    L = np.zeros(S)
    np.add.at(L, bm.u_index[:, 0], wu * uv)
    np.add.at(L, bm.q_index[:, 0], tq * qv)
    unmet = pd.DataFrame(
        un, index=pd.Index(inst.scenarios, name=SCENARIO), columns=pd.Index(inst.chains, name=CHAIN)
    )
    loss = pd.Series(L, index=unmet.index, name="loss")
    return BackupPlan(
        bases=bases.sort_index(),
        unmet=unmet,
        loss=loss,
        expected_loss=float(inst.prob @ L),
        cvar=cvar(L, inst.prob, bm.alpha),
        invest=float(bases["invest"].sum()),
        objective=bm.objective,
        objective_value=float(sol.objective),
        status=sol.status,
        gap=float(sol.gap),
        seconds=float(sol.seconds),
        alpha=bm.alpha,
        budget=bm.budget,
    )


def _explain_n1(inst: BackupInstance, budget: float | None, solver: str, time_limit: float | None) -> None:
    """Raise :class:`InfeasibleError` with numbers when the N-1 benchmark cannot be met."""
    ramp_cap = np.where(inst.candidate, inst.max_size, 0.0) * inst.ramp[:, None]
    best = np.einsum("scr,cr->sc", 1.0 - inst.loss, inst.capacity + ramp_cap)
    need = inst.essential.sum(axis=1)[None, :]
    gap = need - best
    if np.any(gap > 1e-9 * np.maximum(need, 1.0)):
        s, c = np.unravel_index(int(np.argmax(gap / np.maximum(need, 1e-300))), gap.shape)
        raise InfeasibleError(
            f"N-1 cannot be met for chain {inst.chains[c]} in scenario {inst.scenarios[s]}: essential demand "
            f"{need[0, c]:.4g} {inst.unit}, but even every candidate base at its maximum size gives only "
            f"{best[s, c]:.4g} after the shock (short by {gap[s, c]:.4g}). Fix: raise max_size or ramp of "
            f"this chain, allow more candidate regions, or lower its essential demand by at least "
            f"{gap[s, c] / need[0, c]:.1%}."
        )
    if budget is not None:
        free = solve_backup(inst, objective="n-1", budget=None, solver=solver, time_limit=time_limit)
        raise InfeasibleError(
            f"N-1 needs an investment of {free.invest:.4g} {inst.unit}, above the budget {budget:.4g}. "
            f"Fix: raise the budget to at least {free.invest:.4g}, or use objective 'expected'."
        )
    big = float(np.sum(np.where(inst.candidate, inst.fixed_cost + inst.unit_cost * inst.max_size, 0.0))) + 1.0
    best_plan = solve_backup(inst, objective="expected", budget=big, solver=solver, time_limit=time_limit)
    un = best_plan.unmet
    s_id, c_id = un.stack().idxmax()
    raise InfeasibleError(
        f"N-1 cannot be met within the regional resource limits ({', '.join(inst.resources) or 'none'}): "
        f"with unlimited budget, chain {c_id} still misses {float(un.loc[s_id, c_id]):.4g} {inst.unit} of "
        f"essential demand in scenario {s_id} ({int((un > 1e-6).to_numpy().sum())} (scenario, chain) pairs "
        "short). Fix: raise the resource headroom of the candidate regions, allow more candidate regions, "
        "or lower that chain's essential share."
    )


def solve_backup(
    inst: BackupInstance,
    *,
    objective: str = "expected",
    budget: float | None = None,
    alpha: float = 0.9,
    flows: str = "pooled",
    transport_weight: float = 1.0,
    solver: str = "highs",
    time_limit: float | None = None,
    mip_gap: float = 1e-4,
) -> BackupPlan:
    """Build and solve the backup MILP; see the module docstring for the formulation."""
    bm = build_backup_model(
        inst, objective=objective, budget=budget, alpha=alpha, flows=flows, transport_weight=transport_weight
    )
    sol = solve_mip(bm.mip, solver=solver, time_limit=time_limit, mip_gap=mip_gap)
    if sol.status == "infeasible":
        if objective == "n-1":
            _explain_n1(inst, budget, solver, time_limit)
        raise InfeasibleError(
            f"the backup model ({objective}) is infeasible with budget {budget} {inst.unit}. Fix: check the "
            "minimum base sizes against the resource limits."
        )
    return _read_plan(bm, sol)


def evaluate_plan(
    inst: BackupInstance,
    plan: BackupPlan | pd.DataFrame,
    *,
    alpha: float = 0.9,
    flows: str = "pooled",
    transport_weight: float = 1.0,
    solver: str = "highs",
) -> BackupPlan:
    """Second-stage LP with the first stage fixed to ``plan``: losses of that plan on ``inst``'s
    scenarios (out-of-sample evaluation in SAA)."""
    table = plan.bases if isinstance(plan, BackupPlan) else plan
    bm = build_backup_model(inst, objective="expected", alpha=alpha, flows=flows,
                            transport_weight=transport_weight, plan=table)  # fmt: skip
    sol = solve_mip(bm.mip, solver=solver)
    if sol.status != "optimal":
        raise InfeasibleError(f"evaluating the plan gave status {sol.status!r}")
    out = _read_plan(bm, sol)
    return replace(out, objective="evaluate", budget=plan.budget if isinstance(plan, BackupPlan) else None)


def pareto_front(
    inst: BackupInstance,
    budgets: Sequence[float],
    *,
    objective: str = "expected",
    alpha: float = 0.9,
    flows: str = "pooled",
    solver: str = "highs",
    time_limit: float | None = None,
    mip_gap: float = 1e-4,
) -> tuple[pd.DataFrame, list[BackupPlan]]:
    """Budget vs loss: one solve per budget (ascending); columns budget, invest, expected_loss,
    cvar, n_bases, status."""
    rows, plans = [], []
    for b in sorted(float(x) for x in budgets):
        plan = solve_backup(inst, objective=objective, budget=b, alpha=alpha, flows=flows, solver=solver,
                            time_limit=time_limit, mip_gap=mip_gap)  # fmt: skip
        plans.append(plan)
        rows.append({"budget": b, "invest": plan.invest, "expected_loss": plan.expected_loss,
                     "cvar": plan.cvar, "n_bases": len(plan.bases), "status": plan.status})  # fmt: skip
    return pd.DataFrame(rows), plans


def draw_scenarios(
    patterns: pd.DataFrame,
    prob: pd.Series | None,
    n: int,
    *,
    seed: int = 0,
    severity: tuple[float, float] = (0.5, 1.5),
) -> tuple[pd.DataFrame, pd.Series]:
    r"""Monte Carlo shock draws: pattern :math:`j \sim p`, severity :math:`\sigma \sim U(a, b)`,
    :math:`\ell = \min(1, \sigma \ell_j)`. ``patterns``: (pattern[, chain]) × region loss shares.
    Returns the drawn loss table (scenario ``pattern#k``) and equal probabilities 1/n."""
    if n < 1:
        raise ConfigError(f"number of draws must be ≥ 1, got {n}. Fix: pass n ≥ 1 (--draws, e.g. 20).")
    lo, hi = severity
    if not 0 <= lo <= hi:
        raise ConfigError(f"severity range ({lo}, {hi}) must satisfy 0 ≤ low ≤ high")
    names = list(dict.fromkeys(str(x) for x in patterns.index.get_level_values(0)))
    p = _probabilities(prob, tuple(names))
    rng = np.random.default_rng(seed)
    pick = rng.choice(len(names), size=n, p=p)
    sev = rng.uniform(lo, hi, size=n)
    frames = []
    lvl0 = patterns.index.get_level_values(0).map(str)
    for k in range(n):
        block = patterns[lvl0 == names[pick[k]]].clip(upper=None) * sev[k]
        block = block.clip(0.0, 1.0)
        sid = f"{names[pick[k]]}#{k}"
        if isinstance(patterns.index, pd.MultiIndex):
            block.index = pd.MultiIndex.from_arrays(
                [[sid] * len(block), block.index.get_level_values(1)], names=[SCENARIO, CHAIN]
            )
        else:
            block.index = pd.Index([sid], name=SCENARIO)
        frames.append(block)
    loss = pd.concat(frames)
    scen = list(dict.fromkeys(loss.index.get_level_values(0)))
    return loss, pd.Series(1.0 / n, index=pd.Index(scen, name=SCENARIO), name="prob")


@dataclass(frozen=True)
class SAAResult:
    """SAA run: the plan chosen in-sample, its in-sample and out-of-sample losses, replications."""

    plan: BackupPlan
    out_of_sample: BackupPlan
    replications: pd.DataFrame
    summary: dict[str, float]


def sample_average_approximation(
    inst: BackupInstance,
    patterns: pd.DataFrame,
    prob: pd.Series | None,
    *,
    budget: float,
    n: int = 20,
    n_out: int = 200,
    replications: int = 1,
    seed: int = 0,
    objective: str = "expected",
    alpha: float = 0.9,
    severity: tuple[float, float] = (0.5, 1.5),
    flows: str = "pooled",
    solver: str = "highs",
    time_limit: float | None = None,
    mip_gap: float = 1e-4,
) -> SAAResult:
    r"""Kleywegt et al. (2002): solve M replications on N draws each, keep the plan with the best
    out-of-sample estimate on N' common fresh draws, and report

    * in-sample value :math:`\hat v_N` (mean over replications: an optimistic, downward-biased
      estimate of the optimum for minimisation);
    * out-of-sample :math:`\hat f_{N'}(\hat x) \pm 1.96\, \hat\sigma / \sqrt{N'}` (an unbiased estimate
      of the chosen plan's true loss); the difference is the optimism gap.
    """
    out_loss, out_p = draw_scenarios(patterns, prob, n_out, seed=seed + 10_000, severity=severity)
    inst_out = inst.with_scenarios(out_loss, out_p)
    rows, best = [], None
    for m_rep in range(replications):
        loss, p = draw_scenarios(patterns, prob, n, seed=seed + m_rep, severity=severity)
        plan = solve_backup(inst.with_scenarios(loss, p), objective=objective, budget=budget, alpha=alpha,
                            flows=flows, solver=solver, time_limit=time_limit, mip_gap=mip_gap)  # fmt: skip
        ev = evaluate_plan(inst_out, plan, alpha=alpha, flows=flows, solver=solver)
        stat = ev.expected_loss if objective != "cvar" else ev.cvar
        rows.append({"replication": m_rep, "in_sample_objective": plan.objective_value,
                     "in_sample_expected": plan.expected_loss, "out_expected": ev.expected_loss,
                     "out_cvar": ev.cvar, "invest": plan.invest, "n_bases": len(plan.bases)})  # fmt: skip
        if best is None or stat < best[0]:
            best = (stat, plan, ev)
    assert best is not None
    _, plan, ev = best
    L = ev.loss.to_numpy()
    se = float(L.std(ddof=1) / np.sqrt(len(L))) if len(L) > 1 else 0.0
    reps = pd.DataFrame(rows)
    summary = {
        "n": float(n),
        "n_out": float(n_out),
        "replications": float(replications),
        "in_sample_expected": float(reps["in_sample_expected"].mean()),
        "out_of_sample_expected": ev.expected_loss,
        "out_of_sample_ci95": 1.96 * se,
        "out_of_sample_cvar": ev.cvar,
        "optimism_gap": ev.expected_loss - float(plan.expected_loss),
    }
    return SAAResult(plan, ev, reps, summary)

"""Depot siting under disruption: scenario sets, robust and two-stage stochastic models, VSS and PoR.

A scenario ``s`` (probability ``π_s``) changes the travel times ``d_ijs`` (failed corridors give
longer paths or ``∞``) and may knock out sites (``a_js = 0``). Depots ``y`` are chosen before the
scenario is known; after it, demand is reassigned to surviving open depots (``x_ijs``) or left
unserved (``u_is``) at penalty ``φ`` per unit of demand.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from hinterland.errors import ConfigError, InfeasibleError, SchemaError
from hinterland.locate._blocks import (
    add_assignment_rows,
    add_cover_rows,
    add_link_rows,
    add_p_row,
    add_site_vars,
    check_p,
    coverage,
    fmt_ids,
)
from hinterland.locate._heuristics import greedy_median, interchange
from hinterland.locate._instance import LocationInstance
from hinterland.locate._models import LocationResult, _result
from hinterland.optim import MipModel, solve_mip

__all__ = [
    "OBJECTIVES",
    "ScenarioSet",
    "StochasticResult",
    "build_stochastic_p_median",
    "robust_lscp",
    "scenario_costs",
    "stochastic_p_median",
]

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]
OBJECTIVES = ("expected", "cvar", "worst", "regret")


@dataclass(frozen=True)
class ScenarioSet:
    """``S`` scenarios over one instance: ``cost[s]`` is ``d_ijs`` (|I|×|J|, ``inf`` = unreachable),
    ``available[s, j]`` is ``a_js``, ``prob`` is ``π_s`` (sums to 1), ``names`` index ``scenario``."""

    names: tuple[str, ...]
    cost: FloatArray
    prob: FloatArray
    available: BoolArray
    description: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        s = len(self.names)
        if self.cost.ndim != 3 or self.cost.shape[0] != s:
            raise SchemaError(f"scenario cost must be S×I×J with S = {s}, got {self.cost.shape}")
        if self.prob.shape != (s,) or self.available.shape != (s, self.cost.shape[2]):
            raise SchemaError("scenario prob must have S entries and available must be S×J")
        if (self.prob < 0).any() or abs(float(self.prob.sum()) - 1.0) > 1e-6:
            raise SchemaError(
                f"scenario probabilities must be ≥ 0 and sum to 1, got sum {self.prob.sum():.6g}"
            )
        if len(set(self.names)) != s:
            raise SchemaError(f"duplicate scenario names in {list(self.names)}")

    @classmethod
    def from_matrices(
        cls,
        matrices: Sequence[FloatArray],
        names: Sequence[str] | None = None,
        prob: Sequence[float] | None = None,
        available: Sequence[Sequence[bool]] | None = None,
        description: Sequence[str] = (),
    ) -> ScenarioSet:
        """Stack per-scenario matrices (equal probabilities and all sites available by default)."""
        cost = np.stack([np.where(np.isnan(m), np.inf, np.asarray(m, float)) for m in matrices])
        s, _, n_j = cost.shape
        return cls(
            tuple(names) if names is not None else tuple(f"s{k}" for k in range(s)),
            cost,
            np.full(s, 1.0 / s) if prob is None else np.asarray(prob, float),
            np.ones((s, n_j), bool) if available is None else np.asarray(available, bool),
            tuple(description),
        )

    def effective(self) -> FloatArray:
        """``d_ijs`` with unavailable sites set to ``inf``."""
        return np.where(self.available[:, None, :], self.cost, np.inf)

    def __len__(self) -> int:
        return len(self.names)


def scenario_costs(
    inst: LocationInstance, scen: ScenarioSet, open_idx: IntArray, penalty: float
) -> FloatArray:
    r"""Recourse cost of fixed depots in each scenario (closed form, no solver):

    .. math:: Q_s(y) = \sum_i h_i \min\big(\varphi, \min_{j: y_j = 1, a_{js} = 1} d_{ijs}\big)

    i.e. each point is served by its nearest surviving open depot, or by the emergency option at
    penalty ``φ`` (per unit of demand) if that is cheaper or no depot is reachable.
    """
    eff = scen.effective()[:, :, open_idx]
    nearest = eff.min(axis=2) if len(open_idx) else np.full(eff.shape[:2], np.inf)
    return np.asarray(np.minimum(nearest, penalty) @ inst.h)


def robust_lscp(
    inst: LocationInstance,
    scen: ScenarioSet,
    radius: float,
    *,
    solver: str = "highs",
    time_limit: float | None = None,
) -> LocationResult:
    r"""Scenario-robust set covering: every point covered within ``T`` in every scenario.

    .. math:: \min \sum_j f_j y_j \ \text{s.t.}\ \sum_{j \in N_{is}} a_{js} y_j \ge 1\ \forall i, s

    (Daskin 2013; the scenario form of Toregas et al. 1971). Points that some scenario leaves with
    no site within ``T`` make it infeasible; the error names them and the scenario.
    """
    eff = scen.effective()
    covs = [coverage(eff[s], radius) for s in range(len(scen))]
    for s, cov in enumerate(covs):
        bad = np.flatnonzero(~cov.any(axis=1))
        if len(bad):
            near = eff[s][bad].min(axis=1)
            finite = np.isfinite(near)
            fix = (
                f"raise the radius to ≥ {float(near.max()):.2f} {inst.unit}"
                if finite.all()
                else f"{int((~finite).sum())} of them are cut off from every surviving site: add a "
                "candidate site among them"
            )
            raise InfeasibleError(
                f"scenario {scen.names[s]!r}: {len(bad)} demand point(s) have no surviving site within "
                f"{radius:g} {inst.unit} ({fmt_ids(inst.nodes[bad])}). Fix: {fix}, or drop that scenario."
            )
    t0 = time.perf_counter()
    m = MipModel("robust_lscp")
    y = add_site_vars(m, inst, cost=inst.f)
    add_cover_rows(m, np.vstack(covs), y)
    sol = solve_mip(m, solver=solver, time_limit=time_limit)
    open_idx = np.flatnonzero(sol.block(m, "y") > 0.5).astype(np.int64)
    return _result(
        inst,
        "robust_lscp",
        open_idx,
        sol.objective,
        sol,
        radius,
        {"radius": radius, "scenarios": len(scen)},
        time.perf_counter() - t0,
    )


def build_stochastic_p_median(
    inst: LocationInstance,
    scen: ScenarioSet,
    p: int,
    *,
    penalty: float,
    objective: str = "expected",
    alpha: float = 0.9,
    weight: float = 1.0,
    best: FloatArray | None = None,
    k: int | None = None,
) -> MipModel:
    r"""Extensive form of the two-stage stochastic / robust p-median (Birge & Louveaux 2011; Snyder
    2006, IIE Transactions 38:547 "Facility location under uncertainty: a review").

    Recourse cost of scenario ``s``:
    :math:`C_s = \sum_{i} h_i \big(\sum_j d_{ijs} x_{ijs} + \varphi u_{is}\big)` with
    :math:`\sum_j x_{ijs} + u_{is} = 1`, :math:`x_{ijs} \le a_{js} y_j`, :math:`\sum_j y_j = p`.

    * ``expected``: :math:`\min \sum_s \pi_s C_s`;
    * ``cvar``: :math:`\min \sum_s \pi_s C_s + \lambda\big(\tau + \frac{1}{1-\alpha}\sum_s \pi_s v_s\big)`,
      :math:`v_s \ge C_s - \tau,\ v_s \ge 0` (Rockafellar & Uryasev 2000, J. Risk 2:21);
    * ``worst``: :math:`\min \eta,\ \eta \ge C_s` (absolute robust; Kouvelis & Yu 1997);
    * ``regret``: :math:`\min \eta,\ \eta \ge C_s - C^*_s` with ``best`` = :math:`C^*_s`.

    Pairs (i, j) with :math:`d_{ijs} \ge \varphi` are dropped (the penalty is cheaper); ``k`` keeps
    only each point's ``k`` nearest pairs per scenario (a heuristic restriction: ``None`` keeps all).
    """
    if objective not in OBJECTIVES:
        raise ConfigError(f"unknown objective {objective!r}; expected one of {', '.join(OBJECTIVES)}")
    eff = scen.effective()
    n_s, n_i, n_j = eff.shape
    h = inst.h
    m = MipModel(f"stochastic_p_median_{objective}")
    y = add_site_vars(m, inst)
    add_p_row(m, y, p)
    scale = {"expected": scen.prob, "cvar": scen.prob, "worst": np.zeros(n_s), "regret": np.zeros(n_s)}[
        objective
    ]
    cost_rows: list[tuple[slice, IntArray, IntArray, slice]] = []
    for s in range(n_s):
        d = eff[s]
        keep = np.isfinite(d) & (d < penalty)
        if k is not None and k < n_j:
            kth = np.sort(np.where(keep, d, np.inf), axis=1)[:, k - 1 : k]
            keep &= d <= kth
        pi, pj = (a.astype(np.int64) for a in np.nonzero(keep))
        c = h[pi] * d[pi, pj]
        x = m.add_vars(f"x_{s}", len(pi), cost=scale[s] * c, lb=0.0, ub=1.0)
        u = m.add_vars(f"u_{s}", n_i, cost=scale[s] * h * penalty, lb=0.0, ub=1.0)
        add_assignment_rows(m, n_i, pi, x, extra=(np.arange(n_i, dtype=np.int64), u), name=f"assign_{s}")
        add_link_rows(m, pj, x, y, name=f"link_{s}")
        cost_rows.append((x, pi, pj, u))
    m.meta["pairs"] = [(pi, pj) for _, pi, pj, _ in cost_rows]
    m.meta["penalty"] = penalty

    def cost_expr(s: int) -> tuple[IntArray, FloatArray]:
        x, pi, pj, u = cost_rows[s]
        cols = np.concatenate([np.arange(x.start, x.stop), np.arange(u.start, u.stop)])
        vals = np.concatenate([h[pi] * eff[s][pi, pj], h * penalty])
        return cols.astype(np.int64), vals

    if objective in {"worst", "regret"}:
        eta = m.add_vars("eta", 1, cost=1.0, lb=-np.inf)
        shift = np.zeros(n_s) if objective == "worst" else np.asarray(best, float)
        if objective == "regret" and (best is None or len(best) != n_s):
            raise ConfigError("objective='regret' needs best = the optimal cost of each scenario alone")
        for s in range(n_s):
            cols, vals = cost_expr(s)
            m.add_rows(
                f"eta_{s}",
                1,
                np.zeros(len(cols) + 1),
                np.append(cols, eta.start),
                np.append(vals, -1.0),
                upper=shift[s],
            )
    if objective == "cvar":
        if not 0 <= alpha < 1:
            raise ConfigError(f"CVaR level alpha must be in [0, 1), got {alpha}")
        tau = m.add_vars("tau", 1, cost=weight, lb=-np.inf)
        v = m.add_vars("v", n_s, cost=weight * scen.prob / (1 - alpha), lb=0.0)
        for s in range(n_s):
            cols, vals = cost_expr(s)
            m.add_rows(
                f"cvar_{s}",
                1,
                np.zeros(len(cols) + 2),
                np.concatenate([cols, [tau.start, v.start + s]]),
                np.concatenate([vals, [-1.0, -1.0]]),
                upper=0.0,
            )
    return m


@dataclass(frozen=True)
class StochasticResult:
    """The stochastic solution and its comparisons.

    ``per_scenario`` (index ``scenario``): probability and the recourse cost of each compared solution
    (``stochastic``, ``mean_value`` (EV), ``robust`` (worst case), ``min_max_regret``, ``nominal``)
    and the per-scenario optimum ``wait_and_see``. ``summary``: RP (expected cost of the stochastic
    solution), EEV, VSS = EEV − RP, WS, EVPI = RP − WS, the robust solutions' expected and worst cost
    and the price of robustness = expected cost ÷ RP − 1 (Bertsimas & Sim 2004 use the same "price" idea).
    """

    result: LocationResult
    per_scenario: pd.DataFrame
    summary: dict[str, float]
    solutions: dict[str, tuple[object, ...]] = field(default_factory=dict)


def _solve_sp(
    inst: LocationInstance,
    scen: ScenarioSet,
    p: int,
    penalty: float,
    objective: str,
    alpha: float,
    weight: float,
    best: FloatArray | None,
    solver: str,
    time_limit: float | None,
    start: IntArray | None,
    k: int | None,
) -> tuple[IntArray, float, str, float]:
    m = build_stochastic_p_median(
        inst, scen, p, penalty=penalty, objective=objective, alpha=alpha, weight=weight, best=best, k=k
    )
    x0 = None if start is None else _start_vector(m, inst, scen, start, best)
    sol = solve_mip(m, solver=solver, time_limit=time_limit, start=x0)
    if sol.status == "infeasible":  # cannot happen with the penalty column; kept for safety
        raise InfeasibleError(f"the {objective} stochastic p-median is infeasible")
    return np.flatnonzero(sol.block(m, "y") > 0.5).astype(np.int64), sol.objective, sol.status, sol.gap


def _start_vector(
    m: MipModel, inst: LocationInstance, scen: ScenarioSet, open_idx: IntArray, best: FloatArray | None
) -> FloatArray:
    """A feasible point of :func:`build_stochastic_p_median` for the depots ``open_idx``: each point
    goes to its nearest kept open pair, or to the penalty if none is kept (a warm start for HiGHS,
    which otherwise may find no incumbent of the min–max models within minutes)."""
    eff = scen.effective()
    h = inst.h
    phi = float(m.meta["penalty"])  # type: ignore[arg-type]
    pairs: list[tuple[IntArray, IntArray]] = m.meta["pairs"]  # type: ignore[assignment]
    x0 = np.zeros(m.n_cols)
    y = m.cols["y"]
    x0[y.start + open_idx] = 1.0
    is_open = np.zeros(inst.shape[1], bool)
    is_open[open_idx] = True
    costs = np.zeros(len(scen))
    for s, (pi, pj) in enumerate(pairs):
        d = eff[s][pi, pj]
        ok = is_open[pj]
        best_d = np.full(inst.shape[0], np.inf)
        np.minimum.at(best_d, pi[ok], d[ok])
        chosen = np.flatnonzero(ok & (d <= best_d[pi]))
        _, first = np.unique(pi[chosen], return_index=True)
        chosen = chosen[first]
        x = m.cols[f"x_{s}"]
        x0[x.start + chosen] = 1.0
        served = np.zeros(inst.shape[0], bool)
        served[pi[chosen]] = True
        x0[m.cols[f"u_{s}"]] = ~served
        costs[s] = float(h[pi[chosen]] @ d[chosen] + phi * h[~served].sum())
    if "eta" in m.cols:
        shift = np.zeros(len(scen)) if best is None or "regret" not in m.name else best
        x0[m.cols["eta"]] = float((costs - shift).max())
    if "tau" in m.cols:
        x0[m.cols["v"]] = np.maximum(costs, 0.0)
    return x0


def stochastic_p_median(
    inst: LocationInstance,
    scen: ScenarioSet,
    p: int,
    *,
    penalty: float | None = None,
    objective: str = "expected",
    alpha: float = 0.9,
    weight: float = 1.0,
    compare: bool = True,
    solver: str = "highs",
    time_limit: float | None = None,
    k: int | None = None,
) -> StochasticResult:
    r"""Open ``p`` depots now, reassign per scenario; report VSS, EVPI and the price of robustness.

    ``penalty`` ``φ`` (hours-equivalent per unit of demand served by emergency means) defaults to
    twice the largest finite travel time of the instance. With ``compare`` the function also solves:
    the nominal p-median (``inst.cost``), the mean-value problem on
    :math:`\bar d_{ij} = \sum_s \pi_s \min(\varphi, d_{ijs})` (EV → EEV, VSS = EEV − RP; Birge 1982),
    each scenario alone (wait-and-see WS, EVPI = RP − WS), the worst-case robust model and the
    min–max regret model. The price of robustness is the robust solution's expected cost over RP,
    minus 1 (in %), for the worst-case (``price_of_robustness_pct``) and the regret
    (``price_of_regret_robustness_pct``) solution.
    """
    check_p(inst, p)
    if scen.cost.shape[1:] != inst.shape:
        raise SchemaError(f"scenario matrices are {scen.cost.shape[1:]}, the instance is {inst.shape}")
    base = np.concatenate([inst.d[np.isfinite(inst.d)], scen.cost[np.isfinite(scen.cost)]])
    phi = float(penalty) if penalty is not None else 2.0 * float(base.max())
    t0 = time.perf_counter()
    mean_d = np.einsum("s,sij->ij", scen.prob, np.minimum(scen.effective(), phi))
    fixed = inst.existing_mask
    start0 = interchange(mean_d, inst.h, greedy_median(mean_d, inst.h, p, fixed), fixed)
    ws_cache: tuple[FloatArray, float] | None = None
    if objective == "regret" or compare:
        ws_cache = _wait_and_see(inst, scen, p, phi, solver, time_limit)
    open_idx, obj, status, gap = _solve_sp(
        inst,
        scen,
        p,
        phi,
        objective,
        alpha,
        weight,
        None if ws_cache is None else ws_cache[0],
        solver,
        time_limit,
        start0,
        k,
    )
    cost = scenario_costs(inst, scen, open_idx, phi)
    res = _result(
        inst,
        f"stochastic_p_median[{objective}]",
        open_idx,
        obj,
        None,
        None,
        {"p": p, "penalty": phi, "objective": objective, "alpha": alpha},
        time.perf_counter() - t0,
    )
    res = LocationResult(**{**res.__dict__, "status": status, "gap": gap})
    table = pd.DataFrame({"prob": scen.prob, "stochastic": cost}, index=pd.Index(scen.names, name="scenario"))
    summary: dict[str, float] = {
        "penalty": phi,
        "expected_cost": float(scen.prob @ cost),
        "worst_cost": float(cost.max()),
        "cvar_cost": _cvar(cost, scen.prob, alpha),
    }
    sols: dict[str, tuple[object, ...]] = {"stochastic": tuple(inst.sites[open_idx])}
    if compare:
        assert ws_cache is not None
        ws, ws_total = ws_cache
        table["wait_and_see"] = ws
        ev_idx = _pmedian_idx(inst.with_cost(mean_d), p, solver, time_limit)
        nom_idx = _pmedian_idx(inst.with_cost(np.minimum(inst.d, phi)), p, solver, time_limit)
        rob_idx = (
            open_idx
            if objective == "worst"
            else _solve_sp(inst, scen, p, phi, "worst", alpha, weight, None, solver, time_limit, start0, k)[0]
        )
        sp_idx = (
            open_idx
            if objective == "expected"
            else _solve_sp(
                inst, scen, p, phi, "expected", alpha, weight, None, solver, time_limit, start0, k
            )[0]
        )
        reg_idx = (
            open_idx
            if objective == "regret"
            else _solve_sp(inst, scen, p, phi, "regret", alpha, weight, ws, solver, time_limit, start0, k)[0]
        )
        for label, idx in (
            ("expected_value_sp", sp_idx),
            ("mean_value", ev_idx),
            ("nominal", nom_idx),
            ("robust", rob_idx),
            ("min_max_regret", reg_idx),
        ):
            table[label] = scenario_costs(inst, scen, idx, phi)
            sols[label] = tuple(inst.sites[idx])
        # Each compared solution is feasible for every model: if a MIP stopped at its time limit (or
        # on a k-nearest restriction) with a worse incumbent than another candidate, use that one, so
        # that RP, the robust and the regret costs are the best known (VSS ≥ 0 and PoR ≥ 0 by design).
        cand = {
            lab: idx
            for lab, idx in zip(list(sols)[1:], (sp_idx, ev_idx, nom_idx, rob_idx, reg_idx), strict=True)
        }
        ws_arr = np.asarray(ws)
        prob = scen.prob

        def score(kind: str, c: FloatArray) -> float:
            if kind == "expected_value_sp":
                return float(prob @ c)
            return float(c.max()) if kind == "robust" else float((c - ws_arr).max())

        for label in ("expected_value_sp", "robust", "min_max_regret"):
            values = {lab: score(label, table[lab].to_numpy(float)) for lab in cand}
            best_lab = min(cand, key=lambda lab: values[lab] - (1e-9 if lab == label else 0.0))
            summary[f"{label}_from"] = 0.0 if best_lab == label else 1.0
            if best_lab != label:
                table[label] = table[best_lab].to_numpy()
                sols[label] = sols[best_lab]
        rp = float(scen.prob @ table["expected_value_sp"].to_numpy())
        eev = float(scen.prob @ table["mean_value"].to_numpy())
        rob_exp = float(scen.prob @ table["robust"].to_numpy())
        reg_exp = float(scen.prob @ table["min_max_regret"].to_numpy())
        nominal_d = np.minimum(inst.d, phi)
        nom_opt = float(inst.h @ nominal_d[:, nom_idx].min(axis=1))
        rob_nom = float(inst.h @ nominal_d[:, rob_idx].min(axis=1))
        summary.update(
            {
                "RP": rp,
                "EEV": eev,
                "VSS": eev - rp,
                "VSS_pct": 100 * (eev - rp) / eev if eev else 0.0,
                "WS": ws_total,
                "EVPI": rp - ws_total,
                "robust_expected_cost": rob_exp,
                "robust_worst_cost": float(table["robust"].max()),
                "stochastic_worst_cost": float(table["expected_value_sp"].max()),
                "price_of_robustness_pct": 100 * (rob_exp / rp - 1) if rp else 0.0,
                "regret_expected_cost": reg_exp,
                "regret_max_regret": float((table["min_max_regret"] - table["wait_and_see"]).max()),
                "stochastic_max_regret": float((table["expected_value_sp"] - table["wait_and_see"]).max()),
                "price_of_regret_robustness_pct": 100 * (reg_exp / rp - 1) if rp else 0.0,
                "robust_nominal_cost": rob_nom,
                "nominal_optimum": nom_opt,
                "nominal_price_of_robustness_pct": 100 * (rob_nom / nom_opt - 1) if nom_opt else 0.0,
            }
        )
    return StochasticResult(res, table, summary, sols)


def _cvar(cost: FloatArray, prob: FloatArray, alpha: float) -> float:
    r"""Discrete CVaR_α: :math:`\min_\tau \tau + \frac{1}{1-\alpha}\sum_s \pi_s (C_s - \tau)^+`."""
    return float(min(t + (prob @ np.maximum(cost - t, 0.0)) / (1 - alpha) for t in cost))


def _pmedian_idx(inst: LocationInstance, p: int, solver: str, time_limit: float | None) -> IntArray:
    from hinterland.locate._models import p_median

    res = p_median(inst, p, solver=solver, time_limit=time_limit)
    return np.flatnonzero(inst.sites.isin(list(res.sites))).astype(np.int64)


def _wait_and_see(
    inst: LocationInstance, scen: ScenarioSet, p: int, phi: float, solver: str, time_limit: float | None
) -> tuple[FloatArray, float]:
    eff = np.minimum(scen.effective(), phi)
    best = np.zeros(len(scen))
    for s in range(len(scen)):
        sub = inst.with_cost(eff[s])
        idx = _pmedian_idx(sub, p, solver, time_limit)
        best[s] = float(inst.h @ eff[s][:, idx].min(axis=1))
    return best, float(scen.prob @ best)

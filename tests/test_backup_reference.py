"""Reference: the backup MILP against an independent formulation on tiny instances.

The reference enumerates every first-stage opening decision ``y ∈ {0,1}^{|candidates|}`` and, for each,
solves the remaining problem in (k, q, u[, η, z]) as one dense extensive-form LP written out here row
by row (``scipy.optimize.linprog``), directly from the equations in ``docs/backup.md`` §3 — no code is
shared with ``hinterland.backup``'s model builder. The best of the 2^n LPs is the MILP optimum.
A second, per-scenario check fixes the first stage at our plan and solves each scenario's recourse LP
on its own (the expected loss is then Σ_s p_s L_s).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from hinterland.backup import (
    BackupInstance,
    draw_scenarios,
    make_instance,
    sample_average_approximation,
    solve_backup,
)

pytestmark = pytest.mark.reference
TOL = 1e-6


@dataclass
class RefResult:
    objective: float
    k: np.ndarray  # (C, R)
    loss: np.ndarray  # (S,)


def _transport(inst: BackupInstance, pooled: bool) -> np.ndarray:
    """(C, R, D') unit freight; pooled: one zone with the demand-weighted mean t̄_cr."""
    if not pooled:
        return inst.transport
    E = inst.essential
    return (np.einsum("crd,cd->cr", inst.transport, E) / E.sum(axis=1)[:, None])[:, :, None]


def _reference_lp(
    inst: BackupInstance,
    y: np.ndarray,
    *,
    objective: str,
    budget: float | None,
    alpha: float,
    pooled: bool,
    fixed_k: np.ndarray | None = None,
) -> tuple[float, np.ndarray, np.ndarray] | None:
    """Extensive-form LP for a fixed opening ``y`` (C, R); None when infeasible."""
    C, R, _D, S = inst.shape
    E = inst.essential.sum(axis=1, keepdims=True) if pooled else inst.essential
    D = E.shape[1]
    T = _transport(inst, pooled)
    # variable layout: k[c,r] | q[s,c,r,d] | u[s,c,d] | eta | z[s]
    nk, nq, nu = C * R, S * C * R * D, S * C * D
    ik = lambda c, r: c * R + r  # noqa: E731
    iq = lambda s, c, r, d: nk + ((s * C + c) * R + r) * D + d  # noqa: E731
    iu = lambda s, c, d: nk + nq + (s * C + c) * D + d  # noqa: E731
    ieta = nk + nq + nu
    iz = lambda s: ieta + 1 + s  # noqa: E731
    n = ieta + 1 + S
    bounds: list[tuple[float | None, float | None]] = []
    for c in range(C):
        for r in range(R):
            if fixed_k is not None:
                bounds.append((fixed_k[c, r], fixed_k[c, r]))
            elif y[c, r]:
                bounds.append((inst.min_size[c, r], inst.max_size[c, r]))
            else:
                bounds.append((0.0, 0.0))
    bounds += [(0.0, None)] * nq
    bounds += [(0.0, 0.0 if objective == "n-1" else None)] * nu
    bounds += [(None, None)] + [(0.0, None)] * S
    cost = np.zeros(n)
    A_ub: list[np.ndarray] = []
    b_ub: list[float] = []
    A_eq: list[np.ndarray] = []
    b_eq: list[float] = []

    def loss_row(s: int) -> np.ndarray:
        row = np.zeros(n)
        for c in range(C):
            for d in range(D):
                row[iu(s, c, d)] = inst.weight[c]
                for r in range(R):
                    row[iq(s, c, r, d)] = T[c, r, d]
        return row

    if objective == "expected":
        for s in range(S):
            cost += inst.prob[s] * loss_row(s)
    elif objective == "cvar":
        cost[ieta] = 1.0
        for s in range(S):
            cost[iz(s)] = inst.prob[s] / (1.0 - alpha)
            row = loss_row(s)  # L_s - eta - z_s <= 0
            row[ieta], row[iz(s)] = -1.0, -1.0
            A_ub.append(row)
            b_ub.append(0.0)
    else:  # n-1: cheapest investment (fixed cost enters as a constant)
        for c in range(C):
            for r in range(R):
                cost[ik(c, r)] = inst.unit_cost[c, r]
    fixed = float(np.sum(inst.fixed_cost * y))
    if budget is not None and fixed_k is None:
        row = np.zeros(n)
        for c in range(C):
            for r in range(R):
                row[ik(c, r)] = inst.unit_cost[c, r]
        A_ub.append(row)
        b_ub.append(budget - fixed)
    if fixed_k is None:
        for r in range(R):
            for p in range(len(inst.resources)):
                row = np.zeros(n)
                for c in range(C):
                    row[ik(c, r)] = inst.resource_use[c, p]
                A_ub.append(row)
                b_ub.append(inst.resource_cap[r, p])
    for s in range(S):
        for c in range(C):
            for r in range(R):  # Σ_d q ≤ (1 − ℓ)(K + ρ k)
                avail = 1.0 - inst.loss[s, c, r]
                row = np.zeros(n)
                for d in range(D):
                    row[iq(s, c, r, d)] = 1.0
                row[ik(c, r)] = -avail * inst.ramp[c]
                A_ub.append(row)
                b_ub.append(avail * inst.capacity[c, r])
            for d in range(D):  # Σ_r q + u = E
                row = np.zeros(n)
                for r in range(R):
                    row[iq(s, c, r, d)] = 1.0
                row[iu(s, c, d)] = 1.0
                A_eq.append(row)
                b_eq.append(E[c, d])
    res = linprog(
        cost,
        A_ub=np.array(A_ub) if A_ub else None,
        b_ub=np.array(b_ub) if b_ub else None,
        A_eq=np.array(A_eq),
        b_eq=np.array(b_eq),
        bounds=bounds,
        method="highs",
    )
    if res.status == 2:
        return None
    assert res.status == 0, res.message
    x = res.x
    k = x[:nk].reshape(C, R)
    L = np.array([float(loss_row(s) @ x) for s in range(S)])
    value = float(res.fun) + (fixed if objective == "n-1" else 0.0)
    return value, k, L


def reference_optimum(
    inst: BackupInstance,
    *,
    objective: str = "expected",
    budget: float | None = None,
    alpha: float = 0.9,
    pooled: bool = True,
) -> RefResult:
    """Brute force over every opening decision; each one an extensive-form LP."""
    cand = np.argwhere(inst.candidate)
    best: RefResult | None = None
    for bits in itertools.product((0, 1), repeat=len(cand)):
        y = np.zeros(inst.candidate.shape, dtype=int)
        for (c, r), b in zip(cand, bits, strict=True):
            y[c, r] = b
        out = _reference_lp(inst, y, objective=objective, budget=budget, alpha=alpha, pooled=pooled)
        if out is not None and (best is None or out[0] < best.objective - 1e-12):
            best = RefResult(*out)
    assert best is not None, "reference: every opening decision is infeasible"
    return best


def recourse_by_scenario(inst: BackupInstance, k: np.ndarray, *, pooled: bool = True) -> np.ndarray:
    """Second-stage loss L_s of a fixed plan ``k``, one LP per scenario."""
    out = []
    for s in range(len(inst.scenarios)):
        one = replace(inst, loss=inst.loss[s : s + 1], prob=np.ones(1), scenarios=(inst.scenarios[s],))
        res = _reference_lp(one, (k > 0).astype(int), objective="expected", budget=None, alpha=0.9,
                            pooled=pooled, fixed_k=k)  # fmt: skip
        assert res is not None
        out.append(res[0])
    return np.array(out)


REGIONS = pd.Index([11, 51, 62], name="region")


def tiny(seed: int, *, transport: bool = True, resources: bool = True) -> BackupInstance:
    """2 chains × 3 regions (region 11 = front), 2 demand zones, 3 scenarios; random but seeded."""
    rng = np.random.default_rng(seed)
    cap = pd.DataFrame({"ic": rng.uniform(5, 12, 3) * [1, 0.3, 0.1], "med": rng.uniform(3, 8, 3) * [1, 0.5, 0]},
                       index=REGIONS)  # fmt: skip
    ess = pd.DataFrame({"ic": rng.uniform(2, 5, 2), "med": rng.uniform(1, 4, 2)}, index=[11, 51])
    loss = pd.DataFrame(
        np.column_stack([rng.uniform(0.3, 1.0, 3), rng.uniform(0.0, 0.4, 3), rng.uniform(0.0, 0.2, 3)]),
        index=pd.Index(["blockade", "quake", "mild"], name="scenario"),
        columns=REGIONS,
    )
    prob = rng.dirichlet(np.ones(3))
    prob = prob / prob.sum()
    kw: dict[str, object] = {}
    if transport:
        t = pd.DataFrame(rng.uniform(0.0, 0.3, (3, 2)), index=REGIONS, columns=[11, 51])
        kw["transport"] = {"ic": t, "med": t * 2}
    if resources:
        kw["resource_use"] = pd.DataFrame({"power": [0.3, 0.1], "labour": [0.2, 0.4]}, index=["ic", "med"])
        kw["resource_cap"] = pd.DataFrame({"power": [9, 1.5, 2.0], "labour": [9, 2.0, 1.2]}, index=REGIONS)
    return make_instance(
        cap, ess, loss, prob=prob, candidates=[51, 62],
        fixed_cost=pd.DataFrame({"ic": [0, 1.5, 1.0], "med": [0, 0.8, 0.5]}, index=REGIONS),
        unit_cost=pd.DataFrame({"ic": [1, 1.0, 1.4], "med": [1, 0.7, 0.6]}, index=REGIONS),
        min_size=pd.Series({"ic": 0.5, "med": 0.2}), max_size=pd.Series({"ic": 6.0, "med": 5.0}),
        ramp=pd.Series({"ic": 0.6, "med": 0.9}), weight=pd.Series({"ic": 1.0, "med": 1.7}), **kw,
    )  # fmt: skip


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
@pytest.mark.parametrize("budget", [2.0, 4.5, 9.0])
@pytest.mark.parametrize("flows", ["pooled", "zones"])
def test_expected_loss_equals_brute_force(seed, budget, flows):
    inst = tiny(seed)
    pooled = flows == "pooled"
    ref = reference_optimum(inst, budget=budget, pooled=pooled)
    plan = solve_backup(inst, budget=budget, flows=flows, mip_gap=0.0)
    assert plan.objective_value == pytest.approx(ref.objective, abs=TOL)
    assert plan.expected_loss == pytest.approx(ref.objective, abs=TOL)
    # our plan's first stage, re-evaluated scenario by scenario, gives the same losses
    k = np.zeros(inst.candidate.shape)
    for (c, r), v in plan.capacity.items():
        k[inst.chains.index(c), inst.regions.index(r)] = v
    L = recourse_by_scenario(inst, k, pooled=pooled)
    np.testing.assert_allclose(L, plan.loss.to_numpy(), atol=1e-6)
    assert float(inst.prob @ L) == pytest.approx(ref.objective, abs=TOL)


@pytest.mark.parametrize("seed", [0, 1])
def test_cvar_equals_brute_force(seed):
    inst = tiny(seed)
    ref = reference_optimum(inst, objective="cvar", budget=4.5, alpha=0.6)
    plan = solve_backup(inst, objective="cvar", budget=4.5, alpha=0.6, mip_gap=0.0)
    assert plan.objective_value == pytest.approx(ref.objective, abs=TOL)
    assert plan.cvar == pytest.approx(ref.objective, abs=TOL)


@pytest.mark.parametrize("seed", [0, 1])
def test_n1_cost_equals_brute_force(seed):
    inst = tiny(seed, transport=False, resources=False)
    ref = reference_optimum(inst, objective="n-1")
    plan = solve_backup(inst, objective="n-1", mip_gap=0.0)
    assert plan.invest == pytest.approx(ref.objective, abs=TOL)
    assert plan.unmet.to_numpy().max() <= 1e-7


def test_hand_derived_optimum_matches_reference():
    # one chain, front region lost in 'blockade' (p = 1/2): unmet = 6 − k with k = B − F (docs example)
    cap = pd.DataFrame({"ic": [10.0, 2.0]}, index=pd.Index([1, 2], name="region"))
    ess = pd.DataFrame({"ic": [4.0, 4.0]}, index=[1, 2])
    loss = pd.DataFrame({1: [1.0, 0.0], 2: [0.0, 0.0]}, index=pd.Index(["blockade", "calm"], name="scenario"))
    inst = make_instance(cap, ess, loss, prob=[0.5, 0.5], candidates=[2], fixed_cost=1.0, unit_cost=1.0)
    assert reference_optimum(inst, budget=4.0).objective == pytest.approx(1.5, abs=TOL)
    assert reference_optimum(inst, objective="n-1").objective == pytest.approx(7.0, abs=TOL)


def test_saa_in_sample_value_equals_extensive_form():
    inst = tiny(5)
    patterns = pd.DataFrame(
        [[0.9, 0.1, 0.0], [0.2, 0.6, 0.1], [0.3, 0.3, 0.3]],
        index=pd.Index(["front", "west", "broad"], name="scenario"),
        columns=REGIONS,
    )
    prob = pd.Series([0.5, 0.3, 0.2], index=patterns.index)
    res = sample_average_approximation(inst, patterns, prob, budget=4.5, n=5, n_out=20, seed=7, mip_gap=0.0)
    loss, p = draw_scenarios(patterns, prob, 5, seed=7)  # the same in-sample draws (replication 0)
    ref = reference_optimum(inst.with_scenarios(loss, p), budget=4.5)
    assert res.summary["in_sample_expected"] == pytest.approx(ref.objective, abs=TOL)
    assert res.plan.objective_value == pytest.approx(ref.objective, abs=TOL)
    # out-of-sample: the chosen plan on the fresh draws, scenario by scenario
    out_loss, out_p = draw_scenarios(patterns, prob, 20, seed=7 + 10_000)
    inst_out = inst.with_scenarios(out_loss, out_p)
    k = np.zeros(inst.candidate.shape)
    for (c, r), v in res.plan.capacity.items():
        k[inst.chains.index(c), inst.regions.index(r)] = v
    L = recourse_by_scenario(inst_out, k)
    assert res.summary["out_of_sample_expected"] == pytest.approx(float(out_p.to_numpy() @ L), abs=TOL)

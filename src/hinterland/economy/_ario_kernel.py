r"""Compiled (numba) element-wise pass of one ARIO step over a block of (products, scenarios).

After BLAS has formed a block's :math:`S\,\mathrm{diag}(c\rho)Z` and :math:`S\,\mathrm{diag}(c')Z`
(see :mod:`._ario`), everything else that touches the (n, B, N) state runs here, row by row
(one product, one scenario: N numbers that stay in L1):

* stock change :math:`a_{ig} = (S\,\mathrm{diag}(c\rho)Z)_{ig} R_{ig} - a^S_{ig} x^a_g` (priority
  rationing: the second class's shares for non-priority users);
* :math:`\Omega \leftarrow \Omega + a`;
* orders :math:`O^S_{ig} = \max(s_i a^S_{ig} x^{goal}_g - \Omega_{ig}, 0)/\tau_{INV,i} + a^S_{ig} x^a_g`
  and :math:`R = O^S / (S\,\mathrm{diag}(c')Z)`;
* the inventory limit of the next step :math:`\min_i \Omega_{ig} / (\psi s_i a^S_{ig})`.

With ``quirks`` (BoARIO 0.7.2), a scenario's stock update is skipped when every stock change is
within ``np.allclose`` tolerance of the use (1e-8 + 1e-5 |use|), and its stock gaps are zero when
every stock is that close to its goal. Those decisions need the whole scenario, so the blocks apply
the previous step's decisions and record the ones this step's data call for (``flags``); the caller
redoes the scenarios where they differ (Ω and R are double-buffered then).

The arithmetic is the same IEEE sequence as the numpy expressions (no ``fastmath``;
``error_model="numpy"`` so divisions follow IEEE rules and vectorise). Ω and R are read and
written once per step; under proportional rationing each row is one fused loop.
"""

from __future__ import annotations

from typing import Any

import numba as nb
import numpy as np

__all__ = ["step_block"]

_ATOL, _RTOL = 1e-8, 1e-5


def _block(
    lo: int,
    hi: int,
    i0: int,
    b0: int,
    W: Any,
    ad: int,
    ar: int,
    zo: int,
    R: Any,
    R_new: Any,
    omega: Any,
    omega_new: Any,
    aS: Any,
    xa: Any,
    s_aS: Any,
    xgoal: Any,
    inv_req: Any,
    tau: Any,
    zs_nz: Any,
    prio: Any,
    moved: Any,
    close: Any,
    active: Any,
    flags: Any,
    worst: Any,
    delivered: Any,
    zero: Any,
    has_prio: bool,
    static_nz: bool,
    quirks: bool,
    close_check: bool,
) -> None:
    """Products ``i0 .. i0 + W.shape[0]`` × scenarios ``b0 + b`` for b in [lo, hi) (``active`` ones).

    ``W[il, ad + b]`` is S diag(cρ) Z, ``W[il, ar + b]`` the second priority class's, ``W[il, zo + b]``
    S diag(c') Z. ``moved``/``close`` (B,) are the decisions applied (update the stocks; zero the
    stock gaps); with ``quirks`` the observed ones are OR-ed into ``flags`` (3, B): some stock change
    is not np.allclose to the use; stocks are not close to their goals after the update; ... without it.
    ``worst`` and ``delivered`` accumulate over products (fmin, sum)."""
    k = W.shape[0]
    N = R.shape[2]
    per_scenario = s_aS.shape[1] > 1
    for il in range(k):
        i = i0 + il
        ti = tau[i]
        aS_i = aS[i]
        nz_i = zs_nz[i]
        for b in range(lo, hi):
            s = b0 + b
            if not active[s]:
                continue
            bp = s if per_scenario else 0
            R_r = R[i, s]
            om_r = omega[i, s]
            xa_r = xa[s]
            goal_r = s_aS[i, bp]
            xg_r = xgoal[s]
            deliv = W[il, ad + b]
            zc_r = W[il, zo + b]
            omn_r = omega_new[i, s]
            Rn_r = R_new[i, s]
            inv_r = inv_req[i, bp]
            w_r = worst[s]
            if not has_prio:  # everything in one pass over the row (the common case)
                mv = moved[s]
                cl = close[s]
                fm = 0  # counts, not flags: integer sums vectorise
                f1 = 0
                f0 = 0
                for g in range(N):
                    u = aS_i[g] * xa_r[g]
                    d = deliv[g] * R_r[g] - u  # the stock change S(O ⊙ ρ) − A^S ⊙ x^a
                    om = om_r[g]
                    goal = goal_r[g] * xg_r[g]
                    if quirks:
                        fm += 0 if abs(d) <= _ATOL + _RTOL * abs(u) else 1
                        if close_check:
                            tg = _ATOL + _RTOL * abs(goal)
                            f1 += 0 if abs((om + d) - goal) <= tg else 1
                            f0 += 0 if abs(om - goal) <= tg else 1
                    omn = om + d if mv else om
                    omn_r[g] = omn
                    if cl:
                        order = u  # = 0 · τ⁻¹ + a^S x^a
                    else:
                        gap = goal - omn
                        gap = zero if gap < zero else gap  # np.maximum(gap, 0): NaN stays NaN
                        order = gap * ti + u
                    zc = zc_r[g]
                    ok = nz_i[g] if static_nz else zc != zero
                    Rn_r[g] = order / zc if ok else (R_r[g] if static_nz else zero)
                    w = omn * inv_r[g]
                    w_r[g] = w if w < w_r[g] else w_r[g]  # fmin: NaN (no constraining input) never wins
                if quirks:
                    flags[0, s] |= fm > 0
                    flags[1, s] |= f1 > 0
                    flags[2, s] |= f0 > 0
                continue
            if has_prio:  # non-priority users get the second class's shares
                deliv = W[il, ad + b].copy()
                second = W[il, ar + b]
                for g in range(N):
                    if not prio[g]:
                        deliv[g] = second[g]
                dsum = zero
                for g in range(N):
                    dsum += deliv[g] * R_r[g]
                delivered[s] += dsum
            if quirks:
                fm = False
                f1 = False
                f0 = False
                for g in range(N):
                    u = aS_i[g] * xa_r[g]
                    d = deliv[g] * R_r[g] - u
                    fm |= not abs(d) <= _ATOL + _RTOL * abs(u)
                if close_check:
                    for g in range(N):
                        u = aS_i[g] * xa_r[g]
                        d = deliv[g] * R_r[g] - u
                        goal = goal_r[g] * xg_r[g]
                        f1 |= not abs((om_r[g] + d) - goal) <= _ATOL + _RTOL * abs(goal)
                        f0 |= not abs(om_r[g] - goal) <= _ATOL + _RTOL * abs(goal)
                flags[0, s] |= fm
                flags[1, s] |= f1
                flags[2, s] |= f0
            # stock update Ω + (S(O ⊙ ρ) − A^S ⊙ x^a)
            if moved[s]:
                for g in range(N):
                    omn_r[g] = om_r[g] + (deliv[g] * R_r[g] - aS_i[g] * xa_r[g])
            elif quirks:
                omn_r[:] = om_r
            # orders O^S and routing ratios R = O^S / (S diag(c') Z)
            if close[s]:
                for g in range(N):
                    order = aS_i[g] * xa_r[g]  # = 0 · τ⁻¹ + a^S x^a
                    Rn_r[g] = (
                        order / zc_r[g]
                        if (nz_i[g] if static_nz else zc_r[g] != zero)
                        else (R_r[g] if static_nz else zero)
                    )
            else:
                for g in range(N):
                    gap = goal_r[g] * xg_r[g] - omn_r[g]
                    gap = zero if gap < zero else gap  # np.maximum(gap, 0): NaN stays NaN
                    order = gap * ti + aS_i[g] * xa_r[g]
                    Rn_r[g] = (
                        order / zc_r[g]
                        if (nz_i[g] if static_nz else zc_r[g] != zero)
                        else (R_r[g] if static_nz else zero)
                    )
            # inventory limit of the next step, min_i Ω / (ψ s a^S); fmin: NaN never wins
            for g in range(N):
                w = omn_r[g] * inv_r[g]
                w_r[g] = w if w < w_r[g] else w_r[g]


_block_jit = nb.njit(cache=True, nogil=True, error_model="numpy")(_block)


def step_block(
    W: np.ndarray,
    nb_: int,
    i0: int,
    b0: int,
    R: np.ndarray,
    R_new: np.ndarray,
    omega: np.ndarray,
    omega_new: np.ndarray,
    aS: np.ndarray,
    xa: np.ndarray,
    s_aS: np.ndarray,
    xgoal: np.ndarray,
    inv_req: np.ndarray,
    tau: np.ndarray,
    zs_nz: np.ndarray,
    prio: np.ndarray,
    moved: np.ndarray,
    close: np.ndarray,
    active: np.ndarray,
    flags: np.ndarray,
    worst: np.ndarray,
    delivered: np.ndarray,
    *,
    has_prio: bool,
    static_nz: bool,
    quirks: bool,
    close_check: bool,
) -> None:
    """One block of an ARIO step: products ``i0 .. i0 + W.shape[0]`` × scenarios ``b0 .. b0 + nb_``,
    with ``W`` (k, J·nb_, N) their products with Z along axis 1 (S diag(cρ) Z; with priority
    rationing the second class's; last S diag(c') Z). Writes ``omega_new`` and ``R_new`` (which may be
    ``omega`` and ``R``: in place) and accumulates ``flags``, ``worst`` and ``delivered``.

    The compiled code releases the GIL: :func:`._ario.simulate_ario` runs groups of scenarios in
    threads.
    """
    _block_jit(
        0, nb_, i0, b0, W, 0, nb_ if has_prio else 0, W.shape[1] - nb_, R, R_new, omega, omega_new, aS,
        xa, s_aS, xgoal, inv_req, tau, zs_nz, prio, moved, close, active, flags, worst, delivered,
        R.dtype.type(0), has_prio, static_nz, quirks, close_check,
    )  # fmt: skip

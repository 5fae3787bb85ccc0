r"""Compiled (numba) parts of an ARIO step: the (B, N) vector work, the blocks, the element-wise pass.

* :func:`prestep`: demand, overproduction, production, rationing shares and the order weights
  V = [cρ, c'] of every scenario in one pass (steps 2–4 of :mod:`._ario`);
* :func:`step_group`: every block of a step for one group of scenarios in one call without the GIL
  (BLAS through numba's ``np.dot``, then :func:`step_block`'s pass, then the Z-row sums), used when
  no supplier mask is active (proportional or priority rationing); otherwise :mod:`._ario` runs the
  blocks from Python with numpy's BLAS and calls :func:`step_block` per block.

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

# the BLAS that numba's np.dot calls, loaded now so that simulate_ario's threadpool_limits (one BLAS
# thread inside each of its threads) covers it
import scipy.linalg.cython_blas  # noqa: F401

__all__ = ["prestep", "step_block", "step_group"]

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
            second = W[il, ar + b]  # priority rationing: what the second class receives
            mv = moved[s]
            cl = close[s]
            fm = 0  # counts, not flags: integer sums vectorise
            f1 = 0
            f0 = 0
            dsum = zero
            for g in range(N):  # everything in one pass over the row
                dl = deliv[g] if (not has_prio or prio[g]) else second[g]
                u = aS_i[g] * xa_r[g]
                got = dl * R_r[g]
                d = got - u  # the stock change S(O ⊙ ρ) − A^S ⊙ x^a
                if has_prio:
                    dsum += got
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
            if has_prio:
                delivered[s] += dsum
            if quirks:
                flags[0, s] |= fm > 0
                flags[1, s] |= f1 > 0
                flags[2, s] |= f0 > 0


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


def _pre(
    later: bool,
    d_int: Any,
    y: Any,
    reb: Any,
    x_prev: Any,
    alpha: Any,
    amax: Any,
    atau: Any,
    alpha_base: float,
    delta: Any,
    x0: Any,
    extra: Any,
    worst: Any,
    c_ord: Any,
    alt: bool,
    n: int,
    D: Any,
    cap: Any,
    xopt: Any,
    xa: Any,
    rho: Any,
    c_new: Any,
    V: Any,
    cr: Any,
) -> None:
    """Steps 2–4 and the order weights of one ARIO step, per scenario b and industry g = (r, i):

    D = d + y + reb; with ``later`` (t > 1) ζ = (D − x_prev)/D (0 where D = 0) and
    α ← max(α + ((α^max − α)ζ + (α^b − α)[ζ = 0])/τ_α, 1); x^cap = x_0 (1 − Δ) α + e
    (e = dormant backup capacity online, 0 without a backup lever);
    x^opt = fmin(D, x^cap); x^a = x^opt min(worst/x^opt, 1) (worst/x^opt = ∞ where x^opt ≤ 0);
    ρ = x^a/D (0 where D = 0); c' = x^cap/x_0 (``alt``; 1 where x_0 = 0 or ``noalt``);
    V[i, 0, b, r] = c_ord ρ and V[i, 1, b, r] = c' (product-major, for BLAS; ``cr`` is an (N,) scratch row).

    ``y``, ``reb`` and ``extra`` have one row (the same for every scenario) or B rows. The IEEE
    sequence is the one of the numpy expressions it replaces."""
    B, N = D.shape
    y_rows = y.shape[0] > 1
    reb_rows = reb.shape[0] > 1
    e_rows = extra.shape[0] > 1
    for b in range(B):
        y_r = y[b] if y_rows else y[0]
        reb_r = reb[b] if reb_rows else reb[0]
        e_r = extra[b] if e_rows else extra[0]
        for g in range(N):
            d = d_int[b, g] + y_r[g] + reb_r[g]
            D[b, g] = d
            a = alpha[b, g]
            if later:
                z = (d - x_prev[b, g]) / d if d != 0 else 0.0
                a = a + ((amax[b, g] - a) * z + (alpha_base - a) * (1.0 if z == 0 else 0.0)) / atau[b, g]
                a = a if (a >= 1.0 or a != a) else 1.0  # np.maximum(α, 1): NaN stays NaN
                alpha[b, g] = a
            c = x0[g] * (1 - delta[b, g]) * a + e_r[g]
            cap[b, g] = c
            xo = c if d != d else (d if c != c else (d if d <= c else c))  # np.fmin
            xopt[b, g] = xo
            lim = worst[b, g] / xo if xo > 0 else np.inf
            x = xo * (lim if (lim < 1.0 or lim != lim) else 1.0)  # np.minimum(lim, 1)
            xa[b, g] = x
            r = x / d if d != 0 else 0.0
            rho[b, g] = r
            c_new[b, g] = (c / x0[g] if x0[g] != 0 else 1.0) if alt else 1.0
            cr[g] = c_ord[b, g] * r
        cn = c_new[b]
        for i in range(n):  # product-major V, written in runs of m
            for j in range(N // n):
                V[i, 0, b, j] = cr[j * n + i]
                V[i, 1, b, j] = cn[j * n + i]


_pre_jit = nb.njit(cache=True, nogil=True, error_model="numpy")(_pre)


def prestep(
    later: bool,
    d_int: np.ndarray,
    y: np.ndarray,
    reb: np.ndarray,
    x_prev: np.ndarray,
    alpha: np.ndarray,
    amax: np.ndarray,
    atau: np.ndarray,
    alpha_base: float,
    delta: np.ndarray,
    x0: np.ndarray,
    extra: np.ndarray,
    worst: np.ndarray,
    c_ord: np.ndarray,
    alt: bool,
    n: int,
    out: tuple[np.ndarray, ...],
) -> None:
    """Compiled steps 2–4 of an ARIO step (see :func:`_pre`); ``alpha`` is updated in place and
    ``out`` = (D, cap, x^opt, x^a, ρ, c', V (n, 2, B, m), scratch (N,)) is written. ``extra`` (1 or B
    rows of N) is the dormant backup capacity online, added to x^cap."""
    _pre_jit(
        later, d_int, y, reb, x_prev, alpha, amax, atau, alpha_base, delta, x0, extra, worst, c_ord, alt,
        n, *out,
    )  # fmt: skip


def _group(
    Zs: Any,
    V: Any,
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
    d3: Any,
    bsz: int,
    Vbuf: Any,
    Wbuf: Any,
    Dbuf: Any,
    zero: Any,
    static_nz: bool,
    quirks: bool,
    close_check: bool,
    has_prio: bool,
) -> None:
    """Every block of one step for a group of scenarios, without the GIL: for scenarios
    b0 .. b0 + bsz and each product i, W = [c ρ; c'] S_i Z (priority rationing: [c ρ_first; c ρ_rest;
    c'] S_i Z) (BLAS), the element-wise pass (:func:`_block`), then the Z-row sums
    d3[b, r, i] = Σ_g z_(r,i),g R_new[i, b, g] (BLAS)."""
    n, J, B, m = V.shape
    N = R.shape[2]
    for b0 in range(0, B, bsz):
        b1 = min(b0 + bsz, B)
        k = b1 - b0
        run = False
        for s in range(b0, b1):
            run = run or active[s]
        if not run:
            continue
        Vb = Vbuf[: J * k * m].reshape(J * k, m)
        W = Wbuf[: J * k * N].reshape(1, J * k, N)
        Db = Dbuf[: m * k].reshape(m, k)
        for i in range(n):
            for j in range(J):
                for b in range(k):
                    for r in range(m):
                        Vb[j * k + b, r] = V[i, j, b0 + b, r]
            np.dot(Vb, Zs[i], W[0])
            ar = k if has_prio else 0
            zo = (J - 1) * k
            _block_jit(
                0, k, i, b0, W, 0, ar, zo, R, R_new, omega, omega_new, aS, xa,
                s_aS, xgoal, inv_req, tau, zs_nz, prio, moved, close, active, flags, worst, delivered, zero,
                has_prio, static_nz, quirks, close_check,
            )  # fmt: skip
            np.dot(Zs[i], R_new[i, b0:b1].T, Db)
            for b in range(k):
                for r in range(m):
                    d3[b0 + b, r, i] = Db[r, b]


_group_jit = nb.njit(cache=True, nogil=True, error_model="numpy")(_group)


def step_group(
    Zs: np.ndarray,
    V: np.ndarray,
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
    d3: np.ndarray,
    bsz: int,
    buffers: tuple[np.ndarray, np.ndarray, np.ndarray],
    *,
    static_nz: bool,
    quirks: bool,
    close_check: bool,
    has_prio: bool = False,
) -> None:
    """One step's blocks without masks (see :func:`_group`): ``V`` (n, J, B, m) holds c ρ and c'
    (J = 2) or, with ``has_prio``, the two priority classes' c ρ and c' (J = 3), product-major in the
    dtype of ``Zs``; ``buffers`` are flat work arrays of at least J·bsz·m, J·bsz·N and m·bsz numbers."""
    _group_jit(
        Zs, V, R, R_new, omega, omega_new, aS, xa, s_aS, xgoal, inv_req, tau, zs_nz, prio, moved, close,
        active, flags, worst, delivered, d3, bsz, *buffers, R.dtype.type(0),
        static_nz, quirks, close_check, has_prio,
    )  # fmt: skip

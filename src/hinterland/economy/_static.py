"""Static and linear-dynamic shock models: Leontief, Ghosh, hypothetical extraction, IIM, DIIM.

Every function takes plain numpy arrays (industries in the container's region-major order) so it can
be vectorised over scenarios: shock arguments may carry a leading batch axis ``(B, N)``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.linalg as sla

from hinterland.errors import ConfigError, ModelError

__all__ = [
    "DIIMResult",
    "diim",
    "diim_recovery_rates",
    "ghosh_shock",
    "hypothetical_extraction",
    "iim_demand",
    "iim_supply",
    "leontief_shock",
    "mixed_model",
]


def _lu(M: np.ndarray, name: str) -> tuple[np.ndarray, np.ndarray]:
    if not np.isfinite(M).all():
        raise ModelError(f"{name} has non-finite entries")
    lu = sla.lu_factor(M, check_finite=False)
    if np.any(np.abs(np.diag(lu[0])) < 1e-14):
        raise ModelError(f"{name} is singular (a sector has no output or ρ(A) ≥ 1)")
    return lu  # type: ignore[no-any-return]


def leontief_shock(A: np.ndarray, dy: np.ndarray) -> np.ndarray:
    r"""Demand-driven output change :math:`\Delta x = (I - A)^{-1} \Delta y` (M&B eq. 2.11).

    Solved with an LU factorisation of :math:`I - A`; ``dy`` may be ``(N,)`` or a batch ``(B, N)``.
    """
    lu = _lu(np.eye(A.shape[0]) - A, "I - A")
    dy = np.asarray(dy, dtype=float)
    return np.asarray(sla.lu_solve(lu, dy.T, check_finite=False).T)


def ghosh_shock(B: np.ndarray, dv: np.ndarray) -> np.ndarray:
    r"""Supply-driven output change :math:`\Delta x' = \Delta v' (I - B)^{-1}` (Ghosh 1958; M&B §12.1).

    Caveat (Oosterhaven 1988, *J. Reg. Sci.* 28(2)): fixed allocation shares mean buyers absorb
    whatever is delivered, with no input complementarity; prefer the mixed model or ARIO for supply
    shocks and read Ghosh results as a price-side indicator (Dietzenbacher 1997).
    """
    lu = _lu(np.eye(B.shape[0]) - B, "I - B")
    dv = np.asarray(dv, dtype=float)
    return np.asarray(sla.lu_solve(lu, dv.T, check_finite=False, trans=1).T)


def hypothetical_extraction(
    A: np.ndarray,
    y: np.ndarray,
    extract: np.ndarray,
    *,
    backward: bool = True,
    forward: bool = True,
    share: float = 1.0,
) -> tuple[np.ndarray, float]:
    r"""Hypothetical extraction (Dietzenbacher & Lahr 2013, *Econ. Syst. Res.* 25(3)).

    Industries in ``extract`` (boolean mask) lose a share θ of their purchases (backward: columns of
    A) and/or sales (forward: rows of A) and their final demand; :math:`\tilde x = (I - \tilde A)^{-1}
    \tilde y`. Returns the extracted output vector and the loss :math:`\mathbf 1'(x - \tilde x)`.
    """
    if not 0.0 <= share <= 1.0:
        raise ConfigError(f"extraction share must be in [0, 1], got {share}")
    mask = np.asarray(extract, dtype=bool)
    At = A.copy()
    if backward:
        At[:, mask] *= 1 - share
    if forward:
        At[mask, :] *= 1 - share
    yt = np.asarray(y, dtype=float).copy()
    yt[mask] *= 1 - share
    x = leontief_shock(A, y)
    xt = leontief_shock(At, yt)
    return xt, float((x - xt).sum())


def mixed_model(
    A: np.ndarray, y: np.ndarray, constrained: np.ndarray, x_bar: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    r"""Mixed exogenous/endogenous model (Miller & Blair 2009, §13.1).

    .. math:: x_F = (I - A_{FF})^{-1}(y_F + A_{FC}\bar x_C),\quad y_C = (I - A_{CC})\bar x_C - A_{CF} x_F

    Returns ``(x, y_C)``; a negative ``y_C`` means intermediate demand exceeds the capacity of C and a
    rationing rule (ARIO) is needed.
    """
    C = np.asarray(constrained, dtype=bool)
    F = ~C
    xb = np.asarray(x_bar, dtype=float)[C]
    AFF, AFC, ACF, ACC = A[np.ix_(F, F)], A[np.ix_(F, C)], A[np.ix_(C, F)], A[np.ix_(C, C)]
    xF = leontief_shock(AFF, y[F] + AFC @ xb)
    yC = (np.eye(C.sum()) - ACC) @ xb - ACF @ xF
    x = np.empty_like(np.asarray(y, dtype=float))
    x[F], x[C] = xF, xb
    return x, yC


def iim_demand(A_star: np.ndarray, c_star: np.ndarray, *, clip: bool = True) -> np.ndarray:
    r"""Demand-side inoperability :math:`q = (I - A^*)^{-1} c^*` (Santos & Haimes 2004).

    :math:`c^*_i = \Delta c_i / \hat x_i`; q is clipped to [0, 1] (the linear model can exceed 1).
    """
    c = np.asarray(c_star, dtype=float)
    if np.any(c < 0) or np.any(c > 1):
        raise ConfigError("IIM demand perturbation c* must be shares in [0, 1] of output")
    q = leontief_shock(A_star, c)
    return np.clip(q, 0.0, 1.0) if clip else q


def iim_supply(A: np.ndarray, v_star: np.ndarray, *, clip: bool = True) -> np.ndarray:
    r"""Supply-side inoperability :math:`q = (I - A')^{-1} v^*` (Leung, Haimes & Santos 2007).

    The supply-side interdependency matrix of the normalised Ghosh model is the transpose of A.
    """
    v = np.asarray(v_star, dtype=float)
    if np.any(v < 0) or np.any(v > 1):
        raise ConfigError("IIM supply perturbation v* must be shares in [0, 1] of output")
    q = leontief_shock(np.ascontiguousarray(A.T), v)
    return np.clip(q, 0.0, 1.0) if clip else q


def diim_recovery_rates(A_star: np.ndarray, recovery_steps: np.ndarray, *, lam: float = 0.01) -> np.ndarray:
    r"""Resilience coefficients :math:`k_i = -\ln\lambda / (T_i (1 - a^*_{ii}))` (Lian & Haimes 2006).

    ``recovery_steps`` T_i is the number of steps for sector i alone to recover to λ of its initial
    inoperability; values are clipped to [0, 1).
    """
    T = np.asarray(recovery_steps, dtype=float)
    if np.any(T <= 0):
        raise ConfigError("DIIM recovery times must be > 0 steps")
    if not 0 < lam < 1:
        raise ConfigError(f"DIIM λ must be in (0, 1), got {lam}")
    k = -np.log(lam) / (T * (1.0 - np.diag(A_star)))
    return np.clip(k, 0.0, 1.0 - 1e-12)  # type: ignore[no-any-return]


@dataclass(frozen=True)
class DIIMResult:
    """Inoperability path ``q`` (steps+1, [B,] N) and losses ``x̂ ⊙ Σ_t q`` by industry."""

    q: np.ndarray
    loss: np.ndarray


def diim(
    A_star: np.ndarray,
    k: np.ndarray,
    q0: np.ndarray,
    c_star: np.ndarray | None,
    steps: int,
    x_hat: np.ndarray,
) -> DIIMResult:
    r"""Dynamic IIM :math:`q(t+1) = q(t) + K[A^* q(t) + c^*(t) - q(t)]`.

    Haimes et al. (2005); Lian & Haimes (2006).

    ``c_star`` is ``None``, a constant ``([B,] N)`` or a time path ``(steps, [B,] N)``; q is kept in
    [0, 1]. Losses are :math:`Q_i = \hat x_i \sum_{t=1}^{T} q_i(t)` (one value per step of output).
    With constant c* the path converges to the static IIM iff ρ(I − K(I − A*)) < 1.
    """
    if steps < 1:
        raise ConfigError(f"DIIM needs at least 1 step, got {steps}")
    K = np.asarray(k, dtype=float)
    if np.any(K < 0) or np.any(K >= 1):
        raise ConfigError("DIIM resilience coefficients k must lie in [0, 1)")
    q = np.asarray(q0, dtype=float).copy()
    path = np.empty((steps + 1, *q.shape))
    path[0] = q
    cs = None if c_star is None else np.asarray(c_star, dtype=float)
    for t in range(steps):
        c = 0.0 if cs is None else (cs[t] if cs.ndim == q.ndim + 1 else cs)
        q = q + K * (q @ A_star.T + c - q)
        q = np.clip(q, 0.0, 1.0)
        path[t + 1] = q
    loss = np.asarray(x_hat, dtype=float) * path[1:].sum(axis=0)
    return DIIMResult(path, loss)

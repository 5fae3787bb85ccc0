r"""Compiled (numba) network kernels.

* :func:`remove_node`: exact update of all-pairs times, shortest-path trees and subtree counts after
  one node is removed (the incremental step of :class:`._robustness._Attack`);
* :func:`core_and_back`: the all-pairs times of :func:`._graph.all_pairs_times` after vertex
  elimination: Floyd–Warshall on the core, then the eliminated nodes put back.

Node removal:

For every source :math:`s` where the removed node :math:`v` has children, the subtree
:math:`U_s = T_s(v) \setminus \{v\}` is found (the distance test
:math:`d_{sv} + d_{vu} \le d_{su}(1 + 10^{-9})` proposes it; the part closed under "parent" is kept,
and checked to be all of it), and a Dijkstra run over :math:`U_s` alone, seeded with
:math:`\min_{y \notin U_s} (d_{sy} + t_{yu})`, gives the new times: the same floating-point sums as a
fresh Dijkstra from :math:`s`. New predecessors follow :func:`._robustness.canonical_pred` (the
smallest neighbour on a shortest path). Subtree counts :math:`C_{sw} = |T_s(w)| - 1` lose
:math:`|T_s(v)|` on the old ancestors of :math:`v`, are set from the new forest on :math:`U_s`, and gain
each re-attached root's subtree size on the ancestors of the node it now hangs from.
"""

from __future__ import annotations

from typing import Any

import numba as nb
import numpy as np

__all__ = ["core_and_back", "remove_node"]

_NOPATH = -9999  # scipy's "no predecessor" marker


@nb.njit(cache=True, nogil=True, error_model="numpy")
def _heap_push(hk: Any, hv: Any, size: int, key: float, val: int) -> int:
    i = size
    hk[i] = key
    hv[i] = val
    while i > 0:
        j = (i - 1) >> 1
        if hk[j] <= hk[i]:
            break
        hk[i], hk[j] = hk[j], hk[i]
        hv[i], hv[j] = hv[j], hv[i]
        i = j
    return size + 1


@nb.njit(cache=True, nogil=True, error_model="numpy")
def _heap_pop(hk: Any, hv: Any, size: int) -> int:
    size -= 1
    hk[0] = hk[size]
    hv[0] = hv[size]
    i = 0
    while True:
        a = 2 * i + 1
        if a >= size:
            break
        b = a + 1
        c = b if b < size and hk[b] < hk[a] else a
        if hk[i] <= hk[c]:
            break
        hk[i], hk[c] = hk[c], hk[i]
        hv[i], hv[c] = hv[c], hv[i]
        i = c
    return size


@nb.njit(cache=True, nogil=True, error_model="numpy")
def _remove_node(
    v: int,
    d: Any,
    p: Any,
    inv: Any,
    reach: Any,
    c: Any,
    counts: bool,
    indptr: Any,
    nbr: Any,
    wt: Any,
    tol: float,
) -> bool:
    n = d.shape[0]
    member = np.zeros(n, np.bool_)
    cand = np.zeros(n, np.bool_)
    state = np.zeros(n, np.int8)  # closure memo: 0 unknown, 1 in the subtree, 2 not
    stack = np.empty(n, np.int64)
    ulist = np.empty(n, np.int64)
    dnew = np.full(n, np.inf)
    done = np.zeros(n, np.bool_)
    size = np.zeros(n)
    cap = n + nbr.shape[0] + 1
    hk = np.empty(cap)
    hv = np.empty(cap, np.int64)
    for s in range(n):
        if s == v or not np.isfinite(d[s, v]):
            continue
        # old ancestors of v lose |T_s(v)| = C_sv + 1
        if counts:
            delta = c[s, v] + 1.0
            a = p[s, v]
            while a != s and a >= 0:
                c[s, a] -= delta
                a = p[s, a]
        if counts:
            affected = c[s, v] > 0
        else:
            affected = False
            for u in range(n):
                if p[s, u] == v:
                    affected = True
                    break
        if not affected:
            continue
        # U_s: candidates by the distance test, kept where the parent chain reaches v through them
        dsv = d[s, v]
        for u in range(n):
            dsu = d[s, u]
            cand[u] = u != v and np.isfinite(dsu) and dsv + d[v, u] <= dsu * (1 + tol)
            state[u] = 0
        nu = 0
        for u in range(n):
            if not cand[u] or state[u] != 0:
                continue
            top = 0
            x = u
            res = 2
            while True:
                if x == v:
                    res = 1
                    break
                if x < 0 or not cand[x]:
                    res = 2
                    break
                if state[x] != 0:
                    res = state[x]
                    break
                stack[top] = x
                top += 1
                x = p[s, x]
            for k in range(top):
                state[stack[k]] = res
        for u in range(n):
            member[u] = state[u] == 1
            if member[u]:
                ulist[nu] = u
                nu += 1
        # the closed part is the whole subtree (else the distance test missed a node: recompute)
        if counts:
            if nu != int(c[s, v]):
                return False
        else:
            for u in range(n):
                pu = p[s, u]
                if u != v and pu >= 0 and (pu == v or member[pu]) and not member[u]:
                    return False
        # Dijkstra over U_s seeded from the nodes outside it (v's links are gone from the arcs)
        hs = 0
        for k in range(nu):
            u = ulist[k]
            best = np.inf
            for e in range(indptr[u], indptr[u + 1]):
                y = nbr[e]
                if not member[y]:
                    val = d[s, y] + wt[e]
                    if val < best:
                        best = val
            dnew[u] = best
            done[u] = False
            if best < np.inf:
                hs = _heap_push(hk, hv, hs, best, u)
        while hs > 0:
            key = hk[0]
            u = hv[0]
            hs = _heap_pop(hk, hv, hs)
            if done[u] or key > dnew[u]:
                continue
            done[u] = True
            for e in range(indptr[u], indptr[u + 1]):
                y = nbr[e]
                if member[y] and not done[y]:
                    val = key + wt[e]
                    if val < dnew[y]:
                        dnew[y] = val
                        hs = _heap_push(hk, hv, hs, val, y)
        # canonical predecessors (smallest neighbour on a shortest path; arcs sorted by head)
        lost = 0
        for k in range(nu):
            u = ulist[k]
            du = dnew[u]
            pu = _NOPATH
            if np.isfinite(du):
                for e in range(indptr[u], indptr[u + 1]):
                    y = nbr[e]
                    dy = dnew[y] if member[y] else d[s, y]
                    if dy + wt[e] == du:
                        pu = y
                        break
            else:
                lost += 1
            d[s, u] = du
            p[s, u] = pu
            inv[s, u] = 1.0 / du
        reach[s] -= lost
        if counts:
            # subtree sizes in the new forest on U_s: farthest first, each node adds itself to its parent
            order = np.argsort(dnew[ulist[:nu]])
            for k in range(nu):
                size[ulist[k]] = 1.0
            for k in range(nu - 1, -1, -1):
                u = ulist[order[k]]
                if not np.isfinite(dnew[u]):
                    continue
                pu = p[s, u]
                if member[pu]:
                    size[pu] += size[u]
            for k in range(nu):
                u = ulist[k]
                if not np.isfinite(dnew[u]):
                    c[s, u] = 0.0
                    continue
                c[s, u] = size[u] - 1.0
                pu = p[s, u]
                if not member[pu]:  # a re-attached root: its new ancestors gain its subtree
                    a = pu
                    while a != s and a >= 0:
                        c[s, a] += size[u]
                        a = p[s, a]
        for k in range(nu):
            member[ulist[k]] = False
    # v itself: no times, no trees, no counts
    for s in range(n):
        if np.isfinite(d[s, v]) and s != v:
            reach[s] -= 1
        d[s, v] = np.inf
        d[v, s] = np.inf
        p[s, v] = _NOPATH
        p[v, s] = _NOPATH
        inv[s, v] = 0.0
        inv[v, s] = 0.0
        if counts:
            c[s, v] = 0.0
            c[v, s] = 0.0
    d[v, v] = 0.0
    reach[v] = 1
    return True


def remove_node(
    v: int,
    d: np.ndarray,
    p: np.ndarray,
    inv: np.ndarray,
    reach: np.ndarray,
    c: np.ndarray,
    counts: bool,
    indptr: np.ndarray,
    nbr: np.ndarray,
    wt: np.ndarray,
    tol: float,
) -> bool:
    """Update ``d``, ``p``, ``inv`` (1/d, 0 on the diagonal), ``reach`` (finite times per row) and, with
    ``counts``, ``c`` in place for the removal of node ``v``; the arcs (``indptr``, ``nbr``, ``wt``,
    heads ascending per tail) must already exclude v's links. Returns False (arrays partly updated:
    recompute them) if a subtree was not found exactly."""
    return bool(_remove_node(v, d, p, inv, reach, c, counts, indptr, nbr, wt, tol))


@nb.njit(cache=True, nogil=True, error_model="numpy")
def _core_and_back(d: Any, nc: int, floyd: bool, ptr: Any, pos: Any, w: Any) -> None:
    n = d.shape[0]
    for k in range(nc if floyd else 0):  # Floyd-Warshall on the core block
        dk = d[k]
        for i in range(nc):
            dik = d[i, k]
            if dik == np.inf:
                continue
            di = d[i]
            for j in range(nc):
                v = dik + dk[j]
                if v < di[j]:
                    di[j] = v
    row = np.empty(n)
    for p in range(nc, n):  # eliminated nodes, last eliminated first
        row[:p] = np.inf
        for e in range(ptr[p - nc], ptr[p - nc + 1]):
            du = d[pos[e]]
            we = w[e]
            for x in range(p):
                v = du[x] + we
                if v < row[x]:
                    row[x] = v
        for x in range(p):
            d[p, x] = row[x]
            d[x, p] = row[x]
        d[p, p] = 0.0


def core_and_back(
    d: np.ndarray, nc: int, floyd: bool, ptr: np.ndarray, pos: np.ndarray, w: np.ndarray
) -> None:
    r"""Fill ``d`` (n × n, nodes in elimination positions: the ``nc`` core nodes first, then the
    eliminated ones, last eliminated first) in place. On entry the core block holds the core's link
    times (``inf`` where none, 0 on the diagonal) and, with ``floyd``, Floyd–Warshall (Floyd 1962)
    turns them into shortest times (else the block already holds them). Then eliminated node
    :math:`p` (neighbours ``pos[ptr[p-nc]:ptr[p-nc+1]]`` at the time it was eliminated, link times
    ``w``) gets :math:`d_{px} = \min_u (d_{ux} + w_{pu})` for every
    :math:`x < p`."""
    _core_and_back(d, nc, floyd, ptr, pos, w)

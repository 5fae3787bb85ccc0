"""Tiny MRIO tables shared by the economy and plan tests (hand-sized, random but seeded)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from hinterland.containers import MRIO, industry_index


def toy_mrio(m: int = 3, n: int = 3, seed: int = 0) -> MRIO:
    """``m`` regions (110000, 120000, …) × ``n`` sectors (sec01, …) in 1e4 CNY, with households'
    final demand per region and imports by product; value added closes every column."""
    rng = np.random.default_rng(seed)
    regions = [110000 + 10000 * k for k in range(m)]
    sectors = [f"sec{k + 1:02d}" for k in range(n)]
    idx = industry_index(regions, sectors)
    N = m * n
    Z = rng.uniform(1, 10, (N, N))
    Y = rng.uniform(20, 40, (N, m))
    M = rng.uniform(1, 3, (n, N))
    x = Z.sum(1) + Y.sum(1)
    V = x - Z.sum(0) - M.sum(0)
    ycols = pd.MultiIndex.from_product([regions, ["hh"]], names=["region", "category"])
    return MRIO(
        pd.DataFrame(Z, index=idx, columns=idx),
        pd.DataFrame(Y, index=idx, columns=ycols),
        pd.DataFrame([V], index=pd.Index(["va"], name="component"), columns=idx),
        pd.DataFrame(M, index=pd.Index(sectors, name="sector"), columns=idx),
        unit="1e4 CNY",
        name="toy",
    )

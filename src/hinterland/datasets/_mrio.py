"""The bundled China MRIO (31 provinces × 42 sectors, 2017, 万元), reassembled from compact pieces.

The pieces (adjusted provincial tables and gravity/RAS trade flows, see ``scripts/china/build_mrio.py``
and docs/economy.md) are stored as Parquet under ``china_data/mrio/``. :func:`assemble_china_mrio`
is the single function used by the build script (to check) and by the loader (to load), so the
table is reconstructed exactly.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd

from hinterland.containers import MRIO, industry_index
from hinterland.datasets._china import china_data_dir
from hinterland.errors import DataFileError

__all__ = ["PROVINCES", "assemble_china_mrio", "china_mrio_meta", "china_sector_names", "load_china_mrio"]

PROVINCES: tuple[tuple[int, str], ...] = (
    (110000, "北京"), (120000, "天津"), (130000, "河北"), (140000, "山西"), (150000, "内蒙古"),
    (210000, "辽宁"), (220000, "吉林"), (230000, "黑龙江"), (310000, "上海"), (320000, "江苏"),
    (330000, "浙江"), (340000, "安徽"), (350000, "福建"), (360000, "江西"), (370000, "山东"),
    (410000, "河南"), (420000, "湖北"), (430000, "湖南"), (440000, "广东"), (450000, "广西"),
    (460000, "海南"), (500000, "重庆"), (510000, "四川"), (520000, "贵州"), (530000, "云南"),
    (540000, "西藏"), (610000, "陕西"), (620000, "甘肃"), (630000, "青海"), (640000, "宁夏"),
    (650000, "新疆"),
)  # fmt: skip
SECTORS = tuple(f"sec{i:02d}" for i in range(1, 43))
FINAL_USE = ("FU101", "FU102", "FU103", "FU201", "FU202")
VA_ROWS = ("VA001", "VA002", "VA003", "VA004", "VA_residual")
SECTOR_NAMES_EN = (
    "Agriculture", "Coal mining", "Oil and gas extraction", "Metal ore mining", "Non-metal mining",
    "Food and tobacco", "Textiles", "Apparel and leather", "Timber and furniture", "Paper and printing",
    "Petroleum and coking", "Chemicals", "Non-metallic minerals", "Metal smelting", "Metal products",
    "General machinery", "Special machinery", "Transport equipment", "Electrical equipment",
    "Electronics", "Instruments", "Other manufacturing", "Machinery repair", "Electricity and heat",
    "Gas supply", "Water supply", "Construction", "Wholesale and retail", "Transport and storage",
    "Hotels and catering", "Information services", "Finance", "Real estate", "Leasing and business",
    "Research", "Technical services", "Water and environment", "Resident services", "Education",
    "Health and social work", "Culture and sports", "Public administration",
)  # fmt: skip


def china_sector_names() -> pd.Series:
    """Short English names of the 42 sectors (index ``sector``: sec01 … sec42)."""
    return pd.Series(SECTOR_NAMES_EN, index=pd.Index(SECTORS, name="sector"), name="name_en")


def assemble_china_mrio(prov: pd.DataFrame, trade: pd.DataFrame, name: str = "China MRIO 2017") -> MRIO:
    r"""Chenery–Moses assembly: :math:`z_{(r,i),(s,j)} = f_{rs,i}/U_{s,i}\; z^s_{ij}`, own share L/U.

    ``prov``: long (region, row, col, value) adjusted provincial tables; ``trade``: long (origin,
    destination, sector, value) inter-provincial flows, destination 0 = unallocated outflow.
    """
    regions = [a for a, _ in PROVINCES]
    m, n = len(regions), len(SECTORS)
    rpos = {a: k for k, a in enumerate(regions)}
    spos = {s: k for k, s in enumerate(SECTORS)}
    cols = {**spos, **{c: n + k for k, c in enumerate(FINAL_USE)}, "EX": n + 5, "ERR": n + 6, "IM": n + 7,
            "LOCAL": n + 8}  # fmt: skip
    W = np.zeros((m, n + len(VA_ROWS), n + 9))
    vrow = {v: n + k for k, v in enumerate(VA_ROWS)}
    r_idx = prov["region"].map(rpos).to_numpy()
    row_idx = prov["row"].map(lambda v: spos.get(v, vrow.get(v, -1))).to_numpy()
    col_idx = prov["col"].map(lambda v: cols.get(v, -1)).to_numpy()
    if np.any(pd.isna(r_idx)) or np.any(row_idx < 0) or np.any(col_idx < 0):
        raise DataFileError("bundled MRIO pieces contain unknown region/row/col labels; rebuild the dataset")
    W[r_idx.astype(int), row_idx, col_idx] = prov["value"].to_numpy(float)
    Zs = W[:, :n, :n]  # (s, i, j)
    FU = W[:, :n, n : n + 5]
    EX, ERR, IM, LOC = W[:, :n, n + 5], W[:, :n, n + 6], W[:, :n, n + 7], W[:, :n, n + 8]
    Vs = W[:, n:, :n]  # (s, comp, j)
    F = np.zeros((m, m, n))
    OFX = np.zeros((m, n))
    o = trade["origin"].map(rpos).to_numpy().astype(int)
    sec = trade["sector"].map(spos).to_numpy().astype(int)
    dest = trade["destination"].to_numpy()
    val = trade["value"].to_numpy(float)
    internal = dest != 0
    F[o[internal], pd.Series(dest[internal]).map(rpos).to_numpy().astype(int), sec[internal]] = val[internal]
    OFX[o[~internal], sec[~internal]] = val[~internal]
    U = Zs.sum(axis=2) + FU.sum(axis=2)  # (s, i)
    T = F / U[None, :, :]  # (r, s, i)
    T[np.arange(m), np.arange(m), :] = LOC / U
    imp_share = IM / U
    unalloc = np.maximum(1.0 - T.sum(axis=0) - imp_share, 0.0)  # (s, i)
    Z4 = np.einsum("rsi,sij->risj", T, Zs)
    N = m * n
    idx = industry_index(regions, SECTORS)
    cats = [*FINAL_USE, "EX", "ERR", "OFX"]
    Y4 = np.zeros((m, n, m, len(cats)))
    Y4[:, :, :, :5] = np.einsum("rsi,sik->risk", T, FU)
    ar = np.arange(m)
    Y4[ar, :, ar, 5] = EX
    Y4[ar, :, ar, 6] = ERR
    Y4[ar, :, ar, 7] = OFX
    Mf = np.einsum("si,sij->isj", imp_share, Zs).reshape(n, N)
    Mu = np.einsum("si,sij->sj", unalloc, Zs).reshape(1, N)
    Vflat = Vs.transpose(1, 0, 2).reshape(len(VA_ROWS), N)
    # industries without output (|x| < 1e-6 万元, e.g. Shanghai metal ore mining) become exact zeros,
    # so rounding residues of ±1e-10 cannot make demand or output negative in dynamic models
    Z2, Y2 = Z4.reshape(N, N), Y4.reshape(N, -1)
    empty = np.abs(Z2.sum(axis=1) + Y2.sum(axis=1)) < 1e-6
    Z2[empty, :] = 0.0
    Y2[empty, :] = 0.0
    Z2[:, empty] = 0.0
    Mf[:, empty] = 0.0
    Mu[:, empty] = 0.0
    Vflat[:, empty] = 0.0
    Z = pd.DataFrame(Z2, index=idx, columns=idx)
    ycols = pd.MultiIndex.from_product([regions, cats], names=["region", "category"])
    Y = pd.DataFrame(Y2, index=idx, columns=ycols)
    V = pd.DataFrame(Vflat, index=pd.Index(VA_ROWS, name="component"),
                     columns=idx)  # fmt: skip
    M = pd.DataFrame(np.vstack([Mf, Mu]), index=pd.Index([*SECTORS, "unallocated_inflow"], name="sector"),
                     columns=idx)  # fmt: skip
    return MRIO(Z, Y, V, M, unit="1e4 CNY", name=name)


def _mrio_dir() -> Any:
    path = china_data_dir() / "mrio"
    if not (path / "provincial_tables.parquet").exists():
        raise DataFileError(
            f"bundled MRIO pieces are missing in {path}. Fix: rebuild with `make dataset` "
            "(scripts/china/build_mrio.py, needs ../shared/data/china)."
        )
    return path


@lru_cache(maxsize=1)
def load_china_mrio() -> MRIO:
    """The bundled 2017 China MRIO (31 provinces × 42 sectors, 万元 per year), balanced to 1e-9.

    Regions are adcodes (110000 …), sectors ``sec01`` … ``sec42`` (names: :func:`china_sector_names`).
    ``M`` holds foreign imports by product plus one ``unallocated_inflow`` row (national mismatch of
    the provincial inflow/outflow columns). Cached: repeated calls return the same object.
    """
    path = _mrio_dir()
    prov = pd.read_parquet(path / "provincial_tables.parquet")
    trade = pd.read_parquet(path / "trade_flows.parquet")
    return assemble_china_mrio(prov, trade)


def china_mrio_meta() -> dict[str, Any]:
    """Totals and checks recorded when the bundled MRIO was built."""
    meta: dict[str, Any] = json.loads((_mrio_dir() / "mrio_meta.json").read_text(encoding="utf-8"))
    return meta

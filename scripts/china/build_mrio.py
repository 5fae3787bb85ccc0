"""Build the bundled China multi-regional IO table (31 provinces × 42 sectors, 2017, 万元).

Method (Chenery–Moses MRIO from single-region tables; documented in docs/economy.md):

1. Each provincial table (NBS / provincial bureaus 2017, competitive imports) is read with its
   domestic outflow (OF), inflow (IF), export (EX), import (IM) and error (ERR) columns. Row residuals
   (GO minus the row identity) go to ERR; column residuals (GO minus inputs minus value added) go to
   a value-added component ``VA_residual`` (at most 0.3 万元, Hubei).
2. Local supply L = GO − EX − OF − ERR. Where L < 0 the province re-exports goods it received
   (trade hubs: Beijing, Shanghai, Chongqing...): the re-export R = −L is netted out of OF and EX
   (pro rata) and out of IF and IM (pro rata), so L' = 0 and uses are unchanged.
3. Proportional (Chenery–Moses) supply shares for every use of product i in province s:
   local L'/U, inflow IF'/U, imports IM'/U, U = intermediate + domestic final use.
4. Inter-provincial flows of each product: doubly-constrained gravity model
   f_rs = a_r b_s OF'_r IF'_s d_rs^(−β), β = 1, d = great-circle distance between capitals, no
   diagonal, balanced by RAS to the outflow totals OF'_r and inflow totals IF'_s. National sums of OF'
   and IF' differ (the tables are not mutually consistent); the difference is booked explicitly in a
   dummy destination ("unallocated outflow", final-demand category OFX of the producing province) or
   a dummy origin ("unallocated inflow", an import-like row of the using province).
5. z_(r,i),(s,j) = f_rs,i / U_s,i · z^s_ij and y likewise (Chenery–Moses: A_rs = T_rs ⊙ A_s).

Output (``china_data/mrio/``): the adjusted provincial pieces and the trade flows as compressed
Parquet; ``hinterland.datasets.load_china_mrio()`` reassembles the 1302 × 1302 table with the same
function this script uses to check the balance, so build and load agree bit for bit.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "src"))

from hinterland.datasets._mrio import PROVINCES, assemble_china_mrio  # noqa: E402

SECTORS = [f"sec{i:02d}" for i in range(1, 43)]
FD = ["FU101", "FU102", "FU103", "FU201", "FU202"]
VA = ["VA001", "VA002", "VA003", "VA004"]
BETA = 1.0
SOURCE_ID = "nbs_provincial_io_2017"
GEO_SOURCE = "cpca_adcodes"


def capital_distances(shared: Path) -> np.ndarray:
    """Great-circle distance (km, haversine, R = 6371 km) between provincial capitals.

    Capital coordinates: the first prefecture (adcode XX0100) of each province in cpca_adcodes.csv.
    """
    cp = pd.read_csv(shared / "cities" / "cpca_adcodes.csv")
    coords = cp.set_index("adcode")[["longitude", "latitude"]]
    lon = np.array([coords.loc[(ad // 10000 * 10000 + 100) * 1000000, "longitude"] for ad, _ in PROVINCES])
    lat = np.array([coords.loc[(ad // 10000 * 10000 + 100) * 1000000, "latitude"] for ad, _ in PROVINCES])
    lam, phi = np.radians(lon), np.radians(lat)
    dphi = phi[:, None] - phi[None, :]
    dlam = lam[:, None] - lam[None, :]
    h = np.sin(dphi / 2) ** 2 + np.cos(phi[:, None]) * np.cos(phi[None, :]) * np.sin(dlam / 2) ** 2
    return np.asarray(2 * 6371.0 * np.arcsin(np.sqrt(h)))


def ras(
    seed: np.ndarray, rows: np.ndarray, cols: np.ndarray, tol: float = 1e-14, it: int = 20000
) -> np.ndarray:
    """Biproportional (RAS) scaling of ``seed`` to row and column totals (Bacharach 1970)."""
    X = seed.copy()
    for _ in range(it):
        rs = X.sum(axis=1)
        X *= np.divide(rows, rs, out=np.zeros_like(rows), where=rs > 0)[:, None]
        cs = X.sum(axis=0)
        X *= np.divide(cols, cs, out=np.zeros_like(cols), where=cs > 0)[None, :]
        err = np.abs(X.sum(axis=1) - rows).max() / max(rows.max(), 1.0)
        if err < tol:
            break
    return X


def read_tables(shared: Path) -> dict[str, pd.DataFrame]:
    raw = pd.read_csv(shared / "io_provincial_2017" / "provincial_io_2017_42sector_long.csv")
    out = {}
    for _, short in PROVINCES:
        g = raw[raw["province"] == short]
        out[short] = g.pivot(index="row", columns="col", values="value")
    return out


def build(shared: Path, out: Path) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    tables = read_tables(shared)
    m, n = len(PROVINCES), len(SECTORS)
    d = capital_distances(shared)
    pieces = []
    margins = {k: np.zeros((m, n)) for k in ("OF", "IF", "L", "IM", "EX", "ERR", "RE")}
    for r, (adcode, short) in enumerate(PROVINCES):
        w = tables[short]
        Zs = w.loc[SECTORS, SECTORS].to_numpy(float)
        FU = w.loc[SECTORS, FD].to_numpy(float)
        x = w.loc[SECTORS, "GO"].to_numpy(float)
        EX, OF, IM, IF, ERR = (w.loc[SECTORS, c].to_numpy(float) for c in ("EX", "OF", "IM", "IF", "ERR"))
        Vs = w.loc[VA, SECTORS].to_numpy(float)
        ERR = ERR + (x - (Zs.sum(1) + FU.sum(1) + EX + OF - IM - IF + ERR))
        va_res = x - Zs.sum(0) - Vs.sum(0)
        L = x - EX - OF - ERR
        U = Zs.sum(1) + FU.sum(1)
        if np.any(U <= 0):
            raise SystemExit(f"{short}: a product has no domestic use; the proportional split fails")
        R = np.maximum(-L, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            out_share = np.where(OF + EX > 0, OF / (OF + EX), 0.0)
            in_share = np.where(IF + IM > 0, IF / (IF + IM), 0.0)
        OF2, EX2 = OF - R * out_share, EX - R * (1 - out_share)
        IF2, IM2 = IF - R * in_share, IM - R * (1 - in_share)
        L2 = np.maximum(L, 0.0)
        for key, val in (
            ("OF", OF2),
            ("IF", IF2),
            ("L", L2),
            ("IM", IM2),
            ("EX", EX2),
            ("ERR", ERR),
            ("RE", R),
        ):
            margins[key][r] = val
        recs = []
        for i in range(n):
            for j in range(n):
                if Zs[i, j] != 0:
                    recs.append((adcode, SECTORS[i], SECTORS[j], Zs[i, j]))
            for k, c in enumerate(FD):
                if FU[i, k] != 0:
                    recs.append((adcode, SECTORS[i], c, FU[i, k]))
            recs.extend(
                [
                    (adcode, SECTORS[i], "EX", EX2[i]),
                    (adcode, SECTORS[i], "ERR", ERR[i]),
                    (adcode, SECTORS[i], "IM", IM2[i]),
                    (adcode, SECTORS[i], "LOCAL", L2[i]),
                ]
            )
        for k, c in enumerate(VA):
            recs.extend((adcode, c, SECTORS[j], Vs[k, j]) for j in range(n))
        recs.extend((adcode, "VA_residual", SECTORS[j], va_res[j]) for j in range(n))
        pieces.append(pd.DataFrame(recs, columns=["region", "row", "col", "value"]))
    prov = pd.concat(pieces, ignore_index=True)
    prov = prov[prov["value"] != 0].reset_index(drop=True)

    # gravity + RAS per product, dummy origin/destination for the national mismatch
    decay = np.where(d > 0, 1.0 / np.where(d > 0, d, 1.0) ** BETA, 0.0)
    flows = []
    mismatch = []
    for i in range(n):
        OFi, IFi = margins["OF"][:, i], margins["IF"][:, i]
        gap = OFi.sum() - IFi.sum()
        seed = np.zeros((m + 1, m + 1))
        seed[:m, :m] = OFi[:, None] * IFi[None, :] * decay
        scale = seed[:m, :m].sum() / max(OFi.sum(), 1.0)
        seed[:m, m] = OFi * scale
        seed[m, :m] = IFi * scale
        rows = np.concatenate([OFi, [max(-gap, 0.0)]])
        cols = np.concatenate([IFi, [max(gap, 0.0)]])
        X = ras(seed, rows, cols)
        F = X[:m, :m]
        ofx = OFi - F.sum(axis=1)  # unallocated outflow: exact row totals
        mismatch.append((SECTORS[i], OFi.sum(), IFi.sum(), ofx.sum(), (IFi - F.sum(axis=0)).sum()))
        for r in range(m):
            for s in range(m):
                if F[r, s] != 0:
                    flows.append((PROVINCES[r][0], PROVINCES[s][0], SECTORS[i], F[r, s]))
            flows.append((PROVINCES[r][0], 0, SECTORS[i], ofx[r]))
    trade = pd.DataFrame(flows, columns=["origin", "destination", "sector", "value"])
    trade = trade[trade["value"] != 0].reset_index(drop=True)

    dest = out / "mrio"
    dest.mkdir(parents=True, exist_ok=True)
    prov.to_parquet(dest / "provincial_tables.parquet", index=False, compression="zstd", compression_level=19)
    trade.to_parquet(dest / "trade_flows.parquet", index=False, compression="zstd", compression_level=19)

    mrio = assemble_china_mrio(prov, trade)  # validates balance to 1e-9
    va_tables = sum(float(tables[s].loc["TVA", SECTORS].sum()) for _, s in PROVINCES)
    va_mrio = float(mrio.V.to_numpy().sum())
    if abs(va_mrio - va_tables) > 1e-9 * va_tables:
        raise SystemExit(f"value added {va_mrio} differs from the tables' {va_tables}")
    mm = pd.DataFrame(
        mismatch, columns=["sector", "outflow", "inflow", "unallocated_outflow", "unallocated_inflow"]
    )
    meta = {
        "name": mrio.name,
        "unit": mrio.unit,
        "year": 2017,
        "regions": m,
        "sectors": n,
        "gravity_beta": BETA,
        "gross_output": float(mrio.x.sum()),
        "value_added": va_mrio,
        "value_added_tables": va_tables,
        "re_exports_netted": float(margins["RE"].sum()),
        "unallocated_outflow": float(mm["unallocated_outflow"].sum()),
        "unallocated_inflow": float(mm["unallocated_inflow"].sum()),
        "interprovincial_flows": float(trade.loc[trade["destination"] != 0, "value"].sum()),
        "max_relative_imbalance": float(
            np.max(
                np.abs(
                    mrio.x.to_numpy()
                    - mrio.Z.sum(axis=0).to_numpy()
                    - mrio.M.sum(axis=0).to_numpy()
                    - mrio.V.sum(axis=0).to_numpy()
                )
                / np.maximum(mrio.x.to_numpy(), 1.0)
            )
        ),
    }
    (dest / "mrio_meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")
    mm.to_csv(dest / "national_trade_mismatch.csv", index=False, float_format="%.6f")
    sources = [
        {
            "source_id": SOURCE_ID,
            "agency": "National Bureau of Statistics of China (NBS) and provincial statistics bureaus",
            "title": "2017 provincial input-output tables (42 sectors)",
            "table": "地区投入产出表 2017 (流量表, 42部门)",
            "vintage": "2017",
            "unit": "1e4 CNY (万元), producers' prices",
            "dataset_author": "provincial bureaus; long form compiled from the published xls",
            "licence": "official statistics, public",
            "raw_file": "io_provincial_2017/provincial_io_2017_42sector_long.csv",
            "notes": "Shandong's domestic outflows look implausibly small (61 bn vs 157 bn inflow) and are used as given",
        },
        {
            "source_id": GEO_SOURCE,
            "agency": "Ministry of Civil Affairs administrative codes via PyPI cpca",
            "title": "administrative divisions with coordinates",
            "table": "cpca adcodes",
            "vintage": "cpca 0.5",
            "unit": "degrees",
            "dataset_author": "cpca (MIT)",
            "licence": "MIT",
            "raw_file": "cities/cpca_adcodes.csv",
            "notes": "capital coordinates (XX0100 prefecture) for great-circle distances",
        },
    ]
    table_rows = [
        {
            "table": "mrio_provincial_tables",
            "file": "mrio/provincial_tables.parquet",
            "description": "adjusted provincial IO tables (Z, final use, EX, ERR, IM, local supply, VA), 万元",
            "source_ids": SOURCE_ID,
            "derivation": "row residuals to ERR, column residuals to VA_residual, re-exports netted out of OF/EX and IF/IM",
        },
        {
            "table": "mrio_trade_flows",
            "file": "mrio/trade_flows.parquet",
            "description": "inter-provincial flows by product (origin, destination, sector), destination 0 = unallocated",
            "source_ids": f"{SOURCE_ID};{GEO_SOURCE}",
            "derivation": f"doubly-constrained gravity (beta={BETA}, capital great-circle distance) balanced by RAS",
        },
        {
            "table": "mrio_meta",
            "file": "mrio/mrio_meta.json",
            "description": "totals and checks of the assembled 31x42 MRIO",
            "source_ids": SOURCE_ID,
            "derivation": "computed from the assembled table",
        },
        {
            "table": "mrio_national_trade_mismatch",
            "file": "mrio/national_trade_mismatch.csv",
            "description": "national sums of outflows vs inflows by product and the unallocated amounts",
            "source_ids": SOURCE_ID,
            "derivation": "sums of the provincial OF/IF columns after re-export netting",
        },
    ]
    print(
        f"mrio: {m}x{n}, x={meta['gross_output']:.6g} 万元, VA={va_mrio:.6g} (tables {va_tables:.6g}), "
        f"imbalance {meta['max_relative_imbalance']:.2e}, unallocated out {meta['unallocated_outflow']:.4g} "
        f"in {meta['unallocated_inflow']:.4g}; files {sum(p.stat().st_size for p in dest.iterdir()) / 1e6:.2f} MB"
    )
    assert math.isfinite(meta["gross_output"])
    return sources, table_rows


if __name__ == "__main__":
    shared_dir = REPO.parent / "shared" / "data" / "china"
    build(shared_dir, REPO / "src" / "hinterland" / "datasets" / "china_data")

"""Readers for national IO tables (both import layouts), CEADs MRIO workbooks and the import split.

Hand-made tables are written in each test (openpyxl / CSV in tmp_path) so nothing needs ../shared; the
real NBS tables in /work/shared/data/china/io_national are used only when present.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from hinterland.economy import (
    NATIONAL_REGION,
    national_io_layout,
    read_ceads_mrio,
    read_mrio,
    read_national_io,
    split_competitive_imports,
)
from hinterland.errors import DataFileError, ValidationError

SHARED = Path("/work/shared/data/china/io_national")

# ---------------------------------------------------------------------------------- a 2-sector table
# competitive: x = Z1 + F1 - IM; import shares mu = IM / (Z1 + F1 without EX) = 12/60, 7.5/75
Z = [[10.0, 20.0], [30.0, 5.0]]
FU = {"FU101": [5.0, 2.0], "FU102": [10.0, 3.0], "FU103": [0.0, 25.0], "FU201": [15.0, 10.0], "FU202": [0, 0]}
EX = [20.0, 5.0]
IM = [12.0, 7.5]
GO = [68.0, 72.5]
VA = {"VA001": [20.0, 30.0], "VA002": [3.0, 5.0], "VA003": [2.0, 7.5], "VA004": [3.0, 5.0]}
# the split by hand
ZM = [[2.0, 4.0], [3.0, 0.5]]
ZD = [[8.0, 16.0], [27.0, 4.5]]


def _write(rows: list[list[Any]], path: Path, title: bool = True) -> Path:
    if path.suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(rows)
        return path
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "IO"
    if title:
        ws.append(["2017 national input-output table (10^4 CNY)"])
        ws.append([])
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _competitive_rows() -> list[list[Any]]:
    head = ["Code", "Description", "01", "02", "TIU", *FU, "TC", "EX", "TFU", "IM", "GO"]
    rows: list[list[Any]] = [head]
    for i, code in enumerate(("01", "02")):
        fu = [FU[k][i] for k in FU]
        tc = FU["FU101"][i] + FU["FU102"][i] + FU["FU103"][i]
        rows.append([code, f"sector {code}", *Z[i], sum(Z[i]), *fu, tc, EX[i], sum(fu) + EX[i], IM[i], GO[i]])
    tii = [Z[0][j] + Z[1][j] for j in range(2)]
    rows.append(["TII", "total intermediate input", *tii])
    for k, v in VA.items():
        rows.append([k, k, *v])
    tva = [sum(v[j] for v in VA.values()) for j in range(2)]
    rows.append(["TVA", "total value added", *tva])
    rows.append(["TI", "total input", *[tii[j] + tva[j] for j in range(2)]])
    return rows


def _noncompetitive_rows() -> list[list[Any]]:
    mu = [0.2, 0.1]
    head = ["Code", "Description", "Origin", "01", "02", "TIU", "TC", "FU201", "FU202", "EX", "TFU", "GO"]
    rows: list[list[Any]] = [head]
    for origin, zz in (("Domestic", ZD), ("Imports", ZM)):
        for i, code in enumerate(("01", "02")):
            share = (1 - mu[i]) if origin == "Domestic" else mu[i]
            tc = share * (FU["FU101"][i] + FU["FU102"][i] + FU["FU103"][i])
            gf = share * FU["FU201"][i]
            ex = EX[i] if origin == "Domestic" else 0.0
            tfu = tc + gf + ex
            go = GO[i] if origin == "Domestic" else IM[i]
            rows.append([code, f"s{code}", origin, *zz[i], sum(zz[i]), tc, gf, 0.0, ex, tfu, go])
    tii = [ZD[0][j] + ZD[1][j] + ZM[0][j] + ZM[1][j] for j in range(2)]
    rows.append(["TII", "total intermediate input", "TOT", *tii])
    for k, v in VA.items():
        rows.append([k, k, "TOT", *v])
    tva = [sum(v[j] for v in VA.values()) for j in range(2)]
    rows.append(["TVA", "total value added", "TOT", *tva])
    rows.append(["TI", "total input", "TOT", *[tii[j] + tva[j] for j in range(2)]])
    return rows


# ------------------------------------------------------------------------------------------ the split
def test_split_competitive_imports_by_hand() -> None:
    idx = ["01", "02"]
    F = pd.DataFrame({**FU, "EX": EX}, index=idx)
    sp = split_competitive_imports(pd.DataFrame(Z, index=idx, columns=idx), F, pd.Series(IM, index=idx))
    assert sp.share.tolist() == pytest.approx([0.2, 0.1])
    assert sp.Zm.to_numpy() == pytest.approx(np.array(ZM))
    assert sp.Zd.to_numpy() == pytest.approx(np.array(ZD))
    assert sp.Fd.loc["02", "FU103"] == pytest.approx(22.5) and sp.Fm.loc["01", "FU201"] == pytest.approx(3.0)
    assert sp.Fd["EX"].tolist() == EX and sp.Fm["EX"].tolist() == [0.0, 0.0]  # exports stay domestic
    x = sp.Zd.sum(axis=1) + sp.Fd.sum(axis=1)
    assert x.tolist() == pytest.approx(GO)


def test_split_rejects_imports_above_use() -> None:
    idx = ["a", "b"]
    Zf = pd.DataFrame([[1.0, 0.0], [0.0, 1.0]], index=idx, columns=idx)
    F = pd.DataFrame({"FU101": [1.0, 1.0], "EX": [5.0, 0.0]}, index=idx)
    with pytest.raises(ValidationError, match=r"product a: imports 3 exceed domestic use 2"):
        split_competitive_imports(Zf, F, pd.Series([3.0, 0.0], index=idx))
    with pytest.raises(ValidationError, match=r"product b: imports m = -1 < 0"):
        split_competitive_imports(Zf, F, pd.Series([0.0, -1.0], index=idx))


@pytest.mark.property
@settings(max_examples=40, deadline=None)
@given(
    st.integers(1, 6).flatmap(
        lambda n: st.tuples(
            st.lists(st.floats(0, 100), min_size=n * n, max_size=n * n),
            st.lists(st.floats(0.1, 100), min_size=n, max_size=n),
            st.lists(st.floats(0, 100), min_size=n, max_size=n),
            st.lists(st.floats(0, 1), min_size=n, max_size=n),
        )
    )
)
def test_split_keeps_output_and_shares(
    data: tuple[list[float], list[float], list[float], list[float]],
) -> None:
    z, c, e, mu = data
    n = len(c)
    idx = [f"s{i}" for i in range(n)]
    Zf = pd.DataFrame(np.array(z).reshape(n, n), index=idx, columns=idx)
    F = pd.DataFrame({"FU101": c, "EX": e}, index=idx)
    use = Zf.sum(axis=1) + F["FU101"]
    m = pd.Series(np.array(mu) * use.to_numpy(), index=idx)
    sp = split_competitive_imports(Zf, F, m)
    assert sp.share.to_numpy() == pytest.approx(np.array(mu), abs=1e-9)
    assert (sp.Zd + sp.Zm).to_numpy() == pytest.approx(Zf.to_numpy())
    x_comp = Zf.sum(axis=1) + F.sum(axis=1) - m
    assert (sp.Zd.sum(axis=1) + sp.Fd.sum(axis=1)).to_numpy() == pytest.approx(x_comp.to_numpy(), abs=1e-9)
    assert (sp.Zd.to_numpy() >= -1e-12).all() and (sp.Zm.to_numpy() >= 0).all()


# ------------------------------------------------------------------------------ national, hand-made
@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_read_competitive_table(tmp_path: Path, suffix: str) -> None:
    path = _write(_competitive_rows(), tmp_path / f"comp{suffix}")
    assert national_io_layout(path) == "competitive"
    m = read_national_io(path)
    assert list(m.regions) == [NATIONAL_REGION] and list(m.sectors) == ["sec01", "sec02"]
    assert m.Z.to_numpy() == pytest.approx(np.array(ZD))
    assert m.M.to_numpy() == pytest.approx(np.array(ZM)) and list(m.M.index) == ["sec01", "sec02"]
    assert m.x.tolist() == pytest.approx(GO)
    assert list(m.Y.columns.get_level_values("category")) == [*FU, "EX"]  # finest columns, no TC/TFU
    assert m.v.sum() == pytest.approx(75.5) and list(m.V.index) == list(VA)
    assert m.unit == "1e4 CNY" and m.name == "comp"


def test_read_noncompetitive_table_matches_split(tmp_path: Path) -> None:
    path = _write(_noncompetitive_rows(), tmp_path / "noncomp.xlsx")
    assert national_io_layout(path) == "non-competitive"
    m = read_national_io(path, layout="non-competitive", sector_prefix="")
    assert list(m.sectors) == ["01", "02"]
    assert m.Z.to_numpy() == pytest.approx(np.array(ZD)) and m.M.to_numpy() == pytest.approx(np.array(ZM))
    assert list(m.Y.columns.get_level_values("category")) == ["TC", "FU201", "FU202", "EX"]
    assert m.x.tolist() == pytest.approx(GO) and m.y.sum() == pytest.approx(75.5 + 5.0 + 4.5 - 0.0)


def test_keep_competitive(tmp_path: Path) -> None:
    m = read_national_io(_write(_competitive_rows(), tmp_path / "c.xlsx"), split_imports=False)
    assert m.M.empty and m.Z.to_numpy() == pytest.approx(np.array(Z))
    assert m.Y[(NATIONAL_REGION, "IM")].tolist() == [-12.0, -7.5]
    assert m.x.tolist() == pytest.approx(GO)


def test_negative_import_column(tmp_path: Path) -> None:
    rows = _edit(_edit(_competitive_rows(), 1, 13, -12.0), 2, 13, -7.5)
    m = read_national_io(_write(rows, tmp_path / "neg.xlsx"))
    assert m.M.to_numpy() == pytest.approx(np.array(ZM)) and m.x.tolist() == pytest.approx(GO)


def test_read_mrio_detects_national_xlsx(tmp_path: Path) -> None:
    m = read_mrio(_write(_noncompetitive_rows(), tmp_path / "n.xlsx"))
    assert m.n_regions == 1 and m.M.to_numpy().sum() == pytest.approx(9.5)


def _edit(rows: list[list[Any]], r: int, c: int, value: Any) -> list[list[Any]]:
    out = [list(row) for row in rows]
    out[r][c] = value
    return out


@pytest.mark.parametrize(
    ("rows", "error", "pattern"),
    [
        (
            _edit(_competitive_rows(), 0, 0, "Id"),
            DataFileError,
            r"comp\.xlsx, sheet 'IO': no header row .*Code",
        ),
        (
            _edit(_competitive_rows(), 0, 10, "Q"),
            DataFileError,
            r"cell K3: unknown final-use column 'Q'.*Fix",
        ),
        (_edit(_competitive_rows(), 0, 13, "IMP"), DataFileError, r"neither an 'Origin' column.*'IM' column"),
        (
            _edit(_competitive_rows(), 0, 3, "03"),
            DataFileError,
            r"cell D3 header '03' but row 5 has code '02'",
        ),
        (
            _edit(_competitive_rows(), 1, 2, "ten"),
            DataFileError,
            r"cell C4 \(intermediate use\): 'ten' is not",
        ),
        (
            _edit(_competitive_rows(), 1, 14, 70.0),
            ValidationError,
            r"row 4, column 'GO': sector 01: GO = 70 but Z1 \+ F1 − IM \(\+ ERR\) = 68\. Fix",
        ),
        (_edit(_competitive_rows(), 9, 2, 70.0), ValidationError, r"TI = 70 but TII \+ TVA sum to 68"),
        (_competitive_rows()[:-1], DataFileError, r"no 'TI' row"),
    ],
)
def test_bad_national_tables(tmp_path: Path, rows: list[list[Any]], error: type, pattern: str) -> None:
    with pytest.raises(error, match=pattern):
        read_national_io(_write(rows, tmp_path / "comp.xlsx"))


def test_layout_mismatch_and_missing_file(tmp_path: Path) -> None:
    path = _write(_competitive_rows(), tmp_path / "c.xlsx")
    with pytest.raises(DataFileError, match=r"layout='non-competitive' was asked.*Fix: use layout='auto'"):
        read_national_io(path, layout="non-competitive")
    with pytest.raises(DataFileError, match=r"no sheet 'X'; sheets: \['IO'\]"):
        read_national_io(path, sheet="X")
    with pytest.raises(DataFileError, match="does not exist"):
        read_national_io(tmp_path / "nope.xlsx")


# ------------------------------------------------------------------------------- national, real NBS
def _shared(name: str) -> Path:
    if not (SHARED / name).exists():
        pytest.skip("shared NBS tables not available")
    return SHARED / name


@pytest.mark.reference
@pytest.mark.parametrize(
    ("name", "layout", "n", "va"),
    [
        ("china_2012_139.csv", "competitive", 139, 53.680),
        ("china_2015_42.csv", "competitive", 42, 68.025),
        ("china_2017_149.csv", "competitive", 149, 82.322),
        ("china_2017_42.csv", "non-competitive", 42, 82.322),
        ("china_2018_153.csv", "competitive", 153, 92.206),
        ("china_2020_42.csv", "non-competitive", 42, 101.642),
    ],
)
def test_real_nbs_tables(name: str, layout: str, n: int, va: float) -> None:
    """Total value added = GDP of the year in 10^12 CNY (the NBS tables are in 10^4 CNY)."""
    path = _shared(name)
    assert national_io_layout(path) == layout
    m = read_national_io(path)
    assert m.n_sectors == n and m.v.sum() / 1e8 == pytest.approx(va, abs=5e-4)


@pytest.mark.reference
def test_split_2017_149_against_official_noncompetitive_42() -> None:
    """The proportional split of the 2017 competitive table (149 sectors) against NBS's own
    non-competitive 2017 table (42 sectors): same output and value added; imported intermediate inputs
    11.97 vs 11.36 ×10^12 CNY (+5.4 %): the uniform-share assumption overstates intermediate imports."""
    comp = read_national_io(_shared("china_2017_149.csv"))
    nonc = read_national_io(_shared("china_2017_42.csv"))
    assert comp.x.sum() == pytest.approx(nonc.x.sum(), rel=1e-9)
    assert comp.v.sum() == pytest.approx(nonc.v.sum(), rel=1e-9)
    ratio = comp.M.to_numpy().sum() / nonc.M.to_numpy().sum()
    assert 1.0 < ratio < 1.10
    assert ratio == pytest.approx(1.0535, abs=5e-3)


# ------------------------------------------------------------------------------------------- CEADs
REG = ["Beijing", "四川", "500000"]  # English, Chinese and adcode labels
ADC = [110000, 510000, 500000]
CATS = ["Rural consumption", "Urban consumption", "Government consumption", "Fixed capital formation",
        "Changes in inventories"]  # fmt: skip


def _ceads_rows(merged: bool = True) -> tuple[list[list[Any]], dict[str, np.ndarray]]:
    rng = np.random.default_rng(7)
    n = 6
    z = rng.integers(0, 20, (n, n)).astype(float)
    y = rng.integers(0, 30, (n, 3 * 5)).astype(float)
    ex = rng.integers(0, 10, n).astype(float)
    oth = np.array([1.0, -1.0, 0.0, 0.5, 0.0, -0.5])
    x = z.sum(axis=1) + y.sum(axis=1) + ex + oth
    imp = rng.integers(0, 5, n).astype(float)
    va_parts = np.vstack([0.5, 0.1, 0.15, 0.25]) * (x - z.sum(axis=0) - imp)
    h1: list[Any] = ["", "", ""]
    h2: list[Any] = ["Region", "Code", "Sector"]
    for r in REG:
        for s in (1, 2):
            h1.append(r if (s == 1 or not merged) else None)
            h2.append(s)
    h1.append("Total intermediate use")
    h2.append(None)
    for r in REG:
        for k, cat in enumerate(CATS):
            h1.append(r if (k == 0 or not merged) else None)
            h2.append(cat)
    h1 += ["Export", "Total final use", "Others", "Total output"]
    h2 += [None, None, None, None]
    rows: list[list[Any]] = [["China MRIO 2017 (10^4 CNY)"], h1, h2]
    for i in range(n):
        reg = REG[i // 2] if (i % 2 == 0 or not merged) else None
        name = "Agriculture" if i % 2 == 0 else "Mining"
        tfu = y[i].sum() + ex[i]
        rows.append([reg, i % 2 + 1, name, *z[i], z[i].sum(), *y[i], ex[i], tfu, oth[i], x[i]])
    rows.append(["Import", None, None, *imp])
    rows.append(["Total intermediate input", None, None, *(z.sum(axis=0) + imp)])
    for label, v in zip(
        ["Compensation of employees", "Net taxes on production", "Depreciation of fixed capital",
         "Operating surplus"], va_parts, strict=True
    ):  # fmt: skip
        rows.append([label, None, None, *v])
    rows.append(["Total value added", None, None, *va_parts.sum(axis=0)])
    rows.append(["Total input", None, None, *x])
    return rows, {"z": z, "y": y, "ex": ex, "oth": oth, "x": x, "imp": imp, "va": va_parts}


def test_read_ceads_generated_workbook(tmp_path: Path) -> None:
    rows, t = _ceads_rows()
    path = _write(rows, tmp_path / "ceads.xlsx", title=False)
    m = read_ceads_mrio(path)
    assert list(m.regions) == ADC and list(m.sectors) == ["sec01", "sec02"]
    assert m.Z.to_numpy() == pytest.approx(t["z"])
    assert m.x.to_numpy() == pytest.approx(t["x"])
    assert m.M.to_numpy()[0] == pytest.approx(t["imp"]) and list(m.M.index) == ["imports"]
    assert list(m.V.index) == ["VA001", "VA002", "VA003", "VA004"]
    assert m.V.to_numpy() == pytest.approx(t["va"])
    # Sichuan's urban consumption of Beijing's mining output; Chongqing exports are in its own EX column
    assert m.Y.loc[(110000, "sec02"), (510000, "FU102")] == t["y"][1, 5 + 1]
    assert m.Y[(500000, "EX")].to_numpy() == pytest.approx(np.r_[0, 0, 0, 0, t["ex"][4:]])
    assert m.Y.xs("ERR", axis=1, level="category").to_numpy().sum() == pytest.approx(t["oth"].sum())
    assert read_mrio(path).Z.equals(m.Z)  # --mrio detection: no 'Code' header → CEADs


def test_ceads_unmerged_labels_and_region_override(tmp_path: Path) -> None:
    rows, t = _ceads_rows(merged=False)
    rows = [[("Peking" if v == "Beijing" else v) for v in row] for row in rows]
    path = _write(rows, tmp_path / "c.xlsx")
    with pytest.raises(DataFileError, match=r"row 6: label 'Peking \| 1 \| Agriculture.*' is neither"):
        read_ceads_mrio(path)
    m = read_ceads_mrio(path, regions={"Peking": 110000})
    assert m.x.to_numpy() == pytest.approx(t["x"])


@pytest.mark.parametrize(
    ("edit", "error", "pattern"),
    [
        ((5, 3, 999.0), ValidationError, r"row 5.*industry \(110000, 'sec02'\): total output"),
        ((3, 12, "Snacks"), DataFileError, r"cell M3: column 'Snacks' \(region 110000\) is not a known"),
        ((2, 26, "Total thing"), DataFileError, r"cell AA3: column 'Total thing' \(region None\)"),
        ((17, 3, 1.0), ValidationError, r"total input 1 ≠ total output"),
    ],
)
def test_bad_ceads_workbooks(tmp_path: Path, edit: tuple[int, int, Any], error: type, pattern: str) -> None:
    rows, _ = _ceads_rows()
    r, c, v = edit
    rows = _edit(rows, r - 1, c, v)
    with pytest.raises(error, match=pattern):
        read_ceads_mrio(_write(rows, tmp_path / "bad.xlsx", title=False))


# --------------------------------------------------------------------------------------------- CLI
def _scenario(tmp_path: Path) -> Path:
    yaml = tmp_path / "s.yaml"
    yaml.write_text(
        "name: nat\ntitle: national\ndescription: t\nhorizon_days: 40\nshocks:\n"
        "  - {kind: capacity, regions: [100000], sectors: [sec01], share: 0.3, start: 1, duration: 20, "
        "recovery_days: 5}\n",
        encoding="utf-8",
    )
    return yaml


def test_shock_cli_on_national_workbook(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from hinterland.cli._app import app
    from hinterland.economy import ShockResult

    table = _write(_competitive_rows(), tmp_path / "nat.xlsx")
    args = ["shock", "-s", str(_scenario(tmp_path)), "--mrio", str(table), "-m", "leontief"]
    res = CliRunner().invoke(app, [*args, "--days", "30", "--out", str(tmp_path / "o")])
    assert res.exit_code == 0, res.output
    out = ShockResult.from_folder(tmp_path / "o")
    assert out.horizon_days == 30 and out.total_loss > 0
    assert out.loss_by_region.index.tolist() == [NATIONAL_REGION]


def test_shock_cli_days_shorter_than_the_shock(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from hinterland.cli import main

    table = _write(_competitive_rows(), tmp_path / "nat.xlsx")
    args = ["shock", "-s", str(_scenario(tmp_path)), "--mrio", str(table), "-m", "leontief", "--days", "21"]
    with pytest.raises(SystemExit) as exc:
        main([*args, "--out", str(tmp_path / "o")])
    assert exc.value.code == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "--days 21 ends before the last shock day 21 of scenario 'nat'" in err
    assert "Fix: use --days 22 or more" in err and "shocks[0]" in err
    assert not (tmp_path / "o").exists()

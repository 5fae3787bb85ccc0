"""National input–output tables (one region) and the competitive → non-competitive import split.

China's NBS publishes national IO tables in two import layouts (see docs/economy.md, "Readers"):

* **competitive imports**: the intermediate block ``Z`` and final use ``F`` hold domestic *and* imported
  products together; imports are one column ``IM`` subtracted in the row identity
  ``x = Z 1 + F 1 + e − m (+ err)``;
* **non-competitive imports**: every product appears twice (``Origin`` = Domestic / Imports); the import
  rows are a separate use block ``Zᵐ, Fᵐ`` and the domestic rows satisfy ``x = Zᵈ 1 + Fᵈ 1``.

Both are read into a single-region :class:`~hinterland.containers.MRIO` (region
:data:`NATIONAL_REGION` = 100000, the adcode of the whole country) with ``Z = Zᵈ``, ``M = Zᵐ``, so that
``x' = 1'Zᵈ + 1'Zᵐ + 1'V`` (Miller & Blair 2009, §2.6). A competitive table is split first by
:func:`split_competitive_imports` (the import-proportionality assumption).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from hinterland.containers import MRIO, industry_index
from hinterland.errors import DataFileError, Problem, ValidationError

__all__ = [
    "NATIONAL_REGION",
    "ImportSplit",
    "national_io_layout",
    "read_national_io",
    "split_competitive_imports",
]

NATIONAL_REGION = 100000
Layout = Literal["auto", "competitive", "non-competitive"]

# final-use columns, finest first; subtotals are used only when their parts are absent
_CONSUMPTION = ("FU101", "FU102", "FU103")
_CAPITAL = ("FU201", "FU202")
_SUBTOTALS = {"THC": ("FU101", "FU102"), "TC": _CONSUMPTION, "GCF": _CAPITAL}
_KNOWN_COLUMNS = {"TIU", "TFU", "IM", "ERR", "GO", "EX", *_CONSUMPTION, *_CAPITAL, *_SUBTOTALS}
_LABEL_COLUMNS = {"code", "description", "descriptioninchinese", "origin", "代码", "名称", ""}
_NO_IMPORT_COLUMNS = ("EX", "ERR")


# ------------------------------------------------------------------------------------------ the split
@dataclass(frozen=True)
class ImportSplit:
    """Domestic and imported parts of a competitive table (product × user), and the import shares."""

    Zd: pd.DataFrame
    Zm: pd.DataFrame
    Fd: pd.DataFrame
    Fm: pd.DataFrame
    share: pd.Series


def split_competitive_imports(
    Z: pd.DataFrame,
    F: pd.DataFrame,
    imports: pd.Series,
    *,
    no_import_columns: Sequence[str] = _NO_IMPORT_COLUMNS,
    where: str = "competitive table",
) -> ImportSplit:
    r"""Split total use into domestic and imported use by the import-proportionality assumption.

    Every domestic user of product :math:`i` takes the same import share of its use:

    .. math::

        \mu_i = \frac{m_i}{\sum_j z_{ij} + \sum_{k \notin \{EX, ERR\}} f_{ik}}, \qquad
        Z^m = \hat\mu Z,\; Z^d = (I - \hat\mu) Z,\; F^m_{\cdot k} = \hat\mu F_{\cdot k},\;
        F^d_{\cdot k} = (I - \hat\mu) F_{\cdot k}

    for the domestic-use columns :math:`k`; exports and the statistical error (``no_import_columns``)
    stay domestic (no re-exports). Then :math:`Z^d 1 + F^d 1 = Z 1 + F 1 - m`, so the domestic rows
    balance to the same output :math:`x` (Miller & Blair 2009, *Input–Output Analysis*, 2nd ed.,
    §2.6 on competitive vs non-competitive imports; the same uniform-share rule builds the import
    use matrix in Eurostat's 2008 *Manual of Supply, Use and Input–Output Tables*).

    ``imports`` holds :math:`m_i \ge 0` (the magnitude of the ``IM`` column). Raises
    :class:`ValidationError` naming the product if :math:`m_i < 0`, if a product is imported but has no
    positive domestic use, or if :math:`\mu_i > 1` (imports larger than use).
    """
    if not Z.index.equals(Z.columns) or not F.index.equals(Z.index):
        raise ValidationError(
            [
                Problem(
                    "layout",
                    "Z must be square and Z, F and imports share the product index",
                    fix="align them",
                )
            ],
            where,
        )
    m = imports.reindex(Z.index).astype(float)
    use_cols = [c for c in F.columns if str(c) not in set(no_import_columns)]
    zv = Z.to_numpy(dtype=float)
    fv = F[use_cols].to_numpy(dtype=float) if use_cols else np.zeros((len(Z), 0))
    use = zv.sum(axis=1) + fv.sum(axis=1)
    mv = m.to_numpy()
    problems: list[Problem] = []
    tol = 1e-9 * np.maximum(np.abs(use), 1.0)
    for k, product in enumerate(Z.index):
        if not np.isfinite(mv[k]):
            problems.append(Problem("imports", f"product {product}: import value is missing", fix="fill it"))
        elif mv[k] < -tol[k]:
            problems.append(
                Problem(
                    "imports",
                    f"product {product}: imports m = {mv[k]:.6g} < 0",
                    expected="imports ≥ 0 (give the magnitude of the IM column)",
                    fix="pass -IM if the table stores imports as a negative column",
                )
            )
        elif mv[k] > tol[k] and use[k] <= 0:
            problems.append(
                Problem(
                    "imports",
                    f"product {product}: imports {mv[k]:.6g} but domestic use Z1 + F1 (without exports) is "
                    f"{use[k]:.6g}",
                    expected="positive use of an imported product",
                    fix="check the row (a negative inventory change can exceed use) or split it by hand",
                )
            )
        elif mv[k] > use[k] + tol[k]:
            problems.append(
                Problem(
                    "imports",
                    f"product {product}: imports {mv[k]:.6g} exceed domestic use {use[k]:.6g} "
                    f"(share {mv[k] / use[k]:.3f} > 1)",
                    expected="import share ≤ 1",
                    fix="check the row; re-exports must be removed from imports and exports first",
                )
            )
    if problems:
        raise ValidationError(problems, where)
    with np.errstate(divide="ignore", invalid="ignore"):
        mu = np.where(use > 0, np.clip(mv, 0.0, None) / np.where(use > 0, use, 1.0), 0.0)
    mu = np.clip(mu, 0.0, 1.0)
    share = pd.Series(mu, index=Z.index, name="import_share")
    Zm = Z.mul(mu, axis=0)
    Fm = F.mul(0.0)
    Fm[use_cols] = F[use_cols].mul(mu, axis=0)
    return ImportSplit(Zd=Z - Zm, Zm=Zm, Fd=F - Fm, Fm=Fm, share=share)


# --------------------------------------------------------------------------------------- file access
class _Grid:
    """A sheet or CSV as an object grid, with cell references for error messages."""

    def __init__(self, path: Path, sheet: str | int | None) -> None:
        self.path = path
        suffix = path.suffix.lower()
        if suffix in (".xlsx", ".xlsm", ".xls"):
            self.excel = True
            try:
                book = pd.ExcelFile(path)
            except Exception as exc:
                raise DataFileError(
                    f"{path}: cannot open the workbook ({exc}). Fix: save it as .xlsx (Excel 2007+)."
                ) from exc
            names = [str(s) for s in book.sheet_names]
            if sheet is None:
                sheet = names[0]
            if isinstance(sheet, int):
                if not 0 <= sheet < len(names):
                    raise DataFileError(f"{path}: no sheet number {sheet}; the workbook has {names}")
                sheet = names[sheet]
            if sheet not in names:
                raise DataFileError(f"{path}: no sheet {sheet!r}; sheets: {names}. Fix: pass sheet=<name>.")
            self.sheet: str | None = sheet
            self.raw = pd.read_excel(book, sheet_name=sheet, header=None, dtype=object)
        elif suffix in (".csv", ".txt"):
            self.excel = False
            self.sheet = None
            self.raw = _read_csv_grid(path)
        else:
            raise DataFileError(f"{path}: unknown table format {suffix!r}. Fix: give a .csv or .xlsx file.")

    @property
    def where(self) -> str:
        return f"{self.path}" + (f", sheet {self.sheet!r}" if self.sheet is not None else "")

    def cell(self, r: int, c: int) -> str:
        if self.excel:
            from openpyxl.utils import get_column_letter

            return f"cell {get_column_letter(c + 1)}{r + 1}"
        return f"line {r + 1}, field {c + 1}"

    def text(self, r: int, c: int) -> str:
        v = self.raw.iat[r, c]
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return ""
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v).strip()

    def numbers(self, rows: Sequence[int], cols: Sequence[int], what: str) -> np.ndarray:
        """Floats of the block (blank = 0); a text cell raises DataFileError naming it."""
        block = self.raw.iloc[list(rows), list(cols)]
        if block.empty:
            return np.zeros((len(rows), len(cols)))
        text = block.map(lambda v: v.strip() if isinstance(v, str) else v)
        blank = text.isna() | text.isin(["", "-", "—"])
        nums = text.mask(blank, 0.0).apply(pd.to_numeric, errors="coerce")
        bad = nums.isna().to_numpy() & ~blank.to_numpy()
        if bad.any():
            a, b = np.argwhere(bad)[0]
            r, c = rows[a], cols[b]
            raise DataFileError(
                f"{self.where}, {self.cell(r, c)} ({what}): {self.raw.iat[r, c]!r} is not a number. "
                "Fix: enter a number (blank means 0)."
            )
        out = nums.to_numpy(dtype=float)
        return np.asarray(out, dtype=float)


def _read_csv_grid(path: Path) -> pd.DataFrame:
    """All cells as text (codes keep their leading zeros); ragged rows padded; UTF-8 or GB18030."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            with path.open(newline="", encoding=encoding) as fh:
                rows = list(csv.reader(fh))
            break
        except UnicodeDecodeError:
            continue
    else:
        raise DataFileError(f"{path}: not UTF-8 or GB18030 text. Fix: save the CSV as UTF-8.")
    width = max((len(r) for r in rows), default=0)
    return pd.DataFrame([r + [""] * (width - len(r)) for r in rows], dtype=object)


def _pad_codes(codes: list[str]) -> list[str]:
    if codes and all(c.isdigit() for c in codes):
        width = max(len(c) for c in codes)
        return [c.zfill(width) for c in codes]
    return codes


# ------------------------------------------------------------------------------------------- reader
@dataclass(frozen=True)
class _Parsed:
    layout: str
    sectors: list[str]
    Z: pd.DataFrame  # domestic (non-competitive) or total (competitive) intermediate use
    F: pd.DataFrame  # final use incl. EX (and ERR) of the same rows
    V: pd.DataFrame  # component × sector
    imports: pd.Series  # competitive: IM magnitude; non-competitive: total imports (GO of import rows)
    Zm: pd.DataFrame | None
    Fm: pd.DataFrame | None


def _find_header(g: _Grid) -> tuple[int, dict[str, int]]:
    for r in range(min(len(g.raw), 30)):
        heads = [g.text(r, c) for c in range(g.raw.shape[1])]
        if any(h.lower() in ("code", "代码") for h in heads):
            return r, {h: c for c, h in enumerate(heads) if h}
    raise DataFileError(
        f"{g.where}: no header row with a 'Code' cell in the first 30 rows. Fix: give the table in the "
        "NBS code layout: a header row 'Code, [Description,] [Origin,] <sector codes>, TIU, <final-use "
        "codes FU101…FU202, EX>, TFU, [IM,] [ERR,] GO', then one row per sector, then TII, VA001…, TVA, TI."
    )


def national_io_layout(path: str | Path, *, sheet: str | int | None = None) -> str:
    """``"competitive"`` (an ``IM`` column) or ``"non-competitive"`` (an ``Origin`` column) for a table."""
    g = _Grid(Path(path), sheet)
    _, cols = _find_header(g)
    return _layout_of(g, cols)


def _layout_of(g: _Grid, cols: dict[str, int]) -> str:
    lower = {k.lower() for k in cols}
    if "origin" in lower:
        return "non-competitive"
    if "IM" in cols:
        return "competitive"
    raise DataFileError(
        f"{g.where}: neither an 'Origin' column (non-competitive imports: Domestic/Imports rows) nor an "
        "'IM' column (competitive imports) in the header. Fix: add the import column IM or the Origin "
        "column, or pass layout= explicitly after adding it."
    )


def _final_columns(g: _Grid, hr: int, cols: dict[str, int], first: int, last: int) -> list[str]:
    """Final-use categories between TIU and GO, finest available (subtotals only when parts are absent)."""
    present = [g.text(hr, c) for c in range(first, last)]
    for c, name in zip(range(first, last), present, strict=True):
        if name and name not in _KNOWN_COLUMNS:
            raise DataFileError(
                f"{g.where}, {g.cell(hr, c)}: unknown final-use column {name!r}. Fix: rename it to one of "
                f"{', '.join(sorted(_KNOWN_COLUMNS))} (NBS codes) or delete it."
            )
    chosen: list[str] = []
    if any(p in present for p in _CONSUMPTION):
        if "FU101" not in present and "FU102" not in present and "THC" in present:
            chosen.append("THC")
        chosen += [p for p in _CONSUMPTION if p in present]
    elif "TC" in present:
        chosen.append("TC")
    elif "THC" in present:
        chosen.append("THC")
    if any(p in present for p in _CAPITAL):
        chosen += [p for p in _CAPITAL if p in present]
    elif "GCF" in present:
        chosen.append("GCF")
    if "EX" not in present:
        raise DataFileError(
            f"{g.where}, header row {hr + 1}: no export column 'EX' between TIU and GO. Fix: add it "
            "(zeros if the table has no exports)."
        )
    chosen.append("EX")
    if "ERR" in present:
        chosen.append("ERR")
    if len(chosen) == 1:
        raise DataFileError(
            f"{g.where}, header row {hr + 1}: no domestic final-use column (FU101…FU103 or TC, FU201/FU202 "
            "or GCF). Fix: add them with their NBS codes."
        )
    return chosen


def _parse(g: _Grid, layout: Layout) -> _Parsed:
    hr, cols = _find_header(g)
    found = _layout_of(g, cols)
    if layout != "auto" and layout != found:
        raise DataFileError(
            f"{g.where}: layout={layout!r} was asked but the header says {found!r} "
            f"({'Origin column' if found == 'non-competitive' else 'IM column'}). Fix: use layout='auto'."
        )
    for need in ("TIU", "GO"):
        if need not in cols:
            raise DataFileError(f"{g.where}, header row {hr + 1}: no {need!r} column. Fix: add it.")
    code_c = next(c for h, c in cols.items() if h.lower() in ("code", "代码"))
    origin_c = next((c for h, c in cols.items() if h.lower() == "origin"), None)
    tiu_c, go_c = cols["TIU"], cols["GO"]
    label_end = max(c for h, c in cols.items() if h.lower() in _LABEL_COLUMNS) + 1
    sector_cols = list(range(label_end, tiu_c))
    heads = _pad_codes([g.text(hr, c) for c in sector_cols])
    rows = list(range(hr + 1, len(g.raw)))
    codes = [g.text(r, code_c) for r in rows]
    origins = [g.text(r, origin_c).lower() if origin_c is not None else "" for r in rows]
    special = {"TII", "TVA", "TI"}
    if found == "non-competitive":
        dom = [r for r, o in zip(rows, origins, strict=True) if o.startswith("dom")]
        imp = [r for r, o in zip(rows, origins, strict=True) if o.startswith("imp")]
        if not dom or len(dom) != len(imp):
            raise DataFileError(
                f"{g.where}: Origin column: {len(dom)} 'Domestic' rows and {len(imp)} 'Imports' rows. "
                "Fix: every product needs one Domestic and one Imports row."
            )
    else:
        dom = []
        for r, code in zip(rows, codes, strict=True):
            if code in special or re.fullmatch(r"VA\d+", code):
                break
            if code:
                dom.append(r)
        imp = []
    sectors = _pad_codes([g.text(r, code_c) for r in dom])
    if sectors != heads:
        k = next((i for i, (a, b) in enumerate(zip(sectors, heads, strict=False)) if a != b), None)
        if k is None:
            msg = f"{len(sectors)} sector rows but {len(heads)} sector columns before TIU"
        else:
            cell = g.cell(hr, sector_cols[k])
            msg = f"{cell} header {heads[k]!r} but row {dom[k] + 1} has code {sectors[k]!r}"
        raise DataFileError(
            f"{g.where}: sector rows and columns differ: {msg}. Fix: the intermediate block must be square "
            "with the same codes in the same order on rows and columns."
        )
    if imp:
        imp_codes = _pad_codes([g.text(r, code_c) for r in imp])
        if imp_codes != sectors:
            raise DataFileError(
                f"{g.where}: the Imports rows' codes differ from the Domestic rows' codes. Fix: list the "
                "same products in the same order in both blocks."
            )
    by_code = {c: r for r, c in zip(rows, codes, strict=True) if c}
    for need in ("TII", "TVA", "TI"):
        if need not in by_code:
            raise DataFileError(
                f"{g.where}: no {need!r} row in column {g.cell(hr, code_c)}. Fix: add the total rows TII "
                "(total intermediate input), VA001… (value added), TVA and TI (total input)."
            )
    va_codes = [c for c in codes if re.fullmatch(r"VA\d+", c)]
    if not va_codes:
        raise DataFileError(f"{g.where}: no value-added rows VA001, VA002, … Fix: add them above TVA.")
    fcols = _final_columns(g, hr, cols, tiu_c + 1, go_c)
    names = list(fcols)
    fidx = [cols[c] for c in names]
    Z = pd.DataFrame(g.numbers(dom, sector_cols, "intermediate use"), index=sectors, columns=sectors)
    F = pd.DataFrame(g.numbers(dom, fidx, "final use"), index=sectors, columns=names)
    V = pd.DataFrame(
        g.numbers([by_code[c] for c in va_codes], sector_cols, "value added"),
        index=pd.Index(va_codes, name="component"),
        columns=sectors,
    )
    totals = {key: g.numbers([by_code[key]], sector_cols, key)[0] for key in ("TII", "TVA", "TI")}
    go = g.numbers(dom, [go_c], "total output GO")[:, 0]
    tiu = g.numbers(dom, [tiu_c], "TIU")[:, 0]
    Zm = Fm = None
    if found == "competitive":
        im = g.numbers(dom, [cols["IM"]], "imports IM")[:, 0]
        # NBS stores IM positive and subtracts it; some tables store it negative
        if (im < 0).sum() > (im > 0).sum():
            im = -im  # stored as a negative column: x = Z1 + F1 + IM
        imports = pd.Series(im, index=sectors, name="imports")
        row_total = Z.sum(axis=1).to_numpy() + F.sum(axis=1).to_numpy() - im
        row_what = "Z1 + F1 − IM (+ ERR)"
    else:
        Zm = pd.DataFrame(
            g.numbers(imp, sector_cols, "imported intermediate use"), index=sectors, columns=sectors
        )
        Fm = pd.DataFrame(g.numbers(imp, fidx, "imported final use"), index=sectors, columns=names)
        imports = pd.Series(g.numbers(imp, [go_c], "total imports GO")[:, 0], index=sectors, name="imports")
        row_total = Z.sum(axis=1).to_numpy() + F.sum(axis=1).to_numpy()
        row_what = "Z1 + F1 (domestic rows)"
    _check(
        g, hr, found, sectors, dom, imp, Z, F, V, Zm, Fm, imports, go, tiu, totals, row_total, row_what, cols
    )
    return _Parsed(found, sectors, Z, F, V, imports, Zm, Fm)


def _check(
    g: _Grid,
    hr: int,
    layout: str,
    sectors: list[str],
    dom: list[int],
    imp: list[int],
    Z: pd.DataFrame,
    F: pd.DataFrame,
    V: pd.DataFrame,
    Zm: pd.DataFrame | None,
    Fm: pd.DataFrame | None,
    imports: pd.Series,
    go: np.ndarray,
    tiu: np.ndarray,
    totals: dict[str, np.ndarray],
    row_total: np.ndarray,
    row_what: str,
    cols: dict[str, int],
) -> None:
    """Row and column identities, subtotals and the GDP identity; every failure names row/column."""
    rtol = _RTOL
    problems: list[Problem] = []

    def off(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return np.abs(a - b) > rtol * np.maximum(np.maximum(np.abs(a), np.abs(b)), 1.0)  # type: ignore[no-any-return]

    file = g.where

    def add(check: str, msg: str, row: int | None, column: str | None, fix: str) -> None:
        problems.append(Problem(check, msg, file=file, row=row, column=column, fix=fix))

    zsum = Z.sum(axis=1).to_numpy()
    for k in np.flatnonzero(off(zsum, tiu))[:5]:
        add(
            "subtotal",
            f"sector {sectors[k]}: TIU = {tiu[k]:.10g} but the row's intermediate use sums to {zsum[k]:.10g}",
            dom[k] + 1,
            "TIU",
            "check for a shifted or missing sector column",
        )
    if "TFU" in cols:
        tfu = g.numbers(dom, [cols["TFU"]], "TFU")[:, 0]
        fsum = F.drop(columns=[c for c in ("ERR",) if c in F.columns]).sum(axis=1).to_numpy()
        for k in np.flatnonzero(off(fsum, tfu))[:5]:
            add(
                "subtotal",
                f"sector {sectors[k]}: TFU = {tfu[k]:.10g} but the final-use columns sum to {fsum[k]:.10g}",
                dom[k] + 1,
                "TFU",
                "check for a missing or duplicated final-use column",
            )
    for k in np.flatnonzero(off(row_total, go))[:5]:
        add(
            "row_balance",
            f"sector {sectors[k]}: GO = {go[k]:.10g} but {row_what} = {row_total[k]:.10g}",
            dom[k] + 1,
            "GO",
            "balance the row (the residual belongs in ERR or an inventory column)",
        )
    zin = Z.sum(axis=0).to_numpy() + (Zm.sum(axis=0).to_numpy() if Zm is not None else 0.0)
    vsum = V.sum(axis=0).to_numpy()
    for key, got, what in (
        (
            "TII",
            zin,
            "the intermediate inputs (domestic + imported)" if Zm is not None else "the column of Z",
        ),
        ("TVA", vsum, "the value-added rows"),
        ("TI", zin + vsum, "TII + TVA"),
    ):
        for k in np.flatnonzero(off(got, totals[key]))[:5]:
            add(
                "column_balance",
                f"sector {sectors[k]}: {key} = {totals[key][k]:.10g} but {what} sum to {got[k]:.10g}",
                None,
                sectors[k],
                f"correct the {key} row or the column above it",
            )
    for k in np.flatnonzero(off(totals["TI"], go))[:5]:
        add(
            "input_output",
            f"sector {sectors[k]}: total input TI = {totals['TI'][k]:.10g} but total output "
            f"GO = {go[k]:.10g}",
            dom[k] + 1,
            "GO",
            "total input and total output must be equal",
        )
    if Zm is not None and Fm is not None:
        imp_tot = Zm.sum(axis=1).to_numpy() + Fm.sum(axis=1).to_numpy()
        for k in np.flatnonzero(off(imp_tot, imports.to_numpy()))[:5]:
            add(
                "row_balance",
                f"imported {sectors[k]}: GO = {imports.iloc[k]:.10g} but its uses sum to {imp_tot[k]:.10g}",
                imp[k] + 1,
                "GO",
                "balance the Imports row",
            )
    # GDP identity: production approach (Σ TVA) = expenditure approach (final use + exports − imports)
    final = F.to_numpy().sum() + (Fm.to_numpy().sum() if Fm is not None else 0.0)
    gdp_exp = final - imports.sum()
    gdp_va = float(totals["TVA"].sum())
    if off(np.array([gdp_va]), np.array([gdp_exp]))[0]:
        add(
            "gdp",
            f"value added Σ TVA = {gdp_va:.10g} but final use + exports − imports = {gdp_exp:.10g} "
            f"(difference {gdp_va - gdp_exp:.6g})",
            None,
            "TVA",
            "the table is not balanced; fix the rows above",
        )
    if problems:
        raise ValidationError(problems, f"national IO table {g.where} ({layout} imports)")


_RTOL = 1e-6


def read_national_io(
    path: str | Path,
    *,
    layout: Layout = "auto",
    sheet: str | int | None = None,
    region: int = NATIONAL_REGION,
    sector_prefix: str = "sec",
    unit: str = "1e4 CNY",
    split_imports: bool = True,
    name: str | None = None,
) -> MRIO:
    r"""A national IO table (CSV or Excel, NBS code layout) as a single-region :class:`MRIO`.

    The table has a header row ``Code, [Description…,] [Origin,] <sector codes>, TIU, <final-use codes>,
    TFU, [IM,] [ERR,] GO`` and rows ``<sector codes>, TII, VA001…VA004, TVA, TI`` (the NBS tables in
    ``io_national``, 万元). ``layout="auto"`` detects competitive imports (an ``IM`` column) or
    non-competitive imports (an ``Origin`` column with Domestic / Imports rows).

    Result: region ``region`` (100000 = China), sectors ``sector_prefix + code`` (``sec01``… as the
    bundled MRIO), ``Y`` columns the finest final-use codes available (FU101…FU202 or TC/GCF, EX, ERR),
    ``V`` the VA rows, ``M`` the imported intermediate use :math:`Z^m`. With ``split_imports`` (default)
    a competitive table is split by :func:`split_competitive_imports`; with ``split_imports=False`` it is
    kept competitive: ``Z`` is total use and ``Y`` has a negative ``IM`` column, so
    :math:`x = Z1 + Y1` still holds.

    Checks (relative tolerance 1e-6): TIU and TFU subtotals, row balance (:math:`x = Z1 + F1 - m + err`
    competitive; :math:`x = Z^d 1 + F^d 1` non-competitive), columns :math:`TI = TII + TVA = x`, and the
    GDP identity :math:`\sum TVA = \sum F - \sum m`. Layout problems raise :class:`DataFileError`,
    failed checks :class:`ValidationError`; both name file, sheet, row/column and the fix.
    """
    path = Path(path)
    if not path.is_file():
        raise DataFileError(
            f"national IO table {path} does not exist. Fix: give the path of a .csv or .xlsx file."
        )
    g = _Grid(path, sheet)
    p = _parse(g, layout)
    secs = [f"{sector_prefix}{s}" for s in p.sectors]
    idx = industry_index([region], secs)
    Zd, F, Zm = p.Z, p.F, p.Zm
    if p.layout == "competitive":
        if split_imports:
            sp = split_competitive_imports(p.Z, p.F, p.imports, where=f"national IO table {g.where}")
            Zd, F, Zm = sp.Zd, sp.Fd, sp.Zm
        else:
            F = F.assign(IM=-p.imports.to_numpy())
    Z = pd.DataFrame(Zd.to_numpy(), index=idx, columns=idx)
    Y = pd.DataFrame(
        F.to_numpy(),
        index=idx,
        columns=pd.MultiIndex.from_product([[region], list(F.columns)], names=["region", "category"]),
    )
    V = pd.DataFrame(p.V.to_numpy(), index=p.V.index, columns=idx)
    M = (
        pd.DataFrame(Zm.to_numpy(), index=pd.Index(secs, name="sector"), columns=idx)
        if Zm is not None
        else pd.DataFrame()
    )
    return MRIO(Z, Y, V, M, unit=unit, name=name or path.stem, rtol=_RTOL)

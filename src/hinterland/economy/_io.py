"""Readers and writers for MRIO tables: pymrio IOSystem (in memory or saved folder), CSV/Parquet."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from hinterland.containers import MRIO, industry_index, normalise_name
from hinterland.errors import DataFileError, Problem, SchemaError, ValidationError

__all__ = ["from_pymrio", "read_ceads_mrio", "read_io_file", "read_mrio", "to_pymrio_folder", "write_mrio"]


def _as_industry_index(idx: pd.Index) -> pd.MultiIndex:
    if not isinstance(idx, pd.MultiIndex) or idx.nlevels != 2:
        raise SchemaError(f"expected a 2-level (region, sector) index, got {idx.names}")
    return idx.set_names(["region", "sector"])


def _lexsorted(
    Z: pd.DataFrame, Y: pd.DataFrame, V: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Sort regions and sectors lexicographically (as pymrio/BoARIO) so industry i is the same everywhere."""
    regions = sorted(Z.index.get_level_values(0).unique())
    sectors = sorted(Z.index.get_level_values(1).unique())
    idx = pd.MultiIndex.from_product([regions, sectors], names=["region", "sector"])
    Z = Z.reindex(index=idx, columns=idx)
    Y = Y.reindex(index=idx)
    Y = Y.reindex(columns=sorted(Y.columns))
    V = V.reindex(columns=idx)
    return Z, Y, V


def from_pymrio(io: Any, *, name: str | None = None, unit: str | None = None, sort: bool = True) -> MRIO:
    """An :class:`MRIO` from a pymrio ``IOSystem`` (Z and Y required; x is recomputed).

    Value added is the balancing row x − 1'Z (pymrio test systems carry no separate import row).
    """
    if getattr(io, "Z", None) is None or getattr(io, "Y", None) is None:
        raise SchemaError("pymrio IOSystem has no Z or Y. Fix: load the system fully (io.calc_all()).")
    Z = io.Z.copy()
    Y = io.Y.copy()
    Z.index = _as_industry_index(Z.index)
    Z.columns = _as_industry_index(Z.columns)
    Y.index = _as_industry_index(Y.index)
    Y.columns = Y.columns.set_names(["region", "category"])
    x = Z.sum(axis=1) + Y.sum(axis=1)
    V = pd.DataFrame(
        [x.to_numpy() - Z.sum(axis=0).to_numpy()],
        index=pd.Index(["value_added"], name="component"),
        columns=Z.columns,
    )
    if sort:
        Z, Y, V = _lexsorted(Z, Y, V)
    if unit is None:
        u = getattr(io, "unit", None)
        unit = str(u.iloc[0, 0]) if isinstance(u, pd.DataFrame) and len(u) else "unknown"
    return MRIO(Z, Y, V, unit=unit, name=name or str(getattr(io, "name", "pymrio")))


def _int_regions(idx: pd.Index) -> pd.Index:
    """Level 0 as int when every label is an integer written as text (adcodes)."""
    if not isinstance(idx, pd.MultiIndex):
        return idx
    lv = idx.levels[0]
    if all(str(v).lstrip("-").isdigit() for v in lv):
        return idx.set_levels(lv.astype(int), level=0)
    return idx


def _read_txt(path: Path, n_index: int, n_header: int) -> pd.DataFrame:
    return pd.read_csv(path, sep="\t", index_col=list(range(n_index)), header=list(range(n_header)))


def read_mrio(path: str | Path, *, name: str | None = None) -> MRIO:
    """Read a table saved by :func:`write_mrio` (CSV or Parquet) or by pymrio (``IOSystem.save``), or a
    single file (``.xlsx``/``.csv``): a national NBS table or a CEADs MRIO workbook (:func:`read_io_file`).

    Clear errors name the missing file and the expected layout.
    """
    path = Path(path)
    if not path.exists():
        raise DataFileError(
            f"MRIO folder {path} does not exist. Fix: pass a folder written by "
            "`write_mrio` or pymrio's `IOSystem.save`, or an .xlsx/.csv IO table."
        )
    if path.is_file():
        return read_io_file(path, name=name)
    if (path / "file_parameters.json").exists():
        meta = json.loads((path / "file_parameters.json").read_text())
        files = meta.get("files", {})
        if "Z" not in files or "Y" not in files:
            raise DataFileError(
                f"{path}: pymrio folder without Z/Y files. Fix: save with IOSystem.save_all()."
            )
        Z = _read_txt(
            path / files["Z"]["name"], int(files["Z"]["nr_index_col"]), int(files["Z"]["nr_header"])
        )
        Y = _read_txt(
            path / files["Y"]["name"], int(files["Y"]["nr_index_col"]), int(files["Y"]["nr_header"])
        )
        Z.columns = pd.MultiIndex.from_tuples(list(Z.columns), names=["region", "sector"])
        Y.columns = pd.MultiIndex.from_tuples(list(Y.columns), names=["region", "category"])
        # header rows are read as text: integer region labels (adcodes) come back as '110000'
        Z.index, Y.index = _int_regions(Z.index), _int_regions(Y.index)
        Z.columns, Y.columns = _int_regions(Z.columns), _int_regions(Y.columns)

        class _IO:
            pass

        io = _IO()
        io.Z, io.Y = Z, Y  # type: ignore[attr-defined]
        unit = "unknown"
        if "unit" in files:
            u = _read_txt(path / files["unit"]["name"], int(files["unit"]["nr_index_col"]), 1)
            unit = str(u.iloc[0, 0])
        return from_pymrio(io, name=name or path.name, unit=unit)
    fmt = "parquet" if (path / "Z.parquet").exists() else "csv"
    reader = pd.read_parquet if fmt == "parquet" else None
    parts: dict[str, pd.DataFrame] = {}
    for key in ("Z", "Y", "V", "M"):
        f = path / f"{key}.{fmt}"
        if not f.exists():
            if key == "M":
                parts[key] = pd.DataFrame()
                continue
            raise DataFileError(f"{path}: missing {f.name}. Expected Z, Y, V (and optional M) as {fmt}.")
        long = reader(f) if reader is not None else pd.read_csv(f)
        parts[key] = _from_long(long, key, f)
    meta_file = path / "mrio.json"
    meta = json.loads(meta_file.read_text()) if meta_file.exists() else {}
    Z = parts["Z"]
    idx = Z.index
    return MRIO(
        Z.reindex(columns=idx),
        parts["Y"].reindex(index=idx),
        parts["V"].reindex(columns=idx),
        parts["M"].reindex(columns=idx) if not parts["M"].empty else parts["M"],
        unit=str(meta.get("unit", "unknown")),
        name=name or str(meta.get("name", path.name)),
    )


_LAYOUT = {
    "Z": (["region", "sector"], ["region_to", "sector_to"]),
    "Y": (["region", "sector"], ["region_to", "category"]),
    "V": (["component"], ["region_to", "sector_to"]),
    "M": (["sector"], ["region_to", "sector_to"]),
}


def _coerce(values: pd.Series) -> pd.Series:
    try:
        return (
            pd.to_numeric(values).astype(int) if values.dtype == object or values.dtype == "str" else values
        )
    except (ValueError, TypeError):
        return values


def _from_long(long: pd.DataFrame, key: str, f: Path) -> pd.DataFrame:
    rows, cols = _LAYOUT[key]
    need = [*rows, *cols, "value"]
    missing = [c for c in need if c not in long.columns]
    if missing:
        raise SchemaError(f"{f}: missing column(s) {missing}; expected {need} (long format, one flow a row)")
    for c in ("region", "region_to"):
        if c in long.columns:
            long[c] = _coerce(long[c])
    wide = long.pivot_table(index=rows, columns=cols, values="value", aggfunc="sum", sort=False).fillna(0.0)
    if key in ("Z", "V", "M"):
        wide.columns = wide.columns.set_names(["region", "sector"])
    else:
        wide.columns = wide.columns.set_names(["region", "category"])
    return wide


def write_mrio(mrio: MRIO, path: str | Path, fmt: str = "parquet") -> Path:
    """Write Z, Y, V, M as long tables (non-zeros only, float64) plus ``mrio.json`` (unit, name)."""
    if fmt not in ("csv", "parquet"):
        raise DataFileError(f"unknown MRIO format {fmt!r}; expected csv or parquet")
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    for key, df in (("Z", mrio.Z), ("Y", mrio.Y), ("V", mrio.V), ("M", mrio.M)):
        if df.empty:
            continue
        rows, cols = _LAYOUT[key]
        arr = df.to_numpy()
        r, c = np.nonzero(arr)
        ri, ci = df.index[r], df.columns[c]
        data: dict[str, Any] = {}
        for k, name in enumerate(rows):
            data[name] = ri.get_level_values(k) if isinstance(ri, pd.MultiIndex) else ri
        for k, name in enumerate(cols):
            data[name] = ci.get_level_values(k)
        data["value"] = arr[r, c]
        long = pd.DataFrame(data)
        if fmt == "parquet":
            long.to_parquet(path / f"{key}.parquet", index=False, compression="zstd")
        else:
            long.to_csv(path / f"{key}.csv", index=False, float_format="%.17g")
    (path / "mrio.json").write_text(
        json.dumps(
            {
                "name": mrio.name,
                "unit": mrio.unit,
                **{k: v for k, v in mrio.summary().items() if k not in ("name", "unit")},
            },
            indent=2,
        )
    )
    return path


def to_pymrio_folder(mrio: MRIO, path: str | Path) -> Path:
    """Write Z.txt / Y.txt / file_parameters.json in pymrio's ``IOSystem.save`` layout."""
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    mrio.Z.to_csv(path / "Z.txt", sep="\t")
    mrio.Y.to_csv(path / "Y.txt", sep="\t")
    params = {
        "files": {
            "Z": {"name": "Z.txt", "nr_index_col": "2", "nr_header": "2"},
            "Y": {"name": "Y.txt", "nr_index_col": "2", "nr_header": "2"},
        },
        "systemtype": "IOSystem",
        "name": mrio.name,
    }
    (path / "file_parameters.json").write_text(json.dumps(params, indent=4))
    return path


# ----------------------------------------------------------------------------- CEADs provincial MRIO
# The 31 provincial-level regions (adcode, English, Chinese short name) that CEADs tables label.
_PROVINCES = (
    (110000, "Beijing", "北京"), (120000, "Tianjin", "天津"), (130000, "Hebei", "河北"),
    (140000, "Shanxi", "山西"), (150000, "Inner Mongolia", "内蒙古"), (210000, "Liaoning", "辽宁"),
    (220000, "Jilin", "吉林"), (230000, "Heilongjiang", "黑龙江"), (310000, "Shanghai", "上海"),
    (320000, "Jiangsu", "江苏"), (330000, "Zhejiang", "浙江"), (340000, "Anhui", "安徽"),
    (350000, "Fujian", "福建"), (360000, "Jiangxi", "江西"), (370000, "Shandong", "山东"),
    (410000, "Henan", "河南"), (420000, "Hubei", "湖北"), (430000, "Hunan", "湖南"),
    (440000, "Guangdong", "广东"), (450000, "Guangxi", "广西"), (460000, "Hainan", "海南"),
    (500000, "Chongqing", "重庆"), (510000, "Sichuan", "四川"), (520000, "Guizhou", "贵州"),
    (530000, "Yunnan", "云南"), (540000, "Tibet", "西藏"), (610000, "Shaanxi", "陕西"),
    (620000, "Gansu", "甘肃"), (630000, "Qinghai", "青海"), (640000, "Ningxia", "宁夏"),
    (650000, "Xinjiang", "新疆"),
)  # fmt: skip
_PROVINCE_ALIASES = {"xizang": 540000, "neimenggu": 150000, "innermongolia": 150000, "neimongol": 150000}

# header / row keywords (lower case, matched as substrings), checked in this order
_CEADS_COLUMNS = (
    ("total output", "GO"), ("总产出", "GO"), ("total intermediate", "TIU"), ("中间使用合计", "TIU"),
    ("total final", "TFU"), ("最终使用合计", "TFU"), ("export", "EX"), ("出口", "EX"),
    ("import", "IM"), ("进口", "IM"), ("other", "ERR"), ("error", "ERR"), ("其他", "ERR"), ("误差", "ERR"),
    ("rural", "FU101"), ("农村", "FU101"), ("urban", "FU102"), ("城镇", "FU102"),
    ("government", "FU103"), ("政府", "FU103"), ("inventor", "FU202"), ("存货", "FU202"),
    ("fixed capital", "FU201"), ("固定资本", "FU201"), ("capital formation", "FU201"), ("资本形成", "FU201"),
    ("household", "THC"), ("居民消费", "THC"),
)  # fmt: skip
_CEADS_ROWS = (
    ("total intermediate", "TII"), ("中间投入合计", "TII"), ("total value", "TVA"), ("增加值合计", "TVA"),
    ("total input", "TI"), ("总投入", "TI"), ("import", "IM"), ("进口", "IM"),
    ("compensation", "VA001"), ("劳动者报酬", "VA001"), ("tax", "VA002"), ("生产税", "VA002"),
    ("depreciation", "VA003"), ("折旧", "VA003"), ("operating surplus", "VA004"), ("营业盈余", "VA004"),
    ("value added", "VA"), ("增加值", "VA"),
)  # fmt: skip


def _province_lookup(extra: Mapping[str, int] | None) -> dict[str, int]:
    lookup: dict[str, int] = dict(_PROVINCE_ALIASES)
    for code, en, zh in _PROVINCES:
        for key in (str(code), en, zh):
            lookup[normalise_name(key)] = code
    for key, code in (extra or {}).items():
        lookup[normalise_name(key)] = int(code)
    return lookup


def _keyword(text: str, table: tuple[tuple[str, str], ...]) -> str | None:
    t = text.lower()
    if t in {"go", "tiu", "tfu", "ex", "im", "err", "tii", "tva", "ti"}:
        return t.upper()
    return next((code for key, code in table if key in t), None)


def _sector_label(text: str) -> str:
    return f"sec{int(text):02d}" if text.isdigit() else text


def read_ceads_mrio(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    regions: Mapping[str, int] | None = None,
    unit: str = "1e4 CNY",
    rtol: float = 1e-6,
    name: str | None = None,
) -> MRIO:
    r"""A CEADs provincial MRIO workbook (31 provinces × 42 sectors, one sheet) as an :class:`MRIO`.

    Layout (Mi et al. 2018, *Sci. Data* 5:180155, Table 5; Zheng et al. 2021, *Sci. Data* 8:244):
    a region header row (province name over every column of its block, merged cells allowed) above a
    label row; label columns on the left: region (name, Chinese name or adcode; merged allowed), sector
    code (1…42 → ``sec01``…) and optionally its name. Columns: the intermediate block (same
    region-sector order as the rows), optional total intermediate use, per-region final-use columns
    (rural / urban household, government consumption, fixed capital formation, inventory change),
    export, optional total final use and "Others" (error), and total output. Rows below the industries:
    import (imported inputs of every column, a row ``imports`` of ``M``), optional total intermediate
    input, the value-added rows (compensation, net taxes, depreciation, operating surplus), optional
    total value added, total input. Chinese labels (出口, 总产出, 进口, 劳动者报酬…) are recognised too.

    Export and error columns are attributed to the row's own region (categories ``EX``, ``ERR``).
    Checks, each naming the cell: every industry row :math:`x_i = \sum_j z_{ij} + \sum_k y_{ik}` equals
    the total output column, and total input equals total output (relative tolerance ``rtol``).
    ``regions`` maps extra labels to adcodes.
    """
    from hinterland.economy._national import _Grid

    path = Path(path)
    if not path.is_file():
        raise DataFileError(
            f"CEADs MRIO workbook {path} does not exist. Fix: give the path of the .xlsx file."
        )
    g = _Grid(path, sheet)
    raw = g.raw
    n_rows, n_cols = raw.shape
    lookup = _province_lookup(regions)

    def region_of(text: str) -> int | None:
        return lookup.get(normalise_name(text)) if text else None

    # header rows: a region row (provinces over the column blocks) with the label row just below it;
    # "Total output" sits in either of them
    r_go = next(
        (r for r in range(min(n_rows, 25)) if any(_keyword(g.text(r, c), _CEADS_COLUMNS) == "GO"
                                                  for c in range(n_cols))),
        None,
    )  # fmt: skip
    if r_go is None:
        raise DataFileError(
            f"{g.where}: no 'Total output' (总产出) header cell in the first 25 rows. Fix: give the CEADs "
            "MRIO sheet (region header row, label row, a 'Total output' column)."
        )
    counts = [sum(region_of(g.text(r, c)) is not None for c in range(n_cols)) for r in range(r_go + 2)]
    if max(counts) == 0:
        raise DataFileError(
            f"{g.where}: no header row (rows 1-{r_go + 2}) names provinces over the columns. Fix: add the "
            "region header row (e.g. Beijing over its 42 columns; merged cells are fine) or pass regions=."
        )
    h1 = int(np.argmax(counts))
    h2 = h1 + 1
    first = next(c for c in range(n_cols) if region_of(g.text(h1, c)))
    label_cols = list(range(first))
    if not label_cols:
        raise DataFileError(
            f"{g.where}: no label columns left of {g.cell(h1, first)}. Fix: add region and sector labels."
        )

    # rows: industries (region, sector), then import / value-added / total rows
    industries: list[tuple[int, str]] = []
    ind_rows: list[int] = []
    special: dict[str, int] = {}
    va_rows: list[tuple[str, int]] = []
    current: int | None = None
    for r in range(max(h2, r_go) + 1, n_rows):
        labels = [g.text(r, c) for c in label_cols]
        if not any(labels):
            continue
        reg_pos = next((k for k, t in enumerate(labels) if region_of(t)), None)
        key = _keyword(" ".join(labels), _CEADS_ROWS)
        if reg_pos is not None and any(labels[reg_pos + 1 :]):
            current = region_of(labels[reg_pos])
            sector = next(t for t in labels[reg_pos + 1 :] if t)
        elif reg_pos is None and current is not None and not special and key is None and labels[0] == "":
            sector = next(t for t in labels if t)  # region cell merged over the block
        elif key is not None:
            if key.startswith("VA"):
                va_rows.append((key if key != "VA" else " ".join(t for t in labels if t), r))
            else:
                special[key] = r
            current = None
            continue
        else:
            raise DataFileError(
                f"{g.where}, row {r + 1}: label {' | '.join(labels)!r} is neither a region-sector row nor a "
                "known total row (import, value-added components, total input). Fix: correct or delete it."
            )
        if special or va_rows:
            raise DataFileError(
                f"{g.where}, row {r + 1}: industry row after the import / value-added rows. Fix: keep all "
                "region-sector rows together at the top."
            )
        assert current is not None
        industries.append((current, _sector_label(sector)))
        ind_rows.append(r)
    if not industries:
        raise DataFileError(f"{g.where}: no region-sector rows below row {h2 + 1}. Fix: check the sheet.")
    reg_list = list(dict.fromkeys(i[0] for i in industries))
    sec_list = list(dict.fromkeys(i[1] for i in industries))
    idx = industry_index(reg_list, sec_list)
    if list(idx) != industries:
        raise DataFileError(
            f"{g.where}: the {len(industries)} region-sector rows are not {len(reg_list)} regions × "
            f"{len(sec_list)} sectors in region-major order. Fix: give every region the same sectors in the "
            "same order."
        )
    for need in ("TI",):
        if need not in special:
            raise DataFileError(
                f"{g.where}: no 'Total input' (总投入) row. Fix: add it below the value added."
            )
    if not va_rows:
        raise DataFileError(f"{g.where}: no value-added rows (compensation of employees …). Fix: add them.")

    # columns: intermediate block first (checked against the row labels), then final demand & totals
    N = len(industries)
    z_cols = list(range(first, first + N))
    if first + N > n_cols:
        raise DataFileError(f"{g.where}: {N} industry rows but only {n_cols - first} data columns.")
    reg_hdr: int | None = None
    for k, c in enumerate(z_cols):
        reg_hdr = region_of(g.text(h1, c)) or reg_hdr
        if reg_hdr != industries[k][0]:
            raise DataFileError(
                f"{g.where}, {g.cell(h1, c)}: intermediate column {k + 1} is headed by region {reg_hdr} "
                f"but row {k + 1} of the block is region {industries[k][0]}. Fix: columns must follow the "
                "rows' order."
            )
    y_cols: list[tuple[int, tuple[int, str] | str]] = []
    col_region: int | None = None
    for c in range(first + N, n_cols):
        top, lab = g.text(h1, c), g.text(h2, c)
        if not top and not lab:
            continue
        col_region = region_of(top) or (None if top else col_region)
        key = _keyword(lab or top, _CEADS_COLUMNS)
        if key in ("GO", "TIU", "TFU", "EX", "ERR", "IM"):
            y_cols.append((c, key))
        elif key is not None and col_region is not None:
            y_cols.append((c, (col_region, key)))
        else:
            raise DataFileError(
                f"{g.where}, {g.cell(h2, c)}: column {lab or top!r} (region {col_region}) is not a known "
                "final-use column. Fix: label it rural / urban / government consumption, fixed capital "
                "formation, inventory change, export, other or total output (or 农村居民消费, 出口, "
                "总产出 …)."
            )
    go_c = next((c for c, k in y_cols if k == "GO"), None)
    assert go_c is not None
    Z = g.numbers(ind_rows, z_cols, "intermediate use")
    go = g.numbers(ind_rows, [go_c], "total output")[:, 0]
    ycat = [(c, k) for c, k in y_cols if isinstance(k, tuple) or k in ("EX", "ERR", "IM")]
    cats = list(dict.fromkeys(k[1] for _, k in ycat if isinstance(k, tuple)))
    extra = [k for _, k in ycat if isinstance(k, str)]
    ycols_idx = pd.MultiIndex.from_tuples(
        [(r, cat) for r in reg_list for cat in [*cats, *[e for e in ("EX", "ERR", "IM") if e in extra]]],
        names=["region", "category"],
    )
    Y = pd.DataFrame(0.0, index=idx, columns=ycols_idx)
    row_regions = np.array([i[0] for i in industries])
    for c, kind in ycat:
        vals = g.numbers(ind_rows, [c], "final use")[:, 0]
        if isinstance(kind, tuple):
            Y[kind] = Y[kind].to_numpy() + vals
        else:
            if kind == "IM" and (vals > 0).sum() > (vals < 0).sum():
                vals = -vals  # an import column stored positive is subtracted
            for reg in reg_list:
                mask = row_regions == reg
                col = Y[(reg, kind)].to_numpy().copy()
                col[mask] += vals[mask]
                Y[(reg, kind)] = col
    V = pd.DataFrame(
        g.numbers([r for _, r in va_rows], z_cols, "value added"),
        index=pd.Index([k for k, _ in va_rows], name="component"),
        columns=idx,
    )
    M = pd.DataFrame()
    if "IM" in special:
        m_row = g.numbers([special["IM"]], z_cols, "imports")
        M = pd.DataFrame(m_row, index=pd.Index(["imports"], name="sector"), columns=idx)
    ti = g.numbers([special["TI"]], z_cols, "total input")[0]
    problems: list[Problem] = []
    rows_tot = Z.sum(axis=1) + Y.to_numpy().sum(axis=1)
    scale = np.maximum(np.abs(go), 1.0)
    for k in np.flatnonzero(np.abs(rows_tot - go) > rtol * scale)[:10]:
        problems.append(
            Problem(
                "row_balance",
                f"industry {industries[k]}: total output {go[k]:.10g} but intermediate + final use = "
                f"{rows_tot[k]:.10g}",
                file=g.where,
                row=ind_rows[k] + 1,
                column="total output",
                fix="balance the row (the residual belongs in the 'Others' column)",
            )
        )
    for k in np.flatnonzero(np.abs(ti - go) > rtol * scale)[:10]:
        problems.append(
            Problem(
                "input_output",
                f"industry {industries[k]}: total input {ti[k]:.10g} ≠ total output {go[k]:.10g} "
                f"({g.cell(special['TI'], z_cols[k])})",
                file=g.where,
                row=special["TI"] + 1,
                fix="total input and total output must be equal",
            )
        )
    if problems:
        raise ValidationError(problems, f"CEADs MRIO {g.where}")
    Zdf = pd.DataFrame(Z, index=idx, columns=idx)
    return MRIO(Zdf, Y, V, M, unit=unit, name=name or path.stem, rtol=rtol)


def read_io_file(path: str | Path, *, name: str | None = None) -> MRIO:
    """A single-file IO table: a national NBS table (header row with a ``Code`` cell, either import
    layout, see :func:`read_national_io`) or else a CEADs provincial MRIO workbook
    (:func:`read_ceads_mrio`)."""
    from hinterland.economy._national import _find_header, _Grid, read_national_io

    path = Path(path)
    try:
        _, cols = _find_header(_Grid(path, None))
        national = "GO" in cols and "TIU" in cols
    except DataFileError:
        if path.suffix.lower() not in (".xlsx", ".xlsm", ".xls"):
            raise
        national = False
    return read_national_io(path, name=name) if national else read_ceads_mrio(path, name=name)

"""The result store: runs, their provenance and their result tables in one embedded DuckDB file.

One file per workspace (default ``./hinterland_runs.duckdb``) holds

* ``hl_meta``: ``format = hinterland-runstore`` and ``schema_version`` (how a store is recognised);
* ``hl_runs``: one row per run: id, kind, status (``running``, ``finished``, ``failed``,
  ``interrupted``), created/updated/finished times, the config as canonical JSON and its SHA-256,
  SHA-256 of every input file, the code version (package version + ``git describe``), the seed, the
  timings per stage (JSON), the error text, host, pid and the number of attempts (resumes);
* ``hl_tables``: the catalogue of result tables (run id, name, DuckDB table, shape and the pandas
  metadata needed to rebuild the frame exactly: index names, column labels and dtypes);
* one DuckDB table per result table (``r_<hash>``: plain columns, queryable with SQL);
* ``hl_checkpoints``: finished ensemble tasks (run id, key, seconds, the frame as a Parquet blob), so
  an interrupted ensemble resumes without recomputing them.

Every write opens the file, writes in one transaction and closes it again, so a killed process never
leaves half a table and other processes can read between writes (DuckDB allows one writer *or*
many readers per file; a connection that finds the file locked waits and retries). A run is never
overwritten: tables and checkpoints are write-once and a finished run is read-only.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import hashlib
import io
import json
import math
import os
import re
import secrets
import socket
import subprocess
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from hinterland import __version__
from hinterland.errors import ConfigError, DataFileError, UnknownIdError

__all__ = [
    "DEFAULT_STORE",
    "RUN_STATUSES",
    "ConfigChange",
    "RunDiff",
    "RunRecord",
    "RunStore",
    "code_version",
    "config_hash",
    "hash_file",
    "hash_inputs",
]

DEFAULT_STORE = Path("hinterland_runs.duckdb")
RUN_STATUSES = ("running", "finished", "failed", "interrupted")
STORE_FORMAT = "hinterland-runstore"
SCHEMA_VERSION = 1
_MISSING = "<missing>"

_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS hl_meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
    """CREATE TABLE IF NOT EXISTS hl_runs (
        run_id VARCHAR PRIMARY KEY, kind VARCHAR NOT NULL, status VARCHAR NOT NULL,
        created TIMESTAMP NOT NULL, updated TIMESTAMP NOT NULL, finished TIMESTAMP,
        config VARCHAR NOT NULL, config_hash VARCHAR NOT NULL, inputs VARCHAR NOT NULL,
        code_version VARCHAR NOT NULL, seed BIGINT, timings VARCHAR NOT NULL, error VARCHAR,
        host VARCHAR, pid INTEGER, attempts INTEGER NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS hl_tables (
        run_id VARCHAR NOT NULL, name VARCHAR NOT NULL, sql_table VARCHAR NOT NULL,
        n_rows BIGINT NOT NULL, n_cols INTEGER NOT NULL, meta VARCHAR NOT NULL,
        created TIMESTAMP NOT NULL, PRIMARY KEY (run_id, name))""",
    """CREATE TABLE IF NOT EXISTS hl_checkpoints (
        run_id VARCHAR NOT NULL, key VARCHAR NOT NULL, seconds DOUBLE, n_rows BIGINT NOT NULL,
        data BLOB NOT NULL, created TIMESTAMP NOT NULL, PRIMARY KEY (run_id, key))""",
)


class _MissingRun(Exception):
    """Raised inside a transaction; turned into UnknownIdError (with close ids) once it is closed."""


# One lock per store file: DuckDB refuses two connections with different settings in one process.
_PROCESS_LOCKS: dict[str, threading.Lock] = {}
_PROCESS_LOCKS_GUARD = threading.Lock()


def _process_lock(path: Path) -> threading.Lock:
    with _PROCESS_LOCKS_GUARD:
        return _PROCESS_LOCKS.setdefault(str(path), threading.Lock())


# ---------------------------------------------------------------- provenance helpers


def _json_default(obj: object) -> object:
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.floating):
        return float(obj)
    if isinstance(obj, np.bool_):
        return bool(obj)
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    if isinstance(obj, Path):
        return str(obj)
    if isinstance(obj, (set, frozenset)):
        return sorted(obj, key=str)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return dataclasses.asdict(obj)
    raise ConfigError(
        f"config value {obj!r} of type {type(obj).__name__} cannot be stored as JSON. "
        "Fix: give numbers, strings, booleans, lists or mappings."
    )


def _canonical_json(obj: object) -> str:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_json_default)


def config_hash(config: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of ``config`` (sorted keys), the identity of a configuration."""
    return hashlib.sha256(_canonical_json(config).encode("utf-8")).hexdigest()


def hash_file(path: str | Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    try:
        with Path(path).open("rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise DataFileError(f"cannot hash input file {path}: {exc}. Fix: check the path.") from exc
    return digest.hexdigest()


_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def hash_inputs(inputs: Mapping[str, str | Path] | None) -> dict[str, str]:
    """``name → sha256``: files (or folders, hashed file by file in name order) are hashed; a value
    that already is a 64-hex digest is kept."""
    out: dict[str, str] = {}
    for name, value in (inputs or {}).items():
        if isinstance(value, str) and _HEX64.match(value):
            out[str(name)] = value
            continue
        path = Path(value)
        if path.is_dir():
            digest = hashlib.sha256()
            for item in sorted(p for p in path.rglob("*") if p.is_file()):
                digest.update(item.relative_to(path).as_posix().encode("utf-8"))
                digest.update(hash_file(item).encode("ascii"))
            out[str(name)] = digest.hexdigest()
        else:
            out[str(name)] = hash_file(path)
    return out


@lru_cache(maxsize=1)
def code_version() -> str:
    """The package version, plus ``git describe --always --dirty`` when run from a git checkout."""
    here = Path(__file__).resolve().parent
    try:
        done = subprocess.run(
            ["git", "describe", "--always", "--dirty", "--tags"],
            cwd=here,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return __version__
    describe = done.stdout.strip()
    return f"{__version__}+git.{describe}" if done.returncode == 0 and describe else __version__


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# ---------------------------------------------------------------- DataFrame <-> DuckDB table


def _label_to_json(label: object) -> object:
    if isinstance(label, tuple):
        return {"tuple": [_label_to_json(x) for x in label]}
    if isinstance(label, (np.integer, np.floating, np.bool_)):
        return label.item()
    if label is None or isinstance(label, (str, int, float, bool)):
        return label
    return str(label)


def _label_from_json(value: object) -> object:
    if isinstance(value, dict) and "tuple" in value:
        return tuple(_label_from_json(x) for x in value["tuple"])
    return value


def _sql_names(labels: Sequence[object]) -> list[str]:
    names: list[str] = []
    seen: set[str] = set()
    for label in labels:
        base = "/".join(map(str, label)) if isinstance(label, tuple) else str(label)
        name, k = base, 2
        while name.lower() in seen:
            name, k = f"{base}__{k}", k + 1
        seen.add(name.lower())
        names.append(name)
    return names


def _frame_to_sql(df: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, Any]]:
    """A flat frame with SQL-safe unique column names and the metadata that rebuilds ``df``."""
    if not isinstance(df, pd.DataFrame):
        raise ConfigError(f"expected a pandas DataFrame, got {type(df).__name__}")
    range_index = isinstance(df.index, pd.RangeIndex) and df.index.name is None and df.index.start == 0
    range_index = range_index and df.index.step == 1
    index_names = list(df.index.names)
    idx_labels = (
        [] if range_index else [n if n is not None else f"index_{j}" for j, n in enumerate(index_names)]
    )
    col_labels = list(df.columns)
    names = _sql_names([*idx_labels, *col_labels])
    data: dict[str, Any] = {
        name: df.index.get_level_values(j) for j, name in enumerate(names[: len(idx_labels)])
    }
    for k, name in enumerate(names[len(idx_labels) :]):
        data[name] = df.iloc[:, k].to_numpy()
    flat = pd.DataFrame(data)  # built at once: wide frames (thousands of columns) stay fast
    dummy = flat.shape[1] == 0
    if dummy:
        flat = pd.DataFrame({"__rows": np.zeros(len(df), dtype=np.int8)})
    meta = {
        "range_index": range_index,
        "index_names": [_label_to_json(n) for n in index_names],
        "index_sql": names[: len(idx_labels)],
        "index_dtypes": [str(df.index.get_level_values(j).dtype) for j in range(len(idx_labels))],
        "columns": [_label_to_json(c) for c in col_labels],
        "columns_names": [_label_to_json(n) for n in df.columns.names],
        "columns_dtype": str(df.columns.dtype),
        "columns_sql": names[len(idx_labels) :],
        "dtypes": [str(t) for t in df.dtypes],
        "dummy": dummy,
    }
    return flat, meta


def _restore_dtype(series: pd.Series, dtype: str) -> pd.Series:
    if str(series.dtype) == dtype:
        return series
    try:
        return series.astype(dtype)
    except (TypeError, ValueError):
        return series


def _frame_from_sql(flat: pd.DataFrame, meta: Mapping[str, Any]) -> pd.DataFrame:
    n = len(flat)
    data = {
        k: _restore_dtype(flat[name], dtype)
        for k, (name, dtype) in enumerate(zip(meta["columns_sql"], meta["dtypes"], strict=True))
    }
    labels = [_label_from_json(c) for c in meta["columns"]]
    out = pd.DataFrame(data, index=pd.RangeIndex(n))
    if labels and all(isinstance(c, tuple) for c in labels):
        out.columns = pd.MultiIndex.from_tuples(labels)  # type: ignore[arg-type]
    else:
        out.columns = pd.Index(labels, dtype=object if labels else None)
        want = meta.get("columns_dtype")
        if want and labels and str(out.columns.dtype) != want:
            with contextlib.suppress(TypeError, ValueError):
                out.columns = out.columns.astype(want)
    out.columns.names = [_label_from_json(x) for x in meta["columns_names"]]  # type: ignore[misc]
    if not labels:
        out = out.iloc[:, :0]
    if not meta["range_index"]:
        levels = [
            pd.Index(_restore_dtype(flat[name], dtype))
            for name, dtype in zip(meta["index_sql"], meta["index_dtypes"], strict=True)
        ]
        names = [_label_from_json(x) for x in meta["index_names"]]
        if len(levels) == 1:
            out.index = levels[0].rename(names[0])
        else:
            out.index = pd.MultiIndex.from_arrays(levels, names=names)
    return out


def _frame_to_parquet(df: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame = df
    if not all(isinstance(c, str) for c in df.columns) or isinstance(df.columns, pd.MultiIndex):
        flat, meta = _frame_to_sql(df)
        frame = flat
        frame.attrs = {}
        buf.write(b"HLF1")
        blob = json.dumps(meta).encode("utf-8")
        buf.write(len(blob).to_bytes(8, "little"))
        buf.write(blob)
    frame.to_parquet(buf)
    return buf.getvalue()


def _frame_from_parquet(data: bytes) -> pd.DataFrame:
    if data[:4] == b"HLF1":
        size = int.from_bytes(data[4:12], "little")
        meta = json.loads(data[12 : 12 + size].decode("utf-8"))
        flat = pd.read_parquet(io.BytesIO(data[12 + size :]))
        return _frame_from_sql(flat, meta)
    return pd.read_parquet(io.BytesIO(data))


# ---------------------------------------------------------------- records and diffs


@dataclass(frozen=True)
class RunRecord:
    """One run as stored: provenance, status, timings and the names of its tables."""

    run_id: str
    kind: str
    status: str
    created: datetime
    updated: datetime
    finished: datetime | None
    config: dict[str, Any]
    config_hash: str
    inputs: dict[str, str]
    code_version: str
    seed: int | None
    timings: dict[str, float]
    error: str | None
    host: str | None
    pid: int | None
    attempts: int
    tables: tuple[str, ...] = ()
    n_checkpoints: int = 0

    @property
    def seconds(self) -> float:
        """Total recorded time over stages (s)."""
        return float(sum(self.timings.values()))


@dataclass(frozen=True)
class ConfigChange:
    """One changed leaf of two configs (dotted key path); ``"<missing>"`` where a side lacks it."""

    key: str
    a: Any
    b: Any


@dataclass(frozen=True)
class RunDiff:
    """What differs between runs ``a`` and ``b``.

    ``fields``: kind, seed, code version, config hash and status where they differ; ``config``: the
    changed config leaves; ``inputs``: input files whose hashes differ; ``tables``: one row per table
    name (index ``table``) with ``in_a, in_b, rows_a, rows_b, rows_common, cells, cells_different,
    max_abs_diff, max_rel_diff`` over numeric columns aligned on the index.
    """

    a: str
    b: str
    fields: tuple[ConfigChange, ...]
    config: tuple[ConfigChange, ...]
    inputs: tuple[ConfigChange, ...]
    tables: pd.DataFrame = field(repr=False)

    @property
    def identical(self) -> bool:
        """Same config and inputs, and every table present in both with no differing cell."""
        if self.config or self.inputs:
            return False
        t = self.tables
        if t.empty:
            return True
        same_shape = bool((t["in_a"] & t["in_b"] & (t["rows_a"] == t["rows_b"])).all())
        return same_shape and int(t["cells_different"].sum()) == 0


def _flatten(obj: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(obj, Mapping) and not obj and not prefix:
        return {}
    if isinstance(obj, Mapping) and obj:
        out: dict[str, Any] = {}
        for k, v in obj.items():
            out.update(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    return {prefix: obj}


def _dict_changes(a: Mapping[str, Any], b: Mapping[str, Any]) -> tuple[ConfigChange, ...]:
    fa, fb = _flatten(a), _flatten(b)
    keys = sorted(set(fa) | set(fb))
    return tuple(
        ConfigChange(k, fa.get(k, _MISSING), fb.get(k, _MISSING))
        for k in keys
        if _canonical_json(fa.get(k, _MISSING)) != _canonical_json(fb.get(k, _MISSING))
    )


def _table_diff(a: pd.DataFrame, b: pd.DataFrame) -> dict[str, Any]:
    row: dict[str, Any] = {"rows_a": len(a), "rows_b": len(b)}
    if a.index.is_unique and b.index.is_unique:
        common = a.index.intersection(b.index)
        a2, b2 = a.loc[common], b.loc[common]
    else:
        k = min(len(a), len(b))
        a2, b2 = a.iloc[:k], b.iloc[:k]
        common = a2.index
    cols = [c for c in a.columns if c in set(b.columns)]
    cells = different = 0
    max_abs = max_rel = 0.0
    for c in cols:
        sa, sb = a2[c], b2[c]
        if isinstance(sa, pd.DataFrame) or isinstance(sb, pd.DataFrame):
            continue  # duplicate column labels: not compared
        if pd.api.types.is_numeric_dtype(sa) and pd.api.types.is_numeric_dtype(sb):
            va = sa.to_numpy(dtype=float, na_value=np.nan)
            vb = sb.to_numpy(dtype=float, na_value=np.nan)
            both_nan = np.isnan(va) & np.isnan(vb)
            diff = np.where(both_nan, 0.0, np.abs(va - vb))
            diff = np.where(np.isnan(diff), np.inf, diff)
            cells += len(va)
            different += int(np.count_nonzero(diff))
            if len(diff):
                max_abs = max(max_abs, float(diff.max()))
                scale = np.maximum(np.abs(va), np.abs(vb))
                with np.errstate(divide="ignore", invalid="ignore"):
                    rel = np.where(diff == 0, 0.0, diff / scale)
                rel = np.where(np.isnan(rel), np.inf, rel)
                max_rel = max(max_rel, float(rel.max()))
        else:
            neq = ~(sa.astype(str).to_numpy() == sb.astype(str).to_numpy())
            cells += len(sa)
            different += int(neq.sum())
    only = len(set(a.columns) ^ set(b.columns))
    row.update(
        rows_common=len(common),
        columns_not_shared=only,
        cells=cells,
        cells_different=different,
        max_abs_diff=max_abs,
        max_rel_diff=max_rel,
    )
    return row


# ---------------------------------------------------------------- the store


class RunStore:
    """Runs and their result tables in an embedded DuckDB file (see the module docstring).

    ``RunStore(path)`` creates the file if it does not exist (``create=False`` raises instead) and
    refuses a file that is not a hinterland store. ``lock_timeout`` is how long an operation waits for
    another process that holds the file.
    """

    def __init__(self, path: str | Path = DEFAULT_STORE, *, create: bool = True, lock_timeout: float = 60.0):
        self.path = Path(path)
        self.lock_timeout = float(lock_timeout)
        if not self.path.exists():
            if not create:
                raise DataFileError(
                    f"no run store at {self.path}. Fix: run an ensemble or plan first, or pass "
                    "--store PATH to an existing store."
                )
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self._connect(read_only=False) as con:
                for stmt in _SCHEMA:
                    con.execute(stmt)
                con.execute(
                    "INSERT INTO hl_meta VALUES ('format', ?), ('schema_version', ?), ('created', ?)",
                    [STORE_FORMAT, str(SCHEMA_VERSION), _now().isoformat()],
                )
        self._check_format()

    def __repr__(self) -> str:
        return f"RunStore({str(self.path)!r})"

    # -------------------------------------------------------- connections
    @contextlib.contextmanager
    def _connect(self, read_only: bool) -> Iterator[Any]:
        import duckdb

        deadline = time.monotonic() + self.lock_timeout
        delay = 0.01
        with _process_lock(self.path.resolve()):
            while True:
                try:
                    con = duckdb.connect(str(self.path), read_only=read_only, config={"threads": 1})
                    break
                except duckdb.Error as exc:
                    msg = str(exc)
                    if "lock" in msg.lower() and time.monotonic() < deadline:
                        time.sleep(delay)
                        delay = min(delay * 2, 0.25)
                        continue
                    if "lock" in msg.lower():
                        raise DataFileError(
                            f"run store {self.path} stayed locked by another process for "
                            f"{self.lock_timeout:g} s ({msg}). Fix: wait for that process to finish, "
                            "or use another --store."
                        ) from exc
                    raise DataFileError(
                        f"{self.path} is not a hinterland run store: DuckDB cannot open it ({msg}). "
                        "Fix: pass --store PATH to a .duckdb file written by hinterland, or a new path."
                    ) from exc
            try:
                yield con
            finally:
                con.close()

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[Any]:
        with self._connect(read_only=False) as con:
            con.execute("BEGIN TRANSACTION")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    def _check_format(self) -> None:
        import duckdb

        with self._connect(read_only=True) as con:
            try:
                rows = dict(con.execute("SELECT key, value FROM hl_meta").fetchall())
            except duckdb.Error:
                rows = {}
        if rows.get("format") != STORE_FORMAT:
            raise DataFileError(
                f"{self.path} is a DuckDB file but not a hinterland run store (no hl_meta format "
                f"'{STORE_FORMAT}'). Fix: pass --store PATH to a store written by hinterland, or a new path."
            )
        version = int(rows.get("schema_version", "0"))
        if version > SCHEMA_VERSION:
            raise DataFileError(
                f"run store {self.path} has schema version {version}, newer than this hinterland "
                f"({SCHEMA_VERSION}). Fix: upgrade hinterland."
            )

    # -------------------------------------------------------- ids
    def run_ids(self) -> list[str]:
        """All run ids, oldest first."""
        with self._connect(read_only=True) as con:
            return [
                r[0] for r in con.execute("SELECT run_id FROM hl_runs ORDER BY created, run_id").fetchall()
            ]

    def resolve(self, run_id: str) -> str:
        """The full id for ``run_id``: exact, a unique prefix, or ``latest``; else :class:`UnknownIdError`
        naming the closest ids."""
        ids = self.run_ids()
        if run_id in ids:
            return run_id
        if run_id in ("latest", "last") and ids:
            return ids[-1]
        prefixed = [i for i in ids if i.startswith(run_id)] if run_id else []
        if len(prefixed) == 1:
            return prefixed[0]
        if len(prefixed) > 1:
            raise UnknownIdError(
                f"run id {run_id!r} is ambiguous in {self.path}: it starts {len(prefixed)} runs "
                f"({', '.join(prefixed[:5])}). Fix: give more characters."
            )
        close = difflib.get_close_matches(run_id, ids, n=3, cutoff=0.4)
        if not close:
            tails = {i.rsplit("-", 1)[-1]: i for i in ids}
            close = [tails[t] for t in difflib.get_close_matches(run_id, list(tails), n=3, cutoff=0.5)]
        hint = f" Closest: {', '.join(close)}." if close else ""
        known = f"{len(ids)} runs" if ids else "no runs yet"
        raise UnknownIdError(
            f"unknown run id {run_id!r} in {self.path} ({known}).{hint} "
            "Fix: list the runs with `hinterland runs list`."
        )

    # -------------------------------------------------------- runs
    def start_run(
        self,
        kind: str,
        config: Mapping[str, Any] | None = None,
        seed: int | None = None,
        inputs: Mapping[str, str | Path] | None = None,
        *,
        run_id: str | None = None,
    ) -> str:
        """Record a new run (status ``running``) and return its id ``<kind>-<UTC time>-<6 hex>``.

        ``inputs`` maps names to files/folders (hashed with SHA-256) or to ready digests. An explicit
        ``run_id`` that exists already raises :class:`ConfigError`: runs are never overwritten.
        """
        if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_\-]{0,39}", kind):
            raise ConfigError(f"run kind {kind!r}: expected a short name of letters, digits, '-' or '_'")
        cfg = dict(config or {})
        cfg_json = _canonical_json(cfg)
        digests = hash_inputs(inputs)
        now = _now()
        if run_id is None:
            run_id = f"{kind}-{now:%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
        elif not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}", run_id):
            raise ConfigError(f"run id {run_id!r}: expected letters, digits, '.', '-' or '_' (≤ 100)")
        with self._transaction() as con:
            if con.execute("SELECT 1 FROM hl_runs WHERE run_id = ?", [run_id]).fetchone():
                raise ConfigError(
                    f"run {run_id!r} already exists in {self.path}; runs are never overwritten. "
                    "Fix: resume it (same id through the runner) or start a new run."
                )
            con.execute(
                "INSERT INTO hl_runs VALUES "
                "(?, ?, 'running', ?, ?, NULL, ?, ?, ?, ?, ?, '{}', NULL, ?, ?, 1)",
                [
                    run_id,
                    kind,
                    now,
                    now,
                    cfg_json,
                    hashlib.sha256(cfg_json.encode("utf-8")).hexdigest(),
                    _canonical_json(digests),
                    code_version(),
                    None if seed is None else int(seed),
                    socket.gethostname(),
                    os.getpid(),
                ],
            )
        return run_id

    @staticmethod
    def _status(con: Any, run_id: str) -> str:
        row = con.execute("SELECT status FROM hl_runs WHERE run_id = ?", [run_id]).fetchone()
        if row is None:
            raise _MissingRun(run_id)
        return str(row[0])

    def _set_status(
        self, run_id: str, status: str, allowed: Sequence[str], error: str | None = None, **extra: Any
    ) -> None:
        run_id = self.resolve(run_id)
        with self._transaction() as con:
            current = self._status(con, run_id)
            if current not in allowed:
                raise ConfigError(
                    f"run {run_id} is {current}; cannot mark it {status} "
                    f"(allowed from: {', '.join(allowed)})."
                )
            now = _now()
            con.execute(
                "UPDATE hl_runs SET status = ?, updated = ?, error = ?, "
                "finished = CASE WHEN ? = 'finished' THEN ? ELSE finished END WHERE run_id = ?",
                [status, now, error, status, now, run_id],
            )
            if extra.get("attempt"):
                con.execute(
                    "UPDATE hl_runs SET attempts = attempts + 1, pid = ?, host = ? WHERE run_id = ?",
                    [os.getpid(), socket.gethostname(), run_id],
                )

    def record_timings(self, run_id: str, timings: Mapping[str, float]) -> None:
        """Add (or update) seconds per stage for a run that is not finished."""
        run_id = self.resolve(run_id)
        with self._transaction() as con:
            status = self._status(con, run_id)
            if status == "finished":
                raise ConfigError(f"run {run_id} is finished; its timings are frozen.")
            row = con.execute("SELECT timings FROM hl_runs WHERE run_id = ?", [run_id]).fetchone()
            merged = {**json.loads(row[0]), **{str(k): float(v) for k, v in timings.items()}}
            con.execute(
                "UPDATE hl_runs SET timings = ?, updated = ? WHERE run_id = ?",
                [_canonical_json(merged), _now(), run_id],
            )

    def finish_run(self, run_id: str, timings: Mapping[str, float] | None = None) -> None:
        """Mark a running run finished (timings per stage in seconds are merged in); it is then frozen."""
        if timings:
            self.record_timings(run_id, timings)
        self._set_status(run_id, "finished", ("running",))

    def fail_run(self, run_id: str, error: str) -> None:
        """Mark a running run failed with the error text; its finished tables and checkpoints stay."""
        self._set_status(run_id, "failed", ("running",), error=str(error))

    def interrupt_run(self, run_id: str, reason: str = "interrupted") -> None:
        """Mark a running run interrupted; finished checkpoints stay and a resume skips them."""
        self._set_status(run_id, "interrupted", ("running",), error=str(reason))

    def resume_run(self, run_id: str) -> str:
        """Set an interrupted, failed or (crashed) running run back to running; returns the full id."""
        run_id = self.resolve(run_id)
        self._set_status(run_id, "running", ("running", "failed", "interrupted"), attempt=True)
        return run_id

    def get_run(self, run_id: str) -> RunRecord:
        """The stored record of ``run_id`` (full id, unique prefix or ``latest``)."""
        run_id = self.resolve(run_id)
        with self._connect(read_only=True) as con:
            cur = con.execute("SELECT * FROM hl_runs WHERE run_id = ?", [run_id])
            cols = [d[0] for d in cur.description]
            row = dict(zip(cols, cur.fetchone(), strict=True))
            tables = [
                r[0]
                for r in con.execute(
                    "SELECT name FROM hl_tables WHERE run_id = ? ORDER BY created, name", [run_id]
                ).fetchall()
            ]
            n_ck = con.execute("SELECT count(*) FROM hl_checkpoints WHERE run_id = ?", [run_id]).fetchone()
        return RunRecord(
            run_id=row["run_id"],
            kind=row["kind"],
            status=row["status"],
            created=row["created"],
            updated=row["updated"],
            finished=row["finished"],
            config=json.loads(row["config"]),
            config_hash=row["config_hash"],
            inputs=json.loads(row["inputs"]),
            code_version=row["code_version"],
            seed=None if row["seed"] is None else int(row["seed"]),
            timings=json.loads(row["timings"]),
            error=row["error"],
            host=row["host"],
            pid=row["pid"],
            attempts=int(row["attempts"]),
            tables=tuple(tables),
            n_checkpoints=int(n_ck[0]) if n_ck else 0,
        )

    def list_runs(self) -> pd.DataFrame:
        """One row per run (index ``run_id``, oldest first): kind, status, created, finished, seed,
        config_hash (12 hex), code_version, tables, checkpoints and seconds (sum of stage timings)."""
        with self._connect(read_only=True) as con:
            df = con.execute(
                """SELECT r.run_id, r.kind, r.status, r.created, r.finished, r.seed,
                          substr(r.config_hash, 1, 12) AS config_hash, r.code_version, r.timings,
                          (SELECT count(*) FROM hl_tables t WHERE t.run_id = r.run_id) AS tables,
                          (SELECT count(*) FROM hl_checkpoints c WHERE c.run_id = r.run_id) AS checkpoints
                   FROM hl_runs r ORDER BY r.created, r.run_id"""
            ).df()
        df["seconds"] = [float(sum(json.loads(t).values())) for t in df["timings"]]
        df = df.drop(columns="timings").set_index("run_id")
        df["seed"] = df["seed"].astype("Int64")
        return df

    # -------------------------------------------------------- tables
    def put_table(self, run_id: str, name: str, df: pd.DataFrame) -> None:
        """Store ``df`` as result table ``name`` of a running run (write-once; index names, column
        labels and dtypes come back unchanged from :meth:`read_table`)."""
        run_id = self.resolve(run_id)
        if not name or len(name) > 200:
            raise ConfigError(f"table name {name!r}: expected 1-200 characters")
        flat, meta = _frame_to_sql(df)
        sql_table = "r_" + hashlib.sha1(f"{run_id}\0{name}".encode()).hexdigest()[:20]
        with self._transaction() as con:
            status = self._status(con, run_id)
            if status == "finished":
                raise ConfigError(f"run {run_id} is finished; its tables are frozen. Fix: start a new run.")
            if con.execute(
                "SELECT 1 FROM hl_tables WHERE run_id = ? AND name = ?", [run_id, name]
            ).fetchone():
                raise ConfigError(
                    f"run {run_id} already has a table {name!r}; tables are never overwritten. "
                    "Fix: use another name or a new run."
                )
            con.register("hl_incoming", flat)
            con.execute(f'CREATE TABLE "{sql_table}" AS SELECT * FROM hl_incoming')
            con.unregister("hl_incoming")
            con.execute(
                "INSERT INTO hl_tables VALUES (?, ?, ?, ?, ?, ?, ?)",
                [run_id, name, sql_table, len(df), df.shape[1], json.dumps(meta), _now()],
            )

    def table_names(self, run_id: str) -> list[str]:
        return list(self.get_run(run_id).tables)

    def read_table(self, run_id: str, name: str) -> pd.DataFrame:
        """The result table ``name`` of run ``run_id`` as it was stored."""
        run_id = self.resolve(run_id)
        with self._connect(read_only=True) as con:
            row = con.execute(
                "SELECT sql_table, meta FROM hl_tables WHERE run_id = ? AND name = ?", [run_id, name]
            ).fetchone()
            if row is None:
                names = [
                    r[0]
                    for r in con.execute("SELECT name FROM hl_tables WHERE run_id = ?", [run_id]).fetchall()
                ]
                close = difflib.get_close_matches(name, names, n=3)
                hint = f" Did you mean {', '.join(close)}?" if close else ""
                raise UnknownIdError(
                    f"run {run_id} has no table {name!r}.{hint} Tables: {', '.join(names) or 'none'}."
                )
            flat = con.execute(f'SELECT * FROM "{row[0]}"').df()
        return _frame_from_sql(flat, json.loads(row[1]))

    # -------------------------------------------------------- checkpoints
    def checkpoint(self, run_id: str, key: str, df: pd.DataFrame, seconds: float | None = None) -> None:
        """Store one finished task's frame under ``key`` at once (one transaction; write-once)."""
        self.checkpoint_many(run_id, [(key, df, seconds)])

    def checkpoint_many(self, run_id: str, items: Sequence[tuple[str, pd.DataFrame, float | None]]) -> None:
        """Store several finished tasks ``(key, frame, seconds)`` in one transaction (all or none)."""
        rows = []
        for key, df, seconds in items:
            if not isinstance(df, pd.DataFrame):
                raise ConfigError(f"checkpoint {key!r}: expected a pandas DataFrame, got {type(df).__name__}")
            secs = None if seconds is None or not math.isfinite(seconds) else float(seconds)
            rows.append((str(key), secs, len(df), _frame_to_parquet(df)))
        if len({r[0] for r in rows}) != len(rows):
            raise ConfigError(f"run {run_id}: duplicate checkpoint keys in one batch")
        try:
            self._insert_checkpoints(run_id, rows)
        except _MissingRun:
            self.resolve(run_id)  # raises UnknownIdError naming the closest ids
            raise

    def _insert_checkpoints(self, run_id: str, rows: list[tuple[str, float | None, int, bytes]]) -> None:
        with self._transaction() as con:
            status = self._status(con, run_id)
            if status == "finished":
                raise ConfigError(f"run {run_id} is finished; cannot add checkpoints.")
            keys = [r[0] for r in rows]
            placeholders = ", ".join("?" for _ in keys)
            existing = con.execute(
                f"SELECT key FROM hl_checkpoints WHERE run_id = ? AND key IN ({placeholders})",
                [run_id, *keys],
            ).fetchall()
            if existing:
                raise ConfigError(
                    f"run {run_id} already has checkpoint(s) {sorted(r[0] for r in existing)}; "
                    "checkpoints are write-once."
                )
            now = _now()
            con.executemany(
                "INSERT INTO hl_checkpoints VALUES (?, ?, ?, ?, ?, ?)",
                [[run_id, key, secs, n, blob, now] for key, secs, n, blob in rows],
            )

    def checkpoints(self, run_id: str) -> set[str]:
        """Keys of the finished tasks of ``run_id``."""
        run_id = self.resolve(run_id)
        with self._connect(read_only=True) as con:
            rows = con.execute("SELECT key FROM hl_checkpoints WHERE run_id = ?", [run_id]).fetchall()
        return {r[0] for r in rows}

    def read_checkpoints(self, run_id: str, keys: Sequence[str] | None = None) -> dict[str, pd.DataFrame]:
        """The frames of the finished tasks (all, or those of ``keys`` that exist), by key."""
        run_id = self.resolve(run_id)
        with self._connect(read_only=True) as con:
            rows = con.execute(
                "SELECT key, data FROM hl_checkpoints WHERE run_id = ? ORDER BY key", [run_id]
            ).fetchall()
        wanted = None if keys is None else set(keys)
        return {k: _frame_from_parquet(bytes(d)) for k, d in rows if wanted is None or k in wanted}

    def checkpoint_seconds(self, run_id: str) -> pd.Series:
        """Seconds each finished task took (index ``key``)."""
        run_id = self.resolve(run_id)
        with self._connect(read_only=True) as con:
            rows = con.execute(
                "SELECT key, seconds FROM hl_checkpoints WHERE run_id = ? ORDER BY key", [run_id]
            ).fetchall()
        return pd.Series(
            [np.nan if s is None else s for _, s in rows],
            index=pd.Index([k for k, _ in rows], name="key"),
            name="seconds",
            dtype=float,
        )

    # -------------------------------------------------------- comparison
    def diff_runs(self, a: str, b: str) -> RunDiff:
        """Compare two runs: provenance fields, config leaves, input hashes and every result table."""
        ra, rb = self.get_run(a), self.get_run(b)
        fields = tuple(
            ConfigChange(name, getattr(ra, name), getattr(rb, name))
            for name in ("kind", "status", "seed", "code_version", "config_hash")
            if getattr(ra, name) != getattr(rb, name)
        )
        rows = []
        for name in sorted(set(ra.tables) | set(rb.tables)):
            row: dict[str, Any] = {"table": name, "in_a": name in ra.tables, "in_b": name in rb.tables}
            if row["in_a"] and row["in_b"]:
                row.update(_table_diff(self.read_table(ra.run_id, name), self.read_table(rb.run_id, name)))
            rows.append(row)
        columns = [
            "in_a",
            "in_b",
            "rows_a",
            "rows_b",
            "rows_common",
            "columns_not_shared",
            "cells",
            "cells_different",
            "max_abs_diff",
            "max_rel_diff",
        ]
        tables = pd.DataFrame(rows, columns=["table", *columns]).set_index("table")
        for c in ("rows_a", "rows_b", "rows_common", "columns_not_shared", "cells", "cells_different"):
            tables[c] = tables[c].astype("Int64")
        return RunDiff(
            a=ra.run_id,
            b=rb.run_id,
            fields=fields,
            config=_dict_changes(ra.config, rb.config),
            inputs=_dict_changes(ra.inputs, rb.inputs),
            tables=tables,
        )

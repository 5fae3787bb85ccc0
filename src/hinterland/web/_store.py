"""The workspace's result store (``hinterland.plan.RunStore``) as the API reads it."""

from __future__ import annotations

import contextlib
import dataclasses
import math
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from hinterland.errors import DataFileError
from hinterland.plan import RunStore

__all__ = ["StoreAccess", "StoreUnavailable", "jsonable"]


def jsonable(obj: Any, depth: int = 0) -> Any:
    """Plain JSON values from store results (DataFrames, dataclasses, numpy, paths)."""
    if depth > 20:
        return str(obj)
    if obj is None or obj is pd.NA or obj is pd.NaT:
        return None
    if isinstance(obj, (bool, int, str)):
        return obj
    if isinstance(obj, float):
        return None if math.isnan(obj) or math.isinf(obj) else obj
    if isinstance(obj, np.generic):
        return jsonable(obj.item(), depth + 1)
    if isinstance(obj, pd.DataFrame):
        return [jsonable(r, depth + 1) for r in obj.reset_index().to_dict("records")]
    if isinstance(obj, pd.Series):
        return {str(k): jsonable(v, depth + 1) for k, v in obj.items()}
    if isinstance(obj, pd.Timestamp):
        return obj.isoformat()
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: jsonable(getattr(obj, f.name), depth + 1) for f in dataclasses.fields(obj)}
    if isinstance(obj, dict):
        return {str(k): jsonable(v, depth + 1) for k, v in obj.items()}
    if isinstance(obj, (list, tuple, set)):
        return [jsonable(v, depth + 1) for v in obj]
    if isinstance(obj, Path):
        return str(obj)
    if hasattr(obj, "isoformat"):
        return obj.isoformat()
    return str(obj)


class StoreUnavailable(Exception):
    """The run store file cannot be opened or stays locked (the message says why and the fix)."""


class StoreAccess:
    """Opens ``RunStore(path)`` on first use; every call is serialised (one store object per app).

    A file that is not a run store, or one another process keeps locked, raises
    :class:`StoreUnavailable`; ``available`` is false from then until the store opens again.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._store: RunStore | None = None
        self.error: str | None = None

    @property
    def available(self) -> bool:
        return self.error is None

    @contextlib.contextmanager
    def session(self) -> Iterator[RunStore]:
        """The open store, held for the ``with`` block."""
        with self._lock:
            try:
                if self._store is None:
                    self._store = RunStore(self.path)
                self.error = None
                yield self._store
            except DataFileError as exc:
                self.error = str(exc)
                raise StoreUnavailable(str(exc)) from exc

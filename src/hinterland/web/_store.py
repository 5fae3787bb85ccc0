"""Access to the plan result store (``hinterland.plan.RunStore``) when that part exists."""

from __future__ import annotations

import dataclasses
import importlib
import math
import threading
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["StoreAccess", "jsonable"]


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


class StoreAccess:
    """Opens ``RunStore(path)`` on first use; every call is serialised (one DuckDB connection)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._store: Any = None

    @staticmethod
    def store_class() -> Any:
        try:
            mod = importlib.import_module("hinterland.plan")
        except ImportError:
            return None
        return getattr(mod, "RunStore", None)

    @property
    def available(self) -> bool:
        return self.store_class() is not None

    def call(self, method: str, *args: Any) -> Any:
        """``store.<method>(*args)``; raises LookupError when the store does not exist yet."""
        with self._lock:
            if self._store is None:
                cls = self.store_class()
                if cls is None:
                    raise LookupError("store not available")
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._store = cls(self.path)
            return getattr(self._store, method)(*args)

"""Shared fixtures: the bundled dataset and small user files written to tmp_path."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from hinterland.containers import Dataset
from hinterland.datasets import load_china


@pytest.fixture(scope="session")
def china() -> Dataset:
    return load_china()


@pytest.fixture
def write_csv(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write rows (list of dicts or a DataFrame) to a CSV in tmp_path and return its path."""

    def _write(rows: list[dict[str, object]] | pd.DataFrame, name: str = "user.csv") -> Path:
        frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(rows)
        path = tmp_path / name
        frame.to_csv(path, index=False)
        return path

    return _write

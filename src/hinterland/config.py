"""Package-wide settings: default paths, seeds and numeric tolerances."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DEFAULT_SEED", "MAX_YEAR", "MIN_YEAR", "Settings", "settings"]

DEFAULT_SEED = 20231211  # the Central Economic Work Conference that named the strategic hinterland
MIN_YEAR = 1949
MAX_YEAR = 2100


@dataclass(frozen=True)
class Settings:
    """Settings read once from the environment (``HINTERLAND_*``)."""

    out_dir: Path = Path(os.environ.get("HINTERLAND_OUT", "out"))
    seed: int = int(os.environ.get("HINTERLAND_SEED", DEFAULT_SEED))
    lang: str = os.environ.get("HINTERLAND_LANG", "en")


settings = Settings()

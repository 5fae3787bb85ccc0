"""A CJK-capable font for matplotlib (Noto Sans CJK SC, shipped by the ``mplfonts`` package)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from matplotlib import font_manager, rcParams

__all__ = ["use_cjk_font"]

_FONT_FILE = "NotoSansCJKsc-Regular.otf"


@lru_cache(maxsize=1)
def use_cjk_font() -> str | None:
    """Register a CJK font and make it the default sans-serif; returns its family name (None if absent)."""
    try:
        import mplfonts
    except ImportError:  # pragma: no cover - mplfonts is a dependency
        return None
    path = Path(mplfonts.__file__).parent / "fonts" / _FONT_FILE
    if not path.exists():  # pragma: no cover
        return None
    font_manager.fontManager.addfont(str(path))
    family = str(font_manager.FontProperties(fname=str(path)).get_name())
    rcParams["font.sans-serif"] = [family, *rcParams["font.sans-serif"]]
    rcParams["font.family"] = "sans-serif"
    rcParams["axes.unicode_minus"] = False
    return family

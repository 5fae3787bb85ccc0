"""Units of the bundled indicators and the factors between related units."""

from __future__ import annotations

import re

__all__ = ["conversion_factor", "is_nonnegative_unit", "is_percent_unit", "same_unit"]

# factor to multiply a value in the key unit by to get the value in the base unit
_SCALES: dict[str, tuple[str, float]] = {
    "元": ("yuan", 1.0),
    "万元": ("yuan", 1e4),
    "亿元": ("yuan", 1e8),
    "万亿元": ("yuan", 1e12),
    "yuan": ("yuan", 1.0),
    "10^4yuan": ("yuan", 1e4),
    "10^8yuan": ("yuan", 1e8),
    "100myuan": ("yuan", 1e8),
    "cny100million": ("yuan", 1e8),
    "10^12yuan": ("yuan", 1e12),
    "人": ("person", 1.0),
    "万人": ("person", 1e4),
    "亿人": ("person", 1e8),
    "persons": ("person", 1.0),
    "person": ("person", 1.0),
    "10^4persons": ("person", 1e4),
    "吨": ("t", 1.0),
    "万吨": ("t", 1e4),
    "亿吨": ("t", 1e8),
    "t": ("t", 1.0),
    "10^4t": ("t", 1e4),
    "千瓦时": ("kwh", 1.0),
    "万千瓦时": ("kwh", 1e4),
    "亿千瓦时": ("kwh", 1e8),
    "kwh": ("kwh", 1.0),
    "10^8kwh": ("kwh", 1e8),
    "gwh": ("kwh", 1e6),
    "twh": ("kwh", 1e9),
    "%": ("percent", 1.0),
    "percent": ("percent", 1.0),
    "fraction": ("percent", 100.0),
    "share": ("percent", 100.0),
    "平方公里": ("km2", 1.0),
    "km2": ("km2", 1.0),
    "km²": ("km2", 1.0),
    "万平方公里": ("km2", 1e4),
    "件": ("item", 1.0),
    "项": ("item", 1.0),
    "个": ("item", 1.0),
    "所": ("item", 1.0),
    "items": ("item", 1.0),
    "万美元": ("usd", 1e4),
    "亿美元": ("usd", 1e8),
    "美元": ("usd", 1.0),
    "usd": ("usd", 1.0),
    "人/平方公里": ("person/km2", 1.0),
    "人/km²": ("person/km2", 1.0),
    "persons/km2": ("person/km2", 1.0),
    "人年": ("person-year", 1.0),
    "万人年": ("person-year", 1e4),
    "person-years": ("person-year", 1.0),
    "千瓦": ("kw", 1.0),
    "万千瓦": ("kw", 1e4),
    "kw": ("kw", 1.0),
    "10^4kw": ("kw", 1e4),
    "元/人": ("yuan/person", 1.0),
    "万元/人": ("yuan/person", 1e4),
    "yuan/person": ("yuan/person", 1.0),
}
_NONNEGATIVE_BASES = {
    "person-year",
    "kw",
    "yuan",
    "person",
    "t",
    "kwh",
    "km2",
    "item",
    "usd",
    "person/km2",
    "yuan/person",
}


def _key(unit: str) -> str:
    return re.sub(r"\s+", "", str(unit)).lower()


def same_unit(a: str, b: str) -> bool:
    """True if ``a`` and ``b`` name the same unit (e.g. 亿元 and 10^8 yuan)."""
    if _key(a) == _key(b):
        return True
    sa, sb = _SCALES.get(_key(a)), _SCALES.get(_key(b))
    return sa is not None and sb is not None and sa == sb


def conversion_factor(from_unit: str, to_unit: str) -> float | None:
    """Factor to multiply values in ``from_unit`` by to express them in ``to_unit`` (None if unrelated)."""
    sa, sb = _SCALES.get(_key(from_unit)), _SCALES.get(_key(to_unit))
    if sa is None or sb is None or sa[0] != sb[0]:
        return None
    return sa[1] / sb[1]


def is_percent_unit(unit: str) -> bool:
    return _key(unit) in {"%", "percent"}


def is_nonnegative_unit(unit: str) -> bool:
    scale = _SCALES.get(_key(unit))
    return scale is not None and scale[0] in _NONNEGATIVE_BASES

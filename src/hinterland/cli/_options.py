"""Shared option helpers: a command's defaults are the keyword defaults of the study it runs."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

__all__ = ["defaults_of"]


def defaults_of(fn: Callable[..., Any]) -> dict[str, Any]:
    """Keyword → default of ``fn``'s parameters that have one (so a CLI option repeats no default)."""
    return {
        name: p.default
        for name, p in inspect.signature(fn).parameters.items()
        if p.default is not inspect.Parameter.empty
    }

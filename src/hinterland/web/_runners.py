"""Job kinds: which report/plan function each runs, whether it exists yet, and the worker-side calls.

The functions named ``run_*`` execute inside the worker process (see ``_jobs.job_main``); the API
process only checks availability and the option names.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hinterland.errors import ConfigError

__all__ = [
    "BUILTIN_TARGETS",
    "CANDIDATES",
    "check_generic_options",
    "find_function",
    "run_evaluate",
    "run_generic",
    "run_network",
    "run_reserves",
]

_HERE = "hinterland.web._runners"
BUILTIN_TARGETS = {
    "evaluate": f"{_HERE}:run_evaluate",
    "network": f"{_HERE}:run_network",
    "reserves": f"{_HERE}:run_reserves",
}
# kinds whose report function other parts of the project provide: first one found is used
CANDIDATES: dict[str, tuple[str, ...]] = {
    "shock": ("hinterland.report:write_shock_report", "hinterland.report:write_shock"),
    "backup": ("hinterland.report:write_backup_report", "hinterland.report:write_backup"),
    "plan": (
        "hinterland.plan:run_plan",
        "hinterland.report:write_plan_report",
        "hinterland.report:write_plan",
    ),
}


def find_function(kind: str) -> tuple[str, Callable[..., Any]] | None:
    """The first existing ``module:function`` for ``kind`` (None while none exists)."""
    for target in CANDIDATES.get(kind, ()):
        module, _, name = target.partition(":")
        try:
            fn = getattr(importlib.import_module(module), name, None)
        except ImportError:
            continue
        if callable(fn):
            return target, fn
    return None


def _is_path_param(p: inspect.Parameter) -> bool:
    ann = (
        p.annotation
        if isinstance(p.annotation, str)
        else getattr(p.annotation, "__name__", str(p.annotation))
    )
    return "Path" in str(ann)


def check_generic_options(kind: str, fn: Callable[..., Any], options: dict[str, Any]) -> None:
    """Refuse option names the function does not take, and file-path parameters."""
    params = inspect.signature(fn).parameters
    accepted = sorted(
        n
        for n, p in params.items()
        if p.kind in (p.KEYWORD_ONLY, p.POSITIONAL_OR_KEYWORD)
        and n not in {"out", "progress"}
        and not _is_path_param(p)
    )
    for name in options:
        if name not in params or name in {"out", "progress"}:
            raise ConfigError(
                f"job kind {kind!r}: unknown option {name!r}; accepted: {', '.join(accepted) or 'none'}"
            )
        if _is_path_param(params[name]):
            raise ConfigError(
                f"job kind {kind!r}: option {name!r} is a file path, which the API does not accept; "
                "post the content instead (config_yaml / scenario_yaml)"
            )


# -- worker side ---------------------------------------------------------------------------------
def run_evaluate(out: Path, options: dict[str, Any], progress: Callable[[str], None]) -> None:
    from hinterland.datasets import load_china
    from hinterland.report import write_evaluation

    opts = dict(options)
    if hasattr(progress, "expected"):
        progress.expected = 6 if opts.get("figures", True) else 5
    write_evaluation(out, load_china(), progress=progress, **opts)


def run_network(out: Path, options: dict[str, Any], progress: Callable[[str], None]) -> None:
    from hinterland.report import write_network_report

    if hasattr(progress, "expected"):
        progress.expected = 8
    write_network_report(out, progress=progress, **options)


def run_reserves(out: Path, options: dict[str, Any], progress: Callable[[str], None]) -> None:
    from hinterland.report import write_reserves_report

    progress(f"solving {options.get('model', 'lscp')} for {options.get('commodity', 'grain')}")
    write_reserves_report(out, **options)


def run_generic(out: Path, options: dict[str, Any], progress: Callable[[str], None]) -> None:
    """Call ``options['function']`` (module:name) with ``out``, the keyword ``options['kwargs']`` and,
    when it takes them, ``progress`` and the posted YAML written next to ``out``."""
    module, _, name = str(options["function"]).partition(":")
    fn = getattr(importlib.import_module(module), name)
    params = inspect.signature(fn).parameters
    kwargs: dict[str, Any] = dict(options.get("kwargs") or {})
    for key, file_name in (options.get("files") or {}).items():
        kwargs[key] = out.parent / file_name
    if "progress" in params:
        kwargs["progress"] = progress
    if "store" in params and options.get("store"):
        kwargs["store"] = Path(str(options["store"]))  # the workspace's run store (set by the server)
    progress(f"running {name}")
    if "out" in params:
        fn(out=out, **kwargs)
    else:
        fn(out, **kwargs)

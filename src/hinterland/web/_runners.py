"""Job kinds: the study and report functions each runs, the API-side option checks and the worker-side
calls.

The functions named ``run_*`` here execute inside the worker process (see ``_jobs.job_main``): each
runs a study of ``hinterland.plan`` and writes it with ``hinterland.report`` (shock and plan: the
report functions that do both). The API process only checks option names against the signatures.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from hinterland.datasets import load_china
from hinterland.errors import ConfigError
from hinterland.plan import (
    EvaluationOptions,
    plan_schema_defaults,
    run_backup,
    run_evaluation,
    run_network,
    run_reserves,
)
from hinterland.report import (
    write_backup,
    write_evaluation,
    write_network,
    write_plan_report,
    write_reserves,
    write_shock_report,
)
from hinterland.web._jobs import ProgressReporter, Runner

__all__ = [
    "OPTION_FUNCTIONS",
    "RUNNERS",
    "check_options",
    "resolve_runners",
    "run_backup_job",
    "run_evaluate_job",
    "run_network_job",
    "run_plan_job",
    "run_reserves_job",
    "run_shock_job",
]


# -- worker side ---------------------------------------------------------------------------------
def run_evaluate_job(out: Path, options: dict[str, Any], progress: ProgressReporter) -> None:
    opts = dict(options)
    figures = bool(opts.pop("figures", True))
    year = opts.pop("year", None)
    progress.expected = 6 if figures else 5
    study = run_evaluation(load_china(), EvaluationOptions(**opts), year=year, progress=progress)
    write_evaluation(out, study, figures=figures, progress=progress)


def run_network_job(out: Path, options: dict[str, Any], progress: ProgressReporter) -> None:
    progress.expected = 8
    write_network(out, run_network(progress=progress, **options), progress=progress)


def run_reserves_job(out: Path, options: dict[str, Any], progress: ProgressReporter) -> None:
    progress(f"solving {options.get('model', 'lscp')} for {options.get('commodity', 'grain')}")
    write_reserves(out, run_reserves(**options))


def _kwargs(out: Path, options: Mapping[str, Any]) -> dict[str, Any]:
    """The keyword options of a shock/backup/plan job, with the posted YAML files (written into the job
    folder by the server) passed by path."""
    kwargs: dict[str, Any] = dict(options.get("kwargs") or {})
    for key, file_name in (options.get("files") or {}).items():
        kwargs[key] = out.parent / file_name
    return kwargs


def run_shock_job(out: Path, options: dict[str, Any], progress: ProgressReporter) -> None:
    progress("running the shock scenario")
    write_shock_report(out, progress=progress, **_kwargs(out, options))


def run_backup_job(out: Path, options: dict[str, Any], progress: ProgressReporter) -> None:
    progress("running the backup study")
    kwargs = _kwargs(out, options)
    kwargs.setdefault("budget", float(plan_schema_defaults("budgets")["backup"]))  # as `hinterland backup`
    write_backup(out, run_backup(progress=progress, **kwargs), progress=progress)


def run_plan_job(out: Path, options: dict[str, Any], progress: ProgressReporter) -> None:
    progress("running the plan")
    store = Path(str(options["store"])) if options.get("store") else None  # the workspace's run store
    write_plan_report(out, store=store, progress=progress, **_kwargs(out, options))


RUNNERS: dict[str, Runner] = {
    "evaluate": run_evaluate_job,
    "network": run_network_job,
    "reserves": run_reserves_job,
    "shock": run_shock_job,
    "backup": run_backup_job,
    "plan": run_plan_job,
}
# kinds whose options are keyword parameters of one function, checked against its signature
OPTION_FUNCTIONS: dict[str, Callable[..., object]] = {
    "shock": write_shock_report,
    "backup": run_backup,
    "plan": write_plan_report,
}


def resolve_runners(targets: Mapping[str, str]) -> dict[str, Runner]:
    """Runners named ``module:function`` (``Settings.runners``: code outside this package, e.g. tests)."""
    found: dict[str, Runner] = {}
    for kind, target in targets.items():
        module, _, name = target.partition(":")
        try:
            fn = getattr(importlib.import_module(module), name)
        except (ImportError, AttributeError, ValueError) as exc:
            raise ConfigError(
                f"runner {target!r} for job kind {kind!r} cannot be imported ({exc}). "
                "Fix: give an importable 'module:function'."
            ) from exc
        if not callable(fn):
            raise ConfigError(f"runner {target!r} for job kind {kind!r} is not a function")
        found[kind] = fn
    return found


# -- API side ------------------------------------------------------------------------------------
def _public_name(fn: Callable[..., object]) -> str:
    """``hinterland.plan.run_backup`` for ``hinterland.plan._backup.run_backup``."""
    package = ".".join(p for p in fn.__module__.split(".") if not p.startswith("_"))
    return f"{package}.{fn.__name__}"


def _is_path_param(p: inspect.Parameter) -> bool:
    ann = (
        p.annotation
        if isinstance(p.annotation, str)
        else getattr(p.annotation, "__name__", str(p.annotation))
    )
    return "Path" in str(ann)


def check_options(kind: str, options: Mapping[str, Any], server_set: Iterable[str] = ()) -> None:
    """Refuse option names the kind's function (:data:`OPTION_FUNCTIONS`) does not take and file-path
    parameters; the parameters the server sets itself (``scenario``, ``config``: posted YAML) must
    exist."""
    fn = OPTION_FUNCTIONS[kind]
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
    for name in server_set:
        if name not in params:
            raise ConfigError(f"job kind {kind!r}: {_public_name(fn)} takes no {name!r} parameter")

"""``hinterland plan``: write the integrated plan (``hinterland.plan.run_plan``) and its advisory report.

:func:`write_plan` writes a :class:`~hinterland.plan.PlanStudy`: every stage's files in its folder
(``1_evaluation`` … ``5_assessment``, written by the stage's own writer) and the advisory report (HTML
and PDF in Chinese and English, an Excel workbook of every table, ``run.json``).
:func:`write_plan_report` reads the plan config, runs the plan and writes each stage's files as soon
as the stage finishes (so an interrupted run keeps them), then the report.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from hinterland import __version__
from hinterland.figures import avoided_loss_chart, lever_payback_chart, plan_curves_chart, save_figure
from hinterland.plan import (
    AssessmentStudy,
    BackupStudy,
    EvaluationStudy,
    NetworkStudy,
    PlanStudy,
    ReservesStudy,
    RunStore,
    assessment_tables,
    code_version,
    load_plan_config,
    run_plan,
)
from hinterland.report._backup import write_backup
from hinterland.report._evaluate import write_evaluation
from hinterland.report._network import write_network
from hinterland.report._plan_document import build_plan_document
from hinterland.report._reserves import write_reserves

__all__ = ["STAGE_FOLDERS", "PlanReport", "write_assessment", "write_plan", "write_plan_report"]

Progress = Callable[[str], None]
STAGE_FOLDERS = {
    "evaluation": "1_evaluation",
    "network": "2_network",
    "reserves": "3_reserves",
    "backup": "4_backup",
    "assessment": "5_assessment",
}
REPORT_FIGURES = {  # report figure key → (stage, the stage writer's file role)
    "map_score": ("evaluation", "map"),
    "rank_intervals": ("evaluation", "rank_intervals"),
    "map_criticality": ("network", "map_criticality"),
    "map_upgrades": ("network", "map_upgrades"),
    "backup_map": ("backup", "map"),
    "pareto": ("backup", "pareto_png"),
}


@dataclass(frozen=True)
class PlanReport:
    """A finished plan run: the plan study and the report's files by role (``run``: ``run.json``)."""

    study: PlanStudy
    files: dict[str, Path]


class _PlanWriter:
    """Writes each stage's study into its folder as it arrives, then the report from the plan study."""

    def __init__(self, out: Path, say: Progress) -> None:
        self.out = out
        self.say = say
        self.files: dict[str, dict[str, Path]] = {}

    def folder(self, stage: str) -> Path:
        return self.out / STAGE_FOLDERS[stage]

    def stage(self, name: str, study: Any) -> None:
        folder = self.folder(name)
        if name == "evaluation" and isinstance(study, EvaluationStudy):
            self.files[name] = write_evaluation(folder, study, progress=self.say)
        elif name == "network" and isinstance(study, NetworkStudy):
            self.files[name] = write_network(folder, study, progress=self.say)
        elif name == "reserves" and isinstance(study, Mapping):
            for key, res in study.items():
                assert isinstance(res, ReservesStudy)
                self.files[f"reserves_{key}"] = write_reserves(folder / key, res)
        elif name == "backup" and isinstance(study, BackupStudy):
            self.files[name] = write_backup(folder, study, progress=self.say)
        elif name == "assessment" and isinstance(study, PlanStudy):
            self.files[name] = write_assessment(folder, study.assessment, study.calibration)
        else:  # pragma: no cover - run_plan hands exactly these
            raise TypeError(f"plan stage {name!r}: unexpected study {type(study).__name__}")

    def figures(self, study: PlanStudy) -> dict[str, Path]:
        figs = {
            key: self.files[stage][role]
            for key, (stage, role) in REPORT_FIGURES.items()
            if role in self.files.get(stage, {})
        }
        for name in study.reserves:
            path = self.files.get(f"reserves_{name}", {}).get("map")
            if path is not None:
                figs[f"reserves_{name}"] = path
        figs.update(self.files.get("assessment", {}))
        return figs

    def report(self, study: PlanStudy, *, pdf: bool, started: float) -> dict[str, Path]:
        t = time.perf_counter()
        self.say("report: figures, HTML, PDF and Excel")
        cfg = study.config
        doc = build_plan_document(study, self.figures(study))
        langs = tuple(lang for lang in ("zh", "en") if lang in cfg["report"]["languages"])
        files = doc.write(self.out, "plan_report", langs=langs, pdf=pdf and "pdf" in cfg["report"]["formats"])  # type: ignore[arg-type]
        study.timings["report"] = time.perf_counter() - t
        study.timings["total"] = time.perf_counter() - started
        run = {
            "run_id": study.run_id,
            "store": str(study.store),
            "version": __version__,
            "code_version": code_version(),
            "seed": cfg.seed,
            "config": cfg.to_dict(),
            "timings": study.timings,
            "pid": os.getpid(),
            "files": {k: str(v) for k, v in files.items()},
        }
        (self.out / "run.json").write_text(
            json.dumps(run, indent=2, ensure_ascii=False, default=str), encoding="utf-8"
        )
        files["run"] = self.out / "run.json"
        return files


def write_plan(
    out: str | Path, study: PlanStudy, *, pdf: bool = True, progress: Progress | None = None
) -> dict[str, Path]:
    """Write every stage of ``study`` into its folder under ``out`` and the advisory report (HTML and
    PDF in Chinese and English, Excel of every table, ``run.json``); returns the report's files."""
    started = time.perf_counter()
    writer = _PlanWriter(Path(out), progress or (lambda _m: None))
    writer.out.mkdir(parents=True, exist_ok=True)
    stages: dict[str, Any] = {
        "evaluation": study.evaluation,
        "network": study.network,
        "reserves": study.reserves,
        "backup": study.backup,
        "assessment": study,
    }
    for name, part in stages.items():
        writer.stage(name, part)
    return writer.report(study, pdf=pdf, started=started)


def write_plan_report(
    out: str | Path,
    *,
    config: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    store: Path | None = None,
    resume: str | None = None,
    backend: str | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    pdf: bool = True,
    progress: Progress | None = None,
) -> PlanReport:
    """Run the plan (``config`` YAML or the bundled default, with ``overrides``) and write every
    stage's outputs as the stage finishes, then the advisory report, into ``out``; the run is
    finished in the run store with its timings. Returns the study and the report's files."""
    say = progress or (lambda _m: None)
    if progress is not None and hasattr(progress, "expected"):
        progress.expected = 45  # about as many messages as the stages send (the web job's progress bar)
    # runner options are plan keys too: validate them with the config, before any stage runs
    runner = {k: v for k, v in (("backend", backend), ("workers", workers), ("scheduler", scheduler)) if v}
    if runner:
        merged = dict(overrides or {})
        merged["runner"] = {**dict(merged.get("runner") or {}), **runner}
        overrides = merged
    cfg = load_plan_config(config, overrides)
    started = time.perf_counter()
    writer = _PlanWriter(Path(out), say)
    writer.out.mkdir(parents=True, exist_ok=True)
    study = run_plan(
        cfg, store=store, resume=resume, backend=backend, workers=workers, scheduler=scheduler,
        progress=say, on_stage=writer.stage,
    )  # fmt: skip
    files = writer.report(study, pdf=pdf, started=started)
    RunStore(study.store).finish_run(study.run_id, {k: v for k, v in study.timings.items() if k != "total"})
    return PlanReport(study, files)


def write_assessment(
    folder: Path, study: AssessmentStudy, calibration: pd.DataFrame | None = None
) -> dict[str, Path]:
    """The assessment's tables (CSV), daily curves with bands (CSV) and figures into ``folder``;
    returns the figure paths by key."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, df in assessment_tables(study).items():
        df.to_csv(folder / f"{name.removeprefix('assessment_')}.csv")
    if calibration is not None:
        calibration.to_csv(folder / "calibration.csv", index=False)
    curves = {label: study.curves(label) for label in study.design.labels if label in study.runs}
    if curves:
        pd.concat(curves, names=["scenario"]).to_csv(folder / "loss_curves.csv")
    figs: dict[str, Path] = {}
    if curves:
        figs["curves"] = save_figure(plan_curves_chart(curves), folder / "loss_curves.png")
    if len(study.draws):
        figs["avoided"] = save_figure(avoided_loss_chart(study.draws), folder / "avoided_loss.png")
    if len(study.levers):
        figs["payback"] = save_figure(lever_payback_chart(study.levers), folder / "lever_payback.png")
    return figs

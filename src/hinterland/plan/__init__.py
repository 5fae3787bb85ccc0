"""Plans: the plan config, the result store and the ensemble runner (scenario ensembles that scale out).

* :class:`RunStore` keeps runs (config, input hashes, code version, seed, timings, status) and their
  result tables in an embedded DuckDB file; ``hinterland runs list|show|diff`` reads it.
* :func:`run_ensemble` runs scenario tasks in-process, on a local process pool or on Dask, with every
  finished task checkpointed so an interrupted run resumes without recomputation.
* :func:`load_plan_config` reads and validates a plan YAML against :data:`PLAN_SCHEMA`.
* :func:`ario_shock_tasks` / :func:`ario_shock_task`: an ARIO shock ensemble on the bundled MRIO.
"""

from hinterland.plan._assess import (
    BASELINE,
    AssessmentDesign,
    AssessmentStudy,
    assess_plan,
    assessment_tables,
    assessment_task,
    assessment_tasks,
    parameter_draws,
    screen_levers,
    summarise_assessment,
)
from hinterland.plan._calibration import wenchuan_check
from hinterland.plan._config import (
    PLAN_SCHEMA,
    PlanConfig,
    PlanConfigError,
    default_plan_path,
    load_plan_config,
    plan_config_reference,
    plan_schema_defaults,
    validate_plan_config,
)
from hinterland.plan._costs import LeverCosts, assessment_sources, capital_recovery_factor
from hinterland.plan._levers import (
    RESERVE_PRODUCTS,
    BackupBase,
    PlanLevers,
    ReserveProgramme,
    backup_bases,
    ramp_days_for_share,
)
from hinterland.plan._runner import BACKENDS, EnsembleResult, RunInterrupted, run_ensemble
from hinterland.plan._store import (
    DEFAULT_STORE,
    RUN_STATUSES,
    ConfigChange,
    RunDiff,
    RunRecord,
    RunStore,
    code_version,
    config_hash,
    hash_file,
    hash_inputs,
)
from hinterland.plan._tasks import (
    ario_shock_task,
    ario_shock_tasks,
    mrio_input_files,
    scenario_shock_task,
    scenario_shock_tasks,
    synthetic_task,
)
from hinterland.plan._transport import CorridorUpgrade, TransportLayer, transport_levers

__all__ = [
    "BACKENDS",
    "BASELINE",
    "DEFAULT_STORE",
    "PLAN_SCHEMA",
    "RESERVE_PRODUCTS",
    "RUN_STATUSES",
    "AssessmentDesign",
    "AssessmentStudy",
    "BackupBase",
    "ConfigChange",
    "CorridorUpgrade",
    "EnsembleResult",
    "LeverCosts",
    "PlanConfig",
    "PlanConfigError",
    "PlanLevers",
    "ReserveProgramme",
    "RunDiff",
    "RunInterrupted",
    "RunRecord",
    "RunStore",
    "TransportLayer",
    "ario_shock_task",
    "ario_shock_tasks",
    "assess_plan",
    "assessment_sources",
    "assessment_tables",
    "assessment_task",
    "assessment_tasks",
    "backup_bases",
    "capital_recovery_factor",
    "code_version",
    "config_hash",
    "default_plan_path",
    "hash_file",
    "hash_inputs",
    "load_plan_config",
    "mrio_input_files",
    "parameter_draws",
    "plan_config_reference",
    "plan_schema_defaults",
    "ramp_days_for_share",
    "run_ensemble",
    "scenario_shock_task",
    "scenario_shock_tasks",
    "screen_levers",
    "summarise_assessment",
    "synthetic_task",
    "transport_levers",
    "validate_plan_config",
    "wenchuan_check",
]

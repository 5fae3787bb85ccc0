"""Plans: the plan config, the result store and the ensemble runner (scenario ensembles that scale out).

* :class:`RunStore` keeps runs (config, input hashes, code version, seed, timings, status) and their
  result tables in an embedded DuckDB file; ``hinterland runs list|show|diff`` reads it.
* :func:`run_ensemble` runs scenario tasks in-process, on a local process pool or on Dask, with every
  finished task checkpointed so an interrupted run resumes without recomputation.
* :func:`load_plan_config` reads and validates a plan YAML against :data:`PLAN_SCHEMA`.
* :func:`ario_shock_tasks` / :func:`ario_shock_task`: an ARIO shock ensemble on the bundled MRIO.
"""

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
    plan_levers,
    plan_scenario_task,
    scenario_shock_task,
    scenario_shock_tasks,
    synthetic_task,
)

__all__ = [
    "BACKENDS",
    "DEFAULT_STORE",
    "PLAN_SCHEMA",
    "RUN_STATUSES",
    "ConfigChange",
    "EnsembleResult",
    "PlanConfig",
    "PlanConfigError",
    "RunDiff",
    "RunInterrupted",
    "RunRecord",
    "RunStore",
    "ario_shock_task",
    "ario_shock_tasks",
    "code_version",
    "config_hash",
    "default_plan_path",
    "hash_file",
    "hash_inputs",
    "load_plan_config",
    "mrio_input_files",
    "plan_config_reference",
    "plan_levers",
    "plan_scenario_task",
    "plan_schema_defaults",
    "run_ensemble",
    "scenario_shock_task",
    "scenario_shock_tasks",
    "synthetic_task",
    "validate_plan_config",
]

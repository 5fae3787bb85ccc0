"""Plans: the studies, the integrated plan, its config, the result store and the ensemble runner.

* Every study is ``run_X(...) -> XStudy`` in memory (``hinterland.report.write_X`` writes it):
  :func:`run_evaluation`, :func:`run_network`, :func:`run_reserves`, :func:`run_backup`, and
  :func:`run_plan`, which hands the four to each other and to the joint assessment
  (:func:`assess_plan`) and returns a :class:`PlanStudy`.

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
from hinterland.plan._backup import (
    BACKUP_UNIT,
    BackupInput,
    BackupStudy,
    build_backup_input,
    closed_loop,
    run_backup,
    suitability_scores,
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
from hinterland.plan._evaluation import (
    EvaluationOptions,
    EvaluationStudy,
    parse_weights_option,
    read_decision_matrix,
    run_evaluation,
    spatial_weight_matrix,
)
from hinterland.plan._levers import (
    RESERVE_PRODUCTS,
    BackupBase,
    PlanLevers,
    ReserveProgramme,
    backup_bases,
    ramp_days_for_share,
)
from hinterland.plan._network import (
    NETWORK_OBJECTIVES,
    NetworkStudy,
    load_network,
    network_travel_times,
    parse_network_scenarios,
    run_network,
)
from hinterland.plan._plan import (
    PLAN_STAGES,
    STANDARD_BASE_SHARE,
    PlanStudy,
    StageHook,
    assessment_design,
    proposed_levers,
    run_plan,
    scenario_specs,
    standard_bases,
)
from hinterland.plan._reserves import (
    AUTO_HAZARDS,
    RESERVE_MODELS,
    ReservesInput,
    ReservesStudy,
    build_reserves_input,
    run_reserves,
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
    "AUTO_HAZARDS",
    "BACKENDS",
    "BACKUP_UNIT",
    "BASELINE",
    "DEFAULT_STORE",
    "NETWORK_OBJECTIVES",
    "PLAN_SCHEMA",
    "PLAN_STAGES",
    "RESERVE_MODELS",
    "RESERVE_PRODUCTS",
    "RUN_STATUSES",
    "STANDARD_BASE_SHARE",
    "AssessmentDesign",
    "AssessmentStudy",
    "BackupBase",
    "BackupInput",
    "BackupStudy",
    "ConfigChange",
    "CorridorUpgrade",
    "EnsembleResult",
    "EvaluationOptions",
    "EvaluationStudy",
    "LeverCosts",
    "NetworkStudy",
    "PlanConfig",
    "PlanConfigError",
    "PlanLevers",
    "PlanStudy",
    "ReserveProgramme",
    "ReservesInput",
    "ReservesStudy",
    "RunDiff",
    "RunInterrupted",
    "RunRecord",
    "RunStore",
    "StageHook",
    "TransportLayer",
    "ario_shock_task",
    "ario_shock_tasks",
    "assess_plan",
    "assessment_design",
    "assessment_sources",
    "assessment_tables",
    "assessment_task",
    "assessment_tasks",
    "backup_bases",
    "build_backup_input",
    "build_reserves_input",
    "capital_recovery_factor",
    "closed_loop",
    "code_version",
    "config_hash",
    "default_plan_path",
    "hash_file",
    "hash_inputs",
    "load_network",
    "load_plan_config",
    "mrio_input_files",
    "network_travel_times",
    "parameter_draws",
    "parse_network_scenarios",
    "parse_weights_option",
    "plan_config_reference",
    "plan_schema_defaults",
    "proposed_levers",
    "ramp_days_for_share",
    "read_decision_matrix",
    "run_backup",
    "run_ensemble",
    "run_evaluation",
    "run_network",
    "run_plan",
    "run_reserves",
    "scenario_shock_task",
    "scenario_shock_tasks",
    "scenario_specs",
    "screen_levers",
    "spatial_weight_matrix",
    "standard_bases",
    "suitability_scores",
    "summarise_assessment",
    "synthetic_task",
    "transport_levers",
    "validate_plan_config",
    "wenchuan_check",
]

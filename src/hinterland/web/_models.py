"""Request and response models of the REST API (pydantic; they make the OpenAPI schema)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from hinterland.config import DEFAULT_SEED

__all__ = [
    "JOB_KINDS",
    "BackupJob",
    "EvaluateJob",
    "EvaluateOptions",
    "GenericOptions",
    "Health",
    "IndicatorLayer",
    "JobInfo",
    "JobList",
    "JobRequest",
    "LayerCatalogue",
    "LayerInfo",
    "LayerValue",
    "NetworkJob",
    "NetworkOptions",
    "OutputFile",
    "OutputList",
    "PlanJob",
    "Region",
    "RegionList",
    "ReservesJob",
    "ReservesOptions",
    "RunDetail",
    "RunDiff",
    "RunList",
    "RunTable",
    "ScenarioError",
    "ScenarioInfo",
    "ScenarioList",
    "ScenarioText",
    "ScenarioValidation",
    "ShockJob",
    "ShockOptions",
]

JOB_KINDS = ("evaluate", "network", "reserves", "shock", "backup", "plan")
Scalar = str | int | float | bool | None
_STRICT = ConfigDict(extra="forbid")
_NAME = r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,79}$"


class Health(BaseModel):
    status: Literal["ok"] = "ok"
    version: str
    kinds: dict[str, bool] = Field(description="job kind → whether the server runs it (every built-in kind)")
    store_available: bool
    scenario_library: bool
    scores: str = Field(description="state of the cached score layers: pending, running, done, failed")


class Region(BaseModel):
    id: int = Field(description="6-digit adcode, e.g. 510000")
    name_zh: str
    short_zh: str
    name_en: str
    role: Literal["core", "hinterland", "front"]
    macro_region: str
    coastal: bool
    land_border: bool
    capital_zh: str
    capital_en: str
    role_rationale: str


class RegionList(BaseModel):
    regions: list[Region]


class LayerInfo(BaseModel):
    id: str
    group: Literal["indicator", "score"]
    label_zh: str
    label_en: str
    unit: str = ""
    direction: str = ""
    years: list[int] = Field(default_factory=list)


class LayerCatalogue(BaseModel):
    layers: list[LayerInfo]
    scores_state: str = Field(description="pending | running | done | failed (score layers need it done)")


class LayerValue(BaseModel):
    region: int
    value: float | None


class IndicatorLayer(BaseModel):
    layer: LayerInfo
    year: int | None
    values: list[LayerValue]
    source: str = ""


# -- scenarios -------------------------------------------------------------------------------------
class ScenarioInfo(BaseModel):
    name: str
    title: str = ""
    description: str = ""


class ScenarioList(BaseModel):
    available: bool = Field(description="the library of hinterland.economy (always there; kept for clients)")
    scenarios: list[ScenarioInfo]
    note: str = ""


class ScenarioText(BaseModel):
    model_config = _STRICT
    yaml: str = Field(description="scenario YAML (size-limited, see max_scenario_bytes)")


class ScenarioError(BaseModel):
    path: str = Field(description="key path in the YAML, e.g. shocks[0].region ('' for the document)")
    message: str
    line: int | None = None


class ScenarioValidation(BaseModel):
    valid: bool
    errors: list[ScenarioError]
    checks: list[str] = Field(description="which checks ran: yaml, regions, economy")
    summary: dict[str, Any] = Field(default_factory=dict)


# -- jobs ------------------------------------------------------------------------------------------
class EvaluateOptions(BaseModel):
    model_config = _STRICT
    year: int | None = Field(None, ge=1949, le=2100)
    weights: Literal["entropy", "critic", "std", "equal"] = "entropy"
    method: Literal["topsis", "vikor", "weighted-sum"] = "topsis"
    normalisation: Literal["minmax", "vector", "zscore"] = "minmax"
    draws: int = Field(1000, ge=10, le=20000)
    permutations: int = Field(999, ge=9, le=9999)
    top_k: int = Field(5, ge=1, le=31)
    seed: int = Field(DEFAULT_SEED, ge=0, le=2**32 - 1)
    figures: bool = True


class NetworkOptions(BaseModel):
    model_config = _STRICT
    year: int | None = Field(None, ge=1949, le=2100)
    level: Literal["city", "province"] = "city"
    mode: Literal["rail", "road", "all"] = "rail"
    budget: float | None = Field(None, gt=0)
    k: int = Field(5, ge=1, le=50)
    draws: int = Field(20, ge=1, le=1000)
    max_fraction: float = Field(0.3, gt=0, le=1)
    seed: int = Field(0, ge=0, le=2**32 - 1)
    source_role: str = Field(
        "core,hinterland", pattern=r"^(core|hinterland|front)(,(core|hinterland|front))*$"
    )
    sink_role: str = Field("front", pattern=r"^(core|hinterland|front)(,(core|hinterland|front))*$")


class ReservesOptions(BaseModel):
    model_config = _STRICT
    commodity: Literal["grain", "energy", "medical", "all"] = "grain"
    model: Literal["lscp", "mclp", "p-median", "p-center", "cflp"] = "lscp"
    p: int | None = Field(None, ge=1, le=500)
    radius: float | None = Field(None, gt=0, le=200)
    budget: float | None = Field(None, gt=0)
    scenarios: Literal["auto"] | None = None
    objective: Literal["expected", "cvar", "worst", "regret"] = "expected"
    level: Literal["city", "county"] = "city"
    time_limit: float | None = Field(None, gt=0, le=3600)


class ShockOptions(BaseModel):
    model_config = _STRICT
    scenario: str | None = Field(None, pattern=_NAME, description="a scenario of the library")
    scenario_yaml: str | None = Field(None, description="or a custom scenario (YAML text)")
    model: str | None = Field(None, pattern=r"^[a-z][a-z0-9_\-]{0,30}$", description="ario, iim, ...")
    draws: int | None = Field(None, ge=1, le=100000)
    seed: int | None = Field(None, ge=0, le=2**32 - 1)


class GenericOptions(BaseModel):
    """Keyword options passed to the kind's report function; names are checked against its signature;
    file-path parameters are refused (the server reads no client paths)."""

    model_config = _STRICT
    config_yaml: str | None = Field(None, description="plan/backup configuration as YAML text")
    options: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,40}$")], Scalar] = Field(
        default_factory=dict, max_length=40
    )


class EvaluateJob(BaseModel):
    model_config = _STRICT
    kind: Literal["evaluate"]
    options: EvaluateOptions = Field(default_factory=lambda: EvaluateOptions.model_validate({}))


class NetworkJob(BaseModel):
    model_config = _STRICT
    kind: Literal["network"]
    options: NetworkOptions = Field(default_factory=lambda: NetworkOptions.model_validate({}))


class ReservesJob(BaseModel):
    model_config = _STRICT
    kind: Literal["reserves"]
    options: ReservesOptions = Field(default_factory=lambda: ReservesOptions.model_validate({}))


class ShockJob(BaseModel):
    model_config = _STRICT
    kind: Literal["shock"]
    options: ShockOptions = Field(default_factory=lambda: ShockOptions.model_validate({}))


class BackupJob(BaseModel):
    model_config = _STRICT
    kind: Literal["backup"]
    options: GenericOptions = Field(default_factory=lambda: GenericOptions.model_validate({}))


class PlanJob(BaseModel):
    model_config = _STRICT
    kind: Literal["plan"]
    options: GenericOptions = Field(default_factory=lambda: GenericOptions.model_validate({}))


JobRequest = Annotated[
    EvaluateJob | NetworkJob | ReservesJob | ShockJob | BackupJob | PlanJob, Field(discriminator="kind")
]


class JobInfo(BaseModel):
    id: str
    kind: str
    state: Literal["queued", "running", "done", "failed", "cancelled"]
    stage: str
    fraction: float = Field(ge=0, le=1)
    error: str | None = None
    options: dict[str, Any]
    created: float
    started: float | None = None
    finished: float | None = None
    outputs: str = Field(description="URL of the output listing")


class JobList(BaseModel):
    jobs: list[JobInfo]


class OutputFile(BaseModel):
    path: str = Field(description="relative to the job's output folder")
    size: int
    url: str


class OutputList(BaseModel):
    job: str
    files: list[OutputFile]


# -- runs (result store) ---------------------------------------------------------------------------
class RunList(BaseModel):
    runs: list[dict[str, Any]]


class RunDetail(BaseModel):
    id: str
    run: dict[str, Any]


class RunTable(BaseModel):
    run: str
    table: str
    columns: list[str]
    rows: list[list[Any]]
    total_rows: int
    truncated: bool


class RunDiff(BaseModel):
    a: str
    b: str
    diff: dict[str, Any]

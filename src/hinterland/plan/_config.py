"""Plan configuration: a YAML file validated against a schema kept as data (:data:`PLAN_SCHEMA`).

The schema maps every key to ``{type, default, doc, ...}`` with the same vocabulary as the economy
scenario schema: ``type`` is one of ``str``, ``int``, ``number``, ``bool``, ``path``, ``range`` (two
numbers ``[low, high]``), ``regions`` (``all`` or a list of region ids), ``list`` (``of`` an item type
or a block name), ``map`` (``of`` a value type) or ``block`` (``of`` a nested block); ``min``/``max``,
``enum``, ``nullable``, ``required``. A user file gives only what it changes; everything else takes
the schema default, which ``default_plan.yaml`` spells out in full.

Every problem is collected (not just the first) and reported with the file, the line, the key path,
the bad value, what was expected and the fix, as a :class:`PlanConfigError`.
"""

from __future__ import annotations

import copy
import difflib
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from hinterland.backup import list_chains
from hinterland.config import DEFAULT_SEED
from hinterland.datasets import load_china
from hinterland.economy import list_scenarios, load_scenario
from hinterland.errors import ConfigError, HinterlandError, Problem

__all__ = [
    "PLAN_SCHEMA",
    "PlanConfig",
    "PlanConfigError",
    "default_plan_path",
    "load_plan_config",
    "plan_config_reference",
    "plan_schema_defaults",
    "validate_plan_config",
]

_ROLES = ["core", "hinterland", "front"]
_COMMODITIES = ["grain", "energy", "medical"]

PLAN_SCHEMA: dict[str, dict[str, dict[str, Any]]] = {
    "plan": {
        "name": {
            "type": "str",
            "default": "default",
            "doc": "short id of the plan (used in run ids and file names)",
        },
        "title": {"type": "str", "default": "Strategic hinterland plan", "doc": "title of the report"},
        "seed": {"type": "int", "min": 0, "default": DEFAULT_SEED, "doc": "seed of every random draw"},
        "regions": {"type": "block", "of": "regions", "default": {}},
        "scenarios": {
            "type": "list",
            "of": "scenario",
            "default": [
                {"name": "coastal-blockade"},
                {"name": "corridor-cut"},
                {"name": "import-embargo"},
                {"name": "lockdown"},
                {"name": "regional-disaster"},
            ],
            "doc": "shocks the plan is judged under (economy library names or custom files)",
        },
        "ensemble": {"type": "block", "of": "ensemble", "default": {}},
        "stress": {"type": "block", "of": "stress", "default": {}},
        "assessment": {"type": "block", "of": "assessment", "default": {}},
        "costs": {"type": "block", "of": "costs", "default": {}},
        "budgets": {"type": "block", "of": "budgets", "default": {}},
        "reserves": {"type": "block", "of": "reserves", "default": {}},
        "backup": {"type": "block", "of": "backup", "default": {}},
        "network": {"type": "block", "of": "network", "default": {}},
        "runner": {"type": "block", "of": "runner", "default": {}},
        "report": {"type": "block", "of": "report", "default": {}},
    },
    "regions": {
        "include": {"type": "regions", "default": "all", "doc": "regions in the plan: all, or a list of ids"},
        "roles": {
            "type": "map",
            "of": "role",
            "default": {},
            "doc": "region id -> core | hinterland | front, overriding the bundled roles",
        },
    },
    "scenario": {
        "name": {"type": "str", "nullable": True, "default": None, "doc": "economy scenario library id"},
        "file": {
            "type": "path",
            "nullable": True,
            "default": None,
            "doc": "custom scenario YAML (relative to the plan file); instead of name",
        },
        "probability": {
            "type": "number",
            "min": 0,
            "max": 1,
            "nullable": True,
            "default": None,
            "doc": "annual probability; null = the scenario file's own (every library scenario has one)",
        },
    },
    "ensemble": {
        "draws": {
            "type": "int",
            "min": 0,
            "max": 100000,
            "default": 13,
            "doc": "paired draws per scenario besides its central run (each draw: the scenario's shock "
            "multipliers and one state of the engine parameters below, the same state in every scenario)",
        },
        "psi": {
            "type": "range",
            "min": 0.05,
            "max": 1,
            "default": [0.7, 0.9],
            "doc": "inventory threshold ψ [low, high] (central 0.8, BoARIO)",
        },
        "alpha_tau_days": {
            "type": "range",
            "min": 2,
            "default": [180, 730],
            "doc": "overproduction ramp-up τ_α in days [low, high] (central 365, Hallegatte 2008)",
        },
        "stock_scale": {
            "type": "range",
            "min": 0.05,
            "default": [0.67, 1.33],
            "doc": "multiplier of every finite stock of stockable goods (90 days → 60-120)",
        },
        "rebuild_tau_scale": {
            "type": "range",
            "min": 0.05,
            "default": [0.7, 1.3],
            "doc": "multiplier of the reconstruction time τ of rebuild events",
        },
        "priority_share": {
            "type": "number",
            "min": 0,
            "max": 1,
            "default": 0.5,
            "doc": "share of draws rationed by priority (households and priority_sectors first) instead of "
            "proportionally",
        },
        "priority_sectors": {
            "type": "list",
            "of": "str",
            "default": ["sec01", "sec06", "sec24", "sec26", "sec40"],
            "doc": "critical sectors served first under priority rationing (agriculture, food, power, water, "
            "health)",
        },
    },
    "stress": {
        "draws": {
            "type": "int",
            "min": 0,
            "max": 100000,
            "default": 0,
            "doc": "random capacity shocks to provinces of `roles` (a stress test without probability; "
            "0 = none)",
        },
        "roles": {"type": "list", "of": "role", "default": ["front"], "doc": "roles of the provinces hit"},
        "regions_per_draw": {
            "type": "range",
            "int": True,
            "min": 1,
            "default": [1, 3],
            "doc": "provinces hit per draw [low, high]",
        },
        "severity": {
            "type": "range",
            "min": 0,
            "max": 1,
            "default": [0.1, 0.5],
            "doc": "capacity-loss share [low, high]",
        },
        "duration_days": {
            "type": "range",
            "int": True,
            "min": 1,
            "default": [10, 60],
            "doc": "days at full strength [low, high]",
        },
        "recovery_days": {
            "type": "range",
            "int": True,
            "min": 1,
            "default": [30, 90],
            "doc": "days to recover [low, high]",
        },
        "steps": {"type": "int", "min": 2, "max": 3650, "default": 180, "doc": "simulated days per draw"},
    },
    "assessment": {
        "select": {
            "type": "bool",
            "default": True,
            "doc": "screen every lever alone and recommend those that pay (false: judge the proposed plan "
            "only)",
        },
        "shortage_value": {
            "type": "number",
            "min": 0,
            "default": 1.0,
            "doc": "value of a yuan of reserve goods households receive in a shortage (1 = its price)",
        },
        "transport_utilisation": {
            "type": "number",
            "min": 0.01,
            "max": 1,
            "default": 1.0,
            "doc": "share of a province pair's intact rail capacity that normal trade uses",
        },
        "horizons": {
            "type": "map",
            "of": "days",
            "default": {
                "import-embargo": 730,
                "coastal-blockade": 450,
                "corridor-cut": 120,
                "regional-disaster": 730,
            },
            "doc": "simulated days per scenario label (long enough for both arms to return to normal); "
            "others: the scenario's own horizon",
        },
    },
    "costs": {
        "discount_rate": {
            "type": "number",
            "min": 0,
            "max": 0.5,
            "default": 0.08,
            "doc": "social discount rate (NDRC & MOHURD 2006: 8 %)",
        },
        "backup_life_years": {"type": "number", "min": 1, "default": 15, "doc": "life of a backup base"},
        "backup_standby_share": {
            "type": "number",
            "min": 0,
            "max": 1,
            "default": 0.03,
            "doc": "yearly upkeep of warm-standby lines, share of the investment",
        },
        "rail_cost_per_km": {
            "type": "number",
            "min": 0,
            "default": 0.15,
            "doc": "1e8 CNY per km of upgraded line (double-tracking and electrifying a western corridor)",
        },
        "rail_life_years": {"type": "number", "min": 1, "default": 40, "doc": "life of a rail upgrade"},
        "rail_maintenance_share": {
            "type": "number",
            "min": 0,
            "max": 1,
            "default": 0.01,
            "doc": "yearly maintenance, share of the investment",
        },
        "reserve_holding_rate": {
            "type": "map",
            "of": "share",
            "default": {"grain": 0.15, "energy": 0.15, "medical": 0.20},
            "doc": "yearly carrying cost of a reserve (capital, storage, rotation), share of its value",
        },
    },
    "budgets": {
        "reserves": {
            "type": "number",
            "min": 0,
            "nullable": True,
            "default": None,
            "doc": "total relative fixed cost of reserve depots (commodity depot_cost units); null = no cap",
        },
        "backup": {
            "type": "number",
            "min": 0,
            "default": 5000,
            "doc": "backup-base investment budget, 1e8 CNY (the expected-loss model needs one)",
        },
        "network": {
            "type": "number",
            "min": 0,
            "default": 2000,
            "doc": "corridor-upgrade budget in km of upgraded line",
        },
    },
    "reserves": {
        "commodities": {
            "type": "list",
            "of": "commodity",
            "default": list(_COMMODITIES),
            "doc": "grain, energy, medical, or commodity YAML files",
        },
        "model": {"type": "str", "enum": ["lscp", "mclp", "p-median", "p-center", "cflp"], "default": "lscp"},
        "level": {"type": "str", "enum": ["city", "county"], "default": "city", "doc": "demand points"},
        "disruptions": {
            "type": "str",
            "enum": ["auto", "none"],
            "default": "auto",
            "doc": "auto = historic hazard footprints cut corridors",
        },
    },
    "backup": {
        "chains": {
            "type": "list",
            "of": "str",
            "default": [
                "integrated_circuits",
                "machine_tools",
                "medical_equipment",
                "instruments",
                "software",
                "advanced_materials",
                "energy",
                "grain_food",
                "pharmaceuticals",
            ],
            "doc": "key industrial chains that get backup bases",
        },
        "max_bases": {
            "type": "int",
            "min": 1,
            "max": 31,
            "nullable": True,
            "default": None,
            "doc": "most bases per chain; null = as the budget allows",
        },
        "lag_days": {
            "type": "number",
            "min": 0,
            "max": 300,
            "default": 30,
            "doc": "days from a national shortfall of a base's product to its lines starting (mobilisation); "
            "the ramp follows from the chain's ramp share",
        },
        "trigger": {
            "type": "number",
            "min": 0,
            "max": 0.99,
            "default": 0.01,
            "doc": "national supply shortfall of a product that starts its backup lines",
        },
    },
    "network": {
        "source_roles": {"type": "list", "of": "role", "default": ["core", "hinterland"]},
        "sink_roles": {"type": "list", "of": "role", "default": ["front"]},
        "upgrades": {"type": "block", "of": "upgrades", "default": {}},
    },
    "upgrades": {
        "candidates": {
            "type": "str",
            "default": "auto",
            "doc": "auto = the min-cut links, or a CSV (u, v, add_capacity, cost)",
        },
        "max_candidates": {"type": "int", "min": 1, "max": 500, "default": 40},
        "capacity_factor": {
            "type": "number",
            "min": 1,
            "default": 2.0,
            "doc": "an upgraded link's capacity × this",
        },
    },
    "runner": {
        "backend": {
            "type": "str",
            "enum": ["inprocess", "process", "dask"],
            "default": "inprocess",
            "doc": "inprocess: one process, the ARIO engine runs its batch on every core; process or dask "
            "for more machines or many small tasks",
        },
        "workers": {
            "type": "int",
            "min": 1,
            "max": 1024,
            "nullable": True,
            "default": None,
            "doc": "worker processes; null = 2",
        },
        "scheduler": {
            "type": "str",
            "nullable": True,
            "default": None,
            "doc": "Dask scheduler tcp://host:port; null = a local cluster",
        },
        "store": {
            "type": "str",
            "default": "hinterland_runs.duckdb",
            "doc": "result store file (relative to the working directory)",
        },
    },
    "report": {
        "languages": {"type": "list", "of": "lang", "default": ["en", "zh"]},
        "formats": {"type": "list", "of": "format", "default": ["html", "pdf", "xlsx"]},
    },
}
# keys that moved: the random front-province shocks became the `stress` block when `ensemble` became the
# paired assessment ensemble
_MOVED = {
    (
        "ensemble",
        k,
    ): f"it moved to stress.{k} (random front-province shocks); ensemble now sets the paired draws"
    for k in ("roles", "regions_per_draw", "severity", "duration_days", "recovery_days", "steps")
}
_ITEM_ENUMS = {
    "role": _ROLES,
    "lang": ["en", "zh"],
    "format": ["html", "pdf", "xlsx", "csv"],
}


class PlanConfigError(ConfigError):
    """A plan config breaks the schema; ``problems`` lists every finding with file, line and key."""

    def __init__(self, problems: list[Problem], source: str) -> None:
        self.problems = tuple(problems)
        self.source = source
        n = len(problems)
        lines = [f"{n} problem{'s' if n != 1 else ''} in plan config {source}:"]
        lines += [f"  - {p}" for p in problems]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class PlanConfig:
    """A validated plan config: ``data`` holds every key (defaults filled, region ids as adcodes)."""

    data: dict[str, Any] = field(repr=False)
    source: str = "<defaults>"

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    @property
    def seed(self) -> int:
        return int(self.data["seed"])

    @property
    def draws(self) -> int:
        return int(self.data["ensemble"]["draws"])

    @property
    def backend(self) -> str:
        return str(self.data["runner"]["backend"])

    def scenario_weights(self) -> dict[str, float]:
        """Scenario label → annual probability (the plan's, else the scenario file's)."""
        out = {}
        for s in self.data["scenarios"]:
            label = s["name"] or Path(s["file"]).stem
            p = s["probability"]
            out[label] = float(
                p if p is not None else (load_scenario(s["name"] or s["file"]).probability or 0.0)
            )
        return out

    def to_dict(self) -> dict[str, Any]:
        return copy.deepcopy(self.data)


def default_plan_path() -> Path:
    """The bundled default plan (``hinterland/plan/data/default_plan.yaml``)."""
    return Path(str(resources.files("hinterland.plan").joinpath("data/default_plan.yaml")))


def plan_schema_defaults(block: str = "plan") -> dict[str, Any]:
    """Every key of ``block`` with its default (nested blocks filled)."""
    out: dict[str, Any] = {}
    for key, spec in PLAN_SCHEMA[block].items():
        if spec["type"] == "block":
            out[key] = plan_schema_defaults(spec["of"])
        else:
            out[key] = copy.deepcopy(spec["default"])
    return out


# ---------------------------------------------------------------- line numbers


def _line_map(text: str) -> dict[tuple[object, ...], int]:
    """(key path) → 1-based line of every mapping key and list item in a YAML text."""
    out: dict[tuple[object, ...], int] = {}
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return out

    def walk(node: Any, path: tuple[object, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                key = (*path, k.value)
                out[key] = k.start_mark.line + 1
                if str(k.value).lstrip("-").isdigit():  # int keys (adcodes) are looked up as ints
                    out[(*path, int(k.value))] = out[key]
                walk(v, key)
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                out[(*path, i)] = v.start_mark.line + 1
                walk(v, (*path, i))

    if root is not None:
        walk(root, ())
    return out


# ---------------------------------------------------------------- validation


class _Checker:
    def __init__(self, source: str, lines: Mapping[tuple[object, ...], int], base: Path | None) -> None:
        self.source = source
        self.lines = lines
        self.base = base
        self.problems: list[Problem] = []

    def problem(self, path: tuple[object, ...], message: str, expected: str, fix: str) -> None:
        line = None
        for k in range(len(path), 0, -1):
            line = self.lines.get(tuple(p if isinstance(p, int) else str(p) for p in path[:k]))
            if line is not None:
                break
        self.problems.append(
            Problem(
                check="plan-config",
                message=message,
                file=self.source,
                row=line,
                column=_dotted(path) or "(top level)",
                expected=expected,
                fix=fix,
            )
        )

    # -- blocks and values
    def block(self, name: str, value: Any, path: tuple[object, ...]) -> dict[str, Any]:
        schema = PLAN_SCHEMA[name]
        if value is None:
            value = {}
        if not isinstance(value, Mapping):
            self.problem(
                path, f"got {_show(value)}", f"a mapping of {', '.join(schema)}", "write key: value lines"
            )
            return plan_schema_defaults(name)
        out: dict[str, Any] = {}
        for key in value:
            if key not in schema:
                moved = _MOVED.get((name, str(key)))
                close = difflib.get_close_matches(str(key), list(schema), n=1)
                fix = (
                    moved
                    if moved
                    else f"did you mean {close[0]!r}?"
                    if close
                    else f"remove it; known keys: {', '.join(schema)}"
                )
                self.problem((*path, key), f"unknown key {key!r}", f"one of {', '.join(schema)}", fix)
        for key, spec in schema.items():
            if key in value:
                out[key] = self.value(spec, value[key], (*path, key))
            elif spec.get("required"):
                self.problem(
                    (*path, key), "missing required key", spec.get("doc", spec["type"]), f"add {key}:"
                )
            elif spec["type"] == "block":
                out[key] = self.block(spec["of"], {}, (*path, key))
            elif spec["default"] is None:
                out[key] = None
            else:  # defaults go through the same checks, so lists of blocks get every key filled
                out[key] = self.value(spec, copy.deepcopy(spec["default"]), (*path, key))
        return out

    def value(self, spec: Mapping[str, Any], v: Any, path: tuple[object, ...]) -> Any:
        kind = spec["type"]
        if v is None:
            if spec.get("nullable") or kind == "block":
                return self.block(spec["of"], {}, path) if kind == "block" else None
            self.problem(
                path, "is empty (null)", _expected(spec), "give a value or delete the key for the default"
            )
            return copy.deepcopy(spec.get("default"))
        if kind == "block":
            return self.block(spec["of"], v, path)
        if kind == "list":
            if not isinstance(v, list):
                self.problem(
                    path,
                    f"got {_show(v)}",
                    f"a list of {spec['of']}",
                    "write [a, b] or one '- item' per line",
                )
                return copy.deepcopy(spec["default"])
            return [self.item(spec["of"], x, (*path, i)) for i, x in enumerate(v)]
        if kind == "map":
            if not isinstance(v, Mapping):
                self.problem(
                    path, f"got {_show(v)}", f"a mapping of id: {spec['of']}", "write id: value lines"
                )
                return {}
            return {k: self.item(spec["of"], x, (*path, k)) for k, x in v.items()}
        if kind == "regions":
            if v == "all":
                return "all"
            if not isinstance(v, list) or not v:
                self.problem(
                    path,
                    f"got {_show(v)}",
                    "'all' or a non-empty list of region ids",
                    "e.g. [510000, 四川, Chongqing]",
                )
                return "all"
            return v
        if kind == "range":
            return self.range(spec, v, path)
        return self.scalar(spec, v, path)

    def item(self, of: str, x: Any, path: tuple[object, ...]) -> Any:
        if of in PLAN_SCHEMA:
            return self.block(of, x, path)
        if of in _ITEM_ENUMS:
            if x not in _ITEM_ENUMS[of]:
                self.problem(
                    path,
                    f"got {_show(x)}",
                    f"one of {', '.join(_ITEM_ENUMS[of])}",
                    _close_fix(x, _ITEM_ENUMS[of]),
                )
            return x
        if of == "commodity":
            if not isinstance(x, str):
                self.problem(path, f"got {_show(x)}", "grain, energy, medical or a YAML file", "give a name")
            elif x not in _COMMODITIES and not x.endswith((".yaml", ".yml")):
                self.problem(
                    path,
                    f"unknown commodity {x!r}",
                    "grain, energy, medical or a commodity .yaml file",
                    _close_fix(x, _COMMODITIES),
                )
            elif x.endswith((".yaml", ".yml")):
                return self.path_value(x, path)
            return x
        if of == "days":
            return self.scalar({"type": "int", "min": 2, "max": 36500}, x, path)
        if of == "share":
            return self.scalar({"type": "number", "min": 0, "max": 1}, x, path)
        return self.scalar({"type": of}, x, path)

    def scalar(self, spec: Mapping[str, Any], v: Any, path: tuple[object, ...]) -> Any:
        kind = spec["type"]
        if kind in ("str", "path"):
            if not isinstance(v, str) or not v.strip():
                self.problem(path, f"got {_show(v)}", "a non-empty text", "quote the value")
                return spec.get("default")
            if "enum" in spec and v not in spec["enum"]:
                self.problem(
                    path, f"got {v!r}", f"one of {', '.join(spec['enum'])}", _close_fix(v, spec["enum"])
                )
                return spec.get("default")
            return self.path_value(v, path) if kind == "path" else v
        if kind == "bool":
            if not isinstance(v, bool):
                self.problem(path, f"got {_show(v)}", "true or false", "write true or false")
            return bool(v)
        if kind in ("int", "number"):
            ok = isinstance(v, int) and not isinstance(v, bool)
            if kind == "number":
                ok = ok or (isinstance(v, float) and math.isfinite(v))
            if not ok:
                what = "a whole number" if kind == "int" else "a finite number"
                self.problem(path, f"got {_show(v)}", what, "write a plain number without units or quotes")
                return spec.get("default")
            lo, hi = spec.get("min"), spec.get("max")
            if (lo is not None and v < lo) or (hi is not None and v > hi):
                self.problem(path, f"{v} is out of range", _bounds(lo, hi), f"use a value {_bounds(lo, hi)}")
            return v
        raise AssertionError(f"schema type {kind}")  # pragma: no cover

    def range(self, spec: Mapping[str, Any], v: Any, path: tuple[object, ...]) -> Any:
        whole = spec.get("int", False)
        good = isinstance(v, list) and len(v) == 2
        good = good and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v)
        good = good and all(isinstance(x, int) for x in v) if whole and good else good
        what = "whole numbers" if whole else "numbers"
        if not good:
            self.problem(path, f"got {_show(v)}", f"[low, high], two {what}", "e.g. " + str(spec["default"]))
            return copy.deepcopy(spec["default"])
        lo, hi = spec.get("min"), spec.get("max")
        if v[0] > v[1]:
            self.problem(path, f"low {v[0]} > high {v[1]}", "low ≤ high", f"swap them: [{v[1]}, {v[0]}]")
        if any((lo is not None and x < lo) or (hi is not None and x > hi) for x in v):
            self.problem(path, f"{v} is out of range", f"both values {_bounds(lo, hi)}", "change the bounds")
        return list(v)

    def path_value(self, v: str, path: tuple[object, ...]) -> str:
        p = Path(v).expanduser()
        if not p.is_absolute() and self.base is not None:
            p = self.base / p
        return str(p)


def _dotted(path: tuple[object, ...]) -> str:
    text = ""
    for p in path:
        text += f"[{p}]" if isinstance(p, int) else (f".{p}" if text else str(p))
    return text


def _show(v: Any) -> str:
    text = repr(v)
    return (text[:60] + "…") if len(text) > 60 else text


def _bounds(lo: Any, hi: Any) -> str:
    if lo is not None and hi is not None:
        return f"between {lo} and {hi}"
    return f"≥ {lo}" if lo is not None else f"≤ {hi}"


def _expected(spec: Mapping[str, Any]) -> str:
    if "enum" in spec:
        return "one of " + ", ".join(spec["enum"])
    return str(spec.get("doc") or spec["type"])


def _close_fix(value: Any, options: list[str]) -> str:
    close = difflib.get_close_matches(str(value), options, n=1)
    return f"did you mean {close[0]!r}?" if close else f"use one of {', '.join(options)}"


def _semantic(ck: _Checker, data: dict[str, Any]) -> None:
    regions = load_china().regions
    inc = data["regions"]["include"]
    if isinstance(inc, list):
        resolved = []
        for i, r in enumerate(inc):
            code = regions.try_resolve(r)
            if code is None:
                ck.problem(
                    ("regions", "include", i),
                    regions.unknown_message(r),
                    "a region id",
                    "use an adcode or name",
                )
            else:
                resolved.append(code)
        data["regions"]["include"] = resolved
    roles = {}
    for key, role in data["regions"]["roles"].items():
        code = regions.try_resolve(key)
        if code is None:
            ck.problem(
                ("regions", "roles", key),
                regions.unknown_message(key),
                "a region id",
                "use an adcode or name",
            )
        else:
            roles[code] = role
    data["regions"]["roles"] = roles

    scen = data["scenarios"]
    if not scen:
        ck.problem(("scenarios",), "no scenarios", "at least one scenario", "add - name: coastal-blockade")
    library = list_scenarios()
    for i, s in enumerate(scen):
        if (s["name"] is None) == (s["file"] is None):
            ck.problem(
                ("scenarios", i),
                "give exactly one of name or file",
                "name: LIBRARY_ID or file: PATH",
                "keep one of them",
            )
        elif s["name"] is not None and s["name"] not in library:
            ck.problem(
                ("scenarios", i, "name"),
                f"unknown scenario {s['name']!r}",
                "a library id: " + ", ".join(library),
                _close_fix(s["name"], library),
            )
        elif s["file"] is not None and not Path(s["file"]).is_file():
            ck.problem(
                ("scenarios", i, "file"),
                f"file {s['file']} does not exist",
                "a scenario YAML file",
                "check the path (relative to the plan file)",
            )
    probs = []
    for i, s in enumerate(scen):
        p = s["probability"]
        loadable = s["name"] in library if s["name"] is not None else s["file"] is not None
        if p is None and (s["name"] is None) != (s["file"] is None) and loadable:
            try:
                p = load_scenario(s["name"] or s["file"]).probability
            except HinterlandError:
                continue  # the scenario's own error is reported when the plan runs
            if p is None:
                ck.problem(
                    ("scenarios", i, "probability"),
                    f"scenario {s['name'] or s['file']} has no annual probability",
                    "a probability in [0, 1] here or in the scenario file",
                    "add probability: 0.01 (the net benefit needs it)",
                )
        probs.append(p)
    known = [p for p in probs if p is not None]
    if known and sum(known) > 1 + 1e-9:
        ck.problem(
            ("scenarios",),
            f"probabilities sum to {sum(known):.4g} > 1",
            "mutually exclusive events in one year, sum ≤ 1",
            "lower them",
        )
    labels = [s["name"] or s["file"] for s in scen]
    dup = sorted({x for x in labels if labels.count(x) > 1 and x is not None})
    if dup:
        ck.problem(
            ("scenarios",), f"duplicate scenarios {dup}", "each scenario once", "remove the duplicates"
        )

    chains = list_chains()
    for i, c in enumerate(data["backup"]["chains"]):
        if c not in chains:
            ck.problem(
                ("backup", "chains", i),
                f"unknown chain {c!r}",
                "one of " + ", ".join(chains),
                _close_fix(c, chains),
            )

    st = data["stress"]
    if st["duration_days"][1] >= st["steps"]:
        ck.problem(
            ("stress", "duration_days"),
            f"longest shock {st['duration_days'][1]} d ≥ steps {st['steps']}",
            "duration < steps",
            "raise stress.steps or shorten the shocks",
        )
    sectors = [f"sec{k:02d}" for k in range(1, 43)]
    for i, sec in enumerate(data["ensemble"]["priority_sectors"]):
        if sec not in sectors:
            ck.problem(
                ("ensemble", "priority_sectors", i),
                f"unknown sector {sec!r}",
                "a sector id sec01 … sec42 of the bundled MRIO",
                _close_fix(sec, sectors),
            )
    for com in data["costs"]["reserve_holding_rate"]:
        if com not in _COMMODITIES:
            ck.problem(
                ("costs", "reserve_holding_rate", com),
                f"unknown commodity {com!r}",
                "grain, energy or medical",
                _close_fix(com, _COMMODITIES),
            )
    runner = data["runner"]
    sched = runner["scheduler"]
    if sched is not None and runner["backend"] != "dask":
        ck.problem(
            ("runner", "scheduler"),
            f"scheduler given but backend is {runner['backend']!r}",
            "backend: dask",
            "set runner.backend: dask or remove the scheduler",
        )
    if sched is not None and not str(sched).startswith(("tcp://", "tls://", "inproc://", "ucx://")):
        ck.problem(
            ("runner", "scheduler"),
            f"got {sched!r}",
            "an address like tcp://host:8786",
            "start it with `dask scheduler` and copy its address",
        )


def validate_plan_config(
    data: Mapping[str, Any] | None,
    source: str = "<dict>",
    *,
    base_dir: Path | None = None,
    text: str | None = None,
) -> PlanConfig:
    """Check ``data`` (a parsed plan) against :data:`PLAN_SCHEMA`; fill defaults; resolve region ids and
    relative paths (against ``base_dir``). Raises :class:`PlanConfigError` listing every problem."""
    ck = _Checker(source, _line_map(text) if text else {}, base_dir)
    clean = ck.block("plan", data, ())
    # the rules between keys run on the checked values (a bad value stands in as its default); a rule
    # about a key the schema already faulted is not reported twice
    faulted = [str(q.column) for q in ck.problems]
    n = len(ck.problems)
    _semantic(ck, clean)
    ck.problems[n:] = [q for q in ck.problems[n:] if not any(str(q.column).startswith(f) for f in faulted)]
    if ck.problems:
        raise PlanConfigError(ck.problems, source)
    return PlanConfig(clean, source)


def _deep_merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for k, v in over.items():
        if isinstance(v, Mapping) and isinstance(out.get(k), dict):
            out[k] = _deep_merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def load_plan_config(
    path: str | Path | None = None, overrides: Mapping[str, Any] | None = None
) -> PlanConfig:
    """Read and validate a plan YAML (``None``: the bundled default); ``overrides`` (nested mapping,
    e.g. ``{"seed": 7, "ensemble": {"draws": 8}}``) are applied on top before validation."""
    file = default_plan_path() if path is None else Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(
            f"cannot read plan config {file}: {exc.strerror or exc}. Fix: check the path."
        ) from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise ConfigError(
            f"plan config {file}{where}: not valid YAML ({getattr(exc, 'problem', exc)}). "
            "Fix: check indentation and quoting there."
        ) from exc
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise ConfigError(f"plan config {file}: expected a mapping of keys at the top, got {_show(data)}")
    source = str(file)
    if overrides:
        data = _deep_merge(dict(data), overrides)

        def dotted(d: Mapping[str, Any], pre: str = "") -> list[str]:
            out: list[str] = []
            for k, v in d.items():
                out += dotted(v, f"{pre}{k}.") if isinstance(v, Mapping) and v else [f"{pre}{k}"]
            return out

        # say which values came from options (CLI/API) rather than from the file
        source = f"{file} with overrides from the options ({', '.join(dotted(overrides))})"
    return validate_plan_config(data, source, base_dir=file.parent, text=text)


def plan_config_reference() -> str:
    """The schema as a Markdown table (key, type, default, meaning), for docs/plan.md."""
    rows = ["| key | type | default | meaning |", "|---|---|---|---|"]

    def walk(block: str, prefix: str) -> None:
        for key, spec in PLAN_SCHEMA[block].items():
            name = f"{prefix}{key}"
            if spec["type"] == "block":
                walk(spec["of"], name + ".")
                continue
            kind = spec["type"] + (f" of {spec['of']}" if "of" in spec else "")
            if "enum" in spec:
                kind += " (" + " \\| ".join(spec["enum"]) + ")"
            lo, hi = spec.get("min"), spec.get("max")
            if lo is not None or hi is not None:
                kind += f", {_bounds(lo, hi)}"
            default = spec["default"]
            shown = "…" if isinstance(default, list) and len(str(default)) > 40 else str(default)
            rows.append(f"| `{name}` | {kind} | `{shown}` | {spec.get('doc', '')} |")
            if spec["type"] == "list" and spec.get("of") in PLAN_SCHEMA:
                walk(spec["of"], name + "[].")

    walk("plan", "")
    return "\n".join(rows)

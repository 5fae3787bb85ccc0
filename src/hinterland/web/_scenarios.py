"""Scenario library listing and validation of posted scenario YAML (errors carry key paths)."""

from __future__ import annotations

import importlib
import re
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from hinterland.containers import Dataset
from hinterland.errors import HinterlandError, ValidationError

__all__ = ["economy_function", "library", "library_text", "validate_scenario"]

_ANY_REGION = {"all", "*", "any", "national", "全国"}


def economy_function(name: str) -> Callable[..., Any] | None:
    """``hinterland.economy.<name>`` when that part of the economy engine exists, else None."""
    try:
        mod = importlib.import_module("hinterland.economy")
    except ImportError:
        return None
    fn = getattr(mod, name, None)
    return fn if callable(fn) else None


def _info(item: Any) -> dict[str, str]:
    if isinstance(item, str):
        return {"name": item, "title": "", "description": ""}
    if isinstance(item, dict):
        get = item.get
    else:

        def get(key: str, default: Any = "") -> Any:
            return getattr(item, key, default)

    name = get("name", "") or get("id", "")
    title = get("title", "") or get("label_en", "") or get("label", "")
    desc = get("description", "") or get("label_zh", "")
    return {"name": str(name), "title": str(title or ""), "description": str(desc or "")}


@lru_cache(maxsize=1)
def _library() -> tuple[bool, tuple[tuple[str, str, str], ...]]:
    available, infos = _read_library()
    return available, tuple((i["name"], i["title"], i["description"]) for i in infos)


def library() -> tuple[bool, list[dict[str, str]]]:
    """(available, scenarios) from ``hinterland.economy.list_scenarios`` (read once per process)."""
    available, rows = _library()
    return available, [{"name": n, "title": t, "description": d} for n, t, d in rows]


def _read_library() -> tuple[bool, list[dict[str, str]]]:
    fn = economy_function("list_scenarios")
    if fn is None:
        return False, []
    items = fn()
    if hasattr(items, "to_dict") and hasattr(items, "reset_index"):  # a DataFrame
        items = items.reset_index().to_dict("records")
    infos = [_info(i) for i in items]
    for info in infos:  # titles from the files when the library lists bare names
        if not info["title"]:
            text = library_text(info["name"])
            data = yaml.safe_load(text) if text else None
            if isinstance(data, dict):
                info["title"] = str(data.get("title") or "")
                info["description"] = " ".join(str(data.get("description") or "").split())
    return True, infos


def library_text(name: str) -> str | None:
    """The YAML file of a library scenario, looked up in the economy package's files."""
    try:
        mod = importlib.import_module("hinterland.economy")
    except ImportError:
        return None
    root = Path(str(mod.__file__)).parent
    for suffix in (".yaml", ".yml"):
        for path in sorted(root.rglob(f"{name}{suffix}")):
            if path.is_file():
                return path.read_text(encoding="utf-8")
    return None


def _walk(node: yaml.Node, path: str, errors: list[dict[str, Any]]) -> None:
    """Duplicate keys and non-scalar keys anywhere in the document, with their key paths."""
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                errors.append(
                    {
                        "path": path,
                        "message": "mapping keys must be plain names",
                        "line": key.start_mark.line + 1,
                    }
                )
                continue
            sub = f"{path}.{key.value}" if path else str(key.value)
            if key.value in seen:
                errors.append(
                    {
                        "path": sub,
                        "message": f"duplicate key {key.value!r} (first on line {seen[key.value]}); "
                        "YAML would silently keep only the last one. Fix: remove or rename one.",
                        "line": key.start_mark.line + 1,
                    }
                )
            seen[key.value] = key.start_mark.line + 1
            _walk(value, sub, errors)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _walk(item, f"{path}[{i}]", errors)


def _lines(node: yaml.Node, path: str, out: dict[str, int]) -> None:
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                sub = f"{path}.{key.value}" if path else str(key.value)
                out.setdefault(sub, key.start_mark.line + 1)
                _lines(value, sub, out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _lines(item, f"{path}[{i}]", out)


def _key_path(message: str, lines: dict[str, int]) -> str:
    """The key path a message starts with (``shocks[0].share = 1.3 is ...`` → ``shocks[0].share``)."""
    m = re.match(r"([A-Za-z_][\w\-]*(?:\[\d+\]|\.[A-Za-z_][\w\-]*)*)", message)
    if m is None:
        return ""
    key = m.group(1)
    top = key.split(".")[0].split("[")[0]
    rest = message[m.end() :].split()
    verb = rest[0] if rest else ""
    return key if key in lines or top in lines or verb in {"is", "=", "must", "has", "needs", ":"} else ""


def _regions(ds: Dataset, data: Any, path: str, errors: list[dict[str, Any]], groups: set[str]) -> None:
    """Every value under a key named region(s) / *_region(s) must be a known region."""
    if isinstance(data, dict):
        for key, value in data.items():
            sub = f"{path}.{key}" if path else str(key)
            k = str(key).lower()
            if k in {"region", "regions"} or k.endswith(("_region", "_regions")):
                values = value if isinstance(value, list) else [value]
                for i, v in enumerate(values):
                    if isinstance(v, (dict, list)) or v is None:
                        continue
                    if str(v).strip().lower() in _ANY_REGION or str(v).strip().lower() in groups:
                        continue
                    if ds.regions.try_resolve(v) is None:
                        p = f"{sub}[{i}]" if isinstance(value, list) else sub
                        errors.append({"path": p, "message": ds.regions.unknown_message(v)})
            _regions(ds, value, sub, errors, groups)
    elif isinstance(data, list):
        for i, item in enumerate(data):
            _regions(ds, item, f"{path}[{i}]", errors, groups)


def validate_scenario(text: str, ds: Dataset, mrio_loader: Callable[[], Any] | None = None) -> dict[str, Any]:
    """Check scenario YAML: syntax and duplicate keys, then the economy engine's schema and ids
    (``hinterland.economy.load_scenario``) or, where that is absent, region ids.
    Returns ``{valid, errors, checks, summary}``; errors carry key paths and line numbers."""
    errors: list[dict[str, Any]] = []
    checks = ["yaml"]
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        errors.append({"path": "", "message": f"YAML syntax error: {problem}", "line": line})
        return {"valid": False, "errors": errors, "checks": checks, "summary": {}}
    if node is None or not isinstance(data, dict):
        got = "an empty document" if node is None else type(data).__name__
        errors.append(
            {
                "path": "",
                "message": f"a scenario is a mapping of keys (name, shocks, ...); got {got}",
                "line": 1,
            }
        )
        return {"valid": False, "errors": errors, "checks": checks, "summary": {}}
    _walk(node, "", errors)
    lines: dict[str, int] = {}
    _lines(node, "", lines)
    summary: dict[str, Any] = {"keys": [str(k) for k in data]}
    load = economy_function("load_scenario")
    if load is None:  # no schema yet: at least check region ids (group names defined in the file pass)
        checks.append("regions")
        groups = data.get("region_groups")
        known = {str(g).lower() for g in groups} if isinstance(groups, dict) else set()
        _regions(ds, data, "", errors, known)
    elif not errors:
        checks.append("economy")
        with tempfile.TemporaryDirectory(prefix="hinterland-scenario-") as tmp:
            path = Path(tmp) / "scenario.yaml"
            path.write_text(text, encoding="utf-8")
            try:
                scenario = load(path, mrio=mrio_loader()) if mrio_loader is not None else load(path)
            except ValidationError as exc:
                for p in exc.problems:
                    errors.append({"path": p.column or "", "message": str(p).replace(str(path), "scenario")})
            except HinterlandError as exc:
                message = str(exc).replace(f"{path}: ", "").replace(str(path), "scenario")
                errors.append({"path": _key_path(message, lines), "message": message})
            else:
                for attr in ("name", "title"):
                    value = getattr(scenario, attr, None)
                    if value is not None:
                        summary[attr] = str(value)
    for err in errors:
        if err.get("line") is None and err["path"] in lines:
            err["line"] = lines[err["path"]]
    return {"valid": not errors, "errors": errors, "checks": checks, "summary": summary}

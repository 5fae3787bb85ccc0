"""Scenario library listing and validation of posted scenario YAML (errors carry key paths)."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

import hinterland.economy as economy
from hinterland.containers import MRIO
from hinterland.datasets import load_china_mrio
from hinterland.errors import HinterlandError, ValidationError

__all__ = ["library", "library_text", "validate_scenario"]


@lru_cache(maxsize=1)
def _library() -> tuple[tuple[str, str, str], ...]:
    rows = []
    for name in economy.list_scenarios():
        text = library_text(name)
        data = yaml.safe_load(text) if text else None
        info = data if isinstance(data, dict) else {}
        title = str(info.get("title") or "")
        description = " ".join(str(info.get("description") or "").split())
        rows.append((name, title, description))
    return tuple(rows)


def library() -> list[dict[str, str]]:
    """The scenarios of ``hinterland.economy.list_scenarios`` with title and description from their
    files (read once per process)."""
    return [{"name": n, "title": t, "description": d} for n, t, d in _library()]


def library_text(name: str) -> str | None:
    """The YAML file of a library scenario, looked up in the economy package's files."""
    if name not in economy.list_scenarios():
        return None
    root = Path(str(economy.__file__)).parent
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


def validate_scenario(text: str, mrio_loader: Callable[[], MRIO] = load_china_mrio) -> dict[str, Any]:
    """Check scenario YAML: syntax and duplicate keys, then the economy engine's schema and region and
    sector ids (``hinterland.economy.load_scenario`` against the MRIO ``mrio_loader`` returns).
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
    if not errors:
        checks.append("economy")
        with tempfile.TemporaryDirectory(prefix="hinterland-scenario-") as tmp:
            path = Path(tmp) / "scenario.yaml"
            path.write_text(text, encoding="utf-8")
            try:
                scenario = economy.load_scenario(path, mrio=mrio_loader())
            except economy.ScenarioConfigError as exc:  # every problem of the file, one entry each
                for msg in exc.problems:
                    message = msg.replace(f"{path}: ", "").replace(str(path), "scenario")
                    errors.append({"path": _key_path(message, lines), "message": message})
            except ValidationError as exc:
                for p in exc.problems:
                    errors.append({"path": p.column or "", "message": str(p).replace(str(path), "scenario")})
            except HinterlandError as exc:
                message = str(exc).replace(f"{path}: ", "").replace(str(path), "scenario")
                errors.append({"path": _key_path(message, lines), "message": message})
            else:
                summary["name"], summary["title"] = scenario.name, scenario.title
    for err in errors:
        if err.get("line") is None and err["path"] in lines:
            err["line"] = lines[err["path"]]
    return {"valid": not errors, "errors": errors, "checks": checks, "summary": summary}

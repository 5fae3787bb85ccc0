"""Routes of the economy scenario library and the scenario validator (tag ``scenarios``)."""

from __future__ import annotations

import re

from fastapi import APIRouter
from fastapi.responses import Response

from hinterland.web._deps import ApiError, SettingsDep
from hinterland.web._models import (
    ScenarioError,
    ScenarioInfo,
    ScenarioList,
    ScenarioText,
    ScenarioValidation,
)
from hinterland.web._scenarios import library, library_text, validate_scenario

__all__ = ["router"]

router = APIRouter(prefix="/api/scenarios", tags=["scenarios"])
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,79}")


@router.get("", response_model=ScenarioList)
def scenarios() -> ScenarioList:
    """The economy engine's scenario library."""
    return ScenarioList(available=True, scenarios=[ScenarioInfo(**i) for i in library()])


@router.get("/{name}", response_class=Response)
def scenario_text(name: str) -> Response:
    """A library scenario's YAML (to start the editor from)."""
    items = library()
    if not _NAME.fullmatch(name) or name not in {i["name"] for i in items}:
        known = ", ".join(i["name"] for i in items) or "none"
        raise ApiError(404, f"unknown scenario {name[:80]!r}; library: {known}")
    text = library_text(name)
    if text is None:
        raise ApiError(404, f"scenario {name!r} has no YAML file in the library")
    return Response(text, media_type="application/yaml")


@router.post("/validate", response_model=ScenarioValidation)
def validate(body: ScenarioText, settings: SettingsDep) -> ScenarioValidation:
    """Validate scenario YAML: syntax, duplicate keys, and the economy engine's schema with its region
    and sector ids. Errors carry key paths (``shocks[0].region``) and line numbers."""
    if len(body.yaml.encode("utf-8")) > settings.max_scenario_bytes:
        raise ApiError(413, f"scenario larger than {settings.max_scenario_bytes} bytes")
    res = validate_scenario(body.yaml)
    return ScenarioValidation(
        valid=res["valid"],
        errors=[ScenarioError(**e) for e in res["errors"]],
        checks=res["checks"],
        summary=res["summary"],
    )

"""Key industrial chains as data: the YAML format, loader and validation.

A chain :math:`c` maps to IO sectors :math:`i` with weights :math:`w_{ci} \\in (0, 1]` (the chain's
share of the sector's output). Chain capacity in region :math:`r` is then
:math:`K_{cr} = \\sum_i w_{ci}\\, x_{ri}` (see :func:`hinterland.backup.chain_capacity`).
The bundled default set (``backup/data/chains.yaml``) covers the Third Plenum chains (集成电路、工业母机、
医疗装备、仪器仪表、基础软件、工业软件、先进材料) plus energy, grain and pharmaceuticals.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from hinterland.errors import ConfigError, DataFileError, Problem, UnknownIdError, ValidationError

__all__ = ["CHAIN", "Chain", "chains_table", "default_chains_path", "list_chains", "load_chains"]

CHAIN = "chain"
_NUMBERS = {
    "essential_share": (0.0, 1.0, 0.5),
    "ramp": (0.0, 1.0, 0.5),
    "min_base_share": (0.0, 1.0, 0.02),
}


@dataclass(frozen=True)
class Chain:
    """One key chain: sector weights, upstream inputs, dependent users and crisis parameters."""

    id: str
    name_en: str
    name_zh: str
    sectors: Mapping[str, float]
    upstream: tuple[str, ...] = ()
    users: tuple[str, ...] = ()
    essential_share: float = 0.5
    ramp: float = 0.5
    min_base_share: float = 0.02
    value_yuan_per_t: float = 1e5
    weight_source: str = ""
    notes: str = ""


def default_chains_path() -> Path:
    """The bundled chain set ``hinterland/backup/data/chains.yaml``."""
    return Path(str(resources.files("hinterland.backup").joinpath("data", "chains.yaml")))


def list_chains(path: str | Path | None = None) -> list[str]:
    """Ids of the chains in a chain YAML (default: the bundled set), in file order.

    The file is read and validated with :func:`load_chains` (sector ids are not checked: that needs
    the MRIO); used e.g. by the plan config validator for ``backup.chains``.
    """
    return list(load_chains(path))


def _fmt(ids: Iterable[str], limit: int = 12) -> str:
    items = sorted(ids)
    return ", ".join(items[:limit]) + (f" … ({len(items)} in all)" if len(items) > limit else "")


def load_chains(path: str | Path | None = None, *, sectors: Iterable[str] | None = None) -> dict[str, Chain]:
    """Read and validate a chain YAML (default: the bundled set).

    ``sectors``: the valid sector ids (e.g. ``mrio.sectors``); every sector, upstream and user id must
    be one of them. Problems are collected and raised together as :class:`ValidationError`; an unknown
    sector raises :class:`UnknownIdError` naming the chain, the bad id and the valid ids.
    """
    p = Path(path) if path is not None else default_chains_path()
    if not p.exists():
        raise DataFileError(
            f"chain file {p} does not exist. Fix: pass an existing YAML (see {default_chains_path()})."
        )
    try:
        raw: Any = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise DataFileError(f"chain file {p} is not valid YAML: {exc}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("chains"), dict) or not raw["chains"]:
        raise DataFileError(
            f"chain file {p}: expected a top-level mapping 'chains:' with one entry per chain "
            f"(see {default_chains_path()})"
        )
    valid = set(map(str, sectors)) if sectors is not None else None
    problems: list[Problem] = []
    out: dict[str, Chain] = {}
    for cid, spec in raw["chains"].items():
        cid = str(cid)
        if not isinstance(spec, dict):
            problems.append(Problem("chain", f"chain {cid!r} must be a mapping", file=str(p)))
            continue
        secs = spec.get("sectors")
        if not isinstance(secs, dict) or not secs:
            problems.append(
                Problem(
                    "sectors",
                    f"chain {cid!r} has no 'sectors' mapping",
                    file=str(p),
                    expected="{sector_id: weight in (0, 1]}",
                )
            )
            continue
        weights: dict[str, float] = {}
        for sid, w in secs.items():
            try:
                wf = float(w)
            except (TypeError, ValueError):
                wf = float("nan")
            if not 0.0 < wf <= 1.0:
                problems.append(
                    Problem(
                        "weight",
                        f"chain {cid!r}, sector {sid!r}: weight {w!r} is outside (0, 1]",
                        file=str(p),
                        expected="0 < weight ≤ 1 (share of the sector's output)",
                        fix="use the chain's output share of the sector; 1 for the whole sector",
                    )
                )
            weights[str(sid)] = wf
        if valid is not None:
            for field_name, ids in (
                ("sectors", list(weights)),
                ("upstream", list(map(str, spec.get("upstream", []) or []))),
                ("users", list(map(str, spec.get("users", []) or []))),
            ):
                bad = [s for s in ids if s not in valid]
                if bad:
                    raise UnknownIdError(
                        f"{p}: chain {cid!r} lists unknown sector id(s) {bad} under '{field_name}'. "
                        f"Valid sector ids: {_fmt(valid, 50)}. Fix: map the chain to those ids."
                    )
        nums: dict[str, float] = {}
        for key, (lo, hi, default) in _NUMBERS.items():
            v = spec.get(key, default)
            try:
                vf = float(v)
            except (TypeError, ValueError):
                vf = float("nan")
            ok = lo < vf <= hi
            if not ok:
                problems.append(
                    Problem(
                        key,
                        f"chain {cid!r}: {key} = {v!r} is outside ({lo:g}, {hi:g}]",
                        file=str(p),
                        expected=f"{lo:g} < {key} ≤ {hi:g}",
                    )
                )
            nums[key] = vf
        vpt = float(spec.get("value_yuan_per_t", 1e5))
        if not vpt > 0:
            problems.append(
                Problem("value_yuan_per_t", f"chain {cid!r}: value_yuan_per_t must be > 0", file=str(p))
            )
        out[cid] = Chain(
            id=cid,
            name_en=str(spec.get("name_en", cid)),
            name_zh=str(spec.get("name_zh", cid)),
            sectors=weights,
            upstream=tuple(map(str, spec.get("upstream", []) or [])),
            users=tuple(map(str, spec.get("users", []) or [])),
            essential_share=nums["essential_share"],
            ramp=nums["ramp"],
            min_base_share=nums["min_base_share"],
            value_yuan_per_t=vpt,
            weight_source=str(spec.get("weight_source", "")),
            notes=str(spec.get("notes", "")),
        )
    if problems:
        raise ValidationError(problems, context=f"chain file {p}")
    return out


def chains_table(chains: Mapping[str, Chain]) -> pd.DataFrame:
    """Long table ``(chain, sector) → weight`` with the chain parameters, for reports and joins."""
    rows = [
        {
            CHAIN: c.id,
            "sector": s,
            "weight": w,
            "name_en": c.name_en,
            "name_zh": c.name_zh,
            "essential_share": c.essential_share,
            "ramp": c.ramp,
            "weight_source": c.weight_source,
        }
        for c in chains.values()
        for s, w in c.sectors.items()
    ]
    if not rows:
        raise ConfigError("no chains given. Fix: pass at least one chain.")
    return pd.DataFrame(rows).set_index([CHAIN, "sector"])

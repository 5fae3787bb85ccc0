"""Server settings and the bind rule: loopback by default, anything else only with a token."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from hinterland.errors import ConfigError

__all__ = ["MIN_TOKEN_LENGTH", "Settings", "check_bind", "is_loopback"]

MIN_TOKEN_LENGTH = 16


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and loopback addresses (127.0.0.0/8, ::1)."""
    name = host.strip().strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_bind(host: str, token: str | None) -> None:
    """Refuse a non-loopback ``host`` without a token, and tokens too short to resist guessing."""
    if token is not None and len(token) < MIN_TOKEN_LENGTH:
        raise ConfigError(
            f"--token is {len(token)} characters long; expected at least {MIN_TOKEN_LENGTH}. "
            'Fix: generate one with `python -c "import secrets; print(secrets.token_urlsafe(24))"`.'
        )
    if not is_loopback(host) and not token:
        raise ConfigError(
            f"refusing to listen on {host!r} without a token: the API would be open to the network. "
            "Fix: pass --token TOKEN (clients then send `Authorization: Bearer TOKEN`), "
            "or listen on 127.0.0.1 (the default)."
        )


@dataclass(frozen=True)
class Settings:
    """What ``create_app`` needs.

    ``workspace`` holds job folders (``jobs/<id>/``), the cached score layers and the run store.
    ``runners`` adds job kinds (``kind -> "module:function"``), used by tests; the built-in kinds are
    evaluate, network, reserves, shock, backup and plan.
    """

    workspace: Path = Path("hinterland-workspace")
    host: str = "127.0.0.1"
    port: int = 8765
    token: str | None = None
    max_body_bytes: int = 256 * 1024
    max_scenario_bytes: int = 64 * 1024
    max_workers: int = 1
    max_table_rows: int = 5000
    warm_scores: bool = True
    store_file: str = "hinterland_runs.duckdb"
    allowed_hosts: tuple[str, ...] = ()
    runners: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        check_bind(self.host, self.token)
        if self.max_workers < 1:
            raise ConfigError(f"max_workers is {self.max_workers}; expected at least 1")

    @property
    def jobs_dir(self) -> Path:
        return Path(self.workspace) / "jobs"

    @property
    def store_path(self) -> Path:
        return Path(self.workspace) / self.store_file

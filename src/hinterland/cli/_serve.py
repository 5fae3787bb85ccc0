"""``hinterland serve``: the dashboard and REST API (FastAPI + uvicorn)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console

__all__ = ["serve_command"]

console = Console()


def serve_command(
    host: str = typer.Option(
        "127.0.0.1", "--host", help="Address to listen on (non-loopback needs --token)."
    ),
    port: int = typer.Option(8765, "--port", min=1, max=65535, help="TCP port."),
    token: str | None = typer.Option(
        None, "--token", envvar="HINTERLAND_TOKEN", help="Bearer token every API request must send."
    ),
    workspace: Path = typer.Option(
        Path("hinterland-workspace"), "--workspace", "-w", help="Folder for job outputs and the run store."
    ),
    workers: int = typer.Option(1, "--workers", min=1, max=64, help="Jobs run at the same time."),
) -> None:
    """Start the dashboard (http://HOST:PORT/) and the REST API (/docs, /openapi.json)."""
    import uvicorn  # the web stack loads only for this command

    from hinterland.web import Settings, check_bind, create_app  # the web stack loads only here

    check_bind(host, token)
    settings = Settings(workspace=workspace, host=host, port=port, token=token, max_workers=workers)
    app = create_app(settings)
    shown = f"[{host}]" if ":" in host else host
    console.print(
        f"hinterland dashboard on http://{shown}:{port}/  (API reference /docs; workspace {workspace})"
        + ("  token required" if token else "")
    )
    uvicorn.run(app, host=host, port=port, log_level="warning", proxy_headers=False, server_header=False)

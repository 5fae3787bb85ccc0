"""Helpers shared by the web tests: deterministic job runners and a live uvicorn server on loopback.

Runners here are imported by name inside spawned worker processes (``test_web_support:slow_runner``).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import uvicorn

from hinterland.web import Settings, create_app

SLOW = "test_web_support:slow_runner"
FAILING = "test_web_support:failing_runner"
QUICK = "test_web_support:quick_runner"


def quick_runner(out: Path, options: dict[str, Any], progress: Any) -> None:
    """Writes one small table and finishes."""
    progress.set("writing", 0.5)
    (out / "result.csv").write_text("region,value\n510000,1\n", encoding="utf-8")


def slow_runner(out: Path, options: dict[str, Any], progress: Any) -> None:
    """Writes a first file, then steps until a ``release`` file appears in the job folder (max 60 s)."""
    (out / "first.csv").write_text("step,value\n0,1\n", encoding="utf-8")
    (out / "sub").mkdir(exist_ok=True)
    (out / "sub" / "part.txt").write_text("partial output\n", encoding="utf-8")
    release = out.parent / "release"
    end = time.monotonic() + 60
    i = 0
    while not release.exists() and time.monotonic() < end:
        i += 1
        progress.set(f"step {i}", min(0.9, i / 100))
        time.sleep(0.05)
    (out / "final.csv").write_text("done\n", encoding="utf-8")


def failing_runner(out: Path, options: dict[str, Any], progress: Any) -> None:
    from hinterland.errors import ConfigError

    progress.set("checking", 0.1)
    raise ConfigError("option 'level' = 'moon' is not a level; expected city or province")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def live_server(settings: Settings) -> Iterator[str]:
    """Run the app with uvicorn in a thread on 127.0.0.1; yields the base URL."""
    port = free_port()
    app = create_app(Settings(**{**settings.__dict__, "port": port}))
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    end = time.monotonic() + 60
    while not server.started and time.monotonic() < end:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start within 60 s"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(30)


def wait_for(predicate: Callable[[], Any], timeout: float = 90.0, what: str = "condition") -> Any:
    """Poll ``predicate`` until it returns something truthy (tests only; generous timeout)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")

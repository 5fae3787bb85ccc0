"""The ``hinterland`` command line (Typer + Rich). Only :class:`~hinterland.errors.HinterlandError`
is caught: it is printed without a traceback and the command exits with status 2."""

from hinterland.cli._app import app, main

__all__ = ["app", "main"]

"""The exceptions hinterland raises on purpose.

Every error a user can cause derives from :class:`HinterlandError`; the CLI catches only that base
class, prints its message and exits with a non-zero code. Anything else is a bug and keeps its
traceback. ::

    HinterlandError
    ├── DataError                 bad or unusable input data
    │   ├── DataFileError         a file is missing, unreadable, or in an unknown format
    │   ├── SchemaError           required columns are missing or misnamed
    │   ├── UnknownIdError        a region, indicator, sector, node or site id is not known
    │   └── ValidationError       values break one or more named checks (carries every Problem)
    ├── ConfigError               an option, setting or config file is invalid
    └── ModelError                a model cannot be built or solved as asked
        ├── InfeasibleError       the model has no solution; the message quotes the numbers
        └── SolverError           the solver failed or returned an unexpected status

Each message says what was wrong, where (file, row, column, id), what was expected and how to fix it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = [
    "ConfigError",
    "DataError",
    "DataFileError",
    "HinterlandError",
    "InfeasibleError",
    "ModelError",
    "Problem",
    "SchemaError",
    "SolverError",
    "UnknownIdError",
    "ValidationError",
]


class HinterlandError(Exception):
    """Base class of every error a user can cause; the CLI reports these without a traceback."""


class DataError(HinterlandError):
    """Input data cannot be used as given."""


class DataFileError(DataError):
    """A file is missing, unreadable or of an unsupported format."""


class SchemaError(DataError):
    """A table lacks required columns or has them under other names."""


class UnknownIdError(DataError, KeyError):
    """An id (region, indicator, sector, node, site) is not known.

    ``KeyError`` is a base too, so code that looks ids up like a mapping can catch it the usual way.
    """

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


class ConfigError(HinterlandError):
    """An option, setting or configuration file is invalid."""


class ModelError(HinterlandError):
    """A model cannot be built or solved as asked."""


class InfeasibleError(ModelError):
    """The model has no feasible solution; the message quotes the numbers and the smallest fix."""


class SolverError(ModelError):
    """The solver failed or returned a status we cannot interpret."""


@dataclass(frozen=True)
class Problem:
    """One finding of a named check: where it is, what is wrong, what was expected, how to fix it."""

    check: str
    message: str
    file: str | None = None
    row: int | None = None
    column: str | None = None
    region: str | None = None
    expected: str | None = None
    fix: str | None = None
    severity: str = "error"  # "error" stops a read; "warning" is reported and the data is still used

    def location(self) -> str:
        parts = []
        if self.file:
            parts.append(self.file)
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(f"column {self.column!r}")
        if self.region:
            parts.append(f"region {self.region}")
        return ", ".join(parts)

    def __str__(self) -> str:
        text = self.message
        loc = self.location()
        if loc:
            text = f"{loc}: {text}"
        if self.expected:
            text += f" (expected {self.expected})"
        if self.fix:
            text += f". Fix: {self.fix}"
        return text


class ValidationError(DataError):
    """Values break one or more named checks; ``problems`` lists every finding, not just the first."""

    def __init__(self, problems: Iterable[Problem], context: str = "data") -> None:
        self.problems: Sequence[Problem] = tuple(problems)
        self.context = context
        super().__init__(self._render())

    def _render(self, limit: int = 20) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''} in {self.context}:"
        lines = [f"  - [{p.check}] {p}" for p in self.problems[:limit]]
        if n > limit:
            lines.append(f"  ... and {n - limit} more (run `hinterland data check FILE` to list all)")
        return "\n".join([head, *lines])

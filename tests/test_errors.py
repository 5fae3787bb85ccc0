"""Unit tests of the error tree and problem formatting."""

from __future__ import annotations

import pytest

from hinterland.errors import (
    DataError,
    HinterlandError,
    InfeasibleError,
    ModelError,
    Problem,
    UnknownIdError,
    ValidationError,
)


def test_problem_renders_location_expected_and_fix() -> None:
    p = Problem(
        "units",
        "'gdp' is given in '万元'",
        file="a.csv",
        row=3,
        column="unit",
        expected="亿元",
        fix="multiply by 0.0001",
    )
    assert (
        str(p)
        == "a.csv, row 3, column 'unit': 'gdp' is given in '万元' (expected 亿元). Fix: multiply by 0.0001"
    )


def test_validation_error_lists_every_problem() -> None:
    problems = [Problem("years", f"bad {i}", row=i) for i in range(3)]
    exc = ValidationError(problems, context="x.csv")
    assert exc.problems == tuple(problems)
    assert str(exc).startswith("3 problems in x.csv:")
    assert str(exc).count("[years]") == 3


def test_validation_error_truncates_long_lists() -> None:
    exc = ValidationError([Problem("c", str(i)) for i in range(25)])
    assert "and 5 more" in str(exc)


def test_tree() -> None:
    assert issubclass(ValidationError, DataError)
    assert issubclass(DataError, HinterlandError)
    assert issubclass(InfeasibleError, ModelError)
    assert issubclass(UnknownIdError, KeyError)
    assert str(UnknownIdError("no such region")) == "no such region"
    with pytest.raises(HinterlandError):
        raise UnknownIdError("x")

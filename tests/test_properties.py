"""Property tests (hypothesis) of the readers and checks."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hinterland.containers import normalise_name
from hinterland.datasets import load_china, read_indicator_file
from hinterland.errors import ValidationError

pytestmark = pytest.mark.property

CHINA = load_china()
REGIONS = list(CHINA.regions.ids)
NAME_FORMS = ("name_zh", "short_zh", "name_en")

region_name = st.tuples(st.sampled_from(REGIONS), st.sampled_from([*NAME_FORMS, "adcode"])).map(
    lambda t: (t[0], str(t[0]) if t[1] == "adcode" else str(CHINA.regions.table.at[t[0], t[1]]))
)


def _read(frame: pd.DataFrame) -> pd.DataFrame:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "p.csv"
        frame.to_csv(path, index=False)
        return read_indicator_file(path, CHINA).data


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(
        st.tuples(region_name, st.integers(2000, 2030), st.floats(0, 1e9, allow_nan=False)),
        min_size=1,
        max_size=20,
        unique_by=lambda r: (r[0][0], r[1]),
    )
)
def test_valid_files_round_trip(rows) -> None:  # type: ignore[no-untyped-def]
    frame = pd.DataFrame(
        [
            {"region": name, "year": year, "indicator": "prop_x", "value": value, "unit": "个"}
            for (_, name), year, value in rows
        ]
    )
    data = _read(frame)
    assert data["region"].tolist() == [code for (code, _), _, _ in rows]
    assert data["value"].tolist() == pytest.approx([v for _, _, v in rows])


@settings(max_examples=30, deadline=None)
@given(
    good=st.lists(st.sampled_from(REGIONS), min_size=1, max_size=5, unique=True),
    bad=st.text(alphabet="qxzjvkw", min_size=4, max_size=8),
)
def test_unknown_region_always_reported_with_its_row(good, bad) -> None:  # type: ignore[no-untyped-def]
    names = [str(g) for g in good] + [bad]
    frame = pd.DataFrame({"region": names, "year": 2020, "indicator": "prop_x", "value": 1.0, "unit": "个"})
    with pytest.raises(ValidationError) as info:
        _read(frame)
    problems = [p for p in info.value.problems if p.check == "region_ids"]
    assert len(problems) == 1
    assert problems[0].row == len(names) + 1


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(REGIONS), st.sampled_from(NAME_FORMS))
def test_every_name_form_resolves(code, form) -> None:  # type: ignore[no-untyped-def]
    name = str(CHINA.regions.table.at[code, form])
    assert CHINA.regions.resolve(name) == code
    assert CHINA.regions.resolve(f"  {name.upper()} ") == code
    assert normalise_name(name) == normalise_name(normalise_name(name))


@settings(max_examples=30, deadline=None)
@given(st.floats(-1e9, -1e-6))
def test_negative_amounts_always_rejected(value) -> None:  # type: ignore[no-untyped-def]
    frame = pd.DataFrame(
        {"region": ["Hubei"], "year": [2020], "indicator": ["prop_x"], "value": [value], "unit": ["万吨"]}
    )
    with pytest.raises(ValidationError, match="negative"):
        _read(frame)

"""Chains as data, exposure diagnostics and the N-1 test by hand."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from hinterland.backup import (
    chain_capacity,
    exposure_table,
    hhi,
    list_chains,
    load_chains,
    location_quotients,
    n1_test,
    top_k_share,
)
from hinterland.datasets import china_data_dir
from hinterland.errors import UnknownIdError, ValidationError

SECTORS = [f"sec{i:02d}" for i in range(1, 43)]


def test_bundled_chains_load_and_cover_the_policy_list():
    ch = load_chains(sectors=SECTORS)
    assert set(ch) == {
        "integrated_circuits", "machine_tools", "medical_equipment", "instruments", "software",
        "advanced_materials", "energy", "grain_food", "pharmaceuticals",
    }  # fmt: skip
    for c in ch.values():
        assert all(0 < w <= 1 for w in c.sectors.values())
        assert c.upstream and c.users and c.weight_source


def test_yaml_weights_equal_the_derived_csv():
    ch = load_chains()
    w = pd.read_csv(china_data_dir() / "backup" / "chain_weights.csv")
    for row in w.itertuples():
        assert ch[row.chain].sectors[row.sector] == pytest.approx(row.weight, abs=5e-7), (
            row.chain,
            row.sector,
        )
    partial = {(c.id, s) for c in ch.values() for s, v in c.sectors.items() if v < 1}
    assert partial == set(zip(w["chain"], w["sector"], strict=True))


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "chains.yaml"
    p.write_text(text, encoding="utf-8")
    return p


def test_unknown_sector_names_chain_id_and_valid_ids(tmp_path):
    p = _write(tmp_path, "chains:\n  chips:\n    sectors: {sec99: 0.5}\n")
    with pytest.raises(
        UnknownIdError, match=r"chain 'chips' lists unknown sector id\(s\) \['sec99'\].*sec01, sec02"
    ):
        load_chains(p, sectors=SECTORS)


def test_weights_outside_unit_interval(tmp_path):
    p = _write(tmp_path, "chains:\n  a:\n    sectors: {sec01: 1.5}\n  b:\n    sectors: {sec02: 0}\n")
    with pytest.raises(ValidationError) as exc:
        load_chains(p, sectors=SECTORS)
    assert len(exc.value.problems) == 2
    assert "weight 1.5 is outside (0, 1]" in str(exc.value)


def _toy():
    x = pd.Series(
        [6.0, 4.0, 4.0, 6.0],
        index=pd.MultiIndex.from_tuples(
            [(1, "s1"), (1, "s2"), (2, "s1"), (2, "s2")], names=["region", "sector"]
        ),
    )
    from hinterland.backup import Chain

    return x, {"c": Chain("c", "C", "C", {"s1": 1.0}), "h": Chain("h", "H", "H", {"s1": 0.5, "s2": 0.5})}


def test_capacity_hhi_topk_lq_by_hand():
    x, ch = _toy()
    K = chain_capacity(x, ch)
    assert K.loc[1, "c"] == 6.0 and K.loc[2, "h"] == 5.0
    assert hhi(K)["c"] == pytest.approx(0.6**2 + 0.4**2)
    assert top_k_share(K, 1)["c"] == pytest.approx(0.6)
    lq = location_quotients(K, x.groupby(level=0).sum())
    assert lq.loc[1, "c"] == pytest.approx((6 / 10) / (10 / 20))
    ex = exposure_table(K, x.groupby(level=0).sum(), front=[1])
    assert ex.loc["c", "front_share"] == pytest.approx(0.6)
    with pytest.raises(UnknownIdError):
        chain_capacity(x, {"z": ch["c"].__class__("z", "Z", "Z", {"s9": 1.0})})


def test_n1_by_hand():
    # capacity A = 6, B = 4; demand 8, required share 0.5 → required 4
    K = pd.DataFrame({"c": [6.0, 4.0]}, index=pd.Index([1, 2], name="region"))
    loss = pd.DataFrame(
        {1: [1.0, 0.5, 1.0], 2: [0.0, 0.5, 0.5]},
        index=pd.Index(["A out", "both half", "worst"], name="scenario"),
    )
    t = n1_test(K, pd.Series({"c": 8.0}), loss, 0.5)
    assert t.loc[("A out", "c"), "available"] == pytest.approx(4.0)
    assert bool(t.loc[("A out", "c"), "passes"])
    assert t.loc[("both half", "c"), "coverage"] == pytest.approx(5 / 4)
    assert not bool(t.loc[("worst", "c"), "passes"])
    assert t.loc[("worst", "c"), "shortfall"] == pytest.approx(2.0)


def test_list_chains_is_the_bundled_file_in_order(tmp_path):
    assert list_chains() == [
        "integrated_circuits", "machine_tools", "medical_equipment", "instruments", "software",
        "advanced_materials", "energy", "grain_food", "pharmaceuticals",
    ]  # fmt: skip
    p = _write(
        tmp_path, "chains:\n  b_chain:\n    sectors: {sec01: 1}\n  a_chain:\n    sectors: {sec02: 0.5}\n"
    )
    assert list_chains(p) == ["b_chain", "a_chain"]


def test_plan_config_validates_backup_chains_against_list_chains():
    from hinterland.plan import PlanConfigError, validate_plan_config

    ok = validate_plan_config({"backup": {"chains": ["energy", "grain_food"]}})
    assert ok["backup"]["chains"] == ["energy", "grain_food"]
    with pytest.raises(PlanConfigError, match=r"backup\.chains\[1\].*unknown chain 'grain'.*grain_food"):
        validate_plan_config({"backup": {"chains": ["energy", "grain"]}})

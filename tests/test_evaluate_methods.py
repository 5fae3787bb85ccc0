"""Unit, reference, property and bad-input tests of the evaluation methods (no bundled data needed)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from hinterland.errors import ConfigError, DataError, UnknownIdError, ValidationError
from hinterland.evaluate import (
    DecisionMatrix,
    ahp,
    ahp_weights,
    ccd_grade,
    combine_weights,
    coupling_coordination,
    critic_weights,
    entropy_weights,
    equal_weights,
    evaluate,
    minmax,
    obstacle_degree,
    rank_robustness,
    resilience_indices,
    resistance,
    sensitivity,
    std_weights,
    top_obstacles,
    topsis,
    user_weights,
    vector_norm,
    vikor,
    weighted_sum,
    zscore,
)

# Saaty (1990), "How to make a decision: the analytic hierarchy process", EJOR 48:9-26, house example:
# eight criteria; published priorities .173 .054 .188 .018 .031 .036 .167 .333, λmax 9.669, CI .238, CR .169.
SAATY_HOUSE = """1 5 3 7 6 6 1/3 1/4
1/5 1 1/3 5 3 3 1/5 1/7
1/3 3 1 6 3 4 6 1/5
1/7 1/5 1/6 1 1/3 1/4 1/7 1/8
1/6 1/3 1/3 3 1 1/2 1/5 1/6
1/6 1/3 1/4 4 2 1 1/5 1/6
3 5 1/6 7 5 5 1 1/2
4 7 5 8 6 6 2 1"""
HOUSE_CRITERIA = ["size", "transport", "neighbourhood", "age", "yard", "modern", "condition", "financing"]


def _house() -> pd.DataFrame:
    a = [[float(Fraction(v)) for v in row.split()] for row in SAATY_HOUSE.splitlines()]
    return pd.DataFrame(a, index=HOUSE_CRITERIA, columns=HOUSE_CRITERIA)


def _matrix(seed: int = 1, m: int = 12, n: int = 5) -> tuple[pd.DataFrame, pd.Series, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = pd.DataFrame(rng.uniform(1, 10, (m, n)), columns=[f"c{j}" for j in range(n)])
    types = np.array([1 if j % 3 else -1 for j in range(n)])
    d = pd.Series(["benefit" if t == 1 else "cost" for t in types], index=x.columns)
    return x, d, types


# ------------------------------------------------------------------------------------------ normalisation


def test_minmax_directions_exact() -> None:
    x = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [10.0, 20.0, 30.0]})
    z = minmax(x, {"a": "benefit", "b": "-"})
    assert z["a"].tolist() == [0.0, 0.5, 1.0]
    assert z["b"].tolist() == [1.0, 0.5, 0.0]
    assert minmax(x, {"a": "+", "b": "+"}, shift=0.01)["a"].tolist() == pytest.approx([0.01, 0.51, 1.01])


def test_vector_and_zscore() -> None:
    x = pd.DataFrame({"a": [3.0, 4.0], "b": [1.0, 3.0]})
    v = vector_norm(x, {"a": "benefit", "b": "cost"})
    assert v["a"].tolist() == pytest.approx([0.6, 0.8])
    assert v["b"].tolist() == pytest.approx([1 - 1 / np.sqrt(10), 1 - 3 / np.sqrt(10)])
    z = zscore(x, {"a": "benefit", "b": "cost"})
    assert z["a"].tolist() == pytest.approx([-1 / np.sqrt(2), 1 / np.sqrt(2)])
    assert z["b"].tolist() == pytest.approx([1 / np.sqrt(2), -1 / np.sqrt(2)])


# ------------------------------------------------------------------------------------------ weights


def test_entropy_hand_example() -> None:
    # column a: p = (1/4, 3/4), e = -(p ln p)/ln 2; column b uniform -> e = 1 -> weight 0
    z = pd.DataFrame({"a": [1.0, 3.0], "b": [2.0, 2.0]})
    p = np.array([0.25, 0.75])
    e = -(p * np.log(p)).sum() / np.log(2)
    w = entropy_weights(z)
    assert w["a"] == pytest.approx(1.0) and w["b"] == pytest.approx(0.0)
    assert 1 - e > 0  # the informative column carries the weight
    z2 = pd.DataFrame({"a": [0.0, 1.0, 0.5], "b": [1.0, 0.0, 0.0]})  # zeros use 0 ln 0 = 0
    assert entropy_weights(z2).sum() == pytest.approx(1.0)


def test_critic_and_std_hand_example() -> None:
    z = pd.DataFrame({"a": [0.0, 0.5, 1.0], "b": [1.0, 0.5, 0.0]})  # r = -1, equal sd
    w = critic_weights(z)
    assert w.tolist() == pytest.approx([0.5, 0.5])
    z = pd.DataFrame({"a": [0.0, 1.0, 2.0], "b": [0.0, 0.0, 1.0]})
    sd = np.array([1.0, np.std([0, 0, 1], ddof=1)])
    assert std_weights(z).tolist() == pytest.approx(sd / sd.sum())
    assert equal_weights(["x", "y", "z", "w"]).tolist() == [0.25] * 4


@pytest.mark.reference
def test_weights_equal_pymcdm() -> None:
    from pymcdm import weights as pw

    for seed in range(5):
        x, _, _ = _matrix(seed)
        assert entropy_weights(x).to_numpy() == pytest.approx(pw.entropy_weights(x.to_numpy()), abs=1e-12)
        zb = minmax(x, pd.Series("benefit", index=x.columns))
        assert critic_weights(zb).to_numpy() == pytest.approx(pw.critic_weights(x.to_numpy()), abs=1e-12)
        assert std_weights(x).to_numpy() == pytest.approx(
            pw.standard_deviation_weights(x.to_numpy()), abs=1e-12
        )


@pytest.mark.reference
def test_ahp_reproduces_saaty_house_example() -> None:
    res = ahp(_house())
    assert res.weights.round(3).tolist() == [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333]
    assert res.lambda_max == pytest.approx(9.669, abs=5e-4)
    assert res.ci == pytest.approx(0.238, abs=5e-4)
    assert res.cr == pytest.approx(0.169, abs=5e-4)
    assert res.ri == 1.41


def test_ahp_inconsistent_is_an_error_naming_the_judgement() -> None:
    with pytest.raises(ConfigError) as err:
        ahp_weights(_house())
    msg = str(err.value)
    assert "CR = 0.169 > 0.1" in msg
    i, j, _aij, _implied = ahp(_house()).most_inconsistent()
    assert {i, j} == {"neighbourhood", "condition"}  # a = 6 where the other judgements imply about 1
    assert f"{i} vs {j}" in msg


def test_ahp_consistent_matrix_exact() -> None:
    w = np.array([0.5, 0.3, 0.2])
    a = pd.DataFrame(w[:, None] / w[None, :], index=list("xyz"), columns=list("xyz"))
    res = ahp_weights(a)
    assert res.weights.tolist() == pytest.approx(w.tolist())
    assert res.cr == pytest.approx(0.0, abs=1e-12)
    bad = a.copy()
    bad.loc["x", "y"] = 3.0  # not reciprocal any more
    with pytest.raises(ConfigError, match="not reciprocal"):
        ahp(bad)


def test_user_and_combined_weights() -> None:
    cols = ["a", "b", "c"]
    assert user_weights({"a": 0.2, "b": 0.3, "c": 0.5}, cols).tolist() == [0.2, 0.3, 0.5]
    with pytest.raises(ConfigError, match=r"sum to 1\.2"):
        user_weights({"a": 0.4, "b": 0.3, "c": 0.5}, cols)
    assert user_weights({"a": 0.4, "b": 0.3, "c": 0.5}, cols, renormalise=True).sum() == pytest.approx(1.0)
    with pytest.raises(UnknownIdError, match="'d'"):
        user_weights({"a": 0.5, "b": 0.5, "d": 0.0}, cols)
    with pytest.raises(ConfigError, match="missing for criteria"):
        user_weights({"a": 0.5, "b": 0.5}, cols)
    s = pd.Series([0.6, 0.4], index=["a", "b"])
    o = pd.Series([0.2, 0.8], index=["a", "b"])
    assert combine_weights(s, o, "linear", 0.5).tolist() == pytest.approx([0.4, 0.6])
    assert combine_weights(s, o, "multiplicative").tolist() == pytest.approx([0.12 / 0.44, 0.32 / 0.44])


# ------------------------------------------------------------------------------------------ aggregation


@pytest.mark.reference
def test_topsis_vikor_equal_pymcdm() -> None:
    from pymcdm.methods import TOPSIS, VIKOR

    for seed in range(5):
        x, d, types = _matrix(seed, m=15, n=6)
        w = pd.Series(np.random.default_rng(seed).dirichlet(np.ones(6)), index=x.columns)
        z = minmax(x, d)
        assert topsis(z, w)["score"].to_numpy() == pytest.approx(
            TOPSIS()(x.to_numpy(), w.to_numpy(), types), abs=1e-12
        )
        assert vikor(z, w)["Q"].to_numpy() == pytest.approx(
            VIKOR()(x.to_numpy(), w.to_numpy(), types), abs=1e-12
        )


def test_topsis_hand_example() -> None:
    z = pd.DataFrame({"a": [0.0, 1.0, 0.5], "b": [1.0, 0.0, 0.5]})
    w = pd.Series([0.5, 0.5], index=["a", "b"])
    t = topsis(z, w)
    assert t["score"].tolist() == pytest.approx([0.5, 0.5, 0.5])
    assert t["d_plus"].iloc[2] == pytest.approx(np.sqrt(2 * 0.25**2))
    assert weighted_sum(z, w).tolist() == pytest.approx([0.5, 0.5, 0.5])
    v = vikor(z, pd.Series([0.75, 0.25], index=["a", "b"]))
    # S = (0.75, 0.25, 0.5), R = (0.75, 0.25, 0.375) -> Q = (1, 0, 0.25 + 0.125)
    assert v["Q"].tolist() == pytest.approx([1.0, 0.0, 0.375])


def test_coupling_coordination_hand_checked_three_regions() -> None:
    u = pd.DataFrame(
        {"A": [0.5, 0.2, 0.0], "B": [0.5, 0.4, 0.6], "C": [0.5, 0.8, 0.9]}, index=["r1", "r2", "r3"]
    )
    out = coupling_coordination(u)
    # r1: balanced -> C = 1, T = 0.5, D = sqrt(0.5)
    # r2: 1 - (0.2+0.6+0.4)/3 = 0.6; (0.25*0.5*1)^(1/2) = 0.353553; C = sqrt(0.6*0.353553) = 0.460578
    # r3: one subsystem at zero -> C = 0, D = 0
    assert out["C"].tolist() == pytest.approx([1.0, 0.460578, 0.0], abs=1e-6)
    assert out["T"].tolist() == pytest.approx([0.5, 1.4 / 3, 0.5])
    assert out["D"].tolist() == pytest.approx([np.sqrt(0.5), 0.463613, 0.0], abs=1e-6)
    assert out["grade_zh"].tolist() == ["中级协调", "濒临失调", "极度失调"]
    trad = coupling_coordination(u, variant="traditional")
    assert trad.loc["r2", "C"] == pytest.approx(6 / 7)  # 3 * (0.064 / 1.4**3)**(1/3)
    assert trad.loc["r1", "C"] == pytest.approx(1.0)
    assert ccd_grade(0.0)[1] == "extreme disorder" and ccd_grade(0.95)[0] == "优质协调"
    assert ccd_grade(0.6)[0] == "勉强协调"  # upper bounds inclusive


def test_obstacle_degree_hand_example() -> None:
    z = pd.DataFrame({"a": [1.0, 0.0], "b": [0.5, 1.0], "c": [0.0, 1.0]}, index=["x", "y"])
    w = pd.Series([0.5, 0.3, 0.2], index=list("abc"))
    o = obstacle_degree(z, w)
    # x: deviations (0, .5, 1) * w = (0, .15, .2) -> (0, 42.857, 57.143)
    assert o.loc["x"].tolist() == pytest.approx([0.0, 15 / 0.35, 20 / 0.35])
    assert o.loc["y"].tolist() == pytest.approx([100.0, 0.0, 0.0])
    top = top_obstacles(o, k=2)
    assert top[top["alternative"] == "x"]["criterion"].tolist() == ["c", "b"]


# ------------------------------------------------------------------------------------------ resilience


def test_resilience_hand_example() -> None:
    t = pd.DataFrame({2019: [100.0, 300.0], 2020: [95.0, 315.0], 2021: [105.0, 330.0]}, index=["A", "B"])
    assert sensitivity(t, 2019, 2020).tolist() == pytest.approx([-2.0, 2.0])
    assert resistance(t, 2019, 2020).tolist() == pytest.approx([-3.0, 1.0])
    out = resilience_indices(t, 2019, 2020, 2021)
    g = 25 / 410
    assert out["recovery"].tolist() == pytest.approx([(10 - 95 * g) / (95 * g), (15 - 315 * g) / (315 * g)])
    assert out["reference"].iloc[0] == "national growth 2019–2020"
    with pytest.raises(DataError, match="2008"):
        resistance(t, 2008, 2009)
    t5 = pd.DataFrame({y: [100.0 * 1.1 ** (y - 2014)] for y in range(2014, 2021)}, index=["A"])
    assert resistance(t5, 2019, 2020, reference="trend").iloc[0] == pytest.approx(0.0, abs=1e-12)


# ------------------------------------------------------------------------------------------ robustness


def test_rank_robustness_seeded_and_dominance() -> None:
    x, d, _ = _matrix(3, m=8, n=4)
    x.iloc[0] = [100.0 if d[c] == "benefit" else 0.0 for c in x.columns]  # dominates everyone
    z = minmax(x, d)
    w = entropy_weights(z)
    a = rank_robustness(z, w, methods=("topsis", "vikor", "weighted-sum"), draws=300, seed=7, top_k=1)
    b = rank_robustness(z, w, methods=("topsis", "vikor", "weighted-sum"), draws=300, seed=7, top_k=1)
    pd.testing.assert_frame_equal(a, b)
    assert a.loc[0, "p_top1"] == 1.0 and a.loc[0, "max_rank"] == 1
    tight = rank_robustness(z, w, draws=200, seed=1, concentration=1e7)
    assert (tight["median_rank"] == tight["base_rank"]).all()
    assert (a["rank_p05"] <= a["rank_p95"]).all()


# ------------------------------------------------------------------------------------------ bad input


def _dm(x: pd.DataFrame, d: pd.Series) -> DecisionMatrix:
    crit = pd.DataFrame({"dimension": "all", "direction": d})
    return DecisionMatrix(x, crit)


def test_constant_column_error_and_opt_in_drop() -> None:
    x, d, _ = _matrix(2)
    x["c1"] = 4.0
    with pytest.raises(DataError, match=r"\['c1'\] are constant across all 12"):
        evaluate(_dm(x, d))
    ev = evaluate(_dm(x, d), drop_constant=True)
    assert "c1" not in ev.weights.index
    assert any("dropped constant criteria ['c1']" in n for n in ev.notes)


def test_missing_values_named_and_opt_in_imputation() -> None:
    x, d, _ = _matrix(2)
    x.iloc[3, 2] = np.nan
    x.iloc[5, 0] = np.nan
    with pytest.raises(ValidationError) as err:
        evaluate(_dm(x, d))
    msg = str(err.value)
    assert "2 problems" in msg and "region 3" in msg and "column 'c2'" in msg and "column 'c0'" in msg
    ev = evaluate(_dm(x, d), impute_how="median")
    assert any(n.startswith("imputed c2 for 3 with the column median") for n in ev.notes)
    assert ev.matrix.values.iloc[3, 2] == pytest.approx(x["c2"].median())


def test_direction_missing_and_unknown() -> None:
    x, d, _ = _matrix(2)
    with pytest.raises(ConfigError, match=r"direction missing for \['c4'\]"):
        minmax(x, d.drop("c4"))
    with pytest.raises(ConfigError, match="unknown direction 'up'"):
        minmax(x, d.replace("cost", "up"))
    with pytest.raises(UnknownIdError, match="zz"):
        minmax(x, {**d.to_dict(), "zz": "cost"})


def test_evaluate_end_to_end_small() -> None:
    x, d, _ = _matrix(4, m=10, n=6)
    crit = pd.DataFrame({"dimension": ["p", "p", "q", "q", "r", "r"], "direction": d})
    ev = evaluate(DecisionMatrix(x, crit), method="vikor", weights="critic")
    assert ev.weights["weight"].sum() == pytest.approx(1.0)
    assert ev.dimension_weights.sum() == pytest.approx(1.0)
    assert set(ev.scores.columns) >= {"p", "q", "r", "score", "rank", "p_rank"}
    assert ev.scores["rank"].min() == 1
    assert ev.coupling is not None and ev.coupling["D"].between(0, 1).all()
    assert ev.obstacles.sum(axis=1).round(6).isin([0.0, 100.0]).all()
    assert ev.dimension_obstacles.sum(axis=1).to_numpy() == pytest.approx(ev.obstacles.sum(axis=1).to_numpy())
    ahp_dims = pd.DataFrame([[1, 2, 4], [0.5, 1, 2], [0.25, 0.5, 1]], index=list("pqr"), columns=list("pqr"))
    ev2 = evaluate(DecisionMatrix(x, crit), weights="ahp", ahp_matrix=ahp_dims)
    assert ev2.dimension_weights.tolist() == pytest.approx([4 / 7, 2 / 7, 1 / 7])
    with pytest.raises(ConfigError, match="unknown aggregation method"):
        evaluate(DecisionMatrix(x, crit), method="electre")


# ------------------------------------------------------------------------------------------ properties


@st.composite
def _matrices(draw: st.DrawFn) -> pd.DataFrame:
    m = draw(st.integers(3, 12))
    n = draw(st.integers(2, 6))
    a = draw(arrays(np.float64, (m, n), elements=st.floats(0.5, 100, allow_nan=False)))
    for j in range(n):  # make every column non-constant
        a[0, j], a[1, j] = 0.1, 200.0
    return pd.DataFrame(a, columns=[f"c{j}" for j in range(n)])


@pytest.mark.property
@settings(max_examples=40, deadline=None)
@given(_matrices())
def test_properties_weights_and_scores(x: pd.DataFrame) -> None:
    d = pd.Series(["benefit" if j % 2 == 0 else "cost" for j in range(x.shape[1])], index=x.columns)
    z = minmax(x, d)
    assert z.min().min() >= 0 and z.max().max() <= 1
    for w in (entropy_weights(z), critic_weights(z), std_weights(z)):
        assert w.sum() == pytest.approx(1.0) and (w >= -1e-15).all()
        t = topsis(z, w)["score"]
        assert t.between(0, 1).all()
        q = vikor(z, w)["Q"]
        assert q.min() >= -1e-12 and q.max() <= 1 + 1e-12  # Q = 0 only if one alternative minimises S and R
        u = weighted_sum(z, w)
        assert u.between(-1e-12, 1 + 1e-12).all()
    # an alternative that is best on every criterion wins TOPSIS and the weighted sum
    best = pd.DataFrame([z.max()], index=["best"])
    zb = pd.concat([z, best])
    w = entropy_weights(zb)
    assert topsis(zb, w)["score"].idxmax() == "best"
    assert weighted_sum(zb, w).idxmax() == "best"


@pytest.mark.property
@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, (5, 4), elements=st.floats(0.0, 1.0, allow_nan=False)))
def test_properties_coupling(u: np.ndarray) -> None:
    t = pd.DataFrame(u, columns=list("abcd"))
    for variant in ("corrected", "traditional"):
        out = coupling_coordination(t, variant=variant)
        assert out["C"].between(0, 1 + 1e-9).all() and out["D"].between(0, 1 + 1e-9).all()
    corrected = coupling_coordination(t)
    assert (
        (corrected["C"] > 1 - 1e-9) <= (t.max(axis=1) - t.min(axis=1) < 1e-6)
    ).all()  # C = 1 only if balanced
    bal = coupling_coordination(pd.DataFrame([[0.3] * 4], columns=list("abcd")))
    assert bal["C"].iloc[0] == pytest.approx(1.0)

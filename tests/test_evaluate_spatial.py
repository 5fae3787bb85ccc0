"""Moran's I, LISA and Getis-Ord Gi* against PySAL esda on the same weights, plus hand checks."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from hinterland.errors import DataError
from hinterland.evaluate import distance_band, getis_ord, local_moran, moran

PERMS = 9999


def _lattice(seed: int = 0, k: int = 6) -> tuple[pd.Series, pd.DataFrame, object]:
    from libpysal.weights import lat2W

    w = lat2W(k, k, rook=False)
    full, _ = w.full()
    rng = np.random.default_rng(seed)
    n = k * k
    y = pd.Series(rng.normal(size=n) + np.repeat(np.arange(k), k) * 0.4 + 5.0, name="y")
    wdf = pd.DataFrame(full, index=y.index, columns=y.index)
    return y, wdf, w


def test_moran_hand_example() -> None:
    # a path 0-1-2-3 with y = (1, 2, 3, 4): z = (-1.5, -.5, .5, 1.5), row-standardised weights
    y = pd.Series([1.0, 2.0, 3.0, 4.0])
    w = pd.DataFrame(np.diag([1, 1, 1], 1) + np.diag([1, 1, 1], -1), index=y.index, columns=y.index)
    res = moran(y, w, permutations=0)
    z = np.array([-1.5, -0.5, 0.5, 1.5])
    lag = np.array([-0.5, (-1.5 + 0.5) / 2, (-0.5 + 1.5) / 2, 0.5])
    assert pytest.approx(4 / 4 * (z @ lag) / (z @ z)) == res.I
    assert pytest.approx(-1 / 3) == res.EI


@pytest.mark.reference
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_global_moran_equals_esda(seed: int) -> None:
    import esda

    y, wdf, w = _lattice(seed)
    ours = moran(y, wdf, permutations=PERMS, seed=seed)
    np.random.seed(seed)  # noqa: NPY002 - esda draws from the legacy global generator
    ref = esda.Moran(y.to_numpy(), w, permutations=PERMS)
    for name in ("I", "EI", "VI_norm", "z_norm", "VI_rand", "z_rand", "p_norm", "p_rand"):
        assert getattr(ours, name) == pytest.approx(getattr(ref, name), rel=1e-10, abs=1e-12), name
    # permutation statistics: same semantics (folded pseudo p, (L+1)/(P+1)), different random stream
    assert ours.p_sim == pytest.approx(ref.p_sim, abs=0.01)
    assert ours.EI_sim == pytest.approx(ref.EI_sim, abs=0.005)
    assert ours.seI_sim == pytest.approx(ref.seI_sim, rel=0.05)


@pytest.mark.reference
@pytest.mark.parametrize("seed", [0, 3])
def test_local_moran_equals_esda(seed: int) -> None:
    import esda

    y, wdf, w = _lattice(seed)
    ours = local_moran(y, wdf, permutations=PERMS, seed=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = esda.Moran_Local(y.to_numpy(), w, permutations=PERMS, seed=seed, n_jobs=1)
    assert ours["Is"].to_numpy() == pytest.approx(ref.Is, abs=1e-12)
    assert (ours["q"].to_numpy() == ref.q).all()
    assert ours["EI"].to_numpy() == pytest.approx(ref.EI, abs=1e-12)
    assert ours["VI"].to_numpy() == pytest.approx(ref.VI, abs=1e-12)
    assert np.abs(ours["p_sim"].to_numpy() - ref.p_sim).max() < 0.03
    labels = np.asarray(ref.get_cluster_labels(0.05)).astype(object)
    labels[labels == "Insignificant"] = "Not significant"
    clear = np.abs(ref.p_sim - 0.05) > 0.02  # labels can only differ where p_sim is near the cut-off
    assert (ours["label"].to_numpy()[clear] == labels[clear]).all()


@pytest.mark.reference
@pytest.mark.parametrize("star", [True, False])
def test_getis_ord_equals_esda(star: bool) -> None:
    import esda

    y, wdf, w = _lattice(4)
    ours = getis_ord(y, wdf, star=star)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = esda.G_Local(y.to_numpy(), w, transform="B", star=star, permutations=0)
    assert ours["G"].to_numpy() == pytest.approx(ref.Gs, abs=1e-12)
    assert ours["EG"].to_numpy() == pytest.approx(ref.EGs, abs=1e-12)
    assert ours["VG"].to_numpy() == pytest.approx(ref.VGs, rel=1e-10)
    assert ours["Z"].to_numpy() == pytest.approx(ref.Zs, abs=1e-10)


def test_islands_distance_band_and_bad_input() -> None:
    y = pd.Series([1.0, 2.0, 3.0, 4.0, 10.0])
    d = pd.DataFrame(
        [
            [0, 100, 200, 300, 2000],
            [100, 0, 100, 200, 2000],
            [200, 100, 0, 100, 2000],
            [300, 200, 100, 0, 2000],
            [2000, 2000, 2000, 2000, 0],
        ],
        index=y.index,
        columns=y.index,
        dtype=float,
    )
    w = distance_band(d, 150)
    assert w.to_numpy().sum() == 6 and w.iloc[4].sum() == 0
    lm = local_moran(y, w, permutations=99, seed=1)
    assert lm.loc[4, "label"] == "Isolate" and lm.loc[4, "lag"] == 0.0
    with pytest.raises(DataError, match="constant"):
        moran(pd.Series([1.0] * 5), w)
    with pytest.raises(DataError, match="lack regions"):
        moran(pd.Series([1.0, 2, 3, 4, 5, 6], index=range(6)), w)

"""The bundled rail network, user network files, the report/CLI and regression values."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from hinterland.cli import main
from hinterland.datasets import (
    check_network,
    china_data_dir,
    load_china,
    load_china_network,
    read_network_files,
)
from hinterland.errors import ConfigError, ValidationError
from hinterland.network import global_efficiency, min_cut, n1_edges, travel_time_matrix
from hinterland.plan import network_travel_times

REG = Path(__file__).parent / "regression"


def to_nx(net) -> nx.Graph:  # type: ignore[no-untyped-def]
    g = nx.Graph()
    g.add_nodes_from(net.nodes.index)
    for r in net.edges.itertuples():
        if not g.has_edge(r.u, r.v) or g[r.u][r.v]["w"] > r.time_h:
            g.add_edge(r.u, r.v, w=r.time_h)
    return g


def groups(net):  # type: ignore[no-untyped-def]
    roles = load_china().regions.table["role"]
    r = net.nodes["region"].map(roles)
    return net.nodes.index[r.isin(["core", "hinterland"])].tolist(), net.nodes.index[r == "front"].tolist()


def test_bundled_network_shape_and_provenance() -> None:
    net = load_china_network()
    assert net.nodes.index.name == "node" and len(net.nodes) > 250 and len(net.edges) > 600
    assert set(net.nodes["region"]) <= set(load_china().regions.ids)
    assert (net.edges["time_h"] > 0).all() and (net.edges["length_km"] > 0).all()
    assert set(net.edges["source"]) == {"ma_tang_rail", "railwayvis"}
    src = pd.read_csv(china_data_dir() / "sources.csv").set_index("source_id")
    assert "GPL-3" in src.at["net_ma_tang_rail", "licence"]
    assert "Apache-2.0" in src.at["net_railwayvis", "licence"]
    tables = pd.read_csv(china_data_dir() / "tables.csv")
    assert {"network/nodes.csv", "network/edges.csv"} <= set(tables["file"])


def test_as_of_year_grows_the_network() -> None:
    e2010 = load_china_network(2010)
    e2021 = load_china_network(2021)
    assert len(e2010.edges) < len(e2021.edges)
    assert (e2010.edges["year_open"] <= 2010).all()
    assert global_efficiency(e2010) < global_efficiency(e2021)
    hsr = e2010.edges["service"].isin(["high_speed", "fast"]).sum()
    assert hsr < e2021.edges["service"].isin(["high_speed", "fast"]).sum()


def test_province_level() -> None:
    p = load_china_network(level="province")
    assert p.level == "province" and len(p.nodes) == 31
    d = network_travel_times(level="province")
    assert d.shape == (31, 31) and d.loc[110000, 310000] < 12  # Beijing-Shanghai under 12 h
    with pytest.raises(ConfigError):
        load_china_network(level="county")


def test_check_network_reports_components_with_members() -> None:
    warnings = check_network(load_china_network())
    text = " ".join(str(w) for w in warnings)
    assert all(w.severity == "warning" for w in warnings)
    assert "海口市" in text  # Hainan: no train-ferry link in the data


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_user_files_every_problem_reported(tmp_path: Path) -> None:
    nodes = write(tmp_path / "n.csv", "node,lon,lat,pop\n1,100,30,5\n2,101,30,5\n3,102,31,x\n")
    edges = write(tmp_path / "e.csv", "u,v,length_km\n1,2,10\n2,9,5\n2,3,0\n3,,4\n1,1,3\n")
    with pytest.raises(ValidationError) as exc:
        read_network_files(nodes, edges)
    checks = {p.check for p in exc.value.problems}
    assert {"unknown_node", "edge_length", "dangling_edge", "self_loop", "node_pop"} <= checks
    msg = str(exc.value)
    assert "e.csv, row 3, column 'v'" in msg and "unknown node 9" in msg


def test_user_files_csv_and_geojson(tmp_path: Path) -> None:
    nodes = write(
        tmp_path / "n.csv", "node,name,lon,lat,pop\n1,A,100,30,5\n2,B,101,30,5\n3,C,102,31,1\n4,D,90,40,1\n"
    )
    edges = write(tmp_path / "e.csv", "u,v,length_km,speed_kmh,capacity\n1,2,100,100,10\n2,3,200,100,5\n")
    net = read_network_files(nodes, edges)
    assert travel_time_matrix(net).loc[1, 3] == pytest.approx(3.0)
    warn = check_network(net)
    assert len(warn) == 1 and "4 D" in str(warn[0])
    gj = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"u": 1, "v": 2},
                "geometry": {"type": "LineString", "coordinates": [[100, 30], [101, 30]]},
            }
        ],
    }
    gpath = write(tmp_path / "e.geojson", json.dumps(gj))
    net = read_network_files(nodes, gpath)
    assert net.edges.at[0, "length_km"] == pytest.approx(96.3, abs=0.2)  # 1 degree of longitude at 30N


@pytest.mark.reference
def test_bundled_efficiency_and_n1_equal_networkx() -> None:
    net = load_china_network()
    g = to_nx(net)
    n = g.number_of_nodes()

    def eff(h: nx.Graph) -> float:
        return sum(
            1 / d
            for u, dd in nx.all_pairs_dijkstra_path_length(h, weight="w")
            for v, d in dd.items()
            if v != u
        ) / (n * (n - 1))

    assert global_efficiency(net) == pytest.approx(eff(g), rel=1e-12)
    t = n1_edges(net)
    for r in t.iloc[[0, 1, 5, 50, 300]].itertuples():
        h = g.copy()
        h.remove_edge(r.u, r.v)
        assert r.efficiency == pytest.approx(eff(h), rel=1e-12)


@pytest.mark.regression
def test_regression_bundled_values() -> None:
    stored = json.loads((REG / "network_summary.json").read_text(encoding="utf-8"))
    net = load_china_network()
    a, b = groups(net)
    got = {
        "efficiency_2010": global_efficiency(load_china_network(2010)),
        "efficiency_all": global_efficiency(net),
        "min_cut_hinterland_front": min_cut(net, a, b).value,
    }
    for key, value in got.items():
        assert value == pytest.approx(stored[key], rel=1e-9), key
    top = n1_edges(net).head(15)[["u", "v", "eff_loss", "pw_delay_h", "pairs_disconnected"]]
    ref = pd.read_csv(REG / "network_n1_top15.csv")
    pd.testing.assert_frame_equal(top.reset_index(drop=True), ref, check_dtype=False, rtol=1e-9)


def test_cli_network_writes_outputs(tmp_path: Path) -> None:
    nodes = write(
        tmp_path / "n.csv",
        "node,name,region,lon,lat,pop\n1,A,510000,104,30,5\n2,B,510000,105,31,5\n"
        "3,C,310000,121,31,9\n4,D,310000,120,31,1\n",
    )
    edges = write(tmp_path / "e.csv", "u,v,length_km,capacity\n1,2,100,10\n2,3,900,5\n2,4,800,4\n3,4,50,20\n")
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as exc:
        main(
            [
                "network",
                "--nodes",
                str(nodes),
                "--edges",
                str(edges),
                "--out",
                str(out),
                "--budget",
                "2000",
                "--draws",
                "3",
                "--max-fraction",
                "0.5",
            ]
        )
    assert exc.value.code in (0, None)
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["min_cut"]["value"] == pytest.approx(9.0)
    assert summary["upgrade"]["worst_case_cut_after"] >= 9.0
    for name in (
        "accessibility.csv",
        "criticality_links.csv",
        "attack_curves.csv",
        "network_report.xlsx",
        "map_criticality.png",
        "map_accessibility.png",
        "attack_curves.png",
        "upgrade_plan.csv",
    ):
        assert (out / name).exists(), name
    crit = pd.read_csv(out / "criticality_links.csv")
    row = crit[(crit["u"] == 1) & (crit["v"] == 2)].iloc[0]
    assert row["pairs_disconnected"] == 3  # the only link of node 1
    assert crit.at[0, "u"] == 3 and crit.at[0, "v"] == 4  # 0.625 h link, detour 21.25 h: largest loss
    assert np.isfinite(crit["eff_loss"]).all()


def test_cli_bad_user_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    nodes = write(tmp_path / "n.csv", "node,lon,lat\n1,100,30\n")
    edges = write(tmp_path / "e.csv", "u,v,length_km\n1,5,-3\n")
    with pytest.raises(SystemExit) as exc:
        main(["network", "--nodes", str(nodes), "--edges", str(edges), "--out", str(tmp_path / "o")])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "unknown node 5" in err and "length_km" in err


def test_bundled_road_layer_and_modes() -> None:
    """Expressways placed from named segments load as their own mode; rail is unchanged by them."""
    rail, road, both = (load_china_network(mode=m) for m in ("rail", "road", "all"))
    assert set(rail.edges["mode"]) == {"rail"} and set(road.edges["mode"]) == {"road"}
    assert len(both.edges) == len(rail.edges) + len(road.edges)
    assert set(both.nodes.index) == set(rail.nodes.index) | set(road.nodes.index)
    assert set(rail.edges["edge"]).isdisjoint(road.edges["edge"])
    assert set(road.edges["u"]) | set(road.edges["v"]) <= set(road.nodes.index)
    assert (road.edges["time_h"] > 0).all() and (road.edges["length_km"] > 0).all()
    # time = length / 80 km/h; length = great circle between the city points x 1.2
    assert np.allclose(road.edges["time_h"], road.edges["length_km"] / 80.0, atol=1e-4)
    pts = road.nodes[["lon", "lat"]]
    e = road.edges.set_index("line")
    row = e.loc["沈阳到大连"]  # Shenyang-Dalian expressway: 375 km; seats 345 km apart
    assert row["u"] == 210100 and row["v"] == 210200
    lon1, lat1 = np.radians(pts.loc[210100])
    lon2, lat2 = np.radians(pts.loc[210200])
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    gc = 2 * 6371.0088 * np.arcsin(np.sqrt(h))
    assert 330 < gc < 360 and row["length_km"] == pytest.approx(1.2 * gc, abs=0.01)
    assert (load_china_network(2010, mode="road").edges["year_open"] <= 2010).all()
    src = pd.read_csv(china_data_dir() / "sources.csv").set_index("source_id")
    assert "GPL-3" in src.at["net_ma_tang_road", "licence"] and "JTG" in src.at["net_jtg_b01_2014", "title"]
    report = json.loads((china_data_dir() / "network/build_report.json").read_text(encoding="utf-8"))
    assert report["road_segments"]["placed_between_cities"] > 500
    with pytest.raises(ConfigError, match="unknown network mode 'ship'"):
        load_china_network(mode="ship")


def test_min_cut_with_capacities_beyond_int32() -> None:
    """Large capacities (pcu/day) are scaled to fit scipy's int32 max-flow instead of overflowing."""
    from hinterland.containers import TransportNetwork

    nodes = pd.DataFrame(
        {"name": list("abcd"), "region": 110000, "pop": 1, "lon": [0.0, 1, 2, 3], "lat": 0.0},
        index=pd.Index([1, 2, 3, 4], name="node"),
    )
    edges = pd.DataFrame(
        {
            "edge": [0, 1, 2, 3],
            "u": [1, 1, 2, 3],
            "v": [2, 3, 4, 4],
            "mode": "road",
            "length_km": 10.0,
            "time_h": 0.1,
            "capacity": [4e7, 3e7, 2.5e7, 1e8],
            "year_open": 2000,
        }
    )
    net = TransportNetwork(nodes, edges, "city", None, "toy")
    cut = min_cut(net, [1], [4])
    assert cut.value == pytest.approx(5.5e7)  # min(4e7, 2.5e7) + min(3e7, 1e8)
    assert set(map(tuple, cut.cut[["u", "v"]].to_numpy())) == {(2, 4), (1, 3)}


def test_cli_network_modes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["network", "--mode", "all", "--budget", "100", "--out", str(tmp_path / "o")])
    assert exc.value.code == 2
    assert "different units" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(
            [
                "network",
                "--mode",
                "road",
                "--budget",
                "100",
                "--objective",
                "travel-time",
                "--out",
                str(tmp_path),
            ]
        )
    assert exc.value.code == 2
    assert "no meaning for expressways" in capsys.readouterr().err
    nodes = write(tmp_path / "n.csv", "node,lon,lat\n1,100,30\n2,101,30\n")
    edges = write(tmp_path / "e.csv", "u,v,length_km,mode\n1,2,50,rail\n")
    args = ["network", "--nodes", str(nodes), "--edges", str(edges), "--mode", "road"]
    with pytest.raises(SystemExit) as exc:
        main([*args, "--out", str(tmp_path / "p")])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "no edge has mode 'road'" in err and "['rail']" in err


def test_cli_network_year_before_any_link(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["network", "--mode", "road", "--year", "1985", "--out", str(tmp_path / "o")])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "no link is open by 1985" in err and "first opens in 1989" in err and "--year" in err
    assert n1_edges(load_china_network(1850)).empty  # the method itself copes with no links

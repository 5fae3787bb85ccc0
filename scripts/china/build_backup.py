"""Chain weights for the key-industry backup chains (``china_data/backup/chain_weights.csv``).

A chain such as integrated circuits is only part of one of the 42 MRIO sectors (here: 'communication
equipment, computers and other electronic equipment', sec20). Its weight in that sector is the
product's share of the sector's gross output in the NBS national input-output table with the finest
split available: the 2017 149-sector table, or the 2018 153-sector table where 2017 has no separate
product (medical equipment, 医疗仪器设备及器械). Products are matched by their Chinese names, and each
parent sector by the full list of its products (checked: the parent's gross output in the detailed
table equals the sum over its products by construction).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

OUT_DIR = "backup"
SRC_2017 = "nbs_io_national_2017_149"
SRC_2018 = "nbs_io_national_2018_153"
RAW = {SRC_2017: "io_national/china_2017_149.csv", SRC_2018: "io_national/china_2018_153.csv"}

# Parent sectors of the 42-sector classification, as the Chinese product names of the detailed table.
PARENTS: dict[str, tuple[str, ...]] = {
    "sec01": ("农产品", "林产品", "畜牧产品", "渔产品", "农、林、牧、渔服务产品"),
    "sec06": (
        "谷物磨制品", "饲料加工品", "植物油加工品", "糖及糖制品", "屠宰及肉类加工品", "水产加工品",
        "蔬菜、水果、坚果和其他农副食品加工品", "方便食品", "乳制品", "调味品、发酵制品", "其他食品",
        "酒精和酒", "饮料", "精制茶", "烟草制品",
    ),
    "sec11": ("精炼石油和核燃料加工品", "煤炭加工品"),
    "sec12": (
        "基础化学原料", "肥料", "农药", "涂料、油墨、颜料及类似产品", "合成材料",
        "专用化学产品和炸药、火工、焰火产品", "日用化学产品", "医药制品", "化学纤维制品", "橡胶制品",
        "塑料制品",
    ),
    "sec13": (
        "水泥、石灰和石膏", "石膏、水泥制品及类似制品", "砖瓦、石材等建筑材料", "玻璃和玻璃制品",
        "陶瓷制品", "耐火材料制品", "石墨及其他非金属矿物制品",
    ),
    "sec14": ("钢", "钢压延产品", "铁及铁合金产品", "有色金属及其合金", "有色金属压延加工品"),
    "sec16": (
        "锅炉及原动设备", "金属加工机械", "物料搬运设备", "泵、阀门、压缩机及类似机械",
        "文化、办公用机械", "其他通用设备", "烘炉、风机、包装等设备",
    ),
    "sec17": (
        "采矿、冶金、建筑专用设备", "化工、木材、非金属加工专用设备", "农、林、牧、渔专用机械",
        "医疗仪器设备及器械", "其他专用设备",
    ),
    "sec20": ("计算机", "通信设备", "广播电视设备和雷达及配套设备", "视听设备", "电子元器件", "其他电子设备"),
    "sec31": ("电信", "广播电视及卫星传输服务", "互联网和相关服务", "软件服务", "信息技术服务"),
}  # fmt: skip

# (chain, sector, products, source table, reasoning)
PARTS: tuple[tuple[str, str, tuple[str, ...], str, str], ...] = (
    ("integrated_circuits", "sec20", ("电子元器件",), SRC_2017,
     "electronic components (C397: ICs, discrete devices, PCBs, displays) are the finest product "
     "containing ICs; upper bound of the IC share"),
    ("machine_tools", "sec16", ("金属加工机械",), SRC_2017, "metal-processing machinery (C342: 工业母机)"),
    ("medical_equipment", "sec17", ("医疗仪器设备及器械",), SRC_2018,
     "medical instruments and appliances (C358); separate only from the 2018 153-sector table on"),
    ("software", "sec31", ("软件服务",), SRC_2017,
     "software services (I651-I653: basic and industrial software are part of it)"),
    ("advanced_materials", "sec12", ("合成材料", "专用化学产品和炸药、火工、焰火产品"), SRC_2017,
     "synthetic materials and special chemicals (electronic chemicals, new chemical materials)"),
    ("advanced_materials", "sec13", ("石墨及其他非金属矿物制品",), SRC_2017,
     "graphite and other non-metallic mineral products (graphite, silicon carbide, advanced ceramics)"),
    ("advanced_materials", "sec14", ("有色金属及其合金", "有色金属压延加工品"), SRC_2017,
     "non-ferrous metals, alloys and rolled products (rare earths, titanium, high-purity metals)"),
    ("energy", "sec11", ("精炼石油和核燃料加工品",), SRC_2017, "refined petroleum and nuclear fuel, not coking"),
    ("grain_food", "sec01", ("农产品",), SRC_2017, "crop farming products (grain, oilseed, vegetables)"),
    ("grain_food", "sec06", ("谷物磨制品", "植物油加工品"), SRC_2017, "grain milling and vegetable oils"),
    ("pharmaceuticals", "sec12", ("医药制品",), SRC_2017, "medicines (C27)"),
)  # fmt: skip


def chain_weights(shared: Path) -> pd.DataFrame:
    """One row per (chain, sector): product gross output, parent gross output and their ratio."""
    tables = {sid: pd.read_csv(shared / raw, dtype={"Code": str}) for sid, raw in RAW.items()}
    rows = []
    for chain, sector, products, sid, why in PARTS:
        t = tables[sid].set_index("DescriptionInChinese")
        parent = [p for p in PARENTS[sector] if p in t.index]
        unknown = [p for p in products if p not in t.index]
        if unknown:
            raise SystemExit(f"{RAW[sid]}: products {unknown} not found (chain {chain})")
        go_part = float(t.loc[list(products), "GO"].sum())
        go_parent = float(t.loc[parent, "GO"].sum())
        rows.append(
            {
                "chain": chain,
                "sector": sector,
                "products": ";".join(products),
                "product_go": go_part,
                "sector_go": go_parent,
                "weight": go_part / go_parent,
                "source_id": sid,
                "reasoning": why,
            }
        )
    return pd.DataFrame(rows)


def build(shared: Path, out: Path) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    dest = out / OUT_DIR
    dest.mkdir(parents=True, exist_ok=True)
    w = chain_weights(shared)
    w.to_csv(dest / "chain_weights.csv", index=False, float_format="%.6f")
    sources: list[dict[str, object]] = [
        {
            "source_id": sid,
            "agency": "National Bureau of Statistics of China (NBS)",
            "title": f"{year} national input-output table ({n} sectors, competitive imports)",
            "table": f"全国投入产出表 {year} ({n}部门)",
            "vintage": str(year),
            "unit": "1e4 CNY (万元), producers' prices",
            "dataset_author": "NBS",
            "licence": "official statistics, public",
            "raw_file": RAW[sid],
            "notes": "gross output (GO column) by product; used only for within-sector shares",
        }
        for sid, year, n in ((SRC_2017, 2017, 149), (SRC_2018, 2018, 153))
    ]
    tables: list[dict[str, object]] = [
        {
            "table": "backup_chain_weights",
            "file": f"{OUT_DIR}/chain_weights.csv",
            "description": "share of each key chain in its 42-sector MRIO sector(s)",
            "source_ids": f"{SRC_2017};{SRC_2018}",
            "derivation": "gross output of the chain's products / gross output of all products of the parent sector",
        }
    ]
    print("backup chain weights:\n" + w[["chain", "sector", "weight"]].to_string(index=False))
    return sources, tables

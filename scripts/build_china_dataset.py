"""Build the bundled China dataset from ``../shared/data/china``.

Usage::

    python scripts/build_china_dataset.py [--shared ../shared/data/china]

Only this script (and the modules in ``scripts/china/``) may read the raw files. It writes compact,
traceable tables into ``src/hinterland/datasets/china_data/``:

* the tables written by each part (``build_geo.build`` and ``build_panel.build``);
* ``sources.csv``: one row per source (agency, table, vintage, unit, licence, raw file);
* ``tables.csv``: one row per bundled file with the source ids it rests on and how it was derived.

Each part's ``build(shared: Path, out: Path) -> tuple[list[dict], list[dict]]`` writes its files and
returns ``(source_rows, table_rows)``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from china import (  # noqa: E402
    build_backup,
    build_calibration,
    build_demand_points,
    build_geo,
    build_mrio,
    build_network,
    build_panel,
)

OUT = REPO / "src" / "hinterland" / "datasets" / "china_data"
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
TABLE_COLUMNS = ["table", "file", "description", "source_ids", "derivation"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared" / "data" / "china")
    args = parser.parse_args(argv)
    shared: Path = args.shared
    if not (shared / "SOURCES.md").exists():
        raise SystemExit(f"raw data not found at {shared} (expected SOURCES.md there); pass --shared DIR")
    OUT.mkdir(parents=True, exist_ok=True)
    sources: list[dict[str, object]] = []
    tables: list[dict[str, object]] = []
    for part in (
        build_geo,
        build_panel,
        build_mrio,
        build_demand_points,
        build_network,
        build_backup,
        build_calibration,
    ):
        s, t = part.build(shared, OUT)
        sources.extend(s)
        tables.extend(t)
    src = pd.DataFrame(sources).reindex(columns=SOURCE_COLUMNS)
    src = src.drop_duplicates("source_id").sort_values("source_id")
    tab = pd.DataFrame(tables).reindex(columns=TABLE_COLUMNS).sort_values("table")
    tab = pd.concat(
        [
            tab,
            pd.DataFrame(
                [
                    {
                        "table": "sources",
                        "file": "sources.csv",
                        "description": "machine-readable list of sources",
                        "source_ids": "",
                        "derivation": "collected from the build parts",
                    },
                    {
                        "table": "tables",
                        "file": "tables.csv",
                        "description": "this manifest",
                        "source_ids": "",
                        "derivation": "collected from the build parts",
                    },
                ]
            ),
        ]
    )
    known = set(src["source_id"])
    for row in tab.itertuples():
        for sid in filter(None, str(row.source_ids).split(";")):
            if sid not in known and sid != "nan":
                raise SystemExit(f"table {row.table} cites unknown source {sid!r}")
    src.to_csv(OUT / "sources.csv", index=False)
    tab.to_csv(OUT / "tables.csv", index=False)
    print(f"wrote {len(tab)} tables and {len(src)} sources to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

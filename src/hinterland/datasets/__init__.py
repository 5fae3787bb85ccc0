"""Bundled data, readers for user data and the catalogue of data checks.

>>> from hinterland.datasets import load_china
>>> ds = load_china()
>>> len(ds.regions)
31
"""

from hinterland.datasets._checks import (
    CHECKS,
    CheckContext,
    check_national_totals,
    check_panel,
    run_checks,
)
from hinterland.datasets._china import china_data_dir, load_china, national_totals
from hinterland.datasets._export import EXPORT_FORMATS, export_dataset
from hinterland.datasets._mrio import china_mrio_meta, china_sector_names, load_china_mrio
from hinterland.datasets._readers import (
    IndicatorFile,
    apply_indicator_file,
    read_indicator_file,
    read_roles_file,
    read_table,
)

__all__ = [
    "CHECKS",
    "EXPORT_FORMATS",
    "CheckContext",
    "IndicatorFile",
    "apply_indicator_file",
    "check_national_totals",
    "check_panel",
    "china_mrio_meta",
    "china_sector_names",
    "china_data_dir",
    "export_dataset",
    "load_china",
    "load_china_mrio",
    "national_totals",
    "read_indicator_file",
    "read_roles_file",
    "read_table",
    "run_checks",
]

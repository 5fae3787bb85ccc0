"""Bundled data, readers for user data and the catalogue of data checks.

>>> from hinterland.datasets import load_china
>>> ds = load_china()
>>> len(ds.regions)
31
"""

from hinterland.datasets._calibration import (
    CALIBRATION_EVENTS,
    load_calibration_inputs,
    load_calibration_references,
    load_calibration_targets,
)
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
from hinterland.datasets._network import check_network, load_china_network, read_network_files
from hinterland.datasets._readers import (
    IndicatorFile,
    apply_indicator_file,
    read_indicator_file,
    read_roles_file,
    read_table,
)
from hinterland.datasets._reserves import DEMAND_LEVELS, load_demand_points, read_location_files

__all__ = [
    "CALIBRATION_EVENTS",
    "CHECKS",
    "DEMAND_LEVELS",
    "EXPORT_FORMATS",
    "CheckContext",
    "IndicatorFile",
    "apply_indicator_file",
    "check_national_totals",
    "check_network",
    "check_panel",
    "china_data_dir",
    "china_mrio_meta",
    "china_sector_names",
    "export_dataset",
    "load_calibration_inputs",
    "load_calibration_references",
    "load_calibration_targets",
    "load_china",
    "load_china_mrio",
    "load_china_network",
    "load_demand_points",
    "national_totals",
    "read_indicator_file",
    "read_location_files",
    "read_network_files",
    "read_roles_file",
    "read_table",
    "run_checks",
]

"""Reports: the data overview now; the advisory plan report builds on the same helpers."""

from hinterland.report._backup import build_backup_input, closed_loop, write_backup_report
from hinterland.report._data_report import DEFAULT_INDICATOR, summary_table, write_data_report
from hinterland.report._evaluate import (
    parse_weights_option,
    read_decision_matrix,
    run_evaluation,
    write_evaluation,
)
from hinterland.report._network import load_network, network_travel_times, write_network_report
from hinterland.report._reserves import build_reserves_input, write_reserves_report
from hinterland.report._shock import load_shock_mrio, scenario_table, write_shock_report

__all__ = [
    "DEFAULT_INDICATOR",
    "build_backup_input",
    "build_reserves_input",
    "closed_loop",
    "load_network",
    "load_shock_mrio",
    "network_travel_times",
    "parse_weights_option",
    "read_decision_matrix",
    "run_evaluation",
    "scenario_table",
    "summary_table",
    "write_backup_report",
    "write_data_report",
    "write_evaluation",
    "write_network_report",
    "write_reserves_report",
    "write_shock_report",
]

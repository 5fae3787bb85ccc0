"""Reports: the data overview now; the advisory plan report builds on the same helpers."""

from hinterland.report._data_report import DEFAULT_INDICATOR, summary_table, write_data_report
from hinterland.report._evaluate import (
    parse_weights_option,
    read_decision_matrix,
    run_evaluation,
    write_evaluation,
)

__all__ = [
    "DEFAULT_INDICATOR",
    "parse_weights_option",
    "read_decision_matrix",
    "run_evaluation",
    "summary_table",
    "write_data_report",
    "write_evaluation",
]

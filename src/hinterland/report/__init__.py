"""Reports: one writer per command (data, evaluate, network, reserves, shock, backup) and the integrated
plan (:func:`write_plan_report`), whose advisory report is built with :class:`AdvisoryDocument`."""

from hinterland.report._backup import (
    BackupStudy,
    build_backup_input,
    closed_loop,
    run_backup_study,
    write_backup_report,
    write_backup_study,
)
from hinterland.report._data_report import DEFAULT_INDICATOR, summary_table, write_data_report
from hinterland.report._document import (
    AdvisoryDocument,
    Bullets,
    Equation,
    Figure,
    Paragraph,
    Section,
    Table,
    Text,
    latex_to_svg,
    write_pdf,
)
from hinterland.report._evaluate import (
    parse_weights_option,
    read_decision_matrix,
    run_evaluation,
    write_evaluation,
)
from hinterland.report._network import load_network, network_travel_times, write_network_report
from hinterland.report._plan import (
    PlanOutcome,
    run_plan_stages,
    write_assessment,
    write_plan_report,
)
from hinterland.report._plan_document import build_plan_document
from hinterland.report._reserves import build_reserves_input, write_reserves_report
from hinterland.report._shock import load_shock_mrio, scenario_table, write_shock_report

__all__ = [
    "DEFAULT_INDICATOR",
    "AdvisoryDocument",
    "BackupStudy",
    "Bullets",
    "Equation",
    "Figure",
    "Paragraph",
    "PlanOutcome",
    "Section",
    "Table",
    "Text",
    "build_backup_input",
    "build_plan_document",
    "build_reserves_input",
    "closed_loop",
    "latex_to_svg",
    "load_network",
    "load_shock_mrio",
    "network_travel_times",
    "parse_weights_option",
    "read_decision_matrix",
    "run_backup_study",
    "run_evaluation",
    "run_plan_stages",
    "scenario_table",
    "summary_table",
    "write_assessment",
    "write_backup_report",
    "write_backup_study",
    "write_data_report",
    "write_evaluation",
    "write_network_report",
    "write_pdf",
    "write_plan_report",
    "write_reserves_report",
    "write_shock_report",
]

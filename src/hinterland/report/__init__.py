"""Reports: one writer per study (``write_X(out, study)`` for the studies ``hinterland.plan.run_X``
returns: evaluation, network, reserves, backup, the assessment and the integrated plan), the data and
shock reports, and the plan's advisory report, built with :class:`AdvisoryDocument`."""

from hinterland.report._backup import write_backup
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
from hinterland.report._evaluate import write_evaluation
from hinterland.report._network import write_network
from hinterland.report._plan import (
    STAGE_FOLDERS,
    PlanReport,
    write_assessment,
    write_plan,
    write_plan_report,
)
from hinterland.report._plan_document import build_plan_document
from hinterland.report._reserves import write_reserves
from hinterland.report._shock import load_shock_mrio, scenario_table, write_shock_report

__all__ = [
    "DEFAULT_INDICATOR",
    "STAGE_FOLDERS",
    "AdvisoryDocument",
    "Bullets",
    "Equation",
    "Figure",
    "Paragraph",
    "PlanReport",
    "Section",
    "Table",
    "Text",
    "build_plan_document",
    "latex_to_svg",
    "load_shock_mrio",
    "scenario_table",
    "summary_table",
    "write_assessment",
    "write_backup",
    "write_data_report",
    "write_evaluation",
    "write_network",
    "write_pdf",
    "write_plan",
    "write_plan_report",
    "write_reserves",
    "write_shock_report",
]

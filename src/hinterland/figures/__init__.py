"""Figures shared by the commands: province choropleths (with a South China Sea inset) and charts.

Figures are built with :class:`matplotlib.figure.Figure` directly (no pyplot state), in an Albers
equal-area conic projection for China, with a CJK font so Chinese labels render.
"""

from hinterland.figures._backup import backup_maps, pareto_chart
from hinterland.figures._evaluate import dimension_maps, radar_chart, rank_interval_chart, score_trends
from hinterland.figures._fonts import use_cjk_font
from hinterland.figures._maps import albers, choropleth, save_figure
from hinterland.figures._network import attack_chart, network_map, upgrade_map
from hinterland.figures._plan import avoided_loss_chart, lever_payback_chart, plan_curves_chart
from hinterland.figures._reserves import reserves_map
from hinterland.figures._shock import recovery_chart

__all__ = [
    "albers",
    "attack_chart",
    "avoided_loss_chart",
    "backup_maps",
    "choropleth",
    "dimension_maps",
    "lever_payback_chart",
    "network_map",
    "pareto_chart",
    "plan_curves_chart",
    "radar_chart",
    "rank_interval_chart",
    "recovery_chart",
    "reserves_map",
    "save_figure",
    "score_trends",
    "upgrade_map",
    "use_cjk_font",
]

"""Figures shared by the commands: province choropleths (with a South China Sea inset) and charts.

Figures are built with :class:`matplotlib.figure.Figure` directly (no pyplot state), in an Albers
equal-area conic projection for China, with a CJK font so Chinese labels render.
"""

from hinterland.figures._evaluate import dimension_maps, radar_chart, rank_interval_chart, score_trends
from hinterland.figures._fonts import use_cjk_font
from hinterland.figures._maps import albers, choropleth, save_figure
from hinterland.figures._network import attack_chart, network_map
from hinterland.figures._reserves import reserves_map

__all__ = [
    "albers",
    "attack_chart",
    "choropleth",
    "dimension_maps",
    "network_map",
    "radar_chart",
    "rank_interval_chart",
    "reserves_map",
    "save_figure",
    "score_trends",
    "use_cjk_font",
]

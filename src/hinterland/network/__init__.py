"""Strategic transport network analysis: travel times, accessibility, efficiency, min-cut,
N-1/N-k criticality, attack curves, budgeted upgrades and region-pair capacities.

Graph-first pure functions on a :class:`hinterland.containers.TransportNetwork`. Shortest paths use
scipy's Dijkstra; efficiency follows Latora & Marchiori (2001); max-flow is scipy's; upgrades are a
MILPs on HiGHS (maximise the worst-case min cut, or minimise the
population-weighted travel time under disruption scenarios).
"""

from hinterland.network._aggregate import aggregate_by_region
from hinterland.network._criticality import n1_edges, n1_nodes, nk_greedy, sweep_links
from hinterland.network._design import RISKS, TravelTimePlan, plan_travel_time_upgrades, weighted_travel_time
from hinterland.network._flow import MinCut, UpgradePlan, min_cut, plan_upgrades
from hinterland.network._graph import Graph, all_pairs_times, from_network, shortest_times, travel_time_matrix
from hinterland.network._measures import accessibility, components, efficiency_from_times, global_efficiency
from hinterland.network._pairs import edges_between, pair_max_flows, region_pair_capacity
from hinterland.network._robustness import STRATEGIES, attack_curve, robustness_index, tree_betweenness

__all__ = [
    "RISKS",
    "STRATEGIES",
    "Graph",
    "MinCut",
    "TravelTimePlan",
    "UpgradePlan",
    "accessibility",
    "aggregate_by_region",
    "all_pairs_times",
    "attack_curve",
    "components",
    "edges_between",
    "efficiency_from_times",
    "from_network",
    "global_efficiency",
    "min_cut",
    "n1_edges",
    "n1_nodes",
    "nk_greedy",
    "pair_max_flows",
    "plan_travel_time_upgrades",
    "plan_upgrades",
    "region_pair_capacity",
    "robustness_index",
    "shortest_times",
    "sweep_links",
    "travel_time_matrix",
    "tree_betweenness",
    "weighted_travel_time",
]

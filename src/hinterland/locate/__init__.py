"""Reserve-depot location: covering, median, center and capacitated models, robust and stochastic.

Build an instance with :func:`from_cost_matrix` (any demand × site time/cost matrix) or
:func:`from_points` (great-circle × detour ÷ speed), then solve:

* :func:`lscp` (set covering), :func:`mclp` (maximal covering), :func:`p_median`, :func:`p_center`,
  :func:`cflp` / :func:`multi_commodity_cflp` (capacitated, several commodities);
* under disruption: :class:`ScenarioSet` (from :func:`hazard_scenarios` / :func:`travel_times` or
  user matrices), :func:`robust_lscp`, :func:`stochastic_p_median` (expected, CVaR, worst case,
  min–max regret; reports VSS, EVPI and the price of robustness);
* :func:`size_reserves` for stock levels; heuristics (:func:`greedy_median`, :func:`interchange`, ...)
  for warm starts and large instances.

Every model is built from named ``add_*`` blocks into a :class:`MipModel` and solved by
:func:`solve_mip` (``solver='highs'`` by default). Infeasible asks raise
:class:`~hinterland.errors.InfeasibleError` quoting the numbers and the smallest fix.
"""

from hinterland.locate._blocks import (
    add_assignment_rows,
    add_assignment_vars,
    add_budget_row,
    add_capacity_rows,
    add_cover_rows,
    add_coverage_vars,
    add_link_rows,
    add_mclp_rows,
    add_p_row,
    add_site_vars,
    check_p,
    check_reachable,
    coverage,
)
from hinterland.locate._heuristics import greedy_center, greedy_cover, greedy_mclp, greedy_median, interchange
from hinterland.locate._instance import LocationInstance, from_cost_matrix, from_points, great_circle_km
from hinterland.locate._models import (
    LocationResult,
    build_lscp,
    build_mclp,
    build_p_center,
    build_p_median,
    cflp,
    evaluate_sites,
    lscp,
    mclp,
    multi_commodity_cflp,
    p_center,
    p_median,
    reduce_lscp,
)
from hinterland.locate._network import Hazard, hazard_scenarios, proximity_graph, travel_times
from hinterland.locate._scenarios import (
    OBJECTIVES,
    ScenarioSet,
    StochasticResult,
    build_stochastic_p_median,
    robust_lscp,
    scenario_costs,
    stochastic_p_median,
)
from hinterland.locate._sizing import Commodity, load_commodities, size_reserves
from hinterland.optim import SOLVERS, MipModel, MipSolution, solve_mip

__all__ = [
    "OBJECTIVES",
    "SOLVERS",
    "Commodity",
    "Hazard",
    "LocationInstance",
    "LocationResult",
    "MipModel",
    "MipSolution",
    "ScenarioSet",
    "StochasticResult",
    "add_assignment_rows",
    "add_assignment_vars",
    "add_budget_row",
    "add_capacity_rows",
    "add_cover_rows",
    "add_coverage_vars",
    "add_link_rows",
    "add_mclp_rows",
    "add_p_row",
    "add_site_vars",
    "build_lscp",
    "build_mclp",
    "build_p_center",
    "build_p_median",
    "build_stochastic_p_median",
    "cflp",
    "check_p",
    "check_reachable",
    "coverage",
    "evaluate_sites",
    "from_cost_matrix",
    "from_points",
    "great_circle_km",
    "greedy_center",
    "greedy_cover",
    "greedy_mclp",
    "greedy_median",
    "hazard_scenarios",
    "interchange",
    "load_commodities",
    "lscp",
    "mclp",
    "multi_commodity_cflp",
    "p_center",
    "p_median",
    "proximity_graph",
    "reduce_lscp",
    "robust_lscp",
    "scenario_costs",
    "size_reserves",
    "solve_mip",
    "stochastic_p_median",
    "travel_times",
]

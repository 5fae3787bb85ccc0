"""Domain containers: frozen dataclasses around labelled pandas data with fixed index names.

Index names are part of the contract: ``region`` (adcode int), ``sector``, ``scenario``, ``site``,
``node``. Containers validate their shape on construction and only orchestrate; numerics live in the
pure functions of the method packages.
"""

from hinterland.containers._core import (
    REGION,
    ROLES,
    Dataset,
    Geography,
    IndicatorPanel,
    Regions,
    normalise_name,
)
from hinterland.containers._mrio import CATEGORY, COMPONENT, MRIO, SECTOR, industry_index
from hinterland.containers._network import (
    EDGE_COLUMNS,
    NODE,
    NODE_COLUMNS,
    TransportNetwork,
    aggregate_by_region,
)

__all__ = [
    "CATEGORY",
    "COMPONENT",
    "EDGE_COLUMNS",
    "MRIO",
    "NODE",
    "NODE_COLUMNS",
    "REGION",
    "ROLES",
    "SECTOR",
    "Dataset",
    "Geography",
    "IndicatorPanel",
    "Regions",
    "TransportNetwork",
    "aggregate_by_region",
    "industry_index",
    "normalise_name",
]

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

__all__ = [
    "CATEGORY",
    "COMPONENT",
    "MRIO",
    "REGION",
    "ROLES",
    "SECTOR",
    "Dataset",
    "Geography",
    "IndicatorPanel",
    "Regions",
    "industry_index",
    "normalise_name",
]

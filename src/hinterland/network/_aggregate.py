"""Province-level network derived from the city network by aggregation (defined with the container)."""

from __future__ import annotations

from hinterland.containers import aggregate_by_region

__all__ = ["aggregate_by_region"]

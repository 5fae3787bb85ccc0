"""Routes of the data behind the map: regions, indicator and score layers, geometry (tag ``data``)."""

from __future__ import annotations

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from hinterland.web._data import geometry, indicator_values, layer_catalogue, region_records
from hinterland.web._deps import ApiError, DatasetDep, StateDep
from hinterland.web._models import IndicatorLayer, LayerCatalogue, LayerInfo, LayerValue, Region, RegionList

__all__ = ["router"]

router = APIRouter(prefix="/api", tags=["data"])


@router.get("/regions", response_model=RegionList)
def regions(ds: DatasetDep) -> RegionList:
    """The 31 provincial-level regions: adcode, Chinese and English names, role."""
    return RegionList(regions=[Region(**r) for r in region_records(ds)])


@router.get("/regions/{region}", response_model=Region)
def region(region: str, ds: DatasetDep) -> Region:
    """One region by adcode, Chinese or English name (unknown → 404 with close matches)."""
    if len(region) > 64:
        raise ApiError(404, "unknown region (name longer than 64 characters)")
    code = ds.regions.resolve(region)
    return Region(**next(r for r in region_records(ds) if r["id"] == code))


@router.get("/layers", response_model=LayerCatalogue)
def layers(ds: DatasetDep, state: StateDep) -> LayerCatalogue:
    """Map layers: indicators of the bundled panel and (once computed) evaluation scores."""
    st = state.score_state()
    items = [LayerInfo(**x) for x in layer_catalogue(ds)]
    if st == "done":
        items += [LayerInfo(**x) for x in state.scores.layers()]
    return LayerCatalogue(layers=items, scores_state=st)


@router.get("/layers/indicator/{indicator}", response_model=IndicatorLayer)
def indicator_layer(
    indicator: str,
    ds: DatasetDep,
    year: int | None = Query(None, ge=1900, le=2100, description="default: latest"),
) -> IndicatorLayer:
    """Values of one indicator per region for a year (unknown indicator or year → 404)."""
    if len(indicator) > 80:
        raise ApiError(404, "unknown indicator (id longer than 80 characters)")
    y, values = indicator_values(ds, indicator, year)
    info = next(x for x in layer_catalogue(ds) if x["id"] == indicator)
    src = str(ds.panel.catalogue.at[indicator, "source_id"])
    return IndicatorLayer(
        layer=LayerInfo(**info),
        year=y,
        values=[LayerValue(region=r, value=v) for r, v in values],
        source=src,
    )


@router.get(
    "/layers/score/{layer}",
    response_model=IndicatorLayer,
    responses={503: {"description": "scores still being computed (Retry-After)"}},
)
def score_layer(layer: str, state: StateDep) -> IndicatorLayer:
    """Evaluation scores (composite, rank, dimensions) from the evaluation run at startup."""
    st = state.score_state()
    if st in ("pending", "running"):
        raise ApiError(
            503,
            f"score layers are being computed (evaluation job {st}); retry shortly",
            {"Retry-After": "2"},
        )
    if st != "done":
        error = state.jobs.get(state.score_job).error if state.score_job is not None else None
        raise ApiError(500, f"the evaluation behind the score layers failed: {error}")
    values = state.scores.values(layer)
    info = next(x for x in state.scores.layers() if x["id"] == layer)
    return IndicatorLayer(
        layer=LayerInfo(**info),
        year=None,
        values=[LayerValue(region=r, value=v) for r, v in values],
        source="hinterland evaluate (entropy weights, TOPSIS)",
    )


@router.get("/geometry")
def geo(
    ds: DatasetDep,
    tolerance: float = Query(0.02, ge=0, le=0.5, description="simplification tolerance in degrees"),
) -> JSONResponse:
    """Province boundaries as a GeoJSON FeatureCollection (WGS84 lon/lat), simplified."""
    return JSONResponse(geometry(ds, round(tolerance, 4)))

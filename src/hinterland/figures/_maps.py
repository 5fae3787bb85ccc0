"""Province choropleth maps in an Albers equal-area projection with a South China Sea inset."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib import colormaps
from matplotlib.axes import Axes
from matplotlib.cm import ScalarMappable
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath
from shapely.geometry import shape

from hinterland.figures._fonts import use_cjk_font

__all__ = ["albers", "choropleth", "save_figure"]

# Albers equal-area conic for China: standard parallels 25°N and 47°N, central meridian 105°E.
_PHI1, _PHI2, _LAMBDA0, _PHI0 = np.radians(25.0), np.radians(47.0), np.radians(105.0), 0.0
_N = (np.sin(_PHI1) + np.sin(_PHI2)) / 2
_C = np.cos(_PHI1) ** 2 + 2 * _N * np.sin(_PHI1)
_R = 6371.0
_RHO0 = _R * np.sqrt(_C - 2 * _N * np.sin(_PHI0)) / _N
MAIN_MIN_LAT = 17.6  # below this latitude only the South China Sea islands lie: they go in the inset


def albers(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Project lon/lat degrees to Albers equal-area conic km (Snyder 1987, eqs. 14-1 to 14-4).

    .. math:: n = (\\sin\\phi_1 + \\sin\\phi_2)/2,\\; C = \\cos^2\\phi_1 + 2n\\sin\\phi_1,\\;
              \\rho = R\\sqrt{C - 2n\\sin\\phi}/n,\\; \\theta = n(\\lambda-\\lambda_0),\\;
              x = \\rho\\sin\\theta,\\; y = \\rho_0 - \\rho\\cos\\theta
    """
    lam, phi = np.radians(np.asarray(lon, float)), np.radians(np.asarray(lat, float))
    rho = _R * np.sqrt(_C - 2 * _N * np.sin(phi)) / _N
    theta = _N * (lam - _LAMBDA0)
    return rho * np.sin(theta), _RHO0 - rho * np.cos(theta)


def _polygon_path(geometry: Mapping[str, Any]) -> MplPath:
    geom = shape(geometry)
    polygons = list(getattr(geom, "geoms", [geom]))
    vertices: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for poly in polygons:
        for ring in [poly.exterior, *poly.interiors]:
            xy = np.asarray(ring.coords)
            x, y = albers(xy[:, 0], xy[:, 1])
            vertices.append(np.column_stack([x, y]))
            c = np.full(len(xy), MplPath.LINETO, dtype=np.uint8)
            c[0], c[-1] = MplPath.MOVETO, MplPath.CLOSEPOLY
            codes.append(c)
    return MplPath(np.concatenate(vertices), np.concatenate(codes))


def _draw(ax: Axes, paths: Mapping[int, MplPath], colours: Mapping[int, Any], edge: float) -> None:
    for key, path in paths.items():
        ax.add_patch(PathPatch(path, facecolor=colours[key], edgecolor="white", linewidth=edge))
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])


def choropleth(
    features: Mapping[int, Mapping[str, Any]],
    values: pd.Series,
    *,
    title: str = "",
    unit: str = "",
    labels: Mapping[int, str] | None = None,
    cmap: str = "YlOrRd",
    missing_colour: str = "#d9d9d9",
    source_note: str = "",
    figsize: tuple[float, float] = (10.0, 8.0),
) -> Figure:
    """A choropleth of ``values`` (indexed by region adcode) over the province ``features``.

    Regions without a value are grey and marked "no data" in the legend. ``labels`` (adcode → text)
    are written at each province's representative point; Chinese text renders with a CJK font.
    """
    use_cjk_font()
    fig = Figure(figsize=figsize, dpi=150)
    ax = fig.add_axes((0.02, 0.08, 0.84, 0.84))
    paths = {int(k): _polygon_path(f["geometry"]) for k, f in features.items()}
    finite = values.dropna()
    norm = Normalize(float(finite.min()), float(finite.max())) if len(finite) else Normalize(0, 1)
    colormap = colormaps[cmap]
    colours = {k: (colormap(norm(values[k])) if k in finite.index else missing_colour) for k in paths}
    _draw(ax, paths, colours, edge=0.6)
    west = albers(np.array([73.0]), np.array([40.0]))[0][0]
    east = albers(np.array([135.5]), np.array([48.0]))[0][0]
    bottom = albers(np.array([110.0]), np.array([MAIN_MIN_LAT]))[1][0]
    top = albers(np.array([105.0]), np.array([54.5]))[1][0]
    ax.set_xlim(float(west) - 100, float(east) + 700)  # room in the south-east for the inset
    ax.set_ylim(float(bottom) - 50, float(top))
    for spine in ax.spines.values():
        spine.set_visible(False)
    if labels:
        for key, text in labels.items():
            if key not in features:
                continue
            point = shape(features[key]["geometry"]).representative_point()
            px, py = albers(np.array([point.x]), np.array([min(point.y, 45.0) if key == 150000 else point.y]))
            ax.annotate(
                str(text),
                (float(px[0]), float(py[0])),
                ha="center",
                va="center",
                fontsize=6.5,
                color="#222222",
            )
    inset = fig.add_axes((0.71, 0.09, 0.12, 0.22))
    _draw(inset, paths, colours, edge=0.3)
    ix, iy = albers(np.array([106.0, 123.5]), np.array([2.5, 24.5]))
    inset.set_xlim(float(ix.min()), float(ix.max()))
    inset.set_ylim(float(iy.min()), float(iy.max()))
    inset.set_title("南海诸岛 South China Sea Islands", fontsize=5.5)
    cax = fig.add_axes((0.88, 0.25, 0.02, 0.5))
    bar = fig.colorbar(ScalarMappable(norm=norm, cmap=colormap), cax=cax)
    bar.set_label(unit, fontsize=8)
    if values.isna().any() or len(set(paths) - set(finite.index)):
        cax.text(0.5, -0.08, "grey: no data", transform=cax.transAxes, ha="center", fontsize=6.5)
    if title:
        fig.suptitle(title, fontsize=12, y=0.97)
    if source_note:
        fig.text(0.02, 0.02, source_note, fontsize=6, color="#555555")
    return fig


def save_figure(fig: Figure, path: str | Path) -> Path:
    """Save ``fig`` (PNG/SVG/PDF by suffix) and return the path."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(target, bbox_inches="tight")
    return target

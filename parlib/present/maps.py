"""Province maps of Vietnam with matplotlib only (no geopandas/shapely/cartopy).

Boundaries are the bundled ``data/geo/vn63.json`` (63 provinces before 1 July 2025, keyed by the
2-digit GSO code) and ``data/geo/vn34.json`` (34 units from 1 July 2025, keyed ``"N"`` + draft new
code, e.g. ``"N33"``), built by ``tools/build_geo.py`` from Open Development Vietnam data
(CC BY-SA 4.0). Every map shows the Hoàng Sa (Paracel) and Trường Sa (Spratly) archipelagos,
labelled, and a credit line.

This is a pure rendering module: it draws the boundaries it is given and reads no file.
Figures are created with :class:`matplotlib.figure.Figure` (not pyplot), so no global figure
state is kept; in a notebook, return or ``display()`` the figure.

"""

from __future__ import annotations

import math
from collections.abc import Mapping

import matplotlib as mpl
import numpy as np
from matplotlib import colormaps
from matplotlib.collections import PatchCollection
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path

from parlib.present.catalogue import Section

__all__ = ["province_map"]


# Map extent (degrees): mainland plus both archipelagos.
EXTENT = (102.0, 117.5, 6.5, 23.5)  # lon_min, lon_max, lat_min, lat_max
_MID_LAT = (EXTENT[2] + EXTENT[3]) / 2.0
_ASPECT = 1.0 / math.cos(math.radians(_MID_LAT))

# Unit holding each archipelago, per unit set.
_ARCHIPELAGO_UNITS = {
    "VN63": {"hoang_sa": "48", "truong_sa": "56"},
    "VN34": {"hoang_sa": "N48", "truong_sa": "N56"},
}
# Label anchor (lon, lat), placed in open sea above each archipelago.
_ARCHIPELAGO_LABEL_AT = {"hoang_sa": (112.0, 17.35), "truong_sa": (114.3, 11.75)}

_TEXT = Section("map")  #: the map's words: the catalogues' map.* texts

_BASE_FACE = "#e3e3e3"
_EDGE = "#5f5f5f"
_EDGE_WIDTH = 0.3
_MISSING_FACE = "#f2f2f2"
_MISSING_HATCH = "////"
_MISSING_EDGE = "#9a9a9a"
_HIGHLIGHT_EDGE = "#d7191c"
_HIGHLIGHT_FACE = "#fdae61"  # only when no values are drawn
_HIGHLIGHT_WIDTH = 1.6


_PATHS: dict[int, tuple[dict, dict[str, Path]]] = {}


def _unit_paths(doc: dict) -> dict[str, Path]:
    """One compound :class:`Path` per unit (all rings; holes fill by the non-zero rule), cached
    per boundary document."""
    hit = _PATHS.get(id(doc))
    if hit is not None and hit[0] is doc:
        return hit[1]
    out = {}
    for code, unit in doc["units"].items():
        verts, codes = [], []
        for ring in unit["rings"]:
            arr = np.asarray(ring, dtype=float)
            if arr.shape[0] < 3:
                continue
            c = np.full(arr.shape[0], Path.LINETO, dtype=Path.code_type)
            c[0] = Path.MOVETO
            c[-1] = Path.CLOSEPOLY
            verts.append(arr)
            codes.append(c)
        out[code] = Path(np.concatenate(verts), np.concatenate(codes), readonly=True)
    _PATHS[id(doc)] = (doc, out)
    return out


def _norm_code(code, unit_set: str, units: Mapping) -> str:
    key = str(code).strip()
    if unit_set == "VN63" and key.isdigit():
        key = key.zfill(2)
    if key not in units:
        raise KeyError(f"{code!r} is not a unit code of {unit_set}")
    return key


def _clean_values(values, unit_set: str, units: Mapping) -> dict[str, float]:
    items = values.items() if hasattr(values, "items") else values
    out: dict[str, float] = {}
    unknown = []
    for code, value in items:
        try:
            key = _norm_code(code, unit_set, units)
        except KeyError:
            unknown.append(code)
            continue
        if value is None:
            continue
        try:
            v = float(value)
        except (TypeError, ValueError):
            continue  # pd.NA and the like: no data
        if math.isfinite(v):
            out[key] = v
    if unknown:
        shown = ", ".join(repr(u) for u in unknown[:8])
        raise ValueError(f"values has codes that are not {unit_set} units: {shown}")
    return out


def _fixed_figure(title: str | None) -> tuple[Figure, object]:
    """A figure exactly as tall as the map's extent needs at 5.6 in wide, with room for the title
    and the credit line: no layout engine runs when it is drawn (constrained layout and a
    tight-bbox save cost a third of the map's time and left or cropped white bands)."""
    width, pad = 5.6, 0.05
    title_h = 0.0
    if title is not None:
        size = FontProperties(size=mpl.rcParams["axes.titlesize"]).get_size_in_points()
        title_h = (1.3 * size * (title.count("\n") + 1) + mpl.rcParams["axes.titlepad"]) / 72
    credit_h = 0.2
    map_w = width - 2 * pad
    map_h = map_w * _ASPECT * (EXTENT[3] - EXTENT[2]) / (EXTENT[1] - EXTENT[0])
    height = pad + title_h + map_h + credit_h
    fig = Figure(figsize=(width, height))
    ax = fig.add_axes((pad / width, credit_h / height, map_w / width, map_h / height))
    return fig, ax


def province_map(
    highlight: str | None = None,
    values: Mapping[str, float] | None = None,
    *,
    boundaries: dict,
    lang: str = "en",
    title: str | None = None,
    ax=None,
    cmap="viridis",
    missing_label: str | None = None,
    vmin: float | None = None,
    vmax: float | None = None,
    colorbar_label: str | None = None,
) -> Figure:
    """Map of all provinces of ``boundaries`` (:func:`parlib.data.geo.load_boundaries` of
    "VN63" or "VN34"), optionally a choropleth.

    - ``highlight``: a unit code ("33" for VN63, "N33" for VN34), outlined in a strong colour
      (and filled when no ``values`` are given).
    - ``values``: ``{code: number}`` (a dict or a pandas Series). Units without a finite value are
      drawn light grey and hatched, with a legend entry "No data" / "Không có dữ liệu" (or
      ``missing_label``); they are never coloured as 0. A colourbar is added.
    - ``lang``: "en" or "vi" for the archipelago labels, legend and credit line.
    - ``ax``: draw into an existing Axes (its figure is returned); otherwise a new Figure.

    Raises ``KeyError`` for an unknown ``highlight`` and ``ValueError`` for ``values`` keys that
    are not units of ``unit_set``.
    """
    unit_set = boundaries["unit_set"]
    if lang not in _TEXT:
        raise ValueError(f"lang must be one of {sorted(_TEXT)}, not {lang!r}")
    text = _TEXT[lang]
    doc = boundaries
    units = doc["units"]
    paths = _unit_paths(doc)
    hl = _norm_code(highlight, unit_set, units) if highlight is not None else None

    own_figure = ax is None
    if own_figure and values is not None:  # the colourbar's place is left to constrained layout
        fig = Figure(figsize=(6.4, 7.6), layout="constrained")
        ax = fig.add_subplot()
    elif own_figure:
        fig, ax = _fixed_figure(title)
    else:
        fig = ax.figure

    codes = list(units)
    if values is not None:
        vals = _clean_values(values, unit_set, units)
        have = [c for c in codes if c in vals]
        missing = [c for c in codes if c not in vals]
    else:
        vals, have, missing = {}, codes, []

    mappable = None
    if have:
        coll = PatchCollection(
            [PathPatch(paths[c]) for c in have],
            edgecolor=_EDGE,
            linewidth=_EDGE_WIDTH,
            zorder=1,
        )
        if values is not None:
            data = np.array([vals[c] for c in have])
            lo = float(np.min(data)) if vmin is None else vmin
            hi = float(np.max(data)) if vmax is None else vmax
            coll.set_cmap(colormaps[cmap] if isinstance(cmap, str) else cmap)
            coll.set_norm(Normalize(vmin=lo, vmax=hi))
            coll.set_array(data)
            mappable = coll
        else:
            coll.set_facecolor(_BASE_FACE)
        coll.set_gid("units")
        ax.add_collection(coll)
    if missing:
        miss = PatchCollection(
            [PathPatch(paths[c]) for c in missing],
            facecolor=_MISSING_FACE,
            edgecolor=_MISSING_EDGE,
            hatch=_MISSING_HATCH,
            linewidth=_EDGE_WIDTH,
            zorder=1,
        )
        miss.set_gid("missing")
        ax.add_collection(miss)
    if hl is not None:
        patch = PathPatch(
            paths[hl],
            facecolor="none" if values is not None else _HIGHLIGHT_FACE,
            edgecolor=_HIGHLIGHT_EDGE,
            linewidth=_HIGHLIGHT_WIDTH,
            joinstyle="round",
            zorder=3,
            label=units[hl]["name"],
        )
        patch.set_gid(f"highlight-{hl}")
        ax.add_patch(patch)

    for key, (x, y) in _ARCHIPELAGO_LABEL_AT.items():
        ax.text(
            x,
            y,
            text[key],
            ha="center",
            va="bottom",
            fontsize=7,
            fontstyle="italic",
            color="#2b2b2b",
            linespacing=1.1,
            zorder=4,
            gid=f"label-{key}",
        )

    ax.set_xlim(EXTENT[0], EXTENT[1])
    ax.set_ylim(EXTENT[2], EXTENT[3])
    ax.set_aspect(_ASPECT)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(False)
    if title is not None:
        ax.set_title(title)

    if missing:
        handle = Patch(
            facecolor=_MISSING_FACE,
            edgecolor=_MISSING_EDGE,
            hatch=_MISSING_HATCH,
            label=missing_label if missing_label is not None else text["no_data"],
        )
        ax.legend(handles=[handle], loc="upper right", fontsize=8, frameon=False)  # open sea/land outside VN
    if mappable is not None:
        cb = fig.colorbar(mappable, ax=ax, shrink=0.55, pad=0.01, aspect=30)
        if colorbar_label:
            cb.set_label(colorbar_label)

    credit = text["credit"].format(attribution=doc["attribution"], licence=doc["licence"])
    if own_figure:
        fig.text(0.01, 0.005, credit, ha="left", va="bottom", fontsize=6, color="#555555")
    else:
        ax.text(0.0, 0.0, credit, transform=ax.transAxes, ha="left", va="bottom", fontsize=6, color="#555555")
    return fig

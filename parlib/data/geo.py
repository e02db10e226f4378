"""Province boundaries: the bundled ``data/geo/vn63.json`` and ``vn34.json``.

Built by ``tools/build_geo.py`` from Open Development Vietnam data (CC BY-SA 4.0); drawn by
:mod:`parlib.present.maps`.

>>> b = load_boundaries("VN63")
>>> len(b["units"]), b["units"]["33"]["name"]
(63, 'Hưng Yên')
"""

from __future__ import annotations

import json
from functools import lru_cache

from parlib.config import bundled_data_dir

_FILES = {"VN63": "vn63.json", "VN34": "vn34.json"}


def _norm_unit_set(unit_set: str) -> str:
    key = str(unit_set).strip().upper()
    if not key.startswith("VN"):
        key = "VN" + key
    if key not in _FILES:
        raise ValueError(f"unknown unit_set {unit_set!r}; expected one of {sorted(_FILES)}")
    return key


@lru_cache(maxsize=None)
def _load(unit_set: str) -> dict:
    path = bundled_data_dir() / "geo" / _FILES[unit_set]
    with path.open(encoding="utf-8") as fh:
        doc = json.load(fh)
    if doc.get("unit_set") != unit_set:
        raise ValueError(f"{path} holds unit_set {doc.get('unit_set')!r}, not {unit_set!r}")
    return doc


def load_boundaries(unit_set: str = "VN63") -> dict:
    """The bundled boundaries of ``unit_set`` ("VN63" or "VN34"), cached.

    Returns the JSON document: ``unit_set``, ``source``, ``licence``, ``attribution`` and
    ``units`` = ``{code: {"name": str, "rings": [[[lon, lat], ...], ...]}}``.
    The result is shared between calls: do not modify it.
    """
    return _load(_norm_unit_set(unit_set))

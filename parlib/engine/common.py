"""Small helpers shared by the engine's rooms: missing-aware conversions and constants."""

from __future__ import annotations

import math

import pandas as pd


def _f(x) -> float | None:
    """A float, or None for a missing value."""
    if x is None or x is pd.NA:
        return None
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def _s(x) -> str:
    """A string field, "" for a missing value (None, NaN, NA)."""
    return "" if x is None or x is pd.NA or (isinstance(x, float) and math.isnan(x)) else str(x)


def _i(x) -> int | None:
    v = _f(x)
    return None if v is None else int(round(v))


def _row(frame: pd.DataFrame, key: tuple) -> pd.Series | None:
    try:
        r = frame.loc[key]
    except KeyError:
        return None
    return r if isinstance(r, pd.Series) else r.iloc[0]

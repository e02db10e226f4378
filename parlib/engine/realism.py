"""Whether a target can be reached in one year (issue 17, kind 8): the points it needs against what
provinces actually gained in one year.

The bound is read from the data, never typed: for each measure, the ``GAIN_QUANTILE`` quantile of
every one-year change of that measure on its current scale (all provinces, every pair of consecutive
years after the measure's latest methodology or scale break, up to the report's year). A target or a lever that needs
more is marked not realistic in one year, with the bound and what it was read from.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from parlib.engine import deltas as dl
from parlib.engine.results import GainBound

#: The share of observed one-year changes a realistic one-year gain must not exceed: 0.9 = a gain
#: that only one province-year in ten achieved or beat is not called realistic.
GAIN_QUANTILE = 0.9
#: Fewer comparable one-year changes than this give no bound (realism is then not judged).
MIN_CHANGES = 20


def one_year_changes(scores: pd.DataFrame, index_code: str) -> pd.DataFrame:
    """Every one-year change of an index's measures in ``scores`` (key-indexed or not) since the
    measure's latest break (a change across a methodology or scale break, PAPI's total 60 → 80 points
    in 2018, starts the series again): columns ``measure``, ``year``, ``delta_pp``."""
    s = scores.reset_index() if "index_code" not in scores.columns else scores
    s = s[s.index_code == index_code]
    if "level" in s.columns:
        s = s[s.level.isin(["total", "component"])]  # what targets and levers are read on
    if s.empty:
        return pd.DataFrame(columns=["measure", "year", "delta_pp"])
    d = dl.compute_deltas(s[dl.KEY + ["value"]], min_coverage=0)
    d = d.assign(measure=d.measure.astype(str))
    # a change that is not comparable puts a break somewhere after its base year: the series on the
    # current scale starts at the latest such base year + 1
    broken = d[d.base_year.notna() & ~d.comparable.astype(bool)]
    since = d.measure.map(broken.base_year.astype(float).groupby(broken.measure).max() + 1).fillna(-1)
    d = d[d.comparable.astype(bool) & (d.gap_years == 1) & d.delta_pp.notna() & (d.year > since)]
    return d[["measure", "year", "delta_pp"]]


def gain_bounds(changes: pd.DataFrame) -> dict[str, GainBound]:
    """Per measure, the ``GAIN_QUANTILE`` quantile of its one-year changes and what it was read from."""
    out = {}
    for measure, g in changes.groupby("measure", sort=False):
        if len(g) < MIN_CHANGES:
            continue
        out[measure] = GainBound(
            measure=measure,
            quantile=GAIN_QUANTILE,
            value=float(np.quantile(g.delta_pp.astype(float), GAIN_QUANTILE)),
            n=len(g),
            first_year=int(g.year.min()) - 1,
            last_year=int(g.year.max()),
        )
    return out


def realistic(need: float, bound: GainBound | None) -> bool | None:
    """True when ``need`` points in one year are within the bound (nothing needed is realistic),
    None without a bound."""
    if need <= 0:
        return True
    return None if bound is None else bool(need <= bound.value)

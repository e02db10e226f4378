"""Published intervals read as published: their level, the margins quoted with them, pairwise tests
and plausible rank ranges (issue 17, kind 3).

The level of an index-year's intervals is read from its rows, not typed: the half-width of every
published interval divided by its standard error is the normal quantile ``z`` (PAPI: 1.645, so the
intervals are 90 % two-sided; ``shared/data-raw/gap-fill/PROVENANCE.md`` §4). Every test the engine
states uses that ``z``: a province against the national average (its own standard error), a change
between two years and a province against another province (the standard error of the difference,
``sqrt(se1² + se2²)``: two surveys' samples are independent).
"""

from __future__ import annotations

import math

import pandas as pd

from parlib.engine.common import _f

#: Largest spread of half-width / SE within one index-year accepted as one level (bounds are
#: printed rounded; a wider spread means intervals of different levels were mixed).
Z_TOLERANCE = 0.01


def interval_z(scores: pd.DataFrame, index_code: str, year: int) -> float | None:
    """The normal quantile of an index-year's published intervals, (ci_high − ci_low) / (2·se) over
    every row with se > 0 and both bounds; None without such rows. Raises when the rows disagree.

    >>> df = pd.DataFrame({"index_code": "PAPI", "year": 2022, "ci_low": [9.0, 19.0],
    ...                    "ci_high": [11.0, 21.0], "se": [1 / 1.645, 1 / 1.645]})
    >>> round(interval_z(df, "PAPI", 2022), 3)
    1.645
    """
    s = scores.reset_index() if "index_code" not in scores.columns else scores
    s = s[(s.index_code == index_code) & (s.year == year)]
    se = pd.to_numeric(s.se, errors="coerce")
    ok = (se > 0) & s.ci_low.notna() & s.ci_high.notna()
    if not ok.any():
        return None
    ratio = (s.ci_high[ok].astype(float) - s.ci_low[ok].astype(float)) / (2 * se[ok])
    if ratio.max() - ratio.min() > Z_TOLERANCE:
        raise ValueError(
            f"{index_code} {year}: the published intervals are not of one level: half-width / SE runs from "
            f"{ratio.min():.3f} to {ratio.max():.3f} over {int(ok.sum())} rows (expected one value within "
            f"{Z_TOLERANCE}); check the ci_low, ci_high and se columns of that year."
        )
    return float(ratio.median())


def level_of(z: float | None) -> int | None:
    """The two-sided coverage of ``±z`` standard errors, in whole percent: 1.645 → 90, 1.96 → 95."""
    return None if z is None else int(round(100 * math.erf(z / math.sqrt(2))))


def half_width(ci_low: float | None, ci_high: float | None) -> float | None:
    """The margin of error printed with a score: half the width of its published interval."""
    return None if ci_low is None or ci_high is None else (ci_high - ci_low) / 2


def diff_margin(z: float | None, se: float | None, other_se: float | None) -> float | None:
    """The margin of error of the difference between two provinces' scores: z·sqrt(se1² + se2²)."""
    if z is None or se is None or other_se is None:
        return None
    return z * math.hypot(se, other_se)


def rank_range(value: float, se: float, others: pd.DataFrame, n_ranked: int, z: float) -> tuple[tuple[int, int], int]:
    """The plausible rank among the ``n_ranked`` provinces of the field, and how many ranked
    provinces had no standard error.

    ``others``: the other ranked provinces held (columns ``value``, ``se``). Another province is
    surely ahead when its score exceeds this one by more than the margin of the difference, surely
    behind when it falls short by more; every other ranked province — without an interval, or not
    in parlib's data — can be neither, so it widens the range: best = 1 + surely ahead,
    worst = ``n_ranked`` − surely behind.
    """
    ahead = behind = untested = 0
    for v, s in zip(others.value.astype(float), others.se):
        m = diff_margin(z, se, _f(s))
        if m is None:
            untested += 1
        elif v - value > m:
            ahead += 1
        elif value - v > m:
            behind += 1
    return (1 + ahead, n_ranked - behind), untested + max(0, n_ranked - 1 - len(others))

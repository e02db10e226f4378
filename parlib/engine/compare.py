"""Provinces side by side (issue 20, ``parlib compare``): each province's Profile from one year model,
and the pairwise differences of every index with published intervals (PAPI) against the margin of
error of the difference (:func:`parlib.engine.uncertainty.diff_margin`, at the level read from the data).

Components are compared only where the data hold their standard errors; parlib's PAPI data hold them
for the totals only, so each dimension's difference is listed with ``exceeds=None`` (not tested).
"""

from __future__ import annotations

from itertools import combinations

from parlib.engine import uncertainty as unc
from parlib.engine.common import _f
from parlib.engine.profile import assess
from parlib.engine.results import Comparison, PairDifference


def compare(codes: list[str], year: int, *, model, base_year: int | None = None, indices=None) -> Comparison:
    """The Comparison of provinces ``codes`` (registry codes, in the order given) in ``year``."""
    profiles = [assess(c, year, base_year=base_year, indices=indices, model=model) for c in codes]
    pairs: list[PairDifference] = []
    for pa, pb in combinations(profiles, 2):
        for ra in pa.indices:
            rb = pb.index(ra.index_code)
            if rb is None or ra.ci_z is None:
                continue
            if ra.value is not None and rb.value is not None:
                m = unc.diff_margin(ra.ci_z, ra.se, rb.se)
                pairs.append(_pair(ra.index_code, "TOTAL", "", "", pa, pb, ra.value, rb.value, m, ra.ci_level))
            comps = model.components_of(ra.index_code)
            for ca in ra.components:
                cb = next((c for c in rb.components if c.measure == ca.measure), None)
                if cb is None or ca.value is None or cb.value is None:
                    continue
                se_a = _se(comps, pa.province.code, ca.measure)
                se_b = _se(comps, pb.province.code, ca.measure)
                m = unc.diff_margin(ra.ci_z, se_a, se_b)
                pairs.append(
                    _pair(ra.index_code, ca.measure, ca.name_en, ca.name_vi, pa, pb, ca.value, cb.value, m, ra.ci_level)
                )
    return Comparison(year, profiles, pairs, profiles[0].index_names if profiles else {})


def _se(comps: dict, code: str, measure: str) -> float | None:
    g = comps.get(code)
    if g is None or measure not in g.index or "se" not in g.columns:
        return None
    return _f(g.at[measure, "se"])


def _pair(idx, measure, name_en, name_vi, pa, pb, va, vb, margin, level) -> PairDifference:
    diff = float(va) - float(vb)
    return PairDifference(
        idx,
        measure,
        name_en,
        name_vi,
        pa.province.code,
        pb.province.code,
        float(va),
        float(vb),
        diff,
        margin,
        level if margin is not None else None,
        None if margin is None else abs(diff) > margin,
    )

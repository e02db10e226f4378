"""Strengths, weaknesses, priorities and what-if: which components to work on first, and why."""

from __future__ import annotations

import numpy as np

from parlib.data.indices import index_facts
from parlib.data.registry import Province
from parlib.engine.model import YearModel
from parlib.engine.results import (
    Component,
    IndexResult,
    PublishedChange,
    Remedy,
    WhatIf,
)

QUARTER = 0.25
#: A published component fall counts as a weakness from this size on: percentage points of the
#: component's achievement rate, or places of its rank.
FALL_PP = 5.0
FALL_PLACES = 10
SW_LIMIT = 3


def _level_item(r: IndexResult, c: Component) -> dict:
    return {
        "index_code": r.index_code,
        "measure": c.measure,
        "name_en": c.name_en,
        "name_vi": c.name_vi,
        "basis": "level",
        "value": c.value,
        "gap_national": c.gap_national,
        "rank": c.rank,
        "n_ranked": c.n_ranked,
        "delta": c.delta,
        "base_year": r.base_year,
        # no component standard errors are in the data (papi.csv has se/ci for TOTAL only):
        # whether the gap exceeds the margin of error cannot be judged, so it is None, never False
        "se_available": False,
        "gap_outside_moe": None,
        "unit": "",
        "rank_change": c.rank_change,
        "source_id": "",
    }


def _change_item(r: IndexResult, pc: PublishedChange) -> dict:
    return {
        "index_code": r.index_code,
        "measure": pc.measure,
        "name_en": pc.name_en,
        "name_vi": pc.name_vi,
        "basis": "published_change",
        "value": None,
        "gap_national": None,
        "rank": None,
        "n_ranked": None,
        "delta": pc.delta,
        "base_year": pc.base_year,
        "se_available": False,
        "gap_outside_moe": None,
        "unit": pc.unit,
        "rank_change": pc.rank_change,
        "source_id": pc.source_id,
    }


def _published_falls(results: list[IndexResult]) -> list[tuple[IndexResult, PublishedChange]]:
    """Published component changes that are falls (score or rank), largest first."""
    falls = [
        (r, pc)
        for r in results
        for pc in r.published_changes
        if pc.measure != "TOTAL"
        and ((pc.delta is not None and pc.delta < 0) or (pc.rank_change is not None and pc.rank_change < 0))
    ]
    return sorted(falls, key=lambda x: (x[1].unit != "percentage points", x[1].delta or 0.0, x[1].rank_change or 0))


def _large_fall(pc: PublishedChange) -> bool:
    """A published fall of at least FALL_PP percentage points of the component's achievement rate,
    or FALL_PLACES places. A fall in "points" of a component whose maximum is not in the data
    cannot be sized and is not a weakness by itself (it stays a priority of tier 2)."""
    pp = pc.unit == "percentage points" and pc.delta is not None and pc.delta <= -FALL_PP
    return pp or (pc.rank_change is not None and pc.rank_change <= -FALL_PLACES)


def _quarter(rank: int, n: int) -> str:
    """ "top" (rank ≤ n/4), "bottom" (rank > 3n/4) or "" (the middle half)."""
    if rank <= QUARTER * n:
        return "top"
    if rank > (1 - QUARTER) * n:
        return "bottom"
    return ""


def _strengths_weaknesses(results: list[IndexResult]) -> tuple[list[dict], list[dict]]:
    """Strengths and weaknesses by rank, then gap, then published change.

    The rule:

    * **Strength** (basis "level"): a component in the top quarter of the provinces ranked on it
      (rank ≤ n/4) *and* above the national average. Ordered by relative rank (rank/n), best
      first; at most three.
    * **Weakness** (basis "level"): a component in the bottom quarter (rank > 3n/4) *and* below the
      national average, worst relative rank first; at most three. A component in the middle half is
      neither, however large its raw gap: 34th of 63 is average, not a weakness.
    * **Weakness** (basis "published_change"): a component whose *change* was published without a
      level in the data (PAR INDEX areas of Hưng Yên 2022) and that fell by at least ``FALL_PP``
      percentage points of its achievement rate or ``FALL_PLACES`` places; largest fall first; at
      most three. It is labelled as a change, never as a level or a gap.

    Significance: a gap could also count as a weakness when it lies below the average beyond the
    margin of error, but the data hold standard errors (``se``, ``ci_low``, ``ci_high`` in
    ``data/scores/papi.csv``) for PAPI *totals* only (2019, 2022, 2023), never for dimensions or
    sub-dimensions. So no component gap is tested: each item carries ``se_available=False`` and
    ``gap_outside_moe=None`` ("cannot be judged"), and the rule rests on rank, which does not
    depend on the size of a gap the survey cannot resolve. Components without a rank are not
    classified. Quarters are by rank, not by the PAPI quartile groups of scores (which put a
    province exactly on a cut point in the lower group); they differ by at most one province.
    """
    levels = [
        _level_item(r, c)
        for r in results
        for c in r.components
        if c.gap_national is not None and c.rank is not None and c.n_ranked
    ]
    strengths = sorted(
        (x for x in levels if _quarter(x["rank"], x["n_ranked"]) == "top" and x["gap_national"] > 0),
        key=lambda x: (x["rank"] / x["n_ranked"], -x["gap_national"]),
    )[:SW_LIMIT]
    weak = sorted(
        (x for x in levels if _quarter(x["rank"], x["n_ranked"]) == "bottom" and x["gap_national"] < 0),
        key=lambda x: (-x["rank"] / x["n_ranked"], x["gap_national"]),
    )[:SW_LIMIT]
    changes = [_change_item(r, pc) for r, pc in _published_falls(results) if _large_fall(pc)][:SW_LIMIT]
    return strengths, weak + changes


def _rank_among(total: float, others: np.ndarray) -> int:
    """Competition rank of a total among the other provinces' totals (higher is better)."""
    return 1 + int((others > total + 1e-12).sum())


def _remedies(
    ctx: YearModel, p: Province, results: list[IndexResult], strengths: list[dict] = ()
) -> tuple[list[Remedy], list[WhatIf]]:
    """Priorities (and what-if scenarios): components that lost points or lie below the national
    average, and published falls. A component listed as a strength is never also a priority."""
    strong = {(s["index_code"], s["measure"]) for s in strengths}
    remedies, whatifs = [], []
    for r in results:
        comps = [c for c in r.components if c.value is not None]
        if not comps:
            continue
        totals = ctx.totals(r.index_code)
        others = totals.drop(index=p.code, errors="ignore").value.dropna().to_numpy()
        full_field = r.n_ranked is not None and len(others) + 1 >= r.n_ranked
        additive = (
            index_facts(r.index_code).additive
            and r.value is not None
            and abs(sum(c.value for c in comps) - r.value) < 0.01 * max(1.0, r.value)
        )
        for c in comps:
            gains = []
            if additive:
                targets = {
                    "national_avg": c.national_avg,
                    "previous": c.base_value,
                    "best": c.best_value,
                    "max": c.scale_max,
                }
                for scenario, target in targets.items():
                    if target is None or target <= c.value:
                        continue
                    new_total = r.value - c.value + target
                    rank_to = _rank_among(new_total, others) if full_field else None
                    whatifs.append(
                        WhatIf(
                            index_code=r.index_code,
                            measure=c.measure,
                            name_en=c.name_en,
                            name_vi=c.name_vi,
                            scenario=scenario,
                            component_from=c.value,
                            component_to=target,
                            total_from=r.value,
                            total_to=new_total,
                            rank_from=r.rank if full_field else None,
                            rank_to=rank_to,
                            n_ranked=r.n_ranked if full_field else None,
                        )
                    )
                    if rank_to is not None and r.rank is not None and scenario != "max":
                        gains.append(r.rank - rank_to)
            lost = (c.base_value - c.value) if c.base_value is not None and c.base_value > c.value else None
            below = -c.gap_national if c.gap_national is not None and c.gap_national < 0 else None
            to_max = (c.scale_max - c.value) if c.scale_max is not None else None
            if (lost is None and below is None) or (r.index_code, c.measure) in strong:
                continue
            weak = c.rank is not None and c.n_ranked and below is not None and _quarter(c.rank, c.n_ranked) == "bottom"
            remedies.append(
                Remedy(
                    index_code=r.index_code,
                    measure=c.measure,
                    name_en=c.name_en,
                    name_vi=c.name_vi,
                    value=c.value,
                    points_lost=lost,
                    gap_below_avg=below,
                    distance_to_max=to_max,
                    best_rank_gain=max(gains) if gains else None,
                    basis="level",
                    tier=1 if weak else 2,
                    rank=c.rank,
                    n_ranked=c.n_ranked,
                    base_year=r.base_year,
                    source_id=c.source_id,
                    rank_source_id=c.rank_source_id if c.rank_source_id != c.source_id else "",
                    severity=100 * below / c.scale_max if weak and c.scale_max else None,
                )
            )
    for r, pc in _published_falls(results):
        if (r.index_code, pc.measure) in strong:
            continue
        big = _large_fall(pc)
        remedies.append(
            Remedy(
                index_code=r.index_code,
                measure=pc.measure,
                name_en=pc.name_en,
                name_vi=pc.name_vi,
                value=None,
                points_lost=None,
                gap_below_avg=None,
                distance_to_max=None,
                best_rank_gain=None,
                basis="published_change",
                tier=1 if big else 2,
                base_year=pc.base_year,
                published_delta=pc.delta,
                published_rank_change=pc.rank_change,
                published_unit=pc.unit,
                source_id=pc.source_id,
                severity=-pc.delta
                if pc.unit == "percentage points" and pc.delta is not None and pc.delta < 0
                else None,
            )
        )
    remedies.sort(key=_priority_key)
    for i, m in enumerate(remedies, 1):
        m.priority = i
    return remedies, whatifs


def _priority_key(m: Remedy) -> tuple:
    """Priority order.

    Tier 1 (weaknesses by :func:`_strengths_weaknesses`: bottom-quarter components below the
    national average, and published falls of at least ``FALL_PP`` points or ``FALL_PLACES``
    places) comes before tier 2 (anything else that lost points or lies below the average).

    Within tier 1, items are ordered on one scale, the shortfall in percent of the component's
    maximum (``severity``): a level's gap below the national average over its maximum, or a
    published fall in percentage points of the achievement rate (already a share of the
    maximum). Items that cannot be put on that scale (maximum unknown, a fall in places only)
    follow, by places lost, then by the what-if rank gain. Within tier 2 the level-based order is
    kept (what-if rank gain, gap below the average, points lost), and smaller published falls come
    after the levels, largest first: with no level, their effect on the total cannot be stated.
    """
    if m.tier == 1:
        return (
            1,
            m.severity is None,
            -(m.severity or 0.0),
            m.published_rank_change or 0,
            -(m.best_rank_gain or 0),
            -(m.gap_below_avg or 0.0),
        )
    return (
        2,
        m.basis != "level",
        -(m.best_rank_gain or 0),
        -(m.gap_below_avg or 0.0),
        -(m.points_lost or 0.0),
        m.published_delta or 0.0,
        m.published_rank_change or 0,
    )


# --- caveats ----------------------------------------------------------------------------------

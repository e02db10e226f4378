"""Beyond the Ministry's analysis: themes across the indices, drill-down, realistic targets and
the improvement plan, each a slice of the year model for one province (issue 13)."""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from parlib.data.indices import (
    display_name,
    index_facts,
    measure_name,
    measures,
    themes,
)
from parlib.data.registry import Province
from parlib.engine import uncertainty as unc
from parlib.engine.common import _f, _i
from parlib.engine.deltas import PAR_BANDS_FROM
from parlib.engine.model import YearModel
from parlib.engine.realism import gain_bounds, one_year_changes, realistic
from parlib.engine.results import (
    DrillDown,
    DrillItem,
    GainBound,
    IndexResult,
    Lever,
    PlanItem,
    Remedy,
    Target,
    ThemeItem,
    ThemeView,
)
from parlib.engine.standing import _regions


def _plan(remedies: list[Remedy], results: list[IndexResult], year: int) -> list[PlanItem]:
    """The improvement plan: each priority with a target a provincial office can adopt — the
    national average for a component below it, the previous value for one that lost points, the
    lost percentage points back for a published fall — and the next release that will show it."""
    comps = {(r.index_code, c.measure): c for r in results for c in r.components}
    out = []
    for m in remedies:
        c = comps.get((m.index_code, m.measure))
        if m.basis == "published_change":
            kind, target = "regain_published", None
        elif c is not None and c.national_avg is not None and c.value is not None and c.value < c.national_avg:
            kind, target = "national_avg", c.national_avg
        elif c is not None and c.base_value is not None:
            kind, target = "previous", c.base_value
        else:
            continue
        out.append(
            PlanItem(
                priority=m.priority,
                index_code=m.index_code,
                measure=m.measure,
                name_en=m.name_en,
                name_vi=m.name_vi,
                basis=m.basis,
                value=m.value,
                rank=m.rank,
                n_ranked=m.n_ranked,
                published_delta=m.published_delta,
                published_unit=m.published_unit,
                base_year=m.base_year,
                target_kind=kind,
                target_value=target,
                measure_year=year + 1,
                source_id=m.source_id,
                rank_source_id=m.rank_source_id,
            )
        )
    return out


def _by_parent(df) -> dict[str, list[tuple[str, dict]]]:
    """(code, row as a dict) of a frame indexed by measure code, grouped by its ``parent`` column,
    in the frame's order (one pass instead of a filtered ``iterrows`` per parent)."""
    out: dict[str, list[tuple[str, dict]]] = {}
    if df is None:
        return out
    for code, row in zip(df.index, df.to_dict("records")):
        out.setdefault(row["parent"], []).append((code, row))
    return out


PRINTED_PERCENT = "scale as printed: 0%-100%"
PRINTED_POINTS = re.compile(r"^scale as printed: ([\d.]+)-([\d.]+) điểm$")


def _indicator_units(m: YearModel, index_code: str) -> dict[str, tuple[str, float | None, float | None]]:
    """The unit of each indicator of the year, as the data hold it, checked against every
    province's value of the year (measures.csv keeps the printed scale in ``note``; its ``unit``
    is "as printed"): a proportion when printed as 0%–100% and all values lie in 0–1; points
    when printed as "a-b điểm" and all values lie in a–b; otherwise "as printed" (not verified)."""

    def make():
        s = m.dataset.scores
        s = s[(s.index_code == index_code) & (s.year == m.year) & (s.level == "indicator")]
        meta = measures(index_code, m.year)
        notes = dict(zip(meta.measure, meta.note.fillna("").astype(str)))
        out = {}
        for code, v in s.groupby("measure").value:
            v = v.dropna().astype(float)
            note = notes.get(code, "").strip()
            pts = PRINTED_POINTS.match(note)
            if note == PRINTED_PERCENT and len(v) and v.between(0.0, 1.0).all():
                out[code] = ("proportion", 0.0, 1.0)
            elif pts and len(v) and v.between(float(pts.group(1)), float(pts.group(2))).all():
                out[code] = ("points", float(pts.group(1)), float(pts.group(2)))
            else:
                out[code] = ("as printed", None, None)
        return out

    return m.memo(("indicator_units", index_code), make)


def _drilldown(m: YearModel, p: Province, results: list[IndexResult]) -> list[DrillDown]:
    """Each component with a score of an index that drills down (``drill_down`` in
    data/meta/indices.csv: PAPI's dimensions), opened into its sub-components (weakest rank first)
    and the indicators parlib holds for the year (published order; no direction, so no ranking)."""
    out = []
    for r in results:
        if index_facts(r.index_code).drill_down:
            out += _drilldown_of(m, p, r)
    return out


def _drilldown_of(m: YearModel, p: Province, r: IndexResult) -> list[DrillDown]:
    idx = r.index_code
    subs = m.level_rows(idx, "sub-component").get(p.code)
    ind_rows, ind_nat = m.indicators(idx)
    units = _indicator_units(m, idx)
    inds = ind_rows.get(p.code)
    sub_rows, ind_rows_of = _by_parent(subs), _by_parent(inds)
    out = []
    for c in r.components:
        if c.value is None:
            continue
        items = []
        for code, row in sub_rows.get(c.measure, []):
            items.append(
                DrillItem(
                    code,
                    display_name(idx, code, "en", m.year),
                    display_name(idx, code, "vi", m.year),
                    _f(row["value"]),
                    _f(row.get("national_avg")),
                    _f(row.get("gap_national")),
                    _i(row["rank"]),
                    _i(row["n_ranked"]),
                )
            )
        items.sort(key=lambda x: (x.rank is None, -(x.rank or 0)))
        indicators = []
        for code, row in ind_rows_of.get(c.measure, []):
            nat = _f(ind_nat.national_avg.get(code)) if code in ind_nat.index else None
            v = _f(row["value"])
            unit, lo, hi = units.get(code, ("as printed", None, None))
            name_en, name_vi = measure_name(idx, code, m.year, "en"), measure_name(idx, code, m.year, "vi")
            indicators.append(
                DrillItem(
                    code,
                    name_en,
                    name_vi,
                    v,
                    nat,
                    None if v is None or nat is None else v - nat,
                    None,
                    None,
                    unit=unit,
                    scale_min=lo,
                    scale_max=hi,
                    percent_label_unverified=unit != "proportion" and "%" in f"{name_en} {name_vi}",
                )
            )
        out.append(DrillDown(idx, c.measure, c.name_en, c.name_vi, items, indicators))
    return out


def _sign(x: float | int | None, better: int) -> int | None:
    """+1 a change for the better, -1 for the worse, 0 none, None not stated (``better``: +1 when
    higher is better, -1 when lower is)."""
    if x is None:
        return None
    return 0 if x == 0 else better * (1 if x > 0 else -1)


def _item_direction(delta: float | None, rank_change: int | None, better: int, withheld: bool) -> str:
    """What one item's stated changes say: the score change on the measure's direction and the
    rank change (positive = a rise, the rank number fell). Opposite signs are "mixed"."""
    signs = {s for s in (_sign(delta, better), _sign(rank_change, 1)) if s is not None}
    if not signs:
        return "withheld" if withheld else "unstated"
    moved = signs - {0}
    if len(moved) > 1:
        return "mixed"
    return {1: "up", -1: "down"}[moved.pop()] if moved else "flat"


def _index_direction(dirs: list[str]) -> str | None:
    """What an index says about a theme from its items' directions: one way, "flat", or "mixed"
    when its own parts move both ways; None when none of its items states a change."""
    stated = {d for d in dirs if d in ("up", "down", "flat", "mixed")}
    if not stated:
        return None
    if "mixed" in stated or {"up", "down"} <= stated:
        return "mixed"
    moved = stated - {"flat"}
    return moved.pop() if moved else "flat"


def _theme_reading(directions: dict[str, str]) -> str:
    """Agree, diverge, mixed or insufficient, from the directions of the indices with a stated change."""
    if len(directions) < 2:
        return "insufficient"
    ways = set(directions.values())
    if len(ways) == 1 and ways <= {"up", "down", "flat"}:
        return "agree_" + ways.pop()
    if {"up", "down"} <= ways:
        return "diverge"
    return "mixed"


@lru_cache(maxsize=4096)
def _better(index_code: str, measure: str, year: int) -> int:
    """+1 when a higher value of the measure is better (measures.csv ``direction``), -1 when lower is."""
    meta = measures(index_code, year)
    hit = meta[meta.measure == measure]
    return -1 if not hit.empty and hit.direction.iloc[0] == "lower_is_better" else 1


def _themes(results: list[IndexResult]) -> list[ThemeView]:
    """Each shared theme across the indices: what every linked index says (level, rank, score and
    rank change, or a published change), each index's direction in the theme and the reading."""
    by_index = {r.index_code: r for r in results}
    out = []
    for code, links in themes().groupby("theme", sort=False):
        items = []
        for link in links.itertuples():
            r = by_index.get(link.index_code)
            item = None
            if r is not None and link.measure == "TOTAL" and (r.value is not None or r.rank is not None):
                item = ThemeItem(
                    r.index_code,
                    "TOTAL",
                    r.index_code,
                    r.index_code,
                    "total",
                    r.value,
                    r.rank,
                    r.n_ranked,
                    r.delta,
                    r.unit,
                    r.base_year,
                    link.reason,
                    rank_change=r.rank_change,
                    change_withheld=r.scale_changed,
                )
            elif r is not None:
                c = next((c for c in r.components if c.measure == link.measure), None)
                pc = next((c for c in r.published_changes if c.measure == link.measure), None)
                if c is not None and (c.value is not None or c.rank is not None):
                    item = ThemeItem(
                        r.index_code,
                        c.measure,
                        c.name_en,
                        c.name_vi,
                        "component",
                        c.value,
                        c.rank,
                        c.n_ranked,
                        c.delta,
                        "points",
                        r.base_year,
                        link.reason,
                        rank_change=c.rank_change,
                        change_withheld=c.change_withheld,
                    )
                elif pc is not None:
                    item = ThemeItem(
                        r.index_code,
                        pc.measure,
                        pc.name_en,
                        pc.name_vi,
                        "published_change",
                        None,
                        None,
                        None,
                        pc.delta,
                        "pp" if pc.unit == "percentage points" else "points",
                        pc.base_year,
                        link.reason,
                        rank_change=pc.rank_change,
                    )
            if item is not None:
                item.direction = _item_direction(
                    item.delta, item.rank_change, _better(item.index_code, item.measure, r.year), item.change_withheld
                )
                items.append(item)
        have = {i.index_code for i in items}
        missing = [i for i in dict.fromkeys(links.index_code) if i not in have]
        directions = {}
        for idx in dict.fromkeys(i.index_code for i in items):
            d = _index_direction([i.direction for i in items if i.index_code == idx])
            if d is not None:
                directions[idx] = d
        if items:
            out.append(
                ThemeView(
                    code,
                    links.theme_en.iloc[0],
                    links.theme_vi.iloc[0],
                    items,
                    _theme_reading(directions),
                    missing,
                    directions,
                )
            )
    return out


PAR_BANDS = ((70.0, "C"), (80.0, "B"), (90.0, "A"))


def _targets(m: YearModel, p: Province, results: list[IndexResult]) -> list[Target]:
    """Targets for each index total with a score (instead of "maximum" scenarios), each with the
    margin of error that applies to it and whether its points are realistic in one year."""
    out = []
    for r in results:
        if r.value is None:
            continue
        tot = m.totals(r.index_code)
        bounds = m.memo(("gain_bounds", r.index_code), lambda: gain_bounds(one_year_changes(m.scores, r.index_code)))
        for kind, param, target, other, extra in _target_kinds(m, p, r, tot):
            need = target - r.value
            margin, basis = _target_margin(r, tot, other)
            out.append(
                Target(
                    index_code=r.index_code,
                    kind=kind,
                    label_param=param,
                    value=r.value,
                    target_value=target,
                    points_needed=need,
                    unit=r.unit,
                    within_margin=None if margin is None else bool(abs(need) <= margin),
                    margin=margin,
                    levers=_levers(r, need, bounds) if need > 0 else [],
                    margin_basis=basis,
                    ci_level=r.ci_level if basis else None,
                    realistic=realistic(need, bounds.get("TOTAL")),
                    gain=bounds.get("TOTAL"),
                    **extra,
                )
            )
    return out


def _target_kinds(m: YearModel, p: Province, r: IndexResult, tot) -> list[tuple[str, str, float, str | None, dict]]:
    """(kind, label parameter, target score, the province whose score it is or None, extra fields)."""
    others = tot.drop(index=p.code, errors="ignore").value.dropna().astype(float)
    full = r.n_ranked is not None and len(others) + 1 >= 0.9 * r.n_ranked
    found: list[tuple[str, str, float, str | None, dict]] = []
    scheme = index_facts(r.index_code).group_scheme
    if scheme == "papi_quartile" and full:
        q75 = float(np.quantile(np.append(others.to_numpy(), r.value), 0.75))
        if r.value > q75:
            found.append(("keep_top_group", "1", q75, None, {}))
        else:
            found.append(("top_group", "1", q75 + 0.01, None, {}))
    if r.rank_change is not None and r.rank_change < 0 and r.base_rank is not None and full:
        ahead = others.sort_values(ascending=False, kind="stable")
        if 0 < r.base_rank <= len(ahead):
            code = str(ahead.index[r.base_rank - 1])
            found.append(("previous_rank", str(r.base_rank), float(ahead.iloc[r.base_rank - 1]), code, {}))
    view = next(iter(_regions(m, p, [r])), None)
    if view is not None and view.n_with_value >= 2:
        lead = max((x for x in view.members if x.value is not None), key=lambda x: x.value)
        if not lead.focus and lead.value > r.value:
            names = {"leader_name_en": lead.name_en, "leader_name_vi": lead.name_vi}
            found.append(("regional_leader", lead.province_code, lead.value, lead.province_code, names))
    if scheme == "par_band" and m.year >= PAR_BANDS_FROM:
        nxt = next(((t, b) for t, b in PAR_BANDS if r.value < t), None)
        if nxt is not None:
            found.append(("next_band", nxt[1], nxt[0], None, {}))
    return found


def _target_margin(r: IndexResult, tot, other: str | None) -> tuple[float | None, str]:
    """The margin of error a target is read against, and its basis: a threshold against the
    province's own margin (the half-width of its printed interval), another province's score
    against the margin of the difference of the two scores. ("", None) without published bounds."""
    if r.ci_z is None:
        return None, ""
    if other is None:
        return r.margin, "own"
    other_se = _f(tot.se.get(other)) if "se" in tot.columns else None
    return unc.diff_margin(r.ci_z, r.se, other_se), "difference"


def _levers(r: IndexResult, need: float, bounds: dict[str, GainBound]) -> list[Lever]:
    """Components of an additive index that could deliver ``need`` points on their own, those
    realistic in one year first, then the cheapest (smallest share of their room to the best
    province, else to the maximum)."""
    if not index_facts(r.index_code).additive:
        return []
    out = []
    for c in r.components:
        if c.value is None:
            continue
        ref, kind = (c.best_value, "best") if c.best_value is not None else (c.scale_max, "max")
        if ref is None or ref - c.value < need:
            continue
        gain = bounds.get(c.measure)
        out.append(
            Lever(
                c.measure,
                c.name_en,
                c.name_vi,
                c.value,
                ref,
                kind,
                need / (ref - c.value),
                realistic=realistic(need, gain),
                gain=gain,
            )
        )
    return sorted(out, key=lambda x: (x.realistic is False, x.share_of_room))[:3]

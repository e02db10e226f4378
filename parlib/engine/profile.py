"""One province, one year: everything a report needs, as a structured profile.

``assess(province, year)`` computes, per index: score, rank/N, change on the base year, gaps to
the national and regional averages and to the best province, group, rank streak; per component:
value, base, delta, rank, gap to the national average; strengths and weaknesses; remedies ranked
by points lost, gap below the average and distance to the maximum; what-if totals and ranks for
additive indices; PAPI significance flags and plausible rank ranges; caveats; the sources used.

The profile holds numbers and codes only; :mod:`parlib.present.narrative` turns it into text.
"""

from __future__ import annotations

import math
from dataclasses import asdict

import numpy as np
import pandas as pd

from parlib.data.dataset import Dataset, load
from parlib.data.indices import (
    DELTA_UNIT,
    INDEX_NAMES,
    INDICES,
    display_name,
    measure_name,
    period_of,
    periods,
    publication_scope,
    themes,
)
from parlib.data.registry import MERGER_YEAR, Province, unit_set_for_year
from parlib.data.registry import province as resolve
from parlib.data.registry import provinces as registry
from parlib.engine.model import YearModel, _scale_max, model_for
from parlib.engine.results import (
    BaselineRow,
    Break,
    Caveat,
    Component,
    DrillDown,
    DrillItem,
    IndexResult,
    Lever,
    PlanItem,
    Profile,
    PublishedChange,
    RankLine,
    RegionMember,
    RegionView,
    Remedy,
    Target,
    ThemeItem,
    ThemeView,
    WhatIf,
)

Z95 = 1.96
#: Totals that are the plain sum of their components, so a component's change moves the total
#: one for one (PAPI: unweighted total = sum of dimensions; PAR INDEX: sum of component points).
ADDITIVE = {"PAPI", "PAR"}


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


# --- assessment -------------------------------------------------------------------------------
def available_years(index_code: str | None = None, dataset: Dataset | None = None) -> list[int]:
    """Years with at least one total score or rank (for one index or any) in a Dataset
    (default: :func:`parlib.load`)."""
    return (dataset or load()).years(index_code)


def assess(
    province: str | Province,
    year: int,
    *,
    base_year: int | None = None,
    indices: list[str] | None = None,
    model: YearModel | None = None,
    dataset: Dataset | None = None,
) -> Profile:
    """The assessment profile of one province in one year (against ``base_year`` or the
    previous available year): a slice of the year model of ``dataset`` (default
    :func:`parlib.load`), or of ``model`` when given.

    >>> p = assess("Hưng Yên", 2022)
    >>> p.index("PAPI").rank, p.index("PAPI").rank_change
    (11, -6)
    """
    p = resolve(province, year=year)
    if model is None:
        model = model_for(dataset or load(), year, base_year)
    elif model.year != year or model.base_year != base_year:
        raise ValueError("the year model was built for another year or base year")
    context = model
    indices = list(indices or INDICES)
    results, missing = [], []
    for idx in indices:
        r = _index_result(context, p, idx)
        (results if r is not None else missing).append(r if r is not None else idx)
    caveats = _caveats(context, p, results, missing)
    remedies, whatif = _remedies(context, p, results)
    strengths, weaknesses = _strengths_weaknesses(results)
    own = {r.index_code for r in results}
    rows = _baseline(context, p, indices)
    baseline = [b for b in rows if b.index_code not in own]
    before = [asdict(b) for b in rows if b.index_code in own and b.status == "published"]
    used = sorted(
        {s for r in results for s in r.sources} | {x for b in rows for x in (b.source_id, b.scope_source_id) if x}
    )
    src = context.sources.set_index("source_id")
    sources = [{"source_id": s, **src.loc[s].to_dict()} for s in used if s in src.index]
    lines, breaks = _trajectory(context, p, [r.index_code for r in results])
    targets = _targets(context, p, results)
    theme_views = _themes(results)
    drill = _drilldown(context, p, results)
    plan = _plan(remedies, results, year)
    return Profile(
        province=p,
        year=year,
        requested_base_year=base_year,
        unit_set=unit_set_for_year(year),
        indices=results,
        missing_indices=missing,
        strengths=strengths,
        weaknesses=weaknesses,
        remedies=remedies,
        whatif=whatif,
        caveats=caveats,
        sources=sources,
        predecessors=before,
        baseline=baseline,
        formed_from=_formed_from(p),
        trajectory=lines,
        trajectory_breaks=breaks,
        targets=targets,
        themes=theme_views,
        drilldown=drill,
        plan=plan,
        regions=_regions(context, p, results),
        provenance=context.provenance(),
        index_names=INDEX_NAMES,
        data_dir="" if context.dataset.is_bundled else str(context.dataset.data_dir),
    )


def _plan(remedies: list[Remedy], results: list[IndexResult], year: int) -> list[PlanItem]:
    """The improvement plan: each priority with a target a provincial office can adopt — the
    national average for a component below it, the previous value for one that lost points, the
    lost percentage points back for a published fall — and the next release that will show it."""
    comps = {(r.index_code, c.measure): c for r in results for c in r.components}
    index_source = {r.index_code: (r.sources[0] if r.sources else "") for r in results}
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
                source_id=m.source_id or index_source.get(m.index_code, ""),
            )
        )
    return out


def _drilldown(m: YearModel, p: Province, results: list[IndexResult]) -> list[DrillDown]:
    """Each PAPI dimension with a score, opened into its sub-dimensions (weakest rank first) and the
    indicators parlib holds for the year (published order; no direction, so no ranking)."""
    r = next((x for x in results if x.index_code == "PAPI"), None)
    if r is None:
        return []
    subs = m.level_rows("PAPI", "sub-component").get(p.code)
    ind_rows, ind_nat = m.indicators("PAPI")
    inds = ind_rows.get(p.code)
    out = []
    for c in r.components:
        if c.value is None:
            continue
        items = []
        if subs is not None:
            for code, row in subs[subs.parent == c.measure].iterrows():
                items.append(
                    DrillItem(
                        code,
                        display_name("PAPI", code, "en", m.year),
                        display_name("PAPI", code, "vi", m.year),
                        _f(row.value),
                        _f(row.get("national_avg")),
                        _f(row.get("gap_national")),
                        _i(row["rank"]),
                        _i(row.n_ranked),
                    )
                )
        items.sort(key=lambda x: (x.rank is None, -(x.rank or 0)))
        indicators = []
        if inds is not None:
            for code, row in inds[inds.parent == c.measure].iterrows():
                nat = _f(ind_nat.national_avg.get(code)) if code in ind_nat.index else None
                v = _f(row.value)
                indicators.append(
                    DrillItem(
                        code,
                        measure_name("PAPI", code, m.year, "en"),
                        measure_name("PAPI", code, m.year, "vi"),
                        v,
                        nat,
                        None if v is None or nat is None else v - nat,
                        None,
                        None,
                    )
                )
        out.append(DrillDown("PAPI", c.measure, c.name_en, c.name_vi, items, indicators))
    return out


def _themes(results: list[IndexResult]) -> list[ThemeView]:
    """Each shared theme across the indices: what every linked index says (level, rank, change,
    or a published change), and whether the stated changes agree or diverge."""
    by_index = {r.index_code: r for r in results}
    out = []
    for code, links in themes().groupby("theme", sort=False):
        items, missing = [], []
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
                    )
            if item is not None:
                items.append(item)
        have = {i.index_code for i in items}
        missing = [i for i in dict.fromkeys(links.index_code) if i not in have]
        moved = [(i.index_code, 1 if i.delta > 0 else -1) for i in items if i.delta not in (None, 0)]
        ups, downs = {x for x, sg in moved if sg > 0}, {x for x, sg in moved if sg < 0}
        if not moved:
            reading = "no_change"
        elif len({x for x, _ in moved}) < 2:
            reading = "one_index"
        elif ups and downs and (ups - downs or downs - ups) and not (ups == downs):
            reading = "diverge"  # one index's changes rose while another's fell
        else:
            reading = "agree_up" if not downs else "agree_down" if not ups else "mixed"
        if items:
            out.append(ThemeView(code, links.theme_en.iloc[0], links.theme_vi.iloc[0], items, reading, missing))
    return out


PAR_BANDS = ((70.0, "C"), (80.0, "B"), (90.0, "A"))


def _targets(m: YearModel, p: Province, results: list[IndexResult]) -> list[Target]:
    """Realistic targets for each index total with a score (instead of "maximum" scenarios)."""
    out = []
    for r in results:
        if r.value is None:
            continue
        tot = m.totals(r.index_code)
        others = tot.drop(index=p.code, errors="ignore").value.dropna().astype(float)
        full = r.n_ranked is not None and len(others) + 1 >= 0.9 * r.n_ranked
        margin = Z95 * r.se if r.se is not None else None
        found: list[tuple[str, str, float, dict]] = []
        if r.index_code == "PAPI" and full:
            q75 = float(np.quantile(np.append(others.to_numpy(), r.value), 0.75))
            if r.value > q75:
                found.append(("keep_top_group", "1", q75, {}))
            else:
                found.append(("top_group", "1", q75 + 0.01, {}))
        if r.rank_change is not None and r.rank_change < 0 and r.base_rank is not None and full:
            ahead = np.sort(others.to_numpy())[::-1]
            if 0 < r.base_rank <= len(ahead):
                found.append(("previous_rank", str(r.base_rank), float(ahead[r.base_rank - 1]), {}))
        view = next(iter(_regions(m, p, [r])), None)
        if view is not None and view.n_with_value >= 2:
            lead = max((x for x in view.members if x.value is not None), key=lambda x: x.value)
            if not lead.focus and lead.value > r.value:
                found.append(
                    (
                        "regional_leader",
                        lead.province_code,
                        lead.value,
                        {"leader_name_en": lead.name_en, "leader_name_vi": lead.name_vi},
                    )
                )
        if r.index_code == "PAR" and m.year >= 2015:
            nxt = next(((t, b) for t, b in PAR_BANDS if r.value < t), None)
            if nxt is not None:
                found.append(("next_band", nxt[1], nxt[0], {}))
        for kind, param, target, extra in found:
            need = target - r.value
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
                    levers=_levers(r, need) if need > 0 else [],
                    **extra,
                )
            )
    return out


def _levers(r: IndexResult, need: float) -> list[Lever]:
    """Components of an additive index that could deliver ``need`` points on their own, the
    cheapest (smallest share of their room to the best province, else to the maximum) first."""
    if r.index_code not in ADDITIVE:
        return []
    out = []
    for c in r.components:
        if c.value is None:
            continue
        ref, kind = (c.best_value, "best") if c.best_value is not None else (c.scale_max, "max")
        if ref is None or ref - c.value < need:
            continue
        out.append(Lever(c.measure, c.name_en, c.name_vi, c.value, ref, kind, need / (ref - c.value)))
    return sorted(out, key=lambda x: x.share_of_room)[:3]


def _trajectory(m: YearModel, p: Province, codes: list[str]) -> tuple[list[RankLine], list[Break]]:
    """The province's rank per index over the years up to the model's year, the years without a
    rank inside its span (or the index's other years), and the methodology breaks inside it."""
    mine = m.history_of(p.code)
    lines, breaks = [], []
    for c in codes:
        mc = mine[mine.index_code == c]
        if mc.empty:
            continue
        years = [int(y) for y in mc.year]
        span = m.index_years(c)
        lo, hi = years[0], years[-1]
        missing = sorted({y for y in range(lo, hi + 1) if y not in years} | {y for y in span if y < lo or y > hi})
        lines.append(RankLine(c, years, [int(r) for r in mc["rank"]], [_i(n) for n in mc.n_ranked], missing))
        for row in periods(c).iloc[1:].itertuples():
            if lo < row.first_year <= hi:
                breaks.append(Break(c, int(row.first_year), row.label_en, row.label_vi))
    breaks.sort(key=lambda b: (b.year, codes.index(b.index_code)))
    return lines, breaks


def _regions(m: YearModel, p: Province, results: list[IndexResult]) -> list[RegionView]:
    """Each index total across the province's region: members best first, then those without a
    score; the national and the regional average exactly as the index result carries them."""
    out = []
    for r in results:
        if not p.region_code or m.unit_set != "VN63":
            out.append(
                RegionView(
                    r.index_code,
                    m.year,
                    "",
                    "",
                    "",
                    [],
                    0,
                    r.national_avg,
                    r.avg_basis,
                    r.avg_source_id,
                    None,
                    "",
                    "",
                    reason="no_region",
                )
            )
            continue
        reg = registry("VN63")
        reg = reg[reg.region_code == p.region_code]
        tot = m.totals(r.index_code)
        members = []
        for code, en, vi in zip(reg.code, reg.name_en, reg.name_vi):
            row = tot.loc[code] if code in tot.index else None
            members.append(
                RegionMember(
                    code,
                    en,
                    vi,
                    _f(row.value) if row is not None else None,
                    _i(row["rank"]) if row is not None else None,
                    _i(row.n_ranked) if row is not None else None,
                    code == p.code,
                )
            )
        from parlib._text import fold

        members.sort(key=lambda x: (x.value is None, -(x.value or 0.0), fold(x.name_vi)))
        key = (r.index_code, "TOTAL", p.region_code)
        ra = m.lookup("regional").get(key)
        out.append(
            RegionView(
                index_code=r.index_code,
                year=m.year,
                region_code=p.region_code,
                region_en=p.region_en,
                region_vi=p.region_vi,
                members=members,
                n_with_value=sum(x.value is not None for x in members),
                national_avg=r.national_avg,
                avg_basis=r.avg_basis,
                avg_source_id=r.avg_source_id,
                regional_avg=_f(ra.regional_avg) if ra is not None else None,
                regional_basis=_s(ra.regional_basis) if ra is not None else "",
                regional_source_id=_s(ra.regional_source_id) if ra is not None else "",
            )
        )
    return out


def _latest_vn63_years(m: YearModel) -> dict[str, int]:
    """Per index, the latest year before the merger with any 63-unit total (score or rank) in the
    data: the year of the baseline of every 34-unit province (PAPI 2024, PCI 2024, …)."""

    def make():
        s = m.scores.reset_index()
        codes = set(registry("VN63").code)
        s = s[
            (s.measure == "TOTAL")
            & (s.year < MERGER_YEAR)
            & s.province_code.isin(codes)
            & (s.value.notna() | s["rank"].notna())
        ]
        return {str(k): int(v) for k, v in s.groupby(s.index_code.astype(str)).year.max().items()}

    return m.memo("latest_vn63_years", make)


def _baseline_row(m: YearModel, idx: str, year: int, old: Province) -> BaselineRow:
    """One predecessor's total in ``year`` (that year only: never an older one)."""
    row = _row(m.scores, (idx, year, old.code, "TOTAL"))
    ranked = m.history[
        (m.history.index_code == idx)
        & (m.history.year == year)
        & (m.history.province_code == old.code)
        & (m.history.measure == "TOTAL")
    ]
    value = _f(row.value) if row is not None else None
    rank, n_ranked, basis = None, None, ""
    if len(ranked):
        rank, n_ranked, basis = _i(ranked["rank"].iloc[0]), _i(ranked.n_ranked.iloc[0]), _s(ranked.rank_basis.iloc[0])
    elif row is not None:
        rank, n_ranked, basis = _i(row["rank"]), _i(row.n_ranked), _s(row.rank_basis)
    scope = publication_scope(idx, year) or {}
    if value is not None or rank is not None:
        status = "published"
    else:
        status = "not_published" if scope else "not_in_data"
    source = _s(row.source_id) if row is not None and status == "published" else ""
    return BaselineRow(
        index_code=idx,
        year=year,
        province_code=old.code,
        name_en=old.name_en,
        name_vi=old.name_vi,
        type=old.type,
        value=value,
        rank=rank,
        n_ranked=n_ranked,
        rank_basis=basis,
        source_id=source,
        status=status,
        scope=_s(scope.get("scope")) if scope else "",
        scope_source_id=_s(scope.get("source_id")) if scope and status == "not_published" else "",
        scale_max=_scale_max(idx, year),
    )


def _baseline(ctx: YearModel, p: Province, indices: list[str]) -> list[BaselineRow]:
    """The predecessors of a 34-unit province side by side, per index, in the index's latest
    63-unit year: the same year for all of them, each with its own rank out of the 63-unit field.

    Nothing is derived for the new unit itself: no publisher defines a pro-forma value for a
    merged province (DOMAIN §5.3). A predecessor without a figure in that year gets a row saying
    so (not published, or not in parlib's data), never a figure of an older year.
    """
    if p.unit_set != "VN34" or not p.members:
        return []
    latest = _latest_vn63_years(ctx)
    olds = [resolve(c, unit_set="VN63") for c in p.members]
    return [_baseline_row(ctx, idx, latest[idx], old) for idx in indices if idx in latest for old in olds]


def _formed_from(p: Province) -> list[dict]:
    """The 63-unit provinces a 34-unit province was formed from (empty for the 63 units)."""
    if p.unit_set != "VN34":
        return []
    return [
        {"code": o.code, "name_en": o.name_en, "name_vi": o.name_vi, "type": o.type}
        for o in (resolve(c, unit_set="VN63") for c in p.members)
    ]


def assess_many(
    provinces: list[str] | None,
    year: int,
    *,
    base_year: int | None = None,
    indices: list[str] | None = None,
    dataset: Dataset | None = None,
) -> list[Profile]:
    """Profiles of many provinces (all of the year's unit set by default), sharing one year model."""
    model = model_for(dataset or load(), year, base_year)
    codes = provinces or list(registry(unit_set_for_year(year)).code)
    return [assess(c, year, base_year=base_year, indices=indices, model=model) for c in codes]


def _get(m: YearModel, table: str, key: tuple):
    """A row of one of the model's keyed tables, or None."""
    return m.lookup(table).get(key)


def _row(frame: pd.DataFrame, key: tuple) -> pd.Series | None:
    try:
        r = frame.loc[key]
    except KeyError:
        return None
    return r if isinstance(r, pd.Series) else r.iloc[0]


def _index_result(ctx: YearModel, p: Province, idx: str) -> IndexResult | None:
    key = (idx, ctx.year, p.code, "TOTAL")
    row = _get(ctx, "rows", key)
    changes = ctx.changes[
        (ctx.changes.index_code == idx) & (ctx.changes.year == ctx.year) & (ctx.changes.area_code == p.code)
    ]
    no_level = row is None or (pd.isna(row.get("value")) and pd.isna(row.get("rank")))
    if no_level and changes.empty:
        return None
    d = _get(ctx, "deltas", key)
    st = _get(ctx, "streaks", key)
    per = period_of(idx, ctx.year)
    nat = _get(ctx, "national", (idx, "TOTAL"))
    g = row if row is not None else pd.Series(dtype=object)

    def get(s, col, conv=_f):
        return conv(s[col]) if s is not None and col in s.index else None

    sources = {x for x in (get(row, "source_id", str), get(row, "rank_source_id", str)) if x}
    comps = _components(ctx, p, idx)
    res = IndexResult(
        index_code=idx,
        year=ctx.year,
        period=per["period"],
        decision=per["decision"],
        unit=DELTA_UNIT[idx],
        value=get(row, "value"),
        scale_max=_scale_max(idx, ctx.year),
        rank=get(row, "rank", _i),
        n_ranked=get(row, "n_ranked", _i),
        rank_basis=_s(g.get("rank_basis")),
        tied=bool(g.get("tied", False)),
        base_year=get(d, "base_year", _i),
        base_value=get(d, "base_value"),
        base_rank=get(d, "base_rank", _i),
        base_n_ranked=get(d, "base_n_ranked", _i),
        delta=get(d, "delta_pp"),
        pct_change=get(d, "pct_change"),
        rank_change=get(d, "rank_change", _i),
        fallback=bool(get(d, "fallback", bool) or False),
        crosses_break=bool(get(d, "crosses_break", bool) or False),
        unit_set_change=bool(get(d, "unit_set_change", bool) or False),
        national_avg=get(nat, "national_avg"),
        avg_basis=_s(nat.get("avg_basis")) if nat is not None else "",
        avg_source_id=_s(nat.get("avg_source_id")) if nat is not None else "",
        gap_national=get(row, "gap_national"),
        regional_avg=get(row, "regional_avg"),
        regional_basis=_s(g.get("regional_basis")),
        gap_regional=get(row, "gap_regional"),
        best_value=get(row, "best_value"),
        best_province_code=_s(g.get("best_province_code")),
        gap_best=get(row, "gap_best"),
        percentile=get(row, "percentile"),
        group=_s(g.get("group")),
        group_name_en=_s(g.get("group_name_en")),
        group_name_vi=_s(g.get("group_name_vi")),
        same_rank_streak=get(st, "same_rank_streak", _i) or 0,
        top_streak=get(st, "top_streak", _i) or 0,
        ci_low=get(row, "ci_low"),
        ci_high=get(row, "ci_high"),
        se=get(row, "se"),
        components=comps,
        published_changes=[
            PublishedChange(
                measure=c.measure,
                name_en=measure_name(idx, c.measure, ctx.year, "en"),
                name_vi=measure_name(idx, c.measure, ctx.year, "vi"),
                base_year=int(c.base_year),
                delta=_f(c.delta),
                rank_change=_i(c.rank_change),
                unit=c.unit,
                source_id=c.source_id,
                note=c.note,
            )
            for c in changes.itertuples()
        ],
    )
    if res.regional_avg is None and p.region_code and (idx, "TOTAL", p.region_code) in ctx.regional.index:
        # no score of its own (only a rank): the region's average is still the model's one
        ra = ctx.lookup("regional")[(idx, "TOTAL", p.region_code)]
        res.regional_avg, res.regional_basis = (
            _f(ra.regional_avg),
            _s(ra.regional_basis) if _f(ra.regional_avg) is not None else "",
        )
    if res.avg_source_id:
        sources.add(res.avg_source_id)
    sources |= {c.source_id for c in res.published_changes}
    base_row = _row(ctx.scores, (idx, res.base_year, p.code, "TOTAL")) if res.base_year else None
    if base_row is not None:
        sources |= {x for x in (base_row.get("source_id", ""), base_row.get("rank_source_id", "")) if x}
    res.sources = sorted(sources)
    if d is not None and bool(d.get("scale_break", False)) and res.delta is not None:
        # totals on different scales (PAPI out of 60 to 2017, out of 80 from 2018): no difference
        res.scale_changed, res.base_scale_max = True, _scale_max(idx, res.base_year)
        res.delta = res.pct_change = res.change_significant = None
    _like_for_like(ctx, p, res)
    nat_all = ctx.lookup("national")
    bases = {
        _s(nat_all[(idx, c.measure)].avg_basis)
        for c in comps
        if c.national_avg is not None and (idx, c.measure) in nat_all
    }
    res.component_avg_basis = bases.pop() if len(bases) == 1 else "mixed" if bases else ""
    scored = [c for c in comps if c.value is not None]
    res.component_counts = {
        "n": len(scored),
        "rose": sum(c.delta is not None and c.delta > 0 for c in scored),
        "fell": sum(c.delta is not None and c.delta < 0 for c in scored),
        "moved": sum(c.delta is not None for c in scored),
        "above": sum(c.gap_national is not None and c.gap_national > 0 for c in scored),
        "below": sum(c.gap_national is not None and c.gap_national < 0 for c in scored),
    }
    _significance(ctx, p, res)
    return res


def _like_for_like(m: YearModel, p: Province, r: IndexResult) -> None:
    """Rank change among the provinces ranked in both years, and who entered or left the field."""
    if r.rank is None or r.base_rank is None or r.base_year is None or r.base_n_ranked is None:
        return
    now, then = m.ranks(r.index_code, r.year), m.ranks(r.index_code, r.base_year)
    if len(now) < 0.9 * (r.n_ranked or 0) or len(then) < 0.9 * r.base_n_ranked:
        return  # only some provinces of a year are in the data: who entered or left is unknown
    entered, left = sorted(set(now.index) - set(then.index)), sorted(set(then.index) - set(now.index))
    if not entered and not left:
        return
    common = now.index.intersection(then.index)
    if p.code not in common:
        return
    r.entered, r.left = entered, left
    names = m.names()
    r.entered_names = [names.get(c, {"en": c, "vi": c}) for c in entered]
    r.left_names = [names.get(c, {"en": c, "vi": c}) for c in left]
    r.rank_like = 1 + int((now[common] < now[p.code]).sum())
    r.base_rank_like = 1 + int((then[common] < then[p.code]).sum())
    r.rank_change_like = r.base_rank_like - r.rank_like
    r.n_common = len(common)


def _scale_break(ctx: YearModel, idx: str, code: str, measure: str) -> bool:
    d = _get(ctx, "deltas", (idx, ctx.year, code, measure))
    return d is not None and bool(d.get("scale_break", False))


def _components(ctx: YearModel, p: Province, idx: str) -> list[Component]:
    sub = ctx.components_of(idx).get(p.code)
    if sub is None:
        return []
    out = []
    from parlib.data.indices import measures

    meta = measures(idx, ctx.year).set_index("measure")
    for m, r in sub.iterrows():
        if pd.isna(r.value) and pd.isna(r["rank"]):
            continue
        d = _get(ctx, "deltas", (idx, ctx.year, p.code, m))
        withheld = d is not None and bool(d.get("scale_break", False))
        if withheld:
            d = None  # the measure's scale or content changed between the years: no change is stated
        out.append(
            Component(
                measure=m,
                name_en=display_name(idx, m, "en", ctx.year),
                name_vi=display_name(idx, m, "vi", ctx.year),
                value=_f(r.value),
                base_value=_f(d.base_value) if d is not None else None,
                delta=_f(d.delta_pp) if d is not None else None,
                rank=_i(r["rank"]),
                n_ranked=_i(r.n_ranked),
                base_rank=_i(d.base_rank) if d is not None else None,
                rank_change=_i(d.rank_change) if d is not None else None,
                national_avg=_f(r.get("national_avg")),
                gap_national=_f(r.get("gap_national")),
                best_value=_f(r.get("best_value")),
                scale_max=_f(meta.scale_max.get(m)) if m in meta.index else None,
                change_withheld=withheld,
            )
        )
    return out


# --- significance (PAPI 95 % bounds) -----------------------------------------------------------
def _significance(ctx: YearModel, p: Province, res: IndexResult) -> None:
    if res.se is None or res.value is None:
        return
    if res.national_avg is not None and res.gap_national is not None:
        res.gap_significant = abs(res.gap_national) > Z95 * res.se
    if res.base_year is not None and res.delta is not None:
        b = _row(ctx.scores, (res.index_code, res.base_year, p.code, "TOTAL"))
        base_se = _f(b["se"]) if b is not None else None
        if base_se is not None:
            res.change_significant = abs(res.delta) > Z95 * math.hypot(res.se, base_se)
    field_ = ctx.totals(res.index_code)
    field_ = field_[field_.ci_low.notna() & field_.ci_high.notna()]
    others = field_.drop(index=p.code, errors="ignore")
    if res.ci_low is not None and res.ci_high is not None and len(others):
        best = 1 + int((others.ci_low > res.ci_high).sum())
        worst = 1 + int((others.ci_high >= res.ci_low).sum())
        res.rank_range = (best, min(worst, len(field_)))


# --- strengths, weaknesses, remedies, what-if ---------------------------------------------------
#: The strength/weakness rule (see :func:`_strengths_weaknesses`).
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
    95 % margin of error, but the data hold standard errors (``se``, ``ci_low``, ``ci_high`` in
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


def _remedies(ctx: YearModel, p: Province, results: list[IndexResult]) -> tuple[list[Remedy], list[WhatIf]]:
    remedies, whatifs = [], []
    for r in results:
        comps = [c for c in r.components if c.value is not None]
        if not comps:
            continue
        totals = ctx.totals(r.index_code)
        others = totals.drop(index=p.code, errors="ignore").value.dropna().to_numpy()
        full_field = r.n_ranked is not None and len(others) + 1 >= r.n_ranked
        additive = (
            r.index_code in ADDITIVE
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
            if lost is None and below is None:
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
                    severity=100 * below / c.scale_max if weak and c.scale_max else None,
                )
            )
    for r, pc in _published_falls(results):
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
def _missing_reason(m: YearModel, p: Province, idx: str) -> dict:
    """Why an index has no figure for the province-year: the publisher printed only part of the
    provinces ("not_published"), the index was not run or not published that year ("no_year"), the
    province was not ranked in a field that is in the data ("not_ranked"), or parlib's data hold only
    some provinces of that year ("not_in_data")."""

    def field_size():
        rows = m.rows.reset_index()
        rows = rows[(rows.index_code == idx) & (rows.measure == "TOTAL") & (rows.value.notna() | rows["rank"].notna())]
        return int(rows.province_code.nunique()), pd.to_numeric(rows.n_ranked, errors="coerce").max()

    n, n_ranked = m.memo(("field_size", idx), field_size)
    scope = publication_scope(idx, m.year)
    if scope:
        return {
            "reason": "not_published",
            "scope": scope.get("scope", ""),
            "n": n,
            "source_id": scope.get("source_id", ""),
        }
    if n == 0:
        years = [y for y in m.dataset.years(idx) if y < m.year]
        return {"reason": "no_year", "last_year": years[-1] if years else None}
    if pd.notna(n_ranked) and n >= 0.9 * float(n_ranked):
        return {"reason": "not_ranked", "n": int(n_ranked)}
    return {"reason": "not_in_data", "n": n}


def _caveats(ctx: YearModel, p: Province, results: list[IndexResult], missing: list[str]) -> list[Caveat]:
    out = []
    for idx in missing:
        out.append(Caveat("index_missing", idx, _missing_reason(ctx, p, idx)))
    for r in results:
        if r.value is None and r.rank is not None:
            out.append(Caveat("score_missing", r.index_code, {"rank": r.rank, "n": r.n_ranked}))
        if r.value is None and r.rank is None:
            out.append(Caveat("no_level", r.index_code, {}))
        if r.base_year is None:
            out.append(Caveat("no_base", r.index_code, {}))
        if r.fallback:
            out.append(Caveat("fallback", r.index_code, {"base_year": r.base_year}))
        if r.crosses_break:
            now, then = period_of(r.index_code, ctx.year), period_of(r.index_code, r.base_year)
            out.append(
                Caveat(
                    "break",
                    r.index_code,
                    {
                        "base_year": r.base_year,
                        "decision": now["decision"],
                        "base_decision": then["decision"],
                        "label_en": now["label_en"],
                        "label_vi": now["label_vi"],
                        "base_label_en": then["label_en"],
                        "base_label_vi": then["label_vi"],
                    },
                )
            )
        if r.unit_set_change:
            out.append(Caveat("unit_set_change", r.index_code, {"base_year": r.base_year}))
        if r.scale_changed:
            out.append(
                Caveat(
                    "total_scale_changed",
                    r.index_code,
                    {"base_year": r.base_year, "base_max": r.base_scale_max, "max": r.scale_max},
                )
            )
        shifted = [c for c in r.components if _scale_break(ctx, r.index_code, p.code, c.measure)]
        if shifted:
            out.append(
                Caveat(
                    "scale_break",
                    r.index_code,
                    {
                        "base_year": r.base_year,
                        "names_en": [c.name_en for c in shifted],
                        "names_vi": [c.name_vi for c in shifted],
                    },
                )
            )
        if r.rank_basis == "computed":
            out.append(Caveat("rank_computed", r.index_code, {"n": r.n_ranked}))
        if r.value is not None and r.national_avg is None:
            out.append(Caveat("no_average", r.index_code, {}))
        if r.avg_basis == "mean_of_provinces":
            out.append(Caveat("average_computed", r.index_code, {}))
        if not r.components and r.index_code in ("PAR", "SIPAS"):
            out.append(Caveat("components_missing", r.index_code, {"published_changes": len(r.published_changes)}))
        if r.n_ranked is not None and unit_set_for_year(ctx.year) == "VN63" and r.n_ranked < 63:
            out.append(Caveat("partial_field", r.index_code, {"n": r.n_ranked}))
    conf = ctx.conflicts[(ctx.conflicts.area_code == p.code) & (ctx.conflicts.year == ctx.year)]
    for c in conf.itertuples():
        out.append(
            Caveat(
                "conflict",
                c.index_code,
                {
                    "field": c.field,
                    "kept": c.kept_value,
                    "other": c.other_value,
                    "kept_source_id": c.kept_source_id,
                    "other_source_id": c.other_source_id,
                },
            )
        )
    if unit_set_for_year(ctx.year) == "VN34":
        out.append(Caveat("vn34", "", {}))
    return out

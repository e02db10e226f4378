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
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from parlib.engine import deltas as dl
from parlib.data.loading import (_dir_state, load_aggregates, load_conflicts, load_published_changes, load_scores,
                         load_sources)
from parlib.data.indices import DELTA_UNIT, INDICES, measure_name, period_of
from parlib.data.registry import Province, province as resolve
from parlib.data.registry import unit_set_for_year

Z95 = 1.96
#: Totals that are the plain sum of their components, so a component's change moves the total
#: one for one (PAPI: unweighted total = sum of dimensions; PAR INDEX: sum of component points).
ADDITIVE = {"PAPI", "PAR"}


@dataclass
class Component:
    measure: str
    name_en: str
    name_vi: str
    value: float | None
    base_value: float | None
    delta: float | None
    rank: int | None
    n_ranked: int | None
    base_rank: int | None
    rank_change: int | None
    national_avg: float | None
    gap_national: float | None
    best_value: float | None
    scale_max: float | None


@dataclass
class PublishedChange:
    measure: str
    name_en: str
    name_vi: str
    base_year: int
    delta: float | None
    rank_change: int | None
    unit: str
    source_id: str
    note: str


@dataclass
class IndexResult:
    index_code: str
    year: int
    period: str
    decision: str
    unit: str  # "pp" or "points": the unit of a change
    value: float | None
    scale_max: float | None
    rank: int | None
    n_ranked: int | None
    rank_basis: str
    tied: bool
    base_year: int | None
    base_value: float | None
    base_rank: int | None
    base_n_ranked: int | None
    delta: float | None
    pct_change: float | None
    rank_change: int | None
    fallback: bool
    crosses_break: bool
    unit_set_change: bool
    national_avg: float | None
    avg_basis: str
    avg_source_id: str
    gap_national: float | None
    regional_avg: float | None
    regional_basis: str
    gap_regional: float | None
    best_value: float | None
    best_province_code: str
    gap_best: float | None
    percentile: float | None
    group: str
    group_name_en: str
    group_name_vi: str
    same_rank_streak: int
    top_streak: int
    ci_low: float | None = None
    ci_high: float | None = None
    se: float | None = None
    change_significant: bool | None = None
    gap_significant: bool | None = None
    rank_range: tuple[int, int] | None = None
    components: list[Component] = field(default_factory=list)
    published_changes: list[PublishedChange] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)


@dataclass
class Remedy:
    index_code: str
    measure: str
    name_en: str
    name_vi: str
    value: float | None
    points_lost: float | None
    gap_below_avg: float | None
    distance_to_max: float | None
    best_rank_gain: int | None
    priority: int = 0


@dataclass
class WhatIf:
    index_code: str
    measure: str
    name_en: str
    name_vi: str
    scenario: str  # national_avg | previous | best | max
    component_from: float
    component_to: float
    total_from: float
    total_to: float
    rank_from: int | None
    rank_to: int | None
    n_ranked: int | None


@dataclass
class Caveat:
    code: str
    index_code: str
    params: dict


@dataclass
class Profile:
    province: Province
    year: int
    requested_base_year: int | None
    unit_set: str
    indices: list[IndexResult]
    missing_indices: list[str]
    strengths: list[dict]
    weaknesses: list[dict]
    remedies: list[Remedy]
    whatif: list[WhatIf]
    caveats: list[Caveat]
    sources: list[dict]
    #: For a unit formed by the 2025 merger: each predecessor's last published result per index.
    predecessors: list[dict] = field(default_factory=list)

    def index(self, code: str) -> IndexResult | None:
        """The result of one index, or None when the index has no data for the province-year."""
        return next((r for r in self.indices if r.index_code == code), None)

    def to_dict(self) -> dict:
        """A JSON-ready dict (NaN → None)."""
        return _clean(asdict(self))


def _clean(x):
    if isinstance(x, dict):
        return {k: _clean(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_clean(v) for v in x]
    if isinstance(x, (float, np.floating)):
        return None if math.isnan(x) else float(x)
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, np.bool_):
        return bool(x)
    if x is pd.NA:
        return None
    return x


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


# --- the year context: everything computed once for all provinces -----------------------------
@dataclass
class Context:
    """Ranks, deltas, gaps, groups and streaks of one year (and base year), for every province."""

    year: int
    base_year: int | None
    scores: pd.DataFrame  # indexed by KEY
    rows: pd.DataFrame  # ranked rows of the year, with gaps and groups, indexed by KEY
    national: pd.DataFrame  # national average per (index_code, measure) of the year
    deltas: pd.DataFrame  # deltas of the year, indexed by KEY
    streaks: pd.DataFrame
    changes: pd.DataFrame
    conflicts: pd.DataFrame
    sources: pd.DataFrame


def build_context(year: int, *, base_year: int | None = None, scores: pd.DataFrame | None = None,
                  aggregates: pd.DataFrame | None = None, data_dir=None) -> Context:
    """Compute the year's tables once; :func:`assess` slices one province out of them.

    ``data_dir`` reads every table (scores, aggregates, published changes, conflicts, sources)
    from another data directory; ``scores``/``aggregates`` override those two tables.
    """
    scores = load_scores(data_dir, include_indicators=False) if scores is None else scores
    aggregates = load_aggregates(data_dir) if aggregates is None else aggregates
    hist = scores[scores.year <= year]
    if "level" in hist:
        hist = hist[hist.level != "indicator"]
    ranked = dl.rank_scores(hist)
    this = ranked[ranked.year == year]
    gaps = dl.compute_gaps(this, aggregates)
    grouped = dl.add_groups(this)
    extra = [c for c in gaps.columns if c not in this.columns]
    rows = this.join(gaps[extra]) if len(gaps) == len(this) and (gaps.index == this.index).all() else \
        this.merge(gaps[dl.KEY + extra], on=dl.KEY, how="left")
    rows = rows.merge(grouped[dl.KEY + [c for c in grouped.columns if c.startswith("group")]],
                      on=dl.KEY, how="left")
    d = dl.compute_deltas(hist, base_year=base_year)
    d = d[d.year == year]
    st = dl.streaks(ranked[ranked.measure == "TOTAL"])
    st = st[st.year == year]
    nat = dl.national_average(this, aggregates)
    nat = nat[nat.year == year].set_index(["index_code", "measure"])
    return Context(year=year, base_year=base_year, scores=scores.set_index(dl.KEY).sort_index(), national=nat,
                   rows=rows.set_index(dl.KEY).sort_index(), deltas=d.set_index(dl.KEY).sort_index(),
                   streaks=st.set_index(dl.KEY).sort_index(),
                   changes=load_published_changes(data_dir), conflicts=load_conflicts(data_dir),
                   sources=load_sources(data_dir))


@lru_cache(maxsize=8)
def _cached_context(year: int, base_year: int | None, state: tuple) -> Context:
    return build_context(year, base_year=base_year)


def context_for(year: int, base_year: int | None = None) -> Context:
    """The bundled data's context for a year, cached while the data files are unchanged."""
    from parlib.config import bundled_data_dir

    return _cached_context(year, base_year, _dir_state(bundled_data_dir()))


# --- assessment -------------------------------------------------------------------------------
def available_years(index_code: str | None = None, scores: pd.DataFrame | None = None) -> list[int]:
    """Years with at least one score or rank (for one index or any)."""
    s = load_scores(include_indicators=False) if scores is None else scores
    if index_code:
        s = s[s.index_code == index_code]
    s = s[s.value.notna() | s["rank"].notna()]
    return sorted(int(y) for y in s.year.unique())


def assess(province: str | Province, year: int, *, base_year: int | None = None,
           indices: list[str] | None = None, context: Context | None = None) -> Profile:
    """The assessment profile of one province in one year (against ``base_year`` or the
    previous available year).

    >>> p = assess("Hưng Yên", 2022)
    >>> p.index("PAPI").rank, p.index("PAPI").rank_change
    (11, -6)
    """
    p = resolve(province, year=year)
    if context is None:
        context = context_for(year, base_year)
    elif context.year != year or context.base_year != base_year:
        raise ValueError("context was built for another year or base year")
    indices = list(indices or INDICES)
    results, missing = [], []
    for idx in indices:
        r = _index_result(context, p, idx)
        (results if r is not None else missing).append(r if r is not None else idx)
    caveats = _caveats(context, p, results, missing)
    remedies, whatif = _remedies(context, p, results)
    strengths, weaknesses = _strengths_weaknesses(results)
    before = _predecessor_results(context, p, indices)
    used = sorted({s for r in results for s in r.sources} | {b["source_id"] for b in before})
    src = context.sources.set_index("source_id")
    sources = [{"source_id": s, **src.loc[s].to_dict()} for s in used if s in src.index]
    return Profile(province=p, year=year, requested_base_year=base_year, unit_set=unit_set_for_year(year),
                   indices=results, missing_indices=missing, strengths=strengths, weaknesses=weaknesses,
                   remedies=remedies, whatif=whatif, caveats=caveats, sources=sources, predecessors=before)


def _predecessor_results(ctx: Context, p: Province, indices: list[str]) -> list[dict]:
    """The last result (up to 2024) of each pre-2025 province merged into a 34-unit province.

    Nothing is derived for the new unit itself: no publisher defines a pro-forma value for a
    merged province (DOMAIN §5.3), so the narrative reports the predecessors side by side.
    """
    if p.unit_set != "VN34" or not p.members:
        return []
    s = ctx.scores.reset_index()
    s = s[(s.measure == "TOTAL") & s.province_code.isin(p.members) & (s.year < ctx.year)
          & (s.value.notna() | s["rank"].notna()) & s.index_code.isin(indices)]
    out = []
    for (idx, code), g in s.sort_values("year").groupby(["index_code", "province_code"], sort=False):
        last = g.iloc[-1]
        old = resolve(code, unit_set="VN63")
        out.append({"index_code": idx, "province_code": code, "name_vi": old.name_vi, "name_en": old.name_en,
                    "type": old.type, "year": int(last.year), "value": _f(last.value), "rank": _i(last["rank"]),
                    "n_ranked": _i(last.n_ranked), "source_id": str(last.source_id)})
    order = {c: i for i, c in enumerate(INDICES)}
    return sorted(out, key=lambda d: (order.get(d["index_code"], 9), p.members.index(d["province_code"])))


def assess_many(provinces: list[str] | None, year: int, *, base_year: int | None = None,
                indices: list[str] | None = None) -> list[Profile]:
    """Profiles of many provinces (all of the year's unit set by default), sharing one context."""
    from parlib.data.registry import provinces as registry

    ctx = context_for(year, base_year)
    codes = provinces or list(registry(unit_set_for_year(year)).code)
    return [assess(c, year, base_year=base_year, indices=indices, context=ctx) for c in codes]


def _row(frame: pd.DataFrame, key: tuple) -> pd.Series | None:
    try:
        r = frame.loc[key]
    except KeyError:
        return None
    return r if isinstance(r, pd.Series) else r.iloc[0]


def _index_result(ctx: Context, p: Province, idx: str) -> IndexResult | None:
    key = (idx, ctx.year, p.code, "TOTAL")
    row = _row(ctx.rows, key)
    changes = ctx.changes[(ctx.changes.index_code == idx) & (ctx.changes.year == ctx.year)
                          & (ctx.changes.area_code == p.code)]
    no_level = row is None or (pd.isna(row.get("value")) and pd.isna(row.get("rank")))
    if no_level and changes.empty:
        return None
    d = _row(ctx.deltas, key)
    st = _row(ctx.streaks, key)
    per = period_of(idx, ctx.year)
    nat = _row(ctx.national, (idx, "TOTAL"))
    g = row if row is not None else pd.Series(dtype=object)

    def get(s, col, conv=_f):
        return conv(s[col]) if s is not None and col in s.index else None

    sources = {x for x in (get(row, "source_id", str), get(row, "rank_source_id", str)) if x}
    comps = _components(ctx, p, idx)
    res = IndexResult(
        index_code=idx, year=ctx.year, period=per["period"], decision=per["decision"],
        unit=DELTA_UNIT[idx], value=get(row, "value"), scale_max=_scale_max(idx, ctx.year),
        rank=get(row, "rank", _i), n_ranked=get(row, "n_ranked", _i),
        rank_basis=_s(g.get("rank_basis")), tied=bool(g.get("tied", False)),
        base_year=get(d, "base_year", _i), base_value=get(d, "base_value"), base_rank=get(d, "base_rank", _i),
        base_n_ranked=get(d, "base_n_ranked", _i), delta=get(d, "delta_pp"), pct_change=get(d, "pct_change"),
        rank_change=get(d, "rank_change", _i), fallback=bool(get(d, "fallback", bool) or False),
        crosses_break=bool(get(d, "crosses_break", bool) or False),
        unit_set_change=bool(get(d, "unit_set_change", bool) or False),
        national_avg=get(nat, "national_avg"), avg_basis=_s(nat.get("avg_basis")) if nat is not None else "",
        avg_source_id=_s(nat.get("avg_source_id")) if nat is not None else "",
        gap_national=get(row, "gap_national"), regional_avg=get(row, "regional_avg"),
        regional_basis=_s(g.get("regional_basis")), gap_regional=get(row, "gap_regional"),
        best_value=get(row, "best_value"), best_province_code=_s(g.get("best_province_code")),
        gap_best=get(row, "gap_best"), percentile=get(row, "percentile"),
        group=_s(g.get("group")), group_name_en=_s(g.get("group_name_en")),
        group_name_vi=_s(g.get("group_name_vi")),
        same_rank_streak=get(st, "same_rank_streak", _i) or 0, top_streak=get(st, "top_streak", _i) or 0,
        ci_low=get(row, "ci_low"), ci_high=get(row, "ci_high"), se=get(row, "se"),
        components=comps,
        published_changes=[PublishedChange(
            measure=c.measure, name_en=measure_name(idx, c.measure, ctx.year, "en"),
            name_vi=measure_name(idx, c.measure, ctx.year, "vi"), base_year=int(c.base_year),
            delta=_f(c.delta), rank_change=_i(c.rank_change), unit=c.unit, source_id=c.source_id, note=c.note)
            for c in changes.itertuples()],
    )
    if res.avg_source_id:
        sources.add(res.avg_source_id)
    sources |= {c.source_id for c in res.published_changes}
    base_row = _row(ctx.scores, (idx, res.base_year, p.code, "TOTAL")) if res.base_year else None
    if base_row is not None:
        sources |= {x for x in (base_row.get("source_id", ""), base_row.get("rank_source_id", "")) if x}
    res.sources = sorted(sources)
    _significance(ctx, p, res)
    return res


def _scale_max(idx: str, year: int) -> float | None:
    from parlib.data.indices import measures

    m = measures(idx, year)
    hit = m[m.measure == "TOTAL"]
    return _f(hit.scale_max.iloc[0]) if len(hit) else None


def _components(ctx: Context, p: Province, idx: str) -> list[Component]:
    rows = ctx.rows
    try:
        sub = rows.xs((idx, ctx.year, p.code), level=["index_code", "year", "province_code"])
    except KeyError:
        return []
    sub = sub[sub.level == "component"]
    out = []
    from parlib.data.indices import measures

    meta = measures(idx, ctx.year).set_index("measure")
    for m, r in sub.iterrows():
        if pd.isna(r.value) and pd.isna(r["rank"]):
            continue
        d = _row(ctx.deltas, (idx, ctx.year, p.code, m))
        out.append(Component(
            measure=m, name_en=measure_name(idx, m, ctx.year, "en"), name_vi=measure_name(idx, m, ctx.year, "vi"),
            value=_f(r.value), base_value=_f(d.base_value) if d is not None else None,
            delta=_f(d.delta_pp) if d is not None else None, rank=_i(r["rank"]), n_ranked=_i(r.n_ranked),
            base_rank=_i(d.base_rank) if d is not None else None,
            rank_change=_i(d.rank_change) if d is not None else None,
            national_avg=_f(r.get("national_avg")), gap_national=_f(r.get("gap_national")),
            best_value=_f(r.get("best_value")),
            scale_max=_f(meta.scale_max.get(m)) if m in meta.index else None))
    return out


# --- significance (PAPI 95 % bounds) -----------------------------------------------------------
def _significance(ctx: Context, p: Province, res: IndexResult) -> None:
    if res.se is None or res.value is None:
        return
    if res.national_avg is not None and res.gap_national is not None:
        res.gap_significant = abs(res.gap_national) > Z95 * res.se
    if res.base_year is not None and res.delta is not None:
        b = _row(ctx.scores, (res.index_code, res.base_year, p.code, "TOTAL"))
        base_se = _f(b["se"]) if b is not None else None
        if base_se is not None:
            res.change_significant = abs(res.delta) > Z95 * math.hypot(res.se, base_se)
    field_ = ctx.rows.xs((res.index_code, ctx.year, "TOTAL"), level=["index_code", "year", "measure"])
    field_ = field_[field_.ci_low.notna() & field_.ci_high.notna()]
    others = field_.drop(index=p.code, errors="ignore")
    if res.ci_low is not None and res.ci_high is not None and len(others):
        best = 1 + int((others.ci_low > res.ci_high).sum())
        worst = 1 + int((others.ci_high >= res.ci_low).sum())
        res.rank_range = (best, min(worst, len(field_)))


# --- strengths, weaknesses, remedies, what-if ---------------------------------------------------
def _strengths_weaknesses(results: list[IndexResult]) -> tuple[list[dict], list[dict]]:
    items = [{"index_code": r.index_code, "measure": c.measure, "name_en": c.name_en, "name_vi": c.name_vi,
              "value": c.value, "gap_national": c.gap_national, "rank": c.rank, "n_ranked": c.n_ranked,
              "delta": c.delta}
             for r in results for c in r.components if c.gap_national is not None]
    ordered = sorted(items, key=lambda x: x["gap_national"], reverse=True)
    strengths = [x for x in ordered if x["gap_national"] > 0][:3]
    weaknesses = [x for x in reversed(ordered) if x["gap_national"] < 0][:3]
    return strengths, weaknesses


def _rank_among(total: float, others: np.ndarray) -> int:
    """Competition rank of a total among the other provinces' totals (higher is better)."""
    return 1 + int((others > total + 1e-12).sum())


def _remedies(ctx: Context, p: Province, results: list[IndexResult]) -> tuple[list[Remedy], list[WhatIf]]:
    remedies, whatifs = [], []
    for r in results:
        comps = [c for c in r.components if c.value is not None]
        if not comps:
            continue
        totals = ctx.rows.xs((r.index_code, ctx.year, "TOTAL"), level=["index_code", "year", "measure"])
        others = totals.drop(index=p.code, errors="ignore").value.dropna().to_numpy()
        full_field = r.n_ranked is not None and len(others) + 1 >= r.n_ranked
        additive = (r.index_code in ADDITIVE and r.value is not None
                    and abs(sum(c.value for c in comps) - r.value) < 0.01 * max(1.0, r.value))
        for c in comps:
            gains = []
            if additive:
                targets = {"national_avg": c.national_avg, "previous": c.base_value, "best": c.best_value,
                           "max": c.scale_max}
                for scenario, target in targets.items():
                    if target is None or target <= c.value:
                        continue
                    new_total = r.value - c.value + target
                    rank_to = _rank_among(new_total, others) if full_field else None
                    whatifs.append(WhatIf(
                        index_code=r.index_code, measure=c.measure, name_en=c.name_en, name_vi=c.name_vi,
                        scenario=scenario, component_from=c.value, component_to=target, total_from=r.value,
                        total_to=new_total, rank_from=r.rank if full_field else None, rank_to=rank_to,
                        n_ranked=r.n_ranked if full_field else None))
                    if rank_to is not None and r.rank is not None and scenario != "max":
                        gains.append(r.rank - rank_to)
            lost = (c.base_value - c.value) if c.base_value is not None and c.base_value > c.value else None
            below = -c.gap_national if c.gap_national is not None and c.gap_national < 0 else None
            to_max = (c.scale_max - c.value) if c.scale_max is not None else None
            if lost is None and below is None:
                continue
            remedies.append(Remedy(index_code=r.index_code, measure=c.measure, name_en=c.name_en, name_vi=c.name_vi,
                                   value=c.value, points_lost=lost, gap_below_avg=below, distance_to_max=to_max,
                                   best_rank_gain=max(gains) if gains else None))
    remedies.sort(key=lambda m: (-(m.best_rank_gain or 0), -(m.gap_below_avg or 0), -(m.points_lost or 0)))
    for i, m in enumerate(remedies, 1):
        m.priority = i
    return remedies, whatifs


# --- caveats ----------------------------------------------------------------------------------
def _caveats(ctx: Context, p: Province, results: list[IndexResult], missing: list[str]) -> list[Caveat]:
    out = []
    for idx in missing:
        out.append(Caveat("index_missing", idx, {}))
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
            out.append(Caveat("break", r.index_code, {
                "base_year": r.base_year, "decision": now["decision"], "base_decision": then["decision"],
                "label_en": now["label_en"], "label_vi": now["label_vi"],
                "base_label_en": then["label_en"], "base_label_vi": then["label_vi"]}))
        if r.unit_set_change:
            out.append(Caveat("unit_set_change", r.index_code, {"base_year": r.base_year}))
        if r.rank_basis == "computed":
            out.append(Caveat("rank_computed", r.index_code, {"n": r.n_ranked}))
        if r.value is not None and r.national_avg is None:
            out.append(Caveat("no_average", r.index_code, {}))
        if r.avg_basis == "mean_of_provinces":
            out.append(Caveat("average_computed", r.index_code, {}))
        if not r.components and r.index_code in ("PAR", "SIPAS"):
            out.append(Caveat("components_missing", r.index_code,
                              {"published_changes": len(r.published_changes)}))
        if r.n_ranked is not None and unit_set_for_year(ctx.year) == "VN63" and r.n_ranked < 63:
            out.append(Caveat("partial_field", r.index_code, {"n": r.n_ranked}))
    conf = ctx.conflicts[(ctx.conflicts.area_code == p.code) & (ctx.conflicts.year == ctx.year)]
    for c in conf.itertuples():
        out.append(Caveat("conflict", c.index_code, {"field": c.field, "kept": c.kept_value, "other": c.other_value,
                                                     "kept_source_id": c.kept_source_id,
                                                     "other_source_id": c.other_source_id}))
    if unit_set_for_year(ctx.year) == "VN34":
        out.append(Caveat("vn34", "", {}))
    return out

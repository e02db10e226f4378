"""One province, one year: everything a report needs, as a structured profile.

``assess(province, year)`` computes, per index: score, rank/N, change on the base year, gaps to
the national and regional averages and to the best province, group, rank streak; per component:
value, base, delta, rank, gap to the national average; strengths and weaknesses; remedies ranked
by points lost, gap below the average and distance to the maximum; what-if totals and ranks for
additive indices; PAPI significance flags and plausible rank ranges; caveats; the sources used.

The profile holds numbers and codes only; :mod:`parlib.present.narrative` turns it into text.
"""

from __future__ import annotations

from dataclasses import asdict

import pandas as pd

from parlib.data.dataset import Dataset, load
from parlib.data.indices import (
    INDEX_NAMES,
    INDICES,
    breaks_between,
    display_name,
    index_facts,
    measure_name,
    period_of,
    publication_scope,
)
from parlib.data.registry import Province, unit_set_for_year
from parlib.data.registry import province as resolve
from parlib.data.registry import provinces as registry
from parlib.engine import uncertainty as unc
from parlib.engine.common import _f, _i, _row, _s
from parlib.engine.coverage import exclusion_of, field_record, total_change_comparability, written_rank
from parlib.engine.improvement import _drilldown, _plan, _targets, _themes
from parlib.engine.model import YearModel, _scale_max, model_for
from parlib.engine.priorities import _remedies, _strengths_weaknesses
from parlib.engine.results import (
    Caveat,
    Component,
    IndexResult,
    Profile,
    PublishedChange,
)
from parlib.engine.standing import _baseline, _formed_from, _regions, _trajectory


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
    strengths, weaknesses = _strengths_weaknesses(results)
    remedies, whatif = _remedies(context, p, results, strengths)
    own = {r.index_code for r in results}
    rows = _baseline(context, p, indices)
    baseline = [b for b in rows if b.index_code not in own]
    before = [asdict(b) for b in rows if b.index_code in own and b.status == "published"]
    used = sorted(
        {s for r in results for s in r.sources}
        | {x for b in rows for x in (b.source_id, b.scope_source_id) if x}
        | _caveat_sources(caveats)
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


def headline(province: str | Province, year: int, *, model: YearModel) -> Profile:
    """The headline slice of :func:`assess`: the index results and caveats (and their sources)
    only, every other section left empty. Everything a claim, a headline sentence or a caveat reads
    is identical to the full profile's; it costs a fraction (used to check every province-year)."""
    p = resolve(province, year=year)
    results, missing = [], []
    for idx in INDICES:
        r = _index_result(model, p, idx)
        (results if r is not None else missing).append(r if r is not None else idx)
    src = model.sources.set_index("source_id")
    caveats = _caveats(model, p, results, missing)
    used = sorted({s for r in results for s in r.sources} | _caveat_sources(caveats))
    return Profile(
        province=p,
        year=year,
        requested_base_year=model.base_year,
        unit_set=unit_set_for_year(year),
        indices=results,
        missing_indices=missing,
        strengths=[],
        weaknesses=[],
        remedies=[],
        whatif=[],
        caveats=caveats,
        sources=[{"source_id": s, **src.loc[s].to_dict()} for s in used if s in src.index],
        index_names=INDEX_NAMES,
    )


def _caveat_sources(caveats: list[Caveat]) -> set[str]:
    """The sources a caveat cites: a coverage record's, each reason a province was not ranked."""
    out = set()
    for c in caveats:
        out |= {str(v) for k, v in c.params.items() if k.endswith("source_id") and v}
        out |= {x.get("source_id", "") for x in c.params.get("reasons", [])}
    return out - {""}


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


def _published_changes(m: YearModel) -> dict[tuple, pd.DataFrame]:
    """The year's published changes per (index, province), grouped once per model."""

    def make():
        c = m.changes[m.changes.year == m.year]
        return {(str(i), str(a)): g for (i, a), g in c.groupby(["index_code", "area_code"])}

    return m.memo("published_changes", make)


def _get(m: YearModel, table: str, key: tuple):
    """A row of one of the model's keyed tables, or None."""
    return m.lookup(table).get(key)


def _index_result(ctx: YearModel, p: Province, idx: str) -> IndexResult | None:
    key = (idx, ctx.year, p.code, "TOTAL")
    row = _get(ctx, "rows", key)
    changes = _published_changes(ctx).get((idx, p.code), ctx.changes.iloc[0:0])
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
        unit=index_facts(idx).delta_unit,
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
        res.base_source_id = _s(base_row.get("source_id", "")) or _s(base_row.get("rank_source_id", ""))
    res.source_id = _s(get(row, "source_id", str))
    res.rank_source_id = _s(get(row, "rank_source_id", str)) or (res.source_id if res.rank is not None else "")
    res.sources = sorted(sources)
    if d is not None and bool(d.get("scale_break", False)) and res.delta is not None:
        base_max = _scale_max(idx, res.base_year)
        if base_max != res.scale_max:
            # totals on different scales (PAPI out of 60 to 2017, out of 80 from 2018): no difference
            res.scale_changed, res.base_scale_max = True, base_max
        res.delta = res.pct_change = res.change_significant = None
    _like_for_like(ctx, p, res)
    _evidence(ctx, p, res)
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


def _evidence(m: YearModel, p: Province, r: IndexResult) -> None:
    """The coverage records behind the result and whether its score change is comparable.

    The denominator becomes the publisher's field (``meta/fields.csv``), never the count of rows at
    hand; the total's change is withheld when any part's change is (a rescaled dimension), or when
    the comparison crosses two or more methodology changes, and the reason is kept."""
    r.coverage = field_record(m, r.index_code, r.year)
    r.base_coverage = field_record(m, r.index_code, r.base_year)
    if r.rank is not None:
        r.written = written_rank(m, r.index_code, r.year, p.code)
    if r.coverage is not None and r.coverage.n_ranked is not None and r.rank is not None:
        r.n_ranked = r.coverage.n_ranked
    if r.base_coverage is not None and r.base_coverage.n_ranked is not None and r.base_rank is not None:
        r.base_n_ranked = r.base_coverage.n_ranked
    used = set()
    for f in (r.coverage, r.base_coverage):
        if f is not None:
            # the source of the denominator, and of every reason a province was left out
            used |= {f.source_id} | {x.source_id for e in f.excluded for x in e.reasons}
    if r.written is not None:
        used.add(r.written.source_id)
    r.sources = sorted(set(r.sources) | (used - {""}))
    if r.base_year is None:
        return
    r.breaks_crossed = breaks_between(r.index_code, r.base_year, r.year)
    if r.value is None or r.base_value is None:
        return  # no score change could be stated: nothing to withhold
    why, parts = total_change_comparability(r.index_code, r.base_year, r.year)
    if r.scale_changed:
        why = "total_scale"
    elif why == "total_scale":
        why = "parts_changed"  # the same maximum, another set of component areas
    r.change_not_comparable, r.not_comparable_parts = why, list(parts)
    if r.change_not_comparable:
        r.delta = r.pct_change = r.change_significant = None


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
                source_id=_s(r.get("source_id")),
                rank_source_id=_s(r.get("rank_source_id")),
            )
        )
    return out


# --- significance (PAPI's published bounds, at the level read from the data) ---------------------
def _significance(ctx: YearModel, p: Province, res: IndexResult) -> None:
    if res.se is None or res.value is None:
        return
    z = ctx.memo(("interval_z", res.index_code), lambda: unc.interval_z(ctx.scores, res.index_code, ctx.year))
    if z is None:
        return  # a standard error without published bounds: the level is unknown, nothing is tested
    res.ci_z, res.ci_level = z, unc.level_of(z)
    res.margin = unc.half_width(res.ci_low, res.ci_high)
    if res.national_avg is not None and res.gap_national is not None:
        res.gap_significant = abs(res.gap_national) > z * res.se
    if res.base_year is not None and res.delta is not None:
        b = _row(ctx.scores, (res.index_code, res.base_year, p.code, "TOTAL"))
        base_se = _f(b["se"]) if b is not None else None
        if base_se is not None:
            res.change_significant = abs(res.delta) > unc.diff_margin(z, res.se, base_se)
    field_ = ctx.totals(res.index_code)
    others = field_[field_["rank"].notna() & field_.value.notna()].drop(index=p.code, errors="ignore")
    if res.n_ranked is not None and res.rank is not None:
        res.rank_range, res.rank_range_untested = unc.rank_range(res.value, res.se, others, res.n_ranked, z)


# --- strengths, weaknesses, remedies, what-if ---------------------------------------------------
#: The strength/weakness rule (see :func:`_strengths_weaknesses`).
def _missing_reason(m: YearModel, p: Province, idx: str) -> dict:
    """Why an index has no figure for the province-year, as far as the records say.

    - "not_ranked": a coverage record says the publisher did not score or rank it (the reason and
      its sources are in ``reasons``);
    - "top_n_not_held": the publisher printed only its leaders that year (PCI from 2023: top 30)
      and parlib holds ``n`` of them: the province is outside them or its figure is not in parlib's
      data; which of the two is not known, so neither is stated;
    - "no_year": the index has no result of that year in parlib's data;
    - "not_in_data": the publisher ranked ``n_ranked`` provinces, parlib holds ``n``.
    """

    def field_size():
        rows = m.rows.reset_index()
        rows = rows[(rows.index_code == idx) & (rows.measure == "TOTAL") & (rows.value.notna() | rows["rank"].notna())]
        return int(rows.province_code.nunique())

    n = m.memo(("field_size", idx), field_size)
    cov = field_record(m, idx, m.year)
    ex = exclusion_of(cov, p.code)
    if ex is not None:
        return {
            "reason": "not_ranked",
            "n": cov.n_ranked,
            "units": cov.n_units,
            "reasons": [asdict(x) for x in ex.reasons],
            "source_id": cov.source_id,
        }
    scope = publication_scope(idx, m.year)
    if scope:
        return {
            "reason": "top_n_not_held",
            "scope": scope.get("scope", ""),
            "n_published": _i(scope.get("n_published")),
            "n": n,
            "source_id": scope.get("source_id", ""),
        }
    if n == 0:
        years = [y for y in m.dataset.years(idx) if y < m.year]
        return {"reason": "no_year", "last_year": years[-1] if years else None}
    return {"reason": "not_in_data", "n": n, "n_ranked": cov.n_ranked if cov is not None else None}


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
            # the years skipped: a coverage record may say why the province has no figure in them
            skipped = range(r.base_year + 1, ctx.year) if r.base_year is not None else range(0)
            gaps = [(y, exclusion_of(field_record(ctx, r.index_code, y), p.code)) for y in skipped]
            reasons = [{"year": y, **asdict(x)} for y, e in gaps if e is not None for x in e.reasons[:1]]
            out.append(Caveat("fallback", r.index_code, {"base_year": r.base_year, "reasons": reasons}))
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
        if not r.components and index_facts(r.index_code).component_tables == "image":
            out.append(Caveat("components_missing", r.index_code, {"published_changes": len(r.published_changes)}))
        if r.coverage is not None and r.coverage.partial and r.rank is None:
            # with a rank, the headline states the field, who was left out and why
            out.append(
                Caveat(
                    "partial_field",
                    r.index_code,
                    {"n": r.coverage.n_ranked, "units": r.coverage.n_units, "source_id": r.coverage.source_id},
                )
            )
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

"""Where a province stands beyond its own scores: its rank over the years, its region, and, for a
unit formed by the 2025 merger, the same-year baseline of the provinces that formed it."""

from __future__ import annotations

from parlib.data.indices import (
    periods,
    publication_scope,
)
from parlib.data.registry import MERGER_YEAR, Province
from parlib.data.registry import province as resolve
from parlib.data.registry import provinces as registry
from parlib.engine.common import _f, _i, _row, _s
from parlib.engine.model import YearModel, _scale_max
from parlib.engine.results import (
    BaselineRow,
    Break,
    IndexResult,
    RankLine,
    RegionMember,
    RegionView,
)


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
        # the publisher printed only its leaders: the province is outside them or its printed
        # figure is not in parlib's data; which, no record says
        status = "top_n_not_held" if scope else "not_in_data"
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
        scope_source_id=_s(scope.get("source_id")) if scope and status == "top_n_not_held" else "",
        n_published=_i(scope.get("n_published")) if scope else None,
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

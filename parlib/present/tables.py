"""Display tables of a province report: pandas DataFrames of formatted strings, in the report's language.

Every function returns a new DataFrame whose cells are already formatted for reading (units,
decimal comma in Vietnamese, "—" for a missing figure) and whose column names are in the
requested language. No figure is computed here that :mod:`parlib.engine.profile` or
:mod:`parlib.engine.deltas` does not provide; the tables only arrange and word them. Notes a reader
needs (a partial field, a methodology break) are in ``df.attrs["note"]``. No HTML is built:
the notebooks display the DataFrames and pandas escapes the cell text. The cells' wording is in
:mod:`parlib.present.table_cells`; the overview's tables in :mod:`parlib.present.overview_tables`, the
annexes' (targets, drill-down, plan) in :mod:`parlib.present.annex_tables`.

>>> scenario_name("national_avg", "vi")
'trung bình toàn quốc'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from parlib._words import localized
from parlib.present import fmt

# The overview's and the annexes' tables live in their own modules; their names stay importable here.
from parlib.present.annex_tables import drilldown_tables, plan_table, targets_table  # noqa: F401
from parlib.present.catalogue import (
    BASELINE,
    CHART,
    KINDS,
    PAGE,
    PARAM_NAMES,
    PRIORITY,
    index_label,
    plural,
    scenario_name,
    word,
)
from parlib.present.catalogue import TABLE as T
from parlib.present.narrative import baseline_cell, caveat_text
from parlib.present.overview_tables import cross_index_table, movers, ranking_table, regional_averages  # noqa: F401
from parlib.present.table_cells import (
    DASH,
    _avg_cell,
    _change_cell,
    _check_lang,
    _gap_cell,
    _group_cell,
    _num,
    _rank,
    _rank_change_cell,
    _score_cell,
    _signed,
    _signed_words,
    _unit,
    component_label,
)

if TYPE_CHECKING:
    from parlib.engine.results import IndexResult, Profile


__all__ = [
    "scorecard",
    "components_table",
    "remedies_table",
    "whatif_table",
    "caveats_list",
    "caveats_table",
    "sources_table",
    "provenance_table",
    "ranking_table",
    "movers",
    "regional_averages",
    "cross_index_table",
    "component_label",
]


def results_table(profile: Profile, lang: str = "en") -> pd.DataFrame:
    """The scorecard's columns an official quotes: index, score, rank over the published field, base
    year, change in score (or "not comparable"), change in rank, group (the brief, and the one-screen
    summary at the top of the full report)."""
    t = _check_lang(lang)
    df = scorecard(profile, lang)
    out = df[[t[k] for k in ("index", "score", "rank", "base_year", "change", "rank_change", "group")]].copy()
    out.attrs = dict(df.attrs)
    return out


def scorecard(profile: Profile, lang: str = "en", *, include_missing: bool = False) -> pd.DataFrame:
    """One row per index of the profile: score, rank/N, change on the base year (score and rank),
    gap to the national average, the average with its basis, and the group.

    Missing figures are "—". A change that crosses a methodology break is marked "†" and
    explained in ``df.attrs["note"]``. ``include_missing`` adds a row of "—" for each index
    without data for the province-year.
    """
    t = _check_lang(lang)
    rows, marked = [], False
    for r in profile.indices:
        mark = bool(r.crosses_break and r.base_year is not None and (r.delta is not None or r.rank_change is not None))
        marked |= mark
        rows.append(
            {
                t["index"]: index_label(profile.index_names, r.index_code, lang),
                t["score"]: _score_cell(r, lang),
                t["rank"]: _rank(r.rank, r.n_ranked, lang, r.tied)
                + (t["computed"] if r.rank is not None and r.rank_basis == "computed" else ""),
                t["base_year"]: DASH if r.base_year is None else str(r.base_year),
                t["change"]: t["not_comparable"]
                if r.change_not_comparable
                else _change_cell(r.delta, r.unit, lang, mark and r.delta is not None),
                t["rank_change"]: _rank_change_cell(
                    r.rank_change, lang, r.base_rank, r.base_n_ranked, mark and r.rank_change is not None
                ),
                t["gap"]: _gap_cell(r.gap_national, r.unit, lang),
                t["national_avg"]: _avg_cell(r, lang),
                t["group"]: _group_cell(r, lang),
            }
        )
    if include_missing:
        for idx in profile.missing_indices:
            rows.append({t["index"]: index_label(profile.index_names, idx, lang)})
    cols = [
        t[k] for k in ("index", "score", "rank", "base_year", "change", "rank_change", "gap", "national_avg", "group")
    ]
    df = pd.DataFrame(rows, columns=cols).fillna(DASH)
    if marked:
        df.attrs["note"] = t["break_note"]
    return df


def baseline_table(profile: Profile, lang: str = "en") -> pd.DataFrame:
    """The baseline of a 34-unit province, scorecard-like: one row per index and former province,
    in the index's latest year before the merger (the same year for every former province of an
    index), with its score and rank as published, or why it has none. Empty for other profiles."""
    _check_lang(lang)
    w = BASELINE[lang]
    rows = []
    for b in profile.baseline:
        kind = w["city" if b.type == "city" else "province"]
        rows.append(
            {
                w["col_index"]: index_label(profile.index_names, b.index_code, lang),
                w["col_year"]: str(b.year),
                w["col_province"]: f"{localized(b, 'name', lang)} ({kind})",
                w["col_score"]: fmt.score(b.value, b.index_code, lang) if b.value is not None else DASH,
                w["col_rank"]: (
                    fmt.rank_of(b.rank, b.n_ranked, lang) + (T[lang]["computed"] if b.rank_basis == "computed" else "")
                )
                if b.rank is not None
                else DASH,
                w["col_note"]: DASH if b.status == "published" else baseline_cell(b, lang),
                w["col_source"]: b.source_id or b.scope_source_id or DASH,
            }
        )
    cols = [w[k] for k in ("col_index", "col_year", "col_province", "col_score", "col_rank", "col_note", "col_source")]
    df = pd.DataFrame(rows, columns=cols)
    if len(df):
        df.attrs["note"] = w["table_note"]
    return df


def _result(profile: Profile, index_code: str) -> IndexResult | None:
    return profile.index(index_code)


def components_table(profile: Profile, index_code: str, lang: str = "en") -> pd.DataFrame:
    """The components of one index: score this year and in the base year, change, rank/N,
    rank change, national average and gap (in the components' unit).

    When the index has no component levels but has published changes (e.g. Hưng Yên's PAR
    INDEX 2022), a table of those changes with their source and a "published change" column.
    An empty DataFrame when there is neither (the narrative says what is missing).
    """
    t = _check_lang(lang)
    r = _result(profile, index_code)
    if r is None:
        return pd.DataFrame()
    comps = [c for c in r.components if c.value is not None or c.rank is not None]
    if comps:
        unit = _unit("points", lang)
        base = r.base_year if r.base_year is not None else DASH
        cols = [
            t["component"],
            t["value"].format(year=r.year),
            t["base_value"].format(base=base),
            t["delta"].format(unit=unit),
            t["rank_y"].format(year=r.year),
            t["rank_change"],
            t["national_avg"],
            t["comp_gap"].format(unit=unit),
        ]
        rows = []
        for c in comps:
            rows.append(
                [
                    component_label(index_code, c.measure, c.name_en, c.name_vi, lang),
                    _num(c.value, lang),
                    _num(c.base_value, lang),
                    CHART[lang]["not_compared"] if c.change_withheld else _signed(c.delta, lang),
                    _rank(c.rank, c.n_ranked, lang),
                    _rank_change_cell(c.rank_change, lang),
                    _num(c.national_avg, lang),
                    _signed(c.gap_national, lang),
                ]
            )
        df = pd.DataFrame(rows, columns=cols)
        if r.crosses_break and r.base_year is not None:
            df.attrs["note"] = t["break_note"].lstrip("† ")
        return df
    if r.published_changes:
        pc = r.published_changes
        base = pc[0].base_year
        with_rank = any(c.rank_change is not None for c in pc)
        cols = (
            [t["component"], t["published_change"].format(base=base)]
            + ([t["rank_change"]] if with_rank else [])
            + [t["kind"], t["source"]]
        )
        rows = []
        for c in pc:
            pp = c.unit == "percentage points"
            if c.delta is None:
                change = DASH
            else:
                change = _signed_words("table.published", c.delta, "pp" if pp else "points", lang, trim=True)
            kind = t["kind_published"] if pp else t["kind_published_points"].format(unit=c.unit)
            row = [component_label(index_code, c.measure, c.name_en, c.name_vi, lang), change]
            if with_rank:
                row.append(_rank_change_cell(c.rank_change, lang))
            rows.append(row + [kind, c.source_id])
        df = pd.DataFrame(rows, columns=cols)
        brk = next((c for c in profile.caveats if c.code == "break" and c.index_code == index_code), None)
        if brk is not None:  # e.g. Hưng Yên PAR 2021 → 2022: 1150/QĐ-BNV → 876/QĐ-BNV
            df.attrs["note"] = caveat_text(brk, lang)
        return df
    return pd.DataFrame()


def remedies_table(profile: Profile, lang: str = "en", limit: int | None = None) -> pd.DataFrame:
    """Priority components (``profile.remedies``, in priority order): the evidence (level, or a
    published change with no level in the data), whether it is a weakness, rank, score, points lost
    since the base year, distance below the national average and to the maximum, the published
    change, and the best what-if rank gain (levels only)."""
    t = _check_lang(lang)
    w = PRIORITY[lang]
    bases = sorted({r.base_year for r in profile.indices if r.base_year is not None and r.components})
    lost = t["points_lost"].format(base=bases[0]) if len(bases) == 1 else t["points_lost_any"]
    cols = [
        t["priority"],
        t["index"],
        t["component"],
        w["basis"],
        w["weakness_col"],
        t["rank"],
        t["score"],
        lost,
        t["below_avg"],
        t["to_max"],
        w["published_col"],
        t["rank_gain"],
    ]
    rows = []
    for m in profile.remedies[:limit]:
        gain = (
            DASH
            if m.best_rank_gain is None
            else (
                t["none"]
                if m.best_rank_gain <= 0
                else plural("table.upto", m.best_rank_gain, lang).format(n=m.best_rank_gain)
            )
        )
        published = DASH
        if m.basis == "published_change":
            parts = []
            if m.published_delta is not None:
                parts.append(
                    _change_cell(m.published_delta, "pp" if m.published_unit == "percentage points" else "points", lang)
                )
            if m.published_rank_change is not None:
                parts.append(_rank_change_cell(m.published_rank_change, lang))
            published = f"{', '.join(parts)} ({m.base_year}; {m.source_id})" if parts else DASH
        rows.append(
            [
                str(m.priority),
                index_label(profile.index_names, m.index_code, lang),
                component_label(m.index_code, m.measure, m.name_en, m.name_vi, lang),
                w["basis_" + m.basis],
                "✓" if m.tier == 1 else DASH,
                _rank(m.rank, m.n_ranked, lang),
                _num(m.value, lang),
                _num(m.points_lost, lang),
                _num(m.gap_below_avg, lang),
                _num(m.distance_to_max, lang),
                published,
                gain,
            ]
        )
    return pd.DataFrame(rows, columns=cols)


def whatif_table(
    profile: Profile, lang: str = "en", *, index_code: str | None = None, scenarios: tuple[str, ...] | None = None
) -> pd.DataFrame:
    """What the index total and rank would be if one component reached a target (national
    average, its own previous value, the best province, the maximum); one row per scenario."""
    t = _check_lang(lang)
    cols = [t["index"], t["component"], t["scenario"], t["comp_from_to"], t["total_from_to"], t["rank_from_to"]]
    rows = []
    for w in profile.whatif:
        if index_code is not None and w.index_code != index_code:
            continue
        if scenarios is not None and w.scenario not in scenarios:
            continue
        if w.rank_from is None or w.rank_to is None:
            ranks = DASH
        else:
            ranks = word(
                "table.ranks_from_to",
                lang,
                rank_from=fmt.ordinal(w.rank_from, lang),
                rank_to=fmt.ordinal(w.rank_to, lang),
                n=w.n_ranked,
            )
        rows.append(
            [
                index_label(profile.index_names, w.index_code, lang),
                component_label(w.index_code, w.measure, w.name_en, w.name_vi, lang),
                scenario_name(w.scenario, lang),
                f"{_num(w.component_from, lang)} → {_num(w.component_to, lang)}",
                f"{_num(w.total_from, lang)} → {_num(w.total_to, lang)}",
                ranks,
            ]
        )
    return pd.DataFrame(rows, columns=cols)


def caveats_list(profile: Profile, lang: str = "en") -> list[str]:
    """The profile's caveats in words (:func:`parlib.present.narrative.caveat_text`)."""
    _check_lang(lang)
    return [caveat_text(c, lang) for c in profile.caveats]


def caveats_table(profile: Profile, lang: str = "en") -> pd.DataFrame:
    """The caveats as a one-column table."""
    t = _check_lang(lang)
    return pd.DataFrame({t["caveat"]: caveats_list(profile, lang)})


def sources_table(profile: Profile, lang: str = "en") -> pd.DataFrame:
    """Every source the profile's figures come from: id, producer, title, address, kind, accessed,
    licence (producer, title and licence as recorded, in the source's language)."""
    t = _check_lang(lang)
    cols = [t["source_id"], t["producer"], t["title"], t["address"], t["kind"], t["accessed"], t["licence"]]
    rows = []
    for s in profile.sources:
        kind = str(s.get("kind", "") or "")
        title = s.get("title") or PAGE[lang]["title_not_recorded"]
        rows.append(
            [
                s["source_id"],
                s.get("producer") or DASH,
                title,
                s.get("url") or DASH,
                KINDS[lang].get(kind, kind or DASH),
                s.get("accessed") or DASH,
                s.get("licence") or DASH,
            ]
        )
    return pd.DataFrame(rows, columns=cols)


def provenance_table(params: dict, provenance, lang: str = "en", generated_at: str | None = None) -> pd.DataFrame:
    """What a report was built from: parlib version, the notebook parameters, when it was
    generated (passed in by the caller, so the table itself is reproducible) and every data file
    of the profile's or overview's ``provenance`` with the first 12 characters of its sha256."""
    from parlib._version import __version__

    t = _check_lang(lang)
    w = PAGE[lang]
    rows = [["parlib", __version__]]
    params = dict(params or {})
    generated_at = generated_at or params.pop("generated_at", None)
    for k, v in params.items():
        label = PARAM_NAMES[lang].get(k, k)
        if k in ("base_year", "indices", "data_dir") and not v:  # the defaults, in words ("0" means "previous")
            v = w["default_" + k]
        rows.append([w["param"] + label, DASH if v is None else str(v)])
    rows.append([w["generated_at"], generated_at or DASH])
    for f in provenance:
        if f.kind == "imported":
            rows.append([f"{w['imported']}: {f.file}", f"sha256 {f.sha256[:12]}"])
        else:
            rows.append(
                [
                    f"data/{f.file}",
                    f"sha256 {f.sha256[:12]} · {f.rows} {w['rows']}" if f.rows else f"sha256 {f.sha256[:12]}",
                ]
            )
    return pd.DataFrame(rows, columns=[t["item"], t["detail"]])

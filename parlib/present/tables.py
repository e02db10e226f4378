"""Display tables for the reports: pandas DataFrames of formatted strings, in English or Vietnamese.

Every function returns a new DataFrame whose cells are already formatted for reading (units,
decimal comma in Vietnamese, "—" for a missing figure) and whose column names are in the
requested language. No figure is computed here that :mod:`parlib.engine.profile` or
:mod:`parlib.engine.deltas` does not provide; the tables only arrange and word them. Notes a reader
needs (a partial field, a methodology break) are in ``df.attrs["note"]``. No HTML is built:
the notebooks display the DataFrames and pandas escapes the cell text.

>>> scenario_name("national_avg", "vi")
'trung bình toàn quốc'
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pandas as pd

from parlib._vocab import index_facts
from parlib._words import localized
from parlib.present import evidence, fmt
from parlib.present.catalogue import (
    BASELINE,
    CHART,
    KINDS,
    PAGE,
    PARAM_NAMES,
    PRIORITY,
    check_lang,
    group_name,
    index_label,
    plural,
    scenario_name,
    word,
)
from parlib.present.catalogue import TABLE as T
from parlib.present.narrative import baseline_cell, caveat_text, change_words

if TYPE_CHECKING:
    from parlib.engine.results import IndexResult, Overview, Profile

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

DASH = fmt.DASH
BREAK_MARK = "†"


def _check_lang(lang: str) -> dict:
    return T[check_lang(lang)]


def _missing(x) -> bool:
    return fmt.is_missing(x)


def _num(x, lang: str, decimals: int = 2) -> str:
    return DASH if _missing(x) else fmt.number(x, lang, decimals)


def _signed(x, lang: str, decimals: int = 2) -> str:
    return DASH if _missing(x) else fmt.signed(x, lang, decimals)


def _rank(rank, n, lang: str, tied: bool = False) -> str:
    if _missing(rank):
        return DASH
    return fmt.rank_of(int(rank), None if _missing(n) else int(n), lang) + (T[lang]["tied"] if tied else "")


def _unit(unit: str, lang: str) -> str:
    """'percentage points' / '%' for pp; 'points' / 'điểm' otherwise."""
    return T[lang]["pp" if unit == "pp" else "points"]


def component_label(index_code: str, measure: str, name_en: str, name_vi: str, lang: str = "en") -> str:
    """A short component name: numbering and footnote marks dropped, ``D<n>`` components numbered
    where the index numbers them (``numbered_components``: PAPI's dimensions).

    >>> component_label("PAPI", "D8", "Dimension 8: E-Governance", "Chỉ số nội dung 8: Quản trị điện tử", "vi")
    '8. Quản trị điện tử'
    """
    name = localized({"name_en": name_en, "name_vi": name_vi}, "name", lang) or name_en or name_vi or measure
    short = name.split(": ", 1)[-1].rstrip("*").strip()
    m = re.fullmatch(r"D(\d+)", str(measure))
    return f"{m.group(1)}. {short}" if m and index_facts(index_code).numbered_components else short


# --- one province ------------------------------------------------------------------------------
def _score_cell(r: IndexResult, lang: str) -> str:
    if r.value is None:
        return DASH
    if index_facts(r.index_code).percent:
        return fmt.score(r.value, r.index_code, lang)
    tail = f"/{fmt.number(r.scale_max, lang, 0)}" if r.scale_max else ""
    return f"{fmt.number(r.value, lang)}{tail} {T[lang]['points']}"


def _change_cell(delta, unit: str, lang: str, mark: bool = False) -> str:
    if _missing(delta):
        return DASH
    return _signed_words("table.change", delta, unit, lang) + (f" {BREAK_MARK}" if mark else "")


def _signed_words(prefix: str, delta: float, unit: str, lang: str, trim: bool = False) -> str:
    """A signed amount as the language writes it in a table: '+2.65 percentage points' / 'tăng 2,65%'
    (``<prefix>.up_pp``, ``.down_points``, ``.none_pp`` … of the catalogues)."""
    n = fmt.number(abs(delta), lang)
    if trim:
        n = n.rstrip("0").rstrip(fmt.decimal_symbol(lang))
    side = "up" if delta > 0 else "down" if delta < 0 else "none"
    return word(f"{prefix}.{side}_{'pp' if unit == 'pp' else 'points'}", lang, n=n)


def _rank_change_cell(change, lang: str, base_rank=None, base_n=None, mark: bool = False) -> str:
    if _missing(change):
        return DASH
    t = T[lang]
    change = int(change)
    n = abs(change)
    key = "table.up_places" if change > 0 else "table.down_places" if change < 0 else "table.same_place"
    text = plural(key, n, lang).format(n=n)
    if change != 0 and not _missing(base_rank):
        text += t["from_rank"].format(r=_rank(base_rank, base_n, lang))
    return text + (f" {BREAK_MARK}" if mark else "")


def _gap_cell(gap, unit: str, lang: str) -> str:
    if _missing(gap):
        return DASH
    return _signed_words("table.gap", gap, unit, lang)


def _avg_cell(r: IndexResult, lang: str) -> str:
    if r.national_avg is None:
        return DASH
    basis = T[lang].get(r.avg_basis, "") if r.avg_basis else ""
    return fmt.score(r.national_avg, r.index_code, lang) + (f" ({basis})" if basis else "")


def _group_cell(r: IndexResult, lang: str) -> str:
    if not r.group:
        return DASH
    name = group_name(r.index_code, r.group, lang)
    if index_facts(r.index_code).group_scheme == "papi_quartile":
        return word("table.quartile_group", lang, name=name, group=r.group)
    return name or r.group


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


# --- national overview ------------------------------------------------------------------------
def _row_name(r, lang: str) -> str:
    return localized(r, "name", lang)


def _score_text(value, index_code: str, lang: str) -> str:
    if _missing(value):
        return DASH
    return fmt.score(value, index_code, lang) if index_facts(index_code).percent else fmt.number(value, lang)


def ranking_table(overview: Overview, index_code: str, lang: str = "en") -> pd.DataFrame:
    """All provinces with a score or a rank, best first: rank/N, province, score, change in score
    and rank on the previous available year, group — the rows of ``overview.index(index_code)``.

    When only some provinces are in the data (PAR INDEX, SIPAS), ``df.attrs["note"]`` says the
    table is partial (ranks stay the published national ranks).
    """
    t = _check_lang(lang)
    o = overview.index(index_code)
    cols = [t["rank"], t["province"], t["score"], t["change"], t["rank_change"], t["group"]]
    if o is None:
        return pd.DataFrame(columns=cols)
    out, marked, fallback = [], False, False
    for r in o.rows:
        cross = r.crosses_break
        marked |= cross and (r.delta is not None or r.rank_change is not None)
        change = _change_cell(r.delta, o.unit, lang, cross and r.delta is not None)
        if r.fallback and r.delta is not None:
            fallback = True
            change += f" ({PAGE[lang]['vs']} {r.base_year})"
        name = group_name(index_code, r.group, lang)
        quartile = index_facts(index_code).group_scheme == "papi_quartile"
        group = (f"{name} ({r.group})" if quartile else name or DASH) if r.group else DASH
        out.append(
            [
                _rank(r.rank, r.n_ranked, lang, r.tied),
                _row_name(r, lang),
                _score_text(r.value, index_code, lang),
                change,
                _rank_change_cell(r.rank_change, lang, mark=cross and r.rank_change is not None),
                group,
            ]
        )
    df = pd.DataFrame(out, columns=cols)
    notes = []
    if 0 < len(df) < o.n_expected:
        notes.append(
            PAGE[lang]["partial_table"].format(
                n=len(df),
                expected=o.n_expected,
                index=index_label(overview.index_names, index_code, lang),
                year=overview.year,
                n_val=o.n_with_value,
            )
        )
    if marked:
        notes.append(t["break_note"])
    if fallback:
        notes.append(PAGE[lang]["fallback_note"])
    notes += [x for x in (evidence.overview_field_sentence(o, lang), evidence.overview_change_sentence(o, lang)) if x]
    if notes:
        df.attrs["note"] = " ".join(notes)
    df.attrs["n_provinces"] = len(df)
    df.attrs["n_expected"] = o.n_expected
    return df


def movers(overview: Overview, index_code: str, lang: str = "en") -> tuple[pd.DataFrame, pd.DataFrame]:
    """The provinces that rose and fell most in rank, among comparable changes only (the
    overview's ``up`` and ``down``). Both are empty, with ``attrs["note"]`` saying why, when no
    change is comparable."""
    t = _check_lang(lang)
    o = overview.index(index_code)
    cols = [t["province"], t["rank_from_to"], t["rank_change"], t["change"]]

    def frame(rows) -> pd.DataFrame:
        return pd.DataFrame(
            [
                [
                    _row_name(r, lang),
                    f"{_rank(r.base_rank, r.base_n_ranked, lang)} → {_rank(r.rank, r.n_ranked, lang)}",
                    _rank_change_cell(r.rank_change, lang),
                    _change_cell(r.delta, o.unit, lang),
                ]
                for r in rows
            ],
            columns=cols,
        )

    if o is None:
        return pd.DataFrame(columns=cols), pd.DataFrame(columns=cols)
    up, down = frame(o.up), frame(o.down)
    if o.movers_reason:
        key = "no_movers_break" if o.movers_reason == "all_cross_break" else "no_movers_none"
        up.attrs["note"] = down.attrs["note"] = PAGE[lang][key].format(
            index=index_label(overview.index_names, index_code, lang), year=overview.year
        )
    return up, down


def regional_averages(overview: Overview, lang: str = "en") -> pd.DataFrame:
    """Per region (and the whole country) and index: the average the narrative and the charts use
    with its basis and source, the mean of the provinces with a score and how many they are out
    of the area's, and the published mean where there is one (``overview.regional``)."""
    t = _check_lang(lang)
    rows = []
    for r in overview.regional:
        basis = T[lang].get(r.basis, "") if r.basis else ""
        avg = DASH if r.average is None else fmt.score(r.average, r.index_code, lang) + (f" ({basis})" if basis else "")
        pub = (
            DASH
            if r.published_mean is None
            else fmt.score(r.published_mean, r.index_code, lang)
            + (f" ({t['published']}: {r.source_id})" if r.source_id else "")
        )
        rows.append(
            [
                T[lang]["vietnam"] if r.area_code == "VN" else _row_name(r, lang),
                index_label(overview.index_names, r.index_code, lang),
                avg,
                DASH if r.mean_of_provinces is None else fmt.score(r.mean_of_provinces, r.index_code, lang),
                f"{r.n_with_value}/{r.n_units}",
                pub,
            ]
        )
    df = pd.DataFrame(
        rows, columns=[t["region"], t["index"], t["average_used"], t["mean_prov"], t["n_prov"], t["published_mean"]]
    )
    df.attrs["note"] = PAGE[lang]["regional_note"]
    return df


def cross_index_table(overview: Overview, lang: str = "en") -> pd.DataFrame:
    """Wide display table: one row per province with any index total, one column per index of the
    overview, "—" where a province has no score; provinces in alphabetical order."""
    from parlib._text import fold

    t = _check_lang(lang)
    values: dict[str, dict[str, float]] = {}
    for o in overview.indices:
        for r in o.rows:
            if r.value is not None:
                values.setdefault(r.province_code, {})[o.index_code] = r.value
    pairs = {c: overview.names.get(c, (c, c)) for c in values}  # code → (name_en, name_vi)
    names = {c: localized({"name_en": en, "name_vi": vi}, "name", lang) for c, (en, vi) in pairs.items()}
    codes = sorted(values, key=lambda c: fold(names[c]).casefold())
    out = pd.DataFrame({t["province"]: [names[c] for c in codes]})
    for o in overview.indices:
        out[index_label(overview.index_names, o.index_code, lang)] = [
            _score_text(values[c].get(o.index_code), o.index_code, lang) for c in codes
        ]
    return out


def targets_table(profile: Profile, lang: str = "en") -> pd.DataFrame:
    """The targets: index, target, the score now and the target value, the points needed, the margin
    of error (PAPI: the province's own, or of the difference from another province), the components
    that could deliver it and whether the points needed are realistic in one year."""
    from parlib.present.catalogue import TARGETS

    w = TARGETS[check_lang(lang)]
    rows = []
    for t in profile.targets:
        name = localized(t, "leader_name", lang) or t.label_param
        short = w[f"short_{t.kind}"].format(param=t.label_param, name=name)
        rows.append(
            [
                index_label(profile.index_names, t.index_code, lang),
                short,
                fmt.score(t.value, t.index_code, lang),
                fmt.score(t.target_value, t.index_code, lang),
                fmt.signed(t.points_needed, lang),
                _target_margin(t, w, lang),
                "; ".join(_lever_label(t.index_code, x, w, lang) for x in t.levers) or DASH,
                DASH if t.realistic is None else w["yes" if t.realistic else "no"],
            ]
        )
    return pd.DataFrame(
        rows,
        columns=[
            w["col_index"],
            w["col_target"],
            w["col_now"],
            w["col_to"],
            w["col_need"],
            w["col_margin"],
            w["col_levers"],
            w["col_realistic"],
        ],
    )


def _lever_label(index_code: str, x, w: dict, lang: str) -> str:
    """A lever's component, marked when the points needed are not realistic for it in one year."""
    label = component_label(index_code, x.measure, x.name_en, x.name_vi, lang)
    return w["lever_not_realistic"].format(name=label) if x.realistic is False else label


def _target_margin(t, w: dict, lang: str) -> str:
    """'±1.14', or '±1.23 (of the difference)' when the target is another province's score."""
    if t.margin is None:
        return DASH
    text = "±" + fmt.number(t.margin, lang)
    return w["margin_difference"].format(margin=text) if t.margin_basis == "difference" else text


def drilldown_tables(profile: Profile, measure: str, lang: str = "en") -> tuple[pd.DataFrame, pd.DataFrame]:
    """One PAPI dimension opened: its sub-dimensions (weakest rank first) and its survey indicators,
    each with the province's value, the national average and the gap (``profile.drilldown``)."""
    from parlib.present.catalogue import DRILL

    w = DRILL[check_lang(lang)]
    d = next((x for x in profile.drilldown if x.measure == measure), None)
    if d is None:
        return pd.DataFrame(), pd.DataFrame()

    def name(x):
        return localized(x, "name", lang) or x.name_en or x.name_vi or x.measure

    sub = pd.DataFrame(
        [
            [
                name(x),
                _num(x.value, lang),
                _num(x.national_avg, lang),
                _signed(x.gap_national, lang),
                _rank(x.rank, x.n_ranked, lang),
            ]
            for x in d.subdimensions
        ],
        columns=[w["sub"], w["value"], w["avg"], w["gap"], w["rank"]],
    )
    sub.attrs["note"] = w["sub_note"]

    def cells(x):
        """Value, average and gap in the indicator's own unit (``DrillItem.unit``), and the unit."""
        if x.unit == "proportion":
            gap = DASH if _missing(x.gap_national) else fmt.percent_points(x.gap_national, lang) + " " + w["pp"]
            return [fmt.percent(x.value, lang), fmt.percent(x.national_avg, lang), gap, w["unit_percent"]]
        cols = [_num(x.value, lang), _num(x.national_avg, lang), _signed(x.gap_national, lang)]
        if x.unit == "points" and x.scale_min is not None:
            lo, hi = (fmt.number(v, lang).rstrip("0").rstrip(",.") for v in (x.scale_min, x.scale_max))
            return cols + [w["unit_points"].format(lo=lo, hi=hi)]
        return cols + [w["unit_unverified_pct" if x.percent_label_unverified else "unit_as_printed"]]

    ind = pd.DataFrame(
        [[name(x), *cells(x)] for x in d.indicators],
        columns=[w["ind"], w["value"], w["avg"], w["gap"], w["unit"]],
    )
    ind.attrs["note"] = w["ind_note"].format(year=profile.year)
    return sub, ind


def plan_table(profile: Profile, lang: str = "en") -> pd.DataFrame:
    """The improvement plan ("Kế hoạch nâng cao chỉ số"): one row per priority — area, current
    result, target and the measure that will show it, the evidence, lead agency (empty unless a
    cited source names it) and deadline (the province's to set)."""
    from parlib.present.catalogue import PLAN

    w = PLAN[check_lang(lang)]
    rows = []
    for x in profile.plan:
        name = component_label(x.index_code, x.measure, x.name_en, x.name_vi, lang)
        iname = index_label(profile.index_names, x.index_code, lang)
        unit = "pp" if x.published_unit == "percentage points" else "points"
        if x.basis == "published_change":
            change = change_words(x.published_delta, unit, lang, trim=True) if x.published_delta is not None else DASH
            current = w["published"].format(change=change, base=x.base_year, source=x.source_id)
            amount = fmt.number(abs(x.published_delta), lang).rstrip("0").rstrip(",.") if x.published_delta else ""
            target = w["regain_published"].format(change=w[f"regain_amount_{unit}"].format(n=amount), base=x.base_year)
        else:
            current = w["level"].format(value=_num(x.value, lang), rank=_rank(x.rank, x.n_ranked, lang))
            target = w[x.target_kind].format(value=_num(x.target_value, lang), base=x.base_year)
        rows.append(
            [
                str(x.priority),
                f"{iname}: {name}",
                current,
                target,
                w["measure_text"].format(index=iname, year=x.measure_year, name=name),
                "; ".join(s for s in (x.source_id, x.rank_source_id) if s) or DASH,
                x.lead_agency or w["lead_empty"],
                x.deadline or w["deadline_empty"],
            ]
        )
    return pd.DataFrame(
        rows,
        columns=[
            w["priority"],
            w["area"],
            w["current"],
            w["target"],
            w["measure"],
            w["evidence"],
            w["lead"],
            w["deadline"],
        ],
    )

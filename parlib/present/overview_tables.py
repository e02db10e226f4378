"""The national overview's tables: rankings, biggest movers, regional averages and the indices side
by side, as DataFrames of formatted strings (see :mod:`parlib.present.tables`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from parlib._vocab import index_facts
from parlib._words import localized
from parlib.present import evidence, fmt
from parlib.present.catalogue import (
    PAGE,
    group_name,
    index_label,
)
from parlib.present.catalogue import TABLE as T
from parlib.present.table_cells import (
    DASH,
    _change_cell,
    _check_lang,
    _missing,
    _rank,
    _rank_change_cell,
)

if TYPE_CHECKING:
    from parlib.engine.results import Overview


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

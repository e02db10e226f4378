"""Report charts with matplotlib only, in English or Vietnamese.

Every function returns a :class:`matplotlib.figure.Figure` built without pyplot (no global
figure state; in a notebook, return or ``display()`` it), or ``None`` where documented. All
numbers come from an assessment profile (:func:`parlib.engine.profile.assess`) or the score table;
a missing figure is annotated "No data" / "Không có dữ liệu" and never drawn as 0.

The style, the figure skeleton and its layout, PNG output and the glyph check live in
:mod:`parlib.present.chart_style` and are importable from here too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from parlib._vocab import index_facts
from parlib.present import fmt
from parlib.present.catalogue import CHART as TXT
from parlib.present.catalogue import DATA_COLUMNS, index_label
from parlib.present.chart_style import (  # noqa: F401 (re-exported: charts.STYLE, charts.to_png …)
    AVG_C,
    BASE_C,
    DOWN,
    DPI,
    FOCUS,
    NEUTRAL,
    NOTE_SIZE,
    OTHER,
    STYLE,
    UP,
    WIDTH,
    YEAR_C,
    _data,
    _fmt_value,
    _legend,
    _n,
    _new,
    _no_data_figure,
    _notes,
    _rows,
    _set_height_for,
    _styled,
    _title,
    _wrap,
    _wrap_notes,
    attach,
    decimal_sign,
    localized,
    missing_glyphs,
    report_png,
    setup_style,
    to_png,
)
from parlib.present.tables import component_label

if TYPE_CHECKING:
    from parlib.engine.results import Profile


__all__ = [
    "setup_style",
    "STYLE",
    "to_png",
    "missing_glyphs",
    "component_changes",
    "components_vs_average",
    "rank_trajectory",
    "region_comparison",
]


# --- component charts --------------------------------------------------------------------------
@_styled
def component_changes(profile: Profile, index_code: str, lang: str = "en") -> Figure | None:
    """Horizontal diverging bars of each component's change on the base year (green up, red
    down, value labels), largest rise on top. Components without a change are listed with "No
    data". When the index has no component scores but published changes (Hưng Yên PAR INDEX
    2022), those are plotted, titled as published changes with their source. ``None`` when the
    index has neither (or no component has a change).
    """
    t = TXT[lang]
    r = profile.index(index_code)
    if r is None:
        return None
    iname = index_label(profile.index_names, index_code, lang)
    comps = [c for c in r.components if c.value is not None]
    notes = []
    if comps and any(c.delta is not None for c in comps):
        items = [(component_label(index_code, c.measure, c.name_en, c.name_vi, lang), c.delta) for c in comps]
        withheld = {
            component_label(index_code, c.measure, c.name_en, c.name_vi, lang) for c in comps if c.change_withheld
        }
        base = r.base_year
        title = t["change_title"].format(index=iname, base=base, year=r.year)
        published = False
        xlabel = t["change_x"].format(unit=t["points"])
        if r.crosses_break:
            notes.append(t["break_note"])
    elif r.published_changes:
        pcs = r.published_changes
        items = [(component_label(index_code, c.measure, c.name_en, c.name_vi, lang), c.delta) for c in pcs]
        base = pcs[0].base_year
        title = t["published_title"].format(index=iname, base=base, year=r.year)
        published = True
        withheld = set()
        pp = all(c.unit == "percentage points" for c in pcs)
        xlabel = t["published_x"] if pp else t["change_x"].format(unit=pcs[0].unit)
        notes.append(t["published_kind"])
        if r.crosses_break:
            notes.append(t["break_note"])
        notes.append(t["source"].format(ids=", ".join(dict.fromkeys(c.source_id for c in pcs))))
    else:
        return None
    have = sorted([x for x in items if x[1] is not None], key=lambda x: -x[1])
    if not have:  # published changes without a figure (Hòa Bình PAR INDEX 2024: a change in places)
        return None
    miss = [x for x in items if x[1] is None]
    order = have + miss
    lines = _wrap_notes(notes)
    fig, ax, _, nax = _new(_set_height_for(len(order)), len(lines))
    y = np.arange(len(order))
    vals = np.array([d for _, d in have], dtype=float)
    colors = [UP if d > 0 else DOWN if d < 0 else NEUTRAL for d in vals]
    bars = ax.barh(y[: len(have)], vals, color=colors, height=0.62, gid="changes")
    lo, hi = min(0.0, float(vals.min())), max(0.0, float(vals.max()))
    span = (hi - lo) or 1.0
    ax.set_xlim(lo - (0.28 * span if lo < 0 else 0.04 * span), hi + (0.28 * span if hi > 0 else 0.3 * span))
    for b, d in zip(bars, vals):
        label = fmt.signed(d, lang, 2 if abs(d) >= 0.005 or d == 0 else 3)  # no "−0.00"
        if published and decimal_sign(lang) in label:  # quote a published figure as printed
            label = label.rstrip("0").rstrip(",.")
        ax.annotate(
            label,
            (d, b.get_y() + b.get_height() / 2),
            xytext=(4 if d >= 0 else -4, 0),
            textcoords="offset points",
            ha="left" if d >= 0 else "right",
            va="center",
            fontsize=8.5,
        )
    for i, (name, _) in enumerate(miss, start=len(have)):
        ax.annotate(
            t["not_compared"] if name in withheld else t["no_data"],
            (0, i),
            xytext=(4, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=8.5,
            style="italic",
            color="#666666",
            gid="no-data",
        )
    ax.axvline(0, color="#333333", lw=0.8)
    ax.set_yticks(y, [_wrap(n, 30) for n, _ in order])
    ax.set_ylim(len(order) - 0.5, -0.5)  # every row, with or without a bar; largest rise on top
    ax.set_xlabel(_wrap(xlabel, 56))
    _title(fig, title)
    ax.grid(axis="x", color="#eeeeee", lw=0.6)
    ax.set_axisbelow(True)
    _notes(nax, lines)
    c = DATA_COLUMNS[lang]
    data = _data(
        [
            [n, (t["not_compared"] if n in withheld else fmt.DASH) if d is None else fmt.signed(d, lang)]
            for n, d in order
        ],
        lang,
        "label",
        "change",
    )
    data.attrs["note"] = " ".join(notes)
    top = have[0] if have else None
    alt = title + (f". {c['change']}: {top[0]} {fmt.signed(top[1], lang)}" if top else "")
    if len(have) > 1:
        alt += f"; {have[-1][0]} {fmt.signed(have[-1][1], lang)}"
    return attach(fig, data, alt)


@_styled
def components_vs_average(profile: Profile, index_code: str, lang: str = "en") -> Figure | None:
    """Grouped horizontal bars per component: this year, the base year and the national average.
    A missing base value or average is annotated "No data" in its slot. ``None`` when the index
    has no component scores for the province-year."""
    t = TXT[lang]
    r = profile.index(index_code)
    if r is None:
        return None
    comps = [c for c in r.components if c.value is not None]
    if not comps:
        return None
    iname = index_label(profile.index_names, index_code, lang)
    has_base = r.base_year is not None and any(c.base_value is not None for c in comps)
    series = [("value", t["year"].format(year=r.year), YEAR_C)]
    if has_base:
        series.append(("base_value", t["year"].format(year=r.base_year), BASE_C))
    series.append(
        (
            "national_avg",
            t["national_computed"] if r.component_avg_basis == "mean_of_provinces" else t["national"],
            AVG_C,
        )
    )
    k = len(series)
    h = 0.8 / k
    fig, ax, lax, _ = _new(_set_height_for(len(comps), per=0.17 * k + 0.1, base=1.6), legend_rows=1)
    y = np.arange(len(comps))
    maxima = {c.scale_max for c in comps}
    top = next(iter(maxima)) if len(maxima) == 1 and None not in maxima else None
    allv = [getattr(c, a) for c in comps for a, _, _ in series if getattr(c, a) is not None]
    xmax = top if top is not None else max(allv) * 1.12
    for j, (attr, label, color) in enumerate(series):
        off = (j - (k - 1) / 2) * h
        vals = [getattr(c, attr) for c in comps]
        ys = [y[i] + off for i, v in enumerate(vals) if v is not None]
        xs = [v for v in vals if v is not None]
        ax.barh(ys, xs, height=h * 0.92, color=color, label=label, gid=f"bars-{attr}")
        for i, v in enumerate(vals):
            if v is None:
                ax.annotate(
                    t["no_data"],
                    (0, y[i] + off),
                    xytext=(3, 0),
                    textcoords="offset points",
                    ha="left",
                    va="center",
                    fontsize=7,
                    style="italic",
                    color="#666666",
                    gid="no-data",
                )
            elif attr == "value":
                ax.annotate(
                    fmt.number(v, lang),
                    (v, y[i] + off),
                    xytext=(3, 0),
                    textcoords="offset points",
                    ha="left",
                    va="center",
                    fontsize=7.5,
                    color=YEAR_C,
                )
    ax.set_xlim(0, xmax * 1.06 if top is None else xmax)
    ax.set_yticks(y, [_wrap(component_label(index_code, c.measure, c.name_en, c.name_vi, lang), 28) for c in comps])
    ax.invert_yaxis()
    ax.set_xlabel(t["score_max"].format(max=fmt.number(top, lang, 0)) if top is not None else t["score"])
    title = (t["vs_title"] if has_base else t["vs_title_nobase"]).format(index=iname, year=r.year, base=r.base_year)
    _title(fig, title)
    ax.grid(axis="x", color="#eeeeee", lw=0.6)
    ax.set_axisbelow(True)
    _legend(fig, lax, *ax.get_legend_handles_labels(), ncol=k)
    rows = [
        [component_label(index_code, c.measure, c.name_en, c.name_vi, lang), label, _n(getattr(c, attr), lang)]
        for c in comps
        for attr, label, _ in series
    ]
    data = _data(rows, lang, "label", "series", "value")
    below = [c for c in comps if c.gap_national is not None and c.gap_national < 0]
    alt = (
        title
        + "."
        + (f" {len(below)}/{len(comps)} {t['below_avg_alt']}" if any(c.gap_national is not None for c in comps) else "")
    )
    return attach(fig, data, alt)


# --- rank over time ---------------------------------------------------------------------------
def _year_ranges(years: list[int]) -> str:
    """[2012, 2013, 2014, 2016] → '2012–2014, 2016'."""
    out, run = [], []
    for y in sorted(years):
        if run and y == run[-1] + 1:
            run.append(y)
        else:
            if run:
                out.append(str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}")
            run = [y]
    if run:
        out.append(str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}")
    return ", ".join(out)


@_styled
def rank_trajectory(profile: Profile, lang: str = "en") -> Figure:
    """The province's rank in every year with a rank, one line per index (rank 1 on top, the last
    point labelled rank/N, N in the legend), broken where a year has no rank; dashed lines mark
    each index's changes of methodology, lettered and explained below. All from
    ``profile.trajectory`` and ``profile.trajectory_breaks``."""
    t = TXT[lang]
    names = profile.index_names
    pname = profile.province.name(lang)
    lines_ = profile.trajectory
    codes = [r.index_code for r in profile.indices]
    plotted = [ln.index_code for ln in lines_]
    absent = [c for c in codes if c not in plotted]
    if not lines_:
        fig = _no_data_figure(t["traj_title"].format(province=pname, first="", last="").rstrip(", –"), t["no_data"])
        return attach(fig, _data([], lang, "index", "year", "rank", "n"), pname + ": " + t["no_data"])
    first = min(ln.years[0] for ln in lines_)
    last = max(ln.years[-1] for ln in lines_)
    breaks = profile.trajectory_breaks
    letters = "abcdefghijklmnopqrstuvwxyz"
    notes = [
        t["break_item"].format(
            letter=letters[i],
            index=index_label(names, b.index_code, lang),
            year=b.year,
            label=localized(b, "label", lang),
        )
        for i, b in enumerate(breaks)
    ]
    gaps = [
        f"{index_label(names, ln.index_code, lang)} {_year_ranges(ln.missing_years)}"
        for ln in lines_
        if ln.missing_years
    ]
    if gaps:
        notes.append(t["gaps"].format(items="; ".join(gaps)))
    if absent:
        notes.append(t["no_rank"].format(items=", ".join(index_label(names, c, lang) for c in absent)))
    wrapped = _wrap_notes(notes)
    n_handles = len(lines_) + (1 if breaks else 0)
    fig, ax, lax, nax = _new(3.6, len(wrapped), _rows(n_handles, 2))
    nmax = 0
    rows = []
    for ln in lines_:
        c = ln.index_code
        yrs = np.array(ln.years, dtype=int)
        rks = np.array(ln.ranks, dtype=float)
        ns = [n for n in ln.n_ranked if n is not None]
        nmax = max([nmax, *ns, int(rks.max())])
        nset = sorted(set(ns))
        nlabel = (str(nset[0]) if len(nset) == 1 else f"{nset[0]}–{nset[-1]}") if nset else "?"
        color = index_facts(c).color
        cut = np.flatnonzero(np.diff(yrs) != 1) + 1
        for k, (ys, rs) in enumerate(zip(np.split(yrs, cut), np.split(rks, cut))):
            ax.plot(
                ys,
                rs,
                marker="o",
                ms=4.5,
                lw=1.8,
                color=color,
                gid=f"rank-{c}",
                label=t["n_legend"].format(index=index_label(names, c, lang), n=nlabel) if k == 0 else "_nolegend_",
            )
        n_last = ln.n_ranked[-1]
        tail = f"{ln.ranks[-1]}/{n_last}" if n_last is not None else f"{ln.ranks[-1]}"
        ax.annotate(
            tail,
            (yrs[-1], rks[-1]),
            xytext=(5, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=8,
            color=color,
            fontweight="bold",
            gid=f"last-{c}",
        )
        rows += [
            [index_label(names, c, lang), str(y), str(r), fmt.DASH if n is None else str(n)]
            for y, r, n in zip(ln.years, ln.ranks, ln.n_ranked)
        ]
    ymax = max(nmax, 10) + 2
    ax.set_ylim(ymax, 0)  # inverted: rank 1 on top
    ax.set_yticks([1] + list(range(10, ymax, 10)))
    ax.set_xlim(first - 0.6, last + 1.4)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=10))
    ax.set_ylabel(t["rank_y"])
    ax.grid(axis="y", color="#eeeeee", lw=0.6)
    ax.set_axisbelow(True)
    count_at: dict[int, int] = {}
    for i, b in enumerate(breaks):
        k = count_at.get(b.year, 0)
        count_at[b.year] = k + 1
        x = b.year - 0.5 + 0.07 * k
        color = index_facts(b.index_code).color
        ax.axvline(x, color=color, ls="--", lw=1.1, alpha=0.85, gid=f"break-{b.index_code}-{b.year}")
        ax.text(
            x,
            0.985 - 0.075 * k,
            letters[i],
            transform=ax.get_xaxis_transform(),
            ha="center",
            va="top",
            fontsize=8,
            color=color,
            fontweight="bold",
            gid=f"break-label-{b.index_code}-{b.year}",
            bbox=dict(boxstyle="round,pad=0.15", fc="white", ec=color, lw=0.6),
        )
    handles, labels = ax.get_legend_handles_labels()
    if breaks:
        handles.append(Line2D([], [], color="#555555", ls="--", lw=1.1))
        labels.append(t["break_legend"])
    title = t["traj_title"].format(province=pname, first=first, last=last)
    _title(fig, title)
    _legend(fig, lax, handles, labels, ncol=2)
    _notes(nax, wrapped)
    data = _data(rows, lang, "index", "year", "rank", "n")
    data.attrs["note"] = " ".join(notes)
    alt = (
        title
        + ". "
        + "; ".join(
            f"{index_label(names, ln.index_code, lang)}: {ln.ranks[0]} ({ln.years[0]}) → {ln.ranks[-1]} ({ln.years[-1]})"
            for ln in lines_
        )
    )
    return attach(fig, data, alt)


# --- one index, many provinces ----------------------------------------------------------------
def _basis_word(basis: str, t: dict) -> str:
    return t["published"] if basis == "published" else t["mean_prov"]


@_styled
def region_comparison(profile: Profile, index_code: str, lang: str = "en") -> Figure | None:
    """Bars of the index total for every province of the profile's region, best on top, the
    province highlighted; provinces without a score are listed with "No data" (no bar). Lines: the
    national and the regional average of the profile (``profile.regions``), with their basis.
    ``None`` when the profile has no region view for the index."""
    t = TXT[lang]
    view = next((v for v in profile.regions if v.index_code == index_code), None)
    if view is None:
        return None
    iname = index_label(profile.index_names, index_code, lang)
    year = view.year
    if view.reason == "no_region":
        fig = _no_data_figure(f"{iname} {year}", t["no_region"])
        return attach(fig, _data([], lang, "province", "score", "rank"), f"{iname} {year}: {t['no_region']}")
    have = [m for m in view.members if m.value is not None]
    miss = [m for m in view.members if m.value is None]
    order = have + miss
    region = localized(view, "region", lang)
    nat, ravg = view.national_avg, view.regional_avg
    notes = []
    if ravg is None:
        notes.append(t["no_regional"].format(n=view.n_with_value, total=len(view.members)))
    lines = _wrap_notes(notes)
    n_handles = (nat is not None) + (ravg is not None)
    fig, ax, lax, nax = _new(_set_height_for(len(order), per=0.3, base=1.8), len(lines), n_handles)
    y = np.arange(len(order))
    vals = [m.value for m in have]
    colors = [FOCUS if m.focus else OTHER for m in have]
    bars = ax.barh(y[: len(have)], vals, color=colors, height=0.7, gid="region-bars")
    refs = [v for v in (nat, ravg) if v is not None]
    top = max(vals + refs) if (vals or refs) else 100.0
    ax.set_xlim(0, top * 1.04)
    ax.set_ylim(len(order) - 0.5, -0.6)  # every row, with or without a bar; best on top
    vt = mpl.transforms.blended_transform_factory(ax.transAxes, ax.transData)
    for b, m in zip(bars, have):
        ax.text(
            1.015,
            b.get_y() + b.get_height() / 2,
            _fmt_value(m.value, index_code, lang),
            transform=vt,
            ha="left",
            va="center",
            fontsize=8.5,
            color=FOCUS if m.focus else "#222222",
            fontweight="bold" if m.focus else "normal",
            gid=f"value-{m.province_code}",
        )
    for i, m in enumerate(miss, start=len(have)):
        ax.annotate(
            t["no_data"],
            (0, i),
            xytext=(4, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=8,
            style="italic",
            color=FOCUS if m.focus else "#666666",
            gid="no-data",
        )
    ax.set_yticks(y, [localized(m, "name", lang) for m in order])
    for lab, m in zip(ax.get_yticklabels(), order):
        if m.focus:
            lab.set_fontweight("bold")
            lab.set_color(FOCUS)
    handles = []
    c = DATA_COLUMNS[lang]
    rows = [
        [
            localized(m, "name", lang),
            _fmt_value(m.value, index_code, lang),
            fmt.rank_of(m.rank, m.n_ranked, lang),
        ]
        for m in order
    ]
    if nat is not None:
        ax.axvline(nat, color="#222222", ls="--", lw=1.1, gid="national-avg")
        label = f"{t['national']}: {_fmt_value(nat, index_code, lang)} ({_basis_word(view.avg_basis, t)})"
        handles.append(Line2D([], [], color="#222222", ls="--", lw=1.1, label=label))
        rows.append(
            [f"{t['national']} ({_basis_word(view.avg_basis, t)})", _fmt_value(nat, index_code, lang), fmt.DASH]
        )
    if ravg is not None:
        ax.axvline(ravg, color="#6a3d9a", ls=":", lw=1.6, gid="regional-avg")
        label = f"{t['regional']}: {_fmt_value(ravg, index_code, lang)} ({_basis_word(view.regional_basis, t)})"
        handles.append(Line2D([], [], color="#6a3d9a", ls=":", lw=1.6, label=label))
        rows.append(
            [f"{t['regional']} ({_basis_word(view.regional_basis, t)})", _fmt_value(ravg, index_code, lang), fmt.DASH]
        )
    ax.set_xlabel(t["dist_x_pct"] if index_facts(index_code).percent else t["score"])
    title = t["region_title"].format(
        index=iname, year=year, region=region, n=view.n_with_value, total=len(view.members)
    )
    _title(fig, title)
    _legend(fig, lax, handles)
    _notes(nax, lines)
    data = pd.DataFrame(rows, columns=[c["province"], c["score"], c["rank"]])
    data.attrs["note"] = " ".join(notes)
    focus = next((m for m in view.members if m.focus), None)
    alt = title + "."
    if focus is not None and focus.value is not None:
        alt += f" {localized(focus, 'name', lang)}: {_fmt_value(focus.value, index_code, lang)}"
        if ravg is not None:
            alt += f"; {t['regional']}: {_fmt_value(ravg, index_code, lang)}"
    return attach(fig, data, alt)

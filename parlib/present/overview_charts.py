"""National charts of the overview: the distribution of one index and the indices side by side.
They draw an ``Overview`` slice only, with the helpers and style of :mod:`parlib.present.charts`."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator

from parlib._vocab import index_facts
from parlib._words import localized
from parlib.present import fmt
from parlib.present.catalogue import DATA_COLUMNS, index_label, word
from parlib.present.chart_style import name_in
from parlib.present.charts import (
    DPI,
    FOCUS,
    OTHER,
    TXT,
    WIDTH,
    _basis_word,
    _data,
    _fmt_value,
    _legend,
    _n,
    _new,
    _no_data_figure,
    _notes,
    _styled,
    _title,
    _wrap,
    _wrap_notes,
    attach,
)

if TYPE_CHECKING:
    from parlib.engine.results import Overview

__all__ = ["distribution", "cross_index"]


@_styled
def distribution(overview: Overview, index_code: str, lang: str = "en", highlight: str | None = None) -> Figure:
    """Histogram of every province's score with a rug, the national average of the overview and, if
    given, the highlighted province code (its score and rank, or a note that it has no score)."""
    t = TXT[lang]
    o = overview.index(index_code)
    iname = index_label(overview.index_names, index_code, lang)
    year = overview.year
    have = [r for r in (o.rows if o else []) if r.value is not None]
    if not have:
        fig = _no_data_figure(f"{iname} {year}", t["no_data"])
        return attach(fig, _data([], lang, "province", "score"), f"{iname} {year}: {t['no_data']}")
    vals = np.array([r.value for r in have], dtype=float)
    hrow = next((r for r in o.rows if r.province_code == highlight), None) if highlight else None
    hname = localized(hrow, "name", lang) if hrow else (name_in(overview.names, highlight, lang) if highlight else "")
    n_handles = (o.national_avg is not None) + (hrow is not None and hrow.value is not None)
    fig, ax, lax, _ = _new(3.3, 0, n_handles)
    bins = np.histogram_bin_edges(vals, bins=min(14, max(5, int(math.sqrt(len(vals))) + 2)))
    ax.hist(vals, bins=bins, color=OTHER, edgecolor="white", gid="hist")
    ax.plot(
        vals,
        np.full(len(vals), 0.02),
        "|",
        color="#3182bd",
        ms=9,
        mew=1.2,
        transform=ax.get_xaxis_transform(),
        gid="rug",
    )
    handles = []
    c = DATA_COLUMNS[lang]
    rows = [[localized(r, "name", lang), _fmt_value(r.value, index_code, lang)] for r in have]
    if o.national_avg is not None:
        ax.axvline(o.national_avg, color="#222222", ls="--", lw=1.1, gid="national-avg")
        label = f"{t['national']}: {_fmt_value(o.national_avg, index_code, lang)} ({_basis_word(o.avg_basis, t)})"
        handles.append(Line2D([], [], color="#222222", ls="--", lw=1.1, label=label))
        rows.append([f"{t['national']} ({_basis_word(o.avg_basis, t)})", _fmt_value(o.national_avg, index_code, lang)])
    if hrow is not None and hrow.value is not None:
        tied = word("chart.tied", lang) if hrow.tied else ""  # "(11th/61 tied)"
        hrank = f" ({fmt.rank_of(hrow.rank, hrow.n_ranked, lang)}{tied})" if hrow.rank is not None else ""
        ax.axvline(hrow.value, color=FOCUS, lw=2.2, gid="highlight")
        handles.append(
            Line2D([], [], color=FOCUS, lw=2.2, label=f"{hname}: {_fmt_value(hrow.value, index_code, lang)}{hrank}")
        )
    elif highlight:
        ax.text(
            0.01,
            0.97,
            t["hl_missing"].format(province=hname, year=year),
            transform=ax.transAxes,
            ha="left",
            va="top",
            fontsize=8.5,
            color=FOCUS,
            style="italic",
            gid="highlight-no-data",
            bbox=dict(boxstyle="round,pad=0.3", fc="white", ec=FOCUS, lw=0.6),
        )
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(t["dist_y"])
    if index_facts(index_code).percent:
        ax.set_xlabel(t["dist_x_pct"])
    else:
        mx = o.scale_max
        ax.set_xlabel(t["dist_x_pts"].format(max=fmt.number(mx, lang, 0)) if mx else t["score"])
    title = (t["dist_title"] if len(vals) >= o.n_expected else t["dist_partial"]).format(
        index=iname, year=year, n=len(vals), total=o.n_expected
    )
    _title(fig, title)
    _legend(fig, lax, handles)
    data = pd.DataFrame(rows, columns=[c["province"], c["score"]])
    alt = (
        title
        + "."
        + (f" {t['national']}: {_fmt_value(o.national_avg, index_code, lang)}" if o.national_avg is not None else "")
    )
    return attach(fig, data, alt)


@_styled
def cross_index(overview: Overview, lang: str = "en", highlight: str | None = None) -> Figure:
    """Pairwise scatter of the indices' totals for every pair of the overview with enough
    provinces having both (n and Pearson r, from the overview, in each panel); thinner pairs are
    listed; with none, the figure says there is not enough published data."""
    t = TXT[lang]
    names = overview.index_names
    pairs, skipped = overview.cross, overview.thin_pairs
    k_min = overview.min_pairs
    title = t["cross_title"].format(year=overview.year)
    skipped_txt = [
        t["pair_n"].format(a=index_label(names, p.index_a, lang), b=index_label(names, p.index_b, lang), n=p.n)
        for p in skipped
    ]
    c = DATA_COLUMNS[lang]
    if not pairs:
        msg = t["cross_none"].format(year=overview.year, k=k_min)
        if skipped_txt:
            msg += "\n" + "\n".join(skipped_txt)
        fig = _no_data_figure(title, msg)
        return attach(fig, _data([], lang, "index", "province", "x", "y"), title + ". " + msg.replace("\n", " "))
    hname = name_in(overview.names, highlight, lang) if highlight else ""
    ncols = 1 if len(pairs) == 1 else 2
    nrows = math.ceil(len(pairs) / ncols)
    lines = _wrap_notes([t["skipped"].format(k=k_min, items="; ".join(skipped_txt))] if skipped_txt else [])
    note_h = 0.16 * len(lines) + 0.1 if lines else 0
    panel_h = 3.0 if ncols == 1 else 2.9
    fig = Figure(
        figsize=(WIDTH if ncols == 2 else WIDTH * 0.75, panel_h * nrows + 0.5 + note_h), dpi=DPI, layout="constrained"
    )
    gs = fig.add_gridspec(
        nrows + (1 if lines else 0), ncols, height_ratios=[panel_h] * nrows + ([note_h] if lines else [])
    )

    def label(idx: str) -> str:
        key = "value_unit_pct" if index_facts(idx).percent else "value_unit_pts"
        return t[key].format(index=index_label(names, idx, lang))

    rows = []
    for k, p in enumerate(pairs):
        ax = fig.add_subplot(gs[k // ncols, k % ncols])
        ax.scatter(
            p.values_a,
            p.values_b,
            s=16,
            color="#3182bd",
            alpha=0.8,
            edgecolor="white",
            lw=0.4,
            gid=f"scatter-{p.index_a}-{p.index_b}",
        )
        if highlight in p.province_codes:
            i = p.province_codes.index(highlight)
            ax.scatter(
                [p.values_a[i]],
                [p.values_b[i]],
                s=50,
                color=FOCUS,
                edgecolor="black",
                lw=0.6,
                zorder=3,
                gid="highlight",
            )
            ax.annotate(
                hname,
                (p.values_a[i], p.values_b[i]),
                xytext=(5, 4),
                textcoords="offset points",
                fontsize=8,
                color=FOCUS,
                fontweight="bold",
            )
        stat = t["pair_stat"].format(n=p.n, r=fmt.number(p.r, lang) if p.r is not None else fmt.DASH)
        if highlight and highlight not in p.province_codes:
            stat += f"\n{hname}: {t['no_data']}"
        ax.text(0.02, 0.97, stat, transform=ax.transAxes, ha="left", va="top", fontsize=8, color="#444444")
        ax.set_xlabel(_wrap(label(p.index_a), 34), fontsize=9)
        ax.set_ylabel(_wrap(label(p.index_b), 30), fontsize=9)
        ax.grid(color="#eeeeee", lw=0.6)
        ax.set_axisbelow(True)
        pair = f"{index_label(names, p.index_a, lang)} × {index_label(names, p.index_b, lang)}"
        rows += [
            [pair, name_in(overview.names, code, lang), _n(a, lang), _n(b, lang)]
            for code, a, b in zip(p.province_codes, p.values_a, p.values_b)
        ]
    _title(fig, title)
    if lines:
        nax = fig.add_subplot(gs[nrows, :])
        nax.axis("off")
        _notes(nax, lines)
    data = pd.DataFrame(rows, columns=[c["index"], c["province"], c["x"], c["y"]])
    alt = (
        title
        + ". "
        + "; ".join(
            f"{index_label(names, p.index_a, lang)} × {index_label(names, p.index_b, lang)}: "
            + t["pair_stat"].format(n=p.n, r=fmt.number(p.r, lang) if p.r is not None else fmt.DASH)
            for p in pairs
        )
    )
    return attach(fig, data, alt)

"""Charts of provinces side by side (``parlib compare``): the components as small multiples (one panel
per component, one bar per province, the national average as a line) and the rank trajectories of
every province on one chart (one panel per index). Each figure carries the table of what it draws
(``parlib_data``) and its message (``parlib_alt``), like :mod:`parlib.present.charts`; every value is a
field of a province's Profile.
"""

from __future__ import annotations

import math
import textwrap
from typing import TYPE_CHECKING

import matplotlib as mpl
import pandas as pd
from matplotlib.figure import Figure

from parlib.present import fmt
from parlib.present.catalogue import COMPARE, DATA_COLUMNS, check_lang, index_label
from parlib.present.charts import STYLE, WIDTH, attach
from parlib.present.tables import component_label

if TYPE_CHECKING:
    from parlib.engine.results import Comparison

#: One colour per province (Okabe–Ito, colour-blind safe), in the order the provinces were named.
PROVINCE_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")


def _color(i: int) -> str:
    return PROVINCE_COLORS[i % len(PROVINCE_COLORS)]


def _names(c: Comparison, lang: str) -> list[str]:
    return [p.province.name(lang) for p in c.profiles]


def components_small_multiples(c: Comparison, index_code: str, lang: str = "en") -> Figure | None:
    """One panel per component of ``index_code`` (the first province's order), one bar per province
    with a score, the national average as a dashed line; None when no province has a component score."""
    w = COMPARE[check_lang(lang)]
    measures: dict[str, str] = {}
    for p in c.profiles:
        r = p.index(index_code)
        for comp in r.components if r else []:
            if comp.value is not None:
                measures.setdefault(
                    comp.measure, component_label(index_code, comp.measure, comp.name_en, comp.name_vi, lang)
                )
    if not measures:
        return None
    names = _names(c, lang)
    ncol = 2 if len(measures) > 1 else 1
    nrow = math.ceil(len(measures) / ncol)
    rows = []
    with mpl.rc_context(STYLE):
        fig = Figure(figsize=(WIDTH, 0.9 + nrow * (0.35 + 0.22 * len(names))), layout="constrained")
        axes = fig.subplots(nrow, ncol, squeeze=False, sharex=True)
        for k, (measure, label) in enumerate(measures.items()):
            ax = axes[k // ncol][k % ncol]
            avg = None
            for i, p in enumerate(c.profiles):
                r = p.index(index_code)
                comp = next((x for x in (r.components if r else []) if x.measure == measure), None)
                value = comp.value if comp is not None else None
                avg = avg if avg is not None else (comp.national_avg if comp is not None else None)
                if value is not None:
                    ax.barh(i, value, color=_color(i), height=0.7)
                    ax.annotate(
                        fmt.number(value, lang),
                        (value, i),
                        xytext=(2, 0),
                        textcoords="offset points",
                        va="center",
                        fontsize=7,
                    )
                rows.append(
                    [
                        label,
                        names[i],
                        fmt.DASH if value is None else fmt.number(value, lang),
                        fmt.DASH if comp is None or comp.rank is None else fmt.rank_of(comp.rank, comp.n_ranked, lang),
                    ]
                )
            if avg is not None:
                ax.axvline(avg, color="#333333", lw=0.8, ls="--")
            ax.set_title("\n".join(textwrap.wrap(label, 38)), fontsize=8, loc="left")
            ax.set_yticks(range(len(names)), names if k % ncol == 0 else [""] * len(names), fontsize=7)
            ax.set_ylim(len(names) - 0.5, -0.5)
            ax.tick_params(axis="x", labelsize=7)
        for k in range(len(measures), nrow * ncol):
            axes[k // ncol][k % ncol].set_visible(False)
        iname = index_label(c.index_names, index_code, lang)
        fig.suptitle(
            w["components_title"].format(index=iname, year=c.year) + f" (– – {w['national_avg']})",
            fontsize=9.5,
            x=0.01,
            ha="left",
        )
    d = DATA_COLUMNS[lang]
    data = pd.DataFrame(rows, columns=[d["label"], d["province"], d["score"], d["rank"]])
    alt = w["components_alt"].format(index=iname, year=c.year, n=len(measures), names=", ".join(names))
    return attach(fig, data, alt)


def rank_trajectories(c: Comparison, lang: str = "en") -> Figure | None:
    """Every province's rank over the years on one chart, one panel per index (rank 1 at the top);
    None when no province has a rank in two years."""
    w = COMPARE[check_lang(lang)]
    order = list(dict.fromkeys(line.index_code for p in c.profiles for line in p.trajectory if len(line.years) > 1))
    if not order:
        return None
    names = _names(c, lang)
    rows = []
    with mpl.rc_context(STYLE):
        fig = Figure(figsize=(WIDTH, 0.9 + 1.9 * len(order)), layout="constrained")
        axes = fig.subplots(len(order), 1, squeeze=False)[:, 0]
        for ax, idx in zip(axes, order):
            for i, p in enumerate(c.profiles):
                line = next((x for x in p.trajectory if x.index_code == idx), None)
                if line is None or not line.years:
                    continue
                ax.plot(line.years, line.ranks, marker="o", ms=3, lw=1.4, color=_color(i), label=names[i])
                rows += [
                    [index_label(c.index_names, idx, lang), names[i], str(y), str(rk)]
                    for y, rk in zip(line.years, line.ranks)
                ]
            ax.invert_yaxis()
            ax.set_title(index_label(c.index_names, idx, lang), fontsize=8.5, loc="left")
            ax.xaxis.set_major_locator(mpl.ticker.MaxNLocator(integer=True))
            ax.tick_params(labelsize=7)
        handles, labels = axes[0].get_legend_handles_labels()
        fig.legend(handles, labels, loc="outside lower center", ncol=min(len(names), 3), fontsize=7.5, frameon=False)
        fig.suptitle(w["trajectories_title"], fontsize=9.5, x=0.01, ha="left")
    d = DATA_COLUMNS[lang]
    data = pd.DataFrame(rows, columns=[d["index"], d["province"], d["year"], d["rank"]])
    return attach(fig, data, w["trajectories_alt"].format(names=", ".join(names)))

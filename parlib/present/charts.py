"""Report charts with matplotlib only, in English or Vietnamese.

Every function returns a :class:`matplotlib.figure.Figure` built without pyplot (no global
figure state; in a notebook, return or ``display()`` it), or ``None`` where documented. All
numbers come from an assessment profile (:func:`parlib.engine.profile.assess`) or the score table;
a missing figure is annotated "No data" / "Không có dữ liệu" and never drawn as 0.

Text is set in DejaVu Sans, which ships with matplotlib and covers Vietnamese;
:func:`missing_glyphs` checks a drawn figure for characters its fonts lack, and the tests
use it on every Vietnamese chart.
"""

from __future__ import annotations

import inspect
import io
import math
import textwrap
import unicodedata
from functools import lru_cache, wraps

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import MaxNLocator, ScalarFormatter

from parlib.engine import deltas as dl
from parlib.present import fmt
from parlib.engine.profile import Profile
from parlib.data.indices import INDICES, index_name, periods
from parlib.data.registry import Province
from parlib.data.registry import province as resolve
from parlib.data.registry import provinces as registry
from parlib.data.registry import unit_set_for_year
from parlib.present.tables import component_label, cross_index_values, province_name

__all__ = ["setup_style", "STYLE", "to_png", "missing_glyphs", "component_changes", "components_vs_average",
           "rank_trajectory", "region_comparison", "distribution", "cross_index"]

LANGS = ("en", "vi")
WIDTH = 6.4  # inches: 704 px at 110 dpi, scales down to a phone-width page and stays legible
DPI = 110

#: The one place for chart rcParams (applied while each chart is built; :func:`setup_style`
#: applies them globally, e.g. at the top of a notebook).
STYLE = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": 10,
    "axes.titlesize": 11.5,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.unicode_minus": True,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 8.5,
    "legend.frameon": False,
    "figure.titlesize": 11.5,
    "figure.titleweight": "bold",
    "figure.dpi": DPI,
    "figure.figsize": (WIDTH, 4.0),
    "savefig.dpi": DPI,
    "savefig.bbox": "tight",
    "savefig.facecolor": "white",
    "text.parse_math": False,  # "$" in a name or a source id is text, not mathtext
}

UP, DOWN, NEUTRAL = "#1a9850", "#d73027", "#8c8c8c"
FOCUS, OTHER = "#d95f02", "#9ecae1"
YEAR_C, BASE_C, AVG_C = "#08519c", "#6baed6", "#bdbdbd"
INDEX_COLORS = {"PAR": "#0072B2", "SIPAS": "#E69F00", "PAPI": "#009E73", "PCI": "#CC79A7"}
NOTE_SIZE = 7.5

TXT = {
    "en": {
        "no_data": "No data", "points": "points", "pp": "percentage points",
        "change_title": "{index}: change by component, {base}–{year}",
        "published_title": "{index}: published changes by component area, {base}–{year}",
        "change_x": "Change ({unit})",
        "published_x": "Change (percentage points of the component's achievement rate)",
        "source": "Source: {ids}", "published_kind": "Published changes; component scores are not in the data.",
        "break_note": "The comparison crosses a change of methodology: read the changes with care.",
        "vs_title": "{index}: components in {year}, {base} and the national average",
        "vs_title_nobase": "{index}: components in {year} and the national average",
        "score_max": "Score (points, maximum {max})", "score": "Score (points)",
        "national": "National average", "national_computed": "National average (mean of provinces with data)",
        "year": "{year}", "traj_title": "{province}: rank by index, {first}–{last}",
        "rank_y": "Rank (1 = best)", "n_legend": "{index} (ranked out of {n})",
        "break_legend": "Change of methodology", "break_item": "{letter}: {index} from {year}: {label}",
        "gaps": "Lines are not drawn across years without a rank. No rank in the data: {items}.",
        "no_rank": "No rank in the data for {items}.",
        "region_title": "{index} {year}: {region} ({n} of {total} provinces with a score)",
        "regional": "Regional average", "published": "published", "mean_prov": "mean of provinces",
        "no_regional": "No regional average: only {n} of {total} provinces of the region have a score.",
        "no_region": "No regions are defined for the 34 units formed in 2025.",
        "dist_title": "{index} {year}: scores of {n} provinces",
        "dist_partial": "{index} {year}: scores of {n} of {total} provinces (the others are not in the data)",
        "dist_x_pct": "Score (%)", "dist_x_pts": "Score (points, maximum {max})", "dist_y": "Number of provinces",
        "hl_missing": "{province}: no score for {year} in the data",
        "cross_title": "Index totals compared, {year}",
        "cross_none": "Not enough published data to compare the indices in {year}:\n"
                      "at least {k} provinces must have both scores.",
        "pair_n": "{a} × {b}: {n} provinces with both",
        "pair_stat": "n = {n}, r = {r}", "skipped": "Not shown (fewer than {k} provinces with both): {items}.",
        "value_unit_pct": "{index} (%)", "value_unit_pts": "{index} (points)",
    },
    "vi": {
        "no_data": "Không có dữ liệu", "points": "điểm", "pp": "điểm phần trăm",
        "change_title": "{index}: thay đổi các chỉ số thành phần, {base}–{year}",
        "published_title": "{index}: thay đổi theo lĩnh vực đã công bố, {base}–{year}",
        "change_x": "Thay đổi ({unit})",
        "published_x": "Thay đổi (điểm phần trăm của tỷ lệ đạt được của lĩnh vực)",
        "source": "Nguồn: {ids}", "published_kind": "Số liệu thay đổi đã công bố; chưa có điểm các lĩnh vực.",
        "break_note": "So sánh qua thay đổi phương pháp đánh giá: cần thận trọng khi đọc mức thay đổi.",
        "vs_title": "{index}: các chỉ số thành phần năm {year}, năm {base} và trung bình toàn quốc",
        "vs_title_nobase": "{index}: các chỉ số thành phần năm {year} và trung bình toàn quốc",
        "score_max": "Điểm (tối đa {max} điểm)", "score": "Điểm",
        "national": "Trung bình toàn quốc",
        "national_computed": "Trung bình toàn quốc (bình quân các tỉnh có số liệu)",
        "year": "Năm {year}", "traj_title": "{province}: thứ hạng các chỉ số, {first}–{last}",
        "rank_y": "Thứ hạng (1 = cao nhất)", "n_legend": "{index} (xếp hạng trên {n} tỉnh)",
        "break_legend": "Thay đổi phương pháp", "break_item": "{letter}: {index} từ năm {year}: {label}",
        "gaps": "Không nối đường qua các năm không có thứ hạng. Chưa có thứ hạng: {items}.",
        "no_rank": "Chưa có thứ hạng của {items}.",
        "region_title": "{index} năm {year}: {region} ({n}/{total} tỉnh có điểm số)",
        "regional": "Trung bình vùng", "published": "số liệu công bố", "mean_prov": "bình quân các tỉnh",
        "no_regional": "Chưa có trung bình vùng: chỉ {n}/{total} tỉnh trong vùng có điểm số.",
        "no_region": "Chưa có phân vùng cho 34 đơn vị hành chính từ năm 2025.",
        "dist_title": "{index} năm {year}: điểm số của {n} tỉnh, thành phố",
        "dist_partial": "{index} năm {year}: điểm số của {n}/{total} tỉnh, thành phố (các tỉnh khác chưa có trong dữ liệu)",
        "dist_x_pct": "Điểm số (%)", "dist_x_pts": "Điểm số (tối đa {max} điểm)", "dist_y": "Số tỉnh, thành phố",
        "hl_missing": "{province}: chưa có điểm số năm {year}",
        "cross_title": "So sánh tổng điểm các chỉ số năm {year}",
        "cross_none": "Chưa đủ số liệu đã công bố để so sánh các chỉ số năm {year}:\n"
                      "cần ít nhất {k} tỉnh có cả hai điểm số.",
        "pair_n": "{a} × {b}: {n} tỉnh có cả hai",
        "pair_stat": "n = {n}, r = {r}", "skipped": "Không vẽ (dưới {k} tỉnh có cả hai điểm số): {items}.",
        "value_unit_pct": "{index} (%)", "value_unit_pts": "{index} (điểm)",
    },
}


# --- style, output, glyph check -----------------------------------------------------------------
def setup_style() -> None:
    """Apply :data:`STYLE` to matplotlib's global rcParams (for other plots in a notebook)."""
    mpl.rcParams.update(STYLE)


def _styled(fn):
    """Build the chart under :data:`STYLE`, and pin tick label sizes (ticks are made at draw time)."""

    sig = inspect.signature(fn)

    @wraps(fn)
    def wrapper(*args, **kwargs):
        bound = sig.bind(*args, **kwargs)
        bound.apply_defaults()
        lang = bound.arguments.get("lang", "en")
        if lang not in LANGS:
            raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
        with mpl.rc_context(STYLE):
            fig = fn(*args, **kwargs)
            if fig is not None:
                for ax in fig.axes:
                    ax.tick_params(axis="x", labelsize=STYLE["xtick.labelsize"])
                    ax.tick_params(axis="y", labelsize=STYLE["ytick.labelsize"])
                    if lang == "vi":
                        for axis in (ax.xaxis, ax.yaxis):
                            if type(axis.get_major_formatter()) is ScalarFormatter:
                                axis.set_major_formatter(_CommaFormatter())
        return fig

    return wrapper


class _CommaFormatter(ScalarFormatter):
    """Matplotlib's default tick labels with a decimal comma (Vietnamese)."""

    def __call__(self, x, pos=None):
        return super().__call__(x, pos).replace(".", ",")

    def get_offset(self):
        return super().get_offset().replace(".", ",")


def to_png(fig: Figure, dpi: int = DPI) -> bytes:
    """The figure as PNG bytes (tight bounding box, white background)."""
    buf = io.BytesIO()
    with mpl.rc_context(STYLE):
        fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", facecolor="white")
    return buf.getvalue()


@lru_cache(maxsize=None)
def _charmap(path: str) -> frozenset[int]:
    from matplotlib.ft2font import FT2Font

    return frozenset(FT2Font(path).get_charmap())


def _font_paths(prop) -> list[str]:
    fm = mpl.font_manager
    finder = getattr(fm.fontManager, "_find_fonts_by_props", None)
    if finder is not None:  # the fallback list matplotlib itself renders with
        try:
            return [str(p) for p in finder(prop)]
        except Exception:  # pragma: no cover - private API changed
            pass
    return [fm.findfont(prop)]


def missing_glyphs(fig: Figure) -> list[tuple[str, str]]:
    """(text, character) pairs of every visible text of the figure (titles, labels, tick labels,
    legends, annotations) whose character has no glyph in the font(s) that text is drawn with.

    The figure is drawn first on an Agg canvas so that tick labels exist. An empty list means
    every character can be rendered.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    import warnings

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from")
        fig.canvas.draw()
    out: list[tuple[str, str]] = []
    seen = set()
    for t in fig.findobj(Text):
        if not t.get_visible():
            continue
        s = t.get_text()
        if not s:
            continue
        maps = [_charmap(p) for p in _font_paths(t.get_fontproperties())]
        for ch in dict.fromkeys(s):
            if ch.isspace() or unicodedata.category(ch).startswith("C"):
                continue
            if not any(ord(ch) in m for m in maps) and (s, ch) not in seen:
                seen.add((s, ch))
                out.append((s, ch))
    return out


# --- helpers ----------------------------------------------------------------------------------
def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)) or text


def _scores(scores: pd.DataFrame | None) -> pd.DataFrame:
    if scores is None:
        from parlib.data.loading import load_scores

        return load_scores(include_indicators=False)
    return scores


def _new(height: float, note_lines: int = 0, legend_rows: int = 0):
    """A figure with a main axes and, below it, text-only rows for a legend and for notes.

    Returns (fig, ax, legend_ax, note_ax); the last two are None when not asked for. Legend and
    notes are anchored to the figure's left edge and kept out of the layout, so long notes never
    squeeze the plot; their rows have a fixed height per line.
    """
    leg_h = 0.21 * legend_rows + 0.06 if legend_rows else 0.0
    note_h = 0.155 * note_lines + 0.06 if note_lines else 0.0
    fig = Figure(figsize=(WIDTH, height + leg_h + note_h), dpi=DPI, layout="constrained")
    ratios = [height] + ([leg_h] if legend_rows else []) + ([note_h] if note_lines else [])
    if len(ratios) == 1:
        return fig, fig.add_subplot(), None, None
    gs = fig.add_gridspec(len(ratios), 1, height_ratios=ratios)
    ax = fig.add_subplot(gs[0])
    extra = []
    for i in range(1, len(ratios)):
        a = fig.add_subplot(gs[i])
        a.axis("off")
        extra.append(a)
    lax = extra.pop(0) if legend_rows else None
    nax = extra.pop(0) if note_lines else None
    return fig, ax, lax, nax


def _left(fig, ax):
    """x in figure fraction, y in the axes' fraction: for text anchored at the figure's left edge."""
    return mpl.transforms.blended_transform_factory(fig.transFigure, ax.transAxes)


def _legend(fig, lax, handles, labels=None, ncol: int = 1) -> None:
    if lax is None or not handles:
        return
    if labels is None:
        labels = [h.get_label() for h in handles]
    leg = lax.legend(handles, labels, loc="upper left", bbox_to_anchor=(0.015, 1.0),
                     bbox_transform=_left(fig, lax), ncol=ncol, handlelength=1.8, columnspacing=1.4,
                     borderaxespad=0.0, frameon=False)
    leg.set_in_layout(False)


def _notes(nax, lines: list[str]) -> None:
    if nax is not None and lines:
        fig = nax.figure
        txt = nax.text(0.015, 1, "\n".join(lines), transform=_left(fig, nax), ha="left", va="top",
                       fontsize=NOTE_SIZE, color="#444444", linespacing=1.25, gid="notes")
        txt.set_in_layout(False)


def _rows(n: int, ncol: int) -> int:
    return math.ceil(n / ncol) if n else 0


def _wrap_notes(notes: list[str], width: int = 108) -> list[str]:
    out = []
    for n in notes:
        out += textwrap.wrap(n, width, break_long_words=False, break_on_hyphens=False) or [""]
    return out


def _title(fig: Figure, text: str, width: int = 60) -> None:
    """The chart title, left-aligned on the figure (not the axes), wrapped to the figure width."""
    fig.suptitle(_wrap(text, width), x=0.015, ha="left", fontsize=STYLE["figure.titlesize"],
                 fontweight=STYLE["figure.titleweight"])


def _no_data_figure(title: str, message: str) -> Figure:
    fig = Figure(figsize=(WIDTH, 2.2), dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    ax.axis("off")
    _title(fig, title)
    ax.text(0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center", fontsize=10, color="#555555",
            style="italic", gid="no-data")
    return fig


def _fmt_value(v: float, index_code: str, lang: str) -> str:
    return fmt.score(v, index_code, lang)


def _set_height_for(n: int, per: float = 0.42, base: float = 1.5) -> float:
    return max(2.4, base + per * n)


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
    iname = index_name(index_code, lang)
    comps = [c for c in r.components if c.value is not None]
    notes = []
    if comps and any(c.delta is not None for c in comps):
        items = [(component_label(index_code, c.measure, c.name_en, c.name_vi, lang), c.delta) for c in comps]
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
        pp = all(c.unit == "percentage points" for c in pcs)
        xlabel = t["published_x"] if pp else t["change_x"].format(unit=pcs[0].unit)
        notes.append(t["published_kind"])
        if r.crosses_break:
            notes.append(t["break_note"])
        notes.append(t["source"].format(ids=", ".join(dict.fromkeys(c.source_id for c in pcs))))
    else:
        return None
    have = sorted([x for x in items if x[1] is not None], key=lambda x: -x[1])
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
        if published and ("," if lang == "vi" else ".") in label:  # quote a published figure as printed
            label = label.rstrip("0").rstrip(",.")
        ax.annotate(label, (d, b.get_y() + b.get_height() / 2), xytext=(4 if d >= 0 else -4, 0),
                    textcoords="offset points", ha="left" if d >= 0 else "right", va="center", fontsize=8.5)
    for i, _ in enumerate(miss, start=len(have)):
        ax.annotate(t["no_data"], (0, i), xytext=(4, 0), textcoords="offset points", ha="left", va="center",
                    fontsize=8.5, style="italic", color="#666666", gid="no-data")
    ax.axvline(0, color="#333333", lw=0.8)
    ax.set_yticks(y, [_wrap(n, 30) for n, _ in order])
    ax.set_ylim(len(order) - 0.5, -0.5)  # every row, with or without a bar; largest rise on top
    ax.set_xlabel(_wrap(xlabel, 56))
    _title(fig, title)
    ax.grid(axis="x", color="#eeeeee", lw=0.6)
    ax.set_axisbelow(True)
    _notes(nax, lines)
    return fig


def _component_avg_basis(index_code: str, year: int) -> set[str]:
    """How the component national averages of an index-year were obtained (published/computed)."""
    s = _scores(None)
    s = s[(s.index_code.astype(str) == index_code) & (s.year == year) & (s.level == "component")]
    if s.empty:
        return set()
    nat = dl.national_average(s)
    return set(nat.avg_basis[nat.national_avg.notna()])


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
    iname = index_name(index_code, lang)
    has_base = r.base_year is not None and any(c.base_value is not None for c in comps)
    series = [("value", t["year"].format(year=r.year), YEAR_C)]
    if has_base:
        series.append(("base_value", t["year"].format(year=r.base_year), BASE_C))
    basis = _component_avg_basis(index_code, r.year)
    series.append(("national_avg", t["national_computed"] if basis == {"mean_of_provinces"} else t["national"],
                   AVG_C))
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
                ax.annotate(t["no_data"], (0, y[i] + off), xytext=(3, 0), textcoords="offset points", ha="left",
                            va="center", fontsize=7, style="italic", color="#666666", gid="no-data")
            elif attr == "value":
                ax.annotate(fmt.number(v, lang), (v, y[i] + off), xytext=(3, 0), textcoords="offset points",
                            ha="left", va="center", fontsize=7.5, color=YEAR_C)
    ax.set_xlim(0, xmax * 1.06 if top is None else xmax)
    ax.set_yticks(y, [_wrap(component_label(index_code, c.measure, c.name_en, c.name_vi, lang), 28) for c in comps])
    ax.invert_yaxis()
    ax.set_xlabel(t["score_max"].format(max=fmt.number(top, lang, 0)) if top is not None else t["score"])
    title = (t["vs_title"] if has_base else t["vs_title_nobase"]).format(index=iname, year=r.year,
                                                                         base=r.base_year)
    _title(fig, title)
    ax.grid(axis="x", color="#eeeeee", lw=0.6)
    ax.set_axisbelow(True)
    _legend(fig, lax, *ax.get_legend_handles_labels(), ncol=k)
    return fig


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
def rank_trajectory(province: str | Province, index_codes=None, lang: str = "en",
                    scores: pd.DataFrame | None = None) -> Figure:
    """Rank of a province in every year with a rank, one line per index (rank 1 on top, markers,
    the last point labelled rank/N, N in the legend). Lines are broken where a year has no rank.
    Dashed vertical lines mark each index's changes of methodology (:func:`parlib.data.indices.periods`),
    lettered and explained below the chart in the language. A province without any rank gets a
    "No data" figure."""
    t = TXT[lang]
    p = resolve(province, unit_set="VN63") if not isinstance(province, Province) else province
    codes = [c for c in (index_codes or INDICES)]
    if isinstance(index_codes, str):
        codes = [index_codes]
    s = _scores(scores)
    s = s[(s.measure == "TOTAL") & s.index_code.astype(str).isin(codes)]
    ranked = dl.rank_scores(s)
    ranked = ranked[ranked["rank"].notna()]
    ranked = ranked.assign(index_code=ranked.index_code.astype(str))
    mine = ranked[ranked.province_code == p.code]
    pname = p.name(lang)
    plotted = [c for c in codes if (mine.index_code == c).any()]
    absent = [c for c in codes if c not in plotted]
    if not plotted:
        return _no_data_figure(t["traj_title"].format(province=pname, first="", last="").rstrip(", –"),
                               t["no_data"])
    first, last = int(mine.year.min()), int(mine.year.max())

    # breaks: period starts strictly inside each plotted index's span of ranks
    breaks = []
    for c in plotted:
        ys = mine.year[mine.index_code == c]
        lo, hi = int(ys.min()), int(ys.max())
        for row in periods(c).iloc[1:].itertuples():
            if lo < row.first_year <= hi:
                breaks.append((c, int(row.first_year), row.label_vi if lang == "vi" else row.label_en))
    breaks.sort(key=lambda b: (b[1], codes.index(b[0])))
    letters = "abcdefghijklmnopqrstuvwxyz"

    notes = [t["break_item"].format(letter=letters[i], index=index_name(c, lang), year=y, label=label)
             for i, (c, y, label) in enumerate(breaks)]
    gaps = []
    for c in plotted:
        span = sorted(int(y) for y in ranked.year[ranked.index_code == c].unique())
        have = set(int(y) for y in mine.year[mine.index_code == c])
        lo, hi = min(have), max(have)
        # every calendar year inside the province's span, and the index's other years outside it
        miss = sorted({y for y in range(lo, hi + 1) if y not in have} | {y for y in span if y < lo or y > hi})
        if miss:
            gaps.append(f"{index_name(c, lang)} {_year_ranges(miss)}")
    if gaps:
        notes.append(t["gaps"].format(items="; ".join(gaps)))
    if absent:
        notes.append(t["no_rank"].format(items=", ".join(index_name(c, lang) for c in absent)))
    lines = _wrap_notes(notes)
    n_handles = len(plotted) + (1 if breaks else 0)
    fig, ax, lax, nax = _new(3.6, len(lines), _rows(n_handles, 2))

    nmax = 0
    for c in plotted:
        m = mine[mine.index_code == c].sort_values("year")
        yrs = m.year.to_numpy(int)
        rks = m["rank"].astype(float).to_numpy()
        ns = pd.to_numeric(m.n_ranked, errors="coerce").astype(float).to_numpy()
        nmax = max(nmax, int(np.nanmax(ns)) if np.isfinite(ns).any() else int(rks.max()))
        nset = sorted({int(n) for n in ns if np.isfinite(n)})
        nlabel = (str(nset[0]) if len(nset) == 1 else f"{nset[0]}–{nset[-1]}") if nset else "?"
        color = INDEX_COLORS.get(c, "#333333")
        cut = np.flatnonzero(np.diff(yrs) != 1) + 1
        for k, (ys, rs) in enumerate(zip(np.split(yrs, cut), np.split(rks, cut))):
            ax.plot(ys, rs, marker="o", ms=4.5, lw=1.8, color=color, gid=f"rank-{c}",
                    label=t["n_legend"].format(index=index_name(c, lang), n=nlabel) if k == 0 else "_nolegend_")
        n_last = ns[-1]
        tail = f"{int(rks[-1])}/{int(n_last)}" if np.isfinite(n_last) else f"{int(rks[-1])}"
        ax.annotate(tail, (yrs[-1], rks[-1]), xytext=(5, 0), textcoords="offset points", ha="left", va="center",
                    fontsize=8, color=color, fontweight="bold", gid=f"last-{c}")

    ymax = max(nmax, 10) + 2
    ax.set_ylim(ymax, 0)  # inverted: rank 1 on top
    ticks = [1] + list(range(10, ymax, 10))
    ax.set_yticks(ticks)
    ax.set_xlim(first - 0.6, last + 1.4)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=10))
    ax.set_ylabel(t["rank_y"])
    ax.grid(axis="y", color="#eeeeee", lw=0.6)
    ax.set_axisbelow(True)

    count_at: dict[int, int] = {}
    for i, (c, y, _) in enumerate(breaks):
        k = count_at.get(y, 0)
        count_at[y] = k + 1
        x = y - 0.5 + 0.07 * k
        color = INDEX_COLORS.get(c, "#333333")
        ax.axvline(x, color=color, ls="--", lw=1.1, alpha=0.85, gid=f"break-{c}-{y}")
        ax.text(x, 0.985 - 0.075 * k, letters[i], transform=ax.get_xaxis_transform(), ha="center", va="top",
                fontsize=8, color=color, fontweight="bold", gid=f"break-label-{c}-{y}",
                bbox=dict(boxstyle="round,pad=0.15", fc="white", ec=color, lw=0.6))
    handles, labels = ax.get_legend_handles_labels()
    if breaks:
        handles.append(Line2D([], [], color="#555555", ls="--", lw=1.1))
        labels.append(t["break_legend"])
    _title(fig, t["traj_title"].format(province=pname, first=first, last=last))
    _legend(fig, lax, handles, labels, ncol=2)
    _notes(nax, lines)
    return fig


# --- one index, many provinces ----------------------------------------------------------------
def _national_avg(index_code: str, year: int, s: pd.DataFrame, measure: str = "TOTAL") -> tuple[float | None, str]:
    sub = s[(s.index_code.astype(str) == index_code) & (s.year == year) & (s.measure == measure)]
    if sub.empty:
        return None, ""
    nat = dl.national_average(sub)
    if nat.empty or pd.isna(nat.national_avg.iloc[0]):
        return None, ""
    return float(nat.national_avg.iloc[0]), str(nat.avg_basis.iloc[0])


def _regional_avg(index_code: str, year: int, region_code: str, s: pd.DataFrame) -> tuple[float | None, str]:
    """The region's average as the engine computes it (:func:`parlib.engine.deltas.regional_average`)."""
    sub = s[(s.index_code.astype(str) == index_code) & (s.year == year) & (s.measure == "TOTAL")]
    ra = dl.regional_average(sub) if len(sub) else pd.DataFrame(columns=["region_code", "regional_avg"])
    hit = ra[(ra.region_code == region_code) & ra.regional_avg.notna()]
    if hit.empty:
        return None, ""
    return float(hit.regional_avg.iloc[0]), str(hit.regional_basis.iloc[0])


@_styled
def region_comparison(profile: Profile, index_code: str, lang: str = "en",
                      scores: pd.DataFrame | None = None) -> Figure:
    """Bars of the index total for every province of the profile's region that year, best on
    top, the province highlighted; provinces without a score are listed with "No data" (no bar).
    Vertical lines: the national average (published, else the mean of provinces with data) and
    the regional average (published, else the mean of the region's provinces with a score when the
    national field is covered; :func:`parlib.engine.deltas.regional_average`)."""
    t = TXT[lang]
    p, year = profile.province, profile.year
    iname = index_name(index_code, lang)
    reg = registry("VN63")
    if not p.region_code or unit_set_for_year(year) != "VN63":
        return _no_data_figure(f"{iname} {year}", t["no_region"])
    members = reg[reg.region_code == p.region_code]
    codes = list(members.code)
    s = _scores(scores)
    sub = s[(s.index_code.astype(str) == index_code) & (s.year == year) & (s.measure == "TOTAL")
            & s.province_code.isin(codes) & s.value.notna()]
    values = {c: float(v) for c, v in zip(sub.province_code, sub.value)}
    region = p.region_vi if lang == "vi" else p.region_en
    have = sorted(values, key=lambda c: -values[c])
    from parlib._text import fold

    miss = sorted([c for c in codes if c not in values], key=lambda c: fold(province_name(c, lang)))
    order = have + miss
    r = profile.index(index_code)
    if r is not None and r.national_avg is not None:
        nat, nat_basis = r.national_avg, r.avg_basis
    else:
        nat, nat_basis = _national_avg(index_code, year, s)
    ravg, r_basis = _regional_avg(index_code, year, p.region_code, s)
    notes = []
    if ravg is None:
        notes.append(t["no_regional"].format(n=len(values), total=len(codes)))
    lines = _wrap_notes(notes)
    n_handles = (nat is not None) + (ravg is not None)
    fig, ax, lax, nax = _new(_set_height_for(len(order), per=0.3, base=1.8), len(lines), n_handles)
    y = np.arange(len(order))
    vals = [values[c] for c in have]
    colors = [FOCUS if c == p.code else OTHER for c in have]
    bars = ax.barh(y[: len(have)], vals, color=colors, height=0.7, gid="region-bars")
    refs = [v for v in (nat, ravg) if v is not None]
    top = max(vals + refs) if (vals or refs) else 100.0
    ax.set_xlim(0, top * 1.04)
    ax.set_ylim(len(order) - 0.5, -0.6)  # every row, with or without a bar; best on top
    # values in a column right of the plot, clear of the reference lines
    vt = mpl.transforms.blended_transform_factory(ax.transAxes, ax.transData)
    for b, c, v in zip(bars, have, vals):
        ax.text(1.015, b.get_y() + b.get_height() / 2, _fmt_value(v, index_code, lang), transform=vt,
                ha="left", va="center", fontsize=8.5, color=FOCUS if c == p.code else "#222222",
                fontweight="bold" if c == p.code else "normal", gid=f"value-{c}")
    for i, c in enumerate(miss, start=len(have)):
        ax.annotate(t["no_data"], (0, i), xytext=(4, 0), textcoords="offset points", ha="left", va="center",
                    fontsize=8, style="italic", color=FOCUS if c == p.code else "#666666", gid="no-data")
    ax.set_yticks(y, [province_name(c, lang) for c in order])
    for lab, c in zip(ax.get_yticklabels(), order):
        if c == p.code:
            lab.set_fontweight("bold")
            lab.set_color(FOCUS)
    handles = []
    if nat is not None:
        basis = t["published"] if nat_basis == "published" else t["mean_prov"]
        ax.axvline(nat, color="#222222", ls="--", lw=1.1, gid="national-avg")
        handles.append(Line2D([], [], color="#222222", ls="--", lw=1.1,
                              label=f"{t['national']}: {_fmt_value(nat, index_code, lang)} ({basis})"))
    if ravg is not None:
        basis = t["published"] if r_basis == "published" else t["mean_prov"]
        ax.axvline(ravg, color="#6a3d9a", ls=":", lw=1.6, gid="regional-avg")
        handles.append(Line2D([], [], color="#6a3d9a", ls=":", lw=1.6,
                              label=f"{t['regional']}: {_fmt_value(ravg, index_code, lang)} ({basis})"))
    ax.set_xlabel(t["dist_x_pct"] if index_code in ("PAR", "SIPAS") else t["score"])
    _title(fig, t["region_title"].format(index=iname, year=year, region=region, n=len(values), total=len(codes)))
    _legend(fig, lax, handles)
    _notes(nax, lines)
    return fig


@_styled
def distribution(year: int, index_code: str, lang: str = "en", highlight: str | Province | None = None,
                 scores: pd.DataFrame | None = None, measure: str = "TOTAL") -> Figure:
    """Histogram of every province's score in ``year`` with a rug of the individual scores, the
    national average and, if given, the highlighted province (its score and rank, or a note that
    it has no score). Partial fields (PAR INDEX, SIPAS) say how many provinces are in the data."""
    t = TXT[lang]
    iname = index_name(index_code, lang)
    s = _scores(scores)
    sub = s[(s.index_code.astype(str) == index_code) & (s.year == year) & (s.measure == measure)]
    vals = sub.value.dropna().astype(float).to_numpy()
    if len(vals) == 0:
        return _no_data_figure(f"{iname} {year}", t["no_data"])
    ranked = dl.rank_scores(sub)
    n_pub = pd.to_numeric(ranked.n_ranked, errors="coerce").max()
    total = int(n_pub) if pd.notna(n_pub) else len(registry(unit_set_for_year(year)))
    hp = None
    if highlight is not None:
        hp = highlight if isinstance(highlight, Province) else resolve(highlight, year=year)
    nat, basis = _national_avg(index_code, year, s, measure)
    hv, hrank = None, ""
    if hp is not None:
        row = ranked[ranked.province_code == hp.code]
        if len(row) and pd.notna(row.value.iloc[0]):
            hv = float(row.value.iloc[0])
            rk = row["rank"].iloc[0]
            tied = (" " + ("tied" if lang == "en" else "đồng hạng")) if bool(row.tied.iloc[0]) else ""
            hrank = f" ({fmt.rank_of(int(rk), row.n_ranked.iloc[0], lang)}{tied})" if pd.notna(rk) else ""
    n_handles = (nat is not None) + (hv is not None)
    fig, ax, lax, _ = _new(3.3, 0, n_handles)
    bins = np.histogram_bin_edges(vals, bins=min(14, max(5, int(math.sqrt(len(vals))) + 2)))
    ax.hist(vals, bins=bins, color=OTHER, edgecolor="white", gid="hist")
    ax.plot(vals, np.full(len(vals), 0.02), "|", color="#3182bd", ms=9, mew=1.2,
            transform=ax.get_xaxis_transform(), gid="rug")
    handles = []
    if nat is not None:
        ax.axvline(nat, color="#222222", ls="--", lw=1.1, gid="national-avg")
        b = t["published"] if basis == "published" else t["mean_prov"]
        handles.append(Line2D([], [], color="#222222", ls="--", lw=1.1,
                              label=f"{t['national']}: {_fmt_value(nat, index_code, lang)} ({b})"))
    if hv is not None:
        ax.axvline(hv, color=FOCUS, lw=2.2, gid="highlight")
        handles.append(Line2D([], [], color=FOCUS, lw=2.2,
                              label=f"{hp.name(lang)}: {_fmt_value(hv, index_code, lang)}{hrank}"))
    elif hp is not None:
        ax.text(0.01, 0.97, t["hl_missing"].format(province=hp.name(lang), year=year), transform=ax.transAxes,
                ha="left", va="top", fontsize=8.5, color=FOCUS, style="italic", gid="highlight-no-data",
                bbox=dict(boxstyle="round,pad=0.3", fc="white", ec=FOCUS, lw=0.6))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_ylabel(t["dist_y"])
    if index_code in ("PAR", "SIPAS"):
        ax.set_xlabel(t["dist_x_pct"])
    else:
        from parlib.engine.profile import _scale_max

        mx = _scale_max(index_code, year)
        ax.set_xlabel(t["dist_x_pts"].format(max=fmt.number(mx, lang, 0)) if mx else t["score"])
    title = (t["dist_title"] if len(vals) >= total else t["dist_partial"]).format(
        index=iname, year=year, n=len(vals), total=total)
    _title(fig, title)
    _legend(fig, lax, handles)
    return fig


@_styled
def cross_index(year: int, lang: str = "en", scores: pd.DataFrame | None = None,
                highlight: str | Province | None = None, min_pairs: int = 10) -> Figure:
    """Pairwise scatter of the indices' totals in ``year`` for every pair of indices where at
    least ``min_pairs`` provinces have both scores (n and Pearson r in each panel, the
    highlighted province marked). Pairs below that are listed; with none, the figure says there
    is not enough published data."""
    t = TXT[lang]
    wide = cross_index_values(year, scores)
    cols = list(wide.columns)
    pairs, skipped = [], []
    for i, a in enumerate(cols):
        for b in cols[i + 1:]:
            both = wide[[a, b]].dropna()
            (pairs if len(both) >= min_pairs else skipped).append((a, b, both))
    title = t["cross_title"].format(year=year)
    skipped_txt = [t["pair_n"].format(a=index_name(a, lang), b=index_name(b, lang), n=len(d)) for a, b, d in skipped]
    if not pairs:
        msg = t["cross_none"].format(year=year, k=min_pairs)
        if skipped_txt:
            msg += "\n" + "\n".join(skipped_txt)
        return _no_data_figure(title, msg)
    hp = None
    if highlight is not None:
        hp = highlight if isinstance(highlight, Province) else resolve(highlight, year=year)
    ncols = 1 if len(pairs) == 1 else 2
    nrows = math.ceil(len(pairs) / ncols)
    lines = _wrap_notes([t["skipped"].format(k=min_pairs, items="; ".join(skipped_txt))] if skipped_txt else [])
    note_h = 0.16 * len(lines) + 0.1 if lines else 0
    panel_h = 3.0 if ncols == 1 else 2.9
    fig = Figure(figsize=(WIDTH if ncols == 2 else WIDTH * 0.75, panel_h * nrows + 0.5 + note_h), dpi=DPI,
                 layout="constrained")
    gs = fig.add_gridspec(nrows + (1 if lines else 0), ncols,
                          height_ratios=[panel_h] * nrows + ([note_h] if lines else []))

    def label(idx: str) -> str:
        key = "value_unit_pct" if idx in ("PAR", "SIPAS") else "value_unit_pts"
        return t[key].format(index=index_name(idx, lang))

    for k, (a, b, d) in enumerate(pairs):
        ax = fig.add_subplot(gs[k // ncols, k % ncols])
        ax.scatter(d[a], d[b], s=16, color="#3182bd", alpha=0.8, edgecolor="white", lw=0.4, gid=f"scatter-{a}-{b}")
        if hp is not None and hp.code in d.index:
            ax.scatter([d.loc[hp.code, a]], [d.loc[hp.code, b]], s=50, color=FOCUS, edgecolor="black", lw=0.6,
                       zorder=3, gid="highlight")
            ax.annotate(hp.name(lang), (d.loc[hp.code, a], d.loc[hp.code, b]), xytext=(5, 4),
                        textcoords="offset points", fontsize=8, color=FOCUS, fontweight="bold")
        rr = float(np.corrcoef(d[a], d[b])[0, 1]) if len(d) > 2 and d[a].std() > 0 and d[b].std() > 0 else None
        stat = t["pair_stat"].format(n=len(d), r=fmt.number(rr, lang) if rr is not None else "—")
        if hp is not None and hp.code not in d.index:
            stat += f"\n{hp.name(lang)}: {t['no_data']}"
        ax.text(0.02, 0.97, stat, transform=ax.transAxes, ha="left", va="top", fontsize=8, color="#444444")
        ax.set_xlabel(_wrap(label(a), 34), fontsize=9)
        ax.set_ylabel(_wrap(label(b), 30), fontsize=9)
        ax.grid(color="#eeeeee", lw=0.6)
        ax.set_axisbelow(True)
    _title(fig, title)
    if lines:
        nax = fig.add_subplot(gs[nrows, :])
        nax.axis("off")
        _notes(nax, lines)
    return fig

"""What every parlib chart shares: the style, the figure skeleton and its fixed layout, the PNG
output and the glyph check, and small helpers (data table, alt text, notes, legend).

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
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.ticker import ScalarFormatter

from parlib._words import localized
from parlib.present import fmt
from parlib.present.catalogue import DATA_COLUMNS, LANGS, check_lang

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
    "savefig.facecolor": "white",
    "text.parse_math": False,  # "$" in a name or a source id is text, not mathtext
}

UP, DOWN, NEUTRAL = "#1a9850", "#d73027", "#8c8c8c"
FOCUS, OTHER = "#d95f02", "#9ecae1"
YEAR_C, BASE_C, AVG_C = "#08519c", "#6baed6", "#bdbdbd"
NOTE_SIZE = 7.5


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
                    sign = decimal_sign(lang)
                    if sign != ".":
                        for axis in (ax.xaxis, ax.yaxis):
                            if type(axis.get_major_formatter()) is ScalarFormatter:
                                axis.set_major_formatter(_DecimalFormatter(sign))
                _fit(fig)
        return fig

    return wrapper


def decimal_sign(lang: str) -> str:
    """The language's decimal sign as Babel writes a number ("." in English, "," in Vietnamese)."""
    return fmt.number(0.5, lang, 1)[1]


def name_in(names: dict, code: str, lang: str) -> str:
    """A province's name from an Overview's ``names`` (code → (name_en, name_vi), the data's
    languages), in ``lang`` or, for a language the data has no names in, in English (as
    :func:`parlib._words.localized`); the code when the province has no name."""
    pair = names.get(code)
    if pair is None:
        return code
    return localized({"name_en": pair[0], "name_vi": pair[1]}, "name", check_lang(lang))


class _DecimalFormatter(ScalarFormatter):
    """Matplotlib's default tick labels with the language's decimal sign."""

    def __init__(self, sign: str):
        super().__init__()
        self.sign = sign

    def __call__(self, x, pos=None):
        return super().__call__(x, pos).replace(".", self.sign)

    def get_offset(self):
        return super().get_offset().replace(".", self.sign)


def to_png(fig: Figure, dpi: int = DPI) -> bytes:
    """The figure as PNG bytes (tight bounding box, white background)."""
    buf = io.BytesIO()
    with mpl.rc_context(STYLE):
        fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", facecolor="white")
    return buf.getvalue()


def report_png(fig: Figure, dpi: int = DPI) -> bytes:
    """The figure as the report embeds it: drawn once at ``dpi`` on white, as an RGB PNG (no alpha
    channel: the background is opaque) at zlib level 1 (the fast end; the data behind is base64
    in the HTML either way)."""
    from PIL import Image

    buf = io.BytesIO()
    fig.savefig(buf, format="rgba", dpi=dpi, facecolor="white")
    pixels = len(buf.getbuffer()) // 4
    exact = fig.get_figwidth() * dpi  # Agg truncates the size to whole pixels
    w = next(w for w in (int(exact), round(exact)) if w and pixels % w == 0)
    img = Image.frombuffer("RGBA", (w, pixels // w), buf.getbuffer(), "raw", "RGBA", 0, 1).convert("RGB")
    out = io.BytesIO()
    img.save(out, format="png", compress_level=1)
    return out.getvalue()


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


def attach(fig: Figure, data: pd.DataFrame, alt: str) -> Figure:
    """Attach to a chart the table of exactly what it draws and the sentence it says (alt text);
    the report prints both under the image."""
    fig.parlib_data = data
    fig.parlib_alt = alt
    return fig


def _data(rows: list[list], lang: str, *cols: str) -> pd.DataFrame:
    c = DATA_COLUMNS[lang]
    return pd.DataFrame(rows, columns=[c[k] for k in cols])


def _n(v, lang: str) -> str:
    return fmt.DASH if v is None else fmt.number(v, lang)


#: Agg renderers by (width, height, dpi), shared by every chart of that size (see :class:`_Canvas`).
_RENDERERS: dict[tuple, RendererAgg] = {}


class _Canvas(FigureCanvasAgg):
    """An Agg canvas that draws with one renderer per figure size, shared by every chart of that size.

    Matplotlib caches text metrics per renderer; a new canvas per chart measured every label
    again. Charts of one size (a report's three region charts, one chart type across the reports
    of a batch) now measure a province name or a tick label once. A renderer's buffer is only
    read right after its draw (PNG output), so sharing it is safe for a figure that is saved or
    displayed; at most 16 sizes are kept.
    """

    def get_renderer(self):
        w, h = self.figure.bbox.size
        key = (w, h, self.figure.dpi)
        renderer = _RENDERERS.pop(key, None) or RendererAgg(w, h, self.figure.dpi)
        _RENDERERS[key] = renderer  # most recently used last
        while len(_RENDERERS) > 16:
            del _RENDERERS[next(iter(_RENDERERS))]
        self.renderer, self._lastKey = renderer, key
        return renderer


class _Row:
    """A text-only row under the plot (a legend or notes), ``height`` inches tall; :func:`_fit`
    anchors its artist at the row's top, at the figure's left edge."""

    def __init__(self, fig: Figure, height: float):
        self.figure, self.height, self.artist = fig, height, None


def _new(height: float, note_lines: int = 0, legend_rows: int = 0):
    """A figure with a main axes and, below it, text-only rows for a legend and for notes.

    Returns (fig, ax, legend_row, note_row); the last two are None when not asked for. Legend and
    notes are anchored to the figure's left edge, so long notes never squeeze the plot; their rows
    have a fixed height per line. The figure has no layout engine: :func:`_fit` places the axes
    once, when the chart is built (see :func:`_fit` for why).
    """
    leg_h = 0.21 * legend_rows + 0.06 if legend_rows else 0.0
    note_h = 0.155 * note_lines + 0.06 if note_lines else 0.0
    fig = Figure(figsize=(WIDTH, height + leg_h + note_h), dpi=DPI)
    _Canvas(fig)
    ax = fig.add_subplot()
    lrow = _Row(fig, leg_h) if legend_rows else None
    nrow = _Row(fig, note_h) if note_lines else None
    fig._parlib_fit = (ax, [r for r in (lrow, nrow) if r is not None])
    return fig, ax, lrow, nrow


#: Inches kept clear around a chart's content and between its blocks (title, plot, rows).
PAD = 0.1


def _fit(fig: Figure) -> None:
    """Place the main axes of a :func:`_new` figure so that its tick labels, axis labels and
    annotations fit between the title and the rows below, each block ``PAD`` apart.

    Run once, when the chart is built, instead of matplotlib's constrained layout, which solved
    the layout twice at every save and drew the figure once more without output before drawing it
    for real (with the tight-bbox save, about a third of a report's chart time). The axis
    decorations are measured once; the axes' texts (value labels, annotations; not an axes legend,
    which these charts do not use) until they settle. The text metrics measured here are cached on
    the renderer (:class:`_Canvas`) that the PNG's draw reuses.
    """
    spec = getattr(fig, "_parlib_fit", None)
    if spec is None:
        return
    ax, rows = spec
    renderer = fig.canvas.get_renderer()
    dpi = fig.dpi
    w, h = fig.get_size_inches()
    top = PAD
    if fig._suptitle is not None:
        fig._suptitle.set_y(1 - PAD / h)
        top += fig._suptitle.get_window_extent(renderer).height / dpi + PAD
    bottom = sum(r.height for r in rows)
    y = bottom
    for r in rows:
        if isinstance(r.artist, Legend):
            r.artist.set_bbox_to_anchor((0.015, y / h), transform=fig.transFigure)
        elif r.artist is not None:
            r.artist.set_y(y / h)
        y -= r.height
    frame = (PAD, bottom + PAD, w - PAD, h - top)  # inches: where the axes and its decorations go
    x0, y0, x1, y1 = frame
    ax.set_position([x0 / w, y0 / h, (x1 - x0) / w, (y1 - y0) / h])
    # The axes' tick labels and axis labels sit at a fixed distance from its edges: measured once.
    box = ax.get_window_extent(renderer)
    decor = [a.get_tightbbox(renderer, for_layout_only=True) for a in (ax.xaxis, ax.yaxis) if a.get_visible()]
    decor = [d for d in decor if d is not None and d.width and d.height]
    fixed = [
        max([box.x0 - d.x0 for d in decor], default=0.0),
        max([box.y0 - d.y0 for d in decor], default=0.0),
        max([d.x1 - box.x1 for d in decor], default=0.0),
        max([d.y1 - box.y1 for d in decor], default=0.0),
    ]
    texts = [t for t in ax.texts if t.get_visible() and t.get_in_layout() and t.get_text()]
    x0, y0 = frame[0] + max(fixed[0], 0.0) / dpi, frame[1] + max(fixed[1], 0.0) / dpi
    x1, y1 = frame[2] - max(fixed[2], 0.0) / dpi, frame[3] - max(fixed[3], 0.0) / dpi
    ax.set_position([x0 / w, y0 / h, (x1 - x0) / w, (y1 - y0) / h])
    box = ax.get_window_extent(renderer)
    # Text anchored to data moves when the axes shrinks: measure again, until nothing moves (a
    # pixel) and at most four times, the texts that first reached past the axes' edges.
    for i in range(4):
        measured = [(t, t.get_tightbbox(renderer)) for t in texts]
        boxes = [b for _, b in measured if b is not None and b.width]
        if i == 0:
            texts = [t for t, b in measured if b is not None and b.width and not _within(b, box, 2)]
        over = [
            max([box.x0 - b.x0 for b in boxes] + [fixed[0], 0.0]),
            max([box.y0 - b.y0 for b in boxes] + [fixed[1], 0.0]),
            max([b.x1 - box.x1 for b in boxes] + [fixed[2], 0.0]),
            max([b.y1 - box.y1 for b in boxes] + [fixed[3], 0.0]),
        ]
        new = (frame[0] + over[0] / dpi, frame[1] + over[1] / dpi, frame[2] - over[2] / dpi, frame[3] - over[3] / dpi)
        if max(abs(a - b) for a, b in zip(new, (x0, y0, x1, y1))) * dpi < 1:
            break
        x0, y0, x1, y1 = new
        ax.set_position([x0 / w, y0 / h, (x1 - x0) / w, (y1 - y0) / h])
        box = ax.get_window_extent(renderer)


def _within(inner, outer, margin: float) -> bool:
    """Whether bbox ``inner`` lies inside ``outer`` with ``margin`` pixels to spare on every side."""
    return (
        inner.x0 >= outer.x0 + margin
        and inner.x1 <= outer.x1 - margin
        and inner.y0 >= outer.y0 + margin
        and inner.y1 <= outer.y1 - margin
    )


def _left(fig, ax):
    """x in figure fraction, y in the axes' fraction: for text anchored at the figure's left edge."""
    return mpl.transforms.blended_transform_factory(fig.transFigure, ax.transAxes)


def _legend(fig, lax, handles, labels=None, ncol: int = 1) -> None:
    if lax is None or not handles:
        return
    if labels is None:
        labels = [h.get_label() for h in handles]
    row = isinstance(lax, _Row)
    leg = (fig if row else lax).legend(
        handles,
        labels,
        loc="upper left",
        bbox_to_anchor=(0.015, 1.0),
        bbox_transform=fig.transFigure if row else _left(fig, lax),
        ncol=ncol,
        handlelength=1.8,
        columnspacing=1.4,
        borderaxespad=0.0,
        frameon=False,
    )
    leg.set_in_layout(False)
    if row:
        lax.artist = leg


def _notes(nax, lines: list[str]) -> None:
    if nax is not None and lines:
        fig = nax.figure
        row = isinstance(nax, _Row)
        txt = (fig if row else nax).text(
            0.015,
            1,
            "\n".join(lines),
            transform=fig.transFigure if row else _left(fig, nax),
            ha="left",
            va="top",
            fontsize=NOTE_SIZE,
            color="#444444",
            linespacing=1.25,
            gid="notes",
        )
        txt.set_in_layout(False)
        if row:
            nax.artist = txt


def _rows(n: int, ncol: int) -> int:
    return math.ceil(n / ncol) if n else 0


def _wrap_notes(notes: list[str], width: int = 108) -> list[str]:
    out = []
    for n in notes:
        out += textwrap.wrap(n, width, break_long_words=False, break_on_hyphens=False) or [""]
    return out


def _title(fig: Figure, text: str, width: int = 60) -> None:
    """The chart title, left-aligned on the figure (not the axes), wrapped to the figure width."""
    fig.suptitle(
        _wrap(text, width),
        x=0.015,
        ha="left",
        fontsize=STYLE["figure.titlesize"],
        fontweight=STYLE["figure.titleweight"],
    )


def _no_data_figure(title: str, message: str) -> Figure:
    fig, ax, _, _ = _new(2.2)
    ax.axis("off")
    _title(fig, title)
    ax.text(
        0.5,
        0.5,
        message,
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=10,
        color="#555555",
        style="italic",
        gid="no-data",
    )
    return fig


def _fmt_value(v: float, index_code: str, lang: str) -> str:
    return fmt.score(v, index_code, lang)


def _set_height_for(n: int, per: float = 0.42, base: float = 1.5) -> float:
    return max(2.4, base + per * n)

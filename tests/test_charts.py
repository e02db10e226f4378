"""Report tables (parlib.present.tables) and charts (parlib.present.charts) on the real data, in both languages.

Real-data tests use Hưng Yên 2022: PAR INDEX and SIPAS ranks published without scores, six
published PAR component changes, full PAPI data. Synthetic score tables are named
``synthetic_*``.
"""

from __future__ import annotations

import io
import time

import matplotlib

matplotlib.use("Agg")

from dataclasses import replace  # noqa: E402
from functools import lru_cache  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import PIL.Image  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.text import Text  # noqa: E402

from parlib.data.dataset import load  # noqa: E402
from parlib.data.loading import manifest  # noqa: E402
from parlib.engine.model import build_model, model_for  # noqa: E402
from parlib.engine.profile import assess  # noqa: E402
from parlib.present import charts, overview_charts  # noqa: E402
from parlib.present import tables as tb  # noqa: E402

HY = "Hưng Yên"
SOURCE = "hungyen-portal-2023-05-26"


@pytest.fixture(scope="module")
def hy():
    ov(2022)  # build the year's overview once, outside the timed chart calls
    return assess(HY, 2022)


@lru_cache(maxsize=None)
def ov(year: int = 2022):
    """The year's overview, built once for the module (each test has its own empty user store)."""
    return model_for(load(), year).overview()


def synthetic_model(frame: pd.DataFrame, year: int):
    """The year model of a small synthetic score table (no published aggregates)."""
    s = frame.copy()
    for c in ("rank", "n_ranked"):
        if c not in s:
            s[c] = pd.array([pd.NA] * len(s), dtype="Int64")
    s["rank_basis"] = ""
    for c in ("ci_low", "ci_high", "se"):
        s[c] = np.nan
    s["source_id"], s["rank_source_id"], s["status"], s["note"], s["level"] = "synthetic", "", "reported", "", "total"
    return build_model(replace(load(), scores=s, aggregates=None), year)


def _row(df: pd.DataFrame, first_col_value: str) -> pd.Series:
    hit = df[df.iloc[:, 0] == first_col_value]
    assert len(hit) == 1, (first_col_value, df.iloc[:, 0].tolist())
    return hit.iloc[0]


def _texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


def _all_text(fig: Figure) -> str:
    charts.missing_glyphs(fig)  # draws the figure, so tick labels exist
    return "\n".join(_texts(fig))


# --- tables -----------------------------------------------------------------------------------
def test_scorecard_en(hy):
    df = tb.scorecard(hy, "en")
    assert list(df.columns)[:3] == ["Index", "Score", "Rank"]
    par, papi = _row(df, "PAR INDEX"), _row(df, "PAPI")
    assert par["Rank"] == "12th/63"
    assert par["Score"] == "—"  # rank published without a score: never 0
    assert par["Change in score"] == "—" and par["Gap to national average"] == "—"
    assert par["Change in rank"].startswith("= unchanged")
    assert "84.79%" in par["National average"] and "published" in par["National average"]
    assert papi["Score"] == "44.18/80 points"
    assert papi["Rank"] == "11th/61"
    # D1 was rescaled between 2021 and 2022: the total's change is not comparable (issue 17)
    assert papi["Change in score"] == "not comparable (see the headline)"
    assert papi["Change in rank"].startswith("↓6 places")
    assert papi["Gap to national average"] == "+1.84 points"
    assert "mean of provinces with data" in papi["National average"]
    assert papi["Group"].startswith("High performers")
    assert "†" in par["Change in rank"] and "methodology" in df.attrs["note"]


def test_scorecard_vi(hy):
    df = tb.scorecard(hy, "vi")
    assert list(df.columns)[:3] == ["Chỉ số", "Điểm số", "Xếp hạng"]
    par, papi = _row(df, "Chỉ số CCHC (PAR INDEX)"), _row(df, "Chỉ số PAPI")
    assert par["Xếp hạng"] == "12/63"
    assert par["Điểm số"] == "—"
    assert par["Thay đổi thứ hạng"].startswith("giữ nguyên vị trí")
    assert papi["Điểm số"] == "44,18/80 điểm"
    assert papi["Thay đổi điểm số"] == "không so sánh được (xem phần kết quả chung)"
    assert papi["Thay đổi thứ hạng"].startswith("giảm 6 bậc")
    assert papi["So với trung bình toàn quốc"] == "cao hơn 1,84 điểm"
    assert "84,79%" in par["Trung bình toàn quốc"]


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_tables_hold_no_raw_missing_values(hy, lang):
    frames = [
        tb.scorecard(hy, lang, include_missing=True),
        tb.components_table(hy, "PAR", lang),
        tb.components_table(hy, "PAPI", lang),
        tb.remedies_table(hy, lang),
        tb.whatif_table(hy, lang),
        tb.sources_table(hy, lang),
        tb.caveats_table(hy, lang),
    ]
    for df in frames:
        assert len(df), df
        for v in df.to_numpy().ravel():
            assert isinstance(v, str), (v, df.columns)
            assert v not in ("", "nan", "None", "<NA>", "0", "0.00", "0,00"), df
    pci = tb.scorecard(hy, lang, include_missing=True).iloc[-1]
    assert (pci.iloc[1:] == "—").all()


@pytest.mark.parametrize(
    "lang, change, gone",
    [("en", "−25 percentage points", "−20.26 percentage points"), ("vi", "giảm 25%", "giảm 20,26%")],
)
def test_components_table_par_published_changes(hy, lang, change, gone):
    df = tb.components_table(hy, "PAR", lang)
    assert len(df) == 6
    assert (df.iloc[:, -1] == SOURCE).all()
    kind = df.iloc[:, -2]
    assert kind.str.contains("published change" if lang == "en" else "thay đổi đã công bố").all()
    assert kind.str.contains("percentage points" if lang == "en" else "điểm phần trăm").all()
    assert change in df.iloc[:, 1].tolist() and gone in df.iloc[:, 1].tolist()
    assert "2021" in df.columns[1]


def test_components_table_papi_and_missing(hy):
    en, vi = tb.components_table(hy, "PAPI", "en"), tb.components_table(hy, "PAPI", "vi")
    assert len(en) == len(vi) == 8
    assert en.iloc[0, 0] == "1. Participation at Local Levels" and en.iloc[0, 1] == "5.49"  # one display name
    assert vi.iloc[7, 0] == "8. Quản trị điện tử" and vi.iloc[7, 1] == "3,24"
    assert "Kiểm soát tham nhũng" in vi.iloc[3, 0]
    assert tb.components_table(hy, "SIPAS", "en").empty
    assert tb.components_table(hy, "PCI", "vi").empty


def test_whatif_and_remedies_tables(hy):
    vi = tb.whatif_table(hy, "vi")
    assert len(vi) == len(hy.whatif)
    assert set(vi["Kịch bản"]) <= {"trung bình toàn quốc", "giá trị năm trước", "tỉnh cao nhất", "điểm tối đa"}
    en = tb.whatif_table(hy, "en", scenarios=("best",))
    assert set(en["Scenario"]) == {"best province"}
    assert all("→" in x for x in en["Rank from → to"])
    rem = tb.remedies_table(hy, "en")
    assert rem["Priority"].tolist() == [str(i) for i in range(1, len(rem) + 1)]
    assert rem.iloc[0]["Component"] == "Institutional reform" and rem.iloc[0]["Evidence"] == "published change"
    assert rem.iloc[3]["Component"] == "7. Environmental Governance"  # first level-based priority


def test_caveats_and_sources(hy):
    assert tb.caveats_list(hy, "vi")[0].startswith("Chỉ số PCI")
    src = tb.sources_table(hy, "en")
    assert SOURCE in src["Source id"].tolist()
    assert list(src.columns) == ["Source id", "Producer", "Title", "Address", "Kind", "Accessed", "Licence"]


def test_provenance_table():
    df = tb.provenance_table(
        {"province": HY, "year": 2022}, assess(HY, 2022).provenance, "vi", generated_at="2026-01-02T03:04:05Z"
    )
    d = dict(zip(df.iloc[:, 0], df.iloc[:, 1]))
    assert d["tham số: tỉnh"] == HY and d["Thời điểm tạo báo cáo"] == "2026-01-02T03:04:05Z"
    m = manifest()
    row = m.iloc[0]
    assert d[f"data/{row.file}"].startswith(f"sha256 {row.sha256[:12]} ")
    assert sum(k.startswith("data/") for k in d) == len(m)


def test_ranking_table_partial_par_2022():
    df = tb.ranking_table(ov(), "PAR", "vi")
    assert "chưa đầy đủ" in df.attrs["note"]
    hy = _row(df.iloc[:, [1, 0, 2]], HY)
    assert hy["Xếp hạng"] == "12/63" and hy["Điểm số"] == "—"
    ranks = df["Xếp hạng"].str.extract(r"^(\d+)")[0].astype(float)
    # Bình Phước's published rank contradicts the ranking and is withheld (issue 10 item 9): its
    # row has a score and no rank; the ranked rows stay in order.
    assert ranks.dropna().is_monotonic_increasing
    assert df.attrs["n_provinces"] < 63


def test_ranking_table_papi_complete_and_movers():
    df = tb.ranking_table(ov(), "PAPI", "en")
    assert len(df) == 61 and "Partial" not in df.attrs.get("note", "")
    assert df.iloc[0]["Rank"] == "1st/61"
    up, down = tb.movers(ov(), "PAPI", "en")
    assert len(up) == len(down) == 5
    assert up["Change in rank"].str.startswith("↑").all() and down["Change in rank"].str.startswith("↓").all()
    up_n = up["Change in rank"].str.extract(r"(\d+)")[0].astype(int)
    assert up_n.is_monotonic_decreasing
    pu, pd_ = tb.movers(ov(), "PAR", "en")
    assert pu.empty and pd_.empty and "methodology" in pu.attrs["note"]


def test_regional_averages_and_cross_index_table():
    ra = tb.regional_averages(ov(), "en")
    rrd = ra[(ra.Region == "Red River Delta") & (ra.Index == "PAR INDEX")].iloc[0]
    assert rrd["Published mean"].startswith("86.62% (published")
    assert rrd["Provinces with data"].endswith("/11")
    vn = ra[(ra.Region == "Viet Nam") & (ra.Index == "PAPI")].iloc[0]
    assert vn["Provinces with data"] == "61/63"
    ct = tb.cross_index_table(ov(), "vi")
    hy = _row(ct, HY)
    assert hy["Chỉ số CCHC (PAR INDEX)"] == "—" and hy["Chỉ số PAPI"] == "44,18"


def test_tables_reject_unknown_language(hy):
    with pytest.raises(ValueError):
        tb.scorecard(hy, "fr")


# --- charts -----------------------------------------------------------------------------------
CHARTS = {
    "component_changes_PAR": lambda p, lang: charts.component_changes(p, "PAR", lang=lang),
    "component_changes_PAPI": lambda p, lang: charts.component_changes(p, "PAPI", lang=lang),
    "components_vs_average_PAPI": lambda p, lang: charts.components_vs_average(p, "PAPI", lang=lang),
    "rank_trajectory": lambda p, lang: charts.rank_trajectory(p, lang=lang),
    "region_comparison_PAR": lambda p, lang: charts.region_comparison(p, "PAR", lang=lang),
    "region_comparison_PAPI": lambda p, lang: charts.region_comparison(p, "PAPI", lang=lang),
    "distribution_PAR": lambda p, lang: overview_charts.distribution(ov(), "PAR", lang=lang, highlight="33"),
    "distribution_PAPI": lambda p, lang: overview_charts.distribution(ov(), "PAPI", lang=lang, highlight="33"),
    "cross_index": lambda p, lang: overview_charts.cross_index(ov(), lang=lang, highlight="33"),
}


@pytest.mark.parametrize("lang", ["en", "vi"])
@pytest.mark.parametrize("name", list(CHARTS))
def test_chart_returns_figure_fast_with_all_glyphs(hy, name, lang):
    t0 = time.perf_counter()
    fig = CHARTS[name](hy, lang)
    png = charts.to_png(fig)
    elapsed = time.perf_counter() - t0
    assert isinstance(fig, Figure)
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
    assert elapsed < 1.5, f"{name} took {elapsed:.2f}s"
    assert charts.missing_glyphs(fig) == []


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_charts_documented_none(hy, lang):
    assert charts.components_vs_average(hy, "PAR", lang=lang) is None  # only published changes
    assert charts.component_changes(hy, "SIPAS", lang=lang) is None  # neither
    assert charts.component_changes(hy, "PCI", lang=lang) is None  # no PCI 2022


def test_vietnamese_text_is_rendered_and_complete(hy):
    text = {
        n: _all_text(CHARTS[n](hy, "vi"))
        for n in ("components_vs_average_PAPI", "component_changes_PAPI", "region_comparison_PAPI", "rank_trajectory")
    }
    assert "Quản trị điện tử" in text["components_vs_average_PAPI"]
    assert "Kiểm soát tham nhũng" in text["component_changes_PAPI"]
    assert "Đồng bằng sông Hồng" in text["region_comparison_PAPI"]
    assert "Thứ hạng (1 = cao nhất)" in text["rank_trajectory"]
    # Vietnamese number format on the axes too: no decimal point in tick labels
    fig = charts.component_changes(hy, "PAPI", lang="vi")
    charts.missing_glyphs(fig)
    ticks = [t.get_text() for t in fig.axes[0].get_xticklabels() if t.get_text()]
    assert any("," in t for t in ticks) and not any("." in t for t in ticks)
    assert "Change" not in "".join(_texts(fig))


def test_english_charts_are_english(hy):
    text = _all_text(CHARTS["region_comparison_PAPI"](hy, "en"))
    assert "Red River Delta" in text and "National average" in text and "Đồng bằng" not in text


def test_missing_glyphs_reports_a_character_dejavu_lacks(hy):
    fig = charts.component_changes(hy, "PAPI", lang="vi")
    fig.axes[0].set_title("Hưng Yên 河内")
    missing = charts.missing_glyphs(fig)
    assert ("Hưng Yên 河内", "河") in missing and ("Hưng Yên 河内", "内") in missing
    assert all(ch in "河内" for _, ch in missing)


def test_missing_glyphs_checks_legends_and_ticks():
    fig = Figure()
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], label="Quản trị ☃ 中")
    ax.legend()
    ax.set_xticks([0, 1], ["Đồng", "東"])
    missing = dict((c, s) for s, c in charts.missing_glyphs(fig))
    assert missing.get("中") == "Quản trị ☃ 中" and missing.get("東") == "東"
    assert "Đ" not in missing


def test_rank_trajectory_marks_methodology_breaks(hy):
    fig = charts.rank_trajectory(hy, lang="en")
    ax = fig.axes[0]
    lines = {ln.get_gid(): ln for ln in ax.get_lines() if ln.get_gid()}
    assert "break-PAR-2022" in lines and "break-PAPI-2018" in lines
    assert 2021 < lines["break-PAR-2022"].get_xdata()[0] < 2022
    assert 2017 < lines["break-PAPI-2018"].get_xdata()[0] < 2018
    assert "break-PAPI-2016" not in lines  # 2016 rebuilt dimensions, not a period of its own
    gids = {t.get_gid() for t in ax.texts}
    assert {"break-label-PAR-2022", "break-label-PAPI-2018"} <= gids
    notes = "\n".join(t.get_text() for t in fig.findobj(Text) if t.get_gid() == "notes")
    assert "876/QĐ-BNV" in notes and "8 dimensions" in notes
    vi = "\n".join(t.get_text() for t in charts.rank_trajectory(hy, lang="vi").findobj(Text) if t.get_gid() == "notes")
    assert "Quyết định 876/QĐ-BNV" in vi and "PAPI 8 chỉ số nội dung" in vi
    assert ax.yaxis_inverted()


def test_rank_trajectory_does_not_connect_missing_years():
    synthetic_scores = pd.DataFrame(
        {
            "index_code": "PAPI",
            "province_code": "33",
            "measure": "TOTAL",
            "year": [2014, 2015, 2016, 2019, 2020],
            "value": np.nan,
            "rank": pd.array([30, 20, 25, 10, 12], dtype="Int64"),
            "n_ranked": pd.array([63] * 5, dtype="Int64"),
        }
    )
    fig = charts.rank_trajectory(assess("33", 2020, model=synthetic_model(synthetic_scores, 2020)), lang="en")
    segs = [ln for ln in fig.axes[0].get_lines() if ln.get_gid() == "rank-PAPI"]
    assert [list(s.get_xdata()) for s in segs] == [[2014, 2015, 2016], [2019, 2020]]
    notes = "\n".join(t.get_text() for t in fig.findobj(Text) if t.get_gid() == "notes")
    assert "2017–2018" in notes and "2018" in notes  # the methodology break and the gap
    last = [t.get_text() for t in fig.axes[0].texts if t.get_gid() == "last-PAPI"]
    assert last == ["12/63"]


def test_no_chart_plots_missing_as_zero(hy):
    fig = charts.region_comparison(hy, "PAR", lang="vi")
    ax = fig.axes[0]
    bars = [p for c in ax.containers for p in c.patches]
    assert len(bars) == 5  # 5 of the 11 Red River Delta provinces have a 2022 PAR score
    assert all(b.get_width() > 50 for b in bars)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    hy_y = labels.index(HY)
    assert all(abs(b.get_y() + b.get_height() / 2 - hy_y) > 0.4 for b in bars)
    no_data = [t for t in ax.texts if t.get_gid() == "no-data"]
    assert len(no_data) == 6 and all(t.get_text() == "Không có dữ liệu" for t in no_data)
    assert any(abs(t.xy[1] - hy_y) < 1e-9 for t in no_data)

    fig = overview_charts.distribution(ov(), "PAR", lang="en", highlight="33")
    ax = fig.axes[0]
    heights = [p.get_height() for p in ax.patches]
    assert sum(heights) == 25  # only the provinces with a score
    rug = next(ln for ln in ax.get_lines() if ln.get_gid() == "rug")
    assert min(rug.get_xdata()) > 70
    assert not any(ln.get_gid() == "highlight" for ln in ax.get_lines())
    assert any(t.get_gid() == "highlight-no-data" and "no score" in t.get_text() for t in ax.texts)


def test_distribution_skips_synthetic_missing_values():
    synthetic_scores = pd.DataFrame(
        {
            "index_code": "PAPI",
            "year": 2022,
            "measure": "TOTAL",
            "province_code": ["01", "02", "04", "06", "08", "33"],
            "value": [45.0, 42.0, 40.0, 41.0, 44.0, np.nan],
        }
    )
    fig = overview_charts.distribution(
        synthetic_model(synthetic_scores, 2022).overview(), "PAPI", lang="vi", highlight="33"
    )
    ax = fig.axes[0]
    assert sum(p.get_height() for p in ax.patches) == 5
    xs = [p.get_x() for p in ax.patches]
    assert min(xs) >= 40.0
    assert any(t.get_gid() == "highlight-no-data" for t in ax.texts)
    assert charts.missing_glyphs(fig) == []


def test_cross_index_says_when_data_is_too_thin():
    synthetic_scores = pd.DataFrame(
        {  # two indices, 5 provinces each: below the 10-province floor
            "index_code": ["PAPI"] * 5 + ["PCI"] * 5,
            "year": 2022,
            "measure": "TOTAL",
            "province_code": ["01", "02", "04", "06", "08"] * 2,
            "value": [45.0, 42.0, 40.0, 41.0, 44.0, 60.0, 61.0, 62.0, 63.0, 64.0],
        }
    )
    thin = synthetic_model(synthetic_scores, 2022).overview()
    text = _all_text(overview_charts.cross_index(thin, lang="en"))
    assert "Not enough published data" in text and "5 provinces with both" in text
    fig = overview_charts.cross_index(ov(2022), lang="en")
    panels = [ax for ax in fig.axes if ax.collections]
    assert len(panels) == 4  # PAR×SIPAS (11), PAR×PAPI (24), SIPAS×PAPI (11), PAPI×PCI (16)


def test_component_changes_published_are_labelled(hy):
    fig = charts.component_changes(hy, "PAR", lang="en")
    text = _all_text(fig)
    assert "published changes" in text and SOURCE in text
    bars = [p for c in fig.axes[0].containers for p in c.patches]
    widths = sorted(round(b.get_width(), 2) for b in bars)
    assert widths == [-25.0, -20.26, -5.42, 5.95, 6.65, 8.12]
    colors = {round(b.get_width(), 2): matplotlib.colors.to_hex(b.get_facecolor()) for b in bars}
    assert colors[8.12] == charts.UP and colors[-25.0] == charts.DOWN


def test_setup_style_sets_dejavu():
    with matplotlib.rc_context():
        charts.setup_style()
        assert matplotlib.rcParams["font.sans-serif"][0] == "DejaVu Sans"
        assert matplotlib.rcParams["figure.dpi"] == charts.DPI


# --- cost: what the reader does not see is not paid for (issue 21) ---------------------------------
def test_matplotlib_pin_excludes_slow_text():
    """matplotlib 3.11 draws Agg text glyph by glyph (``RendererAgg._draw_text_glyphs_and_boxes``
    after a libraqm layout): measured with benchmarks/charts.py, a report's charts cost 1.6-2x the
    CPU of 3.10, and no rcParam restores it. Lift the pin only for a matplotlib measured as fast."""
    import tomllib
    from pathlib import Path

    from matplotlib.backends.backend_agg import RendererAgg
    from packaging.specifiers import SpecifierSet

    deps = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())["project"]["dependencies"]
    spec = SpecifierSet(next(d for d in deps if d.startswith("matplotlib"))[len("matplotlib") :])
    assert "3.11.2" not in spec, f"matplotlib{spec} admits 3.11, which draws text glyph by glyph (see pyproject)"
    assert matplotlib.__version__ in spec
    assert not hasattr(RendererAgg, "_draw_text_glyphs_and_boxes"), "this matplotlib draws text glyph by glyph"


REPORT_CHARTS = [k for k in CHARTS if k != "cross_index"]


@pytest.mark.parametrize("lang", ["en", "vi"])
@pytest.mark.parametrize("name", REPORT_CHARTS)
def test_chart_is_laid_out_once_and_fits_its_704_px(hy, name, lang, monkeypatch):
    """A report chart is laid out when built: saving it draws it once (no layout engine, no tight
    box), at the 704 px of the report column, and every text lies inside the figure."""
    from matplotlib.text import Text

    fig = CHARTS[name](hy, lang)
    draws, texts = [], []
    draw_fig, draw_text = Figure.draw, Text.draw
    monkeypatch.setattr(Figure, "draw", lambda self, r: (draws.append(r), draw_fig(self, r))[1])
    monkeypatch.setattr(Text, "draw", lambda self, r: (texts.append(self), draw_text(self, r))[1])
    with matplotlib.rc_context():
        charts.setup_style()  # as the report pages do
        png = io.BytesIO()
        fig.savefig(png, format="png", dpi=charts.DPI)
    assert len(draws) == 1
    assert PIL.Image.open(png).size[0] == 704
    box = fig.bbox
    drawn = [t for t in texts if t.get_visible() and t.get_text().strip()]
    assert len(drawn) > 5
    for t in drawn:
        e = t.get_window_extent(draws[0])
        inside = box.x0 - 1 <= e.x0 and e.x1 <= box.x1 + 1 and box.y0 - 1 <= e.y0 and e.y1 <= box.y1 + 1
        assert inside, (t.get_text(), e)


def test_text_overflowing_its_axes_is_kept_inside(hy):
    """PAPI 2022's first component is "not compared" (rescaled): its label starts at the zero line and
    is longer than the space right of it; the layout narrows the axes until it fits."""
    fig = charts.component_changes(hy, "PAPI", lang="vi")
    fig.canvas.draw()
    (label,) = [t for t in fig.axes[0].texts if t.get_gid() == "no-data"]
    assert label.get_window_extent().x1 <= fig.bbox.x1


def test_report_png_is_the_drawn_figure_without_alpha(hy):
    """The report embeds an RGB PNG (the background is opaque, so the alpha channel carried
    nothing): the same pixels as matplotlib's own PNG of the figure, about a tenth fewer bytes."""
    import base64

    from parlib.present import pages

    fig = charts.region_comparison(hy, "PAPI", "vi")
    ours = PIL.Image.open(io.BytesIO(charts.report_png(fig)))
    theirs = io.BytesIO()
    fig.savefig(theirs, format="png", dpi=charts.DPI, facecolor="white")
    theirs = PIL.Image.open(theirs)
    assert ours.mode == "RGB" and ours.size == theirs.size == (704, ours.size[1])
    assert ours.tobytes() == theirs.convert("RGB").tobytes()
    embedded = pages.figure_html(fig, "vi").split("base64,")[1].split('"')[0]
    assert base64.b64decode(embedded) == charts.report_png(fig)


def test_component_changes_without_any_figure_is_none():
    """Hòa Bình's PAR INDEX 2024: one component score without a change and one published change
    without a figure: no bar to draw, so no chart (it raised on an empty array)."""
    p = assess("Hòa Bình", 2024, model=model_for(load(), 2024))
    assert charts.component_changes(p, "PAR", lang="en") is None
    assert charts.component_changes(p, "PAR", lang="vi") is None

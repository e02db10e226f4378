"""The report pages: sections that a notebook displays with one call each.

``ProvinceReport`` and ``Overview`` compose :mod:`parlib.present.narrative`, :mod:`parlib.present.tables`,
:mod:`parlib.present.charts` and :mod:`parlib.present.maps` and display the result with IPython. Notebooks hold
only parameters and these calls, so the same sections work in JupyterLab and in rendered HTML.
All text is in the report's language; data strings are escaped before they reach HTML.
"""

from __future__ import annotations

import datetime as _dt
import io
from types import SimpleNamespace

import pandas as pd

from parlib.present import charts, narrative, tables
from parlib.data.indices import index_name

HEADINGS = {
    "headline": ("Headline", "Kết quả chung"),
    "scorecard": ("Scorecard", "Bảng tổng hợp các chỉ số"),
    "components": ("Components", "Các chỉ số thành phần"),
    "trajectory": ("Rank over the years", "Thứ hạng qua các năm"),
    "region": ("Within the region", "Trong vùng kinh tế - xã hội"),
    "strengths": ("Strengths and weaknesses", "Điểm mạnh, điểm yếu"),
    "remedies": ("Priorities and what-if", "Nội dung ưu tiên và giả định cải thiện"),
    "significance": ("Statistical significance", "Ý nghĩa thống kê"),
    "map": ("Location", "Vị trí"),
    "caveats": ("What to keep in mind", "Lưu ý khi sử dụng"),
    "provenance": ("Sources and provenance", "Nguồn số liệu và thông tin tạo báo cáo"),
    "rankings": ("Rankings", "Bảng xếp hạng"),
    "distribution": ("Distribution of scores", "Phân bố điểm số"),
    "movers": ("Biggest movers", "Tăng, giảm nhiều nhất"),
    "regional": ("Regional averages", "Trung bình theo vùng"),
    "cross": ("The indices side by side", "Tương quan giữa các chỉ số"),
    "maps": ("Maps", "Bản đồ"),
}


def heading(key: str, lang: str) -> str:
    """A section heading in the report's language."""
    en, vi = HEADINGS[key]
    return vi if lang == "vi" else en


# --- display ----------------------------------------------------------------------------------
def _display(obj) -> None:
    from IPython.display import display

    display(obj)


def show_markdown(text: str) -> None:
    """Display Markdown that is already safe (parlib's narrative, or escaped text)."""
    from IPython.display import Markdown

    _display(Markdown(text))


def show_heading(text: str, level: int = 2) -> None:
    show_markdown("#" * level + " " + narrative.escape_text(text))


def show_note(text: str) -> None:
    """A small note under a table or chart (escaped)."""
    show_markdown("*" + narrative.escape_text(text).strip() + "*")


def show_table(df: pd.DataFrame, note: str | None = None) -> None:
    """Display a DataFrame as an HTML table with every cell escaped."""
    from IPython.display import HTML

    if df is None or df.empty:
        return
    _display(HTML(df.to_html(index=False, escape=True, na_rep="—", border=0, classes="parlib-table")))
    note = note or df.attrs.get("note")
    if note:
        show_note(note)


def figure_alt(fig) -> str:
    """Alternative text for a chart: its title (suptitle, first figure text or axes title)."""
    candidates = [fig._suptitle.get_text() if getattr(fig, "_suptitle", None) else ""]
    candidates += [t.get_text() for t in fig.texts]
    candidates += [ax.get_title() for ax in fig.axes]
    return next((" ".join(c.split()) for c in candidates if c and c.strip()), "Chart")


def show_figure(fig, alt: str | None = None) -> None:
    """Display a matplotlib Figure as an embedded PNG with alternative text (no pyplot state)."""
    import base64
    import html as _html

    from IPython.display import HTML

    if fig is None:
        return
    buf = io.BytesIO()
    # Figures are laid out to fit (a tight bbox would cost a second draw); fast zlib level, same size.
    fig.savefig(buf, format="png", dpi=110, pil_kwargs={"compress_level": 1})
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    text = _html.escape(alt or figure_alt(fig), quote=True)
    _display(HTML(f'<img class="parlib-figure" alt="{text}" src="data:image/png;base64,{data}">'))


# --- province report --------------------------------------------------------------------------
class ProvinceReport:
    """One province-year assessment, section by section: ``ProvinceReport("Hưng Yên", 2022,
    "vi").headline()`` displays the headline in a notebook; ``.all()`` displays every section."""

    def __init__(self, province: str, year: int, lang: str = "en", *, indices=None, base_year=None,
                 data_dir=None):
        from parlib.engine.profile import assess, build_context
        from parlib.data.loading import load_scores
        from parlib.run.render import validate_report_params

        self.params = validate_report_params(province, year, lang, indices=indices, base_year=base_year or None,
                                             data_dir=data_dir or None)
        self.lang, self.year = lang, int(year)
        self.data_dir = data_dir or None
        self.scores = load_scores(self.data_dir, include_indicators=False)
        ctx = (build_context(self.year, base_year=base_year or None, scores=self.scores, data_dir=self.data_dir)
               if self.data_dir else None)
        self.profile = assess(self.params["province"], self.year, base_year=base_year or None,
                              indices=indices or None, context=ctx)
        self.province = self.profile.province
        charts.setup_style()

    # sections ---------------------------------------------------------------------------------
    def title(self) -> None:
        stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        self.generated = stamp
        sub = (f"Generated by parlib on {stamp} from published data; every figure is traced to its source below."
               if self.lang == "en" else
               f"Báo cáo do parlib tạo lúc {stamp} từ số liệu đã công bố; nguồn của từng số liệu ở cuối báo cáo.")
        show_heading(self.params["_title"], 1)
        show_note(sub)

    def headline(self) -> None:
        show_heading(heading("headline", self.lang))
        lines = [narrative.index_sentence(self.profile, r, self.lang) for r in self.profile.indices
                 if r.value is not None or r.rank is not None]
        lines += [narrative.predecessors_sentence(self.profile, i, self.lang)
                  for i in dict.fromkeys(d["index_code"] for d in self.profile.predecessors)]
        if not lines:
            lines = ["No index has data for this province and year." if self.lang == "en"
                     else "Chưa có số liệu chỉ số nào của tỉnh trong năm này."]
        show_markdown(narrative.safe_markdown("\n\n".join(lines)))

    def scorecard(self) -> None:
        show_heading(heading("scorecard", self.lang))
        show_table(tables.scorecard(self.profile, self.lang))

    def components(self) -> None:
        show_heading(heading("components", self.lang))
        any_shown = False
        for r in self.profile.indices:
            text = narrative.components_paragraph(r, self.lang)
            if not text and not r.components:
                continue
            any_shown = True
            show_heading(index_name(r.index_code, self.lang), 3)
            if text:
                show_markdown(narrative.safe_markdown(text))
            show_table(tables.components_table(self.profile, r.index_code, self.lang))
            show_figure(charts.component_changes(self.profile, r.index_code, self.lang))
            if r.components:
                show_figure(charts.components_vs_average(self.profile, r.index_code, self.lang))
        if not any_shown:
            show_note("No component data for this province and year." if self.lang == "en"
                      else "Chưa có số liệu chỉ số thành phần của tỉnh trong năm này.")

    def trajectory(self) -> None:
        show_heading(heading("trajectory", self.lang))
        codes = [r.index_code for r in self.profile.indices]
        show_figure(charts.rank_trajectory(self.province.code, codes, self.lang, scores=self.scores))

    def region(self) -> None:
        show_heading(heading("region", self.lang))
        shown = False
        for r in self.profile.indices:
            fig = charts.region_comparison(self.profile, r.index_code, self.lang, scores=self.scores)
            if fig is not None:
                shown = True
                show_figure(fig)
        if not shown:
            show_note("Not enough published scores to compare the provinces of the region." if self.lang == "en"
                      else "Chưa đủ số liệu đã công bố để so sánh các tỉnh trong vùng.")

    def strengths(self) -> None:
        show_heading(heading("strengths", self.lang))
        p = self.profile
        if not (p.strengths or p.weaknesses):
            show_note("No component data to compare with the national average." if self.lang == "en"
                      else "Chưa có số liệu chỉ số thành phần để so sánh với trung bình toàn quốc.")
            return
        show_markdown(narrative.safe_markdown("\n".join(narrative.strengths_lines(p, self.lang))))

    def remedies(self) -> None:
        show_heading(heading("remedies", self.lang))
        lines = narrative.remedies_paragraph(self.profile, self.lang)
        if not lines:
            show_note("No component has lost points or lies below the national average in the data." if self.lang == "en"
                      else "Không có chỉ số thành phần nào giảm điểm hoặc thấp hơn trung bình toàn quốc.")
            return
        show_markdown(narrative.safe_markdown("\n".join(f"{i}. {l}" for i, l in enumerate(lines, 1))))
        show_table(tables.remedies_table(self.profile, self.lang))
        show_table(tables.whatif_table(self.profile, self.lang))

    def significance(self) -> None:
        show_heading(heading("significance", self.lang))
        notes = []
        for r in self.profile.indices:
            if r.se is None:
                continue
            notes.append(narrative.significance_sentence(r, self.lang))
        if not notes:
            notes = ["No index published confidence intervals for this province and year (PAPI publishes them "
                     "from 2019)." if self.lang == "en" else
                     "Không có chỉ số nào công bố khoảng tin cậy cho tỉnh trong năm này (PAPI công bố từ năm 2019)."]
        show_markdown(narrative.safe_markdown("\n\n".join(notes)))

    def location_map(self) -> None:
        from parlib.present import maps

        show_heading(heading("map", self.lang))
        unit_set = self.profile.unit_set
        fig = maps.province_map(self.province.code, unit_set=unit_set, lang=self.lang,
                                title=self.province.name(self.lang))
        show_figure(fig)

    def caveats(self) -> None:
        show_heading(heading("caveats", self.lang))
        items = [narrative.caveat_text(c, self.lang) for c in self.profile.caveats]
        if items:
            show_markdown(narrative.safe_markdown("\n".join(f"- {x}" for x in items)))

    def provenance(self) -> None:
        show_heading(heading("provenance", self.lang))
        show_table(tables.sources_table(self.profile, self.lang))
        params = {k: v for k, v in self.params.items() if not k.startswith("_")}
        show_table(tables.provenance_table(params, self.lang, generated_at=getattr(self, "generated", ""),
                                           data_dir=self.data_dir))

    def all(self) -> None:
        """Every section in order (for an analyst in JupyterLab)."""
        for section in (self.title, self.headline, self.scorecard, self.components, self.trajectory,
                        self.region, self.strengths, self.remedies, self.significance, self.location_map,
                        self.caveats, self.provenance):
            section()


# --- national overview ------------------------------------------------------------------------
class Overview:
    """The national picture of one year: rankings, distributions, movers, regions, maps."""

    def __init__(self, year: int, lang: str = "en", *, data_dir=None):
        from parlib.data.loading import load_scores
        from parlib.run.render import validate_overview_params

        self.params = validate_overview_params(year, lang, data_dir=data_dir or None)
        self.year, self.lang = int(year), lang
        self.data_dir = data_dir or None
        self.scores = load_scores(self.data_dir, include_indicators=False)
        this = self.scores[(self.scores.year == self.year) & (self.scores.measure == "TOTAL")]
        this = this[this.value.notna() | this["rank"].notna()]
        order = ["PAR", "SIPAS", "PAPI", "PCI"]
        self.indices = [i for i in order if i in set(this.index_code)]
        charts.setup_style()

    def title(self) -> None:
        stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        self.generated = stamp
        show_heading(self.params["_title"], 1)
        names = ", ".join(index_name(i, self.lang) for i in self.indices)
        show_note((f"Indices with data for {self.year}: {names}. Generated by parlib on {stamp}." if self.lang == "en"
                   else f"Các chỉ số có số liệu năm {self.year}: {names}. Báo cáo do parlib tạo lúc {stamp}."))

    def rankings(self) -> None:
        show_heading(heading("rankings", self.lang))
        for idx in self.indices:
            show_heading(index_name(idx, self.lang), 3)
            show_table(tables.ranking_table(self.year, idx, self.lang, scores=self.scores))

    def distribution(self) -> None:
        show_heading(heading("distribution", self.lang))
        for idx in self.indices:
            show_figure(charts.distribution(self.year, idx, self.lang, scores=self.scores))

    def movers(self) -> None:
        show_heading(heading("movers", self.lang))
        for idx in self.indices:
            up, down = tables.movers(self.year, idx, self.lang, scores=self.scores)
            if (up is None or up.empty) and (down is None or down.empty):
                continue
            show_heading(index_name(idx, self.lang), 3)
            show_table(up)
            show_table(down)

    def regional(self) -> None:
        show_heading(heading("regional", self.lang))
        show_table(tables.regional_averages(self.year, self.lang, scores=self.scores))

    def cross(self) -> None:
        show_heading(heading("cross", self.lang))
        fig = charts.cross_index(self.year, self.lang, scores=self.scores)
        if fig is None:
            show_note("Not enough provinces with more than one index this year." if self.lang == "en"
                      else "Năm nay chưa đủ số tỉnh có từ hai chỉ số trở lên.")
        show_figure(fig)

    def maps(self) -> None:
        from parlib.present import maps
        from parlib.data.registry import unit_set_for_year

        show_heading(heading("maps", self.lang))
        for idx in self.indices:
            t = self.scores[(self.scores.index_code == idx) & (self.scores.year == self.year)
                            & (self.scores.measure == "TOTAL") & self.scores.value.notna()]
            if len(t) < 10:
                continue
            fig = maps.province_map(values=dict(zip(t.province_code, t.value)), unit_set=unit_set_for_year(self.year),
                                    lang=self.lang, title=f"{index_name(idx, self.lang)} {self.year}")
            show_figure(fig)

    def provenance(self) -> None:
        from parlib.data.loading import load_sources

        show_heading(heading("provenance", self.lang))
        used = self.scores[self.scores.year == self.year]
        ids = set(used.source_id) | (set(used.rank_source_id) - {""})
        src = load_sources(self.data_dir)
        cited = SimpleNamespace(sources=src[src.source_id.isin(ids)].to_dict("records"))
        show_table(tables.sources_table(cited, self.lang))
        params = {k: v for k, v in self.params.items() if not k.startswith("_")}
        show_table(tables.provenance_table(params, self.lang, generated_at=getattr(self, "generated", ""),
                                           data_dir=self.data_dir))

    def all(self) -> None:
        for section in (self.title, self.rankings, self.distribution, self.movers, self.regional, self.cross,
                        self.maps, self.provenance):
            section()

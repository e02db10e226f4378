"""The report pages: sections that a notebook displays with one call each.

``ProvinceReport`` and ``Overview`` compose :mod:`parlib.present.narrative`, :mod:`parlib.present.tables`,
:mod:`parlib.present.charts` and :mod:`parlib.present.maps` and display the result with IPython. Notebooks hold
only parameters and these calls, so the same sections work in JupyterLab and in rendered HTML.
All text is in the report's language; data strings are escaped before they reach HTML.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import TYPE_CHECKING

import pandas as pd

from parlib._words import localized
from parlib.present import charts, guidance, narrative, outputs, overview_charts, sections, tables
from parlib.present.catalogue import BASELINE, check_lang, index_label, word

if TYPE_CHECKING:
    from parlib.engine.results import Overview as OverviewSlice
    from parlib.engine.results import Profile


def heading(key: str, lang: str) -> str:
    """A section heading in the report's language."""
    return word(key, lang)


# --- display ----------------------------------------------------------------------------------
def _display(obj) -> None:
    """Show an HTML or Markdown part: one output per section (:mod:`parlib.present.outputs`)."""
    outputs.show(obj)


def show_markdown(text: str) -> None:
    """Display Markdown that is already safe (parlib's narrative, or escaped text)."""
    from IPython.display import Markdown

    _display(Markdown(text))


def show_heading(text: str, level: int = 2, anchor: str | None = None) -> None:
    """A heading; with ``anchor``, an HTML heading with that id (the table of contents links to it)."""
    if anchor is None:
        show_markdown("#" * level + " " + narrative.escape_text(text))
        return
    import html as _html

    from IPython.display import HTML

    _display(HTML(f'<h{level} id="{_html.escape(anchor)}">{_html.escape(text)}</h{level}>'))


def show_note(text: str) -> None:
    """A small note under a table or chart (escaped)."""
    show_markdown("*" + narrative.escape_text(text).strip() + "*")


_CITE = re.compile(r"\[(source|nguồn): ([A-Za-z0-9._; -]+)\]")
_ID = re.compile(r"^[A-Za-z0-9._-]+$")


def _linked(text: str) -> str:
    """Narrative Markdown made safe, each cited source id a link to its row in the sources table."""

    def links(m: re.Match) -> str:
        ids = [i.strip() for i in m.group(2).split(";")]
        return f"[{m.group(1)}: " + "; ".join(f"[{i}](#src-{i})" if _ID.match(i) else i for i in ids) + "]"

    return _CITE.sub(links, narrative.safe_markdown(text))


def show_sources(df: pd.DataFrame) -> None:
    """The sources table, each row anchored (``id="src-<source_id>"``) for the narrative's links."""
    from IPython.display import HTML

    if df is None or df.empty:
        return
    html = df.to_html(index=False, escape=True, na_rep="—", border=0, classes="parlib-table")
    html = re.sub(
        r"<tr>(\s*)<td>([A-Za-z0-9._-]+)</td>",
        lambda m: f'<tr id="src-{m.group(2)}">{m.group(1)}<td>{m.group(2)}</td>',
        html,
    )
    _display(HTML(html))


def show_table(df: pd.DataFrame, note: str | None = None) -> None:
    """Display a DataFrame as an HTML table with every cell escaped."""
    from IPython.display import HTML

    if df is None or df.empty:
        return
    _display(HTML(df.to_html(index=False, escape=True, na_rep="—", border=0, classes="parlib-table")))
    note = note or df.attrs.get("note")
    if note:
        show_note(note)


def table_html(df: pd.DataFrame) -> str:
    """A DataFrame as :func:`show_table` shows it (cells escaped, its note in italics), as HTML text."""
    import html as _html

    if df is None or df.empty:
        return ""
    out = df.to_html(index=False, escape=True, na_rep="—", border=0, classes="parlib-table")
    note = df.attrs.get("note")
    return out + (f"<p><em>{_html.escape(note)}</em></p>" if note else "")


def figure_alt(fig) -> str:
    """Alternative text for a chart: its title (suptitle, first figure text or axes title)."""
    candidates = [fig._suptitle.get_text() if getattr(fig, "_suptitle", None) else ""]
    candidates += [t.get_text() for t in fig.texts]
    candidates += [ax.get_title() for ax in fig.axes]
    return next((" ".join(c.split()) for c in candidates if c and c.strip()), "Chart")


def figure_html(fig, lang: str = "en", alt: str | None = None) -> str:
    """The chart as an embedded PNG whose alt text states its message, followed by a collapsible
    table of exactly the figures it draws ("Data behind the chart" / "Số liệu của biểu đồ")."""
    import base64
    import html as _html

    data = base64.b64encode(charts.report_png(fig)).decode("ascii")  # laid out when built: one draw
    text = _html.escape(alt or getattr(fig, "parlib_alt", None) or figure_alt(fig), quote=True)
    out = f'<figure class="parlib-chart"><img class="parlib-figure" alt="{text}" src="data:image/png;base64,{data}">'
    table = getattr(fig, "parlib_data", None)
    if table is not None and len(table):
        note = table.attrs.get("note", "")
        out += (
            f'<details class="parlib-chart-data"><summary>{_html.escape(word("data_behind", lang))}</summary>'
            + table.to_html(index=False, escape=True, na_rep="—", border=0, classes="parlib-table chart-data")
            + (f"<p><em>{_html.escape(note)}</em></p>" if note else "")
            + "</details>"
        )
    return out + "</figure>"


def show_figure(fig, lang: str = "en", alt: str | None = None) -> None:
    """Display a chart (:func:`figure_html`) in a notebook; nothing for ``None``."""
    from IPython.display import HTML

    if fig is not None:
        _display(HTML(figure_html(fig, lang, alt)))


def profile_html(profile: Profile, lang: str = "en") -> str:
    """A profile as a small HTML page for JupyterLab (registered with IPython's display by :mod:`parlib.present`): a heading, the
    headline sentences and the scorecard, every string escaped (no link, no markup from data)."""
    import html as _html

    lang = check_lang(lang)
    e = _html.escape
    p = profile.province
    name = localized(p, "name", lang)
    lines = [
        narrative.index_sentence(profile, r, lang) for r in profile.indices if r.value is not None or r.rank is not None
    ]
    lines += [
        narrative.predecessors_sentence(profile, i, lang)
        for i in dict.fromkeys(d["index_code"] for d in profile.predecessors)
    ]
    if not lines:
        lines = [word("no_index", lang)]
    out = [
        f'<div class="parlib-profile" lang="{e(lang)}">',
        f"<h3>{e(name)} · {profile.year}</h3>",
        f"<h4>{e(heading('headline', lang))}</h4>",
    ]
    out += [f"<p>{e(x)}</p>" for x in lines]  # plain text (the report page escapes it for Markdown)
    df = tables.scorecard(profile, lang)
    if not df.empty:
        out.append(f"<h4>{e(heading('scorecard', lang))}</h4>")
        out.append(df.to_html(index=False, escape=True, na_rep="—", border=0, classes="parlib-table"))
        if df.attrs.get("note"):
            out.append(f"<p><em>{e(df.attrs['note'])}</em></p>")
    out.append("</div>")
    return "\n".join(out)


# --- province report --------------------------------------------------------------------------
@outputs.sections_shown_once(*(s.method for s in sections.PROVINCE_REPORT))
class ProvinceReport:
    """One province-year assessment, section by section, formatted from its Profile.

    Built by :func:`parlib.run.report.open_report` (``open_report("Hưng Yên", 2022,
    "vi").headline()`` displays the headline in a notebook; ``.all()`` every section). Every
    figure shown is a field of ``self.profile``.
    """

    def __init__(self, profile: Profile, lang: str, params: dict, boundaries: dict | None = None):
        self.profile, self.lang, self.params = profile, check_lang(lang), params
        self.year = profile.year
        self.province = profile.province
        self.boundaries = boundaries
        charts.setup_style()

    def _name(self, code: str) -> str:
        return index_label(self.profile.index_names, code, self.lang)

    # sections ---------------------------------------------------------------------------------
    def title(self) -> None:
        stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        self.generated = stamp
        show_heading(self.params["_title"], 1)
        show_note(word("generated", self.lang, stamp=stamp))
        self.summary()
        self.contents()

    def summary(self) -> None:
        """One screen at the top: the brief's results table (rank over the published field, the changes
        where comparable and "not comparable" where not, the group), as the brief and the scorecard show it."""
        show_heading(heading("summary", self.lang), anchor="sec-summary")
        if any(r.value is not None or r.rank is not None for r in self.profile.indices):
            show_table(tables.results_table(self.profile, self.lang))
        else:
            show_note(word("no_index", self.lang))

    #: The sections' heading keys in the notebook's order (the table of contents; ``sec-<key>`` anchors).
    SECTIONS = sections.contents(sections.PROVINCE_REPORT)

    def contents(self) -> None:
        """The table of contents: a link to each section's heading."""
        import html as _html

        from IPython.display import HTML

        from parlib.present.catalogue import REPORT_NAV

        e = _html.escape
        items = "".join(f'<li><a href="#sec-{k}">{e(heading(k, self.lang))}</a></li>' for k in self.SECTIONS)
        _display(
            HTML(f'<nav class="parlib-toc"><strong>{e(REPORT_NAV[self.lang]["toc"])}</strong><ol>{items}</ol></nav>')
        )

    def headline(self) -> None:
        show_heading(heading("headline", self.lang), anchor="sec-headline")
        lines = [
            narrative.index_sentence(self.profile, r, self.lang)
            for r in self.profile.indices
            if r.value is not None or r.rank is not None
        ]
        lines += [
            narrative.predecessors_sentence(self.profile, i, self.lang)
            for i in dict.fromkeys(d["index_code"] for d in self.profile.predecessors)
        ]
        formed = narrative.formed_from_sentence(self.profile, self.lang)
        if not lines:
            lines = [narrative.no_own_sentence(self.profile, self.lang) if formed else word("no_index", self.lang)]
        show_markdown(_linked("\n\n".join(lines + ([formed] if formed else []))))
        if self.profile.baseline:
            show_heading(BASELINE[self.lang]["heading"], 3)
            show_markdown(
                narrative.safe_markdown(
                    "\n\n".join(
                        narrative.baseline_sentence(self.profile, i, self.lang)
                        for i in dict.fromkeys(b.index_code for b in self.profile.baseline)
                    )
                )
            )

    def scorecard(self) -> None:
        show_heading(heading("scorecard", self.lang), anchor="sec-scorecard")
        show_table(tables.scorecard(self.profile, self.lang))
        if self.profile.baseline:
            show_heading(BASELINE[self.lang]["heading"], 3)
            show_table(tables.baseline_table(self.profile, self.lang))

    def components(self) -> None:
        show_heading(heading("components", self.lang), anchor="sec-components")
        any_shown = False
        for r in self.profile.indices:
            text = narrative.components_paragraph(r, self.lang)
            if not text and not r.components:
                continue
            any_shown = True
            show_heading(self._name(r.index_code), 3)
            if text:
                show_markdown(_linked(text))
            show_table(tables.components_table(self.profile, r.index_code, self.lang))
            show_figure(charts.component_changes(self.profile, r.index_code, self.lang), self.lang)
            if r.components:
                show_figure(charts.components_vs_average(self.profile, r.index_code, self.lang), self.lang)
        if not any_shown:
            show_note(word("no_components", self.lang))

    def trajectory(self) -> None:
        show_heading(heading("trajectory", self.lang), anchor="sec-trajectory")
        show_figure(charts.rank_trajectory(self.profile, self.lang), self.lang)

    def region(self) -> None:
        show_heading(heading("region", self.lang), anchor="sec-region")
        shown = False
        for r in self.profile.indices:
            fig = charts.region_comparison(self.profile, r.index_code, self.lang)
            if fig is not None:
                shown = True
                show_figure(fig, self.lang)
        if not shown:
            show_note(word("no_region_data", self.lang))

    def strengths(self) -> None:
        show_heading(heading("strengths", self.lang), anchor="sec-strengths")
        p = self.profile
        lines = narrative.strengths_lines(p, self.lang)
        if not lines:
            show_note(word("no_strengths", self.lang))
            return
        show_markdown(_linked("\n".join(lines)))

    def remedies(self) -> None:
        show_heading(heading("remedies", self.lang), anchor="sec-remedies")
        lines = narrative.remedies_paragraph(self.profile, self.lang)
        if not lines:
            # "nothing lost points" needs component data to rest on; without any, say that
            show_note(word("no_remedies" if self.profile.has_components else "no_components", self.lang))
            return
        show_markdown(_linked("\n".join(f"{i}. {l}" for i, l in enumerate(lines, 1))))
        show_table(tables.remedies_table(self.profile, self.lang))
        # realistic scenarios only; the "maximum" is no target (see the targets section)
        show_table(tables.whatif_table(self.profile, self.lang, scenarios=("national_avg", "previous", "best")))

    def themes(self) -> None:
        """Each shared theme read across the indices, saying where they agree and where not."""
        show_heading(heading("themes", self.lang), anchor="sec-themes")
        lines = guidance.themes_lines(self.profile, self.lang)
        if lines:
            show_markdown(_linked("\n".join(f"- {x}" for x in lines)))

    def drilldown(self) -> None:
        """The components of a drill-down index (PAPI's dimensions) among the priorities and
        weaknesses, opened into sub-dimensions and the survey indicators parlib holds for the year."""
        from parlib.present.catalogue import DRILL

        show_heading(heading("drilldown", self.lang), anchor="sec-drilldown")
        p = self.profile
        wanted = [(m.index_code, m.measure) for m in p.remedies]
        wanted += [(x.get("index_code"), x["measure"]) for x in p.weaknesses]
        shown = [d for d in p.drilldown if (d.index_code, d.measure) in dict.fromkeys(wanted)]
        if not shown:
            show_note(DRILL[self.lang]["none"])
            return
        import html as _html

        from IPython.display import HTML

        from parlib.present.catalogue import REPORT_NAV

        for d in shown:
            name = tables.component_label(d.index_code, d.measure, d.name_en, d.name_vi, self.lang)
            show_heading(name, 3)
            sub, ind = tables.drilldown_tables(p, d.measure, self.lang)
            # folded on screen (the report reads in a minute); printed open (parlib.run.pdf opens every <details>)
            summary = _html.escape(REPORT_NAV[self.lang]["drill_open"].format(name=name))
            _display(
                HTML(
                    f'<details class="parlib-drilldown"><summary>{summary}</summary>'
                    + table_html(sub)
                    + table_html(ind)
                    + "</details>"
                )
            )

    def plan(self) -> None:
        """The improvement plan ("Kế hoạch nâng cao chỉ số"), with a link to its editable
        spreadsheet written next to the report (``<slug>.plan.xlsx``)."""
        import html as _html

        from IPython.display import HTML

        from parlib.present.catalogue import PLAN

        show_heading(heading("plan", self.lang), anchor="sec-plan")
        df = tables.plan_table(self.profile, self.lang)
        if df.empty:
            show_note(word("no_remedies" if self.profile.has_components else "no_components", self.lang))
            return
        name = f"{self.params.get('_slug', 'report')}.plan.xlsx"
        text = PLAN[self.lang]["download"].format(file=name)
        _display(
            HTML(f'<p class="parlib-download"><a href="{_html.escape(name)}" download>{_html.escape(text)}</a></p>')
        )
        show_table(df)

    def targets(self) -> None:
        """Targets: what it takes to enter the top group, regain the previous rank, match the region's
        leader or reach the next PAR band, with the margin of error and whether it is realistic in
        one year."""
        from parlib.present.catalogue import TARGETS

        show_heading(heading("targets", self.lang), anchor="sec-targets")
        lines = guidance.targets_lines(self.profile, self.lang)
        if not lines:
            show_note(TARGETS[self.lang]["none"])
            return
        show_markdown(_linked("\n".join(f"- {x}" for x in lines)))
        show_table(tables.targets_table(self.profile, self.lang))

    def significance(self) -> None:
        show_heading(heading("significance", self.lang), anchor="sec-significance")
        notes = [guidance.significance_sentence(r, self.lang) for r in self.profile.indices if r.ci_level is not None]
        show_markdown(_linked("\n\n".join(notes or [word("no_ci", self.lang)])))

    def location_map(self) -> None:
        from parlib.present import maps

        show_heading(heading("map", self.lang), anchor="sec-map")
        if self.boundaries is not None:
            show_figure(
                maps.province_map(
                    self.province.code, boundaries=self.boundaries, lang=self.lang, title=self.province.name(self.lang)
                ),
                self.lang,
            )

    def caveats(self) -> None:
        show_heading(heading("caveats", self.lang), anchor="sec-caveats")
        items = [narrative.caveat_text(c, self.lang) for c in self.profile.caveats]
        if items:
            show_markdown(_linked("\n".join(f"- {x}" for x in items)))

    def provenance(self) -> None:
        show_heading(heading("provenance", self.lang), anchor="sec-provenance")
        show_sources(tables.sources_table(self.profile, self.lang))
        params = {k: v for k, v in self.params.items() if not k.startswith("_")}
        show_table(
            tables.provenance_table(
                params, self.profile.provenance, self.lang, generated_at=getattr(self, "generated", "")
            )
        )

    def all(self) -> None:
        """Every section in order (for an analyst in JupyterLab): :data:`parlib.present.sections.PROVINCE_REPORT`."""
        for section in sections.PROVINCE_REPORT:
            getattr(self, section.method)()


# --- national overview ------------------------------------------------------------------------
@outputs.sections_shown_once(*(s.method for s in sections.OVERVIEW_REPORT))
class OverviewReport:
    """The national picture of one year, formatted from its Overview slice (built by
    :func:`parlib.run.report.open_overview`)."""

    def __init__(self, overview: OverviewSlice, lang: str, params: dict, boundaries: dict | None = None):
        self.overview, self.lang, self.params = overview, check_lang(lang), params
        self.year = overview.year
        self.boundaries = boundaries
        self.indices = [o.index_code for o in overview.indices]
        charts.setup_style()

    def _name(self, code: str) -> str:
        return index_label(self.overview.index_names, code, self.lang)

    def title(self) -> None:
        stamp = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        self.generated = stamp
        show_heading(self.params["_title"], 1)
        names = ", ".join(self._name(i) for i in self.indices)
        show_note(word("overview_generated", self.lang, year=self.year, names=names, stamp=stamp))

    def rankings(self) -> None:
        show_heading(heading("rankings", self.lang))
        for idx in self.indices:
            show_heading(self._name(idx), 3)
            show_table(tables.ranking_table(self.overview, idx, self.lang))

    def distribution(self) -> None:
        show_heading(heading("distribution", self.lang))
        for idx in self.indices:
            show_figure(overview_charts.distribution(self.overview, idx, self.lang), self.lang)

    def movers(self) -> None:
        show_heading(heading("movers", self.lang))
        for idx in self.indices:
            up, down = tables.movers(self.overview, idx, self.lang)
            if up.empty and down.empty:
                continue
            show_heading(self._name(idx), 3)
            show_table(up)
            show_table(down)

    def regional(self) -> None:
        show_heading(heading("regional", self.lang))
        show_table(tables.regional_averages(self.overview, self.lang))

    def cross(self) -> None:
        show_heading(heading("cross", self.lang))
        if not self.overview.cross:
            show_note(word("no_cross", self.lang))
        show_figure(overview_charts.cross_index(self.overview, self.lang), self.lang)

    def maps(self) -> None:
        from parlib.present import maps

        show_heading(heading("maps", self.lang))
        if self.boundaries is None:
            return
        for o in self.overview.indices:
            values = {r.province_code: r.value for r in o.rows if r.value is not None}
            if len(values) < 10:
                continue
            show_figure(
                maps.province_map(
                    values=values,
                    boundaries=self.boundaries,
                    lang=self.lang,
                    title=f"{self._name(o.index_code)} {self.year}",
                ),
                self.lang,
            )

    def provenance(self) -> None:
        show_heading(heading("provenance", self.lang))
        show_sources(tables.sources_table(self.overview, self.lang))
        params = {k: v for k, v in self.params.items() if not k.startswith("_")}
        show_table(
            tables.provenance_table(
                params, self.overview.provenance, self.lang, generated_at=getattr(self, "generated", "")
            )
        )

    def all(self) -> None:
        """Every section in order: :data:`parlib.present.sections.OVERVIEW_REPORT`."""
        for section in sections.OVERVIEW_REPORT:
            getattr(self, section.method)()

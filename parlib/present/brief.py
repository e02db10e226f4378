"""The two-page brief of a province-year (issue 20): what an official pastes into the province's report.

Every part is taken from the same Profile as the full report, through the same presenters: the results
are the scorecard's columns and the narrative's :func:`~parlib.present.narrative.index_sentence`; the
component changes are :func:`~parlib.present.narrative.components_paragraph` and one
:func:`~parlib.present.charts.component_changes` chart; strengths and weaknesses are
:func:`~parlib.present.narrative.strengths_lines` on the profile's first three of each; priorities and
targets are the plan's and the targets' tables, cut to their first columns. Nothing is computed here.

The brief is a list of :class:`Block` (heading, text, list, table, figure, note), so the HTML (the
notebook's sections) and the Word document (:mod:`parlib.run.docx`) show the same words and figures.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from parlib.present import charts, narrative, sections, tables
from parlib.present.catalogue import BRIEF, PLAN, TARGETS, check_lang, word

if TYPE_CHECKING:
    from parlib.engine.results import Profile

#: How many strengths, weaknesses and priorities a brief shows (the issue's "three"; priorities: five).
N_STRENGTHS = 3
N_PRIORITIES = 5


#: The brief's own print style (after the template's): small type and tight spacing so that it fits
#: two A4 pages; the chart at two thirds of the width; its data table folded in print, because the
#: component paragraph just above it states the same figures (on screen it unfolds as in the report).
PRINT_CSS = """<style type="text/css">
  .parlib-brief-chart img { max-width: min(100%, 40rem) !important; }
  @media print {
    body.jp-Notebook { font-size: 8.5pt !important; line-height: 1.25; }
    .jp-RenderedHTMLCommon { font-size: 8.5pt; }
    .jp-RenderedHTMLCommon p, .jp-RenderedHTMLCommon ul { margin: .15rem 0 .3rem 0; }
    .jp-RenderedHTMLCommon li { margin: 0; }
    .jp-RenderedHTMLCommon h1 { font-size: 13pt; margin: 0 0 .2rem 0; }
    .jp-RenderedHTMLCommon h2 { font-size: 10.5pt; margin: .5rem 0 .2rem 0; padding-bottom: 0; }
    .jp-RenderedHTMLCommon h3 { font-size: 9.5pt; margin: .3rem 0 .1rem 0; }
    .jp-RenderedHTMLCommon table { font-size: 7.5pt; margin: .1rem 0 .2rem 0; }
    .jp-RenderedHTMLCommon td, .jp-RenderedHTMLCommon th { padding: 1px 4px; line-height: 1.2; }
    .jp-OutputArea-output { padding: 0; }
    .jp-Cell, .jp-OutputArea-child { margin: 0 !important; padding: 0 !important; }
    .parlib-note { font-size: 8pt; }
    .parlib-brief-chart img { width: 50% !important; max-width: 50% !important; display: block; margin: 0 auto; }
    .parlib-brief-chart details { display: none !important; }
  }
</style>"""


@dataclass
class Block:
    """One piece of the brief: ``kind`` is "heading" (``text``, ``level``), "text" (narrative Markdown
    with citations), "list" (``items``, narrative Markdown), "table" (``table``), "figure" (``figure``,
    a chart carrying ``parlib_alt`` and ``parlib_data``), "note" (plain text) or "link" (``text`` with
    ``href``)."""

    kind: str
    text: str = ""
    level: int = 2
    items: list[str] = field(default_factory=list)
    table: pd.DataFrame | None = None
    figure: object = None
    href: str = ""


def plain(md: str) -> str:
    """Narrative Markdown as plain text for a Word document: no bold markers, no list dash."""
    text = md.replace("**", "")
    return text[2:] if text.startswith("- ") else text


def results_table(profile: Profile, lang: str) -> pd.DataFrame:
    """The scorecard's columns an official quotes (:func:`parlib.present.tables.results_table`)."""
    return tables.results_table(profile, lang)


def priorities_table(profile: Profile, lang: str) -> pd.DataFrame:
    """The plan's first rows and columns: priority, area, current result, target."""
    w = PLAN[check_lang(lang)]
    df = tables.plan_table(profile, lang)
    return df[[w["priority"], w["area"], w["current"], w["target"]]].head(N_PRIORITIES).reset_index(drop=True)


def targets_table(profile: Profile, lang: str) -> pd.DataFrame:
    """The targets for the index totals without the levers and margins: index, target, now, target
    value, points needed, realistic in one year."""
    w = TARGETS[check_lang(lang)]
    df = tables.targets_table(profile, lang)
    keep = ["col_index", "col_target", "col_now", "col_to", "col_need", "col_realistic"]
    return df[[w[k] for k in keep]]


def sources_line(profile: Profile, lang: str) -> str:
    """Every source the profile cites, in one line: its producers, each once, in the profile's order
    (the text cites each figure's source ids, linked to the full report's sources table)."""
    producers = dict.fromkeys(s.get("producer") or s["source_id"] for s in profile.sources)
    return BRIEF[lang]["sources"].format(sources="; ".join(producers) or "—")


class ProvinceBrief:
    """The brief of one province-year, section by section (built by :func:`parlib.run.brief.open_brief`).

    ``params`` are the report's validated parameters (``_slug``: the province's report slug)."""

    def __init__(self, profile: Profile, lang: str, params: dict):
        self.profile, self.lang, self.params = profile, check_lang(lang), params
        self.generated = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        charts.setup_style()

    # --- the blocks of each section -----------------------------------------------------------
    def title_blocks(self) -> list[Block]:
        from parlib._version import __version__

        w, p = BRIEF[self.lang], self.profile
        file = f"{self.params.get('_slug', p.province.slug)}.html"
        return [
            Block("heading", self.params["_brief_title"], level=1),
            Block("note", w["generated"].format(version=__version__, stamp=self.generated)),
            Block(
                "link",
                w["full_report"].format(file=file, province=p.province.name_vi, year=p.year, lang=self.lang),
                href=file,
            ),
        ]

    def results_blocks(self) -> list[Block]:
        p = self.profile
        out = [Block("heading", BRIEF[self.lang]["results"])]
        shown = [r for r in p.indices if r.value is not None or r.rank is not None]
        if not shown:
            return out + [Block("note", word("no_index", self.lang))]
        out.append(Block("table", table=results_table(p, self.lang)))
        out += [Block("text", narrative.index_sentence(p, r, self.lang)) for r in shown]
        return out

    def components_blocks(self) -> list[Block]:
        p = self.profile
        out = [Block("heading", BRIEF[self.lang]["components"])]
        texts = [narrative.components_paragraph(r, self.lang) for r in p.indices]
        out += [Block("text", t) for t in texts if t]
        fig = next(
            (f for f in (charts.component_changes(p, r.index_code, self.lang) for r in p.indices) if f is not None),
            None,
        )
        if fig is not None:
            out.append(Block("figure", figure=fig))
        elif not any(texts):
            out.append(Block("note", BRIEF[self.lang]["no_chart"]))
        return out

    def strengths_blocks(self) -> list[Block]:
        p = self.profile
        three = dataclasses.replace(
            p, strengths=p.strengths[:N_STRENGTHS], weaknesses=p.weaknesses[:N_STRENGTHS]
        )  # the profile's own order: the first three of each
        lines = narrative.strengths_lines(three, self.lang)
        out = [Block("heading", BRIEF[self.lang]["strengths"])]
        return out + ([Block("list", items=lines)] if lines else [Block("note", word("no_strengths", self.lang))])

    def priorities_blocks(self) -> list[Block]:
        p = self.profile
        out = [Block("heading", BRIEF[self.lang]["priorities"])]
        pri = priorities_table(p, self.lang)
        out.append(Block("table", table=pri) if not pri.empty else Block("note", BRIEF[self.lang]["no_priorities"]))
        if p.targets:
            out.append(Block("heading", BRIEF[self.lang]["targets"], level=3))
            out.append(Block("table", table=targets_table(p, self.lang)))
        return out

    def sources_blocks(self) -> list[Block]:
        return [Block("note", sources_line(self.profile, self.lang))]

    def blocks(self) -> list[Block]:
        """Every block of the brief, in the order of :func:`parlib.present.sections.brief` (what the Word
        document holds)."""
        return [b for name in sections.brief() for b in getattr(self, f"{name}_blocks")()]

    # --- the notebook's sections --------------------------------------------------------------
    def _show(self, blocks: list[Block]) -> None:
        show_blocks(blocks, self.lang, report=f"{self.params.get('_slug', self.profile.province.slug)}.html")

    def title(self) -> None:
        from IPython.display import HTML

        from parlib.present import outputs

        with outputs.one_output():  # the print style and the title: one output
            outputs.show(HTML(PRINT_CSS))
            self._show(self.title_blocks())

    def results(self) -> None:
        self._show(self.results_blocks())

    def components(self) -> None:
        self._show(self.components_blocks())

    def strengths(self) -> None:
        self._show(self.strengths_blocks())

    def priorities(self) -> None:
        self._show(self.priorities_blocks())

    def sources(self) -> None:
        self._show(self.sources_blocks())


def show_blocks(blocks: list[Block], lang: str, report: str = "") -> None:
    """Display blocks in a notebook, as one output, with the report's own helpers (escaped text); each
    cited source id links to its row in the sources table of the full report (``report``, the file
    beside the brief)."""
    from parlib.present import outputs

    with outputs.one_output():
        _show_blocks(blocks, lang, report)


def _show_blocks(blocks: list[Block], lang: str, report: str) -> None:
    import html as _html

    from IPython.display import HTML

    from parlib.present import pages
    from parlib.present.outputs import show

    for b in blocks:
        if b.kind == "heading":
            pages.show_heading(b.text, b.level)
        elif b.kind in ("text", "list"):
            md = pages._linked(b.text if b.kind == "text" else "\n".join(b.items))
            pages.show_markdown(md.replace("](#src-", f"]({report}#src-"))
        elif b.kind == "table":
            pages.show_table(b.table)
        elif b.kind == "figure":
            show(HTML(f'<div class="parlib-brief-chart">{pages.figure_html(b.figure, lang)}</div>'))
        elif b.kind == "note":
            pages.show_note(b.text)
        elif b.kind == "link":
            show(HTML(f'<p class="parlib-full-report"><a href="{_html.escape(b.href)}">{_html.escape(b.text)}</a></p>'))


__all__ = ["Block", "ProvinceBrief", "plain", "results_table", "priorities_table", "targets_table"]

"""The one list of each report's sections, in order: which call shows a section and where it appears.

A section is one entry here. The province report's notebook calls the sections in this order (a test
reads the notebooks and checks it), :meth:`ProvinceReport.all() <parlib.present.pages.ProvinceReport.all>`
runs them, the table of contents links them, :func:`~parlib.present.narrative.narrate` writes the
sections it has in this order, and the brief (its notebook, its HTML and its Word document) shows its
sections in this order. The PDF is the printed HTML, so it follows the notebook.

To add a section: its entry here, its heading in the catalogue (the entry's ``key``), its method on
the page class, and its call in the notebook's cell of calls (the test names the missing call).

>>> [s.key for s in PROVINCE_REPORT if s.brief]
['title', 'headline', 'components', 'strengths', 'remedies', 'provenance']
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    """One section of a report.

    ``key`` names its heading in the catalogue and its anchor (``sec-<key>``); ``method`` is the page's
    method that shows it (one call, one output). ``contents``: listed in the table of contents.
    ``narrative``: the heading key of the Markdown narrative (``narrate``) when it writes the section.
    ``brief``: the method of :class:`~parlib.present.brief.ProvinceBrief` that shows the section in
    the two-page brief (its blocks: ``<brief>_blocks``)."""

    key: str
    method: str
    contents: bool = True
    narrative: str | None = None
    brief: str | None = None

    @property
    def outputs(self) -> tuple[str, ...]:
        """The outputs that include the section: the report (notebook, HTML and PDF), the narrative, the brief."""
        return ("report",) + (("narrative",) if self.narrative else ()) + (("brief",) if self.brief else ())


#: The province report (notebooks/province_report.py, ``ProvinceReport``).
PROVINCE_REPORT: tuple[Section, ...] = (
    Section("title", "title", contents=False, brief="title"),  # with the summary and the contents
    Section("headline", "headline", narrative="headline", brief="results"),
    Section("scorecard", "scorecard"),
    Section("components", "components", narrative="components", brief="components"),
    Section("trajectory", "trajectory"),
    Section("region", "region"),
    Section("themes", "themes"),
    Section("strengths", "strengths", narrative="strengths", brief="strengths"),
    Section("remedies", "remedies", narrative="remedies", brief="priorities"),
    Section("drilldown", "drilldown"),
    Section("targets", "targets"),
    Section("plan", "plan"),
    Section("significance", "significance"),
    Section("map", "location_map"),
    Section("caveats", "caveats", narrative="caveats"),
    Section("provenance", "provenance", narrative="sources", brief="sources"),
)

#: The national overview (notebooks/national_overview.py, ``OverviewReport``).
OVERVIEW_REPORT: tuple[Section, ...] = (
    Section("title", "title", contents=False),
    Section("rankings", "rankings"),
    Section("distribution", "distribution"),
    Section("movers", "movers"),
    Section("regional", "regional"),
    Section("cross", "cross"),
    Section("maps", "maps"),
    Section("provenance", "provenance"),
)

#: Provinces side by side (notebooks/comparison.py, ``ComparisonReport``).
COMPARISON_REPORT: tuple[Section, ...] = (
    Section("title", "title", contents=False),
    Section("scorecards", "scorecards"),
    Section("components", "components"),
    Section("trajectories", "trajectories"),
    Section("themes", "themes"),
    Section("differences", "differences"),
    Section("sources", "sources"),
)


def contents(sections: tuple[Section, ...] = PROVINCE_REPORT) -> tuple[str, ...]:
    """The heading keys of the table of contents, in order."""
    return tuple(s.key for s in sections if s.contents)


def narrative() -> tuple[str, ...]:
    """The narrative's sections (their heading keys), in the report's order."""
    return tuple(s.narrative for s in PROVINCE_REPORT if s.narrative)


def brief() -> tuple[str, ...]:
    """The brief's sections (the methods of ``ProvinceBrief``), in the report's order."""
    return tuple(s.brief for s in PROVINCE_REPORT if s.brief)


#: Each notebook and the variable its cell of calls calls the sections on (checked by tests/test_report_nav.py).
NOTEBOOKS = {
    "province_report": ("report", tuple(s.method for s in PROVINCE_REPORT)),
    "province_brief": ("brief", brief()),
    "national_overview": ("overview", tuple(s.method for s in OVERVIEW_REPORT)),
    "comparison": ("comparison", tuple(s.method for s in COMPARISON_REPORT)),
}

"""One notebook output per section (parlib/present/outputs.py, issue 21): what a section shows is one
HTML output, its Markdown made HTML as nbconvert's export makes it, its parts spaced and printed as
separate outputs were."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def shown(monkeypatch):
    """What reaches IPython's display (the notebook's outputs), in order."""
    import IPython.display

    seen: list = []
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **kw: seen.extend(objs))
    return seen


def test_a_section_is_one_html_output_of_its_parts(shown):
    from IPython.display import HTML, Markdown

    from parlib.present import outputs

    with outputs.one_output():
        outputs.show(HTML("<h2>A</h2>"))
        with outputs.one_output():  # a section calling another (the title calls the summary)
            outputs.show(Markdown("Some **bold** text"))
        outputs.show(HTML("<table></table>"))
    assert len(shown) == 1 and isinstance(shown[0], HTML)
    assert shown[0].data == (
        '<div class="parlib-part"><h2>A</h2></div>\n'
        '<div class="parlib-part"><p>Some <strong>bold</strong> text</p>\n</div>\n'
        '<div class="parlib-part"><table></table></div>'
    )
    outputs.show(Markdown("*outside*"))  # outside a section: displayed at once, as it is
    assert len(shown) == 2 and isinstance(shown[1], Markdown)


def test_a_section_that_fails_still_shows_what_came_before_the_error(shown):
    from IPython.display import HTML

    from parlib.present import outputs

    @outputs.section
    def broken():
        outputs.show(HTML("<p>before</p>"))
        raise ValueError("in the middle")

    with pytest.raises(ValueError):
        broken()
    assert [o.data for o in shown] == ['<div class="parlib-part"><p>before</p></div>']
    with outputs.one_output():  # and the next section starts afresh
        outputs.show(HTML("<p>next</p>"))
    assert shown[-1].data == '<div class="parlib-part"><p>next</p></div>'


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_every_report_section_displays_one_output(shown, lang):
    from parlib.present import sections
    from parlib.run.brief import open_brief
    from parlib.run.report import open_overview, open_report

    report = open_report("Hưng Yên", 2022, lang)
    for s in sections.PROVINCE_REPORT:
        before = len(shown)
        getattr(report, s.method)()
        assert len(shown) == before + 1, s.method
    overview = open_overview(2022, lang)
    for s in sections.OVERVIEW_REPORT:
        before = len(shown)
        getattr(overview, s.method)()
        assert len(shown) == before + 1, s.method
    brief = open_brief("Hưng Yên", 2022, lang)
    for name in sections.brief():
        before = len(shown)
        getattr(brief, name)()
        assert len(shown) == before + 1, name


def _markdown_texts(years, langs) -> set[str]:
    """Every Markdown text the province reports, the overview and the brief display for every unit of
    ``years`` (charts and maps left out: they are HTML)."""
    from IPython.display import Markdown

    from parlib.data.dataset import load
    from parlib.data.registry import provinces, unit_set_for_year
    from parlib.present import outputs, pages, sections
    from parlib.run.brief import open_brief
    from parlib.run.report import open_overview, open_report

    texts: set[str] = set()
    mp = pytest.MonkeyPatch()
    try:
        mp.setattr(outputs, "markdown_html", lambda text: texts.add(text) or "")
        mp.setattr(pages, "show_figure", lambda *a, **k: None)
        mp.setattr(pages, "figure_html", lambda *a, **k: "")
        mp.setattr(
            "IPython.display.display", lambda *objs, **kw: texts.update(o.data for o in objs if isinstance(o, Markdown))
        )
        for year in years:
            for lang in langs:
                if year in load().years():  # no overview of a year without data (2025: the 34 units' baseline)
                    open_overview(year, lang).all()
                for code in provinces(unit_set_for_year(year)).code:
                    open_report(code, year, lang).all()
                    brief = open_brief(code, year, lang)
                    for name in sections.brief():
                        getattr(brief, name)()
    finally:
        mp.undo()
    return texts


@pytest.mark.slow
def test_markdown_is_made_html_as_nbconvert_makes_it():
    """Every Markdown text of every province's report, brief and the overview, in both languages, for a
    year of the 63 provinces and one of the 34: the HTML parlib makes in the kernel is the HTML
    nbconvert's export made of the same text when it was a Markdown output."""
    from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath

    from parlib.present.outputs import markdown_html

    texts = _markdown_texts([2022, 2025], ["en", "vi"])
    assert len(texts) > 1000  # headings, sentences, lists, notes of ~200 reports
    # and what an imported source's text could bring (the rules are nbconvert's, not only what parlib writes)
    texts |= {
        "| a | b |\n|---|---|\n| 1 | 2 |",
        "see https://example.org/x and ~~old~~",
        "- [x] done\n- [ ] not yet",
        "term\n: its definition",
        '5 < 6 & "quoted"',
        "<div>a block of HTML</div>",  # (inline tags: nbconvert's export re-serialises them, <b>x</b> as <b></b>x)
        "line one\nline two",
    }

    def nbconvert_html(text: str) -> str:  # what HTMLExporter.markdown2html does for parlib's template
        renderer = IPythonRenderer(escape=False, embed_images=True, exclude_anchor_links=True)
        return MarkdownWithMath(renderer=renderer).render(text)

    differ = [t for t in sorted(texts) if markdown_html(t) != nbconvert_html(t)]
    assert not differ, f"{len(differ)} texts differ, the first: {differ[0]!r}"

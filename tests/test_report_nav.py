"""The full report reads in a minute (issue 20): a table of contents linking every section, and the
drill-down tables of survey indicators folded under <details> on screen, printed open in the PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECT


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    if not (shutil.which("chromium") and shutil.which("pdftotext")):
        pytest.skip("needs chromium and poppler-utils")
    out = tmp_path_factory.mktemp("nav")
    r = subprocess.run(
        [sys.executable, "-m", "parlib.cli", "report", "Hưng Yên", "--year", "2022", "--lang", "vi", "--pdf"]
        + ["--out", str(out)],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr
    html, pdf = (Path(x) for x in r.stdout.split())
    return html, pdf


@pytest.mark.slow
def test_contents_link_every_section_once(report):
    page = report[0].read_text(encoding="utf-8")
    nav = re.search(r'<nav class="parlib-toc">(.*?)</nav>', page, re.S)
    assert nav and "Mục lục" in nav.group(1)
    targets = re.findall(r'href="#(sec-[a-z]+)"', nav.group(1))
    assert len(targets) == 15 and targets[0] == "sec-headline" and targets[-1] == "sec-provenance"
    for t in targets:
        assert len(re.findall(rf'\bid="{t}"', page)) == 1, t
    assert page.index('id="sec-headline"') < page.index('id="sec-components"') < page.index('id="sec-provenance"')


@pytest.mark.slow
def test_drilldown_folded_on_screen_open_in_pdf(report):
    from lxml import html as lh

    html, pdf = report
    doc = lh.fromstring(html.read_text(encoding="utf-8"))
    folded = doc.xpath('//details[@class="parlib-drilldown"]')
    assert folded and all(d.get("open") is None for d in folded)
    assert all(d.xpath(".//table") for d in folded)
    cells = [" ".join(c.text_content().split()) for d in folded for c in d.xpath(".//td")[:1]]
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split())
    for cell in cells:
        assert cell in text, cell  # printed open


@pytest.mark.slow
def test_one_screen_summary_at_the_top(report):
    # the brief's results table opens the report, before the contents and the headline (issue 20 item 4)
    import parlib
    from parlib.present.tables import results_table

    page = report[0].read_text(encoding="utf-8")
    assert page.index('id="sec-summary"') < page.index('class="parlib-toc"') < page.index('id="sec-headline"')
    top = page[page.index('id="sec-summary"') : page.index('class="parlib-toc"')]
    table = results_table(parlib.assess("Hưng Yên", 2022), "vi")
    for rank in table.iloc[:, 2]:
        assert f"<td>{rank}</td>" in top, rank
    assert "12/63" in top and "6/63" in top and "11/61" in top


# --- one list of sections (issue 19 item 3) ------------------------------------------------------
def _calls(source: str, var: str) -> list[str]:
    """The methods a notebook calls on ``var`` as whole statements (``report.headline()``), in order."""
    import ast

    out = []
    for node in ast.parse(source).body:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            f = node.value.func
            if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) and f.value.id == var:
                out.append(f.attr)
    return out


@pytest.mark.parametrize("name", ["province_report", "province_brief", "national_overview", "comparison"])
def test_each_notebook_calls_the_sections_of_the_list_in_its_order(name):
    """A section added to parlib.present.sections and not to the notebook (or in another order) fails here;
    the paired .ipynb is read too."""
    import json

    from parlib.present.sections import NOTEBOOKS

    var, methods = NOTEBOOKS[name]
    py = (PROJECT / "notebooks" / f"{name}.py").read_text(encoding="utf-8")
    cells = json.loads((PROJECT / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
    ipynb = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert _calls(py, var) == list(methods), name
    assert _calls(ipynb, var) == list(methods), f"{name}.ipynb (make notebooks re-pairs it)"


def test_every_section_has_its_method_and_heading():
    from parlib.present import sections
    from parlib.present.brief import ProvinceBrief
    from parlib.present.catalogue import LANGS
    from parlib.present.comparison import ComparisonReport
    from parlib.present.pages import OverviewReport, ProvinceReport, heading

    for cls, listed in (
        (ProvinceReport, sections.PROVINCE_REPORT),
        (OverviewReport, sections.OVERVIEW_REPORT),
        (ComparisonReport, sections.COMPARISON_REPORT),
    ):
        for s in listed:
            assert callable(getattr(cls, s.method, None)), (cls.__name__, s.method)
    for name in sections.brief():
        assert callable(getattr(ProvinceBrief, name)) and callable(getattr(ProvinceBrief, f"{name}_blocks")), name
    for key in sections.contents(sections.PROVINCE_REPORT) + sections.contents(sections.OVERVIEW_REPORT):
        assert all(heading(key, lang) for lang in LANGS), key
    assert ProvinceReport.SECTIONS == sections.contents(sections.PROVINCE_REPORT)


def _moved_first(listed, key):
    return tuple(s for s in listed if s.key == key) + tuple(s for s in listed if s.key != key)


def test_the_list_drives_all_the_narrative_and_the_brief(monkeypatch):
    """Moving a section in the list moves it in ``all()``, in ``narrate`` and in the brief's blocks."""
    from parlib.engine.profile import assess
    from parlib.present import sections
    from parlib.present.brief import ProvinceBrief
    from parlib.present.narrative import narrate
    from parlib.present.pages import OverviewReport, ProvinceReport

    p = assess("Hưng Yên", 2022)
    before = re.findall(r"^## (.+)$", narrate(p, "en"), re.M)
    assert before[0] == "Headline" and before[-2:] == ["What to keep in mind", "Sources"]
    moved = _moved_first(sections.PROVINCE_REPORT, "caveats")
    monkeypatch.setattr(sections, "PROVINCE_REPORT", moved)
    after = re.findall(r"^## (.+)$", narrate(p, "en"), re.M)
    assert after == ["What to keep in mind"] + [h for h in before if h != "What to keep in mind"]

    monkeypatch.setattr(sections, "PROVINCE_REPORT", _moved_first(sections.PROVINCE_REPORT, "provenance"))
    params = {"_slug": "hung-yen", "_brief_title": "Brief"}
    blocks = ProvinceBrief(p, "en", params).blocks()
    assert blocks[0].kind == "note" and blocks[1].kind == "heading" and blocks[1].text == "Brief"  # sources first

    for cls, name in ((ProvinceReport, "PROVINCE_REPORT"), (OverviewReport, "OVERVIEW_REPORT")):
        calls = []
        for s in getattr(sections, name):
            monkeypatch.setattr(cls, s.method, lambda self, m=s.method: calls.append(m))
        reordered = _moved_first(getattr(sections, name), "provenance")
        monkeypatch.setattr(sections, name, reordered)
        cls.all(object.__new__(cls))
        assert calls == [s.method for s in reordered], name

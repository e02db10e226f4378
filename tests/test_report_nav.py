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

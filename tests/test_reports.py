"""Rendered reports: notebooks executed by papermill (explicit kernel), exported to offline HTML,
checked for content, hygiene and safety, and opened in headless Chromium."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from conftest import PROJECT, reseal

from parlib.data.registry import UnknownProvinceError
from parlib.engine.profile import assess
from parlib.run.render import ParameterError, render_overview, render_report, validate_report_params

pytestmark = pytest.mark.slow
NOTEBOOKS = sorted((PROJECT / "notebooks").glob("*.ipynb"))
CHECKS = PROJECT / "reports" / "checks"  # screenshots of the browser checks (git-ignored)


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("reports")


@pytest.fixture(scope="module")
def rendered(out):
    """Hưng Yên and Quảng Ninh 2022 in both languages, and the overview in both languages."""
    done = {}
    for prov, slug in (("Hưng Yên", "hung-yen"), ("Quang Ninh", "quang-ninh")):
        for lang in ("en", "vi"):
            done[(slug, lang)] = render_report(prov, 2022, lang, out=out)
    for lang in ("en", "vi"):
        done[("national-overview", lang)] = render_overview(2022, lang, out=out)
    return done


def _text(path: Path) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", path.read_text(encoding="utf-8")))


# --- parameters are checked before any kernel starts ---------------------------------------------
def test_unknown_province_fails_before_kernel():
    with pytest.raises(UnknownProvinceError) as e:
        validate_report_params("Hung Yem", 2022)
    assert "Hưng Yên" in str(e.value)


def test_year_without_data_lists_years():
    with pytest.raises(ParameterError) as e:
        validate_report_params("Hưng Yên", 2031)
    assert "2022" in str(e.value) and "2024" in str(e.value)


def test_cli_report_bad_province_exit_code(tmp_path):
    r = subprocess.run(
        [sys.executable, "-m", "parlib.cli", "report", "Atlantis", "--year", "2022", "--out", str(tmp_path)],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 2 and "Unknown province" in r.stderr and not any(tmp_path.iterdir())


# --- outputs ----------------------------------------------------------------------------------
def test_paths_and_slugs(rendered, out):
    for (slug, lang), res in rendered.items():
        assert res.html == out / "2022" / lang / f"{slug}.html" and res.html.stat().st_size > 10_000
        assert res.notebook == out / "2022" / lang / f"{slug}.ipynb"
        assert not list(res.html.parent.glob(".*.tmp")) and not list(res.html.parent.glob("*.failed.ipynb"))


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_headline_matches_the_engine(rendered, lang):
    from parlib.present.narrative import index_sentence

    text = _text(rendered[("hung-yen", lang)].html)
    p = assess("Hưng Yên", 2022)
    for r in p.indices:
        if r.value is not None or r.rank is not None:
            sentence = index_sentence(p, r, lang)
            # the citation that ends the sentence is a list of links in the page (text split by tags)
            assert sentence.split(".")[0].split(" [")[0] in text
    if lang == "en":
        assert "ranked 12th out of 63 provinces and cities, maintaining its position compared with 2021" in text
        assert "down 6 places" in text and "rose 8.12 percentage points" in text
    else:
        assert "xếp thứ 12/63 tỉnh, thành phố, giữ nguyên vị trí so với năm 2021" in text
        assert "giảm 6 bậc" in text and "tăng 8,12%" in text and "Kết quả chung" in text


def test_headings_in_the_chosen_language(rendered):
    vi = _text(rendered[("hung-yen", "vi")].html)
    en = _text(rendered[("hung-yen", "en")].html)
    for h in ("Bảng tổng hợp các chỉ số", "Thứ hạng qua các năm", "Nguồn số liệu và thông tin tạo báo cáo"):
        assert h in vi and h not in en
    for h in ("Scorecard", "Rank over the years", "Sources and provenance"):
        assert h in en and h not in vi


def test_second_province_differs(rendered):
    qn = _text(rendered[("quang-ninh", "en")].html)
    assert "Quang Ninh" in qn and "Hung Yen's" not in qn


def test_html_hygiene(rendered):
    for (slug, lang), res in rendered.items():
        page = res.html.read_text(encoding="utf-8")
        assert f'<html lang="{lang}">' in page
        title = re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()
        assert title and title != slug and "Notebook" not in title
        assert 'class="jp-InputArea' not in page and "from parlib" not in page and "injected-parameters" not in page
        assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page.split("<body", 1)[0])  # no remote head
        assert not re.search(r"""<(script|img|link|iframe)[^>]+(src|href)\s*=\s*["']?(https?:)?//""", page)
        assert "@import" not in page
        assert page.count('src="data:image/png;base64,') >= (3 if slug != "national-overview" else 2)
        imgs = re.findall(r"<img\b[^>]*>", page)  # every chart states its message as alternative text
        assert imgs and all(re.search(r'\balt="[^"]{12,}"', i) for i in imgs), [i[:120] for i in imgs]
        assert "No description has been provided" not in page
        assert re.search(r'<meta[^>]+name="viewport"', page)


def test_provenance_section(rendered):
    text = _text(rendered[("hung-yen", "en")].html)
    assert "parlib" in text and "hungyen-portal-2023-05-26" in text and "sha256" in text
    assert "data/scores/papi.csv" in text


def test_committed_notebooks_are_stripped_and_paired():
    assert {p.stem for p in NOTEBOOKS} >= {"province_report", "national_overview", "explore"}
    for nb_path in NOTEBOOKS:
        nb = nbformat.read(nb_path, as_version=4)
        for c in nb.cells:
            if c.cell_type == "code":
                assert not c.outputs and c.execution_count is None, nb_path.name
        params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
        assert len(params) == 1, nb_path.name
        assert nb.metadata.kernelspec.name == "parlib"
        py = nb_path.with_suffix(".py")
        assert py.exists(), f"{py.name} (jupytext pair) is missing"
        r = subprocess.run(
            [sys.executable, "-m", "jupytext", "--to", "ipynb", "--output", "-", str(py)],
            capture_output=True,
            text=True,
            check=True,
        )
        paired = nbformat.reads(r.stdout, as_version=4)
        assert [c.source for c in paired.cells] == [c.source for c in nb.cells], f"{nb_path.name} and {py.name} differ"


def test_notebooks_hold_no_logic():
    for nb_path in NOTEBOOKS:
        src = "\n".join(c.source for c in nbformat.read(nb_path, as_version=4).cells if c.cell_type == "code")
        assert not re.search(r"^\s*(def|class|for|while) ", src, re.M), nb_path.name


# --- hostile data is escaped ------------------------------------------------------------------
def test_hostile_source_title_is_shown_as_text(data_copy, tmp_path):
    hostile = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2">'
    src = pd.read_csv(data_copy / "sources.csv", dtype=str, keep_default_na=False)
    src.loc[src.source_id == "hungyen-portal-2023-05-26", "title"] = hostile
    src.to_csv(data_copy / "sources.csv", index=False, lineterminator="\n")
    reseal(data_copy, "sources.csv")
    res = render_report("Hưng Yên", 2022, "en", data_dir=data_copy, out=tmp_path)
    page = res.html.read_text(encoding="utf-8")
    assert "<script>window.__pwned" not in page and "<img src=x" not in page  # no live tag from data
    assert "window.__pwned = 1" in _text(res.html)  # visible as text
    from browser import open_in_chromium

    report = open_in_chromium(res.html, tmp_path / "hostile.png")
    assert report.scripts_executed_marker is None


# --- in a real browser ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "slug, lang, width",
    [("hung-yen", "vi", 1280), ("hung-yen", "en", 390), ("quang-ninh", "vi", 390), ("national-overview", "vi", 1280)],
)
def test_report_in_headless_chromium(rendered, slug, lang, width):
    from browser import assert_offline_report, open_in_chromium

    CHECKS.mkdir(parents=True, exist_ok=True)
    shot = CHECKS / f"{slug}-{lang}-{width}.png"
    report = open_in_chromium(rendered[(slug, lang)].html, shot, width=width)
    assert_offline_report(report)
    assert report.lang == lang and shot.stat().st_size > 10_000
    if width <= 390:
        assert not report.horizontal_overflow, "the page scrolls sideways on a phone"


def test_explore_notebook_runs(tmp_path):
    import papermill as pm

    from parlib.run.render import ensure_kernel

    out = tmp_path / "explore.ipynb"
    nb = pm.execute_notebook(
        str(PROJECT / "notebooks" / "explore.ipynb"),
        str(out),
        kernel_name=ensure_kernel(),
        parameters={"province": "hung yen", "year": 2022, "lang": "vi"},
        progress_bar=False,
        cwd=str(PROJECT / "notebooks"),
    )
    text = json.dumps([o for c in nb.cells for o in c.get("outputs", [])], ensure_ascii=False)
    assert "xếp thứ 12/63 tỉnh, thành phố" in text and "image/png" in text


# --- issue 17 kinds 5-7 in the rendered reports (the engine-level sweep is tests/test_readings.py) --
@pytest.mark.parametrize("slug,prov", [("hung-yen", "Hưng Yên"), ("quang-ninh", "Quang Ninh")])
def test_rendered_themes_plan_and_units_match_the_profile(rendered, slug, prov):
    from openpyxl import load_workbook

    from parlib.present import fmt

    p = assess(prov, 2022)
    for lang in ("en", "vi"):
        res = rendered[(slug, lang)]
        text = re.sub(r"\s+", " ", _text(res.html))
        # themes: no business survey named where PCI has no data; rank-only changes stated
        if not any("PCI" in t.directions for t in p.themes):
            assert ("firms report" if lang == "en" else "trải nghiệm của người dân, doanh nghiệp") not in text
        if slug == "hung-yen":
            assert ("6th/63, down 3 places (vs 2021)" if lang == "en" else "6/63, giảm 3 bậc (so với năm 2021)") in text
        # plan: the workbook cites each row's own figure's source, never a strength
        ((name, path),) = res.annexes.items()
        rows = [[c.value for c in r] for r in load_workbook(path).active.iter_rows(min_row=3)]
        assert [r[5] for r in rows] == [
            "; ".join(s for s in (x.source_id, x.rank_source_id) if s) or "—" for x in p.plan
        ]
        assert all(x.source_id != "hungyen-portal-2023-05-26" for x in p.plan if x.index_code == "PAPI")
        # units: a proportion is printed in percent, never as a bare 0,20 under a "(%)" label
        shown = {m.measure for m in p.remedies if m.index_code == "PAPI"}
        props = [x for d in p.drilldown if d.measure in shown for x in d.indicators if x.unit == "proportion"]
        assert props or slug != "hung-yen"
        for x in props:
            assert fmt.percent(x.value, lang) in text and fmt.percent(x.national_avg, lang) in text

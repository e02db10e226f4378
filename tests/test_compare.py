"""Provinces side by side (issue 20): `parlib compare NAME NAME [NAME…] --year Y --lang L`.

Every figure the comparison prints is checked against each province's own profile (``parlib.assess``,
computed here independently of the comparison's year model): the numbers of each scorecard row, the
components' and trajectories' chart data, and the pairwise differences with their margins (recomputed
here from the profiles' standard errors as z·sqrt(se₁² + se₂²)).
"""

from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PROJECT

import parlib

NAMES = ["Hưng Yên", "Hải Dương", "Bắc Ninh"]


def _parlib(*args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "parlib.cli", *args], capture_output=True, text=True, timeout=timeout, cwd=PROJECT
    )


# --- names are checked before any kernel starts ---------------------------------------------------
@pytest.mark.parametrize(
    "names, says",
    [
        (["Hưng Yên", "Hung Yem"], "Hưng Yên"),  # unknown: the suggestion
        (["Hưng Yên", "hung-yen"], "name the same province"),  # repeated, another spelling
        (["Hưng Yên"], "2 to 6 provinces"),
        (["Hà Nội", "Hải Phòng", "Huế", "Đà Nẵng", "Cần Thơ", "Hưng Yên", "Bắc Ninh"], "2 to 6 provinces"),
    ],
)
def test_bad_names_exit_2_in_one_line_before_any_kernel(tmp_path, names, says):
    r = _parlib("compare", *names, "--year", "2022", "--out", str(tmp_path / "out"), timeout=120)
    assert r.returncode == 2, (r.returncode, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("parlib: ") and says in lines[0], r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "out").exists()


def test_unknown_region_exit_2(tmp_path):
    r = _parlib("compare", "--region", "Atlantis", "--year", "2022", "--out", str(tmp_path / "o"), timeout=120)
    assert r.returncode == 2 and "RRD" in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_region_members_and_slug():
    from parlib.run.compare import validate_compare_params

    p = validate_compare_params([], 2022, "vi", region="Đồng bằng sông Hồng")
    assert len(p["provinces"]) == 11 and "33" in p["provinces"]  # the Red River Delta's 11 provinces
    assert p["_slug"] == "compare-region-dong-bang-song-hong"
    q = validate_compare_params(["HƯNG YÊN", "hai duong"], 2022, "en")
    assert q["provinces"] == ["33", "30"] and q["_slug"] == "compare-hung-yen-hai-duong"


# --- every figure equals the province's own -----------------------------------------------------
@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("compare")
    r = _parlib("compare", *NAMES, "--year", "2022", "--lang", "en", "--out", str(out))
    assert r.returncode == 0, r.stderr
    html = Path(r.stdout.split()[0])
    assert html == out / "2022" / "en" / "compare-hung-yen-hai-duong-bac-ninh.html"
    return html


@pytest.fixture(scope="module")
def own():
    """Each province's own profile, by English name (as the comparison prints it)."""
    return {p.province.name_en: p for p in (parlib.assess(n, 2022) for n in NAMES)}


def tables_of(path: Path) -> list[list[list[str]]]:
    from lxml import html as lh

    doc = lh.fromstring(path.read_text(encoding="utf-8"))
    return [
        [[" ".join(c.text_content().split()) for c in tr.xpath("./th|./td")] for tr in t.xpath(".//tr")]
        for t in doc.xpath("//table")
    ]


NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")


def _numbers(text: str) -> set[float]:
    return {float(x.replace(",", "")) for x in NUMBER.findall(text)}


def _figures(r) -> set[float]:
    """Every number an index result's scorecard row may print, from the profile's fields (rounded as printed)."""
    out = set()
    for v in (r.value, r.scale_max, r.rank, r.n_ranked, r.base_year, r.base_rank, r.base_n_ranked, r.national_avg):
        if v is not None:
            out |= {round(float(v), 2), float(int(v)) if float(v).is_integer() else round(float(v), 2)}
    for v in (r.delta, r.rank_change, r.gap_national):
        if v is not None:
            out.add(round(abs(float(v)), 2))
    out |= {float(x) for x in re.findall(r"\d+", r.group or "")}
    return out


@pytest.mark.slow
def test_scorecard_figures_are_each_provinces_own(rendered, own):
    index_names = {"PAR INDEX": "PAR", "SIPAS": "SIPAS", "PAPI": "PAPI", "PCI": "PCI"}
    tables = [t for t in tables_of(rendered) if t and t[0][:2] == ["Province", "Score"]]
    assert len(tables) >= 3
    page = rendered.read_text(encoding="utf-8")
    heads = [h for h in re.findall(r"<h3[^>]*>([^<]+)", page) if h.strip() in index_names][: len(tables)]
    checked = 0
    for head, table in zip(heads, tables):
        code = index_names[head.strip()]
        assert [row[0] for row in table[1:]] == [p for p in own], table  # every province, in the order named
        for row in table[1:]:
            r = own[row[0]].index(code)
            printed = _numbers(" ".join(row[1:]))
            if r is None:
                assert printed == set(), row  # missing stays missing
                continue
            assert printed <= _figures(r), (code, row[0], printed - _figures(r))
            assert f"{r.rank}" in row[2], row
            checked += 1
    assert checked >= 5


@pytest.mark.slow
def test_chart_data_are_each_provinces_own(rendered, own):
    tables = tables_of(rendered)
    comps = next(t for t in tables if t[0] == ["Item", "Province", "Score", "Rank"])
    n = 0
    for item, prov, score, rank in comps[1:]:
        r = own[prov].index("PAPI")
        c = None if r is None else next(x for x in r.components if item.endswith(x.name_en.split(": ", 1)[-1]))
        if c is None or c.value is None:
            assert score == "—"
            continue
        assert score == f"{c.value:.2f}" and rank.startswith(str(c.rank)) and rank.endswith(f"/{c.n_ranked}")
        n += 1
    assert n == 16  # 8 dimensions of Hưng Yên and Hải Dương; Bắc Ninh was not ranked by UNDP in 2022
    traj = next(t for t in tables if t[0] == ["Index", "Province", "Year", "Rank"])
    for idx, prov, year, rank in traj[1:]:
        line = next(x for x in own[prov].trajectory if idx.startswith(x.index_code))
        assert line.ranks[line.years.index(int(year))] == int(rank), (idx, prov, year)
    assert len(traj) > 10


@pytest.mark.slow
def test_papi_differences_use_the_margin_of_the_difference(rendered, own):
    tables = tables_of(rendered)
    diff = next(t for t in tables if t[0][:2] == ["Provinces", "Measure"])
    assert len(diff) == 2  # one pair with both PAPI totals: Hưng Yên – Hải Dương (Bắc Ninh has none)
    pair, measure, a, b, d, margin, reading = diff[1]
    hy, hd = own["Hung Yen"].index("PAPI"), own["Hai Duong"].index("PAPI")
    assert pair == "Hung Yen – Hai Duong" and measure == "PAPI (total)"
    assert (a, b) == (f"{hy.value:.2f}", f"{hd.value:.2f}")
    assert d == f"+{hy.value - hd.value:.2f}"
    m = hy.ci_z * math.sqrt(hy.se**2 + hd.se**2)
    assert margin == f"±{m:.2f}"
    assert reading.startswith("exceeds") == (abs(hy.value - hd.value) > m)
    assert "no standard errors" in rendered.read_text(encoding="utf-8")  # dimensions untested, said


@pytest.mark.slow
def test_comparison_images_have_alt_text(rendered):
    imgs = re.findall(r"<img\b[^>]*>", rendered.read_text(encoding="utf-8"))
    assert len(imgs) == 2 and all(re.search(r'\balt="[^"]{12,}"', i) for i in imgs)


@pytest.mark.slow
def test_comparison_on_a_phone_offline_no_horizontal_scroll(rendered, tmp_path):
    from browser import assert_offline_report, open_in_chromium

    report = open_in_chromium(rendered, tmp_path / "compare.png", width=390)
    assert_offline_report(report)
    assert report.width == 390 and report.horizontal_overflow is False and report.clipped_images == []


def test_region_refused_for_the_34_units():
    from parlib.run.compare import validate_compare_params
    from parlib.run.render import ParameterError

    with pytest.raises(ParameterError, match="no regions yet"):
        validate_compare_params([], 2025, "vi", region="RRD")

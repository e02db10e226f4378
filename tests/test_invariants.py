"""Issue 17's invariants over everything: every province × every year with data × both languages.

The sweep builds each year's model once and the headline slice of every province
(:func:`parlib.engine.profile.headline`: the same index results and caveats as the full profile),
its claims and its sentences in both languages, then runs each checker of ``tests/invariants.py``
over all of them. Each checker is also shown to fail once, on a deliberate mutation of the rule it
guards.
"""

from __future__ import annotations

import pytest
from invariants import CHECKS, Case

import parlib
from parlib.data.registry import provinces, unit_set_for_year
from parlib.engine.claims import claims
from parlib.engine.profile import headline

LANGS = ("en", "vi")


def _years() -> list[int]:
    return parlib.load().years() + [2025]  # 2025: the 34 units, no own results yet


@pytest.fixture(scope="module")
def sweep() -> list[Case]:
    ds = parlib.load()
    cases = []
    for year in _years():
        m = parlib.model_for(ds, year)
        for code in provinces(unit_set_for_year(year)).code:
            p = headline(code, year, model=m)
            cl = claims(p)
            cases += [Case(p, cl, lang) for lang in LANGS]
    return cases


def test_the_sweep_covers_every_province_year_and_language(sweep):
    years = _years()
    expected = sum(len(provinces(unit_set_for_year(y))) for y in years) * len(LANGS)
    assert len(sweep) == expected and {c.profile.year for c in sweep} == set(years)
    assert sum(len(c.claims) for c in sweep) > 10_000


@pytest.mark.parametrize("rule", sorted(CHECKS))
def test_invariant_holds_everywhere(sweep, rule):
    bad = [v for case in sweep for v in CHECKS[rule](case)]
    assert not bad, f"{len(bad)} violations of {rule}, e.g.:\n" + "\n".join(bad[:10])


# --- each checker catches its rule broken once (a mutation of the engine's result) -------------------
def _case(name: str, year: int, lang: str = "en", mutate=None) -> Case:
    p = parlib.assess(name, year)
    if mutate:
        mutate(p)
    return Case(p, claims(p), lang)


def test_i1_catches_a_denominator_counted_from_rows():
    def rows_count(p):
        # the old bug: the count of provinces parlib holds (PAR 2022: 31 rows) instead of the 63 ranked
        p.index("PAR").n_ranked = 31

    assert CHECKS["I1"](_case("Hưng Yên", 2022)) == []
    assert any("publisher's field is 63" in v for v in CHECKS["I1"](_case("Hưng Yên", 2022, mutate=rows_count)))


def test_i1_catches_an_unexplained_partial_field():
    def forget(p):
        p.index("PAPI").coverage.excluded = []  # 61/63 with nobody named

    bad = CHECKS["I1"](_case("Hưng Yên", 2022, "vi", mutate=forget))
    assert any("without naming 24" in v for v in bad) and any("without naming 27" in v for v in bad)


def test_i2_catches_a_total_change_across_a_rescaled_part():
    def restate(p):
        r = p.index("PAPI")
        r.delta, r.change_not_comparable = r.value - r.base_value, ""  # stated again, as before issue 17

    assert CHECKS["I2"](_case("Hưng Yên", 2022)) == []
    bad = CHECKS["I2"](_case("Hưng Yên", 2022, mutate=restate))
    assert any("comparable although a part" in v or "states a score change" in v for v in bad)


def test_i3_catches_a_level_that_is_not_the_data_s_and_a_wider_margin():
    def wrong(p):
        r = p.index("PAPI")
        r.ci_level, r.margin = 95, 1.96 * r.se  # the old labels: 95 % and 1.96·SE

    assert CHECKS["I3"](_case("Hưng Yên", 2022)) == []
    bad = CHECKS["I3"](_case("Hưng Yên", 2022, "vi", mutate=wrong))
    assert any("not stated at its level" in v for v in bad) and any("not half the interval" in v for v in bad)


def test_i4_catches_not_published_and_unsupported_not_ranked():
    def not_published(p):
        c = next(c for c in p.caveats if c.code == "index_missing" and c.index_code == "PCI")
        c.params["reason"] = "not_ranked"  # "was not ranked" with no exclusion record behind it
        c.params["reasons"] = []

    assert CHECKS["I4"](_case("Hưng Yên", 2023)) == []
    bad = CHECKS["I4"](_case("Hưng Yên", 2023, mutate=not_published))
    assert any("not ranked" in v for v in bad)


def test_i5_catches_a_sentence_that_shows_another_figure():
    def drift(p):
        p.index("PAPI").rank_change = -5  # the sentence says down 5, the claim is built from the same field…

    case = _case("Hưng Yên", 2022, mutate=drift)
    case.claims = claims(parlib.assess("Hưng Yên", 2022))  # …so compare with the engine's own claim (−6)
    assert any("rank_change = -6" in v for v in CHECKS["I5"](case))


# --- the rendered HTML of a stratified sample: one report per kind of field and status ---------------
SAMPLE = [
    ("Hưng Yên", 2022, "vi"),  # PAPI field 61/63 with reasons, the communication's "11/63" reconciled
    ("Hải Phòng", 2021, "en"),  # PAPI 60/63, like-for-like, a city
    ("Bắc Ninh", 2022, "en"),  # itself not ranked by PAPI: the reason and its source
    ("Hà Giang", 2023, "vi"),  # PCI: VCCI printed only its top 30; parlib lacks the figure
]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    from parlib.run.render import render_report

    out = tmp_path_factory.mktemp("invariant-reports")
    return {(n, y, lang): render_report(n, y, lang, out=out).html.read_text(encoding="utf-8") for n, y, lang in SAMPLE}


@pytest.mark.slow
@pytest.mark.parametrize("key", SAMPLE, ids=[f"{n}-{y}-{lang}" for n, y, lang in SAMPLE])
def test_rendered_reports_keep_the_invariants(rendered, key):
    import html as _html
    import re

    page = rendered[key]
    text = _html.unescape(re.sub(r"<[^>]+>", " ", page))
    name, year, lang = key
    case = _case(name, year, lang)
    # I1: every rank is shown over the publisher's field, in the page as in the claims
    for c in case.claims:
        if c.kind == "rank":
            shown = f"{c.value}/{c.n_ranked}" if lang == "vi" else f"out of {c.n_ranked}"
            assert shown in " ".join(text.split()), (key, c.id)
    # I4: no "not published" for a figure parlib lacks
    assert "not published" not in text and "không được công bố" not in text
    # every cited source id links to its row of the sources table, and the row exists
    cited = set(re.findall(r'href="#src-([A-Za-z0-9._-]+)"', page))
    anchors = set(re.findall(r'<tr id="src-([A-Za-z0-9._-]+)"', page))
    assert cited and cited <= anchors, cited - anchors


@pytest.mark.parametrize("name,year", [("Hưng Yên", 2022), ("Quảng Ninh", 2021), ("Hà Giang", 2023)])
def test_the_headline_slice_equals_the_full_profile(name, year):
    # the sweep checks headline(); the reports show assess(): the two must carry the same figures
    m = parlib.model_for(parlib.load(), year)
    full, head = parlib.assess(name, year, model=m), headline(name, year, model=m)
    assert head.indices == full.indices and head.caveats == full.caveats
    assert claims(head) == claims(full)

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

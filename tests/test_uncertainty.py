"""Uncertainty stated as published (issue 17, kind 3) and realistic targets (kind 8).

The expected level is computed here from ``data/scores/papi.csv`` and the standard library's normal
distribution, never read from the engine or the catalogue; the expected wording is written out.
"""

from __future__ import annotations

import re
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest
from conftest import DATA, PROJECT

import parlib
from parlib.engine import realism
from parlib.engine import uncertainty as unc
from parlib.present import fmt, guidance, tables
from parlib.present.narrative import narrate

Z_90 = NormalDist().inv_cdf(0.95)  # 1.6449: a 90 % two-sided interval is ±1.645 SE


@pytest.fixture(scope="module")
def papi() -> pd.DataFrame:
    return pd.read_csv(DATA / "scores" / "papi.csv", dtype={"province_code": str})


@pytest.fixture(scope="module")
def hy():
    return parlib.assess("Hưng Yên", 2022)


# --- the level of the published intervals -------------------------------------------------------
def test_every_published_bound_is_1_645_standard_errors(papi):
    """(ci_high − ci_low) / (2·se) over every row with se > 0 is 1.645: 90 % two-sided, not 95 %."""
    rows = papi[papi.se > 0]
    assert rows.ci_low.notna().all() and rows.ci_high.notna().all()
    ratio = (rows.ci_high - rows.ci_low) / (2 * rows.se)
    assert len(ratio) >= 245  # 2019: 126, 2022: 58, 2023: 61 (gap-fill/PROVENANCE.md §4)
    assert ((ratio - 1.645).abs() <= 0.01).all(), ratio[(ratio - 1.645).abs() > 0.01]


def test_the_engine_reads_the_level_from_the_data(papi):
    for year in sorted(papi[papi.se > 0].year.unique()):
        z = unc.interval_z(papi, "PAPI", int(year))
        assert z == pytest.approx(1.645, abs=0.01)
        assert unc.level_of(z) == round(100 * (2 * NormalDist().cdf(z) - 1)) == 90
    assert unc.interval_z(papi, "PAPI", 2020) is None  # no bounds published that year: no level


def test_mixed_levels_fail_loudly():
    df = pd.DataFrame(
        {"index_code": "PAPI", "year": 2022, "ci_low": [9.0, 8.0], "ci_high": [11.0, 12.0], "se": [1 / Z_90, 1.0]}
    )
    with pytest.raises(ValueError, match="not of one level"):
        unc.interval_z(df, "PAPI", 2022)


@pytest.mark.parametrize(
    "lang, level, wrong",
    [("en", "90% confidence interval", "95% confidence"), ("vi", "khoảng tin cậy 90%", "tin cậy 95")],
)
def test_reports_state_the_level_of_the_data(hy, lang, level, wrong):
    r = hy.index("PAPI")
    assert r.ci_level == 90 and r.ci_z == pytest.approx(Z_90, abs=0.01)
    text = narrate(hy, lang) + guidance.significance_sentence(r, lang) + " ".join(guidance.targets_lines(hy, lang))
    assert level in text and wrong not in text


def test_no_95_percent_interval_is_written_anywhere():
    """Docs, data descriptions, notebooks and the catalogue state the level as 90 % (or none)."""
    pattern = re.compile(
        r"95\s?%[^\n]{0,40}(bound|interval|confiden|tin cậy)|(interval|bounds?|tin cậy)[^\n]{0,15}95\s?%"
    )
    files = [PROJECT / "README.md", PROJECT / "ARCHITECTURE.md", DATA / "README.md", DATA / "MANIFEST.csv"]
    files += sorted((PROJECT / "docs").glob("*.md")) + [DATA / "scores" / "papi.csv"]
    files += sorted((PROJECT / "parlib").rglob("*.py")) + sorted((PROJECT / "notebooks").glob("*.py"))
    files += sorted((PROJECT / "tools").glob("*.py"))
    hits = [f"{f.relative_to(PROJECT)}: {m.group(0)}" for f in files for m in pattern.finditer(f.read_text("utf-8"))]
    assert not hits, hits


# --- one margin, the half-width of the printed interval ---------------------------------------
@pytest.fixture(
    scope="module",
    params=[2022, 2023, pytest.param(2019, marks=pytest.mark.slow)],
)
def year_profiles(request):
    return request.param, parlib.assess_many(None, request.param)


def test_every_margin_is_the_printed_half_width_or_that_of_the_difference(year_profiles, papi):
    year, profiles = year_profiles
    tot = papi[(papi.year == year) & (papi.measure == "TOTAL")].set_index("province_code")
    seen = {"own": 0, "difference": 0, "change": 0}
    for p in profiles:
        r = p.index("PAPI")
        if r is None or r.se is None:
            continue
        own = (tot.ci_high[p.province.code] - tot.ci_low[p.province.code]) / 2
        assert r.margin == pytest.approx(own)
        # the gap to the national average against the printed margin; a change against the margin
        # of the difference of the two years
        assert r.gap_significant is bool(abs(r.gap_national) > own)
        base = papi[(papi.year == r.base_year) & (papi.measure == "TOTAL") & (papi.province_code == p.province.code)]
        if r.delta is not None and len(base) and pd.notna(base.se.iloc[0]):
            limit = Z_90 * np.hypot(r.se, base.se.iloc[0])
            if abs(abs(r.delta) - limit) > 0.01:
                assert r.change_significant is bool(abs(r.delta) > limit)
                seen["change"] += 1
        for t in (t for t in p.targets if t.index_code == "PAPI"):
            if t.kind in ("previous_rank", "regional_leader"):
                other = tot.index[np.isclose(tot.value, t.target_value)][0]
                expected = Z_90 * np.hypot(r.se, tot.se[other]) if pd.notna(tot.se[other]) else None
                assert t.margin_basis == "difference"
            else:
                expected = own
                assert t.margin_basis == "own"
            seen[t.margin_basis] += 1
            if expected is None:
                assert t.margin is None and t.within_margin is None
                continue
            assert t.margin == pytest.approx(expected, rel=2e-3)
            assert t.within_margin is (abs(t.points_needed) <= t.margin) and t.ci_level == 90
            shown = tables.targets_table(p, "en")
            assert any("±" + fmt.number(t.margin, "en") in str(x) for x in shown.iloc[:, 5])
    assert seen["own"] > 10 and seen["difference"] > 10 and seen["change"] >= (50 if year == 2023 else 0)


# --- the plausible rank range counts every ranked province ------------------------------------
def test_rank_range_on_a_small_table():
    z, se = Z_90, 1.0
    others = pd.DataFrame(
        {
            # 12.5 − 10 = 2.5 > 1.645·√2 = 2.33: surely ahead, although the two intervals overlap
            "value": [15.0, 12.5, 11.0, 6.0, 9.9],
            "se": [1.0, 1.0, 1.0, 1.0, np.nan],  # the last is ranked but has no interval
        }
    )
    (best, worst), untested = unc.rank_range(10.0, se, others, n_ranked=6, z=z)
    assert (best, worst, untested) == (3, 5, 1)
    # two more provinces ranked by the publisher but not in the data: neither ahead nor behind either
    (best, worst), untested = unc.rank_range(10.0, se, others, n_ranked=8, z=z)
    assert (best, worst, untested) == (3, 7, 3)


def test_hung_yen_rank_range_counts_the_61_ranked(hy, papi):
    r = hy.index("PAPI")
    tot = papi[(papi.year == 2022) & (papi.measure == "TOTAL") & papi["rank"].notna()].set_index("province_code")
    others = tot.drop(index="33")
    margin = Z_90 * np.sqrt(r.se**2 + others.se**2)  # NaN where the other has no interval
    ahead, behind = int((others.value - r.value > margin).sum()), int((r.value - others.value > margin).sum())
    assert r.n_ranked == len(tot) == 61
    assert r.rank_range == (1 + ahead, 61 - behind) and r.rank_range_untested == int(others.se.isna().sum()) == 3
    assert "3 ranked provinces have no confidence interval" in guidance.significance_sentence(r, "en")
    assert "of the 61 provinces ranked" in narrate(hy, "en")


def test_pairwise_wording(hy):
    en, vi = (
        guidance.significance_sentence(hy.index("PAPI"), "en"),
        guidance.significance_sentence(hy.index("PAPI"), "vi"),
    )
    assert "90% margin of error of the difference between the two scores" in en and "whole" not in en
    assert "sai số của chênh lệch giữa hai tỉnh ở mức tin cậy 90%" in vi
    lines = " ".join(guidance.targets_lines(hy, "en"))
    assert "within the 90% margin of error of the difference between the two provinces (±1.23)" in lines
    assert "within the survey's 90% margin of error (±1.14)" in lines


# --- kind 8: a realistic target is within what provinces gained in one year --------------------
def _one_year_gains(papi: pd.DataFrame, measure: str, first: int, last: int) -> np.ndarray:
    s = papi[papi.measure == measure].pivot(index="province_code", columns="year", values="value")
    d = np.concatenate([(s[y] - s[y - 1]).dropna().to_numpy() for y in range(first + 1, last + 1)])
    return d


def test_gain_bound_is_the_90th_percentile_of_one_year_changes(papi):
    m = parlib.model_for(parlib.load(), 2022)
    bounds = realism.gain_bounds(realism.one_year_changes(m.scores, "PAPI"))
    total = bounds["TOTAL"]
    # PAPI's total is out of 80 from 2018: the series starts again there
    assert (total.first_year, total.last_year) == (2018, 2022)
    gains = _one_year_gains(papi, "TOTAL", 2018, 2022)
    assert total.n == len(gains) and total.value == pytest.approx(np.quantile(gains, 0.9))
    d7 = bounds["D7"]
    assert d7.value == pytest.approx(np.quantile(_one_year_gains(papi, "D7", d7.first_year, 2022), 0.9))


def test_hung_yen_environmental_governance_is_not_a_realistic_one_year_lever(hy):
    t = next(t for t in hy.targets if t.kind == "previous_rank" and t.index_code == "PAPI")
    lever = next(x for x in t.levers if x.measure == "D7")  # 42nd of 63, 93 % of the way to the best
    assert lever.realistic is False and t.points_needed > lever.gain.value
    en, vi = " ".join(guidance.targets_lines(hy, "en")), " ".join(guidance.targets_lines(hy, "vi"))
    assert "a single component could deliver it: Environmental" not in en
    assert "only with a gain not realistic in one year: Environmental Governance" in en
    assert "khó đạt được trong một năm: Quản trị môi trường" in vi
    lead = next(t for t in hy.targets if t.kind == "regional_leader" and t.index_code == "PAPI")
    assert lead.realistic is False and "not realistic in one year" in en
    assert list(tables.targets_table(hy, "en").iloc[:, -1]) == ["yes", "yes", "no"]


def test_every_lever_and_target_is_judged_by_its_bound(year_profiles):
    _, profiles = year_profiles
    judged = 0
    for p in profiles:
        for t in p.targets:
            for x in [t, *t.levers]:
                need = t.points_needed
                if x.gain is None:
                    assert x.realistic is (True if need <= 0 else None)
                    continue
                judged += 1
                assert x.realistic is (need <= x.gain.value)
        for t, words in zip(p.targets, guidance.targets_lines(p, "en")):
            for x in t.levers:
                if x.realistic is False:
                    assert f"could deliver it: {x.name_en}" not in words and "only with a gain not realistic" in words
    assert judged > 50

"""Ranks, deltas, gaps, groups and streaks: synthetic unit tests, then invariants on the real data.

Synthetic tables use real province codes with made-up values; they are named ``synthetic_*``.
Tiny synthetic fields cover a handful of the 63 provinces, so they pass ``min_coverage=0``
(rank and average over whatever provinces have a value).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from parlib.data.indices import measures as measure_table
from parlib.data.loading import load_aggregates
from parlib.data.registry import provinces
from parlib.engine.averages import compute_gaps, national_average
from parlib.engine.deltas import (
    DELTA_COLUMNS,
    add_groups,
    compute_deltas,
    papi_groups,
    par_group,
    rank_scores,
    streaks,
)
from parlib.present.catalogue import group_name

ALL = dict(min_coverage=0)


def synthetic_rows(index_code: str, measure: str, year: int, values: dict[str, float], **extra) -> list[dict]:
    return [
        dict(index_code=index_code, year=year, province_code=code, measure=measure, value=v, **extra)
        for code, v in values.items()
    ]


def synthetic_scores() -> pd.DataFrame:
    """Fake PAR INDEX totals for four real province codes, 2020-2023, with gaps on purpose.

    - 01 and 31 tie in 2023; 31 has no 2022 row (a missing year); 79 appears in 2023 only.
    - 33 carries a published rank in 2022 without a value (as for Hưng Yên's real 2022 PAR).
    """
    rows = (
        synthetic_rows("PAR", "TOTAL", 2020, {"01": 80.0, "31": 82.0, "33": 79.0})
        + synthetic_rows("PAR", "TOTAL", 2021, {"01": 85.0, "31": 84.0, "33": 86.0})
        + synthetic_rows("PAR", "TOTAL", 2022, {"01": 86.5, "33": np.nan})
        + synthetic_rows("PAR", "TOTAL", 2023, {"01": 88.5, "31": 88.5, "33": 90.0, "79": 86.0})
    )
    df = pd.DataFrame(rows)
    df["rank"] = pd.array([pd.NA] * len(df), dtype="Int64")
    df["n_ranked"] = pd.array([pd.NA] * len(df), dtype="Int64")
    df["rank_basis"] = ""
    hy22 = (df.year == 2022) & (df.province_code == "33")
    df.loc[hy22, ["rank", "n_ranked", "rank_basis"]] = [12, 63, "published"]
    return df


def synthetic_aggregates(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(
        rows,
        columns=["index_code", "year", "area_code", "measure", "statistic", "value", "source_id", "status", "note"],
    )


# --- rank_scores ------------------------------------------------------------------------------
def test_competition_ranking_1_2_2_4_and_tied_flag():
    r = rank_scores(synthetic_scores(), **ALL)
    y23 = r[r.year == 2023].set_index("province_code")
    assert y23["rank"].to_dict() == {"01": 2, "31": 2, "33": 1, "79": 4}
    assert y23["tied"].to_dict() == {"01": True, "31": True, "33": False, "79": False}
    assert (y23["n_ranked"] == 4).all() and (y23["rank_basis"] == "computed").all()


def test_other_tie_rules():
    df = synthetic_scores()
    dense = rank_scores(df, tie="dense", **ALL)
    assert dense.loc[dense.year == 2023, "rank"].tolist() == [2, 2, 1, 3]
    with pytest.raises(ValueError, match="tie must be one of"):
        rank_scores(df, tie="average")


def test_published_rank_kept_over_computed():
    df = synthetic_scores()
    # 31 is highest in 2020 (computed rank would be 1) but has a published rank of 7/63.
    df.loc[(df.year == 2020) & (df.province_code == "31"), ["rank", "n_ranked", "rank_basis"]] = [7, 63, "published"]
    r = rank_scores(df, **ALL).set_index(["year", "province_code"])
    assert r.loc[(2020, "31"), "rank"] == 7 and r.loc[(2020, "31"), "n_ranked"] == 63
    assert r.loc[(2020, "31"), "rank_basis"] == "published"
    assert r.loc[(2020, "01"), "rank_basis"] == "computed" and r.loc[(2020, "01"), "rank"] == 2
    # a rank with no value is kept as well
    assert r.loc[(2022, "33"), "rank"] == 12 and r.loc[(2022, "33"), "rank_basis"] == "published"


def test_compiler_computed_rank_kept():
    df = synthetic_scores()
    df.loc[(df.year == 2021) & (df.province_code == "01"), ["rank", "n_ranked", "rank_basis"]] = [3, 60, "computed"]
    r = rank_scores(df, **ALL).set_index(["year", "province_code"])
    assert r.loc[(2021, "01"), "rank"] == 3 and r.loc[(2021, "01"), "n_ranked"] == 60


def test_partial_coverage_is_not_ranked_by_default():
    # four of 63 provinces: a rank "1 of 4" would be wrong, so none is computed
    r = rank_scores(synthetic_scores())
    computed = r[r.year == 2023]
    assert computed["rank"].isna().all() and (computed["rank_basis"] == "").all()
    # a published denominator of 4 makes the field complete
    df = synthetic_scores().assign(n_ranked=lambda d: d.n_ranked.fillna(4))
    assert rank_scores(df).loc[lambda d: d.year == 2023, "rank"].notna().all()


def test_unknown_direction_not_ranked():
    m = measure_table("PAPI", 2019)
    indicator = m.loc[m.direction == "unknown", "measure"].iloc[0]
    df = pd.DataFrame(synthetic_rows("PAPI", indicator, 2019, {"01": 3.0, "02": 2.0, "04": 1.0}))
    r = rank_scores(df, **ALL)
    assert r["rank"].isna().all()
    assert compute_deltas(df, **ALL)["rank"].isna().all()


def test_input_not_mutated():
    df = synthetic_scores()
    before = df.copy()
    rank_scores(df, **ALL), compute_deltas(df, **ALL), compute_gaps(df, synthetic_aggregates([]), **ALL)
    add_groups(df), streaks(df, **ALL)
    pd.testing.assert_frame_equal(df, before)


# --- compute_deltas ---------------------------------------------------------------------------
def synthetic_deltas() -> pd.DataFrame:
    return compute_deltas(synthetic_scores(), **ALL).set_index(["year", "province_code"])


def test_delta_columns_and_units():
    d = compute_deltas(synthetic_scores(), **ALL)
    assert list(d.columns) == DELTA_COLUMNS
    assert (d.unit == "pp").all()


def test_missing_year_falls_back_to_latest_earlier_year():
    d = synthetic_deltas()
    row = d.loc[(2023, "31")]
    assert row.base_year == 2021 and row.gap_years == 2 and bool(row.fallback)
    assert row.delta_pp == pytest.approx(88.5 - 84.0)
    assert row["pct_change"] == pytest.approx(100 * 4.5 / 84.0)
    assert not d.loc[(2023, "01"), "fallback"] and d.loc[(2023, "01"), "gap_years"] == 1


def test_province_present_in_one_year_only_has_empty_base():
    row = synthetic_deltas().loc[(2023, "79")]
    assert pd.isna(row.base_year) and np.isnan(row.base_value) and np.isnan(row.delta_pp)
    assert pd.isna(row.base_rank) and pd.isna(row.rank_change) and pd.isna(row.gap_years)
    assert not row.fallback and not row.comparable


def test_rank_only_year_gives_rank_change_without_delta():
    d = synthetic_deltas()
    row = d.loc[(2022, "33")]  # published rank 12, no value; 2021 computed rank 1 of 3
    assert row.base_year == 2021 and np.isnan(row.delta_pp) and row.rank_change == 1 - 12
    nxt = d.loc[(2023, "33")]  # base is 2022 (has a rank), so no score delta either
    assert nxt.base_year == 2022 and np.isnan(nxt.delta_pp) and nxt.rank_change == 12 - 1


def test_par_2021_to_2022_crosses_a_methodology_break():
    d = synthetic_deltas()
    assert bool(d.loc[(2022, "01"), "crosses_break"]) and not d.loc[(2022, "01"), "comparable"]
    assert not d.loc[(2021, "01"), "crosses_break"] and bool(d.loc[(2021, "01"), "comparable"])  # 2020→2021
    assert bool(d.loc[(2023, "31"), "crosses_break"])  # fell back to 2021, across the break


def test_papi_2017_to_2018_crosses_a_break_and_2018_to_2019_does_not():
    df = pd.DataFrame(
        synthetic_rows("PAPI", "TOTAL", 2017, {"01": 36.0})
        + synthetic_rows("PAPI", "TOTAL", 2018, {"01": 44.0})
        + synthetic_rows("PAPI", "TOTAL", 2019, {"01": 43.5})
    )
    d = compute_deltas(df, **ALL).set_index("year")
    assert bool(d.loc[2018, "crosses_break"]) and not d.loc[2018, "comparable"]
    assert not d.loc[2019, "crosses_break"] and bool(d.loc[2019, "comparable"])
    assert (d.unit == "points").all()


def test_2024_to_2025_unit_set_change_flag():
    # the same code in both years (e.g. an imported series): the change of unit set is flagged
    df = pd.DataFrame(
        synthetic_rows("SIPAS", "TOTAL", 2024, {"01": 85.0}) + synthetic_rows("SIPAS", "TOTAL", 2025, {"01": 86.0})
    )
    row = compute_deltas(df, **ALL).set_index("year").loc[2025]
    assert bool(row.unit_set_change) and not row.crosses_break and not row.comparable
    assert row.delta_pp == pytest.approx(1.0)


def test_explicit_base_year():
    d = compute_deltas(synthetic_scores(), base_year=2020, **ALL).set_index(["year", "province_code"])
    row = d.loc[(2023, "31")]
    assert row.base_year == 2020 and row.gap_years == 3 and not row.fallback
    assert row.delta_pp == pytest.approx(88.5 - 82.0)
    assert pd.isna(d.loc[(2020, "31"), "base_year"])  # the base year itself has no base
    assert pd.isna(d.loc[(2023, "79"), "base_year"])  # no value in the base year


def test_index_with_no_components(scores):
    # SIPAS publishes only a total: every row is TOTAL, in percentage points
    sipas = scores[scores.index_code == "SIPAS"]
    assert set(measure_table("SIPAS").measure) == {"TOTAL"}
    d = compute_deltas(sipas)
    assert set(d.measure) == {"TOTAL"} and (d.unit == "pp").all()
    assert len(d) == len(sipas.dropna(subset=["value", "rank"], how="all"))
    sel = compute_deltas(scores, indices="SIPAS", measures=["TOTAL"])
    pd.testing.assert_frame_equal(d.reset_index(drop=True), sel.reset_index(drop=True))
    # SIPAS 2021→2022 crosses the 2022 policy-satisfaction break
    y22 = d[(d.year == 2022) & d.base_year.notna()]
    assert len(y22) > 5 and y22.crosses_break.all() and not y22.comparable.any()


# --- averages and gaps ------------------------------------------------------------------------
def test_national_average_published_vs_mean_of_provinces():
    agg = synthetic_aggregates([("PAR", 2023, "VN", "TOTAL", "mean", 87.0, "synthetic-src", "reported", "")])
    nat = national_average(synthetic_scores(), agg, **ALL).set_index("year")
    assert nat.loc[2023, "avg_basis"] == "published" and nat.loc[2023, "national_avg"] == 87.0
    assert nat.loc[2023, "avg_source_id"] == "synthetic-src"
    assert nat.loc[2023, "mean_of_provinces"] == pytest.approx((88.5 + 88.5 + 90 + 86) / 4)
    assert nat.loc[2021, "avg_basis"] == "mean_of_provinces"
    assert nat.loc[2021, "national_avg"] == pytest.approx(85.0) and nat.loc[2021, "n_provinces"] == 3
    # too few provinces and nothing published: no national average
    nat_default = national_average(synthetic_scores(), agg).set_index("year")
    assert nat_default.loc[2023, "avg_basis"] == "published"
    assert nat_default.loc[2021, "avg_basis"] == "" and np.isnan(nat_default.loc[2021, "national_avg"])


def test_gaps_national_regional_best_percentile():
    agg = synthetic_aggregates(
        [
            ("PAR", 2023, "VN", "TOTAL", "mean", 87.0, "synthetic-src", "reported", ""),
            ("PAR", 2023, "RRD", "TOTAL", "mean", 89.0, "synthetic-reg", "reported", ""),
        ]
    )
    g = compute_gaps(synthetic_scores(), agg, **ALL).set_index(["year", "province_code"])
    hn = g.loc[(2023, "01")]  # Hà Nội, Red River Delta
    assert hn.gap_national == pytest.approx(1.5) and hn.avg_basis == "published"
    assert hn.region_code == "RRD" and hn.regional_basis == "published" and hn.gap_regional == pytest.approx(-0.5)
    assert hn.best_value == 90.0 and hn.best_province_code == "33" and hn.gap_best == pytest.approx(-1.5)
    # 01 and 31 tie: one province of four scores strictly lower
    assert hn.percentile == pytest.approx(25.0) and g.loc[(2023, "31"), "percentile"] == pytest.approx(25.0)
    assert g.loc[(2023, "33"), "percentile"] == pytest.approx(75.0)
    hcm = g.loc[(2023, "79")]  # Southeast: no published regional mean, one province → its own value
    assert hcm.region_code == "SE" and hcm.regional_basis == "mean_of_provinces" and hcm.gap_regional == 0
    # 2021: mean of provinces for the nation and for the Red River Delta (Hà Nội, Hải Phòng, Hưng Yên)
    assert g.loc[(2021, "01"), "avg_basis"] == "mean_of_provinces"
    assert g.loc[(2021, "01"), "regional_basis"] == "mean_of_provinces"
    assert g.loc[(2021, "01"), "regional_avg"] == pytest.approx((85.0 + 84.0 + 86.0) / 3)
    assert (2022, "33") not in g.index  # no value, no gap row


def test_best_value_ties_keep_every_province():
    df = pd.DataFrame(synthetic_rows("PAPI", "TOTAL", 2019, {"01": 45.0, "31": 45.0, "33": 40.0}))
    g = compute_gaps(df, synthetic_aggregates([]), **ALL)
    assert set(g.best_province_code) == {"01,31"}


def test_gaps_have_no_region_from_2025():
    df = pd.DataFrame(synthetic_rows("SIPAS", "TOTAL", 2025, {"N01": 85.0, "N33": 80.0}))
    g = compute_gaps(df, synthetic_aggregates([]), **ALL)
    assert g.region_code.isna().all() and g.regional_avg.isna().all() and (g.regional_basis == "").all()


# --- groups -----------------------------------------------------------------------------------
def test_par_bands():
    assert [par_group(v, 2024) for v in (96.17, 90.0, 89.99, 80.0, 79.99, 70.0, 69.99)] == [
        "A",
        "A",
        "B",
        "B",
        "C",
        "C",
        None,
    ]
    assert par_group(87.14, 2012) is None and par_group(float("nan"), 2024) is None


def test_papi_quartile_group_sizes_synthetic_year():
    codes = provinces("VN63").code.tolist()
    assert len(codes) == 63
    df = pd.DataFrame(synthetic_rows("PAPI", "TOTAL", 2019, dict(zip(codes, np.linspace(30, 50, 63)))))
    g = papi_groups(df)
    assert g.group.value_counts().sort_index().tolist() == [16, 16, 15, 16]
    # the engine returns codes only; the names are the presenters' words (exact text, not read back)
    assert not any(c.startswith("group_name") for c in g.columns)
    assert group_name("PAPI", str(g.loc[g.group == 1, "group"].iloc[0]), "vi") == "Nhóm đạt điểm cao nhất"
    assert group_name("PAPI", str(g.loc[g.group == 4, "group"].iloc[0]), "en") == "Poor performers"


def test_papi_groups_move_with_the_year_not_the_score():
    # the same score is group 1 in a weak year and group 4 in a strong one
    df = pd.DataFrame(
        synthetic_rows("PAPI", "D1", 2020, {"01": 5.0, "02": 4.0, "04": 3.0, "06": 2.0})
        + synthetic_rows("PAPI", "D1", 2021, {"01": 5.0, "02": 6.0, "04": 7.0, "06": 8.0})
    )
    g = papi_groups(df).set_index(["year", "province_code"]).group
    assert g[(2020, "01")] == 1 and g[(2021, "01")] == 4


def test_add_groups_par_and_papi():
    par = synthetic_scores()
    papi = pd.DataFrame(synthetic_rows("PAPI", "TOTAL", 2019, {"01": 45.0, "02": 44.0, "04": 43.0, "06": 40.0}))
    sipas = pd.DataFrame(synthetic_rows("SIPAS", "TOTAL", 2023, {"01": 85.0}))
    early = pd.DataFrame(synthetic_rows("PAR", "TOTAL", 2012, {"01": 87.14}))
    low = pd.DataFrame(synthetic_rows("PAR", "TOTAL", 2015, {"02": 65.0}))
    g = add_groups(pd.concat([par, papi, sipas, early, low], ignore_index=True))
    key = g.set_index(["index_code", "year", "province_code"])
    assert key.loc[("PAR", 2023, "33"), "group"] == "A" and key.loc[("PAR", 2023, "79"), "group"] == "B"
    assert key.loc[("PAR", 2023, "79"), "group_basis"] == "par_band"
    assert group_name("PAR", key.loc[("PAR", 2023, "79"), "group"], "vi") == "Nhóm B"
    assert key.loc[("PAR", 2012, "01"), "group"] == ""
    assert key.loc[("PAR", 2012, "01"), "group_basis"] == "par_bands_not_fixed"
    assert key.loc[("PAR", 2015, "02"), "group_basis"] == "par_below_bands"
    assert key.loc[("PAR", 2022, "33"), "group"] == ""  # rank only, no value
    assert key.loc[("PAPI", 2019, "01"), "group"] == "1" and key.loc[("PAPI", 2019, "06"), "group"] == "4"
    assert key.loc[("PAPI", 2019, "06"), "group_basis"] == "papi_quartile"
    assert key.loc[("SIPAS", 2023, "01"), "group"] == "" and key.loc[("SIPAS", 2023, "01"), "group_basis"] == ""
    assert len(g) == len(par) + 7


# --- streaks ----------------------------------------------------------------------------------
def test_streaks_synthetic():
    ranks = {2016: 1, 2017: 1, 2018: 1, 2019: 2, 2020: 2, 2022: 2, 2023: 1}
    df = pd.DataFrame(
        [
            dict(
                index_code="PAR",
                year=y,
                province_code="22",
                measure="TOTAL",
                value=np.nan,
                rank=r,
                n_ranked=63,
                rank_basis="published",
            )
            for y, r in ranks.items()
        ]
    )
    s = streaks(df).set_index("year")
    assert s.same_rank_streak.tolist() == [1, 2, 3, 1, 2, 1, 1]  # 2021 missing breaks the run
    assert s.top_streak.tolist() == [1, 2, 3, 0, 0, 0, 1]


# --- the real data ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def real_deltas(scores):
    return compute_deltas(scores)


def test_real_delta_is_the_difference_of_its_two_scores(real_deltas):
    d = real_deltas
    both = d.value.notna() & d.base_value.notna()
    assert both.sum() > 30_000
    assert np.allclose(d.loc[both, "delta_pp"], d.loc[both, "value"] - d.loc[both, "base_value"])
    assert d.loc[~both, "delta_pp"].isna().all()
    assert not d.duplicated(["index_code", "year", "province_code", "measure"]).any()


def test_real_rank_change_is_base_rank_minus_rank(real_deltas):
    d = real_deltas
    both = d["rank"].notna() & d.base_rank.notna()
    assert both.sum() > 30_000
    assert (d.loc[both, "rank_change"] == d.loc[both, "base_rank"] - d.loc[both, "rank"]).all()
    assert d.loc[~both, "rank_change"].isna().all()


def test_real_flags_are_consistent(real_deltas):
    d = real_deltas
    has_base = d.base_year.notna()
    assert (d.loc[has_base, "gap_years"] >= 1).all()
    assert (d.fallback == (has_base & (d.gap_years > 1)).fillna(False)).all()
    assert (d.comparable == (has_base & ~d.crosses_break & ~d.unit_set_change)).all()
    assert set(d.unit) == {"pp", "points"}
    papi = d[(d.index_code == "PAPI") & (d.year == 2018) & (d.base_year == 2017)]
    assert len(papi) > 1000 and papi.crosses_break.all()


def test_real_ranks_within_1_to_n(scores):
    r = rank_scores(scores)
    ranked = r[r["rank"].notna()]
    assert (ranked["rank"] >= 1).all() and (ranked["rank"] <= ranked["n_ranked"]).all()
    assert set(ranked.rank_basis) == {"published", "computed"}
    # every published rank survived
    pub = scores["rank"].notna()
    assert (r.loc[pub, "rank"] == scores.loc[pub, "rank"]).all()


def test_real_hung_yen_papi_2022_vs_2021(real_deltas):
    row = real_deltas.set_index(["index_code", "measure", "province_code", "year"]).loc[("PAPI", "TOTAL", "33", 2022)]
    assert row.base_year == 2021 and row["rank"] == 11 and row.base_rank == 5 and row.rank_change == -6
    assert row.delta_pp == pytest.approx(44.183117 - 45.365888, abs=1e-5)
    assert row.unit == "points" and bool(row.comparable)


def test_real_hung_yen_par_2022_vs_2021(real_deltas):
    row = real_deltas.set_index(["index_code", "measure", "province_code", "year"]).loc[("PAR", "TOTAL", "33", 2022)]
    assert row.base_year == 2021 and row["rank"] == 12 and row.base_rank == 12 and row.rank_change == 0
    assert np.isnan(row.delta_pp)  # the 2022 score was not published
    assert bool(row.crosses_break) and row.unit == "pp"


def test_real_ninh_binh_par_2023_gap_to_national_average(scores):
    # "88,72%, cao hơn trung bình toàn quốc 1,74%" (DOMAIN §7): a published national mean
    g = compute_gaps(scores[scores.index_code == "PAR"], load_aggregates()).set_index(
        ["measure", "province_code", "year"]
    )
    row = g.loc[("TOTAL", "37", 2023)]
    assert row.avg_basis == "published" and row.gap_national == pytest.approx(1.74)
    assert row.region_code == "RRD" and row.regional_basis == "published" and row.regional_avg == 88.33
    assert np.isnan(row.best_value) and np.isnan(row.percentile)  # 26 of 63 provinces: no best, no percentile


def test_real_papi_2019_quartile_sizes_match_the_published_16_16_15_16(scores):
    g = papi_groups(scores)
    sizes = g[(g.year == 2019) & (g.measure == "TOTAL")].group.value_counts().sort_index().tolist()
    assert sizes == [16, 16, 15, 16]


def test_real_gaps_invariants(scores):
    g = compute_gaps(scores)
    has_best = g.best_value.notna()
    assert has_best.sum() > 30_000
    assert np.allclose(g.loc[has_best, "gap_best"], g.loc[has_best, "value"] - g.loc[has_best, "best_value"])
    assert (g.loc[has_best, "gap_best"] <= 1e-12).all()  # every measure with a best is higher-is-better
    assert g.percentile.dropna().between(0, 100).all()
    nat = g.national_avg.notna()
    assert np.allclose(g.loc[nat, "gap_national"], g.loc[nat, "value"] - g.loc[nat, "national_avg"])


def test_papi_top_group_sizes_match_the_published_counts():
    # DOMAIN §3.5: 15 provinces in the top group of 2023 (61 ranked); 16/16/15/16 of 63 in 2019
    from parlib.data.loading import load_scores

    s = load_scores(indices=["PAPI"], include_indicators=False)
    s = s[s.measure == "TOTAL"]
    g23 = papi_groups(s[s.year == 2023])
    assert len(g23) == 61 and (g23.group == 1).sum() == 15
    g19 = papi_groups(s[s.year == 2019])
    assert g19.group.value_counts().sort_index().tolist() == [16, 16, 15, 16]
    # the province exactly on the 2023 cut point (the 16th) is in group 2
    sixteenth = g23.sort_values("value", ascending=False).iloc[15]
    assert sixteenth.group == 2

"""Issue 10 item 9: published ranks must order published scores; contradictions are withheld."""

from __future__ import annotations

import sys

import pandas as pd
import pytest
from conftest import PROJECT, reseal

from parlib.data.consistency import rank_order_contradictions
from parlib.data.loading import DataValidationError, is_withheld, load_scores, withheld

SHARED = PROJECT.parent / "shared"


@pytest.fixture
def synthetic_ranking() -> pd.DataFrame:
    """A synthetic index-year: five made-up provinces, scores and published ranks."""
    return pd.DataFrame(
        {
            "index_code": ["PAR"] * 5,
            "year": [2099] * 5,
            "measure": ["TOTAL"] * 5,
            "province_code": ["s1", "s2", "s3", "s4", "s5"],
            "value": [90.0, 88.0, 88.0, 85.0, 80.0],
            "rank": [1, 2, 2, 4, 5],
        }
    )


def test_synthetic_consistent_table_passes(synthetic_ranking):
    assert rank_order_contradictions(synthetic_ranking).empty  # equal scores may share a rank


def test_synthetic_higher_score_worse_rank_is_found(synthetic_ranking):
    t = synthetic_ranking.copy()
    t.loc[4, "rank"] = 3  # s5 80.0 ranked above s4 85.0
    pairs = rank_order_contradictions(t)
    assert set(zip(pairs.province_code, pairs.other_province_code)) == {("s4", "s5")}


def test_synthetic_tie_in_rank_with_unequal_scores_is_found(synthetic_ranking):
    t = synthetic_ranking.copy()
    t.loc[3, "rank"] = 2  # s4 85.0 shares 2nd with two 88.0 scores
    pairs = rank_order_contradictions(t)
    assert set(zip(pairs.province_code, pairs.other_province_code)) == {("s2", "s4"), ("s3", "s4")}


def test_synthetic_equal_scores_with_different_ranks_are_allowed(synthetic_ranking):
    t = synthetic_ranking.copy()
    t.loc[2, "rank"] = 3  # undisclosed decimals may split a tie
    assert rank_order_contradictions(t).empty


def test_no_contradiction_remains_in_the_bundled_data(scores):
    assert rank_order_contradictions(scores).empty


def test_the_issue_cases_are_withheld_with_both_sources(scores):
    w = withheld()
    assert set(zip(w.index_code, w.year, w.area_code, w.field)) == {
        ("PAR", 2022, "70", "rank"),
        ("PAR", 2023, "96", "rank"),
    }
    assert (w.other_source_id != "").all() and w.contradicts.str.len().gt(0).all()
    bp = scores[
        (scores.index_code == "PAR")
        & (scores.year == 2022)
        & (scores.province_code == "70")
        & (scores.measure == "TOTAL")
    ].iloc[0]
    assert bp.value == 84.46 and pd.isna(bp["rank"])  # score kept, contradicting rank withheld
    cm = scores[
        (scores.index_code == "PAR")
        & (scores.year == 2023)
        & (scores.province_code == "96")
        & (scores.measure == "TOTAL")
    ].iloc[0]
    assert cm["rank"] == 34 and cm.rank_source_id == w.loc[w.area_code == "96", "kept_source_id"].iloc[0]
    assert is_withheld("PAR", 2022, "70") and not is_withheld("PAR", 2022, "58")


def test_loader_names_file_line_both_rows_and_fix(data_copy):
    rel = "scores/par_sipas.csv"
    df = pd.read_csv(data_copy / rel, dtype=str, keep_default_na=False)
    i = df.index[(df.index_code == "PAR") & (df.year == "2023") & (df.province_code == "96") & (df.measure == "TOTAL")][
        0
    ]
    df.loc[i, "rank"] = "32"  # put the withheld figure back
    df.to_csv(data_copy / rel, index=False, lineterminator="\n")
    reseal(data_copy, rel)
    with pytest.raises(DataValidationError) as e:
        load_scores(data_copy)
    msg = str(e.value)
    assert rel in msg and f"line {i + 2}" in msg
    assert "75 value 87.04 rank 32" in msg and "96 value 86.89 rank 32" in msg
    assert "conflicts.csv" in msg and "RANK_ORDER_RESOLUTIONS" in msg


@pytest.mark.skipif(not (SHARED / "data-raw").is_dir(), reason="needs ../shared/data-raw")
def test_build_fails_on_an_unresolved_contradiction(monkeypatch):
    sys.path.insert(0, str(PROJECT / "tools"))
    import build_data

    papi = pd.read_csv(PROJECT / "data/scores/papi.csv", dtype={"province_code": str})
    monkeypatch.setattr(build_data, "RANK_ORDER_RESOLUTIONS", build_data.RANK_ORDER_RESOLUTIONS[:1])
    with pytest.raises(SystemExit) as e:
        build_data.build_par_sipas(SHARED, build_data.Sources(), papi)
    msg = str(e.value)
    assert "PAR 2023 TOTAL" in msg and "75 87.04 rank 32" in msg and "96 86.89 rank 32" in msg
    assert "RANK_ORDER_RESOLUTIONS" in msg

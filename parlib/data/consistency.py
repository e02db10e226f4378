"""Facts that contradict each other: published ranks must order published scores.

Within one index, year and measure, a province with a higher score never has the same or a worse
rank than one with a lower score (ties only for equal scores; equal scores may still carry
different ranks, split on undisclosed decimals). A contradiction means one of the figures is wrong.
The build (``tools/build_data.py``) resolves each case by source authority: the weaker figure is
withheld from the score table and kept in ``scores/conflicts.csv`` (``kind`` = ``rank_order``)
with both sources. :func:`parlib.data.loading.withheld` lists them so that a report can say a figure was withheld.

>>> import pandas as pd
>>> t = pd.DataFrame({"index_code": ["PAR"] * 3, "year": [2022] * 3, "measure": ["TOTAL"] * 3,
...                   "province_code": ["a", "b", "c"], "value": [85.0, 84.0, 83.0], "rank": [2, 1, 3]})
>>> rank_order_contradictions(t)[["province_code", "other_province_code"]].values.tolist()
[['a', 'b']]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from parlib.data.errors import DataValidationError, Problem

GROUP = ["index_code", "year", "measure"]
PAIR_COLUMNS = GROUP + [
    "province_code",
    "value",
    "rank",
    "row",
    "other_province_code",
    "other_value",
    "other_rank",
    "other_row",
]


def rank_order_contradictions(scores: pd.DataFrame) -> pd.DataFrame:
    """Pairs of rows of one index-year-measure where the higher score has the same or a worse rank.

    ``row``/``other_row`` are positions in ``scores`` (0-based); the first province of a pair has
    the higher score. Rows without a value or a rank are not compared.
    """
    cols = GROUP + ["province_code", "value", "rank"]
    t = scores[cols].copy()
    t["row"] = np.arange(len(scores))
    t = t[t.value.notna() & t["rank"].notna()]
    if t.empty:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    t["rank"] = t["rank"].astype("float64")
    # Fast screen, vectorised: per group, blocks of equal value in descending order; a group holds
    # a contradiction iff a block's best rank is no better than the worst rank of the blocks above.
    t["_g"] = t.groupby(GROUP, sort=False, observed=True).ngroup().to_numpy()
    blocks = (
        t.groupby(["_g", "value"], sort=True, observed=True)["rank"]
        .agg(["min", "max"])
        .reset_index()
        .sort_values(["_g", "value"], ascending=[True, False], kind="stable")
    )
    worst_above = blocks.groupby("_g", sort=False)["max"].cummax().groupby(blocks["_g"].to_numpy()).shift(1)
    bad_groups = set(blocks.loc[blocks["min"].to_numpy() <= worst_above.fillna(-np.inf).to_numpy(), "_g"])
    suspects = [d.sort_values("value", ascending=False) for g, d in t[t._g.isin(bad_groups)].groupby("_g")]
    pairs = []
    for d in suspects:
        recs = list(d.itertuples(index=False))
        for a in recs:
            for b in recs:
                if a.value > b.value and a.rank >= b.rank:
                    pairs.append(
                        {
                            **{c: getattr(a, c) for c in GROUP},
                            "province_code": a.province_code,
                            "value": a.value,
                            "rank": int(a.rank),
                            "row": a.row,
                            "other_province_code": b.province_code,
                            "other_value": b.value,
                            "other_rank": int(b.rank),
                            "other_row": b.row,
                        }
                    )
    return pd.DataFrame(pairs, columns=PAIR_COLUMNS)


def rank_order_problems(df: pd.DataFrame, rel: str) -> list:
    """Located problems for a score file (``df`` as read: row i is CSV line i + 2) that contradicts itself."""
    out = []
    for p in rank_order_contradictions(df).itertuples():
        a, b = df.iloc[int(p.row)], df.iloc[int(p.other_row)]

        def show(r, line):
            src = r.get("rank_source_id") or r.get("source_id")
            return (
                f"line {line}: {r.province_code} value {r.value:g} rank {int(r['rank'])} "
                f"(source {r.source_id}, rank source {src})"
            )

        out.append(
            Problem(
                rel,
                int(p.row) + 2,
                "rank",
                f"{p.index_code} {p.year} {p.measure}: {show(a, int(p.row) + 2)} has a higher score than "
                f"{show(b, int(p.other_row) + 2)} but not a better rank",
                "published ranks that order published scores (a higher score never has the same or a worse "
                "rank; ties only for equal scores)",
                "decide which figure is wrong from its sources, withhold it from the score table and record it "
                "in scores/conflicts.csv with kind rank_order (tools/build_data.py RANK_ORDER_RESOLUTIONS), "
                "then run `make data`",
            )
        )
    return out


def check_rank_order(df: pd.DataFrame, rel: str) -> None:
    """Raise :class:`~parlib.data.errors.DataValidationError` if a score file contradicts itself."""
    problems = rank_order_problems(df, rel)
    if problems:
        raise DataValidationError(problems)

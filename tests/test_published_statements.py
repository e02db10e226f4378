"""Published statements (issue 10 "Tests"): each ``check`` row of published_statements.csv is
compared with parlib's output through the public API ``parlib.assess(province, year).index(code)``.

The table is written by ``tools/published_statements.py`` from the compiled facts in
../shared/data-raw and the bundled Hưng Yên article; no figure was typed. ``known_wrong`` rows
are kept with the reason and evidence, and are not checked. Rows that fail for a reason listed in
issue 10 and owned by the engine carry an xfail naming the item (strict: they flip when fixed).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd
import pytest

import parlib

pytestmark = pytest.mark.slow  # ~1-3 min: one parlib.assess per province-year (91 statements)

TABLE = Path(__file__).with_name("published_statements.csv")
STATEMENTS = pd.read_csv(TABLE, dtype=str, keep_default_na=False)
COLUMNS = [
    "statement_id",
    "index_code",
    "year",
    "province",
    "field",
    "expected",
    "quote",
    "file",
    "source_url",
    "status",
    "reason",
]

# statement_id -> issue-10 item owned by the engine (xfail, strict).
ENGINE_XFAIL: dict[str, str] = {}


@lru_cache(maxsize=None)
def _result(province: str, year: int, index_code: str):
    # A national statement (empty province) is read through one province's profile: national_avg
    # is the same in every profile of the year.
    return parlib.assess(province or _national_lens(index_code, year), year).index(index_code)


def _national_lens(index_code: str, year: int) -> str:
    """A province with a result for the index-year (national_avg is the same in all of them)."""
    from parlib.data.loading import load_scores

    s = load_scores(indices=[index_code], include_indicators=False)
    s = s[(s.year == year) & (s.measure == "TOTAL") & (s.value.notna() | s["rank"].notna())]
    return sorted(s.province_code)[0]


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def actual(row) -> object:
    r = _result(row.province, int(row.year), row.index_code)
    field = row.field
    if field.startswith("component_delta:"):
        measure = field.split(":", 1)[1]
        hits = [c.delta for c in r.published_changes if c.measure == measure]
        hits += [c.delta for c in r.components if c.measure == measure and c.delta is not None]
        return hits[0] if hits else None
    return getattr(r, field)


def matches(row, got) -> bool:
    if got is None or (isinstance(got, float) and pd.isna(got)):
        return False
    if row.field == "group":
        return str(got) == row.expected
    exp = float(row.expected)
    if row.field in ("rank", "n_ranked", "rank_change", "base_rank"):
        return int(got) == int(exp)
    # Published to d decimals, rounded or truncated: within one unit of the last published place.
    return abs(float(got) - exp) < 10 ** -_decimals(row.expected) - 1e-12


def test_table_shape_and_provenance():
    assert list(STATEMENTS.columns) == COLUMNS
    assert len(STATEMENTS) >= 40 and STATEMENTS.statement_id.is_unique
    assert set(STATEMENTS.status) <= {"check", "known_wrong"}
    assert (STATEMENTS.quote != "").all() and (STATEMENTS.file != "").all()
    wrong = STATEMENTS[STATEMENTS.status == "known_wrong"]
    assert (wrong.reason.str.len() > 40).all()
    assert (
        STATEMENTS.field.str.replace(r":.*", "", regex=True)
        .isin({"rank", "n_ranked", "rank_change", "value", "national_avg", "group", "component_delta"})
        .all()
    )


CHECKS = STATEMENTS[STATEMENTS.status == "check"]


@pytest.mark.parametrize(
    "row",
    [
        pytest.param(
            r,
            id=r.statement_id,
            marks=[pytest.mark.xfail(reason=ENGINE_XFAIL[r.statement_id], strict=True)]
            if r.statement_id in ENGINE_XFAIL
            else [],
        )
        for r in CHECKS.itertuples()
    ],
)
def test_statement(row):
    got = actual(row)
    assert matches(row, got), (
        f"{row.statement_id} {row.province} {row.index_code} {row.year} {row.field}: "
        f"published {row.expected!r} ({row.quote!r}, {row.file}); parlib {got!r}"
    )


def test_known_wrong_statements_disagree_with_parlib():
    """A statement marked wrong must really disagree with parlib; otherwise its mark is stale."""
    for row in STATEMENTS[STATEMENTS.status == "known_wrong"].itertuples():
        assert not matches(row, actual(row)), row.statement_id

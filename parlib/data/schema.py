"""The score table's columns and types, and reading and validating a CSV by them.

Shared by the bundled loader (:mod:`parlib.data.loading`) and the user store
(:mod:`parlib.data.user_store`): each reads its files with :func:`_read` and checks scores with
:func:`_validate_scores`, and neither imports the other for it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from parlib.data.errors import DataValidationError, Problem
from parlib.data.indices import INDICES

KEY = ["index_code", "year", "province_code", "measure"]
SCORE_COLUMNS = [
    "index_code",
    "year",
    "province_code",
    "measure",
    "value",
    "rank",
    "n_ranked",
    "rank_basis",
    "ci_low",
    "ci_high",
    "se",
    "source_id",
    "rank_source_id",
    "status",
    "note",
]
NUMERIC = {
    "year": "int",
    "value": "float",
    "rank": "int",
    "n_ranked": "int",
    "ci_low": "float",
    "ci_high": "float",
    "se": "float",
}


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _read(path: Path, rel: str, columns: list[str], numeric: dict[str, str]) -> pd.DataFrame:
    """Read a CSV as text, check its columns, convert numbers; report every bad cell."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in columns if c not in raw.columns]
    if missing:
        raise DataValidationError(
            [
                Problem(
                    rel,
                    1,
                    c,
                    "no such column",
                    f"a header with columns {columns}",
                    f"add the column '{c}' to the header",
                )
                for c in missing
            ]
        )
    df = raw[columns].copy()
    problems = []
    for col, kind in numeric.items():
        if col not in df:
            continue
        text = df[col].str.strip()
        num = pd.to_numeric(text, errors="coerce")
        bad = (text != "") & num.isna()
        if kind == "int":
            bad |= num.notna() & (num != np.round(num))
        for i in np.flatnonzero(bad.to_numpy())[:50]:
            problems.append(
                Problem(
                    rel,
                    int(i) + 2,
                    col,
                    repr(df[col].iloc[i]),
                    f"{'an integer' if kind == 'int' else 'a number'} or an empty cell",
                    "write the number with a decimal point and no units, or leave it empty if it was not published",
                )
            )
        df[col] = num.astype("Int64") if kind == "int" else num.astype("float64")
    if problems:
        raise DataValidationError(problems)
    return df


def _read_typed(path: Path, rel: str, columns: list[str], numeric: dict[str, str]) -> pd.DataFrame:
    """:func:`_read` for a file already validated: the parser converts the numbers itself. Any
    surprise (a cell that does not parse, a missing column, a fraction in an integer column) falls
    back to :func:`_read`, which reports every bad cell."""
    try:
        raw = pd.read_csv(
            path,
            dtype={c: ("float64" if c in numeric else str) for c in columns},
            keep_default_na=False,
            na_values={c: [""] for c in numeric},
        )
    except (ValueError, TypeError):
        return _read(path, rel, columns, numeric)
    if any(c not in raw.columns for c in columns):
        return _read(path, rel, columns, numeric)
    df = raw[columns].copy()
    for col, kind in numeric.items():
        if kind == "int" and col in df:
            v = df[col].to_numpy(dtype="float64")
            if (~np.isnan(v) & (v != np.round(v))).any():
                return _read(path, rel, columns, numeric)
            df[col] = df[col].astype("Int64")
    return df


def _problems_from_pandera(err: pa.errors.SchemaErrors, rel: str, fixes: dict[str, str]) -> list[Problem]:
    out = []
    cases = err.failure_cases
    for r in cases.itertuples():
        line = int(r.index) + 2 if pd.notna(r.index) else None
        out.append(
            Problem(
                rel,
                line,
                r.column if isinstance(r.column, str) else None,
                repr(r.failure_case),
                str(r.check),
                fixes.get(r.column, "correct the value against its source"),
            )
        )
    return out


def _score_schema(codes: set[str], sources: set[str]) -> pa.DataFrameSchema:
    return pa.DataFrameSchema(
        {
            "index_code": pa.Column(str, pa.Check.isin(INDICES, error="one of " + ", ".join(INDICES))),
            "year": pa.Column("Int64", pa.Check.in_range(2005, 2035, error="a year in 2005..2035"), nullable=False),
            "province_code": pa.Column(str, pa.Check.isin(codes, error="a province code of the registry")),
            "measure": pa.Column(str, pa.Check.str_length(min_value=1, error="a measure code")),
            "rank": pa.Column("Int64", pa.Check.ge(1, error="a rank of 1 or more"), nullable=True),
            "n_ranked": pa.Column("Int64", pa.Check.ge(1, error="a count of 1 or more"), nullable=True),
            "rank_basis": pa.Column(
                str, pa.Check.isin(["", "published", "computed"], error="'published', 'computed' or empty")
            ),
            "se": pa.Column(float, pa.Check.ge(0, error="a standard error of 0 or more"), nullable=True),
            "source_id": pa.Column(str, pa.Check.isin(sources, error="a source_id of sources.csv")),
            "status": pa.Column(
                str,
                pa.Check.isin(
                    ["reported", "derived", "inferred", "imported"], error="reported, derived, inferred or imported"
                ),
            ),
        }
    )


FIXES = {
    "province_code": "use the 2-digit GSO code of a province (see `parlib provinces`)",
    "source_id": "add the source to data/sources.csv or correct the id",
    "index_code": f"use one of {', '.join(INDICES)} (data/meta/indices.csv)",
    "year": "use the result year (2005-2035)",
    "rank": "ranks start at 1; leave empty when not published",
    "status": "use reported, derived, inferred or imported",
}


def _validate_scores(df: pd.DataFrame, rel: str, codes: set[str], sources: set[str], measures: pd.DataFrame) -> None:
    problems: list[Problem] = []
    try:
        _score_schema(codes, sources).validate(df, lazy=True)
    except pa.errors.SchemaErrors as err:
        problems += _problems_from_pandera(err, rel, FIXES)

    dup = df.duplicated(KEY, keep="first")
    for i in np.flatnonzero(dup.to_numpy())[:20]:
        first = int(np.flatnonzero((df[KEY] == df.loc[df.index[i], KEY]).all(axis=1).to_numpy())[0])
        problems.append(
            Problem(
                rel,
                i + 2,
                "measure",
                "a second row for key " + "/".join(str(df[k].iloc[i]) for k in KEY),
                f"one row per (index_code, year, province_code, measure); the first is on line {first + 2}",
                "keep one row and record the other figure in scores/conflicts.csv",
            )
        )

    rank_bad = df["rank"].notna() & df["n_ranked"].notna() & (df["rank"] > df["n_ranked"])
    for i in np.flatnonzero(rank_bad.to_numpy())[:20]:
        problems.append(
            Problem(
                rel,
                i + 2,
                "rank",
                str(df["rank"].iloc[i]),
                f"a rank within 1..{df['n_ranked'].iloc[i]} (n_ranked)",
                "correct the rank or n_ranked",
            )
        )

    # Measures must be defined for the year, and values lie within the scale.
    m = measures[["index_code", "measure", "first_year", "last_year", "scale_min", "scale_max"]]
    j = (
        df[["index_code", "measure", "year", "value"]]
        .reset_index(names="row")
        .merge(m, on=["index_code", "measure"], how="left")
    )
    j = j[j.first_year.isna() | ((j.first_year <= j.year) & (j.last_year >= j.year))]
    known = set(j.loc[j.first_year.notna(), "row"])
    for i in sorted(set(range(len(df))) - known)[:20]:
        r = df.iloc[i]
        problems.append(
            Problem(
                rel,
                i + 2,
                "measure",
                repr(r.measure),
                f"a measure of {r.index_code} defined for {r.year} (data/meta/measures.csv)",
                "use a measure code listed by `parlib data measures`, or add it to the metadata",
            )
        )
    out = j[
        j.value.notna()
        & (
            ((j.scale_min.notna()) & (j.value < j.scale_min - 1e-9))
            | ((j.scale_max.notna()) & (j.value > j.scale_max + 1e-9))
        )
    ]
    for r in out.head(20).itertuples():
        problems.append(
            Problem(
                rel,
                int(r.row) + 2,
                "value",
                repr(r.value),
                f"{r.scale_min:g}..{r.scale_max:g} for {r.index_code} {r.measure} {r.year}",
                "check the figure against its source; a missing figure is an empty cell, not 0",
            )
        )
    if problems:
        raise DataValidationError(problems)


def _finish_scores(scores: pd.DataFrame, measures: pd.DataFrame) -> pd.DataFrame:
    """Add ``level``/``parent`` from the measure metadata and set compact dtypes."""
    level = measures.drop_duplicates(["index_code", "measure"])[["index_code", "measure", "level", "parent"]]
    scores = scores.merge(level, on=["index_code", "measure"], how="left")
    for c in ("index_code", "level", "rank_basis", "status"):
        scores[c] = scores[c].astype("category")
    scores["year"] = scores["year"].astype("int64")
    return scores

"""Load the bundled (and imported) scores into one validated tidy long table.

Every load verifies the checksums in ``data/MANIFEST.csv`` and validates each file; a problem
raises :class:`DataValidationError` naming the file, CSV line, column, what was found, what was
expected and how to fix it. Nothing is half-loaded.

The key of the score table is ``(index_code, year, province_code, measure)``.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from parlib.config import bundled_data_dir, check_user_data_dir, user_data_dir
from parlib.data.consistency import check_rank_order
from parlib.data.errors import DataValidationError, Problem
from parlib.data.indices import score_files
from parlib.data.schema import (  # the score table's shape and its checks, re-exported for older imports
    FIXES,
    KEY,
    NUMERIC,
    SCORE_COLUMNS,
    _finish_scores,
    _read,
    _read_typed,
    _sha256,
    _validate_scores,
)
from parlib.data.user_store import (  # the user store, re-exported for older imports
    CONFLICT_COLUMNS,
    DATASET_COLUMNS,
    DATASET_FILES,
    MAXIMA_COLUMNS,
    RANK_FIELDS,
    SOURCE_COLUMNS,
    STORE_FIX,
    VALUE_FIELDS,
    _coalesce,
    _overlay_maxima,
    _overlay_store,
    overlay_scores,
    read_store,
    store_dataset_ids,
    verify_store,
)

#: The score files, as data/meta/indices.csv names them for each index (read at import).
SCORE_FILES = score_files()


# --- checksums --------------------------------------------------------------------------------
def manifest(data_dir: Path | None = None) -> pd.DataFrame:
    """The file manifest: every bundled file with its checksum, row count, description, upstream."""
    data_dir = Path(data_dir or bundled_data_dir())
    return pd.read_csv(data_dir / "MANIFEST.csv", dtype=str, keep_default_na=False)


def verify_checksums(data_dir: Path | None = None) -> None:
    """Raise :class:`DataValidationError` if a bundled file is missing or differs from the manifest."""
    data_dir = Path(data_dir or bundled_data_dir())
    problems = []
    for row in manifest(data_dir).itertuples():
        path = data_dir / row.file
        if not path.exists():
            problems.append(
                Problem(
                    row.file,
                    None,
                    None,
                    "no such file",
                    "the file listed in MANIFEST.csv",
                    "restore it from git (git checkout -- data/)",
                )
            )
        elif _sha256(path) != row.sha256:
            problems.append(
                Problem(
                    row.file,
                    None,
                    None,
                    "sha256 " + _sha256(path)[:12] + "…",
                    "sha256 " + row.sha256[:12] + "… (MANIFEST.csv)",
                    "restore the file from git, or rebuild data with `make data` which rewrites MANIFEST.csv",
                )
            )
    if problems:
        raise DataValidationError(problems)


def full_validation(data_dir: Path) -> bool:
    """Whether a load checks every cell of ``data_dir``, or trusts its checksums.

    The bundled data is validated in full by the build (``make data``) and by the test suite before
    its MANIFEST is committed; a load that finds every checksum equal to the MANIFEST therefore
    reads the same, validated bytes and skips the cell-by-cell checks. Any other data folder (and
    the user store) is always validated in full; ``PARLIB_FULL_VALIDATION=1`` forces it everywhere.
    """
    import os

    return bool(os.environ.get("PARLIB_FULL_VALIDATION")) or Path(data_dir).resolve() != bundled_data_dir().resolve()


def validate_bundled(data_dir: Path | None = None) -> None:
    """Validate every cell of a data folder (what the build runs before it writes MANIFEST.csv
    and the test suite runs on the committed data); raises :class:`DataValidationError`."""
    _load_bundled(Path(data_dir or bundled_data_dir()), full=True)


# --- public loaders ---------------------------------------------------------------------------
def _files_state(folder: Path, *, skip: Path | None = None) -> tuple:
    """(relative path, mtime, size) of every CSV under ``folder`` (``skip``: a subfolder left out).

    Hidden entries (a writer's ``.partial-*`` staging folder, a temporary ``.MANIFEST.csv.*``) are
    not part of the state, and a file or folder that vanishes while it is scanned (a writer renaming
    its staging folder, a recovery removing a leftover) is skipped: a load never fails because a
    store is being written beside it.
    """
    if not folder.is_dir():
        return ()
    out = []
    for root, dirs, files in os.walk(folder):  # os.walk ignores a folder that vanished mid-scan
        here = Path(root)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and (skip is None or here / d != skip))
        for name in sorted(files):
            if name.startswith(".") or not name.endswith(".csv"):
                continue
            try:
                st = os.stat(here / name)
            except FileNotFoundError:
                continue
            out.append(((here / name).relative_to(folder).as_posix(), st.st_mtime_ns, st.st_size))
    return tuple(out)


def store_dir_for(data_dir: Path | str | None = None) -> Path | None:
    """The user store read together with a data directory.

    The bundled data (``data_dir`` None or the bundled folder) goes with
    :func:`parlib.config.user_data_dir` (``PARLIB_DATA_DIR`` or the per-user folder); another data
    directory goes with its own ``user/`` subfolder, if it has one.
    """
    bundled = bundled_data_dir().resolve()
    data_dir = Path(data_dir).resolve() if data_dir else bundled
    if data_dir == bundled:  # a store path that is a file, a broken link or unreadable is said, never skipped
        return check_user_data_dir().resolve()
    own = data_dir / "user"
    return own if own.is_dir() else None


def _dir_state(data_dir: Path) -> tuple:
    """Cache key of a data directory: its files and those of its user store (imports change it)."""
    data_dir = Path(data_dir).resolve()
    store = store_dir_for(data_dir)
    state = _files_state(data_dir, skip=data_dir / "user")
    if store is not None:
        state += (("user store", str(store)),) + _files_state(store)
    return state


@lru_cache(maxsize=4)
def _load(data_dir: Path, state: tuple) -> dict[str, pd.DataFrame]:
    """The bundled tables of ``data_dir``, overlaid with its user store's imports."""
    tables = _load_bundled(data_dir)
    store = store_dir_for(data_dir)
    if store is not None and (store / "MANIFEST.csv").exists():
        tables = _overlay_store(tables, read_store(store, tables))
    return tables


def _load_bundled(data_dir: Path, full: bool | None = None) -> dict[str, pd.DataFrame]:
    from parlib.data.indices import measures as all_measures
    from parlib.data.registry import _tables

    verify_checksums(data_dir)
    full = full_validation(data_dir) if full is None else full
    read = _read if full else _read_typed
    sources = read(data_dir / "sources.csv", "sources.csv", SOURCE_COLUMNS, {})
    dup = sources.duplicated("source_id")
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise DataValidationError(
            [
                Problem(
                    "sources.csv",
                    i + 2,
                    "source_id",
                    repr(sources.source_id.iloc[i]),
                    "unique source ids",
                    "merge the two rows",
                )
            ]
        )
    units = _tables()[0]
    codes = set(units.code)
    measures = all_measures()
    ids = set(sources.source_id)
    frames = []
    for rel in SCORE_FILES:
        path = data_dir / rel
        if not path.exists():
            continue
        df = read(path, rel, SCORE_COLUMNS, NUMERIC)
        if full:
            _validate_scores(df, rel, codes, ids, measures)
            check_rank_order(df, rel)  # issue 10 item 9: ranks must order scores
        rank_src = df.rank_source_id[df.rank_source_id != ""]
        if not rank_src.isin(ids).all():
            i = int(np.flatnonzero((~df.rank_source_id.isin(ids | {""})).to_numpy())[0])
            raise DataValidationError(
                [
                    Problem(
                        rel,
                        i + 2,
                        "rank_source_id",
                        repr(df.rank_source_id.iloc[i]),
                        "a source_id of sources.csv",
                        FIXES["source_id"],
                    )
                ]
            )
        frames.append(df)
    scores = pd.concat(frames, ignore_index=True)
    dup = scores.duplicated(KEY)
    if dup.any():
        r = scores[dup].iloc[0]
        raise DataValidationError(
            [
                Problem(
                    "scores/*.csv",
                    None,
                    None,
                    f"key {tuple(r[KEY])} in two files",
                    "each key in one file only",
                    "remove one of the rows",
                )
            ]
        )
    scores = _finish_scores(scores, measures)

    def small(rel: str, numeric: dict[str, str]) -> pd.DataFrame:
        path = data_dir / rel
        cols = list(pd.read_csv(path, nrows=0).columns)
        return read(path, rel, cols, numeric)

    tables = {
        "scores": scores,
        "sources": sources,
        "aggregates": small("scores/aggregates.csv", {"year": "int", "value": "float"}),
        "published_changes": small(
            "scores/published_changes.csv", {"year": "int", "base_year": "int", "delta": "float", "rank_change": "int"}
        ),
        "published_facts": small("scores/published_facts.csv", {"year": "int"}),
        "conflicts": small("scores/conflicts.csv", {"year": "int"}),
        "component_maxima": small("scores/par_component_maxima.csv", {"year": "int", "scale_max": "float"}),
        "fields": small("meta/fields.csv", {"year": "int", "n_units": "int", "n_ranked": "int", "n_published": "int"}),
        "not_ranked": small("meta/not_ranked.csv", {"year": "int"}),
        "ranks_as_written": small("meta/ranks_as_written.csv", {"year": "int", "rank": "int", "n_written": "int"}),
    }
    for name in COVERAGE_CHECKED:
        t = tables[name]
        if "source_id" in t and not t.source_id.isin(ids).all():
            i = int(np.flatnonzero((~t.source_id.isin(ids)).to_numpy())[0])
            raise DataValidationError(
                [
                    Problem(
                        name,
                        i + 2,
                        "source_id",
                        repr(t.source_id.iloc[i]),
                        "a source_id of sources.csv",
                        FIXES["source_id"],
                    )
                ]
            )
    return tables


#: The small tables whose every ``source_id`` must be a row of sources.csv.
COVERAGE_CHECKED = (
    "aggregates",
    "published_changes",
    "published_facts",
    "conflicts",
    "component_maxima",
    "fields",
    "not_ranked",
    "ranks_as_written",
)


def _tables_for(data_dir: Path | None) -> dict[str, pd.DataFrame]:
    data_dir = Path(data_dir or bundled_data_dir()).resolve()
    return _load(data_dir, _dir_state(data_dir))


def load_scores(
    data_dir: Path | str | None = None, *, indices: list[str] | None = None, include_indicators: bool = True
) -> pd.DataFrame:
    """The tidy score table: one row per (index_code, year, province_code, measure).

    Columns: ``index_code, year, province_code, measure, value, rank, n_ranked, rank_basis,
    ci_low, ci_high, se, source_id, rank_source_id, status, note, level, parent``. The index total
    is measure ``TOTAL``. ``value`` is NaN where only a rank was published; ``rank_basis`` says
    whether a rank was published or computed by the compiler. Returns a fresh copy.
    """
    df = _tables_for(data_dir)["scores"]
    mask = np.ones(len(df), dtype=bool)
    if indices is not None:
        mask &= df.index_code.isin(indices).to_numpy()
    if not include_indicators:
        mask &= (df.level != "indicator").to_numpy()
    return df[mask].reset_index(drop=True)


def load_sources(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Every source cited by a row: producer, title, address, accessed, licence, decision, kind."""
    return _tables_for(data_dir)["sources"].copy()


def load_aggregates(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Published national (``area_code == "VN"``) and regional averages, medians, ranges."""
    return _tables_for(data_dir)["aggregates"].copy()


def load_published_changes(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Changes published without levels (e.g. Hưng Yên's PAR component changes 2021→2022)."""
    return _tables_for(data_dir)["published_changes"].copy()


def load_published_facts(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Other published facts (rank notes, sub-scores, points lost), each with its source."""
    return _tables_for(data_dir)["published_facts"].copy()


def load_conflicts(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Figures on which sources disagree: the kept value and the other, both with sources."""
    return _tables_for(data_dir)["conflicts"].copy()


def withheld(data_dir: Path | str | None = None) -> pd.DataFrame:
    """Figures withheld from the score table because they contradict the published ranking.

    One row per withheld figure (``scores/conflicts.csv`` rows with ``kind == "rank_order"``):
    index_code, year, area_code (province), measure, field (``rank`` or ``value``), other_value
    (the withheld figure), other_source_id (its source), kept_value/kept_source_id (the figure kept
    instead, if any), contradicts (the rows it contradicts), reason.
    """
    c = load_conflicts(data_dir)
    if "kind" not in c:
        return c.iloc[0:0]
    return c[c["kind"] == "rank_order"].reset_index(drop=True)


def is_withheld(
    index_code: str,
    year: int,
    province_code: str,
    field: str = "rank",
    measure: str = "TOTAL",
    data_dir: Path | str | None = None,
) -> bool:
    """True when parlib withheld this published figure (see :func:`withheld`)."""
    w = withheld(data_dir)
    return bool(
        (
            (w.index_code == index_code)
            & (w.year == int(year))
            & (w.area_code == province_code)
            & (w.measure == measure)
            & (w.field == field)
        ).any()
    )


def load_component_maxima(data_dir: Path | str | None = None) -> pd.DataFrame:
    """PAR component maxima as printed by sources, per year (others are unknown)."""
    return _tables_for(data_dir)["component_maxima"].copy()


def coverage(scores: pd.DataFrame) -> pd.DataFrame:
    """Provinces with a value and with a rank, per index, year and level."""
    g = scores.groupby(["index_code", "year", "level"], observed=True)
    return pd.DataFrame(
        {
            "provinces_with_value": g.apply(lambda d: d.loc[d.value.notna(), "province_code"].nunique()),
            "provinces_with_rank": g.apply(lambda d: d.loc[d["rank"].notna(), "province_code"].nunique()),
            "measures": g.measure.nunique(),
        }
    ).reset_index()

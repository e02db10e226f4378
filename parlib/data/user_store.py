"""The user store (imports): reading, locking, recovery and the damage-detecting manifest.

A store (``PARLIB_DATA_DIR`` or ``data/user``) holds ``datasets/<id>/`` folders and
``MANIFEST.csv``, which lists every committed file with its checksum. The manifest's first row
is its *commit record*: the checksum and count of the rows below it, so a truncated or edited
manifest is detected and reported, never read as "fewer imports". Writers (:mod:`parlib.importer.writing`)
hold the exclusive lock ``.lock`` of the store; readers hold it shared. Anything a killed writer
left uncommitted (a staging folder, a dataset folder the manifest does not list, a temporary
manifest) is removed by :func:`recover` on the next load or write.

:mod:`parlib.data.loading` reads the store with this module and re-exports its names; this module
reads and checks files with :mod:`parlib.data.schema` and never imports the loader.
"""

from __future__ import annotations

import csv
import errno
import hashlib
import io
import os
import shutil
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd

from parlib._text import escape_bidi
from parlib.data.errors import DataValidationError, Problem
from parlib.data.safe_csv import unescape_frame
from parlib.data.schema import KEY, NUMERIC, SCORE_COLUMNS, _finish_scores, _read, _sha256, _validate_scores

SOURCE_COLUMNS = ["source_id", "producer", "title", "url", "accessed", "licence", "decision", "kind", "note"]
CONFLICT_COLUMNS = [
    "index_code",
    "year",
    "area_code",
    "measure",
    "field",
    "kept_value",
    "kept_source_id",
    "kept_status",
    "other_value",
    "other_source_id",
    "other_status",
    "reason",
    "note",
]
MAXIMA_COLUMNS = ["index_code", "year", "measure", "scale_max", "source_id", "note"]
DATASET_COLUMNS = [
    "dataset_id",
    "index_code",
    "year",
    "unit_set",
    "replace",
    "source_id",
    "original_file",
    "original_sha256",
    "original_bytes",
    "imported_at",
    "parlib_version",
    "rows",
    "provinces",
    "measures",
]
#: The files of one imported dataset, under ``datasets/<dataset_id>/`` in the store.
DATASET_FILES = {
    "dataset.csv": DATASET_COLUMNS,
    "scores.csv": SCORE_COLUMNS,
    "sources.csv": SOURCE_COLUMNS,
    "conflicts.csv": CONFLICT_COLUMNS,
    "component_maxima.csv": MAXIMA_COLUMNS,
}
#: Fields that travel with a row's value, and with its rank, when an import meets an existing row.
VALUE_FIELDS = ["value", "ci_low", "ci_high", "se", "source_id", "status", "note"]
RANK_FIELDS = ["rank", "n_ranked", "rank_basis", "rank_source_id"]
STORE_FIX = (
    "the user store was changed outside parlib: remove the dataset with `parlib data remove ID` "
    "and import the original file again"
)


MANIFEST_COLUMNS = ["file", "sha256", "rows", "description", "upstream"]
COMMIT_DESCRIPTION = (
    "commit record: sha256 and count of the rows below; parlib refuses the manifest if they "
    "do not match (a truncated or edited file)"
)
STORE_FORMAT = "parlib user store format 2"
LOCK_NAME = ".lock"
#: Written first into every staging folder (and so kept in its dataset folder): recovery deletes an
#: uncommitted folder only when it carries this marker, never a folder parlib did not stage.
STAGED_MARKER = ".parlib-staged"
STAGED_TEXT = (
    "Staged by parlib for dataset {}. parlib's recovery deletes this folder when MANIFEST.csv does not "
    "list it (an import killed before its commit); it never deletes a folder without this file.\n"
)
DAMAGED_FIX = (
    "run `parlib data repair` to rebuild MANIFEST.csv from the dataset folders (each keeps its original "
    "file), or restore MANIFEST.csv from a backup"
)


class StoreBusyError(RuntimeError):
    """Another parlib process held the store's lock for longer than the wait allowed."""


class StoreDamagedError(DataValidationError):
    """The store's MANIFEST.csv does not match its commit record (truncated, edited, unreadable)."""


# --- the manifest and its commit record ---------------------------------------------------------
def manifest_bytes(rows: pd.DataFrame) -> bytes:
    """MANIFEST.csv as written: header, commit record, then one formula-safe row per file."""
    from parlib.data.safe_csv import escape, rows_to_csv_text

    body = rows_to_csv_text([[r[c] for c in MANIFEST_COLUMNS] for r in rows.to_dict("records")]).encode("utf-8")
    n = body.count(b"\n")
    head = rows_to_csv_text(
        [
            MANIFEST_COLUMNS,
            ["MANIFEST.csv", hashlib.sha256(body).hexdigest(), str(n), escape(COMMIT_DESCRIPTION), STORE_FORMAT],
        ]
    )
    return head.encode("utf-8") + body


def _damaged(store: Path, found: str) -> StoreDamagedError:
    return StoreDamagedError(
        [
            Problem(
                f"user store {store}: MANIFEST.csv",
                None,
                None,
                found,
                "MANIFEST.csv as parlib wrote it (rows matching its commit record)",
                DAMAGED_FIX,
            )
        ]
    )


def read_manifest(store: Path) -> pd.DataFrame:
    """The committed files of a store (no commit record row); raises :class:`StoreDamagedError`.

    A manifest written before the commit record existed (no such row) is read as it is.
    """
    path = store / "MANIFEST.csv"
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _damaged(store, "bytes that are not UTF-8 text") from None
    head, _, rest = text.partition("\n")
    if head.rstrip("\r") != ",".join(MANIFEST_COLUMNS):
        raise _damaged(store, f"a first line {head[:60]!r}" if head else "an empty file")
    record_line, _, body = rest.partition("\n")
    if record_line.startswith("MANIFEST.csv,"):
        record = next(csv.reader([record_line]), [])
        if (
            len(record) != len(MANIFEST_COLUMNS)
            or hashlib.sha256(body.encode("utf-8")).hexdigest() != record[1]
            or str(body.count("\n")) != record[2]
        ):
            n = body.count("\n")
            raise _damaged(
                store,
                f"{n} row(s) that do not match the commit record (it lists {record[2:3] or '?'} "
                f"row(s) and their checksum): the file was truncated or edited",
            )
    elif not rest.strip() and (store / "datasets").is_dir() and any(p.is_dir() for p in (store / "datasets").iterdir()):
        raise _damaged(store, "no row at all while datasets/ holds dataset folders")
    else:
        body = rest
    rows = list(csv.reader(io.StringIO(body)))
    bad = [i for i, r in enumerate(rows) if len(r) != len(MANIFEST_COLUMNS)]
    if bad:
        raise _damaged(store, f"line {bad[0] + 3} with {len(rows[bad[0]])} field(s) instead of {len(MANIFEST_COLUMNS)}")
    return unescape_frame(pd.DataFrame(rows, columns=MANIFEST_COLUMNS, dtype=object))


def verify_store(store: Path) -> None:
    """Raise :class:`DataValidationError` if the store's manifest is damaged or a file it lists is
    missing or changed."""
    problems = []
    for row in read_manifest(store).itertuples():
        path = store / row.file
        rel = f"user store {store}: {row.file}"
        if not path.is_file():
            problems.append(Problem(rel, None, None, "no such file", "the file listed in MANIFEST.csv", STORE_FIX))
        elif _sha256(path) != row.sha256:
            problems.append(
                Problem(
                    rel,
                    None,
                    None,
                    "sha256 " + _sha256(path)[:12] + "…",
                    "sha256 " + row.sha256[:12] + "… (MANIFEST.csv)",
                    STORE_FIX,
                )
            )
    if problems:
        raise DataValidationError(problems)


def store_dataset_ids(store: Path) -> list[str]:
    """Ids of the datasets committed to a store (listed in its MANIFEST.csv), in file order."""
    if not (store / "MANIFEST.csv").is_file():
        return []
    files = read_manifest(store).file
    ids = files[files.str.match(r"^datasets/[^/]+/dataset\.csv$")].str.split("/").str[1]
    return list(dict.fromkeys(ids))


# --- the lock -----------------------------------------------------------------------------------
_held: dict[str, int] = {}  # store path → depth of the lock this process holds


def _lock_timeout() -> float:
    return float(os.environ.get("PARLIB_LOCK_TIMEOUT", "600"))


def holds_lock(store: Path) -> bool:
    """True when this process holds the store's lock (nested calls then do not lock again)."""
    return _held.get(str(Path(store).absolute()), 0) > 0


@contextmanager
def store_lock(store: Path, *, shared: bool = False, timeout: float | None = None):
    """Hold the store's lock (``.lock`` in the store): exclusive for writers, shared for readers.

    A writer creates the store folder if needed. Raises :class:`StoreBusyError` after
    ``timeout`` seconds (``PARLIB_LOCK_TIMEOUT``, default 600) and the ``OSError`` of a store
    that cannot be created. A reader of a store it cannot lock (read-only) reads without the lock.
    """
    import fcntl

    store = Path(store)
    key = str(store.absolute())
    if _held.get(key, 0):
        _held[key] += 1
        try:
            yield
        finally:
            _held[key] -= 1
        return
    timeout = _lock_timeout() if timeout is None else timeout
    deadline = time.monotonic() + timeout
    path = store / LOCK_NAME
    fd = None
    while fd is None:
        if not shared:
            store.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        except OSError:
            if not shared:
                raise
            try:
                fd = os.open(path, os.O_RDONLY)
            except OSError:
                fd = -1  # a store that cannot be locked (read-only, or no lock file): read as it is
                break
        wait = 0.005
        while True:
            try:
                fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
                break
            except OSError as e:
                if e.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise StoreBusyError(
                        f"the user store {store} is busy: another parlib import or removal has held its lock "
                        f"({path}) for over {timeout:g} s. Fix: wait for it to finish and run again (if no parlib "
                        "runs, the lock is free: a lock never outlives its process)"
                    ) from None
                time.sleep(wait)
                wait = min(wait * 2, 0.1)
        try:  # the lock file may have been removed (a failed first import) while we waited
            same = os.path.samestat(os.fstat(fd), os.stat(path))
        except FileNotFoundError:
            same = False
        if not same:
            os.close(fd)
            fd = None
            if shared and not store.is_dir():
                fd = -1
    _held[key] = 1
    try:
        yield
    finally:
        _held.pop(key, None)
        if fd >= 0:
            os.close(fd)  # closing releases the lock


# --- recovery -----------------------------------------------------------------------------------
def staged_by_parlib(folder: Path, *, empty_ok: bool = False) -> bool:
    """True for a real folder holding parlib's staging marker (or, with ``empty_ok``, an empty one:
    a writer killed before it wrote the marker; removing it loses nothing)."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    if (folder / STAGED_MARKER).is_file():
        return True
    return empty_ok and not any(folder.iterdir())


def leftovers(store: Path) -> list[Path]:
    """What a killed writer left uncommitted: staging folders, temporary manifests, and dataset
    folders the manifest does not list. Only what parlib staged (folders with its marker, temporary
    manifest files): a folder someone else put in the store is never a leftover. Empty when the
    manifest is damaged (nothing is judged)."""
    if not store.is_dir():
        return []
    out = [
        p
        for p in store.iterdir()
        if (p.name.startswith(".partial-") and staged_by_parlib(p, empty_ok=True))
        or (p.name.startswith(".MANIFEST.csv.") and p.is_file() and not p.is_symlink())
    ]
    folder = store / "datasets"
    if folder.is_dir():
        try:
            listed = set(store_dataset_ids(store))
        except DataValidationError:
            return out if not (store / "MANIFEST.csv").is_file() else []
        out += [p for p in folder.iterdir() if p.name not in listed and staged_by_parlib(p)]
    return out


def recover(store: Path, *, wait: bool = False) -> list[Path]:
    """Remove what killed writers left uncommitted (under the exclusive lock); returns what was removed.

    Loaders call it with ``wait=False``: when a writer holds the lock, or the store is read-only,
    nothing is done (readers ignore uncommitted files anyway). Never called by the lock holder's
    own nested loads, whose staging folder is not a leftover.
    """
    store = Path(store)
    if holds_lock(store) and not wait:
        return []
    if not leftovers(store):
        return []
    try:
        with store_lock(store, timeout=_lock_timeout() if wait else 0):
            gone = leftovers(store)
            for p in gone:
                if p.is_dir() and not p.is_symlink():
                    shutil.rmtree(p)
                else:
                    p.unlink(missing_ok=True)
            return gone
    except (StoreBusyError, OSError):
        return []


def read_store(store: Path, bundled: dict[str, pd.DataFrame] | None = None) -> dict:
    """Read and validate a user store: its datasets (in import order) and their tables.

    Checksums are verified against the store's MANIFEST.csv and every score file is validated
    like the bundled ones; ``bundled`` supplies the bundled source ids the rows may cite.
    """
    recover(store)
    with store_lock(store, shared=True):
        return _read_store(store, bundled)


def _read_store(store: Path, bundled: dict[str, pd.DataFrame] | None) -> dict:
    from parlib.data.indices import measures as all_measures
    from parlib.data.registry import _tables

    verify_store(store)
    ids = store_dataset_ids(store)
    parts: dict[str, list[pd.DataFrame]] = {name: [] for name in DATASET_FILES}
    for ds in ids:
        for name, cols in DATASET_FILES.items():
            rel = f"datasets/{ds}/{name}"
            path = store / rel
            numeric = NUMERIC if name == "scores.csv" else {"year": "int"} if "year" in cols else {}
            if name == "component_maxima.csv":
                numeric = {"year": "int", "scale_max": "float"}
            parts[name].append(unescape_frame(_read(path, f"user store: {rel}", cols, numeric)))
    out = {
        name: (pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=DATASET_FILES[name]))
        for name, frames in parts.items()
    }
    # a store written before bidi controls were stripped at import: shown inert, never raw (issue 18)
    out["sources.csv"] = out["sources.csv"].map(lambda v: escape_bidi(v) if isinstance(v, str) else v)
    known = set(bundled["sources"].source_id) if bundled is not None else set()
    source_ids = known | set(out["sources.csv"].source_id)
    codes, measures = set(_tables()[0].code), all_measures()
    for ds, df in zip(ids, parts["scores.csv"]):
        _validate_scores(df, f"user store: datasets/{ds}/scores.csv", codes, source_ids, measures)
    datasets = out["dataset.csv"]
    order = datasets.sort_values(["imported_at", "dataset_id"], kind="stable").dataset_id.tolist()
    return {
        "datasets": datasets.set_index("dataset_id").loc[order].reset_index(),
        "scores": {ds: df for ds, df in zip(ids, parts["scores.csv"])},
        "sources": out["sources.csv"],
        "conflicts": out["conflicts.csv"],
        "component_maxima": out["component_maxima.csv"],
    }


def _coalesce(old: pd.DataFrame, new: pd.DataFrame, prefer_new: bool) -> pd.DataFrame:
    """Rows of the same keys, in the same order: per field group, the preferred side where it has
    a figure, the other side where the preferred one is missing. Ranks keep their own source.

    A rank never sits beside a score it was not published with: when a replacing import changes
    a score and brings no rank for it, the old rank is dropped (the import's conflicts keep it)."""

    def col(df: pd.DataFrame, c: str) -> np.ndarray:
        return df[c].to_numpy(dtype=object)

    old_value, old_rank = old.value.notna().to_numpy(), old["rank"].notna().to_numpy()
    take_value = new.value.notna().to_numpy() & (prefer_new | ~old_value)
    take_rank = new["rank"].notna().to_numpy() & (prefer_new | ~old_rank)
    keep_rank = take_value & old_rank & ~take_rank
    if prefer_new:
        old_v = pd.to_numeric(old.value, errors="coerce").to_numpy(dtype=float)
        new_v = pd.to_numeric(new.value, errors="coerce").to_numpy(dtype=float)
        changed = take_value & old_value & ~(np.abs(new_v - old_v) <= 0.005)
        drop_rank, keep_rank = keep_rank & changed, keep_rank & ~changed
    else:
        drop_rank = np.zeros(len(old), dtype=bool)
    out = {}
    for c in old.columns:
        take = take_value if c in VALUE_FIELDS else take_rank if c in RANK_FIELDS else None
        out[c] = col(old, c) if take is None else np.where(take, col(new, c), col(old, c))
    old_src = np.where(col(old, "rank_source_id") != "", col(old, "rank_source_id"), col(old, "source_id"))
    out["rank_source_id"] = np.where(keep_rank, old_src, out["rank_source_id"])
    for c, empty in (("rank", pd.NA), ("n_ranked", pd.NA), ("rank_basis", ""), ("rank_source_id", "")):
        out[c] = np.where(drop_rank, empty, out[c])
    return pd.DataFrame(out, index=old.index)


def overlay_scores(base: pd.DataFrame, rows: pd.DataFrame, *, replace: bool) -> pd.DataFrame:
    """Lay imported ``rows`` over ``base`` (both with SCORE_COLUMNS): new keys are added; on a
    shared key the import fills what ``base`` lacks, or (``replace``) wins wherever it has a figure."""
    base = base[SCORE_COLUMNS].set_index(KEY)
    rows = rows[SCORE_COLUMNS].set_index(KEY)
    shared = rows.index.isin(base.index)
    keys = rows.index[shared]
    merged = _coalesce(base.loc[keys], rows.loc[keys], replace)
    kept = base[~base.index.isin(keys)]
    return pd.concat([kept, merged, rows[~shared]]).reset_index()


def _overlay_store(tables: dict[str, pd.DataFrame], store: dict) -> dict[str, pd.DataFrame]:
    """The bundled tables with the store's datasets laid over them, in import order.

    Only the index-years the imports touch are rebuilt; the rest of the table is kept as loaded.
    """
    from parlib.data.indices import measures as all_measures

    tables = dict(tables)
    scores = tables["scores"]
    pairs = set(zip(store["datasets"].index_code, store["datasets"].year.astype(int)))
    mask = np.zeros(len(scores), dtype=bool)
    for idx, year in pairs:
        mask |= ((scores.index_code == idx) & (scores.year == year)).to_numpy()
    part = scores.loc[mask, SCORE_COLUMNS].astype({c: object for c in ("index_code", "rank_basis", "status")})
    for ds in store["datasets"].itertuples():
        part = overlay_scores(part, store["scores"][ds.dataset_id], replace=ds.replace == "True")
    for c, kind in NUMERIC.items():
        part[c] = pd.to_numeric(part[c]).astype("Int64" if kind == "int" else "float64")
    part = _finish_scores(part, all_measures())
    out = pd.concat([scores[~mask], part], ignore_index=True)
    for c in ("index_code", "level", "rank_basis", "status"):
        out[c] = out[c].astype("category")
    tables["scores"] = out
    sources = pd.concat([tables["sources"], store["sources"][SOURCE_COLUMNS]], ignore_index=True)
    tables["sources"] = sources.drop_duplicates("source_id", keep="first").reset_index(drop=True)
    conflicts = store["conflicts"].reindex(columns=tables["conflicts"].columns, fill_value="")
    tables["conflicts"] = pd.concat([tables["conflicts"], conflicts], ignore_index=True)
    tables["component_maxima"] = _overlay_maxima(tables["component_maxima"], store)
    return tables


def _overlay_maxima(bundled: pd.DataFrame, store: dict) -> pd.DataFrame:
    """Component maxima: an import's figure is added, and replaces another only when imported with replace."""
    key = ["index_code", "year", "measure"]
    out = bundled.copy()
    maxima = store["component_maxima"]
    for ds in store["datasets"].itertuples():
        rows = maxima[maxima.source_id == ds.source_id]
        if rows.empty:
            continue
        rows = rows.reindex(columns=out.columns, fill_value="")
        clash = out.set_index(key).index.isin(rows.set_index(key).index)
        if ds.replace == "True":
            out = pd.concat([out[~clash], rows], ignore_index=True)
        else:
            new = ~rows.set_index(key).index.isin(out.set_index(key).index)
            out = pd.concat([out, rows[new]], ignore_index=True)
    return out

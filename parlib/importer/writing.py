"""The user store's writes: lock, commit protocol, recovery; listing and removing imports."""

from __future__ import annotations

import datetime as dt
import difflib
import errno
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from parlib._text import escape_bidi
from parlib.config import check_user_data_dir
from parlib.data.files import atomic_write, fault_point, fault_sleep, fsync_dir, write_new
from parlib.data.loading import (
    CONFLICT_COLUMNS,
    DATASET_COLUMNS,
    MAXIMA_COLUMNS,
    SCORE_COLUMNS,
    SCORE_FILES,
    SOURCE_COLUMNS,
)
from parlib.data.safe_csv import frame_to_csv_bytes, unescape_frame
from parlib.data.user_store import (
    DATASET_FILES,
    LOCK_NAME,
    MANIFEST_COLUMNS,
    STAGED_MARKER,
    STAGED_TEXT,
    manifest_bytes,
    read_manifest,
    recover,
    store_dataset_ids,
    store_lock,
)
from parlib.importer.cells import ImportValidationError, _or
from parlib.importer.validation import ImportPlan, _store_token, validate_import


# --- writing --------------------------------------------------------------------------------------
def import_table(
    path: str | Path,
    index_code: str,
    year: int,
    *,
    source: str | None = None,
    replace: bool = False,
    sheet: str | None = None,
    check_only: bool = False,
) -> ImportPlan:
    """Validate a table and, when it has no error, write it to the user store atomically.

    Raises :class:`ImportValidationError` (with every problem) and writes nothing when the file
    has an error. ``check_only`` validates without writing. Returns the :class:`ImportPlan`.
    """
    plan = validate_import(path, index_code, year, source=source, replace=replace, sheet=sheet)
    if not plan.ok:
        raise ImportValidationError(plan.problems)
    if not check_only:
        write_dataset(plan)
    return plan


def _csv_bytes(df: pd.DataFrame, columns: list[str]) -> bytes:
    return frame_to_csv_bytes(df, columns)


def _dataset_files(plan: ImportPlan, now: dt.datetime | None = None) -> dict[str, bytes]:
    """The files of a dataset folder, as bytes, in the order they are written."""
    from parlib._version import __version__

    now = now or dt.datetime.now().astimezone()
    t = plan.table
    info = {
        "dataset_id": plan.dataset_id,
        "index_code": plan.index_code,
        "year": plan.year,
        "unit_set": plan.unit_set,
        "replace": str(bool(plan.replace)),
        "source_id": plan.dataset_id,
        "original_file": t.file + (f" (sheet {t.sheet})" if t.sheet else ""),
        "original_sha256": plan.original_sha256,
        "original_bytes": t.path.stat().st_size,
        "imported_at": now.isoformat(timespec="seconds"),
        "parlib_version": __version__,
        "rows": len(plan.rows),
        "provinces": len(plan.provinces),
        "measures": plan.rows.measure.nunique(),
    }
    return {
        "scores.csv": _csv_bytes(plan.rows, SCORE_COLUMNS),
        "sources.csv": _csv_bytes(pd.DataFrame([plan.source]), SOURCE_COLUMNS),
        "conflicts.csv": _csv_bytes(plan.conflicts if plan.replace else plan.conflicts.iloc[0:0], CONFLICT_COLUMNS),
        "component_maxima.csv": _csv_bytes(plan.maxima, MAXIMA_COLUMNS),
        "original" + t.path.suffix.lower(): t.path.read_bytes(),
        "dataset.csv": _csv_bytes(pd.DataFrame([info]), DATASET_COLUMNS),
    }


DESCRIPTIONS = {
    "scores.csv": "imported scores and ranks",
    "sources.csv": "source of the import",
    "conflicts.csv": "figures the import replaced (with --replace), with their sources",
    "component_maxima.csv": "component maxima given in the imported table",
    "dataset.csv": "provenance: original file, checksum, import time",
}


def _manifest_rows(dataset_id: str, files: dict[str, bytes], upstream: str) -> pd.DataFrame:
    rows = []
    for name, data in files.items():
        n = data.count(b"\n") - 1 if name.endswith(".csv") else ""
        rows.append(
            {
                "file": f"datasets/{dataset_id}/{name}",
                "sha256": hashlib.sha256(data).hexdigest(),
                "rows": str(n),
                "description": DESCRIPTIONS.get(name, "the original file, byte for byte"),
                "upstream": upstream,
            }
        )
    return pd.DataFrame(rows, columns=MANIFEST_COLUMNS)


def _committed(store: Path) -> pd.DataFrame:
    return read_manifest(store) if (store / "MANIFEST.csv").is_file() else pd.DataFrame(columns=MANIFEST_COLUMNS)


def check_store_folder(store: Path) -> None:
    """Raise the OSError of a store path that cannot be a folder (a file, or under one)."""
    for p in (store, *store.parents):
        if p.exists():
            if not p.is_dir():
                raise NotADirectoryError(errno.ENOTDIR, "Not a directory", str(p))
            return


def _commit_manifest(store: Path, rows: pd.DataFrame, point: str) -> None:
    """The commit: MANIFEST.csv replaced in one step (temp file, fsync, os.replace, fsync folder)."""
    atomic_write(store / "MANIFEST.csv", manifest_bytes(rows), on_written=lambda: fault_point(point))


def write_dataset(plan: ImportPlan) -> Path:
    """Write a validated import to the store and commit it by replacing MANIFEST.csv atomically.

    Under the store's exclusive lock: leftovers of killed writers are removed; if another import
    committed since ``plan`` was validated, the file is validated again against the store as it
    now is (so two imports can never both add conflicting figures); the dataset's files are
    written to a staging folder in the store, moved into ``datasets/<id>/`` in one rename, and
    committed by an atomic replace of ``MANIFEST.csv``. Any failure before the commit undoes
    every step (the store is left byte-identical); a process killed mid-way leaves at most an
    uncommitted folder, which loaders ignore and the next load or write removes.
    """
    if not plan.ok:
        raise ImportValidationError(plan.problems)
    store = check_user_data_dir()
    check_store_folder(store)
    created = [d for d in (store, *store.parents) if not d.exists()]
    had = {p: p.exists() for p in (store / LOCK_NAME, store / "datasets")}
    staging = final = None
    committed = False
    with store_lock(store):
        try:
            fault_point("locked")
            recover(store, wait=True)
            if _store_token(store) != plan.store_token:
                fresh = validate_import(**plan.args)
                if not fresh.ok:
                    raise ImportValidationError(fresh.problems)
                plan.__dict__.update(fresh.__dict__)
            files = _dataset_files(plan)
            old = _committed(store)
            upstream = f"{plan.table.file} (sha256 {plan.original_sha256[:12]}…)"
            new_manifest = pd.concat([old, _manifest_rows(plan.dataset_id, files, upstream)], ignore_index=True)
            staging = Path(tempfile.mkdtemp(prefix=f".partial-{plan.dataset_id}.", dir=store))
            write_new(staging / STAGED_MARKER, STAGED_TEXT.format(plan.dataset_id).encode("utf-8"))
            fault_point("staging")
            for name, data in files.items():
                write_new(staging / name, data)
            fsync_dir(staging)
            fault_point("staged")
            fault_sleep("staged")
            (store / "datasets").mkdir(exist_ok=True)
            final = store / "datasets" / plan.dataset_id
            os.rename(staging, final)
            staging = None
            fsync_dir(store / "datasets")
            fault_point("renamed")
            _commit_manifest(store, new_manifest, "manifest-written")
            committed = True
            fault_point("committed")
        finally:
            if not committed:
                for d in (staging, final):
                    if d is not None and d.exists():
                        shutil.rmtree(d, ignore_errors=True)
                # leave the store byte-identical: what this import created goes too (a first import that
                # failed leaves no store behind); waiters on a removed lock file see it gone and retry
                folder = store / "datasets"
                if not had[folder] and folder.is_dir() and not any(folder.iterdir()):
                    folder.rmdir()
                if not had[store / LOCK_NAME] and {p.name for p in store.iterdir()} <= {LOCK_NAME}:
                    (store / LOCK_NAME).unlink(missing_ok=True)
                for d in reversed(created):
                    if d.exists() and not any(d.iterdir()):
                        d.rmdir()
    return store / "datasets" / plan.dataset_id


def repair_store() -> dict:
    """Rebuild a damaged MANIFEST.csv from the complete dataset folders of the store.

    Every folder under ``datasets/`` holding a readable ``dataset.csv`` and all the files of a
    dataset is listed again (checksums recomputed), in import order; others are left untouched and
    reported. Returns ``{"kept": [ids], "skipped": {folder: reason}}``.
    """
    store = check_user_data_dir()
    kept, skipped, rows = [], {}, []
    with store_lock(store):
        folder = store / "datasets"
        found = []
        for d in sorted(folder.iterdir()) if folder.is_dir() else []:
            names = {p.name for p in d.iterdir()} if d.is_dir() else set()
            need = set(DATASET_FILES)
            if not d.is_dir() or not need <= names or not any(n.startswith("original.") for n in names):
                skipped[d.name] = "incomplete: " + ", ".join(sorted(need - names) or ["no original file"])
                continue
            try:
                info = unescape_frame(pd.read_csv(d / "dataset.csv", dtype=str, keep_default_na=False)).iloc[0]
            except Exception as e:  # noqa: BLE001 - a damaged provenance file: report, do not guess
                skipped[d.name] = f"dataset.csv unreadable ({type(e).__name__})"
                continue
            if info.get("dataset_id") != d.name:
                skipped[d.name] = "dataset.csv names another dataset"
                continue
            found.append((info.get("imported_at", ""), d, info))
        for _, d, info in sorted(found, key=lambda x: (x[0], x[1].name)):
            order = ["scores.csv", "sources.csv", "conflicts.csv", "component_maxima.csv"]
            order += sorted(p.name for p in d.iterdir() if p.name.startswith("original.")) + ["dataset.csv"]
            files = {n: (d / n).read_bytes() for n in order}
            upstream = f"{info.get('original_file', '')} (sha256 {info.get('original_sha256', '')[:12]}…)"
            rows.append(_manifest_rows(d.name, files, upstream))
            kept.append(d.name)
        new = pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=MANIFEST_COLUMNS)
        _commit_manifest(store, new, "repair-written")
    return {"kept": kept, "skipped": skipped}


# --- listing and removing -----------------------------------------------------------------------
def _years_text(years) -> str:
    """'2011-2014, 2016' from a set of years."""
    ys = sorted({int(y) for y in years})
    runs, start = [], None
    for i, y in enumerate(ys):
        if start is None:
            start = y
        if i + 1 == len(ys) or ys[i + 1] != y + 1:
            runs.append(str(start) if start == y else f"{start}-{y}")
            start = None
    return ", ".join(runs)


def list_datasets() -> pd.DataFrame:
    """Every dataset: the bundled score files (per index) and the imports of the user store, with
    id, index, years, provinces covered, rows and source."""
    from parlib.config import bundled_data_dir

    rows = []
    data = bundled_data_dir()
    for rel in SCORE_FILES:
        path = data / rel
        if not path.exists():
            continue
        df = pd.read_csv(
            path, dtype=str, keep_default_na=False, usecols=["index_code", "year", "province_code", "source_id"]
        )
        for idx, g in df.groupby("index_code", sort=False):
            srcs = sorted(set(g.source_id))
            rows.append(
                {
                    "dataset_id": f"{rel}:{idx}",
                    "kind": "bundled",
                    "index_code": idx,
                    "years": _years_text(g.year),
                    "provinces": g.province_code.nunique(),
                    "rows": len(g),
                    "source": srcs[0] if len(srcs) == 1 else f"{len(srcs)} sources (parlib data sources)",
                    "imported_at": "",
                    "replace": "",
                }
            )
    store = check_user_data_dir()
    with store_lock(store, shared=True):
        for ds in store_dataset_ids(store):
            d = unescape_frame(
                pd.read_csv(store / "datasets" / ds / "dataset.csv", dtype=str, keep_default_na=False)
            ).iloc[0]
            s = unescape_frame(
                pd.read_csv(store / "datasets" / ds / "sources.csv", dtype=str, keep_default_na=False)
            ).iloc[0]
            rows.append(
                {
                    "dataset_id": ds,
                    "kind": "imported",
                    "index_code": d.index_code,
                    "years": d.year,
                    "provinces": int(d.provinces),
                    "rows": int(d.rows),
                    "source": escape_bidi(" — ".join(x for x in (s.producer, s.title) if x) + f" ({d.original_file})"),
                    "imported_at": d.imported_at,
                    "replace": d["replace"],
                }
            )
    return pd.DataFrame(
        rows,
        columns=["dataset_id", "kind", "index_code", "years", "provinces", "rows", "source", "imported_at", "replace"],
    )


class DatasetNotFoundError(LookupError):
    """Raised by :func:`remove_dataset` for an id that is not an import of the store."""


def remove_dataset(dataset_id: str) -> dict:
    """Remove an import from the user store (bundled data cannot be removed); returns its provenance.

    The store's MANIFEST.csv is replaced first (the commit), then the dataset folder is deleted.
    """
    store = check_user_data_dir()
    with store_lock(store):
        recover(store, wait=True)
        return _remove(store, dataset_id)


def _remove(store: Path, dataset_id: str) -> dict:
    ids = store_dataset_ids(store)
    if dataset_id not in ids:
        if ":" in dataset_id or dataset_id.startswith("scores/"):
            raise DatasetNotFoundError(
                f"{dataset_id!r} is bundled data, which cannot be removed; only imports can (see `parlib data list`)"
            )
        close = difflib.get_close_matches(dataset_id, ids, n=3, cutoff=0.5)
        hint = f" Did you mean {_or(close)}?" if close else ""
        listing = ", ".join(ids) if ids else "none"
        raise DatasetNotFoundError(f"no import {dataset_id!r} in the user store {store}.{hint} Imports: {listing}")
    info = (
        unescape_frame(pd.read_csv(store / "datasets" / dataset_id / "dataset.csv", dtype=str, keep_default_na=False))
        .iloc[0]
        .to_dict()
    )
    m = read_manifest(store)
    _commit_manifest(store, m[~m.file.str.startswith(f"datasets/{dataset_id}/")], "remove-written")
    fault_point("remove-committed")
    shutil.rmtree(store / "datasets" / dataset_id, ignore_errors=True)
    return info

"""The record of a batch (:mod:`parlib.run.batch`): ``reports/<year>/manifest.json`` (and
``manifest.csv``), merged with what is on disk under the folder's lock, the index page's headlines,
and what a stopped batch reads back from the disk. The page itself is
:mod:`parlib.present.batch_index`.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

STATUSES = ("ok", "failed", "timeout", "cancelled", "skipped")


MANIFEST_FIELDS = [
    "key",
    "province",
    "slug",
    "lang",
    "year",
    "status",
    "seconds",
    "execute_seconds",
    "export_seconds",
    "pdf_seconds",
    "error",
    "html",
    "notebook",
    "plan",
    "pdf",
    "fingerprint",
    "finished_at",
    "traceback",
    "brief",
    "brief_pdf",
    "docx",
]


def load_manifest(year_dir: Path) -> dict[str, dict]:
    path = year_dir / "manifest.json"
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {r["key"]: r for r in data.get("reports", [])}


def update_manifest(year_dir: Path, updates: dict[str, dict], meta: dict) -> dict[str, dict]:
    """Merge ``updates`` (this batch's new records) into the folder's manifest on disk and write it,
    under the folder's lock: batches into the same folder, at once or one after the other, never
    lose each other's records; each report keeps its latest record. Returns every record."""
    from parlib.data.files import folder_lock

    with folder_lock(year_dir):
        records = load_manifest(year_dir)
        records.update(updates)
        write_manifest(year_dir, records, meta)
    return records


def update_index(year_dir: Path, year: int, heads: dict, *, complete: bool = True) -> Path:
    """Write index.html from the manifest on disk (every batch's reports), under the folder's lock;
    headlines of provinces another batch rendered are computed first, outside the lock."""
    from parlib.data.files import folder_lock

    for attempt in range(3):
        with folder_lock(year_dir):
            records = load_manifest(year_dir)
            missing = sorted({r["province"] for r in records.values()} - set(heads))
            if not missing or not complete or attempt == 2:
                return write_index(year_dir, records, year, heads, complete=complete)
        heads.update(headlines(year, missing))
    raise AssertionError("unreachable")


def write_manifest(year_dir: Path, records: dict[str, dict], meta: dict) -> Path:
    """Write manifest.json and manifest.csv atomically (every record, sorted by key)."""
    from parlib.data.safe_csv import dicts_to_csv_text
    from parlib.run.render import _atomic_write

    rows = [records[k] for k in sorted(records)]
    _atomic_write(year_dir / "manifest.json", manifest_json(meta, rows).encode("utf-8"))
    _atomic_write(year_dir / "manifest.csv", dicts_to_csv_text(rows, MANIFEST_FIELDS).encode("utf-8"))
    return year_dir / "manifest.json"


def manifest_json(meta: dict, rows: list[dict]) -> str:
    """The manifest as JSON: the batch's fields one per line, then one report per line. Written after
    every report, so made by json's C encoder (``indent`` would use the pure-Python one: ~7 ms a write
    for 126 reports, a second of every batch)."""

    def dumps(x) -> str:
        return json.dumps(x, ensure_ascii=False, default=str)

    lines = [f" {dumps(str(k))}: {dumps(v)}," for k, v in meta.items() if k != "reports"]
    reports = ",\n".join(f"  {dumps(r)}" for r in rows)
    return "{\n" + "\n".join(lines + [f' "reports": [\n{reports}\n ]']) + "\n}\n"


def headlines(year: int, codes: list[str], profiles: list | None = None) -> dict[str, dict]:
    """Score, rank and change per index for each province (for the index page); ``profiles``: those
    already made (:func:`parlib.run.batch_tasks.profiles_for`), else they are computed."""
    from parlib.engine.profile import assess_many
    from parlib.present.batch_index import headline

    return {p.province.code: headline(p) for p in (profiles if profiles is not None else assess_many(codes, year))}


def write_index(
    year_dir: Path, records: dict[str, dict], year: int, heads: dict | None = None, *, complete: bool = True
) -> Path:
    """reports/<year>/index.html (:func:`parlib.present.batch_index.index_page`): every report linked
    with status and headline; failures with errors. Headlines missing from ``heads`` are computed,
    unless ``complete`` is false (a stopped batch)."""
    from parlib.data.indices import INDICES
    from parlib.present.batch_index import index_page
    from parlib.run.render import _atomic_write

    codes = sorted({r["province"] for r in records.values()})
    if complete and (heads is None or not set(codes) <= set(heads)):
        heads = headlines(year, codes)
    page = index_page(records, year, heads or {}, statuses=STATUSES, indices=list(INDICES))
    _atomic_write(year_dir / "index.html", page.encode("utf-8"))
    return year_dir / "index.html"


def _unfinished_record(t: dict, prev: dict | None, started: float) -> dict:
    """The record of a report the stop caught, read from the disk once its worker is gone. Its HTML
    written in this run (modified since the batch started) means the report finished: the HTML,
    notebook and plan are written together (:func:`parlib.run.render.run_notebook`), so the record
    is ``ok`` (``cancelled`` if a PDF was asked for and not printed yet: it names the new HTML).
    Else ``cancelled``, with the previous record's outputs, which are still there."""
    out = Path(t["out_dir"])
    base = {
        "key": t["key"],
        "province": t["province"],
        "slug": t["slug"],
        "lang": t["lang"],
        "year": t["year"],
        "finished_at": _now(),
    }

    def fresh(name: str) -> str:
        try:
            return str(out / name) if (out / name).stat().st_mtime >= started else ""
        except OSError:
            return ""

    html = fresh(f"{t['slug']}.html")
    if html:
        rec = {**base, "status": "ok", "html": html, "fingerprint": t["fingerprint"], "error": ""}
        for field_, name in (("notebook", ".ipynb"), ("plan", ".plan.xlsx"), ("pdf", ".pdf")):
            if fresh(t["slug"] + name):
                rec[field_] = fresh(t["slug"] + name)
        rec["note"] = "finished as the batch was stopped"
        if t.get("pdf") and not rec.get("pdf"):
            rec.update(status="cancelled", error="batch interrupted before the PDF was printed (the HTML is new)")
        return rec
    return {
        **(prev or {}),
        **base,
        "status": "cancelled",
        "error": "batch interrupted before this report finished",
        "fingerprint": (prev or {}).get("fingerprint", ""),
    }


def _remove_partial_files(tasks: list[dict]) -> None:
    """Delete the temporary files that stopped workers left: every hidden ``.<slug>.*`` of a report's
    folder (papermill's notebook, the ``.partial`` files of atomic writes); finished reports are never
    touched."""
    for t in tasks:
        for p in Path(t["out_dir"]).glob(f".{t['slug']}.*"):
            if p.is_file():
                p.unlink(missing_ok=True)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")

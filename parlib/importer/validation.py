"""Validating an import in one pass (:func:`validate_import`): the plan of what would be written."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from parlib._text import bidi_controls, strip_bidi
from parlib.config import user_data_dir
from parlib.data.indices import measures, period_of
from parlib.data.loading import (
    CONFLICT_COLUMNS,
    MAXIMA_COLUMNS,
    SCORE_COLUMNS,
    DataValidationError,
    Problem,
    load_component_maxima,
    load_scores,
    store_dataset_ids,
)
from parlib.data.registry import unit_set_for_year
from parlib.importer.cells import MAX_SOURCE_CHARS, SOURCE_HINTS, VALUE_TOLERANCE, _fig, _num_text
from parlib.importer.checks import (
    _check_columns,
    _check_meta,
    _check_missing,
    _check_ranks,
    _check_sums,
    _check_unit_set,
    _check_units_and_maxima,
    _Context,
    _read_cells,
    _report_rates_without_max,
    _resolve_provinces,
)
from parlib.importer.reading import ImportedTable, read_table
from parlib.importer.templates import _check_index_year


@dataclass
class ImportPlan:
    """A validated (or refused) import: the rows to write, their source, and every problem."""

    table: ImportedTable
    index_code: str
    year: int
    unit_set: str
    dataset_id: str
    replace: bool
    original_sha256: str
    rows: pd.DataFrame
    source: dict
    conflicts: pd.DataFrame
    maxima: pd.DataFrame
    problems: list[Problem]
    provinces: list[str] = field(default_factory=list)
    #: the arguments of :func:`validate_import`, to validate again if the store changed before the write
    args: dict = field(default_factory=dict)
    #: the store's committed state the plan was validated against (see :func:`_store_token`)
    store_token: str = ""

    @property
    def errors(self) -> list[Problem]:
        """The problems that block the import."""
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The problems reported without blocking the import."""
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when the import may be written."""
        return not self.errors


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def dataset_id_for(index_code: str, year: int, sha256: str) -> str:
    """The id of an import: index, year and the start of the original file's checksum."""
    return f"import-{index_code.lower()}-{year}-{sha256[:8]}"


def validate_import(
    table: ImportedTable | str | Path,
    index_code: str,
    year: int,
    *,
    source: str | None = None,
    replace: bool = False,
    sheet: str | None = None,
    now: dt.datetime | None = None,
) -> ImportPlan:
    """Check a table for import and collect every problem in one pass; write nothing.

    Checks: the file can be read and has a header; index and year agree with the file; a source
    is given; provinces are known, not duplicated, of the year's unit set (63, or 34 from 2025),
    and none missing (a warning); measure columns are known and of the year's methodology;
    numbers parse and lie in the measure's range (or under the component maximum); components
    add up to the total (additive indices); ranks are whole, within 1..N and consistent with the
    scores; and no figure differs from one already in the data (bundled or imported) unless
    ``replace``. Returns an :class:`ImportPlan`; ``plan.ok`` says whether it may be written.
    """
    _check_index_year(index_code, int(year))
    year = int(year)
    if not isinstance(table, ImportedTable):
        table = read_table(table, index_code, year, sheet=sheet)
    store = user_data_dir()
    token = _store_token(store)  # before anything is read from the store
    sha = file_sha256(table.path) if table.path.exists() else ""
    ds_id = dataset_id_for(index_code, year, sha or "0" * 8)
    ctx = _Context(table, index_code, year, ds_id, replace)
    if table.columns:
        _check_meta(ctx)
        _check_columns(ctx)
        _check_units_and_maxima(ctx)
        _resolve_provinces(ctx)
        _read_cells(ctx)
        _report_rates_without_max(ctx)
        _check_sums(ctx)
        _check_ranks(ctx)
        _check_unit_set(ctx)
        _check_missing(ctx)
        if not ctx.cells and not ctx.table.problems and not ctx.problems:
            ctx.error(
                None,
                None,
                "no figures under the header",
                "at least one score or rank",
                "fill the table, or check that the figures are in the columns named in the header",
            )
    src = _source_row(ctx, source, table, sha, now, check=bool(table.columns))
    rows = _score_rows(ctx)
    conflicts = _check_conflicts(ctx, rows)
    maxima, maxima_conflicts = _maxima_rows(ctx)
    if maxima_conflicts:
        conflicts = pd.concat([conflicts, pd.DataFrame(maxima_conflicts, columns=CONFLICT_COLUMNS)], ignore_index=True)
    _check_already_imported(ctx, store, sha)
    if not ctx.problems and not any(p.severity == "error" for p in table.problems):
        _check_loadable(ctx, rows, src)
    problems = table.problems + ctx.problems
    problems.sort(key=lambda p: (p.severity != "error", p.line is not None, p.line or 0))
    return ImportPlan(
        table=table,
        index_code=index_code,
        year=year,
        unit_set=unit_set_for_year(year),
        dataset_id=ds_id,
        replace=replace,
        original_sha256=sha,
        rows=rows,
        source=src,
        conflicts=conflicts,
        maxima=maxima,
        problems=problems,
        provinces=sorted({c["code"] for c in ctx.cells}),
        store_token=token,
        args={
            "table": table.path,
            "index_code": index_code,
            "year": year,
            "source": source,
            "replace": replace,
            "sheet": sheet,
        },
    )


def _store_token(store: Path) -> str:
    """The committed state of a store: its manifest's checksum ('' without one, or for a non-folder)."""
    try:
        return hashlib.sha256((store / "MANIFEST.csv").read_bytes()).hexdigest()
    except OSError:
        return ""


def _check_loadable(ctx: "_Context", rows: pd.DataFrame, src: dict) -> None:
    """The rows must pass the loader's own validation (a safety net: never write what cannot load)."""
    from parlib.data.loading import _validate_scores, load_sources
    from parlib.data.registry import _tables

    ids = set(load_sources().source_id) | {src["source_id"]}
    try:
        _validate_scores(
            rows.astype({"rank_basis": str, "status": str}), "import", set(_tables()[0].code), ids, measures()
        )
    except DataValidationError as e:
        ctx.problems += e.problems


# --- rows to write, source, conflicts -----------------------------------------------------------
def _score_rows(ctx: _Context) -> pd.DataFrame:
    """The tidy rows of the import (SCORE_COLUMNS), one per province and measure."""
    by_key: dict[tuple, dict] = {}
    for c in ctx.cells:
        row = by_key.setdefault(
            (c["code"], c["measure"]),
            {
                "index_code": ctx.index_code,
                "year": ctx.year,
                "province_code": c["code"],
                "measure": c["measure"],
                "value": np.nan,
                "rank": pd.NA,
                "n_ranked": pd.NA,
                "rank_basis": "",
                "ci_low": np.nan,
                "ci_high": np.nan,
                "se": np.nan,
                "source_id": ctx.ds_id,
                "rank_source_id": "",
                "status": "imported",
                "note": "",
            },
        )
        if c["field"] == "value":
            row["value"], row["note"] = c["value"], c.get("note", "")
        else:
            row.update(
                {"rank": c["rank"], "n_ranked": ctx.n_units, "rank_basis": "published", "rank_source_id": ctx.ds_id}
            )
    df = pd.DataFrame(list(by_key.values()), columns=SCORE_COLUMNS)
    for col in ("rank", "n_ranked"):
        df[col] = pd.array(df[col], dtype="Int64")
    df["year"] = pd.array(df["year"], dtype="Int64")
    for col in ("value", "ci_low", "ci_high", "se"):
        df[col] = df[col].astype("float64")
    return df.sort_values(["province_code", "measure"], kind="stable").reset_index(drop=True)


def _source_row(ctx: _Context, text: str | None, table: ImportedTable, sha: str, now, check: bool = True) -> dict:
    """The sources row of the import, from --source and the file's source block (an error when neither)."""
    meta = table.meta
    given = {k: _without_bidi(ctx, k, meta.get(k, "")) for k in SOURCE_HINTS}
    text = _without_bidi(ctx, "--source", text)
    if (
        check
        and not (text or "").strip()
        and not any(given[k] for k in ("source_publisher", "source_document", "source_title"))
    ):
        ctx.error(
            None,
            None,
            "no source",
            'the source of the figures: --source "…" or the template\'s source '
            "block (publisher, document number and title)",
            'add --source "Bộ Nội vụ, Báo cáo Chỉ số CCHC năm …, Phụ lục …" (publisher, document, date)',
        )
    _check_source_text(ctx, "--source", text)
    for k in SOURCE_HINTS:
        _check_source_text(ctx, k, given[k], in_file=True)
    now = now or dt.datetime.now().astimezone()
    title = " — ".join(x for x in (given["source_document"], given["source_title"]) if x)
    text = (text or "").strip()
    return {
        "source_id": ctx.ds_id,
        "producer": given["source_publisher"],
        "title": title or text,
        "url": given["source_address"],
        "accessed": now.date().isoformat(),
        "licence": "as published by the producer (imported by the user)",
        "decision": period_of(ctx.index_code, ctx.year)["decision"],
        "kind": "user_import",
        "note": f"imported from {table.file} (sha256 {sha}) on {now.isoformat(timespec='seconds')}"
        + (f"; source as given: {text}" if text and title else "")
        + (f"; published {given['source_date']}" if given["source_date"] else ""),
    }


def _without_bidi(ctx: _Context, where: str, text: str | None) -> str | None:
    """A source text without bidirectional controls (they show it reversed), with a warning naming
    them; the original copy of the file keeps its bytes."""
    found = bidi_controls(text or "")
    if not found:
        return text
    ctx.error(
        None,
        where,
        "bidirectional control character(s) " + ", ".join(f"U+{ord(c):04X}" for c in found),
        "plain text (these characters can show a title reversed)",
        "removed from the stored source; the original copy of the file keeps its bytes",
        severity="warning",
    )
    return strip_bidi(text)


def _check_source_text(ctx: _Context, where: str, text: str | None, in_file: bool = False) -> None:
    """A source is a line a reader can follow: at most MAX_SOURCE_CHARS characters, no control characters."""
    text = text or ""
    fix = (
        "shorten it to the publisher, document number and title, and date; keep longer notes elsewhere"
        if not in_file
        else "shorten the cell to the publisher, document number and title, and date"
    )
    if len(text) > MAX_SOURCE_CHARS:
        ctx.error(None, where, f"a source of {len(text):,} characters", f"at most {MAX_SOURCE_CHARS} characters", fix)
    elif re.search(r"[\x00-\x1f\x7f]", text):
        ctx.error(
            None,
            where,
            "a source with a line break or control character",
            "one line of text",
            "write the source on one line",
        )


def _check_conflicts(ctx: _Context, rows: pd.DataFrame) -> pd.DataFrame:
    """Figures that differ from those already in the data. Without replace each is an error; with
    replace each becomes a conflicts row (the import kept, the other figure and its source recorded)."""
    out = []
    if rows.empty:
        return pd.DataFrame(columns=CONFLICT_COLUMNS)
    have = load_scores(indices=[ctx.index_code])
    have = have[have.year == ctx.year].set_index(["province_code", "measure"])
    lines = {(c["code"], c["measure"], c["field"]): c for c in ctx.cells}
    for r in rows.itertuples():
        if (r.province_code, r.measure) not in have.index:
            continue
        old = have.loc[(r.province_code, r.measure)]
        for fld, new, prev, src in (
            ("value", r.value, old.value, old.source_id),
            ("rank", r.rank, old["rank"], old.rank_source_id or old.source_id),
        ):
            if pd.isna(new) or pd.isna(prev) or abs(float(new) - float(prev)) <= VALUE_TOLERANCE:
                continue
            if src == ctx.ds_id:
                continue
            cell = lines[(r.province_code, r.measure, fld)]
            out.append(_conflict_row(ctx, r, fld, new, prev, src, old.status))
            if fld == "value" and ctx.replace and pd.isna(r.rank) and pd.notna(old["rank"]):
                # the published rank went with the old score: it must not stand beside the new one
                rsrc = old.rank_source_id or old.source_id
                out.append(
                    {
                        **_conflict_row(ctx, r, "rank", old["rank"], old["rank"], rsrc, old.status),
                        "kept_value": "",
                        "reason": "rank dropped: it was published with the score the "
                        "import replaced, and the file gives no rank",
                    }
                )
                ctx.error(
                    cell["line"],
                    cell["col"].where,
                    f"a new {r.measure} for {cell['name']} and no rank beside it; the published rank "
                    f"{int(old['rank'])}/{old.n_ranked} went with the old score {_fig(prev, fld)}",
                    "a rank published with the new score",
                    "nothing to do if the file has no rank: the "
                    "old rank is dropped (kept in the conflicts); add the rank column to keep one",
                    severity="warning",
                )
            if not ctx.replace:
                ctx.error(
                    cell["line"],
                    cell["col"].where,
                    f"{_fig(new, fld)} for {cell['name']} {r.measure}; parlib already has "
                    f"{_fig(prev, fld)} (source {src}, {old.status})",
                    "no figure that differs from one already in the data",
                    "check which is right; to prefer the file, run again with --replace "
                    "(the other figure is kept, with its source, in the conflicts)",
                )
    return pd.DataFrame(out, columns=CONFLICT_COLUMNS)


def _conflict_row(ctx: _Context, r, fld: str, new, prev, src: str, status: str) -> dict:
    return {
        "index_code": ctx.index_code,
        "year": ctx.year,
        "area_code": r.province_code,
        "measure": r.measure,
        "field": fld,
        "kept_value": _fig(new, fld).removeprefix("rank "),
        "kept_source_id": ctx.ds_id,
        "kept_status": "imported",
        "other_value": _fig(prev, fld).removeprefix("rank "),
        "other_source_id": src,
        "other_status": str(status),
        "reason": "imported with --replace: the import is preferred; the other figure is kept here",
        "note": "",
    }


def _maxima_rows(ctx: _Context) -> tuple[pd.DataFrame, list[dict]]:
    """Component maxima given in the file (those parlib does not know from the methodology), and
    the conflicts with maxima already in the data (errors unless ``replace``)."""
    known = load_component_maxima()
    known = (
        known[(known.index_code == ctx.index_code) & (known.year == ctx.year)]
        .drop_duplicates("measure", keep="last")
        .set_index("measure")
    )
    rows, conflicts = [], []
    for m, v in ctx.maxima.items():
        if m in known.index and abs(float(known.loc[m, "scale_max"]) - v) > VALUE_TOLERANCE:
            other, src = float(known.loc[m, "scale_max"]), known.loc[m, "source_id"]
            conflicts.append(
                {
                    "index_code": ctx.index_code,
                    "year": ctx.year,
                    "area_code": "",
                    "measure": m,
                    "field": "scale_max",
                    "kept_value": _num_text(v),
                    "kept_source_id": ctx.ds_id,
                    "kept_status": "imported",
                    "other_value": _num_text(other),
                    "other_source_id": src,
                    "other_status": "reported",
                    "note": "",
                    "reason": "imported with --replace: the import is preferred; the other figure is kept here",
                }
            )
            if not ctx.replace:
                cell = ctx.table.maxima[m]
                ctx.error(
                    cell["line"],
                    cell["col"].where,
                    f"maximum {_num_text(v)} for {m}; parlib already has {_num_text(other)} (source {src})",
                    "no maximum that differs from one already in the data",
                    "check which is right; to prefer the file, run again with --replace",
                )
        rows.append(
            {
                "index_code": ctx.index_code,
                "year": ctx.year,
                "measure": m,
                "scale_max": v,
                "source_id": ctx.ds_id,
                "note": "maximum given in the imported table",
            }
        )
    return pd.DataFrame(rows, columns=MAXIMA_COLUMNS), conflicts


def _check_already_imported(ctx: _Context, store: Path, sha: str) -> None:
    if not sha or not (store / "MANIFEST.csv").exists():
        return
    for ds in store_dataset_ids(store):
        path = store / "datasets" / ds / "dataset.csv"
        if not path.exists():
            continue
        d = pd.read_csv(path, dtype=str, keep_default_na=False).iloc[0]
        if d.original_sha256 == sha and d.index_code == ctx.index_code and int(d.year) == ctx.year:
            ctx.error(
                None,
                None,
                f"a file already imported as {d.dataset_id} on {d.imported_at}",
                "a file not imported before",
                f"nothing to do; to import it again, first run `parlib data remove {d.dataset_id}`",
            )

"""Reading a CSV or XLSX table into rows and classified columns; never raises on a bad file."""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from parlib._text import fold, nfc
from parlib.data.indices import INDICES, index_facts, measures
from parlib.data.loading import Problem
from parlib.importer.cells import (
    AGGREGATE_KEYS,
    GENERIC_TOTAL,
    LABELS,
    MAX_EMPTY_ROWS,
    MAX_FILE_BYTES,
    MAX_XLSX_CELLS,
    MAX_XLSX_MEMBERS,
    MAX_XLSX_ROWS,
    MAX_XLSX_UNCOMPRESSED,
    META_KEYS,
    ROW_KEYWORDS,
    SUPPORTED,
    _cell_text,
    _key,
    _letter,
    parse_number,
)


@dataclass
class Grid:
    """The cells of one sheet (or CSV), as read, with the row numbers a user sees."""

    file: str
    sheet: str | None
    rows: list[list]
    numbers: list[int]


@dataclass
class Column:
    """A column of the table: what it holds (``role``) and for which measure."""

    pos: int
    label: str
    role: str  # province_code, province, measure, rank, value, long_measure, index, year, ignore, unknown, empty
    measure: str | None = None
    percent: bool = False
    note: str = ""

    @property
    def where(self) -> str:
        label = self.label if len(self.label) <= 40 else self.label[:39] + "…"
        return f"{label} ({_letter(self.pos)})" if label else f"({_letter(self.pos)})"


@dataclass
class ImportedTable:
    """What :func:`read_table` found in a file: metadata, columns, the rows and their cells.

    ``cells`` has one row per non-empty figure: ``line`` (CSV line or sheet row), ``col``
    (Column), ``code_text``/``province_text`` (as written), ``measure``, ``field`` ("value" or
    "rank") and ``raw`` (the cell as read). ``problems`` holds what could not be read.
    """

    path: Path
    file: str
    sheet: str | None
    layout: str = "wide"
    meta: dict = field(default_factory=dict)
    columns: list[Column] = field(default_factory=list)
    rows: list[dict] = field(default_factory=list)
    units: dict = field(default_factory=dict)
    maxima: dict = field(default_factory=dict)
    skipped: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, line, column, found, expected, fix, suggestion=None, severity="error") -> None:
        """Record a problem located in this table."""
        self.problems.append(
            Problem(
                self.file,
                line,
                column,
                found,
                expected,
                fix,
                sheet=self.sheet,
                suggestion=suggestion,
                severity=severity,
            )
        )


def read_table(path: str | Path, index_code: str, year: int, *, sheet: str | None = None) -> ImportedTable:
    """Read a CSV or XLSX table of one index-year: the template, any wide table, or a long table
    (``province, measure, value[, rank]``). Never raises on a bad file: what cannot be read is
    recorded in ``problems`` with its location."""
    path = Path(path)
    t = ImportedTable(path=path, file=path.name, sheet=None)
    grid = _read_grid(path, sheet, t)
    if grid is None:
        return t
    t.sheet = grid.sheet
    found = _find_header(grid, index_code, year)
    t.meta = _read_meta(grid.rows[: found[0]] if found else grid.rows)
    if found is None:
        t.problem(
            None,
            None,
            "no header row with a province column",
            "a header row naming the province column (province_code, province, Tỉnh, thành phố…) "
            "and the measure columns (codes such as TOTAL, or their names)",
            "start from `parlib data template`, or add a header row above the figures",
        )
        return t
    header_at, first_data, t.columns = found
    t.layout = "long" if any(c.role == "long_measure" for c in t.columns) else "wide"
    _resolve_generic_columns(t, index_code)
    width = max((len(r) for r in grid.rows[first_data:]), default=0)
    t.columns += [Column(p, "", "empty") for p in range(len(t.columns), width)]
    _read_rows(t, grid, first_data)
    return t


def _read_grid(path: Path, sheet: str | None, t: ImportedTable) -> Grid | None:
    suffix = path.suffix.lower()
    if not path.exists():
        t.problem(None, None, "no such file", "a CSV or XLSX file", "check the file name and folder")
        return None
    if suffix not in SUPPORTED:
        hint = (
            "turn the PDF annex into a table first (copy it into the template)"
            if suffix == ".pdf"
            else "open it in Excel or LibreOffice and save it as .xlsx (Excel Workbook) or .csv (UTF-8)"
        )
        t.problem(None, None, f"a {suffix or 'file without extension'} file", "a .csv or .xlsx file", hint)
        return None
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        t.problem(
            None,
            None,
            f"a file of {size / 1e6:.1f} MB",
            f"at most {MAX_FILE_BYTES // 10**6} MB (an official table of 63 provinces is well under 1 MB)",
            "keep only the table's sheet and rows, and save it again",
        )
        return None
    try:
        if suffix in (".xlsx", ".xlsm"):
            has_formulas = _check_xlsx_limits(path, t)
            return None if has_formulas is None else _grid_xlsx(path, sheet, t, has_formulas)
        return _grid_csv(path, t)
    except Exception as e:  # a corrupt workbook, a zip that is not one: report, never crash
        t.problem(
            None,
            None,
            f"a file that could not be read ({type(e).__name__}: {e})",
            f"a valid {suffix} file",
            "open it in Excel or LibreOffice and save it again",
        )
        return None


def _check_xlsx_limits(path: Path, t: ImportedTable) -> bool | None:
    """Bound a workbook before parsing it (a zip bomb must not exhaust memory): uncompressed size,
    rows and cells, counted while streaming the sheets' XML. Returns whether any cell holds a
    formula, or None (a problem recorded) when the workbook is over a limit or not a zip."""
    import zipfile

    def refuse(found: str, expected: str) -> None:
        t.problem(
            None,
            None,
            found,
            expected,
            "keep only the table (one sheet, its rows and columns): copy it "
            "into a new workbook or into the template, and import that",
        )

    try:
        z = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        t.problem(
            None,
            None,
            "a file that is not a valid workbook (not a zip archive)",
            f"a valid {path.suffix} file",
            "open it in Excel or LibreOffice and save it again as .xlsx",
        )
        return None
    with z:
        infos = z.infolist()
        total = sum(i.file_size for i in infos)
        if len(infos) > MAX_XLSX_MEMBERS or total > MAX_XLSX_UNCOMPRESSED:
            refuse(
                f"a workbook that expands to {total / 1e6:.0f} MB in {len(infos)} parts",
                f"at most {MAX_XLSX_UNCOMPRESSED // 10**6} MB uncompressed",
            )
            return None
        rows = cells = 0
        formulas = False
        for info in infos:
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            tail = b""
            with z.open(info) as f:
                while chunk := f.read(1 << 20):
                    block = tail + chunk
                    rows += block.count(b"<row") - tail.count(b"<row")
                    cells += block.count(b"<c ") + block.count(b"<c>") - tail.count(b"<c ") - tail.count(b"<c>")
                    formulas = formulas or b"<f>" in block or b"<f " in block
                    tail = block[-8:]
                    if rows > MAX_XLSX_ROWS or cells > MAX_XLSX_CELLS:
                        refuse(
                            f"a sheet ({info.filename.rsplit('/', 1)[-1]}) of more than "
                            f"{MAX_XLSX_ROWS:,} rows or {MAX_XLSX_CELLS:,} cells",
                            f"at most {MAX_XLSX_ROWS:,} rows and {MAX_XLSX_CELLS:,} cells in the workbook",
                        )
                        return None
    return formulas


def _formulas_without_values(path: Path, ws, t: ImportedTable) -> None:
    """A formula whose value was never saved (a file written by a program, not by a spreadsheet) reads as an
    empty cell: refuse it, naming the cells, rather than import blanks."""
    from openpyxl import load_workbook

    wf = load_workbook(path, data_only=False)[ws.title]
    empty = [
        c.coordinate
        for row in wf.iter_rows()
        for c in row
        if c.data_type == "f" and ws.cell(row=c.row, column=c.column).value in (None, "")
    ]
    if empty:
        shown = ", ".join(empty[:8]) + (f" … ({len(empty)} cells)" if len(empty) > 8 else "")
        t.problem(
            None,
            None,
            f"formulas without a saved value in {shown}",
            "figures (a spreadsheet saves each formula's value when it saves the file)",
            "open the file in Excel or LibreOffice and save it (this stores the values), or copy the cells "
            "and paste values only (Paste Special → Values)",
        )


def _decode(data: bytes, t: ImportedTable) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        t.problem(
            None,
            None,
            "text that is not UTF-8",
            "a UTF-8 CSV",
            "check the province and measure names; save as 'CSV UTF-8' next time",
            suggestion="It was read as Windows-1258 (Vietnamese).",
            severity="warning",
        )
        return data.decode("cp1258", errors="replace")


def _grid_csv(path: Path, t: ImportedTable) -> Grid:
    text = _decode(path.read_bytes(), t)
    lines = [ln for ln in text.splitlines() if ln.strip()]
    delim = ","
    for d in ("\t", ";"):
        if lines and sum(d in ln for ln in lines) >= len(lines) / 2:
            delim = d
            break
    reader = csv.reader(io.StringIO(text), delimiter=delim)
    rows, numbers = [], []
    for r in reader:
        rows.append([c.strip() for c in r])
        numbers.append(reader.line_num)
    return Grid(path.name, None, *_trim(rows, numbers))


def _trim(rows: list[list], numbers: list[int]) -> tuple[list[list], list[int]]:
    """Drop trailing empty rows and trailing empty cells."""

    def empty(c) -> bool:
        return c is None or (isinstance(c, str) and not c.strip())

    rows = [list(r) for r in rows]
    for r in rows:
        while r and empty(r[-1]):
            r.pop()
    while rows and not rows[-1]:
        rows.pop()
    return rows, numbers[: len(rows)]


def _grid_xlsx(path: Path, sheet: str | None, t: ImportedTable, has_formulas: bool = False) -> Grid | None:
    from openpyxl import load_workbook

    wb = load_workbook(path, data_only=True)
    names = wb.sheetnames
    if sheet is not None:
        if sheet not in names:
            t.problem(
                None,
                None,
                f"no sheet named {sheet!r}",
                f"one of the sheets {names}",
                "pass --sheet with one of these names",
            )
            return None
        ws = wb[sheet]
    else:
        preferred = [n for n in names if _key(n) in ("data", "dulieu", "sheet1")]
        ws = wb[preferred[0]] if preferred else wb.worksheets[0]
    if has_formulas:
        _formulas_without_values(path, ws, t)
    merged = {}
    for rng in ws.merged_cells.ranges:
        top = ws.cell(row=rng.min_row, column=rng.min_col).value
        for r in range(rng.min_row, rng.max_row + 1):
            for c in range(rng.min_col, rng.max_col + 1):
                merged[(r, c)] = top
    rows, numbers, empty_run = [], [], 0
    for row in ws.iter_rows():
        if all(c.value is None and (c.row, c.column) not in merged for c in row):
            empty_run += 1
            if empty_run > MAX_EMPTY_ROWS:  # a sheet formatted down to row 1,048,576: stop reading
                break
        else:
            empty_run = 0
        cells = []
        for c in row:
            v = merged.get((c.row, c.column), c.value)
            if isinstance(v, (int, float)) and not isinstance(v, bool) and "%" in (c.number_format or ""):
                v = f"{round(v * 100, 8)}%"  # a cell formatted as percentage holds 0.8698 for 86.98 %
            elif isinstance(v, (dt.datetime, dt.date)):
                v = v.date().isoformat() if isinstance(v, dt.datetime) else v.isoformat()
            elif isinstance(v, str):
                v = v.strip()
            cells.append(v)
        rows.append(cells)
        numbers.append(row[0].row if row else len(numbers) + 1)
    rows, numbers = _trim(rows, numbers)
    return Grid(path.name, ws.title, rows, numbers)


def _read_meta(rows: list[list]) -> dict:
    """``key, value`` rows above the header (the template's index, year and source block)."""
    meta = {}
    keys = {_key(k): k for k in META_KEYS}
    keys.update(
        {_key("nguồn"): "source_title", _key("source"): "source_title", _key("chỉ số"): "index", _key("năm"): "year"}
    )
    for r in rows:
        if len(r) >= 2 and _key(_cell_text(r[0])) in keys and _cell_text(r[1]):
            meta.setdefault(keys[_key(_cell_text(r[0]))], _cell_text(r[1]))
    return meta


# --- header -----------------------------------------------------------------------------------
class _Names:
    """Lookup of an index's measures by code or name (Vietnamese or English), across years."""

    def __init__(self, index_code: str, year: int):
        self.index_code = index_code
        self.all = measures(index_code)
        self.year_codes = set(measures(index_code, year).measure)
        self.codes = {c.upper(): c for c in self.all.measure}
        self.names: dict[str, str] = {}
        for m in self.all.sort_values("last_year", ascending=False).itertuples():
            for n in (
                m.name_vi,
                m.name_en,
                re.sub(r"\(.*?\)", "", m.name_vi or ""),
                re.sub(r"\(.*?\)", "", m.name_en or ""),
            ):
                k = _key(n)
                if len(k) >= 3:
                    # the year's own measure wins over an older one of the same name
                    if k not in self.names or (m.measure in self.year_codes and self.names[k] not in self.year_codes):
                        self.names[k] = m.measure
        for k in index_facts(index_code).header_aliases | GENERIC_TOTAL:
            self.names.setdefault(k, "TOTAL")
        self.others = {
            c.upper(): i for i in INDICES if i != index_code for c in measures(i).measure if c not in ("TOTAL",)
        } | {k: i for i in INDICES if i != index_code for k in index_facts(i).header_aliases}

    def find(self, text: str) -> str | None:
        """The measure code a header label names, or None."""
        raw = nfc(text).strip()
        if raw.upper() in self.codes:
            return self.codes[raw.upper()]
        for variant in (raw, re.sub(r"\(.*?\)", "", raw)):
            k = _key(variant)
            if k in self.names:
                return self.names[k]
            k2 = re.sub(r"^(linhvuc|lv|chisothanhphan|cstp|noidung|area|component|dimension)?\d+", "", k)
            if k2 != k and k2 in self.names:
                return self.names[k2]
        k = _key(raw)
        close = difflib.get_close_matches(k, list(self.names), n=1, cutoff=0.88) if len(k) >= 8 else []
        return self.names[close[0]] if close else None

    def suggest(self, text: str) -> list[str]:
        """Closest measure codes or names of the year to an unknown label."""
        k = _key(text)
        year_names = {n: c for n, c in self.names.items() if c in self.year_codes}
        pool = {c.lower(): c for c in self.year_codes} | year_names
        pool = {_key(c): c for c in self.year_codes} | year_names
        close = difflib.get_close_matches(k or text.lower(), list(pool), n=3, cutoff=0.75)
        return list(dict.fromkeys(pool[c] for c in close))


_RANK_WORDS = r"(rank|ranking|xep\s*hang|thu\s*hang|hang)"


def _classify(text: str, names: _Names) -> Column:
    """What a header label means (position filled in by the caller)."""
    label = _cell_text(text)
    k = _key(label)
    col = Column(0, label, "empty")
    if not k:
        return col
    col.percent = "%" in label
    for role in ("province_code", "province", "ignore", "index", "year"):
        if k in LABELS[role]:
            col.role = role
            return col
    folded = fold(label).casefold().strip()
    m = re.fullmatch(r"(.+?)[\s._:\-/]+" + _RANK_WORDS, folded) or re.fullmatch(
        _RANK_WORDS + r"[\s._:\-/]+(.+)", folded
    )
    if m and k not in LABELS["rank"]:
        part = m.group(2) if re.fullmatch(_RANK_WORDS, m.group(1)) else m.group(1)
        measure = names.find(part)
        if measure is not None:
            col.role, col.measure = "rank", measure
            return col
    measure = names.find(label)
    if measure is not None and k not in LABELS["value"] | LABELS["rank"]:
        col.role, col.measure = "measure", measure
        return col
    for role in ("rank", "value", "long_measure"):
        if k in LABELS[role]:
            col.role = role
            return col
    col.role = "unknown"
    return col


def _find_header(grid: Grid, index_code: str, year: int) -> tuple[int, int, list[Column]] | None:
    """The header row (and a sub-header row under merged header cells), and the columns."""
    names = _Names(index_code, year)
    for i, row in enumerate(grid.rows[:60]):
        cols = [_classify(c, names) for c in row]
        for p, c in enumerate(cols):
            c.pos = p
        if not any(c.role in ("province", "province_code") for c in cols):
            continue
        if sum(c.role not in ("empty",) for c in cols) < 2:
            continue
        first_data = i + 1
        if i + 1 < len(grid.rows):
            sub = [_classify(c, names) for c in grid.rows[i + 1]]
            numbers = [parse_number(c) for c in grid.rows[i + 1] if _cell_text(c)]
            keyword = any(_key(_cell_text(c)) in keys for c in grid.rows[i + 1][:3] for keys in ROW_KEYWORDS.values())
            if (
                any(s.role in ("value", "rank") for s in sub)
                and not keyword
                and not any(n.ok and n.value is not None for n in numbers)
            ):
                cols = _merge_subheader(cols, sub)
                first_data = i + 2
        return i, first_data, cols
    return None


def _merge_subheader(top: list[Column], sub: list[Column]) -> list[Column]:
    """Combine a two-row header: a merged measure cell above 'Điểm | Xếp hạng' cells."""
    out = []
    for p in range(max(len(top), len(sub))):
        t = top[p] if p < len(top) else Column(p, "", "empty")
        s = sub[p] if p < len(sub) else Column(p, "", "empty")
        if t.role == "measure" and s.role == "rank":
            out.append(Column(p, f"{t.label} / {s.label}", "rank", t.measure))
        elif t.role == "measure" and s.role in ("value", "empty"):
            out.append(Column(p, f"{t.label} / {s.label}".rstrip(" /"), "measure", t.measure, t.percent or s.percent))
        elif t.role in ("empty", "ignore", "unknown") and s.role not in ("empty",):
            out.append(Column(p, s.label, s.role, s.measure, s.percent))
        else:
            out.append(Column(p, t.label, t.role, t.measure, t.percent))
    return out


def _resolve_generic_columns(t: ImportedTable, index_code: str) -> None:
    """In a wide table a lone 'score' column is the total and a lone 'rank' column ranks the
    measure to its left (or the total)."""
    if t.layout == "long":
        return
    last = None
    for c in t.columns:
        if c.role == "measure":
            last = c.measure
        elif c.role == "value":
            c.role, c.measure = "measure", "TOTAL"
            last = "TOTAL"
        elif c.role == "rank" and c.measure is None:
            c.measure = last or "TOTAL"


# --- rows -------------------------------------------------------------------------------------
def _row_keyword(row: list, t: ImportedTable) -> str | None:
    cols = [c.pos for c in t.columns if c.role in ("province_code", "province")] + [0]
    for p in cols:
        if p < len(row):
            k = _key(_cell_text(row[p]))
            for kw, keys in ROW_KEYWORDS.items():
                if k in keys:
                    return kw
    return None


def _read_rows(t: ImportedTable, grid: Grid, first: int) -> None:
    """Sort the rows under the header into unit/maximum rows, data rows and skipped rows."""
    code_col = next((c.pos for c in t.columns if c.role == "province_code"), None)
    name_col = next((c.pos for c in t.columns if c.role == "province"), None)
    data_cols = [c for c in t.columns if c.role in ("measure", "rank", "value", "long_measure", "index", "year")]
    for row, line in zip(grid.rows[first:], grid.numbers[first:]):

        def at(p):
            return row[p] if p is not None and p < len(row) else None

        texts = [_cell_text(c) for c in row]
        if not any(texts) or texts[0].startswith("#"):
            continue
        kw = _row_keyword(row, t)
        if kw:
            _read_special_row(t, kw, row, line)
            continue
        code, name = _cell_text(at(code_col)), _cell_text(at(name_col))
        values = {c.pos: at(c.pos) for c in data_cols if _cell_text(at(c.pos))}
        stray = [c for c in t.columns if c.role in ("unknown", "empty") and _cell_text(at(c.pos))]
        if not code and not name:
            if values:
                t.problem(
                    line,
                    None,
                    f"figures in a row without a province ({len(values)} cells)",
                    "the province code or name in every row with figures",
                    "write the province in the row, or delete the row",
                )
            continue
        label = _key(name or code)
        if label in AGGREGATE_KEYS or label.startswith("trungbinh") or _is_region(name or code):
            t.skipped.append({"line": line, "label": name or code})
            t.problem(
                line,
                None,
                repr(name or code),
                "a province",
                "nothing to do: averages are computed by parlib from the provinces",
                suggestion="The row was skipped (an average or a region, not a province).",
                severity="warning",
            )
            continue
        t.rows.append(
            {"line": line, "code": code, "name": name, "values": values, "stray": [(c, at(c.pos)) for c in stray]}
        )


@lru_cache(maxsize=1)
def _region_keys() -> frozenset:
    from parlib.data.registry import regions

    r = regions()
    return frozenset({_key(n) for n in r.name_vi} | {_key(n) for n in r.name_en})


def _is_region(text: str) -> bool:
    """True for a row labelled with a socio-economic region (a regional average, not a province)."""
    k = _key(re.sub(r"^(vùng|vung|region)\s+", "", nfc(text), flags=re.IGNORECASE))
    return k in _region_keys() or _key(text) in _region_keys()


def _read_special_row(t: ImportedTable, kw: str, row: list, line: int) -> None:
    for c in t.columns:
        if c.role != "measure" or c.pos >= len(row) or not _cell_text(row[c.pos]):
            continue
        target = t.units if kw == "unit" else t.maxima
        target[c.measure] = {"raw": row[c.pos], "line": line, "col": c}


# --- validation ---------------------------------------------------------------------------------

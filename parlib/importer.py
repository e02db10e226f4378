"""Bring the Ministry's tables: templates, reading, validation and atomic import into the user store.

An analyst holding the official PAR INDEX, SIPAS, PAPI or PCI table of a year writes it into a
template (or uses their own CSV/XLSX, wide or long), and imports it::

    make_template("PAR", 2022, "xlsx", "par2022.xlsx")           # parlib data template …
    plan = import_table("par2022.xlsx", "PAR", 2022, source="…")  # parlib data import …

Reading is forgiving (decimal commas, "%", thousands separators, non-breaking spaces, numbers
stored as text, title rows above the header, merged header cells, trailing empty rows, any
spelling of a province). Validation is strict and complete: every problem of the file is
collected in one pass (:class:`parlib.data.Problem`: file, sheet, row, column, value found,
what was expected, a suggestion and a fix), and nothing is written unless there is no error.

An accepted import is written to the user store (:func:`parlib.config.user_data_dir`) as one
dataset folder ``datasets/<id>/`` (tidy scores in the bundled schema with ``status =
"imported"``, its source, the bundled figures it replaced, component maxima, provenance and a
byte copy of the original file) and committed by atomically replacing the store's
``MANIFEST.csv``: an interrupted import leaves the store as it was. ``load_scores()`` and
everything built on it then include the import.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import hashlib
import io
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from parlib._text import fold, match_key, new_style_tones, nfc
from parlib.config import user_data_dir
from parlib.data.loading import (CONFLICT_COLUMNS, DATASET_COLUMNS, MAXIMA_COLUMNS, SCORE_COLUMNS, SCORE_FILES,
                         SOURCE_COLUMNS, DataValidationError, Problem, load_component_maxima, load_scores, manifest,
                         store_dataset_ids)
from parlib.data.indices import INDICES, index_name, measures, period_of
from parlib.data.registry import UnknownProvinceError, province, provinces, unit_set_for_year

__all__ = ["DatasetNotFoundError", "ImportPlan", "ImportValidationError", "ImportedTable", "import_table",
           "list_datasets", "make_template", "parse_number", "parse_rank", "read_table", "remove_dataset",
           "validate_import", "write_dataset"]

#: Measure levels a template has a column for (PAPI indicators are accepted but not templated).
TEMPLATE_LEVELS = ("total", "component", "sub-component")
#: Components must add up to the total within this many points (8 areas rounded to 2 decimals).
SUM_TOLERANCE = 0.05
#: Two figures differ when they differ at the published precision (2 decimals).
VALUE_TOLERANCE = 0.005
#: Indices whose total is the plain sum of its components, and how many components make it up.
ADDITIVE = {"PAR": 8, "PAPI": None}  # None: every component defined for the year
SUPPORTED = (".csv", ".txt", ".xlsx", ".xlsm")
MAX_EMPTY_ROWS = 500  # consecutive empty spreadsheet rows after which the table is taken to have ended
META_KEYS = ("index", "year", "source_publisher", "source_document", "source_title", "source_address",
             "source_date")
SOURCE_HINTS = {
    "source_publisher": "Cơ quan công bố / publisher, e.g. Bộ Nội vụ (Ministry of Home Affairs)",
    "source_document": "Số văn bản / document number, e.g. Quyết định số …/QĐ-BCĐCCHC",
    "source_title": "Tên văn bản, phụ lục / document title and annex",
    "source_address": "Địa chỉ (URL) hoặc nơi lưu bản gốc / address (URL) or where the original is kept",
    "source_date": "Ngày công bố / date published (YYYY-MM-DD)",
}


class ImportValidationError(DataValidationError):
    """An import was refused; ``problems`` lists every error and warning found in the file."""


# --- text keys ---------------------------------------------------------------------------------
def _key(text) -> str:
    """Key for matching header labels: folded, casefolded, letters and digits only."""
    return re.sub(r"[^a-z0-9]+", "", fold(new_style_tones(nfc(str(text)))).casefold())


def _letter(i: int) -> str:
    """Spreadsheet column letter of a 0-based column number (0 → A, 27 → AB)."""
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


LABELS = {
    "province_code": {"provincecode", "code", "ma", "matinh", "mats", "gso", "gsocode", "madonvi", "matinhthanhpho"},
    "province": {"province", "provincename", "provincecity", "provinceorcity", "provincescities", "tinh",
                 "tinhthanhpho", "tinhthanh", "tentinh", "tentinhthanhpho", "tentinhthanh", "diaphuong",
                 "tendiaphuong", "donvi", "tendonvi", "tinhtp", "provincecityname"},
    "long_measure": {"measure", "measurecode", "chiso", "chisothanhphan", "linhvuc", "noidung", "indicator",
                     "component", "dimension", "tieuchi", "tenchiso"},
    "value": {"value", "giatri", "diem", "diemso", "score", "points", "ketqua", "diemdat", "sodiem"},
    "rank": {"rank", "ranking", "xephang", "thuhang", "hang", "vitri", "xh", "vithu"},
    "index": {"index", "indexcode", "bochiso"},
    "year": {"year", "nam", "namketqua"},
    "ignore": {"stt", "tt", "no", "sott", "sothutu", "ghichu", "note", "notes", "nhom", "group", "xeploai",
               "vung", "region", "khuvuc", "vungkinhte", "namevi", "nameen", "tenchisotiengviet"},
}
ROW_KEYWORDS = {
    "unit": {"unit", "donvi", "donvitinh", "dvt"},
    "maximum": {"maximum", "max", "diemtoida", "toida", "thangdiem", "maximumpoints", "diemtoidamaximum"},
}
AGGREGATE_KEYS = {"trungbinh", "trungbinhcanuoc", "canuoc", "toanquoc", "average", "nationalaverage", "mean",
                  "giatritrungbinh", "trungbinhchung", "nationalmean", "vietnam", "vn"}
TOTAL_KEYS = {
    "PAR": {"par", "parindex", "chisocchc", "chisocaicachhanhchinh", "chisocchcparindex"},
    "SIPAS": {"sipas", "chisosipas", "chisohailong", "sipasindex"},
    "PAPI": {"papi", "chisopapi", "papitotal", "tongdiempapi"},
    "PCI": {"pci", "chisopci", "pcitotal"},
}
GENERIC_TOTAL = {"total", "tong", "tongdiem", "tongso", "diemtong", "chisotong", "chisochung"}
MISSING_TEXT = {"", "-", "--", "—", "–", ".", "..", "...", "x", "na", "n/a", "nan", "kcdl", "khongcodulieu",
                "khongco", "chuaco", "none", "null"}


# --- numbers ---------------------------------------------------------------------------------
class Parsed(NamedTuple):
    """A parsed cell: the number (None when empty), whether a "%" was written, whether it parsed."""

    value: float | None
    percent: bool
    ok: bool


def parse_number(cell) -> Parsed:
    """Read a number written the Vietnamese or the English way.

    >>> parse_number("86,98").value, parse_number("1.234,5").value, parse_number("90,10 %")
    (86.98, 1234.5, Parsed(value=90.1, percent=True, ok=True))
    >>> parse_number("1,234.5").value, parse_number("\\u00a085.3\\u00a0").value, parse_number("—").value
    (1234.5, 85.3, None)
    >>> parse_number("86,9a").ok
    False
    """
    if cell is None:
        return Parsed(None, False, True)
    if isinstance(cell, bool):
        return Parsed(None, False, False)
    if isinstance(cell, (int, float, np.integer, np.floating)):
        v = float(cell)
        return Parsed(None if np.isnan(v) else round(v, 10), False, True)
    text = re.sub(r"[\s\u00a0\u202f\u2007\u2009']", "", nfc(str(cell))).replace("−", "-")
    if _key(text) in MISSING_TEXT or text in MISSING_TEXT:
        return Parsed(None, False, True)
    percent = text.endswith("%")
    text = text.removesuffix("%").removeprefix("+")
    if "," in text and "." in text:
        dec = "," if text.rfind(",") > text.rfind(".") else "."
        text = text.replace("." if dec == "," else ",", "").replace(",", ".")
    elif text.count(",") == 1:
        text = text.replace(",", ".")
    elif text.count(",") > 1:
        text = text.replace(",", "")
    elif text.count(".") > 1:
        text = text.replace(".", "")
    if not re.fullmatch(r"-?\d+(\.\d+)?|-?\.\d+", text):
        return Parsed(None, percent, False)
    return Parsed(float(text), percent, True)


def parse_rank(cell) -> tuple[int | None, int | None, bool]:
    """Read a rank: ``12``, ``"12"``, ``12.0``, ``"12/63"`` (rank out of N) or ``"12="`` (tied).

    >>> parse_rank("12/63"), parse_rank(12.0), parse_rank("12,5"), parse_rank("")
    ((12, 63, True), (12, None, True), (None, None, False), (None, None, True))
    """
    if isinstance(cell, str):
        m = re.fullmatch(r"\s*(\d+)\s*=?\s*/\s*(\d+)\s*", cell.replace("\u00a0", " "))
        if m:
            return int(m.group(1)), int(m.group(2)), True
        cell = cell.strip().rstrip("=")
    p = parse_number(cell)
    if not p.ok or p.percent:
        return None, None, False
    if p.value is None:
        return None, None, True
    if p.value != round(p.value):
        return None, None, False
    return int(round(p.value)), None, True


# --- the measures of an index-year -----------------------------------------------------------
def template_measures(index_code: str, year: int) -> pd.DataFrame:
    """The measures a template has a column for: the total first, then components (and PAPI sub-dimensions)."""
    m = measures(index_code, year)
    m = m[m.level.isin(TEMPLATE_LEVELS)].copy()
    m["_o"] = m.level.map({"total": 0, "component": 1, "sub-component": 2})
    return m.sort_values("_o", kind="stable").drop(columns="_o").reset_index(drop=True)


def _check_index_year(index_code: str, year: int) -> None:
    """Raise ValueError with a clear message when an index-year cannot be imported."""
    if index_code not in INDICES:
        raise ValueError(f"unknown index {index_code!r}: use one of {', '.join(INDICES)}")
    try:
        period_of(index_code, year)
    except KeyError:
        first = measures(index_code).first_year.min()
        raise ValueError(f"{index_name(index_code)} has no methodology period for {year} "
                         f"(its results start in {first})") from None
    if measures(index_code, year).empty:
        last = measures(index_code).last_year.max()
        raise ValueError(f"parlib has no measure definitions for {index_name(index_code)} {year} "
                         f"(data/meta/measures.csv covers it up to {last}); add them before importing")


def _unit_label(unit: str, lang: str = "en") -> str:
    return {"percent": "%", "points": "points" if lang == "en" else "điểm"}.get(unit, unit)


# --- template ---------------------------------------------------------------------------------
def _template_grid(index_code: str, year: int) -> tuple[list[list], dict]:
    """The template as rows of cells, and where its parts are (for styling the XLSX)."""
    per = period_of(index_code, year)
    unit_set = unit_set_for_year(year)
    units = provinces(unit_set)
    meta = template_measures(index_code, year)
    unknown_max = meta[(meta.level != "total") & meta.scale_max.isna() & (meta.unit == "points")]
    title = (f"# parlib import template: {index_name(index_code)} {year}, {per['label_en']}; "
             f"{len(units)} units ({unit_set}). Mẫu nhập số liệu {index_name(index_code, 'vi')} năm {year}.")
    howto = ("# Fill one row per province with the figures as published (decimal comma or point both work; "
             "ranks as whole numbers). Leave a cell empty when the table has no figure (never 0). "
             "Fill the source block. Then run: parlib data import THIS_FILE "
             f"--index {index_code} --year {year}")
    rows: list[list] = [[title], [howto]]
    rows += [["index", index_code, "Chỉ số / index (do not change)"],
             ["year", year, "Năm kết quả / result year (do not change)"]]
    rows += [[k, "", hint] for k, hint in SOURCE_HINTS.items()]
    if len(unknown_max):
        rows.append(["# The maximum points of the component areas are not known to parlib for this year: "
                     "write them in the 'maximum' row (from the Ministry's table), or leave the row empty if "
                     "you enter points. If the table gives achievement rates in %, write 'percent' in the "
                     "'unit' row of those columns and fill the 'maximum' row."])
    rows.append([])
    header, names_vi, names_en, unit_row, max_row = ["province_code", "province"], \
        ["name_vi", "Tên chỉ số →"], ["name_en", "Measure name →"], ["unit", ""], ["maximum", ""]
    for m in meta.itertuples():
        header += [m.measure, f"{m.measure}.rank"]
        names_vi += [m.name_vi or m.measure, f"Xếp hạng: {m.name_vi or m.measure}"]
        names_en += [m.name_en or m.measure, f"Rank: {m.name_en or m.measure}"]
        unit_row += [m.unit if m.unit in ("percent", "points") else "", "rank"]
        max_row += ["" if pd.isna(m.scale_max) else _num_text(m.scale_max), ""]
    rows += [names_vi, names_en]
    layout = {"header": len(rows), "n_measures": len(meta), "unknown_max": set(unknown_max.measure)}
    rows += [header, unit_row, max_row]
    layout["first_data"] = len(rows)
    rows += [[u.code, u.name_vi] + [""] * (2 * len(meta)) for u in units.itertuples()]
    layout["measures"] = list(meta.measure)
    return rows, layout


def _num_text(v: float) -> str:
    return f"{v:g}"


def make_template(index_code: str, year: int, fmt: str = "xlsx", path: str | Path | None = None) -> Path:
    """Write an empty import template for an index-year and return its path.

    One row per province of the year's unit set (63, or 34 from 2025) with code and Vietnamese
    name; one column per measure of the methodology period (and one for its rank), with names in
    Vietnamese and English, the unit and the maximum (asked for where parlib does not know it);
    a source block (publisher, document number and title, address, date). XLSX templates add a
    "measures" sheet and a "read me" sheet. :func:`read_table` reads the template back.
    """
    _check_index_year(index_code, int(year))
    fmt = fmt.lower().lstrip(".")
    if fmt not in ("xlsx", "csv"):
        raise ValueError(f"template format must be xlsx or csv, not {fmt!r}")
    path = Path(path or f"{index_code.lower()}-{year}-template.{fmt}")
    rows, layout = _template_grid(index_code, int(year))
    data = _template_csv(rows) if fmt == "csv" else _template_xlsx(rows, layout, index_code, int(year))
    _write_atomically(path, data)
    return path


def _template_csv(rows: list[list]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    for r in rows:
        w.writerow(["" if c is None else c for c in r])
    return buf.getvalue().encode("utf-8-sig")  # the BOM makes Excel read Vietnamese correctly


def _template_xlsx(rows: list[list], layout: dict, index_code: str, year: int) -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "data"
    for r in rows:
        ws.append(r)
    h = layout["header"] + 1  # 1-based row of the machine header
    bold, grey = Font(bold=True), Font(italic=True, color="666666")
    fill_in = PatternFill("solid", fgColor="FFF9E0")
    ask = PatternFill("solid", fgColor="FFE0E0")
    for row in ws.iter_rows(min_row=1, max_row=2):
        row[0].font = Font(bold=True) if row[0].row == 1 else grey
    for row in ws.iter_rows(min_row=3, max_row=h - 3):
        if row[0].value in SOURCE_HINTS:
            row[1].fill = fill_in
        if len(row) > 2 and row[2].value:
            row[2].font = grey
    for row in ws.iter_rows(min_row=h - 2, max_row=h - 1):
        for c in row:
            c.font = grey
            c.alignment = Alignment(wrap_text=True, vertical="top")
    for c in ws[h]:
        c.font = bold
    for c in ws[h + 2][2::2]:
        if rows[h - 1][c.column - 1] in layout["unknown_max"]:
            c.fill = ask
            c.comment = Comment("Maximum points of this area in the Ministry's table (not known to parlib).",
                                "parlib")
    for row in ws.iter_rows(min_row=h + 3, max_row=ws.max_row, min_col=3):
        for c in row:
            c.fill = fill_in
    ws.freeze_panes = ws.cell(row=h + 3, column=3)
    ws.column_dimensions["A"].width = 16
    ws.column_dimensions["B"].width = 22
    for i in range(2, 2 + 2 * layout["n_measures"]):
        ws.column_dimensions[_letter(i)].width = 14 if i % 2 == 0 else 9
    ws.row_dimensions[h - 2].height = 60
    ws.row_dimensions[h - 1].height = 45
    _measures_sheet(wb.create_sheet("measures"), index_code, year)
    _readme_sheet(wb.create_sheet("read me"), index_code, year)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _measures_sheet(ws, index_code: str, year: int) -> None:
    """Reference sheet: every measure with names, unit, scale and the maxima published in sources."""
    maxima = load_component_maxima()
    maxima = maxima[(maxima.index_code == index_code) & (maxima.year == year)].set_index("measure")
    ws.append(["code", "level", "name_vi", "name_en", "unit", "scale_min", "scale_max",
               "maximum printed by a source (for reference)", "that source"])
    for m in template_measures(index_code, year).itertuples():
        pub = maxima.loc[m.measure] if m.measure in maxima.index else None
        ws.append([m.measure, m.level, m.name_vi, m.name_en, m.unit,
                   None if pd.isna(m.scale_min) else m.scale_min, None if pd.isna(m.scale_max) else m.scale_max,
                   None if pub is None else float(pub.scale_max), "" if pub is None else pub.source_id])


def _readme_sheet(ws, index_code: str, year: int) -> None:
    per = period_of(index_code, year)
    for line in [
        f"parlib import template: {index_name(index_code)} {year}",
        f"Methodology: {per['label_en']} / {per['label_vi']}",
        "1. In the sheet 'data', fill one row per province with the figures of the official table.",
        "   Decimal comma (86,98) or point (86.98), '%', thousands separators and numbers stored as text are fine.",
        "   Leave a cell empty when the table has no figure: never write 0 for a missing figure.",
        "2. Fill the source block (publisher, document number, title, address, date).",
        "3. Where the 'maximum' row is empty for a component, write the maximum points from the table;",
        "   it is needed when you enter achievement rates in % (write 'percent' in the 'unit' row).",
        f"4. Run: parlib data import THIS_FILE --index {index_code} --year {year}",
        "   Every problem of the file is listed at once, and nothing is written until there is none.",
        "   A figure that differs from one parlib already has is refused unless you add --replace",
        "   (both figures are then kept, with their sources).",
        "Do not rename the codes in the header row (province_code, province, measure codes, .rank).",
    ]:
        ws.append([line])
    ws.column_dimensions["A"].width = 110


# --- reading ----------------------------------------------------------------------------------
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
        self.problems.append(Problem(self.file, line, column, found, expected, fix, sheet=self.sheet,
                                     suggestion=suggestion, severity=severity))


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
    t.meta = _read_meta(grid.rows[:found[0]] if found else grid.rows)
    if found is None:
        t.problem(None, None, "no header row with a province column",
                  "a header row naming the province column (province_code, province, Tỉnh, thành phố…) "
                  "and the measure columns (codes such as TOTAL, or their names)",
                  "start from `parlib data template`, or add a header row above the figures")
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
        hint = ("turn the PDF annex into a table first (copy it into the template)" if suffix == ".pdf" else
                "open it in Excel or LibreOffice and save it as .xlsx (Excel Workbook) or .csv (UTF-8)")
        t.problem(None, None, f"a {suffix or 'file without extension'} file", "a .csv or .xlsx file", hint)
        return None
    try:
        return _grid_xlsx(path, sheet, t) if suffix in (".xlsx", ".xlsm") else _grid_csv(path, t)
    except Exception as e:  # a corrupt workbook, a zip that is not one: report, never crash
        t.problem(None, None, f"a file that could not be read ({type(e).__name__}: {e})",
                  f"a valid {suffix} file", "open it in Excel or LibreOffice and save it again")
        return None


def _decode(data: bytes, t: ImportedTable) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        t.problem(None, None, "text that is not UTF-8", "a UTF-8 CSV",
                  "check the province and measure names; save as 'CSV UTF-8' next time",
                  suggestion="It was read as Windows-1258 (Vietnamese).", severity="warning")
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
    return rows, numbers[:len(rows)]


def _grid_xlsx(path: Path, sheet: str | None, t: ImportedTable) -> Grid | None:
    from openpyxl import load_workbook

    wb = load_workbook(path, data_only=True)
    names = wb.sheetnames
    if sheet is not None:
        if sheet not in names:
            t.problem(None, None, f"no sheet named {sheet!r}", f"one of the sheets {names}",
                      "pass --sheet with one of these names")
            return None
        ws = wb[sheet]
    else:
        preferred = [n for n in names if _key(n) in ("data", "dulieu", "sheet1")]
        ws = wb[preferred[0]] if preferred else wb.worksheets[0]
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


def _cell_text(c) -> str:
    if c is None:
        return ""
    if isinstance(c, float) and c == round(c):
        return str(int(c))
    return nfc(str(c))


def _read_meta(rows: list[list]) -> dict:
    """``key, value`` rows above the header (the template's index, year and source block)."""
    meta = {}
    keys = {_key(k): k for k in META_KEYS}
    keys.update({_key("nguồn"): "source_title", _key("source"): "source_title", _key("chỉ số"): "index",
                 _key("năm"): "year"})
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
            for n in (m.name_vi, m.name_en, re.sub(r"\(.*?\)", "", m.name_vi or ""),
                      re.sub(r"\(.*?\)", "", m.name_en or "")):
                k = _key(n)
                if len(k) >= 3:
                    # the year's own measure wins over an older one of the same name
                    if k not in self.names or (m.measure in self.year_codes
                                               and self.names[k] not in self.year_codes):
                        self.names[k] = m.measure
        for k in TOTAL_KEYS[index_code] | GENERIC_TOTAL:
            self.names.setdefault(k, "TOTAL")
        self.others = {c.upper(): i for i in INDICES if i != index_code for c in measures(i).measure
                       if c not in ("TOTAL",)} | {k: i for i in INDICES if i != index_code for k in TOTAL_KEYS[i]}

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
    m = re.fullmatch(r"(.+?)[\s._:\-/]+" + _RANK_WORDS, folded) or re.fullmatch(_RANK_WORDS + r"[\s._:\-/]+(.+)",
                                                                                  folded)
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
            if any(s.role in ("value", "rank") for s in sub) and not keyword and not any(
                    n.ok and n.value is not None for n in numbers):
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
            out.append(Column(p, f"{t.label} / {s.label}".rstrip(" /"), "measure", t.measure,
                              t.percent or s.percent))
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
                t.problem(line, None, f"figures in a row without a province ({len(values)} cells)",
                          "the province code or name in every row with figures",
                          "write the province in the row, or delete the row")
            continue
        label = _key(name or code)
        if label in AGGREGATE_KEYS or label.startswith("trungbinh") or _is_region(name or code):
            t.skipped.append({"line": line, "label": name or code})
            t.problem(line, None, repr(name or code), "a province",
                      "nothing to do: averages are computed by parlib from the provinces",
                      suggestion="The row was skipped (an average or a region, not a province).",
                      severity="warning")
            continue
        t.rows.append({"line": line, "code": code, "name": name, "values": values,
                       "stray": [(c, at(c.pos)) for c in stray]})


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


def validate_import(table: ImportedTable | str | Path, index_code: str, year: int, *, source: str | None = None,
                    replace: bool = False, sheet: str | None = None, now: dt.datetime | None = None) -> ImportPlan:
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
            ctx.error(None, None, "no figures under the header", "at least one score or rank",
                      "fill the table, or check that the figures are in the columns named in the header")
    src = _source_row(ctx, source, table, sha, now, check=bool(table.columns))
    rows = _score_rows(ctx)
    conflicts = _check_conflicts(ctx, rows)
    maxima, maxima_conflicts = _maxima_rows(ctx)
    if maxima_conflicts:
        conflicts = pd.concat([conflicts, pd.DataFrame(maxima_conflicts, columns=CONFLICT_COLUMNS)],
                              ignore_index=True)
    _check_already_imported(ctx, store, sha)
    if not ctx.problems and not any(p.severity == "error" for p in table.problems):
        _check_loadable(ctx, rows, src)
    problems = table.problems + ctx.problems
    problems.sort(key=lambda p: (p.severity != "error", p.line is not None, p.line or 0))
    return ImportPlan(table=table, index_code=index_code, year=year, unit_set=unit_set_for_year(year),
                      dataset_id=ds_id, replace=replace, original_sha256=sha, rows=rows, source=src,
                      conflicts=conflicts, maxima=maxima, problems=problems,
                      provinces=sorted({c["code"] for c in ctx.cells}))


def _check_loadable(ctx: "_Context", rows: pd.DataFrame, src: dict) -> None:
    """The rows must pass the loader's own validation (a safety net: never write what cannot load)."""
    from parlib.data.loading import _validate_scores, load_sources
    from parlib.data.registry import _tables

    ids = set(load_sources().source_id) | {src["source_id"]}
    try:
        _validate_scores(rows.astype({"rank_basis": str, "status": str}), "import", set(_tables()[0].code), ids,
                         measures())
    except DataValidationError as e:
        ctx.problems += e.problems


class _Context:
    """Working state of one validation: the table, the year's measures and what was found."""

    def __init__(self, table: ImportedTable, index_code: str, year: int, ds_id: str, replace: bool):
        self.table, self.index_code, self.year, self.ds_id, self.replace = table, index_code, year, ds_id, replace
        self.unit_set = unit_set_for_year(year)
        self.units = provinces(self.unit_set)
        self.n_units = len(self.units)
        self.meta = measures(index_code, year).set_index("measure")
        self.names = _Names(index_code, year)
        self.problems: list[Problem] = []
        self.row_province: dict[int, object] = {}  # line → Province
        self.cells: list[dict] = []  # resolved figures
        self.col_unit: dict[str, str] = {}  # measure → "points" | "percent" (as entered)
        self.maxima: dict[str, float] = {}  # measure → maximum points given in the file
        self.rates_without_max: dict[tuple, list] = {}  # (measure, column) → [(line, rate)]

    def error(self, line, column, found, expected, fix, suggestion=None, severity="error") -> None:
        self.problems.append(Problem(self.table.file, line, column, found, expected, fix, sheet=self.table.sheet,
                                     suggestion=suggestion, severity=severity))

    def label(self) -> str:
        return f"{index_name(self.index_code)} {self.year}"


def _check_meta(ctx: _Context) -> None:
    meta = ctx.table.meta
    if meta.get("index"):
        found = meta["index"]
        k = _key(found)
        match = next((i for i in INDICES if k == i.lower() or k in TOTAL_KEYS[i]), None)
        if match != ctx.index_code:
            ctx.error(None, "index", repr(found), f"{ctx.index_code} (the import was asked for --index "
                      f"{ctx.index_code})", f"import the file with --index {match or found}, or use the "
                      f"template of {ctx.index_code}")
    if meta.get("year"):
        y = parse_number(meta["year"])
        if y.value is None or int(y.value) != ctx.year:
            ctx.error(None, "year", repr(meta["year"]), f"{ctx.year} (the import was asked for --year {ctx.year})",
                      f"import the file with --year {meta['year']}, or use the template of {ctx.year}")


def _check_columns(ctx: _Context) -> None:
    t = ctx.table
    if not any(c.role in ("measure", "rank", "long_measure") for c in t.columns):
        ctx.error(None, None, "no measure column", f"columns named by measure code or name, e.g. "
                  f"{', '.join(list(ctx.meta.index)[:3])}", "start from `parlib data template`")
    seen: dict[tuple, Column] = {}
    for c in t.columns:
        if c.role in ("measure", "rank") and c.measure is not None:
            if c.measure not in ctx.meta.index:
                _other_period(ctx, c)
                c.role = "bad"
                continue
            k = (c.role, c.measure)
            if k in seen:
                ctx.error(None, c.where, f"a second column for {c.measure}" + (" rank" if c.role == "rank" else ""),
                          f"one column per measure; the first is {seen[k].where}", "delete one of the two columns")
                c.role = "bad"
            else:
                seen[k] = c
        elif c.role in ("unknown", "empty"):
            has_values = any(_cell_text(v) for r in t.rows for cc, v in r["stray"] if cc is c)
            if not has_values:
                continue
            if c.role == "empty":
                ctx.error(None, c.where, "figures in a column without a header", "a measure code or name in "
                          "the header of every column with figures", "write the measure code in the header, "
                          "or delete the column")
            else:
                _unknown_column(ctx, c)


def _other_period(ctx: _Context, c: Column) -> None:
    m = ctx.names.all[ctx.names.all.measure == c.measure].iloc[0]
    ctx.error(None, c.where, f"{c.measure} ({m.name_en}), a measure of {m.first_year}-{m.last_year}",
              f"a measure of {ctx.label()} ({period_of(ctx.index_code, ctx.year)['label_en']}): "
              f"{', '.join(ctx.meta.index)}",
              "use the template of this year, or move the figures to the right column")


def _unknown_column(ctx: _Context, c: Column) -> None:
    other = ctx.names.others.get(c.label.strip().upper()) or ctx.names.others.get(_key(c.label))
    if other:
        ctx.error(None, c.where, f"{c.label!r}, a measure of {other}",
                  f"a measure of {ctx.index_code}: {', '.join(ctx.meta.index)}",
                  f"import this file with --index {other}, or remove the column")
        return
    close = ctx.names.suggest(c.label)
    ctx.error(None, c.where, f"an unknown column {c.label!r}",
              f"a measure code or name of {ctx.label()}: {', '.join(ctx.meta.index)}",
              "rename the header to a measure code (see the template), or delete the column",
              suggestion=f"Did you mean {_or(close)}?" if close else None)


def _or(items: list[str]) -> str:
    q = [f"'{i}'" for i in items]
    return q[0] if len(q) == 1 else ", ".join(q[:-1]) + " or " + q[-1]


def _check_units_and_maxima(ctx: _Context) -> None:
    for m, cell in ctx.table.units.items():
        k = _key(_cell_text(cell["raw"]))
        if m not in ctx.meta.index:
            continue
        unit = "percent" if k in ("percent", "", "tyle", "phantram") or "%" in _cell_text(cell["raw"]) else \
            "points" if k in ("points", "point", "diem", "pts") else None
        if k == "rank":
            continue
        if unit is None:
            ctx.error(cell["line"], cell["col"].where, repr(cell["raw"]), "'points' or 'percent' (achievement rate)",
                      "write points, or percent if the column holds achievement rates in %")
            continue
        ctx.col_unit[m] = unit
    for m, cell in ctx.table.maxima.items():
        if m not in ctx.meta.index:
            continue
        p = parse_number(cell["raw"])
        if not p.ok or p.value is None or p.value <= 0:
            ctx.error(cell["line"], cell["col"].where, repr(cell["raw"]), "the maximum points, a number above 0",
                      "write the maximum of this area as printed in the Ministry's table")
            continue
        known = ctx.meta.loc[m, "scale_max"]
        if pd.notna(known) and abs(known - p.value) > VALUE_TOLERANCE:
            ctx.error(cell["line"], cell["col"].where, _num_text(p.value),
                      f"{_num_text(known)}, the maximum of {m} under {period_of(ctx.index_code, ctx.year)['decision']}",
                      f"write {_num_text(known)} or leave the cell empty")
            continue
        if pd.isna(known):
            ctx.maxima[m] = p.value
    _check_maxima_total(ctx)


def _check_maxima_total(ctx: _Context) -> None:
    comps = [m for m in ctx.maxima if ctx.meta.loc[m, "level"] == "component"]
    need = ADDITIVE.get(ctx.index_code) if ctx.index_code == "PAR" else None
    if need and len(comps) == need:
        total = sum(ctx.maxima[m] for m in comps)
        if abs(total - 100) > SUM_TOLERANCE:
            first = ctx.table.maxima[comps[0]]
            ctx.error(first["line"], None, f"component maxima adding up to {_num_text(round(total, 4))}",
                      "maxima adding up to 100 (the PAR INDEX is out of 100 points)",
                      "check each maximum against the Ministry's table")


def _resolve_provinces(ctx: _Context) -> None:
    """Resolve every row's province (code and/or name) in the year's unit set; report unknown,
    mismatched and duplicate provinces."""
    first_line: dict[str, int] = {}
    code_col = next((c for c in ctx.table.columns if c.role == "province_code"), None)
    name_col = next((c for c in ctx.table.columns if c.role == "province"), None)
    for r in ctx.table.rows:
        p = _resolve_row(ctx, r, code_col, name_col)
        if p is None:
            continue
        if p.code in first_line and ctx.table.layout != "long":
            ctx.error(r["line"], (name_col or code_col).where, f"a second row for {p.name_vi} ({p.code})",
                      f"one row per province; the first is on {_row_word(ctx)} {first_line[p.code]}",
                      "delete one of the two rows, or correct the province name")
            continue
        first_line.setdefault(p.code, r["line"])
        ctx.row_province[r["line"]] = p


def _provinces_cmd(ctx: _Context) -> str:
    return "`parlib provinces`" if ctx.unit_set == "VN63" else "`parlib provinces --unit-set VN34`"


def _row_word(ctx: _Context) -> str:
    return "row" if ctx.table.sheet else "line"


def _resolve_row(ctx: _Context, r: dict, code_col, name_col):
    found = {}
    for text, col in ((r["code"], code_col), (r["name"], name_col)):
        if not text:
            continue
        p = _resolve_one(ctx, text, col, r["line"])
        if p is None:
            return None
        found[col.role] = p
    if len(found) == 2 and found["province_code"].code != found["province"].code:
        a, b = found["province_code"], found["province"]
        ctx.error(r["line"], code_col.where, f"code {r['code']!r} ({a.name_vi}) next to the name {r['name']!r} "
                  f"({b.name_vi})", "a code and a name of the same province",
                  f"correct the code or the name (see {_provinces_cmd(ctx)})")
        return None
    return found.get("province_code") or found.get("province")


def _resolve_one(ctx: _Context, text: str, col: Column, line: int):
    try:
        p = province(text, year=ctx.year)
    except UnknownProvinceError as e:
        ctx.error(line, col.where, repr(text), f"a province of the {ctx.n_units} ({ctx.unit_set}, {ctx.year})",
                  f"correct the spelling, or write the code (see {_provinces_cmd(ctx)})",
                  suggestion=f"Did you mean {_or(e.suggestions)}?" if e.suggestions else None)
        return None
    if p.unit_set != ctx.unit_set or (ctx.unit_set == "VN34" and _is_pre_merger_name(text, p)):
        _unit_set_row(ctx, text, col, line, p)
        return None
    return p


def _is_pre_merger_name(text: str, unit) -> bool:
    """True when a name or code looked up among the 34 units resolved through the merger: it names
    one of the 63 provinces that was merged into a unit named after another (Thái Bình → Hưng Yên)."""
    from parlib.data.registry import _index

    if match_key(nfc(text)) in _index()["VN34"]:
        return False
    try:
        old = province(text, unit_set="VN63")
    except UnknownProvinceError:
        return False
    return old.unit_set == "VN63" and not _is_namesake(old, unit)


def _is_namesake(old, unit) -> bool:
    """True when a pre-2025 province continues as the 34-unit (same name, or the unit's only member)."""
    return len(unit.members) <= 1 or _key(old.name_vi) == _key(unit.name_vi)


def _unit_set_row(ctx: _Context, text: str, col: Column, line: int, p) -> None:
    if ctx.unit_set == "VN34":
        old = province(text, unit_set="VN63")
        ctx.error(line, col.where, f"{text!r}, a province of the 63 (before July 2025), merged into {p.name_vi}",
                  f"one of the 34 units: {ctx.label()} results are for the units formed on 1 July 2025",
                  f"use the table published for the 34 units; {old.name_vi}'s figures cannot be imported "
                  f"for {ctx.year}")
    else:
        kind = "34 units (from July 2025)" if p.unit_set == "VN34" else "former provinces (dissolved before 2025)"
        ctx.error(line, col.where, f"{text!r}, one of the {kind}", f"one of the 63 provinces of {ctx.year}",
                  "use the pre-2025 province name or its 2-digit GSO code (see `parlib provinces`)")


def _read_cells(ctx: _Context) -> None:
    """Parse every figure of the resolved rows: numbers, ranks, units, ranges."""
    cols = {c.pos: c for c in ctx.table.columns}
    long_cols = {c.role: c for c in ctx.table.columns if c.role in ("long_measure", "value", "rank", "index", "year")}
    seen: dict[tuple, int] = {}
    for r in ctx.table.rows:
        p = ctx.row_province.get(r["line"])
        if ctx.table.layout == "long":
            figures = _long_figures(ctx, r, long_cols)
        else:
            figures = [(cols[pos], cols[pos].measure, "value" if cols[pos].role == "measure" else "rank", raw)
                       for pos, raw in r["values"].items() if cols[pos].role in ("measure", "rank")]
        for col, measure, fld, raw in figures:
            if p is None:
                continue
            if (p.code, measure, fld) in seen:
                ctx.error(r["line"], col.where, f"a second {fld} of {measure} for {p.name_vi}",
                          f"one per province and measure; the first is on {_row_word(ctx)} "
                          f"{seen[(p.code, measure, fld)]}", "delete one of the two rows")
                continue
            seen[(p.code, measure, fld)] = r["line"]
            cell = _parse_cell(ctx, r["line"], col, measure, fld, raw)
            if cell is not None:
                cell.update(code=p.code, name=p.name_vi, line=r["line"], col=col, measure=measure)
                ctx.cells.append(cell)


def _report_rates_without_max(ctx: _Context) -> None:
    """One problem per column of achievement rates that cannot be converted to points."""
    for (measure, where), cells in ctx.rates_without_max.items():
        lines = [ln for ln, _ in cells]
        span = f"{_row_word(ctx)}s {lines[0]}-{lines[-1]}" if len(lines) > 1 else f"{_row_word(ctx)} {lines[0]}"
        ctx.error(lines[0], where, f"{len(cells)} achievement rate(s) in % ({span}, e.g. {_num_text(cells[0][1])}%) "
                  f"and no maximum for {measure}",
                  f"points, or the maximum points of {measure} in the 'maximum' row to convert the rates",
                  "write the maximum of this area in the 'maximum' row (from the Ministry's table), or enter points")


def _long_figures(ctx: _Context, r: dict, cols: dict) -> list:
    out = []
    mcol = cols["long_measure"]
    text = _cell_text(r["values"].get(mcol.pos))
    for role in ("index", "year"):
        c = cols.get(role)
        v = _cell_text(r["values"].get(c.pos)) if c else ""
        want = ctx.index_code if role == "index" else str(ctx.year)
        if v and (_key(v) != _key(want)):
            ctx.error(r["line"], c.where, repr(v), f"{want} (the import was asked for --{role} {want})",
                      f"import {role} {v} separately with --{role} {v}, or delete the row")
            return []
    if not text:
        if any(cols.get(k) and _cell_text(r["values"].get(cols[k].pos)) for k in ("value", "rank")):
            ctx.error(r["line"], mcol.where, "an empty measure", "a measure code or name", "fill the measure")
        return out
    measure = ctx.names.find(text)
    if measure is None or measure not in ctx.meta.index:
        fake = Column(mcol.pos, text, "unknown")
        if measure is not None:
            fake.measure = measure
            m = ctx.names.all[ctx.names.all.measure == measure].iloc[0]
            ctx.error(r["line"], mcol.where, f"{text!r}, a measure of {m.first_year}-{m.last_year}",
                      f"a measure of {ctx.label()}: {', '.join(ctx.meta.index)}", "use this year's measures")
        else:
            close = ctx.names.suggest(text)
            ctx.error(r["line"], mcol.where, f"an unknown measure {text!r}",
                      f"a measure code or name of {ctx.label()}: {', '.join(ctx.meta.index)}",
                      "use a measure code of the template", suggestion=f"Did you mean {_or(close)}?" if close else None)
        return out
    for role, fld in (("value", "value"), ("rank", "rank")):
        c = cols.get(role)
        if c is not None and _cell_text(r["values"].get(c.pos)):
            out.append((c, measure, fld, r["values"][c.pos]))
    return out


def _parse_cell(ctx: _Context, line: int, col: Column, measure: str, fld: str, raw) -> dict | None:
    if fld == "rank":
        return _parse_rank_cell(ctx, line, col, measure, raw)
    p = parse_number(raw)
    if not p.ok:
        ctx.error(line, col.where, repr(raw), "a number (86,98 or 86.98), or an empty cell",
                  "write the figure without words or units; leave the cell empty when there is none")
        return None
    if p.value is None:
        return None
    m = ctx.meta.loc[measure]
    entered_pct = p.percent or col.percent or ctx.col_unit.get(measure) == "percent"
    value, note = p.value, ""
    if m.unit == "points" and entered_pct:
        top = ctx.maxima.get(measure, m.scale_max)
        if pd.isna(top) or m.scale_min != 0:
            ctx.rates_without_max.setdefault((measure, col.where), []).append((line, p.value))
            return None
        if not 0 <= p.value <= 100:
            ctx.error(line, col.where, f"{_num_text(p.value)}%", "an achievement rate within 0..100%",
                      "check the figure against the table")
            return None
        value, note = round(p.value * top / 100, 6), f"entered as {_num_text(p.value)}% of {_num_text(top)} points"
    if m.unit not in ("points", "percent"):
        return {"field": "value", "value": value, "note": note}  # indicators: scales as printed, not checked
    lo = 0.0 if pd.isna(m.scale_min) else float(m.scale_min)
    hi = ctx.maxima.get(measure, m.scale_max)
    if value < lo - 1e-9 or (pd.notna(hi) and value > hi + 1e-9):
        what = "its maximum in the 'maximum' row" if measure in ctx.maxima else _unit_label(m.unit)
        ctx.error(line, col.where, _value_text(value),
                  f"{_num_text(lo)}..{_num_text(hi) if pd.notna(hi) else '∞'} for {measure} ({what})",
                  "check the figure against the table; a missing figure is an empty cell, not 0")
        return None
    return {"field": "value", "value": value, "note": note}


def _parse_rank_cell(ctx: _Context, line: int, col: Column, measure: str, raw) -> dict | None:
    rank, n, ok = parse_rank(raw)
    if not ok:
        ctx.error(line, col.where, repr(raw), "a whole-number rank such as 12 or 12/63, or an empty cell",
                  "write the rank as published; leave it empty when there is none")
        return None
    if rank is None:
        return None
    if n is not None and n != ctx.n_units:
        ctx.error(line, col.where, repr(raw), f"a rank out of {ctx.n_units} ({ctx.unit_set}, {ctx.year})",
                  f"ranks of {ctx.year} are out of {ctx.n_units}: check the year and the table")
        return None
    if not 1 <= rank <= ctx.n_units:
        ctx.error(line, col.where, str(rank), f"a rank within 1..{ctx.n_units}",
                  "check the rank against the table")
        return None
    return {"field": "rank", "rank": rank}


def _figures(ctx: _Context, fld: str) -> pd.DataFrame:
    """The resolved values (``fld="value"``) or ranks (``"rank"``) as a table."""
    cols = ["code", "name", "line", "col", "measure", fld]
    return pd.DataFrame([{k: c.get(k) for k in cols} for c in ctx.cells if c["field"] == fld], columns=cols)


def _check_sums(ctx: _Context) -> None:
    """Components of an additive index add up to its total (when the row has all of them)."""
    if ctx.index_code not in ADDITIVE:
        return
    v = _figures(ctx, "value")
    if v.empty:
        return
    comps = set(ctx.meta.index[ctx.meta.level == "component"])
    need = ADDITIVE[ctx.index_code] or len(comps)
    for _, g in v.groupby("code", sort=False):
        parts = g[g.measure.isin(comps)]
        total = g[g.measure == "TOTAL"]
        if len(parts) != need or total.empty:
            continue
        s, tv = float(parts.value.sum()), float(total.value.iloc[0])
        if abs(s - tv) > SUM_TOLERANCE:
            ctx.error(int(total.line.iloc[0]), total.col.iloc[0].where,
                      f"components adding up to {s:.2f} for {total.name.iloc[0]}, total {tv:.2f}",
                      f"the {need} components adding up to the total (±{SUM_TOLERANCE})",
                      "check the components and the total against the table; components must be in points")


def _check_ranks(ctx: _Context) -> None:
    """A rank must agree with the scores: no province with a lower score ranks above one with a higher."""
    v, r = _figures(ctx, "value"), _figures(ctx, "rank")
    if v.empty or r.empty:
        return
    for measure, ranks in r.groupby("measure", sort=False):
        if ctx.meta.loc[measure, "direction"] != "higher_is_better":
            continue
        scores = v[v.measure == measure].set_index("code").value
        if len(scores) < 2:
            continue
        arr = scores.to_numpy()
        missing = ctx.n_units - len(arr)
        for row in ranks.itertuples():
            if row.code not in scores.index:
                continue
            s = scores[row.code]
            lo = 1 + int((arr > s + 1e-9).sum())
            hi = int((arr >= s - 1e-9).sum()) + missing
            if not lo <= row.rank <= hi:
                expected = f"{lo}" if lo == hi else f"a rank between {lo} and {hi}"
                ctx.error(row.line, row.col.where, f"rank {row.rank} for {row.name} ({measure} {_num_text(s)})",
                          f"{expected}: {lo - 1} province(s) in the file have a higher {measure}",
                          "check the rank and the score against the table")


def _check_unit_set(ctx: _Context) -> None:
    """A 2022 file listing only the 34 post-merger units (or a 2025 file with the 63) is the wrong table."""
    codes = set(ctx.row_province)
    if ctx.unit_set != "VN63" or not codes:
        return
    names = list(ctx.row_province.values())
    if 30 <= len(names) <= 34 and all(p.successor and _is_namesake(p, p.successor) for p in names):
        ctx.error(None, None, f"{len(names)} rows, all named like the 34 units formed on 1 July 2025",
                  f"the 63 provinces of {ctx.year}", f"import this table with the year it was published for "
                  f"(2025 or later), or use the {ctx.year} table of the 63 provinces")


def _check_missing(ctx: _Context) -> None:
    have = {c["code"] for c in ctx.cells}
    if not have:
        return
    gone = ctx.units[~ctx.units.code.isin(have)]
    if len(gone):
        listing = ", ".join(f"{u.name_vi} ({u.code})" for u in gone.itertuples())
        ctx.error(None, None, f"figures for {len(have)} of the {ctx.n_units} units; none for {len(gone)}: {listing}",
                  f"all {ctx.n_units} units of {ctx.year} ({ctx.unit_set})",
                  "nothing to do if the table has no figure for them; otherwise add their rows",
                  severity="warning")


# --- rows to write, source, conflicts -----------------------------------------------------------
def _score_rows(ctx: _Context) -> pd.DataFrame:
    """The tidy rows of the import (SCORE_COLUMNS), one per province and measure."""
    by_key: dict[tuple, dict] = {}
    for c in ctx.cells:
        row = by_key.setdefault((c["code"], c["measure"]), {
            "index_code": ctx.index_code, "year": ctx.year, "province_code": c["code"], "measure": c["measure"],
            "value": np.nan, "rank": pd.NA, "n_ranked": pd.NA, "rank_basis": "", "ci_low": np.nan,
            "ci_high": np.nan, "se": np.nan, "source_id": ctx.ds_id, "rank_source_id": "", "status": "imported",
            "note": ""})
        if c["field"] == "value":
            row["value"], row["note"] = c["value"], c.get("note", "")
        else:
            row.update({"rank": c["rank"], "n_ranked": ctx.n_units, "rank_basis": "published",
                        "rank_source_id": ctx.ds_id})
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
    given = {k: meta.get(k, "") for k in SOURCE_HINTS}
    if check and not (text or "").strip() and not any(given[k] for k in ("source_publisher", "source_document",
                                                                "source_title")):
        ctx.error(None, None, "no source", "the source of the figures: --source \"…\" or the template's source "
                  "block (publisher, document number and title)",
                  "add --source \"Bộ Nội vụ, Báo cáo Chỉ số CCHC năm …, Phụ lục …\" (publisher, document, date)")
    now = now or dt.datetime.now().astimezone()
    title = " — ".join(x for x in (given["source_document"], given["source_title"]) if x)
    text = (text or "").strip()
    return {"source_id": ctx.ds_id, "producer": given["source_publisher"] or (text if not title else ""),
            "title": title or text, "url": given["source_address"], "accessed": now.date().isoformat(),
            "licence": "as published by the producer (imported by the user)",
            "decision": period_of(ctx.index_code, ctx.year)["decision"], "kind": "user_import",
            "note": f"imported from {table.file} (sha256 {sha}) on {now.isoformat(timespec='seconds')}"
                    + (f"; source as given: {text}" if text else "")
                    + (f"; published {given['source_date']}" if given["source_date"] else "")}


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
        for fld, new, prev, src in (("value", r.value, old.value, old.source_id),
                                    ("rank", r.rank, old["rank"], old.rank_source_id or old.source_id)):
            if pd.isna(new) or pd.isna(prev) or abs(float(new) - float(prev)) <= VALUE_TOLERANCE:
                continue
            if src == ctx.ds_id:
                continue
            cell = lines[(r.province_code, r.measure, fld)]
            out.append(_conflict_row(ctx, r, fld, new, prev, src, old.status))
            if not ctx.replace:
                ctx.error(cell["line"], cell["col"].where,
                          f"{_fig(new, fld)} for {cell['name']} {r.measure}; parlib already has "
                          f"{_fig(prev, fld)} (source {src}, {old.status})",
                          "no figure that differs from one already in the data",
                          "check which is right; to prefer the file, run again with --replace "
                          "(the other figure is kept, with its source, in the conflicts)")
    return pd.DataFrame(out, columns=CONFLICT_COLUMNS)


def _fig(v, fld: str) -> str:
    return f"rank {int(v)}" if fld == "rank" else _value_text(float(v))


def _value_text(v: float) -> str:
    """A score as published: 2 decimals (90.10), more only when the figure has them."""
    return f"{v:.2f}" if abs(round(v, 2) - v) < 1e-9 else f"{v:g}"


def _conflict_row(ctx: _Context, r, fld: str, new, prev, src: str, status: str) -> dict:
    return {"index_code": ctx.index_code, "year": ctx.year, "area_code": r.province_code, "measure": r.measure,
            "field": fld, "kept_value": _fig(new, fld).removeprefix("rank "), "kept_source_id": ctx.ds_id,
            "kept_status": "imported", "other_value": _fig(prev, fld).removeprefix("rank "),
            "other_source_id": src, "other_status": str(status),
            "reason": "imported with --replace: the import is preferred; the other figure is kept here",
            "note": ""}


def _maxima_rows(ctx: _Context) -> tuple[pd.DataFrame, list[dict]]:
    """Component maxima given in the file (those parlib does not know from the methodology), and
    the conflicts with maxima already in the data (errors unless ``replace``)."""
    known = load_component_maxima()
    known = known[(known.index_code == ctx.index_code) & (known.year == ctx.year)].drop_duplicates(
        "measure", keep="last").set_index("measure")
    rows, conflicts = [], []
    for m, v in ctx.maxima.items():
        if m in known.index and abs(float(known.loc[m, "scale_max"]) - v) > VALUE_TOLERANCE:
            other, src = float(known.loc[m, "scale_max"]), known.loc[m, "source_id"]
            conflicts.append({"index_code": ctx.index_code, "year": ctx.year, "area_code": "", "measure": m,
                              "field": "scale_max", "kept_value": _num_text(v), "kept_source_id": ctx.ds_id,
                              "kept_status": "imported", "other_value": _num_text(other), "other_source_id": src,
                              "other_status": "reported", "note": "",
                              "reason": "imported with --replace: the import is preferred; the other figure is "
                                        "kept here"})
            if not ctx.replace:
                cell = ctx.table.maxima[m]
                ctx.error(cell["line"], cell["col"].where, f"maximum {_num_text(v)} for {m}; parlib already has "
                          f"{_num_text(other)} (source {src})", "no maximum that differs from one already in the data",
                          "check which is right; to prefer the file, run again with --replace")
        rows.append({"index_code": ctx.index_code, "year": ctx.year, "measure": m, "scale_max": v,
                     "source_id": ctx.ds_id, "note": "maximum given in the imported table"})
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
            ctx.error(None, None, f"a file already imported as {d.dataset_id} on {d.imported_at}",
                      "a file not imported before",
                      f"nothing to do; to import it again, first run `parlib data remove {d.dataset_id}`")


# --- writing --------------------------------------------------------------------------------------
def import_table(path: str | Path, index_code: str, year: int, *, source: str | None = None,
                 replace: bool = False, sheet: str | None = None, check_only: bool = False) -> ImportPlan:
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
    return df.reindex(columns=columns).to_csv(index=False, lineterminator="\n").encode("utf-8")


def _dataset_files(plan: ImportPlan, now: dt.datetime | None = None) -> dict[str, bytes]:
    """The files of a dataset folder, as bytes, in the order they are written."""
    import parlib

    now = now or dt.datetime.now().astimezone()
    t = plan.table
    info = {"dataset_id": plan.dataset_id, "index_code": plan.index_code, "year": plan.year,
            "unit_set": plan.unit_set, "replace": str(bool(plan.replace)), "source_id": plan.dataset_id,
            "original_file": t.file + (f" (sheet {t.sheet})" if t.sheet else ""),
            "original_sha256": plan.original_sha256, "original_bytes": t.path.stat().st_size,
            "imported_at": now.isoformat(timespec="seconds"), "parlib_version": parlib.__version__,
            "rows": len(plan.rows), "provinces": len(plan.provinces), "measures": plan.rows.measure.nunique()}
    return {
        "scores.csv": _csv_bytes(plan.rows, SCORE_COLUMNS),
        "sources.csv": _csv_bytes(pd.DataFrame([plan.source]), SOURCE_COLUMNS),
        "conflicts.csv": _csv_bytes(plan.conflicts if plan.replace else plan.conflicts.iloc[0:0], CONFLICT_COLUMNS),
        "component_maxima.csv": _csv_bytes(plan.maxima, MAXIMA_COLUMNS),
        "original" + t.path.suffix.lower(): t.path.read_bytes(),
        "dataset.csv": _csv_bytes(pd.DataFrame([info]), DATASET_COLUMNS),
    }


def _manifest_rows(plan: ImportPlan, files: dict[str, bytes]) -> pd.DataFrame:
    desc = {"scores.csv": "imported scores and ranks", "sources.csv": "source of the import",
            "conflicts.csv": "figures the import replaced (with --replace), with their sources",
            "component_maxima.csv": "component maxima given in the imported table",
            "dataset.csv": "provenance: original file, checksum, import time"}
    rows = []
    for name, data in files.items():
        n = data.count(b"\n") - 1 if name.endswith(".csv") else ""
        rows.append({"file": f"datasets/{plan.dataset_id}/{name}", "sha256": hashlib.sha256(data).hexdigest(),
                     "rows": str(n), "description": desc.get(name, "the original file, byte for byte"),
                     "upstream": f"{plan.table.file} (sha256 {plan.original_sha256[:12]}…)"})
    return pd.DataFrame(rows)


def _write_file(path: Path, data: bytes) -> None:
    """Write bytes to a new file and flush them to disk."""
    with open(path, "xb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


def _write_atomically(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step (a temp file in the same folder, then os.replace)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _clean_leftovers(store: Path) -> None:
    """Remove what an import killed mid-way left behind: staging folders beside the store and
    dataset folders the manifest does not list (never committed)."""
    for p in store.parent.glob(f".{store.name}.partial-*"):
        shutil.rmtree(p, ignore_errors=True)
    listed = set(store_dataset_ids(store))
    folder = store / "datasets"
    if folder.is_dir():
        for p in folder.iterdir():
            if p.is_dir() and p.name not in listed:
                shutil.rmtree(p, ignore_errors=True)


def write_dataset(plan: ImportPlan) -> Path:
    """Write a validated import to the store and commit it by replacing MANIFEST.csv atomically.

    The dataset's files are written to a staging folder beside the store, moved into
    ``datasets/<id>/`` in one rename, and committed by an atomic replace of the store's
    ``MANIFEST.csv``. Any failure before the commit undoes every step, so the store is left
    byte-identical; a process killed mid-way leaves at most an uncommitted folder, which loaders
    ignore and the next import removes.
    """
    if not plan.ok:
        raise ImportValidationError(plan.problems)
    store = user_data_dir()
    files = _dataset_files(plan)
    created = [d for d in (store, store / "datasets") if not d.exists()]
    staging = final = None
    committed = False
    try:
        (store / "datasets").mkdir(parents=True, exist_ok=True)
        _clean_leftovers(store)
        old = manifest(store) if (store / "MANIFEST.csv").exists() else pd.DataFrame(
            columns=["file", "sha256", "rows", "description", "upstream"])
        new_manifest = pd.concat([old, _manifest_rows(plan, files)], ignore_index=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{store.name}.partial-", dir=store.parent))
        for name, data in files.items():
            _write_file(staging / name, data)
        final = store / "datasets" / plan.dataset_id
        os.rename(staging, final)
        staging = None
        _write_atomically(store / "MANIFEST.csv",
                          new_manifest.to_csv(index=False, lineterminator="\n").encode("utf-8"))
        committed = True
    finally:
        if not committed:
            for d in (staging, final):
                if d is not None and d.exists():
                    shutil.rmtree(d, ignore_errors=True)
            for d in reversed(created):
                if d.exists() and not any(d.iterdir()):
                    d.rmdir()
    return store / "datasets" / plan.dataset_id


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
        df = pd.read_csv(path, dtype=str, keep_default_na=False, usecols=["index_code", "year", "province_code",
                                                                           "source_id"])
        for idx, g in df.groupby("index_code", sort=False):
            srcs = sorted(set(g.source_id))
            rows.append({"dataset_id": f"{rel}:{idx}", "kind": "bundled", "index_code": idx,
                         "years": _years_text(g.year), "provinces": g.province_code.nunique(), "rows": len(g),
                         "source": srcs[0] if len(srcs) == 1 else f"{len(srcs)} sources (parlib data sources)",
                         "imported_at": "", "replace": ""})
    store = user_data_dir()
    if (store / "MANIFEST.csv").exists():
        for ds in store_dataset_ids(store):
            d = pd.read_csv(store / "datasets" / ds / "dataset.csv", dtype=str, keep_default_na=False).iloc[0]
            s = pd.read_csv(store / "datasets" / ds / "sources.csv", dtype=str, keep_default_na=False).iloc[0]
            rows.append({"dataset_id": ds, "kind": "imported", "index_code": d.index_code, "years": d.year,
                         "provinces": int(d.provinces), "rows": int(d.rows),
                         "source": " — ".join(x for x in (s.producer, s.title) if x) + f" ({d.original_file})",
                         "imported_at": d.imported_at, "replace": d["replace"]})
    return pd.DataFrame(rows, columns=["dataset_id", "kind", "index_code", "years", "provinces", "rows", "source",
                                       "imported_at", "replace"])


class DatasetNotFoundError(LookupError):
    """Raised by :func:`remove_dataset` for an id that is not an import of the store."""


def remove_dataset(dataset_id: str) -> dict:
    """Remove an import from the user store (bundled data cannot be removed); returns its provenance.

    The store's MANIFEST.csv is replaced first (the commit), then the dataset folder is deleted.
    """
    store = user_data_dir()
    ids = store_dataset_ids(store)
    if dataset_id not in ids:
        if ":" in dataset_id or dataset_id.startswith("scores/"):
            raise DatasetNotFoundError(f"{dataset_id!r} is bundled data, which cannot be removed; only imports can "
                                       "(see `parlib data list`)")
        close = difflib.get_close_matches(dataset_id, ids, n=3, cutoff=0.5)
        hint = f" Did you mean {_or(close)}?" if close else ""
        listing = ", ".join(ids) if ids else "none"
        raise DatasetNotFoundError(f"no import {dataset_id!r} in the user store {store}.{hint} Imports: {listing}")
    info = pd.read_csv(store / "datasets" / dataset_id / "dataset.csv", dtype=str,
                       keep_default_na=False).iloc[0].to_dict()
    m = manifest(store)
    kept = m[~m.file.str.startswith(f"datasets/{dataset_id}/")]
    _write_atomically(store / "MANIFEST.csv", kept.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    shutil.rmtree(store / "datasets" / dataset_id, ignore_errors=True)
    return info

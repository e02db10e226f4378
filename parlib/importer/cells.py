"""Cell-level reading shared by the importer: header keys, Vietnamese and English numbers, ranks."""

from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np

from parlib._text import fold, new_style_tones, nfc
from parlib._words import text as catalogue_text
from parlib.data.loading import DataValidationError

#: Measure levels a template has a column for (PAPI indicators are accepted but not templated).
TEMPLATE_LEVELS = ("total", "component", "sub-component")
#: Components must add up to the total within this many points (8 areas rounded to 2 decimals).
SUM_TOLERANCE = 0.05
#: Two figures differ when they differ at the published precision (2 decimals).
VALUE_TOLERANCE = 0.005
# Whether an index's total is the plain sum of its components, how many, and the header labels
# that name its total are facts of the index: data/meta/indices.csv (parlib._vocab.index_facts).
SUPPORTED = (".csv", ".txt", ".xlsx", ".xlsm")
MAX_SOURCE_CHARS = 500  # --source and each cell of the source block: a line a reader can follow
#: Limits checked before a file is parsed (an official table of 63 provinces is ~100 rows, ~3,000 cells):
MAX_FILE_BYTES = 20 * 10**6
MAX_XLSX_UNCOMPRESSED = 30 * 10**6  # bytes of XML once unzipped (a zip bomb is refused before parsing)
MAX_XLSX_MEMBERS = 2000
MAX_XLSX_ROWS = 50_000
MAX_XLSX_CELLS = 200_000
MAX_EMPTY_ROWS = 500  # consecutive empty spreadsheet rows after which the table is taken to have ended
META_KEYS = ("index", "year", "source_publisher", "source_document", "source_title", "source_address", "source_date")
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
    "province": {
        "province",
        "provincename",
        "provincecity",
        "provinceorcity",
        "provincescities",
        "tinh",
        "tinhthanhpho",
        "tinhthanh",
        "tentinh",
        "tentinhthanhpho",
        "tentinhthanh",
        "diaphuong",
        "tendiaphuong",
        "donvi",
        "tendonvi",
        "tinhtp",
        "provincecityname",
    },
    "long_measure": {
        "measure",
        "measurecode",
        "chiso",
        "chisothanhphan",
        "linhvuc",
        "noidung",
        "indicator",
        "component",
        "dimension",
        "tieuchi",
        "tenchiso",
    },
    "value": {"value", "giatri", "diem", "diemso", "score", "points", "ketqua", "diemdat", "sodiem"},
    "rank": {"rank", "ranking", "xephang", "thuhang", "hang", "vitri", "xh", "vithu"},
    "index": {"index", "indexcode", "bochiso"},
    "year": {"year", "nam", "namketqua"},
    "ignore": {
        "stt",
        "tt",
        "no",
        "sott",
        "sothutu",
        "ghichu",
        "note",
        "notes",
        "nhom",
        "group",
        "xeploai",
        "vung",
        "region",
        "khuvuc",
        "vungkinhte",
        "namevi",
        "nameen",
        "tenchisotiengviet",
    },
}
ROW_KEYWORDS = {
    "unit": {"unit", "donvi", "donvitinh", "dvt"},
    "maximum": {"maximum", "max", "diemtoida", "toida", "thangdiem", "maximumpoints", "diemtoidamaximum"},
}
AGGREGATE_KEYS = {
    "trungbinh",
    "trungbinhcanuoc",
    "canuoc",
    "toanquoc",
    "average",
    "nationalaverage",
    "mean",
    "giatritrungbinh",
    "trungbinhchung",
    "nationalmean",
    "vietnam",
    "vn",
}
GENERIC_TOTAL = {"total", "tong", "tongdiem", "tongso", "diemtong", "chisotong", "chisochung"}
MISSING_TEXT = {
    "",
    "-",
    "--",
    "—",
    "–",
    ".",
    "..",
    "...",
    "x",
    "na",
    "n/a",
    "nan",
    "kcdl",
    "khongcodulieu",
    "khongco",
    "chuaco",
    "none",
    "null",
}


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


def _unit_label(unit: str, lang: str = "en") -> str:
    return {"percent": "%", "points": catalogue_text("unit_words.points", lang)}.get(unit, unit)


def _num_text(v: float) -> str:
    return f"{v:g}"


def _cell_text(c) -> str:
    if c is None:
        return ""
    if isinstance(c, float) and c == round(c):
        return str(int(c))
    return nfc(str(c))


def _or(items: list[str]) -> str:
    q = [f"'{i}'" for i in items]
    return q[0] if len(q) == 1 else ", ".join(q[:-1]) + " or " + q[-1]


def _fig(v, fld: str) -> str:
    return f"rank {int(v)}" if fld == "rank" else _value_text(float(v))


def _value_text(v: float) -> str:
    """A score as published: 2 decimals (90.10), more only when the figure has them."""
    return f"{v:.2f}" if abs(round(v, 2) - v) < 1e-9 else f"{v:g}"

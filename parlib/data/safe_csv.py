"""Formula-safe CSV and XLSX cells: every CSV or XLSX parlib writes goes through here.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
as a formula (CSV injection). Following the OWASP rule, such a text cell is written with a
leading apostrophe, which spreadsheets show as plain text; :func:`unescape` (used by every
parlib reader of these files) removes it again, so the text round-trips exactly. A cell that
is a plain number (``-0.5``, ``+3``) is not a formula and is written as it is.

>>> escape('=HYPERLINK("http://x")'), escape("-0.5"), escape("Bộ Nội vụ"), escape("'=x")
('\\'=HYPERLINK("http://x")', '-0.5', 'Bộ Nội vụ', "''=x")
>>> all(unescape(escape(s)) == s for s in ["=1+1", "@SUM(1)", "'=x", "''", "-", "-0.5", "a=b", "\\tx"])
True
"""

from __future__ import annotations

import csv
import io
import math
import re

import pandas as pd

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def _risky(text: str) -> bool:
    """True when a spreadsheet would take the text (after any apostrophes) for a formula."""
    rest = text.lstrip("'")
    return rest.startswith(DANGEROUS) and not _NUMBER.fullmatch(rest)


def escape(cell):
    """A cell safe to write: text that a spreadsheet would run gets one leading apostrophe."""
    if isinstance(cell, str) and _risky(cell):
        return "'" + cell
    return cell


def unescape(cell):
    """The text :func:`escape` was given (removes the apostrophe it added)."""
    if isinstance(cell, str) and cell.startswith("'") and _risky(cell[1:]):
        return cell[1:]
    return cell


def escape_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell escaped (numeric columns untouched)."""
    out = df.copy()
    for c in out.columns:
        if not pd.api.types.is_numeric_dtype(out[c]):
            out[c] = out[c].map(escape)
    return out


def unescape_frame(df: pd.DataFrame) -> pd.DataFrame:
    """Undo :func:`escape_frame` on a table read back as text."""
    out = df.copy()
    for c in out.columns:
        if not pd.api.types.is_numeric_dtype(out[c]) and not pd.api.types.is_bool_dtype(out[c]):
            out[c] = out[c].map(unescape)
    return out


def frame_to_csv_bytes(df: pd.DataFrame, columns: list[str] | None = None) -> bytes:
    """UTF-8 CSV bytes of a table (``\\n`` line ends), formula-safe."""
    if columns is not None:
        df = df.reindex(columns=columns)
    return escape_frame(df).to_csv(index=False, lineterminator="\n").encode("utf-8")


def rows_to_csv_text(rows, *, lineterminator: str = "\n") -> str:
    """CSV text of rows of cells (lists), formula-safe; None becomes an empty cell."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator=lineterminator)
    for r in rows:
        w.writerow(["" if c is None or (isinstance(c, float) and math.isnan(c)) else escape(c) for c in r])
    return buf.getvalue()


def dicts_to_csv_text(records: list[dict], fields: list[str]) -> str:
    """CSV text of records (a header of ``fields``, missing fields empty), formula-safe."""
    return rows_to_csv_text([fields] + [[r.get(k, "") for k in fields] for r in records])


def xlsx_neutralise(ws) -> None:
    """Store every formula-looking text of a worksheet as text (never evaluated, read back as written)."""
    for row in ws.iter_rows():
        for c in row:
            if c.data_type == "f" and isinstance(c.value, str) and _risky(c.value):
                c.data_type = "s"


def read_csv_text(text: str) -> list[list[str]]:
    """Rows of a CSV written by this module, with the escaping undone."""
    return [[unescape(c) for c in r] for r in csv.reader(io.StringIO(text))]

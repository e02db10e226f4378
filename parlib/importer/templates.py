"""Import templates (XLSX or CSV) of an index-year: one row per province, one column per measure."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd

from parlib.data.files import atomic_write
from parlib.data.indices import INDICES, index_name, measures, period_of
from parlib.data.loading import load_component_maxima
from parlib.data.registry import provinces, unit_set_for_year
from parlib.data.safe_csv import rows_to_csv_text, xlsx_neutralise
from parlib.importer.cells import SOURCE_HINTS, TEMPLATE_LEVELS, _letter, _num_text


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
        raise ValueError(
            f"{index_name(index_code)} has no methodology period for {year} (its results start in {first})"
        ) from None
    if measures(index_code, year).empty:
        last = measures(index_code).last_year.max()
        raise ValueError(
            f"parlib has no measure definitions for {index_name(index_code)} {year} "
            f"(data/meta/measures.csv covers it up to {last}); add them before importing"
        )


# --- template ---------------------------------------------------------------------------------
def _template_grid(index_code: str, year: int) -> tuple[list[list], dict]:
    """The template as rows of cells, and where its parts are (for styling the XLSX)."""
    per = period_of(index_code, year)
    unit_set = unit_set_for_year(year)
    units = provinces(unit_set)
    meta = template_measures(index_code, year)
    unknown_max = meta[(meta.level != "total") & meta.scale_max.isna() & (meta.unit == "points")]
    title = (
        f"# parlib import template: {index_name(index_code)} {year}, {per['label_en']}; "
        f"{len(units)} units ({unit_set}). Mẫu nhập số liệu {index_name(index_code, 'vi')} năm {year}."
    )
    howto = (
        "# Fill one row per province with the figures as published (decimal comma or point both work; "
        "ranks as whole numbers). Leave a cell empty when the table has no figure (never 0). "
        "Fill the source block. Then run: parlib data import THIS_FILE "
        f"--index {index_code} --year {year}"
    )
    rows: list[list] = [[title], [howto]]
    rows += [
        ["index", index_code, "Chỉ số / index (do not change)"],
        ["year", year, "Năm kết quả / result year (do not change)"],
    ]
    rows += [[k, "", hint] for k, hint in SOURCE_HINTS.items()]
    if len(unknown_max):
        rows.append(
            [
                "# The maximum points of the component areas are not known to parlib for this year: "
                "write them in the 'maximum' row (from the Ministry's table), or leave the row empty if "
                "you enter points. If the table gives achievement rates in %, write 'percent' in the "
                "'unit' row of those columns and fill the 'maximum' row."
            ]
        )
    rows.append([])
    header, names_vi, names_en, unit_row, max_row = (
        ["province_code", "province"],
        ["name_vi", "Tên chỉ số →"],
        ["name_en", "Measure name →"],
        ["unit", ""],
        ["maximum", ""],
    )
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
    atomic_write(path, data)
    return path


def _template_csv(rows: list[list]) -> bytes:
    return rows_to_csv_text(rows, lineterminator="\r\n").encode(
        "utf-8-sig"
    )  # the BOM makes Excel read Vietnamese correctly


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
            c.comment = Comment("Maximum points of this area in the Ministry's table (not known to parlib).", "parlib")
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
    for sheet in wb.worksheets:
        xlsx_neutralise(sheet)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _measures_sheet(ws, index_code: str, year: int) -> None:
    """Reference sheet: every measure with names, unit, scale and the maxima published in sources."""
    maxima = load_component_maxima()
    maxima = maxima[(maxima.index_code == index_code) & (maxima.year == year)].set_index("measure")
    ws.append(
        [
            "code",
            "level",
            "name_vi",
            "name_en",
            "unit",
            "scale_min",
            "scale_max",
            "maximum printed by a source (for reference)",
            "that source",
        ]
    )
    for m in template_measures(index_code, year).itertuples():
        pub = maxima.loc[m.measure] if m.measure in maxima.index else None
        ws.append(
            [
                m.measure,
                m.level,
                m.name_vi,
                m.name_en,
                m.unit,
                None if pd.isna(m.scale_min) else m.scale_min,
                None if pd.isna(m.scale_max) else m.scale_max,
                None if pub is None else float(pub.scale_max),
                "" if pub is None else pub.source_id,
            ]
        )


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

"""The checks of one validation: metadata, columns, units and maxima, provinces, figures, sums, ranks."""

from __future__ import annotations

import pandas as pd

from parlib._text import match_key, nfc
from parlib.data.indices import INDICES, index_facts, index_name, measures, period_of
from parlib.data.loading import Problem
from parlib.data.registry import UnknownProvinceError, province, provinces, unit_set_for_year
from parlib.importer.cells import (
    SUM_TOLERANCE,
    VALUE_TOLERANCE,
    _cell_text,
    _key,
    _num_text,
    _or,
    _unit_label,
    _value_text,
    parse_number,
    parse_rank,
)
from parlib.importer.reading import Column, ImportedTable, _Names


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
        self.problems.append(
            Problem(
                self.table.file,
                line,
                column,
                found,
                expected,
                fix,
                sheet=self.table.sheet,
                suggestion=suggestion,
                severity=severity,
            )
        )

    def label(self) -> str:
        return f"{index_name(self.index_code)} {self.year}"


def _check_meta(ctx: _Context) -> None:
    meta = ctx.table.meta
    if meta.get("index"):
        found = meta["index"]
        k = _key(found)
        match = next((i for i in INDICES if k == i.lower() or k in index_facts(i).header_aliases), None)
        if match != ctx.index_code:
            ctx.error(
                None,
                "index",
                repr(found),
                f"{ctx.index_code} (the import was asked for --index {ctx.index_code})",
                f"import the file with --index {match or found}, or use the template of {ctx.index_code}",
            )
    if meta.get("year"):
        y = parse_number(meta["year"])
        if y.value is None or int(y.value) != ctx.year:
            ctx.error(
                None,
                "year",
                repr(meta["year"]),
                f"{ctx.year} (the import was asked for --year {ctx.year})",
                f"import the file with --year {meta['year']}, or use the template of {ctx.year}",
            )


def _check_columns(ctx: _Context) -> None:
    t = ctx.table
    if not any(c.role in ("measure", "rank", "long_measure") for c in t.columns):
        ctx.error(
            None,
            None,
            "no measure column",
            f"columns named by measure code or name, e.g. {', '.join(list(ctx.meta.index)[:3])}",
            "start from `parlib data template`",
        )
    seen: dict[tuple, Column] = {}
    for c in t.columns:
        if c.role in ("measure", "rank") and c.measure is not None:
            if c.measure not in ctx.meta.index:
                _other_period(ctx, c)
                c.role = "bad"
                continue
            k = (c.role, c.measure)
            if k in seen:
                ctx.error(
                    None,
                    c.where,
                    f"a second column for {c.measure}" + (" rank" if c.role == "rank" else ""),
                    f"one column per measure; the first is {seen[k].where}",
                    "delete one of the two columns",
                )
                c.role = "bad"
            else:
                seen[k] = c
        elif c.role in ("unknown", "empty"):
            has_values = any(_cell_text(v) for r in t.rows for cc, v in r["stray"] if cc is c)
            if not has_values:
                continue
            if c.role == "empty":
                ctx.error(
                    None,
                    c.where,
                    "figures in a column without a header",
                    "a measure code or name in the header of every column with figures",
                    "write the measure code in the header, or delete the column",
                )
            else:
                _unknown_column(ctx, c)


def _other_period(ctx: _Context, c: Column) -> None:
    m = ctx.names.all[ctx.names.all.measure == c.measure].iloc[0]
    ctx.error(
        None,
        c.where,
        f"{c.measure} ({m.name_en}), a measure of {m.first_year}-{m.last_year}",
        f"a measure of {ctx.label()} ({period_of(ctx.index_code, ctx.year)['label_en']}): {', '.join(ctx.meta.index)}",
        "use the template of this year, or move the figures to the right column",
    )


def _unknown_column(ctx: _Context, c: Column) -> None:
    other = ctx.names.others.get(c.label.strip().upper()) or ctx.names.others.get(_key(c.label))
    if other:
        ctx.error(
            None,
            c.where,
            f"{c.label!r}, a measure of {other}",
            f"a measure of {ctx.index_code}: {', '.join(ctx.meta.index)}",
            f"import this file with --index {other}, or remove the column",
        )
        return
    close = ctx.names.suggest(c.label)
    ctx.error(
        None,
        c.where,
        f"an unknown column {c.label!r}",
        f"a measure code or name of {ctx.label()}: {', '.join(ctx.meta.index)}",
        "rename the header to a measure code (see the template), or delete the column",
        suggestion=f"Did you mean {_or(close)}?" if close else None,
    )


def _check_units_and_maxima(ctx: _Context) -> None:
    for m, cell in ctx.table.units.items():
        k = _key(_cell_text(cell["raw"]))
        if m not in ctx.meta.index:
            continue
        unit = (
            "percent"
            if k in ("percent", "", "tyle", "phantram") or "%" in _cell_text(cell["raw"])
            else "points"
            if k in ("points", "point", "diem", "pts")
            else None
        )
        if k == "rank":
            continue
        if unit is None:
            ctx.error(
                cell["line"],
                cell["col"].where,
                repr(cell["raw"]),
                "'points' or 'percent' (achievement rate)",
                "write points, or percent if the column holds achievement rates in %",
            )
            continue
        ctx.col_unit[m] = unit
    for m, cell in ctx.table.maxima.items():
        if m not in ctx.meta.index:
            continue
        p = parse_number(cell["raw"])
        if not p.ok or p.value is None or p.value <= 0:
            ctx.error(
                cell["line"],
                cell["col"].where,
                repr(cell["raw"]),
                "the maximum points, a number above 0",
                "write the maximum of this area as printed in the Ministry's table",
            )
            continue
        known = ctx.meta.loc[m, "scale_max"]
        if pd.notna(known) and abs(known - p.value) > VALUE_TOLERANCE:
            ctx.error(
                cell["line"],
                cell["col"].where,
                _num_text(p.value),
                f"{_num_text(known)}, the maximum of {m} under {period_of(ctx.index_code, ctx.year)['decision']}",
                f"write {_num_text(known)} or leave the cell empty",
            )
            continue
        if pd.isna(known):
            ctx.maxima[m] = p.value
    _check_maxima_total(ctx)


def _check_maxima_total(ctx: _Context) -> None:
    comps = [m for m in ctx.maxima if ctx.meta.loc[m, "level"] == "component"]
    facts = index_facts(ctx.index_code)
    need = facts.n_components if facts.additive else None
    top = ctx.meta.scale_max.get("TOTAL")  # the total's maximum of the year (data/meta/measures.csv)
    if need and len(comps) == need and pd.notna(top):
        total = sum(ctx.maxima[m] for m in comps)
        if abs(total - top) > SUM_TOLERANCE:
            first = ctx.table.maxima[comps[0]]
            ctx.error(
                first["line"],
                None,
                f"component maxima adding up to {_num_text(round(total, 4))}",
                f"maxima adding up to {_num_text(top)} (the {index_name(ctx.index_code)} is out of "
                f"{_num_text(top)} points)",
                "check each maximum against the Ministry's table",
            )


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
            ctx.error(
                r["line"],
                (name_col or code_col).where,
                f"a second row for {p.name_vi} ({p.code})",
                f"one row per province; the first is on {_row_word(ctx)} {first_line[p.code]}",
                "delete one of the two rows, or correct the province name",
            )
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
        ctx.error(
            r["line"],
            code_col.where,
            f"code {r['code']!r} ({a.name_vi}) next to the name {r['name']!r} ({b.name_vi})",
            "a code and a name of the same province",
            f"correct the code or the name (see {_provinces_cmd(ctx)})",
        )
        return None
    return found.get("province_code") or found.get("province")


def _resolve_one(ctx: _Context, text: str, col: Column, line: int):
    try:
        p = province(text, year=ctx.year)
    except UnknownProvinceError as e:
        ctx.error(
            line,
            col.where,
            repr(text),
            f"a province of the {ctx.n_units} ({ctx.unit_set}, {ctx.year})",
            f"correct the spelling, or write the code (see {_provinces_cmd(ctx)})",
            suggestion=f"Did you mean {_or(e.suggestions)}?" if e.suggestions else None,
        )
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
        ctx.error(
            line,
            col.where,
            f"{text!r}, a province of the 63 (before July 2025), merged into {p.name_vi}",
            f"one of the 34 units: {ctx.label()} results are for the units formed on 1 July 2025",
            f"use the table published for the 34 units; {old.name_vi}'s figures cannot be imported for {ctx.year}",
        )
    else:
        kind = "34 units (from July 2025)" if p.unit_set == "VN34" else "former provinces (dissolved before 2025)"
        ctx.error(
            line,
            col.where,
            f"{text!r}, one of the {kind}",
            f"one of the 63 provinces of {ctx.year}",
            "use the pre-2025 province name or its 2-digit GSO code (see `parlib provinces`)",
        )


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
            figures = [
                (cols[pos], cols[pos].measure, "value" if cols[pos].role == "measure" else "rank", raw)
                for pos, raw in r["values"].items()
                if cols[pos].role in ("measure", "rank")
            ]
        for col, measure, fld, raw in figures:
            if p is None:
                continue
            if (p.code, measure, fld) in seen:
                ctx.error(
                    r["line"],
                    col.where,
                    f"a second {fld} of {measure} for {p.name_vi}",
                    f"one per province and measure; the first is on {_row_word(ctx)} {seen[(p.code, measure, fld)]}",
                    "delete one of the two rows",
                )
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
        ctx.error(
            lines[0],
            where,
            f"{len(cells)} achievement rate(s) in % ({span}, e.g. {_num_text(cells[0][1])}%) "
            f"and no maximum for {measure}",
            f"points, or the maximum points of {measure} in the 'maximum' row to convert the rates",
            "write the maximum of this area in the 'maximum' row (from the Ministry's table), or enter points",
        )


def _long_figures(ctx: _Context, r: dict, cols: dict) -> list:
    out = []
    mcol = cols["long_measure"]
    text = _cell_text(r["values"].get(mcol.pos))
    for role in ("index", "year"):
        c = cols.get(role)
        v = _cell_text(r["values"].get(c.pos)) if c else ""
        want = ctx.index_code if role == "index" else str(ctx.year)
        if v and (_key(v) != _key(want)):
            ctx.error(
                r["line"],
                c.where,
                repr(v),
                f"{want} (the import was asked for --{role} {want})",
                f"import {role} {v} separately with --{role} {v}, or delete the row",
            )
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
            ctx.error(
                r["line"],
                mcol.where,
                f"{text!r}, a measure of {m.first_year}-{m.last_year}",
                f"a measure of {ctx.label()}: {', '.join(ctx.meta.index)}",
                "use this year's measures",
            )
        else:
            close = ctx.names.suggest(text)
            ctx.error(
                r["line"],
                mcol.where,
                f"an unknown measure {text!r}",
                f"a measure code or name of {ctx.label()}: {', '.join(ctx.meta.index)}",
                "use a measure code of the template",
                suggestion=f"Did you mean {_or(close)}?" if close else None,
            )
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
        ctx.error(
            line,
            col.where,
            repr(raw),
            "a number (86,98 or 86.98), or an empty cell",
            "write the figure without words or units; leave the cell empty when there is none",
        )
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
            ctx.error(
                line,
                col.where,
                f"{_num_text(p.value)}%",
                "an achievement rate within 0..100%",
                "check the figure against the table",
            )
            return None
        value, note = round(p.value * top / 100, 6), f"entered as {_num_text(p.value)}% of {_num_text(top)} points"
    if m.unit not in ("points", "percent"):
        return {"field": "value", "value": value, "note": note}  # indicators: scales as printed, not checked
    lo = 0.0 if pd.isna(m.scale_min) else float(m.scale_min)
    hi = ctx.maxima.get(measure, m.scale_max)
    if value < lo - 1e-9 or (pd.notna(hi) and value > hi + 1e-9):
        what = "its maximum in the 'maximum' row" if measure in ctx.maxima else _unit_label(m.unit)
        ctx.error(
            line,
            col.where,
            _value_text(value),
            f"{_num_text(lo)}..{_num_text(hi) if pd.notna(hi) else '∞'} for {measure} ({what})",
            "check the figure against the table; a missing figure is an empty cell, not 0",
        )
        return None
    return {"field": "value", "value": value, "note": note}


def _parse_rank_cell(ctx: _Context, line: int, col: Column, measure: str, raw) -> dict | None:
    rank, n, ok = parse_rank(raw)
    if not ok:
        ctx.error(
            line,
            col.where,
            repr(raw),
            "a whole-number rank such as 12 or 12/63, or an empty cell",
            "write the rank as published; leave it empty when there is none",
        )
        return None
    if rank is None:
        return None
    if n is not None and n != ctx.n_units:
        ctx.error(
            line,
            col.where,
            repr(raw),
            f"a rank out of {ctx.n_units} ({ctx.unit_set}, {ctx.year})",
            f"ranks of {ctx.year} are out of {ctx.n_units}: check the year and the table",
        )
        return None
    if not 1 <= rank <= ctx.n_units:
        ctx.error(line, col.where, str(rank), f"a rank within 1..{ctx.n_units}", "check the rank against the table")
        return None
    return {"field": "rank", "rank": rank}


def _figures(ctx: _Context, fld: str) -> pd.DataFrame:
    """The resolved values (``fld="value"``) or ranks (``"rank"``) as a table."""
    cols = ["code", "name", "line", "col", "measure", fld]
    return pd.DataFrame([{k: c.get(k) for k in cols} for c in ctx.cells if c["field"] == fld], columns=cols)


def _check_sums(ctx: _Context) -> None:
    """Components of an additive index add up to its total (when the row has all of them)."""
    facts = index_facts(ctx.index_code)
    if not facts.additive:
        return
    v = _figures(ctx, "value")
    if v.empty:
        return
    comps = set(ctx.meta.index[ctx.meta.level == "component"])
    need = facts.n_components or len(comps)
    for _, g in v.groupby("code", sort=False):
        parts = g[g.measure.isin(comps)]
        total = g[g.measure == "TOTAL"]
        if len(parts) != need or total.empty:
            continue
        s, tv = float(parts.value.sum()), float(total.value.iloc[0])
        if abs(s - tv) > SUM_TOLERANCE:
            ctx.error(
                int(total.line.iloc[0]),
                total.col.iloc[0].where,
                f"components adding up to {s:.2f} for {total.name.iloc[0]}, total {tv:.2f}",
                f"the {need} components adding up to the total (±{SUM_TOLERANCE})",
                "check the components and the total against the table; components must be in points",
            )


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
                ctx.error(
                    row.line,
                    row.col.where,
                    f"rank {row.rank} for {row.name} ({measure} {_num_text(s)})",
                    f"{expected}: {lo - 1} province(s) in the file have a higher {measure}",
                    "check the rank and the score against the table",
                )


def _check_unit_set(ctx: _Context) -> None:
    """A 2022 file listing only the 34 post-merger units (or a 2025 file with the 63) is the wrong table."""
    codes = set(ctx.row_province)
    if ctx.unit_set != "VN63" or not codes:
        return
    names = list(ctx.row_province.values())
    if 30 <= len(names) <= 34 and all(p.successor and _is_namesake(p, p.successor) for p in names):
        ctx.error(
            None,
            None,
            f"{len(names)} rows, all named like the 34 units formed on 1 July 2025",
            f"the 63 provinces of {ctx.year}",
            f"import this table with the year it was published for "
            f"(2025 or later), or use the {ctx.year} table of the 63 provinces",
        )


def _check_missing(ctx: _Context) -> None:
    have = {c["code"] for c in ctx.cells}
    if not have:
        return
    gone = ctx.units[~ctx.units.code.isin(have)]
    if len(gone):
        listing = ", ".join(f"{u.name_vi} ({u.code})" for u in gone.itertuples())
        ctx.error(
            None,
            None,
            f"figures for {len(have)} of the {ctx.n_units} units; none for {len(gone)}: {listing}",
            f"all {ctx.n_units} units of {ctx.year} ({ctx.unit_set})",
            "nothing to do if the table has no figure for them; otherwise add their rows",
            severity="warning",
        )

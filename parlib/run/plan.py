"""The improvement plan annex as an editable spreadsheet, written next to a report.

The rows are :func:`parlib.present.tables.plan_table` (one per priority of the profile); the file
is formatted for editing (wrapped text, column widths, frozen header, empty lead-agency and
deadline cells for the province) and formula-safe (``parlib.data.safe_csv``).
"""

from __future__ import annotations

import io
from pathlib import Path

from parlib.data.files import atomic_write
from parlib.data.safe_csv import xlsx_neutralise
from parlib.present.catalogue import PLAN
from parlib.present.tables import plan_table

WIDTHS = (8, 38, 40, 36, 40, 26, 26, 18)


def plan_xlsx(profile, lang: str) -> bytes:
    """The plan workbook as bytes: a title row, the header, one row per priority."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    w = PLAN[lang]
    df = plan_table(profile, lang)
    wb = Workbook()
    ws = wb.active
    ws.title = w["sheet"]
    ws.append([w["title"].format(province=profile.province.name(lang), year=profile.year)])
    ws["A1"].font = Font(bold=True, size=12)
    ws.append(list(df.columns))
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
    for row in df.itertuples(index=False):
        ws.append(list(row))
    for i, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[chr(64 + i)].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = "A3"
    xlsx_neutralise(ws)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_plan(profile, lang: str, path: Path) -> Path:
    """Write the plan workbook atomically (``<slug>.plan.xlsx`` next to the report)."""
    return atomic_write(path, plan_xlsx(profile, lang))


def plan_outputs(params: dict) -> dict[str, bytes]:
    """The plan of a province report (its validated parameters): ``{"<slug>.plan.xlsx": bytes}``, the
    annex written with the report's HTML (:func:`parlib.run.render.run_notebook`)."""
    from parlib.data.dataset import load
    from parlib.engine.model import model_for
    from parlib.engine.profile import assess

    year, base = int(params["year"]), params.get("base_year") or None
    model = model_for(load(params.get("data_dir") or None), year, base)
    profile = assess(params["province"], year, base_year=base, indices=params.get("indices") or None, model=model)
    return {f"{params['_slug']}.plan.xlsx": plan_xlsx(profile, params["lang"])}


def write_plan_for(params: dict, out_dir: Path) -> Path:
    """The plan of a rendered province report (its validated parameters), next to its HTML."""
    ((name, data),) = plan_outputs(params).items()
    return atomic_write(Path(out_dir) / name, data)


def plan_annex(kernel, params: dict, out_dir: Path, facts: dict | None = None) -> dict[str, bytes]:
    """The plan annex of a province report: made in ``kernel`` (a warm kernel that has just run the
    report) from the report's own profile, or by this process (:func:`plan_outputs`) when there is no
    such kernel or it cannot (a notebook of that name without ``report``). ``facts``: filled with the
    report's data hash and headline when the kernel made them (:func:`parlib.run.kernel_side.report_annex`)."""
    if kernel is not None:
        try:
            return plan_from_kernel(kernel, params, out_dir, facts)
        except RuntimeError:
            pass
    return plan_outputs(params)


def plan_from_kernel(kernel, params: dict, out_dir: Path, facts: dict | None = None) -> dict[str, bytes]:
    """The plan annex of a province report just run in ``kernel`` (a :class:`parlib.run.warm.WarmKernel`),
    made there from the report's own profile (the notebook's ``report``): the profile is not assessed
    a second time in this process. ``{"<slug>.plan.xlsx": bytes}``, like :func:`plan_outputs`; with
    ``facts`` (a dict), the kernel's facts of the report are added to it in the same call."""
    import json
    import os
    import tempfile

    made = []
    for suffix in (".plan.xlsx", ".facts.json") if facts is not None else (".plan.xlsx",):
        fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=f".{params['_slug']}.", suffix=suffix)
        os.close(fd)
        made.append(tmp)
    try:
        kernel.call(
            "__import__('parlib.run.kernel_side', fromlist=['report_annex']).report_annex(report, %s)"
            % ", ".join(repr(m) for m in made)
        )
        if facts is not None:
            facts.update(json.loads(Path(made[1]).read_text(encoding="utf-8")))
        return {f"{params['_slug']}.plan.xlsx": Path(made[0]).read_bytes()}
    finally:
        for m in made:
            Path(m).unlink(missing_ok=True)

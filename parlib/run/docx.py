"""The brief as an editable Word document (python-docx): the same blocks as the brief's HTML
(:class:`parlib.present.brief.ProvinceBrief`), with headings in Word's heading styles, real Word
tables, the chart as a PNG with its alt text, and every cell formula-safe.

Formula safety follows the plan workbook (:mod:`parlib.data.safe_csv`): a table cell whose text a
spreadsheet would run once pasted into it (``=``, ``+``, ``-``, ``@``, tab, carriage return) gets one
leading apostrophe; a number as printed in either language ("+1,39", "−0.5", "12/63") is left alone.
"""

from __future__ import annotations

import io
import re

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from parlib._words import text as catalogue_text
from parlib.data.safe_csv import escape
from parlib.present.brief import Block, ProvinceBrief, plain

#: A number as parlib prints it (either language): sign, digits with "." or "," groups, optional "%".
_PRINTED_NUMBER = re.compile(r"[+\-−±]?\d+([.,]\d+)*%?")

#: Text width of an A4 page with 2 cm margins, and the chart's width on it.
CHART_WIDTH = Cm(15)


def safe_cell(text: str) -> str:
    """A table cell's text, formula-safe (see the module docstring)."""
    text = str(text)
    return text if _PRINTED_NUMBER.fullmatch(text) else escape(text)


def _strip_citations(md: str) -> str:
    """Narrative text for Word: plain, its citations kept as printed ("[source: id]")."""
    return plain(md).replace("\\", "")


def _picture(doc, fig, alt: str) -> None:
    from parlib.present.charts import to_png

    doc.add_picture(io.BytesIO(to_png(fig)), width=CHART_WIDTH)
    inline = doc.inline_shapes[-1]._inline
    inline.docPr.set("descr", alt)  # Word's "Alt Text"
    inline.docPr.set("title", alt[:250])


def _table(doc, df) -> None:
    t = doc.add_table(rows=1, cols=len(df.columns))
    t.style = "Table Grid"
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, name in zip(t.rows[0].cells, df.columns):
        cell.text = safe_cell(name)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    tr = t.rows[0]._tr  # the header row repeats on every page
    pr = tr.get_or_add_trPr()
    el = pr.makeelement(qn("w:tblHeader"), {})
    pr.append(el)
    for row in df.itertuples(index=False):
        cells = t.add_row().cells
        for cell, v in zip(cells, row):
            cell.text = safe_cell("—" if v is None else v)
    note = df.attrs.get("note")
    if note:
        p = doc.add_paragraph(note)
        p.runs[0].italic = True


def add_blocks(doc, blocks: list[Block]) -> None:
    """Append the brief's blocks to a python-docx Document."""
    for b in blocks:
        if b.kind == "heading":
            doc.add_heading(b.text, level=min(b.level, 3))  # Heading 1–3
        elif b.kind == "text":
            doc.add_paragraph(_strip_citations(b.text))
        elif b.kind == "list":
            for item in b.items:
                doc.add_paragraph(_strip_citations(item), style="List Bullet")
        elif b.kind == "table":
            _table(doc, b.table)
        elif b.kind == "figure":
            alt = getattr(b.figure, "parlib_alt", "") or ""
            _picture(doc, b.figure, alt)
            if alt:
                cap = doc.add_paragraph(alt)
                cap.runs[0].italic = True
        elif b.kind in ("note", "link"):
            p = doc.add_paragraph(b.text)
            p.runs[0].italic = b.kind == "note"


def brief_docx(brief: ProvinceBrief) -> bytes:
    """The brief as .docx bytes (A4, 2 cm margins, the document's language set for spelling)."""
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(sec, side, Cm(2))
    style = doc.styles["Normal"]
    style.font.name = "Times New Roman"  # the font of Vietnamese administrative documents
    style.font.size = Pt(11)
    rpr = style.element.get_or_add_rPr()
    lang = rpr.makeelement(qn("w:lang"), {qn("w:val"): catalogue_text("meta.language_tag", brief.lang)})
    rpr.append(lang)
    doc.core_properties.title = brief.params["_brief_title"]
    doc.core_properties.language = catalogue_text("meta.language_tag", brief.lang)
    add_blocks(doc, brief.blocks())
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()

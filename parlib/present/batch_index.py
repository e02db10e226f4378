"""The index page of a batch, ``reports/<year>/index.html``: every report linked with its status and
its headline per index (score, rank/N, rank change), failures with their error; a column click sorts.

The page is bilingual (Vietnamese first, English after a slash) and its words come from the
catalogue (:func:`parlib.present.catalogue.word`). The runner (:mod:`parlib.run.batch_manifest`)
gives the records and the profiles; this module only formats.
"""

from __future__ import annotations

import html
from pathlib import Path

from parlib.present.catalogue import word

INDEX_CSS = """
body{font-family:DejaVu Sans,Arial,sans-serif;max-width:70rem;margin:0 auto;padding:1rem;line-height:1.4}
table{border-collapse:collapse;width:100%;font-size:.9rem;display:block;overflow-x:auto}
th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{cursor:pointer;background:#f4f4f4;position:sticky;top:0}
.failed,.timeout,.cancelled{color:#b00020;font-weight:bold}.ok{color:#1b7f3b}
pre{white-space:pre-wrap;font-size:.8rem;background:#fafafa;padding:.5rem;max-width:60rem}
"""
INDEX_JS = """
document.querySelectorAll('th').forEach(function(th, i){th.addEventListener('click', function(){
 var tb=th.closest('table').tBodies[0], rows=Array.from(tb.rows), asc=th.dataset.asc!=='1';
 rows.sort(function(a,b){var x=a.cells[i].dataset.sort||a.cells[i].innerText, y=b.cells[i].dataset.sort||b.cells[i].innerText;
  var nx=parseFloat(x), ny=parseFloat(y); var c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y,'vi');
  return asc?c:-c;}); th.dataset.asc=asc?'1':'0'; rows.forEach(function(r){tb.appendChild(r);});});});
"""


def headline(profile) -> dict:
    """One province's row of headlines: its Vietnamese name, and per index its score, rank/N and rank
    change (a 34-unit province without its own result: the baseline year it is shown against)."""
    from parlib.present import fmt
    from parlib.present.catalogue import BASELINE

    cells = {}
    for r in profile.indices:
        score = fmt.score(r.value, r.index_code) if r.value is not None else "—"
        rank = fmt.rank_of(r.rank, r.n_ranked, "vi") if r.rank is not None else "—"
        change = "" if r.rank_change is None else ("=" if r.rank_change == 0 else f"{r.rank_change:+d}")
        cells[r.index_code] = {
            "score": score,
            "rank": rank,
            "rank_change": change,
            "sort": r.rank if r.rank is not None else 999,
        }
    for b in profile.baseline:  # a 34-unit province without its own result: its report has the baseline
        cells.setdefault(
            b.index_code,
            {
                "score": "—",
                "rank": BASELINE["vi"]["index_baseline"].format(year=b.year),
                "rank_change": "",
                "sort": 999,
            },
        )
    return {"name": profile.province.name_vi, **cells}


def _both(key: str, *, en_first: bool = False, **fields) -> str:
    """A phrase in both languages, "vi / en" (or "en / vi")."""
    vi, en = word(key, "vi", **fields), word(key, "en", **fields)
    return f"{en} / {vi}" if en_first else f"{vi} / {en}"


def index_page(
    records: dict[str, dict], year: int, heads: dict, *, statuses: tuple[str, ...], indices: list[str]
) -> str:
    """The page's HTML: ``records`` by key (the manifest's), ``heads`` by province code
    (:func:`headline`; a province missing there is shown by its slug, without figures), a column per
    index of ``indices`` (in that order) that some row has."""
    e = html.escape
    recs = [records[k] for k in sorted(records)]
    cols = [i for i in indices if any(i in heads.get(r["province"], {}) for r in recs)]
    rows = []
    for r in recs:
        h = heads.get(r["province"], {})
        link = (
            f'<a href="{e(r["lang"])}/{e(r["slug"])}.html">{e(h.get("name", r["slug"]))}</a>'
            if r["status"] in ("ok", "skipped")
            else e(h.get("name", r["slug"]))
        )
        if r["status"] in ("ok", "skipped"):  # the brief and its Word document, when rendered
            for field_, label in (
                ("brief", _both("batch_index_brief", en_first=True)),
                ("docx", word("batch_index_word", "en")),
            ):
                if r.get(field_):
                    link += f' · <a href="{e(r["lang"])}/{e(Path(r[field_]).name)}">{e(label)}</a>'
        cells = [f"<td>{link}</td>", f"<td>{e(r['lang'])}</td>", f'<td class="{e(r["status"])}">{e(r["status"])}</td>']
        for i in cols:
            c = h.get(i)
            cells.append(
                f'<td data-sort="{c["sort"]}">{e(c["score"])}<br>{e(c["rank"])} {e(c["rank_change"])}</td>'
                if c
                else '<td data-sort="999">—</td>'
            )
        err = ""
        if r.get("error"):
            err = (
                f"{e(r['error'])}<details><summary>{e(word('batch_index_traceback', 'en'))}</summary>"
                f"<pre>{e(r.get('traceback', ''))}</pre></details>"
            )
        cells.append(f"<td>{err}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    n = {s: sum(1 for r in recs if r["status"] == s) for s in statuses}
    columns = [
        _both("batch_index_province"),
        word("batch_index_lang", "en"),
        word("batch_index_status", "en"),
        *cols,
        _both("batch_index_error", en_first=True),
    ]
    head = "".join(f"<th>{e(x)}</th>" for x in columns)
    counts = word(
        "batch_index_counts",
        "en",
        ok=n["ok"] + n["skipped"],
        failed=n["failed"],
        timeout=n["timeout"],
        cancelled=n["cancelled"],
    )
    return f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{word("batch_index_title", "en", year=year, n=len(recs))}</title><style>{INDEX_CSS}</style></head>
<body><h1>{_both("batch_index_heading", year=year)}</h1>
<p>{counts}
{word("batch_index_hint", "en")}</p>
<table><thead><tr>{head}</tr></thead><tbody>
{chr(10).join(rows)}
</tbody></table><script>{INDEX_JS}</script></body></html>
"""

"""The batch's index page (parlib.present.batch_index): its words from the catalogue, unchanged since
the page moved out of parlib/run/batch.py. Synthetic records and headlines (not real results)."""

from __future__ import annotations

from parlib.present.batch_index import index_page
from parlib.run.batch_manifest import STATUSES

RECORDS = {  # synthetic
    "en/ha-noi": {"key": "en/ha-noi", "province": "01", "slug": "ha-noi", "lang": "en", "status": "ok",
                  "brief": "/r/2022/en/ha-noi.brief.html", "docx": "/r/2022/en/ha-noi.brief.docx"},
    "vi/ha-noi": {"key": "vi/ha-noi", "province": "01", "slug": "ha-noi", "lang": "vi", "status": "failed",
                  "error": "ValueError: <synthetic> & co", "traceback": "Traceback\n  a < b"},
}  # fmt: skip
HEADS = {
    "01": {"name": "Hà Nội", "PAR": {"score": "90,1", "rank": "3/63", "rank_change": "+2", "sort": 3}}
}  # synthetic


def test_the_index_page_keeps_its_bilingual_words_and_escapes_what_it_shows():
    page = index_page(RECORDS, 2022, HEADS, statuses=STATUSES, indices=["PAR", "PAPI"])
    assert "<title>parlib reports 2022: 2 reports</title>" in page
    assert "<h1>Báo cáo năm 2022 / Reports 2022</h1>" in page
    assert (
        "<p>1 ok, 1 failed, 0 timed out, 0 cancelled.\nScore, rank/N and rank change per index; click a column" in page
    )
    head = "<th>Tỉnh, thành phố / Province</th><th>Lang</th><th>Status</th><th>PAR</th><th>Error / Lỗi</th>"
    assert head in page, "a column per index that some row has, PAPI has none"
    assert '<a href="en/ha-noi.html">Hà Nội</a> · <a href="en/ha-noi.brief.html">brief / tóm tắt</a>' in page
    assert '· <a href="en/ha-noi.brief.docx">Word</a>' in page
    assert '<td data-sort="3">90,1<br>3/63 +2</td>' in page
    assert (
        "ValueError: &lt;synthetic&gt; &amp; co<details><summary>traceback</summary><pre>Traceback\n  a &lt; b" in page
    )
    assert '<a href="vi/ha-noi.html">' not in page, "a failed report is not linked"

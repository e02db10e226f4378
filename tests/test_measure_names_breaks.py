"""Issue 10 items 2 and 4 (data level): PAPI names in both languages, one display name per
measure, and scale breaks detected from the metadata and the scores."""

from __future__ import annotations

import re

import pandas as pd

from parlib.data.indices import crosses_scale_break, display_name, measures, scale_breaks


def _papi_named() -> pd.DataFrame:
    m = measures("PAPI")
    return m[m.level != "indicator"]


# --- item 2: names ------------------------------------------------------------------------------
def test_every_papi_measure_year_has_both_names():
    m = _papi_named()
    for lang in ("vi", "en"):
        empty = m[m["name_" + lang].str.strip() == ""]
        assert empty.empty, f"empty name_{lang}: " + ", ".join(
            f"{r.measure} {r.first_year}" for r in empty.itertuples()
        )
    for y in (2020, 2021, 2024):  # the years the issue found empty
        assert (measures("PAPI", y).query("level == 'component'").name_vi != "").all()


def test_no_stray_marks_or_numbering_in_names():
    m = _papi_named()
    for col in ("name_vi", "name_en", "display_vi", "display_en"):
        assert not m[col].str.contains(r"\*\s*$").any(), col
        assert not m[col].str.match(r"^\s*(Chỉ số nội dung \d|Dimension \d|\d\.\d\s*:)").any(), col
    assert not m.name_en.str.contains("Opportunties|Tittle|Reponsiveness").any()


def test_one_display_name_per_measure_and_content():
    m = measures()
    m = m[m.level != "indicator"]
    n = m.groupby(["index_code", "measure"])[["display_en", "display_vi"]].nunique()
    several = set(n[(n > 1).any(axis=1)].index)
    # Only the PAPI sub-dimension codes reused for other content keep one name per content.
    assert several == {("PAPI", c) for c in ("D2.1", "D2.2", "D2.3", "D3.2", "D3.3")}
    post2018 = m[(m.index_code == "PAPI") & (m.first_year >= 2018)]
    assert (post2018.groupby("measure")[["display_en", "display_vi"]].nunique() == 1).all().all()
    assert (m.display_en != "").all() and (m.display_vi != "").all()


def test_display_names_are_domain_names_of_dimensions():
    assert display_name("PAPI", "D1", "en") == "Participation at Local Levels"
    assert display_name("PAPI", "D1", "vi") == "Tham gia của người dân ở cấp cơ sở"
    assert display_name("PAPI", "D4", "vi") == "Kiểm soát tham nhũng trong khu vực công"
    assert display_name("PAPI", "D5", "vi") == "Thủ tục hành chính công"
    assert display_name("PAPI", "D2.1", "en", year=2015) == "Poverty Lists"
    assert display_name("PAPI", "D2.1", "en") == "Access to Information"
    # English never leaks into a Vietnamese display name of a PAPI dimension.
    for d in range(1, 9):
        vi = display_name("PAPI", f"D{d}", "vi")
        assert vi != display_name("PAPI", f"D{d}", "en") and re.search(
            "[ạảãáàâấầậẩẫăắằặẳẵđêếềệểễôốồộổỗơớờợởỡưứừựửữ]", vi
        )


# --- item 4: scale breaks -----------------------------------------------------------------------
def _row(b, measure, year, kind):
    hit = b[(b.measure == measure) & (b.year == year) & (b.kind == kind)]
    assert len(hit) == 1, (measure, year, kind, b[b.measure == measure])
    return hit.iloc[0]


def test_scale_breaks_on_the_real_metadata():
    b = scale_breaks("PAPI")
    assert list(b.columns) == ["index_code", "measure", "year", "base_year", "kind", "old", "new", "basis", "note"]
    assert (b.base_year == b.year - 1).all()
    r = _row(b, "D3.2", 2021, "scale")
    assert (r.old, r.new) == ("1.00", "0.49")
    r = _row(b, "D6.4", 2021, "scale")
    assert (r.old, r.new) == ("1.49", "1.94")
    r = _row(b, "D8.3", 2020, "scale")  # the issue puts it in 2020-2021: it happens 2019 -> 2020
    assert (r.old, r.new) == ("1.25", "0.41")
    _row(b, "D5.2", 2021, "removed")
    r = _row(b, "D5", 2021, "children")
    assert r.old == "D5.1, D5.2, D5.3, D5.4" and r.new == "D5.1, D5.3, D5.4"
    _row(b, "D3", 2021, "children")  # D3.2 rescaled: Vertical Accountability sums different parts
    r = _row(b, "TOTAL", 2018, "scale")
    assert (r.old, r.new) == ("6-60", "8-80")
    # Years without a change are quiet: nothing for D3.2, D6.4 from 2022 to 2024.
    assert b[(b.measure.isin(["D3.2", "D6.4", "D3", "D6"])) & (b.year >= 2022)].empty


def test_crosses_scale_break():
    assert crosses_scale_break("PAPI", "D3", 2020, 2021)
    assert crosses_scale_break("PAPI", "D3.2", 2019, 2022)
    assert crosses_scale_break("PAPI", "D5", 2021, 2020)  # either order
    assert not crosses_scale_break("PAPI", "D3", 2021, 2023)
    assert not crosses_scale_break("PAPI", "D4", 2020, 2021)
    assert not crosses_scale_break("PAPI", "TOTAL", 2020, 2021)  # dimensions stay on 1-10
    assert crosses_scale_break("PAPI", "TOTAL", 2017, 2018)
    assert crosses_scale_break("PAPI", "D8.3", 2019, 2020)

"""Strengths, weaknesses and priorities by rank and evidence (issue 10, items 7 and 8).

Item 7: a strength is a top-quarter component above the national average, a weakness a
bottom-quarter one below it; a raw gap alone (Hưng Yên 2022 Public Service Delivery −0.01, 34th/63)
is neither, and component gaps are never said to be (in)significant: the data hold no component
standard errors. Item 8: Hưng Yên's published PAR INDEX falls (institutional reform −25,
e-government −20.26 percentage points) are weaknesses and top priorities, labelled as changes.
"""

from __future__ import annotations

import re

import pytest

from parlib.engine.profile import assess
from parlib.present import fmt
from parlib.present.narrative import remedies_paragraph, strengths_lines
from parlib.present.tables import remedies_table, whatif_table


@pytest.fixture(scope="module")
def hy():
    return assess("Hưng Yên", 2022)


@pytest.fixture(scope="module")
def hg():
    return assess("Hà Giang", 2019)


def test_hung_yen_within_margin_gap_is_not_a_weakness(hy):
    d6 = next(c for c in hy.index("PAPI").components if c.measure == "D6")
    assert d6.rank == 34 and -0.05 < d6.gap_national < 0  # the −0.01 gap, mid-field
    assert all(w["measure"] != "D6" for w in hy.weaknesses)
    assert all(w["measure"] != "D7" for w in hy.weaknesses)  # 42nd/63: below average, not bottom quarter
    for w in hy.weaknesses:  # every level weakness is in the bottom quarter and below average
        if w["basis"] == "level":
            assert w["rank"] > 0.75 * w["n_ranked"] and w["gap_national"] < 0
    # no significance claim for a component: the data have no component standard error
    assert all(x["gap_outside_moe"] is None for x in hy.strengths + hy.weaknesses)
    for lang in ("en", "vi"):
        text = "\n".join(strengths_lines(hy, lang))
        assert "Public Service Delivery" not in text and "Cung ứng dịch vụ công" not in text
        assert "margin of error cannot be judged" in text if lang == "en" else "chưa đánh giá được" in text


def test_hung_yen_administrative_procedures_is_the_top_strength(hy):
    top = hy.strengths[0]
    assert (top["measure"], top["rank"], top["n_ranked"]) == ("D5", 2, 62)
    assert [s["rank"] / s["n_ranked"] for s in hy.strengths] == sorted(s["rank"] / s["n_ranked"] for s in hy.strengths)
    assert all(s["rank"] <= 0.25 * s["n_ranked"] and s["gap_national"] > 0 for s in hy.strengths)
    assert strengths_lines(hy, "en")[0].startswith("- Strengths: Public Administrative Procedures (PAPI, 2nd/62")
    assert strengths_lines(hy, "vi")[0].startswith("- Điểm mạnh: Thủ tục hành chính công (Chỉ số PAPI, 2/62")


def test_ha_giang_2019_has_no_mid_field_strength(hg):
    d2 = next(c for c in hg.index("PAPI").components if c.measure == "D2")
    assert (d2.rank, d2.n_ranked) == (33, 63) and d2.gap_national > 0
    assert all(s["rank"] <= 0.25 * s["n_ranked"] for s in hg.strengths)
    assert all(s["measure"] != "D2" for s in hg.strengths)
    assert hg.strengths == []  # its best dimension is 18th/63
    assert "no component in parlib's data ranks in the top quarter" in strengths_lines(hg, "en")[0]
    assert {w["measure"] for w in hg.weaknesses} == {"D4", "D8"}  # 59th and 51st of 63


@pytest.mark.parametrize(
    "lang, words",
    [
        (
            "en",
            {
                "INSTITUTIONAL_REFORM": "**Institutional reform** (PAR INDEX): fell 25 percentage points since 2021 "
                "(published change; no level in the data).",
                "E_GOVERNMENT": "**E-government and digital government** (PAR INDEX): fell 20.26 percentage points "
                "since 2021 (published change; no level in the data).",
            },
        ),
        (
            "vi",
            {
                "INSTITUTIONAL_REFORM": "**Cải cách thể chế** (Chỉ số CCHC (PAR INDEX)): giảm 25% so với năm 2021 "
                "(thay đổi đã công bố; chưa có điểm số của lĩnh vực).",
                "E_GOVERNMENT": "**Xây dựng và phát triển Chính quyền điện tử, Chính quyền số** (Chỉ số CCHC (PAR "
                "INDEX)): giảm 20,26% so với năm 2021 (thay đổi đã công bố; chưa có điểm số của lĩnh vực).",
            },
        ),
    ],
)
def test_hung_yen_priorities_include_published_par_falls(hy, lang, words):
    first = hy.remedies[:2]
    assert [(m.measure, m.basis, m.tier) for m in first] == [
        ("INSTITUTIONAL_REFORM", "published_change", 1),
        ("E_GOVERNMENT", "published_change", 1),
    ]
    assert {w["measure"] for w in hy.weaknesses if w["basis"] == "published_change"} >= set(words)
    lines = remedies_paragraph(hy, lang)
    assert lines[:2] == [words["INSTITUTIONAL_REFORM"], words["E_GOVERNMENT"]]
    # PAPI-based priorities are still there, after the weaknesses, with their what-if
    assert any(m.basis == "level" and m.measure == "D7" for m in hy.remedies[:5])
    # the what-if stays where levels exist: none for a published change
    assert not any(w.index_code == "PAR" for w in hy.whatif)
    assert set(whatif_table(hy, lang).iloc[:, 0]) <= {"PAPI", "Chỉ số PAPI"}
    table = remedies_table(hy, lang)
    assert table.iloc[0, 3] == ("published change" if lang == "en" else "thay đổi đã công bố")


def _allowed(obj, out: set[str]) -> set[str]:
    if isinstance(obj, dict):
        for v in obj.values():
            _allowed(v, out)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            _allowed(v, out)
    elif isinstance(obj, bool) or obj is None:
        pass
    elif isinstance(obj, (int, float)):
        for lang in ("en", "vi"):
            for x in (obj, abs(obj)):
                n = fmt.number(x, lang)
                out |= {n, n.rstrip("0").rstrip(".,"), str(int(round(x))) if float(x).is_integer() else n}
    elif isinstance(obj, str):
        out |= set(re.findall(r"\d+(?:[.,]\d+)?", obj))
    return out


@pytest.mark.parametrize(
    "name, year", [("Hưng Yên", 2022), ("Hà Giang", 2019), ("Khánh Hòa", 2022), ("Quảng Bình", 2024), ("Hà Tĩnh", 2021)]
)
@pytest.mark.parametrize("lang", ["en", "vi"])
def test_every_printed_number_is_a_profile_field(name, year, lang):
    p = assess(name, year)
    allowed = _allowed(p.to_dict(), set())
    text = "\n".join(strengths_lines(p, lang) + remedies_paragraph(p, lang, limit=50))
    numbers = re.findall(r"\d+(?:[.,]\d+)*", text)
    assert numbers
    for n in numbers:
        assert n in allowed, f"{n!r} in the {lang} strengths/priorities of {name} {year} is not a profile field"

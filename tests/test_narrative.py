"""Narratives: the Ministry's register in both languages, golden files, and no number that is not
in the profile."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from parlib.engine.profile import assess
from parlib.present import fmt
from parlib.present.narrative import narrate

GOLDEN = Path(__file__).parent / "golden"


@pytest.fixture(scope="module")
def hung_yen():
    return assess("Hưng Yên", 2022)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_golden_narrative(hung_yen, lang):
    text = narrate(hung_yen, lang)
    path = GOLDEN / f"hung-yen-2022.{lang}.md"
    if os.environ.get("PARLIB_UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8"), f"narrative changed; review and refresh {path.name}"


def test_english_register(hung_yen):
    t = narrate(hung_yen, "en")
    assert "PAR INDEX ranked 12th out of 63 provinces and cities, maintaining its position compared with 2021" in t
    assert "SIPAS ranked 6th out of 63 provinces and cities" in t
    assert "ranking 11th out of 61" in t and "down 6 places compared with 2021" in t
    assert "rose 8.12 percentage points" in t and "fell 25 percentage points" in t and "fell 20.26" in t
    assert "score is not in the data" in t


def test_vietnamese_register(hung_yen):
    t = narrate(hung_yen, "vi")
    assert "xếp thứ 12/63 tỉnh, thành phố, giữ nguyên vị trí so với năm 2021" in t
    assert "xếp thứ 6/63 tỉnh, thành phố" in t and "giảm 6 bậc so với năm 2021" in t
    assert "tăng 8,12%" in t and "giảm 25%" in t and "giảm 20,26%" in t
    assert "44,18/80 điểm" in t and "44.18" not in t


def _allowed_numbers(obj, out: set[str]) -> set[str]:
    if isinstance(obj, dict):
        for v in obj.values():
            _allowed_numbers(v, out)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            _allowed_numbers(v, out)
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
    "name, year", [("Hưng Yên", 2022), ("Quảng Ninh", 2021), ("Đà Nẵng", 2016), ("Cà Mau", 2023), ("Hà Nội", 2024)]
)
@pytest.mark.parametrize("lang", ["en", "vi"])
def test_every_number_comes_from_the_profile(name, year, lang):
    p = assess(name, year)
    allowed = _allowed_numbers(p.to_dict(), set()) | {"90", "80", "70"}  # PAR band limits
    body = narrate(p, lang).split("\n## " + ("Sources" if lang == "en" else "Nguồn số liệu"))[0]
    body = re.sub(r"\[(source|nguồn): [^\]]+\]", "", body)
    for n in re.findall(r"\d+(?:[.,]\d+)*", body):
        assert n in allowed, f"{n!r} in the {lang} narrative of {name} {year} is not a figure of the profile"


def test_ordinals():
    assert [fmt.ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "23rd",
        "101st",
        "111th",
        "112th",
    ]

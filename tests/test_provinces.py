"""Registry: every province and its spelling variants resolve; unknown names get suggestions."""

from __future__ import annotations

import pandas as pd
import pytest

from parlib._text import fold
from parlib.data.registry import UnknownProvinceError, province, provinces

REF = provinces("VN63")


def _old_style(name: str) -> str:
    """Write a name with old-style tone placement (Hòa → Hoà), as some sources do."""
    for new, old in [("òa", "oà"), ("óa", "oá"), ("ỏa", "oả"), ("õa", "oã"), ("ọa", "oạ"), ("ùy", "uỳ"), ("úy", "uý")]:
        name = name.replace(new, old)
    return name


VARIANTS = [
    lambda r: r.name_vi,
    lambda r: r.name_vi.upper(),
    lambda r: r.name_ascii,
    lambda r: r.name_ascii.lower(),
    lambda r: r.name_en,
    lambda r: r.slug,
    lambda r: r.code,
    lambda r: fold(r.name_vi).replace(" ", ""),
    lambda r: "Tỉnh " + r.name_vi,
    lambda r: "Thành phố " + r.name_vi,
    lambda r: "TP. " + r.name_vi,
    lambda r: f"  {r.name_vi}\t",
    lambda r: _old_style(r.name_vi),
    lambda r: r.name_vi.replace(" - ", "-"),
]


@pytest.mark.parametrize("code", list(REF.code))
def test_every_province_and_its_variants_resolve(code):
    r = REF.set_index("code").loc[code]
    r = r.to_frame().T.assign(code=code).iloc[0]
    for make in VARIANTS:
        assert province(make(r)).code == code, make(r)


@pytest.mark.parametrize(
    "query, code",
    [
        ("Hanoi", "01"),
        ("HCMC", "79"),
        ("Ho Chi Minh City", "79"),
        ("TP HCM", "79"),
        ("TP. Hồ Chí Minh", "79"),
        ("Thành phố Hồ Chí Minh", "79"),
        ("Khánh Hoà", "56"),
        ("Thanh Hoá", "38"),
        ("Hoà Bình", "17"),
        ("Ba Ria-Vung Tau", "77"),
        ("Bà Rịa–Vũng Tàu", "77"),
        ("BRVT", "77"),
        ("Thua Thien-Hue", "46"),
        ("Huế", "46"),
        ("Bac Can", "06"),
        ("Daklak", "66"),
        ("Kontum", "62"),
        ("33", "33"),
        (33, "33"),
        ("1", "01"),
        ("hung-yen", "33"),
        ("HƯNG YÊN", "33"),
        ("Hà Nội\t", "01"),
    ],
)
def test_known_variants(query, code):
    assert province(query).code == code


def test_34_units_and_successors():
    t = provinces("VN34")
    assert len(t) == 34 and len(REF) == 63
    hy = province("Hưng Yên", unit_set="VN34")
    assert hy.code == "N33" and {p.name_vi for p in hy.predecessors} == {"Hưng Yên", "Thái Bình"}
    assert province("Thái Bình", year=2025).code == "N33"
    assert province("Thái Bình").successor.name_vi == "Hưng Yên"
    assert province("Yên Bái", unit_set="VN34").name_vi == "Lào Cai"
    # every old province has exactly one successor, and the members of the 34 units partition the 63
    members = [m for ms in t.members for m in ms.split("+")]
    assert sorted(members) == sorted(REF.code)
    assert province("N15").name_vi == "Lào Cai"  # 34-unit codes never collide with the old codes


def test_regions_are_the_six_socioeconomic_regions():
    counts = REF.region_code.value_counts().to_dict()
    assert counts == {"NMM": 14, "RRD": 11, "NCC": 14, "CH": 5, "SE": 6, "MD": 13}


@pytest.mark.parametrize(
    "query, expected",
    [("Hung Yem", "Hưng Yên"), ("Quang Nihn", "Quảng Ninh"), ("Ca Mauu", "Cà Mau"), ("Giang", "Hà Giang")],
)
def test_unknown_name_suggests_closest(query, expected):
    with pytest.raises(UnknownProvinceError) as err:
        province(query)
    assert expected in err.value.suggestions
    assert expected in str(err.value)


def test_nonsense_raises_without_crashing():
    with pytest.raises(UnknownProvinceError):
        province("Atlantis")
    with pytest.raises(UnknownProvinceError):
        province("")


def test_codes_are_zero_padded_strings():
    assert all(isinstance(c, str) and len(c) == 2 for c in REF.code)
    assert pd.Series(REF.slug).is_unique

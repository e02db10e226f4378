"""Themes across the indices (issue 13 §1): what each index says about a shared theme, and where
the Ministry's appraisal and people's experience diverge."""

from __future__ import annotations

import pytest

import parlib
from parlib.data.indices import measures, themes
from parlib.present import guidance


def test_every_theme_link_names_a_real_measure_and_gives_its_reason():
    t = themes()
    known = set(zip(measures().index_code, measures().measure))
    assert not t.empty and (t.reason.str.len() > 20).all()
    assert all((i, m) in known for i, m in zip(t.index_code, t.measure))
    assert {
        "admin_procedures",
        "e_government",
        "integrity",
        "transparency",
        "public_service_delivery",
        "organisation_civil_service",
        "institutions",
    } <= set(t.theme)


def test_hung_yen_2022_e_government_diverges():
    p = parlib.assess("Hưng Yên", 2022)
    eg = next(t for t in p.themes if t.theme == "e_government")
    par = next(i for i in eg.items if i.index_code == "PAR")
    papi = next(i for i in eg.items if i.index_code == "PAPI")
    assert par.kind == "published_change" and par.delta == pytest.approx(-20.26)
    assert papi.delta == pytest.approx(0.25, abs=0.005) and papi.rank == 14
    assert eg.reading == "diverge"
    en = next(x for x in guidance.themes_lines(p, "en") if "E-government" in x)
    assert "fell 20.26 percentage points" in en and "rose 0.25 points" in en and "14th" in en
    vi = next(x for x in guidance.themes_lines(p, "vi") if "Chính quyền điện tử" in x)
    assert "giảm 20,26%" in vi and "không thống nhất" in vi


def test_a_theme_says_which_indices_have_nothing():
    p = parlib.assess("Hưng Yên", 2022)
    integrity = next(t for t in p.themes if t.theme == "integrity")
    assert integrity.missing == ["PCI"] and integrity.reading == "insufficient"
    assert integrity.directions == {"PAPI": "down"}


# --- issue 17 kind 5: readings name only the indices present and follow each one's direction ---


def test_hung_yen_2022_sipas_rank_change_is_stated_not_unstated():
    """The headline says SIPAS fell 3 places (6th, 3rd in 2021): the theme lines say the same."""
    p = parlib.assess("Hưng Yên", 2022)
    sipas = p.index("SIPAS")
    for t in (t for t in p.themes if any(i.index_code == "SIPAS" for i in t.items)):
        item = next(i for i in t.items if i.index_code == "SIPAS")
        assert (item.rank_change, item.direction) == (sipas.rank_change, "down") == (-3, "down")
    en = next(x for x in guidance.themes_lines(p, "en") if x.startswith("**Public service delivery"))
    vi = next(x for x in guidance.themes_lines(p, "vi") if x.startswith("**Cung ứng dịch vụ công"))
    assert "SIPAS: no score, 6th/63, down 3 places (vs 2021)" in en and "no change stated" not in en
    assert "Chỉ số SIPAS: chưa có điểm, 6/63, giảm 3 bậc (so với năm 2021)" in vi and "chưa nêu thay đổi" not in vi


def test_hung_yen_2022_organisation_par_parts_move_both_ways_so_mixed_not_diverge():
    """Apparatus reform fell 5.42 pp and civil service reform rose 6.65 pp: the PAR INDEX is mixed in
    this theme, and no business survey (PCI) is named where PCI has no data."""
    p = parlib.assess("Hưng Yên", 2022)
    org = next(t for t in p.themes if t.theme == "organisation_civil_service")
    assert org.directions == {"PAR": "mixed", "PAPI": "down"} and org.reading == "mixed"
    en = next(x for x in guidance.themes_lines(p, "en") if x.startswith("**Organisation"))
    vi = next(x for x in guidance.themes_lines(p, "vi") if x.startswith("**Tổ chức bộ máy"))
    assert en.startswith("**Organisation and civil service** — the changes are mixed (PAR INDEX: mixed")
    assert "firms" not in en and "doanh nghiệp" not in vi and "disagree" not in en
    assert "thay đổi đan xen (Chỉ số CCHC (PAR INDEX): đan xen" in vi


def test_item_and_index_directions_on_small_cases():
    from parlib.engine.improvement import _index_direction, _item_direction, _theme_reading

    assert _item_direction(None, -3, 1, False) == "down"  # a rank number rising is a fall
    assert _item_direction(None, 4, 1, False) == "up"
    assert _item_direction(-0.5, None, -1, False) == "up"  # lower is better
    assert _item_direction(0.2, -5, 1, False) == "mixed"
    assert _item_direction(None, 0, 1, False) == "flat"
    assert _item_direction(None, None, 1, True) == "withheld"
    assert _item_direction(None, None, 1, False) == "unstated"
    assert _index_direction(["up", "down"]) == "mixed" and _index_direction(["up", "flat"]) == "up"
    assert _index_direction(["unstated", "withheld"]) is None
    assert _theme_reading({"PAR": "up"}) == "insufficient"
    assert _theme_reading({"PAR": "up", "PAPI": "down"}) == "diverge"
    assert _theme_reading({"PAR": "mixed", "PAPI": "down"}) == "mixed"
    assert _theme_reading({"PAR": "down", "PAPI": "down"}) == "agree_down"

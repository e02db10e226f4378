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
    assert integrity.missing == ["PCI"] and integrity.reading == "one_index"

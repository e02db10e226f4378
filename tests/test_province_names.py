"""Hostile province names (issue 18, item 1): a name resolves only when it is unambiguous after
normalisation; anything else is refused with suggestions, never guessed.

"Hà" alone and "Ha Νоі" (a Greek Nu, Cyrillic o and i) both resolved to Hà Tĩnh because a trailing
"tinh" was stripped like a prefix and letters outside a-z were dropped.
"""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata

import pytest

from parlib._text import match_key
from parlib.data.registry import UnknownProvinceError, _tables, province

GREEK_CYRILLIC_HA_NOI = "Ha \u039d\u043e\u0456"  # "Ha Νоі": Greek capital Nu, Cyrillic о and і


def _refused(query, **kw) -> UnknownProvinceError:
    with pytest.raises(UnknownProvinceError) as err:
        province(query, **kw)
    e = err.value
    # the suggestion list never offers the very name that was refused
    assert unicodedata.normalize("NFC", str(query)).strip() not in e.suggestions, e.suggestions
    assert "\n" not in str(e)
    return e


def test_ha_alone_is_ambiguous_and_lists_the_provinces_it_begins():
    e = _refused("Hà")
    assert {"Hà Giang", "Hà Nam", "Hà Nội", "Hà Tĩnh"} <= set(e.suggestions), e.suggestions
    for q in ("ha", "HA", "Ha\u0300", "Tỉnh Hà", "Thành phố Hà"):
        assert {"Hà Nội", "Hà Tĩnh"} <= set(_refused(q).suggestions), q


@pytest.mark.parametrize("query", ["Tĩnh", "Hưng Yên tỉnh", "tinh", "Nội tỉnh"])
def test_tinh_is_a_prefix_only(query):
    _refused(query)


def test_look_alike_letters_are_refused_with_a_suggestion_never_guessed():
    e = _refused(GREEK_CYRILLIC_HA_NOI)
    assert e.suggestions == ["Hà Nội"]
    msg = str(e)
    assert "GREEK CAPITAL LETTER NU" in msg and "CYRILLIC SMALL LETTER O" in msg and "Latin" in msg
    for q in ("Hưng Yеn", "Нưng Yên", "Ηà Tĩnh", "Hà T\u0131nh", "Cà Mau\u0430"):  # Cyrillic е, Н; Greek Η; dotless ı
        e = _refused(q)
        assert "Latin" in str(e), q
    assert "Latin" in str(_refused("Ханой"))  # wholly Cyrillic: refused too (names are in Latin letters)


def test_dissolved_ha_tay_after_2008_points_to_ha_noi():
    for year in (2009, 2022, 2025):
        e = _refused("Hà Tây", year=year)
        assert e.suggestions == ["Hà Nội"], (year, e.suggestions)
        assert "merged into Hà Nội" in str(e) and "Hà Tây" in str(e)
    _refused("ha-tay", year=2022)
    # its own years still resolve (PCI 2005-2007), and without a year it is the historical unit
    assert province("Hà Tây", year=2006).code == "28"
    assert province("Hà Tây").name_vi == "Hà Tây"


def test_unknown_name_never_suggests_itself():
    for q, kw in [("Hà Tây", {"year": 2022}), ("Hà Tây", {"unit_set": "VN34"}), ("Hà", {}), ("Ha Noii", {})]:
        _refused(q, **kw)


# --- no regression: every accepted spelling still resolves, to the same unit ---------------------
def _all_names() -> list[tuple[str, str, str]]:
    units, _, aliases = _tables()
    out = []
    for u in units.itertuples():
        for name in {u.code, u.name_vi, u.name_ascii, u.name_en, u.slug}:
            out.append((name, u.unit_set, u.code))
    out += [(a.alias, "VN63", a.code) for a in aliases.itertuples()]
    return out


def test_every_name_and_alias_of_the_63_34_and_former_units_resolves_to_itself():
    units, _, aliases = _tables()
    assert len(units) == 63 + 34 + 1
    for name, unit_set, code in _all_names():
        for variant in (name, name.upper(), name.lower(), unicodedata.normalize("NFD", name), f" {name}\t"):
            assert province(variant, unit_set=unit_set).code == code, (variant, unit_set)
        if unit_set == "VN63" and not name.isdigit():
            for prefix in ("Tỉnh ", "Thành phố ", "TP. ", "TP "):
                assert province(prefix + name).code == code, prefix + name


def test_no_two_units_of_a_set_share_a_match_key():
    seen: dict[tuple[str, str], str] = {}
    for name, unit_set, code in _all_names():
        key = (unit_set, match_key(name))
        assert seen.setdefault(key, code) == code, (name, unit_set, code, seen[key])


@pytest.mark.parametrize(
    "query, code",
    [
        ("Hưng Yên", "33"),
        ("HUNG YEN", "33"),
        ("hung-yen", "33"),
        ("Tỉnh Hưng Yên", "33"),
        ("33", "33"),
        ("HCMC", "79"),
        ("Thừa Thiên-Huế", "46"),
        ("Hà Tĩnh", "42"),
        ("Tỉnh Hà Tĩnh", "42"),
        ("HA TINH", "42"),
        ("ha-tinh", "42"),
        ("Ha Noi", "01"),
        ("Hà Nội", "01"),
        ("Thành phố Hà Nội", "01"),
        ("Ho Chi Minh City", "79"),
        ("Hue city", "46"),
    ],
)
def test_readme_spellings_still_resolve(query, code):
    assert province(query).code == code


# --- the command line -------------------------------------------------------------------------
def _cli(*argv: str, cwd) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "parlib.cli", *argv], capture_output=True, text=True, env=os.environ.copy(), cwd=cwd
    )


@pytest.mark.parametrize(
    "query, needle",
    [("Hà", "Hà Nội"), (GREEK_CYRILLIC_HA_NOI, "Hà Nội"), ("Hà Tây", "merged into Hà Nội")],
)
def test_cli_refuses_with_exit_2_and_one_line(query, needle, tmp_path):
    res = _cli("summary", query, "--year", "2022", cwd=tmp_path)
    assert res.returncode == 2, (res.returncode, res.stdout[:200], res.stderr)
    assert "Traceback" not in res.stderr and res.stdout == ""
    assert len(res.stderr.strip().splitlines()) == 1 and needle in res.stderr, res.stderr


def test_batch_writes_no_report_for_a_refused_name(tmp_path):
    out = tmp_path / "out"
    res = _cli(
        "batch", "--year", "2022", "--province", GREEK_CYRILLIC_HA_NOI, "--out", str(out), "--quiet", cwd=tmp_path
    )
    assert res.returncode == 2 and "Traceback" not in res.stderr, res.stderr
    assert not out.exists() or not any(out.rglob("*.html"))

"""Issue 10 item 10 (data level): zero-width PAPI intervals, source titles, VN34 predecessors."""

from __future__ import annotations

import re

import pandas as pd

from parlib.cli.main import main as cli
from parlib.data.loading import load_sources
from parlib.data.registry import provinces


def test_zero_width_intervals_without_se_are_missing(scores):
    papi = scores[scores.index_code == "PAPI"]
    zero = papi[papi.ci_low.notna() & (papi.ci_low == papi.ci_high)]
    assert zero.empty, zero[["year", "province_code", "measure"]]
    for code in ("94", "95", "96"):  # Sóc Trăng, Bạc Liêu, Cà Mau 2022
        r = papi[(papi.year == 2022) & (papi.province_code == code) & (papi.measure == "TOTAL")].iloc[0]
        assert pd.notna(r.value) and pd.isna(r.ci_low) and pd.isna(r.ci_high) and pd.isna(r.se)
        assert "interval treated as missing" in r.note


def test_no_source_title_is_rebuilt_from_an_address():
    s = load_sources()
    web = s[s.source_id.str.startswith("web-")]
    slug_titles = web[web.apply(lambda r: r.title != "" and r.title.replace(" ", "-").lower() in r.url.lower(), axis=1)]
    assert slug_titles.empty, slug_titles.title.tolist()[:5]
    assert not s.title.str.contains("inde5m0t4w|xep thu 563").any()
    assert (web.url != "").all()  # the address stands where the title is not recorded


def test_vn34_units_list_predecessors_not_nan(capsys):
    t = provinces("VN34")
    assert not t.isna().any().any()
    hy = t[t.name_vi == "Hưng Yên"].iloc[0]
    assert set(hy.predecessors.split(", ")) == {"Hưng Yên", "Thái Bình"}
    assert (t.predecessors != "").all()
    assert cli(["provinces", "--unit-set", "VN34"]) in (0, None)
    out = capsys.readouterr().out
    assert "predecessors" in out and not re.search(r"\bnan\b", out, re.I)
    assert "Tuyên Quang, Hà Giang" in out


def test_years_are_computed_once_and_handed_out_as_a_fresh_list():
    """Dataset.years() is kept per dataset (every report and batch task asks): a caller that changes the
    list it got changes nobody else's, and each index keeps its own years."""
    from parlib.data.dataset import load

    ds = load()
    years = ds.years()
    assert isinstance(years, list) and 2022 in years
    years.append(1900)
    years.remove(2022)
    assert 1900 not in ds.years() and 2022 in ds.years()
    assert ds.years("PCI") != ds.years("SIPAS")  # SIPAS starts in 2017, PCI in 2005
    assert min(ds.years("SIPAS")) > min(ds.years("PCI"))

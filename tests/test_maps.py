"""Bundled boundaries (data/geo) and the matplotlib-only province maps (parlib.present.maps)."""

from __future__ import annotations

import hashlib
import json
import math
import re
import time

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402
from matplotlib.collections import PatchCollection  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import PathPatch  # noqa: E402

from parlib.config import bundled_data_dir  # noqa: E402
from parlib.data.geo import load_boundaries  # noqa: E402
from parlib.present.maps import province_map  # noqa: E402

GEO = bundled_data_dir() / "geo"


def _all_texts(fig: Figure) -> list[str]:
    out = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        out += [t.get_text() for t in ax.texts]
    return out


def _legend_texts(fig: Figure) -> list[str]:
    return [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()]


def _highlight_patches(fig: Figure) -> list[PathPatch]:
    return [p for ax in fig.axes for p in ax.patches if (p.get_gid() or "").startswith("highlight-")]


# --------------------------------------------------------------------------- data files


@pytest.mark.parametrize(
    "unit_set, n, known",
    [
        ("VN63", 63, ["01", "33", "46", "48", "56", "77", "79", "96"]),
        ("VN34", 34, ["N01", "N33", "N15", "N46", "N48", "N56", "N79", "N96"]),
    ],
)
def test_boundaries_load(unit_set, n, known):
    b = load_boundaries(unit_set)
    assert b["unit_set"] == unit_set
    assert len(b["units"]) == n
    for code in known:
        assert code in b["units"], code
    assert b["licence"] == "CC BY-SA 4.0"
    assert "Open Development" in b["attribution"]
    for code, unit in b["units"].items():
        assert unit["name"] and unit["rings"], code
        for ring in unit["rings"]:
            assert len(ring) >= 4 and ring[0] == ring[-1], code
            for lon, lat in ring:
                assert 102.0 <= lon <= 117.5 and 6.5 <= lat <= 23.5, (code, lon, lat)


def test_key_formats_and_names():
    b63 = load_boundaries("VN63")["units"]
    b34 = load_boundaries("VN34")["units"]
    assert all(re.fullmatch(r"\d\d", c) for c in b63)
    assert all(re.fullmatch(r"N\d\d", c) for c in b34)
    assert b63["33"]["name"] == "Hưng Yên"
    assert b63["46"]["name"] == "Thừa Thiên Huế"
    assert b34["N33"]["name"] == "Hưng Yên"
    assert b34["N15"]["name"] == "Lào Cai"
    assert b34["N46"]["name"] == "Huế"
    assert b34["N24"]["name"] == "Bắc Ninh"


def test_cached_and_unit_set_spelling():
    assert load_boundaries("VN63") is load_boundaries("vn63")
    with pytest.raises(ValueError):
        load_boundaries("VN64")


def test_files_are_compact_and_match_provenance():
    prov = (GEO / "PROVENANCE.md").read_text(encoding="utf-8")
    assert "CC BY-SA 4.0" in prov
    for name in ("vn63.json", "vn34.json"):
        path = GEO / name
        assert path.stat().st_size < 1_000_000
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert digest in prov, f"sha256 of {name} not recorded in PROVENANCE.md"
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert "CC BY-SA 4.0" in doc["changes"]


@pytest.mark.parametrize("unit_set, dn, kh", [("VN63", "48", "56"), ("VN34", "N48", "N56")])
def test_archipelago_rings_present(unit_set, dn, kh):
    units = load_boundaries(unit_set)["units"]
    hoang_sa = [r for r in units[dn]["rings"] if min(x for x, _ in r) > 110.0]
    truong_sa = [r for r in units[kh]["rings"] if min(x for x, _ in r) > 111.0 and max(y for _, y in r) < 12.0]
    # the ODV source draws 24 / 306 rings; simplification must not drop them
    assert len(hoang_sa) >= 20
    assert len(truong_sa) >= 300
    # Hoàng Sa around 111-113 E / 15.7-17.2 N; Trường Sa reaches ~117 E and ~7 N
    assert all(15.5 < y < 17.5 for r in hoang_sa for _, y in r)
    assert max(x for r in truong_sa for x, _ in r) > 116.5
    assert min(y for r in truong_sa for _, y in r) < 7.5
    # no other unit has rings out there
    for code, unit in units.items():
        if code not in (dn, kh):
            assert all(min(x for x, _ in r) < 110.0 for r in unit["rings"]), code


def test_con_dao_belongs_to_77():
    units = load_boundaries("VN63")["units"]
    owners = {
        code
        for code, u in units.items()
        for r in u["rings"]
        if all(106.45 < x < 106.75 and 8.55 < y < 8.8 for x, y in r)
    }
    assert owners == {"77"}


# --------------------------------------------------------------------------- rendering


@pytest.mark.parametrize(
    "lang, hs, ts",
    [
        ("en", "Hoàng Sa (Paracel) Islands", "Trường Sa (Spratly) Islands"),
        ("vi", "Quần đảo Hoàng Sa", "Quần đảo Trường Sa"),
    ],
)
@pytest.mark.parametrize("unit_set, code", [("VN63", "33"), ("VN34", "N33")])
def test_province_map_highlight_and_labels(unit_set, code, lang, hs, ts):
    fig = province_map(code, boundaries=load_boundaries(unit_set), lang=lang, title="t")
    assert isinstance(fig, Figure)
    (hl,) = _highlight_patches(fig)
    assert hl.get_gid() == f"highlight-{code}"
    assert hl.get_label() == "Hưng Yên"
    # the highlight outline is the unit's own shape (Hưng Yên: ~106 E, ~20.5-21 N)
    ext = hl.get_path().get_extents()
    assert 105.5 < ext.x0 < ext.x1 < 107.0 and 20.0 < ext.y0 < ext.y1 < 21.2
    texts = _all_texts(fig)
    assert any(hs in t for t in texts), texts
    assert any(ts in t for t in texts), texts
    credit = "Boundaries:" if lang == "en" else "Ranh giới:"
    assert any(t.startswith(credit) and "Open Development Vietnam" in t for t in texts)
    ax = fig.axes[0]
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    assert x0 <= 102.2 and x1 >= 117.0 and y0 <= 7.0 and y1 >= 23.4
    assert ax.get_xticks().size == 0 and ax.get_yticks().size == 0
    assert ax.get_aspect() == pytest.approx(1 / math.cos(math.radians(15.0)), rel=0.05)
    # labels sit in open sea, east of the mainland coast
    for t in ax.texts:
        if t.get_gid() and t.get_gid().startswith("label-"):
            assert t.get_position()[0] > 110.0


def test_all_units_drawn():
    fig = province_map(None, boundaries=load_boundaries("VN34"))
    colls = [c for c in fig.axes[0].collections if isinstance(c, PatchCollection)]
    assert sum(len(c.get_paths()) for c in colls) == 34
    assert not _highlight_patches(fig)


def test_choropleth_missing_shown_as_no_data():
    units = load_boundaries("VN63")["units"]
    values = {code: float(i) for i, code in enumerate(sorted(units)) if code not in {"01", "79"}}
    values["02"] = 0.0
    fig = province_map("01", values, lang="en", boundaries=load_boundaries("VN63"))
    assert "No data" in _legend_texts(fig)
    ax = fig.axes[0]
    (missing,) = [c for c in ax.collections if c.get_gid() == "missing"]
    assert len(missing.get_paths()) == 2
    assert missing.get_hatch()
    (coloured,) = [c for c in ax.collections if c.get_gid() == "units"]
    assert len(coloured.get_paths()) == 61
    assert coloured.get_array() is not None and len(coloured.get_array()) == 61
    # a colourbar axes was added
    assert len(fig.axes) == 2
    # the highlighted unit has no value: outline only, not filled
    (hl,) = _highlight_patches(fig)
    assert hl.get_facecolor()[3] == 0.0


def test_choropleth_nan_is_missing_and_vi_label():
    values = {"33": 1.0, "34": float("nan"), "01": None}
    fig = province_map(None, values, lang="vi", boundaries=load_boundaries("VN63"))
    assert "Không có dữ liệu" in _legend_texts(fig)
    (coloured,) = [c for c in fig.axes[0].collections if c.get_gid() == "units"]
    assert len(coloured.get_paths()) == 1
    fig = province_map(None, values, lang="vi", missing_label="Chưa đánh giá", boundaries=load_boundaries("VN63"))
    assert _legend_texts(fig) == ["Chưa đánh giá"]


def test_full_choropleth_has_no_missing_legend():
    values = {c: 1.0 + i for i, c in enumerate(load_boundaries("VN34")["units"])}
    fig = province_map("N46", values, boundaries=load_boundaries("VN34"))
    assert _legend_texts(fig) == []
    assert not [c for c in fig.axes[0].collections if c.get_gid() == "missing"]


def test_bad_codes_rejected():
    with pytest.raises(KeyError):
        province_map("N33", boundaries=load_boundaries("VN63"))  # a VN34 code on the VN63 map
    with pytest.raises(ValueError):
        province_map(None, {"33": 1.0}, boundaries=load_boundaries("VN34"))
    with pytest.raises(ValueError):
        province_map(None, lang="fr", boundaries=load_boundaries("VN63"))


def test_draw_into_existing_axes():
    fig = Figure()
    ax1, ax2 = fig.subplots(1, 2)
    out = province_map("33", ax=ax1, boundaries=load_boundaries("VN63"))
    province_map("N33", ax=ax2, boundaries=load_boundaries("VN34"))
    assert out is fig
    assert len(_highlight_patches(fig)) == 2


def test_drawing_is_fast():
    load_boundaries("VN63")
    load_boundaries("VN34")
    t0 = time.perf_counter()
    fig = province_map("33", {"33": 1.0, "01": 2.0}, lang="en", boundaries=load_boundaries("VN63"))
    fig.canvas.draw()
    fig2 = province_map("N33", lang="vi", boundaries=load_boundaries("VN34"))
    fig2.canvas.draw()
    assert time.perf_counter() - t0 < 2.0


@pytest.mark.parametrize("unit_set", ["VN63", "VN34"])
def test_savefig_png(tmp_path, unit_set):
    code = "33" if unit_set == "VN63" else "N33"
    fig = province_map(code, {code: 5.0}, lang="vi", boundaries=load_boundaries(unit_set))
    out = tmp_path / f"map_{unit_set}.png"
    fig.savefig(out, dpi=80)
    data = out.read_bytes()
    assert len(data) > 1000 and data[:8] == b"\x89PNG\r\n\x1a\n"

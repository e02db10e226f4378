"""A fifth index added by data alone (issue 19, deliver 1; STYLE practice 18).

In a copy of the data folder, the index ``SYNTH`` is one row of ``meta/indices.csv``, its period
(``meta/periods.csv``), its measures (``meta/measures.csv``), its publisher's field
(``meta/fields.csv``), its source (``sources.csv``) and one scores file (``scores/synth.csv``);
nothing in ``parlib/`` changes. The engine, the headline, the scorecard, the ranking table, a
rendered province report and the rendered overview then show it.

Synthetic data, named as such: "Synthetic index (test fixture)", figures generated from the order
of the province codes, source "SYNTHETIC TEST DATA (not a real publisher)". Never a real figure.

The copy is the bundled data folder of a fresh Python process (``PARLIB_BUNDLED_DIR``): the metadata
is read from the bundled folder, and this process has read the real one already.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from conftest import DATA

NAME_EN = "Synthetic index (test fixture)"
NAME_VI = "Chỉ số giả lập (dữ liệu kiểm thử)"
SOURCE = "synthetic-index-fixture"
CODES = sorted(
    pd.read_csv(DATA / "meta" / "units.csv", dtype=str, keep_default_na=False).query("unit_set == 'VN63'").code
)
HUNG_YEN = "33"


def synthetic_scores() -> pd.DataFrame:
    """Two years, 63 provinces, two additive parts and their total, no ranks (parlib counts them)."""
    rows = []
    for year, shift in ((2021, 0.0), (2022, 0.5)):
        for i, code in enumerate(CODES):
            s1 = round(2.0 + 6.0 * ((i * 37) % 63) / 62, 2)
            s2 = round(3.0 + 5.0 * ((i * 11 + year) % 63) / 62 + shift * (i % 3 - 1), 2)
            for measure, value in (("S1", s1), ("S2", s2), ("TOTAL", round(s1 + s2, 2))):
                rows.append(
                    {
                        "index_code": "SYNTH",
                        "year": year,
                        "province_code": code,
                        "measure": measure,
                        "value": f"{value:.2f}",
                        "source_id": SOURCE,
                        "status": "reported",
                        "note": "SYNTHETIC TEST DATA",
                    }
                )
    return pd.DataFrame(rows)


def _append(path: Path, row: dict) -> None:
    with path.open(encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    assert set(row) <= set(header), set(row) - set(header)
    with path.open("a", encoding="utf-8", newline="") as f:
        csv.DictWriter(f, header, lineterminator="\n").writerow(row)


def add_synthetic_index(dst: Path) -> None:
    """Add the index SYNTH to the data folder ``dst`` by data files only, and reseal its MANIFEST."""
    _append(
        dst / "meta" / "indices.csv",
        {
            "index_code": "SYNTH",
            "name_en": NAME_EN,
            "name_vi": NAME_VI,
            "publisher_en": "the test fixture",
            "publisher_vi": "bộ dữ liệu kiểm thử",
            "unit": "points",
            "states_scale_max": "no",
            "additive": "yes",
            "n_components": "",
            "component_tables": "data",
            "component_word_en": "parts",
            "component_word_vi": "phần",
            "group_scheme": "",
            "drill_down": "no",
            "numbered_components": "no",
            "color": "#555555",
            "header_aliases": "synth|chisogialap",
            "score_files": "scores/synth.csv",
            "note": "SYNTHETIC TEST DATA",
        },
    )
    _append(
        dst / "meta" / "periods.csv",
        {
            "index_code": "SYNTH",
            "period": "SYNTH_2020",
            "first_year": 2020,
            "last_year": 2030,
            "decision": "synthetic test fixture (no decision)",
            "label_en": "Synthetic methodology",
            "label_vi": "Phương pháp giả lập",
            "note": "SYNTHETIC TEST DATA",
        },
    )
    for measure, level, parent, en, vi, top in (
        ("TOTAL", "total", "", NAME_EN, NAME_VI, 20),
        ("S1", "component", "TOTAL", "Synthetic part one", "Phần giả lập một", 10),
        ("S2", "component", "TOTAL", "Synthetic part two", "Phần giả lập hai", 10),
    ):
        _append(
            dst / "meta" / "measures.csv",
            {
                "index_code": "SYNTH",
                "measure": measure,
                "first_year": 2020,
                "last_year": 2030,
                "level": level,
                "parent": parent,
                "name_vi": vi,
                "name_en": en,
                "unit": "points",
                "scale_min": 0,
                "scale_max": top,
                "direction": "higher_is_better",
                "decision": "synthetic test fixture",
                "note": "SYNTHETIC TEST DATA",
                "name_source": "test fixture",
                "display_en": en,
                "display_vi": vi,
            },
        )
    for year in (2021, 2022):
        _append(
            dst / "meta" / "fields.csv",
            {
                "index_code": "SYNTH",
                "year": year,
                "scope": "all",
                "n_units": 63,
                "n_ranked": 63,
                "basis": "scored",
                "source_id": SOURCE,
                "note": "SYNTHETIC TEST DATA",
            },
        )
    _append(
        dst / "sources.csv",
        {
            "source_id": SOURCE,
            "producer": "SYNTHETIC TEST DATA (not a real publisher)",
            "title": "Synthetic index (test fixture), generated by tests/test_fifth_index.py",
            "accessed": "2026-12-07",
            "licence": "test fixture",
            "kind": "test_fixture",
        },
    )
    synthetic_scores().reindex(columns=pd.read_csv(DATA / "scores" / "pci.csv", nrows=0).columns).to_csv(
        dst / "scores" / "synth.csv", index=False, lineterminator="\n"
    )
    man = pd.read_csv(dst / "MANIFEST.csv", dtype=str, keep_default_na=False)
    new = {"file": "scores/synth.csv", "description": "SYNTHETIC TEST DATA", "upstream": "tests/test_fifth_index.py"}
    man = pd.concat([man, pd.DataFrame([new])], ignore_index=True).fillna("")
    for rel in ("meta/indices.csv", "meta/periods.csv", "meta/measures.csv", "meta/fields.csv", "sources.csv"):
        man.loc[man.file == rel, "sha256"] = hashlib.sha256((dst / rel).read_bytes()).hexdigest()
    man.loc[man.file == "scores/synth.csv", "sha256"] = hashlib.sha256(
        (dst / "scores/synth.csv").read_bytes()
    ).hexdigest()
    man.to_csv(dst / "MANIFEST.csv", index=False, lineterminator="\n")


@pytest.fixture
def synth_data(tmp_path) -> Path:
    dst = tmp_path / "data"
    shutil.copytree(DATA, dst, ignore=shutil.ignore_patterns("user"))
    add_synthetic_index(dst)
    return dst


def _run(data: Path, code: str) -> dict:
    """Run ``code`` in a fresh Python whose bundled data is ``data``; it prints one JSON object."""
    env = {**os.environ, "PARLIB_BUNDLED_DIR": str(data), "MPLBACKEND": "Agg"}
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=900)
    assert r.returncode == 0, r.stderr[-4000:]
    return json.loads(r.stdout.strip().splitlines()[-1])


ENGINE = """
import json
from parlib.data.dataset import load
from parlib.engine.model import build_model
from parlib.engine.profile import assess, headline
from parlib.present import narrative, tables

ds = load()
m = build_model(ds, 2022)
p = assess("Hưng Yên", 2022, model=m)
r = p.index("SYNTH")
h = headline("Hưng Yên", 2022, model=m).index("SYNTH")
card = tables.scorecard(p, "en")
ranking = tables.ranking_table(m.overview(), "SYNTH", "en")
print(json.dumps({
    "value": r.value, "rank": r.rank, "n_ranked": r.n_ranked, "unit": r.unit, "delta": r.delta,
    "components": [c.measure for c in r.components], "headline_value": h.value,
    "sentence_en": narrative.index_sentence(p, r, "en"), "sentence_vi": narrative.index_sentence(p, r, "vi"),
    "card": card.astype(str).to_dict("records"), "ranking": ranking.astype(str).to_dict("records"),
    "caveats": tables.caveats_list(p, "en"),
}))
"""


def _expected() -> tuple[float, int, float, int]:
    s = synthetic_scores()
    s = s[s.measure == "TOTAL"].assign(value=lambda d: d.value.astype(float))
    this, base = s[s.year == 2022].set_index("province_code").value, s[s.year == 2021].set_index("province_code").value
    value = this[HUNG_YEN]
    rank, base_rank = int((this > value).sum()) + 1, int((base > base[HUNG_YEN]).sum()) + 1
    return value, rank, round(value - base[HUNG_YEN], 2), base_rank


def test_a_fifth_index_by_data_alone_reaches_engine_headline_scorecard_and_ranking(synth_data):
    value, rank, delta, _ = _expected()
    out = _run(synth_data, ENGINE)
    assert out["value"] == pytest.approx(value) and out["headline_value"] == pytest.approx(value)
    assert (out["rank"], out["n_ranked"], out["unit"]) == (rank, 63, "points")
    assert out["delta"] == pytest.approx(delta, abs=0.005)
    assert out["components"] == ["S1", "S2"]
    assert out["sentence_en"].startswith(f"In 2022, Hung Yen's {NAME_EN} reached {value:.2f}, ranking")
    assert "out of 63 provinces and cities" in out["sentence_en"]
    assert f"{NAME_VI} của tỉnh Hưng Yên đạt {value:.2f}".replace(".", ",") in out["sentence_vi"]
    card = {row["Index"]: row for row in out["card"]}
    assert card[NAME_EN]["Score"] == f"{value:.2f}/20 points"
    # its rank is counted by parlib, and no word borrows another index's fact (PAPI's groups)
    computed = [c for c in out["caveats"] if c.startswith(f"{NAME_EN}: the rank is computed")]
    assert computed and computed[0].endswith("(no rank is published).")
    assert len(out["ranking"]) == 63 and out["ranking"][rank - 1]["Province"] == "Hung Yen"


RENDER = """
import json, sys
from parlib.run.render import render_overview, render_report
data, out = sys.argv[1], sys.argv[2]
report = render_report("Hưng Yên", 2022, "en", data_dir=data, out=out)
overview = render_overview(2022, "en", data_dir=data, out=out)
print(json.dumps({"report": str(report.html), "overview": str(overview.html)}))
"""


@pytest.mark.slow
def test_a_fifth_index_by_data_alone_is_in_the_rendered_report_and_overview(synth_data, tmp_path):
    from bs4 import BeautifulSoup

    value, rank, _, base_rank = _expected()
    env = {**os.environ, "PARLIB_BUNDLED_DIR": str(synth_data), "MPLBACKEND": "Agg"}
    r = subprocess.run(
        [sys.executable, "-c", RENDER, str(synth_data), str(tmp_path / "reports")],
        capture_output=True,
        text=True,
        env=env,
        timeout=1800,
    )
    assert r.returncode == 0, r.stderr[-4000:]
    paths = json.loads(r.stdout.strip().splitlines()[-1])
    report_html, overview_html = (Path(paths[k]).read_text(encoding="utf-8") for k in ("report", "overview"))
    report = BeautifulSoup(report_html, "html.parser").get_text(" ")
    overview = BeautifulSoup(overview_html, "html.parser").get_text(" ")
    # its charts, by their alt text: components and trajectory in the report, the distribution in the overview
    assert f"{NAME_EN}: components in 2022, 2021 and the national average" in report_html
    assert f"{NAME_EN}: {base_rank} (2021) → {rank} (2022)" in report_html
    assert f"{NAME_EN} 2022: scores of 63 provinces" in overview_html
    assert f"{NAME_EN} reached {value:.2f}" in report
    assert "Synthetic part one" in report and "Synthetic part two" in report  # its components
    assert NAME_EN in overview and "PAPI" in overview  # the fifth index beside the four
    assert f"{value:.2f}" in overview


# --- the table of the four real indices -------------------------------------------------------
def test_the_facts_of_the_four_indices_are_those_the_reports_always_used():
    """Expected values written here, not read from the table they check."""
    from parlib._vocab import INDICES, index_facts, index_name

    assert INDICES == ("PAR", "SIPAS", "PAPI", "PCI")
    assert [index_facts(c).delta_unit for c in INDICES] == ["pp", "pp", "points", "points"]
    assert [index_facts(c).publisher("en") for c in INDICES] == [
        "the Ministry of Home Affairs",
        "the Ministry of Home Affairs",
        "UNDP",
        "VCCI",
    ]
    assert [index_facts(c).publisher("vi") for c in INDICES] == ["Bộ Nội vụ", "Bộ Nội vụ", "UNDP", "VCCI"]
    assert [index_facts(c).color for c in INDICES] == ["#0072B2", "#E69F00", "#009E73", "#CC79A7"]
    assert [index_facts(c).component_word("vi") for c in INDICES] == [
        "lĩnh vực",
        "chỉ số thành phần",
        "chỉ số nội dung",
        "chỉ số thành phần",
    ]
    assert [index_facts(c).component_word("en") for c in INDICES] == [
        "component areas",
        "components",
        "dimensions",
        "sub-indices",
    ]
    assert [index_facts(c).group_scheme for c in INDICES] == ["par_band", "", "papi_quartile", ""]
    assert [(index_facts(c).additive, index_facts(c).n_components) for c in INDICES] == [
        (True, 8),
        (False, None),
        (True, None),
        (False, None),
    ]
    assert [c for c in INDICES if index_facts(c).component_tables == "image"] == ["PAR", "SIPAS"]
    assert [c for c in INDICES if index_facts(c).states_scale_max] == ["PAPI"]
    assert [c for c in INDICES if index_facts(c).drill_down] == ["PAPI"]
    assert "chisocchc" in index_facts("PAR").header_aliases and "tongdiempapi" in index_facts("PAPI").header_aliases
    assert index_name("PAR", "vi") == "Chỉ số CCHC (PAR INDEX)" and index_name("PCI", "en") == "PCI"


def test_a_wrong_cell_of_the_index_table_is_named_with_its_line_and_column(tmp_path):
    from parlib._vocab import _parse

    bad = (
        (DATA / "meta" / "indices.csv")
        .read_text(encoding="utf-8")
        .replace(",percent,no,yes,8,", ",percent,maybe,yes,8,")
    )
    (tmp_path / "indices.csv").write_text(bad, encoding="utf-8")
    with pytest.raises(ValueError, match=r"line 2, column 'states_scale_max': found 'maybe'; expected 'yes' or 'no'"):
        _parse(tmp_path / "indices.csv")


def test_the_country_row_of_the_regional_table_is_named_by_the_presenter():
    from parlib.data.dataset import load
    from parlib.engine.model import build_model
    from parlib.present import tables

    o = build_model(load(), 2022).overview()
    assert all(r.name_en == "" and r.name_vi == "" for r in o.regional if r.area_code == "VN")
    assert "Cả nước" in set(tables.regional_averages(o, "vi")["Vùng"])


def test_no_module_of_parlib_names_an_index_code():
    """Code asks parlib._vocab.index_facts; a string literal equal to an index code (outside
    docstrings and their examples) is an ``if`` on the index waiting to happen. No exception today."""
    import ast

    from parlib._vocab import INDICES

    allowed: set[tuple[str, str]] = set()  # (module path, code) with its reason, when one is needed
    found = []
    for path in sorted((DATA.parent / "parlib").rglob("*.py")):
        rel = path.relative_to(DATA.parent).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in INDICES and (rel, node.value) not in allowed:
                found.append(f"{rel}:{node.lineno} {node.value!r}")
    assert not found, found

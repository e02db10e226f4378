"""Importer: templates, forgiving reading, complete validation, atomic writes, and the engine
seeing the imports. Every table here is SYNTHETIC (fake values, named so); fixtures are made by
tests/fixtures/import/make_fixtures.py. Each test runs with PARLIB_DATA_DIR in its own tmp folder,
so the real data/user/ is never touched.

Update the golden outputs with ``PARLIB_UPDATE_GOLDEN=1 pytest tests/test_importer.py``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from parlib import cli
from parlib import importer as im
from parlib.data.loading import DataValidationError, Problem, load_conflicts, load_scores, load_sources

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "import"
GOLDEN = HERE / "golden" / "import"
sys.path.insert(0, str(FIXTURES))
from make_fixtures import MAXIMA, competition_ranks, fake_points  # noqa: E402


# --- helpers ----------------------------------------------------------------------------------
@pytest.fixture(autouse=True)
def store(tmp_path, monkeypatch) -> Path:
    """A private, empty user store for every test (PARLIB_DATA_DIR)."""
    s = tmp_path / "store"
    monkeypatch.setenv("PARLIB_DATA_DIR", str(s))
    monkeypatch.chdir(tmp_path)
    return s


def tree_hash(folder: Path) -> str:
    """Hash of every file and folder under ``folder`` (names and bytes); 'absent' when it does not exist."""
    if not folder.exists():
        return "absent"
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        h.update(p.relative_to(folder).as_posix().encode() + b"\0")
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()


def run(argv: list[str], capsys) -> tuple[int, str]:
    """Run ``parlib data …`` through ``parlib``'s own entry point."""
    code = cli.main(["data", *argv])
    out = capsys.readouterr()
    return code, out.out + out.err


def fill_csv_template(path: Path, values: dict[str, dict], meta: dict[str, str]) -> None:
    """Write ``values[code][column]`` and the source block into a CSV template, in place."""
    text = path.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header = next(r for r in rows if r[:1] == ["province_code"])
    for r in rows:
        if r and r[0] in meta:
            r[1] = meta[r[0]]
        if r and r[0] in values:
            r += [""] * (len(header) - len(r))
            for col, v in values[r[0]].items():
                r[header.index(col)] = v
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8-sig")


def fill_xlsx_template(path: Path, values: dict[str, dict], meta: dict[str, str]) -> None:
    """Write ``values[code][column]`` (by header code; 'maximum' for the maximum row) into an XLSX template."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["data"]
    header = next(r for r in ws.iter_rows() if r[0].value == "province_code")
    cols = {c.value: c.column for c in header}
    for row in ws.iter_rows():
        key = row[0].value
        if key in meta:
            row[1].value = meta[key]
        if key in values:
            for col, v in values[key].items():
                ws.cell(row=row[0].row, column=cols[col]).value = v
    wb.save(path)


SYNTHETIC_SOURCE = {
    "source_publisher": "SYNTHETIC TEST DATA (not a real publisher)",
    "source_title": "Fake values for parlib's round-trip test",
}


def synthetic_par(year: int, components: list[str], unit_set: str = "VN63") -> dict[str, dict]:
    """Fake PAR values for every province: components from a fixed formula (a different pattern
    per year), total = their sum, ranks from the totals. Clearly not real data."""
    from parlib.data.registry import provinces

    out = {}
    for i, u in enumerate(provinces(unit_set).itertuples()):
        comps = {m: fake_points(i + 3 * year, j, 12.5) for j, m in enumerate(components)}
        out[u.code] = {**comps, "TOTAL": round(sum(comps.values()), 2)}
    ranks = competition_ranks({k: v["TOTAL"] for k, v in out.items()})
    for k, v in out.items():
        v["TOTAL.rank"] = ranks[k]
    return out


def import_fixture(name: str, year: int, *extra: str) -> im.ImportPlan:
    return im.import_table(FIXTURES / name, "PAR", year, source="synthetic test fixture" if not extra else None)


@pytest.fixture(scope="session")
def seeded_store(tmp_path_factory) -> Path:
    """A store holding one import (a synthetic SIPAS 2025 table), copied into each test that needs one."""
    folder = tmp_path_factory.mktemp("seed")
    store = folder / "store"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PARLIB_DATA_DIR", str(store))
        path = im.make_template("SIPAS", 2025, "csv", folder / "sipas-2025.csv")
        from parlib.data.registry import provinces

        codes = list(provinces("VN34").code)
        totals = {c: round(70 + (i * 7919 % 2000) / 100, 2) for i, c in enumerate(codes)}
        ranks = competition_ranks(totals)
        fill_csv_template(
            path,
            {c: {"TOTAL": str(totals[c]).replace(".", ","), "TOTAL.rank": str(ranks[c])} for c in codes},
            SYNTHETIC_SOURCE,
        )
        im.import_table(path, "SIPAS", 2025)
    return store


@pytest.fixture
def seeded(store, seeded_store) -> Path:
    shutil.copytree(seeded_store, store)
    return store


# --- numbers and names ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,value,percent",
    [
        ("86,98", 86.98, False),
        ("86.98", 86.98, False),
        ("1.234,5", 1234.5, False),
        ("1,234.5", 1234.5, False),
        ("90,10%", 90.10, True),
        ("\u00a085,30\u00a0", 85.30, False),
        ("8 675,25", 8675.25, False),
        ("−1,5", -1.5, False),
        (" 7 ", 7.0, False),
        (88.34, 88.34, False),
        ("—", None, False),
        ("", None, False),
        ("KCDL", None, False),
    ],
)
def test_vietnamese_numbers(text, value, percent):
    p = im.parse_number(text)
    assert p.ok and p.value == value and p.percent == percent


@pytest.mark.parametrize("text", ["86,9a", "8,7x", "tám", "1.2.3,4,5", "86%%"])
def test_bad_numbers_are_reported_not_guessed(text):
    assert not im.parse_number(text).ok


def test_ranks():
    assert im.parse_rank("12/63") == (12, 63, True)
    assert im.parse_rank("12") == (12, None, True) and im.parse_rank(12.0) == (12, None, True)
    assert im.parse_rank("3=") == (3, None, True)
    assert not im.parse_rank("12,5")[2] and not im.parse_rank("12%")[2]


def test_problem_keeps_its_old_format_and_adds_sheet_and_suggestion():
    old = Problem("scores/x.csv", 5, "value", "'x'", "a number", "fix it")
    assert str(old) == "scores/x.csv, line 5, column 'value': found 'x'; expected a number. Fix: fix it"
    new = Problem(
        "t.xlsx",
        7,
        "province (B)",
        "'Hung Yenn'",
        "a province",
        "correct it",
        sheet="data",
        suggestion="Did you mean 'Hưng Yên'?",
    )
    assert str(new) == (
        "t.xlsx, sheet 'data', row 7, column 'province (B)': found 'Hung Yenn'; expected a "
        "province. Did you mean 'Hưng Yên'? Fix: correct it"
    )


# --- templates --------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_template_reads_back(fmt, tmp_path):
    path = im.make_template("PAR", 2022, fmt, tmp_path / f"par2022.{fmt}")
    t = im.read_table(path, "PAR", 2022)
    assert not t.problems and t.layout == "wide" and t.meta == {"index": "PAR", "year": "2022"}
    assert len(t.rows) == 63 and t.rows[0]["code"] == "01" and t.rows[0]["name"] == "Hà Nội"
    roles = {(c.role, c.measure) for c in t.columns}
    comps = set(im.template_measures("PAR", 2022).measure)
    assert len(comps) == 9 and {("measure", m) for m in comps} | {("rank", m) for m in comps} <= roles
    assert t.units["TOTAL"]["raw"] == "percent" and t.units["E_GOVERNMENT"]["raw"] == "points"
    assert _cell(t.maxima["TOTAL"]["raw"]) == "100" and "E_GOVERNMENT" not in t.maxima  # asked for, empty
    plan = im.validate_import(t, "PAR", 2022, source="x")
    assert [p.found for p in plan.errors] == ["no figures under the header"]


def _cell(v) -> str:
    return str(int(v)) if isinstance(v, (int, float)) else str(v)


def test_template_asks_for_unknown_maxima_and_names_both_languages(tmp_path):
    from openpyxl import load_workbook

    path = im.make_template("PAR", 2022, "xlsx", tmp_path / "par2022.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["data", "measures", "read me"]
    cells = [c.value for row in wb["data"].iter_rows() for c in row if c.value]
    text = " ".join(map(str, cells))
    assert "maximum points of the component areas are not known" in text
    assert "Cải cách thể chế" in text and "Institutional reform" in text and "source_publisher" in text
    ref = {r[0].value: r for r in wb["measures"].iter_rows()}
    assert ref["ADMIN_PROCEDURE_REFORM"][7].value == 13  # published maximum shown for reference only


def test_template_2025_has_the_34_units(tmp_path):
    t = im.read_table(im.make_template("PAR", 2025, "csv", tmp_path / "p.csv"), "PAR", 2025)
    assert len(t.rows) == 34 and all(r["code"].startswith("N") for r in t.rows)


def test_template_refuses_an_index_year_without_methodology(tmp_path, capsys):
    with pytest.raises(ValueError, match="no methodology period"):
        im.make_template("PAR", 2010, "csv", tmp_path / "x.csv")
    code, out = run(["template", "--index", "PCI", "--year", "2025", "-o", str(tmp_path / "pci.xlsx")], capsys)
    assert code == 2 and "no measure definitions for PCI 2025" in out


# --- forgiving reading: all good fixtures give the same rows ---------------------------------------
@pytest.mark.parametrize(
    "name", ["synthetic-par-2025-rates.csv", "synthetic-par-2025-long.csv", "synthetic-par-2025-quirks.xlsx"]
)
def test_every_layout_and_quirk_reads_the_same_figures(name):
    base = im.validate_import(FIXTURES / "synthetic-par-2025.csv", "PAR", 2025)
    other = im.validate_import(FIXTURES / name, "PAR", 2025, source="synthetic test fixture")
    assert base.ok and other.ok, [str(p) for p in other.problems]
    key = ["province_code", "measure"]
    cols = ["value"] if "rates" in name else ["value", "rank"]  # the rates fixture has no rank column
    a = base.rows.set_index(key)[cols].sort_index()
    b = other.rows.set_index(key)[cols].sort_index()
    pd.testing.assert_frame_equal(a, b, atol=1e-6)
    assert len(a) == 34 * 9


def test_quirks_warn_about_the_skipped_average_row():
    plan = im.validate_import(FIXTURES / "synthetic-par-2025-quirks.xlsx", "PAR", 2025, source="synthetic")
    assert plan.table.sheet == "Bảng 2" and [p.severity for p in plan.problems] == ["warning"]
    assert "Trung bình cả nước" in plan.problems[0].found


# --- every bad file: one clear list, golden output, the store untouched ---------------------------
BAD = [  # (fixture, year, extra arguments)
    ("bad-unknown-province.csv", 2025, []),
    ("bad-duplicate-province.csv", 2025, []),
    ("bad-code-and-name-disagree.csv", 2025, []),
    ("bad-value-out-of-range.csv", 2025, []),
    ("bad-above-maximum.csv", 2025, []),
    ("bad-components-do-not-add-up.csv", 2025, []),
    ("bad-ranks-inconsistent.csv", 2025, []),
    ("bad-rank-out-of-range.csv", 2025, []),
    ("bad-rank-not-whole.csv", 2025, []),
    ("bad-number.csv", 2025, []),
    ("bad-unknown-measure-column.csv", 2025, []),
    ("bad-measure-of-another-period.csv", 2025, []),
    ("bad-measure-of-another-index.csv", 2025, []),
    ("bad-missing-source.csv", 2025, []),
    ("bad-wrong-index.csv", 2025, []),
    ("bad-wrong-year.csv", 2025, []),
    ("bad-no-header.csv", 2025, []),
    ("bad-no-figures.csv", 2025, []),
    ("bad-rate-without-maximum.csv", 2025, []),
    ("bad-maxima-do-not-add-up.csv", 2025, []),
    ("bad-row-without-province.csv", 2025, []),
    ("bad-column-without-header.csv", 2025, []),
    ("bad-long-unknown-measure.csv", 2025, []),
    ("bad-long-duplicate-figure.csv", 2025, []),
    ("bad-unsupported-format.xls", 2025, ["--source", "synthetic"]),
    ("bad-xlsx-text-in-number.xlsx", 2025, ["--source", "synthetic test fixture"]),
    ("bad-unit-set-34-in-2022.csv", 2022, []),
    ("bad-unit-set-63-in-2025.csv", 2025, []),
    ("bad-conflict-with-bundled.csv", 2022, []),
    ("bad-maximum-conflict.csv", 2022, []),
]


def check_golden(name: str, text: str) -> None:
    golden = GOLDEN / (name.rsplit(".", 1)[0] + ".txt")
    if os.environ.get("PARLIB_UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert golden.exists(), f"no golden output {golden.name}: run with PARLIB_UPDATE_GOLDEN=1"
    assert text == golden.read_text(encoding="utf-8")


@pytest.mark.parametrize("name,year,extra", BAD, ids=[b[0] for b in BAD])
def test_bad_file_is_refused_with_every_problem_and_nothing_written(name, year, extra, seeded, capsys):
    before = tree_hash(seeded)
    code, out = run(["import", str(FIXTURES / name), "--index", "PAR", "--year", str(year), *extra], capsys)
    assert code == 3, out
    assert tree_hash(seeded) == before
    assert f"{name} was not imported" in out and "Nothing was written" in out
    check_golden(name, out)


def test_at_least_twenty_problem_kinds():
    kinds = {b[0] for b in BAD}
    assert len(kinds) >= 20 and all((FIXTURES / k).exists() for k in kinds)
    assert all("synthetic" in k or k.startswith("bad-") for k in kinds)


def test_missing_provinces_is_a_warning_listing_them(seeded, capsys):
    before = tree_hash(seeded)
    code, out = run(
        ["import", str(FIXTURES / "warn-missing-provinces.csv"), "--index", "PAR", "--year", "2025", "--check"], capsys
    )
    assert code == 0 and tree_hash(seeded) == before
    check_golden("warn-missing-provinces.csv", out)
    assert "Cao Bằng (N04), Điện Biên (N11), Cà Mau (N96)" in out.replace("\n     ", " ")


def test_a_file_cannot_be_imported_twice(seeded, capsys):
    assert run(["import", str(FIXTURES / "synthetic-par-2025.csv"), "--index", "PAR", "--year", "2025"], capsys)[0] == 0
    before = tree_hash(seeded)
    code, out = run(["import", str(FIXTURES / "synthetic-par-2025.csv"), "--index", "PAR", "--year", "2025"], capsys)
    assert code == 3 and tree_hash(seeded) == before
    out = "\n".join(ln for ln in out.splitlines())
    assert "already imported as import-par-2025-" in out and "parlib data remove import-par-2025-" in out


def test_conflict_shows_both_figures_and_their_sources(seeded):
    plan = im.validate_import(FIXTURES / "bad-conflict-with-bundled.csv", "PAR", 2022)
    (err,) = plan.errors
    assert "91.00 for Quảng Ninh" in err.found and "90.10" in err.found and "web-baodongnai" in err.found
    assert "--replace" in err.fix


# --- replace, fill, remove ------------------------------------------------------------------------
def test_replace_prefers_the_import_and_keeps_both_with_sources(store):
    bundled = (
        load_scores()
        .query("index_code == 'PAR' and year == 2022 and province_code == '22' and measure == 'TOTAL'")
        .iloc[0]
    )
    plan = im.import_table(FIXTURES / "bad-conflict-with-bundled.csv", "PAR", 2022, replace=True)
    row = (
        load_scores()
        .query("index_code == 'PAR' and year == 2022 and province_code == '22' and measure == 'TOTAL'")
        .iloc[0]
    )
    assert row.value == 91.0 and row.source_id == plan.dataset_id and row.status == "imported"
    # the published rank went with the replaced score: dropped (never beside a score it contradicts), kept in
    # the conflicts, and the import said so
    assert pd.isna(row["rank"]) and pd.isna(row.n_ranked) and row.rank_source_id == ""
    assert any("no rank beside it" in p.found and p.severity == "warning" for p in plan.problems)
    c = load_conflicts().query("area_code == '22' and year == 2022 and kept_source_id == @plan.dataset_id")
    assert c[["field", "kept_value", "other_value", "other_source_id"]].values.tolist() == [
        ["value", "91.00", "90.10", bundled.source_id],
        ["rank", "", str(int(bundled["rank"])), bundled.rank_source_id or bundled.source_id],
    ]
    assert plan.dataset_id in set(load_sources().source_id)
    im.remove_dataset(plan.dataset_id)
    back = (
        load_scores()
        .query("index_code == 'PAR' and year == 2022 and province_code == '22' and measure == 'TOTAL'")
        .iloc[0]
    )
    assert back.value == bundled.value and back.source_id == bundled.source_id
    assert plan.dataset_id not in set(load_conflicts().kept_source_id)


def test_import_fills_a_missing_score_without_replacing_the_published_rank(tmp_path):
    # Hưng Yên PAR 2022: rank 12 published without a score. A fake score fills the gap; the rank
    # stays with its own source because the import does not replace.
    path = tmp_path / "synthetic-hung-yen-2022.csv"
    path.write_text('# SYNTHETIC: one fake score\nprovince,TOTAL,TOTAL.rank\nHưng Yên,"85,00",12\n', encoding="utf-8")
    plan = im.import_table(path, "PAR", 2022, source="synthetic test")
    assert plan.conflicts.empty
    row = (
        load_scores()
        .query("index_code == 'PAR' and year == 2022 and province_code == '33' and measure == 'TOTAL'")
        .iloc[0]
    )
    assert row.value == 85.0 and row.source_id == plan.dataset_id
    assert row["rank"] == 12 and row.rank_source_id == "hungyen-portal-2023-05-26"


def test_list_and_remove(seeded, capsys):
    code, out = run(["list"], capsys)
    assert code == 0 and "scores/par_sipas.csv:PAR" in out and "import-sipas-2025-" in out
    ds = im.list_datasets().query("kind == 'imported'").dataset_id.iloc[0]
    code, out = run(["remove", ds[:-1]], capsys)
    assert code == 2 and f"Did you mean '{ds}'" in out
    code, out = run(["remove", "scores/pci.csv:PCI"], capsys)
    assert code == 2 and "bundled data, which cannot be removed" in out
    assert not load_scores().query("index_code == 'SIPAS' and year == 2025").empty
    code, out = run(["remove", ds], capsys)
    assert code == 0 and f"Removed {ds}" in out
    assert load_scores().query("index_code == 'SIPAS' and year == 2025").empty
    assert not (seeded / "datasets" / ds).exists() and (seeded / "MANIFEST.csv").exists()


@pytest.mark.parametrize(
    "argv", [["template", "--help"], ["import", "--help"], ["list", "--help"], ["remove", "--help"]]
)
def test_help_everywhere(argv, capsys):
    with pytest.raises(SystemExit) as e:
        cli.main(["data", *argv])
    assert e.value.code == 0 and "usage:" in capsys.readouterr().out


# --- atomicity ------------------------------------------------------------------------------------
from parlib.importer import writing as im_writing  # noqa: E402


def test_interrupted_import_leaves_the_store_byte_identical(seeded, monkeypatch):
    before = tree_hash(seeded)
    real = im_writing.write_new
    calls = []

    def fail_after_first(path, data):
        calls.append(path.name)
        if len(calls) > 1:
            raise OSError("disk full (simulated)")
        real(path, data)

    monkeypatch.setattr(im_writing, "write_new", fail_after_first)
    with pytest.raises(OSError, match="simulated"):
        import_fixture("synthetic-par-2025.csv", 2025)
    assert len(calls) == 2 and tree_hash(seeded) == before
    assert not list(seeded.glob(".partial-*"))


def test_failure_at_the_commit_leaves_the_store_byte_identical(seeded, monkeypatch):
    before = tree_hash(seeded)

    def broken_replace(src, dst):
        raise OSError("power cut (simulated)")

    from parlib.data import files

    monkeypatch.setattr(files.os, "replace", broken_replace)
    with pytest.raises(OSError, match="simulated"):
        import_fixture("synthetic-par-2025.csv", 2025)
    monkeypatch.undo()
    assert tree_hash(seeded) == before and load_scores().query("year == 2025 and index_code == 'PAR'").empty


def test_failed_first_import_leaves_no_store(store, monkeypatch):
    monkeypatch.setattr(im_writing, "write_new", lambda path, data: (_ for _ in ()).throw(OSError("simulated")))
    with pytest.raises(OSError):
        import_fixture("synthetic-par-2025.csv", 2025)
    assert tree_hash(store) == "absent"


def test_killed_import_leaves_the_store_unchanged_once_recovered(seeded):
    """Killed (SIGKILL) with two files of the dataset written: the next load removes the staging folder."""
    before = tree_hash(seeded)
    env = dict(os.environ, PARLIB_DATA_DIR=str(seeded), PARLIB_FAULT_POINT="staged")
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "parlib.cli",
            "data",
            "import",
            str(FIXTURES / "synthetic-par-2025.csv"),
            "--index",
            "PAR",
            "--year",
            "2025",
            "--source",
            "synthetic test fixture",
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    assert res.returncode == -9, res.stderr
    assert list(seeded.glob(".partial-*"))  # the staging folder, uncommitted
    assert load_scores().query("year == 2025 and index_code == 'PAR'").empty
    assert tree_hash(seeded) == before  # the load removed it
    import_fixture("synthetic-par-2025.csv", 2025)
    assert len(load_scores().query("year == 2025 and index_code == 'PAR'")) == 34 * 9


def test_tampered_store_fails_loudly(seeded):
    f = next(seeded.glob("datasets/*/scores.csv"))
    f.write_text(f.read_text().replace("SIPAS", "SIPAS", 1) + "\n")
    with pytest.raises(DataValidationError, match="user store was changed outside parlib"):
        load_scores()


# --- the engine, summary and caches see imports ---------------------------------------------------------
def test_caches_see_an_import_and_its_removal():
    from parlib.engine.profile import assess

    assert load_scores().query("index_code == 'PAR' and year == 2025").empty
    assess("Hưng Yên", 2025)  # warm the caches, then import
    plan = import_fixture("synthetic-par-2025.csv", 2025)
    profile = assess("Hưng Yên", 2025)
    par = profile.index("PAR")
    assert par is not None and len(par.components) == 8 and par.n_ranked == 34
    assert plan.dataset_id in {s["source_id"] for s in profile.sources}
    im.remove_dataset(plan.dataset_id)
    assert assess("Hưng Yên", 2025).index("PAR") is None


def test_round_trip_template_to_component_analysis(tmp_path, capsys):
    """Template → synthetic values → import → the PAR component analysis of Hưng Yên 2022 against
    2021 (rose and fell, in points) and against the national average, in the engine and in `summary`."""
    from parlib import cli
    from parlib.engine.profile import assess

    shared = [
        "PAR_LEADERSHIP",
        "ADMIN_PROCEDURE_REFORM",
        "APPARATUS_REFORM",
        "PUBLIC_FINANCE_REFORM",
        "INSTITUTIONAL_REFORM",
        "CIVIL_SERVICE_REFORM",
    ]
    t21 = im.make_template("PAR", 2021, "csv", tmp_path / "synthetic-par-2021.csv")
    fill_csv_template(
        t21,
        {
            k: {c: str(v).replace(".", ",") for c, v in row.items()}
            for k, row in synthetic_par(2021, shared + ["MODERNIZATION", "IMPACT"]).items()
        },
        SYNTHETIC_SOURCE,
    )
    t22 = im.make_template("PAR", 2022, "xlsx", tmp_path / "synthetic-par-2022.xlsx")
    values22 = synthetic_par(2022, shared + ["E_GOVERNMENT", "IMPACT_SOCIOECONOMIC"])
    fill_xlsx_template(t22, values22, SYNTHETIC_SOURCE)
    for path, year in ((t21, 2021), (t22, 2022)):
        code, out = run(["import", str(path), "--index", "PAR", "--year", str(year), "--replace"], capsys)
        assert code == 0, out
        assert "63 provinces, 9 measures" in out or "63 provinces, 11 measures" in out

    par = assess("Hưng Yên", 2022).index("PAR")
    assert par.value == values22["33"]["TOTAL"] and par.rank == values22["33"]["TOTAL.rank"]
    comps = {c.measure: c for c in par.components}
    assert len(comps) == 8 and all(c.gap_national is not None for c in comps.values())
    moved = [c for c in comps.values() if c.delta is not None]
    assert sorted(c.measure for c in moved) == sorted(shared)
    assert any(c.delta > 0 for c in moved) and any(c.delta < 0 for c in moved)
    mean = pd.Series([v["E_GOVERNMENT"] for v in values22.values()]).mean()
    assert comps["E_GOVERNMENT"].gap_national == pytest.approx(values22["33"]["E_GOVERNMENT"] - mean)

    assert cli.main(["summary", "Hưng Yên", "--year", "2022", "--index", "PAR"]) == 0
    text = capsys.readouterr().out
    rose, fell = sum(c.delta > 0 for c in moved), sum(c.delta < 0 for c in moved)
    assert f"PAR INDEX: of its 8 component areas, {rose} rose and {fell} fell compared with 2021." in text
    assert "points" in text and "vs national average" in text
    assert "SYNTHETIC TEST DATA" in text  # the import is cited in the sources


def test_import_of_a_63_row_table_is_quick(tmp_path):
    t = im.make_template("PAR", 2022, "xlsx", tmp_path / "synthetic-par-2022.xlsx")
    fill_xlsx_template(t, synthetic_par(2022, list(MAXIMA)), SYNTHETIC_SOURCE)
    load_scores()
    start = time.perf_counter()
    im.import_table(t, "PAR", 2022, replace=True)
    seconds = time.perf_counter() - start
    assert seconds < 5, f"import of a 63-row PAR table took {seconds:.2f} s"


@pytest.mark.slow
def test_report_shows_the_imported_components_and_names_the_source(tmp_path, capsys):
    from parlib.run.render import render_report

    t = im.make_template("PAR", 2022, "xlsx", tmp_path / "synthetic-par-2022.xlsx")
    fill_xlsx_template(t, synthetic_par(2022, list(MAXIMA)), SYNTHETIC_SOURCE)
    plan = im.import_table(t, "PAR", 2022, replace=True)
    res = render_report("Hưng Yên", 2022, "en", out=tmp_path / "reports")
    html = Path(res.html).read_text(encoding="utf-8")
    assert plan.dataset_id in html and "SYNTHETIC TEST DATA" in html
    assert "E-government and digital government" in html

"""The user store under concurrency, crashes, damage, full disks and hostile files (issue 11).

Real processes (``python -m parlib.cli data import``), killed with SIGKILL at named points of the
commit (``PARLIB_FAULT_POINT``, see :mod:`parlib.data.files`), disk full by fault injection
(``PARLIB_FAULT_ENOSPC_AFTER``) and, where this machine lets us mount one, a tiny tmpfs. After each
fault the store loads, holds exactly the imports that exited 0, and is byte-identical to before
for those that did not. Every table here is SYNTHETIC (fake values, named so).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pandas as pd
import pytest

from parlib import importer as im
from parlib.data import safe_csv
from parlib.data.loading import DataValidationError, load_scores, load_sources

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "import"
SYNTHETIC = "SYNTHETIC TEST DATA (not a real publisher)"


@pytest.fixture(autouse=True)
def store(tmp_path, monkeypatch) -> Path:
    s = tmp_path / "store"
    monkeypatch.setenv("PARLIB_DATA_DIR", str(s))
    monkeypatch.chdir(tmp_path)
    return s


def tree(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with its checksum (the lock file's bytes never change: it is empty)."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
        for p in sorted(folder.rglob("*"))
    }


def sipas_file(path: Path, totals: dict[str, float]) -> Path:
    """A SYNTHETIC SIPAS 2025 table (template layout) with the given totals for some of the 34 units."""
    im.make_template("SIPAS", 2025, "csv", path)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    header = next(r for r in rows if r[:1] == ["province_code"])
    for r in rows:
        if r[:1] == ["source_publisher"]:
            r[1] = SYNTHETIC
        if r and r[0] in totals:
            r += [""] * (len(header) - len(r))
            r[header.index("TOTAL")] = f"{totals[r[0]]:.2f}"
    path.write_text(
        "".join(",".join(f'"{c}"' if "," in c else c for c in r) + "\r\n" for r in rows), encoding="utf-8-sig"
    )
    return path


def cli_import(
    path: Path, store: Path, *extra: str, env: dict | None = None, index="SIPAS", year="2025", wait: bool = True
):
    argv = [sys.executable, "-m", "parlib.cli", "data", "import", str(path), "--index", index, "--year", year, *extra]
    e = {**os.environ, "PARLIB_DATA_DIR": str(store), **(env or {})}
    if wait:
        return subprocess.run(argv, env=e, capture_output=True, text=True, timeout=300)
    return subprocess.Popen(argv, env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def sipas_2025() -> pd.DataFrame:
    return load_scores().query("index_code == 'SIPAS' and year == 2025 and measure == 'TOTAL'")


UNITS = ["N01", "N04", "N08", "N11", "N12", "N14"]  # six of the 34 units (codes as in the registry)


@pytest.fixture
def seeded(store, tmp_path) -> Path:
    """A store holding one SYNTHETIC import (unit 01)."""
    from parlib.data.registry import provinces

    assert set(UNITS) <= set(provinces("VN34").code)
    im.import_table(sipas_file(tmp_path / "seed.csv", {"N01": 71.11}), "SIPAS", 2025)
    return store


def assert_clean(res) -> None:
    """One clear message, no traceback."""
    assert "Traceback" not in res.stderr and "Traceback" not in res.stdout, res.stderr


# --- concurrency ----------------------------------------------------------------------------------
def test_concurrent_imports_of_different_units_all_land(seeded, tmp_path):
    files = [sipas_file(tmp_path / f"unit-{c}.csv", {c: 60 + i}) for i, c in enumerate(UNITS[1:], 1)]
    # each write pauses after staging: without the lock the writers overlap and lose each other's manifest rows
    procs = [
        cli_import(f, seeded, "--source", "synthetic", wait=False, env={"PARLIB_FAULT_SLEEP": "staged:1"})
        for f in files
    ]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    assert [r for r, _ in results] == [0] * len(files), results
    got = sipas_2025().set_index("province_code").value
    assert {c: got[c] for c in UNITS} == {"N01": 71.11, **{c: 60 + i for i, c in enumerate(UNITS[1:], 1)}}
    assert len(im.list_datasets().query("kind == 'imported'")) == len(UNITS)


def test_concurrent_conflicting_imports_one_wins_the_rest_are_refused(seeded, tmp_path):
    files = [sipas_file(tmp_path / f"unit-N04-{i}.csv", {"N04": 50 + i}) for i in range(6)]
    procs = [cli_import(f, seeded, "--source", "synthetic", wait=False) for f in files]
    results = [(p.wait(timeout=300), p.stderr.read()) for p in procs]
    codes = [r for r, _ in results]
    assert codes.count(0) == 1 and codes.count(3) == 5, results
    winner = codes.index(0)
    for code, err in results:
        assert "Traceback" not in err
        if code == 3:
            assert "parlib already has" in err
    assert sipas_2025().set_index("province_code").value["N04"] == 50 + winner
    assert len(im.list_datasets().query("kind == 'imported'")) == 2


CHURN = """
import os, shutil, sys, time
store, stop = sys.argv[1], time.monotonic() + float(sys.argv[2])
os.makedirs(os.path.join(store, "datasets"), exist_ok=True)
i = 0
while time.monotonic() < stop:
    i += 1
    staging = os.path.join(store, f".partial-churn-{i}")
    os.mkdir(staging)
    for name in ("scores.csv", "sources.csv", "dataset.csv"):
        with open(os.path.join(staging, name), "w") as f:
            f.write("synthetic\\n")
    final = os.path.join(store, "datasets", f"churn-{i}")
    os.rename(staging, final)
    shutil.rmtree(final)
"""


def test_loads_never_fail_while_a_writer_stages_renames_and_removes_folders(seeded):
    """A writer's staging folder appears, is renamed into datasets/ and removed (a recovery) while
    other processes load: the load's scan of the store must never fail on a vanished entry (the
    soak's exit 4: "cannot use …/.partial-…/scores.csv: no such file")."""
    from parlib.data.loading import _dir_state, bundled_data_dir

    churn = subprocess.Popen([sys.executable, "-c", CHURN, str(seeded), "4"])
    try:
        scans = 0
        while churn.poll() is None:
            state = _dir_state(bundled_data_dir())
            assert not [f for f, *_ in state if ".partial-" in f], "a staging folder is part of the load's state"
            scans += 1
    finally:
        churn.kill()
        churn.wait()
    assert churn.returncode == 0 and scans > 20
    assert sipas_2025().set_index("province_code").value["N01"] == 71.11


# --- kill -9 at every moment of an import or a removal ----------------------------------------------
BEFORE_COMMIT = ["locked", "staging", "staged", "renamed", "manifest-written"]


@pytest.mark.parametrize("point", BEFORE_COMMIT + ["committed"])
def test_import_killed_at_any_point(seeded, tmp_path, point):
    before = tree(seeded)
    f = sipas_file(tmp_path / "unit-08.csv", {"N08": 66.0})
    res = cli_import(f, seeded, "--source", "synthetic", env={"PARLIB_FAULT_POINT": point})
    assert res.returncode == -9, res.stderr
    loaded = sipas_2025().set_index("province_code").value  # the load recovers
    if point in BEFORE_COMMIT:
        assert "N08" not in loaded.index
        assert tree(seeded) == before
        again = cli_import(f, seeded, "--source", "synthetic")
        assert again.returncode == 0, again.stderr
    else:  # killed after its commit: the import is complete (a rerun says it is already there)
        assert loaded["N08"] == 66.0 and not [p for p in seeded.iterdir() if p.name.startswith(".partial-")]
        again = cli_import(f, seeded, "--source", "synthetic")
        assert again.returncode == 3 and "already imported" in again.stderr
    assert sipas_2025().set_index("province_code").value["N08"] == 66.0


@pytest.mark.parametrize("point", ["remove-written", "remove-committed"])
def test_removal_killed_at_any_point(seeded, point):
    ds = im.list_datasets().query("kind == 'imported'").dataset_id.iloc[0]
    before = tree(seeded)
    env = {**os.environ, "PARLIB_DATA_DIR": str(seeded), "PARLIB_FAULT_POINT": point}
    res = subprocess.run([sys.executable, "-m", "parlib.cli", "data", "remove", ds], env=env, capture_output=True)
    assert res.returncode == -9
    loaded = sipas_2025()
    if point == "remove-written":  # before the commit: nothing happened
        assert tree(seeded) == before and "N01" in set(loaded.province_code)
    else:  # after it: the recovery completes the removal
        assert "N01" not in set(loaded.province_code) and not (seeded / "datasets" / ds).exists()


def test_first_import_killed_leaves_nothing_that_loads(store, tmp_path):
    res = cli_import(
        sipas_file(tmp_path / "u.csv", {"N04": 61.0}),
        store,
        "--source",
        "synthetic",
        env={"PARLIB_FAULT_POINT": "renamed"},
    )
    assert res.returncode == -9
    assert "N04" not in set(sipas_2025().province_code)
    assert cli_import(sipas_file(tmp_path / "u.csv", {"N04": 61.0}), store, "--source", "synthetic").returncode == 0
    assert [p.name for p in (store / "datasets").iterdir()] == [im.list_datasets().dataset_id.iloc[-1]]


# --- a damaged manifest is reported, with the fix; repair rebuilds it --------------------------------
def _truncate_last_line(b: bytes) -> bytes:
    return b[: b.rstrip(b"\n").rfind(b"\n") + 1]


DAMAGE = {
    "last line cut": _truncate_last_line,
    "a newline turned into a comma": lambda b: b.replace(b"\n", b",", 2).replace(b",", b"\n", 1),
    "last newline a space": lambda b: b[:-1] + b" ",
    "emptied": lambda b: b"",
    "header only": lambda b: b[: b.index(b"\n") + 1],
    "not text": lambda b: b"\xff\xfe\x00garbage",
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_manifest_is_reported_never_read_as_fewer_imports(seeded, damage):
    path = seeded / "MANIFEST.csv"
    path.write_bytes(DAMAGE[damage](path.read_bytes()))
    with pytest.raises(DataValidationError, match="parlib data repair"):
        load_scores()
    env = {**os.environ, "PARLIB_DATA_DIR": str(seeded)}
    for argv in (["data", "list"], ["summary", "N01", "--year", "2025"]):
        res = subprocess.run([sys.executable, "-m", "parlib.cli", *argv], env=env, capture_output=True, text=True)
        assert res.returncode == 3 and "MANIFEST.csv" in res.stderr and "parlib data repair" in res.stderr
        assert_clean(res)
    before = tree(seeded)  # a damaged store is never "recovered" by deleting what the manifest misses
    assert tree(seeded) == before
    res = subprocess.run(
        [sys.executable, "-m", "parlib.cli", "data", "repair"], env=env, capture_output=True, text=True
    )
    assert res.returncode == 0 and "1 dataset folder" in res.stdout, res.stderr
    assert sipas_2025().set_index("province_code").value["N01"] == 71.11


# --- the machine refuses: disk full, read-only, not a folder ------------------------------------------
@pytest.mark.parametrize("fraction", [0, 0.2, 0.5, 0.8, 0.99])
def test_disk_full_at_any_byte_leaves_the_store_as_it_was(seeded, tmp_path, monkeypatch, fraction):
    from parlib.data import files

    f = sipas_file(tmp_path / "u.csv", {"N04": 62.0})
    trial = tmp_path / "trial"
    shutil.copytree(seeded, trial)
    monkeypatch.setenv("PARLIB_DATA_DIR", str(trial))
    monkeypatch.setattr(files, "_written", 0)
    im.import_table(f, "SIPAS", 2025, source="synthetic")
    total = files._written  # the bytes this import writes into this store (the manifest last)
    before = tree(seeded)
    res = cli_import(f, seeded, "--source", "synthetic", env={"PARLIB_FAULT_ENOSPC_AFTER": str(int(total * fraction))})
    assert res.returncode == 4, res.stderr
    assert_clean(res)
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "the disk is full" in lines[0] and str(seeded) in lines[0] and "Fix:" in lines[0]
    assert tree(seeded) == before


def _mount(folder: Path, options: str) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    if shutil.which("mount") is None or os.geteuid() != 0:
        return False
    return (
        subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True).returncode
        == 0
    )


def test_disk_full_on_a_real_small_file_system(seeded, tmp_path):
    disk = tmp_path / "disk"
    if not _mount(disk, "size=256k"):
        pytest.skip("cannot mount a tmpfs here (the fault-injection test covers disk full)")
    try:
        shutil.copytree(seeded, disk / "store")
        st = os.statvfs(disk)
        fd = os.open(disk / "filler", os.O_CREAT | os.O_WRONLY)
        try:  # leave one page free: a dataset folder does not fit
            os.posix_fallocate(fd, 0, st.f_bavail * st.f_frsize - st.f_frsize)
        finally:
            os.close(fd)
        before = tree(disk / "store")
        res = cli_import(sipas_file(tmp_path / "u.csv", {"N04": 62.0}), disk / "store", "--source", "synthetic")
        assert res.returncode == 4 and "the disk is full" in res.stderr, res.stderr
        assert_clean(res)
        assert tree(disk / "store") == before
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def test_store_on_a_read_only_file_system(tmp_path):
    ro = tmp_path / "ro"
    if not _mount(ro, "ro,size=64k"):
        pytest.skip("cannot mount a read-only tmpfs here")
    try:
        res = cli_import(sipas_file(tmp_path / "u.csv", {"N04": 62.0}), ro / "store", "--source", "synthetic")
        assert res.returncode == 4 and "read-only" in res.stderr and "PARLIB_DATA_DIR" in res.stderr
        assert_clean(res)
    finally:
        subprocess.run(["umount", str(ro)], check=False)


def test_store_path_is_a_file(tmp_path):
    f = tmp_path / "not-a-folder"
    f.write_text("x")
    for store in (f, f / "sub"):
        res = cli_import(sipas_file(tmp_path / "u.csv", {"N04": 62.0}), store, "--source", "synthetic")
        assert res.returncode == 4 and "PARLIB_DATA_DIR" in res.stderr and str(f) in res.stderr
        assert len(res.stderr.strip().splitlines()) == 1
        assert_clean(res)


def test_busy_store_is_one_line(seeded, tmp_path):
    from parlib.data.user_store import store_lock

    with store_lock(seeded):  # another process holds the lock for too long
        res = cli_import(
            sipas_file(tmp_path / "u.csv", {"N04": 62.0}),
            seeded,
            "--source",
            "synthetic",
            env={"PARLIB_LOCK_TIMEOUT": "1"},
        )
    assert res.returncode == 4 and "is busy" in res.stderr and len(res.stderr.strip().splitlines()) == 1


# --- hostile or odd files -----------------------------------------------------------------------
def _peak_mb_of_check(path: Path, store: Path) -> tuple[int, float, str]:
    # VmHWM: the peak RSS of this program (ru_maxrss would include the forking pytest's RSS on Linux)
    code = (
        "import sys\nfrom parlib.cli.main import main\n"
        "rc = main(['data', 'import', sys.argv[1], '--index', 'PAR', '--year', '2022', '--source', 'x', '--check'])\n"
        "hwm = [ln for ln in open('/proc/self/status') if ln.startswith('VmHWM')][0].split()[1]\n"
        "print(int(hwm) / 1024, file=sys.stderr)\nsys.exit(rc)"
    )
    res = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PARLIB_DATA_DIR": str(store)},
    )
    return res.returncode, float(res.stderr.strip().splitlines()[-1]), res.stderr


def test_zip_bombs_are_refused_before_parsing(store, tmp_path):
    sys.path.insert(0, str(FIXTURES))
    from make_fixtures import cells_bomb, strings_bomb

    cells_bomb(tmp_path / "synthetic-bomb-cells.xlsx", rows=6000, cols=40)  # 240,000 cells, ~7 MB of XML
    strings_bomb(tmp_path / "synthetic-bomb-strings.xlsx", mb=40)  # ~40 MB of shared strings
    for name, words in (("synthetic-bomb-cells.xlsx", "cells"), ("synthetic-bomb-strings.xlsx", "uncompressed")):
        rc, peak, err = _peak_mb_of_check(tmp_path / name, store)
        assert rc == 3 and words in err and "Traceback" not in err, err
        assert peak < 250, f"{name}: {peak:.0f} MB peak"


def test_formulas_without_saved_values_are_named(tmp_path):
    from openpyxl import load_workbook

    path = im.make_template("SIPAS", 2025, "xlsx", tmp_path / "synthetic-formulas.xlsx")
    wb = load_workbook(path)
    ws = wb["data"]
    header = next(r for r in ws.iter_rows() if r[0].value == "province_code")
    col = next(c.column for c in header if c.value == "TOTAL")
    for row in ws.iter_rows(min_row=header[0].row + 3):
        row[col - 1].value = f"=70+{row[0].row}/100"  # a formula openpyxl saves without its value
    ws["B5"] = SYNTHETIC
    wb.save(path)
    plan = im.validate_import(path, "SIPAS", 2025)
    msg = " ".join(str(p) for p in plan.errors)
    assert not plan.ok and "formulas without a saved value" in msg and "Paste Special" in msg
    assert f"{ws.cell(row=header[0].row + 3, column=col).coordinate}" in msg


def test_source_is_bounded_and_one_line(tmp_path):
    f = sipas_file(tmp_path / "u.csv", {"N04": 62.0})
    for bad, words in (("x" * 100_000, "100,000 characters"), ("two\nlines", "line break")):
        plan = im.validate_import(f, "SIPAS", 2025, source=bad)
        assert not plan.ok and any(words in p.found for p in plan.errors)


def test_formula_like_text_is_neutralised_in_every_csv_and_reads_back(store, tmp_path):
    evil = '=HYPERLINK("http://evil.example/x","Bộ Nội vụ")'
    f = sipas_file(tmp_path / "@SUM(1+1)*cmd.csv", {"N04": 62.0})
    plan = im.import_table(f, "SIPAS", 2025, source=evil)
    for csv_file in [store / "MANIFEST.csv", *store.glob("datasets/*/*.csv")]:
        for row in csv.reader(io.StringIO(csv_file.read_text(encoding="utf-8"))):
            for cell in row:
                assert not cell.startswith(("=", "+", "@", "\t", "\r")) and not (
                    cell.startswith("-") and not safe_csv._NUMBER.fullmatch(cell)
                ), (csv_file.name, cell)
    assert load_sources().set_index("source_id").title[plan.dataset_id] == evil  # read back as given
    assert "@SUM(1+1)*cmd.csv" in im.list_datasets().set_index("dataset_id").source[plan.dataset_id]
    from parlib.data.user_store import read_manifest

    assert any(u.startswith("@SUM(1+1)*cmd.csv") for u in read_manifest(store).upstream)


def test_safe_csv_keeps_negative_numbers_numbers():
    df = pd.DataFrame({"value": [-0.5, 1.25], "note": ["-0.5", "-1+2"]})
    text = safe_csv.frame_to_csv_bytes(df).decode()
    assert text.splitlines()[1:] == ["-0.5,-0.5", "1.25,'-1+2"]
    back = safe_csv.unescape_frame(pd.read_csv(io.StringIO(text), dtype={"note": str}))
    assert back.value.tolist() == [-0.5, 1.25] and back.note.tolist() == ["-0.5", "-1+2"]


def test_written_files_honour_the_umask(tmp_path):
    old = os.umask(0o022)
    try:
        t = im.make_template("SIPAS", 2025, "csv", tmp_path / "t.csv")
        im.import_table(sipas_file(tmp_path / "u.csv", {"N04": 62.0}), "SIPAS", 2025, source="synthetic")
    finally:
        os.umask(old)
    store = Path(os.environ["PARLIB_DATA_DIR"])
    for p in [t, store / "MANIFEST.csv", *store.glob("datasets/*/*")]:
        assert p.stat().st_mode & 0o777 == 0o644, p


# --- a small soak: many concurrent imports, nothing lost (the full one: benchmarks/soak_store.py) -----
def test_small_soak_of_concurrent_imports(store, tmp_path):
    sys.path.insert(0, str(HERE.parent / "benchmarks"))
    from soak_store import soak_imports

    res = soak_imports(store, tmp_path, n=8, kill_every=3, seed=uuid.uuid4().int % 1000)
    assert res["lost"] == res["extra"] == res["wrong_values"] == res["unexpected_exit"] == [], res
    assert res["tracebacks"] == 0 and res["exit_0"] >= 1 and res["leftovers"] == [".lock"], res

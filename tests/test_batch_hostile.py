"""Issue 18 (hostile world II), items 3, 6, 7 and 8: two batches into one folder, a stale kernel,
too many workers, and --resume after an import. Real processes: the ``parlib`` command."""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_batch import SYNTHETIC_BODY, cli, synthetic_notebook

pytestmark = pytest.mark.slow

FIXTURES = Path(__file__).parent / "fixtures" / "batch"


def _batch(nb: Path, out: Path, provinces: list[str], *more: str) -> list[str]:
    return [
        "batch",
        "--year",
        "2022",
        *[a for p in provinces for a in ("--province", p)],
        "--notebook",
        str(nb),
        "--out",
        str(out),
        "--quiet",
        *more,
    ]


def _listed(year_dir: Path) -> dict[str, str]:
    """What the three files of a batch folder list: {key: status}, checked equal across the three."""
    m = {r["key"]: r["status"] for r in json.loads((year_dir / "manifest.json").read_text())["reports"]}
    rows = list(csv.DictReader((year_dir / "manifest.csv").read_text().splitlines()))
    assert {r["key"]: r["status"] for r in rows} == m, "manifest.csv and manifest.json disagree"
    index = (year_dir / "index.html").read_text()
    linked = set(re.findall(r'href="(\w\w/[\w-]+)\.html"', index))
    assert linked == {k for k, s in m.items() if s in ("ok", "skipped")}, "index.html and manifest.json disagree"
    return m


def _on_disk(year_dir: Path) -> set[str]:
    return {f"{p.parent.name}/{p.stem}" for p in year_dir.glob("*/*.html")}


# --- item 3: two batches into the same --out ------------------------------------------------------
def test_two_batches_into_one_folder_keep_every_report(tmp_path):
    nb = synthetic_notebook(tmp_path / "synthetic_batch.ipynb", SYNTHETIC_BODY)
    out = tmp_path / "out"
    env = {**os.environ, "PARLIB_TEST_FAIL": "none", "PARLIB_TEST_SLEEP": "1"}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "parlib.cli", *_batch(nb, out, provs, "--workers", "1")],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for provs in (["01", "22"], ["33", "48"])
    ]
    for p in procs:
        o, e = p.communicate(timeout=300)
        assert p.returncode == 0 and "Traceback" not in o + e, o + e
    year_dir = out / "2022"
    assert _on_disk(year_dir) == {"en/ha-noi", "en/quang-ninh", "en/hung-yen", "en/da-nang"}
    assert _listed(year_dir) == dict.fromkeys(_on_disk(year_dir), "ok")  # concurrent: none lost

    # sequential: a third batch (another province, and one that now fails) keeps what the others wrote
    r = cli(*_batch(nb, out, ["79", "22"], "--workers", "1"), env={"PARLIB_TEST_FAIL": "22"})
    assert r.returncode == 1, r.stdout + r.stderr
    m = _listed(year_dir)
    assert set(m) == _on_disk(year_dir) == {"en/ha-noi", "en/quang-ninh", "en/hung-yen", "en/da-nang", "en/ho-chi-minh"}
    assert m["en/quang-ninh"] == "failed" and m["en/ho-chi-minh"] == "ok"  # its latest status
    assert not [p.name for p in year_dir.rglob(".*")]  # no lock or temporary file left


# --- item 6: a stale 'parlib' kernelspec -----------------------------------------------------------
def _stale_kernel(tmp_path: Path, python: str) -> tuple[dict, Path]:
    """A private JUPYTER_PATH whose 'parlib' kernel runs ``python`` (it shadows the real kernel for the
    processes given this environment only; the real kernelspec is never touched)."""
    spec = tmp_path / "jupyter" / "kernels" / "parlib" / "kernel.json"
    spec.parent.mkdir(parents=True)
    argv = [python, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    spec.write_text(json.dumps({"argv": argv, "display_name": "Python (parlib)", "language": "python"}))
    return {"JUPYTER_PATH": str(spec.parents[2]), "PARLIB_TEST_FAIL": "none"}, spec


def test_a_stale_kernel_is_re_registered_before_the_batch(tmp_path):
    gone = tmp_path / "deleted-venv" / "bin" / "python"  # a virtual environment that was removed
    env, spec = _stale_kernel(tmp_path, str(gone))
    nb = synthetic_notebook(tmp_path / "synthetic_batch.ipynb", SYNTHETIC_BODY)
    r = cli(*_batch(nb, tmp_path / "out", ["01", "33"], "--workers", "1"), env=env)
    assert r.returncode == 0 and "2 ok" in r.stdout, r.stdout + r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "kernel 'parlib'" in lines[0] and str(gone) in lines[0], r.stderr
    assert "FileNotFoundError" not in r.stdout + r.stderr
    assert json.loads(spec.read_text())["argv"][0] == sys.executable  # fixed where it was found


def test_a_kernel_without_parlib_is_re_registered_before_a_report(tmp_path):
    other = "/usr/bin/python3"  # an interpreter that exists, without parlib
    if not Path(other).exists() or subprocess.run([other, "-c", "import parlib"], capture_output=True).returncode == 0:
        pytest.skip("needs a Python without parlib at /usr/bin/python3")
    env, spec = _stale_kernel(tmp_path, other)
    r = cli("report", "33", "--year", "2022", "--out", str(tmp_path / "out"), env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "kernel 'parlib'" in r.stderr and "re-registered" in r.stderr, r.stderr
    assert json.loads(spec.read_text())["argv"][0] == sys.executable


def test_a_stale_kernel_that_cannot_be_fixed_is_one_line_with_the_command(tmp_path):
    gone = tmp_path / "deleted-venv" / "bin" / "python"
    env, spec = _stale_kernel(tmp_path, str(gone))
    before = spec.read_bytes()
    nb = synthetic_notebook(tmp_path / "synthetic_batch.ipynb", SYNTHETIC_BODY)
    r = cli(*_batch(nb, tmp_path / "out", ["01"]), env={**env, "PARLIB_FAULT_ENOSPC_AFTER": "0"})  # disk full
    assert r.returncode == 4 and "Traceback" not in r.stderr, r.stdout + r.stderr
    line = r.stderr.strip()
    assert len(line.splitlines()) == 1 and str(spec) in line and "ipykernel install" in line, line
    assert spec.read_bytes() == before and not (tmp_path / "out").exists()  # nothing half-done


def test_a_kernel_of_this_interpreter_is_checked_without_starting_a_python(monkeypatch, tmp_path):
    """The kernel check starts a Python to ask its parlib version (0.8 s of every batch and report)
    only when it cannot tell: not for this very interpreter importing this parlib from where any of its
    processes would (issue 21); still for one whose options change the import path, for a spec with
    an environment of its own, and when this parlib came from the working folder."""
    import subprocess as sp

    import parlib
    from parlib.run import kernels

    asked = []
    real = sp.run
    monkeypatch.setattr(sp, "run", lambda *a, **k: asked.append(a[0]) or real(*a, **k))
    home = str(Path(parlib.__file__).resolve().parents[1])
    argv = [sys.executable, "-Xfrozen_modules=off", "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    monkeypatch.setattr(sys, "path", [str(tmp_path)] + [p for p in sys.path if p])
    assert kernels._interpreter_problem(argv, str(tmp_path)) == "" and not asked
    for isolated in (["-I", "-m"], ["-sm"], ["-E", "-m"]):
        assert kernels._interpreter_problem(argv[:1] + isolated + argv[3:], str(tmp_path)) == ""
    assert len(asked) == 3
    assert kernels._interpreter_problem(argv, str(tmp_path), ask_python=True) == "" and len(asked) == 4
    monkeypatch.setattr(sys, "path", [home] + sys.path[1:])  # this parlib found in the first folder
    assert kernels._interpreter_problem(argv, str(tmp_path)) == "" and len(asked) == 5


# --- item 7: --workers 1000 ------------------------------------------------------------------------
def _pids(year_dir: Path) -> set[int]:
    return {r["pid"] for r in json.loads((year_dir / "manifest.json").read_text())["reports"]}


def test_workers_are_capped_by_cpus(tmp_path):
    nb = synthetic_notebook(tmp_path / "synthetic_batch.ipynb", SYNTHETIC_BODY)
    r = subprocess.run(
        [sys.executable, "-m", "parlib.cli", *_batch(nb, tmp_path / "out", ["01", "33"], "--workers", "1000")],
        env={**os.environ, "PARLIB_TEST_FAIL": "none", "PARLIB_TEST_SLEEP": "1"},
        capture_output=True,
        text=True,
        preexec_fn=lambda: os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}),  # one CPU for this batch
    )
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stderr.strip().splitlines() == [l for l in r.stderr.strip().splitlines() if "1 worker" in l]
    assert "1000" in r.stderr and "1 CPU" in r.stderr, r.stderr
    assert len(_pids(tmp_path / "out" / "2022")) == 1  # one worker rendered both


def test_workers_are_capped_by_memory(tmp_path):
    nb = synthetic_notebook(tmp_path / "synthetic_batch.ipynb", SYNTHETIC_BODY)
    # as if each worker needed more memory than the machine has available: one worker, said once
    r = cli(
        *_batch(nb, tmp_path / "out", ["01", "33"], "--workers", "1000"),
        env={"PARLIB_TEST_FAIL": "none", "PARLIB_TEST_SLEEP": "1", "PARLIB_WORKER_MB": "100000000"},
    )
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "1 worker" in lines[0] and "memory" in lines[0] and "1000" in lines[0], r.stderr
    assert len(_pids(tmp_path / "out" / "2022")) == 1


# --- item 8: --resume after an import --------------------------------------------------------------
def test_resume_after_an_import_re_renders_only_what_it_changed(tmp_path):
    nb = synthetic_notebook(tmp_path / "synthetic_batch.ipynb", SYNTHETIC_BODY)
    env = {"PARLIB_DATA_DIR": str(tmp_path / "store"), "PARLIB_TEST_FAIL": "none"}
    # Hà Nội (01) shares Hưng Yên's region (Red River Delta); Đà Nẵng (48) does not
    args = _batch(nb, tmp_path / "out", ["01", "33", "48"], "--workers", "1")
    r = cli(*args, env=env)
    assert r.returncode == 0 and "3 ok" in r.stdout, r.stdout + r.stderr
    r = cli(*args, "--resume", env=env)
    assert r.returncode == 0 and "3 unchanged" in r.stdout, r.stdout + r.stderr
    # a synthetic import of one figure: Hưng Yên's PAR INDEX 2022 total (parlib has its rank, not its score)
    fixture = FIXTURES / "synthetic-par-2022-one-province.csv"
    r = cli("data", "import", str(fixture), "--index", "PAR", "--year", "2022", "--source", "synthetic", env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    year_dir = tmp_path / "out" / "2022"
    before = json.loads((year_dir / "manifest.json").read_text())["reports"]
    time.sleep(1.1)
    r = cli(*args, "--resume", env=env)
    assert r.returncode == 0, r.stdout + r.stderr
    m = {x["key"]: x for x in json.loads((year_dir / "manifest.json").read_text())["reports"]}
    # Hưng Yên (its score) and Hà Nội (its region's average moved) are re-rendered; Đà Nẵng is not
    assert {k: x["status"] for k, x in m.items()} == {"en/hung-yen": "ok", "en/ha-noi": "ok", "en/da-nang": "skipped"}
    assert "2 ok, 1 unchanged" in r.stdout
    assert m["en/da-nang"]["fingerprint"] == {x["key"]: x for x in before}["en/da-nang"]["fingerprint"]

"""The user store's path as a hostile world sets it (issue 18, items 2 and 4). Real processes.

- ``PARLIB_DATA_DIR`` that is a regular file, under a file, a broken link or not readable: every
  command that reads the store says in one line what is wrong and exits 4; none runs on without
  the imports the user configured (``summary`` and ``batch`` used to exit 0 with none).
- ``--out`` inside the store is refused (exit 2); the store's recovery deletes only what parlib
  staged (a folder carrying its marker), never a folder it does not know.

Every table here is SYNTHETIC (fake values, named so).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from test_store_faults import sipas_file

SYNTHETIC_SOURCE = "SYNTHETIC TEST DATA (not a real publisher)"


def _cli(*argv: str, store: Path | str, cwd: Path, user: int | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PARLIB_DATA_DIR": str(store), "PARLIB_LOCK_TIMEOUT": "5"}
    cmd = [sys.executable, "-m", "parlib.cli", *argv]
    if user is not None:  # run as another user (root reads any folder whatever its mode)
        env |= {"HOME": str(cwd), "MPLCONFIGDIR": str(cwd / "mpl")}
        cmd = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=cwd, timeout=300)


def _commands(tmp: Path) -> dict[str, list[str]]:
    table = sipas_file(tmp / "synthetic-sipas-2025.csv", {"N04": 62.0})
    out = str(tmp / "out")
    return {
        "summary": ["summary", "Hưng Yên", "--year", "2022"],
        "scores": ["scores", "Hưng Yên", "--years", "2022"],
        "report": ["report", "Hưng Yên", "--year", "2022", "--out", out],
        "overview": ["overview", "--year", "2022", "--out", out],
        "batch": ["batch", "--year", "2022", "--province", "Hưng Yên", "--out", out, "--quiet"],
        "data list": ["data", "list"],
        "data sources": ["data", "sources"],
        "data coverage": ["data", "coverage", "--index", "PAR"],
        "data import": ["data", "import", str(table), "--index", "SIPAS", "--year", "2025", "--source", "synthetic"],
        "data remove": ["data", "remove", "sipas-2025-00000000"],
        "data repair": ["data", "repair"],
    }


def _assert_refused(res, *needles: str) -> None:
    assert res.returncode == 4, (res.returncode, res.stdout[-300:], res.stderr[-800:])
    assert "Traceback" not in res.stderr and res.stdout == "", (res.stdout[-300:], res.stderr)
    assert len(res.stderr.strip().splitlines()) == 1, res.stderr
    for n in needles:
        assert n in res.stderr, (n, res.stderr)


def test_store_that_is_a_file_stops_every_command_that_reads_it(tmp_path):
    f = tmp_path / "store-is-a-file"
    f.write_text("not a folder")
    for name, argv in _commands(tmp_path).items():
        for store in (f, f / "sub"):
            res = _cli(*argv, store=store, cwd=tmp_path)
            _assert_refused(res, "not a folder", str(f), "PARLIB_DATA_DIR")
    assert f.read_text() == "not a folder" and not (tmp_path / "out").exists()
    # commands that do not read the store still work
    assert _cli("provinces", store=f, cwd=tmp_path).returncode == 0


def test_store_that_is_a_broken_link_names_its_target(tmp_path):
    link = tmp_path / "store-link"
    link.symlink_to(tmp_path / "gone")
    for name in ("summary", "batch", "data list", "data import", "data sources"):
        res = _cli(*_commands(tmp_path)[name], store=link, cwd=tmp_path)
        _assert_refused(res, "broken link", str(tmp_path / "gone"), str(link))
    assert not (tmp_path / "gone").exists() and not (tmp_path / "out").exists()


def test_store_that_cannot_be_read_is_said_never_read_as_empty(tmp_path):
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv to run a command as another user")
    nobody = 65534
    home = Path(tempfile.mkdtemp(prefix="parlib-unreadable-"))
    try:
        home.chmod(0o777)
        store = home / "store"
        store.mkdir()
        (store / "MANIFEST.csv").write_text("synthetic")
        store.chmod(0o700)  # root's: the other user cannot list or read it
        for name in ("summary", "batch", "data list", "data sources"):
            argv = [a.replace(str(tmp_path), str(home)) for a in _commands(tmp_path)[name]]
            res = _cli(*argv, store=store, cwd=home, user=nobody)
            _assert_refused(res, "not readable", str(store))
        assert not (home / "out").exists()
    finally:
        shutil.rmtree(home, ignore_errors=True)


def test_a_missing_store_is_an_empty_one(tmp_path):
    """Not yet created (no import so far) is not an error: the first import creates it."""
    res = _cli("data", "list", store=tmp_path / "not-yet", cwd=tmp_path)
    assert res.returncode == 0 and "0 imported" in res.stdout, res.stderr


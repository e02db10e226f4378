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


# --- item 4: reports never go into the store; recovery deletes only what parlib staged ---------
def _seed(store: Path, tmp: Path) -> None:
    from parlib import importer as im

    im.import_table(sipas_file(tmp / "synthetic-seed.csv", {"N01": 71.11}), "SIPAS", 2025, source=SYNTHETIC_SOURCE)


@pytest.mark.parametrize("inside", ["", "datasets", "datasets/my-reports"])
def test_out_inside_the_store_is_refused(tmp_path, monkeypatch, inside):
    store = tmp_path / "store"
    monkeypatch.setenv("PARLIB_DATA_DIR", str(store))
    _seed(store, tmp_path)
    out = store / inside if inside else store
    for argv in (
        ["report", "Hưng Yên", "--year", "2022", "--out", str(out)],
        ["overview", "--year", "2022", "--out", str(out)],
        ["batch", "--year", "2022", "--province", "Hưng Yên", "--out", str(out), "--quiet"],
    ):
        res = _cli(*argv, store=store, cwd=tmp_path)
        assert res.returncode == 2, (argv, res.returncode, res.stderr[-500:])
        assert "Traceback" not in res.stderr and len(res.stderr.strip().splitlines()) == 1, res.stderr
        assert "inside the user store" in res.stderr and str(store) in res.stderr, res.stderr
    assert not (store / "2022").exists() and not (store / "datasets" / "my-reports").exists()


def test_recovery_never_deletes_a_folder_parlib_did_not_stage(tmp_path, monkeypatch):
    store = tmp_path / "store"
    monkeypatch.setenv("PARLIB_DATA_DIR", str(store))
    _seed(store, tmp_path)
    # a user's folder in the store (e.g. an earlier batch's --out) and one at the store's top level
    # named like a staging folder, neither written by parlib
    mine = store / "datasets" / "my-reports" / "2022"
    mine.mkdir(parents=True)
    (mine / "index.html").write_text("<p>my index</p>")
    (mine / "manifest.json").write_text("{}")
    lookalike = store / ".partial-mine"
    lookalike.mkdir()
    (lookalike / "notes.txt").write_text("mine")
    for argv in (["data", "list"], ["data", "coverage", "--index", "SIPAS"]):  # a load recovers
        res = _cli(*argv, store=store, cwd=tmp_path)
        assert res.returncode == 0, res.stderr[-500:]
    from parlib.data.user_store import recover

    recover(store, wait=True)
    assert (mine / "index.html").read_text() == "<p>my index</p>" and (mine / "manifest.json").exists()
    assert (lookalike / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize("point", ["staged", "renamed"])
def test_recovery_still_removes_what_a_killed_import_staged(tmp_path, monkeypatch, point):
    from test_store_faults import cli_import, tree

    store = tmp_path / "store"
    monkeypatch.setenv("PARLIB_DATA_DIR", str(store))
    _seed(store, tmp_path)
    before = tree(store)
    table = sipas_file(tmp_path / "synthetic-u.csv", {"N04": 62.0})
    res = cli_import(table, store, "--source", "synthetic", env={"PARLIB_FAULT_POINT": point})
    assert res.returncode != 0
    assert tree(store) != before  # the killed import left its staging behind
    res = _cli("data", "coverage", "--index", "SIPAS", store=store, cwd=tmp_path)  # a load recovers
    assert res.returncode == 0 and tree(store) == before, sorted(set(tree(store)) ^ set(before))

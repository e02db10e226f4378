"""``parlib batch --lang`` as a hostile user types it (issue 18, item 5): languages are
de-duplicated, and an empty list is one line and exit 2, never a traceback. Real processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


def _batch(tmp_path, lang: str) -> subprocess.CompletedProcess:
    argv = [sys.executable, "-m", "parlib.cli", "batch", "--year", "2022", "--province", "Hưng Yên"]
    argv += ["--lang", lang, "--out", str(tmp_path / "out"), "--workers", "1", "--quiet"]
    return subprocess.run(argv, capture_output=True, text=True, env=os.environ.copy(), cwd=tmp_path, timeout=600)


@pytest.mark.parametrize("lang", ["", ",", " ", " , ,"])
def test_empty_language_list_is_one_line_and_exit_2(tmp_path, lang):
    res = _batch(tmp_path, lang)
    assert res.returncode == 2, (res.returncode, res.stderr[-500:])
    assert "Traceback" not in res.stderr and len(res.stderr.strip().splitlines()) == 1, res.stderr
    assert "--lang" in res.stderr and "en" in res.stderr and "vi" in res.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_a_language_named_twice_renders_once(tmp_path):
    res = _batch(tmp_path, "en,en, en ,")
    assert res.returncode == 0, res.stderr[-2000:]
    assert "1 reports" in res.stdout and "1 ok" in res.stdout, res.stdout
    manifest = json.loads((tmp_path / "out" / "2022" / "manifest.json").read_text(encoding="utf-8"))
    keys = [r["key"] for r in manifest["reports"]]
    assert keys == ["en/hung-yen"], keys

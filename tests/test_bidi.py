"""Bidirectional control characters in an imported source (issue 18, item 9).

U+202E (RIGHT-TO-LEFT OVERRIDE) and friends in a source title were kept raw: the HTML, the PDF and
a terminal showed the title reversed. They are stripped at import (with a warning; the original
copy keeps the file's bytes) and escaped on every output of a store that still holds them.
Every table here is SYNTHETIC (fake values, named so). Real processes for the command line.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from parlib import importer as im

BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
TITLE = "SYNTHETIC \u202eannex 1\u202c title \u2067x\u2069\u200f"
PUBLISHER = "\u2066SYNTHETIC TEST DATA (not a real publisher)\u2069"


@pytest.fixture(autouse=True)
def store(tmp_path, monkeypatch) -> Path:
    s = tmp_path / "store"
    monkeypatch.setenv("PARLIB_DATA_DIR", str(s))
    monkeypatch.chdir(tmp_path)
    return s


def synthetic_sipas_2025(path: Path) -> Path:
    """A SYNTHETIC SIPAS 2025 table (template layout) whose source block carries bidi controls."""
    im.make_template("SIPAS", 2025, "csv", path)
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    header = next(r for r in rows if r[:1] == ["province_code"])
    for r in rows:
        if r[:1] == ["source_publisher"]:
            r[1] = PUBLISHER
        if r[:1] == ["source_title"]:
            r[1] = TITLE
        if r[:1] and r[0] in ("N01", "N04"):
            r += [""] * (len(header) - len(r))
            r[header.index("TOTAL")] = "71.11" if r[0] == "N01" else "62.00"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8-sig")
    return path


def _cli(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "parlib.cli", *argv], capture_output=True, text=True, env=os.environ.copy(), timeout=300
    )


def _has_bidi(text: str) -> bool:
    return any(c in BIDI for c in text)


def test_import_strips_bidi_controls_keeps_the_original_bytes_and_says_so(store, tmp_path):
    table = synthetic_sipas_2025(tmp_path / "synthetic-sipas-2025-bidi.csv")
    res = _cli("data", "import", str(table), "--index", "SIPAS", "--year", "2025")
    assert res.returncode == 0, res.stderr[-1500:]
    out = res.stdout + res.stderr
    assert "Traceback" not in out and "U+202E" in out and "source_title" in out, out
    (folder,) = (store / "datasets").iterdir()
    sources = (folder / "sources.csv").read_text(encoding="utf-8")
    assert not _has_bidi(sources), repr(sources)
    assert "SYNTHETIC annex 1 title x" in sources and "SYNTHETIC TEST DATA" in sources
    original = next(folder.glob("original.*"))
    assert hashlib.sha256(original.read_bytes()).digest() == hashlib.sha256(table.read_bytes()).digest()
    for argv in (["data", "sources", "--kind", "user_import"], ["data", "list"]):
        res = _cli(*argv)
        assert res.returncode == 0 and not _has_bidi(res.stdout) and "SYNTHETIC" in res.stdout, res.stdout


def _store_with_raw_bidi(store: Path, tmp_path: Path) -> Path:
    """A store written before the rule: its sources.csv holds the raw controls (manifest resealed)."""
    from parlib.data.files import atomic_write
    from parlib.data.user_store import manifest_bytes, read_manifest

    im.import_table(synthetic_sipas_2025(tmp_path / "synthetic-sipas-2025-bidi.csv"), "SIPAS", 2025)
    (folder,) = (store / "datasets").iterdir()
    path = folder / "sources.csv"
    text = path.read_text(encoding="utf-8").replace("SYNTHETIC annex 1 title x", TITLE.replace('"', ""))
    path.write_bytes(text.encode("utf-8"))
    m = read_manifest(store)
    m.loc[m.file == f"datasets/{folder.name}/sources.csv", "sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    atomic_write(store / "MANIFEST.csv", manifest_bytes(m))
    return folder


def test_a_store_holding_raw_controls_is_escaped_on_every_output(store, tmp_path):
    _store_with_raw_bidi(store, tmp_path)
    for argv in (["data", "sources", "--kind", "user_import"], ["data", "list"]):  # (the list shortens titles)
        res = _cli(*argv)
        assert res.returncode == 0, res.stderr[-800:]
        assert not _has_bidi(res.stdout) and "SYNTHETIC" in res.stdout, res.stdout
        assert "[U+202E]" in res.stdout or argv[1] == "list"
    from parlib.data.loading import load_sources

    titles = " ".join(load_sources().title)
    assert not _has_bidi(titles) and "[U+202E]annex 1" in titles


def test_report_html_escapes_bidi_controls():
    from parlib.run.render import html_bytes

    nb = {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {},
        "cells": [
            {"cell_type": "markdown", "id": "a", "metadata": {}, "source": f"Source: {TITLE}"},
            {
                "cell_type": "code",
                "id": "b",
                "metadata": {},
                "execution_count": 1,
                "source": "",
                "outputs": [
                    {
                        "output_type": "display_data",
                        "metadata": {},
                        "data": {"text/html": f"<p>{PUBLISHER}</p>", "text/plain": PUBLISHER},
                    }
                ],
            },
        ],
    }
    html = html_bytes(nb, title=f"SYNTHETIC {TITLE}", lang="en").decode("utf-8")
    assert not _has_bidi(html)
    assert "[U+202E]annex 1" in html and "[U+2066]SYNTHETIC TEST DATA" in html

"""The command line, as a user runs it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from parlib.cli import main


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_scores_hung_yen_done_when(capsys):
    code, out, _ = run(capsys, "scores", "Hung Yen", "--years", "2021-2022")
    assert code == 0
    rows = out.splitlines()

    def row(index, year, *needles):
        return any(l.startswith(index) and f" {year} " in l and all(n in l for n in needles) for l in rows)

    assert row("PAPI", 2021, "45.37", "5th/60")
    assert row("PAPI", 2022, "44.18", "11th/61", "hungyen-portal-2023-05-26")
    assert row("PAR INDEX", 2021, "88.34%", "12th/63")
    assert row("PAR INDEX", 2022, "no score", "12th/63", "hungyen-portal-2023-05-26")
    assert row("SIPAS", 2021, "92.07%", "3rd/63")
    assert row("SIPAS", 2022, "6th/63")
    assert "Sources:" in out


def test_scores_vietnamese_uses_decimal_comma(capsys):
    code, out, _ = run(capsys, "scores", "Hưng Yên", "--years", "2021", "--lang", "vi")
    assert code == 0 and "88,34%" in out and "12/63" in out and "Đồng bằng sông Hồng" in out


def test_scores_in_vietnamese_leave_no_english_label(capsys):
    """Written here, not read from vi.po: the rank's own source and the sources' heading."""
    code, out, _ = run(capsys, "scores", "Hưng Yên", "--years", "2022", "--index", "PAPI", "--lang", "vi")
    assert code == 0 and "thứ hạng: hungyen-portal-2023-05-26" in out and "\nNguồn:" in out
    assert "rank:" not in out and "Sources:" not in out


def test_scores_of_a_province_without_data_says_what_parlib_holds(capsys):
    """Hà Tây (merged into Hà Nội in 2008) has no PAR INDEX: not "not published"."""
    code, out, _ = run(capsys, "scores", "Hà Tây", "--years", "2007", "--index", "PAR")
    assert code == 0 and "No scores in parlib's data" in out and "published" not in out


def test_unknown_province_exit_code_and_suggestion(capsys):
    code, _, err = run(capsys, "scores", "Hung Yem")
    assert code == 2 and "Hưng Yên" in err


def test_bad_years_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as e:
        main(["scores", "Hung Yen", "--years", "2022-2021"])
    assert e.value.code == 2


def test_provinces_and_sources(capsys):
    code, out, _ = run(capsys, "provinces", "--unit-set", "VN34")
    assert code == 0 and "N33" in out and len([l for l in out.splitlines() if l.startswith("N")]) == 34
    code, out, _ = run(capsys, "data", "sources", "--files")
    assert code == 0 and "scores/papi.csv" in out
    code, out, _ = run(capsys, "data", "sources", "--kind", "official_workbook")
    assert code == 0 and "papi-official-2011-2016" in out


@pytest.mark.parametrize("args", [[], ["scores"], ["provinces"], ["data"], ["data", "sources"], ["data", "coverage"]])
def test_help_everywhere(args):
    r = subprocess.run([sys.executable, "-m", "parlib.cli", *args, "--help"], capture_output=True, text=True)
    assert r.returncode == 0 and "usage: parlib" in r.stdout


def _processes_with(marker: str) -> list[str]:
    """Processes whose environment carries ``marker`` (a kernel inherits its parent's environment)."""
    from pathlib import Path

    found = []
    for env in Path("/proc").glob("[0-9]*/environ"):
        try:
            if marker.encode() in env.read_bytes():
                found.append((env.parent / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"))
        except OSError:
            continue
    return found


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")
def test_a_refused_report_leaves_no_kernel_behind(tmp_path):
    """`parlib report` launches its kernel before it checks the name (the kernel boots meanwhile): a
    refused name still exits 2 in one line, and the kernel it launched is gone when it returns, with
    its connection file and socket folder (a kernel merely orphaned would exit with its parent but
    leave those in the temporary folder)."""
    import os
    import uuid

    marker = f"PARLIB_TEST_MARK={uuid.uuid4().hex}"
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, marker.split("=")[0]: marker.split("=")[1], "TMPDIR": str(scratch)}
    r = subprocess.run(
        [sys.executable, "-m", "parlib.cli", "report", "Hung Yem", "--year", "2022", "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1 and "Hưng Yên" in r.stderr, r.stderr
    assert _processes_with(marker) == []
    assert sorted(p.name for p in scratch.iterdir()) == []  # no kernel-*.json, no parlib-kernel-* folder

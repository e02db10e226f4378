"""Batch rendering: fault isolation, manifest and index, resume, SIGTERM, warm-kernel state, Dask."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import psutil
import pytest

from parlib.run import warm
from parlib.run.batch import plan, run_batch
from parlib.run.render import run_notebook, validate_report_params

pytestmark = pytest.mark.slow

PARAMS = """province: str = "33"  # province
year: int = 2022  # year
lang: str = "en"  # language
indices: list = []  # indices
base_year: int = 0  # base year
data_dir: str = ""  # data"""


def synthetic_notebook(path: Path, body: str) -> Path:
    """Synthetic fixture: a tiny parameterised notebook (not a real report)."""
    cell = nbformat.v4.new_code_cell(PARAMS)
    cell.metadata["tags"] = ["parameters"]
    nb = nbformat.v4.new_notebook(cells=[cell, nbformat.v4.new_code_cell(body)])
    nb.metadata["kernelspec"] = {"name": "parlib", "display_name": "Python (parlib)", "language": "python"}
    nbformat.write(nb, path)
    return path


SYNTHETIC_BODY = """import os, time
if province == os.environ.get("PARLIB_TEST_FAIL", "04"):
    raise RuntimeError("synthetic failure for " + province)
time.sleep(float(os.environ.get("PARLIB_TEST_SLEEP", "0")))
from IPython.display import Markdown, display
display(Markdown(f"synthetic report {province} {year} {lang}"))"""


def cli(*args, env=None, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "parlib.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        **kw,
    )


def kernel_pids(mark: str = "") -> set[int]:
    """Kernel processes; with ``mark``, only those of processes started with ``PARLIB_TEST_MARK=mark``
    (other test runs on the machine start and stop kernels too)."""
    out = set()
    for p in psutil.process_iter(["cmdline"]):
        cmd = " ".join(p.info["cmdline"] or [])
        if "ipykernel_launcher" in cmd:
            try:
                if not mark or p.environ().get("PARLIB_TEST_MARK") == mark:
                    out.add(p.pid)
            except psutil.Error:
                pass
    return out


def test_one_failure_is_isolated_recorded_and_resumed(tmp_path):
    nb = synthetic_notebook(tmp_path / "synthetic_batch.ipynb", SYNTHETIC_BODY)
    args = [
        "batch",
        "--year",
        "2022",
        "--province",
        "01",
        "--province",
        "04",
        "--province",
        "33",
        "--lang",
        "en",
        "--notebook",
        str(nb),
        "--out",
        str(tmp_path / "out"),
        "--workers",
        "2",
        "--quiet",
    ]
    r = cli(*args)
    assert r.returncode == 1, r.stdout + r.stderr
    assert "2 ok" in r.stdout and "1 failed" in r.stdout and "en/cao-bang" in r.stdout
    year_dir = tmp_path / "out" / "2022"
    m = {x["key"]: x for x in json.loads((year_dir / "manifest.json").read_text())["reports"]}
    assert m["en/cao-bang"]["status"] == "failed" and "synthetic failure for 04" in m["en/cao-bang"]["error"]
    assert m["en/ha-noi"]["status"] == m["en/hung-yen"]["status"] == "ok"
    assert (year_dir / "en" / "hung-yen.html").exists() and not (year_dir / "en" / "cao-bang.html").exists()
    assert (year_dir / "en" / "cao-bang.failed.ipynb").exists()
    index = (year_dir / "index.html").read_text()
    assert "synthetic failure for 04" in index and 'href="en/hung-yen.html"' in index
    assert "manifest.csv" and "cao-bang" in (year_dir / "manifest.csv").read_text()
    for key in ("en/ha-noi", "en/hung-yen"):
        assert m[key]["fingerprint"] and m[key]["seconds"] > 0

    good = {k: Path(m[k]["html"]).read_bytes() for k in ("en/ha-noi", "en/hung-yen")}
    r2 = cli(*args, "--resume")
    assert r2.returncode == 1 and "2 unchanged (skipped)" in r2.stdout and "1 failed" in r2.stdout
    m2 = {x["key"]: x for x in json.loads((year_dir / "manifest.json").read_text())["reports"]}
    assert (
        m2["en/ha-noi"]["status"] == "skipped" and m2["en/cao-bang"]["finished_at"] >= m["en/cao-bang"]["finished_at"]
    )
    assert all(Path(m[k]["html"]).read_bytes() == v for k, v in good.items())  # untouched

    r3 = cli(*args, "--resume", env={"PARLIB_TEST_FAIL": "none"})  # the failure is fixed
    assert r3.returncode == 0 and "1 ok" in r3.stdout and "2 unchanged" in r3.stdout


def test_timeout_is_per_report(tmp_path):
    nb = synthetic_notebook(tmp_path / "synthetic_slow.ipynb", SYNTHETIC_BODY)
    os.environ["PARLIB_TEST_SLEEP"] = "60"
    try:
        tasks = plan(2022, ["33"], ["en"], notebook=str(nb), out=tmp_path / "out", timeout=3)
        res = run_batch(tasks, workers=1, progress=False)
    finally:
        del os.environ["PARLIB_TEST_SLEEP"]
    assert res.records[0]["status"] == "timeout" and "3 s" in res.records[0]["error"]
    assert res.records[0]["seconds"] < 40


def test_warm_kernel_leaks_no_state(tmp_path, monkeypatch):
    body = """assert "leaked_from_previous_report" not in globals(), "state leaked from the previous report"
leaked_from_previous_report = province
import matplotlib
assert matplotlib.rcParams["lines.linewidth"] == matplotlib.rcParamsDefault["lines.linewidth"], "rcParams leaked"
matplotlib.rcParams["lines.linewidth"] = 9"""
    nb = synthetic_notebook(tmp_path / "synthetic_leak.ipynb", body)
    out = tmp_path / "out"
    params = [validate_report_params(p, 2022, "en") for p in ("01", "33", "79")]
    for p in params:  # the same warm kernel serves all three
        run_notebook(nb, p, out, engine=warm.ENGINE_NAME)
    assert warm.kernel("parlib").runs >= 3
    # the check can fail: without the reset, the next run sees the previous run's variable
    monkeypatch.setattr(warm, "RESET", "pass")
    with pytest.raises(Exception, match="state leaked"):
        run_notebook(nb, params[0], out, engine=warm.ENGINE_NAME)
    warm.shutdown_all()


def test_sigterm_leaves_good_reports_and_no_kernels(tmp_path):
    nb = synthetic_notebook(tmp_path / "synthetic_batch.ipynb", SYNTHETIC_BODY)
    provs = ["01", "22", "31", "33", "48", "79"]
    base = [
        "batch",
        "--year",
        "2022",
        "--lang",
        "en",
        "--notebook",
        str(nb),
        "--out",
        str(tmp_path / "out"),
        "--quiet",
        "--workers",
        "1",
    ] + [a for p in provs for a in ("--province", p)]
    assert cli(*base, env={"PARLIB_TEST_FAIL": "none"}).returncode == 0
    year_dir = tmp_path / "out" / "2022"
    before = {p.name: p.read_bytes() for p in (year_dir / "en").glob("*.html")}
    assert len(before) == len(provs)
    mark = str(tmp_path)
    time.sleep(1.1)
    launched = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    proc = subprocess.Popen(
        [sys.executable, "-m", "parlib.cli", *base],
        env={**os.environ, "PARLIB_TEST_FAIL": "none", "PARLIB_TEST_SLEEP": "2", "PARLIB_TEST_MARK": mark},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.time() + 90
    while time.time() < deadline:  # wait until one report of the second run has finished
        m = json.loads((year_dir / "manifest.json").read_text())
        if any(r.get("finished_at", "") > launched and r["status"] == "ok" for r in m["reports"]):
            break
        time.sleep(0.3)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, out + err
    time.sleep(2)
    leftover = kernel_pids(mark)
    assert not leftover, f"kernel processes left behind: {leftover}"
    m = {x["key"]: x for x in json.loads((year_dir / "manifest.json").read_text())["reports"]}
    statuses = [r["status"] for r in m.values()]
    assert "cancelled" in statuses and "ok" in statuses
    for name, data in before.items():
        now = (year_dir / "en" / name).read_bytes()
        rec = m["en/" + name.removesuffix(".html")]
        assert now == data or rec["status"] == "ok", f"{name} was changed by an unfinished run"
    assert not list((year_dir / "en").glob(".*.tmp")) and not list((year_dir / "en").glob(".*.ipynb"))


def _numbers(html_path: Path) -> list[str]:
    text = re.sub(r"<[^>]+>", " ", html_path.read_text(encoding="utf-8"))
    text = re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", "", text)  # generation timestamp
    text = text.split("Sources and provenance")[0]
    return re.findall(r"\d+(?:[.,]\d+)?", text)


def test_dask_gives_the_same_numbers_as_local(tmp_path):
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    )
    client = distributed.Client(cluster)
    try:
        tasks = plan(2022, ["33", "22"], ["en"], out=tmp_path / "dask")
        res = run_batch(tasks, executor=client.get_executor(), progress=False)
    finally:
        client.close()
        cluster.close()
    assert res.ok, res.records
    local = run_batch(plan(2022, ["33", "22"], ["en"], out=tmp_path / "local"), workers=2, progress=False)
    assert local.ok
    for d, l in zip(res.records, local.records):
        assert d["pid"] != os.getpid()
        assert _numbers(Path(d["html"])) == _numbers(Path(l["html"]))


# --- issue 11: signals, escalation, de-duplication, kernel, umask, full disk --------------------------
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from soak_store import batch_consistent  # noqa: E402


def _mount(folder: Path, options: str) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    return (
        os.geteuid() == 0
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)], capture_output=True
        ).returncode
        == 0
    )


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGINT"])
def test_signal_as_a_report_finishes_leaves_a_consistent_manifest(tmp_path, sig):
    nb = synthetic_notebook(tmp_path / "synthetic_batch.ipynb", SYNTHETIC_BODY)
    started = time.time()
    r = cli(
        "batch",
        "--year",
        "2022",
        "--province",
        "01",
        "--province",
        "22",
        "--province",
        "33",
        "--notebook",
        str(nb),
        "--out",
        str(tmp_path / "out"),
        "--workers",
        "1",
        "--quiet",
        env={"PARLIB_TEST_FAIL": "none", "PARLIB_FAULT_SIGNAL_PARENT": sig},
    )
    assert r.returncode == 130, r.stdout + r.stderr
    assert "Traceback" not in r.stdout + r.stderr
    year_dir = tmp_path / "out" / "2022"
    keys = ["en/ha-noi", "en/quang-ninh", "en/hung-yen"]
    assert batch_consistent(year_dir, keys, started) == []
    m = {x["key"]: x for x in json.loads((year_dir / "manifest.json").read_text())["reports"]}
    assert m["en/ha-noi"]["status"] == "ok" and (year_dir / "en" / "ha-noi.html").exists()


def test_uninterruptible_cell_is_killed_after_a_grace_and_the_worker_goes_on(tmp_path):
    body = """import os, signal, time
if province == "01":
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # like a blocked C call: the interrupt is ignored
    time.sleep(120)
print("synthetic", province)"""
    nb = synthetic_notebook(tmp_path / "synthetic_stuck.ipynb", body)
    r = cli(
        "batch",
        "--year",
        "2022",
        "--province",
        "01",
        "--province",
        "33",
        "--notebook",
        str(nb),
        "--out",
        str(tmp_path / "out"),
        "--workers",
        "1",
        "--timeout",
        "3",
        "--quiet",
        env={"PARLIB_KILL_GRACE": "2"},
    )
    m = {x["key"]: x for x in json.loads((tmp_path / "out" / "2022" / "manifest.json").read_text())["reports"]}
    assert m["en/ha-noi"]["status"] == "timeout", r.stdout + r.stderr
    assert m["en/ha-noi"]["seconds"] - m["en/ha-noi"].get("kernel_start_seconds", 0) < 20
    assert m["en/hung-yen"]["status"] == "ok"  # a fresh kernel for the next report


def test_a_province_named_three_ways_is_rendered_once(tmp_path):
    nb = synthetic_notebook(tmp_path / "synthetic_batch.ipynb", SYNTHETIC_BODY)
    r = cli(
        "batch",
        "--year",
        "2022",
        "--province",
        "Hà Nội",
        "--province",
        "HA NOI",
        "--province",
        "01",
        "--notebook",
        str(nb),
        "--out",
        str(tmp_path / "out"),
        "--quiet",
        "--workers",
        "1",
    )
    assert r.returncode == 0 and "1 reports" in r.stdout and "rendered once" in r.stderr, r.stdout + r.stderr


def test_bad_workers_timeout_and_out_are_one_line(tmp_path):
    for args in (["--workers", "-1"], ["--workers", "0"], ["--timeout", "-5"]):
        r = cli("batch", "--year", "2022", "--province", "01", *args)
        assert r.returncode == 2 and "Traceback" not in r.stderr and "1 or more" in r.stderr
    (tmp_path / "a-file").write_text("x")
    r = cli("report", "01", "--year", "2022", "--out", str(tmp_path / "a-file"))
    assert r.returncode == 4 and len(r.stderr.strip().splitlines()) == 1 and "a-file" in r.stderr, r.stderr


def test_batch_registers_the_kernel_when_it_is_missing(tmp_path):
    from jupyter_client.kernelspec import KernelSpecManager

    spec = Path(KernelSpecManager().find_kernel_specs()["parlib"])
    aside = tmp_path / "kernel-aside"
    shutil.move(spec, aside)  # as after `pip install parlib`: no 'parlib' kernel
    try:
        nb = synthetic_notebook(tmp_path / "synthetic_batch.ipynb", SYNTHETIC_BODY)
        r = cli(
            "batch",
            "--year",
            "2022",
            "--province",
            "33",
            "--notebook",
            str(nb),
            "--out",
            str(tmp_path / "o"),
            "--quiet",
            "--workers",
            "1",
        )
        assert r.returncode == 0 and "1 ok" in r.stdout, r.stdout + r.stderr
        assert "parlib" in KernelSpecManager().find_kernel_specs()
    finally:
        if not spec.exists():
            shutil.move(aside, spec)


def test_reports_and_manifests_honour_the_umask_and_are_formula_safe(tmp_path):
    nb = synthetic_notebook(tmp_path / "synthetic_batch.ipynb", SYNTHETIC_BODY)
    r = subprocess.run(
        [
            sys.executable,
            "-m",
            "parlib.cli",
            "batch",
            "--year",
            "2022",
            "--province",
            "33",
            "--notebook",
            str(nb),
            "--out",
            "@SUM(1+1)",
            "--quiet",
            "--workers",
            "1",
        ],
        capture_output=True,
        text=True,
        preexec_fn=lambda: os.umask(0o022),
        cwd=tmp_path,
    )
    assert r.returncode == 0, r.stderr
    year_dir = tmp_path / "@SUM(1+1)" / "2022"
    files = [year_dir / n for n in ("manifest.json", "manifest.csv", "index.html")]
    files += [year_dir / "en" / n for n in ("hung-yen.html", "hung-yen.ipynb")]
    assert {p.name: oct(p.stat().st_mode & 0o777) for p in files} == {p.name: "0o644" for p in files}
    import csv

    from parlib.data.safe_csv import read_csv_text

    text = (year_dir / "manifest.csv").read_text()
    assert not any(c.startswith(("=", "+", "@")) for row in csv.reader(text.splitlines()) for c in row)
    header, row = read_csv_text(text)
    assert row[header.index("html")] == "@SUM(1+1)/2022/en/hung-yen.html"  # read back as written


def test_disk_full_during_a_batch_and_a_report(tmp_path):
    nb = synthetic_notebook(tmp_path / "synthetic_batch.ipynb", SYNTHETIC_BODY)
    out = tmp_path / "small"
    mounted = _mount(out, "size=160k")  # a report's HTML (~260 KB) does not fit; a manifest does
    env = {} if mounted else {"PARLIB_FAULT_ENOSPC_AFTER": "100000"}  # else: the fault-injecting layer
    try:
        r = cli(
            "batch",
            "--year",
            "2022",
            "--province",
            "01",
            "--province",
            "33",
            "--notebook",
            str(nb),
            "--out",
            str(out),
            "--quiet",
            "--workers",
            "1",
            env=env,
        )
        assert r.returncode in (1, 4) and "Traceback" not in r.stderr, r.stdout + r.stderr
        if r.returncode == 1:  # the manifest fitted: it records both failures
            m = json.loads((out / "2022" / "manifest.json").read_text())["reports"]
            assert [x["status"] for x in m] == ["failed", "failed"] and "No space left" in m[0]["error"]
        else:
            assert "disk is full" in r.stderr and len(r.stderr.strip().splitlines()) == 1
        assert not [p for p in out.rglob(".*") if p.is_file()]  # no hidden temp file left
        for where, e in ((out, {}), (tmp_path / "rep", {"PARLIB_FAULT_ENOSPC_AFTER": "100000"})):
            # a real full disk (the notebook cannot be written) and a failing HTML export (fault injection)
            r = cli("report", "33", "--year", "2022", "--out", str(where), env=e)
            assert r.returncode == 4 and "the disk is full" in r.stderr and "Traceback" not in r.stderr, r.stderr
            assert len(r.stderr.strip().splitlines()) == 1 and str(where) in r.stderr
            left = [p.name for p in where.rglob("*") if p.is_file() and ("hung-yen" in p.name or p.name[0] == ".")]
            assert left == [], "a half-written file was left"
    finally:
        if mounted:
            subprocess.run(["umount", str(out)], check=False)


def test_a_kernels_own_log_lines_never_reach_the_user(tmp_path):
    """What a kernel writes to its process stderr (IPKernelApp's "KeyboardInterrupt caught in kernel"
    when a report is stopped) is not for the reader; what a cell prints still reaches the notebook."""
    body = 'import os\nos.write(2, b"SYNTHETIC KERNEL LOG LINE\\n")\nprint("synthetic cell output", province)'
    nb = synthetic_notebook(tmp_path / "synthetic_noise.ipynb", body)
    out = tmp_path / "out"
    r = cli("batch", "--year", "2022", "--province", "01", "--notebook", str(nb), "--out", str(out), "--quiet")
    assert r.returncode == 0 and "SYNTHETIC KERNEL LOG LINE" not in r.stdout + r.stderr, r.stdout + r.stderr
    executed = nbformat.read(out / "2022" / "en" / "ha-noi.ipynb", as_version=4)
    assert "synthetic cell output 01" in str(executed.cells[-1].outputs)


# --- issue 11: a signal at any moment, from the command's start to its end ------------------------
INTERRUPTED = "parlib: interrupted; nothing was left half-written"
THREE = ["--province", "01", "--province", "22", "--province", "33"]  # ha-noi, quang-ninh, hung-yen
THREE_KEYS = ["en/ha-noi", "en/quang-ninh", "en/hung-yen"]


def _batch_args(nb: Path, out: Path, *more: str) -> list[str]:
    return ["batch", "--year", "2022", *THREE, "--notebook", str(nb), "--out", str(out), "--quiet", *more]


def _importing(pid: int) -> bool:
    """The process is in its slow imports (numpy's extension is loaded; pandas and parlib follow for a second)."""
    try:
        return "numpy" in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs /proc to see the imports")
@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
def test_a_signal_while_the_command_imports_is_one_line_and_130(tmp_path, sig):
    """The window before any handler of the old code: a traceback (Ctrl-C) or a silent death by SIGTERM."""
    nb = synthetic_notebook(tmp_path / "synthetic_batch.ipynb", SYNTHETIC_BODY)
    proc = subprocess.Popen(
        [sys.executable, "-m", "parlib.cli", *_batch_args(nb, tmp_path / "out")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while not _importing(proc.pid) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert _importing(proc.pid), "the process was not seen importing"
    proc.send_signal(getattr(signal, sig))
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and err.strip() == INTERRUPTED, (proc.returncode, out + err)
    assert not (tmp_path / "out").exists()  # nothing was started, nothing written


@pytest.mark.parametrize("point", ["batch-planning", "batch-done"])
def test_sigterm_before_the_batch_plans_or_after_it_ends_is_one_line_and_130(tmp_path, point):
    nb = synthetic_notebook(tmp_path / "synthetic_batch.ipynb", SYNTHETIC_BODY)
    started = time.time()
    r = cli(
        *_batch_args(nb, tmp_path / "out", "--workers", "2"),
        env={"PARLIB_TEST_FAIL": "none", "PARLIB_FAULT_SIGNAL_SELF": f"SIGTERM@{point}"},
    )
    assert r.returncode == 130 and r.stderr.strip() == INTERRUPTED, (r.returncode, r.stdout + r.stderr)
    year_dir = tmp_path / "out" / "2022"
    if point == "batch-planning":  # stopped before anything started: no manifest, no file
        assert not (tmp_path / "out").exists()
    else:  # the batch had finished: its manifest records every report
        assert batch_consistent(year_dir, THREE_KEYS, started) == []
        m = json.loads((year_dir / "manifest.json").read_text())["reports"]
        assert [x["status"] for x in m] == ["ok", "ok", "ok"]


@pytest.mark.parametrize(
    "moment",
    [
        # the worker signals the batch as its report ends, and its result arrives after the stop
        {"PARLIB_FAULT_SIGNAL_PARENT": "SIGTERM", "PARLIB_FAULT_SLEEP": "signalled-parent:8"},
        # the worker signals the batch between writing the report's HTML and its notebook
        {"PARLIB_FAULT_SIGNAL_PARENT": "SIGTERM@html-written", "PARLIB_FAULT_SLEEP": "html-written:2"},
    ],
    ids=["result-after-the-stop", "between-html-and-notebook"],
)
def test_a_report_finishing_as_the_batch_stops_is_recorded_ok_with_its_notebook(tmp_path, moment):
    nb = synthetic_notebook(tmp_path / "synthetic_batch.ipynb", SYNTHETIC_BODY)
    mark = str(tmp_path)
    started = time.time()
    r = cli(
        *_batch_args(nb, tmp_path / "out", "--workers", "1"),
        env={"PARLIB_TEST_FAIL": "none", "PARLIB_TEST_MARK": mark, **moment},
    )
    assert r.returncode == 130, r.stdout + r.stderr
    assert "Traceback" not in r.stdout + r.stderr and r.stderr.strip() == "", r.stderr
    year_dir = tmp_path / "out" / "2022"
    assert batch_consistent(year_dir, THREE_KEYS, started) == []
    m = {x["key"]: x for x in json.loads((year_dir / "manifest.json").read_text())["reports"]}
    first = m["en/ha-noi"]
    assert first["status"] == "ok", first
    html, notebook = Path(first["html"]), Path(first["notebook"])
    assert notebook == html.with_suffix(".ipynb") and notebook.stat().st_mtime >= started  # this run's
    assert "synthetic report 01 2022 en" in notebook.read_text()
    assert m["en/hung-yen"]["status"] == "cancelled"
    assert not kernel_pids(mark)  # the worker killed its kernel before it exited


def test_a_stop_while_a_worker_starts_its_kernel_prints_nothing_and_leaves_no_kernel(tmp_path):
    nb = synthetic_notebook(tmp_path / "synthetic_batch.ipynb", SYNTHETIC_BODY)
    mark = str(tmp_path)
    started = time.time()
    r = cli(
        *_batch_args(nb, tmp_path / "out", "--workers", "2"),
        env={"PARLIB_FAULT_SIGNAL_PARENT": "SIGTERM@kernel-started", "PARLIB_TEST_MARK": mark},
    )
    assert r.returncode == 130, r.stdout + r.stderr
    assert r.stderr.strip() == "", r.stderr  # no traceback of the kernel client, no warning of a kernel
    assert batch_consistent(tmp_path / "out" / "2022", THREE_KEYS, started) == []
    m = json.loads((tmp_path / "out" / "2022" / "manifest.json").read_text())["reports"]
    assert [x["status"] for x in m] == ["cancelled"] * 3
    assert not kernel_pids(mark)


def test_ctrl_c_in_a_terminal_while_the_workers_start_cancels_every_report(tmp_path):
    """A terminal's Ctrl-C reaches the whole process group, workers included: one still importing must
    not die of it (its reports were recorded "failed: worker died")."""
    nb = synthetic_notebook(tmp_path / "synthetic_batch.ipynb", SYNTHETIC_BODY)
    mark = str(tmp_path)
    started = time.time()
    proc = subprocess.Popen(
        [sys.executable, "-m", "parlib.cli", *_batch_args(nb, tmp_path / "out", "--workers", "2")],
        env={**os.environ, "PARLIB_TEST_MARK": mark},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, like a command in a terminal
    )
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        children = psutil.Process(proc.pid).children()
        if any("spawn_main" in " ".join(c.cmdline()) for c in children):
            break  # a worker is starting
        time.sleep(0.01)
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and err.strip() == "", (proc.returncode, out + err)
    assert batch_consistent(tmp_path / "out" / "2022", THREE_KEYS, started) == []
    m = json.loads((tmp_path / "out" / "2022" / "manifest.json").read_text())["reports"]
    assert [x["status"] for x in m] == ["cancelled"] * 3, out
    assert not kernel_pids(mark)


def test_sigterm_while_a_report_writes_its_outputs_leaves_them_all_from_this_run(tmp_path):
    """``parlib report``: a stop between the HTML and the notebook waits until the notebook and the plan
    are written too, then is one line and 130 (it used to kill the command: a new HTML beside the old
    notebook and plan, and papermill's temporary notebook left)."""
    started = time.time()
    r = cli(
        "report",
        "33",
        "--year",
        "2022",
        "--out",
        str(tmp_path),
        env={"PARLIB_FAULT_SIGNAL_SELF": "SIGTERM@html-written"},
    )
    assert r.returncode == 130 and r.stderr.strip() == INTERRUPTED, (r.returncode, r.stdout + r.stderr)
    folder = tmp_path / "2022" / "en"
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["hung-yen.html", "hung-yen.ipynb", "hung-yen.plan.xlsx"], names
    assert all((folder / n).stat().st_mtime >= started for n in names)


# --- issue 21: the plan made in the kernel; the batch's notebook is a real executed notebook -----------
def _sheet(data: bytes) -> list[tuple]:
    import io

    from openpyxl import load_workbook

    return [tuple(row) for row in load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True)]


def test_a_batch_report_has_the_plan_of_its_profile_and_a_valid_executed_notebook(tmp_path):
    from parlib.run.plan import plan_outputs

    tasks = plan(2022, ["33"], ["vi"], out=tmp_path)
    res = run_batch(tasks, workers=1, progress=False)
    assert res.ok, res.records
    rec = res.records[0]
    # the workbook made in the kernel from the report's profile is the one parlib makes from the parameters
    ((name, expected),) = plan_outputs(tasks[0]["params"]).items()
    assert Path(rec["plan"]).name == name
    assert _sheet(Path(rec["plan"]).read_bytes()) == _sheet(expected)
    assert not list(Path(tasks[0]["out_dir"]).glob(".*")), "no hidden temporary file is left"
    # the notebook beside the report opens in JupyterLab as an executed notebook
    nb = nbformat.read(rec["notebook"], as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.execution_count for c in code)
    # one HTML output per section (parlib/present/outputs.py), in one cell of calls (issue 21)
    from parlib.present.sections import PROVINCE_REPORT

    outs = [o for c in code for o in c.outputs]
    assert len(outs) == len(PROVINCE_REPORT) and all(set(o.data) == {"text/html", "text/plain"} for o in outs)
    assert len(code) == 3, "the parameters, papermill's injected parameters and the cell of calls"


def test_a_kernel_adopted_beside_a_live_warm_kernel_is_shut_down_not_kept(monkeypatch):
    """parlib.run.warm.adopt never leaves two kernels: beside a live warm kernel, the newcomer is shut
    down and the live one is used (before, adopt raised and the newcomer kept running)."""
    from parlib.run import warm
    from parlib.run.kernels import KERNEL, launch

    live = warm.kernel(KERNEL)
    km, kc = launch(KERNEL)
    try:
        assert warm.adopt(KERNEL, km, kc) is live
        assert not km.has_kernel and live.alive
    finally:
        if km.has_kernel:
            from jupyter_core.utils import run_sync

            run_sync(km.shutdown_kernel)(now=True)
        warm.discard(KERNEL)


def test_the_manifest_is_json_with_one_report_per_line(tmp_path):
    """manifest.json (written after every report with json's C encoder) reads back as the records
    written, whatever their text (newlines of a traceback, quotes, Vietnamese), one report per line."""
    from parlib.run.batch_manifest import write_manifest

    records = {
        "01-vi": {
            "key": "01-vi",
            "province": "01",
            "status": "failed",
            "error": 'say "no"',
            "seconds": 1.5,
            "traceback": "Traceback:\n  line 1\n\tValueError: x",
            "html": "/tmp/Hà Nội/ha-noi.html",
        },
        "01-en": {"key": "01-en", "province": "01", "status": "ok", "pdf": None, "finished_at": Path("/x")},
    }
    meta = {"year": 2022, "langs": ["en", "vi"], "note": "Tỉnh"}
    path = write_manifest(tmp_path, records, meta)
    text = path.read_text(encoding="utf-8")
    got = json.loads(text)
    assert got == {**meta, "reports": [{**records["01-en"], "finished_at": "/x"}, records["01-vi"]]}
    lines = text.splitlines()
    assert [json.loads(x.strip().rstrip(","))["key"] for x in lines if x.startswith("  {")] == ["01-en", "01-vi"]
    assert "Tỉnh" in text and "Hà Nội" in text  # written as text, not \\u escapes


def test_a_batch_takes_fingerprints_and_headlines_from_its_kernels_and_resume_agrees(tmp_path, monkeypatch):
    """A report's kernel sends the hash of the figures it showed and its index headline with its result:
    the batch process assesses no province (issue 21), the fingerprint is the one --resume computes from
    the data, and the index page shows the headline."""
    from parlib.engine.profile import assess
    from parlib.present.batch_index import headline
    from parlib.run import batch as batch_mod
    from parlib.run import batch_manifest
    from parlib.run.batch_tasks import fingerprint, report_data_hash

    assessed = []
    monkeypatch.setattr(batch_mod, "profiles_for", lambda *a, **k: assessed.append("profiles_for") or {})
    monkeypatch.setattr(batch_manifest, "headlines", lambda *a, **k: assessed.append("headlines") or {})
    tasks = plan(2022, ["33"], ["vi"], out=tmp_path)
    res = run_batch(tasks, workers=1, progress=False)
    assert res.ok and not assessed, assessed
    rec = res.records[0]
    profile = assess("33", 2022)
    assert rec["fingerprint"] == fingerprint(tasks[0], report_data_hash(profile))
    assert not {k for k in rec if k.startswith("_")}, "the kernel's facts are not part of the record"
    row = headline(profile)["PAR"]
    assert f"{row['rank']} {row['rank_change']}</td>" in res.index.read_text(encoding="utf-8")  # "12/63 ="

    monkeypatch.undo()
    again = run_batch(plan(2022, ["33"], ["vi"], out=tmp_path), workers=1, progress=False, resume=True)
    assert again.records[0]["status"] == "skipped"

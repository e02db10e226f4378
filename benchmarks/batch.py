"""Benchmark batch rendering, in one go on this machine:

(a) the naive loop: `papermill` CLI then `jupyter nbconvert --to html --no-input` CLI, one report
    after another, on a sample of provinces (the loop costs ~9 s a report, so all 63 would take
    ten minutes; the per-report figure is what matters);
(b) `parlib batch` on all the year's provinces in one language (default workers = CPU count),
    and on the same sample.

Prints seconds per report for each, the ratio, where the time goes (kernel start, execution,
HTML export, from the manifest), and the peak memory of the whole process tree.

    python benchmarks/batch.py [--year 2022] [--lang vi | --lang en,vi] [--sample 6] [--workers N]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

from parlib.config import NOTEBOOKS_DIR
from parlib.run.render import validate_report_params

BIN = Path(sys.executable).parent
SAMPLE = ["01", "22", "33", "48", "79", "92", "96", "10"]


class PeakMemory:
    """Samples the RSS of a process and all its descendants every 0.2 s."""

    def __init__(self, pid: int):
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            try:
                root = psutil.Process(self.pid)
                procs = [root] + root.children(recursive=True)
                self.peak = max(self.peak, sum(p.memory_info().rss for p in procs if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.2)

    def __enter__(self):
        self._t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()


def naive(year: int, langs: str, codes: list[str], out: Path) -> float:
    t0 = time.perf_counter()
    for code, lang in [(c, lang) for lang in langs.split(",") for c in codes]:
        p = validate_report_params(code, year, lang)
        nb = out / f"{p['_slug']}-{lang}.ipynb"
        subprocess.run(
            [
                str(BIN / "papermill"),
                str(NOTEBOOKS_DIR / "province_report.ipynb"),
                str(nb),
                "-k",
                "parlib",
                "--no-progress-bar",
                "-p",
                "province",
                code,
                "-p",
                "year",
                str(year),
                "-p",
                "lang",
                lang,
            ],
            check=True,
            capture_output=True,
            cwd=NOTEBOOKS_DIR,
        )
        subprocess.run(
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(nb)], check=True, capture_output=True
        )
    return time.perf_counter() - t0


def batch(year: int, lang: str, codes: list[str] | None, out: Path, workers: int | None) -> tuple[float, int, list]:
    args = [str(BIN / "parlib"), "batch", "--year", str(year), "--lang", lang, "--out", str(out), "--quiet"]
    args += ["--all"] if codes is None else [a for c in codes for a in ("--province", c)]
    if workers:
        args += ["--workers", str(workers)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    with PeakMemory(proc.pid) as mem:
        out_text, _ = proc.communicate()
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"parlib batch failed:\n{out_text}")
    records = json.loads((out / str(year) / "manifest.json").read_text())["reports"]
    return seconds, mem.peak, records


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--year", type=int, default=2022)
    ap.add_argument("--lang", default="vi", help="one language, or en,vi (issue 13's batch of 126)")
    ap.add_argument("--sample", type=int, default=6)
    ap.add_argument("--workers", type=int)
    a = ap.parse_args()
    sample = SAMPLE[: a.sample]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "naive").mkdir()
        t_naive = naive(a.year, a.lang, sample, tmp / "naive")
        t_small, mem_small, _ = batch(a.year, a.lang, sample, tmp / "small", a.workers)
        t_all, mem_all, recs = batch(a.year, a.lang, None, tmp / "all", a.workers)
    n, n_small = len(recs), len(sample) * len(a.lang.split(","))
    per_naive, per_small, per_all = t_naive / n_small, t_small / n_small, t_all / n
    limit = 75 if n > 100 else 60  # issue 13: 126 reports (en,vi) in < 75 s; one language: 63 in < 60 s
    workers = a.workers or os.cpu_count()
    starts = [r["kernel_start_seconds"] for r in recs if r.get("kernel_start_seconds", 0) > 1]
    print(f"machine: {os.cpu_count()} CPUs; parlib batch workers: {workers}; year {a.year}, languages {a.lang}")
    print(
        f"(a) naive loop, papermill CLI + nbconvert CLI, {n_small} reports: {t_naive:6.1f} s = "
        f"{per_naive:5.2f} s/report  (baseline; {n} reports would take ~{per_naive * n / 60:.1f} min)"
    )
    print(
        f"(b) parlib batch, the same {n_small} reports        : {t_small:6.1f} s = {per_small:5.2f} s/report  "
        f"ratio {per_naive / per_small:4.1f}x faster; peak memory {mem_small / 2**30:.2f} GiB"
    )
    print(
        f"(b) parlib batch, all {n} reports              : {t_all:6.1f} s = {per_all:5.2f} s/report  "
        f"ratio {per_naive / per_all:4.1f}x faster (target >= 10x); all in < {limit} s: "
        f"{'met' if t_all < limit else 'NOT met'}; peak memory {mem_all / 2**30:.2f} GiB (target < 3 GiB)"
    )
    print(
        "where a batch report's time goes (per worker, median): "
        f"kernel start {statistics.median(starts) if starts else 0:.1f} s once per worker; "
        f"execute {statistics.median(r['execute_seconds'] for r in recs):.2f} s; "
        f"HTML export {statistics.median(r['export_seconds'] for r in recs):.3f} s; "
        f"whole task {statistics.median(r['seconds'] for r in recs):.2f} s"
    )


if __name__ == "__main__":
    main()

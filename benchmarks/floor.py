"""The batch against its floor (issue 21), measured in one run on the same reports:

(a) the naive loop: the `papermill` CLI then the `jupyter nbconvert` CLI per report, on a small
    sample (``--naive-sample``, default 4 reports), extrapolated per report;
(b) the in-process floor: the same ``open_report(...).all()`` sections in plain Python worker
    processes (``--workers``, default 2), ``IPython.display.display`` replaced by a sink that still
    calls each object's ``_repr_html_`` / ``_repr_markdown_`` / ``_repr_png_`` (every chart is
    drawn and encoded): no kernel, no notebook, no HTML export;
(c) ``parlib batch --year Y --lang en,vi --workers 2`` into a temporary folder.

Prints the three figures (wall seconds and CPU-seconds of the whole process tree, from
``getrusage(RUSAGE_CHILDREN)``), batch/floor and batch/naive, and the batch's peak memory (the RSS
of its process tree summed, sampled every 0.2 s with psutil). The machine's load average is printed
at the start; a busy machine gets a warning (``--strict``: refuse). On a shared machine the CPU
ratio is the steadier figure.

    python benchmarks/floor.py [--year 2022] [--lang en,vi] [--sample N | --provinces 01,33]
                               [--naive-sample 4] [--workers 2] [--skip-naive] [--strict]
"""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import multiprocessing as mp
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from batch import BIN, PeakMemory, naive  # noqa: E402 (benchmarks/batch.py, beside this file)

#: Provinces of the naive sample (spread over the regions), in this order.
NAIVE_SAMPLE = ["01", "33", "48", "79"]


def children_cpu() -> float:
    """CPU-seconds (user + system) of every finished descendant of this process so far."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


# --- (b) the floor --------------------------------------------------------------------------------
def _sink(*objs, **kw) -> None:
    """``display`` without a frontend: every representation a notebook would store is computed."""
    for obj in objs:
        for name in ("_repr_html_", "_repr_markdown_", "_repr_png_", "_repr_svg_", "_repr_latex_"):
            method = getattr(obj, name, None)
            if method is not None:
                method()
        repr(obj)


def _floor_init() -> None:
    os.environ.setdefault("MPLBACKEND", "Agg")
    import IPython.display

    IPython.display.display = _sink
    import parlib.present.charts  # noqa: F401 - what the warm kernel preloads (parlib.run.warm.PRELOAD)
    import parlib.present.maps  # noqa: F401
    import parlib.present.tables  # noqa: F401
    import parlib.run.report  # noqa: F401


def _floor_task(code: str, year: int, lang: str) -> float:
    """One report's sections, drawn and encoded; returns this task's CPU-seconds."""
    import matplotlib

    from parlib.run.report import open_report

    c0 = time.process_time()
    matplotlib.rcdefaults()  # as the warm kernel does between reports
    open_report(code, year, lang).all()
    return time.process_time() - c0


def floor(tasks: list[tuple[str, int, str]], workers: int) -> tuple[float, float, float]:
    """Wall seconds, CPU-seconds of the pool's processes (start-up included) and the tasks' own
    CPU-seconds summed."""
    c0, t0 = children_cpu(), time.perf_counter()
    with cf.ProcessPoolExecutor(workers, mp_context=mp.get_context("spawn"), initializer=_floor_init) as pool:
        task_cpu = sum(pool.map(_floor_task, *zip(*tasks), chunksize=1))
    return time.perf_counter() - t0, children_cpu() - c0, task_cpu


# --- (c) the batch --------------------------------------------------------------------------------
def batch(year: int, langs: str, codes: list[str] | None, out: Path, workers: int) -> tuple[float, float, int, int]:
    """Wall seconds, CPU-seconds of the whole process tree, peak RSS in bytes, reports ok."""
    import json

    args = [str(BIN / "parlib"), "batch", "--year", str(year), "--lang", langs, "--out", str(out), "--quiet"]
    args += ["--all"] if codes is None else [a for c in codes for a in ("--province", c)]
    args += ["--workers", str(workers)]
    c0, t0 = children_cpu(), time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    with PeakMemory(proc.pid) as mem:
        out_text, err_text = proc.communicate()
    seconds, cpu = time.perf_counter() - t0, children_cpu() - c0
    if proc.returncode != 0:
        raise SystemExit(f"parlib batch failed ({proc.returncode}):\n{out_text}\n{err_text[-2000:]}")
    records = json.loads((out / str(year) / "manifest.json").read_text(encoding="utf-8"))["reports"]
    return seconds, cpu, mem.peak, sum(1 for r in records if r["status"] == "ok")


def naive_run(year: int, langs: str, codes: list[str], out: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU-seconds and number of reports of the naive loop on ``codes``."""
    c0 = children_cpu()
    seconds = naive(year, langs, codes, out)
    return seconds, children_cpu() - c0, len(codes) * len(langs.split(","))


# --- main -----------------------------------------------------------------------------------------
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--year", type=int, default=2022)
    ap.add_argument("--lang", default="en,vi")
    ap.add_argument("--sample", type=int, help="only the first N provinces of the year (quick runs)")
    ap.add_argument("--provinces", help="comma-separated province codes or names (quick runs)")
    ap.add_argument("--naive-sample", type=int, default=4, help="reports in the naive loop's sample")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--skip-naive", action="store_true")
    ap.add_argument("--strict", action="store_true", help="refuse to run on a busy machine")
    a = ap.parse_args()

    from parlib.data.registry import provinces as registry
    from parlib.data.registry import unit_set_for_year
    from parlib.run.batch import resolve_provinces

    load1 = os.getloadavg()
    cpus = os.cpu_count() or 1
    print(f"load average at start: {load1[0]:.2f} {load1[1]:.2f} {load1[2]:.2f} ({cpus} CPUs)")
    if load1[0] > 0.5 * cpus:
        msg = f"the machine is busy (load {load1[0]:.2f} on {cpus} CPUs): timings will be inflated"
        if a.strict:
            raise SystemExit(f"refused: {msg} (run without --strict to measure anyway)")
        print(f"WARNING: {msg}; the CPU-second ratios are the steadier figures")

    langs = [x.strip() for x in a.lang.split(",") if x.strip()]
    if a.provinces:
        codes = resolve_provinces([x.strip() for x in a.provinces.split(",")], a.year)[0]
    else:
        codes = list(registry(unit_set_for_year(a.year)).code)
        if a.sample:
            codes = codes[: a.sample]
    every = not a.provinces and not a.sample
    tasks = [(c, a.year, lang) for lang in langs for c in codes]
    n = len(tasks)
    naive_codes = [c for c in NAIVE_SAMPLE if c in codes] or codes
    naive_codes = naive_codes[: max(1, -(-a.naive_sample // len(langs)))]

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        f_wall, f_cpu, f_task = floor(tasks, a.workers)
        print(f"(b) floor done: {f_wall:.1f} s", flush=True)
        b_wall, b_cpu, b_peak, b_ok = batch(a.year, ",".join(langs), None if every else codes, tmp / "b", a.workers)
        print(f"(c) batch done: {b_wall:.1f} s", flush=True)
        if not a.skip_naive:
            (tmp / "naive").mkdir()
            n_wall, n_cpu, n_n = naive_run(a.year, ",".join(langs), naive_codes, tmp / "naive")
    load2 = os.getloadavg()
    print()
    print(f"year {a.year}, {len(codes)} provinces x {','.join(langs)} = {n} reports; {a.workers} workers")
    if not a.skip_naive:
        print(
            f"(a) naive loop (papermill + nbconvert CLI), {n_n} reports: {n_wall / n_n:6.2f} s/report, "
            f"{n_cpu / n_n:5.2f} CPU-s/report  (x {n} = {n_wall / n_n * n:7.1f} s)"
        )
    print(
        f"(b) in-process floor                    : {f_wall:7.1f} s = {f_wall / n:5.2f} s/report, "
        f"{f_cpu / n:5.2f} CPU-s/report ({f_task / n:.2f} CPU-s in the sections alone)"
    )
    print(
        f"(c) parlib batch                        : {b_wall:7.1f} s = {b_wall / n:5.2f} s/report, "
        f"{b_cpu / n:5.2f} CPU-s/report; {b_ok} of {n} ok; peak RSS {b_peak / 2**30:.2f} GiB"
    )
    print(
        f"batch/floor: {b_wall / f_wall:.2f}x wall, {b_cpu / f_cpu:.2f}x CPU (target <= 1.25x)"
        + ("" if a.skip_naive else f"; naive/batch: {n_wall / n_n * n / b_wall:.1f}x faster (target >= 15x)")
    )
    print(f"load average at the end: {load2[0]:.2f} {load2[1]:.2f} {load2[2]:.2f}")


if __name__ == "__main__":
    main()

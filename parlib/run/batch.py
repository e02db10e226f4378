"""Render many reports at once: parallel, fault-isolated, resumable, with a manifest and an index.

``run_batch`` submits one task per (province, language) to any ``concurrent.futures.Executor``:
a local process pool by default, or a ``dask.distributed`` client's executor to fan out over a
cluster. Each task runs in a worker's pre-warmed kernel (:mod:`parlib.run.warm`); a failing or
timed-out report never stops the others and never replaces a good earlier report (outputs are
written atomically by :mod:`parlib.run.render`). ``reports/<year>/manifest.json`` (and
``manifest.csv``) record every report with an input fingerprint, so ``resume=True`` re-runs only
failed, missing or stale reports; ``reports/<year>/index.html`` links them all.

The batch is four modules: the tasks and their fingerprints (:mod:`parlib.run.batch_tasks`), one
task in a worker (:mod:`parlib.run.batch_worker`), the manifest (:mod:`parlib.run.batch_manifest`,
its index page :mod:`parlib.present.batch_index`) and this runner.
"""

from __future__ import annotations

import concurrent.futures as cf
import os
import signal
import sys
import threading
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from parlib.run.batch_manifest import (  # noqa: F401 (re-exported: the batch's API)
    MANIFEST_FIELDS,
    STATUSES,
    _now,
    _remove_partial_files,
    _unfinished_record,
    headlines,
    load_manifest,
    update_index,
    update_manifest,
    write_index,
    write_manifest,
)
from parlib.run.batch_tasks import (  # noqa: F401 (re-exported: the batch's API)
    data_fingerprint,
    fingerprint,
    plan,
    profiles_for,
    report_data_hash,
    resolve_provinces,
    set_fingerprints,
)
from parlib.run.batch_worker import KILL_GRACE_SECONDS, _excerpt, _worker_init, render_task


@dataclass
class BatchResult:
    records: list[dict]
    manifest: Path
    index: Path
    seconds: float
    interrupted: bool = False
    counts: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.interrupted and all(r["status"] in ("ok", "skipped") for r in self.records)


# --- the runner -------------------------------------------------------------------------------
def _local_executor(workers: int) -> cf.ProcessPoolExecutor:
    import multiprocessing as mp

    return cf.ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("spawn"), initializer=_worker_init)


#: Memory a batch worker needs, in MB: the worker process and its warm kernel rendering province reports
#: (peak resident sets summed: 182 + 258 = 439 MB on three 2022 reports; README, Performance). The
#: setting ``PARLIB_WORKER_MB`` overrides it.
WORKER_MB = 450


def _cpus() -> int:
    """CPUs this process may run on (its affinity, which a container or ``taskset`` narrows)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _mem_available_mb() -> float | None:
    """MemAvailable of /proc/meminfo in MB (None where unknown)."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def worker_count(requested: int | None, n_reports: int | None = None) -> tuple[int, str]:
    """How many local workers to start: ``requested`` (default: the CPUs), at most one per CPU and as
    many as the available memory holds (:data:`WORKER_MB` each); with the line that says so when
    that is fewer than asked for (else "")."""
    cpus = _cpus()
    want = requested or cpus
    try:
        per = float(os.environ.get("PARLIB_WORKER_MB") or WORKER_MB)
    except ValueError:
        per = WORKER_MB
    avail = _mem_available_mb()
    by_memory = max(1, int(avail // per)) if avail is not None and per > 0 else want
    n = max(1, min(want, cpus, by_memory))
    if n >= want:
        return n, ""
    why = []
    if cpus < want:
        why.append(f"{cpus} CPU{'s' if cpus != 1 else ''} available")
    if by_memory < want:
        why.append(f"{avail:,.0f} MB of memory available for about {per:,.0f} MB per worker (PARLIB_WORKER_MB)")
    return n, f"{n} worker{'s' if n != 1 else ''} instead of {want}: {' and '.join(why)}"


def _kill_tree(processes: list) -> None:
    """Stop the pool's worker processes (``multiprocessing.Process``) and their kernels for good. Each
    worker gets SIGTERM: it kills its own kernels and exits at once, or right after writing a report's
    outputs if it was doing so (:func:`_worker_init`); its kernels must not die first (the worker's
    kernel client would print their death). A worker still there after a grace is frozen, its kernels
    listed, and all killed. The workers are waited for through ``multiprocessing`` (psutil would reap
    them behind its back: the pool's thread would then wait forever for them to end)."""
    import psutil

    for p in processes:
        p.terminate()
    deadline = time.monotonic() + KILL_GRACE_SECONDS
    for p in processes:
        p.join(timeout=max(0.0, deadline - time.monotonic()))
    kernels = []
    for p in processes:
        if p.is_alive():
            try:
                worker = psutil.Process(p.pid)
                worker.suspend()  # no new kernel after the listing
                kernels += worker.children(recursive=True)
            except psutil.Error:
                pass
            p.kill()
    for k in kernels:
        try:
            k.kill()
        except psutil.Error:
            pass
    for p in processes:
        p.join(timeout=KILL_GRACE_SECONDS)
    psutil.wait_procs(kernels, timeout=KILL_GRACE_SECONDS)


def run_batch(
    tasks: list[dict],
    *,
    executor: cf.Executor | None = None,
    workers: int | None = None,
    resume: bool = False,
    progress: bool = True,
    year_dir: Path | None = None,
    say=None,
) -> BatchResult:
    """Run the tasks on ``executor`` (default: a local process pool of ``workers`` = CPU count, capped
    by the CPUs and the memory available: :func:`worker_count`).

    Writes the manifest after every finished report and the index page at the end, both merged with
    what is on disk under the folder's lock (another batch may write there too); on Ctrl-C or
    SIGTERM it cancels what has not started, stops the workers and their kernels, and records
    what finished. ``resume`` skips reports whose previous run succeeded with the same inputs (the
    figures the report shows, :func:`report_data_hash`). A signal at any moment leaves a manifest
    that matches the reports on disk. ``say``: called with a line for the user (workers capped, the
    kernel re-registered).
    """
    t0 = time.perf_counter()
    if not tasks:
        raise ValueError("no reports to render")
    if workers is not None and (not isinstance(workers, int) or workers < 1):
        raise ValueError(f"workers must be a whole number of 1 or more, not {workers!r}")
    stop = threading.Event()
    old_handlers = _install_signal_handlers(stop)
    try:
        return _start(tasks, executor, workers, resume, progress, year_dir, stop, t0, say or (lambda line: None))
    finally:
        _restore_signal_handlers(old_handlers)


def _start(tasks, executor, workers, resume, progress, year_dir, stop, t0, say) -> BatchResult:
    year = tasks[0]["year"]
    year_dir = Path(year_dir or Path(tasks[0]["out_dir"]).parent)
    own = executor is None
    if own:
        from parlib.run.kernels import KERNEL, check_kernel

        note = check_kernel(KERNEL)  # once, before the workers start (they would race to install it)
        if note:
            say(note)
    year_dir.mkdir(parents=True, exist_ok=True)
    data_hash = data_fingerprint(tasks[0]["params"].get("data_dir") or None)
    previous = load_manifest(year_dir)
    records = dict(previous)

    # The reports' profiles give their fingerprints and the index page's headlines. A report's kernel
    # sends both with its result (it has the profile: never assessed twice); --resume must compare
    # fingerprints before anything runs, so it computes them all first, here.
    heads: dict = {}

    def prepare() -> None:
        profiles = profiles_for(tasks, stop)
        set_fingerprints(tasks, data_hash, profiles)
        mine = {p.province.code: p for p in profiles.values()}
        heads.update(headlines(year, sorted(mine), list(mine.values())))

    head_thread = None
    if resume:
        head_thread = threading.Thread(target=prepare, daemon=True)
        head_thread.start()
        while head_thread.is_alive() and not stop.is_set():
            head_thread.join(timeout=0.2)

    def fp(t: dict) -> str:
        """A task's fingerprint: from its kernel's data hash, from :func:`prepare` (``resume``), or made
        here from its profile (gives up at a stop: then from every data file)."""
        if "fingerprint" not in t:
            if head_thread is not None:
                head_thread.join()
            else:
                set_fingerprints([t], data_hash, profiles_for([t], stop))
        return t.get("fingerprint") or fingerprint(t, data_hash)

    todo, updates = [], {}
    for t in tasks:
        old = previous.get(t["key"])
        if (
            resume
            and old
            and old.get("status") in ("ok", "skipped")
            and old.get("fingerprint") == fp(t)
            and Path(old.get("html", "")).exists()
            and (not t.get("pdf") or Path(old.get("pdf") or "").is_file())
        ):
            records[t["key"]] = updates[t["key"]] = {**old, "status": "skipped", "seconds": 0}
            continue
        todo.append(t)
    meta = {"year": year, "parlib_fingerprint": data_hash, "started_at": _now()}
    update_manifest(year_dir, updates, meta)

    if own:
        workers, note = worker_count(workers, len(todo))
        if note:
            say(note)
    return _run(
        tasks,
        todo,
        records,
        previous,
        meta,
        year,
        year_dir,
        heads,
        head_thread,
        fp,
        executor,
        own,
        workers,
        stop,
        progress,
        t0,
    )


def _run(
    tasks,
    todo,
    records,
    previous,
    meta,
    year,
    year_dir,
    heads,
    head_thread,
    fp,
    executor,
    own,
    workers,
    stop,
    progress,
    t0,
) -> BatchResult:
    """The loop of :func:`run_batch`. A signal only sets ``stop`` (never raises mid-write): the loop
    notices it between two waits, records every finished report, cancels the rest and stops the
    workers; the manifest always matches the reports on disk. Only this batch's new records are
    written (merged into the manifest on disk), each once."""
    started = time.time()
    executor = executor or _local_executor(min(workers, max(1, len(todo))))
    bar = _progress(len(tasks), len(tasks) - len(todo), progress)
    futures: dict = {}
    done_keys: set[str] = set()
    unsaved: dict[str, dict] = {}

    def collect(fut) -> None:
        t = futures[fut]
        try:
            rec = fut.result()
        except BaseException as e:  # noqa: BLE001 - a worker died: record it, go on
            rec = {
                "key": t["key"],
                "province": t["province"],
                "slug": t["slug"],
                "lang": t["lang"],
                "year": t["year"],
                "status": "failed",
                "error": f"worker died: {type(e).__name__}: {e}",
                "traceback": _excerpt(traceback.format_exc()),
            }
        if stop.is_set() and rec["status"] == "failed" and "KeyboardInterrupt" in rec.get("error", ""):
            rec.update(status="cancelled", error="batch interrupted before this report finished")  # Ctrl-C
        made = rec.pop("_data_hash", None), rec.pop("_headline", None)  # the kernel's facts of the report
        if made[0] and "fingerprint" not in t:
            t["fingerprint"] = fingerprint(t, made[0])
        if made[1]:
            heads.setdefault(t["province"], made[1])
        rec.update(fingerprint=fp(t), finished_at=_now())
        records[t["key"]] = unsaved[t["key"]] = rec
        done_keys.add(t["key"])
        bar(rec)

    def collect_results() -> None:
        """After the stop: the reports whose result arrived (before the stop was seen, or while the
        workers stopped). A worker's death now is the stop's doing: those are read from the disk."""
        for fut, t in futures.items():
            if t["key"] not in done_keys and fut.done() and not fut.cancelled() and fut.exception() is None:
                collect(fut)

    interrupted = False
    try:
        with _ctrl_c_blocked():  # the workers are spawned by submit()
            for t in todo:
                if stop.is_set():
                    break
                futures[executor.submit(render_task, t)] = t
        pending = set(futures)
        while pending and not stop.is_set():
            finished, pending = cf.wait(pending, timeout=0.2, return_when=cf.FIRST_COMPLETED)
            for fut in finished:
                collect(fut)
            if finished:
                update_manifest(year_dir, unsaved, meta)
                unsaved.clear()
        interrupted = stop.is_set()
    finally:
        if interrupted or sys.exc_info()[0] is not None:
            interrupted = True
            for fut in futures:
                fut.cancel()
            collect_results()
        if own:
            processes = list((getattr(executor, "_processes", None) or {}).values())
            executor.shutdown(wait=not interrupted, cancel_futures=True)
            if interrupted:
                _kill_tree(processes)
                # the pool's thread sees its workers gone and closes its queues (and their semaphores: else
                # the resource tracker warns of "leaked semaphore objects" when the command exits)
                manager = getattr(executor, "_executor_manager_thread", None)
                if manager is not None:
                    manager.join(timeout=KILL_GRACE_SECONDS)
        if interrupted:
            collect_results()
            for t in todo:  # the workers are gone: what is on disk now is final
                if t["key"] not in done_keys:
                    t["fingerprint"] = fp(t)
                    records[t["key"]] = unsaved[t["key"]] = _unfinished_record(t, previous.get(t["key"]), started)
        _remove_partial_files(tasks)
        bar.close()
    meta["finished_at"] = _now()
    update_manifest(year_dir, unsaved, meta)
    manifest = year_dir / "manifest.json"
    # The index's headlines: not waited for once stopped (the index then has the names and statuses).
    deadline = time.monotonic() + (0 if interrupted else 120)
    while head_thread is not None and head_thread.is_alive() and time.monotonic() < deadline and not stop.is_set():
        head_thread.join(timeout=0.2)
    if head_thread is not None and head_thread.is_alive() and stop.is_set():
        interrupted = True  # stopped while the index was being made
    index = update_index(year_dir, year, dict(heads), complete=not stop.is_set())
    counts = {s: sum(1 for k in (t["key"] for t in tasks) if records.get(k, {}).get("status") == s) for s in STATUSES}
    return BatchResult(
        [records[t["key"]] for t in tasks], manifest, index, time.perf_counter() - t0, interrupted, counts
    )


@contextmanager
def _ctrl_c_blocked():
    """Processes started meanwhile start with Ctrl-C blocked, until :func:`_worker_init` ignores it.
    Ctrl-C in a terminal reaches the whole process group: a worker still importing would die of it,
    printing a traceback, and its report would be recorded failed. The batch process gets its own
    Ctrl-C when the block ends."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _install_signal_handlers(stop: threading.Event):
    """SIGTERM and SIGINT (Ctrl-C) set ``stop``; the batch loop stops at its next wait."""
    if threading.current_thread() is not threading.main_thread():
        return None

    def handler(signum, frame):
        stop.set()

    return {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}


def _restore_signal_handlers(old) -> None:
    if old is not None and threading.current_thread() is threading.main_thread():
        for sig, h in old.items():
            signal.signal(sig, h)


def _progress(total: int, done: int, enabled: bool):
    """A progress bar with ETA on stderr (tqdm), or a no-op: ``bar(record)`` after each report,
    ``bar.close()`` at the end."""

    def update(rec: dict) -> None:
        if bar is not None:
            bar.set_postfix_str(f"{rec['key']} {rec['status']}")
            bar.update(1)

    def close() -> None:
        if bar is not None:
            bar.close()

    bar = None
    if enabled:
        from tqdm import tqdm

        bar = tqdm(total=total, initial=done, unit="report", file=sys.stderr, dynamic_ncols=True)
    update.close = close
    return update

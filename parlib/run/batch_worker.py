"""One task of a batch (:mod:`parlib.run.batch`), in a pool worker: the report rendered in the
worker's pre-warmed kernel (:mod:`parlib.run.warm`), its timeout, and the worker's signal handling.
"""

from __future__ import annotations

import os
import signal
import threading
import time
import traceback
from functools import partial
from pathlib import Path

#: Seconds a timed-out report's kernel is given to honour the interrupt before it is killed.
KILL_GRACE_SECONDS = float(os.environ.get("PARLIB_KILL_GRACE", "5"))


def render_task(task: dict) -> dict:
    """Render one report in this process's warm kernel; never raises (errors are returned)."""
    from parlib.data.files import fault_signal
    from parlib.run import warm
    from parlib.run.plan import plan_annex
    from parlib.run.render import KERNEL, ensure_kernel, run_notebook

    t0 = time.perf_counter()
    rec = {
        "key": task["key"],
        "province": task["province"],
        "slug": task["slug"],
        "lang": task["lang"],
        "year": task["year"],
        "status": "failed",
        "error": "",
        "traceback": "",
        "pid": os.getpid(),
    }
    timers: list[threading.Timer] = []
    timed_out = threading.Event()
    try:
        ensure_kernel(KERNEL)  # a worker of an environment where `parlib` was pip-installed: register it
        k = warm.kernel(KERNEL)
        rec["kernel_start_seconds"] = round(time.perf_counter() - t0, 3)
        if task.get("timeout"):

            def kill():  # the cell ignored the interrupt (a blocked C call): kill the kernel
                k.signal(signal.SIGKILL)

            def expire():
                timed_out.set()
                k.interrupt()
                later = threading.Timer(KILL_GRACE_SECONDS, kill)
                later.daemon = True
                timers.append(later)
                later.start()

            timer = threading.Timer(task["timeout"], expire)
            timer.daemon = True
            timers.append(timer)
            timer.start()
        annexes, facts = None, {}
        if Path(task["notebook"]).name == "province_report.ipynb":
            # written with the HTML; the facts (data hash, headline) spare the batch process an assessment
            annexes = partial(plan_annex, k, task["params"], Path(task["out_dir"]), facts)
            if task.get("docx") and not task.get("brief"):  # the brief in Word, beside the report
                from parlib.run.brief import docx_outputs

                annexes = partial(_both, annexes, partial(docx_outputs, task["brief_params"]))
        res = run_notebook(
            task["notebook"],
            task["params"],
            Path(task["out_dir"]),
            engine=warm.ENGINE_NAME,
            timeout=max(int(task.get("timeout") or 600), 1) + 60,
            annexes=annexes,
        )
        rec.update({"plan": str(p) for name, p in res.annexes.items() if name.endswith(".plan.xlsx")})
        rec.update({f"_{k}": v for k, v in facts.items()})  # read (and removed) by the batch process
        rec.update(
            status="ok",
            html=str(res.html),
            notebook=str(res.notebook),
            execute_seconds=round(res.execute_seconds, 3),
            export_seconds=round(res.export_seconds, 3),
        )
        if task.get("pdf"):
            from parlib.run.pdf import html_to_pdf

            rec["status"] = "failed"  # until the PDF is written (the HTML stays either way)
            printed = html_to_pdf(res.html)
            rec.update(status="ok", pdf=str(printed.pdf), pdf_seconds=round(printed.seconds, 3))
        rec.update({"docx": str(p) for name, p in res.annexes.items() if name.endswith(".brief.docx")})
        if task.get("brief"):
            rec["status"] = "failed"  # until the brief is written (the report stays either way)
            rec.update(_render_brief(task, warm.ENGINE_NAME))
            rec["status"] = "ok"
        fault_signal("report-end")  # test hook: a signal timed to a report's end
    except BaseException as e:  # noqa: BLE001 - isolate every failure, including KeyboardInterrupt in a cell
        if timed_out.is_set():
            rec.update(status="timeout", error=f"timed out after {task['timeout']} s")
            warm.discard(KERNEL)  # the next report of this worker gets a fresh kernel
        else:
            rec["error"] = f"{type(e).__name__}: {_first_line(e)}"
        rec["traceback"] = _excerpt(traceback.format_exc())
        failed = Path(task["out_dir"]) / f"{task['slug']}.failed.ipynb"
        rec["notebook"] = str(failed) if failed.exists() else ""
    finally:
        for timer in list(timers):
            timer.cancel()
    rec["seconds"] = round(time.perf_counter() - t0, 3)
    return rec


def _both(a, b) -> dict:
    return a() | b()


def _render_brief(task: dict, engine: str) -> dict:
    """The brief of a report's task, in the same warm kernel (its Word document and PDF as asked);
    the fields of the report's record it fills. Raises like the report would."""
    from parlib.run.brief import NOTEBOOK, docx_outputs
    from parlib.run.render import run_notebook

    bp = task["brief_params"]
    annexes = partial(docx_outputs, bp) if task.get("docx") else None
    res = run_notebook(
        NOTEBOOK,
        bp,
        Path(task["out_dir"]),
        engine=engine,
        timeout=max(int(task.get("timeout") or 600), 1) + 60,
        annexes=annexes,
    )
    out = {"brief": str(res.html)} | {"docx": str(p) for p in res.annexes.values()}
    if task.get("pdf"):
        from parlib.run.pdf import html_to_pdf

        out["brief_pdf"] = str(html_to_pdf(res.html).pdf)
    return out


def _first_line(e: BaseException) -> str:
    text = str(e).strip()
    # papermill's PapermillExecutionError carries the notebook's own error name and value
    ename, evalue = getattr(e, "ename", None), getattr(e, "evalue", None)
    if ename:
        return f"{ename}: {evalue}"
    return text.splitlines()[0][:300] if text else ""


def _excerpt(tb: str, lines: int = 12) -> str:
    return "\n".join(tb.strip().splitlines()[-lines:])


def _worker_init() -> None:
    """In each pool worker: Ctrl-C is left to the batch process; SIGTERM (from it) stops the worker at
    once, or right after a report's outputs are written if that is under way (``critical``)."""
    from parlib._signals import keep_handlers_from_event_loops
    from parlib.run.kernels import skip_slow_optional_imports

    skip_slow_optional_imports()

    keep_handlers_from_event_loops()  # else nbclient's replace these at the first report
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _worker_stop)
    if hasattr(signal, "pthread_sigmask"):  # blocked while the worker started (_ctrl_c_blocked); its kernels
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # must not inherit that: a timeout interrupts them


def _worker_stop(signum, frame) -> None:
    from parlib._signals import stop_now_or_after_critical

    stop_now_or_after_critical(_worker_exit)


def _worker_exit() -> None:
    """Kill this worker's kernels and exit, printing nothing: no shutdown handshake (it would run the
    kernel client's event loop inside the interrupted code, and print its errors)."""
    from parlib.run import warm

    warm.kill_all_now()
    os._exit(0)

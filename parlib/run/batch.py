"""Render many reports at once: parallel, fault-isolated, resumable, with a manifest and an index.

``run_batch`` submits one task per (province, language) to any ``concurrent.futures.Executor``:
a local process pool by default, or a ``dask.distributed`` client's executor to fan out over a
cluster. Each task runs in a worker's pre-warmed kernel (:mod:`parlib.run.warm`); a failing or
timed-out report never stops the others and never replaces a good earlier report (outputs are
written atomically by :mod:`parlib.run.render`). ``reports/<year>/manifest.json`` (and
``manifest.csv``) record every report with an input fingerprint, so ``resume=True`` re-runs only
failed, missing or stale reports; ``reports/<year>/index.html`` links them all.
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import html
import json
import os
import signal
import sys
import threading
import time
import traceback
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from parlib.config import NOTEBOOKS_DIR, reports_dir

STATUSES = ("ok", "failed", "timeout", "cancelled", "skipped")
#: Seconds a timed-out report's kernel is given to honour the interrupt before it is killed.
KILL_GRACE_SECONDS = float(os.environ.get("PARLIB_KILL_GRACE", "5"))


# --- tasks ------------------------------------------------------------------------------------
def plan(
    year: int,
    provinces: list[str] | None,
    langs: list[str],
    *,
    notebook: str = "province_report",
    out: str | Path | None = None,
    timeout: int = 300,
    data_dir: str | None = None,
    pdf: bool = False,
    brief: bool = False,
    docx: bool = False,
) -> list[dict]:
    """One task per (province, language), parameters validated now (before any worker starts);
    ``pdf``: each report is also printed to ``<slug>.pdf`` (:mod:`parlib.run.pdf`); ``brief``: the
    two-page brief ``<slug>.brief.html`` too (and its PDF with ``pdf``); ``docx``: the brief in Word,
    ``<slug>.brief.docx`` (:mod:`parlib.run.brief`)."""
    from parlib.data.registry import provinces as registry
    from parlib.data.registry import unit_set_for_year
    from parlib.run.render import ParameterError, validate_report_params

    if timeout is not None and timeout <= 0:
        raise ParameterError(f"--timeout must be a number of seconds above 0, not {timeout}")
    codes = resolve_provinces(provinces, year)[0] if provinces else list(registry(unit_set_for_year(year)).code)
    out = Path(out or reports_dir())
    nb = _notebook_path(notebook)
    tasks = []
    for lang in langs:
        for code in codes:
            params = validate_report_params(code, year, lang, data_dir=data_dir)
            tasks.append(
                {
                    "key": f"{lang}/{params['_slug']}",
                    "province": params["province"],
                    "slug": params["_slug"],
                    "lang": lang,
                    "year": year,
                    "notebook": str(nb),
                    "params": params,
                    "out_dir": str(out / str(year) / lang),
                    "timeout": timeout,
                    "pdf": bool(pdf),
                }
            )
            if brief or docx:
                from parlib.run.brief import brief_params

                tasks[-1].update(
                    brief=bool(brief), docx=bool(docx), brief_params=brief_params(code, year, lang, data_dir=data_dir)
                )
    return tasks


def resolve_provinces(names: list[str], year: int) -> tuple[list[str], dict[str, list[str]]]:
    """Province codes for names in any spelling, each once (in first-named order), and the names
    that named the same province: ``{code: [names]}`` for every code named more than once."""
    from parlib.data.registry import province

    codes: dict[str, list[str]] = {}
    for name in names:
        codes.setdefault(province(name, year=int(year)).code, []).append(name)
    return list(codes), {c: n for c, n in codes.items() if len(n) > 1}


def _notebook_path(name: str) -> Path:
    p = Path(name)
    if not p.suffix:
        p = p.with_suffix(".ipynb")
    return p if p.is_absolute() or p.exists() else NOTEBOOKS_DIR / p


def _sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def data_fingerprint(data_dir: str | Path | None = None) -> str:
    """A hash of every data file's checksum (bundled manifest, plus the user store if any)."""
    from parlib.config import bundled_data_dir, user_data_dir

    h = hashlib.sha256()
    for d in filter(None, [Path(data_dir) if data_dir else bundled_data_dir(), user_data_dir()]):
        m = d / "MANIFEST.csv"
        if m.exists():
            h.update(m.read_bytes())
    return h.hexdigest()


def _profile_key(task: dict) -> tuple:
    p = task["params"]
    return (p["province"], int(p["year"]), int(p.get("base_year") or 0), tuple(p.get("indices") or ()), p["data_dir"])


def profiles_for(tasks: list[dict], stop: threading.Event | None = None) -> dict[tuple, object]:
    """The profile of each task's report (:func:`parlib.engine.profile.assess`, as the report opens it),
    one per (province, year, base year, indices, data): every figure the report shows. A province
    whose profile cannot be made is left out (its fingerprint falls back to the whole data)."""
    from parlib.data.dataset import load
    from parlib.engine.model import model_for
    from parlib.engine.profile import assess

    out: dict[tuple, object] = {}
    models: dict[tuple, object] = {}
    for t in tasks:
        key = _profile_key(t)
        if key in out or (stop is not None and stop.is_set()):
            continue
        code, year, base, indices, data_dir = key
        try:
            mk = (year, base, data_dir)
            if mk not in models:
                models[mk] = model_for(load(data_dir or None), year, base or None)
            out[key] = assess(code, year, base_year=base or None, indices=list(indices) or None, model=models[mk])
        except Exception:  # noqa: BLE001 - the report itself will fail and say why
            continue
    return out


def report_data_hash(profile) -> str:
    """A hash of the figures a report shows: its profile (the province's rows for the year and the
    base year, the national and regional aggregates, ranks, targets, sources cited), without the list
    of every data file (an import for one province does not change another's figures)."""
    d = profile.to_dict()
    d.pop("provenance", None)
    return hashlib.sha256(json.dumps(d, sort_keys=True, default=str).encode()).hexdigest()


def set_fingerprints(tasks: list[dict], data_hash: str, profiles: dict) -> None:
    """Each task's fingerprint, from the data its report shows (else from every data file)."""
    for t in tasks:
        prof = profiles.get(_profile_key(t))
        t["fingerprint"] = fingerprint(t, report_data_hash(prof) if prof is not None else data_hash)


def fingerprint(task: dict, data_hash: str) -> str:
    """Inputs that determine a report: notebook, data (the figures it shows), parameters, parlib version."""
    from parlib._version import __version__

    params = {k: v for k, v in task["params"].items() if not k.startswith("_")}
    blob = json.dumps(
        {
            "notebook": _sha256(Path(task["notebook"])),
            "data": data_hash,
            "params": params,
            "parlib": __version__,
            "template": _template_hash(),
        }
        # the brief and its Word document, when asked for (a report without them keeps its fingerprint)
        | ({"brief": _sha256(NOTEBOOKS_DIR / "province_brief.ipynb")} if task.get("brief") else {})
        | ({"docx": True} if task.get("docx") else {}),
        sort_keys=True,
    )
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _template_hash() -> str:
    from parlib.run.render import TEMPLATE_DIR

    h = hashlib.sha256()
    for p in sorted(TEMPLATE_DIR.rglob("*")):
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()[:16]


# --- one task, in a worker --------------------------------------------------------------------
def render_task(task: dict) -> dict:
    """Render one report in this process's warm kernel; never raises (errors are returned)."""
    from parlib.data.files import fault_signal
    from parlib.run import warm
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
        annexes = None
        if Path(task["notebook"]).name == "province_report.ipynb":
            from parlib.run.plan import plan_outputs

            annexes = partial(plan_outputs, task["params"])  # written with the HTML
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


# --- manifest and index -----------------------------------------------------------------------
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


MANIFEST_FIELDS = [
    "key",
    "province",
    "slug",
    "lang",
    "year",
    "status",
    "seconds",
    "execute_seconds",
    "export_seconds",
    "pdf_seconds",
    "error",
    "html",
    "notebook",
    "plan",
    "pdf",
    "fingerprint",
    "finished_at",
    "traceback",
    "brief",
    "brief_pdf",
    "docx",
]


def load_manifest(year_dir: Path) -> dict[str, dict]:
    path = year_dir / "manifest.json"
    if not path.exists():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {r["key"]: r for r in data.get("reports", [])}


def update_manifest(year_dir: Path, updates: dict[str, dict], meta: dict) -> dict[str, dict]:
    """Merge ``updates`` (this batch's new records) into the folder's manifest on disk and write it,
    under the folder's lock: batches into the same folder, at once or one after the other, never
    lose each other's records; each report keeps its latest record. Returns every record."""
    from parlib.data.files import folder_lock

    with folder_lock(year_dir):
        records = load_manifest(year_dir)
        records.update(updates)
        write_manifest(year_dir, records, meta)
    return records


def update_index(year_dir: Path, year: int, heads: dict, *, complete: bool = True) -> Path:
    """Write index.html from the manifest on disk (every batch's reports), under the folder's lock;
    headlines of provinces another batch rendered are computed first, outside the lock."""
    from parlib.data.files import folder_lock

    for attempt in range(3):
        with folder_lock(year_dir):
            records = load_manifest(year_dir)
            missing = sorted({r["province"] for r in records.values()} - set(heads))
            if not missing or not complete or attempt == 2:
                return write_index(year_dir, records, year, heads, complete=complete)
        heads.update(headlines(year, missing))
    raise AssertionError("unreachable")


def write_manifest(year_dir: Path, records: dict[str, dict], meta: dict) -> Path:
    """Write manifest.json and manifest.csv atomically (every record, sorted by key)."""
    from parlib.data.safe_csv import dicts_to_csv_text
    from parlib.run.render import _atomic_write

    rows = [records[k] for k in sorted(records)]
    body = json.dumps({**meta, "reports": rows}, ensure_ascii=False, indent=1, default=str)
    _atomic_write(year_dir / "manifest.json", body.encode("utf-8"))
    _atomic_write(year_dir / "manifest.csv", dicts_to_csv_text(rows, MANIFEST_FIELDS).encode("utf-8"))
    return year_dir / "manifest.json"


def headlines(year: int, codes: list[str], profiles: list | None = None) -> dict[str, dict]:
    """Score, rank and change per index for each province (for the index page); ``profiles``: those
    already made (:func:`profiles_for`), else they are computed."""
    from parlib.engine.profile import assess_many
    from parlib.present import fmt
    from parlib.present.catalogue import BASELINE

    out = {}
    for p in profiles if profiles is not None else assess_many(codes, year):
        cells = {}
        for r in p.indices:
            score = fmt.score(r.value, r.index_code) if r.value is not None else "—"
            rank = fmt.rank_of(r.rank, r.n_ranked, "vi") if r.rank is not None else "—"
            change = "" if r.rank_change is None else ("=" if r.rank_change == 0 else f"{r.rank_change:+d}")
            cells[r.index_code] = {
                "score": score,
                "rank": rank,
                "rank_change": change,
                "sort": r.rank if r.rank is not None else 999,
            }
        for b in p.baseline:  # a 34-unit province without its own result: its report has the baseline
            cells.setdefault(
                b.index_code,
                {
                    "score": "—",
                    "rank": BASELINE["vi"]["index_baseline"].format(year=b.year),
                    "rank_change": "",
                    "sort": 999,
                },
            )
        out[p.province.code] = {"name": p.province.name_vi, **cells}
    return out


INDEX_CSS = """
body{font-family:DejaVu Sans,Arial,sans-serif;max-width:70rem;margin:0 auto;padding:1rem;line-height:1.4}
table{border-collapse:collapse;width:100%;font-size:.9rem;display:block;overflow-x:auto}
th,td{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{cursor:pointer;background:#f4f4f4;position:sticky;top:0}
.failed,.timeout,.cancelled{color:#b00020;font-weight:bold}.ok{color:#1b7f3b}
pre{white-space:pre-wrap;font-size:.8rem;background:#fafafa;padding:.5rem;max-width:60rem}
"""
INDEX_JS = """
document.querySelectorAll('th').forEach(function(th, i){th.addEventListener('click', function(){
 var tb=th.closest('table').tBodies[0], rows=Array.from(tb.rows), asc=th.dataset.asc!=='1';
 rows.sort(function(a,b){var x=a.cells[i].dataset.sort||a.cells[i].innerText, y=b.cells[i].dataset.sort||b.cells[i].innerText;
  var nx=parseFloat(x), ny=parseFloat(y); var c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y,'vi');
  return asc?c:-c;}); th.dataset.asc=asc?'1':'0'; rows.forEach(function(r){tb.appendChild(r);});});});
"""


def write_index(
    year_dir: Path, records: dict[str, dict], year: int, heads: dict | None = None, *, complete: bool = True
) -> Path:
    """reports/<year>/index.html: every report linked with status and headline; failures with errors.
    Headlines missing from ``heads`` are computed, unless ``complete`` is false (a stopped batch)."""
    from parlib.data.indices import INDICES
    from parlib.run.render import _atomic_write

    e = html.escape
    recs = [records[k] for k in sorted(records)]
    codes = sorted({r["province"] for r in recs})
    if complete and (heads is None or not set(codes) <= set(heads)):
        heads = headlines(year, codes)
    heads = heads or {}
    cols = [i for i in INDICES if any(i in heads.get(r["province"], {}) for r in recs)]
    rows = []
    for r in recs:
        h = heads.get(r["province"], {})
        link = (
            f'<a href="{e(r["lang"])}/{e(r["slug"])}.html">{e(h.get("name", r["slug"]))}</a>'
            if r["status"] in ("ok", "skipped")
            else e(h.get("name", r["slug"]))
        )
        if r["status"] in ("ok", "skipped"):  # the brief and its Word document, when rendered
            for field_, label in (("brief", "brief / tóm tắt"), ("docx", "Word")):
                if r.get(field_):
                    link += f' · <a href="{e(r["lang"])}/{e(Path(r[field_]).name)}">{e(label)}</a>'
        cells = [f"<td>{link}</td>", f"<td>{e(r['lang'])}</td>", f'<td class="{e(r["status"])}">{e(r["status"])}</td>']
        for i in cols:
            c = h.get(i)
            cells.append(
                f'<td data-sort="{c["sort"]}">{e(c["score"])}<br>{e(c["rank"])} {e(c["rank_change"])}</td>'
                if c
                else '<td data-sort="999">—</td>'
            )
        err = ""
        if r.get("error"):
            err = (
                f"{e(r['error'])}<details><summary>traceback</summary><pre>{e(r.get('traceback', ''))}</pre></details>"
            )
        cells.append(f"<td>{err}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    n = {s: sum(1 for r in recs if r["status"] == s) for s in STATUSES}
    head = "".join(f"<th>{e(x)}</th>" for x in ["Tỉnh, thành phố / Province", "Lang", "Status", *cols, "Error / Lỗi"])
    page = f"""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>parlib reports {year}: {len(recs)} reports</title><style>{INDEX_CSS}</style></head>
<body><h1>Báo cáo năm {year} / Reports {year}</h1>
<p>{n["ok"] + n["skipped"]} ok, {n["failed"]} failed, {n["timeout"]} timed out, {n["cancelled"]} cancelled.
Score, rank/N and rank change per index; click a column to sort.</p>
<table><thead><tr>{head}</tr></thead><tbody>
{chr(10).join(rows)}
</tbody></table><script>{INDEX_JS}</script></body></html>
"""
    _atomic_write(year_dir / "index.html", page.encode("utf-8"))
    return year_dir / "index.html"


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

    # The reports' profiles give their fingerprints and the index page's headlines; computed while the
    # workers render (the parent is otherwise idle), or first when --resume must compare fingerprints.
    heads: dict = {}

    def prepare() -> None:
        profiles = profiles_for(tasks, stop)
        set_fingerprints(tasks, data_hash, profiles)
        mine = {p.province.code: p for p in profiles.values()}
        heads.update(headlines(year, sorted(mine), list(mine.values())))

    head_thread = threading.Thread(target=prepare, daemon=True)
    head_thread.start()
    if resume:
        while head_thread.is_alive() and not stop.is_set():
            head_thread.join(timeout=0.2)

    def fp(t: dict) -> str:
        """A task's fingerprint (waits for :func:`prepare`, which gives up at a stop)."""
        if "fingerprint" not in t:
            head_thread.join()
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
    while head_thread.is_alive() and time.monotonic() < deadline and not stop.is_set():
        head_thread.join(timeout=0.2)
    if head_thread.is_alive() and stop.is_set():
        interrupted = True  # stopped while the index was being made
    index = update_index(year_dir, year, dict(heads), complete=not stop.is_set())
    counts = {s: sum(1 for k in (t["key"] for t in tasks) if records.get(k, {}).get("status") == s) for s in STATUSES}
    return BatchResult(
        [records[t["key"]] for t in tasks], manifest, index, time.perf_counter() - t0, interrupted, counts
    )


def _unfinished_record(t: dict, prev: dict | None, started: float) -> dict:
    """The record of a report the stop caught, read from the disk once its worker is gone. Its HTML
    written in this run (modified since the batch started) means the report finished: the HTML,
    notebook and plan are written together (:func:`parlib.run.render.run_notebook`), so the record
    is ``ok`` (``cancelled`` if a PDF was asked for and not printed yet: it names the new HTML).
    Else ``cancelled``, with the previous record's outputs, which are still there."""
    out = Path(t["out_dir"])
    base = {
        "key": t["key"],
        "province": t["province"],
        "slug": t["slug"],
        "lang": t["lang"],
        "year": t["year"],
        "finished_at": _now(),
    }

    def fresh(name: str) -> str:
        try:
            return str(out / name) if (out / name).stat().st_mtime >= started else ""
        except OSError:
            return ""

    html = fresh(f"{t['slug']}.html")
    if html:
        rec = {**base, "status": "ok", "html": html, "fingerprint": t["fingerprint"], "error": ""}
        for field_, name in (("notebook", ".ipynb"), ("plan", ".plan.xlsx"), ("pdf", ".pdf")):
            if fresh(t["slug"] + name):
                rec[field_] = fresh(t["slug"] + name)
        rec["note"] = "finished as the batch was stopped"
        if t.get("pdf") and not rec.get("pdf"):
            rec.update(status="cancelled", error="batch interrupted before the PDF was printed (the HTML is new)")
        return rec
    return {
        **(prev or {}),
        **base,
        "status": "cancelled",
        "error": "batch interrupted before this report finished",
        "fingerprint": (prev or {}).get("fingerprint", ""),
    }


def _remove_partial_files(tasks: list[dict]) -> None:
    """Delete the temporary files that stopped workers left: every hidden ``.<slug>.*`` of a report's
    folder (papermill's notebook, the ``.partial`` files of atomic writes); finished reports are never
    touched."""
    for t in tasks:
        for p in Path(t["out_dir"]).glob(f".{t['slug']}.*"):
            if p.is_file():
                p.unlink(missing_ok=True)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


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

"""Run one notebook with papermill (explicit kernel) and export it to offline HTML.

Parameters are validated here, before any kernel starts. Outputs go to
``reports/<year>/<lang>/<slug>.ipynb`` and ``.html`` (slug from the registry, never from raw
input) and are written atomically, with the umask's mode (0644 under umask 022: reports are shared): a failed run never replaces a good report; the failed
notebook is kept beside it as ``<slug>.failed.ipynb``.
"""

from __future__ import annotations

import datetime as _dt
import os
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from parlib._signals import critical
from parlib._text import escape_bidi, match_key, nfc
from parlib._words import LANGS  # the languages with a catalogue file
from parlib.config import NOTEBOOKS_DIR, PACKAGE_DIR, reports_dir
from parlib.data.files import atomic_write, current_umask, fault_signal, fault_sleep
from parlib.data.indices import INDICES
from parlib.data.registry import MERGER_YEAR
from parlib.data.registry import province as resolve
from parlib.present.catalogue import word
from parlib.run.kernels import KERNEL, ensure_kernel, kernel_manager_class  # noqa: F401 (re-exported)

TEMPLATE_DIR = PACKAGE_DIR / "templates"


class ParameterError(ValueError):
    """A report parameter is invalid; the message says what is accepted."""


@dataclass
class RenderResult:
    notebook: Path
    html: Path
    seconds: float
    execute_seconds: float
    export_seconds: float
    annexes: dict = field(default_factory=dict)  # file name -> path of the other outputs (the plan workbook)


# --- parameters -------------------------------------------------------------------------------
def validate_report_params(
    province: str, year: int, lang: str = "en", *, indices=None, base_year=None, data_dir=None
) -> dict:
    """Check report parameters before a kernel starts; return the normalised parameters.

    Raises :class:`parlib.data.registry.UnknownProvinceError` (with suggestions) for an unknown
    province and :class:`ParameterError` for a year without data, a bad language or index.
    """
    _check_lang(lang)
    p = resolve(province, year=int(year))
    years = _check_year(year, data_dir, new_units=True)
    indices = list(indices or [])
    bad = [i for i in indices if i not in INDICES]
    if bad:
        raise ParameterError(f"unknown index {bad[0]!r}; use {', '.join(INDICES)}")
    if base_year is not None and (int(base_year) >= int(year) or int(base_year) not in years):
        raise ParameterError(
            f"base year {base_year} must be an earlier year with data "
            f"({', '.join(str(y) for y in years if y < int(year))})"
        )
    return {
        "province": p.code,
        "year": int(year),
        "lang": lang,
        "indices": indices,
        "base_year": int(base_year) if base_year else 0,
        "data_dir": str(data_dir or ""),
        "_slug": p.slug,
        "_title": report_title(p, int(year), lang),
    }


def validate_overview_params(year: int, lang: str = "en", *, data_dir=None) -> dict:
    """Check national-overview parameters before a kernel starts."""
    _check_lang(lang)
    _check_year(year, data_dir)
    title = word("title.overview", lang, year=year)
    return {
        "year": int(year),
        "lang": lang,
        "data_dir": str(data_dir or ""),
        "_slug": "national-overview",
        "_title": title,
    }


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ParameterError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")


def _check_year(year: int, data_dir=None, *, new_units: bool = False) -> list[int]:
    """The years with data; raises :class:`ParameterError` listing them when ``year`` is not one.

    With ``new_units`` (province reports and summaries), any year from the merger (2025) up to the
    current year is valid too, with or without data: the 34 units get their own figures where
    published and otherwise the baseline of the provinces they were formed from.
    """
    from parlib.data.dataset import load

    years = load(data_dir or None).years()
    if int(year) in years or (new_units and MERGER_YEAR <= int(year) <= _dt.date.today().year):
        return years
    extra = f"; for the 34 units: {MERGER_YEAR}-{_dt.date.today().year}" if new_units else ""
    raise ParameterError(f"no data for {year}; years with data: {', '.join(map(str, years))}{extra}")


def check_report_year(year: int, data_dir=None) -> list[int]:
    """Check the year of a province summary or report (see :func:`_check_year`, ``new_units``)."""
    return _check_year(year, data_dir, new_units=True)


def merged_note(query: str, year: int) -> str:
    """'"Thái Bình" is part of Hưng Yên since 1 July 2025: …' when a 63-unit name given with a year
    from 2025 resolves to the 34-unit province it merged into under another name; else ""."""
    if int(year) < MERGER_YEAR:
        return ""
    p = resolve(query, year=int(year))
    try:
        old = resolve(query, unit_set="VN63")
    except LookupError:
        return ""
    own = {match_key(x) for x in (p.code, p.name_vi, p.name_ascii, p.name_en, p.slug, p.slug.removesuffix("-2025"))}
    if old.unit_set != "VN63" or old.successor_code != p.code or match_key(nfc(str(query))) in own:
        return ""
    if len(p.members) == 1:
        return f"{old.name_vi} is {p.name_vi} ({p.code}) among the 34 units of 1 July 2025."
    olds = ", ".join(x.name_vi for x in p.predecessors)
    return f"{old.name_vi} merged into {p.name_vi} ({p.code}) on 1 July 2025; this is {p.name_vi}, formed from {olds}."


def report_title(p, year: int, lang: str) -> str:
    """'Tỉnh Hưng Yên: đánh giá …' / 'Hung Yen: administrative reform …' (the catalogue's title.report)."""
    from parlib.present.narrative import unit_name

    return word("title.report", lang, province=unit_name(p, lang, capital=True), year=year)


# --- HTML -------------------------------------------------------------------------------------
def _strip_noise(nb) -> None:
    """Drop what the reader must never see: stderr streams (warnings), the parameter cells and
    code cells left without output."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [
                o
                for o in cell.get("outputs", [])
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
            ]
    hidden = {"parameters", "injected-parameters"}
    nb.cells = [
        c
        for c in nb.cells
        if not (c.cell_type == "code" and (hidden & set(c.metadata.get("tags", [])) or not c.get("outputs")))
    ]


def export_html(nb, html_path: Path, *, title: str, lang: str) -> float:
    """Export an executed notebook to self-contained offline HTML; return seconds taken."""

    t = time.perf_counter()
    _atomic_write(html_path, html_bytes(nb, title=title, lang=lang))
    return time.perf_counter() - t


def html_bytes(nb, *, title: str, lang: str) -> bytes:
    """An executed notebook as self-contained offline HTML (UTF-8)."""
    import nbformat  # imported when needed: with jsonschema it costs ~1.7 s (a kernel opening a report never needs it)

    nb = nbformat.from_dict(nb) if isinstance(nb, dict) else nb
    _strip_noise(nb)
    nb.metadata["title"] = title
    body, _ = _exporter(lang).from_notebook_node(nb)
    return escape_bidi(body).encode("utf-8")  # bidi controls would show a title reversed (issue 18)


_EXPORTERS: dict = {}


def _exporter_class():
    """nbconvert's HTML exporter, less two passes that cost a report most of its export time.

    ``HTMLExporter`` parses the finished page again with BeautifulSoup (a third of an export) to
    give images without alt text a placeholder and make output areas keyboard stops; parlib's
    charts each carry their own alt text (:func:`parlib.present.pages.figure_html`; tested), and a
    report shows outputs only. It also validates the whole notebook against the nbformat schema after
    every preprocessor (a dozen times per export); papermill validated it when it was written.
    """
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class ReportExporter(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):
            resources = self._init_resources(resources)
            self.register_filter("highlight_code", Highlight2HTML(pygments_lexer="ipython3", parent=self))
            self.register_filter(
                "filter_data_type",
                WidgetsDataTypeFilter(notebook_metadata=self._nb_metadata, parent=self, resources=resources),
            )
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

        def _validate_preprocessor(self, nbc, preprocessor):
            return None

    return ReportExporter


def _exporter(lang: str):
    """A configured HTML exporter, reused across reports (constructing one costs ~0.2 s)."""
    if lang not in _EXPORTERS:
        _EXPORTERS[lang] = _exporter_class()(
            extra_template_basedirs=[str(TEMPLATE_DIR)],
            template_name="parlib",
            exclude_input=True,
            exclude_input_prompt=True,
            exclude_output_prompt=True,
            exclude_anchor_links=True,
            embed_images=True,
            language_code=lang,
            mathjax_url="",
            require_js_url="",
        )
    return _EXPORTERS[lang]


def _atomic_write(path: Path, data: bytes) -> None:
    """Atomic, durable, umask-honouring (0644 under umask 022): :func:`parlib.data.files.atomic_write`."""
    atomic_write(path, data)


# --- running ----------------------------------------------------------------------------------
def run_notebook(
    notebook: str | Path,
    params: dict,
    out_dir: Path,
    *,
    kernel: str = KERNEL,
    timeout: int = 600,
    engine: str | None = None,
    annexes=None,
) -> RenderResult:
    """Execute a notebook with papermill and export it; atomic outputs.

    ``engine="parlib-warm"`` runs it in this process's pre-warmed kernel (:mod:`parlib.run.warm`).
    ``annexes``: a function returning the report's other outputs, ``{file name: bytes}`` (the plan
    workbook). Everything is computed first, then the HTML, the notebook and the annexes are
    written in one :func:`parlib._signals.critical` block: a stop never splits them, so an HTML
    from this run means its notebook and annexes are from this run too.
    """
    import papermill as pm

    if engine == "parlib-warm":
        import parlib.run.warm  # noqa: F401 - registers the engine

    t0 = time.perf_counter()
    nb_in = Path(notebook)
    if not nb_in.is_absolute():
        nb_in = NOTEBOOKS_DIR / nb_in
    if nb_in.suffix != ".ipynb":
        nb_in = nb_in.with_suffix(".ipynb")
    slug, title = params["_slug"], params["_title"]
    lang = params.get("lang", "en")
    parameters = {k: v for k, v in params.items() if not k.startswith("_")}
    if not timeout or timeout <= 0:
        raise ParameterError(f"timeout must be a number of seconds above 0, not {timeout}")
    out_dir.mkdir(parents=True, exist_ok=True)
    nb_out, html_out = out_dir / f"{slug}.ipynb", out_dir / f"{slug}.html"
    fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=f".{slug}.", suffix=".ipynb")
    os.close(fd)
    if lang not in _EXPORTERS:  # nbconvert's import and the exporter are made while the kernel works
        threading.Thread(target=_exporter, args=(lang,), name="parlib-exporter", daemon=True).start()
    try:
        nb = pm.execute_notebook(
            str(nb_in),
            tmp,
            parameters=parameters,
            kernel_name=ensure_kernel(kernel),
            language="python",
            progress_bar=False,
            log_output=False,
            execution_timeout=timeout,
            cwd=str(nb_in.parent),
            engine_name=engine,
            request_save_on_cell_execute=False,
            shutdown_kernel="immediate",  # its own kernel, after the run or a Ctrl-C: killed, not asked (it may be busy)
            kernel_manager_class=kernel_manager_class(),
        )
    except OSError as e:  # the notebook could not be written (disk full…): it is partial, keep nothing
        Path(tmp).unlink(missing_ok=True)
        if e.errno is not None and not isinstance(e.filename, str):
            e.filename = str(nb_out)
        raise
    except BaseException:
        failed = out_dir / f"{slug}.failed.ipynb"
        if Path(tmp).exists():
            os.chmod(tmp, 0o666 & ~current_umask())
            os.replace(tmp, failed)
        raise
    t1 = time.perf_counter()
    written = {}
    try:
        body = html_bytes(nb, title=title, lang=lang)
        extra = annexes() if annexes else {}
        with open(tmp, "rb+") as f:  # papermill wrote it: make it durable and shareable like the HTML
            os.fsync(f.fileno())
            os.fchmod(f.fileno(), 0o666 & ~current_umask())
        with critical():  # a stop waits until the report's outputs are all in place
            _atomic_write(html_out, body)
            fault_signal("html-written")
            fault_sleep("html-written")
            os.replace(tmp, nb_out)
            for name, data in extra.items():
                _atomic_write(out_dir / name, data)
                written[name] = out_dir / name
        export_seconds = time.perf_counter() - t1
    except BaseException:
        Path(tmp).unlink(missing_ok=True)  # a full disk while exporting leaves no hidden notebook behind
        raise
    (out_dir / f"{slug}.failed.ipynb").unlink(missing_ok=True)
    return RenderResult(nb_out, html_out, time.perf_counter() - t0, t1 - t0, export_seconds, written)


def render_report(
    province: str,
    year: int,
    lang: str = "en",
    *,
    indices=None,
    base_year=None,
    data_dir=None,
    out=None,
    timeout: int = 600,
    extra=None,
    engine: str | None = None,
) -> RenderResult:
    """Render one province's assessment report to ``<out>/<year>/<lang>/<slug>.{ipynb,html}``.

    ``extra``: a function of the validated parameters returning more annexes, ``{file name: bytes}``
    (``parlib report --docx`` passes :func:`parlib.run.brief.docx_outputs`, the brief in Word).
    ``engine="parlib-warm"`` runs it in this process's warm kernel (:func:`start_kernel_early`), which
    also makes the plan workbook from the report's own profile (no second assessment here)."""
    params = validate_report_params(province, year, lang, indices=indices, base_year=base_year, data_dir=data_dir)
    out_dir = Path(out or reports_dir()) / str(year) / lang
    from parlib.run.plan import plan_annex

    kernel = None
    if engine == "parlib-warm":
        from parlib.run import warm

        km, kc = _take_early()
        kernel = warm.adopt(KERNEL, km, kc) if km is not None else warm.kernel(KERNEL)
    # the editable plan annex (and any extra one), next to the HTML
    return run_notebook(
        "province_report.ipynb",
        params,
        out_dir,
        timeout=timeout,
        engine=engine,
        annexes=lambda: plan_annex(kernel, params, out_dir) | (extra(params) if extra else {}),
    )


class _Early:
    """The kernel :func:`start_kernel_early` launches: its thread, then its manager and client."""

    thread: threading.Thread | None = None
    km = kc = None


def stop_kernel_early() -> None:
    """Shut down the kernel :func:`start_kernel_early` started (a refused or failed report, or a kernel
    spec found stale and rewritten): wait for its thread, then stop the kernel."""
    import sys

    km, kc = _take_early()
    if km is not None:
        from jupyter_core.utils import run_sync

        kc.stop_channels()
        run_sync(km.shutdown_kernel)(now=True)
    warm = sys.modules.get("parlib.run.warm")
    if warm is not None:
        warm.discard(KERNEL)


def _take_early():
    """The early kernel's manager and client, once its thread is done (``(None, None)`` if none)."""
    thread, _Early.thread = _Early.thread, None
    if thread is not None:
        thread.join(timeout=120)
    km, kc, _Early.km, _Early.kc = _Early.km, _Early.kc, None, None
    return km, kc


def start_kernel_early(year: int, data_dir=None) -> threading.Thread:
    """Launch the report's kernel in a thread (:func:`parlib.run.kernels.launch`, jupyter_client
    alone), send it parlib's imports and the year's data and model to load, and return: the kernel
    boots and loads while this process checks the names and the data and imports papermill. A report
    run with ``engine="parlib-warm"`` takes it as this process's warm kernel; a failure here is left
    to that run, which starts a kernel of its own and raises where it is reported."""
    import jupyter_client.manager  # noqa: F401 - imported here, not by two threads at once

    from parlib.run.kernel_side import PRELOAD

    warm_up = "__import__('parlib.run.kernel_side', fromlist=['warm_year']).warm_year(%d, %r)" % (
        int(year),
        str(data_dir or ""),
    )

    def start():
        try:
            from parlib.run.kernels import launch

            km, kc = launch(KERNEL)
            for code in (PRELOAD, warm_up):
                kc.execute(code, silent=True, store_history=False)
            _Early.km, _Early.kc = km, kc
        except Exception:  # noqa: BLE001 - said by the report's own kernel start
            pass

    thread = _Early.thread = threading.Thread(target=start, name="parlib-early-kernel", daemon=True)
    thread.start()
    return thread


def render_overview(year: int, lang: str = "en", *, data_dir=None, out=None, timeout: int = 600) -> RenderResult:
    """Render the national overview to ``<out>/<year>/<lang>/national-overview.{ipynb,html}``."""
    params = validate_overview_params(year, lang, data_dir=data_dir)
    out_dir = Path(out or reports_dir()) / str(year) / lang
    return run_notebook("national_overview.ipynb", params, out_dir, timeout=timeout)

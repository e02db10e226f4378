"""Run one notebook with papermill (explicit kernel) and export it to offline HTML.

Parameters are validated here, before any kernel starts. Outputs go to
``reports/<year>/<lang>/<slug>.ipynb`` and ``.html`` (slug from the registry, never from raw
input) and are written atomically, with the umask's mode (0644 under umask 022: reports are shared): a failed run never replaces a good report; the failed
notebook is kept beside it as ``<slug>.failed.ipynb``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import nbformat

from parlib.config import NOTEBOOKS_DIR, PACKAGE_DIR, reports_dir
from parlib.data.files import atomic_write, current_umask
from parlib.data.indices import INDICES
from parlib.data.registry import province as resolve

KERNEL = "parlib"
LANGS = ("en", "vi")
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


# --- parameters -------------------------------------------------------------------------------
def validate_report_params(province: str, year: int, lang: str = "en", *, indices=None, base_year=None,
                           data_dir=None) -> dict:
    """Check report parameters before a kernel starts; return the normalised parameters.

    Raises :class:`parlib.data.registry.UnknownProvinceError` (with suggestions) for an unknown
    province and :class:`ParameterError` for a year without data, a bad language or index.
    """
    _check_lang(lang)
    p = resolve(province, year=int(year))
    years = _check_year(year, data_dir)
    indices = list(indices or [])
    bad = [i for i in indices if i not in INDICES]
    if bad:
        raise ParameterError(f"unknown index {bad[0]!r}; use {', '.join(INDICES)}")
    if base_year is not None and (int(base_year) >= int(year) or int(base_year) not in years):
        raise ParameterError(f"base year {base_year} must be an earlier year with data "
                             f"({', '.join(str(y) for y in years if y < int(year))})")
    return {"province": p.code, "year": int(year), "lang": lang, "indices": indices,
            "base_year": int(base_year) if base_year else 0, "data_dir": str(data_dir or ""),
            "_slug": p.slug, "_title": report_title(p, int(year), lang)}


def validate_overview_params(year: int, lang: str = "en", *, data_dir=None) -> dict:
    """Check national-overview parameters before a kernel starts."""
    _check_lang(lang)
    _check_year(year, data_dir)
    title = (f"Provincial governance indices {year}: national overview" if lang == "en"
             else f"Các chỉ số quản trị cấp tỉnh năm {year}: toàn cảnh cả nước")
    return {"year": int(year), "lang": lang, "data_dir": str(data_dir or ""), "_slug": "national-overview",
            "_title": title}


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ParameterError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")


def _check_year(year: int, data_dir=None) -> list[int]:
    """The years with data; raises :class:`ParameterError` listing them when ``year`` is not one."""
    from parlib.engine.profile import available_years
    from parlib.data.loading import load_scores

    scores = load_scores(data_dir, include_indicators=False) if data_dir else None
    years = available_years(scores=scores)
    if int(year) not in years:
        raise ParameterError(f"no data for {year}; years with data: {', '.join(map(str, years))}")
    return years


def report_title(p, year: int, lang: str) -> str:
    if lang == "vi":
        kind = "Thành phố" if p.type == "city" else "Tỉnh"
        return f"{kind} {p.name_vi}: đánh giá các chỉ số cải cách hành chính năm {year}"
    return f"{p.name_en}: administrative reform and governance assessment {year}"


# --- kernel -----------------------------------------------------------------------------------
def _kernel_manager_class():
    """Kernels talk over local IPC sockets on POSIX (no TCP port, no 'unencrypted TCP' warning)."""
    from jupyter_client.manager import AsyncKernelManager

    class LocalKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            if os.name == "posix":
                kwargs.setdefault("transport", "ipc")
                # A private directory per kernel: kernels started at the same moment by parallel
                # workers must not race for the same socket names (the default is ./kernel-ipc-N).
                kwargs.setdefault("ip", os.path.join(tempfile.mkdtemp(prefix="parlib-kernel-"), "ipc"))
            super().__init__(**kwargs)

        async def _async_cleanup_resources(self, restart: bool = False) -> None:
            await super()._async_cleanup_resources(restart=restart)
            if self.transport == "ipc" and not restart:
                folder = os.path.dirname(self.ip)
                if os.path.basename(folder).startswith("parlib-kernel-"):
                    shutil.rmtree(folder, ignore_errors=True)

    return LocalKernelManager


KERNEL_MANAGER = None


def kernel_manager_class():
    """The kernel manager class every parlib notebook run uses (created once)."""
    global KERNEL_MANAGER
    if KERNEL_MANAGER is None:
        KERNEL_MANAGER = _kernel_manager_class()
    return KERNEL_MANAGER


def ensure_kernel(name: str = KERNEL) -> str:
    """Make sure the named Jupyter kernel exists (installs it into this environment if not)."""
    from jupyter_client.kernelspec import KernelSpecManager

    if name not in KernelSpecManager().find_kernel_specs():
        from ipykernel.kernelspec import install

        install(prefix=os.environ.get("VIRTUAL_ENV") or __import__("sys").prefix, kernel_name=name,
                display_name=f"Python ({name})")
    return name


# --- HTML -------------------------------------------------------------------------------------
def _strip_noise(nb) -> None:
    """Drop what the reader must never see: stderr streams (warnings), the parameter cells and
    code cells left without output."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.get("outputs", [])
                            if not (o.get("output_type") == "stream" and o.get("name") == "stderr")]
    hidden = {"parameters", "injected-parameters"}
    nb.cells = [c for c in nb.cells if not (c.cell_type == "code" and (
        hidden & set(c.metadata.get("tags", [])) or not c.get("outputs")))]


def export_html(nb, html_path: Path, *, title: str, lang: str) -> float:
    """Export an executed notebook to self-contained offline HTML; return seconds taken."""

    t = time.perf_counter()
    nb = nbformat.from_dict(nb) if isinstance(nb, dict) else nb
    _strip_noise(nb)
    nb.metadata["title"] = title
    exporter = _exporter(lang)
    body, _ = exporter.from_notebook_node(nb)
    _atomic_write(html_path, body.encode("utf-8"))
    return time.perf_counter() - t


_EXPORTERS: dict = {}


def _exporter(lang: str):
    """A configured HTMLExporter, reused across reports (constructing one costs ~0.2 s)."""
    from nbconvert import HTMLExporter

    if lang not in _EXPORTERS:
        _EXPORTERS[lang] = HTMLExporter(
            extra_template_basedirs=[str(TEMPLATE_DIR)], template_name="parlib",
            exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
            exclude_anchor_links=True, embed_images=True, language_code=lang,
            mathjax_url="", require_js_url="")
    return _EXPORTERS[lang]


def _atomic_write(path: Path, data: bytes) -> None:
    """Atomic, durable, umask-honouring (0644 under umask 022): :func:`parlib.data.files.atomic_write`."""
    atomic_write(path, data)


# --- running ----------------------------------------------------------------------------------
def run_notebook(notebook: str | Path, params: dict, out_dir: Path, *, kernel: str = KERNEL,
                 timeout: int = 600, engine: str | None = None) -> RenderResult:
    """Execute a notebook with papermill and export it; atomic outputs.

    ``engine="parlib-warm"`` runs it in this process's pre-warmed kernel (:mod:`parlib.run.warm`).
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
    try:
        nb = pm.execute_notebook(str(nb_in), tmp, parameters=parameters, kernel_name=ensure_kernel(kernel),
                                 language="python", progress_bar=False, log_output=False,
                                 execution_timeout=timeout, cwd=str(nb_in.parent), engine_name=engine,
                                 request_save_on_cell_execute=False, kernel_manager_class=kernel_manager_class())
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
    try:
        export_seconds = export_html(nb, html_out, title=title, lang=lang)
        with open(tmp, "rb+") as f:  # papermill wrote it: make it durable and shareable like the HTML
            os.fsync(f.fileno())
            os.fchmod(f.fileno(), 0o666 & ~current_umask())
        os.replace(tmp, nb_out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)  # a full disk while exporting leaves no hidden notebook behind
        raise
    (out_dir / f"{slug}.failed.ipynb").unlink(missing_ok=True)
    return RenderResult(nb_out, html_out, time.perf_counter() - t0, t1 - t0, export_seconds)


def render_report(province: str, year: int, lang: str = "en", *, indices=None, base_year=None,
                  data_dir=None, out=None, timeout: int = 600) -> RenderResult:
    """Render one province's assessment report to ``<out>/<year>/<lang>/<slug>.{ipynb,html}``."""
    params = validate_report_params(province, year, lang, indices=indices, base_year=base_year,
                                    data_dir=data_dir)
    out_dir = Path(out or reports_dir()) / str(year) / lang
    return run_notebook("province_report.ipynb", params, out_dir, timeout=timeout)


def render_overview(year: int, lang: str = "en", *, data_dir=None, out=None, timeout: int = 600) -> RenderResult:
    """Render the national overview to ``<out>/<year>/<lang>/national-overview.{ipynb,html}``."""
    params = validate_overview_params(year, lang, data_dir=data_dir)
    out_dir = Path(out or reports_dir()) / str(year) / lang
    return run_notebook("national_overview.ipynb", params, out_dir, timeout=timeout)

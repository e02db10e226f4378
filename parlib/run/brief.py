"""The brief of a province-year (issue 20): ``<slug>.brief.html`` beside the full report, rendered by
``notebooks/province_brief.ipynb`` from the same profile, with ``<slug>.brief.docx`` (an editable Word
document of the same blocks, :mod:`parlib.run.docx`) and ``<slug>.brief.pdf`` on request.
"""

from __future__ import annotations

from pathlib import Path

from parlib.config import reports_dir
from parlib.present.brief import ProvinceBrief
from parlib.present.catalogue import BRIEF
from parlib.present.narrative import unit_name
from parlib.run.render import RenderResult, run_notebook, validate_report_params

NOTEBOOK = "province_brief.ipynb"


def brief_params(province: str, year: int, lang: str = "en", **kw) -> dict:
    """The report's validated parameters (:func:`parlib.run.render.validate_report_params`), with the
    brief's output name (``_slug``: ``<slug>.brief``) and title; ``_report_slug`` is the full report's."""
    from parlib.data.registry import province as resolve

    params = validate_report_params(province, year, lang, **kw)
    p = resolve(params["province"], year=int(year))
    title = BRIEF[lang]["title"].format(province=unit_name(p, lang, capital=True), year=int(year))
    return params | {"_report_slug": params["_slug"], "_slug": f"{params['_slug']}.brief", "_title": title}


def open_brief(province: str, year: int, lang: str = "en", *, indices=None, base_year=None, data_dir=None):
    """The brief of one province-year for a notebook (same arguments as :func:`parlib.run.report.open_report`)."""
    from parlib.data.dataset import load
    from parlib.engine.model import model_for
    from parlib.engine.profile import assess

    params = brief_params(province, year, lang, indices=indices, base_year=base_year or None, data_dir=data_dir or None)
    model = model_for(load(data_dir or None), int(year), base_year or None)
    profile = assess(params["province"], int(year), base_year=base_year or None, indices=indices or None, model=model)
    return ProvinceBrief(profile, lang, _brief_view(params))


def _brief_view(params: dict) -> dict:
    """What the brief's pages read: the full report's slug (for the link) and the brief's title."""
    return params | {"_slug": params["_report_slug"], "_brief_title": params["_title"]}


def docx_outputs(params: dict) -> dict[str, bytes]:
    """The brief as a Word document, ``{"<slug>.brief.docx": bytes}``, for the validated parameters of a
    brief or of a full report (an annex written with the HTML, like the plan workbook)."""
    from parlib.run.docx import brief_docx

    if "_report_slug" not in params:
        params = brief_params(
            params["province"],
            params["year"],
            params["lang"],
            indices=params.get("indices") or None,
            base_year=params.get("base_year") or None,
            data_dir=params.get("data_dir") or None,
        )
    brief = open_brief(
        params["province"],
        params["year"],
        params["lang"],
        indices=params.get("indices") or None,
        base_year=params.get("base_year") or None,
        data_dir=params.get("data_dir") or None,
    )
    return {f"{params['_report_slug']}.brief.docx": brief_docx(brief)}


def render_brief(
    province: str,
    year: int,
    lang: str = "en",
    *,
    indices=None,
    base_year=None,
    data_dir=None,
    out=None,
    timeout: int = 600,
    docx: bool = False,
) -> RenderResult:
    """Render the brief to ``<out>/<year>/<lang>/<slug>.brief.{ipynb,html}`` (and ``.brief.docx``)."""
    params = brief_params(province, year, lang, indices=indices, base_year=base_year, data_dir=data_dir)
    out_dir = Path(out or reports_dir()) / str(year) / lang
    annexes = (lambda: docx_outputs(params)) if docx else None
    return run_notebook(NOTEBOOK, params, out_dir, timeout=timeout, annexes=annexes)

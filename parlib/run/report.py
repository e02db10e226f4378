"""Open a report for a notebook: validate the parameters, load the Dataset once, slice the year
model, and hand the slice to the presentation pages.

The notebooks call only these two functions and the sections of what they return, so the same
report works in JupyterLab and in rendered HTML.
"""

from __future__ import annotations

from parlib.data.dataset import load
from parlib.data.geo import load_boundaries
from parlib.engine.model import model_for
from parlib.engine.profile import assess
from parlib.present.pages import OverviewReport, ProvinceReport
from parlib.run.render import validate_overview_params, validate_report_params


def open_report(
    province: str, year: int, lang: str = "en", *, indices=None, base_year=None, data_dir=None
) -> ProvinceReport:
    """The report of one province-year (``base_year`` 0 or None: the previous available year;
    ``data_dir`` "" or None: the bundled data with the user store)."""
    params = validate_report_params(
        province, year, lang, indices=indices, base_year=base_year or None, data_dir=data_dir or None
    )
    model = model_for(load(data_dir or None), int(year), base_year or None)
    profile = assess(params["province"], int(year), base_year=base_year or None, indices=indices or None, model=model)
    return ProvinceReport(profile, lang, params, boundaries=load_boundaries(profile.unit_set))


def open_overview(year: int, lang: str = "en", *, data_dir=None) -> OverviewReport:
    """The national overview of one year."""
    params = validate_overview_params(year, lang, data_dir=data_dir or None)
    model = model_for(load(data_dir or None), int(year))
    return OverviewReport(model.overview(), lang, params, boundaries=load_boundaries(model.unit_set))

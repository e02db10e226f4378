"""Provinces side by side (issue 20): ``parlib compare NAME NAME [NAME…] --year Y --lang L`` renders
``notebooks/comparison.ipynb`` to ``reports/<year>/<lang>/compare-<slugs>.html``.

Every name is checked before any kernel starts: an unknown name raises
:class:`parlib.data.registry.UnknownProvinceError` (with suggestions), two names of one province, fewer
than two or more than six provinces raise :class:`parlib.run.render.ParameterError`.
"""

from __future__ import annotations

from pathlib import Path

from parlib._text import match_key, slugify
from parlib.config import reports_dir
from parlib.data.registry import province as resolve
from parlib.present.catalogue import COMPARE
from parlib.run.render import ParameterError, RenderResult, _check_lang, check_report_year, run_notebook

NOTEBOOK = "comparison.ipynb"
MIN_PROVINCES, MAX_PROVINCES = 2, 6


def region_members(region: str, year: int) -> list[str]:
    """The codes of a region's provinces (region code "RRD" or its name in either language, any
    spelling); ParameterError listing the regions when none matches."""
    from parlib.data.registry import MERGER_YEAR, provinces

    if int(year) >= MERGER_YEAR:  # DOMAIN §6.4: the six regions are defined for the 63 units only
        raise ParameterError(f"--region: the {MERGER_YEAR} units have no regions yet; name the provinces instead")
    t = provinces("VN63")
    key = match_key(region)
    hit = t[
        (t.region_code.map(match_key) == key)
        | (t.region_en.map(match_key) == key)
        | (t.region_vi.map(match_key) == key)
    ]
    if hit.empty:
        regions = ", ".join(f"{r.region_code} ({r.region_en})" for r in t.drop_duplicates("region_code").itertuples())
        raise ParameterError(f"unknown region {region!r}; use one of {regions}")
    return hit.code.tolist()


def validate_compare_params(names: list[str], year: int, lang: str = "en", *, region=None, data_dir=None) -> dict:
    """The normalised parameters of a comparison (province codes in the order named)."""
    _check_lang(lang)
    check_report_year(year, data_dir)
    codes: list[str] = []
    given: dict[str, str] = {}
    for name in list(names or []):
        p = resolve(name, year=int(year))
        if p.code in given:
            raise ParameterError(f"{given[p.code]!r} and {name!r} name the same province ({p.name_vi}); name each once")
        given[p.code] = name
        codes.append(p.code)
    if region:
        codes += [c for c in region_members(region, year) if c not in given]
    elif not MIN_PROVINCES <= len(codes) <= MAX_PROVINCES:
        raise ParameterError(
            f"compare needs {MIN_PROVINCES} to {MAX_PROVINCES} provinces, not {len(codes)} (or --region for a region's)"
        )
    if len(codes) < MIN_PROVINCES:
        raise ParameterError(f"compare needs at least {MIN_PROVINCES} provinces")
    ps = [resolve(c, year=int(year)) for c in codes]
    slug = "compare-" + (f"region-{slugify(region)}" if region and not names else "-".join(p.slug for p in ps))
    title = COMPARE[lang]["title"].format(year=int(year), names=", ".join(p.name(lang) for p in ps))
    return {
        "provinces": codes,
        "region": str(region or ""),
        "year": int(year),
        "lang": lang,
        "data_dir": str(data_dir or ""),
        "_slug": slug,
        "_title": title,
    }


def open_comparison(provinces: list, year: int, lang: str = "en", *, region: str = "", data_dir=None):
    """The comparison for a notebook: validated, one year model, each province's profile."""
    from parlib.data.dataset import load
    from parlib.engine.compare import compare
    from parlib.engine.model import model_for
    from parlib.present.comparison import ComparisonReport

    params = validate_compare_params(provinces, year, lang, region=region or None, data_dir=data_dir or None)
    model = model_for(load(data_dir or None), int(year))
    return ComparisonReport(compare(params["provinces"], int(year), model=model), lang, params)


def render_comparison(
    names: list[str], year: int, lang: str = "en", *, region=None, data_dir=None, out=None, timeout: int = 600
) -> RenderResult:
    """Render the comparison to ``<out>/<year>/<lang>/compare-<slugs>.{ipynb,html}``."""
    params = validate_compare_params(names, year, lang, region=region, data_dir=data_dir)
    out_dir = Path(out or reports_dir()) / str(year) / lang
    return run_notebook(NOTEBOOK, params, out_dir, timeout=timeout)

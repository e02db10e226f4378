"""What each index measures, per methodology period: codes, levels, names, units, scales.

No scores live here. Unknowns (e.g. PAR component maxima under 876/QĐ-BNV) are empty
(``NaN``), never guessed.

>>> period_of("PAPI", 2018)["period"]
'PAPI_2018'
>>> crosses_break("PAR", 2021, 2022)
True
>>> publication_scope("PCI", 2023)["scope"]
'top_30'
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from parlib.config import bundled_data_dir

INDICES = ("PAR", "SIPAS", "PAPI", "PCI")
INDEX_NAMES = {
    "PAR": {"en": "PAR INDEX", "vi": "Chỉ số CCHC (PAR INDEX)"},
    "SIPAS": {"en": "SIPAS", "vi": "Chỉ số SIPAS"},
    "PAPI": {"en": "PAPI", "vi": "Chỉ số PAPI"},
    "PCI": {"en": "PCI", "vi": "Chỉ số PCI"},
}
#: Unit of a change in each index's headline: PAR INDEX and SIPAS are percentages, so their
#: differences are percentage points; PAPI and PCI are point scales.
DELTA_UNIT = {"PAR": "pp", "SIPAS": "pp", "PAPI": "points", "PCI": "points"}


@lru_cache(maxsize=1)
def _measures() -> pd.DataFrame:
    m = pd.read_csv(bundled_data_dir() / "meta" / "measures.csv",
                    dtype={"parent": str, "measure": str}, keep_default_na=False, na_values={
                        "scale_min": [""], "scale_max": [""]})
    for c in ("scale_min", "scale_max"):
        m[c] = pd.to_numeric(m[c], errors="coerce")
    return m


@lru_cache(maxsize=1)
def _periods() -> pd.DataFrame:
    return pd.read_csv(bundled_data_dir() / "meta" / "periods.csv", keep_default_na=False)


def measures(index_code: str | None = None, year: int | None = None) -> pd.DataFrame:
    """Measure metadata, optionally for one index and the measures defined in one year."""
    m = _measures()
    if index_code is not None:
        m = m[m.index_code == index_code]
    if year is not None:
        m = m[(m.first_year <= year) & (m.last_year >= year)]
    return m.reset_index(drop=True)


def periods(index_code: str | None = None) -> pd.DataFrame:
    """Methodology periods: index, period code, first/last year, defining decision, note."""
    p = _periods()
    return (p if index_code is None else p[p.index_code == index_code]).reset_index(drop=True)


@lru_cache(maxsize=1024)
def _period_of(index_code: str, year: int) -> tuple:
    p = _periods()
    hit = p[(p.index_code == index_code) & (p.first_year <= year) & (p.last_year >= year)]
    return tuple(hit.iloc[0].items()) if len(hit) else ()


def period_of(index_code: str, year: int) -> dict:
    """The methodology period an index-year belongs to."""
    found = _period_of(index_code, int(year))
    if not found:
        raise KeyError(f"no methodology period for {index_code} {year}")
    return dict(found)


def crosses_break(index_code: str, year_a: int, year_b: int) -> bool:
    """True when two years of an index lie in different methodology periods."""
    return period_of(index_code, year_a)["period"] != period_of(index_code, year_b)["period"]


def measure_info(index_code: str, measure: str, year: int) -> dict:
    """Metadata of one measure as defined in ``year``."""
    m = measures(index_code, year)
    hit = m[m.measure == measure]
    if hit.empty:
        raise KeyError(f"{index_code} has no measure {measure!r} in {year}")
    return hit.iloc[0].to_dict()


@lru_cache(maxsize=4096)
def measure_name(index_code: str, measure: str, year: int, lang: str = "en") -> str:
    """Display name of a measure in a language, falling back to the code when unnamed."""
    try:
        info = measure_info(index_code, measure, year)
    except KeyError:
        return measure
    name = info["name_vi" if lang == "vi" else "name_en"] or info["name_en"] or info["name_vi"]
    return name or measure


def index_name(index_code: str, lang: str = "en") -> str:
    """Display name of an index."""
    return INDEX_NAMES[index_code]["vi" if lang == "vi" else "en"]


@lru_cache(maxsize=1)
def _publication_scope() -> pd.DataFrame:
    path = bundled_data_dir() / "meta" / "publication_scope.csv"
    if not path.exists():
        return pd.DataFrame(columns=["index_code", "first_year", "last_year", "scope"])
    return pd.read_csv(path, dtype={"source_id": str}, keep_default_na=False)


def publication_scope(index_code: str, year: int) -> dict | None:
    """What the publisher printed for an index-year when it printed only part of the provinces.

    For example PCI from 2023: VCCI publishes scores and ranks only for the 30 leading provinces,
    so a province without a figure is "not published", not "no data" (and may still be among the
    30: parlib holds only the figures found in print). ``None`` when the publisher printed every
    province. Keys: ``index_code, first_year, last_year, scope`` (``top_30``), ``n_published``,
    ``n_units``, ``source_id``, ``quote`` (the publisher's own words), ``note``.

    >>> publication_scope("PCI", 2020) is None
    True
    """
    p = _publication_scope()
    hit = p[(p.index_code == index_code) & (p.first_year <= int(year)) & (p.last_year >= int(year))]
    if hit.empty:
        return None
    return {k: (v.item() if hasattr(v, "item") else v) for k, v in hit.iloc[0].items()}

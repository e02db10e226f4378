"""What each index measures, per methodology period: codes, levels, names, units, scales.

No scores live here. Unknowns (e.g. PAR component maxima under 876/QĐ-BNV) are empty
(``NaN``), never guessed.

>>> period_of("PAPI", 2018)["period"]
'PAPI_2018'
>>> crosses_break("PAR", 2021, 2022)
True
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from parlib.config import bundled_data_dir

from parlib._vocab import INDEX_NAMES, INDICES, index_name  # noqa: F401 (re-exported)

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

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

from parlib._vocab import (  # noqa: F401 (re-exported)
    INDEX_NAMES,
    INDICES,
    index_codes,
    index_facts,
    index_name,
    score_files,
)
from parlib.config import bundled_data_dir


@lru_cache(maxsize=1)
def _measures() -> pd.DataFrame:
    m = pd.read_csv(
        bundled_data_dir() / "meta" / "measures.csv",
        dtype={"parent": str, "measure": str},
        keep_default_na=False,
        na_values={"scale_min": [""], "scale_max": [""]},
    )
    for c in ("scale_min", "scale_max"):
        m[c] = pd.to_numeric(m[c], errors="coerce")
    return m


@lru_cache(maxsize=1)
def _periods() -> pd.DataFrame:
    return pd.read_csv(bundled_data_dir() / "meta" / "periods.csv", keep_default_na=False)


def measures(index_code: str | None = None, year: int | None = None) -> pd.DataFrame:
    """Measure metadata, optionally for one index and the measures defined in one year."""
    return _measures_for(index_code, None if year is None else int(year)).copy()


@lru_cache(maxsize=512)
def _measures_for(index_code: str | None, year: int | None) -> pd.DataFrame:
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
    name = info.get(f"name_{lang}") or info["name_en"] or info["name_vi"]
    return name or measure


@lru_cache(maxsize=8192)
def display_name(index_code: str, measure: str, lang: str = "en", year: int | None = None) -> str:
    """One name per measure across years, for reports (``display_en``/``display_vi`` of measures.csv).

    Per-year official names (``measure_name``) drift ("Participation" vs "Participation at Local
    Levels"); reports use this one. Where PAPI reused a sub-dimension code for other content
    (e.g. D2.1 was "Poverty Lists" to 2017, "Access to Information" from 2018) pass ``year`` to get
    the name of that year's content; without it the latest content is named.

    >>> display_name("PAPI", "D1", "vi")
    'Tham gia của người dân ở cấp cơ sở'
    >>> display_name("PAPI", "D2.1", "en", year=2015)
    'Poverty Lists'
    """
    m = _measures()
    hit = m[(m.index_code == index_code) & (m.measure == measure)]
    if year is not None and not hit.empty:
        inyear = hit[(hit.first_year <= year) & (hit.last_year >= year)]
        hit = inyear if not inyear.empty else hit
    if hit.empty:
        return measure
    row = hit.sort_values("first_year").iloc[-1]
    return row.get(f"display_{lang}") or row.get("display_en") or measure


# --- scale breaks ------------------------------------------------------------------------------
SCALE_BREAK_COLUMNS = ["index_code", "measure", "year", "base_year", "kind", "old", "new", "basis", "note"]


@lru_cache(maxsize=1)
def _scale_shifts() -> pd.DataFrame:
    path = bundled_data_dir() / "meta" / "scale_shifts.csv"
    if not path.exists():
        return pd.DataFrame(columns=["index_code", "measure", "year", "base_year", "base_mean", "mean", "note"])
    return pd.read_csv(path, keep_default_na=False, dtype={"measure": str})


def _fmt(x) -> str:
    return "" if pd.isna(x) else f"{x:g}"


@lru_cache(maxsize=1)
def _scale_breaks() -> pd.DataFrame:
    m = _measures()
    m = m[m.level != "indicator"]
    rows: list[dict] = []
    for idx, mi in m.groupby("index_code"):
        years = sorted({y for r in mi.itertuples() for y in range(int(r.first_year), int(r.last_year) + 1)})
        by_year = {}
        for y in years:
            d = mi[(mi.first_year <= y) & (mi.last_year >= y)]
            by_year[y] = d.set_index("measure")
        for y0, y1 in zip(years, years[1:]):
            if y1 != y0 + 1:
                continue
            a, b = by_year[y0], by_year[y1]
            base = {"index_code": idx, "year": y1, "base_year": y0, "basis": "metadata"}
            for meas in sorted(set(a.index) - set(b.index)):
                rows.append(
                    {
                        **base,
                        "measure": meas,
                        "kind": "removed",
                        "old": meas,
                        "new": "",
                        "note": f"not defined in {y1} (data/meta/measures.csv)",
                    }
                )
            for meas in sorted(set(b.index) - set(a.index)):
                rows.append(
                    {
                        **base,
                        "measure": meas,
                        "kind": "added",
                        "old": "",
                        "new": meas,
                        "note": f"first defined in {y1} (data/meta/measures.csv)",
                    }
                )
            for meas in sorted(set(a.index) & set(b.index)):
                ra, rb = a.loc[meas], b.loc[meas]
                if (
                    pd.notna(ra.scale_max)
                    and pd.notna(rb.scale_max)
                    and (ra.scale_max != rb.scale_max or ra.scale_min != rb.scale_min)
                ):
                    rows.append(
                        {
                            **base,
                            "measure": meas,
                            "kind": "scale",
                            "old": f"{_fmt(ra.scale_min)}-{_fmt(ra.scale_max)}",
                            "new": f"{_fmt(rb.scale_min)}-{_fmt(rb.scale_max)}",
                            "note": "scale_min/scale_max in data/meta/measures.csv",
                        }
                    )
                if ra.get("display_en", "") != rb.get("display_en", ""):
                    rows.append(
                        {
                            **base,
                            "measure": meas,
                            "kind": "redefined",
                            "old": ra.display_en,
                            "new": rb.display_en,
                            "note": "the code names another sub-dimension from this year",
                        }
                    )
                ca = sorted(a.index[a.parent == meas])
                cb = sorted(b.index[b.parent == meas])
                if ca != cb:
                    rows.append(
                        {
                            **base,
                            "measure": meas,
                            "kind": "children",
                            "old": ", ".join(ca),
                            "new": ", ".join(cb),
                            "note": "the set of sub-measures changed",
                        }
                    )
    out = pd.DataFrame(rows, columns=SCALE_BREAK_COLUMNS)
    # Observed rescalings (build-time, from the scores; the printed scale did not change).
    sh = _scale_shifts()
    obs = [
        {
            "index_code": r.index_code,
            "measure": r.measure,
            "year": int(r.year),
            "base_year": int(r.base_year),
            "kind": "scale",
            "old": f"{float(r.base_mean):.2f}",
            "new": f"{float(r.mean):.2f}",
            "basis": "observed national mean",
            "note": r.note,
        }
        for r in sh.itertuples()
    ]
    out = pd.concat([out, pd.DataFrame(obs, columns=SCALE_BREAK_COLUMNS)], ignore_index=True)
    # A sub-measure that was rescaled, redefined, added or removed changes what its parent sums.
    parent = m.drop_duplicates(["index_code", "measure"]).set_index(["index_code", "measure"]).parent
    have = set(zip(out.index_code, out.measure, out.year, out.kind))
    extra = []
    for r in out[out.kind.isin(["scale", "redefined"])].itertuples():
        p = parent.get((r.index_code, r.measure), "")
        if p and (r.index_code, p, r.year, "children") not in have and r.measure != "TOTAL":
            kids = ", ".join(
                sorted(
                    m[
                        (m.index_code == r.index_code)
                        & (m.parent == p)
                        & (m.first_year <= r.year)
                        & (m.last_year >= r.year)
                    ].measure
                )
            )
            extra.append(
                {
                    "index_code": r.index_code,
                    "measure": p,
                    "year": r.year,
                    "base_year": r.base_year,
                    "kind": "children",
                    "old": kids,
                    "new": kids,
                    "basis": r.basis,
                    "note": f"{r.measure} {r.kind} ({r.old} → {r.new})",
                }
            )
            have.add((r.index_code, p, r.year, "children"))
        elif p and r.measure != "TOTAL":
            i = out.index[
                (out.index_code == r.index_code) & (out.measure == p) & (out.year == r.year) & (out.kind == "children")
            ]
            out.loc[i, "note"] = out.loc[i, "note"] + f"; {r.measure} {r.kind} ({r.old} → {r.new})"
    out = pd.concat([out, pd.DataFrame(extra, columns=SCALE_BREAK_COLUMNS)], ignore_index=True)
    return out.sort_values(["index_code", "year", "measure", "kind"]).reset_index(drop=True)


def scale_breaks(index_code: str | None = None) -> pd.DataFrame:
    """Where a measure's scale or make-up changes from one year to the next.

    One row per (index_code, measure, year, kind) with ``base_year`` = year - 1 and ``kind``:

    - ``scale``: scale_min/max in measures.csv changed (``basis`` metadata), or the measure's
      national mean shifted like a rescaling although the printed scale did not (``basis``
      "observed national mean", from data/meta/scale_shifts.csv; ``old``/``new`` are the means);
    - ``removed`` / ``added``: the measure is not defined in ``year`` / first defined in ``year``;
    - ``children``: the set of sub-measures changed, or one of them was rescaled or redefined
      (``note`` says which): the parent's value then sums different parts;
    - ``redefined``: the code names other content from ``year`` (PAPI reused sub-dimension codes).

    >>> b = scale_breaks("PAPI")
    >>> b[(b.measure == "D3.2") & (b.year == 2021)][["kind", "old", "new"]].values.tolist()
    [['scale', '1.00', '0.49']]
    """
    b = _scale_breaks()
    return (b if index_code is None else b[b.index_code == index_code]).reset_index(drop=True)


@lru_cache(maxsize=4096)
def crosses_scale_break(index_code: str, measure: str, base_year: int, year: int) -> bool:
    """True when a change of ``measure`` from ``base_year`` to ``year`` spans a scale break of it.

    A break at ``year`` y (``base_year`` y - 1) is crossed when base_year <= y - 1 and y <= year,
    in either order of the two years. Breaks of sub-measures reach their parent through the
    parent's ``children`` rows; the total is not flagged for its dimensions' internal changes.

    >>> crosses_scale_break("PAPI", "D3", 2020, 2021), crosses_scale_break("PAPI", "D3", 2021, 2023)
    (True, False)
    """
    lo, hi = sorted((int(base_year), int(year)))
    b = _scale_breaks()
    hit = b[(b.index_code == index_code) & (b.measure == measure) & (b.base_year >= lo) & (b.year <= hi)]
    return not hit.empty


@lru_cache(maxsize=1024)
def breaks_between(index_code: str, base_year: int, year: int) -> int:
    """How many methodology changes a comparison of ``base_year`` with ``year`` crosses (periods that
    begin after the earlier year and no later than the later one).

    >>> breaks_between("PAR", 2021, 2022), breaks_between("PAR", 2019, 2022), breaks_between("PAPI", 2021, 2022)
    (1, 2, 0)
    """
    lo, hi = sorted((int(base_year), int(year)))
    starts = periods(index_code).first_year.astype(int)
    return int(((starts > lo) & (starts <= hi)).sum())


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


@lru_cache(maxsize=1)
def _themes() -> pd.DataFrame:
    path = bundled_data_dir() / "meta" / "themes.csv"
    if not path.exists():
        return pd.DataFrame(columns=["theme", "theme_en", "theme_vi", "index_code", "measure", "reason"])
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def themes() -> pd.DataFrame:
    """The shared themes across indices (``data/meta/themes.csv``): one row per link of a theme to
    an index measure (a PAR area, a PAPI dimension, a PCI sub-index, SIPAS), with its reason.

    >>> sorted(themes().theme.unique())[:2]
    ['admin_procedures', 'e_government']
    """
    return _themes().copy()

"""Ranks, year-over-year changes, performance groups and rank streaks (averages and gaps:
:mod:`parlib.engine.averages`, which shares the conventions below).

Every function takes the long score table (``load_scores()``) and returns a new long table; the
input is never changed. Conventions shared by all of them:

* **Direction.** Higher is better for every measure whose metadata says ``higher_is_better``
  (all totals, components and sub-components); ``lower_is_better`` is honoured. Measures of
  ``unknown`` direction (PAPI indicators) are never ranked, grouped or given a "best" province.
* **Ties.** Computed ranks use competition ranking, "1-2-2-4": equal values share the best place
  and the next place is skipped. Values are compared as stored (published precision, e.g. 2
  decimals for PAR INDEX). Published ranks are kept as published; shared ranks are flagged
  ``tied`` ("tied for 2nd" / "đồng hạng thứ 2").
* **Units.** ``delta_pp = value − base_value`` in the measure's own unit: percentage points for
  percentages (PAR INDEX and SIPAS totals, ``unit == "pp"``), points otherwise (PAPI, PCI, PAR
  component scores, ``unit == "points"``). Officials' "tăng 1,39%" for PAR means 1.39 pp.
  ``pct_change = 100·(value − base_value)/base_value`` is the relative change, always a separate
  column.
* **Coverage.** Much PAR/SIPAS data comes from press clippings for a few provinces. A rank,
  mean, best value or percentile computed over those few would be wrong, so they are computed
  only for a field (index, year, measure) where at least ``min_coverage`` (default 0.9) of the
  expected units have a value. The expected number is the published denominator ``n_ranked``
  when there is one, else the size of the year's unit set (63 before 2025, 34 from 2025).
  Pass ``min_coverage=0`` to compute over whatever provinces have a value.

>>> df = pd.DataFrame({"index_code": "PAR", "year": 2023, "province_code": ["01", "31", "33", "79"],
...                    "measure": "TOTAL", "value": [90.0, 88.5, 88.5, 86.0]})
>>> rank_scores(df, min_coverage=0)["rank"].tolist()
[1, 2, 2, 4]
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable

import numpy as np
import pandas as pd

from parlib.data.indices import index_codes as _known_indices
from parlib.data.indices import index_facts
from parlib.data.indices import measures as _measure_table
from parlib.data.indices import periods as _period_table
from parlib.data.indices import scale_breaks as _scale_break_table
from parlib.data.registry import MERGER_YEAR, provinces, unit_set_for_year

KEY = ["index_code", "year", "province_code", "measure"]
FIELD = ["index_code", "year", "measure"]  # the provinces ranked against each other
SERIES = ["index_code", "province_code", "measure"]  # one province's time series
TIES = ("min", "max", "dense", "first")
DELTA_COLUMNS = KEY + [
    "base_year",
    "value",
    "base_value",
    "delta_pp",
    "pct_change",
    "rank",
    "tied",
    "base_rank",
    "rank_change",
    "n_ranked",
    "base_n_ranked",
    "unit",
    "gap_years",
    "fallback",
    "crosses_break",
    "scale_break",
    "unit_set_change",
    "comparable",
]
MIN_COVERAGE = 0.9
#: First result year of the fixed PAR bands A ≥ 90, B 80–<90, C 70–<80 (verified for 2015, 2021,
#: 2022, 2024; assumed for the years between). 2012 used other, non-fixed bands (DOMAIN §1.7).
PAR_BANDS_FROM = 2015
# Groups are codes here ("A"-"C", "1"-"4"); their names are words, in the presenters' catalogue
# (parlib.present.catalogue.group_name). Which index has which scheme is data/meta/indices.csv.

__all__ = [
    "rank_scores",
    "compute_deltas",
    "par_group",
    "papi_groups",
    "add_groups",
    "streaks",
]


# --- helpers ----------------------------------------------------------------------------------
def _require(df: pd.DataFrame, columns: Iterable[str], fn: str) -> None:
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise KeyError(
            f"{fn}() needs columns {missing}; found {list(df.columns)}. Pass the long table of load_scores()."
        )


def _float(s: pd.Series) -> np.ndarray:
    """A numeric column (nullable or not) as a float array with NaN for missing."""
    return pd.to_numeric(s, errors="coerce").astype("float64").to_numpy()


def _int(a: np.ndarray) -> pd.arrays.IntegerArray:
    """Whole numbers held as floats (NaN = missing) as a nullable Int64 array."""
    a = np.asarray(a, dtype="float64")
    missing = np.isnan(a)
    return pd.arrays.IntegerArray(np.where(missing, 0, a).astype("int64"), missing)


@lru_cache(maxsize=1)
def _measure_meta() -> dict[tuple[str, str], tuple[str, str]]:
    """(index_code, measure) → (direction, unit). Both are constant across a measure's years."""
    m = _measure_table().drop_duplicates(["index_code", "measure"])
    return {(i, k): (d, u) for i, k, d, u in zip(m.index_code, m.measure, m.direction, m.unit)}


def _signs(index_codes: Iterable[str], measures: Iterable[str]) -> np.ndarray:
    """+1 higher is better, −1 lower is better, NaN unknown or undocumented measure."""
    meta = _measure_meta()
    lookup = {"higher_is_better": 1.0, "lower_is_better": -1.0}
    return np.array(
        [lookup.get(meta.get((str(i), str(k)), ("unknown", ""))[0], np.nan) for i, k in zip(index_codes, measures)],
        dtype="float64",
    )


def _delta_units(index_codes: Iterable[str], measures: Iterable[str]) -> np.ndarray:
    """ "pp" for percentage measures, "points" for point scales, else the unit of the index's changes."""
    meta, known = _measure_meta(), _known_indices()
    out = []
    for i, k in zip(index_codes, measures):
        unit = meta.get((str(i), str(k)), ("", ""))[1]
        own = index_facts(str(i)).delta_unit if str(i) in known else ""
        out.append("pp" if unit == "percent" else "points" if unit == "points" else own)
    return np.array(out, dtype=object)


@lru_cache(maxsize=None)
def _units_in_year(year: int) -> int:
    return len(provinces(unit_set_for_year(int(year))))


def _groups(df: pd.DataFrame, cols: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    """Group id of each row and a table of the groups (row g describes group g)."""
    gid = df.groupby(cols, observed=True, sort=False, dropna=False).ngroup().to_numpy()
    first = np.unique(gid, return_index=True)[1]
    groups = df.iloc[first][cols].reset_index(drop=True)
    for c in cols:
        if isinstance(groups[c].dtype, pd.CategoricalDtype):
            groups[c] = groups[c].astype(str)
    return gid, groups


def _coverage(
    df: pd.DataFrame, gid: np.ndarray, groups: pd.DataFrame, min_coverage: float
) -> tuple[np.ndarray, np.ndarray]:
    """Per field: number of provinces with a value, and whether that is enough to rank/average."""
    g = len(groups)
    n_value = np.bincount(gid, weights=df["value"].notna().to_numpy(), minlength=g)
    n_pub = np.full(g, np.nan)
    if "n_ranked" in df:
        pub = pd.Series(_float(df["n_ranked"])).groupby(gid).max()
        n_pub[pub.index.to_numpy()] = pub.to_numpy()
    expected = np.where(np.isnan(n_pub), groups["year"].map(_units_in_year).to_numpy(float), n_pub)
    ok = (n_value > 0) & (n_value >= min_coverage * expected)
    return n_value, ok


def _period_ids(index_codes: pd.Categorical, years: np.ndarray) -> np.ndarray:
    """Row number of the methodology period (parlib.data.indices.periods) of each row; −1 unknown."""
    out = np.full(len(years), -1, dtype=np.int64)
    p = _period_table()
    cats = list(index_codes.categories)
    codes = index_codes.codes
    with np.errstate(invalid="ignore"):
        for pid, row in enumerate(p.itertuples()):
            if row.index_code not in cats:
                continue
            hit = (codes == cats.index(row.index_code)) & (years >= row.first_year) & (years <= row.last_year)
            out[hit] = pid
    return out


def _select(scores: pd.DataFrame, measures, indices) -> pd.DataFrame:
    mask = np.ones(len(scores), dtype=bool)
    if indices is not None:
        mask &= scores["index_code"].isin([indices] if isinstance(indices, str) else list(indices)).to_numpy()
    if measures is not None:
        mask &= scores["measure"].isin([measures] if isinstance(measures, str) else list(measures)).to_numpy()
    return scores[mask]


# --- ranks ------------------------------------------------------------------------------------
def rank_scores(scores: pd.DataFrame, *, tie: str = "min", min_coverage: float = MIN_COVERAGE) -> pd.DataFrame:
    """Complete ``rank``, ``n_ranked`` and ``rank_basis``, and add a boolean ``tied``.

    A rank already in the table (published, or computed by the data compiler) is kept. A row
    with a value and no rank gets the rank of its value among the provinces with a value in the
    same index, year and measure (higher is better unless the measure says otherwise),
    ``rank_basis = "computed"`` and ``n_ranked`` = the number of provinces with a value. Fields
    below ``min_coverage`` (see module docstring) and measures of unknown direction stay
    unranked. ``tie``: ``"min"`` competition ranking 1-2-2-4 (default), ``"dense"`` 1-2-2-3,
    ``"max"`` 1-3-3-4, ``"first"`` (ties broken by row order). ``tied`` is True when another
    province of the field holds the same rank.

    >>> df = pd.DataFrame({"index_code": "PAPI", "year": 2019, "measure": "TOTAL",
    ...                    "province_code": ["01", "02", "04", "06"], "value": [45.1, 44.0, 44.0, 40.2]})
    >>> rank_scores(df, min_coverage=0)[["rank", "n_ranked", "tied"]].values.tolist()
    [[1, 4, False], [2, 4, True], [2, 4, True], [4, 4, False]]
    """
    if tie not in TIES:
        raise ValueError(f"tie must be one of {TIES}, not {tie!r}")
    _require(scores, KEY + ["value"], "rank_scores")
    out = scores.copy()
    if "rank" not in out:
        out["rank"] = pd.array([pd.NA] * len(out), dtype="Int64")
    if "n_ranked" not in out:
        out["n_ranked"] = pd.array([pd.NA] * len(out), dtype="Int64")
    if "rank_basis" not in out:
        out["rank_basis"] = ""
    if len(out) == 0:
        out["tied"] = np.zeros(0, dtype=bool)
        return out

    gid, groups = _groups(out, FIELD)
    n_value, ok = _coverage(out, gid, groups, min_coverage)
    sign = _signs(groups["index_code"], groups["measure"])[gid]
    score = _float(out["value"]) * sign
    computed = pd.Series(score).groupby(gid).rank(method=tie, ascending=False).to_numpy()

    rank = _float(out["rank"])
    n_ranked = _float(out["n_ranked"])
    basis = out["rank_basis"].astype(object).where(out["rank_basis"].notna(), "").to_numpy()
    fill = np.isnan(rank) & ~np.isnan(computed) & ok[gid]
    rank = np.where(fill, computed, rank)
    out["rank"] = _int(rank)
    out["n_ranked"] = _int(np.where(fill, n_value[gid], n_ranked))
    out["rank_basis"] = np.where(fill, "computed", basis).astype(str)
    same = pd.DataFrame({"g": gid, "r": rank}).duplicated(keep=False).to_numpy()
    out["tied"] = same & ~np.isnan(rank)
    return out


# --- year-over-year changes -------------------------------------------------------------------
def compute_deltas(
    scores: pd.DataFrame,
    *,
    base_year: int | None = None,
    measures=None,
    indices=None,
    min_coverage: float = MIN_COVERAGE,
) -> pd.DataFrame:
    """Change of each score and rank against the previous available year (or ``base_year``).

    One row per (index_code, year, province_code, measure) with a value or a rank, sorted by
    index, province, measure and year. Without ``base_year`` the base is the latest earlier year
    in which that province has a value or a rank for that measure; ``fallback`` is True when
    that is not ``year − 1`` (intervening years missing, ``gap_years > 1``). With ``base_year``
    every later row is compared with that year (``fallback`` False); rows of ``base_year`` and
    earlier, and rows without an earlier year, have empty base fields.

    Columns: the key, ``base_year``, ``value``, ``base_value``, ``delta_pp`` (value − base_value
    in the index's unit, NaN when either is missing), ``pct_change`` (relative, %), ``rank``,
    ``tied`` (rank shared this year), ``base_rank``, ``rank_change`` (base_rank − rank: positive
    = moved up), ``n_ranked``, ``base_n_ranked``, ``unit`` ("pp" or "points"), ``gap_years``,
    ``fallback``,
    ``crosses_break`` (the two years lie in different methodology periods, or a period is
    unknown), ``unit_set_change`` (base year before 2025, year 2025 or later: 63 → 34 units),
    ``comparable`` (a base exists, no break, no unit-set change). Ranks come from
    :func:`rank_scores`, so published ranks win. ``measures``/``indices`` select a code or list.

    >>> df = pd.DataFrame({"index_code": "PAR", "province_code": "33", "measure": "TOTAL",
    ...                    "year": [2019, 2021, 2022], "value": [80.0, 88.34, 87.0]})
    >>> d = compute_deltas(df, min_coverage=0)
    >>> d[["year", "base_year", "gap_years", "fallback", "crosses_break"]].values.tolist()
    [[2019, <NA>, <NA>, False, False], [2021, 2019, 2, True, True], [2022, 2021, 1, False, True]]
    >>> float(round(d.delta_pp.iloc[2], 2)), d.unit.iloc[2]
    (-1.34, 'pp')
    """
    _require(scores, KEY + ["value"], "compute_deltas")
    r = rank_scores(_select(scores, measures, indices), min_coverage=min_coverage)
    r = r[(r["value"].notna() | r["rank"].notna()).to_numpy()]
    cols = KEY + ["value", "rank", "n_ranked", "tied"]
    if len(r) == 0:
        return _empty_deltas(r[cols])
    sid = r.groupby(SERIES, observed=True, sort=True).ngroup().to_numpy()
    years = r["year"].to_numpy().astype(np.int64)
    order = np.lexsort((years, sid))
    r = r[cols].iloc[order].reset_index(drop=True)
    sid, years = sid[order], years[order]
    value, rank, n_ranked = _float(r["value"]), _float(r["rank"]), _float(r["n_ranked"])
    n = len(r)

    if base_year is None:
        has_prev = np.r_[False, sid[1:] == sid[:-1]]
        src = np.where(has_prev, np.arange(n) - 1, -1)
    else:
        at_base = np.flatnonzero(years == int(base_year))
        pos = np.full(sid.max() + 1, -1)
        pos[sid[at_base]] = at_base
        src = np.where(years > int(base_year), pos[sid], -1)
    has_base = src >= 0

    def base_of(a: np.ndarray) -> np.ndarray:
        return np.where(has_base, a[np.maximum(src, 0)], np.nan)

    b_year, b_value, b_rank, b_n = base_of(years.astype(float)), base_of(value), base_of(rank), base_of(n_ranked)
    with np.errstate(divide="ignore", invalid="ignore"):
        pct = np.where(b_value != 0, 100.0 * (value - b_value) / b_value, np.nan)
    gap = years - b_year
    idx = pd.Categorical(r["index_code"])
    period, b_period = _period_ids(idx, years.astype(float)), _period_ids(idx, b_year)
    crosses = has_base & ((period != b_period) | (period < 0) | (b_period < 0))
    scale = has_base & _scale_breaks(
        r["index_code"].astype(str).to_numpy(), r["measure"].astype(str).to_numpy(), b_year, years
    )
    unit_change = has_base & (b_year < MERGER_YEAR) & (years >= MERGER_YEAR)
    mid, pairs = _groups(r, ["index_code", "measure"])
    unit = _delta_units(pairs["index_code"], pairs["measure"])[mid]

    return pd.DataFrame(
        {
            "index_code": r["index_code"],
            "year": r["year"],
            "province_code": r["province_code"],
            "measure": r["measure"],
            "base_year": _int(b_year),
            "value": value,
            "base_value": b_value,
            "delta_pp": value - b_value,
            "pct_change": pct,
            "rank": _int(rank),
            "tied": r["tied"].to_numpy(),
            "base_rank": _int(b_rank),
            "rank_change": _int(b_rank - rank),
            "n_ranked": _int(n_ranked),
            "base_n_ranked": _int(b_n),
            "unit": unit.astype(str),
            "gap_years": _int(gap),
            "fallback": (base_year is None) & has_base & (gap > 1),
            "crosses_break": crosses | scale,
            "scale_break": scale,
            "unit_set_change": unit_change,
            "comparable": has_base & ~crosses & ~scale & ~unit_change,
        }
    )


def _scale_breaks(
    index_codes: np.ndarray, measures: np.ndarray, base_years: np.ndarray, years: np.ndarray
) -> np.ndarray:
    """True where a measure's scale or content changed in a year after the base year and up to
    the year (:func:`parlib.data.indices.scale_breaks`: rescaled, removed, redefined sub-measures)."""
    b = _scale_break_years()
    out = np.zeros(len(years), dtype=bool)
    for i in np.flatnonzero([(str(a), str(m)) in b for a, m in zip(index_codes, measures)]):
        if not np.isnan(base_years[i]):
            out[i] = any(base_years[i] < y <= years[i] for y in b[(str(index_codes[i]), str(measures[i]))])
    return out


@lru_cache(maxsize=1)
def _scale_break_years() -> dict[tuple[str, str], tuple[int, ...]]:
    sb = _scale_break_table()
    # the measure's own scale or content, or (below the total) a change among the sub-measures it
    # sums; a total whose components change is a methodology period, handled by the periods
    sb = sb[sb.kind.isin(["scale", "removed", "redefined"]) | ((sb.kind == "children") & (sb.measure != "TOTAL"))]
    out: dict[tuple[str, str], list[int]] = {}
    for i, m, y in zip(sb.index_code, sb.measure, sb.year):
        out.setdefault((str(i), str(m)), []).append(int(y))
    return {k: tuple(v) for k, v in out.items()}


def _empty_deltas(r: pd.DataFrame) -> pd.DataFrame:
    out = r[KEY].copy()
    for c in ("value", "base_value", "delta_pp", "pct_change"):
        out[c] = pd.Series(dtype="float64")
    for c in ("base_year", "rank", "base_rank", "rank_change", "n_ranked", "base_n_ranked", "gap_years"):
        out[c] = pd.Series(dtype="Int64")
    out["unit"] = pd.Series(dtype=str)
    for c in ("tied", "fallback", "crosses_break", "scale_break", "unit_set_change", "comparable"):
        out[c] = pd.Series(dtype=bool)
    return out[DELTA_COLUMNS]


# --- groups -----------------------------------------------------------------------------------
def par_group(value: float | None, year: int | None = None) -> str | None:
    """PAR INDEX band of a total score: "A" (≥ 90), "B" (80 to < 90), "C" (70 to < 80).

    Returns None below 70 (the published bands stop at C), for a missing value, and for years
    before 2015: the 2012 release used other, non-fixed bands (> 80, 70–80, 67.68–70,
    62.58–67.68) and the 2013–2014 bands are unverified (DOMAIN §1.7).

    >>> par_group(90.10, 2022), par_group(89.99, 2022), par_group(70.0), par_group(69.9)
    ('A', 'B', 'C', None)
    >>> par_group(87.14, 2012) is None
    True
    """
    if value is None or pd.isna(value) or (year is not None and year < PAR_BANDS_FROM):
        return None
    return "A" if value >= 90 else "B" if value >= 80 else "C" if value >= 70 else None


def _par_groups(value: np.ndarray, year: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    band = np.select([value >= 90, value >= 80, value >= 70], ["A", "B", "C"], "")
    basis = np.where(band != "", "par_band", "par_below_bands")
    early = year < PAR_BANDS_FROM
    band = np.where(early, "", band)
    basis = np.where(early, "par_bands_not_fixed", basis)
    missing = np.isnan(value)
    return np.where(missing, "", band), np.where(missing, "", basis)


def _in_scheme(index_codes: pd.Series, scheme: str) -> np.ndarray:
    """Rows of the indices grouped by ``scheme`` (``group_scheme`` of data/meta/indices.csv)."""
    want = [c for c in _known_indices() if index_facts(c).group_scheme == scheme]
    return index_codes.astype(str).isin(want).to_numpy()


def _papi_quartiles(scores: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """Positions of the rows of quartile-grouped indices (PAPI) with a value and known direction,
    and their quartile groups."""
    grouped = _in_scheme(scores["index_code"], "papi_quartile") & scores["value"].notna().to_numpy()
    pos = np.flatnonzero(grouped)
    p = scores.iloc[pos][KEY + ["value"]].reset_index(drop=True)
    if len(p) == 0:
        return pos, p.assign(group=pd.array([], dtype="Int64"), q25=[], q50=[], q75=[], n_provinces=[])
    gid, groups = _groups(p, FIELD)
    sign = _signs(groups["index_code"], groups["measure"])[gid]
    keep = ~np.isnan(sign)
    pos, p, gid, sign = pos[keep], p[keep].reset_index(drop=True), gid[keep], sign[keep]
    s = _float(p["value"]) * sign
    q = pd.Series(s).groupby(gid).quantile([0.25, 0.5, 0.75]).unstack()
    q25, q50, q75 = (q[c].reindex(range(len(groups))).to_numpy()[gid] for c in (0.25, 0.5, 0.75))
    # strictly above the 75th percentile: a province exactly on the cut point is not in the top
    # group (the published sizes: 16/16/15/16 of 63 in 2019, 15 of 61 in the top group in 2023)
    group = np.select([s > q75, s >= q50, s >= q25], [1, 2, 3], 4)
    n = np.bincount(gid, minlength=len(groups))[gid]
    # report cut-points on the measure's own scale (they flip for lower-is-better measures)
    p = p.assign(group=_int(group), q25=q25 * sign, q50=q50 * sign, q75=q75 * sign, n_provinces=n)
    return pos, p


def papi_groups(scores: pd.DataFrame) -> pd.DataFrame:
    """PAPI performance groups: quartiles of each year's provincial scores, per measure.

    Group 1 (above the 75th percentile, "High performers"), 2 (50th to 75th), 3 (25th to < 50th),
    4 (< 25th, "Poor performers"; the names are the presenters', by group code). A score
    exactly on the 75th percentile is in group 2: that reproduces the published group sizes
    (16/16/15/16 of 63 in 2019; 15 in the top group of the 61 provinces of 2023, DOMAIN §3.5).
    Percentiles are linear-interpolation quantiles of the provinces with a value in that year and
    measure, so boundaries move every year (DOMAIN §3.5). Indicators (unknown direction) are left
    out. Columns: the key, ``value``, ``group`` (1–4), ``q25``, ``q50``, ``q75``, ``n_provinces``.

    >>> df = pd.DataFrame({"index_code": "PAPI", "year": 2019, "measure": "TOTAL",
    ...                    "province_code": ["01", "02", "04", "06", "08"], "value": [5., 4., 3., 2., 1.]})
    >>> papi_groups(df).group.tolist()
    [1, 2, 2, 3, 4]
    """
    _require(scores, KEY + ["value"], "papi_groups")
    _, p = _papi_quartiles(scores)
    return p[KEY + ["value", "group", "q25", "q50", "q75", "n_provinces"]]


def add_groups(scores: pd.DataFrame) -> pd.DataFrame:
    """Add ``group`` and ``group_basis`` (codes as strings, "" = none; the names are words, looked
    up by the presenters).

    The ``group_scheme`` of each index (data/meta/indices.csv) decides: "par_band" totals (PAR
    INDEX) get the fixed band A/B/C (:func:`par_group`; ``group_basis`` "par_band",
    "par_below_bands" under 70, "par_bands_not_fixed" before 2015); "papi_quartile" totals,
    dimensions and sub-dimensions (PAPI) get their quartile group "1"–"4" (:func:`papi_groups`,
    basis "papi_quartile"). Other rows (SIPAS, PCI, rows without a value) get "": no grouping of
    theirs was verified.
    """
    _require(scores, KEY + ["value"], "add_groups")
    out = scores.copy()
    n = len(out)
    group = np.full(n, "", dtype=object)
    basis = np.full(n, "", dtype=object)

    par = np.flatnonzero(_in_scheme(out["index_code"], "par_band") & (out["measure"] == "TOTAL").to_numpy())
    band, pbasis = _par_groups(_float(out["value"].iloc[par]), out["year"].to_numpy()[par])
    group[par], basis[par] = band, pbasis

    pos, q = _papi_quartiles(out)
    qg = q["group"].astype("float64").to_numpy().astype(int)
    group[pos] = qg.astype(str)
    basis[pos] = "papi_quartile"

    out["group"], out["group_basis"] = group.astype(str), basis.astype(str)
    return out


# --- streaks ----------------------------------------------------------------------------------
def streaks(scores: pd.DataFrame, *, min_coverage: float = MIN_COVERAGE) -> pd.DataFrame:
    """How long each rank has been held, for the "k-th consecutive year" clause.

    One row per (index_code, year, province_code, measure) with a rank (from
    :func:`rank_scores`). ``same_rank_streak`` = number of consecutive calendar years, ending
    this year, with this same rank (1 when it changed or the previous year is missing);
    ``top_streak`` = consecutive years ranked 1st (ties included), 0 when not 1st. Streaks run
    across methodology breaks, as the press counts them ("fourth consecutive year at the top").

    >>> df = pd.DataFrame({"index_code": "PAR", "province_code": "22", "measure": "TOTAL",
    ...                    "year": [2020, 2021, 2022, 2024], "rank": [1, 1, 1, 1], "n_ranked": 63,
    ...                    "value": float("nan")})
    >>> streaks(df).top_streak.tolist()
    [1, 2, 3, 1]
    """
    _require(scores, KEY + ["value"], "streaks")
    r = rank_scores(scores, min_coverage=min_coverage)
    r = r.loc[r["rank"].notna().to_numpy(), KEY + ["rank", "n_ranked", "rank_basis"]]
    if len(r) == 0:
        return r.assign(same_rank_streak=pd.Series(dtype="int64"), top_streak=pd.Series(dtype="int64"))
    sid = r.groupby(SERIES, observed=True, sort=True).ngroup().to_numpy()
    years = r["year"].to_numpy().astype(np.int64)
    order = np.lexsort((years, sid))
    r = r.iloc[order].reset_index(drop=True)
    sid, years = sid[order], years[order]
    rank = _float(r["rank"])
    cont = np.r_[False, (sid[1:] == sid[:-1]) & (years[1:] == years[:-1] + 1) & (rank[1:] == rank[:-1])]
    start = np.flatnonzero(~cont)
    run = np.cumsum(~cont) - 1
    streak = np.arange(len(r)) - start[run] + 1
    r["same_rank_streak"] = streak.astype("int64")
    r["top_streak"] = np.where(rank == 1, streak, 0).astype("int64")
    return r

"""National and regional averages of a field, and each province's gaps to them.

The conventions of :mod:`parlib.engine.deltas` hold (direction, coverage): an average is the
published mean when the publisher gives one (``scores/aggregates.csv``), else the mean of the
provinces with a score, computed only where at least ``min_coverage`` of the field has a value.
DataFrame in, DataFrame out; the input is never changed.
"""

from __future__ import annotations

from typing import Iterable

import numpy as np
import pandas as pd

from parlib.data.registry import MERGER_YEAR, provinces
from parlib.engine.deltas import FIELD, KEY, MIN_COVERAGE, _coverage, _float, _groups, _require, _signs

__all__ = ["national_average", "regional_average", "compute_gaps"]


def _published(aggregates: pd.DataFrame | None, areas: Iterable[str], statistic: str = "mean") -> pd.DataFrame:
    """Published statistics of some areas, one row per field and area (empty without aggregates)."""
    if aggregates is None:
        return pd.DataFrame(
            {
                c: pd.Series(dtype=t)
                for c, t in (
                    ("index_code", str),
                    ("year", "int64"),
                    ("area_code", str),
                    ("measure", str),
                    ("value", float),
                    ("source_id", str),
                )
            }
        )
    a = aggregates[aggregates["area_code"].isin(list(areas)) & (aggregates["statistic"] == statistic)]
    a = a[["index_code", "year", "area_code", "measure", "value", "source_id"]].drop_duplicates(
        ["index_code", "year", "area_code", "measure"]
    )
    return a.astype({"index_code": str, "area_code": str, "measure": str, "year": "int64"})


def _field_means(scores: pd.DataFrame, min_coverage: float):
    gid, groups = _groups(scores, FIELD)
    n_value, ok = _coverage(scores, gid, groups, min_coverage)
    v = _float(scores["value"])
    sums = np.bincount(gid, weights=np.nan_to_num(v), minlength=len(groups))
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n_value > 0, sums / n_value, np.nan)
    return gid, groups, n_value, ok, mean


def national_average(
    scores: pd.DataFrame, aggregates: pd.DataFrame | None = None, *, min_coverage: float = MIN_COVERAGE
) -> pd.DataFrame:
    """National average per (index_code, year, measure) present in ``scores``.

    ``national_avg`` is the published national mean (``aggregates``, area ``VN``, statistic
    ``mean``; ``avg_basis = "published"``, ``avg_source_id`` set) when there is one; otherwise
    the simple mean of the provinces with a value (``"mean_of_provinces"``) if they reach
    ``min_coverage``; otherwise NaN with ``avg_basis = ""``. ``n_provinces`` counts provinces
    with a value; ``mean_of_provinces`` is always given for checking against published figures.
    ``aggregates`` (the Dataset's published statistics) may be None: no published mean is used.
    """
    _require(scores, KEY + ["value"], "national_average")
    _, groups, n_value, ok, mean = _field_means(scores, min_coverage)
    out = groups.assign(
        year=groups["year"].astype("int64"), n_provinces=n_value.astype("int64"), mean_of_provinces=mean
    )
    pub = (
        _published(aggregates, ["VN"])
        .drop(columns="area_code")
        .rename(columns={"value": "published_mean", "source_id": "avg_source_id"})
    )
    out = out.merge(pub, on=FIELD, how="left")
    has_pub = out["published_mean"].notna().to_numpy()
    out["national_avg"] = np.where(has_pub, out["published_mean"], np.where(ok, mean, np.nan))
    out["avg_basis"] = np.where(has_pub, "published", np.where(ok, "mean_of_provinces", "")).astype(str)
    out["avg_source_id"] = out["avg_source_id"].fillna("").astype(str)
    return (
        out[FIELD + ["national_avg", "avg_basis", "n_provinces", "avg_source_id", "mean_of_provinces"]]
        .sort_values(FIELD, kind="stable")
        .reset_index(drop=True)
    )


def _region_map(regions) -> dict[str, str]:
    if regions is None:
        reg = provinces("VN63")
        return dict(zip(reg["code"], reg["region_code"]))
    if isinstance(regions, pd.DataFrame):
        code = "code" if "code" in regions else "province_code"
        return dict(zip(regions[code], regions["region_code"]))
    return dict(regions)


def regional_average(
    scores: pd.DataFrame, aggregates: pd.DataFrame | None = None, *, regions=None, min_coverage: float = MIN_COVERAGE
) -> pd.DataFrame:
    """Regional average per (index_code, year, measure, region_code) of the six socio-economic regions.

    ``regional_avg`` is the published regional mean (``aggregates``, statistic ``mean``;
    ``regional_basis = "published"``, ``regional_source_id`` set) when there is one; otherwise the
    mean of the region's provinces with a value (``"mean_of_provinces"``) when the national field
    reaches ``min_coverage``; otherwise NaN with basis ``""``. ``n_provinces`` counts the region's
    provinces with a value. Regions apply to years before 2025 (the 34 units have none yet).
    """
    _require(scores, KEY + ["value"], "regional_average")
    gid, groups, _, ok, _ = _field_means(scores, min_coverage)
    has = scores["value"].notna().to_numpy()
    rmap = _region_map(regions)
    rows = scores.loc[has, FIELD + ["province_code", "value"]]
    df = pd.DataFrame(
        {
            "index_code": rows["index_code"].astype(str).to_numpy(),
            "year": rows["year"].to_numpy().astype("int64"),
            "measure": rows["measure"].astype(str).to_numpy(),
            "region_code": rows["province_code"].astype(str).map(rmap).to_numpy(dtype=object),
            "v": _float(rows["value"]),
            "ok": ok[gid[has]],
        }
    )
    df = df[(df.year < MERGER_YEAR) & df.region_code.notna() & (df.region_code != "")]
    mean = df.groupby(FIELD + ["region_code"], as_index=False).agg(
        mean_of_provinces=("v", "mean"), n_provinces=("v", "size"), ok=("ok", "first")
    )
    pub = _published(aggregates, set(rmap.values()) - {""}).rename(
        columns={"area_code": "region_code", "value": "published_mean", "source_id": "regional_source_id"}
    )
    # only the fields (index, year, measure) of ``scores``: a published mean of another index or
    # year must never stand in for this one
    fields = groups.assign(year=groups["year"].astype("int64"))[FIELD]
    pub = pub.merge(fields, on=FIELD, how="inner")
    out = mean.merge(pub, on=FIELD + ["region_code"], how="outer")
    has_pub = out["published_mean"].notna().to_numpy()
    ok_mean = out["ok"].fillna(False).astype(bool).to_numpy() & out["mean_of_provinces"].notna().to_numpy()
    out["regional_avg"] = np.where(has_pub, out["published_mean"], np.where(ok_mean, out["mean_of_provinces"], np.nan))
    out["regional_basis"] = np.where(has_pub, "published", np.where(ok_mean, "mean_of_provinces", "")).astype(str)
    out["regional_source_id"] = out["regional_source_id"].fillna("").astype(str)
    out["n_provinces"] = out["n_provinces"].fillna(0).astype("int64")
    return (
        out[
            FIELD
            + [
                "region_code",
                "regional_avg",
                "regional_basis",
                "regional_source_id",
                "n_provinces",
                "mean_of_provinces",
            ]
        ]
        .sort_values(FIELD + ["region_code"], kind="stable")
        .reset_index(drop=True)
    )


def compute_gaps(
    scores: pd.DataFrame, aggregates: pd.DataFrame | None = None, *, regions=None, min_coverage: float = MIN_COVERAGE
) -> pd.DataFrame:
    """Distance of each province's value from the national and regional average and the best.

    One row per row of ``scores`` with a value. Columns: the key, ``value``, ``national_avg``,
    ``avg_basis`` (see :func:`national_average`), ``gap_national`` (value − national_avg),
    ``region_code``, ``regional_avg``, ``regional_basis`` ("published" regional mean from
    ``aggregates``, else "mean_of_provinces" of the region's provinces with a value, else ""),
    ``gap_regional``, ``best_value``, ``best_province_code`` (every province holding the best
    value, sorted and joined by ","), ``gap_best`` (value − best_value, ≤ 0 when higher is
    better), ``percentile`` (100 × share of the provinces with a value in the field that score
    strictly worse, i.e. lower when higher is better; the best gets 100·(n−1)/n; for measures of
    unknown direction, strictly lower), ``n_provinces``.

    Gaps are in the index's unit (pp for PAR INDEX/SIPAS). Regions come from the 63-province
    registry (``regions``: a {province_code: region_code} mapping or a table with ``code`` and
    ``region_code`` overrides it) and apply to years before 2025 only; the 34 units have no
    region yet. Means, best values and percentiles computed from provinces need
    ``min_coverage`` of the field (see module docstring); published means are always used.
    """
    _require(scores, KEY + ["value"], "compute_gaps")
    nat = national_average(scores, aggregates, min_coverage=min_coverage)
    gid, groups, n_value, ok, _ = _field_means(scores, min_coverage)
    has = scores["value"].notna().to_numpy()
    rows = scores.loc[has, KEY + ["value"]].reset_index(drop=True)
    gid = gid[has]
    v = _float(rows["value"])
    codes = rows["province_code"].astype(str).to_numpy()
    okr = ok[gid]
    gsign = _signs(groups["index_code"], groups["measure"])
    sign = gsign[gid]

    # best value(s): ties keep every code
    s = v * sign
    best_s = pd.Series(s).groupby(gid).max().reindex(range(len(groups))).to_numpy()
    best_value = np.where(okr, best_s[gid] * sign, np.nan)
    is_best = okr & (s == best_s[gid])
    bcodes = pd.Series(codes[is_best]).groupby(gid[is_best]).agg(lambda x: ",".join(sorted(x)))
    best_code = np.full(len(groups), "", dtype=object)
    best_code[bcodes.index.to_numpy()] = bcodes.to_numpy()

    # percentile: share strictly worse (strictly lower for unknown direction)
    p = v * np.where(np.isnan(sign), 1.0, sign)
    below = pd.Series(p).groupby(gid).rank(method="min", ascending=True).to_numpy() - 1
    percentile = np.where(okr, 100.0 * below / n_value[gid], np.nan)

    # regions (63-unit registry, years before the merger)
    rmap = _region_map(regions)
    region = pd.Series(codes).map(rmap).to_numpy(dtype=object)
    region = np.where((rows["year"].to_numpy() < MERGER_YEAR) & pd.notna(region) & (region != ""), region, None)
    out = rows.assign(
        index_code=rows["index_code"].astype(str),
        year=rows["year"].astype("int64"),
        measure=rows["measure"].astype(str),
        region_code=region,
    )
    out = out.merge(nat[FIELD + ["national_avg", "avg_basis", "n_provinces"]], on=FIELD, how="left")
    ravg = regional_average(scores, aggregates, regions=regions, min_coverage=min_coverage)
    out = out.merge(
        ravg[FIELD + ["region_code", "regional_avg", "regional_basis", "regional_source_id"]],
        on=FIELD + ["region_code"],
        how="left",
    )
    out["regional_basis"] = out["regional_basis"].fillna("").astype(str)
    out["regional_source_id"] = out["regional_source_id"].fillna("").astype(str)
    out["gap_national"] = v - out["national_avg"].to_numpy(float)
    out["gap_regional"] = v - out["regional_avg"].to_numpy(float)
    out["best_value"] = best_value
    out["best_province_code"] = np.where(okr, best_code[gid], "").astype(str)
    out["gap_best"] = v - best_value
    out["percentile"] = percentile
    out["region_code"] = out["region_code"].astype(object).where(out["region_code"].notna(), None)
    cols = KEY + [
        "value",
        "national_avg",
        "avg_basis",
        "gap_national",
        "region_code",
        "regional_avg",
        "regional_basis",
        "regional_source_id",
        "gap_regional",
        "best_value",
        "best_province_code",
        "gap_best",
        "percentile",
        "n_provinces",
    ]
    out = out[cols]
    out["index_code"] = rows["index_code"]  # back to the input's dtype; merges kept row order
    return out

"""The year model: every figure of one result year, computed once from a Dataset.

:func:`build_model` ranks, compares, averages and groups the whole field of a year (and its
history up to that year); :func:`parlib.engine.profile.assess` slices one province out of it and
:meth:`YearModel.overview` the national picture. Presenters receive only those slices, so a
chart, a table and a sentence cannot disagree: they format the same fields.

>>> from parlib.data.dataset import load
>>> m = model_for(load(), 2022)
>>> m.overview().index("PAPI").national_avg is not None
True
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from parlib.data.dataset import Dataset
from parlib.data.indices import INDEX_NAMES, INDICES, index_facts, measures
from parlib.data.registry import provinces as registry
from parlib.data.registry import regions as region_table
from parlib.data.registry import unit_set_for_year
from parlib.engine import averages as av
from parlib.engine import deltas as dl
from parlib.engine.common import _f, _i
from parlib.engine.coverage import field_record, total_change_comparability
from parlib.engine.results import CrossPair, FileRecord, IndexOverview, Overview, RankingRow, RegionalRow

#: How many provinces rise and fall in an overview's movers tables.
MOVERS = 5
#: Pairs of indices drawn in the overview's scatter need this many provinces with both totals.
MIN_PAIRS = 10


class Record(dict):
    """A row of a model table: ``r["value"]``, ``r.value`` and ``r.get("value")``."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def index(self):
        return self.keys()


@dataclass(eq=False)
class YearModel:
    """Ranks, deltas, national and regional averages, gaps, groups and streaks of one year.

    Tables are indexed by the score key ``(index_code, year, province_code, measure)`` unless
    said otherwise. Built by :func:`build_model`; read through
    :func:`parlib.engine.profile.assess` (``model=``) and :meth:`overview`.
    """

    dataset: Dataset
    year: int
    base_year: int | None
    scores: pd.DataFrame  # every non-indicator row up to ``year``
    rows: pd.DataFrame  # this year's ranked rows with gaps and groups
    national: pd.DataFrame  # national average per (index_code, measure) of the year
    regional: pd.DataFrame  # regional average per (index_code, measure, region_code) of the year
    deltas: pd.DataFrame  # this year's changes on the base year
    streaks: pd.DataFrame
    history: pd.DataFrame  # ranked totals of every year up to ``year`` (for trajectories)
    _memo: dict = field(default_factory=dict, repr=False)

    def memo(self, key, fn):
        """``fn()`` computed once per model (slices that every province's profile reads)."""
        if key not in self._memo:
            self._memo[key] = fn()
        return self._memo[key]

    def lookup(self, table: str) -> dict:
        """One of the model's keyed tables ("rows", "deltas", "streaks", "national", "regional") as a
        dict from its key to a :class:`Record`, built once: a profile reads hundreds of rows."""

        def make():
            frame = getattr(self, table)
            cols = list(frame.columns)
            return {k: Record(zip(cols, v)) for k, v in zip(frame.index, frame.itertuples(index=False, name=None))}

        return self.memo(("lookup", table), make)

    def totals(self, index_code: str) -> pd.DataFrame:
        """This year's rows of an index total, indexed by province code (empty without any)."""

        def make():
            try:
                return self.rows.xs((index_code, self.year, "TOTAL"), level=["index_code", "year", "measure"])
            except KeyError:
                return self.rows.iloc[:0].droplevel(["index_code", "year", "measure"])

        return self.memo(("totals", index_code), make)

    def components_of(self, index_code: str) -> dict[str, pd.DataFrame]:
        """This year's component rows of an index, per province code (indexed by measure)."""

        def make():
            r = self.rows.reset_index()
            r = r[(r.index_code == index_code) & (r.year == self.year) & (r.level == "component")]
            return {code: g.set_index("measure") for code, g in r.groupby("province_code", sort=False)}

        return self.memo(("components", index_code), make)

    def level_rows(self, index_code: str, level: str) -> dict[str, pd.DataFrame]:
        """This year's rows of one level ("sub-component") of an index, per province code."""

        def make():
            r = self.rows.reset_index()
            r = r[(r.index_code == index_code) & (r.year == self.year) & (r.level == level)]
            return {code: g.set_index("measure") for code, g in r.groupby("province_code", sort=False)}

        return self.memo(("level", index_code, level), make)

    def indicators(self, index_code: str) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
        """This year's indicator rows per province (indexed by measure) and their national
        averages (:func:`parlib.engine.averages.national_average`, published or by the coverage rule)."""

        def make():
            s = self.dataset.scores
            s = s[(s.index_code == index_code) & (s.year == self.year) & (s.level == "indicator")]
            if s.empty:
                return {}, pd.DataFrame(columns=["national_avg"])
            nat = av.national_average(s, self.dataset.aggregates).set_index("measure")
            return {code: g.set_index("measure") for code, g in s.groupby("province_code", sort=False)}, nat

        return self.memo(("indicators", index_code), make)

    def history_of(self, province_code: str) -> pd.DataFrame:
        """The ranked totals of one province over the years (for its trajectory)."""
        groups = self.memo(
            "history_by_province",
            lambda: {code: g.sort_values("year") for code, g in self.history.groupby("province_code", sort=False)},
        )
        return groups.get(province_code, self.history.iloc[:0])

    def index_years(self, index_code: str) -> list[int]:
        """Years up to this one in which an index has ranks."""
        return self.memo(
            ("index_years", index_code),
            lambda: sorted(int(y) for y in self.history.year[self.history.index_code == index_code].unique()),
        )

    def ranks(self, index_code: str, year: int) -> pd.Series:
        """Ranks of the index totals of one year up to this one, by province code."""

        def make():
            h = self.history
            h = h[(h.index_code == index_code) & (h.measure == "TOTAL") & (h.year == year)]
            return h.set_index("province_code")["rank"].astype(float)

        return self.memo(("ranks", index_code, year), make)

    def names(self) -> dict[str, dict[str, str]]:
        """Names of every unit (63, 34 and former): code → {"en": …, "vi": …}."""

        def make():
            out = {}
            for us in ("VN63", "VN34"):
                reg = registry(us)
                out.update({c: {"en": en, "vi": vi} for c, en, vi in zip(reg.code, reg.name_en, reg.name_vi)})
            return out

        return self.memo("names", make)

    @property
    def changes(self) -> pd.DataFrame:
        return self.dataset.published_changes

    @property
    def conflicts(self) -> pd.DataFrame:
        return self.dataset.conflicts

    @property
    def sources(self) -> pd.DataFrame:
        return self.dataset.sources

    @property
    def unit_set(self) -> str:
        return unit_set_for_year(self.year)

    def overview(self) -> Overview:
        """The national :class:`~parlib.engine.results.Overview` of the year (built once)."""
        if getattr(self, "_overview", None) is None:
            self._overview = _overview(self)
        return self._overview

    def provenance(self) -> list[FileRecord]:
        """Every data file behind the model: bundled (with row counts) and imported."""
        ds = self.dataset
        out = [FileRecord(f.file, f.sha256, str(f.rows or ""), "bundled") for f in ds.manifest.itertuples()]
        out += [FileRecord(f.file, f.sha256, "", "imported") for f in ds.store_manifest.itertuples()]
        return out


def build_model(dataset: Dataset, year: int, *, base_year: int | None = None) -> YearModel:
    """Compute the year's tables once, for every province of the year's field."""
    scores = dataset.scores
    aggregates = dataset.aggregates
    hist = scores[scores.year <= year]
    if "level" in hist:
        hist = hist[hist.level != "indicator"]
    ranked = dl.rank_scores(hist)
    this = ranked[ranked.year == year]
    gaps = av.compute_gaps(this, aggregates)
    grouped = dl.add_groups(this)
    extra = [c for c in gaps.columns if c not in this.columns]
    rows = this.merge(gaps[dl.KEY + extra], on=dl.KEY, how="left")
    rows = rows.merge(grouped[dl.KEY + [c for c in grouped.columns if c.startswith("group")]], on=dl.KEY, how="left")
    d = dl.compute_deltas(hist, base_year=base_year)
    d = d[d.year == year]
    totals = ranked[ranked.measure == "TOTAL"]
    st = dl.streaks(totals)
    st = st[st.year == year]
    nat = av.national_average(this, aggregates)
    reg = av.regional_average(this, aggregates)
    history = totals.loc[totals["rank"].notna(), dl.KEY + ["rank", "n_ranked", "rank_basis", "value"]]
    return YearModel(
        dataset=dataset,
        year=int(year),
        base_year=base_year,
        scores=hist.set_index(dl.KEY).sort_index(),
        rows=rows.set_index(dl.KEY).sort_index(),
        national=nat.set_index(["index_code", "measure"]).sort_index(),
        regional=reg.set_index(["index_code", "measure", "region_code"]).sort_index(),
        deltas=d.set_index(dl.KEY).sort_index(),
        streaks=st.set_index(dl.KEY).sort_index(),
        history=history.assign(index_code=history.index_code.astype(str)).reset_index(drop=True),
    )


_MODELS: dict[tuple, YearModel] = {}


def model_for(dataset: Dataset, year: int, base_year: int | None = None) -> YearModel:
    """The year model of a Dataset, cached while the Dataset's files are unchanged."""
    key = (id(dataset), dataset.state, int(year), base_year)
    hit = _MODELS.get(key)
    if hit is not None and hit.dataset is dataset:
        return hit
    model = build_model(dataset, int(year), base_year=base_year)
    if len(_MODELS) >= 8:
        _MODELS.pop(next(iter(_MODELS)))
    _MODELS[key] = model
    return model


# --- the national overview --------------------------------------------------------------------
def _names() -> dict[str, tuple[str, str]]:
    out = {}
    for us in ("VN63", "VN34"):
        reg = registry(us)
        out.update({c: (en, vi) for c, en, vi in zip(reg.code, reg.name_en, reg.name_vi)})
    return out


def _scale_max(idx: str, year: int) -> float | None:
    m = measures(idx, year)
    hit = m[m.measure == "TOTAL"]
    return _f(hit.scale_max.iloc[0]) if len(hit) else None


def _ranking_rows(model: YearModel, idx: str, names: dict) -> list[RankingRow]:
    rows = (
        model.rows.xs((idx, model.year, "TOTAL"), level=["index_code", "year", "measure"], drop_level=True)
        if (idx, model.year) in _pairs(model.rows)
        else pd.DataFrame()
    )
    if rows.empty:
        return []
    rows = rows[rows.value.notna() | rows["rank"].notna()]
    try:
        d = model.deltas.xs((idx, model.year, "TOTAL"), level=["index_code", "year", "measure"])
    except KeyError:
        d = pd.DataFrame()
    order = rows.assign(
        _r=pd.to_numeric(rows["rank"], errors="coerce").astype(float),
        _v=-pd.to_numeric(rows["value"], errors="coerce").astype(float),
    ).sort_values(["_r", "_v"], na_position="last", kind="stable")
    out = []
    for code, r in order.iterrows():
        dr = d.loc[code] if code in d.index else None
        # the same rule as the province's headline: no score change across a part's rescaling or
        # two methodology changes (ranks are each year's own order and stay comparable)
        why = (
            total_change_comparability(idx, int(dr.base_year), model.year)[0]
            if dr is not None and pd.notna(dr.base_year)
            else ""
        )
        en, vi = names.get(code, (code, code))
        out.append(
            RankingRow(
                province_code=code,
                name_en=en,
                name_vi=vi,
                value=_f(r.value),
                rank=_i(r["rank"]),
                n_ranked=_i(r.n_ranked),
                tied=bool(r.get("tied", False)),
                rank_basis=str(r.rank_basis or ""),
                base_year=_i(dr.base_year) if dr is not None else None,
                base_value=_f(dr.base_value) if dr is not None else None,
                base_rank=_i(dr.base_rank) if dr is not None else None,
                base_n_ranked=_i(dr.base_n_ranked) if dr is not None else None,
                delta=_f(dr.delta_pp) if dr is not None and not why else None,
                rank_change=_i(dr.rank_change) if dr is not None else None,
                crosses_break=bool(dr.crosses_break) if dr is not None else False,
                fallback=bool(dr.fallback) if dr is not None else False,
                comparable=bool(dr.comparable) if dr is not None else False,
                group=str(r.get("group") or "") if pd.notna(r.get("group")) else "",
            )
        )
    return out


def _pairs(rows: pd.DataFrame) -> set:
    idx = rows.index
    return set(zip(idx.get_level_values("index_code").astype(str), idx.get_level_values("year")))


def _index_overview(model: YearModel, idx: str, names: dict) -> IndexOverview | None:
    rows = _ranking_rows(model, idx, names)
    if not rows:
        return None
    comparable = [r for r in rows if r.comparable and r.rank_change is not None]
    up = sorted((r for r in comparable if r.rank_change > 0), key=lambda r: (-r.rank_change, r.rank))[:MOVERS]
    down = sorted((r for r in comparable if r.rank_change < 0), key=lambda r: (r.rank_change, r.rank))[:MOVERS]
    reason = ""
    if not comparable:
        reason = "all_cross_break" if any(r.rank_change is not None for r in rows) else "no_earlier_ranks"
    cov = field_record(model, idx, model.year)
    n_pub = cov.n_ranked if cov is not None and cov.n_ranked is not None else None
    n_pub = n_pub if n_pub is not None else max((r.n_ranked for r in rows if r.n_ranked is not None), default=None)
    bases = {r.base_year for r in rows if r.base_year is not None and r.value is not None}
    why = next((w for w in (total_change_comparability(idx, b, model.year)[0] for b in sorted(bases)) if w), "")
    nat = model.national.loc[(idx, "TOTAL")] if (idx, "TOTAL") in model.national.index else None
    return IndexOverview(
        index_code=idx,
        year=model.year,
        unit=index_facts(idx).delta_unit,
        scale_max=_scale_max(idx, model.year),
        n_expected=n_pub if n_pub is not None else len(registry(model.unit_set)),
        n_with_value=sum(r.value is not None for r in rows),
        rows=rows,
        up=up,
        down=down,
        movers_reason=reason,
        national_avg=_f(nat.national_avg) if nat is not None else None,
        avg_basis=str(nat.avg_basis) if nat is not None else "",
        avg_source_id=str(nat.avg_source_id) if nat is not None else "",
        coverage=cov,
        change_not_comparable=why,
    )


def _regional_rows(model: YearModel, indices: list[str]) -> list[RegionalRow]:
    reg63 = registry("VN63")
    size = reg63.region_code.value_counts().to_dict()
    rnames = region_table().set_index("region_code")
    n_units = len(registry(model.unit_set))
    out = []
    for idx in indices:
        if model.year < 2025:
            for rc in rnames.index:
                key = (idx, "TOTAL", rc)
                if key not in model.regional.index:
                    continue
                r = model.regional.loc[key]
                if int(r.n_provinces) == 0 and pd.isna(r.regional_avg):
                    continue
                out.append(
                    RegionalRow(
                        index_code=idx,
                        area_code=rc,
                        name_en=rnames.loc[rc, "name_en"],
                        name_vi=rnames.loc[rc, "name_vi"],
                        average=_f(r.regional_avg),
                        basis=str(r.regional_basis),
                        source_id=str(r.regional_source_id),
                        mean_of_provinces=_f(r.mean_of_provinces),
                        n_with_value=int(r.n_provinces),
                        n_units=int(size.get(rc, 0)),
                        published_mean=_f(r.regional_avg) if r.regional_basis == "published" else None,
                    )
                )
        if (idx, "TOTAL") in model.national.index:
            n = model.national.loc[(idx, "TOTAL")]
            out.append(
                RegionalRow(
                    index_code=idx,
                    area_code="VN",
                    name_en="",  # the country's name is a word of the presenters' catalogue
                    name_vi="",
                    average=_f(n.national_avg),
                    basis=str(n.avg_basis),
                    source_id=str(n.avg_source_id),
                    mean_of_provinces=_f(n.mean_of_provinces),
                    n_with_value=int(n.n_provinces),
                    n_units=n_units,
                    published_mean=_f(n.national_avg) if n.avg_basis == "published" else None,
                )
            )
    return out


def _cross(model: YearModel, indices: list[str]) -> tuple[list[CrossPair], list[CrossPair]]:
    rows = model.rows.reset_index()
    rows = rows[(rows.measure == "TOTAL") & rows.value.notna() & rows.index_code.astype(str).isin(indices)]
    wide = rows.assign(index_code=rows.index_code.astype(str)).pivot_table(
        index="province_code", columns="index_code", values="value", aggfunc="first"
    )
    cols = [i for i in INDICES if i in wide.columns]
    good, thin = [], []
    for i, a in enumerate(cols):
        for b in cols[i + 1 :]:
            both = wide[[a, b]].dropna().astype(float)
            r = None
            if len(both) > 2 and both[a].std() > 0 and both[b].std() > 0:
                r = float(np.corrcoef(both[a], both[b])[0, 1])
            pair = CrossPair(a, b, list(both.index), both[a].tolist(), both[b].tolist(), r)
            (good if len(both) >= MIN_PAIRS else thin).append(pair)
    return good, thin


def _overview(model: YearModel) -> Overview:
    names = _names()
    indices = [o for o in (_index_overview(model, i, names) for i in INDICES) if o is not None]
    codes = [o.index_code for o in indices]
    good, thin = _cross(model, codes)
    this = model.scores.reset_index()
    this = this[this.year == model.year]
    ids = set(this.source_id) | (set(this.rank_source_id) - {""})
    nat = model.national.reset_index()
    ids |= set(nat.avg_source_id) - {""}
    reg = model.regional.reset_index()
    ids |= set(reg.regional_source_id) - {""}
    src = model.sources
    sources = src[src.source_id.isin(ids)].to_dict("records")
    return Overview(
        year=model.year,
        unit_set=model.unit_set,
        n_units=len(registry(model.unit_set)),
        indices=indices,
        regional=_regional_rows(model, codes),
        cross=good,
        thin_pairs=thin,
        min_pairs=MIN_PAIRS,
        sources=sources,
        provenance=model.provenance(),
        data_dir="" if model.dataset.is_bundled else str(model.dataset.data_dir),
        names=names,
        index_names=INDEX_NAMES,
    )

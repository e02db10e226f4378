"""Coverage records as evidence: the publisher's field of an index-year, the provinces it left out
and why, and the ranks sources printed over another field ("11/63").

Read from ``meta/fields.csv``, ``meta/not_ranked.csv`` and ``meta/ranks_as_written.csv`` (built by
``tools/build_coverage.py``); every record carries its ``source_id``. A denominator a report prints
is the record's ``n_ranked``, never a count of the rows parlib happens to hold.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from parlib.data.indices import breaks_between, crosses_scale_break, measures
from parlib.engine.common import _i, _s
from parlib.engine.results import Exclusion, FieldRecord, Reason, WrittenRank

if TYPE_CHECKING:
    from parlib.engine.model import YearModel

#: Which reason a sentence quotes first: a source's stated reason, then the publisher's marker.
_STATUS_ORDER = {"not_ranked": 0, "not_scored": 1, "unexplained": 2}


def field_record(m: YearModel, index_code: str, year: int | None) -> FieldRecord | None:
    """The publisher's field of ``index_code`` in ``year`` (None when no record exists)."""
    if year is None:
        return None
    return m.memo(("field", index_code, int(year)), lambda: _field(m, index_code, int(year)))


def _field(m: YearModel, idx: str, year: int) -> FieldRecord | None:
    f = m.dataset.fields
    hit = f[(f.index_code == idx) & (f.year == year)]
    if hit.empty:
        return None
    r = hit.iloc[0]
    return FieldRecord(
        index_code=idx,
        year=year,
        scope=_s(r.scope),
        n_units=_i(r.n_units),
        n_ranked=_i(r.n_ranked),
        n_published=_i(r.n_published),
        basis=_s(r.basis),
        source_id=_s(r.source_id),
        note=_s(r.note),
        excluded=_excluded(m, idx, year),
    )


def _excluded(m: YearModel, idx: str, year: int) -> list[Exclusion]:
    nr = m.dataset.not_ranked
    nr = nr[(nr.index_code == idx) & (nr.year == year)]
    names = m.names()
    shared = nr.groupby("source_id").province_code.nunique()
    out = []
    for code, g in nr.groupby("province_code", sort=True):
        # the most specific reason first; among equals, the one that explains most of the year's gaps
        g = g.assign(order=g.status.map(_STATUS_ORDER).fillna(9), shared=-g.source_id.map(shared))
        g = g.sort_values(["order", "shared", "source_id"])
        reasons = [
            Reason(_s(x.status), _s(x.reason_en), _s(x.reason_vi), _s(x.source_id), _s(x.quote)) for x in g.itertuples()
        ]
        n = names.get(str(code), {"en": str(code), "vi": str(code)})
        out.append(Exclusion(str(code), n["en"], n["vi"], reasons))
    return out


def written_rank(m: YearModel, index_code: str, year: int, province_code: str) -> WrittenRank | None:
    """The province's rank as a source printed it over a field other than the publisher's."""
    return m.memo("written_ranks", lambda: _written(m)).get((index_code, int(year), province_code))


def _written(m: YearModel) -> dict[tuple, WrittenRank]:
    kinds = dict(zip(m.sources.source_id, m.sources.kind))
    return {
        (r.index_code, int(r.year), r.province_code): WrittenRank(
            int(r.rank), int(r.n_written), _s(r.source_id), _s(r.quote), _s(kinds.get(r.source_id))
        )
        for r in m.dataset.ranks_as_written.itertuples()
    }


def exclusion_of(field: FieldRecord | None, province_code: str) -> Exclusion | None:
    """The record of why ``province_code`` has no figure in ``field`` (None: no record)."""
    if field is None:
        return None
    return next((e for e in field.excluded if e.province_code == province_code), None)


@lru_cache(maxsize=1024)
def total_change_comparability(index_code: str, base_year: int, year: int) -> tuple[str, tuple[str, ...]]:
    """Whether a change of the index total from ``base_year`` to ``year`` is comparable: ("", ())
    when it is, else the reason ("total_scale": the total's scale or its set of parts changed,
    "component_scale" with the parts whose scale or
    content changed, "breaks" when two or more methodology changes lie between). One rule for the
    province's headline and the overview's ranking rows.

    >>> total_change_comparability("PAPI", 2021, 2022)
    ('component_scale', ('D1',))
    >>> total_change_comparability("PAPI", 2020, 2022)[0], total_change_comparability("PAR", 2021, 2022)
    ('component_scale', ('total_scale', ()))
    """
    if crosses_scale_break(index_code, "TOTAL", base_year, year):
        return "total_scale", ()
    parts = measures(index_code, year)
    parts = parts[parts.level == "component"].measure
    changed = tuple(m for m in parts if crosses_scale_break(index_code, m, base_year, year))
    if changed:
        return "component_scale", changed
    if breaks_between(index_code, base_year, year) >= 2:
        return "breaks", ()
    return "", ()

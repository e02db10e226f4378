"""The engine's results over many provinces: the national :class:`Overview` of a year and the
:class:`Comparison` of provinces side by side (:mod:`parlib.engine.results` re-exports them).

Every figure a presenter shows is a field here, computed once by the year model.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from parlib.engine.common import _clean
from parlib.engine.records import FieldRecord, FileRecord


@dataclass
class RankingRow:
    """One province in an index's national table of a year, with its change on the base year."""

    province_code: str
    name_en: str
    name_vi: str
    value: float | None
    rank: int | None
    n_ranked: int | None
    tied: bool
    rank_basis: str
    base_year: int | None
    base_value: float | None
    base_rank: int | None
    base_n_ranked: int | None
    delta: float | None
    rank_change: int | None
    crosses_break: bool
    fallback: bool
    comparable: bool
    #: The group code ("A"-"C" PAR bands, "1"-"4" PAPI quartiles, "" none); the scheme is the
    #: index's ``group_scheme`` and the name a word of the catalogue.
    group: str


@dataclass
class IndexOverview:
    """One index in one year, nationally: the table, the movers, the distribution's reference line."""

    index_code: str
    year: int
    unit: str
    scale_max: float | None
    n_expected: int
    n_with_value: int
    rows: list[RankingRow]
    up: list[RankingRow]
    down: list[RankingRow]
    #: "" when movers exist; "all_cross_break" or "no_earlier_ranks" when none is comparable.
    movers_reason: str
    national_avg: float | None
    avg_basis: str
    avg_source_id: str
    #: The publisher's field of the year (who was ranked, who was left out and why).
    coverage: FieldRecord | None = None
    #: Why the score changes of the year's rows are not shown ("" when they are): a code of
    #: :data:`parlib.engine.claims.WHY_NOT` (a rescaled part, two methodology changes, …).
    change_not_comparable: str = ""


@dataclass
class RegionalRow:
    """An area's (region or "VN") average of one index: the engine's average with its basis, the
    mean of the provinces with a score and how many they are, and the published mean if any.
    A region's names are those of data/meta/regions.csv; the country ("VN") has none here, the
    presenters name it."""

    index_code: str
    area_code: str
    name_en: str
    name_vi: str
    average: float | None
    basis: str
    source_id: str
    mean_of_provinces: float | None
    n_with_value: int
    n_units: int
    published_mean: float | None


@dataclass
class CrossPair:
    """Two indices' totals for the provinces that have both, and Pearson's r (None when n < 3)."""

    index_a: str
    index_b: str
    province_codes: list[str]
    values_a: list[float]
    values_b: list[float]
    r: float | None

    @property
    def n(self) -> int:
        return len(self.province_codes)


@dataclass
class Overview:
    """The national picture of one year (a slice of the year model)."""

    year: int
    unit_set: str
    n_units: int
    indices: list[IndexOverview]
    regional: list[RegionalRow]
    #: Pairs with at least ``min_pairs`` provinces having both totals; ``thin_pairs`` the others.
    cross: list[CrossPair]
    thin_pairs: list[CrossPair]
    min_pairs: int
    sources: list[dict]
    provenance: list[FileRecord]
    data_dir: str = ""
    #: Province names for tables: code → (name_en, name_vi).
    names: dict = field(default_factory=dict)
    #: Display names of every index: code → {"en": …, "vi": …}.
    index_names: dict = field(default_factory=dict)

    def index(self, code: str) -> IndexOverview | None:
        return next((i for i in self.indices if i.index_code == code), None)

    def to_dict(self) -> dict:
        return _clean(self)


@dataclass
class PairDifference:
    """Two provinces' scores on one measure of an index (the total or a component) in the same year:
    ``difference`` = ``value_a`` − ``value_b``, the margin of error of the difference at the level of the
    published intervals (``margin`` = z·sqrt(se_a² + se_b²), :func:`parlib.engine.uncertainty.diff_margin`),
    and whether the difference exceeds it (``exceeds``: None when a standard error is missing)."""

    index_code: str
    measure: str
    name_en: str
    name_vi: str
    province_a: str
    province_b: str
    value_a: float
    value_b: float
    difference: float
    margin: float | None
    ci_level: int | None
    exceeds: bool | None


@dataclass
class Comparison:
    """Provinces side by side in one year (``parlib compare``): each province's own Profile (every
    figure shown is one of theirs) and, for every pair and every measure with intervals, the difference
    against its margin of error."""

    year: int
    profiles: list
    pairs: list[PairDifference]
    index_names: dict = field(default_factory=dict)

    def profile(self, code: str):
        return next(p for p in self.profiles if p.province.code == code)

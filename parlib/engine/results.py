"""The engine's results: what a Profile (one province-year) carries; the Overview (one year) and the
Comparison are in :mod:`parlib.engine.overview_results` and re-exported here.

Every figure a presenter shows is a field here, computed once by the year model
(:mod:`parlib.engine.model`). Presenters import these types only for annotations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from parlib.engine.common import _clean
from parlib.engine.records import Exclusion, FieldRecord, FileRecord, Reason, WrittenRank  # noqa: F401 (re-exported)

if TYPE_CHECKING:
    from parlib.data.registry import Province


@dataclass
class Component:
    measure: str
    name_en: str
    name_vi: str
    value: float | None
    base_value: float | None
    delta: float | None
    rank: int | None
    n_ranked: int | None
    base_rank: int | None
    rank_change: int | None
    national_avg: float | None
    gap_national: float | None
    best_value: float | None
    scale_max: float | None
    #: The change on the base year is withheld: the measure's scale or content changed between
    #: the two years (``parlib.data.indices.scale_breaks``).
    change_withheld: bool = False
    #: The sources of this row's score and of its rank in the score table (``source_id``,
    #: ``rank_source_id``; the rank's is empty when the score's source also gives the rank).
    source_id: str = ""
    rank_source_id: str = ""


@dataclass
class PublishedChange:
    measure: str
    name_en: str
    name_vi: str
    base_year: int
    delta: float | None
    rank_change: int | None
    unit: str
    source_id: str
    note: str


@dataclass
class IndexResult:
    index_code: str
    year: int
    period: str
    decision: str
    unit: str  # "pp" or "points": the unit of a change
    value: float | None
    scale_max: float | None
    rank: int | None
    n_ranked: int | None
    rank_basis: str
    tied: bool
    base_year: int | None
    base_value: float | None
    base_rank: int | None
    base_n_ranked: int | None
    delta: float | None
    pct_change: float | None
    rank_change: int | None
    fallback: bool
    crosses_break: bool
    unit_set_change: bool
    national_avg: float | None
    avg_basis: str
    avg_source_id: str
    gap_national: float | None
    regional_avg: float | None
    regional_basis: str
    gap_regional: float | None
    best_value: float | None
    best_province_code: str
    gap_best: float | None
    percentile: float | None
    #: The group code ("A"-"C" PAR bands, "1"-"4" PAPI quartiles, "" none); the scheme is the
    #: index's ``group_scheme`` and the name a word of the catalogue.
    group: str
    same_rank_streak: int
    top_streak: int
    ci_low: float | None = None
    ci_high: float | None = None
    se: float | None = None
    #: The level of the published intervals, read from the data (:mod:`parlib.engine.uncertainty`):
    #: ``ci_z`` the normal quantile (half-width / SE), ``ci_level`` its two-sided coverage in percent
    #: (PAPI: 1.645, 90). Every test below is at that level.
    ci_z: float | None = None
    ci_level: int | None = None
    #: The margin of error printed with the score: half the width of its interval (z·SE).
    margin: float | None = None
    #: Change on the base year beyond z·sqrt(se² + base_se²); gap to the national average beyond z·se.
    change_significant: bool | None = None
    gap_significant: bool | None = None
    #: Plausible rank among all ``n_ranked`` provinces: another province is surely ahead (behind) when
    #: the difference exceeds the margin of the difference, z·sqrt(se1² + se2²);
    #: ``rank_range_untested`` ranked provinces had no standard error and count as neither.
    rank_range: tuple[int, int] | None = None
    rank_range_untested: int = 0
    components: list[Component] = field(default_factory=list)
    published_changes: list[PublishedChange] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    #: How the components' national averages were obtained: "published", "mean_of_provinces",
    #: "mixed" or "" (none).
    component_avg_basis: str = ""
    #: Counts the narrative states: components with a score ("n"), that rose, fell, and lie above
    #: or below the national average.
    component_counts: dict = field(default_factory=dict)
    #: The total's scale changed between the base year and this year (PAPI 60 → 80 points in
    #: 2018): ``delta`` is withheld; ``base_scale_max`` is the old maximum.
    scale_changed: bool = False
    base_scale_max: float | None = None
    #: The field of ranked provinces changed between the years: provinces ranked this year and not
    #: in the base year (``entered``) and the reverse (``left``), and the rank change among the
    #: provinces ranked in both years (``rank_change_like``, with those ranks).
    entered: list[str] = field(default_factory=list)
    left: list[str] = field(default_factory=list)
    entered_names: list[dict] = field(default_factory=list)
    left_names: list[dict] = field(default_factory=list)
    rank_like: int | None = None
    base_rank_like: int | None = None
    rank_change_like: int | None = None
    n_common: int | None = None
    #: The publisher's field this year and in the base year (coverage records, ``meta/fields.csv``):
    #: ``n_ranked`` equals ``coverage.n_ranked`` whenever the field is on record.
    coverage: FieldRecord | None = None
    base_coverage: FieldRecord | None = None
    #: The province's own rank as a source printed it over another field ("11/63"), if any.
    written: WrittenRank | None = None
    #: Why the score change is not stated although both scores are known: "" (it is stated, or a
    #: score is missing), "total_scale" (the total's maximum changed), "parts_changed" (the set of
    #: component areas changed, the maximum did not: PAR INDEX 2021 → 2022), "component_scale" (a part's
    #: scale or content changed: ``not_comparable_parts`` names them), "breaks" (the comparison
    #: crosses two or more methodology changes: ``breaks_crossed`` counts them).
    change_not_comparable: str = ""
    #: The sources of this year's score and rank, and of the base year's (score or rank).
    source_id: str = ""
    rank_source_id: str = ""
    base_source_id: str = ""
    not_comparable_parts: list[str] = field(default_factory=list)
    breaks_crossed: int = 0


@dataclass
class Remedy:
    index_code: str
    measure: str
    name_en: str
    name_vi: str
    value: float | None
    points_lost: float | None
    gap_below_avg: float | None
    distance_to_max: float | None
    best_rank_gain: int | None
    priority: int = 0
    #: What the priority rests on: "level" (a score, rank and gap in the data) or
    #: "published_change" (a published change of a component without a level in the data).
    basis: str = "level"
    #: 1: a weakness by the rule of ``_strengths_weaknesses``; 2: any other component that lost
    #: points, lies below the national average or has a smaller published fall.
    tier: int = 2
    rank: int | None = None
    n_ranked: int | None = None
    base_year: int | None = None
    #: The published change (``basis == "published_change"``): score change in ``published_unit``
    #: and/or rank change in places (negative = fell), with its source.
    published_delta: float | None = None
    published_rank_change: int | None = None
    published_unit: str = ""
    #: The source of the figure the priority rests on: the published change's, or the
    #: component's score source (and ``rank_source_id`` for its rank when another source gives it).
    source_id: str = ""
    rank_source_id: str = ""
    #: Shortfall in percent of the component's maximum, the common scale tier-1 items are ordered
    #: on: a level's gap below the national average / maximum × 100, or a published fall in
    #: percentage points of the achievement rate. None when the maximum is unknown.
    severity: float | None = None


@dataclass
class GainBound:
    """What provinces actually gained in one year on a measure: the ``quantile`` (0.9) of its ``n``
    comparable one-year changes between ``first_year`` and ``last_year`` (:mod:`parlib.engine.realism`)."""

    measure: str
    quantile: float
    value: float
    n: int
    first_year: int
    last_year: int


@dataclass
class Lever:
    """A component that could deliver a target on its own: raising it from ``value`` by
    ``points_needed`` (at most to ``reference``, the best province's or the maximum)."""

    measure: str
    name_en: str
    name_vi: str
    value: float
    reference: float
    reference_kind: str  # "best" | "max"
    share_of_room: float  # points needed / (reference − value): 0.2 = a fifth of the way
    #: The points needed are within what provinces gained on this component in one year (``gain``);
    #: None when the data give no bound.
    realistic: bool | None = None
    gain: GainBound | None = None


@dataclass
class Target:
    """A realistic target for an index total: what it takes to reach it, in the index's unit.

    ``kind``: "top_group" (PAPI: above the year's 75th percentile), "keep_top_group" (the margin
    above it), "previous_rank" (the score that would have held the base year's rank this year),
    "regional_leader" (the best score of the region), "next_band" (PAR: 70/80/90). ``within_margin``
    is True/False for PAPI when the standard errors are known (the points needed within ``margin``:
    the survey cannot tell the province from the target), else None. ``margin_basis``: "own" for a
    threshold (the province's own margin, the half-width of its printed interval), "difference" for
    another province's score (the margin of the difference, z·sqrt(se1² + se2²)); ``ci_level`` the
    level of both. ``realistic``: the points needed are within what provinces gained on the total in
    one year (``gain``), None without a bound.
    """

    index_code: str
    kind: str
    label_param: str  # the rank, the band letter or the leader's code
    value: float
    target_value: float
    points_needed: float
    unit: str
    within_margin: bool | None
    margin: float | None
    leader_name_en: str = ""
    leader_name_vi: str = ""
    levers: list[Lever] = field(default_factory=list)
    margin_basis: str = ""
    ci_level: int | None = None
    realistic: bool | None = None
    gain: GainBound | None = None


@dataclass
class ThemeItem:
    """What one index says about a theme: a component's level, rank and change, a published change
    (PAR areas without levels), or an index total (SIPAS)."""

    index_code: str
    measure: str
    name_en: str
    name_vi: str
    kind: str  # "component" | "published_change" | "total"
    value: float | None
    rank: int | None
    n_ranked: int | None
    delta: float | None
    unit: str
    base_year: int | None
    reason: str
    #: The rank change on ``base_year`` in places (positive = a rise: the rank number fell), the
    #: same field the headline states (``IndexResult.rank_change``, ``Component.rank_change``).
    rank_change: int | None = None
    #: The change on the base year is withheld (the measure's scale or content changed).
    change_withheld: bool = False
    #: What the item's stated changes say, on each index's direction (higher is better): "up",
    #: "down", "flat" (no change), "mixed" (the score and the rank moved opposite ways),
    #: "withheld" or "unstated" (neither a score change nor a rank change in the profile).
    direction: str = "unstated"


@dataclass
class ThemeView:
    """One shared theme read across the indices.

    ``directions``: each index with a stated change in the theme (items with data only) and what
    its items say together: "up", "down", "flat", or "mixed" when its own parts move both ways.
    ``reading``: "agree_up", "agree_down", "agree_flat" (every such index moved the same way),
    "diverge" (at least one index rose and another fell), "mixed" (otherwise, e.g. an index
    whose own parts move both ways) or "insufficient" (fewer than two indices state a change);
    ``missing`` lists the theme's indices with nothing for the province-year."""

    theme: str
    name_en: str
    name_vi: str
    items: list[ThemeItem]
    reading: str
    missing: list[str]
    directions: dict[str, str] = field(default_factory=dict)


@dataclass
class DrillItem:
    """A sub-dimension or an indicator of a PAPI dimension for the province: its value, the
    national average (published or the mean of provinces, by the coverage rule) and, for
    sub-dimensions, the rank; indicators have no recorded direction, so no rank and no "weakest"."""

    measure: str
    name_en: str
    name_vi: str
    value: float | None
    national_avg: float | None
    gap_national: float | None
    rank: int | None
    n_ranked: int | None
    #: The unit of ``value`` as the data hold it: "proportion" (a 0–1 share: printed as 0%–100%
    #: and every province's value of the year within 0–1), "points" (a printed point scale,
    #: ``scale_min``–``scale_max``, holding every value) or "as printed" (the printed scale and the
    #: values disagree, or no scale is printed: the unit is not verified).
    unit: str = "points"
    scale_min: float | None = None
    scale_max: float | None = None
    #: The printed name carries a "%" while the unit is not verified as a proportion.
    percent_label_unverified: bool = False


@dataclass
class DrillDown:
    """One dimension opened: sub-dimensions weakest first (by rank), then the survey indicators
    parlib holds for the year (PAPI 2018, 2019, 2022, 2023), in the order of the source table."""

    index_code: str
    measure: str
    name_en: str
    name_vi: str
    subdimensions: list[DrillItem]
    indicators: list[DrillItem]


@dataclass
class PlanItem:
    """One row of the improvement plan ("Kế hoạch nâng cao chỉ số"): a priority, its current result,
    a target and the measure that will show it, the evidence. ``lead_agency`` stays empty unless a
    cited source names one; the deadline is the province's to set."""

    priority: int
    index_code: str
    measure: str
    name_en: str
    name_vi: str
    basis: str  # "level" | "published_change"
    value: float | None
    rank: int | None
    n_ranked: int | None
    published_delta: float | None
    published_unit: str
    base_year: int | None
    target_kind: str  # "national_avg" | "previous" | "regain_published"
    target_value: float | None  # a level (national average, previous value); None for a published change
    measure_year: int  # the next release that will show the result
    #: The source of the row's own figure: the published change's, or the component's score (and
    #: ``rank_source_id`` for its rank when another source gives it); never the index's sources.
    source_id: str
    lead_agency: str = ""
    deadline: str = ""
    rank_source_id: str = ""


@dataclass
class WhatIf:
    index_code: str
    measure: str
    name_en: str
    name_vi: str
    scenario: str  # national_avg | previous | best | max
    component_from: float
    component_to: float
    total_from: float
    total_to: float
    rank_from: int | None
    rank_to: int | None
    n_ranked: int | None


@dataclass
class BaselineRow:
    """One predecessor of a 34-unit province in the baseline of one index: its result in the
    index's latest year with 63-unit results (the same year for every predecessor of the index).

    ``status``: "published" (a score and/or a rank in the data), "top_n_not_held" (the publisher
    printed only its leaders that year, e.g. VCCI's top 30 for PCI 2023–2024, see ``scope_source_id``,
    and parlib holds no figure of the province: it is outside them or its figure is not in parlib's
    data) or "not_in_data" (parlib holds no figure of that province for that year).
    Nothing is combined: the new unit has no figure of its own here.
    """

    index_code: str
    year: int
    province_code: str
    name_en: str
    name_vi: str
    type: str
    value: float | None
    rank: int | None
    n_ranked: int | None
    rank_basis: str
    source_id: str
    status: str
    scope: str = ""
    scope_source_id: str = ""
    #: How many provinces the publisher printed that year when it printed only its leaders (30).
    n_published: int | None = None
    #: The maximum of the index total in ``year`` (PAPI: 80 points), None when not recorded.
    scale_max: float | None = None


@dataclass
class Caveat:
    code: str
    index_code: str
    params: dict


@dataclass
class Profile:
    province: Province
    year: int
    requested_base_year: int | None
    unit_set: str
    indices: list[IndexResult]
    missing_indices: list[str]
    strengths: list[dict]
    weaknesses: list[dict]
    remedies: list[Remedy]
    whatif: list[WhatIf]
    caveats: list[Caveat]
    sources: list[dict]
    #: For a 34-unit province and an index with its own result this year: each predecessor's result
    #: in the index's latest 63-unit year (the same year for all of them), as context.
    predecessors: list[dict] = field(default_factory=list)
    #: For a 34-unit province and each index without its own result this year: the baseline, every
    #: predecessor side by side in the index's latest 63-unit year (see :class:`BaselineRow`).
    baseline: list["BaselineRow"] = field(default_factory=list)
    #: For a 34-unit province: the 63-unit provinces it was formed from (code, name_en, name_vi, type).
    formed_from: list[dict] = field(default_factory=list)
    #: Rank of the province per index over the years up to ``year``, with methodology breaks.
    trajectory: list["RankLine"] = field(default_factory=list)
    #: PAPI dimensions opened into sub-dimensions and indicators (every dimension with a score).
    drilldown: list[DrillDown] = field(default_factory=list)
    #: The improvement plan: one row per priority.
    plan: list[PlanItem] = field(default_factory=list)
    #: Shared themes read across the indices (data/meta/themes.csv).
    themes: list[ThemeView] = field(default_factory=list)
    #: Targets per index (top group, previous rank, regional leader, next PAR band), each with its
    #: margin of error and whether its points are realistic in one year.
    targets: list[Target] = field(default_factory=list)
    trajectory_breaks: list["Break"] = field(default_factory=list)
    #: The province within its region, per index with a result.
    regions: list["RegionView"] = field(default_factory=list)
    #: The data files the figures come from (bundled and imported), with checksums.
    provenance: list["FileRecord"] = field(default_factory=list)
    data_dir: str = ""
    #: Display names of every index: code → {"en": …, "vi": …}.
    index_names: dict = field(default_factory=dict)

    @property
    def has_components(self) -> bool:
        """Any component level or published component change for the province-year: without one,
        "no component fell or lies below the average" has no evidence and is not said."""
        return any(r.components or r.published_changes for r in self.indices)

    def index(self, code: str) -> IndexResult | None:
        """The result of one index, or None when the index has no data for the province-year."""
        return next((r for r in self.indices if r.index_code == code), None)

    def to_dict(self) -> dict:
        """A JSON-ready dict (NaN → None)."""
        return _clean(self)


@dataclass
class RankLine:
    """One index's rank in every year the province has one; ``missing_years`` are the years
    inside its span (and the index's other years) without a rank."""

    index_code: str
    years: list[int]
    ranks: list[int]
    n_ranked: list[int | None]
    missing_years: list[int]


@dataclass
class Break:
    """A change of methodology inside a plotted span (first year of the new period)."""

    index_code: str
    year: int
    label_en: str
    label_vi: str


@dataclass
class RegionMember:
    province_code: str
    name_en: str
    name_vi: str
    value: float | None
    rank: int | None
    n_ranked: int | None
    focus: bool


@dataclass
class RegionView:
    """One index-year total across the provinces of the focus province's region, best first
    (provinces without a score last), with the national and regional averages and their basis."""

    index_code: str
    year: int
    region_code: str
    region_en: str
    region_vi: str
    members: list[RegionMember]
    n_with_value: int
    national_avg: float | None
    avg_basis: str
    avg_source_id: str
    regional_avg: float | None
    regional_basis: str
    regional_source_id: str
    #: "" when the view can be drawn; "no_region" for the 34 units (no regions defined yet).
    reason: str = ""


# The national picture and provinces side by side, re-exported: every result type is importable from here.
from parlib.engine.overview_results import (  # noqa: E402, F401
    Comparison,
    CrossPair,
    IndexOverview,
    Overview,
    PairDifference,
    RankingRow,
    RegionalRow,
)

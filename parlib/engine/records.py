"""The evidence records the Profile and the Overview share: the publisher's field of an index-year, who
was left out of it and why, a rank printed over another field, and a data file the figures come from
(:mod:`parlib.engine.results` re-exports them)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Reason:
    """One record of why a province has no figure from a publisher in a year, as a source words it.

    ``status``: "not_ranked" (a source says it was left out of the ranking), "not_scored" (the
    publisher's own table has no score for it, or a source's field leaves it out) or "unexplained"
    (parlib's copy has no score and no source says why)."""

    status: str
    reason_en: str
    reason_vi: str
    source_id: str
    quote: str


@dataclass
class Exclusion:
    """A province the publisher did not score or rank in a year, with every reason on record
    (the most specific first: a source's stated reason, then the publisher's marker)."""

    province_code: str
    name_en: str
    name_vi: str
    reasons: list[Reason]

    @property
    def reason(self) -> Reason:
        return self.reasons[0]


@dataclass
class FieldRecord:
    """The publisher's field of an index-year: how many provinces it ranked (``n_ranked``) out of
    the units (``n_units``), its scope ("all" or "top_30": ``n_published`` printed), what fixes it
    (``basis``: "stated" in print, "scored" = the publisher's own table scores that many,
    "unconfirmed" = parlib's copy has blanks no source explains) and the source; ``excluded``
    lists the provinces left out, each with its reasons."""

    index_code: str
    year: int
    scope: str
    n_units: int | None
    n_ranked: int | None
    n_published: int | None
    basis: str
    source_id: str
    note: str
    excluded: list[Exclusion] = field(default_factory=list)

    @property
    def partial(self) -> bool:
        """Fewer provinces ranked than units assessed: a denominator below 63 needs its reason."""
        return self.n_ranked is not None and self.n_units is not None and self.n_ranked < self.n_units


@dataclass
class FileRecord:
    file: str
    sha256: str
    rows: str
    kind: str  # "bundled" | "imported"


@dataclass
class WrittenRank:
    """A rank a source printed over a larger field than the publisher's: "11/63" where UNDP ranked
    61 (the usual "/63" of provincial communications), kept so the report can reconcile it."""

    rank: int
    n_written: int
    source_id: str
    quote: str
    #: The source's kind in sources.csv: "gov_portal" (a provincial communication), "news", …
    source_kind: str = ""

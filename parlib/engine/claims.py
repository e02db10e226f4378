"""Every statement a report makes about an index, as a typed claim with its evidence.

A :class:`Claim` says what (index, measure, year, province), the figure, what it is compared with
and whether that comparison is valid (and why not), the status with the coverage record behind it,
and the source ids. :func:`claims` derives them from a :class:`~parlib.engine.results.Profile`
(nothing is recomputed: each claim reads the same field the narrative, tables and charts format),
so a test can hold every sentence to its claim and every claim to its record, and
``parlib summary --explain`` can print the evidence under each sentence.

>>> import parlib
>>> c = {x.id: x for x in claims(parlib.assess("Hưng Yên", 2022))}
>>> c["PAPI.rank"].value, c["PAPI.rank"].n_ranked, c["PAPI.rank"].evidence[1].kind
(11, 61, 'field')
>>> c["PAPI.score_change"].comparable, c["PAPI.score_change"].why_not
(False, 'component_scale')
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from parlib.engine.results import Caveat, FieldRecord, IndexResult, Profile


@dataclass(frozen=True)
class Evidence:
    """One record a claim rests on: its kind, the source that says it, and what the record says."""

    kind: str  # score | rank | field | exclusion | written | average | published_change | scope | data
    source_id: str
    detail: str


@dataclass
class Claim:
    """One statement: ``kind`` of figure or status about (index, measure, year, province).

    ``comparable`` is None for a level, True/False for a change (``why_not`` says why not: a code
    of :data:`WHY_NOT`); ``status`` is "stated" for a figure, or the status a sentence asserts
    ("not_ranked", "top_n_not_held", "not_in_data", "no_year"); ``n_ranked`` is a rank's field.
    """

    id: str
    kind: str
    index_code: str
    measure: str
    year: int
    province_code: str
    value: float | int | None
    unit: str = ""
    base_year: int | None = None
    base_value: float | int | None = None
    n_ranked: int | None = None
    comparable: bool | None = None
    why_not: str = ""
    status: str = "stated"
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def sources(self) -> list[str]:
        return list(dict.fromkeys(e.source_id for e in self.evidence if e.source_id))

    def to_dict(self) -> dict:
        return {**asdict(self), "sources": self.sources}


#: Why a change is not comparable (``Claim.why_not``).
WHY_NOT = {
    "total_scale": "the total's maximum changed between the years",
    "component_scale": "the scale or content of a part changed between the years",
    "parts_changed": "the set of component areas changed between the years",
    "breaks": "the comparison crosses two or more methodology changes",
    "scale": "the measure's scale or content changed between the years",
    "unit_set": "the units ranked changed (63 provinces, then 34)",
    "no_base": "no earlier value in the data",
}


def claims(profile: Profile) -> list[Claim]:
    """The claims of a profile: per index its level, rank, changes, gaps and components, then one
    status claim per index without a figure (with the coverage record that supports it)."""
    out: list[Claim] = []
    for r in profile.indices:
        out += _index_claims(profile, r)
    for c in profile.caveats:
        if c.code == "index_missing":
            out.append(_missing_claim(profile, c))
    return out


def _who(profile: Profile, r: IndexResult, measure: str = "TOTAL") -> dict:
    return {"index_code": r.index_code, "measure": measure, "year": r.year, "province_code": profile.province.code}


def _field_evidence(f: FieldRecord | None) -> list[Evidence]:
    if f is None:
        return []
    out = [Evidence("field", f.source_id, f"{f.index_code} {f.year}: {f.n_ranked} of {f.n_units} ranked ({f.basis})")]
    for e in f.excluded:
        out += [Evidence("exclusion", x.source_id, f"{e.name_en}: {x.reason_en}") for x in e.reasons]
    return out


def _index_claims(profile: Profile, r: IndexResult) -> list[Claim]:
    who = _who(profile, r)
    out = []
    src = r.source_id
    if r.value is not None:
        out.append(Claim(f"{r.index_code}.score", "score", **who, value=r.value, evidence=[Evidence("score", src, "")]))
    if r.rank is not None:
        ev = [Evidence("rank", r.rank_source_id, r.rank_basis)] + _field_evidence(r.coverage)
        if r.written is not None:
            ev.append(Evidence("written", r.written.source_id, r.written.quote))
        out.append(Claim(f"{r.index_code}.rank", "rank", **who, value=r.rank, n_ranked=r.n_ranked, evidence=ev))
    if r.base_year is not None and r.rank is not None and r.base_rank is not None:
        comparable = r.rank_change is not None
        out.append(
            Claim(
                f"{r.index_code}.rank_change",
                "rank_change",
                **who,
                value=r.rank_change,
                base_year=r.base_year,
                base_value=r.base_rank,
                n_ranked=r.base_n_ranked,
                comparable=comparable,
                why_not="" if comparable else ("unit_set" if r.unit_set_change else "no_base"),
                evidence=[Evidence("rank", r.base_source_id, f"{r.base_year} rank")] + _field_evidence(r.base_coverage),
            )
        )
    if r.base_year is not None and r.value is not None and r.base_value is not None:
        why = r.change_not_comparable
        out.append(
            Claim(
                f"{r.index_code}.score_change",
                "score_change",
                **who,
                value=r.delta,
                unit=r.unit,
                base_year=r.base_year,
                base_value=r.base_value,
                comparable=r.delta is not None,
                why_not=why if r.delta is None else "",
                evidence=[Evidence("score", src, str(r.year)), Evidence("score", r.base_source_id, str(r.base_year))],
            )
        )
    if r.gap_national is not None:
        out.append(
            Claim(
                f"{r.index_code}.gap_national",
                "gap_national",
                **who,
                value=r.gap_national,
                unit=r.unit,
                base_value=r.national_avg,
                evidence=[Evidence("average", r.avg_source_id, r.avg_basis)],
            )
        )
    if r.group:
        out.append(
            Claim(
                f"{r.index_code}.group", "group", **who, value=r.group, evidence=[Evidence("score", src, "group rule")]
            )
        )
    if r.ci_low is not None and r.ci_high is not None:
        level = f"{r.ci_level}" if getattr(r, "ci_level", None) is not None else ""
        out.append(
            Claim(
                f"{r.index_code}.interval",
                "interval",
                **who,
                value=r.ci_high - r.ci_low,
                base_value=r.ci_low,
                evidence=[Evidence("score", src, f"bounds {r.ci_low}–{r.ci_high}, level {level} read from the data")],
            )
        )
    for c in r.components:
        if c.delta is None and not c.change_withheld:
            continue
        out.append(
            Claim(
                f"{r.index_code}.{c.measure}.change",
                "component_change",
                **_who(profile, r, c.measure),
                value=c.delta,
                unit=r.unit,
                base_year=r.base_year,
                base_value=c.base_value,
                comparable=not c.change_withheld,
                why_not="scale" if c.change_withheld else "",
                evidence=[Evidence("score", src, "")],
            )
        )
    if not r.components and not r.published_changes:
        out.append(
            Claim(
                f"{r.index_code}.components",
                "status",
                **who,
                value=None,
                status="components_not_in_data",
                evidence=[Evidence("data", "", "parlib holds no component of this index-year for the province")],
            )
        )
    for pc in r.published_changes:
        out.append(
            Claim(
                f"{r.index_code}.{pc.measure}.published_change",
                "published_change",
                **_who(profile, r, pc.measure),
                value=pc.delta,
                unit=pc.unit,
                base_year=pc.base_year,
                comparable=True,
                evidence=[Evidence("published_change", pc.source_id, pc.note)],
            )
        )
    return out


def _missing_claim(profile: Profile, c: Caveat) -> Claim:
    p = c.params
    why = p.get("reason", "")
    ev: list[Evidence] = []
    if why == "not_ranked":
        ev = [Evidence("exclusion", x["source_id"], x["reason_en"]) for x in p.get("reasons", [])]
    elif why == "top_n_not_held":
        ev = [Evidence("scope", p.get("source_id", ""), f"top {p.get('n_published')}; parlib holds {p.get('n')}")]
    elif why in ("not_in_data", "no_year"):
        # a statement about parlib's own data: the evidence is the data itself (the rows it holds)
        ev = [Evidence("data", "", f"parlib holds {p.get('n', 0)} provinces for this index-year")]
    return Claim(
        f"{c.index_code}.status",
        "status",
        index_code=c.index_code,
        measure="TOTAL",
        year=profile.year,
        province_code=profile.province.code,
        value=None,
        status=why,
        n_ranked=p.get("n") if why == "not_ranked" else None,
        evidence=ev,
    )

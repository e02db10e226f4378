"""The rules every report must keep (issue 17), as checkers that return their violations.

Each checker reads one province-year: its headline profile, its claims and the sentences the
narrative writes from them (in one language), and returns a list of violations (empty: the rule
holds). ``tests/test_invariants.py`` runs them over every province, every year with data and both
languages, and breaks each rule once on purpose to show its checker catches it.

The expected values are read here from the data files themselves (``data/meta/fields.csv``,
``data/meta/not_ranked.csv``, ``data/sources.csv``), not from the engine that is being checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from parlib.config import bundled_data_dir
from parlib.present import fmt
from parlib.present.narrative import caveat_text, components_paragraph, index_sentence


@lru_cache(maxsize=1)
def published_fields() -> dict[tuple[str, int], tuple[int | None, int | None]]:
    """(index, year) → (publisher's field, units), read straight from the coverage file."""
    f = pd.read_csv(bundled_data_dir() / "meta" / "fields.csv", dtype=str, keep_default_na=False)
    num = lambda x: int(x) if x else None  # noqa: E731
    return {(r.index_code, int(r.year)): (num(r.n_ranked), num(r.n_units)) for r in f.itertuples()}


@lru_cache(maxsize=1)
def exclusions() -> dict[tuple[str, int], set[str]]:
    nr = pd.read_csv(bundled_data_dir() / "meta" / "not_ranked.csv", dtype=str, keep_default_na=False)
    out: dict[tuple[str, int], set[str]] = {}
    for r in nr.itertuples():
        out.setdefault((r.index_code, int(r.year)), set()).add(r.province_code)
    return out


@lru_cache(maxsize=1)
def source_ids() -> set[str]:
    s = pd.read_csv(bundled_data_dir() / "sources.csv", dtype=str, keep_default_na=False)
    return set(s.source_id)


@dataclass
class Case:
    """One province-year in one language: the profile, its claims and the sentences written."""

    profile: object
    claims: list
    lang: str

    def __post_init__(self):
        p, lang = self.profile, self.lang
        self.headline = {
            r.index_code: index_sentence(p, r, lang) for r in p.indices if r.value is not None or r.rank is not None
        }
        self.components = {r.index_code: components_paragraph(r, lang) for r in p.indices}
        self.caveats = [(c, caveat_text(c, lang)) for c in p.caveats]
        from parlib.present.tables import scorecard

        card = scorecard(p, lang)
        self.scorecard = {code: row for code, row in zip([r.index_code for r in p.indices], card.to_dict("records"))}

    @property
    def where(self) -> str:
        return f"{self.profile.province.name_en} {self.profile.year} {self.lang}"

    def text(self) -> str:
        return "\n".join(list(self.headline.values()) + list(self.components.values()) + [t for _, t in self.caveats])


def _name(profile, code: str, lang: str) -> str:
    from parlib.data.registry import province

    p = province(code, unit_set="VN63")
    return p.name_vi if lang == "vi" else p.name_en


# I1 ------------------------------------------------------------------------------------------------
def i1_denominators(case: Case) -> list[str]:
    """Every rank's denominator is the publisher's field; a field below the units names everyone
    left out (with a source) in the same sentence."""
    out = []
    for c in case.claims:
        if c.kind != "rank":
            continue
        field, units = published_fields().get((c.index_code, c.year), (None, None))
        if field is None:
            out.append(f"{case.where}: {c.id} has no published field on record")
            continue
        if c.n_ranked != field:
            out.append(f"{case.where}: {c.id} is {c.value}/{c.n_ranked}, the publisher's field is {field}")
        s = case.headline.get(c.index_code, "")
        shown = f"{c.value}/{field}" if case.lang == "vi" else f"{fmt.ordinal(c.value)} out of {field}"
        if shown not in s:
            out.append(f"{case.where}: the {c.index_code} sentence does not say {shown!r}")
        other = re.findall(rf"thứ {c.value}/(\d+)" if case.lang == "vi" else rf"{fmt.ordinal(c.value)} out of (\d+)", s)
        w = case.profile.index(c.index_code).written
        wrong = [n for n in other if int(n) != field and not (w is not None and int(n) == w.n_written)]
        if wrong:
            out.append(f"{case.where}: the {c.index_code} sentence gives the rank out of {wrong}, not {field}")
        if units is not None and field < units:
            for code in exclusions().get((c.index_code, c.year), ()):
                if _name(case.profile, code, case.lang) not in s:
                    out.append(f"{case.where}: {c.index_code} field {field}/{units} without naming {code}")
            if not any(e.kind == "exclusion" and e.source_id in source_ids() for e in c.evidence):
                out.append(f"{case.where}: {c.id}: a partial field without a sourced exclusion record")
    return out


# I2 ------------------------------------------------------------------------------------------------
CHANGE_EN = re.compile(r"\b(up|down|rose|fell) [\d.,]+ (percentage )?points?\b")
CHANGE_VI = re.compile(r"\b(tăng|giảm) [\d.,]+ ?(điểm|%)")


def i2_no_change_across_breaks(case: Case) -> list[str]:
    """No score change is stated between non-comparable values, the total included; a comparable
    total change has no rescaled part and crosses at most one methodology change."""
    out = []
    pattern = CHANGE_VI if case.lang == "vi" else CHANGE_EN
    for c in case.claims:
        if c.kind == "score_change":
            r = case.profile.index(c.index_code)
            s = case.headline.get(c.index_code, "")
            head = s.split(". ")[0]  # the sentence that states the changes
            if c.comparable is False and pattern.search(head):
                out.append(f"{case.where}: {c.index_code} states a score change although {c.why_not}: {head[:160]}")
            if c.comparable and (any(x.change_withheld for x in r.components) or r.breaks_crossed >= 2):
                out.append(f"{case.where}: {c.index_code} change comparable although a part or two breaks are not")
        if c.kind == "component_change" and c.comparable is False:
            r = case.profile.index(c.index_code)
            comp = next(x for x in r.components if x.measure == c.measure)
            name = (comp.name_vi if case.lang == "vi" else comp.name_en).split(": ", 1)[-1].rstrip("*")
            para = case.components.get(c.index_code, "")
            if re.search(
                re.escape(name) + (r" (tăng|giảm) [\d,]" if case.lang == "vi" else r" (rose|fell) [\d.]"), para
            ):
                out.append(f"{case.where}: the change of {c.measure} is stated though its scale changed")
    return out


# I3 ------------------------------------------------------------------------------------------------
def i3_intervals(case: Case) -> list[str]:
    """An interval is stated at the level its own data show (half-width / SE), the margin quoted is
    half the interval printed, and a plausible-rank range counts every ranked province."""
    out = []
    for c in case.claims:
        if c.kind != "interval":
            continue
        r = case.profile.index(c.index_code)
        s = case.headline.get(c.index_code, "")
        if r.se:
            z = (r.ci_high - r.ci_low) / (2 * r.se)
            level = {1.645: 90, 1.96: 95}.get(round(z, 3))
            if level is None or f"{level}%" not in s:
                out.append(
                    f"{case.where}: {c.index_code} interval (z = {z:.3f}) is not stated at its level in {s[-160:]!r}"
                )
            if level is not None and f"{ {90: 95, 95: 90}[level] }%" in s:
                out.append(f"{case.where}: {c.index_code} interval stated at another level too")
            if r.margin is None or abs(r.margin - (r.ci_high - r.ci_low) / 2) > 1e-9:
                out.append(f"{case.where}: {c.index_code} margin {r.margin} is not half the interval")
        if r.rank_range is not None and r.rank_range[1] > (r.n_ranked or 0):
            out.append(f"{case.where}: {c.index_code} rank range {r.rank_range} beyond the {r.n_ranked} ranked")
        tail = re.split(r"plausible rank|thứ hạng hợp lý", s)[-1]
        if r.rank_range is not None and not re.search(rf"\b{r.n_ranked}\b", tail):
            out.append(f"{case.where}: {c.index_code} rank range does not say it counts the {r.n_ranked} ranked")
    return out


# I4 ------------------------------------------------------------------------------------------------
NOT_PUBLISHED = ("not published", "không được công bố", "was not published")


def i4_status_has_record(case: Case) -> list[str]:
    """Every status claim has a record behind it; "not ranked" only with an exclusion record;
    "not published" is never said of a figure parlib merely lacks."""
    out = []
    for c in case.claims:
        if c.kind != "status":
            continue
        if not c.evidence:
            out.append(f"{case.where}: {c.id} ({c.status}) without evidence")
        if c.status == "not_ranked":
            ok = case.profile.province.code in exclusions().get((c.index_code, c.year), set())
            if not ok or not all(e.source_id in source_ids() for e in c.evidence):
                out.append(f"{case.where}: {c.id} says not ranked without a sourced exclusion record")
        if c.status == "top_n_not_held" and not all(e.source_id in source_ids() for e in c.evidence):
            out.append(f"{case.where}: {c.id} says the publisher printed only its leaders without a source")
    text = case.text().lower()
    for phrase in NOT_PUBLISHED:
        if phrase in text:
            out.append(f"{case.where}: says {phrase!r}")
    said_not_ranked = [
        c.index_code for c, t in case.caveats if c.code == "index_missing" and c.params.get("reason") == "not_ranked"
    ]
    for idx in said_not_ranked:
        if case.profile.province.code not in exclusions().get((idx, case.profile.year), set()):
            out.append(f"{case.where}: {idx} 'not ranked' without an exclusion record")
    return out


# I5 ------------------------------------------------------------------------------------------------
def i5_one_figure(case: Case) -> list[str]:
    """The figure a claim holds is the figure the sentence shows (score to 2 decimals, rank)."""
    out = []
    for c in case.claims:
        s = case.headline.get(c.index_code, "")
        if c.kind == "score":
            shown = fmt.number(c.value, case.lang)
            if shown not in s:
                out.append(f"{case.where}: {c.id} = {shown} is not the figure in the sentence")
        if c.kind == "rank_change" and c.comparable and c.value:
            n = abs(c.value)
            words = (
                (f"{'tăng' if c.value > 0 else 'giảm'} {n} bậc")
                if case.lang == "vi"
                else (f"{'up' if c.value > 0 else 'down'} {n} place")
            )
            if words not in s:
                out.append(f"{case.where}: {c.id} = {c.value} is not stated as {words!r}")
        if c.kind == "rank":
            cell = list(case.scorecard[c.index_code].values())[2]
            want = f"{c.value}/{c.n_ranked}" if case.lang == "vi" else f"{fmt.ordinal(c.value)}/{c.n_ranked}"
            if not cell.lstrip("=").startswith(want):
                out.append(f"{case.where}: {c.id} is {want} in the claim, {cell!r} in the scorecard")
        if c.kind == "score_change":
            cell = list(case.scorecard[c.index_code].values())[4]
            if c.comparable is False and any(ch.isdigit() for ch in cell):
                out.append(f"{case.where}: the scorecard states a change the claim says is not comparable: {cell!r}")
    return out


CHECKS = {
    "I1": i1_denominators,
    "I2": i2_no_change_across_breaks,
    "I3": i3_intervals,
    "I4": i4_status_has_record,
    "I5": i5_one_figure,
}

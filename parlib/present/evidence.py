"""Sentences that state a coverage record: the publisher's field, who it left out and why, how a
source's "/63" reconciles with it, and why a change is not stated. Every sentence cites the source
ids of the records it states; none counts, ranks or subtracts (the engine did)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from parlib._vocab import index_facts
from parlib._words import in_lang, localized
from parlib.present import fmt
from parlib.present.catalogue import Section

if TYPE_CHECKING:
    from parlib.engine.results import Exclusion, FieldRecord, IndexResult

#: The words of this module, per language; ``{fields}`` are filled with formatted figures.
EVIDENCE = Section("evidence")  #: the catalogues' evidence.* texts (nested ones as "not_comparable.breaks")


def cite(ids: list[str], lang: str) -> str:
    """'[source: a; b]' for the distinct ids, in order."""
    seen = list(dict.fromkeys(i for i in ids if i))
    return EVIDENCE[lang]["cite"].format(ids="; ".join(seen)) if seen else ""


def _join(names: list[str], lang: str) -> str:
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + EVIDENCE[lang]["and"] + names[-1]


def _reason(e: Exclusion, lang: str) -> str:
    return localized(e.reason, "reason", lang)


def exclusions_words(excluded: list[Exclusion], lang: str) -> list[str]:
    """'Bac Giang and Bac Ninh were not ranked: <reason> [source: …]', grouped by the reason."""
    w = EVIDENCE[lang]
    groups: dict[str, list[Exclusion]] = {}
    for e in excluded:
        groups.setdefault(_reason(e, lang), []).append(e)
    out = []
    for reason, es in groups.items():
        names = _join([localized(e, "name", lang) for e in es], lang)
        ids = [x.source_id for e in es for x in e.reasons]
        out.append(f"{w['excluded'].format(names=names, reason=reason)} {cite(ids, lang)}".strip())
    return out


def _field_parts(f: FieldRecord, index_code: str, lang: str) -> list[str]:
    """'UNDP ranked 61 of the 63 … [source]' and one part per reason provinces were left out."""
    from parlib.present.catalogue import index_name

    w = EVIDENCE[lang]
    key = "field_unconfirmed" if f.basis == "unconfirmed" else "field"
    head = w[key].format(
        publisher=index_facts(index_code).publisher(lang),
        n=f.n_ranked,
        units=f.n_units,
        year=f.year,
        index=index_name(index_code, lang),
    )
    return [f"{head} {cite([f.source_id], lang)}".strip()] + exclusions_words(f.excluded, lang)


def _sentence(parts: list[str]) -> str:
    text = "; ".join(p.rstrip(".") for p in parts)
    return text[0].upper() + text[1:] + "."


def field_sentence(r: IndexResult, province_code: str, lang: str) -> str:
    """When the publisher ranked fewer provinces than there are: how many, who was left out and
    why, each with its source; and how a source's "/63" reconciles with the rank. "" otherwise."""
    f: FieldRecord | None = r.coverage
    if f is None or r.rank is None or not f.partial:
        return ""
    w = EVIDENCE[lang]
    parts = _field_parts(f, r.index_code, lang)
    if r.written is not None and r.written.n_written != f.n_ranked:
        own = r.written.source_kind == "gov_portal"
        parts.append(
            w["written"].format(
                source_words=w["own_source_words" if own else "source_words"],
                written=f"{r.written.rank}/{r.written.n_written}",
                units=r.written.n_written,
                n=f.n_ranked,
            )
            + " "
            + cite([r.written.source_id], lang)
        )
    return _sentence(parts)


def not_comparable_sentence(r: IndexResult, lang: str) -> str:
    """Why the score change is not stated, when both scores are known ("" otherwise)."""
    if f"not_comparable.{r.change_not_comparable}" not in EVIDENCE[lang] or r.base_year is None:
        return ""
    from parlib.present.catalogue import index_name

    w = EVIDENCE[lang]
    names = {c.measure: localized(c, "name", lang) for c in r.components}
    parts = _join([names.get(m, m) for m in r.not_comparable_parts], lang)
    return w[f"not_comparable.{r.change_not_comparable}"].format(
        index=index_name(r.index_code, lang), base=r.base_year, parts=parts, n=fmt.number(r.breaks_crossed, lang, 0)
    )


def left_words(r: IndexResult, lang: str) -> list[str]:
    """Who was ranked in only one of the two years: this year's absentees by name (the field
    sentence gives their reasons), the base year's with their reasons and sources."""
    w = EVIDENCE[lang]
    out = []
    if r.left:
        names = _join([in_lang(n, lang) for n in r.left_names], lang)
        out.append(w["left_names"].format(names=names, year=r.year))
    if r.entered:
        recs = {e.province_code: e for e in (r.base_coverage.excluded if r.base_coverage is not None else [])}
        groups: dict[str, list[str]] = {}
        ids: dict[str, list[str]] = {}
        for code, n in zip(r.entered, r.entered_names):
            e = recs.get(code)
            reason = _reason(e, lang) if e is not None else w["no_reason"]
            groups.setdefault(reason, []).append(in_lang(n, lang))
            ids.setdefault(reason, []).extend(x.source_id for x in e.reasons) if e is not None else None
        for reason, ns in groups.items():
            text = w["left_reason"].format(names=_join(ns, lang), year=r.base_year, reason=reason)
            out.append(f"{text} {cite(ids.get(reason, []), lang)}".strip())
    return out


def overview_field_sentence(o, lang: str) -> str:
    """The overview's version of :func:`field_sentence`: the publisher's field of the year, who was
    left out and why, each with its source ("" when every unit was ranked)."""
    f = o.coverage
    if f is None or not f.partial:
        return ""
    return _sentence(_field_parts(f, o.index_code, lang))


def overview_change_sentence(o, lang: str) -> str:
    """Why the overview shows no score changes for the year ("" when it shows them)."""
    if not o.change_not_comparable:
        return ""
    return EVIDENCE[lang][f"overview_not_comparable.{o.change_not_comparable}"]

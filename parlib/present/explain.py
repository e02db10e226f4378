"""``parlib summary --explain``: each sentence of the narrative followed by the claims it states and
the records behind them (source id, title, address), so a reader can check every figure.

The sentences are the narrative's own (:mod:`parlib.present.narrative`); the claims are the
engine's (:func:`parlib.engine.claims.claims`): this module only puts them side by side.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from parlib.present.catalogue import Section
from parlib.present.narrative import caveat_text, components_paragraph, index_sentence, remedies_paragraph

if TYPE_CHECKING:
    from parlib.engine.claims import Claim
    from parlib.engine.results import Profile

#: The claims each kind of sentence states.
HEADLINE_KINDS = ("score", "rank", "rank_change", "score_change", "gap_national", "group", "interval")
COMPONENT_KINDS = ("component_change", "published_change")
LABEL = Section("explain")  #: the catalogues' explain.* texts


def _figure(c: Claim, lang: str) -> str:
    w = LABEL[lang]
    if c.kind == "status":
        return f"{c.id}: {c.status}"
    if c.comparable is False:
        return f"{c.id}: {w['not_comparable']} ({c.why_not}; {c.base_year}: {c.base_value})"
    v = f"{c.value:.4g}" if isinstance(c.value, float) else str(c.value)
    extra = w["of_field"].format(n=c.n_ranked) if c.kind == "rank" and c.n_ranked else ""
    has_base = c.base_year is not None and c.base_value is not None
    base = w["versus"].format(year=c.base_year, value=c.base_value) if has_base else ""
    return f"{c.id} = {v}{extra}{base}"


def _evidence_lines(c: Claim, titles: dict[str, str], lang: str) -> list[str]:
    out = [f"    - {_figure(c, lang)}"]
    for e in c.evidence:
        where = titles.get(e.source_id, e.source_id) if e.source_id else LABEL[lang]["no_source"]
        detail = f' "{e.detail}"' if e.detail else ""
        out.append(f"        {e.kind}: {where}{detail}")
    return out


def explain(profile: Profile, claims: list[Claim], lang: str = "en") -> str:
    """The narrative's headline, component and caveat sentences, each followed by its evidence."""
    titles = {
        s["source_id"]: f"{s['source_id']} ({s.get('producer', '')}{', ' + s['title'] if s.get('title') else ''}"
        f"{', ' + s['url'] if s.get('url') else ''})"
        for s in profile.sources
    }
    by_index: dict[str, list[Claim]] = {}
    for c in claims:
        by_index.setdefault(c.index_code, []).append(c)
    out = []
    for r in profile.indices:
        mine = by_index.get(r.index_code, [])
        if r.value is not None or r.rank is not None:
            out += [index_sentence(profile, r, lang), f"  {LABEL[lang]['evidence']}:"]
            for c in mine:
                if c.kind in HEADLINE_KINDS:
                    out += _evidence_lines(c, titles, lang)
            out.append("")
        comp = components_paragraph(r, lang)
        if comp:
            out += [comp, f"  {LABEL[lang]['evidence']}:"]
            for c in mine:
                if c.kind in COMPONENT_KINDS or c.id == f"{r.index_code}.components":
                    out += _evidence_lines(c, titles, lang)
            out.append("")
    by_measure = {(c.index_code, c.measure): c for c in claims if c.kind in COMPONENT_KINDS}
    for m, line in zip(profile.remedies, remedies_paragraph(profile, lang)):
        out += [line, f"  {LABEL[lang]['evidence']}:"]
        c = by_measure.get((m.index_code, m.measure))
        if c is not None:
            out += _evidence_lines(c, titles, lang)
        rank = f"{m.rank}/{m.n_ranked}" if m.rank is not None else ""
        where = titles.get(m.source_id, m.source_id) if m.source_id else LABEL[lang]["no_source"]
        out += [f"    - {m.index_code}.{m.measure}.level = {m.value} {rank}".rstrip(), f"        score: {where}"]
        out.append("")
    for cav in profile.caveats:
        out += [caveat_text(cav, lang), f"  {LABEL[lang]['evidence']}:"]
        status = [c for c in by_index.get(cav.index_code, []) if c.kind == "status" and c.measure == "TOTAL"]
        if cav.code == "index_missing" and status:
            out += _evidence_lines(status[0], titles, lang)
        else:
            out += _caveat_record(cav, titles, lang)
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _caveat_record(cav, titles: dict[str, str], lang: str) -> list[str]:
    """The record a caveat states: its parameters, and the sources among them."""
    plain = {k: v for k, v in cav.params.items() if not isinstance(v, (list, dict)) and v not in (None, "")}
    lines = [f"    - {cav.code}: " + ", ".join(f"{k}={v}" for k, v in plain.items())]
    ids = [str(v) for k, v in cav.params.items() if k.endswith("source_id") and v]
    ids += [x.get("source_id", "") for x in cav.params.get("reasons", []) if x.get("source_id")]
    lines += [f"        source: {titles.get(i, i)}" for i in dict.fromkeys(ids)]
    if not ids:
        lines.append(f"        data: {LABEL[lang]['no_source']}")
    return lines

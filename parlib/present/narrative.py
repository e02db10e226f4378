"""Profile → Markdown in the Ministry's register, in any language with a catalogue.

The narrative never computes a figure: every number it prints is a field of the profile (and so
a row of ``data/`` or arithmetic of :mod:`parlib.engine.deltas`). Where a figure is missing it says
what is missing; where only published changes exist it cites them.

Phrase patterns follow the official texts (DOMAIN §7): "ranked 12th out of 63 provinces and
cities, maintaining its position compared with 2021"; "xếp thứ 12/63 tỉnh, thành phố, giữ
nguyên vị trí so với năm 2021"; percentage-point changes are "rose 8.12 percentage points" in
English and "tăng 8,12%" in Vietnamese, as officials write them. Each of these is a template of the catalogues (``narr.*``, ``caveat.*``):
word order, units and plural forms are the language's, the figures the profile's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import parlib._words as _words
from parlib._vocab import index_facts
from parlib._words import localized
from parlib.present import evidence, fmt, sections
from parlib.present.catalogue import (
    BASELINE,
    PRIORITY,
    UNCERTAINTY,
    check_lang,
    group_name,
    index_name,
    plural,
    word,
)
from parlib.present.catalogue import NARRATIVE_HEAD as HEAD

if TYPE_CHECKING:
    from parlib.engine.results import Caveat, IndexResult, Profile


def _unit_words(r: IndexResult, lang: str) -> str:
    return word("unit_words.pp" if r.unit == "pp" else "unit_words.points", lang)


def amount(n: str, unit: str, lang: str) -> str:
    """'8.12 percentage points' / '8,12%'; '0.66 points' / '0,66 điểm' (``n`` already formatted)."""
    return word("amount.pp" if unit == "pp" else "amount.points", lang, n=n)


def change_words(delta: float | None, unit: str, lang: str, decimals: int = 2, trim: bool = False) -> str:
    """'rose 8.12 percentage points' / 'tăng 8,12%'; 'fell 0.66 points' / 'giảm 0,66 điểm'.

    ``trim`` drops trailing zeros, to quote a published figure as printed ("fell 25%").
    """
    if delta is None:
        return ""
    n = fmt.number(abs(delta), lang, decimals)
    if trim and fmt.decimal_symbol(lang) in n:
        n = n.rstrip("0").rstrip(",.")
    if delta == 0:
        return word("narr.change.none", lang)
    return word(f"narr.change.{'up' if delta > 0 else 'down'}_{'pp' if unit == 'pp' else 'points'}", lang, n=n)


def updown_words(delta: float, unit: str, lang: str, decimals: int = 2) -> str:
    """'up 2.65 percentage points' / 'tăng 2,65%' (headline form of a score change)."""
    if delta == 0:
        return word("narr.updown.none", lang)
    n = fmt.number(abs(delta), lang, decimals)
    return word(f"narr.updown.{'up' if delta > 0 else 'down'}_{'pp' if unit == 'pp' else 'points'}", lang, n=n)


def rank_change_words(change: int | None, base_year: int | None, lang: str) -> str:
    """'up 3 places' / 'tăng 3 bậc'; 'down 6 places'; 'maintaining its position'."""
    if change is None or base_year is None:
        return ""
    if change == 0:
        return word("narr.rank_change.same", lang, base=base_year)
    key = "narr.rank_change.up" if change > 0 else "narr.rank_change.down"
    return plural(key, abs(change), lang).format(n=abs(change), base=base_year)


def unit_name(province, lang: str, capital: bool = False) -> str:
    """A province or city named in a sentence: 'Hưng Yên' / 'tỉnh Hưng Yên' ('Tỉnh Hưng Yên' as
    a subject); ``province`` is a registry record or a dict with ``type`` and ``name_<lang>``."""
    kind_of = province["type"] if isinstance(province, dict) else province.type
    kind = "city" if kind_of == "city" else "province"
    name = localized(province, "name", lang)
    return word(f"unit.{kind}_subject" if capital else f"unit.{kind}", lang, name=name)


def _name(profile: Profile, lang: str, capital: bool = False) -> str:
    return unit_name(profile.province, lang, capital)


def _pronoun(profile: Profile, lang: str, capital: bool = True) -> str:
    """'It' / 'Tỉnh' or 'Thành phố': the subject of a sentence about the province."""
    kind = "city" if profile.province.type == "city" else "province"
    return word(f"unit.{'pronoun' if capital else 'pronoun_lower'}.{kind}", lang)


def _denominator(r: IndexResult, lang: str) -> str:
    """'12th out of 63 provinces and cities' / '12/63 tỉnh, thành phố'."""
    return word("narr.hl.denominator", lang, rank=fmt.ordinal(r.rank, lang), n=r.n_ranked)


def index_sentence(profile: Profile, r: IndexResult, lang: str) -> str:
    """One headline sentence for one index."""
    iname = index_name(r.index_code, lang)
    facts = index_facts(r.index_code)
    score = fmt.score(r.value, r.index_code, lang) if r.value is not None else None
    parts = []
    s = word("narr.hl.open", lang, year=r.year, who=_name(profile, lang), index=iname)
    if score:
        s += word("narr.hl.reached", lang, score=score)
        if facts.states_scale_max and r.scale_max:
            s += word("narr.hl.out_of", lang, max=fmt.number(r.scale_max, lang, 0))
    if r.rank is not None:
        key = f"narr.hl.{'ranking' if score else 'ranked'}{'_tied' if r.tied else ''}"
        s += (", " if score else " ") + word(key, lang, rank=_denominator(r, lang))
    parts.append(s)
    moves = []
    if r.delta is not None and r.base_year is not None:
        moves.append(updown_words(r.delta, r.unit, lang))
    rc = rank_change_words(r.rank_change, r.base_year, lang)
    if rc:
        moves.append(rc)
    elif moves:
        moves[-1] += word("narr.hl.compared", lang, base=r.base_year)
    if moves:
        parts.append(word("word.and", lang).join(moves))
    sentence = ", ".join(parts)
    if r.base_rank is not None and r.rank_change:
        sentence += word("narr.hl.from_rank", lang, rank=fmt.ordinal(r.base_rank, lang), base=r.base_year)
    if r.rank_change_like is not None and r.rank_change_like != r.rank_change:
        sentence += _like_for_like_words(profile, r, lang)
    if r.scale_changed:
        sentence += word(
            "narr.hl.scale_changed",
            lang,
            base=r.base_year,
            base_max=fmt.number(r.base_scale_max, lang, 0),
            max=fmt.number(r.scale_max, lang, 0),
        )
    # a streak of 2 is "maintaining its position compared with <base>", already said; a leader's
    # streak is said once, as leading the country
    if r.same_rank_streak >= 3 and r.rank_change == 0 and r.top_streak < 2:
        sentence += word("narr.hl.streak", lang, nth=fmt.ordinal(r.same_rank_streak, lang))
    if r.top_streak >= 2:
        sentence += word("narr.hl.top_streak", lang, n=r.top_streak)
    # the records of the figures just stated: this year's score and rank, the base year's
    sentence += " " + evidence.cite([r.source_id, r.rank_source_id, r.base_source_id], lang) + "."
    extra = [
        x
        for x in (evidence.field_sentence(r, profile.province.code, lang), evidence.not_comparable_sentence(r, lang))
        if x
    ]
    scheme = index_facts(r.index_code).group_scheme
    gname = group_name(r.index_code, r.group, lang)
    if r.group and scheme == "par_band":
        extra.append(
            word("narr.hl.par_band", lang, it=_pronoun(profile, lang), group=r.group, band=_par_band(r.group, lang))
        )
    elif r.group and scheme == "papi_quartile":
        extra.append(
            word("narr.hl.quartile", lang, it=_pronoun(profile, lang), gname=gname.lower(), group=r.group, year=r.year)
        )
    if r.gap_national is not None and r.national_avg is not None:
        avg = fmt.score(r.national_avg, r.index_code, lang)
        gap = amount(fmt.number(abs(r.gap_national), lang), r.unit, lang)
        basis = "" if r.avg_basis == "published" else word("narr.hl.basis_mean", lang)
        key = "narr.hl.gap_above" if r.gap_national > 0 else "narr.hl.gap_below"
        extra.append(word(key, lang, amount=gap, avg=avg, basis=basis))
    elif r.value is None and r.national_avg is not None:
        avg = fmt.score(r.national_avg, r.index_code, lang)
        extra.append(word("narr.hl.no_score_gap", lang, year=r.year, avg=avg))
    if r.regional_avg is not None and r.gap_regional is not None:
        key = "narr.hl.regional_higher" if r.gap_regional > 0 else "narr.hl.regional_lower"
        extra.append(
            word(
                key,
                lang,
                region=localized(profile.province, "region", lang),
                avg=fmt.score(r.regional_avg, r.index_code, lang),
                amount=amount(fmt.number(abs(r.gap_regional), lang), r.unit, lang),
            )
        )
    extra += _interval_words(r, lang)
    return " ".join([sentence] + extra)


def _interval_words(r: IndexResult, lang: str) -> list[str]:
    """The headline's reading of the published interval, at the level read from the data: the
    plausible rank among all ranked provinces, and a change or gap within the margin of error."""
    if r.ci_level is None:
        return []
    w, out = UNCERTAINTY[lang], []
    if r.rank_range:
        best, worst = (fmt.ordinal(x, lang) for x in r.rank_range)
        ci = f"{fmt.number(r.ci_low, lang)}–{fmt.number(r.ci_high, lang)}" if r.ci_low is not None else fmt.DASH
        out.append(
            w["headline_range"].format(
                index=index_name(r.index_code, lang), level=r.ci_level, ci=ci, best=best, worst=worst, n=r.n_ranked
            )
        )
    if r.change_significant is False:
        out.append(w["change_no"].format(base=r.base_year, level=r.ci_level))
    if r.gap_significant is False:
        margin = fmt.number(r.margin, lang) if r.margin is not None else fmt.DASH
        out.append(w["gap_no"].format(level=r.ci_level, margin=margin))
    return out


def _like_for_like_words(profile: Profile, r: IndexResult, lang: str) -> str:
    """'; among the 60 provinces ranked in both years it rose 24 places (not ranked in 2021: Quảng
    Ninh, …)' — the like-for-like rank change when the field changed; who left this year is named
    (their reasons follow in the field sentence), who was not ranked in the base year with reasons."""
    k = r.rank_change_like
    if k == 0:
        move = word("narr.like.kept", lang)
    else:
        move = plural("narr.like.rose" if k > 0 else "narr.like.fell", abs(k), lang).format(k=abs(k))
    out = word("narr.like.sentence", lang, n=r.n_common, it=_pronoun(profile, lang, capital=False), move=move)
    who = evidence.left_words(r, lang)
    return out + (f" ({'; '.join(who)})" if who else "")


def predecessors_sentence(profile: Profile, index_code: str, lang: str) -> str:
    """'Before the July 2025 merger, in 2024 the former Hưng Yên province ranked 12th/63 and …'."""
    items = [d for d in profile.predecessors if d["index_code"] == index_code]
    if not items:
        return ""
    iname = index_name(index_code, lang)
    parts = []
    for d in items:
        score = fmt.score(d["value"], index_code, lang) if d["value"] is not None else None
        rank = fmt.rank_of(d["rank"], d["n_ranked"], lang) if d["rank"] is not None else None
        what = ", ".join(
            x
            for x in (
                word("narr.pred.scored", lang, score=score) if score else "",
                word("narr.pred.ranked", lang, rank=rank) if rank else "",
            )
            if x
        )
        kind = "city" if d["type"] == "city" else "province"
        parts.append(word(f"narr.pred.item.{kind}", lang, name=localized(d, "name", lang), what=what, year=d["year"]))
    return word("narr.pred.sentence", lang, index=iname, items="; ".join(parts))


def _former(d: dict, lang: str) -> str:
    """'the former Thai Binh province' / 'tỉnh Thái Bình (cũ)'."""
    w = BASELINE[lang]
    return w["former"].format(name=localized(d, "name", lang), kind=w["city" if d["type"] == "city" else "province"])


def formed_from_sentence(profile: Profile, lang: str) -> str:
    """Which 63-unit provinces formed a 34-unit province ("" for the 63 units)."""
    olds = profile.formed_from
    if not olds:
        return ""
    w = BASELINE[lang]
    unit = _name(profile, lang, capital=True)
    if len(olds) == 1:
        return w["kept"].format(unit=unit, names=_former(olds[0], lang))
    names = [_former(d, lang) for d in olds]
    joined = ", ".join(names[:-1]) + word("word.and", lang) + names[-1]
    return w["formed"].format(unit=unit, names=joined)


def no_own_sentence(profile: Profile, lang: str) -> str:
    """'No index has published results for Hung Yen for 2025 yet.' (a 34-unit province)."""
    return BASELINE[lang]["no_own"].format(unit=_name(profile, lang), year=profile.year)


def baseline_cell(b, lang: str) -> str:
    """What one predecessor shows in the baseline: its score and rank, or why it has none."""
    w = BASELINE[lang]
    iname = index_name(b.index_code, lang)
    if b.status == "published":
        parts = []
        if b.value is not None:
            score = fmt.score(b.value, b.index_code, lang)
            if index_facts(b.index_code).states_scale_max and b.scale_max:
                score += w["out_of"].format(max=fmt.number(b.scale_max, lang, 0))
            parts.append(w["scored"].format(score=score))
        if b.rank is not None:
            parts.append(w["ranked"].format(rank=fmt.rank_of(b.rank, b.n_ranked, lang)))
        return ", ".join(parts)
    if b.status == "top_n_not_held":
        publisher = index_facts(b.index_code).publisher(lang)
        return w["top_n_not_held"].format(publisher=publisher, n=b.n_published)
    return w["not_in_data"].format(index=iname, byear=b.year)


def baseline_sentence(profile: Profile, index_code: str, lang: str) -> str:
    """'PAPI: no result of Hung Yen has been published for 2025. Baseline, PAPI 2024, …: the
    former Hung Yen province scored …, ranked 19th/61; the former Thai Binh province …'."""
    rows = [b for b in profile.baseline if b.index_code == index_code]
    if not rows:
        return ""
    w = BASELINE[lang]
    iname = index_name(index_code, lang)
    items = "; ".join(f"{_former(vars(b), lang)}: {baseline_cell(b, lang)}" for b in rows)
    return w["intro"].format(index=iname, unit=_name(profile, lang), year=profile.year, byear=rows[0].year, rows=items)


def _par_band(group: str, lang: str) -> str:
    return word(f"narr.par_band.{group}", lang)


def components_paragraph(r: IndexResult, lang: str) -> str:
    """What rose and fell among an index's components, or the published changes, or what is missing."""
    iname = index_name(r.index_code, lang)
    out = []
    comps = [c for c in r.components if c.value is not None]
    moved = [c for c in comps if c.delta is not None]
    if comps:
        up = sorted([c for c in moved if c.delta > 0], key=lambda c: -c.delta)
        down = sorted([c for c in moved if c.delta < 0], key=lambda c: c.delta)
        unit = "points"
        k = r.component_counts
        s = word("narr.comp.intro", lang, index=iname, n=k["n"], word=index_facts(r.index_code).component_word(lang))
        if k["moved"]:
            s += word("narr.comp.moved", lang, rose=k["rose"], fell=k["fell"], base=r.base_year)
        out.append(s + ".")
        for key, lst in (("narr.comp.rose", up), ("narr.comp.fell", down)):
            if lst:
                items = "; ".join(
                    f"{_short(localized(c, 'name', lang))} {change_words(c.delta, unit, lang)}" for c in lst
                )
                out.append(word(key, lang, items=items))
        if k["above"] or k["below"]:
            out.append(word("narr.comp.above_below", lang, above=k["above"], below=k["below"]))
    elif r.published_changes:
        pc = r.published_changes
        unit = "pp" if pc[0].unit == "percentage points" else "points"
        items = "; ".join(
            f"{_short(localized(c, 'name', lang))} {change_words(c.delta, unit, lang, trim=True)}"
            for c in pc
            if c.delta is not None
        )
        out.append(
            word(
                "narr.comp.published",
                lang,
                index=iname,
                year=r.year,
                base=pc[0].base_year,
                items=items,
                source=pc[0].source_id,
            )
        )
    elif index_facts(r.index_code).component_tables == "image":
        out.append(word("narr.comp.image", lang, index=iname, year=r.year))
    return " ".join(out)


def _short(name: str) -> str:
    """'Chỉ số nội dung 7: Quản trị môi trường' → 'Quản trị môi trường' (drop the numbering)."""
    return name.split(": ", 1)[-1].rstrip("*")


class _Fields(dict):
    """A caveat's parameters for a template: a parameter the caveat lacks reads "None", as before."""

    def __missing__(self, key):
        return "None"


def caveat_text(c: Caveat, lang: str) -> str:
    """One caveat in words: the template ``caveat.<code>`` filled with the caveat's parameters."""
    iname = index_name(c.index_code, lang) if c.index_code else ""
    grouped = bool(c.index_code and index_facts(c.index_code).group_scheme)  # the publisher's groups
    p = c.params
    f = _Fields(p, index=iname)
    key = c.code
    if c.code == "index_missing":
        return _missing_words(iname, p, lang)
    if c.code == "fallback":
        key = "fallback_unranked" if p.get("reasons") else "fallback_no_data"
        f["reasons"] = "".join(
            word(
                "caveat.fallback_reason",
                lang,
                year=x.get("year"),
                reason=localized(x, "reason", lang),
                cite=evidence.cite([x["source_id"]], lang),
            )
            for x in p.get("reasons", [])
        )
    elif c.code == "break":
        f.update(base_label=localized(p, "base_label", lang), label=localized(p, "label", lang))
    elif c.code == "rank_computed" and grouped:
        key = "rank_computed_grouped"
    elif c.code == "components_missing" and p.get("published_changes"):
        key = "components_missing_cited"
    elif c.code == "partial_field":
        f["cite"] = evidence.cite([p.get("source_id", "")], lang)
    elif c.code == "scale_break":
        f["names"] = ", ".join(localized(p, "names", lang) or [])
    return _words.text(f"caveat.{key}", lang).format_map(f)


def _missing_words(iname: str, p: dict, lang: str) -> str:
    why = p.get("reason")
    f = _Fields(p, index=iname)
    if why == "not_ranked":
        f["why"] = "; ".join(
            f"{localized(x, 'reason', lang)} {evidence.cite([x['source_id']], lang)}" for x in p["reasons"]
        )
    elif why == "top_n_not_held":
        f["cite"] = evidence.cite([p.get("source_id")], lang)
    elif why == "no_year" and p.get("last_year"):
        why = "no_year_last"
    elif why not in ("no_year", "not_in_data"):
        why = "other"
    return _words.text(f"caveat.missing.{why}", lang).format_map(f)


def _published_words(delta, rank_change, unit: str, base_year, lang: str) -> str:
    """'fell 25 percentage points since 2021 (published change; no level in the data)' /
    'giảm 25% so với năm 2021 (thay đổi đã công bố; chưa có điểm số của lĩnh vực)'."""
    w = PRIORITY[lang]
    parts = []
    if delta is not None:
        parts.append(
            change_words(delta, "pp" if unit == "percentage points" else "points", lang, trim=True)
            + " "
            + w["since"].format(year=base_year)
        )
    if rank_change is not None and rank_change < 0:
        n = -rank_change
        parts.append(plural("priority.places_down", n, lang).format(n=n, year=base_year))
    return ", ".join(parts) + f" ({w['published']})"


def _item_name(x, lang: str) -> str:
    return _short(localized(x, "name", lang))


def remedies_paragraph(profile: Profile, lang: str, limit: int = 5) -> list[str]:
    """Priority components in the profile's order (weaknesses first, levels and published changes
    on one list), with the figures behind them; the what-if only where a level exists."""
    w = PRIORITY[lang]
    out = []
    for m in profile.remedies[:limit]:
        name = _short(localized(m, "name", lang))
        iname = index_name(m.index_code, lang)
        if m.basis == "published_change":
            out.append(
                f"**{name}** ({iname}): "
                + _published_words(m.published_delta, m.published_rank_change, m.published_unit, m.base_year, lang)
                + "."
            )
            continue
        facts = []
        if m.rank is not None:
            facts.append(fmt.rank_of(m.rank, m.n_ranked, lang) + (f" ({w['bottom_quarter']})" if m.tier == 1 else ""))
        if m.points_lost is not None:
            facts.append(w["lost"].format(x=fmt.number(m.points_lost, lang), year=m.base_year))
        if m.gap_below_avg is not None:
            facts.append(w["below"].format(x=fmt.number(m.gap_below_avg, lang)))
        if m.distance_to_max is not None:
            facts.append(w["to_max"].format(x=fmt.number(m.distance_to_max, lang)))
        line = f"**{name}** ({iname}): " + ", ".join(facts)
        wi = next(
            (
                w
                for w in profile.whatif
                if w.measure == m.measure
                and w.index_code == m.index_code
                and w.scenario == "national_avg"
                and w.rank_to is not None
            ),
            None,
        )
        if wi is not None:
            line += word(
                "narr.whatif.same" if wi.rank_to == wi.rank_from else "narr.whatif.moved",
                lang,
                comp=fmt.number(wi.component_to, lang),
                index=iname,
                total=fmt.number(wi.total_to, lang),
                rank=fmt.ordinal(wi.rank_to, lang),
                rank_from=fmt.ordinal(wi.rank_from, lang),
            )
        out.append(line + ".")
    return out


def strengths_lines(profile: Profile, lang: str) -> list[str]:
    """Markdown list items: strengths (top quarter by rank, above the national average) and
    weaknesses (bottom quarter and below it, or a large published fall, labelled as a change),
    the rule in words, and that component gaps cannot be tested against the margin of error
    when the profile says no standard error exists. Nothing is classified here: the lists are
    the profile's."""
    w = PRIORITY[lang]
    items = profile.strengths + profile.weaknesses
    levels = [x for x in items if x.get("basis", "level") == "level"]
    ranked = any(c.rank is not None and c.gap_national is not None for r in profile.indices for c in r.components)
    if not items and not ranked:
        return []

    def level(x) -> str:
        return (
            f"{_item_name(x, lang)} ({index_name(x['index_code'], lang)}, "
            + (f"{fmt.rank_of(x['rank'], x['n_ranked'], lang)}, " if x["rank"] is not None else "")
            + f"{fmt.signed(x['gap_national'], lang)} {w['vs_avg']})"
        )

    def change(x) -> str:
        return f"{_item_name(x, lang)} ({index_name(x['index_code'], lang)}): " + _published_words(
            x["delta"], x["rank_change"], x["unit"], x["base_year"], lang
        )

    out = []
    for label, lst, empty in (
        (w["strengths"], profile.strengths, w["no_strengths"]),
        (w["weaknesses"], profile.weaknesses, w["no_weaknesses"]),
    ):
        text = "; ".join(change(x) if x.get("basis") == "published_change" else level(x) for x in lst)
        out.append(f"- {label}: {text or empty}")
    out.append(f"- {w['rule']}")
    if ranked and not any(x.get("se_available") for x in levels):
        out.append(f"- {w['no_se']}")
    return out


def narrate(profile: Profile, lang: str = "en") -> str:
    """The assessment as Markdown: headline, components, strengths and weaknesses, priorities,
    caveats and sources, in English (``"en"``) or Vietnamese (``"vi"``)."""
    h = HEAD[check_lang(lang)]
    title = "# " + word("narr.title", lang, who=_name(profile, lang, capital=True), year=profile.year)
    # Each section's lines, joined in the order of parlib.present.sections; ``md`` is the part being written.
    part: dict[str, list[str]] = {key: [] for key in sections.narrative()}
    md = part["headline"] = [f"## {h['headline']}", ""]
    if not profile.indices and profile.formed_from:
        md.append(no_own_sentence(profile, lang))
    elif not profile.indices:
        md.append(word("narr.no_index", lang))
    for r in profile.indices:
        if r.value is None and r.rank is None:
            continue
        md += [index_sentence(profile, r, lang), ""]
    for idx in dict.fromkeys(d["index_code"] for d in profile.predecessors):
        md += [predecessors_sentence(profile, idx, lang), ""]
    formed = formed_from_sentence(profile, lang)
    if formed:
        md += [formed, ""]
    if profile.baseline:
        md += [f"## {BASELINE[lang]['heading']}", ""]
        for idx in dict.fromkeys(b.index_code for b in profile.baseline):
            md += [baseline_sentence(profile, idx, lang), ""]
    comp = [components_paragraph(r, lang) for r in profile.indices]
    comp = [c for c in comp if c]
    if comp:
        md = part["components"] = [f"## {h['components']}", ""]
        for c in comp:
            md += [c, ""]
    sw = strengths_lines(profile, lang)
    if sw:
        part["strengths"] = [f"## {h['strengths']}", ""] + sw + [""]
    rem = remedies_paragraph(profile, lang)
    if rem:
        part["remedies"] = [f"## {h['remedies']}", ""] + [f"{i}. {line}" for i, line in enumerate(rem, 1)] + [""]
    if profile.caveats:
        part["caveats"] = [f"## {h['caveats']}", ""] + [f"- {caveat_text(c, lang)}" for c in profile.caveats] + [""]
    links = {}
    if profile.sources:
        md = part["sources"] = [f"## {h['sources']}", ""]
        for s in profile.sources:
            token = f"\0LINK{len(links)}\0"
            links[token] = link(s.get("url", ""))
            md.append(f"- {s['source_id']}: {s['producer']}, {s['title']}" + (f" {token}" if links[token] else ""))
        md.append("")
    md = [title, ""] + [line for key in part for line in part[key]]
    return safe_markdown("\n".join(md).rstrip() + "\n", links)


UNSAFE_URL_CHARS = set("()<>\"' \\`")


def link(url: str) -> str:
    """A Markdown link to an http(s) address, or "" for anything else (never javascript: etc.)."""
    url = (url or "").strip()
    if not url.lower().startswith(("http://", "https://")):
        return ""
    quoted = "".join("%{:02X}".format(ord(c)) if c in UNSAFE_URL_CHARS else c for c in url)
    host = url.split("/")[2]
    return f"[{escape_text(host)}]({quoted})"


def escape_text(text: str) -> str:
    """Escape text from data for Markdown that is rendered to HTML: no tags, no links, no emphasis."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    for ch in "\\`*_[]":
        text = text.replace(ch, "\\" + ch)
    return text


def safe_markdown(md: str, links: dict[str, str] | None = None) -> str:
    """Neutralise HTML and link syntax that came in with data, then insert parlib's own links.

    parlib's templates write no HTML and no links of their own, so every ``<``, ``>`` and ``](``
    in the text came from data (a province name, a source title) and is made inert.
    """
    md = md.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("](", "]\\(")
    for token, value in (links or {}).items():
        md = md.replace(token, value)
    return md

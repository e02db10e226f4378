"""Words for what goes beyond the Ministry's headline: PAPI's statistical significance, targets
(and whether they are realistic in one year) and themes read across the indices. Formats only;
every figure is a field of the profile."""

from __future__ import annotations

from typing import TYPE_CHECKING

from parlib._words import localized
from parlib.present import fmt
from parlib.present.catalogue import index_name
from parlib.present.narrative import _short, amount, change_words

if TYPE_CHECKING:
    from parlib.engine.results import IndexResult, Profile


def _amount(x: float, unit: str, lang: str) -> str:
    return amount(fmt.number(abs(x), lang), unit, lang)


def targets_lines(profile: Profile, lang: str) -> list[str]:
    """One sentence per target (``profile.targets``): what it takes, in the index's unit, whether the
    margin of error (the province's own, or of the difference from another province, at the level
    of the data) can tell it apart, whether it is realistic in one year, and which component could
    deliver it."""
    from parlib.present.catalogue import TARGETS

    w = TARGETS[lang]
    out = []
    for t in profile.targets:
        target = fmt.score(t.target_value, t.index_code, lang)
        leader = localized(t, "leader_name", lang)
        param = fmt.ordinal(int(t.label_param), lang) if t.kind == "previous_rank" else t.label_param
        text = w[t.kind].format(
            year=profile.year,
            target=target,
            need=_amount(t.points_needed, t.unit, lang),
            need_abs=_amount(t.points_needed, t.unit, lang),
            param=param,
            leader=leader,
        )
        if t.within_margin is not None:
            key = ("within_" if t.within_margin else "outside_") + t.margin_basis
            text += "; " + w[key].format(level=t.ci_level, margin=fmt.number(t.margin, lang))
        if t.realistic is False:
            text += "; " + w["unrealistic"].format(**_gain_words(t.gain, lang))
        text += _levers_words(t.levers, w, lang)
        out.append(f"**{index_name(t.index_code, lang)}**: {text[0].upper() + text[1:]}.")
    return out


def _theme_change(i, w: dict, lang: str) -> str:
    """An item's stated changes: the score change and the rank change (places), on the base year."""
    if i.direction == "withheld":
        return w["withheld"]
    parts = []
    if i.delta is not None:
        parts.append(change_words(i.delta, i.unit, lang, trim=i.kind == "published_change"))
    if i.rank_change is not None:
        n = abs(i.rank_change)
        way = "up" if i.rank_change > 0 else "down"
        parts.append(w["places_held"] if n == 0 else w[f"place_{way}" if n == 1 else f"places_{way}"].format(n=n))
    if not parts:
        return w["no_change_stated"]
    return ", ".join(parts) + (f" ({w['vs'].format(base=i.base_year)})" if i.base_year else "")


def _gain_words(g, lang: str) -> dict:
    """The fields of a one-year gain bound (``GainBound``) as words."""
    return {
        "pct": f"{fmt.number(100 * g.quantile, lang, 0)}%",
        "n": g.n,
        "first": g.first_year,
        "last": g.last_year,
        "bound": fmt.signed(g.value, lang),
    }


def _levers_words(levers, w: dict, lang: str) -> str:
    """'; a single component could deliver it: …' for the realistic levers (or those not judged), then
    '; … only with a gain not realistic in one year: …' with what the component gained in one year."""
    out = ""
    for ok, key in ((True, "lever"), (False, "lever_unrealistic")):
        chosen = [x for x in levers if (x.realistic is not False) is ok]
        items = "; ".join(
            w[key].format(
                name=_short(localized(x, "name", lang)),
                share=f"{fmt.number(100 * x.share_of_room, lang, 0)}%",
                ref=w[x.reference_kind],
                **(_gain_words(x.gain, lang) if not ok else {}),
            )
            for x in chosen
        )
        if items:
            out += "; " + w["levers" if ok else "levers_unrealistic"].format(items=items)
    return out


def themes_lines(profile: Profile, lang: str) -> list[str]:
    """Each shared theme across the indices: what every index says, each index's direction and the
    reading (``ThemeView.directions``, ``ThemeView.reading``), naming only the indices with data."""
    from parlib.present.catalogue import THEMES

    w = THEMES[lang]
    out = []
    for t in profile.themes:
        parts = []
        for i in t.items:
            name = f"{index_name(i.index_code, lang)} – " + (_short(localized(i, "name", lang)))
            change = _theme_change(i, w, lang)
            value = (
                w["no_value"]
                if i.value is None
                else (fmt.score(i.value, i.index_code, lang) if i.kind == "total" else fmt.number(i.value, lang))
            )
            rank = w["no_rank"] if i.rank is None else fmt.rank_of(i.rank, i.n_ranked, lang)
            parts.append(
                w[i.kind].format(name=name, index=index_name(i.index_code, lang), value=value, rank=rank, change=change)
            )
        ways = "; ".join(f"{index_name(x, lang)}: {w['dir_' + d]}" for x, d in t.directions.items())
        head = f"**{localized(t, 'name', lang)}** — {w[t.reading]}" + (f" ({ways})" if ways else "") + "."
        tail = (
            f" {w['missing'].format(indices=', '.join(index_name(x, lang) for x in t.missing))}." if t.missing else ""
        )
        out.append(head + " " + "; ".join(parts) + "." + tail)
    return out


def significance_sentence(r: IndexResult, lang: str) -> str:
    """What the published bounds say about a score, its change, its gap and its rank, at the level
    read from the data (``r.ci_level``; PAPI from 2019)."""
    from parlib.present.catalogue import UNCERTAINTY

    w = UNCERTAINTY[lang]
    ci = f"{fmt.number(r.ci_low, lang)}–{fmt.number(r.ci_high, lang)}" if r.ci_low is not None else "—"
    if r.ci_level is None:
        return ""  # a standard error without published bounds: no level, nothing is said
    level, base = r.ci_level, r.base_year
    parts = [
        w["score"].format(
            index=index_name(r.index_code, lang),
            year=r.year,
            value=fmt.number(r.value, lang),
            level=level,
            ci=ci,
            se=fmt.number(r.se, lang),
        )
    ]
    if base is not None and r.delta is not None:
        key = {None: "change_untested", True: "change_yes", False: "change_no"}[r.change_significant]
        parts.append(w[key].format(base=base, level=level))
    if r.gap_significant is not None:
        margin = fmt.number(r.margin, lang) if r.margin is not None else "—"
        parts.append(w["gap_yes" if r.gap_significant else "gap_no"].format(level=level, margin=margin))
    if r.rank_range:
        best, worst = (fmt.ordinal(x, lang) for x in r.rank_range)
        parts.append(w["rank_range"].format(best=best, worst=worst, n=r.n_ranked, level=level))
        if r.rank_range_untested:
            parts.append(w["untested"].format(k=r.rank_range_untested))
    return " ".join(parts)

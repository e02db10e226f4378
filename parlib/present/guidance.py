"""Words for what goes beyond the Ministry's analysis: realistic targets and themes read across
the indices (``Profile.targets``, ``Profile.themes``). Formats only; every figure is a field."""

from __future__ import annotations

from typing import TYPE_CHECKING

from parlib.present import fmt
from parlib.present.catalogue import index_name
from parlib.present.narrative import _short_en, _short_vi, change_words

if TYPE_CHECKING:
    from parlib.engine.results import Profile


def _amount(x: float, unit: str, lang: str) -> str:
    n = fmt.number(abs(x), lang)
    if unit == "pp":
        return f"{n} percentage points" if lang == "en" else f"{n}%"
    return f"{n} points" if lang == "en" else f"{n} điểm"


def targets_lines(profile: Profile, lang: str) -> list[str]:
    """One sentence per realistic target (``profile.targets``): what it takes, in the index's unit,
    whether the survey's margin of error can tell it apart, and which component could deliver it."""
    from parlib.present.catalogue import TARGETS

    w = TARGETS[lang]
    out = []
    for t in profile.targets:
        target = fmt.score(t.target_value, t.index_code, lang)
        leader = t.leader_name_vi if lang == "vi" else t.leader_name_en
        param = fmt.ordinal(int(t.label_param)) if (t.kind == "previous_rank" and lang == "en") else t.label_param
        text = w[t.kind].format(
            year=profile.year,
            target=target,
            need=_amount(t.points_needed, t.unit, lang),
            need_abs=_amount(t.points_needed, t.unit, lang),
            param=param,
            leader=leader,
        )
        if t.within_margin is not None:
            text += "; " + w["within" if t.within_margin else "outside"].format(margin=fmt.number(t.margin, lang))
        if t.levers:
            items = "; ".join(
                w["lever"].format(
                    name=(_short_vi(x.name_vi) if lang == "vi" else _short_en(x.name_en)),
                    share=f"{fmt.number(100 * x.share_of_room, lang, 0)}%",
                    ref=w[x.reference_kind],
                )
                for x in t.levers
            )
            text += "; " + w["levers"].format(items=items)
        out.append(f"**{index_name(t.index_code, lang)}**: {text[0].upper() + text[1:]}.")
    return out


def themes_lines(profile: Profile, lang: str) -> list[str]:
    """Each shared theme across the indices: what every index says, and whether they agree."""
    from parlib.present.catalogue import THEMES

    w = THEMES[lang]
    out = []
    for t in profile.themes:
        parts = []
        for i in t.items:
            name = f"{index_name(i.index_code, lang)} – " + (
                _short_vi(i.name_vi) if lang == "vi" else _short_en(i.name_en)
            )
            change = (
                change_words(i.delta, i.unit, lang, trim=i.kind == "published_change")
                + (f" ({'vs' if lang == 'en' else 'so với'} {i.base_year})" if i.base_year else "")
                if i.delta is not None
                else w["no_change_stated"]
            )
            value = (
                w["no_value"]
                if i.value is None
                else (fmt.score(i.value, i.index_code, lang) if i.kind == "total" else fmt.number(i.value, lang))
            )
            rank = w["no_rank"] if i.rank is None else fmt.rank_of(i.rank, i.n_ranked, lang)
            parts.append(
                w[i.kind].format(name=name, index=index_name(i.index_code, lang), value=value, rank=rank, change=change)
            )
        head = f"**{t.name_vi if lang == 'vi' else t.name_en}** — {w[t.reading]}."
        tail = (
            f" {w['missing'].format(indices=', '.join(index_name(x, lang) for x in t.missing))}." if t.missing else ""
        )
        out.append(head + " " + "; ".join(parts) + "." + tail)
    return out

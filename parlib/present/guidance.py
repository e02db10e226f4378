"""Words for what goes beyond the Ministry's headline: PAPI's statistical significance, realistic
targets and themes read across the indices. Formats only; every figure is a field of the profile."""

from __future__ import annotations

from typing import TYPE_CHECKING

from parlib.present import fmt
from parlib.present.catalogue import index_name
from parlib.present.narrative import _short_en, _short_vi, change_words

if TYPE_CHECKING:
    from parlib.engine.results import IndexResult, Profile


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


def themes_lines(profile: Profile, lang: str) -> list[str]:
    """Each shared theme across the indices: what every index says, each index's direction and the
    reading (``ThemeView.directions``, ``ThemeView.reading``), naming only the indices with data."""
    from parlib.present.catalogue import THEMES

    w = THEMES[lang]
    out = []
    for t in profile.themes:
        parts = []
        for i in t.items:
            name = f"{index_name(i.index_code, lang)} – " + (
                _short_vi(i.name_vi) if lang == "vi" else _short_en(i.name_en)
            )
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
        head = f"**{t.name_vi if lang == 'vi' else t.name_en}** — {w[t.reading]}" + (f" ({ways})" if ways else "") + "."
        tail = (
            f" {w['missing'].format(indices=', '.join(index_name(x, lang) for x in t.missing))}." if t.missing else ""
        )
        out.append(head + " " + "; ".join(parts) + "." + tail)
    return out


def significance_sentence(r: IndexResult, lang: str) -> str:
    """What the published 95% bounds say about a score, its change and its gap (PAPI from 2019)."""
    iname = index_name(r.index_code, lang)
    ci = f"{fmt.number(r.ci_low, lang)}–{fmt.number(r.ci_high, lang)}" if r.ci_low is not None else "—"
    if lang == "en":
        parts = [
            f"{iname} {r.year}: {fmt.number(r.value, lang)} points, 95% confidence interval {ci}"
            + (f" (standard error {fmt.number(r.se, lang)})." if r.se is not None else ".")
        ]
        if r.base_year is not None and r.delta is not None:
            parts.append(
                {
                    None: f"The change on {r.base_year} cannot be tested: no confidence interval for "
                    f"{r.base_year} in the data.",
                    True: f"The change on {r.base_year} is larger than the margin of error.",
                    False: f"The change on {r.base_year} is within the margin of error.",
                }[r.change_significant]
            )
        if r.gap_significant is not None:
            parts.append(
                "The gap to the national average is "
                + ("larger than" if r.gap_significant else "within")
                + " the margin of error."
            )
        if r.rank_range:
            parts.append(
                f"Plausible rank: {fmt.ordinal(r.rank_range[0])} to {fmt.ordinal(r.rank_range[1])}: the "
                f"province is surely ahead only of provinces whose whole 95% interval lies below its own, "
                f"and surely behind only those whose whole interval lies above it; this range counts both "
                f"(a conservative reading, not a pairwise test)."
            )
    else:
        parts = [
            f"{iname} năm {r.year}: {fmt.number(r.value, lang)} điểm, khoảng tin cậy 95% {ci}"
            + (f" (sai số chuẩn {fmt.number(r.se, lang)})." if r.se is not None else ".")
        ]
        if r.base_year is not None and r.delta is not None:
            parts.append(
                {
                    None: f"Chưa kiểm định được mức thay đổi so với năm {r.base_year}: chưa có khoảng tin cậy "
                    f"của năm {r.base_year}.",
                    True: f"Mức thay đổi so với năm {r.base_year} lớn hơn sai số của khảo sát.",
                    False: f"Mức thay đổi so với năm {r.base_year} nằm trong sai số của khảo sát.",
                }[r.change_significant]
            )
        if r.gap_significant is not None:
            parts.append(
                "Chênh lệch so với trung bình toàn quốc "
                + ("lớn hơn" if r.gap_significant else "nằm trong")
                + " sai số của khảo sát."
            )
        if r.rank_range:
            parts.append(
                f"Thứ hạng hợp lý: từ {r.rank_range[0]} đến {r.rank_range[1]}: tỉnh chắc chắn đứng trên "
                f"các tỉnh có cả khoảng tin cậy 95% thấp hơn khoảng của tỉnh, và chắc chắn đứng sau các tỉnh "
                f"có cả khoảng cao hơn; khoảng thứ hạng này tính cả hai (cách đọc thận trọng, không phải "
                f"kiểm định từng cặp)."
            )
    return " ".join(parts)

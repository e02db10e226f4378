"""Profile → Markdown in the Ministry's register, in English or Vietnamese.

The narrative never computes a figure: every number it prints is a field of the profile (and so
a row of ``data/`` or arithmetic of :mod:`parlib.engine.deltas`). Where a figure is missing it says
what is missing; where only published changes exist it cites them.

Phrase patterns follow the official texts (DOMAIN §7): "ranked 12th out of 63 provinces and
cities, maintaining its position compared with 2021"; "xếp thứ 12/63 tỉnh, thành phố, giữ
nguyên vị trí so với năm 2021"; percentage-point changes are "rose 8.12 percentage points" in
English and "tăng 8,12%" in Vietnamese, as officials write them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from parlib._vocab import index_facts
from parlib.present import evidence, fmt, sections
from parlib.present.catalogue import BASELINE, LANGS, PRIORITY, UNCERTAINTY, group_name, index_name
from parlib.present.catalogue import NARRATIVE_HEAD as HEAD

if TYPE_CHECKING:
    from parlib.engine.results import Caveat, IndexResult, Profile


def _unit_words(r: IndexResult, lang: str) -> str:
    if r.unit == "pp":
        return "percentage points" if lang == "en" else "%"
    return "points" if lang == "en" else "điểm"


def change_words(delta: float | None, unit: str, lang: str, decimals: int = 2, trim: bool = False) -> str:
    """'rose 8.12 percentage points' / 'tăng 8,12%'; 'fell 0.66 points' / 'giảm 0,66 điểm'.

    ``trim`` drops trailing zeros, to quote a published figure as printed ("fell 25%").
    """
    if delta is None:
        return ""
    n = fmt.number(abs(delta), lang, decimals)
    if trim and ("," if lang == "vi" else ".") in n:
        n = n.rstrip("0").rstrip(",.")
    if lang == "vi":
        verb = "tăng" if delta > 0 else "giảm" if delta < 0 else "không đổi"
        if delta == 0:
            return verb
        return f"{verb} {n}%" if unit == "pp" else f"{verb} {n} điểm"
    verb = "rose" if delta > 0 else "fell" if delta < 0 else "was unchanged"
    if delta == 0:
        return verb
    return f"{verb} {n} {'percentage points' if unit == 'pp' else 'points'}"


def updown_words(delta: float, unit: str, lang: str, decimals: int = 2) -> str:
    """'up 2.65 percentage points' / 'tăng 2,65%' (headline form of a score change)."""
    n = fmt.number(abs(delta), lang, decimals)
    if lang == "vi":
        verb = "tăng" if delta > 0 else "giảm" if delta < 0 else "không đổi"
        return verb if delta == 0 else (f"{verb} {n}%" if unit == "pp" else f"{verb} {n} điểm")
    if delta == 0:
        return "unchanged in score"
    return f"{'up' if delta > 0 else 'down'} {n} {'percentage points' if unit == 'pp' else 'points'}"


def rank_change_words(change: int | None, base_year: int | None, lang: str) -> str:
    """'up 3 places' / 'tăng 3 bậc'; 'down 6 places'; 'maintaining its position'."""
    if change is None or base_year is None:
        return ""
    if lang == "vi":
        if change > 0:
            return f"tăng {change} bậc so với năm {base_year}"
        if change < 0:
            return f"giảm {-change} bậc so với năm {base_year}"
        return f"giữ nguyên vị trí so với năm {base_year}"
    if change > 0:
        return f"up {change} place{'s' if change != 1 else ''} compared with {base_year}"
    if change < 0:
        return f"down {-change} place{'s' if change != -1 else ''} compared with {base_year}"
    return f"maintaining its position compared with {base_year}"


def _name(profile: Profile, lang: str, capital: bool = False) -> str:
    p = profile.province
    if lang == "vi":
        kind = "thành phố" if p.type == "city" else "tỉnh"
        return f"{kind.capitalize() if capital else kind} {p.name_vi}"
    return p.name_en


def _kind_vi(profile: Profile) -> str:
    """'Tỉnh' or 'Thành phố' (the five centrally-run cities): the subject of a Vietnamese sentence."""
    return "Thành phố" if profile.province.type == "city" else "Tỉnh"


def _denominator(r: IndexResult, lang: str) -> str:
    """'out of 63 provinces and cities' / '/63 tỉnh, thành phố'."""
    n = r.n_ranked
    if lang == "vi":
        return f"{r.rank}/{n} tỉnh, thành phố"
    return f"{fmt.ordinal(r.rank)} out of {n} provinces and cities"


def index_sentence(profile: Profile, r: IndexResult, lang: str) -> str:
    """One headline sentence for one index."""
    who = _name(profile, lang, capital=True)
    iname = index_name(r.index_code, lang)
    facts = index_facts(r.index_code)
    score = fmt.score(r.value, r.index_code, lang) if r.value is not None else None
    parts = []
    if lang == "vi":
        s = f"Năm {r.year}, {iname} của {who[0].lower() + who[1:]}"
        if score:
            s += f" đạt {score}" + (
                f"/{fmt.number(r.scale_max, lang, 0)} điểm" if facts.states_scale_max and r.scale_max else ""
            )
        if r.rank is not None:
            s += (", " if score else " ") + ("xếp thứ " if not r.tied else "đồng hạng thứ ") + _denominator(r, lang)
        parts.append(s)
    else:
        s = f"In {r.year}, {who}'s {iname}"
        if score:
            s += f" reached {score}" + (
                f" out of {fmt.number(r.scale_max, lang, 0)} points" if facts.states_scale_max and r.scale_max else ""
            )
        if r.rank is not None:
            verb = "ranking" if score else "ranked"
            s += (", " if score else " ") + f"{verb} {'tied ' if r.tied else ''}{_denominator(r, lang)}"
        parts.append(s)
    moves = []
    if r.delta is not None and r.base_year is not None:
        moves.append(updown_words(r.delta, r.unit, lang))
    rc = rank_change_words(r.rank_change, r.base_year, lang)
    if rc:
        moves.append(rc)
    elif moves:
        moves[-1] += f" compared with {r.base_year}" if lang == "en" else f" so với năm {r.base_year}"
    if moves:
        parts.append((" and " if lang == "en" else " và ").join(moves))
    sentence = ", ".join(parts)
    if r.base_rank is not None and r.rank_change:
        sentence += (
            f" (from {fmt.ordinal(r.base_rank)} in {r.base_year})"
            if lang == "en"
            else f" (từ vị trí thứ {r.base_rank} năm {r.base_year})"
        )
    if r.rank_change_like is not None and r.rank_change_like != r.rank_change:
        sentence += _like_for_like_words(profile, r, lang)
    if r.scale_changed:
        sentence += (
            f"; the total was out of {fmt.number(r.base_scale_max, lang, 0)} points in {r.base_year} and "
            f"is out of {fmt.number(r.scale_max, lang, 0)} now, so no change in points is stated"
            if lang == "en"
            else f"; tổng điểm năm {r.base_year} tính trên thang {fmt.number(r.base_scale_max, lang, 0)} điểm, "
            f"nay trên thang {fmt.number(r.scale_max, lang, 0)} điểm nên không nêu mức thay đổi điểm số"
        )
    # a streak of 2 is "maintaining its position compared with <base>", already said; a leader's
    # streak is said once, as leading the country
    if r.same_rank_streak >= 3 and r.rank_change == 0 and r.top_streak < 2:
        sentence += (
            f", for the {fmt.ordinal(r.same_rank_streak)} consecutive year"
            if lang == "en"
            else f", năm thứ {r.same_rank_streak} liên tiếp"
        )
    if r.top_streak >= 2:
        sentence += (
            f"; it has led the country for {r.top_streak} consecutive years"
            if lang == "en"
            else f"; {r.top_streak} năm liên tiếp dẫn đầu cả nước"
        )
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
            f"It is in group {r.group} ({_par_band(r.group, lang)})."
            if lang == "en"
            else f"{_kind_vi(profile)} thuộc nhóm {r.group} ({_par_band(r.group, lang)})."
        )
    elif r.group and scheme == "papi_quartile":
        extra.append(
            f"It is among the {gname.lower()} (quartile group {r.group} of {r.year})."
            if lang == "en"
            else f"{_kind_vi(profile)} thuộc {gname.lower()} (nhóm {r.group} năm {r.year})."
        )
    if r.gap_national is not None and r.national_avg is not None:
        avg = fmt.score(r.national_avg, r.index_code, lang)
        gap = fmt.number(abs(r.gap_national), lang)
        unit = _unit_words(r, lang)
        basis = (
            ""
            if r.avg_basis == "published"
            else (", the mean of the provinces with data" if lang == "en" else ", bình quân các tỉnh có số liệu")
        )
        if lang == "en":
            side = "above" if r.gap_national > 0 else "below"
            extra.append(f"That is {gap} {unit} {side} the national average of {avg}{basis}.")
        else:
            side = "cao hơn" if r.gap_national > 0 else "thấp hơn"
            sep = "" if unit == "%" else " "
            extra.append(f"Kết quả này {side} trung bình toàn quốc {gap}{sep}{unit} (trung bình {avg}{basis}).")
    elif r.value is None and r.national_avg is not None:
        avg = fmt.score(r.national_avg, r.index_code, lang)
        extra.append(
            f"Its {r.year} score is not in the data, so its gap to the national average ({avg}) cannot be stated."
            if lang == "en"
            else f"Chưa có điểm số năm {r.year} nên chưa so sánh được với trung bình toàn quốc ({avg})."
        )
    if r.regional_avg is not None and r.gap_regional is not None:
        reg = profile.province.region_en if lang == "en" else profile.province.region_vi
        gap = fmt.number(abs(r.gap_regional), lang)
        if lang == "en":
            extra.append(
                f"Against the {reg} average ({fmt.score(r.regional_avg, r.index_code, lang)}) it is "
                f"{gap} {_unit_words(r, lang)} {'higher' if r.gap_regional > 0 else 'lower'}."
            )
        else:
            unit = _unit_words(r, lang)
            extra.append(
                f"So với trung bình vùng {reg} ({fmt.score(r.regional_avg, r.index_code, lang)}), "
                f"{'cao hơn' if r.gap_regional > 0 else 'thấp hơn'} {gap}{'' if unit == '%' else ' '}{unit}."
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
        best, worst = (fmt.ordinal(x) if lang == "en" else str(x) for x in r.rank_range)
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
    if lang == "en":
        move = (
            f"rose {k} place{'s' if k != 1 else ''}"
            if k > 0
            else f"fell {-k} place{'s' if k != -1 else ''}"
            if k < 0
            else "kept its place"
        )
        out = f"; among the {r.n_common} provinces ranked in both years it {move}"
    else:
        kind = "thành phố" if profile.province.type == "city" else "tỉnh"
        move = f"tăng {k} bậc" if k > 0 else f"giảm {-k} bậc" if k < 0 else "giữ nguyên vị trí"
        out = f"; trong {r.n_common} tỉnh, thành phố được xếp hạng ở cả hai năm, {kind} {move}"
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
        if lang == "vi":
            kind = "thành phố" if d["type"] == "city" else "tỉnh"
            what = ", ".join(x for x in (f"đạt {score}" if score else "", f"xếp thứ {rank}" if rank else "") if x)
            parts.append(f"{kind} {d['name_vi']} (cũ) năm {d['year']} {what}")
        else:
            what = ", ".join(x for x in (f"scored {score}" if score else "", f"ranked {rank}" if rank else "") if x)
            parts.append(
                f"the former {d['name_en']} {'city' if d['type'] == 'city' else 'province'} {what} in {d['year']}"
            )
    if lang == "vi":
        return f"Trước khi sắp xếp đơn vị hành chính (01/7/2025), về {iname}: " + "; ".join(parts) + "."
    return f"Before the merger of 1 July 2025, for the {iname}: " + "; ".join(parts) + "."


def _former(d: dict, lang: str) -> str:
    """'the former Thai Binh province' / 'tỉnh Thái Bình (cũ)'."""
    w = BASELINE[lang]
    return w["former"].format(
        name=d["name_vi"] if lang == "vi" else d["name_en"], kind=w["city" if d["type"] == "city" else "province"]
    )


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
    joined = ", ".join(names[:-1]) + (" and " if lang == "en" else " và ") + names[-1]
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
    bands = {
        "A": ("90% or more", "từ 90% trở lên"),
        "B": ("80% to under 90%", "từ 80% đến dưới 90%"),
        "C": ("70% to under 80%", "từ 70% đến dưới 80%"),
    }
    return bands[group][0 if lang == "en" else 1]


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
        if lang == "en":
            s = f"{iname}: of its {k['n']} {index_facts(r.index_code).component_word('en')}"
            if k["moved"]:
                s += f", {k['rose']} rose and {k['fell']} fell compared with {r.base_year}"
            out.append(s + ".")
            if up:
                out.append(
                    "Rose: "
                    + "; ".join(f"{_short_en(c.name_en)} {change_words(c.delta, unit, lang)}" for c in up)
                    + "."
                )
            if down:
                out.append(
                    "Fell: "
                    + "; ".join(f"{_short_en(c.name_en)} {change_words(c.delta, unit, lang)}" for c in down)
                    + "."
                )
        else:
            s = f"{iname}: trong {k['n']} {index_facts(r.index_code).component_word('vi')}"
            if k["moved"]:
                s += f", {k['rose']} chỉ số tăng và {k['fell']} chỉ số giảm so với năm {r.base_year}"
            out.append(s + ".")
            if up:
                out.append(
                    "Tăng: "
                    + "; ".join(f"{_short_vi(c.name_vi)} {change_words(c.delta, unit, lang)}" for c in up)
                    + "."
                )
            if down:
                out.append(
                    "Giảm: "
                    + "; ".join(f"{_short_vi(c.name_vi)} {change_words(c.delta, unit, lang)}" for c in down)
                    + "."
                )
        if k["above"] or k["below"]:
            out.append(
                f"{k['above']} are above and {k['below']} below the national average."
                if lang == "en"
                else f"{k['above']} chỉ số cao hơn và {k['below']} chỉ số thấp hơn trung bình toàn quốc."
            )
    elif r.published_changes:
        pc = r.published_changes
        unit = "pp" if pc[0].unit == "percentage points" else "points"
        if lang == "en":
            out.append(
                f"{iname} component scores for {r.year} are not in the data. The published changes on "
                f"{pc[0].base_year} are: "
                + "; ".join(
                    f"{c.name_en} {change_words(c.delta, unit, lang, trim=True)}" for c in pc if c.delta is not None
                )
                + f" [source: {pc[0].source_id}]."
            )
        else:
            out.append(
                f"Chưa có điểm các lĩnh vực của {iname} năm {r.year}. Theo số liệu đã công bố, so với năm "
                f"{pc[0].base_year}: "
                + "; ".join(
                    f"{_short_vi(c.name_vi)} {change_words(c.delta, unit, lang, trim=True)}"
                    for c in pc
                    if c.delta is not None
                )
                + f" [nguồn: {pc[0].source_id}]."
            )
    elif index_facts(r.index_code).component_tables == "image":
        out.append(
            f"{iname} component scores for {r.year} are not in the data (the full tables are published as "
            f"images and PDF annexes; import them with the official table to get the component analysis)."
            if lang == "en"
            else f"Chưa có điểm các chỉ số thành phần của {iname} năm {r.year} (bảng đầy đủ chỉ được công bố "
            f"dưới dạng ảnh và phụ lục PDF)."
        )
    return " ".join(out)


def _short_vi(name: str) -> str:
    """'Chỉ số nội dung 7: Quản trị môi trường' → 'Quản trị môi trường' (drop the numbering)."""
    return name.split(": ", 1)[-1].rstrip("*")


def _short_en(name: str) -> str:
    return name.split(": ", 1)[-1].rstrip("*")


def caveat_text(c: Caveat, lang: str) -> str:
    """One caveat in words."""
    iname = index_name(c.index_code, lang) if c.index_code else ""
    grouped = bool(c.index_code and index_facts(c.index_code).group_scheme)  # the publisher's groups
    p = c.params
    en = {
        "index_missing": _missing_en(iname, p, c),
        "score_missing": f"{iname}: the rank ({p.get('rank')}/{p.get('n')}) was published without a score; the score is not in the data.",
        "no_level": f"{iname}: only published changes are available, no score or rank.",
        "no_base": f"{iname}: no earlier year in the data to compare with.",
        "fallback": f"{iname}: "
        + (
            "the previous year has no rank"
            if p.get("reasons")
            else "parlib's data have no figure for the previous year"
        )
        + "".join(
            f" ({x.get('year')}: {x['reason_en']} {evidence.cite([x['source_id']], 'en')})"
            for x in p.get("reasons", [])
        )
        + f"; compared with {p.get('base_year')}, the latest earlier year available.",
        "break": f"{iname}: the comparison with {p.get('base_year')} crosses a methodology change ({p.get('base_label_en')} → {p.get('label_en')}); read the change with care.",
        "unit_set_change": f"{iname}: {p.get('base_year')} ranked 63 provinces, this year 34 units; ranks are not comparable.",
        "rank_computed": f"{iname}: the rank is computed from the published scores among {p.get('n')} provinces with complete data ({'the publisher gives groups, not ranks' if grouped else 'no rank is published'}).",
        "no_average": f"{iname}: no national average is available for this year.",
        "average_computed": f"{iname}: the national average is the mean of the provinces with data (no published figure in the data).",
        "components_missing": f"{iname}: component scores are not in the data"
        + (" (published changes are cited)." if p.get("published_changes") else "."),
        "partial_field": f"{iname}: the publisher ranked {p.get('n')} of {p.get('units')} provinces this year {evidence.cite([p.get('source_id', '')], 'en')}.",
        "conflict": f"{iname}: sources disagree on the {p.get('field')}: {p.get('kept')} ({p.get('kept_source_id')}) is used, {p.get('other')} ({p.get('other_source_id')}) is also published.",
        "vn34": "Results from 2025 are for the 34 provincial units formed on 1 July 2025.",
        "total_scale_changed": f"{iname}: the total was out of {p.get('base_max')} points in {p.get('base_year')} and is out of {p.get('max')} now; totals of the two years are not compared.",
        "scale_break": f"{iname}: the scale or content of {', '.join(p.get('names_en', []))} changed after {p.get('base_year')}; their changes are not stated.",
    }
    vi = {
        "index_missing": _missing_vi(iname, p, c),
        "score_missing": f"{iname}: thứ hạng ({p.get('rank')}/{p.get('n')}) được công bố nhưng chưa có điểm số.",
        "no_level": f"{iname}: chỉ có số liệu thay đổi đã công bố, chưa có điểm số, thứ hạng.",
        "no_base": f"{iname}: chưa có số liệu năm trước để so sánh.",
        "fallback": f"{iname}: "
        + (
            "năm liền trước không được xếp hạng"
            if p.get("reasons")
            else "dữ liệu của parlib chưa có số liệu năm liền trước"
        )
        + "".join(
            f" (năm {x.get('year')}: {x['reason_vi']} {evidence.cite([x['source_id']], 'vi')})"
            for x in p.get("reasons", [])
        )
        + f"; so sánh với năm {p.get('base_year')}, năm gần nhất có số liệu.",
        "break": f"{iname}: so sánh với năm {p.get('base_year')} qua thay đổi phương pháp ({p.get('base_label_vi')} → {p.get('label_vi')}); cần thận trọng khi đánh giá mức thay đổi.",
        "unit_set_change": f"{iname}: năm {p.get('base_year')} xếp hạng 63 tỉnh, năm nay 34 đơn vị; thứ hạng không so sánh được.",
        "rank_computed": f"{iname}: thứ hạng được tính từ điểm số đã công bố, trong {p.get('n')} tỉnh có đủ số liệu ({'đơn vị công bố chỉ phân nhóm' if grouped else 'chưa có thứ hạng công bố'}).",
        "no_average": f"{iname}: chưa có số liệu trung bình toàn quốc của năm này.",
        "average_computed": f"{iname}: trung bình toàn quốc là bình quân các tỉnh có số liệu (chưa có số liệu công bố).",
        "components_missing": f"{iname}: chưa có điểm các chỉ số thành phần"
        + (" (dẫn số liệu thay đổi đã công bố)." if p.get("published_changes") else "."),
        "partial_field": f"{iname}: năm nay đơn vị công bố xếp hạng {p.get('n')}/{p.get('units')} tỉnh, thành phố {evidence.cite([p.get('source_id', '')], 'vi')}.",
        "conflict": f"{iname}: các nguồn khác nhau về {p.get('field')}: dùng {p.get('kept')} ({p.get('kept_source_id')}); nguồn khác công bố {p.get('other')} ({p.get('other_source_id')}).",
        "vn34": "Kết quả từ năm 2025 là của 34 đơn vị hành chính cấp tỉnh từ ngày 01/7/2025.",
        "total_scale_changed": f"{iname}: tổng điểm năm {p.get('base_year')} tính trên thang {p.get('base_max')} điểm, nay trên thang {p.get('max')} điểm; không so sánh tổng điểm hai năm.",
        "scale_break": f"{iname}: thang điểm hoặc nội dung của {', '.join(p.get('names_vi', []))} thay đổi sau năm {p.get('base_year')}; không nêu mức thay đổi của các nội dung này.",
    }
    return (en if lang == "en" else vi)[c.code]


def _missing_en(iname: str, p: dict, c) -> str:
    why = p.get("reason")
    if why == "not_ranked":
        why_words = "; ".join(f"{x['reason_en']} {evidence.cite([x['source_id']], 'en')}" for x in p["reasons"])
        return f"{iname}: the province was not ranked this year ({p.get('n')} of {p.get('units')} were): {why_words}."
    if why == "top_n_not_held":
        return (
            f"{iname}: no figure for this province in parlib's data. The publisher printed scores and ranks only "
            f"for its {p.get('n_published')} leading provinces this year {evidence.cite([p.get('source_id')], 'en')} "
            f"and parlib holds {p.get('n')} of them, so the province is either outside them or among the printed "
            "figures parlib does not hold."
        )
    if why == "no_year":
        last = p.get("last_year")
        return f"{iname}: no results for this year in parlib's data" + (f" (latest: {last})." if last else ".")
    if why == "not_in_data":
        return (
            f"{iname}: not in parlib's data for this province and year (the data hold {p.get('n')} "
            f"provinces for this year; import the full table with `parlib data import`)."
        )
    return f"{iname}: no data for this province and year."


def _missing_vi(iname: str, p: dict, c) -> str:
    why = p.get("reason")
    if why == "not_ranked":
        why_words = "; ".join(f"{x['reason_vi']} {evidence.cite([x['source_id']], 'vi')}" for x in p["reasons"])
        return (
            f"{iname}: địa phương không được xếp hạng năm nay ({p.get('n')}/{p.get('units')} tỉnh, thành phố được "
            f"xếp hạng): {why_words}."
        )
    if why == "top_n_not_held":
        return (
            f"{iname}: dữ liệu của parlib chưa có số liệu của địa phương. Năm nay đơn vị công bố chỉ công bố điểm số và "
            f"thứ hạng của {p.get('n_published')} tỉnh, thành phố dẫn đầu {evidence.cite([p.get('source_id')], 'vi')}; "
            f"parlib có {p.get('n')} tỉnh trong số đó, nên địa phương hoặc nằm ngoài nhóm này, hoặc có số liệu đã công bố "
            "mà parlib chưa có."
        )
    if why == "no_year":
        last = p.get("last_year")
        return f"{iname}: dữ liệu của parlib chưa có kết quả năm này" + (f" (gần nhất: năm {last})." if last else ".")
    if why == "not_in_data":
        return (
            f"{iname}: dữ liệu của parlib chưa có số liệu của địa phương trong năm này (có {p.get('n')} tỉnh; "
            f"có thể nhập bảng đầy đủ bằng `parlib data import`)."
        )
    return f"{iname}: chưa có số liệu của địa phương trong năm này."


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
        parts.append(w["places_down"].format(n=n, s="" if n == 1 else "s", year=base_year))
    return ", ".join(parts) + f" ({w['published']})"


def _item_name(x, lang: str) -> str:
    return _short_en(x["name_en"]) if lang == "en" else _short_vi(x["name_vi"])


def remedies_paragraph(profile: Profile, lang: str, limit: int = 5) -> list[str]:
    """Priority components in the profile's order (weaknesses first, levels and published changes
    on one list), with the figures behind them; the what-if only where a level exists."""
    w = PRIORITY[lang]
    out = []
    for m in profile.remedies[:limit]:
        name = _short_en(m.name_en) if lang == "en" else _short_vi(m.name_vi)
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
            same = wi.rank_to == wi.rank_from
            if lang == "en":
                line += (
                    f"; at the national average ({fmt.number(wi.component_to, lang)}) the {iname} total would be "
                    f"{fmt.number(wi.total_to, lang)}, "
                    + (
                        f"the rank staying {fmt.ordinal(wi.rank_to)}"
                        if same
                        else f"ranking {fmt.ordinal(wi.rank_to)} instead of {fmt.ordinal(wi.rank_from)}"
                    )
                )
            else:
                line += (
                    f"; nếu đạt mức trung bình toàn quốc ({fmt.number(wi.component_to, lang)}), tổng điểm {iname} "
                    f"sẽ là {fmt.number(wi.total_to, lang)}, "
                    + (f"vẫn xếp thứ {wi.rank_to}" if same else f"xếp thứ {wi.rank_to} thay vì {wi.rank_from}")
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
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    h = HEAD[lang]
    who = _name(profile, lang, capital=True)
    title = (
        f"# {who}: governance and administrative reform indices {profile.year}"
        if lang == "en"
        else f"# {who}: các chỉ số cải cách hành chính và quản trị năm {profile.year}"
    )
    # Each section's lines, joined in the order of parlib.present.sections; ``md`` is the part being written.
    part: dict[str, list[str]] = {key: [] for key in sections.narrative()}
    md = part["headline"] = [f"## {h['headline']}", ""]
    if not profile.indices and profile.formed_from:
        md.append(no_own_sentence(profile, lang))
    elif not profile.indices:
        md.append(
            "No index has data for this province and year."
            if lang == "en"
            else "Chưa có số liệu chỉ số nào của địa phương trong năm này."
        )
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

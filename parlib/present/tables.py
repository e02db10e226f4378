"""Display tables for the reports: pandas DataFrames of formatted strings, in English or Vietnamese.

Every function returns a new DataFrame whose cells are already formatted for reading (units,
decimal comma in Vietnamese, "—" for a missing figure) and whose column names are in the
requested language. No figure is computed here that :mod:`parlib.engine.profile` or
:mod:`parlib.engine.deltas` does not provide; the tables only arrange and word them. Notes a reader
needs (a partial field, a methodology break) are in ``df.attrs["note"]``. No HTML is built:
the notebooks display the DataFrames and pandas escapes the cell text.

>>> scenario_name("national_avg", "vi")
'trung bình toàn quốc'
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from parlib.engine import deltas as dl
from parlib.present import fmt
from parlib.engine.profile import IndexResult, Profile
from parlib.data.indices import DELTA_UNIT, INDICES, index_name
from parlib.present.narrative import caveat_text, change_words
from parlib.data.registry import UnknownProvinceError, province
from parlib.data.registry import provinces as registry
from parlib.data.registry import unit_set_for_year

__all__ = ["scorecard", "components_table", "remedies_table", "whatif_table", "caveats_list", "caveats_table",
           "sources_table", "provenance_table", "ranking_table", "movers", "regional_averages",
           "cross_index_table", "cross_index_values", "component_label", "scenario_name", "province_name"]

LANGS = ("en", "vi")
DASH = "—"
BREAK_MARK = "†"

#: Column names and fixed wording, per language.
T = {
    "en": {
        "index": "Index", "score": "Score", "rank": "Rank", "base_year": "Base year",
        "change": "Change in score", "rank_change": "Change in rank", "gap": "Gap to national average",
        "national_avg": "National average", "group": "Group", "component": "Component",
        "value": "Score {year}", "base_value": "Score {base}", "delta": "Change ({unit})",
        "rank_y": "Rank {year}", "comp_gap": "Gap to national average ({unit})",
        "published_change": "Published change on {base}", "kind": "Kind", "source": "Source",
        "kind_published": "published change (percentage points of the component's achievement rate)",
        "kind_published_points": "published change ({unit})",
        "priority": "Priority", "points_lost": "Points lost since base year",
        "below_avg": "Below national average by", "to_max": "Points short of maximum",
        "rank_gain": "Possible rank gain", "scenario": "Scenario", "comp_from_to": "Component from → to",
        "total_from_to": "Total from → to", "rank_from_to": "Rank from → to", "caveat": "What to keep in mind",
        "source_id": "Source id", "producer": "Producer", "title": "Title", "address": "Address",
        "accessed": "Accessed", "licence": "Licence", "item": "Item", "detail": "Value",
        "province": "Province", "region": "Region", "mean_prov": "Mean of provinces with data",
        "n_prov": "Provinces with data", "published_mean": "Published mean",
        "tied": " (tied)", "computed": " (computed)", "published": "published",
        "mean_of_provinces": "mean of provinces with data", "points": "points", "pp": "percentage points",
        "up_places": "↑{n} place{s}", "down_places": "↓{n} place{s}", "same_place": "= unchanged",
        "from_rank": " (from {r})", "upto": "up to {n} place{s}", "none": "none",
        "break_note": "† The comparison crosses a change of methodology; read the change with care.",
        "vietnam": "Viet Nam", "all_provinces": "All provinces",
    },
    "vi": {
        "index": "Chỉ số", "score": "Điểm số", "rank": "Xếp hạng", "base_year": "Năm so sánh",
        "change": "Thay đổi điểm số", "rank_change": "Thay đổi thứ hạng", "gap": "So với trung bình toàn quốc",
        "national_avg": "Trung bình toàn quốc", "group": "Nhóm", "component": "Chỉ số thành phần",
        "value": "Điểm năm {year}", "base_value": "Điểm năm {base}", "delta": "Thay đổi ({unit})",
        "rank_y": "Xếp hạng năm {year}", "comp_gap": "So với trung bình toàn quốc ({unit})",
        "published_change": "Thay đổi đã công bố so với năm {base}", "kind": "Loại số liệu", "source": "Nguồn",
        "kind_published": "thay đổi đã công bố (điểm phần trăm của tỷ lệ đạt được của lĩnh vực)",
        "kind_published_points": "thay đổi đã công bố ({unit})",
        "priority": "Thứ tự ưu tiên", "points_lost": "Điểm giảm so với năm gốc",
        "below_avg": "Thấp hơn trung bình toàn quốc", "to_max": "Còn cách điểm tối đa",
        "rank_gain": "Số bậc có thể tăng", "scenario": "Kịch bản", "comp_from_to": "Chỉ số thành phần từ → đến",
        "total_from_to": "Tổng điểm từ → đến", "rank_from_to": "Thứ hạng từ → đến", "caveat": "Lưu ý",
        "source_id": "Mã nguồn", "producer": "Đơn vị công bố", "title": "Tiêu đề", "address": "Địa chỉ",
        "accessed": "Ngày truy cập", "licence": "Điều kiện sử dụng", "item": "Mục", "detail": "Giá trị",
        "province": "Tỉnh, thành phố", "region": "Vùng", "mean_prov": "Bình quân các tỉnh có số liệu",
        "n_prov": "Số tỉnh có số liệu", "published_mean": "Số liệu công bố",
        "tied": " (đồng hạng)", "computed": " (tính từ điểm số)", "published": "số liệu công bố",
        "mean_of_provinces": "bình quân các tỉnh có số liệu", "points": "điểm", "pp": "%",
        "up_places": "tăng {n} bậc", "down_places": "giảm {n} bậc", "same_place": "giữ nguyên vị trí",
        "from_rank": " (từ {r})", "upto": "tối đa {n} bậc", "none": "không",
        "break_note": "† So sánh qua thay đổi phương pháp đánh giá; cần thận trọng khi đọc mức thay đổi.",
        "vietnam": "Cả nước", "all_provinces": "Tất cả các tỉnh",
    },
}

SCENARIOS = {
    "national_avg": {"en": "national average", "vi": "trung bình toàn quốc"},
    "previous": {"en": "own previous value", "vi": "giá trị năm trước"},
    "best": {"en": "best province", "vi": "tỉnh cao nhất"},
    "max": {"en": "maximum", "vi": "điểm tối đa"},
}

KINDS = {
    "news": {"en": "news", "vi": "báo chí"},
    "gov_portal": {"en": "government portal", "vi": "cổng thông tin điện tử"},
    "official_workbook": {"en": "official data file", "vi": "tệp số liệu chính thức"},
    "news_aggregator": {"en": "news aggregator", "vi": "trang tổng hợp tin"},
    "dataset_preview": {"en": "dataset preview", "vi": "bản xem trước bộ dữ liệu"},
    "mirror_of_news": {"en": "copy of a news item", "vi": "bản sao tin báo chí"},
    "user_import": {"en": "table imported by the user", "vi": "bảng số liệu do người dùng nhập"},
}

PARAM_NAMES = {
    "province": {"en": "province", "vi": "tỉnh"}, "year": {"en": "year", "vi": "năm"},
    "base_year": {"en": "base year", "vi": "năm so sánh"}, "lang": {"en": "language", "vi": "ngôn ngữ"},
}


def _check_lang(lang: str) -> dict:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    return T[lang]


def _missing(x) -> bool:
    return fmt.is_missing(x)


def _num(x, lang: str, decimals: int = 2) -> str:
    return DASH if _missing(x) else fmt.number(x, lang, decimals)


def _signed(x, lang: str, decimals: int = 2) -> str:
    return DASH if _missing(x) else fmt.signed(x, lang, decimals)


def _rank(rank, n, lang: str, tied: bool = False) -> str:
    if _missing(rank):
        return DASH
    return fmt.rank_of(int(rank), None if _missing(n) else int(n), lang) + (T[lang]["tied"] if tied else "")


def _unit(unit: str, lang: str) -> str:
    """'percentage points' / '%' for pp; 'points' / 'điểm' otherwise."""
    return T[lang]["pp" if unit == "pp" else "points"]


def scenario_name(scenario: str, lang: str = "en") -> str:
    """Localized what-if scenario name ("national average" / "trung bình toàn quốc")."""
    return SCENARIOS.get(scenario, {}).get(lang, scenario)


@lru_cache(maxsize=1)
def province_name(code: str, lang: str = "en") -> str:
    """Display name of a province code in a language (Vietnamese with diacritics); the code itself
    when the registry does not know it."""
    try:
        return province(str(code)).name(lang)
    except UnknownProvinceError:
        return str(code)


def component_label(index_code: str, measure: str, name_en: str, name_vi: str, lang: str = "en") -> str:
    """A short component name: numbering and footnote marks dropped, PAPI dimensions numbered.

    >>> component_label("PAPI", "D8", "Dimension 8: E-Governance", "Chỉ số nội dung 8: Quản trị điện tử", "vi")
    '8. Quản trị điện tử'
    """
    name = (name_vi if lang == "vi" else name_en) or name_en or name_vi or measure
    short = name.split(": ", 1)[-1].rstrip("*").strip()
    m = re.fullmatch(r"D(\d+)", str(measure))
    return f"{m.group(1)}. {short}" if index_code == "PAPI" and m else short


# --- one province ------------------------------------------------------------------------------
def _score_cell(r: IndexResult, lang: str) -> str:
    if r.value is None:
        return DASH
    if r.index_code in ("PAR", "SIPAS"):
        return fmt.score(r.value, r.index_code, lang)
    tail = f"/{fmt.number(r.scale_max, lang, 0)}" if r.scale_max else ""
    return f"{fmt.number(r.value, lang)}{tail} {T[lang]['points']}"


def _change_cell(delta, unit: str, lang: str, mark: bool = False) -> str:
    if _missing(delta):
        return DASH
    if lang == "vi":
        from parlib.present.narrative import updown_words

        text = updown_words(delta, unit, lang)
    else:
        text = f"{fmt.signed(delta, lang)} {_unit(unit, lang)}"
    return text + (f" {BREAK_MARK}" if mark else "")


def _rank_change_cell(change, lang: str, base_rank=None, base_n=None, mark: bool = False) -> str:
    if _missing(change):
        return DASH
    t = T[lang]
    change = int(change)
    n = abs(change)
    s = "" if n == 1 else "s"
    text = (t["up_places"] if change > 0 else t["down_places"] if change < 0 else t["same_place"]).format(n=n, s=s)
    if change != 0 and not _missing(base_rank):
        text += t["from_rank"].format(r=_rank(base_rank, base_n, lang))
    return text + (f" {BREAK_MARK}" if mark else "")


def _gap_cell(gap, unit: str, lang: str) -> str:
    if _missing(gap):
        return DASH
    if lang == "vi":
        side = "cao hơn" if gap > 0 else "thấp hơn" if gap < 0 else "bằng"
        if gap == 0:
            return side
        n = fmt.number(abs(gap), lang)
        return f"{side} {n}%" if unit == "pp" else f"{side} {n} điểm"
    return f"{fmt.signed(gap, lang)} {_unit(unit, lang)}"


def _avg_cell(r: IndexResult, lang: str) -> str:
    if r.national_avg is None:
        return DASH
    basis = T[lang].get(r.avg_basis, "") if r.avg_basis else ""
    return fmt.score(r.national_avg, r.index_code, lang) + (f" ({basis})" if basis else "")


def _group_cell(r: IndexResult, lang: str) -> str:
    if not r.group:
        return DASH
    if r.index_code == "PAPI":
        name = r.group_name_vi if lang == "vi" else r.group_name_en
        return f"{name} ({'nhóm' if lang == 'vi' else 'quartile group'} {r.group})"
    return (r.group_name_vi if lang == "vi" else r.group_name_en) or r.group


def scorecard(profile: Profile, lang: str = "en", *, include_missing: bool = False) -> pd.DataFrame:
    """One row per index of the profile: score, rank/N, change on the base year (score and rank),
    gap to the national average, the average with its basis, and the group.

    Missing figures are "—". A change that crosses a methodology break is marked "†" and
    explained in ``df.attrs["note"]``. ``include_missing`` adds a row of "—" for each index
    without data for the province-year.
    """
    t = _check_lang(lang)
    rows, marked = [], False
    for r in profile.indices:
        mark = bool(r.crosses_break and r.base_year is not None and (r.delta is not None or r.rank_change is not None))
        marked |= mark
        rows.append({
            t["index"]: index_name(r.index_code, lang),
            t["score"]: _score_cell(r, lang),
            t["rank"]: _rank(r.rank, r.n_ranked, lang, r.tied) + (t["computed"] if r.rank is not None
                                                                  and r.rank_basis == "computed" else ""),
            t["base_year"]: DASH if r.base_year is None else str(r.base_year),
            t["change"]: _change_cell(r.delta, r.unit, lang, mark and r.delta is not None),
            t["rank_change"]: _rank_change_cell(r.rank_change, lang, r.base_rank, r.base_n_ranked,
                                                mark and r.rank_change is not None),
            t["gap"]: _gap_cell(r.gap_national, r.unit, lang),
            t["national_avg"]: _avg_cell(r, lang),
            t["group"]: _group_cell(r, lang),
        })
    if include_missing:
        for idx in profile.missing_indices:
            rows.append({t["index"]: index_name(idx, lang)})
    cols = [t[k] for k in ("index", "score", "rank", "base_year", "change", "rank_change", "gap", "national_avg",
                           "group")]
    df = pd.DataFrame(rows, columns=cols).fillna(DASH)
    if marked:
        df.attrs["note"] = t["break_note"]
    return df


def _result(profile: Profile, index_code: str) -> IndexResult | None:
    return profile.index(index_code)


def components_table(profile: Profile, index_code: str, lang: str = "en") -> pd.DataFrame:
    """The components of one index: score this year and in the base year, change, rank/N,
    rank change, national average and gap (in the components' unit).

    When the index has no component levels but has published changes (e.g. Hưng Yên's PAR
    INDEX 2022), a table of those changes with their source and a "published change" column.
    An empty DataFrame when there is neither (the narrative says what is missing).
    """
    t = _check_lang(lang)
    r = _result(profile, index_code)
    if r is None:
        return pd.DataFrame()
    comps = [c for c in r.components if c.value is not None or c.rank is not None]
    if comps:
        unit = _unit("points", lang)
        base = r.base_year if r.base_year is not None else DASH
        cols = [t["component"], t["value"].format(year=r.year), t["base_value"].format(base=base),
                t["delta"].format(unit=unit), t["rank_y"].format(year=r.year), t["rank_change"],
                t["national_avg"], t["comp_gap"].format(unit=unit)]
        rows = []
        for c in comps:
            rows.append([component_label(index_code, c.measure, c.name_en, c.name_vi, lang), _num(c.value, lang),
                         _num(c.base_value, lang), _signed(c.delta, lang), _rank(c.rank, c.n_ranked, lang),
                         _rank_change_cell(c.rank_change, lang), _num(c.national_avg, lang),
                         _signed(c.gap_national, lang)])
        df = pd.DataFrame(rows, columns=cols)
        if r.crosses_break and r.base_year is not None:
            df.attrs["note"] = t["break_note"].lstrip("† ")
        return df
    if r.published_changes:
        pc = r.published_changes
        base = pc[0].base_year
        with_rank = any(c.rank_change is not None for c in pc)
        cols = [t["component"], t["published_change"].format(base=base)] + \
            ([t["rank_change"]] if with_rank else []) + [t["kind"], t["source"]]
        rows = []
        for c in pc:
            pp = c.unit == "percentage points"
            if c.delta is None:
                change = DASH
            elif lang == "vi":
                change = change_words(c.delta, "pp" if pp else "points", lang, trim=True)
            else:
                body = fmt.number(abs(c.delta), lang).rstrip("0").rstrip(".")
                change = f"{'+' if c.delta > 0 else '−' if c.delta < 0 else '±'}{body} " \
                         f"{'percentage points' if pp else c.unit}"
            kind = t["kind_published"] if pp else t["kind_published_points"].format(unit=c.unit)
            row = [component_label(index_code, c.measure, c.name_en, c.name_vi, lang), change]
            if with_rank:
                row.append(_rank_change_cell(c.rank_change, lang))
            rows.append(row + [kind, c.source_id])
        return pd.DataFrame(rows, columns=cols)
    return pd.DataFrame()


def remedies_table(profile: Profile, lang: str = "en", limit: int | None = None) -> pd.DataFrame:
    """Priority components (``profile.remedies``, in priority order): score, points lost since the
    base year, distance below the national average and to the maximum, best rank gain."""
    t = _check_lang(lang)
    cols = [t["priority"], t["index"], t["component"], t["score"], t["points_lost"], t["below_avg"], t["to_max"],
            t["rank_gain"]]
    rows = []
    for m in profile.remedies[:limit]:
        gain = DASH if m.best_rank_gain is None else (
            t["none"] if m.best_rank_gain <= 0 else
            t["upto"].format(n=m.best_rank_gain, s="" if m.best_rank_gain == 1 else "s"))
        rows.append([str(m.priority), index_name(m.index_code, lang),
                     component_label(m.index_code, m.measure, m.name_en, m.name_vi, lang), _num(m.value, lang),
                     _num(m.points_lost, lang), _num(m.gap_below_avg, lang), _num(m.distance_to_max, lang), gain])
    return pd.DataFrame(rows, columns=cols)


def whatif_table(profile: Profile, lang: str = "en", *, index_code: str | None = None,
                 scenarios: tuple[str, ...] | None = None) -> pd.DataFrame:
    """What the index total and rank would be if one component reached a target (national
    average, its own previous value, the best province, the maximum); one row per scenario."""
    t = _check_lang(lang)
    cols = [t["index"], t["component"], t["scenario"], t["comp_from_to"], t["total_from_to"], t["rank_from_to"]]
    rows = []
    for w in profile.whatif:
        if index_code is not None and w.index_code != index_code:
            continue
        if scenarios is not None and w.scenario not in scenarios:
            continue
        if w.rank_from is None or w.rank_to is None:
            ranks = DASH
        elif lang == "vi":
            ranks = f"{w.rank_from}/{w.n_ranked} → {w.rank_to}/{w.n_ranked}"
        else:
            ranks = f"{fmt.ordinal(w.rank_from)} → {fmt.ordinal(w.rank_to)} of {w.n_ranked}"
        rows.append([index_name(w.index_code, lang), component_label(w.index_code, w.measure, w.name_en, w.name_vi,
                                                                     lang),
                     scenario_name(w.scenario, lang),
                     f"{_num(w.component_from, lang)} → {_num(w.component_to, lang)}",
                     f"{_num(w.total_from, lang)} → {_num(w.total_to, lang)}", ranks])
    return pd.DataFrame(rows, columns=cols)


def caveats_list(profile: Profile, lang: str = "en") -> list[str]:
    """The profile's caveats in words (:func:`parlib.present.narrative.caveat_text`)."""
    _check_lang(lang)
    return [caveat_text(c, lang) for c in profile.caveats]


def caveats_table(profile: Profile, lang: str = "en") -> pd.DataFrame:
    """The caveats as a one-column table."""
    t = _check_lang(lang)
    return pd.DataFrame({t["caveat"]: caveats_list(profile, lang)})


def sources_table(profile: Profile, lang: str = "en") -> pd.DataFrame:
    """Every source the profile's figures come from: id, producer, title, address, kind, accessed,
    licence (producer, title and licence as recorded, in the source's language)."""
    t = _check_lang(lang)
    cols = [t["source_id"], t["producer"], t["title"], t["address"], t["kind"], t["accessed"], t["licence"]]
    rows = []
    for s in profile.sources:
        kind = str(s.get("kind", "") or "")
        rows.append([s["source_id"], s.get("producer") or DASH, s.get("title") or DASH, s.get("url") or DASH,
                     KINDS.get(kind, {}).get(lang, kind or DASH), s.get("accessed") or DASH,
                     s.get("licence") or DASH])
    return pd.DataFrame(rows, columns=cols)


def provenance_table(params: dict, lang: str = "en", generated_at: str | None = None,
                     data_dir=None) -> pd.DataFrame:
    """What a report was built from: parlib version, the notebook parameters, when it was
    generated (passed in by the caller, so the table itself is reproducible) and every bundled
    data file with the first 12 characters of its sha256 and its row count."""
    import parlib
    from parlib.data.loading import manifest

    t = _check_lang(lang)
    rows = [["parlib", parlib.__version__]]
    params = dict(params or {})
    generated_at = generated_at or params.pop("generated_at", None)
    for k, v in params.items():
        label = PARAM_NAMES.get(k, {}).get(lang, k)
        rows.append([("tham số: " if lang == "vi" else "parameter: ") + label, DASH if v is None else str(v)])
    rows.append(["Thời điểm tạo báo cáo" if lang == "vi" else "Generated at", generated_at or DASH])
    word = "dòng" if lang == "vi" else "rows"
    for f in manifest(data_dir).itertuples():
        rows.append([f"data/{f.file}", f"sha256 {f.sha256[:12]} · {f.rows} {word}" if f.rows else
                     f"sha256 {f.sha256[:12]}"])
    from parlib.config import user_data_dir

    store = user_data_dir()
    if (store / "MANIFEST.csv").exists():  # imported tables (parlib data import)
        label = "nhập" if lang == "vi" else "imported"
        for f in manifest(store).itertuples():
            rows.append([f"{label}: {f.file}", f"sha256 {f.sha256[:12]}"])
    return pd.DataFrame(rows, columns=[t["item"], t["detail"]])


# --- national overview ------------------------------------------------------------------------
def _scores(scores: pd.DataFrame | None) -> pd.DataFrame:
    if scores is None:
        from parlib.data.loading import load_scores

        return load_scores(include_indicators=False)
    return scores


def _year_rows(year: int, index_code: str, scores: pd.DataFrame | None, measure: str = "TOTAL"):
    """This year's ranked rows (with groups) and deltas of one index measure."""
    s = _scores(scores)
    s = s[(s.index_code.astype(str) == index_code) & (s.measure == measure) & (s.year <= year)]
    ranked = dl.rank_scores(s)
    this = ranked[(ranked.year == year) & (ranked.value.notna() | ranked["rank"].notna())]
    grouped = dl.add_groups(this)
    d = dl.compute_deltas(s)
    d = d[d.year == year]
    return grouped, d


def _sort_key_rank(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(_r=pd.to_numeric(df["rank"], errors="coerce").astype(float),
                     _v=-pd.to_numeric(df["value"], errors="coerce").astype(float)) \
        .sort_values(["_r", "_v"], na_position="last", kind="stable")


def ranking_table(year: int, index_code: str, lang: str = "en", scores: pd.DataFrame | None = None,
                  measure: str = "TOTAL") -> pd.DataFrame:
    """All provinces with a score or a rank in ``year``, best first: rank/N, province, score,
    change in score and rank on the previous available year, group.

    PAR INDEX and SIPAS results are mostly in the data for some provinces only; the table then
    lists those and ``df.attrs["note"]`` says it is partial (ranks stay the published national
    ranks). Ranks: published where published, else computed (competition ranking, higher is
    better) when enough provinces have a score.
    """
    t = _check_lang(lang)
    rows, d = _year_rows(year, index_code, scores, measure)
    d = d.set_index("province_code")
    unit = DELTA_UNIT.get(index_code, "points")
    out, marked, fallback = [], False, False
    for r in _sort_key_rank(rows).itertuples():
        dr = d.loc[r.province_code] if r.province_code in d.index else None
        cross = bool(dr is not None and dr.crosses_break)
        fb = bool(dr is not None and dr.fallback)
        delta = None if dr is None or _missing(dr.delta_pp) else float(dr.delta_pp)
        rc = None if dr is None or _missing(dr.rank_change) else int(dr.rank_change)
        marked |= cross and (delta is not None or rc is not None)
        change = _change_cell(delta, unit, lang, cross and delta is not None)
        if fb and delta is not None:
            fallback = True
            change += f" ({'so với' if lang == 'vi' else 'vs'} {int(dr.base_year)})"
        if index_code == "PAPI" and r.group:
            group = (r.group_name_vi if lang == "vi" else r.group_name_en) + f" ({r.group})"
        else:
            group = ((r.group_name_vi if lang == "vi" else r.group_name_en) or DASH) if r.group else DASH
        score = DASH if _missing(r.value) else (fmt.score(r.value, index_code, lang) if index_code in ("PAR", "SIPAS")
                                                else fmt.number(r.value, lang))
        out.append([_rank(r.rank, r.n_ranked, lang, bool(r.tied)), province_name(r.province_code, lang), score,
                    change, _rank_change_cell(rc, lang, mark=cross and rc is not None), group])
    cols = [t["rank"], t["province"], t["score"], t["change"], t["rank_change"], t["group"]]
    df = pd.DataFrame(out, columns=cols)
    notes = []
    # the published denominator when there is one (PAPI surveys 60-63 provinces), else the unit set
    n_pub = pd.to_numeric(rows["n_ranked"], errors="coerce").max() if len(rows) else np.nan
    expected = int(n_pub) if not _missing(n_pub) else len(registry(unit_set_for_year(year)))
    if 0 < len(df) < expected:
        n_val = int(rows.value.notna().sum())
        notes.append(
            f"Partial table: {len(df)} of {expected} provinces have a published {index_name(index_code, lang)} "
            f"result for {year} in the data ({n_val} with a score); ranks are the national ranks as published."
            if lang == "en" else
            f"Bảng chưa đầy đủ: dữ liệu có kết quả {index_name(index_code, lang)} năm {year} của {len(df)}/{expected} "
            f"tỉnh, thành phố ({n_val} tỉnh có điểm số); thứ hạng là thứ hạng toàn quốc đã công bố.")
    if marked:
        notes.append(t["break_note"])
    if fallback:
        notes.append("Where the previous year is missing, the change is on the latest earlier year shown in brackets."
                     if lang == "en" else
                     "Khi thiếu số liệu năm liền trước, mức thay đổi so với năm gần nhất có số liệu (ghi trong ngoặc).")
    if notes:
        df.attrs["note"] = " ".join(notes)
    df.attrs["n_provinces"] = len(df)
    df.attrs["n_expected"] = expected
    return df


def movers(year: int, index_code: str, lang: str = "en", n: int = 5, scores: pd.DataFrame | None = None,
           measure: str = "TOTAL") -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``n`` provinces that rose and fell most in rank on the previous available year, among
    comparable changes only (same methodology period and unit set). Returns (up, down); both
    are empty, with ``attrs["note"]`` saying why, when no change is comparable."""
    t = _check_lang(lang)
    _, d = _year_rows(year, index_code, scores, measure)
    ok = d[d.comparable.astype(bool) & d.rank_change.notna()].copy()
    ok["rank_change"] = ok.rank_change.astype(float)
    unit = DELTA_UNIT.get(index_code, "points")
    cols = [t["province"], t["rank_from_to"], t["rank_change"], t["change"]]

    def frame(sub: pd.DataFrame) -> pd.DataFrame:
        rows = []
        for r in sub.itertuples():
            ranks = f"{_rank(r.base_rank, r.base_n_ranked, lang)} → {_rank(r.rank, r.n_ranked, lang)}"
            rows.append([province_name(r.province_code, lang), ranks, _rank_change_cell(r.rank_change, lang),
                         _change_cell(None if _missing(r.delta_pp) else float(r.delta_pp), unit, lang)])
        return pd.DataFrame(rows, columns=cols)

    up = frame(ok[ok.rank_change > 0].sort_values(["rank_change", "rank"], ascending=[False, True],
                                                  kind="stable").head(n))
    down = frame(ok[ok.rank_change < 0].sort_values(["rank_change", "rank"], ascending=[True, True],
                                                    kind="stable").head(n))
    if ok.empty:
        has = d.rank_change.notna().any()
        note = ((f"No comparable rank changes for {index_name(index_code, lang)} {year}: "
                 + ("every comparison crosses a methodology change." if has else "no earlier ranks in the data."))
                if lang == "en" else
                (f"Không có thay đổi thứ hạng so sánh được của {index_name(index_code, lang)} năm {year}: "
                 + ("mọi so sánh đều qua thay đổi phương pháp." if has else "chưa có thứ hạng năm trước.")))
        up.attrs["note"] = down.attrs["note"] = note
    return up, down


def regional_averages(year: int, lang: str = "en", scores: pd.DataFrame | None = None,
                      indices: tuple[str, ...] | None = None) -> pd.DataFrame:
    """Per region (and the whole country) and index: the mean of the provinces with a score, how
    many provinces that is out of the region's, and the published mean where there is one
    (marked with its source). Regions are the six socio-economic regions (years before 2025)."""
    from parlib.data.loading import load_aggregates
    from parlib.data.registry import regions

    t = _check_lang(lang)
    s = _scores(scores)
    s = s[(s.year == year) & (s.measure == "TOTAL") & s.value.notna()]
    reg = registry("VN63")[["code", "region_code"]]
    rmap = dict(zip(reg.code, reg.region_code))
    size = reg.region_code.value_counts().to_dict()
    agg = load_aggregates()
    agg = agg[(agg.year == year) & (agg.measure == "TOTAL") & (agg.statistic == "mean")]
    rnames = regions().set_index("region_code")
    idxs = [i for i in (indices or INDICES)]
    rows = []
    areas = ([(rc, rnames.loc[rc, "name_vi" if lang == "vi" else "name_en"]) for rc in rnames.index]
             if year < 2025 else []) + [("VN", t["vietnam"])]
    for idx in idxs:
        si = s[s.index_code.astype(str) == idx]
        ai = agg[agg.index_code == idx]
        if si.empty and ai.empty:
            continue
        for code, name in areas:
            vals = si.value if code == "VN" else si.value[si.province_code.map(rmap) == code]
            total = len(registry(unit_set_for_year(year))) if code == "VN" else size.get(code, 0)
            pub = ai[ai.area_code == code]
            pub_cell = DASH
            if len(pub):
                p = pub.iloc[0]
                pub_cell = f"{fmt.score(p.value, idx, lang)} ({t['published']}: {p.source_id})"
            mean_cell = DASH if vals.empty else fmt.score(float(vals.mean()), idx, lang)
            if vals.empty and pub_cell == DASH:
                continue
            rows.append([name, index_name(idx, lang), mean_cell, f"{len(vals)}/{total}", pub_cell])
    df = pd.DataFrame(rows, columns=[t["region"], t["index"], t["mean_prov"], t["n_prov"], t["published_mean"]])
    df.attrs["note"] = ("A mean of a few provinces is not the regional average: read it with the number of provinces."
                        if lang == "en" else
                        "Bình quân của một số ít tỉnh không phải là trung bình của vùng: cần đọc cùng số tỉnh có số liệu.")
    return df


def cross_index_values(year: int, scores: pd.DataFrame | None = None, measure: str = "TOTAL") -> pd.DataFrame:
    """Numbers, not text: province_code × index_code of the indices' totals in ``year`` (NaN where
    missing); only provinces and indices with at least one value."""
    s = _scores(scores)
    s = s[(s.year == year) & (s.measure == measure) & s.value.notna()]
    wide = s.assign(index_code=s.index_code.astype(str)).pivot_table(
        index="province_code", columns="index_code", values="value", aggfunc="first")
    wide = wide.reindex(columns=[i for i in INDICES if i in wide.columns])
    wide.columns.name = None
    return wide.astype(float)


def cross_index_table(year: int, lang: str = "en", scores: pd.DataFrame | None = None) -> pd.DataFrame:
    """Wide display table: one row per province with any index total in ``year``, one column per
    index, "—" where a province has no score; provinces in alphabetical order."""
    from parlib._text import fold

    t = _check_lang(lang)
    wide = cross_index_values(year, scores)
    out = pd.DataFrame({t["province"]: [province_name(c, lang) for c in wide.index]})
    for idx in wide.columns:
        out[index_name(idx, lang)] = [DASH if np.isnan(v) else fmt.number(v, lang) for v in wide[idx]]
    out["_k"] = out[t["province"]].map(lambda x: fold(x).casefold())
    return out.sort_values("_k", kind="stable").drop(columns="_k").reset_index(drop=True)

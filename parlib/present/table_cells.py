"""Cells of the report tables: a figure, change, gap, rank move or group as the language writes it
(the catalogues' templates), shared by the province, overview and annex tables."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from parlib._vocab import index_facts
from parlib._words import localized
from parlib.present import fmt
from parlib.present.catalogue import TABLE as T
from parlib.present.catalogue import (
    check_lang,
    group_name,
    plural,
    word,
)

if TYPE_CHECKING:
    from parlib.engine.results import IndexResult

DASH = fmt.DASH
BREAK_MARK = "†"


def _check_lang(lang: str) -> dict:
    return T[check_lang(lang)]


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


def component_label(index_code: str, measure: str, name_en: str, name_vi: str, lang: str = "en") -> str:
    """A short component name: numbering and footnote marks dropped, ``D<n>`` components numbered
    where the index numbers them (``numbered_components``: PAPI's dimensions).

    >>> component_label("PAPI", "D8", "Dimension 8: E-Governance", "Chỉ số nội dung 8: Quản trị điện tử", "vi")
    '8. Quản trị điện tử'
    """
    name = localized({"name_en": name_en, "name_vi": name_vi}, "name", lang) or name_en or name_vi or measure
    short = name.split(": ", 1)[-1].rstrip("*").strip()
    m = re.fullmatch(r"D(\d+)", str(measure))
    return f"{m.group(1)}. {short}" if m and index_facts(index_code).numbered_components else short


# --- one province ------------------------------------------------------------------------------
def _score_cell(r: IndexResult, lang: str) -> str:
    if r.value is None:
        return DASH
    if index_facts(r.index_code).percent:
        return fmt.score(r.value, r.index_code, lang)
    tail = f"/{fmt.number(r.scale_max, lang, 0)}" if r.scale_max else ""
    return f"{fmt.number(r.value, lang)}{tail} {T[lang]['points']}"


def _change_cell(delta, unit: str, lang: str, mark: bool = False) -> str:
    if _missing(delta):
        return DASH
    return _signed_words("table.change", delta, unit, lang) + (f" {BREAK_MARK}" if mark else "")


def _signed_words(prefix: str, delta: float, unit: str, lang: str, trim: bool = False) -> str:
    """A signed amount as the language writes it in a table: '+2.65 percentage points' / 'tăng 2,65%'
    (``<prefix>.up_pp``, ``.down_points``, ``.none_pp`` … of the catalogues)."""
    n = fmt.number(abs(delta), lang)
    if trim:
        n = n.rstrip("0").rstrip(fmt.decimal_symbol(lang))
    side = "up" if delta > 0 else "down" if delta < 0 else "none"
    return word(f"{prefix}.{side}_{'pp' if unit == 'pp' else 'points'}", lang, n=n)


def _rank_change_cell(change, lang: str, base_rank=None, base_n=None, mark: bool = False) -> str:
    if _missing(change):
        return DASH
    t = T[lang]
    change = int(change)
    n = abs(change)
    key = "table.up_places" if change > 0 else "table.down_places" if change < 0 else "table.same_place"
    text = plural(key, n, lang).format(n=n)
    if change != 0 and not _missing(base_rank):
        text += t["from_rank"].format(r=_rank(base_rank, base_n, lang))
    return text + (f" {BREAK_MARK}" if mark else "")


def _gap_cell(gap, unit: str, lang: str) -> str:
    if _missing(gap):
        return DASH
    return _signed_words("table.gap", gap, unit, lang)


def _avg_cell(r: IndexResult, lang: str) -> str:
    if r.national_avg is None:
        return DASH
    basis = T[lang].get(r.avg_basis, "") if r.avg_basis else ""
    return fmt.score(r.national_avg, r.index_code, lang) + (f" ({basis})" if basis else "")


def _group_cell(r: IndexResult, lang: str) -> str:
    if not r.group:
        return DASH
    name = group_name(r.index_code, r.group, lang)
    if index_facts(r.index_code).group_scheme == "papi_quartile":
        return word("table.quartile_group", lang, name=name, group=r.group)
    return name or r.group

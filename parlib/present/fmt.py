"""Numbers, ranks and ordinals in English and Vietnamese, with Babel's locale data.

Vietnamese writes a decimal comma and dot thousands ("1.234,5"); the patterns come from Babel
(CLDR), not from string replacement. Missing figures are "—".

>>> ordinal(1), ordinal(2), ordinal(3), ordinal(11), ordinal(12), ordinal(13), ordinal(21), ordinal(111)
('1st', '2nd', '3rd', '11th', '12th', '13th', '21st', '111th')
>>> number(86.98, "vi"), number(86.98, "en"), number(1234.5, "vi", 1)
('86,98', '86.98', '1.234,5')
"""

from __future__ import annotations

import math
from functools import lru_cache

from babel import Locale
from babel.numbers import parse_pattern

from parlib._vocab import index_facts

DASH = "—"


def ordinal(n: int) -> str:
    """English ordinal: 1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 111th."""
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def is_missing(x) -> bool:
    """True for None, NaN and pandas NA."""
    if x is None:
        return True
    try:
        return bool(math.isnan(x))
    except TypeError:
        return str(x) in ("<NA>", "nan", "NaT")


@lru_cache(maxsize=None)
def _locale(lang: str) -> Locale:
    return Locale.parse("vi" if lang == "vi" else "en")


@lru_cache(maxsize=None)
def _pattern(decimals: int):
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals else ""))


def number(x: float, lang: str = "en", decimals: int = 2) -> str:
    """A number with fixed decimals in the language's notation (Babel, CLDR)."""
    return _pattern(decimals).apply(round(float(x), decimals), _locale(lang))


def signed(x: float, lang: str = "en", decimals: int = 2) -> str:
    """A number with an explicit sign: +1.39 / −0.02 (Unicode minus)."""
    body = number(abs(x), lang, decimals)
    return ("+" if x > 0 else "−" if x < 0 else "±") + body


@lru_cache(maxsize=None)
def _percent_pattern(decimals: int):
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals else "") + "%")


def percent(x: float, lang: str = "en", decimals: int = 1) -> str:
    """A proportion (0–1) as a percent with Babel's percent scale: 0.2034 → '20.3%' / '20,3%'."""
    if is_missing(x):
        return DASH
    return _percent_pattern(decimals).apply(float(x), _locale(lang))


def percent_points(x: float, lang: str = "en", decimals: int = 1) -> str:
    """A difference of two proportions as signed percentage points, without the unit word (the
    catalogue's): 0.051 → '+5.1' / '+5,1' (Babel's percent scale)."""
    if is_missing(x):
        return DASH
    body = percent(abs(x), lang, decimals).rstrip("%").strip()
    return ("+" if x > 0 else "−" if x < 0 else "±") + body


def score(x: float, index_code: str, lang: str = "en", decimals: int = 2) -> str:
    """A headline score with its unit: a percent index (PAR/SIPAS) with "%", a point scale bare;
    ``index_code`` "" for a bare number (a component)."""
    if is_missing(x):
        return DASH
    return number(x, lang, decimals) + ("%" if index_code and index_facts(index_code).percent else "")


def rank_of(rank, n, lang: str = "en") -> str:
    """'12th/63' in English, '12/63' in Vietnamese; '—' when no rank."""
    if is_missing(rank):
        return DASH
    head = ordinal(rank) if lang == "en" else str(int(rank))
    return f"{head}/{int(n)}" if not is_missing(n) else head

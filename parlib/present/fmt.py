"""Numbers, ranks and ordinals in each language, with Babel's locale data.

A language's numbers follow the Babel locale its catalogue names (``meta.number_locale``):
Vietnamese writes a decimal comma and dot thousands ("1.234,5"); the patterns come from Babel
(CLDR), not from string replacement. An ordinal is the catalogue's template for the number's CLDR
ordinal category ("{n}st" for English "one", "{n}" in Vietnamese). Missing figures are "—".

>>> ordinal(1), ordinal(2), ordinal(3), ordinal(11), ordinal(12), ordinal(13), ordinal(21), ordinal(111)
('1st', '2nd', '3rd', '11th', '12th', '13th', '21st', '111th')
>>> ordinal(21, "vi"), rank_of(12, 63, "en"), rank_of(12, 63, "vi")
('21', '12th/63', '12/63')
>>> number(86.98, "vi"), number(86.98, "en"), number(1234.5, "vi", 1)
('86,98', '86.98', '1.234,5')
"""

from __future__ import annotations

import math
from functools import lru_cache

from babel import Locale
from babel.numbers import get_decimal_symbol, parse_pattern

import parlib._words as _words
from parlib._vocab import index_facts

DASH = "—"


def ordinal(n: int, lang: str = "en") -> str:
    """An ordinal in the language: 1st, 2nd, 3rd, 11th, 21st in English; the bare number in Vietnamese."""
    n = int(n)
    form = _locale(lang).ordinal_form(n)
    return _words.text(f"fmt.ordinal.{form}", lang).format(n=n)


def is_missing(x) -> bool:
    """True for None, NaN and pandas NA."""
    if x is None:
        return True
    try:
        return bool(math.isnan(x))
    except TypeError:
        return str(x) in ("<NA>", "nan", "NaT")


def _locale(lang: str) -> Locale:
    return _parse_locale(_words.number_locale(lang))


@lru_cache(maxsize=None)
def _parse_locale(name: str) -> Locale:
    return Locale.parse(name)


def decimal_symbol(lang: str) -> str:
    """The decimal separator of the language's numbers ("." or ",")."""
    return get_decimal_symbol(_locale(lang))


@lru_cache(maxsize=None)
def _pattern(decimals: int):
    return parse_pattern("#,##0" + ("." + "0" * decimals if decimals else ""))


def number(x: float, lang: str = "en", decimals: int = 2) -> str:
    """A number with fixed decimals in the language's notation (Babel, CLDR)."""
    return _number(round(float(x), decimals), _words.number_locale(lang), decimals)


@lru_cache(maxsize=8192)
def _number(x: float, locale: str, decimals: int) -> str:
    """:func:`number` of a rounded value in a locale (a report formats ~400 numbers, many the same:
    ranks, fields, averages; Babel's decimal arithmetic is the cost)."""
    return _pattern(decimals).apply(x, _parse_locale(locale))


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
    head = ordinal(rank, lang)
    return _words.text("fmt.rank_of", lang).format(rank=head, n=int(n)) if not is_missing(n) else head

"""Text helpers: Vietnamese name normalisation and slugs."""

from __future__ import annotations

import re
import unicodedata

# Old-style tone placement (oà, oá, …, uỳ) → new style (òa, óa, …, ùy), applied after NFC.
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook, dot below
_OLD_STYLE = re.compile(r"([oOuU])([aAeEyY])([" + _TONE_MARKS + r"])")

_PREFIXES = re.compile(r"^\s*(tinh|thanh\s*pho|tp\s*\.?|t\.p\.?|city\s+of|province\s+of)\s+", re.IGNORECASE)
_SUFFIXES = re.compile(r"\s+(province|city|tinh)\s*$", re.IGNORECASE)


def nfc(text: str) -> str:
    """NFC-normalise and strip surrounding whitespace (tabs included)."""
    return unicodedata.normalize("NFC", str(text)).strip()


def new_style_tones(text: str) -> str:
    """Move tone marks to the modern position: 'Hoà' → 'Hòa', 'Thanh Hoá' → 'Thanh Hóa'.

    >>> new_style_tones("Khánh Hoà") == "Khánh Hòa"
    True
    """
    decomposed = unicodedata.normalize("NFD", text)
    moved = _OLD_STYLE.sub(lambda m: m.group(1) + m.group(3) + m.group(2), decomposed)
    return unicodedata.normalize("NFC", moved)


def fold(text: str) -> str:
    """ASCII fold: drop diacritics, map đ→d.

    >>> fold("Đắk Lắk")
    'Dak Lak'
    """
    text = nfc(text).replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def match_key(text: str) -> str:
    """Key for matching names: folded, casefolded, prefixes dropped, only letters and digits.

    >>> match_key("Tỉnh Hưng Yên") == match_key("hung-yen") == match_key("HUNG YEN")
    True
    """
    t = fold(new_style_tones(nfc(text))).casefold()
    t = re.sub(r"[\u2010-\u2015]", "-", t)
    t = _PREFIXES.sub("", t)
    t = _SUFFIXES.sub("", t)
    return re.sub(r"[^a-z0-9]+", "", t)


def slugify(text: str) -> str:
    """URL/file slug: 'Bà Rịa - Vũng Tàu' → 'ba-ria-vung-tau'."""
    return re.sub(r"[^a-z0-9]+", "-", fold(nfc(text)).casefold()).strip("-")

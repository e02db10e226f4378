"""Text helpers: Vietnamese name normalisation and slugs."""

from __future__ import annotations

import re
import unicodedata

# Old-style tone placement (oà, oá, …, uỳ) → new style (òa, óa, …, ùy), applied after NFC.
_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook, dot below
_OLD_STYLE = re.compile(r"([oOuU])([aAeEyY])([" + _TONE_MARKS + r"])")

_PREFIXES = re.compile(r"^\s*(tinh|thanh\s*pho|tp\s*\.?|t\.p\.?|city\s+of|province\s+of)\s+", re.IGNORECASE)
# English words after a name ("Hue city"); never "tinh": "Hà Tĩnh" would become "Hà" (issue 18).
_SUFFIXES = re.compile(r"\s+(province|city)\s*$", re.IGNORECASE)


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


def _match_text(text: str) -> str:
    """Folded, casefolded text with the prefixes (tỉnh, thành phố, TP) and English suffixes dropped."""
    t = fold(new_style_tones(nfc(text))).casefold()
    t = re.sub(r"[\u2010-\u2015]", "-", t)
    t = _PREFIXES.sub("", t)
    return _SUFFIXES.sub("", t)


def match_key(text: str) -> str:
    """Key for matching names: folded, casefolded, prefixes dropped, only letters and digits.

    >>> match_key("Tỉnh Hưng Yên") == match_key("hung-yen") == match_key("HUNG YEN")
    True
    >>> match_key("Hà Tĩnh")  # "tỉnh" is dropped only as a prefix
    'hatinh'
    """
    return re.sub(r"[^a-z0-9]+", "", _match_text(text))


def match_words(text: str) -> list[str]:
    """The words of :func:`match_key`, for "the name begins with these words" suggestions.

    >>> match_words("Tỉnh Hà")
    ['ha']
    """
    return re.findall(r"[a-z0-9]+", _match_text(text))


# Greek and Cyrillic letters that look like Latin ones: used only to *suggest* a name, never to match.
_LOOK_ALIKES = str.maketrans(
    "АВЕЅІЈКМНОРСТХУаеѕіјорсхуһԁԛԝΑΒΕΖΗΙΚΜΝΟΡΤΥΧοικνρτυχı",
    "ABESIJKMHOPCTXYaesijopcxyhdqwABEZHIKMNOPTYXoikvptuxi",
)


def foreign_letters(text: str) -> list[str]:
    """The letters of ``text`` that are not letters of Vietnamese names in the Latin alphabet
    (Greek, Cyrillic, dotless ı, …), each once, in order.

    >>> foreign_letters("Ha No\u0456")  # a Cyrillic і
    ['і']
    >>> foreign_letters("Đắk Lắk")
    []
    """
    out: list[str] = []
    for c in nfc(text):
        if c.isalpha() and not re.fullmatch(r"[a-z]+", fold(c).casefold()) and c not in out:
            out.append(c)
    return out


def latin_look_alike(text: str) -> str:
    """``text`` with Greek and Cyrillic look-alike letters replaced by the Latin letters they imitate."""
    return nfc(text).translate(_LOOK_ALIKES)


#: Bidirectional controls: embeddings and overrides (U+202A-U+202E), isolates (U+2066-U+2069) and
#: marks (U+200E, U+200F, U+061C). Vietnamese and English never need them; raw, they show a title
#: reversed in a page, a PDF or a terminal.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def bidi_controls(text: str) -> list[str]:
    """The bidirectional control characters in ``text``, each once, in order."""
    return list(dict.fromkeys(_BIDI.findall(str(text))))


def strip_bidi(text: str) -> str:
    """``text`` without bidirectional control characters."""
    return _BIDI.sub("", str(text))


def escape_bidi(text: str) -> str:
    """Bidirectional control characters made visible and inert: U+202E → ``[U+202E]``.

    >>> escape_bidi("a\u202eb")
    'a[U+202E]b'
    """
    return _BIDI.sub(lambda m: f"[U+{ord(m.group()):04X}]", text) if _BIDI.search(text) else text


def slugify(text: str) -> str:
    """URL/file slug: 'Bà Rịa - Vũng Tàu' → 'ba-ria-vung-tau'."""
    return re.sub(r"[^a-z0-9]+", "-", fold(nfc(text)).casefold()).strip("-")

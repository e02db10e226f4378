"""The message catalogues: one gettext ``.po`` file per language, read with Babel.

A language is a catalogue file: ``parlib/locales/<lang>.po`` (shipped in the wheel), plus any
``<lang>.po`` in the folders named by ``PARLIB_LOCALES`` (``os.pathsep``-separated; a file there
replaces the bundled one of the same language). The languages, their display names
(``meta.name``) and the Babel locale their numbers are written in (``meta.number_locale``) all come
from the files found. Message ids are stable keys ("table.index", "heading.rankings"); ``{name}``
fields are filled by the presenter. A key with a plural form ("table.up_places") has one text per
plural form of the language (the file's ``Plural-Forms`` header), chosen by :func:`plural`.

English is the source language: every key lives in ``en.po``; tests check that every other
catalogue has every key with the same ``{fields}``. This module imports only :mod:`parlib.config`
and Babel, so every layer may ask it for words.

>>> text("heading.rankings", "vi"), plural("table.up_places", 1, "en"), plural("table.up_places", 3, "en")
('Bảng xếp hạng', '↑{n} place', '↑{n} places')
"""

from __future__ import annotations

import gettext
import os
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel.messages.pofile import read_po

#: The bundled catalogues (package data).
LOCALES_DIR = Path(__file__).with_name("locales")
#: The source language: every key exists in its catalogue.
SOURCE = "en"


class CatalogueError(ValueError):
    """A catalogue file cannot be read or lacks keys; the message names the file and the fix."""


@dataclass(frozen=True)
class Catalogue:
    """One language's messages: key → text, or key → the texts of its plural forms."""

    lang: str
    path: Path
    messages: dict[str, str | tuple[str, ...]]
    plural_of: object  # n -> index of the plural form (from the file's Plural-Forms header)


def catalogue_dirs() -> tuple[Path, ...]:
    """The bundled folder, then each folder of ``PARLIB_LOCALES`` (later ones win)."""
    return _dirs(os.environ.get("PARLIB_LOCALES", ""))


@lru_cache(maxsize=8)
def _dirs(setting: str) -> tuple[Path, ...]:
    return (LOCALES_DIR, *(Path(p) for p in setting.split(os.pathsep) if p.strip()))


def _read(path: Path) -> Catalogue:
    try:
        with path.open("rb") as f:
            cat = read_po(f, abort_invalid=True)
    except Exception as e:  # noqa: BLE001 (any parse error becomes one line naming the file)
        raise CatalogueError(f"{path}: not a readable gettext catalogue ({e}). Fix the file or remove it") from None
    messages: dict[str, str | tuple[str, ...]] = {}
    for m in cat:
        if not m.id:
            continue  # the header
        if isinstance(m.id, tuple):
            messages[m.id[0]] = tuple(m.string)
        else:
            messages[m.id] = m.string
    return Catalogue(path.stem, path, messages, gettext.c2py(cat.plural_expr))


@lru_cache(maxsize=8)
def _catalogues(dirs: tuple[Path, ...]) -> dict[str, Catalogue]:
    found: dict[str, Path] = {}
    for d in dirs:
        if d.is_dir():
            for p in sorted(d.glob("*.po")):
                found[p.stem] = p
    if SOURCE not in found:
        raise CatalogueError(f"no {SOURCE}.po in {', '.join(map(str, dirs))}. Fix: reinstall parlib")
    order = [SOURCE, *sorted(k for k in found if k != SOURCE)]
    cats = {lang: _read(found[lang]) for lang in order}
    source = cats[SOURCE].messages
    for cat in cats.values():
        gaps = [k for k in source if not any(str(x).strip() for x in _forms(cat.messages.get(k)))]
        if gaps:
            raise CatalogueError(
                f"{cat.path}: {len(gaps)} message(s) missing or empty, first {', '.join(gaps[:3])}. "
                f"Fix: give every key of {SOURCE}.po a text (an untranslated language is not a language yet)"
            )
    return cats


def _forms(msg) -> tuple:
    return () if msg is None else msg if isinstance(msg, tuple) else (msg,)


def catalogues() -> dict[str, Catalogue]:
    """Every catalogue found (read once per set of folders), the source language first."""
    return _catalogues(catalogue_dirs())


def langs() -> tuple[str, ...]:
    """The languages with a catalogue, English first: ('en', 'vi', …)."""
    return tuple(catalogues())


class _Langs(Sequence):
    """:func:`langs` as a sequence that follows the catalogues found at each use."""

    def __getitem__(self, i):
        return langs()[i]

    def __len__(self) -> int:
        return len(langs())

    def __contains__(self, x) -> bool:
        return x in catalogues()

    def __repr__(self) -> str:
        return repr(langs())


#: The languages, English first; ``lang in LANGS`` follows the catalogue files found.
LANGS = _Langs()


def check(lang: str) -> Catalogue:
    cats = catalogues()
    if lang not in cats:
        raise ValueError(f"lang must be one of {', '.join(cats)}, not {lang!r} (a language is a catalogue file)")
    return cats[lang]


def has(key: str, lang: str) -> bool:
    return key in check(lang).messages


def text(key: str, lang: str) -> str:
    """The text of ``key`` in ``lang`` (the last plural form for a plural key); KeyError naming the
    file for a key it lacks."""
    cat = check(lang)
    try:
        msg = cat.messages[key]
    except KeyError:
        raise KeyError(f"{cat.path}: no message {key!r}. Fix: add it (see {SOURCE}.po)") from None
    return msg[-1] if isinstance(msg, tuple) else msg


def plural(key: str, n: int, lang: str) -> str:
    """The plural form of ``key`` for the count ``n`` (the catalogue's Plural-Forms rule)."""
    cat = check(lang)
    msg = cat.messages.get(key)
    if msg is None:
        return text(key, lang)
    if not isinstance(msg, tuple):
        return msg
    return msg[min(cat.plural_of(abs(int(n))), len(msg) - 1)]


def lang_name(lang: str) -> str:
    """The language's name in itself ("English", "Tiếng Việt"): the catalogue's ``meta.name``."""
    return text("meta.name", lang)


def number_locale(lang: str) -> str:
    """The Babel locale numbers are written in: the catalogue's ``meta.number_locale``."""
    return text("meta.number_locale", lang)


def localized(record, field: str, lang: str):
    """A data record's ``<field>_<lang>`` (an attribute, or a key of a dict/row), or its
    ``<field>_en`` when the record has no column for that language: names in the data tables
    (provinces, regions, components) are in the data's languages, the words around them here.

    >>> localized({"name_en": "Hung Yen", "name_vi": "Hưng Yên"}, "name", "vi")
    'Hưng Yên'
    """
    get = record.get if isinstance(record, dict) else (lambda k, d=None: getattr(record, k, d))
    missing = object()
    got = get(f"{field}_{lang}", missing)
    return get(f"{field}_{SOURCE}") if got is missing else got


def in_lang(names: dict, lang: str) -> str:
    """A name from a ``{lang: name}`` mapping the engine carries, English where it has none for ``lang``."""
    return names[lang] if lang in names else names[SOURCE]

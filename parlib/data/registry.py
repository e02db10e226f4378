"""Province registry: the 63 provinces (to 30 June 2025) and the 34 units (from 1 July 2025).

``province()`` accepts any reasonable spelling: with or without diacritics, old or new tone
placement (Hoà/Hòa), prefixes (Tỉnh, Thành phố, TP.), English forms (Hanoi, HCMC), slugs and
GSO codes. 34-unit codes are ``"N" + draft code`` (e.g. ``N33``) because the official codes of
the new units are not settled and their draft numbers collide with the old GSO codes.

>>> province("hung-yen").name_vi == "Hưng Yên"
True
>>> province("HCMC").code
'79'
>>> province("Thái Bình", unit_set="VN34").name_vi == "Hưng Yên"
True
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from parlib._text import foreign_letters, latin_look_alike, match_key, match_words, nfc
from parlib._words import localized
from parlib.config import bundled_data_dir

UNIT_SETS = ("VN63", "VN34", "FORMER")  # FORMER: units dissolved before 2025 (Hà Tây)
MERGER_YEAR = 2025  # the first result year that would be published for the 34 units


class UnknownProvinceError(LookupError):
    """Raised when a name or code matches no province; carries the closest matches."""

    def __init__(self, query: str, suggestions: list[str], reason: str | None = None):
        self.query = query
        # never offer the very name that was refused
        self.suggestions = [s for s in dict.fromkeys(suggestions) if s != nfc(str(query))]
        hint = f" Did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        what = reason or f"Unknown province {query!r}."
        super().__init__(f"{what}{hint} Run `parlib provinces` for the full list.")


@dataclass(frozen=True)
class Province:
    """One provincial unit of a unit set (VN63 or VN34)."""

    code: str
    unit_set: str
    name_vi: str
    name_ascii: str
    name_en: str
    slug: str
    type: str
    region_code: str
    region_vi: str
    region_en: str
    successor_code: str
    members: tuple[str, ...]
    note: str

    def name(self, lang: str = "en") -> str:
        """Display name in a language: Vietnamese with diacritics, or the English form."""
        return localized(self, "name", lang)

    @property
    def successor(self) -> "Province | None":
        """The 34-unit successor of a pre-2025 province (None for 34-unit provinces)."""
        return province(self.successor_code, unit_set="VN34") if self.successor_code else None

    @property
    def predecessors(self) -> list["Province"]:
        """The pre-2025 provinces merged into a 34-unit province."""
        return [province(c, unit_set="VN63") for c in self.members]


@lru_cache(maxsize=1)
def _tables() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    meta = bundled_data_dir() / "meta"
    units = pd.read_csv(meta / "units.csv", dtype=str, keep_default_na=False)
    regions = pd.read_csv(meta / "regions.csv", dtype=str, keep_default_na=False)
    aliases = pd.read_csv(meta / "aliases.csv", dtype=str, keep_default_na=False)
    return units, regions, aliases


@lru_cache(maxsize=1)
def _index() -> dict[str, dict[str, str]]:
    """match_key → code, per unit set. Codes, names, ASCII and English names, slugs, aliases."""
    units, _, aliases = _tables()
    index: dict[str, dict[str, str]] = {s: {} for s in UNIT_SETS}
    for u in units.itertuples():
        keys = {u.code, u.name_vi, u.name_ascii, u.name_en, u.slug}
        if u.unit_set == "VN34":
            keys |= {u.code[1:] + "-2025", u.slug.removesuffix("-2025")}
        for k in keys:
            index[u.unit_set].setdefault(match_key(k), u.code)
    for a in aliases.itertuples():
        index["VN63"].setdefault(match_key(a.alias), a.code)
    return index


@lru_cache(maxsize=1)
def _ambiguous() -> dict[str, dict[str, list[str]]]:
    """match_key → codes, per unit set, for keys that name more than one unit (none today; an alias
    added later must not silently pick one)."""
    units, _, aliases = _tables()
    seen: dict[str, dict[str, set[str]]] = {s: {} for s in UNIT_SETS}
    for u in units.itertuples():
        for k in {u.code, u.name_vi, u.name_ascii, u.name_en, u.slug}:
            seen[u.unit_set].setdefault(match_key(k), set()).add(u.code)
    for a in aliases.itertuples():
        seen["VN63"].setdefault(match_key(a.alias), set()).add(a.code)
    return {s: {k: sorted(c) for k, c in keys.items() if len(c) > 1} for s, keys in seen.items()}


def province(query: str | int | Province, *, unit_set: str | None = None, year: int | None = None) -> Province:
    """Resolve a province name or code to a :class:`Province`.

    ``unit_set`` picks the 63-unit (``"VN63"``, default) or 34-unit (``"VN34"``) registry;
    ``year`` picks it for you (2025 on → VN34). A pre-2025 name looked up in VN34 resolves to
    the unit it merged into. Unknown names raise :class:`UnknownProvinceError` with suggestions.
    """
    if isinstance(query, Province):
        if unit_set is None or query.unit_set == unit_set:
            return query
        query = query.code
    unit_set_arg = unit_set
    if unit_set is None:
        unit_set = "VN34" if (year is not None and year >= MERGER_YEAR) else "VN63"
    if unit_set not in UNIT_SETS:
        raise ValueError(f"unit_set must be one of {UNIT_SETS}, not {unit_set!r}")
    text = nfc(str(query))
    if foreign_letters(text):
        _refuse_foreign(str(query), unit_set, year)
    if text.isdigit() and len(text) == 1:
        text = "0" + text
    key = match_key(text)
    index = _index()
    if key in _ambiguous()[unit_set]:
        names = [_row(c, unit_set)["name_vi"] for c in _ambiguous()[unit_set][key]]
        raise UnknownProvinceError(str(query), names, f"Province name {query!r} names more than one unit.")
    code = index[unit_set].get(key)
    if code is None and unit_set == "VN34":
        old = index["VN63"].get(key)
        code = _row(old, "VN63")["successor_code"] if old else None
        if code is None and key in index["FORMER"]:
            code, unit_set = index["FORMER"][key], "FORMER"
    for other in ("VN34", "FORMER"):
        if code is None and unit_set == "VN63" and key in index[other]:
            code, unit_set = index[other][key], other
    if code is None:
        close = suggest(text, year=year)
        begins = len(close) > 1 and all(match_words(c)[: len(match_words(text))] == match_words(text) for c in close)
        reason = f"Province name {query!r} is not a whole name: {len(close)} names begin with it." if begins else None
        raise UnknownProvinceError(str(query), close, reason)
    if unit_set == "FORMER" and (year is not None or unit_set_arg == "VN34"):
        _refuse_dissolved(str(query), code, year)
    return _province(code, unit_set)


def _refuse_foreign(query: str, unit_set: str, year: int | None) -> None:
    """Refuse a name written with letters outside the Latin alphabet of Vietnamese names (Greek or
    Cyrillic look-alikes, …): suggest what the look-alikes imitate, never resolve it."""
    latin = latin_look_alike(query)
    guess: list[str] = []
    if not foreign_letters(latin):
        try:
            guess = [province(latin, unit_set=unit_set, year=year).name_vi]
        except UnknownProvinceError as e:
            guess = e.suggestions
    letters = ", ".join(f"{c!r} ({unicodedata.name(c, 'unnamed')}, U+{ord(c):04X})" for c in foreign_letters(query))
    raise UnknownProvinceError(
        query,
        guess,
        f"Province name {query!r} has letters outside the Latin alphabet of Vietnamese names: {letters}; "
        "parlib never guesses from look-alike letters: type the name in Latin letters or give its code.",
    )


def _refuse_dissolved(query: str, code: str, year: int | None) -> None:
    """Refuse a unit dissolved before ``year`` (Hà Tây after 2008), pointing to the one it merged into."""
    r = _row(code, "FORMER")
    if year is not None and r["valid_to"] and year <= int(r["valid_to"][:4]):
        return
    into = re.search(r"merged into .*?\((\w+)\)", r["note"])
    successor = [_row(into.group(1), "VN63")["name_vi"]] if into else []
    when = f"in {year}" if year is not None else "among the 34 units"
    raise UnknownProvinceError(
        query, successor, f"{r['name_vi']} ({code}) no longer exists {when}: {r['note'] or 'dissolved'}."
    )


def _row(code: str, unit_set: str) -> dict:
    units, _, _ = _tables()
    hit = units[(units.code == code) & (units.unit_set == unit_set)]
    return hit.iloc[0].to_dict()


@lru_cache(maxsize=None)
def _province(code: str, unit_set: str) -> Province:
    r = _row(code, unit_set)
    _, regions, _ = _tables()
    reg = regions.set_index("region_code")
    region = reg.loc[r["region_code"]] if r["region_code"] else None
    return Province(
        code=r["code"],
        unit_set=unit_set,
        name_vi=r["name_vi"],
        name_ascii=r["name_ascii"],
        name_en=r["name_en"],
        slug=r["slug"],
        type=r["type"],
        region_code=r["region_code"],
        region_vi=region["name_vi"] if region is not None else "",
        region_en=region["name_en"] if region is not None else "",
        successor_code=r["successor_code"],
        members=tuple(m for m in r["members"].split("+") if m),
        note=r["note"],
    )


def suggest(query: str, n: int = 3, *, year: int | None = None) -> list[str]:
    """Closest province names to a misspelt query (Vietnamese names); every name that begins with
    the query's words when there are such ("Hà" → Hà Giang, Hà Nam, Hà Nội, Hà Tĩnh). With ``year``,
    units dissolved before it (Hà Tây after 2008) are not offered."""
    units, _, aliases = _tables()
    if year is not None:
        gone = units.valid_to.str[:4].map(lambda y: bool(y) and int(y) < year) & (units.unit_set == "FORMER")
        units = units[~gone]
    words = match_words(query)
    begins = [name for name in dict.fromkeys(units.name_vi) if words and match_words(name)[: len(words)] == words]
    begins = [name for name in begins if match_key(name) != match_key(query)]
    if len(begins) > 1:
        return begins[:8]
    names = dict(zip(units.name_vi.map(match_key), units.name_vi))
    names.update(
        {
            match_key(a): units.loc[(units.code == c) & (units.unit_set == "VN63"), "name_vi"].iloc[0]
            for c, a in zip(aliases.code, aliases.alias)
        }
    )
    key = match_key(query)
    close = difflib.get_close_matches(key, list(names), n=n * 2, cutoff=0.6)
    if not close:  # fall back to substring matches ("giang" → An Giang, Bắc Giang, ...)
        close = [k for k in names if key and key in k]
    out: list[str] = []
    for k in close:
        if names[k] not in out:
            out.append(names[k])
    return out[:n]


def provinces(unit_set: str = "VN63") -> pd.DataFrame:
    """The registry table of one unit set, with region names and, for the 34 units of 2025, their
    predecessors.

    ``region_vi``/``region_en`` are empty (never NaN) where a unit has no region: the 34 units are
    not assigned to regions (their membership is not final, DOMAIN §6.4). ``predecessors`` holds
    the Vietnamese names of the 63-unit provinces a 34-unit was formed from, joined by ", "
    (empty for the other unit sets).
    """
    return _provinces(unit_set).copy()


@lru_cache(maxsize=None)
def _provinces(unit_set: str) -> pd.DataFrame:
    """The cached registry table behind :func:`provinces` (never hand it out uncopied)."""
    if unit_set not in UNIT_SETS:
        raise ValueError(f"unit_set must be one of {UNIT_SETS}, not {unit_set!r}")
    units, regions, _ = _tables()
    out = units[units.unit_set == unit_set].merge(
        regions[["region_code", "name_vi", "name_en"]].rename(columns={"name_vi": "region_vi", "name_en": "region_en"}),
        on="region_code",
        how="left",
    )
    out[["region_vi", "region_en"]] = out[["region_vi", "region_en"]].fillna("")
    old_names = dict(zip(units.loc[units.unit_set == "VN63", "code"], units.loc[units.unit_set == "VN63", "name_vi"]))
    out["predecessors"] = [", ".join(old_names[c] for c in m.split("+")) if m else "" for m in out.members]
    return out.reset_index(drop=True)


def regions() -> pd.DataFrame:
    """The six socio-economic regions (Resolution 81/2023/QH15)."""
    return _tables()[1].copy()


def unit_set_for_year(year: int) -> str:
    """The unit set in which results for ``year`` are published (VN34 from 2025)."""
    return "VN34" if year >= MERGER_YEAR else "VN63"

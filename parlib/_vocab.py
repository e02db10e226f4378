"""Vocabulary shared by every layer: the languages, and every fact about an index.

The facts about an index (names, publisher, unit, colour, component word, group scheme, header
aliases of imports, the score files that hold it …) are the rows of ``data/meta/indices.csv``,
one row per index in report order. This module is their one reader: code asks it
(:func:`index_facts`) and never tests an index code, so a fifth index is a row there, its
measures and periods in ``meta/`` and a scores file. It imports only :mod:`parlib.config` and :mod:`parlib._words`, so the
data layer, the engine and the presenters can all use it without depending on one another.

The table is read from the bundled data folder (``PARLIB_BUNDLED_DIR`` overrides, see
:mod:`parlib.config`); :data:`INDICES` and :data:`INDEX_NAMES` are read once, at import.

>>> index_facts("PAPI").delta_unit, index_facts("PAR").delta_unit
('points', 'pp')
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from parlib._words import LANGS, localized  # noqa: F401 (LANGS re-exported: the languages with a catalogue file)
from parlib.config import bundled_data_dir

COLUMNS = (
    "index_code",
    "name_en",
    "name_vi",
    "publisher_en",
    "publisher_vi",
    "unit",
    "states_scale_max",
    "additive",
    "n_components",
    "component_tables",
    "component_word_en",
    "component_word_vi",
    "group_scheme",
    "drill_down",
    "numbered_components",
    "color",
    "header_aliases",
    "score_files",
    "note",
)
_CHOICES = {
    "unit": ("percent", "points"),
    "component_tables": ("data", "image"),
    "group_scheme": ("", "par_band", "papi_quartile"),
}
_FLAGS = ("states_scale_max", "additive", "drill_down", "numbered_components")


@dataclass(frozen=True)
class IndexFacts:
    """One row of ``data/meta/indices.csv`` (the columns are described in ``data/README.md``)."""

    index_code: str
    name_en: str
    name_vi: str
    publisher_en: str
    publisher_vi: str
    #: "percent" (a change is in percentage points) or "points".
    unit: str
    #: The headline says "out of N points" after the total (its maximum changed over the years).
    states_scale_max: bool
    #: The total is the plain sum of its components: a component's change moves it one for one.
    additive: bool
    #: How many components make up an additive total (None: every component defined for the year).
    n_components: int | None
    #: "image": component tables are published only as images and PDF annexes (missing is a caveat).
    component_tables: str
    component_word_en: str
    component_word_vi: str
    #: "" (no published grouping), "par_band" (fixed bands A/B/C) or "papi_quartile" (groups 1-4).
    group_scheme: str
    #: Each component opens into its sub-components and the survey indicators held for the year.
    drill_down: bool
    #: Components coded ``D<n>`` are shown with their number ("8. E-governance").
    numbered_components: bool
    color: str
    #: Folded header labels that name this index's total in an imported table.
    header_aliases: frozenset[str]
    #: The files under ``data/`` (and the user store) that hold its scores.
    score_files: tuple[str, ...]
    note: str

    @property
    def delta_unit(self) -> str:
        """Unit of a change of the total: "pp" (percentage points) or "points"."""
        return "pp" if self.unit == "percent" else "points"

    @property
    def percent(self) -> bool:
        return self.unit == "percent"

    def name(self, lang: str = "en") -> str:
        return localized(self, "name", lang)

    def publisher(self, lang: str = "en") -> str:
        return localized(self, "publisher", lang)

    def component_word(self, lang: str = "en") -> str:
        return localized(self, "component_word", lang)


def _parse(path: Path) -> dict[str, IndexFacts]:
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows or tuple(rows[0]) != COLUMNS:
        found = tuple(rows[0]) if rows else "no rows"
        raise ValueError(f"{path}: found columns {found}; expected {COLUMNS}. Fix: restore the file from git")
    out: dict[str, IndexFacts] = {}
    for line, r in enumerate(rows, start=2):

        def bad(col: str, expected: str) -> ValueError:
            return ValueError(f"{path}, line {line}, column {col!r}: found {r[col]!r}; expected {expected}")

        for col, allowed in _CHOICES.items():
            if r[col] not in allowed:
                raise bad(col, " or ".join(repr(a) for a in allowed))
        for col in _FLAGS:
            if r[col] not in ("yes", "no"):
                raise bad(col, "'yes' or 'no'")
        if not r["index_code"] or r["index_code"] in out:
            raise bad("index_code", "a code not used on an earlier line")
        if r["n_components"] and not r["n_components"].isdigit():
            raise bad("n_components", "a whole number or empty")
        out[r["index_code"]] = IndexFacts(
            **{c: r[c] for c in COLUMNS if c not in (*_FLAGS, "n_components", "header_aliases", "score_files")},
            **{c: r[c] == "yes" for c in _FLAGS},
            n_components=int(r["n_components"]) if r["n_components"] else None,
            header_aliases=frozenset(filter(None, r["header_aliases"].split("|"))),
            score_files=tuple(filter(None, r["score_files"].split("|"))),
        )
    return out


@lru_cache(maxsize=4)
def _read(path: str) -> dict[str, IndexFacts]:
    return _parse(Path(path))


def _table() -> dict[str, IndexFacts]:
    return _bundled_table(os.environ.get("PARLIB_BUNDLED_DIR", ""))


@lru_cache(maxsize=4)
def _bundled_table(bundled_setting: str) -> dict[str, IndexFacts]:
    """The table of the bundled folder the setting names (looked up ~250 times a report: the folder is
    found once per setting, not at every lookup)."""
    return _read(str(bundled_data_dir() / "meta" / "indices.csv"))


def index_facts(index_code: str) -> IndexFacts:
    """Every fact about one index; KeyError naming the known codes for another."""
    table = _table()
    if index_code not in table:
        raise KeyError(f"no index {index_code!r} in data/meta/indices.csv; known: {', '.join(table)}")
    return table[index_code]


def index_codes() -> tuple[str, ...]:
    """The index codes, in report order (the rows of ``data/meta/indices.csv``)."""
    return tuple(_table())


def score_files() -> tuple[str, ...]:
    """Every score file named in ``data/meta/indices.csv``, once each, in table order."""
    return tuple(dict.fromkeys(f for x in _table().values() for f in x.score_files))


INDICES = index_codes()
INDEX_NAMES = {c: {"en": x.name_en, "vi": x.name_vi} for c, x in _table().items()}


def index_name(index_code: str, lang: str = "en") -> str:
    """Display name of an index.

    >>> index_name("PAR", "vi")
    'Chỉ số CCHC (PAR INDEX)'
    """
    return index_facts(index_code).name(lang)

"""The presenters' words: a lookup over the message catalogues (``parlib/locales/<lang>.po``).

Presenters take their words from here, never from ``if lang == ...`` literals of their own. The
texts live in one gettext catalogue per language (:mod:`parlib._words` reads them with Babel); a
key is "section.key" ("table.index", "heading.rankings"). The section names below
(``TABLE["vi"]["index"]``) are read-only views of one section of every catalogue, kept so callers
index them as before; ``{name}`` fields are filled by the presenter with figures it formats,
never computes.

>>> word("rankings", "vi")
'Bảng xếp hạng'
>>> scenario_name("national_avg", "vi")
'trung bình toàn quốc'
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache

import parlib._words as _words
from parlib._vocab import LANGS, index_facts, index_name  # noqa: F401 (re-exported)
from parlib._words import lang_name, plural  # noqa: F401 (re-exported)


def check_lang(lang: str) -> str:
    """``lang`` itself, or ValueError naming the languages that have a catalogue."""
    _words.check(lang)
    return lang


@lru_cache(maxsize=256)
def _section(prefix: str, lang: str, dirs: tuple) -> dict[str, str]:
    msgs = _words._catalogues(dirs)[lang].messages
    n = len(prefix)
    return {k[n:]: (v[-1] if isinstance(v, tuple) else v) for k, v in msgs.items() if k.startswith(prefix)}


class Section(Mapping):
    """One section of every catalogue, by language: ``TABLE["vi"]["index"]`` is the text of key
    "table.index" in vi.po."""

    def __init__(self, name: str):
        self.prefix = name + "."

    def __getitem__(self, lang: str) -> dict[str, str]:
        dirs = _words.catalogue_dirs()
        if lang not in _words._catalogues(dirs):
            raise KeyError(lang)
        return _section(self.prefix, lang, dirs)

    def __iter__(self):
        return iter(_words.langs())

    def __len__(self) -> int:
        return len(_words.langs())


TABLE = Section("table")  #: column names and fixed wording of the tables
CHART = Section("chart")  #: chart titles, axes and legends
PRIORITY = Section("priority")  #: strengths, weaknesses and priorities
NARRATIVE_HEAD = Section("narrative_head")  #: section names of the Markdown narrative (``narrate``)
PAGE = Section("page")  #: notes and fixed sentences of the report pages
DATA_COLUMNS = Section("data_columns")  #: columns of the tables under each chart
TARGETS = Section("targets")  #: targets (``Profile.targets``)
UNCERTAINTY = Section("uncertainty")  #: what published intervals say
THEMES = Section("themes")  #: themes read across the indices
DRILL = Section("drill")  #: drill-down tables
PLAN = Section("plan")  #: the improvement plan annex
BASELINE = Section("baseline")  #: the 2025 baseline of a 34-unit province
BRIEF = Section("brief")  #: the two-page brief
COMPARE = Section("compare")  #: provinces side by side
REPORT_NAV = Section("report_nav")  #: the full report's contents and folded drill-down
HEADINGS = Section("heading")  #: report section headings
SCENARIOS = Section("scenario")  #: what-if scenario names
KINDS = Section("kind")  #: kinds of sources
PARAM_NAMES = Section("param")  #: report parameters by name
GROUPS = Section("group")  #: published groups, "<group_scheme>.<group code>"


def word(key: str, lang: str, **fields) -> str:
    """Any catalogue text in the language, with its ``{fields}`` filled: a full key
    ("table.index"), or a bare heading or page key ("rankings", "generated")."""
    check_lang(lang)
    if "." not in key:
        key = f"heading.{key}" if _words.has(f"heading.{key}", lang) else f"page.{key}"
    text = _words.text(key, lang)
    return text.format(**fields) if fields else text


def scenario_name(scenario: str, lang: str = "en") -> str:
    """Localized what-if scenario name ("national average" / "trung bình toàn quốc")."""
    return SCENARIOS[lang].get(scenario, scenario) if lang in LANGS else scenario


def index_label(names: dict, code: str, lang: str) -> str:
    """An index's display name from the names a Profile/Overview carries (code → {lang: name})."""
    got = names.get(code, {})
    return got.get(lang) or (index_name(code, lang) if code in names else code)


def group_name(index_code: str, group: str, lang: str = "en") -> str:
    """The name of a province's group in an index ("" without a group).

    >>> group_name("PAPI", "1", "vi"), group_name("PAR", "B", "en"), group_name("SIPAS", "", "en")
    ('Nhóm đạt điểm cao nhất', 'Group B', '')
    """
    if not group:
        return ""
    return GROUPS[check_lang(lang)].get(f"{index_facts(index_code).group_scheme}.{group}", "")

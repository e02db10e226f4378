"""Vocabulary shared by every layer: the languages, the index codes and their display names.

It holds constants only (no imports of parlib), so the data layer, the engine and the
presenters can all use it without depending on one another.
"""

LANGS = ("en", "vi")
INDICES = ("PAR", "SIPAS", "PAPI", "PCI")
INDEX_NAMES = {
    "PAR": {"en": "PAR INDEX", "vi": "Chỉ số CCHC (PAR INDEX)"},
    "SIPAS": {"en": "SIPAS", "vi": "Chỉ số SIPAS"},
    "PAPI": {"en": "PAPI", "vi": "Chỉ số PAPI"},
    "PCI": {"en": "PCI", "vi": "Chỉ số PCI"},
}


def index_name(index_code: str, lang: str = "en") -> str:
    """Display name of an index.

    >>> index_name("PAR", "vi")
    'Chỉ số CCHC (PAR INDEX)'
    """
    return INDEX_NAMES[index_code]["vi" if lang == "vi" else "en"]

"""parlib: Vietnam's provincial governance indices (PAR INDEX, SIPAS, PAPI, PCI) in one tidy table.

The public API is small and verb-named; every function takes the long table first and returns a
new table, so calls chain with ``.pipe``.
"""

__version__ = "0.1.0"

from parlib.data import (  # noqa: E402
    DataValidationError,
    coverage,
    load_aggregates,
    load_component_maxima,
    load_conflicts,
    load_published_changes,
    load_published_facts,
    load_scores,
    load_sources,
)
from parlib.indices import measures, periods  # noqa: E402
from parlib.provinces import Province, UnknownProvinceError, province, provinces, regions  # noqa: E402

__all__ = [
    "DataValidationError", "Province", "UnknownProvinceError",
    "coverage", "load_aggregates", "load_component_maxima", "load_conflicts", "load_published_changes",
    "load_published_facts", "load_scores", "load_sources", "measures", "periods", "province",
    "provinces", "regions",
]

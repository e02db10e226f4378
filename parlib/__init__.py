"""parlib: Vietnam's provincial governance indices (PAR INDEX, SIPAS, PAPI, PCI) in one tidy table.

The public API is small and verb-named; every function takes the long table first and returns a
new table, so calls chain with ``.pipe``.
"""

from parlib import _signals

if _signals.is_the_command():  # before the slow imports: a stop while starting is one line, not a traceback
    _signals.install_exit_handlers()

from parlib._version import __version__  # noqa: E402
from parlib.config import notebook_path  # noqa: E402
from parlib.data.dataset import Dataset, load  # noqa: E402
from parlib.data.indices import measures, periods  # noqa: E402
from parlib.data.loading import (  # noqa: E402
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
from parlib.data.registry import Province, UnknownProvinceError, province, provinces, regions  # noqa: E402
from parlib.engine.averages import compute_gaps, national_average, regional_average  # noqa: E402
from parlib.engine.deltas import (  # noqa: E402
    add_groups,
    compute_deltas,
    papi_groups,
    par_group,
    rank_scores,
    streaks,
)
from parlib.engine.model import YearModel, build_model, model_for  # noqa: E402
from parlib.engine.profile import Profile, assess, assess_many, available_years  # noqa: E402
from parlib.present.narrative import narrate  # noqa: E402

__all__ = [
    "__version__",
    "Dataset",
    "YearModel",
    "build_model",
    "load",
    "model_for",
    "DataValidationError",
    "Profile",
    "Province",
    "UnknownProvinceError",
    "add_groups",
    "assess",
    "assess_many",
    "available_years",
    "compute_deltas",
    "compute_gaps",
    "narrate",
    "national_average",
    "papi_groups",
    "par_group",
    "rank_scores",
    "regional_average",
    "streaks",
    "coverage",
    "load_aggregates",
    "load_component_maxima",
    "load_conflicts",
    "load_published_changes",
    "load_published_facts",
    "load_scores",
    "load_sources",
    "measures",
    "notebook_path",
    "periods",
    "province",
    "provinces",
    "regions",
]

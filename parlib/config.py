"""One source of truth for paths.

Bundled data lives in ``data/`` next to the package (the project is used from a clone,
installed in editable mode). Imported user data lives in ``data/user/`` unless
``PARLIB_DATA_DIR`` points elsewhere. Reports go to ``reports/``.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent


def bundled_data_dir() -> Path:
    """Directory holding the bundled, checksummed data (``data/``)."""
    return Path(os.environ.get("PARLIB_BUNDLED_DIR", PROJECT_DIR / "data"))


def user_data_dir() -> Path:
    """Directory of the user data store (imports), ``PARLIB_DATA_DIR`` or ``data/user``."""
    env = os.environ.get("PARLIB_DATA_DIR")
    return Path(env) if env else bundled_data_dir() / "user"


def reports_dir() -> Path:
    """Directory where rendered reports are written."""
    return Path(os.environ.get("PARLIB_REPORTS_DIR", PROJECT_DIR / "reports"))


NOTEBOOKS_DIR = PROJECT_DIR / "notebooks"

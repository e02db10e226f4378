"""One source of truth for paths.

- **Bundled data** (checksummed, read-only): inside the package as ``parlib/_bundled/`` when
  installed from a wheel; the clone's top-level ``data/`` when installed in editable mode or run
  from a source tree. The build maps ``data/`` to ``parlib/_bundled/`` (pyproject.toml,
  ``[tool.setuptools.package-dir]``). ``PARLIB_BUNDLED_DIR`` overrides (tests, maintainers).
- **Notebooks**: ``parlib/_notebooks/`` (wheel) or the clone's ``notebooks/``; see
  :func:`parlib.notebook_path`.
- **User store** (imports): ``PARLIB_DATA_DIR``, else the per-user data folder of the platform
  (``~/.local/share/parlib/store`` on Linux, via platformdirs), for a clone too.
- **Reports**: ``PARLIB_REPORTS_DIR``, else ``reports/`` in the current folder; commands take
  ``--out``.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent
"""The clone's root in an editable install; in a wheel install, site-packages (not used)."""


def _shipped(inside: str, in_clone: str) -> Path:
    """A folder shipped in the wheel as ``parlib/<inside>``, else the clone's ``<in_clone>``.

    Two places, one rule: setuptools' editable finder does not expose a sub-package mapped to
    another folder (``parlib._bundled`` -> ``data/``) as an importable package, so
    importlib.resources cannot serve both; the folder test is the same for wheel and clone.
    """
    packaged = PACKAGE_DIR / inside
    return packaged if packaged.is_dir() else PROJECT_DIR / in_clone


def bundled_data_dir() -> Path:
    """Directory holding the bundled, checksummed data (``MANIFEST.csv``, ``meta/``, ``scores/``)."""
    env = os.environ.get("PARLIB_BUNDLED_DIR")
    return Path(env) if env else _shipped("_bundled", "data")


def notebooks_dir() -> Path:
    """Directory holding the report notebooks (``province_report.ipynb`` …)."""
    return _shipped("_notebooks", "notebooks")


def notebook_path(name: str) -> Path:
    """Path of a bundled notebook, by name with or without ``.ipynb``.

    >>> notebook_path("province_report").name
    'province_report.ipynb'
    """
    path = notebooks_dir() / (name if name.endswith(".ipynb") else f"{name}.ipynb")
    if not path.is_file():
        known = ", ".join(sorted(p.stem for p in notebooks_dir().glob("*.ipynb")))
        raise FileNotFoundError(f"no notebook {name!r} in {notebooks_dir()}; notebooks: {known}")
    return path


_LEGACY_WARNED = False


def user_data_dir() -> Path:
    """Directory of the user data store (imports): ``PARLIB_DATA_DIR``, else the per-user data
    folder (platformdirs), e.g. ``~/.local/share/parlib/store``."""
    env = os.environ.get("PARLIB_DATA_DIR")
    if env:
        return Path(env)
    from platformdirs import user_data_path

    _warn_legacy_store()
    return user_data_path("parlib", appauthor=False) / "store"


class StoreUnusableError(RuntimeError):
    """The user store's path is not a usable folder (a file, a broken link, not readable)."""


def check_user_data_dir(store: Path | None = None) -> Path:
    """Return the user store's folder, or raise :class:`StoreUnusableError` saying in one line what
    is wrong with it: not a folder, a broken link to X, not readable. A store that does not exist
    yet is fine (the first import creates it); one that cannot be read is never read as "no imports".
    """
    store = Path(store) if store is not None else user_data_dir()
    env = os.environ.get("PARLIB_DATA_DIR")
    named = f"the user store {store}" + (" (PARLIB_DATA_DIR)" if env else "")
    elsewhere = "point PARLIB_DATA_DIR at a folder you can read and write"
    for p in (store, *store.parents):
        if p.is_symlink() and not p.exists():
            target = os.readlink(p)
            where = "" if p == store else f": {p}"
            raise StoreUnusableError(
                f"{named} is a broken link{where} to {target} (no such folder). Fix: create {target}, or {elsewhere}"
            )
        if p.exists():
            if not p.is_dir():
                what = "is a file" if p == store else f"is under {p}, which is a file"
                raise StoreUnusableError(f"{named} is not a folder: it {what}. Fix: {elsewhere}")
            if p == store and not os.access(p, os.R_OK | os.X_OK):
                raise StoreUnusableError(
                    f"{named} is not readable (permission denied). Fix: give yourself access "
                    f"(chmod u+rwx {store}), or {elsewhere}"
                )
            break
    return store


def _warn_legacy_store() -> None:
    """Until 0.1 a clone kept imports in ``data/user/``; say once that they are no longer read."""
    global _LEGACY_WARNED
    legacy = PROJECT_DIR / "data" / "user" / "MANIFEST.csv"
    if not _LEGACY_WARNED and legacy.is_file():
        _LEGACY_WARNED = True
        warnings.warn(
            f"imports in {legacy.parent} are not read any more: the user store is the "
            "per-user data folder unless PARLIB_DATA_DIR is set; to keep using that folder, "
            f"set PARLIB_DATA_DIR={legacy.parent}",
            stacklevel=3,
        )


def reports_dir() -> Path:
    """Directory where rendered reports are written: ``PARLIB_REPORTS_DIR`` or ``./reports``."""
    env = os.environ.get("PARLIB_REPORTS_DIR")
    return Path(env) if env else Path.cwd() / "reports"


NOTEBOOKS_DIR = notebooks_dir()

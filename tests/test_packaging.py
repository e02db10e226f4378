"""Packaging: the wheel carries the bundled data, the notebooks and the templates, never the user
store; paths resolve the same way from a wheel and from the clone."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
import zipfile

import pandas as pd
import pytest
from conftest import DATA, PROJECT


def test_every_python_subpackage_is_packaged():
    """pyproject lists the packages explicitly (the data mapping needs it): a new sub-package
    that is not listed would be left out of the wheel."""
    listed = set(tomllib.loads((PROJECT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(PROJECT).parts) for p in (PROJECT / "parlib").rglob("__init__.py")}
    assert found - listed == set(), f"add to [tool.setuptools] packages: {sorted(found - listed)}"


def test_paths_resolve_to_the_clone_in_an_editable_install(monkeypatch, tmp_path):
    import parlib
    from parlib import config

    monkeypatch.delenv("PARLIB_BUNDLED_DIR", raising=False)
    monkeypatch.delenv("PARLIB_REPORTS_DIR", raising=False)
    assert config.bundled_data_dir() == DATA
    assert parlib.notebook_path("province_report") == PROJECT / "notebooks" / "province_report.ipynb"
    assert parlib.notebook_path("national_overview.ipynb").is_file()
    with pytest.raises(FileNotFoundError, match="province_report"):
        parlib.notebook_path("no_such_notebook")
    monkeypatch.chdir(tmp_path)
    assert config.reports_dir() == tmp_path / "reports"
    monkeypatch.setenv("PARLIB_REPORTS_DIR", str(tmp_path / "elsewhere"))
    assert config.reports_dir() == tmp_path / "elsewhere"


def test_user_store_is_per_user_unless_parlib_data_dir(monkeypatch, tmp_path):
    from platformdirs import user_data_path

    from parlib import config

    monkeypatch.setenv("PARLIB_DATA_DIR", str(tmp_path))
    assert config.user_data_dir() == tmp_path
    monkeypatch.delenv("PARLIB_DATA_DIR")
    assert config.user_data_dir() == user_data_path("parlib", appauthor=False) / "store"
    assert not config.user_data_dir().is_relative_to(PROJECT)


@pytest.mark.slow
def test_wheel_carries_data_notebooks_and_templates_but_not_the_user_store(tmp_path):
    """Build the wheel from a copy of the sources (the clone is left untouched) that has an
    analyst's data/user/ in it, and look inside."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(PROJECT / name, src / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".ipynb_checkpoints", "user")
    for name in ("parlib", "data", "notebooks"):
        shutil.copytree(PROJECT / name, src / name, ignore=ignore)
    (src / "data" / "user" / "datasets").mkdir(parents=True)
    (src / "data" / "user" / "MANIFEST.csv").write_text("file,sha256\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(tmp_path / "dist"), str(src)],
        check=True,
        capture_output=True,
    )
    wheel = next((tmp_path / "dist").glob("parlib-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())

    manifest = pd.read_csv(DATA / "MANIFEST.csv", dtype=str, keep_default_na=False)
    assert "parlib/_bundled/MANIFEST.csv" in names and "parlib/_bundled/sources.csv" in names
    missing = [f for f in manifest.file if f"parlib/_bundled/{f}" not in names]
    assert missing == [], f"bundled files missing from the wheel: {missing}"
    assert {"parlib/_bundled/README.md", "parlib/_bundled/geo/PROVENANCE.md"} <= names
    assert not [n for n in names if n.startswith("parlib/_bundled/user")], "the user store was packaged"

    notebooks = {f"parlib/_notebooks/{p.name}" for p in (PROJECT / "notebooks").glob("*.ipynb")}
    assert notebooks and notebooks <= names
    templates = {
        "parlib/" + p.relative_to(PROJECT / "parlib").as_posix()
        for p in (PROJECT / "parlib" / "templates").rglob("*")
        if p.is_file()
    }
    assert templates and templates <= names
    locales = {f"parlib/locales/{p.name}" for p in (PROJECT / "parlib" / "locales").glob("*.po")}
    assert {"parlib/locales/en.po", "parlib/locales/vi.po"} <= locales <= names, sorted(locales - names)
    modules = {p.relative_to(PROJECT).as_posix() for p in (PROJECT / "parlib").rglob("*.py")}
    assert modules <= names, sorted(modules - names)
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "parlib = parlib.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()

"""Hygiene: data files described and checksummed, dependency lists agree."""

from __future__ import annotations

import re
import tomllib

import pandas as pd
import yaml
from conftest import DATA, PROJECT


def test_every_data_file_is_described():
    m = pd.read_csv(DATA / "MANIFEST.csv", dtype=str, keep_default_na=False)
    assert (m.description != "").all() and (m.sha256.str.len() == 64).all()
    listed = set(m.file)
    for path in DATA.rglob("*"):
        rel = path.relative_to(DATA).as_posix()
        if path.is_dir() or rel.startswith("user/") or rel == "MANIFEST.csv":
            continue
        if path.suffix == ".md":
            continue
        assert rel in listed, f"data/{rel} is not described in data/MANIFEST.csv"
    for folder in {p.parent for p in DATA.rglob("*.json")}:
        assert (folder / "PROVENANCE.md").exists()
    assert (DATA / "README.md").exists()


def _names(specs):
    return {re.split(r"[<>=!\[ ;]", s.strip(), maxsplit=1)[0].lower() for s in specs}


def test_environment_yml_matches_pyproject():
    py = tomllib.loads((PROJECT / "pyproject.toml").read_text())["project"]
    wanted = _names(py["dependencies"])
    for extra in py["optional-dependencies"].values():
        wanted |= _names(extra)
    env = yaml.safe_load((PROJECT / "environment.yml").read_text())
    conda = _names(d for d in env["dependencies"] if isinstance(d, str)) - {"python", "pip"}
    assert conda == wanted


def test_opening_a_report_does_not_import_nbformat():
    """A kernel opening a report (and the batch's parent planning one) never reads a notebook: importing
    nbformat pulls jsonschema and its grammar compiler, ~1.7 s of every kernel start (`python -X importtime`)."""
    import subprocess
    import sys

    code = (
        "import sys, parlib.run.report, parlib.run.batch, parlib.present.charts, parlib.present.maps; "
        "print(sorted(m for m in ('nbformat', 'jsonschema', 'papermill') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]", out


def test_architecture_names_every_module():
    """ARCHITECTURE.md is the map of the rooms: a module it does not name is a room nobody finds."""
    root = PROJECT
    text = (root / "ARCHITECTURE.md").read_text(encoding="utf-8")
    modules = [p for p in (root / "parlib").rglob("*.py") if p.name not in ("__init__.py", "__main__.py")]
    missing = sorted(str(p.relative_to(root)) for p in modules if f"`{p.name}`" not in text)
    assert not missing, f"name them, with their job, in ARCHITECTURE.md: {missing}"

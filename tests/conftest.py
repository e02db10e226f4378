"""Shared fixtures. Synthetic fixtures are named as such; real-data tests load the bundled data."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

matplotlib.use("Agg")

PROJECT = Path(__file__).resolve().parents[1]
DATA = PROJECT / "data"


@pytest.fixture(autouse=True)
def empty_user_store(tmp_path_factory, monkeypatch):
    """Every test sees an empty user store unless it sets PARLIB_DATA_DIR itself: an analyst's own
    imports in data/user/ must never change what the tests assert."""
    if "PARLIB_DATA_DIR" not in __import__("os").environ:
        monkeypatch.setenv("PARLIB_DATA_DIR", str(tmp_path_factory.mktemp("empty-user-store")))


@pytest.fixture(scope="session")
def scores() -> pd.DataFrame:
    from parlib.data.loading import load_scores

    return load_scores()


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A private copy of data/ that a test may corrupt."""
    dst = tmp_path / "data"
    shutil.copytree(DATA, dst, ignore=shutil.ignore_patterns("user"))
    return dst


def reseal(data_dir: Path, rel: str) -> None:
    """Rewrite the manifest checksum of one file, so that validation (not the checksum) is tested."""
    m = pd.read_csv(data_dir / "MANIFEST.csv", dtype=str, keep_default_na=False)
    m.loc[m.file == rel, "sha256"] = hashlib.sha256((data_dir / rel).read_bytes()).hexdigest()
    m.to_csv(data_dir / "MANIFEST.csv", index=False, lineterminator="\n")

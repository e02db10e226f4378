"""One data handle: :func:`load` returns every table the engine needs, validated once.

A :class:`Dataset` holds the bundled tables of a data directory overlaid with its user store's
imports. Everything downstream (the engine, the year model, the reports) takes a Dataset
explicitly; nothing past this module reads a data file.

>>> ds = load()
>>> ds.scores.columns[:4].tolist()
['index_code', 'year', 'province_code', 'measure']
>>> bool(ds.aggregates.area_code.eq("VN").any())
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from parlib.config import bundled_data_dir
from parlib.data.loading import _dir_state, _tables_for, manifest, store_dir_for


@dataclass(frozen=True, eq=False)
class Dataset:
    """The validated tables of one data directory (bundled data + user store).

    ``scores`` is the tidy score table (key ``index_code, year, province_code, measure``, PAPI
    indicators included); ``aggregates`` the published national and regional statistics;
    ``sources``, ``conflicts``, ``published_changes``, ``published_facts``,
    ``component_maxima``, ``fields`` and ``not_ranked`` (coverage records) as in ``data/README.md``; ``manifest`` the bundled files with their
    checksums and ``store_manifest`` the user store's (empty without imports). ``state`` changes
    whenever a file of the directory or its store changes (a cache key for derived models).
    """

    data_dir: Path
    store_dir: Path | None
    scores: pd.DataFrame = field(repr=False)
    aggregates: pd.DataFrame = field(repr=False)
    sources: pd.DataFrame = field(repr=False)
    conflicts: pd.DataFrame = field(repr=False)
    published_changes: pd.DataFrame = field(repr=False)
    published_facts: pd.DataFrame = field(repr=False)
    component_maxima: pd.DataFrame = field(repr=False)
    #: Coverage records: the publisher's field per index-year (``meta/fields.csv``) and the
    #: provinces it did not score or rank, with the reason and source (``meta/not_ranked.csv``).
    fields: pd.DataFrame = field(repr=False)
    not_ranked: pd.DataFrame = field(repr=False)
    #: Ranks a source printed over a larger field than the publisher's ("11/63" where UNDP scored 61).
    ranks_as_written: pd.DataFrame = field(repr=False)
    manifest: pd.DataFrame = field(repr=False)
    store_manifest: pd.DataFrame = field(repr=False)
    state: tuple = field(repr=False, default=())
    _years: dict = field(repr=False, default_factory=dict, init=False)  # years() per index (the tables never change)

    @property
    def is_bundled(self) -> bool:
        """True when this is the bundled data directory (with the default user store)."""
        return self.data_dir == bundled_data_dir().resolve()

    def years(self, index_code: str | None = None) -> list[int]:
        """Years with at least one total score or rank (for one index or any)."""
        if index_code not in self._years:
            s = self.scores
            s = s[(s.level != "indicator") & (s.value.notna() | s["rank"].notna())]
            if index_code:
                s = s[s.index_code == index_code]
            self._years[index_code] = tuple(sorted(int(y) for y in s.year.unique()))
        return list(self._years[index_code])


_CACHE: dict[tuple, Dataset] = {}


def load(data_dir: Path | str | None = None) -> Dataset:
    """The Dataset of ``data_dir`` (default: the bundled data with the user store).

    Checksums are verified and every file validated on the first load; later calls return the
    same object until a file of the directory or its store changes.
    """
    root = Path(data_dir or bundled_data_dir()).resolve()
    state = _dir_state(root)
    key = (str(root), state)
    hit = _CACHE.get(key)
    if hit is not None:
        return hit
    tables = _tables_for(root)
    store = store_dir_for(root)
    store_manifest = (
        manifest(store)
        if store is not None and (store / "MANIFEST.csv").exists()
        else pd.DataFrame(columns=["file", "sha256", "rows"])
    )
    ds = Dataset(
        data_dir=root,
        store_dir=store,
        scores=tables["scores"],
        aggregates=tables["aggregates"],
        sources=tables["sources"],
        conflicts=tables["conflicts"],
        published_changes=tables["published_changes"],
        published_facts=tables["published_facts"],
        component_maxima=tables["component_maxima"],
        fields=tables["fields"],
        not_ranked=tables["not_ranked"],
        ranks_as_written=tables["ranks_as_written"],
        manifest=manifest(root),
        store_manifest=store_manifest,
        state=state,
    )
    if len(_CACHE) >= 4:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = ds
    return ds

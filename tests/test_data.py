"""Loader: the real table is valid and sourced; corrupted copies fail with a located message."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import reseal

from parlib.data.loading import (
    KEY,
    DataValidationError,
    load_aggregates,
    load_conflicts,
    load_published_changes,
    load_scores,
    load_sources,
)


# --- the real data ----------------------------------------------------------------------------
def test_key_is_unique_and_columns_present(scores):
    for c in ["index_code", "year", "province_code", "measure", "value", "rank", "source_id"]:
        assert c in scores
    assert not scores.duplicated(KEY).any()
    assert set(scores.index_code.unique()) == {"PAR", "SIPAS", "PAPI", "PCI"}


def test_papi_total_equals_sum_of_dimensions(scores):
    papi = scores[(scores.index_code == "PAPI")]
    dims = papi[papi.level == "component"].groupby(["year", "province_code"]).value.agg(["sum", "count"])
    total = papi[papi.measure == "TOTAL"].set_index(["year", "province_code"]).value
    j = dims.join(total, how="inner").dropna()
    expected_dims = np.where(j.index.get_level_values("year") >= 2018, 8, 6)
    j = j[j["count"] == expected_dims]
    assert len(j) > 800
    assert np.allclose(j["sum"], j["value"], atol=1e-3)


def test_ranks_within_1_to_n(scores):
    r = scores[scores["rank"].notna()]
    assert (r["rank"] >= 1).all() and (r["rank"] <= r["n_ranked"]).all()
    assert r.n_ranked.notna().all()


def test_every_row_has_a_source_that_exists(scores):
    ids = set(load_sources().source_id)
    assert scores.source_id.isin(ids).all()
    assert scores.loc[scores.rank_source_id != "", "rank_source_id"].isin(ids).all()
    for t in (load_aggregates(), load_published_changes()):
        assert t.source_id.isin(ids).all()


def test_missing_stays_missing_not_zero(scores):
    # PAPI 2022 Bắc Giang / Bắc Ninh were 0 in the official file: missing here, never 0.
    papi = scores[(scores.index_code == "PAPI") & (scores.level.isin(["total", "component"]))]
    assert (papi.value.dropna() > 0).all()
    bg = papi[(papi.year == 2022) & (papi.province_code == "24") & (papi.measure == "TOTAL")]
    assert bg.value.isna().all()


def test_hung_yen_published_figures(scores):
    hy = scores[(scores.province_code == "33") & (scores.measure == "TOTAL")].set_index(["index_code", "year"])
    assert round(hy.loc[("PAPI", 2021), "value"], 2) == 45.37 and hy.loc[("PAPI", 2021), "rank"] == 5
    assert round(hy.loc[("PAPI", 2022), "value"], 2) == 44.18 and hy.loc[("PAPI", 2022), "rank"] == 11
    assert hy.loc[("PAR", 2021), "value"] == 88.34 and hy.loc[("PAR", 2021), "rank"] == 12
    assert pd.isna(hy.loc[("PAR", 2022), "value"]) and hy.loc[("PAR", 2022), "rank"] == 12
    assert hy.loc[("SIPAS", 2021), "value"] == 92.07 and hy.loc[("SIPAS", 2021), "rank"] == 3
    assert hy.loc[("SIPAS", 2022), "rank"] == 6
    assert hy.loc[("PAR", 2022), "source_id"] == "hungyen-portal-2023-05-26"


def test_published_component_changes_kept_apart():
    ch = load_published_changes()
    hy = ch[(ch.area_code == "33") & (ch.year == 2022) & (ch.index_code == "PAR")].set_index("measure").delta
    assert hy.to_dict() == {
        "PAR_LEADERSHIP": 8.12,
        "CIVIL_SERVICE_REFORM": 6.65,
        "ADMIN_PROCEDURE_REFORM": 5.95,
        "INSTITUTIONAL_REFORM": -25.0,
        "APPARATUS_REFORM": -5.42,
        "E_GOVERNMENT": -20.26,
    }


def test_conflicts_recorded_with_both_sources():
    c = load_conflicts()
    hp = c[(c.index_code == "PAR") & (c.year == 2023) & (c.area_code == "31")].iloc[0]
    assert float(hp.kept_value) == 91.87 and float(hp.other_value) == 91.81
    assert hp.kept_source_id != hp.other_source_id


def test_papi_confidence_bounds_from_2019(scores):
    papi = scores[(scores.index_code == "PAPI") & (scores.measure == "TOTAL")]
    assert papi[papi.year < 2019].se.isna().all()
    later = papi[(papi.year >= 2019) & papi.se.notna()]
    assert len(later) > 100 and (later.ci_low <= later.value).all() and (later.value <= later.ci_high).all()


def test_pci_workbooks_loaded(scores):
    pci = scores[scores.index_code == "PCI"]
    books = pci[pci.source_id.str.startswith("vcci-pci-")]
    assert books.year.min() == 2005 and books.year.max() == 2016
    assert pci[(pci.year == 2016) & (pci.measure == "TOTAL")].province_code.nunique() == 63
    assert pci.year.max() == 2024 and (pci[pci.year > 2016].source_id.str.startswith("pci-web-")).all()


# --- corrupted copies -------------------------------------------------------------------------
def _edit(data_copy, rel, fn, seal=True):
    path = data_copy / rel
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df = fn(df)
    df.to_csv(path, index=False, lineterminator="\n")
    if seal:
        reseal(data_copy, rel)


def _error(data_copy) -> DataValidationError:
    with pytest.raises(DataValidationError) as err:
        load_scores(data_copy)
    return err.value


def test_missing_column_is_named(data_copy):
    _edit(data_copy, "scores/par_sipas.csv", lambda d: d.drop(columns=["source_id"]))
    msg = str(_error(data_copy))
    assert "scores/par_sipas.csv" in msg and "'source_id'" in msg and "line 1" in msg


def test_duplicate_key_names_both_lines(data_copy):
    _edit(data_copy, "scores/par_sipas.csv", lambda d: pd.concat([d, d.iloc[[5]]], ignore_index=True))
    err = _error(data_copy)
    p = err.problems[0]
    assert p.file == "scores/par_sipas.csv" and p.line == len(pd.read_csv(data_copy / p.file)) + 1
    assert "line 7" in p.expected


def test_out_of_range_value(data_copy):
    def bad(d):
        i = d.index[(d.index_code == "PAR") & (d.value != "")][0]
        d.loc[i, "value"] = "188.34"
        return d

    _edit(data_copy, "scores/par_sipas.csv", bad)
    p = _error(data_copy).problems[0]
    assert p.column == "value" and "188.34" in p.found and "0..100" in p.expected


def test_text_in_number_column(data_copy):
    def bad(d):
        d.loc[3, "value"] = "88,34%"
        return d

    _edit(data_copy, "scores/papi.csv", bad)
    p = _error(data_copy).problems[0]
    assert (p.file, p.line, p.column) == ("scores/papi.csv", 5, "value") and "88,34%" in p.found


def test_bad_checksum(data_copy):
    _edit(data_copy, "scores/pci.csv", lambda d: d.assign(note=d.note + " "), seal=False)
    p = _error(data_copy).problems[0]
    assert p.file == "scores/pci.csv" and "sha256" in p.found and "MANIFEST" in p.expected


def test_unknown_province_and_source(data_copy):
    def bad(d):
        d.loc[0, "province_code"] = "99"
        d.loc[1, "source_id"] = "nowhere"
        return d

    _edit(data_copy, "scores/par_sipas.csv", bad)
    problems = _error(data_copy).problems
    cols = {(p.line, p.column) for p in problems}
    assert (2, "province_code") in cols and (3, "source_id") in cols


def test_rank_above_n(data_copy):
    def bad(d):
        i = d.index[d["rank"] != ""][0]
        d.loc[i, "rank"] = "70"
        return d

    _edit(data_copy, "scores/par_sipas.csv", bad)
    p = _error(data_copy).problems[0]
    assert p.column == "rank" and "1..63" in p.expected


def test_nothing_is_half_loaded(data_copy, scores):
    _edit(data_copy, "scores/pci.csv", lambda d: d.drop(columns=["value"]))
    _error(data_copy)
    # the good copy still loads in full afterwards
    assert len(load_scores()) == len(scores)


def test_trusted_load_equals_the_fully_validated_load():
    """The bundled data is validated cell by cell here (as the build does before it writes the
    MANIFEST); a normal load trusts the checksums and must give the very same tables."""
    from parlib.config import bundled_data_dir
    from parlib.data.loading import _load_bundled

    d = bundled_data_dir()
    full, fast = _load_bundled(d, full=True), _load_bundled(d, full=False)
    assert set(full) == set(fast)
    for name in full:
        pd.testing.assert_frame_equal(full[name], fast[name], check_like=False, obj=name)


def test_a_copied_data_folder_is_validated_in_full(tmp_path):
    """Outside the bundled folder the checksums are the user's own: every cell is checked."""
    import hashlib
    import shutil

    from parlib.config import bundled_data_dir
    from parlib.data.dataset import load

    dst = tmp_path / "data"
    shutil.copytree(bundled_data_dir(), dst, ignore=shutil.ignore_patterns("user"))
    f = dst / "scores" / "papi.csv"
    lines = f.read_text(encoding="utf-8").splitlines()
    head, row = lines[0].split(","), lines[1].split(",")
    row[head.index("rank")] = "0"  # a rank of 0: rejected by the schema
    lines[1] = ",".join(row)
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    man = pd.read_csv(dst / "MANIFEST.csv", dtype=str, keep_default_na=False)
    man.loc[man.file == "scores/papi.csv", "sha256"] = hashlib.sha256(f.read_bytes()).hexdigest()
    man.to_csv(dst / "MANIFEST.csv", index=False)
    with pytest.raises(DataValidationError, match="rank"):
        load(dst)

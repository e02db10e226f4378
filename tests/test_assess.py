"""Assessment profiles: on the real data (Hưng Yên 2022, invariants over all provinces) and on
small synthetic tables (named as such)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from parlib.data.dataset import load
from parlib.engine.model import build_model
from parlib.engine.profile import assess, assess_many


def build_context(year, *, scores, aggregates):
    """A year model of the bundled Dataset with its scores and aggregates replaced (synthetic)."""
    return build_model(replace(load(), scores=scores, aggregates=aggregates), year)


from parlib.data.loading import load_aggregates
from parlib.data.registry import provinces

NO_AGGREGATES = load_aggregates().iloc[0:0]


def test_hung_yen_2022_profile():
    p = assess("Hưng Yên", 2022)
    par, sipas, papi = p.index("PAR"), p.index("SIPAS"), p.index("PAPI")
    assert (par.rank, par.n_ranked, par.rank_change, par.value) == (12, 63, 0, None)
    assert par.same_rank_streak == 2 and par.crosses_break
    assert (sipas.rank, sipas.base_rank) == (6, 3)
    assert (papi.rank, papi.base_rank, papi.rank_change) == (11, 5, -6)
    # both totals are known, but Participation (D1) changed scale between 2021 and 2022, so the
    # total's change in points is not comparable and not stated (issue 17, kind 2)
    assert papi.base_value == pytest.approx(45.365888) and papi.delta is None
    assert (papi.change_not_comparable, papi.not_comparable_parts) == ("component_scale", ["D1"])
    assert (papi.n_ranked, papi.coverage.n_units) == (61, 63)
    assert [e.name_vi for e in papi.coverage.excluded] == ["Bắc Giang", "Bắc Ninh"]
    assert {c.measure: c.delta for c in par.published_changes}["INSTITUTIONAL_REFORM"] == -25
    assert len(papi.components) == 8 and papi.rank_range[0] <= 11 <= papi.rank_range[1]
    assert par.national_avg == 84.79 and par.avg_basis == "published"
    codes = {(c.code, c.index_code) for c in p.caveats}
    assert ("score_missing", "PAR") in codes and ("break", "SIPAS") in codes and ("index_missing", "PCI") in codes
    assert "hungyen-portal-2023-05-26" in {s["source_id"] for s in p.sources}


def test_profile_is_json_ready():
    import json

    d = assess("Hưng Yên", 2022).to_dict()
    text = json.dumps(d, ensure_ascii=False)
    assert "NaN" not in text and '"rank": 11' in text


@pytest.mark.parametrize("year", [2019, 2022])
def test_whatif_invariants_over_all_provinces(year):
    profiles = assess_many(None, year)
    assert len(profiles) == 63
    seen = 0
    for p in profiles:
        for w in p.whatif:
            if w.rank_to is None:
                continue
            seen += 1
            assert 1 <= w.rank_to <= w.n_ranked
            assert w.rank_to <= w.rank_from  # raising a component never worsens the rank
            best = next(x for x in p.whatif if x.measure == w.measure and x.scenario == "max")
            assert best.rank_to <= w.rank_to  # no better than the component at its maximum
            assert w.total_to == pytest.approx(w.total_from - w.component_from + w.component_to)
        for r in p.indices:
            assert r.rank is None or 1 <= r.rank <= r.n_ranked
    assert seen > 100


# --- synthetic ----------------------------------------------------------------------------------
def synthetic_papi(year: int = 2022, seed: int = 1) -> pd.DataFrame:
    """Synthetic fixture: made-up PAPI scores for the 63 registry codes, additive by construction."""
    rng = np.random.default_rng(seed)
    codes = list(provinces("VN63").code)
    rows = []
    for y in (year - 1, year):
        dims = rng.uniform(3, 8, size=(63, 8))
        for i, c in enumerate(codes):
            for d in range(8):
                rows.append(("PAPI", y, c, f"D{d + 1}", dims[i, d], "component"))
            rows.append(("PAPI", y, c, "TOTAL", dims[i].sum(), "total"))
    df = pd.DataFrame(rows, columns=["index_code", "year", "province_code", "measure", "value", "level"])
    for col in ("rank", "n_ranked"):
        df[col] = pd.array([pd.NA] * len(df), dtype="Int64")
    df["rank_basis"] = ""
    for col in ("ci_low", "ci_high", "se"):
        df[col] = np.nan
    df["source_id"], df["rank_source_id"], df["status"], df["note"] = "synthetic", "", "reported", ""
    return df


def test_synthetic_whatif_matches_a_recomputed_ranking():
    s = synthetic_papi()
    ctx = build_context(2022, scores=s, aggregates=NO_AGGREGATES)
    p = assess("33", 2022, model=ctx)
    this = s[(s.year == 2022) & (s.measure == "TOTAL")].set_index("province_code").value
    r = p.index("PAPI")
    assert r.rank == 1 + int((this > this["33"]).sum())
    for w in p.whatif:
        others = this.drop("33")
        assert w.rank_to == 1 + int((others > w.total_to + 1e-12).sum())


def test_index_without_components_and_missing_index():
    s = synthetic_papi()
    s = s[s.measure == "TOTAL"]  # an index with no components
    ctx = build_context(2022, scores=s, aggregates=NO_AGGREGATES)
    p = assess("Hưng Yên", 2022, model=ctx)
    assert p.index("PAPI").components == [] and p.whatif == []
    # no level anywhere: the only priorities are PAR's published falls (issue 10 item 8), no what-if
    assert [m.measure for m in p.remedies] == ["INSTITUTIONAL_REFORM", "E_GOVERNMENT", "APPARATUS_REFORM"]
    assert {m.basis for m in p.remedies} == {"published_change"}
    assert set(p.missing_indices) == {"SIPAS", "PCI"}
    # PAR has no level in this table, but the published component changes of 2022 are still cited
    par = p.index("PAR")
    assert par.value is None and par.rank is None and len(par.published_changes) == 6
    assert ("no_level", "PAR") in {(c.code, c.index_code) for c in p.caveats}


def test_context_must_match_year():
    s = synthetic_papi()
    ctx = build_context(2022, scores=s, aggregates=NO_AGGREGATES)
    with pytest.raises(ValueError):
        assess("33", 2021, model=ctx)


def synthetic_2025_papi() -> pd.DataFrame:
    """Synthetic fixture: the real PAPI totals up to 2024 plus made-up 2025 totals for the 34 units."""
    from parlib.data.loading import load_scores

    real = load_scores(include_indicators=False)
    real = real[(real.index_code == "PAPI") & (real.measure == "TOTAL")]
    units = list(provinces("VN34").code)
    fake = real.iloc[: len(units)].copy()
    fake["year"], fake["province_code"] = 2025, units
    fake["value"] = np.linspace(48.0, 38.0, len(units))  # clearly synthetic, evenly spaced
    fake["rank"], fake["n_ranked"] = pd.array([pd.NA] * len(units), dtype="Int64"), pd.NA
    fake["rank_basis"], fake["source_id"], fake["rank_source_id"] = "", "synthetic", ""
    for c in ("ci_low", "ci_high", "se"):
        fake[c] = np.nan
    return pd.concat([real, fake], ignore_index=True)


def test_merged_province_reports_its_predecessors():
    from parlib.present.narrative import narrate

    ctx = build_context(2025, scores=synthetic_2025_papi(), aggregates=NO_AGGREGATES)
    p = assess("Hưng Yên", 2025, model=ctx)
    assert p.province.code == "N33" and p.unit_set == "VN34"
    papi = p.index("PAPI")
    assert papi.n_ranked == 34 and papi.base_year is None  # no comparison with the 63-unit years
    before = {d["province_code"]: d for d in p.predecessors if d["index_code"] == "PAPI"}
    assert set(before) == {"33", "34"} and before["33"]["year"] == 2024
    real = ctx.scores.loc[("PAPI", 2024, "34", "TOTAL")]
    assert before["34"]["rank"] == int(real["rank"])
    en, vi = narrate(p, "en"), narrate(p, "vi")
    assert "the former Thai Binh province" in en and "out of 34 provinces" in en
    assert "tỉnh Thái Bình (cũ) năm 2024" in vi
    assert ("vn34", "") in {(c.code, c.index_code) for c in p.caveats}


def test_to_dict_is_asdict_made_json_ready_for_every_province():
    """Profile.to_dict (and the overview's) walk the dataclasses without asdict's deep copy; the dict is
    the one asdict gives, cleaned (every unit of a 63-province year and of the 34), and JSON-ready."""
    import dataclasses
    import json

    from parlib.data.dataset import load
    from parlib.data.registry import provinces, unit_set_for_year
    from parlib.engine.common import _clean
    from parlib.engine.model import model_for
    from parlib.engine.profile import assess_many

    for year in (2022, 2025):
        for p in assess_many(list(provinces(unit_set_for_year(year)).code), year):
            d = p.to_dict()
            assert d == _clean(dataclasses.asdict(p)), p.province.code
            json.dumps(d, allow_nan=False)
    overview = model_for(load(), 2022).overview()
    assert overview.to_dict() == _clean(dataclasses.asdict(overview))

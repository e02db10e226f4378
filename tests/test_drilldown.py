"""Drill-down (issue 13 §2): a PAPI dimension opened into sub-dimensions and survey indicators."""

from __future__ import annotations

import pytest

import parlib
from parlib.present import fmt, tables


def test_public_service_delivery_opens_weakest_first_with_the_model_figures():
    p = parlib.assess("Hưng Yên", 2022)
    d = next(x for x in p.drilldown if x.measure == "D6")
    ranks = [x.rank for x in d.subdimensions]
    assert ranks == sorted(ranks, reverse=True) and len(ranks) == 4
    rows = parlib.model_for(parlib.load(), 2022).rows
    for x in d.subdimensions:
        r = rows.loc[("PAPI", 2022, "33", x.measure)]
        assert x.value == pytest.approx(float(r.value)) and x.rank == int(r["rank"])
        assert x.national_avg == pytest.approx(float(r.national_avg))
    # indicators: the year's survey items, with the national mean of the provinces
    ds = parlib.load()
    s = ds.scores[(ds.scores.year == 2022) & (ds.scores.level == "indicator")]
    first = d.indicators[0]
    col = s[s.measure == first.measure].value.dropna()
    assert first.national_avg == pytest.approx(col.mean()) and len(d.indicators) > 10
    sub, ind = tables.drilldown_tables(p, "D6", "en")
    assert list(sub.iloc[:, 1]) == [fmt.number(x.value, "en") for x in d.subdimensions]
    assert "not recorded" in ind.attrs["note"]


def test_years_without_indicators_say_nothing_false():
    p = parlib.assess("Hưng Yên", 2021)  # parlib holds indicators for 2018, 2019, 2022 and 2023
    assert all(d.indicators == [] for d in p.drilldown) and any(d.subdimensions for d in p.drilldown)

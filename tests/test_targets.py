"""Realistic targets (issue 13 §3): the points to enter or keep the top group, regain the previous
rank, match the region's leader, reach the next PAR band — with PAPI's margin of error."""

from __future__ import annotations

import re

import numpy as np
import pytest

import parlib
from parlib.present import guidance, tables


@pytest.fixture(scope="module")
def hy():
    return parlib.assess("Hưng Yên", 2022)


def test_points_to_regain_5th_in_papi_and_the_margin(hy):
    t = next(t for t in hy.targets if t.index_code == "PAPI" and t.kind == "previous_rank")
    papi = hy.index("PAPI")
    assert t.label_param == "5" and papi.base_rank == 5
    model = parlib.model_for(parlib.load(), 2022)
    others = model.totals("PAPI").drop(index="33").value.dropna().astype(float)
    fifth = np.sort(others.to_numpy())[::-1][4]
    assert t.target_value == pytest.approx(fifth) and t.points_needed == pytest.approx(fifth - papi.value)
    # reaching that score would rank it 5th: four other provinces above, none more
    assert int((others > t.target_value).sum()) == 4
    # the 5th place is another province's score: the margin is that of the difference of the two
    fifth_code = others.sort_values(ascending=False).index[4]
    fifth_se = float(model.totals("PAPI").se[fifth_code])
    z = (papi.ci_high - papi.ci_low) / (2 * papi.se)
    assert t.margin_basis == "difference" and t.margin == pytest.approx(z * np.hypot(papi.se, fifth_se), rel=1e-3)
    assert t.within_margin is (t.points_needed <= t.margin)
    vi = " ".join(guidance.targets_lines(hy, "vi"))
    assert "lấy lại vị trí thứ 5" in vi and "nằm trong sai số của chênh lệch giữa hai tỉnh ở mức tin cậy 90%" in vi


def test_top_group_threshold_is_the_75th_percentile(hy):
    t = next(t for t in hy.targets if t.index_code == "PAPI" and t.kind in ("top_group", "keep_top_group"))
    model = parlib.model_for(parlib.load(), 2022)
    values = model.totals("PAPI").value.dropna().astype(float).to_numpy()
    assert t.kind == "keep_top_group" and t.target_value == pytest.approx(np.quantile(values, 0.75))


def test_par_next_band_and_regional_leader():
    p = parlib.assess("Hải Phòng", 2022)  # 90.09%: band A already; 2nd in the Red River Delta
    kinds = {t.kind for t in p.targets if t.index_code == "PAR"}
    assert "next_band" not in kinds and "regional_leader" in kinds
    lead = next(t for t in p.targets if t.kind == "regional_leader" and t.index_code == "PAR")
    assert lead.label_param == "22" and lead.target_value == pytest.approx(90.10)


def test_every_number_in_the_targets_is_a_field(hy):
    allowed = set()

    def walk(x):
        if isinstance(x, dict):
            for v in x.values():
                walk(v)
        elif isinstance(x, (list, tuple)):
            for v in x:
                walk(v)
        elif isinstance(x, (int, float)) and not isinstance(x, bool):
            allowed.update(
                {f"{abs(x):.2f}", f"{abs(x):.2f}".replace(".", ","), str(int(round(abs(x)))), f"{100 * abs(x):.0f}"}
            )

    from dataclasses import asdict

    walk([asdict(t) for t in hy.targets])
    walk(hy.year)
    text = " ".join(guidance.targets_lines(hy, "en") + guidance.targets_lines(hy, "vi"))
    for n in re.findall(r"\d+(?:[.,]\d+)?", text):
        assert n in allowed, n
    assert len(tables.targets_table(hy, "en")) == len(hy.targets)

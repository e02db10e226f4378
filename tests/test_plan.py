"""The improvement plan annex (issue 13 §4): one row per priority, an editable .xlsx next to the report."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

import parlib
from parlib.present import tables
from parlib.run.plan import plan_xlsx, write_plan


@pytest.fixture(scope="module")
def hy():
    return parlib.assess("Hưng Yên", 2022)


def test_one_row_per_priority_with_a_target(hy):
    assert [x.priority for x in hy.plan] == [m.priority for m in hy.remedies][: len(hy.plan)]
    first = hy.plan[0]
    assert first.measure == "INSTITUTIONAL_REFORM" and first.target_kind == "regain_published"
    d7 = next(x for x in hy.plan if x.measure == "D7")
    comp = next(c for c in hy.index("PAPI").components if c.measure == "D7")
    assert d7.target_kind == "national_avg" and d7.target_value == comp.national_avg and d7.measure_year == 2023
    df = tables.plan_table(hy, "vi")
    assert "Cơ quan chủ trì" in df.columns and len(df) == len(hy.plan)
    assert set(df["Cơ quan chủ trì"]) == {"(chưa có nguồn nêu cơ quan chủ trì)"}  # never invented


def test_xlsx_opens_with_the_same_rows(hy, tmp_path):
    path = write_plan(hy, "vi", tmp_path / "hung-yen.plan.xlsx")
    ws = load_workbook(path).active
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=3)]
    df = tables.plan_table(hy, "vi")
    assert rows == df.values.tolist()
    assert ws.freeze_panes == "A3" and ws["B2"].value == "Nội dung"


def test_formula_looking_text_stays_text(hy):
    from dataclasses import replace

    p = replace(hy, plan=[replace(hy.plan[0], source_id='=HYPERLINK("http://evil.example","x")')])
    ws = load_workbook(io.BytesIO(plan_xlsx(p, "en"))).active
    cell = ws.cell(row=3, column=6)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")

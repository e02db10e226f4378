"""Issue 17 kinds 5, 6 and 7 as invariants over every province × year with data × both languages, on
the engine's results (the profile) and the words that format them:

* (I6) a theme's agree/diverge reading names only the indices with data in the theme and follows
  each index's direction (higher is better; a rank number falling is a rise; an index whose own
  parts move both ways is mixed); "no change stated" only when neither a score change nor a rank
  change is in the profile;
* (I7) every plan row cites the source of its own figure (the score table's row, or the published
  change), and no strength is listed again as a priority;
* (I8) every survey indicator's unit holds all of its values, over all indicators of the year, and
  the drill-down table shows each value in that unit.

Each checker returns a list of problems; ``test_each_check_fails_when_its_rule_is_broken`` breaks
each rule once on a real profile and watches the checker report it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

import pytest

import parlib
from parlib.data.registry import provinces
from parlib.present import fmt, guidance, tables
from parlib.present.catalogue import index_name

LANGS = ("en", "vi")
#: Words the tests expect, typed here (not read from the catalogue they check).
NO_CHANGE = {"en": "no change stated", "vi": "chưa nêu thay đổi"}
NO_DATA = {"en": "No data for this province and year", "vi": "Chưa có số liệu của địa phương trong năm này"}
FIRMS = {"en": "firms", "vi": "doanh nghiệp"}
PLACES = {"en": re.compile(r"\b(up|down) \d+ places?\b|same rank"), "vi": re.compile(r"(tăng|giảm) \d+ bậc|giữ nguyên")}


@lru_cache(maxsize=None)
def _data():
    return parlib.load()


@lru_cache(maxsize=None)
def _model(year: int):
    return parlib.model_for(_data(), year)


@lru_cache(maxsize=None)
def profiles(year: int) -> tuple:
    model = _model(year)
    return tuple(parlib.assess(code, year, model=model) for code in provinces("VN63").code)


def _years() -> list[int]:
    return sorted(int(y) for y in _data().scores.year.unique())


FAST_YEAR = 2022  # PAR published changes, SIPAS ranks, PAPI levels and indicators: every kind at once
YEARS = [pytest.param(y, marks=() if y == FAST_YEAR else pytest.mark.slow) for y in _years()]


# --- (I6) themes ----------------------------------------------------------------------------------
def _expected_item_fields(p, item) -> tuple:
    """(delta, rank_change) of the profile field the item must repeat (one source of truth)."""
    r = p.index(item.index_code)
    if item.kind == "total":
        return r.delta, r.rank_change
    if item.kind == "component":
        c = next(c for c in r.components if c.measure == item.measure)
        return c.delta, c.rank_change
    pc = next(c for c in r.published_changes if c.measure == item.measure)
    return pc.delta, pc.rank_change


def check_themes(p) -> list[str]:
    out = []
    where = f"{p.province.code} {p.year}"
    for t in p.themes:
        present = {i.index_code for i in t.items}
        if set(t.directions) - present:
            out.append(f"{where} {t.theme}: reading names {set(t.directions) - present}, absent from the theme")
        if set(t.missing) & set(t.directions):
            out.append(f"{where} {t.theme}: an index without data is named in the reading")
        for i in t.items:
            delta, rc = _expected_item_fields(p, i)
            if (i.delta, i.rank_change) != (delta, rc):
                out.append(f"{where} {t.theme} {i.measure}: {(i.delta, i.rank_change)} ≠ profile {(delta, rc)}")
            ways = {
                x
                for x in (
                    (i.delta > 0) - (i.delta < 0) if i.delta is not None else None,
                    None if rc is None else (rc > 0) - (rc < 0),
                )
                if x is not None
            }
            moved = ways - {0}
            want = (
                ("withheld" if i.change_withheld else "unstated")
                if not ways
                else "mixed"
                if len(moved) > 1
                else {1: "up", -1: "down"}[next(iter(moved))]
                if moved
                else "flat"
            )
            if i.direction != want:
                out.append(f"{where} {t.theme} {i.measure}: direction {i.direction}, the changes say {want}")
        for idx in present:
            dirs = {i.direction for i in t.items if i.index_code == idx} - {"unstated", "withheld"}
            if not dirs:
                if idx in t.directions:
                    out.append(f"{where} {t.theme}: {idx} states no change but is read as {t.directions[idx]}")
                continue
            want = "mixed" if "mixed" in dirs or {"up", "down"} <= dirs else (dirs - {"flat"} or {"flat"}).pop()
            if t.directions.get(idx) != want:
                out.append(f"{where} {t.theme}: {idx} read {t.directions.get(idx)}, its parts say {want}")
        ways = set(t.directions.values())
        if len(t.directions) < 2:
            want = "insufficient"
        elif len(ways) == 1 and ways <= {"up", "down", "flat"}:
            want = "agree_" + next(iter(ways))
        else:
            want = "diverge" if {"up", "down"} <= ways else "mixed"
        if t.reading != want:
            out.append(f"{where} {t.theme}: reading {t.reading}, the indices say {want}")
    for lang in LANGS:
        for t, line in zip(p.themes, guidance.themes_lines(p, lang)):
            body = line.split(NO_DATA[lang])[0]
            for idx in {"PAR", "SIPAS", "PAPI", "PCI"} - {i.index_code for i in t.items}:
                if re.search(re.escape(index_name(idx, lang)) + r"(?![\w)])", body):
                    out.append(f"{where} {lang} {t.theme}: names {idx}, which has no data in the theme")
            if "PCI" not in t.directions and FIRMS[lang] in body:
                out.append(f"{where} {lang} {t.theme}: speaks of firms without PCI data")
            unstated = sum(i.direction == "unstated" for i in t.items)
            if body.count(NO_CHANGE[lang]) != unstated:
                out.append(
                    f"{where} {lang} {t.theme}: '{NO_CHANGE[lang]}' ×{body.count(NO_CHANGE[lang])}, {unstated} unstated"
                )
            if len(PLACES[lang].findall(body)) != sum(
                i.rank_change is not None and i.direction != "withheld" for i in t.items
            ):
                out.append(f"{where} {lang} {t.theme}: rank changes in the profile and in the words differ")
    return out


# --- (I7) plan ------------------------------------------------------------------------------------
def check_plan(p) -> list[str]:
    out = []
    where = f"{p.province.code} {p.year}"
    rows = _model(p.year).rows
    strong = {(s["index_code"], s["measure"]) for s in p.strengths}
    for m in p.remedies:
        if (m.index_code, m.measure) in strong:
            out.append(f"{where}: strength {m.index_code} {m.measure} listed as priority {m.priority}")
    for x in p.plan:
        if (x.index_code, x.measure) in strong:
            out.append(f"{where}: strength {x.index_code} {x.measure} in the plan")
        if x.basis == "published_change":
            pc = next(c for c in p.index(x.index_code).published_changes if c.measure == x.measure)
            want = {pc.source_id}
        else:
            row = rows.loc[(x.index_code, p.year, p.province.code, x.measure)]
            want = {s for s in (row.source_id, row.rank_source_id) if isinstance(s, str) and s}
        got = {s for s in (x.source_id, x.rank_source_id) if s}
        if got != want or not got:
            out.append(f"{where}: plan row {x.index_code} {x.measure} cites {got}, its figure's source is {want}")
    for lang in LANGS:
        df = tables.plan_table(p, lang)
        for x, cited in zip(p.plan, df.iloc[:, 5]):
            if set(cited.split("; ")) != {s for s in (x.source_id, x.rank_source_id) if s}:
                out.append(f"{where} {lang}: plan table cites {cited} for {x.measure}")
    return out


# --- (I8) units -----------------------------------------------------------------------------------
def check_unit_ranges(year: int) -> list[str]:
    """Every indicator's unit holds every province's value of the year (ALL indicators, not a sample)."""
    out = []
    s = _data().scores
    s = s[(s.year == year) & (s.level == "indicator")]
    units = {}
    for p in profiles(year):
        for d in p.drilldown:
            for x in d.indicators:
                units.setdefault(x.measure, (x.unit, x.scale_min, x.scale_max))
    for measure, v in s.groupby("measure").value:
        if measure not in units:
            continue
        unit, lo, hi = units[measure]
        v = v.dropna().astype(float)
        if unit == "proportion" and not v.between(0, 1).all():
            out.append(f"{year} {measure}: labelled a proportion, values {v.min()}–{v.max()}")
        if unit == "points" and (lo is None or not v.between(lo, hi).all()):
            out.append(f"{year} {measure}: labelled points {lo}–{hi}, values {v.min()}–{v.max()}")
    return out


def _cell_number(text: str, lang: str) -> float:
    body = re.sub(r"[^\d,.−+-]", "", text).replace("−", "-")
    body = body.replace(".", "").replace(",", ".") if lang == "vi" else body.replace(",", "")
    return float(body)


def check_units(p) -> list[str]:
    out = []
    where = f"{p.province.code} {p.year}"
    for d in p.drilldown:
        for lang in LANGS:
            _, ind = tables.drilldown_tables(p, d.measure, lang)
            for x, row in zip(d.indicators, ind.itertuples(index=False)):
                name, value, avg, gap, unit = row
                if x.value is None:
                    continue
                shown = _cell_number(value, lang)
                if value.endswith("%"):
                    if not 0 <= x.value <= 1 or abs(shown - 100 * x.value) > 0.051:
                        out.append(f"{where} {lang} {x.measure}: shown {value} for {x.value}")
                    if "%" not in unit:
                        out.append(f"{where} {lang} {x.measure}: shown in % under unit '{unit}'")
                else:
                    if x.unit == "proportion":
                        out.append(f"{where} {lang} {x.measure}: proportion {x.value} shown as {value}, not in %")
                    if abs(shown - x.value) > 0.0051:
                        out.append(f"{where} {lang} {x.measure}: shown {value} for {x.value}")
                    if "%" in name and "%" not in unit:
                        out.append(f"{where} {lang} {x.measure}: '(%)' label over a value of {x.value} ({unit})")
    return out


@pytest.mark.parametrize("year", YEARS)
def test_theme_readings_follow_presence_and_direction(year):
    problems = [x for p in profiles(year) for x in check_themes(p)]
    assert not problems, problems[:10]


@pytest.mark.parametrize("year", YEARS)
def test_plan_rows_cite_their_own_figures_and_skip_strengths(year):
    problems = [x for p in profiles(year) for x in check_plan(p)]
    assert not problems, problems[:10]


@pytest.mark.parametrize("year", YEARS)
def test_indicator_units_hold_their_values_and_are_shown_in_them(year):
    problems = check_unit_ranges(year) + [x for p in profiles(year) for x in check_units(p)]
    assert not problems, problems[:10]


def test_the_sweep_sees_every_kind():
    """The fast year exercises each rule: mixed and diverging themes, a rank-only change, PAPI plan
    rows, proportions, point scales and unverified units."""
    ps = profiles(FAST_YEAR)
    readings = {t.reading for p in ps for t in p.themes}
    assert {"mixed", "diverge", "insufficient"} <= readings and any(r.startswith("agree_") for r in readings)
    assert any(i.delta is None and i.rank_change for p in ps for t in p.themes for i in t.items)
    assert any(x.index_code == "PAPI" for p in ps for x in p.plan)
    assert any(x.basis == "published_change" for p in ps for x in p.plan)
    assert any(p.strengths for p in ps)
    units = {x.unit for p in ps for d in p.drilldown for x in d.indicators}
    assert units == {"proportion", "points", "as printed"}


def test_each_check_fails_when_its_rule_is_broken():
    p = next(p for p in profiles(FAST_YEAR) if p.province.code == "33")  # Hưng Yên
    assert not check_themes(p) and not check_plan(p) and not check_units(p)
    org = next(t for t in p.themes if t.theme == "organisation_civil_service")
    sipas_theme = next(t for t in p.themes if any(i.index_code == "SIPAS" for i in t.items))

    def with_theme(old, new):
        return replace(p, themes=[new if t is old else t for t in p.themes])

    # an absent index named; an index with parts both ways read as one way; a known rank change unstated
    assert check_themes(with_theme(org, replace(org, directions={**org.directions, "PCI": "down"})))
    assert check_themes(with_theme(org, replace(org, directions={"PAR": "down", "PAPI": "down"})))
    assert check_themes(with_theme(org, replace(org, reading="diverge")))
    sipas = next(i for i in sipas_theme.items if i.index_code == "SIPAS")
    items = [replace(i, rank_change=None, direction="unstated") if i is sipas else i for i in sipas_theme.items]
    assert check_themes(with_theme(sipas_theme, replace(sipas_theme, items=items)))
    # a PAPI row cited to the portal; a strength in the plan
    papi = next(x for x in p.plan if x.index_code == "PAPI")
    portal = p.index("PAR").published_changes[0].source_id
    assert check_plan(replace(p, plan=[replace(x, source_id=portal) if x is papi else x for x in p.plan]))
    s = p.strengths[0]
    assert check_plan(replace(p, plan=p.plan + [replace(papi, measure=s["measure"], index_code=s["index_code"])]))
    # a proportion shown as a bare 0,20 (labelled points)
    d = next(d for d in p.drilldown if any(x.unit == "proportion" for x in d.indicators))
    bad = [
        replace(x, unit="points", scale_min=0.0, scale_max=1.0) if x.unit == "proportion" else x for x in d.indicators
    ]
    assert check_units(replace(p, drilldown=[replace(d, indicators=bad) if y is d else y for y in p.drilldown]))


def test_percent_formatting_is_babels():
    assert (fmt.percent(0.2034, "en"), fmt.percent(0.2034, "vi")) == ("20.3%", "20,3%")
    assert (fmt.percent_points(0.051, "en"), fmt.percent_points(-0.0012, "vi")) == ("+5.1", "−0,1")

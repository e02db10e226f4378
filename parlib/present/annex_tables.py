"""The annexes' tables of a province report: targets, the drill-down of a priority and the
improvement plan, as DataFrames of formatted strings (see :mod:`parlib.present.tables`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from parlib._words import localized
from parlib.present import fmt
from parlib.present.catalogue import (
    check_lang,
    index_label,
)
from parlib.present.narrative import change_words
from parlib.present.table_cells import (
    DASH,
    _missing,
    _num,
    _rank,
    _signed,
    component_label,
)

if TYPE_CHECKING:
    from parlib.engine.results import Profile


def targets_table(profile: Profile, lang: str = "en") -> pd.DataFrame:
    """The targets: index, target, the score now and the target value, the points needed, the margin
    of error (PAPI: the province's own, or of the difference from another province), the components
    that could deliver it and whether the points needed are realistic in one year."""
    from parlib.present.catalogue import TARGETS

    w = TARGETS[check_lang(lang)]
    rows = []
    for t in profile.targets:
        name = localized(t, "leader_name", lang) or t.label_param
        short = w[f"short_{t.kind}"].format(param=t.label_param, name=name)
        rows.append(
            [
                index_label(profile.index_names, t.index_code, lang),
                short,
                fmt.score(t.value, t.index_code, lang),
                fmt.score(t.target_value, t.index_code, lang),
                fmt.signed(t.points_needed, lang),
                _target_margin(t, w, lang),
                "; ".join(_lever_label(t.index_code, x, w, lang) for x in t.levers) or DASH,
                DASH if t.realistic is None else w["yes" if t.realistic else "no"],
            ]
        )
    return pd.DataFrame(
        rows,
        columns=[
            w["col_index"],
            w["col_target"],
            w["col_now"],
            w["col_to"],
            w["col_need"],
            w["col_margin"],
            w["col_levers"],
            w["col_realistic"],
        ],
    )


def _lever_label(index_code: str, x, w: dict, lang: str) -> str:
    """A lever's component, marked when the points needed are not realistic for it in one year."""
    label = component_label(index_code, x.measure, x.name_en, x.name_vi, lang)
    return w["lever_not_realistic"].format(name=label) if x.realistic is False else label


def _target_margin(t, w: dict, lang: str) -> str:
    """'±1.14', or '±1.23 (of the difference)' when the target is another province's score."""
    if t.margin is None:
        return DASH
    text = "±" + fmt.number(t.margin, lang)
    return w["margin_difference"].format(margin=text) if t.margin_basis == "difference" else text


def drilldown_tables(profile: Profile, measure: str, lang: str = "en") -> tuple[pd.DataFrame, pd.DataFrame]:
    """One PAPI dimension opened: its sub-dimensions (weakest rank first) and its survey indicators,
    each with the province's value, the national average and the gap (``profile.drilldown``)."""
    from parlib.present.catalogue import DRILL

    w = DRILL[check_lang(lang)]
    d = next((x for x in profile.drilldown if x.measure == measure), None)
    if d is None:
        return pd.DataFrame(), pd.DataFrame()

    def name(x):
        return localized(x, "name", lang) or x.name_en or x.name_vi or x.measure

    sub = pd.DataFrame(
        [
            [
                name(x),
                _num(x.value, lang),
                _num(x.national_avg, lang),
                _signed(x.gap_national, lang),
                _rank(x.rank, x.n_ranked, lang),
            ]
            for x in d.subdimensions
        ],
        columns=[w["sub"], w["value"], w["avg"], w["gap"], w["rank"]],
    )
    sub.attrs["note"] = w["sub_note"]

    def cells(x):
        """Value, average and gap in the indicator's own unit (``DrillItem.unit``), and the unit."""
        if x.unit == "proportion":
            gap = DASH if _missing(x.gap_national) else fmt.percent_points(x.gap_national, lang) + " " + w["pp"]
            return [fmt.percent(x.value, lang), fmt.percent(x.national_avg, lang), gap, w["unit_percent"]]
        cols = [_num(x.value, lang), _num(x.national_avg, lang), _signed(x.gap_national, lang)]
        if x.unit == "points" and x.scale_min is not None:
            lo, hi = (fmt.number(v, lang).rstrip("0").rstrip(",.") for v in (x.scale_min, x.scale_max))
            return cols + [w["unit_points"].format(lo=lo, hi=hi)]
        return cols + [w["unit_unverified_pct" if x.percent_label_unverified else "unit_as_printed"]]

    ind = pd.DataFrame(
        [[name(x), *cells(x)] for x in d.indicators],
        columns=[w["ind"], w["value"], w["avg"], w["gap"], w["unit"]],
    )
    ind.attrs["note"] = w["ind_note"].format(year=profile.year)
    return sub, ind


def plan_table(profile: Profile, lang: str = "en") -> pd.DataFrame:
    """The improvement plan ("Kế hoạch nâng cao chỉ số"): one row per priority — area, current
    result, target and the measure that will show it, the evidence, lead agency (empty unless a
    cited source names it) and deadline (the province's to set)."""
    from parlib.present.catalogue import PLAN

    w = PLAN[check_lang(lang)]
    rows = []
    for x in profile.plan:
        name = component_label(x.index_code, x.measure, x.name_en, x.name_vi, lang)
        iname = index_label(profile.index_names, x.index_code, lang)
        unit = "pp" if x.published_unit == "percentage points" else "points"
        if x.basis == "published_change":
            change = change_words(x.published_delta, unit, lang, trim=True) if x.published_delta is not None else DASH
            current = w["published"].format(change=change, base=x.base_year, source=x.source_id)
            amount = fmt.number(abs(x.published_delta), lang).rstrip("0").rstrip(",.") if x.published_delta else ""
            target = w["regain_published"].format(change=w[f"regain_amount_{unit}"].format(n=amount), base=x.base_year)
        else:
            current = w["level"].format(value=_num(x.value, lang), rank=_rank(x.rank, x.n_ranked, lang))
            target = w[x.target_kind].format(value=_num(x.target_value, lang), base=x.base_year)
        rows.append(
            [
                str(x.priority),
                f"{iname}: {name}",
                current,
                target,
                w["measure_text"].format(index=iname, year=x.measure_year, name=name),
                "; ".join(s for s in (x.source_id, x.rank_source_id) if s) or DASH,
                x.lead_agency or w["lead_empty"],
                x.deadline or w["deadline_empty"],
            ]
        )
    return pd.DataFrame(
        rows,
        columns=[
            w["priority"],
            w["area"],
            w["current"],
            w["target"],
            w["measure"],
            w["evidence"],
            w["lead"],
            w["deadline"],
        ],
    )

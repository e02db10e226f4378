"""Provinces side by side (issue 20, ``parlib compare``): sections a notebook displays with one call
each, formatted from a :class:`parlib.engine.results.Comparison` (each province's own Profile and the
engine's pairwise differences). The scorecard rows are :func:`parlib.present.tables.scorecard`'s rows of
each province, so every figure is the one in that province's own report.
"""

from __future__ import annotations

import datetime as _dt
from typing import TYPE_CHECKING

import pandas as pd

from parlib._vocab import index_facts
from parlib._words import localized
from parlib.present import compare_charts, fmt, tables
from parlib.present.brief import Block, show_blocks
from parlib.present.catalogue import BRIEF, COMPARE, TABLE, THEMES, check_lang, index_label

if TYPE_CHECKING:
    from parlib.engine.results import Comparison


def scorecards(c: Comparison, index_code: str, lang: str) -> pd.DataFrame:
    """One index's scorecard rows of every province (the same cells as each province's own scorecard),
    a Province column first; a province without the index has its row of "—" (missing stays missing)."""
    t = TABLE[check_lang(lang)]
    label = index_label(c.index_names, index_code, lang)
    rows = []
    for p in c.profiles:
        df = tables.scorecard(p, lang, include_missing=True)
        hit = df[df[t["index"]] == label]
        if not hit.empty:
            rows.append({t["province"]: p.province.name(lang)} | hit.iloc[0].drop(t["index"]).to_dict())
    return pd.DataFrame(rows)


def themes_table(c: Comparison, lang: str) -> pd.DataFrame:
    """One row per theme, one column per province: what the indices say together on it (the
    engine's reading of each province's ThemeView)."""
    w, cw = THEMES[check_lang(lang)], COMPARE[lang]
    order: dict[str, str] = {}
    for p in c.profiles:
        for v in p.themes:
            order.setdefault(v.theme, localized(v, "name", lang))
    rows = []
    for theme, name in order.items():
        row = {cw["theme"]: name}
        for p in c.profiles:
            v = next((x for x in p.themes if x.theme == theme), None)
            row[p.province.name(lang)] = w.get(v.reading, v.reading) if v is not None else cw["no_theme"]
        rows.append(row)
    return pd.DataFrame(rows)


def differences_table(c: Comparison, lang: str) -> pd.DataFrame:
    """Every tested pair (a margin of error known): the two scores, the difference, its margin and
    whether it exceeds it."""
    w = COMPARE[check_lang(lang)]
    names = {p.province.code: p.province.name(lang) for p in c.profiles}
    rows = []
    for d in c.pairs:
        if d.margin is None:
            continue
        iname = index_label(c.index_names, d.index_code, lang)
        what = (
            w["total"].format(index=iname)
            if d.measure == "TOTAL"
            else f"{iname}: {tables.component_label(d.index_code, d.measure, d.name_en, d.name_vi, lang)}"
        )
        rows.append(
            [
                f"{names[d.province_a]} – {names[d.province_b]}",
                what,
                fmt.number(d.value_a, lang),
                fmt.number(d.value_b, lang),
                fmt.signed(d.difference, lang),
                "±" + fmt.number(d.margin, lang),
                w["yes" if d.exceeds else "no"],
            ]
        )
    level = next((d.ci_level for d in c.pairs if d.ci_level is not None), "")
    cols = [w["pair"], w["measure"], w["score_a"], w["score_b"], w["difference"], w["margin"].format(level=level)]
    return pd.DataFrame(rows, columns=cols + [w["exceeds"]])


def untested_notes(c: Comparison, lang: str) -> list[str]:
    """Per index, the components whose differences the engine could not test (no standard error)."""
    w = COMPARE[check_lang(lang)]
    idx = list(dict.fromkeys(d.index_code for d in c.pairs if d.margin is None and d.measure != "TOTAL"))
    return [
        w["untested"].format(
            index=index_label(c.index_names, i, lang),
            what=index_facts(i).component_word(lang),
        )
        for i in idx
    ]


class ComparisonReport:
    """Provinces side by side, section by section (built by :func:`parlib.run.compare.open_comparison`)."""

    def __init__(self, comparison: Comparison, lang: str, params: dict):
        from parlib.present import charts

        self.c, self.lang, self.params = comparison, check_lang(lang), params
        self.generated = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        self.indices = list(dict.fromkeys(r.index_code for p in comparison.profiles for r in p.indices))
        charts.setup_style()

    def _show(self, blocks: list[Block]) -> None:
        show_blocks(blocks, self.lang)

    def title_blocks(self) -> list[Block]:
        from parlib._version import __version__

        w = COMPARE[self.lang]
        return [
            Block("heading", self.params["_title"], level=1),
            Block("note", w["generated"].format(version=__version__, stamp=self.generated)),
        ]

    def scorecard_blocks(self) -> list[Block]:
        out = [Block("heading", COMPARE[self.lang]["scorecards"])]
        for idx in self.indices:
            out += [
                Block("heading", index_label(self.c.index_names, idx, self.lang), level=3),
                Block("table", table=scorecards(self.c, idx, self.lang)),
            ]
        return out

    def component_blocks(self) -> list[Block]:
        out = [Block("heading", COMPARE[self.lang]["components"])]
        for idx in self.indices:
            fig = compare_charts.components_small_multiples(self.c, idx, self.lang)
            if fig is not None:
                out.append(Block("figure", figure=fig))
        return out

    def trajectory_blocks(self) -> list[Block]:
        fig = compare_charts.rank_trajectories(self.c, self.lang)
        return [Block("heading", COMPARE[self.lang]["trajectories"])] + ([Block("figure", figure=fig)] if fig else [])

    def theme_blocks(self) -> list[Block]:
        df = themes_table(self.c, self.lang)
        return [Block("heading", COMPARE[self.lang]["themes"])] + ([Block("table", table=df)] if not df.empty else [])

    def difference_blocks(self) -> list[Block]:
        w = COMPARE[self.lang]
        df = differences_table(self.c, self.lang)
        out = [Block("heading", w["differences"])]
        out.append(Block("table", table=df) if not df.empty else Block("note", w["no_pairs"]))
        if not df.empty:
            out.append(Block("note", w["rule"]))
        return out + [Block("note", x) for x in untested_notes(self.c, self.lang)]

    def source_blocks(self) -> list[Block]:
        producers = dict.fromkeys(s.get("producer") or s["source_id"] for p in self.c.profiles for s in p.sources)
        return [Block("note", BRIEF[self.lang]["sources"].format(sources="; ".join(producers) or "—"))]

    def title(self) -> None:
        self._show(self.title_blocks())

    def scorecards(self) -> None:
        self._show(self.scorecard_blocks())

    def components(self) -> None:
        self._show(self.component_blocks())

    def trajectories(self) -> None:
        self._show(self.trajectory_blocks())

    def themes(self) -> None:
        self._show(self.theme_blocks())

    def differences(self) -> None:
        self._show(self.difference_blocks())

    def sources(self) -> None:
        self._show(self.source_blocks())

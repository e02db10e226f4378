"""The commands that look figures up and print them: ``parlib provinces``, ``scores``, ``summary``,
``data sources`` and ``data coverage`` (the rendering commands are in :mod:`parlib.cli.main`)."""

from __future__ import annotations

import argparse
import sys
import textwrap

import pandas as pd

import parlib._words as _words
from parlib._words import localized
from parlib.data.indices import INDICES, index_name
from parlib.present import fmt


def _print_table(df: pd.DataFrame) -> None:
    """Print a table with text columns left-aligned and numbers right-aligned."""
    if df.empty:
        print("(no rows)")
        return
    cells = df.astype(str)
    widths = {c: max(len(str(c)), cells[c].str.len().max()) for c in df.columns}
    numeric = {c: pd.api.types.is_numeric_dtype(df[c]) for c in df.columns}

    def line(values) -> str:
        return "  ".join(
            str(v).rjust(widths[c]) if numeric[c] else str(v).ljust(widths[c]) for c, v in zip(df.columns, values)
        ).rstrip()

    print(line(df.columns))
    for row in cells.itertuples(index=False):
        print(line(row))


# --- commands ---------------------------------------------------------------------------------
def cmd_provinces(args: argparse.Namespace) -> int:
    from parlib.data.registry import provinces

    t = provinces(args.unit_set)
    # The 34 units have no region yet (DOMAIN §6.4): show what each was formed from instead.
    place = "predecessors" if args.unit_set == "VN34" else f"region_{args.lang}"
    place = place if place in t.columns else "region_en"  # a language the registry has no names in
    cols = ["code", "name_vi", "name_en", "slug", place, "successor_code" if args.unit_set == "VN63" else "members"]
    _print_table(t[cols])
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    from parlib.data.loading import load_sources, manifest

    if args.files:
        _print_table(
            manifest()[["file", "rows", "sha256", "description"]].assign(sha256=lambda d: d.sha256.str[:12] + "…")
        )
        return 0
    s = load_sources()
    if args.kind:
        s = s[s.kind == args.kind]
    for r in s.itertuples():
        print(
            f"{r.source_id}\n  {r.producer}: {r.title}\n  {r.url or '(no address)'}"
            f"\n  kind: {r.kind}; licence: {r.licence}; accessed: {r.accessed or 'not recorded'}"
        )
    print(f"\n{len(s)} sources")
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:
    from parlib.data.loading import coverage, load_scores

    c = coverage(load_scores(include_indicators=False))
    if args.index:
        c = c[c.index_code == args.index]
    _print_table(c)
    return 0


def cmd_scores(args: argparse.Namespace) -> int:
    from parlib.data.indices import measure_name
    from parlib.data.loading import load_scores, load_sources
    from parlib.data.registry import province

    p = province(args.province)
    y0, y1 = args.years or (2005, 2100)
    s = load_scores(indices=[args.index] if args.index else None, include_indicators=False)
    s = s[(s.province_code == p.code) & s.year.between(y0, y1)]
    if not args.components:
        s = s[s.measure == "TOTAL"]
    else:
        s = s[s.level.isin(["total", "component"])]
        # a component row with neither a score nor a rank says nothing (e.g. PAPI's weighted total
        # where the panel gives none); the index's own row stays, to say its score is missing
        s = s[(s.measure == "TOTAL") | s.value.notna() | s["rank"].notna()]
    lang = args.lang
    print(f"{p.name_vi} ({p.code}) · {p.name_en} · {localized(p, 'region', lang)}")
    if s.empty:
        print(_words.text("cli.no_scores_held", lang))
        return 0
    order = {k: i for i, k in enumerate(INDICES)}
    s = s.assign(_o=s.index_code.map(order), _l=(s.level != "total")).sort_values(["_o", "year", "_l", "measure"])
    rows = []
    for r in s.itertuples():
        what = (
            index_name(r.index_code, lang)
            if r.measure == "TOTAL"
            else "  " + measure_name(r.index_code, r.measure, r.year, lang)
        )
        missing = _words.text("cli.no_score", lang)
        rows.append(
            {
                "index": what,
                "year": r.year,
                "score": (
                    fmt.score(r.value, r.index_code if r.measure == "TOTAL" else "", lang)
                    if not fmt.is_missing(r.value)
                    else f"— ({missing})"
                ),
                "rank": fmt.rank_of(r.rank, r.n_ranked, lang)
                + (
                    "" if fmt.is_missing(r.rank) or r.rank_basis == "published" else _words.text("table.computed", lang)
                ),
                "source": r.source_id
                + (
                    ""
                    if r.rank_source_id in ("", r.source_id)
                    else _words.text("cli.rank_source", lang).format(source=r.rank_source_id)
                ),
            }
        )
    _print_table(pd.DataFrame(rows))
    cited = set(s.source_id) | set(s.rank_source_id) - {""}
    src = load_sources().set_index("source_id")
    print("\n" + _words.text("cli.sources", lang))
    for sid in sorted(cited):
        r = src.loc[sid]
        print(textwrap.shorten(f"  {sid}: {r.producer} — {r.title} {r.url}", 160))
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    import json

    from parlib.data.registry import province
    from parlib.engine.profile import assess
    from parlib.present.narrative import narrate
    from parlib.run.render import ParameterError, check_report_year, merged_note

    p = province(args.province, year=args.year)
    try:
        years = check_report_year(args.year)
    except ParameterError as e:
        print(f"parlib: {e}", file=sys.stderr)
        return 2
    if args.base_year is not None and (args.base_year >= args.year or args.base_year not in years):
        print(f"parlib: base year {args.base_year} must be an earlier year with data", file=sys.stderr)
        return 2
    note = merged_note(args.province, args.year)
    if note:
        print(f"parlib: {note}", file=sys.stderr)
    profile = assess(p, args.year, base_year=args.base_year, indices=args.index)
    if args.json:
        from parlib.engine.claims import claims

        d = profile.to_dict() | {"claims": [c.to_dict() for c in claims(profile)]}
        print(json.dumps(d, ensure_ascii=False, indent=2, default=str))
    elif args.explain:
        from parlib.engine.claims import claims
        from parlib.present.explain import explain

        print(explain(profile, claims(profile), args.lang))
    else:
        print(narrate(profile, args.lang))
    return 0

"""``parlib data template|import|list|remove``: the command line of :mod:`parlib.importer`.

:func:`add_data_commands` registers the four commands under the ``parlib data`` subparser of
:mod:`parlib.cli`; :func:`main` runs them on their own (``python -m parlib.cli.data data …``).
Exit codes: 0 done, 2 usage error (unknown index, year or dataset), 3 the file did not validate
(the full list of problems is printed, and nothing is written), 4 the machine refused (disk full,
read-only, not a folder, permission, the store busy): one line naming the path and the fix.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
import time
from pathlib import Path

from parlib.data.indices import INDICES

EXIT_USAGE = 2
EXIT_INVALID = 3
EXIT_SYSTEM = 4


def _print_rows(rows: list[dict], columns: list[str]) -> None:
    """Print rows as an aligned plain-text table."""
    if not rows:
        print("(no rows)")
        return
    widths = {c: max(len(c), *(len(str(r[c])) for r in rows)) for c in columns}
    print("  ".join(c.ljust(widths[c]) for c in columns).rstrip())
    for r in rows:
        print("  ".join(str(r[c]).ljust(widths[c]) for c in columns).rstrip())


def print_problems(problems, out=None) -> None:
    """Print every problem, numbered, errors first (each on its own wrapped paragraph)."""
    out = out or sys.stderr
    for i, p in enumerate(problems, 1):
        head = f"{i:>3}. "
        text = str(p) if p.severity == "warning" else "error: " + str(p)
        print(
            textwrap.fill(
                text,
                width=110,
                initial_indent=head,
                subsequent_indent=" " * len(head),
                break_long_words=False,
                break_on_hyphens=False,
            ),
            file=out,
        )


# --- commands ---------------------------------------------------------------------------------
def cmd_template(args: argparse.Namespace) -> int:
    from parlib.importer import make_template

    fmt = args.format or (Path(args.output).suffix.lstrip(".").lower() if args.output else "xlsx")
    if fmt not in ("xlsx", "csv"):
        print(f"parlib: the template is .xlsx or .csv, not {fmt!r} (use --format)", file=sys.stderr)
        return EXIT_USAGE
    out = args.output or f"{args.index.lower()}-{args.year}-template.{fmt}"
    try:
        path = make_template(args.index, args.year, fmt, out)
    except ValueError as e:
        print(f"parlib: {e}", file=sys.stderr)
        return EXIT_USAGE
    print(path)
    print(
        f"Fill it with the official {args.index} {args.year} table and its source, then run:\n"
        f"  parlib data import {path} --index {args.index} --year {args.year}",
        file=sys.stderr,
    )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from parlib.importer import ImportValidationError, validate_import, write_dataset

    t0 = time.perf_counter()
    try:
        plan = validate_import(
            args.file, args.index, args.year, source=args.source, replace=args.replace, sheet=args.sheet
        )
    except ValueError as e:
        print(f"parlib: {e}", file=sys.stderr)
        return EXIT_USAGE
    name = Path(args.file).name
    if not plan.ok:
        return _refused(name, plan.problems)
    if args.check:
        print(
            f"{name} passed validation: {len(plan.provinces)} provinces, {len(plan.rows)} rows"
            + (f", {len(plan.warnings)} warning(s)" if plan.warnings else "")
            + ". Nothing written (--check)."
        )
        print_problems(plan.warnings, out=sys.stdout)
        return 0
    try:
        write_dataset(plan)  # validates again, under the store's lock, if another import committed meanwhile
    except ImportValidationError as e:
        return _refused(name, e.problems, " (another import was committed while this one was checked)")
    _report_import(plan, name, time.perf_counter() - t0)
    return 0


def _refused(name: str, problems, why: str = "") -> int:
    errors = [p for p in problems if p.severity == "error"]
    n_e, n_w = len(errors), len(problems) - len(errors)
    print(
        f"parlib: {name} was not imported{why}: {n_e} error{'s' * (n_e != 1)}"
        + (f", {n_w} warning{'s' * (n_w != 1)}" if n_w else "")
        + ". Nothing was written.",
        file=sys.stderr,
    )
    print_problems(problems)
    print("Fix the file (or the command) and run it again; every problem found is listed above.", file=sys.stderr)
    return EXIT_INVALID


def _report_import(plan, name: str, seconds: float) -> None:
    from parlib.config import user_data_dir
    from parlib.data.indices import index_name

    r = plan.rows
    n_val, n_rank = int(r.value.notna().sum()), int(r["rank"].notna().sum())
    sheet = f" (sheet {plan.table.sheet})" if plan.table.sheet else ""
    print(f"Imported {index_name(plan.index_code)} {plan.year} from {name}{sheet} as {plan.dataset_id}:")
    print(f"  {len(plan.provinces)} provinces, {r.measure.nunique()} measures: {n_val} scores, {n_rank} ranks")
    if plan.replace and len(plan.conflicts):
        print(
            f"  {len(plan.conflicts)} figure(s) differed from parlib's and were replaced; both are kept with "
            f"their sources (parlib.load_conflicts())"
        )
    src = plan.source
    print(f"  source: {' — '.join(x for x in (src['producer'], src['title']) if x)}")
    print(f"  store: {user_data_dir()}  ({seconds:.2f} s)")
    if plan.warnings:
        print(f"  {len(plan.warnings)} warning(s):")
        print_problems(plan.warnings, out=sys.stdout)
    print(f"Next: parlib summary PROVINCE --year {plan.year}   ·   parlib data remove {plan.dataset_id} to undo")


def cmd_list(args: argparse.Namespace) -> int:
    from parlib.importer import list_datasets

    d = list_datasets()
    if args.index:
        d = d[d.index_code == args.index]
    if args.imported:
        d = d[d.kind == "imported"]
    rows = d.assign(source=d.source.map(lambda s: textwrap.shorten(str(s), 70))).to_dict("records")
    _print_rows(rows, ["dataset_id", "kind", "index_code", "years", "provinces", "rows", "source"])
    n_imp = int((d.kind == "imported").sum())
    print(f"\n{len(d)} datasets ({n_imp} imported). Remove an import with `parlib data remove ID`.")
    return 0


def cmd_repair(args: argparse.Namespace) -> int:
    from parlib.config import user_data_dir
    from parlib.importer import repair_store

    res = repair_store()
    print(
        f"Rebuilt {user_data_dir() / 'MANIFEST.csv'} from {len(res['kept'])} dataset folder(s): "
        + (", ".join(res["kept"]) or "none")
        + "."
    )
    for folder, why in res["skipped"].items():
        print(f"  left out datasets/{folder}: {why}")
    print("Check them with `parlib data list`; remove an unwanted one with `parlib data remove ID`.")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    from parlib.importer import DatasetNotFoundError, remove_dataset

    try:
        info = remove_dataset(args.dataset_id)
    except DatasetNotFoundError as e:
        print(f"parlib: {e.args[0]}", file=sys.stderr)
        return EXIT_USAGE
    print(
        f"Removed {info['dataset_id']}: {info['index_code']} {info['year']} from {info['original_file']}, "
        f"imported {info['imported_at']}."
    )
    return 0


# --- parser -----------------------------------------------------------------------------------
def add_data_commands(dsub) -> None:
    """Register ``template``, ``import``, ``list`` and ``remove`` under the ``parlib data`` subparser."""
    p = dsub.add_parser(
        "template",
        help="write a template to fill with an official table (XLSX or CSV)",
        description="Write an import template: one row per province of the year's unit set (63, or 34 from "
        "2025), one column per measure of the methodology (names in Vietnamese and English, unit, "
        "maximum) and its rank, and a source block.",
    )
    p.add_argument("--index", required=True, choices=INDICES, help="the index of the table")
    p.add_argument("--year", required=True, type=int, help="the result year, e.g. 2022")
    p.add_argument("--format", choices=["xlsx", "csv"], help="xlsx (default, or from the -o extension) or csv")
    p.add_argument("-o", "--output", help="file to write (default: INDEX-YEAR-template.xlsx)")
    p.set_defaults(func=cmd_template)

    p = dsub.add_parser(
        "import",
        help="import an official table (CSV or XLSX) into the user data store",
        description="Validate a table (the template, any wide table, or a long table province, measure, value"
        "[, rank]) and import it into the user store (PARLIB_DATA_DIR or the per-user data folder). Every problem is "
        "listed at once and nothing is written while there is an error (exit code 3).",
    )
    p.add_argument("file", help="the CSV or XLSX file")
    p.add_argument("--index", required=True, choices=INDICES, help="the index of the table")
    p.add_argument("--year", required=True, type=int, help="the result year of the table")
    p.add_argument(
        "--source",
        help="where the figures come from: publisher, document number and title, date "
        "(required unless the file's source block is filled)",
    )
    p.add_argument(
        "--replace",
        action="store_true",
        help="prefer the file where it differs from figures already in parlib (both are kept, with their sources)",
    )
    p.add_argument("--sheet", help="the sheet to read (default: 'data', else the first sheet)")
    p.add_argument("--check", action="store_true", help="validate only; write nothing")
    p.set_defaults(func=cmd_import)

    p = dsub.add_parser(
        "list",
        help="every dataset, bundled and imported, with coverage and source",
        description="List the bundled score files (per index) and the imports of the user store.",
    )
    p.add_argument("--index", choices=INDICES, help="only this index")
    p.add_argument("--imported", action="store_true", help="only the imports")
    p.set_defaults(func=cmd_list)

    p = dsub.add_parser(
        "remove",
        help="remove an import from the user data store",
        description="Remove an imported dataset (see `parlib data list`); bundled data stays.",
    )
    p.add_argument("dataset_id", metavar="ID", help="the id of the import, e.g. import-par-2022-1a2b3c4d")
    p.set_defaults(func=cmd_remove)

    p = dsub.add_parser(
        "repair",
        help="rebuild a damaged MANIFEST.csv of the user store from its dataset folders",
        description="Rebuild the user store's MANIFEST.csv (after it was truncated or edited) from "
        "the complete dataset folders under datasets/; checksums are recomputed.",
    )
    p.set_defaults(func=cmd_repair)

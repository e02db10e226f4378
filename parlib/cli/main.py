"""The ``parlib`` command line: thin argument parsing over the library's functions."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import parlib._words as _words
from parlib import _signals
from parlib.cli.data import add_data_commands
from parlib.cli.lookup import cmd_coverage, cmd_provinces, cmd_scores, cmd_sources, cmd_summary
from parlib.data.indices import INDICES
from parlib.data.loading import DataValidationError
from parlib.data.registry import UnknownProvinceError


def _years(text: str) -> tuple[int, int]:
    """'2021-2022' → (2021, 2022); '2022' → (2022, 2022)."""
    try:
        parts = [int(p) for p in text.replace("–", "-").split("-")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"years must look like 2022 or 2021-2022, not {text!r}") from None
    if len(parts) == 1:
        return parts[0], parts[0]
    if len(parts) != 2 or parts[0] > parts[1]:
        raise argparse.ArgumentTypeError(f"years must look like 2022 or 2021-2022, not {text!r}")
    return parts[0], parts[1]


def _lang_help() -> str:
    """'en (English), vi (Tiếng Việt)': the languages with a catalogue file, by their own names."""
    import parlib._words as _words

    return ", ".join(f"{x} ({_words.lang_name(x)})" for x in _words.langs())


def _add_lang(p: argparse.ArgumentParser) -> None:
    """``--lang``: checked against the catalogue files found (one line naming them otherwise, see :func:`_bad_lang`)."""
    p.add_argument("--lang", default="en", help=f"language: {_lang_help()}")


def _bad_lang(args: argparse.Namespace) -> str:
    """The one-line refusal of a ``--lang`` without a catalogue file, or ""."""
    import parlib._words as _words

    given = getattr(args, "lang", None)
    if given is None:
        return ""
    names = [x.strip() for x in given.split(",")] if args.command == "batch" else [given]
    unknown = [x for x in names if x and x not in _words.LANGS]
    if not unknown:
        return ""
    return f"--lang {unknown[0]!r}: no catalogue for that language; languages found: {_lang_help()}"


def _positive(text: str) -> int:
    """argparse type: a whole number of 1 or more (workers, seconds)."""
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of 1 or more, not {text!r}")
    return n


def _say(line: str) -> None:
    print(f"parlib: {line}", file=sys.stderr)


def _kernel_ready() -> int:
    """Before a report or a batch: the 'parlib' kernel runs a Python that imports this parlib (else it is
    re-registered, said in one line). Returns 0, or the exit code after one line saying which kernel is
    broken and the command that fixes it."""
    from parlib.run.kernels import KERNEL, KernelError, check_kernel

    try:
        note = check_kernel(KERNEL)
    except KernelError as e:
        _say(str(e))
        return EXIT_SYSTEM
    if note:
        _say(note)
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    from parlib.run.render import start_kernel_early, stop_kernel_early

    if not args.brief:  # launched first: it boots while the kernel spec, the names and the data are checked
        start_kernel_early(args.year, args.data_dir)
    rc = None
    try:
        rc = _report(args)
        return rc
    finally:
        if rc != 0:  # a refusal or a failure: the early kernel goes too
            stop_kernel_early()


def _report(args: argparse.Namespace) -> int:
    from parlib.run.kernels import KERNEL, rewritten
    from parlib.run.render import ParameterError, merged_note, render_report, stop_kernel_early, validate_report_params

    if _kernel_ready():
        return EXIT_SYSTEM
    if rewritten(KERNEL):  # the early kernel ran the stale spec: the report gets one from the fixed spec
        stop_kernel_early()
    try:
        validate_report_params(args.province, args.year, args.lang, indices=args.index, data_dir=args.data_dir)
    except ParameterError as e:
        print(f"parlib: {e}", file=sys.stderr)
        return 2
    if args.pdf:
        from parlib.run.pdf import find_chromium, html_to_pdf

        find_chromium()  # before the report is rendered: a missing browser is said at once
    try:
        note = merged_note(args.province, args.year)
        if note:
            print(f"parlib: {note}", file=sys.stderr)
        from parlib.run.brief import docx_outputs, render_brief

        kw = dict(indices=args.index, base_year=args.base_year, data_dir=args.data_dir, out=args.out)
        if args.brief:  # the two-page brief (and its Word document), not the full report
            res = render_brief(args.province, args.year, args.lang, **kw, timeout=args.timeout, docx=args.docx)
        else:  # the report, with the brief in Word beside it on request
            extra = docx_outputs if args.docx else None
            res = render_report(
                args.province, args.year, args.lang, **kw, timeout=args.timeout, extra=extra, engine="parlib-warm"
            )
    except ParameterError as e:
        print(f"parlib: {e}", file=sys.stderr)
        return 2
    print(res.html)
    for path in res.annexes.values():
        if path.suffix == ".docx":
            print(path)
    timing = f"{res.seconds:.1f} s: execute {res.execute_seconds:.1f} s, HTML {res.export_seconds:.1f} s"
    if args.pdf:
        pdf = html_to_pdf(res.html)
        print(pdf.pdf)
        timing += f", PDF {pdf.seconds:.1f} s"
    print(f"({timing})", file=sys.stderr)
    return 0


def cmd_compare(args: argparse.Namespace) -> int:
    from parlib.run.compare import render_comparison, validate_compare_params
    from parlib.run.render import ParameterError

    try:  # every name checked before the kernel is asked for
        validate_compare_params(args.province, args.year, args.lang, region=args.region, data_dir=args.data_dir)
    except ParameterError as e:
        print(f"parlib: {e}", file=sys.stderr)
        return 2
    if _kernel_ready():
        return EXIT_SYSTEM
    if args.pdf:
        from parlib.run.pdf import find_chromium

        find_chromium()
    res = render_comparison(
        args.province,
        args.year,
        args.lang,
        region=args.region,
        data_dir=args.data_dir,
        out=args.out,
        timeout=args.timeout,
    )
    print(res.html)
    timing = f"{res.seconds:.1f} s: execute {res.execute_seconds:.1f} s, HTML {res.export_seconds:.1f} s"
    if args.pdf:
        from parlib.run.pdf import html_to_pdf

        pdf = html_to_pdf(res.html)
        print(pdf.pdf)
        timing += f", PDF {pdf.seconds:.1f} s"
    print(f"({timing})", file=sys.stderr)
    return 0


def cmd_overview(args: argparse.Namespace) -> int:
    from parlib.run.render import ParameterError, render_overview

    if _kernel_ready():
        return EXIT_SYSTEM
    try:
        res = render_overview(args.year, args.lang, data_dir=args.data_dir, out=args.out, timeout=args.timeout)
    except ParameterError as e:
        print(f"parlib: {e}", file=sys.stderr)
        return 2
    print(res.html)
    return 0


def cmd_batch(args: argparse.Namespace) -> int:
    from parlib.data.files import fault_signal
    from parlib.run.batch import plan, run_batch
    from parlib.run.render import ParameterError

    if not args.all and not args.province:
        print("parlib: name provinces with --province (repeatable) or use --all", file=sys.stderr)
        return 2
    langs = list(dict.fromkeys(x.strip() for x in args.lang.split(",") if x.strip()))  # en,en renders once
    if not langs:
        print(f"parlib: --lang {args.lang!r} names no language: give one or more of {_lang_help()}", file=sys.stderr)
        return 2
    if args.pdf:
        from parlib.run.pdf import find_chromium

        find_chromium()
    if args.province and not args.all:
        from parlib.run.batch import resolve_provinces

        for code, names in resolve_provinces(args.province, args.year)[1].items():
            print(
                f"parlib: {', '.join(map(repr, names))} name the same province ({code}): rendered once", file=sys.stderr
            )
    fault_signal("batch-planning")
    if not args.scheduler and _kernel_ready():  # a cluster's workers have their own kernels
        return EXIT_SYSTEM
    try:
        tasks = plan(
            args.year,
            None if args.all else args.province,
            langs,
            notebook=args.notebook,
            out=args.out,
            timeout=args.timeout,
            data_dir=args.data_dir,
            pdf=args.pdf,
            brief=args.brief,
            docx=args.docx,
        )
    except ParameterError as e:
        print(f"parlib: {e}", file=sys.stderr)
        return 2
    executor, cluster = None, None
    if args.scheduler or args.dask_local:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            print("parlib: --scheduler/--dask-local need the [dask] extra: pip install -e '.[dask]'", file=sys.stderr)
            return 2
        if args.scheduler:
            client = Client(args.scheduler)
        else:
            from parlib.run.batch import worker_count

            n, note = worker_count(args.workers or 2)
            if note:
                _say(note)
            cluster = LocalCluster(
                n_workers=n,
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
            )
            client = Client(cluster)
        executor = client.get_executor()
    try:
        res = run_batch(
            tasks, executor=executor, workers=args.workers, resume=args.resume, progress=not args.quiet, say=_say
        )
    finally:
        if executor is not None:
            client.close()
            if cluster is not None:
                cluster.close()
    fault_signal("batch-done")
    c = res.counts
    print(
        f"{len(res.records)} reports in {res.seconds:.1f} s: {c['ok']} ok, {c['skipped']} unchanged (skipped), "
        f"{c['failed']} failed, {c['timeout']} timed out, {c['cancelled']} cancelled"
    )
    for r in res.records:
        if r["status"] in ("failed", "timeout", "cancelled"):
            print(f"  {r['key']}: {r['status']}: {r.get('error', '')}")
    print(f"index: {res.index}\nmanifest: {res.manifest}")
    if res.interrupted:
        # The workers were killed: skip the interpreter's exit-time join of the process pool's threads,
        # which can wait forever on a pipe to a dead worker (seen once in the soak, Python 3.11).
        # First collect the pool (its finalizers release its named semaphores: else the resource tracker
        # warns of "leaked semaphore objects" at exit).
        import gc

        gc.collect()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_signals.EXIT_INTERRUPTED)
    return 0 if res.ok else 1


# --- parser -----------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="parlib",
        description="Vietnam provincial governance indices (PAR INDEX, SIPAS, PAPI, PCI): data, "
        "assessments and reports.",
    )
    ap.add_argument("--version", action="version", version=f"parlib {__import__('parlib').__version__}")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("provinces", help="list the provinces of a unit set (63 before, 34 from July 2025)")
    p.add_argument("--unit-set", choices=["VN63", "VN34"], default="VN63")
    _add_lang(p)
    p.set_defaults(func=cmd_provinces)

    p = sub.add_parser("scores", help="a province's published scores and ranks, with sources")
    p.add_argument("province", help="name or code, any spelling: 'Hưng Yên', 'hung yen', '33'")
    p.add_argument("--years", type=_years, help="a year or range, e.g. 2021-2022")
    p.add_argument("--index", choices=INDICES, help="only this index")
    p.add_argument("--components", action="store_true", help="also show component scores and ranks")
    _add_lang(p)
    p.set_defaults(func=cmd_scores)

    p = sub.add_parser("summary", help="the assessment narrative of a province-year (or --json: the profile)")
    p.add_argument("province", help="name or code, any spelling")
    p.add_argument("--year", type=int, required=True, help="result year, e.g. 2022")
    p.add_argument("--base-year", type=int, help="compare with this year (default: the previous available)")
    p.add_argument("--index", action="append", choices=INDICES, help="only this index (repeatable)")
    _add_lang(p)
    p.add_argument("--json", action="store_true", help="print the structured profile (and its claims) as JSON")
    p.add_argument("--explain", action="store_true", help="print each sentence followed by its evidence")
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("report", help="render a province's assessment report to offline HTML")
    p.add_argument("province", help="name or code, any spelling")
    p.add_argument("--year", type=int, required=True)
    _add_lang(p)
    p.add_argument("--index", action="append", choices=INDICES, help="only this index (repeatable)")
    p.add_argument("--base-year", type=int, help="compare with this year (default: the previous available)")
    p.add_argument("--data-dir", help="data directory (default: the bundled data)")
    p.add_argument("--out", help="reports directory (default: reports/)")
    p.add_argument(
        "--timeout", type=_positive, default=600, help="seconds allowed for the sections (one notebook cell)"
    )
    p.add_argument("--pdf", action="store_true", help="also print it to <slug>.pdf (A4) with headless Chromium")
    p.add_argument("--brief", action="store_true", help="the two-page brief, <slug>.brief.html, instead of the report")
    p.add_argument("--docx", action="store_true", help="also write the brief as an editable Word document")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("compare", help="provinces side by side: compare-<slugs>.html (2 to 6 provinces)")
    p.add_argument("province", nargs="*", help="2 to 6 names or codes, any spelling")
    p.add_argument("--region", help="add a region's provinces (code such as RRD, or its name)")
    p.add_argument("--year", type=int, required=True)
    _add_lang(p)
    p.add_argument("--data-dir", help="data directory (default: the bundled data)")
    p.add_argument("--out", help="reports directory (default: reports/)")
    p.add_argument(
        "--timeout", type=_positive, default=600, help="seconds allowed for the sections (one notebook cell)"
    )
    p.add_argument("--pdf", action="store_true", help="also print it to compare-<slugs>.pdf (A4)")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("overview", help="render the national overview of a year to offline HTML")
    p.add_argument("--year", type=int, required=True)
    _add_lang(p)
    p.add_argument("--data-dir", help="data directory (default: the bundled data)")
    p.add_argument("--out", help="reports directory (default: reports/)")
    p.add_argument("--timeout", type=_positive, default=600)
    p.set_defaults(func=cmd_overview)

    p = sub.add_parser("batch", help="render many reports in parallel, with a manifest and an index page")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--province", action="append", help="a province (repeatable); or --all")
    p.add_argument("--all", action="store_true", help="every province of the year's unit set")
    p.add_argument("--lang", default="en", help=f"languages, comma-separated: {_lang_help()}")
    p.add_argument("--notebook", default="province_report", help="notebook in notebooks/ (default province_report)")
    p.add_argument("--workers", type=_positive, help="parallel workers (default: CPU count)")
    p.add_argument("--timeout", type=_positive, default=300, help="seconds allowed per report (default 300)")
    p.add_argument("--resume", action="store_true", help="re-run only failed, missing or stale reports")
    p.add_argument("--out", help="reports directory (default: reports/)")
    p.add_argument("--data-dir", help="data directory (default: the bundled data)")
    p.add_argument("--scheduler", help="address of a dask.distributed scheduler to run on")
    p.add_argument("--dask-local", action="store_true", help="run on a local dask cluster (loopback)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--pdf", action="store_true", help="also print each report to <slug>.pdf (A4) with headless Chromium"
    )
    p.add_argument("--brief", action="store_true", help="also the two-page brief of each report, <slug>.brief.html")
    p.add_argument("--docx", action="store_true", help="also the brief of each report in Word, <slug>.brief.docx")
    p.set_defaults(func=cmd_batch)

    data = sub.add_parser("data", help="data: sources, coverage, templates and imports of official tables")
    dsub = data.add_subparsers(dest="data_command", metavar="SUBCOMMAND", required=True)
    p = dsub.add_parser("sources", help="every source cited by the data (or --files: the checksummed files)")
    p.add_argument("--kind", help="only sources of this kind (official_workbook, gov_portal, news, …)")
    p.add_argument("--files", action="store_true", help="list the bundled files with checksums instead")
    p.set_defaults(func=cmd_sources)
    p = dsub.add_parser("coverage", help="provinces with a value / a rank per index, year and level")
    p.add_argument("--index", choices=INDICES)
    p.set_defaults(func=cmd_coverage)
    add_data_commands(dsub)
    return ap


def main(argv: list[str] | None = None) -> int:
    """The ``parlib`` command. Ctrl-C or SIGTERM at any moment: one line and exit code 130
    (:mod:`parlib._signals`; ``parlib batch`` first records every report in its manifest)."""
    from parlib.run.kernels import skip_slow_optional_imports

    skip_slow_optional_imports()
    with _signals.as_keyboard_interrupt():
        try:
            return run(build_parser().parse_args(argv))
        except _words.CatalogueError as e:  # a language file in PARLIB_LOCALES (or the package) is broken
            print(f"parlib: {e}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:  # before the command started
            print(_signals.INTERRUPTED, file=sys.stderr)
            return _signals.EXIT_INTERRUPTED


EXIT_SYSTEM = 4  # the machine refused: disk full, read-only, not a folder, permission, store busy
EXIT_BROWSER = 5  # printing a PDF needs Chromium, which is missing or could not print


def run(args: argparse.Namespace) -> int:
    """Run a parsed command: every error is one clear line (or the list of data problems) and an
    exit code, never a traceback."""
    from parlib.config import StoreUnusableError, check_user_data_dir
    from parlib.data.files import FolderBusyError
    from parlib.data.user_store import StoreBusyError
    from parlib.run.pdf import ChromiumMissingError, PrintError

    try:
        if _reads_store(args):
            check_user_data_dir()  # once, before any work: a store that cannot be read is said, never skipped
        clash = _bad_lang(args) or _out_in_store(args)
        if clash:
            print(f"parlib: {clash}", file=sys.stderr)
            return 2
        return args.func(args) or 0
    except UnknownProvinceError as e:
        print(f"parlib: {e}", file=sys.stderr)
        return 2
    except DataValidationError as e:
        print(f"parlib: the data did not validate.\n{e}", file=sys.stderr)
        return 3
    except BrokenPipeError:  # output piped into `head`: stop quietly
        sys.stderr.close()
        return 0
    except (StoreBusyError, FolderBusyError, StoreUnusableError) as e:
        print(f"parlib: {e}", file=sys.stderr)
        return EXIT_SYSTEM
    except (ChromiumMissingError, PrintError) as e:
        print(f"parlib: {e}", file=sys.stderr)
        return EXIT_BROWSER
    except OSError as e:
        print(f"parlib: {_os_error(e)}", file=sys.stderr)
        return EXIT_SYSTEM
    except KeyboardInterrupt:  # Ctrl-C, or SIGTERM (parlib._signals)
        print(_signals.INTERRUPTED, file=sys.stderr)
        return _signals.EXIT_INTERRUPTED


#: Commands that read the user store (``parlib provinces`` and ``parlib data template`` do not).
STORE_READERS = frozenset("scores summary report overview batch sources coverage import list remove repair".split())


def _reads_store(args: argparse.Namespace) -> bool:
    """True when the command reads the user store (``--data-dir`` elsewhere reads that folder's own)."""
    command = args.data_command if args.command == "data" else args.command
    return command in STORE_READERS and not getattr(args, "data_dir", None)


def _out_in_store(args: argparse.Namespace) -> str:
    """The one-line refusal of a reports folder inside a user store (its recovery owns that folder), or ""."""
    from parlib.config import reports_dir, user_data_dir

    if args.command not in ("report", "overview", "batch"):
        return ""
    setting = "--out" if args.out else "PARLIB_REPORTS_DIR" if os.environ.get("PARLIB_REPORTS_DIR") else "reports/"
    out = Path(args.out or reports_dir()).resolve()
    stores = [user_data_dir()] + ([Path(args.data_dir) / "user"] if getattr(args, "data_dir", None) else [])
    for store in (s.resolve() for s in stores):
        if out == store or store in out.parents:
            return (
                f"{setting} {out} is inside the user store {store}, which holds only imports: "
                "choose a reports folder outside it"
            )
    return ""


def _os_error(e: OSError) -> str:
    """One line for an operating-system error, with the setting that chose the path."""
    import errno
    import os

    from parlib.config import user_data_dir
    from parlib.data.files import os_error_line

    path = Path(e.filename if isinstance(e.filename, str) else "")
    store = user_data_dir()
    action = "write" if e.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM) else "use"
    hint = ""
    if e.filename and (path == store or store in path.parents or path in store.parents):
        hint = f"set PARLIB_DATA_DIR to a writable folder (now {store}" + (
            ", from PARLIB_DATA_DIR)" if os.environ.get("PARLIB_DATA_DIR") else ")"
        )
        if e.errno in (errno.ENOSPC, errno.EDQUOT):
            hint = "free some space, or set PARLIB_DATA_DIR to a folder on another disk"
    return os_error_line(e, action, hint=hint)


if __name__ == "__main__":
    sys.exit(main())

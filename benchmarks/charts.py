"""What each chart of a report costs (build, then draw and PNG encoding as the report does it), and
the whole per-report work without Jupyter, against a baseline version of parlib in the same run.

For one province-year (default Hưng Yên 2022) in English and Vietnamese, and the national overview,
every chart is built and drawn through ``pages.figure_html`` (the report's own path: draw, PNG,
base64, its data table) ``--repeat`` times; the figure is the median CPU time (``time.process_time``,
so the other users of a shared machine count little). The per-report floor is
``open_report(...).all()`` with IPython's display replaced by a sink that still calls each object's
``_repr_html_``/``_repr_markdown_`` (so every chart is drawn and encoded): CPU seconds per report.

The baseline is another commit of parlib (``--baseline``, default the commit before the chart work
of issue 21), exported with ``git archive`` and run in a child process next to the working tree's
parlib, alternately (``--rounds``), on the same bundled data::

    python benchmarks/charts.py [--province 33] [--year 2022] [--repeat 5] [--rounds 2]
                                [--floor 33,01,22,96] [--baseline d981d3a | --baseline none]
    python benchmarks/charts.py --profile    # cProfile of the charts of one report, this tree only
    python benchmarks/charts.py --export     # parlib's HTML export against nbconvert's HTMLExporter

The matplotlib version is printed (see the ``matplotlib`` line of pyproject.toml).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASELINE = "d981d3a"  # main before issue 21's chart work: constrained layout, tight bbox, RGBA PNG


# --- the worker: runs in a child process, with whichever parlib is first on sys.path ---------------
def _charts(province: str, year: int, repeat: int) -> dict[str, float]:
    """Median CPU seconds of each chart: ``<scope> <lang> <chart> build`` and ``... render``."""
    import parlib
    from parlib.data.geo import load_boundaries
    from parlib.engine.profile import assess
    from parlib.present import charts, maps, overview_charts, pages

    model = parlib.model_for(parlib.load(), year)
    p = assess(province, year, model=model)
    ov = model.overview()
    bounds = load_boundaries(model.unit_set)
    charts.setup_style()  # as the report pages do

    def jobs(lang):
        for r in p.indices:
            yield f"report {lang} changes {r.index_code}", lambda r=r: charts.component_changes(p, r.index_code, lang)
            if r.components:
                yield (
                    f"report {lang} vs_average {r.index_code}",
                    lambda r=r: charts.components_vs_average(p, r.index_code, lang),
                )
        yield f"report {lang} trajectory", lambda: charts.rank_trajectory(p, lang)
        for r in p.indices:
            yield f"report {lang} region {r.index_code}", lambda r=r: charts.region_comparison(p, r.index_code, lang)
        yield (
            f"report {lang} map",
            lambda: maps.province_map(p.province.code, boundaries=bounds, lang=lang, title=p.province.name(lang)),
        )
        for o in ov.indices:
            yield (
                f"overview {lang} distribution {o.index_code}",
                lambda o=o: overview_charts.distribution(ov, o.index_code, lang),
            )
        yield f"overview {lang} cross_index", lambda: overview_charts.cross_index(ov, lang)
        for o in ov.indices:
            values = {r.province_code: r.value for r in o.rows if r.value is not None}
            if len(values) >= 10:
                yield (
                    f"overview {lang} map {o.index_code}",
                    lambda v=values: maps.province_map(values=v, boundaries=bounds, lang=lang, title="map"),
                )

    for _, make in jobs("vi"):  # warm fonts and caches once
        fig = make()
        if fig is not None:
            pages.figure_html(fig, "vi")
    samples: dict[str, list[float]] = {}
    for _ in range(repeat):
        for lang in ("en", "vi"):
            for key, make in jobs(lang):
                t0 = time.process_time()
                fig = make()
                t1 = time.process_time()
                if fig is None:
                    continue
                pages.figure_html(fig, lang)
                t2 = time.process_time()
                samples.setdefault(key + " build", []).append(t1 - t0)
                samples.setdefault(key + " render", []).append(t2 - t1)
    return {k: statistics.median(v) for k, v in samples.items()}


def _floor(codes: list[str], year: int) -> float:
    """CPU seconds per report of ``open_report(...).all()`` with a display sink (no Jupyter)."""
    from parlib.present import pages
    from parlib.run.report import open_report

    def sink(obj):
        for name in ("_repr_html_", "_repr_markdown_", "_repr_png_"):
            method = getattr(obj, name, None)
            if method is not None:
                method()

    pages._display = sink
    open_report(codes[0], year, "vi").all()  # warm: data, year model, fonts
    t0 = time.process_time()
    for code in codes:
        for lang in ("en", "vi"):
            open_report(code, year, lang).all()
    return (time.process_time() - t0) / (2 * len(codes))


def worker(args) -> None:
    import matplotlib

    import parlib

    out = {"parlib": str(Path(parlib.__file__).parent), "matplotlib": matplotlib.__version__}
    out["charts"] = _charts(args.province, args.year, args.repeat)
    if args.floor:
        out["floor"] = _floor(args.floor.split(","), args.year)
    print(json.dumps(out))


# --- the driver ---------------------------------------------------------------------------------
def _export(ref: str, into: Path) -> Path:
    """The ``parlib`` package of commit ``ref``, extracted under ``into`` (for PYTHONPATH)."""
    tar = into / "parlib.tar"
    with tar.open("wb") as fh:
        subprocess.run(["git", "-C", str(ROOT), "archive", ref, "parlib"], stdout=fh, check=True)
    with tarfile.open(tar) as t:
        t.extractall(into, filter="data")
    return into


def _run(pythonpath: Path | None, args) -> dict:
    env = dict(os.environ, PARLIB_BUNDLED_DIR=str(ROOT / "data"), MPLBACKEND="Agg")
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    cmd = [sys.executable, __file__, "--worker", "--province", args.province, "--year", str(args.year)]
    cmd += ["--repeat", str(args.repeat), "--floor", args.floor]
    res = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=ROOT)
    if res.returncode:
        sys.exit(f"benchmark worker failed ({'baseline' if pythonpath else 'this tree'}):\n{res.stderr[-2000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def _merge(runs: list[dict]) -> dict:
    keys = runs[0]["charts"]
    out = {"charts": {k: statistics.median(r["charts"][k] for r in runs) for k in keys}}
    if "floor" in runs[0]:
        out["floor"] = statistics.median(r["floor"] for r in runs)
    out["matplotlib"] = runs[0]["matplotlib"]
    return out


def _per_chart(m: dict) -> dict[str, float]:
    """build + render of each chart."""
    c = m["charts"]
    return {k[: -len(" build")]: c[k] + c[k[: -len(" build")] + " render"] for k in c if k.endswith(" build")}


def report(cur: dict, base: dict | None, province: str, year: int) -> None:
    now = _per_chart(cur)
    was = _per_chart(base) if base else {}
    print(f"matplotlib {cur['matplotlib']}; {province} {year}; CPU ms per chart (build + draw + PNG), median")
    head = f"  {'chart':<34}{'build':>7}{'render':>8}{'total':>8}"
    print(head + (f"{'baseline':>10}{'ratio':>7}" if base else ""))
    for k, v in now.items():
        line = f"  {k:<34}{cur['charts'][k + ' build'] * 1000:7.0f}{cur['charts'][k + ' render'] * 1000:8.0f}{v * 1000:8.0f}"
        if k in was:
            line += f"{was[k] * 1000:10.0f}{v / was[k]:7.2f}"
        print(line)
    for scope in ("report", "overview"):
        for lang in ("en", "vi"):
            ks = [k for k in now if k.startswith(f"{scope} {lang} ")]
            t = sum(now[k] for k in ks)
            line = f"  {scope + ' ' + lang + ': all charts':<34}{'':15}{t * 1000:8.0f}"
            if was:
                b = sum(was[k] for k in ks if k in was)
                line += f"{b * 1000:10.0f}{t / b:7.2f}"
            print(line)
    per = sum(v for k, v in now.items() if k.startswith("report ")) / 2
    line = f"charts per report (mean of en, vi): {per * 1000:.0f} ms"
    if was:
        b = sum(v for k, v in was.items() if k.startswith("report ")) / 2
        line += f"; baseline {b * 1000:.0f} ms; ratio {per / b:.2f}"
    print(line)
    if "floor" in cur:
        line = f"per-report floor (open_report(...).all(), display sink): {cur['floor']:.3f} CPU-s"
        if base and "floor" in base:
            line += f"; baseline {base['floor']:.3f} CPU-s; ratio {cur['floor'] / base['floor']:.2f}"
        print(line)


def _time_export(notebooks: list[tuple[Path, str]], repeat: int) -> tuple[float, float]:
    """Seconds per export: parlib's exporter and nbconvert's HTMLExporter (same options), alternated."""
    import nbformat
    from nbconvert import HTMLExporter

    from parlib.run import render

    theirs = {}
    ours_t = theirs_t = 0.0
    for i in range(repeat + 1):  # the first round builds each exporter once (not timed)
        for path, lang in notebooks:
            nb = nbformat.read(path, as_version=4)
            t0 = time.perf_counter()
            render.export_html(nb, path.with_suffix(".ours.html"), title="benchmark", lang=lang)
            ours_t += (time.perf_counter() - t0) * (i > 0)
            nb = nbformat.read(path, as_version=4)
            saved = render._EXPORTERS.copy()
            render._EXPORTERS.clear()
            cls = render._exporter_class
            render._exporter_class = lambda: HTMLExporter
            try:
                render._EXPORTERS.update(theirs)
                t0 = time.perf_counter()
                render.export_html(nb, path.with_suffix(".theirs.html"), title="benchmark", lang=lang)
                theirs_t += (time.perf_counter() - t0) * (i > 0)
                theirs.update(render._EXPORTERS)
            finally:
                render._exporter_class = cls
                render._EXPORTERS.clear()
                render._EXPORTERS.update(saved)
    n = repeat * len(notebooks)
    return ours_t / n, theirs_t / n


def export(args) -> None:
    """parlib's HTML export against nbconvert's ``HTMLExporter`` on reports rendered here (wall time)."""
    from parlib.run.render import render_report

    with tempfile.TemporaryDirectory() as tmp:
        nbs = []
        for code in args.floor.split(",")[:2]:
            for lang in ("vi", "en"):
                r = render_report(code, args.year, lang, out=Path(tmp))
                nbs.append((r.notebook, lang))
        ours, theirs = _time_export(nbs, args.repeat)
    print(
        f"HTML export per report: parlib {ours * 1000:.0f} ms vs nbconvert HTMLExporter {theirs * 1000:.0f} ms "
        f"-> {theirs / ours:.2f}x"
    )


def profile(args) -> None:
    import cProfile
    import pstats

    os.environ.setdefault("MPLBACKEND", "Agg")
    pr = cProfile.Profile()
    pr.enable()
    _charts(args.province, args.year, 1)
    pr.disable()
    pstats.Stats(pr).sort_stats("tottime").print_stats(25)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--province", default="33")
    ap.add_argument("--year", type=int, default=2022)
    ap.add_argument("--repeat", type=int, default=5, help="draws of each chart per round (median)")
    ap.add_argument("--rounds", type=int, default=2, help="alternations of baseline and this tree")
    ap.add_argument("--floor", default="33,01,22,96", help="provinces of the per-report floor ('' to skip)")
    ap.add_argument("--baseline", default=BASELINE, help="a git commit of parlib, or 'none'")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--export", action="store_true", help="time the HTML export instead (parlib vs nbconvert)")
    args = ap.parse_args()
    if args.worker:
        return worker(args)
    if args.profile:
        return profile(args)
    if args.export:
        return export(args)
    with tempfile.TemporaryDirectory() as tmp:
        base_path = None
        if args.baseline != "none":
            try:
                base_path = _export(args.baseline, Path(tmp))
            except (OSError, subprocess.CalledProcessError) as e:
                print(f"no baseline: cannot export parlib at {args.baseline} with git ({e}); this tree only")
        cur_runs, base_runs = [], []
        for _ in range(args.rounds):
            if base_path is not None:
                base_runs.append(_run(base_path, args))
            cur_runs.append(_run(None, args))
    report(_merge(cur_runs), _merge(base_runs) if base_runs else None, args.province, args.year)


if __name__ == "__main__":
    main()

"""Where a report's rendering time goes outside the engine: its charts and its HTML export.

Charts: every chart of a report (component changes, components against the average, rank
trajectory, region comparison) for a few provinces in both languages, split into build, layout,
draw and PNG, next to the usual notebook way of saving the same figures
(``savefig(bbox_inches="tight")``, a second full draw) as the baseline. Export: parlib's HTML
exporter against nbconvert's ``HTMLExporter`` with the same options, on the same executed notebooks
(rendered first by this script), alternated so both see the same machine load.

    python benchmarks/charts.py [--provinces 33,01,22,96] [--year 2022] [--repeat 2]

The matplotlib version is printed: 3.11 draws text about twice as slowly as 3.10 (measured with this
script, the same figures, one version per run), hence ``matplotlib<3.11`` in pyproject.toml.
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
from pathlib import Path

import matplotlib as mpl
from matplotlib.backends.backend_agg import FigureCanvasAgg


def report_figures(profile, lang: str) -> list:
    from parlib.present import charts

    out = []
    for r in profile.indices:
        out.append(charts.component_changes(profile, r.index_code, lang))
        if r.components:
            out.append(charts.components_vs_average(profile, r.index_code, lang))
    out.append(charts.rank_trajectory(profile, lang))
    out += [charts.region_comparison(profile, r.index_code, lang) for r in profile.indices]
    return [f for f in out if f is not None]


def time_charts(profiles: list, repeat: int) -> dict:
    """Seconds per report: build, layout, draw, png (parlib's path) and the naive savefig of the same figures."""
    from PIL import Image

    t = dict.fromkeys(("build", "layout", "draw", "png", "naive"), 0.0)
    n = 0
    for _ in range(repeat):
        for p in profiles:
            for lang in ("vi", "en"):
                n += 1
                t0 = time.perf_counter()
                figs = report_figures(p, lang)
                t["build"] += time.perf_counter() - t0
                for fig in figs:
                    canvas = FigureCanvasAgg(fig)
                    t0 = time.perf_counter()
                    fig.get_layout_engine().execute(fig)
                    t1 = time.perf_counter()
                    fig.set_layout_engine("none")
                    canvas.draw()
                    t2 = time.perf_counter()
                    w, h = canvas.get_width_height()
                    img = Image.frombuffer("RGBA", (w, h), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
                    img.save(io.BytesIO(), "png", compress_level=1)
                    t3 = time.perf_counter()
                    t["layout"] += t1 - t0
                    t["draw"] += t2 - t1
                    t["png"] += t3 - t2
                for fig in report_figures(p, lang):  # baseline: the usual notebook savefig, same figures
                    t0 = time.perf_counter()
                    fig.savefig(io.BytesIO(), format="png", bbox_inches="tight")
                    t["naive"] += time.perf_counter() - t0
    return {k: v / n for k, v in t.items()}


def time_export(notebooks: list[tuple[Path, str]], repeat: int) -> tuple[float, float]:
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--provinces", default="33,01,22,96")
    ap.add_argument("--year", type=int, default=2022)
    ap.add_argument("--repeat", type=int, default=2)
    a = ap.parse_args()
    import parlib
    from parlib.engine.profile import assess
    from parlib.run.render import render_report

    codes = a.provinces.split(",")
    model = parlib.model_for(parlib.load(), a.year)
    profiles = [assess(c, a.year, model=model) for c in codes]
    report_figures(profiles[0], "vi")  # warm fonts and caches
    c = time_charts(profiles, a.repeat)
    ours = c["layout"] + c["draw"] + c["png"]
    print(f"matplotlib {mpl.__version__}; charts per report ({len(codes)} provinces x en, vi; x{a.repeat}):")
    print(
        f"  build {c['build'] * 1000:.0f} ms, layout {c['layout'] * 1000:.0f} ms, draw {c['draw'] * 1000:.0f} ms, "
        f"png {c['png'] * 1000:.0f} ms; total {(c['build'] + ours) * 1000:.0f} ms"
    )
    print(
        f"  rendering: parlib {ours * 1000:.0f} ms vs savefig(bbox_inches='tight') {c['naive'] * 1000:.0f} ms "
        f"-> {c['naive'] / ours:.2f}x"
    )
    with tempfile.TemporaryDirectory() as tmp:
        nbs = []
        for code in codes[:2]:
            for lang in ("vi", "en"):
                r = render_report(code, a.year, lang, out=Path(tmp))
                nbs.append((r.notebook, lang))
        ours_x, theirs_x = time_export(nbs, a.repeat)
    print(
        f"HTML export per report: parlib {ours_x * 1000:.0f} ms vs nbconvert HTMLExporter {theirs_x * 1000:.0f} ms "
        f"-> {theirs_x / ours_x:.2f}x"
    )


if __name__ == "__main__":
    main()

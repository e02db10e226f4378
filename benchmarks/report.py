"""Benchmark one report (execute + HTML): parlib's renderer against the same notebook run with the
`papermill` CLI then the `jupyter nbconvert` CLI, side by side in this script; then the command a
user types (`parlib report`, what `make demo` runs) against the same report drawn in one cold Python
process without Jupyter (issue 21: at most 1.5x), each a fresh process, alternated.

    python benchmarks/report.py [--province "Hưng Yên"] [--year 2022] [--lang vi] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from parlib.config import NOTEBOOKS_DIR
from parlib.run.render import render_report, validate_report_params

BIN = Path(sys.executable).parent


def cli_pipeline(params: dict, out: Path) -> tuple[float, float]:
    nb_out = out / "cli.ipynb"
    args = [
        str(BIN / "papermill"),
        str(NOTEBOOKS_DIR / "province_report.ipynb"),
        str(nb_out),
        "-k",
        "parlib",
        "--no-progress-bar",
    ]
    for k in ("province", "year", "lang", "data_dir"):
        args += ["-p", k, str(params[k])]
    t0 = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, cwd=NOTEBOOKS_DIR)
    t1 = time.perf_counter()
    subprocess.run(
        [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(nb_out)], check=True, capture_output=True
    )
    return t1 - t0, time.perf_counter() - t1


#: The same sections drawn in one cold process: IPython's display replaced by a sink that still
#: calls every object's _repr_html_ / _repr_markdown_ / _repr_png_ (every chart drawn and encoded).
COLD = """
import IPython.display as d
def sink(*objs, **kw):
    for o in objs:
        for m in ("_repr_html_", "_repr_markdown_", "_repr_png_"):
            f = getattr(o, m, None)
            if f:
                f()
d.display = sink
from parlib.run.report import open_report
open_report({province!r}, {year}, {lang!r}).all()
"""


def wall(argv: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--province", default="Hưng Yên")
    ap.add_argument("--year", type=int, default=2022)
    ap.add_argument("--lang", default="vi")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    params = validate_report_params(a.province, a.year, a.lang)
    cli, ours = [], []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for _ in range(a.repeat):
            cli.append(cli_pipeline(params, tmp))
            r = render_report(a.province, a.year, a.lang, out=tmp / "parlib")
            ours.append((r.execute_seconds, r.export_seconds))
    ce, cx = statistics.median(c[0] for c in cli), statistics.median(c[1] for c in cli)
    pe, px = statistics.median(o[0] for o in ours), statistics.median(o[1] for o in ours)
    print(f"one report: {a.province} {a.year} {a.lang}, median of {a.repeat}")
    print(f"papermill CLI + nbconvert CLI : {ce + cx:6.2f} s (execute {ce:5.2f} s, HTML {cx:5.2f} s)  baseline")
    print(
        f"parlib render_report          : {pe + px:6.2f} s (execute {pe:5.2f} s, HTML {px:5.2f} s)  "
        f"ratio {(pe + px) / (ce + cx):4.2f}x"
    )
    cold, cmd = [], []
    with tempfile.TemporaryDirectory() as tmp:
        code = COLD.format(province=a.province, year=a.year, lang=a.lang)
        for _ in range(a.repeat):
            cold.append(wall([sys.executable, "-c", code]))
            cmd.append(
                wall([str(BIN / "parlib"), "report", a.province, "--year", str(a.year), "--lang", a.lang, "--out", tmp])
            )
    c0, c1 = statistics.median(cold), statistics.median(cmd)
    print(f"one cold Python process, no Jupyter : {c0:6.2f} s  baseline")
    print(f"parlib report (the command)         : {c1:6.2f} s  ratio {c1 / c0:4.2f}x (issue 21: at most 1.5x)")


if __name__ == "__main__":
    main()

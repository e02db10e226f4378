"""Benchmark one report (execute + HTML): parlib's renderer against the same notebook run with the
`papermill` CLI then the `jupyter nbconvert` CLI, side by side in this script.

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


if __name__ == "__main__":
    main()

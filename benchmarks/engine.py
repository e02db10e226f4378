"""Benchmark the assessment engine on the real table.

- compute_deltas() for every index, province, measure and year (target < 200 ms), against a
  naive baseline in this same process: pandas groupby-shift per series, no ranks or flags.
- assess() for all 63 provinces of a year (target < 2 s), cold (the year's context is built)
  and warm (context cached), against one assess() call times 63 as the naive expectation.

    python benchmarks/engine.py [--year 2022] [--repeat 5]
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import time

from parlib.data.loading import load_scores
from parlib.engine.deltas import compute_deltas

A = importlib.import_module("parlib.engine.profile")
M = importlib.import_module("parlib.engine.model")


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def naive_deltas(s):
    s = s.sort_values(["index_code", "province_code", "measure", "year"])
    g = s.groupby(["index_code", "province_code", "measure"], observed=True)
    return s.assign(base_value=g.value.shift(), delta_pp=s.value - g.value.shift())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--year", type=int, default=2022)
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    s = load_scores()
    compute_deltas(s)  # warm caches (metadata)
    base = median_time(lambda: naive_deltas(s), args.repeat)
    full = median_time(lambda: compute_deltas(s), args.repeat)
    print(f"rows: {len(s)}")
    print(f"naive groupby-shift deltas     : {base * 1000:7.1f} ms (baseline)")
    print(
        f"compute_deltas (ranks, flags)  : {full * 1000:7.1f} ms  ratio {full / base:5.2f}x  "
        f"target < 200 ms: {'met' if full < 0.2 else 'NOT met'}"
    )

    def cold():
        M._MODELS.clear()  # the year model is rebuilt: ranks, deltas, averages, gaps for the year
        A.assess_many(None, args.year)

    one = median_time(lambda: A.assess("Hưng Yên", args.year), args.repeat)
    c = median_time(cold, args.repeat)
    w = median_time(lambda: A.assess_many(None, args.year), args.repeat)
    print(f"assess() one province (warm)   : {one * 1000:7.1f} ms; x63 = {one * 63:5.2f} s (baseline)")
    print(
        f"assess 63 provinces, cold      : {c:7.2f} s   ratio {c / (one * 63):5.2f}x  "
        f"target < 2 s: {'met' if c < 2 else 'NOT met'}"
    )
    print(f"assess 63 provinces, warm      : {w:7.2f} s   ratio {w / (one * 63):5.2f}x")


if __name__ == "__main__":
    main()

"""Benchmark: load_scores() (checksums + validation + metadata join) against a bare read_csv.

Both run in this process on the same files; the ratio is the cost of validation. Target: a cold
load_scores() of everything under 0.5 s on a 2-core machine.

    python benchmarks/load.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import time

import pandas as pd

from parlib.config import bundled_data_dir
from parlib.data import loading as data


def bare_read() -> pd.DataFrame:
    d = bundled_data_dir()
    return pd.concat([pd.read_csv(d / f, dtype={"province_code": str}) for f in data.SCORE_FILES])


def cold_load() -> pd.DataFrame:
    data._load.cache_clear()
    return data.load_scores()


def timed(fn, repeat: int) -> tuple[float, int]:
    times, n = [], 0
    for _ in range(repeat):
        t = time.perf_counter()
        n = len(fn())
        times.append(time.perf_counter() - t)
    return statistics.median(times), n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    cold_load()  # warm the OS file cache and imports once
    base, n0 = timed(bare_read, args.repeat)
    cold, n1 = timed(cold_load, args.repeat)
    warm, _ = timed(data.load_scores, args.repeat)
    print(f"rows: {n1} (bare read: {n0})")
    print(f"bare pandas.read_csv        : {base * 1000:7.1f} ms (baseline)")
    print(
        f"load_scores() cold (validated): {cold * 1000:7.1f} ms  ratio {cold / base:5.2f}x  target < 500 ms: "
        f"{'met' if cold < 0.5 else 'NOT met'}"
    )
    print(f"load_scores() warm (cached)   : {warm * 1000:7.1f} ms  ratio {warm / base:5.2f}x")


if __name__ == "__main__":
    main()

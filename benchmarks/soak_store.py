"""Soak: many concurrent `parlib data import` runs (some killed with SIGKILL at random moments) into
one user store, and many `parlib batch` runs stopped by SIGTERM or Ctrl-C at random moments.

Checks after everything: the store loads; it holds every import that exited 0 and none that was
refused; a killed import is either wholly there or not at all; no run printed a traceback; every
batch left a manifest that matches its reports on disk, no temporary file and no kernel process.
All tables and notebooks are SYNTHETIC (fake values).

    python benchmarks/soak_store.py [--imports 50] [--parallel 10] [--batches 20] [--seed 1]

``--imports 0`` runs the batches only, ``--batches 0`` the imports only.

tests/test_store_faults.py runs a small version (8 imports) in the normal suite.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BEFORE_COMMIT = ["locked", "staging", "staged", "renamed", "manifest-written"]


def _sipas_file(path: Path, code: str, value: float) -> Path:
    """A SYNTHETIC SIPAS 2025 table giving one unit's total."""
    from parlib import importer as im

    im.make_template("SIPAS", 2025, "csv", path)
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    header = next(ln for ln in lines if ln.startswith("province_code,")).split(",")
    out = []
    for ln in lines:
        cells = ln.split(",")
        if cells[0] == "source_publisher":
            cells[1] = "SYNTHETIC SOAK DATA (not a real publisher)"
        if cells[0] == code:
            cells += [""] * (len(header) - len(cells))
            cells[header.index("TOTAL")] = f"{value:.2f}"
        out.append(",".join(cells))
    path.write_text("\r\n".join(out) + "\r\n", encoding="utf-8-sig")
    return path


def soak_imports(
    store: Path, work: Path, *, n: int = 50, parallel: int = 10, kill_every: int = 4, seed: int = 1
) -> dict:
    """``n`` imports in waves of ``parallel`` processes; every ``kill_every``-th is killed (SIGKILL),
    half at a named point before or at the commit, half from outside after a random delay."""
    from parlib.data.loading import load_scores
    from parlib.data.registry import provinces
    from parlib.importer import dataset_id_for, list_datasets

    rng = random.Random(seed)
    codes = list(provinces("VN34").code)
    jobs = []
    for i in range(n):  # every unit once, then second files for the same units (conflicts: refused)
        code = codes[i % len(codes)]
        f = _sipas_file(work / f"soak-{i:03d}-{code}.csv", code, 50 + i / 7)
        sha = hashlib.sha256(f.read_bytes()).hexdigest()
        kill = (i % kill_every == kill_every - 1) if kill_every else False
        point = rng.choice(BEFORE_COMMIT + ["committed"]) if kill and i % 2 else ""
        jobs.append(
            {
                "file": f,
                "code": code,
                "id": dataset_id_for("SIPAS", 2025, sha),
                "kill": kill,
                "point": point,
                "delay": rng.uniform(0.3, 4.0),
            }
        )
    env = {**os.environ, "PARLIB_DATA_DIR": str(store)}
    t0 = time.perf_counter()
    for w in range(0, n, parallel):
        wave = jobs[w : w + parallel]
        for j in wave:
            e = {**env, "PARLIB_FAULT_POINT": j["point"]} if j["point"] else env
            j["proc"] = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "parlib.cli",
                    "data",
                    "import",
                    str(j["file"]),
                    "--index",
                    "SIPAS",
                    "--year",
                    "2025",
                    "--source",
                    "synthetic soak",
                ],
                env=e,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            j["start"] = time.monotonic()
        while any(j["proc"].poll() is None for j in wave):
            for j in wave:
                if (
                    j["kill"]
                    and not j["point"]
                    and j["proc"].poll() is None
                    and time.monotonic() - j["start"] > j["delay"]
                ):
                    j["proc"].send_signal(signal.SIGKILL)
            time.sleep(0.05)
        for j in wave:
            out, err = j["proc"].communicate()
            j["rc"], j["err"] = j["proc"].returncode, out + err
    seconds = time.perf_counter() - t0
    scores = load_scores().query("index_code == 'SIPAS' and year == 2025 and measure == 'TOTAL'")
    present = set(list_datasets().query("kind == 'imported'").dataset_id)
    ok = {j["id"] for j in jobs if j["rc"] == 0}
    refused = {j["id"] for j in jobs if j["rc"] not in (0, -9)}
    lost = sorted(ok - present)
    extra = sorted(present - ok - {j["id"] for j in jobs if j["rc"] == -9})
    by_id = {j["id"]: j for j in jobs}
    wrong = [
        i
        for i in present
        if abs(scores.set_index("source_id").value.get(i, -1) - (50 + jobs.index(by_id[i]) / 7)) > 0.006
    ]
    return {
        "imports": n,
        "seconds": round(seconds, 1),
        "exit_0": len(ok),
        "refused": len(refused),
        "killed": sum(j["rc"] == -9 for j in jobs),
        "killed_but_committed": len(present & {j["id"] for j in jobs if j["rc"] == -9}),
        "unexpected_exit": sorted({j["rc"] for j in jobs} - {0, 3, -9}),
        # what such a run printed (one line each): the cause, if a run ever exits otherwise
        "unexpected_messages": [j["err"].strip()[-400:] for j in jobs if j["rc"] not in (0, 3, -9)],
        "tracebacks": sum("Traceback" in j["err"] for j in jobs),
        "lost": lost,
        "extra": extra,
        "wrong_values": wrong,
        "leftovers": sorted(p.name for p in store.iterdir() if p.name.startswith(".")),
    }


PARAMS = """province: str = "33"  # province
year: int = 2022  # year
lang: str = "en"  # language
indices: list = []  # indices
base_year: int = 0  # base year
data_dir: str = ""  # data"""
BODY = """import time, random
time.sleep(random.uniform(0.2, 1.5))
print("synthetic report", province, year, lang)"""


def _notebook(path: Path) -> Path:
    import nbformat

    cell = nbformat.v4.new_code_cell(PARAMS)
    cell.metadata["tags"] = ["parameters"]
    nb = nbformat.v4.new_notebook(cells=[cell, nbformat.v4.new_code_cell(BODY)])
    nb.metadata["kernelspec"] = {"name": "parlib", "display_name": "Python (parlib)", "language": "python"}
    nbformat.write(nb, path)
    return path


def batch_consistent(year_dir: Path, keys: list[str], started: float) -> list[str]:
    """What is wrong with a batch's outputs after a stop (empty when consistent).

    A batch stopped before it planned its reports writes nothing, not even a manifest: no
    manifest.json is right only when no file at all is in ``year_dir`` (nothing was started)."""
    if not (year_dir / "manifest.json").exists():
        files = sorted(str(p.relative_to(year_dir)) for p in year_dir.rglob("*") if p.is_file())
        return [f"no manifest.json, yet {len(files)} files: {', '.join(files[:4])}"] if files else []
    wrong = []
    try:
        m = {r["key"]: r for r in json.loads((year_dir / "manifest.json").read_text())["reports"]}
    except (OSError, ValueError) as e:
        return [f"manifest.json unreadable: {e}"]
    for k in keys:
        r = m.get(k)
        html = year_dir / (k + ".html")
        if r is None:
            wrong.append(f"{k}: no record")
        elif r["status"] in ("ok", "skipped") and not html.exists():
            wrong.append(f"{k}: ok without its HTML")
        elif html.exists() and html.stat().st_mtime >= started and r["status"] not in ("ok", "skipped"):
            wrong.append(f"{k}: fresh HTML on disk but recorded {r['status']}")
    hidden = [p.name for p in year_dir.rglob(".*") if p.is_file()]
    return wrong + [f"temporary file left: {h}" for h in hidden]


def _modified_since(path: Path, t: float) -> bool:
    try:
        return path.stat().st_mtime >= t
    except OSError:
        return False


def soak_batches(work: Path, *, n: int = 20, seed: int = 1) -> dict:
    """``n`` batches of three synthetic reports, each stopped by SIGTERM or SIGINT at a random moment."""
    import psutil

    rng = random.Random(seed)
    nb = _notebook(work / "synthetic_soak.ipynb")
    out = work / "reports"
    provs = ["01", "22", "33"]
    results = []

    mark = f"soak-{os.getpid()}-{seed}"  # the kernels of these batches, not those of other runs on the machine

    def kernels() -> set[int]:
        found = set()
        for p in psutil.process_iter(["cmdline"]):
            if "ipykernel_launcher" in " ".join(p.info["cmdline"] or []):
                try:
                    if p.environ().get("PARLIB_TEST_MARK") == mark:
                        found.add(p.pid)
                except psutil.Error:
                    pass
        return found

    before = kernels()
    t0 = time.perf_counter()
    for i in range(n):
        sig = rng.choice([signal.SIGTERM, signal.SIGINT])
        delay = rng.uniform(1.0, 25.0)
        started = time.time()
        argv = [
            sys.executable,
            "-m",
            "parlib.cli",
            "batch",
            "--year",
            "2022",
            "--notebook",
            str(nb),
            "--out",
            str(out),
            "--quiet",
            "--workers",
            "2",
        ] + [a for p in provs for a in ("--province", p)]
        proc = subprocess.Popen(
            argv,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PARLIB_TEST_MARK": mark},
        )
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            proc.send_signal(sig)
        try:
            o, e = proc.communicate(timeout=120)
        except subprocess.TimeoutExpired:  # a batch that did not stop within 2 minutes of its signal
            proc.kill()
            o, e = proc.communicate()
            o += "\nHUNG: no exit within 120 s of the signal"
        time.sleep(1)
        keys = [f"en/{s}" for s in ("ha-noi", "quang-ninh", "hung-yen")]
        r = {
            "signal": signal.Signals(sig).name,
            "delay": round(delay, 1),
            "rc": proc.returncode,
            "hung": "HUNG:" in o,
            "traceback": "Traceback" in o + e,
            "wrong": batch_consistent(out / "2022", keys, started),
            "planned": _modified_since(out / "2022" / "manifest.json", started),  # this batch wrote one
        }
        if r["traceback"] or r["hung"] or r["rc"] not in (0, 130) or r["wrong"]:
            # what such a run printed: the cause of a traceback, an odd exit or an inconsistency
            r["message"] = ((e.strip() + "\n--- stdout ---\n" + o.strip())[-600:]).strip()
        results.append(r)
    left = kernels() - before
    return {
        "batches": n,
        "seconds": round(time.perf_counter() - t0, 1),
        "exit_codes": sorted({r["rc"] for r in results}),
        "interrupted": sum(r["rc"] == 130 for r in results),
        "stopped_before_planning": sum(not r["planned"] for r in results),
        "tracebacks": sum(r["traceback"] for r in results),
        "hung": [r for r in results if r["hung"]],
        "inconsistent": [r for r in results if r["wrong"]],
        "kernels_left": len(left),
        "messages": [{k: r[k] for k in ("signal", "delay", "rc", "message")} for r in results if r.get("message")],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--imports", type=int, default=50)
    ap.add_argument("--parallel", type=int, default=10)
    ap.add_argument("--batches", type=int, default=20)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="parlib-soak-") as tmp:
        work = Path(tmp)
        store = work / "store"
        os.environ["PARLIB_DATA_DIR"] = str(store)
        imp = {}
        if args.imports > 0:  # --imports 0: the batches only
            imp = soak_imports(store, work, n=args.imports, parallel=args.parallel, seed=args.seed)
            print("imports:", json.dumps(imp))
        bat = soak_batches(work, n=args.batches, seed=args.seed) if args.batches else {}
        print("batches:", json.dumps(bat))
    bad = (
        imp
        and (
            imp["lost"]
            or imp["extra"]
            or imp["tracebacks"]
            or imp["wrong_values"]
            or imp["unexpected_exit"]
            or imp["leftovers"] != [".lock"]
        )
    ) or (
        bat
        and (
            bat["tracebacks"]
            or bat["inconsistent"]
            or bat["hung"]
            or bat["kernels_left"]
            or set(bat["exit_codes"]) - {0, 130}
        )
    )
    print("FAIL" if bad else "OK: nothing lost, no traceback")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

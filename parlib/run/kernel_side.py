"""Code that runs inside a report's kernel on behalf of :mod:`parlib.run.warm`, kept apart because the
kernel imports it: it imports nothing of Jupyter's (``parlib.run.warm`` imports papermill, nbclient
and nbformat, a second and a half a kernel never needs)."""

from __future__ import annotations

#: What a warm kernel imports when it starts (sent as code; named here so a starter needs no Jupyter import).
PRELOAD = "import parlib.run.report, parlib.present.charts, parlib.present.tables, parlib.present.maps\n"


def reset_namespace(ip) -> None:
    """In the kernel: delete every user variable and output-history reference, restore matplotlib
    defaults. Like ``%reset -f`` without its full garbage collection (a quarter of a second with
    warm data caches in memory); unreachable objects are collected by the normal GC."""
    import matplotlib

    hidden = ip.user_ns_hidden
    for name in [n for n in ip.user_ns if n not in hidden]:
        del ip.user_ns[name]
    ip.history_manager.output_hist.clear()
    ip.user_ns.update({"_": None, "__": None, "___": None})
    for name in ("_", "__", "___"):
        hidden.setdefault(name, None)
    matplotlib.rcdefaults()


def warm_year(year: int, data_dir: str = "") -> None:
    """In the kernel: load the data and build the year model a report of ``year`` will ask for (both
    cached per process), while the parent is still getting ready; nothing is left in the namespace."""
    from parlib.data.dataset import load
    from parlib.engine.model import model_for

    model_for(load(data_dir or None), int(year))


def report_annex(report, plan_path: str, facts_path: str = "") -> None:
    """In the kernel, after a province report ran (its ``report``): write the plan workbook made from the
    report's own profile to ``plan_path``; with ``facts_path``, also what a batch records of the report
    as JSON, so that its process never assesses the province a second time: the hash of the figures the
    report shows (its fingerprint's data part) and the index page's headline row."""
    import json
    from pathlib import Path

    from parlib.run.plan import plan_xlsx

    Path(plan_path).write_bytes(plan_xlsx(report.profile, report.lang))
    if facts_path:
        from parlib.present.batch_index import headline

        facts = {"data_hash": report_data_hash(report.profile), "headline": headline(report.profile)}
        Path(facts_path).write_text(json.dumps(facts, ensure_ascii=False), encoding="utf-8")


def report_data_hash(profile) -> str:
    """A hash of the figures a report shows: its profile (the province's rows for the year and the
    base year, the national and regional aggregates, ranks, targets, sources cited), without the list
    of every data file (an import for one province does not change another's figures)."""
    import hashlib
    import json

    d = profile.to_dict()
    d.pop("provenance", None)
    return hashlib.sha256(json.dumps(d, sort_keys=True, default=str).encode()).hexdigest()

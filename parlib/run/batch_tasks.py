"""The tasks of a batch (:mod:`parlib.run.batch`): one per (province, language), parameters validated
before any worker starts, and each task's input fingerprint (notebook, the figures its report shows,
parameters, parlib version, HTML template), which ``resume`` compares.
"""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path

from parlib.config import NOTEBOOKS_DIR, reports_dir
from parlib.run.kernel_side import report_data_hash  # noqa: F401 (computed where the report ran)


def plan(
    year: int,
    provinces: list[str] | None,
    langs: list[str],
    *,
    notebook: str = "province_report",
    out: str | Path | None = None,
    timeout: int = 300,
    data_dir: str | None = None,
    pdf: bool = False,
    brief: bool = False,
    docx: bool = False,
) -> list[dict]:
    """One task per (province, language), parameters validated now (before any worker starts);
    ``pdf``: each report is also printed to ``<slug>.pdf`` (:mod:`parlib.run.pdf`); ``brief``: the
    two-page brief ``<slug>.brief.html`` too (and its PDF with ``pdf``); ``docx``: the brief in Word,
    ``<slug>.brief.docx`` (:mod:`parlib.run.brief`)."""
    from parlib.data.registry import provinces as registry
    from parlib.data.registry import unit_set_for_year
    from parlib.run.render import ParameterError, validate_report_params

    if timeout is not None and timeout <= 0:
        raise ParameterError(f"--timeout must be a number of seconds above 0, not {timeout}")
    codes = resolve_provinces(provinces, year)[0] if provinces else list(registry(unit_set_for_year(year)).code)
    out = Path(out or reports_dir())
    nb = _notebook_path(notebook)
    tasks = []
    for lang in langs:
        for code in codes:
            params = validate_report_params(code, year, lang, data_dir=data_dir)
            tasks.append(
                {
                    "key": f"{lang}/{params['_slug']}",
                    "province": params["province"],
                    "slug": params["_slug"],
                    "lang": lang,
                    "year": year,
                    "notebook": str(nb),
                    "params": params,
                    "out_dir": str(out / str(year) / lang),
                    "timeout": timeout,
                    "pdf": bool(pdf),
                }
            )
            if brief or docx:
                from parlib.run.brief import brief_params

                tasks[-1].update(
                    brief=bool(brief), docx=bool(docx), brief_params=brief_params(code, year, lang, data_dir=data_dir)
                )
    return tasks


def resolve_provinces(names: list[str], year: int) -> tuple[list[str], dict[str, list[str]]]:
    """Province codes for names in any spelling, each once (in first-named order), and the names
    that named the same province: ``{code: [names]}`` for every code named more than once."""
    from parlib.data.registry import province

    codes: dict[str, list[str]] = {}
    for name in names:
        codes.setdefault(province(name, year=int(year)).code, []).append(name)
    return list(codes), {c: n for c, n in codes.items() if len(n) > 1}


def _notebook_path(name: str) -> Path:
    p = Path(name)
    if not p.suffix:
        p = p.with_suffix(".ipynb")
    return p if p.is_absolute() or p.exists() else NOTEBOOKS_DIR / p


def _sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def data_fingerprint(data_dir: str | Path | None = None) -> str:
    """A hash of every data file's checksum (bundled manifest, plus the user store if any)."""
    from parlib.config import bundled_data_dir, user_data_dir

    h = hashlib.sha256()
    for d in filter(None, [Path(data_dir) if data_dir else bundled_data_dir(), user_data_dir()]):
        m = d / "MANIFEST.csv"
        if m.exists():
            h.update(m.read_bytes())
    return h.hexdigest()


def _profile_key(task: dict) -> tuple:
    p = task["params"]
    return (p["province"], int(p["year"]), int(p.get("base_year") or 0), tuple(p.get("indices") or ()), p["data_dir"])


def profiles_for(tasks: list[dict], stop: threading.Event | None = None) -> dict[tuple, object]:
    """The profile of each task's report (:func:`parlib.engine.profile.assess`, as the report opens it),
    one per (province, year, base year, indices, data): every figure the report shows. A province
    whose profile cannot be made is left out (its fingerprint falls back to the whole data)."""
    from parlib.data.dataset import load
    from parlib.engine.model import model_for
    from parlib.engine.profile import assess

    out: dict[tuple, object] = {}
    models: dict[tuple, object] = {}
    for t in tasks:
        key = _profile_key(t)
        if key in out or (stop is not None and stop.is_set()):
            continue
        code, year, base, indices, data_dir = key
        try:
            mk = (year, base, data_dir)
            if mk not in models:
                models[mk] = model_for(load(data_dir or None), year, base or None)
            out[key] = assess(code, year, base_year=base or None, indices=list(indices) or None, model=models[mk])
        except Exception:  # noqa: BLE001 - the report itself will fail and say why
            continue
    return out


def set_fingerprints(tasks: list[dict], data_hash: str, profiles: dict) -> None:
    """Each task's fingerprint, from the data its report shows (else from every data file)."""
    for t in tasks:
        prof = profiles.get(_profile_key(t))
        t["fingerprint"] = fingerprint(t, report_data_hash(prof) if prof is not None else data_hash)


def fingerprint(task: dict, data_hash: str) -> str:
    """Inputs that determine a report: notebook, data (the figures it shows), parameters, parlib version."""
    from parlib._version import __version__

    params = {k: v for k, v in task["params"].items() if not k.startswith("_")}
    blob = json.dumps(
        {
            "notebook": _sha256(Path(task["notebook"])),
            "data": data_hash,
            "params": params,
            "parlib": __version__,
            "template": _template_hash(),
        }
        # the brief and its Word document, when asked for (a report without them keeps its fingerprint)
        | ({"brief": _sha256(NOTEBOOKS_DIR / "province_brief.ipynb")} if task.get("brief") else {})
        | ({"docx": True} if task.get("docx") else {}),
        sort_keys=True,
    )
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def _template_hash() -> str:
    from parlib.run.render import TEMPLATE_DIR

    h = hashlib.sha256()
    for p in sorted(TEMPLATE_DIR.rglob("*")):
        if p.is_file():
            h.update(p.read_bytes())
    return h.hexdigest()[:16]

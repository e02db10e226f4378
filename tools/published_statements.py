"""Write tests/published_statements.csv from the compiled published facts (no figure typed by hand).

Each statement is one row of ../shared/data-raw/news-par-sipas-papi/news_facts_par_sipas_papi.csv or
par-sipas-tables/par_sipas_province_facts.csv (file and line are kept), or one sentence of the
Hưng Yên article in ../shared/sources/. ``quote`` is verbatim: the article sentence where the text is
bundled, otherwise the compiler's record (metric, value, unit and note as written in the raw file;
the compilations keep figures and addresses, not article sentences). ``status`` and ``reason`` for
the statements that are wrong are set in KNOWN_WRONG with their evidence.

    python tools/published_statements.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
FIELD = {"rank": "rank", "score": "value", "mean": "national_avg", "mean_provinces": "national_avg"}

# (file suffix, line) -> reason with evidence. A statement listed here is kept but not checked.
KNOWN_WRONG = {
    (
        "par_sipas_province_facts.csv",
        279,
    ): "Bình Phước 84.46% cannot be 29th of 63 in PAR 2022: Ninh Thuận 85.78% is 29th (provincial Department of "
    "Home Affairs portal) and Tuyên Quang 85.34%, Nam Định 84.86%, TP.HCM 84.70%, Đắk Nông 84.66%, Đắk Lắk 84.47% "
    "rank 32nd-38th; withheld by parlib (data/scores/conflicts.csv, kind rank_order)",
    (
        "par_sipas_province_facts.csv",
        362,
    ): "Cà Mau 86.89% cannot be 32nd in PAR 2023: Đồng Nai 87.04% is 32nd and TP.HCM 86.97% 33rd; Báo Cà Mau's text "
    "says 34th; withheld by parlib (data/scores/conflicts.csv, kind rank_order)",
    (
        "news_facts_par_sipas_papi.csv",
        6,
    ): "the compiler notes 'value is probably a typo for 46.66 (data files: 46.663, rank 3)': the official PAPI 2019 "
    "workbook gives Quảng Ninh 46.663, and 44.66 would not rank 3rd",
}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args(argv)
    raw = args.shared / "data-raw"
    files = {
        "news-par-sipas-papi/news_facts_par_sipas_papi.csv": None,
        "par-sipas-tables/par_sipas_province_facts.csv": None,
    }
    rows = []
    for rel in files:
        f = pd.read_csv(raw / rel, dtype=str, keep_default_na=False)
        f["line"] = f.index + 2
        for r in f.itertuples():
            kind = r.metric
            if r.value_status != "reported" or r.index not in ("PAR", "SIPAS", "PAPI"):
                continue
            # Province figures: every PAPI one; PAR INDEX and SIPAS from provincial government portals
            # 2022-2024 (the most authoritative PAR/SIPAS sources compiled). National means: all.
            if (
                kind in ("rank", "score")
                and r.gso_code
                and (kind != "rank" or r.unit.startswith("of "))
                and (
                    r.index == "PAPI"
                    or (r.source_type == "gov_portal" and int(r.year) >= 2022)
                    or (rel.split("/")[1], r.line) in KNOWN_WRONG
                )
            ):
                pass
            elif kind in ("mean", "mean_provinces") and r.province_en == "NATIONAL":
                pass
            elif kind == "rank_note" and r.index == "PAR" and r.gso_code and re.match(r"group [ABC] \(", r.value):
                rows.append(
                    {
                        "index_code": r.index,
                        "year": int(r.year),
                        "province": r.province_vi,
                        "field": "group",
                        "expected": r.value.split()[1],
                        "quote": f"compiled record: rank_note={r.value}" + (f" | note: {r.note}" if r.note else ""),
                        "file": f"{rel}:{r.line}",
                        "source_url": r.source_url,
                        "key": (rel.split("/")[1], r.line),
                    }
                )
                continue
            else:
                continue
            record = f"{r.metric}={r.value} {r.unit}".strip() + (f" | note: {r.note}" if r.note else "")
            # Rank changes printed with a PAPI rank or score ("up 39 places vs 2020").
            m = re.search(r"\b(up|down) (\d+) places vs (\d{4})", r.note)
            if r.index == "PAPI" and r.gso_code and m:
                rows.append(
                    {
                        "index_code": r.index,
                        "year": int(r.year),
                        "province": r.province_vi,
                        "field": "rank_change",
                        "expected": ("" if m.group(1) == "up" else "-") + m.group(2),
                        "quote": "compiled record: " + record[:220],
                        "file": f"{rel}:{r.line}",
                        "source_url": r.source_url,
                        "key": (rel.split("/")[1], r.line),
                    }
                )
            rows.append(
                {
                    "index_code": r.index,
                    "year": int(r.year),
                    "province": "" if r.province_en == "NATIONAL" else r.province_vi,
                    "field": FIELD[kind],
                    "expected": r.value,
                    "quote": "compiled record: " + record[:220],
                    "file": f"{rel}:{r.line}",
                    "source_url": r.source_url,
                    "key": (rel.split("/")[1], r.line),
                }
            )
    # The Hưng Yên article (../shared/sources/hung-yen-2023-05-26-par-conference.txt).
    art = "sources/hung-yen-2023-05-26-par-conference.txt"
    text = (args.shared / art).read_text(encoding="utf-8")
    phrases = [
        ("PAR", "rank", r"the PAR Index of Hung Yen province has ranked the (\d+)th out of 63 [^;]*", 1),
        (
            "PAR",
            "rank_change",
            r"ranked the 12th out of 63 provinces and cities in the country, (maintaining) "
            r"its position compared with the last year",
            "0",
        ),
        ("SIPAS", "rank", r"\(Sipas\) ranked the (\d+)th out of 63[^;]*", 1),
        ("PAPI", "rank", r"\(Papi\) ranked the (\d+)th out of 63[^.;]*", 1),
        ("PAPI", "rank_change", r"\(Papi\) ranked the 11th out of 63 provinces/cities, down (\d+) places[^.;]*", -1),
    ]
    for idx, field, pat, grp in phrases:
        m = re.search(pat, text)
        assert m, pat
        v = m.group(1) if grp == 1 else "-" + m.group(1) if grp == -1 else grp
        rows.append(
            {
                "index_code": idx,
                "year": 2022,
                "province": "Hưng Yên",
                "field": field,
                "expected": v,
                "quote": m.group(0).strip()[:220],
                "file": art,
                "source_url": "",
                "key": ("hung-yen", 0),
            }
        )
    for phrase, measure in [
        ("management and direction", "PAR_LEADERSHIP"),
        ("Institutional reform", "INSTITUTIONAL_REFORM"),
        ("administrative procedure reform", "ADMIN_PROCEDURE_REFORM"),
        ("building and developing e-government, digital government", "E_GOVERNMENT"),
    ]:
        m = re.search(re.escape(phrase) + r"[^.;]*?(increased|decreased) by (\d+(?:\.\d+)?)%", text)
        if m:
            v = m.group(2) if m.group(1) == "increased" else "-" + m.group(2)
            rows.append(
                {
                    "index_code": "PAR",
                    "year": 2022,
                    "province": "Hưng Yên",
                    "field": f"component_delta:{measure}",
                    "expected": v,
                    "quote": m.group(0).strip()[:220],
                    "file": art,
                    "source_url": "",
                    "key": ("hung-yen", 0),
                }
            )
    out = pd.DataFrame(rows).drop_duplicates(["index_code", "year", "province", "field", "expected"])
    out["status"] = ["known_wrong" if k in KNOWN_WRONG else "check" for k in out.key]
    out["reason"] = [KNOWN_WRONG.get(k, "") for k in out.key]
    out.insert(0, "statement_id", [f"S{i + 1:03d}" for i in range(len(out))])
    out = out.drop(columns="key")
    out.to_csv(ROOT / "tests/published_statements.csv", index=False, lineterminator="\n")
    print(f"wrote {len(out)} statements")


if __name__ == "__main__":
    main()

"""Build the coverage records: who each publisher ranked, and why a province was not ranked.

Writes ``data/meta/fields.csv`` (one row per index-year: the publisher's field, its scope and the
source that fixes it) and ``data/meta/not_ranked.csv`` (one row per province-index-year that the
publisher did not score or rank, with the reason as the source words it), adds the sources they cite
to ``data/sources.csv`` and rewrites ``data/MANIFEST.csv``. Run after ``tools/build_data.py``
(``make data`` does both); reads ``data/scores`` and ``../shared/data-raw/gap-fill``.

    python tools/build_coverage.py [--shared ../shared]

Rules (nothing is inferred that a source does not say):

- PAR INDEX, SIPAS, PCI: the field is the ``n_ranked`` the sources print with each published rank
  ("12/63"); PCI from 2023 publishes only its top 30 (``meta/publication_scope.csv``).
- PAPI publishes scores, not ranks (ranks are counted from the scores, as the press does): its field
  is the provinces with a score in the publisher's own table. A province without one is recorded in
  ``not_ranked.csv`` with the publisher's marker or a news source's reason; where parlib's copy is not
  the publisher's table (the hnks panel) and no source explains a blank, the field is left unknown.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import build_data as bd  # noqa: E402

DATA = bd.DATA
FIELD_COLUMNS = [
    "index_code",
    "year",
    "scope",
    "n_units",
    "n_ranked",
    "n_published",
    "basis",
    "source_id",
    "note",
]
NOT_RANKED_COLUMNS = [
    "index_code",
    "year",
    "province_code",
    "status",
    "reason_en",
    "reason_vi",
    "source_id",
    "quote",
]

#: Publishers' own markers for a province without a PAPI score, as read in the official workbooks
#: (``note`` of the score row written by build_data): what the marker says, in both languages.
WORKBOOK_MARKERS = {
    "raw value 'KCDL'": (
        "marked 'KCDL' (no data) in UNDP's official workbook",
        "được ghi 'KCDL' (không có dữ liệu) trong bảng số liệu chính thức của UNDP",
    ),
    "0 in source treated as missing (below scale minimum)": (
        "no score in UNDP's official workbook (0, below the scale minimum)",
        "không có điểm trong bảng số liệu chính thức của UNDP (ghi 0, dưới mức tối thiểu của thang điểm)",
    ),
    "blank in source": (
        "no score in UNDP's official workbook (blank)",
        "không có điểm trong bảng số liệu chính thức của UNDP (để trống)",
    ),
}

#: The reasons of the gap-fill rows, in both languages, as the quoted source words them.
GAP_FILL_REASONS = {
    "excluded: survey data judged inaccurate": (
        "not assessed: the survey data were judged inaccurate",
        "không đưa vào đánh giá do dữ liệu khảo sát không chính xác",
    ),
    "not in 2021 and 2022 rankings (data noise)": (
        "not in the rankings because of noise in the survey data",
        "không được xếp hạng do dữ liệu khảo sát bị nhiễu",
    ),
    "no 2021 rank (data errors)": (
        "not ranked because of errors in the data",
        "không xếp hạng do những sai số trong dữ liệu",
    ),
}
#: published_facts rows of metric "missing" (news): the reason as the source words it.
FACT_REASONS = {
    "no data (technical problems)": (
        "no data, because of technical problems",
        "không có số liệu do sự cố kỹ thuật",
    ),
}


def _codes(units: pd.DataFrame) -> dict[str, str]:
    vn63 = units[units.unit_set == "VN63"]
    return {bd.fold(n): c for n, c in zip(vn63.name_vi, vn63.code)}


def gap_fill_rows(shared: Path, sources: bd.Sources, units: pd.DataFrame) -> list[dict]:
    """The gap-fill rows that say a province was not ranked (``status_not_ranked``)."""
    codes = _codes(units)
    out = []
    for f in sorted((shared / "data-raw" / "gap-fill").glob("papi_*.csv")):
        raw = pd.read_csv(f, dtype=str, keep_default_na=False)
        for r in raw[raw.measure == "status_not_ranked"].itertuples():
            en, vi = GAP_FILL_REASONS[r.value]
            out.append(
                {
                    "index_code": r.index,
                    "year": int(r.year),
                    "province_code": codes[bd.fold(r.province_vi)],
                    "status": "not_ranked",
                    "reason_en": en,
                    "reason_vi": vi,
                    "source_id": sources.web(r.source_url, "news" if "gov.vn" not in r.source_url else "gov_portal"),
                    "quote": r.quote,
                }
            )
    return out


def papi_blanks(scores: pd.DataFrame, facts: pd.DataFrame, stated: set[tuple]) -> list[dict]:
    """PAPI totals without a score: the publisher's marker (official workbooks), a news reason, or,
    where neither exists, a record that parlib's copy has no score and no source says why."""
    t = scores[(scores.index_code == "PAPI") & (scores.measure == "TOTAL") & scores.value.isna()]
    official = {"papi-official-2011-2016", "papi-official-2015-2023"}
    miss = facts[(facts.index_code == "PAPI") & (facts.metric == "missing")]
    said_fields = {y: v for (i, y), v in stated_fields(facts).items() if i == "PAPI"}
    out = []
    for r in t.itertuples():
        key = (int(r.year), r.province_code)
        news = miss[(miss.year == r.year) & (miss.area_code == r.province_code)]
        for f in news.itertuples():
            en, vi = FACT_REASONS[f.value]
            out.append(_row("PAPI", key, "not_ranked", en, vi, f.source_id, f.value))
        if r.source_id in official and r.note in WORKBOOK_MARKERS:
            en, vi = WORKBOOK_MARKERS[r.note]
            out.append(_row("PAPI", key, "not_scored", en, vi, r.source_id, r.note))
        elif not len(news) and key not in stated and key[0] in said_fields:
            n, sid = said_fields[key[0]]
            en, vi = (x.format(n=n) for x in SAID_FIELD)
            out.append(_row("PAPI", key, "not_scored", en, vi, sid, f"of {n}"))
        elif not len(news) and key not in stated:
            out.append(_row("PAPI", key, "unexplained", *UNEXPLAINED, r.source_id, r.note))
    return out


#: A PAPI blank in a year whose field a source prints ("of 61"): the source names no province.
SAID_FIELD = (
    "not among the {n} provinces ranked in print (the source gives no reason)",
    "không nằm trong {n} tỉnh, thành phố được xếp hạng theo nguồn (nguồn không nêu lý do)",
)

#: A PAPI blank in parlib's copy that no source explains (the panel's sub-dimensions are blank).
UNEXPLAINED = (
    "no score in parlib's PAPI data (the panel compiled from papi.org.vn is blank); no source says whether "
    "UNDP scored it",
    "không có điểm trong số liệu PAPI của parlib (bảng tổng hợp từ papi.org.vn để trống); chưa có nguồn cho "
    "biết UNDP có chấm điểm hay không",
)


def stated_fields(facts: pd.DataFrame) -> dict[tuple, tuple[int, str]]:
    """(index, year) → (N, source_id) where a source prints a rank "of N" with N below 63: the
    publisher's smaller field in print (PAPI 2023 and 2024: "of 61")."""
    r = facts[(facts.metric == "rank") & facts.unit.str.fullmatch(r"of \d+")]
    out = {}
    for f in r.itertuples():
        n = int(f.unit.split()[1])
        if n < 63:
            out.setdefault((f.index_code, int(f.year)), (n, f.source_id))
    return out


def written_ranks(facts: pd.DataFrame, fields: pd.DataFrame) -> pd.DataFrame:
    """Ranks a source printed over a larger field than the publisher's ("11/63" where UNDP scored
    61): the province communications' "/63" wording, kept so a report can reconcile it."""
    size = {(f.index_code, int(f.year)): f.n_ranked for f in fields.itertuples() if str(f.n_ranked) != ""}
    rows = []
    r = facts[(facts.metric == "rank") & facts.unit.str.fullmatch(r"of \d+")]
    for f in r.itertuples():
        n, field = int(f.unit.split()[1]), size.get((f.index_code, int(f.year)))
        if field is not None and n != int(field):
            rows.append([f.index_code, int(f.year), f.area_code, int(float(f.value)), n, f.source_id, f"{f.value}/{n}"])
    text = (DATA / "sources" / "hung-yen-2023-05-26-par-conference.txt").read_text(encoding="utf-8")
    m = re.search(r"\(Papi\) ranked the (\d+)th out of (\d+) provinces", text)
    if m and int(m.group(2)) != int(size[("PAPI", 2022)]):
        rows.append(["PAPI", 2022, "33", int(m.group(1)), int(m.group(2)), "hungyen-portal-2023-05-26", m.group(0)])
    cols = ["index_code", "year", "province_code", "rank", "n_written", "source_id", "quote"]
    return pd.DataFrame(rows, columns=cols).drop_duplicates().sort_values(cols[:3]).reset_index(drop=True)


def _row(idx: str, key: tuple, status: str, en: str, vi: str, source_id: str, quote: str) -> dict:
    return {
        "index_code": idx,
        "year": key[0],
        "province_code": key[1],
        "status": status,
        "reason_en": en,
        "reason_vi": vi,
        "source_id": source_id,
        "quote": quote,
    }


def field_rows(scores: pd.DataFrame, not_ranked: pd.DataFrame, stated_fields: dict) -> list[dict]:
    """One record per index-year with a total in the data: the publisher's field and its source."""
    scope = pd.read_csv(DATA / "meta" / "publication_scope.csv", dtype=str, keep_default_na=False)
    t = scores[scores.measure == "TOTAL"]
    out = []
    for (idx, year), g in t.groupby(["index_code", "year"]):
        year = int(year)
        sc = scope[
            (scope.index_code == idx) & (scope.first_year.astype(int) <= year) & (scope.last_year.astype(int) >= year)
        ]
        row = {"index_code": idx, "year": year, "scope": "all", "n_units": "", "n_ranked": "", "n_published": ""}
        if idx == "PAPI":
            n, n_units = int(g.value.notna().sum()), len(g)
            gaps = not_ranked[(not_ranked.year == year) & (not_ranked.status == "unexplained")]
            said = stated_fields.get((idx, year))
            if said is not None and said[0] == n:
                row |= {
                    "n_units": n_units,
                    "n_ranked": n,
                    "basis": "stated",
                    "source_id": said[1],
                    "note": f"ranks printed as 'x/{n}' by {said[1]}; ranks are counted from UNDP's scores",
                }
                out.append(row)
                continue
            row |= {
                "n_units": n_units,
                "n_ranked": n,
                "basis": "unconfirmed" if len(gaps) else "scored",
                "source_id": g.source_id.value_counts().index[0],
                "note": f"UNDP scored {n} of {n_units} provinces; ranks are counted from the scores"
                if not len(gaps)
                else f"{n} of {n_units} provinces have a score in parlib's copy; {len(gaps)} blank that no source "
                "explains, so the publisher's field is not confirmed",
            }
        elif len(sc):
            s = sc.iloc[0]
            row |= {
                "scope": s.scope,
                "n_units": int(s.n_units),
                # the publisher ranks every unit and prints only the leaders (a province outside
                # them publishes its own "32/63"): the field of a printed rank is the units
                "n_ranked": int(s.n_units),
                "n_published": int(s.n_published),
                "basis": "stated",
                "source_id": s.source_id,
                "note": s.note,
            }
        else:
            ranked = g[g["rank"].notna() & g.n_ranked.notna()]
            if ranked.empty and g.value.notna().any():
                # no rank in print (PCI 2006, 2008): the publisher's table scores that many provinces,
                # and parlib counts ranks from the scores as for PAPI
                n = int(g.value.notna().sum())
                row |= {
                    "n_units": len(g),
                    "n_ranked": n,
                    "basis": "scored",
                    "source_id": g.source_id.value_counts().index[0],
                    "note": f"no ranks in print; the publisher's table scores {n} provinces",
                }
                out.append(row)
                continue
            if ranked.empty:
                continue
            src = (ranked.rank_source_id.where(ranked.rank_source_id != "", ranked.source_id)).value_counts()
            n = int(ranked.n_ranked.max())
            row |= {
                "n_units": n,
                "n_ranked": n,
                "basis": "stated",
                "source_id": src.index[0],
                "note": f"ranks printed as 'x/{n}' by the sources of this year",
            }
        out.append(row)
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    shared = ap.parse_args(argv).shared
    kw = {"dtype": {"province_code": str, "area_code": str}, "keep_default_na": False, "na_values": [""]}
    scores = pd.concat(
        [pd.read_csv(DATA / "scores" / f, **kw) for f in ("papi.csv", "par_sipas.csv", "pci.csv")], ignore_index=True
    )
    scores["source_id"] = scores.source_id.fillna("")
    scores["rank_source_id"] = scores.rank_source_id.fillna("")
    scores["note"] = scores.note.fillna("")
    facts = pd.read_csv(DATA / "scores" / "published_facts.csv", **kw)
    units = pd.read_csv(DATA / "meta" / "units.csv", dtype=str, keep_default_na=False)
    existing = pd.read_csv(DATA / "sources.csv", dtype=str, keep_default_na=False)
    sources = bd.Sources()
    for r in existing.to_dict("records"):
        sources.add(r)
    stated_rows = gap_fill_rows(shared, sources, units)
    stated = {(r["year"], r["province_code"]) for r in stated_rows}
    blanks = papi_blanks(scores, facts, stated)
    nr = pd.DataFrame(stated_rows + blanks, columns=NOT_RANKED_COLUMNS)
    nr = nr.drop_duplicates(["index_code", "year", "province_code", "source_id"])
    nr = nr.sort_values(["index_code", "year", "province_code", "status", "source_id"]).reset_index(drop=True)
    fields = pd.DataFrame(field_rows(scores, nr, stated_fields(facts)), columns=FIELD_COLUMNS)
    written = written_ranks(facts, fields)
    bd.write_csv(written, "meta/ranks_as_written.csv")
    bd.write_csv(fields, "meta/fields.csv")
    bd.write_csv(nr, "meta/not_ranked.csv")
    src = pd.DataFrame(list(sources.rows.values()), columns=existing.columns)
    bd.write_csv(src.sort_values("source_id", key=lambda s: s.str.lower()).reset_index(drop=True), "sources.csv")
    bd.write_manifest()
    print(f"fields.csv: {len(fields)} index-years; not_ranked.csv: {len(nr)} rows; sources: {len(src)}")


if __name__ == "__main__":
    main()

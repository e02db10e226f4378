"""Build tidy PCI 2017-2024 scores from the figures transcribed from VCCI's pages and notices.

Source: ``../shared/data-raw/pci-2017-2024-web/pci_2017_2024_facts.csv`` (one figure per row, each
with the address and title of its page; read its PROVENANCE.md). ``build()`` returns
``(scores, sources, conflicts, measures, scope)`` in the bundled schemas and writes nothing;
``tools/build_data.py`` writes them (scores into ``scores/pci.csv`` after the 2005-2016 rows).

Rules:

* One row per ``(index_code, year, province_code, measure)``. Where several pages give a figure,
  the score and the rank are each taken from the most authoritative page that gives them
  (pcivietnam.vn, VCCI's own site > government portal > investment-promotion portal > university >
  news > news aggregator); the other pages are named in ``note``. Pages that disagree are
  recorded in ``scores/conflicts.csv``.
* Ranks are VCCI's published ranks out of 63 (``rank_basis=published``), kept as printed: the
  2020 ties (equal printed scores, consecutive ranks) stay. A published rank must agree with the
  order of the printed scores of its year (ties allowed), or the build fails.
* Sub-indices carry no rank (the pages give none).
* From PCI 2023 VCCI publishes scores and ranks only for the 30 leading provinces: written to
  ``meta/publication_scope.csv`` with the page that says so.
* No national average is added: none was published with a source in this folder. The engine
  computes one where its coverage rule allows (2020, the only full table).
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from build_pci import MEASURE_COLS, SCORE_COLS, SOURCE_COLS, province_lookup, to_code  # noqa: E402

from parlib._text import slugify  # noqa: E402

RAW = Path("/work/shared/data-raw/pci-2017-2024-web")
FACTS = "pci_2017_2024_facts.csv"
N_UNITS = 63  # PCI 2017-2024 rank all 63 provinces (PCI 2024 was the last edition with 63 units)

# Measure as written in the facts file -> measure code of data/meta/measures.csv.
MEASURES = {
    "TOTAL": "TOTAL",
    "Entry Costs": "ENTRY_COSTS",
    "Access to Land": "LAND_ACCESS",
    "Transparency": "TRANSPARENCY",
    "Time Costs": "TIME_COSTS",
    "Informal Charges": "INFORMAL_CHARGES",
    "Policy Bias": "POLICY_BIAS",
    "Proactivity": "PROACTIVITY",
    "Business Support": "BUSINESS_SUPPORT",
    "Labor Policy": "LABOR_TRAINING",
    "Law & Order": "LEGAL_INSTITUTIONS",
}

# Host -> (kind, authority: lower wins, publisher of the page).
HOSTS = {
    "pcivietnam.vn": ("official_web", 0, "VCCI PCI website (pcivietnam.vn)"),
    "doanhnghiep.vinhphuc.gov.vn": ("gov_portal", 1, "Vĩnh Phúc provincial business portal"),
    "caungang.travinh.gov.vn": ("gov_portal", 1, "Cầu Ngang district portal (Trà Vinh)"),
    "investinquangninh.vn": ("investment_portal", 2, "Quảng Ninh investment-promotion site"),
    "shrc.agu.edu.vn": ("university", 3, "An Giang University, SHRC"),
    "baonghean.vn": ("news", 4, "Báo Nghệ An"),
    "nhandan.vn": ("news", 4, "Báo Nhân Dân"),
    "soha.vn": ("news", 4, "soha.vn"),
    "lite.baomoi.com": ("news_aggregator", 5, "Báo Mới (aggregator)"),
}

PRODUCER = "VCCI (Vietnam Chamber of Commerce and Industry), PCI project"
LICENCE = (
    "the page states no licence; figures © VCCI (PCI project); cite VCCI and the page (pci-2017-2024-web/PROVENANCE.md)"
)
SCOPE_PHRASE = "Từ PCI 2023, VCCI không tiến hành công bố điểm số và xếp hạng"
SCOPE_PAGE = "raw/pci_province_pages/phu-tho.txt"  # the province page that states it


def host(url: str) -> str:
    return re.sub(r"^(https?://)?(www\.)?", "", url).split("/")[0]


def source_id(url: str) -> str:
    """Stable id from the page address: ``pci-web-<host>-<sha1 of the address, 8 hex>``."""
    return f"pci-web-{slugify(host(url))[:30]}-{hashlib.sha1(url.encode()).hexdigest()[:8]}"


def read_facts(raw: Path = RAW) -> pd.DataFrame:
    f = pd.read_csv(raw / FACTS, dtype=str, keep_default_na=False)
    f["line"] = f.index + 2
    f["year"] = f["year"].astype(int)
    unknown = set(f["measure"]) - set(MEASURES)
    if unknown:
        raise ValueError(f"{FACTS}: unknown measure(s) {sorted(unknown)}")
    f["measure"] = f["measure"].map(MEASURES)
    unknown = {host(u) for u in f["source_url"]} - set(HOSTS)
    if unknown:
        raise ValueError(f"{FACTS}: no authority for host(s) {sorted(unknown)}; add them to HOSTS")
    f["authority"] = [HOSTS[host(u)][1] for u in f["source_url"]]
    f["source_id"] = f["source_url"].map(source_id)
    # The written name must resolve to the code given (guards a mistyped code).
    lookup = province_lookup()
    for r in f.itertuples():
        code = to_code(r.province_name_as_written, lookup, f"{FACTS} line {r.line}")
        if code != r.gso_code:
            raise ValueError(f"{FACTS} line {r.line}: {r.province_name_as_written!r} is {code}, not {r.gso_code}")
    f["value"] = pd.to_numeric(f["value"].str.strip().replace("", None))
    f["rank"] = pd.to_numeric(f["rank"].str.strip().replace("", None)).astype("Int64")
    top = f["measure"].eq("TOTAL").map({True: 100.0, False: 10.0})
    bad = f["value"].notna() & ~f["value"].between(0, top)
    if bad.any():
        raise ValueError(f"{FACTS}: values outside the scale on lines {f.loc[bad, 'line'].tolist()}")
    bad = f["rank"].notna() & (~f["rank"].between(1, N_UNITS) | f["measure"].ne("TOTAL"))
    if bad.any():
        raise ValueError(f"{FACTS}: ranks outside 1..{N_UNITS} or on a sub-index, lines {f.loc[bad, 'line'].tolist()}")
    return f


def _conflict(best, other, field: str) -> dict:
    return {
        "index_code": "PCI",
        "year": best.year,
        "area_code": best.gso_code,
        "measure": best.measure,
        "field": field,
        "kept_value": best[field],
        "kept_source_id": best.source_id,
        "kept_status": "reported",
        "other_value": other[field],
        "other_source_id": other.source_id,
        "other_status": "reported",
        "reason": "kept the more authoritative page (pcivietnam.vn over government portals over news)",
        "note": f"{FACTS} lines {best.line} and {other.line}",
    }


def build_scores(f: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows, conflicts = [], []
    for (year, code, measure), g in f.sort_values(["authority", "line"]).groupby(
        ["year", "gso_code", "measure"], sort=True
    ):
        with_value, with_rank = g[g["value"].notna()], g[g["rank"].notna()]
        v = with_value.iloc[0] if len(with_value) else None
        r = with_rank.iloc[0] if len(with_rank) else None
        for best, field, others in ((v, "value", with_value), (r, "rank", with_rank)):
            for _, other in others.iloc[1:].iterrows():
                if other[field] != best[field]:
                    conflicts.append(_conflict(best, other, field))
        main = v if v is not None else r
        used = {main.source_id} | ({r.source_id} if r is not None else set())
        also = sorted(set(g["source_id"]) - used)
        notes = list(dict.fromkeys(n for n in g["note"] if n and not n.startswith("sub-index score (1-10)")))
        if also:
            notes.append("same figure also in " + ", ".join(also))
        rows.append(
            {
                "index_code": "PCI",
                "year": year,
                "province_code": code,
                "measure": measure,
                "value": v["value"] if v is not None else float("nan"),
                "rank": r["rank"] if r is not None else pd.NA,
                "n_ranked": N_UNITS if r is not None else pd.NA,
                "rank_basis": "published" if r is not None else "",
                "ci_low": float("nan"),
                "ci_high": float("nan"),
                "se": float("nan"),
                "source_id": main.source_id,
                "rank_source_id": r.source_id if r is not None else "",
                "status": "reported",
                "note": "; ".join(notes)[:400],
            }
        )
    scores = pd.DataFrame(rows, columns=SCORE_COLS)
    scores["rank"] = scores["rank"].astype("Int64")
    scores["n_ranked"] = scores["n_ranked"].astype("Int64")
    check_rank_order(scores)
    return scores, pd.DataFrame(conflicts)


def check_rank_order(scores: pd.DataFrame) -> None:
    """Within a year, a better published rank never has a lower printed score (ties allowed)."""
    t = scores[(scores["measure"] == "TOTAL") & scores["value"].notna() & scores["rank"].notna()]
    for year, d in t.groupby("year"):
        d = d.sort_values(["rank", "value"], ascending=[True, False])
        if (d["value"].diff().dropna() > 0).any() or d["rank"].duplicated().any():
            raise ValueError(f"PCI {year}: published ranks disagree with the printed scores\n{d}")


def build_sources(f: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for (url, title), g in f.groupby(["source_url", "source_title"], sort=False):
        kind, _, publisher = HOSTS[host(url)]
        years = sorted(g["year"].unique())
        rows.append(
            {
                "source_id": source_id(url),
                "producer": PRODUCER,
                "title": title,
                "url": url,
                "accessed": "",
                "licence": LICENCE,
                "decision": "VCCI PCI methodology"
                + (" (2021 revision: sub-index 8 renamed)" if max(years) >= 2021 else ""),
                "kind": kind,
                "note": (
                    f"page published by {publisher}; PCI {', '.join(map(str, years))}: {len(g)} figures "
                    f"transcribed in pci-2017-2024-web (date read not recorded)"
                ),
            }
        )
    out = pd.DataFrame(rows, columns=SOURCE_COLS)
    if out["source_id"].duplicated().any():
        raise ValueError("two pages share a source_id")
    return out


SCALE_NOTE = "scale from DOMAIN.md §4: '10 sub-indices standardised to a 10-point scale; composite max 100'"
EN_2019 = "name_en from pcivietnam.vn 'PCI Subindices of 63 provincescities' (PCI 2019)"
EN_PAGES = "name_en from pcivietnam.vn province pages (series to PCI 2022)"
VI_DOMAIN = "name_vi from DOMAIN.md §4"
VI_2021 = "name_vi from pcivietnam.vn 'Bảng chỉ số PCI' (PCI 2021)"
# measure -> list of (first, last, name_vi, name_en, note)
WEB_MEASURES = {
    "TOTAL": [
        (
            2017,
            2024,
            "Điểm số PCI",
            "PCI score",
            "names from pcivietnam.vn ('Điểm số PCI' on the 2020 ranking page, 'PCI Score' on the "
            "English pages); the weighted composite, as in 2005-2016",
        )
    ],
    "ENTRY_COSTS": [(2017, 2024, "Chi phí gia nhập thị trường", "Entry costs", f"{EN_2019}; {VI_DOMAIN}")],
    "LAND_ACCESS": [(2017, 2024, "Tiếp cận đất đai", "Access to land", f"{EN_2019}; {VI_DOMAIN}")],
    "TRANSPARENCY": [(2017, 2024, "Tính minh bạch", "Transparency", f"{EN_2019}; {VI_DOMAIN}")],
    "TIME_COSTS": [(2017, 2024, "Chi phí thời gian", "Time costs", f"{EN_2019}; {VI_DOMAIN}")],
    "INFORMAL_CHARGES": [(2017, 2024, "Chi phí không chính thức", "Informal charges", f"{EN_2019}; {VI_DOMAIN}")],
    "POLICY_BIAS": [(2017, 2024, "Cạnh tranh bình đẳng", "Policy bias", f"{EN_2019}; {VI_DOMAIN}")],
    "PROACTIVITY": [(2017, 2024, "Tính năng động", "Proactivity", f"{EN_2019}; {VI_DOMAIN}")],
    "BUSINESS_SUPPORT": [
        (
            2017,
            2020,
            "Dịch vụ hỗ trợ doanh nghiệp",
            "Business support services",
            f"{EN_2019}; {VI_DOMAIN}; renamed in the 2021 methodology revision (pci-2017-2024-web/PROVENANCE.md)",
        ),
        (
            2021,
            2024,
            "Chính sách hỗ trợ doanh nghiệp",
            "Business support policy",
            f"{EN_PAGES}; {VI_2021}; name from the 2021 methodology revision, 'Business Support Services' "
            "to 2020 (pci-2017-2024-web/PROVENANCE.md)",
        ),
    ],
    "LABOR_TRAINING": [
        (
            2017,
            2024,
            "Đào tạo lao động",
            "Labor policy",
            f"{EN_2019}; {VI_DOMAIN} (DOMAIN's English: 'Labour training')",
        )
    ],
    "LEGAL_INSTITUTIONS": [
        (
            2017,
            2024,
            "Thiết chế pháp lý",
            "Law and order",
            f"{EN_2019} ('Law & Order'); {VI_DOMAIN} (DOMAIN's English: 'Legal institutions')",
        )
    ],
}


def build_measures(scores: pd.DataFrame) -> pd.DataFrame:
    have = set(scores["measure"])
    if have - set(WEB_MEASURES):
        raise ValueError(f"no metadata for {sorted(have - set(WEB_MEASURES))}")
    rows = []
    for m, spans in WEB_MEASURES.items():
        for y0, y1, vi, en, note in spans:
            total = m == "TOTAL"
            rows.append(
                dict(
                    index_code="PCI",
                    measure=m,
                    first_year=y0,
                    last_year=y1,
                    level="total" if total else "component",
                    parent="" if total else "TOTAL",
                    name_vi=vi,
                    name_en=en,
                    unit="points",
                    scale_min=0,
                    scale_max=100 if total else 10,
                    direction="higher_is_better",
                    decision="VCCI PCI methodology",
                    note=f"{note}; {SCALE_NOTE}",
                )
            )
    return pd.DataFrame(rows, columns=MEASURE_COLS)


SCOPE_COLS = ["index_code", "first_year", "last_year", "scope", "n_published", "n_units", "source_id", "quote", "note"]


def build_scope(raw: Path = RAW) -> pd.DataFrame:
    """VCCI's statement that from PCI 2023 it publishes scores and ranks for the top 30 only."""
    page = (raw / SCOPE_PAGE).read_text(encoding="utf-8")
    url = page.splitlines()[0].removeprefix("URL:").strip()
    quote = next(line.strip() for line in page.splitlines() if SCOPE_PHRASE in line)
    quote = quote[quote.index(SCOPE_PHRASE) :]
    m = re.search(r"Từ PCI (\d{4}).*ngoài nhóm (\d+) tỉnh", quote)
    first, n = int(m.group(1)), int(m.group(2))
    return pd.DataFrame(
        [
            {
                "index_code": "PCI",
                "first_year": first,
                "last_year": 2024,
                "scope": f"top_{n}",
                "n_published": n,
                "n_units": N_UNITS,
                "source_id": source_id(url),
                "quote": quote,
                "note": (
                    "VCCI publishes scores and ranks only for the leading provinces; parlib holds the few "
                    "figures found in print, so a province without a figure may still be among them. "
                    "last_year: PCI 2024 was the last edition with 63 units (DOMAIN.md §4)"
                ),
            }
        ],
        columns=SCOPE_COLS,
    )


def build(raw: Path = RAW):
    raw = Path(raw)
    f = read_facts(raw)
    scores, conflicts = build_scores(f)
    sources = build_sources(f)
    scope = build_scope(raw)
    if not scope["source_id"].isin(sources["source_id"]).all():
        raise ValueError("the publication-scope page is not among the sources")
    return scores, sources, conflicts, build_measures(scores), scope


if __name__ == "__main__":
    scores, sources, conflicts, measures, scope = build(Path(sys.argv[1]) if len(sys.argv) > 1 else RAW)
    tot = scores[scores["measure"] == "TOTAL"]
    print(
        pd.DataFrame(
            {
                "rows": scores.groupby("year").size(),
                "scores": tot.groupby("year")["value"].count(),
                "ranks": tot.groupby("year")["rank"].count(),
            }
        ).to_string()
    )
    print(
        f"{len(scores)} rows, {len(sources)} sources, {len(conflicts)} conflicts; scope: "
        f"{scope.iloc[0].scope} {scope.iloc[0].first_year}-{scope.iloc[0].last_year}"
    )

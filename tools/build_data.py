"""Build the bundled data in ``data/`` from the raw snapshots in ``../shared/data-raw``.

Run once by a maintainer (``make data``); the project never needs ``../shared`` at run time.
Raw files are never edited: every correction is made here, in code, and written to
``data/`` together with ``data/MANIFEST.csv`` (checksums) and ``data/sources.csv``.

    python tools/build_data.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import re
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from parlib._text import fold, slugify  # noqa: E402
from parlib.data.schema import SCORE_COLUMNS  # noqa: E402 (the score table's columns, written once)

DATA = ROOT / "data"
ACCESSED = "2026-11-25"

REGIONS = [  # code, name as in provinces.csv (region_en), names used in the news compilations
    ("NMM", "Northern Midlands and Mountainous Region", "Northern Midlands and Mountains"),
    ("RRD", "Red River Delta", "Red River Delta"),
    ("NCC", "North Central and Central Coastal Region", "North Central and Central Coast"),
    ("CH", "Central Highlands", "Central Highlands"),
    ("SE", "Southeast", "Southeast"),
    ("MD", "Mekong River Delta", "Mekong Delta"),
]

# Spelling variants from ../shared/DOMAIN.md §6.2 (LaDilettante/vietnamcode regex column, and the
# common English forms marked [I] there). Diacritic-free, tone-placement and prefix variants are
# handled by parlib._text.match_key and need no entry here.
ALIASES = [
    ("79", "Ho Chi Minh City"),
    ("79", "TP HCM"),
    ("79", "TPHCM"),
    ("79", "HCM"),
    ("79", "HCMC"),
    ("79", "Tp.HCM"),
    ("79", "Sai Gon"),
    ("79", "Saigon"),
    ("77", "BRVT"),
    ("77", "BR-VT"),
    ("77", "Vung Tau"),
    ("46", "TTH"),
    ("46", "TT-H"),
    ("46", "TT.Huế"),
    ("46", "Huế"),
    ("46", "Hue"),
    ("06", "Bac Can"),
    ("66", "Dac Lac"),
    ("66", "Dak Lac"),
    ("66", "Daklak"),
    ("67", "Dac Nong"),
    ("67", "Daknong"),
    ("62", "Con Tum"),
    ("62", "Kontum"),
    ("01", "Hanoi"),
]

# Methodology periods (../shared/DOMAIN.md §1.2, §2, §3.2, §3.6, §4). A delta whose two years lie in
# different periods of the same index crosses a methodology break.
PERIODS = [  # index, period, first, last, decision, label_en, label_vi, note
    (
        "PAR",
        "PAR_2012",
        2012,
        2015,
        "initial PAR INDEX decision (number not found)",
        "PAR INDEX 2012-2015",
        "Chỉ số CCHC giai đoạn 2012-2015",
        "Rules of the 2012-2015 index are not verified (DOMAIN §1.2).",
    ),
    (
        "PAR",
        "PAR_2016",
        2016,
        2019,
        "4361/QĐ-BNV (28/12/2016); later 2948/QĐ-BNV (years not verified)",
        "Decision 4361/QĐ-BNV, then 2948/QĐ-BNV",
        "Quyết định 4361/QĐ-BNV, sau đó 2948/QĐ-BNV",
        "8 areas; 2948/QĐ-BNV maxima known, its years of application are not (DOMAIN §1.2-1.3).",
    ),
    (
        "PAR",
        "PAR_2020",
        2020,
        2021,
        "1150/QĐ-BNV (30/12/2020)",
        "Decision 1150/QĐ-BNV",
        "Quyết định 1150/QĐ-BNV",
        "8 areas, 43 criteria, 95 sub-criteria; provincial area names and maxima not verified.",
    ),
    (
        "PAR",
        "PAR_2022",
        2022,
        2030,
        "876/QĐ-BNV (10/11/2022)",
        "Decision 876/QĐ-BNV (2022-2030)",
        "Quyết định 876/QĐ-BNV (giai đoạn 2022-2030)",
        "8 areas, 37 criteria, 88 sub-criteria, 100 points of which 32 from surveys; area maxima not verified.",
    ),
    (
        "SIPAS",
        "SIPAS_2017",
        2017,
        2021,
        "2640/QĐ-BNV (10/10/2017)",
        "SIPAS under Decision 2640/QĐ-BNV (service satisfaction)",
        "SIPAS theo Quyết định 2640/QĐ-BNV (hài lòng về dịch vụ)",
        "Five elements of service satisfaction.",
    ),
    (
        "SIPAS",
        "SIPAS_2022",
        2022,
        2030,
        "policy satisfaction added in 2022; 1001/QĐ-BNV (11/12/2023) from 2023",
        "SIPAS with policy satisfaction added (2022; Decision 1001/QĐ-BNV from 2023)",
        "SIPAS có thêm đo lường hài lòng về chính sách (từ 2022; Quyết định 1001/QĐ-BNV từ 2023)",
        "National mean fell from 87.16% (2021) to 80.08% (2022) with the change of scope.",
    ),
    (
        "PAPI",
        "PAPI_2011",
        2011,
        2017,
        "PAPI methodology, 6 dimensions (CECODES/VFF-CRT/UNDP)",
        "PAPI with 6 dimensions (total out of 60)",
        "PAPI 6 chỉ số nội dung (tổng 60 điểm)",
        "Total of 6 dimensions, 6-60 points; D3 rebuilt in 2016.",
    ),
    (
        "PAPI",
        "PAPI_2018",
        2018,
        2030,
        "PAPI methodology, 8 dimensions (CECODES/RTA/UNDP)",
        "PAPI with 8 dimensions (total out of 80)",
        "PAPI 8 chỉ số nội dung (tổng 80 điểm)",
        "Environmental and e-governance added; total of 8 dimensions, 8-80 points.",
    ),
    (
        "PCI",
        "PCI_2005",
        2005,
        2030,
        "VCCI PCI methodology",
        "VCCI PCI methodology",
        "Phương pháp PCI của VCCI",
        "Sub-index set changed over time (see measures); composite max 100.",
    ),
]

# PAR component areas as named in ../shared/data-raw/par-sipas-tables/PROVENANCE.md.
# Maxima per year are not verified (DOMAIN §1.3, §8): they stay unknown here; published
# per-year maxima are kept in par_component_maxima.csv with their sources.
PAR_COMPONENTS = [
    # code, first, last, name_vi, name_en, note
    (
        "PAR_LEADERSHIP",
        2012,
        2030,
        "Công tác chỉ đạo, điều hành cải cách hành chính",
        "Direction and management of PAR",
        "",
    ),
    (
        "LEGAL_DOCUMENTS",
        2012,
        2021,
        "Xây dựng và tổ chức thực hiện văn bản quy phạm pháp luật tại tỉnh",
        "Legal normative documents",
        "2012-2021 scheme",
    ),
    ("ADMIN_PROCEDURE_REFORM", 2012, 2030, "Cải cách thủ tục hành chính", "Administrative procedure reform", ""),
    (
        "APPARATUS_REFORM",
        2012,
        2030,
        "Cải cách tổ chức bộ máy hành chính",
        "Reform of the administrative apparatus",
        "",
    ),
    (
        "CIVIL_SERVANTS",
        2012,
        2021,
        "Xây dựng và nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức",
        "Civil servants and public employees",
        "2012-2021 scheme",
    ),
    ("PUBLIC_FINANCE_REFORM", 2012, 2030, "Cải cách tài chính công", "Public finance reform", ""),
    ("MODERNIZATION", 2012, 2021, "Hiện đại hóa hành chính", "Administrative modernisation", "2012-2021 scheme"),
    (
        "IMPACT",
        2012,
        2021,
        "Tác động của cải cách hành chính đến người dân, tổ chức và phát triển kinh tế - xã hội của tỉnh",
        "Impact of PAR on citizens, organisations and socio-economic development",
        "2012-2021 scheme",
    ),
    (
        "INSTITUTIONAL_REFORM",
        2021,
        2030,
        "Cải cách thể chế",
        "Institutional reform",
        "876/QĐ-BNV scheme; some 2021 sources already use it. Provincial name inferred (DOMAIN §1.3).",
    ),
    (
        "CIVIL_SERVICE_REFORM",
        2021,
        2030,
        "Cải cách chế độ công vụ",
        "Civil service regime reform",
        "876/QĐ-BNV scheme; some 2021 sources already use it. Provincial name inferred (DOMAIN §1.3).",
    ),
    (
        "E_GOVERNMENT",
        2022,
        2030,
        "Xây dựng và phát triển Chính quyền điện tử, Chính quyền số",
        "E-government and digital government",
        "876/QĐ-BNV scheme. Provincial name inferred (DOMAIN §1.3).",
    ),
    (
        "IMPACT_SOCIOECONOMIC",
        2022,
        2030,
        "Tác động của cải cách hành chính đến người dân, tổ chức và phát triển kinh tế - xã hội của tỉnh",
        "Impact of PAR on citizens, organisations and socio-economic development",
        "876/QĐ-BNV scheme",
    ),
]

SOURCE_TYPE_AUTHORITY = {
    "official_workbook": 0,
    "gov_portal": 1,
    "news": 2,
    "news_aggregator": 3,
    "dataset_preview": 4,
    "mirror_of_news": 5,
}
STATUS_AUTHORITY = {"reported": 0, "derived_from_reported_change": 1, "inferred_from_listing": 2}

HUNG_YEN_ARTICLE = {
    "source_id": "hungyen-portal-2023-05-26",
    "producer": "Hưng Yên Provincial People's Committee portal (English)",
    "title": "The Provincial People's Committee deploys tasks and solutions to improve a number of "
    "administrative reform targets in Hung Yen province",
    "url": "",
    "accessed": ACCESSED,
    "licence": "public news item; figures cited with attribution",
    "decision": "PAR: 876/QĐ-BNV; SIPAS 2022; PAPI 8 dimensions",
    "kind": "gov_portal",
    "note": "News item published 2023-05-26; text kept in data/sources/hung-yen-2023-05-26-par-conference.txt",
}
# (article phrase, measure code, published change in percentage points of the component's rate)
HUNG_YEN_COMPONENT_CHANGES = [
    ("management and direction", "PAR_LEADERSHIP", "increased by 8.12%"),
    (
        "building and improving the quality of the contingent of cadres, civil servants and public employees",
        "CIVIL_SERVICE_REFORM",
        "increased by 6.65% points",
    ),
    ("administrative procedure reform", "ADMIN_PROCEDURE_REFORM", "increased by 5.95% points"),
    ("Institutional reform", "INSTITUTIONAL_REFORM", "decreased by 25%"),
    ("organizational reform of the administrative apparatus", "APPARATUS_REFORM", "decreased by 5.42%"),
    ("building and developing e-government, digital government", "E_GOVERNMENT", "decreased by 20.26%"),
]


# ---------------------------------------------------------------------------------------------
def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_csv(df: pd.DataFrame, name: str) -> Path:
    path = DATA / name
    path.parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(path, index=False, lineterminator="\n", float_format="%.10g")
    return path


def domain_csv_block(domain_md: str, header: str) -> pd.DataFrame:
    """Read a ```csv block of DOMAIN.md that starts with ``header``."""
    start = domain_md.index(header)
    block = domain_md[start : domain_md.index("```", start)]
    return pd.read_csv(io.StringIO(block), dtype=str)


# --- registry ---------------------------------------------------------------------------------
def build_units(shared: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    ref = pd.read_csv(shared / "reference/provinces.csv", dtype=str)
    xwalk = pd.read_csv(shared / "data-raw/vietnamcode-crosswalk/provinces_63_crosswalk.csv", dtype=str)
    region_code = {en: code for code, en, _ in REGIONS}
    domain = (shared / "DOMAIN.md").read_text(encoding="utf-8")
    new = domain_csv_block(domain, "new_code,new_name_vi")
    new["members"] = new["old_provinces(old_gso)"].map(lambda s: re.findall(r"\((\d\d)\)", s))
    member_of = {m: "N" + row.new_code for row in new.itertuples() for m in row.members}

    old = pd.DataFrame(
        {
            "unit_set": "VN63",
            "code": ref.gso_code,
            "name_vi": ref.name_vi,
            "name_ascii": ref.name_ascii,
            "name_en": ref.name_en,
            "slug": ref.name_ascii.map(slugify),
            "type": "",
            "region_code": ref.region_en.map(region_code),
            "successor_code": ref.gso_code.map(member_of),
            "members": "",
            "pci_code": ref.gso_code.map(dict(zip(xwalk.gso_code, xwalk.pci_code))),
            "valid_from": "",
            "valid_to": "2025-06-30",
            "note": "",
        }
    )
    assert old.region_code.notna().all() and old.successor_code.notna().all()
    # Successor names must agree with the reference crosswalk.
    new_name = dict(zip("N" + new.new_code, new.new_name_vi))
    mismatch = old[old.successor_code.map(new_name) != ref.merged_into_2025_vi]
    assert mismatch.empty, mismatch
    old.loc[old.code == "46", "note"] = "Thừa Thiên Huế became Huế city on 2025-01-01 (code unchanged)"

    by_name = dict(zip(ref.name_vi, ref.index))
    rows = []
    for r in new.itertuples():
        same = ref.loc[by_name[r.new_name_vi]] if r.new_name_vi in by_name else None
        rows.append(
            {
                "unit_set": "VN34",
                "code": "N" + r.new_code,
                "name_vi": r.new_name_vi,
                "name_ascii": fold(r.new_name_vi),
                "name_en": same.name_en if same is not None else fold(r.new_name_vi),
                "slug": slugify(r.new_name_vi) + "-2025",
                "type": r.type,
                "region_code": "",
                "successor_code": "",
                "members": "+".join(r.members),
                "pci_code": "",
                "valid_from": "2025-07-01",
                "valid_to": "",
                "note": "draft code " + r.new_code + " (sunshine-tech/VietnamProvinces list from a draft decision; "
                "official codes not verified); administrative centre in the former " + r.admin_centre_in_former,
            }
        )
    # Hà Tây (old GSO 28) appears in early PCI years (DOMAIN §4); it was merged into Hà Nội in 2008.
    former = [
        {
            "unit_set": "FORMER",
            "code": "28",
            "name_vi": "Hà Tây",
            "name_ascii": "Ha Tay",
            "name_en": "Ha Tay",
            "slug": "ha-tay",
            "type": "province",
            "region_code": "RRD",
            "successor_code": "",
            "members": "",
            "pci_code": "",
            "valid_from": "",
            "valid_to": "2008-07-31",
            "note": "merged into Hà Nội (01) from 2008-08-01 (Resolution 15/2008/QH12); appears in PCI 2005-2007",
        }
    ]
    # Centrally-run cities among the 63: the units that are cities in the 34-unit table and keep
    # their code and name (Huế became a city only on 2025-01-01, so code 46 stays a province).
    cities = {r["code"][1:] for r in rows if r["type"] == "city" and r["code"] != "N46"}
    old["type"] = old.code.map(lambda c: "city" if c in cities else "province")
    units = pd.concat([old, pd.DataFrame(rows), pd.DataFrame(former)], ignore_index=True)
    regions = pd.DataFrame(
        [(c, ref.loc[ref.region_en == en, "region_vi"].iloc[0], en, "regions_2023_res81") for c, en, _ in REGIONS],
        columns=["region_code", "name_vi", "name_en", "scheme"],
    )
    aliases = pd.DataFrame(ALIASES, columns=["code", "alias"])
    return units, regions, aliases


# --- sources ----------------------------------------------------------------------------------
class Sources:
    """Collects one row per cited source; news pages get a stable id from their address."""

    def __init__(self) -> None:
        self.rows: dict[str, dict] = {}

    def add(self, row: dict) -> str:
        self.rows.setdefault(row["source_id"], row)
        return row["source_id"]

    def web(self, url: str, source_type: str, note: str = "") -> str:
        host = re.sub(r"^(https?://)?(www\.|m\.)?", "", url).split("/")[0]
        sid = "web-" + slugify(host)[:30] + "-" + hashlib.sha1(url.encode()).hexdigest()[:8]
        if source_type == "mirror_of_news":
            note = (note + " " if note else "") + "Copy of a VietnamPlus article on a mirror domain."
        # The compilations in ../shared/data-raw record the address, not the page title; a title
        # rebuilt from the address ("... PAR inde5m0t4w") reads as garbage, so it stays empty and the
        # address identifies the page (presenters print "title not recorded").
        return self.add(
            {
                "source_id": sid,
                "producer": host,
                "title": "",
                "url": url,
                "accessed": "",
                "licence": "facts (numbers) from a public web page; cited with its address",
                "decision": "",
                "kind": source_type,
                "note": note
                or "Title and date accessed not recorded by the compilation; the address identifies the page.",
            }
        )


# --- PAPI -------------------------------------------------------------------------------------
def build_papi(shared: Path, sources: Sources):
    raw = shared / "data-raw/papi-consolidated"
    long = pd.read_csv(raw / "papi_long_2011_2024.csv", dtype={"gso_code": str})
    ranks = pd.read_csv(raw / "papi_totals_ranks_2011_2024.csv", dtype={"gso_code": str})
    ind = pd.read_csv(raw / "papi_indicators_2018_2019_2022_2023.csv", dtype={"gso_code": str})

    src_of = {
        "vietnamdata-mdtrinh": (
            "papi-official-2011-2016",
            "Official PAPI file 2011-2016 (PAPI_2011-2016.xlsx)",
            "https://github.com/mdtrinh/vietnamdata/blob/be581b8d5b1f0c6a747199fe23d8a77e55396e17/data-raw/PAPI/PAPI_2011-2016.xlsx",
            "CC0 (vietnamdata package); data © CECODES/VFF-CRT/UNDP, papi.org.vn",
        ),
        "cs571-hungnt1st": (
            "papi-official-2015-2023",
            "Official PAPI workbook 2015-2023 compiled from papi.org.vn downloads (PAPI-2015-2023.xlsm)",
            "https://github.com/HungNT1st/CS571_Project/tree/7d6415f82851f9c024dd4a540064472727c8dfe2/data",
            "no licence file; sheets say 'Copyright @CECODES, VFF-CRT, RTA and UNDP (2023). WWW.PAPI.ORG.VN'; cite PAPI/UNDP",
        ),
        "hnks-gh": (
            "papi-panel-2011-2024",
            "PAPI sub-dimension panel 2011-2024 (data/csv/YYYY.csv)",
            "https://github.com/hnks-gh/ml-mcdm/tree/d165721ef5b79e96a1f9daa013612eef57d31734/data",
            "MIT (© 2026 Son Hoang); underlying data © CECODES/VFF-CRT/RTA/UNDP, papi.org.vn",
        ),
    }
    for sid, title, url, lic in src_of.values():
        sources.add(
            {
                "source_id": sid,
                "producer": "CECODES, VFF-CRT/RTA and UNDP Viet Nam (PAPI)",
                "title": title,
                "url": url,
                "accessed": ACCESSED,
                "licence": lic,
                "decision": "PAPI methodology (6 dimensions to 2017, 8 from 2018)",
                "kind": "official_workbook",
                "note": "",
            }
        )

    def source_id(s: str) -> str:
        if s == "derived: sum of hnks sub-dimensions":
            return src_of["hnks-gh"][0]
        if s == "derived: sum of 2017 dimensions":
            return src_of["cs571-hungnt1st"][0]
        return next(v[0] for k, v in src_of.items() if s.startswith(k) or s.startswith("papi-" + k))

    long["source_id"] = long.source.map(source_id)
    suffix = long.code.str.extract(r"^(.*?)(_CI_LOW|_CI_HIGH|_SE)?$")
    long["base"], long["part"] = suffix[0], suffix[1].fillna("")
    long["measure"] = long.base.replace({"TOTAL_UNWEIGHTED": "TOTAL"})
    main = long[long.part == ""].copy()
    for part, col in [("_CI_LOW", "ci_low"), ("_CI_HIGH", "ci_high"), ("_SE", "se")]:
        p = long[long.part == part][["year", "gso_code", "measure", "value"]].rename(columns={"value": col})
        main = main.merge(p, on=["year", "gso_code", "measure"], how="left")
    rk = ranks.rename(columns={"rank_computed": "rank", "n_provinces_ranked": "n_ranked"})
    main = main.merge(
        rk[["year", "gso_code", "rank", "n_ranked"]].assign(measure="TOTAL"),
        on=["year", "gso_code", "measure"],
        how="left",
    )
    main["rank_basis"] = main["rank"].notna().map({True: "computed", False: ""})
    main["index_code"] = "PAPI"
    main["province_code"] = main.gso_code
    main["rank_source_id"] = ""
    main["status"] = "reported"
    main["note"] = main.note.fillna("")
    # Sums computed by the consolidation are marked derived (see papi-consolidated/PROVENANCE.md).
    derived = main.source.str.startswith("derived")
    main.loc[derived, "status"] = "derived"
    main.loc[derived, "note"] = (main.loc[derived, "source"] + "; " + main.loc[derived, "note"]).str.strip("; ")
    # Bounds printed equal to the score with no standard error (PAPI 2022: Sóc Trăng, Bạc Liêu, Cà Mau
    # totals) are a missing interval, not an exact score.
    zero = main.se.isna() & main.ci_low.notna() & (main.ci_low == main.ci_high)
    main.loc[zero, ["ci_low", "ci_high"]] = None
    main.loc[zero, "note"] = (
        main.loc[zero, "note"] + "; bounds printed equal to the score with no standard "
        "error: interval treated as missing, not exact"
    ).str.strip("; ")
    scores = main[SCORE_COLUMNS].sort_values(["year", "province_code", "measure"])

    ind = ind.assign(
        index_code="PAPI",
        province_code=ind.gso_code,
        measure=ind.code,
        source_id=ind.source.map(source_id),
        rank=pd.NA,
        n_ranked=pd.NA,
        rank_basis="",
        ci_low=pd.NA,
        ci_high=pd.NA,
        se=pd.NA,
        rank_source_id="",
        status="reported",
        note=ind.note.fillna(""),
    )
    indicators = ind[SCORE_COLUMNS].sort_values(["year", "province_code", "measure"])

    labels = pd.concat([long[long.part == ""], ind.assign(measure=ind.code)])
    return scores, indicators, labels


def papi_measures(labels: pd.DataFrame) -> pd.DataFrame:
    """One metadata row per PAPI measure and run of years with the same labels and scale."""
    labels = labels.copy()
    labels["measure"] = labels["measure"].fillna(labels["code"])
    labels = labels[~labels.measure.str.endswith(("_CI_LOW", "_CI_HIGH", "_SE"))]
    first = (
        labels.sort_values("year")
        .groupby(["measure", "year"], as_index=False)
        .agg(
            level=("level", "first"),
            label_en=("label_en", "first"),
            label_vi=("label_vi", "first"),
            scale=("scale", "first"),
        )
    )
    rows = []
    for measure, g in first.groupby("measure"):
        g = g.fillna("")
        key = g[["label_en", "label_vi", "scale", "level"]].astype(str).agg("|".join, axis=1)
        run = (key != key.shift()).cumsum()
        for _, r in g.groupby(run):
            rows.append((measure, int(r.year.min()), int(r.year.max()), r.iloc[0]))
    out = []
    for measure, y0, y1, r in rows:
        level = {"total": "total", "dimension": "component", "subdimension": "sub-component", "indicator": "indicator"}[
            r.level
        ]
        if measure == "TOTAL":
            lo, hi = (6, 60) if y1 <= 2017 else (8, 80)
            name_en, name_vi = "PAPI (unweighted total)", "Chỉ số PAPI (tổng không trọng số)"
        elif measure.startswith("TOTAL_WEIGHTED"):
            lo, hi = (None, None)
            name_en, name_vi = "PAPI (weighted total)", "Chỉ số PAPI (tổng có trọng số)"
        else:
            name_en, name_vi = r.label_en, r.label_vi
            m = re.match(r"^\s*([\d.]+)\s*-\s*([\d.]+)\s*$", str(r.scale))
            if level == "component":
                lo, hi = 1, 10
            elif m and level == "sub-component":
                lo, hi = float(m.group(1)), float(m.group(2))
            else:  # indicator scales as printed are not reliable (proportions above 1, counts)
                lo, hi = None, None
        parent = "" if level == "total" else "TOTAL" if level == "component" else measure.split(".")[0]
        out.append(
            {
                "index_code": "PAPI",
                "measure": measure,
                "first_year": y0,
                "last_year": y1,
                "level": level,
                "parent": parent,
                "name_vi": name_vi,
                "name_en": name_en,
                "unit": "as printed" if level == "indicator" else "points",
                "scale_min": lo,
                "scale_max": hi,
                "direction": "unknown" if level == "indicator" else "higher_is_better",
                "decision": "PAPI methodology, " + ("6 dimensions" if y1 <= 2017 else "8 dimensions"),
                "note": ("scale as printed: " + str(r.scale)) if r.scale else "",
            }
        )
    return pd.DataFrame(out)


# PAPI names. The official files print numbering prefixes ("Chỉ số nội dung 1: ", "Dimension 1: ",
# "1.1: ") and footnote marks ("*": see the report's notes) that are not part of a name; the
# 2022-2023 English sheet has three misspellings. These are removed or corrected here, never in raw.
PAPI_NAME_PREFIX = re.compile(r"^\s*(?:Chỉ số nội dung \d+|Dimension \d+|\d+\.\d+)\s*:\s*")
PAPI_SPELLING = {"Opportunties": "Opportunities", "Land Tittle": "Land Title", "E-Reponsiveness": "E-Responsiveness"}
# Sub-dimension codes whose content changed in a year (the code was reused for another
# sub-dimension): papi-consolidated labels (official 2011-2016 headers, 2018+ workbook),
# papi-hnks-gh/PROVENANCE.md ("positions follow the pre-2018 order") and DOMAIN §3.3.
PAPI_REDEFINED = {("D2.1", 2018), ("D2.2", 2018), ("D2.3", 2018), ("D3.2", 2016), ("D3.3", 2016), ("D3.3", 2018)}


def clean_papi_name(name: str) -> str:
    name = PAPI_NAME_PREFIX.sub("", str(name or "")).strip().rstrip("*").strip()
    for wrong, right in PAPI_SPELLING.items():
        name = name.replace(wrong, right)
    return name


def domain_papi_dimensions(domain_md: str) -> dict[str, tuple[str, str]]:
    """The 8 PAPI dimension names (EN, VI) of DOMAIN §3.2 (papi.org.vn Q&A and PAPI/PCI page)."""
    block = domain_md[domain_md.index("### 3.2 Dimensions") : domain_md.index("### 3.3")]
    out = {}
    for m in re.finditer(r"^\| (\d) \| ([^|]+?) \| ([^|]+?) \| (\d{4}) \|$", block, re.M):
        out["D" + m.group(1)] = (m.group(2).strip(), m.group(3).strip())
    assert len(out) == 8, out
    return out


def papi_names(measures: pd.DataFrame, domain_md: str) -> pd.DataFrame:
    """Clean per-year PAPI names, fill years without a printed name, add one display name per
    measure (and per content, where a sub-dimension code was reused), and say where each came from."""
    m = measures.copy()
    dims = domain_papi_dimensions(domain_md)
    src = []
    for i, r in m.iterrows():
        raw_vi, raw_en = str(r.name_vi or ""), str(r.name_en or "")
        vi, en = clean_papi_name(raw_vi), clean_papi_name(raw_en)
        notes = []
        if r.measure in dims and not vi:
            vi = dims[r.measure][1]
            notes.append("vi: DOMAIN §3.2 (papi.org.vn), no name printed in this year's data file")
        if r.measure in dims and not en:
            en = dims[r.measure][0]
            notes.append("en: DOMAIN §3.2, no name printed in this year's data file")
        if r.level == "total":
            notes.append("parlib label")
        elif r.first_year <= 2017:
            notes.append("official 2011-2016 bilingual header (papi-consolidated; 2017 by position)")
        elif r.first_year in (2020, 2021, 2024) and r.measure not in dims:
            notes.append("en: hnks-gh codebook; vi: papi-consolidated label (hnks-gh files have no Vietnamese header)")
        elif r.first_year in (2020, 2021, 2024):
            notes.append("en: papi-consolidated label")
        elif r.level != "indicator":
            notes.append("official workbook of the year (papi-cs571-hungnt1st)")
        if (vi, en) != (raw_vi, raw_en) and raw_vi and raw_en:
            notes.append("numbering prefix, footnote mark or misspelling removed")
        m.at[i, "name_vi"], m.at[i, "name_en"] = vi, en
        src.append("; ".join(notes))
    m["name_source"] = src
    # Display names: dimensions from DOMAIN §3.2; others the latest name of the same content.
    span = []
    for r in m.itertuples():
        starts = [y for (code, y) in PAPI_REDEFINED if code == r.measure and y <= r.first_year]
        span.append(max(starts) if starts else 0)
    m["_span"] = span
    latest = m.sort_values("first_year").groupby(["measure", "_span"]).last()
    m["display_en"] = [dims[x][0] if x in dims else latest.loc[(x, s), "name_en"] for x, s in zip(m.measure, m._span)]
    m["display_vi"] = [dims[x][1] if x in dims else latest.loc[(x, s), "name_vi"] for x, s in zip(m.measure, m._span)]
    # Indicator codes are row positions in each year's sheet (papi-consolidated/PROVENANCE.md): the
    # same code means different questions in different years, so each keeps its own name.
    ind = m.level == "indicator"
    m.loc[ind, "display_en"], m.loc[ind, "display_vi"] = m.loc[ind, "name_en"], m.loc[ind, "name_vi"]
    return m.drop(columns="_span")


# A sub-dimension is flagged as rescaled between two consecutive years when its national mean
# (simple mean over provinces) changes by at least a quarter (ratio <= 0.8 or >= 1.25) AND by at
# least one between-province standard deviation. Ordinary year-on-year movements of a
# sub-dimension's national mean are a few percent and well inside one SD; the flagged cases
# coincide with the known re-specifications (2016 D3 rebuild, 2018 eight-dimension structure,
# D5.2 dropped in 2021). The printed scale of these sub-dimensions (e.g. 0.33-3.33) did not
# change, so the shift can only be seen in the data: it is recorded as observed, not published.
RESCALE_RATIO = (0.8, 1.25)
RESCALE_MIN_SD = 1.0


def papi_scale_shifts(papi: pd.DataFrame) -> pd.DataFrame:
    """Observed rescalings of PAPI sub-dimensions between consecutive years (see RESCALE_RATIO)."""
    sub = papi[papi.measure.str.fullmatch(r"D\d\.\d") & papi.value.notna()]
    g = sub.groupby(["measure", "year"]).value.agg(["mean", "std", "count"]).reset_index()
    rows = []
    for measure, x in g.groupby("measure"):
        x = x.sort_values("year")
        for a, b in zip(x.iloc[:-1].itertuples(), x.iloc[1:].itertuples()):
            if b.year != a.year + 1 or (measure, b.year) in PAPI_REDEFINED:
                continue
            sd = ((a.std**2 + b.std**2) / 2) ** 0.5
            ratio, shift = b.mean / a.mean, (b.mean - a.mean) / sd
            if (ratio <= RESCALE_RATIO[0] or ratio >= RESCALE_RATIO[1]) and abs(shift) >= RESCALE_MIN_SD:
                rows.append(
                    {
                        "index_code": "PAPI",
                        "measure": measure,
                        "year": b.year,
                        "base_year": a.year,
                        "base_mean": round(a.mean, 4),
                        "mean": round(b.mean, 4),
                        "base_sd": round(a.std, 4),
                        "sd": round(b.std, 4),
                        "ratio": round(ratio, 3),
                        "sd_shift": round(shift, 2),
                        "n_base": a.count,
                        "n": b.count,
                        "note": "observed in scores/papi.csv: national mean changed by "
                        f"{(ratio - 1) * 100:+.0f}% ({shift:+.1f} between-province SD); "
                        "printed scale unchanged",
                    }
                )
    return pd.DataFrame(rows)


# --- PAR / SIPAS facts ------------------------------------------------------------------------
def load_facts(shared: Path) -> pd.DataFrame:
    a = pd.read_csv(shared / "data-raw/news-par-sipas-papi/news_facts_par_sipas_papi.csv", dtype=str)
    b = pd.read_csv(shared / "data-raw/par-sipas-tables/par_sipas_province_facts.csv", dtype=str)
    a["file"], b["file"] = (
        "news-par-sipas-papi/news_facts_par_sipas_papi.csv",
        "par-sipas-tables/par_sipas_province_facts.csv",
    )
    a["line"], b["line"] = a.index + 2, b.index + 2
    facts = pd.concat([a, b], ignore_index=True).fillna("")
    facts["year"] = facts.year.astype(int)
    facts["kind"] = facts.metric.str.split(":").str[0]
    facts["area"] = facts.metric.str.split(":").str[1].fillna("").str.upper()
    region = {news: code for code, _, news in REGIONS}
    facts["area_code"] = facts.gso_code.where(
        facts.gso_code != "",
        facts.province_en.map(lambda p: "VN" if p == "NATIONAL" else region.get(p.removeprefix("REGION:"), "?")),
    )
    assert (facts.area_code != "?").all()
    facts["authority"] = facts.value_status.map(STATUS_AUTHORITY) * 10 + facts.source_type.map(SOURCE_TYPE_AUTHORITY)
    assert facts.authority.notna().all(), facts[facts.authority.isna()]
    return facts


def pick(group: pd.DataFrame, conflicts: list, field: str) -> pd.Series:
    """The most authoritative row of a group of facts for one key; losers that disagree are recorded."""
    g = group.sort_values(["authority", "line"])
    best = g.iloc[0]
    for _, other in g.iloc[1:].iterrows():
        if float(other.value) != float(best.value):
            conflicts.append(
                {
                    "index_code": best["index"],
                    "year": best.year,
                    "area_code": best.area_code,
                    "measure": best.area or "TOTAL",
                    "field": field,
                    "kept_value": best.value,
                    "kept_source_id": best.source_id,
                    "kept_status": best.value_status,
                    "other_value": other.value,
                    "other_source_id": other.source_id,
                    "other_status": other.value_status,
                    "reason": "kept the more authoritative source (reported over derived; government portal "
                    "over news over aggregators/previews/mirrors)",
                    "note": " | ".join(x for x in (best.note, other.note) if x)[:300],
                }
            )
    return best


# Published figures that contradict the published ranking of their index-year (a higher score with
# the same or a worse rank). Each case is decided from the sources in ../shared/data-raw
# (par-sipas-tables, news-par-sipas-papi); the weaker figure is withheld from the score table and
# written to scores/conflicts.csv (kind rank_order) with both sources. A build that finds a
# contradiction not listed here stops (see check_rank_order_build).
RANK_ORDER_RESOLUTIONS = [
    {
        "index": "PAR",
        "year": 2022,
        "gso_code": "70",
        "field": "rank",
        "value": "29",
        "withhold_url": "https://vietnamnet.vn/binh-phuoc-phan-dau-nang-cao-cac-chi-so-cchc-va-nang-luc-canh-tranh-2155771.html",
        "reason": "Bình Phước 84.46% 'rank 29' (one news article, VietNamNet) contradicts six published "
        "figures: Ninh Thuận 85.78% is 29th (Ninh Thuận Department of Home Affairs portal), and "
        "Tuyên Quang 85.34% 32nd (derived by the compiler from a news report), Nam Định 84.86% 34th, TP.HCM 84.70% 36th, Đắk Nông 84.66% 37th, "
        "Đắk Lắk 84.47% 38th (news); with 84.46% Bình Phước can rank 39th at best. The same article's "
        "score agrees with all of them and is kept; the rank is withheld (the compiler also marked it "
        "DOUBTFUL: below the 2022 national mean 84.79%).",
    },
    {
        "index": "PAR",
        "year": 2023,
        "gso_code": "96",
        "field": "rank",
        "value": "32",
        "withhold_url": "http://Kinhtedothi.vn/chi-so-cai-cach-hanh-chinh-dung-thu-ba-khu-vuc-dong-bang-song-cuu-long.html",
        "reason": "Cà Mau 86.89% '32nd' (Kinh tế & Đô thị) contradicts Đồng Nai 87.04% 32nd (vietnam.vn) and "
        "TP.HCM 86.97% 33rd (cadn.com.vn, with the score confirmed by SGGP): a lower score cannot "
        "share 32nd or rank above 33rd. Báo Cà Mau, the province's own paper, prints 'Cà Mau đứng ở "
        "vị trí 34, đạt 86,89 điểm' (its address says 32, its text 34); 34th is consistent with every "
        "other published figure and is kept; 32nd (also in a German translation on vrviet.vn, per the "
        "compiler's note) is withheld.",
    },
]


def check_rank_order_build(out: pd.DataFrame, facts: pd.DataFrame) -> None:
    """Stop the build if the PAR/SIPAS table would contain a contradiction not resolved above."""
    from parlib.data.consistency import rank_order_contradictions

    bad = rank_order_contradictions(out)
    if bad.empty:
        return
    lines = []
    for r in bad.itertuples():
        a, b = out.iloc[int(r.row)], out.iloc[int(r.other_row)]
        lines.append(
            f"  {r.index_code} {r.year} {r.measure}: {r.province_code} {r.value:g} rank {r.rank} "
            f"(value {a.source_id}, rank {a.rank_source_id}) vs {r.other_province_code} {r.other_value:g} "
            f"rank {r.other_rank} (value {b.source_id}, rank {b.rank_source_id})"
        )
    raise SystemExit(
        "build_data: published ranks contradict published scores (a higher score with the same or a "
        "worse rank):\n" + "\n".join(lines) + "\nDecide from the sources which figure is wrong and "
        "add a case to RANK_ORDER_RESOLUTIONS in tools/build_data.py (it is then withheld and kept "
        "in scores/conflicts.csv); nothing was written for this run's score tables."
    )


def build_par_sipas(shared: Path, sources: Sources, papi: pd.DataFrame):
    facts = load_facts(shared)
    facts["source_id"] = [sources.web(u, t) for u, t in zip(facts.source_url, facts.source_type)]
    conflicts: list[dict] = []

    # SIPAS before 2017 (a dataset preview's pilot figures) is not the national index: kept as facts.
    prov = facts[
        (facts.gso_code != "")
        & facts["index"].isin(["PAR", "SIPAS"])
        & ~((facts["index"] == "SIPAS") & (facts.year < 2017))
    ]
    withheld_rows = []
    for case in RANK_ORDER_RESOLUTIONS:
        hit = (
            (prov["index"] == case["index"])
            & (prov.year == case["year"])
            & (prov.gso_code == case["gso_code"])
            & (prov.kind == case["field"])
            & (prov.area == "")
            & (prov.source_url == case["withhold_url"])
            & (prov.value == case["value"])
        )
        assert hit.sum() == 1, ("RANK_ORDER_RESOLUTIONS case no longer matches one fact", case)
        withheld_rows.append((case, prov[hit].iloc[0]))
        prov = prov[~hit]
    levels = prov[prov.kind.isin(["score", "component_points"])]
    ranked = prov[(prov.kind.isin(["rank", "component_rank"])) & (prov.unit == "of 63")]
    rows: dict[tuple, dict] = {}
    for (idx, year, code, area), g in levels.groupby(["index", "year", "gso_code", "area"]):
        best = pick(g, conflicts, "value")
        rows[(idx, year, code, area or "TOTAL")] = {
            "value": float(best.value),
            "source_id": best.source_id,
            "status": best.value_status,
            "note": best.note,
        }
    for (idx, year, code, area), g in ranked.groupby(["index", "year", "gso_code", "area"]):
        best = pick(g, conflicts, "rank")
        r = rows.setdefault(
            (idx, year, code, area or "TOTAL"),
            {"value": None, "source_id": best.source_id, "status": best.value_status, "note": ""},
        )
        r.update(rank=int(float(best.value)), n_ranked=63, rank_basis="published", rank_source_id=best.source_id)
        if best.value_status != "reported":
            r["note"] = "; ".join(x for x in (r["note"], "rank " + best.value_status + ": " + best.note) if x)

    # Hưng Yên 2022 conference article (../shared/sources/): ranks published without scores.
    sid = sources.add(HUNG_YEN_ARTICLE)
    for idx, rank in [("PAR", 12), ("SIPAS", 6)]:
        assert (idx, 2022, "33", "TOTAL") not in rows
        rows[(idx, 2022, "33", "TOTAL")] = {
            "value": None,
            "source_id": sid,
            "status": "reported",
            "rank": rank,
            "n_ranked": 63,
            "rank_basis": "published",
            "rank_source_id": sid,
            "note": "rank published without a score",
        }
    out = pd.DataFrame(
        [{"index_code": k[0], "year": k[1], "province_code": k[2], "measure": k[3], **v} for k, v in rows.items()]
    )
    for c in ("rank", "n_ranked", "rank_source_id"):
        if c not in out:
            out[c] = None
    check_rank_order_build(out, facts)
    for case, f in withheld_rows:
        key = (case["index"], case["year"], case["gso_code"], "TOTAL")
        kept = rows.get(key, {})
        kept_value = kept.get(case["field"] if case["field"] == "rank" else "value")
        trial = out.copy()
        i = trial.index[
            (trial.index_code == key[0])
            & (trial.year == key[1])
            & (trial.province_code == key[2])
            & (trial.measure == "TOTAL")
        ]
        trial.loc[i, "rank" if case["field"] == "rank" else "value"] = float(f.value)
        from parlib.data.consistency import rank_order_contradictions

        pairs = rank_order_contradictions(trial)
        pairs = pairs[(pairs.province_code == key[2]) | (pairs.other_province_code == key[2])]
        against = []
        for r in pairs.itertuples():
            o = r.other_province_code if r.province_code == key[2] else r.province_code
            orow = out[
                (out.index_code == key[0]) & (out.year == key[1]) & (out.province_code == o) & (out.measure == "TOTAL")
            ].iloc[0]
            against.append(f"{o} {orow.value:g} rank {int(orow['rank'])} ({orow.rank_source_id})")
        conflicts.append(
            {
                "index_code": case["index"],
                "year": case["year"],
                "area_code": case["gso_code"],
                "measure": "TOTAL",
                "field": case["field"],
                "kept_value": "" if kept_value is None or pd.isna(kept_value) else kept_value,
                "kept_source_id": kept.get("rank_source_id", "") if kept_value is not None else "",
                "kept_status": kept.get("status", "") if kept_value is not None else "",
                "other_value": f.value,
                "other_source_id": f.source_id,
                "other_status": f.value_status,
                "reason": "withheld: contradicts the published ranking. " + case["reason"],
                "note": f.note[:300],
                "kind": "rank_order",
                "contradicts": "; ".join(against),
            }
        )
    out["status"] = out.status.replace({"derived_from_reported_change": "derived", "inferred_from_listing": "inferred"})

    # PAPI ranks published in news / the article: confirm the computed rank or record a conflict.
    papi = papi.copy()
    pub = facts[(facts["index"] == "PAPI") & (facts.kind == "rank") & (facts.gso_code != "")]
    pub = pd.concat(
        [
            pub,
            pd.DataFrame(
                [{"index": "PAPI", "year": 2022, "gso_code": "33", "value": "11", "source_id": sid, "unit": "of 63"}]
            ),
        ]
    )
    key = papi.set_index(["year", "province_code", "measure"]).index
    for r in pub.itertuples():
        i = key.get_loc((r.year, r.gso_code, "TOTAL"))
        if int(float(r.value)) == papi.iloc[i]["rank"]:
            papi.iloc[i, papi.columns.get_loc("rank_basis")] = "published"
            papi.iloc[i, papi.columns.get_loc("rank_source_id")] = r.source_id
        else:
            conflicts.append(
                {
                    "index_code": "PAPI",
                    "year": r.year,
                    "area_code": r.gso_code,
                    "measure": "TOTAL",
                    "field": "rank",
                    "kept_value": papi.iloc[i]["rank"],
                    "kept_source_id": papi.iloc[i]["source_id"],
                    "kept_status": "computed",
                    "other_value": r.value,
                    "other_source_id": r.source_id,
                    "other_status": "reported",
                    "reason": "rank computed from the official PAPI scores kept; the published rank "
                    "(" + r.unit + ") disagrees",
                    "note": "",
                }
            )

    # Aggregates: national and regional means, medians and ranges.
    agg = facts[
        facts.kind.isin(["mean", "mean_provinces", "median", "range"]) & facts["index"].isin(["PAR", "SIPAS", "PAPI"])
    ]
    arows = []
    for r in agg.itertuples():
        if r.kind == "range":
            lo, hi = (float(x) for x in re.split(r"\s*[-–]\s*", r.value))
            arows += [(r, "min", lo), (r, "max", hi)]
        else:
            arows.append((r, "median" if r.kind == "median" else "mean", float(r.value)))
    aggregates = pd.DataFrame(
        [
            {
                "index_code": r.index,
                "year": r.year,
                "area_code": r.area_code,
                "measure": "TOTAL",
                "statistic": stat,
                "value": v,
                "source_id": r.source_id,
                "status": r.value_status,
                "note": r.note,
                "authority": r.authority,
                "line": r.line,
            }
            for r, stat, v in arows
        ]
    )
    kept = []
    for _, g in aggregates.groupby(["index_code", "year", "area_code", "measure", "statistic"]):
        best = g.sort_values(["authority", "line"]).iloc[0]
        for _, o in g.iterrows():
            if o.value != best.value:
                conflicts.append(
                    {
                        "index_code": best.index_code,
                        "year": best.year,
                        "area_code": best.area_code,
                        "measure": "TOTAL",
                        "field": best.statistic,
                        "kept_value": best.value,
                        "kept_source_id": best.source_id,
                        "kept_status": best.status,
                        "other_value": o.value,
                        "other_source_id": o.source_id,
                        "other_status": o.status,
                        "reason": "kept the more authoritative source",
                        "note": o.note[:300],
                    }
                )
        kept.append(best)
    aggregates = pd.DataFrame(kept).drop(columns=["authority", "line"])
    aggregates["status"] = aggregates.status.replace({"derived_from_reported_change": "derived"})

    # Published changes (not levels).
    ch = facts[
        facts.kind.isin(
            ["component_change_pp", "component_change_points", "component_rank_change", "score_change", "rank_change"]
        )
    ]
    crow = []
    for r in ch.itertuples():
        parts = (
            [(r.area or "TOTAL", r.value)]
            if r.area or r.kind in ("score_change", "rank_change")
            else [
                (PAR_NAME_TO_CODE[m.group(1).strip()], m.group(2))
                for m in re.finditer(r"([A-Za-z ]+?)\s*([+-]\d+(?:\.\d+)?)", r.value)
            ]
        )
        for measure, val in parts:
            is_rank = r.kind.endswith("rank_change")
            crow.append(
                {
                    "index_code": r.index,
                    "year": r.year,
                    "base_year": r.year - 1,
                    "area_code": r.area_code,
                    "measure": measure,
                    "delta": None if is_rank else float(val),
                    "rank_change": int(float(val)) if is_rank else None,
                    "unit": "places" if is_rank else ("points" if "points" in r.kind else "percentage points"),
                    "source_id": r.source_id,
                    "status": r.value_status,
                    "note": r.note,
                }
            )
    for phrase, measure, text in HUNG_YEN_COMPONENT_CHANGES:
        value = float(re.search(r"(\d+(?:\.\d+)?)", text).group(1))
        crow.append(
            {
                "index_code": "PAR",
                "year": 2022,
                "base_year": 2021,
                "area_code": "33",
                "measure": measure,
                "delta": value if text.startswith("increased") else -value,
                "rank_change": None,
                "unit": "percentage points",
                "source_id": sid,
                "status": "reported",
                "note": f"'{phrase} {text}' (percentage points of the component's achievement rate)",
            }
        )
    changes = pd.DataFrame(crow)
    changes["status"] = changes.status.replace({"derived_from_reported_change": "derived"})

    # Component maxima printed with component points ("points of 13").
    mx = prov[prov.unit.str.match(r"points (lost )?of [\d.]+$") & prov.kind.str.startswith("component")]
    maxima = (
        mx.assign(measure=mx.area, scale_max=mx.unit.str.extract(r"of ([\d.]+)")[0].astype(float))
        .sort_values(["authority", "line"])
        .groupby(["index", "year", "measure", "scale_max"], as_index=False)
        .first()
    )
    dup = maxima.duplicated(["index", "year", "measure"], keep=False)
    maxima.loc[dup, "note"] = "sources disagree on this maximum"
    maxima = maxima.rename(columns={"index": "index_code"})[
        ["index_code", "year", "measure", "scale_max", "source_id", "note"]
    ]

    # Everything else that was published stays citable as a fact.
    used = set(levels.index) | set(ranked.index) | set(agg.index) | set(ch.index) | {f.name for _, f in withheld_rows}
    other = facts[~facts.index.isin(used)]
    facts_out = other.assign(index_code=other["index"], measure=other.area.replace("", "TOTAL"))[
        ["index_code", "year", "area_code", "kind", "measure", "value", "unit", "source_id", "value_status", "note"]
    ].rename(columns={"kind": "metric", "value_status": "status"})
    facts_out["status"] = facts_out.status.replace(
        {"derived_from_reported_change": "derived", "inferred_from_listing": "inferred"}
    )
    for c in ["rank", "n_ranked", "rank_basis", "rank_source_id", "ci_low", "ci_high", "se"]:
        if c not in out:
            out[c] = None
    out["rank_basis"] = out.rank_basis.fillna("")
    out["rank_source_id"] = out.rank_source_id.fillna("")
    out["note"] = out.note.fillna("")
    scores = out[SCORE_COLUMNS].sort_values(["index_code", "year", "province_code", "measure"])
    conflicts = pd.DataFrame(conflicts)
    conflicts["kind"] = conflicts["kind"].fillna("sources_disagree")
    conflicts["contradicts"] = conflicts["contradicts"].fillna("")
    return scores, papi, aggregates, changes, maxima, facts_out, conflicts


PAR_NAME_TO_CODE = {
    "Impact": "IMPACT_SOCIOECONOMIC",
    "Public finance": "PUBLIC_FINANCE_REFORM",
    "Institutional reform": "INSTITUTIONAL_REFORM",
}


# --- metadata ---------------------------------------------------------------------------------
def build_measures(
    papi_labels: pd.DataFrame, pci_measures: pd.DataFrame | None, domain_md: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    periods = pd.DataFrame(
        PERIODS, columns=["index_code", "period", "first_year", "last_year", "decision", "label_en", "label_vi", "note"]
    )
    par = [
        {
            "index_code": "PAR",
            "measure": "TOTAL",
            "first_year": 2012,
            "last_year": 2030,
            "level": "total",
            "parent": "",
            "name_vi": "Chỉ số cải cách hành chính (PAR INDEX)",
            "name_en": "PAR INDEX",
            "unit": "percent",
            "scale_min": 0,
            "scale_max": 100,
            "direction": "higher_is_better",
            "decision": "see periods",
            "note": "published as % of 100 points, 2 decimals",
        }
    ]
    for code, y0, y1, vi, en, note in PAR_COMPONENTS:
        par.append(
            {
                "index_code": "PAR",
                "measure": code,
                "first_year": y0,
                "last_year": y1,
                "level": "component",
                "parent": "TOTAL",
                "name_vi": vi,
                "name_en": en,
                "unit": "points",
                "scale_min": 0,
                "scale_max": None,
                "direction": "higher_is_better",
                "decision": "see periods",
                "note": "; ".join(
                    x
                    for x in (
                        note,
                        "maximum points per year unknown; published maxima in scores/par_component_maxima.csv",
                    )
                    if x
                ),
            }
        )
    sipas = [
        {
            "index_code": "SIPAS",
            "measure": "TOTAL",
            "first_year": 2017,
            "last_year": 2030,
            "level": "total",
            "parent": "",
            "name_vi": "Chỉ số hài lòng về sự phục vụ hành chính (SIPAS)",
            "name_en": "SIPAS (Satisfaction Index of Public Administration Services)",
            "unit": "percent",
            "scale_min": 0,
            "scale_max": 100,
            "direction": "higher_is_better",
            "decision": "see periods",
            "note": "component list and weights under 1001/QĐ-BNV not verified",
        }
    ]
    par_df, sipas_df = pd.DataFrame(par), pd.DataFrame(sipas)
    par_df["name_source"] = [
        "parlib label" if r.measure == "TOTAL" else "../shared/data-raw/par-sipas-tables/PROVENANCE.md; DOMAIN §1.3"
        for r in par_df.itertuples()
    ]
    sipas_df["name_source"] = "parlib label (DOMAIN §2)"
    parts = [par_df, sipas_df, papi_names(papi_measures(papi_labels), domain_md)]
    if pci_measures is not None:
        parts.append(pci_measures.assign(name_source="VCCI PCI workbooks (tools/build_pci.py)"))
    measures = pd.concat(parts, ignore_index=True)
    for lang in ("en", "vi"):  # one display name per measure: its latest name, unless set above
        latest = measures.sort_values("first_year").groupby(["index_code", "measure"])["name_" + lang].transform("last")
        col = "display_" + lang
        measures[col] = (
            measures[col].where(measures[col].notna() & (measures[col] != ""), latest) if col in measures else latest
        )
    return measures, periods


def decisions_cited(source_id: str, tables: list[pd.DataFrame], periods: pd.DataFrame) -> str:
    """The methodology decisions in force for the index-years a source is cited for."""
    pairs = set()
    for t in tables:
        hit = t[(t.source_id == source_id) | (t.get("rank_source_id", t.source_id) == source_id)]
        pairs |= set(zip(hit.index_code, hit.year))
    names = set()
    for idx, year in pairs:
        p = periods[(periods.index_code == idx) & (periods.first_year <= year) & (periods.last_year >= year)]
        names |= {f"{idx} {year}: {d}" for d in p.decision}
    return "; ".join(sorted(names))


# --- manifest ---------------------------------------------------------------------------------
DESCRIPTIONS = {
    "meta/units.csv": "Province registry: 63 units (VN63, to 2025-06-30) and 34 units (VN34, from 2025-07-01)",
    "meta/indices.csv": "Facts per index: names, publisher, unit, colour, component word, group scheme, "
    "import header aliases, score files",
    "meta/regions.csv": "Six socio-economic regions (Resolution 81/2023/QH15)",
    "meta/aliases.csv": "Spelling variants of province names (DOMAIN §6.2)",
    "meta/periods.csv": "Methodology periods per index",
    "meta/measures.csv": "Measures per index and years: level, parent, names, display names, unit, scale, direction",
    "meta/scale_shifts.csv": "PAPI sub-dimensions whose national mean shifted like a rescaling between two years",
    "meta/themes.csv": "Shared themes across the indices: which PAR area, PAPI dimension, PCI sub-index and SIPAS read the same question, each link with its reason",
    "meta/publication_scope.csv": "Years in which a publisher printed figures for only part of the provinces (PCI from 2023: top 30)",
    "meta/fields.csv": "Coverage: per index-year, the publisher's field (provinces ranked or scored), its scope and source",
    "meta/ranks_as_written.csv": "Ranks a source printed over a larger field than the publisher's (the '/63' wording)",
    "meta/not_ranked.csv": "Coverage: provinces a publisher did not score or rank in a year, with the reason and source",
    "scores/papi.csv": "PAPI 2011-2024: total, dimensions, sub-dimensions, 90% bounds (1.645 SE) and SE (2019 on)",
    "scores/papi_indicators.csv": "PAPI indicators 2018, 2019, 2022, 2023",
    "scores/par_sipas.csv": "PAR INDEX and SIPAS: published province scores and ranks, PAR component points/ranks",
    "scores/pci.csv": "PCI 2005-2016 from the official VCCI workbooks; PCI 2017-2024 from VCCI's pages and notices",
    "scores/aggregates.csv": "Published national and regional averages, medians and ranges",
    "scores/published_changes.csv": "Changes published without levels (e.g. PAR component changes)",
    "scores/par_component_maxima.csv": "PAR component maxima as printed by sources, per year",
    "scores/published_facts.csv": "Other published facts (rank notes, sub-scores, points lost), citable",
    "scores/conflicts.csv": "Figures where sources disagree, and figures withheld because they contradict the "
    "published ranking (kind rank_order): the kept and the other value, both sourced",
    "sources.csv": "Every source cited by a row: producer, title, address, accessed, licence, decision",
    "sources/hung-yen-2023-05-26-par-conference.txt": "Hưng Yên PPC portal news item, 2023-05-26 (source text)",
}
UPSTREAM = {
    "meta/units.csv": "../shared/reference/provinces.csv; vietnamcode-crosswalk; DOMAIN.md §5.2",
    "meta/indices.csv": "tools/indices.csv (hand-kept; DOMAIN.md §1-§4; the note column gives each index's reasons)",
    "meta/regions.csv": "../shared/reference/provinces.csv",
    "meta/aliases.csv": "DOMAIN.md §6.2",
    "meta/periods.csv": "DOMAIN.md §1.2, §2, §3, §4",
    "meta/measures.csv": "DOMAIN.md; papi-consolidated labels; PCI workbooks",
    "meta/scale_shifts.csv": "computed from scores/papi.csv (tools/build_data.py papi_scale_shifts)",
    "scores/papi.csv": "data-raw/papi-consolidated (from papi-vietnamdata-mdtrinh, papi-cs571-hungnt1st, papi-hnks-gh)",
    "scores/papi_indicators.csv": "data-raw/papi-consolidated/papi_indicators_2018_2019_2022_2023.csv",
    "scores/par_sipas.csv": "data-raw/news-par-sipas-papi, data-raw/par-sipas-tables, sources/hung-yen article",
    "scores/pci.csv": "data-raw/pci-vietnamdata-mdtrinh/raw/PCI_YYYY.xls(x); data-raw/pci-2017-2024-web/pci_2017_2024_facts.csv",
    "meta/themes.csv": "tools/themes.csv (hand-kept mapping; each row gives its reason)",
    "meta/publication_scope.csv": "data-raw/pci-2017-2024-web (raw/pci_province_pages/phu-tho.txt)",
    "meta/fields.csv": "built here from scores/*.csv and publication_scope.csv (tools/build_coverage.py)",
    "meta/ranks_as_written.csv": "scores/published_facts.csv, sources/hung-yen-2023-05-26-par-conference.txt",
    "meta/not_ranked.csv": "data-raw/gap-fill, scores/published_facts.csv, official PAPI workbook markers",
    "scores/aggregates.csv": "data-raw/news-par-sipas-papi, data-raw/par-sipas-tables",
    "scores/published_changes.csv": "data-raw/news-par-sipas-papi, data-raw/par-sipas-tables, sources/hung-yen article",
    "scores/par_component_maxima.csv": "data-raw/par-sipas-tables",
    "scores/published_facts.csv": "data-raw/news-par-sipas-papi, data-raw/par-sipas-tables",
    "scores/conflicts.csv": "built here",
    "sources.csv": "built here",
    "sources/hung-yen-2023-05-26-par-conference.txt": "../shared/sources/",
}


def write_manifest() -> None:
    rows = []
    for path in sorted(p for p in DATA.rglob("*") if p.is_file()):
        rel = path.relative_to(DATA).as_posix()
        if rel in ("MANIFEST.csv",) or rel.startswith(("user/", "geo/")) or rel.endswith(".md"):
            continue
        n = sum(1 for _ in path.open(encoding="utf-8")) - 1 if rel.endswith(".csv") else ""
        rows.append(
            {
                "file": rel,
                "sha256": sha256(path),
                "rows": n,
                "description": DESCRIPTIONS[rel],
                "upstream": UPSTREAM[rel],
            }
        )
    geo = DATA / "geo"
    for path in sorted(geo.glob("*.json")) if geo.exists() else []:
        rel = path.relative_to(DATA).as_posix()
        rows.append(
            {
                "file": rel,
                "sha256": sha256(path),
                "rows": "",
                "description": "Province boundaries (" + path.stem.upper() + "), see geo/PROVENANCE.md",
                "upstream": "data-raw/geo-odv-vn63-vn34 (see geo/PROVENANCE.md)",
            }
        )
    pd.DataFrame(rows).to_csv(DATA / "MANIFEST.csv", index=False, lineterminator="\n")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args(argv)
    shared = args.shared

    units, regions, aliases = build_units(shared)
    write_csv(units, "meta/units.csv")
    write_csv(regions, "meta/regions.csv")
    write_csv(aliases, "meta/aliases.csv")

    sources = Sources()
    papi, papi_ind, labels = build_papi(shared, sources)
    par_sipas, papi, aggregates, changes, maxima, facts, conflicts = build_par_sipas(shared, sources, papi)

    pci_measures = None
    try:
        import build_pci
    except ImportError:
        build_pci = None
    if build_pci is not None:
        import build_pci_web

        pci, pci_sources, pci_measures = build_pci.build(shared / "data-raw/pci-vietnamdata-mdtrinh/raw")
        # PCI 2017-2024 from VCCI's pages and notices, after the 2005-2016 workbook rows.
        web, web_sources, web_conflicts, web_measures, scope = build_pci_web.build(
            shared / "data-raw/pci-2017-2024-web"
        )
        write_csv(pd.concat([pci[SCORE_COLUMNS], web[SCORE_COLUMNS]], ignore_index=True), "scores/pci.csv")
        for row in pd.concat([pci_sources, web_sources]).fillna("").to_dict("records"):
            sources.add(row)
        pci_measures = pd.concat([pci_measures, web_measures], ignore_index=True)
        if len(web_conflicts):
            conflicts = pd.concat([conflicts, web_conflicts], ignore_index=True)
        write_csv(scope, "meta/publication_scope.csv")

    measures, periods = build_measures(labels, pci_measures, (shared / "DOMAIN.md").read_text(encoding="utf-8"))
    write_csv(measures, "meta/measures.csv")
    write_csv(periods, "meta/periods.csv")
    write_csv(papi_scale_shifts(papi), "meta/scale_shifts.csv")
    write_csv(papi, "scores/papi.csv")
    write_csv(papi_ind, "scores/papi_indicators.csv")
    write_csv(par_sipas, "scores/par_sipas.csv")
    write_csv(aggregates, "scores/aggregates.csv")
    write_csv(changes, "scores/published_changes.csv")
    write_csv(maxima, "scores/par_component_maxima.csv")
    write_csv(facts, "scores/published_facts.csv")
    write_csv(conflicts, "scores/conflicts.csv")

    src = pd.DataFrame(sources.rows.values())
    src["decision"] = src.apply(
        lambda r: r.decision or decisions_cited(r.source_id, [par_sipas, aggregates, changes, facts], periods), axis=1
    )
    write_csv(src.sort_values("source_id"), "sources.csv")
    (DATA / "sources").mkdir(exist_ok=True)
    text = (shared / "sources/hung-yen-2023-05-26-par-conference.txt").read_bytes()
    (DATA / "sources/hung-yen-2023-05-26-par-conference.txt").write_bytes(text)
    themes = pd.read_csv(ROOT / "tools" / "themes.csv", dtype=str, keep_default_na=False)
    write_csv(themes, "meta/themes.csv")
    indices = pd.read_csv(ROOT / "tools" / "indices.csv", dtype=str, keep_default_na=False)
    write_csv(indices, "meta/indices.csv")
    write_manifest()
    # every cell, every rule, before anyone relies on the MANIFEST: loads of the bundled data then
    # trust its checksums (parlib.data.loading.full_validation)
    from parlib.data.loading import validate_bundled

    validate_bundled(DATA)
    print(
        f"wrote {DATA}: {len(papi)} PAPI, {len(papi_ind)} PAPI indicator, {len(par_sipas)} PAR/SIPAS rows, "
        f"{len(aggregates)} aggregates, {len(changes)} published changes, {len(conflicts)} conflicts, "
        f"{len(src)} sources"
    )


if __name__ == "__main__":
    main()

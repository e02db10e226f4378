"""Build tidy PCI (VCCI Provincial Competitiveness Index) scores 2005-2016.

Source: the official VCCI summary workbooks vendored from mdtrinh/vietnamdata
(`/work/shared/data-raw/pci-vietnamdata-mdtrinh/raw/PCI_YYYY.xls(x)`). The row / column
layout of each year is read from the package author's guide `PCI_Import.csv` (1-based sheet,
row and column numbers, as in R). Two layouts occur:

* "wide" (Province column > 0; 2005-2007, 2009): one row per province, one column per measure.
* "pairs" (Province column = 0; 2008, 2010-2016): every measure is its own (province, score)
  list sorted by score; the province name sits in the column just left of the score.

Every measure column is checked against its header text so that an off-by-one in the guide
fails loudly. `build()` returns (scores, sources, measures) and writes nothing; see
tools/PCI_NOTES.md for what was found per year.
"""

from __future__ import annotations

import numbers
import re
import sys
import unicodedata
import warnings
from pathlib import Path

import pandas as pd
from openpyxl.utils import get_column_letter

from parlib.data.schema import SCORE_COLUMNS

RAW_DIR = Path("/work/shared/data-raw/pci-vietnamdata-mdtrinh/raw")
CROSSWALK = Path("/work/shared/data-raw/vietnamcode-crosswalk/provinces_63_crosswalk.csv")
URL = "https://github.com/mdtrinh/vietnamdata/tree/be581b8d5b1f0c6a747199fe23d8a77e55396e17/data-raw/PCI"

SCORE_COLS = SCORE_COLUMNS  # the score table's columns, written once (parlib.data.schema)
SOURCE_COLS = ["source_id", "producer", "title", "url", "accessed", "licence", "decision", "kind", "note"]
MEASURE_COLS = [
    "index_code",
    "measure",
    "first_year",
    "last_year",
    "level",
    "parent",
    "name_vi",
    "name_en",
    "unit",
    "scale_min",
    "scale_max",
    "direction",
    "decision",
    "note",
]

# PCI_Import.csv column -> measure code, plus a regex the (folded) header text must match.
GUIDE = {
    "Entry Costs": ("ENTRY_COSTS", r"gia nhap"),
    "Land Access and Security of Tenure": ("LAND_ACCESS", r"dat dai"),
    "Transparency and Access to Information": ("TRANSPARENCY", r"minh bach"),
    "Time Costs and Regulatory Compliance": ("TIME_COSTS", r"thoi gian"),
    "Informal Charges": ("INFORMAL_CHARGES", r"khong chinh thuc"),
    "Implementation and Consistency of Policies": ("POLICY_CONSISTENCY", r"thuc hien chinh sach"),
    "Policy Bias": ("POLICY_BIAS", r"dnnn|doanh nghiep nha nuoc|canh tranh binh dang"),
    "Proactivity of Provincial Leadership": ("PROACTIVITY", r"nang dong"),
    "Business Support Services": ("BUSINESS_SUPPORT", r"kinh te tu nhan|kttn|ho tro"),
    "Labor and Training": ("LABOR_TRAINING", r"dao tao"),
    "Legal Institutions": ("LEGAL_INSTITUTIONS", r"phap ly"),
    "Unweighted Col": ("TOTAL_UNWEIGHTED", r"chua co trong so"),
    "Weighted Col": ("TOTAL", r"(?<!chua )co trong so|cuoi cung|^pci \d{4}$"),
}

# Published PCI ranks (for TOTAL only), 1-based (sheet, name col, rank col) as in the guide.
# None = the sheet named by the guide; rows are the guide's rows except where a sheet is given.
# 2006 and 2008 have only an unlabelled / "Thứ tự" row number, which is not taken as a rank.
RANKS = {
    2005: ("Xếp hạng theo chỉ số PCI", 1, 3),
    2007: (None, 1, 2),
    2009: (None, 3, 2),
    2010: (None, 24, 25),
    2011: (None, 22, 23),
    2012: (None, 22, 23),
    2013: (None, 22, 24),
    2014: (None, 22, 24),
    2015: (None, 22, 24),
    2016: (None, 22, 24),
}

# Cells worth a remark in scores.note (values kept as published).
CELL_NOTES = {
    (2005, "82", "TOTAL"): "only 2005 value typed to 2 decimals (55.89); all others full precision",
    (2011, "02", "TOTAL"): "tied at 57.62 (2011 PCI published to 2 decimals); published rank breaks tie",
    (2011, "60", "TOTAL"): "tied at 57.62 (2011 PCI published to 2 decimals); published rank breaks tie",
}
# Per-year remarks for sources.note.
YEAR_NOTES = {
    2005: "pilot year; ranks from sheet 'Xếp hạng theo chỉ số PCI'; includes Hà Tây (28)",
    2006: "includes Hà Tây (28); unlabelled row number in column A equals PCI order but is not "
    "taken as a published rank",
    2007: "includes Hà Tây (28)",
    2008: "includes Hà Tây (28); pairs layout; 'Thứ tự' row number not taken as a published rank",
    2011: "PCI total published to 2 decimals",
    2014: "English sheet 'Summary' holds PCI 2013 data (stale copy); 'Summary_VN' used",
    2015: "English sheet 'Summary' holds PCI 2013 data (stale copy); 'Summary_VN' used",
    2016: "English sheet 'Summary' holds PCI 2013 data (stale copy); 'Summary_VN' used",
}

# Names the fold/casefold key cannot resolve -> GSO code. Keys are outputs of name_key().
# "Tp.HCM"/"TP.HCM" -> "hcm" (prefix stripped), "BRVT"/"BR-VT" -> "brvt", "TT.Huế"/"TT- Huế" -> "tthue".
ALIASES = {
    "hcm": "79",
    "hcmc": "79",
    "brvt": "77",
    "tthue": "46",
    "baccan": "06",
    "daclak": "66",
    "hatay": "28",
}  # Hà Tây: old GSO code, merged into Hà Nội 2008


def fold(text: str) -> str:
    """NFC, drop diacritics (so old/new tone placement no longer matters), đ->d, casefold."""
    text = unicodedata.normalize("NFD", str(text).replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", text).strip().casefold()


def name_key(name: str) -> str:
    """Matching key: folded, 'Tỉnh/Thành phố/TP.' prefix dropped, letters and digits only."""
    key = re.sub(r"^(tinh|thanh pho|tp)\b\.?\s*", "", fold(name))
    return re.sub(r"[^a-z0-9]", "", key)


def province_lookup() -> dict[str, str]:
    xw = pd.read_csv(CROSSWALK, dtype=str)
    lookup = {name_key(n): c for c, *names in xw[["gso_code", "name_vi", "name_en"]].values for n in names}
    return lookup | ALIASES


def to_code(name, lookup: dict[str, str], where: str) -> str:
    key = name_key(name)
    if key not in lookup:
        raise ValueError(f"unmatched province name {name!r} (key {key!r}) in {where}")
    return lookup[key]


def read_sheet(path: Path, sheet) -> pd.DataFrame:
    """One sheet, no header; `sheet` is a name or a 1-based position (as in the guide)."""
    with warnings.catch_warnings():  # pandas warns that the xlrd (.xls) engine is deprecated
        warnings.simplefilter("ignore")
        book = pd.ExcelFile(path)
        name = book.sheet_names[sheet - 1] if isinstance(sheet, int) else sheet
        return book.parse(name, header=None)


def parse_value(cell) -> tuple[float, str]:
    """Score cell -> (value, note). 0, blank or text is treated as missing and noted."""
    if isinstance(cell, numbers.Real) and not isinstance(cell, bool) and pd.notna(cell):
        return (float(cell), "") if cell != 0 else (float("nan"), "source cell is 0; treated as missing")
    if pd.isna(cell) or str(cell).strip() == "":
        return float("nan"), "source cell blank"
    return float("nan"), f"source cell is text {str(cell).strip()!r}; treated as missing"


def build_year(year: int, g: pd.Series, path: Path, lookup: dict) -> pd.DataFrame:
    df = read_sheet(path, int(g["Sheet"]))
    r0, r1 = int(g["Begin Row"]) - 1, int(g["End Row"])  # 0-based slice of data rows
    header = df.iloc[:r0]
    pairs = int(g["Province"]) == 0
    recs = []
    for guide_col, (measure, pattern) in GUIDE.items():
        if pd.isna(g[guide_col]):
            continue
        c = int(g[guide_col]) - 1
        head = fold(" ".join(str(v) for v in header[c].dropna()))
        if not re.search(pattern, head):
            raise ValueError(f"{year}: column {c + 1} header {head!r} is not {measure}")
        name_col = c - 1 if pairs else int(g["Province"]) - 1
        for i in range(r0, r1):
            name = df.iat[i, name_col]
            code = to_code(name, lookup, f"{path.name} row {i + 1}")
            value, note = parse_value(df.iat[i, c])
            recs.append(
                dict(
                    year=year,
                    province_code=code,
                    measure=measure,
                    value=value,
                    note=note,
                    _name=str(name).strip(),
                    _cell=f"{get_column_letter(c + 1)}{i + 1}",
                )
            )
    out = pd.DataFrame(recs)
    if year in RANKS:
        out = attach_ranks(out, year, path, df, (r0, r1), lookup)
    return out


def attach_ranks(out, year, path, df, rows, lookup) -> pd.DataFrame:
    sheet, name_col, rank_col = RANKS[year]
    if sheet is not None:  # 2005: ranks live on their own sheet, header in row 1
        df = read_sheet(path, sheet)
        rows = (1, len(df))
    ranks = {}
    for i in range(*rows):
        code = to_code(df.iat[i, name_col - 1], lookup, f"{path.name} rank row {i + 1}")
        ranks[code] = int(df.iat[i, rank_col - 1])
    is_total = out["measure"].eq("TOTAL")
    if set(ranks) != set(out.loc[is_total, "province_code"]):
        raise ValueError(f"{year}: ranked provinces differ from scored provinces")
    out["rank"] = out["province_code"].map(ranks).where(is_total)
    # A published rank must agree with the order of the weighted PCI (ties allowed).
    tot = out[is_total & out["value"].notna()]
    lo, hi = (tot["value"].rank(ascending=False, method=m) for m in ("min", "max"))
    if not tot["rank"].between(lo, hi).all():
        raise ValueError(f"{year}: published rank disagrees with PCI order")
    return out


def build(raw_dir: Path = RAW_DIR) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    raw_dir = Path(raw_dir)
    guide = pd.read_csv(raw_dir / "PCI_Import.csv").set_index("Year")
    lookup = province_lookup()
    frames, files = [], {}
    for year, g in guide.iterrows():
        path = files[int(year)] = next(raw_dir.glob(f"PCI_{year}.xls*"))
        frames.append(build_year(int(year), g, path, lookup))
    s = pd.concat(frames, ignore_index=True)

    # Each province must appear once per (year, measure) - a name matched twice would show here.
    dup = s.duplicated(["year", "province_code", "measure"], keep=False)
    assert not dup.any(), s.loc[dup, ["year", "measure", "_name", "province_code"]]
    top = s["measure"].str.startswith("TOTAL").map({True: 100.0, False: 10.0})
    ok = s["value"].isna() | s["value"].between(0, top)
    assert ok.all(), s.loc[~ok]

    s["index_code"] = "PCI"
    s["n_ranked"] = s.groupby(["year", "measure"])["value"].transform("count")
    s["rank"] = s.get("rank", pd.Series(index=s.index, dtype=float)).astype("Int64")
    s["rank_basis"] = s["rank"].notna().map({True: "published", False: ""})
    for col in ["ci_low", "ci_high", "se"]:
        s[col] = float("nan")
    s["source_id"] = "vcci-pci-" + s["year"].astype(str)
    s["rank_source_id"] = s["source_id"].where(s["rank"].notna(), "")
    s["status"] = "reported"
    s["note"] = [
        f"{n} (cell {c})" if n else CELL_NOTES.get(k, "")
        for n, c, k in zip(s["note"], s["_cell"], zip(s["year"], s["province_code"], s["measure"]))
    ]
    scores = s[SCORE_COLS].sort_values(["year", "measure", "province_code"]).reset_index(drop=True)
    return scores, make_sources(scores, files), make_measures(scores)


SUB_ORDER = [
    "ENTRY_COSTS",
    "LAND_ACCESS",
    "TRANSPARENCY",
    "TIME_COSTS",
    "INFORMAL_CHARGES",
    "POLICY_CONSISTENCY",
    "POLICY_BIAS",
    "PROACTIVITY",
    "BUSINESS_SUPPORT",
    "LABOR_TRAINING",
    "LEGAL_INSTITUTIONS",
]


def make_sources(scores: pd.DataFrame, files: dict[int, Path]) -> pd.DataFrame:
    rows = []
    for year, d in scores.groupby("year"):
        subs = [m for m in SUB_ORDER if m in set(d["measure"])]
        decision = (
            f"VCCI PCI methodology as shown in the workbook: {len(subs)} sub-indices "
            f"({', '.join(subs)}), weighted composite of max 100"
        )
        if "TOTAL_UNWEIGHTED" in set(d["measure"]):
            decision += "; unweighted composite also given"
        ranked = d["rank"].notna().any()
        note = f"{d['province_code'].nunique()} provinces; published PCI rank {'given' if ranked else 'not given'}"
        note += f"; {YEAR_NOTES[year]}" if year in YEAR_NOTES else ""
        rows.append(
            dict(
                source_id=f"vcci-pci-{year}",
                producer="VCCI (Vietnam Chamber of Commerce and Industry), PCI project with USAID",
                title=f"Provincial Competitiveness Index {year}, summary workbook ({files[year].name})",
                url=URL,
                accessed="2026-11-25",
                licence="CC0 (vietnamdata package); underlying data © VCCI/USAID PCI project (pcivietnam.vn)",
                decision=decision,
                kind="official_workbook",
                note=note,
            )
        )
    return pd.DataFrame(rows, columns=SOURCE_COLS)


SCALE_NOTE = "scale from DOMAIN.md §4: '10 sub-indices standardised to a 10-point scale; composite max 100'"
# (name_vi, name_en, note). Sub-index names from DOMAIN.md §4 unless the note says otherwise.
NAMES = {
    "TOTAL": (
        "Chỉ số PCI có trọng số",
        "Weighted PCI",
        "names from the workbooks (2005 'Chỉ số PCI có trọng số (Điểm tối đa=100)', "
        "2006 'Weighted PCI 2006'); 2011-2016 header is just 'PCI YYYY'",
    ),
    "TOTAL_UNWEIGHTED": (
        "Chỉ số PCI chưa có trọng số",
        "Unweighted PCI",
        "name_vi from the 2007/2008 workbooks; name_en from PCI_Import.csv "
        "'Unweighted Col'; the workbook value equals the plain sum of the "
        "sub-indices (checked), so its effective max is 90 in 2010 (9 "
        "sub-indices)",
    ),
    "ENTRY_COSTS": ("Chi phí gia nhập thị trường", "Entry costs", ""),
    "LAND_ACCESS": ("Tiếp cận đất đai", "Land access and security of tenure", ""),
    "TRANSPARENCY": ("Tính minh bạch", "Transparency", ""),
    "TIME_COSTS": ("Chi phí thời gian", "Time costs", ""),
    "INFORMAL_CHARGES": ("Chi phí không chính thức", "Informal charges", ""),
    "POLICY_CONSISTENCY": (
        "Thực hiện chính sách của Trung ương",
        "Implementation and Consistency of Policies",
        "not in DOMAIN §4; name_en from the PCI_Import.csv header; name_vi is "
        "the 2005 workbook header (literally 'implementation of central "
        "policies'); 2005 only",
    ),
    "POLICY_BIAS": (
        "Cạnh tranh bình đẳng",
        "Policy bias / equal competition",
        "DOMAIN §4 says 'added 2013', but 2005-2008 workbooks have an SOE-bias "
        "sub-index 'Ưu đãi đối với DNNN' which PCI_Import.csv maps here; absent "
        "2009-2012; 'Cạnh tranh bình đẳng' from 2013",
    ),
    "PROACTIVITY": ("Tính năng động", "Proactivity", "DOMAIN §4: 'Tính năng động (của chính quyền tỉnh)'"),
    "BUSINESS_SUPPORT": (
        "Dịch vụ hỗ trợ doanh nghiệp",
        "Business support services",
        "2005-2008 workbooks call it 'Chính sách phát triển khu vực kinh tế tư "
        "nhân' (private-sector development policy); mapped here by PCI_Import.csv",
    ),
    "LABOR_TRAINING": ("Đào tạo lao động", "Labour training", ""),
    "LEGAL_INSTITUTIONS": (
        "Thiết chế pháp lý",
        "Legal institutions",
        "DOMAIN §4: 'Thiết chế pháp lý (& an ninh trật tự)'",
    ),
}


def make_measures(scores: pd.DataFrame) -> pd.DataFrame:
    span = scores.dropna(subset=["value"]).groupby("measure")["year"].agg(["min", "max"])
    rows = []
    for m in ["TOTAL", "TOTAL_UNWEIGHTED", *SUB_ORDER]:
        vi, en, note = NAMES[m]
        total = m.startswith("TOTAL")
        years = scores.loc[scores["measure"] == m, "year"].unique()
        rows.append(
            dict(
                index_code="PCI",
                measure=m,
                first_year=span.at[m, "min"],
                last_year=span.at[m, "max"],
                level="total" if total else "component",
                parent="" if total else "TOTAL",
                name_vi=vi,
                name_en=en,
                unit="points",
                scale_min=0,
                scale_max=100 if total else 10,
                direction="higher_is_better",
                decision="VCCI PCI methodology",
                note="; ".join(x for x in [f"years {sorted(map(int, years))}", note, SCALE_NOTE] if x),
            )
        )
    return pd.DataFrame(rows, columns=MEASURE_COLS)


if __name__ == "__main__":
    raw = Path(sys.argv[1]) if len(sys.argv) > 1 else RAW_DIR
    scores, sources, measures = build(raw)
    have = scores.dropna(subset=["value"])
    summary = pd.DataFrame(
        {
            "rows": scores.groupby("year").size(),
            "provinces": scores.groupby("year")["province_code"].nunique(),
            "measures": scores.groupby("year")["measure"].nunique(),
            "missing_values": scores.groupby("year")["value"].apply(lambda v: v.isna().sum()),
            "ranked": have.groupby("year")["rank"].count(),
        }
    )
    print(summary.to_string())
    print(f"\n{len(scores)} score rows, {len(sources)} sources, {len(measures)} measures")
    print(measures[["measure", "first_year", "last_year"]].to_string(index=False))
    notes = scores[scores["note"] != ""]
    if len(notes):
        print("\nnoted cells:\n" + notes[["year", "province_code", "measure", "note"]].to_string())

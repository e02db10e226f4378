"""Build the bundled province boundaries ``data/geo/vn63.json`` and ``data/geo/vn34.json``.

Source: the Open Development Vietnam "Địa phận tỉnh" boundaries (CC BY-SA 4.0), as TopoJSON
in ``/work/shared/data-raw/geo-odv-vn63-vn34/`` (63 pre-2025 provinces and the 34 units from
1 July 2025). See that folder's PROVENANCE.md. This script is only needed to rebuild the
bundled files; the package reads ``data/geo/*.json`` and never the raw folder.

What it does:

1. Decodes the TopoJSON (delta-decoded arcs, quantisation ``transform`` applied, arcs joined per
   ring, ``~i`` meaning arc ``i`` reversed). The decoder is written here from the TopoJSON
   specification.
2. Simplifies every *arc* with Douglas–Peucker (arc end points kept), so borders shared by two
   units stay identical on both sides. No ring is ever dropped: a ring that would collapse (fewer
   than 3 distinct points, or flipped orientation) is re-simplified with a smaller tolerance, or
   kept as in the source. The Hoàng Sa (Paracel) and Trường Sa (Spratly) island rings are
   therefore all kept.
3. Rounds coordinates to ``DECIMALS`` places and removes consecutive duplicates.
4. Keys units by the 2-digit GSO code (VN63) or by ``"N" + draft new code`` (VN34,
   ``DOMAIN.md`` §5.2), asserts all 63 / 34 are present, checks areas, and writes the JSON
   files plus ``data/geo/PROVENANCE.md`` (with sha256 of the outputs).

Usage::

    python tools/build_geo.py [--raw /work/shared/data-raw/geo-odv-vn63-vn34] [--out data/geo]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import re
import sys
import unicodedata
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_RAW = Path("/work/shared/data-raw/geo-odv-vn63-vn34")
DEFAULT_DOMAIN = Path("/work/shared/DOMAIN.md")
DEFAULT_OUT = PROJECT_DIR / "data" / "geo"

TOLERANCE_DEG = 0.004  # Douglas–Peucker tolerance in degrees (~400 m)
DECIMALS = 4  # ~11 m
SMALL_RING = 10  # closed arcs smaller than SMALL_RING * tolerance get a finer tolerance
MAX_BYTES = 1_000_000

SOURCE_REPO = "github.com/TaliaCao/Vietnam-Shape-Map"
SOURCE_COMMIT = "35f693a24757fc0c25b539cf81902c257c786780"
SOURCE_DATASET = "https://data.vietnam.opendevelopmentmekong.net/dataset/a-phn-tnh"
ATTRIBUTION = "Open Development Vietnam / Open Development Mekong"
LICENCE = "CC BY-SA 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by-sa/4.0/"

SETS = {
    "VN63": {
        "file": "diaphantinh_63_fixednames.topojson.json",
        "repo_path": "Formatting/diaphantinh_63_fixednames.json",
        "out": "vn63.json",
        "n": 63,
    },
    "VN34": {
        "file": "diaphantinhvn_merged_34.topojson.json",
        "repo_path": "Maps/GeoJSON/diaphantinhvn_merged_from_geojson.json",
        "out": "vn34.json",
        "n": 34,
    },
}


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s).strip()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------- TopoJSON decoding


def decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    """Absolute lon/lat coordinates of every arc (delta decoding + transform)."""
    transform = topo.get("transform")
    if transform:
        sx, sy = transform["scale"]
        tx, ty = transform["translate"]
    out = []
    for arc in topo["arcs"]:
        pts = []
        if transform:
            x = y = 0
            for dx, dy, *_ in arc:
                x += dx
                y += dy
                pts.append((x * sx + tx, y * sy + ty))
        else:
            pts = [(float(p[0]), float(p[1])) for p in arc]
        out.append(pts)
    return out


def join_ring(ring_arcs: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple]:
    """Concatenate the arcs of one ring; a negative index ``~i`` is arc ``i`` reversed."""
    pts: list[tuple] = []
    for idx in ring_arcs:
        seg = arcs[idx] if idx >= 0 else arcs[~idx][::-1]
        # consecutive arcs share their junction point
        pts.extend(seg if not pts else seg[1:])
    return pts


def geometry_polygons(geom: dict) -> list[list[list[int]]]:
    """Polygons (lists of rings of arc indices) of a Polygon/MultiPolygon geometry."""
    if geom["type"] == "Polygon":
        return [geom["arcs"]]
    if geom["type"] == "MultiPolygon":
        return geom["arcs"]
    raise ValueError(f"unsupported geometry type {geom['type']!r}")


# --------------------------------------------------------------------------- simplification


def _dp_open(pts: list[tuple], tol: float) -> list[tuple]:
    """Douglas–Peucker on an open polyline; both end points are kept (iterative)."""
    n = len(pts)
    if n <= 2:
        return list(pts)
    keep = [False] * n
    keep[0] = keep[-1] = True
    stack = [(0, n - 1)]
    while stack:
        i, j = stack.pop()
        if j <= i + 1:
            continue
        x1, y1 = pts[i]
        x2, y2 = pts[j]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy)
        best, best_k = -1.0, -1
        for k in range(i + 1, j):
            px, py = pts[k]
            if norm == 0.0:
                d = math.hypot(px - x1, py - y1)
            else:
                d = abs(dy * (px - x1) - dx * (py - y1)) / norm
            if d > best:
                best, best_k = d, k
        if best > tol:
            keep[best_k] = True
            stack.append((i, best_k))
            stack.append((best_k, j))
    return [p for p, k in zip(pts, keep) if k]


def simplify_arc(pts: list[tuple], tol: float) -> list[tuple]:
    """Simplify one arc, keeping its end points. A closed arc is split at its farthest point.

    A small closed arc (an island drawn as one arc, bounding box under ``SMALL_RING * tol``)
    is simplified with ``tol / 4`` so islets and reefs keep their shape and area.
    """
    if len(pts) <= 3:
        return list(pts)
    if pts[0] == pts[-1]:
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        if max(max(xs) - min(xs), max(ys) - min(ys)) < SMALL_RING * tol:
            tol = tol / 4
        x0, y0 = pts[0]
        far = max(range(1, len(pts) - 1), key=lambda k: (pts[k][0] - x0) ** 2 + (pts[k][1] - y0) ** 2)
        a = _dp_open(pts[: far + 1], tol)
        b = _dp_open(pts[far:], tol)
        return a + b[1:]
    return _dp_open(pts, tol)


def signed_area(ring: list) -> float:
    s = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        s += x1 * y2 - x2 * y1
    return s / 2.0


def finish_ring(pts: list[tuple], decimals: int) -> list[list[float]]:
    """Round, drop consecutive duplicates, close."""
    out: list[list[float]] = []
    for x, y in pts:
        p = [round(x, decimals), round(y, decimals)]
        if not out or p != out[-1]:
            out.append(p)
    if out and out[0] != out[-1]:
        out.append(list(out[0]))
    return out


def _ring_ok(ring: list, reference_area: float) -> bool:
    distinct = {tuple(p) for p in ring}
    if len(distinct) < 3:
        return False
    a = signed_area(ring)
    return a != 0.0 and (a > 0) == (reference_area > 0)


def build_rings(ring_arcs, arcs_full, arcs_simpl, tol, decimals, stats) -> list[list[list[float]]]:
    """One ring, simplified; falls back to finer tolerances rather than losing the ring."""
    full = join_ring(ring_arcs, arcs_full)
    ref_area = signed_area(full)
    ring = finish_ring(join_ring(ring_arcs, arcs_simpl), decimals)
    if _ring_ok(ring, ref_area):
        return ring
    stats["fallback"] += 1
    for t in (tol / 4, tol / 16, 0.0):
        ring = finish_ring(simplify_arc(full, t) if t else full, decimals)
        if _ring_ok(ring, ref_area):
            return ring
    # a ring that degenerates even unsimplified after rounding: keep it with more decimals
    stats["unrounded"] += 1
    return finish_ring(full, 6)


# --------------------------------------------------------------------------- keys


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def keys_vn63(raw: Path) -> dict[str, str]:
    """ten_tinh (NFC) -> 2-digit GSO code."""
    out = {}
    for row in read_csv(raw / "name_to_gso_63.csv"):
        out[_nfc(row["ten_tinh"])] = f"{int(row['gso_code']):02d}"
    assert len(out) == 63 and len(set(out.values())) == 63
    return out


def domain_new_codes(domain_md: Path) -> dict[frozenset, tuple[str, str]]:
    """From DOMAIN.md §5.2: frozenset(old GSO codes) -> (draft new code, new name)."""
    text = domain_md.read_text(encoding="utf-8")
    sec = text.split("### 5.2", 1)[1]
    block = sec.split("```csv", 1)[1].split("```", 1)[0]
    rows = list(csv.reader(line for line in block.strip().splitlines()))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["new_code", "new_name_vi", "type", "old_provinces(old_gso)"], header
    out = {}
    for r in body:
        olds = frozenset(f"{int(c):02d}" for c in re.findall(r"\((\d{1,2})\)", r[3]))
        assert olds, r
        out[olds] = (f"{int(r[0]):02d}", _nfc(r[1]))
    assert len(out) == 34, len(out)
    return out


def keys_vn34(raw: Path, domain_md: Path) -> dict[str, str]:
    """ten_tinh (NFC) -> "N" + draft new code, joined on the member old GSO codes."""
    table = domain_new_codes(domain_md)
    out = {}
    for row in read_csv(raw / "name_to_successor_34.csv"):
        members = frozenset(f"{int(c):02d}" for c in row["member_gso_codes_pre2025"].split("+"))
        new_code, new_name = table[members]  # KeyError = composition disagrees with §5.2
        out[_nfc(row["ten_tinh"])] = "N" + new_code
    assert len(out) == 34 and len(set(out.values())) == 34
    return out


# --------------------------------------------------------------------------- build


def build_set(
    unit_set: str, raw: Path, keys: dict[str, str], names: dict[str, str], tol: float, decimals: int
) -> tuple[dict, dict]:
    spec = SETS[unit_set]
    topo = json.loads((raw / spec["file"]).read_text(encoding="utf-8"))
    assert topo.get("type") == "Topology"
    (obj,) = topo["objects"].values()
    arcs_full = decode_arcs(topo)
    arcs_simpl = [simplify_arc(a, tol) for a in arcs_full]
    stats = {"fallback": 0, "unrounded": 0, "rings": 0, "vertices_in": 0, "vertices_out": 0}
    units: dict[str, dict] = {}
    areas: dict[str, tuple[float, float]] = {}
    ring_counts: dict[str, tuple[int, int]] = {}
    for geom in obj["geometries"]:
        name = _nfc(geom["properties"]["ten_tinh"])
        code = keys[name]
        assert code not in units, f"duplicate unit {code} ({name})"
        rings, a_full, a_out, n_src = [], 0.0, 0.0, 0
        for poly in geometry_polygons(geom):
            for ring_arcs in poly:
                full = join_ring(ring_arcs, arcs_full)
                ring = build_rings(ring_arcs, arcs_full, arcs_simpl, tol, decimals, stats)
                rings.append(ring)
                n_src += 1
                a_full += signed_area(full)
                a_out += signed_area(ring)
                stats["vertices_in"] += len(full)
                stats["vertices_out"] += len(ring)
        stats["rings"] += len(rings)
        units[code] = {"name": names.get(code, name), "rings": rings}
        areas[code] = (abs(a_full), abs(a_out))
        ring_counts[code] = (n_src, len(rings))
    assert len(units) == spec["n"], (unit_set, len(units))
    assert set(units) == set(keys.values())
    stats["areas"] = areas
    stats["ring_counts"] = ring_counts
    doc = {
        "unit_set": unit_set,
        "source": (
            f"Open Development Vietnam 'Địa phận tỉnh' ({SOURCE_DATASET}), via {SOURCE_REPO} "
            f"@ {SOURCE_COMMIT}, {spec['repo_path']}"
        ),
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "attribution": ATTRIBUTION,
        "changes": (
            f"TopoJSON decoded to lon/lat rings; arcs simplified (Douglas-Peucker, {tol} deg, "
            f"no ring dropped); coordinates rounded to {decimals} decimals; keyed by "
            + ("2-digit GSO code" if unit_set == "VN63" else "'N' + draft new code (DOMAIN.md 5.2)")
            + ". This adapted file is released under CC BY-SA 4.0."
        ),
        "crs": "WGS84 lon/lat (EPSG:4326), x = lon, y = lat",
        "rings_note": (
            "All rings of a unit in one list; exteriors clockwise, holes counter-clockwise "
            "(fill with the non-zero winding rule)."
        ),
        "units": dict(sorted(units.items())),
    }
    return doc, stats


def archipelago_counts(units: dict, code: str, pred) -> int:
    return sum(1 for r in units[code]["rings"] if all(pred(x, y) for x, y in r))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--raw", type=Path, default=DEFAULT_RAW)
    ap.add_argument("--domain", type=Path, default=DEFAULT_DOMAIN)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--tolerance", type=float, default=TOLERANCE_DEG)
    ap.add_argument("--decimals", type=int, default=DECIMALS)
    args = ap.parse_args(argv)
    raw, out = args.raw, args.out
    out.mkdir(parents=True, exist_ok=True)

    k63 = keys_vn63(raw)
    k34 = keys_vn34(raw, args.domain)
    # official names for the units: crosswalk name for VN63, §5.2 name for VN34
    names63 = {f"{int(r['gso_code']):02d}": _nfc(r["crosswalk_name_vi"]) for r in read_csv(raw / "name_to_gso_63.csv")}
    names34 = {"N" + code: name for code, name in domain_new_codes(args.domain).values()}

    docs, stats = {}, {}
    docs["VN63"], stats["VN63"] = build_set("VN63", raw, k63, names63, args.tolerance, args.decimals)
    docs["VN34"], stats["VN34"] = build_set("VN34", raw, k34, names34, args.tolerance, args.decimals)

    checks: list[str] = []
    # 1. no ring lost; archipelagos present
    for us, code_dn, code_kh in (("VN63", "48", "56"), ("VN34", "N48", "N56")):
        st, units = stats[us], docs[us]["units"]
        for code, (n_src, n_out) in st["ring_counts"].items():
            assert n_src == n_out, (us, code, n_src, n_out)
        hs = archipelago_counts(units, code_dn, lambda x, y: x > 110.0)
        ts = archipelago_counts(units, code_kh, lambda x, y: x > 111.0 and y < 12.0)
        assert hs >= 20 and ts >= 300, (us, hs, ts)
        checks.append(
            f"{us}: {len(units)} units; {st['rings']} rings in = out (no ring dropped); "
            f"vertices {st['vertices_in']:,} -> {st['vertices_out']:,}; "
            f"{st['fallback']} ring(s) re-simplified finer to avoid collapse, "
            f"{st['unrounded']} kept at 6 decimals; "
            f"Hoàng Sa rings in {code_dn} (lon > 110): {hs}; "
            f"Trường Sa rings in {code_kh} (lon > 111, lat < 12): {ts}"
        )
        # 2. areas preserved by simplification
        worst = max((abs(a_out / a_full - 1.0), code) for code, (a_full, a_out) in st["areas"].items())
        assert worst[0] < 0.02, (us, worst)
        checks.append(
            f"{us}: area of every unit after simplification within {worst[0]:.3%} of the decoded "
            f"source (largest change: {worst[1]})"
        )
    # 3. the 34 units are the union of their 63 members (areas of the output files)
    table = domain_new_codes(args.domain)
    worst34 = 0.0
    for olds, (new_code, _) in table.items():
        a63 = sum(stats["VN63"]["areas"][c][1] for c in olds)
        a34 = stats["VN34"]["areas"]["N" + new_code][1]
        worst34 = max(worst34, abs(a34 / a63 - 1.0))
    assert worst34 < 0.02, worst34
    checks.append(
        f"VN34 vs VN63: each N-unit's area equals the summed area of its §5.2 member provinces within {worst34:.3%}"
    )

    sizes = {}
    for us, doc in docs.items():
        path = out / SETS[us]["out"]
        path.write_text(json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n", encoding="utf-8")
        sizes[us] = path.stat().st_size
        assert sizes[us] < MAX_BYTES, (us, sizes[us])
        # 4. round trip
        back = json.loads(path.read_text(encoding="utf-8"))
        assert back["units"] == doc["units"]
    checks.append("Both files re-read as JSON and compared equal to what was written; sizes < 1 MB.")

    write_provenance(out, raw, args, docs, stats, sizes, checks)
    for line in checks:
        print(line)
    for us in docs:
        print(f"{SETS[us]['out']}: {sizes[us]:,} bytes")
    return 0


def write_provenance(out, raw, args, docs, stats, sizes, checks) -> None:
    rows = []
    for us, spec in SETS.items():
        path = out / spec["out"]
        rows.append(
            f"| `{spec['out']}` | {len(docs[us]['units'])} | {sizes[us]:,} | `{sha256(path)}` | "
            f"`{spec['repo_path']}` (raw copy `{spec['file']}`, sha256 "
            f"`{sha256(raw / spec['file'])}`) |"
        )
    text = f"""# Bundled province boundaries (`data/geo/`)

**Licence: {LICENCE} ({LICENCE_URL}). Attribution: "{ATTRIBUTION}".**
These files are an adaptation of the Open Development Vietnam boundaries and are released under
the same licence (share-alike). Maps rendered from them carry the credit line
"Boundaries: {ATTRIBUTION} ({LICENCE})".

## Origin
- Dataset: Open Development Vietnam / Open Development Mekong, "Địa phận tỉnh" (provincial
  boundaries), {SOURCE_DATASET}. Licence CC BY-SA 4.0 as recorded by geoBoundaries for this
  dataset (`wmgeolab/geoBoundaries` commit `3b2236a22d63e8753b82da69fc04981186ecf04d`).
- Taken from `{SOURCE_REPO}`, commit `{SOURCE_COMMIT}` (the author fixed the names and dissolved
  the 63 provinces into the 34 units of Resolution 202/2025/QH15; her repository is MIT,
  which does not remove ODV's terms). Raw copies and their provenance:
  `data-raw/geo-odv-vn63-vn34/` in the shared data folder.
- Why this source: it is the only openly licensed source found with both 63 and 34 units, and it
  draws the Hoàng Sa (Paracel, part of Đà Nẵng) and Trường Sa (Spratly, part of Khánh Hòa)
  archipelagos in detail. The public-domain geoBoundaries file has only 63 units and a few tiny
  islets; it was not used.

| file | units | bytes | sha256 | source path in the repository |
|---|---|---|---|---|
{chr(10).join(rows)}

## What was changed
Built by `tools/build_geo.py` (tolerance {args.tolerance}°, {args.decimals} decimals):
1. TopoJSON decoded (delta-decoded quantised arcs, `transform` applied, arcs joined per ring,
   `~i` = arc `i` reversed) with a decoder written for this project.
2. Arcs simplified with Douglas–Peucker at {args.tolerance}° (about {args.tolerance * 111:.1f} km),
   arc end points kept, so shared borders stay identical for both neighbours. No ring is
   dropped: rings that would collapse are re-simplified with a finer tolerance or kept as is.
   All Hoàng Sa and Trường Sa island rings are kept.
3. Coordinates rounded to {args.decimals} decimals; consecutive duplicates removed.
4. Re-keyed:
   - `vn63.json`: 2-digit GSO code (via `name_to_gso_63.csv`, derived from the project
     crosswalk). Names are the crosswalk `name_vi` (e.g. "Thừa Thiên Huế" for 46).
     Côn Đảo is part of 77 (Bà Rịa - Vũng Tàu) in this source already.
   - `vn34.json`: `"N"` + the **draft** new code of `DOMAIN.md` §5.2 (e.g. Hưng Yên `N33`,
     Lào Cai `N15`, Huế `N46`), joined on the member old GSO codes of
     `name_to_successor_34.csv`. The final official codes are unverified (§5.2).
5. Output: one JSON per unit set, `{{"unit_set", "source", "licence", "attribution", "changes",
   "units": {{code: {{"name", "rings": [[[lon, lat], ...], ...]}}}}}}`. WGS84 lon/lat. Rings of
   a unit are listed together; exteriors are clockwise, holes counter-clockwise (fill with the
   non-zero winding rule, as matplotlib does).

## Checks run (by `tools/build_geo.py`, every build)
{chr(10).join("- " + c for c in checks)}
- Rendering checked with `parlib.present.maps.province_map` (tests in `tests/test_maps.py`; example PNGs
  inspected by eye: outline, highlight, archipelago labels).
"""
    (out / "PROVENANCE.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())

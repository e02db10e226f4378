#!/usr/bin/env bash
# Smoke test of the wheel as an analyst gets it: installed into a fresh virtual environment outside
# the clone, run from an empty folder. One report, the national overview, a 2-province batch, one
# import (template, then a synthetic table) into a private user store.
#
#   tools/smoke_wheel.sh [dist/parlib-*.whl]    # without an argument: build the wheel first
#
# Needs python3 (>= 3.11) with venv and pip, and the package index for parlib's dependencies.
# Set KEEP=1 to keep the temporary folder (printed at the end).
set -euo pipefail
CLONE="$(cd "$(dirname "$0")/.." && pwd)"
PY="${PYTHON:-python3}"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/parlib-smoke.XXXXXX")"
[ "${KEEP:-0}" = 1 ] || trap 'rm -rf "$WORK"' EXIT
T0=$(date +%s)
step() { echo "== smoke: $* ($(( $(date +%s) - T0 )) s)"; }

if [ $# -ge 1 ]; then
  WHEEL="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
else
  step "building the wheel"
  "$PY" -m venv "$WORK/build-env"
  "$WORK/build-env/bin/pip" install --quiet build
  "$WORK/build-env/bin/python" -m build --wheel --outdir "$WORK/dist" "$CLONE" > "$WORK/build.log"
  WHEEL="$(ls "$WORK"/dist/parlib-*.whl)"
fi

step "installing $(basename "$WHEEL") into a fresh venv"
"$PY" -m venv "$WORK/venv"
"$WORK/venv/bin/pip" install --quiet "$WHEEL"
PARLIB="$WORK/venv/bin/parlib"

mkdir "$WORK/empty" && cd "$WORK/empty"
# Isolated from this machine: the user store, and Jupyter's per-user kernels (a 'parlib' kernel
# registered there by another environment must not be picked up; parlib registers its own).
export PARLIB_DATA_DIR="$WORK/store" JUPYTER_DATA_DIR="$WORK/jupyter"
unset PARLIB_BUNDLED_DIR PARLIB_REPORTS_DIR JUPYTER_PATH VIRTUAL_ENV

step "data and notebooks resolve inside the installed package"
"$WORK/venv/bin/python" - <<'EOF'
from pathlib import Path

import parlib
from parlib.config import bundled_data_dir

pkg = Path(parlib.__file__).parent
assert "site-packages" in str(pkg), pkg
assert bundled_data_dir() == pkg / "_bundled", bundled_data_dir()
assert parlib.notebook_path("province_report") == pkg / "_notebooks" / "province_report.ipynb"
assert not (pkg / "_bundled" / "user").exists()
print(len(parlib.load_scores()), "score rows from", bundled_data_dir())
EOF

step "one report"
"$PARLIB" report "Hưng Yên" --year 2022
test -s reports/2022/en/hung-yen.html

step "the national overview"
"$PARLIB" overview --year 2022 --lang vi
test -s reports/2022/vi/national-overview.html

step "a 2-province batch"
"$PARLIB" batch --year 2022 --province "Hưng Yên" --province "Thái Bình" --workers 2 --quiet
test -s reports/2022/en/thai-binh.html && test -s reports/2022/index.html

step "one import"
"$PARLIB" data template --index PAR --year 2025 -o PAR-2025-template.xlsx
test -s PAR-2025-template.xlsx
cp "$CLONE/tests/fixtures/import/synthetic-par-2025.csv" .
"$PARLIB" data import synthetic-par-2025.csv --index PAR --year 2025
"$PARLIB" data list --imported | grep -q "import-par-2025-"
test -s "$PARLIB_DATA_DIR/MANIFEST.csv"

ls reports/2022/*/
step "passed (${WHEEL##*/}, $(du -k "$WHEEL" | cut -f1) KiB)"
[ "${KEEP:-0}" = 1 ] && echo "kept: $WORK"
exit 0

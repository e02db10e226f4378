"""PDF reports: `parlib report … --pdf` and `parlib batch … --pdf` print the offline HTML through
headless Chromium (A4, the title on each page, page n / N), checked page by page with poppler
(`pdftotext` for the text, `pdftoppm` for pictures of the pages): every page has content and
nothing reaches into the side margins (where anything wider than the page would land)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import PROJECT
from PIL import Image

from parlib.run.pdf import A4_INCHES, MARGINS, html_to_pdf

DPI = 50
INK = 200  # a pixel darker than this (0-255 grey) is ink
#: Body text over header text (8 pt) of a report printed at full size is 1.22 (11 pt text, 9 pt tables);
#: one element wider than A4 shrinks every page (measured: 0.81 and 0.89 for a block 60 rem and
#: 200 rem wide, 1.16 for a block pushed 0.4 in past the right edge).
MIN_TEXT_SCALE = 1.18


def _require_tools() -> None:
    missing = [t for t in ("chromium", "pdftoppm", "pdftotext") if not shutil.which(t)]
    if missing:
        reason = f"PDF test needs {', '.join(missing)}: `apt-get install -y chromium poppler-utils`"
        if os.environ.get("PARLIB_REQUIRE_BROWSER"):
            pytest.fail(f"{reason} (PARLIB_REQUIRE_BROWSER is set)", pytrace=False)
        pytest.skip(reason)


def _parlib(*args: str, env: dict | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "parlib.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        cwd=PROJECT,
    )


def page_texts(pdf: Path) -> list[str]:
    """The text of each page (pdftotext separates pages with a form feed)."""
    text = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


def page_images(pdf: Path, out: Path) -> list[np.ndarray]:
    """Every page as a grey image at :data:`DPI` (``pdftoppm -r 50``)."""
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", str(pdf), str(out / "page")], check=True)
    return [np.asarray(Image.open(p).convert("L")) for p in sorted(out.glob("page-*.png"))]


def layout_problems(pages: list[np.ndarray]) -> list[str]:
    """What is wrong with the pictures of the pages: not A4, no content between the header and the
    footer, or ink in the left or right margin. The side margins hold nothing, not even the header
    and footer (they are inset by the same margins), so ink there is content wider than the page."""
    problems = []
    w_a4, h_a4 = round(A4_INCHES[0] * DPI), round(A4_INCHES[1] * DPI)
    top, bottom = int(MARGINS["marginTop"] * DPI), int(MARGINS["marginBottom"] * DPI)
    side_l, side_r = int(MARGINS["marginLeft"] * DPI) - 2, int(MARGINS["marginRight"] * DPI) - 2  # 2 px anti-aliasing
    for n, img in enumerate(pages, 1):
        h, w = img.shape
        if abs(w - w_a4) > 1 or abs(h - h_a4) > 1:
            problems.append(f"page {n}: {w}x{h} px is not A4 at {DPI} dpi ({w_a4}x{h_a4})")
            continue
        ink = img < INK
        if ink[top : h - bottom, side_l : w - side_r].sum() < 100:
            problems.append(f"page {n}: no content")
        right = np.flatnonzero(ink[:, w - side_r :].any(axis=0))
        if right.size:
            problems.append(
                f"page {n}: ink in the right margin ({right.size} columns of {side_r}): wider than the page"
            )
        if ink[:, :side_l].any():
            problems.append(f"page {n}: ink in the left margin")
    return problems


# --- missing browser: one line, exit 5 (fast) -----------------------------------------------------
@pytest.mark.parametrize(
    "command",
    [["report", "Hưng Yên", "--year", "2022", "--pdf"], ["batch", "--year", "2022", "--province", "Hưng Yên", "--pdf"]],
)
def test_missing_chromium_is_one_line_and_exit_5(tmp_path, command):
    (tmp_path / "bin").mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PARLIB_CHROMIUM"}
    env["PATH"] = str(tmp_path / "bin")  # nothing on PATH: no chromium
    r = _parlib(*command, "--out", str(tmp_path / "out"), env=env, timeout=120)
    assert r.returncode == 5, (r.returncode, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    assert lines[0].startswith("parlib: ") and "apt-get install chromium" in lines[0], lines[0]
    assert not (tmp_path / "out").exists()  # said before any report was rendered


# --- rendered PDFs (slow) -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def hung_yen_vi(tmp_path_factory):
    """`parlib report "Hưng Yên" --year 2022 --lang vi --pdf`: the HTML and the PDF paths."""
    _require_tools()
    out = tmp_path_factory.mktemp("pdf")
    r = _parlib("report", "Hưng Yên", "--year", "2022", "--lang", "vi", "--pdf", "--out", str(out))
    assert r.returncode == 0, r.stderr
    html, pdf = (Path(x) for x in r.stdout.split())
    assert html == out / "2022" / "vi" / "hung-yen.html" and pdf == html.with_suffix(".pdf")
    return html, pdf


@pytest.mark.slow
def test_hung_yen_pdf_pages_have_text_title_and_numbers(hung_yen_vi):
    html, pdf = hung_yen_vi
    pages = page_texts(pdf)
    assert len(pages) >= 3, len(pages)
    title = re.search(r"<title>([^<]*)</title>", html.read_text(encoding="utf-8")).group(1)
    assert "Hưng Yên" in title
    n = len(pages)
    for i, text in enumerate(pages, 1):
        lines = [x.strip() for x in text.splitlines() if x.strip()]
        assert len(lines) >= 3, f"page {i} has almost no text: {lines}"
        assert lines[0] == title, f"page {i}: header {lines[0]!r} is not the title"
        assert lines[-1] == f"{i} / {n}", f"page {i}: footer {lines[-1]!r}"


@pytest.mark.slow
def test_hung_yen_pdf_pages_are_a4_with_content_and_nothing_overflows(hung_yen_vi, tmp_path):
    _, pdf = hung_yen_vi
    pages = page_images(pdf, tmp_path / "png")
    assert len(pages) >= 3
    assert layout_problems(pages) == []
    assert text_scale(pdf) >= MIN_TEXT_SCALE  # not shrunk to fit something wider than the page


@pytest.mark.slow
@pytest.mark.parametrize(
    "block",
    [
        '<div style="width:60rem;height:3rem;background:#333;color:#fff">wider than A4</div>',
        '<div style="position:relative;left:calc(100% + 0.1in);width:0.3in;height:3rem;background:#000"></div>',
    ],
)
def test_overflow_check_catches_a_wide_element(hung_yen_vi, tmp_path, block):
    """The width checks can fail: the same report with one element wider than A4 prints shrunk
    (Chromium fits it by scaling every page down, then clips what is still too wide)."""
    html, _ = hung_yen_vi
    wide = tmp_path / "wide.html"
    page = html.read_text(encoding="utf-8")
    wide.write_text(page.replace("</body>", block + "</body>", 1), encoding="utf-8")
    pdf = html_to_pdf(wide).pdf
    assert text_scale(pdf) < MIN_TEXT_SCALE


@pytest.mark.slow
def test_batch_pdf_is_recorded_in_the_manifest(tmp_path):
    _require_tools()
    r = _parlib(
        "batch",
        "--year",
        "2022",
        "--province",
        "Hưng Yên",
        "--lang",
        "en",
        "--pdf",
        "--quiet",
        "--workers",
        "1",
        "--out",
        str(tmp_path),
    )
    assert r.returncode == 0, r.stdout + r.stderr
    rec = json.loads((tmp_path / "2022" / "manifest.json").read_text(encoding="utf-8"))["reports"][0]
    pdf = Path(rec["pdf"])
    assert rec["status"] == "ok" and pdf == tmp_path / "2022" / "en" / "hung-yen.pdf" and rec["pdf_seconds"] > 0
    assert pdf.read_bytes().startswith(b"%PDF") and len(page_texts(pdf)) >= 3
    assert not list(pdf.parent.glob(".*"))  # no temporary file left
    # --resume with --pdf: the report is skipped while its PDF is there, re-rendered when it is gone
    r = _parlib(
        "batch",
        "--year",
        "2022",
        "--province",
        "Hưng Yên",
        "--lang",
        "en",
        "--pdf",
        "--quiet",
        "--workers",
        "1",
        "--resume",
        "--out",
        str(tmp_path),
    )
    assert "1 unchanged (skipped)" in r.stdout, r.stdout
    pdf.unlink()
    r = _parlib(
        "batch",
        "--year",
        "2022",
        "--province",
        "Hưng Yên",
        "--lang",
        "en",
        "--pdf",
        "--quiet",
        "--workers",
        "1",
        "--resume",
        "--out",
        str(tmp_path),
    )
    assert "1 ok" in r.stdout and pdf.is_file(), r.stdout


def text_scale(pdf: Path) -> float:
    """How large the body text is printed, relative to the header (fixed 8 pt, never scaled): the
    median height of the words between the margins over the median height of the header's words.
    Chromium fits content wider than the page by shrinking every page (and then clipping), so a
    report that is too wide prints small, not into the margin."""
    import statistics

    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, check=True).stdout.decode()
    head, body = [], []
    for page in xml.split("<page ")[1:]:
        height = float(re.search(r'height="([\d.]+)"', page).group(1))
        for y0, y1 in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', page):
            y0, y1 = float(y0), float(y1)
            if y1 <= MARGINS["marginTop"] * 72:
                head.append(y1 - y0)
            elif y0 < height - MARGINS["marginBottom"] * 72:
                body.append(y1 - y0)
    return statistics.median(body) / statistics.median(head)

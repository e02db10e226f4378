"""The browser checker itself, on synthetic pages: each test shows that a check can fail."""

from __future__ import annotations

import base64
import struct
import zlib
from pathlib import Path

import pytest
from browser import BrowserReport, assert_offline_report, open_in_chromium

pytestmark = pytest.mark.slow


def synthetic_png(width: int = 4, height: int = 3) -> bytes:
    """A tiny valid RGB PNG, built from raw bytes."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x20\x80\xc0" * width for _ in range(height))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def synthetic_page(tmp_path: Path, name: str, body: str, *, head: str = "") -> Path:
    page = tmp_path / f"synthetic-{name}.html"
    page.write_text(
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Synthetic {name}</title>{head}</head>\n"
        f"<body>{body}</body></html>\n",
        encoding="utf-8",
    )
    return page


def _png_uri() -> str:
    return "data:image/png;base64," + base64.b64encode(synthetic_png()).decode("ascii")


def _open(tmp_path: Path, page: Path, **kw) -> BrowserReport:
    shot = tmp_path / f"{page.stem}.png"
    report = open_in_chromium(page, shot, **kw)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    print(f"{page.name}: {report.seconds:.2f} s")
    return report


def test_good_synthetic_page_passes(tmp_path):
    page = synthetic_page(tmp_path, "good", f'<h1>Hưng Yên</h1><p>Fine.</p><img alt="dot" src="{_png_uri()}">')
    report = _open(tmp_path, page)
    assert report.title == "Synthetic good"
    assert report.lang == "en"
    assert report.images == 1
    assert report.broken_images == []
    assert report.requests == []
    assert report.console_errors == []
    assert report.scripts_executed_marker is None
    assert "Hưng Yên" in report.text
    assert report.horizontal_overflow is False
    assert_offline_report(report)


def test_remote_image_is_a_request_and_broken(tmp_path):
    page = synthetic_page(tmp_path, "remote", '<img alt="x" src="http://example.invalid/x.png">')
    report = _open(tmp_path, page)
    assert "http://example.invalid/x.png" in report.requests
    assert report.broken_images == ["http://example.invalid/x.png"]
    with pytest.raises(AssertionError, match="network requests"):
        assert_offline_report(report)


def test_console_error_is_recorded(tmp_path):
    page = synthetic_page(
        tmp_path, "console", f'<img alt="dot" src="{_png_uri()}"><script>console.error("boom")</script>'
    )
    report = _open(tmp_path, page)
    assert any("boom" in m for m in report.console_errors), report.console_errors
    assert report.requests == []
    with pytest.raises(AssertionError, match="console errors"):
        assert_offline_report(report)


def test_script_marker_is_seen(tmp_path):
    page = synthetic_page(tmp_path, "pwned", f'<img alt="dot" src="{_png_uri()}"><script>window.__pwned = 1</script>')
    report = _open(tmp_path, page)
    assert report.scripts_executed_marker == 1
    with pytest.raises(AssertionError, match="__pwned"):
        assert_offline_report(report)


def test_wide_table_overflows_on_a_phone(tmp_path):
    cells = "".join(f"<td>column&nbsp;{i}&nbsp;with&nbsp;long&nbsp;text</td>" for i in range(30))
    page = synthetic_page(tmp_path, "wide", f"<table><tr>{cells}</tr></table>")
    phone = _open(tmp_path, page, width=390)
    assert phone.width == 390
    assert phone.horizontal_overflow is True
    narrow = synthetic_page(tmp_path, "narrow", "<p>Short text.</p>")
    assert _open(tmp_path, narrow, width=390).horizontal_overflow is False


def test_missing_title_lang_and_images_fail(tmp_path):
    page = tmp_path / "synthetic-bare.html"
    page.write_text("<!doctype html><html><body><p>bare</p></body></html>", encoding="utf-8")
    report = _open(tmp_path, page)
    assert (report.title, report.lang, report.images) == ("", "", 0)
    with pytest.raises(AssertionError) as err:
        assert_offline_report(report)
    for problem in ("empty <title>", "no <html lang>", "no images"):
        assert problem in str(err.value)

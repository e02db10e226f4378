"""Test helper (not library code): open a rendered HTML file in headless Chromium and report on it.

Usage from a test::

    from browser import assert_offline_report, open_in_chromium

    report = open_in_chromium(html, tmp_path / "page.png")
    assert_offline_report(report)

It drives Debian's ``chromium`` through ``chromium-driver`` with Selenium, pointing Selenium at
``/usr/bin/chromedriver`` explicitly so that Selenium Manager never downloads anything. The
browser is sealed off from the network: every http(s) request goes to a proxy on a closed
loopback port and every host name resolves to "not found", so a page's attempt to reach the
network is *recorded* (from the DevTools performance log) but never leaves the machine.

If Chromium, ChromeDriver or Selenium is missing, the calling test is skipped with a reason that
says what to install (``pytest -ra`` lists it). Set ``PARLIB_REQUIRE_BROWSER=1`` to make that a
failure instead (for CI, where the browser must be there).
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from parlib.run.pdf import CLOSED_NETWORK_FLAGS

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

# Flags for this closed network (env machines/python.md, "Known to work"): the ones parlib prints
# PDFs with, so a report is checked in the browser the way it is printed.
CHROMIUM_FLAGS = CLOSED_NETWORK_FLAGS

# URL schemes that are not network requests.
LOCAL_SCHEMES = (
    "file:",
    "data:",
    "blob:",
    "about:",
    "chrome:",
    "chrome-untrusted:",
    "chrome-extension:",
    "devtools:",
)  # browser-internal pages (Chromium 156 loads its new-tab page) are not network

MAX_SCREENSHOT_HEIGHT = 16384
LOAD_TIMEOUT = 60  # seconds, for navigation and for images to settle


@dataclass
class BrowserReport:
    """What one page looked like in Chromium."""

    url: str
    title: str
    lang: str
    images: int
    broken_images: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    scripts_executed_marker: object = None
    text: str = ""
    horizontal_overflow: bool = False
    #: Images reaching past the viewport's edges (cut off by a box that scrolls or hides its overflow).
    clipped_images: list[str] = field(default_factory=list)
    width: int = 0
    screenshot: Path | None = None
    seconds: float = 0.0


def _unavailable(reason: str):
    if os.environ.get("PARLIB_REQUIRE_BROWSER"):
        pytest.fail(f"{reason} (PARLIB_REQUIRE_BROWSER is set)", pytrace=False)
    pytest.skip(reason)


def _require_browser() -> None:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.is_file()]
    if missing:
        _unavailable(
            "browser test needs Debian's Chromium and ChromeDriver: "
            f"missing {', '.join(missing)}; install them with "
            "`apt-get install -y chromium chromium-driver`"
        )
    try:
        import selenium  # noqa: F401
    except ImportError:
        _unavailable("browser test needs Selenium: `pip install -e .[dev]` (selenium>=4.20)")


# Read everything the report needs in one round trip.
_PAGE_STATE_JS = """
const imgs = Array.from(document.images);
const marker = window.__pwned;
return {
  title: document.title,
  lang: document.documentElement.getAttribute('lang') || '',
  images: imgs.length,
  broken: imgs.filter(i => i.naturalWidth === 0).map(i => (i.currentSrc || i.src || '').slice(0, 80)),
  marker: marker === undefined ? null : marker,
  text: document.body ? document.body.innerText : '',
  scrollWidth: document.documentElement.scrollWidth,
  innerWidth: window.innerWidth,
  clipped: imgs.filter(i => { const r = i.getBoundingClientRect();
                              return r.width > 0 && (r.left < -1 || r.right > window.innerWidth + 1); })
               .map(i => (i.alt || i.src || '').slice(0, 80)),
};
"""

_SETTLED_JS = """
return document.readyState === 'complete'
  && Array.from(document.images).every(i => i.complete);
"""


def _requested_urls(perf_log: list[dict]) -> list[str]:
    urls: list[str] = []
    for entry in perf_log:
        try:
            msg = json.loads(entry["message"])["message"]
        except (KeyError, ValueError, TypeError):
            continue
        method = msg.get("method")
        params = msg.get("params", {})
        if method == "Network.requestWillBeSent":
            url = params.get("request", {}).get("url", "")
        elif method == "Network.webSocketCreated":
            url = params.get("url", "")
        else:
            continue
        if url and not url.startswith(LOCAL_SCHEMES) and url not in urls:
            urls.append(url)
    return urls


def _screenshot(driver, path: Path) -> None:
    """Full-page PNG through the DevTools protocol; the viewport if that fails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
        size = metrics.get("cssContentSize") or metrics["contentSize"]
        clip = {
            "x": 0,
            "y": 0,
            "width": max(1, int(size["width"])),
            "height": max(1, min(int(size["height"]), MAX_SCREENSHOT_HEIGHT)),
            "scale": 1,
        }
        shot = driver.execute_cdp_cmd(
            "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip}
        )
        path.write_bytes(base64.b64decode(shot["data"]))
    except Exception:  # noqa: BLE001 - any DevTools hiccup: fall back to the viewport
        if not driver.save_screenshot(str(path)):
            raise


def open_in_chromium(html_path: Path, screenshot: Path, *, width: int = 1280, height: int = 900) -> BrowserReport:
    """Open ``html_path`` (a local file) in headless Chromium at ``width`` x ``height`` CSS px.

    Waits for the document and every image to finish loading, saves a PNG of the whole page to
    ``screenshot`` and returns a :class:`BrowserReport`. Skips the calling test (with the reason)
    if Chromium, ChromeDriver or Selenium is not installed. ``horizontal_overflow`` is for the
    width asked for: call with ``width=390`` for a phone.
    """
    _require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.support.ui import WebDriverWait

    html_path = Path(html_path).resolve()
    if not html_path.is_file():
        raise FileNotFoundError(html_path)
    url = html_path.as_uri()
    start = time.monotonic()

    profile = tempfile.mkdtemp(prefix="parlib-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--window-size={width},{height}")
    options.add_argument(f"--user-data-dir={profile}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    service = Service(str(CHROMEDRIVER))

    driver = None
    try:
        driver = webdriver.Chrome(service=service, options=options)
        driver.set_page_load_timeout(LOAD_TIMEOUT)
        # Exact viewport, whatever the window decorations: innerWidth == width.
        driver.execute_cdp_cmd(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )
        driver.get(url)
        WebDriverWait(driver, LOAD_TIMEOUT, poll_frequency=0.05).until(lambda d: d.execute_script(_SETTLED_JS))
        state = driver.execute_script(_PAGE_STATE_JS)
        console = [e.get("message", "") for e in driver.get_log("browser") if e.get("level") in ("SEVERE", "ERROR")]
        requests = _requested_urls(driver.get_log("performance"))
        screenshot = Path(screenshot)
        _screenshot(driver, screenshot)
    finally:
        if driver is not None:
            driver.quit()
        else:
            service.stop()
        shutil.rmtree(profile, ignore_errors=True)

    return BrowserReport(
        url=url,
        title=state["title"],
        lang=state["lang"],
        images=int(state["images"]),
        broken_images=list(state["broken"]),
        console_errors=console,
        requests=requests,
        scripts_executed_marker=state["marker"],
        text=state["text"],
        horizontal_overflow=bool(state["scrollWidth"] > state["innerWidth"]),
        clipped_images=list(state.get("clipped", [])),
        width=int(state["innerWidth"]),
        screenshot=screenshot,
        seconds=round(time.monotonic() - start, 2),
    )


def assert_offline_report(report: BrowserReport) -> None:
    """A rendered report as a reader opening it offline should see it."""
    problems = []
    if not report.title.strip():
        problems.append("empty <title>")
    if not report.lang:
        problems.append("no <html lang>")
    if report.images <= 0:
        problems.append("no images")
    if report.broken_images:
        problems.append(f"broken images: {report.broken_images}")
    if report.console_errors:
        problems.append(f"console errors: {report.console_errors}")
    if report.requests:
        problems.append(f"network requests: {report.requests}")
    if report.scripts_executed_marker is not None:
        problems.append(f"window.__pwned is set ({report.scripts_executed_marker!r}): a script ran")
    assert not problems, f"{report.url}: " + "; ".join(problems)

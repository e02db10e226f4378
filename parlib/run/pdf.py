"""Print an offline report (HTML) to PDF through headless Chromium: A4, the report's title at the
top of every page, "page n / N" at the bottom, charts and tables kept whole where they fit.

No new dependency: Debian's ``chromium`` is driven over the DevTools protocol on a pipe
(``--remote-debugging-pipe``: commands on fd 3, replies on fd 4, one JSON message per NUL), so
no port is opened and nothing is downloaded. ``Page.printToPDF`` is used instead of
``--print-to-pdf`` because only it can put the title and page numbers in the page margins
(Chromium ignores CSS ``@page`` margin boxes; its own ``--print-to-pdf`` header is the date and
the file URL). Before printing, every ``<details>`` (the data behind each chart) is opened, so the
PDF carries the figures a reader could unfold on screen.

The browser is sealed off from the network (a closed proxy port, every host name unresolved),
like the browser tests: an offline report needs nothing from outside.
"""

from __future__ import annotations

import base64
import html
import json
import os
import shutil
import signal
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from parlib.data.files import atomic_write

#: Where Debian puts Chromium; ``PARLIB_CHROMIUM`` names another binary, else ``chromium`` on PATH.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

#: Flags for a headless browser on a closed network (tests/browser.py drives Chromium with the same
#: ones): nothing a page asks for can leave the machine, and no real DNS look-up is made.
CLOSED_NETWORK_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",  # phone-like: the layout viewport is the full width asked for
    "--proxy-server=http://127.0.0.1:9",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
)
#: The flags of a print: the closed network's, plus the pipe the DevTools protocol speaks over.
CHROMIUM_FLAGS = (*CLOSED_NETWORK_FLAGS, "--remote-debugging-pipe")

# A4 in inches (what Page.printToPDF takes) and the margins, in inches, around the content:
# the top and bottom ones hold the title and the page number.
A4_INCHES = (8.27, 11.69)
MARGINS = {"marginTop": 0.6, "marginBottom": 0.6, "marginLeft": 0.55, "marginRight": 0.55}

# Header and footer templates: Chromium fills the elements of class title, pageNumber and totalPages.
# They need their own font size (the default is tiny) and no margin of their own.
_BAND = (
    "font-family:'DejaVu Sans',Arial,sans-serif;font-size:8pt;color:#555;width:100%;"
    "box-sizing:border-box;padding:0 0.55in;margin:0;"
)
HEADER = (
    f'<div style="{_BAND}white-space:nowrap;overflow:hidden;text-overflow:ellipsis;"><span class="title"></span></div>'
)
FOOTER = (
    f'<div style="{_BAND}text-align:right;"><span class="pageNumber"></span> / <span class="totalPages"></span></div>'
)

# Open every <details>; let long unbroken words in table cells (addresses of sources) wrap after
# "/", "." and the like, with <wbr> (no character is added to the text), so that no table is wider
# than A4 (the print CSS overflow-wrap already keeps them inside the page; this chooses nicer break
# points); wait for the fonts and images.
_PREPARE_JS = """
(async () => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  const long = /\\S{28,}/;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {acceptNode: n =>
      n.parentElement && n.parentElement.closest('td, th') && long.test(n.data)
        ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT});
  const nodes = [];
  while (walker.nextNode()) { nodes.push(walker.currentNode); }
  for (const n of nodes) {
    const parts = n.data.split(/(?<=[\\/.?&=_:-])/);
    const frag = document.createDocumentFragment();
    parts.forEach((p, i) => { if (i) { frag.appendChild(document.createElement('wbr')); }
                              frag.appendChild(document.createTextNode(p)); });
    n.replaceWith(frag);
  }
  if (document.fonts && document.fonts.ready) { await document.fonts.ready; }
  await Promise.all(Array.from(document.images).map(i => i.complete ? null :
      new Promise(r => { i.onload = i.onerror = r; })));
  return nodes.length;
})()
"""

LOAD_TIMEOUT = 120.0  # seconds for the whole print (a report prints in a few seconds)


class ChromiumMissingError(RuntimeError):
    """No Chromium to print with; the message says what to install."""


class PrintError(RuntimeError):
    """Chromium started but could not print the page."""


@dataclass
class PdfResult:
    pdf: Path
    seconds: float
    bytes: int


def find_chromium() -> str:
    """The Chromium binary: ``PARLIB_CHROMIUM`` if set, else the first of :data:`CHROMIUM_NAMES`
    on PATH. Raises :class:`ChromiumMissingError` naming the package to install."""
    env = os.environ.get("PARLIB_CHROMIUM")
    if env:
        found = shutil.which(env)
        if found:
            return found
        raise ChromiumMissingError(
            f"PARLIB_CHROMIUM is {env!r}, which is not an executable; unset it or "
            "install Chromium: apt-get install chromium"
        )
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise ChromiumMissingError(
        "printing a PDF needs Chromium, and none was found on PATH; install it with "
        "`apt-get install chromium` (Debian/Ubuntu) or set PARLIB_CHROMIUM to the browser"
    )


# --- a minimal DevTools client over the pipe ----------------------------------------------------
class _Pipe:
    """Send DevTools commands on fd 3 of the browser and read replies from its fd 4."""

    def __init__(self, binary: str, profile: str):
        import fcntl

        to_r, self._to_w = os.pipe()  # we write, Chromium reads (its fd 3)
        self._from_r, from_w = os.pipe()  # Chromium writes (its fd 4), we read
        self._stderr = tempfile.TemporaryFile()
        # posix_spawn (thread-safe, unlike preexec_fn): the pipe ends are first copied above fd 9 so
        # that placing them on fds 3 and 4 cannot overwrite one with the other.
        hi_r, hi_w = fcntl.fcntl(to_r, fcntl.F_DUPFD_CLOEXEC, 10), fcntl.fcntl(from_w, fcntl.F_DUPFD_CLOEXEC, 10)
        os.close(to_r)
        os.close(from_w)
        devnull = os.open(os.devnull, os.O_RDWR | os.O_CLOEXEC)
        try:
            actions = [
                (os.POSIX_SPAWN_DUP2, devnull, 0),
                (os.POSIX_SPAWN_DUP2, devnull, 1),
                (os.POSIX_SPAWN_DUP2, self._stderr.fileno(), 2),
                (os.POSIX_SPAWN_DUP2, hi_r, 3),
                (os.POSIX_SPAWN_DUP2, hi_w, 4),
            ]
            argv = [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "about:blank"]
            self.pid = os.posix_spawn(binary, argv, os.environ, file_actions=actions)
        finally:
            for fd in (hi_r, hi_w, devnull):
                os.close(fd)
        self._status: int | None = None
        self._buf = b""
        self._id = 0
        self.events: list[dict] = []

    def send(
        self, method: str, params: dict | None = None, session: str | None = None, deadline: float | None = None
    ) -> dict:
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        data = json.dumps(msg).encode() + b"\0"
        while data:
            data = data[os.write(self._to_w, data) :]
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise PrintError(f"{method}: {reply['error'].get('message', reply['error'])}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, method: str, session: str, deadline: float) -> dict:
        for i, ev in enumerate(self.events):
            if ev.get("method") == method and ev.get("sessionId") == session:
                return self.events.pop(i)
        while True:
            ev = self._read(deadline)
            if ev.get("method") == method and ev.get("sessionId") == session:
                return ev
            self.events.append(ev)

    def _read(self, deadline: float | None) -> dict:
        import select

        while b"\0" not in self._buf:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise PrintError(f"Chromium did not answer within {LOAD_TIMEOUT:.0f} s")
            ready, _, _ = select.select([self._from_r], [], [], left)
            if not ready:
                continue
            chunk = os.read(self._from_r, 1 << 20)
            if not chunk:
                raise PrintError("Chromium stopped: " + self.stderr_tail())
            self._buf += chunk
        msg, self._buf = self._buf.split(b"\0", 1)
        return json.loads(msg)

    def poll(self) -> int | None:
        """The browser's exit status, or None while it runs."""
        if self._status is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self._status = os.waitstatus_to_exitcode(status)
        return self._status

    def stderr_tail(self) -> str:
        self._stderr.seek(0)
        lines = [x for x in self._stderr.read().decode("utf-8", "replace").splitlines() if x.strip()]
        return lines[-1][:300] if lines else f"exit code {self.poll()}"

    def close(self) -> None:
        """Close the pipe (Chromium exits when its end closes), then make sure it is gone."""
        for fd in (self._to_w, self._from_r):
            try:
                os.close(fd)
            except OSError:
                pass
        deadline = time.monotonic() + 5
        while self.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        if self.poll() is None:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
            self._status = -signal.SIGKILL
        self._stderr.close()


def print_options(title: str | None = None) -> dict:
    """The ``Page.printToPDF`` parameters: A4, title header, page-number footer, backgrounds.

    ``title`` (escaped) replaces the document's own ``<title>`` in the header when given."""
    header = HEADER if title is None else HEADER.replace('<span class="title"></span>', html.escape(title))
    return {
        "paperWidth": A4_INCHES[0],
        "paperHeight": A4_INCHES[1],
        **MARGINS,
        "printBackground": True,
        "preferCSSPageSize": False,
        "displayHeaderFooter": True,
        "headerTemplate": header,
        "footerTemplate": FOOTER,
        "scale": 1,
        "generateDocumentOutline": True,
        "generateTaggedPDF": True,
    }


def html_to_pdf_bytes(html_path: str | Path, *, title: str | None = None, timeout: float = LOAD_TIMEOUT) -> bytes:
    """Print a local HTML file to PDF and return the bytes (see :func:`print_options`)."""
    html_path = Path(html_path).resolve()
    if not html_path.is_file():
        raise FileNotFoundError(2, "no such report", str(html_path))
    binary = find_chromium()
    profile = tempfile.mkdtemp(prefix="parlib-pdf-")
    deadline = time.monotonic() + timeout
    pipe = None
    try:
        try:
            pipe = _Pipe(binary, profile)
        except OSError as e:
            raise ChromiumMissingError(
                f"could not start Chromium ({binary}): {e.strerror or e}; install it with `apt-get install chromium`"
            ) from None
        target = pipe.send("Target.createTarget", {"url": "about:blank"}, deadline=deadline)["targetId"]
        session = pipe.send("Target.attachToTarget", {"targetId": target, "flatten": True}, deadline=deadline)[
            "sessionId"
        ]
        pipe.send("Page.enable", session=session, deadline=deadline)
        nav = pipe.send("Page.navigate", {"url": html_path.as_uri()}, session=session, deadline=deadline)
        if nav.get("errorText"):
            raise PrintError(f"Chromium could not open {html_path}: {nav['errorText']}")
        pipe.wait_event("Page.loadEventFired", session, deadline)
        prep = pipe.send(
            "Runtime.evaluate",
            {"expression": _PREPARE_JS, "awaitPromise": True, "returnByValue": True},
            session=session,
            deadline=deadline,
        )
        if prep.get("exceptionDetails"):
            raise PrintError(
                "preparing the page for print failed: "
                + str(prep["exceptionDetails"].get("exception", {}).get("description", ""))[:300]
            )
        result = pipe.send("Page.printToPDF", print_options(title), session=session, deadline=deadline)
        try:
            pipe.send("Browser.close", deadline=time.monotonic() + 5)
        except PrintError:
            pass
        return base64.b64decode(result["data"])
    finally:
        if pipe is not None:
            pipe.close()
        shutil.rmtree(profile, ignore_errors=True)


def html_to_pdf(
    html_path: str | Path,
    pdf_path: str | Path | None = None,
    *,
    title: str | None = None,
    timeout: float = LOAD_TIMEOUT,
) -> PdfResult:
    """Print ``html_path`` to ``pdf_path`` (default: the same name with ``.pdf``), written atomically:
    a failed print never replaces an earlier PDF."""
    t = time.perf_counter()
    html_path = Path(html_path)
    pdf_path = Path(pdf_path) if pdf_path else html_path.with_suffix(".pdf")
    data = html_to_pdf_bytes(html_path, title=title, timeout=timeout)
    if not data.startswith(b"%PDF"):
        raise PrintError(f"Chromium returned no PDF for {html_path}")
    atomic_write(pdf_path, data)
    return PdfResult(pdf_path, time.perf_counter() - t, len(data))

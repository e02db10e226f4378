"""One notebook output per section: what a section shows is gathered and displayed once, as HTML.

A report section is a heading, paragraphs, tables and charts. Displayed one by one, each part became
an output of its own: a message from the kernel, an output the notebook runner checks and stores, a
block the HTML export lays out (a province report had 62, and each cost the batch about as much
as a small chart; issue 21). Gathered, a section is one HTML output: the notebook opens in JupyterLab
with one output under each call, the rendered page reads the same: each part keeps a box of its own
(``<div class="parlib-part">``, spaced by the report template as separate outputs were).

Markdown parts (parlib's narrative, already escaped) become HTML here, with the Markdown rules of
nbconvert's HTML export (mistune, with the same plugins: tables, strikethrough, bare URLs, task lists,
definition lists), so a paragraph is the same HTML whether JupyterLab, nbconvert or this module
rendered it; a test compares them on every Markdown text of the reports.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterator

#: The parts of the section being gathered (None: none is, a part is displayed at once).
_GATHERED: list[str] | None = None

#: The mistune plugins of nbconvert's Markdown export (``nbconvert.filters.markdown_mistune``).
MARKDOWN_PLUGINS = ("strikethrough", "table", "url", "task_lists", "def_list")


@functools.lru_cache(maxsize=1)
def _markdown() -> Callable[[str], str]:
    import mistune

    return mistune.create_markdown(escape=False, hard_wrap=False, plugins=list(MARKDOWN_PLUGINS))


def markdown_html(text: str) -> str:
    """Markdown text (safe: parlib's narrative or escaped text) as HTML."""
    return str(_markdown()(text))


def show(obj) -> None:
    """Show an IPython ``HTML`` or ``Markdown`` object: added to the section being gathered
    (:func:`one_output`), or displayed at once outside a section."""
    if _GATHERED is None:
        from IPython.display import display

        display(obj)
        return
    from IPython.display import Markdown

    html = markdown_html(obj.data) if isinstance(obj, Markdown) else obj.data
    _GATHERED.append(f'<div class="parlib-part">{html}</div>')


@contextlib.contextmanager
def one_output() -> Iterator[None]:
    """Gather what is shown inside into one HTML output, displayed when the outermost block ends (also
    when it raises: what was shown before the error stays above the traceback). Nested blocks add to
    the outer one."""
    global _GATHERED
    if _GATHERED is not None:
        yield
        return
    _GATHERED = parts = []
    try:
        yield
    finally:
        _GATHERED = None
        if parts:
            from IPython.display import HTML, display

            display(HTML("\n".join(parts)))


def section(method: Callable) -> Callable:
    """A page's section method, displaying one output (:func:`one_output`)."""

    @functools.wraps(method)
    def shown(*args, **kwargs):
        with one_output():
            return method(*args, **kwargs)

    return shown


def sections_shown_once(*methods: str):
    """Class decorator: each named method (a section of :mod:`parlib.present.sections`) displays one
    output."""

    def wrap(cls):
        for name in methods:
            setattr(cls, name, section(getattr(cls, name)))
        return cls

    return wrap

"""Presentation: the bilingual catalogue, formatting, narrative, tables, charts, maps, pages.

Presenters format what a Profile or an Overview carries; they never rank, average or subtract,
and never import :mod:`parlib.engine` or :mod:`parlib.data` (a test enforces this).

JupyterLab's rich display of a profile registers here, with IPython's HTML formatter, when the
presenters are imported inside a running IPython (``import parlib`` imports them): the engine
never imports a presenter for it.
"""

from __future__ import annotations

import sys


def _profile_html(profile) -> str:
    from parlib.present.pages import profile_html  # the page builder loads only when a profile is shown

    return profile_html(profile, "en")


def register_display(formatter=None) -> None:
    """Show a :class:`~parlib.engine.results.Profile` as its headline and scorecard (English).

    ``formatter`` is an IPython HTML formatter; without one, the running shell's, if IPython is
    running (IPython is never imported for it). The class is named, not imported, so the
    presenters stay free of the engine.
    """
    if formatter is None:
        ipython = sys.modules.get("IPython")
        shell = ipython.get_ipython() if ipython is not None else None
        if shell is None:
            return
        formatter = shell.display_formatter.formatters["text/html"]
    formatter.for_type_by_name("parlib.engine.results", "Profile", _profile_html)


register_display()

"""JupyterLab's rich display of a profile: headline and scorecard, escaped, registered by the presenters."""

from __future__ import annotations

import dataclasses
import html
import re
import subprocess
import sys

import pytest
from IPython.core.formatters import HTMLFormatter

from parlib.engine.profile import assess
from parlib.present import register_display
from parlib.present.narrative import index_sentence


@pytest.fixture
def show():
    f = HTMLFormatter()
    register_display(f)
    return f


def test_profile_repr_html_has_headline_and_scorecard(show):
    p = assess("Hưng Yên", 2022)
    out = show(p)
    papi = p.index("PAPI")
    sentence = index_sentence(p, papi, "en")
    assert "ranking 11th out of 61 provinces" in sentence
    assert f"<p>{html.escape(sentence)}</p>" in out  # the PAPI rank sentence, escaped
    assert "<h4>Scorecard</h4>" in out and out.count("<tr") == 1 + len(p.indices)
    assert "11th/61" in out
    assert not re.search(r"\bnan\b|\bNone\b", out, re.I), out


def test_profile_repr_html_escapes_data(show):
    p = assess("Hưng Yên", 2022)
    hostile = dataclasses.replace(p.province, name_en="<script>window.__pwned=1</script>")
    out = show(dataclasses.replace(p, province=hostile))
    assert "<script>" not in out and "&lt;script&gt;" in out


def test_a_running_shell_shows_a_profile_once_parlib_is_imported():
    """In IPython (a notebook's kernel), ``import parlib`` registers the display; the engine has no hook."""
    code = (
        "from IPython.core.interactiveshell import InteractiveShell\n"
        "shell = InteractiveShell.instance()\n"
        "import parlib\n"
        "p = parlib.assess('Hưng Yên', 2022)\n"
        "data, _ = shell.display_formatter.format(p)\n"
        "print(hasattr(p, '_repr_html_'), 'Scorecard' in data.get('text/html', ''))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "True"], out

"""JupyterLab's rich display of a profile (``Profile._repr_html_``): headline and scorecard, escaped."""

from __future__ import annotations

import dataclasses
import html
import re

from parlib.engine.profile import assess
from parlib.present.narrative import index_sentence


def test_profile_repr_html_has_headline_and_scorecard():
    p = assess("Hưng Yên", 2022)
    out = p._repr_html_()
    papi = p.index("PAPI")
    sentence = index_sentence(p, papi, "en")
    assert "ranking 11th out of 61 provinces" in sentence
    assert f"<p>{html.escape(sentence)}</p>" in out  # the PAPI rank sentence, escaped
    assert "<h4>Scorecard</h4>" in out and out.count("<tr") == 1 + len(p.indices)
    assert "11th/61" in out
    assert not re.search(r"\bnan\b|\bNone\b", out, re.I), out


def test_profile_repr_html_escapes_data():
    p = assess("Hưng Yên", 2022)
    hostile = dataclasses.replace(p.province, name_en="<script>window.__pwned=1</script>")
    out = dataclasses.replace(p, province=hostile)._repr_html_()
    assert "<script>" not in out and "&lt;script&gt;" in out

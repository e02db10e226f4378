"""Words as data (issue 19, deliverable 2): one gettext catalogue per language, a language added by
a catalogue file alone, no key missing anywhere, and the Vietnamese labels checked by their exact
text (written here, never read from the catalogue under test)."""

from __future__ import annotations

import os
import string
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from parlib import _words
from parlib.present import catalogue, charts, fmt, tables

LOCALES = Path(_words.__file__).with_name("locales")


# --- a pseudo-locale, made from en.po ---------------------------------------------------------
_ACCENTS = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "àƀçđéƒĝĥîĵķĺɱñöþǫŕšţûṽŵẋýžÀƁÇĐÉƑĜĤÎĴĶĹṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)


def pseudo(text: str) -> str:
    """'Score {year}' → '⟦Šçöŕé {year}⟧': every letter accented, ``{fields}`` kept, the whole
    wrapped, so a text from this catalogue is told apart from an English fallback at a glance."""
    out = []
    for literal, field, spec, conv in string.Formatter().parse(text):
        out.append(literal.translate(_ACCENTS).replace("{", "{{").replace("}", "}}"))
        if field is not None:
            out.append("{" + field + ("!" + conv if conv else "") + (":" + spec if spec else "") + "}")
    return "⟦" + "".join(out) + "⟧" if text.strip() else text


def write_pseudo_catalogue(folder: Path, lang: str = "xx") -> Path:
    """``<folder>/<lang>.po``: en.po with every text through :func:`pseudo` (its number locale and
    language tag are metadata and stay English's; its name is pseudo too)."""
    with (LOCALES / "en.po").open("rb") as f:
        cat = read_po(f)
    for m in cat:
        if not m.id or m.id in ("meta.number_locale", "meta.language_tag"):
            continue
        m.string = tuple(pseudo(s) for s in m.string) if isinstance(m.id, tuple) else pseudo(m.string)
    from babel.messages.pofile import write_po

    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{lang}.po"
    with path.open("wb") as f:
        write_po(f, cat, width=0)
    return path


@pytest.fixture
def xx(tmp_path, monkeypatch) -> Path:
    """A third language, ``xx``, added by one catalogue file in a folder named by PARLIB_LOCALES."""
    folder = tmp_path / "locales"
    write_pseudo_catalogue(folder)
    monkeypatch.setenv("PARLIB_LOCALES", str(folder))
    return folder


# --- every language has every key ---------------------------------------------------------------
def _read(path: Path) -> dict[str, tuple[str, ...]]:
    with path.open("rb") as f:
        cat = read_po(f, abort_invalid=True)
    return {
        (m.id[0] if isinstance(m.id, tuple) else m.id): tuple(m.string) if isinstance(m.id, tuple) else (m.string,)
        for m in cat
        if m.id
    }


def _fields(texts: tuple[str, ...]) -> set[str]:
    return {f for t in texts for _, f, _, _ in string.Formatter().parse(t) if f is not None}


#: The only fields a translation leaves out, each for its grammar: Vietnamese says "không đổi"
#: (unchanged) / "bằng" (equal) without the zero English writes as "±0.00 points".
DROPS = {("vi", f"table.{t}.none_{u}"): {"n"} for t in ("change", "gap", "published") for u in ("pp", "points")}


def _gaps(source: dict, other: dict, lang: str = "vi") -> list[str]:
    bad = [f"missing {k!r}" for k in source if k not in other]
    bad += [f"{k!r} has no text" for k, v in other.items() if not any(s.strip() for s in v) and any(source.get(k, ()))]
    bad += [
        f"{k!r} fields {sorted(_fields(other[k]))} != en's {sorted(_fields(v))}"
        for k, v in source.items()
        if k in other and _fields(other[k]) != _fields(v) - DROPS.get((lang, k), set())
    ]
    bad += [f"{k!r} is not in en.po" for k in other if k not in source]
    return bad


@pytest.mark.parametrize("path", sorted(LOCALES.glob("*.po")), ids=lambda p: p.name)
def test_every_catalogue_has_every_key_with_the_same_fields(path):
    source = _read(LOCALES / "en.po")
    assert len(source) > 300 and "meta.name" in source and "meta.number_locale" in source
    assert _gaps(source, _read(path), path.stem) == []


def test_a_missing_key_or_field_is_found(tmp_path):
    """The check above is not vacuous: a catalogue without one key, or with a field renamed, fails it."""
    source = _read(LOCALES / "en.po")
    broken = dict(_read(LOCALES / "vi.po"))
    del broken["table.national_avg"]
    broken["chart.region_title"] = (broken["chart.region_title"][0].replace("{region}", "{vung}"),)
    gaps = _gaps(source, broken)
    assert "missing 'table.national_avg'" in gaps and any("chart.region_title" in g for g in gaps), gaps


def test_the_languages_are_the_catalogues_found(xx):
    assert tuple(catalogue.LANGS) == ("en", "vi", "xx") and "xx" in catalogue.LANGS
    assert _words.lang_name("vi") == "Tiếng Việt" and _words.lang_name("xx") == pseudo("English")
    assert catalogue.word("rankings", "xx") == pseudo("Rankings")
    assert catalogue.TABLE["xx"]["national_avg"] == pseudo("National average")
    with pytest.raises(ValueError, match="en, vi, xx"):
        catalogue.check_lang("zz")


def test_without_the_folder_the_third_language_is_gone(xx, monkeypatch):
    monkeypatch.delenv("PARLIB_LOCALES")
    assert tuple(catalogue.LANGS) == ("en", "vi") and "xx" not in catalogue.LANGS


def test_a_broken_or_incomplete_catalogue_is_one_line_naming_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("PARLIB_LOCALES", str(tmp_path))
    (tmp_path / "zz.po").write_text('msgid "a"\ngarbage\n', encoding="utf-8")
    with pytest.raises(ValueError, match=r"zz\.po: not a readable gettext catalogue") as e:
        _words.langs()
    assert "\n" not in str(e.value)
    po = (LOCALES / "vi.po").read_text(encoding="utf-8")
    (tmp_path / "zz.po").write_text(po.replace('msgid "table.national_avg"', 'msgid "table.national_av"'), "utf-8")
    with pytest.raises(ValueError, match=r"zz\.po: 1 message\(s\) missing or empty, first table\.national_avg"):
        _words.langs()
    (tmp_path / "zz.po").write_text(po.replace('"Trung bình toàn quốc"', '""'), "utf-8")
    with pytest.raises(ValueError, match=r"zz\.po: \d message\(s\) missing or empty"):
        _words.langs()


# --- plural forms ----------------------------------------------------------------------------
def test_plural_forms_follow_each_catalogue():
    assert [_words.plural("table.up_places", n, "en").format(n=n) for n in (1, 2)] == ["↑1 place", "↑2 places"]
    assert [_words.plural("table.upto", n, "vi").format(n=n) for n in (1, 2)] == ["tối đa 1 bậc", "tối đa 2 bậc"]
    assert tables._rank_change_cell(-1, "en") == "↓1 place" and tables._rank_change_cell(3, "vi") == "tăng 3 bậc"


# --- the Vietnamese labels, by their exact text --------------------------------------------------
#: Written out here from the Ministry's register (DOMAIN §7); never read from vi.po.
VI = {
    "heading.headline": "Kết quả chung",
    "heading.rankings": "Bảng xếp hạng",
    "heading.regional": "Trung bình theo vùng",
    "table.national_avg": "Trung bình toàn quốc",
    "table.gap": "So với trung bình toàn quốc",
    "table.vietnam": "Cả nước",
    "table.mean_prov": "Bình quân các tỉnh có số liệu",
    "chart.national": "Trung bình toàn quốc",
    "chart.regional": "Trung bình vùng",
    "chart.national_computed": "Trung bình toàn quốc (bình quân các tỉnh có số liệu)",
    "scenario.national_avg": "trung bình toàn quốc",
    "group.papi_quartile.1": "Nhóm đạt điểm cao nhất",
    "group.papi_quartile.4": "Nhóm đạt điểm thấp nhất",
    "plan.regain_amount_points": "{n} điểm",  # the plan once read "{n} points" in Vietnamese
}


@pytest.mark.parametrize("key", sorted(VI))
def test_vietnamese_label_exact_text(key):
    assert catalogue.word(key, "vi") == VI[key]


def test_vietnamese_regional_and_national_rows_carry_their_own_figures():
    """Ninh Bình 2023, PAR INDEX, in Vietnamese: the row labelled "Trung bình vùng" holds the
    published Red River Delta mean (88.33 %), the row "Trung bình toàn quốc" the national one.
    Swapping the two labels in vi.po fails here."""
    from parlib.data.dataset import load
    from parlib.engine.model import model_for
    from parlib.engine.profile import assess

    p = assess("Ninh Bình", 2023, model=model_for(load(), 2023))
    data = charts.region_comparison(p, "PAR", "vi").parlib_data
    rows = dict(zip(data.iloc[:, 0], data.iloc[:, 1]))
    regional = [v for k, v in rows.items() if k.startswith("Trung bình vùng")]
    national = [v for k, v in rows.items() if k.startswith("Trung bình toàn quốc")]
    assert regional == ["88,33%"]
    assert national == [fmt.score(p.index("PAR").national_avg, "PAR", "vi")] and national != regional


# --- the command line follows the catalogues -----------------------------------------------------
def _parlib(*argv: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "parlib.cli", *argv], capture_output=True, text=True, env=env, timeout=300
    )


def test_cli_lang_accepts_a_catalogue_and_refuses_another_in_one_line(xx, tmp_path):
    env = {**os.environ, "PARLIB_LOCALES": str(xx)}
    # xx passes the language check (the province is what is refused, before any kernel)
    ok = _parlib("report", "Atlantis", "--year", "2022", "--lang", "xx", "--out", str(tmp_path / "o"), env=env)
    assert ok.returncode == 2 and "Unknown province" in ok.stderr and "--lang" not in ok.stderr, ok.stderr
    assert "xx (" in " ".join(_parlib("report", "--help", env=env).stdout.split())
    bad = _parlib("report", "Hưng Yên", "--year", "2022", "--lang", "zz", env=env)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert bad.stderr.strip().count("\n") == 0, bad.stderr
    assert "'zz'" in bad.stderr and "en (English)" in bad.stderr and "vi (Tiếng Việt)" in bad.stderr
    assert "xx (" in bad.stderr
    no_xx = _parlib("report", "Hưng Yên", "--year", "2022", "--lang", "xx", env={**os.environ, "PARLIB_LOCALES": ""})
    assert no_xx.returncode == 2 and "'xx'" in no_xx.stderr and "xx (" not in no_xx.stderr


# --- a report in the third language -------------------------------------------------------------
def _visible_text(path: Path) -> str:
    """The text a reader sees: tags, scripts and styles dropped, images' alt text kept."""
    import html as _html
    import re

    t = path.read_text(encoding="utf-8")
    t = re.sub(r"(?s)<(script|style)[^>]*>.*?</\1>", " ", t)
    t = re.sub(r'(?s)<img[^>]*\balt="([^"]*)"[^>]*>', r" \1 ", t)
    return _html.unescape(re.sub(r"<[^>]+>", " ", t))


def _data_texts() -> list[str]:
    """Every text cell of the bundled data tables (names of components, indicators, sources,
    reasons, licences …): these are data, in the data's languages, not the catalogue's words."""
    import pandas as pd
    from conftest import DATA

    cells = set()
    for f in [DATA / "sources.csv", *sorted((DATA / "meta").glob("*.csv")), *sorted((DATA / "scores").glob("*.csv"))]:
        for col in pd.read_csv(f, dtype=str, keep_default_na=False).astype(str).to_numpy().ravel():
            cells |= {x for x in col.split("|") if len(x) >= 3 and any(ch.isalpha() for ch in x)}
    return sorted(cells, key=len, reverse=True)


def english_left(text: str) -> list[str]:
    """English words of en.po still visible outside the pseudo-locale's ⟦ ⟧ once the data's own
    texts, addresses and file names are taken out."""
    import re

    while True:
        shorter = re.sub(r"⟦[^⟦⟧]*⟧", " ", text)
        if shorter == text:
            break
        text = shorter
    for cell in _data_texts():
        if cell in text:
            text = text.replace(cell, " ")
    text = re.sub(r"\S*/\S*|\S+\.(csv|json|txt|md|py|ipynb|html)\b|sha256\S*|\b[0-9a-f]{12,}\b", " ", text)
    vocab = {
        w.lower()
        for texts in _read(LOCALES / "en.po").values()
        for t in texts
        for w in re.findall(r"[A-Za-z]{3,}", re.sub(r"\{[^}]*\}", " ", t))
    }
    return sorted({w for w in re.findall(r"[A-Za-z]{3,}", text) if w.lower() in vocab})


@pytest.mark.slow
def test_a_report_in_a_language_added_by_a_catalogue_file_alone(xx, tmp_path):
    """Hưng Yên 2022 rendered by papermill in ``xx``, a pseudo-locale that is one .po file in a
    PARLIB_LOCALES folder: it renders, and no English word of the catalogue is left in the visible
    text outside ⟦ ⟧ — figures, names and texts of the data tables (component and indicator names,
    source titles, reasons, licences) and addresses excepted."""
    from parlib.run.render import render_report

    res = render_report("Hưng Yên", 2022, "xx", out=tmp_path / "out")
    assert res.html == tmp_path / "out" / "2022" / "xx" / "hung-yen.html"
    text = _visible_text(res.html)
    assert pseudo("Rankings")[:3] in text or "⟦" in text
    assert text.count("⟦") > 200, "the catalogue's words are not in the report"
    assert english_left(text) == []


def test_english_left_finds_an_english_fallback():
    """The check above is not vacuous: an English sentence outside ⟦ ⟧ is found, the data's
    own names are not."""
    sentence = "⟦Šçöŕé⟧ 44.18 Hưng Yên. Control of Corruption in the Public Sector "
    assert english_left(sentence) == []
    assert english_left(sentence + "Rank over the years") == ["Rank", "over", "the", "years"]


@pytest.mark.slow
def test_the_overview_in_a_language_added_by_a_catalogue_file_alone(xx, tmp_path):
    """The national overview in ``xx``: every chart names provinces (the data has names in en and vi
    only, so they are the English ones) and its words are the catalogue's (it raised IndexError when a
    chart took the name by the language's position among the catalogues)."""
    from parlib.run.render import render_overview

    res = render_overview(2022, "xx", out=tmp_path / "out")
    text = _visible_text(res.html)
    assert text.count("⟦") > 100, "the catalogue's words are not in the overview"
    assert english_left(text) == []

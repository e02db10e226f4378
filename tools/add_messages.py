"""Add messages to every bundled catalogue (parlib/locales/<lang>.po) from a small JSON file.

    python tools/add_messages.py new_messages.json

The JSON maps a key to its text in each language: {"page.index_title": {"en": "Reports",
"vi": "Báo cáo"}}; a plural key gives a list per language, one text per plural form of that
language ({"table.upto": {"en": ["up to {n} place", "up to {n} places"], "vi": ["tối đa {n} bậc"]}}).
Every catalogue must get every key (tests/test_catalogues.py checks keys and {fields}); a key that
exists already is refused. Entries are appended in gettext's syntax, the files are not rewritten.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import escape

LOCALES = Path(__file__).resolve().parents[1] / "parlib" / "locales"


def entry(key: str, text) -> str:
    if isinstance(text, list):
        forms = "".join(f"msgstr[{i}] {escape(t)}\n" for i, t in enumerate(text))
        return f"msgid {escape(key)}\nmsgid_plural {escape(key)}\n{forms}"
    return f"msgid {escape(key)}\nmsgstr {escape(text)}\n"


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    new = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    files = {p.stem: p for p in sorted(LOCALES.glob("*.po"))}
    for key, texts in new.items():
        missing = sorted(set(files) - set(texts))
        if missing:
            print(f"{argv[0]}: {key!r} has no text for {', '.join(missing)}", file=sys.stderr)
            return 2
    for lang, path in files.items():
        have = path.read_text(encoding="utf-8")
        clash = [k for k in new if f"\nmsgid {escape(k)}\n" in have]
        if clash:
            print(f"{path}: already has {', '.join(clash)}", file=sys.stderr)
            return 2
        with path.open("a", encoding="utf-8") as f:
            f.write("\n".join(entry(k, t[lang]) for k, t in new.items()) + "\n")
    print(f"added {len(new)} message(s) to {', '.join(files)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

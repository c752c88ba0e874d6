"""The message catalogues: one gettext `.po` file per language.

`quiz/locale/<lang>/LC_MESSAGES/messages.po` holds every message the screens,
the printed pages and the rules show. A message's id is its Vietnamese text
(Vietnamese is the source language, as gettext expects of a msgid); the `vi`
catalogue maps each id to the wording used (so wording can change without
touching code), the `en` one to English. Where one Vietnamese word needs two
English ones, the second use gets an id with a note, whose `vi` text is the
word itself: "Tạm dừng" (a state: "Paused") and "Tạm dừng (nút)" (the button:
"Pause"); "Đúng" (a verdict: "Correct") and "Phương án Đúng" (a true/false
answer: "True"). Noted ids need a catalogue to read as Vietnamese: the pages
(templates and scripts) and the record's words (`record_words.labels_for`
reads the catalogue itself) may use them; the rules use plain ids, since they
also run where none is installed (tools, tests), or `text.tr_noted(noted,
plain)`, which reads the plain word there. Babel reads and writes the files and
extracts the ids from the code (`python -m quiz.files.locale update`);
`python -m quiz.files.locale check` (and tests/unit/test_i18n.py) fails when a
message used in the code is missing or empty in either catalogue.

Templates translate with Jinja's i18n extension (`{{ _("...") }}`), the rules
with `quiz.rules.text.tr`, the pages' scripts with `Quiz.t` over the
catalogue served as `/i18n/<lang>.js`.
"""

from __future__ import annotations

import re
import sys
from functools import cache
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from quiz.rules import text

LANGUAGES = ("vi", "en")
DEFAULT = "vi"
PACKAGE = Path(__file__).resolve().parents[1]
ROOT = PACKAGE.parent
LOCALE_DIR = PACKAGE / "locale"
# Where messages are used, and how each kind of file is read.
# Python marks messages with `tr`/`N_`, templates with `_`, scripts with `t`
# (`Quiz.t`, or a local `const t = Quiz.t`): a plain string argument each.
SOURCES = (
    (PACKAGE, [("**.py", "python")], {"tr": None, "tr_noted": None, "N_": None}),
    (ROOT / "templates", [("**.html", "jinja2.ext:babel_extract")], {"_": None}),
    (ROOT / "static" / "js", [("**.js", "javascript")], {"t": None}),
)
_VIETNAMESE = re.compile(
    r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.I
)
_FIELD = re.compile(r"\{(\w+)\}")


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Message id -> text in `lang` (only entries with a text)."""
    if lang not in LANGUAGES:
        lang = DEFAULT
    path = po_path(lang)
    if not path.exists():
        return {}
    with path.open("rb") as f:
        po = read_po(f, locale=lang)
    return {
        m.id: m.string
        for m in po
        if isinstance(m.id, str) and m.id and isinstance(m.string, str) and m.string
    }


def install(lang: str) -> None:
    """The rules (and the files layer's printed words) speak `lang` from now on:
    one contest per process, so the CLI and the server call this once."""
    text.install(catalogue(lang))


def used_messages() -> dict[str, list[str]]:
    """Every message id the code uses -> where (file:line)."""
    found: dict[str, list[str]] = {}
    for folder, method_map, keywords in SOURCES:
        for filename, lineno, message, _comments, _context in extract_from_dir(
            folder, method_map, keywords=keywords, comment_tags=(), strip_comment_tags=True
        ):
            ids = message if isinstance(message, tuple) else (message,)
            for msgid in ids:
                if msgid:
                    found.setdefault(msgid, []).append(f"{folder.name}/{filename}:{lineno}")
    return found


def problems() -> list[str]:
    """What is wrong with the catalogues against the code, one line each."""
    used = used_messages()
    out: list[str] = []
    for lang in LANGUAGES:
        table = catalogue.__wrapped__(lang)
        for msgid, where in sorted(used.items()):
            text = table.get(msgid)
            if not text:
                out.append(f"{po_path(lang).relative_to(ROOT)}: missing {msgid!r} ({where[0]})")
                continue
            if set(_FIELD.findall(text)) != set(_FIELD.findall(msgid)):
                out.append(f"{lang}: {msgid!r} -> {text!r}: the {{fields}} differ")
            if lang == "en" and _VIETNAMESE.search(text):
                out.append(f"en: {msgid!r} -> {text!r} is Vietnamese")
    return out


def update() -> None:
    """Add the code's new messages to both catalogues (vi: the id itself; en:
    empty, to be translated) and drop the ones no longer used."""
    used = used_messages()
    for lang in LANGUAGES:
        path = po_path(lang)
        old: Catalog
        if path.exists():
            with path.open("rb") as f:
                old = read_po(f, locale=lang)
        else:
            old = Catalog(locale=lang)
        new = Catalog(locale=lang, charset="utf-8")
        for msgid in used:
            previous = old.get(msgid)
            text = previous.string if previous is not None and previous.string else ""
            if not text and lang == DEFAULT:
                text = msgid
            new.add(msgid, text)
        write(new, path)


def write(po: Catalog, path: Path) -> None:
    """A catalogue as the project keeps it: sorted, one line per message, no
    header, dates or locations (so that two changes merge line by line)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as f:
        write_po(f, po, width=0, sort_output=True, omit_header=True, no_location=True)


def main(argv: list[str]) -> int:
    if argv[:1] == ["update"]:
        update()
        return 0
    if argv[:1] == ["check"]:
        found = problems()
        for line in found:
            print(line)
        return 1 if found else 0
    print("usage: python -m quiz.files.locale update|check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

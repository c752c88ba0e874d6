"""Reading a Word document (.docx through python-docx, imported only here): questions
starting `Câu N.`, lettered choices, the answer marked in bold, underline or
highlight or written on an `Đáp án:` line; problems as `FILE:paragraph N: message`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.files.importers.common import (
    Draft,
    ImportFailed,
    Located,
    _Flow,
    _paragraph,
    _span,
    split_letters,
    split_texts,
)
from quiz.files.untrusted import (
    MAX_PARAGRAPHS,
    Hostile,
    check_package,
)
from quiz.rules.limits import CHOICE_LETTERS, MAX_CHOICES

if TYPE_CHECKING:
    from docx.styles.style import CharacterStyle
    from docx.text.paragraph import Paragraph
    from docx.text.run import Run

# --- Word documents ---------------------------------------------------------------------

_QUESTION_START = re.compile(r"câu\s*\d+\s*[.:)]\s*(.*)", re.IGNORECASE | re.DOTALL)
_CHOICE = re.compile(r"([A-F])\s*[.):]\s*(.*)", re.DOTALL)
_CHOICE_LABEL = re.compile(r"\s*[A-F]\s*[.):]")
_ANSWER_LINE = re.compile(r"(?:đáp\s*án\s*đúng|đáp\s*án|đa)\s*:\s*(.*)", re.IGNORECASE | re.DOTALL)
_EXPLANATION_LINE = re.compile(r"giải\s*thích\s*:\s*(.*)", re.IGNORECASE | re.DOTALL)
_SOURCE_LINE = re.compile(r"nguồn\s*:\s*(.*)", re.IGNORECASE | re.DOTALL)
_NOTE_LINE = re.compile(r"ghi\s*chú\s*:\s*(.*)", re.IGNORECASE | re.DOTALL)
_ANSWER_WITH_TEXT = re.compile(r"([A-Fa-f])\s*[.):]\s*(.+)", re.DOTALL)


@dataclass
class _WordQuestion:
    """A question of a Word document as its paragraphs are read."""

    start: int  # the paragraph of `Câu N`
    text: list[str] = field(default_factory=list)
    choices: list[tuple[str, str, bool, int]] = field(default_factory=list)  # letter, text, marked
    answer: tuple[str, int] | None = None
    notes: dict[str, tuple[list[str], int]] = field(default_factory=dict)  # explanation, source
    open_note: str | None = None  # the note the next plain paragraph continues
    bad_choice: bool = False  # a choice was reported: do not count the choices again
    listed: bool = False  # a paragraph of its text is in a list Word numbers itself


def read_docx(path: str) -> list[tuple[int, Paragraph]]:
    """The body's paragraphs, numbered from 1, empty ones included; tables left out."""
    from zipfile import BadZipFile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if not Path(path).exists():
        raise ImportFailed([Located(path, "1", "file not found")])
    try:
        check_package(path, "docx")
    except Hostile as error:
        raise ImportFailed([Located(path, "1", f"not read: {error}")]) from None
    try:
        document = docx.Document(path)
    except (BadZipFile, PackageNotFoundError, KeyError, ValueError, OSError, SyntaxError) as error:
        raise ImportFailed(
            [Located(path, "1", f"cannot read the file as a Word document (.docx): {error}")]
        ) from None
    paragraphs = document.paragraphs
    if len(paragraphs) > MAX_PARAGRAPHS:
        raise ImportFailed(
            [
                Located(
                    path,
                    "1",
                    f"not read: the document has {len(paragraphs)} paragraphs; at most "
                    f"{MAX_PARAGRAPHS} are read: split it into several files",
                )
            ]
        )
    return list(enumerate(paragraphs, start=1))


def _numbered(paragraph: Paragraph) -> bool:
    """Whether Word numbers the paragraph itself (a list: its "A." is not in its text)."""
    own = paragraph._p.pPr
    if own is not None and own.numPr is not None:
        return True
    style = paragraph.style
    element = getattr(style, "element", None)
    ppr = getattr(element, "pPr", None)
    return ppr is not None and getattr(ppr, "numPr", None) is not None


def questions_from_docx(file: str, paragraphs: Sequence[tuple[int, Paragraph]]) -> list[Draft]:
    """Convert the questions of a Word document; raise ImportFailed with every problem."""
    problems: list[Located] = []
    found: list[_WordQuestion] = []
    for number, paragraph in paragraphs:
        text = unicodedata.normalize("NFC", paragraph.text).strip()
        start = _QUESTION_START.match(text)
        if start:
            found.append(_WordQuestion(number))
            if start.group(1).strip():
                found[-1].text.append(start.group(1).strip())
        elif found and text:
            _read_paragraph(file, found[-1], number, text, paragraph, problems)
    if not found:
        problems.append(
            Located(
                file,
                _paragraph(1),
                "no questions: each question starts with a paragraph 'Câu 1.', 'Câu 2.' ...",
            )
        )
    drafts = [
        _word_draft(file, question, index, problems) for index, question in enumerate(found, 1)
    ]
    if problems:
        raise ImportFailed(problems)
    return drafts


def _read_paragraph(
    file: str,
    question: _WordQuestion,
    number: int,
    text: str,
    paragraph: Paragraph,
    problems: list[Located],
) -> None:
    def problem(message: str) -> None:
        problems.append(Located(file, _paragraph(number), message))

    answer = _ANSWER_LINE.match(text)
    if answer:
        question.open_note = None
        if question.answer is not None:
            problem(f"a second 'Đáp án:' line (the first is paragraph {question.answer[1]})")
        else:
            question.answer = (answer.group(1).strip(), number)
        return
    if _read_note(question, number, text, problem):
        return
    if _read_choice(question, number, text, paragraph, problem):
        return
    if question.open_note is not None:
        question.notes[question.open_note][0].append(text)
    elif not question.choices and question.answer is None and not question.notes:
        question.text.append(text)
        question.listed = question.listed or _numbered(paragraph)
    else:
        shown = text if len(text) <= 40 else text[:37] + "..."
        after = "a choice, " if question.answer is None and not question.notes else ""
        problem(
            f"'{shown}' is not {after}an 'Đáp án:', 'Giải thích:', 'Nguồn:' or 'Ghi chú:' line, "
            "nor the next 'Câu'"
        )


def _read_note(
    question: _WordQuestion, number: int, text: str, problem: Callable[[str], None]
) -> bool:
    """A 'Giải thích:', 'Nguồn:' or 'Ghi chú:' line (it stays open for the
    paragraphs after it); False if `text` is none of them."""
    for key, pattern, label in (
        ("explanation", _EXPLANATION_LINE, "Giải thích:"),
        ("source", _SOURCE_LINE, "Nguồn:"),
        ("note", _NOTE_LINE, "Ghi chú:"),
    ):
        note = pattern.match(text)
        if note:
            if key in question.notes:
                problem(
                    f"a second '{label}' line (the first is paragraph {question.notes[key][1]})"
                )
            else:
                rest = note.group(1).strip()
                question.notes[key] = ([rest] if rest else [], number)
            question.open_note = key
            return True
    return False


def _read_choice(
    question: _WordQuestion,
    number: int,
    text: str,
    paragraph: Paragraph,
    problem: Callable[[str], None],
) -> bool:
    """A choice ('B. ...') before the answer and notes; False if `text` is none."""
    choice = _CHOICE.match(text)
    if not (choice and not question.notes and question.answer is None):
        return False
    letter, rest = choice.group(1), choice.group(2).strip()
    expected = (
        CHOICE_LETTERS[len(question.choices)] if len(question.choices) < MAX_CHOICES else None
    )
    question.bad_choice = letter != expected or not rest
    if letter != expected:
        problem(
            f"choice {letter} where {expected or 'no more choices'} was expected "
            "(choices run A, B, C ... in order)"
        )
    elif not rest:
        problem(f"choice {letter} has no text")
    else:
        question.choices.append((letter, rest, _marked(paragraph), number))
    return True


def _word_draft(file: str, question: _WordQuestion, index: int, problems: list[Located]) -> Draft:
    def problem(number: int, message: str) -> None:
        problems.append(Located(file, _paragraph(number), message))

    draft = Draft(_paragraph(question.start))
    keys = draft.keys
    keys["id"] = f"q{index:03d}"
    if not question.text:
        problem(question.start, "the question has no text")
    text = "\n".join(question.text)
    if question.choices:
        letters = [letter for letter, _, _, _ in question.choices]
        if len(letters) < 2 and not question.bad_choice:
            problem(question.choices[0][3], "a question with choices needs at least two")
        chosen = _word_letters(question, letters, problem)
        keys["type"] = "multiple" if chosen is not None and len(chosen) > 1 else "single"
        keys["text"] = text
        keys["choices"] = {letter: choice for letter, choice, _, _ in question.choices}
        if chosen is not None:
            keys["answer"] = chosen[0] if len(chosen) == 1 else _Flow(chosen)
    elif question.answer is None:
        problem(question.start, "no answer: add a line 'Đáp án: ...' (Đúng or Sai, or the text)")
    else:
        written, number = question.answer
        value = _word_true_false(written)
        texts = split_texts(written)
        keys["type"] = "true_false" if value is not None else "text"
        keys["text"] = text
        if value is not None:
            keys["answer"] = value
        elif question.listed and len(written) < 12 and split_letters(written) is not None:
            problem(
                number,
                f"the answer '{written}' names a choice, but the question has no paragraphs "
                "'A. ...' (choices numbered automatically by Word are not read: type A., B. ...)",
            )
        elif texts:
            keys["answer"] = texts[0] if len(texts) == 1 else _Flow(texts)
        else:
            problem(number, "the 'Đáp án:' line gives no answer")
    for key, label in (("explanation", "Giải thích:"), ("source", "Nguồn:"), ("note", "Ghi chú:")):
        if key in question.notes:
            lines, number = question.notes[key]
            if lines:
                keys[key] = "\n".join(lines)
            else:
                problem(number, f"the '{label}' line is empty")
    return draft


def _word_true_false(written: str) -> bool | None:
    word = written.rstrip(".").strip().casefold()
    if word == "đúng":
        return True
    if word == "sai":
        return False
    return None


def _word_letters(
    question: _WordQuestion, letters: list[str], problem: Callable[[int, str], None]
) -> list[str] | None:
    """The answer letters: from the `Đáp án` line, else the bold or underlined choices."""
    if question.answer is None:
        return _marked_letters(question, letters, problem)
    written, number = question.answer
    bare = written.rstrip(".").strip()
    chosen = split_letters(bare) if bare else None
    if chosen is None:
        with_text = _ANSWER_WITH_TEXT.fullmatch(written)
        if with_text:
            letter = with_text.group(1).upper()
            choices = {key: value for key, value, _, _ in question.choices}
            said = " ".join(with_text.group(2).casefold().split()).rstrip(".")
            if letter in choices and said != " ".join(choices[letter].casefold().split()).rstrip(
                "."
            ):
                problem(number, f"the answer names {letter}, but its text is not choice {letter}'s")
                return None
            chosen = [letter]
    if chosen is None:
        shown = written if len(written) <= 40 else written[:37] + "..."
        problem(number, f"the answer '{shown}' names no choice letter (like 'Đáp án: B')")
        return None
    unknown = [letter for letter in chosen if letter not in letters]
    if unknown:
        problem(
            number,
            f"the answer names {unknown[0]}, which is not one of the choices {_span(letters)}",
        )
        return None
    repeated = [letter for index, letter in enumerate(chosen) if letter in chosen[:index]]
    if repeated:
        problem(number, f"the answer names {repeated[0]} twice")
        return None
    return chosen


def _marked_letters(
    question: _WordQuestion, letters: list[str], problem: Callable[[int, str], None]
) -> list[str] | None:
    """Without an `Đáp án` line: the bold or underlined choices, if some (not all) are."""
    marked = [letter for letter, _, is_marked, _ in question.choices if is_marked]
    if not marked:
        problem(
            question.start,
            "no answer: add a line 'Đáp án: B', or make the correct choice bold or underlined",
        )
        return None
    if len(marked) == len(letters):
        problem(
            question.start,
            "every choice is bold or underlined, so none stands out as the answer; "
            "add a line 'Đáp án: B'",
        )
        return None
    return marked


def _marked(paragraph: Paragraph) -> bool:
    """Whether a choice's text (after `A.`) is all bold or all underlined (directly or by style)."""
    from docx.text.hyperlink import Hyperlink

    chars: list[tuple[str, bool, bool]] = []
    for part in paragraph.iter_inner_content():
        runs = part.runs if isinstance(part, Hyperlink) else [part]
        for run in runs:
            bold = _effective(run, paragraph, "bold")
            underline = _effective(run, paragraph, "underline")
            chars.extend((char, bold, underline) for char in run.text)
    text = "".join(char for char, _, _ in chars)
    label = _CHOICE_LABEL.match(text)
    body = [char for char in chars[label.end() if label else 0 :] if not char[0].isspace()]
    if not body:
        return False
    return all(bold for _, bold, _ in body) or all(underline for _, _, underline in body)


def _effective(run: Run, paragraph: Paragraph, attribute: str) -> bool:
    """Bold or underline as shown: the run's own, else by its character or paragraph style."""
    value: object = getattr(run.font, attribute)
    styles: list[CharacterStyle | None] = [run.style, paragraph.style]
    for style in styles:
        while value is None and style is not None:
            value = getattr(style.font, attribute)
            style = style.base_style
    return bool(value)  # WD_UNDERLINE.NONE is 0

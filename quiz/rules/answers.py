"""What a team may submit for each question type, and whether it is correct.

Pure functions over model.Question: parse a submitted value from the wire,
judge it against the key, and render it for the screens. Imports only model.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from typing import Any

from quiz.rules.model import Question
from quiz.rules.text import tr, tr_noted

MAX_TEXT_ANSWER = 200
_TRIM = " \t\r\n\u00a0.,;:!?\"'"
# A leading "là", "đó là" or "đáp án là" ("it is ...") is not part of the answer.
_LEADING_COPULA = re.compile(r"^(?:đáp án là|đó là|là):?\s+(?=\S)")
_LEADING_COPULA_PLAIN = re.compile(r"^(?:dap an la|do la|la):?\s+(?=\S)")  # without diacritics
_THOUSANDS_DOT = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")

# A submitted answer, normalised: single -> str; multiple -> sorted list of
# letters; true_false -> bool; text -> str; number -> float; order -> list.
Submitted = Any


class BadAnswer(ValueError):
    """A submitted value that does not fit the question's type."""


def parse(question: Question, value: object) -> Submitted:
    """Check the shape of a submitted value and normalise it, or raise BadAnswer."""
    kind = question.type
    if kind == "single":
        if not isinstance(value, str) or value not in question.letters:
            raise BadAnswer(
                tr("chọn một trong các phương án {letters}", letters=", ".join(question.letters))
            )
        return value
    if kind == "multiple":
        if not isinstance(value, list) or not value:
            raise BadAnswer(tr("chọn ít nhất một phương án"))
        if not all(isinstance(v, str) and v in question.letters for v in value):
            raise BadAnswer(tr("phương án không hợp lệ"))
        if len(set(value)) != len(value):
            raise BadAnswer(tr("phương án bị lặp"))
        return sorted(value)
    if kind == "true_false":
        if not isinstance(value, bool):
            raise BadAnswer(tr("chọn Đúng hoặc Sai"))
        return value
    if kind == "text":
        if not isinstance(value, str):
            raise BadAnswer(tr("câu trả lời phải là chữ"))
        text = value.strip()
        if not text:
            raise BadAnswer(tr("câu trả lời đang trống"))
        if len(text) > MAX_TEXT_ANSWER:
            raise BadAnswer(tr("câu trả lời dài quá {n} ký tự", n=MAX_TEXT_ANSWER))
        return text
    if kind == "number":
        number = _number(value)
        if number is None:
            raise BadAnswer(tr("câu trả lời phải là một số"))
        return number
    if kind == "order":
        if not isinstance(value, list) or sorted(map(str, value)) != sorted(question.letters):
            raise BadAnswer(tr("sắp xếp đủ tất cả các mục, mỗi mục một lần"))
        if not all(isinstance(v, str) for v in value):
            raise BadAnswer(tr("sắp xếp không hợp lệ"))
        return list(value)
    raise BadAnswer(tr("loại câu hỏi không được hỗ trợ: {kind}", kind=kind))


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str) and len(value) <= 40:
        text = value.strip().replace(" ", "").replace("\u00a0", "").replace("\u2212", "-")
        if _THOUSANDS_DOT.match(text):
            # Vietnamese writes 4.200 for four thousand two hundred, 87,06 for a decimal.
            text = text.replace(".", "")
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None


@functools.lru_cache(maxsize=8192)
def normalise_text(text: str, ignore_diacritics: bool = False) -> str:
    """Normalise a typed answer as the bank format says, for comparison."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = " ".join(text.split()).strip(_TRIM)
    if ignore_diacritics:  # first, so that "la ..." typed without them is dropped too
        text = strip_diacritics(text)
        return _LEADING_COPULA_PLAIN.sub("", text, count=1).strip(_TRIM)
    return _LEADING_COPULA.sub("", text, count=1).strip(_TRIM)


def strip_diacritics(text: str) -> str:
    """Remove Vietnamese diacritics: NFD, drop combining marks, đ -> d."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def is_correct(question: Question, value: Submitted) -> bool:
    """Judge a parsed answer against the question's key."""
    key = question.answer
    kind = question.type
    if kind == "single":
        return bool(value == key)
    if kind == "multiple":
        return isinstance(key, frozenset) and frozenset(value) == key
    if kind == "true_false":
        return bool(value is key)
    if kind == "text":
        assert isinstance(key, tuple)
        typed = normalise_text(value, question.ignore_diacritics)
        return any(typed == normalise_text(k, question.ignore_diacritics) for k in key)
    if kind == "number":
        assert isinstance(key, float)
        return abs(float(value) - key) <= question.tolerance + 1e-9
    if kind == "order":
        return tuple(value) == key
    return False


def separators() -> tuple[str, str]:
    """The thousands and the decimal mark of the installed language, read off
    how it writes two sample numbers (Vietnamese 4.200 and 87,06)."""
    thousands, decimal = tr("4.200"), tr("87,06")  # the marks are their 2nd and 3rd letters
    if len(thousands) != 5 or len(decimal) != 5:
        return ".", ","
    return thousands[1], decimal[2]


def decimal_mark(text: str) -> str:
    """A number written with a point ("8.5", from Python) with the installed
    language's decimal mark instead."""
    return text.replace(".", separators()[1])


def format_number(number: float) -> str:
    """A number as the screens write it: 4.200 and 87,06 in Vietnamese (the
    installed language's marks: 4,200 and 87.06 in English)."""
    thousands, decimal = separators()
    if float(number).is_integer():
        return f"{int(number):,}".replace(",", thousands)
    whole, _, frac = f"{number:.6f}".rstrip("0").partition(".")
    return f"{int(whole):,}".replace(",", thousands) + decimal + frac


def true_false_text(value: bool) -> str:
    """A true/false answer's words: "Đúng"/"Sai", in English "True"/"False"
    (the verdicts "Đúng"/"Sai" are "Correct"/"Wrong")."""
    return tr_noted("Phương án Đúng", "Đúng") if value else tr_noted("Phương án Sai", "Sai")


def display(question: Question, value: Submitted) -> str:
    """A submitted answer (or the key) as text for the screens."""
    kind = question.type
    if kind == "true_false":
        return true_false_text(bool(value))
    if kind == "multiple":
        return ", ".join(sorted(value))
    if kind == "order":
        return " → ".join(value)
    if kind == "number":
        unit = f" {question.unit}" if question.unit else ""
        return format_number(float(value)) + unit
    return str(value)


def key_for_wire(question: Question) -> object:
    """The answer key as JSON data, for the MC and for screens after reveal."""
    key = question.answer
    if isinstance(key, frozenset):
        return sorted(key)
    if isinstance(key, tuple):
        return list(key)
    return key


def key_display(question: Question) -> str:
    """The correct answer as the board shows it after reveal."""
    key = question.answer
    if question.type == "text":
        assert isinstance(key, tuple)
        return " / ".join(key)
    if question.type == "multiple":
        assert isinstance(key, frozenset)
        return display(question, sorted(key))
    return display(question, list(key) if isinstance(key, tuple) else key)

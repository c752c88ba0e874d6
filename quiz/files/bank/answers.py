"""Reading a question's choices, items and answer key, one reader per question type."""

from __future__ import annotations

from collections.abc import Sequence

from quiz.files.bank.fields import _as_bool, _as_number, _as_text, _Fields, _span, _wrong
from quiz.files.yamlsource import Entry, Map, Scalar, Seq
from quiz.rules.model import (
    AnswerKey,
)


def _read_letters(
    q: _Fields, key: str, noun: str, most: int
) -> tuple[tuple[str, ...] | None, tuple[tuple[str, str], ...]]:
    """Letters `A`, `B` ... in order, without a gap, 2 to `most` of them.

    Returns the letters (None when they are not usable to check an answer
    against) and the (letter, text) pairs.
    """
    entry = q.entry(key)
    if entry is None:
        return None, ()
    node = entry.value
    if not isinstance(node, Map):
        q.problem(
            entry.key_line, _wrong(key, "a mapping of letters to texts (A: ..., B: ...)", node)
        )
        return None, ()
    for repeat in node.duplicates:
        q.problem(repeat.key_line, f"{key}: letter '{repeat.key}' is written twice")
    letters_ok = _check_letter_order(q, key, node.entries)
    pairs: list[tuple[str, str]] = []
    for item in node.entries:
        text = _as_text(item.value)
        if text is None:
            q.problem(item.key_line, _wrong(f"{noun} {item.key}", "a non-empty text", item.value))
        pairs.append((item.key, text or ""))
    if not 2 <= len(pairs) <= most:
        q.problem(entry.key_line, f"{key} has {len(pairs)} {noun}s; 2 to {most} are allowed")
    letters = tuple(letter for letter, _ in pairs)
    return (letters if letters_ok else None), tuple(pairs)


def _check_letter_order(q: _Fields, key: str, entries: Sequence[Entry]) -> bool:
    for index, item in enumerate(entries):
        expected = chr(ord("A") + index)
        if item.key != expected:
            q.problem(
                item.key_line,
                f"{key}: expected letter '{expected}' here, not '{item.key}' "
                "(letters run A, B, C ... in order, without a gap)",
            )
            return False
    return True


def _letter_list(
    q: _Fields, entry: Entry, letters: tuple[str, ...] | None, noun: str, example: str
) -> list[str] | None:
    """A non-empty list of distinct letters, each one of `letters` (when known)."""
    node = entry.value
    if not isinstance(node, Seq) or not node.items:
        q.problem(entry.key_line, _wrong("answer", f"a list of letters, like {example}", node))
        return None
    chosen: list[str] = []
    ok = True
    for item in node.items:
        letter = _as_text(item)
        if letter is None:
            q.problem(item.line, _wrong("each letter of answer", "a letter", item))
            ok = False
        elif letter in chosen:
            q.problem(item.line, f"answer names '{letter}' twice")
            ok = False
        elif letters is not None and letter not in letters:
            q.problem(item.line, f"answer '{letter}' is not one of the {noun} {_span(letters)}")
            ok = False
        else:
            chosen.append(letter)
    return chosen if ok else None


def _answer_single(q: _Fields, entry: Entry, letters: tuple[str, ...] | None) -> AnswerKey | None:
    node = entry.value
    letter = _as_text(node)
    if isinstance(node, Seq):
        q.problem(
            entry.key_line,
            "answer of a single question is one letter, like B "
            "(for several letters, use type: multiple)",
        )
    elif letter is None:
        q.problem(entry.key_line, _wrong("answer", "one choice letter, like B", node))
    elif letters is not None and letter not in letters:
        q.problem(entry.key_line, f"answer '{letter}' is not one of the choices {_span(letters)}")
    else:
        return letter
    return None


def _answer_multiple(q: _Fields, entry: Entry, letters: tuple[str, ...] | None) -> AnswerKey | None:
    chosen = _letter_list(q, entry, letters, "choices", "[A, C]")
    return frozenset(chosen) if chosen is not None else None


def _answer_order(q: _Fields, entry: Entry, letters: tuple[str, ...] | None) -> AnswerKey | None:
    order = _letter_list(q, entry, letters, "items", "[C, A, D, B]")
    if order is None:
        return None
    missing = [letter for letter in letters or () if letter not in order]
    if missing:
        q.problem(
            entry.key_line,
            f"answer must list every item once; missing {', '.join(missing)}",
        )
        return None
    return tuple(order)


def _answer_true_false(q: _Fields, entry: Entry, _: tuple[str, ...] | None) -> AnswerKey | None:
    node = entry.value
    value = _as_bool(node)
    if value is not None:
        return value
    message = _wrong("answer", "true or false", node)
    if isinstance(node, Scalar) and node.text.lower() in ("true", "false"):
        message += " (write it without quotes)"
    q.problem(entry.key_line, message)
    return None


def _answer_text(q: _Fields, entry: Entry, _: tuple[str, ...] | None) -> AnswerKey | None:
    node = entry.value
    if isinstance(node, Scalar):
        text = _as_text(node)
        if text is None:
            q.problem(entry.key_line, _wrong("answer", "a non-empty text", node))
            return None
        return (text,)
    if isinstance(node, Seq) and node.items:
        texts = [_as_text(item) for item in node.items]
        for item, text in zip(node.items, texts, strict=True):
            if text is None:
                q.problem(item.line, _wrong("each accepted answer", "a non-empty text", item))
        return tuple(text for text in texts if text is not None)
    expected = "a non-empty text or a list of them, like [một cửa, cơ chế một cửa]"
    if isinstance(node, Seq):
        q.problem(entry.key_line, "answer is an empty list; expected " + expected)
    else:
        q.problem(entry.key_line, _wrong("answer", expected, node))
    return None


def _answer_number(q: _Fields, entry: Entry, _: tuple[str, ...] | None) -> AnswerKey | None:
    node = entry.value
    value = _as_number(node)
    if value is not None:
        return value
    message = _wrong("answer", "a number, like 12 or 0.5", node)
    if isinstance(node, Scalar) and "," in node.text:
        message += " (use a decimal point)"
    q.problem(entry.key_line, message)
    return None


_ANSWER_READERS = {
    "single": _answer_single,
    "multiple": _answer_multiple,
    "true_false": _answer_true_false,
    "text": _answer_text,
    "number": _answer_number,
    "order": _answer_order,
}

"""Judging typed text answers: the normalisation bank-format.md (v2) describes."""

from __future__ import annotations

import pytest
from support import q_text

from quiz.rules.answers import is_correct, normalise_text, parse


@pytest.mark.parametrize(
    "typed",
    [
        "Hà Nội",
        "là Hà Nội",
        "Là  Hà Nội.",
        "đó là Hà Nội",
        "Đó là hà nội!",
        "đáp án là Hà Nội",
        "ĐÁP ÁN LÀ: Hà Nội",
    ],
)
def test_a_leading_la_do_la_or_dap_an_la_is_dropped(typed: str) -> None:
    question = q_text("t1", ("Hà Nội",))
    assert is_correct(question, parse(question, typed))


def test_the_accepted_text_may_itself_start_with_la() -> None:
    question = q_text("t1", ("là cơ chế một cửa",))
    assert is_correct(question, parse(question, "cơ chế một cửa"))
    assert is_correct(question, parse(question, "Là cơ chế một cửa"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("là", "là"),  # nothing after it: the word is the answer
        ("Lào", "lào"),  # a word starting with "là" is kept
        ("Hà Nội là thủ đô", "hà nội là thủ đô"),  # only a leading one
        ("là là", "là"),  # dropped once
        ("đáp án: Hà Nội", "đáp án: hà nội"),  # only "đáp án là"
    ],
)
def test_only_a_leading_copula_followed_by_an_answer_is_dropped(text: str, expected: str) -> None:
    assert normalise_text(text) == expected


def test_the_copula_is_dropped_with_or_without_diacritics() -> None:
    assert normalise_text("Đó là Hà Nội", ignore_diacritics=True) == "ha noi"
    question = q_text("t1", ("Lào",), ignore_diacritics=True)
    assert not is_correct(question, parse(question, "là o"))  # "la o" is not "lao"
    assert is_correct(question, parse(question, "là Lào"))
    # A team that types without diacritics gets the same allowance.
    assert is_correct(question, parse(question, "la Lao"))
    assert normalise_text("dap an la: mot cua", ignore_diacritics=True) == "mot cua"
    assert normalise_text("la mot cua") == "la mot cua"  # diacritics count: "la" is a word

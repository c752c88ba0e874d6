"""Tests of the bank reviewer (`quiz.files.review`) and `quiz check --strict`, with lines."""

from __future__ import annotations

import io
import random
import textwrap
import time
from dataclasses import replace
from pathlib import Path

import pytest

from quiz.cli import main
from quiz.files.bank import load_banks, load_contest
from quiz.files.check import run_check
from quiz.files.review import (
    CHOICE_LIMIT,
    EXPLANATION_LIMIT,
    ITEM_LIMIT,
    TEXT_LIMIT,
    SourceLines,
    normalise,
    review,
)

ROOT = Path(__file__).resolve().parents[2]
HEAD = "bank: {bank}\ntitle: Demo\nquestions:\n"  # the first question starts at line 4


def bank_file(folder: Path, *questions: str, bank: str = "demo") -> str:
    """A bank of block-style questions; the first starts at line 4."""
    items = []
    for question in questions:
        lines = textwrap.dedent(question).strip("\n").splitlines()
        items.append("\n".join(["  - " + lines[0]] + ["    " + line for line in lines[1:]]))
    path = folder / f"{bank}.yaml"
    path.write_text(HEAD.format(bank=bank) + "\n".join(items) + "\n", encoding="utf-8")
    return str(path)


def single(qid: str, text: str = "Câu hỏi?", answer: str = "A", **extra: str) -> str:
    """A clean single question (7 lines, more with `extra`): no warning of its own."""
    lines = [
        f"id: {qid}",
        "type: single",
        f"text: {text}",
        "choices: {A: Một, B: Hai, C: Ba, D: Bốn}",
        f"answer: {answer}",
        "source: Nghị định 61/2018/NĐ-CP ngày 23/4/2018",
    ]
    lines += [f"{key}: {value}" for key, value in extra.items()]
    return "\n".join(lines)


def warnings_of(*paths: str) -> list[str]:
    return [str(warning) for warning in review(load_banks(paths), SourceLines())]


def check(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    paths = [arg for arg in args if arg != "--strict"]
    code = run_check(paths, out, err, strict="--strict" in args)
    return code, out.getvalue(), err.getvalue()


# --- Lengths ---------------------------------------------------------------------


def test_a_clean_bank_has_no_warning(tmp_path: Path) -> None:
    path = bank_file(tmp_path, single("q1"), single("q2", "Câu hỏi khác hẳn?", "B"))
    assert warnings_of(path) == []


def test_a_text_too_long_for_the_board_is_reported_at_its_line_with_its_length(
    tmp_path: Path,
) -> None:
    just = "Đ" * (TEXT_LIMIT - 1) + "?"
    over = "Ư" * TEXT_LIMIT + "?"
    path = bank_file(
        tmp_path,
        single("vua", just, time_limit="60"),
        single("dai", over, time_limit="60"),
    )
    assert warnings_of(path) == [
        f"{path}:13: warning: question 'dai': text is 241 characters; at most 240 fit on the "
        "board at a readable size"
    ]


def test_long_choices_items_and_explanations_are_reported_at_their_own_lines(
    tmp_path: Path,
) -> None:
    path = bank_file(
        tmp_path,
        f"""
        id: q1
        type: single
        text: Chọn?
        choices:
          A: {"a" * CHOICE_LIMIT}
          B: {"b" * (CHOICE_LIMIT + 1)}
        answer: A
        time_limit: 60
        source: Luật số 52/2019/QH14
        explanation: {"e" * (EXPLANATION_LIMIT + 5)}
        """,
        f"""
        id: q2
        type: order
        text: Xếp?
        items:
          A: {"x" * (ITEM_LIMIT + 1)}
          B: ngắn
        answer: [B, A]
        time_limit: 60
        source: Luật số 52/2019/QH14
        """,
    )
    assert warnings_of(path) == [
        f"{path}:9: warning: question 'q1': choice B is 101 characters; at most 100 fit on "
        "the board at a readable size",
        f"{path}:13: warning: question 'q1': explanation is 305 characters; at most 300 fit "
        "below the answer on the board",
        f"{path}:18: warning: question 'q2': item A is 81 characters; at most 80 fit on the "
        "board at a readable size",
    ]


# --- The same question twice ------------------------------------------------------


def test_normalising_drops_case_diacritics_punctuation_and_extra_spaces() -> None:
    assert normalise("  Cơ chế MỘT CỬA,   liên thông?! ") == "co che mot cua lien thong"
    assert normalise("Đề án 06/QĐ-TTg") == "de an 06 qd ttg"


def test_the_same_question_in_two_banks_is_reported_at_the_later_one(tmp_path: Path) -> None:
    first = bank_file(tmp_path, single("a1", "Cơ chế một cửa là gì?"), bank="one")
    second = bank_file(
        tmp_path,
        single("b1", "Câu khác?"),
        single("b2", "CƠ CHẾ MỘT CỬA LÀ GÌ", answer="C"),
        bank="two",
    )
    assert warnings_of(first, second) == [
        f"{second}:12: warning: question 'b2': asks the same as question 'a1' ({first}:4), "
        "with a different answer"
    ]


def test_nearly_the_same_question_is_reported_with_how_alike(tmp_path: Path) -> None:
    path = bank_file(
        tmp_path,
        single("q1", "Nghị định nào quy định về thực hiện cơ chế một cửa, một cửa liên thông?"),
        single("q2", "Nghị định nào quy định việc thực hiện cơ chế một cửa, một cửa liên thông?"),
    )
    (warning,) = warnings_of(path)
    assert warning.startswith(f"{path}:12: warning: question 'q2': asks nearly the same (")
    assert warning.endswith(f"% alike) as question 'q1' ({path}:4)")


def test_questions_differing_in_their_numbers_or_answers_are_not_the_same(
    tmp_path: Path,
) -> None:
    text = "Chương trình tổng thể cải cách hành chính giai đoạn {} ban hành kèm văn bản nào?"
    path = bank_file(
        tmp_path,
        single("q1", text.format("2011-2020")),
        single("q2", text.format("2021-2030")),
        # The same words asking for another fact: the answer tells them apart.
        single("q3", "Nghị định 61/2018/NĐ-CP do cơ quan nào chủ trì soạn thảo?", "A"),
        """
        id: q4
        type: single
        text: Nghị định 61/2018/NĐ-CP do ai chủ trì soạn thảo?
        choices: {A: Bộ trưởng Bộ Nội vụ, B: Bộ trưởng, C: Thứ trưởng, D: Chánh Văn phòng}
        answer: A
        source: Luật số 52/2019/QH14
        """,
    )
    assert warnings_of(path) == []


def test_order_questions_sharing_a_generic_text_are_not_the_same(tmp_path: Path) -> None:
    order = """
    id: {qid}
    type: order
    text: Sắp xếp các văn bản sau theo thứ tự thời gian ban hành.
    items: {{A: {a}, B: {b}}}
    answer: [B, A]
    source: Luật số 52/2019/QH14
    """
    path = bank_file(
        tmp_path,
        order.format(qid="o1", a="Nghị định 61/2018/NĐ-CP", b="Quyết định 93/2007/QĐ-TTg"),
        order.format(qid="o2", a="Luật Viên chức", b="'Luật Cán bộ, công chức'"),
    )
    assert warnings_of(path) == []


def test_a_thousand_questions_are_compared_quickly() -> None:
    contest = load_contest(ROOT / "question_banks" / "kim-boi-2023.yaml")
    shipped = list(contest.questions.values())
    rng = random.Random(7)
    many = [
        replace(
            question,
            id=f"{question.id}-{copy}",
            text=f"{question.text} ({rng.randint(1, 10**6)})",
        )
        for copy in range(5)
        for question in shipped
    ][:1000]
    bank = replace(contest.banks[0], questions=tuple(many))
    started = time.perf_counter()
    review([bank])
    assert time.perf_counter() - started < 10


# --- Sources, letters, giveaways, time ----------------------------------------------


def test_a_missing_source_is_reported_at_the_question(tmp_path: Path) -> None:
    path = bank_file(
        tmp_path,
        single("q1"),
        """
        id: q2
        type: true_false
        text: Đúng hay sai?
        answer: true
        """,
    )
    assert warnings_of(path) == [
        f"{path}:10: warning: question 'q2': no source: cite the document, its number and "
        "date (like 'Nghị định 61/2018/NĐ-CP ngày 23/4/2018')"
    ]


def test_a_letter_answering_more_than_35_percent_of_singles_is_reported_with_the_spread(
    tmp_path: Path,
) -> None:
    answers = "AAAABCDB"  # A answers 4 of 8: 50%
    path = bank_file(
        tmp_path,
        *(single(f"q{n}", f"Câu hỏi số {n}?", a) for n, a in enumerate(answers, 1)),
    )
    assert warnings_of(path) == [
        f"{path}:1: warning: bank 'demo': letter A is the answer of 4 of its 8 single "
        "questions (50%; at most 35% should be): A 4, B 2, C 1, D 1"
    ]


def test_balanced_letters_or_too_few_singles_give_no_warning(tmp_path: Path) -> None:
    fair = bank_file(
        tmp_path,
        *(single(f"q{n}", f"Câu hỏi số {n}?", a) for n, a in enumerate("ABCDABCD", 1)),
        bank="fair",
    )
    few = bank_file(
        tmp_path,
        *(single(f"f{n}", f"Câu hỏi số {n}?", "A") for n in range(1, 8)),
        bank="few",
    )
    assert warnings_of(fair) == []
    assert warnings_of(few) == []


def test_a_correct_choice_much_longer_than_the_others_is_reported_at_it(tmp_path: Path) -> None:
    path = bank_file(
        tmp_path,
        """
        id: q1
        type: single
        text: Cơ chế một cửa là gì?
        choices:
          A: Một cửa
          B: Cơ chế giải quyết công việc tại một đầu mối là Bộ phận Một cửa
          C: Hai cửa
        answer: B
        source: Luật số 52/2019/QH14
        """,
        """
        id: q2
        type: single
        text: Cơ chế một cửa liên thông là gì?
        choices:
          A: Một cơ chế
          B: Một cửa liên thông  # longer by half, but not by 20 characters
        answer: B
        source: Luật số 52/2019/QH14
        """,
    )
    assert warnings_of(path) == [
        f"{path}:9: warning: question 'q1': the correct choice B is 62 characters, much "
        "longer than the longest other choice (7); its length gives it away"
    ]


def test_a_time_limit_too_short_for_the_reading_is_reported_where_it_is_set(
    tmp_path: Path,
) -> None:
    text = "Theo Nghị định 61/2018/NĐ-CP, " + "thủ tục hành chính " * 8 + "là gì?"
    path = bank_file(
        tmp_path,
        single("q1", text, time_limit="10"),
        single("q2", text.replace("61/2018", "107/2021")),  # the default 20 s is enough
        """
        id: q3
        type: text
        text: Nêu tên cơ chế giải quyết thủ tục hành chính tại một đầu mối.
        answer: một cửa
        source: Luật số 52/2019/QH14
        time_limit: 12
        """,
    )
    assert warnings_of(path) == [
        f"{path}:10: warning: question 'q1': time limit 10 s is too short: reading 199 "
        "characters at 15 a second and 5 s to answer need 19 s",
        f"{path}:22: warning: question 'q3': time limit 12 s is too short: reading 61 "
        "characters at 15 a second and 10 s to answer need 15 s",
    ]


def test_without_line_information_warnings_are_at_the_question(tmp_path: Path) -> None:
    path = bank_file(tmp_path, single("q1", "Câu?", time_limit="3"))
    (bank,) = load_banks([path])
    assert [str(w) for w in review([bank])] == [
        f"{path}:4: warning: question 'q1': time limit 3 s is too short: reading 15 "
        "characters at 15 a second and 5 s to answer need 6 s"
    ]


# --- quiz check and --strict -------------------------------------------------------------


def test_warnings_go_to_err_and_fail_only_with_strict(tmp_path: Path) -> None:
    path = bank_file(tmp_path, single("q1"), "id: q2\ntype: true_false\ntext: Đúng?\nanswer: true")
    summary = f"{path}: bank 'demo', 2 questions (single 1, true_false 1)\n"
    warning = f"{path}:10: warning: question 'q2': no source"
    code, out, err = check(path)
    assert (code, out) == (0, summary)
    assert err.startswith(warning)
    code, out, err = check("--strict", path)
    assert (code, out) == (1, summary)
    assert err.startswith(warning)


def test_strict_passes_a_bank_without_warnings(tmp_path: Path) -> None:
    path = bank_file(tmp_path, single("q1"))
    assert check("--strict", path) == (0, f"{path}: bank 'demo', 1 question (single 1)\n", "")


def test_errors_are_reported_without_a_review(tmp_path: Path) -> None:
    path = bank_file(tmp_path, single("q1", answer="E"))
    code, _, err = check("--strict", path)
    assert code == 1
    assert err == f"{path}:8: question 'q1': answer 'E' is not one of the choices A-D\n"


def test_a_contest_reviews_its_banks_once(tmp_path: Path) -> None:
    bank = bank_file(tmp_path, "id: q1\ntype: true_false\ntext: Đúng?\nanswer: true")
    contest = tmp_path / "contest.yaml"
    contest.write_text(
        "contest: c\ntitle: C\nbanks: [demo.yaml]\n"
        "teams: [{id: a, name: A}, {id: b, name: B}]\n"
        "rounds: [{id: r, title: R, format: all, questions: [q1]}]\n",
        encoding="utf-8",
    )
    code, _, err = check("--strict", str(contest), bank)
    assert code == 1
    assert err.count("warning:") == 1
    assert err.startswith(f"{bank}:4: warning: question 'q1': no source")


def test_the_command_line_takes_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = bank_file(tmp_path, "id: q1\ntype: true_false\ntext: Đúng?\nanswer: true")
    assert main(["check", path]) == 0
    assert main(["check", "--strict", path]) == 1

"""Tests of bank loading: every rule of bank-format.md, with its FILE:LINE."""

from __future__ import annotations

import random
import textwrap
from pathlib import Path

import pytest
import yaml

from quiz.files.bank import LoadError, Problem, load_bank, load_banks

# --- helpers -------------------------------------------------------------------

HEAD = "bank: demo\ntitle: Demo\nquestions:\n"  # the first question starts at line 4


def write(folder: Path, text: str, name: str = "bank.yaml") -> str:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return str(path)


def bank_with(folder: Path, *questions: str, name: str = "bank.yaml") -> str:
    """A bank whose questions are given as YAML mappings; the first starts at line 4."""
    items = []
    for question in questions:
        lines = textwrap.dedent(question).strip("\n").splitlines()
        items.append("\n".join(["  - " + lines[0]] + ["    " + line for line in lines[1:]]))
    return write(folder, HEAD + "\n".join(items) + "\n", name)


def problems_of(path: str) -> list[str]:
    with pytest.raises(LoadError) as info:
        load_bank(path)
    return [str(problem) for problem in info.value.problems]


def expect_one(path: str, line: int, *fragments: str) -> str:
    """Exactly one problem, at `line`, whose message contains every fragment."""
    problems = problems_of(path)
    assert len(problems) == 1, problems
    problem = problems[0]
    assert problem.startswith(f"{path}:{line}: "), problem
    for fragment in fragments:
        assert fragment in problem, problem
    return problem


SINGLE = """
id: q1
type: single
text: Which?
choices: {A: one, B: two, C: three, D: four}
answer: B
"""


# --- valid banks, one per type -------------------------------------------------


def test_single_question_loads_with_defaults(tmp_path: Path) -> None:
    bank = load_bank(bank_with(tmp_path, SINGLE))
    assert (bank.id, bank.title, bank.language, bank.as_of) == ("demo", "Demo", "vi", None)
    (question,) = bank.questions
    assert question.type == "single"
    assert question.answer == "B"
    assert question.choices == (("A", "one"), ("B", "two"), ("C", "three"), ("D", "four"))
    assert (question.time_limit, question.points) == (20, 10)
    assert (question.bank, question.line) == ("demo", 4)
    assert question.file == bank.file == str(tmp_path / "bank.yaml")


def test_multiple_question_answer_is_a_frozenset(tmp_path: Path) -> None:
    path = bank_with(
        tmp_path,
        """
        id: m1
        type: multiple
        text: Which ones?
        choices: {A: a, B: b, C: c}
        answer: [C, A]
        """,
    )
    (question,) = load_bank(path).questions
    assert question.answer == frozenset({"A", "C"})


def test_true_false_answer_is_a_boolean_in_any_case(tmp_path: Path) -> None:
    path = bank_with(
        tmp_path,
        "id: t1\ntype: true_false\ntext: Yes?\nanswer: TRUE",
        "id: t2\ntype: true_false\ntext: No?\nanswer: fAlSe",
    )
    first, second = load_bank(path).questions
    assert first.answer is True
    assert second.answer is False


def test_text_question_answers_are_a_tuple_of_texts(tmp_path: Path) -> None:
    path = bank_with(
        tmp_path,
        """
        id: x1
        type: text
        text: Mechanism?
        answer: [một cửa, cơ chế một cửa]
        ignore_diacritics: true
        """,
        "id: x2\ntype: text\ntext: One?\nanswer: một cửa",
    )
    first, second = load_bank(path).questions
    assert first.answer == ("một cửa", "cơ chế một cửa")
    assert first.ignore_diacritics is True
    assert second.answer == ("một cửa",)
    assert second.ignore_diacritics is False


def test_number_question_answer_is_a_float(tmp_path: Path) -> None:
    path = bank_with(
        tmp_path,
        """
        id: n1
        type: number
        text: How many days?
        answer: 15
        tolerance: 0.5
        unit: ngày
        """,
    )
    (question,) = load_bank(path).questions
    assert question.answer == 15.0 and isinstance(question.answer, float)
    assert (question.tolerance, question.unit) == (0.5, "ngày")


def test_order_question_answer_is_a_tuple_in_order(tmp_path: Path) -> None:
    path = bank_with(
        tmp_path,
        """
        id: o1
        type: order
        text: Put in order
        items: {A: first, B: second, C: third, D: fourth}
        answer: [C, A, D, B]
        """,
    )
    (question,) = load_bank(path).questions
    assert question.answer == ("C", "A", "D", "B")
    assert question.items[0] == ("A", "first")
    assert question.letters == ("A", "B", "C", "D")


def test_spec_example_bank_loads(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        bank: cchc-mau
        title: Câu hỏi mẫu
        as_of: 2023-08-29
        defaults: {time_limit: 30, points: 0}
        questions:
          - id: nq76-van-ban
            tags: [nq76]
            type: single
            text: Văn bản nào?
            choices:
              A: Nghị quyết số 30c/NQ-CP
              B: Nghị quyết số 76/NQ-CP
            answer: B
            source: Nghị quyết 76/NQ-CP ngày 15/7/2021
            explanation: Ban hành ngày 15/7/2021.
            level: easy
            time_limit: 45
          - id: cong-dvc-khai-truong
            tags: [dich-vu-cong]
            type: true_false
            text: Khai trương ngày 09/12/2019.
            answer: true
            points: 5
        """,
    )
    bank = load_bank(path)
    assert bank.as_of == "2023-08-29"
    first, second = bank.questions
    assert (first.time_limit, first.points) == (45, 0)
    assert (second.time_limit, second.points) == (30, 5)
    assert first.tags == ("nq76",)
    assert first.level == "easy"
    assert first.source == "Nghị quyết 76/NQ-CP ngày 15/7/2021"
    assert first.explanation == "Ban hành ngày 15/7/2021."


def test_language_can_be_set(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bank: demo\ntitle: Demo\nlanguage: en\nquestions:\n  - "
        + "\n    ".join(SINGLE.strip().splitlines()),
    )
    assert load_bank(path).language == "en"


# --- texts are taken as written --------------------------------------------------


def test_choices_are_taken_as_written(tmp_path: Path) -> None:
    path = bank_with(
        tmp_path,
        """
        id: q1
        type: single
        text: 2019
        choices:
          A: 2019
          B: 1.10
          C: No
          D: 2023-08-29
          E: ~tilde
          F: 0x10
        answer: C
        """,
    )
    (question,) = load_bank(path).questions
    assert question.text == "2019"
    assert question.choices == (
        ("A", "2019"),
        ("B", "1.10"),
        ("C", "No"),
        ("D", "2023-08-29"),
        ("E", "~tilde"),
        ("F", "0x10"),
    )


def test_text_answers_tags_and_ids_are_taken_as_written(tmp_path: Path) -> None:
    path = bank_with(
        tmp_path,
        """
        id: 2019
        type: text
        text: Year?
        answer: [yes, 2019, 1.10, No, on]
        tags: [2019, true, 1.50]
        """,
        "id: q2\ntype: text\ntext: Yes?\nanswer: yes",
        "id: q3\ntype: order\ntext: O\nitems: {A: 1.0, B: off}\nanswer: [B, A]",
    )
    first, second, third = load_bank(path).questions
    assert first.id == "2019"
    assert first.answer == ("yes", "2019", "1.10", "No", "on")
    assert first.tags == ("2019", "true", "1.50")
    assert second.answer == ("yes",)
    assert third.items == (("A", "1.0"), ("B", "off"))


# --- file-level problems ---------------------------------------------------------


def test_a_utf8_byte_order_mark_is_allowed(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    text = HEAD + "  - " + "\n    ".join(SINGLE.strip().splitlines()) + "\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    (question,) = load_bank(str(path)).questions
    assert question.line == 4


def test_a_file_that_is_not_utf8_is_one_problem_at_the_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("bank: demo\ntitle: Câu hỏi\n".encode() + "x: é\n".encode("latin-1"))
    expect_one(str(path), 3, "not UTF-8")


def test_a_utf16_file_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "utf16.yaml"
    path.write_bytes("bank: demo\n".encode("utf-16"))
    expect_one(str(path), 1, "not UTF-8")


def test_a_file_that_is_not_yaml_is_one_problem_with_its_line(tmp_path: Path) -> None:
    path = write(tmp_path, "bank: demo\ntitle: Demo\nquestions: [\n  - id: q1\n    text: : :\n")
    problem = expect_one(path, 4, "not valid YAML")
    assert problem.count(path) == 1


def test_a_tab_indented_file_is_not_yaml(tmp_path: Path) -> None:
    path = write(tmp_path, "bank: demo\ntitle: Demo\nquestions:\n\t- id: q1\n")
    expect_one(path, 4, "not valid YAML")


def test_several_documents_are_refused_at_the_second(tmp_path: Path) -> None:
    path = write(tmp_path, "bank: demo\ntitle: Demo\n---\nbank: other\n")
    expect_one(path, 3, "second YAML document")


def test_an_empty_file_is_a_problem(tmp_path: Path) -> None:
    expect_one(write(tmp_path, "# nothing yet\n"), 1, "empty")


def test_a_missing_file_is_a_problem(tmp_path: Path) -> None:
    expect_one(str(tmp_path / "nope.yaml"), 1, "not found")


def test_a_top_level_list_is_a_problem(tmp_path: Path) -> None:
    expect_one(write(tmp_path, "- bank: demo\n"), 1, "must be a mapping")


def test_a_control_character_is_not_yaml(tmp_path: Path) -> None:
    path = tmp_path / "ctrl.yaml"
    path.write_bytes(b"bank: demo\ntitle: De\x07mo\n")
    expect_one(str(path), 2, "not valid YAML", "U+0007")


# --- keys ----------------------------------------------------------------------------


def test_a_key_written_twice_is_reported_at_its_second_occurrence(tmp_path: Path) -> None:
    path = bank_with(
        tmp_path,
        """
        id: q1                # line 4
        type: single
        text: Which?
        choices: {A: a, B: b}
        answer: A             # line 8
        answer: B             # line 9
        """,
    )
    expect_one(path, 9, "question 'q1'", "'answer'", "twice", "line 8")


def test_a_top_level_key_written_twice_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, HEAD.replace("title: Demo\n", "title: Demo\ntitle: Again\n"))
    problems = problems_of(path)
    assert f"{path}:3: key 'title' is written twice (first at line 2)" in problems


def test_a_choice_letter_written_twice_is_reported(tmp_path: Path) -> None:
    path = bank_with(
        tmp_path,
        """
        id: q1
        type: single
        text: Which?
        choices:             # line 7
          A: a
          B: b
          B: c               # line 10
        answer: A
        """,
    )
    expect_one(path, 10, "question 'q1'", "choices", "'B'", "twice")


def test_an_unknown_key_suggests_the_likely_one(tmp_path: Path) -> None:
    path = bank_with(
        tmp_path,
        """
        id: q1
        type: single
        text: Which?
        choices: {A: a, B: b}
        answer: A
        explanaton: typo      # line 9
        """,
    )
    problem = expect_one(path, 9, "question 'q1'", "unknown key 'explanaton'")
    assert problem.endswith("(did you mean 'explanation'?)")


def test_anwser_typo_is_caught_and_answer_is_then_missing(tmp_path: Path) -> None:
    path = bank_with(tmp_path, "id: q1\ntype: true_false\ntext: T\nanwser: true")
    problems = problems_of(path)
    assert problems == [
        f"{path}:4: question 'q1': missing key 'answer'",
        f"{path}:7: question 'q1': unknown key 'anwser' (did you mean 'answer'?)",
    ]


def test_an_unknown_key_far_from_any_gives_no_suggestion(tmp_path: Path) -> None:
    path = bank_with(tmp_path, "id: q1\ntype: true_false\ntext: T\nanswer: true\ncolour: red")
    problem = expect_one(path, 8, "unknown key 'colour'")
    assert "did you mean" not in problem


def test_an_unknown_top_level_key_is_reported(tmp_path: Path) -> None:
    path = write(tmp_path, "bank: demo\ntitle: Demo\nautor: me\nquestions: []\n")
    problems = problems_of(path)
    assert f"{path}:3: unknown key 'autor'" in problems


@pytest.mark.parametrize(
    ("question", "key", "line"),
    [
        ("id: q1\ntype: true_false\ntext: T\nanswer: true\nchoices: {A: a, B: b}", "choices", 8),
        ("id: q1\ntype: text\ntext: T\nanswer: x\ntolerance: 1", "tolerance", 8),
        (
            "id: q1\ntype: number\ntext: T\nanswer: 1\nignore_diacritics: true",
            "ignore_diacritics",
            8,
        ),
        (
            "id: q1\ntype: single\ntext: T\nchoices: {A: a, B: b}\nanswer: A\nitems: {A: a}",
            "items",
            9,
        ),
        ("id: q1\ntype: order\ntext: T\nitems: {A: a, B: b}\nanswer: [A, B]\nunit: cm", "unit", 9),
    ],
)
def test_a_key_of_another_type_is_an_error(
    tmp_path: Path, question: str, key: str, line: int
) -> None:
    expect_one(bank_with(tmp_path, question), line, "question 'q1'", f"'{key}' does not belong")


def test_a_missing_key_is_reported_where_its_mapping_starts(tmp_path: Path) -> None:
    path = bank_with(
        tmp_path,
        "id: q0\ntype: true_false\ntext: T\nanswer: true",
        "id: q1\ntype: single\ntext: T\nanswer: A",  # starts at line 8
    )
    expect_one(path, 8, "question 'q1'", "missing key 'choices'")


def test_a_missing_top_level_key_is_reported_at_line_1(tmp_path: Path) -> None:
    path = write(tmp_path, "# a comment\nbank: demo\nquestions: []\n")
    problems = problems_of(path)
    assert f"{path}:2: missing key 'title'" in problems
    assert f"{path}:3: questions is an empty list" in problems


def test_a_question_without_id_is_named_by_its_position(tmp_path: Path) -> None:
    path = bank_with(tmp_path, SINGLE, "type: true_false\ntext: T\nanswer: true")
    expect_one(path, 9, "question #2: missing key 'id'")


# --- ids and types ----------------------------------------------------------------------


def test_a_bad_question_id_is_reported(tmp_path: Path) -> None:
    path = bank_with(tmp_path, "id: bad id\ntype: true_false\ntext: T\nanswer: true")
    expect_one(path, 4, "question 'bad id'", "id must be")


def test_an_id_starting_with_a_dot_is_reported(tmp_path: Path) -> None:
    path = bank_with(tmp_path, "id: .q\ntype: true_false\ntext: T\nanswer: true")
    expect_one(path, 4, "question '.q'", "id must be")


def test_ids_are_case_sensitive(tmp_path: Path) -> None:
    path = bank_with(
        tmp_path,
        "id: Q1.a_b-c\ntype: true_false\ntext: T\nanswer: true",
        "id: q1.a_b-c\ntype: true_false\ntext: T\nanswer: true",
    )
    assert [q.id for q in load_bank(path).questions] == ["Q1.a_b-c", "q1.a_b-c"]


def test_an_id_used_twice_in_a_bank_is_reported_at_the_second(tmp_path: Path) -> None:
    path = bank_with(
        tmp_path,
        "id: q1\ntype: true_false\ntext: T\nanswer: true",
        "id: q1\ntype: true_false\ntext: U\nanswer: false",  # line 8
    )
    expect_one(path, 8, "question 'q1'", "id is already used", "line 4")


@pytest.mark.parametrize("bank_id", ["Demo", "-demo", "demo_1", "dé", "''"])
def test_a_bad_bank_id_is_reported(tmp_path: Path, bank_id: str) -> None:
    path = write(
        tmp_path,
        f"bank: {bank_id}\ntitle: Demo\nquestions:\n  - "
        + "\n    ".join(SINGLE.strip().splitlines()),
    )
    expect_one(path, 1, "bank must be")


def test_an_unknown_type_suggests_the_likely_one(tmp_path: Path) -> None:
    path = bank_with(tmp_path, "id: q1\ntype: singel\ntext: T\nanswer: A")
    problem = expect_one(path, 5, "question 'q1'", "type must be one of")
    assert "(did you mean 'single'?)" in problem


def test_the_question_text_must_not_be_empty(tmp_path: Path) -> None:
    path = bank_with(tmp_path, "id: q1\ntype: true_false\ntext:\nanswer: true")
    expect_one(path, 6, "question 'q1'", "text is empty")


@pytest.mark.parametrize("key", ["explanation", "source", "unit"])
def test_an_optional_text_key_when_present_is_not_empty(tmp_path: Path, key: str) -> None:
    path = bank_with(tmp_path, f"id: q1\ntype: number\ntext: T\nanswer: 1\n{key}: ''")
    expect_one(path, 8, "question 'q1'", key)


def test_a_text_that_is_a_list_is_reported(tmp_path: Path) -> None:
    path = bank_with(tmp_path, "id: q1\ntype: true_false\ntext: [a, b]\nanswer: true")
    expect_one(path, 6, "question 'q1'", "text must be a non-empty text, not a list")


# --- choices and items ------------------------------------------------------------------


def test_choice_letters_that_skip_are_reported_at_the_gap(tmp_path: Path) -> None:
    path = bank_with(
        tmp_path,
        """
        id: q1
        type: single
        text: Which?
        choices:
          A: a
          B: b
          D: d                # line 10
        answer: A
        """,
    )
    expect_one(path, 10, "question 'q1'", "choices", "expected letter 'C'", "not 'D'")


def test_lower_case_choice_letters_are_reported(tmp_path: Path) -> None:
    path = bank_with(tmp_path, "id: q1\ntype: single\ntext: T\nchoices: {a: x, b: y}\nanswer: a")
    expect_one(path, 7, "question 'q1'", "expected letter 'A'", "not 'a'")


@pytest.mark.parametrize(("count", "ok"), [(1, False), (2, True), (6, True), (7, False)])
def test_a_single_question_has_2_to_6_choices(tmp_path: Path, count: int, ok: bool) -> None:
    choices = ", ".join(f"{chr(65 + i)}: c{i}" for i in range(count))
    path = bank_with(tmp_path, f"id: q1\ntype: single\ntext: T\nchoices: {{{choices}}}\nanswer: A")
    if ok:
        assert len(load_bank(path).questions[0].choices) == count
    else:
        expect_one(path, 7, "question 'q1'", f"choices has {count} choice", "2 to 6")


@pytest.mark.parametrize(("count", "ok"), [(1, False), (2, True), (8, True), (9, False)])
def test_an_order_question_has_2_to_8_items(tmp_path: Path, count: int, ok: bool) -> None:
    letters = [chr(65 + i) for i in range(count)]
    items = ", ".join(f"{letter}: i{letter}" for letter in letters)
    path = bank_with(
        tmp_path,
        f"id: q1\ntype: order\ntext: T\nitems: {{{items}}}\nanswer: [{', '.join(letters)}]",
    )
    if ok:
        assert load_bank(path).questions[0].answer == tuple(letters)
    else:
        expect_one(path, 7, "question 'q1'", f"items has {count} item", "2 to 8")


def test_choices_written_as_a_list_are_reported(tmp_path: Path) -> None:
    path = bank_with(tmp_path, "id: q1\ntype: single\ntext: T\nchoices: [a, b]\nanswer: A")
    expect_one(path, 7, "question 'q1'", "choices must be a mapping of letters")


def test_an_empty_choice_text_is_reported(tmp_path: Path) -> None:
    path = bank_with(tmp_path, "id: q1\ntype: single\ntext: T\nchoices:\n  A: a\n  B:\nanswer: A")
    expect_one(path, 9, "question 'q1'", "choice B is empty")


# --- answers by type ---------------------------------------------------------------------


def test_spec_example_answer_not_among_choices(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        bank: cchc
        title: CCHC
        questions:
          - id: nq76-van-ban
            type: single
            text: Văn bản nào?
            choices: {A: a, B: b, C: c, D: d}
            answer: E
        """,
        name="question_banks/cchc.yaml",
    )
    assert problems_of(path) == [
        f"{path}:8: question 'nq76-van-ban': answer 'E' is not one of the choices A-D"
    ]


def test_a_single_answer_given_as_a_list_is_reported(tmp_path: Path) -> None:
    path = bank_with(tmp_path, "id: q1\ntype: single\ntext: T\nchoices: {A: a, B: b}\nanswer: [A]")
    expect_one(path, 8, "question 'q1'", "answer", "type: multiple")


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        ("A", "answer must be a list of letters"),
        ("[]", "answer must be a list of letters"),
        ("[A, A]", "answer names 'A' twice"),
        ("[A, E]", "answer 'E' is not one of the choices A-C"),
        ("[A, [B]]", "each letter of answer must be a letter, not a list"),
    ],
)
def test_bad_multiple_answers(tmp_path: Path, answer: str, fragment: str) -> None:
    question = f"id: q1\ntype: multiple\ntext: T\nchoices: {{A: a, B: b, C: c}}\nanswer: {answer}"
    expect_one(bank_with(tmp_path, question), 8, "question 'q1'", fragment)


@pytest.mark.parametrize("answer", ["yes", "No", "on", "1", "'true'", "Đúng", "[true]"])
def test_true_false_answers_are_only_true_or_false(tmp_path: Path, answer: str) -> None:
    path = bank_with(tmp_path, f"id: q1\ntype: true_false\ntext: T\nanswer: {answer}")
    expect_one(path, 7, "question 'q1'", "answer must be true or false")


def test_a_quoted_true_gets_a_hint(tmp_path: Path) -> None:
    path = bank_with(tmp_path, 'id: q1\ntype: true_false\ntext: T\nanswer: "true"')
    expect_one(path, 7, "without quotes")


@pytest.mark.parametrize(
    ("answer", "line"),
    [("''", 7), ("[]", 7), ("{a: b}", 7), ("\n  - ok\n  - ''", 9), ("[ok, ~]", 7)],
)
def test_bad_text_answers(tmp_path: Path, answer: str, line: int) -> None:
    path = bank_with(tmp_path, f"id: q1\ntype: text\ntext: T\nanswer: {answer}")
    expect_one(path, line, "question 'q1'", "answer")


@pytest.mark.parametrize("answer", ["'12'", "true", "1,5", ".nan", ".inf", "twelve", "[1]"])
def test_number_answers_must_be_numbers(tmp_path: Path, answer: str) -> None:
    path = bank_with(tmp_path, f"id: q1\ntype: number\ntext: T\nanswer: {answer}")
    expect_one(path, 7, "question 'q1'", "answer must be a number")


def test_a_decimal_comma_gets_a_hint(tmp_path: Path) -> None:
    path = bank_with(tmp_path, "id: q1\ntype: number\ntext: T\nanswer: 1,5")
    expect_one(path, 7, "decimal point")


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        ("[A, B]", "missing C"),
        ("[A, B, C, C]", "answer names 'C' twice"),
        ("[A, B, D]", "answer 'D' is not one of the items A-C"),
        ("C", "answer must be a list of letters"),
    ],
)
def test_an_order_answer_is_a_permutation_of_the_items(
    tmp_path: Path, answer: str, fragment: str
) -> None:
    question = f"id: q1\ntype: order\ntext: T\nitems: {{A: a, B: b, C: c}}\nanswer: {answer}"
    expect_one(bank_with(tmp_path, question), 8, "question 'q1'", fragment)


# --- settings of a question ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("setting", "ok"),
    [
        ("time_limit: 3", True),
        ("time_limit: 600", True),
        ("time_limit: 2", False),
        ("time_limit: 601", False),
        ("time_limit: 20.5", False),
        ("time_limit: true", False),
        ("time_limit: '20'", False),
        ("points: 0", True),
        ("points: 1000", True),
        ("points: -1", False),
        ("points: 1001", False),
        ("tolerance: 0", True),
        ("tolerance: 0.25", True),
        ("tolerance: -0.1", False),
        ("tolerance: x", False),
    ],
)
def test_number_settings_are_bounded(tmp_path: Path, setting: str, ok: bool) -> None:
    path = bank_with(tmp_path, f"id: q1\ntype: number\ntext: T\nanswer: 3\n{setting}")
    key = setting.split(":")[0]
    if ok:
        question = load_bank(path).questions[0]
        assert getattr(question, key) == yaml.safe_load(setting)[key]
    else:
        expect_one(path, 8, "question 'q1'", f"{key} must be")


@pytest.mark.parametrize("value", ["yes", "1", "'true'", "''"])
def test_ignore_diacritics_is_true_or_false(tmp_path: Path, value: str) -> None:
    path = bank_with(
        tmp_path, f"id: q1\ntype: text\ntext: T\nanswer: a\nignore_diacritics: {value}"
    )
    expect_one(path, 8, "question 'q1'", "ignore_diacritics")


def test_defaults_apply_and_only_allow_two_keys(tmp_path: Path) -> None:
    good = write(
        tmp_path,
        "bank: demo\ntitle: D\ndefaults: {time_limit: 60, points: 5}\nquestions:\n"
        "  - {id: q1, type: true_false, text: T, answer: true}\n",
    )
    question = load_bank(good).questions[0]
    assert (question.time_limit, question.points) == (60, 5)
    bad = write(
        tmp_path,
        "bank: demo\ntitle: D\ndefaults:\n  time_limit: 1\n  point: 5\nquestions:\n"
        "  - {id: q1, type: true_false, text: T, answer: true}\n",
        name="bad.yaml",
    )
    assert problems_of(bad) == [
        f"{bad}:4: defaults.time_limit must be a whole number from 3 to 600, not '1'",
        f"{bad}:5: unknown key 'defaults.point' (did you mean 'defaults.points'?)",
    ]


def test_as_of_must_be_a_date(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bank: demo\ntitle: D\nas_of: 2023-02-30\n"
        "questions: [{id: q, type: text, text: T, answer: a}]\n",
    )
    expect_one(path, 3, "as_of must be a date")


def test_tags_are_a_list_of_short_texts(tmp_path: Path) -> None:
    forty = "x" * 40
    good = bank_with(tmp_path, f"id: q1\ntype: text\ntext: T\nanswer: a\ntags: [{forty}, b]")
    assert load_bank(good).questions[0].tags == (forty, "b")
    long = bank_with(
        tmp_path, f"id: q1\ntype: text\ntext: T\nanswer: a\ntags: [{forty}x]", name="l.yaml"
    )
    expect_one(long, 8, "question 'q1'", "tags", "longer than 40")
    single = bank_with(
        tmp_path, "id: q1\ntype: text\ntext: T\nanswer: a\ntags: nq76", name="s.yaml"
    )
    expect_one(single, 8, "question 'q1'", "tags must be a list")


def test_level_is_easy_medium_or_hard(tmp_path: Path) -> None:
    path = bank_with(tmp_path, "id: q1\ntype: text\ntext: T\nanswer: a\nlevel: Hard")
    expect_one(path, 8, "question 'q1'", "level must be one of easy, medium, hard")


# --- images ------------------------------------------------------------------------------


def image_question(image: str) -> str:
    return f"id: q1\ntype: true_false\ntext: T\nanswer: true\nimage: {image}"


def test_an_image_in_a_subfolder_is_stored_as_an_absolute_path(tmp_path: Path) -> None:
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "map.PNG").write_bytes(b"png")
    (question,) = load_bank(bank_with(tmp_path, image_question("img/map.PNG"))).questions
    assert question.image == str((tmp_path / "img" / "map.PNG").resolve())


def test_a_missing_image_is_reported(tmp_path: Path) -> None:
    path = bank_with(tmp_path, image_question("img/none.png"))
    expect_one(path, 8, "question 'q1'", "image 'img/none.png' does not exist")


def test_an_image_outside_the_bank_folder_is_reported(tmp_path: Path) -> None:
    (tmp_path / "outside.png").write_bytes(b"png")
    path = bank_with(tmp_path / "banks", image_question("../outside.png"))
    expect_one(path, 8, "question 'q1'", "outside the bank's folder")


def test_an_image_reached_through_a_symlink_out_of_the_folder_is_reported(tmp_path: Path) -> None:
    (tmp_path / "secret.png").write_bytes(b"png")
    (tmp_path / "banks").mkdir()
    (tmp_path / "banks" / "link.png").symlink_to(tmp_path / "secret.png")
    path = bank_with(tmp_path / "banks", image_question("link.png"))
    expect_one(path, 8, "outside the bank's folder")


def test_an_absolute_image_path_is_reported(tmp_path: Path) -> None:
    (tmp_path / "a.png").write_bytes(b"png")
    path = bank_with(tmp_path, image_question(str(tmp_path / "a.png")))
    expect_one(path, 8, "question 'q1'", "relative to the bank file")


@pytest.mark.parametrize("name", ["a.bmp", "a.pdf", "a", "a.png.txt"])
def test_an_image_of_another_kind_is_reported(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"x")
    expect_one(bank_with(tmp_path, image_question(name)), 8, "question 'q1'", "png, jpg, jpeg")


@pytest.mark.parametrize("name", ["a.jpg", "a.JPEG", "a.gif", "a.Svg", "a.webp"])
def test_every_image_kind_is_accepted(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_bytes(b"x")
    (question,) = load_bank(bank_with(tmp_path, image_question(name))).questions
    assert question.image == str((tmp_path / name).resolve())


# --- several problems, several banks ---------------------------------------------------


def test_every_problem_is_reported_in_line_order(tmp_path: Path) -> None:
    path = bank_with(
        tmp_path,
        "id: q1\ntype: single\ntext: T\nchoices: {A: a, B: b}\nanswer: C",  # line 8
        "id: q2\ntype: true_false\ntext: ''\nanswer: maybe",  # lines 11, 12
        "id: q3\ntype: number\ntext: T\nanswer: x\ntolerance: -1",  # lines 16, 17
    )
    problems = problems_of(path)
    assert [problem.split(":")[1] for problem in problems] == ["8", "11", "12", "16", "17"]
    assert "question 'q1'" in problems[0] and "question 'q3'" in problems[4]


def test_an_id_used_in_two_banks_is_reported_in_the_later_one(tmp_path: Path) -> None:
    first = bank_with(tmp_path, SINGLE, name="a.yaml")
    second = bank_with(tmp_path, "id: q0\ntype: text\ntext: T\nanswer: a", SINGLE, name="b.yaml")
    with pytest.raises(LoadError) as info:
        load_banks([first, second])
    assert [str(problem) for problem in info.value.problems] == [
        f"{second}:8: question 'q1': id is already used in {first}:4"
    ]


def test_banks_with_distinct_ids_load_together(tmp_path: Path) -> None:
    first = bank_with(tmp_path, SINGLE, name="a.yaml")
    second = bank_with(tmp_path, "id: q2\ntype: text\ntext: T\nanswer: a", name="b.yaml")
    assert [bank.file for bank in load_banks([first, second])] == [first, second]


def test_problem_and_load_error_text() -> None:
    problem = Problem("question_banks/cchc.yaml", 48, "question 'x': answer 'E' is wrong")
    assert str(problem) == "question_banks/cchc.yaml:48: question 'x': answer 'E' is wrong"
    error = LoadError([Problem("b.yaml", 9, "two"), Problem("a.yaml", 3, "one"), problem])
    assert str(error).splitlines()[0] == "b.yaml:9: two"
    assert len(error.problems) == 3
    assert isinstance(error, Exception)


# --- YAML oddities ---------------------------------------------------------------------


def test_aliases_are_read_through(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        bank: demo
        title: Demo
        questions:
          - id: q1
            type: single
            text: T
            choices: &yn {A: Có, B: Không}
            answer: A
          - id: q2
            type: single
            text: U
            choices: *yn
            answer: B
        """,
    )
    assert load_bank(path).questions[1].choices == (("A", "Có"), ("B", "Không"))


def test_merge_keys_are_refused_clearly(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
        bank: demo
        title: Demo
        questions:
          - &base {id: q1, type: true_false, text: T, answer: true}
          - <<: *base
            id: q2
        """,
    )
    problems = problems_of(path)
    assert f"{path}:5: merge keys ('<<') are not supported; write the keys out" in problems


def test_a_recursive_alias_is_a_problem_not_a_hang(tmp_path: Path) -> None:
    path = write(tmp_path, "bank: demo\ntitle: Demo\nquestions: &q [*q]\n")
    problems = problems_of(path)
    assert any("recursive alias" in problem for problem in problems)


def test_an_unknown_tag_is_a_problem(tmp_path: Path) -> None:
    path = write(tmp_path, "bank: demo\ntitle: !!python/name:os.system Demo\nquestions: []\n")
    problems = problems_of(path)
    assert any(p.startswith(f"{path}:2: unsupported YAML tag") for p in problems)


# --- never a crash ---------------------------------------------------------------------

_JUNK: list[object] = [
    None,
    [],
    {},
    0,
    -3,
    2.5,
    float("nan"),
    True,
    "",
    "A",
    [None],
    [[1]],
    {"x": None},
    "true",
    10**30,
    ["A", "A"],
    {"a": {"b": [1, {"c": None}]}},
]


def _mutate(value: object, rng: random.Random) -> object:
    if rng.random() < 0.03:
        return rng.choice(_JUNK)
    if isinstance(value, dict):
        mutated = {key: _mutate(item, rng) for key, item in value.items() if rng.random() > 0.02}
        if rng.random() < 0.03:
            mutated[rng.choice(["anwser", "zz", 3])] = rng.choice(_JUNK)
        return mutated
    if isinstance(value, list):
        return [_mutate(item, rng) for item in value if rng.random() > 0.02]
    return value


def test_any_yaml_shape_becomes_problems_never_a_crash(tmp_path: Path) -> None:
    base = {
        "bank": "demo",
        "title": "Demo",
        "defaults": {"time_limit": 20, "points": 10},
        "questions": [
            {
                "id": "s",
                "type": "single",
                "text": "T",
                "choices": {"A": "a", "B": "b"},
                "answer": "A",
            },
            {
                "id": "m",
                "type": "multiple",
                "text": "T",
                "choices": {"A": "a", "B": "b"},
                "answer": ["A"],
            },
            {"id": "t", "type": "true_false", "text": "T", "answer": True, "tags": ["x"]},
            {"id": "x", "type": "text", "text": "T", "answer": ["a"], "ignore_diacritics": True},
            {"id": "n", "type": "number", "text": "T", "answer": 1.5, "tolerance": 0.5},
            {
                "id": "o",
                "type": "order",
                "text": "T",
                "items": {"A": "a", "B": "b"},
                "answer": ["B", "A"],
            },
        ],
    }
    rng = random.Random(1)
    path = tmp_path / "fuzz.yaml"
    outcomes = {"loaded": 0, "refused": 0}
    for _ in range(400):
        path.write_text(yaml.safe_dump(_mutate(base, rng), allow_unicode=True), encoding="utf-8")
        try:
            load_bank(str(path))
            outcomes["loaded"] += 1
        except LoadError as error:
            assert error.problems
            assert all(problem.line >= 1 for problem in error.problems)
            outcomes["refused"] += 1
    assert outcomes["loaded"] > 10 and outcomes["refused"] > 200, outcomes


def test_a_note_for_reviewers_is_read_and_must_be_text(tmp_path: Path) -> None:
    path = bank_with(tmp_path, SINGLE + "note: Cần đối chiếu với bản gốc của Nghị quyết\n")
    (question,) = load_bank(path).questions
    assert question.note == "Cần đối chiếu với bản gốc của Nghị quyết"
    assert load_bank(bank_with(tmp_path, SINGLE, name="plain.yaml")).questions[0].note is None
    bad = bank_with(tmp_path, SINGLE + "note: [a, b]\n", name="bad.yaml")
    expect_one(bad, 9, "question 'q1'", "note")


def test_a_number_in_exponent_form_is_a_number_but_quoted_it_is_text(tmp_path: Path) -> None:
    path = bank_with(
        tmp_path,
        "{id: n1, type: number, text: 'Bao nhiêu?', answer: 1e3}",
        "{id: n2, type: number, text: 'Bao nhiêu?', answer: 1.5E3, tolerance: 1e-3}",
    )
    bank = load_bank(path)
    assert [(q.answer, q.tolerance) for q in bank.questions] == [(1000.0, 0.0), (1500.0, 0.001)]
    quoted = bank_with(tmp_path, "{id: n1, type: number, text: 'Bao nhiêu?', answer: '1e3'}")
    expect_one(quoted, 4, "answer must be a number", "not '1e3'")


def test_an_empty_list_is_called_empty(tmp_path: Path) -> None:
    path = bank_with(
        tmp_path, "{id: m1, type: multiple, text: 'Chọn?', choices: {A: x, B: y}, answer: []}"
    )
    expect_one(path, 4, "answer must be a list of letters", "not an empty list")

"""The shipped banks and the demo contest pass `quiz check --strict` and keep their promises."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pytest

from quiz.files.bank import load_banks, load_contest
from quiz.files.check import run_check
from quiz.files.review import LETTER_SHARE

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "question_banks"
FILES = sorted(FOLDER.glob("*.yaml"))
CONTEST = FOLDER / "kim-boi-2023.yaml"
PACKAGES = FOLDER / "contest-goi-cau-hoi.yaml"  # the demo of question packages (turns)
PACKAGE_BANK = FOLDER / "goi-cau-hoi-cchc.yaml"
TIEBREAK_BANK = FOLDER / "cau-hoi-phu-cchc.yaml"  # the demo's tiebreak (number) questions
BANKS = [path for path in FILES if path not in (CONTEST, PACKAGES)]


def strict(*paths: Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_check([str(path) for path in paths], out, err, strict=True)
    return code, err.getvalue()


def test_there_are_banks_and_the_contest() -> None:
    assert CONTEST in FILES
    assert len(BANKS) >= 6


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_each_file_passes_a_strict_check(path: Path) -> None:
    # Leaks between a bank's own questions are notes (a contest must not ask
    # both), never warnings; the demo contest's rounds have none (next test).
    assert strict(path) == (0, "")


def test_the_demo_contest_and_all_banks_pass_a_strict_check_together() -> None:
    # With the contest, only its rounds are searched for leaks: there must be none.
    assert strict(*FILES) == (0, "")
    assert strict(CONTEST) == (0, "")


def test_true_false_is_balanced_and_multiple_shapes_vary() -> None:
    everything: Counter[bool] = Counter()
    for bank in load_banks(BANKS):
        answers = Counter(q.answer for q in bank.questions if q.type == "true_false")
        if not answers:
            continue  # a bank of number questions only (the tiebreak's)
        everything.update(answers)
        assert 0.45 <= answers[True] / sum(answers.values()) <= 0.55, bank.id
    assert 0.45 <= everything[True] / sum(everything.values()) <= 0.55
    questions = [q for bank in load_banks(BANKS) for q in bank.questions]
    shapes = Counter(len(q.answer) for q in questions if q.type == "multiple")
    assert len(shapes) >= 3
    assert max(shapes.values()) <= 0.5 * sum(shapes.values())


TOPICS = {"chuong-trinh", "mot-cua", "dich-vu-cong", "chi-so", "luat", "hoa-binh"}
VOICE = {"single", "true_false", "number", "text"}  # what a team can answer aloud in 5 s


def test_questions_to_check_say_why_and_are_never_drawn_by_topic() -> None:
    questions = [q for bank in load_banks(BANKS) for q in bank.questions]
    marked = [q for q in questions if "can-kiem-tra" in q.tags]
    assert marked
    for question in marked:
        assert question.note and question.note.startswith("Cần kiểm tra"), question.id
        assert not TOPICS & set(question.tags), question.id
    contest = load_contest(CONTEST)
    by_id = {q.id: q for q in questions}
    asked = [by_id[i] for r in contest.rounds if r.format != "judged" for i in r.question_ids]
    assert not [q.id for q in asked if "can-kiem-tra" in q.tags]
    buzzer = [r for r in contest.rounds if r.format == "buzzer"]
    assert buzzer
    for round_ in buzzer:
        assert {by_id[i].type for i in round_.question_ids} <= VOICE


def test_the_bank_keeps_the_issues_promises() -> None:
    questions = [q for bank in load_banks(BANKS) for q in bank.questions]
    types = Counter(q.type for q in questions)
    assert len(questions) >= 200
    assert types["true_false"] >= 20
    assert types["text"] >= 10
    assert types["number"] >= 5
    assert types["order"] >= 5
    assert types["multiple"] >= 10
    singles = [q for q in questions if q.type == "single"]
    assert all(len(q.choices) == 4 for q in singles)
    letters = Counter(q.answer for q in singles)
    assert max(letters.values()) <= LETTER_SHARE * len(singles)
    for question in questions:
        assert question.source and question.explanation, question.id
        assert question.level and question.tags, question.id
    assert {bank.as_of for bank in load_banks(BANKS)} == {"2023-08-29"}
    assert all(q.ignore_diacritics for q in questions if q.type == "text")


def test_the_demo_contest_draws_from_the_bank() -> None:
    contest = load_contest(CONTEST)
    topical = [path for path in BANKS if path not in (PACKAGE_BANK, TIEBREAK_BANK)]
    assert {bank.id for bank in contest.banks} == {bank.id for bank in load_banks(topical)}
    assert sum(len(r.question_ids) for r in contest.rounds) > 0


def test_the_package_demo_plays_every_package_question_with_star_and_steal() -> None:
    contest = load_contest(PACKAGES)
    (bank, tiebreak_bank) = load_banks([PACKAGE_BANK, TIEBREAK_BANK])
    assert [b.id for b in contest.banks] == [bank.id, tiebreak_bank.id]
    (tiebreak,) = [r for r in contest.rounds if r.format == "tiebreak"]
    assert sorted(tiebreak.question_ids) == sorted(q.id for q in tiebreak_bank.questions)
    assert {q.type for q in tiebreak_bank.questions} == {"number"}
    assert "tiebreak_round" in contest.tiebreak and contest.prizes
    (turns,) = [r for r in contest.rounds if r.format == "turns"]
    settings = turns.settings
    assert settings.star and settings.steal  # type: ignore[attr-defined]
    packages = settings.packages  # type: ignore[attr-defined]
    assert len(packages) >= max(4, len(contest.teams))
    assert any(p.pick_points for p in packages) and any(not p.pick_points for p in packages)
    assert sorted(turns.question_ids) == sorted(q.id for q in bank.questions)
    by_id = {q.id: q for q in bank.questions}
    for package in packages:
        assert {by_id[i].points for i in package.questions} == {10, 20, 30}, package.id
        assert {by_id[i].type for i in package.questions} <= VOICE, package.id

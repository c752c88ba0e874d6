"""Tests of `quiz check FILE...` (run_check): exit code, problems, summaries."""

from __future__ import annotations

import io
import os
from pathlib import Path

from quiz.files.check import run_check
from quiz.rules.formats import FORMATS

BANK = """\
bank: demo
title: Demo
questions:
  - {id: q1, type: true_false, text: T1, answer: true, tags: [a], source: Luật 52/2019}
  - {id: q2, type: single, text: T2, choices: {A: a, B: b}, answer: A, tags: [a],
     source: Luật 52/2019}
  - {id: q3, type: single, text: T3, choices: {A: a, B: b}, answer: B, tags: [a],
     source: Luật 52/2019}
  - {id: q4, type: number, text: T4, answer: 3, source: Luật 52/2019}
"""

CONTEST = """\
contest: kim-boi
title: Hội thi
banks: [demo.yaml]
teams:
  - {id: bo, name: Bo}
  - {id: binh-son, name: Bình Sơn}
  - {id: cuoi-ha, name: Cuối Hạ}
rounds:
  - {id: chung, title: Chung, format: all, questions: [q1, q4]}
  - {id: bam-chuong, title: Bấm chuông, format: buzzer, draw: {count: 2, tags: [a]}}
"""


def write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def check(*paths: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_check(list(paths), out, err)
    return code, out.getvalue(), err.getvalue()


def test_a_valid_bank_is_summarised_by_type(tmp_path: Path) -> None:
    bank = write(tmp_path, "demo.yaml", BANK)
    code, out, err = check(bank)
    assert (code, err) == (0, "")
    assert out == f"{bank}: bank 'demo', 4 questions (single 2, true_false 1, number 1)\n"


def test_a_contest_is_recognised_and_summarised_with_teams_and_rounds(tmp_path: Path) -> None:
    write(tmp_path, "demo.yaml", BANK)
    contest = write(tmp_path, "contest.yaml", CONTEST)
    code, out, err = check(contest)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        f"{contest}: contest 'kim-boi', 3 teams, 1 bank with 4 questions "
        "(single 2, true_false 1, number 1)",
        "  round 'chung' (all): 2 questions",
        "  round 'bam-chuong' (buzzer): 2 questions",
    ]


def test_every_problem_goes_to_err_and_the_exit_code_is_1(tmp_path: Path) -> None:
    bank = write(
        tmp_path,
        "demo.yaml",
        BANK.replace("answer: B", "answer: C").replace("answer: 3", "anwser: 3"),
    )
    code, out, err = check(bank)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        f"{bank}:7: question 'q3': answer 'C' is not one of the choices A-B",
        f"{bank}:9: question 'q4': unknown key 'anwser' (did you mean 'answer'?)",
        f"{bank}:9: question 'q4': missing key 'answer'",
    ]


def test_a_nonexistent_file_is_a_clear_problem(tmp_path: Path) -> None:
    missing = str(tmp_path / "nope.yaml")
    code, out, err = check(missing)
    assert (code, out) == (1, "")
    assert err == f"{missing}:1: file not found\n"


def test_a_folder_is_a_clear_problem(tmp_path: Path) -> None:
    code, _, err = check(str(tmp_path))
    assert code == 1
    assert err == f"{tmp_path}:1: is a folder, not a file\n"


def test_banks_given_together_are_checked_for_repeated_ids(tmp_path: Path) -> None:
    first = write(tmp_path, "a.yaml", BANK)
    second = write(tmp_path, "b.yaml", BANK.replace("bank: demo", "bank: other"))
    code, _, err = check(first, second)
    assert code == 1
    lines = err.splitlines()
    assert len(lines) == 4
    assert lines[0] == f"{second}:4: question 'q1': id is already used in {first}:4"


def test_the_same_bank_named_twice_is_checked_once(tmp_path: Path) -> None:
    bank = write(tmp_path, "demo.yaml", BANK)
    code, out, _ = check(bank, os.path.join(tmp_path, ".", "demo.yaml"), bank)
    assert code == 0
    assert out.splitlines() == [
        f"{bank}: bank 'demo', 4 questions (single 2, true_false 1, number 1)"
    ]


def test_a_bank_and_its_contest_given_together_are_not_duplicates(tmp_path: Path) -> None:
    bank = write(tmp_path, "demo.yaml", BANK)
    contest = write(tmp_path, "contest.yaml", CONTEST)
    code, out, err = check(bank, contest)
    assert (code, err) == (0, "")
    assert out.startswith(f"{bank}: bank 'demo'")
    assert f"{contest}: contest 'kim-boi'" in out


def test_problems_of_several_files_are_all_reported(tmp_path: Path) -> None:
    write(tmp_path, "demo.yaml", BANK)
    contest = write(tmp_path, "contest.yaml", CONTEST.replace("format: buzzer", "format: bingo"))
    broken = write(tmp_path, "broken.yaml", "bank: x\ntitle: [unclosed\n")
    code, out, err = check(contest, broken)
    assert (code, out) == (1, "")
    assert err.splitlines()[0].startswith(
        f"{contest}:10: round 'bam-chuong': format must be one of {', '.join(FORMATS)}"
    )
    assert err.splitlines()[1].startswith(f"{broken}:3: not valid YAML")
    assert len(err.splitlines()) == 2


def test_a_contest_bank_problem_names_the_bank_file(tmp_path: Path) -> None:
    bank = write(tmp_path, "demo.yaml", BANK.replace("title: Demo\n", ""))
    contest = write(tmp_path, "contest.yaml", CONTEST)
    code, _, err = check(contest)
    assert code == 1
    assert err == f"{bank}:1: missing key 'title'\n"


def test_no_file_is_a_usage_error() -> None:
    code, out, err = check()
    assert (code, out) == (2, "")
    assert "usage" in err

"""Every command that loads a contest speaks the contest's language: the
contest is loaded by one helper, which installs it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import MINI_CONTEST

from quiz.cli import load_for_command
from quiz.files import locale
from quiz.rules import text


def english_contest(tmp_path: Path) -> Path:
    for name in ("mini-contest.yaml", "mini-bank.yaml"):
        shutil.copy(MINI_CONTEST.parent / name, tmp_path / name)
    path = tmp_path / "mini-contest.yaml"
    path.write_text("language: en\n" + path.read_text("utf-8"), encoding="utf-8")
    return path


def test_a_loaded_contest_installs_its_language(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    english = {"Câu {n}": "Question {n}"}
    monkeypatch.setattr(locale, "catalogue", lambda lang: english if lang == "en" else {})
    try:
        contest = load_for_command(str(english_contest(tmp_path)))
        assert contest is not None and contest.language == "en"
        assert text.tr("Câu {n}", n=3) == "Question 3"
        contest = load_for_command(str(MINI_CONTEST))
        assert contest is not None and contest.language == "vi"
        assert text.tr("Câu {n}", n=3) == "Câu 3"
    finally:
        text.install({})


def test_a_broken_contest_prints_its_problems_and_installs_nothing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    installed: list[str] = []
    monkeypatch.setattr(locale, "install", installed.append)
    broken = tmp_path / "broken.yaml"
    broken.write_text("contest: x\n", "utf-8")
    assert load_for_command(str(broken)) is None
    assert str(broken) in capsys.readouterr().err
    assert installed == []

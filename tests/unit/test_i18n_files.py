"""An English contest's printed pages and files, and its sockets' refusals, in
English: the minutes, the results CSV and workbook and the record of a short
played `language: en` contest (English names and bank) hold no Vietnamese
letter, and a malformed message to a `language: en` server gets an English
error message. The words are the catalogue's (quiz/locale/en)."""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml
from openpyxl import load_workbook
from socketio.exceptions import ConnectionRefusedError
from support import T0, Game

from quiz.files import locale
from quiz.files.bank import load_contest
from quiz.files.export_review import run_review
from quiz.files.minutes import render_minutes
from quiz.files.record import build_record, labels_for
from quiz.files.record_xlsx import workbook_bytes
from quiz.files.results import results_csv
from quiz.rules.commands import (
    AdjustScore,
    Buzz,
    Judge,
    OpenAnswers,
    Reveal,
    SetAnswer,
    ShowQuestion,
    StartRound,
    SubmitAnswer,
    Undo,
)
from quiz.rules.model import Contest
from quiz.web import App, Config, create_app
from quiz.web.readiness import summary_line
from quiz.web.socket_auth import identify

VIETNAMESE = re.compile(
    r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.I
)
TEAMS = [("kim", "Kim Town"), ("son", "Son Commune"), ("ha", "Ha Commune"), ("dam", "Dam Commune")]
PIN = "246810"


def write_english_contest(folder: Path) -> Path:
    """A bank of three questions and a contest of two rounds (all, buzzer) with prizes,
    every word of it English."""
    folder.mkdir(parents=True, exist_ok=True)
    choices = {
        "A": "Ministry of Home Affairs",
        "B": "Ministry of Justice",
        "C": "Government Office",
    }
    bank = {
        "bank": "english-bank",
        "title": "Test questions",
        "language": "en",
        "defaults": {"time_limit": 20, "points": 10},
        "questions": [
            {"id": "q1", "type": "single", "text": "Which body?", "choices": choices,
             "answer": "A"},
            {"id": "q2", "type": "text", "text": "Which mechanism?", "answer": ["one stop"]},
            {"id": "b1", "type": "single", "text": "Buzz: which body?", "choices": choices,
             "answer": "C"},
        ],
    }  # fmt: skip
    (folder / "bank.yaml").write_text(yaml.safe_dump(bank), encoding="utf-8")
    contest = {
        "contest": "english",
        "title": "District administrative reform contest",
        "subtitle": "Knowledge round",
        "organizer": "District People's Committee",
        "date": "2023-08-29",
        "language": "en",
        "banks": ["bank.yaml"],
        "teams": [{"id": t, "name": n} for t, n in TEAMS],
        "rounds": [
            {"id": "common", "title": "Common questions", "format": "all",
             "questions": ["q1", "q2"]},
            {"id": "buzz", "title": "Buzzer round", "format": "buzzer", "questions": ["b1"]},
        ],
        "prizes": [{"name": "First prize", "count": 1}, {"name": "Second prize", "count": 1},
                   {"name": "Encouragement prize", "count": "rest"}],
    }  # fmt: skip
    path = folder / "english.yaml"
    path.write_text(yaml.safe_dump(contest, sort_keys=False), encoding="utf-8")
    return path


def play(contest: Contest) -> Game:
    """Answers, a hand-set answer, a buzz verdict undone and an adjustment;
    Kim Town and Ha Commune level on 20 points."""
    game = Game(contest)
    game.at(0).do(StartRound())
    game.do(ShowQuestion())
    game.at(1).do(OpenAnswers("q1"))
    for team, value, t in (("kim", "A", 2), ("son", "A", 3), ("ha", "B", 3.5)):
        game.at(1 + t).do(SubmitAnswer("q1", team, value, T0 + 1 + t))
    game.at(30).do(Reveal("q1"))
    game.at(31).do(SetAnswer("q1", "ha", "The team held up card A; its tablet was offline", "A"))
    game.do(ShowQuestion())
    game.at(40).do(OpenAnswers("q2"))
    answers = (("kim", "one stop", 4), ("son", "one stop shop", 5), ("ha", "One stop", 5),
               ("dam", "one stop", 6))  # fmt: skip
    for team, value, t in answers:
        game.at(40 + t).do(SubmitAnswer("q2", team, value, T0 + 40 + t))
    game.at(70).do(Reveal("q2"))
    game.at(80).do(StartRound())
    game.do(ShowQuestion())
    game.at(85).do(OpenAnswers("b1"))
    game.at(86).do(Buzz("b1", "dam", T0 + 86, 0.1))
    game.at(86.3).tick()
    game.at(88).do(Judge("b1", "dam", True))
    game.at(90).do(Undo("The team buzzed before the question was read", question="b1", team="dam"))
    game.at(95).do(AdjustScore("son", 5, "Answered the audience question"))
    return game


@pytest.fixture
def english() -> Iterator[None]:
    """The contest's language installed, as `quiz serve` and the CLI do; Vietnamese after."""
    locale.install("en")
    yield
    locale.install("vi")


@pytest.fixture
def game(tmp_path: Path, english: None) -> Game:
    return play(load_contest(str(write_english_contest(tmp_path / "contest"))))


def vietnamese_lines(texts: list[str]) -> list[str]:
    return [line for text in texts for line in text.splitlines() if VIETNAMESE.search(line)]


def strings(value: Any) -> list[str]:
    """Every string inside a record's plain data."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.items() for part in item for s in strings(part)]
    if isinstance(value, (list, tuple, set)):
        return [s for item in value for s in strings(item)]
    return []


def test_the_record_of_an_english_contest_is_english(game: Game) -> None:
    record = build_record(game.contest, game.state, "ab" * 32, 40)
    assert record.language == "en"
    found = vietnamese_lines(strings(dataclasses.asdict(record)) + list(record.labels.values()))
    assert not found, "\n".join(found)
    kinds = {c.kind for c in record.corrections}
    assert {"set_answer", "verdict_undone", "adjust"} <= kinds  # the sections are not empty
    assert record.question_name("b1") == "Round 2 – Question 1"


def test_the_minutes_of_an_english_contest_are_english(game: Game) -> None:
    page = render_minutes(build_record(game.contest, game.state, "ab" * 32, 40))
    assert '<html lang="en">' in page
    shown = ("MINUTES", "Ranking", "Corrections to the results", "Chair of the jury",
             "Teams level on points", "Kim Town", "Answered the audience question")  # fmt: skip
    for words in shown:
        assert words in page, words
    found = vietnamese_lines([page])
    assert not found, "\n".join(found)


def test_the_results_workbook_of_an_english_contest_is_english(game: Game) -> None:
    record = build_record(game.contest, game.state, "ab" * 32, 40)
    book = load_workbook(io.BytesIO(workbook_bytes(record)))
    assert book.sheetnames[:4] == ["Summary", "Teams × questions", "Corrections", "Appeals"]
    texts = list(book.sheetnames)
    for sheet in book.worksheets:
        texts += [str(v) for row in sheet.iter_rows(values_only=True) for v in row if v]
    assert "Total" in texts and "Round 1: Common questions" in texts
    found = vietnamese_lines(texts)
    assert not found, "\n".join(found)


def test_the_results_csv_of_an_english_contest_is_english(game: Game) -> None:
    text = results_csv(game.contest, game.state, {"head": "ab" * 32, "entries": 40})
    header = text.lstrip("\ufeff").splitlines()[0].split(";")
    assert header[:4] == ["Rank", "Team", "Total", "Correct answers"]
    assert "Log of verdicts and corrections" in text and "40 entries" in text
    assert "Kim Town;" in text and "Answer entered for the team" in text
    found = vietnamese_lines([text])
    assert not found, "\n".join(found)


def test_the_words_follow_the_record_language_and_vietnamese_stays_the_default() -> None:
    assert labels_for("en")["sheet_summary"] == "Summary"
    assert labels_for("vi")["sheet_summary"] == "Tổng hợp"
    assert labels_for("xx") == labels_for("vi")


def test_the_readiness_line_in_english(english: None) -> None:
    assert summary_line(3, 4, ["Dam Commune"]) == "Ready: 3/4 — not connected: Dam Commune"
    many = summary_line(10, 17, [f"Team {n}" for n in range(7)])
    assert many.endswith("Team 3, Team 4 and 2 other teams")


# --- A `language: en` server's refusals ---------------------------------------------


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    built = create_app(
        Config(
            write_english_contest(tmp_path / "contest"), tmp_path, async_mode="threading", pin=PIN
        )  # fmt: skip
    )
    built.hub._started = True  # no ticker or pinger threads (as in test_protocol_socket)
    yield built
    built.service.close()
    locale.install("vi")  # create_app installed the contest's language


def refusal(ack: Any, code: str) -> str:
    assert isinstance(ack, dict) and ack["ok"] is False and ack["error"] == code, ack
    message = ack["message"]
    assert isinstance(message, str) and message and not VIETNAMESE.search(message), ack
    return message


@pytest.mark.parametrize(
    ("event", "payload", "code", "message"),
    [
        ("sync", [1], "bad_request", "The data sent must be an object"),
        ("sync", {"t": "now"}, "bad_request", "Field 't' must be a number"),
        ("sync", {"t": 1, "x": 2}, "bad_request", "Unknown fields: x"),
        ("answer", {"question": "q1"}, "bad_request", "Missing answer"),
        ("command", {"name": "explode"}, "unknown_command", "Unknown command"),
        ("command", {"name": "adjust", "team": "kim", "delta": 5}, "bad_request",
         "Missing field 'reason'"),
        ("jury", {"name": "sign_off"}, "forbidden", "This screen may not send that command"),
        ("no_such_event", {}, "unknown_event", "Unknown event"),
        ("device_info", {"wake_lock": "maybe"}, "bad_request",
         "Field 'wake_lock' must be on, off or unsupported"),
    ],
)  # fmt: skip
def test_a_malformed_message_to_an_english_server_gets_an_english_error(
    app: App, event: str, payload: Any, code: str, message: str
) -> None:
    role = "mc" if event in ("command", "jury") else "team"
    auth = {"role": "mc", "pin": PIN} if role == "mc" else {
        "role": "team", "code": app.hub.access.codes["kim"]}  # fmt: skip
    client = app.socketio.test_client(app.flask, auth=auth)
    assert client.is_connected()
    before = app.service.state.seq
    assert refusal(client.emit(event, payload, callback=True), code) == message
    assert app.service.state.seq == before  # nothing changed


@pytest.mark.parametrize(
    ("auth", "code", "message"),
    [
        ({"role": "team", "code": "nope"}, "bad_code", "Wrong join code"),
        ({"role": "mc"}, "login_required", "Please log in with the PIN"),
        ({"role": "jury"}, "no_jury", "This contest has no jury in the system"),
        ({"role": "king"}, "bad_auth", "Unknown role"),
    ],
)
def test_a_refused_connect_says_why_in_english(
    app: App, auth: dict[str, str], code: str, message: str
) -> None:
    with pytest.raises(ConnectionRefusedError) as refused:
        identify(app.hub, auth, "127.0.0.1", None)
    assert refused.value.error_args == {
        "message": message,
        "data": {"code": code, "message": message},
    }


# --- The review document of an English bank --------------------------------------------


def test_the_review_document_of_an_english_bank_is_english(tmp_path: Path) -> None:
    folder = tmp_path / "contest"
    write_english_contest(folder)
    bank = yaml.safe_load((folder / "bank.yaml").read_text(encoding="utf-8"))
    bank["questions"] += [
        {"id": "t1", "type": "true_false", "text": "The portal opened in 2019.", "answer": True,
         "tags": ["portal"], "level": "easy", "note": "check the date"},
        {"id": "n1", "type": "number", "text": "How many percent?", "answer": 85.5,
         "tolerance": 0.5, "unit": "%", "level": "hard"},
        {"id": "o1", "type": "order", "text": "Order them.", "items": {"A": "first", "B": "second"},
         "answer": ["B", "A"]},
    ]  # fmt: skip
    (folder / "bank.yaml").write_text(yaml.safe_dump(bank), encoding="utf-8")
    output = tmp_path / "review.docx"
    out, err = io.StringIO(), io.StringIO()
    try:
        assert run_review(str(folder / "bank.yaml"), str(output), out, err) == 0, err.getvalue()
    finally:
        locale.install("vi")  # run_review installed the bank's language
    document = docx.Document(str(output))
    texts = [p.text for p in document.paragraphs]
    texts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Question bank review sheet" in texts and "Answer: True" in texts
    assert "By question type" in texts and "Reviewer's conclusion: " + "." * 80 in texts
    found = vietnamese_lines(texts)
    assert not found, "\n".join(found)

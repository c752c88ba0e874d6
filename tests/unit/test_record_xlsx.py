"""The official record: the results workbook (sheets and cells of a played
contest with corrections), text that must never become a formula, the labels
in both languages, `quiz results` from a journal, and the MC's routes."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from record_scenario import REASONS, TEAMS, played_journal
from support import T0, Game, contest, q_single, q_text

from quiz.cli import main
from quiz.files.minutes import render_minutes
from quiz.files.record import LABELS, build_record, labels_for
from quiz.files.record_xlsx import workbook, workbook_bytes
from quiz.live.journal import verify_file
from quiz.rules.commands import (
    AdjustScore,
    OpenAnswers,
    Reveal,
    SetAnswer,
    ShowQuestion,
    StartRound,
    SubmitAnswer,
)
from quiz.rules.model import AllSettings, Team
from quiz.web import Config, create_app

SHEETS = ["Tổng hợp", "Đội × câu hỏi", "Điều chỉnh", "Khiếu nại", "Nhật ký", "P1-C1", "P1-C2"]


def _rows(ws: Worksheet) -> list[list[Any]]:
    return [list(r) for r in ws.iter_rows(values_only=True)]


def _head(journal: Path) -> tuple[int, str]:
    ok, line = verify_file(journal)
    assert ok, line
    words = line.split()
    return int(words[1]), words[4]


@pytest.fixture
def played(tmp_path: Path) -> tuple[Path, Path, Game]:
    return played_journal(tmp_path)


def _workbook_from_cli(played: tuple[Path, Path, Game], tmp_path: Path) -> Any:
    contest_path, journal, _ = played
    out = tmp_path / "ket-qua.xlsx"
    assert main(["results", str(journal), "--contest", str(contest_path), "-o", str(out)]) == 0
    return load_workbook(out)


def test_summary_sheet_ranks_teams_with_prizes_totals_and_points_per_round(
    played: tuple[Path, Path, Game], tmp_path: Path
) -> None:
    book = _workbook_from_cli(played, tmp_path)
    assert book.sheetnames == [*SHEETS, "P2-C1"]
    rows = _rows(book["Tổng hợp"])
    assert rows[0] == [
        "Hạng", "Đội thi", "Giải", "Tổng điểm", "Phần 1: Câu hỏi chung",
        "Phần 2: Giành quyền trả lời", "Điều chỉnh điểm", "Số câu đúng",
        "Tổng thời gian trả lời đúng (giây)",
    ]  # fmt: skip
    assert rows[1:] == [
        [1, "Thị trấn Bo", "Giải Nhất", 20, 20, 0, 0, 2, 6],
        [2, "Xã Cuối Hạ", "Giải Nhì", 20, 20, 0, 0, 2, 8.5],
        [3, "Xã Bình Sơn", "Giải Khuyến khích", 15, 10, 0, 5, 1, 3],
        [4, "Xã Nương Đăm", "Giải Khuyến khích", 10, 10, 0, 0, 1, 6],
    ]
    assert book["Tổng hợp"].freeze_panes == "A2"


def test_team_by_question_sheet_has_every_answer_with_result_points_and_time(
    played: tuple[Path, Path, Game], tmp_path: Path
) -> None:
    rows = _rows(_workbook_from_cli(played, tmp_path)["Đội × câu hỏi"])
    assert rows[0] == [
        "Đội thi", "Phần thi", "Câu hỏi", "Mã câu hỏi", "Đáp án của đội", "Kết quả", "Điểm",
        "Thời gian (giây)", "Lúc", "Nhập tay", "Đã hủy kết quả",
    ]  # fmt: skip
    assert len(rows) == 1 + len(TEAMS) * 3
    cells = {(r[0], r[3]): r for r in rows[1:]}
    # the answer set by hand: A, right, 10 points, and its press time kept
    assert cells["Xã Cuối Hạ", "q1"][4:8] == ["A", "Đúng", 10, 3.5]
    assert cells["Xã Cuối Hạ", "q1"][9] == "Có"
    assert cells["Xã Bình Sơn", "q2"][4:8] == ["một cửa liên thông", "Sai", 0, 5]
    assert cells["Xã Nương Đăm", "q1"][4:8] == [None, "Không trả lời", 0, None]
    # the buzz whose verdict was undone: no points, the buzz time stays
    assert cells["Xã Nương Đăm", "b1"][2] == "Phần 2 – Câu 1"
    assert cells["Xã Nương Đăm", "b1"][6] == 0
    assert cells["Xã Nương Đăm", "b1"][8].count(":") == 2


def test_one_sheet_per_question_with_every_teams_answer_and_time(
    played: tuple[Path, Path, Game], tmp_path: Path
) -> None:
    book = _workbook_from_cli(played, tmp_path)
    rows = _rows(book["P1-C2"])
    assert rows[0][:2] == ["Câu hỏi", "Phần 1 – Câu 2"]
    assert rows[1][:2] == ["Mã câu hỏi", "q2"]
    assert rows[2][:2] == ["Hình thức", "Câu hỏi chung"]
    assert rows[3][:2] == ["Nội dung câu hỏi", "Cơ chế gì?"]
    assert rows[4][:2] == ["Đáp án đúng", "một cửa"]
    table = rows[8:]
    assert rows[5][:2] == ["Đã hủy kết quả", None] and rows[6] == [None] * 7
    assert rows[7][:4] == ["Đội thi", "Đáp án của đội", "Kết quả", "Điểm"]
    assert [(r[0], r[1], r[2], r[3], r[4]) for r in table] == [
        ("Thị trấn Bo", "một cửa", "Đúng", 10, 4),
        ("Xã Bình Sơn", "một cửa liên thông", "Sai", 0, 5),
        ("Xã Cuối Hạ", "Một cửa", "Đúng", 10, 5),
        ("Xã Nương Đăm", "một cửa", "Đúng", 10, 6),
    ]
    buzzer = _rows(book["P2-C1"])
    assert buzzer[2][1] == "Giành quyền trả lời"
    timed = {r[0]: r[4] for r in buzzer[8:]}
    assert timed["Xã Nương Đăm"] == pytest.approx(1.0)  # pressed 1 s after the buzzers opened
    assert timed["Thị trấn Bo"] is None


def test_corrections_sheet_lists_what_why_and_when_and_appeals_sheet_is_a_header(
    played: tuple[Path, Path, Game], tmp_path: Path
) -> None:
    book = _workbook_from_cli(played, tmp_path)
    rows = _rows(book["Điều chỉnh"])
    assert rows[0] == [
        "#", "Lúc", "Loại", "Đội thi", "Câu hỏi", "Mã câu hỏi", "Nội dung", "Điểm", "Lý do",
        "Hoàn tác lúc", "Lý do hoàn tác",
    ]  # fmt: skip
    assert [(r[2], r[3], r[4], r[7], r[8]) for r in rows[1:]] == [
        ("Nhập đáp án thay đội", "Xã Cuối Hạ", "Phần 1 – Câu 1", "+10", REASONS[0]),
        ("Hoàn tác kết quả chấm giành quyền trả lời", "Xã Nương Đăm", "Phần 2 – Câu 1", "-10",
         REASONS[1]),
        ("Điều chỉnh điểm", "Xã Bình Sơn", None, "+5", REASONS[2]),
    ]  # fmt: skip
    assert rows[1][6] == "đáp án A"
    assert all(len(r[1]) == 8 and r[1].count(":") == 2 for r in rows[1:])  # HH:MM:SS
    appeals = _rows(book["Khiếu nại"])
    assert appeals == [
        ["Lúc", "Đội thi", "Câu hỏi", "Mã câu hỏi", "Nội dung khiếu nại", "Kết quả xử lý",
         "Lý do", "Xử lý lúc"],
    ]  # fmt: skip


def test_journal_sheet_holds_the_head_hash_quiz_verify_prints(
    played: tuple[Path, Path, Game], tmp_path: Path
) -> None:
    entries, head = _head(played[1])
    facts = {r[0]: r[1] for r in _rows(_workbook_from_cli(played, tmp_path)["Nhật ký"])}
    assert facts["Mã kiểm tra nhật ký"] == head
    assert facts["Số mục trong nhật ký"] == entries == len(played[2].log)
    assert facts["Hội thi"] == "Hội thi Cải cách hành chính huyện Kim Bôi"
    assert facts["Ngày"] == "29/08/2023" and facts["Địa điểm"] is None


def test_text_from_teams_and_banks_never_becomes_a_formula() -> None:
    hostile = '=HYPERLINK("http://192.0.2.1/x","Bấm")'
    c = contest(
        ("all", [q_text("t1", ("một cửa",)), q_single("s1")], AllSettings()),
        teams=(Team("t1", hostile), Team("t2", "+Xã Hai"), Team("t3", "Xã Ba")),
    )
    game = Game(c)
    game.at(0).do(StartRound())
    game.do(ShowQuestion())
    game.at(1).do(OpenAnswers("t1"))
    game.at(2).do(SubmitAnswer("t1", "t2", "=1+2", T0 + 2))
    game.at(3).do(SubmitAnswer("t1", "t3", "@SUM(A1:A9)", T0 + 3))
    game.at(30).do(Reveal("t1"))
    game.at(31).do(AdjustScore("t1", -5, "-cmd|' /C calc'!A0"))
    game.at(32).do(SetAnswer("t1", "t3", "+1 vì đội giơ bảng đúng", correct=True))
    data = workbook_bytes(build_record(c, game.state, "ab" * 32, len(game.log)))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and all(b"<f>" not in archive.read(n) for n in sheets)
    book = load_workbook(io.BytesIO(data))
    found = {}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value[:1] in ("=", "+", "-", "@", "\t"):
                    found[cell.value] = cell
    for text in [hostile, "+Xã Hai", "=1+2", "@SUM(A1:A9)", "-cmd|' /C calc'!A0",
                 "+1 vì đội giơ bảng đúng"]:  # fmt: skip
        assert text in found, text
        assert found[text].data_type == "s" and found[text].quotePrefix, text
    assert book["Tổng hợp"]["B1"].value == "Đội thi"  # ordinary text stays as it is
    assert not book["Tổng hợp"]["B1"].quotePrefix


def test_every_word_has_an_english_counterpart_and_english_names_the_sheets(
    played: tuple[Path, Path, Game],
) -> None:
    english = labels_for("en")
    assert set(english) == set(LABELS) == set(labels_for("vi"))
    assert all(english[k] or not LABELS[k] for k in LABELS)
    game = played[2]
    record = build_record(game.contest, game.state, "0" * 64, 1, language="en")
    book = workbook(record)
    assert book.sheetnames[:5] == ["Summary", "Teams × questions", "Corrections", "Appeals",
                                   "Journal"]  # fmt: skip
    assert book.sheetnames[5:] == ["R1-Q1", "R1-Q2", "R2-Q1"]
    assert book["Summary"]["E1"].value == "Round 1: Câu hỏi chung"
    page = render_minutes(record)
    assert '<html lang="en">' in page and "Chair of the jury" in page


def test_quiz_results_refuses_a_broken_journal_or_another_contest_and_writes_nothing(
    played: tuple[Path, Path, Game], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    contest_path, journal, _ = played
    out = tmp_path / "x.xlsx"
    assert main(["results", str(journal), "-o", str(out)]) == 1  # the demo contest by default
    assert "journal of contest 'ghi-nhan'" in capsys.readouterr().err
    lines = journal.read_bytes().split(b"\n")
    lines[5] = lines[5].replace(b'"bo"', b'"cuoi-ha"', 1)
    journal.write_bytes(b"\n".join(lines))
    assert main(["results", str(journal), "--contest", str(contest_path), "-o", str(out)]) == 1
    assert f"{journal}:6: hash does not match" in capsys.readouterr().err
    assert not out.exists()


def test_quiz_results_writes_next_to_the_journal_by_default(
    played: tuple[Path, Path, Game], capsys: pytest.CaptureFixture[str]
) -> None:
    contest_path, journal, _ = played
    assert main(["results", str(journal), "--contest", str(contest_path)]) == 0
    assert (journal.parent / "ket-qua.xlsx").exists()
    assert _head(journal)[1] in capsys.readouterr().out


@pytest.fixture
def served(played: tuple[Path, Path, Game], tmp_path: Path) -> Iterator[tuple[Any, Path]]:
    """A server resumed from the played journal (copied where it keeps its data)."""
    contest_path, journal, _ = played
    data = tmp_path / "served"
    (data / "ghi-nhan").mkdir(parents=True)
    (data / "ghi-nhan" / "journal.jsonl").write_bytes(journal.read_bytes())
    built = create_app(Config(contest_path, data, async_mode="threading", pin="246810"))
    yield built.flask.test_client(), data / "ghi-nhan" / "journal.jsonl"
    built.service.close()


def test_the_mc_gets_the_workbook_and_the_minutes_only_when_logged_in(
    served: tuple[Any, Path],
) -> None:
    client, journal = served
    for path in ("/results.xlsx", "/minutes", "/results.xlsx?pin=246810", "/minutes?pin=246810"):
        assert client.get(path).status_code == 403, path
    assert client.post("/mc", data={"pin": "246810"}).status_code == 303
    response = client.get("/results.xlsx")
    assert response.status_code == 200
    assert "ket-qua.xlsx" in response.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.data))
    facts = {r[0]: r[1] for r in _rows(book["Nhật ký"])}
    entries, head = _head(journal)
    assert (facts["Mã kiểm tra nhật ký"], facts["Số mục trong nhật ký"]) == (head, entries)
    page = client.get("/minutes").get_data(as_text=True)
    for _, name in TEAMS:
        assert name in page
    for reason in REASONS:
        assert reason in page
    assert head[:32] in page and head[32:] in page
    assert "<svg" in page and "Thư ký" in page and 'href="/static/css/minutes.css"' in page
    assert "Kết quả (Excel)" in client.get("/mc").get_data(as_text=True)


def test_minutes_leave_a_line_to_fill_for_what_the_contest_file_does_not_say(
    played: tuple[Path, Path, Game],
) -> None:
    game = played[2]
    bare = replace(game.contest, organizer=None, venue=None, date=None)
    page = render_minutes(build_record(bare, game.state, "0" * 64, 1))
    for field in ("m-date", "m-venue", "m-organizer"):
        assert f'<dd id="{field}"><span class="fill"></span></dd>' in page
    assert "Địa điểm" in page
    page = render_minutes(build_record(game.contest, game.state, "0" * 64, 1))
    assert '<dd id="m-date">29/08/2023</dd>' in page
    assert '<dd id="m-venue"><span class="fill"></span></dd>' in page  # no venue given

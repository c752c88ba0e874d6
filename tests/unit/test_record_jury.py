"""The jury's work in the official record: appeals with their decisions, the
approvals and rejections of corrections, the sign-off and the reopenings, in
the record both the workbook and the minutes render."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from test_engine_jury import jury_contest, played

from quiz.files.minutes import render_minutes
from quiz.files.record import build_record
from quiz.files.record_xlsx import workbook_bytes
from quiz.rules.commands import (
    AdjustScore,
    DecideAppeal,
    FileAppeal,
    Reopen,
    ReviewCorrection,
    SignOff,
)


def test_appeals_approvals_and_the_sign_off_are_in_the_record() -> None:
    game = played(jury_contest(approve_corrections=True), finish=True)
    game.at(205).do(FileAppeal("t2", "s2", "Đội giơ bảng C trước khi hết giờ", by="mc"))
    game.do(FileAppeal("t3", "s2", "Đáp án A cũng đúng", by="jury"))
    game.at(206).do(DecideAppeal(1, True, "Băng ghi hình xác nhận", kind="set_answer", value="C"))
    game.do(DecideAppeal(2, False, "Trái với Nghị định 61"))
    game.at(207).do(AdjustScore("t4", 2, "Cộng điểm phụ"))
    game.do(AdjustScore("t1", -1, "Trừ điểm nhắc bài"))
    game.at(208).do(ReviewCorrection(1, True, "Đúng quy chế"))
    game.do(ReviewCorrection(2, False, "Không có căn cứ trừ điểm"))
    game.at(209).do(SignOff())
    game.at(210).do(Reopen("Thư ký xem lại bảng điểm"))
    game.at(211).do(SignOff())

    record = build_record(game.contest, game.state, "ab" * 32, len(game.log), made_at=0.0)
    appeals = [(a.team, a.outcome, a.reason) for a in record.appeals]
    assert appeals == [
        ("Xã 2", "accepted", "Băng ghi hình xác nhận"),
        ("Xã 3", "rejected", "Trái với Nghị định 61"),
    ]
    assert record.signoff is not None and record.signoff.at is not None
    assert [r for _, r in record.signoff.reopenings] == ["Thư ký xem lại bảng điểm"]
    by_kind = {(c.kind, c.team): c for c in record.corrections}
    assert "chấp nhận khiếu nại số 1" in by_kind[("set_answer", "Xã 2")].reason
    assert "Ban giám khảo duyệt lúc" in by_kind[("adjust", "Xã 4")].reason
    assert "Đúng quy chế" in by_kind[("adjust", "Xã 4")].reason
    rejected = by_kind[("rejected", "Xã 1")]
    assert rejected.reason == "Không có căn cứ trừ điểm"
    assert "Trừ điểm nhắc bài" in rejected.what
    assert {s.team: s.total for s in record.standings}["t2"] == 20

    page = render_minutes(record)
    for text in (
        "Đội giơ bảng C trước khi hết giờ",
        "Trái với Nghị định 61",
        "Không có căn cứ trừ điểm",
        "Thư ký xem lại bảng điểm",
        "Ban giám khảo xác nhận kết quả lúc",
        "Đề nghị điều chỉnh không được duyệt",
    ):
        assert text in page, text

    book = load_workbook(io.BytesIO(workbook_bytes(record)))
    cells = {str(c.value) for row in book["Khiếu nại"].iter_rows() for c in row}
    assert {"Băng ghi hình xác nhận", "Chấp nhận", "Không chấp nhận"} <= cells
    corrections = " ".join(
        str(c.value) for row in book["Điều chỉnh"].iter_rows() for c in row if c.value
    )
    assert "Không có căn cứ trừ điểm" in corrections and "Đúng quy chế" in corrections


def test_without_a_jury_the_record_has_no_sign_off_section() -> None:
    from dataclasses import replace

    game = played(replace(jury_contest(), jury=None), finish=True)
    record = build_record(game.contest, game.state, "ab" * 32, len(game.log), made_at=0.0)
    assert record.signoff is None and record.appeals == []

"""Device decisions: journal events that change no score and appear in the record."""

from __future__ import annotations

from conftest import MINI_CONTEST

from quiz.files.bank import load_contest
from quiz.files.results import results_csv
from quiz.rules import engine
from quiz.rules.events import DeviceApproved, DeviceRefused, from_record, to_record


def test_device_decisions_replay_into_the_record_and_score_nothing() -> None:
    contest = load_contest(MINI_CONTEST)
    events = [
        DeviceRefused(at=1_700_000_000.0, team="bo", device="dev-2", address="10.0.0.9"),
        DeviceApproved(
            at=1_700_000_060.0, team="bo", device="dev-3", address="10.0.0.7", replaced=1
        ),
    ]
    assert [from_record(to_record(e)) for e in events] == events  # as the journal keeps them
    state = engine.replay(contest, events)
    assert [(d.team, d.approved, d.replaced) for d in state.devices] == [
        ("bo", False, 0),
        ("bo", True, 1),
    ]
    assert state.seq == 2 and state.phase == "lobby"
    csv = results_csv(contest, state)
    assert "Từ chối thiết bị;Thị trấn Bo;;;từ 10.0.0.9" in csv
    assert "Duyệt thiết bị mới;Thị trấn Bo;;;từ 10.0.0.7, thay 1 thiết bị cũ" in csv
    assert csv.index("Từ chối thiết bị") < csv.index("Duyệt thiết bị mới")  # time order


def test_device_decisions_are_in_the_workbook_and_the_minutes() -> None:
    from quiz.files.minutes import render_minutes
    from quiz.files.record import build_record
    from quiz.files.record_xlsx import workbook

    contest = load_contest(MINI_CONTEST)
    events = [
        DeviceApproved(at=1_700_000_060.0, team="bo", device="d-3", address="10.0.0.7", replaced=1)
    ]
    record = build_record(contest, engine.replay(contest, events), head="ab" * 32, entries=1)
    assert [(d.team, d.approved, d.replaced) for d in record.devices] == [("Thị trấn Bo", True, 1)]
    book = workbook(record)
    sheet = book["Thiết bị"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["Lúc", "Đội thi", "Quyết định", "Địa chỉ thiết bị", "Thiết bị cũ đã thay"]
    assert rows[1][1:5] == ["Thị trấn Bo", "Duyệt thiết bị mới", "10.0.0.7", 1]
    page = render_minutes(record)
    assert "Thiết bị của các đội được duyệt hoặc từ chối" in page
    assert "Duyệt thiết bị mới" in page and "10.0.0.7" in page
    # Without any decision neither shows the section.
    plain = build_record(contest, engine.replay(contest, []), head="ab" * 32, entries=0)
    assert "Thiết bị" not in workbook(plain).sheetnames
    assert "Thiết bị của các đội" not in render_minutes(plain)

"""The jury's messages and a tablet's appeal, parsed by their strict models."""

from __future__ import annotations

import pytest

from quiz.rules import commands as c
from quiz.web.hub import clock_error
from quiz.web.protocol import (
    AppealMsg,
    ProtocolError,
    TimelineMsg,
    parse,
    parse_command,
    parse_jury,
)


def refused(payload: object, message: str, code: str = "bad_request") -> None:
    with pytest.raises(ProtocolError) as info:
        parse_jury(payload)
    assert (info.value.code, info.value.message) == (code, message)


def test_each_jury_command_becomes_its_engine_command() -> None:
    assert parse_jury({"name": "review", "id": 2, "approve": True, "reason": "Đúng"}) == (
        c.ReviewCorrection(2, True, "Đúng")
    )
    accept = {"name": "decide_appeal", "id": 1.0, "accept": True, "reason": "x"}
    assert parse_jury({**accept, "kind": "adjust", "delta": -2.5}) == c.DecideAppeal(
        1, True, "x", kind="adjust", delta=-2.5
    )
    assert parse_jury({**accept, "kind": "set_answer", "value": "B"}).value == "B"  # type: ignore[attr-defined]
    assert parse_jury({"name": "sign_off"}) == c.SignOff()
    assert parse_jury({"name": "reopen", "reason": "Xem lại"}) == c.Reopen("Xem lại")
    # the jury's own corrections say so; the MC's do not
    adjust = {"name": "adjust", "team": "bo", "delta": 1, "reason": "x"}
    assert parse_jury(adjust) == c.AdjustScore("bo", 1, "x", by="jury")
    assert parse_command(adjust) == c.AdjustScore("bo", 1, "x", by="mc")
    assert parse_jury({"name": "undo", "reason": "x"}) == c.Undo("x", by="jury")
    appeal = {"name": "appeal", "team": "bo", "question": "q1", "text": "Đề sai"}
    assert parse_jury(appeal) == c.FileAppeal("bo", "q1", "Đề sai", by="jury")
    assert parse_command(appeal) == c.FileAppeal("bo", "q1", "Đề sai", by="mc")


def test_malformed_jury_commands_are_refused_with_the_contracts_message() -> None:
    refused("x", "Dữ liệu gửi lên phải là một đối tượng")
    refused({"name": "drop"}, "Lệnh không hợp lệ", "unknown_command")
    refused({"name": "start_round"}, "Lệnh không hợp lệ", "unknown_command")  # not the jury's
    refused({"name": "review", "approve": True, "reason": "x"}, "Thiếu trường 'id'")
    refused(
        {"name": "review", "id": 1.5, "approve": True, "reason": "x"},
        "Trường 'id' phải là số nguyên dương",
    )
    refused(
        {"name": "review", "id": 1, "approve": "yes", "reason": "x"},
        "Trường 'approve' phải là true/false",
    )
    refused(
        {"name": "decide_appeal", "id": 1, "accept": True, "reason": "x", "kind": "delete"},
        "Điều chỉnh phải là set_answer, adjust hoặc void",
    )
    refused(
        {"name": "reopen", "reason": "x" * 501},
        "Trường 'reason' phải là chuỗi không quá 500 ký tự",
    )
    refused({"name": "sign_off", "by": "mc"}, "Trường không hợp lệ: by")


def test_a_tablets_appeal_and_the_timeline_request() -> None:
    assert parse(AppealMsg, {"question": "q1", "text": "Xin xem lại"}).text == "Xin xem lại"
    for payload, message in [
        ({"question": "q1", "text": "x" * 501}, "Trường 'text' phải là chuỗi không quá 500 ký tự"),
        ({"question": "q1"}, "Thiếu trường 'text'"),
        ({"question": "q1", "text": "x", "team": "bo"}, "Trường không hợp lệ: team"),
    ]:
        with pytest.raises(ProtocolError) as info:
            parse(AppealMsg, payload)
        assert info.value.message == message
    assert parse(TimelineMsg, {}).team is None
    with pytest.raises(ProtocolError):
        parse(TimelineMsg, {"limit": 0})


def test_a_tablets_clock_error_from_its_pong() -> None:
    # sent at server 1000.000 s, back 20 ms later; the tablet thought it was 1000.310
    assert clock_error(({"c": 1, "s": 1_000_310},), 1000.0, 0.02, None) == pytest.approx(0.3)
    assert clock_error(({"c": 1},), 1000.0, 0.02, 0.1) == 0.1  # no estimate: kept
    assert clock_error(({"s": True},), 1000.0, 0.02, None) is None
    assert clock_error(("junk",), 1000.0, 0.02, None) is None
    assert clock_error((), 1000.0, 0.02, None) is None
    assert clock_error(({"s": 1e20},), 1000.0, 0.02, None) is None  # absurd: ignored

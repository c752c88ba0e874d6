"""What the socket namespace does with the venue's hour before the first question.

`device_info` (every screen reports its device: quiz/web/readiness.py),
`device` (the MC approves or refuses a team's waiting device:
quiz/web/devices.py), `practice` (the MC starts or ends the practice question)
and `practice_answer` (a team answers it: quiz/web/practice.py). Each answers
with an ack, an error ack for anything malformed or refused
(docs/protocol.md); a tablet's or board's messages count in its budget like
every other message.
"""

from __future__ import annotations

import time
from typing import Any

from flask import request

from quiz.rules.text import tr
from quiz.web.devices import DeviceError
from quiz.web.hub import Conn, Hub
from quiz.web.practice import PracticeError
from quiz.web.protocol import (
    NOT_AN_OBJECT,
    DeviceMsg,
    PracticeAnswerMsg,
    ProtocolError,
    SwitchMsg,
    error_ack,
    parse,
)
from quiz.web.readiness import parse_info


def _ack_error(code: str, message: str) -> dict[str, Any]:
    return {"ok": False, "error": code, "message": message}


def _check(hub: Hub, extra: tuple[Any, ...], *roles: str) -> Conn | dict[str, Any]:
    """The sender, or the error ack: not connected, too fast, wrong role, malformed."""
    me = hub.conns.get(str(request.sid))  # type: ignore[attr-defined]
    if me is None:
        return _ack_error("not_connected", tr("Chưa kết nối"))
    if me.role != "mc" and not me.budget.take(time.monotonic()):
        hub.socketio.sleep(0)
        return _ack_error("rate_limited", tr("Gửi quá nhanh — hãy chờ giây lát rồi thử lại"))
    if me.role not in roles:
        return _ack_error("forbidden", tr("Màn hình này không được phép gửi lệnh đó"))
    if extra:
        return _ack_error("bad_request", tr(NOT_AN_OBJECT))
    return me


def device_info(hub: Hub, payload: Any, extra: tuple[Any, ...]) -> dict[str, Any]:
    me = _check(hub, extra, "team", "board", "waiting", "mc")
    if isinstance(me, dict):
        return me
    try:
        me.info = parse_info(payload, board=me.role == "board")
    except ProtocolError as exc:
        return error_ack(exc.code, exc.message)
    if me.role != "mc":
        hub.push_mc()
    return {"ok": True, "current": me.info.get("version") == hub.build}


def device(hub: Hub, payload: Any, extra: tuple[Any, ...]) -> dict[str, Any]:
    me = _check(hub, extra, "mc")
    if isinstance(me, dict):
        return me
    try:
        msg = parse(DeviceMsg, payload)
    except ProtocolError as exc:
        return error_ack(exc.code, exc.message)
    try:
        result = hub.devices.decide(msg.id, msg.approve)
    except DeviceError as exc:
        return _ack_error(exc.code, exc.message)
    return {"ok": True, "v": hub.service.state.seq, **result}


def practice(hub: Hub, payload: Any, extra: tuple[Any, ...]) -> dict[str, Any]:
    me = _check(hub, extra, "mc")
    if isinstance(me, dict):
        return me
    try:
        on = parse(SwitchMsg, payload).on
    except ProtocolError as exc:
        return error_ack(exc.code, exc.message)
    try:
        hub.practice.available()
        if on:
            with hub.service.lock:
                phase = str(hub.service.decided.phase)
            hub.practice.start(phase)
        else:
            hub.practice.stop()
    except PracticeError as exc:
        return _ack_error(exc.code, exc.message)
    hub.push()
    return {"ok": True}


def practice_answer(hub: Hub, payload: Any, extra: tuple[Any, ...]) -> dict[str, Any]:
    me = _check(hub, extra, "team")
    if isinstance(me, dict):
        return me
    assert me.team is not None
    try:
        value = hub.practice.answer(me.team, parse(PracticeAnswerMsg, payload).value)
    except ProtocolError as exc:
        return error_ack(exc.code, exc.message)
    except PracticeError as exc:
        return _ack_error(exc.code, exc.message)
    hub.push({me.team}, everyone=False)
    return {"ok": True, "received": True, "value": value}


EVENTS = ("device_info", "device", "practice", "practice_answer")  # sockets.QuizNamespace

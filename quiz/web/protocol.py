"""The wire contract in one place: event names and payload parsing.

Every inbound payload is checked here (shape, types, sizes) and turned into
an engine command, or a ProtocolError that becomes an error ack. Nothing here
decides contest rules. See docs/protocol.md.
"""

from __future__ import annotations

import json
import math
from typing import Any

from .. import commands as c

MAX_ID = 100
MAX_REASON = 500
MAX_VALUE_JSON = 2000
MAX_NONCE = 64


class ProtocolError(Exception):
    def __init__(self, message: str, code: str = "bad_request") -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _obj(payload: object, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(payload, dict):
        raise ProtocolError("Dữ liệu gửi lên phải là một đối tượng")
    unknown = set(payload) - allowed
    if unknown:
        names = ", ".join(sorted(str(k)[:30] for k in unknown))
        raise ProtocolError(f"Trường không hợp lệ: {names}")
    return payload


def _str(data: dict[str, Any], key: str, limit: int = MAX_ID, required: bool = True) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            raise ProtocolError(f"Thiếu trường '{key}'")
        return None
    if not isinstance(value, str) or len(value) > limit:
        raise ProtocolError(f"Trường '{key}' phải là chuỗi không quá {limit} ký tự")
    return value


def _num(data: dict[str, Any], key: str, required: bool = True) -> float | None:
    value = data.get(key)
    if value is None:
        if required:
            raise ProtocolError(f"Thiếu trường '{key}'")
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ProtocolError(f"Trường '{key}' phải là số")
    try:
        number = float(value)  # JSON allows integers no float can hold: refused too
    except OverflowError:
        number = math.inf
    if not math.isfinite(number):
        raise ProtocolError(f"Trường '{key}' phải là số")
    return number


def _bool(data: dict[str, Any], key: str, required: bool = True) -> bool | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, bool):
        raise ProtocolError(f"Trường '{key}' phải là true/false")
    return value


def _value(data: dict[str, Any], required: bool = True) -> Any:
    if "value" not in data or data["value"] is None:
        if required:
            raise ProtocolError("Thiếu đáp án")
        return None
    value = data["value"]
    try:
        size = len(json.dumps(value))
    except (TypeError, ValueError) as exc:
        raise ProtocolError("Đáp án không hợp lệ") from exc
    if size > MAX_VALUE_JSON:
        raise ProtocolError("Đáp án quá dài")
    return value


def press_ms(data: dict[str, Any]) -> float | None:
    """The tablet's press stamp (server ms), if it sent a sane one."""
    value = _num(data, "press", required=False)
    return None if value is None else value / 1000.0


def parse_sync(payload: object) -> float:
    data = _obj(payload, {"t"})
    value = _num(data, "t")
    assert value is not None
    return value


def parse_switch(payload: object) -> bool:
    """`{on: true|false}`: a board's sound state, or the MC's sound switch."""
    data = _obj(payload, {"on"})
    if not isinstance(data.get("on"), bool):
        raise ProtocolError("Cần {on: true|false}")
    return bool(data["on"])


def parse_answer(payload: object) -> dict[str, Any]:
    data = _obj(payload, {"question", "value", "press", "id"})
    return {
        "question": _str(data, "question"),
        "value": _value(data),
        "press": press_ms(data),
        "nonce": _str(data, "id", MAX_NONCE, required=False) or "",
    }


def parse_buzz(payload: object) -> dict[str, Any]:
    data = _obj(payload, {"question", "press", "id"})
    _str(data, "id", MAX_NONCE, required=False)
    return {"question": _str(data, "question"), "press": press_ms(data)}


def _reason(data: dict[str, Any], required: bool = True) -> str:
    return _str(data, "reason", MAX_REASON, required) or ""


VERDICTS = ("correct", "wrong", "timeout")

MC_COMMANDS = {
    "start_round": {"round"},
    "show": {"question"},
    "open": {"question"},
    "pause": {"question"},
    "resume": {"question"},
    "add_time": {"question", "seconds"},
    "close": {"question"},
    "reveal": {"question"},
    "judge": {"question", "team", "correct", "verdict"},
    "scoreboard": {"show"},
    "adjust": {"team", "delta", "reason"},
    "set_answer": {"question", "team", "reason", "value", "correct"},
    "void": {"question", "reason"},
    "undo": {"reason", "id", "question", "team"},
    "ceremony_next": {"step"},
    "summary": {"show"},
}


def parse_command(payload: object) -> c.Command:
    """An MC `command` message as an engine command."""
    if not isinstance(payload, dict):
        raise ProtocolError("Dữ liệu gửi lên phải là một đối tượng")
    name = payload.get("name")
    if not isinstance(name, str) or name not in MC_COMMANDS:
        raise ProtocolError("Lệnh không hợp lệ", "unknown_command")
    data = _obj(payload, MC_COMMANDS[name] | {"name"})

    def q() -> str:
        value = _str(data, "question")
        assert value is not None
        return value

    def team() -> str:
        value = _str(data, "team")
        assert value is not None
        return value

    if name == "start_round":
        return c.StartRound(round=_str(data, "round", required=False))
    if name == "show":
        return c.ShowQuestion(question=_str(data, "question", required=False))
    if name == "open":
        return c.OpenAnswers(question=q())
    if name == "pause":
        return c.PauseClock(question=q())
    if name == "resume":
        return c.ResumeClock(question=q())
    if name == "add_time":
        seconds = _num(data, "seconds")
        assert seconds is not None
        return c.AddTime(question=q(), seconds=seconds)
    if name == "close":
        return c.CloseEarly(question=q())
    if name == "reveal":
        return c.Reveal(question=q())
    if name == "judge":
        verdict = _str(data, "verdict", required=False)
        if verdict is not None and verdict not in VERDICTS:
            raise ProtocolError("Kết quả phải là correct, wrong hoặc timeout")
        correct = _bool(data, "correct", required=verdict is None)
        if verdict is None:
            verdict = "correct" if correct else "wrong"
        return c.Judge(question=q(), team=team(), correct=verdict == "correct", verdict=verdict)
    if name == "scoreboard":
        show = _bool(data, "show")
        assert show is not None
        return c.ShowScoreboard(show=show)
    if name == "adjust":
        delta = _num(data, "delta")
        assert delta is not None
        return c.AdjustScore(team=team(), delta=delta, reason=_reason(data))
    if name == "set_answer":
        return c.SetAnswer(
            question=q(),
            team=team(),
            reason=_reason(data),
            value=_value(data, required=False),
            correct=_bool(data, "correct", required=False),
        )
    if name == "void":
        return c.VoidQuestion(question=q(), reason=_reason(data))
    if name == "ceremony_next":
        step = _num(data, "step", required=False)
        if step is not None and (not step.is_integer() or step < 1):
            raise ProtocolError("Trường 'step' phải là số nguyên dương")
        return c.CeremonyNext(step=None if step is None else int(step))
    if name == "summary":
        show = _bool(data, "show", required=False)
        return c.ShowRoundSummary(show=True if show is None else show)
    undo_id = _num(data, "id", required=False)
    if undo_id is not None and (not undo_id.is_integer() or undo_id < 1):
        raise ProtocolError("Trường 'id' phải là số nguyên dương")
    return c.Undo(
        reason=_reason(data),
        id=None if undo_id is None else int(undo_id),
        question=_str(data, "question", required=False),
        team=_str(data, "team", required=False),
    )


def error_ack(code: str, message: str) -> dict[str, Any]:
    return {"ok": False, "error": code, "message": message}

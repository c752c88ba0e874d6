"""The judges' connections: who a judge is at connect, and the `score` message.

A judge joins with the join code printed for them (auth {role: "judge",
code}), throttled like a team's code; the judge is bound to the connection,
never taken from a payload. Nothing here decides contest rules.
"""

from __future__ import annotations

from typing import Any

from quiz.rules.text import tr
from quiz.web.hub import Conn, Hub
from quiz.web.protocol import ProtocolError, ScoreMsg, error_ack, parse


def identify_judge(hub: Hub, code: object, check: Any) -> Conn | None:
    """The judge's connection for `code`, or None when the code is wrong.
    `check(compare)` runs the comparison under the join-code throttle."""
    found: list[str] = []

    def compare() -> bool:
        judge = hub.access.judge_for(code)
        found.extend([judge] if judge else [])
        return judge is not None

    if not check(compare):
        return None
    return Conn("judge", judge=found[0])


def handle_score(hub: Hub, conn: Conn | None, payload: Any) -> dict[str, Any]:
    """A judge's score for the team called: the ack, or an error ack."""
    try:
        if conn is None:
            raise ProtocolError(tr("Chưa kết nối"), "not_connected")
        if conn.role != "judge" or conn.judge is None:
            raise ProtocolError(tr("Màn hình này không được phép gửi lệnh đó"), "forbidden")
        command = parse(ScoreMsg, payload).command(conn.judge)
    except ProtocolError as exc:
        return error_ack(exc.code, exc.message)
    outcome = hub.run(command)
    if outcome.error is not None:
        return error_ack(outcome.error.code, outcome.error.message)
    return {"ok": True, "v": hub.service.state.seq, "received": True, "score": _mine(hub, command)}


def _mine(hub: Hub, command: Any) -> float | None:
    """The judge's score now recorded for the turn (what the ack confirms)."""
    svc = hub.service
    with svc.lock:
        q = svc.state.questions.get(command.question)
        record = getattr(q.fmt, "scores", {}).get(command.judge) if q is not None else None
        return None if record is None else float(record.score)

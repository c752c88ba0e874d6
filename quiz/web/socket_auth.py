"""Who a Socket.IO connection is: its role and team (or player, judge), bound
at connect from the auth token (a team's or player's join code, a judge's
code, the MC's or the jury's session cookie or PIN) and never taken from a
payload. Wrong codes and PINs are throttled per address (throttle.py); a
refusal says why, in the contest's language (docs/protocol.md, "Connecting").
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import request
from socketio.exceptions import ConnectionRefusedError

from quiz.rules.text import tr
from quiz.web.hub import Conn, Hub
from quiz.web.judged_sockets import identify_judge
from quiz.web.throttle import Throttle

SESSION_COOKIE = "quiz_mc"
JURY_COOKIE = "quiz_jury"

log = logging.getLogger(__name__)


def refused(code: str, message: str) -> ConnectionRefusedError:
    """The client's connect_error gets `message` and `data: {code, message}`."""
    return ConnectionRefusedError(message, {"code": code, "message": message})


def client_address() -> str:
    return str(request.remote_addr or "?")


def wait_message(seconds: float) -> str:
    return tr(
        "Nhập sai quá nhiều lần — hãy chờ {seconds} giây rồi thử lại",
        seconds=max(1, round(seconds)),
    )


def throttled(hub: Hub, throttle: Throttle, address: str, check: Callable[[], bool]) -> bool:
    """Run `check` (a comparison with a secret) unless `address` must wait first.
    Raises the rate_limited refusal while it must wait."""
    wait = throttle.wait(address)
    if wait > 0:
        raise ConnectionRefusedError(
            wait_message(wait),
            {"code": "rate_limited", "message": wait_message(wait), "retry_after": round(wait, 1)},
        )
    if check():
        throttle.succeeded(address)
        return True
    throttle.failed(address)
    log.warning("wrong secret from %s", address)
    hub.push_mc()  # the MC console lists failed logins
    return False


def identify(
    hub: Hub, auth: Any, address: str, cookie: str | None, jury_cookie: str | None = None
) -> Conn:
    """The connection's identity, or a ConnectionRefusedError saying why not."""
    if not isinstance(auth, dict):
        auth = {"role": "board"}
    role = auth.get("role")
    if role == "board":
        return Conn("board")
    if role in ("team", "player"):
        return _by_code(hub, role, auth, address)
    if role == "judge":
        conn = identify_judge(
            hub, auth.get("code"), lambda check: throttled(hub, hub.code_throttle, address, check)
        )
        if conn is None:
            raise refused("bad_code", tr("Mã giám khảo không đúng"))
        return conn
    if role == "jury":
        return _jury(hub, auth, address, jury_cookie)
    if role == "mc":
        return _mc(hub, auth, address, cookie)
    raise refused("bad_auth", tr("Vai trò không hợp lệ"))


def _by_code(hub: Hub, role: str, auth: dict[str, Any], address: str) -> Conn:
    """A team's tablet, or a player's phone (Rung chuông vàng), by its join code."""
    found: list[str] = []

    def check_code() -> bool:
        code = auth.get("code")
        who = hub.access.team_for(code) if role == "team" else hub.access.player_for(code)
        found.extend([who] if who else [])
        return who is not None

    if not throttled(hub, hub.code_throttle, address, check_code):
        raise refused("bad_code", tr("Mã tham gia không đúng"))
    return Conn(role, found[0])


def _jury(hub: Hub, auth: dict[str, Any], address: str, cookie: str | None) -> Conn:
    if not hub.access.jury_pin:
        raise refused("no_jury", tr("Hội thi này không có Ban giám khảo trên hệ thống"))
    if "pin" not in auth:
        if hub.access.jury_session_ok(cookie):
            return Conn("jury")
        raise refused("login_required", tr("Hãy đăng nhập bằng mã PIN của Ban giám khảo"))
    # the MC's throttle: every wrong PIN, the MC's or the jury's, counts alike
    if not throttled(hub, hub.pin_throttle, address, lambda: hub.access.jury_pin_ok(auth["pin"])):
        raise refused("bad_pin", tr("Mã PIN không đúng"))
    return Conn("jury")


def _mc(hub: Hub, auth: dict[str, Any], address: str, cookie: str | None) -> Conn:
    if "pin" not in auth:
        # A browser: the session cookie of the login page (POST /mc).
        if hub.access.session_ok(cookie):
            return Conn("mc")
        raise refused("login_required", tr("Hãy đăng nhập bằng mã PIN"))
    if not throttled(hub, hub.pin_throttle, address, lambda: hub.access.pin_ok(auth["pin"])):
        raise refused("bad_pin", tr("Mã PIN không đúng"))
    return Conn("mc")

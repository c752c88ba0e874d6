"""Credentials under attack, against a real server on 127.0.0.1.

A device on the venue Wi-Fi guesses the MC's PIN (over raw Socket.IO
connects and over the login form) and team join codes; the throttle must
answer only a few of its tries while the tablets already in play keep fast
acks. The MC logs in once and gets a cookie; the PIN never travels in a URL.
Loops are bounded in count and time; the figures are printed (pytest -s).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import websocket
from clients import Screen, Tablet
from conftest import MINI_CONTEST, LiveServer, start_server

from quiz.web.throttle import Throttle

TRIES = 1000
ATTACK_SECONDS = 12.0  # the tries are spread over at least this long
MAX_ANSWERED = 30  # the issue: fewer than 30 answered a minute
TABLET_P99_MS = 100.0


class RawGuesser:
    """Socket.IO namespace connects with a chosen auth, over raw websockets, as
    a script would send them: another try on the same connection while the
    server keeps it open, a new connection when it has closed it."""

    def __init__(self, url: str) -> None:
        self.ws_url = url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
        self.ws: websocket.WebSocket | None = None
        self.connections = 0
        self.reused = 0  # tries checked on a connection that had refused one already
        self._answers_here = 0

    def _open(self) -> websocket.WebSocket:
        ws = websocket.create_connection(self.ws_url, timeout=5)
        opening = ws.recv()
        assert str(opening).startswith("0"), opening
        self.connections += 1
        self._answers_here = 0
        return ws

    def _reply(self, ws: websocket.WebSocket) -> dict[str, Any]:
        while True:
            frame = str(ws.recv())
            if frame == "2":  # Engine.IO ping
                ws.send("3")
                continue
            if frame.startswith("44"):
                data = json.loads(frame[2:])
                return dict(data.get("data") or {"code": "refused", "message": data.get("message")})
            if frame.startswith("40"):
                return {"code": "connected"}
            if frame.startswith("1") or frame == "":
                raise ConnectionError("closed by the server")

    def attempt(self, auth: dict[str, Any]) -> dict[str, Any]:
        """One try; reconnects (at most twice) when the server closed the connection."""
        for _ in range(3):
            if self.ws is None:
                self.ws = self._open()
            try:
                self.ws.send("40" + json.dumps(auth))
                reply = self._reply(self.ws)
            except (ConnectionError, OSError, websocket.WebSocketException):
                self.close()
                continue
            if self._answers_here and reply.get("code") != "closed":
                self.reused += 1
            self._answers_here += 1
            return reply
        return {"code": "no_answer"}

    def close(self) -> None:
        if self.ws is not None:
            try:
                self.ws.close(timeout=0.2)
            except Exception:
                pass
        self.ws = None


def _sync_acks(tablets: list[Tablet], stop: threading.Event, out: list[float]) -> None:
    """Each tablet sends `sync` every 150 ms (within its budget); ack times in ms."""
    while not stop.is_set():
        for t in tablets:
            started = time.perf_counter()
            ack = t.request("sync", {"t": int(time.time() * 1000)}, timeout=5)
            elapsed = (time.perf_counter() - started) * 1000
            assert ack and ack.get("ok"), ack
            out.append(elapsed)
        stop.wait(0.15)


def _p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def test_pin_guessing_is_throttled_while_tablets_stay_fast(live_server: LiveServer) -> None:
    url = live_server.url
    codes = live_server.codes
    mc = Screen(url, {"role": "mc", "pin": live_server.pin}, "mc")
    tablets = [Tablet(url, {"role": "team", "code": codes[t]}, t) for t in list(codes)[:3]]
    acks: list[float] = []
    stop = threading.Event()
    pinger = threading.Thread(target=_sync_acks, args=(tablets, stop, acks), daemon=True)
    guesser = RawGuesser(url)
    replies: dict[str, int] = {}
    try:
        pinger.start()
        time.sleep(1.0)
        baseline = len(acks)
        started = time.monotonic()
        for i in range(TRIES):
            reply = guesser.attempt({"role": "mc", "pin": f"{i:06d}x"})
            replies[reply["code"]] = replies.get(reply["code"], 0) + 1
            pause = started + ATTACK_SECONDS * (i + 1) / TRIES - time.monotonic()
            if pause > 0:
                time.sleep(pause)
        elapsed = time.monotonic() - started
        # The right PIN, now, from the same address: no verdict either.
        fresh = RawGuesser(url)
        right = fresh.attempt({"role": "mc", "pin": live_server.pin})
        fresh.close()
        stop.set()
        pinger.join(10)
        during = acks[baseline:]
        answered = replies.get("bad_pin", 0)
        print(
            f"\n{live_server.async_mode}: {TRIES} wrong PINs in {elapsed:.1f} s: {replies}; "
            f"{guesser.connections} connections, {guesser.reused} answered on a refused "
            f"connection; tablets' sync acks during the attack: {len(during)}, "
            f"p99 {_p99(during):.1f} ms, max {max(during):.1f} ms"
        )
        assert answered <= 12, replies  # 5 free, then 1 s, 2 s, 4 s, 8 s apart
        # The rest got no verdict: refused unread, or (in the instant before the
        # server closes a refused connection) refused as a closed connection.
        unread = replies.get("rate_limited", 0) + replies.get("closed", 0)
        assert unread == TRIES - answered, replies
        assert guesser.reused == 0, "a refused connect must close its connection"
        assert right["code"] == "rate_limited", right
        assert right.get("retry_after", 0) > 0
        assert _p99(during) < TABLET_P99_MS
        # The MC console names the address and the count.
        view = mc.wait(lambda v: any(f["kind"] == "pin" for f in v.get("failed_logins", [])))
        failures = [f for f in view["failed_logins"] if f["kind"] == "pin"]
        assert failures == [{"kind": "pin", "address": "127.0.0.1", "count": answered}]
    finally:
        stop.set()
        guesser.close()
        for t in tablets:
            t.close()
        mc.close()


def test_the_login_form_obeys_the_same_limit(live_server: LiveServer) -> None:
    url = live_server.url
    statuses: dict[int, int] = {}
    with requests.Session() as http:
        for i in range(60):
            response = http.post(f"{url}/mc", data={"pin": f"{i:06d}x"}, timeout=5)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            if response.status_code == 429:
                assert int(response.headers["Retry-After"]) >= 1
                assert "hãy chờ" in response.text
            assert "quiz_mc" not in http.cookies
        right = http.post(f"{url}/mc", data={"pin": live_server.pin}, timeout=5)
        print(f"\n{live_server.async_mode}: 60 wrong PINs over the form: {statuses}")
        assert statuses.get(403, 0) <= 6, statuses
        assert statuses.get(429, 0) >= 54, statuses
        assert right.status_code == 429 and "quiz_mc" not in http.cookies
        # The socket's PIN check shares the count: this address waits there too.
        guesser = RawGuesser(url)
        reply = guesser.attempt({"role": "mc", "pin": live_server.pin})
        guesser.close()
        assert reply["code"] == "rate_limited", reply


def test_team_code_guessing_is_throttled(live_server: LiveServer) -> None:
    url = live_server.url
    guesser = RawGuesser(url)
    replies: dict[str, int] = {}
    try:
        for i in range(200):
            reply = guesser.attempt({"role": "team", "code": f"ZZ{i:04d}"})
            replies[reply["code"]] = replies.get(reply["code"], 0) + 1
    finally:
        guesser.close()
    print(f"\n{live_server.async_mode}: 200 wrong join codes: {replies}")
    assert replies.get("bad_code", 0) <= 6, replies
    assert guesser.reused == 0


def test_mc_logs_in_once_and_its_socket_uses_the_cookie(live_server: LiveServer) -> None:
    url = live_server.url
    # Without the cookie (and without a PIN) the console's socket is refused.
    anonymous = RawGuesser(url)
    assert anonymous.attempt({"role": "mc"})["code"] == "login_required"
    anonymous.close()
    with requests.Session() as http:
        page = http.get(f"{url}/mc", timeout=5).text
        assert 'data-login="no"' in page and 'method="post"' in page
        response = http.post(f"{url}/mc", data={"pin": live_server.pin}, allow_redirects=False)
        assert response.status_code == 303
        raw = response.headers["Set-Cookie"]
        assert "HttpOnly" in raw and "SameSite=Strict" in raw
        assert live_server.pin not in raw
        token = http.cookies["quiz_mc"]
        assert 'data-login="yes"' in http.get(f"{url}/mc", timeout=5).text
        sheet = http.get(f"{url}/join-sheet", timeout=5)
        assert sheet.status_code == 200 and live_server.pin not in sheet.text
        assert http.get(f"{url}/results.csv", timeout=5).status_code == 200
    assert requests.get(f"{url}/join-sheet?pin={live_server.pin}", timeout=5).status_code == 403
    ws = websocket.create_connection(
        url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket",
        timeout=5,
        cookie=f"quiz_mc={token}",
    )
    try:
        ws.recv()
        ws.send('40{"role": "mc"}')
        frames = [str(ws.recv()) for _ in range(2)]  # the view, and the connect's ack
        assert any(f.startswith("40") for f in frames), frames
        view = json.loads(next(f for f in frames if f.startswith("42"))[2:])
        assert view[0] == "state" and "failed_logins" in view[1]
    finally:
        ws.close()


def test_serve_prints_the_pin_apart_and_keeps_access_private(live_server: LiveServer) -> None:
    log = live_server.log.read_text(encoding="utf-8", errors="replace")
    assert "pin=" not in log
    assert re.search(rf"MC console:\s+{re.escape(live_server.url)}/mc\s", log), log
    assert re.search(rf"MC PIN:\s+{live_server.pin}\b", log), log
    access = next(live_server.data.rglob("access.json"))
    assert stat.S_IMODE(os.stat(access).st_mode) == 0o600
    assert "secret" in json.loads(access.read_text())


def test_a_readable_access_file_is_made_private(tmp_path: Path) -> None:
    from quiz.files.bank import load_contest
    from quiz.live.access import load_access

    contest = load_contest(str(MINI_CONTEST))
    path = tmp_path / "access.json"
    load_access(path, contest)
    os.chmod(path, 0o644)
    again = load_access(path, contest)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert again.mc_token == load_access(path, contest).mc_token
    assert load_access(path, contest, pin="135790").mc_token != again.mc_token


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize("rate", [5.0, 50.0])
def test_no_minute_answers_30_tries_from_one_address(rate: float) -> None:
    """A whole contest day (12 h) of tries from one address, as fast as `rate` a
    second: the tries that got a verdict, in any minute, stay few."""
    clock = FakeClock()
    throttle = Throttle(overall=10, clock=clock)
    verdicts: list[float] = []
    for _ in range(int(12 * 3600 * rate)):
        clock.now += 1 / rate
        if throttle.wait("10.0.0.9") == 0:
            throttle.failed("10.0.0.9")
            verdicts.append(clock.now)
    worst = max(
        sum(1 for t in verdicts if start <= t < start + 60)
        for start in verdicts  # a window starting at each verdict
    )
    print(f"\n{rate}/s for 12 h: {len(verdicts)} verdicts, at most {worst} in a minute")
    assert worst < 30
    assert len(verdicts) < 12 * 60 + 20  # one a minute once the back-off is at its cap


def test_many_addresses_together_are_held_by_the_overall_limit() -> None:
    clock = FakeClock()
    throttle = Throttle(overall=30, clock=clock)
    verdicts = 0
    for _ in range(3600):
        clock.now += 1
        for a in range(50):  # fifty addresses guessing every second
            address = f"10.0.{a}.1"
            if throttle.wait(address) == 0:
                throttle.failed(address)
                verdicts += 1
    print(f"\n50 addresses for an hour: {verdicts} verdicts")
    assert verdicts <= 60 * 30 + 50 * 5  # the overall rate, plus each address's first tries
    # A tablet that never failed is still checked at once.
    assert throttle.wait("10.0.99.1") == 0


# The jury's PIN and console (contest-format.md "Jury") ----------------------------------


@pytest.fixture
def jury_server(tmp_path: Path, async_mode: str) -> Iterator[LiveServer]:
    """The mini contest with a jury, served."""
    folder = tmp_path / "contest"
    folder.mkdir()
    for name in ("mini-contest.yaml", "mini-bank.yaml"):
        shutil.copy(MINI_CONTEST.parent / name, folder / name)
    path = folder / "mini-contest.yaml"
    path.write_text(
        path.read_text(encoding="utf-8") + "jury: {approve_corrections: true}\n", encoding="utf-8"
    )
    server = start_server(path, tmp_path / "data", async_mode)
    try:
        yield server
    finally:
        server.stop()


def test_jury_pin_guessing_is_throttled_and_counts_with_the_mcs(jury_server: LiveServer) -> None:
    url = jury_server.url
    jury_pin = str(jury_server.info["jury_pin"])
    assert len(jury_pin) == 6 and jury_pin.isdigit() and jury_pin != jury_server.pin
    guesser = RawGuesser(url)
    replies: dict[str, int] = {}
    try:
        for i in range(200):
            # alternating the MC's and the jury's PIN gains nothing: one count
            role = "jury" if i % 2 else "mc"
            reply = guesser.attempt({"role": role, "pin": f"{i:06d}x"})
            replies[reply["code"]] = replies.get(reply["code"], 0) + 1
        right = RawGuesser(url)
        answer = right.attempt({"role": "jury", "pin": jury_pin})
        right.close()
    finally:
        guesser.close()
    print(f"\n{jury_server.async_mode}: 200 wrong MC and jury PINs: {replies}")
    assert replies.get("bad_pin", 0) <= 6, replies
    assert guesser.reused == 0
    assert answer["code"] == "rate_limited", answer


def test_the_jury_logs_in_with_its_own_cookie_and_room(jury_server: LiveServer) -> None:
    url = jury_server.url
    jury_pin = str(jury_server.info["jury_pin"])
    anonymous = RawGuesser(url)
    assert anonymous.attempt({"role": "jury"})["code"] == "login_required"
    anonymous.close()
    with requests.Session() as http:
        assert 'data-login="no"' in http.get(f"{url}/jury", timeout=5).text
        # the MC's PIN is not the jury's
        assert http.post(f"{url}/jury", data={"pin": jury_server.pin}, timeout=5).status_code == 403
        response = http.post(f"{url}/jury", data={"pin": jury_pin}, allow_redirects=False)
        assert response.status_code == 303
        raw = response.headers["Set-Cookie"]
        assert "quiz_jury=" in raw and "HttpOnly" in raw and "SameSite=Strict" in raw
        assert jury_pin not in raw
        token = http.cookies["quiz_jury"]
        assert 'data-login="yes"' in http.get(f"{url}/jury", timeout=5).text
        assert 'data-login="no"' in http.get(f"{url}/mc", timeout=5).text  # not the MC's
        assert http.get(f"{url}/minutes", timeout=10).status_code == 200  # the jury signs it
    assert requests.get(f"{url}/minutes", timeout=5).status_code == 403

    def connect(cookie: str, role: str) -> list[str]:
        ws = websocket.create_connection(
            url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket",
            timeout=5,
            cookie=cookie,
        )
        try:
            ws.recv()
            ws.send("40" + json.dumps({"role": role}))
            return [str(ws.recv()) for _ in range(2 if role == "jury" else 1)]
        finally:
            ws.close()

    frames = connect(f"quiz_jury={token}", "jury")
    view = json.loads(next(f for f in frames if f.startswith("42"))[2:])
    assert view[0] == "state" and view[1]["role"] == "jury" and "devices" in view[1]
    assert connect(f"quiz_jury={token}", "mc")[0].startswith("44")  # not the MC's cookie
    mc_cookie = requests.post(f"{url}/mc", data={"pin": jury_server.pin}, allow_redirects=False)
    assert connect(f"quiz_mc={mc_cookie.cookies['quiz_mc']}", "jury")[0].startswith("44")


def test_the_jury_room_never_reaches_another_role(jury_server: LiveServer) -> None:
    url = jury_server.url
    code = next(iter(jury_server.codes.values()))
    jury = Screen(url, {"role": "jury", "pin": jury_server.info["jury_pin"]}, "jury")
    mc = Screen(url, {"role": "mc", "pin": jury_server.pin}, "mc")
    board = Screen(url, {"role": "board"}, "board")
    team = Screen(url, {"role": "team", "code": code}, "team")
    try:
        # a tablet's code with the jury's role, or the jury's PIN as a team's code: refused
        guesser = RawGuesser(url)
        assert guesser.attempt({"role": "jury", "code": code})["code"] == "login_required"
        guesser.close()
        guesser = RawGuesser(url)
        forged = guesser.attempt({"role": "team", "code": jury_server.info["jury_pin"]})
        guesser.close()
        assert forged["code"] == "bad_code"
        ack = mc.call("command", {"name": "start_round"})
        assert ack["ok"], ack
        mc.call("command", {"name": "adjust", "team": "bo", "delta": 1, "reason": "Thử"})
        jury.wait(lambda v: len(v["proposals"]) == 1)
        for screen in (mc, board, team):
            screen.wait(lambda v: v["phase"] == "intro")
            for event, frame in screen.frames:
                if event == "state":
                    assert frame["role"] != "jury"
                    assert "devices" not in frame and "timings" not in frame
        for screen, event in ((team, "jury"), (board, "jury"), (mc, "jury"), (team, "timeline")):
            ack = screen.call(event, {"name": "sign_off"} if event == "jury" else {})
            assert ack["error"] == "forbidden", (screen.name, event, ack)
    finally:
        for s in (jury, mc, board, team):
            s.close()


def test_serve_prints_the_jury_pin_and_keeps_it_private(jury_server: LiveServer) -> None:
    log = jury_server.log.read_text(encoding="utf-8", errors="replace")
    jury_pin = str(jury_server.info["jury_pin"])
    assert re.search(rf"Jury console:\s+{re.escape(jury_server.url)}/jury\s", log), log
    assert re.search(rf"Jury PIN:\s+{jury_pin}\b", log), log
    access = next(jury_server.data.rglob("access.json"))
    assert stat.S_IMODE(os.stat(access).st_mode) == 0o600
    assert json.loads(access.read_text())["jury_pin"] == jury_pin


def test_without_a_jury_there_is_no_jury_console(live_server: LiveServer) -> None:
    assert requests.get(f"{live_server.url}/jury", timeout=5).status_code == 404
    guesser = RawGuesser(live_server.url)
    reply = guesser.attempt({"role": "jury", "pin": "000000"})
    guesser.close()
    assert reply["code"] == "no_jury"

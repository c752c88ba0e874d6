"""Hostile input against a live server: property-based (Hypothesis), on every event.

One server for the module; a hostile tablet (team t1, reconnected every few
dozen messages so that its rate budget, hub.Budget, does not hide the parser
behind `rate_limited`), the board, and the MC as the referee. Each example
sends one message on `answer`, `buzz`, `command`, `sync` or an unknown event:
junk of every JSON type, binary, several arguments, strings up to ~1 MB (the
server accepts frames up to 64 KiB and drops a connection that sends a larger
one), other teams' ids, MC commands from a team and from the board, answers to
closed and future questions, buzzes in the wrong round, replays of old
messages. After each one:

- the server still answers (a `sync` and a no-op command from the MC);
- the state did not change (the MC's `v`), unless the message was valid, as
  an oracle written from docs/protocol.md decides (then the change is checked);
- the message got an error ack (`ok: false`, `error`, `message`) unless valid;
  only a frame over the server's 64 KiB limit may get none (its connection is
  closed instead).

Raw Engine.IO/Socket.IO packets that python-socketio would never send are also
thrown at the server from a bare WebSocket. Finally a tablet floods 2,000
answers, then 2,000 buzzes, as fast as it can, from a separate process, while
six other tablets answer every 150 ms: their ack latency during the flood must
stay under FLOOD_P99_MS.

QUIZ_HOSTILE_EXAMPLES sets the examples per property (default 200).
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import websocket
from clients import Screen, Tablet, mc_do, stop_stray_reconnects, write_generated_contest
from conftest import ROOT, LiveServer, async_modes, start_server
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quiz.files.bank import load_contest
from quiz.rules.answers import BadAnswer, display, parse
from quiz.rules.model import Contest

pytestmark = pytest.mark.live

EXAMPLES = int(os.environ.get("QUIZ_HOSTILE_EXAMPLES", "200"))
PER_CONNECTION = 30  # hostile messages per connection (the budget allows 40 at once)
WIRE_LIMIT = 64 * 1024  # the server's max_http_buffer_size
FLOOD = 2000
FLOODS = 2  # floods of each kind (answers, buzzes): more victim samples
# Other tablets' answer acks while one tablet floods: 95 in 100 within 250 ms,
# 99 in 100 within 1 s (see the test's docstring).
FLOOD_P95_MS = 250.0
FLOOD_P99_MS = 1000.0
KNOWN_EVENTS = {"answer", "buzz", "command", "sync"}
RESERVED = {"connect", "disconnect", "connect_error", "message"}  # not sendable as events
TEAMS = [f"t{i}" for i in range(1, 18)]  # a hall of 17
ATTACKER = "t1"
ATTACKER_DEVICE = "hostile-attacker-tablet"  # docs/protocol.md auth.device
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("QUIZ_HOSTILE_RANDOM") is None,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
TALLY: dict[str, int] = {}  # what the module sent, for the report


def count(what: str, n: int = 1) -> None:
    TALLY[what] = TALLY.get(what, 0) + n


# --- the arena -----------------------------------------------------------------------------


def hostile_contest(folder: Path) -> Path:
    questions = [
        {"id": "a-warm", "type": "single", "text": "Khởi động?", "choices": {"A": "1", "B": "2"}},
        {"id": "a-single", "type": "single", "text": "Chọn?", "choices": {"A": "x", "B": "y"}},
        {"id": "a-text", "type": "text", "text": "Gõ?"},
        {"id": "a-later", "type": "number", "text": "Sau?"},
        {"id": "b-1", "type": "true_false", "text": "Chuông 1?"},
        {"id": "b-2", "type": "number", "text": "Chuông 2?"},
    ]
    answers = {"a-warm": "A", "a-single": "B", "a-text": "một cửa", "a-later": 7, "b-1": True}
    for q in questions:
        q["answer"] = answers.get(q["id"], 41)
    rounds = [
        {
            "id": "chung",
            "title": "Chung",
            "format": "all",
            "allow_change": True,
            "questions": ["a-warm", "a-single", "a-text", "a-later"],
        },
        {
            "id": "chuong",
            "title": "Chuông",
            "format": "buzzer",
            "buzz_window": 600,
            "answer_time": 600,
            "answer_on": "tablet",
            "questions": ["b-1", "b-2"],
        },
    ]
    return write_generated_contest(
        folder,
        "hostile",
        [(t, f"Đội {t}") for t in TEAMS],
        rounds,
        questions,
        {"time_limit": 600, "points": 10},
    )


@dataclass
class Arena:
    server: LiveServer
    contest: Contest
    mc: Tablet
    board: Tablet
    attacker: Tablet | None = None
    sent_on_attacker: int = 0
    # The server cut the attacker's connection (an oversize message): the client
    # may not have noticed yet (the threading server closes slowly), so the next
    # message must not be sent into the dying connection.
    attacker_cut: bool = False
    old: list[tuple[str, Any]] = field(default_factory=list)  # accepted messages, to replay
    lock: threading.Lock = field(default_factory=threading.Lock)

    def hostile(self) -> Tablet:
        """The attacker's tablet; a fresh connection every PER_CONNECTION messages
        (or after the server cut the last one)."""
        if (
            self.attacker is None
            or not self.attacker.connected
            or self.attacker_cut
            or self.sent_on_attacker >= PER_CONNECTION
        ):
            if self.attacker is not None:
                self.attacker.close()
            self.attacker = Tablet(
                self.server.url,
                # One hostile tablet (one device id), however often it reconnects.
                {"role": "team", "code": self.server.codes[ATTACKER], "device": ATTACKER_DEVICE},
                ATTACKER,
                reconnection=False,
            )
            self.sent_on_attacker = 0
            self.attacker_cut = False
        self.sent_on_attacker += 1
        return self.attacker

    def probe(self) -> int:
        """The server answers a sync, and a no-op command tells the state's version."""
        ack = self.mc.request("sync", {"t": time.time() * 1000}, timeout=10)
        assert ack and ack["ok"], f"the server no longer answers: {ack}"
        ack = self.mc.request("command", {"name": "scoreboard", "show": False}, timeout=10)
        assert ack and ack["ok"], ack
        return int(ack["v"])

    def current(self) -> tuple[str | None, str]:
        view = self.mc.view
        q = view.get("question") or {}
        return q.get("id"), view["phase"]


@pytest.fixture(scope="module", params=async_modes())
def arena(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Arena]:
    stop_stray_reconnects()  # no client of an earlier test may touch `random` meanwhile
    folder = tmp_path_factory.mktemp(f"hostile-{request.param}")
    path = hostile_contest(folder / "contest")
    server = start_server(path, folder / "data", str(request.param))
    try:
        mc = Tablet(server.url, {"role": "mc", "pin": server.pin}, "mc")
        board = Tablet(server.url, {"role": "board"}, "board")
        arena = Arena(server, load_contest(path), mc, board)
        # The warm-up question is asked and revealed (a closed question to aim at).
        mc_do(mc, "start_round")
        mc_do(mc, "show", question="a-warm")
        mc_do(mc, "open", question="a-warm")
        mc_do(mc, "close", question="a-warm")
        mc_do(mc, "reveal", question="a-warm")
        yield arena
        if arena.attacker is not None:
            arena.attacker.close()
        mc.close()
        board.close()
        log = server.log.read_text(encoding="utf-8", errors="replace")
        assert "handler failed" not in log, log[-3000:]  # no handler raised
    finally:
        server.stop()
        print(f"\nhostile ({request.param}): {sum(TALLY.values())} messages: {TALLY}")


# --- the oracle (docs/protocol.md) ------------------------------------------------------------


def finite_number(x: Any) -> bool:
    if not isinstance(x, int | float) or isinstance(x, bool):
        return False
    try:
        return math.isfinite(x)
    except OverflowError:  # an integer too large for a float
        return False


def valid_answer(arena: Arena, payload: Any) -> bool:
    """Would a correct server accept this `answer` from the attacker now? (Only in
    the `all` round, while answering is open: a buzzer answer needs the turn.)"""
    qid, phase = arena.current()
    if not isinstance(payload, dict) or set(payload) - {"question", "value", "press", "id"}:
        return False
    if payload.get("question") != qid or phase != "open" or not str(qid).startswith("a-"):
        return False
    press, nonce, value = payload.get("press"), payload.get("id"), payload.get("value")
    if press is not None and not finite_number(press):
        return False
    if nonce is not None and not (isinstance(nonce, str) and len(nonce) <= 64):
        return False
    if value is None or len(json.dumps(value)) > 2000:
        return False
    try:
        parse(arena.contest.questions[str(qid)], value)
    except BadAnswer:
        return False
    return True


def valid_buzz(arena: Arena, payload: Any) -> bool:
    """Would a correct server accept this `buzz` now? (Buzzers open, or another
    team answering: the press is kept as a late one; the attacker has not yet
    buzzed or answered: the tests never let it.)"""
    qid, phase = arena.current()
    if not isinstance(payload, dict) or set(payload) - {"question", "press", "id"}:
        return False
    if payload.get("question") != qid or not str(qid).startswith("b-"):
        return False
    if phase not in ("open", "answering"):
        return False
    press, nonce = payload.get("press"), payload.get("id")
    if press is not None and not finite_number(press):
        return False
    return nonce is None or (isinstance(nonce, str) and len(nonce) <= 64)


def valid_sync(payload: Any) -> bool:
    return isinstance(payload, dict) and set(payload) == {"t"} and finite_number(payload["t"])


def is_error_ack(ack: Any) -> bool:
    return (
        isinstance(ack, dict)
        and ack.get("ok") is False
        and isinstance(ack.get("error"), str)
        and isinstance(ack.get("message"), str)
        and bool(ack["message"])
    )


def wire_size(payload: Any) -> int:
    try:
        return len(json.dumps(payload, default=lambda b: "x" * (2 * len(b))))
    except (TypeError, ValueError):
        return 0


def send_hostile(arena: Arena, event: str, payload: Any, from_board: bool = False) -> Any:
    """Send one hostile message and check everything the module docstring says."""
    count(event if event in KNOWN_EVENTS else "unknown event")
    before = arena.probe()
    valid = False
    if not from_board:
        if event == "answer":
            valid = valid_answer(arena, payload)
        elif event == "buzz":
            valid = valid_buzz(arena, payload)
        elif event == "sync":
            valid = valid_sync(payload)
    screen = arena.board if from_board else arena.hostile()
    ack = screen.request(event, payload, timeout=15)
    oversize = wire_size(payload) > WIRE_LIMIT - 200
    after = arena.probe()
    if ack is None:
        assert oversize, (event, str(payload)[:300], "no ack")
        if not from_board:
            arena.attacker_cut = True
        count("oversize (connection closed)")
        assert after == before
        return ack
    if valid and ack.get("ok"):
        count("valid, accepted")
        if event == "answer" and after != before:
            qid = str(payload["question"])
            view = arena.mc.wait(lambda v: v["v"] >= after)
            row = next(a for a in view["answers"] if a["team"] == ATTACKER)
            assert row["answer"] == display(
                arena.contest.questions[qid], parse(arena.contest.questions[qid], payload["value"])
            )
            with arena.lock:
                arena.old.append((event, payload))
        return ack
    if valid:
        count("valid, refused")
        assert is_error_ack(ack), ack
        assert ack["error"] in ("superseded", "rate_limited"), ack
    else:
        assert is_error_ack(ack), (event, str(payload)[:300], ack)
    # Hostile input is refused on purpose, never by a handler failing.
    assert ack["error"] != "server_error", (event, str(payload)[:300], ack)
    assert after == before, (event, str(payload)[:300], ack)
    return ack


# --- strategies -------------------------------------------------------------------------------

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=60)
)
junk = st.recursive(
    scalars | st.binary(max_size=200),
    lambda inner: (
        st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=12), inner, max_size=6)
    ),
    max_leaves=30,
)
huge = st.builds(
    lambda n, c: c * n,
    st.sampled_from([1_000, 30_000, 64_000, 70_000, 200_000, 1_000_000]),
    st.sampled_from(["x", "ầ", "🎉", "\x00", "\\", '"']),
)
nested = st.integers(1, 400).map(lambda depth: json.loads("[" * depth + "]" * depth))
questions_ids = st.sampled_from(["a-warm", "a-single", "a-text", "a-later", "b-1", "b-2", "", "x"])
values = (
    st.sampled_from(["A", "B", "Z", "", " ", "một cửa", "41", "4,5", "1e999", "NaN"])
    | st.lists(st.sampled_from(["A", "B", "C"]), max_size=4)
    | scalars
    | huge
    | nested
)
other_teams = st.sampled_from([t for t in TEAMS if t != ATTACKER] + ["mc", "board", ""])


presses = (
    st.floats(allow_nan=True, allow_infinity=True)
    | st.integers()  # unbounded: some no float can hold
    | st.booleans()
    | st.text(max_size=10)
    | st.just(None)
)


@st.composite
def answer_payloads(draw: st.DrawFn, question: str = "a-single") -> Any:
    """A valid answer to the open question, then 0 to 3 mutations of it: a field
    dropped, another question (closed, future, unknown, junk), a wrong value
    (junk, huge, nested), another team's id or an unknown field, a bad press or
    id. The oracle decides which are still valid."""
    payload: dict[str, Any] = {"question": question, "value": draw(st.sampled_from(["A", "B"]))}
    if draw(st.booleans()):
        payload["id"] = draw(st.text(max_size=70))  # over 64 characters is malformed
    if draw(st.booleans()):
        payload["press"] = draw(presses)
    for _ in range(draw(st.integers(0, 3))):
        mutation = draw(st.sampled_from(["drop", "question", "value", "field", "press", "id"]))
        if mutation == "drop" and payload:
            payload.pop(draw(st.sampled_from(sorted(payload))))
        elif mutation == "question":
            payload["question"] = draw(questions_ids | junk)
        elif mutation == "value":
            payload["value"] = draw(values)
        elif mutation == "field":
            field_name = draw(st.sampled_from(["team", "team_id", "role", "code", "time", "x"]))
            payload[field_name] = draw(other_teams | junk)
        elif mutation == "press":
            payload["press"] = draw(presses | junk)
        else:
            payload["id"] = draw(st.text(min_size=60, max_size=100) | junk)
    return payload


@st.composite
def buzz_payloads(draw: st.DrawFn, question: str = "a-single") -> Any:
    payload: dict[str, Any] = {"question": question}
    if draw(st.booleans()):
        payload["press"] = draw(presses)
    for _ in range(draw(st.integers(0, 2))):
        mutation = draw(st.sampled_from(["drop", "question", "field", "press"]))
        if mutation == "drop" and payload:
            payload.pop(draw(st.sampled_from(sorted(payload))))
        elif mutation == "question":
            payload["question"] = draw(questions_ids | junk)
        elif mutation == "field":
            payload[draw(st.sampled_from(["team", "id", "x"]))] = draw(other_teams | junk)
        else:
            payload["press"] = draw(presses | junk)
    return payload


commands = st.fixed_dictionaries(
    {"name": st.sampled_from(["show", "open", "close", "reveal", "judge", "adjust", "undo", "x"])},
    optional={
        "question": questions_ids,
        "team": other_teams,
        "delta": st.integers(-100, 100),
        "reason": st.text(max_size=10),
        "correct": st.booleans(),
    },
)
payloads_any = junk | huge | nested | st.tuples(junk, junk)
events = st.sampled_from(["answer", "buzz", "command", "sync"]) | st.text(max_size=30).filter(
    lambda e: e not in KNOWN_EVENTS | RESERVED
)


# --- the properties ---------------------------------------------------------------------------


def open_question(arena: Arena, qid: str) -> None:
    q, phase = arena.current()
    if q == qid and phase == "open":
        return
    mc_do(arena.mc, "show", question=qid)
    mc_do(arena.mc, "open", question=qid)


def test_answers_junk_and_near_misses(arena: Arena) -> None:
    open_question(arena, "a-single")

    @SETTINGS
    @given(payload=answer_payloads())
    def prop(payload: Any) -> None:
        send_hostile(arena, "answer", payload)

    prop()


def test_any_junk_on_any_event(arena: Arena) -> None:
    open_question(arena, "a-single")

    @SETTINGS
    @given(event=events, payload=payloads_any)
    def prop(event: str, payload: Any) -> None:
        ack = send_hostile(arena, event, payload)
        if ack is not None and event not in KNOWN_EVENTS:
            assert ack["error"] in ("unknown_event", "rate_limited"), ack

    prop()


def test_commands_from_a_team_or_the_board_are_forbidden(arena: Arena) -> None:
    open_question(arena, "a-single")

    @SETTINGS
    @given(payload=commands | junk, from_board=st.booleans())
    def prop(payload: Any, from_board: bool) -> None:
        ack = send_hostile(arena, "command", payload, from_board=from_board)
        assert ack is not None and ack["error"] in ("forbidden", "rate_limited"), ack

    prop()


def test_buzzes_in_the_wrong_round_and_junk_buzzes(arena: Arena) -> None:
    open_question(arena, "a-single")

    @SETTINGS
    @given(payload=buzz_payloads())
    def prop(payload: Any) -> None:
        send_hostile(arena, "buzz", payload)

    prop()


def test_replays_of_old_messages_change_nothing(arena: Arena) -> None:
    """The attacker's own accepted answers, replayed verbatim after it changed its
    answer, and answers for closed or future questions: acked, nothing changes."""
    open_question(arena, "a-single")
    tablet = arena.hostile()
    sent = []
    for i, value in enumerate(["A", "B", "A"]):
        payload = {"question": "a-single", "value": value, "id": f"replay-{i}"}
        ack = tablet.request("answer", payload)
        assert ack and ack["ok"], ack
        sent.append(payload)
    # Replays are recognised by their answer id; one without an id is a new answer.
    replays = [*sent, *(p for _event, p in arena.old if isinstance(p.get("id"), str) and p["id"])]
    replays += [
        {"question": "a-warm", "value": "A", "id": "old"},  # closed
        {"question": "a-later", "value": 7, "id": "future"},  # not asked yet
    ]
    before = arena.probe()
    shown = arena.mc.wait(lambda v: v["v"] >= before)
    mine = next(a for a in shown["answers"] if a["team"] == ATTACKER)["answer"]
    for payload in replays * 3:
        count("replay")
        ack = arena.hostile().request("answer", payload)
        assert ack is not None
        if ack.get("ok"):  # a replay of an answer id it already used: acked again
            assert ack["answer"]["display"] == mine, (payload, ack)
        else:
            assert is_error_ack(ack) and ack["error"] in ("stale", "rate_limited"), ack
        assert arena.probe() == before, (payload, ack)


def test_raw_packets_python_socketio_would_never_send(arena: Arena) -> None:
    """Malformed Engine.IO / Socket.IO packets on a bare WebSocket: the server may
    close that connection, never crash; a well-formed event with an ack id gets an
    error ack."""
    url = arena.server.url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"
    code = arena.server.codes[ATTACKER]
    raw = [
        "",
        "4",
        "42",
        "42[",
        '42["answer"',
        "42{}",
        "42[1,2,3]",
        "42[null]",
        '42[{"a":1}]',
        '42["answer",' + "[" * 5000 + "]" * 5000 + "]",
        '4299999999999999999999["answer",{}]',
        '42-1["answer",{}]',
        '42/nope,7["answer",{}]',
        '451-["answer",{"_placeholder":true,"num":0}]',
        '451-["answer",{"_placeholder":true,"num":9}]',
        '43["x"]',
        "41",
        "44{}",
        '40{"role":"mc","pin":"000000"}',
        "6",
        "5",
        "2probe",
        "9zzz",
        "\x00\x01",
        '42["sync",{"t":1e999}]',
        '421["sync",{"t":1e999}]',
        '425["sync",{"t":1' + "0" * 400 + "}]",  # an integer no float can hold
        '426["answer",{"question":"a-single","value":"B","press":-1' + "0" * 400 + "}]",
        '422["answer",{"question":"a-single","value":"B","team":"t2"}]',
        '423["command",{"name":"reveal","question":"a-single"}]',
        '424["buzz",' + '"' + "x" * 60000 + '"]',
    ]
    before = arena.probe()
    acks = 0
    for frame in raw:
        count("raw packet")
        ws = websocket.create_connection(url, timeout=5)
        try:
            assert ws.recv().startswith("0")  # Engine.IO open
            ws.send("40" + json.dumps({"role": "team", "code": code}))
            reply = ws.recv()
            while not reply.startswith("40"):  # a state may come first
                reply = ws.recv()
            ws.send(frame)
            ack_id = frame[2:].split("[", 1)[0]
            if frame.startswith("42") and ack_id.isdigit() and len(ack_id) < 6:
                deadline = time.monotonic() + 5
                while time.monotonic() < deadline:
                    got = ws.recv()
                    if got.startswith("43" + ack_id + "["):
                        ack = json.loads(got[2 + len(ack_id) :])[0]
                        assert is_error_ack(ack) and ack["error"] != "server_error", (frame, got)
                        acks += 1
                        break
        except (websocket.WebSocketException, OSError):
            pass  # the server closed this connection: allowed for a broken packet
        finally:
            ws.close()
        assert arena.probe() == before, frame[:80]
    assert acks >= 4


# --- the flood ---------------------------------------------------------------------------------

FLOODER = """
import json, sys, threading, time
import socketio
url, code, qid, n, kind = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
device = sys.argv[6]
sio = socketio.Client(reconnection=False)
sio.on("ping", lambda data: {"c": int(time.time() * 1000)})
auth = {"role": "team", "code": code, "device": device}
sio.connect(url, auth=auth, transports=["websocket"], wait_timeout=10)
acks, lock, done = [], threading.Lock(), threading.Event()
def got(ack=None, *_):
    with lock:
        acks.append(ack)
        if len(acks) == n:
            done.set()
print("ready", flush=True)
sys.stdin.readline()
started = time.time()
for i in range(n):
    if kind == "answer":
        sio.emit("answer", {"question": qid, "value": "AB"[i % 2], "id": f"f{i}"}, callback=got)
    else:
        sio.emit("buzz", {"question": qid}, callback=got)
sent = time.time()
done.wait(120)
print(json.dumps({"sent_s": sent - started, "acked_s": time.time() - started, "acks": acks}))
sio.disconnect()
"""


def flood(arena: Arena, kind: str, qid: str, victims: list[Tablet]) -> dict[str, Any]:
    """One tablet floods; the victims answer every 150 ms; their latencies."""
    proc = subprocess.Popen(
        [sys.executable, "-c", FLOODER, arena.server.url, arena.server.codes[ATTACKER], qid]
        + [str(FLOOD), kind, ATTACKER_DEVICE],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=str(ROOT),
    )
    try:
        assert proc.stdout is not None and proc.stdin is not None
        assert proc.stdout.readline().strip() == "ready"
        lat: list[tuple[float, float]] = []
        lock = threading.Lock()
        stop = threading.Event()

        def victim(tablet: Tablet) -> None:
            i = 0
            while not stop.is_set():
                payload = {
                    "question": "a-text",
                    "value": f"đáp án {i}",
                    "id": f"{tablet.name}-{kind}{i}",
                }
                t0 = time.time()
                ack = tablet.request("answer", payload, timeout=30)
                with lock:
                    lat.append((t0, time.time() - t0))
                assert ack and ack["ok"], (tablet.name, ack)
                i += 1
                stop.wait(0.15)

        with ThreadPoolExecutor(len(victims)) as pool:
            futures = [pool.submit(victim, t) for t in victims]
            try:
                time.sleep(0.5)
                started = time.time()
                proc.stdin.write("go\n")
                proc.stdin.flush()
                out, _ = proc.communicate(timeout=180)
                ended = time.time()
                time.sleep(0.3)
            finally:
                stop.set()  # the victims stop even if the flood failed
            for f in futures:
                f.result()
    finally:
        if proc.poll() is None:  # a failed flood: the flooder does not outlive the test
            proc.kill()
            proc.communicate(timeout=10)
    report = json.loads(out.strip().splitlines()[-1])
    during = sorted(latency for t0, latency in lat if started <= t0 <= ended)
    before = sorted(latency for t0, latency in lat if t0 < started)
    report.update(during=during, before=before, window=ended - started)
    return report


def pct(values: list[float], q: float) -> float:
    """The q-quantile of sorted `values` (s), in ms."""
    return values[min(len(values) - 1, int(len(values) * q))] * 1000


def p99(values: list[float]) -> float:
    return pct(values, 0.99)


def test_a_flood_from_one_tablet_does_not_delay_the_others(arena: Arena) -> None:
    """2,000 answers, then 2,000 buzzes, sent as fast as possible by one tablet in
    another process. Bounds for the others' answer acks on loopback: p95 under
    250 ms (where a team would notice the ack lagging) and p99 under 1 s (their
    own p99 without the flood is ~10 ms; with the per-connection budget and
    turn-taking of quiz/web/sockets.py the flood's p95 is 30-55 ms and its p99
    45-100 ms on a quiet machine; without them a victim's answer waited behind
    the whole flood, over 1 s, so both bounds fail). The p99 is not held to
    250 ms: in whole runs on the shared 2-core CI machine it reached 264 ms
    (threading) and 358 ms (--workers 2), a few samples in 700 behind the
    machine's own load (docs/security.md)."""
    mc_do(arena.mc, "scoreboard", show=False)
    q, phase = arena.current()
    if q == "a-single":
        mc_do(arena.mc, "close", question="a-single")
        mc_do(arena.mc, "reveal", question="a-single")
    open_question(arena, "a-text")
    with ThreadPoolExecutor(8) as pool:
        victims = list(
            pool.map(
                lambda t: Tablet(
                    arena.server.url, {"role": "team", "code": arena.server.codes[t]}, t
                ),
                TEAMS[3:],
            )
        )
    try:
        results = {}
        for kind in ("answer", "buzz"):
            during: list[float] = []
            for _ in range(FLOODS):
                report = flood(arena, kind, "a-text", victims)
                acks = report["acks"]
                count(f"flood {kind}", FLOOD)
                assert len(acks) == FLOOD  # every message got its ack
                refused = [a for a in acks if not a.get("ok")]
                assert all(is_error_ack(a) for a in refused)
                codes = {a.get("error", "ok") for a in acks}
                during += report["during"]
                arena.probe()
            report["during"] = sorted(during)
            results[kind] = (report, codes)
            assert during, "no victim answered during the flood"
            figures = (kind, pct(report["during"], 0.95), p99(report["during"]))
            assert pct(report["during"], 0.95) < FLOOD_P95_MS, figures
            assert p99(report["during"]) < FLOOD_P99_MS, figures
    finally:
        for t in victims:
            t.close()
    for kind, (report, codes) in results.items():
        print(
            f"\n{FLOODS} floods of {FLOOD} {kind}s (the last: sent in {report['sent_s']:.2f} s, "
            f"all acked in "
            f"{report['acked_s']:.2f} s, {sorted(codes)}); others' answer acks during them: "
            f"n={len(report['during'])}, p95 {pct(report['during'], 0.95):.1f} ms, "
            f"p99 {p99(report['during']):.1f} ms, max "
            f"{report['during'][-1] * 1000:.1f} ms (before: p99 {p99(report['before']):.1f} ms)"
        )


def test_in_the_buzzer_round_another_teams_turn_cannot_be_taken(arena: Arena) -> None:
    """Team t2 won the buzz and is answering: whatever the attacker sends (buzzes,
    answers for the question, junk) is refused or, a well-formed buzz, kept in the
    order as a late press (contest-format buzzer step 7); the turn stays t2's."""
    q, phase = arena.current()
    if phase not in ("revealed", "intro"):
        if phase == "open":
            mc_do(arena.mc, "close", question=q)
        mc_do(arena.mc, "reveal", question=q)
    mc_do(arena.mc, "start_round")
    mc_do(arena.mc, "show", question="b-1")
    mc_do(arena.mc, "open", question="b-1")
    rival = Tablet(arena.server.url, {"role": "team", "code": arena.server.codes["t2"]}, "t2")
    try:
        assert rival.request("buzz", {"question": "b-1"})["status"] == "buzzed"
        arena.mc.wait(lambda v: v["phase"] == "answering" and v["buzz"]["winner"] == "t2")

        @SETTINGS
        @given(
            event=st.sampled_from(["buzz", "answer"]),
            buzz=buzz_payloads("b-1"),
            answer=answer_payloads("b-1"),
        )
        def prop(event: str, buzz: Any, answer: Any) -> None:
            ack = send_hostile(arena, event, buzz if event == "buzz" else answer)
            kept = ack is not None and ack.get("status") in ("late", "duplicate")
            late = event == "buzz" and kept
            assert ack is None or ack["ok"] is False or late, ack
            assert arena.mc.view["buzz"]["winner"] == "t2"

        prop()
    finally:
        rival.close()


def test_the_server_survived(arena: Arena) -> None:
    """After everything: a new tablet connects and gets the current state."""
    tablet = Screen(arena.server.url, {"role": "team", "code": arena.server.codes["t8"]}, "t8")
    try:
        assert tablet.view["v"] == arena.probe()
    finally:
        tablet.close()


def test_a_replayed_older_answer_id_changes_nothing_even_after_a_restart(tmp_path: Path) -> None:
    """The service-level fix the replay property found (quiz/live/service.py `_replayed`):
    the engine remembers only a team's latest answer id, so an older id sent again
    counted as a new answer. No server: the Service with a fake clock."""
    from quiz.live.service import Service
    from quiz.rules.commands import OpenAnswers, ResumeClock, ShowQuestion, StartRound, SubmitAnswer

    contest = load_contest(hostile_contest(tmp_path / "contest"))
    now = [1_700_000_000.0]
    service = Service(contest, tmp_path / "journal.jsonl", clock=lambda: now[0])
    for command in (StartRound(), ShowQuestion(), OpenAnswers("a-warm")):
        service.handle(command)
    for value, nonce in (("A", "n0"), ("B", "n1")):
        now[0] += 1
        assert service.handle(SubmitAnswer("a-warm", "t1", value, now[0], nonce)).ok
    now[0] += 1
    replay = service.handle(SubmitAnswer("a-warm", "t1", "A", now[0], "n0"))
    assert replay.ok and replay.events == []
    assert service.state.questions["a-warm"].answers["t1"].nonce == "n1"
    service.close()
    service = Service(contest, tmp_path / "journal.jsonl", clock=lambda: now[0])
    service.handle(ResumeClock("a-warm"))
    now[0] += 1
    replay = service.handle(SubmitAnswer("a-warm", "t1", "A", now[0], "n0"))
    assert replay.ok and replay.events == []
    assert service.state.questions["a-warm"].answers["t1"].nonce == "n1"
    service.close()

"""The wire contract (docs/protocol.md) in-process, through Flask-SocketIO's test client.

Each test builds the app as `quiz serve` does (quiz.web.create_app, threading
mode) and talks to its one namespace with `socketio.test_client`: handlers run
synchronously, so every emit returns its ack and every view the server sent is
queued on the client. The hub's background loops (ticker, pinger) are left
off: nothing here waits for a clock. What needs a real socket (the 64 KiB
message cap, refused connects closing the connection, floods from many
clients) is tested against live servers in tests/live.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import MINI_CONTEST

from quiz.web import App, Config, create_app
from quiz.web.protocol import COMMANDS, NOT_AN_OBJECT, ProtocolError, SyncMsg, parse

PIN = "246810"
Client = Any  # flask_socketio.SocketIOTestClient (untyped)


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    built = create_app(Config(MINI_CONTEST, tmp_path, async_mode="threading", pin=PIN))
    built.hub._started = True  # no ticker or pinger threads: see the module docstring
    yield built
    built.service.close()


def connect(app: App, **auth: Any) -> Client:
    return app.socketio.test_client(app.flask, auth=auth or None)


def team(app: App, team_id: str = "bo") -> Client:
    return connect(app, role="team", code=app.hub.access.codes[team_id])


def mc(app: App) -> Client:
    return connect(app, role="mc", pin=PIN)


def views(client: Client) -> list[dict[str, Any]]:
    return [m["args"][0] for m in client.get_received() if m["name"] == "state"]


def last_view(client: Client, wait: float = 2.0) -> dict[str, Any]:
    """The newest view sent to `client`, waiting (bounded) for a coalesced push."""
    deadline = time.monotonic() + wait
    while True:
        got = views(client)
        if got or time.monotonic() > deadline:
            assert got, "no view was pushed"
            return got[-1]
        time.sleep(0.02)


def wait_view(client: Client, done: Any, wait: float = 3.0) -> dict[str, Any]:
    """The first view sent to `client` for which `done(view)` holds (bounded wait)."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        for view in views(client):
            if done(view):
                return view
        time.sleep(0.02)
    raise AssertionError("no such view was pushed")


def command(client: Client, **payload: Any) -> dict[str, Any]:
    ack: dict[str, Any] = client.emit("command", payload, callback=True)
    return ack


def ok(ack: Any) -> dict[str, Any]:
    assert isinstance(ack, dict) and ack.get("ok") is True, ack
    return ack


def refused(ack: Any, code: str, message: str | None = None) -> None:
    assert isinstance(ack, dict) and ack["ok"] is False, ack
    assert ack["error"] == code, ack
    assert isinstance(ack["message"], str) and ack["message"], ack
    if message is not None:
        assert ack["message"] == message, ack
    for leak in ("validation error", "Input should", "pydantic", "Field required"):
        assert leak not in ack["message"], ack


def version(app: App) -> int:
    return app.service.state.seq


def open_first_question(app: App, master: Client) -> None:
    ok(command(master, name="start_round"))
    ok(command(master, name="show"))
    ok(command(master, name="open", question="q-single"))


# Connecting ------------------------------------------------------------------------


def test_each_role_gets_its_own_view_on_connect(app: App) -> None:
    board, tablet, master = connect(app, role="board"), team(app), mc(app)
    assert board.is_connected() and tablet.is_connected() and master.is_connected()
    b, t, m = views(board)[0], views(tablet)[0], views(master)[0]
    assert (b["role"], t["role"], m["role"]) == ("board", "team", "mc")
    assert t["me"]["id"] == "bo" and t["me"]["name"] == "Thị trấn Bo"
    assert "journal" in m and "journal" not in b and "journal" not in t  # the MC's own fields
    assert b["phase"] == "lobby" and b["v"] == 0
    assert app.hub.conns and {c.role for c in app.hub.conns.values()} == {"board", "team", "mc"}
    # no auth at all is a board
    assert views(connect(app))[0]["role"] == "board"


@pytest.mark.parametrize(
    "auth",
    [
        {"role": "team", "code": "NOPE00"},
        {"role": "team"},
        {"role": "mc", "pin": "000000"},
        {"role": "mc"},  # a browser without the login cookie
        {"role": "jury"},
    ],
)
def test_a_refused_connect_joins_nothing(app: App, auth: dict[str, Any]) -> None:
    client = connect(app, **auth)
    assert not client.is_connected()
    assert app.hub.conns == {}


def test_a_disconnect_forgets_the_connection(app: App) -> None:
    tablet = team(app)
    assert len(app.hub.conns) == 1
    tablet.disconnect()
    assert app.hub.conns == {}


# sync --------------------------------------------------------------------------------


def test_sync_answers_with_the_server_clock(app: App) -> None:
    tablet = team(app)
    ack = ok(tablet.emit("sync", {"t": 1234}, callback=True))
    assert ack["t"] == 1234 and isinstance(ack["server"], int)
    assert abs(ack["server"] / 1000 - app.service.clock()) < 5


@pytest.mark.parametrize(
    "args, message",
    [
        (({"t": "1234"},), "Trường 't' phải là số"),
        (({"t": True},), "Trường 't' phải là số"),
        (({"t": float("nan")},), "Trường 't' phải là số"),
        (({},), "Thiếu trường 't'"),
        (({"t": None},), "Thiếu trường 't'"),
        (({"t": 1, "x": 2, "clock": 3},), "Trường không hợp lệ: clock, x"),
        (([1],), NOT_AN_OBJECT),
        (("t",), NOT_AN_OBJECT),
        ((), NOT_AN_OBJECT),
        (({"t": 1}, {"t": 2}), NOT_AN_OBJECT),  # more than one argument
    ],
)
def test_malformed_sync_gets_bad_request(app: App, args: tuple[Any, ...], message: str) -> None:
    refused(team(app).emit("sync", *args, callback=True), "bad_request", message)


def test_integers_no_float_can_hold_are_not_numbers() -> None:
    # (the socket layer's own JSON decoder refuses them before any handler runs)
    with pytest.raises(ProtocolError) as refusal:
        parse(SyncMsg, {"t": 10**400})
    assert refusal.value.message == "Trường 't' phải là số"


# answer -------------------------------------------------------------------------------


def test_an_answer_is_acked_recorded_and_shown_to_its_team(app: App) -> None:
    master, tablet, other = mc(app), team(app), team(app, "cuoi-ha")
    open_first_question(app, master)
    before = version(app)
    views(tablet), views(other), views(master)
    ack = ok(
        tablet.emit("answer", {"question": "q-single", "value": "B", "id": "n1"}, callback=True)
    )
    assert ack["received"] is True and ack["v"] == before + 1
    assert ack["answer"]["display"] == "B" and ack["answer"]["nonce"] == "n1"
    assert isinstance(ack["answer"]["time_ms"], int)
    assert last_view(tablet)["my_answer"]["value"] == "B"
    answered = [a for a in last_view(master)["answers"] if a["answer"] is not None]
    assert [(a["team"], a["answer"], a["correct"]) for a in answered] == [("bo", "B", True)]
    assert views(other) == []  # another team's view does not change
    # a replay of the same id changes nothing and is acked with the recorded answer
    again = ok(
        tablet.emit("answer", {"question": "q-single", "value": "A", "id": "n1"}, callback=True)
    )
    assert again["answer"]["display"] == "B" and version(app) == before + 1


def test_an_answer_to_another_question_is_stale(app: App) -> None:
    master, tablet = mc(app), team(app)
    open_first_question(app, master)
    before = version(app)
    ack = tablet.emit("answer", {"question": "q-tf", "value": True}, callback=True)
    refused(ack, "stale")
    assert version(app) == before


@pytest.mark.parametrize(
    "payload, message",
    [
        ({"question": "q-single"}, "Thiếu đáp án"),
        ({"question": "q-single", "value": None}, "Thiếu đáp án"),
        ({"question": "q-single", "value": "x" * 2001}, "Đáp án quá dài"),
        ({"question": "q-single", "value": ["ạ"] * 400}, "Đáp án quá dài"),  # JSON, escaped
        ({"question": "q-single", "value": "x" * 100_000}, "Đáp án quá dài"),
        ({"value": "B"}, "Thiếu trường 'question'"),
        ({"question": 5, "value": "B"}, "Trường 'question' phải là chuỗi không quá 100 ký tự"),
        (
            {"question": "q" * 101, "value": "B"},
            "Trường 'question' phải là chuỗi không quá 100 ký tự",
        ),
        (
            {"question": "q-single", "value": "B", "id": "n" * 65},
            "Trường 'id' phải là chuỗi không quá 64 ký tự",
        ),
        (
            {"question": "q-single", "value": "B", "id": 7},
            "Trường 'id' phải là chuỗi không quá 64 ký tự",
        ),
        ({"question": "q-single", "value": "B", "press": "now"}, "Trường 'press' phải là số"),
        (
            {"question": "q-single", "value": "B", "press": float("inf")},
            "Trường 'press' phải là số",
        ),
        ({"question": "q-single", "value": "B", "team": "cuoi-ha"}, "Trường không hợp lệ: team"),
        ("B", NOT_AN_OBJECT),
        (None, NOT_AN_OBJECT),
    ],
)
def test_malformed_answers_change_nothing(app: App, payload: Any, message: str) -> None:
    master, tablet = mc(app), team(app)
    open_first_question(app, master)
    before = version(app)
    refused(tablet.emit("answer", payload, callback=True), "bad_request", message)
    assert version(app) == before
    assert app.service.state.questions["q-single"].answers == {}


def test_a_press_stamp_is_accepted_as_an_integer_or_a_float(app: App) -> None:
    master, tablet, other = mc(app), team(app), team(app, "cuoi-ha")
    open_first_question(app, master)
    now_ms = app.service.clock() * 1000
    ok(
        tablet.emit(
            "answer", {"question": "q-single", "value": "B", "press": int(now_ms)}, callback=True
        )
    )
    ok(other.emit("answer", {"question": "q-single", "value": "A", "press": now_ms}, callback=True))


# buzz and judge -------------------------------------------------------------------------


def play_round_one(master: Client) -> None:
    ok(command(master, name="start_round"))
    for qid in ["q-single", "q-tf", "q-multi", "q-text", "q-number", "q-order"]:
        ok(command(master, name="show", question=qid))
        ok(command(master, name="open", question=qid))
        ok(command(master, name="close", question=qid))
        ok(command(master, name="reveal", question=qid))
    ok(command(master, name="start_round", round="bam-chuong"))
    ok(command(master, name="show", question="q-buzz-1"))
    ok(command(master, name="open", question="q-buzz-1"))


def test_buzz_then_judge(app: App) -> None:
    master, tablet, other = mc(app), team(app), team(app, "binh-son")
    play_round_one(master)
    ack = ok(tablet.emit("buzz", {"question": "q-buzz-1"}, callback=True))
    assert ack["status"] == "buzzed" and ack["v"] == version(app)
    assert (
        ok(tablet.emit("buzz", {"question": "q-buzz-1", "id": "b2"}, callback=True))["status"]
        == "duplicate"
    )
    assert ok(other.emit("buzz", {"question": "q-buzz-1"}, callback=True))["status"] in (
        "buzzed",
        "late",
    )
    # the winner is named once presses still in flight have settled
    won = wait_view(master, lambda v: (v["buzz"] or {}).get("winner") is not None)
    assert won["buzz"]["winner"] == "bo"
    refused(
        command(master, name="judge", question="q-buzz-1", team="bo", verdict="maybe"),
        "bad_request",
        "Kết quả phải là correct, wrong hoặc timeout",
    )
    ok(command(master, name="judge", question="q-buzz-1", team="bo", verdict="correct"))
    assert wait_view(tablet, lambda v: v["me"]["total"] == 10)["result"] is None


def test_locked_out_has_two_shapes(app: App) -> None:
    """The early press is acked `locked_out`; every later press is refused so."""
    master, tablet = mc(app), team(app)
    play_round_one(master)
    ok(command(master, name="close", question="q-buzz-1"))
    ok(command(master, name="reveal", question="q-buzz-1"))
    ok(command(master, name="show", question="q-buzz-2"))  # buzzers still closed
    ack = ok(tablet.emit("buzz", {"question": "q-buzz-2"}, callback=True))
    assert ack["status"] == "locked_out" and ack["v"] == version(app)
    view = wait_view(tablet, lambda v: v["buzzer"] == "locked_out")
    assert view["buzz"]["locked_out"] == ["bo"]
    ok(command(master, name="open", question="q-buzz-2"))
    before = version(app)
    refused(
        tablet.emit("buzz", {"question": "q-buzz-2"}, callback=True),
        "locked_out",
        "Bấm sớm — mất quyền trả lời câu này",
    )
    assert version(app) == before


@pytest.mark.parametrize(
    "payload, message",
    [
        ({}, "Thiếu trường 'question'"),
        ({"question": "q-buzz-1", "press": True}, "Trường 'press' phải là số"),
        ({"question": "q-buzz-1", "id": "i" * 65}, "Trường 'id' phải là chuỗi không quá 64 ký tự"),
        ({"question": "q-buzz-1", "value": "A"}, "Trường không hợp lệ: value"),
        ([], NOT_AN_OBJECT),
    ],
)
def test_malformed_buzzes_change_nothing(app: App, payload: Any, message: str) -> None:
    master, tablet = mc(app), team(app)
    open_first_question(app, master)
    before = version(app)
    refused(tablet.emit("buzz", payload, callback=True), "bad_request", message)
    assert version(app) == before


# MC commands ----------------------------------------------------------------------------


def test_every_mc_command_is_accepted_in_its_place(app: App) -> None:
    master, tablet, board = mc(app), team(app), connect(app, role="board")
    sent: set[str] = set()

    def do(**payload: Any) -> dict[str, Any]:
        sent.add(payload["name"])
        before = version(app)
        ack = ok(command(master, **payload))
        assert ack["v"] == version(app) >= before
        return ack

    do(name="start_round", round="chung")
    assert last_view(board)["phase"] == "intro"
    do(name="show", question="q-single")
    assert last_view(board)["question"]["id"] == "q-single"
    do(name="open", question="q-single")
    opened = last_view(board)["clock"]["opened_at"]
    assert isinstance(opened, int)
    assert abs(opened / 1000 - app.service.clock()) < 5
    ok(tablet.emit("answer", {"question": "q-single", "value": "B"}, callback=True))
    do(name="pause", question="q-single")
    assert last_view(board)["clock"]["running"] is False
    do(name="add_time", question="q-single", seconds=5)
    do(name="resume", question="q-single")
    clock = last_view(board)["clock"]
    assert clock["running"] is True
    # Paused, extended, resumed: answering opened when it opened, whatever the deadline says.
    assert clock["opened_at"] == opened
    assert clock["deadline"] - clock["limit_ms"] != opened
    do(name="close", question="q-single")
    assert last_view(board)["close_reason"] == "mc"
    do(name="reveal", question="q-single")
    assert last_view(board)["phase"] == "revealed"
    assert last_view(tablet)["result"]["correct"] is True
    do(name="summary", show=True)
    assert last_view(board)["summary"]["title"] == "Câu hỏi chung"
    do(name="summary", show=False)
    do(name="scoreboard", show=True)
    assert last_view(board)["show_scoreboard"] is True
    do(name="adjust", team="bo", delta=2.5, reason="Trả lời phụ")
    do(name="set_answer", question="q-single", team="cuoi-ha", reason="Nhập hộ", value="B")
    do(name="set_answer", question="q-single", team="binh-son", reason="Chấm tay", correct=True)
    do(name="undo", reason="Nhầm")
    ids = [c["id"] for c in last_view(master)["undoable"] if c["id"] is not None]
    do(name="undo", reason="Nhầm nữa", id=float(ids[0]))  # 2.0 is a whole number
    do(name="void", question="q-single", reason="Câu hỏi sai")
    assert last_view(tablet)["me"]["total"] == 2.5  # the adjustment stays
    refused(command(master, name="ceremony_next", step=1), "not_finished")
    sent.add("ceremony_next")
    # an appeal entered for a team: this contest has no jury
    refused(command(master, name="appeal", team="bo", question="q-single", text="x"), "no_jury")
    sent.add("appeal")
    # a tiebreak round's own commands, outside one (played in tests/live/test_tiebreak_live.py)
    refused(command(master, name="tiebreak_select", groups=[["bo", "binh-son"]]), "not_tiebreak")
    refused(command(master, name="draw_lots", seed=3), "not_tiebreak")
    sent |= {"tiebreak_select", "draw_lots"}
    # judged rounds: this contest has none (tests/unit/test_judged_socket.py)
    refused(
        command(
            master, name="set_judge_score", question="q-single", judge="x", reason="r", score=5
        ),
        "not_judged",
    )
    sent.add("set_judge_score")
    sent |= {"judge"}  # test_buzz_then_judge
    sent |= {name for name in COMMANDS if name.startswith("turns_")}  # test_protocol_turns.py
    sent |= {"rescue", "reinstate", "set_player_answer"}  # test_protocol_players.py
    assert sent == set(COMMANDS)


@pytest.mark.parametrize(
    "payload, code, message",
    [
        ({"name": "dance"}, "unknown_command", "Lệnh không hợp lệ"),
        ({"name": 5}, "unknown_command", "Lệnh không hợp lệ"),
        ({}, "unknown_command", "Lệnh không hợp lệ"),
        ({"name": "start_round", "round": 5}, "bad_request", None),
        ({"name": "show", "question": "q" * 101}, "bad_request", None),
        ({"name": "open"}, "bad_request", "Thiếu trường 'question'"),
        ({"name": "pause", "question": None}, "bad_request", "Thiếu trường 'question'"),
        ({"name": "resume", "question": ["q-single"]}, "bad_request", None),
        ({"name": "add_time", "question": "q-single", "seconds": "5"}, "bad_request", None),
        ({"name": "add_time", "question": "q-single"}, "bad_request", "Thiếu trường 'seconds'"),
        ({"name": "close", "question": "q-single", "force": True}, "bad_request", None),
        ({"name": "reveal", "question": b"q-single"}, "bad_request", None),
        (
            {"name": "judge", "question": "q-single", "team": "bo"},
            "bad_request",
            "Trường 'correct' phải là true/false",
        ),
        (
            {"name": "judge", "question": "q-single", "team": "bo", "correct": 1},
            "bad_request",
            "Trường 'correct' phải là true/false",
        ),
        ({"name": "scoreboard"}, "bad_request", "Trường 'show' phải là true/false"),
        ({"name": "tiebreak_select"}, "bad_request", "Thiếu trường 'groups'"),
        ({"name": "tiebreak_select", "groups": [["bo", 5]]}, "bad_request", None),
        ({"name": "tiebreak_select", "groups": "bo"}, "bad_request", None),
        ({"name": "draw_lots", "seed": 1.5}, "bad_request", None),
        ({"name": "draw_lots", "order": [[None]]}, "bad_request", None),
        ({"name": "scoreboard", "show": "yes"}, "bad_request", "Trường 'show' phải là true/false"),
        ({"name": "adjust", "team": "bo", "delta": True, "reason": "x"}, "bad_request", None),
        ({"name": "adjust", "team": "bo", "delta": 1}, "bad_request", "Thiếu trường 'reason'"),
        (
            {"name": "set_answer", "question": "q-single", "team": "bo", "reason": "r" * 501},
            "bad_request",
            "Trường 'reason' phải là chuỗi không quá 500 ký tự",
        ),
        (
            {
                "name": "set_answer",
                "question": "q-single",
                "team": "bo",
                "reason": "r",
                "value": "v" * 2001,
            },
            "bad_request",
            "Đáp án quá dài",
        ),
        ({"name": "void", "question": "q-single"}, "bad_request", "Thiếu trường 'reason'"),
        (
            {"name": "undo", "reason": "x", "id": 1.5},
            "bad_request",
            "Trường 'id' phải là số nguyên dương",
        ),
        (
            {"name": "undo", "reason": "x", "id": 0},
            "bad_request",
            "Trường 'id' phải là số nguyên dương",
        ),
        ({"name": "undo"}, "bad_request", "Thiếu trường 'reason'"),
        (
            {"name": "ceremony_next", "step": -2},
            "bad_request",
            "Trường 'step' phải là số nguyên dương",
        ),
        ({"name": "ceremony_next", "step": "1"}, "bad_request", "Trường 'step' phải là số"),
        ({"name": "summary", "show": 1}, "bad_request", "Trường 'show' phải là true/false"),
        ({"name": "summary", "zz": 1, "aa": 2}, "bad_request", "Trường không hợp lệ: aa, zz"),
        ("open", "bad_request", NOT_AN_OBJECT),
    ],
)
def test_malformed_commands_change_nothing(
    app: App, payload: Any, code: str, message: str | None
) -> None:
    master = mc(app)
    open_first_question(app, master)
    before = version(app)
    views(master)
    refused(master.emit("command", payload, callback=True), code, message)
    assert version(app) == before
    assert views(master) == []  # nothing was pushed


def test_a_command_with_two_arguments_is_malformed(app: App) -> None:
    master = mc(app)
    refused(
        master.emit("command", {"name": "start_round"}, {"name": "show"}, callback=True),
        "bad_request",
        NOT_AN_OBJECT,
    )
    assert version(app) == 0


# Roles, sound, unknown events, the budget, crashes ------------------------------------------


def test_each_event_is_for_its_roles_only(app: App) -> None:
    master, tablet, board = mc(app), team(app), connect(app, role="board")
    open_first_question(app, master)
    before = version(app)
    for client, event, payload in [
        (tablet, "command", {"name": "close", "question": "q-single"}),
        (board, "command", {"name": "close", "question": "q-single"}),
        (board, "answer", {"question": "q-single", "value": "B"}),
        (master, "answer", {"question": "q-single", "value": "B"}),
        (board, "buzz", {"question": "q-single"}),
        (tablet, "sound", {"on": False}),
        (board, "sound", {"on": False}),
        (tablet, "board_sound", {"on": True}),
        (master, "board_sound", {"on": True}),
    ]:
        ack = client.emit(event, payload, callback=True)
        refused(ack, "forbidden", "Màn hình này không được phép gửi lệnh đó")
    assert version(app) == before


def test_the_sound_switches(app: App) -> None:
    master, board = mc(app), connect(app, role="board")
    assert ok(board.emit("board_sound", {"on": True}, callback=True)) == {"ok": True}
    assert last_view(master)["boards_sound"] == 1
    views(board)
    assert ok(master.emit("sound", {"on": False}, callback=True)) == {"ok": True}
    assert last_view(board)["sound"] is False
    for bad in [{"on": "yes"}, {}, {"on": None}, [True]]:
        message = NOT_AN_OBJECT if bad == [True] else "Cần {on: true|false}"
        refused(master.emit("sound", bad, callback=True), "bad_request", message)
        refused(board.emit("board_sound", bad, callback=True), "bad_request", message)
    refused(
        board.emit("board_sound", {"on": True, "volume": 3}, callback=True),
        "bad_request",
        "Trường không hợp lệ: volume",
    )
    assert app.hub.sound is False


@pytest.mark.parametrize(
    "event", ["hello", "unknown_event", "over_budget", "trigger_event", "team_press", "on_sync"]
)
def test_an_event_outside_the_contract_gets_unknown_event(app: App, event: str) -> None:
    tablet = team(app)
    refused(
        tablet.emit(event, {"x": 1}, callback=True), "unknown_event", "Sự kiện không được hỗ trợ"
    )
    assert tablet.is_connected()


def test_a_tablet_beyond_its_budget_is_refused_and_the_mc_is_not(app: App) -> None:
    tablet, board, master = team(app), connect(app, role="board"), mc(app)
    for client in (tablet, board):
        acks = [client.emit("sync", {"t": i}, callback=True) for i in range(60)]
        assert all(a["ok"] for a in acks[:40])  # the burst
        assert any(a.get("error") == "rate_limited" for a in acks[40:]), acks[40:]
        limited = next(a for a in acks if not a["ok"])
        refused(limited, "rate_limited", "Gửi quá nhanh — hãy chờ giây lát rồi thử lại")
        # every event counts, unknown and malformed ones too (a token may have
        # come back meanwhile: the budget refills at 10 a second)
        for event, payload in [("nope", {}), ("answer", "junk")]:
            acks = [client.emit(event, payload, callback=True) for _ in range(5)]
            assert sum(a["error"] == "rate_limited" for a in acks) >= 4, acks
    assert all(master.emit("sync", {"t": i}, callback=True)["ok"] for i in range(100))


def test_a_failing_handler_gets_server_error_not_a_crash(app: App, monkeypatch: Any) -> None:
    master = mc(app)

    def broken(*_: Any) -> Any:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(app.hub, "run", broken)
    refused(
        command(master, name="start_round"),
        "server_error",
        "Lỗi máy chủ — thao tác chưa được ghi nhận",
    )
    monkeypatch.undo()
    ok(command(master, name="start_round"))

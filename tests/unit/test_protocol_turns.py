"""The `turns` messages of the wire contract (docs/protocol.md, "Format turns"),
in-process over the demo package contest: every turns command accepted in its
place, the tablet's `star`, and malformed or misplaced ones refused."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_protocol_socket import PIN, command, connect, last_view, ok, refused, version, views

from quiz.web import App, Config, create_app

DEMO = Path(__file__).resolve().parents[2] / "question_banks" / "contest-goi-cau-hoi.yaml"


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    built = create_app(Config(DEMO, tmp_path, async_mode="threading", pin=PIN))
    built.hub._started = True  # no ticker or pinger threads
    yield built
    built.service.close()


def tablet(app: App, team_id: str) -> Any:
    return connect(app, role="team", code=app.hub.access.codes[team_id])


def test_every_turns_command_and_the_star_in_their_place(app: App) -> None:
    master, board = connect(app, role="mc", pin=PIN), connect(app, role="board")
    ok(command(master, name="start_round"))
    ok(command(master, name="turns_order"))
    order = last_view(board)["turns"]["order"]
    assert sorted(row["team"] for row in order) == sorted(t.id for t in app.service.contest.teams)
    first, second = order[0]["team"], order[1]["team"]
    step = last_view(master)["next"]
    assert step["command"] == "turns_package" and step["choose"] and step["team"] == first
    ok(command(master, name="turns_package", team=first, package="goi-3"))
    step = last_view(master)["next"]
    assert step["command"] == "turns_value" and step["values"] == [10, 20, 30]
    ok(command(master, name="turns_value", team=first, points=20))
    # the star from the team's own tablet; another tablet is refused
    refused(tablet(app, second).emit("star", {}, callback=True), "not_your_turn")
    mine = tablet(app, first)
    refused(
        mine.emit("star", {"team": second}, callback=True),
        "bad_request",
        "Trường không hợp lệ: team",
    )
    ok(mine.emit("star", {}, callback=True))
    assert last_view(board)["turns"]["star_pending"] is True
    ok(command(master, name="turns_unstar", team=first, reason="Đặt nhầm"))
    ok(command(master, name="turns_star", team=first))
    step = last_view(master)["next"]
    assert step["command"] == "show" and step["question"] == "goi3-20-par-2022"
    ok(command(master, name="show", question=step["question"]))
    assert last_view(board)["turn"]["star"] is True
    ok(command(master, name="open", question=step["question"]))
    ok(command(master, name="judge", question=step["question"], team=first, verdict="wrong"))
    assert last_view(master)["next"]["command"] == "turns_steal"
    ok(command(master, name="turns_steal", question=step["question"]))
    assert last_view(board)["phase"] == "open"
    ok(command(master, name="close", question=step["question"]))
    ok(command(master, name="reveal", question=step["question"]))
    assert {r["team"]: r["total"] for r in last_view(board)["scoreboard"]}[first] == -20
    refused(command(master, name="turns_skip", team=first, reason="Vắng"), "started")


@pytest.mark.parametrize(
    "payload, code, message",
    [
        ({"name": "turns_package", "team": "bo"}, "bad_request", "Thiếu trường 'package'"),
        (
            {"name": "turns_value", "team": "bo", "points": "20"},
            "bad_request",
            "Trường 'points' phải là số",
        ),
        (
            {"name": "turns_value", "team": "bo", "points": True},
            "bad_request",
            "Trường 'points' phải là số",
        ),
        ({"name": "turns_skip", "team": "bo"}, "bad_request", "Thiếu trường 'reason'"),
        ({"name": "turns_star"}, "bad_request", "Thiếu trường 'team'"),
        ({"name": "turns_steal"}, "bad_request", "Thiếu trường 'question'"),
        ({"name": "turns_order", "seed": 3}, "bad_request", "Trường không hợp lệ: seed"),
        ({"name": "turns_star", "team": "bo"}, "no_order", None),
        ({"name": "turns_skip", "team": "bo", "reason": " "}, "no_order", None),
    ],
)
def test_malformed_or_misplaced_turns_commands_change_nothing(
    app: App, payload: dict[str, Any], code: str, message: str | None
) -> None:
    master = connect(app, role="mc", pin=PIN)
    ok(command(master, name="start_round"))
    before = version(app)
    views(master)
    refused(master.emit("command", payload, callback=True), code, message)
    assert version(app) == before


def test_star_is_for_tablets_only(app: App) -> None:
    master, board = connect(app, role="mc", pin=PIN), connect(app, role="board")
    for client in (master, board):
        refused(client.emit("star", {}, callback=True), "forbidden")
    assert version(app) == 0

"""Rung chuông vàng on the wire, in-process (as test_protocol_socket.py): a
player joins with its code and acts only as itself; the MC's rescue,
reinstate and set_player_answer commands, refused when malformed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from test_protocol_socket import command, connect, last_view, ok, refused, views, wait_view

from quiz.web import App, Config, create_app

PIN = "135790"
BANK = """\
bank: rcv
title: R
questions:
  - {id: q1, type: true_false, text: "Một?", answer: true}
  - {id: q2, type: true_false, text: "Hai?", answer: false}
  - {id: cuu, type: true_false, text: "Cứu?", answer: true}
"""
CONTEST = """\
contest: rcv
title: Rung chuông vàng
banks: [bank.yaml]
teams:
  - {id: a, name: Xã A}
  - {id: b, name: Xã B}
players:
  - {number: '001', name: Lê Văn An, team: a}
  - {number: '002', name: Trần Thị Hoa, team: b}
  - {number: '003', name: Phạm Văn Tư, team: a}
rounds:
  - id: rcv
    title: Rung chuông vàng
    format: elimination
    questions: [q1, q2]
    rescue: {max: 1, when_below: 10, questions: [cuu]}
    team_points: true
"""


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    (tmp_path / "bank.yaml").write_text(BANK, encoding="utf-8")
    path = tmp_path / "contest.yaml"
    path.write_text(CONTEST, encoding="utf-8")
    built = create_app(Config(path, tmp_path / "data", async_mode="threading", pin=PIN))
    built.hub._started = True
    yield built
    built.service.close()


def player(app: App, number: str) -> Any:
    return connect(app, role="player", code=app.hub.access.player_codes[number])


def answer(client: Any, qid: str, value: Any, nonce: str) -> dict[str, Any]:
    ack: dict[str, Any] = client.emit(
        "answer", {"question": qid, "value": value, "id": nonce}, callback=True
    )
    return ack


def test_a_player_joins_by_its_code_and_answers_only_as_itself(app: App) -> None:
    master = connect(app, role="mc", pin=PIN)
    one, two = player(app, "001"), player(app, "002")
    assert one.is_connected() and two.is_connected()
    bad = app.socketio.test_client(app.flask, auth={"role": "player", "code": "XXXXXX"})
    assert not bad.is_connected()
    me = last_view(one)
    assert me["role"] == "player" and me["me"] == {
        "number": "001",
        "name": "Lê Văn An",
        "unit": "Xã A",
    }
    board = connect(app, role="board")
    assert last_view(board)["players_joined"] == 2 and last_view(board)["players_total"] == 3
    assert [p["number"] for p in last_view(master)["players_missing"]] == ["003"]
    ok(command(master, name="start_round"))
    ok(command(master, name="show"))
    ok(command(master, name="open", question="q1"))
    ack = ok(answer(one, "q1", True, "n1"))
    assert ack["answer"]["display"] == "Đúng"
    ok(answer(two, "q1", False, "n2"))
    # A tablet cannot answer for a player in this round; nor a player twice.
    tablet = connect(app, role="team", code=app.hub.access.codes["a"])
    refused(answer(tablet, "q1", True, "t"), "forbidden")
    refused(answer(one, "q1", False, "n3"), "locked")
    wait_view(one, lambda v: v.get("my_answer") is not None)
    for view in views(one) + views(two):
        assert view.get("reveal") is None and view.get("result") is None
    ok(command(master, name="close", question="q1"))
    ok(command(master, name="reveal", question="q1"))
    assert wait_view(two, lambda v: v.get("status") == "out")["out_at"] == 1
    assert wait_view(one, lambda v: v["phase"] == "revealed")["result"] == {"correct": True}


def test_the_mc_rescue_reinstate_and_set_player_answer(app: App) -> None:
    master = connect(app, role="mc", pin=PIN)
    three = player(app, "003")
    ok(command(master, name="start_round"))
    ok(command(master, name="show"))
    ok(command(master, name="open", question="q1"))
    ok(command(master, name="close", question="q1"))
    ok(command(master, name="reveal", question="q1"))  # nobody answered: all restored
    refused(command(master, name="rescue", mode="save"), "bad_request")
    refused(command(master, name="rescue", mode="pick", players="001"), "bad_request")
    refused(command(master, name="rescue", mode="all"), "rescue_not_allowed")
    ok(
        command(
            master,
            name="set_player_answer",
            question="q1",
            player="001",
            value=True,
            reason="Điện thoại hỏng",
        )
    )
    assert last_view(master)["floor"]["on"] == 1
    refused(
        command(
            master, name="set_player_answer", question="q1", player="009", value=True, reason="x"
        ),
        "unknown_player",
    )
    refused(command(master, name="reinstate", player="002"), "bad_request")
    ok(command(master, name="reinstate", player="002", reason="Ban giám khảo chấp nhận"))
    assert last_view(master)["floor"]["on"] == 2
    assert wait_view(three, lambda v: v.get("status") == "out")["out_at"] == 1
    ok(command(master, name="rescue", mode="question"))
    ok(command(master, name="open", question="cuu"))
    ok(answer(three, "cuu", True, "c3"))
    ok(command(master, name="close", question="cuu"))
    ok(command(master, name="reveal", question="cuu"))
    assert wait_view(three, lambda v: v.get("status") == "back")["phase"] == "revealed"
    rows = {r["number"]: r for r in last_view(master)["players"]}
    assert {n: r["status"] for n, r in rows.items()} == {"001": "on", "002": "back", "003": "back"}
    # team_points: 001's right answer (set by hand) adds q1's points to its team.
    totals = {s["team"]: s["total"] for s in last_view(master)["scoreboard"]}
    assert totals == {"a": 10, "b": 0}


def test_the_join_sheet_prints_a_card_per_player_and_the_phone_page_loads(app: App) -> None:
    web = app.flask.test_client()
    assert web.get("/join-sheet").status_code == 403  # the MC's page only
    assert web.post("/mc", data={"pin": PIN}).status_code == 303
    page = web.get("/join-sheet").get_data(as_text=True)
    assert page.count('class="pcard"') == 3
    for number, code in app.hub.access.player_codes.items():
        assert f">{code}</p>" in page and f"</span> {number}</p>" in page
    codes = set(app.hub.access.player_codes.values()) | set(app.hub.access.codes.values())
    assert len(codes) == 5  # every code differs, teams' and players' alike
    phone = web.get(f"/p/{app.hub.access.player_codes['001']}").get_data(as_text=True)
    assert 'class="player-page"' in phone and "formats/elimination.js" in phone
    assert "Vào thi Rung chuông vàng" in phone

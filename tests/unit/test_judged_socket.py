"""The judges' part of the wire contract in-process (Flask-SocketIO's test
client): a judge connects with a judge's code, sends `score`, gets its ack or
an error ack; nobody else may send a score; the MC's `set_judge_score`."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from quiz.web import App, Config, create_app

PIN = "135790"
Client = Any

CONTEST = """\
contest: ngay-thi
title: Hội thi
banks: [bank.yaml]
teams:
  - {id: bo, name: Thị trấn Bo}
  - {id: binh-son, name: Xã Bình Sơn}
judges:
  - {id: gk-a, name: Giám khảo A}
  - {id: gk-b, name: Giám khảo B}
rounds:
  - id: chao-hoi
    title: Chào hỏi
    format: judged
  - id: tieu-pham
    title: Tiểu phẩm
    format: judged
    criteria:
      - {id: nd, title: Nội dung, max: 6}
      - {id: dx, title: Diễn xuất, max: 4}
"""
BANK = 'bank: b\ntitle: B\nquestions:\n  - {id: a1, type: true_false, text: "Một?", answer: true}\n'


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    (tmp_path / "bank.yaml").write_text(BANK, encoding="utf-8")
    path = tmp_path / "contest.yaml"
    path.write_text(textwrap.dedent(CONTEST), encoding="utf-8")
    built = create_app(Config(path, tmp_path / "data", async_mode="threading", pin=PIN))
    built.hub._started = True  # no ticker or pinger threads
    yield built
    built.service.close()


def connect(app: App, **auth: Any) -> Client:
    return app.socketio.test_client(app.flask, auth=auth or None)


def judge(app: App, judge_id: str) -> Client:
    return connect(app, role="judge", code=app.hub.access.judge_codes[judge_id])


def last_view(client: Client) -> dict[str, Any]:
    got = [m["args"][0] for m in client.get_received() if m["name"] == "state"]
    assert got
    return got[-1]


def command(client: Client, **payload: Any) -> dict[str, Any]:
    ack: dict[str, Any] = client.emit("command", payload, callback=True)
    assert ack["ok"], ack
    return ack


def score(client: Client, **payload: Any) -> dict[str, Any]:
    ack: dict[str, Any] = client.emit("score", payload, callback=True)
    return ack


def test_a_judge_joins_with_a_judge_s_code_only(app: App) -> None:
    a = judge(app, "gk-a")
    assert a.is_connected()
    view = last_view(a)
    assert view["role"] == "judge" and view["me"] == {"id": "gk-a", "name": "Giám khảo A"}
    wrong = connect(app, role="judge", code="AAAAAA")
    assert not wrong.is_connected()
    team_code = connect(app, role="judge", code=app.hub.access.codes["bo"])
    assert not team_code.is_connected()  # a team's code is not a judge's
    assert app.hub.access.judge_codes["gk-a"] not in app.hub.access.codes.values()


def test_scores_over_the_socket(app: App) -> None:
    mc = connect(app, role="mc", pin=PIN)
    a, b = judge(app, "gk-a"), judge(app, "gk-b")
    tablet = connect(app, role="team", code=app.hub.access.codes["bo"])
    refused = score(a, question="chao-hoi:bo", score=8)
    assert (refused["ok"], refused["error"]) == (False, "no_question")
    command(mc, name="start_round", round="chao-hoi")
    command(mc, name="show", question="chao-hoi:bo")
    assert last_view(a)["turn"]["team_name"] == "Thị trấn Bo"
    for payload, code in [
        ({"question": "chao-hoi:bo"}, "bad_request"),  # no score
        ({"question": "chao-hoi:bo", "score": "8"}, "bad_request"),
        ({"question": "chao-hoi:bo", "score": True}, "bad_request"),
        ({"question": "chao-hoi:bo", "score": 8, "judge": "gk-b"}, "bad_request"),
        ({"question": "chao-hoi:bo", "parts": {"nd": 1}}, "bad_score"),
        ({"question": "chao-hoi:bo", "score": 11}, "bad_score"),
        ({"question": "chao-hoi:binh-son", "score": 8}, "stale"),
    ]:
        ack = score(a, **payload)
        assert (ack["ok"], ack["error"]) == (False, code), payload
    forbidden = score(tablet, question="chao-hoi:bo", score=10)
    assert forbidden["error"] == "forbidden"
    assert score(mc, question="chao-hoi:bo", score=10)["error"] == "forbidden"
    ack = score(a, question="chao-hoi:bo", score=8.5, id="n1")
    assert ack["ok"] and ack["received"] and ack["score"] == 8.5
    assert last_view(mc)["judged_scores"]["judges"][0]["score"] == 8.5
    assert "score" not in last_view(tablet)["judged"]["judges"][0]
    assert score(b, question="chao-hoi:bo", score=9)["ok"]
    assert last_view(tablet)["judged"]["result"] == 8.75
    command(mc, name="reveal", question="chao-hoi:bo")
    assert last_view(tablet)["me"]["total"] == 8.75
    late = score(a, question="chao-hoi:bo", score=10)
    assert late["error"] == "shown"
    command(
        mc,
        name="set_judge_score",
        question="chao-hoi:bo",
        judge="gk-a",
        score=9.5,
        reason="Phiếu chấm ghi 9,5",
    )
    assert last_view(tablet)["me"]["total"] == 9.25
    bad = mc.emit(
        "command",
        {
            "name": "set_judge_score",
            "question": "chao-hoi:bo",
            "judge": "gk-a",
            "reason": "x",
            "parts": [],
        },
        callback=True,
    )
    assert bad["ok"] is False and bad["error"] == "bad_request"


def test_the_join_sheet_has_a_card_per_judge_and_the_judge_page_its_code(app: App) -> None:
    http = app.flask.test_client()
    assert http.post("/mc", data={"pin": PIN}).status_code == 303
    sheet = http.get("/join-sheet").get_data(as_text=True)
    for judge_id, name in (("gk-a", "Giám khảo A"), ("gk-b", "Giám khảo B")):
        code = app.hub.access.judge_codes[judge_id]
        assert name in sheet and code in sheet and f"/g/{code}" in sheet
    assert sheet.count("Mã giám khảo") == 2
    code = app.hub.access.judge_codes["gk-a"]
    page = app.flask.test_client().get(f"/g/{code}").get_data(as_text=True)
    assert f'data-code="{code}"' in page and "js/formats/judged.js" in page

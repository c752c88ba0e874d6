"""The Socket.IO wire's JSON (quiz/web/wire_json.py): orjson's encoding means
what the standard library's meant, and whatever orjson refuses is still sent."""

from __future__ import annotations

import json

from conftest import MINI_CONTEST

from quiz.web import ViewPacket, wire_json


def test_a_view_reads_back_the_same_and_vietnamese_is_not_escaped() -> None:
    view = {
        "title": "Hội thi cải cách hành chính",
        "teams": [{"id": "bo", "name": "Thị trấn Bo", "points": 12.5}],
        "counts": {1: 3, "B": 0},  # a non-text key, as json.dumps writes it
        "clock": None,
        "flags": (True, False),
    }
    text = wire_json.dumps(view, separators=(",", ":"))
    assert json.loads(text) == json.loads(json.dumps(view))
    assert "Hội thi" in text and "\\u" not in text


def test_what_orjson_refuses_falls_back_to_the_standard_library() -> None:
    typed = "\ud800 lạ"  # a lone surrogate: json.loads accepts "\\ud800" from a client
    assert json.loads(wire_json.dumps({"answer": typed})) == {"answer": typed}
    huge = 2**70
    assert json.loads(wire_json.dumps({"n": huge})) == {"n": huge}


def test_the_server_encodes_its_packets_with_it(tmp_path: object) -> None:
    from quiz.web import Config, create_app

    app = create_app(Config(MINI_CONTEST, tmp_path / "data"))  # type: ignore[operator]
    assert app.socketio.server.packet_class is ViewPacket
    assert ViewPacket.json is wire_json
    client = app.socketio.test_client(app.flask, auth={"role": "board"})
    view = client.get_received()[0]["args"][0]
    assert view["phase"] == "lobby"

"""HTTP pages: the join sheet, results, images and the server plumbing."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MINI_CONTEST

from quiz.web import Config, create_app
from quiz.web.server import _NodelayListener, lan_address


@pytest.fixture
def client(tmp_path: Path) -> Iterator[object]:
    built = create_app(Config(MINI_CONTEST, tmp_path, async_mode="threading", pin="246810"))
    built.hub.urls["base"] = "http://192.0.2.7:5000"
    yield built.flask.test_client()
    built.service.close()


def test_pages_render_in_vietnamese(client) -> None:  # type: ignore[no-untyped-def]
    for path in ["/", "/board", "/team", "/mc", "/t/ABCDEF"]:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "Hội thi kiểm thử" in response.get_data(as_text=True)


def test_join_sheet_needs_the_pin_and_has_a_qr_per_team(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/join-sheet").status_code == 403
    assert client.get("/join-sheet?pin=000000").status_code == 403
    page = client.get("/join-sheet?pin=246810").get_data(as_text=True)
    assert page.count("<svg") >= 3
    for name in ["Thị trấn Bo", "Xã Bình Sơn", "Xã Cuối Hạ"]:
        assert name in page
    assert "http://192.0.2.7:5000/t/" in page


def test_results_csv_needs_the_pin(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/results.csv").status_code == 403
    response = client.get("/results.csv?pin=246810")
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeffHạng;Đội thi;Tổng điểm")
    assert "Thị trấn Bo" in text


def test_question_images_only_once_shown(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/media/q-single").status_code == 404


def test_every_accepted_connection_gets_tcp_nodelay() -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    wrapped = _NodelayListener(listener)
    with socket.create_connection(listener.getsockname()) as peer:
        conn, _ = wrapped.accept()
        with conn:
            assert conn.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        assert peer
    listener.close()


def test_lan_address_is_an_ipv4_address() -> None:
    address = lan_address()
    socket.inet_aton(address)

"""HTTP pages: the join sheet, results, images and the server plumbing."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import MINI_CONTEST, ROOT

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


def _log_in(client, pin: str = "246810"):  # type: ignore[no-untyped-def]
    return client.post("/mc", data={"pin": pin})


def test_join_sheet_needs_the_login_and_has_a_qr_per_team(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/join-sheet").status_code == 403
    assert client.get("/join-sheet?pin=246810").status_code == 403  # never a PIN in a URL
    assert _log_in(client, "000000").status_code == 403
    assert client.get("/join-sheet").status_code == 403
    assert _log_in(client).status_code == 303
    page = client.get("/join-sheet").get_data(as_text=True)
    assert page.count("<svg") >= 3
    for name in ["Thị trấn Bo", "Xã Bình Sơn", "Xã Cuối Hạ"]:
        assert name in page
    assert "http://192.0.2.7:5000/t/" in page
    assert "246810" not in page


def test_join_codes_as_json_behind_the_login(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/mc/codes.json").status_code == 403
    assert client.get("/mc/codes.json?pin=246810").status_code == 403
    assert _log_in(client).status_code == 303
    response = client.get("/mc/codes.json")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Cache-Control"] == "no-store"
    data = response.get_json()
    names = [t["name"] for t in data["teams"]]
    assert names == ["Thị trấn Bo", "Xã Bình Sơn", "Xã Cuối Hạ"]
    sheet = client.get("/join-sheet").get_data(as_text=True)
    codes = [t["code"] for t in data["teams"]]
    assert len(set(codes)) == len(codes)
    for team in data["teams"]:
        assert team["code"] in sheet  # the same codes the printed sheet shows
        assert team["url"] == f"http://192.0.2.7:5000/t/{team['code']}"
        assert team["team"]


def test_results_csv_needs_the_login(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/results.csv").status_code == 403
    assert client.get("/results.csv?pin=246810").status_code == 403
    _log_in(client)
    response = client.get("/results.csv")
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeffHạng;Đội thi;Tổng điểm")
    assert "Thị trấn Bo" in text


def test_login_sets_a_strict_httponly_cookie_and_never_echoes_the_pin(client) -> None:  # type: ignore[no-untyped-def]
    wrong = _log_in(client, "000000")
    assert wrong.status_code == 403
    assert "Mã PIN không đúng" in wrong.get_data(as_text=True)
    assert "set-cookie" not in {k.lower() for k in wrong.headers.keys()}
    response = _log_in(client)
    assert response.status_code == 303 and response.headers["Location"].endswith("/mc")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("quiz_mc=")
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    assert "246810" not in cookie
    page = client.get("/mc").get_data(as_text=True)
    assert 'data-login="yes"' in page and "246810" not in page
    client.post("/logout")
    assert 'data-login="no"' in client.get("/mc").get_data(as_text=True)


def test_every_response_carries_the_security_headers(client) -> None:  # type: ignore[no-untyped-def]
    for path in ["/", "/board", "/team", "/mc", "/static/js/mc.js", "/nowhere", "/join-sheet"]:
        response = client.get(path)
        headers = response.headers
        response.close()
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp, path
        assert "unsafe-inline" not in csp, path
        assert headers["X-Frame-Options"] == "DENY", path
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["Referrer-Policy"] == "no-referrer", path
    polling = client.get("/socket.io/?EIO=4&transport=polling")
    assert polling.headers["X-Frame-Options"] == "DENY"


def test_templates_have_no_inline_script_or_handler() -> None:
    import re

    for template in (ROOT / "templates").glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template.name
        assert not re.search(r"\son[a-z]+\s*=", text), template.name
        assert "javascript:" not in text, template.name


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


def test_every_page_extends_the_base_template(client) -> None:  # type: ignore[no-untyped-def]
    # The minutes are a standalone printable document, also rendered without Flask
    # (`quiz minutes` writes the PDF with no server), so they do not extend the page base.
    standalone = {"base.html", "minutes.html"}
    pages = [t for t in (ROOT / "templates").glob("*.html") if t.name not in standalone]
    assert len(pages) >= 6
    for template in pages:
        first = template.read_text(encoding="utf-8").splitlines()[0]
        assert first == '{% extends "base.html" %}', template.name
    for path in ["/", "/board", "/team", "/mc", "/nowhere"]:
        page = client.get(path).get_data(as_text=True)
        assert page.startswith('<!doctype html>\n<html lang="vi">'), path
        assert page.count("css/base.css") == 1 and page.count("<title>") == 1, path
        assert '<link rel="icon" href="data:,">' in page, path

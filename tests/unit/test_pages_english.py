"""The pages' own words in English: a `language: en` contest, and `?lang=en` on
a Vietnamese one, render no Vietnamese but the contest's data; the language
survives the login redirect, the links and the join sheet's QR codes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import FIXTURES, MINI_CONTEST

from quiz.web import Config, create_app

ENGLISH_CONTEST = FIXTURES / "english-contest" / "contest.yaml"
VIETNAMESE = re.compile(
    r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.I
)
PIN = "246810"
# Every page a person opens by address (the MC's after the login).
PAGES = [
    "/",
    "/board",
    "/team",
    "/t/ABCDEF",
    "/player",
    "/p/ABCDEF",
    "/judge",
    "/g/ABCDEF",
    "/jury",
]
LOGGED_IN = ["/mc", "/join-sheet", "/no-such-page"]


def vietnamese_lines(html: str, data: list[str]) -> list[str]:
    """The page's lines that still have Vietnamese once the contest's data is taken out."""
    for text in data:
        html = html.replace(text, "")
    html = re.sub(r"<svg.*?</svg>", "", html, flags=re.S)  # QR codes
    return [line.strip() for line in html.splitlines() if VIETNAMESE.search(line)]


@pytest.fixture
def english(tmp_path: Path) -> Iterator[object]:
    built = create_app(Config(ENGLISH_CONTEST, tmp_path, async_mode="threading", pin=PIN))
    yield built.flask.test_client()
    built.service.close()


@pytest.fixture
def vietnamese(tmp_path: Path) -> Iterator[object]:
    built = create_app(Config(MINI_CONTEST, tmp_path, async_mode="threading", pin=PIN))
    built.hub.urls["base"] = "http://192.0.2.7:5000"
    yield built.flask.test_client()
    built.service.close()


def test_an_english_contest_renders_every_page_in_english(english) -> None:  # type: ignore[no-untyped-def]
    found: dict[str, list[str]] = {}
    for path in PAGES:
        response = english.get(path)
        assert response.status_code == 200, path
        page = response.get_data(as_text=True)
        assert '<html lang="en">' in page, path
        found[path] = vietnamese_lines(page, [])
    assert english.post("/mc", data={"pin": PIN}).status_code == 303
    for path in LOGGED_IN:
        page = english.get(path).get_data(as_text=True)
        found[path] = vietnamese_lines(page, [])
    bad = {path: lines for path, lines in found.items() if lines}
    assert not bad, "\n".join(f"{p}: {line}" for p, lines in bad.items() for line in lines)
    sheet = english.get("/join-sheet").get_data(as_text=True)
    assert "Join code" in sheet and "Player cards — Ring the Golden Bell (3 players)" in sheet
    assert "Page not found" in english.get("/no-such-page").get_data(as_text=True)


def test_lang_en_on_a_vietnamese_contest(vietnamese) -> None:  # type: ignore[no-untyped-def]
    data = ["Hội thi kiểm thử", "Phần thi Hiểu biết", "Ban tổ chức"]
    data += ["Thị trấn Bo", "Xã Bình Sơn", "Xã Cuối Hạ"]
    for path in ["/", "/board", "/team", "/mc", "/player", "/judge"]:
        page = vietnamese.get(path + "?lang=en").get_data(as_text=True)
        assert '<html lang="en">' in page, path
        lines = vietnamese_lines(page, data)
        assert not lines, f"{path}?lang=en:\n" + "\n".join(lines)
    # The Vietnamese page is unchanged without the parameter.
    page = vietnamese.get("/mc").get_data(as_text=True)
    assert "Đăng nhập bảng điều khiển" in page and 'action="/mc"' in page


def test_the_language_survives_links_login_and_the_join_sheet(vietnamese) -> None:  # type: ignore[no-untyped-def]
    index = vietnamese.get("/?lang=en").get_data(as_text=True)
    for path in ["/board", "/team", "/mc"]:
        assert f'href="{path}?lang=en"' in index
    login = vietnamese.get("/mc?lang=en").get_data(as_text=True)
    assert 'action="/mc?lang=en"' in login
    wrong = vietnamese.post("/mc?lang=en", data={"pin": "000000"})
    assert wrong.status_code == 403
    assert "Wrong PIN" in wrong.get_data(as_text=True)
    assert "Mã PIN không đúng" in vietnamese.post("/mc", data={"pin": "000000"}).get_data(
        as_text=True
    )
    response = vietnamese.post("/mc?lang=en", data={"pin": PIN})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/mc?lang=en")
    console = vietnamese.get("/mc?lang=en").get_data(as_text=True)
    assert 'href="/join-sheet?lang=en"' in console and 'href="/minutes?lang=en"' in console
    sheet = vietnamese.get("/join-sheet?lang=en").get_data(as_text=True)
    assert re.search(r"http://192\.0\.2\.7:5000/t/[A-Z0-9]{6}\?lang=en", sheet)
    assert "Join code" in sheet and "Mã tham gia" not in sheet
    plain = vietnamese.get("/join-sheet").get_data(as_text=True)
    assert "?lang=" not in plain and "Mã tham gia" in plain
    assert vietnamese.post("/logout?lang=en").headers["Location"].endswith("/mc?lang=en")


def test_error_pages_follow_the_page_language(vietnamese) -> None:  # type: ignore[no-untyped-def]
    assert "Không tìm thấy trang" in vietnamese.get("/nowhere").get_data(as_text=True)
    page = vietnamese.get("/nowhere?lang=en").get_data(as_text=True)
    assert "Page not found" in page and "Error 404" in page
    assert not vietnamese_lines(page, [])


def test_the_scripts_catalogue_has_the_screens_words(vietnamese) -> None:  # type: ignore[no-untyped-def]
    script = vietnamese.get("/i18n/en.js").get_data(as_text=True)
    assert '"Đã kết nối": "Connected"' in script
    assert '"Phương án Đúng": "True"' in script
    # Vietnamese needs only the few messages whose text is not their id.
    vi = vietnamese.get("/i18n/vi.js").get_data(as_text=True)
    assert '"Phương án Đúng": "Đúng"' in vi and "Đã kết nối" not in vi

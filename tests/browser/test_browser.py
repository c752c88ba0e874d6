"""The screens in a real browser: MC, two team tablets and the board through
one `all` question and one `buzzer` question; every page offline-clean.

Drives the system Chromium through Playwright (sync API). Without Chromium or
Playwright the tests are skipped, except under CI (env CI set), where that is
a failure. Screenshots go to $QUIZ_ARTIFACTS (default artifacts/screenshots).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from conftest import LiveServer

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.browser, pytest.mark.live]

CHROMIUM = os.environ.get("QUIZ_CHROMIUM") or (
    "/usr/bin/chromium"
    if Path("/usr/bin/chromium").exists()
    else shutil.which("chromium") or "/usr/bin/chromium"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
WAIT_MS = 10_000  # every wait is bounded


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run under CI: {reason}")
    pytest.skip(reason)


try:
    from playwright.sync_api import Browser, Page, expect, sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None  # type: ignore[assignment]


def artifacts_dir() -> Path:
    folder = Path(os.environ.get("QUIZ_ARTIFACTS", str(ROOT / "artifacts" / "screenshots")))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if sync_playwright is None:
        _unavailable("the playwright package is not installed")
    if not Path(CHROMIUM).exists():
        _unavailable(f"no Chromium at {CHROMIUM} (set QUIZ_CHROMIUM)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


class Screen:
    """One page in its own browser context (own localStorage), with its errors."""

    def __init__(
        self, browser: Browser, name: str, width: int, height: int, prefix: str = ""
    ) -> None:
        self.name = name
        self.prefix = prefix  # e.g. the async mode, so runs under two modes keep both
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page: Page = self.context.new_page()
        self.page.set_default_timeout(WAIT_MS)
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        self.page.on("request", lambda req: self.requests.append(req.url))

    def _console(self, msg: Any) -> None:
        if msg.type == "error":
            self.errors.append(f"console: {msg.text}")

    def shot(self, tag: str) -> None:
        name = f"{self.prefix}-{tag}-{self.name}.png" if self.prefix else f"{tag}-{self.name}.png"
        self.page.screenshot(path=str(artifacts_dir() / name))

    def close(self) -> None:
        self.context.close()


def mc_login(page: Page, url: str, pin: str) -> None:
    """The MC's one login: the PIN form posts and the console connects by cookie."""
    page.goto(f"{url}/mc")
    expect(page.locator("#pin-form")).to_be_visible()
    page.fill("#pin-input", pin)
    page.click("#pin-form button")
    expect(page.locator("#conn")).to_have_text("Đã kết nối")
    assert pin not in page.url


def _row_total(page: Page, team: str) -> Any:
    return page.locator(f"#scores-body tr[data-team='{team}'] td.m-total")


def test_all_and_buzzer_question_through_every_screen(
    browser: Browser, live_server: LiveServer
) -> None:
    url = live_server.url
    codes = live_server.codes
    mode = live_server.async_mode
    screens = {
        "mc": Screen(browser, "mc", 1280, 800, mode),
        "team-a": Screen(browser, "team-a", 1280, 800, mode),
        "team-b": Screen(browser, "team-b", 390, 844, mode),
        "board": Screen(browser, "board", 1920, 1080, mode),
    }
    mc = screens["mc"].page
    team_a = screens["team-a"].page
    team_b = screens["team-b"].page
    board = screens["board"].page

    def shots(tag: str) -> None:
        for s in screens.values():
            s.shot(tag)

    try:
        mc_login(mc, url, live_server.pin)
        team_a.goto(f"{url}/t/{codes['bo']}")
        team_b.goto(f"{url}/t/{codes['binh-son']}")
        board.goto(f"{url}/board")
        for page in (mc, team_a, team_b, board):
            expect(page.locator("#conn")).to_have_text("Đã kết nối")
        expect(team_a.locator("#team-name")).to_have_text("Thị trấn Bo")
        expect(team_b.locator("#team-name")).to_have_text("Xã Bình Sơn")
        expect(mc.locator("#teams-summary")).to_contain_text("Đã kết nối 2/3")
        next_btn = mc.locator("#next-btn")
        expect(next_btn).to_contain_text("Bắt đầu phần thi")
        shots("01-lobby")

        # --- the `all` question --------------------------------------------
        next_btn.click()
        expect(board.locator("#intro-title")).to_have_text("Câu hỏi chung")
        expect(next_btn).to_contain_text("Hiện câu hỏi (Câu 1/6)")
        next_btn.click()
        expect(board.locator("#q-text")).to_contain_text("Chương trình tổng thể")
        expect(team_a.locator("#q-text")).to_contain_text("Chương trình tổng thể")
        expect(team_a.locator("#send-btn")).to_have_text("Chưa bắt đầu tính giờ")
        expect(team_a.locator("#send-btn")).to_be_disabled()
        expect(mc.locator("#key-answer")).to_have_text("Đáp án: B")
        shots("02-shown")

        expect(next_btn).to_contain_text("Bắt đầu tính giờ")
        next_btn.click()
        expect(team_a.locator("#message")).to_have_text("Mời đội chọn đáp án")
        expect(board.locator("#clock")).to_have_attribute(
            "data-state", re.compile("running|warning")
        )
        # allow_change: true, so a tap on a choice sends it at once.
        team_a.locator(".t-choice[data-key='B']").click()
        expect(team_a.locator(".t-choice[data-key='B']")).to_have_attribute("aria-pressed", "true")
        team_b.locator(".t-choice[data-key='A']").click()
        for page, shown in ((team_a, "B"), (team_b, "A")):
            status = page.locator("#send-status")
            expect(status).to_contain_text("Đã ghi nhận đáp án")
            expect(status).to_contain_text(shown)
            expect(status).to_have_attribute("data-tone", "ok")
        expect(board.locator("#strip")).to_contain_text("Đã trả lời: 2/3")
        expect(board.locator(".b-chip--done")).to_have_count(2)
        expect(board.locator("#q-boards")).to_be_hidden()  # never what, before time is up
        expect(mc.locator(".m-team[data-team='bo'] .m-team__value")).to_have_text("B")
        shots("03-answered")

        mc.locator("#close-btn").click()  # Dừng sớm asks first
        mc.locator("#close-yes").click()
        boards = board.locator("#q-boards")
        expect(boards).to_be_visible()
        expect(boards.locator(".b-card[data-team='bo'] .b-card__text")).to_have_text("B")
        expect(boards.locator(".b-card[data-team='binh-son'] .b-card__text")).to_have_text("A")
        expect(boards.locator(".b-card[data-team='cuoi-ha'] .b-card__text")).to_have_text(
            "Không trả lời"
        )
        expect(board.locator("#clock-label")).to_have_text("Đã dừng sớm")  # not "Hết giờ!"
        shots("04-boards")

        expect(next_btn).to_contain_text("Công bố đáp án")
        next_btn.click()
        expect(team_a.locator("#result")).to_contain_text("Chính xác!")
        expect(team_a.locator("#result")).to_contain_text("+10 điểm")
        expect(team_b.locator("#result")).to_contain_text("Chưa chính xác")
        expect(team_b.locator("#result")).to_contain_text("0 điểm")
        expect(team_a.locator("#team-score")).to_contain_text("Tổng điểm: 10")
        reveal = board.locator("#q-reveal")
        expect(reveal).to_contain_text("Đáp án đúng")
        expect(reveal).to_contain_text("B. Nghị quyết số 76/NQ-CP")
        expect(reveal).to_contain_text("Giải thích")
        expect(reveal).to_contain_text("Căn cứ")
        expect(board.locator(".b-opt--correct")).to_have_count(1)
        expect(board.locator(".b-opt--correct .b-opt__letter")).to_have_text("B")
        expect(boards.locator(".b-card[data-team='bo']")).to_have_class(re.compile("b-card--right"))
        expect(boards.locator(".b-card[data-team='binh-son']")).to_have_class(
            re.compile("b-card--wrong")
        )
        shots("05-revealed")

        # --- on to the buzzer round, by the next step alone -------------------
        for _ in range(40):
            label = next_btn.inner_text()
            if label.startswith("Sang phần thi"):
                break
            command = next_btn.get_attribute("data-command")
            if command == "close":  # answering is open: only "Dừng sớm" ends it early
                mc.locator("#close-btn").click()
                mc.locator("#close-yes").click()
            else:
                next_btn.click()
            expect(next_btn).not_to_have_attribute("data-command", command or "")
            if next_btn.get_attribute("data-command") != "close":  # open: it shows the clock
                expect(next_btn).to_be_enabled()
        expect(next_btn).to_contain_text("Sang phần thi: Giành quyền trả lời")
        next_btn.click()
        expect(board.locator("#intro-title")).to_have_text("Giành quyền trả lời")
        expect(next_btn).to_contain_text("Hiện câu hỏi (Câu 1/3)")
        next_btn.click()
        buzz_a = team_a.locator("#buzz-btn")
        expect(buzz_a).to_have_attribute("data-state", "closed")
        expect(buzz_a).to_have_text("Chưa được bấm chuông")
        expect(board.locator("#q-buzz")).to_contain_text("Chưa mở chuông")

        expect(next_btn).to_contain_text("Mở chuông")
        next_btn.click()
        expect(buzz_a).to_have_attribute("data-state", "open")
        expect(buzz_a).to_have_text("Bấm chuông!")
        shots("06-buzzers-open")
        buzz_a.click()
        expect(buzz_a).to_have_text("Đội giành quyền trả lời")
        expect(team_b.locator("#buzz-btn")).to_have_text("Đội khác đã giành quyền")
        panel = board.locator("#q-buzz")
        expect(panel).to_contain_text("Đội giành quyền trả lời")
        expect(panel.locator(".b-buzz__row--winner")).to_contain_text("Thị trấn Bo")
        expect(panel.locator(".b-buzz__row")).to_have_count(1)
        expect(mc.locator("#judge")).to_be_visible()
        expect(mc.locator("#judge-team")).to_have_text("Thị trấn Bo")
        expect(mc.locator("#buzz-panel")).to_contain_text("Thị trấn Bo")
        shots("07-buzz-won")

        mc.locator("#judge-right").click()
        expect(panel).to_contain_text("Chính xác!")
        expect(_row_total(mc, "bo")).to_have_text("20")
        expect(_row_total(mc, "binh-son")).to_have_text("0")
        expect(_row_total(mc, "cuoi-ha")).to_have_text("0")
        expect(mc.locator("#scores-body tr").first).to_have_attribute("data-team", "bo")
        expect(next_btn).to_contain_text("Công bố đáp án")
        next_btn.click()
        expect(team_a.locator("#result")).to_contain_text("Chính xác!")
        expect(team_a.locator("#team-score")).to_contain_text("Tổng điểm: 20")
        expect(board.locator("#q-reveal")).to_contain_text("A. Nghị định 61/2018/NĐ-CP")

        # --- the scoreboard on the board ------------------------------------
        mc.locator("#scores-toggle").click()
        scores = board.locator("#scores")
        expect(scores).to_be_visible()
        expect(scores).to_contain_text("Bảng xếp hạng")
        expect(scores.locator(".b-score[data-team='bo'] .b-score__total")).to_have_text("20")
        expect(scores.locator(".b-score[data-team='bo'] .b-score__rank")).to_have_text("1")
        expect(scores.locator(".b-score[data-team='binh-son'] .b-score__total")).to_have_text("0")
        expect(scores.locator(".b-score[data-team='cuoi-ha'] .b-score__total")).to_have_text("0")
        shots("08-scoreboard")

        for s in screens.values():
            assert not s.errors, f"{s.name}: {s.errors}"
    finally:
        for s in screens.values():
            s.close()


def test_every_page_loads_only_from_the_server(browser: Browser, live_server: LiveServer) -> None:
    url = live_server.url
    pin = live_server.pin
    pages = {
        "index": ("/", "h1"),
        "board": ("/board", "#conn.conn--ok"),
        "team": ("/team", "#join-form"),
        "team-code": (f"/t/{live_server.codes['bo']}", "#conn.conn--ok"),
        "mc": ("/mc", "#conn.conn--ok"),
        "join-sheet": ("/join-sheet", ".card"),
    }
    for name, (path, ready) in pages.items():
        screen = Screen(browser, f"page-{name}", 1280, 800, live_server.async_mode)
        try:
            if name in ("mc", "join-sheet"):
                mc_login(screen.page, url, pin)
            response = screen.page.goto(url + path)
            assert response is not None and response.ok, (
                f"{path}: HTTP {response and response.status}"
            )
            expect(screen.page.locator(ready).first).to_be_visible()
            screen.page.wait_for_timeout(500)  # let fonts and the socket settle
            screen.shot("pages")
            foreign = [u for u in screen.requests if not u.startswith(url + "/")]
            assert not foreign, f"{path} loaded from elsewhere: {foreign}"
            assert not screen.errors, f"{path}: {screen.errors}"
            assert screen.page.evaluate("document.documentElement.lang") == "vi"
            # The PIN is in no address, no storage and no cookie a script can read.
            assert pin not in screen.page.url
            stored = screen.page.evaluate("JSON.stringify(Object.entries(localStorage))")
            assert pin not in stored, stored
            assert pin not in screen.page.evaluate("document.cookie")
            headers = response.all_headers()
            assert "default-src 'self'" in headers["content-security-policy"]
        finally:
            screen.close()


def test_bad_code_and_bad_pin_show_their_forms(browser: Browser, live_server: LiveServer) -> None:
    url = live_server.url
    screen = Screen(browser, "bad", 390, 844)
    try:
        page = screen.page
        page.goto(f"{url}/t/ZZZZZZ")
        expect(page.locator("#join-form")).to_be_visible()
        expect(page.locator("#join-error")).to_contain_text("Mã tham gia không đúng")
        page.fill("#join-code", live_server.codes["cuoi-ha"].lower())
        page.click(".t-join__go")
        expect(page.locator("#team-name")).to_have_text("Xã Cuối Hạ")
        page.reload()  # the code is remembered: a reload rejoins
        expect(page.locator("#team-name")).to_have_text("Xã Cuối Hạ")

        page.goto(f"{url}/mc")
        expect(page.locator("#pin-form")).to_be_visible()
        page.fill("#pin-input", "000000x")
        page.click("#pin-form button")
        expect(page.locator("#pin-error")).to_contain_text("Mã PIN không đúng")
        screen.shot("bad-pin")
        page.fill("#pin-input", live_server.pin)
        page.click("#pin-form button")
        expect(page.locator("#next-btn")).to_contain_text("Bắt đầu phần thi")
        # The wrong try is listed on the console, with its address.
        expect(page.locator("#failed-logins")).to_contain_text("1 lần nhập sai mã PIN từ 127.0.0.1")
        screen.shot("failed-logins")
        page.reload()  # the cookie keeps the MC logged in
        expect(page.locator("#next-btn")).to_contain_text("Bắt đầu phần thi")
    finally:
        screen.close()


EVIL_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">
<rect width="200" height="100" fill="#0b2447"/>
<script>document.documentElement.setAttribute('data-ran', 'yes');
fetch('/ran-from-svg');</script>
</svg>
"""


def test_a_script_in_a_question_svg_never_runs(browser: Browser, tmp_path: Path) -> None:
    """A bank's SVG image with a script in it, opened directly, runs nothing."""
    from clients import Screen as SocketScreen
    from clients import next_step
    from conftest import FIXTURES, start_server

    folder = tmp_path / "contest"
    folder.mkdir()
    (folder / "evil.svg").write_text(EVIL_SVG, encoding="utf-8")
    bank = (FIXTURES / "mini-bank.yaml").read_text(encoding="utf-8")
    bank = bank.replace("    answer: B\n", "    answer: B\n    image: evil.svg\n", 1)
    (folder / "mini-bank.yaml").write_text(bank, encoding="utf-8")
    shutil.copy(FIXTURES / "mini-contest.yaml", folder / "mini-contest.yaml")
    server = start_server(folder / "mini-contest.yaml", tmp_path / "data")
    mc = SocketScreen(server.url, {"role": "mc", "pin": server.pin}, "mc")
    screen = Screen(browser, "svg", 1024, 768)
    try:
        next_step(mc)  # start the round
        next_step(mc)  # show q-single, with its image
        mc.wait(lambda v: (v.get("question") or {}).get("id") == "q-single")
        response = screen.page.goto(f"{server.url}/media/q-single")
        assert response is not None and response.ok
        expect(screen.page.locator("svg rect")).to_have_count(1)
        screen.page.wait_for_timeout(300)
        assert screen.page.locator("svg").get_attribute("data-ran") is None
        assert not [u for u in screen.requests if "ran-from-svg" in u]
        csp = response.all_headers().get("content-security-policy", "")
        assert "sandbox" in csp and "default-src 'none'" in csp, csp
    finally:
        screen.close()
        mc.close()
        server.stop()

"""A judged round in Chromium: the board at 1920x1080 and 1024x768 (each
judge's score and the result, big and within the screen), a judge's phone
(390x844) and a judge's laptop (1280x800): the team being scored, one score
or the criteria, send, "Đã ghi nhận", a change until the MC shows it; the MC
console (call team, who has scored, show). Screenshots to $QUIZ_ARTIFACTS.
"""

# ruff: noqa: F811
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from clients import Screen as SocketScreen
from clients import mc_do, next_step
from conftest import LiveServer, start_server, write_contest
from test_browser import WAIT_MS, Screen, browser, mc_login  # noqa: F401  (the module's Chromium)

pytestmark = [pytest.mark.browser, pytest.mark.live]

try:
    from playwright.sync_api import Browser, Page, expect
except ImportError:  # pragma: no cover - the browser fixture skips or fails first
    pass

JUDGES = [
    ("gk-a", "Bà Nguyễn Thị Thanh Hương"),
    ("gk-b", "Ông Bùi Văn Khánh"),
    ("gk-c", "Ông Đinh Công Sơn"),
    ("gk-d", "Bà Quách Thị Lan"),
    ("gk-e", "Ông Hoàng Minh Đức"),
]
HEAD = (
    "judges:\n"
    + "".join(f"  - {{id: {i}, name: {n}}}\n" for i, n in JUDGES)
    + """\
rounds:
  - id: chao-hoi
    title: Chào hỏi
    format: judged
    judges: [gk-a, gk-b, gk-c]
"""
)
TAIL = """\
  - id: tieu-pham
    title: Tiểu phẩm
    format: judged
    combine: trimmed_mean
    criteria:
      - {id: nd, title: Nội dung, max: 4}
      - {id: dx, title: Diễn xuất, max: 4}
      - {id: dc, title: Trang phục và đạo cụ, max: 2}
"""

# Text elements wider than their box (cut off), or outside the viewport.
OVERFLOW = """
(root) => {
  const bad = [];
  const vw = window.innerWidth, vh = window.innerHeight;
  for (const e of document.querySelectorAll(root + ' *')) {
    const own = Array.from(e.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own || !e.getClientRects().length) continue;
    const r = e.getBoundingClientRect();
    if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible')
      bad.push('cut: ' + e.textContent.trim().slice(0, 40));
    if (r.right > vw + 1 || r.bottom > vh + 1 || r.left < -1)
      bad.push('outside: ' + e.textContent.trim().slice(0, 40));
  }
  return bad;
}
"""


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveServer]:
    path = write_contest(tmp_path / "contest")
    text = path.read_text(encoding="utf-8").replace("rounds:\n", HEAD, 1)
    path.write_text(text + TAIL, encoding="utf-8")
    server = start_server(path, tmp_path / "data")
    try:
        yield server
    finally:
        server.stop()


def fits(page: Page, root: str) -> None:
    assert page.evaluate(OVERFLOW, root) == []


def test_a_judged_round_on_the_board_a_judge_s_phone_and_laptop(
    browser: Browser, live: LiveServer
) -> None:
    expect.set_options(timeout=WAIT_MS)  # the board catches up after a burst of commands
    codes = live.info["judge_codes"]
    mc = SocketScreen(live.url, {"role": "mc", "pin": live.pin}, "mc-socket")
    gk_c = SocketScreen(live.url, {"role": "judge", "code": codes["gk-c"]}, "gk-c")
    screens: list[Screen] = []

    def open_(name: str, path: str, w: int, h: int) -> Page:
        s = Screen(browser, name, w, h, "judged")
        screens.append(s)
        s.page.goto(live.url + path)
        return s.page

    def shot(tag: str) -> None:
        for s in screens:
            s.shot(tag)

    try:
        board = open_("board-1920", "/board", 1920, 1080)
        small = open_("board-1024", "/board", 1024, 768)
        phone = open_("judge-phone", f"/g/{codes['gk-a']}", 390, 844)
        laptop = open_("judge-laptop", "/judge", 1280, 800)
        tablet = open_("team-1024", f"/t/{live.codes['doi-01']}", 1024, 768)
        laptop.fill("#join-code", codes["gk-b"])
        laptop.click("#join-form button")
        expect(laptop.locator("#judge-name")).to_have_text("Ông Bùi Văn Khánh")
        console = Screen(browser, "mc-1280", 1280, 800, "judged")
        screens.append(console)
        mc_login(console.page, live.url, live.pin)
        expect(phone.locator(".j-judge__wait")).to_contain_text("Chờ phần thi")

        next_step(mc)  # Chào hỏi
        expect(console.page.locator("#next-btn")).to_contain_text("Mời đội: Thị trấn Bo (1/17)")
        expect(console.page.locator("#question-empty")).to_contain_text("17 đội lần lượt dự thi")
        shot("0-intro")
        next_step(mc)  # call Thị trấn Bo
        expect(phone.locator(".j-judge__team")).to_have_text("Thị trấn Bo")
        expect(board.locator(".j-board__team")).to_have_text("Thị trấn Bo")
        expect(console.page.locator(".j-mc__turn")).to_contain_text("Thị trấn Bo")
        expect(tablet.locator(".j-team__who")).to_have_text("Ban giám khảo đang chấm đội mình")

        # A score outside the scale is refused on the phone with the reason.
        phone.fill("#score-score", "10.5")
        phone.click(".j-judge__send")
        expect(phone.locator(".j-judge__status")).to_contain_text("từ 0 đến 10")
        phone.fill("#score-score", "8.5")
        phone.click(".j-judge__send")
        expect(phone.locator(".j-judge__status")).to_contain_text("Đã ghi nhận")
        expect(board.locator(".j-board__status")).to_have_text("Giám khảo đang chấm: 1/3")
        expect(console.page.locator(".j-mc__judge").first).to_contain_text("8,5")
        expect(board.locator(".j-board__jscore").first).to_have_text("✓")  # not the score yet
        shot("1-scoring")

        laptop.fill("#score-score", "9")
        laptop.click(".j-judge__send")
        expect(laptop.locator(".j-judge__status")).to_contain_text("Đã ghi nhận")
        assert gk_c.call("score", {"question": "chao-hoi:doi-01", "score": 7})["ok"]
        expect(board.locator(".j-board__rvalue")).to_have_text("8,17")  # 24.5 / 3 = 8.166..
        # a judge changes a score before the MC shows it
        phone.fill("#score-score", "10")
        phone.click(".j-judge__send")
        expect(board.locator(".j-board__rvalue")).to_have_text("8,67")  # 26 / 3
        expect(board.locator(".j-board__jscore")).to_have_text(["10", "9", "7"])
        expect(small.locator(".j-board__rvalue")).to_have_text("8,67")
        expect(console.page.locator("#next-btn, .m-next").first).to_contain_text("Công bố điểm")
        shot("2-all-scored")
        fits(board, "#format")
        fits(small, "#format")

        mc_do(mc, "reveal", question="chao-hoi:doi-01")
        expect(phone.locator(".j-judge__status")).to_contain_text("Điểm đã công bố")
        expect(phone.locator(".j-judge__send")).to_be_hidden()
        expect(board.locator(".j-board__status")).to_have_text("Đã công bố điểm")
        expect(tablet.locator(".j-team__result")).to_have_text("Kết quả: 8,67 điểm")
        assert tablet.locator("#answer").is_hidden() and tablet.locator("#message").is_hidden()
        expect(console.page.locator("#where")).to_contain_text("Đội 1/17 · Đã công bố điểm")
        shot("3-shown")
        fits(phone, "body")
        fits(laptop, "body")

        # the last team of the round, then tiểu phẩm with criteria and five judges
        for _ in range(16):
            next_step(mc)
            qid = mc.wait(lambda v: v["phase"] == "open")["question"]["id"]
            for judge in ("gk-c",):
                assert gk_c.call("score", {"question": qid, "score": 5})["ok"], judge
            mc_do(mc, "close", question=qid)
            mc_do(mc, "reveal", question=qid)
        while mc.view["round"]["id"] != "tieu-pham":
            step = mc.view["next"]
            if step["command"] == "start_round":
                next_step(mc)
                mc.wait(lambda v: v["phase"] == "intro")
                continue
            qid = step["question"]
            mc_do(mc, "show", question=qid)
            mc_do(mc, "open", question=qid)
            if mc.wait(lambda v: v["phase"] in ("open", "closed"))["phase"] == "open":
                mc_do(mc, "close", question=qid)
            mc_do(mc, "reveal", question=qid)
            mc.wait(lambda v: v["phase"] == "revealed")
        next_step(mc)  # call the first team of tiểu phẩm
        expect(phone.locator("#score-nd")).to_be_visible()
        phone.fill("#score-nd", "3.5")
        phone.fill("#score-dx", "3")
        phone.fill("#score-dc", "1.5")
        expect(phone.locator(".j-judge__total")).to_have_text("Tổng: 8 / 10")
        phone.click(".j-judge__send")
        expect(phone.locator(".j-judge__status")).to_contain_text("Đã ghi nhận")
        # the boards drew every view of the rounds run through above: let them catch up
        for page in (board, small):
            expect(page.locator("#head-round")).to_contain_text("Tiểu phẩm", timeout=60_000)
        expect(board.locator(".j-board__status")).to_have_text("Giám khảo đang chấm: 1/5")
        shot("4-criteria")
        fits(phone, "body")
        for s in screens:
            assert not s.errors, (s.name, s.errors)
    finally:
        for s in screens:
            s.close()
        mc.close()
        gk_c.close()

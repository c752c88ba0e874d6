"""Every screen as the hall sees it, in real Chromium at the venue's sizes.

- Nothing lost by a tap: a selection not sent never looks chosen after time
  up; with `allow_change` a tap sends; the MC's big button never closes
  answering, "Dừng sớm" asks first (mouse and keyboard); correction dialogs
  start empty, open from a team's card and sit in a drawer; a lost server
  covers the console.
- Every screen fits: order and 6-option questions on a phone and a tablet;
  the board with 17 and 60 teams at 1024x768 and 1920x1080 without overflow
  (scrollWidth > clientWidth) on any text element in any phase.
- Wording from the glossary; error pages in Vietnamese.
- Sound, wake lock and fullscreen on the board and tablets.

Reuses the browser fixtures of tests/browser/test_browser.py. Screenshots go to
$QUIZ_ARTIFACTS (default artifacts/screenshots).
"""

# The tests take the `browser` fixture of tests/browser/test_browser.py as a parameter:
# ruff: noqa: F811
from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from clients import Screen as SocketScreen
from clients import mc_do, next_step, write_generated_contest
from conftest import COMMUNES, LiveServer, start_server
from test_browser import WAIT_MS, Screen, browser  # noqa: F401  (the module's Chromium)

pytestmark = [pytest.mark.browser, pytest.mark.live]

try:
    from playwright.sync_api import Browser, Page, expect
except ImportError:  # pragma: no cover - the browser fixture skips or fails first
    pass


# ---------------------------------------------------------------------------
# The contest: every question type the screens must fit, 17 or 60 teams.
# ---------------------------------------------------------------------------

SIX = {
    "A": "Nghị quyết số 30c/NQ-CP năm 2011",
    "B": "Nghị quyết số 76/NQ-CP năm 2021",
    "C": "Quyết định số 225/QĐ-TTg năm 2016",
    "D": "Nghị định số 61/2018/NĐ-CP về cơ chế một cửa",
    "E": "Nghị định số 45/2020/NĐ-CP về thủ tục điện tử",
    "F": "Quyết định số 06/QĐ-TTg về Đề án 06",
}
EIGHT = {
    "A": "Quyết định 136/2001/QĐ-TTg (2001-2010)",
    "B": "Nghị quyết 30c/NQ-CP (2011-2020)",
    "C": "Nghị định 61/2018/NĐ-CP về một cửa",
    "D": "Nghị quyết 76/NQ-CP (2021-2030)",
    "E": "Quyết định 93/2007/QĐ-TTg về một cửa",
    "F": "Nghị định 45/2020/NĐ-CP về thủ tục điện tử",
    "G": "Quyết định 09/2015/QĐ-TTg về liên thông",
    "H": "Quyết định 06/QĐ-TTg về Đề án 06",
}
QUESTIONS: list[dict[str, Any]] = [
    {
        "id": "s6",
        "type": "single",
        "text": "Văn bản nào ban hành Chương trình tổng thể cải cách hành chính nhà nước "
        "giai đoạn 2021-2030?",
        "choices": SIX,
        "answer": "B",
        "time_limit": 90,
        "explanation": "Nghị quyết 76/NQ-CP ngày 15/7/2021.",
        "source": "Nghị quyết 76/NQ-CP",
    },
    {
        "id": "ord8",
        "type": "order",
        "text": "Sắp xếp các văn bản sau theo thứ tự thời gian ban hành.",
        "items": EIGHT,
        "answer": ["A", "E", "B", "G", "C", "F", "D", "H"],
        "time_limit": 90,
    },
    {
        "id": "tf",
        "type": "true_false",
        "text": "Cổng Dịch vụ công quốc gia khai trương ngày 09/12/2020.",
        "answer": False,
        "time_limit": 8,
    },
    {
        "id": "num",
        "type": "number",
        "text": "Nghị định 61/2018/NĐ-CP gồm bao nhiêu điều?",
        "answer": 41,
        "unit": "điều",
        "time_limit": 60,
    },
    {
        "id": "s4",
        "type": "single",
        "text": "Cơ quan nào chủ trì công bố Chỉ số cải cách hành chính PAR INDEX?",
        "choices": {
            "A": "Bộ Nội vụ",
            "B": "Bộ Tư pháp",
            "C": "Văn phòng Chính phủ",
            "D": "Bộ Tài chính",
        },
        "answer": "A",
        "time_limit": 60,
    },
    {
        "id": "txt",
        "type": "text",
        "text": "Viết tắt tiếng Anh của Chỉ số hài lòng về sự phục vụ hành chính là gì?",
        "answer": "SIPAS",
        "time_limit": 60,
    },
    {
        "id": "b1",
        "type": "single",
        "text": "Văn bản nào quy định cơ chế một cửa, một cửa liên thông năm 2018?",
        "choices": {
            "A": "Nghị định 61/2018/NĐ-CP",
            "B": "Nghị định 45/2020/NĐ-CP",
            "C": "Quyết định 09/2015/QĐ-TTg",
            "D": "Quyết định 93/2007/QĐ-TTg",
        },
        "answer": "A",
    },
]
ROUNDS: list[dict[str, Any]] = [
    {
        "id": "chot",
        "title": "Câu hỏi chung",
        "format": "all",
        "questions": ["s6", "ord8", "tf", "num"],
    },
    {
        "id": "doi",
        "title": "Đổi đáp án đến hết giờ",
        "format": "all",
        "allow_change": True,
        "questions": ["s4", "txt"],
    },
    {
        "id": "chuong",
        "title": "Giành quyền trả lời",
        "format": "buzzer",
        "buzz_window": 20,
        "answer_time": 5,
        "questions": ["b1"],
    },
]

LONG_NAMES = [
    "Xã Vĩnh Tiến Thượng Hạ Nam Bắc",
    "Thị trấn Lương Sơn Hòa Bình Mới",
    "Xã Nuông Dăm Đồng Bảng Liên Hiệp",
]


def teams_of(n: int) -> list[tuple[str, str]]:
    if n <= len(COMMUNES):
        names = list(COMMUNES[:n])
        names[-1] = LONG_NAMES[0]  # one long commune name among the 17
    else:
        names = [f"{COMMUNES[i % len(COMMUNES)]} {i // len(COMMUNES) + 1}" for i in range(n)]
        for i, long in enumerate(LONG_NAMES):
            names[i * 20 + 7] = long
    return [(f"d{i + 1:02d}", name) for i, name in enumerate(names)]


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("screens")


def serve(folder: Path, name: str, teams: int) -> LiveServer:
    path = write_generated_contest(folder / name, name, teams_of(teams), ROUNDS, QUESTIONS)
    return start_server(path, folder / name / "data")


@pytest.fixture
def server(folder: Path, request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    """A fresh 17-team server for one test (each test plays its own round)."""
    slug = re.sub(r"[^a-z0-9]+", "-", request.node.name[5:30].lower()).strip("-")
    live = serve(folder, f"c17-{slug}", 17)
    try:
        yield live
    finally:
        live.stop()


class Session:
    """A server with a Python MC (to set the scene) and browser screens."""

    def __init__(self, browser: Browser, live: LiveServer, prefix: str) -> None:
        self.browser = browser
        self.live = live
        self.prefix = prefix
        self.screens: list[Screen] = []
        self.mc = SocketScreen(live.url, {"role": "mc", "pin": live.pin}, "mc-socket")

    def open(self, name: str, path: str, width: int, height: int) -> Page:
        screen = Screen(self.browser, name, width, height, self.prefix)
        self.screens.append(screen)
        if path.startswith("/mc?pin="):
            # The MC logs in once through the PIN form; the console then connects by cookie.
            screen.page.goto(self.live.url + "/mc")
            screen.page.fill("#pin-input", path.removeprefix("/mc?pin="))
            screen.page.click("#pin-form button")
        else:
            screen.page.goto(self.live.url + path)
        return screen.page

    def team(self, team_id: str, width: int, height: int, name: str = "") -> Page:
        page = self.open(
            name or f"team-{team_id}-{width}", f"/t/{self.live.codes[team_id]}", width, height
        )
        expect(page.locator("#conn")).to_have_text("Đã kết nối")
        return page

    def shot(self, tag: str) -> None:
        for s in self.screens:
            s.shot(tag)

    def step(self, until: str | None = None) -> dict[str, Any]:
        """The MC's next step; `until`: wait for that phase."""
        before = self.mc.view["v"]
        next_step(self.mc)
        return self.mc.wait(lambda v: v["v"] > before and (until is None or v["phase"] == until))

    def close(self) -> None:
        # After a test kills the server, the browsers' failed reconnects are expected.
        lost = self.live.proc.poll() is not None
        errors = {
            s.name: [e for e in s.errors if not (lost and "ERR_CONNECTION_REFUSED" in e)]
            for s in self.screens
        }
        errors = {name: errs for name, errs in errors.items() if errs}
        for s in self.screens:
            s.close()
        self.mc.close()
        assert not errors, errors


# ---------------------------------------------------------------------------
# Measuring a page: overflow, visibility in the viewport.
# ---------------------------------------------------------------------------

OVERFLOW_JS = """
(vertical) => {
  const bad = [];
  const vw = window.innerWidth, vh = window.innerHeight;
  for (const e of document.querySelectorAll('body *')) {
    const own = Array.from(e.childNodes).some((n) => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const rects = e.getClientRects();
    if (!rects.length) continue; // not rendered
    const cs = getComputedStyle(e);
    if (cs.visibility === 'hidden') continue;
    const text = e.textContent.trim().slice(0, 60);
    const cls = String(e.className).split(' ')[0];
    const what = (e.id ? '#' + e.id : '') + '.' + cls + ' "' + text + '"';
    if (e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1) {
      bad.push('x-overflow ' + what + ' ' + e.scrollWidth + '>' + e.clientWidth);
    }
    const clipsY = ['hidden', 'clip'].includes(cs.overflowY);
    if (clipsY && e.clientHeight > 0 && e.scrollHeight > e.clientHeight + 2) {
      bad.push('y-overflow ' + what + ' ' + e.scrollHeight + '>' + e.clientHeight);
    }
    // Text cut by a clipping ancestor (a box with overflow hidden around it).
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      const as = getComputedStyle(a);
      const clip = (o) => o === 'hidden' || o === 'clip';
      if (!clip(as.overflowY) && !clip(as.overflowX)) continue;
      const ar = a.getBoundingClientRect();
      const er = e.getBoundingClientRect();
      const out = er.bottom > ar.bottom + 2 || er.top < ar.top - 2 || er.right > ar.right + 2;
      if (er.height > 0 && out) {
        bad.push('clipped ' + what + ' by .' + String(a.className).split(' ')[0]);
      }
      break;
    }
    const r = e.getBoundingClientRect();
    const offY = vertical && (r.bottom > vh + 1 || r.top < -1);
    if (r.width > 0 && (r.right > vw + 1 || r.left < -1 || offY)) {
      bad.push('off-screen ' + what + ' ' + JSON.stringify([r.left, r.top, r.right, r.bottom]));
    }
  }
  return bad;
}
"""


def overflow(page: Page, vertical: bool = True) -> list[str]:
    """Text overflowing its box, cut by a clipping box, or off screen (`vertical`:
    below the fold too, for screens that never scroll, like the board)."""
    return list(page.evaluate(OVERFLOW_JS, vertical))


def in_viewport(page: Page, selector: str) -> list[str]:
    """Every element matching `selector` that is not wholly inside the viewport."""
    return list(
        page.evaluate(
            """(sel) => Array.from(document.querySelectorAll(sel)).filter((e) => {
                const r = e.getBoundingClientRect();
                return !(r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0
                  && r.bottom <= innerHeight + 0.5 && r.right <= innerWidth + 0.5);
              }).map((e) => (e.dataset.key || e.id || e.className) + ' ' +
                JSON.stringify(e.getBoundingClientRect()))""",
            selector,
        )
    )


def wait_until(check: Any, timeout: float = WAIT_MS / 1000) -> Any:
    """Poll `check()` until it returns something truthy (bounded)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.1)


# ---------------------------------------------------------------------------
# 2. Nothing lost by a tap
# ---------------------------------------------------------------------------


def test_unsent_choice_never_looks_chosen_and_close_early_asks_first(
    browser: Browser, server: LiveServer
) -> None:
    s = Session(browser, server, "s2-close")
    try:
        mc = s.open("mc-1366", f"/mc?pin={server.pin}", 1366, 768)
        tablet = s.team("d01", 1280, 800, "tablet-d01")
        phone = s.team("d02", 390, 844, "phone-d02")
        expect(mc.locator("#conn")).to_have_text("Đã kết nối")
        s.step("intro")
        s.step("shown")
        next_btn = mc.locator("#next-btn")
        expect(next_btn).to_contain_text("Bắt đầu tính giờ")
        next_btn.click()  # the MC opens answering from the console
        expect(next_btn).to_have_attribute("data-mode", "waiting")
        # While answering is open the big button shows the countdown and what comes next.
        expect(next_btn).to_contain_text("Đang nhận đáp án")
        expect(next_btn).to_contain_text(re.compile(r"\d+ giây"))
        expect(next_btn).to_contain_text("Tiếp theo: Công bố đáp án")
        expect(next_btn).to_be_disabled()
        mc.keyboard.press("Space")  # neither a click nor Space ends answering
        next_btn.click(force=True)
        expect(mc.locator(".toast").last).to_contain_text("Dừng sớm")

        # A tablet without allow_change: select, then send; "Chưa gửi" pulses from the first tap.
        expect(tablet.locator(".t-choice")).to_have_count(6)
        tablet.locator(".t-choice[data-key='C']").click()
        unsent = tablet.locator("#unsent")
        expect(unsent).to_be_visible()
        expect(unsent).to_have_text("Chưa gửi")
        expect(unsent).to_have_attribute("data-urgent", "no")
        assert (
            tablet.evaluate("getComputedStyle(document.querySelector('#unsent')).animationName")
            != "none"
        )
        phone.locator(".t-choice[data-key='B']").click()
        phone.locator("#send-btn").click()
        expect(phone.locator("#send-status")).to_contain_text("Đã ghi nhận đáp án: B")
        expect(phone.locator("#unsent")).to_be_hidden()
        s.shot("01-open")

        # "Dừng sớm": one click only asks; "Không" keeps answering open.
        mc.locator("#close-btn").click()
        confirm = mc.locator("#close-confirm")
        expect(confirm).to_be_visible()
        expect(confirm).to_contain_text("Dừng nhận đáp án của mọi đội")
        s.shot("02-confirm")
        mc.locator("#close-no").click()
        expect(confirm).to_be_hidden()
        # By keyboard: D asks, Escape keeps it open, D then Enter confirms.
        mc.keyboard.press("d")
        expect(confirm).to_be_visible()
        expect(mc.locator("#close-yes")).to_be_focused()
        mc.keyboard.press("Escape")
        expect(confirm).to_be_hidden()
        time.sleep(0.3)
        assert s.mc.view["phase"] == "open"
        mc.keyboard.press("d")
        expect(mc.locator("#close-yes")).to_be_focused()
        mc.keyboard.press("Enter")
        s.mc.wait(lambda v: v["phase"] == "closed")

        # Time up: the selection never sent is not shown as chosen.
        expect(tablet.locator(".t-choice[data-key='C']")).to_have_attribute("aria-pressed", "false")
        expect(tablet.locator("#send-status")).to_have_text("Chưa gửi — không được tính")
        expect(tablet.locator("#message")).to_contain_text("Đã dừng sớm")
        expect(tablet.locator("#message")).not_to_contain_text("Hết giờ!")
        expect(phone.locator(".t-choice[data-key='B']")).to_have_attribute("aria-pressed", "true")
        expect(mc.locator(".m-team[data-team='d01'] .m-team__answer")).to_have_text(
            "Đã hết giờ — không trả lời"
        )
        expect(mc.locator("#clock-label")).to_have_text("Đã dừng sớm")
        s.shot("03-closed")
    finally:
        s.close()


def test_corrections_in_a_drawer_start_empty_and_a_lost_server_covers_the_console(
    browser: Browser, server: LiveServer
) -> None:
    s = Session(browser, server, "s2-corr")
    try:
        s.team("d01", 1280, 800, "tablet-d01")
        pages = {
            size: s.open(f"mc-{size[0]}x{size[1]}", f"/mc?pin={server.pin}", *size)
            for size in ((1366, 768), (1280, 800))
        }
        s.step("intro")
        s.step("shown")
        for (width, _height), mc in pages.items():
            expect(mc.locator("#conn")).to_have_text("Đã kết nối")
            next_btn = mc.locator("#next-btn")
            expect(next_btn).to_contain_text("Bắt đầu tính giờ")
            # The corrections drawer opens beside the next step: nothing scrolls away.
            mc.locator("#drawer-toggle").click()
            for sel in ("#adjust-btn", "#set-answer-btn", "#void-btn", "#undo-btn", "#next-btn"):
                expect(mc.locator(sel)).to_be_in_viewport(ratio=1)
            assert mc.evaluate("scrollY") == 0
            s.shot(f"01-drawer-{width}")

            # From the panel: no team, no verdict chosen.
            mc.locator("#set-answer-btn").click()
            dialog = mc.locator("#dialog")
            expect(dialog).to_be_visible()
            team_select = dialog.get_by_label("Đội thi", exact=True)
            mode_select = dialog.get_by_label("Cách nhập", exact=True)
            assert team_select.input_value() == ""
            assert mode_select.input_value() == ""
            expect(team_select.locator("option:checked")).to_have_text("— Chọn đội thi —")
            expect(mode_select.locator("option:checked")).to_have_text("— Chọn cách nhập —")
            dialog.locator("textarea").fill("Thử")
            mc.locator("#dialog-ok").click()
            expect(mc.locator("#dialog-error")).to_have_text("Chọn đội thi")
            s.shot(f"02-dialog-empty-{width}")
            mc.locator("#dialog-cancel").click()
            mc.locator("#adjust-btn").click()
            assert dialog.get_by_label("Đội thi", exact=True).input_value() == ""
            mc.locator("#dialog-cancel").click()
            mc.locator("#drawer-toggle").click()

            # From a team's card: that team is chosen, the verdict still is not.
            card = mc.locator(".m-team[data-team='d05']")
            card.locator("[data-action='set-answer']").click()
            assert team_select.input_value() == "d05"
            assert mode_select.input_value() == ""
            s.shot(f"03-dialog-from-card-{width}")
            mc.locator("#dialog-cancel").click()
            card.locator("[data-action='adjust']").click()
            assert dialog.get_by_label("Đội thi", exact=True).input_value() == "d05"
            mc.locator("#dialog-cancel").click()

        # The server goes away: the whole console says so and claims nothing.
        server.kill()
        for (width, _h), mc in pages.items():
            overlay = mc.locator("#offline")
            expect(overlay).to_be_visible()
            expect(overlay).to_contain_text("Mất kết nối máy chủ — đang kết nối lại")
            box = overlay.bounding_box()
            assert box is not None and box["width"] >= width - 1 and box["height"] >= 700
            expect(mc.locator("#next-btn")).to_be_disabled()
            expect(mc.locator("#adjust-btn")).to_be_disabled()
            expect(mc.locator(".m-team__conn.is-on")).to_have_count(0)
            expect(mc.locator(".m-team[data-team='d01'] .m-team__conn")).to_have_text("Chưa rõ")
            expect(mc.locator("#teams-summary")).to_contain_text("Chưa rõ kết nối của các đội")
            mc.keyboard.press("Space")
            s.shot(f"04-offline-{width}")
    finally:
        s.close()


# ---------------------------------------------------------------------------
# 3. Every screen fits
# ---------------------------------------------------------------------------

BOARD_SIZES = ((1024, 768), (1920, 1080))


def answer_as(live: LiveServer, team_ids: list[str], question: str, value: Any) -> None:
    """Teams answer through their own sockets (the board must show their cards)."""
    for team in team_ids:
        tablet = SocketScreen(live.url, {"role": "team", "code": live.codes[team]}, team)
        try:
            ack = tablet.call(
                "answer",
                {
                    "question": question,
                    "value": value,
                    "press": int(time.time() * 1000),
                    "id": f"n-{team}-{question}",
                },
            )
            assert ack.get("ok"), ack
        finally:
            tablet.close()


def check_board(s: Session, boards: dict[tuple[int, int], Page], tag: str, options: bool) -> None:
    for (width, height), page in boards.items():
        page.wait_for_timeout(250)  # the board redraws and fits on the next frame
        s.shot(tag) if False else None
        problems = overflow(page)
        shot = next(sc for sc in s.screens if sc.page is page)
        shot.shot(tag)
        assert not problems, f"{tag} at {width}x{height}: {problems}"
        if options and width == 1024:
            sizes = page.evaluate(
                "Array.from(document.querySelectorAll('#q-opts .b-opt__text'))"
                ".map((e) => parseFloat(getComputedStyle(e).fontSize))"
            )
            assert sizes and min(sizes) >= 24, f"{tag}: option text {sizes} px at 1024x768"
        # No team name is clipped: every name shows in full (shrunk or wrapped, never cut).
        clipped = page.evaluate(
            """() => Array.from(document.querySelectorAll(
                '.b-card__name, .b-chip, .b-score__name, .b-buzz__name, .b-lobby__team'))
              .filter((e) => e.getClientRects().length)
              .filter((e) => e.scrollWidth > e.clientWidth + 1
                || e.scrollHeight > e.clientHeight + 2
                || getComputedStyle(e).textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth)
              .map((e) => e.textContent)"""
        )
        assert not clipped, f"{tag} at {width}x{height}: clipped names {clipped}"


@pytest.mark.parametrize("teams", [17, 60])
def test_board_fits_every_phase_with_17_and_60_teams(
    browser: Browser, folder: Path, teams: int
) -> None:
    live = serve(folder, f"board-{teams}", teams)
    s = Session(browser, live, f"s3-board{teams}")
    try:
        boards = {
            size: s.open(f"board-{size[0]}x{size[1]}", "/board", *size) for size in BOARD_SIZES
        }
        for page in boards.values():
            expect(page.locator("#conn")).to_have_text("Đã kết nối")
        ids = [t for t, _ in teams_of(teams)]
        check_board(s, boards, "01-lobby", False)
        s.step("intro")
        check_board(s, boards, "02-intro", False)
        for qid, value in (("s6", "B"), ("ord8", list("AEBGCFDH"))):
            s.step("shown")
            check_board(s, boards, f"03-{qid}-shown", qid == "s6")
            s.step("open")
            answer_as(live, ids[:9] + [ids[-1]], qid, value)
            check_board(s, boards, f"04-{qid}-open", qid == "s6")
            s.step("closed")
            check_board(s, boards, f"05-{qid}-boards", False)
            s.step("revealed")
            check_board(s, boards, f"06-{qid}-revealed", False)
        mc_do(s.mc, "scoreboard", show=True)
        check_board(s, boards, "07-scores", False)
        mc_do(s.mc, "scoreboard", show=False)
    finally:
        s.close()
        live.stop()


def unhidden(page: Page, selector: str) -> list[str]:
    """Elements of `selector` not fully on screen or covered by something else."""
    return list(
        page.evaluate(
            """(sel) => Array.from(document.querySelectorAll(sel)).filter((e) => {
                const r = e.getBoundingClientRect();
                if (!(r.width > 0 && r.top >= 0 && r.bottom <= innerHeight + 0.5
                      && r.left >= 0 && r.right <= innerWidth + 0.5)) return true;
                const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
                return !(hit && (hit === e || e.contains(hit)));
              }).map((e) => (e.dataset.key || e.id || e.className))""",
            selector,
        )
    )


def test_tablet_and_phone_fit_order_and_six_choices_and_unsent_pulses_in_the_last_5_s(
    browser: Browser, server: LiveServer
) -> None:
    s = Session(browser, server, "s3-fit")
    try:
        tablet = s.team("d01", 1280, 800, "tablet-1280x800")
        phone = s.team("d02", 390, 844, "phone-390x844")
        mc = s.open("mc-1280", f"/mc?pin={server.pin}", 1280, 800)
        s.step("intro")
        # A 6-option single: all six and the send button on screen, nothing scrolled.
        s.step("shown")
        s.step("open")
        for page in (tablet, phone):
            expect(page.locator(".t-choice")).to_have_count(6)
            page.locator(".t-choice[data-key='A']").click()
            assert not unhidden(page, ".t-choice"), unhidden(page, ".t-choice")
            assert not unhidden(page, "#send-btn"), "send button off screen"
            assert not unhidden(page, "#clock"), "countdown off screen"
            assert page.evaluate("scrollY") == 0
            assert not overflow(page, False), overflow(page, False)
        s.shot("01-six")
        for page in (tablet, phone):
            page.locator("#send-btn").click()
            expect(page.locator("#send-status")).to_contain_text("Đã ghi nhận đáp án")
        s.step("closed")
        s.step("revealed")

        # An order question with 8 items: every item tappable without scrolling,
        # the countdown on screen.
        s.step("shown")
        s.step("open")
        for page in (tablet, phone):
            expect(page.locator(".t-order__item")).to_have_count(8)
        s.shot("02-order")
        for page in (tablet, phone):
            expect(page.locator("#message")).to_have_text("Mời đội sắp xếp theo thứ tự đúng")
            assert not unhidden(page, ".t-order__item"), unhidden(page, ".t-order__item")
            assert not unhidden(page, "#clock"), "countdown off screen"
            assert not overflow(page, False), overflow(page, False)
        for page in (tablet, phone):
            for key in "AEBGCFDH":
                page.locator(f".t-order__item[data-key='{key}']").click()
            assert not unhidden(page, "#send-btn"), "send button off screen"
            assert not unhidden(page, "#clock"), "countdown off screen"
        s.shot("03-order-done")
        phone.locator("#send-btn").click()
        expect(phone.locator("#send-status")).to_contain_text("Đã ghi nhận đáp án")
        s.step("closed")
        s.step("revealed")

        # True/false, 8 s: the unsent tap pulses, strongest in the last 5 s; then it is not counted.
        s.step("shown")
        s.step("open")
        tablet.locator(".t-tf--true").click()
        unsent = tablet.locator("#unsent")
        expect(unsent).to_have_attribute("data-urgent", "no")
        phone.locator(".t-tf--false").click()
        phone.locator("#send-btn").click()
        expect(phone.locator("#send-status")).to_contain_text("Đã ghi nhận đáp án: Sai")
        expect(unsent).to_have_attribute("data-urgent", "yes", timeout=6000)
        s.shot("04-tf-last5")
        s.mc.wait(lambda v: v["phase"] == "closed", timeout=10)
        expect(tablet.locator("#send-status")).to_have_text("Chưa gửi — không được tính")
        expect(tablet.locator(".t-tf--true")).to_have_attribute("aria-pressed", "false")
        expect(tablet.locator("#message")).to_contain_text("Hết giờ!")
        # On the MC: the T/F card reads the verdict, the team's pick beside it.
        card = mc.locator(".m-team[data-team='d02']")
        expect(card.locator(".m-team__value")).to_have_text("Đúng")
        expect(card.locator(".m-team__answer")).to_contain_text("✓")
        expect(card.locator(".m-team__answer")).to_contain_text("đội chọn: Sai")
        expect(mc.locator(".m-team[data-team='d01'] .m-team__answer")).to_have_text(
            "Đã hết giờ — không trả lời"
        )
        s.shot("05-tf-closed")

        # A number: "Mời đội nhập câu trả lời".
        s.step("revealed")
        s.step("shown")
        s.step("open")
        for page in (tablet, phone):
            expect(page.locator("#message")).to_have_text("Mời đội nhập câu trả lời")
            assert not overflow(page, False), overflow(page, False)
        s.shot("06-number")
    finally:
        s.close()


def test_every_error_page_speaks_vietnamese(browser: Browser, server: LiveServer) -> None:
    s = Session(browser, server, "s3-errors")
    try:
        screen = Screen(browser, "errors", 1280, 800, "s3-errors")
        s.screens.append(screen)
        page = screen.page
        cases = {
            "/khong-co-trang-nay": (404, "Không tìm thấy trang"),
            "/join-sheet?pin=000000": (403, "Không có quyền truy cập"),
            "/results.csv": (403, "Không có quyền truy cập"),
            "/media/khong-co": (404, "Không tìm thấy trang"),
        }
        for path, (status, title) in cases.items():
            response = page.goto(server.url + path)
            assert response is not None and response.status == status, (path, response)
            expect(page.locator("#error-title")).to_have_text(title)
            body = page.locator("body").inner_text()
            for english in ("Not Found", "Forbidden", "Internal Server Error", "requested URL"):
                assert english not in body, (path, body)
            assert page.evaluate("document.documentElement.lang") == "vi"
            screen.shot(f"{status}-{path.strip('/').split('?')[0].replace('/', '-')}")
        # A wrong method is refused in Vietnamese too.
        response = page.request.post(server.url + "/board")
        assert response.status == 405 and "Thao tác không được hỗ trợ" in response.text()
        screen.errors.clear()  # the 4xx responses themselves are logged as console errors
    finally:
        s.close()


# ---------------------------------------------------------------------------
# 5. Sound on the board, fullscreen, wake lock on tablets
# ---------------------------------------------------------------------------

WAKE_LOCK_STUB = """
window.__wl = { requests: 0, sentinel: null };
Object.defineProperty(navigator, 'wakeLock', { configurable: true, value: {
  request: async (kind) => {
    window.__wl.requests += 1;
    const listeners = [];
    const sentinel = {
      released: false, type: kind,
      addEventListener: (name, fn) => { if (name === 'release') listeners.push(fn); },
      release: async () => { sentinel.released = true; listeners.forEach((fn) => fn()); },
    };
    window.__wl.sentinel = sentinel;
    return sentinel;
  },
} });
"""


def played(page: Page) -> list[str]:
    return str(page.evaluate("document.body.dataset.played || ''")).split()


def test_board_sound_fullscreen_pill_and_tablet_wake_lock(
    browser: Browser, server: LiveServer
) -> None:
    s = Session(browser, server, "s5-sound")
    try:
        board = s.open("board-1920x1080", "/board", 1920, 1080)
        small = s.open("board-1024x768", "/board", 1024, 768)
        mc = s.open("mc-1280", f"/mc?pin={server.pin}", 1280, 800)
        tablet_screen = Screen(browser, "tablet-wake", 1280, 800, "s5-sound")
        s.screens.append(tablet_screen)
        tablet_screen.context.add_init_script(WAKE_LOCK_STUB)
        tablet = tablet_screen.page
        tablet.goto(f"{server.url}/t/{server.codes['d01']}")

        # Wake lock: taken at once, taken again when the page is visible again.
        expect(tablet.locator("body")).to_have_attribute("data-wakelock", "on")
        assert tablet.evaluate("window.__wl.requests") == 1
        tablet.evaluate(
            """async () => {
              await window.__wl.sentinel.release();  // the browser drops it when hidden
              Object.defineProperty(document, 'visibilityState',
                { configurable: true, get: () => 'visible' });
              document.dispatchEvent(new Event('visibilitychange'));
            }"""
        )
        expect(tablet.locator("body")).to_have_attribute("data-wakelock", "on")
        assert tablet.evaluate("window.__wl.requests") == 2

        # Sound: locked until one click on the board; the MC sees it.
        sound_btn = board.locator("#sound-btn")
        expect(board.locator("body")).to_have_attribute("data-sound", "locked")
        expect(sound_btn).to_have_text("Nhấn để bật âm thanh")
        toggle = mc.locator("#sound-toggle")
        expect(toggle).to_have_text("Âm thanh màn hình: chưa bật")
        s.shot("01-locked")
        board.mouse.click(960, 600)
        small.mouse.click(500, 400)
        expect(board.locator("body")).to_have_attribute("data-sound", "on")
        expect(toggle).to_have_text("Âm thanh màn hình: bật")

        # The reveal, the last 5 s, time up, and a buzz won are heard.
        s.step("intro")
        assert board.locator("#head-round").inner_text() == ""  # the intro says it once
        intro = "4 câu hỏi. Bấm “Hiện câu hỏi (Câu 1/4)”."
        expect(mc.locator("#question-empty")).to_have_text(intro)
        expect(mc.locator("#where")).to_contain_text("Phần thi 1/3: Câu hỏi chung")
        expect(board.locator("#intro-title")).to_have_text("Câu hỏi chung")
        for _ in range(2):  # s6, ord8: closed early, then revealed
            s.step("shown")
            s.step("open")
            s.step("closed")
            s.step("revealed")
        assert played(board).count("reveal") == 2, played(board)
        assert "timeup" not in played(board), "Dừng sớm is not time up"
        s.step("shown")
        s.step("open")  # tf: 8 s
        s.mc.wait(lambda v: v["phase"] == "closed", timeout=12)
        wait_until(lambda: "timeup" in played(board), 3)
        sounds = played(board)
        assert sounds.count("tick") == 5 and sounds.count("timeup") == 1, sounds
        s.step("revealed")
        s.shot("02-after-tf")
        for _ in range(2):  # on through the rest of round 1 and round 2, to the buzzer round
            for _ in range(20):
                if s.mc.view["next"]["command"] == "start_round":
                    break
                s.step()
            s.step("intro")
        s.step("shown")
        s.step("open")
        team = SocketScreen(server.url, {"role": "team", "code": server.codes["d03"]}, "d03")
        try:
            ack = team.call("buzz", {"question": "b1", "press": int(time.time() * 1000)})
            assert ack.get("ok"), ack
        finally:
            team.close()
        wait_until(lambda: "buzz" in played(board), 3)
        assert played(board)[-1] == "buzz", played(board)
        s.shot("03-buzz")

        # A mute on the board, a mute on the MC.
        sound_btn.click()
        expect(board.locator("body")).to_have_attribute("data-sound", "muted")
        expect(toggle).to_have_text("Âm thanh màn hình: bật 1/2")
        sound_btn.click()
        expect(board.locator("body")).to_have_attribute("data-sound", "on")
        toggle.click()
        expect(board.locator("body")).to_have_attribute("data-sound", "mc-off")
        expect(sound_btn).to_have_text("MC đã tắt tiếng")
        expect(toggle).to_have_text("Âm thanh màn hình: đã tắt")
        s.shot("04-mc-muted")
        toggle.click()
        expect(board.locator("body")).to_have_attribute("data-sound", "on")

        # Fullscreen from the board.
        board.locator("#fullscreen-btn").click()
        expect(board.locator("body")).to_have_attribute("data-fullscreen", "on")
        expect(board.locator("#fullscreen-btn")).to_have_text("Thoát toàn màn hình")

        # Cut off: the pill grows, and never covers the round label.
        server.kill()
        for page in (board, small):
            expect(page.locator("#conn")).to_have_attribute(
                "data-status", re.compile("reconnecting|offline")
            )
            expect(page.locator("#head-round")).not_to_be_empty()
            a = page.locator("#conn").bounding_box()
            b = page.locator("#head-round").bounding_box()
            assert a and b
            apart = a["x"] >= b["x"] + b["width"] or b["x"] >= a["x"] + a["width"]
            assert apart or a["y"] >= b["y"] + b["height"] or b["y"] >= a["y"] + a["height"], (a, b)
            assert not overflow(page), overflow(page)
        s.shot("05-offline")
    finally:
        s.close()


def test_with_allow_change_every_tap_is_sent(browser: Browser, server: LiveServer) -> None:
    s = Session(browser, server, "s2-change")
    try:
        phone = s.team("d04", 390, 844, "phone-390x844")
        s.step("intro")
        for _ in range(20):  # through round 1 to the allow_change round
            if s.mc.view["next"]["command"] == "start_round":
                break
            s.step()
        s.step("intro")
        s.step("shown")
        s.step("open")
        expect(phone.locator("#answer-hint")).to_contain_text("đáp án được gửi ngay")
        expect(phone.locator("#send-btn")).to_be_hidden()  # a tap is the send
        for key in ("A", "C"):
            phone.locator(f".t-choice[data-key='{key}']").click()
            expect(phone.locator("#send-status")).to_contain_text(f"Đã ghi nhận đáp án: {key}")
            expect(phone.locator("#unsent")).to_be_hidden()
            s.mc.wait(
                lambda v, key=key: any(
                    a["team"] == "d04" and a["answer"] == key for a in v.get("answers") or []
                )
            )
        s.shot("01-changed")
        s.step("closed")
        expect(phone.locator(".t-choice[data-key='C']")).to_have_attribute("aria-pressed", "true")
        expect(phone.locator(".t-choice[data-key='A']")).to_have_attribute("aria-pressed", "false")
    finally:
        s.close()

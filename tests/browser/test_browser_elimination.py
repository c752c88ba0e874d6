"""Rung chuông vàng in real Chromium: the board's floor of 500 tiles at
1920x1080 and 1024x768, the phone at 390x844, the MC's panel at 1280x800.

Two phones are real pages (one stays on the floor, one leaves and answers the
rescue question); the other players answer through sockets. Screenshots go to
$QUIZ_ARTIFACTS (default artifacts/screenshots).
"""

# ruff: noqa: F811
from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import socketio
from clients import Screen as SocketScreen
from clients import mc_do
from conftest import LiveServer, start_server
from test_browser import Screen, browser  # noqa: F401  (the module's Chromium)
from test_browser_screens import overflow

pytestmark = [pytest.mark.browser, pytest.mark.live]

try:
    from playwright.sync_api import Browser, Page, expect
except ImportError:  # pragma: no cover - the browser fixture skips or fails first
    pass

N = 500
BANK = """\
bank: rcv
title: Rung chuông vàng
defaults: {time_limit: 60, points: 10}
questions:
  - id: q1
    type: single
    text: "Cơ quan nào chủ trì công bố Chỉ số cải cách hành chính (PAR INDEX) hằng năm?"
    choices: {A: Bộ Tư pháp, B: Bộ Nội vụ, C: Văn phòng Chính phủ, D: Bộ Tài chính}
    answer: B
  - id: q2
    type: true_false
    text: "Bộ phận Một cửa tiếp nhận hồ sơ thủ tục hành chính của tổ chức, cá nhân."
    answer: true
  - id: q3
    type: single
    text: "Nghị quyết nào ban hành Chương trình tổng thể cải cách hành chính 2021-2030?"
    choices:
      A: Nghị quyết 30c/NQ-CP
      B: Nghị quyết 76/NQ-CP
      C: Nghị quyết 17/NQ-CP
      D: Nghị quyết 02/NQ-CP
    answer: B
  - id: cuu-1
    type: true_false
    text: "Cổng Dịch vụ công quốc gia khai trương tháng 12 năm 2019."
    answer: true
"""
FIRST = ["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Đặng", "Bùi"]
LAST = ["Văn An", "Thị Hoa", "Minh Tuấn", "Thị Thu Trang", "Quang Vinh", "Ngọc Lan"]


def number(i: int) -> str:
    return f"{i:03d}"


def write_contest(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "rcv.yaml").write_text(BANK, encoding="utf-8")
    players = "".join(
        f"  - {{number: '{number(i)}', name: {FIRST[i % 8]} {LAST[i % 6]}}}\n"
        for i in range(1, N + 1)
    )
    (folder / "contest.yaml").write_text(
        "contest: rcv-browser\ntitle: Rung chuông vàng — Tìm hiểu cải cách hành chính\n"
        "banks: [rcv.yaml]\nplayers:\n" + players + "rounds:\n  - id: rcv\n"
        "    title: Rung chuông vàng\n    format: elimination\n    questions: [q1, q2, q3]\n"
        "    rescue: {max: 1, when_below: 10, modes: [all, question, pick], questions: [cuu-1]}\n",
        encoding="utf-8",
    )
    return folder / "contest.yaml"


@pytest.fixture
def rcv(tmp_path: Path) -> Iterator[LiveServer]:
    server = start_server(write_contest(tmp_path / "contest"), tmp_path / "data")
    try:
        yield server
    finally:
        server.stop()


async def _answer(url: str, codes: dict[str, str], qid: str, plan: dict[str, Any]) -> int:
    """Players answer through sockets (connect, answer, stay connected briefly)."""
    gate = asyncio.Semaphore(16)
    ok = 0

    async def one(n: str, value: Any) -> None:
        nonlocal ok
        sio = socketio.AsyncClient(reconnection=False)
        async with gate:
            await sio.connect(
                url,
                auth={"role": "player", "code": codes[n]},
                transports=["websocket"],
                wait_timeout=30,
            )
            ack = await sio.call("answer", {"question": qid, "value": value, "id": n}, timeout=30)
            ok += bool(ack.get("ok"))
            await sio.disconnect()

    await asyncio.gather(*(one(n, v) for n, v in plan.items()))
    return ok


def answer_all(server: LiveServer, qid: str, plan: dict[str, Any]) -> None:
    """In a thread of its own: Playwright's sync API keeps a loop on this one."""

    def run() -> int:
        return asyncio.run(asyncio.wait_for(_answer(server.url, _codes(server), qid, plan), 120))

    with ThreadPoolExecutor(1) as pool:
        done = pool.submit(run).result(timeout=150)
    assert done == len(plan)


def _codes(server: LiveServer) -> dict[str, str]:
    return dict(server.info["player_codes"])


def phone_answer(page: Page, text: str) -> None:
    page.get_by_role("button", name=text, exact=False).first.click()
    page.click(".p-send")
    expect(page.locator(".p-note")).to_contain_text("Đã ghi nhận")


def tiles_fit(page: Page) -> dict[str, Any]:
    return dict(
        page.evaluate(
            """() => {
              const tiles = Array.from(document.querySelectorAll('.e-tile'));
              const r = tiles.map((t) => t.getBoundingClientRect());
              const inside = r.filter((b) => b.top >= 0 && b.bottom <= innerHeight + 0.5
                && b.left >= 0 && b.right <= innerWidth + 0.5).length;
              const font = tiles.length ? parseFloat(getComputedStyle(tiles[0]).fontSize) : 0;
              return {count: tiles.length, inside, font, height: r.length ? r[0].height : 0,
                      out: document.querySelectorAll('.e-tile[data-s="out"]').length,
                      back: document.querySelectorAll('.e-tile[data-s="back"]').length};
            }"""
        )
    )


def test_the_floor_of_500_the_phones_and_the_mc(
    browser: Browser,  # noqa: F811
    rcv: LiveServer,
) -> None:
    codes = _codes(rcv)
    mc = SocketScreen(rcv.url, {"role": "mc", "pin": rcv.pin}, "mc-socket")
    screens: list[Screen] = []

    def open_page(name: str, path: str, w: int, h: int) -> Page:
        s = Screen(browser, name, w, h, "rcv")
        screens.append(s)
        s.page.goto(rcv.url + path)
        return s.page

    try:
        boards = {
            size: open_page(f"board-{size[0]}x{size[1]}", "/board", *size)
            for size in ((1920, 1080), (1024, 768))
        }
        stays = open_page("phone-001", f"/p/{codes['001']}", 390, 844)
        leaves = open_page("phone-499", f"/p/{codes['499']}", 390, 844)
        for page in (stays, leaves):
            expect(page.locator("#conn")).to_have_text("Đã kết nối")
        big = boards[(1920, 1080)]
        expect(big.locator("#lobby-players")).to_have_text("Đã vào thi: 2/500 thí sinh")
        # The phone without a code: the join form, in Vietnamese.
        join = open_page("phone-join", "/player", 390, 844)
        expect(join.locator(".p-join__title")).to_have_text("Vào thi Rung chuông vàng")
        for s in screens:
            s.shot("1-lobby")
        mc_page = Screen(browser, "mc-1280x800", 1280, 800, "rcv")
        screens.append(mc_page)
        mc_page.page.goto(rcv.url + "/mc")
        mc_page.page.fill("#pin-input", rcv.pin)
        mc_page.page.click("#pin-form button")
        expect(mc_page.page.locator("#conn")).to_have_text("Đã kết nối")

        mc_do(mc, "start_round")
        mc_do(mc, "show", question="q1")
        mc_do(mc, "open", question="q1")
        expect(stays.locator(".p-send")).to_be_visible()
        phone_answer(stays, "B. Bộ Nội vụ")
        plan = {number(i): "B" for i in range(2, 301)}
        plan.update({number(i): "A" for i in range(301, 381)})  # 381-500 do not answer
        answer_all(rcv, "q1", plan)
        expect(big.locator(".e-top__line")).to_have_text("Đã trả lời: 380/500 thí sinh trên sàn")
        expect(leaves.locator(".p-status")).to_have_text("Bạn vẫn trên sàn thi đấu")
        for s in screens:
            s.shot("2-answering")
        mc_do(mc, "close", question="q1")
        mc_do(mc, "reveal", question="q1")
        for page in boards.values():
            expect(page.locator(".e-top__line")).to_have_text(
                "Rời sàn: 200 · Còn trên sàn: 300/500"
            )
        expect(stays.locator(".p-status")).to_have_text("Bạn vẫn trên sàn thi đấu")
        expect(leaves.locator(".p-status")).to_have_text("Bạn đã rời sàn thi đấu ở câu 1")
        expect(stays.locator(".p-key")).to_contain_text("Bạn trả lời đúng")
        time.sleep(1.6)  # the falling tiles land
        for size, page in boards.items():
            fit = tiles_fit(page)
            assert fit["count"] == N and fit["inside"] == N, (size, fit)
            assert fit["out"] == 200, fit
            assert fit["font"] >= (14 if size[0] == 1920 else 9), (size, fit)
            assert overflow(page) == [], (size, overflow(page))
        for s in screens:
            s.shot("3-revealed")

        # The tiles that left fall away, except with reduced motion.
        motion = big.evaluate(
            "() => getComputedStyle(document.querySelector('.e-tile.is-falling')).animationName"
        )
        assert motion == "e-fall"
        big.emulate_media(reduced_motion="reduce")
        still = big.evaluate(
            "() => getComputedStyle(document.querySelector('.e-tile.is-falling')).animationName"
        )
        assert still == "none"
        big.emulate_media(reduced_motion="no-preference")

        # Question 2: 8 stay on the floor; the rescue question brings 499 back.
        mc_do(mc, "show", question="q2")
        mc_do(mc, "open", question="q2")
        expect(leaves.locator(".p-note")).to_have_text("Bạn đang theo dõi câu hỏi")
        expect(leaves.locator(".p-answer")).to_be_hidden()
        phone_answer(stays, "Đúng")
        answer_all(rcv, "q2", {number(i): True for i in range(2, 8)})
        mc_do(mc, "close", question="q2")
        mc_do(mc, "reveal", question="q2")
        expect(big.locator(".e-top__line")).to_have_text("Rời sàn: 293 · Còn trên sàn: 7/500")
        expect(mc_page.page.locator(".e-mc__rescue")).to_have_count(3)
        expect(mc_page.page.locator(".e-mc__rescue").first).to_be_enabled()
        for s in screens:
            s.shot("4-few-left")
        mc_do(mc, "rescue", mode="question")
        mc_do(mc, "open", question="cuu-1")
        expect(big.locator(".e-top__label")).to_have_text("Câu hỏi cứu trợ")
        phone_answer(leaves, "Đúng")
        expect(stays.locator(".p-answer")).to_be_hidden()
        for s in screens:
            s.shot("5-rescue")
        mc_do(mc, "close", question="cuu-1")
        mc_do(mc, "reveal", question="cuu-1")
        expect(leaves.locator(".p-status")).to_have_text("Bạn vẫn trên sàn thi đấu (được cứu trợ)")
        expect(big.locator(".e-top__line")).to_have_text("Được cứu trợ: 1 · Còn trên sàn: 8")
        assert tiles_fit(big)["back"] == 1
        for s in screens:
            s.shot("6-rescued")
        for size, page in boards.items():
            assert overflow(page) == [], (size, overflow(page))
        assert overflow(stays, vertical=False) == []
        errors = {s.name: s.errors for s in screens if s.errors}
        assert not errors, errors
    finally:
        for s in screens:
            s.close()
        mc.close()

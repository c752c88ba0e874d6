"""The tiebreak round's screens in real Chromium: the MC's proposal and a
selection changed on the console, the board's band (projector sizes), a
playing team's buzzer and a team not playing (tablet and phone), and the
server's drawing of lots shown with its seed. Screenshots go to
$QUIZ_ARTIFACTS (default artifacts/screenshots)."""

# ruff: noqa: F811
from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml
from clients import Screen as SocketScreen
from clients import mc_do, next_step
from conftest import COMMUNES, LiveServer, start_server
from test_browser import Screen, browser  # noqa: F401  (the module's Chromium)
from test_browser_screens import overflow

pytestmark = [pytest.mark.browser, pytest.mark.live]

try:
    from playwright.sync_api import Browser, Page, expect
except ImportError:  # pragma: no cover - the browser fixture skips or fails first
    pass

TEAMS = [(f"d{i + 1:02d}", name) for i, name in enumerate(COMMUNES[:17])]
IDS = [t for t, _ in TEAMS]
TIED = ["d02", "d03", "d04"]


def write_contest(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    choices = {"A": "Bộ Nội vụ", "B": "Bộ Tư pháp", "C": "Văn phòng Chính phủ", "D": "Bộ Tài chính"}
    bank = {
        "bank": "phu-browser",
        "title": "Câu hỏi",
        "defaults": {"time_limit": 60, "points": 10},
        "questions": [
            {
                "id": "q1",
                "type": "single",
                "text": "Câu hỏi một?",
                "choices": choices,
                "answer": "B",
            },
            {
                "id": "q2",
                "type": "single",
                "text": "Câu hỏi hai?",
                "choices": choices,
                "answer": "B",
            },
            {
                "id": "p1",
                "type": "text",
                "text": "Viết tắt tiếng Anh của Chỉ số hài lòng về sự phục vụ hành chính?",
                "answer": "SIPAS",
            },
        ],
    }
    (folder / "bank.yaml").write_text(yaml.safe_dump(bank, allow_unicode=True), encoding="utf-8")
    contest = {
        "contest": "phu-browser",
        "title": "Hội thi cải cách hành chính",
        "banks": ["bank.yaml"],
        "teams": [{"id": t, "name": n} for t, n in TEAMS],
        "ranking": {"tiebreak": ["correct_count", "tiebreak_round"]},
        "prizes": [
            {"name": "Giải Nhất", "count": 1},
            {"name": "Giải Nhì", "count": 1},
            {"name": "Giải Ba", "count": 1},
            {"name": "Giải Khuyến khích", "count": "rest"},
        ],
        "rounds": [
            {"id": "chung", "title": "Câu hỏi chung", "format": "all", "questions": ["q1", "q2"]},
            {
                "id": "phu",
                "title": "Câu hỏi phụ",
                "format": "tiebreak",
                "mode": "buzzer",
                "lots": "server",
                "rebound": False,
                "buzz_window": 120,
                "questions": ["p1"],
            },
        ],
    }
    path = folder / "contest.yaml"
    path.write_text(yaml.safe_dump(contest, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture
def live(tmp_path: Path) -> Iterator[LiveServer]:
    server = start_server(write_contest(tmp_path / "c"), tmp_path / "data")
    try:
        yield server
    finally:
        server.stop()


def play_round_one(live: LiveServer, mc: SocketScreen) -> None:
    """d01 answers both right, d02..d04 the first only, the others neither."""
    tablets = [SocketScreen(live.url, {"role": "team", "code": live.codes[t]}, t) for t in IDS]
    try:
        next_step(mc)
        for qid in ("q1", "q2"):
            next_step(mc)  # show
            next_step(mc)  # open
            mc.wait(lambda v: v["phase"] == "open")

            def send(pair: tuple[str, SocketScreen], q: str = qid) -> Any:
                team, screen = pair
                right = team == "d01" or (team in TIED and q == "q1")
                return screen.call("answer", {"question": q, "value": "B" if right else "A"})

            with ThreadPoolExecutor(8) as pool:
                assert all(a["ok"] for a in pool.map(send, zip(IDS, tablets, strict=True)))
            next_step(mc)  # close early
            next_step(mc)  # reveal
    finally:
        for t in tablets:
            t.close()


def test_tiebreak_screens_selection_playing_not_playing_and_lots(
    browser: Browser, live: LiveServer
) -> None:
    mc = SocketScreen(live.url, {"role": "mc", "pin": live.pin}, "mc-socket")
    screens: list[Screen] = []

    def open_page(name: str, path: str, width: int, height: int) -> Page:
        screen = Screen(browser, name, width, height, "tiebreak")
        screens.append(screen)
        screen.page.goto(live.url + path)
        return screen.page

    try:
        play_round_one(live, mc)
        next_step(mc)  # the tiebreak round's title
        mc.wait(lambda v: v["next"]["command"] == "tiebreak_select")

        console = open_page("mc-1280x800", "/mc", 1280, 800)
        console.fill("#pin-input", live.pin)
        console.click("#pin-form button")
        boards = {
            size: open_page(f"board-{size[0]}x{size[1]}", "/board", *size)
            for size in ((1920, 1080), (1024, 768))
        }
        playing = open_page("team-d02-1024x768", f"/t/{live.codes['d02']}", 1024, 768)
        phone_playing = open_page("team-d03-390x844", f"/t/{live.codes['d03']}", 390, 844)
        phone_out = open_page("team-d09-390x844", f"/t/{live.codes['d09']}", 390, 844)

        # The MC's proposal: the three teams level across the prize boundaries
        part = console.locator("#format-panel")
        expect(part).to_be_visible()
        expect(part).to_contain_text("Đề xuất: các đội đồng điểm ở ranh giới giải")
        expect(part).to_contain_text("Đồng điểm, không ảnh hưởng giải")
        expect(console.locator("#next-btn")).to_contain_text("Xác nhận các đội thi câu hỏi phụ")
        for s in screens:
            s.shot("1-proposal")
        # The MC takes d04 out (it would be settled otherwise), then confirms
        part.locator("button[data-team='d04']").click()
        expect(part.locator("button[data-team='d04']")).to_have_count(0)
        console.click("#next-btn")
        selected = mc.wait(lambda v: bool(v["tiebreak"]) and v["tiebreak"]["selected"])
        assert [[t["id"] for t in g["teams"]] for g in selected["tiebreak"]["groups"]] == [
            ["d02", "d03"]
        ]
        for page in boards.values():  # the round's title shows the teams playing
            expect(page.locator("#intro-part")).to_contain_text("Các đội thi câu hỏi phụ")
        expect(phone_out.locator("#format-part")).to_contain_text("Đội không thi câu hỏi phụ")

        # The question: the playing teams have their buzzer, the others none
        next_step(mc)  # show p1
        next_step(mc)  # open the buzzers
        expect(playing.locator("#buzzer")).to_be_visible()
        expect(playing.locator("#buzz-btn")).to_be_enabled()
        expect(phone_playing.locator("#format-part")).to_contain_text("Đội đang thi câu hỏi phụ")
        expect(phone_out.locator("#buzzer")).to_be_hidden()
        expect(phone_out.locator("#answer")).to_be_hidden()
        expect(phone_out.locator("#format-part")).to_be_visible()
        for s in screens:
            s.shot("2-question")
        for size, page in boards.items():
            assert overflow(page) == [], (size, overflow(page))
        # nobody buzzes: the questions run out with d02 and d03 still level
        mc_do(mc, "close", question="p1")
        next_step(mc)  # reveal
        mc.wait(lambda v: v["next"]["command"] == "draw_lots")
        expect(console.locator("#next-btn")).to_contain_text("bốc thăm")
        console.click("#next-btn")
        drawn = mc.wait(lambda v: bool(v["tiebreak"]) and v["tiebreak"]["lots"] is not None)
        seed = drawn["tiebreak"]["lots"]["seed"]
        for page in boards.values():
            expect(page.locator("#format-band")).to_contain_text(f"(seed): {seed}")
            expect(page.locator("#format-band")).to_contain_text("bốc thăm")
        for s in screens:
            s.shot("3-lots")
        for size, page in boards.items():
            assert overflow(page) == [], (size, overflow(page))

        # The scoreboard says how the tie was settled
        mc_do(mc, "scoreboard", show=True)
        for page in boards.values():
            expect(page.locator(".b-score__tb").first).to_contain_text("bốc thăm")
        for s in screens:
            s.shot("4-final")
        errors = {s.name: s.errors for s in screens if s.errors}
        assert not errors, errors
    finally:
        for s in screens:
            s.close()
        mc.close()

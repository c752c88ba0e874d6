"""The `turns` screens in Chromium: the board at projector sizes, the team in
turn on a tablet, another team on a phone, the MC console; the star placed from
the tablet, the value chosen on the console, the steal buzzed on the phone.
Screenshots go to $QUIZ_ARTIFACTS (default artifacts/screenshots)."""

# ruff: noqa: F811
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from clients import mc_do
from conftest import TEAM_IDS, LiveServer, start_server
from test_browser import browser  # noqa: F401  (the module's Chromium)
from test_browser_screens import Session, in_viewport, overflow, wait_until
from turns_scenario import write_turns_contest

pytestmark = [pytest.mark.browser, pytest.mark.live]

try:
    from playwright.sync_api import Browser, expect
except ImportError:  # pragma: no cover - the browser fixture skips or fails first
    pass

OWNER, THIEF, OTHER = TEAM_IDS[0], TEAM_IDS[1], TEAM_IDS[2]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    live = start_server(write_turns_contest(tmp_path / "contest"), tmp_path / "data")
    try:
        yield live
    finally:
        live.stop()


def test_turns_screens_at_projector_tablet_and_phone_sizes(
    browser: Browser, server: LiveServer
) -> None:
    s = Session(browser, server, "turns")
    try:
        boards = {
            size: s.open(f"board-{size[0]}x{size[1]}", "/board", *size)
            for size in ((1920, 1080), (1024, 768))
        }
        mc = s.open("mc-1280x800", f"/mc?pin={server.pin}", 1280, 800)
        tablet = s.team(OWNER, 1280, 800, "owner-tablet-1280x800")
        phone = s.team(THIEF, 390, 844, "thief-phone-390x844")
        other = s.team(OTHER, 1024, 768, "other-tablet-1024x768")
        tablet.on("dialog", lambda d: d.accept())
        s.step(until="intro")
        s.step()  # the order (contest order)
        for page in boards.values():
            expect(page.locator("#intro-part")).to_contain_text("Lượt của")
            expect(page.locator("#intro-part")).to_contain_text("Thị trấn Bo")
            expect(page.locator("#intro-part .fx-b__row")).to_have_count(17)
        # The console asks for the value of the pick package: chosen by a click.
        expect(mc.locator("#format-panel")).to_contain_text("chọn mức điểm")
        expect(mc.locator("#next-btn")).to_be_disabled()
        assert not in_viewport(mc, "#format-panel .fx-m__btn"), "the choices are off screen"
        s.shot("1-choose-value")
        mc.locator("#format-panel .fx-m__btn", has_text="20 điểm").click()
        s.mc.wait(lambda v: v["next"]["command"] == "show")
        # The team in turn places its star from its tablet; the others cannot.
        expect(phone.locator("#format-side .fx-t__star")).to_have_count(0)
        tablet.locator("#format-side .fx-t__star").click()
        s.mc.wait(lambda v: v["turns"]["star_pending"])
        for page in boards.values():
            expect(page.locator("#intro-part .fx-b__star")).to_be_visible()
        s.shot("2-star-placed")
        for size, page in boards.items():
            assert not overflow(page), (size, overflow(page))

        s.step(until="shown")  # show p1-20
        for page in boards.values():
            expect(page.locator("#q-buzz")).to_contain_text("Lượt của")
            expect(page.locator("#q-buzz .fx-b__star")).to_be_visible()
        expect(phone.locator("#q-text")).to_be_visible()
        expect(phone.locator("#format-side .fx-t__buzz")).to_be_disabled()
        s.step()  # start the clock: the owner answers on its tablet, the others only watch
        expect(tablet.locator("#answer")).to_be_visible()
        expect(phone.locator("#answer")).to_be_hidden()
        expect(other.locator("#answer")).to_be_hidden()
        expect(tablet.locator("#format-side .fx-t__buzz")).to_have_count(0)
        s.shot("3-owner-answering")
        tablet.locator(".t-choice[data-key='A']").click()
        tablet.locator("#send-btn").click()
        s.mc.wait(lambda v: v["next"]["command"] == "turns_steal")
        s.shot("4-missed")
        mc.locator("#next-btn").click()  # "Mở quyền cướp điểm"
        s.mc.wait(lambda v: v["phase"] == "open")
        expect(phone.locator("#format-side .fx-t__buzz")).to_be_enabled()
        for page in boards.values():
            expect(page.locator("#q-buzz .fx-b__stage--steal")).to_be_visible()
        s.shot("5-steal-open")
        phone.locator("#format-side .fx-t__buzz").dispatch_event("pointerdown")
        s.mc.wait(lambda v: v["phase"] == "answering" and v["turn"]["stealer"] == THIEF)
        other.locator("#format-side .fx-t__buzz").dispatch_event("pointerdown")  # late: kept
        s.mc.wait(lambda v: len(v["turn"]["presses"]) == 2)
        expect(phone.locator("#answer")).to_be_visible()
        for page in boards.values():
            expect(page.locator("#q-buzz .fx-b__press")).to_have_count(2)
            expect(page.locator("#q-buzz .fx-b__press").nth(1)).to_contain_text("ms")
        s.shot("6-steal-answering")
        for size, page in boards.items():
            assert not overflow(page), (size, overflow(page))
        assert not overflow(phone, vertical=False)
        phone.locator(".t-choice[data-key='B']").click()
        phone.locator("#send-btn").click()
        s.mc.wait(lambda v: v["phase"] == "closed")
        s.step(until="revealed")
        expect(phone.locator("#result")).to_contain_text("Chính xác")
        # star wrong: -20; the steal takes 20 more from the owner; the thief +20
        totals = wait_until(
            lambda: (lambda t: t if t.get(THIEF) == 20 else None)(
                {r["team"]: r["total"] for r in s.mc.view["scoreboard"]}
            )
        )
        assert totals[OWNER] == -40 and totals[THIEF] == 20
        s.shot("7-revealed")
        mc_do(s.mc, "turns_value", team=OWNER, points=10)
        expect(mc.locator("#next-btn")).to_be_enabled()
        s.shot("8-next-question")
    finally:
        s.close()


DEMO = Path(__file__).resolve().parents[2] / "question_banks" / "contest-goi-cau-hoi.yaml"


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[LiveServer]:
    live = start_server(DEMO, tmp_path / "data")
    try:
        yield live
    finally:
        live.stop()


def test_the_demo_package_round_answered_aloud_from_the_console(
    browser: Browser, demo: LiveServer
) -> None:
    """The shipped demo (4 teams, seeded draw, pick packages, voice answers):
    the MC does every step on the console; a phone buzzes the steal."""
    s = Session(browser, demo, "turns-demo")
    try:
        board = s.open("board-1920x1080", "/board", 1920, 1080)
        mc = s.open("mc-1280x800", f"/mc?pin={demo.pin}", 1280, 800)
        expect(mc.locator("#conn")).to_have_text("Đã kết nối")
        mc.locator("#next-btn").click()  # start the round
        expect(mc.locator("#next-btn")).to_contain_text("Bốc thăm thứ tự thi")
        mc.locator("#next-btn").click()
        drawn = s.mc.wait(lambda v: v["turns"]["ordered"])["turns"]
        assert drawn["how"] == "draw" and drawn["seed"] == 2908
        assert [r["team"] for r in drawn["order"]] == ["hung-tien", "bo", "vinh-dong", "kim-lap"]
        first, second = drawn["order"][0]["team"], drawn["order"][1]["team"]
        expect(board.locator("#intro-part")).to_contain_text("mã bốc thăm 2908")
        phone = s.team(second, 390, 844, "second-phone-390x844")
        s.shot("1-drawn")
        mc.locator("#format-panel .fx-m__btn", has_text="Gói 4").click()
        mc.locator("#format-panel .fx-m__btn", has_text="30 điểm").click()
        expect(mc.locator("#next-btn")).to_contain_text("30 điểm")
        mc.locator("#next-btn").click()  # show
        mc.locator("#next-btn").click()  # start the clock
        expect(mc.locator("#judge")).to_be_visible()
        expect(phone.locator("#format-side .fx-t__buzz")).to_be_disabled()
        s.shot("2-answering-aloud")
        mc.locator("#judge-wrong").click()
        expect(mc.locator("#next-btn")).to_contain_text("Mở quyền cướp điểm")
        mc.locator("#next-btn").click()
        expect(phone.locator("#format-side .fx-t__buzz")).to_be_enabled()
        phone.locator("#format-side .fx-t__buzz").dispatch_event("pointerdown")
        expect(mc.locator("#judge")).to_contain_text("trả lời")
        expect(board.locator("#q-buzz .fx-b__stage--steal_answering")).to_be_visible()
        s.shot("3-steal-aloud")
        mc.locator("#judge-right").click()
        mc.locator("#next-btn").click()  # reveal
        s.mc.wait(lambda v: v["phase"] == "revealed")
        totals = {r["team"]: r["total"] for r in s.mc.view["scoreboard"]}
        assert totals[first] == 0 and totals[second] == 30  # no take_from_owner in the demo
        s.shot("4-revealed")
        assert not overflow(board)
    finally:
        s.close()

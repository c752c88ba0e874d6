"""The hour before the first question in a real browser: the MC's readiness
grid with a tablet on a slow link (tests/netem.py) and one that joins late, the
practice question, and a team's second and third devices waiting for the MC,
one refused and one approved (the first tablet then returns to the join page).
Screenshots of the console at 1920x1080 and 1280x800, and of the waiting
screen on a tablet (1280x800) and a phone (390x844)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from netem import Delay, NetEm
from test_browser import Screen, browser, mc_login  # noqa: F401 (the fixture)

if TYPE_CHECKING:
    from conftest import LiveServer
    from playwright.sync_api import Browser

pytestmark = [pytest.mark.browser, pytest.mark.live]


def test_readiness_grid_with_a_slow_link_a_late_tablet_and_the_practice_question(
    browser: Browser,  # noqa: F811
    live_server: LiveServer,
) -> None:
    from playwright.sync_api import expect

    url = live_server.url
    codes = live_server.codes
    mode = live_server.async_mode
    mc_screen = Screen(browser, "venue-mc", 1920, 1080, mode)
    fast = Screen(browser, "venue-fast", 1280, 800, mode)
    slow = Screen(browser, "venue-slow", 1280, 800, mode)
    late = Screen(browser, "venue-late", 390, 844, mode)
    board = Screen(browser, "venue-board", 1920, 1080, mode)
    screens = [mc_screen, fast, slow, late, board]
    mc = mc_screen.page
    with NetEm() as net:
        # About 300 ms round trip, jumping by up to 160 ms: "Mạng chậm".
        path = net.proxy(
            ("127.0.0.1", live_server.info["port"]), up=Delay(0.15, 0.04), down=Delay(0.15, 0.04)
        )
        try:
            mc_login(mc, url, live_server.pin)
            line = mc.locator("#ready-line")
            expect(line).to_have_text(
                "Sẵn sàng: 0/3 — Thị trấn Bo, Xã Bình Sơn, Xã Cuối Hạ chưa kết nối"
            )
            expect(mc.locator("#ready-details")).to_have_attribute("open", "")
            fast.page.goto(f"{url}/t/{codes['bo']}")
            slow.page.goto(f"{path.url}/t/{codes['binh-son']}")
            board.page.goto(f"{url}/board")
            expect(line).to_have_text("Sẵn sàng: 2/3 — Xã Cuối Hạ chưa kết nối")
            expect(line).to_have_attribute("data-all", "no")
            bo = mc.locator("#ready-body tr[data-team='bo']")
            binh = mc.locator("#ready-body tr[data-team='binh-son']")
            missing = mc.locator("#ready-body tr[data-team='cuoi-ha']")
            expect(missing).to_have_attribute("data-connected", "no")
            expect(missing).to_contain_text("Chưa kết nối")
            # The tablets' own reports: screen size and the current page version.
            expect(bo).to_contain_text("1280×800")
            expect(bo).to_contain_text("Mới nhất")
            expect(binh).to_contain_text("1280×800")
            # The slow link's round trip, measured by the server, is flagged.
            rtt = binh.locator("td").nth(1)
            expect(rtt).to_have_class(re.compile("r-cell--warn"), timeout=15_000)
            ms = int(re.sub(r"\D", "", rtt.inner_text()))
            assert 200 <= ms <= 1500, (rtt.inner_text(), binh.inner_text())
            fast_ms = int(re.sub(r"\D", "", bo.locator("td").nth(1).inner_text()) or 0)
            assert fast_ms < 100
            expect(mc.locator("#ready-boards")).to_contain_text("Màn hình trình chiếu")
            expect(mc.locator("#ready-boards")).to_contain_text("1920×1080")
            mc_screen.shot("venue-01-grid-2of3")
            # The late tablet joins: everyone is ready.
            late.page.goto(f"{url}/t/{codes['cuoi-ha']}")
            expect(line).to_have_text("Sẵn sàng: 3/3")
            expect(line).to_have_attribute("data-all", "yes")
            expect(mc.locator("#ready-body tr[data-team='cuoi-ha']")).to_contain_text("390×844")
            # The practice question: every team answers, nothing is scored.
            mc.get_by_role("button", name=re.compile("Chơi câu hỏi thử")).click()
            for s in (fast, slow, late):
                expect(s.page.locator("#practice")).to_be_visible()
            expect(bo.locator("td").last).to_have_text("Chưa trả lời")
            fast.page.locator(".t-practice__choice[data-key='A']").click()
            expect(fast.page.locator("#practice-status")).to_contain_text("Đã ghi nhận đáp án A")
            late.page.locator(".t-practice__choice[data-key='C']").click()
            expect(bo.locator("td").last).to_have_text("Đã trả lời")
            expect(mc.locator("#ready-body tr[data-team='cuoi-ha'] td").last).to_have_text(
                "Đã trả lời"
            )
            expect(binh.locator("td").last).to_have_text("Chưa trả lời")
            expect(mc.locator(".r-practice")).to_contain_text("2/3 đội đã trả lời")
            expect(board.page.locator("#lobby-practice")).to_be_visible()
            expect(board.page.locator("#practice-count")).to_have_text("2/3 đội đã trả lời")
            board.shot("venue-02-practice")
            mc_screen.shot("venue-02-practice")
            fast.shot("venue-02-practice")
            late.shot("venue-02-practice")
            mc.set_viewport_size({"width": 1280, "height": 800})
            mc_screen.shot("venue-03-grid-1280")
            mc.get_by_role("button", name=re.compile("Kết thúc câu hỏi thử")).click()
            expect(fast.page.locator("#practice")).to_be_hidden()
            # Nothing counted: every total is still 0.
            expect(mc.locator("#scores-body")).not_to_contain_text(re.compile(r"[1-9]\d* điểm"))
            for row in mc.locator("#scores-body tr").all():
                assert row.locator("td").nth(2).inner_text().strip() == "0"
            for s in screens:
                assert not s.errors, (s.name, s.errors)
        finally:
            for s in screens:
                s.close()


def test_a_second_device_waits_and_the_mc_refuses_one_and_approves_another(
    browser: Browser,  # noqa: F811
    live_server: LiveServer,
) -> None:
    from playwright.sync_api import expect

    url = live_server.url
    code = live_server.codes["bo"]
    mode = live_server.async_mode
    mc_screen = Screen(browser, "devices-mc", 1280, 800, mode)
    first = Screen(browser, "devices-first", 1280, 800, mode)
    tablet = Screen(browser, "devices-tablet", 1280, 800, mode)
    phone = Screen(browser, "devices-phone", 390, 844, mode)
    screens = [mc_screen, first, tablet, phone]
    mc = mc_screen.page
    try:
        mc_login(mc, url, live_server.pin)
        first.page.goto(f"{url}/t/{code}")
        expect(first.page.locator("#team-name")).to_have_text("Thị trấn Bo")
        expect(first.page.locator("#message")).to_have_text("Chờ câu hỏi...")
        for s in (tablet, phone):
            s.page.goto(f"{url}/t/{code}")
            expect(s.page.locator("#wait")).to_be_visible()
            expect(s.page.locator("#wait-text")).to_have_text(
                "Đội thi Thị trấn Bo đã có thiết bị khác đang kết nối. "
                "Thiết bị này đang chờ người dẫn chương trình (MC) duyệt."
            )
            expect(s.page.locator("#play")).to_be_hidden()
            s.shot("devices-01-waiting")
        items = mc.locator(".r-waiting__item")
        expect(items).to_have_count(2)
        expect(items.first).to_contain_text("Thị trấn Bo")
        mc_screen.shot("devices-01-waiting")
        # The phone (the second to arrive) is refused: back to the join page.
        items.nth(1).get_by_role("button", name="Từ chối").click()
        expect(phone.page.locator("#join")).to_be_visible()
        expect(phone.page.locator("#join-error")).to_contain_text("không duyệt thiết bị này")
        phone.shot("devices-02-refused")
        expect(items).to_have_count(1)
        # The tablet is approved: the team moves to it; the first tablet leaves.
        items.first.get_by_role("button", name=re.compile("Duyệt")).click()
        expect(tablet.page.locator("#play")).to_be_visible()
        expect(tablet.page.locator("#wait")).to_be_hidden()
        expect(tablet.page.locator("#team-name")).to_have_text("Thị trấn Bo")
        expect(first.page.locator("#join")).to_be_visible()
        expect(first.page.locator("#join-error")).to_contain_text("sang thiết bị khác")
        expect(first.page.locator("#conn")).to_have_text("Chưa kết nối")
        first.shot("devices-03-replaced")
        tablet.shot("devices-03-approved")
        expect(items).to_have_count(0)
        expect(mc.locator("#ready-line")).to_have_text(
            "Sẵn sàng: 1/3 — Xã Bình Sơn, Xã Cuối Hạ chưa kết nối"
        )
        # The replaced tablet does not come back by itself.
        first.page.wait_for_timeout(1500)
        expect(first.page.locator("#join")).to_be_visible()
        expect(mc.locator("#ready-body tr[data-team='bo']")).to_have_count(1)
        for s in screens:
            assert not s.errors, (s.name, s.errors)
    finally:
        for s in screens:
            s.close()


def test_a_player_s_second_phone_and_a_judge_s_second_device_wait_for_the_mc(
    browser: Browser,  # noqa: F811
    tmp_path: Path,
) -> None:
    from conftest import start_server, write_people_contest
    from playwright.sync_api import expect

    path = write_people_contest(tmp_path / "contest")
    server = start_server(path, tmp_path / "data")
    url = server.url
    player = server.info["player_codes"]["001"]
    judge = server.info["judge_codes"]["gk-a"]
    mc_screen = Screen(browser, "people-mc", 1280, 800)
    phone = Screen(browser, "people-phone", 390, 844)
    phone2 = Screen(browser, "people-phone2", 390, 844)
    laptop = Screen(browser, "people-judge", 1280, 800)
    laptop2 = Screen(browser, "people-judge2", 390, 844)
    screens = [mc_screen, phone, phone2, laptop, laptop2]
    mc = mc_screen.page
    try:
        mc_login(mc, url, server.pin)
        phone.page.goto(f"{url}/p/{player}")
        expect(phone.page.locator("#play")).to_be_visible()
        laptop.page.goto(f"{url}/g/{judge}")
        expect(laptop.page.locator("#judge-name")).to_have_text("Giám khảo A")
        # A reload is the same phone (the id it keeps): it never waits.
        phone.page.reload()
        expect(phone.page.locator("#play")).to_be_visible()
        expect(phone.page.locator(".d-wait")).to_have_count(0)
        phone2.page.goto(f"{url}/p/{player}")
        expect(phone2.page.locator(".d-wait__text")).to_have_text(
            "Thí sinh 001 Lê Văn An đã có thiết bị khác đang kết nối. "
            "Thiết bị này đang chờ người dẫn chương trình (MC) duyệt."
        )
        laptop2.page.goto(f"{url}/g/{judge}")
        expect(laptop2.page.locator(".d-wait__text")).to_contain_text(
            "Giám khảo Giám khảo A đã có thiết bị khác"
        )
        phone2.shot("people-01-waiting")
        laptop2.shot("people-01-waiting")
        items = mc.locator(".r-waiting__item")
        expect(items).to_have_count(2)
        expect(items.first).to_contain_text("Thí sinh 001 Lê Văn An")
        expect(items.nth(1)).to_contain_text("Giám khảo Giám khảo A")
        mc_screen.shot("people-01-waiting")
        # The judge's second device is refused, the player's new phone approved.
        items.nth(1).get_by_role("button", name="Từ chối").click()
        expect(laptop2.page.locator("#join")).to_be_visible()
        expect(laptop2.page.locator("#join-error")).to_contain_text("không duyệt thiết bị này")
        expect(items).to_have_count(1)
        items.first.get_by_role("button", name="Duyệt — chuyển sang máy này").click()
        expect(phone2.page.locator(".d-wait")).to_have_count(0)
        expect(phone2.page.locator("#play")).to_be_visible()
        expect(phone.page.locator("#join")).to_be_visible()
        expect(phone.page.locator("#join-error")).to_contain_text("sang thiết bị khác")
        phone.shot("people-02-replaced")
        phone2.shot("people-02-approved")
        expect(items).to_have_count(0)
        expect(laptop.page.locator("#judge-name")).to_have_text("Giám khảo A")  # still in
        for s in screens:
            assert not s.errors, (s.name, s.errors)
    finally:
        for s in screens:
            s.close()
        server.stop()

"""The jury's console and the appeal on a tablet, in real Chromium.

- The jury console at 1920x1080 and 1280x800: login by its PIN form, what
  waits for it (a tablet's appeal, an MC correction), accepting an appeal and
  approving a correction from the page, every answer's timing, the timeline
  filtered by team; nothing overflows sideways.
- The appeal on a tablet at 1280x800 and 390x844: "Khiếu nại" after the
  reveal, a short text sent, then the jury's outcome with its reason.
- The MC console shows what waits for the jury; the board the accepted appeal.

Screenshots go to $QUIZ_ARTIFACTS (default artifacts/screenshots).
"""

# ruff: noqa: F811
from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from clients import Screen as SocketScreen
from clients import mc_do, next_step
from conftest import TEAM_IDS, LiveServer, start_server, write_contest
from test_browser import Screen, browser  # noqa: F401
from test_browser_screens import overflow

pytestmark = [pytest.mark.browser, pytest.mark.live]

try:
    from playwright.sync_api import Browser, Page, expect
except ImportError:  # pragma: no cover - the browser fixture skips or fails first
    pass

JURY = "jury: {approve_corrections: true, appeals: true, appeal_window: 600}\n"
APPEAL = (
    "Đội chúng tôi đã chọn B trước khi hết giờ nhưng máy tính bảng báo mất kết nối, "
    "đề nghị Ban giám khảo xem lại băng ghi hình."
)


@pytest.fixture
def server(tmp_path: Path, async_mode: str) -> Iterator[LiveServer]:
    path = write_contest(tmp_path / "contest")
    path.write_text(path.read_text(encoding="utf-8") + JURY, encoding="utf-8")
    live = start_server(path, tmp_path / "data", async_mode)
    try:
        yield live
    finally:
        live.stop()


def jury_login(page: Page, url: str, pin: str) -> None:
    page.goto(f"{url}/jury")
    expect(page.locator("#pin-form")).to_be_visible()
    page.fill("#pin-input", pin)
    page.click("#pin-form button")
    expect(page.locator("#conn")).to_have_text("Đã kết nối")
    assert pin not in page.url


def play_one(server: LiveServer, mc: SocketScreen, tablets: dict[str, SocketScreen]) -> None:
    """q-single: every team but the last answers (doi-01 wrong), then the reveal."""
    next_step(mc)
    next_step(mc)
    next_step(mc)
    for team, t in tablets.items():
        t.wait(lambda v: v["phase"] == "open")
        if team != TEAM_IDS[-1]:
            value = "A" if team == TEAM_IDS[0] else "B"
            ack = t.call("answer", {"question": "q-single", "value": value, "id": f"{team}-1"})
            assert ack["ok"], ack
    next_step(mc)
    next_step(mc)
    mc.wait(lambda v: v["phase"] == "revealed")


def tablets_for(server: LiveServer, teams: list[str]) -> dict[str, SocketScreen]:
    with ThreadPoolExecutor(8) as pool:
        return dict(
            zip(
                teams,
                pool.map(
                    lambda t: SocketScreen(
                        server.url, {"role": "team", "code": server.codes[t]}, t
                    ),
                    teams,
                ),
                strict=True,
            )
        )


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 800)])
def test_the_jury_console_decides_an_appeal_and_a_correction(
    browser: Browser, server: LiveServer, size: tuple[int, int]
) -> None:
    width, height = size
    mc = SocketScreen(server.url, {"role": "mc", "pin": server.pin}, "mc")
    tablets = tablets_for(server, TEAM_IDS)
    jury = Screen(browser, f"jury-{width}x{height}", width, height, server.async_mode)
    mc_page = Screen(browser, f"mc-jury-{width}x{height}", width, height, server.async_mode)
    try:
        jury_login(jury.page, server.url, str(server.info["jury_pin"]))
        page = jury.page
        expect(page.locator("#todo-empty")).to_be_visible()
        play_one(server, mc, tablets)
        expect(page.locator("#timings-body tr")).to_have_count(16)
        silent = tablets[TEAM_IDS[-1]]
        assert silent.call("appeal", {"question": "q-single", "text": APPEAL})["ok"]
        mc_do(mc, "adjust", team=TEAM_IDS[3], delta=5, reason="Trả lời phụ đúng")
        item = page.locator("li.j-item--appeal")
        expect(item).to_have_count(1)
        expect(item).to_contain_text("Xã Xuân Thủy")
        expect(item).to_contain_text(APPEAL)
        expect(page.locator("li.j-item--proposal")).to_contain_text("Trả lời phụ đúng")
        expect(page.locator("#todo-count")).to_have_text("2")
        # the MC sees both waiting, not counted
        mc_page.page.goto(f"{server.url}/mc")
        mc_page.page.fill("#pin-input", server.pin)
        mc_page.page.click("#pin-form button")
        expect(mc_page.page.locator("#mc-jury .m-jury__pending")).to_have_count(2)
        expect(mc_page.page.locator("#mc-jury-alert")).to_have_text(
            "Chờ Ban giám khảo xử lý: 1 khiếu nại, 1 điều chỉnh (chưa tính điểm)"
        )
        mc_page.shot("jury-pending")
        assert overflow(page, vertical=False) == []
        jury.shot("jury-waiting")

        # accept the appeal: mark the team right, with a reason
        item.locator("select").select_option("right")
        item.locator("textarea").fill("Băng ghi hình cho thấy đội chọn B đúng giờ")
        item.locator("button[data-act=accept]").click()
        expect(page.locator("li.j-item--appeal")).to_have_count(0)
        expect(page.locator("#appeals-list")).to_contain_text("Chấp nhận")
        silent.wait(lambda v: v["me"]["total"] == 10)
        # approve the MC's correction
        proposal = page.locator("li.j-item--proposal")
        proposal.locator("textarea").fill("Đúng quy chế")
        proposal.locator("button[type=submit]").click()
        expect(page.locator("#todo-empty")).to_be_visible()
        mc.wait(lambda v: {r["team"]: r["total"] for r in v["scoreboard"]}[TEAM_IDS[3]] == 15)
        expect(mc_page.page.locator("#mc-jury .m-jury__pending")).to_have_count(0)
        expect(mc_page.page.locator("#mc-jury-alert")).to_be_hidden()

        # the timeline, filtered by a team
        page.select_option("#tl-team", TEAM_IDS[-1])
        expect(page.locator("#timeline li").first).to_contain_text("Xã Xuân Thủy")
        names = page.locator("#timeline .j-tl__team").all_inner_texts()
        assert names and set(names) == {"Xã Xuân Thủy"}, names
        expect(page.locator("#timeline")).to_contain_text("Ban giám khảo xử lý khiếu nại")
        assert overflow(page, vertical=False) == []
        jury.shot("jury-decided")
        page.select_option("#tl-team", "")
        expect(page.locator("#timeline .j-tl--AnswerAccepted").first).to_contain_text("máy báo")
        assert jury.errors == [] and mc_page.errors == []
    finally:
        jury.close()
        mc_page.close()
        mc.close()
        for t in tablets.values():
            t.close()


@pytest.mark.parametrize("size", [(1280, 800), (390, 844)])
def test_an_appeal_from_a_tablet_and_its_outcome(
    browser: Browser, server: LiveServer, size: tuple[int, int]
) -> None:
    width, height = size
    team = TEAM_IDS[0]  # answers A: wrong
    mc = SocketScreen(server.url, {"role": "mc", "pin": server.pin}, "mc")
    jury = SocketScreen(server.url, {"role": "jury", "pin": server.info["jury_pin"]}, "jury")
    others = tablets_for(server, [t for t in TEAM_IDS if t != team])
    tab = Screen(browser, f"appeal-{width}x{height}", width, height, server.async_mode)
    board = Screen(browser, "board-appeal-1920x1080", 1920, 1080, server.async_mode)
    try:
        page = tab.page
        page.goto(f"{server.url}/t/{server.codes[team]}")
        expect(page.locator("#conn")).to_have_text("Đã kết nối")
        board.page.goto(f"{server.url}/board")
        next_step(mc)
        next_step(mc)
        next_step(mc)
        page.locator(".t-choice[data-key='A']").click()  # allow_change: the tap is the answer
        mc.wait(lambda v: any(a["team"] == team and a["answer"] for a in v["answers"]))
        for t, s in others.items():
            s.call("answer", {"question": "q-single", "value": "B", "id": f"{t}-1"})
        next_step(mc)
        next_step(mc)
        button = page.locator("#appeal-btn")
        expect(button).to_be_visible()
        expect(page.locator("#appeal-left")).to_contain_text("giây để khiếu nại")
        tab.shot("appeal-offer")
        button.click()
        expect(page.locator("#appeal-text")).to_be_focused()
        page.click("#appeal-send")  # empty: refused on the tablet, nothing sent
        expect(page.locator(".t-appeal__error")).to_have_text("Cần nhập nội dung khiếu nại")
        page.fill("#appeal-text", "x" * 600)  # the box keeps 500
        assert len(page.input_value("#appeal-text")) == 500
        page.fill("#appeal-text", APPEAL)
        expect(page.locator("#appeal-count")).to_have_text(f"{len(APPEAL)}/500")
        assert overflow(page, vertical=False) == []
        tab.shot("appeal-writing")
        page.click("#appeal-send")
        outcome = page.locator(".t-appeal__outcome")
        expect(outcome).to_contain_text("chờ Ban giám khảo xử lý")
        expect(page.locator("#appeal-btn")).to_have_count(0)  # once per question
        appeal = jury.wait(lambda v: len(v["appeals"]) == 1)["appeals"][0]
        assert (appeal["team"], appeal["text"]) == (team, APPEAL)
        ack = jury.call(
            "jury",
            {
                "name": "decide_appeal",
                "id": 1,
                "accept": True,
                "reason": "Đáp án A cũng đúng theo Nghị định 61/2018/NĐ-CP",
                "kind": "set_answer",
                "correct": True,
            },
        )
        assert ack["ok"], ack
        expect(outcome).to_contain_text("Ban giám khảo chấp nhận khiếu nại")
        expect(outcome).to_contain_text("Nghị định 61/2018/NĐ-CP")
        expect(page.locator("#team-score")).to_contain_text("Tổng điểm: 10")
        assert overflow(page, vertical=False) == []
        tab.shot("appeal-outcome")
        expect(board.page.locator("#board-appeals")).to_contain_text(
            "Ban giám khảo chấp nhận khiếu nại"
        )
        board.shot("appeal-accepted")
        assert tab.errors == [] and board.errors == []
    finally:
        tab.close()
        board.close()
        mc.close()
        jury.close()
        for t in others.values():
            t.close()


def test_the_jury_corrects_a_score_itself_from_its_console(
    browser: Browser, server: LiveServer
) -> None:
    # approve_corrections is on, yet the jury's own correction counts at once.
    mc = SocketScreen(server.url, {"role": "mc", "pin": server.pin}, "mc")
    tablets = tablets_for(server, TEAM_IDS)
    jury = Screen(browser, "jury-own-correction-1280x800", 1280, 800, server.async_mode)
    try:
        jury_login(jury.page, server.url, str(server.info["jury_pin"]))
        page = jury.page
        play_one(server, mc, tablets)
        page.click("#jc summary")
        expect(page.locator("#jc-question")).to_be_hidden()  # adjust: team and points
        page.select_option("#jc-team", TEAM_IDS[2])
        page.fill("#jc-delta", "-3")
        page.fill("#jc-reason", "Vi phạm quy chế: nhắc bài")
        page.click("#jc-form button[type=submit]")
        mc.wait(lambda v: {r["team"]: r["total"] for r in v["scoreboard"]}[TEAM_IDS[2]] == 7)
        expect(page.locator("#jc-reason")).to_have_value("")
        # right for the silent team on the question just played
        page.select_option("#jc-kind", "right")
        expect(page.locator("#jc-question")).to_be_visible()
        expect(page.locator("#jc-delta")).to_be_hidden()
        page.select_option("#jc-team", TEAM_IDS[-1])
        page.select_option("#jc-question", "q-single")
        page.fill("#jc-reason", "Phiếu trả lời trên giấy ghi B")
        page.click("#jc-form button[type=submit]")
        tablets[TEAM_IDS[-1]].wait(lambda v: v["me"]["total"] == 10)
        expect(page.locator("#corr-list li")).to_have_count(2)
        # a reason is required: nothing is sent without one
        page.select_option("#jc-kind", "undo")
        page.click("#jc-form button[type=submit]")
        assert page.evaluate("document.querySelector('#jc-reason').validity.valueMissing")
        page.fill("#jc-reason", "Nhầm đội")
        page.click("#jc-form button[type=submit]")
        tablets[TEAM_IDS[-1]].wait(lambda v: v["me"]["total"] == 0)
        assert overflow(page, vertical=False) == []
        jury.shot("jury-own-correction")
        assert jury.errors == []
    finally:
        jury.close()
        mc.close()
        for t in tablets.values():
            t.close()

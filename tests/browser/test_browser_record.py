"""The record as the hall sees it, in a real browser: every press and verdict,
every score change announced, undo from a list, the ceremony and the pauses.

Chromium through Playwright (tests/browser/test_browser.py's fixture and Screen);
screenshots go to $QUIZ_ARTIFACTS. Board at 1920x1080 and 1024x768, tablet
1280x800, phone 390x844.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from clients import Screen as Client
from clients import mc_do, write_generated_contest
from conftest import LiveServer, start_server
from test_browser import WAIT_MS, Screen, browser  # noqa: F401  (the module's Chromium)

try:
    from playwright.sync_api import Browser, Page, expect
except ImportError:  # pragma: no cover - the browser fixture skips or fails then
    Browser = Page = Any  # type: ignore[assignment,misc]

pytestmark = [pytest.mark.browser, pytest.mark.live]

TEAMS = [("bo", "Thị trấn Bo"), ("binh-son", "Xã Bình Sơn"), ("cuoi-ha", "Xã Cuối Hạ")]


def _question(qid: str, text: str, answer: str = "A") -> dict[str, Any]:
    return {
        "id": qid,
        "type": "single",
        "text": text,
        "choices": {"A": "Bộ Nội vụ", "B": "Bộ Tư pháp", "C": "Văn phòng Chính phủ"},
        "answer": answer,
        "time_limit": 30,
    }


def _serve(tmp_path: Path, rounds: list[dict[str, Any]], questions: list[dict[str, Any]]) -> Any:
    path = write_generated_contest(tmp_path / "contest", "ghi-nhan", TEAMS, rounds, questions)
    return path


class Hall:
    """A server, a Python MC to set scenes, and browser screens."""

    def __init__(self, chromium: Browser, live: LiveServer, prefix: str) -> None:
        self.browser = chromium
        self.live = live
        self.prefix = prefix
        self.screens: list[Screen] = []
        self.mc = Client(live.url, {"role": "mc", "pin": live.pin}, "mc-client")

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
        expect(screen.page.locator("#conn")).to_have_text("Đã kết nối")
        return screen.page

    def team(self, team: str, width: int, height: int) -> Page:
        return self.open(f"team-{team}-{width}", f"/t/{self.live.codes[team]}", width, height)

    def shots(self, tag: str) -> None:
        for s in self.screens:
            s.shot(tag)

    def close(self) -> None:
        errors = {s.name: s.errors for s in self.screens if s.errors}
        for s in self.screens:
            s.close()
        self.mc.close()
        assert not errors, errors


@pytest.fixture
def buzzer_hall(browser: Browser, tmp_path: Path, async_mode: str) -> Any:  # noqa: F811
    rounds = [
        {
            "id": "bam-chuong",
            "title": "Giành quyền trả lời",
            "format": "buzzer",
            "questions": ["c1"],
            "answer_time": 2,
            "buzz_window": 4,
            "scoring": {"correct": 10, "wrong": -5},
        }
    ]
    path = _serve(tmp_path, rounds, [_question("c1", "Cơ quan nào chủ trì PAR INDEX?")])
    live = start_server(path, tmp_path / "data", async_mode)
    hall = Hall(browser, live, f"{async_mode}-record")
    try:
        yield hall
    finally:
        try:
            hall.close()
        finally:
            live.stop()


def test_every_press_verdict_and_score_change_is_seen_and_undone_from_a_list(
    buzzer_hall: Hall,
) -> None:
    hall = buzzer_hall
    mc = hall.open("mc", f"/mc?pin={hall.live.pin}", 1366, 768)
    board = hall.open("board-1920", "/board", 1920, 1080)
    small = hall.open("board-1024", "/board", 1024, 768)
    bo = hall.team("bo", 1280, 800)
    binh = hall.team("binh-son", 390, 844)
    mc_do(hall.mc, "start_round")
    mc_do(hall.mc, "show", question="c1")
    mc_do(hall.mc, "open", question="c1")

    bo.locator("#buzz-btn").click()
    expect(bo.locator("#buzz-btn")).to_have_text("Đội giành quyền trả lời")
    # Bình Sơn presses while Bo answers: kept in the order, with its ms behind.
    expect(binh.locator("#buzz-btn")).to_be_enabled()
    binh.locator("#buzz-btn").click()
    panel = board.locator("#q-buzz")
    late = panel.locator(".b-buzz__row--late[data-team='binh-son']")
    expect(late).to_contain_text(re.compile(r"\+[\d.]+ ms"))
    expect(late).to_contain_text("bấm khi đội khác đang trả lời")
    expect(mc.locator("#buzz-panel .m-buzz__row")).to_have_count(2)

    # Voice answer: time runs out, nothing is scored, the MC judges.
    expect(panel.locator(".b-buzz__status")).to_contain_text("Hết giờ", timeout=WAIT_MS)
    expect(board.locator("#clock")).to_have_attribute("data-state", "up")  # "Hết giờ!"
    expect(small.locator("#clock-label")).to_have_text("Hết giờ!")
    expect(mc.locator("#judge-timeup")).to_be_visible()
    expect(mc.locator("#judge-timeout")).to_be_visible()
    expect(mc.locator("#scores-body tr[data-team='bo'] td.m-total")).to_have_text("0")
    hall.shots("r01-voice-time-up")
    mc.locator("#judge-timeout").click()

    # The verdict and its points, on the board, the MC and the tablet; a notice.
    row = panel.locator(".b-buzz__row[data-team='bo']")
    expect(row).to_contain_text("Hết giờ −5")
    expect(mc.locator("#buzz-panel .m-buzz__row[data-team='bo']")).to_contain_text("Hết giờ −5")
    expect(bo.locator("#buzz-log .t-buzzlog__row[data-team='bo']")).to_contain_text("Hết giờ −5")
    notice = board.locator(".r-notice").last
    expect(notice).to_contain_text("Thị trấn Bo")
    expect(notice).to_contain_text("−5 điểm")
    expect(notice).to_contain_text("Phần 1 – Câu 1: Hết giờ")
    expect(bo.locator(".r-notice").last).to_contain_text("Đội của bạn")
    expect(bo.locator(".r-notice").last).to_contain_text("−5 điểm")
    expect(binh.locator(".r-notice")).to_have_count(0)  # not Bình Sơn's score

    # The rebound adds a second turn under the first: nothing cleared.
    expect(panel.locator(".b-buzz__turn")).to_have_text(["Lượt 1"])
    binh.locator("#buzz-btn").click()
    expect(mc.locator("#judge-team")).to_have_text("Xã Bình Sơn")
    expect(panel.locator(".b-buzz__turn")).to_have_text(["Lượt 1", "Lượt 2 (mở lại chuông)"])
    mc.locator("#judge-wrong").click()
    expect(panel.locator(".b-buzz__row[data-team='binh-son'][data-opening='2']")).to_contain_text(
        "Sai −5"
    )
    expect(panel.locator(".b-buzz__row[data-team='bo']")).to_contain_text("Hết giờ −5")
    hall.shots("r02-rebound")

    # A hand-set answer: the board's verdict follows it, and says so.
    hall.mc.wait(lambda v: v["phase"] == "closed", timeout=10)
    mc_do(hall.mc, "reveal", question="c1")
    mc_do(
        hall.mc,
        "set_answer",
        question="c1",
        team="binh-son",
        correct=True,
        reason="Ban giám khảo chấp nhận khiếu nại",
    )
    status = panel.locator(".b-buzz__status")
    expect(status).to_contain_text("Chính xác! +10")
    expect(status).to_contain_text("Xã Bình Sơn (đã sửa)")
    expect(small.locator("#q-buzz .b-buzz__status")).to_contain_text("Chính xác! +10")
    fix = board.locator(".r-notice[data-kind='set_answer']")
    expect(fix).to_contain_text("+15 điểm")
    expect(fix).to_contain_text("Ban giám khảo chấp nhận khiếu nại")
    expect(binh.locator(".r-notice[data-kind='set_answer']")).to_contain_text("+15 điểm")
    hall.shots("r03-set-by-hand")

    # Undo from a list that says what each was, newest first, with a reason.
    toggle = mc.locator("#drawer-toggle")  # the corrections live in a drawer on narrow screens
    if toggle.count() and toggle.is_visible():
        toggle.click()
    mc.locator("#undo-btn").click()
    dialog = mc.locator("#undo-dialog")
    items = dialog.locator(".r-undo__what")
    expect(items).to_have_count(3)
    expect(items.nth(0)).to_contain_text("Sửa kết quả Phần 1 – Câu 1 — Xã Bình Sơn: Đúng")
    expect(items.nth(1)).to_contain_text("Chấm Phần 1 – Câu 1 — Xã Bình Sơn: Trả lời sai")
    expect(items.nth(2)).to_contain_text("Chấm Phần 1 – Câu 1 — Thị trấn Bo: Hết giờ")
    hall.shots("r04-undo-list")
    dialog.locator("label").nth(2).click()  # Bo's "Hết giờ", the oldest
    dialog.locator("#undo-go").click()
    expect(dialog.locator(".r-undo__error")).to_have_text("Cần nhập lý do")
    dialog.locator("#undo-reason").fill("Đồng hồ bấm sai")
    dialog.locator("#undo-go").click()
    expect(dialog).to_have_count(0)
    undo = board.locator(".r-notice[data-kind='undo_verdict']")
    expect(undo).to_contain_text("+5 điểm")
    expect(undo).to_contain_text("Đồng hồ bấm sai")
    expect(bo.locator(".r-notice[data-kind='undo_verdict']")).to_contain_text("+5 điểm")
    expect(panel.locator(".b-buzz__row[data-team='bo']")).to_contain_text("đã hoàn tác")
    expect(mc.locator("#scores-body tr[data-team='bo'] td.m-total")).to_have_text("0")
    hall.shots("r05-undone")


PRIZES = [
    {"name": "Giải Nhất", "count": 1},
    {"name": "Giải Nhì", "count": 1},
    {"name": "Giải Ba", "count": 1},
    {"name": "Giải Khuyến khích", "count": "rest"},
]
FOUR = [*TEAMS, ("ha-son", "Xã Hạ Sơn")]


@pytest.fixture
def ceremony_hall(browser: Browser, tmp_path: Path, async_mode: str) -> Any:  # noqa: F811
    import yaml

    rounds = [
        {"id": "mot", "title": "Khởi động", "format": "all", "questions": ["q1"]},
        {"id": "hai", "title": "Tăng tốc", "format": "all", "questions": ["q2"]},
    ]
    questions = [_question("q1", "Câu hỏi khởi động?"), _question("q2", "Câu hỏi tăng tốc?")]
    path = write_generated_contest(tmp_path / "contest", "le-trao", FOUR, rounds, questions)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["prizes"] = PRIZES
    # Answers are sent by a script beside each team's open browser tablet: two devices.
    data["devices_per_team"] = 2
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    live = start_server(path, tmp_path / "data", async_mode)
    hall = Hall(browser, live, f"{async_mode}-ceremony")
    try:
        yield hall
    finally:
        try:
            hall.close()
        finally:
            live.stop()


def _play_question(hall: Hall, qid: str, answers: dict[str, str]) -> None:
    mc_do(hall.mc, "show", question=qid)
    mc_do(hall.mc, "open", question=qid)
    for team, value in answers.items():
        tablet = Client(hall.live.url, {"role": "team", "code": hall.live.codes[team]}, team)
        try:
            ack = tablet.call("answer", {"question": qid, "value": value, "id": f"{qid}-{team}"})
            assert ack["ok"], ack
        finally:
            tablet.close()
    mc_do(hall.mc, "close", question=qid)
    mc_do(hall.mc, "reveal", question=qid)


def test_lobby_summary_and_ceremony_from_the_last_prize_to_the_first(ceremony_hall: Hall) -> None:
    hall = ceremony_hall
    board = hall.open("board-1920", "/board", 1920, 1080)
    small = hall.open("board-1024", "/board", 1024, 768)
    mc = hall.open("mc", f"/mc?pin={hall.live.pin}", 1280, 800)
    lobby = board.locator("#lobby-teams")
    expect(board.locator("#lobby-title")).to_have_text("Hội thi kiểm thử tự động")
    expect(lobby).to_contain_text("Đội đã vào phòng thi: 0/4")
    # Tablets before the start: their team, "Chờ câu hỏi...", no rank.
    bo = hall.team("bo", 1280, 800)
    expect(lobby).to_contain_text("Đội đã vào phòng thi: 1/4")
    expect(lobby.locator(".r-lobby__team--in")).to_have_text(["✓ Thị trấn Bo"])
    phone = hall.team("binh-son", 390, 844)
    expect(small.locator("#lobby-teams")).to_contain_text("2/4")
    for tablet, name in ((bo, "Thị trấn Bo"), (phone, "Xã Bình Sơn")):
        expect(tablet.locator("#team-name")).to_have_text(name)
        expect(tablet.locator("#message")).to_have_text("Chờ câu hỏi...")
        expect(tablet.locator("#team-score")).to_have_text("Tổng điểm: 0")
        expect(tablet.locator("#team-score")).not_to_contain_text("Hạng")
    hall.shots("c01-lobby")

    # Round 1: Bo right; the MC offers the round summary on the board.
    mc_do(hall.mc, "start_round")
    _play_question(hall, "q1", {"bo": "A", "binh-son": "B"})
    # After the reveal: how many teams chose each option.
    dist = board.locator("#q-opts .r-dist")
    expect(dist).to_have_text(["1 đội", "1 đội", "0 đội"])
    expect(small.locator("#q-opts .r-dist")).to_have_count(3)
    hall.shots("c02-distribution")
    offer = mc.locator("#offer-btn")
    expect(offer).to_have_text("Tổng kết phần thi trên màn hình")
    offer.click()
    summary = board.locator("#summary")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Tổng kết phần thi 1: Khởi động")
    expect(summary.locator(".r-summary__row[data-team='bo'] .r-summary__round")).to_have_text("+10")
    expect(bo.locator("#team-score")).to_contain_text("Hạng 1")
    hall.shots("c02-summary-1")

    # Round 2: Bình Sơn and Hạ Sơn right, Bo wrong: ranks move.
    mc_do(hall.mc, "start_round")
    expect(summary).to_be_hidden()
    _play_question(hall, "q2", {"binh-son": "A", "ha-son": "A", "bo": "C"})
    mc.locator("#offer-btn").click()
    expect(summary).to_contain_text("Tổng kết phần thi 2: Tăng tốc")
    row = summary.locator(".r-summary__row[data-team='binh-son']")
    expect(row.locator(".r-summary__round")).to_have_text("+10")
    # Cuối Hạ was level second before the round; now alone at the bottom.
    last = summary.locator(".r-summary__row[data-team='cuoi-ha']")
    expect(last.locator(".r-summary__move")).to_have_text("▼2")
    expect(last.locator(".r-summary__rank")).to_have_text("4")
    expect(small.locator("#summary")).to_be_visible()
    hall.shots("c03-summary-2")

    # The ceremony: the MC steps through it with the next-step button.
    mc_do(hall.mc, "start_round")  # after the last round: the contest is finished
    next_btn = mc.locator("#next-btn")
    expect(next_btn).to_contain_text("Công bố Giải Khuyến khích (1 đội)")
    expect(mc.locator("#ceremony-progress")).to_contain_text("bước 0/4")
    ceremony = board.locator("#ceremony")
    expect(ceremony).to_contain_text("Lễ trao giải")
    expect(ceremony).not_to_contain_text("Giải Nhất")
    hall.shots("c04-ceremony-start")
    order = ["Giải Khuyến khích", "Giải Ba", "Giải Nhì", "Giải Nhất"]
    for step, prize in enumerate(order, start=1):
        expect(next_btn).to_contain_text(f"Công bố {prize}")
        next_btn.click()
        expect(board.locator("#ceremony-now .r-ceremony__prize")).to_have_text(prize)
        expect(mc.locator("#ceremony-progress")).to_contain_text(f"bước {step}/4")
        hall.shots(f"c05-ceremony-{step}")
    # Equal totals after two rounds: 10 each for three teams, ordered by time.
    podium = board.locator("#podium")
    expect(podium.locator(".r-podium__step")).to_have_count(3)
    expect(podium.locator(".r-podium__step--1 .r-podium__prize")).to_have_text("Giải Nhất")
    expect(podium.locator(".r-podium__step--2 .r-podium__prize")).to_have_text("Giải Nhì")
    expect(podium.locator(".r-podium__step--3 .r-podium__prize")).to_have_text("Giải Ba")
    expect(mc.locator("#ceremony-progress")).to_contain_text("đã công bố tất cả các giải")
    expect(next_btn).to_contain_text("Hội thi đã kết thúc")
    won = {
        t["team"]: p["name"]
        for p in hall.mc.wait(lambda v: v["ceremony"]["done"])["ceremony"]["prizes"]
        for t in p["teams"]
    }
    assert sorted(won.values()) == sorted(order)  # one team each
    expect(bo.locator("#team-prize")).to_have_text("Đội đạt " + won["bo"])
    expect(phone.locator("#team-prize")).to_have_text("Đội đạt " + won["binh-son"])
    expect(small.locator("#podium .r-podium__step")).to_have_count(3)
    hall.shots("c06-podium")

    # The results an organiser downloads from the MC console.
    response = mc.request.get(f"{hall.live.url}/results.csv")
    text = response.text()
    lines = text.lstrip("\ufeff").splitlines()
    assert lines[0].endswith("Giải;Phần 1 – Câu 1;Phần 2 – Câu 1"), lines[0]
    assert lines[1].endswith("Mã câu hỏi;q1;q2"), lines[1]
    assert "Thị trấn Bo" in text and "Nhật ký chấm điểm và điều chỉnh" in text

"""Every screen of a contest in English (`language: en`), in real Chromium.

The contest (tests/fixtures/english-contest/) is English throughout: its
title, teams, judges, players, bank and prizes. It is played from the lobby
to the prize ceremony through an `all` round, a `buzzer` round, a `judged`
round and a Rung chuông vàng (`elimination`) round, while the board, a team
tablet, the MC console, the jury's console, a judge's and a player's screen
watch at 1280x800; the start page, the join sheet, the minutes and an error
page are opened too. At each step every screen's visible text
(`document.body.innerText`, its title and its placeholders, tooltips and
aria-labels) must have no Vietnamese letter: with English data, any such
letter is the UI's own text left untranslated. The assertion lists each line
found, by step and screen. Screenshots go to $QUIZ_ARTIFACTS (default
artifacts/screenshots), named `en-<step>-<screen>.png`.
"""

# The tests take the `browser` fixture of tests/browser/test_browser.py as a parameter:
# ruff: noqa: F811
from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from clients import Screen as SocketScreen
from clients import mc_do, next_step
from conftest import FIXTURES, LiveServer, start_server
from test_browser import Screen, browser  # noqa: F401  (the module's Chromium)

pytestmark = [pytest.mark.browser, pytest.mark.live]

try:
    from playwright.sync_api import Browser, Page, expect
except ImportError:  # pragma: no cover - the browser fixture skips or fails first
    pass

ENGLISH_CONTEST = FIXTURES / "english-contest" / "contest.yaml"
VIETNAMESE = re.compile(
    r"[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ]", re.I
)
WIDTH, HEIGHT = 1280, 800
MAX_STEPS = 80  # the whole contest is about 45 MC steps

# What a person reads on the page: its text, its title, and the words in
# placeholders, tooltips and labels for screen readers.
VISIBLE_TEXT = """
() => {
  const lines = [document.title, ...document.body.innerText.split('\\n')];
  for (const e of document.querySelectorAll('[placeholder], [title], [aria-label]')) {
    for (const name of ['placeholder', 'title', 'aria-label']) {
      const value = e.getAttribute(name);
      if (value && !(name === 'title' && e.tagName.toLowerCase() === 'th')) {
        lines.push(name + '=' + value);
      }
    }
  }
  return lines.map((s) => s.trim()).filter(Boolean);
}
"""


def vietnamese_lines(page: Page) -> list[str]:
    lines: list[str] = page.evaluate(VISIBLE_TEXT)
    return [line for line in lines if VIETNAMESE.search(line)]


@pytest.fixture
def hall(tmp_path: Path, async_mode: str) -> Iterator[LiveServer]:
    live = start_server(ENGLISH_CONTEST, tmp_path / "data", async_mode)
    try:
        yield live
    finally:
        live.stop()


def _login(page: Page, url: str, path: str, pin: str) -> None:
    page.goto(f"{url}{path}")
    expect(page.locator("#pin-form")).to_be_visible()
    page.fill("#pin-input", pin)
    page.click("#pin-form button")
    expect(page.locator("#conn")).to_have_text("Connected")


class Tour:
    """The screens watching the contest, and what each step found on them."""

    def __init__(self, browser: Browser, live: LiveServer) -> None:
        self.live = live
        self.screens: dict[str, Screen] = {}
        self.found: list[str] = []
        self.seen: set[tuple[str, str]] = set()
        self.browser = browser

    def open(self, name: str, path: str = "") -> Screen:
        screen = Screen(self.browser, name, WIDTH, HEIGHT, "en")
        self.screens[name] = screen
        if path:
            screen.page.goto(self.live.url + path)
        return screen

    def look(self, step: str, names: list[str] | None = None) -> None:
        """Screenshots of every (or the named) screen, and their Vietnamese lines."""
        for name in names or list(self.screens):
            screen = self.screens[name]
            page = screen.page
            if page.locator("#conn").count():
                expect(page.locator("#conn")).to_have_text("Connected")
            page.wait_for_timeout(400)  # the view drawn (pages redraw within a frame or two)
            screen.shot(step)
            self._add(step, name, vietnamese_lines(page))

    def visit(self, step: str, screen: str, path: str) -> None:
        """Open `path` in an existing screen's context (its cookies) as a new tab."""
        page = self.screens[screen].context.new_page()
        try:
            page.goto(self.live.url + path)
            page.wait_for_load_state("load")
            page.wait_for_timeout(300)
            page.screenshot(path=str(_artifact(f"en-{step}.png")), full_page=True)
            self._add(step, path, vietnamese_lines(page))
        finally:
            page.close()

    def _add(self, step: str, where: str, lines: list[str]) -> None:
        """Each line once per screen (the first step it was seen at)."""
        for line in lines:
            if (where, line) not in self.seen:
                self.seen.add((where, line))
                self.found.append(f"{step} / {where}: {line}")

    def close(self) -> None:
        for screen in self.screens.values():
            screen.close()


def _artifact(name: str) -> Path:
    from test_browser import artifacts_dir

    return artifacts_dir() / name


def _advance(mc: SocketScreen, until: Callable[[dict[str, Any]], bool], judge: Any) -> None:
    """The MC's next steps until `until(view)` (judged turns scored by `judge`)."""
    for _ in range(MAX_STEPS):
        view = mc.view
        if until(view):
            return
        if view.get("judged") and view["phase"] == "open":
            qid = view["question"]["id"]
            assert judge.call("score", {"question": qid, "score": 8})["ok"]
            mc.wait(lambda v: v["phase"] != "open" or bool((v.get("next") or {}).get("command")))
            if mc.view["phase"] == "open":
                mc_do(mc, "close", question=qid)  # the browser's judge has not scored
        else:
            step = view.get("next") or {}
            assert step.get("command"), f"no next step: {view.get('phase')} {step}"
            before = view["v"]
            next_step(mc)
            mc.wait(lambda v, seen=before: v["v"] > seen)
    raise AssertionError(f"not reached in {MAX_STEPS} steps; last view: {mc.view.get('phase')}")


def _question(view: dict[str, Any]) -> str:
    return str((view.get("question") or {}).get("id", ""))


def test_every_screen_of_an_english_contest_is_in_english(
    browser: Browser, hall: LiveServer
) -> None:
    url = hall.url
    info = hall.info
    tour = Tour(browser, hall)
    sockets: list[SocketScreen] = []
    try:
        mc = SocketScreen(url, {"role": "mc", "pin": hall.pin}, "mc-socket")
        sockets.append(mc)
        hillview = SocketScreen(url, {"role": "team", "code": info["codes"]["hillview"]})
        sockets.append(hillview)
        judge_b = SocketScreen(url, {"role": "judge", "code": info["judge_codes"]["judge-b"]})
        sockets.append(judge_b)

        tour.open("board", "/board")
        team = tour.open("team", f"/t/{info['codes']['riverside']}").page
        console = tour.open("mc")
        _login(console.page, url, "/mc", hall.pin)
        jury = tour.open("jury")
        _login(jury.page, url, "/jury", str(info["jury_pin"]))
        tour.open("judge", f"/g/{info['judge_codes']['judge-a']}")
        tour.open("player", f"/p/{info['player_codes']['001']}")
        expect(team.locator("#team-name")).to_have_text("Riverside")
        expect(tour.screens["board"].page.locator("#lobby-wait")).to_have_text("Waiting to start")
        tour.look("01-lobby")

        # The `all` round: Riverside answers on its tablet, Hillview by socket.
        _advance(mc, lambda v: v["phase"] == "shown", judge_b)
        tour.look("02-question-shown")
        _advance(mc, lambda v: v["phase"] == "open", judge_b)
        qid = _question(mc.view)
        team.locator(".t-choice[data-key='B']").click()
        team.locator("#send-btn").click()
        expect(team.locator("#send-status")).to_contain_text("Answer received")
        ack = hillview.call("answer", {"question": qid, "value": "A", "id": uuid.uuid4().hex})
        assert ack["ok"], ack
        tour.look("03-answering")
        _advance(mc, lambda v: v["phase"] == "revealed", judge_b)
        expect(team.locator("#result")).to_contain_text("+10 points")
        tour.look("04-revealed")
        mc_do(mc, "summary", show=True)
        tour.look("05-round-summary", ["board", "mc"])
        mc_do(mc, "summary", show=False)

        # The buzzer round: Riverside buzzes first, the MC marks it right.
        def buzzers_open(v: dict[str, Any]) -> bool:
            return (v.get("round") or {}).get("format") == "buzzer" and v["phase"] == "open"

        _advance(mc, buzzers_open, judge_b)
        expect(team.locator("#buzz-btn")).to_have_attribute("data-state", "open")
        team.locator("#buzz-btn").click()
        mc.wait(lambda v: (v.get("next") or {}).get("command") == "judge")
        tour.look("06-buzz-won")
        mc_do(mc, "judge", question=_question(mc.view), team="riverside", verdict="correct")
        _advance(mc, lambda v: v["phase"] == "revealed", judge_b)
        tour.look("07-buzz-revealed")

        # The judged round: the judge on the browser sees the team called.
        def judged_open(v: dict[str, Any]) -> bool:
            return bool(v.get("judged")) and v["phase"] == "open"

        _advance(mc, judged_open, judge_b)
        tour.look("08-judged-called")
        _advance(mc, lambda v: bool(v.get("judged")) and v["phase"] == "revealed", judge_b)
        tour.look("09-judged-shown")

        # Ring the Golden Bell: the player's phone during a question.
        def bell_open(v: dict[str, Any]) -> bool:
            return (v.get("round") or {}).get("format") == "elimination" and v["phase"] == "open"

        _advance(mc, bell_open, judge_b)
        tour.look("10-bell-question")
        _advance(mc, lambda v: v["phase"] == "finished", judge_b)
        tour.look("11-finished")
        _advance(mc, lambda v: (v.get("ceremony") or {}).get("shown", 0) >= 1, judge_b)
        tour.look("12-ceremony")

        # The pages opened by address: the start page, the MC's printed pages, an error.
        tour.visit("13-start-page", "mc", "/")
        tour.visit("14-join-sheet", "mc", "/join-sheet")
        tour.visit("15-minutes", "mc", "/minutes")
        tour.visit("16-error-page", "mc", "/no-such-page")
        for name, screen in tour.screens.items():
            assert not screen.errors, (name, screen.errors)
        assert not tour.found, "Vietnamese on the English screens:\n" + "\n".join(tour.found)
    finally:
        for s in sockets:
            s.close()
        tour.close()

"""The minutes (biên bản): `quiz minutes` prints a PDF whose text names every
team, every correction's reason and the journal's head hash (the one `quiz
verify` prints); the MC's /minutes page in Chromium, on screen at A4 and on
a phone, and as printed. Screenshots (and the PDF) go to $QUIZ_ARTIFACTS.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, start_server
from record_scenario import REASONS, TEAMS, played_journal
from test_browser import (  # noqa: F401  (the module's Chromium)
    CHROMIUM,
    WAIT_MS,
    Screen,
    _unavailable,
    artifacts_dir,
    browser,
    mc_login,
)

from quiz.live.journal import verify_file

try:
    from playwright.sync_api import Browser, expect
except ImportError:  # pragma: no cover - the browser fixture skips or fails then
    Browser = Any  # type: ignore[assignment,misc]

pytestmark = [pytest.mark.browser]

A4 = (794, 1123)  # CSS pixels of an A4 page at 96 dpi


def _verify(journal: Path) -> tuple[int, str]:
    ok, line = verify_file(journal)
    assert ok, line
    match = re.fullmatch(r"OK, (\d+) entries, head ([0-9a-f]{64})", line)
    assert match, line
    return int(match[1]), match[2]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QUIZ_CHROMIUM": CHROMIUM}
    return subprocess.run(
        [sys.executable, "-m", "quiz", *args],
        cwd=str(ROOT),
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_quiz_minutes_writes_a_pdf_naming_every_team_reason_and_the_verified_head(
    tmp_path: Path,
) -> None:
    if not Path(CHROMIUM).exists():
        _unavailable(f"no Chromium at {CHROMIUM} (set QUIZ_CHROMIUM)")
    from pypdf import PdfReader

    contest_path, journal, game = played_journal(tmp_path)
    pdf = artifacts_dir() / "minutes.pdf"
    pdf.unlink(missing_ok=True)
    done = _run("minutes", str(journal), "--contest", str(contest_path), "-o", str(pdf))
    assert done.returncode == 0, done.stderr
    entries, head = _verify(journal)
    verified = _run("verify", str(journal))
    assert verified.returncode == 0 and head in verified.stdout
    assert f"head {head}" in done.stdout

    reader = PdfReader(str(pdf))
    assert 1 <= len(reader.pages) <= 3
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    # pypdf puts spaces where a line switches between the font's subsets (Latin,
    # Vietnamese: "Ệ" and "N" come from two embedded fonts), so the text is compared
    # without whitespace; it is read in the PDF's own order, each cell whole.
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))

    def found(words: str) -> bool:
        return re.sub(r"\s+", "", words) in text

    assert found("BIÊN BẢN")
    for _, name in TEAMS:
        assert found(name), name
    for reason in REASONS:
        assert found(reason), reason
    assert head in text  # printed in two halves of 32 digits
    assert found(f"gồm {entries} mục") and entries == len(game.log)
    for role in ("Chủ tịch Ban giám khảo", "Thành viên Ban giám khảo", "Thư ký"):
        assert found(role)
    assert found("Giải Nhất") and found("UBND huyện Kim Bôi") and found("29/08/2023")


def test_quiz_minutes_says_what_is_missing_when_chromium_cannot_start(tmp_path: Path) -> None:
    contest_path, journal, _ = played_journal(tmp_path)
    out = tmp_path / "bien-ban.pdf"
    env = {**os.environ, "QUIZ_CHROMIUM": str(tmp_path / "no-chromium-here")}
    env["PATH"] = str(tmp_path)  # no chromium on the PATH either
    env["PLAYWRIGHT_BROWSERS_PATH"] = str(tmp_path / "no-browsers")
    done = subprocess.run(
        [sys.executable, "-m", "quiz", "minutes", str(journal), "--contest", str(contest_path),
         "-o", str(out)],
        cwd=str(ROOT), env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 1
    assert "Chromium" in done.stderr and "QUIZ_CHROMIUM" in done.stderr
    assert not out.exists()
    # the page itself needs no browser
    html = tmp_path / "bien-ban.html"
    done = subprocess.run(
        [sys.executable, "-m", "quiz", "minutes", str(journal), "--contest", str(contest_path),
         "-o", str(html)],
        cwd=str(ROOT), env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Xã Nương Đăm" in html.read_text(encoding="utf-8")


def test_minutes_page_for_the_mc_at_a4_on_a_phone_and_as_printed(
    browser: Browser,  # noqa: F811
    tmp_path: Path,
) -> None:
    contest_path, journal, _ = played_journal(tmp_path)
    data = tmp_path / "served"
    (data / "ghi-nhan").mkdir(parents=True)
    (data / "ghi-nhan" / "journal.jsonl").write_bytes(journal.read_bytes())
    live = start_server(contest_path, data)
    screens: list[Screen] = []
    try:
        _entries, head = _verify(data / "ghi-nhan" / "journal.jsonl")
        for name, (width, height) in {
            "a4": A4,
            "1920": (1920, 1080),
            "1024": (1024, 768),
            "laptop": (1280, 800),
            "phone": (390, 844),
        }.items():
            screen = Screen(browser, f"minutes-{name}", width, height)
            screens.append(screen)
            page = screen.page
            page.goto(live.url + "/minutes")
            expect(page.locator("body")).to_contain_text("403", timeout=WAIT_MS)
            screen.errors.clear()  # that refusal is the one error expected
            mc_login(page, live.url, live.pin)
            page.goto(live.url + "/minutes")
            expect(page.locator(".doc-title")).to_have_text("BIÊN BẢN")
            expect(page.locator("#m-head")).to_have_text(head)
            page.evaluate("document.fonts.ready.then(() => true)")
            for _, team in TEAMS:
                expect(page.locator("#m-teams")).to_contain_text(team)
            for reason in REASONS:
                expect(page.locator("#m-corrections")).to_contain_text(reason)
            # nothing overflows the sheet sideways: the page scrolls only as wide as the screen
            wide = page.evaluate("document.documentElement.scrollWidth")
            assert wide <= width + 1, (name, wide)
            assert page.locator(".journal__qr svg").count() == 1
            page.screenshot(path=str(artifacts_dir() / f"minutes-{name}.png"), full_page=True)
            if name == "a4":
                page.emulate_media(media="print")
                expect(page.locator("#print-btn")).to_be_hidden()
                page.screenshot(path=str(artifacts_dir() / "minutes-a4-print.png"), full_page=True)
            assert not screen.errors, screen.errors
            assert all(r.startswith(live.url) or r.startswith("data:") for r in screen.requests)
    finally:
        for screen in screens:
            screen.close()
        live.stop()

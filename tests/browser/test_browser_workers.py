"""A screen refused because the server could not answer in time connects again
by itself (protocol.md, "Several processes"): with `quiz serve --workers 2`, the
authority is frozen (SIGSTOP), so an edge cannot get a new board its first view
within 5 s and refuses the connect with `unavailable`; the board page shows it is
reconnecting, not refused, and once the authority runs again it is connected and
draws the lobby from its view."""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import start_server, write_contest
from test_browser import Screen, browser  # noqa: F401 (the fixture)

if TYPE_CHECKING:
    from playwright.sync_api import Browser

pytestmark = [pytest.mark.browser, pytest.mark.live]

if shutil.which("redis-server") is None and not os.environ.get("CI"):
    pytest.skip("redis-server is not installed", allow_module_level=True)


def test_a_board_refused_as_unavailable_connects_again_by_itself(
    browser: Browser,  # noqa: F811
    tmp_path: Path,
) -> None:
    from playwright.sync_api import expect

    server = start_server(
        write_contest(tmp_path / "contest"), tmp_path / "data", "eventlet", ["--workers", "2"]
    )
    authority = int(server.info["authority_pid"])
    first = Screen(browser, "workers-board-first", 1920, 1080, "workers")
    late = Screen(browser, "workers-board-late", 1920, 1080, "workers")
    stopped = False
    try:
        first.page.goto(server.url + "/board")
        expect(first.page.locator("#conn")).to_have_attribute("data-status", "ok", timeout=20_000)
        os.kill(authority, signal.SIGSTOP)
        stopped = True
        late.page.goto(server.url + "/board")
        # Refused after the edge's 5 s wait: reconnecting, never "refused".
        expect(late.page.locator("#conn")).to_have_attribute(
            "data-status", "reconnecting", timeout=15_000
        )
        frozen_until = time.monotonic() + 3
        while time.monotonic() < frozen_until:
            assert late.page.locator("#conn").get_attribute("data-status") != "refused"
            time.sleep(0.2)
        late.shot("0-reconnecting")
        os.kill(authority, signal.SIGCONT)
        stopped = False
        expect(late.page.locator("#conn")).to_have_attribute("data-status", "ok", timeout=20_000)
        # Drawn from a view (the page's own HTML has only the title): it got one.
        expect(late.page.locator(".r-lobby__count")).to_contain_text("Đội đã vào phòng thi")
        late.shot("1-back")
        assert late.errors == [], late.errors
    finally:
        if stopped:
            os.kill(authority, signal.SIGCONT)
        first.close()
        late.close()
        server.stop()
